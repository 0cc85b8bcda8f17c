//! [`Session`]: the state machine. Every state change goes through [`Session::move_to`].

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::error::SessionError;
use super::events::{EndReason, SessionEvent, SignOutKind};
use super::options::{RefreshMethod, SessionOptions};
use super::tokens::{Identity, SessionTokens, TokenSet};
use crate::account::{
    AccountError, AccountOperation, GetTokensFromRefreshToken, GlobalSignOut, RefreshTokenAuth,
    RevokeToken,
};
use crate::client::ClientConfig;
use crate::sign_in::{DeviceOutcome, RememberedDevice, SignedIn};
use crate::time::UnixTime;
use crate::user_pool_id::UserPoolId;
use crate::wire::{AuthenticationResult, HttpResponse, Request, ServiceError};

/// Most events kept for [`Session::take_events`]; older ones are dropped first.
pub const MAX_QUEUED_EVENTS: usize = 32;

/// What [`Session::tokens_for_call`] says to do.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "the answer says whether to make the call, refresh first, wait, or sign in again"]
// Exhaustive on purpose: the bindings mirror this enum, and a new variant must be a
// compile error there, not a silent default.
pub enum TokensForCall {
    /// The tokens are good for at least the margin: make the call with them.
    Fresh(SessionTokens),
    /// Send this refresh request first, then pass its response to
    /// [`Session::handle_refresh_response`] (or call [`Session::refresh_failed_to_send`] if it
    /// could not be sent). Until then every other caller is told to wait.
    Refresh(Request),
    /// Another caller's refresh is in flight: wait for it to finish, then ask again.
    WaitForRefresh,
    /// The session is over: sign in again.
    Ended(EndReason),
}

/// What a refresh response did.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a refresh outcome says whether the session goes on"]
// Exhaustive on purpose: the bindings mirror this enum, and a new variant must be a
// compile error there, not a silent default.
pub enum RefreshOutcome {
    /// New tokens; with rotation the refresh token is new too (the old one is gone).
    Refreshed(SessionTokens),
    /// Cognito refused the refresh token: the session is over and holds no token.
    Ended(EndReason),
    /// Cognito refused for another reason (throttling, its own fault, a Lambda trigger): the
    /// session and its tokens are kept, no refresh is in flight any more. Try again later if
    /// [`ServiceError::is_retryable`].
    Failed(ServiceError),
}

/// What [`Session::sign_out`] says to do.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a revoke or global sign-out is only done at Cognito once its request is sent"]
// Exhaustive on purpose: the bindings mirror this enum, and a new variant must be a
// compile error there, not a silent default.
pub enum SignOut {
    /// Nothing to send (local sign-out): done.
    Done,
    /// Send this request (`RevokeToken` or `GlobalSignOut`) and pass the response to
    /// [`Session::handle_sign_out_response`]. The session has already forgotten its tokens.
    Send(Request),
}

/// The refresh request in flight.
enum PendingRefresh {
    Rotating(GetTokensFromRefreshToken),
    Legacy(RefreshTokenAuth),
}

impl PendingRefresh {
    fn parse(&self, response: HttpResponse<'_>) -> Result<AuthenticationResult, AccountError> {
        match self {
            Self::Rotating(op) => op.parse_response(response),
            Self::Legacy(op) => op.parse_response(response),
        }
    }
}

/// The sign-out request in flight.
enum PendingSignOut {
    Revoke(RevokeToken),
    Global(GlobalSignOut),
}

enum State {
    /// Signed in, nothing in flight.
    Active(TokenSet),
    /// A refresh request is out; the old tokens are kept until it answers.
    Refreshing {
        tokens: TokenSet,
        refresh: PendingRefresh,
    },
    /// Signed out locally; Cognito's answer to the sign-out request is awaited.
    SigningOut(SignOutKind, PendingSignOut),
    /// Over: no token is held.
    Ended(EndReason),
}

/// A signed-in user's session: the tokens, kept fresh one refresh at a time. Sans-IO: it
/// builds requests and reads responses; the app sends them, and passes the time in.
///
/// See the [module documentation](super) for the call order and how a platform layer waits
/// for a refresh in flight. `Debug` shows no token.
pub struct Session {
    pub(crate) client: ClientConfig,
    pub(crate) options: SessionOptions,
    pub(crate) identity: Identity,
    pub(crate) device_key: Option<String>,
    state: State,
    events: VecDeque<SessionEvent>,
}

