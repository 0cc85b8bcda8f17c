"""A server that lies, through the production constructors of the Python binding: the
challenge policy lives in the core, so the binding refuses what the core refuses.

- an SRP sign-in asked for the plaintext password sends nothing and ends;
- the PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> PASSWORD_VERIFIER loop gets one password claim;
- a sealed snapshot refuses an edit.
"""

import base64
import json

import pytest

import cognito_auth_ffi as ffi

POOL = "eu-west-1_Py7Pool"
CLIENT = "pyclient0123456789abcdef"
PASSWORD = "Sup3r-Secret-Pw!"
ENDPOINT = "http://127.0.0.1:9/"


def config():
    return ffi.ClientConfig(user_pool_id=POOL, client_id=CLIENT, endpoint_url=ENDPOINT)


def device():
    return ffi.RememberedDevice(
        device_key="eu-west-1_0a1b2c3d-1111-2222-3333-444455556666",
        device_group_key="-abcdEFGH",
        device_password="device-password",
    )


def srp_session(with_device=False):
    credentials = ffi.SignInCredentials(
        username="alice",
        flow=ffi.AuthFlow.USER_SRP(),
        password=PASSWORD,
        device=device() if with_device else None,
    )
    return ffi.SignInSession(config(), credentials)


def challenge(name, **parameters):
    return json.dumps({"ChallengeName": name, "Session": "S", "ChallengeParameters": parameters}).encode()


def verifier():
    return challenge(
        "PASSWORD_VERIFIER",
        SALT="8ce8291892390f6b53a245933faf6164",
        SRP_B="abcdef0123456789",
        SECRET_BLOCK="c2VjcmV0LWJsb2Nr",
        USERNAME="alice",
        USER_ID_FOR_SRP="alice",
    )


def sent_password(body):
    parsed = json.loads(body)
    parameters = parsed.get("AuthParameters") or parsed.get("ChallengeResponses") or {}
    return "PASSWORD" in parameters or PASSWORD in body


@pytest.mark.parametrize("name", ["PASSWORD", "PASSWORD_SRP", "SELECT_CHALLENGE"])
def test_an_srp_sign_in_asked_for_the_password_sends_nothing(name):
    signin = srp_session()
    first = signin.start()
    assert not sent_password(first.request.body)
    with pytest.raises(ffi.CognitoAuthError.UnsupportedChallenge) as refused:
        signin.handle_response(200, challenge(name), None)
    assert refused.value.challenge == name
    assert "USER_SRP_AUTH" in str(refused.value)
    if name == "PASSWORD":
        assert "plaintext password" in str(refused.value)
    assert signin.is_over()


def test_the_verifier_loop_gets_one_password_claim():
    signin = srp_session(with_device=True)
    signin.start()
    claims = 0
    step = signin.handle_response(200, verifier(), None)
    body = json.loads(step.request.body)
    assert body["ChallengeName"] == "PASSWORD_VERIFIER"
    claims += 1
    step = signin.handle_response(200, challenge("DEVICE_SRP_AUTH"), None)
    assert json.loads(step.request.body)["ChallengeName"] == "DEVICE_SRP_AUTH"
    with pytest.raises(ffi.CognitoAuthError.UnsupportedChallenge) as refused:
        signin.handle_response(200, verifier(), None)
    assert refused.value.challenge == "PASSWORD_VERIFIER"
    assert claims == 1
    assert signin.is_over()


def test_a_sealed_snapshot_refuses_an_edit():
    signin = srp_session()
    signin.start()
    signin.handle_response(200, verifier(), None)
    step = signin.handle_response(200, challenge("SMS_MFA", CODE_DELIVERY_DESTINATION="+*******1234"), None)
    assert isinstance(step, ffi.SignInStep.CONFIRM_SIGN_IN_WITH_SMS_MFA_CODE)
    key = bytes(range(32))
    sealed = signin.snapshot_sealed(key)
    assert sealed.value.startswith("cognito-auth-sign-in-sealed.v1.")
    options = ffi.RestoreOptions(max_age_secs=180, device=None, password=None)
    restored = ffi.SignInSession.restore_sealed(config(), sealed.value, key, options)
    assert isinstance(restored.status().pending_step, ffi.SignInStep.CONFIRM_SIGN_IN_WITH_SMS_MFA_CODE)

    prefix, version, body, seal = sealed.value.split(".")
    document = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    document["challenge"] = "PASSWORD"
    document["step"] = {"kind": "password"}
    edited_body = base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()
    edited = ".".join([prefix, version, edited_body, seal])
    with pytest.raises(ffi.CognitoAuthError.Snapshot):
        ffi.SignInSession.restore_sealed(config(), edited, key, options)
    with pytest.raises(ffi.CognitoAuthError.Snapshot):
        ffi.SignInSession.restore_sealed(config(), sealed.value, bytes(32), options)
    with pytest.raises(ffi.CognitoAuthError.InvalidInput):
        signin.snapshot_sealed(b"short")
