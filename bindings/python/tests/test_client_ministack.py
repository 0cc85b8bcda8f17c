"""The shipped client (cognito_auth_ffi.client) end to end against MiniStack, with its default
urllib transport. A small counting proxy on 127.0.0.1 sits between the client and MiniStack
and counts the requests by `X-Amz-Target`: what the emulator saw, not what the client says it
sent. MiniStack runs with AUTH=true (bindings/testing/ministack_fixture.py): it checks the SRP
proof and the TOTP code, refuses revoked refresh tokens and, after RevokeToken and
GlobalSignOut, the access tokens concerned.

The clock: the session computes expiry on the clock the client is given (arrival + lifetime),
so moving that clock by lifetime - margin + 30 s makes exactly one refresh due."""

import collections
import http.server
import os
import stat
import threading
import time
import urllib.error
import urllib.request

import pytest

import cognito_auth_ffi as ffi
from cognito_auth_ffi.client import CognitoAuthClient, FileStore, SessionEnded, UrllibTransport
from ministack_fixture import MiniStackFixture

MARGIN = 300
THREADS = 10
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class CountingProxy:
    """Forwards every POST to MiniStack unchanged and counts it by operation. `delay` holds a
    request of the named operation back before forwarding it (seconds), so that concurrent
    callers surely arrive while it is in flight."""

    def __init__(self, upstream, delay=None):
        self.upstream = upstream
        self.delay = delay or {}
        self.counts = collections.Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                operation = (self.headers.get("X-Amz-Target") or "").rsplit(".", 1)[-1]
                with proxy.lock:
                    proxy.counts[operation] += 1
                time.sleep(proxy.delay.get(operation, 0))
                headers = {name: value for name, value in self.headers.items()
                           if name.lower() in ("content-type", "x-amz-target", "authorization")}
                forward = urllib.request.Request(proxy.upstream, data=body, headers=headers, method="POST")
                try:
                    with DIRECT.open(forward, timeout=15) as response:
                        status, reply, reply_headers = response.status, response.read(), response.headers
                except urllib.error.HTTPError as error:
                    status, reply, reply_headers = error.code, error.read(), error.headers
                self.send_response(status)
                for name in ("Content-Type", "x-amzn-ErrorType"):
                    if reply_headers.get(name):
                        self.send_header(name, reply_headers.get(name))
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def take(self):
        """The counts since the last call."""
        with self.lock:
            counts = dict(self.counts)
            self.counts.clear()
        return counts


class MovableClock:
    def __init__(self):
        self.offset = 0

    def __call__(self):
        return time.time() + self.offset


@pytest.fixture(scope="module")
def ministack():
    with MiniStackFixture() as fixture:
        yield fixture


@pytest.fixture()
def proxy(ministack):
    with CountingProxy(ministack.endpoint, delay={"GetTokensFromRefreshToken": 0.5}) as running:
        yield running


def config_via(fx, endpoint):
    return ffi.ClientConfig(user_pool_id=fx.user_pool_id, client_id=fx.client_id,
                            client_secret=fx.client_secret, endpoint_url=endpoint)


def sign_in(client, fx):
    """The README's sign-in: SRP, then the TOTP step answered."""
    step = client.sign_in(fx.username, fx.password)
    assert isinstance(step, ffi.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE), step
    step = client.answer(ffi.ChallengeAnswer.TOTP_CODE(code=fx.totp_code()))
    assert isinstance(step, ffi.SignInStep.DONE), step
    return step


def get_user(config, access_token):
    """GetUser through the default transport: the user's info, or the binding's error."""
    request = ffi.AccountRequest.GET_USER(access_token=access_token)
    answer = UrllibTransport().send(ffi.account_request(config, request))
    return ffi.parse_account_response(ffi.AccountOperationKind.GET_USER(), *answer).user


