#!/usr/bin/env bash
# Makes Package.swift consumable by URL for a release: zips the XCFramework (if not zipped yet),
# computes its SwiftPM checksum (the SHA-256 of the zip, what `swift package compute-checksum`
# prints) and writes the zip's download URL and that checksum into Package.swift's
# `releaseFramework` line. Commit that Package.swift at the release tag and upload the zip to URL;
# an app then adds the repository URL at that tag. Runs anywhere (sha256sum / shasum); the
# XCFramework itself comes from build-xcframework.sh on a Mac.
#
#   bash bindings/swift/release.sh URL                  # zips build/CognitoAuthFFI.xcframework
#   bash bindings/swift/release.sh URL path/to/CognitoAuthFFI.xcframework.zip
#   PACKAGE_SWIFT=/tmp/Package.swift bash bindings/swift/release.sh URL ZIP   # another manifest
#
# Prints `checksum: HEX` and `url: URL`.
set -euo pipefail
cd "$(dirname "$0")"
PKG=$PWD

fail() { echo "release.sh: $*" >&2; exit 1; }

url=${1:-}
zip=${2:-}
[ -n "$url" ] || fail "usage: release.sh URL [ZIP]"
case "$url" in https://*.zip) ;; *) fail "the URL must be https://... and end in .zip (SwiftPM downloads the zip): $url" ;; esac
manifest=${PACKAGE_SWIFT:-$PKG/Package.swift}
[ -f "$manifest" ] || fail "no $manifest"

if [ -z "$zip" ]; then
    xcf=$PKG/build/CognitoAuthFFI.xcframework
    [ -d "$xcf" ] || fail "no $xcf: run bash bindings/swift/build-xcframework.sh on a Mac first"
    zip=$PKG/build/CognitoAuthFFI.xcframework.zip
    rm -f "$zip"
    if command -v ditto >/dev/null; then
        ditto -c -k --sequesterRsrc --keepParent "$xcf" "$zip"
    else
        (cd "$PKG/build" && zip -qry "$zip" CognitoAuthFFI.xcframework)
    fi
fi
[ -f "$zip" ] || fail "no zip at $zip"

if command -v sha256sum >/dev/null; then
    checksum=$(sha256sum "$zip" | cut -d' ' -f1)
else
    checksum=$(shasum -a 256 "$zip" | cut -d' ' -f1)
fi
if command -v swift >/dev/null; then
    swift_checksum=$(swift package compute-checksum "$zip")
    [ "$swift_checksum" = "$checksum" ] || fail "swift package compute-checksum says $swift_checksum, sha256 says $checksum"
fi

line="let releaseFramework: (url: String, checksum: String)? = (url: \"$url\", checksum: \"$checksum\")"
grep -q '^let releaseFramework: (url: String, checksum: String)? = ' "$manifest" ||
    fail "$manifest has no releaseFramework line to replace"
tmp=$(mktemp)
awk -v line="$line" '/^let releaseFramework: \(url: String, checksum: String\)\? = / { print line; next } { print }' \
    "$manifest" >"$tmp"
cat "$tmp" >"$manifest"
rm -f "$tmp"
echo "checksum: $checksum"
echo "url: $url"
