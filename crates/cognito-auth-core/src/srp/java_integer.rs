//! Integers as Cognito's Java service sees them: signed hex in, `BigInteger.toByteArray()` out.
//!
//! Cognito hashes every integer as the minimal big-endian two's-complement byte string with a
//! sign bit (`java.math.BigInteger.toByteArray()`, `padHex` in amazon-cognito-identity-js):
//!
//! | value | bytes |
//! |---|---|
//! | 0 | `00` |
//! | 200 | `00 c8` (top bit set: a `00` sign byte is prepended) |
//! | 20 | `14` |
//! | −20 | `ec` |
//! | −236 | `ff 14` |
//!
//! Fixed-width encodings (RFC 5054 `PAD`, `crypto-bigint`'s `to_be_bytes`) and unsigned minimal
//! encodings (`to_bytes_be`) each break nearly every sign-in, so this is the only encoder the SRP
//! code uses. Hex from Cognito may have odd length and, for `SALT`, a leading `-`.

use alloc::string::String;
use alloc::vec::Vec;

/// Why a hex integer from the server could not be read. Wrapped into field-specific
/// [`SrpError`](super::SrpError) variants by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HexIntegerError {
    /// No digits at all (an empty string, or a lone `-`).
    Empty,
    /// The character at this byte offset is not a hex digit.
    NotHex { position: usize },
    /// More digits than the field allows.
    TooLong { digits: usize },
}

/// A signed integer parsed from Cognito's hex, as sign and big-endian magnitude without
/// leading zero bytes (zero is the empty magnitude and is never negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignedInteger {
    pub(crate) negative: bool,
    pub(crate) magnitude: Vec<u8>,
}

impl SignedInteger {
    /// Parses `[-]hexdigits` the way Java's `new BigInteger(s, 16)` does: either case, any
    /// length (odd lengths are left-padded with a zero nibble), leading zeros allowed, at most
    /// `max_digits` digits. Unlike Java, `+` and whitespace are refused.
    pub(crate) fn parse_hex(text: &str, max_digits: usize) -> Result<Self, HexIntegerError> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let offset = text.len() - digits.len();
        if digits.is_empty() {
            return Err(HexIntegerError::Empty);
        }
        if digits.len() > max_digits {
            return Err(HexIntegerError::TooLong {
                digits: digits.len(),
            });
        }
        let mut magnitude = Vec::with_capacity(digits.len().div_ceil(2));
        // An odd number of digits means the first byte holds a single nibble.
        let mut pending: Option<u8> = if digits.len() % 2 == 1 { Some(0) } else { None };
        for (index, byte) in digits.bytes().enumerate() {
            let nibble = hex_value(byte).ok_or(HexIntegerError::NotHex {
                position: offset + index,
            })?;
            match pending.take() {
                Some(high) => magnitude.push((high << 4) | nibble),
                None => pending = Some(nibble),
            }
        }
        let first_nonzero = magnitude
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(magnitude.len());
        magnitude.drain(..first_nonzero);
        Ok(Self {
            negative: negative && !magnitude.is_empty(),
            magnitude,
        })
    }

    /// `BigInteger.toByteArray()` of this integer.
    pub(crate) fn to_java_bytes(&self) -> Vec<u8> {
        if self.negative {
            negative_java_bytes(&self.magnitude)
        } else {
            java_bytes(&self.magnitude)
        }
    }
}

/// `BigInteger.toByteArray()` of the non-negative integer with these big-endian bytes:
/// leading zeros stripped, a `00` sign byte prepended when the top bit is set, `[00]` for zero.
pub(crate) fn java_bytes(unsigned_be: &[u8]) -> Vec<u8> {
    let first_nonzero = unsigned_be
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(unsigned_be.len());
    let significant = unsigned_be.get(first_nonzero..).unwrap_or_default();
    let mut out = Vec::with_capacity(significant.len() + 1);
    match significant.first() {
        None => out.push(0),
        Some(&top) if top & 0x80 != 0 => out.push(0),
        Some(_) => {}
    }
    out.extend_from_slice(significant);
    out
}

/// `BigInteger.toByteArray()` of −m for a non-zero magnitude m without leading zeros.
fn negative_java_bytes(magnitude: &[u8]) -> Vec<u8> {
    // Two's complement: −m = !(m − 1).
    let mut bytes = Vec::from(magnitude);
    for byte in bytes.iter_mut().rev() {
        let (value, borrow) = byte.overflowing_sub(1);
        *byte = value;
        if !borrow {
            break;
        }
    }
    for byte in &mut bytes {
        *byte = !*byte;
    }
    // Minimal form: drop redundant 0xff bytes, keep or add one so the sign bit is set.
    let mut start = 0;
    while bytes.get(start) == Some(&0xff) && bytes.get(start + 1).is_some_and(|b| b & 0x80 != 0) {
        start += 1;
    }
    bytes.drain(..start);
    if bytes.first().is_none_or(|b| b & 0x80 == 0) {
        bytes.insert(0, 0xff);
    }
    bytes
}

