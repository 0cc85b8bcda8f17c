"""The shipped client (cognito_auth_ffi.client) without a server: a fake transport answers the
refresh and sign-out requests, a moved clock brings the access token into the refresh margin.
What is checked: a transport failure keeps the session and the next call refreshes; the
callers waiting for a refresh that got no response are told so (one request in all); a
revoked refresh token ends the session with its reason, event and the stored copy deleted;
listeners get every event in order; the file store's mode, atomic replace and cleanup; a
damaged stored session is deleted; no token in repr/str/log output.

The JWTs are built here with the claims Cognito's access tokens carry (unsigned: the session
reads, never verifies, them)."""

import base64
import json
import logging
import os
import stat
import threading
import time

import pytest

import cognito_auth_ffi as ffi
from cognito_auth_ffi.client import (
    CognitoAuthClient,
    FileStore,
    HttpResponse,
    MemoryStore,
    NotSignedIn,
    SessionEnded,
    TransportError,
)

POOL = "us-east-1_Abc123XyZ"
CLIENT_ID = "2od40example"
SUB = "94c84468-e0c1-7003-e7b6-32be2c3bd6ee"
T0 = 1_800_000_000
LIFETIME = 3600
MARGIN = 300
REFRESH_1 = "REFRESH-ONE-sentinel-4f1a"
REFRESH_2 = "REFRESH-TWO-sentinel-9c3e"
DUE = T0 + LIFETIME - MARGIN + 10  # inside the margin: the next tokens() refreshes


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access_token(iat, marker):
    claims = {"sub": SUB, "token_use": "access", "client_id": CLIENT_ID, "username": "alice",
              "iat": iat, "exp": iat + LIFETIME, "jti": marker}
    return ".".join([b64url(b'{"alg":"RS256"}'), b64url(json.dumps(claims).encode()), b64url(b"sig")])


def config():
    return ffi.ClientConfig(user_pool_id=POOL, client_id=CLIENT_ID)


def first_tokens():
    return ffi.AuthTokens(access_token=access_token(T0, "first-access-sentinel"), id_token=None,
                          refresh_token=REFRESH_1, expires_in=LIFETIME, token_type="Bearer",
                          new_device_metadata=None)


def refreshed(marker, refresh=None):
    result = {"AccessToken": access_token(DUE, marker), "ExpiresIn": LIFETIME, "TokenType": "Bearer"}
    if refresh:
        result["RefreshToken"] = refresh
    return HttpResponse(200, json.dumps({"AuthenticationResult": result}).encode(), None)


def refused(code, message):
    return HttpResponse(400, json.dumps({"__type": code, "message": message}).encode(), code)


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


class FakeTransport:
    """Answers with `handler(request)`; records the operations it was asked to send."""

    def __init__(self, handler):
        self.handler = handler
        self.operations = []
        self.lock = threading.Lock()

    def send(self, request):
        with self.lock:
            self.operations.append(request.operation)
        return self.handler(request)


def signed_in_client(handler, store=None, clock=None, **kwargs):
    transport = FakeTransport(handler)
    client = CognitoAuthClient(config(), transport=transport, store=store or MemoryStore(),
                               clock=clock or Clock(), options=ffi.SessionOptions(refresh_margin_secs=MARGIN),
                               **kwargs)
    client.sign_in_with_tokens(first_tokens())
    return client, transport


def test_fresh_tokens_need_no_request_and_no_session_is_not_signed_in():
    client, transport = signed_in_client(lambda request: pytest.fail("no request expected"))
    tokens = client.tokens()
    assert tokens.refresh_token == REFRESH_1 and tokens.expires_in == LIFETIME
    assert transport.operations == []
    empty = CognitoAuthClient(config(), transport=transport)
    assert not empty.is_signed_in and empty.status() is None
    with pytest.raises(NotSignedIn):
        empty.tokens()
    with pytest.raises(ffi.CognitoAuthError.InvalidState):
        empty.answer(ffi.ChallengeAnswer.TOTP_CODE(code="123456"))


def test_a_transport_failure_keeps_the_session_and_the_next_call_refreshes():
    answers = [OSError("connection reset"), refreshed("second", REFRESH_2)]

    def handler(request):
        assert request.operation == "GetTokensFromRefreshToken"
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    clock = Clock()
    store = MemoryStore()
    client, transport = signed_in_client(handler, store=store, clock=clock)
    stored_before = store.load()
    clock.now = DUE
    with pytest.raises(TransportError) as raised:
        client.tokens()
    assert isinstance(raised.value.__cause__, OSError)
    assert client.is_signed_in and not client.status().is_refreshing
    assert store.load() == stored_before
    tokens = client.tokens()
    assert tokens.refresh_token == REFRESH_2
    assert transport.operations == ["GetTokensFromRefreshToken"] * 2
    # Stored again after the rotation: a restored client has the new refresh token.
    restored = CognitoAuthClient(config(), transport=transport, store=store, clock=clock)
    assert restored.tokens().refresh_token == REFRESH_2


