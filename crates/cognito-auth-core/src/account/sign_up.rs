//! Sign-up: `SignUp`, `ConfirmSignUp`, `ResendConfirmationCode`.

use alloc::string::String;

use serde_json::Map;

use super::{AccountError, AccountOperation, code_delivery, request_from, required, success_body};
use crate::sign_in::ClientConfig;
use crate::wire::{CodeDelivery, HttpResponse, Operation, Request, ResponseError};

/// `ResendConfirmationCode`: send the sign-up confirmation code again.
///
/// `SECRET_HASH` (clients with a secret) is computed over `username` as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResendConfirmationCode {
    username: String,
}

impl ResendConfirmationCode {
    /// For the user who signed up as `username`.
    pub fn new(username: &str) -> Self {
        Self {
            username: String::from(username),
        }
    }
}

impl AccountOperation for ResendConfirmationCode {
    /// Where the new code went.
    type Output = CodeDelivery;

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("username", &self.username)?;
        let mut body = Map::new();
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("Username".into(), self.username.as_str().into());
        if let Some(hash) = client.secret_hash(&self.username) {
            body.insert("SecretHash".into(), hash.into());
        }
        Ok(request_from(Operation::ResendConfirmationCode, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<CodeDelivery, AccountError> {
        let body = success_body(response)?;
        code_delivery(&body)?.ok_or(AccountError::Response(ResponseError::MissingField {
            field: "CodeDeliveryDetails",
        }))
    }
}
