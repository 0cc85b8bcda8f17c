#!/usr/bin/env bash
# The Python tests of the UniFFI bindings (issue 6): pytest over bindings/python/tests/ against
# the generated module and libcognito_auth_ffi.so; the end-to-end tests start MiniStack
# through bindings/testing/ministack_fixture.py, a wrapper over the test kit's
# `ministack-fixture` binary (built here; always stopped). Ends with pytest's
# summary line; exits non-zero if a test failed.
#
#   bash bindings/python/run-tests.sh               # generates the bindings only if missing
#   bash bindings/python/run-tests.sh --generate    # regenerates first (also: GENERATE=1)
#   bash bindings/python/run-tests.sh -- -k totp    # extra arguments after -- go to pytest
#
# Installs pytest once into ~/.cache/cognito-auth/python-bindings-pytest-<version>/.
# Environment: CARGO_TARGET_DIR (where bindings/generate.sh writes; default target/),
# MINISTACK_BIN (else scripts/ensure-tool.sh installs MiniStack on first use), FFI_LIBRARY (run
# against this libcognito_auth_ffi.so instead of the generated one, e.g. the size-first build
# of bindings/mobile-build.sh; the Python module is then generated from that library, so a
# shipped build without the test-only constructors loads, and the tests that need them are
# skipped with the reason).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

PYTEST_VERSION=9.2.0
venv=$HOME/.cache/cognito-auth/python-bindings-pytest-$PYTEST_VERSION

generate=${GENERATE:-0}
pytest_args=()
while [ $# -gt 0 ]; do
    case "$1" in
    --generate) generate=1 ;;
    --) shift; pytest_args=("$@"); break ;;
    *) echo "usage: $0 [--generate] [-- PYTEST_ARGS...]" >&2; exit 2 ;;
    esac
    shift
done

fail() {
    echo "bindings/python/run-tests.sh: $*" >&2
    exit 1
}

target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac
bindings=$target_dir/bindings/python

if [ "$generate" = 1 ] || [ ! -f "$bindings/cognito_auth_ffi.py" ] || [ ! -f "$bindings/libcognito_auth_ffi.so" ]; then
    bash bindings/generate.sh >/dev/null
fi
[ -f "$bindings/cognito_auth_ffi.py" ] || fail "no generated module in $bindings"

if [ ! -x "$venv/bin/pytest" ]; then
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
    if ! "$venv/bin/pip" install --quiet --disable-pip-version-check "pytest==$PYTEST_VERSION" >&2; then
        rm -rf "$venv"
        fail "pip could not install pytest==$PYTEST_VERSION"
    fi
fi

if [ -n "${FFI_LIBRARY:-}" ]; then
    [ -f "$FFI_LIBRARY" ] || fail "FFI_LIBRARY=$FFI_LIBRARY is not a file"
    alternative=$(mktemp -d)
    trap 'rm -rf "$alternative"' EXIT
    # The generated module declares and checks every function of the test build at import,
    # including the test-only ones (cargo feature `testing`) a shipped build lacks, and a
    # stripped library has no metadata to generate from. So: generate again from the test
    # build, with the `*_for_testing` methods excluded through a per-crate config (the tests
    # that need them skip themselves), then drop the FFI declarations of the symbols
    # $FFI_LIBRARY does not export (bindings/tools/python_for_library.py).
    bindgen=$target_dir/debug/uniffi-bindgen
    [ -x "$bindgen" ] || cargo build --quiet --locked -p uniffi-bindgen
    excluded=$(nm -D --defined-only "$bindings/libcognito_auth_ffi.so" | python3 -c '
import re, sys
names = sorted({m.group(1) for m in re.finditer(
    r"uniffi_cognito_auth_ffi_fn_(?:constructor|method)_signinsession_(\w+_for_testing)\b", sys.stdin.read())})
print(", ".join("\"SignInSession.%s\"" % name for name in names))')
    mkdir -p "$alternative/crate-root"
    printf '[bindings.python]\ncdylib_name = "cognito_auth_ffi"\nexclude = [%s]\n' "$excluded" \
        >"$alternative/crate-root/uniffi.toml"
    { cat "$root/uniffi.toml"; printf '\n[crate-roots]\ncognito_auth_ffi = "%s"\n' "$alternative/crate-root"; } \
        >"$alternative/uniffi-shipped.toml"
    "$bindgen" generate "$bindings/libcognito_auth_ffi.so" --config "$alternative/uniffi-shipped.toml" \
        --no-format --language python --out-dir "$alternative" >/dev/null
    [ -f "$alternative/cognito_auth_ffi.py" ] || fail "no Python module generated for $FFI_LIBRARY"
    python3 "$root/bindings/tools/python_for_library.py" --module "$alternative/cognito_auth_ffi.py" \
        --library "$FFI_LIBRARY"
    cp "$FFI_LIBRARY" "$alternative/libcognito_auth_ffi.so"
    bindings=$alternative
    echo "Python tests against $FFI_LIBRARY"
fi

# The package laid out as in the wheel: bindings/python/src/cognito_auth_ffi/ (the __init__
# re-exporting the generated API, the shipped client.py) with the generated module and its
# library as cognito_auth_ffi/_uniffi/ (symlinks).
package_root=$(mktemp -d)
trap 'rm -rf "$package_root" ${alternative:+"$alternative"}' EXIT
package=$package_root/cognito_auth_ffi
mkdir -p "$package/_uniffi"
for source in "$root"/bindings/python/src/cognito_auth_ffi/*; do
    ln -s "$source" "$package/$(basename "$source")"
done
ln -s "$bindings/cognito_auth_ffi.py" "$package/_uniffi/cognito_auth_ffi.py"
ln -s "$bindings/libcognito_auth_ffi.so" "$package/_uniffi/libcognito_auth_ffi.so"
printf 'from .cognito_auth_ffi import *  # noqa: F401,F403\n' >"$package/_uniffi/__init__.py"

# The MiniStack fixture (bindings/testing/ministack_fixture.py) runs the test kit's binary.
MINISTACK_FIXTURE_BIN=${MINISTACK_FIXTURE_BIN:-$(bash bindings/testing/ministack-fixture.sh --build)}
export MINISTACK_FIXTURE_BIN
# Panics would print backtraces to stderr otherwise (RUST_BACKTRACE=1 is set globally here).
export RUST_BACKTRACE=0
export PYTHONPATH="$package_root${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
"$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir bindings/python \
    bindings/python/tests ${pytest_args[@]+"${pytest_args[@]}"}
