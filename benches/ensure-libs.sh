#!/usr/bin/env bash
# Makes sure the system GMP that the GMP baseline (rug with use-system-libs) links against is
# installed: Debian's libgmp-dev. Installs it with apt-get if missing (through sudo when not
# root); fails with a clear message when it cannot. Quiet when it is already there.
set -euo pipefail

have_gmp() {
  dpkg-query -W -f='${Status}' libgmp-dev 2>/dev/null | grep -q "install ok installed" && return 0
  # Not Debian, or installed another way: a compilable gmp.h is what the build needs.
  command -v cc >/dev/null 2>&1 && printf '#include <gmp.h>\n' | cc -E -x c - >/dev/null 2>&1
}

have_gmp && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-gmp.sh: GMP development files (gmp.h, libgmp.so) are missing and apt-get is not available: install GMP >= 6.2 by hand" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-gmp.sh: libgmp-dev is missing and this user cannot install it (not root, no password-less sudo): run 'apt-get install libgmp-dev' as root" >&2
  exit 1
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
echo "ensure-gmp.sh: installing libgmp-dev" >&2
if ! { "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq libgmp-dev; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-gmp.sh: apt-get install libgmp-dev failed (output above)" >&2
  exit 1
fi
if ! have_gmp; then
  echo "ensure-gmp.sh: libgmp-dev was installed but gmp.h is still not found" >&2
  exit 1
fi
