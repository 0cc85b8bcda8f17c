//! [`SrpError`]: every way an SRP input can be refused.

use core::fmt;

use super::client::{
    EphemeralSecret, MAX_SALT_DIGITS, MAX_SECRET_BLOCK_LEN, MAX_SERVER_KEY_DIGITS,
};
use super::device::DeviceVerifier;

/// An SRP input was refused. No variant carries a secret; positions are byte offsets into the
/// offending string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SrpError {
    /// The ephemeral secret `a` must be 32 to 384 bytes.
    EphemeralSecretLength {
        /// Bytes given.
        len: usize,
    },
    /// The ephemeral secret gives A = 1 (it is zero or a multiple of the group order): the
    /// random source is broken.
    EphemeralSecretDegenerate,
    /// A ≡ 0 (mod N). Cannot happen for g = 2 and a prime N; checked as every peer does.
    ClientPublicKeyIsZeroModN,
    /// `SALT` is empty.
    SaltEmpty,
    /// `SALT` has a character that is not a hex digit (after an optional leading `-`).
    SaltNotHex {
        /// Byte offset of the first bad character.
        position: usize,
    },
    /// `SALT` has more hex digits than any Cognito salt.
    SaltTooLong {
        /// Digits given.
        digits: usize,
    },
    /// `SRP_B` is empty.
    ServerPublicKeyEmpty,
    /// `SRP_B` has a character that is not a hex digit.
    ServerPublicKeyNotHex {
        /// Byte offset of the first bad character.
        position: usize,
    },
    /// `SRP_B` is longer than a 3072-bit number.
    ServerPublicKeyTooLong {
        /// Digits given (leading zeros included).
        digits: usize,
    },
    /// `SRP_B` is negative.
    ServerPublicKeyNegative,
    /// B ≡ 0 (mod N): a malicious or broken server; continuing would reveal the password's
    /// verifier to it.
    ServerPublicKeyIsZeroModN,
    /// u = H(PAD(A) ‖ PAD(B)) is zero: the exchange must be restarted with a fresh `a`.
    ScramblingParameterIsZero,
    /// `SECRET_BLOCK` is empty.
    SecretBlockEmpty,
    /// `SECRET_BLOCK` has a character outside the standard and URL-safe base64 alphabets.
    SecretBlockNotBase64 {
        /// Byte offset of the first bad character.
        position: usize,
    },
    /// `SECRET_BLOCK` has a base64 length or padding that no encoder produces.
    SecretBlockMalformed,
    /// `SECRET_BLOCK` is longer than any Cognito secret block.
    SecretBlockTooLong {
        /// Bytes given.
        len: usize,
    },
    /// The random device password must be 16 to 512 bytes.
    DevicePasswordLength {
        /// Bytes given.
        len: usize,
    },
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::EphemeralSecretLength { len } => write!(
                f,
                "SRP ephemeral secret is {len} bytes; it must be {} to {} bytes ({} recommended)",
                EphemeralSecret::MIN_LEN,
                EphemeralSecret::MAX_LEN,
                EphemeralSecret::RECOMMENDED_LEN
            ),
            Self::EphemeralSecretDegenerate => f.write_str(
                "SRP ephemeral secret is degenerate (A = 1): the random number generator is broken",
            ),
            Self::ClientPublicKeyIsZeroModN => f.write_str("SRP public key A is 0 mod N"),
            Self::SaltEmpty => f.write_str("SALT from the server is empty"),
            Self::SaltNotHex { position } => {
                write!(
                    f,
                    "SALT from the server is not hex (bad character at byte {position})"
                )
            }
            Self::SaltTooLong { digits } => write!(
                f,
                "SALT from the server has {digits} hex digits, more than the {MAX_SALT_DIGITS} accepted"
            ),
            Self::ServerPublicKeyEmpty => f.write_str("SRP_B from the server is empty"),
            Self::ServerPublicKeyNotHex { position } => write!(
                f,
                "SRP_B from the server is not hex (bad character at byte {position})"
            ),
            Self::ServerPublicKeyTooLong { digits } => write!(
                f,
                "SRP_B from the server has {digits} hex digits, more than the {MAX_SERVER_KEY_DIGITS} of a 3072-bit number"
            ),
            Self::ServerPublicKeyNegative => f.write_str("SRP_B from the server is negative"),
            Self::ServerPublicKeyIsZeroModN => {
                f.write_str("SRP_B from the server is 0 mod N; refusing to continue")
            }
            Self::ScramblingParameterIsZero => {
                f.write_str("SRP scrambling parameter u is zero; restart the sign-in")
            }
            Self::SecretBlockEmpty => f.write_str("SECRET_BLOCK from the server is empty"),
            Self::SecretBlockNotBase64 { position } => write!(
                f,
                "SECRET_BLOCK from the server is not base64 (bad character at byte {position})"
            ),
            Self::SecretBlockMalformed => f.write_str(
                "SECRET_BLOCK from the server has an impossible base64 length or padding",
            ),
            Self::SecretBlockTooLong { len } => write!(
                f,
                "SECRET_BLOCK from the server is {len} bytes, more than the {MAX_SECRET_BLOCK_LEN} accepted"
            ),
            Self::DevicePasswordLength { len } => write!(
                f,
                "random device password is {len} bytes; it must be {} to {} bytes ({} recommended)",
                DeviceVerifier::MIN_PASSWORD_LEN,
                DeviceVerifier::MAX_PASSWORD_LEN,
                DeviceVerifier::RECOMMENDED_PASSWORD_LEN
            ),
        }
    }
}

impl core::error::Error for SrpError {}
