//! [`UserPoolId`]: `us-east-1_Abc123XyZ`, the region and the pool name SRP hashes.

use alloc::string::String;
use core::fmt;

/// A Cognito user-pool id, `<region>_<name>`, checked against Cognito's own pattern
/// (`[\w-]+_[0-9a-zA-Z]+`, at most 55 characters).
///
/// ```
/// use cognito_auth_core::UserPoolId;
///
/// let pool = UserPoolId::parse("us-east-1_Abc123XyZ")?;
/// assert_eq!(pool.region(), "us-east-1");
/// assert_eq!(pool.pool_name(), "Abc123XyZ"); // what SRP hashes
/// assert_eq!(pool.as_str(), "us-east-1_Abc123XyZ");
/// # Ok::<(), cognito_auth_core::UserPoolIdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserPoolId {
    id: String,
    underscore: usize,
}

/// Why a string is not a user-pool id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserPoolIdError {
    /// The id is empty.
    Empty,
    /// The id is longer than Cognito's 55-character limit.
    TooLong {
        /// Length in bytes.
        len: usize,
    },
    /// There is no `_` between region and name.
    MissingUnderscore,
    /// Nothing before the `_`.
    EmptyRegion,
    /// Nothing after the `_`.
    EmptyPoolName,
    /// A character outside `[A-Za-z0-9_-]` in the region or `[A-Za-z0-9]` in the name.
    InvalidCharacter {
        /// Byte offset of the character.
        position: usize,
    },
}

impl UserPoolId {
    /// Longest id Cognito accepts.
    pub const MAX_LEN: usize = 55;

    /// Checks and wraps a user-pool id.
    pub fn parse(id: &str) -> Result<Self, UserPoolIdError> {
        if id.is_empty() {
            return Err(UserPoolIdError::Empty);
        }
        if id.len() > Self::MAX_LEN {
            return Err(UserPoolIdError::TooLong { len: id.len() });
        }
        // The region is `[\w-]+` and may itself contain `_`, the name cannot: split at the last one.
        let underscore = id.rfind('_').ok_or(UserPoolIdError::MissingUnderscore)?;
        if underscore == 0 {
            return Err(UserPoolIdError::EmptyRegion);
        }
        if underscore + 1 == id.len() {
            return Err(UserPoolIdError::EmptyPoolName);
        }
        for (position, byte) in id.bytes().enumerate() {
            let allowed = if position < underscore {
                byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
            } else {
                byte.is_ascii_alphanumeric() || position == underscore
            };
            if !allowed {
                return Err(UserPoolIdError::InvalidCharacter { position });
            }
        }
        Ok(Self {
            id: String::from(id),
            underscore,
        })
    }

    /// The whole id.
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// The AWS region, e.g. `us-east-1`.
    pub fn region(&self) -> &str {
        self.id.get(..self.underscore).unwrap_or_default()
    }

    /// The part after the `_`, which SRP hashes as the "pool name".
    pub fn pool_name(&self) -> &str {
        self.id.get(self.underscore + 1..).unwrap_or_default()
    }
}

impl fmt::Display for UserPoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl fmt::Display for UserPoolIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("user pool id is empty"),
            Self::TooLong { len } => write!(
                f,
                "user pool id is {len} characters long, at most {} are allowed",
                UserPoolId::MAX_LEN
            ),
            Self::MissingUnderscore => f.write_str(
                "user pool id has no '_' between region and name (like us-east-1_Abc123XyZ)",
            ),
            Self::EmptyRegion => f.write_str("user pool id has no region before the '_'"),
            Self::EmptyPoolName => f.write_str("user pool id has no name after the '_'"),
            Self::InvalidCharacter { position } => {
                write!(
                    f,
                    "user pool id has an invalid character at byte {position}"
                )
            }
        }
    }
}

impl core::error::Error for UserPoolIdError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_ids() {
        for (id, region, name) in [
            ("us-east-1_Abc123XyZ", "us-east-1", "Abc123XyZ"),
            ("eu-west-2_KO6fcefgd", "eu-west-2", "KO6fcefgd"),
            ("local_6sfqKxY4", "local", "6sfqKxY4"),
            ("us_gov_west_1_X", "us_gov_west_1", "X"),
        ] {
            let pool = UserPoolId::parse(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(pool.region(), region);
            assert_eq!(pool.pool_name(), name);
        }
    }

    #[test]
    fn rejects_each_malformed_part() {
        assert_eq!(UserPoolId::parse(""), Err(UserPoolIdError::Empty));
        assert_eq!(
            UserPoolId::parse("us-east-1Abc"),
            Err(UserPoolIdError::MissingUnderscore)
        );
        assert_eq!(UserPoolId::parse("_Abc"), Err(UserPoolIdError::EmptyRegion));
        assert_eq!(
            UserPoolId::parse("us-east-1_"),
            Err(UserPoolIdError::EmptyPoolName)
        );
        assert_eq!(
            UserPoolId::parse("us-east-1_Ab-c"),
            Err(UserPoolIdError::InvalidCharacter { position: 12 })
        );
        assert_eq!(
            UserPoolId::parse("us east-1_Abc"),
            Err(UserPoolIdError::InvalidCharacter { position: 2 })
        );
        let long = "a".repeat(50) + "_bcdef";
        assert_eq!(
            UserPoolId::parse(&long),
            Err(UserPoolIdError::TooLong { len: 56 })
        );
    }
}
