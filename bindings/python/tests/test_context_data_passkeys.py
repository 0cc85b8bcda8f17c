"""Threat-protection context data and passkeys through the bindings.

The EncodedData in each request body is taken apart and its signature recomputed here with
Python's hmac (an implementation independent of the Rust core); the passkey step's options
come back checked and typed, and a bad credential keeps the step open.
"""

import base64
import hashlib
import hmac
import json
import time

import pytest

import cognito_auth_ffi as ffi

POOL = "us-east-1_Abc123XyZ"
CLIENT = "pyclient0123456789abcdef"
CONFIG = ffi.ClientConfig(user_pool_id=POOL, client_id=CLIENT)
CHALLENGE = "AAECAwQFBgcICQoLDA0ODw"  # bytes 0..15


def context(version=ffi.ContextDataVersion.IOS):
    facts = ffi.DeviceFacts(device_name="Zo\u00eb's iPhone", device_id="device-1",
                            phone_type="iPhone15,2\u0000\u0000\u0000",
                            client_timezone=ffi.format_client_timezone(-25200, version))
    return ffi.ContextData(version=version, facts=facts)


def check_encoded(encoded, username, version, before_ms, after_ms, client=CLIENT, pool=POOL):
    outer = json.loads(base64.b64decode(encoded, validate=True))
    assert list(outer) == ["payload", "signature", "version"]
    assert outer["version"] == version
    mac = hmac.new(client.encode(), (version + outer["payload"]).encode(), hashlib.sha256)
    assert outer["signature"] == base64.b64encode(mac.digest()).decode()
    payload = json.loads(outer["payload"])
    assert list(payload) == ["contextData", "username", "userPoolId", "timestamp"]
    assert payload["username"] == username and payload["userPoolId"] == pool
    assert before_ms <= int(payload["timestamp"]) <= after_ms
    return payload["contextData"]


def test_the_reference_vector_and_the_timezone_forms():
    data = ffi.ContextData(version=ffi.ContextDataVersion.ANDROID,
                           facts=ffi.DeviceFacts(device_id="deviceId"))
    config = ffi.ClientConfig(user_pool_id="us-east-1_pool", client_id="client-id")
    encoded = ffi.encode_context_data(data, config, "user", 1790000000123)
    # reference/beyond.md section 1 (Python's hmac and base64, not an Amplify test)
    assert encoded.endswith("IkdDQkRXQ3RBWnY0K3dIY29TbFoxV2g2a2V0bWJxaW5IVXU3Y3l2bW9OeHc9IiwidmVyc2lvbiI6IkFORFJPSUQyMDE3MTExNCJ9")
    facts = check_encoded(encoded, "user", "ANDROID20171114", 1790000000123, 1790000000123,
                          client="client-id", pool="us-east-1_pool")
    assert facts == {"DeviceId": "deviceId"}
    assert ffi.format_client_timezone(0, ffi.ContextDataVersion.ANDROID) == "00:00"
    assert ffi.format_client_timezone(0, ffi.ContextDataVersion.IOS) == "+00:00"
    assert ffi.format_client_timezone(19800, ffi.ContextDataVersion.FLUTTER) == "+05:30"


def test_sign_in_and_account_requests_carry_context_data():
    before = int(time.time()) * 1000
    signin = ffi.SignInSession.with_context_data(
        CONFIG, ffi.SignInCredentials(username="alice", flow=ffi.AuthFlow.USER_SRP(),
                                      password="pw"), context())
    body = json.loads(signin.start().request.body)
    request = ffi.account_request(CONFIG, ffi.AccountRequest.FORGOT_PASSWORD(username="alice"),
                                  context_data=context())
    after = int(time.time()) * 1000 + 1000
    facts = check_encoded(body["UserContextData"]["EncodedData"], "alice", "IOS20171114",
                          before, after)
    assert facts == {"ClientTimezone": "-07:00", "DeviceId": "device-1",
                     "DeviceName": "Zo\u00eb's iPhone", "PhoneType": "iPhone15,2"}
    reset = json.loads(request.body)
    check_encoded(reset["UserContextData"]["EncodedData"], "alice", "IOS20171114", before, after)
    plain = ffi.account_request(CONFIG, ffi.AccountRequest.FORGOT_PASSWORD(username="alice"))
    assert "UserContextData" not in json.loads(plain.body)
    # An operation without threat protection refuses context data rather than dropping it.
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.account_request(CONFIG, ffi.AccountRequest.GET_USER(access_token="tok"),
                            context_data=context())
    assert error.value.what == "context_data"


def test_too_much_context_data_is_invalid_input():
    huge = ffi.ContextData(version=ffi.ContextDataVersion.FLUTTER,
                           facts=ffi.DeviceFacts(device_fingerprint="f" * 200_000))
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.account_request(CONFIG, ffi.AccountRequest.SIGN_UP(username="alice", password="pw"),
                            context_data=huge)
    assert error.value.what == "context_data"


