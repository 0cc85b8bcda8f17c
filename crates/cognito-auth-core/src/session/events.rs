//! What the UI hears: [`SessionEvent`], and why a session ended ([`EndReason`]).

use core::fmt;

use crate::time::UnixTime;
use crate::wire::{ServiceError, ServiceErrorKind};

/// How to sign out. What each leaves valid at Cognito (sources: the Cognito API reference for
/// `RevokeToken` and `GlobalSignOut`, and the developer guide's "Revoking tokens"):
///
/// | kind | request | the refresh token | access / ID tokens |
/// |---|---|---|---|
/// | [`Local`](Self::Local) | none | **still valid** until it expires (30 days by default) | **still valid** until they expire (1 hour by default) |
/// | [`Revoke`](Self::Revoke) | `RevokeToken` | revoked | those issued from this refresh token are refused by Cognito's user APIs; the user's other refresh tokens (other devices) are not affected |
/// | [`Global`](Self::Global) | `GlobalSignOut` | **every** refresh token of the user, on every device, is refused | refused by Cognito's user APIs ("Access Token has been revoked"); other requests "might be valid until your user's token expires" |
///
/// In every case the tokens are JWTs: a resource server that only checks their signature and
/// `exp` keeps accepting them until they expire. Only Cognito knows about the revocation.
/// `RevokeToken` needs token revocation enabled on the app client (the default for clients
/// created since 2021; otherwise `UnsupportedOperationException`); `GlobalSignOut` needs an
/// access token that has not expired and carries the `aws.cognito.signin.user.admin` scope.
/// Neither clears a managed-login (hosted UI) cookie: that takes the `/logout` endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignOutKind {
    /// Forget the tokens on this device only. No request.
    Local,
    /// `RevokeToken` with the refresh token, then forget.
    Revoke,
    /// `GlobalSignOut` with the access token, then forget.
    Global,
}

/// Why a session ended. After this the session holds no token: sign in again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndReason {
    /// The app signed out.
    SignedOut(SignOutKind),
    /// `NotAuthorizedException` "Refresh Token has been revoked": by `RevokeToken`,
    /// `GlobalSignOut` (on any device) or an administrator.
    RefreshTokenRevoked,
    /// `NotAuthorizedException` "Refresh Token has expired": past the app client's refresh
    /// token validity (30 days by default).
    RefreshTokenExpired,
    /// `RefreshTokenReuseException`: with rotation, a refresh token that was already rotated
    /// out (after the client's grace period) was sent again; Cognito treats that as theft.
    RefreshTokenReused,
    /// Another `NotAuthorizedException` to the refresh (an invalid refresh token, a disabled
    /// user, or a wrong client secret: "Unable to verify secret hash").
    NotAuthorized,
    /// `UserNotFoundException`: the user was deleted.
    UserNotFound,
}

impl EndReason {
    /// The reason a refresh refusal ends the session, or `None` when the session is kept
    /// (throttling, Cognito's own faults, a Lambda trigger's error, ...).
    pub(crate) fn of_refresh_error(error: &ServiceError) -> Option<Self> {
        match error.kind() {
            ServiceErrorKind::RefreshTokenReuse => Some(Self::RefreshTokenReused),
            ServiceErrorKind::UserNotFound => Some(Self::UserNotFound),
            ServiceErrorKind::NotAuthorized => {
                let message = error.message().to_ascii_lowercase();
                Some(if message.contains("revoked") {
                    Self::RefreshTokenRevoked
                } else if message.contains("expired") {
                    Self::RefreshTokenExpired
                } else {
                    Self::NotAuthorized
                })
            }
            _ => None,
        }
    }
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SignedOut(SignOutKind::Local) => "signed out on this device",
            Self::SignedOut(SignOutKind::Revoke) => "signed out, refresh token revoked",
            Self::SignedOut(SignOutKind::Global) => "signed out on every device",
            Self::RefreshTokenRevoked => "the refresh token has been revoked",
            Self::RefreshTokenExpired => "the refresh token has expired",
            Self::RefreshTokenReused => "the refresh token was already used (rotation)",
            Self::NotAuthorized => "Cognito refused the refresh token",
            Self::UserNotFound => "the user no longer exists",
        })
    }
}

/// A change of the session's state, for the UI. Queued by the session (at most
/// [`MAX_QUEUED_EVENTS`](super::MAX_QUEUED_EVENTS), the oldest dropped first) and read with
/// [`Session::take_events`](super::Session::take_events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionEvent {
    /// A session was made from a finished sign-in.
    SignedIn,
    /// A session was restored from storage.
    Restored,
    /// New tokens arrived.
    TokensRefreshed {
        /// When the new access token expires.
        access_expires_at: UnixTime,
        /// A new refresh token replaced the old one (rotation).
        refresh_token_rotated: bool,
    },
    /// Cognito refused the refresh token: the session is over.
    Ended(EndReason),
    /// The app signed out (the tokens are forgotten from this moment).
    SignedOut(SignOutKind),
}