def test_callers_waiting_for_a_refresh_that_got_no_response_are_told_and_one_request_was_sent():
    release = threading.Event()

    def handler(request):
        release.wait(5)
        raise TimeoutError("timed out")

    clock = Clock()
    client, transport = signed_in_client(handler, clock=clock)
    clock.now = DUE
    outcomes = []
    barrier = threading.Barrier(6)

    def call():
        barrier.wait()
        try:
            client.tokens()
            outcomes.append("tokens")
        except TransportError as error:
            outcomes.append(type(error.__cause__).__name__)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while not client.status().is_refreshing and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # the other five are waiting now
    release.set()
    for thread in threads:
        thread.join(10)
    assert outcomes == ["TimeoutError"] * 6
    assert transport.operations == ["GetTokensFromRefreshToken"]


def test_listeners_get_every_event_in_order_and_a_raising_listener_is_logged(caplog):
    answers = [refreshed("second", REFRESH_2)]
    clock = Clock()
    seen = []

    def broken(event):
        raise RuntimeError("listener bug")

    client, _ = signed_in_client(lambda request: answers.pop(0), clock=clock, listeners=[seen.append, broken])
    late = []
    remove = client.add_listener(late.append)
    clock.now = DUE
    client.tokens()
    remove()
    client.sign_out()
    assert [type(event) for event in seen] == [
        ffi.SessionEvent.SIGNED_IN, ffi.SessionEvent.TOKENS_REFRESHED, ffi.SessionEvent.SIGNED_OUT]
    assert seen[1].refresh_token_rotated is True
    assert seen[1].access_expires_at == DUE + LIFETIME
    assert seen[2] == ffi.SessionEvent.SIGNED_OUT(kind=ffi.SignOutKind.LOCAL)
    assert [type(event) for event in late] == [ffi.SessionEvent.TOKENS_REFRESHED]
    assert "a session listener raised" in caplog.text


def test_a_revoked_refresh_token_ends_the_session_with_reason_event_and_the_store_emptied():
    events = []
    clock = Clock()
    store = MemoryStore()
    client, _ = signed_in_client(
        lambda request: refused("NotAuthorizedException", "Refresh Token has been revoked"),
        store=store, clock=clock, listeners=[events.append])
    assert store.load() is not None
    clock.now = DUE
    with pytest.raises(SessionEnded) as raised:
        client.tokens()
    assert raised.value.end_reason == ffi.EndReason.REFRESH_TOKEN_REVOKED()
    assert isinstance(raised.value, ffi.CognitoAuthError.SessionEnded)
    assert events[-1] == ffi.SessionEvent.ENDED(reason=ffi.EndReason.REFRESH_TOKEN_REVOKED())
    assert store.load() is None
    assert not client.is_signed_in
    with pytest.raises(SessionEnded):
        client.tokens()


def test_sign_out_revoke_sends_revoke_token_and_deletes_the_store():
    store = MemoryStore()
    sent = []

    def handler(request):
        sent.append(json.loads(request.body))
        return HttpResponse(200, b"{}", None)

    client, transport = signed_in_client(handler, store=store)
    client.sign_out(ffi.SignOutKind.REVOKE)
    assert transport.operations == ["RevokeToken"] and sent[0]["Token"] == REFRESH_1
    assert store.load() is None
    with pytest.raises(SessionEnded) as raised:
        client.tokens()
    assert raised.value.end_reason == ffi.EndReason.SIGNED_OUT(kind=ffi.SignOutKind.REVOKE)


