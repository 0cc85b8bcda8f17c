//! RFC 6238 TOTP and RFC 4226 HOTP codes, verification with replay protection, base32 secrets
//! and `otpauth://` key URIs.
//!
//! | item | what |
//! |---|---|
//! | [`TotpSecret`] | the shared key: base32 as users paste it, zeroized, at least 128 bits unless opted out |
//! | [`Totp`] | hash, digits, period and T0; [`Totp::code`] and [`Totp::verify`] |
//! | [`VerifyOptions`] | the skew window (±1 step by default) and the last accepted [`TimeStep`] |
//! | [`OtpauthUri`] | build and parse `otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER` |
//! | [`TotpSetupDetails`] | Amplify's `getSetupUri` for Cognito's `AssociateSoftwareToken` secret |
//! | [`hotp`] | one RFC 4226 code for a counter |
//!
//! The computation, with H = SHA-1, SHA-256 or SHA-512:
//!
//! | symbol | value |
//! |---|---|
//! | T | floor((time − T0) / period): a [`TimeStep`]; a time before T0 is [`TotpError::TimeBeforeT0`], never a wrap |
//! | MAC | HMAC-H(K, T as 8 bytes big-endian) |
//! | offset | MAC\[last\] & 0x0f |
//! | code | (MAC\[offset..offset + 4\] as big-endian u32 & 0x7fffffff) mod 10^digits, zero-padded |
//!
//! Cognito's software-token MFA is [`Totp::COGNITO`]: SHA-1, 6 digits, 30 seconds, T0 = 0, with
//! a 32-byte secret sent as 52 unpadded base32 characters. The core reads no clock: the caller
//! passes the time.
//!
//! ```
//! use cognito_auth_core::UnixTime;
//! use cognito_auth_core::totp::{Totp, TotpError, TotpSetupDetails, VerifyOptions};
//!
//! // 1. AssociateSoftwareToken returned a SecretCode: show it as a QR code.
//! let setup = TotpSetupDetails::new("6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A", "alice")?;
//! let uri = setup.setup_uri("My App", None);
//! assert!(uri.expose().starts_with("otpauth://totp/My%20App:alice?secret=6C727YG4"));
//!
//! // 2. The authenticator app computes a code from the secret and its clock.
//! let now = UnixTime::from_secs(1_609_823_880);
//! let code = Totp::COGNITO.code(setup.shared_secret(), now)?;
//! assert_eq!(code.as_str(), "057397");
//!
//! // 3. A verifier accepts it once: it stores the returned step and refuses a replay.
//! let step = Totp::COGNITO.verify(setup.shared_secret(), "057397", now, VerifyOptions::DEFAULT)?;
//! let next_time = VerifyOptions::DEFAULT.with_last_used_step(Some(step));
//! assert_eq!(
//!     Totp::COGNITO.verify(setup.shared_secret(), "057397", now, next_time),
//!     Err(TotpError::CodeReplayed)
//! );
//! # Ok::<(), TotpError>(())
//! ```

mod base32;
mod error;
mod hotp;
mod parameters;
mod secret;
mod setup;
mod time_based;
mod uri;
mod verify;

pub use error::TotpError;
pub use hotp::{Code, hotp};
pub use parameters::{Algorithm, Digits, Period};
pub use secret::TotpSecret;
pub use setup::TotpSetupDetails;
pub use time_based::{TimeStep, Totp};
pub use uri::{OtpType, OtpauthUri, OtpauthUriError};
pub use verify::VerifyOptions;
