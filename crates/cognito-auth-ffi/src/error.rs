//! [`CognitoAuthError`]: the one error type of the bindings, and the one place every core error
//! is converted into it.
//!
//! Every variant carries a `reason`: the core's own message (its `Display`), which names what
//! was wrong but never a secret (no password, code, token or key). Structured fields sit next
//! to it where an app branches on them (`Service.kind`, `Totp.kind`, ...). No field is named
//! `message`: Kotlin's generated exception classes already have one.

use core::fmt;
use std::sync::PoisonError;

use cognito_auth_core::account::AccountError;
use cognito_auth_core::identity_pool::IdentityPoolError;
use cognito_auth_core::jwt::JwtError;
use cognito_auth_core::oauth::OAuthError;
use cognito_auth_core::session::SessionError;
use cognito_auth_core::sign_in::{CodeError, SignInError, SnapshotError};
use cognito_auth_core::srp::SrpError;
use cognito_auth_core::totp::{OtpauthUriError, TotpError};
use cognito_auth_core::wire::{EndpointError, ResponseError, ServiceError};
use cognito_auth_core::{PhoneNumberError, UserPoolIdError};

/// Everything an exported function can fail with.
///
/// Kotlin: `CognitoAuthException` (sealed), Swift/Python: `CognitoAuthError`, Dart:
/// `CognitoAuthErrorException`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
#[non_exhaustive]
pub enum CognitoAuthError {
    /// An argument the app passed was refused before anything was sent: a malformed user-pool
    /// id or endpoint URL, an empty required field, a code that is not 4 to 10 digits, an
    /// answer that does not fit the current sign-in step, ... A sign-in step stays open after
    /// this error: correct the input and answer again.
    InvalidInput {
        /// What was refused, e.g. `user_pool_id`, `code`, `answer`.
        what: String,
        /// Why, in English.
        reason: String,
    },
    /// Cognito refused the request (HTTP 3xx-5xx): `NotAuthorizedException`,
    /// `CodeMismatchException`, ...
    Service {
        /// The error as a kind to branch on (`Unknown` for codes this library does not know).
        kind: ServiceErrorKind,
        /// The error code as sent, e.g. `NotAuthorizedException`.
        code: String,
        /// Cognito's message, e.g. `Incorrect username or password.`
        service_message: String,
        /// The HTTP status.
        status: u16,
        /// Throttling or a server fault: the same request may succeed later.
        retryable: bool,
        /// The sign-in cannot go on (wrong password, unknown user, ...): start a new one.
        restarts_sign_in: bool,
        /// For a sign-in: the same step is still open (a wrong or expired code, a refused new
        /// password): ask the user again. Always false for account operations.
        step_still_open: bool,
        /// For configuration problems (SMS role, SES, disabled flow, ...): what to fix in the
        /// user pool.
        backend_hint: Option<String>,
    },
    /// A successful HTTP response whose body is not what Cognito sends (not JSON, a missing or
    /// mistyped field), or a challenge missing a parameter it needs. The sign-in is over.
    UnexpectedResponse {
        /// What was wrong.
        reason: String,
    },
    /// A challenge this library cannot answer (or cannot answer at that point), or an MFA setup
    /// with no type that can be set up during sign-in. The sign-in is over.
    UnsupportedChallenge {
        /// The challenge name as Cognito sent it, e.g. `ADMIN_NO_SRP_AUTH`.
        challenge: String,
        /// Why it cannot be answered.
        reason: String,
    },
    /// The server's SRP values were refused (B ≡ 0 mod N, bad hex or base64, ...), or a test
    /// ephemeral was unusable. The sign-in is over.
    Srp {
        /// What was wrong.
        reason: String,
    },
    /// A TOTP secret, parameter or code was refused.
    Totp {
        /// What kind of problem.
        kind: TotpErrorKind,
        /// What was wrong.
        reason: String,
    },
    /// An `otpauth://` URI could not be read.
    OtpauthUri {
        /// What was wrong.
        reason: String,
    },
    /// A phone number is not a valid E.164 number.
    PhoneNumber {
        /// What was wrong (position and character where that helps).
        reason: String,
    },
    /// A sign-in snapshot could not be restored (damaged, expired, for another client, ...):
    /// start a new sign-in.
    Snapshot {
        /// The snapshot is older than allowed: Cognito's session has expired.
        expired: bool,
        /// What was wrong.
        reason: String,
    },
    /// A JWT that is not three base64url parts with a JSON payload, or lacks a claim.
    Jwt {
        /// What was wrong.
        reason: String,
    },
    /// `VerifySoftwareToken` answered `Status: ERROR`: the first code from the authenticator
    /// app was not accepted. Ask for the next code and try again (in a sign-in, the TOTP setup
    /// step stays open).
    TotpSetupCodeRejected {
        /// Explanation.
        reason: String,
    },
    /// A call that does not fit the object's state: a response with no request in flight, an
    /// answer while no step waits, a finished sign-in, `start` called twice, a test-only call
    /// on a normal session. Nothing changed.
    InvalidState {
        /// What did not fit.
        reason: String,
    },
    /// A stored session could not be restored: damaged or edited, another user pool or app
    /// client, another version, sealed without its key (or plain where a sealed one was
    /// expected). Sign in again.
    SessionRestore {
        /// What was wrong.
        reason: String,
    },
    /// The signed-in session is over (signed out, or the refresh token was refused): sign in
    /// again.
    SessionEnded {
        /// Why it ended.
        end_reason: crate::session::EndReason,
        /// The same, in English.
        reason: String,
    },
    /// A hosted-UI (OAuth 2.0) step failed: the redirect came back with `error=...`, its
    /// `state` is not the one sent, the token endpoint refused the code, the ID token's
    /// `nonce` does not match, or the stored pending authorization is unusable. Start a new
    /// authorization (after `Denied` with `access_denied`, the user cancelled).
    OAuth {
        /// What went wrong.
        kind: OAuthErrorKind,
        /// The OAuth `error` code, e.g. `invalid_grant`, `access_denied`.
        error_code: Option<String>,
        /// The OAuth `error_description`, if sent.
        error_description: Option<String>,
        /// The HTTP status, for `Refused`.
        status: Option<u16>,
        /// The same, in English.
        reason: String,
    },
    /// The platform failed: no randomness available, a clock before 1970, a lock poisoned by
    /// an earlier panic.
    Platform {
        /// What failed.
        reason: String,
    },
}

