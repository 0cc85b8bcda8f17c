//! Tokens: `GetTokensFromRefreshToken`, `REFRESH_TOKEN_AUTH`, `RevokeToken`, `GlobalSignOut`
//! request bodies, recorded response shapes and error mapping, and the unverified JWT claims
//! reader ([`JwtClaims`]).
//!
//! Response shapes follow the Cognito API model and the AWS CLI reference examples; the JWTs are
//! built here with the claims Cognito's access and ID tokens carry.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use cognito_auth_core::account::{
    AccountError, AccountOperation, GetTokensFromRefreshToken, GlobalSignOut, RefreshTokenAuth,
    RevokeToken,
};
use cognito_auth_core::jwt::{JwtClaims, JwtError, TokenUse};
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::wire::{HttpResponse, Operation, ResponseError, ServiceErrorKind};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId, secret_hash};
use proptest::prelude::*;
use serde_json::{Value, json};

const POOL: &str = "us-east-1_Abc123XyZ";
const CLIENT_ID: &str = "2od40example";
const CLIENT_SECRET: &str = "1q2w3e4r5t6y7u8i9o0p1q2w3e4r5t6y7u8i9o0p1q2w3e4r5t";
/// Shaped like Cognito's refresh tokens: an encrypted JWT (five parts).
const REFRESH: &str = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.\
    Yt8NXtR0Xo-example-key.Q2u-iv.ciphertext-example.tag-example";
const ROTATED: &str = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.\
    rotated-key.rotated-iv.rotated-ciphertext.rotated-tag";
const ACCESS: &str = "eyJraWQiOiJhY2Nlc3Mta2lkIiwiYWxnIjoiUlMyNTYifQ.access-payload.access-sig";
const ID: &str = "eyJraWQiOiJpZC1raWQiLCJhbGciOiJSUzI1NiJ9.id-payload.id-sig";
const DEVICE_KEY: &str = "us-east-1_5f1c2d3e-0a1b-4c2d-8e3f-405162738495";
/// The canonical username in a pool that signs in with email: the `sub`.
const SUB: &str = "94c84468-e0c1-7003-e7b6-32be2c3bd6ee";

fn public_client() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse(POOL).unwrap(), CLIENT_ID).unwrap()
}

fn secret_client() -> ClientConfig {
    public_client()
        .with_client_secret(SecretString::new(CLIENT_SECRET))
        .unwrap()
}

fn body_of(operation: &impl AccountOperation, client: &ClientConfig) -> (Operation, Value) {
    let request = operation.request(client).unwrap();
    (
        request.operation(),
        serde_json::from_str(request.body()).unwrap(),
    )
}

fn error_response(code: &str, message: &str) -> String {
    json!({"__type": code, "message": message}).to_string()
}

