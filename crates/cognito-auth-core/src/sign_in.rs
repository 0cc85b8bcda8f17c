//! The sans-IO sign-in: requests out, HTTP responses in, the next step out.
//!
//! [`SignIn`] runs every Cognito sign-in flow (`USER_SRP_AUTH`, `USER_PASSWORD_AUTH`,
//! `CUSTOM_AUTH` with and without SRP, choice-based `USER_AUTH`, auto sign-in after sign-up)
//! and every challenge. The app supplies the transport (any HTTP client: POST
//! [`Request::body`] with [`Request::headers`] to the [`Endpoint`]), the clock ([`UnixTime`])
//! and 32 random bytes per sign-in ([`Entropy`]). The flow answers the automatic challenges
//! itself (the SRP password verifier, device SRP, `ConfirmDevice`) and hands every other one to
//! the app as a typed [`UserStep`].
//!
//! ```text
//!  start ──> InitiateAuth ──> PASSWORD_VERIFIER (auto) ──┬─> tokens ──> ConfirmDevice (auto) ──> SignedIn
//!                 │                                       ├─> DEVICE_SRP_AUTH (auto) ─> DEVICE_PASSWORD_VERIFIER (auto)
//!                 │                                       └─> user step: SMS / TOTP / OTP code, MFA choice,
//!                 │                                             MFA setup (AssociateSoftwareToken, VerifySoftwareToken),
//!                 │                                             new password, custom challenge, first factor, passkey
//!                 └─> UserNotConfirmed ─> Step::ConfirmSignUp      PasswordResetRequired ─> Step::ResetPassword
//! ```
//!
//! Usernames: the first request carries what the user typed (a phone number typed with `+` is
//! normalised to E.164); once Cognito names the user (`USERNAME` in the challenge parameters),
//! every later request carries that canonical name, and `SECRET_HASH` is computed over it.
//! The SRP math uses `USER_ID_FOR_SRP`.
//!
//! ```
//! use cognito_auth_core::sign_in::{ClientConfig, Credentials, Entropy, HttpResponse, SignIn, Step};
//! use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
//!
//! let config = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
//! let credentials = Credentials::srp("alice", SecretString::new("Correct-Horse-9!"));
//! let (mut flow, request) = SignIn::start(config, credentials, Entropy::from_bytes([7; 32]))?;
//! assert_eq!(request.headers()[1].1, "AWSCognitoIdentityProviderService.InitiateAuth");
//!
//! // The app POSTs request.body() and feeds back what came back, e.g. an unconfirmed user:
//! let body = br#"{"__type":"UserNotConfirmedException","message":"User is not confirmed."}"#;
//! match flow.handle_response(HttpResponse::new(400, body), UnixTime::from_secs(1_800_000_000))? {
//!     Step::ConfirmSignUp { username } => assert_eq!(username, "alice"),
//!     other => panic!("unexpected {other:?}"),
//! }
//! assert!(flow.is_over());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Request::body`]: crate::wire::Request::body
//! [`Request::headers`]: crate::wire::Request::headers
//! [`Endpoint`]: crate::wire::Endpoint
//! [`UnixTime`]: crate::UnixTime

mod answer;
mod auth_request;
mod config;
mod error;
mod machine;
pub mod policy;
mod snapshot;
mod step;

#[cfg(test)]
mod state_diagram_tests;

/// The app client and the code check live in [`client`](crate::client), shared with
/// [`account`](crate::account); re-exported here because every sign-in starts from them.
pub use crate::client::{ClientConfig, CodeError, MfaType};
pub use crate::wire::{CodeDelivery, HttpResponse};
pub use answer::ChallengeAnswer;
pub use config::{AuthFlow, Credentials, Entropy, FirstFactor, RememberedDevice};
pub use error::SignInError;
pub use machine::{MAX_REQUESTS_PER_SIGN_IN, SignIn};
pub use snapshot::{RestoreOptions, SnapshotError, SnapshotKey};
pub use step::{DeviceOutcome, SignedIn, Step, UserStep};