def refresh(config, refresh_token):
    """GetTokensFromRefreshToken through the default transport: new tokens, or the binding's error."""
    request = ffi.AccountRequest.GET_TOKENS_FROM_REFRESH_TOKEN(refresh_token=refresh_token)
    answer = UrllibTransport().send(ffi.account_request(config, request))
    return ffi.parse_account_response(ffi.account_request_kind(request), *answer).tokens


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_srp_totp_sign_in_then_ten_concurrent_callers_refresh_once_then_a_new_client_restores(
        ministack, proxy, tmp_path):
    fx = ministack
    config = config_via(fx, proxy.url)
    path = tmp_path / "session"
    clock = MovableClock()
    events = []
    client = CognitoAuthClient(config, store=FileStore(path), clock=clock,
                               options=ffi.SessionOptions(refresh_margin_secs=MARGIN), listeners=[events.append])
    sign_in(client, fx)
    assert proxy.take() == {"InitiateAuth": 1, "RespondToAuthChallenge": 2}  # PASSWORD_VERIFIER, TOTP
    assert mode(path) == 0o600
    assert [type(event) for event in events] == [ffi.SessionEvent.SIGNED_IN]
    first = client.tokens()
    assert proxy.take() == {}, "fresh tokens need no request"
    claims = ffi.jwt_claims(first.access_token)
    lifetime = claims.exp - claims.iat
    assert lifetime > 2 * MARGIN, lifetime
    stored_before = path.read_text()

    clock.offset = lifetime - MARGIN + 30
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def call():
        barrier.wait()
        try:
            results.append(client.tokens())
        except Exception as error:  # collected for the assertion message
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    counts = proxy.take()
    print("\nrequests MiniStack saw while %d threads called tokens(): %s" % (THREADS, counts))
    assert errors == []
    assert counts == {"GetTokensFromRefreshToken": 1}
    assert len(results) == THREADS
    assert len({tokens.access_token for tokens in results}) == 1
    refreshed = results[0]
    assert refreshed.access_token != first.access_token
    assert refreshed.expires_in > MARGIN  # fresh on the moved clock
    assert [type(event) for event in events[1:]] == [ffi.SessionEvent.TOKENS_REFRESHED]
    assert events[1].refresh_token_rotated is False  # MiniStack does not rotate
    assert path.read_text() != stored_before and mode(path) == 0o600
    assert client.tokens().access_token == refreshed.access_token
    assert proxy.take() == {}

    # The app restarts: a new client restores the stored session and calls GetUser with it,
    # without a sign-in.
    del client
    restored_events = []
    again = CognitoAuthClient(config, store=FileStore(path), clock=clock,
                              options=ffi.SessionOptions(refresh_margin_secs=MARGIN),
                              listeners=[restored_events.append])
    assert restored_events == [ffi.SessionEvent.RESTORED()]
    tokens = again.tokens()
    assert tokens.access_token == refreshed.access_token
    user = get_user(config, tokens.access_token)
    assert user.username == fx.username
    assert proxy.take() == {"GetUser": 1}


def test_local_sign_out_tells_ministack_nothing_and_leaves_the_tokens_valid(ministack, proxy, tmp_path):
    fx = ministack
    config = config_via(fx, proxy.url)
    path = tmp_path / "session"
    client = CognitoAuthClient(config, store=FileStore(path))
    sign_in(client, fx)
    old = client.tokens()
    # An account operation through the client's own transport: built, sent, read.
    proxy.take()
    answer = client.account(ffi.AccountRequest.GET_USER(access_token=old.access_token))
    assert isinstance(answer, ffi.AccountResponse.USER) and answer.user.username == fx.username
    assert proxy.take() == {"GetUser": 1}
    with pytest.raises(ffi.CognitoAuthError.Service) as refused:
        client.account(ffi.AccountRequest.GET_USER(access_token="not-a-token"))
    assert refused.value.kind == ffi.ServiceErrorKind.NOT_AUTHORIZED
    proxy.take()

    client.sign_out()  # SignOutKind.LOCAL
    assert proxy.take() == {}
    assert not path.exists()
    with pytest.raises(SessionEnded) as raised:
        client.tokens()
    assert raised.value.end_reason == ffi.EndReason.SIGNED_OUT(kind=ffi.SignOutKind.LOCAL)
    # Forgotten here only: the access token and the refresh token still work at Cognito.
    assert get_user(config, old.access_token).username == fx.username
    refreshed = refresh(config, old.refresh_token)
    assert refreshed.access_token


