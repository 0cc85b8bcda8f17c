//! [`JwtClaims`]: the claims of a Cognito access or ID token, read **without verifying the
//! signature**.
//!
//! # Not a verifier
//!
//! [`JwtClaims::read`] decodes the payload of a JWT and nothing more. It does **not** check the
//! signature, the issuer, the audience or anything else that would make the claims
//! trustworthy: anyone can write a token with any `sub` and any `exp`. Use it for what the app
//! needs to know about tokens **it received itself from Cognito over TLS**:
//!
//! * when to refresh (`exp`, [`JwtClaims::expires_within`]), so that the app refreshes before
//!   a call fails instead of after;
//! * which user the tokens belong to, to key the app's own storage (`sub`, `username`) and to
//!   compute `SECRET_HASH` over the canonical username for
//!   [`RefreshTokenAuth`](crate::account::RefreshTokenAuth).
//!
//! **Never** use it to decide who a caller is. A server that receives a token from a client
//! must verify it against the user pool's JWKS (`https://cognito-idp.<region>.amazonaws.com/
//! <pool id>/.well-known/jwks.json`), e.g. with `aws-jwt-verify` or a JOSE library.
//!
//! Refresh tokens are not readable: Cognito's refresh tokens are encrypted (JWE, five parts),
//! so [`JwtClaims::read`] refuses them with [`JwtError::Malformed`].
//!
//! ```
//! use cognito_auth_core::UnixTime;
//! use cognito_auth_core::jwt::{JwtClaims, TokenUse};
//!
//! // An access token as Cognito issues it (signature shortened): header.payload.signature.
//! let access_token = concat!(
//!     "eyJraWQiOiJrZXkiLCJhbGciOiJSUzI1NiJ9.",
//!     "eyJzdWIiOiI5NGM4NDQ2OC1lMGMxLTcwMDMtZTdiNi0zMmJlMmMzYmQ2ZWUiLCJ0b2tlbl91c2UiOiJhY2Nlc3Mi",
//!     "LCJjbGllbnRfaWQiOiIyb2Q0MGV4YW1wbGUiLCJleHAiOjE4MDAwMDM2MDAsImlhdCI6MTgwMDAwMDAwMCwidXNl",
//!     "cm5hbWUiOiJhbGljZSJ9.",
//!     "c2lnbmF0dXJl",
//! );
//! let claims = JwtClaims::read(access_token)?;
//! assert_eq!(claims.sub, "94c84468-e0c1-7003-e7b6-32be2c3bd6ee");
//! assert_eq!(claims.username.as_deref(), Some("alice"));
//! assert_eq!(claims.token_use, Some(TokenUse::Access));
//! assert_eq!(claims.client_id.as_deref(), Some("2od40example"));
//! assert_eq!(claims.exp, UnixTime::from_secs(1_800_003_600));
//!
//! // Refresh when less than five minutes are left.
//! let now = UnixTime::from_secs(1_800_003_400);
//! assert!(!claims.is_expired(now));
//! assert!(claims.expires_within(now, 300));
//! # Ok::<(), cognito_auth_core::jwt::JwtError>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::time::UnixTime;
use crate::wire::MAX_BODY_LEN;

/// Why a token's claims could not be read. Never shows the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwtError {
    /// Not three base64url parts with a JSON header and payload (Cognito's encrypted refresh
    /// tokens have five parts), or longer than the core reads.
    Malformed,
    /// A claim the core reads (`exp`, `sub`, ...) is missing or has the wrong type.
    InvalidClaim {
        /// The claim, e.g. `exp`.
        claim: &'static str,
    },
}

impl core::fmt::Display for JwtError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Malformed => f.write_str("not a JWT (three base64url parts, JSON payload)"),
            Self::InvalidClaim { claim } => {
                write!(f, "JWT claim {claim} is missing or has the wrong type")
            }
        }
    }
}

impl core::error::Error for JwtError {}

