//! Small helpers: `SECRET_HASH`, E.164 phone numbers, JWT claims.

use cognito_auth_core::jwt::{JwtClaims as CoreJwtClaims, TokenUse as CoreTokenUse};
use cognito_auth_core::{CallingCode, PhoneNumber as CorePhoneNumber, SecretString};

use crate::error::{CognitoAuthError, Result};

/// `SECRET_HASH` = base64(HMAC-SHA256(client secret, username ‖ client id)). The requests built
/// here add it themselves; this is for requests built elsewhere. An empty client id or client
/// secret is refused (`InvalidInput`): Cognito never issues one, so it is a configuration
/// mistake. (The username is hashed as given, even empty: Cognito refuses that one itself.)
#[uniffi::export]
pub fn secret_hash(username: String, client_id: String, client_secret: String) -> Result<String> {
    let client_secret = SecretString::from(client_secret);
    for (what, value) in [
        ("client_id", client_id.as_str()),
        ("client_secret", client_secret.expose()),
    ] {
        if value.is_empty() {
            return Err(CognitoAuthError::invalid_input(what, "must not be empty"));
        }
    }
    Ok(cognito_auth_core::secret_hash(
        &username,
        &client_id,
        &client_secret,
    ))
}

/// A valid E.164 phone number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Record)]
pub struct PhoneNumber {
    /// `+` and up to 15 digits, e.g. `+12065551212` (what Cognito's `phone_number` takes).
    pub e164: String,
    /// The country calling code, e.g. 1, 44.
    pub country_calling_code: u16,
    /// The digits after the calling code.
    pub national_significant_number: String,
}

impl From<CorePhoneNumber> for PhoneNumber {
    fn from(number: CorePhoneNumber) -> Self {
        Self {
            country_calling_code: number.country_calling_code(),
            national_significant_number: number.national_significant_number().to_owned(),
            e164: number.as_str().to_owned(),
        }
    }
}

/// Checks a number that should already be E.164 (`+` then digits, no separators), e.g. a
/// `phone_number` attribute Cognito returned. For what a user typed, use
/// `phone_number_normalize`.
#[uniffi::export]
pub fn phone_number_parse(input: String) -> Result<PhoneNumber> {
    Ok(CorePhoneNumber::parse(&input)?.into())
}

/// Normalises what a user typed: international form with separators (`+1 (206) 555-1212` →
/// `+12065551212`), a `00` prefix, or a national number with `default_calling_code` (the
/// user's country, e.g. 44: `07911 123456` → `+447911123456`).
#[uniffi::export(default(default_calling_code = None))]
pub fn phone_number_normalize(
    input: String,
    default_calling_code: Option<u16>,
) -> Result<PhoneNumber> {
    let default = default_calling_code.map(CallingCode::new).transpose()?;
    Ok(CorePhoneNumber::normalize(&input, default)?.into())
}

/// `token_use` of a Cognito JWT.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TokenUse {
    /// `access`.
    Access,
    /// `id`.
    Id,
    /// Another value.
    Other {
        /// As sent.
        value: String,
    },
}

/// The claims of a Cognito access or ID token. **Not verified** (no signature check): use them
/// to know when to refresh, never to authorise.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct JwtClaims {
    /// `exp`, Unix seconds.
    pub exp: u64,
    /// `iat`, Unix seconds.
    pub iat: Option<u64>,
    /// `sub`.
    pub sub: String,
    /// `username` (access token) or `cognito:username` (ID token).
    pub username: Option<String>,
    /// `token_use`.
    pub token_use: Option<TokenUse>,
    /// `client_id` (access token) or `aud` (ID token).
    pub client_id: Option<String>,
    /// `iss`.
    pub iss: Option<String>,
}

