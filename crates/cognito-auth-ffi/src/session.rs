//! [`UserSession`]: a signed-in user's tokens, kept fresh one refresh at a time, stored and
//! signed out. The core's [`Session`](cognito_auth_core::session::Session) behind a lock.
//!
//! Like the sign-in, it does no IO: `tokens_for_call` answers with fresh tokens or with the
//! refresh request to send first; the app (or the ready client shipped with each binding)
//! sends it and hands the response back. The time is passed in (`now_unix_secs`, from
//! `unix_time_now()` or the platform's clock), so a client can be tested with a moved clock.
//!
//! One refresh at a time: after `tokens_for_call` returned `Refresh`, every caller gets
//! `WaitForRefresh` until `handle_refresh_response` or `refresh_failed_to_send` is called.
//! The shipped clients wait on a mutex / actor / future; see the core's session docs.

use core::fmt;
use std::sync::{Arc, Mutex};

use cognito_auth_core::SecretString;
use cognito_auth_core::UnixTime;
use cognito_auth_core::session as core_session;
use cognito_auth_core::sign_in as core_sign_in;
use cognito_auth_core::wire::{
    AuthenticationResult, Endpoint, HttpResponse, NewDeviceMetadata as CoreNewDeviceMetadata,
};

use crate::error::Result;
use crate::sign_in::{DeviceOutcome, SignInResult};
use crate::types::{AuthTokens, Client, ClientConfig, HttpRequest, RememberedDevice};

/// When to refresh and with which operation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionOptions {
    /// Refresh when the access token expires within this many seconds (at most half its
    /// lifetime). Default 300.
    #[uniffi(default = 300)]
    pub refresh_margin_secs: u64,
    /// The refresh operation: `GetTokensFromRefreshToken` (the default, `None`; needed for
    /// refresh-token rotation) or `RefreshTokenAuth`.
    #[uniffi(default = None)]
    pub refresh_method: Option<RefreshMethod>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self::from(core_session::SessionOptions::default())
    }
}

impl From<core_session::SessionOptions> for SessionOptions {
    fn from(options: core_session::SessionOptions) -> Self {
        Self {
            refresh_margin_secs: options.refresh_margin_secs(),
            refresh_method: Some(options.refresh_method().into()),
        }
    }
}

impl From<SessionOptions> for core_session::SessionOptions {
    fn from(options: SessionOptions) -> Self {
        Self::default()
            .with_refresh_margin_secs(options.refresh_margin_secs)
            .with_refresh_method(options.refresh_method.map_or(
                core_session::RefreshMethod::GetTokensFromRefreshToken,
                Into::into,
            ))
    }
}

