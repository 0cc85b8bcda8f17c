"""The shipped client's hosted UI (`sign_in_with_web_ui` and its two steps) and identity-pool
credentials without a server: a fake transport plays the token endpoint and Cognito Identity.
What is checked: the token request carries the code and a PKCE verifier whose S256 hash is the
authorize URL's challenge; `error=access_denied` in the redirect and `invalid_grant` from the
token endpoint are typed errors that end the pending sign-in; a forged `state` is refused and
keeps it; a browser adapter that raises drops it; no token, code or verifier reaches the logs or
`repr`; guest credentials' identity id is stored and reused by a new client; the callers
waiting for a credentials request that got no response are told so (one request in all).

The JWTs are built here with the claims Cognito's access tokens carry (unsigned: the session
reads, never verifies, them)."""

import base64
import hashlib
import json
import logging
import threading
import time
import urllib.parse

import pytest

import cognito_auth_ffi as ffi
from cognito_auth_ffi.client import CognitoAuthClient, FileStore, HttpResponse, MemoryStore, TransportError

POOL = "us-east-1_Abc123XyZ"
CLIENT_ID = "2od40example"
SUB = "94c84468-e0c1-7003-e7b6-32be2c3bd6ee"
DOMAIN = "https://example.auth.us-east-1.amazoncognito.com"
REDIRECT = "myapp://callback"
IDENTITY_POOL = "us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60"
IDENTITY_ID = "us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60"
T0 = 1_800_000_000
ACCESS_MARKER = "ACCESS-sentinel-7b2d"
REFRESH = "REFRESH-sentinel-e41c"
CODE = "CODE-sentinel-0a9f"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access_token():
    claims = {"sub": SUB, "token_use": "access", "client_id": CLIENT_ID, "username": "alice",
              "scope": "aws.cognito.signin.user.admin", "iat": T0, "exp": T0 + 3600, "jti": ACCESS_MARKER}
    return ".".join([b64url(b'{"alg":"RS256"}'), b64url(json.dumps(claims).encode()), b64url(b"sig")])


def config():
    return ffi.ClientConfig(user_pool_id=POOL, client_id=CLIENT_ID)


