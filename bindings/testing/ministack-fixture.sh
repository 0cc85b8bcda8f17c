#!/usr/bin/env bash
# The MiniStack fixture of the bindings' end-to-end tests: the test kit's `ministack-fixture`
# binary (crates/cognito-auth-testkit/src/bin/ministack-fixture.rs; its documentation describes
# the commands and fixture.json), built by cargo when needed.
#
#   bash bindings/testing/ministack-fixture.sh --build        # builds it, prints its path
#   bash bindings/testing/ministack-fixture.sh start --state DIR [--client-secret] [--owner-pid PID]
#   bash bindings/testing/ministack-fixture.sh stop --state DIR
#   bash bindings/testing/ministack-fixture.sh totp|secret-hash|call|selftest ...
#
# $MINISTACK_FIXTURE_BIN, when set, names the binary and nothing is built (the run-tests scripts
# build it once and export it). Otherwise: `cargo build -p cognito-auth-testkit --bin
# ministack-fixture` into ${CARGO_TARGET_DIR:-target}/debug/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

binary=${MINISTACK_FIXTURE_BIN:-}
if [ -z "$binary" ]; then
  target=${CARGO_TARGET_DIR:-$root/target}
  case "$target" in /*) ;; *) target=$root/$target ;; esac
  (cd "$root" && cargo build --quiet --locked -p cognito-auth-testkit --bin ministack-fixture) >&2
  binary=$target/debug/ministack-fixture
fi
[ -x "$binary" ] || { echo "ministack-fixture.sh: no executable $binary" >&2; exit 1; }

if [ "${1:-}" = "--build" ]; then
  echo "$binary"
  exit 0
fi
exec "$binary" "$@"
