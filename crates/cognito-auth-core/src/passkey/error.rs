//! [`PasskeyError`]: why passkey options or a passkey credential were refused.

use core::fmt;

/// Passkey (WebAuthn) JSON that does not have the shape the platform APIs and Cognito use.
/// No variant carries any of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasskeyError {
    /// Not JSON (or nested deeper than serde_json's limit).
    NotJson,
    /// Longer than the limit for its kind ([`MAX_JSON_LEN`](super::MAX_JSON_LEN) bytes).
    TooLong {
        /// Length in bytes.
        len: usize,
    },
    /// A member (or the whole value) has the wrong JSON type.
    WrongType {
        /// The member, e.g. `allowCredentials`; `(root)` for the whole value.
        field: &'static str,
    },
    /// A required member is missing or `null`.
    Missing {
        /// The member, e.g. `challenge`.
        field: &'static str,
    },
    /// A binary member is not base64url, or is empty or longer than allowed.
    NotBase64Url {
        /// The member, e.g. `rawId`.
        field: &'static str,
    },
    /// The challenge is shorter than the 16 bytes WebAuthn requires.
    ChallengeTooShort {
        /// Its length in bytes.
        len: usize,
    },
    /// A list has more entries than allowed ([`MAX_LIST_LEN`](super::MAX_LIST_LEN)).
    TooMany {
        /// The list, e.g. `excludeCredentials`.
        field: &'static str,
    },
    /// `type` is not `public-key`.
    NotPublicKey,
    /// The credential's `id` is not its `rawId` (both base64url of the same bytes).
    IdMismatch,
}

impl fmt::Display for PasskeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson => f.write_str("passkey JSON is not JSON"),
            Self::TooLong { len } => write!(
                f,
                "passkey JSON of {len} bytes is longer than the {} accepted",
                super::MAX_JSON_LEN
            ),
            Self::WrongType { field } => write!(f, "passkey JSON: {field} has the wrong type"),
            Self::Missing { field } => write!(f, "passkey JSON: {field} is missing"),
            Self::NotBase64Url { field } => {
                write!(f, "passkey JSON: {field} is not non-empty base64url")
            }
            Self::ChallengeTooShort { len } => write!(
                f,
                "passkey challenge of {len} bytes is shorter than the 16 WebAuthn requires"
            ),
            Self::TooMany { field } => write!(
                f,
                "passkey JSON: {field} has more than {} entries",
                super::MAX_LIST_LEN
            ),
            Self::NotPublicKey => f.write_str("passkey JSON: type is not public-key"),
            Self::IdMismatch => f.write_str("passkey credential: id is not rawId"),
        }
    }
}

impl core::error::Error for PasskeyError {}
