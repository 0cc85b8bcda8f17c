#!/usr/bin/env bash
# Creates (once) the virtualenv of the static binding checks and prints its python:
#   ~/.cache/cognito-auth/bindings-checks/  with tree-sitter, tree-sitter-swift, tree-sitter-dart
#   and PyYAML, pinned below. A changed pin rebuilds the venv. Idempotent; quiet on success.
#
#   PY=$(bash bindings/tools/ensure-venv.sh)
set -euo pipefail
PINS=(tree-sitter==0.26.1 tree-sitter-swift==0.7.4 tree-sitter-dart==0.1.0 PyYAML==6.0.3)
VENV=$HOME/.cache/cognito-auth/bindings-checks
STAMP=$VENV/.pins
want="${PINS[*]}"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV" >&2
  if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}" >&2; then
    rm -rf "$VENV"
    echo "ensure-venv.sh: pip could not install ${PINS[*]}" >&2
    exit 1
  fi
  echo "$want" >"$STAMP"
fi
echo "$VENV/bin/python"
