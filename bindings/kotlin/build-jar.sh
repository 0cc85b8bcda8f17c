#!/usr/bin/env bash
# Builds the JVM jar of cognito-auth: the generated Kotlin binding compiled, the ready client
# under bindings/kotlin/src/{main,jvm}/kotlin/ (package io.cognitoauth.client; it imports
# kotlinx.coroutines, so the POM depends on kotlinx-coroutines-core-jvm, the version kotlinc's lib/
# ships, 1.8.0), the native library as a JNA resource
# (linux-x86-64/libcognito_auth_ffi.so) and the Maven POM (META-INF/maven/... and next to the jar).
#
#   bash bindings/kotlin/build-jar.sh
#
# Prints, last: `classpath: JAR:JAR...` (the dependencies' jars on this machine, as the POM lists
# them: JNA, kotlin-stdlib, and kotlinx-coroutines-core only if the Kotlin imports it) and
# `jar: PATH`. Output under $CARGO_TARGET_DIR/jvm/ (default target/): cognito-auth-VERSION.jar,
# cognito-auth-VERSION-sources.jar, cognito-auth-VERSION.pom.
#
# The library is a production build: `cargo build --release --no-default-features` (no Dart
# entry points, no test-only entry points), stripped. Its Kotlin is generated from that same
# library with the workspace's uniffi-bindgen and the root uniffi.toml.
#
# Tools, installed on first use as bindings/kotlin/run-tests.sh does: kotlinc 2.4.20
# (`npm pack kotlin-compiler@2.4.20`, cached in ~/.cache/cognito-auth/) and JNA (Debian
# libjna-java, /usr/share/java/jna.jar); `jar` and `strip` from the JDK and binutils.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

GROUP_ID=io.cognitoauth
ARTIFACT_ID=cognito-auth
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' crates/cognito-auth-ffi/Cargo.toml | head -n 1)
# shellcheck source=bindings/kotlin/tools.sh
source bindings/kotlin/tools.sh

fail() { echo "bindings/kotlin/build-jar.sh: $*" >&2; exit 1; }
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
[ -n "$VERSION" ] || fail "no version in crates/cognito-auth-ffi/Cargo.toml"