def test_revoke_sign_out_then_the_old_access_token_is_refused(ministack, proxy, tmp_path):
    fx = ministack
    config = config_via(fx, proxy.url)
    path = tmp_path / "session"
    client = CognitoAuthClient(config, store=FileStore(path))
    sign_in(client, fx)
    other = CognitoAuthClient(config)  # a second sign-in of the same user: RevokeToken spares it
    sign_in(other, fx)
    old = client.tokens()
    assert get_user(config, old.access_token).username == fx.username
    proxy.take()

    client.sign_out(ffi.SignOutKind.REVOKE)
    assert proxy.take() == {"RevokeToken": 1}
    assert not path.exists()
    with pytest.raises(SessionEnded) as raised:
        client.tokens()
    assert raised.value.end_reason == ffi.EndReason.SIGNED_OUT(kind=ffi.SignOutKind.REVOKE)
    with pytest.raises(ffi.CognitoAuthError.Service) as refused:
        get_user(config, old.access_token)
    assert refused.value.kind == ffi.ServiceErrorKind.NOT_AUTHORIZED
    # The refresh token is revoked too.
    with pytest.raises(ffi.CognitoAuthError.Service) as refused:
        refresh(config, old.refresh_token)
    assert refused.value.kind == ffi.ServiceErrorKind.NOT_AUTHORIZED
    # The other sign-in is untouched.
    assert get_user(config, other.tokens().access_token).username == fx.username


def test_global_sign_out_then_every_access_token_of_the_user_is_refused(ministack, proxy):
    fx = ministack
    config = config_via(fx, proxy.url)
    clock = MovableClock()
    client = CognitoAuthClient(config)
    sign_in(client, fx)
    other = CognitoAuthClient(config, clock=clock)
    sign_in(other, fx)
    old = client.tokens()
    other_tokens = other.tokens()
    proxy.take()

    client.sign_out(ffi.SignOutKind.GLOBAL)
    assert proxy.take() == {"GlobalSignOut": 1}
    for access_token in (old.access_token, other_tokens.access_token):
        with pytest.raises(ffi.CognitoAuthError.Service) as refused:
            get_user(config, access_token)
        assert refused.value.kind == ffi.ServiceErrorKind.NOT_AUTHORIZED
    # The other client learns at its next refresh: its session ends with the reason.
    clock.offset = 3600
    with pytest.raises(SessionEnded) as ended:
        other.tokens()
    # MiniStack answers "Refresh Token has been revoked" for a globally signed-out token.
    assert ended.value.end_reason == ffi.EndReason.REFRESH_TOKEN_REVOKED()
    assert not other.is_signed_in


def test_a_refresh_token_revoked_elsewhere_ends_the_session_with_reason_and_event(ministack, proxy, tmp_path):
    fx = ministack
    config = config_via(fx, proxy.url)
    path = tmp_path / "session"
    clock = MovableClock()
    events = []
    client = CognitoAuthClient(config, store=FileStore(path), clock=clock, listeners=[events.append])
    sign_in(client, fx)
    # Another instance restores the same stored session and revokes it.
    CognitoAuthClient(config, store=FileStore(path)).sign_out(ffi.SignOutKind.REVOKE)
    proxy.take()

    clock.offset = 3600
    with pytest.raises(SessionEnded) as raised:
        client.tokens()
    assert proxy.take() == {"GetTokensFromRefreshToken": 1}
    assert raised.value.end_reason == ffi.EndReason.REFRESH_TOKEN_REVOKED()
    assert events[-1] == ffi.SessionEvent.ENDED(reason=ffi.EndReason.REFRESH_TOKEN_REVOKED())
    assert not client.is_signed_in
    assert client.status().end_reason == ffi.EndReason.REFRESH_TOKEN_REVOKED()
