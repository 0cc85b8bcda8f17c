#!/usr/bin/env bash
# Checks scripts/ensure-tool.sh as a fresh machine uses it (issue 14, "Fresh machine"): three
# installs of MiniStack started at once into an empty cache (COGNITO_AUTH_CACHE), over the
# leftovers of an interrupted install (an executable, no completion marker). Exactly one installs,
# the others wait on its lock; all print the same executable; the result is complete (marker,
# pip check, import) and the leftover is gone. About 30 s (pip's cache is warm after the
# install the test script does first).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { printf 'check-ensure-tool: %s\n' "$*" >&2; exit 1; }

cache="$(mktemp -d "${TMPDIR:-/tmp}/ensure-tool-check.XXXXXX")"
trap 'rm -rf "$cache"' EXIT
venv="$cache/ministack-1.5.33"
expected="$venv/bin/ministack"
mkdir -p "$venv/bin"
printf '#!/bin/sh\n# left by an interrupted install\nexit 3\n' >"$expected"
chmod +x "$expected"

started=$(date +%s)
pids=()
for i in 1 2 3; do
  COGNITO_AUTH_CACHE="$cache" bash scripts/ensure-tool.sh ministack >"$cache/out.$i" 2>"$cache/err.$i" &
  pids+=("$!")
done
for i in 0 1 2; do
  wait "${pids[$i]}" || fail "run $((i + 1)) failed: $(cat "$cache/err.$((i + 1))")"
done
for i in 1 2 3; do
  [ "$(cat "$cache/out.$i")" = "$expected" ] || fail "run $i printed $(cat "$cache/out.$i"), not $expected"
done
installs=$(cat "$cache"/err.* | grep -c '^ensure-tool: installing ministack' || true)
[ "$installs" -eq 1 ] || fail "$installs installs ran, not 1: $(cat "$cache"/err.*)"
[ -f "$venv/.cognito-auth-installed" ] || fail "no completion marker"
grep -q 'interrupted install' "$expected" && fail "the interrupted install's executable was kept"
"$venv/bin/pip" check --disable-pip-version-check >/dev/null || fail "pip check failed"
"$venv/bin/python" -c 'import ministack' || fail "ministack does not import"
# Installed now: a fourth run answers at once, without the lock.
COGNITO_AUTH_CACHE="$cache" bash scripts/ensure-tool.sh ministack 2>"$cache/err.4" | grep -qx "$expected" \
  || fail "the installed tool was not found"
[ ! -s "$cache/err.4" ] || fail "the fourth run did more than print the path: $(cat "$cache/err.4")"
echo "ensure-tool.sh: 3 concurrent runs, 1 install, 1 executable, complete, in $(( $(date +%s) - started )) s"
