//! Identity pools: temporary AWS credentials for a signed-in user or a guest.
//!
//! [`IdentityPoolCredentials`] is the core's
//! [`CredentialsProvider`](cognito_auth_core::identity_pool::CredentialsProvider) behind a
//! lock, with the same contract as `UserSession`: `credentials_for_call` answers with fresh
//! credentials, with a request to send first (`GetId`, then `GetCredentialsForIdentity`), or
//! with "wait, another caller's request is in flight". The app (or a shipped client) sends the
//! request and hands the response to `handle_response`, which may answer with the next request.
//! The time is passed in (`now_unix_secs`).
//!
//! The single operations are exported too (`get_id_request` / `parse_get_id_response`, ...),
//! for apps that keep the identity themselves. Logins are a map provider name → token; for a
//! user-pool user, `user_pool_login_provider(user_pool_id)` → the user's **ID token**. A guest
//! sends no logins.

use core::fmt;
use std::collections::HashMap;
use std::sync::Mutex;

use cognito_auth_core::identity_pool::{
    self as core_identity, CredentialsProvider, IdentityPoolOperation,
};
use cognito_auth_core::wire::{Endpoint, HttpResponse};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};

use crate::error::{CognitoAuthError, Result};
use crate::types::{HttpRequest, sorted};

/// Where an identity pool is: its id and, for an emulator or a proxy, another endpoint.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdentityPoolConfig {
    /// The identity pool id, `<region>:<GUID>` (the region is taken from it).
    pub identity_pool_id: String,
    /// Another endpoint than `https://cognito-identity.<region>.amazonaws.com/`: a proxy
    /// (`https://`) or an emulator on this machine (`http://127.0.0.1:4566/`).
    #[uniffi(default = None)]
    pub endpoint_url: Option<String>,
    /// Accept a plain `http://` `endpoint_url` to any host (tokens then cross the network
    /// unencrypted). Default `false`.
    #[uniffi(default = false)]
    pub allow_insecure_http: bool,
}

/// The checked config: the pool and its endpoint.
struct Pool {
    id: core_identity::IdentityPoolId,
    endpoint: Endpoint,
}

impl TryFrom<IdentityPoolConfig> for Pool {
    type Error = CognitoAuthError;

    fn try_from(config: IdentityPoolConfig) -> Result<Self> {
        let id = core_identity::IdentityPoolId::parse(&config.identity_pool_id)?;
        let endpoint = match config.endpoint_url.as_deref() {
            None => Endpoint::for_identity_pool(&id)?,
            Some(url) if config.allow_insecure_http => {
                Endpoint::custom_allowing_insecure_http(url)?
            }
            Some(url) => Endpoint::custom(url)?,
        };
        Ok(Self { id, endpoint })
    }
}

/// Temporary AWS credentials. Printing them shows the access key id and the expiry only.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct AwsCredentials {
    /// `AccessKeyId`.
    pub access_key_id: String,
    /// `SecretKey` (`SecretAccessKey` in the AWS SDKs). Secret.
    pub secret_access_key: String,
    /// `SessionToken` (sent as `x-amz-security-token`). Secret.
    pub session_token: String,
    /// When AWS stops accepting them, in seconds since the Unix epoch.
    pub expiration_unix_secs: u64,
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &"<redacted>")
            .field("expiration_unix_secs", &self.expiration_unix_secs)
            .finish()
    }
}

display_as_debug!(AwsCredentials, OpenIdToken);

impl From<&core_identity::AwsCredentials> for AwsCredentials {
    fn from(credentials: &core_identity::AwsCredentials) -> Self {
        Self {
            access_key_id: credentials.access_key_id.clone(),
            secret_access_key: credentials.secret_access_key.expose().to_owned(),
            session_token: credentials.session_token.expose().to_owned(),
            expiration_unix_secs: credentials.expiration.as_secs(),
        }
    }
}

/// What `GetCredentialsForIdentity` answered.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdentityCredentials {
    /// The identity (keep this one: Cognito may answer with another id than the one sent).
    pub identity_id: String,
    /// The credentials.
    pub credentials: AwsCredentials,
}

