#!/usr/bin/env bash
# The paired SRP client comparison (src/bin/srp_paired.rs): the core against GMP, num-bigint-dig,
# libtommath (C, benches/c/libtommath_srp.c) and java.math.BigInteger (benches/java/), pair by
# pair, with the CPU model and flags. Builds the two child programs into
# $CARGO_TARGET_DIR/bench-baselines (or target/) first.
#
# Usage: bash benches/paired.sh [--smoke] [srp_paired options...]
#   --smoke: 3 pairs, 2 rounds (so each child process is restarted once), short JVM warm-up:
#            checks every baseline reproduces the core's
#            result and the harness runs (CI, about 20 s once built)
#   other options go to srp_paired (--pairs N --rounds R --wall --json OUT)
# Needs: cargo, cc, libtommath-dev and libgmp-dev (benches/ensure-libs.sh installs them);
# javac and java for the Java lines (skipped with a message when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
if [ "${1:-}" = "--smoke" ]; then
  shift
  args+=(--pairs 3 --rounds 2 --java-warm-up 0.5)
fi
args+=("$@")

bash benches/ensure-libs.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"
out="$target/bench-baselines"
mkdir -p "$out"

cc -O2 -Wall -Wextra -Werror -o "$out/libtommath_srp" benches/c/libtommath_srp.c -ltommath
args+=(--libtommath "$out/libtommath_srp")
if command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  rm -rf "$out/java" && mkdir -p "$out/java"
  javac -d "$out/java" benches/java/JavaBigIntegerSrp.java
  args+=(--java-classes "$out/java")
else
  echo "paired.sh: javac or java not found: no java.math.BigInteger lines" >&2
fi

cargo build --locked -q --release -p cognito-auth-benches --bin srp_paired
"$target/release/srp_paired" "${args[@]}"
