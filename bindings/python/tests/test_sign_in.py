"""Deterministic sign-ins through the test-only constructor against fake_cognito.py, whose
server-side SRP is independent of the Rust code: tokens mean the server recomputed the
client's proof. Plus snapshot/restore and the typed errors of bad responses."""

import json

import pytest

import cognito_auth_ffi as ffi
from fake_cognito import N, FakeCognito, cognito_timestamp, totp

# A shipped library (bindings/mobile-build.sh) is built without the cargo feature `testing`
# and has no test-only constructor; run-tests.sh runs these tests against the library that
# bindings/generate.sh builds with it.
if not hasattr(ffi.SignInSession, "new_for_testing"):
    pytest.skip("this library has no SignInSession.new_for_testing (built without the `testing` "
                "feature, as shipped)", allow_module_level=True)

POOL = "eu-west-1_Py7Pool"
CLIENT = "pyclient0123456789abcdef"
USER = "alice"
PASSWORD = "Sup3r-Secret-Pw!"
T0 = 1_800_000_000
TOTP_SECRET = "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
ENDPOINT = "http://127.0.0.1:9/"


def config():
    return ffi.ClientConfig(user_pool_id=POOL, client_id=CLIENT, endpoint_url=ENDPOINT)


def credentials(password=PASSWORD, flow=None):
    return ffi.SignInCredentials(username=USER, flow=flow or ffi.AuthFlow.USER_SRP(), password=password)


def session(seed=1, password=PASSWORD, now=T0):
    return ffi.SignInSession.new_for_testing(config(), credentials(password), bytes([seed]) * 32, now)


def pool(totp_secret=None, now=T0):
    return FakeCognito(POOL, CLIENT, USER, PASSWORD, now, totp_secret=totp_secret)


def pump(server, signin, step):
    """Sends requests until the step is not SendRequest (at most 10)."""
    for _ in range(10):
        if not isinstance(step, ffi.SignInStep.SEND_REQUEST):
            return step
        assert step.request.url == ENDPOINT
        status, body, error_type = server.handle(step.request)
        step = signin.handle_response(status, body, error_type)
    raise AssertionError("more than 10 requests")


def test_the_timestamp_formatter_matches_the_documented_form():
    # Dates from GNU `date -u -d @T`; Cognito's form has no leading zero in the day.
    assert cognito_timestamp(1_800_000_000) == "Fri Jan 15 08:00:00 UTC 2027"
    assert cognito_timestamp(1_802_000_000) == "Sun Feb 7 11:33:20 UTC 2027"


def test_srp_sign_in_is_verified_by_an_independent_server():
    server = pool()
    signin = session()
    step = signin.start()
    assert step.request.operation == "InitiateAuth"
    srp_a = json.loads(step.request.body)["AuthParameters"]["SRP_A"]
    assert 1 < int(srp_a, 16) < N
    step = pump(server, signin, step)
    assert isinstance(step, ffi.SignInStep.DONE), step
    tokens = step.result.tokens
    assert tokens.access_token.startswith("access.") and tokens.refresh_token.startswith("refresh.")
    assert tokens.expires_in == 3600 and tokens.token_type == "Bearer"
    assert step.result.device == ffi.DeviceOutcome.NO_NEW_DEVICE()
    assert signin.is_over() and signin.status().is_over
    # str() and repr() of records holding secrets print them redacted (Rust's Debug).
    for text in (str(step), repr(step), str(tokens), repr(tokens)):
        assert tokens.access_token not in text and tokens.refresh_token not in text, text
        assert "<redacted>" in text
    answer = ffi.ChallengeAnswer.PASSWORD(password=PASSWORD)
    assert PASSWORD not in str(answer) and PASSWORD not in repr(answer)
    assert PASSWORD not in str(credentials()) and PASSWORD not in repr(credentials())
    # The salt's hex has an odd number of digits (31): Java's BigInteger.toString(16) form.
    assert len(format(server.salt, "x")) % 2 == 1
    # The claim carried the fixed clock's time in Cognito's format.
    verifier = [body for op, body in server.requests if op == "RespondToAuthChallenge"][0]
    assert verifier["ChallengeResponses"]["TIMESTAMP"] == "Fri Jan 15 08:00:00 UTC 2027"