/// base64url as JWTs use it: no padding is written, and `=` padding is accepted when present
/// (some encoders add it) but not required.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The claims the core reads from a Cognito access or ID token. **Unverified**: see the
/// [module documentation](self).
///
/// Other claims (`iss` aside) are ignored; an absent optional claim is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JwtClaims {
    /// `exp`: when the token expires. A JSON number (a fractional one is rounded down).
    pub exp: UnixTime,
    /// `iat`: when the token was issued.
    pub iat: Option<UnixTime>,
    /// `sub`: the user's immutable id (a UUID in Cognito).
    pub sub: String,
    /// `username` (access token) or `cognito:username` (ID token): the user's canonical
    /// Cognito username. In a pool that signs in with an email or phone number this is **not**
    /// what the user typed, and it is the name `SECRET_HASH` must be computed over after
    /// sign-in.
    pub username: Option<String>,
    /// `token_use`: `access` or `id`.
    pub token_use: Option<TokenUse>,
    /// `client_id` (access token) or `aud` (ID token): the app client the token was issued to.
    pub client_id: Option<String>,
    /// `iss`: `https://cognito-idp.<region>.amazonaws.com/<user pool id>`.
    pub iss: Option<String>,
}

/// The `token_use` claim.
///
/// Exhaustive on purpose: the FFI mirrors it variant for variant, so a new variant must fail to
/// compile there rather than be read as another one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// `access`: the access token, for calls made as the user.
    Access,
    /// `id`: the ID token, with the user's identity claims.
    Id,
    /// Any other value, kept as sent.
    Other(String),
}

impl TokenUse {
    fn parse(value: String) -> Self {
        match value.as_str() {
            "access" => Self::Access,
            "id" => Self::Id,
            _ => Self::Other(value),
        }
    }
}

