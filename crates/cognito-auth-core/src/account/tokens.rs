//! Tokens: `GetTokensFromRefreshToken`, `REFRESH_TOKEN_AUTH`, `RevokeToken`, `GlobalSignOut`.
//!
//! Refreshing: prefer [`GetTokensFromRefreshToken`], the operation every Amplify library calls
//! since 2025. It works with refresh-token rotation (the response then carries a new refresh
//! token, and the old one stops working after the client's grace period) and sends the client
//! secret itself, so it needs no username. [`RefreshTokenAuth`] is the older `InitiateAuth`
//! flow: no rotation, and `SECRET_HASH` over the user's canonical username.
//!
//! To know *when* to refresh, read the access token's `exp` with
//! [`JwtClaims`](crate::jwt::JwtClaims).

use alloc::collections::BTreeMap;
use alloc::string::String;

use serde_json::{Map, Value};

use super::{
    AccountError, AccountOperation, insert_client_metadata, no_output, request_from, required,
    success_body,
};
use crate::client::ClientConfig;
use crate::secret::SecretString;
use crate::wire::{AuthenticationResult, HttpResponse, Operation, Request, ResponseError};

/// `GetTokensFromRefreshToken`: new access and ID tokens (and, with refresh-token rotation, a
/// new refresh token) for a refresh token.
///
/// `ClientSecret` (clients with a secret) is the **raw** client secret from the
/// [`ClientConfig`], not a `SECRET_HASH`. With a remembered device, pass its key
/// ([`with_device_key`](Self::with_device_key)): Cognito otherwise treats the device as new.
///
/// The output's [`refresh_token`](AuthenticationResult::refresh_token) is `Some` when the app
/// client rotates refresh tokens: store it and drop the old one, which Cognito then refuses
/// (`RefreshTokenReuseException` after the grace period). `None` means keep the old one.
/// `NotAuthorizedException` ("Refresh Token has been revoked", "Refresh Token has expired")
/// means the user must sign in again.
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, GetTokensFromRefreshToken};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let refresh = GetTokensFromRefreshToken::new(SecretString::new("eyJjdHkiOiJKV1Qi..."))
///     .with_device_key("us-east-1_5f1c2d3e-0000-1111-2222-333344445555");
/// let request = refresh.request(&client)?;
/// assert_eq!(request.operation().name(), "GetTokensFromRefreshToken");
/// assert_eq!(
///     request.body(),
///     r#"{"ClientId":"client-id","DeviceKey":"us-east-1_5f1c2d3e-0000-1111-2222-333344445555","RefreshToken":"eyJjdHkiOiJKV1Qi..."}"#
/// );
///
/// let body = br#"{"AuthenticationResult":{"AccessToken":"eyJ.a.b","IdToken":"eyJ.i.d","RefreshToken":"eyJ.new","ExpiresIn":3600,"TokenType":"Bearer"}}"#;
/// let tokens = refresh.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(tokens.refresh_token.as_ref().map(|t| t.expose()), Some("eyJ.new"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetTokensFromRefreshToken {
    refresh_token: SecretString,
    device_key: Option<String>,
    client_metadata: BTreeMap<String, String>,
}

impl GetTokensFromRefreshToken {
    /// Refreshes with `refresh_token`.
    pub fn new(refresh_token: SecretString) -> Self {
        Self {
            refresh_token,
            device_key: None,
            client_metadata: BTreeMap::new(),
        }
    }

    /// Sends `DeviceKey`, the key of this user's remembered device.
    pub fn with_device_key(mut self, device_key: &str) -> Self {
        self.device_key = Some(String::from(device_key));
        self
    }

    /// Adds a `ClientMetadata` entry (passed to the pre-token-generation Lambda trigger).
    pub fn with_client_metadata(mut self, name: &str, value: &str) -> Self {
        self.client_metadata
            .insert(String::from(name), String::from(value));
        self
    }
}