def test_the_same_entropy_gives_the_same_exchange():
    def srp_a(seed):
        return json.loads(session(seed).start().request.body)["AuthParameters"]["SRP_A"]
    assert srp_a(3) == srp_a(3)
    assert srp_a(3) != srp_a(4)
    fresh = lambda: json.loads(ffi.SignInSession(config(), credentials()).start().request.body)
    assert fresh()["AuthParameters"]["SRP_A"] != fresh()["AuthParameters"]["SRP_A"]


def test_a_wrong_password_is_refused_by_the_server():
    server = pool()
    signin = session(password="Wrong-Password-1")
    with pytest.raises(ffi.CognitoAuthError.Service) as error:
        pump(server, signin, signin.start())
    assert error.value.kind == ffi.ServiceErrorKind.NOT_AUTHORIZED
    assert error.value.restarts_sign_in and not error.value.step_still_open
    assert "Wrong-Password-1" not in str(error.value)
    assert signin.is_over()


def test_totp_mfa_with_a_wrong_then_the_right_code():
    server = pool(TOTP_SECRET)
    signin = session(seed=5)
    step = pump(server, signin, signin.start())
    assert isinstance(step, ffi.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE), step
    right = ffi.totp_code(TOTP_SECRET, T0)
    assert right == totp(TOTP_SECRET, T0)  # the library's TOTP against the server's own
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ffi.CognitoAuthError.Service) as error:
        pump(server, signin, signin.answer(ffi.ChallengeAnswer.TOTP_CODE(code=wrong)))
    assert error.value.kind == ffi.ServiceErrorKind.CODE_MISMATCH and error.value.step_still_open
    assert isinstance(signin.status().pending_step, ffi.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE)
    step = pump(server, signin, signin.answer(ffi.ChallengeAnswer.TOTP_CODE(code=right)))
    assert isinstance(step, ffi.SignInStep.DONE)


def test_snapshot_and_restore_resume_the_mfa_step():
    server = pool(TOTP_SECRET)
    signin = session(seed=6)
    pump(server, signin, signin.start())
    snapshot = signin.snapshot()
    assert snapshot.taken_at == T0 and snapshot.value
    del signin  # the app was killed

    later = T0 + 45
    server.now = later
    restored = ffi.SignInSession.restore_for_testing(
        config(), snapshot.value, ffi.RestoreOptions(), bytes([7]) * 32, later)
    status = restored.status()
    assert isinstance(status.pending_step, ffi.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE)
    assert status.username == USER and not status.is_over
    with pytest.raises(ffi.CognitoAuthError.InvalidState):
        restored.start()
    step = restored.answer(ffi.ChallengeAnswer.TOTP_CODE(code=ffi.totp_code(TOTP_SECRET, later)))
    assert step.request.operation == "RespondToAuthChallenge"
    assert isinstance(pump(server, restored, step), ffi.SignInStep.DONE)

    for value, now, expired in ((snapshot.value, T0 + 181, True), (snapshot.value[:-2], T0, False),
                                ("not a snapshot", T0, False)):
        with pytest.raises(ffi.CognitoAuthError.Snapshot) as error:
            ffi.SignInSession.restore_for_testing(config(), value, ffi.RestoreOptions(),
                                                  bytes(32), now)
        assert error.value.expired == expired
    other = ffi.ClientConfig(user_pool_id=POOL, client_id="someone-else", endpoint_url=ENDPOINT)
    with pytest.raises(ffi.CognitoAuthError.Snapshot):
        ffi.SignInSession.restore_for_testing(other, snapshot.value, ffi.RestoreOptions(), bytes(32), T0)


def verifier_challenge(**overrides):
    parameters = {"SALT": "abc", "SRP_B": format(12345, "x"), "SECRET_BLOCK": "c2VjcmV0",
                  "USERNAME": USER, "USER_ID_FOR_SRP": USER}
    parameters.update(overrides)
    return json.dumps({"ChallengeName": "PASSWORD_VERIFIER",
                       "ChallengeParameters": parameters}).encode()


def started(password=PASSWORD):
    signin = session(seed=9, password=password)
    signin.start()
    return signin


