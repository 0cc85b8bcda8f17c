#!/usr/bin/env bash
# Runs the XCTests of the Swift package, on a Mac or on Linux with a Swift 6 toolchain
# (swift-corelibs Foundation and XCTest; no Apple frameworks):
#
#   bash bindings/swift/run-tests.sh
#
# macOS: bindings/swift/build-xcframework.sh (PROFILE=debug unless set: the XCFramework with the
#   cargo feature `testing`, which the tests need) + the generated CognitoAuth.swift.
# Linux: bindings/generate.sh (libcognito_auth_ffi.so with `testing`, and the generated Swift and
#   header), the generated CognitoAuth.swift copied to Sources/CognitoAuth/ and CognitoAuthFFI.h to
#   Linux/CognitoAuthFFI/ (next to its module map), and COGNITO_AUTH_FFI_LIB_DIR set so that
#   Package.swift uses the system-library form of CognitoAuthFFI.
# Both: starts the MiniStack fixture (the test kit's `ministack-fixture` binary, built through
#   bindings/testing/ministack-fixture.sh: a pool, an app client and a user with TOTP MFA on
#   127.0.0.1) for the end-to-end test, always stopped on exit, then
#   COGNITO_AUTH_FIXTURE=<fixture.json> swift test --package-path bindings/swift
#
# Without the fixture (plain `swift test`), the end-to-end test is skipped with an XCTSkip that says so.
# This project's CI machines have no Swift toolchain: there bindings/swift/check.sh checks all this
# statically, and this script exits 2 saying so.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PKG=$ROOT/bindings/swift

if ! command -v swift >/dev/null; then
  echo "run-tests.sh: 'swift' is not on PATH (macOS: install Xcode; Linux: a Swift 6 toolchain). Nothing was run." >&2
  echo "  What can be checked without it is: bash bindings/swift/check.sh" >&2
  exit 2
fi

case "$(uname -s)" in
Darwin)
  PROFILE=${PROFILE:-debug} bash "$ROOT/bindings/swift/build-xcframework.sh"
  ;;
Linux)
  TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
  case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
  bash "$ROOT/bindings/generate.sh" >/dev/null
  cp "$TARGET/bindings/swift/CognitoAuth.swift" "$PKG/Sources/CognitoAuth/CognitoAuth.swift"
  cp "$TARGET/bindings/swift/CognitoAuthFFI.h" "$PKG/Linux/CognitoAuthFFI/CognitoAuthFFI.h"
  export COGNITO_AUTH_FFI_LIB_DIR="$TARGET/debug"
  [ -f "$COGNITO_AUTH_FFI_LIB_DIR/libcognito_auth_ffi.so" ] ||
    { echo "run-tests.sh: no $COGNITO_AUTH_FFI_LIB_DIR/libcognito_auth_ffi.so" >&2; exit 1; }
  export LD_LIBRARY_PATH="$COGNITO_AUTH_FFI_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  ;;
*)
  echo "run-tests.sh: macOS or Linux only, not $(uname -s)" >&2
  exit 2
  ;;
esac

FIXTURE=${MINISTACK_FIXTURE_BIN:-$(bash "$ROOT/bindings/testing/ministack-fixture.sh" --build)}
STATE=$(mktemp -d "${TMPDIR:-/tmp}/swift-ministack.XXXXXX")
cleanup() {
  "$FIXTURE" stop --state "$STATE" || true
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
MINISTACK_BIN="${MINISTACK_BIN:-$(bash "$ROOT/scripts/ensure-tool.sh" ministack)}"
export MINISTACK_BIN
"$FIXTURE" start --state "$STATE" --owner-pid $$

RUST_BACKTRACE=0 COGNITO_AUTH_FIXTURE="$STATE/fixture.json" swift test --package-path "$PKG"