/// The service error `operation` makes of a 400 `{"__type": code}` response.
fn service_error<O: AccountOperation>(
    operation: &O,
    status: u16,
    code: &str,
    message: &str,
) -> cognito_auth_core::ServiceError
where
    O::Output: core::fmt::Debug,
{
    let body = error_response(code, message);
    match operation.parse_response(HttpResponse::new(status, body.as_bytes())) {
        Err(AccountError::Service(error)) => error,
        other => panic!("{code}: expected a service error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// GetTokensFromRefreshToken

#[test]
fn get_tokens_from_refresh_token_public_client_body() {
    let (operation, body) = body_of(
        &GetTokensFromRefreshToken::new(SecretString::new(REFRESH)),
        &public_client(),
    );
    assert_eq!(operation, Operation::GetTokensFromRefreshToken);
    assert_eq!(
        body,
        json!({"ClientId": CLIENT_ID, "RefreshToken": REFRESH})
    );
}

#[test]
fn get_tokens_from_refresh_token_sends_the_raw_client_secret_and_device_key() {
    let refresh = GetTokensFromRefreshToken::new(SecretString::new(REFRESH))
        .with_device_key(DEVICE_KEY)
        .with_client_metadata("app", "ios");
    let (_, body) = body_of(&refresh, &secret_client());
    assert_eq!(
        body,
        json!({
            "ClientId": CLIENT_ID,
            "ClientSecret": CLIENT_SECRET,
            "DeviceKey": DEVICE_KEY,
            "RefreshToken": REFRESH,
            "ClientMetadata": {"app": "ios"},
        })
    );
    let request = refresh.request(&secret_client()).unwrap();
    assert_eq!(
        request.headers()[1],
        (
            "x-amz-target",
            "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken"
        )
    );
    assert!(
        !request.body().contains("SecretHash") && !request.body().contains("SECRET_HASH"),
        "the raw secret, not a hash: {}",
        request.body()
    );
}

#[test]
fn get_tokens_from_refresh_token_refuses_empty_input() {
    assert_eq!(
        GetTokensFromRefreshToken::new(SecretString::new(" "))
            .request(&public_client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "refresh_token"
        }
    );
    assert_eq!(
        GetTokensFromRefreshToken::new(SecretString::new(REFRESH))
            .with_device_key("")
            .request(&public_client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "device_key"
        }
    );
}

#[test]
fn refresh_with_rotation_returns_the_new_refresh_token() {
    let body = json!({
        "AuthenticationResult": {
            "AccessToken": ACCESS,
            "ExpiresIn": 3600,
            "IdToken": ID,
            "RefreshToken": ROTATED,
            "TokenType": "Bearer",
        }
    })
    .to_string();
    let tokens = GetTokensFromRefreshToken::new(SecretString::new(REFRESH))
        .parse_response(HttpResponse::new(200, body.as_bytes()))
        .unwrap();
    assert_eq!(tokens.access_token.expose(), ACCESS);
    assert_eq!(tokens.id_token.as_ref().unwrap().expose(), ID);
    assert_eq!(tokens.refresh_token.as_ref().unwrap().expose(), ROTATED);
    assert_eq!(tokens.expires_in, 3600);
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.new_device_metadata, None);
}

#[test]
fn refresh_without_rotation_has_no_refresh_token_and_no_device_metadata() {
    let body = json!({
        "AuthenticationResult": {
            "AccessToken": ACCESS,
            "ExpiresIn": 3600,
            "IdToken": ID,
            "TokenType": "Bearer",
        },
        "ChallengeParameters": {},
    })
    .to_string();
    for operation in [
        &GetTokensFromRefreshToken::new(SecretString::new(REFRESH)) as &dyn Refresh,
        &RefreshTokenAuth::new(SecretString::new(REFRESH), SUB),
    ] {
        let tokens = operation
            .parse(HttpResponse::new(200, body.as_bytes()))
            .unwrap();
        assert!(tokens.refresh_token.is_none());
        assert!(tokens.new_device_metadata.is_none());
        assert_eq!(tokens.access_token.expose(), ACCESS);
    }
}

/// Both refresh operations, as one trait object.
trait Refresh {
    fn parse(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<cognito_auth_core::wire::AuthenticationResult, AccountError>;
}

impl<T: AccountOperation<Output = cognito_auth_core::wire::AuthenticationResult>> Refresh for T {
    fn parse(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<cognito_auth_core::wire::AuthenticationResult, AccountError> {
        self.parse_response(response)
    }
}

#[test]
fn refresh_responses_that_are_not_tokens_are_refused() {
    let refresh = GetTokensFromRefreshToken::new(SecretString::new(REFRESH));
    for (body, error) in [
        (
            &b"{}"[..],
            ResponseError::MissingField {
                field: "AuthenticationResult",
            },
        ),
        (
            b"{\"AuthenticationResult\":null}",
            ResponseError::MissingField {
                field: "AuthenticationResult",
            },
        ),
        (
            b"{\"AuthenticationResult\":\"x\"}",
            ResponseError::FieldHasWrongType {
                field: "AuthenticationResult",
            },
        ),
        (
            b"{\"AuthenticationResult\":{\"ExpiresIn\":3600}}",
            ResponseError::MissingField {
                field: "AccessToken",
            },
        ),
        (
            b"{\"AuthenticationResult\":{\"AccessToken\":\"a\",\"ExpiresIn\":-1}}",
            ResponseError::FieldHasWrongType { field: "ExpiresIn" },
        ),
        (b"<html>", ResponseError::NotJson),
    ] {
        assert_eq!(
            refresh.parse_response(HttpResponse::new(200, body)),
            Err(AccountError::Response(error)),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn refresh_errors_are_typed() {
    let refresh = GetTokensFromRefreshToken::new(SecretString::new(REFRESH));
    for (code, message, kind) in [
        (
            "NotAuthorizedException",
            "Refresh Token has been revoked",
            ServiceErrorKind::NotAuthorized,
        ),
        (
            "NotAuthorizedException",
            "Refresh Token has expired",
            ServiceErrorKind::NotAuthorized,
        ),
        (
            "RefreshTokenReuseException",
            "Refresh token has already been used",
            ServiceErrorKind::RefreshTokenReuse,
        ),
        (
            "ResourceNotFoundException",
            "Device does not exist.",
            ServiceErrorKind::ResourceNotFound,
        ),
        (
            "UserNotFoundException",
            "User does not exist.",
            ServiceErrorKind::UserNotFound,
        ),
        (
            "InvalidParameterException",
            "Missing required parameter RefreshToken",
            ServiceErrorKind::InvalidParameter,
        ),
        (
            "UserLambdaValidationException",
            "PreTokenGeneration failed with error nope.",
            ServiceErrorKind::UserLambdaValidation,
        ),
    ] {
        let error = service_error(&refresh, 400, code, message);
        assert_eq!(error.kind(), kind, "{code}");
        assert_eq!(error.code(), code);
        assert_eq!(error.message(), message);
        assert!(!error.is_retryable(), "{code}");
        assert!(
            error.restarts_sign_in()
                || kind == ServiceErrorKind::InvalidParameter
                || kind == ServiceErrorKind::UserLambdaValidation,
            "{code}: the user must sign in again"
        );
    }
    let throttled = service_error(&refresh, 429, "TooManyRequestsException", "Rate exceeded");
    assert!(throttled.is_retryable());
    let internal = service_error(&refresh, 500, "InternalErrorException", "oops");
    assert!(internal.is_retryable());
    // The code from the header when the body has none.
    let error = refresh
        .parse_response(
            HttpResponse::new(400, b"{\"message\":\"Refresh Token has been revoked\"}")
                .with_error_type(Some("NotAuthorizedException:http://internal.amazon.com/")),
        )
        .unwrap_err();
    let AccountError::Service(error) = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized);
}

// ---------------------------------------------------------------------------------------------
// REFRESH_TOKEN_AUTH

#[test]
fn refresh_token_auth_public_client_body_has_no_username() {
    let (operation, body) = body_of(
        &RefreshTokenAuth::new(SecretString::new(REFRESH), "alice@example.com"),
        &public_client(),
    );
    assert_eq!(operation, Operation::InitiateAuth);
    assert_eq!(
        body,
        json!({
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": CLIENT_ID,
            "AuthParameters": {"REFRESH_TOKEN": REFRESH},
        })
    );
}

#[test]
fn refresh_token_auth_hashes_over_the_canonical_username() {
    let refresh = RefreshTokenAuth::new(SecretString::new(REFRESH), SUB)
        .with_device_key(DEVICE_KEY)
        .with_client_metadata("k", "v");
    let (_, body) = body_of(&refresh, &secret_client());
    let expected_hash = secret_hash(SUB, CLIENT_ID, &SecretString::new(CLIENT_SECRET));
    assert_eq!(
        body,
        json!({
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": CLIENT_ID,
            "AuthParameters": {
                "REFRESH_TOKEN": REFRESH,
                "DEVICE_KEY": DEVICE_KEY,
                "SECRET_HASH": expected_hash,
            },
            "ClientMetadata": {"k": "v"},
        })
    );
    // Over the typed email it would differ: that is the "Unable to verify secret hash" bug.
    assert_ne!(
        expected_hash,
        secret_hash(
            "alice@example.com",
            CLIENT_ID,
            &SecretString::new(CLIENT_SECRET)
        )
    );
    assert!(
        !refresh
            .request(&secret_client())
            .unwrap()
            .body()
            .contains(CLIENT_SECRET)
    );
}

#[test]
fn refresh_token_auth_needs_the_username_only_with_a_secret() {
    let refresh = RefreshTokenAuth::new(SecretString::new(REFRESH), "");
    assert!(refresh.request(&public_client()).is_ok());
    assert_eq!(
        refresh.request(&secret_client()).unwrap_err(),
        AccountError::EmptyField { field: "username" }
    );
    assert_eq!(
        RefreshTokenAuth::new(SecretString::new(""), SUB)
            .request(&public_client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "refresh_token"
        }
    );
}

#[test]
fn refresh_token_auth_secret_hash_error() {
    let error = service_error(
        &RefreshTokenAuth::new(SecretString::new(REFRESH), "alice@example.com"),
        400,
        "NotAuthorizedException",
        "Unable to verify secret hash for client 2od40example",
    );
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized);
    assert!(
        error.backend_hint().unwrap().contains("SECRET_HASH"),
        "{:?}",
        error.backend_hint()
    );
}

// ---------------------------------------------------------------------------------------------
// RevokeToken, GlobalSignOut

#[test]
fn revoke_token_bodies() {
    let revoke = RevokeToken::new(SecretString::new(REFRESH));
    let (operation, body) = body_of(&revoke, &public_client());
    assert_eq!(operation, Operation::RevokeToken);
    assert_eq!(body, json!({"ClientId": CLIENT_ID, "Token": REFRESH}));
    let (_, body) = body_of(&revoke, &secret_client());
    assert_eq!(
        body,
        json!({"ClientId": CLIENT_ID, "ClientSecret": CLIENT_SECRET, "Token": REFRESH})
    );
    assert_eq!(
        RevokeToken::new(SecretString::new(""))
            .request(&public_client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "refresh_token"
        }
    );
}

#[test]
fn global_sign_out_body() {
    let (operation, body) = body_of(
        &GlobalSignOut::new(SecretString::new(ACCESS)),
        &secret_client(),
    );
    assert_eq!(operation, Operation::GlobalSignOut);
    assert_eq!(
        body,
        json!({"AccessToken": ACCESS}),
        "no client id, no secret"
    );
    assert_eq!(
        GlobalSignOut::new(SecretString::new("\n"))
            .request(&public_client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "access_token"
        }
    );
}

#[test]
fn empty_responses_are_success() {
    let revoke = RevokeToken::new(SecretString::new(REFRESH));
    let sign_out = GlobalSignOut::new(SecretString::new(ACCESS));
    for body in [&b"{}"[..], b"", b" \n", b"{\"Unknown\":1}"] {
        assert_eq!(revoke.parse_response(HttpResponse::new(200, body)), Ok(()));
        assert_eq!(
            sign_out.parse_response(HttpResponse::new(200, body)),
            Ok(())
        );
    }
    for (body, error) in [
        (&b"[]"[..], ResponseError::NotAnObject),
        (b"nope", ResponseError::NotJson),
    ] {
        assert_eq!(
            revoke.parse_response(HttpResponse::new(200, body)),
            Err(AccountError::Response(error))
        );
    }
}

#[test]
fn revoke_and_sign_out_errors_are_typed() {
    let revoke = RevokeToken::new(SecretString::new(REFRESH));
    for (code, kind) in [
        (
            "UnsupportedTokenTypeException",
            ServiceErrorKind::UnsupportedTokenType,
        ),
        (
            "UnsupportedOperationException",
            ServiceErrorKind::UnsupportedOperation,
        ),
        ("UnauthorizedException", ServiceErrorKind::Unauthorized),
        (
            "InvalidParameterException",
            ServiceErrorKind::InvalidParameter,
        ),
        ("ForbiddenException", ServiceErrorKind::Forbidden),
    ] {
        let error = service_error(&revoke, 400, code, "refused");
        assert_eq!(error.kind(), kind, "{code}");
        assert!(!error.is_retryable(), "{code}");
    }
    let sign_out = GlobalSignOut::new(SecretString::new(ACCESS));
    for (code, message, kind) in [
        (
            "NotAuthorizedException",
            "Access Token has been revoked",
            ServiceErrorKind::NotAuthorized,
        ),
        (
            "NotAuthorizedException",
            "Access Token has expired",
            ServiceErrorKind::NotAuthorized,
        ),
        (
            "PasswordResetRequiredException",
            "Password reset required for the user",
            ServiceErrorKind::PasswordResetRequired,
        ),
        (
            "UserNotConfirmedException",
            "User is not confirmed.",
            ServiceErrorKind::UserNotConfirmed,
        ),
        (
            "ResourceNotFoundException",
            "User pool client does not exist.",
            ServiceErrorKind::ResourceNotFound,
        ),
    ] {
        let error = service_error(&sign_out, 400, code, message);
        assert_eq!(error.kind(), kind, "{code}");
        assert_eq!(error.message(), message);
    }
}

// ---------------------------------------------------------------------------------------------
// No secrets in Debug

#[test]
fn debug_output_shows_no_token_or_secret() {
    let refresh =
        GetTokensFromRefreshToken::new(SecretString::new(REFRESH)).with_device_key(DEVICE_KEY);
    let legacy = RefreshTokenAuth::new(SecretString::new(REFRESH), SUB);
    let revoke = RevokeToken::new(SecretString::new(REFRESH));
    let sign_out = GlobalSignOut::new(SecretString::new(ACCESS));
    let body = json!({"AuthenticationResult": {
        "AccessToken": ACCESS, "IdToken": ID, "RefreshToken": ROTATED, "ExpiresIn": 3600}})
    .to_string();
    let tokens = refresh
        .parse_response(HttpResponse::new(200, body.as_bytes()))
        .unwrap();
    let texts = [
        format!("{refresh:?}"),
        format!("{legacy:#?}"),
        format!("{revoke:?}"),
        format!("{sign_out:?}"),
        format!("{tokens:?}"),
        format!("{:?}", refresh.request(&secret_client()).unwrap()),
        format!("{:?}", revoke.request(&secret_client()).unwrap()),
        format!("{:?}", secret_client()),
    ];
    for text in &texts {
        for secret in [REFRESH, ROTATED, ACCESS, ID, CLIENT_SECRET, "example-key"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(
        texts[0].contains(DEVICE_KEY),
        "the device key is not secret"
    );
}

// ---------------------------------------------------------------------------------------------
// JWT claims

fn b64(json: &Value) -> String {
    URL_SAFE_NO_PAD.encode(json.to_string())
}

/// 256 bytes, like an RS256 signature.
fn signature() -> String {
    URL_SAFE_NO_PAD.encode((0..=255u8).collect::<Vec<u8>>())
}

fn jwt(header: &Value, payload: &Value) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), signature())
}

fn header() -> Value {
    json!({"kid": "p8Yp2mYJ2dV1bL0rE4hV7s9xQ2uK1c3n5m8a0b6d4f0=", "alg": "RS256"})
}

/// The claims of a Cognito access token (email-as-username pool: `username` is the `sub`).
fn access_claims() -> Value {
    json!({
        "sub": SUB,
        "device_key": DEVICE_KEY,
        "iss": format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}"),
        "client_id": CLIENT_ID,
        "origin_jti": "0b1f0e4c-4a1e-4b5f-9d3e-1c2b3a4d5e6f",
        "event_id": "7e4f2c1d-8b9a-4c3d-a2e1-f0e9d8c7b6a5",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": 1_800_000_000,
        "exp": 1_800_003_600,
        "iat": 1_800_000_000,
        "jti": "3c5d7e9f-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
        "username": SUB,
    })
}

/// The claims of a Cognito ID token.
fn id_claims() -> Value {
    json!({
        "sub": SUB,
        "email_verified": true,
        "iss": format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}"),
        "cognito:username": SUB,
        "origin_jti": "0b1f0e4c-4a1e-4b5f-9d3e-1c2b3a4d5e6f",
        "aud": CLIENT_ID,
        "event_id": "7e4f2c1d-8b9a-4c3d-a2e1-f0e9d8c7b6a5",
        "token_use": "id",
        "auth_time": 1_800_000_000,
        "exp": 1_800_003_600,
        "iat": 1_800_000_000,
        "jti": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
        "email": "alice@example.com",
        "cognito:groups": ["admins"],
    })
}

#[test]
fn reads_a_cognito_access_token() {
    let claims = JwtClaims::read(&jwt(&header(), &access_claims())).unwrap();
    assert_eq!(claims.sub, SUB);
    assert_eq!(claims.username.as_deref(), Some(SUB));
    assert_eq!(claims.token_use, Some(TokenUse::Access));
    assert_eq!(claims.client_id.as_deref(), Some(CLIENT_ID));
    assert_eq!(claims.exp, UnixTime::from_secs(1_800_003_600));
    assert_eq!(claims.iat, Some(UnixTime::from_secs(1_800_000_000)));
    assert_eq!(
        claims.iss.as_deref(),
        Some("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123XyZ")
    );
}

#[test]
fn reads_a_cognito_id_token() {
    let claims = JwtClaims::read(&jwt(&header(), &id_claims())).unwrap();
    assert_eq!(claims.sub, SUB);
    assert_eq!(claims.username.as_deref(), Some(SUB), "cognito:username");
    assert_eq!(claims.token_use, Some(TokenUse::Id));
    assert_eq!(claims.client_id.as_deref(), Some(CLIENT_ID), "aud");
}

#[test]
fn expiry_arithmetic() {
    let claims = JwtClaims::read(&jwt(&header(), &access_claims())).unwrap();
    let exp = 1_800_003_600;
    assert!(!claims.is_expired(UnixTime::from_secs(exp - 1)));
    assert!(claims.is_expired(UnixTime::from_secs(exp)));
    assert!(claims.is_expired(UnixTime::from_secs(u64::MAX)));
    assert!(!claims.expires_within(UnixTime::from_secs(exp - 301), 300));
    assert!(claims.expires_within(UnixTime::from_secs(exp - 300), 300));
    assert!(claims.expires_within(UnixTime::from_secs(exp + 10), 0));
    assert!(
        claims.expires_within(UnixTime::from_secs(1), u64::MAX),
        "no overflow"
    );
    assert_eq!(claims.seconds_left(UnixTime::from_secs(exp - 60)), 60);
    assert_eq!(claims.seconds_left(UnixTime::from_secs(exp + 60)), 0);
}

#[test]
fn padding_present_or_absent() {
    // Payload lengths 0, 1 and 2 mod 3 make 0, 2 and 1 padding characters.
    for extra in ["", "x", "xy"] {
        let mut payload = access_claims();
        payload["pad"] = json!(extra);
        let padded = format!(
            "{}.{}.{}",
            URL_SAFE.encode(header().to_string()),
            URL_SAFE.encode(payload.to_string()),
            URL_SAFE.encode([1u8, 2, 3, 4])
        );
        let unpadded = jwt(&header(), &payload);
        assert_eq!(
            JwtClaims::read(&padded).unwrap(),
            JwtClaims::read(&unpadded).unwrap(),
            "{padded}"
        );
    }
}

#[test]
fn malformed_tokens() {
    let good = jwt(&header(), &access_claims());
    let parts: Vec<&str> = good.split('.').collect();
    let standard_alphabet =
        base64::engine::general_purpose::STANDARD_NO_PAD.encode([0xfbu8, 0xff, 0xfe].repeat(20));
    for bad in [
        String::new(),
        ".".into(),
        "..".into(),
        "...".into(),
        parts[..2].join("."),
        format!("{}.{}", parts[0], parts[1]),
        format!("{good}.extra"),
        format!("{good}.a.b"),
        REFRESH.into(),
        format!("{}..{}", parts[0], parts[2]),
        format!(".{}.{}", parts[1], parts[2]),
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode("not json"),
            parts[2]
        ),
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode("[1,2]"),
            parts[2]
        ),
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode("\"exp\""),
            parts[2]
        ),
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode("nope"),
            parts[1],
            parts[2]
        ),
        format!("{}.{}!.{}", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}", parts[0], parts[1], standard_alphabet),
        format!("{} ", good),
        format!("Bearer {good}"),
        format!("{}.{}.{}", parts[0], &parts[1][1..], parts[2]),
    ] {
        assert_eq!(JwtClaims::read(&bad), Err(JwtError::Malformed), "{bad:?}");
    }
}

