# Sourced by bindings/kotlin/run-tests.sh and build-jar.sh: where the Kotlin tools live, and
# ensure_kotlin_tools to install what is missing (JNA from Debian's libjna-java, kotlinc 2.4.20
# from the npm package kotlin-compiler, which ships the whole JVM compiler). The caller defines
# fail MESSAGE and quietly CMD... (shows CMD's output only if it fails).
# shellcheck shell=bash
KOTLIN_VERSION=2.4.20
CACHE="$HOME/.cache/cognito-auth"
KOTLIN_HOME="$CACHE/kotlin-compiler-$KOTLIN_VERSION"
KLIB="$KOTLIN_HOME/lib"
JNA=/usr/share/java/jna.jar

ensure_kotlin_tools() {
  command -v java >/dev/null || fail "java (JDK 17) is not on PATH"
  if [ ! -f "$JNA" ]; then
    local as_root=()
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || fail "$JNA is missing and neither root nor sudo is available: install libjna-java"
      as_root=(sudo)
    fi
    quietly "${as_root[@]}" apt-get update -qq
    quietly "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjna-java
    [ -f "$JNA" ] || fail "apt-get installed libjna-java but $JNA is missing"
  fi
  if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ]; then
    command -v npm >/dev/null || fail "npm is needed to fetch kotlin-compiler@$KOTLIN_VERSION"
    mkdir -p "$CACHE"
    local unpack
    unpack=$(mktemp -d "$CACHE/kotlin-unpack.XXXXXX")
    (cd "$unpack" && quietly npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" && tar xzf kotlin-compiler-*.tgz)
    chmod +x "$unpack/package/bin/"*
    rm -rf "$KOTLIN_HOME"
    mv "$unpack/package" "$KOTLIN_HOME"
    rm -rf "$unpack"
  fi
  [ -f "$KLIB/kotlin-stdlib.jar" ] || fail "$KLIB/kotlin-stdlib.jar is missing (broken kotlin-compiler install? remove $KOTLIN_HOME)"
}
