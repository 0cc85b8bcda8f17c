#!/usr/bin/env bash
# Fails if a library that apps ship exports a test-only function: `*_for_testing` (the FFI
# crate's cargo feature `testing`: fixed SRP randomness and a settable clock). scripts/test.sh
# runs it on the library of bindings/mobile-build.sh.
#
#   bash bindings/tools/check-shipped-symbols.sh LIBRARY   # .so (ELF, nm -D) or .a (nm -g)
#
# Also fails if the library exports no UniFFI function at all (the check would be blind).
# Prints `shipped-symbols: N exported UniFFI functions, none *_for_testing` on success.
set -euo pipefail

fail() {
    echo "check-shipped-symbols.sh: $*" >&2
    exit 1
}

library=${1:?usage: $0 LIBRARY}
[ -f "$library" ] || fail "no such file: $library"
command -v nm >/dev/null || fail "nm (binutils) is not on PATH"

case "$library" in
*.a) listing=$(nm -g "$library" 2>/dev/null) || fail "nm -g failed on $library" ;;
*) listing=$(nm -D --defined-only "$library") || fail "nm -D failed on $library" ;;
esac
# Defined symbols only (an archive lists undefined ones as `U name`), names only.
symbols=$(awk 'NF >= 2 && $(NF-1) != "U" { print $NF }' <<<"$listing")

functions=$(grep -c '^uniffi_cognito_auth_ffi_fn_' <<<"$symbols" || true)
[ "$functions" -gt 0 ] || fail "$library exports no uniffi_cognito_auth_ffi_fn_* symbol: not the FFI library, or stripped of its exports"

if testing=$(grep -i 'for_testing' <<<"$symbols"); then
    echo "check-shipped-symbols.sh: $library exports test-only functions (built with the cargo feature \`testing\`?):" >&2
    sed 's/^/  /' <<<"$testing" >&2
    exit 1
fi
echo "shipped-symbols: $functions exported UniFFI functions, none *_for_testing ($library)"
