#!/usr/bin/env bash
# Fills the Dart/Flutter package with build products (all git-ignored):
#
#   lib/src/generated/cognito_auth_ffi.dart      the generated bindings (required; from
#                                            bindings/generate.sh, which is run if they are missing)
#   linux/lib/libcognito_auth_ffi.so         from target/{release,debug}/ (newest that is not a
#                                            test build), if built
#   android/src/main/jniLibs/<abi>/*.so      from bindings/android/build/jniLibs/, if built
#   ios/Frameworks, macos/Frameworks         CognitoAuthFFI.xcframework from bindings/swift/build/,
#                                            if built (needs a Mac)
#
#   bash bindings/dart/prepare.sh
#
# Prints what it copied and what it skipped. Environment: CARGO_TARGET_DIR (default target/),
# COGNITO_BINDINGS_DIR (default $CARGO_TARGET_DIR/bindings).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PKG=$ROOT/bindings/dart
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BINDINGS=${COGNITO_BINDINGS_DIR:-$TARGET/bindings}
GENERATED=$BINDINGS/dart/cognito_auth_ffi.dart

if [ ! -f "$GENERATED" ]; then
  bash "$ROOT/bindings/generate.sh"
fi
[ -f "$GENERATED" ] || { echo "prepare.sh: bindings/generate.sh did not produce $GENERATED" >&2; exit 1; }
mkdir -p "$PKG/lib/src/generated"
cp "$GENERATED" "$PKG/lib/src/generated/cognito_auth_ffi.dart"
echo "lib/src/generated/cognito_auth_ffi.dart <- $GENERATED"

# The package must not bundle a test build (cargo feature `testing`: bindings/generate.sh
# builds one for the test suites, with the *_for_testing constructors): a candidate that exports
# any is passed over (bindings/tools/check-shipped-symbols.sh). The Dart tests load their own
# library through COGNITO_AUTH_FFI_LIB (run-tests.sh), not this copy.
so=""
for candidate in "$TARGET/release/libcognito_auth_ffi.so" "$TARGET/debug/libcognito_auth_ffi.so"; do
  if [ -f "$candidate" ] && { [ -z "$so" ] || [ "$candidate" -nt "$so" ]; }; then
    if bash "$ROOT/bindings/tools/check-shipped-symbols.sh" "$candidate" >/dev/null 2>&1; then
      so=$candidate
    else
      echo "linux: passed over $candidate (a test build: it exports *_for_testing functions)"
    fi
  fi
done
if [ -n "$so" ]; then
  mkdir -p "$PKG/linux/lib"
  cp "$so" "$PKG/linux/lib/"
  echo "linux/lib/libcognito_auth_ffi.so <- $so"
else
  echo "linux: skipped (no shippable libcognito_auth_ffi.so under $TARGET; cargo build -p cognito-auth-ffi --release)"
fi

JNI=$ROOT/bindings/android/build/jniLibs
if [ -d "$JNI" ]; then
  rm -rf "$PKG/android/src/main/jniLibs"
  cp -R "$JNI" "$PKG/android/src/main/jniLibs"
  echo "android/src/main/jniLibs <- $JNI"
else
  echo "android: skipped (no $JNI; bash bindings/android/build-aar.sh needs the Android NDK)"
fi

XCF=$ROOT/bindings/swift/build/CognitoAuthFFI.xcframework
if [ -d "$XCF" ]; then
  for platform in ios macos; do
    rm -rf "$PKG/$platform/Frameworks"
    mkdir -p "$PKG/$platform/Frameworks"
    cp -R "$XCF" "$PKG/$platform/Frameworks/"
    echo "$platform/Frameworks/CognitoAuthFFI.xcframework <- $XCF"
  done
else
  echo "ios, macos: skipped (no $XCF; bash bindings/swift/build-xcframework.sh needs a Mac)"
fi