#[test]
fn missing_or_mistyped_claims() {
    let read = |change: &dyn Fn(&mut Value)| {
        let mut payload = access_claims();
        change(&mut payload);
        JwtClaims::read(&jwt(&header(), &payload))
    };
    let claim = |claim| Err(JwtError::InvalidClaim { claim });
    assert_eq!(
        read(&|p| drop(p.as_object_mut().unwrap().remove("exp"))),
        claim("exp")
    );
    assert_eq!(read(&|p| p["exp"] = json!("1800003600")), claim("exp"));
    assert_eq!(read(&|p| p["exp"] = json!(null)), claim("exp"));
    assert_eq!(read(&|p| p["exp"] = json!(-5)), claim("exp"));
    assert_eq!(read(&|p| p["exp"] = json!({"n": 1})), claim("exp"));
    assert_eq!(read(&|p| p["iat"] = json!("now")), claim("iat"));
    assert_eq!(
        read(&|p| drop(p.as_object_mut().unwrap().remove("sub"))),
        claim("sub")
    );
    assert_eq!(read(&|p| p["sub"] = json!("")), claim("sub"));
    assert_eq!(read(&|p| p["username"] = json!(7)), claim("username"));
    assert_eq!(
        read(&|p| p["token_use"] = json!(["access"])),
        claim("token_use")
    );
    assert_eq!(read(&|p| p["client_id"] = json!(false)), claim("client_id"));

    // Fractional and absent optional claims are fine.
    let claims = read(&|p| {
        p["exp"] = json!(1_800_003_600.75);
        let object = p.as_object_mut().unwrap();
        for name in ["iat", "username", "token_use", "client_id", "iss"] {
            object.remove(name);
        }
    })
    .unwrap();
    assert_eq!(claims.exp, UnixTime::from_secs(1_800_003_600));
    assert_eq!(
        (
            claims.iat,
            claims.username,
            claims.token_use,
            claims.client_id,
            claims.iss
        ),
        (None, None, None, None, None)
    );
    let other = read(&|p| p["token_use"] = json!("refresh")).unwrap();
    assert_eq!(other.token_use, Some(TokenUse::Other("refresh".into())));
}

