//! [`ChallengeAnswer`]: what the user answered, typed per step.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::config::FirstFactor;
use super::step::MfaType;
use crate::secret::SecretString;

/// The user's answer to a [`UserStep`](super::UserStep). Each step takes exactly one variant;
/// any other is refused with [`SignInError::AnswerDoesNotFitStep`](super::SignInError) and the
/// flow stays where it was.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChallengeAnswer {
    /// The code of `ConfirmSmsMfaCode`.
    SmsMfaCode(String),
    /// The code of `ConfirmTotpCode` (6 digits from the authenticator app).
    TotpCode(String),
    /// The code of `ConfirmOtpCode` (email or SMS one-time code).
    OtpCode(String),
    /// The choice of `SelectMfaType`.
    SelectMfa(MfaType),
    /// The choice of `SelectMfaSetup` (TOTP or email).
    SelectMfaSetup(MfaType),
    /// The first code from the authenticator app, for `SetUpTotp`, with an optional name for it.
    TotpSetupCode {
        /// 6 digits.
        code: String,
        /// `FriendlyDeviceName`, shown later in `ConfirmTotpCode`.
        friendly_device_name: Option<String>,
    },
    /// The address for `SetUpEmailMfa`.
    MfaEmailAddress(String),
    /// The answer to `NewPassword`: the new password and values for the required attributes
    /// (names without the `userAttributes.` prefix). Only required attributes are sent.
    NewPassword {
        /// The new password.
        password: SecretString,
        /// `(name, value)` for each required attribute.
        attributes: Vec<(String, String)>,
    },
    /// The answer to `CustomChallenge` (sent as `ANSWER`).
    Custom(SecretString),
    /// The choice of `SelectFirstFactor`.
    SelectFirstFactor(FirstFactor),
    /// The password for `ConfirmPassword`.
    Password(SecretString),
    /// The platform's passkey assertion (`AuthenticationResponseJSON`) for `WebAuthn`.
    WebAuthnCredential(String),
}

impl ChallengeAnswer {
    /// The variant's name, for error messages (never the value).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::SmsMfaCode(_) => "SmsMfaCode",
            Self::TotpCode(_) => "TotpCode",
            Self::OtpCode(_) => "OtpCode",
            Self::SelectMfa(_) => "SelectMfa",
            Self::SelectMfaSetup(_) => "SelectMfaSetup",
            Self::TotpSetupCode { .. } => "TotpSetupCode",
            Self::MfaEmailAddress(_) => "MfaEmailAddress",
            Self::NewPassword { .. } => "NewPassword",
            Self::Custom(_) => "Custom",
            Self::SelectFirstFactor(_) => "SelectFirstFactor",
            Self::Password(_) => "Password",
            Self::WebAuthnCredential(_) => "WebAuthnCredential",
        }
    }
}

impl fmt::Debug for ChallengeAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Codes, passwords and answers are secrets; choices are not.
        match self {
            Self::SelectMfa(t) | Self::SelectMfaSetup(t) => {
                write!(f, "{}({t:?})", self.kind())
            }
            Self::SelectFirstFactor(factor) => write!(f, "SelectFirstFactor({factor:?})"),
            _ => write!(f, "{}(<redacted>)", self.kind()),
        }
    }
}

/// Checks a one-time code before it is sent: 4 to 10 ASCII digits (Cognito's codes are 6 or
/// 8). Returns the trimmed code.
pub(crate) fn checked_code(code: &str) -> Result<&str, CodeError> {
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
    use alloc::format;

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

    #[test]
    fn debug_hides_codes_and_passwords() {
        let printed = format!(
            "{:?} {:?} {:?}",
            ChallengeAnswer::TotpCode("654321".into()),
            ChallengeAnswer::Password(SecretString::new("hunter2")),
            ChallengeAnswer::SelectMfa(MfaType::Totp)
        );
        assert!(!printed.contains("654321"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("SelectMfa(Totp)"), "{printed}");
    }
}
