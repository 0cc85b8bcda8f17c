#!/usr/bin/env bash
# Builds the Android library (AAR) of cognito-auth. Needs the Android NDK (ANDROID_NDK_HOME), the
# Android SDK (ANDROID_HOME) and Gradle >= 8.9 on PATH (or Android Studio's), none of which this
# project's CI machines have; there, bindings/android/check.sh checks what can be checked.
#
#   ANDROID_NDK_HOME=~/Android/Sdk/ndk/28.0.13004108 bash bindings/android/build-aar.sh
#
# 1. cargo-ndk 4.1.2 (installed once under ~/.cache/cognito-auth/) builds libcognito_auth_ffi.so
#    for arm64-v8a, armeabi-v7a, x86_64 and x86, API level 24, the size-first way of
#    bindings/mobile-build.sh (profile mobile, std rebuilt, packed relocations, no Dart entry
#    points; the 64-bit ones linked for the 16 KB pages of Android 15+ devices), and this script
#    copies them into build/jniLibs/<abi>/;
# 2. uniffi-bindgen generates the Kotlin from the arm64 library with `android = true`, through
#    a copy of the workspace's uniffi.toml with that key added (bindings/tools/uniffi_override.py);
# 3. gradle assembleRelease -> build/outputs/aar/cognito-auth-android-release.aar
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ANDROID_DIR=$ROOT/bindings/android
OUT=$ANDROID_DIR/build
CACHE=$HOME/.cache/cognito-auth
CARGO_NDK_VERSION=4.1.2
CARGO_NDK_ROOT=$CACHE/cargo-ndk-$CARGO_NDK_VERSION
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

fail() { echo "build-aar.sh: $*" >&2; exit 1; }

if [ -z "${ANDROID_NDK_HOME:-}" ] || [ ! -d "$ANDROID_NDK_HOME" ]; then
  echo "build-aar.sh: ANDROID_NDK_HOME is not set to an Android NDK directory (r27 or newer)." >&2
  echo "  Install it with Android Studio's SDK manager (or sdkmanager 'ndk;28.0.13004108') and" >&2
  echo "  export ANDROID_NDK_HOME=\$ANDROID_HOME/ndk/<version>. Nothing was built." >&2
  echo "  What can be checked without the NDK is: bash bindings/android/check.sh" >&2
  exit 2
fi
[ -n "${ANDROID_HOME:-${ANDROID_SDK_ROOT:-}}" ] || fail "ANDROID_HOME (the Android SDK, for Gradle) is not set"
command -v gradle >/dev/null || fail "'gradle' (8.9 or newer) is not on PATH"

# ---- 1. native libraries ----------------------------------------------------------------------
if [ ! -x "$CARGO_NDK_ROOT/bin/cargo-ndk" ]; then
  cargo install --quiet --locked --root "$CARGO_NDK_ROOT" --version "$CARGO_NDK_VERSION" cargo-ndk
fi
export PATH="$CARGO_NDK_ROOT/bin:$PATH"
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android >/dev/null

ABIS=(arm64-v8a armeabi-v7a x86_64 x86)
declare -A TRIPLE=([arm64-v8a]=aarch64-linux-android [armeabi-v7a]=armv7-linux-androideabi
  [x86_64]=x86_64-linux-android [x86]=i686-linux-android)
# shellcheck source=bindings/mobile-build.sh
source "$ROOT/bindings/mobile-build.sh"
mobile_prepare
rm -rf "$OUT/jniLibs"
for abi in "${ABIS[@]}"; do
  triple=${TRIPLE[$abi]}
  mobile_export_rustflags "$triple"
  # `cargo rustc --crate-type cdylib`: with the crate's other types (lib, staticlib) in the same
  # rustc run, LTO keeps code the library never calls.
  cargo ndk -t "$abi" --platform 24 rustc "${MOBILE_CARGO_ARGS[@]}" --locked \
    -p cognito-auth-ffi --lib --crate-type cdylib --no-default-features
  built=$TARGET_DIR/$triple/mobile/libcognito_auth_ffi.so
  [ -f "$built" ] || fail "cargo-ndk did not produce $built"
  mkdir -p "$OUT/jniLibs/$abi"
  cp "$built" "$OUT/jniLibs/$abi/libcognito_auth_ffi.so"
done

# ---- 2. Kotlin with android = true --------------------------------------------------------------
python3 "$ROOT/bindings/tools/uniffi_override.py" --base "$ROOT/uniffi.toml" --out "$OUT/uniffi-android.toml" \
  --set crates.cognito_auth_ffi.bindings.kotlin.android=true
cargo build -q --locked -p uniffi-bindgen --bin uniffi-bindgen
rm -rf "$OUT/generated/uniffi/kotlin"
"$TARGET_DIR/debug/uniffi-bindgen" generate "$OUT/jniLibs/arm64-v8a/libcognito_auth_ffi.so" \
  --language kotlin --config "$OUT/uniffi-android.toml" --out-dir "$OUT/generated/uniffi/kotlin" --no-format
KT=$OUT/generated/uniffi/kotlin/cognitoauth/cognito_auth_ffi.kt
[ -f "$KT" ] || fail "uniffi-bindgen did not write $KT (check uniffi.toml's package_name)"
grep -q '^import android.os.Build$' "$KT" || fail "$KT was generated without android = true"

# ---- 3. AAR -------------------------------------------------------------------------------------
gradle --quiet -p "$ANDROID_DIR" assembleRelease
AAR=$OUT/outputs/aar/cognito-auth-android-release.aar
[ -f "$AAR" ] || fail "gradle did not produce $AAR"
echo "built $AAR"
