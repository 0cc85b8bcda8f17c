#!/usr/bin/env bash
# Installs a Python tool the tests need into its own virtualenv under ~/.cache/cognito-auth/,
# once, and prints the path of its executable. Own virtualenvs because the emulators pin
# botocore versions that would break a system-wide awscli. The test harnesses find the
# executables at these paths without being told.
#
#   scripts/ensure-tool.sh ministack   -> MiniStack 1.5.33 (verifies SRP, SECRET_HASH, TOTP)
#   scripts/ensure-tool.sh moto        -> moto 5.2.5 server (speaks MFA_SETUP and SMS_MFA)
set -euo pipefail
case "${1:-}" in
  ministack) spec="ministack==1.5.33"; dir="ministack-1.5.33"; exe="ministack" ;;
  moto) spec="moto[server,cognitoidp]==5.2.5"; dir="moto-5.2.5"; exe="moto_server" ;;
  *) echo "usage: $0 ministack|moto" >&2; exit 2 ;;
esac
venv="$HOME/.cache/cognito-auth/$dir"
if [ ! -x "$venv/bin/$exe" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$spec" >&2
fi
echo "$venv/bin/$exe"
