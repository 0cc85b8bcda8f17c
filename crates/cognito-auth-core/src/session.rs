//! The signed-in session: tokens kept fresh, one refresh at a time, stored and signed out.
//! Sans-IO like [`sign_in`](crate::sign_in): requests out, responses in, `now` passed in.
//!
//! A [`Session`] is made from a finished sign-in ([`Session::from_sign_in`]) or restored from
//! storage ([`Session::restore`]). It holds the ID, access and refresh tokens, when the access
//! token expires (on the device's clock: the response's arrival plus the shorter of
//! `ExpiresIn` and the token's own lifetime `exp - iat`, so a wrong device clock does not
//! matter), the user's `sub` and canonical username (read, unverified, from the access
//! token), the remembered device's key and the app client it belongs to.
//!
//! ```text
//!  new, from_sign_in, restore
//!        │
//!        v          tokens_for_call (within the margin)
//!     Active ─────────────────────────────────────────> Refreshing
//!        ^                                                  │
//!        ├──── 2xx: new tokens ─────────────────────────────┤
//!        └──── Failed (429, 5xx, Lambda), bad body, ────────┤
//!              refresh_failed_to_send                       │ NotAuthorized, RefreshTokenReuse,
//!                                                           v UserNotFound
//!                                                      Ended(reason)
//!  Active or Refreshing, sign_out:
//!     Local  ─────────────────────────────────────────────> Ended(SignedOut)
//!     Revoke, Global ──> SigningOut ──(sign-out response)──> Ended(SignedOut)
//! ```
//!
//! # The loop
//!
//! Before each call made as the user, ask [`Session::tokens_for_call`]:
//!
//! | answer | do |
//! |---|---|
//! | [`TokensForCall::Fresh`] | make the call with these tokens |
//! | [`TokensForCall::Refresh`] | send the request, then [`Session::handle_refresh_response`] (or [`Session::refresh_failed_to_send`] on a network error), then ask again |
//! | [`TokensForCall::WaitForRefresh`] | another caller's refresh is in flight: wait for it, then ask again |
//! | [`TokensForCall::Ended`] | the session is over (and says why): sign in again |
//!
//! The refresh uses `GetTokensFromRefreshToken` ([`RefreshMethod`] names the legacy
//! `REFRESH_TOKEN_AUTH` for clients that do not allow it), with the device key and, for a
//! client with a secret, the secret or `SECRET_HASH` over the canonical username: the
//! [`account`](crate::account) operations build the requests. A rotated refresh token replaces
//! the old one, which is never sent again.
//!
//! # One refresh at a time
//!
//! The session is a plain value: the platform layer owns it behind one lock and never holds
//! the lock across the network. While a refresh is in flight every other caller gets
//! [`TokensForCall::WaitForRefresh`]; how it waits is the platform's choice:
//!
//! - **Mutex + condition / notification** (Kotlin `Mutex`, Python `threading.Condition`):
//!   take the lock, ask; on `Refresh` release the lock, send, retake the lock, hand the
//!   response in, then wake the waiters; on `WaitForRefresh` wait on the condition and ask again.
//! - **Actor** (Swift `actor`): the actor owns the session; the caller that got `Refresh` keeps
//!   a `Task` for the request in the actor, and callers that get `WaitForRefresh` await that
//!   task, then ask again.
//! - **Single-flight future** (Dart, JS): keep the pending refresh `Future`; waiters await it.
//!
//! Whatever the shape, every `Refresh` must be followed by
//! [`Session::handle_refresh_response`] or [`Session::refresh_failed_to_send`] (also on a
//! timeout or cancellation), or the session waits forever.
//!
//! # Events
//!
//! State changes queue a [`SessionEvent`] (signed in, restored, tokens refreshed, ended and
//! why, signed out); the platform layer drains them with [`Session::take_events`] after each
//! call and forwards them to the UI (a `Flow`, an `AsyncStream`, a `Stream`, a callback).
//!
//! # Sign-out
//!
//! [`Session::sign_out`] forgets the tokens at once and, for [`SignOutKind::Revoke`] and
//! [`SignOutKind::Global`], returns the request that tells Cognito. [`SignOutKind`] has the
//! table of what each leaves valid.
//!
//! # Storage
//!
//! [`Session::to_storage`] / [`Session::restore`] (and the sealed forms with a [`SessionKey`]):
//! a versioned string like the sign-in snapshot, without the client secret. See
//! [`Session::to_storage`] for the format.
//!
//! # Example
//!
//! ```
//! use cognito_auth_core::session::{
//!     RefreshOutcome, Session, SessionEvent, SessionOptions, TokensForCall,
//! };
//! use cognito_auth_core::sign_in::ClientConfig;
//! use cognito_auth_core::wire::{AuthenticationResult, HttpResponse};
//! use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
//! # use base64::Engine as _;
//! # fn jwt(exp: u64) -> String {
//! #     let part = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
//! #     format!("{}.{}.{}", part(r#"{"alg":"RS256"}"#), part(&format!(
//! #         r#"{{"sub":"94c84468-e0c1-7003-e7b6-32be2c3bd6ee","username":"alice","token_use":"access","client_id":"client-id","exp":{exp}}}"#
//! #     )), part("sig"))
//! # }
//! # let signed_in_at = 1_800_000_000;
//! # let first_access_token = jwt(signed_in_at + 3600);
//! # let new_access_token = jwt(signed_in_at + 3600 + 3400 + 3600);
//!
//! let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
//! // The tokens of a finished sign-in (`SignedIn::tokens`; `Session::from_sign_in` takes it whole).
//! let body = format!(
//!     r#"{{"AuthenticationResult":{{"AccessToken":"{first_access_token}","ExpiresIn":3600,"RefreshToken":"refresh-1"}}}}"#
//! );
//! # let tokens: AuthenticationResult = {
//! #     use cognito_auth_core::account::{AccountOperation, GetTokensFromRefreshToken};
//! #     GetTokensFromRefreshToken::new(SecretString::new("x")).parse_response(HttpResponse::new(200, body.as_bytes()))?
//! # };
//! let now = UnixTime::from_secs(signed_in_at);
//! let mut session = Session::new(client, &tokens, now, None, SessionOptions::default())?;
//! assert_eq!(session.username(), "alice");
//!
//! // A call now: the tokens are fresh.
//! let TokensForCall::Fresh(fresh) = session.tokens_for_call(now)? else { unreachable!() };
//! assert_eq!(fresh.expires_in(now), 3600);
//!
//! // 3400 s later, within the 5-minute margin: refresh first; a second caller must wait.
//! let later = UnixTime::from_secs(signed_in_at + 3400);
//! let TokensForCall::Refresh(request) = session.tokens_for_call(later)? else { unreachable!() };
//! assert_eq!(request.operation().name(), "GetTokensFromRefreshToken");
//! assert_eq!(session.tokens_for_call(later)?, TokensForCall::WaitForRefresh);
//!
//! // The app sends `request` and hands the response back: here, with a rotated refresh token.
//! let response = format!(
//!     r#"{{"AuthenticationResult":{{"AccessToken":"{new_access_token}","ExpiresIn":3600,"RefreshToken":"refresh-2"}}}}"#
//! );
//! let outcome = session.handle_refresh_response(HttpResponse::new(200, response.as_bytes()), later)?;
//! let RefreshOutcome::Refreshed(tokens) = outcome else { unreachable!() };
//! assert_eq!(tokens.refresh_token.expose(), "refresh-2");
//!
//! // Everyone's call goes ahead with the new tokens; the UI hears what happened.
//! assert!(matches!(session.tokens_for_call(later)?, TokensForCall::Fresh(_)));
//! let events = session.take_events();
//! assert_eq!(events[0], SessionEvent::SignedIn);
//! assert!(matches!(events[1], SessionEvent::TokensRefreshed { refresh_token_rotated: true, .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod events;
mod machine;
mod options;
mod storage;
mod tokens;

#[cfg(test)]
mod tests;

pub use error::SessionError;
pub use events::{EndReason, SessionEvent, SignOutKind};
pub use machine::{MAX_QUEUED_EVENTS, RefreshOutcome, Session, SignOut, TokensForCall};
pub use options::{RefreshMethod, SessionOptions};
pub use storage::SessionKey;
pub use tokens::SessionTokens;