/// What `GetOpenIdToken` answered. Printing it hides the token.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct OpenIdToken {
    /// The identity.
    pub identity_id: String,
    /// The OpenID Connect token (10 minutes). Secret.
    pub token: String,
}

impl fmt::Debug for OpenIdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenIdToken")
            .field("identity_id", &self.identity_id)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// The core's logins from provider → token (tokens move into `SecretString` first).
fn core_logins(logins: HashMap<String, String>) -> Result<core_identity::Logins> {
    let mut core = core_identity::Logins::guest();
    for (provider, token) in sorted(logins) {
        core = core.with(&provider, SecretString::from(token))?;
    }
    Ok(core)
}

fn identity_id(id: &str) -> Result<core_identity::IdentityId> {
    Ok(core_identity::IdentityId::parse(id)?)
}

fn parse<O: IdentityPoolOperation>(
    operation: &O,
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<O::Output> {
    let body = zeroize::Zeroizing::new(body);
    let response =
        HttpResponse::new(status, body.as_slice()).with_error_type(error_type_header.as_deref());
    Ok(operation.parse_response(response)?)
}

/// A placeholder identity for operations built only to parse a response.
fn placeholder_id() -> Result<core_identity::IdentityId> {
    identity_id("us-east-1:0")
}

/// The login provider name of a user pool: `cognito-idp.<region>.amazonaws.com/<user pool id>`.
/// Its token is the user's ID token.
#[uniffi::export]
pub fn user_pool_login_provider(user_pool_id: String) -> Result<String> {
    let pool = UserPoolId::parse(&user_pool_id)?;
    Ok(core_identity::Logins::user_pool_provider(&pool))
}

/// `GetId`: the identity of `logins` (empty: a new guest identity).
#[uniffi::export(default(logins))]
pub fn get_id_request(
    config: IdentityPoolConfig,
    logins: HashMap<String, String>,
) -> Result<HttpRequest> {
    let pool = Pool::try_from(config)?;
    let operation = core_identity::GetId::new(pool.id, core_logins(logins)?);
    Ok(HttpRequest::new(&pool.endpoint, &operation.request()))
}

/// Reads `GetId`'s response: the identity id.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_get_id_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<String> {
    let pool = core_identity::IdentityPoolId::parse("us-east-1:0")?;
    let operation = core_identity::GetId::new(pool, core_identity::Logins::guest());
    Ok(parse(&operation, status, body, error_type_header)?
        .as_str()
        .to_owned())
}

/// `GetCredentialsForIdentity`: credentials for `identity_id`, with the same logins as `GetId`.
#[uniffi::export(default(logins))]
pub fn get_credentials_for_identity_request(
    config: IdentityPoolConfig,
    identity_id: String,
    logins: HashMap<String, String>,
) -> Result<HttpRequest> {
    let pool = Pool::try_from(config)?;
    let operation = core_identity::GetCredentialsForIdentity::new(
        self::identity_id(&identity_id)?,
        core_logins(logins)?,
    );
    Ok(HttpRequest::new(&pool.endpoint, &operation.request()))
}

/// Reads `GetCredentialsForIdentity`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_get_credentials_for_identity_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<IdentityCredentials> {
    let operation = core_identity::GetCredentialsForIdentity::new(
        placeholder_id()?,
        core_identity::Logins::guest(),
    );
    let answer = parse(&operation, status, body, error_type_header)?;
    Ok(IdentityCredentials {
        identity_id: answer.identity_id.as_str().to_owned(),
        credentials: AwsCredentials::from(&answer.credentials),
    })
}

/// `GetOpenIdToken`: an OpenID Connect token for `identity_id`.
#[uniffi::export(default(logins))]
pub fn get_open_id_token_request(
    config: IdentityPoolConfig,
    identity_id: String,
    logins: HashMap<String, String>,
) -> Result<HttpRequest> {
    let pool = Pool::try_from(config)?;
    let operation =
        core_identity::GetOpenIdToken::new(self::identity_id(&identity_id)?, core_logins(logins)?);
    Ok(HttpRequest::new(&pool.endpoint, &operation.request()))
}