impl AccountOperation for GetTokensFromRefreshToken {
    /// The new tokens; `refresh_token` is `Some` only with rotation.
    type Output = AuthenticationResult;

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("refresh_token", self.refresh_token.expose())?;
        let mut body = Map::new();
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("RefreshToken".into(), self.refresh_token.expose().into());
        if let Some(secret) = client.client_secret() {
            body.insert("ClientSecret".into(), secret.expose().into());
        }
        if let Some(device_key) = &self.device_key {
            required("device_key", device_key)?;
            body.insert("DeviceKey".into(), device_key.as_str().into());
        }
        insert_client_metadata(&mut body, &self.client_metadata);
        Ok(request_from(Operation::GetTokensFromRefreshToken, body))
    }

    fn parse_response(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<AuthenticationResult, AccountError> {
        Self::parse(response)
    }
}

impl GetTokensFromRefreshToken {
    /// Reads `GetTokensFromRefreshToken`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<AuthenticationResult, AccountError> {
        authentication_result(response)
    }
}

/// `InitiateAuth` with `AuthFlow: REFRESH_TOKEN_AUTH`: the legacy refresh, without
/// refresh-token rotation. Prefer [`GetTokensFromRefreshToken`] unless the app client does
/// not allow it.
///
/// # Why it takes the canonical username
///
/// For an app client with a secret, `AuthParameters.SECRET_HASH` is required, and Cognito
/// checks it against the user the refresh token belongs to: its **canonical** username (the
/// access token's `username` claim, the ID token's `cognito:username`), which in a pool that
/// signs in with an email or phone number is the user's `sub`, not what they typed. A hash over
/// the typed email fails with `NotAuthorizedException` "Unable to verify secret hash", the
/// most common refresh bug (boto3#2736). The core cannot derive the name from the refresh
/// token (it is encrypted), so the caller passes it, e.g. from
/// [`JwtClaims::read`](crate::jwt::JwtClaims::read) of the access token. For a client without
/// a secret the username is not sent.
///
/// The output has no `refresh_token`: keep using the old one.
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, RefreshTokenAuth};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?
///     .with_client_secret(SecretString::new("client-secret"))?;
/// let refresh = RefreshTokenAuth::new(
///     SecretString::new("eyJjdHkiOiJKV1Qi..."),
///     "94c84468-e0c1-7003-e7b6-32be2c3bd6ee", // the `username` claim, not the typed email
/// );
/// let request = refresh.request(&client)?;
/// assert_eq!(request.operation().name(), "InitiateAuth");
/// let body: serde_json::Value = serde_json::from_str(request.body())?;
/// assert_eq!(body["AuthFlow"], "REFRESH_TOKEN_AUTH");
/// assert_eq!(
///     body["AuthParameters"]["SECRET_HASH"],
///     cognito_auth_core::secret_hash(
///         "94c84468-e0c1-7003-e7b6-32be2c3bd6ee",
///         "client-id",
///         &SecretString::new("client-secret"),
///     )
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTokenAuth {
    refresh_token: SecretString,
    canonical_username: String,
    device_key: Option<String>,
    client_metadata: BTreeMap<String, String>,
}

impl RefreshTokenAuth {
    /// Refreshes with `refresh_token`, for the user whose canonical Cognito username is
    /// `canonical_username` (used only for `SECRET_HASH`; see the type's documentation).
    pub fn new(refresh_token: SecretString, canonical_username: &str) -> Self {
        Self {
            refresh_token,
            canonical_username: String::from(canonical_username),
            device_key: None,
            client_metadata: BTreeMap::new(),
        }
    }

    /// Sends `DEVICE_KEY`, the key of this user's remembered device.
    pub fn with_device_key(mut self, device_key: &str) -> Self {
        self.device_key = Some(String::from(device_key));
        self
    }

    /// Adds a `ClientMetadata` entry (passed to the Lambda triggers).
    pub fn with_client_metadata(mut self, name: &str, value: &str) -> Self {
        self.client_metadata
            .insert(String::from(name), String::from(value));
        self
    }
}

