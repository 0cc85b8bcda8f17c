#!/usr/bin/env bash
# What can be checked of the Android packaging without the Android NDK, SDK or Gradle (none of
# which this project's machines have; bindings/android/build-aar.sh builds the AAR where they are):
#
#   bash bindings/android/check.sh
#
# 1. the global-config override (bindings/tools/uniffi_override.py) adds `android = true` to a
#    copy of uniffi.toml, and uniffi-bindgen generates the Android Kotlin from it: package
#    cognitoauth, android.os.Build / androidx.annotation.RequiresApi / SystemCleaner in it;
# 2. that Kotlin compiles with the JVM kotlinc against JNA and compile-only stand-ins for the
#    three Android APIs it uses (jvm-stubs/); needs kotlinc and JNA as installed by
#    bindings/kotlin/run-tests.sh, and fails if they are missing; cached by content hash;
# 2b. the ready client (io.cognitoauth.client) compiles as the AAR takes it: the shared sources
#    and the AAR's own default transport (HttpURLConnection), with no java.net.http / java.time;
#    with it DeviceFacts.fromAndroid(context) (src/main/kotlin/.../DeviceFactsAndroid.kt), against
#    stand-ins for android.os.Build, Context, PackageManager, Resources and DisplayMetrics
#    (jvm-stubs/); 2c. that helper reads no identifier Amplify does not send (IMEI, serial, MAC,
#    phone number, ANDROID_ID value, accounts);
# 3. the packaging files agree: consumer-rules.pro keeps JNA and the generated package,
#    build.gradle.kts has JNA @aar and androidx.annotation, a maven-publish publication
#    (io.cognitoauth:cognito-auth-android) and reads the directories
#    build-aar.sh writes, build-aar.sh builds the four ABIs;
# 4. cargo check -p cognito-auth-ffi --target aarch64-linux-android (after rustup target add):
#    the FFI crate and its dependencies compile for Android (linking needs the NDK).
# Ends with `android-checks: N passed, M failed` (exit status 1 if any failed).
#
# Runs bindings/generate.sh first if the library or the generator is missing.
# Environment: CARGO_TARGET_DIR (default target/).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
LIB=$TARGET/debug/libcognito_auth_ffi.so
BINDGEN=$TARGET/debug/uniffi-bindgen
ANDROID_DIR=$ROOT/bindings/android
TOOLS=$ROOT/bindings/tools
# KOTLIN_HOME, JNA, CACHE: where bindings/kotlin/run-tests.sh installs them.
# shellcheck source=bindings/kotlin/tools.sh
source "$ROOT/bindings/kotlin/tools.sh"
OUT=$TARGET/android-check
# shellcheck source=/dev/null # bindings/tools/checklib.sh
source "$TOOLS/checklib.sh"

if [ ! -f "$LIB" ] || [ ! -x "$BINDGEN" ]; then
  bash "$ROOT/bindings/generate.sh" >/dev/null
fi
rm -rf "$OUT/kotlin"
mkdir -p "$OUT"
KT=$OUT/kotlin/cognitoauth/cognito_auth_ffi.kt

android_kotlin_generated() {
  python3 "$TOOLS/uniffi_override.py" --base "$ROOT/uniffi.toml" --out "$OUT/uniffi-android.toml" \
    --set crates.cognito_auth_ffi.bindings.kotlin.android=true
  "$BINDGEN" generate "$LIB" --language kotlin --config "$OUT/uniffi-android.toml" --out-dir "$OUT/kotlin" --no-format >/dev/null
  local ok=0
  [ -f "$KT" ] || { echo "no $KT"; return 1; }
  grep -q '^package cognitoauth$' "$KT" || { echo "$KT: not package cognitoauth"; ok=1; }
  grep -q '^import android.os.Build$' "$KT" || { echo "$KT: no android.os.Build import (android = true did not apply)"; ok=1; }
  grep -q '^import androidx.annotation.RequiresApi$' "$KT" || { echo "$KT: no androidx.annotation.RequiresApi import"; ok=1; }
  grep -q 'android.system.SystemCleaner.cleaner()' "$KT" || { echo "$KT: no SystemCleaner"; ok=1; }
  return $ok
}
single "Kotlin generated with android = true through the global-config override" android_kotlin_generated

