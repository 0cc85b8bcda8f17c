//! [`ClientConfig`]: the app client every request names, checked once.

use alloc::string::String;
use core::fmt;

use crate::secret::SecretString;
use crate::secret_hash::secret_hash;
use crate::user_pool_id::UserPoolId;

/// The app client: user pool, client id and, for confidential clients, the client secret.
#[derive(Clone)]
pub struct ClientConfig {
    user_pool: UserPoolId,
    client_id: String,
    client_secret: Option<SecretString>,
}

impl ClientConfig {
    /// Longest app client id Cognito issues (its API allows 1 to 128 characters).
    pub const MAX_CLIENT_ID_LEN: usize = 128;

    /// A public app client (no secret), the usual case for mobile apps. The client id is
    /// checked here, once, for every layer above (sign-in, account operations, the bindings,
    /// the CLI): not empty, at most 128 characters, no white space or control characters.
    ///
    /// ```
    /// use cognito_auth_core::client::{ClientConfig, ClientConfigError};
    /// use cognito_auth_core::UserPoolId;
    ///
    /// let pool = UserPoolId::parse("us-east-1_Abc123XyZ")?;
    /// assert_eq!(ClientConfig::new(pool.clone(), "1example23456789")?.client_id(), "1example23456789");
    /// assert_eq!(ClientConfig::new(pool.clone(), " ").unwrap_err(), ClientConfigError::EmptyClientId);
    /// assert_eq!(
    ///     ClientConfig::new(pool, "id with space").unwrap_err(),
    ///     ClientConfigError::ClientIdCharacter { position: 2 }
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(user_pool: UserPoolId, client_id: &str) -> Result<Self, ClientConfigError> {
        if client_id.trim().is_empty() {
            return Err(ClientConfigError::EmptyClientId);
        }
        let len = client_id.chars().count();
        if len > Self::MAX_CLIENT_ID_LEN {
            return Err(ClientConfigError::ClientIdTooLong { len });
        }
        if let Some(position) = first_unprintable(client_id) {
            return Err(ClientConfigError::ClientIdCharacter { position });
        }
        Ok(Self {
            user_pool,
            client_id: String::from(client_id),
            client_secret: None,
        })
    }

    /// The same client with a secret: every request then carries `SECRET_HASH`. The secret
    /// may not be empty or hold white space or control characters (a secret copied with its
    /// line break would sign every request wrongly).
    pub fn with_client_secret(
        mut self,
        client_secret: SecretString,
    ) -> Result<Self, ClientConfigError> {
        if client_secret.is_empty() {
            return Err(ClientConfigError::EmptyClientSecret);
        }
        if let Some(position) = first_unprintable(client_secret.expose()) {
            return Err(ClientConfigError::ClientSecretCharacter { position });
        }
        self.client_secret = Some(client_secret);
        Ok(self)
    }

    /// The user pool.
    pub fn user_pool(&self) -> &UserPoolId {
        &self.user_pool
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// `SECRET_HASH` over `username`, when the client has a secret.
    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_ref()
            .map(|secret| secret_hash(username, &self.client_id, secret))
    }

    /// The raw client secret, for the operations that send it as is (`ClientSecret` of
    /// `GetTokensFromRefreshToken` and `RevokeToken`) rather than as `SECRET_HASH`.
    pub(crate) fn client_secret(&self) -> Option<&SecretString> {
        self.client_secret.as_ref()
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("user_pool", &self.user_pool)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Why a client configuration was refused. Never shows the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientConfigError {
    /// The app client id is empty (or only white space).
    EmptyClientId,
    /// The app client id is longer than [`ClientConfig::MAX_CLIENT_ID_LEN`].
    ClientIdTooLong {
        /// Characters given.
        len: usize,
    },
    /// The app client id holds white space or a control character.
    ClientIdCharacter {
        /// Character offset.
        position: usize,
    },
    /// The client secret is empty.
    EmptyClientSecret,
    /// The client secret holds white space or a control character.
    ClientSecretCharacter {
        /// Character offset.
        position: usize,
    },
}

impl fmt::Display for ClientConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::EmptyClientId => f.write_str("the app client id is empty"),
            Self::ClientIdTooLong { len } => write!(
                f,
                "the app client id has {len} characters, more than the {} Cognito allows",
                ClientConfig::MAX_CLIENT_ID_LEN
            ),
            Self::ClientIdCharacter { position } => write!(
                f,
                "the app client id has white space or a control character at {position}"
            ),
            Self::EmptyClientSecret => f.write_str("the client secret is empty"),
            Self::ClientSecretCharacter { position } => write!(
                f,
                "the client secret has white space or a control character at {position}"
            ),
        }
    }
}

impl core::error::Error for ClientConfigError {}

/// The character offset of the first white-space or control character.
fn first_unprintable(text: &str) -> Option<usize> {
    text.chars()
        .position(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn pool() -> UserPoolId {
        UserPoolId::parse("us-east-1_Abc123XyZ").unwrap()
    }

    #[test]
    fn client_ids_and_secrets_are_checked_once_here() {
        assert!(ClientConfig::new(pool(), "2od40example").is_ok());
        assert_eq!(
            ClientConfig::new(pool(), "").unwrap_err(),
            ClientConfigError::EmptyClientId
        );
        assert_eq!(
            ClientConfig::new(pool(), &"a".repeat(129)).unwrap_err(),
            ClientConfigError::ClientIdTooLong { len: 129 }
        );
        assert_eq!(
            ClientConfig::new(pool(), "id\n").unwrap_err(),
            ClientConfigError::ClientIdCharacter { position: 2 }
        );
        let client = ClientConfig::new(pool(), "id").unwrap();
        assert_eq!(
            client
                .clone()
                .with_client_secret(SecretString::new(""))
                .unwrap_err(),
            ClientConfigError::EmptyClientSecret
        );
        let refused = client
            .clone()
            .with_client_secret(SecretString::new("s3cret\n"))
            .unwrap_err();
        assert_eq!(
            refused,
            ClientConfigError::ClientSecretCharacter { position: 6 }
        );
        assert!(!format!("{refused} {refused:?}").contains("s3cret"));
        let secret = client
            .with_client_secret(SecretString::new("s3cret"))
            .unwrap();
        assert!(!format!("{secret:?}").contains("s3cret"));
    }
}
