#!/usr/bin/env python3
"""MiniStack 1.5.33 as a Cognito user pool for the foreign-language end-to-end tests.

Standard library only, so it runs with any python3 >= 3.8.

Command line (the bindings' run-tests scripts use it like this):

    python3 bindings/testing/ministack_fixture.py start --state DIR [--client-secret]
                                                         [--owner-pid PID] [--ministack EXE]
    python3 bindings/testing/ministack_fixture.py stop --state DIR
    python3 bindings/testing/ministack_fixture.py selftest

``start`` launches MiniStack on a free 127.0.0.1 port with ``AUTH=true`` (SRP proofs,
SECRET_HASH and TOTP codes are really checked), provisions

* a user pool with optional software-token (TOTP) MFA,
* an app client with explicit auth flows USER_SRP_AUTH, USER_PASSWORD_AUTH and
  REFRESH_TOKEN_AUTH, without a client secret unless ``--client-secret``,
* a CONFIRMED user with a random permanent password, enrolled in TOTP MFA the way an app
  does it (sign in, AssociateSoftwareToken, VerifySoftwareToken with a code this file
  computes, SetUserMFAPreference), so that every sign-in ends in a SOFTWARE_TOKEN_MFA
  challenge,

writes ``DIR/fixture.json``::

    {"endpoint": "http://127.0.0.1:PORT/", "user_pool_id": ..., "client_id": ...,
     "client_secret": null | "...", "username": ..., "password": ..., "totp_secret": BASE32,
     "pid": MINISTACK_PID, "log": "DIR/ministack.log"}

and returns, leaving the server running. The file holds test credentials only; it is
written with mode 0600. If anything fails, ``start`` stops the server before exiting
non-zero, with the server's log tail on stderr.

``stop`` sends MiniStack SIGTERM, waits up to 10 s, then SIGKILLs its process group. It is
quiet and succeeds when nothing is running. ``--owner-pid PID`` makes a small watcher stop
the server once PID is gone (a test script killed before its trap ran).

``selftest`` starts a fixture (once without and once with a client secret), signs in with
USER_PASSWORD_AUTH over urllib, checks the SOFTWARE_TOKEN_MFA challenge, answers it with a
TOTP code, checks a wrong password gets NotAuthorizedException, stops it, checks the process
is gone, and prints ``ok``.

From Python (pytest)::

    from ministack_fixture import MiniStackFixture
    with MiniStackFixture() as fx:          # MiniStackFixture(client_secret=True) for a secret
        fx.endpoint, fx.client_id, fx.username, fx.password, fx.totp_secret
        fx.totp_code()                      # the current code
        fx.call("InitiateAuth", {...})      # (status, json) of one unsigned/admin call

Where MiniStack comes from: ``--ministack``, else ``$MINISTACK_BIN``, else
``bash scripts/ensure-tool.sh ministack`` (installs it once under ~/.cache/cognito-auth/).
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

MINISTACK_VERSION = "1.5.33"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

READY_TIMEOUT = 30.0  # seconds until /_ministack/health must answer
POLL_INTERVAL = 0.1
PROBE_TIMEOUT = 2.0
REQUEST_TIMEOUT = 15.0  # one provisioning request, connect to last byte
STOP_TIMEOUT = 10.0  # after SIGTERM, before SIGKILL of the group
START_ATTEMPTS = 3  # a free port can be taken between probing and binding

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
# Operations an SDK sends without credentials; everything else is an admin call.
UNSIGNED_OPERATIONS = frozenset(
    [
        "AssociateSoftwareToken",
        "ConfirmSignUp",
        "GetUser",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "SetUserMFAPreference",
        "SignUp",
        "VerifySoftwareToken",
    ]
)
# MiniStack with AUTH=true wants a SigV4-shaped header naming the access key `test` (the account
# root); it does not verify the signature. Same header as the Rust tests' support/cognito_idp.rs.
ADMIN_AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-target, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000"
)
AUTH_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
USERNAME = "fixture-user"

# No proxies from the environment: the server is on loopback.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class FixtureError(Exception):
    """Starting, provisioning or stopping the fixture failed; the message says what."""


# ------------------------------------------------------------------------------------------
# RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), RFC 4648 base32: what Cognito uses.


def base32_decode(text):
    """Decodes RFC 4648 base32, case-insensitive, padding optional."""
    cleaned = text.strip().replace(" ", "").upper().rstrip("=")
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key, counter, digits=6, digest=hashlib.sha1):
    """RFC 4226 HOTP value of `counter` as a zero-padded decimal string."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp(secret_base32, at=None, step=30, digits=6, digest=hashlib.sha1):
    """RFC 6238 TOTP code of a base32 secret at Unix time `at` (now if None)."""
    now = time.time() if at is None else at
    return hotp(base32_decode(secret_base32), int(now // step), digits, digest)


def fresh_totp(secret_base32):
    """The current code, after waiting out the last 3 s of a step so it stays valid."""
    into_step = time.time() % 30
    if into_step >= 27:
        time.sleep(30 - into_step + 0.1)
    return totp(secret_base32)


def secret_hash(username, client_id, client_secret):
    """Cognito SECRET_HASH: Base64(HMAC-SHA256(client_secret, username + client_id))."""
    mac = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


# ------------------------------------------------------------------------------------------
# AWS JSON 1.1 over urllib.


def call(endpoint, operation, body, timeout=REQUEST_TIMEOUT):
    """POSTs one cognito-idp operation; returns (HTTP status, JSON body or None)."""
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": TARGET_PREFIX + operation,
    }
    if operation not in UNSIGNED_OPERATIONS:
        headers["Authorization"] = ADMIN_AUTHORIZATION
    request = urllib.request.Request(
        endpoint, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        raise FixtureError("%s: no answer from %s: %s" % (operation, endpoint, error)) from None
    text = raw.decode("utf-8", "replace").strip()
    try:
        return status, (json.loads(text) if text else None)
    except ValueError:
        raise FixtureError("%s: HTTP %d, body is not JSON: %.300s" % (operation, status, text)) from None


def call_ok(endpoint, operation, body):
    """`call`, raising FixtureError unless HTTP 200. Never echoes the request (it may hold a
    password or token); the server's error body is safe to show."""
    status, answer = call(endpoint, operation, body)
    if status != 200:
        raise FixtureError("%s failed: HTTP %d %s" % (operation, status, json.dumps(answer)))
    return answer if answer is not None else {}


def error_type(answer):
    """`__type` of an AWS JSON error body, after any `namespace#`, before any `:`."""
    raw = (answer or {}).get("__type") or ""
    return raw.rsplit("#", 1)[-1].split(":", 1)[0]


def _get(answer, *path):
    node = answer
    for key in path:
        if not isinstance(node, dict) or key not in node:
            raise FixtureError("no %s in %s" % ("/".join(path), json.dumps(answer)[:300]))
        node = node[key]
    return node


# ------------------------------------------------------------------------------------------
# Process management.


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _proc_start_time(pid):
    """The process's start time in clock ticks (field 22 of /proc/PID/stat), or None if it
    is gone or a zombie. Recorded at start so that `stop` never signals a reused pid."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] in ("Z", "X"):  # state: a zombie is as good as gone
        return None
    return int(fields[19])


def _alive(pid, start_time):
    now = _proc_start_time(pid)
    return now is not None and (start_time is None or now == start_time)


def find_ministack(explicit=None):
    """--ministack, $MINISTACK_BIN, or `bash scripts/ensure-tool.sh ministack`."""
    path = explicit or os.environ.get("MINISTACK_BIN")
    if not path:
        script = os.path.join(REPO_ROOT, "scripts", "ensure-tool.sh")
        try:
            path = subprocess.run(
                ["bash", script, "ministack"], check=True, stdout=subprocess.PIPE, timeout=600
            ).stdout.decode().strip()
        except (OSError, subprocess.SubprocessError) as error:
            raise FixtureError("cannot install MiniStack with %s: %s" % (script, error)) from None
    if not os.path.isfile(path):
        raise FixtureError(
            "MiniStack executable %r is not a file; run `bash scripts/ensure-tool.sh ministack`"
            % path
        )
    return path


def _log_tail(path, lines=30):
    try:
        with open(path, errors="replace") as log:
            return "".join(log.readlines()[-lines:])
    except OSError:
        return "(no log)"


def _write_json(path, value):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(value, out, indent=2)
        out.write("\n")
    os.replace(tmp, path)


def _read_json(path):
    try:
        with open(path) as src:
            return json.load(src)
    except (OSError, ValueError):
        return None


class _Server:
    """One MiniStack process, leader of its own process group. `server.json` in the state
    directory records pid and start time from the moment it is spawned, so `stop` can find it
    even if provisioning never finished."""

    def __init__(self, state_dir, executable):
        self.state_dir = state_dir
        self.executable = executable
        self.log_path = os.path.join(state_dir, "ministack.log")
        self.proc = None
        self.port = None

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d/" % self.port

    def start(self):
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = _free_port()
            self._spawn()
            problem = self._wait_until_ready()
            if problem is None:
                return
            log = _log_tail(self.log_path, 40)
            stop_pid(self.proc.pid, _proc_start_time(self.proc.pid), self.proc)
            if attempt < START_ATTEMPTS and "already in use" in log:
                continue
            raise FixtureError(
                "MiniStack (%s) did not start on 127.0.0.1:%d: %s\n--- last lines of %s ---\n%s"
                % (self.executable, self.port, problem, self.log_path, log)
            )

    def _spawn(self):
        state = os.path.join(self.state_dir, "state")
        tmp = os.path.join(self.state_dir, "tmp")
        for path in (state, tmp):
            os.makedirs(path, exist_ok=True)
        env = dict(os.environ)
        env.pop("EDGE_PORT", None)
        env.update(
            {
                "AUTH": "true",
                "BIND_HOST": "127.0.0.1",
                "GATEWAY_PORT": str(self.port),
                "SERVICES": "cognito-idp,cognito-identity",
                "IOT_MTLS_ENABLED": "0",
                "SFTP_ENABLED": "0",
                "PERSIST_STATE": "0",
                "STATE_DIR": state,
                "S3_DATA_DIR": os.path.join(state, "s3"),
                "TMPDIR": tmp,
                "DOCKER_HOST": "unix://" + os.path.join(self.state_dir, "no-docker.sock"),
                "LOG_LEVEL": "INFO",
            }
        )
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [self.executable],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.state_dir,
                # Own process group (pgid == pid), same session so the watcher can join it.
                preexec_fn=os.setpgrp,
            )
        _write_json(
            os.path.join(self.state_dir, "server.json"),
            {"pid": self.proc.pid, "start_time": _proc_start_time(self.proc.pid), "port": self.port},
        )

    def _wait_until_ready(self):
        """None when healthy, else why not (bounded by READY_TIMEOUT)."""
        deadline = time.monotonic() + READY_TIMEOUT
        last = "no probe yet"
        url = self.endpoint + "_ministack/health"
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                return "it exited with status %d" % code
            try:
                with _OPENER.open(url, timeout=PROBE_TIMEOUT) as response:
                    health = json.loads(response.read().decode())
                version = health.get("version")
                if version != MINISTACK_VERSION:
                    return "it is MiniStack %s, the fixture pins %s" % (version, MINISTACK_VERSION)
                if health.get("auth") != "enabled":
                    return "AUTH=true did not take effect: %s" % health
                return None
            except (urllib.error.URLError, OSError, ValueError) as error:
                last = str(error)
            time.sleep(POLL_INTERVAL)
        return "not ready after %.0f s (last probe: %s)" % (READY_TIMEOUT, last)


def _start_watcher(owner_pid, server_pid):
    """A tiny sh loop in the server's process group: SIGTERM the server once `owner_pid` is
    gone (while the server still runs); it ends by itself when the server is gone, and `stop`
    kills it with the group."""
    script = (
        'while kill -0 "$2" 2>/dev/null; do '
        'if ! kill -0 "$1" 2>/dev/null; then kill -TERM "$2" 2>/dev/null; exit 0; fi; '
        "sleep 1; done"
    )
    subprocess.Popen(
        ["sh", "-c", script, "ministack-fixture-watch", str(owner_pid), str(server_pid)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.setpgid(0, server_pid),
    )


def stop_pid(pid, start_time, proc=None):
    """SIGTERM to MiniStack `pid`, a bounded wait, then SIGKILL to what is left of its process
    group (pgid == pid: the watcher, any child). Never signals a process that is not ours: the
    leader is identified by its start time, the rest of the group by a `ministack` command line.
    Returns whether MiniStack exited on SIGTERM (or was already gone)."""
    exited = True
    if _alive(pid, start_time):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        exited = False
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            if (proc.poll() is not None) if proc is not None else not _alive(pid, start_time):
                exited = True
                break
            time.sleep(POLL_INTERVAL)
        if not exited:
            sys.stderr.write(
                "MiniStack (pid %d) ignored SIGTERM for %.0f s; its process group gets SIGKILL\n"
                % (pid, STOP_TIMEOUT)
            )
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for member in _our_group_members(pid):
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if proc is not None:
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
    return exited


def _our_group_members(pgid):
    """Live processes in process group `pgid` whose command line names ministack (MiniStack
    itself, its children, the watcher `ministack-fixture-watch`)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open("/proc/%s/cmdline" % entry, "rb") as cmdline:
                command = cmdline.read()
        except (OSError, IndexError):
            continue
        if fields[0] not in ("Z", "X") and int(fields[2]) == pgid and b"ministack" in command:
            members.append(int(entry))
    return members


# ------------------------------------------------------------------------------------------
# Provisioning.


def provision(endpoint, with_secret):
    """Pool, app client, CONFIRMED user enrolled in TOTP MFA. Returns the fixture dict."""
    pool_id = _get(
        call_ok(endpoint, "CreateUserPool", {"PoolName": "bindings-e2e"}), "UserPool", "Id"
    )
    call_ok(
        endpoint,
        "SetUserPoolMfaConfig",
        {
            "UserPoolId": pool_id,
            "MfaConfiguration": "OPTIONAL",
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
        },
    )
    client = _get(
        call_ok(
            endpoint,
            "CreateUserPoolClient",
            {
                "UserPoolId": pool_id,
                "ClientName": "bindings-e2e-app",
                "GenerateSecret": bool(with_secret),
                "ExplicitAuthFlows": AUTH_FLOWS,
            },
        ),
        "UserPoolClient",
    )
    client_id = _get(client, "ClientId")
    client_secret = client.get("ClientSecret")
    if bool(client_secret) != bool(with_secret):
        raise FixtureError("GenerateSecret=%s but ClientSecret is %r" % (with_secret, bool(client_secret)))

    # Random per fixture; satisfies the default policy (length, upper, lower, digit, symbol).
    password = "Fx-" + secrets.token_hex(6) + "-Aa9!"
    created = call_ok(
        endpoint,
        "AdminCreateUser",
        {"UserPoolId": pool_id, "Username": USERNAME, "MessageAction": "SUPPRESS"},
    )
    username = _get(created, "User", "Username")
    call_ok(
        endpoint,
        "AdminSetUserPassword",
        {"UserPoolId": pool_id, "Username": username, "Password": password, "Permanent": True},
    )
    status = _get(
        call_ok(endpoint, "AdminGetUser", {"UserPoolId": pool_id, "Username": username}),
        "UserStatus",
    )
    if status != "CONFIRMED":
        raise FixtureError("AdminSetUserPassword(Permanent) left the user %s" % status)

    # Enrol TOTP as a signed-in app does. MFA is not on for the user yet, so a password
    # sign-in gives tokens at once.
    auth = call_ok(
        endpoint,
        "InitiateAuth",
        _password_auth(client_id, client_secret, username, password),
    )
    access_token = _get(auth, "AuthenticationResult", "AccessToken")
    totp_secret = _get(
        call_ok(endpoint, "AssociateSoftwareToken", {"AccessToken": access_token}), "SecretCode"
    )
    verified = call_ok(
        endpoint,
        "VerifySoftwareToken",
        {
            "AccessToken": access_token,
            "UserCode": fresh_totp(totp_secret),
            "FriendlyDeviceName": "fixture-phone",
        },
    )
    if verified.get("Status") != "SUCCESS":
        raise FixtureError("VerifySoftwareToken: %s" % json.dumps(verified))
    call_ok(
        endpoint,
        "SetUserMFAPreference",
        {
            "AccessToken": access_token,
            "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True},
        },
    )
    return {
        "endpoint": endpoint,
        "user_pool_id": pool_id,
        "client_id": client_id,
        "client_secret": client_secret,
        "username": username,
        "password": password,
        "totp_secret": totp_secret,
    }


def _password_auth(client_id, client_secret, username, password):
    params = {"USERNAME": username, "PASSWORD": password}
    if client_secret:
        params["SECRET_HASH"] = secret_hash(username, client_id, client_secret)
    return {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": params}


# ------------------------------------------------------------------------------------------
# start / stop.


def start(state_dir, client_secret=False, owner_pid=None, ministack=None):
    """Starts and provisions; writes and returns DIR/fixture.json's content. On any failure
    (also Ctrl-C or SIGTERM) the server is stopped before the error propagates."""
    state_dir = os.path.abspath(state_dir)
    os.makedirs(state_dir, exist_ok=True)
    previous = _read_json(os.path.join(state_dir, "server.json"))
    if previous and _alive(previous.get("pid", 0), previous.get("start_time")):
        raise FixtureError(
            "a fixture is already running from %s (pid %d); stop it first" % (state_dir, previous["pid"])
        )
    fixture_path = os.path.join(state_dir, "fixture.json")
    if os.path.exists(fixture_path):
        os.remove(fixture_path)
    server = _Server(state_dir, find_ministack(ministack))

    def on_sigterm(signum, _frame):
        raise SystemExit(128 + signum)

    previous_handler = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        server.start()
        fixture = provision(server.endpoint, client_secret)
        fixture["pid"] = server.proc.pid
        fixture["log"] = server.log_path
        if owner_pid:
            _start_watcher(owner_pid, server.proc.pid)
        _write_json(fixture_path, fixture)
        return fixture, server.proc
    except BaseException as error:
        if server.proc is not None:
            stop_pid(server.proc.pid, _proc_start_time(server.proc.pid), server.proc)
            if isinstance(error, FixtureError) and "--- last lines" not in str(error):
                raise FixtureError(
                    "%s\n--- last lines of %s ---\n%s" % (error, server.log_path, _log_tail(server.log_path))
                ) from None
        raise
    finally:
        signal.signal(signal.SIGTERM, previous_handler)


def stop(state_dir, proc=None):
    """Stops the fixture started from `state_dir` (quietly succeeds if none is running)."""
    state_dir = os.path.abspath(state_dir)
    record = _read_json(os.path.join(state_dir, "server.json"))
    if not record:
        return True
    graceful = stop_pid(record["pid"], record.get("start_time"), proc)
    for name in ("server.json", "fixture.json"):
        try:
            os.remove(os.path.join(state_dir, name))
        except FileNotFoundError:
            pass
    return graceful


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
        self._proc = None
        self._fixture = None

    def __enter__(self):
        self.state_dir = self._given_dir or tempfile.mkdtemp(prefix="ministack-fixture-")
        try:
            self._fixture, self._proc = start(
                self.state_dir, client_secret=self._client_secret, ministack=self._ministack
            )
        except BaseException:
            self._cleanup_dir()
            raise
        return self

    def __exit__(self, *exc):
        try:
            stop(self.state_dir, self._proc)
        finally:
            self._cleanup_dir()
        return False

    def _cleanup_dir(self):
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
        return fresh_totp(self.totp_secret)

    def secret_hash(self, username=None):
        """SECRET_HASH for `username` (default: the fixture user), or None without a secret."""
        if not self.client_secret:
            return None
        return secret_hash(username or self.username, self.client_id, self.client_secret)

    def call(self, operation, body):
        """(HTTP status, JSON) of one cognito-idp operation against this server."""
        return call(self.endpoint, operation, body)


# ------------------------------------------------------------------------------------------
# Self-check.


def _check(condition, what):
    if not condition:
        raise FixtureError("selftest: " + what)


def _selftest_totp():
    # RFC 6238 Appendix B (SHA1, 8 digits) and RFC 4226 Appendix D (6 digits): independent data.
    seed = base64.b32encode(b"12345678901234567890").decode()
    for at, code in ((59, "94287082"), (1111111109, "07081804"), (2000000000, "69279037")):
        _check(totp(seed, at=at, digits=8) == code, "RFC 6238 vector T=%d" % at)
    _check(hotp(b"12345678901234567890", 1) == "287082", "RFC 4226 vector 1")
    # AWS documentation example of SECRET_HASH inputs, cross-checked in the core's test data.
    _check(
        secret_hash("teacher@example.com", "test-client-id", "test-secret")
        == "ubMq12ua7Sob8EJy4crIRzaQLGUIELfDWkbXBRqlgVw=",
        "SECRET_HASH known answer",
    )


def _selftest_scenario(with_secret):
    with MiniStackFixture(client_secret=with_secret) as fx:
        pid = fx.pid
        _check((fx.client_secret is not None) == with_secret, "client_secret presence")
        with open(os.path.join(fx.state_dir, "fixture.json")) as src:
            on_disk = json.load(src)
        for key in ("endpoint", "user_pool_id", "client_id", "client_secret", "username",
                    "password", "totp_secret", "pid"):
            _check(key in on_disk, "fixture.json has %s" % key)
        _check(fx.endpoint.startswith("http://127.0.0.1:"), "endpoint on 127.0.0.1")

        body = _password_auth(fx.client_id, fx.client_secret, fx.username, fx.password)
        status, answer = fx.call("InitiateAuth", body)
        _check(status == 200 and answer.get("ChallengeName") == "SOFTWARE_TOKEN_MFA",
               "USER_PASSWORD_AUTH gives SOFTWARE_TOKEN_MFA: %d %s" % (status, answer))
        responses = {"USERNAME": fx.username, "SOFTWARE_TOKEN_MFA_CODE": fx.totp_code()}
        if fx.client_secret:
            responses["SECRET_HASH"] = fx.secret_hash()
        status, answer = fx.call(
            "RespondToAuthChallenge",
            {"ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": fx.client_id,
             "Session": answer.get("Session"), "ChallengeResponses": responses},
        )
        _check(status == 200 and "AccessToken" in (answer.get("AuthenticationResult") or {}),
               "the TOTP answer gives tokens: %d %s" % (status, error_type(answer)))

        wrong = _password_auth(fx.client_id, fx.client_secret, fx.username, fx.password + "x")
        status, answer = fx.call("InitiateAuth", wrong)
        _check(status == 400 and error_type(answer) == "NotAuthorizedException",
               "a wrong password gives NotAuthorizedException: %d %s" % (status, answer))
        if with_secret:
            bad = dict(body, AuthParameters=dict(body["AuthParameters"], SECRET_HASH="AAAA"))
            status, answer = fx.call("InitiateAuth", bad)
            _check(status == 400 and error_type(answer) == "NotAuthorizedException",
                   "a wrong SECRET_HASH is refused (AUTH=true): %d %s" % (status, answer))
        port = int(fx.endpoint.rsplit(":", 1)[1].strip("/"))
    _check(_proc_start_time(pid) is None, "MiniStack (pid %d) is gone after stop" % pid)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        _check(sock.connect_ex(("127.0.0.1", port)) != 0, "port %d is closed after stop" % port)


def selftest():
    _selftest_totp()
    for with_secret in (False, True):
        _selftest_scenario(with_secret)
    print("ok")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start + provision, write STATE/fixture.json, return")
    p_start.add_argument("--state", required=True, help="directory for fixture.json, log, state")
    p_start.add_argument("--client-secret", action="store_true", help="app client with a secret")
    p_start.add_argument("--owner-pid", type=int, help="stop the server once this pid is gone")
    p_start.add_argument("--ministack", help="MiniStack executable (default: $MINISTACK_BIN or ensure-tool.sh)")
    p_stop = sub.add_parser("stop", help="stop the fixture started with --state")
    p_stop.add_argument("--state", required=True)
    sub.add_parser("selftest", help="start, sign in over urllib, stop, print ok")
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            start(args.state, args.client_secret, args.owner_pid, args.ministack)
        elif args.command == "stop":
            stop(args.state)
        else:
            selftest()
    except FixtureError as error:
        sys.stderr.write("ministack_fixture %s: %s\n" % (args.command, error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
