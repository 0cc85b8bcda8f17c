//! [`SessionOptions`]: when to refresh and with which operation.

/// How a session refreshes its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
// Exhaustive on purpose: the bindings mirror this enum, and a new variant must be a
// compile error there, not a silent default.
pub enum RefreshMethod {
    /// `GetTokensFromRefreshToken` (the default, what every Amplify library calls since 2025).
    /// Works with and without refresh-token rotation; the only operation that works with it.
    #[default]
    GetTokensFromRefreshToken,
    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`, for app clients that do not allow
    /// `GetTokensFromRefreshToken`. Never rotates; `SECRET_HASH` is computed over the user's
    /// canonical username (the access token's `username` claim).
    RefreshTokenAuth,
}

/// When a [`Session`](super::Session) refreshes and how.
///
/// ```
/// use cognito_auth_core::session::{RefreshMethod, SessionOptions};
///
/// let options = SessionOptions::default();
/// assert_eq!(options.refresh_margin_secs(), 300);
/// assert_eq!(options.refresh_method(), RefreshMethod::GetTokensFromRefreshToken);
/// let legacy = options.with_refresh_method(RefreshMethod::RefreshTokenAuth).with_refresh_margin_secs(60);
/// assert_eq!(legacy.refresh_margin_secs(), 60);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    refresh_margin_secs: u64,
    refresh_method: RefreshMethod,
}

impl SessionOptions {
    /// The default margin: refresh when the access token expires within 5 minutes (Amplify
    /// uses the same), leaving room for clock skew and the call itself.
    pub const DEFAULT_REFRESH_MARGIN_SECS: u64 = 300;

    /// Refresh when the access token expires within `secs` seconds. A margin of half the
    /// token's lifetime or more is used as half the lifetime, so that fresh tokens are never
    /// refreshed at once again.
    pub const fn with_refresh_margin_secs(mut self, secs: u64) -> Self {
        self.refresh_margin_secs = secs;
        self
    }

    /// Refresh with `method`.
    pub const fn with_refresh_method(mut self, method: RefreshMethod) -> Self {
        self.refresh_method = method;
        self
    }

    /// The margin, in seconds.
    pub const fn refresh_margin_secs(&self) -> u64 {
        self.refresh_margin_secs
    }

    /// The refresh operation.
    pub const fn refresh_method(&self) -> RefreshMethod {
        self.refresh_method
    }
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            refresh_margin_secs: Self::DEFAULT_REFRESH_MARGIN_SECS,
            refresh_method: RefreshMethod::GetTokensFromRefreshToken,
        }
    }
}
