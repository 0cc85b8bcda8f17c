//! The test kit's own HOTP (RFC 4226) and TOTP (RFC 6238), written from the RFCs over the
//! `hmac`, `sha1` and `sha2` crates and sharing no code with `cognito_auth_core::totp`, so a
//! server built on it (the fake pool) checks the core's codes rather than the core against
//! itself. Checked on the RFC vectors of the core's `tests/data/totp_vectors.tsv` in its
//! `tests/totp_vectors.rs`.

use hmac::{Hmac, Mac};

/// The HMAC of RFC 6238 §1.2 (`TOTP` mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// HMAC-SHA1 (Cognito's, and RFC 6238's default).
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

/// Cognito's software tokens: HMAC-SHA1, 6 digits, a 30-second step from T0 = 0.
pub const COGNITO_DIGITS: u32 = 6;
/// The time step of Cognito's software tokens, in seconds.
pub const COGNITO_PERIOD: u64 = 30;

fn mac(key: &[u8], hash: Hash, message: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha1 => {
            let mut m = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
            m.update(message);
            m.finalize().into_bytes().to_vec()
        }
        Hash::Sha256 => {
            let mut m = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
            m.update(message);
            m.finalize().into_bytes().to_vec()
        }
        Hash::Sha512 => {
            let mut m = Hmac::<sha2::Sha512>::new_from_slice(key).unwrap();
            m.update(message);
            m.finalize().into_bytes().to_vec()
        }
    }
}

/// RFC 4226 §5.3: HMAC over the 8-byte big-endian counter, dynamic truncation (the low nibble
/// of the last byte is the offset of 31 bits), modulo 10^digits, left-padded with zeros.
pub fn hotp(key: &[u8], hash: Hash, digits: u32, counter: u64) -> String {
    let h = mac(key, hash, &counter.to_be_bytes());
    let offset = (h[h.len() - 1] & 0x0f) as usize;
    let binary = (u32::from(h[offset] & 0x7f) << 24)
        | (u32::from(h[offset + 1]) << 16)
        | (u32::from(h[offset + 2]) << 8)
        | u32::from(h[offset + 3]);
    let modulus = 10u64.pow(digits);
    let value = u64::from(binary) % modulus;
    format!("{value:0width$}", width = digits as usize)
}

/// RFC 6238 §4.2: T = floor(unix time / period), T0 = 0.
pub fn totp(key: &[u8], hash: Hash, digits: u32, period: u64, unix_secs: u64) -> String {
    hotp(key, hash, digits, unix_secs / period)
}

/// A server's check of a Cognito software-token code, the way Cognito documents it: the code
/// of the current step or of the step before or after (RFC 6238 §5.2's network delay), the
/// newest matching step wins, and a step at or before `last_used` is a replay (§5.2: "the
/// verifier MUST NOT accept the second attempt of the OTP after the successful validation").
/// Returns the accepted step.
pub fn verify_cognito(
    key: &[u8],
    code: &str,
    now_secs: u64,
    last_used: Option<u64>,
) -> Option<u64> {
    if code.len() != COGNITO_DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = now_secs / COGNITO_PERIOD;
    [now.checked_add(1), Some(now), now.checked_sub(1)]
        .into_iter()
        .flatten()
        .filter(|step| last_used.is_none_or(|used| *step > used))
        .find(|step| hotp(key, Hash::Sha1, COGNITO_DIGITS, *step) == code)
}