/// Reads a JWT's claims without verifying it.
#[uniffi::export]
pub fn jwt_claims(token: String) -> Result<JwtClaims> {
    let token = SecretString::from(token);
    let claims = CoreJwtClaims::read(token.expose())?;
    Ok(JwtClaims {
        exp: claims.exp.as_secs(),
        iat: claims.iat.map(|iat| iat.as_secs()),
        sub: claims.sub,
        username: claims.username,
        token_use: claims.token_use.map(|token_use| match token_use {
            CoreTokenUse::Access => TokenUse::Access,
            CoreTokenUse::Id => TokenUse::Id,
            CoreTokenUse::Other(value) => TokenUse::Other { value },
        }),
        client_id: claims.client_id,
        iss: claims.iss,
    })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test fails by panicking"
    )]

    use super::*;

    #[test]
    fn secret_hash_vector() {
        // AWS documentation's example values; the hash from an independent HMAC (Python's hmac).
        assert_eq!(
            secret_hash(
                "alice".into(),
                "1example23456789abcdefghij".into(),
                "1example23456789abcdefghijklmnopqrstuvwxyz0123456789".into()
            )
            .unwrap(),
            "//GwtE+1CK57uu1PfHhDchwQMQO4b0KDIie8ikhR0kk="
        );
    }

    #[test]
    fn secret_hash_refuses_empty_inputs() {
        for (username, client_id, client_secret, what) in [
            ("alice", "", "secret", "client_id"),
            ("alice", "client", "", "client_secret"),
        ] {
            match secret_hash(username.into(), client_id.into(), client_secret.into()) {
                Err(CognitoAuthError::InvalidInput { what: field, .. }) => assert_eq!(field, what),
                other => panic!("{what}: {other:?}"),
            }
        }
    }

    #[test]
    fn phone_numbers() {
        let number = phone_number_normalize("+1 (206) 555-1212".into(), None).unwrap();
        assert_eq!(number.e164, "+12065551212");
        assert_eq!(phone_number_parse("+12065551212".into()).unwrap(), number);
        assert!(matches!(
            phone_number_parse("+1 206 555 1212".into()),
            Err(CognitoAuthError::PhoneNumber { .. })
        ));
        assert_eq!(number.country_calling_code, 1);
        assert_eq!(number.national_significant_number, "2065551212");
        assert_eq!(
            phone_number_normalize("07911 123456".into(), Some(44))
                .unwrap()
                .e164,
            "+447911123456"
        );
        assert!(matches!(
            phone_number_parse("2065551212".into()),
            Err(CognitoAuthError::PhoneNumber { .. })
        ));
        assert!(matches!(
            phone_number_normalize("2065551212".into(), Some(999)),
            Err(CognitoAuthError::PhoneNumber { .. })
        ));
    }

    #[test]
    fn token_use_round_trips_every_variant() {
        use base64::Engine as _;
        // The core's TokenUse is exhaustive: a new variant fails to compile in jwt_claims.
        let jwt = |token_use: &str| {
            let payload = format!(r#"{{"sub":"s","exp":1800003600,"token_use":"{token_use}"}}"#);
            let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
            format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln")
        };
        for (claim, expected) in [
            ("access", TokenUse::Access),
            ("id", TokenUse::Id),
            (
                "refresh",
                TokenUse::Other {
                    value: "refresh".into(),
                },
            ),
        ] {
            let claims = jwt_claims(jwt(claim)).unwrap();
            assert_eq!(claims.token_use, Some(expected), "{claim}");
        }
    }

    #[test]
    fn jwt_claims_are_read_and_garbage_refused() {
        let token = concat!(
            "eyJraWQiOiJrZXkiLCJhbGciOiJSUzI1NiJ9.",
            "eyJzdWIiOiI5NGM4NDQ2OC1lMGMxLTcwMDMtZTdiNi0zMmJlMmMzYmQ2ZWUiLCJ0b2tlbl91c2UiOiJhY2Nlc3Mi",
            "LCJjbGllbnRfaWQiOiIyb2Q0MGV4YW1wbGUiLCJleHAiOjE4MDAwMDM2MDAsImlhdCI6MTgwMDAwMDAwMCwidXNl",
            "cm5hbWUiOiJhbGljZSJ9.",
            "c2lnbmF0dXJl",
        );
        let claims = jwt_claims(token.into()).unwrap();
        assert_eq!(claims.sub, "94c84468-e0c1-7003-e7b6-32be2c3bd6ee");
        assert_eq!(claims.exp, 1_800_003_600);
        assert_eq!(claims.iat, Some(1_800_000_000));
        assert_eq!(claims.token_use, Some(TokenUse::Access));
        assert_eq!(claims.username.as_deref(), Some("alice"));
        assert!(matches!(
            jwt_claims("not-a-jwt".into()),
            Err(CognitoAuthError::Jwt { .. })
        ));
    }
}
