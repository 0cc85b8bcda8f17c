#!/usr/bin/env bash
# Static checks of the Swift bindings and package: what can be checked without a Swift toolchain
# (none exists for this project's Linux machines). The XCTests themselves are NOT run here; they
# run on a Mac with bindings/swift/run-tests.sh.
#
#   bash bindings/swift/check.sh
#
# 1. syntax: tree-sitter-swift parses the generated CognitoAuth.swift, Package.swift, every
#    test file and the Swift snippet of bindings/README.md with no ERROR or MISSING node
#    (bindings/tools/ts_syntax_check.py);
# 2. the generated C header CognitoAuthFFI.h compiles (gcc -fsyntax-only -std=c11 -pedantic
#    -Werror, clang's nullability qualifiers defined away);
# 3. package layout: the binary target, the modulemap and the generated `import` agree on the
#    module name CognitoAuthFFI, and the paths Package.swift names exist;
# 4. ABI: every uniffi_*/ffi_* symbol the Swift and the header use is exported by
#    libcognito_auth_ffi.so, and the contract version and every API checksum the Swift expects
#    equal what the library returns (called with ctypes) (bindings/tools/abi_check.py);
# 5. the tests and the README snippet use only names that exist in the generated Swift, the
#    tests themselves or bindings/tools/known-names-swift.txt (bindings/tools/api_crosscheck.py).
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
SNIPPETS_DIR=$(mktemp -d)
trap 'rm -rf "$SNIPPETS_DIR"' EXIT
mapfile -t SNIPPETS < <("$PY" "$TOOLS/md_snippets.py" "$ROOT/bindings/README.md" swift "$SNIPPETS_DIR")
[ "${#SNIPPETS[@]}" -gt 0 ] || { echo "swift/check.sh: no swift snippet in bindings/README.md" >&2; exit 1; }

counted "syntax (tree-sitter-swift): generated CognitoAuth.swift, Package.swift, ${#TESTS[@]} test file(s), README snippet" \
  "$PY" "$TOOLS/ts_syntax_check.py" "$SWIFT" "$PKG/Package.swift" "${TESTS[@]}" "${SNIPPETS[@]}"

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

counted "ABI: symbols, contract version and checksums of CognitoAuth.swift + header vs libcognito_auth_ffi.so" \
  "$PY" "$TOOLS/abi_check.py" --lib "$LIB" --bindings "$SWIFT" --header "$HEADER"

counted "API names used by the tests and the README snippet exist in the generated Swift" \
  "$PY" "$TOOLS/api_crosscheck.py" --generated "$SWIFT" --known "$TOOLS/known-names-swift.txt" "${TESTS[@]}" "${SNIPPETS[@]}"

echo "NOTE: the XCTests in bindings/swift/Tests/CognitoAuthTests were NOT executed (no Swift toolchain"
echo "      on this machine); only checked statically. Run them on a Mac: bash bindings/swift/run-tests.sh"
summary swift-checks
