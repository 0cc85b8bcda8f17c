# Sourced by bindings/{swift,dart,android}/check.sh: runs checks and adds up their results.
#
#   counted LABEL CMD...   CMD is one of bindings/tools/*.py: its last line is
#                          `<tool>: N passed, M failed`; N and M are added to the totals.
#   single LABEL CMD...    CMD succeeds or fails as one check.
#   summary NAME           prints `NAME: N passed, M failed` and returns 1 if any failed.
#
# A passing check prints one `ok` line; a failing one prints FAIL and the command's output.
# shellcheck shell=bash
CHECKS_PASSED=0
CHECKS_FAILED=0

counted() {
  local label=$1 log status=0 last n m
  shift
  log=$(mktemp)
  "$@" >"$log" 2>&1 || status=$?
  last=$(tail -n 1 "$log")
  if [[ $last =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    n=${BASH_REMATCH[1]}
    m=${BASH_REMATCH[2]}
  else
    n=0
    m=1
  fi
  if [ "$status" -ne 0 ] && [ "$m" -eq 0 ]; then
    m=1 # a crash after a clean count still fails
  fi
  CHECKS_PASSED=$((CHECKS_PASSED + n))
  CHECKS_FAILED=$((CHECKS_FAILED + m))
  if [ "$m" -eq 0 ]; then
    echo "ok   $label ($n)"
  else
    echo "FAIL $label"
    sed 's/^/     /' "$log"
  fi
  rm -f "$log"
}

single() {
  local label=$1 log
  shift
  log=$(mktemp)
  if "$@" >"$log" 2>&1; then
    CHECKS_PASSED=$((CHECKS_PASSED + 1))
    echo "ok   $label"
  else
    CHECKS_FAILED=$((CHECKS_FAILED + 1))
    echo "FAIL $label"
    sed 's/^/     /' "$log"
  fi
  rm -f "$log"
}

summary() {
  echo "$1: $CHECKS_PASSED passed, $CHECKS_FAILED failed"
  [ "$CHECKS_FAILED" -eq 0 ]
}