impl fmt::Display for CognitoAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput { what, reason } => write!(f, "invalid {what}: {reason}"),
            Self::Service {
                code,
                service_message,
                ..
            } if service_message.is_empty() => write!(f, "Cognito refused: {code}"),
            Self::Service {
                code,
                service_message,
                ..
            } => write!(f, "Cognito refused: {code}: {service_message}"),
            Self::UnsupportedChallenge { reason, .. }
            | Self::UnexpectedResponse { reason }
            | Self::Srp { reason }
            | Self::Totp { reason, .. }
            | Self::OtpauthUri { reason }
            | Self::PhoneNumber { reason }
            | Self::Snapshot { reason, .. }
            | Self::Jwt { reason }
            | Self::TotpSetupCodeRejected { reason }
            | Self::InvalidState { reason }
            | Self::SessionRestore { reason }
            | Self::SessionEnded { reason, .. }
            | Self::OAuth { reason, .. }
            | Self::Platform { reason } => f.write_str(reason),
        }
    }
}

impl std::error::Error for CognitoAuthError {}

/// The result of every exported function.
pub type Result<T, E = CognitoAuthError> = core::result::Result<T, E>;

impl CognitoAuthError {
    /// [`Self::InvalidInput`].
    pub(crate) fn invalid_input(what: &str, reason: impl fmt::Display) -> Self {
        Self::InvalidInput {
            what: what.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// [`Self::InvalidState`].
    pub(crate) fn invalid_state(reason: impl fmt::Display) -> Self {
        Self::InvalidState {
            reason: reason.to_string(),
        }
    }

    /// [`Self::Platform`].
    pub(crate) fn platform(reason: impl fmt::Display) -> Self {
        Self::Platform {
            reason: reason.to_string(),
        }
    }

    /// A Cognito refusal; `step_still_open` only for a sign-in that waits for the same step.
    pub(crate) fn service(error: &ServiceError, step_still_open: bool) -> Self {
        Self::Service {
            kind: error.kind().into(),
            code: error.code().to_owned(),
            service_message: error.message().to_owned(),
            status: error.status(),
            retryable: error.is_retryable(),
            restarts_sign_in: error.restarts_sign_in(),
            step_still_open,
            backend_hint: error.backend_hint().map(str::to_owned),
        }
    }
}

/// A mutex poisoned by a panic in an earlier call (which itself came back as an error).
impl<T> From<PoisonError<T>> for CognitoAuthError {
    fn from(_: PoisonError<T>) -> Self {
        Self::platform("the object is unusable: an earlier call panicked while holding its lock")
    }
}

impl From<ServiceError> for CognitoAuthError {
    fn from(error: ServiceError) -> Self {
        Self::service(&error, false)
    }
}

impl From<ResponseError> for CognitoAuthError {
    fn from(error: ResponseError) -> Self {
        Self::UnexpectedResponse {
            reason: error.to_string(),
        }
    }
}

impl From<SrpError> for CognitoAuthError {
    fn from(error: SrpError) -> Self {
        Self::Srp {
            reason: error.to_string(),
        }
    }
}

impl From<TotpError> for CognitoAuthError {
    fn from(error: TotpError) -> Self {
        match TotpErrorKind::of(error) {
            Some(kind) => Self::Totp {
                kind,
                reason: error.to_string(),
            },
            // A TOTP error newer than these bindings: not given a kind it may not have.
            None => Self::UnexpectedResponse {
                reason: error.to_string(),
            },
        }
    }
}

impl From<OtpauthUriError> for CognitoAuthError {
    fn from(error: OtpauthUriError) -> Self {
        Self::OtpauthUri {
            reason: error.to_string(),
        }
    }
}

impl From<PhoneNumberError> for CognitoAuthError {
    fn from(error: PhoneNumberError) -> Self {
        Self::PhoneNumber {
            reason: error.to_string(),
        }
    }
}

impl From<UserPoolIdError> for CognitoAuthError {
    fn from(error: UserPoolIdError) -> Self {
        Self::invalid_input("user_pool_id", error)
    }
}

impl From<EndpointError> for CognitoAuthError {
    fn from(error: EndpointError) -> Self {
        Self::invalid_input("endpoint_url", error)
    }
}

impl From<CodeError> for CognitoAuthError {
    fn from(error: CodeError) -> Self {
        Self::invalid_input("code", error)
    }
}

impl From<SnapshotError> for CognitoAuthError {
    fn from(error: SnapshotError) -> Self {
        match error {
            SnapshotError::NoStepWaiting => Self::invalid_state(error),
            SnapshotError::DeviceRequired => Self::invalid_input("device", error),
            // The snapshot cannot be used (its damage, age, seal or client): the generic
            // snapshot error, also for variants newer than these bindings.
            _ => Self::Snapshot {
                expired: matches!(error, SnapshotError::Expired { .. }),
                reason: error.to_string(),
            },
        }
    }
}

impl From<SessionError> for CognitoAuthError {
    fn from(error: SessionError) -> Self {
        match error {
            SessionError::Token(jwt) => jwt.into(),
            SessionError::NotAnAccessToken
            | SessionError::MissingUsername
            | SessionError::MissingRefreshToken
            | SessionError::UserChanged => Self::invalid_input("tokens", error),
            SessionError::ClientMismatch => Self::invalid_input("config", error),
            SessionError::Ended { reason } => Self::SessionEnded {
                end_reason: reason.into(),
                reason: error.to_string(),
            },
            SessionError::NoRefreshInFlight | SessionError::NoSignOutInFlight => {
                Self::invalid_state(error)
            }
            SessionError::Response(response) => response.into(),
            SessionError::Account(account) => account.into(),
            SessionError::SignOutNotConfirmed(service) => service.into(),
            SessionError::KeyLength { .. } => Self::invalid_input("key", error),
            SessionError::UnknownFormat
            | SessionError::UnsupportedVersion { .. }
            | SessionError::Corrupted
            | SessionError::SealMismatch
            | SessionError::SealedNeedsKey
            | SessionError::NotSealed => Self::SessionRestore {
                reason: error.to_string(),
            },
            // Newer than these bindings (the core's enum is `#[non_exhaustive]`).
            _ => Self::UnexpectedResponse {
                reason: error.to_string(),
            },
        }
    }
}

impl From<SignInError> for CognitoAuthError {
    fn from(error: SignInError) -> Self {
        let still_open = error.step_still_open();
        match error {
            SignInError::Service(service) | SignInError::AnswerRefused(service) => {
                Self::service(&service, still_open)
            }
            SignInError::Response(response) => response.into(),
            SignInError::Srp(srp) => srp.into(),
            SignInError::Totp(totp) => totp.into(),
            SignInError::InvalidCode(code) => code.into(),
            SignInError::MissingChallengeParameter { .. } => Self::UnexpectedResponse {
                reason: error.to_string(),
            },
            // The policy refused it: typed, with the challenge's name (the reason names the flow).
            SignInError::UnexpectedChallenge { ref name, .. } => Self::UnsupportedChallenge {
                challenge: name.clone(),
                reason: error.to_string(),
            },
            SignInError::UnsupportedChallenge { ref name } => Self::UnsupportedChallenge {
                challenge: name.clone(),
                reason: error.to_string(),
            },
            SignInError::MfaSetupNotPossible => Self::UnsupportedChallenge {
                challenge: "MFA_SETUP".to_owned(),
                reason: error.to_string(),
            },
            SignInError::PasswordRequired | SignInError::EmptyPassword => {
                Self::invalid_input("password", error)
            }
            SignInError::DeviceRequired => Self::invalid_input("device", error),
            SignInError::AnswerDoesNotFitStep { .. } | SignInError::ChoiceNotOffered => {
                Self::invalid_input("answer", error)
            }
            SignInError::MissingRequiredAttribute { .. } => {
                Self::invalid_input("attributes", error)
            }
            SignInError::InvalidEmailAddress => Self::invalid_input("email", error),
            SignInError::TotpSetupCodeRejected => Self::TotpSetupCodeRejected {
                reason: error.to_string(),
            },
            SignInError::NoRequestInFlight | SignInError::NoStepWaiting | SignInError::Finished => {
                Self::invalid_state(error)
            }
            SignInError::PasskeyCredential(_) => Self::invalid_input("credential", error),
            SignInError::ContextData(_) => Self::invalid_input("context_data", error),
            // What the server sent ends the sign-in: unusable passkey options, a sign-in kept
            // going without end.
            SignInError::PasskeyOptions(_) | SignInError::TooManyRequests { .. } => {
                Self::UnexpectedResponse {
                    reason: error.to_string(),
                }
            }
            // Newer than these bindings (the core's enum is `#[non_exhaustive]`).
            _ => Self::UnexpectedResponse {
                reason: error.to_string(),
            },
        }
    }
}

impl From<JwtError> for CognitoAuthError {
    fn from(error: JwtError) -> Self {
        Self::Jwt {
            reason: error.to_string(),
        }
    }
}

impl From<AccountError> for CognitoAuthError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Service(service) => service.into(),
            AccountError::Response(response) => response.into(),
            AccountError::PhoneNumber(phone) => phone.into(),
            AccountError::InvalidCode(code) => code.into(),
            AccountError::Totp(totp) => totp.into(),
            AccountError::EmptyField { field } => Self::invalid_input(field, error),
            AccountError::DuplicateAttribute { .. } => Self::invalid_input("attributes", error),
            AccountError::MoreThanOnePreferredMfa | AccountError::PreferredMfaNotEnabled => {
                Self::invalid_input("mfa_preference", error)
            }
            AccountError::LimitTooLarge { .. } => Self::invalid_input("limit", error),
            AccountError::ContextData(_) => Self::invalid_input("context_data", error),
            AccountError::TotpSetupCodeRejected => Self::TotpSetupCodeRejected {
                reason: error.to_string(),
            },
            // Cognito's creation options are not usable (a credential to register that is not
            // one is refused as InvalidInput before the operation exists).
            AccountError::Passkey(_) => Self::UnexpectedResponse {
                reason: error.to_string(),
            },
            // Newer than these bindings (the core's enum is `#[non_exhaustive]`).
            _ => Self::UnexpectedResponse {
                reason: error.to_string(),
            },
        }
    }
}