impl Session {
    /// A session from a finished sign-in whose last response arrived at `received_at`.
    ///
    /// The device key is that of the device the sign-in confirmed ([`DeviceOutcome::Confirmed`])
    /// or else of `remembered`, the device the sign-in was started with. Queues
    /// [`SessionEvent::SignedIn`].
    pub fn from_sign_in(
        client: ClientConfig,
        signed_in: &SignedIn,
        received_at: UnixTime,
        remembered: Option<&RememberedDevice>,
        options: SessionOptions,
    ) -> Result<Self, SessionError> {
        let device_key = match &signed_in.device {
            DeviceOutcome::Confirmed { device, .. } => Some(device.device_key.as_str()),
            _ if signed_in.stale_device_forgotten => None,
            _ => remembered.map(|device| device.device_key.as_str()),
        };
        Self::new(client, &signed_in.tokens, received_at, device_key, options)
    }

    /// A session from tokens Cognito sent (an `AuthenticationResult` that arrived at
    /// `received_at`, with a refresh token), for the device `device_key` if one is
    /// remembered. Queues [`SessionEvent::SignedIn`].
    pub fn new(
        client: ClientConfig,
        tokens: &AuthenticationResult,
        received_at: UnixTime,
        device_key: Option<&str>,
        options: SessionOptions,
    ) -> Result<Self, SessionError> {
        let (tokens, identity) =
            TokenSet::from_result(tokens, received_at, None, client.client_id())?;
        let mut session = Self::from_parts(client, options, identity, device_key, tokens);
        session.push_event(SessionEvent::SignedIn);
        Ok(session)
    }

    pub(crate) fn from_parts(
        client: ClientConfig,
        options: SessionOptions,
        identity: Identity,
        device_key: Option<&str>,
        tokens: TokenSet,
    ) -> Self {
        Self {
            client,
            options,
            identity,
            device_key: device_key.filter(|key| !key.is_empty()).map(String::from),
            state: State::Active(tokens),
            events: VecDeque::new(),
        }
    }

    /// Tokens for a call made at `now`: fresh ones, the refresh request to send first, "wait,
    /// a refresh is in flight", or "the session is over".
    ///
    /// One refresh at a time: after this returns [`TokensForCall::Refresh`], every call
    /// returns [`TokensForCall::WaitForRefresh`] until the response is handled
    /// ([`Session::handle_refresh_response`]) or the send failed
    /// ([`Session::refresh_failed_to_send`]).
    pub fn tokens_for_call(&mut self, now: UnixTime) -> Result<TokensForCall, SessionError> {
        match &self.state {
            State::Active(tokens) if tokens.is_fresh(now, self.options.refresh_margin_secs()) => {
                Ok(TokensForCall::Fresh(tokens.to_public()))
            }
            State::Active(tokens) => {
                let refresh = self.refresh_operation(tokens);
                let request = match &refresh {
                    PendingRefresh::Rotating(op) => op.request(&self.client),
                    PendingRefresh::Legacy(op) => op.request(&self.client),
                }
                .map_err(SessionError::Account)?;
                self.move_to(|state| match state {
                    State::Active(tokens) => State::Refreshing { tokens, refresh },
                    other => other,
                });
                Ok(TokensForCall::Refresh(request))
            }
            State::Refreshing { .. } => Ok(TokensForCall::WaitForRefresh),
            State::SigningOut(kind, _) => Ok(TokensForCall::Ended(EndReason::SignedOut(*kind))),
            State::Ended(reason) => Ok(TokensForCall::Ended(*reason)),
        }
    }

    fn refresh_operation(&self, tokens: &TokenSet) -> PendingRefresh {
        let refresh = tokens.refresh.clone();
        match (self.options.refresh_method(), &self.device_key) {
            (RefreshMethod::GetTokensFromRefreshToken, None) => {
                PendingRefresh::Rotating(GetTokensFromRefreshToken::new(refresh))
            }
            (RefreshMethod::GetTokensFromRefreshToken, Some(key)) => PendingRefresh::Rotating(
                GetTokensFromRefreshToken::new(refresh).with_device_key(key),
            ),
            (RefreshMethod::RefreshTokenAuth, device_key) => {
                let op = RefreshTokenAuth::new(refresh, &self.identity.username);
                PendingRefresh::Legacy(match device_key {
                    Some(key) => op.with_device_key(key),
                    None => op,
                })
            }
        }
    }