/// Reads `GetOpenIdToken`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_get_open_id_token_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<OpenIdToken> {
    let operation =
        core_identity::GetOpenIdToken::new(placeholder_id()?, core_identity::Logins::guest());
    let answer = parse(&operation, status, body, error_type_header)?;
    Ok(OpenIdToken {
        identity_id: answer.identity_id.as_str().to_owned(),
        token: answer.token.expose().to_owned(),
    })
}

/// The answer to `credentials_for_call`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum CredentialsForCall {
    /// Make the call with these credentials.
    Fresh {
        /// The credentials.
        credentials: AwsCredentials,
    },
    /// Send this request first and pass its response to `handle_response` (or call
    /// `request_failed_to_send`).
    Send {
        /// The request.
        request: HttpRequest,
    },
    /// Another caller's request is in flight: wait for it, then ask again.
    WaitForRefresh,
}

/// What a response did. A refusal (throttling, an expired ID token, a pool without guest
/// access) is thrown as `CognitoAuthError.Service` instead; the credentials held are kept.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum CredentialsOutcome {
    /// New credentials: make the call; waiters may ask again.
    Refreshed {
        /// The credentials.
        credentials: AwsCredentials,
    },
    /// Send this request too, then `handle_response` again (still one request in flight).
    Send {
        /// The request.
        request: HttpRequest,
    },
}

/// What `IdentityPoolCredentials::status` reports. (A record, not `Option<String>`, for
/// uniffi-bindgen-dart 0.2.0, which cannot return an optional from a method.)
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdentityPoolStatus {
    /// The identity id, once known.
    pub identity_id: Option<String>,
    /// When the credentials held expire, if any are held.
    pub expiration_unix_secs: Option<u64>,
    /// No logins: a guest.
    pub is_guest: bool,
    /// A request is in flight.
    pub refreshing: bool,
}

/// An identity's AWS credentials, fetched and refreshed one request at a time (the core's
/// `CredentialsProvider` behind a lock). Keep `status().identity_id` with the session (a guest's in
/// the app's storage) and pass it back as `identity_id` next time.
#[derive(uniffi::Object)]
pub struct IdentityPoolCredentials {
    provider: Mutex<CredentialsProvider>,
    endpoint: Endpoint,
}

impl fmt::Debug for IdentityPoolCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityPoolCredentials")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

#[uniffi::export]
impl IdentityPoolCredentials {
    /// Credentials for `logins` (empty: a guest) in the pool; `identity_id` a stored identity
    /// (skips `GetId`); `refresh_margin_secs` how early to refresh (default 300).
    #[uniffi::constructor(default(logins), default(identity_id = None), default(refresh_margin_secs = 300))]
    pub fn new(
        config: IdentityPoolConfig,
        logins: HashMap<String, String>,
        identity_id: Option<String>,
        refresh_margin_secs: u64,
    ) -> Result<Self> {
        let pool = Pool::try_from(config)?;
        let mut provider = CredentialsProvider::new(pool.id, core_logins(logins)?)
            .with_refresh_margin(refresh_margin_secs);
        if let Some(id) = identity_id {
            provider = provider.with_identity_id(self::identity_id(&id)?);
        }
        Ok(Self {
            provider: Mutex::new(provider),
            endpoint: pool.endpoint,
        })
    }

    /// Credentials for a call made at `now_unix_secs`: fresh ones, the request to send first,
    /// or "wait, a request is in flight".
    pub fn credentials_for_call(&self, now_unix_secs: u64) -> Result<CredentialsForCall> {
        let answer = self
            .provider
            .lock()?
            .credentials_for_call(UnixTime::from_secs(now_unix_secs));
        Ok(match answer {
            core_identity::CredentialsForCall::Fresh(credentials) => CredentialsForCall::Fresh {
                credentials: AwsCredentials::from(&credentials),
            },
            core_identity::CredentialsForCall::Send(request) => CredentialsForCall::Send {
                request: HttpRequest::new(&self.endpoint, &request),
            },
            core_identity::CredentialsForCall::WaitForRefresh => CredentialsForCall::WaitForRefresh,
        })
    }

