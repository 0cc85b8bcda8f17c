//! [`Error`]: the union of every module's error, for callers that handle them alike.

use core::fmt;

use crate::account::AccountError;
use crate::client::{ClientConfigError, CodeError};
use crate::context_data::ContextDataError;
use crate::identity_pool::IdentityPoolError;
use crate::jwt::JwtError;
use crate::oauth::OAuthError;
use crate::passkey::PasskeyError;
use crate::phone_number::PhoneNumberError;
use crate::session::SessionError;
use crate::sign_in::{SignInError, SnapshotError};
use crate::srp::SrpError;
use crate::totp::{OtpauthUriError, TotpError};
use crate::user_pool_id::UserPoolIdError;
use crate::wire::{EndpointError, ResponseError};

/// Any error of the core: every module's error enum, so that `?` works across modules. Match
/// on the inner enum for details. (A test lists every public error enum of the core and
/// checks that each converts into this one.)
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// See [`ClientConfigError`].
    ClientConfig(ClientConfigError),
    /// See [`CodeError`].
    Code(CodeError),
    /// See [`SignInError`].
    SignIn(SignInError),
    /// See [`SnapshotError`].
    Snapshot(SnapshotError),
    /// See [`AccountError`].
    Account(AccountError),
    /// See [`JwtError`].
    Jwt(JwtError),
    /// See [`SessionError`].
    Session(SessionError),
    /// See [`ContextDataError`].
    ContextData(ContextDataError),
    /// See [`PasskeyError`].
    Passkey(PasskeyError),
    /// See [`IdentityPoolError`].
    IdentityPool(IdentityPoolError),
    /// See [`OAuthError`].
    OAuth(OAuthError),
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
            Self::ClientConfig(e) => e.fmt(f),
            Self::Code(e) => e.fmt(f),
            Self::SignIn(e) => e.fmt(f),
            Self::Snapshot(e) => e.fmt(f),
            Self::Account(e) => e.fmt(f),
            Self::Jwt(e) => e.fmt(f),
            Self::Session(e) => e.fmt(f),
            Self::OAuth(e) => e.fmt(f),
            Self::IdentityPool(e) => e.fmt(f),
            Self::ContextData(e) => e.fmt(f),
            Self::Passkey(e) => e.fmt(f),
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
            Self::ClientConfig(e) => Some(e),
            Self::Code(e) => Some(e),
            Self::SignIn(e) => Some(e),
            Self::Snapshot(e) => Some(e),
            Self::Account(e) => Some(e),
            Self::Jwt(e) => Some(e),
            Self::Session(e) => Some(e),
            Self::OAuth(e) => Some(e),
            Self::IdentityPool(e) => Some(e),
            Self::ContextData(e) => Some(e),
            Self::Passkey(e) => Some(e),
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
    ClientConfig(ClientConfigError),
    Code(CodeError),
    SignIn(SignInError),
    Snapshot(SnapshotError),
    Account(AccountError),
    Jwt(JwtError),
    Session(SessionError),
    ContextData(ContextDataError),
    Passkey(PasskeyError),
    IdentityPool(IdentityPoolError),
    OAuth(OAuthError),
);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    /// Every `pub enum *Error` the core declares, by name, read from its sources.
    fn declared_error_enums() -> Vec<String> {
        fn walk(dir: &std::path::Path, names: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, names);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    names.extend(
                        source
                            .lines()
                            .filter_map(|line| line.strip_prefix("pub enum "))
                            .filter_map(|rest| rest.split_whitespace().next())
                            .filter(|name| name.ends_with("Error") && *name != "Error")
                            .map(String::from),
                    );
                }
            }
        }
        let mut names = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut names,
        );
        names
    }

    #[test]
    fn every_module_error_is_a_variant() {
        let covered = [
            "SrpError",
            "TotpError",
            "OtpauthUriError",
            "PhoneNumberError",
            "UserPoolIdError",
            "EndpointError",
            "ResponseError",
            "ClientConfigError",
            "CodeError",
            "SignInError",
            "SnapshotError",
            "AccountError",
            "JwtError",
            "SessionError",
            "ContextDataError",
            "PasskeyError",
            "IdentityPoolError",
            "OAuthError",
        ];
        let mut declared = declared_error_enums();
        declared.sort();
        let mut covered: Vec<String> = covered.iter().map(ToString::to_string).collect();
        covered.sort();
        assert_eq!(declared, covered);
        let wrapped: Error = JwtError::Malformed.into();
        assert_eq!(wrapped.to_string(), JwtError::Malformed.to_string());
        let wrapped: Error = SignInError::Finished.into();
        assert!(core::error::Error::source(&wrapped).is_some());
    }
}
