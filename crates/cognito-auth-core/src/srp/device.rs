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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSecretVerifierConfig {
    /// `Salt`: base64 of PAD(salt).
    pub salt: String,
    /// `PasswordVerifier`: base64 of PAD(g^x mod N).
    pub password_verifier: String,
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
        let mut x = BoxedUint::from_be_slice(&x[..], 256)
            .unwrap_or_else(|_| BoxedUint::zero_with_precision(256));
        let verifier = generator_pow(&Group::new(), &x, 256).retrieve();
        x.zeroize();
        Ok(Self {
            device_password,
            config: DeviceSecretVerifierConfig {
                salt: STANDARD.encode(&padded_salt),
                password_verifier: STANDARD.encode(java_bytes(&verifier.to_be_bytes())),
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
