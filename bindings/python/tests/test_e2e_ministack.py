"""End to end against MiniStack (bindings/testing/ministack_fixture.py) with urllib as the
transport: USER_SRP_AUTH, then the SOFTWARE_TOKEN_MFA challenge answered with the library's
own TOTP code, then account calls with the tokens. MiniStack runs with AUTH=true: it checks
the SRP proof, SECRET_HASH and the TOTP code itself."""

import time
import urllib.error
import urllib.request

import pytest

import cognito_auth_ffi as ffi
from ministack_fixture import MiniStackFixture

# No proxy for 127.0.0.1, whatever the environment says.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def send(request):
    """The whole transport: POST the HttpRequest record, return what the bindings read."""
    http = urllib.request.Request(request.url, data=request.body.encode(), method=request.method,
                                  headers=request.headers)
    try:
        with OPENER.open(http, timeout=15) as response:
            return response.status, response.read(), response.headers.get(ffi.error_type_header_name())
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get(ffi.error_type_header_name())


def run(signin, step, answer):
    """Drives a sign-in: sends requests, answers user steps with `answer(step)`."""
    for _ in range(12):
        if isinstance(step, ffi.SignInStep.SEND_REQUEST):
            step = signin.handle_response(*send(step.request))
        elif isinstance(step, (ffi.SignInStep.DONE, ffi.SignInStep.CONFIRM_SIGN_UP,
                               ffi.SignInStep.RESET_PASSWORD)):
            return step
        else:
            step = signin.answer(answer(step))
    raise AssertionError("the sign-in did not finish in 12 steps")


def fresh_code(secret):
    """The library's TOTP code now, outside the last 3 s of a 30 s step."""
    into_step = time.time() % 30
    if into_step >= 27:
        time.sleep(30 - into_step + 0.2)
    return ffi.totp_current_code(secret)


@pytest.fixture(scope="module", params=[False, True], ids=["public-client", "client-secret"])
def ministack(request):
    with MiniStackFixture(client_secret=request.param) as fixture:
        yield fixture


def config_for(fx):
    return ffi.ClientConfig(user_pool_id=fx.user_pool_id, client_id=fx.client_id,
                            client_secret=fx.client_secret, endpoint_url=fx.endpoint)


def test_srp_and_totp_sign_in_then_account_calls(ministack):
    fx = ministack
    config = config_for(fx)
    credentials = ffi.SignInCredentials(username=fx.username, flow=ffi.AuthFlow.USER_SRP(),
                                        password=fx.password)
    signin = ffi.SignInSession(config, credentials)
    seen = []

    def answer(step):
        seen.append(step)
        assert isinstance(step, ffi.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE), step
        return ffi.ChallengeAnswer.TOTP_CODE(code=fresh_code(fx.totp_secret))

    step = run(signin, signin.start(), answer)
    assert isinstance(step, ffi.SignInStep.DONE), step
    assert len(seen) == 1, seen  # exactly one user step: the TOTP code
    tokens = step.result.tokens
    assert tokens.access_token and tokens.refresh_token
    claims = ffi.jwt_claims(tokens.access_token)
    assert claims.exp > ffi.unix_time_now() - 60

    # The access token works for GetUser, and the MFA setting is what the fixture enrolled.
    get_user = ffi.AccountRequest.GET_USER(access_token=tokens.access_token)
    answer = ffi.parse_account_response(ffi.account_request_kind(get_user),
                                        *send(ffi.account_request(config, get_user)))
    assert isinstance(answer, ffi.AccountResponse.USER), answer
    user = answer.user
    assert user.mfa_preference.enabled == [ffi.MfaType.TOTP]

    # The refresh token gives new tokens.
    refreshed = ffi.parse_account_response(
        ffi.AccountOperationKind.REFRESH_TOKEN_AUTH(),
        *send(ffi.account_request(config, ffi.AccountRequest.REFRESH_TOKEN_AUTH(
            refresh_token=tokens.refresh_token, canonical_username=signin.status().username)))).tokens
    assert refreshed.access_token


def test_a_wrong_password_is_not_authorized(ministack):
    fx = ministack
    credentials = ffi.SignInCredentials(username=fx.username, flow=ffi.AuthFlow.USER_SRP(),
                                        password=fx.password + "x")
    signin = ffi.SignInSession(config_for(fx), credentials)
    with pytest.raises(ffi.CognitoAuthError.Service) as error:
        run(signin, signin.start(), lambda step: pytest.fail("no user step expected: %r" % step))
    assert error.value.kind == ffi.ServiceErrorKind.NOT_AUTHORIZED
    assert error.value.restarts_sign_in
    assert fx.password not in str(error.value)
