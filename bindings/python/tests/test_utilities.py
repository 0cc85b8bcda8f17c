"""SECRET_HASH, phone numbers, JWT claims and account request builders / parsers."""

import base64
import json
import os

import pytest

import cognito_auth_ffi as ffi
from conftest import DATA

CONFIG = ffi.ClientConfig(user_pool_id="us-east-1_Abc123XyZ", client_id="client-id")


def secret_hash_vectors():
    with open(os.path.join(DATA, "secret_hash_vectors.tsv"), encoding="utf-8") as source:
        for line in source:
            if line.startswith("#") or not line.strip():
                continue
            username, client_id, secret, _hex, expected = line.rstrip("\n").split("\t")
            yield username.strip("'"), client_id.strip("'"), secret.strip("'"), expected


@pytest.mark.parametrize("vector", list(secret_hash_vectors()), ids=lambda v: v[0] or "empty")
def test_secret_hash_vectors(vector):
    username, client_id, secret, expected = vector
    assert ffi.secret_hash(username, client_id, secret) == expected


def test_phone_numbers_parse_and_normalise():
    number = ffi.phone_number_normalize("+1 (206) 555-1212")
    assert number == ffi.PhoneNumber(e164="+12065551212", country_calling_code=1,
                                     national_significant_number="2065551212")
    assert ffi.phone_number_parse("+12065551212") == number
    assert ffi.phone_number_normalize("07911 123456", 44).e164 == "+447911123456"
    assert ffi.phone_number_normalize("0049 30 1234567").e164 == "+49301234567"


@pytest.mark.parametrize("call", [
    lambda: ffi.phone_number_parse(""),
    lambda: ffi.phone_number_parse("12065551212"),          # no +
    lambda: ffi.phone_number_parse("+1 206 555 1212"),      # separators are not E.164
    lambda: ffi.phone_number_parse("+1206555121212345"),    # too long
    lambda: ffi.phone_number_normalize("2065551212"),        # national without a country
    lambda: ffi.phone_number_normalize("+1 206 CALL NOW"),
    lambda: ffi.phone_number_normalize("2065551212", 999),   # no such calling code
])
def test_bad_phone_numbers_are_typed_errors(call):
    with pytest.raises(ffi.CognitoAuthError.PhoneNumber) as error:
        call()
    assert error.value.reason


def jwt(payload):
    part = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
    return "%s.%s.c2lnbmF0dXJl" % (part({"alg": "RS256", "kid": "k"}), part(payload))


def test_jwt_claims():
    claims = ffi.jwt_claims(jwt({"sub": "94c8-uuid", "token_use": "id", "exp": 1800003600,
                                 "iat": 1800000000, "cognito:username": "alice", "aud": "client-id",
                                 "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc"}))
    assert claims.sub == "94c8-uuid"
    assert claims.exp == 1800003600 and claims.iat == 1800000000
    assert claims.token_use == ffi.TokenUse.ID()
    assert claims.username == "alice"
    assert claims.client_id == "client-id"
    for bad in ("", "a.b", "not.a.jwt", jwt({"sub": "x"})):  # the last one lacks exp
        with pytest.raises(ffi.CognitoAuthError.Jwt):
            ffi.jwt_claims(bad)


