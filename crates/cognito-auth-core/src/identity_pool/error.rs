//! [`IdentityPoolError`]: why an identity-pool request was not built, or its answer not used.

use core::fmt;

use crate::wire::{EndpointError, ResponseError, ServiceError};

/// An identity-pool operation or the [`CredentialsProvider`](super::CredentialsProvider)
/// failed. Input problems are found before a request is built; no variant carries a token,
/// a key or a response body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdentityPoolError {
    /// The identity pool id is not `<region>:<GUID>` (e.g.
    /// `us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60`).
    InvalidIdentityPoolId,
    /// An identity id the app gave (a stored one) is not `<region>:<GUID>` of at most 55
    /// characters. (One in a response is a [`ResponseError::FieldHasWrongType`].)
    InvalidIdentityId,
    /// A login's provider name is empty, too long or has whitespace or control characters.
    InvalidLoginProvider,
    /// A login's token (the ID token) is empty.
    EmptyLoginToken,
    /// More logins than Cognito accepts in one request.
    TooManyLogins {
        /// The largest number accepted, [`Logins::MAX`](super::Logins::MAX).
        max: usize,
    },
    /// [`CredentialsProvider::update_logins`](super::CredentialsProvider::update_logins) was
    /// given other providers than the provider holds: that is another user (or a guest
    /// becoming one); use [`switch_logins`](super::CredentialsProvider::switch_logins).
    LoginProvidersChanged,
    /// The credentials' `Expiration` is negative, not a number of seconds Cognito could mean
    /// (after the year 9999), or more than a year after the response arrived (milliseconds
    /// sent as seconds): such credentials would never be refreshed.
    ExpirationOutOfRange,
    /// Cognito refused (see [`ServiceError::kind`] and `is_retryable`). `NotAuthorizedException`
    /// for a guest means the pool does not allow unauthenticated identities; for logins, the
    /// ID token expired or is not from a provider of the pool.
    Service(ServiceError),
    /// A successful response whose body is not what Cognito sends.
    Response(ResponseError),
    /// The region of the identity pool id cannot make an endpoint.
    Endpoint(EndpointError),
    /// A response was handed in, but no request of the provider is in flight (none was sent,
    /// or it was abandoned by a change of logins).
    NoRequestInFlight,
}

impl fmt::Display for IdentityPoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidIdentityPoolId => f.write_str(
                "identity pool id must be <region>:<GUID>, like \
                 us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60",
            ),
            Self::InvalidIdentityId => {
                f.write_str("identity id must be <region>:<GUID> of at most 55 characters")
            }
            Self::InvalidLoginProvider => f.write_str(
                "login provider name is empty, longer than 128 characters or has whitespace",
            ),
            Self::EmptyLoginToken => f.write_str("login token is empty"),
            Self::TooManyLogins { max } => write!(f, "at most {max} logins are accepted"),
            Self::LoginProvidersChanged => f.write_str(
                "the logins name other providers than before: that is another identity, \
                 switch logins instead of updating them",
            ),
            Self::ExpirationOutOfRange => f.write_str(
                "credentials Expiration is not a plausible number of seconds since the epoch",
            ),
            Self::Service(e) => write!(f, "Cognito refused: {e}"),
            Self::Response(e) => write!(f, "unexpected response from Cognito: {e}"),
            Self::Endpoint(e) => e.fmt(f),
            Self::NoRequestInFlight => {
                f.write_str("no identity-pool request is in flight for this response")
            }
        }
    }
}

impl core::error::Error for IdentityPoolError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Service(e) => Some(e),
            Self::Response(e) => Some(e),
            Self::Endpoint(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ServiceError> for IdentityPoolError {
    fn from(e: ServiceError) -> Self {
        Self::Service(e)
    }
}

impl From<ResponseError> for IdentityPoolError {
    fn from(e: ResponseError) -> Self {
        Self::Response(e)
    }
}

impl From<EndpointError> for IdentityPoolError {
    fn from(e: EndpointError) -> Self {
        Self::Endpoint(e)
    }
}
