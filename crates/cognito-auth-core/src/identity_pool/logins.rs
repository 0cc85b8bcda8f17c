//! [`Logins`]: the `Logins` map of identity-pool requests, provider name to token.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use core::fmt;

use serde_json::{Map, Value};

use super::IdentityPoolError;
use crate::secret::SecretString;
use crate::user_pool_id::UserPoolId;

/// The logins an identity is for: provider name → token. Empty for a guest.
///
/// For a user-pool user the provider name is `cognito-idp.<region>.amazonaws.com/<user pool
/// id>` (the ID token's `iss` without `https://`; `.amazonaws.com.cn` in the China regions) and
/// the token is the user's **ID token** (not the access token), as every Amplify library sends
/// it. Tokens are secrets: `Debug` shows the provider names only.
///
/// ```
/// use cognito_auth_core::identity_pool::Logins;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let pool = UserPoolId::parse("eu-west-1_Abc123XyZ")?;
/// let logins = Logins::user_pool(&pool, SecretString::new("eyJraWQ.id.token"))?;
/// assert_eq!(
///     logins.providers().collect::<Vec<_>>(),
///     ["cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123XyZ"]
/// );
/// assert!(!format!("{logins:?}").contains("eyJraWQ"));
/// assert!(Logins::guest().is_guest());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Logins(BTreeMap<String, SecretString>);

impl Logins {
    /// Most logins one request may carry (Cognito's limit).
    pub const MAX: usize = 10;

    /// Longest provider name accepted (Cognito's limit).
    pub const MAX_PROVIDER_LEN: usize = 128;

    /// No logins: a guest (unauthenticated) identity.
    pub fn guest() -> Self {
        Self::default()
    }

    /// The login of a user-pool user: [`user_pool_provider`](Self::user_pool_provider) →
    /// the ID token.
    pub fn user_pool(pool: &UserPoolId, id_token: SecretString) -> Result<Self, IdentityPoolError> {
        Self::guest().with(&Self::user_pool_provider(pool), id_token)
    }

    /// The provider name of a user pool:
    /// `cognito-idp.<region>.amazonaws.com/<user pool id>` (`.amazonaws.com.cn` for `cn-*`).
    pub fn user_pool_provider(pool: &UserPoolId) -> String {
        let region = pool.region();
        let suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        format!("cognito-idp.{region}.{suffix}/{}", pool.as_str())
    }

    /// These logins and `provider` → `token` (replacing a token for the same provider): a
    /// social provider (`accounts.google.com`, `graph.facebook.com`, `www.amazon.com`,
    /// `appleid.apple.com`), an OpenID Connect issuer or another user pool.
    pub fn with(mut self, provider: &str, token: SecretString) -> Result<Self, IdentityPoolError> {
        let provider_ok = !provider.is_empty()
            && provider.len() <= Self::MAX_PROVIDER_LEN
            && provider.bytes().all(|b| b.is_ascii_graphic());
        if !provider_ok {
            return Err(IdentityPoolError::InvalidLoginProvider);
        }
        if token.expose().trim().is_empty() {
            return Err(IdentityPoolError::EmptyLoginToken);
        }
        if self.0.len() >= Self::MAX && !self.0.contains_key(provider) {
            return Err(IdentityPoolError::TooManyLogins { max: Self::MAX });
        }
        self.0.insert(String::from(provider), token);
        Ok(self)
    }

    /// Whether there are no logins (a guest).
    pub fn is_guest(&self) -> bool {
        self.0.is_empty()
    }

    /// The provider names, in order.
    pub fn providers(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Whether both name the same providers (tokens aside).
    pub(crate) fn same_providers(&self, other: &Self) -> bool {
        self.0.keys().eq(other.0.keys())
    }

    /// Adds `"Logins": {...}` to a request body, unless there are none (a guest request
    /// leaves the member out).
    pub(crate) fn insert_into(&self, body: &mut Map<String, Value>) {
        if self.0.is_empty() {
            return;
        }
        let members = self
            .0
            .iter()
            .map(|(provider, token)| (provider.clone(), Value::from(token.expose())))
            .collect();
        body.insert("Logins".into(), Value::Object(members));
    }
}

impl fmt::Debug for Logins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|provider| (provider, "<redacted>")))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn user_pool_provider_names_follow_the_issuer() {
        let pool = UserPoolId::parse("cn-north-1_Abc123XyZ").unwrap();
        assert_eq!(
            Logins::user_pool_provider(&pool),
            "cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Abc123XyZ"
        );
    }

    #[test]
    fn bad_logins_are_refused() {
        let token = || SecretString::new("t");
        assert_eq!(
            Logins::guest().with("", token()),
            Err(IdentityPoolError::InvalidLoginProvider)
        );
        assert_eq!(
            Logins::guest().with("a b", token()),
            Err(IdentityPoolError::InvalidLoginProvider)
        );
        assert_eq!(
            Logins::guest().with(&"a".repeat(129), token()),
            Err(IdentityPoolError::InvalidLoginProvider)
        );
        assert_eq!(
            Logins::guest().with("accounts.google.com", SecretString::new(" ")),
            Err(IdentityPoolError::EmptyLoginToken)
        );
        let mut logins = Logins::guest();
        for n in 0..Logins::MAX {
            logins = logins.with(&format!("p{n}"), token()).unwrap();
        }
        assert_eq!(
            logins.clone().with("p10", token()),
            Err(IdentityPoolError::TooManyLogins { max: 10 })
        );
        let replaced = logins.with("p0", SecretString::new("new")).unwrap();
        assert_eq!(replaced.providers().count(), 10);
        let mut body = Map::new();
        replaced.insert_into(&mut body);
        assert_eq!(body["Logins"]["p0"], "new");
        let mut empty = Map::new();
        Logins::guest().insert_into(&mut empty);
        assert!(empty.is_empty(), "a guest sends no Logins member");
        let names: Vec<&str> = replaced.providers().collect();
        assert_eq!(names.first(), Some(&"p0"));
    }
}
