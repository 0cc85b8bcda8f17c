#!/usr/bin/env bash
# Static checks of the Dart bindings and the Dart/Flutter package: what can be checked without a
# Dart SDK (none can be installed on this project's machines). The Dart tests themselves are NOT
# run here; they run where `dart` exists, with bindings/dart/run-tests.sh.
#
#   bash bindings/dart/check.sh
#
# 1. syntax: tree-sitter-dart parses the generated cognito_auth_ffi.dart, lib/cognito_auth.dart
#    every file under test/ and the Dart snippet of bindings/README.md with no ERROR or MISSING
#    node (bindings/tools/ts_syntax_check.py);
# 2. package: pubspec.yaml (ffiPlugin for android/ios/macos/linux, package:ffi, package:test),
#    the entry point, the platform files and prepare.sh agree; the generator bound every
#    function (bindings/tools/dart_package_check.py);
# 3. ABI: every uniffi_*/ffi_* symbol the Dart looks up is exported by libcognito_auth_ffi.so,
#    and the contract version and every API checksum in `_ensureApiIntegrity` equal what the
#    library returns (called with ctypes) (bindings/tools/abi_check.py);
# 4. the tests and the README snippet use only names that exist in the generated Dart,
#    lib/cognito_auth.dart, the tests themselves or bindings/tools/known-names-dart.txt
#    (bindings/tools/api_crosscheck.py);
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
SNIPPETS_DIR=$(mktemp -d)
trap 'rm -rf "$SNIPPETS_DIR"' EXIT
mapfile -t SNIPPETS < <("$PY" "$TOOLS/md_snippets.py" "$ROOT/bindings/README.md" dart "$SNIPPETS_DIR")
[ "${#SNIPPETS[@]}" -gt 0 ] || { echo "dart/check.sh: no dart snippet in bindings/README.md" >&2; exit 1; }

counted "syntax (tree-sitter-dart): generated cognito_auth_ffi.dart, lib/cognito_auth.dart, ${#TESTS[@]} test file(s), README snippet" \
  "$PY" "$TOOLS/ts_syntax_check.py" "$DART" "$PKG/lib/cognito_auth.dart" "${TESTS[@]}" "${SNIPPETS[@]}"

counted "package: pubspec.yaml, entry point, platform files, every function bound" \
  "$PY" "$TOOLS/dart_package_check.py" --package "$PKG" --generated "$DART"

counted "ABI: symbols, contract version and checksums of cognito_auth_ffi.dart vs libcognito_auth_ffi.so" \
  "$PY" "$TOOLS/abi_check.py" --lib "$LIB" --bindings "$DART"

counted "API names used by the tests and the README snippet exist in the generated Dart" \
  "$PY" "$TOOLS/api_crosscheck.py" --generated "$DART" --generated "$PKG/lib/cognito_auth.dart" \
  --known "$TOOLS/known-names-dart.txt" "${TESTS[@]}" "${SNIPPETS[@]}"

single "redaction: no toString / toJson of a secret-bearing type shows a field" \
  "$PY" "$TOOLS/dart_redact.py" check --library "$LIB" --dart "$DART"

echo "NOTE: the Dart tests in bindings/dart/test were NOT executed (no Dart SDK on this machine);"
echo "      only checked statically. Run them where 'dart' exists: bash bindings/dart/run-tests.sh"
summary dart-checks
