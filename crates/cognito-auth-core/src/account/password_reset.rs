//! Password reset: `ForgotPassword`, `ConfirmForgotPassword` (Amplify's `resetPassword` and
//! `confirmResetPassword`).
//!
//! [`ForgotPassword`] makes Cognito send a code (the [`CodeDelivery`] says where);
//! [`ConfirmForgotPassword`] sends that code with the new password. The user then signs in with
//! the new password. A sign-in refused with `PasswordResetRequiredException` starts here too.

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt;

use serde_json::Map;

use super::{
    AccountError, AccountOperation, checked_code, code_delivery, insert_client_metadata,
    insert_context_data, request_from, request_username, required, success_body,
};
use crate::client::ClientConfig;
use crate::context_data::ContextData;
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::wire::{CodeDelivery, HttpResponse, Operation, Request, ResponseError};

/// `ForgotPassword`: ask Cognito to send a password-reset code.
///
/// A username typed as a phone number is sent in E.164, anything else as typed; `SECRET_HASH`
/// (clients with a secret) is computed over the username sent. With the app client's
/// "prevent user existence errors" on, Cognito answers for an unknown user as if it had sent a
/// code.
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, ForgotPassword};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = ForgotPassword::new("alice");
/// let request = operation.request(&client)?;
/// assert_eq!(request.operation().name(), "ForgotPassword");
///
/// let body = br#"{"CodeDeliveryDetails":{"Destination":"+*******1212","DeliveryMedium":"SMS","AttributeName":"phone_number"}}"#;
/// let delivery = operation.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(delivery.medium.as_deref(), Some("SMS"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ForgotPassword {
    username: String,
    client_metadata: BTreeMap<String, String>,
    context_data: Option<(ContextData, UnixTime)>,
}

impl ForgotPassword {
    /// For the user `username` (or an alias: email, phone number).
    pub fn new(username: &str) -> Self {
        Self {
            username: String::from(username),
            client_metadata: BTreeMap::new(),
            context_data: None,
        }
    }

    /// Sends threat-protection context data (`UserContextData.EncodedData`), signed for the
    /// username sent at `now` (see [`context_data`](crate::context_data)).
    pub fn context_data(mut self, data: ContextData, now: UnixTime) -> Self {
        self.context_data = Some((data, now));
        self
    }

    /// Sets a `ClientMetadata` entry for the pool's Lambda triggers (custom message, ...).
    pub fn client_metadata(mut self, key: &str, value: &str) -> Self {
        self.client_metadata
            .insert(String::from(key), String::from(value));
        self
    }
}

impl AccountOperation for ForgotPassword {
    /// Where the reset code went.
    type Output = CodeDelivery;

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("username", &self.username)?;
        let username = request_username(&self.username);
        let mut body = Map::new();
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("Username".into(), username.as_str().into());
        insert_client_metadata(&mut body, &self.client_metadata);
        if let Some(hash) = client.secret_hash(&username) {
            body.insert("SecretHash".into(), hash.into());
        }
        insert_context_data(&mut body, self.context_data.as_ref(), &username, client)?;
        Ok(request_from(Operation::ForgotPassword, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<CodeDelivery, AccountError> {
        Self::parse(response)
    }
}

impl ForgotPassword {
    /// Reads `ForgotPassword`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<CodeDelivery, AccountError> {
        let body = success_body(response)?;
        code_delivery(&body)?.ok_or(AccountError::Response(ResponseError::MissingField {
            field: "CodeDeliveryDetails",
        }))
    }
}

/// `ConfirmForgotPassword`: set a new password with the code [`ForgotPassword`] sent.
///
/// The code is checked as sign-in codes are (4 to 10 digits, surrounding spaces dropped); an
/// empty new password is refused. Neither is shown by `Debug`. Username and `SECRET_HASH` as
/// for [`ForgotPassword`].
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, ConfirmForgotPassword};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation =
///     ConfirmForgotPassword::new("alice", "654321", SecretString::new("Battery-Staple-7?"));
/// let request = operation.request(&client)?;
/// assert_eq!(request.operation().name(), "ConfirmForgotPassword");
///
/// operation.parse_response(HttpResponse::new(200, b"{}"))?; // now sign in with it
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ConfirmForgotPassword {
    username: String,
    code: SecretString,
    new_password: SecretString,
    client_metadata: BTreeMap<String, String>,
    context_data: Option<(ContextData, UnixTime)>,
}

impl ConfirmForgotPassword {
    /// Sets `new_password` for `username` with the reset `code`.
    pub fn new(username: &str, code: &str, new_password: SecretString) -> Self {
        Self {
            username: String::from(username),
            code: SecretString::new(code),
            new_password,
            client_metadata: BTreeMap::new(),
            context_data: None,
        }
    }

    /// Sends threat-protection context data (`UserContextData.EncodedData`), signed for the
    /// username sent at `now` (see [`context_data`](crate::context_data)).
    pub fn context_data(mut self, data: ContextData, now: UnixTime) -> Self {
        self.context_data = Some((data, now));
        self
    }

    /// Sets a `ClientMetadata` entry for the pool's Lambda triggers.
    pub fn client_metadata(mut self, key: &str, value: &str) -> Self {
        self.client_metadata
            .insert(String::from(key), String::from(value));
        self
    }
}

impl AccountOperation for ConfirmForgotPassword {
    /// Nothing: the password is changed.
    type Output = ();

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("username", &self.username)?;
        let code = checked_code(self.code.expose())?;
        required("new password", self.new_password.expose())?;
        let username = request_username(&self.username);
        let mut body = Map::new();
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("Username".into(), username.as_str().into());
        body.insert("ConfirmationCode".into(), code.into());
        body.insert("Password".into(), self.new_password.expose().into());
        insert_client_metadata(&mut body, &self.client_metadata);
        if let Some(hash) = client.secret_hash(&username) {
            body.insert("SecretHash".into(), hash.into());
        }
        insert_context_data(&mut body, self.context_data.as_ref(), &username, client)?;
        Ok(request_from(Operation::ConfirmForgotPassword, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl ConfirmForgotPassword {
    /// Reads `ConfirmForgotPassword`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        success_body(response)?;
        Ok(())
    }
}

impl fmt::Debug for ForgotPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForgotPassword")
            .field("username", &self.username)
            .field("client_metadata", &self.client_metadata.keys())
            .finish()
    }
}

impl fmt::Debug for ConfirmForgotPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmForgotPassword")
            .field("username", &self.username)
            .field("code", &"<redacted>")
            .field("new_password", &self.new_password)
            .field("client_metadata", &self.client_metadata.keys())
            .finish()
    }
}
