//! The options Cognito hands out: for an assertion (sign-in) and for a registration.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::{
    MAX_BINARY_BYTES, MAX_CREDENTIAL_ID_BYTES, PasskeyError, binary, bounded_json,
    decode_base64url, list, object_from_str, optional_object, optional_string, required_string,
    string_list,
};

/// WebAuthn's minimum challenge length (bytes).
const MIN_CHALLENGE_BYTES: usize = 16;

/// A credential named in `allowCredentials` / `excludeCredentials`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyCredentialDescriptor {
    /// The credential id, base64url (unpadded), 1 to 1023 bytes decoded.
    pub id: String,
    /// `transports` (`internal`, `hybrid`, `usb`, `nfc`, `ble`, ...), as given.
    pub transports: Vec<String>,
}

impl PasskeyCredentialDescriptor {
    fn from_value(value: &Value, field: &'static str) -> Result<Self, PasskeyError> {
        let Value::Object(object) = value else {
            return Err(PasskeyError::WrongType { field });
        };
        check_public_key(object)?;
        Ok(Self {
            id: binary(object, "id", MAX_CREDENTIAL_ID_BYTES)?.0,
            transports: string_list(object, "transports")?,
        })
    }

    /// The credential id's bytes.
    pub fn id_bytes(&self) -> Vec<u8> {
        decode_base64url(&self.id).unwrap_or_default()
    }
}

/// `type`, when present, must be `public-key` (the only type WebAuthn defines).
fn check_public_key(object: &Map<String, Value>) -> Result<(), PasskeyError> {
    match optional_string(object, "type")?.as_deref() {
        None | Some("public-key") => Ok(()),
        Some(_) => Err(PasskeyError::NotPublicKey),
    }
}

fn challenge(object: &Map<String, Value>) -> Result<String, PasskeyError> {
    let (challenge, len) = binary(object, "challenge", MAX_BINARY_BYTES)?;
    if len < MIN_CHALLENGE_BYTES {
        return Err(PasskeyError::ChallengeTooShort { len });
    }
    Ok(challenge)
}

fn timeout(object: &Map<String, Value>) -> Result<Option<u64>, PasskeyError> {
    match object.get("timeout") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or(PasskeyError::WrongType { field: "timeout" }),
        Some(_) => Err(PasskeyError::WrongType { field: "timeout" }),
    }
}

fn descriptors(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Vec<PasskeyCredentialDescriptor>, PasskeyError> {
    list(object, field)?
        .iter()
        .map(|item| PasskeyCredentialDescriptor::from_value(item, field))
        .collect()
}

/// `CREDENTIAL_REQUEST_OPTIONS` of the `WEB_AUTHN` sign-in challenge, checked: what the
/// platform's passkey assertion takes (`PublicKeyCredentialRequestOptionsJSON`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRequestOptions {
    /// `challenge`, base64url (unpadded), at least 16 bytes decoded.
    pub challenge: String,
    /// `rpId`: the relying party (the pool's passkey domain). iOS needs it.
    pub rp_id: Option<String>,
    /// `timeout` in milliseconds.
    pub timeout_ms: Option<u64>,
    /// `allowCredentials`: the user's passkeys (empty: any discoverable passkey).
    pub allow_credentials: Vec<PasskeyCredentialDescriptor>,
    /// `userVerification` (`required`, `preferred`, `discouraged`), as given.
    pub user_verification: Option<String>,
    json: String,
}

impl PasskeyRequestOptions {
    /// Checks Cognito's `CREDENTIAL_REQUEST_OPTIONS` string, which [`json`](Self::json) then
    /// returns unchanged.
    pub fn parse(json: &str) -> Result<Self, PasskeyError> {
        let object = object_from_str(json)?;
        Ok(Self {
            challenge: challenge(&object)?,
            rp_id: optional_string(&object, "rpId")?,
            timeout_ms: timeout(&object)?,
            allow_credentials: descriptors(&object, "allowCredentials")?,
            user_verification: optional_string(&object, "userVerification")?,
            json: String::from(json),
        })
    }

    /// Cognito's options exactly as it sent them, for Android's
    /// `GetPublicKeyCredentialOption(json)` (Amplify Android passes them through too).
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The challenge's bytes (for iOS `createCredentialAssertionRequest(challenge:)`).
    pub fn challenge_bytes(&self) -> Vec<u8> {
        decode_base64url(&self.challenge).unwrap_or_default()
    }
}

/// An algorithm the relying party accepts (`pubKeyCredParams`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasskeyCredentialParameter {
    /// COSE algorithm id: -7 (ES256), -257 (RS256), -8 (EdDSA), ...
    pub alg: i64,
}

