//! The Cognito user-pool wire format: requests to send, responses and errors to read.
//!
//! Cognito's user-pool API speaks the AWS JSON 1.1 protocol (`awsJson1_1`):
//!
//! 1. Every call is `POST` to one regional [`Endpoint`],
//!    `https://cognito-idp.<region>.amazonaws.com/`.
//! 2. A header names the operation:
//!    `x-amz-target: AWSCognitoIdentityProviderService.<Operation>`.
//! 3. `content-type` is [`CONTENT_TYPE`], `application/x-amz-json-1.1`.
//! 4. The body is one JSON object with PascalCase members (`ClientId`, `AuthFlow`, ...).
//! 5. The calls an app makes are unsigned: no SigV4. Calls for a signed-in user carry the access
//!    token in the body (`AccessToken`), not in a header.
//! 6. Success is HTTP 2xx with a JSON object: for sign-in, a challenge or the tokens
//!    ([`AuthenticationResult`]).
//! 7. Failure is HTTP 3xx-5xx, the error code in the [`ERROR_TYPE_HEADER`] header and/or the body
//!    `{"__type": "NotAuthorizedException", "message": "..."}`: see [`ServiceError::parse`].
//! 8. Throttling is 429 `TooManyRequestsException`; Cognito's own faults are 5xx.
//!
//! The core builds every [`Request`] and reads every response; the app only moves bytes.
//!
//! ```
//! use cognito_auth_core::wire::{self, Endpoint, Operation, ServiceError, ServiceErrorKind};
//! use cognito_auth_core::UserPoolId;
//!
//! let endpoint = Endpoint::for_user_pool(&UserPoolId::parse("eu-west-1_Abc123XyZ")?)?;
//! assert_eq!(endpoint.as_str(), "https://cognito-idp.eu-west-1.amazonaws.com/");
//! assert_eq!(
//!     Operation::InitiateAuth.target(),
//!     "AWSCognitoIdentityProviderService.InitiateAuth"
//! );
//!
//! // The app POSTs a request and gets, say, this back:
//! let (status, header) = (400, None);
//! let body = br#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#;
//! assert!(!wire::is_success(status));
//! let error = ServiceError::parse(status, header, body);
//! assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized);
//! assert_eq!(error.to_string(), "NotAuthorizedException: Incorrect username or password.");
//! assert!(!error.is_retryable());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod auth_response;
mod challenge_parameters;
mod code_delivery;
mod endpoint;
mod form_request;
mod http_response;
mod json;
mod operation;
mod request;
mod response_error;
mod service_error;

pub(crate) use auth_response::AuthResponse;
pub use auth_response::{AuthenticationResult, ChallengeName, NewDeviceMetadata};
pub(crate) use challenge_parameters::{ChallengeParameters, MissingParameter};
pub use code_delivery::CodeDelivery;
pub use endpoint::{Endpoint, EndpointError};
pub(crate) use form_request::percent_encode_into;
pub use form_request::{FORM_CONTENT_TYPE, FormRequest};
pub use http_response::HttpResponse;
pub(crate) use json::take_object;
pub(crate) use json::{json_object, require_string, take, take_bool, take_string};
pub(crate) use json::{take_secret, take_u64};
pub use operation::Operation;
pub use request::Request;
pub(crate) use request::wipe as wipe_json;
pub use response_error::ResponseError;
pub use service_error::{ServiceError, ServiceErrorKind};

/// The `content-type` of every request (and of Cognito's responses).
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The HTTP method of every request.
pub const METHOD: &str = "POST";

/// The response header that may carry the error code (`x-amzn-ErrorType`; header names are
/// case-insensitive). Pass its value to [`ServiceError::parse`].
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// The largest response body the parsers read, 1 MiB. Real Cognito responses are a few
/// kilobytes (three JWTs at most); anything bigger is refused with [`ResponseError::TooLarge`]
/// before it is parsed, so a hostile server cannot make the core allocate without bound.
pub const MAX_BODY_LEN: usize = 1 << 20;

/// Whether an HTTP status is a success (2xx), whose body the sign-in parsers read. Any other
/// status is an error: give it to [`ServiceError::parse`].
///
/// ```
/// use cognito_auth_core::wire::is_success;
///
/// assert!(is_success(200));
/// assert!(!is_success(400));
/// assert!(!is_success(302));
/// ```
pub const fn is_success(status: u16) -> bool {
    200 <= status && status < 300
}

#[cfg(test)]
mod no_panic_tests;
