//! The credentials a platform passkey API returns, checked before they go to Cognito.

use alloc::string::String;

use serde_json::{Map, Value};

use super::{
    MAX_BINARY_BYTES, MAX_CREDENTIAL_ID_BYTES, PasskeyError, binary, bounded_json,
    decode_base64url, object_from_str, optional_object, optional_string, string_list,
};

/// `id`, `rawId` (the same bytes) and `type: public-key` of a `PublicKeyCredential` JSON.
fn check_identity(object: &Map<String, Value>) -> Result<(), PasskeyError> {
    let (id, _) = binary(object, "id", MAX_CREDENTIAL_ID_BYTES)?;
    let (raw_id, _) = binary(object, "rawId", MAX_CREDENTIAL_ID_BYTES)?;
    if decode_base64url(&id) != decode_base64url(&raw_id) {
        return Err(PasskeyError::IdMismatch);
    }
    match optional_string(object, "type")?.as_deref() {
        Some("public-key") => {}
        Some(_) => return Err(PasskeyError::NotPublicKey),
        None => return Err(PasskeyError::Missing { field: "type" }),
    }
    optional_string(object, "authenticatorAttachment")?;
    optional_object(object, "clientExtensionResults")?;
    Ok(())
}

fn response(object: &Map<String, Value>) -> Result<&Map<String, Value>, PasskeyError> {
    optional_object(object, "response")?.ok_or(PasskeyError::Missing { field: "response" })
}

/// Checks the platform's `AuthenticationResponseJSON` (the passkey assertion) and returns it
/// as compact JSON, which the sign-in sends as `CREDENTIAL`: `id` = `rawId`,
/// `type: public-key`, `response.clientDataJSON`, `response.authenticatorData` and
/// `response.signature` in base64url, `response.userHandle` base64url or absent.
pub fn check_assertion(json: &str) -> Result<String, PasskeyError> {
    let object = object_from_str(json)?;
    check_identity(&object)?;
    let response = response(&object)?;
    binary(response, "clientDataJSON", MAX_BINARY_BYTES)?;
    binary(response, "authenticatorData", MAX_BINARY_BYTES)?;
    binary(response, "signature", MAX_BINARY_BYTES)?;
    match response.get("userHandle") {
        None | Some(Value::Null) => {}
        Some(_) => {
            binary(response, "userHandle", 64)?;
        }
    }
    bounded_json(&Value::Object(object))
}

/// Checks the platform's `RegistrationResponseJSON` (a new passkey) and returns the object
/// `CompleteWebAuthnRegistration` sends as `Credential`: `id` = `rawId`, `type: public-key`,
/// `response.clientDataJSON` and `response.attestationObject` in base64url,
/// `response.transports` a list of strings if present.
pub fn check_registration(json: &str) -> Result<Map<String, Value>, PasskeyError> {
    let object = object_from_str(json)?;
    check_identity(&object)?;
    let response = response(&object)?;
    binary(response, "clientDataJSON", MAX_BINARY_BYTES)?;
    binary(response, "attestationObject", MAX_BINARY_BYTES)?;
    string_list(response, "transports")?;
    Ok(object)
}