def test_file_store_is_0600_replaced_atomically_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "app" / "session"
    store = FileStore(path)
    assert store.load() is None
    old_umask = os.umask(0)  # even a permissive umask gives 0600
    try:
        store.save("first value")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    inode = os.stat(path).st_ino
    store.save("second")
    assert store.load() == "second"
    assert os.stat(path).st_ino != inode, "replaced by a rename, not rewritten in place"
    assert sorted(os.listdir(path.parent)) == ["session"]

    # A failure before the rename leaves the old value whole and no temporary file.
    def no_rename(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(OSError):
        store.save("third")
    monkeypatch.undo()
    assert store.load() == "second"
    assert sorted(os.listdir(path.parent)) == ["session"]
    store.delete()
    store.delete()
    assert store.load() is None and os.listdir(path.parent) == []


def test_a_client_stores_to_a_file_store_and_a_new_one_restores_it(tmp_path):
    path = tmp_path / "session"
    client, transport = signed_in_client(lambda request: pytest.fail("no request"), store=FileStore(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    events = []
    again = CognitoAuthClient(config(), transport=transport, store=FileStore(path), clock=Clock(),
                              listeners=[events.append])
    assert events == [ffi.SessionEvent.RESTORED()]
    assert again.tokens().access_token == client.tokens().access_token


def test_a_damaged_or_sealed_stored_session_is_refused_and_deleted(caplog):
    store = MemoryStore()
    store.save("not a stored session")
    client = CognitoAuthClient(config(), store=store)
    assert not client.is_signed_in and store.load() is None
    assert "the stored session was refused" in caplog.text

    key = bytes(range(32))
    sealed_store = MemoryStore()
    signed_in_client(lambda request: pytest.fail("no request"), store=sealed_store, seal_key=key)
    value = sealed_store.load()
    assert CognitoAuthClient(config(), store=sealed_store, seal_key=key, clock=Clock()).is_signed_in
    # Without the key the sealed value is refused (and deleted).
    assert not CognitoAuthClient(config(), store=sealed_store, clock=Clock()).is_signed_in
    assert sealed_store.load() is None and value


def test_no_token_in_repr_str_or_log_output(caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    answers = [OSError("network down"), refreshed("second-access-sentinel", REFRESH_2),
               refused("NotAuthorizedException", "Refresh Token has been revoked")]

    def handler(request):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    clock = Clock()
    store = FileStore(tmp_path / "session")
    client, transport = signed_in_client(handler, store=store, clock=clock)
    first = client.tokens()
    printed = [repr(client), str(client), repr(store), repr(transport), repr(MemoryStore())]
    clock.now = DUE
    for _ in range(2):
        try:
            printed.append(repr(client.tokens()))
        except TransportError as error:
            printed += [str(error), repr(error), repr(error.__cause__)]
    second = client.tokens()
    clock.now = DUE + LIFETIME
    with pytest.raises(SessionEnded) as raised:
        client.tokens()
    printed += [str(raised.value), repr(raised.value), repr(client)]
    output = "\n".join(printed) + "\n" + caplog.text
    assert "refreshing the tokens" in caplog.text  # the debug log was captured
    for secret in (first.access_token, second.access_token, REFRESH_1, REFRESH_2, "sentinel"):
        assert secret not in output


def test_the_asyncio_client_shares_one_refresh_among_concurrent_tasks():
    import asyncio

    from cognito_auth_ffi.client import AsyncCognitoAuthClient

    def handler(request):
        time.sleep(0.3)  # in flight while the other tasks ask
        return refreshed("second", REFRESH_2)

    clock = Clock()
    transport = FakeTransport(handler)
    client = AsyncCognitoAuthClient(config(), transport=transport, clock=clock,
                                    options=ffi.SessionOptions(refresh_margin_secs=MARGIN))
    client.client.sign_in_with_tokens(first_tokens())
    clock.now = DUE

    async def main():
        return await asyncio.gather(*(client.tokens() for _ in range(5)))

    results = asyncio.run(main())
    assert {tokens.refresh_token for tokens in results} == {REFRESH_2}
    assert transport.operations == ["GetTokensFromRefreshToken"]
    asyncio.run(client.sign_out())
    assert not client.is_signed_in


def test_urllib_transport_returns_error_statuses_follows_no_redirect_and_caps_the_body():
    import http.server

    from cognito_auth_ffi.client import UrllibTransport

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            seen.append((self.path, self.headers.get("X-Amz-Target"),
                         self.rfile.read(int(self.headers["Content-Length"]))))
            if self.path == "/refused":
                body = b'{"__type":"NotAuthorizedException","message":"no"}'
                self.send_response(400)
                self.send_header("x-amzn-ErrorType", "NotAuthorizedException:http://internal")
            elif self.path == "/moved":
                body = b""
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
            else:
                body = b"x" * 2048
                self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = "http://127.0.0.1:%d" % server.server_address[1]
        transport = UrllibTransport(timeout=5, max_response_bytes=1024)

        def request(path):
            return ffi.HttpRequest(url=base + path, method="POST", operation="GetUser", body='{"k":1}',
                                   headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser",
                                            "Content-Type": "application/x-amz-json-1.1"})

        refused_response = transport.send(request("/refused"))
        assert refused_response.status == 400
        assert refused_response.error_type == "NotAuthorizedException:http://internal"
        assert b"NotAuthorizedException" in refused_response.body
        assert transport.send(request("/moved")).status == 302
        with pytest.raises(TransportError):
            transport.send(request("/large"))
        assert [path for path, _, _ in seen] == ["/refused", "/moved", "/large"]  # no /elsewhere
        assert seen[0][1:] == ("AWSCognitoIdentityProviderService.GetUser", b'{"k":1}')
    finally:
        server.shutdown()
        server.server_close()
