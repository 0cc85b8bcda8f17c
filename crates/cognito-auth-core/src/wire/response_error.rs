//! [`ResponseError`]: a success response whose body is not what Cognito sends.

use core::fmt;

use super::MAX_BODY_LEN;

/// A 2xx response body that is not what Cognito sends. No variant carries any of the body:
/// it may hold tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseError {
    /// The body is not JSON (or not UTF-8, or nested deeper than 128 levels).
    NotJson,
    /// The body is JSON but not an object.
    NotAnObject,
    /// A member has the wrong JSON type (a number where a string belongs, a challenge
    /// parameter that is not a string, a negative `ExpiresIn`, ...).
    FieldHasWrongType {
        /// The member's name, e.g. `ChallengeParameters`.
        field: &'static str,
    },
    /// A required member is missing (or `null`).
    MissingField {
        /// The member's name, e.g. `AccessToken`.
        field: &'static str,
    },
    /// The body is longer than [`MAX_BODY_LEN`] and was not parsed.
    TooLarge {
        /// Length in bytes.
        len: usize,
    },
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NotJson => f.write_str("Cognito response body is not JSON"),
            Self::NotAnObject => f.write_str("Cognito response body is not a JSON object"),
            Self::FieldHasWrongType { field } => {
                write!(f, "Cognito response field {field} has the wrong type")
            }
            Self::MissingField { field } => {
                write!(f, "Cognito response field {field} is missing")
            }
            Self::TooLarge { len } => write!(
                f,
                "Cognito response body is {len} bytes, more than the {MAX_BODY_LEN} accepted"
            ),
        }
    }
}

impl core::error::Error for ResponseError {}
