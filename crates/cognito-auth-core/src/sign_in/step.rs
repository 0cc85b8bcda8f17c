//! What a sign-in hands back: the next request, a step for the user, or the result.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::config::{FirstFactor, RememberedDevice};
use super::error::SignInError;
use crate::client::MfaType;
use crate::passkey::PasskeyRequestOptions;
use crate::totp::TotpSetupDetails;
use crate::wire::{
    AuthenticationResult, ChallengeName, ChallengeParameters, CodeDelivery, MissingParameter,
    Request, ResponseError, ServiceError,
};

/// The outcome of feeding the flow a response or an answer.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a step says what the app must do next; dropping it stalls the sign-in"]
#[non_exhaustive]
pub enum Step {
    /// Send this request and pass the HTTP response to [`SignIn::handle_response`]. The core
    /// answers automatic challenges (SRP password verifier, device SRP, `ConfirmDevice`) this
    /// way, without a user step.
    ///
    /// [`SignIn::handle_response`]: super::SignIn::handle_response
    Send(Request),
    /// Show this step to the user and pass their answer to [`SignIn::answer`].
    ///
    /// [`SignIn::answer`]: super::SignIn::answer
    Challenge(UserStep),
    /// Signed in: store the tokens (and the device, if one was confirmed). The flow is finished.
    SignedIn(SignedIn),
    /// Cognito refused with `UserNotConfirmedException`: confirm the sign-up (ConfirmSignUp with
    /// the emailed or texted code), then sign in again. The flow is finished.
    ConfirmSignUp {
        /// The username to confirm: as typed, a phone number normalised to E.164.
        username: String,
    },
    /// Cognito refused with `PasswordResetRequiredException`: reset the password
    /// (ForgotPassword, then ConfirmForgotPassword), then sign in again. The flow is finished.
    ResetPassword {
        /// The username to reset: as typed, a phone number normalised to E.164.
        username: String,
    },
}

/// Something only the user can provide. Answer with the matching [`ChallengeAnswer`].
///
/// Non-exhaustive: new Cognito challenges become new variants, so match with a default branch.
///
/// [`ChallengeAnswer`]: super::ChallengeAnswer
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserStep {
    /// `SMS_MFA`: enter the code sent by SMS. Answer: `ChallengeAnswer::SmsMfaCode`.
    ConfirmSmsMfaCode {
        /// Where the code went.
        delivery: CodeDelivery,
    },
    /// `SOFTWARE_TOKEN_MFA`: enter the authenticator app's code. Answer: `ChallengeAnswer::TotpCode`.
    ConfirmTotpCode {
        /// The name the user gave the authenticator at setup, if any.
        friendly_device_name: Option<String>,
    },
    /// `EMAIL_OTP` or `SMS_OTP` (MFA or passwordless first factor): enter the code.
    /// Answer: `ChallengeAnswer::OtpCode`.
    ConfirmOtpCode {
        /// Where the code went (email or SMS).
        delivery: CodeDelivery,
    },
    /// `SELECT_MFA_TYPE`: pick one of these MFA types. Answer: `ChallengeAnswer::SelectMfaType`.
    SelectMfaType {
        /// The types the user may choose, in Cognito's order.
        allowed: Vec<MfaType>,
    },
    /// `MFA_SETUP` with a choice: pick TOTP or email to set up. Answer:
    /// `ChallengeAnswer::SelectMfaSetupType`.
    SelectMfaSetup {
        /// TOTP and/or email (SMS cannot be set up during sign-in).
        allowed: Vec<MfaType>,
    },
    /// `MFA_SETUP` for TOTP: show the secret or the QR code of
    /// [`TotpSetupDetails::setup_uri`], then ask for the first code. Answer:
    /// `ChallengeAnswer::TotpSetupCode`.
    SetUpTotp {
        /// The shared secret (`AssociateSoftwareToken.SecretCode`) and the username for the URI.
        details: TotpSetupDetails,
    },
    /// `MFA_SETUP` for email: ask for the address that will receive codes. Answer:
    /// `ChallengeAnswer::MfaEmailAddress`. Cognito then sends a code to it (`ConfirmOtpCode`).
    SetUpEmailMfa,
    /// `NEW_PASSWORD_REQUIRED` (a user created by an administrator): ask for a new password and
    /// the attributes listed. Answer: `ChallengeAnswer::NewPassword`.
    NewPassword {
        /// Attributes the pool requires and the user has no value for (`name`, `email`, ...).
        required_attributes: Vec<String>,
        /// The user's current attributes, as Cognito lists them.
        user_attributes: BTreeMap<String, String>,
    },
    /// `CUSTOM_CHALLENGE`: the pool's Lambda asks something. Answer: `ChallengeAnswer::CustomChallenge`.
    CustomChallenge {
        /// The challenge's public parameters, as the Lambda set them.
        parameters: BTreeMap<String, String>,
    },
    /// `SELECT_CHALLENGE` (choice-based sign-in): pick a first factor. Answer:
    /// `ChallengeAnswer::SelectFirstFactor`.
    SelectFirstFactor {
        /// The factors Cognito offers (`AvailableChallenges`), known ones only.
        available: Vec<FirstFactor>,
    },
    /// The user chose `PASSWORD` or `PASSWORD_SRP`: ask for the password. Answer:
    /// `ChallengeAnswer::Password`.
    ConfirmPassword,
    /// `WEB_AUTHN`: run the platform's passkey assertion with these options
    /// (`PublicKeyCredentialRequestOptionsJSON`, checked: see [`crate::passkey`]). Answer:
    /// `ChallengeAnswer::WebAuthnCredential` with the platform's `AuthenticationResponseJSON`.
    WebAuthn {
        /// `CREDENTIAL_REQUEST_OPTIONS`: typed for iOS, [`PasskeyRequestOptions::json`] for
        /// Android's Credential Manager. (Boxed: the other steps are small.)
        options: alloc::boxed::Box<PasskeyRequestOptions>,
    },
}

