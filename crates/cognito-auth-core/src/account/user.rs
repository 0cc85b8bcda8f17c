//! The signed-in user: `ChangePassword`, `GetUser`, `UpdateUserAttributes`,
//! `VerifyUserAttribute`, `GetUserAttributeVerificationCode`.
//!
//! Every operation here is authorised by the user's access token alone (sent in the body as
//! `AccessToken`): no `ClientId`, no `SECRET_HASH`. A token that expired or was revoked (by
//! `GlobalSignOut` or `RevokeToken`) gives [`ServiceErrorKind::NotAuthorized`]: refresh the
//! tokens, or sign in again.
//!
//! [`ServiceErrorKind::NotAuthorized`]: crate::wire::ServiceErrorKind::NotAuthorized

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::mfa::MfaPreference;
use super::{
    AccountError, AccountOperation, checked_code, code_delivery, insert_client_metadata,
    request_from, required, success_body,
};
use crate::client::ClientConfig;
use crate::phone_number::PhoneNumber;
use crate::secret::SecretString;
use crate::wire::take;
use crate::wire::{
    CodeDelivery, HttpResponse, Operation, Request, ResponseError, require_string, take_string,
};

/// `ChangePassword`: the signed-in user changes their password.
///
/// Cognito checks `previous` (a wrong one is `NotAuthorizedException`) and the pool's password
/// policy for `proposed` (`InvalidPasswordException`, `PasswordHistoryPolicyViolationException`).
/// The user's tokens stay valid.
///
/// ```
/// use cognito_auth_core::SecretString;
/// use cognito_auth_core::account::{AccountOperation, ChangePassword};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = ChangePassword::new(
///     SecretString::new("eyJraWQ.access.token"),
///     SecretString::new("Correct-Horse-9!"),
///     SecretString::new("Battery-Staple-7?"),
/// );
/// let request = operation.request(&client)?;
/// assert_eq!(
///     request.body(),
///     r#"{"AccessToken":"eyJraWQ.access.token","PreviousPassword":"Correct-Horse-9!","ProposedPassword":"Battery-Staple-7?"}"#
/// );
/// operation.parse_response(HttpResponse::new(200, b"{}"))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePassword {
    access_token: SecretString,
    previous: Option<SecretString>,
    proposed: SecretString,
}

impl ChangePassword {
    /// Replaces the password `previous` with `proposed`.
    pub fn new(access_token: SecretString, previous: SecretString, proposed: SecretString) -> Self {
        Self {
            access_token,
            previous: Some(previous),
            proposed,
        }
    }

    /// Sets a first password for a user who has none (one who signs in only with passkeys or
    /// one-time codes): `PreviousPassword` is left out, which Cognito allows only for such users.
    pub fn first_password(access_token: SecretString, proposed: SecretString) -> Self {
        Self {
            access_token,
            previous: None,
            proposed,
        }
    }
}

impl AccountOperation for ChangePassword {
    /// Nothing: the password is changed.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let mut body = access_token_body(&self.access_token)?;
        if let Some(previous) = &self.previous {
            required("previous_password", previous.expose())?;
            body.insert("PreviousPassword".into(), previous.expose().into());
        }
        required("proposed_password", self.proposed.expose())?;
        body.insert("ProposedPassword".into(), self.proposed.expose().into());
        Ok(request_from(Operation::ChangePassword, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl ChangePassword {
    /// Reads `ChangePassword`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        success_body(response).map(drop)
    }
}

/// `GetUser`: the signed-in user's username, attributes and MFA settings. Amplify's
/// `fetchUserAttributes` and `fetchMFAPreference` in one call.
///
/// ```
/// use cognito_auth_core::SecretString;
/// use cognito_auth_core::account::{AccountOperation, GetUser};
/// use cognito_auth_core::sign_in::{ClientConfig, MfaType};
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = GetUser::new(SecretString::new("eyJraWQ.access.token"));
/// assert_eq!(operation.request(&client)?.body(), r#"{"AccessToken":"eyJraWQ.access.token"}"#);
///
/// let body = br#"{"Username":"alice","UserAttributes":[{"Name":"email","Value":"alice@example.com"}],
///     "UserMFASettingList":["SMS_MFA","SOFTWARE_TOKEN_MFA"],"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA"}"#;
/// let user = operation.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(user.username, "alice");
/// assert_eq!(user.attributes["email"], "alice@example.com");
/// assert_eq!(user.mfa.enabled, [MfaType::Sms, MfaType::Totp]);
/// assert_eq!(user.mfa.preferred, Some(MfaType::Totp));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUser {
    access_token: SecretString,
}

impl GetUser {
    /// For the user the access token belongs to.
    pub fn new(access_token: SecretString) -> Self {
        Self { access_token }
    }
}

/// What [`GetUser`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserInfo {
    /// The canonical username (in a pool that signs in with email or phone number, the `sub`).
    pub username: String,
    /// Every attribute Cognito returns (`sub`, `email`, `email_verified`, `custom:...`), by
    /// name. Cognito sends all values as strings (`"true"` for `email_verified`); an attribute
    /// without a value is the empty string.
    pub attributes: BTreeMap<String, String>,
    /// The MFA types the user has enabled and the preferred one.
    pub mfa: MfaPreference,
}

