#!/usr/bin/env bash
# Static checks of the Dart bindings and the Dart/Flutter package: what can be checked without a
# Dart SDK (none can be installed on this project's machines). The Dart tests themselves are NOT
# run here; they run where `dart` exists, with bindings/dart/run-tests.sh.
#
#   bash bindings/dart/check.sh
#
# 1. syntax: tree-sitter-dart parses the generated cognito_auth_ffi.dart, lib/cognito_auth.dart,
#    the ready client (lib/src/*.dart), every file under test/ and the Dart snippets of README.md,
#    bindings/README.md and bindings/dart/README.md with no ERROR or MISSING node
#    (bindings/tools/ts_syntax_check.py);
# 2. package: pubspec.yaml (ffiPlugin for android/ios/macos/linux, package:ffi, package:test),
#    the entry point, the platform files and prepare.sh agree; the generator bound every
#    function (bindings/tools/dart_package_check.py);
# 3. ABI: every uniffi_*/ffi_* symbol the Dart looks up is exported by libcognito_auth_ffi.so,
#    and the contract version and every API checksum in `_ensureApiIntegrity` equal what the
#    library returns (called with ctypes) (bindings/tools/abi_check.py);
# 4. the ready client uses only names that exist in the generated Dart, the client itself or
#    bindings/tools/known-names-dart.txt; the tests and the README snippets the same, with
#    lib/cognito_auth.dart and the client's names (bindings/tools/api_crosscheck.py); the client
#    keeps its contract (a broadcast Stream of SessionEvent, a single-flight refresh Future,
#    refreshFailedToSend on the send failure path, an exported SessionStore with an in-memory
#    default and the flutter_secure_storage adapter documented, not depended on; the hosted-UI
#    entry points with the pending state in the store and the flutter_web_auth_2 adapter
#    documented, not depended on; credentials with a single-flight Future); every call
#    the client, the tests and the snippets make to a function, method or constructor declared
#    in the generated Dart or the client passes arguments that fit it: the positional count,
#    the named ones declared, the required named ones given (bindings/tools/dart_call_check.py);
# 5. redaction: every type whose Rust Display redacts (the library exports its
#    `*_uniffi_trait_display`) has a Dart toString that interpolates nothing and a toJson (and,
#    for an enum, a JSON encoder) that throws instead of serialising a secret
#    (bindings/tools/dart_redact.py check).
# Ends with `dart-checks: N passed, M failed` (exit status 1 if any failed).
#
# Runs bindings/generate.sh first if the generated file or the library is missing.
# Environment: CARGO_TARGET_DIR (default target/), COGNITO_BINDINGS_DIR (default
# $CARGO_TARGET_DIR/bindings).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
BINDINGS=${COGNITO_BINDINGS_DIR:-$TARGET/bindings}
LIB=$TARGET/debug/libcognito_auth_ffi.so
DART=$BINDINGS/dart/cognito_auth_ffi.dart
PKG=$ROOT/bindings/dart
TOOLS=$ROOT/bindings/tools
# shellcheck source=/dev/null # bindings/tools/checklib.sh
source "$TOOLS/checklib.sh"

if [ ! -f "$DART" ] || [ ! -f "$LIB" ]; then
  bash "$ROOT/bindings/generate.sh" >/dev/null
fi
for file in "$DART" "$LIB"; do
  [ -f "$file" ] || { echo "dart/check.sh: bindings/generate.sh did not produce $file" >&2; exit 1; }