    /// The response to the request in flight (status, body, `x-amzn-ErrorType` header),
    /// received at `now_unix_secs`. Unless it answers `Send`, nothing is in flight afterwards:
    /// a refusal is thrown as `Service`, a body that is not Cognito's as `UnexpectedResponse`,
    /// and `InvalidState` if no request was in flight.
    pub fn handle_response(
        &self,
        status: u16,
        body: Vec<u8>,
        error_type_header: Option<String>,
        now_unix_secs: u64,
    ) -> Result<CredentialsOutcome> {
        let body = zeroize::Zeroizing::new(body);
        let response = HttpResponse::new(status, body.as_slice())
            .with_error_type(error_type_header.as_deref());
        let outcome = self
            .provider
            .lock()?
            .handle_response(response, UnixTime::from_secs(now_unix_secs))?;
        match outcome {
            core_identity::CredentialsOutcome::Refreshed(credentials) => {
                Ok(CredentialsOutcome::Refreshed {
                    credentials: AwsCredentials::from(&credentials),
                })
            }
            core_identity::CredentialsOutcome::Send(request) => Ok(CredentialsOutcome::Send {
                request: HttpRequest::new(&self.endpoint, &request),
            }),
            core_identity::CredentialsOutcome::Failed(error) => Err(error.into()),
        }
    }

    /// The request could not be sent or got no response: nothing is in flight any more.
    /// Returns whether a request was in flight. Call it on every path that does not reach
    /// `handle_response`, or callers wait forever.
    pub fn request_failed_to_send(&self) -> Result<bool> {
        Ok(self.provider.lock()?.request_failed_to_send())
    }

    /// The same user's new tokens (after the session refreshed them): the identity and the
    /// credentials are kept. `InvalidInput` if the providers differ (use `switch_logins`).
    pub fn update_logins(&self, logins: HashMap<String, String>) -> Result<()> {
        let logins = core_logins(logins)?;
        Ok(self.provider.lock()?.update_logins(logins)?)
    }

    /// Another identity (sign-in, sign-out: empty logins, another user): the identity id and
    /// the credentials are forgotten, a request in flight is abandoned.
    pub fn switch_logins(&self, logins: HashMap<String, String>) -> Result<()> {
        let logins = core_logins(logins)?;
        self.provider.lock()?.switch_logins(logins);
        Ok(())
    }

