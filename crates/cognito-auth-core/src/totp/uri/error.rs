//! [`OtpauthUriError`]: every way an `otpauth://` URI can be refused.

use core::fmt;

use crate::totp::TotpError;

/// An `otpauth://` URI was refused. No variant carries the secret; positions are byte offsets
/// into the URI as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OtpauthUriError {
    /// The URI does not start with `otpauth://` (in any case).
    SchemeNotOtpauth,
    /// The type after `otpauth://` is neither `totp` nor `hotp`.
    TypeNotTotpOrHotp,
    /// A `%` is not followed by two hex digits.
    PercentEncodingInvalid {
        /// Byte offset of the `%`.
        position: usize,
    },
    /// The label or a parameter value is not UTF-8 once percent-decoded.
    NotUtf8 {
        /// Byte offset where the label or the value starts.
        position: usize,
    },
    /// There is no `secret` parameter.
    SecretMissing,
    /// The `secret` parameter is not an acceptable base32 secret; positions inside are byte
    /// offsets into the percent-decoded value.
    Secret(TotpError),
    /// The `algorithm` parameter is not `SHA1`, `SHA256` or `SHA512` (in any case).
    AlgorithmUnsupported,
    /// The `digits` parameter is not 6, 7 or 8.
    DigitsInvalid,
    /// The `period` parameter is not a whole number of seconds from 1 up.
    PeriodInvalid,
    /// The `counter` parameter is not a whole number below 2^64.
    CounterInvalid,
    /// An `hotp` URI has no `counter` parameter (the Key URI format requires it).
    CounterMissing,
    /// A parameter that sets a value appears twice, so apps would disagree on which one counts.
    DuplicateParameter {
        /// The parameter's name, e.g. `"secret"`.
        name: &'static str,
    },
}

impl fmt::Display for OtpauthUriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::SchemeNotOtpauth => f.write_str("URI does not start with otpauth://"),
            Self::TypeNotTotpOrHotp => f.write_str("otpauth URI type is neither totp nor hotp"),
            Self::PercentEncodingInvalid { position } => write!(
                f,
                "otpauth URI has a '%' not followed by two hex digits at byte {position}"
            ),
            Self::NotUtf8 { position } => write!(
                f,
                "otpauth URI part starting at byte {position} is not UTF-8 once percent-decoded"
            ),
            Self::SecretMissing => f.write_str("otpauth URI has no secret parameter"),
            Self::Secret(e) => write!(f, "otpauth URI secret parameter: {e}"),
            Self::AlgorithmUnsupported => {
                f.write_str("otpauth URI algorithm parameter is not SHA1, SHA256 or SHA512")
            }
            Self::DigitsInvalid => f.write_str("otpauth URI digits parameter is not 6, 7 or 8"),
            Self::PeriodInvalid => f.write_str(
                "otpauth URI period parameter is not a whole number of seconds from 1 up",
            ),
            Self::CounterInvalid => {
                f.write_str("otpauth URI counter parameter is not a whole number below 2^64")
            }
            Self::CounterMissing => f.write_str("otpauth://hotp URI has no counter parameter"),
            Self::DuplicateParameter { name } => {
                write!(f, "otpauth URI has the {name} parameter more than once")
            }
        }
    }
}

impl core::error::Error for OtpauthUriError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Secret(e) => Some(e),
            _ => None,
        }
    }
}
