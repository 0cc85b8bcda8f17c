//! UniFFI bindings (Kotlin, Swift, Python, Dart) for the Cognito user-pool sign-in core.
//!
//! The core is sans-IO and `no_std`; this crate adds what it leaves to its caller, the clock
//! (`SystemTime`) and randomness (`getrandom`, 32 bytes per sign-in), and exposes:
//!
//! * [`SignInSession`](sign_in::SignInSession): one sign-in. Every step is a
//!   [`SignInStep`](sign_in::SignInStep): `SendRequest` hands the app an
//!   [`HttpRequest`](types::HttpRequest) to POST, the others ask the user something (answered
//!   with a [`ChallengeAnswer`](sign_in::ChallengeAnswer)) or end the sign-in (`Done`).
//!   Snapshot / restore survive the app being killed mid-sign-in.
//! * Account operations ([`account`]): one [`AccountRequest`](account::AccountRequest) enum
//!   (a variant per operation); `account_request` builds the HTTP request and
//!   `parse_account_response(kind, ...)` reads the response into an
//!   [`AccountResponse`](account::AccountResponse).
//! * The hosted UI, OAuth 2.0 code + PKCE ([`oauth`]): `hosted_ui_authorize`, then
//!   `hosted_ui_token_request` / `hosted_ui_parse_token_response` with the redirect.
//! * TOTP and `otpauth://` URIs ([`totp`]), `SECRET_HASH`, E.164 phone numbers and JWT claims
//!   ([`utilities`]).
//!
//! Every exported function returns `Result<_, CognitoAuthError>` ([`error`]); nothing panics
//! across the boundary (a panic would still become an `InternalError` in the foreign language).
//! Secrets passed in as strings move into the core's zeroizing `SecretString` first; the
//! strings this crate hands out (tokens, request bodies) belong to the foreign runtime, which
//! cannot wipe them.
#![forbid(unsafe_code)]
#![allow(
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    clippy::alloc_instead_of_core,
    reason = "a std crate: the no_std lints are for the core"
)]
#![allow(
    clippy::needless_pass_by_value,
    reason = "UniFFI passes foreign arguments by value"
)]

uniffi::setup_scaffolding!();

/// `Display` = the redacting `Debug`, for records that carry secrets: exported with
/// `#[uniffi::export(Debug, Display)]`, they print `<redacted>` in the foreign languages too
/// (Kotlin `toString`, Swift `description` / `debugDescription`, Python `str` / `repr`).
macro_rules! display_as_debug {
    ($($type:ty),* $(,)?) => {$(
        impl ::core::fmt::Display for $type {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(self, f)
            }
        }
    )*};
}

pub mod account;
pub mod context_data;
mod environment;
pub mod error;
pub mod identity_pool;
pub mod oauth;
pub mod passkey;
pub mod session;
pub mod sign_in;
pub mod totp;
pub mod types;
pub mod utilities;

pub use error::CognitoAuthError;