impl From<OAuthError> for CognitoAuthError {
    fn from(error: OAuthError) -> Self {
        let reason = error.to_string();
        let oauth = |kind, error_code, error_description, status| Self::OAuth {
            kind,
            error_code,
            error_description,
            status,
            reason: reason.clone(),
        };
        match error {
            OAuthError::InvalidDomain => Self::invalid_input("domain", error),
            OAuthError::InvalidRedirectUri => Self::invalid_input("redirect_uri", error),
            OAuthError::InvalidScope => Self::invalid_input("scope", error),
            OAuthError::KeyLength { .. } => Self::invalid_input("key", error),
            OAuthError::ClientMismatch => Self::invalid_input("client_id", error),
            OAuthError::Response(response) => response.into(),
            OAuthError::IdToken(jwt) => jwt.into(),
            OAuthError::Denied { code, description } => oauth(
                OAuthErrorKind::Denied,
                Some(code.as_str().to_owned()),
                description,
                None,
            ),
            OAuthError::Refused {
                status,
                code,
                description,
            } => oauth(
                OAuthErrorKind::Refused,
                Some(code.as_str().to_owned()),
                description,
                Some(status),
            ),
            OAuthError::HttpStatus { status } => {
                oauth(OAuthErrorKind::Refused, None, None, Some(status))
            }
            OAuthError::StateMismatch => oauth(OAuthErrorKind::StateMismatch, None, None, None),
            OAuthError::NonceMismatch => oauth(OAuthErrorKind::NonceMismatch, None, None, None),
            OAuthError::RedirectTooLong { .. }
            | OAuthError::RedirectUriMismatch
            | OAuthError::BadPercentEncoding
            | OAuthError::RepeatedParameter { .. }
            | OAuthError::MissingParameter { .. } => {
                oauth(OAuthErrorKind::BadRedirect, None, None, None)
            }
            OAuthError::StoredUnknownFormat
            | OAuthError::StoredUnsupportedVersion { .. }
            | OAuthError::StoredCorrupted
            | OAuthError::SealMismatch
            | OAuthError::SealedNeedsKey
            | OAuthError::NotSealed => oauth(OAuthErrorKind::StoredStateInvalid, None, None, None),
            // Newer than these bindings (the core's enum is `#[non_exhaustive]`): no kind guessed.
            _ => Self::UnexpectedResponse { reason },
        }
    }
}

