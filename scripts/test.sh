#!/usr/bin/env bash
# The one test command (README: "Test"). CI runs exactly this through .ci/run.
# Needs: rustfmt, clippy, the thumbv7em-none-eabihf and i686-unknown-linux-gnu targets and
# gcc-multilib (.ci/run installs them), and python3 with venv; MiniStack and moto are installed
# on first use by scripts/ensure-tool.sh, libgmp-dev and libtommath-dev (benchmark baselines) by
# benches/ensure-libs.sh, the rust-src component (the mobile library's std rebuild) by
# bindings/mobile-build.sh, the bindings' tools by the bindings' own scripts.
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

step "system libraries for the benchmark baselines (benches/ensure-libs.sh: libgmp-dev, libtommath-dev)"
bash benches/ensure-libs.sh

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

step "fresh machine: three concurrent ensure-tool.sh installs into an empty cache (scripts/check-ensure-tool.sh, ~35 s)"
bash scripts/check-ensure-tool.sh

step "bindings: generate Kotlin, Swift, Python and Dart (bindings/generate.sh)"
bash bindings/generate.sh

step "bindings/API.md names every export, and no export that is gone (bindings/tools/api_doc_check.py)"
python3 bindings/tools/api_doc_check.py \
  --generated "${CARGO_TARGET_DIR:-target}/bindings/python/cognito_auth_ffi.py" --doc bindings/API.md

step "bindings: Python (pytest; end to end against MiniStack)"
bash bindings/python/run-tests.sh 2>&1 | tee -a "$test_log"

step "bindings: Kotlin/JVM (kotlinc 2.4.20 + JNA; end to end against MiniStack)"
bash bindings/kotlin/run-tests.sh 2>&1 | tee -a "$test_log"

step "packages: the Python wheel and the JVM jar, installed and used as a consumer would (MiniStack end to end)"
# bindings/python/test-wheel.sh: build-wheel.sh, then a fresh venv with only the wheel; the
# production tests and a mypy --strict consumer. bindings/kotlin/test-jar.sh: build-jar.sh, then a
# consumer compiled and run against the jar and its POM's dependencies alone.
bash bindings/python/test-wheel.sh 2>&1 | tee -a "$test_log"
bash bindings/kotlin/test-jar.sh 2>&1 | tee -a "$test_log"

step "bindings: Swift and Dart static checks (their tests cannot run here: no Swift toolchain, no Dart SDK)"
bash bindings/swift/check.sh
bash bindings/dart/check.sh

step "bindings: Android checks (the android = true Kotlin compiles; cargo check for aarch64-linux-android)"
bash bindings/android/check.sh

step "fuzz smoke (each cargo-fuzz target for 20 s on stable via RUSTC_BOOTSTRAP=1)"
bash scripts/fuzz-smoke.sh

step "benchmarks: criterion's test mode (each benchmark once), the quick constant-time test, and the paired comparison's smoke run (every baseline, libtommath and java.math.BigInteger included, must reproduce the core's result)"
cargo bench --locked -p cognito-auth-benches --bench srp --bench protocol -- --test
cargo bench --locked -p cognito-auth-benches --bench constant_time -- --quick
bash benches/paired.sh --smoke

step "mobile library: the size-first build apps ship (bindings/mobile-build.sh), at most 1 MiB, and the Python tests against it"
mobile_log=$(mktemp)
bash bindings/mobile-build.sh --max-bytes 1048576 | tee "$mobile_log"
# The shipped library has no test-only constructor (cargo feature `testing` off).
bash bindings/tools/check-shipped-symbols.sh "$(sed -n 's/^mobile_library: //p' "$mobile_log")"
FFI_LIBRARY="$(sed -n 's/^mobile_library: //p' "$mobile_log")" bash bindings/python/run-tests.sh 2>&1 | tee -a "$test_log"
rm -f "$mobile_log"

step "demo: the cognito-auth tool end to end against MiniStack (the README's first command)"
bash scripts/demo.sh

# One closing line for the whole run: every cargo test binary's counts, pytest's summary
# ("76 passed in 3.5s", "1 failed, 75 passed in 3.5s") and the Kotlin harness's
# ("29 passed, 0 failed") added up.
python3 - "$test_log" <<'PY'
import re, sys
passed = failed = 0
for line in open(sys.argv[1], errors="replace"):
    line = line.strip()
    rust = re.match(r"test result: \w+\. (\d+) passed; (\d+) failed", line)
    kotlin = re.fullmatch(r"(\d+) passed, (\d+) failed", line)
    pytest = re.fullmatch(r"=*\s*((?:\d+ \w+, )*\d+ \w+) in [\d.]+s(?: \([^)]*\))?\s*=*", line)
    if rust or kotlin:
        passed += int((rust or kotlin).group(1))
        failed += int((rust or kotlin).group(2))
    elif pytest:
        counts = dict((word, int(n)) for n, word in re.findall(r"(\d+) (\w+)", pytest.group(1)))
        passed += counts.get("passed", 0)
        failed += counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0)
print(f"\ntests: {passed} passed, {failed} failed")
PY