/// `CredentialCreationOptions` of `StartWebAuthnRegistration`, checked: what the platform's
/// passkey registration takes (`PublicKeyCredentialCreationOptionsJSON`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyCreationOptions {
    /// `challenge`, base64url (unpadded), at least 16 bytes decoded.
    pub challenge: String,
    /// `rp.id`: the relying party id (domain). Cognito may leave it out; then the platform
    /// uses the origin's domain.
    pub rp_id: Option<String>,
    /// `rp.name`.
    pub rp_name: String,
    /// `user.id`, base64url (the user handle; 1 to 64 bytes decoded).
    pub user_id: String,
    /// `user.name`.
    pub user_name: String,
    /// `user.displayName`.
    pub user_display_name: String,
    /// `pubKeyCredParams`: at least one algorithm.
    pub pub_key_cred_params: Vec<PasskeyCredentialParameter>,
    /// `timeout` in milliseconds.
    pub timeout_ms: Option<u64>,
    /// `excludeCredentials`: passkeys the user has already (do not create another on them).
    pub exclude_credentials: Vec<PasskeyCredentialDescriptor>,
    /// `authenticatorSelection.authenticatorAttachment` (`platform`, `cross-platform`).
    pub authenticator_attachment: Option<String>,
    /// `authenticatorSelection.residentKey` (`required`, `preferred`, `discouraged`).
    pub resident_key: Option<String>,
    /// `authenticatorSelection.userVerification`.
    pub user_verification: Option<String>,
    /// `attestation` (`none`, `direct`, ...).
    pub attestation: Option<String>,
    json: String,
}

/// WebAuthn's limit on a user handle (bytes).
const MAX_USER_HANDLE_BYTES: usize = 64;

impl PasskeyCreationOptions {
    /// Checks creation options given as a JSON string.
    pub fn parse(json: &str) -> Result<Self, PasskeyError> {
        Self::from_object(object_from_str(json)?)
    }

    pub(crate) fn from_object(object: Map<String, Value>) -> Result<Self, PasskeyError> {
        let rp = optional_object(&object, "rp")?.ok_or(PasskeyError::Missing { field: "rp" })?;
        let user =
            optional_object(&object, "user")?.ok_or(PasskeyError::Missing { field: "user" })?;
        let selection = optional_object(&object, "authenticatorSelection")?;
        let selected = |field| match selection {
            Some(selection) => optional_string(selection, field),
            None => Ok(None),
        };
        let pub_key_cred_params = list(&object, "pubKeyCredParams")?
            .iter()
            .map(|item| {
                let Value::Object(parameter) = item else {
                    return Err(PasskeyError::WrongType {
                        field: "pubKeyCredParams",
                    });
                };
                check_public_key(parameter)?;
                match parameter.get("alg") {
                    Some(Value::Number(n)) => n
                        .as_i64()
                        .map(|alg| PasskeyCredentialParameter { alg })
                        .ok_or(PasskeyError::WrongType { field: "alg" }),
                    None | Some(Value::Null) => Err(PasskeyError::Missing { field: "alg" }),
                    Some(_) => Err(PasskeyError::WrongType { field: "alg" }),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        if pub_key_cred_params.is_empty() {
            return Err(PasskeyError::Missing {
                field: "pubKeyCredParams",
            });
        }
        let options = Self {
            challenge: challenge(&object)?,
            rp_id: optional_string(rp, "id")?,
            rp_name: required_string(rp, "name")?,
            user_id: binary(user, "id", MAX_USER_HANDLE_BYTES)?.0,
            user_name: required_string(user, "name")?,
            user_display_name: optional_string(user, "displayName")?.unwrap_or_default(),
            pub_key_cred_params,
            timeout_ms: timeout(&object)?,
            exclude_credentials: descriptors(&object, "excludeCredentials")?,
            authenticator_attachment: selected("authenticatorAttachment")?,
            resident_key: selected("residentKey")?,
            user_verification: selected("userVerification")?,
            attestation: optional_string(&object, "attestation")?,
            json: String::new(),
        };
        Ok(Self {
            json: bounded_json(&Value::Object(object))?,
            ..options
        })
    }

    /// Cognito's options as compact JSON, for Android's `CreatePublicKeyCredentialRequest(json)`.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The challenge's bytes.
    pub fn challenge_bytes(&self) -> Vec<u8> {
        decode_base64url(&self.challenge).unwrap_or_default()
    }

    /// The user handle's bytes (iOS `userID:`).
    pub fn user_id_bytes(&self) -> Vec<u8> {
        decode_base64url(&self.user_id).unwrap_or_default()
    }
}
