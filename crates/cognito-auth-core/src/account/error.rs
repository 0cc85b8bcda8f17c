//! [`AccountError`]: why an account operation was refused, locally or by Cognito.

use alloc::string::String;
use core::fmt;

use crate::client::CodeError;
use crate::context_data::ContextDataError;
use crate::passkey::PasskeyError;
use crate::phone_number::PhoneNumberError;
use crate::totp::TotpError;
use crate::wire::{ResponseError, ServiceError};

/// An account operation failed. Input problems are found before any request is built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountError {
    /// Cognito refused (see [`ServiceError::kind`], `is_retryable`, `backend_hint`).
    Service(ServiceError),
    /// A successful response whose body is not what Cognito sends.
    Response(ResponseError),
    /// A required field is empty.
    EmptyField {
        /// The field, e.g. `username`.
        field: &'static str,
    },
    /// A `phone_number` attribute that is not a valid E.164 number.
    PhoneNumber(PhoneNumberError),
    /// A confirmation or TOTP code that is not 4 to 10 digits.
    InvalidCode(CodeError),
    /// A TOTP secret Cognito returned could not be used.
    Totp(TotpError),
    /// The same attribute was given twice.
    DuplicateAttribute {
        /// The attribute name.
        name: String,
    },
    /// More than one MFA type was marked preferred; Cognito allows one.
    MoreThanOnePreferredMfa,
    /// An MFA type was marked preferred but not enabled.
    PreferredMfaNotEnabled,
    /// A page size larger than Cognito accepts (`ListDevices` allows at most 60).
    LimitTooLarge {
        /// The limit given.
        limit: u32,
        /// The largest limit Cognito accepts.
        max: u32,
    },
    /// `VerifySoftwareToken` answered `Status: ERROR`: the TOTP code did not match the new
    /// secret. Ask for the authenticator's next code and verify again.
    TotpSetupCodeRejected,
    /// The threat-protection context data could not be signed (too long, an empty key).
    ContextData(ContextDataError),
    /// A passkey credential to register is not a `RegistrationResponseJSON`, or Cognito's
    /// creation options are not usable passkey options.
    Passkey(PasskeyError),
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(e) => write!(f, "Cognito refused: {e}"),
            Self::Response(e) => write!(f, "unexpected response from Cognito: {e}"),
            Self::EmptyField { field } => write!(f, "{field} is empty"),
            Self::PhoneNumber(e) => write!(f, "phone_number: {e}"),
            Self::InvalidCode(crate::client::CodeError::Length { len }) => {
                write!(
                    f,
                    "a code has 4 to 10 digits, this one has {len} characters"
                )
            }
            Self::InvalidCode(crate::client::CodeError::NotDigit { position }) => {
                write!(f, "a code has only digits (character {position} is not)")
            }
            Self::Totp(e) => write!(f, "TOTP secret refused: {e}"),
            Self::DuplicateAttribute { name } => write!(f, "attribute {name} is given twice"),
            Self::MoreThanOnePreferredMfa => f.write_str("at most one MFA type can be preferred"),
            Self::PreferredMfaNotEnabled => {
                f.write_str("a preferred MFA type must also be enabled")
            }
            Self::LimitTooLarge { limit, max } => {
                write!(f, "limit {limit} is larger than the {max} Cognito accepts")
            }
            Self::TotpSetupCodeRejected => {
                f.write_str("Cognito rejected the code for the new TOTP secret")
            }
            Self::ContextData(e) => write!(f, "context data: {e}"),
            Self::Passkey(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for AccountError {}

impl From<ServiceError> for AccountError {
    fn from(e: ServiceError) -> Self {
        Self::Service(e)
    }
}

impl From<ResponseError> for AccountError {
    fn from(e: ResponseError) -> Self {
        Self::Response(e)
    }
}

impl From<PhoneNumberError> for AccountError {
    fn from(e: PhoneNumberError) -> Self {
        Self::PhoneNumber(e)
    }
}

impl From<ContextDataError> for AccountError {
    fn from(e: ContextDataError) -> Self {
        Self::ContextData(e)
    }
}

impl From<TotpError> for AccountError {
    fn from(e: TotpError) -> Self {
        Self::Totp(e)
    }
}
