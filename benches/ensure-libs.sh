#!/usr/bin/env bash
# Makes sure the system libraries that the benchmark baselines link against are installed:
#   libgmp-dev      GMP, for the rug baseline (rug with use-system-libs; src/gmp.rs)
#   libtommath-dev  libtommath 1.2, for benches/c/libtommath_srp.c (benches/paired.sh)
# Installs what is missing with apt-get (through sudo when not root); fails with a clear
# message when it cannot. Quiet when everything is already there.
set -euo pipefail

# have PACKAGE HEADER: the Debian package is installed, or (not Debian, installed another way)
# its header compiles.
have() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
  command -v cc >/dev/null 2>&1 && printf '#include <%s>\n' "$2" | cc -E -x c - >/dev/null 2>&1
}

missing=()
have libgmp-dev gmp.h || missing+=(libgmp-dev)
have libtommath-dev tommath.h || missing+=(libtommath-dev)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-libs.sh: ${missing[*]} missing and apt-get is not available: install GMP >= 6.2 and libtommath 1.2 (headers and libraries) by hand" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-libs.sh: ${missing[*]} missing and this user cannot install them (not root, no password-less sudo): run 'apt-get install ${missing[*]}' as root" >&2
  exit 1
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
echo "ensure-libs.sh: installing ${missing[*]}" >&2
if ! { "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-libs.sh: apt-get install ${missing[*]} failed (output above)" >&2
  exit 1
fi
if ! have libgmp-dev gmp.h || ! have libtommath-dev tommath.h; then
  echo "ensure-libs.sh: ${missing[*]} installed but gmp.h or tommath.h is still not found" >&2
  exit 1
fi
