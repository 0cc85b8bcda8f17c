//! Account operations beyond sign-in, as sans-IO request builders and response parsers.
//!
//! Every operation is a typed input that implements [`AccountOperation`]: it checks itself and
//! builds the [`Request`] ([`AccountOperation::request`]), and reads the app's
//! [`HttpResponse`] into a typed output or an [`AccountError`]
//! ([`AccountOperation::parse_response`]). Bad input is refused before a request exists; a
//! Cognito refusal is a [`ServiceError`]; a body that is not what Cognito sends is a
//! [`ResponseError`]. The app sends the request exactly as for [`SignIn`](crate::sign_in::SignIn).
//!
//! ```
//! use cognito_auth_core::account::{AccountOperation, ResendConfirmationCode};
//! use cognito_auth_core::sign_in::ClientConfig;
//! use cognito_auth_core::wire::HttpResponse;
//! use cognito_auth_core::UserPoolId;
//!
//! let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
//! let operation = ResendConfirmationCode::new("alice");
//! let request = operation.request(&client)?;
//! assert_eq!(request.operation().name(), "ResendConfirmationCode");
//!
//! let body = br#"{"CodeDeliveryDetails":{"Destination":"a***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#;
//! let delivery = operation.parse_response(HttpResponse::new(200, body))?;
//! assert_eq!(delivery.destination.as_deref(), Some("a***@e***.com"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
// Operation groups, one file each.
mod delete_user;
mod devices;
mod mfa;
mod password_reset;
mod sign_up;
mod tokens;
mod user;
mod webauthn;

pub(crate) use crate::client::request_username;
pub use error::AccountError;
// Re-exports, one line per operation group (each group edits only its own line).
pub use delete_user::DeleteUser;
pub use devices::{
    DeviceInfo, DeviceList, ForgetDevice, LIST_DEVICES_MAX_LIMIT, ListDevices, RememberedStatus,
    UpdateDeviceStatus,
};
pub use mfa::{
    AssociateSoftwareToken, MfaPreference, MfaSetting, SetUserMfaPreference, VerifySoftwareToken,
};
pub use password_reset::{ConfirmForgotPassword, ForgotPassword};
pub use sign_up::{
    ConfirmSignUp, ConfirmSignUpResult, ResendConfirmationCode, SignUp, SignUpNextStep,
    SignUpResult,
};
pub use tokens::{GetTokensFromRefreshToken, GlobalSignOut, RefreshTokenAuth, RevokeToken};
pub use user::{
    ChangePassword, GetUser, GetUserAttributeVerificationCode, UpdateUserAttributes, UserInfo,
    VerifyUserAttribute,
};
pub use webauthn::{
    CompleteWebAuthnRegistration, DeleteWebAuthnCredential, LIST_WEBAUTHN_CREDENTIALS_MAX_RESULTS,
    ListWebAuthnCredentials, StartWebAuthnRegistration, WebAuthnCredentialInfo,
    WebAuthnCredentialList,
};

use alloc::string::String;

use serde_json::{Map, Value};

use crate::client::ClientConfig;
use crate::wire::{
    CodeDelivery, HttpResponse, Operation, Request, ResponseError, ServiceError, json_object,
};

/// One account operation: a checked input that builds its request and reads its response.
pub trait AccountOperation {
    /// What a successful response yields.
    type Output;

    /// Checks the input and builds the request. `client` supplies the client id and, for
    /// operations that need it, `SECRET_HASH`.
    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError>;

    /// Reads the response to [`AccountOperation::request`]'s request.
    fn parse_response(&self, response: HttpResponse<'_>) -> Result<Self::Output, AccountError>;
}

/// A JSON body for `operation`.
pub(crate) fn request_from(operation: Operation, body: Map<String, Value>) -> Request {
    Request::from_value(operation, Value::Object(body))
}

/// The JSON object of a 2xx response, or the service error of any other.
pub(crate) fn success_body(response: HttpResponse<'_>) -> Result<Map<String, Value>, AccountError> {
    if !crate::wire::is_success(response.status) {
        return Err(AccountError::Service(ServiceError::parse(
            response.status,
            response.error_type,
            response.body,
        )));
    }
    Ok(json_object(response.body)?)
}

/// `CodeDeliveryDetails` of a response body, which Cognito includes when it sent a code.
pub(crate) fn code_delivery(
    body: &Map<String, Value>,
) -> Result<Option<CodeDelivery>, AccountError> {
    match body.get("CodeDeliveryDetails") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(details)) => Ok(Some(CodeDelivery::from_details(details))),
        Some(_) => Err(AccountError::Response(ResponseError::FieldHasWrongType {
            field: "CodeDeliveryDetails",
        })),
    }
}

/// Refuses an empty (or all-whitespace) required field.
pub(crate) fn required(field: &'static str, value: &str) -> Result<(), AccountError> {
    if value.trim().is_empty() {
        return Err(AccountError::EmptyField { field });
    }
    Ok(())
}

/// A one-time code checked as sign-in codes are: 4 to 10 ASCII digits, trimmed.
pub(crate) fn checked_code(code: &str) -> Result<&str, AccountError> {
    crate::client::checked_code(code).map_err(AccountError::InvalidCode)
}

/// A response with nothing to read (`{}`): success or the service error. An empty body counts
/// as `{}`; a body that is not a JSON object is still refused.
pub(crate) fn no_output(response: HttpResponse<'_>) -> Result<(), AccountError> {
    if !crate::wire::is_success(response.status) {
        return Err(AccountError::Service(ServiceError::parse(
            response.status,
            response.error_type,
            response.body,
        )));
    }
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    json_object(response.body)?;
    Ok(())
}

/// `UserContextData`, when the operation was given context data: signed for `username` (the
/// one sent) at the time given with it.
pub(crate) fn insert_context_data(
    body: &mut Map<String, Value>,
    context: Option<&(crate::context_data::ContextData, crate::time::UnixTime)>,
    username: &str,
    client: &ClientConfig,
) -> Result<(), AccountError> {
    if let Some((data, now)) = context {
        let encoded = data.encode_for(username, client, *now)?;
        body.insert("UserContextData".into(), encoded.to_member());
    }
    Ok(())
}

/// `ClientMetadata`, when there is any.
pub(crate) fn insert_client_metadata(
    body: &mut Map<String, Value>,
    metadata: &alloc::collections::BTreeMap<String, String>,
) {
    if metadata.is_empty() {
        return;
    }
    let members = metadata
        .iter()
        .map(|(key, value)| (key.clone(), Value::from(value.as_str())))
        .collect();
    body.insert("ClientMetadata".into(), Value::Object(members));
}
