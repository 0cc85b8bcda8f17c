//! [`TotpError`]: every way a TOTP secret, parameter, time or code can be refused.

use core::fmt;

use super::secret::TotpSecret;

/// A TOTP input was refused. No variant carries a secret or a code; positions are byte offsets
/// into the offending string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TotpError {
    /// The secret has no base32 characters: it is empty, or only spaces and `=`.
    SecretEmpty,
    /// The secret has a character that is neither base32 (`A`-`Z`, `a`-`z`, `2`-`7`), white
    /// space nor trailing `=` padding. `0`, `1`, `8` and `9` are not base32.
    SecretNotBase32 {
        /// Byte offset of the first bad character.
        position: usize,
    },
    /// The secret has `=` padding followed by more base32 characters.
    SecretPaddingNotAtEnd {
        /// Byte offset of the first `=` that is followed by data.
        position: usize,
    },
    /// The secret's number of base32 characters ends inside a byte (1, 3 or 6 characters past a
    /// multiple of 8): a character is missing or extra.
    SecretLengthInvalid {
        /// Base32 characters given (spaces and padding not counted).
        chars: usize,
    },
    /// The secret is shorter than RFC 4226's 128-bit minimum (R6). Use an `_allow_short`
    /// constructor to accept it anyway.
    SecretTooShort {
        /// Bits given.
        bits: usize,
    },
    /// A code must have 6, 7 or 8 digits (RFC 4226 §5.3).
    DigitsOutOfRange {
        /// Digits asked for.
        digits: u32,
    },
    /// The time step (period) is zero seconds.
    PeriodZero,
    /// The time is before T0, so it has no time step.
    TimeBeforeT0,
    /// The code to verify does not have the configured number of digits.
    CodeWrongLength {
        /// Bytes given.
        len: usize,
        /// Digits expected.
        expected: u8,
    },
    /// The code to verify has a character that is not an ASCII digit.
    CodeNotDigit {
        /// Byte offset of the first bad character.
        position: usize,
    },
    /// The code is well-formed but matches no time step in the window.
    CodeMismatch,
    /// The code matches only time steps at or before the last accepted one: it was already used
    /// (RFC 6238 §5.2). Wait for the next code.
    CodeReplayed,
}

impl fmt::Display for TotpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::SecretEmpty => f.write_str("TOTP secret is empty"),
            Self::SecretNotBase32 { position } => write!(
                f,
                "TOTP secret is not base32 (bad character at byte {position}; allowed are A-Z, 2-7, spaces and trailing '=')"
            ),
            Self::SecretPaddingNotAtEnd { position } => write!(
                f,
                "TOTP secret has '=' padding at byte {position} followed by more characters"
            ),
            Self::SecretLengthInvalid { chars } => write!(
                f,
                "TOTP secret has {chars} base32 characters, a length no encoder produces: a character is missing or extra"
            ),
            Self::SecretTooShort { bits } => write!(
                f,
                "TOTP secret has {bits} bits, fewer than the {} RFC 4226 requires",
                TotpSecret::MIN_LEN * 8
            ),
            Self::DigitsOutOfRange { digits } => {
                write!(f, "a TOTP code has 6, 7 or 8 digits, not {digits}")
            }
            Self::PeriodZero => f.write_str("TOTP period is zero seconds"),
            Self::TimeBeforeT0 => f.write_str("time is before the TOTP start time T0"),
            Self::CodeWrongLength { len, expected } => write!(
                f,
                "TOTP code has {len} characters, expected {expected} digits"
            ),
            Self::CodeNotDigit { position } => write!(
                f,
                "TOTP code has a character that is not a digit at byte {position}"
            ),
            Self::CodeMismatch => f.write_str("TOTP code is wrong"),
            Self::CodeReplayed => f.write_str("TOTP code was already used; wait for the next one"),
        }
    }
}

impl core::error::Error for TotpError {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn every_variant_has_a_message_that_names_the_input() {
        let cases = [
            (TotpError::SecretEmpty, "secret is empty"),
            (TotpError::SecretNotBase32 { position: 3 }, "byte 3"),
            (TotpError::SecretPaddingNotAtEnd { position: 4 }, "byte 4"),
            (
                TotpError::SecretLengthInvalid { chars: 9 },
                "9 base32 characters",
            ),
            (
                TotpError::SecretTooShort { bits: 80 },
                "80 bits, fewer than the 128",
            ),
            (TotpError::DigitsOutOfRange { digits: 9 }, "not 9"),
            (TotpError::PeriodZero, "period is zero"),
            (TotpError::TimeBeforeT0, "before"),
            (
                TotpError::CodeWrongLength {
                    len: 5,
                    expected: 6,
                },
                "5 characters, expected 6",
            ),
            (TotpError::CodeNotDigit { position: 2 }, "byte 2"),
            (TotpError::CodeMismatch, "wrong"),
            (TotpError::CodeReplayed, "already used"),
        ];
        for (error, fragment) in cases {
            let message = error.to_string();
            assert!(message.contains(fragment), "{message:?} lacks {fragment:?}");
        }
    }
}
