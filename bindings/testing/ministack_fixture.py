"""The MiniStack fixture for the Python tests: a thin wrapper over the test kit's binary
``ministack-fixture`` (crates/cognito-auth-testkit/src/bin/ministack-fixture.rs), which starts
MiniStack 1.5.33 with AUTH=true on 127.0.0.1 and provisions a pool, an app client and a
CONFIRMED user enrolled in TOTP MFA. The launcher, the provisioning, TOTP and SECRET_HASH exist
once, in Rust; nothing here re-implements them. Standard library only.

From Python (pytest)::

    from ministack_fixture import MiniStackFixture
    with MiniStackFixture() as fx:          # MiniStackFixture(client_secret=True) for a secret
        fx.endpoint, fx.client_id, fx.username, fx.password, fx.totp_secret
        fx.totp_code()                      # the current code (the kit's RFC 6238)
        fx.secret_hash()                    # SECRET_HASH of the fixture user, None without secret
        fx.call("InitiateAuth", {...})      # (status, json) of one unsigned/admin call

The binary is $MINISTACK_FIXTURE_BIN, else what ``bash bindings/testing/ministack-fixture.sh
--build`` builds. The server is stopped on ``__exit__``, and by the binary itself if this
process dies first (``--owner-pid``).

From the command line, ``python3 bindings/testing/ministack_fixture.py ARGS`` runs the binary
with ARGS (``start``, ``stop``, ``totp``, ``secret-hash``, ``call``, ``selftest``).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
_binary = None


class FixtureError(Exception):
    """The fixture binary failed; the message carries what it said."""


def binary():
    """The ``ministack-fixture`` executable (built once per process when not given)."""
    global _binary
    if _binary is None:
        _binary = os.environ.get("MINISTACK_FIXTURE_BIN") or subprocess.run(
            ["bash", os.path.join(HERE, "ministack-fixture.sh"), "--build"],
            check=True, stdout=subprocess.PIPE, universal_newlines=True,
        ).stdout.strip()
    return _binary


def run(*args, stdin=None):
    """Runs the binary with `args`; returns its stdout, raises FixtureError on failure."""
    done = subprocess.run(
        [binary()] + [str(arg) for arg in args], input=stdin, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, universal_newlines=True,
    )
    if done.returncode != 0:
        raise FixtureError(done.stderr.strip() or "ministack-fixture %s: exit status %d" % (args[0], done.returncode))
    return done.stdout


class MiniStackFixture:
    """Context manager for pytest and scripts: ``with MiniStackFixture() as fx: ...``.

    The fixture.json keys are attributes (``endpoint``, ``user_pool_id``, ``client_id``,
    ``client_secret``, ``username``, ``password``, ``totp_secret``, ``pid``). With no
    ``state_dir`` a temporary directory is used and removed on exit."""

    def __init__(self, client_secret=False, state_dir=None, ministack=None):
        self._client_secret = client_secret
        self._given_dir = state_dir
        self._ministack = ministack
        self.state_dir = None
        self._fixture = None

    def __enter__(self):
        self.state_dir = self._given_dir or tempfile.mkdtemp(prefix="ministack-fixture-")
        args = ["start", "--state", self.state_dir, "--owner-pid", os.getpid()]
        args += ["--client-secret"] if self._client_secret else []
        args += ["--ministack", self._ministack] if self._ministack else []
        try:
            run(*args)
            with open(os.path.join(self.state_dir, "fixture.json")) as source:
                self._fixture = json.load(source)
        except BaseException:
            try:
                self._stop()
            except FixtureError:
                pass  # the start error says more
            raise
        return self

    def __exit__(self, *exc):
        self._stop()
        return False

    def _stop(self):
        try:
            run("stop", "--state", self.state_dir)
        finally:
            if self._given_dir is None and self.state_dir:
                shutil.rmtree(self.state_dir, ignore_errors=True)

    def __getattr__(self, name):
        fixture = self.__dict__.get("_fixture")
        if fixture is not None and name in fixture:
            return fixture[name]
        raise AttributeError(name)

    def as_dict(self):
        return dict(self._fixture)

    def totp_code(self):
        """The user's current TOTP code (waits out the last 3 s of a step)."""
        return run("totp", "--state", self.state_dir).strip()

    def secret_hash(self, username=None):
        """SECRET_HASH for `username` (default: the fixture user), or None without a secret."""
        extra = ["--username", username] if username else []
        return run("secret-hash", "--state", self.state_dir, *extra).strip() or None

    def call(self, operation, body):
        """(HTTP status, JSON) of one cognito-idp operation against this server."""
        answer = json.loads(run("call", "--state", self.state_dir, operation, stdin=json.dumps(body)))
        return answer["status"], answer["body"]


if __name__ == "__main__":
    os.execv(binary(), [binary()] + sys.argv[1:])
