//! [`Error`]: the union of every module's error, for callers that handle them alike.

use core::fmt;

use crate::phone_number::PhoneNumberError;
use crate::srp::SrpError;
use crate::totp::{OtpauthUriError, TotpError};
use crate::user_pool_id::UserPoolIdError;
use crate::wire::{EndpointError, ResponseError};

/// Any error of the core. Each module has its own small enum; this wraps them so that `?` works
/// across modules. Match on the inner enum for details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// See [`SrpError`].
    Srp(SrpError),
    /// See [`TotpError`].
    Totp(TotpError),
    /// See [`OtpauthUriError`].
    OtpauthUri(OtpauthUriError),
    /// See [`PhoneNumberError`].
    PhoneNumber(PhoneNumberError),
    /// See [`UserPoolIdError`].
    UserPoolId(UserPoolIdError),
    /// See [`EndpointError`].
    Endpoint(EndpointError),
    /// See [`ResponseError`].
    Response(ResponseError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Srp(e) => e.fmt(f),
            Self::Totp(e) => e.fmt(f),
            Self::OtpauthUri(e) => e.fmt(f),
            Self::PhoneNumber(e) => e.fmt(f),
            Self::UserPoolId(e) => e.fmt(f),
            Self::Endpoint(e) => e.fmt(f),
            Self::Response(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Srp(e) => Some(e),
            Self::Totp(e) => Some(e),
            Self::OtpauthUri(e) => Some(e),
            Self::PhoneNumber(e) => Some(e),
            Self::UserPoolId(e) => Some(e),
            Self::Endpoint(e) => Some(e),
            Self::Response(e) => Some(e),
        }
    }
}

macro_rules! from_module_error {
    ($($variant:ident($inner:ty)),* $(,)?) => {$(
        impl From<$inner> for Error {
            fn from(e: $inner) -> Self {
                Self::$variant(e)
            }
        }
    )*};
}

from_module_error!(
    Srp(SrpError),
    Totp(TotpError),
    OtpauthUri(OtpauthUriError),
    PhoneNumber(PhoneNumberError),
    UserPoolId(UserPoolIdError),
    Endpoint(EndpointError),
    Response(ResponseError),
);