/// What kind of hosted-UI problem ([`CognitoAuthError::OAuth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum OAuthErrorKind {
    /// The redirect carried `error=...` (`access_denied`: the user cancelled).
    Denied,
    /// The token or revocation endpoint refused (`invalid_grant`: the code was used, has
    /// expired or the verifier does not match; `invalid_client`: wrong id or secret).
    Refused,
    /// The redirect's `state` is not this authorization's: it answers another request.
    StateMismatch,
    /// The ID token's `nonce` is not this authorization's.
    NonceMismatch,
    /// The redirect URL is not for the redirect URI, or lacks, repeats or mis-encodes a
    /// parameter.
    BadRedirect,
    /// The stored pending authorization is damaged, edited, of another version, or sealed
    /// with another key (or sealed / plain where the other was expected).
    StoredStateInvalid,
}

impl From<IdentityPoolError> for CognitoAuthError {
    fn from(error: IdentityPoolError) -> Self {
        match error {
            IdentityPoolError::Service(service) => service.into(),
            IdentityPoolError::Response(response) => response.into(),
            IdentityPoolError::Endpoint(endpoint) => endpoint.into(),
            IdentityPoolError::InvalidIdentityPoolId => {
                Self::invalid_input("identity_pool_id", error)
            }
            IdentityPoolError::InvalidIdentityId => Self::invalid_input("identity_id", error),
            IdentityPoolError::NoRequestInFlight => Self::invalid_state(error),
            IdentityPoolError::ExpirationOutOfRange => Self::UnexpectedResponse {
                reason: error.to_string(),
            },
            IdentityPoolError::InvalidLoginProvider
            | IdentityPoolError::EmptyLoginToken
            | IdentityPoolError::TooManyLogins { .. }
            | IdentityPoolError::LoginProvidersChanged => Self::invalid_input("logins", error),
            // Newer than these bindings (the core's enum is `#[non_exhaustive]`).
            _ => Self::UnexpectedResponse {
                reason: error.to_string(),
            },
        }
    }
}

