//! [`ChallengeAnswer`]: what the user answered, typed per step.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::auth_request::ChallengeResponse;
use super::config::FirstFactor;
use super::error::SignInError;
use super::step::UserStep;
use crate::client::{MfaType, checked_code};
use crate::secret::SecretString;
use crate::wire::ChallengeName;

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
    SelectMfaType(MfaType),
    /// The choice of `SelectMfaSetup` (TOTP or email).
    SelectMfaSetupType(MfaType),
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
    CustomChallenge(SecretString),
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
            Self::SelectMfaType(_) => "SelectMfaType",
            Self::SelectMfaSetupType(_) => "SelectMfaSetupType",
            Self::TotpSetupCode { .. } => "TotpSetupCode",
            Self::MfaEmailAddress(_) => "MfaEmailAddress",
            Self::NewPassword { .. } => "NewPassword",
            Self::CustomChallenge(_) => "CustomChallenge",
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
            Self::SelectMfaType(t) | Self::SelectMfaSetupType(t) => {
                write!(f, "{}({t:?})", self.kind())
            }
            Self::SelectFirstFactor(factor) => write!(f, "SelectFirstFactor({factor:?})"),
            _ => write!(f, "{}(<redacted>)", self.kind()),
        }
    }
}

/// What a checked answer asks the sign-in to do next.
pub(crate) enum Reply<'a> {
    /// `RespondToAuthChallenge` for the step's challenge with this response.
    Respond(ChallengeResponse<'a>),
    /// `SelectMfaSetup(TOTP)`: `AssociateSoftwareToken`.
    SetUpTotp,
    /// `SelectMfaSetup(email)`: ask for the address.
    SetUpEmail,
    /// `VerifySoftwareToken` with the first code.
    VerifyTotp {
        code: &'a str,
        friendly_device_name: Option<&'a str>,
    },
    /// A first factor that needs no password: `SELECT_CHALLENGE` with `ANSWER`.
    ChooseFactor(FirstFactor),
    /// `PASSWORD` or `PASSWORD_SRP`: with the password typed now (`ConfirmPassword`), or
    /// chosen (`SelectFirstFactor`), when the password is the one the sign-in started with.
    PasswordFactor {
        factor: FirstFactor,
        typed: Option<&'a SecretString>,
    },
}