#[test]
fn the_signature_is_not_verified() {
    // Documented behaviour: a token with a forged signature reads the same. Never trust it.
    let good = jwt(&header(), &access_claims());
    let (signed, _) = good.rsplit_once('.').unwrap();
    let forged = format!("{signed}.{}", URL_SAFE_NO_PAD.encode("forged"));
    assert_eq!(JwtClaims::read(&forged), JwtClaims::read(&good));
    let unsigned = format!("{signed}.");
    assert_eq!(JwtClaims::read(&unsigned), JwtClaims::read(&good));
}

#[test]
fn oversized_tokens_are_refused_without_decoding() {
    let huge = format!("{}.{}.x", "a".repeat(1 << 20), "b".repeat(8));
    assert_eq!(JwtClaims::read(&huge), Err(JwtError::Malformed));
}

proptest! {
    #[test]
    fn no_string_panics_the_jwt_reader(token in "\\PC*") {
        let _ = JwtClaims::read(&token);
    }

    #[test]
    fn no_base64url_shaped_string_panics(token in "[A-Za-z0-9_=.-]{0,200}") {
        if let Err(error) = JwtClaims::read(&token) {
            let expected = matches!(
                error,
                JwtError::Malformed | JwtError::InvalidClaim { .. }
            );
            prop_assert!(expected, "{:?}", error);
        }
    }

    #[test]
    fn any_json_payload_reads_or_errors(payload in proptest::collection::vec(any::<u8>(), 0..200),
                                        exp in any::<Option<i64>>()) {
        let mut bytes = payload.clone();
        if let Some(exp) = exp {
            bytes = format!(r#"{{"sub":"s","exp":{exp}}}"#).into_bytes();
        }
        let token = format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(b"{}"),
            URL_SAFE_NO_PAD.encode(&bytes),
            URL_SAFE_NO_PAD.encode(&payload)
        );
        match (JwtClaims::read(&token), exp) {
            (Ok(claims), Some(exp)) => prop_assert_eq!(claims.exp.as_secs(), exp as u64),
            (Err(JwtError::InvalidClaim { claim: "exp" }), Some(exp)) => prop_assert!(exp < 0),
            (Err(JwtError::Malformed | JwtError::InvalidClaim { .. }), None) => {}
            (Ok(_), None) => {}
            (other, _) => prop_assert!(false, "{other:?}"),
        }
    }
}
