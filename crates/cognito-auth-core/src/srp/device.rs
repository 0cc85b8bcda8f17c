//! The ConfirmDevice verifier: what a newly remembered device registers with Cognito.
//!
//! After a sign-in that returns `NewDeviceMetadata {DeviceKey, DeviceGroupKey}`, the app makes up
//! a random device password, derives an SRP verifier from it and sends
//! `DeviceSecretVerifierConfig {PasswordVerifier, Salt}` in `ConfirmDevice`. Later sign-ins prove
//! knowledge of that password with `DEVICE_SRP_AUTH` (see [`SrpIdentity::device`]).

use alloc::string::String;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crypto_bigint::BoxedUint;
use zeroize::Zeroize;

use super::client::{SrpIdentity, private_key};
use super::error::SrpError;
use super::fixed_base::generator_pow;
use super::group::Group;
use super::java_integer::java_bytes;
use crate::secret::SecretString;

/// The `DeviceSecretVerifierConfig` of a `ConfirmDevice` request.
///
/// `Debug` shows the salt but not the verifier: g^x allows an offline guess of the device
/// password (hopeless for the recommended 40 random bytes, but no reason to print it).
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceSecretVerifierConfig {
    /// `Salt`: base64 of PAD(salt).
    pub salt: String,
    /// `PasswordVerifier`: base64 of PAD(g^x mod N).
    pub password_verifier: String,
}

impl fmt::Debug for DeviceSecretVerifierConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceSecretVerifierConfig")
            .field("salt", &self.salt)
            .field("password_verifier", &"<redacted>")
            .finish()
    }
}

/// A new device secret: the password the app must store (securely) and the verifier to send.
#[must_use = "store the device password and send the verifier in ConfirmDevice"]
pub struct DeviceVerifier {
    /// The device password: base64 of the caller's random bytes. Store it with the device key
    /// and group key; `DEVICE_SRP_AUTH` needs it on every later sign-in.
    pub device_password: SecretString,
    /// What `ConfirmDevice` sends.
    pub config: DeviceSecretVerifierConfig,
}

impl DeviceVerifier {
    /// Fewest random password bytes accepted.
    pub const MIN_PASSWORD_LEN: usize = 16;
    /// Most random password bytes accepted.
    pub const MAX_PASSWORD_LEN: usize = 512;
    /// What Amplify JS, Flutter and pycognito draw (40 bytes, 54 base64 characters).
    pub const RECOMMENDED_PASSWORD_LEN: usize = 40;

    /// Derives the verifier for a new device from caller-supplied randomness: `password_bytes`
    /// (40 recommended) become the device password as base64, `salt` is 16 random bytes.
    ///
    /// x = H(PAD(salt) ‖ H(DeviceGroupKey ‖ DeviceKey ‖ ":" ‖ password)), v = g^x mod N.
    pub fn new(
        device_group_key: &str,
        device_key: &str,
        password_bytes: &[u8],
        salt: [u8; 16],
    ) -> Result<Self, SrpError> {
        if !(Self::MIN_PASSWORD_LEN..=Self::MAX_PASSWORD_LEN).contains(&password_bytes.len()) {
            return Err(SrpError::DevicePasswordLength {
                len: password_bytes.len(),
            });
        }
        let device_password = SecretString::from(STANDARD.encode(password_bytes));
        let padded_salt = java_bytes(&salt);
        let identity = SrpIdentity::device(device_group_key, device_key);
        let x = private_key(&padded_salt, identity, &device_password);
        // 32 bytes into 256 bits: nothing to truncate, and no error branch (an earlier version
        // fell back to x = 0, so v = 1, had the conversion failed).
        let mut x = BoxedUint::from_be_slice_truncated(&x[..], 256);
        let mut verifier = generator_pow(&Group::new(), &x, 256);
        x.zeroize();
        let mut verifier_int = verifier.retrieve();
        verifier.zeroize();
        let mut verifier_bytes = verifier_int.to_be_bytes();
        verifier_int.zeroize();
        let padded_verifier = zeroize::Zeroizing::new(java_bytes(&verifier_bytes));
        verifier_bytes.zeroize();
        Ok(Self {
            device_password,
            config: DeviceSecretVerifierConfig {
                salt: STANDARD.encode(&padded_salt),
                password_verifier: STANDARD.encode(&padded_verifier[..]),
            },
        })
    }
}

impl fmt::Debug for DeviceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceVerifier")
            .field("device_password", &self.device_password)
            .field("config", &self.config)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

    use super::*;
    use alloc::format;

    #[test]
    fn debug_shows_neither_the_password_nor_the_verifier() {
        let new = DeviceVerifier::new("group", "device", &[7; 40], [9; 16]).unwrap();
        let verifier = new.config.password_verifier.clone();
        let password = String::from(new.device_password.expose());
        assert!(verifier.len() > 100, "{verifier}");
        for printed in [format!("{new:?}"), format!("{:?}", new.config)] {
            assert!(!printed.contains(&verifier), "{printed}");
            assert!(!printed.contains(&password), "{printed}");
            assert!(printed.contains(&new.config.salt), "{printed}");
        }
    }
}
