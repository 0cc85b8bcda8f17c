#![doc = include_str!("../README.md")]
// No std: the core runs anywhere `alloc` does (phones through the FFI crate, but also bare-metal
// targets and WebAssembly). CI builds it for thumbv7em-none-eabihf to prove it.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
// Unit tests use std (vector files, proptest); the library itself never does.
#[cfg(test)]
extern crate std;

pub mod account;
pub mod client;
pub mod context_data;
mod envelope;
pub mod error;
pub mod identity_pool;
pub mod jwt;
mod mac;
pub mod oauth;
pub mod passkey;
pub mod phone_number;
pub mod secret;
pub mod secret_hash;
pub mod session;
pub mod sign_in;
pub mod srp;
pub mod time;
pub mod totp;
pub mod user_pool_id;
pub mod wire;

pub use error::Error;
pub use phone_number::{CallingCode, PhoneNumber, PhoneNumberError};
pub use secret::{SecretBytes, SecretString};
pub use secret_hash::secret_hash;
pub use time::UnixTime;
pub use totp::{OtpauthUri, OtpauthUriError, Totp, TotpError, TotpSecret, TotpSetupDetails};
pub use user_pool_id::{UserPoolId, UserPoolIdError};
pub use wire::{
    Endpoint, EndpointError, Operation, Request, ResponseError, ServiceError, ServiceErrorKind,
};