def test_passkey_sign_in_step():
    signin = ffi.SignInSession(CONFIG, ffi.SignInCredentials(
        username="alice", flow=ffi.AuthFlow.USER_AUTH(preferred=ffi.FirstFactor.WEB_AUTHN)))
    body = json.loads(signin.start().request.body)
    assert body["AuthParameters"]["PREFERRED_CHALLENGE"] == "WEB_AUTHN"
    options = json.dumps({"challenge": CHALLENGE, "rpId": "example.com",
                          "allowCredentials": [{"type": "public-key", "id": "AQID"}]})
    challenge = {"ChallengeName": "WEB_AUTHN", "Session": "s1",
                 "ChallengeParameters": {"USERNAME": "alice",
                                         "CREDENTIAL_REQUEST_OPTIONS": options}}
    step = signin.handle_response(200, json.dumps(challenge).encode(), None)
    assert isinstance(step, ffi.SignInStep.CONFIRM_SIGN_IN_WITH_WEB_AUTHN)
    assert step.credential_request_options == options == step.options.json
    assert base64.urlsafe_b64decode(step.options.challenge + "==") == bytes(range(16))
    assert step.options.rp_id == "example.com"
    assert step.options.allow_credentials == [ffi.PasskeyCredentialDescriptor(id="AQID", transports=[])]

    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        signin.answer(ffi.ChallengeAnswer.WEB_AUTHN_CREDENTIAL(credential="{}"))
    assert error.value.what == "credential"
    assert not signin.is_over()

    credential = {"id": "AQID", "rawId": "AQID", "response": {"authenticatorData": "AAAA",
                  "clientDataJSON": "e30", "signature": "MEUCIQ"}, "type": "public-key"}
    step = signin.answer(ffi.ChallengeAnswer.WEB_AUTHN_CREDENTIAL(credential=json.dumps(credential)))
    sent = json.loads(step.request.body)
    assert sent["ChallengeName"] == "WEB_AUTHN"
    assert json.loads(sent["ChallengeResponses"]["CREDENTIAL"]) == credential


def test_hostile_passkey_options_end_the_sign_in():
    signin = ffi.SignInSession(CONFIG, ffi.SignInCredentials(
        username="alice", flow=ffi.AuthFlow.USER_AUTH(preferred=ffi.FirstFactor.WEB_AUTHN)))
    signin.start()
    challenge = {"ChallengeName": "WEB_AUTHN", "Session": "s1",
                 "ChallengeParameters": {"CREDENTIAL_REQUEST_OPTIONS": '{"challenge":"AAEC"}'}}
    with pytest.raises(ffi.CognitoAuthError.UnexpectedResponse):
        signin.handle_response(200, json.dumps(challenge).encode(), None)
    assert signin.is_over()


def test_passkey_management_requests():
    start = ffi.account_request(CONFIG, ffi.AccountRequest.START_WEB_AUTHN_REGISTRATION(access_token="tok"))
    assert json.loads(start.body) == {"AccessToken": "tok"}
    options = ffi.parse_account_response(ffi.AccountOperationKind.START_WEB_AUTHN_REGISTRATION(), 200, json.dumps({
        "CredentialCreationOptions": {
            "challenge": CHALLENGE, "rp": {"id": "example.com", "name": "Example"},
            "user": {"id": "dXNlcg", "name": "alice", "displayName": "Alice"},
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}]}}).encode()).options
    assert options.algorithms == [-7] and options.user_id == "dXNlcg"
    listed = ffi.account_request(CONFIG, ffi.AccountRequest.LIST_WEB_AUTHN_CREDENTIALS(
        access_token="tok", max_results=20))
    assert json.loads(listed.body) == {"AccessToken": "tok", "MaxResults": 20}
    with pytest.raises(ffi.CognitoAuthError.InvalidInput):
        ffi.account_request(CONFIG, ffi.AccountRequest.LIST_WEB_AUTHN_CREDENTIALS(
            access_token="tok", max_results=21))
    page = ffi.parse_account_response(ffi.AccountOperationKind.LIST_WEB_AUTHN_CREDENTIALS(), 200, json.dumps({
        "Credentials": [{"CredentialId": "AQID", "RelyingPartyId": "example.com",
                         "AuthenticatorTransports": ["internal"], "CreatedAt": 1733100000}],
        "NextToken": "n2"}).encode()).page
    assert page.next_token == "n2" and page.credentials[0].credential_id == "AQID"
    delete = ffi.account_request(CONFIG, ffi.AccountRequest.DELETE_WEB_AUTHN_CREDENTIAL(
        access_token="tok", credential_id="AQID"))
    assert json.loads(delete.body) == {"AccessToken": "tok", "CredentialId": "AQID"}
    with pytest.raises(ffi.CognitoAuthError.InvalidInput):
        ffi.account_request(CONFIG, ffi.AccountRequest.COMPLETE_WEB_AUTHN_REGISTRATION(
            access_token="tok", credential="not json"))
