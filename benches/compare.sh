#!/usr/bin/env bash
# The benchmarks against their baselines in one go. Prints the CPU (model, family/model/stepping,
# adx/bmi2/avx2), a table of criterion medians, the paired comparison, then these lines:
#   srp_client_a32_vs_gmp_powm_sec: R [lo, hi]      R = median over pairs of core ÷ GMP mpz_powm_sec,
#   srp_client_a128_vs_gmp_powm_sec: R [lo, hi]         each pair the two run back to back in
#   srp_client_a128_vs_gmp_powm: R [lo, hi]             alternating order; [lo, hi] = bootstrap
#   srp_client_a128_vs_num_bigint_dig: R [lo, hi]       95 % interval of that median, resampling
#                                                       rounds then pairs (child processes are
#                                                       started anew each round)
#   srp_client_a32_vs_libtommath: R [lo, hi]        libtommath 1.2 (Amplify Swift's engine; its a is 32 bytes)
#   srp_client_a128_vs_libtommath: R [lo, hi]
#   srp_client_a128_vs_java_biginteger: R [lo, hi]  java.math.BigInteger on HotSpot (Amplify Android's engine)
#   srp_client_a128_vs_java_biginteger_no_intrinsics: R [lo, hi]   the same with HotSpot's BigInteger intrinsics off
#   ffi_cdylib_release_bytes: N             the stripped libcognito_auth_ffi.so that apps ship
#                                           (bindings/mobile-build.sh; Kotlin/Swift, no Dart)
#   srp_client_a128_vs_amazon_cognito_identity_js: R   (only where node and npm are available;
#                                           not paired: a separate process, medians compared)
# The paired results, with the CPU, are also kept as JSON in
# $CARGO_TARGET_DIR/compare-results/ (or target/compare-results/), one file per run.
#
# Usage: bash benches/compare.sh [--quick] [--pairs N] [--rounds N] [--wall] [--no-js] [--callgrind]
#   default: criterion's full runs for the table, timed in thread CPU time; the paired
#            comparison (benches/paired.sh) in 6 rounds of 101 pairs per baseline;
#   --quick: criterion's --quick, 2 rounds of 21 pairs, 3 node runs (rougher);
#   --pairs N, --rounds N: the paired comparison's size;
#   --wall:  wall-clock time instead of CPU time (also for the node comparison);
#   --callgrind: also the core's instruction counts (benches/callgrind.sh; needs valgrind,
#            about 2 min): core_instructions_a32_whole: N ...
# Needs: cargo, python3, cc; libgmp-dev and libtommath-dev (installed through
# benches/ensure-libs.sh if missing); javac + java for the Java lines; node + npm for the
# amazon-cognito-identity-js line (6.3.21, installed into ~/.cache/cognito-auth/npm/, not the
# repo). Results go to $CARGO_TARGET_DIR (or target/).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
rounds=""
pairs=""
js=1
clock=cpu
callgrind=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --rounds)
      [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --rounds needs a positive number" >&2; exit 2; }
      rounds="$2"
      shift
      ;;
    --pairs)
      [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --pairs needs a positive number" >&2; exit 2; }
      pairs="$2"
      shift
      ;;
    --no-js) js=0 ;;
    --callgrind) callgrind=1 ;;
    --wall) clock=wall ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$rounds" ]; then
  if [ "$quick" = 1 ]; then rounds=2; else rounds=6; fi
fi
if [ -z "$pairs" ]; then
  if [ "$quick" = 1 ]; then pairs=21; else pairs=101; fi
fi
js_runs=$([ "$quick" = 1 ] && echo 3 || echo 21)
criterion_args=(--noplot)
[ "$quick" = 1 ] && criterion_args+=(--quick)

bash benches/ensure-libs.sh
export COGNITO_AUTH_BENCH_CLOCK="$clock"

target="${CARGO_TARGET_DIR:-$PWD/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/log"

fail() {
  [ -s "$log" ] && cat "$log" >&2
  echo "compare.sh: $*" >&2
  exit 1
}

# bench TARGET FILTER OUT_JSON: one criterion run, its medians collected into OUT_JSON.
bench() {
  local since
  # Collect only what this run writes: every write after the sleep is at or after `since`,
  # every earlier one before it.
  since="$(($(date +%s) + 1))"
  sleep 1
  cargo bench --locked -q -p cognito-auth-benches --bench "$1" -- "$2" "${criterion_args[@]}" >"$log" 2>&1 \
    || fail "cargo bench --bench $1 -- $2 failed (output above)"
  python3 benches/compare_report.py collect "$target/criterion" "$since" "$3"
}

