//! What sign-in and account operations share: the app client ([`ClientConfig`]), the
//! username a first request carries, the check every one-time code gets, the MFA types.
//!
//! This module sits below [`sign_in`](crate::sign_in) and [`account`](crate::account); neither
//! of those imports the other. The layers of the core, each using only those below it:
//!
//! ```text
//!  sign_in   account   jwt
//!       \     /
//!       client
//!   wire  srp  totp  phone_number  user_pool_id  secret_hash  secret  time
//! ```

mod code;
mod config;
mod mfa_type;
mod username;

pub use code::{CodeError, checked_code};
pub use config::{ClientConfig, ClientConfigError};
pub use mfa_type::MfaType;
pub(crate) use username::request_username;
