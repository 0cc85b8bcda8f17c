//! `DeleteUser`: the signed-in user deletes their own account.

use super::user::access_token_body;
use super::{AccountError, AccountOperation, no_output, request_from};
use crate::client::ClientConfig;
use crate::secret::SecretString;
use crate::wire::{HttpResponse, Operation, Request};

/// `DeleteUser`: deletes the user the access token belongs to, at once and for good (its
/// attributes, devices and MFA settings too). Like the other user operations it needs only the
/// access token, which must carry the `aws.cognito.signin.user.admin` scope (tokens from a
/// sign-in always do; hosted-UI tokens only when that scope was asked for).
///
/// Afterwards the user's refresh token is useless; the app should forget the session, the
/// remembered device and any identity-pool identity, as Amplify does (it signs out globally and
/// clears the device). Cognito answers `NotAuthorizedException` for an expired or revoked access
/// token and `UserNotFoundException` when the user is already gone (Amplify Android counts that
/// as deleted).
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, DeleteUser};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let delete = DeleteUser::new(SecretString::new("eyJraWQi.access.token"));
/// let request = delete.request(&client)?;
/// assert_eq!(request.headers()[1], ("x-amz-target", "AWSCognitoIdentityProviderService.DeleteUser"));
/// assert_eq!(request.body(), r#"{"AccessToken":"eyJraWQi.access.token"}"#);
/// delete.parse_response(HttpResponse::new(200, b""))?; // Cognito answers with an empty body
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteUser {
    access_token: SecretString,
}

impl DeleteUser {
    /// Deletes the user whose access token this is.
    pub fn new(access_token: SecretString) -> Self {
        Self { access_token }
    }
}

impl AccountOperation for DeleteUser {
    /// Nothing: the user is gone.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        Ok(request_from(
            Operation::DeleteUser,
            access_token_body(&self.access_token)?,
        ))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl DeleteUser {
    /// Reads `DeleteUser`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        no_output(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user_pool_id::UserPoolId;
    use crate::wire::{ResponseError, ServiceErrorKind};

    #[test]
    fn empty_token_is_refused_and_answers_are_read() {
        let client =
            ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(), "c").unwrap();
        assert_eq!(
            DeleteUser::new(SecretString::new(" ")).request(&client),
            Err(AccountError::EmptyField {
                field: "access_token"
            })
        );
        let delete = DeleteUser::new(SecretString::new("t"));
        assert_eq!(delete.parse_response(HttpResponse::new(200, b"{}")), Ok(()));
        assert_eq!(delete.parse_response(HttpResponse::new(200, b" ")), Ok(()));
        assert_eq!(
            delete.parse_response(HttpResponse::new(200, b"[]")),
            Err(AccountError::Response(ResponseError::NotAnObject))
        );
        let body = br#"{"__type":"UserNotFoundException","message":"User does not exist."}"#;
        let Err(AccountError::Service(error)) = delete.parse_response(HttpResponse::new(400, body))
        else {
            panic!("service error expected")
        };
        assert_eq!(error.kind(), ServiceErrorKind::UserNotFound);
    }
}
