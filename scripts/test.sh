#!/usr/bin/env bash
# The one test command (README: "Test"). CI runs exactly this through .ci/run.
# Needs: rustfmt, clippy, the thumbv7em-none-eabihf and i686-unknown-linux-gnu targets and
# gcc-multilib (.ci/run installs them), and python3 with venv; MiniStack and moto are installed
# on first use by scripts/ensure-tool.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
test_log="$(mktemp)"
trap 'rm -f "$test_log"' EXIT

step "formatting"
cargo fmt --all --check

step "generated data is up to date"
python3 scripts/gen_calling_codes.py --check
python3 scripts/gen_generator_comb.py --check

step "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "no_std: cognito-auth-core for a bare-metal target"
cargo build -p cognito-auth-core --target thumbv7em-none-eabihf --locked

step "32-bit limbs: the core's unit tests on i686 (the arithmetic of armeabi-v7a phones)"
cargo test -p cognito-auth-core --lib --target i686-unknown-linux-gnu --locked 2>&1 | tee -a "$test_log"

step "docs (broken links are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -p cognito-auth-core --no-deps --locked

step "tests (the end-to-end ones start MiniStack and moto on 127.0.0.1)"
MINISTACK_BIN="$(bash scripts/ensure-tool.sh ministack)"
MOTO_SERVER_BIN="$(bash scripts/ensure-tool.sh moto)"
export MINISTACK_BIN MOTO_SERVER_BIN
cargo test --workspace --locked 2>&1 | tee -a "$test_log"

step "fuzz smoke (each cargo-fuzz target for 20 s on stable via RUSTC_BOOTSTRAP=1)"
bash scripts/fuzz-smoke.sh

step "demo: the cognito-auth tool end to end against MiniStack (the README's first command)"
bash scripts/demo.sh

# One closing line for the whole run: every cargo test binary's counts added up.
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "\ntests: %d passed, %d failed\n", passed, failed }' "$test_log"