    /// The response to the refresh request, received at `now`.
    ///
    /// - 2xx: the new tokens replace the old ones. A new refresh token (rotation) replaces the
    ///   old one, which is never sent again; without one the old refresh token is kept. The ID
    ///   token is the response's (none if it has none: an old one would outlive its expiry).
    ///   Queues [`SessionEvent::TokensRefreshed`].
    /// - `NotAuthorizedException`, `RefreshTokenReuseException`, `UserNotFoundException`:
    ///   [`RefreshOutcome::Ended`] with the reason; the tokens are forgotten. Queues
    ///   [`SessionEvent::Ended`].
    /// - any other refusal: [`RefreshOutcome::Failed`]; the session keeps its tokens.
    ///
    /// A body that is not Cognito's, or tokens of another user or client, are an error and the
    /// session keeps its old tokens. In every case no refresh is in flight afterwards.
    pub fn handle_refresh_response(
        &mut self,
        response: HttpResponse<'_>,
        now: UnixTime,
    ) -> Result<RefreshOutcome, SessionError> {
        let State::Refreshing { tokens, refresh } = &self.state else {
            return Err(SessionError::NoRefreshInFlight);
        };
        let parsed = refresh.parse(response);
        let next = match parsed {
            Ok(result) => {
                TokenSet::from_result(&result, now, Some(&tokens.refresh), self.client.client_id())
                    .and_then(|(new, identity)| {
                        if identity.sub == self.identity.sub {
                            let rotated = new.refresh != tokens.refresh;
                            Ok((new, rotated))
                        } else {
                            Err(SessionError::UserChanged)
                        }
                    })
            }
            Err(AccountError::Service(error)) => {
                return Ok(match EndReason::of_refresh_error(&error) {
                    Some(reason) => {
                        self.end(reason);
                        RefreshOutcome::Ended(reason)
                    }
                    None => {
                        self.back_to_active();
                        RefreshOutcome::Failed(error)
                    }
                });
            }
            Err(AccountError::Response(error)) => Err(SessionError::Response(error)),
            Err(other) => Err(SessionError::Account(other)),
        };
        match next {
            Ok((new, rotated)) => {
                let public = new.to_public();
                self.move_to(|_| State::Active(new));
                self.push_event(SessionEvent::TokensRefreshed {
                    access_expires_at: public.access_expires_at,
                    refresh_token_rotated: rotated,
                });
                Ok(RefreshOutcome::Refreshed(public))
            }
            Err(error) => {
                self.back_to_active();
                Err(error)
            }
        }
    }

    /// The refresh request could not be sent, or no response came (a network error, a
    /// timeout, the app going to the background): no refresh is in flight any more, the
    /// tokens are kept, and the next [`Session::tokens_for_call`] builds the request again.
    /// Returns whether a refresh was in flight.
    pub fn refresh_failed_to_send(&mut self) -> bool {
        let was = matches!(self.state, State::Refreshing { .. });
        self.back_to_active();
        was
    }

    /// Signs out. The session forgets its tokens **now** (also when the request below is never
    /// sent or fails) and queues [`SessionEvent::SignedOut`]; for [`SignOutKind::Revoke`] and
    /// [`SignOutKind::Global`] it returns the request that tells Cognito. See
    /// [`SignOutKind`] for what each leaves valid.
    ///
    /// A refresh in flight is abandoned: its response is refused
    /// ([`SessionError::NoRefreshInFlight`]). `Global` sends the current access token, which
    /// Cognito refuses once expired: call [`Session::tokens_for_call`] first if it may have.
    pub fn sign_out(&mut self, kind: SignOutKind) -> Result<SignOut, SessionError> {
        let tokens = match &self.state {
            State::Active(tokens) | State::Refreshing { tokens, .. } => tokens,
            State::SigningOut(kind, _) => {
                return Err(SessionError::Ended {
                    reason: EndReason::SignedOut(*kind),
                });
            }
            State::Ended(reason) => return Err(SessionError::Ended { reason: *reason }),
        };
        let pending = match kind {
            SignOutKind::Local => None,
            SignOutKind::Revoke => Some(PendingSignOut::Revoke(RevokeToken::new(
                tokens.refresh.clone(),
            ))),
            SignOutKind::Global => Some(PendingSignOut::Global(GlobalSignOut::new(
                tokens.access.clone(),
            ))),
        };
        let request = match &pending {
            None => None,
            Some(PendingSignOut::Revoke(op)) => Some(op.request(&self.client)),
            Some(PendingSignOut::Global(op)) => Some(op.request(&self.client)),
        }
        .transpose()
        .map_err(SessionError::Account)?;
        self.move_to(|_| match pending {
            Some(pending) => State::SigningOut(kind, pending),
            None => State::Ended(EndReason::SignedOut(kind)),
        });
        self.push_event(SessionEvent::SignedOut(kind));
        Ok(match request {
            Some(request) => SignOut::Send(request),
            None => SignOut::Done,
        })
    }

