//! Why a command failed, and the exit code that says so.

use core::fmt;

use cognito_auth_core::ServiceError;
use cognito_auth_core::account::AccountError;
use cognito_auth_core::sign_in::SignInError;

use crate::output::server_text;

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or input (exit 2): nothing was sent, or the input cannot be used.
    Usage(String),
    /// Cognito refused (exit 1): its error code and message.
    Refused {
        /// `__type`, e.g. `NotAuthorizedException`.
        code: String,
        /// Cognito's message.
        message: String,
        /// What to fix on the backend, when the core knows.
        hint: Option<&'static str>,
    },
    /// Anything else (exit 1): no answer, an unexpected answer, a file that cannot be written.
    Failed(String),
}

impl Failure {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Refused { .. } | Self::Failed(_) => 1,
        }
    }

    /// Bad usage or input.
    pub fn usage(message: impl fmt::Display) -> Self {
        Self::Usage(message.to_string())
    }

    /// Any other failure.
    pub fn failed(message: impl fmt::Display) -> Self {
        Self::Failed(message.to_string())
    }
}

impl From<ServiceError> for Failure {
    /// The server's code and message with every terminal control escaped
    /// ([`crate::sanitize::escape_controls`]): they are shown, never obeyed.
    fn from(error: ServiceError) -> Self {
        Self::Refused {
            code: server_text(error.code()),
            message: server_text(error.message()),
            hint: error.backend_hint(),
        }
    }
}

impl From<AccountError> for Failure {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Service(service) => service.into(),
            AccountError::Response(response) => {
                Self::failed(format!("unexpected response: {response}"))
            }
            // Everything else is refused before a request exists: bad input.
            other => Self::usage(other),
        }
    }
}

impl From<SignInError> for Failure {
    fn from(error: SignInError) -> Self {
        match error {
            SignInError::Service(service) | SignInError::AnswerRefused(service) => service.into(),
            SignInError::InvalidCode(_)
            | SignInError::EmptyPassword
            | SignInError::PasswordRequired
            | SignInError::InvalidEmailAddress
            | SignInError::MissingRequiredAttribute { .. }
            | SignInError::ChoiceNotOffered
            | SignInError::AnswerDoesNotFitStep { .. } => Self::usage(error),
            other => Self::failed(other),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) | Self::Failed(message) => f.write_str(message),
            Self::Refused {
                code,
                message,
                hint,
            } => {
                write!(f, "{code}: {message}")?;
                if let Some(hint) = hint {
                    write!(f, "\nhint: {hint}")?;
                }
                Ok(())
            }
        }
    }
}