    /// The identity id once known (keep it with the session), when the credentials held
    /// expire, whether it is a guest's, whether a request is in flight.
    pub fn status(&self) -> Result<IdentityPoolStatus> {
        let provider = self.provider.lock()?;
        Ok(IdentityPoolStatus {
            identity_id: provider.identity_id().map(|id| id.as_str().to_owned()),
            expiration_unix_secs: provider.expiration().map(UnixTime::as_secs),
            is_guest: provider.is_guest(),
            refreshing: provider.is_refreshing(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test fails by panicking"
    )]

    use super::*;

    const POOL: &str = "us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60";
    const ID: &str = "us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60";
    const NOW: u64 = 1_800_000_000;

    fn config() -> IdentityPoolConfig {
        IdentityPoolConfig {
            identity_pool_id: POOL.into(),
            endpoint_url: Some("http://127.0.0.1:4566/".into()),
            allow_insecure_http: false,
        }
    }

    fn user_logins() -> HashMap<String, String> {
        let provider = user_pool_login_provider("us-east-1_Abc123XyZ".into()).unwrap();
        assert_eq!(
            provider,
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123XyZ"
        );
        HashMap::from([(provider, "id-token-secret".to_owned())])
    }

    #[test]
    fn the_provider_sends_get_id_then_get_credentials_and_hides_secrets() {
        let provider = IdentityPoolCredentials::new(config(), user_logins(), None, 300).unwrap();
        let CredentialsForCall::Send { request } = provider.credentials_for_call(NOW).unwrap()
        else {
            panic!("GetId expected")
        };
        assert_eq!(request.operation, "GetId");
        assert_eq!(request.url, "http://127.0.0.1:4566/");
        assert_eq!(
            request.headers["x-amz-target"],
            "AWSCognitoIdentityService.GetId"
        );
        assert!(request.body.contains("id-token-secret"));
        assert_eq!(
            provider.credentials_for_call(NOW).unwrap(),
            CredentialsForCall::WaitForRefresh
        );
        let body = format!(r#"{{"IdentityId":"{ID}"}}"#);
        let CredentialsOutcome::Send { request } = provider
            .handle_response(200, body.into_bytes(), None, NOW)
            .unwrap()
        else {
            panic!("GetCredentialsForIdentity expected")
        };
        assert_eq!(request.operation, "GetCredentialsForIdentity");
        let body = format!(
            r#"{{"IdentityId":"{ID}","Credentials":{{"AccessKeyId":"ASIAKEY","SecretKey":"secret-key","SessionToken":"session-token","Expiration":1800003600}}}}"#
        );
        let CredentialsOutcome::Refreshed { credentials } = provider
            .handle_response(200, body.into_bytes(), None, NOW)
            .unwrap()
        else {
            panic!("credentials expected")
        };
        assert_eq!(credentials.expiration_unix_secs, NOW + 3600);
        let printed = format!("{credentials} {credentials:?}");
        assert!(
            !printed.contains("secret-key") && !printed.contains("session-token"),
            "{printed}"
        );
        let status = provider.status().unwrap();
        assert_eq!(status.identity_id.as_deref(), Some(ID));
        assert_eq!(status.expiration_unix_secs, Some(NOW + 3600));
        assert!(!status.is_guest && !status.refreshing);
        assert_eq!(
            provider.credentials_for_call(NOW).unwrap(),
            CredentialsForCall::Fresh { credentials }
        );
        // Refusals are thrown; a response with nothing in flight is InvalidState.
        provider.switch_logins(HashMap::new()).unwrap();
        let _ = provider.credentials_for_call(NOW).unwrap();
        let refused = provider.handle_response(
            400,
            br#"{"__type":"NotAuthorizedException","message":"Unauthenticated access is not supported for this identity pool."}"#.to_vec(),
            None,
            NOW,
        );
        assert!(
            matches!(refused, Err(CognitoAuthError::Service { ref code, .. }) if code == "NotAuthorizedException"),
            "{refused:?}"
        );
        assert!(matches!(
            provider.handle_response(200, b"{}".to_vec(), None, NOW),
            Err(CognitoAuthError::InvalidState { .. })
        ));
        assert!(matches!(
            provider.update_logins(user_logins()),
            Err(CognitoAuthError::InvalidInput { .. })
        ));
    }

    #[test]
    fn bad_ids_and_logins_are_invalid_input() {
        let bad_pool = IdentityPoolConfig {
            identity_pool_id: "us-east-1_Abc".into(),
            ..config()
        };
        assert!(matches!(
            get_id_request(bad_pool, HashMap::new()),
            Err(CognitoAuthError::InvalidInput { ref what, .. }) if what == "identity_pool_id"
        ));
        assert!(matches!(
            get_credentials_for_identity_request(config(), "nope".into(), HashMap::new()),
            Err(CognitoAuthError::InvalidInput { ref what, .. }) if what == "identity_id"
        ));
        let empty_token = HashMap::from([("accounts.google.com".to_owned(), String::new())]);
        assert!(matches!(
            get_id_request(config(), empty_token),
            Err(CognitoAuthError::InvalidInput { ref what, .. }) if what == "logins"
        ));
        let token = parse_get_open_id_token_response(
            200,
            format!(r#"{{"IdentityId":"{ID}","Token":"oidc-secret"}}"#).into_bytes(),
            None,
        )
        .unwrap();
        assert!(!format!("{token}").contains("oidc-secret"));
        assert!(matches!(
            parse_get_id_response(200, br#"{"IdentityId":7}"#.to_vec(), None),
            Err(CognitoAuthError::UnexpectedResponse { .. })
        ));
    }
}