done
PY=$(bash "$TOOLS/ensure-venv.sh")
mapfile -t TESTS < <(find "$PKG/test" -name '*.dart' | LC_ALL=C sort)
[ "${#TESTS[@]}" -gt 0 ] || { echo "dart/check.sh: no tests under $PKG/test" >&2; exit 1; }
# The hand-written ready client (lib/src/generated/ holds prepare.sh's copy of the bindings).
mapfile -t CLIENT < <(find "$PKG/lib/src" -name '*.dart' -not -path '*/generated/*' | LC_ALL=C sort)
[ "${#CLIENT[@]}" -gt 0 ] || { echo "dart/check.sh: no client under $PKG/lib/src" >&2; exit 1; }
SNIPPETS_DIR=$(mktemp -d)
trap 'rm -rf "$SNIPPETS_DIR"' EXIT
SNIPPETS=()
for doc in bindings/README.md README.md bindings/dart/README.md; do
  before=${#SNIPPETS[@]}
  mapfile -t -O "$before" SNIPPETS < <("$PY" "$TOOLS/md_snippets.py" "$ROOT/$doc" dart "$SNIPPETS_DIR/${doc//\//_}")
  [ "${#SNIPPETS[@]}" -gt "$before" ] || { echo "dart/check.sh: no dart snippet in $doc" >&2; exit 1; }
done

counted "syntax (tree-sitter-dart): generated cognito_auth_ffi.dart, lib/cognito_auth.dart, ${#CLIENT[@]} client file(s), ${#TESTS[@]} test file(s), ${#SNIPPETS[@]} README snippet(s)" \
  "$PY" "$TOOLS/ts_syntax_check.py" "$DART" "$PKG/lib/cognito_auth.dart" "${CLIENT[@]}" "${TESTS[@]}" "${SNIPPETS[@]}"

counted "package: pubspec.yaml, entry point, platform files, every function bound" \
  "$PY" "$TOOLS/dart_package_check.py" --package "$PKG" --generated "$DART"

counted "ABI: symbols, contract version and checksums of cognito_auth_ffi.dart vs libcognito_auth_ffi.so" \
  "$PY" "$TOOLS/abi_check.py" --lib "$LIB" --bindings "$DART"

counted "API names used by the ready client exist in the generated Dart (or the client, or the platform)" \
  "$PY" "$TOOLS/api_crosscheck.py" --generated "$DART" --known "$TOOLS/known-names-dart.txt" "${CLIENT[@]}"

GENERATED_AND_CLIENT=(--generated "$DART" --generated "$PKG/lib/cognito_auth.dart")
for file in "${CLIENT[@]}"; do GENERATED_AND_CLIENT+=(--generated "$file"); done
counted "API names used by the tests and the README snippets exist in the generated Dart or the client" \
  "$PY" "$TOOLS/api_crosscheck.py" "${GENERATED_AND_CLIENT[@]}" \
  --known "$TOOLS/known-names-dart.txt" "${TESTS[@]}" "${SNIPPETS[@]}"

counted "arguments of every call into the generated Dart or the client fit a declaration" \
  "$PY" "$TOOLS/dart_call_check.py" --generated "$DART" --generated "$PKG/lib/cognito_auth.dart" \
  --known-calls "$TOOLS/known-calls-dart.txt" "${CLIENT[@]}" "${TESTS[@]}" "${SNIPPETS[@]}"

# What the ready client promises (issue 16), read from its source.
client_contract() {
  local ok=0 client=$PKG/lib/src/client.dart
  grep -qF "export 'src/client.dart';" "$PKG/lib/cognito_auth.dart" || { echo "lib/cognito_auth.dart does not export the client"; ok=1; }
  grep -q '^class CognitoAuthClient {' "$client" || { echo "no class CognitoAuthClient"; ok=1; }
  grep -qF 'StreamController<SessionEvent>.broadcast()' "$client" || { echo "the events are not a broadcast stream"; ok=1; }
  grep -qF 'Stream<SessionEvent> get events' "$client" || { echo "no Stream<SessionEvent> events"; ok=1; }
  grep -qF 'Future<SessionTokens>? _refreshing;' "$client" || { echo "no pending refresh Future (single flight)"; ok=1; }
  grep -qF 'return await pending;' "$client" || { echo "waiting callers do not await the pending refresh"; ok=1; }
  grep -q 'refreshFailedToSend()' "$client" || { echo "the client never calls refreshFailedToSend"; ok=1; }
  grep -q '^abstract interface class SessionStore {' "$client" || { echo "no SessionStore interface"; ok=1; }
  grep -q '^class InMemorySessionStore implements \(Sibling\)\?SessionStore {' "$client" || { echo "no in-memory SessionStore"; ok=1; }
  grep -q '^abstract interface class Transport {' "$client" || { echo "no Transport interface"; ok=1; }
  grep -qF 'io.HttpClient' "$client" || { echo "the default transport is not dart:io HttpClient"; ok=1; }
  grep -q '^/// class SecureStorageSessionStore implements SiblingSessionStore {' "$client" || { echo "the flutter_secure_storage adapter is not documented in the client"; ok=1; }
  grep -q 'class SecureStorageSessionStore implements SiblingSessionStore {' "$PKG/README.md" || { echo "the flutter_secure_storage adapter is not in bindings/dart/README.md"; ok=1; }
  if grep -q 'flutter_secure_storage' "$PKG/pubspec.yaml"; then echo "pubspec.yaml depends on flutter_secure_storage"; ok=1; fi
  if grep -n "^import 'package:flutter" "${CLIENT[@]}"; then echo "the client imports Flutter (above)"; ok=1; fi
  return $ok
}
single "ready client: exported, broadcast Stream<SessionEvent>, single-flight refresh, refreshFailedToSend, SessionStore + in-memory, HttpClient transport, flutter_secure_storage documented only" client_contract

# What the hosted-UI and identity-pool entry points promise (issue 17), read from the source.
web_ui_and_credentials_contract() {
  local ok=0 client=$PKG/lib/src/client.dart code
  code=$(grep -v '^ *//' "$client")
  grep -qF 'Future<Uri> beginWebUiSignIn(HostedUiOptions options) async {' "$client" || { echo "no beginWebUiSignIn(options) -> Future<Uri>"; ok=1; }
  grep -qF 'Future<SessionStatus> finishWebUiSignIn(Uri redirect) async {' "$client" || { echo "no finishWebUiSignIn(Uri)"; ok=1; }
  grep -qF 'signInWithWebUi(HostedUiOptions options, Future<Uri> Function(Uri url) openBrowser)' "$client" || { echo "signInWithWebUi does not take a Future<Uri> Function(Uri)"; ok=1; }
  grep -qF "_siblingOf(_store, 'hosted-ui')" <<<"$code" || { echo "the pending hosted-UI state is not kept in the SessionStore"; ok=1; }
  grep -qF '_pendingWebUiStore.save(authorization.pending)' <<<"$code" || { echo "beginWebUiSignIn does not store the pending state"; ok=1; }
  grep -qF 'UserSession.fromTokens(' <<<"$code" || { echo "the hosted-UI session is not made with UserSession.fromTokens"; ok=1; }
  grep -q '^abstract interface class SiblingSessionStore implements SessionStore {' "$client" || { echo "no SiblingSessionStore"; ok=1; }
  # The browser adapter is the app's: documented in the client and the README, never a dependency.
  grep -q "^ *///.*FlutterWebAuth2.authenticate(" "$client" || { echo "the flutter_web_auth_2 adapter is not documented in the client"; ok=1; }
  grep -q 'FlutterWebAuth2.authenticate(' "$PKG/README.md" || { echo "the flutter_web_auth_2 adapter is not in bindings/dart/README.md"; ok=1; }
  if grep -q 'flutter_web_auth' "$PKG/pubspec.yaml"; then echo "pubspec.yaml depends on flutter_web_auth(_2)"; ok=1; fi
  grep -qF 'Future<AwsCredentials> credentials(String identityPoolId)' "$client" || { echo "no credentials(identityPoolId)"; ok=1; }
  grep -qF 'Future<AwsCredentials>? fetching;' "$client" || { echo "no credentials round Future (single flight)"; ok=1; }
  grep -qF 'final pending = identity.fetching;' <<<"$code" || { echo "waiting callers do not await the credentials round in flight"; ok=1; }
  grep -qF 'requestFailedToSend()' <<<"$code" || { echo "the client never calls requestFailedToSend"; ok=1; }
  return $ok
}
single "hosted UI and credentials: begin/finish/signInWithWebUi, pending state in the store, fromTokens, flutter_web_auth_2 documented only, single-flight credentials Future" web_ui_and_credentials_contract

single "redaction: no toString / toJson of a secret-bearing type shows a field" \
  "$PY" "$TOOLS/dart_redact.py" check --library "$LIB" --dart "$DART"

echo "NOTE: the Dart tests in bindings/dart/test were NOT executed (no Dart SDK on this machine);"
echo "      only checked statically. Run them where 'dart' exists: bash bindings/dart/run-tests.sh"
summary dart-checks