# ---- tools ---------------------------------------------------------------------------------
ensure_kotlin_tools
command -v jar >/dev/null || fail "jar (from the JDK) is not on PATH"
JNA_VERSION=$(unzip -p "$JNA" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Implementation-Version: *//p' | head -n 1)
JNA_VERSION=${JNA_VERSION%% *}
[ -n "$JNA_VERSION" ] || JNA_VERSION=$(basename "$(readlink -f "$JNA")" .jar | sed 's/^jna-//')

# ---- library and bindings ------------------------------------------------------------------
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
OUT="$TARGET/jvm"
WORK="$OUT/work"
rm -rf "$WORK"
mkdir -p "$WORK"/{kotlin,classes/linux-x86-64,meta}

quietly cargo build --locked --release -p cognito-auth-ffi --lib --no-default-features
quietly cargo build --locked -p uniffi-bindgen --bin uniffi-bindgen
LIB="$TARGET/release/libcognito_auth_ffi.so"
[ -f "$LIB" ] || fail "cargo did not produce $LIB"
quietly "$TARGET/debug/uniffi-bindgen" generate "$LIB" --config "$ROOT/uniffi.toml" --no-format \
    --language kotlin --out-dir "$WORK/kotlin"
KT="$WORK/kotlin/cognitoauth/cognito_auth_ffi.kt"
[ -f "$KT" ] || fail "uniffi-bindgen did not write $KT"
grep -q '^package cognitoauth$' "$KT" || fail "$KT is not in package cognitoauth (check uniffi.toml)"
# The resource JNA looks for on x86-64 Linux (Platform.RESOURCE_PREFIX + mapLibraryName), stripped
# (the generator has read the symbols already).
strip --strip-all -o "$WORK/classes/linux-x86-64/libcognito_auth_ffi.so" "$LIB"

# ---- compile -------------------------------------------------------------------------------
# src/main/kotlin: the client shared with the Android AAR; src/jvm/kotlin: its JVM-only part
# (the java.net.http transport and the default transport).
sources=("$KT")
mapfile -t -O 1 sources < <(find bindings/kotlin/src/main/kotlin bindings/kotlin/src/jvm/kotlin -name '*.kt' | LC_ALL=C sort)
deps_cp="$JNA"
uses_coroutines=0
if grep -qh '^import kotlinx\.coroutines\.' "${sources[@]}"; then
    uses_coroutines=1
    COROUTINES_JAR=$(find "$KLIB" -maxdepth 1 -name 'kotlinx-coroutines-core-jvm*.jar' | head -n 1)
    [ -n "$COROUTINES_JAR" ] || fail "the Kotlin uses kotlinx.coroutines, and kotlinc's lib/ has no kotlinx-coroutines-core-jvm jar"
    deps_cp="$deps_cp:$COROUTINES_JAR"
fi
quietly "$KOTLIN_HOME/bin/kotlinc" -nowarn -jvm-target 17 -cp "$deps_cp" "${sources[@]}" -d "$WORK/classes"

# ---- POM and jar ---------------------------------------------------------------------------
coroutines_dependency=""
if [ "$uses_coroutines" = 1 ]; then
    # kotlinc's copy names its version in META-INF/kotlinx_coroutines_core.version (its manifest has none).
    COROUTINES_VERSION=$(unzip -p "$COROUTINES_JAR" META-INF/kotlinx_coroutines_core.version 2>/dev/null | tr -d '\r\n ')
    [ -n "$COROUTINES_VERSION" ] || COROUTINES_VERSION=$(unzip -p "$COROUTINES_JAR" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' | sed -n 's/^Implementation-Version: *//p' | head -n 1)
    [ -n "$COROUTINES_VERSION" ] || fail "no version in $COROUTINES_JAR (META-INF/kotlinx_coroutines_core.version or the manifest)"
    coroutines_dependency="
    <dependency>
      <groupId>org.jetbrains.kotlinx</groupId>
      <artifactId>kotlinx-coroutines-core-jvm</artifactId>
      <version>$COROUTINES_VERSION</version>
    </dependency>"
fi
POM="$OUT/$ARTIFACT_ID-$VERSION.pom"
cat >"$POM" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$GROUP_ID</groupId>
  <artifactId>$ARTIFACT_ID</artifactId>
  <version>$VERSION</version>
  <packaging>jar</packaging>
  <name>cognito-auth</name>
  <description>Amazon Cognito sign-in (SRP, MFA, tokens) for the JVM: Kotlin over a Rust core (linux-x86-64 native library inside)</description>
  <url>https://example.invalid/cognito-auth</url>
  <licenses>
    <license><name>MIT</name><url>https://opensource.org/licenses/MIT</url></license>
    <license><name>Apache-2.0</name><url>https://www.apache.org/licenses/LICENSE-2.0</url></license>
  </licenses>
  <dependencies>
    <dependency>
      <groupId>net.java.dev.jna</groupId>
      <artifactId>jna</artifactId>
      <version>$JNA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.jetbrains.kotlin</groupId>
      <artifactId>kotlin-stdlib</artifactId>
      <version>$KOTLIN_VERSION</version>
    </dependency>$coroutines_dependency
  </dependencies>
</project>
POM
python3 - "$POM" <<'PY' || fail "the POM is not well-formed XML"
import sys, xml.etree.ElementTree as ET
ET.parse(sys.argv[1])
PY
mkdir -p "$WORK/classes/META-INF/maven/$GROUP_ID/$ARTIFACT_ID"
cp "$POM" "$WORK/classes/META-INF/maven/$GROUP_ID/$ARTIFACT_ID/pom.xml"
printf 'groupId=%s\nartifactId=%s\nversion=%s\n' "$GROUP_ID" "$ARTIFACT_ID" "$VERSION" \
    >"$WORK/classes/META-INF/maven/$GROUP_ID/$ARTIFACT_ID/pom.properties"
printf 'Implementation-Title: %s\nImplementation-Version: %s\nAutomatic-Module-Name: cognitoauth\n' \
    "$ARTIFACT_ID" "$VERSION" >"$WORK/meta/MANIFEST.MF"
JAR="$OUT/$ARTIFACT_ID-$VERSION.jar"
rm -f "$JAR" "$OUT/$ARTIFACT_ID-$VERSION-sources.jar"
quietly jar --create --file "$JAR" --manifest "$WORK/meta/MANIFEST.MF" -C "$WORK/classes" .
mkdir -p "$WORK/sources/cognitoauth"
cp "$KT" "$WORK/sources/cognitoauth/"
cp -r bindings/kotlin/src/main/kotlin/. bindings/kotlin/src/jvm/kotlin/. "$WORK/sources/"
quietly jar --create --file "$OUT/$ARTIFACT_ID-$VERSION-sources.jar" -C "$WORK/sources" .

# What must be inside: the classes, the native library where JNA looks, the POM.
listing=$(jar --list --file "$JAR")
for entry in cognitoauth/SignInSession.class io/cognitoauth/client/CognitoAuthClient.class \
    io/cognitoauth/client/JavaHttpTransport.class io/cognitoauth/client/KeystoreSessionStore.class \
    linux-x86-64/libcognito_auth_ffi.so \
    "META-INF/maven/$GROUP_ID/$ARTIFACT_ID/pom.xml"; do
    grep -qxF "$entry" <<<"$listing" || fail "$JAR lacks $entry"
done

classpath="$JNA:$KLIB/kotlin-stdlib.jar"
if [ "$uses_coroutines" = 1 ]; then classpath="$classpath:$COROUTINES_JAR"; fi
declared="jna $JNA_VERSION, kotlin-stdlib $KOTLIN_VERSION"
if [ "$uses_coroutines" = 1 ]; then declared="$declared, kotlinx-coroutines-core-jvm $COROUTINES_VERSION"; fi
echo "pom: $POM ($GROUP_ID:$ARTIFACT_ID:$VERSION; depends on $declared)"
echo "native library: linux-x86-64/libcognito_auth_ffi.so $(wc -c <"$WORK/classes/linux-x86-64/libcognito_auth_ffi.so") bytes (stripped)"
echo "jar_bytes: $(wc -c <"$JAR")"
echo "classpath: $classpath"
echo "jar: $JAR"