@pytest.mark.parametrize("status, body, error_type, variant", [
    (200, b"{not json", None, ffi.CognitoAuthError.UnexpectedResponse),
    (200, b"[1, 2]", None, ffi.CognitoAuthError.UnexpectedResponse),
    (200, b'{"AuthenticationResult": {"AccessToken": 7}}', None, ffi.CognitoAuthError.UnexpectedResponse),
    (200, verifier_challenge(SRP_B="xyz"), None, ffi.CognitoAuthError.Srp),
    (200, verifier_challenge(SRP_B=format(N, "x")), None, ffi.CognitoAuthError.Srp),
    (200, verifier_challenge(SALT="12g4"), None, ffi.CognitoAuthError.Srp),
    (200, verifier_challenge(SECRET_BLOCK="***"), None, ffi.CognitoAuthError.Srp),
    (200, json.dumps({"ChallengeName": "PASSWORD_VERIFIER",
                      "ChallengeParameters": {"SALT": "abc"}}).encode(), None, ffi.CognitoAuthError.UnexpectedResponse),
    (200, json.dumps({"ChallengeName": "ADMIN_NO_SRP_AUTH"}).encode(), None,
     ffi.CognitoAuthError.UnsupportedChallenge),
    (500, b"", "InternalErrorException", ffi.CognitoAuthError.Service),
])
def test_bad_responses_are_typed_errors_without_the_password(status, body, error_type, variant):
    signin = started()
    with pytest.raises(variant) as error:
        signin.handle_response(status, body, error_type)
    assert isinstance(error.value, ffi.CognitoAuthError)
    text = "%s %r" % (error.value, error.value)
    assert PASSWORD not in text
    assert signin.is_over()


def test_odd_length_hex_is_a_number_not_an_error():
    # Cognito sends Java BigInteger hex, which may have an odd number of digits: the flow goes
    # on to RespondToAuthChallenge.
    signin = started()
    step = signin.handle_response(200, verifier_challenge(SALT="abc", SRP_B="1" + "0" * 700), None)
    assert step.request.operation == "RespondToAuthChallenge"


def test_a_retryable_service_error_is_flagged():
    signin = started()
    with pytest.raises(ffi.CognitoAuthError.Service) as error:
        signin.handle_response(429, b'{"message":"Rate exceeded"}', "TooManyRequestsException")
    assert error.value.kind == ffi.ServiceErrorKind.TOO_MANY_REQUESTS and error.value.retryable


def test_inputs_and_calls_that_do_not_fit_are_typed_errors():
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.SignInSession(config(), credentials(password=None))
    assert error.value.what == "password"
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.SignInSession.new_for_testing(config(), credentials(), bytes(31), T0)
    assert error.value.what == "entropy"
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.SignInSession(ffi.ClientConfig(user_pool_id=POOL, client_id=CLIENT,
                                           endpoint_url="ftp://x"), credentials())
    assert error.value.what == "endpoint_url"

    signin = session()
    with pytest.raises(ffi.CognitoAuthError.InvalidState):
        signin.handle_response(200, b"{}", None)  # before start
    signin.start()
    with pytest.raises(ffi.CognitoAuthError.InvalidState):
        signin.answer(ffi.ChallengeAnswer.TOTP_CODE(code="123456"))  # a request is in flight
    with pytest.raises(ffi.CognitoAuthError.InvalidState):
        signin.snapshot()
    with pytest.raises(ffi.CognitoAuthError.InvalidState):
        ffi.SignInSession(config(), credentials()).set_time_for_testing(T0)

    # The wrong kind of answer leaves the step open.
    server = pool(TOTP_SECRET)
    signin = session(seed=12)
    pump(server, signin, signin.start())
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        signin.answer(ffi.ChallengeAnswer.SMS_MFA_CODE(code="123456"))
    assert error.value.what == "answer"
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        signin.answer(ffi.ChallengeAnswer.TOTP_CODE(code="12a456"))
    assert error.value.what == "code"
    assert not signin.is_over()
    step = signin.answer(ffi.ChallengeAnswer.TOTP_CODE(code=ffi.totp_code(TOTP_SECRET, T0)))
    assert isinstance(pump(server, signin, step), ffi.SignInStep.DONE)


def test_user_not_confirmed_and_password_reset_end_the_flow_with_a_step():
    for code, step_type in (("UserNotConfirmedException", ffi.SignInStep.CONFIRM_SIGN_UP),
                            ("PasswordResetRequiredException", ffi.SignInStep.RESET_PASSWORD)):
        signin = started()
        step = signin.handle_response(400, json.dumps({"__type": code}).encode(), None)
        assert isinstance(step, step_type) and step.username == USER
        assert signin.is_over()
