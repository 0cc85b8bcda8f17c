//! [`SignInError`]: why a response or an answer could not move the sign-in forward.

use alloc::string::String;
use core::fmt;

use crate::client::CodeError;
use crate::context_data::ContextDataError;
use crate::passkey::PasskeyError;
use crate::srp::SrpError;
use crate::totp::TotpError;
use crate::wire::{ResponseError, ServiceError, ServiceErrorKind};

/// A sign-in could not go on, or a call did not fit the flow's state.
///
/// After an error, [`SignIn::pending_step`](super::SignIn::pending_step) says whether the flow
/// still waits for an answer (a wrong code, a call that did not fit) or is over.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignInError {
    /// Cognito refused, and the flow is over; [`ServiceError::restarts_sign_in`] and
    /// [`ServiceError::is_retryable`] say what to do.
    Service(ServiceError),
    /// Cognito refused the answer to a step, and the same step stays open: answer again. This
    /// is a wrong or expired code (`CodeMismatchException`, `ExpiredCodeException`), a refused
    /// new password (`InvalidPasswordException`, `PasswordHistoryPolicyViolationException`),
    /// a TOTP setup code that did not verify (`EnableSoftwareTokenMFAException`) or an email
    /// address already in use (`AliasExistsException`). The same kinds of refusal to a request
    /// that did not answer a step (e.g. `InitiateAuth`) end the flow and come as
    /// [`Service`](Self::Service).
    AnswerRefused(ServiceError),
    /// A successful response whose body is not what Cognito sends. The flow is over.
    Response(ResponseError),
    /// The server's SRP parameters were refused (B ≡ 0 mod N, bad hex, ...). The flow is over.
    Srp(SrpError),
    /// `AssociateSoftwareToken` returned an unusable secret. The flow is over.
    Totp(TotpError),
    /// A challenge lacked a parameter it cannot work without. The flow is over.
    MissingChallengeParameter {
        /// The challenge, e.g. `PASSWORD_VERIFIER`.
        challenge: String,
        /// The parameter, e.g. `SRP_B`.
        parameter: &'static str,
    },
    /// A challenge this library cannot answer (`ADMIN_NO_SRP_AUTH`, one newer than it, or a
    /// choice whose options are all unknown to it). The flow is over.
    UnsupportedChallenge {
        /// The challenge name as Cognito sent it.
        name: String,
    },
    /// A challenge the flow does not accept at this point (see the
    /// [challenge policy](super::policy)): `PASSWORD` in an SRP sign-in, a second
    /// `PASSWORD_VERIFIER`, `DEVICE_PASSWORD_VERIFIER` without `DEVICE_SRP_AUTH`, ... A confused
    /// or hostile server. Nothing was sent in answer; the flow is over.
    UnexpectedChallenge {
        /// The flow, as the policy table names it (`USER_SRP_AUTH`, `CUSTOM_AUTH+SRP`, ...).
        flow: &'static str,
        /// The challenge name.
        name: String,
    },
    /// The sign-in reached [`MAX_REQUESTS_PER_SIGN_IN`](super::MAX_REQUESTS_PER_SIGN_IN)
    /// requests: a server that keeps it going without end. The flow is over.
    TooManyRequests {
        /// The limit.
        limit: u32,
    },
    /// `MFA_SETUP` offered no type that can be set up during sign-in (only SMS, or nothing):
    /// the user needs a verified phone number first, or the pool must allow TOTP or email.
    MfaSetupNotPossible,
    /// The flow needs the user's password but the credentials had none.
    PasswordRequired,
    /// Cognito asked for device SRP but no remembered device was given.
    DeviceRequired,
    /// The answer is not the kind the current step takes. The step stays open.
    AnswerDoesNotFitStep {
        /// The answer's kind, e.g. `TotpCode`.
        answer: &'static str,
    },
    /// The answer picks an option the step did not offer. The step stays open.
    ChoiceNotOffered,
    /// The code is not 4 to 10 digits. The step stays open.
    InvalidCode(CodeError),
    /// A required attribute has no value in the `NewPassword` answer. The step stays open.
    MissingRequiredAttribute {
        /// The attribute, e.g. `name`.
        name: String,
    },
    /// The email address for email MFA has no `@`. The step stays open.
    InvalidEmailAddress,
    /// The new password is empty. The step stays open.
    EmptyPassword,
    /// `VerifySoftwareToken` answered `Status: ERROR`: the first TOTP code was not accepted.
    /// The `SetUpTotp` step stays open.
    TotpSetupCodeRejected,
    /// [`SignIn::handle_response`](super::SignIn::handle_response) was called with no request
    /// in flight (the flow waits for an answer, or is over).
    NoRequestInFlight,
    /// [`SignIn::answer`](super::SignIn::answer) was called while no step waits for an answer.
    NoStepWaiting,
    /// The flow is over (signed in, or failed); start a new one.
    Finished,
    /// The threat-protection context data could not be signed for a request (too long). The
    /// flow is over.
    ContextData(ContextDataError),
    /// The `WEB_AUTHN` challenge's `CREDENTIAL_REQUEST_OPTIONS` are not usable passkey
    /// options (see [`crate::passkey`]). The flow is over.
    PasskeyOptions(PasskeyError),
    /// The passkey credential given as the answer is not an `AuthenticationResponseJSON`. The
    /// step stays open.
    PasskeyCredential(PasskeyError),
}