impl AccountOperation for GetUser {
    /// The user.
    type Output = UserInfo;

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        Ok(request_from(
            Operation::GetUser,
            access_token_body(&self.access_token)?,
        ))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<UserInfo, AccountError> {
        Self::parse(response)
    }
}

impl GetUser {
    /// Reads `GetUser`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<UserInfo, AccountError> {
        let mut body = success_body(response)?;
        let username = require_string(&mut body, "Username")?;
        let attributes = attribute_map(&mut body, "UserAttributes")?;
        let mfa = MfaPreference::from_get_user(&mut body)?;
        Ok(UserInfo {
            username,
            attributes,
            mfa,
        })
    }
}

/// `UpdateUserAttributes`: the signed-in user changes attributes.
///
/// Refused before sending: no attributes, an empty name, a name given twice, a `phone_number`
/// that is not E.164 (`+` and digits, as [`PhoneNumber::parse`] checks). Changing `email` or
/// `phone_number` in a pool that verifies them makes Cognito send a code (the output lists
/// where); confirm it with [`VerifyUserAttribute`]. Until then the old value stays in use for
/// sign-in when the pool keeps the original attribute value active, and the new one is
/// unverified. Cognito refuses an `email` or `phone_number` another user has as an alias with
/// `AliasExistsException`.
///
/// ```
/// use cognito_auth_core::SecretString;
/// use cognito_auth_core::account::{AccountError, AccountOperation, UpdateUserAttributes};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let token = SecretString::new("eyJraWQ.access.token");
/// let operation = UpdateUserAttributes::new(
///     token.clone(),
///     [("email", "alice@example.org"), ("custom:team", "blue")],
/// );
/// assert_eq!(
///     operation.request(&client)?.body(),
///     r#"{"AccessToken":"eyJraWQ.access.token","UserAttributes":[{"Name":"email","Value":"alice@example.org"},{"Name":"custom:team","Value":"blue"}]}"#
/// );
/// let body = br#"{"CodeDeliveryDetailsList":[{"Destination":"a***@e***.org","DeliveryMedium":"EMAIL","AttributeName":"email"}]}"#;
/// let sent = operation.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(sent[0].attribute_name.as_deref(), Some("email"));
///
/// // Not E.164: refused before a request exists.
/// let bad = UpdateUserAttributes::new(token, [("phone_number", "(206) 555-1212")]);
/// assert!(matches!(bad.request(&client), Err(AccountError::PhoneNumber(_))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateUserAttributes {
    access_token: SecretString,
    attributes: Vec<(String, String)>,
    client_metadata: BTreeMap<String, String>,
}

impl UpdateUserAttributes {
    /// Sets each `(name, value)`, in the order given. Custom attributes keep their `custom:`
    /// prefix.
    pub fn new<I, N, V>(access_token: SecretString, attributes: I) -> Self
    where
        I: IntoIterator<Item = (N, V)>,
        N: Into<String>,
        V: Into<String>,
    {
        Self {
            access_token,
            attributes: attributes
                .into_iter()
                .map(|(name, value)| (name.into(), value.into()))
                .collect(),
            client_metadata: BTreeMap::new(),
        }
    }

