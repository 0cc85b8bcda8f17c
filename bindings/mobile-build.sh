#!/usr/bin/env bash
# How the library that ships inside apps is built: size first, behaviour unchanged. The one
# place for it; bindings/android/build-aar.sh and bindings/swift/build-xcframework.sh source
# this file, benches/compare.sh and the test script run it.
#
#   bash bindings/mobile-build.sh                      # for this machine's target
#   bash bindings/mobile-build.sh --max-bytes 1048576  # and fail if the library is larger
#   bash bindings/mobile-build.sh --dart               # with the entry points Dart needs
#   bash bindings/mobile-build.sh --target T           # another target (its linker must exist)
#   source bindings/mobile-build.sh                    # define mobile_* only (build scripts)
#
# Prints `mobile_library: PATH` and `mobile_library_bytes: N` (the stripped cdylib).
#
# What makes it small (x86-64 Linux, rustc 1.95, 2026-12-05: 1,470,616 bytes with
# `cargo build --profile mobile`, 882,936 here; each step in benches/README.md):
# - `--profile mobile` (Cargo.toml): opt-level "s", fat LTO, one codegen unit, stripped.
# - `cargo rustc --crate-type cdylib`: with the crate's lib and staticlib types in the same
#   rustc run, LTO keeps code the library never calls (-239 KB).
# - Without the Dart generator's `uniffi_ffibuffer_*` entry points unless --dart (-40 KB):
#   the Kotlin, Swift and Python bindings do not call them.
# - std rebuilt with that profile (`-Z build-std`) and without backtrace symbolisation (std's
#   `backtrace` feature: gimli, addr2line, miniz_oxide) (-271 KB). panic = "unwind" stays, so
#   UniFFI's catch_unwind still turns a panic into an internal error (by construction: no
#   exported function can be made to panic, so no test shows it); only the stderr backtrace of
#   a panic, which no phone shows anyone, is gone. -Z options are unstable cargo options: they need the
#   rust-src component and RUSTC_BOOTSTRAP=1 on a stable toolchain (checked with 1.95).
# - Relative relocations packed by the linker (-33 KB): `-z pack-relative-relocs` (DT_RELR,
#   glibc 2.36+) on Linux, `--pack-dyn-relocs=android` (API 23+) on Android.
# - Identical code folding in lld (`--icf=all`, -5 KB).
# Apple static libraries get the profile, the std rebuild and no Dart entry points: their
# linker (ld64) has no --icf, and the app's link decides what stays.
# Never the cargo feature `testing` (the `*_for_testing` constructors: fixed SRP randomness, a
# settable clock): scripts/test.sh checks the library's exports with
# bindings/tools/check-shipped-symbols.sh.

# The cargo arguments of the size-first build (after `cargo build`/`cargo rustc`; needs --target).
MOBILE_CARGO_ARGS=(
    --profile mobile
    -Z build-std=std,panic_unwind
    -Z build-std-features=panic-unwind,optimize_for_size
)

# The -Z options above on a stable toolchain; rust-src for the std rebuild.
mobile_prepare() {
    export RUSTC_BOOTSTRAP=1
    if [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]; then
        rustup component add rust-src >/dev/null 2>&1 ||
            { echo "mobile-build.sh: 'rustup component add rust-src' failed" >&2; return 1; }
    fi
}

# The linker flags for one target triple (empty where none apply).
mobile_rustflags() {
    case "$1" in
    # 16 KB pages for the 64-bit ABIs: required on Android 15+ devices with 16 KB pages.
    aarch64-linux-android | x86_64-linux-android)
        echo "-C link-arg=-Wl,-z,max-page-size=16384 $(mobile_rustflags android)" ;;
    *android*) echo "-C link-arg=-Wl,--pack-dyn-relocs=android -C link-arg=-Wl,--icf=all" ;;
    *-linux-gnu*) echo "-C link-arg=-Wl,-z,pack-relative-relocs -C link-arg=-Wl,--icf=all" ;;
    *) echo "" ;;
    esac
}

# Adds mobile_rustflags to CARGO_TARGET_<TRIPLE>_RUSTFLAGS (what the caller set there stays).
mobile_export_rustflags() {
    local variable
    variable="CARGO_TARGET_$(printf '%s' "$1" | tr 'a-z.-' 'A-Z__')_RUSTFLAGS"
    export "$variable=${!variable:-} $(mobile_rustflags "$1")"
}

# Sourced: stop here.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    return 0
fi

set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fail() {
    echo "mobile-build.sh: $*" >&2
    exit 1
}

target=$(rustc -vV | sed -n 's/^host: //p')
max_bytes=""
features=(--no-default-features)
while [ $# -gt 0 ]; do
    case "$1" in
    --target) target=${2:?--target needs a triple}; shift ;;
    --max-bytes) max_bytes=${2:?--max-bytes needs a number}; shift ;;
    --dart) features=(--no-default-features --features dart) ;;
    *) echo "usage: $0 [--target TRIPLE] [--max-bytes N] [--dart]" >&2; exit 2 ;;
    esac
    shift
done

mobile_prepare
case "$target" in
*-apple-*) crate_type=staticlib; file=libcognito_auth_ffi.a ;;
*) crate_type=cdylib; file=libcognito_auth_ffi.so ;;
esac
mobile_export_rustflags "$target"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cargo rustc --locked -q -p cognito-auth-ffi --lib --crate-type "$crate_type" \
    --target "$target" ${features[@]+"${features[@]}"} "${MOBILE_CARGO_ARGS[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    fail "the size-first build for $target failed (output above)"
fi

target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac
library=$target_dir/$target/mobile/$file
[ -f "$library" ] || fail "cargo did not produce $library"
bytes=$(wc -c <"$library")
echo "mobile_library: $library"
echo "mobile_library_bytes: $bytes"
if [ -n "$max_bytes" ] && [ "$bytes" -gt "$max_bytes" ]; then
    fail "$library is $bytes bytes, over the limit of $max_bytes"
fi