impl JwtClaims {
    /// Reads the claims of `token` (`header.payload.signature`, each base64url with or without
    /// padding) **without verifying the signature**.
    ///
    /// # Errors
    ///
    /// [`JwtError::Malformed`] when the token is not three base64url parts whose header
    /// and payload are JSON objects (this includes Cognito's encrypted refresh tokens, which
    /// have five parts); [`JwtError::InvalidClaim`] when `exp` or `sub` is missing, or a
    /// claim read here has the wrong JSON type. Never panics, whatever the string.
    pub fn read(token: &str) -> Result<Self, JwtError> {
        if token.len() > MAX_BODY_LEN {
            return Err(JwtError::Malformed);
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        json_part(header)?;
        // The signature is not checked, only that it is base64url (it may be empty).
        decode(signature)?;
        let mut claims = json_part(payload)?;

        let exp = match claims.get("exp") {
            Some(value) => numeric_date(value).ok_or(JwtError::InvalidClaim { claim: "exp" })?,
            None => return Err(JwtError::InvalidClaim { claim: "exp" }),
        };
        let iat = match claims.get("iat") {
            None | Some(Value::Null) => None,
            Some(value) => {
                Some(numeric_date(value).ok_or(JwtError::InvalidClaim { claim: "iat" })?)
            }
        };
        let sub = string_claim(&mut claims, "sub")?
            .filter(|sub| !sub.is_empty())
            .ok_or(JwtError::InvalidClaim { claim: "sub" })?;
        let username = match string_claim(&mut claims, "username")? {
            Some(username) => Some(username),
            None => string_claim(&mut claims, "cognito:username")?,
        };
        let token_use = string_claim(&mut claims, "token_use")?.map(TokenUse::parse);
        let client_id = match string_claim(&mut claims, "client_id")? {
            Some(client_id) => Some(client_id),
            None => audience(&mut claims)?,
        };
        let iss = string_claim(&mut claims, "iss")?;
        Ok(Self {
            exp,
            iat,
            sub,
            username,
            token_use,
            client_id,
            iss,
        })
    }

    /// Whether the token has expired at `now` (`now >= exp`).
    pub fn is_expired(&self, now: UnixTime) -> bool {
        now >= self.exp
    }

    /// Whether the token expires within `margin_secs` of `now` (or already has): the moment
    /// to refresh. Allow for clock skew and request time, e.g. a margin of 300 seconds.
    pub fn expires_within(&self, now: UnixTime, margin_secs: u64) -> bool {
        now.as_secs().saturating_add(margin_secs) >= self.exp.as_secs()
    }

    /// Seconds from `now` until the token expires; 0 once it has.
    pub fn seconds_left(&self, now: UnixTime) -> u64 {
        self.exp.as_secs().saturating_sub(now.as_secs())
    }
}

/// One string claim of `token`'s payload (`None` when absent or `null`), read **without
/// verifying the signature**, with the same shape checks as [`JwtClaims::read`] but no
/// required claims (the OAuth ID token's `nonce`).
pub(crate) fn unverified_string_claim(
    token: &str,
    claim: &'static str,
) -> Result<Option<String>, JwtError> {
    if token.len() > MAX_BODY_LEN {
        return Err(JwtError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    json_part(header)?;
    decode(signature)?;
    string_claim(&mut json_part(payload)?, claim)
}

/// The bytes of one base64url part. The copy is wiped when dropped: the payload is as
/// sensitive as the identity it names.
fn decode(part: &str) -> Result<Zeroizing<Vec<u8>>, JwtError> {
    BASE64URL
        .decode(part)
        .map(Zeroizing::new)
        .map_err(|_| JwtError::Malformed)
}

/// A part that must decode to a JSON object (the header, the payload).
fn json_part(part: &str) -> Result<Map<String, Value>, JwtError> {
    if part.is_empty() {
        return Err(JwtError::Malformed);
    }
    match serde_json::from_slice(&decode(part)?) {
        Ok(Value::Object(members)) => Ok(members),
        _ => Err(JwtError::Malformed),
    }
}

/// A NumericDate (RFC 7519 §2): non-negative seconds, possibly fractional (rounded down).
fn numeric_date(value: &Value) -> Option<UnixTime> {
    let Value::Number(number) = value else {
        return None;
    };
    let secs = match number.as_u64() {
        Some(secs) => secs,
        None => {
            let secs = number.as_f64().filter(|f| f.is_finite() && *f >= 0.0)?;
            // `as` saturates: a date beyond u64 seconds is u64::MAX, which is "never".
            secs as u64
        }
    };
    Some(UnixTime::from_secs(secs))
}

/// An optional string claim; `null` counts as absent, any other type is an error.
fn string_claim(
    claims: &mut Map<String, Value>,
    claim: &'static str,
) -> Result<Option<String>, JwtError> {
    match claims.remove(claim) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(JwtError::InvalidClaim { claim }),
    }
}

/// `aud`: a string (Cognito's ID tokens) or, per RFC 7519, an array of strings, of which only
/// a single-element one names one client.
fn audience(claims: &mut Map<String, Value>) -> Result<Option<String>, JwtError> {
    const AUD: JwtError = JwtError::InvalidClaim { claim: "aud" };
    match claims.remove("aud") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(aud)) => Ok(Some(aud)),
        Some(Value::Array(items)) => {
            // Every item must be a string, wherever it stands in the array.
            let mut strings = items
                .into_iter()
                .map(|item| match item {
                    Value::String(aud) => Ok(aud),
                    _ => Err(AUD),
                })
                .collect::<Result<Vec<String>, JwtError>>()?;
            Ok(match strings.len() {
                1 => strings.pop(),
                _ => None,
            })
        }
        Some(_) => Err(AUD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn token(payload: &str) -> String {
        format!(
            "{}.{}.{}",
            BASE64URL.encode(br#"{"alg":"RS256","kid":"k"}"#),
            BASE64URL.encode(payload),
            BASE64URL.encode(b"sig")
        )
    }

    #[test]
    fn fractional_negative_and_huge_dates() {
        let read = |exp: &str| JwtClaims::read(&token(&format!(r#"{{"sub":"s","exp":{exp}}}"#)));
        assert_eq!(read("1.9").unwrap().exp, UnixTime::from_secs(1));
        assert_eq!(read("1e30").unwrap().exp, UnixTime::from_secs(u64::MAX));
        for bad in ["-1", "-0.5", "\"1\"", "true", "null", "[]"] {
            assert_eq!(
                read(bad),
                Err(JwtError::InvalidClaim { claim: "exp" }),
                "{bad}"
            );
        }
    }

    #[test]
    fn audience_forms() {
        let read = |aud: &str| {
            JwtClaims::read(&token(&format!(r#"{{"sub":"s","exp":1,"aud":{aud}}}"#)))
                .map(|c| c.client_id)
        };
        assert_eq!(read(r#""c""#), Ok(Some("c".into())));
        assert_eq!(read(r#"["c"]"#), Ok(Some("c".into())));
        assert_eq!(read(r#"["c","d"]"#), Ok(None));
        assert_eq!(read(r#"["c","d","e"]"#), Ok(None));
        assert_eq!(read("[]"), Ok(None));
        for not_all_strings in ["[1]", r#"["c",1]"#, r#"["c","d",1]"#, r#"["c","d",null]"#] {
            assert_eq!(
                read(not_all_strings),
                Err(JwtError::InvalidClaim { claim: "aud" }),
                "{not_all_strings}"
            );
        }
    }
}