/// What a challenge for the user shows.
pub(crate) enum Shown {
    /// This step.
    Step(UserStep),
    /// `MFA_SETUP` offering TOTP alone: no choice to make, `AssociateSoftwareToken` first.
    SetUpTotpNow,
}

impl UserStep {
    /// The step a user challenge shows, read from its parameters (`available`:
    /// `AvailableChallenges`). The automatic challenges are not user steps; the policy has
    /// decided already that `challenge` may come.
    pub(crate) fn for_challenge(
        challenge: &ChallengeName,
        parameters: &ChallengeParameters,
        available: &[String],
    ) -> Result<Shown, SignInError> {
        let missing = |MissingParameter(parameter)| SignInError::MissingChallengeParameter {
            challenge: String::from(challenge.as_str()),
            parameter,
        };
        let unsupported = || SignInError::UnsupportedChallenge {
            name: String::from(challenge.as_str()),
        };
        let mfa_types = |parameter| -> Result<Vec<MfaType>, SignInError> {
            let mut types: Vec<MfaType> = Vec::new();
            for name in parameters.mfa_names(parameter).map_err(missing)? {
                if let Some(t) = MfaType::parse(&name)
                    && !types.contains(&t)
                {
                    types.push(t);
                }
            }
            Ok(types)
        };
        Ok(Shown::Step(match challenge {
            ChallengeName::SmsMfa => Self::ConfirmSmsMfaCode {
                delivery: parameters.code_delivery(),
            },
            ChallengeName::SoftwareTokenMfa => Self::ConfirmTotpCode {
                friendly_device_name: parameters.friendly_device_name(),
            },
            ChallengeName::EmailOtp | ChallengeName::SmsOtp => Self::ConfirmOtpCode {
                delivery: parameters.code_delivery(),
            },
            ChallengeName::SelectMfaType => {
                let allowed = mfa_types("MFAS_CAN_CHOOSE")?;
                if allowed.is_empty() {
                    return Err(unsupported());
                }
                Self::SelectMfaType { allowed }
            }
            ChallengeName::MfaSetup => {
                // SMS cannot be set up during sign-in.
                let mut allowed = mfa_types("MFAS_CAN_SETUP")?;
                allowed.retain(|t| matches!(t, MfaType::Totp | MfaType::Email));
                match allowed.as_slice() {
                    [] => return Err(SignInError::MfaSetupNotPossible),
                    [MfaType::Totp] => return Ok(Shown::SetUpTotpNow),
                    [MfaType::Email] => Self::SetUpEmailMfa,
                    _ => Self::SelectMfaSetup { allowed },
                }
            }
            ChallengeName::NewPasswordRequired => Self::NewPassword {
                required_attributes: parameters.required_attributes(),
                user_attributes: parameters.user_attributes(),
            },
            ChallengeName::CustomChallenge => Self::CustomChallenge {
                parameters: parameters.0.clone(),
            },
            ChallengeName::SelectChallenge => {
                let available: Vec<FirstFactor> = available
                    .iter()
                    .filter_map(|name| FirstFactor::parse(name))
                    .collect();
                if available.is_empty() {
                    return Err(unsupported());
                }
                Self::SelectFirstFactor { available }
            }
            ChallengeName::Password | ChallengeName::PasswordSrp => Self::ConfirmPassword,
            ChallengeName::WebAuthn => Self::WebAuthn {
                options: alloc::boxed::Box::new(
                    PasskeyRequestOptions::parse(
                        &parameters.credential_request_options().map_err(missing)?,
                    )
                    .map_err(SignInError::PasskeyOptions)?,
                ),
            },
            _ => return Err(unsupported()),
        }))
    }
}

/// A finished sign-in.
#[derive(Debug, PartialEq, Eq)]
pub struct SignedIn {
    /// The tokens. Store the refresh token securely.
    pub tokens: AuthenticationResult,
    /// What happened to the device, if Cognito tracks devices for this pool.
    pub device: DeviceOutcome,
    /// The remembered device passed in the credentials no longer exists in Cognito ("Device
    /// does not exist"): the flow signed in without it. Delete it from storage.
    pub stale_device_forgotten: bool,
}

/// The device part of a finished sign-in.
#[derive(Debug, PartialEq, Eq)]
// Exhaustive on purpose: the bindings mirror this enum, and a new variant must be a
// compile error there, not a silent default.
pub enum DeviceOutcome {
    /// Cognito did not hand out a new device (no device tracking, or a remembered device was used).
    NoNewDevice,
    /// A new device was confirmed. Store `device` for this user and pass it to the next sign-in.
    Confirmed {
        /// Device key, group key and the device password the flow made up.
        device: RememberedDevice,
        /// `UserConfirmationNecessary`: the pool lets the user choose. The device is tracked but
        /// not remembered until the app calls `UpdateDeviceStatus` with `remembered`
        /// (see [`UpdateDeviceStatus`](crate::account::UpdateDeviceStatus)).
        user_confirmation_necessary: bool,
    },
    /// Cognito refused `ConfirmDevice`; the sign-in itself succeeded. Nothing to store.
    ConfirmFailed(ServiceError),
    /// `ConfirmDevice` answered with a body that is not what Cognito sends; the sign-in itself
    /// succeeded. Nothing to store.
    ConfirmResponseMalformed(ResponseError),
}
