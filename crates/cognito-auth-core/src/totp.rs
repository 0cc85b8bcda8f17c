//! RFC 6238 TOTP codes and verification, base32 secrets and otpauth:// URIs.
//! (Placeholder replaced by the TOTP work: only the error type exists so far.)

use core::fmt;

/// A TOTP input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TotpError {}

impl fmt::Display for TotpError {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl core::error::Error for TotpError {}
