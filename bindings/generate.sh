#!/usr/bin/env bash
# The one entry point for generating the foreign bindings of crates/cognito-auth-ffi.
#
#   bash bindings/generate.sh                  # debug build
#   PROFILE=release bash bindings/generate.sh  # release build
#
# Builds the FFI library for tests (with the cargo feature `testing`: the test-only
# constructors) and the generators (crates/uniffi-bindgen), then writes, under
# $CARGO_TARGET_DIR (default: target/) /bindings/:
#   kotlin/cognitoauth/cognito_auth_ffi.kt
#   swift/CognitoAuth.swift, swift/CognitoAuthFFI.h, swift/CognitoAuthFFI.modulemap
#   python/cognito_auth_ffi.py + python/libcognito_auth_ffi.so (ready to import)
#   dart/cognito_auth_ffi.dart
# All generators read the root uniffi.toml. Fails if an expected file is missing or a
# configured name did not make it into the output.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

profile=${PROFILE:-debug}
case "$profile" in
debug) cargo_profile=(--profile dev) ;;
release) cargo_profile=(--release) ;;
*)
    echo "generate.sh: PROFILE must be debug or release, not '$profile'" >&2
    exit 2
    ;;
esac

target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac
lib_dir=$target_dir/$profile
lib=$lib_dir/libcognito_auth_ffi.so
out=$target_dir/bindings
config=$root/uniffi.toml

fail() {
    echo "generate.sh: $*" >&2
    exit 1
}

# The generators read only the library's metadata, so they themselves stay a debug build.
# `testing`: this library is the one the Kotlin, Python, Swift and Dart test suites load, and
# they use the test-only constructors (SignInSession.new_for_testing, ...). Never ship it: apps
# get bindings/mobile-build.sh's library, which has no `*_for_testing` function.
cargo build --quiet --locked -p cognito-auth-ffi --lib --features testing "${cargo_profile[@]}"
cargo build --quiet --locked -p uniffi-bindgen
bindgen_dir=$target_dir/debug
[ -f "$lib" ] || fail "the FFI library was not built: $lib"

rm -rf "$out"
mkdir -p "$out"/{kotlin,swift,python,dart}

# Library mode runs `cargo metadata` to find the crate; --config adds the root uniffi.toml.
"$bindgen_dir/uniffi-bindgen" generate "$lib" --config "$config" --no-format \
    --language kotlin --out-dir "$out/kotlin" >/dev/null
"$bindgen_dir/uniffi-bindgen" generate "$lib" --config "$config" --no-format \
    --language python --out-dir "$out/python" >/dev/null
"$bindgen_dir/uniffi-bindgen-swift" --config "$config" --swift-sources --headers --modulemap \
    --module-name CognitoAuthFFI --modulemap-filename CognitoAuthFFI.modulemap \
    "$lib" "$out/swift" >/dev/null
"$bindgen_dir/uniffi-bindgen-dart" generate "$lib" --config "$config" --no-format \
    --out-dir "$out/dart" >/dev/null
# uniffi-bindgen-dart ignores the redacting Display: give the types that have one a redacted
# toString and a toJson that throws (bindings/tools/dart_redact.py; checked by dart/check.sh).
python3 "$root/bindings/tools/dart_redact.py" rewrite --library "$lib" \
    --dart "$out/dart/cognito_auth_ffi.dart" >/dev/null

cp "$lib" "$out/python/"

# Unknown keys in uniffi.toml are ignored silently: check that the configured names arrived.
expect_file() { [ -s "$1" ] || fail "expected output missing: $1"; }
expect_text() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2' (check uniffi.toml)"; }
kotlin=$out/kotlin/cognitoauth/cognito_auth_ffi.kt
swift=$out/swift/CognitoAuth.swift
header=$out/swift/CognitoAuthFFI.h
modulemap=$out/swift/CognitoAuthFFI.modulemap
python=$out/python/cognito_auth_ffi.py
dart=$out/dart/cognito_auth_ffi.dart
for file in "$kotlin" "$swift" "$header" "$modulemap" "$python" "$out/python/libcognito_auth_ffi.so" "$dart"; do
    expect_file "$file"
done
expect_text "$kotlin" "package cognitoauth"
expect_text "$kotlin" 'return "cognito_auth_ffi"'
expect_text "$swift" "import CognitoAuthFFI"
expect_text "$modulemap" "module CognitoAuthFFI"
expect_text "$modulemap" 'header "CognitoAuthFFI.h"'
expect_text "$python" 'libname.format("cognito_auth_ffi")'
expect_text "$dart" "library cognito_auth;"
expect_text "$dart" "class CognitoAuthFfi"
expect_text "$dart" "libraryName = 'cognito_auth_ffi'"
# uniffi-bindgen-dart 0.2.0 stubs out what it cannot bind (an Option<HashMap> argument, an
# object method returning String, ...) and the stub throws at run time: keep the API free of them.
if grep -nE "UnimplementedError|not implemented yet" "$dart" >&2; then
    fail "$dart has unbound functions (above): change the API so the Dart generator binds them"
fi

echo "bindings ($profile) from $lib:"
echo "  kotlin  $kotlin"
echo "  swift   $swift"
echo "          $header"
echo "          $modulemap"
echo "  python  $python (+ libcognito_auth_ffi.so next to it)"
echo "  dart    $dart"