    /// The same, with `ClientMetadata` for the pool's custom-message Lambda trigger.
    #[must_use]
    pub fn with_client_metadata(mut self, client_metadata: BTreeMap<String, String>) -> Self {
        self.client_metadata = client_metadata;
        self
    }
}

impl AccountOperation for UpdateUserAttributes {
    /// Where Cognito sent verification codes (empty when nothing needs verifying).
    type Output = Vec<CodeDelivery>;

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let mut body = access_token_body(&self.access_token)?;
        if self.attributes.is_empty() {
            return Err(AccountError::EmptyField {
                field: "attributes",
            });
        }
        let mut list = Vec::with_capacity(self.attributes.len());
        for (index, (name, value)) in self.attributes.iter().enumerate() {
            required("attribute_name", name)?;
            let earlier = self.attributes.get(..index).unwrap_or_default();
            if earlier.iter().any(|(other, _)| other == name) {
                return Err(AccountError::DuplicateAttribute { name: name.clone() });
            }
            let value = if name == "phone_number" {
                String::from(PhoneNumber::parse(value)?.as_str())
            } else {
                value.clone()
            };
            let mut attribute = Map::new();
            attribute.insert("Name".into(), name.as_str().into());
            attribute.insert("Value".into(), value.into());
            list.push(Value::Object(attribute));
        }
        body.insert("UserAttributes".into(), Value::Array(list));
        insert_client_metadata(&mut body, &self.client_metadata);
        Ok(request_from(Operation::UpdateUserAttributes, body))
    }

    fn parse_response(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<Vec<CodeDelivery>, AccountError> {
        Self::parse(response)
    }
}

impl UpdateUserAttributes {
    /// Reads `UpdateUserAttributes`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<Vec<CodeDelivery>, AccountError> {
        let mut body = success_body(response)?;
        const FIELD: &str = "CodeDeliveryDetailsList";
        let wrong_type = AccountError::Response(ResponseError::FieldHasWrongType { field: FIELD });
        match take(&mut body, FIELD) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::Object(details) => Ok(CodeDelivery::from_details(details)),
                    _ => Err(wrong_type.clone()),
                })
                .collect(),
            Some(_) => Err(wrong_type),
        }
    }
}

/// `VerifyUserAttribute`: confirms an `email` or `phone_number` with the code Cognito sent
/// (after [`UpdateUserAttributes`] or [`GetUserAttributeVerificationCode`]).
///
/// A code that is not 4 to 10 digits is refused before sending. Cognito answers a wrong code
/// with `CodeMismatchException`, an old one with `ExpiredCodeException`, and too many tries
/// with `LimitExceededException`.
///
/// ```
/// use cognito_auth_core::SecretString;
/// use cognito_auth_core::account::{AccountOperation, VerifyUserAttribute};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = VerifyUserAttribute::new(SecretString::new("eyJraWQ.access.token"), "email", "123456");
/// assert_eq!(
///     operation.request(&client)?.body(),
///     r#"{"AccessToken":"eyJraWQ.access.token","AttributeName":"email","Code":"123456"}"#
/// );
/// operation.parse_response(HttpResponse::new(200, b"{}"))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyUserAttribute {
    access_token: SecretString,
    attribute_name: String,
    code: SecretString,
}

impl VerifyUserAttribute {
    /// Verifies `attribute_name` (`email`, `phone_number`) with `code`.
    pub fn new(access_token: SecretString, attribute_name: &str, code: &str) -> Self {
        Self {
            access_token,
            attribute_name: String::from(attribute_name),
            code: SecretString::new(code),
        }
    }
}

