#!/usr/bin/env bash
# Smoke-runs every cargo-fuzz target in fuzz/ for FUZZ_SECONDS each (default 20), seeded from
# fuzz/corpus/<target>/. New corpus entries go to a temporary copy, never into the repository;
# a crash leaves its input in fuzz/artifacts/<target>/ (git-ignored) and fails the script.
# cargo-fuzz needs nightly flags (-Zsanitizer); RUSTC_BOOTSTRAP=1 lets the stable toolchain
# take them. Longer runs: FUZZ_SECONDS=600 scripts/fuzz-smoke.sh, or cargo fuzz run directly.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

CARGO_FUZZ_VERSION=0.13.1 # builds with --locked on stable 1.88+
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version 2>/dev/null | grep -qF "$CARGO_FUZZ_VERSION"; then
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

start=$SECONDS
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One build for all targets (release + debug assertions, AddressSanitizer).
cargo fuzz build

failed=()
for target in $(cargo fuzz list); do
    mkdir -p "$work/$target"
    cp -R "corpus/$target/." "$work/$target/" 2>/dev/null || true
    printf '== fuzz %s (%ss) ... ' "$target" "$FUZZ_SECONDS"
    if cargo fuzz run "$target" "$work/$target" -- \
        -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$work/$target.log" 2>&1; then
        grep -E '^stat::number_of_executed_units' "$work/$target.log" | sed 's/.*: */ok, runs: /' || echo ok
    else
        echo FAILED
        grep -A4 -E 'panicked at|ERROR: (AddressSanitizer|libFuzzer)' "$work/$target.log" | head -n 20
        sed -n '/^Failing input:/,/^Reproduce with:/p' "$work/$target.log"
        failed+=("$target")
    fi
done

echo "fuzz smoke: $((SECONDS - start)) s"
if ((${#failed[@]})); then
    echo "crashed: ${failed[*]} (inputs in fuzz/artifacts/; reproduce with" \
        "RUSTC_BOOTSTRAP=1 cargo fuzz run <target> <artifact>)" >&2
    exit 1
fi
