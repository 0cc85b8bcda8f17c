#!/usr/bin/env bash
# Installs MiniStack (the local Cognito emulator the end-to-end tests start on 127.0.0.1) into
# its own virtualenv, once, and prints the path of its executable. A virtualenv because
# MiniStack pins botocore, which would break a system-wide awscli. The tests also find the
# executable at this path without being told.
set -euo pipefail
version=1.5.33
venv="$HOME/.cache/cognito-auth/ministack-$version"
if [ ! -x "$venv/bin/ministack" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "ministack==$version" >&2
fi
echo "$venv/bin/ministack"
