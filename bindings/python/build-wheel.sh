#!/usr/bin/env bash
# Builds the Python wheel of cognito-auth (bindings/python/pyproject.toml, maturin + UniFFI) and
# checks its platform tag with auditwheel.
#
#   bash bindings/python/build-wheel.sh        # last line: `wheel: PATH`
#   bash bindings/python/build-wheel.sh --target aarch64-unknown-linux-gnu
#       # Linux arm64, cross-built with Debian's gcc-aarch64-linux-gnu (installed if missing)
#
# Then adds the type stub of the generated module (bindings/python/add_stub.py: UniFFI's enum
# variants made subclasses of their enum for type checkers, as they are at run time) and strips
# the library in the wheel.
# Installs maturin, auditwheel and mypy (stubgen) once into ~/.cache/cognito-auth/python-packaging-<versions>/.
# The wheel goes to $CARGO_TARGET_DIR/wheels/ (default target/wheels/); an older wheel of the
# same name is replaced. A production build: no `testing` feature, no Dart entry points.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

MATURIN_VERSION=1.16.0
AUDITWHEEL_VERSION=6.8.2
MYPY_VERSION=2.4.1 # its stubgen writes the type stub (add_stub.py)
venv=$HOME/.cache/cognito-auth/python-packaging-$MATURIN_VERSION-$AUDITWHEEL_VERSION-$MYPY_VERSION

fail() {
    echo "bindings/python/build-wheel.sh: $*" >&2
    exit 1
}

target_args=()
case "${1:-}" in
"") ;;
--target)
    triple=${2:?--target needs a triple}
    target_args=(--target "$triple")
    case "$triple" in
    aarch64-unknown-linux-gnu)
        if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
            as_root=()
            [ "$(id -u)" = 0 ] || as_root=(sudo)
            "${as_root[@]}" apt-get update -qq >&2
            DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq gcc-aarch64-linux-gnu >&2
        fi
        export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
        ;;
    x86_64-unknown-linux-gnu) ;;
    *) fail "only the Linux targets x86_64-unknown-linux-gnu and aarch64-unknown-linux-gnu are set up, not $triple" ;;
    esac
    rustup target add "$triple" >&2
    ;;
*) echo "usage: $0 [--target TRIPLE]" >&2; exit 2 ;;
esac

if [ ! -x "$venv/bin/maturin" ] || [ ! -x "$venv/bin/auditwheel" ] || [ ! -x "$venv/bin/stubgen" ]; then
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
    if ! "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "maturin==$MATURIN_VERSION" "auditwheel==$AUDITWHEEL_VERSION" "mypy==$MYPY_VERSION" >&2; then
        rm -rf "$venv"
        fail "pip could not install maturin==$MATURIN_VERSION auditwheel==$AUDITWHEEL_VERSION mypy==$MYPY_VERSION"
    fi
fi

target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac
export CARGO_TARGET_DIR=$target_dir
out=$target_dir/wheels
mkdir -p "$out"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' bindings/python/pyproject.toml | head -n 1)
[ -n "$version" ] || fail "no version in bindings/python/pyproject.toml"
arch=x86_64
case "${triple:-}" in aarch64-*) arch=aarch64 ;; esac
rm -f "$out"/cognito_auth-"$version"-*_"$arch".whl

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# maturin runs `cargo run --bin uniffi-bindgen` (crates/uniffi-bindgen) for the Python module.
if ! (cd bindings/python && "$venv/bin/maturin" build --release --locked ${target_args[@]+"${target_args[@]}"} --out "$out") >"$log" 2>&1; then
    cat "$log" >&2
    fail "maturin build failed (output above)"
fi
shopt -s nullglob
wheels=("$out"/cognito_auth-"$version"-*_"$arch".whl)
[ "${#wheels[@]}" = 1 ] || fail "expected one wheel in $out, found ${#wheels[@]}"
wheel=${wheels[0]}

# The type stub of the generated module (enum variants as subclasses of their enum).
# And the library stripped (maturin cannot: it would strip before uniffi-bindgen reads the symbols).
strip_tool=$(command -v llvm-strip || true)
if [ -z "$strip_tool" ]; then
    if [ "$arch" = aarch64 ]; then strip_tool=$(command -v aarch64-linux-gnu-strip || true); else strip_tool=$(command -v strip || true); fi
fi
[ -n "$strip_tool" ] || fail "no strip tool for $arch on PATH (llvm-strip, strip, aarch64-linux-gnu-strip)"
"$venv/bin/python" bindings/python/add_stub.py "$wheel" "$venv/bin/stubgen" "$strip_tool"

# What must be inside: the package, the marker, the ready client, the generated module and the library.
python3 - "$wheel" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["cognito_auth_ffi/__init__.py", "cognito_auth_ffi/py.typed", "cognito_auth_ffi/client.py",
        "cognito_auth_ffi/device_facts.py",
        "cognito_auth_ffi/_uniffi/cognito_auth_ffi.py", "cognito_auth_ffi/_uniffi/cognito_auth_ffi.pyi",
        "cognito_auth_ffi/_uniffi/libcognito_auth_ffi.so"]
missing = [name for name in need if name not in names]
if missing:
    sys.exit(f"build-wheel.sh: the wheel lacks {missing}")
PY

# The tag: a ctypes module, so py3-none; maturin chose manylinux_2_XX from the library's glibc
# symbol versions, and auditwheel must agree with it.
tag=$(basename "$wheel" .whl | cut -d- -f3-)
case "$tag" in py3-none-manylinux_*) ;; *) fail "unexpected wheel tag $tag" ;; esac
platform=${tag#py3-none-}
"$venv/bin/auditwheel" show "$wheel" >"$log" 2>&1 || { cat "$log" >&2; fail "auditwheel show failed"; }
tr '\n' ' ' <"$log" | grep -qF "consistent with the following platform tag: \"$platform\"" ||
    { cat "$log" >&2; fail "auditwheel does not confirm the tag $platform"; }

echo "wheel_bytes: $(wc -c <"$wheel")"
echo "wheel_tag: $tag (auditwheel agrees)"
echo "wheel: $wheel"
