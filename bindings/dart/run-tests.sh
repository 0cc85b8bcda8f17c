#!/usr/bin/env bash
# Runs the Dart tests (bindings/dart/test/*_test.dart, package:test) on a machine with the Dart
# SDK (>= 3.3) on PATH. No Dart SDK can be installed on this project's CI machines; there,
# bindings/dart/check.sh does the static checks instead.
#
#   bash bindings/dart/run-tests.sh
#
# 1. bindings/dart/prepare.sh (the generated bindings into lib/src/generated/);
# 2. dart pub get;
# 3. starts the MiniStack fixture (the test kit's `ministack-fixture` binary, built through
#    bindings/testing/ministack-fixture.sh) for the end-to-end test, always stopped on exit;
# 4. COGNITO_AUTH_FFI_LIB=<the debug .so> COGNITO_AUTH_FIXTURE=<fixture.json> dart test
#
# Without COGNITO_AUTH_FIXTURE (plain `dart test`), the end-to-end test is skipped and says why.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LIB=$TARGET/debug/libcognito_auth_ffi.so
case "$(uname -s)" in
  Darwin) LIB=$TARGET/debug/libcognito_auth_ffi.dylib ;;
esac

command -v dart >/dev/null || {
  echo "run-tests.sh: 'dart' (Dart SDK >= 3.3) is not on PATH. Nothing was run." >&2
  echo "  What can be checked without it is: bash bindings/dart/check.sh" >&2
  exit 2
}

bash "$ROOT/bindings/dart/prepare.sh" >/dev/null
# `testing`: the tests use SignInSession.newForTesting (never in a shipped library).
[ -f "$LIB" ] || cargo build -q -p cognito-auth-ffi --locked --features testing
[ -f "$LIB" ] || { echo "run-tests.sh: no $LIB" >&2; exit 1; }
(cd "$ROOT/bindings/dart" && dart pub get >/dev/null)

FIXTURE=${MINISTACK_FIXTURE_BIN:-$(bash "$ROOT/bindings/testing/ministack-fixture.sh" --build)}
STATE=$(mktemp -d "${TMPDIR:-/tmp}/dart-ministack.XXXXXX")
cleanup() {
  "$FIXTURE" stop --state "$STATE" || true
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$FIXTURE" start --state "$STATE" --owner-pid $$

cd "$ROOT/bindings/dart"
RUST_BACKTRACE=0 COGNITO_AUTH_FFI_LIB="$LIB" COGNITO_AUTH_FIXTURE="$STATE/fixture.json" dart test
