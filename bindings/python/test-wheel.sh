#!/usr/bin/env bash
# The Python package tested the way a user gets it: the wheel from build-wheel.sh installed into a
# fresh virtualenv, nothing of the source tree importable as `cognito_auth_ffi`, then
#   1. the Python suite's production tests against the installed package (MiniStack end to end
#      included: bindings/python/tests/test_e2e_ministack.py starts its own MiniStack);
#   2. mypy --strict over a typed consumer (bindings/python/typecheck/consumer.py) using the
#      package's py.typed type information, and a wrong-typed consumer mypy must reject; over
#      the shipped client (cognito_auth_ffi/client.py) and a typed consumer of it
#      (typecheck/client_consumer.py).
#
#   bash bindings/python/test-wheel.sh            # builds the wheel first
#   WHEEL=path/to.whl bash bindings/python/test-wheel.sh
#
# Which tests: every bindings/python/tests/test_*.py that does not call the test-only entry
# points (`*_for_testing`, behind the FFI's `testing` feature, absent from a release build).
# The others need a testing build and run in bindings/python/run-tests.sh. The files run and
# skipped are printed. Ends with pytest's summary line.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

PYTEST_VERSION=9.2.0
MYPY_VERSION=2.4.1

fail() {
    echo "bindings/python/test-wheel.sh: $*" >&2
    exit 1
}

wheel=${WHEEL:-}
if [ -z "$wheel" ]; then
    build_log=$(mktemp)
    bash bindings/python/build-wheel.sh | tee "$build_log"
    wheel=$(sed -n 's/^wheel: //p' "$build_log")
    rm -f "$build_log"
fi
[ -f "$wheel" ] || fail "no wheel at '$wheel'"

work=$(mktemp -d "${TMPDIR:-/tmp}/cognito-wheel-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
py=$work/venv/bin/python
"$py" -m pip install --quiet --disable-pip-version-check "$wheel" \
    "pytest==$PYTEST_VERSION" "mypy==$MYPY_VERSION" >&2 || fail "pip could not install the wheel and the test tools"

# The package must come from the venv, and nothing the tests put on sys.path may shadow it.
for dir in bindings/python/tests bindings/testing; do
    if compgen -G "$dir/cognito_auth_ffi*" >/dev/null; then
        fail "$dir has a cognito_auth_ffi* file that would shadow the installed package"
    fi
done
location=$(cd "$work" && "$py" -P -c 'import cognito_auth_ffi; print(cognito_auth_ffi.__file__)')
case "$location" in
"$work/venv/"*) echo "installed package: $location" ;;
*) fail "cognito_auth_ffi was imported from $location, not from the fresh venv" ;;
esac
# The ready client ships in the package, next to the generated module.
client_location=$(cd "$work" && "$py" -P -c 'import cognito_auth_ffi.client as c; print(c.__file__)')
[ "$client_location" = "$(dirname "$location")/client.py" ] ||
    fail "cognito_auth_ffi.client was imported from $client_location, not from the installed package"
echo "installed client: $client_location"

selected=()
skipped=()
for file in bindings/python/tests/test_*.py; do
    if grep -q "_for_testing" "$file"; then
        skipped+=("$(basename "$file")")
    else
        selected+=("$file")
    fi
done
[ "${#selected[@]}" -gt 0 ] || fail "no test file runs against a release build"
echo "against the installed wheel: ${selected[*]##*/}"
echo "needing the testing build (run by bindings/python/run-tests.sh instead): ${skipped[*]:-none}"

# mypy: the typed consumer passes, the same with one wrong type does not.
typing_dir=$root/bindings/python/typecheck
(cd "$work" && "$work/venv/bin/mypy" --strict --no-incremental --cache-dir=/dev/null \
    "$typing_dir/consumer.py") || fail "mypy --strict rejected bindings/python/typecheck/consumer.py"
if (cd "$work" && "$work/venv/bin/mypy" --strict --no-incremental --cache-dir=/dev/null \
    "$typing_dir/consumer_wrong.py" >"$work/mypy-wrong.log" 2>&1); then
    fail "mypy accepted bindings/python/typecheck/consumer_wrong.py: the package's types are not seen"
fi
grep -q 'consumer_wrong.py:.*\[arg-type\]' "$work/mypy-wrong.log" ||
    { cat "$work/mypy-wrong.log" >&2; fail "mypy rejected consumer_wrong.py for another reason"; }
# The shipped client itself (the installed module, named with -p), and a typed consumer of it.
# The generated stub the client imports is read, not judged (stubgen output: untyped parameters).
printf '[mypy]\n[mypy-cognito_auth_ffi._uniffi.*]\nignore_errors = True\n' >"$work/mypy-client.ini"
(cd "$work" && "$work/venv/bin/mypy" --strict --no-incremental --cache-dir=/dev/null \
    "$typing_dir/client_consumer.py" && "$work/venv/bin/mypy" --config-file "$work/mypy-client.ini" \
    --strict --no-incremental --cache-dir=/dev/null -p cognito_auth_ffi.client \
    -p cognito_auth_ffi.device_facts) ||
    fail "mypy --strict rejected the client (cognito_auth_ffi/client.py) or typecheck/client_consumer.py"
echo "mypy --strict: consumer.py accepted, consumer_wrong.py rejected ([arg-type]); client.py, device_facts.py and client_consumer.py accepted"

export RUST_BACKTRACE=0 PYTHONDONTWRITEBYTECODE=1
MINISTACK_BIN="${MINISTACK_BIN:-$(bash scripts/ensure-tool.sh ministack)}"
export MINISTACK_BIN
# -P: the current directory is not put on sys.path.
(cd "$work" && "$py" -P -m pytest -q -p no:cacheprovider --rootdir "$root/bindings/python" \
    "${selected[@]/#/$root/}")
