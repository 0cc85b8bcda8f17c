#!/usr/bin/env bash
# Instruction counts of the core's SRP client under valgrind's callgrind: deterministic, so a
# change in the core's own cost between commits shows without the noise of timing on a shared
# machine. The core only: instruction counts do not compare libraries whose assembly differs
# (GMP's mulx/adx paths, HotSpot's intrinsics).
#
# Prints, for a = 32 and 128 bytes, the instructions of one whole client computation (A, then
# the claim) and of its two halves (A = SrpClient::new; the claim = password_claim):
#   core_instructions_a32_whole: N   ...
# Each figure is (count for 3 runs − count for 1 run) / 2, so start-up and one-time costs
# cancel. With --annotate, also the functions with the most inclusive instructions for one
# a = 128 claim (callgrind_annotate), to see where the time goes.
#
# Usage: bash benches/callgrind.sh [--annotate]
# Needs valgrind (Debian: apt-get install valgrind); exits 0 with a message when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null 2>&1; then
  echo "callgrind.sh: valgrind not found: no instruction counts (apt-get install valgrind)" >&2
  exit 0
fi
annotate=0
[ "${1:-}" = "--annotate" ] && annotate=1
target="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --locked -q --release -p cognito-auth-benches --bin srp_paired
bin="$target/release/srp_paired"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# instructions RUNS A_BYTES PART: total Ir of one process.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$work/out.$1.$2.$3" \
    "$bin" --core-runs "$1" --a-bytes "$2" --part "$3" 2>"$work/log" \
    || { cat "$work/log" >&2; exit 1; }
  sed -n 's/^summary: //p' "$work/out.$1.$2.$3"
}

for a in 32 128; do
  for part in whole A claim; do
    one=$(instructions 1 "$a" "$part")
    three=$(instructions 3 "$a" "$part")
    echo "core_instructions_a${a}_${part}: $(((three - one) / 2))"
  done
done
if [ "$annotate" = 1 ] && command -v callgrind_annotate >/dev/null 2>&1; then
  echo
  echo "inclusive instructions, 3 runs of the a = 128 claim (callgrind_annotate --inclusive=yes):"
  callgrind_annotate --inclusive=yes "$work/out.3.128.claim" 2>/dev/null | sed -n '1,60p' \
    | grep -E '^ *[0-9,]+ ' | head -25
fi
