#!/usr/bin/env bash
# The JVM jar tested the way a user gets it: bindings/kotlin/consumer/SignIn.kt is compiled
# against the jar alone (+ the dependency jars its POM lists: JNA, kotlin-stdlib,
# kotlinx-coroutines-core-jvm for the ready client), then run with
# only those on the classpath and no jna.library.path, so the generated sources and the cargo
# output are out of reach and JNA must load the library from the jar's linux-x86-64/ resource.
# It signs in against a MiniStack fixture (the test kit's `ministack-fixture` binary, built through
# bindings/testing/ministack-fixture.sh: a pool with a public app client and a TOTP-enrolled
# user, always stopped on exit).
#
#   bash bindings/kotlin/test-jar.sh          # builds the jar first (bindings/kotlin/build-jar.sh)
#
# Ends with the consumer's `N passed, M failed`; exits non-zero on a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

fail() { echo "bindings/kotlin/test-jar.sh: $*" >&2; exit 1; }

FIXTURE=${MINISTACK_FIXTURE_BIN:-$(bash "$ROOT/bindings/testing/ministack-fixture.sh" --build)}
build_log=$(mktemp)
STATE=$(mktemp -d "${TMPDIR:-/tmp}/jar-consumer.XXXXXX")
java_pid=
cleanup() {
    if [ -n "$java_pid" ]; then kill "$java_pid" 2>/dev/null || true; fi
    "$FIXTURE" stop --state "$STATE/fixture" || true
    rm -rf "$STATE" "$build_log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash bindings/kotlin/build-jar.sh | tee "$build_log"
JAR=$(sed -n 's/^jar: //p' "$build_log")
DEPS=$(sed -n 's/^classpath: //p' "$build_log")
[ -f "$JAR" ] || fail "build-jar.sh named no jar"

# kotlinc is the one build-jar.sh installed.
KOTLINC="$HOME/.cache/cognito-auth/kotlin-compiler-2.4.20/bin/kotlinc"
[ -x "$KOTLINC" ] || fail "no kotlinc at $KOTLINC"
mkdir -p "$STATE/consumer"
cp "$JAR" "$STATE/consumer/"
jar_copy="$STATE/consumer/$(basename "$JAR")"
"$KOTLINC" -nowarn -jvm-target 17 -cp "$jar_copy${DEPS:+:$DEPS}" \
    "$ROOT/bindings/kotlin/consumer/SignIn.kt" -d "$STATE/consumer/consumer.jar" 2>"$STATE/kotlinc.log" ||
    { cat "$STATE/kotlinc.log" >&2; fail "the consumer does not compile against the jar"; }

MINISTACK_BIN="${MINISTACK_BIN:-$(bash "$ROOT/scripts/ensure-tool.sh" ministack)}"
export MINISTACK_BIN
"$FIXTURE" start --state "$STATE/fixture" --owner-pid $$

# From an empty directory, with nothing but the jars on the classpath.
mkdir -p "$STATE/run"
cd "$STATE/run"
RUST_BACKTRACE=0 java -cp "$jar_copy${DEPS:+:$DEPS}:$STATE/consumer/consumer.jar" SignInKt "$STATE/fixture/fixture.json" &
java_pid=$!
wait "$java_pid"
