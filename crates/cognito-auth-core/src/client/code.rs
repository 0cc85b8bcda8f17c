//! One-time codes: the check every code gets before it is sent.

use core::fmt;

/// Checks a one-time code before it is sent: 4 to 10 ASCII digits (Cognito's codes are 6 or
/// 8). Returns the trimmed code. Sign-in answers and account operations (confirmations,
/// TOTP verification) use this one check.
///
/// ```
/// use cognito_auth_core::client::{CodeError, checked_code};
///
/// assert_eq!(checked_code(" 123456 "), Ok("123456"));
/// assert_eq!(checked_code("12a456"), Err(CodeError::NotDigit { position: 2 }));
/// ```
pub fn checked_code(code: &str) -> Result<&str, CodeError> {
    let code = code.trim();
    if !(4..=10).contains(&code.len()) {
        return Err(CodeError::Length { len: code.len() });
    }
    if let Some(position) = code.bytes().position(|b| !b.is_ascii_digit()) {
        return Err(CodeError::NotDigit { position });
    }
    Ok(code)
}

/// Why a code was refused before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// Not 4 to 10 characters.
    Length {
        /// Characters given.
        len: usize,
    },
    /// A character that is not an ASCII digit.
    NotDigit {
        /// Byte offset.
        position: usize,
    },
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Length { len } => {
                write!(
                    f,
                    "a code has 4 to 10 digits, this one has {len} characters"
                )
            }
            Self::NotDigit { position } => {
                write!(f, "a code has only digits (character {position} is not)")
            }
        }
    }
}

impl core::error::Error for CodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_digits() {
        assert_eq!(checked_code(" 123456 "), Ok("123456"));
        assert_eq!(checked_code("12345678"), Ok("12345678"));
        assert_eq!(checked_code("123"), Err(CodeError::Length { len: 3 }));
        assert_eq!(
            checked_code("12345678901"),
            Err(CodeError::Length { len: 11 })
        );
        assert_eq!(
            checked_code("12a456"),
            Err(CodeError::NotDigit { position: 2 })
        );
    }
}
