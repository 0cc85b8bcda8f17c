#!/usr/bin/env bash
# The Kotlin/JVM tests of the UniFFI bindings (issue 6):
#
#   bash bindings/kotlin/run-tests.sh
#
# 1. Installs on first use, cached under ~/.cache/cognito-auth/ (idempotent):
#    kotlinc 2.4.20 from `npm pack kotlin-compiler@2.4.20` (its lib/ has kotlin-test.jar), and
#    JNA from Debian `libjna-java` (/usr/share/java/jna.jar) via apt-get (sudo if not root).
# 2. Runs bindings/generate.sh when the generated Kotlin or the library is missing, or older than
#    crates/cognito-auth-ffi, crates/cognito-auth-core/src or uniffi.toml.
# 3. Compiles the generated cognito_auth_ffi.kt, the shipped client (bindings/kotlin/src/main/kotlin,
#    io.cognitoauth.client, against kotlinc's kotlinx-coroutines-core-jvm.jar) and the tests with
#    kotlinc. The jars are cached by content hash (bindings: ~/.cache/cognito-auth/kotlin-bindings-jars/;
#    client and tests: $CARGO_TARGET_DIR/kotlin-tests/), so an unchanged rerun compiles nothing.
#    The README's Kotlin example is compiled against the client too (a failure stops the run).
# 4. Starts two MiniStack fixtures (the test kit's `ministack-fixture` binary, built through
#    bindings/testing/ministack-fixture.sh: a public app client and one with a client secret), runs the tests on the JVM against libcognito_auth_ffi.so through
#    JNA, and always stops the fixtures (EXIT/INT/TERM traps; a watcher also stops them if this
#    script is SIGKILLed).
# 5. The harness prints `ok`/`FAIL` per test, the suite's wall time, and last `N passed, M failed`;
#    the exit status is 1 if any test failed.
#
# Tests: bindings/kotlin/src/test/kotlin/cognitoauth/test/*.kt (package cognitoauth.test, main
# class cognitoauth.test.MainKt; Main.kt lists the groups). No JUnit: Harness.kt runs each test on
# a daemon thread with a 60 s deadline and uses kotlin.test assertions. ClientTests.kt drives the
# shipped client (io.cognitoauth.client) against the public fixture through CountingProxy.kt, a
# com.sun.net.httpserver proxy on 127.0.0.1 that counts what reaches MiniStack by X-Amz-Target.
# WebUiTests.kt drives the client's hosted UI (a java.net.http "browser": GET authorize, POST
# /login, the 302) and identity-pool credentials against a pool it provisions in the public
# fixture's MiniStack (no extra server). Known-answer data is read
# from crates/cognito-auth-core/tests/data (the same files the Rust tests use).
#
# Environment: CARGO_TARGET_DIR (where generate.sh puts the library and bindings; default
# target/), PROFILE (debug|release, as generate.sh), COGNITO_BINDINGS_DIR (override of
# $CARGO_TARGET_DIR/bindings), MINISTACK_BIN (else scripts/ensure-tool.sh ministack).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
suite_started_ms=$(date +%s%3N)

# shellcheck source=bindings/kotlin/tools.sh
source "$ROOT/bindings/kotlin/tools.sh"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BINDINGS="${COGNITO_BINDINGS_DIR:-$TARGET/bindings}"
KT_FILE="$BINDINGS/kotlin/cognitoauth/cognito_auth_ffi.kt"
PROFILE="${PROFILE:-debug}" # as bindings/generate.sh
LIB_DIR="$TARGET/$PROFILE"
LIB="$LIB_DIR/libcognito_auth_ffi.so"
TEST_SRC="$ROOT/bindings/kotlin/src/test/kotlin"
CLIENT_SRC="$ROOT/bindings/kotlin/src/main/kotlin"
BUILD="$TARGET/kotlin-tests"
MAIN_CLASS=cognitoauth.test.MainKt

fail() { echo "bindings/kotlin/run-tests.sh: $*" >&2; exit 1; }
quietly() { # runs "$@" and shows its output only if it fails
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "failed: $*"
  fi
  rm -f "$log"
}

