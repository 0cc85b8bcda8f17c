//! Passkeys (WebAuthn): the options Cognito hands out and the credentials the platform returns,
//! checked and typed.
//!
//! Cognito and the platform passkey APIs speak the same JSON: the WebAuthn Level 3
//! `PublicKeyCredential{Creation,Request}OptionsJSON` and `{Registration,Authentication}ResponseJSON`
//! shapes, with every binary value in unpadded base64url.
//!
//! | Cognito | this module | platform |
//! |---|---|---|
//! | `StartWebAuthnRegistration` → `CredentialCreationOptions` (object) | [`PasskeyCreationOptions`] | Android `CreatePublicKeyCredentialRequest(json)`; iOS `ASAuthorizationPlatformPublicKeyCredentialProvider(relyingPartyIdentifier:).createCredentialRegistrationRequest(challenge:name:userID:)` with the decoded bytes |
//! | `CompleteWebAuthnRegistration.Credential` (object) | [`check_registration`] | `registrationResponseJson` / the iOS registration's fields in base64url |
//! | challenge `WEB_AUTHN` → `CREDENTIAL_REQUEST_OPTIONS` (string) | [`PasskeyRequestOptions`] | Android `GetPublicKeyCredentialOption(json)`; iOS `createCredentialAssertionRequest(challenge:)` for `rp_id` |
//! | `RespondToAuthChallenge` `CREDENTIAL` (string) | [`check_assertion`] | `authenticationResponseJson` / the iOS assertion's fields in base64url |
//!
//! Everything from the server is checked before an app sees it: JSON of at most
//! [`MAX_JSON_LEN`] bytes, the members the platform needs present and of the right type,
//! binary members valid base64url (a credential id at most 1023 bytes, as WebAuthn allows),
//! a challenge of at least 16 bytes, at most [`MAX_LIST_LEN`] credentials per list.
//! [`PasskeyRequestOptions::json`] (Cognito's string, unchanged) and
//! [`PasskeyCreationOptions::json`] (Cognito's object, compact) are for Android's Credential
//! Manager, which takes the JSON as it is; the typed fields serve iOS, which needs the values.
//!
//! ```
//! use cognito_auth_core::passkey::PasskeyRequestOptions;
//!
//! let options = PasskeyRequestOptions::parse(
//!     r#"{"challenge":"AAECAwQFBgcICQoLDA0ODw","rpId":"example.com","timeout":180000,
//!         "allowCredentials":[{"type":"public-key","id":"q83vEjRWeJA","transports":["internal"]}],
//!         "userVerification":"required"}"#,
//! )?;
//! assert_eq!(options.rp_id.as_deref(), Some("example.com"));
//! assert_eq!(options.challenge_bytes(), (0u8..16).collect::<Vec<_>>());
//! assert_eq!(options.allow_credentials[0].id, "q83vEjRWeJA");
//! # Ok::<(), cognito_auth_core::passkey::PasskeyError>(())
//! ```

mod credential;
mod error;
mod options;

pub use credential::{check_assertion, check_registration};
pub use error::PasskeyError;
pub use options::{
    PasskeyCreationOptions, PasskeyCredentialDescriptor, PasskeyCredentialParameter,
    PasskeyRequestOptions,
};

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// The longest passkey JSON accepted, options or credential (64 KiB; real ones are a few KiB).
pub const MAX_JSON_LEN: usize = 65_536;

/// The most entries in `allowCredentials`, `excludeCredentials`, `pubKeyCredParams` and
/// `transports`.
pub const MAX_LIST_LEN: usize = 64;

/// WebAuthn's limit on a credential id (bytes).
const MAX_CREDENTIAL_ID_BYTES: usize = 1023;

/// The longest base64url value accepted for other binary members (attestation objects carry
/// certificates): the JSON limit bounds them anyway.
const MAX_BINARY_BYTES: usize = MAX_JSON_LEN;

/// Parses `json` (at most [`MAX_JSON_LEN`] bytes) into an object.
pub(crate) fn object_from_str(json: &str) -> Result<Map<String, Value>, PasskeyError> {
    if json.len() > MAX_JSON_LEN {
        return Err(PasskeyError::TooLong { len: json.len() });
    }
    match serde_json::from_str(json) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(PasskeyError::WrongType { field: "(root)" }),
        Err(_) => Err(PasskeyError::NotJson),
    }
}

/// Compact JSON of `value`, refused above [`MAX_JSON_LEN`].
pub(crate) fn bounded_json(value: &Value) -> Result<String, PasskeyError> {
    let json = value.to_string();
    if json.len() > MAX_JSON_LEN {
        return Err(PasskeyError::TooLong { len: json.len() });
    }
    Ok(json)
}

/// Decodes unpadded base64url (a trailing `=` padding is tolerated).
pub fn decode_base64url(value: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(value.trim_end_matches('=')).ok()
}

/// A required non-empty base64url string of at most `max` decoded bytes; returns it unpadded.
fn binary(
    object: &Map<String, Value>,
    field: &'static str,
    max: usize,
) -> Result<(String, usize), PasskeyError> {
    match object.get(field) {
        None | Some(Value::Null) => Err(PasskeyError::Missing { field }),
        Some(Value::String(text)) => {
            let bytes = decode_base64url(text).ok_or(PasskeyError::NotBase64Url { field })?;
            if bytes.is_empty() || bytes.len() > max {
                return Err(PasskeyError::NotBase64Url { field });
            }
            Ok((String::from(text.trim_end_matches('=')), bytes.len()))
        }
        Some(_) => Err(PasskeyError::WrongType { field }),
    }
}

/// An optional string member.
fn optional_string(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, PasskeyError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(PasskeyError::WrongType { field }),
    }
}

/// A required string member.
fn required_string(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<String, PasskeyError> {
    optional_string(object, field)?.ok_or(PasskeyError::Missing { field })
}

/// An optional object member.
fn optional_object<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<Option<&'a Map<String, Value>>, PasskeyError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(_) => Err(PasskeyError::WrongType { field }),
    }
}

/// An optional array member of at most [`MAX_LIST_LEN`] entries (absent → empty).
fn list<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a [Value], PasskeyError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) if items.len() > MAX_LIST_LEN => {
            Err(PasskeyError::TooMany { field })
        }
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(PasskeyError::WrongType { field }),
    }
}

/// An optional array of strings.
fn string_list(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Vec<String>, PasskeyError> {
    list(object, field)?
        .iter()
        .map(|item| match item {
            Value::String(text) => Ok(text.clone()),
            _ => Err(PasskeyError::WrongType { field }),
        })
        .collect()
}

#[cfg(test)]
mod tests;
