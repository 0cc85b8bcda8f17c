"""UserSession through the Python binding, without a server: made from tokens, fresh until the
margin, then one refresh (a second caller told to wait), rotation, storage round trip (plain
and sealed, edits refused), sign-out kinds, and no token in any printed value or error.

The JWTs are built here with the claims Cognito's access and ID tokens carry (unsigned: the
session reads, never verifies, them)."""

import base64
import json

import pytest

import cognito_auth_ffi as ffi

POOL = "us-east-1_Abc123XyZ"
CLIENT_ID = "2od40example"
SUB = "94c84468-e0c1-7003-e7b6-32be2c3bd6ee"
T0 = 1_800_000_000
REFRESH_1 = "REFRESH-ONE-sentinel-4f1a"
REFRESH_2 = "REFRESH-TWO-sentinel-9c3e"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access_token(iat: int, marker: str) -> str:
    claims = {"sub": SUB, "token_use": "access", "client_id": CLIENT_ID, "username": "alice",
              "iat": iat, "exp": iat + 3600, "jti": marker}
    return ".".join([b64url(b'{"alg":"RS256"}'), b64url(json.dumps(claims).encode()), b64url(b"sig")])


def config() -> ffi.ClientConfig:
    return ffi.ClientConfig(user_pool_id=POOL, client_id=CLIENT_ID)


def tokens(access: str, refresh) -> ffi.AuthTokens:
    return ffi.AuthTokens(access_token=access, id_token=None, refresh_token=refresh,
                          expires_in=3600, token_type="Bearer", new_device_metadata=None)


def new_session(margin: int = 300) -> ffi.UserSession:
    return ffi.UserSession.from_tokens(config(), tokens(access_token(T0, "first"), REFRESH_1), None, T0,
                                       ffi.SessionOptions(refresh_margin_secs=margin))


def refreshed_body(access: str, refresh=None) -> bytes:
    result = {"AccessToken": access, "ExpiresIn": 3600, "TokenType": "Bearer"}
    if refresh:
        result["RefreshToken"] = refresh
    return json.dumps({"AuthenticationResult": result}).encode()


def test_fresh_then_one_refresh_with_rotation_then_fresh_again():
    session = new_session()
    fresh = session.tokens_for_call(T0 + 100)
    assert isinstance(fresh, ffi.TokensForCall.FRESH)
    assert fresh.tokens.expires_in == 3500
    later = T0 + 3400  # within the 300 s margin
    first = session.tokens_for_call(later)
    assert isinstance(first, ffi.TokensForCall.REFRESH)
    assert first.request.operation == "GetTokensFromRefreshToken"
    assert json.loads(first.request.body)["RefreshToken"] == REFRESH_1
    # A second caller while the refresh is in flight waits instead of refreshing again.
    assert isinstance(session.tokens_for_call(later), ffi.TokensForCall.WAIT_FOR_REFRESH)
    outcome = session.handle_refresh_response(200, refreshed_body(access_token(later, "second"), REFRESH_2), None, later)
    assert isinstance(outcome, ffi.RefreshOutcome.REFRESHED)
    assert outcome.tokens.refresh_token == REFRESH_2
    again = session.tokens_for_call(later)
    assert isinstance(again, ffi.TokensForCall.FRESH) and again.tokens.expires_in == 3600
    events = session.take_events().events
    assert isinstance(events[0], ffi.SessionEvent.SIGNED_IN)
    assert isinstance(events[1], ffi.SessionEvent.TOKENS_REFRESHED) and events[1].refresh_token_rotated
    assert session.take_events().events == []


def test_a_network_failure_lets_the_next_caller_refresh():
    session = new_session()
    assert isinstance(session.tokens_for_call(T0 + 3400), ffi.TokensForCall.REFRESH)
    assert session.refresh_failed_to_send() is True
    assert isinstance(session.tokens_for_call(T0 + 3400), ffi.TokensForCall.REFRESH)


