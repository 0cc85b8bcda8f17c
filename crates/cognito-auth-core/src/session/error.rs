//! [`SessionError`]: why a session call was refused. Never shows a token.

use core::fmt;

use super::events::EndReason;
use crate::account::AccountError;
use crate::jwt::JwtError;
use crate::wire::{ResponseError, ServiceError};

/// Why a [`Session`](super::Session) call was refused, or a stored session could not be
/// restored. Carries no token, no client secret and no response body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionError {
    /// The access token (or, for the username, the ID token) could not be read as a JWT.
    Token(JwtError),
    /// The token given as the access token says it is not one (`token_use` is not `access`).
    NotAnAccessToken,
    /// Neither the access token (`username`) nor the ID token (`cognito:username`) names the
    /// user.
    MissingUsername,
    /// The sign-in result has no refresh token: nothing to keep a session with.
    MissingRefreshToken,
    /// The tokens, or the stored session, belong to another user pool or app client.
    ClientMismatch,
    /// A refresh answered with tokens of another user (another `sub`): refused, the old tokens
    /// are kept.
    UserChanged,
    /// The session has ended (signed out, or the refresh token was refused): sign in again.
    Ended {
        /// Why it ended.
        reason: EndReason,
    },
    /// [`Session::handle_refresh_response`](super::Session::handle_refresh_response) without a
    /// refresh in flight (none was asked for, or the session was signed out meanwhile). The
    /// response is ignored.
    NoRefreshInFlight,
    /// [`Session::handle_sign_out_response`](super::Session::handle_sign_out_response) without
    /// a sign-out request in flight.
    NoSignOutInFlight,
    /// A 2xx response whose body is not what Cognito sends. For a refresh, the session and its
    /// old tokens are kept and another refresh may be tried.
    Response(ResponseError),
    /// Building a request failed (an account operation refused its input).
    Account(AccountError),
    /// Cognito did not confirm the sign-out request. The session has been forgotten locally
    /// anyway; if [`ServiceError::is_retryable`], sending the same request again may still
    /// revoke the tokens at Cognito.
    SignOutNotConfirmed(ServiceError),
    /// Not a stored session of this library (another prefix, or a version not written as `v`
    /// and a plain number).
    UnknownFormat,
    /// A stored session of a version this library does not read.
    UnsupportedVersion {
        /// The version found.
        version: u64,
    },
    /// The stored session is damaged (digest mismatch, bad base64 or JSON, a missing field or
    /// one of the wrong type, an expiry later than the access token's).
    Corrupted,
    /// A sealed stored session whose seal does not verify: edited, or sealed with another key.
    SealMismatch,
    /// A sealed stored session given to [`Session::restore`](super::Session::restore): restore
    /// it with its key.
    SealedNeedsKey,
    /// A plain stored session given to
    /// [`Session::restore_sealed`](super::Session::restore_sealed): with a key only sealed ones
    /// are accepted (a plain one could have been edited).
    NotSealed,
    /// A sealing key shorter than 32 or longer than 64 bytes.
    KeyLength {
        /// Bytes given.
        len: usize,
    },
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Token(e) => write!(f, "the session's token could not be read: {e}"),
            Self::NotAnAccessToken => f.write_str("the access token is not an access token"),
            Self::MissingUsername => f.write_str("no token names the user (username)"),
            Self::MissingRefreshToken => {
                f.write_str("the sign-in result has no refresh token to keep a session with")
            }
            Self::ClientMismatch => {
                f.write_str("the session belongs to another user pool or app client")
            }
            Self::UserChanged => {
                f.write_str("the refresh returned tokens of another user; they were refused")
            }
            Self::Ended { reason } => write!(f, "the session has ended: {reason}"),
            Self::NoRefreshInFlight => f.write_str("no refresh is in flight"),
            Self::NoSignOutInFlight => f.write_str("no sign-out request is in flight"),
            Self::Response(e) => write!(f, "unexpected response from Cognito: {e}"),
            Self::Account(e) => e.fmt(f),
            Self::SignOutNotConfirmed(e) => write!(
                f,
                "signed out locally, but Cognito did not confirm the sign-out: {e}"
            ),
            Self::UnknownFormat => f.write_str("not a stored cognito-auth session"),
            Self::UnsupportedVersion { version } => write!(
                f,
                "stored session version {version} is not supported (this library reads 1)"
            ),
            Self::Corrupted => f.write_str("the stored session is damaged"),
            Self::SealMismatch => f.write_str(
                "the sealed stored session does not verify: it was edited or sealed with another key",
            ),
            Self::SealedNeedsKey => f.write_str("the stored session is sealed: restore it with its key"),
            Self::NotSealed => f.write_str(
                "a sealing key was given but the stored session is not sealed; it is refused",
            ),
            Self::KeyLength { len } => write!(
                f,
                "a session sealing key has 32 to 64 bytes, this one has {len}"
            ),
        }
    }
}

impl core::error::Error for SessionError {}

impl From<JwtError> for SessionError {
    fn from(e: JwtError) -> Self {
        Self::Token(e)
    }
}
