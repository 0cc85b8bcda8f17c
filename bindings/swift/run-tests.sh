#!/usr/bin/env bash
# Runs the XCTests of the Swift package on a Mac (it cannot run anywhere else: no Swift
# toolchain exists for the Linux machines this project's CI uses; there, bindings/swift/check.sh
# does the static checks).
#
#   bash bindings/swift/run-tests.sh
#
# 1. bindings/swift/build-xcframework.sh (PROFILE=debug unless set): the XCFramework + the
#    generated CognitoAuth.swift;
# 2. starts the MiniStack fixture (bindings/testing/ministack_fixture.py: a pool, an app client and
#    a user with TOTP MFA on 127.0.0.1) for the end-to-end test, always stopped on exit;
# 3. COGNITO_AUTH_FIXTURE=<fixture.json> swift test --package-path bindings/swift
#
# Without step 2 (plain `swift test`), the end-to-end test is skipped with an XCTSkip that says so.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

if [ "$(uname -s)" != Darwin ]; then
  echo "run-tests.sh: the Swift tests need macOS with Xcode; this is $(uname -s). Nothing was run." >&2
  echo "  What can be checked here is: bash bindings/swift/check.sh" >&2
  exit 2
fi
command -v swift >/dev/null || { echo "run-tests.sh: 'swift' is not on PATH (install Xcode)" >&2; exit 1; }

PROFILE=${PROFILE:-debug} bash "$ROOT/bindings/swift/build-xcframework.sh"

STATE=$(mktemp -d "${TMPDIR:-/tmp}/swift-ministack.XXXXXX")
cleanup() {
  python3 "$ROOT/bindings/testing/ministack_fixture.py" stop --state "$STATE" || true
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
python3 "$ROOT/bindings/testing/ministack_fixture.py" start --state "$STATE" --owner-pid $$

RUST_BACKTRACE=0 COGNITO_AUTH_FIXTURE="$STATE/fixture.json" swift test --package-path "$ROOT/bindings/swift"