/// Checks `answer` against the waiting `step` (shown for `challenge`) and says what it asks
/// for: the kind fits, a code is 4 to 10 digits, a choice was offered, required values are
/// there. Nothing is consumed, so a refused answer leaves the step open.
pub(crate) fn reply<'a>(
    step: &'a UserStep,
    challenge: &ChallengeName,
    answer: &'a ChallengeAnswer,
) -> Result<Reply<'a>, SignInError> {
    let code = |key: &'static str, code: &'a str| {
        let code = checked_code(code).map_err(SignInError::InvalidCode)?;
        Ok(Reply::Respond(ChallengeResponse::Code { key, code }))
    };
    let offered = |offered: bool| {
        if offered {
            Ok(())
        } else {
            Err(SignInError::ChoiceNotOffered)
        }
    };
    match (step, answer) {
        (UserStep::ConfirmSmsMfaCode { .. }, ChallengeAnswer::SmsMfaCode(c)) => {
            code("SMS_MFA_CODE", c)
        }
        (UserStep::ConfirmTotpCode { .. }, ChallengeAnswer::TotpCode(c)) => {
            code("SOFTWARE_TOKEN_MFA_CODE", c)
        }
        (UserStep::ConfirmOtpCode { .. }, ChallengeAnswer::OtpCode(c)) => match challenge {
            ChallengeName::SmsOtp => code("SMS_OTP_CODE", c),
            _ => code("EMAIL_OTP_CODE", c),
        },
        (UserStep::SelectMfaType { allowed }, ChallengeAnswer::SelectMfaType(choice)) => {
            offered(allowed.contains(choice))?;
            Ok(Reply::Respond(ChallengeResponse::Answer(choice.as_str())))
        }
        (UserStep::SelectMfaSetup { allowed }, ChallengeAnswer::SelectMfaSetupType(choice)) => {
            offered(allowed.contains(choice))?;
            Ok(match choice {
                MfaType::Totp => Reply::SetUpTotp,
                _ => Reply::SetUpEmail,
            })
        }
        (
            UserStep::SetUpTotp { .. },
            ChallengeAnswer::TotpSetupCode {
                code,
                friendly_device_name,
            },
        ) => Ok(Reply::VerifyTotp {
            code: checked_code(code).map_err(SignInError::InvalidCode)?,
            friendly_device_name: friendly_device_name.as_deref(),
        }),
        (UserStep::SetUpEmailMfa, ChallengeAnswer::MfaEmailAddress(address)) => {
            let address = address.trim();
            if !address.contains('@') {
                return Err(SignInError::InvalidEmailAddress);
            }
            Ok(Reply::Respond(ChallengeResponse::MfaSetupEmail(address)))
        }
        (
            UserStep::NewPassword {
                required_attributes,
                ..
            },
            ChallengeAnswer::NewPassword {
                password,
                attributes,
            },
        ) => {
            if password.is_empty() {
                return Err(SignInError::EmptyPassword);
            }
            Ok(Reply::Respond(ChallengeResponse::NewPassword {
                password,
                attributes: required_values(required_attributes, attributes)?,
            }))
        }
        (UserStep::CustomChallenge { .. }, ChallengeAnswer::CustomChallenge(answer)) => {
            Ok(Reply::Respond(ChallengeResponse::Answer(answer.expose())))
        }
        (UserStep::SelectFirstFactor { available }, ChallengeAnswer::SelectFirstFactor(f)) => {
            offered(available.contains(f))?;
            Ok(match f {
                FirstFactor::Password | FirstFactor::PasswordSrp => Reply::PasswordFactor {
                    factor: *f,
                    typed: None,
                },
                _ => Reply::ChooseFactor(*f),
            })
        }
        (UserStep::ConfirmPassword, ChallengeAnswer::Password(password)) => {
            if password.is_empty() {
                return Err(SignInError::EmptyPassword);
            }
            let factor = match challenge {
                ChallengeName::PasswordSrp => FirstFactor::PasswordSrp,
                _ => FirstFactor::Password,
            };
            Ok(Reply::PasswordFactor {
                factor,
                typed: Some(password),
            })
        }
        (UserStep::WebAuthn { .. }, ChallengeAnswer::WebAuthnCredential(credential)) => {
            let checked = crate::passkey::check_assertion(credential)
                .map_err(SignInError::PasskeyCredential)?;
            Ok(Reply::Respond(ChallengeResponse::WebAuthn(checked)))
        }
        (_, answer) => Err(SignInError::AnswerDoesNotFitStep {
            answer: answer.kind(),
        }),
    }
}

/// The value of each required attribute, in the order Cognito listed them.
fn required_values<'a>(
    required: &'a [String],
    given: &'a [(String, String)],
) -> Result<Vec<(&'a str, &'a str)>, SignInError> {
    required
        .iter()
        .map(|name| {
            given
                .iter()
                .find(|(given, _)| given == name)
                .map(|(_, value)| (name.as_str(), value.as_str()))
                .ok_or_else(|| SignInError::MissingRequiredAttribute { name: name.clone() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn debug_hides_codes_and_passwords() {
        let printed = format!(
            "{:?} {:?} {:?}",
            ChallengeAnswer::TotpCode("654321".into()),
            ChallengeAnswer::Password(SecretString::new("hunter2")),
            ChallengeAnswer::SelectMfaType(MfaType::Totp)
        );
        assert!(!printed.contains("654321"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("SelectMfaType(Totp)"), "{printed}");
    }
}