class FakeTransport:
    """Answers each request with the next queued response; keeps the requests."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.requests = []

    def send(self, request):
        self.requests.append(request)
        return self.responses.pop(0)


def json_response(status, body, error_type=None):
    return HttpResponse(status, json.dumps(body).encode(), error_type)


TOKENS = json_response(200, {"access_token": access_token(), "refresh_token": REFRESH,
                             "expires_in": 3600, "token_type": "Bearer"})


def query(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def make_client(transport, store=None):
    return CognitoAuthClient(config(), transport=transport, store=store, clock=lambda: T0,
                             hosted_ui_domain=DOMAIN)


def test_the_code_is_exchanged_with_the_verifier_of_the_challenge_and_makes_a_session(caplog):
    caplog.set_level(logging.DEBUG)
    transport = FakeTransport(TOKENS)
    events = []
    client = make_client(transport)
    client.add_listener(events.append)
    url = client.begin_web_ui_sign_in(REDIRECT, scopes=["aws.cognito.signin.user.admin"])
    sent = query(url)
    assert url.startswith(DOMAIN + "/oauth2/authorize?")
    assert (sent["response_type"], sent["client_id"], sent["redirect_uri"]) == ("code", CLIENT_ID, REDIRECT)
    assert sent["code_challenge_method"] == "S256"
    assert client.has_pending_web_ui_sign_in
    assert transport.requests == []

    client.finish_web_ui_sign_in(f"{REDIRECT}?code={CODE}&state={sent['state']}")
    (request,) = transport.requests
    assert request.url == DOMAIN + "/oauth2/token" and request.method == "POST"
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    form = dict(urllib.parse.parse_qsl(request.body))
    assert form["grant_type"] == "authorization_code"
    assert (form["code"], form["client_id"], form["redirect_uri"]) == (CODE, CLIENT_ID, REDIRECT)
    # PKCE: the verifier sent now is the one whose S256 hash went to the authorize URL.
    assert b64url(hashlib.sha256(form["code_verifier"].encode()).digest()) == sent["code_challenge"]

    assert not client.has_pending_web_ui_sign_in
    assert client.is_signed_in and client.status().sub == SUB
    assert events == [ffi.SessionEvent.SIGNED_IN()]
    tokens = client.tokens()
    assert tokens.access_token == access_token() and tokens.refresh_token == REFRESH
    # Nothing secret in the logs or repr.
    shown = caplog.text + repr(client) + repr(request) + str(tokens)
    for secret in (access_token(), REFRESH, CODE, form["code_verifier"]):
        assert secret not in shown


def test_access_denied_in_the_redirect_is_a_typed_error_and_ends_the_pending_sign_in():
    transport = FakeTransport()
    client = make_client(transport)
    state = query(client.begin_web_ui_sign_in(REDIRECT))["state"]
    with pytest.raises(ffi.CognitoAuthError.OAuth) as raised:
        client.finish_web_ui_sign_in(
            f"{REDIRECT}?error=access_denied&error_description=User+cancelled&state={state}")
    assert raised.value.kind == ffi.OAuthErrorKind.DENIED
    assert raised.value.error_code == "access_denied"
    assert raised.value.error_description == "User cancelled"
    assert transport.requests == []
    assert not client.has_pending_web_ui_sign_in and not client.is_signed_in
    with pytest.raises(ffi.CognitoAuthError.InvalidState):
        client.finish_web_ui_sign_in(f"{REDIRECT}?code={CODE}&state={state}")


def test_invalid_grant_from_the_token_endpoint_is_a_typed_error_without_the_code():
    transport = FakeTransport(json_response(400, {"error": "invalid_grant",
                                                  "error_description": "Invalid or expired authorization code."}))
    client = make_client(transport)
    state = query(client.begin_web_ui_sign_in(REDIRECT))["state"]
    with pytest.raises(ffi.CognitoAuthError.OAuth) as raised:
        client.finish_web_ui_sign_in(f"{REDIRECT}?code={CODE}&state={state}")
    assert raised.value.kind == ffi.OAuthErrorKind.REFUSED
    assert (raised.value.error_code, raised.value.status) == ("invalid_grant", 400)
    assert CODE not in str(raised.value) and CODE not in repr(raised.value)
    assert len(transport.requests) == 1
    assert not client.has_pending_web_ui_sign_in and not client.is_signed_in


def test_a_forged_state_is_refused_and_the_real_redirect_still_finishes():
    transport = FakeTransport(TOKENS)
    client = make_client(transport)
    state = query(client.begin_web_ui_sign_in(REDIRECT))["state"]
    forged = "A" * len(state)
    with pytest.raises(ffi.CognitoAuthError.OAuth) as raised:
        client.finish_web_ui_sign_in(f"{REDIRECT}?code=attacker-code&state={forged}")
    assert raised.value.kind == ffi.OAuthErrorKind.STATE_MISMATCH
    assert transport.requests == [] and client.has_pending_web_ui_sign_in
    with pytest.raises(ffi.CognitoAuthError.OAuth) as raised:
        client.finish_web_ui_sign_in(f"https://evil.example/callback?code={CODE}&state={state}")
    assert raised.value.kind == ffi.OAuthErrorKind.BAD_REDIRECT
    client.finish_web_ui_sign_in(f"{REDIRECT}?code={CODE}&state={state}")
    assert client.is_signed_in


def test_a_browser_adapter_that_raises_drops_the_pending_sign_in():
    client = make_client(FakeTransport())

    def cancelled(url):
        assert url.startswith(DOMAIN)
        raise KeyboardInterrupt("the user closed the browser")

    with pytest.raises(KeyboardInterrupt):
        client.sign_in_with_web_ui(cancelled, REDIRECT)
    assert not client.has_pending_web_ui_sign_in


def test_the_pending_sign_in_is_stored_sealed_and_refused_with_another_key(tmp_path):
    path = tmp_path / "session"
    key = bytes(range(32))
    client = CognitoAuthClient(config(), transport=FakeTransport(), store=FileStore(path),
                               seal_key=key, hosted_ui_domain=DOMAIN)
    state = query(client.begin_web_ui_sign_in(REDIRECT))["state"]
    pending_file = tmp_path / "session.hosted-ui"
    assert pending_file.exists() and (pending_file.stat().st_mode & 0o777) == 0o600
    other = CognitoAuthClient(config(), transport=FakeTransport(), store=FileStore(path),
                              seal_key=bytes(32), hosted_ui_domain=DOMAIN)
    with pytest.raises(ffi.CognitoAuthError.OAuth) as raised:
        other.finish_web_ui_sign_in(f"{REDIRECT}?code={CODE}&state={state}")
    assert raised.value.kind == ffi.OAuthErrorKind.STORED_STATE_INVALID
    assert not pending_file.exists()


def test_without_a_domain_the_web_ui_is_invalid_input_and_the_logout_url_needs_one():
    client = CognitoAuthClient(config(), transport=FakeTransport())
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as raised:
        client.begin_web_ui_sign_in(REDIRECT)
    assert raised.value.what == "hosted_ui_domain"
    url = make_client(FakeTransport()).web_ui_sign_out_url("myapp://signed-out")
    assert url.startswith(DOMAIN + "/logout?")
    assert query(url) == {"client_id": CLIENT_ID, "logout_uri": "myapp://signed-out"}


def identity_target(request):
    return {name.lower(): value for name, value in request.headers.items()}["x-amz-target"]


def credentials_response(access_key, expiration):
    return json_response(200, {"IdentityId": IDENTITY_ID, "Credentials": {
        "AccessKeyId": access_key, "SecretKey": "SECRET-sentinel-55aa", "SessionToken": "SESSION-sentinel-77bb",
        "Expiration": expiration}})


def test_guest_credentials_store_the_identity_id_for_the_next_client(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    store = FileStore(tmp_path / "session")
    transport = FakeTransport(json_response(200, {"IdentityId": IDENTITY_ID}),
                              credentials_response("ASIAFIRST", T0 + 3600))
    client = CognitoAuthClient(config(), transport=transport, store=store, clock=lambda: T0)
    credentials = client.credentials(IDENTITY_POOL)
    assert credentials.access_key_id == "ASIAFIRST" and credentials.expiration_unix_secs == T0 + 3600
    assert [identity_target(r) for r in transport.requests] == [
        "AWSCognitoIdentityService.GetId", "AWSCognitoIdentityService.GetCredentialsForIdentity"]
    assert json.loads(transport.requests[0].body)["IdentityPoolId"] == IDENTITY_POOL
    assert "Logins" not in json.loads(transport.requests[0].body) or \
        json.loads(transport.requests[0].body)["Logins"] == {}
    assert client.credentials(IDENTITY_POOL) == credentials  # fresh: no request
    assert len(transport.requests) == 2
    assert json.loads((tmp_path / "session.identities").read_text())[IDENTITY_POOL] == {
        "who": "", "identity_id": IDENTITY_ID}

    later = FakeTransport(credentials_response("ASIASECOND", T0 + 7200))
    again = CognitoAuthClient(config(), transport=later, store=store, clock=lambda: T0 + 3500)
    assert again.credentials(IDENTITY_POOL).access_key_id == "ASIASECOND"
    (request,) = later.requests
    assert identity_target(request) == "AWSCognitoIdentityService.GetCredentialsForIdentity"
    assert json.loads(request.body)["IdentityId"] == IDENTITY_ID
    assert "SECRET-sentinel" not in caplog.text + repr(credentials) + str(credentials)
    assert "SESSION-sentinel" not in caplog.text + repr(credentials) + str(credentials)


def test_a_user_session_without_an_id_token_cannot_get_user_credentials():
    client = CognitoAuthClient(config(), transport=FakeTransport(), store=MemoryStore(), clock=lambda: T0)
    client.sign_in_with_tokens(ffi.AuthTokens(access_token=access_token(), id_token=None, refresh_token=REFRESH,
                                              expires_in=3600, token_type="Bearer", new_device_metadata=None))
    with pytest.raises(ffi.CognitoAuthError.InvalidState):
        client.credentials(IDENTITY_POOL)


class FailingTransport:
    """Holds the first request back, then fails it (no response); answers later ones."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.requests = []
        self.lock = threading.Lock()

    def send(self, request):
        with self.lock:
            self.requests.append(request)
            first = len(self.requests) == 1
        if first:
            time.sleep(0.5)  # the other callers arrive meanwhile and wait
            raise OSError("connection reset")
        return self.responses.pop(0)


def test_callers_waiting_for_a_credentials_request_that_got_no_response_are_told_so():
    transport = FailingTransport(json_response(200, {"IdentityId": IDENTITY_ID}),
                                 credentials_response("ASIAAFTER", T0 + 3600))
    client = CognitoAuthClient(config(), transport=transport, clock=lambda: T0)
    barrier = threading.Barrier(5)
    errors = []

    def call():
        barrier.wait()
        try:
            client.credentials(IDENTITY_POOL)
        except Exception as error:  # collected for the assertions
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(transport.requests) == 1, "one request for the five callers"
    assert len(errors) == 5 and all(isinstance(error, TransportError) for error in errors), errors
    assert all(isinstance(error.__cause__, OSError) for error in errors)
    # Nothing is left in flight: the next call asks again.
    assert client.credentials(IDENTITY_POOL).access_key_id == "ASIAAFTER"
    assert len(transport.requests) == 3
