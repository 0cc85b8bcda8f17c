#!/usr/bin/env bash
# Static checks of the Swift bindings and package: what can be checked without a Swift toolchain
# (none exists for this project's Linux machines). The XCTests themselves are NOT run here; they
# run on a Mac with bindings/swift/run-tests.sh.
#
#   bash bindings/swift/check.sh
#
# 1. syntax: tree-sitter-swift parses the generated CognitoAuth.swift, Package.swift, the ready
#    client (Sources/CognitoAuth/*.swift beside the generated file), every test file and the
#    Swift snippets of README.md, bindings/README.md and Sources/CognitoAuth/README.md with no
#    ERROR or MISSING node (bindings/tools/ts_syntax_check.py);
# 2. the generated C header CognitoAuthFFI.h compiles (gcc -fsyntax-only -std=c11 -pedantic
#    -Werror, clang's nullability qualifiers defined away);
# 3. package layout: the binary target, the modulemap and the generated `import` agree on the
#    module name CognitoAuthFFI, and the paths Package.swift names exist;
# 4. ABI: every uniffi_*/ffi_* symbol the Swift and the header use is exported by
#    libcognito_auth_ffi.so, and the contract version and every API checksum the Swift expects
#    equal what the library returns (called with ctypes) (bindings/tools/abi_check.py);
# 5. the Linux form (Linux/CognitoAuthFFI/module.modulemap, COGNITO_AUTH_FFI_LIB_DIR in Package.swift
#    and run-tests.sh, FoundationNetworking where URLSession is used) and the release form
#    (release.sh writes a parseable url + checksum binaryTarget into a copy of Package.swift);
# 6. the ready client uses only names that exist in the generated Swift, the client itself or
#    bindings/tools/known-names-swift.txt; the tests and the README snippets the same, the
#    client's names included (bindings/tools/api_crosscheck.py);
# 7. every call the client, the tests and the snippets make to a function, method, initialiser
#    or enum case declared in the generated Swift or the client has argument labels that fit
#    that declaration (bindings/tools/swift_call_check.py), and the client keeps its contract:
#    an actor, refreshFailedToSend on the failure paths, the Keychain store behind
#    `#if canImport(Security)` with this-device-only accessibility; the hosted-UI entry points
#    (beginWebUiSignIn -> URL with the pending state in the store, finishWebUiSignIn(redirect:)
#    exchanging through the Transport into UserSession.fromTokens, signInWithWebUi(options:open:),
#    the ASWebAuthenticationSession adapter documented, not imported) and credentials(...) with
#    one request round awaited by concurrent callers and requestFailedToSend on failure.
# Ends with `swift-checks: N passed, M failed` (exit status 1 if any failed).
#
# Runs bindings/generate.sh first if the generated files or the library are missing.
# Environment: CARGO_TARGET_DIR (default target/), COGNITO_BINDINGS_DIR (default
# $CARGO_TARGET_DIR/bindings).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
BINDINGS=${COGNITO_BINDINGS_DIR:-$TARGET/bindings}
LIB=$TARGET/debug/libcognito_auth_ffi.so
GEN=$BINDINGS/swift
SWIFT=$GEN/CognitoAuth.swift
HEADER=$GEN/CognitoAuthFFI.h
MODULEMAP=$GEN/CognitoAuthFFI.modulemap
PKG=$ROOT/bindings/swift
TOOLS=$ROOT/bindings/tools
# shellcheck source=/dev/null # bindings/tools/checklib.sh
source "$TOOLS/checklib.sh"

if [ ! -f "$SWIFT" ] || [ ! -f "$HEADER" ] || [ ! -f "$MODULEMAP" ] || [ ! -f "$LIB" ]; then
  bash "$ROOT/bindings/generate.sh" >/dev/null
fi
for file in "$SWIFT" "$HEADER" "$MODULEMAP" "$LIB"; do
  [ -f "$file" ] || { echo "swift/check.sh: bindings/generate.sh did not produce $file" >&2; exit 1; }