/// What kind of TOTP problem ([`CognitoAuthError::Totp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum TotpErrorKind {
    /// The secret is empty, not base32, or too short.
    InvalidSecret,
    /// Digits not 6-8, a zero period, or a time before T0.
    InvalidParameters,
    /// The code has the wrong length or a non-digit.
    MalformedCode,
    /// The code is well formed but wrong.
    CodeMismatch,
    /// The code was already used (its time step is not after the last used one).
    CodeReplayed,
}

impl TotpErrorKind {
    /// The kind of `error`; `None` for a variant newer than these bindings (the core's enum is
    /// `#[non_exhaustive]`), which is then not given a kind it may not have.
    fn of(error: TotpError) -> Option<Self> {
        Some(match error {
            TotpError::SecretEmpty
            | TotpError::SecretNotBase32 { .. }
            | TotpError::SecretPaddingNotAtEnd { .. }
            | TotpError::SecretLengthInvalid { .. }
            | TotpError::SecretTooShort { .. } => Self::InvalidSecret,
            TotpError::DigitsOutOfRange { .. }
            | TotpError::PeriodZero
            | TotpError::TimeBeforeT0 => Self::InvalidParameters,
            TotpError::CodeWrongLength { .. } | TotpError::CodeNotDigit { .. } => {
                Self::MalformedCode
            }
            TotpError::CodeMismatch => Self::CodeMismatch,
            TotpError::CodeReplayed => Self::CodeReplayed,
            _ => return None,
        })
    }
}

