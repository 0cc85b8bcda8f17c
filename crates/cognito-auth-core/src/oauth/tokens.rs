//! [`OAuthTokens`]: the token endpoint's answer, and its OAuth error bodies.

use alloc::string::String;

use serde_json::{Map, Value};

use super::error::{OAuthError, OAuthErrorCode, bounded};
use crate::secret::SecretString;
use crate::wire::{
    AuthenticationResult, HttpResponse, ResponseError, is_success, json_object, take_secret,
    take_string, take_u64,
};

/// The tokens of an `/oauth2/token` answer. `Debug` shows no token.
///
/// Convert it into an [`AuthenticationResult`] (`From`) to start a
/// [`Session`](crate::session::Session) exactly as after a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthTokens {
    /// `access_token`.
    pub access_token: SecretString,
    /// `id_token`: present when the scope `openid` was granted.
    pub id_token: Option<SecretString>,
    /// `refresh_token`: present for the authorization-code grant, absent for the refresh grant.
    pub refresh_token: Option<SecretString>,
    /// `expires_in`: seconds until the access and ID tokens expire, counted from when the
    /// response arrived.
    pub expires_in: u64,
    /// `token_type`, `Bearer` (also when left out).
    pub token_type: String,
}

impl OAuthTokens {
    /// Reads a token endpoint answer (authorization-code or refresh grant). A 2xx body must
    /// hold a non-empty `access_token` and `expires_in`; any other status is read as an OAuth
    /// error body (`{"error": ..., "error_description": ...}`).
    ///
    /// For the authorization-code grant use
    /// [`PendingAuthorization::handle_token_response`](super::PendingAuthorization::handle_token_response),
    /// which also checks the ID token's `nonce`.
    ///
    /// # Errors
    ///
    /// [`OAuthError::Refused`], [`OAuthError::HttpStatus`], [`OAuthError::Response`]. Never
    /// panics, whatever the body.
    pub fn parse(response: HttpResponse<'_>) -> Result<Self, OAuthError> {
        if !is_success(response.status) {
            return Err(error_response(response));
        }
        let mut object = json_object(response.body)?;
        let result = Self::from_object(&mut object);
        object.values_mut().for_each(crate::wire::wipe_json);
        result
    }

    fn from_object(object: &mut Map<String, Value>) -> Result<Self, OAuthError> {
        let access_token = take_secret(object, "access_token")?
            .filter(|token| !token.is_empty())
            .ok_or(ResponseError::MissingField {
                field: "access_token",
            })?;
        Ok(Self {
            access_token,
            id_token: take_secret(object, "id_token")?.filter(|token| !token.is_empty()),
            refresh_token: take_secret(object, "refresh_token")?.filter(|token| !token.is_empty()),
            expires_in: take_u64(object, "expires_in")?.ok_or(ResponseError::MissingField {
                field: "expires_in",
            })?,
            token_type: take_string(object, "token_type")?
                .unwrap_or_else(|| String::from("Bearer")),
        })
    }
}

impl From<OAuthTokens> for AuthenticationResult {
    /// The same tokens as a sign-in's `AuthenticationResult` (no device metadata: the hosted
    /// UI does not remember devices), for [`Session::new`](crate::session::Session::new).
    fn from(tokens: OAuthTokens) -> Self {
        Self {
            access_token: tokens.access_token,
            id_token: tokens.id_token,
            refresh_token: tokens.refresh_token,
            expires_in: tokens.expires_in,
            token_type: tokens.token_type,
            new_device_metadata: None,
        }
    }
}

/// Reads the `/oauth2/revoke` answer: 200 (also for a token that was already invalid) is
/// success.
///
/// # Errors
///
/// [`OAuthError::Refused`] (`invalid_client`, `unsupported_token_type`, ...),
/// [`OAuthError::HttpStatus`].
pub fn handle_revoke_response(response: HttpResponse<'_>) -> Result<(), OAuthError> {
    if is_success(response.status) {
        Ok(())
    } else {
        Err(error_response(response))
    }
}

/// A non-2xx answer: [`OAuthError::Refused`] when the body is an OAuth error object with a
/// string `error`, [`OAuthError::HttpStatus`] otherwise.
fn error_response(response: HttpResponse<'_>) -> OAuthError {
    let status = response.status;
    let Ok(mut object) = json_object(response.body) else {
        return OAuthError::HttpStatus { status };
    };
    let code = match take_string(&mut object, "error") {
        Ok(Some(code)) if !code.is_empty() => OAuthErrorCode::parse(&code),
        _ => return OAuthError::HttpStatus { status },
    };
    let description = match take_string(&mut object, "error_description") {
        Ok(Some(text)) => Some(String::from(bounded(&text))),
        _ => None,
    };
    OAuthError::Refused {
        status,
        code,
        description,
    }
}