/// Lowercase hex without leading zeros, like Java's `BigInteger.toString(16)` (`"0"` for zero).
pub(crate) fn to_hex(unsigned_be: &[u8]) -> String {
    let mut out = String::with_capacity(unsigned_be.len() * 2);
    for &byte in unsigned_be {
        for nibble in [byte >> 4, byte & 0x0f] {
            if out.is_empty() && nibble == 0 {
                continue;
            }
            out.extend(char::from_digit(u32::from(nibble), 16));
        }
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn java(text: &str) -> Vec<u8> {
        SignedInteger::parse_hex(text, 1000)
            .map(|n| n.to_java_bytes())
            .unwrap_or_default()
    }

    #[test]
    fn amplify_js_padhex_table() {
        // The examples in amazon-cognito-identity-js AuthenticationHelper.padHex's comment and
        // its unit tests, written as Java toByteArray() results.
        assert_eq!(java("-ec"), vec![0xff, 0x14], "-236");
        assert_eq!(java("-c8"), vec![0xff, 0x38], "-200");
        assert_eq!(java("-14"), vec![0xec], "-20");
        assert_eq!(java("-38"), vec![0xc8], "-56");
        assert_eq!(java("c8"), vec![0x00, 0xc8], "200");
        assert_eq!(java("ec"), vec![0x00, 0xec], "236");
        assert_eq!(java("-100"), vec![0xff, 0x00], "-256");
        assert_eq!(java("-80"), vec![0x80], "-128");
        assert_eq!(java("ff"), vec![0x00, 0xff], "255");
        assert_eq!(java("100"), vec![0x01, 0x00], "256");
        assert_eq!(java("-1"), vec![0xff], "-1");
        assert_eq!(java("-81"), vec![0xff, 0x7f], "-129");
    }

    #[test]
    fn zero_and_leading_zeros() {
        assert_eq!(java("0"), vec![0x00]);
        assert_eq!(java("-0"), vec![0x00]);
        assert_eq!(java("0000"), vec![0x00]);
        assert_eq!(java("000abc"), vec![0x0a, 0xbc]);
        assert_eq!(java_bytes(&[]), vec![0x00]);
        assert_eq!(java_bytes(&[0, 0, 0x80]), vec![0x00, 0x80]);
    }

    #[test]
    fn odd_length_and_mixed_case() {
        assert_eq!(java("abc"), vec![0x0a, 0xbc]);
        assert_eq!(java("ABC"), vec![0x0a, 0xbc]);
        assert_eq!(java("fAbC"), vec![0x00, 0xfa, 0xbc]);
        assert_eq!(java("-fff"), vec![0xf0, 0x01], "-4095");
    }

    #[test]
    fn rejections_say_where() {
        assert_eq!(SignedInteger::parse_hex("", 8), Err(HexIntegerError::Empty));
        assert_eq!(
            SignedInteger::parse_hex("-", 8),
            Err(HexIntegerError::Empty)
        );
        assert_eq!(
            SignedInteger::parse_hex("12g4", 8),
            Err(HexIntegerError::NotHex { position: 2 })
        );
        assert_eq!(
            SignedInteger::parse_hex("-12 4", 8),
            Err(HexIntegerError::NotHex { position: 3 })
        );
        assert_eq!(
            SignedInteger::parse_hex("+12", 8),
            Err(HexIntegerError::NotHex { position: 0 })
        );
        assert_eq!(
            SignedInteger::parse_hex("--1", 8),
            Err(HexIntegerError::NotHex { position: 1 })
        );
        assert_eq!(
            SignedInteger::parse_hex("123456789", 8),
            Err(HexIntegerError::TooLong { digits: 9 })
        );
        assert_eq!(
            SignedInteger::parse_hex("é1", 8),
            Err(HexIntegerError::NotHex { position: 0 })
        );
    }

    proptest::proptest! {
        /// PAD round-trips: read back as a signed big-endian number (num-bigint's independent
        /// two's-complement decoder) it is the original value, and it is minimal.
        #[test]
        fn java_bytes_round_trip(negative: bool, magnitude in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            use num_bigint_dig::{BigInt, Sign};
            let sign = if negative { Sign::Minus } else { Sign::Plus };
            let value = BigInt::from_bytes_be(sign, &magnitude);
            let text = value.to_str_radix(16);
            let parsed = SignedInteger::parse_hex(&text, 200).unwrap();
            let bytes = parsed.to_java_bytes();
            proptest::prop_assert_eq!(BigInt::from_signed_bytes_be(&bytes), value.clone());
            proptest::prop_assert_eq!(&bytes, &value.to_signed_bytes_be());
            if !negative {
                proptest::prop_assert_eq!(java_bytes(&magnitude), bytes.clone());
            }
            // Minimal: dropping the first byte would change the value or its sign.
            if bytes.len() > 1 {
                let shorter = BigInt::from_signed_bytes_be(&bytes[1..]);
                proptest::prop_assert_ne!(shorter, value);
            }
            // Hex output is what Java's toString(16) prints for the magnitude.
            proptest::prop_assert_eq!(to_hex(&magnitude), BigInt::from_bytes_be(Sign::Plus, &magnitude).to_str_radix(16));
        }
    }

    #[test]
    fn hex_output_is_java_to_string_16() {
        assert_eq!(to_hex(&[]), "0");
        assert_eq!(to_hex(&[0, 0]), "0");
        assert_eq!(to_hex(&[0x0a, 0xbc]), "abc");
        assert_eq!(to_hex(&[0x00, 0xff, 0x01]), "ff01");
    }
}