/// Builds the binding's `ServiceErrorKind` from the core's one list of kinds
/// (`cognito_auth_core::with_service_error_kinds!`), with the same names and documentation.
macro_rules! service_error_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal,)*) => {
        /// A Cognito error code as a kind (the core's `ServiceErrorKind`). `Unknown` for codes
        /// this library does not know; the code itself is in `CognitoAuthError.Service.code`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum ServiceErrorKind {
            $($(#[doc = $doc])* $variant,)*
            /// A code not listed here.
            Unknown,
        }

        impl From<cognito_auth_core::ServiceErrorKind> for ServiceErrorKind {
            fn from(kind: cognito_auth_core::ServiceErrorKind) -> Self {
                match kind {
                    $(cognito_auth_core::ServiceErrorKind::$variant => Self::$variant,)*
                    cognito_auth_core::ServiceErrorKind::Unknown => Self::Unknown,
                }
            }
        }

        #[cfg(test)]
        impl ServiceErrorKind {
            /// Every kind but `Unknown`.
            pub(crate) const KNOWN: &'static [Self] = &[$(Self::$variant,)*];
        }
    };
}

cognito_auth_core::with_service_error_kinds!(service_error_kinds);

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test fails by panicking"
    )]

    use super::*;
    use cognito_auth_core::sign_in::SignInError;

    #[test]
    fn every_totp_error_has_its_kind() {
        // Every variant the bindings know, with the kind it gets (a variant newer than the
        // bindings gets none: UnexpectedResponse, not a guessed kind).
        use TotpErrorKind as K;
        for (error, kind) in [
            (TotpError::SecretEmpty, K::InvalidSecret),
            (TotpError::SecretNotBase32 { position: 1 }, K::InvalidSecret),
            (
                TotpError::SecretPaddingNotAtEnd { position: 1 },
                K::InvalidSecret,
            ),
            (
                TotpError::SecretLengthInvalid { chars: 3 },
                K::InvalidSecret,
            ),
            (TotpError::SecretTooShort { bits: 8 }, K::InvalidSecret),
            (
                TotpError::DigitsOutOfRange { digits: 9 },
                K::InvalidParameters,
            ),
            (TotpError::PeriodZero, K::InvalidParameters),
            (TotpError::TimeBeforeT0, K::InvalidParameters),
            (
                TotpError::CodeWrongLength {
                    len: 5,
                    expected: 6,
                },
                K::MalformedCode,
            ),
            (TotpError::CodeNotDigit { position: 0 }, K::MalformedCode),
            (TotpError::CodeMismatch, K::CodeMismatch),
            (TotpError::CodeReplayed, K::CodeReplayed),
        ] {
            match CognitoAuthError::from(error) {
                CognitoAuthError::Totp { kind: got, .. } => assert_eq!(got, kind, "{error:?}"),
                other => panic!("{error:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_sign_in_kept_going_without_end_is_an_unexpected_response() {
        assert!(matches!(
            CognitoAuthError::from(SignInError::TooManyRequests { limit: 32 }),
            CognitoAuthError::UnexpectedResponse { .. }
        ));
    }

    #[test]
    fn stored_state_and_login_errors_keep_their_kind() {
        for error in [
            OAuthError::StoredUnknownFormat,
            OAuthError::StoredUnsupportedVersion { version: 9 },
            OAuthError::StoredCorrupted,
            OAuthError::SealMismatch,
            OAuthError::SealedNeedsKey,
            OAuthError::NotSealed,
        ] {
            assert!(
                matches!(
                    CognitoAuthError::from(error.clone()),
                    CognitoAuthError::OAuth {
                        kind: OAuthErrorKind::StoredStateInvalid,
                        ..
                    }
                ),
                "{error:?}"
            );
        }
        for error in [
            IdentityPoolError::InvalidLoginProvider,
            IdentityPoolError::EmptyLoginToken,
            IdentityPoolError::TooManyLogins { max: 10 },
            IdentityPoolError::LoginProvidersChanged,
        ] {
            match CognitoAuthError::from(error.clone()) {
                CognitoAuthError::InvalidInput { what, .. } => assert_eq!(what, "logins"),
                other => panic!("{error:?}: {other:?}"),
            }
        }
        for error in [
            SessionError::UnknownFormat,
            SessionError::UnsupportedVersion { version: 9 },
            SessionError::Corrupted,
            SessionError::SealMismatch,
            SessionError::SealedNeedsKey,
            SessionError::NotSealed,
        ] {
            assert!(
                matches!(
                    CognitoAuthError::from(error.clone()),
                    CognitoAuthError::SessionRestore { .. }
                ),
                "{error:?}"
            );
        }
    }

    #[test]
    fn every_core_service_kind_has_its_own_ffi_kind() {
        let core = cognito_auth_core::ServiceErrorKind::KNOWN;
        assert_eq!(core.len(), ServiceErrorKind::KNOWN.len());
        for (core_kind, ffi_kind) in core.iter().zip(ServiceErrorKind::KNOWN) {
            assert_eq!(
                ServiceErrorKind::from(*core_kind),
                *ffi_kind,
                "{core_kind:?}"
            );
            // The FFI name is the core name: both come from the same Cognito code.
            assert_eq!(format!("{core_kind:?}"), format!("{ffi_kind:?}"));
        }
        assert_eq!(
            ServiceErrorKind::from(cognito_auth_core::ServiceErrorKind::Unknown),
            ServiceErrorKind::Unknown
        );
    }

    #[test]
    fn service_errors_keep_code_message_and_advice() {
        let body = br#"{"__type":"CodeMismatchException","message":"Invalid code provided."}"#;
        let error = ServiceError::parse(400, None, body);
        let converted = CognitoAuthError::from(SignInError::AnswerRefused(error));
        let CognitoAuthError::Service {
            kind,
            code,
            service_message,
            status,
            retryable,
            restarts_sign_in,
            step_still_open,
            backend_hint,
        } = converted.clone()
        else {
            panic!("{converted:?}");
        };
        assert_eq!(kind, ServiceErrorKind::CodeMismatch);
        assert_eq!(code, "CodeMismatchException");
        assert_eq!(service_message, "Invalid code provided.");
        assert_eq!(status, 400);
        assert!(!retryable && !restarts_sign_in && step_still_open);
        assert_eq!(backend_hint, None);
        assert_eq!(
            converted.to_string(),
            "Cognito refused: CodeMismatchException: Invalid code provided."
        );

        let throttled = CognitoAuthError::from(ServiceError::parse(
            429,
            Some("TooManyRequestsException"),
            b"",
        ));
        assert!(matches!(
            throttled,
            CognitoAuthError::Service {
                kind: ServiceErrorKind::TooManyRequests,
                retryable: true,
                step_still_open: false,
                ..
            }
        ));
    }

    #[test]
    fn sign_in_errors_land_in_the_documented_variants() {
        type Check = fn(&CognitoAuthError) -> bool;
        let cases: Vec<(SignInError, Check)> = vec![
            (SignInError::Response(ResponseError::NotJson), |e| {
                matches!(e, CognitoAuthError::UnexpectedResponse { .. })
            }),
            (
                SignInError::Srp(SrpError::ServerPublicKeyNotHex { position: 3 }),
                |e| matches!(e, CognitoAuthError::Srp { .. }),
            ),
            (SignInError::Totp(TotpError::SecretEmpty), |e| {
                matches!(
                    e,
                    CognitoAuthError::Totp {
                        kind: TotpErrorKind::InvalidSecret,
                        ..
                    }
                )
            }),
            (
                SignInError::UnsupportedChallenge {
                    name: "ADMIN_NO_SRP_AUTH".into(),
                },
                |e| {
                    matches!(e, CognitoAuthError::UnsupportedChallenge { challenge, .. }
                        if challenge == "ADMIN_NO_SRP_AUTH")
                },
            ),
            (SignInError::MfaSetupNotPossible, |e| {
                matches!(e, CognitoAuthError::UnsupportedChallenge { challenge, .. }
                    if challenge == "MFA_SETUP")
            }),
            (
                SignInError::PasswordRequired,
                |e| matches!(e, CognitoAuthError::InvalidInput { what, .. } if what == "password"),
            ),
            (
                SignInError::AnswerDoesNotFitStep { answer: "TotpCode" },
                |e| {
                    matches!(e, CognitoAuthError::InvalidInput { what, reason }
                    if what == "answer" && reason.contains("TotpCode"))
                },
            ),
            (
                SignInError::InvalidCode(CodeError::NotDigit { position: 1 }),
                |e| matches!(e, CognitoAuthError::InvalidInput { what, .. } if what == "code"),
            ),
            (SignInError::TotpSetupCodeRejected, |e| {
                matches!(e, CognitoAuthError::TotpSetupCodeRejected { .. })
            }),
            (SignInError::Finished, |e| {
                matches!(e, CognitoAuthError::InvalidState { .. })
            }),
            (SignInError::NoRequestInFlight, |e| {
                matches!(e, CognitoAuthError::InvalidState { .. })
            }),
        ];
        for (error, expected) in cases {
            let converted = CognitoAuthError::from(error);
            assert!(expected(&converted), "{converted:?}");
            assert!(!converted.to_string().is_empty());
        }
    }

    #[test]
    fn account_and_utility_errors_land_in_the_documented_variants() {
        assert!(matches!(
            CognitoAuthError::from(AccountError::EmptyField { field: "username" }),
            CognitoAuthError::InvalidInput { what, .. } if what == "username"
        ));
        assert!(matches!(
            CognitoAuthError::from(JwtError::Malformed),
            CognitoAuthError::Jwt { .. }
        ));
        assert!(matches!(
            CognitoAuthError::from(AccountError::PhoneNumber(PhoneNumberError::MissingPlus)),
            CognitoAuthError::PhoneNumber { .. }
        ));
        assert!(matches!(
            CognitoAuthError::from(SnapshotError::Expired { age_secs: 500 }),
            CognitoAuthError::Snapshot { expired: true, .. }
        ));
        assert!(matches!(
            CognitoAuthError::from(SnapshotError::Corrupted),
            CognitoAuthError::Snapshot { expired: false, .. }
        ));
        assert!(matches!(
            CognitoAuthError::from(SnapshotError::NoStepWaiting),
            CognitoAuthError::InvalidState { .. }
        ));
        assert!(matches!(
            CognitoAuthError::from(UserPoolIdError::MissingUnderscore),
            CognitoAuthError::InvalidInput { what, .. } if what == "user_pool_id"
        ));
        assert!(matches!(
            CognitoAuthError::from(TotpError::CodeReplayed),
            CognitoAuthError::Totp {
                kind: TotpErrorKind::CodeReplayed,
                ..
            }
        ));
        let poisoned: CognitoAuthError = PoisonError::new(()).into();
        assert!(matches!(poisoned, CognitoAuthError::Platform { .. }));
    }
}
