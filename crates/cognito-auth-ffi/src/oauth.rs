//! The hosted UI (OAuth 2.0 authorization code with PKCE) for the bindings: the core's
//! [`cognito_auth_core::oauth`] as free functions over strings, so that an app's
//! `signInWithWebUi` is:
//!
//! 1. `hosted_ui_authorize(config, options, key)` → [`HostedUiAuthorization`]: store
//!    `pending` (it must survive the app being killed), open `url` in
//!    `ASWebAuthenticationSession` / Custom Tabs / the system browser;
//! 2. the browser comes back to the redirect URI: `hosted_ui_token_request(config, pending,
//!    redirect_url, key)` checks the redirect (state, error) and builds the `/oauth2/token`
//!    [`HttpRequest`], sent by the app's usual transport;
//! 3. `hosted_ui_parse_token_response(pending, status, body, key)` → [`AuthTokens`] (the ID
//!    token's `nonce` checked); delete `pending`; `UserSession.from_tokens(...)` as after a
//!    sign-in.
//!
//! `key` (optional, 32 to 64 bytes) seals the stored pending authorization (HMAC-SHA256); use
//! the same key for all three calls.

use core::fmt;
use std::collections::HashMap;

use cognito_auth_core::SecretString;
use cognito_auth_core::oauth::{
    self as core_oauth, FormRequest, OAuthClient, OAuthTokens, PendingAuthorization, PendingKey,
};
use cognito_auth_core::wire::{AuthenticationResult, HttpResponse};

use crate::environment::fresh_entropy;
use crate::error::{CognitoAuthError, Result};
use crate::types::{AuthTokens, HttpRequest};

/// A user pool domain and an app client, for the hosted UI.
#[derive(Clone, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct HostedUiConfig {
    /// The user pool domain: `https://<prefix>.auth.<region>.amazoncognito.com`, a custom
    /// domain, or `http://127.0.0.1:<port>` for an emulator. A bare host name means `https://`.
    pub domain: String,
    /// The app client id.
    pub client_id: String,
    /// The client secret, for a client that has one (sent as HTTP Basic).
    #[uniffi(default = None)]
    pub client_secret: Option<String>,
}

impl fmt::Debug for HostedUiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostedUiConfig")
            .field("domain", &self.domain)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl TryFrom<HostedUiConfig> for OAuthClient {
    type Error = CognitoAuthError;

    fn try_from(config: HostedUiConfig) -> Result<Self> {
        let secret = config.client_secret.map(SecretString::from);
        let client = OAuthClient::new(config.domain.trim(), config.client_id.trim())?;
        Ok(match secret {
            Some(secret) => client.with_client_secret(secret),
            None => client,
        })
    }
}

/// What the authorize request asks for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HostedUiOptions {
    /// One of the app client's callback URLs, byte for byte (`myapp://callback`).
    pub redirect_uri: String,
    /// Scopes (`openid` for an ID token; `aws.cognito.signin.user.admin` for the user
    /// operations). Empty: the client's allowed scopes.
    #[uniffi(default = [])]
    pub scopes: Vec<String>,
    /// Go straight to this identity provider (`Google`, `SignInWithApple`, `COGNITO`, a SAML
    /// or OIDC provider's name).
    #[uniffi(default = None)]
    pub identity_provider: Option<String>,
    /// Pick the identity provider by one of its identifiers (an email domain).
    #[uniffi(default = None)]
    pub idp_identifier: Option<String>,
    /// The hosted UI's language (`de`, `pt-BR`).
    #[uniffi(default = None)]
    pub lang: Option<String>,
    /// The username to fill in.
    #[uniffi(default = None)]
    pub login_hint: Option<String>,
    /// `prompt` values.
    #[uniffi(default = [])]
    pub prompt: Vec<HostedUiPrompt>,
}

/// A `prompt` value of the authorize request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum HostedUiPrompt {
    /// No UI; fails when the user is not signed in.
    None,
    /// Ask for credentials even when the hosted UI has a session.
    Login,
    /// Let the user pick an account at the identity provider.
    SelectAccount,
    /// Ask for consent again.
    Consent,
}

impl From<HostedUiPrompt> for core_oauth::Prompt {
    fn from(prompt: HostedUiPrompt) -> Self {
        match prompt {
            HostedUiPrompt::None => Self::None,
            HostedUiPrompt::Login => Self::Login,
            HostedUiPrompt::SelectAccount => Self::SelectAccount,
            HostedUiPrompt::Consent => Self::Consent,
        }
    }
}

impl From<&HostedUiOptions> for core_oauth::AuthorizeOptions {
    fn from(options: &HostedUiOptions) -> Self {
        let mut core = Self::new(&options.redirect_uri);
        for scope in &options.scopes {
            core = core.scope(scope);
        }
        if let Some(name) = &options.identity_provider {
            core = core.identity_provider(name);
        }
        if let Some(identifier) = &options.idp_identifier {
            core = core.idp_identifier(identifier);
        }
        if let Some(lang) = &options.lang {
            core = core.lang(lang);
        }
        if let Some(hint) = &options.login_hint {
            core = core.login_hint(hint);
        }
        for prompt in &options.prompt {
            core = core.prompt((*prompt).into());
        }
        core
    }
}

/// A started authorization: the URL to open and the pending state to store until the redirect
/// comes back. `pending` holds the PKCE verifier: keep it where the app keeps tokens.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct HostedUiAuthorization {
    /// The `/oauth2/authorize` URL to open in the browser.
    pub url: String,
    /// The pending authorization (`cognito-auth-oauth[-sealed].v1....`): store it, pass it to
    /// `hosted_ui_token_request` and `hosted_ui_parse_token_response`, then delete it.
    pub pending: String,
}