echo "compare.sh: building the benchmarks" >&2
cargo bench --locked -q -p cognito-auth-benches --no-run >"$log" 2>&1 || fail "building the benchmarks failed"

echo "compare.sh: SRP client, paired with each baseline ($rounds rounds of $pairs pairs)" >&2
paired_args=(--pairs "$pairs" --rounds "$rounds" --json "$work/paired.json")
[ "$clock" = wall ] && paired_args+=(--wall)
bash benches/paired.sh "${paired_args[@]}" >"$work/paired.txt" 2>"$log" \
  || fail "benches/paired.sh failed (output above)"
mkdir -p "$target/compare-results"
cp "$work/paired.json" "$target/compare-results/paired-$(date -u +%Y%m%dT%H%M%SZ).json"
echo "compare.sh: SRP client, criterion (for the table)" >&2
bench srp '^srp_client_' "$work/client-round-1.json"
echo "compare.sh: SRP parts" >&2
bench srp '^srp_parts_' "$work/parts.json"
echo "compare.sh: protocol operations" >&2
bench protocol '' "$work/protocol.json"
python3 - "$work" <<'EOF'
import json, sys
from pathlib import Path
work = Path(sys.argv[1])
merged = {}
for name in ("parts.json", "protocol.json"):
    merged.update(json.loads((work / name).read_text()))
(work / "other.json").write_text(json.dumps(merged))
EOF

report_args=(--clock "$clock" --paired "$work/paired.txt")
if [ -f crates/cognito-auth-ffi/Cargo.toml ]; then
  echo "compare.sh: building the FFI library as apps ship it (bindings/mobile-build.sh)" >&2
  bash bindings/mobile-build.sh >"$log" 2>&1 || fail "bindings/mobile-build.sh failed (output above)"
  bytes=$(sed -n 's/^mobile_library_bytes: //p' "$log")
  [ -n "$bytes" ] || fail "bindings/mobile-build.sh printed no mobile_library_bytes line"
  report_args+=(--ffi-bytes "$bytes")
else
  echo "compare.sh: crates/cognito-auth-ffi does not exist yet: no FFI library size" >&2
  report_args+=(--ffi-bytes "n/a (crates/cognito-auth-ffi not found)")
fi

if [ "$js" = 1 ] && command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  js_version=6.3.21
  js_dir="$HOME/.cache/cognito-auth/npm/amazon-cognito-identity-js-$js_version"
  js_package="$js_dir/node_modules/amazon-cognito-identity-js/package.json"
  if ! grep -q "\"version\": \"$js_version\"" "$js_package" 2>/dev/null; then
    echo "compare.sh: installing amazon-cognito-identity-js $js_version into $js_dir" >&2
    mkdir -p "$js_dir"
    (cd "$js_dir" && npm install --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
      "amazon-cognito-identity-js@$js_version") >"$log" 2>&1 || fail "npm install amazon-cognito-identity-js@$js_version failed"
  fi
  echo "compare.sh: amazon-cognito-identity-js on node ($js_runs runs)" >&2
  cargo run --locked -q --release -p cognito-auth-benches --example srp_inputs -- 128 >"$work/inputs.json" 2>"$log" \
    || fail "the srp_inputs example failed"
  node benches/js/amazon_cognito_identity_js.js "$js_dir" "$work/inputs.json" "$js_runs" >"$work/js.json" 2>"$log" \
    || fail "amazon-cognito-identity-js did not reproduce the core's result, or failed (output above)"
  report_args+=(--js "$work/js.json")
elif [ "$js" = 1 ]; then
  echo "compare.sh: node or npm not found: no amazon-cognito-identity-js comparison" >&2
fi

if [ "$callgrind" = 1 ]; then
  echo "compare.sh: the core's instruction counts (benches/callgrind.sh)" >&2
  bash benches/callgrind.sh >"$work/callgrind.txt" 2>"$log" || fail "benches/callgrind.sh failed (output above)"
fi

python3 benches/compare_report.py report "$work" "${report_args[@]}"
[ "$callgrind" = 1 ] && cat "$work/callgrind.txt"
exit 0
