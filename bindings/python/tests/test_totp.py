"""TOTP codes, verification and otpauth URIs through the Python bindings."""

import base64

import pytest

import cognito_auth_ffi as ffi
from conftest import read_tsv

ALGORITHMS = {"SHA1": ffi.TotpAlgorithm.SHA1, "SHA256": ffi.TotpAlgorithm.SHA256,
              "SHA512": ffi.TotpAlgorithm.SHA512}
RFC_SHA1_SEED = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize("row", read_tsv("totp_rfc6238.tsv"),
                         ids=lambda row: "%s@%s" % (row["mode"], row["time_or_counter"]))
def test_rfc_6238_vectors(row):
    # The base32 column is checked against the ASCII seed by Python's own encoder.
    assert row["seed_base32_nopad"] == base64.b32encode(row["seed_ascii"].encode()).decode().rstrip("=")
    parameters = ffi.TotpParameters(algorithm=ALGORITHMS[row["mode"]], digits=8, period_secs=30)
    code = ffi.totp_code(row["seed_base32_nopad"], int(row["time_or_counter"]), parameters)
    assert code == row["code"]


def test_cognito_parameters_are_the_default():
    params = ffi.cognito_totp_parameters()
    assert (params.algorithm, params.digits, params.period_secs) == (ffi.TotpAlgorithm.SHA1, 6, 30)
    # RFC 6238's SHA-1 code at T=59 is 94287082; Cognito shows its last six digits.
    assert ffi.totp_code(RFC_SHA1_SEED, 59) == "287082"
    # Lower case and spaces, as users type secrets, are accepted.
    spaced = " ".join(RFC_SHA1_SEED[i:i + 4] for i in range(0, 32, 4)).lower()
    assert ffi.totp_code(spaced, 59) == "287082"


def test_verify_accepts_the_window_and_refuses_replays():
    at = 1111111109
    step = ffi.totp_verify(RFC_SHA1_SEED, "081804", at)
    assert step == at // 30
    # One step of skew each way by default, none with skew=0.
    assert ffi.totp_verify(RFC_SHA1_SEED, "081804", at + 30) == step
    with pytest.raises(ffi.CognitoAuthError.Totp) as error:
        ffi.totp_verify(RFC_SHA1_SEED, "081804", at + 30, skew=0)
    assert error.value.kind == ffi.TotpErrorKind.CODE_MISMATCH
    with pytest.raises(ffi.CognitoAuthError.Totp) as error:
        ffi.totp_verify(RFC_SHA1_SEED, "081804", at, last_used_step=step)
    assert error.value.kind == ffi.TotpErrorKind.CODE_REPLAYED
    with pytest.raises(ffi.CognitoAuthError.Totp) as error:
        ffi.totp_verify(RFC_SHA1_SEED, "08180x", at)
    assert error.value.kind == ffi.TotpErrorKind.MALFORMED_CODE


@pytest.mark.parametrize("secret", ["", "GEZDGNBV!Y3TQOJQ", "GEZDGNBVGY3TQOJQ1", "GEZDGNBV"])
def test_bad_base32_secrets_are_typed_errors(secret):
    with pytest.raises(ffi.CognitoAuthError.Totp) as error:
        ffi.totp_code(secret, 0)
    assert error.value.kind == ffi.TotpErrorKind.INVALID_SECRET
    assert error.value.reason
    assert isinstance(error.value, ffi.CognitoAuthError)


def test_bad_parameters_are_typed_errors():
    for digits, period in ((5, 30), (9, 30), (6, 0)):
        parameters = ffi.TotpParameters(algorithm=ffi.TotpAlgorithm.SHA1, digits=digits,
                                        period_secs=period)
        with pytest.raises(ffi.CognitoAuthError.Totp) as error:
            ffi.totp_code(RFC_SHA1_SEED, 59, parameters)
        assert error.value.kind == ffi.TotpErrorKind.INVALID_PARAMETERS


def test_otpauth_round_trip():
    for otp_type, algorithm, digits in (
        (ffi.OtpType.TOTP(period_secs=30), ffi.TotpAlgorithm.SHA1, 6),
        (ffi.OtpType.TOTP(period_secs=60), ffi.TotpAlgorithm.SHA512, 8),
        (ffi.OtpType.HOTP(counter=42), ffi.TotpAlgorithm.SHA256, 7),
    ):
        uri = ffi.OtpauthUri(otp_type=otp_type, secret_base32=RFC_SHA1_SEED, issuer="Acme Co",
                             account_name="alice@example.com", algorithm=algorithm, digits=digits)
        text = ffi.otpauth_uri_build(uri)
        assert text.startswith("otpauth://")
        assert "secret=" + RFC_SHA1_SEED in text
        assert ffi.otpauth_uri_parse(text) == uri


def test_otpauth_parses_what_authenticator_apps_export():
    # Google's key-URI format example.
    parsed = ffi.otpauth_uri_parse(
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
        "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30")
    assert parsed.issuer == "ACME Co"
    assert parsed.account_name == "john.doe@email.com"
    assert parsed.secret_base32 == "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
    assert parsed.otp_type == ffi.OtpType.TOTP(period_secs=30)
    assert (parsed.algorithm, parsed.digits) == (ffi.TotpAlgorithm.SHA1, 6)


@pytest.mark.parametrize("uri", [
    "https://example.com/?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
    "otpauth://push/alice?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
    "otpauth://totp/alice",
    "otpauth://totp/alice?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&digits=9",
    "otpauth://totp/alice?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&algorithm=MD5",
    "otpauth://totp/al%ZZice?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
    "otpauth://hotp/alice?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
    "otpauth://totp/alice?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBO!",
])
def test_bad_otpauth_uris_are_typed_errors(uri):
    with pytest.raises(ffi.CognitoAuthError.OtpauthUri) as error:
        ffi.otpauth_uri_parse(uri)
    assert error.value.reason
    # The reason never repeats the secret.
    assert "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBO" not in str(error.value)


def test_setup_uri_for_a_cognito_secret():
    details = ffi.TotpSetupDetails(shared_secret=RFC_SHA1_SEED, username="alice")
    uri = ffi.totp_setup_uri(details, "My App")
    parsed = ffi.otpauth_uri_parse(uri)
    assert (parsed.issuer, parsed.account_name, parsed.secret_base32) == ("My App", "alice", RFC_SHA1_SEED)
    other = ffi.otpauth_uri_parse(ffi.totp_setup_uri(details, "My App", "alice@example.com"))
    assert other.account_name == "alice@example.com"