impl SignInError {
    /// Whether the flow still waits for an answer to the same step after this error.
    pub fn step_still_open(&self) -> bool {
        matches!(
            self,
            Self::AnswerRefused(_)
                | Self::AnswerDoesNotFitStep { .. }
                | Self::ChoiceNotOffered
                | Self::InvalidCode(_)
                | Self::MissingRequiredAttribute { .. }
                | Self::InvalidEmailAddress
                | Self::EmptyPassword
                | Self::TotpSetupCodeRejected
                | Self::PasskeyCredential(_)
        )
    }

    /// The service error behind this error, whether the flow ended or the step stays open.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(error) | Self::AnswerRefused(error) => Some(error),
            _ => None,
        }
    }
}

/// Errors after which Cognito lets the user try the same step again with the same session.
pub(crate) fn keeps_step_open(error: &ServiceError) -> bool {
    matches!(
        error.kind(),
        ServiceErrorKind::CodeMismatch
            | ServiceErrorKind::ExpiredCode
            | ServiceErrorKind::InvalidPassword
            | ServiceErrorKind::PasswordHistoryPolicyViolation
            | ServiceErrorKind::EnableSoftwareTokenMfa
            | ServiceErrorKind::AliasExists
    )
}

impl fmt::Display for SignInError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(e) => write!(f, "Cognito refused: {e}"),
            Self::AnswerRefused(e) => write!(f, "Cognito refused the answer (try again): {e}"),
            Self::Response(e) => write!(f, "unexpected response from Cognito: {e}"),
            Self::Srp(e) => write!(f, "SRP exchange refused: {e}"),
            Self::Totp(e) => write!(f, "TOTP setup refused: {e}"),
            Self::MissingChallengeParameter {
                challenge,
                parameter,
            } => write!(f, "challenge {challenge} lacks the parameter {parameter}"),
            Self::UnsupportedChallenge { name } => {
                write!(f, "challenge {name} cannot be answered by this library")
            }
            Self::UnexpectedChallenge { flow, name } => {
                write!(
                    f,
                    "the server sent the challenge {name}, which a {flow} sign-in does not accept at this point; the sign-in is over and nothing was sent"
                )?;
                let srp_flow = matches!(*flow, "USER_SRP_AUTH" | "CUSTOM_AUTH+SRP");
                if srp_flow && (name == "PASSWORD" || name == "PASSWORD_SRP") {
                    f.write_str(
                        " (the server asked for the plaintext password in an SRP sign-in: check the endpoint)",
                    )?;
                }
                Ok(())
            }
            Self::TooManyRequests { limit } => write!(
                f,
                "the sign-in reached {limit} requests without finishing; the server keeps it going, so it is over"
            ),
            Self::MfaSetupNotPossible => f.write_str(
                "MFA setup is required but no type can be set up during sign-in (only SMS or none is offered)",
            ),
            Self::PasswordRequired => f.write_str("this sign-in needs the user's password"),
            Self::DeviceRequired => {
                f.write_str("Cognito asked for device SRP but no remembered device was given")
            }
            Self::AnswerDoesNotFitStep { answer } => {
                write!(f, "a {answer} answer does not fit the current step")
            }
            Self::ChoiceNotOffered => f.write_str("that option was not offered"),
            Self::InvalidCode(e) => e.fmt(f),
            Self::MissingRequiredAttribute { name } => {
                write!(f, "the required attribute {name} has no value")
            }
            Self::InvalidEmailAddress => f.write_str("the email address has no '@'"),
            Self::EmptyPassword => f.write_str("the new password is empty"),
            Self::TotpSetupCodeRejected => {
                f.write_str("the authenticator code was not accepted; enter the current code")
            }
            Self::NoRequestInFlight => f.write_str("no request is in flight"),
            Self::NoStepWaiting => f.write_str("no step is waiting for an answer"),
            Self::Finished => f.write_str("the sign-in is over; start a new one"),
            Self::ContextData(e) => write!(f, "context data: {e}"),
            Self::PasskeyOptions(e) => write!(f, "the passkey challenge's options: {e}"),
            Self::PasskeyCredential(e) => write!(f, "the passkey credential: {e}"),
        }
    }
}

impl core::error::Error for SignInError {}

impl From<ContextDataError> for SignInError {
    fn from(e: ContextDataError) -> Self {
        Self::ContextData(e)
    }
}

impl From<SrpError> for SignInError {
    fn from(e: SrpError) -> Self {
        Self::Srp(e)
    }
}

impl From<ResponseError> for SignInError {
    fn from(e: ResponseError) -> Self {
        Self::Response(e)
    }
}

impl From<TotpError> for SignInError {
    fn from(e: TotpError) -> Self {
        Self::Totp(e)
    }
}