def test_account_requests_and_responses():
    Request, Kind, Response = ffi.AccountRequest, ffi.AccountOperationKind, ffi.AccountResponse

    def parse(kind, body, status=200, error_type=None):
        return ffi.parse_account_response(kind, status, body, error_type)

    sign_up = Request.SIGN_UP(username="alice", password="Sup3r-Secret-Pw!",
                              attributes={"email": "alice@example.com"})
    assert "Sup3r-Secret-Pw!" not in f"{sign_up} {sign_up!r}"
    assert ffi.account_request_kind(sign_up) == Kind.SIGN_UP()
    request = ffi.account_request(CONFIG, sign_up)
    assert request.operation == "SignUp"
    assert request.url == "https://cognito-idp.us-east-1.amazonaws.com/"
    assert request.headers["x-amz-target"] == "AWSCognitoIdentityProviderService.SignUp"
    body = json.loads(request.body)
    assert body["Username"] == "alice" and body["Password"] == "Sup3r-Secret-Pw!"
    assert body["UserAttributes"] == [{"Name": "email", "Value": "alice@example.com"}]

    answer = parse(Kind.SIGN_UP(), json.dumps({
        "UserConfirmed": False, "UserSub": "uuid-1", "Session": "s",
        "CodeDeliveryDetails": {"Destination": "a***@e***", "DeliveryMedium": "EMAIL",
                                "AttributeName": "email"}}).encode())
    assert isinstance(answer, Response.SIGNED_UP)
    result = answer.result
    assert result.next_step == ffi.SignUpNextStep.CONFIRM_SIGN_UP
    assert result.code_delivery.delivery_medium == "EMAIL"
    assert result.session == "s"

    with pytest.raises(ffi.CognitoAuthError.Service) as error:
        parse(Kind.SIGN_UP(), b'{"message":"User already exists"}', 400, "UsernameExistsException")
    assert error.value.kind == ffi.ServiceErrorKind.USERNAME_EXISTS
    assert error.value.code == "UsernameExistsException"
    assert error.value.service_message == "User already exists"
    assert error.value.status == 400 and not error.value.retryable and not error.value.step_still_open

    with pytest.raises(ffi.CognitoAuthError.UnexpectedResponse):
        parse(Kind.SIGN_UP(), b"{not json")
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.account_request(CONFIG, Request.CONFIRM_SIGN_UP(username="alice", confirmation_code="12ab56"))
    assert error.value.what == "code"
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.account_request(CONFIG, Request.LIST_DEVICES(access_token="token", limit=61))
    assert error.value.what == "limit"
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.account_request(CONFIG, Request.SET_USER_MFA_PREFERENCE(
            access_token="token", sms=ffi.MfaPreferenceSetting.PREFERRED,
            totp=ffi.MfaPreferenceSetting.PREFERRED))
    assert error.value.what == "mfa_preference"
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.account_request(ffi.ClientConfig(user_pool_id="bad", client_id="c"),
                            Request.GET_USER(access_token="token"))
    assert error.value.what == "user_pool_id"
    with pytest.raises(ffi.CognitoAuthError.InvalidInput) as error:
        ffi.account_request(CONFIG, Request.GET_USER(access_token="token"), client_metadata={"a": "1"})
    assert error.value.what == "client_metadata"

    tokens = parse(Kind.GET_TOKENS_FROM_REFRESH_TOKEN(), json.dumps({
        "AuthenticationResult": {"AccessToken": "a.b.c", "ExpiresIn": 3600,
                                 "TokenType": "Bearer"}}).encode()).tokens
    assert tokens.access_token == "a.b.c" and tokens.refresh_token is None

    associate = Request.ASSOCIATE_SOFTWARE_TOKEN(access_token="token", username="alice")
    assert json.loads(ffi.account_request(CONFIG, associate).body) == {"AccessToken": "token"}
    setup = parse(ffi.account_request_kind(associate),
                  json.dumps({"SecretCode": "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"}).encode()).details
    assert setup == ffi.TotpSetupDetails(shared_secret="HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ", username="alice")
    with pytest.raises(ffi.CognitoAuthError.TotpSetupCodeRejected):
        parse(Kind.VERIFY_SOFTWARE_TOKEN(), b'{"Status":"ERROR"}')
    assert parse(Kind.VERIFY_SOFTWARE_TOKEN(), b'{"Status":"SUCCESS"}') == Response.DONE()

    user = parse(Kind.GET_USER(), json.dumps({
        "Username": "alice", "UserAttributes": [{"Name": "email", "Value": "a@e.com"}],
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"], "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA"}).encode()).user
    assert user.attributes == {"email": "a@e.com"}
    assert user.mfa_preference == ffi.MfaPreference(enabled=[ffi.MfaType.TOTP], preferred=ffi.MfaType.TOTP)

    devices = parse(Kind.LIST_DEVICES(), json.dumps({"Devices": [{
        "DeviceKey": "us-east-1_d1", "DeviceAttributes": [
            {"Name": "device_name", "Value": "phone"},
            {"Name": "dev:device_remembered_status", "Value": "remembered"}],
        "DeviceCreateDate": 1800000000}]}).encode()).page
    assert devices.devices[0].name == "phone"
    assert devices.devices[0].remembered_status == ffi.RememberedStatus.REMEMBERED
    assert devices.devices[0].created == 1800000000 and devices.pagination_token is None


def test_personal_data_is_redacted_when_printed():
    # str() and repr() go through Rust's redacting Display (vars() does not: bindings/README.md).
    user = ffi.UserInfo(username="alice@example.com",
                        attributes={"email": "alice@example.com", "phone_number": "+12065551212"},
                        mfa_preference=ffi.MfaPreference(enabled=[ffi.MfaType.TOTP],
                                                         preferred=ffi.MfaType.TOTP))
    delivery = ffi.CodeDeliveryDetails(destination="a***@e***.com", delivery_medium="EMAIL",
                                       attribute_name="email")
    device = ffi.DeviceInfo(device_key="eu-west-1_dev", name="Pixel", remembered_status=None,
                            attributes={"last_ip_used": "192.0.2.33"}, created=1,
                            last_modified=None, last_authenticated=None)
    printed = " ".join([str(user), repr(user), str(delivery), repr(delivery), str(device),
                        repr(device), str([user, delivery, device])])
    for personal in ["alice@example.com", "+12065551212", "a***@e***.com", "192.0.2.33"]:
        assert personal not in printed, printed
    for shown in ["phone_number", "EMAIL", "last_ip_used", "Pixel"]:
        assert shown in printed, printed
    # The values stay readable through the fields.
    assert user.attributes["email"] == "alice@example.com"
    assert delivery.destination == "a***@e***.com"
