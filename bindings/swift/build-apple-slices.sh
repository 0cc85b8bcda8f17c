#!/usr/bin/env bash
# Builds the static library for every Apple slice of the XCFramework on any machine (Linux
# included): a staticlib needs no linker for its target, and the size-first build of
# bindings/mobile-build.sh rebuilds std from rust-src (-Z build-std), so no rust-std component is
# needed either (rustup has none for aarch64-apple-ios-sim on this project's mirror). On a Mac,
# build-xcframework.sh then only lipos, generates and packages.
#
#   bash bindings/swift/build-apple-slices.sh                 # all five slices
#   bash bindings/swift/build-apple-slices.sh aarch64-apple-ios
#
# Prints per slice: the archive's bytes, the bytes after `llvm-strip -x` (local symbols dropped;
# still linkable), and the code and data of the library's own object (Mach-O __TEXT + __DATA of
# cognito_auth_ffi-*.o, llvm-size): the most the app's link can keep of it, to hold against the
# 1 MiB goal (the linked, stripped Linux/Android .so is what mobile-build.sh --max-bytes checks).
# Lines: `slice: TARGET archive_bytes=N strip_x_bytes=N object_text_data_bytes=N PATH`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

fail() { echo "build-apple-slices.sh: $*" >&2; exit 1; }

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)

# LLVM tools that read the objects of this rustc (llvm-tools component), else the system's.
sysroot_bin="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin"
if [ ! -x "$sysroot_bin/llvm-size" ]; then
    rustup component add llvm-tools >/dev/null 2>&1 || true
fi
tool() {
    if [ -x "$sysroot_bin/$1" ]; then echo "$sysroot_bin/$1"; elif command -v "$1" >/dev/null; then command -v "$1"; else fail "no $1 (rustup component add llvm-tools)"; fi
}
LLVM_SIZE=$(tool llvm-size)
LLVM_STRIP=$(tool llvm-strip)
LLVM_AR=$(tool llvm-ar)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
    case "$target" in *-apple-*) ;; *) fail "$target is not an Apple target" ;; esac
    log="$work/$target.log"
    bash bindings/mobile-build.sh --target "$target" >"$log" 2>&1 || { cat "$log" >&2; fail "the build for $target failed"; }
    archive=$(sed -n 's/^mobile_library: //p' "$log")
    [ -f "$archive" ] || fail "no archive for $target"
    "$LLVM_STRIP" -x -o "$work/stripped.a" "$archive"
    member=$("$LLVM_AR" t "$archive" | grep '^cognito_auth_ffi-' | head -n 1)
    [ -n "$member" ] || fail "$archive has no cognito_auth_ffi object"
    # Mach-O columns: __TEXT __DATA __OBJC others dec hex filename
    object_bytes=$("$LLVM_SIZE" "$archive" | awk -v m="($member)" 'index($0, m) { print $1 + $2 }')
    [ -n "$object_bytes" ] || fail "llvm-size did not measure $member"
    echo "slice: $target archive_bytes=$(wc -c <"$archive") strip_x_bytes=$(wc -c <"$work/stripped.a") object_text_data_bytes=$object_bytes $archive"
done