impl fmt::Debug for HostedUiAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostedUiAuthorization")
            .field("url", &self.url)
            .field("pending", &"<redacted>")
            .finish()
    }
}

fn key(sealing_key: Option<Vec<u8>>) -> Result<Option<PendingKey>> {
    let bytes = sealing_key.map(zeroize::Zeroizing::new);
    Ok(bytes.as_deref().map(|b| PendingKey::new(b)).transpose()?)
}

fn restore(pending: &str, key: Option<&PendingKey>) -> Result<PendingAuthorization> {
    Ok(match key {
        Some(key) => PendingAuthorization::restore_sealed(pending, key)?,
        None => PendingAuthorization::restore(pending)?,
    })
}

fn form_request(request: &FormRequest, what: &str) -> HttpRequest {
    HttpRequest {
        url: request.url().to_owned(),
        method: request.method().to_owned(),
        headers: request
            .headers()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect::<HashMap<_, _>>(),
        body: request.body().to_owned(),
        operation: what.to_owned(),
    }
}

fn tokens(tokens: OAuthTokens) -> AuthTokens {
    AuthenticationResult::from(tokens).into()
}

/// Starts an authorization with fresh randomness (state, PKCE verifier, nonce).
/// `sealing_key` (32 to 64 bytes) seals the returned `pending`. Fails with `InvalidInput`
/// (`domain`, `redirect_uri`, `scope`, `key`).
#[uniffi::export(default(sealing_key = None))]
pub fn hosted_ui_authorize(
    config: HostedUiConfig,
    options: HostedUiOptions,
    sealing_key: Option<Vec<u8>>,
) -> Result<HostedUiAuthorization> {
    let key = key(sealing_key)?;
    let client = OAuthClient::try_from(config)?;
    let (url, pending) = client.authorize(&(&options).into(), &fresh_entropy()?)?;
    let stored = match &key {
        Some(key) => pending.to_storage_sealed(key),
        None => pending.to_storage(),
    };
    Ok(HostedUiAuthorization {
        url,
        pending: stored.expose().to_owned(),
    })
}

/// Reads the URL the browser came back with and builds the `/oauth2/token` request (code +
/// PKCE verifier). Fails with `OAuth` (kind `Denied` for `error=...`, `StateMismatch`,
/// `BadRedirect`, `StoredStateInvalid`) or `InvalidInput`.
#[uniffi::export(default(sealing_key = None))]
pub fn hosted_ui_token_request(
    config: HostedUiConfig,
    pending: String,
    redirect_url: String,
    sealing_key: Option<Vec<u8>>,
) -> Result<HttpRequest> {
    let key = key(sealing_key)?;
    let pending = restore(&pending, key.as_ref())?;
    let client = OAuthClient::try_from(config)?;
    let code = pending.handle_redirect(&redirect_url)?;
    Ok(form_request(
        &client.token_request(&pending, &code)?,
        "oauth2/token",
    ))
}

/// Reads the token endpoint's answer to `hosted_ui_token_request` and checks the ID token's
/// `nonce`. Fails with `OAuth` (kind `Refused`: e.g. `invalid_grant` for a used or expired
/// code; `NonceMismatch`), `UnexpectedResponse` or `Jwt`.
#[uniffi::export(default(sealing_key = None))]
pub fn hosted_ui_parse_token_response(
    pending: String,
    status: u16,
    body: Vec<u8>,
    sealing_key: Option<Vec<u8>>,
) -> Result<AuthTokens> {
    let key = key(sealing_key)?;
    let pending = restore(&pending, key.as_ref())?;
    Ok(tokens(
        pending.handle_token_response(HttpResponse::new(status, &body))?,
    ))
}

/// The `/oauth2/token` request with `grant_type=refresh_token`.
#[uniffi::export]
pub fn hosted_ui_refresh_request(
    config: HostedUiConfig,
    refresh_token: String,
) -> Result<HttpRequest> {
    let refresh_token = SecretString::from(refresh_token);
    let client = OAuthClient::try_from(config)?;
    Ok(form_request(
        &client.refresh_request(&refresh_token),
        "oauth2/token",
    ))
}

/// Reads the answer to `hosted_ui_refresh_request` (no refresh token in it: keep the old one).
#[uniffi::export]
pub fn hosted_ui_parse_refresh_response(status: u16, body: Vec<u8>) -> Result<AuthTokens> {
    Ok(tokens(OAuthTokens::parse(HttpResponse::new(
        status, &body,
    ))?))
}

/// The `/oauth2/revoke` request for a refresh token.
#[uniffi::export]
pub fn hosted_ui_revoke_request(
    config: HostedUiConfig,
    refresh_token: String,
) -> Result<HttpRequest> {
    let refresh_token = SecretString::from(refresh_token);
    let client = OAuthClient::try_from(config)?;
    Ok(form_request(
        &client.revoke_request(&refresh_token),
        "oauth2/revoke",
    ))
}

/// Reads the answer to `hosted_ui_revoke_request` (200 is success).
#[uniffi::export]
pub fn hosted_ui_parse_revoke_response(status: u16, body: Vec<u8>) -> Result<()> {
    Ok(core_oauth::handle_revoke_response(HttpResponse::new(
        status, &body,
    ))?)
}

/// The `/logout` URL to open in the browser (ends the hosted UI's session and redirects to
/// `logout_uri`, one of the client's sign-out URLs).
#[uniffi::export]
pub fn hosted_ui_logout_url(config: HostedUiConfig, logout_uri: String) -> Result<String> {
    Ok(OAuthClient::try_from(config)?.logout_url(&logout_uri)?)
}

display_as_debug!(HostedUiConfig, HostedUiAuthorization);