impl AccountOperation for RefreshTokenAuth {
    /// The new access and ID tokens.
    type Output = AuthenticationResult;

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("refresh_token", self.refresh_token.expose())?;
        let mut parameters = Map::new();
        parameters.insert("REFRESH_TOKEN".into(), self.refresh_token.expose().into());
        if let Some(device_key) = &self.device_key {
            required("device_key", device_key)?;
            parameters.insert("DEVICE_KEY".into(), device_key.as_str().into());
        }
        if let Some(hash) = client.secret_hash(&self.canonical_username) {
            required("username", &self.canonical_username)?;
            parameters.insert("SECRET_HASH".into(), hash.into());
        }
        let mut body = Map::new();
        body.insert("AuthFlow".into(), "REFRESH_TOKEN_AUTH".into());
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("AuthParameters".into(), Value::Object(parameters));
        insert_client_metadata(&mut body, &self.client_metadata);
        Ok(request_from(Operation::InitiateAuth, body))
    }

    fn parse_response(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<AuthenticationResult, AccountError> {
        Self::parse(response)
    }
}

impl RefreshTokenAuth {
    /// Reads `RefreshTokenAuth`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<AuthenticationResult, AccountError> {
        authentication_result(response)
    }
}

/// `RevokeToken`: revokes a refresh token and the access and ID tokens issued from it (the
/// Amplify `signOut()` of one device). Clients with a secret send the **raw** `ClientSecret`.
///
/// Revocation must be enabled on the app client (the default for clients created since 2021);
/// otherwise Cognito answers `UnsupportedOperationException`. An access or ID token instead of
/// the refresh token is `UnsupportedTokenTypeException`.
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, RevokeToken};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let revoke = RevokeToken::new(SecretString::new("eyJjdHkiOiJKV1Qi..."));
/// let request = revoke.request(&client)?;
/// assert_eq!(request.body(), r#"{"ClientId":"client-id","Token":"eyJjdHkiOiJKV1Qi..."}"#);
/// revoke.parse_response(HttpResponse::new(200, b"{}"))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokeToken {
    refresh_token: SecretString,
}

impl RevokeToken {
    /// Revokes `refresh_token`.
    pub fn new(refresh_token: SecretString) -> Self {
        Self { refresh_token }
    }
}

impl AccountOperation for RevokeToken {
    /// Nothing: the token is revoked.
    type Output = ();

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("refresh_token", self.refresh_token.expose())?;
        let mut body = Map::new();
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("Token".into(), self.refresh_token.expose().into());
        if let Some(secret) = client.client_secret() {
            body.insert("ClientSecret".into(), secret.expose().into());
        }
        Ok(request_from(Operation::RevokeToken, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl RevokeToken {
    /// Reads `RevokeToken`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        no_output(response)
    }
}

/// `GlobalSignOut`: invalidates every refresh token of the user, on every device, and the
/// access and ID tokens issued from them. The user's other devices find out at their next
/// refresh (`NotAuthorizedException`).
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, GlobalSignOut};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let sign_out = GlobalSignOut::new(SecretString::new("eyJraWQi.access.token"));
/// let request = sign_out.request(&client)?;
/// assert_eq!(request.body(), r#"{"AccessToken":"eyJraWQi.access.token"}"#);
/// sign_out.parse_response(HttpResponse::new(200, b"{}"))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalSignOut {
    access_token: SecretString,
}

impl GlobalSignOut {
    /// Signs out the user whose access token this is.
    pub fn new(access_token: SecretString) -> Self {
        Self { access_token }
    }
}

impl AccountOperation for GlobalSignOut {
    /// Nothing: the user is signed out everywhere.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        required("access_token", self.access_token.expose())?;
        let mut body = Map::new();
        body.insert("AccessToken".into(), self.access_token.expose().into());
        Ok(request_from(Operation::GlobalSignOut, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl GlobalSignOut {
    /// Reads `GlobalSignOut`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        no_output(response)
    }
}

/// The `AuthenticationResult` of a refresh response (required).
fn authentication_result(response: HttpResponse<'_>) -> Result<AuthenticationResult, AccountError> {
    let mut body = success_body(response)?;
    match body.remove("AuthenticationResult") {
        Some(Value::Object(result)) => Ok(AuthenticationResult::from_object(result)?),
        None | Some(Value::Null) => Err(AccountError::Response(ResponseError::MissingField {
            field: "AuthenticationResult",
        })),
        Some(_) => Err(AccountError::Response(ResponseError::FieldHasWrongType {
            field: "AuthenticationResult",
        })),
    }
}