/// The operation that refreshes the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RefreshMethod {
    /// `GetTokensFromRefreshToken`: works with and without refresh-token rotation.
    GetTokensFromRefreshToken,
    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`, for clients that do not allow the other.
    RefreshTokenAuth,
}

impl From<core_session::RefreshMethod> for RefreshMethod {
    fn from(method: core_session::RefreshMethod) -> Self {
        match method {
            core_session::RefreshMethod::GetTokensFromRefreshToken => {
                Self::GetTokensFromRefreshToken
            }
            core_session::RefreshMethod::RefreshTokenAuth => Self::RefreshTokenAuth,
        }
    }
}

impl From<RefreshMethod> for core_session::RefreshMethod {
    fn from(method: RefreshMethod) -> Self {
        match method {
            RefreshMethod::GetTokensFromRefreshToken => Self::GetTokensFromRefreshToken,
            RefreshMethod::RefreshTokenAuth => Self::RefreshTokenAuth,
        }
    }
}

/// Tokens good for a call. `Debug` / `toString` show no token.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct SessionTokens {
    /// The access token, for Cognito's user APIs and most resource servers.
    pub access_token: String,
    /// The ID token, when Cognito sent one.
    pub id_token: Option<String>,
    /// The current refresh token (after any rotation).
    pub refresh_token: String,
    /// When the access token expires (Unix seconds, on the clock the app passes in).
    pub access_expires_at: u64,
    /// Seconds from the `now` of the call until then.
    pub expires_in: u64,
}

impl SessionTokens {
    fn from_core(tokens: &core_session::SessionTokens, now: UnixTime) -> Self {
        Self {
            access_token: tokens.access_token.expose().to_owned(),
            id_token: tokens.id_token.as_ref().map(|t| t.expose().to_owned()),
            refresh_token: tokens.refresh_token.expose().to_owned(),
            access_expires_at: tokens.access_expires_at.as_secs(),
            expires_in: tokens.expires_in(now),
        }
    }
}

impl fmt::Debug for SessionTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionTokens")
            .field("access_token", &"<redacted>")
            .field("id_token", &self.id_token.as_ref().map(|_| "<redacted>"))
            .field("refresh_token", &"<redacted>")
            .field("access_expires_at", &self.access_expires_at)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// How to sign out, and what each leaves valid.
///
/// | kind | request | the ID / access tokens already handed out | the refresh token |
/// |---|---|---|---|
/// | `Local` | none | valid until they expire | valid until it expires (forgotten here) |
/// | `Revoke` | `RevokeToken` | refused by Cognito's user APIs; still valid JWTs elsewhere until they expire | revoked |
/// | `Global` | `GlobalSignOut` | refused by Cognito's user APIs on every device; JWTs valid elsewhere until they expire | every refresh token of the user revoked |
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SignOutKind {
    /// Forget the tokens here; tell Cognito nothing.
    Local,
    /// `RevokeToken` with the refresh token, then forget.
    Revoke,
    /// `GlobalSignOut` with the access token (every device of the user), then forget.
    Global,
}

impl From<SignOutKind> for core_session::SignOutKind {
    fn from(kind: SignOutKind) -> Self {
        match kind {
            SignOutKind::Local => Self::Local,
            SignOutKind::Revoke => Self::Revoke,
            SignOutKind::Global => Self::Global,
        }
    }
}

impl From<core_session::SignOutKind> for SignOutKind {
    fn from(kind: core_session::SignOutKind) -> Self {
        match kind {
            core_session::SignOutKind::Local => Self::Local,
            core_session::SignOutKind::Revoke => Self::Revoke,
            core_session::SignOutKind::Global => Self::Global,
        }
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EndReason {
    /// The app signed out.
    SignedOut {
        /// How.
        kind: SignOutKind,
    },
    /// Cognito said the refresh token was revoked (`RevokeToken`, `GlobalSignOut`, an admin).
    RefreshTokenRevoked,
    /// The refresh token expired.
    RefreshTokenExpired,
    /// A rotated-out refresh token was used again (`RefreshTokenReuseException`).
    RefreshTokenReused,
    /// Cognito refused the refresh token for another reason (`NotAuthorizedException`).
    NotAuthorized,
    /// The user no longer exists.
    UserNotFound,
}

impl From<core_session::EndReason> for EndReason {
    fn from(reason: core_session::EndReason) -> Self {
        use core_session::EndReason as Core;
        match reason {
            Core::SignedOut(kind) => Self::SignedOut { kind: kind.into() },
            Core::RefreshTokenRevoked => Self::RefreshTokenRevoked,
            Core::RefreshTokenExpired => Self::RefreshTokenExpired,
            Core::RefreshTokenReused => Self::RefreshTokenReused,
            Core::NotAuthorized => Self::NotAuthorized,
            Core::UserNotFound => Self::UserNotFound,
        }
    }
}

/// The answer to `tokens_for_call`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TokensForCall {
    /// Make the call with these tokens.
    Fresh {
        /// The tokens.
        tokens: SessionTokens,
    },
    /// Send this refresh request first, then `handle_refresh_response` (or
    /// `refresh_failed_to_send` if it could not be sent), then ask again.
    Refresh {
        /// The request.
        request: HttpRequest,
    },
    /// Another caller's refresh is in flight: wait for it, then ask again.
    WaitForRefresh,
    /// The session is over: sign in again.
    Ended {
        /// Why.
        reason: EndReason,
    },
}

/// What a refresh response did. A refusal that keeps the session (throttling, a server
/// fault, a Lambda error) is thrown as `CognitoAuthError.Service` instead, and a body that is
/// not Cognito's as `UnexpectedResponse`: the old tokens are kept in both cases.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RefreshOutcome {
    /// New tokens. With `refresh_token_rotated`, store the session again.
    Refreshed {
        /// The new tokens.
        tokens: SessionTokens,
    },
    /// Cognito refused the refresh token: the session is over.
    Ended {
        /// Why.
        reason: EndReason,
    },
}

/// After `sign_out`: done, or the request that tells Cognito.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SignOutStep {
    /// Nothing to send (local sign-out).
    Done,
    /// Send this, then `handle_sign_out_response`. The session is already over here.
    SendRequest {
        /// The request.
        request: HttpRequest,
    },
}

/// A state change, for the UI.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SessionEvent {
    /// The session was made from a sign-in's tokens.
    SignedIn,
    /// The session was restored from storage.
    Restored,
    /// The tokens were refreshed.
    TokensRefreshed {
        /// When the new access token expires.
        access_expires_at: u64,
        /// A new refresh token replaced the old one: store the session again.
        refresh_token_rotated: bool,
    },
    /// Cognito refused the refresh token: the session is over.
    Ended {
        /// Why.
        reason: EndReason,
    },
    /// The app signed out.
    SignedOut {
        /// How.
        kind: SignOutKind,
    },
}

impl From<core_session::SessionEvent> for SessionEvent {
    fn from(event: core_session::SessionEvent) -> Self {
        use core_session::SessionEvent as Core;
        match event {
            Core::SignedIn => Self::SignedIn,
            Core::Restored => Self::Restored,
            Core::TokensRefreshed {
                access_expires_at,
                refresh_token_rotated,
            } => Self::TokensRefreshed {
                access_expires_at: access_expires_at.as_secs(),
                refresh_token_rotated,
            },
            Core::Ended(reason) => Self::Ended {
                reason: reason.into(),
            },
            Core::SignedOut(kind) => Self::SignedOut { kind: kind.into() },
        }
    }
}

/// The events `take_events` drained. A record rather than a list because
/// uniffi-bindgen-dart 0.2.0 cannot return a list from an object method.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionEvents {
    /// Oldest first.
    pub events: Vec<SessionEvent>,
}

/// Where a session is, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionStatus {
    /// It still holds tokens (not ended, not signed out).
    pub is_active: bool,
    /// A refresh is in flight.
    pub is_refreshing: bool,
    /// Why it ended, once it has.
    pub end_reason: Option<EndReason>,
    /// When the access token expires (Unix seconds), while active.
    pub access_expires_at: Option<u64>,
    /// The user's `sub`.
    pub sub: String,
    /// The canonical username (what `SECRET_HASH` is computed over).
    pub username: String,
    /// The remembered device's key, if any.
    pub device_key: Option<String>,
    /// The user pool.
    pub user_pool_id: String,
    /// The app client.
    pub client_id: String,
}

/// A session in its storage form. A record rather than a `String` because
/// uniffi-bindgen-dart 0.2.0 cannot return a `String` from an object method. `Debug` /
/// `toString` show no token.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct StoredSession {
    /// What `restore` (or `restore_sealed`) takes. Secret: it holds the refresh token.
    pub value: String,
}

impl fmt::Debug for StoredSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredSession")
            .field("value", &"<redacted>")
            .finish()
    }
}

/// A signed-in user's session: tokens kept fresh one refresh at a time, stored, signed out.
/// Thread-safe; each call holds the lock only while it runs (never across the network).
#[derive(uniffi::Object)]
pub struct UserSession {
    session: Mutex<core_session::Session>,
    endpoint: Endpoint,
}

impl fmt::Debug for UserSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSession")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl UserSession {
    fn wrap(session: core_session::Session, endpoint: Endpoint) -> Arc<Self> {
        Arc::new(Self {
            session: Mutex::new(session),
            endpoint,
        })
    }

    fn restored(
        config: ClientConfig,
        stored: String,
        key: Option<Vec<u8>>,
        options: SessionOptions,
    ) -> Result<Arc<Self>> {
        let stored = SecretString::from(stored);
        let client = Client::try_from(config)?;
        let options = options.into();
        let session = match key {
            Some(key) => {
                let key = session_key(key)?;
                core_session::Session::restore_sealed(client.config, stored.expose(), &key, options)
            }
            None => core_session::Session::restore(client.config, stored.expose(), options),
        }?;
        Ok(Self::wrap(session, client.endpoint))
    }
}

#[uniffi::export]
impl UserSession {
    /// The session of a finished sign-in (`SignInStep.Done`'s result) whose last response
    /// arrived at `received_at_unix_secs`. `remembered_device` is the device the sign-in was
    /// started with, if any: the session keeps the key of the device the sign-in confirmed, or
    /// else of that one (unless the sign-in found it forgotten).
    ///
    /// `InvalidInput` (`what: "tokens"`) for tokens that cannot make a session (no refresh
    /// token, not an access token, another app client).
    #[uniffi::constructor]
    pub fn from_sign_in(
        config: ClientConfig,
        result: SignInResult,
        remembered_device: Option<RememberedDevice>,
        received_at_unix_secs: u64,
        options: SessionOptions,
    ) -> Result<Arc<Self>> {
        let client = Client::try_from(config)?;
        let SignInResult {
            tokens,
            device,
            stale_device_forgotten,
        } = result;
        let signed_in = core_sign_in::SignedIn {
            tokens: authentication_result(tokens),
            device: match device {
                DeviceOutcome::Confirmed {
                    device,
                    user_confirmation_necessary,
                } => core_sign_in::DeviceOutcome::Confirmed {
                    device: device.into(),
                    user_confirmation_necessary,
                },
                // Only a confirmed device changes which key the session keeps.
                DeviceOutcome::NoNewDevice | DeviceOutcome::ConfirmFailed { .. } => {
                    core_sign_in::DeviceOutcome::NoNewDevice
                }
            },
            stale_device_forgotten,
        };
        let remembered = remembered_device.map(core_sign_in::RememberedDevice::from);
        let session = core_session::Session::from_sign_in(
            client.config,
            &signed_in,
            UnixTime::from_secs(received_at_unix_secs),
            remembered.as_ref(),
            options.into(),
        )?;
        Ok(Self::wrap(session, client.endpoint))
    }

    /// A session from tokens Cognito sent another way (a hosted-UI code exchange, a refresh
    /// the app made itself), received at `received_at_unix_secs`, for the remembered device
    /// `device_key` if any. `InvalidInput` as for `from_sign_in`.
    #[uniffi::constructor]
    pub fn from_tokens(
        config: ClientConfig,
        tokens: AuthTokens,
        device_key: Option<String>,
        received_at_unix_secs: u64,
        options: SessionOptions,
    ) -> Result<Arc<Self>> {
        let client = Client::try_from(config)?;
        let session = core_session::Session::new(
            client.config,
            &authentication_result(tokens),
            UnixTime::from_secs(received_at_unix_secs),
            device_key.as_deref(),
            options.into(),
        )?;
        Ok(Self::wrap(session, client.endpoint))
    }

    /// Rebuilds a session from `to_storage()`'s string. Fails with `SessionRestore` for a
    /// damaged value, another user pool or client, another version, or a sealed one (use
    /// `restore_sealed`). Queues `SessionEvent.Restored`.
    #[uniffi::constructor]
    pub fn restore(
        config: ClientConfig,
        stored: String,
        options: SessionOptions,
    ) -> Result<Arc<Self>> {
        Self::restored(config, stored, None, options)
    }

    /// `restore` for a value from `to_storage_sealed`: the seal is checked with `key` first,
    /// so an edited value is refused; a plain value is refused too.
    #[uniffi::constructor]
    pub fn restore_sealed(
        config: ClientConfig,
        stored: String,
        key: Vec<u8>,
        options: SessionOptions,
    ) -> Result<Arc<Self>> {
        Self::restored(config, stored, Some(key), options)
    }

    /// Tokens for a call made at `now_unix_secs`: fresh ones, the refresh request to send
    /// first, "wait, a refresh is in flight", or "the session is over".
    pub fn tokens_for_call(&self, now_unix_secs: u64) -> Result<TokensForCall> {
        let now = UnixTime::from_secs(now_unix_secs);
        let answer = self.session.lock()?.tokens_for_call(now)?;
        Ok(match answer {
            core_session::TokensForCall::Fresh(tokens) => TokensForCall::Fresh {
                tokens: SessionTokens::from_core(&tokens, now),
            },
            core_session::TokensForCall::Refresh(request) => TokensForCall::Refresh {
                request: HttpRequest::new(&self.endpoint, &request),
            },
            core_session::TokensForCall::WaitForRefresh => TokensForCall::WaitForRefresh,
            core_session::TokensForCall::Ended(reason) => TokensForCall::Ended {
                reason: reason.into(),
            },
        })
    }

    /// The response to the refresh request (its status, body and `x-amzn-ErrorType`
    /// header), received at `now_unix_secs`. Afterwards no refresh is in flight, whatever the
    /// result: a refusal that keeps the session is thrown as `Service` (see `retryable`), a
    /// body that is not Cognito's as `UnexpectedResponse`; `InvalidState` if no refresh was in
    /// flight (the session was signed out meanwhile).
    pub fn handle_refresh_response(
        &self,
        status: u16,
        body: Vec<u8>,
        error_type_header: Option<String>,
        now_unix_secs: u64,
    ) -> Result<RefreshOutcome> {
        let body = zeroize::Zeroizing::new(body);
        let response = HttpResponse::new(status, body.as_slice())
            .with_error_type(error_type_header.as_deref());
        let now = UnixTime::from_secs(now_unix_secs);
        let outcome = self
            .session
            .lock()?
            .handle_refresh_response(response, now)?;
        match outcome {
            core_session::RefreshOutcome::Refreshed(tokens) => Ok(RefreshOutcome::Refreshed {
                tokens: SessionTokens::from_core(&tokens, now),
            }),
            core_session::RefreshOutcome::Ended(reason) => Ok(RefreshOutcome::Ended {
                reason: reason.into(),
            }),
            core_session::RefreshOutcome::Failed(error) => Err(error.into()),
        }
    }

    /// The refresh request could not be sent or got no response (network error, timeout,
    /// cancellation): the tokens are kept and the next `tokens_for_call` builds the request
    /// again. Returns whether a refresh was in flight. Call it on every path that does not
    /// reach `handle_refresh_response`, or the session waits forever.
    pub fn refresh_failed_to_send(&self) -> Result<bool> {
        Ok(self.session.lock()?.refresh_failed_to_send())
    }

    /// Signs out: the session forgets its tokens now; for `Revoke` and `Global` it returns the
    /// request that tells Cognito. `SessionEnded` if it was already over.
    pub fn sign_out(&self, kind: SignOutKind) -> Result<SignOutStep> {
        let step = self.session.lock()?.sign_out(kind.into())?;
        Ok(match step {
            core_session::SignOut::Done => SignOutStep::Done,
            core_session::SignOut::Send(request) => SignOutStep::SendRequest {
                request: HttpRequest::new(&self.endpoint, &request),
            },
        })
    }

    /// The response to the sign-out request. `Service` if Cognito did not confirm it (when
    /// `retryable`, sending the same request again may still revoke the tokens); the session
    /// is over either way.
    pub fn handle_sign_out_response(
        &self,
        status: u16,
        body: Vec<u8>,
        error_type_header: Option<String>,
    ) -> Result<()> {
        let response = HttpResponse::new(status, body.as_slice())
            .with_error_type(error_type_header.as_deref());
        Ok(self.session.lock()?.handle_sign_out_response(response)?)
    }

    /// The state changes since the last call, oldest first.
    pub fn take_events(&self) -> Result<SessionEvents> {
        let events = self.session.lock()?.take_events();
        Ok(SessionEvents {
            events: events.into_iter().map(SessionEvent::from).collect(),
        })
    }

    /// Where the session is and whose it is.
    pub fn status(&self) -> Result<SessionStatus> {
        let session = self.session.lock()?;
        Ok(SessionStatus {
            is_active: session.is_active(),
            is_refreshing: session.is_refreshing(),
            end_reason: session.end_reason().map(EndReason::from),
            access_expires_at: session.access_expires_at().map(UnixTime::as_secs),
            sub: session.sub().to_owned(),
            username: session.username().to_owned(),
            device_key: session.device_key().map(str::to_owned),
            user_pool_id: session.user_pool().as_str().to_owned(),
            client_id: session.client_id().to_owned(),
        })
    }

    /// The session as a versioned string for storage (without the client secret):
    /// `StoredSession.value` is what `restore` takes. It holds the refresh token: keep it in
    /// Keychain / Keystore-protected storage. `SessionEnded` once the session is over (delete
    /// the stored value then).
    pub fn to_storage(&self) -> Result<StoredSession> {
        let stored = self.session.lock()?.to_storage()?;
        Ok(StoredSession {
            value: stored.expose().to_owned(),
        })
    }

    /// `to_storage`, sealed with the app's key (32 to 64 random bytes, kept apart from the
    /// value): `restore_sealed` with the same key refuses any edit.
    pub fn to_storage_sealed(&self, key: Vec<u8>) -> Result<StoredSession> {
        let key = session_key(key)?;
        let stored = self.session.lock()?.to_storage_sealed(&key)?;
        Ok(StoredSession {
            value: stored.expose().to_owned(),
        })
    }
}

/// The app's storage key, wiped once wrapped.
fn session_key(mut key: Vec<u8>) -> Result<core_session::SessionKey> {
    let wrapped = core_session::SessionKey::new(&key);
    zeroize::Zeroize::zeroize(&mut key);
    Ok(wrapped?)
}

/// The core's form of tokens the app hands back.
fn authentication_result(tokens: AuthTokens) -> AuthenticationResult {
    let AuthTokens {
        access_token,
        id_token,
        refresh_token,
        expires_in,
        token_type,
        new_device_metadata,
    } = tokens;
    AuthenticationResult {
        access_token: SecretString::from(access_token),
        id_token: id_token.map(SecretString::from),
        refresh_token: refresh_token.map(SecretString::from),
        expires_in,
        token_type,
        new_device_metadata: new_device_metadata.map(|device| CoreNewDeviceMetadata {
            device_key: device.device_key,
            device_group_key: device.device_group_key,
        }),
    }
}

display_as_debug!(SessionTokens, StoredSession);