def test_throttling_is_thrown_and_keeps_the_session():
    session = new_session()
    session.tokens_for_call(T0 + 3400)
    body = json.dumps({"__type": "TooManyRequestsException", "message": "Rate exceeded"}).encode()
    with pytest.raises(ffi.CognitoAuthError.Service) as raised:
        session.handle_refresh_response(400, body, None, T0 + 3400)
    assert raised.value.retryable
    assert session.status().is_active and not session.status().is_refreshing


def test_a_revoked_refresh_token_ends_the_session_with_the_reason():
    session = new_session()
    session.tokens_for_call(T0 + 3400)
    body = json.dumps({"__type": "NotAuthorizedException", "message": "Refresh Token has been revoked"}).encode()
    outcome = session.handle_refresh_response(400, body, None, T0 + 3400)
    assert outcome == ffi.RefreshOutcome.ENDED(reason=ffi.EndReason.REFRESH_TOKEN_REVOKED())
    assert isinstance(session.tokens_for_call(T0 + 3400), ffi.TokensForCall.ENDED)
    with pytest.raises(ffi.CognitoAuthError.SessionEnded) as raised:
        session.to_storage()
    assert raised.value.end_reason == ffi.EndReason.REFRESH_TOKEN_REVOKED()


def test_storage_round_trip_plain_and_sealed_and_edits_refused():
    session = new_session()
    stored = session.to_storage().value
    restored = ffi.UserSession.restore(config(), stored, ffi.SessionOptions())
    assert restored.status().username == "alice"
    assert isinstance(restored.take_events().events[0], ffi.SessionEvent.RESTORED)
    key = bytes(range(32))
    sealed = session.to_storage_sealed(key).value
    assert ffi.UserSession.restore_sealed(config(), sealed, key, ffi.SessionOptions()).status().sub == SUB
    edited = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    with pytest.raises(ffi.CognitoAuthError.SessionRestore):
        ffi.UserSession.restore_sealed(config(), edited, key, ffi.SessionOptions())
    with pytest.raises(ffi.CognitoAuthError.SessionRestore):
        ffi.UserSession.restore(config(), sealed, ffi.SessionOptions())
    other = ffi.ClientConfig(user_pool_id=POOL, client_id="another-client")
    with pytest.raises(ffi.CognitoAuthError):
        ffi.UserSession.restore(other, stored, ffi.SessionOptions())


def test_sign_out_kinds():
    local = new_session()
    assert local.sign_out(ffi.SignOutKind.LOCAL) == ffi.SignOutStep.DONE()
    assert local.status().end_reason == ffi.EndReason.SIGNED_OUT(kind=ffi.SignOutKind.LOCAL)
    revoke = new_session().sign_out(ffi.SignOutKind.REVOKE)
    assert revoke.request.operation == "RevokeToken" and json.loads(revoke.request.body)["Token"] == REFRESH_1
    global_ = new_session()
    step = global_.sign_out(ffi.SignOutKind.GLOBAL)
    assert step.request.operation == "GlobalSignOut"
    global_.handle_sign_out_response(200, b"{}", None)
    with pytest.raises(ffi.CognitoAuthError.SessionEnded):
        global_.sign_out(ffi.SignOutKind.LOCAL)


def test_tokens_without_a_refresh_token_cannot_make_a_session():
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as raised:
        ffi.UserSession.from_tokens(config(), tokens(access_token(T0, "x"), None), None, T0, ffi.SessionOptions())
    assert raised.value.what == "tokens"


def test_nothing_printed_shows_a_token():
    session = new_session()
    fresh = session.tokens_for_call(T0)
    stored = session.to_storage()
    printed = " ".join([str(fresh), repr(fresh), str(fresh.tokens), repr(stored), str(session.status())])
    for secret in (REFRESH_1, fresh.tokens.access_token, stored.value):
        assert secret not in printed
    assert "<redacted>" in printed
