//! The tokens a session holds ([`TokenSet`], private) and hands out ([`SessionTokens`]).

use alloc::string::String;

use super::error::SessionError;
use crate::jwt::{JwtClaims, TokenUse};
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::wire::AuthenticationResult;

/// Tokens valid for a call: put the access token (or the ID token) into the request.
/// `Debug` shows no token; the strings are wiped on drop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTokens {
    /// The access token, for Cognito's user APIs and most resource servers.
    pub access_token: SecretString,
    /// The ID token, when Cognito sent one.
    pub id_token: Option<SecretString>,
    /// The refresh token (the current one, after any rotation).
    pub refresh_token: SecretString,
    /// When the access (and ID) token expires, on this device's clock: the response's arrival
    /// plus the shorter of its `ExpiresIn` and the access token's lifetime (`exp - iat`), so
    /// a device clock that is off neither shortens nor stretches the session.
    pub access_expires_at: UnixTime,
}

impl SessionTokens {
    /// Seconds from `now` until the access token expires (0 once it has): the `ExpiresIn` to
    /// report.
    pub fn expires_in(&self, now: UnixTime) -> u64 {
        self.access_expires_at
            .as_secs()
            .saturating_sub(now.as_secs())
    }
}

/// Who the tokens belong to, read from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    /// `sub`.
    pub(crate) sub: String,
    /// The canonical username (`username` / `cognito:username`).
    pub(crate) username: String,
}

/// The tokens of a live session.
#[derive(Debug, Clone)]
pub(crate) struct TokenSet {
    pub(crate) access: SecretString,
    pub(crate) id: Option<SecretString>,
    pub(crate) refresh: SecretString,
    /// When the response with the access token arrived.
    pub(crate) received_at: UnixTime,
    pub(crate) access_expires_at: UnixTime,
}

impl TokenSet {
    /// Reads a sign-in or refresh result that arrived at `received_at`. `previous_refresh` is
    /// kept when the result has no refresh token (a refresh without rotation).
    pub(crate) fn from_result(
        result: &AuthenticationResult,
        received_at: UnixTime,
        previous_refresh: Option<&SecretString>,
        client_id: &str,
    ) -> Result<(Self, Identity), SessionError> {
        let refresh = match (&result.refresh_token, previous_refresh) {
            (Some(new), _) if !new.is_empty() => new.clone(),
            (_, Some(old)) => old.clone(),
            _ => return Err(SessionError::MissingRefreshToken),
        };
        let by_lifetime =
            UnixTime::from_secs(received_at.as_secs().saturating_add(result.expires_in));
        let tokens = Self {
            access: result.access_token.clone(),
            id: result.id_token.clone().filter(|t| !t.is_empty()),
            refresh,
            received_at,
            access_expires_at: by_lifetime,
        };
        tokens.checked(client_id)
    }

    /// Reads the claims, bounds the expiry by the access token's `exp` and checks the tokens
    /// were issued to `client_id`.
    pub(crate) fn checked(mut self, client_id: &str) -> Result<(Self, Identity), SessionError> {
        let access = JwtClaims::read(self.access.expose())?;
        let lifetime_end = self.lifetime_end(&access);
        if matches!(access.token_use, Some(ref usage) if *usage != TokenUse::Access) {
            return Err(SessionError::NotAnAccessToken);
        }
        if access
            .client_id
            .as_deref()
            .is_some_and(|id| id != client_id)
        {
            return Err(SessionError::ClientMismatch);
        }
        let username = match access.username {
            Some(username) if !username.is_empty() => username,
            _ => {
                let id_token = self.id.as_ref().ok_or(SessionError::MissingUsername)?;
                let claims = JwtClaims::read(id_token.expose())?;
                if claims.sub != access.sub {
                    return Err(SessionError::UserChanged);
                }
                claims
                    .username
                    .filter(|name| !name.is_empty())
                    .ok_or(SessionError::MissingUsername)?
            }
        };
        self.access_expires_at = self.access_expires_at.min(lifetime_end);
        Ok((
            self,
            Identity {
                sub: access.sub,
                username,
            },
        ))
    }

    /// When the access token expires by its own claims, on this device's clock: its lifetime
    /// (`exp - iat`, both stamped by Cognito's clock) counted from the response's arrival.
    /// Comparing `exp` with the device's clock instead would shorten the session by the
    /// device's clock error, and a device an hour fast would refresh before every call. A
    /// token without `iat` is bounded by `exp` itself.
    fn lifetime_end(&self, access: &JwtClaims) -> UnixTime {
        match access.iat {
            Some(issued) => UnixTime::from_secs(
                self.received_at
                    .as_secs()
                    .saturating_add(access.exp.as_secs().saturating_sub(issued.as_secs())),
            ),
            None => access.exp,
        }
    }

    /// Whether the access token is still good at `now` with `margin_secs` to spare. The
    /// margin is at most half the lifetime the tokens arrived with.
    pub(crate) fn is_fresh(&self, now: UnixTime, margin_secs: u64) -> bool {
        let lifetime = self
            .access_expires_at
            .as_secs()
            .saturating_sub(self.received_at.as_secs());
        let margin = margin_secs.min(lifetime / 2);
        now.as_secs().saturating_add(margin) < self.access_expires_at.as_secs()
    }

    /// Copies for the caller.
    pub(crate) fn to_public(&self) -> SessionTokens {
        SessionTokens {
            access_token: self.access.clone(),
            id_token: self.id.clone(),
            refresh_token: self.refresh.clone(),
            access_expires_at: self.access_expires_at,
        }
    }
}