# ---- tools ---------------------------------------------------------------------------------
ensure_kotlin_tools
for jar in kotlin-stdlib.jar kotlin-test.jar kotlinx-coroutines-core-jvm.jar; do
  [ -f "$KLIB/$jar" ] || fail "$KLIB/$jar is missing (broken kotlin-compiler install? remove $KOTLIN_HOME)"
done
COROUTINES="$KLIB/kotlinx-coroutines-core-jvm.jar"

# ---- generated bindings --------------------------------------------------------------------
# Regenerated when missing or older than the sources it comes from (a stale .kt against a newer
# library fails UniFFI's checksum check at load time, which is a confusing way to find out).
if [ ! -f "$KT_FILE" ] || [ ! -f "$LIB" ] ||
  [ -n "$(find "$ROOT/crates/cognito-auth-ffi" "$ROOT/crates/cognito-auth-core/src" "$ROOT/uniffi.toml" \
    -newer "$KT_FILE" -print -quit 2>/dev/null)" ]; then
  quietly bash "$ROOT/bindings/generate.sh"
fi
[ -f "$KT_FILE" ] || fail "bindings/generate.sh did not produce $KT_FILE"
[ -f "$LIB" ] || fail "bindings/generate.sh did not produce $LIB"

# ---- compile (cached by content) -----------------------------------------------------------
kotlinc() { "$KOTLIN_HOME/bin/kotlinc" -nowarn -jvm-target 17 "$@"; }
compile_started=$SECONDS
mkdir -p "$BUILD" "$CACHE/kotlin-bindings-jars"
# leftovers of a run killed while compiling
find "$CACHE/kotlin-bindings-jars" "$BUILD" -name '*.tmp.jar' -mmin +30 -delete 2>/dev/null || true
bindings_key=$( (echo "kotlinc $KOTLIN_VERSION"; sha256sum "$KT_FILE" | cut -d' ' -f1) | sha256sum | cut -c1-32)
BINDINGS_JAR="$CACHE/kotlin-bindings-jars/$bindings_key.jar"
if [ ! -f "$BINDINGS_JAR" ]; then
  tmp_jar="$BINDINGS_JAR.$$.tmp.jar"
  quietly kotlinc -cp "$JNA" "$KT_FILE" -d "$tmp_jar"
  mv "$tmp_jar" "$BINDINGS_JAR"
  # keep the cache small: only the five newest bindings jars
  ls -1t "$CACHE/kotlin-bindings-jars/"*.jar | tail -n +6 | xargs -r rm -f
fi
# The shipped client (bindings/kotlin/src/main/kotlin, shared with the Android AAR, and
# src/jvm/kotlin, its java.net.http part; package io.cognitoauth.client; compiled into the jar by
# build-jar.sh): kotlinx-coroutines-core from kotlinc's lib/.
mapfile -t client_sources < <(find "$CLIENT_SRC" "$ROOT/bindings/kotlin/src/jvm/kotlin" -name '*.kt' | LC_ALL=C sort)
[ "${#client_sources[@]}" -gt 0 ] || fail "no Kotlin client sources under $CLIENT_SRC"
client_key=$( (echo "$bindings_key"; sha256sum "${client_sources[@]}") | sha256sum | cut -c1-32)
CLIENT_JAR="$BUILD/client-$client_key.jar"
if [ ! -f "$CLIENT_JAR" ]; then
  rm -f "$BUILD"/client-*.jar
  quietly kotlinc -cp "$BINDINGS_JAR:$JNA:$COROUTINES" "${client_sources[@]}" -d "$CLIENT_JAR.tmp.jar"
  mv "$CLIENT_JAR.tmp.jar" "$CLIENT_JAR"
fi
mapfile -t test_sources < <(find "$TEST_SRC" -name '*.kt' | LC_ALL=C sort)
[ "${#test_sources[@]}" -gt 0 ] || fail "no Kotlin test sources under $TEST_SRC"
tests_key=$( (echo "$client_key"; sha256sum "${test_sources[@]}") | sha256sum | cut -c1-32)
TESTS_JAR="$BUILD/tests-$tests_key.jar"
if [ ! -f "$TESTS_JAR" ]; then
  rm -f "$BUILD"/tests-*.jar
  quietly kotlinc -cp "$CLIENT_JAR:$BINDINGS_JAR:$JNA:$COROUTINES:$KLIB/kotlin-test.jar" "${test_sources[@]}" -d "$TESTS_JAR.tmp.jar"
  mv "$TESTS_JAR.tmp.jar" "$TESTS_JAR"