if [ -f "$KT" ] && [ -x "$KOTLIN_HOME/bin/kotlinc" ] && [ -f "$JNA" ]; then
  android_kotlin_compiles() {
    local key jar
    key=$( (echo "kotlinc 2.4.20"; sha256sum "$KT" "$ANDROID_DIR"/jvm-stubs/*.kt | cut -d' ' -f1) | sha256sum | cut -c1-32)
    jar=$CACHE/android-kotlin-check/$key.jar
    if [ ! -f "$jar" ]; then
      mkdir -p "$(dirname "$jar")"
      "$KOTLIN_HOME/bin/kotlinc" -nowarn -jvm-target 17 -cp "$JNA" "$KT" "$ANDROID_DIR"/jvm-stubs/*.kt -d "$jar.tmp.jar"
      mv "$jar.tmp.jar" "$jar"
      # keep the cache small: the three newest
      find "$(dirname "$jar")" -name '*.jar' -printf '%T@ %p\n' | sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -f
    fi
  }
  single "the Android Kotlin compiles (kotlinc, JNA, jvm-stubs for android.os/androidx/SystemCleaner)" android_kotlin_compiles

  # The ready client as the AAR compiles it: ../kotlin/src/main/kotlin + src/main/kotlin (its
  # default transport), against the Android Kotlin above and kotlinx-coroutines; nothing from
  # java.net.http (Android has none) or java.time (API 26+).
  android_client_compiles() {
    local key bindings_jar client_jar sources
    mapfile -t sources < <(find "$ROOT/bindings/kotlin/src/main/kotlin" "$ANDROID_DIR/src/main/kotlin" -name '*.kt' | LC_ALL=C sort)
    if grep -nE '^import java\.(net\.http|time)\.' "${sources[@]}"; then
      echo "the Android client imports java.net.http or java.time"
      return 1
    fi
    key=$( (echo "kotlinc 2.4.20"; sha256sum "$KT" "$ANDROID_DIR"/jvm-stubs/*.kt | cut -d' ' -f1) | sha256sum | cut -c1-32)
    bindings_jar=$CACHE/android-kotlin-check/$key.jar
    [ -f "$bindings_jar" ] || { echo "no compiled Android Kotlin at $bindings_jar"; return 1; }
    key=$( (echo "$key"; sha256sum "${sources[@]}" | cut -d' ' -f1) | sha256sum | cut -c1-32)
    client_jar=$CACHE/android-kotlin-check/client-$key.jar
    if [ ! -f "$client_jar" ]; then
      "$KOTLIN_HOME/bin/kotlinc" -nowarn -jvm-target 17 -cp "$bindings_jar:$JNA:$KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar" \
        "${sources[@]}" -d "$client_jar.tmp.jar"
      mv "$client_jar.tmp.jar" "$client_jar"
      find "$(dirname "$client_jar")" -name 'client-*.jar' -printf '%T@ %p\n' | sort -rn | tail -n +3 | cut -d' ' -f2- | xargs -r rm -f
    fi
  }
  single "the ready client compiles as the AAR has it (shared sources + the HttpURLConnection default; no java.net.http, no java.time)" android_client_compiles
else
  # A check that cannot run is a failed check, not a pass: CI installs both before this.
  android_kotlin_compiler_present() {
    echo "the Android Kotlin cannot be compiled: kotlinc ($KOTLIN_HOME) or JNA ($JNA) is missing;"
    echo "bash bindings/kotlin/run-tests.sh installs both"
    return 1
  }
  single "the Android Kotlin compiles (kotlinc, JNA, jvm-stubs for android.os/androidx/SystemCleaner)" android_kotlin_compiler_present
fi

# The threat-protection device facts read what Amplify Android's collectors read, nothing more.
device_facts_reads_no_identifier() {
  local ok=0 file=$ANDROID_DIR/src/main/kotlin/io/cognitoauth/client/DeviceFactsAndroid.kt code
  [ -f "$file" ] || { echo "no $file"; return 1; }
  grep -qF 'fun DeviceFacts.Companion.fromAndroid(context: Context, deviceId: String? = null): DeviceFacts {' "$file" ||
    { echo "no DeviceFacts.fromAndroid(context, deviceId)"; ok=1; }
  code=$(grep -v '^ *\*\|^ *//' "$file")
  if grep -nE 'getImei|getMeid|getDeviceId|getSerial|SERIAL|getLine1Number|getMacAddress|Settings\.Secure|TelephonyManager|WifiManager|AccountManager|ANDROID_ID' <<<"$code"; then
    echo "$file reads an identifier Amplify Android does not send (above)"; ok=1
  fi
  return $ok
}
single "DeviceFacts.fromAndroid reads no IMEI, serial, MAC, phone number, ANDROID_ID value or account" device_facts_reads_no_identifier

packaging_agrees() {
  local ok=0 gradle=$ANDROID_DIR/build.gradle.kts rules=$ANDROID_DIR/consumer-rules.pro script=$ANDROID_DIR/build-aar.sh
  grep -qF -- '-keep class com.sun.jna.** { *; }' "$rules" || { echo "consumer-rules.pro does not keep JNA"; ok=1; }
  grep -qF -- '-keep class cognitoauth.** { *; }' "$rules" || { echo "consumer-rules.pro does not keep the generated package cognitoauth"; ok=1; }
  grep -qF 'implementation("net.java.dev.jna:jna:5.14.0@aar")' "$gradle" || { echo "build.gradle.kts: no JNA @aar dependency"; ok=1; }
  grep -qF 'implementation("androidx.annotation:annotation:' "$gradle" || { echo "build.gradle.kts: no androidx.annotation (android = true imports it)"; ok=1; }
  grep -qF 'consumerProguardFiles("consumer-rules.pro")' "$gradle" || { echo "build.gradle.kts does not ship consumer-rules.pro"; ok=1; }
  grep -qF 'namespace = "cognitoauth"' "$gradle" || { echo "build.gradle.kts: namespace is not cognitoauth"; ok=1; }
  grep -qF 'layout.buildDirectory.dir("generated/uniffi/kotlin")' "$gradle" || { echo "build.gradle.kts does not read build/generated/uniffi/kotlin"; ok=1; }
  grep -qF 'layout.buildDirectory.dir("jniLibs")' "$gradle" || { echo "build.gradle.kts does not read build/jniLibs"; ok=1; }
  grep -qF 'java.srcDir("../kotlin/src/main/kotlin")' "$gradle" || { echo "build.gradle.kts does not compile the ready client (../kotlin/src/main/kotlin)"; ok=1; }
  grep -qF 'kotlinx-coroutines-android:' "$gradle" || { echo "build.gradle.kts: no kotlinx-coroutines-android (the ready client needs it)"; ok=1; }
  # shellcheck disable=SC2016 # a literal line of build-aar.sh
  grep -qF 'KT=$OUT/generated/uniffi/kotlin/cognitoauth/cognito_auth_ffi.kt' "$script" || { echo "build-aar.sh writes the Kotlin elsewhere"; ok=1; }
  grep -qF 'ABIS=(arm64-v8a armeabi-v7a x86_64 x86)' "$script" || { echo "build-aar.sh does not build the four ABIs"; ok=1; }
  [ -f "$ANDROID_DIR/src/main/AndroidManifest.xml" ] || { echo "no src/main/AndroidManifest.xml"; ok=1; }
  # Publishing: maven-publish, coordinates io.cognitoauth:cognito-auth-android, the release variant.
  grep -qF '`maven-publish`' "$gradle" || { echo "build.gradle.kts does not apply maven-publish"; ok=1; }
  grep -qF 'group = "io.cognitoauth"' "$gradle" || { echo "build.gradle.kts: group is not io.cognitoauth"; ok=1; }
  grep -qF 'artifactId = "cognito-auth-android"' "$gradle" || { echo "build.gradle.kts: artifactId is not cognito-auth-android"; ok=1; }
  grep -qF 'singleVariant("release")' "$gradle" && grep -qF 'from(components["release"])' "$gradle" ||
    { echo "build.gradle.kts does not publish the release variant"; ok=1; }
  # The version regex of build.gradle.kts finds the FFI crate's version.
  grep -qE '^version = "[^"]+"' "$ANDROID_DIR/../../crates/cognito-auth-ffi/Cargo.toml" ||
    { echo "crates/cognito-auth-ffi/Cargo.toml has no 'version = \"...\"' line for build.gradle.kts"; ok=1; }
  return $ok
}
single "packaging: ProGuard rules, Gradle dependencies and directories agree with build-aar.sh" packaging_agrees

android_cargo_check() {
  rustup target add aarch64-linux-android >/dev/null 2>&1 || {
    echo "rustup target add aarch64-linux-android failed (no network to the Rust toolchain server?)"
    return 1
  }
  cargo check -q --locked -p cognito-auth-ffi --target aarch64-linux-android
}
single "cargo check -p cognito-auth-ffi --target aarch64-linux-android" android_cargo_check

echo "NOTE: no AAR was built and nothing ran on Android (no NDK, SDK or Gradle on this machine);"
echo "      bash bindings/android/build-aar.sh builds it where they are."
summary android-checks
