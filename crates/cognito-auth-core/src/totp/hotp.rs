//! RFC 4226 HOTP: one [`Code`] from a key and a counter.

use core::fmt;

use hmac::Hmac;
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::parameters::{Algorithm, Digits};
use super::secret::TotpSecret;
use crate::mac::hmac;

/// A one-time code: 6 to 8 ASCII digits, leading zeros kept.
///
/// A code is a credential until its time step is over, so it is treated like the other secrets:
/// `Debug` is redacted, the buffer is zeroized on drop and equality is constant-time. Read it
/// with [`Code::as_str`].
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Code {
    digits: [u8; 8],
    len: u8,
}

impl Code {
    /// The digits, e.g. `"057397"`.
    pub fn as_str(&self) -> &str {
        let digits = self.digits.get(..usize::from(self.len)).unwrap_or_default();
        core::str::from_utf8(digits).unwrap_or_default()
    }

    /// The number of digits.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always false: a code has 6 to 8 digits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl PartialEq for Code {
    /// Constant-time in the digits.
    fn eq(&self, other: &Self) -> bool {
        self.as_str()
            .as_bytes()
            .ct_eq(other.as_str().as_bytes())
            .into()
    }
}

impl Eq for Code {}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({} digits, <redacted>)", self.len)
    }
}

/// HOTP(K, C) of RFC 4226 §5.3: the code for counter `counter`.
///
/// TOTP is this function with C = the time step; use [`Totp`](super::Totp) for time-based codes.
///
/// ```
/// use cognito_auth_core::totp::{Algorithm, Digits, TotpSecret, hotp};
///
/// // RFC 4226 Appendix D.
/// let key = TotpSecret::from_bytes(b"12345678901234567890")?;
/// assert_eq!(hotp(&key, Algorithm::Sha1, Digits::Six, 0).as_str(), "755224");
/// assert_eq!(hotp(&key, Algorithm::Sha1, Digits::Six, 9).as_str(), "520489");
/// # Ok::<(), cognito_auth_core::totp::TotpError>(())
/// ```
pub fn hotp(secret: &TotpSecret, algorithm: Algorithm, digits: Digits, counter: u64) -> Code {
    let key = secret.expose();
    let message = counter.to_be_bytes();
    let truncated = match algorithm {
        Algorithm::Sha1 => dynamic_truncation(&hmac::<Hmac<Sha1>>(key, &[&message])),
        Algorithm::Sha256 => dynamic_truncation(&hmac::<Hmac<Sha256>>(key, &[&message])),
        Algorithm::Sha512 => dynamic_truncation(&hmac::<Hmac<Sha512>>(key, &[&message])),
    };
    decimal_code(truncated % digits.modulus(), digits)
}

/// DT of RFC 4226 §5.3: the 31 low bits of the 4 bytes at offset (last byte & 0x0f).
///
/// Every candidate window is read and the right one selected without branching on the offset,
/// so neither timing nor memory access depends on the MAC. The offset is at most 15 and every
/// digest is at least 20 bytes, so the window always exists.
fn dynamic_truncation(mac: &[u8]) -> u32 {
    let offset = mac.last().map_or(0, |last| last & 0x0f);
    let mut selected = 0_u32;
    for (index, window) in (0_u8..16).zip(mac.windows(4)) {
        let word = window
            .iter()
            .fold(0_u32, |word, &byte| (word << 8) | u32::from(byte));
        selected.conditional_assign(&word, index.ct_eq(&offset));
    }
    selected & 0x7fff_ffff
}

/// `value` as exactly `digits` decimal digits, zero-padded on the left.
fn decimal_code(mut value: u32, digits: Digits) -> Code {
    let mut code = Code {
        digits: [b'0'; 8],
        len: digits.count(),
    };
    for digit in code
        .digits
        .iter_mut()
        .take(usize::from(digits.count()))
        .rev()
    {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
    value.zeroize();
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn key() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890").unwrap()
    }

    #[test]
    fn rfc_4226_appendix_d_intermediates() {
        // count 0: HMAC cc93cf18508d94934c64b65d8ba7667fb7cde4b0, offset 0, 0x4c93cf18.
        let mac = hmac::<Hmac<Sha1>>(key().expose(), &[&0_u64.to_be_bytes()]);
        assert_eq!(dynamic_truncation(&mac), 0x4c93_cf18);
        // count 3: offset 14, 0x66ef7655.
        let mac = hmac::<Hmac<Sha1>>(key().expose(), &[&3_u64.to_be_bytes()]);
        assert_eq!(dynamic_truncation(&mac), 0x66ef_7655);
    }

    #[test]
    fn truncation_reads_the_last_window_and_masks_the_sign_bit() {
        let mut mac = [0_u8; 20];
        mac[15..19].copy_from_slice(&[0xff, 0xee, 0xdd, 0xcc]);
        mac[19] = 0x0f; // offset 15: bytes 15..19
        assert_eq!(dynamic_truncation(&mac), 0x7fee_ddcc);
    }

    #[test]
    fn codes_keep_leading_zeros() {
        assert_eq!(decimal_code(7, Digits::Six).as_str(), "000007");
        assert_eq!(decimal_code(0, Digits::Eight).as_str(), "00000000");
        assert_eq!(decimal_code(9_999_999, Digits::Seven).as_str(), "9999999");
        assert_eq!(decimal_code(57_397, Digits::Six).len(), 6);
        assert!(!decimal_code(1, Digits::Six).is_empty());
    }

    #[test]
    fn code_debug_is_redacted() {
        let code = hotp(&key(), Algorithm::Sha1, Digits::Six, 0);
        assert_eq!(code.as_str(), "755224");
        assert_eq!(format!("{code:?}"), "Code(6 digits, <redacted>)");
        assert_eq!(code, hotp(&key(), Algorithm::Sha1, Digits::Six, 0));
        assert_ne!(code, hotp(&key(), Algorithm::Sha1, Digits::Six, 1));
    }
}