done
PY=$(bash "$TOOLS/ensure-venv.sh")
mapfile -t TESTS < <(find "$PKG/Tests/CognitoAuthTests" -name '*.swift' | LC_ALL=C sort)
[ "${#TESTS[@]}" -gt 0 ] || { echo "swift/check.sh: no tests under $PKG/Tests/CognitoAuthTests" >&2; exit 1; }
# The hand-written ready client; CognitoAuth.swift beside it is the generated file, copied there
# (git-ignored) by build-xcframework.sh / run-tests.sh.
mapfile -t CLIENT < <(find "$PKG/Sources/CognitoAuth" -name '*.swift' ! -name CognitoAuth.swift | LC_ALL=C sort)
[ "${#CLIENT[@]}" -gt 0 ] || { echo "swift/check.sh: no client under $PKG/Sources/CognitoAuth" >&2; exit 1; }
SNIPPETS_DIR=$(mktemp -d)
trap 'rm -rf "$SNIPPETS_DIR"' EXIT
SNIPPETS=()
for doc in bindings/README.md README.md bindings/swift/Sources/CognitoAuth/README.md; do
  before=${#SNIPPETS[@]}
  mapfile -t -O "$before" SNIPPETS < <("$PY" "$TOOLS/md_snippets.py" "$ROOT/$doc" swift "$SNIPPETS_DIR/${doc//\//_}")
  [ "${#SNIPPETS[@]}" -gt "$before" ] || { echo "swift/check.sh: no swift snippet in $doc" >&2; exit 1; }
done

counted "syntax (tree-sitter-swift): generated CognitoAuth.swift, Package.swift, ${#CLIENT[@]} client file(s), ${#TESTS[@]} test file(s), ${#SNIPPETS[@]} README snippet(s)" \
  "$PY" "$TOOLS/ts_syntax_check.py" "$SWIFT" "$PKG/Package.swift" "${CLIENT[@]}" "${TESTS[@]}" "${SNIPPETS[@]}"

header_compiles() {
  local dir
  dir=$(dirname "$HEADER")
  printf '#include "%s"\n' "$(basename "$HEADER")" |
    gcc -fsyntax-only -std=c11 -pedantic -Wall -Wextra -Werror \
      -D_Nullable= -D_Nonnull= -D_Null_unspecified= -I "$dir" -x c -
}
single "C header CognitoAuthFFI.h compiles (gcc -std=c11 -pedantic -Werror)" header_compiles

package_layout() {
  local ok=0
  grep -q '^module CognitoAuthFFI {' "$MODULEMAP" || { echo "$MODULEMAP does not declare module CognitoAuthFFI"; ok=1; }
  grep -q 'header "CognitoAuthFFI.h"' "$MODULEMAP" || { echo "$MODULEMAP does not name CognitoAuthFFI.h"; ok=1; }
  grep -q '^#if canImport(CognitoAuthFFI)$' "$SWIFT" || { echo "$SWIFT does not import CognitoAuthFFI"; ok=1; }
  grep -q 'name: "CognitoAuthFFI",' "$PKG/Package.swift" || { echo "Package.swift has no binary target CognitoAuthFFI"; ok=1; }
  grep -q 'path: "build/CognitoAuthFFI.xcframework"' "$PKG/Package.swift" || { echo "Package.swift: XCFramework path differs from build-xcframework.sh"; ok=1; }
  # shellcheck disable=SC2016 # a literal line of build-xcframework.sh
  grep -qF 'XCF=$OUT/CognitoAuthFFI.xcframework' "$PKG/build-xcframework.sh" || { echo "build-xcframework.sh: XCFramework path differs from Package.swift"; ok=1; }
  for dir in Sources/CognitoAuth Tests/CognitoAuthTests; do
    grep -q "path: \"$dir\"" "$PKG/Package.swift" || { echo "Package.swift does not use $dir"; ok=1; }
    [ -d "$PKG/$dir" ] || { echo "bindings/swift/$dir is missing"; ok=1; }
  done
  grep -q '^import CognitoAuth$\|^@testable import CognitoAuth$' "${TESTS[@]}" || { echo "no test imports CognitoAuth"; ok=1; }
  return $ok
}
single "package layout: module CognitoAuthFFI in modulemap, generated import and Package.swift" package_layout

# Linux form (Package.swift with COGNITO_AUTH_FFI_LIB_DIR) and release form (release.sh).
linux_and_release_forms() {
  local ok=0 modulemap=$PKG/Linux/CognitoAuthFFI/module.modulemap tmp sum file
  grep -q '^module CognitoAuthFFI {' "$modulemap" || { echo "$modulemap does not declare module CognitoAuthFFI"; ok=1; }
  grep -q 'header "CognitoAuthFFI.h"' "$modulemap" || { echo "$modulemap does not name CognitoAuthFFI.h"; ok=1; }
  grep -q 'link "cognito_auth_ffi"' "$modulemap" || { echo "$modulemap does not link cognito_auth_ffi"; ok=1; }
  grep -qF 'Context.environment["COGNITO_AUTH_FFI_LIB_DIR"]' "$PKG/Package.swift" || { echo "Package.swift does not read COGNITO_AUTH_FFI_LIB_DIR"; ok=1; }
  grep -qF '.systemLibrary(name: "CognitoAuthFFI", path: "Linux/CognitoAuthFFI")' "$PKG/Package.swift" || { echo "Package.swift has no Linux system-library target"; ok=1; }
  grep -qF 'export COGNITO_AUTH_FFI_LIB_DIR=' "$PKG/run-tests.sh" || { echo "run-tests.sh does not set COGNITO_AUTH_FFI_LIB_DIR"; ok=1; }
  grep -qF '"$PKG/Linux/CognitoAuthFFI/CognitoAuthFFI.h"' "$PKG/run-tests.sh" || { echo "run-tests.sh does not put the header next to the Linux module map"; ok=1; }
  bash -n "$PKG/run-tests.sh" || { echo "run-tests.sh: bash syntax error"; ok=1; }
  # URLSession is in FoundationNetworking on Linux.
  for file in "${CLIENT[@]}" "${TESTS[@]}"; do
    if grep -q 'URLSession\.\|URLSession(' "$file" && ! grep -q '^import FoundationNetworking$' "$file"; then
      echo "$file uses URLSession without '#if canImport(FoundationNetworking) import FoundationNetworking'"; ok=1
    fi
  done
  # release.sh on a copy: the url/checksum form is written, parses, and carries the zip's SHA-256.
  tmp=$(mktemp -d)
  cp "$PKG/Package.swift" "$tmp/Package.swift"
  printf 'not a real xcframework zip\n' >"$tmp/CognitoAuthFFI.xcframework.zip"
  sum=$(sha256sum "$tmp/CognitoAuthFFI.xcframework.zip" | cut -d' ' -f1)
  if ! PACKAGE_SWIFT="$tmp/Package.swift" bash "$PKG/release.sh" \
      https://example.invalid/releases/CognitoAuthFFI.xcframework.zip "$tmp/CognitoAuthFFI.xcframework.zip" >/dev/null; then
    echo "release.sh failed"; ok=1
  fi
  grep -qF "(url: \"https://example.invalid/releases/CognitoAuthFFI.xcframework.zip\", checksum: \"$sum\")" "$tmp/Package.swift" ||
    { echo "release.sh did not write the url and checksum"; ok=1; }
  "$PY" "$TOOLS/ts_syntax_check.py" "$tmp/Package.swift" >/dev/null || { echo "the released Package.swift does not parse"; ok=1; }
  rm -rf "$tmp"
  return $ok
}
single "Linux form (system library + COGNITO_AUTH_FFI_LIB_DIR, FoundationNetworking) and release form (release.sh url + checksum)" linux_and_release_forms

counted "ABI: symbols, contract version and checksums of CognitoAuth.swift + header vs libcognito_auth_ffi.so" \
  "$PY" "$TOOLS/abi_check.py" --lib "$LIB" --bindings "$SWIFT" --header "$HEADER"

counted "API names used by the ready client exist in the generated Swift (or the client, or the platform)" \
  "$PY" "$TOOLS/api_crosscheck.py" --generated "$SWIFT" --known "$TOOLS/known-names-swift.txt" "${CLIENT[@]}"

GENERATED_AND_CLIENT=(--generated "$SWIFT")
for file in "${CLIENT[@]}"; do GENERATED_AND_CLIENT+=(--generated "$file"); done
counted "API names used by the tests and the README snippets exist in the generated Swift or the client" \
  "$PY" "$TOOLS/api_crosscheck.py" "${GENERATED_AND_CLIENT[@]}" --known "$TOOLS/known-names-swift.txt" "${TESTS[@]}" "${SNIPPETS[@]}"

counted "argument labels of every call into the generated Swift or the client fit a declaration" \
  "$PY" "$TOOLS/swift_call_check.py" --generated "$SWIFT" --known-calls "$TOOLS/known-calls-swift.txt" \
  "${CLIENT[@]}" "${TESTS[@]}" "${SNIPPETS[@]}"

# What the ready client promises (issue 16), read from its source.
client_contract() {
  local ok=0 client=$PKG/Sources/CognitoAuth/CognitoAuthClient.swift keychain=$PKG/Sources/CognitoAuth/KeychainSessionStore.swift
  grep -q '^public actor CognitoAuthClient {' "$client" || { echo "CognitoAuthClient is not a public actor"; ok=1; }
  grep -q '^public protocol Transport: Sendable {' "$client" || { echo "no Sendable Transport protocol"; ok=1; }
  grep -q '^public protocol SessionStore: Sendable {' "$client" || { echo "no Sendable SessionStore protocol"; ok=1; }
  grep -q 'AsyncStream<SessionEvent>' "$client" || { echo "no AsyncStream of SessionEvent"; ok=1; }
  # refreshFailedToSend: on the send failure path of the refresh (cancellation included).
  [ "$(grep -c 'refreshFailedToSend()' "$client")" -ge 1 ] || { echo "the client never calls refreshFailedToSend"; ok=1; }
  grep -q 'withTaskCancellationHandler' "$client" || { echo "a cancelled caller does not cancel the refresh"; ok=1; }
  [ "$(head -n 3 "$keychain" | grep -c '^#if canImport(Security)$')" -eq 1 ] && [ "$(tail -n 1 "$keychain")" = "#endif" ] ||
    { echo "$keychain is not wholly inside #if canImport(Security)"; ok=1; }
  grep -q 'kSecClassGenericPassword' "$keychain" || { echo "the Keychain item is not a generic password"; ok=1; }
  [ "$(grep -v '^ *//' "$keychain" | grep -c 'kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly')" -eq 2 ] ||
    { echo "the Keychain item is not AfterFirstUnlockThisDeviceOnly on both update and add"; ok=1; }
  if grep -n 'kSecAttrAccessible[A-Za-z]*' -o "$keychain" | grep -v 'kSecAttrAccessible$\|AfterFirstUnlockThisDeviceOnly$'; then
    echo "another Keychain accessibility is used (above)"; ok=1
  fi
  return $ok
}
single "ready client: an actor, Sendable Transport and SessionStore, AsyncStream, refreshFailedToSend, Keychain item this-device-only" client_contract

# What the hosted-UI and identity-pool entry points promise (issue 17), read from the source.
web_ui_and_credentials_contract() {
  local ok=0 client=$PKG/Sources/CognitoAuth/CognitoAuthClient.swift keychain=$PKG/Sources/CognitoAuth/KeychainSessionStore.swift
  local code
  code=$(grep -v '^ *//' "$client")
  grep -qF 'public func beginWebUiSignIn(options: HostedUiOptions) throws -> URL {' "$client" || { echo "no beginWebUiSignIn(options:) -> URL"; ok=1; }
  grep -qF 'public func finishWebUiSignIn(redirect: URL) async throws -> SessionStatus {' "$client" || { echo "no finishWebUiSignIn(redirect: URL)"; ok=1; }
  grep -qF 'open: @Sendable (URL) async throws -> URL' "$client" || { echo "signInWithWebUi does not take open: (URL) async throws -> URL"; ok=1; }
  # The pending state lives in the store (a sibling item), not only in memory.
  grep -qF 'store.sibling("hosted-ui")' <<<"$code" || { echo "the pending hosted-UI state is not kept in the SessionStore"; ok=1; }
  grep -qF 'pendingWebUiStore.save(authorization.pending)' <<<"$code" || { echo "beginWebUiSignIn does not store the pending state"; ok=1; }
  grep -qF 'try await transport.send(request)' <<<"$code" || { echo "the code exchange does not go through the Transport"; ok=1; }
  grep -qF 'UserSession.fromTokens(' <<<"$code" || { echo "the hosted-UI session is not made with UserSession.fromTokens"; ok=1; }
  grep -qF 'func sibling(_ name: String) -> SessionStore' "$keychain" || { echo "KeychainSessionStore has no sibling(_:)"; ok=1; }
  # The browser adapter is the app's: documented, never imported by the package.
  grep -q '^ *///.*ASWebAuthenticationSession(url: url, callbackURLScheme:' "$client" || { echo "the ASWebAuthenticationSession adapter is not documented in the client"; ok=1; }
  if grep -n '^import AuthenticationServices' "${CLIENT[@]}"; then echo "the package imports AuthenticationServices (above)"; ok=1; fi
  grep -qF 'public func credentials(identityPoolId: String) async throws -> AwsCredentials {' "$client" || { echo "no credentials(identityPoolId:)"; ok=1; }
  grep -qF 'return try await fetch.value' <<<"$code" || { echo "waiting callers do not await the credentials round in flight"; ok=1; }
  grep -qF 'requestFailedToSend()' <<<"$code" || { echo "the client never calls requestFailedToSend"; ok=1; }
  return $ok
}
single "hosted UI and credentials: begin/finish/signInWithWebUi, pending state in the store, exchange through the Transport, fromTokens, adapter documented only, one credentials round awaited" web_ui_and_credentials_contract

echo "NOTE: the XCTests in bindings/swift/Tests/CognitoAuthTests were NOT executed (no Swift toolchain"
echo "      on this machine); only checked statically. Run them on a Mac or on Linux with Swift 6:"
echo "      bash bindings/swift/run-tests.sh"
summary swift-checks
