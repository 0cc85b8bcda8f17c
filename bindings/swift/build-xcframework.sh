#!/usr/bin/env bash
# Builds the Swift package's inputs on a Mac with Xcode (it cannot run anywhere else):
#
#   bindings/swift/build/CognitoAuthFFI.xcframework   static libcognito_auth_ffi.a for
#       ios-arm64 (device), ios-arm64_x86_64-simulator, macos-arm64_x86_64, each with the
#       C header CognitoAuthFFI.h and a module.modulemap declaring the Clang module CognitoAuthFFI
#   bindings/swift/Sources/CognitoAuth/CognitoAuth.swift   the generated Swift API
#
#   bash bindings/swift/build-xcframework.sh            # what an app ships (bindings/mobile-build.sh)
#   PROFILE=debug bash bindings/swift/build-xcframework.sh
#   PREBUILT=1 bash bindings/swift/build-xcframework.sh  # package the slices build-apple-slices.sh made
#
# Steps: rustup target add (5 Apple targets) -> cargo build of the static library per target ->
# lipo the simulator and macOS pairs into universal archives -> uniffi-bindgen-swift (Swift
# sources, header, modulemap) from the iOS archive's metadata -> xcodebuild -create-xcframework.
# Then: swift test --package-path bindings/swift (see bindings/swift/run-tests.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

fail() { echo "build-xcframework.sh: $*" >&2; exit 1; }

if [ "$(uname -s)" != Darwin ]; then
  echo "build-xcframework.sh: needs macOS with Xcode (xcodebuild, lipo, the Apple SDKs); this is $(uname -s)." >&2
  echo "  Nothing was built. What can be checked here is: bash bindings/swift/check.sh" >&2
  exit 2
fi
for tool in xcodebuild lipo cargo rustup; do
  command -v "$tool" >/dev/null || fail "'$tool' is not on PATH (install Xcode and its command-line tools, and rustup)"
done
xcodebuild -version >/dev/null 2>&1 || fail "xcodebuild does not work: select a full Xcode with 'sudo xcode-select -s /Applications/Xcode.app'"

# shellcheck source=bindings/mobile-build.sh
source "$ROOT/bindings/mobile-build.sh"
PROFILE=${PROFILE:-mobile}
case "$PROFILE" in
  # The size-first build (profile mobile, std rebuilt without backtrace symbolisation) without
  # the Dart generator's entry points, which Swift does not call.
  mobile) profile_flag=("${MOBILE_CARGO_ARGS[@]}" --no-default-features); mobile_prepare ;;
  release) profile_flag=(--release) ;;
  # The test build (run-tests.sh): Tests/ call SignInSession.newForTesting, which only the
  # cargo feature `testing` exports. Never ship a debug XCFramework.
  debug) profile_flag=(--features testing) ;;
  *) fail "PROFILE must be mobile, release or debug, not '$PROFILE'" ;;
esac
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PKG=$ROOT/bindings/swift
OUT=$PKG/build
LIB=libcognito_auth_ffi.a
XCF=$OUT/CognitoAuthFFI.xcframework

# The minimum OS versions of Package.swift's `platforms`, so the archives link without warnings.
export IPHONEOS_DEPLOYMENT_TARGET=13.0
export MACOSX_DEPLOYMENT_TARGET=11.0

IOS=aarch64-apple-ios
IOS_SIM=(aarch64-apple-ios-sim x86_64-apple-ios)
MACOS=(aarch64-apple-darwin x86_64-apple-darwin)
if [ "${PREBUILT:-0}" != 1 ]; then
  rustup target add "$IOS" "${IOS_SIM[@]}" "${MACOS[@]}" >/dev/null
fi

for target in "$IOS" "${IOS_SIM[@]}" "${MACOS[@]}"; do
  # PREBUILT=1: the archives come from bindings/swift/build-apple-slices.sh (any machine, e.g. a
  # Linux CI job, copied here with the same CARGO_TARGET_DIR layout); this script only packages.
  if [ "${PREBUILT:-0}" = 1 ]; then
    [ -f "$TARGET_DIR/$target/$PROFILE/$LIB" ] || fail "PREBUILT=1 but $TARGET_DIR/$target/$PROFILE/$LIB is missing (bindings/swift/build-apple-slices.sh)"
    continue
  fi
  echo "== cargo build -p cognito-auth-ffi --target $target ($PROFILE)"
  # Only the static library: a staticlib needs no linker for the target, and the cdylib is not shipped.
  cargo rustc -p cognito-auth-ffi --lib --locked "${profile_flag[@]}" --target "$target" --crate-type staticlib
  [ -f "$TARGET_DIR/$target/$PROFILE/$LIB" ] || fail "cargo did not produce $TARGET_DIR/$target/$PROFILE/$LIB"
done

rm -rf "$OUT"
mkdir -p "$OUT/ios" "$OUT/ios-simulator" "$OUT/macos" "$OUT/Headers"
cp "$TARGET_DIR/$IOS/$PROFILE/$LIB" "$OUT/ios/$LIB"
lipo -create "$TARGET_DIR/${IOS_SIM[0]}/$PROFILE/$LIB" "$TARGET_DIR/${IOS_SIM[1]}/$PROFILE/$LIB" -output "$OUT/ios-simulator/$LIB"
lipo -create "$TARGET_DIR/${MACOS[0]}/$PROFILE/$LIB" "$TARGET_DIR/${MACOS[1]}/$PROFILE/$LIB" -output "$OUT/macos/$LIB"

echo "== uniffi-bindgen-swift"
# The metadata is the same in every slice; read it from the device archive. --config is the
# workspace's global binding config (module CognitoAuth, FFI module CognitoAuthFFI).
cargo build -q -p uniffi-bindgen --bin uniffi-bindgen-swift --locked
BINDGEN=$TARGET_DIR/debug/uniffi-bindgen-swift
"$BINDGEN" --swift-sources --config "$ROOT/uniffi.toml" "$OUT/ios/$LIB" "$PKG/Sources/CognitoAuth"
"$BINDGEN" --headers --config "$ROOT/uniffi.toml" "$OUT/ios/$LIB" "$OUT/Headers"
# A plain `module` (not `framework module`): the XCFramework holds -library slices with -headers.
"$BINDGEN" --modulemap --module-name CognitoAuthFFI --modulemap-filename module.modulemap \
  --config "$ROOT/uniffi.toml" "$OUT/ios/$LIB" "$OUT/Headers"
[ -f "$PKG/Sources/CognitoAuth/CognitoAuth.swift" ] || fail "uniffi-bindgen-swift did not write Sources/CognitoAuth/CognitoAuth.swift (check uniffi.toml's module_name)"
[ -f "$OUT/Headers/CognitoAuthFFI.h" ] || fail "uniffi-bindgen-swift did not write Headers/CognitoAuthFFI.h (check uniffi.toml's ffi_module_filename)"
grep -q '^module CognitoAuthFFI ' "$OUT/Headers/module.modulemap" || fail "module.modulemap does not declare module CognitoAuthFFI"

echo "== xcodebuild -create-xcframework"
xcodebuild -create-xcframework \
  -library "$OUT/ios/$LIB" -headers "$OUT/Headers" \
  -library "$OUT/ios-simulator/$LIB" -headers "$OUT/Headers" \
  -library "$OUT/macos/$LIB" -headers "$OUT/Headers" \
  -output "$XCF" >/dev/null
[ -f "$XCF/Info.plist" ] || fail "xcodebuild did not write $XCF"
echo "built $XCF and Sources/CognitoAuth/CognitoAuth.swift; next: swift test --package-path bindings/swift"
