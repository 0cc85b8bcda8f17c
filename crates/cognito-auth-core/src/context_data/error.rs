//! [`ContextDataError`]: why `EncodedData` could not be built.

use core::fmt;

use super::ENCODED_DATA_MAX_LEN;

/// The context data could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContextDataError {
    /// The `EncodedData` would be longer than Cognito accepts ([`ENCODED_DATA_MAX_LEN`],
    /// 131072 characters). Send fewer or shorter device facts.
    TooLong {
        /// The length the `EncodedData` would have had.
        length: usize,
    },
    /// A device-fact key is empty (after cutting it at its first NUL).
    EmptyKey,
}

impl fmt::Display for ContextDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { length } => write!(
                f,
                "UserContextData.EncodedData would be {length} characters; Cognito accepts at most \
                 {ENCODED_DATA_MAX_LEN}"
            ),
            Self::EmptyKey => f.write_str("a device-fact key is empty"),
        }
    }
}

impl core::error::Error for ContextDataError {}