    /// The response to the sign-out request. The session is over afterwards whatever the
    /// answer; an error says Cognito did not confirm ([`SessionError::SignOutNotConfirmed`]:
    /// when retryable, sending the same request again may still succeed).
    pub fn handle_sign_out_response(
        &mut self,
        response: HttpResponse<'_>,
    ) -> Result<(), SessionError> {
        let State::SigningOut(kind, pending) = &self.state else {
            return Err(SessionError::NoSignOutInFlight);
        };
        let kind = *kind;
        let result = match pending {
            PendingSignOut::Revoke(op) => op.parse_response(response),
            PendingSignOut::Global(op) => op.parse_response(response),
        };
        self.move_to(|_| State::Ended(EndReason::SignedOut(kind)));
        match result {
            Ok(()) => Ok(()),
            Err(AccountError::Service(error)) => Err(SessionError::SignOutNotConfirmed(error)),
            Err(AccountError::Response(error)) => Err(SessionError::Response(error)),
            Err(other) => Err(SessionError::Account(other)),
        }
    }

    /// The events queued since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<SessionEvent> {
        self.events.drain(..).collect()
    }

    /// Whether the session still holds tokens (it has not ended or been signed out).
    pub fn is_active(&self) -> bool {
        matches!(self.state, State::Active(_) | State::Refreshing { .. })
    }

    /// Whether a refresh request is in flight.
    pub fn is_refreshing(&self) -> bool {
        matches!(self.state, State::Refreshing { .. })
    }

    /// Why the session ended, once it has (a sign-out in flight counts as ended).
    pub fn end_reason(&self) -> Option<EndReason> {
        match &self.state {
            State::Active(_) | State::Refreshing { .. } => None,
            State::SigningOut(kind, _) => Some(EndReason::SignedOut(*kind)),
            State::Ended(reason) => Some(*reason),
        }
    }

    /// When the access token expires, while the session holds one.
    pub fn access_expires_at(&self) -> Option<UnixTime> {
        self.tokens().map(|tokens| tokens.access_expires_at)
    }

    /// The user's `sub` (read, unverified, from the access token).
    pub fn sub(&self) -> &str {
        &self.identity.sub
    }

    /// The user's canonical Cognito username (the access token's `username`).
    pub fn username(&self) -> &str {
        &self.identity.username
    }

    /// The remembered device's key, if any.
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// The user pool the session belongs to.
    pub fn user_pool(&self) -> &UserPoolId {
        self.client.user_pool()
    }

    /// The app client id the session belongs to.
    pub fn client_id(&self) -> &str {
        self.client.client_id()
    }

    /// The options in force.
    pub fn options(&self) -> SessionOptions {
        self.options
    }

    pub(crate) fn tokens(&self) -> Option<&TokenSet> {
        match &self.state {
            State::Active(tokens) | State::Refreshing { tokens, .. } => Some(tokens),
            State::SigningOut(..) | State::Ended(_) => None,
        }
    }

    /// The one place the state changes. The old state (and any token in it) is dropped,
    /// which wipes it.
    fn move_to(&mut self, next: impl FnOnce(State) -> State) {
        let placeholder = State::Ended(EndReason::SignedOut(SignOutKind::Local));
        let old = core::mem::replace(&mut self.state, placeholder);
        self.state = next(old);
    }

    fn back_to_active(&mut self) {
        self.move_to(|state| match state {
            State::Refreshing { tokens, .. } => State::Active(tokens),
            other => other,
        });
    }

    fn end(&mut self, reason: EndReason) {
        self.move_to(|_| State::Ended(reason));
        self.push_event(SessionEvent::Ended(reason));
    }

    fn push_event(&mut self, event: SessionEvent) {
        if self.events.len() >= MAX_QUEUED_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    pub(crate) fn push_restored_event(&mut self) {
        self.push_event(SessionEvent::Restored);
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Active(_) => "Active",
            State::Refreshing { .. } => "Refreshing",
            State::SigningOut(..) => "SigningOut",
            State::Ended(_) => "Ended",
        };
        f.debug_struct("Session")
            .field("client", &self.client)
            .field("sub", &self.identity.sub)
            .field("username", &self.identity.username)
            .field("device_key", &self.device_key)
            .field("state", &state)
            .field("end_reason", &self.end_reason())
            .field("access_expires_at", &self.access_expires_at())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