fi
# The README's Kotlin example (its first ```kotlin block) compiles against the shipped client, with
# `appDir` (the app's directory) declared beside it; cached by content like the jars.
snippet_dir="$BUILD/readme-snippet"
mkdir -p "$snippet_dir"
awk '/^```kotlin$/ { inside = 1; next } /^```$/ { if (inside) exit } inside' "$ROOT/README.md" >"$snippet_dir/ReadmeSnippet.kt"
grep -q 'CognitoAuthClient(' "$snippet_dir/ReadmeSnippet.kt" || fail "README.md has no \`\`\`kotlin block using CognitoAuthClient"
echo 'val appDir = java.io.File(".")' >"$snippet_dir/AppDir.kt"
snippet_key=$( (echo "$client_key"; cat "$snippet_dir/ReadmeSnippet.kt") | sha256sum | cut -c1-32)
if [ ! -f "$snippet_dir/$snippet_key.ok" ]; then
  rm -f "$snippet_dir"/*.ok
  quietly kotlinc -cp "$CLIENT_JAR:$BINDINGS_JAR:$JNA:$COROUTINES" "$snippet_dir/ReadmeSnippet.kt" "$snippet_dir/AppDir.kt" -d "$snippet_dir/classes"
  touch "$snippet_dir/$snippet_key.ok"
fi
compile_secs=$((SECONDS - compile_started))

# ---- MiniStack fixtures (always stopped) ---------------------------------------------------
# Two servers: a public app client, and one with a client secret (SECRET_HASH on every call).
FIXTURE=${MINISTACK_FIXTURE_BIN:-$(bash "$ROOT/bindings/testing/ministack-fixture.sh" --build)}
STATE=$(mktemp -d "${TMPDIR:-/tmp}/kotlin-ministack.XXXXXX")
java_pid=
cleanup() {
  if [ -n "$java_pid" ]; then kill "$java_pid" 2>/dev/null || true; fi
  "$FIXTURE" stop --state "$STATE/public" || true
  "$FIXTURE" stop --state "$STATE/secret" || true
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fixture_started_ms=$(date +%s%3N)
MINISTACK_BIN="${MINISTACK_BIN:-$(bash "$ROOT/scripts/ensure-tool.sh" ministack)}"
export MINISTACK_BIN
"$FIXTURE" start --state "$STATE/public" --owner-pid $$
"$FIXTURE" start --state "$STATE/secret" --client-secret --owner-pid $$
fixture_ms=$(($(date +%s%3N) - fixture_started_ms))

# ---- run -----------------------------------------------------------------------------------
# The harness prints one ok/FAIL line per test, the wall time since suite_started_ms, and
# `N passed, M failed` last; it exits 1 on any failure.
RUST_BACKTRACE=0 java \
  -Djna.library.path="$LIB_DIR" \
  -Dcognitoauth.fixture="$STATE/public/fixture.json" \
  -Dcognitoauth.fixture.secret="$STATE/secret/fixture.json" \
  -Dcognitoauth.core.testdata="$ROOT/crates/cognito-auth-core/tests/data" \
  -Dcognitoauth.suite.started.ms="$suite_started_ms" \
  -Dcognitoauth.compile.secs="$compile_secs" \
  -Dcognitoauth.fixture.secs="$((fixture_ms / 1000)).$(((fixture_ms % 1000) / 100))" \
  -cp "$TESTS_JAR:$CLIENT_JAR:$BINDINGS_JAR:$JNA:$COROUTINES:$KLIB/kotlin-stdlib.jar:$KLIB/kotlin-test.jar" \
  "$MAIN_CLASS" &
java_pid=$!
# In the background so that INT/TERM reach the traps at once; the status is the harness's.
wait "$java_pid"