impl AccountOperation for VerifyUserAttribute {
    /// Nothing: the attribute is verified.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let mut body = access_token_body(&self.access_token)?;
        required("attribute_name", &self.attribute_name)?;
        let code = checked_code(self.code.expose())?;
        body.insert("AttributeName".into(), self.attribute_name.as_str().into());
        body.insert("Code".into(), code.into());
        Ok(request_from(Operation::VerifyUserAttribute, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl VerifyUserAttribute {
    /// Reads `VerifyUserAttribute`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        success_body(response).map(drop)
    }
}

/// `GetUserAttributeVerificationCode`: sends (again) a code to verify `email` or
/// `phone_number`; confirm it with [`VerifyUserAttribute`].
///
/// ```
/// use cognito_auth_core::SecretString;
/// use cognito_auth_core::account::{AccountOperation, GetUserAttributeVerificationCode};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation =
///     GetUserAttributeVerificationCode::new(SecretString::new("eyJraWQ.access.token"), "phone_number");
/// assert_eq!(
///     operation.request(&client)?.body(),
///     r#"{"AccessToken":"eyJraWQ.access.token","AttributeName":"phone_number"}"#
/// );
/// let body = br#"{"CodeDeliveryDetails":{"Destination":"+*******1212","DeliveryMedium":"SMS","AttributeName":"phone_number"}}"#;
/// let sent = operation.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(sent.medium.as_deref(), Some("SMS"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUserAttributeVerificationCode {
    access_token: SecretString,
    attribute_name: String,
    client_metadata: BTreeMap<String, String>,
}

impl GetUserAttributeVerificationCode {
    /// Asks for a code for `attribute_name`.
    pub fn new(access_token: SecretString, attribute_name: &str) -> Self {
        Self {
            access_token,
            attribute_name: String::from(attribute_name),
            client_metadata: BTreeMap::new(),
        }
    }

    /// The same, with `ClientMetadata` for the pool's custom-message Lambda trigger.
    #[must_use]
    pub fn with_client_metadata(mut self, client_metadata: BTreeMap<String, String>) -> Self {
        self.client_metadata = client_metadata;
        self
    }
}

impl AccountOperation for GetUserAttributeVerificationCode {
    /// Where the code went.
    type Output = CodeDelivery;

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let mut body = access_token_body(&self.access_token)?;
        required("attribute_name", &self.attribute_name)?;
        body.insert("AttributeName".into(), self.attribute_name.as_str().into());
        insert_client_metadata(&mut body, &self.client_metadata);
        Ok(request_from(
            Operation::GetUserAttributeVerificationCode,
            body,
        ))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<CodeDelivery, AccountError> {
        Self::parse(response)
    }
}

impl GetUserAttributeVerificationCode {
    /// Reads `GetUserAttributeVerificationCode`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<CodeDelivery, AccountError> {
        let body = success_body(response)?;
        code_delivery(&body)?.ok_or(AccountError::Response(ResponseError::MissingField {
            field: "CodeDeliveryDetails",
        }))
    }
}

/// A body holding `AccessToken`, refused if the token is empty.
pub(super) fn access_token_body(
    access_token: &SecretString,
) -> Result<Map<String, Value>, AccountError> {
    required("access_token", access_token.expose())?;
    let mut body = Map::new();
    body.insert("AccessToken".into(), access_token.expose().into());
    Ok(body)
}

/// A list of `{"Name": .., "Value": ..}` (`UserAttributes`) as a map; absent is empty, a
/// missing or `null` `Value` is the empty string.
fn attribute_map(
    body: &mut Map<String, Value>,
    field: &'static str,
) -> Result<BTreeMap<String, String>, AccountError> {
    let wrong_type = ResponseError::FieldHasWrongType { field };
    let items = match take(body, field) {
        None => return Ok(BTreeMap::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(wrong_type.into()),
    };
    let mut attributes = BTreeMap::new();
    for item in items {
        let Value::Object(mut attribute) = item else {
            return Err(wrong_type.into());
        };
        let name = take_string(&mut attribute, "Name")
            .ok()
            .flatten()
            .ok_or(wrong_type)?;
        let value = take_string(&mut attribute, "Value")
            .map_err(|_| wrong_type)?
            .unwrap_or_default();
        attributes.insert(name, value);
    }
    Ok(attributes)
}
