//! RFC 4648 base32 as people paste it: any case, spaces, with or without `=` padding.
//!
//! Decoding accepts upper- and lower-case letters, ASCII white space anywhere (authenticator
//! apps show secrets in groups of four) and any number of trailing `=` (padding is optional:
//! Cognito's 52-character secrets come without it). Bits left over after the last whole byte
//! are ignored, as in Google Authenticator, pyotp and oathtool: some generators emit random
//! characters of any length, and every such secret works in those apps. Lengths that cannot end
//! on a byte boundary (1, 3 or 6 characters past a multiple of 8) are refused: one character is
//! missing or extra.
//!
//! The value of each character is computed without branches or table lookups, so the timing of
//! a successful decode depends only on where the white space and padding are, not on the
//! secret. Encoding is upper-case and unpadded, as the Key URI format asks.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::{Zeroize, Zeroizing};

use super::error::TotpError;
use crate::secret::{SecretBytes, SecretString};

/// Decodes a pasted base32 secret into zeroized bytes.
pub(super) fn decode(input: &str) -> Result<SecretBytes, TotpError> {
    // Pass 1 looks only at which characters are data, white space or padding: public facts.
    let mut chars = 0_usize;
    let mut padding_at = None;
    for (position, byte) in input.bytes().enumerate() {
        if byte.is_ascii_whitespace() {
            continue;
        }
        if byte == b'=' {
            padding_at.get_or_insert(position);
            continue;
        }
        if char_value(byte) < 0 {
            return Err(TotpError::SecretNotBase32 { position });
        }
        if let Some(position) = padding_at {
            return Err(TotpError::SecretPaddingNotAtEnd { position });
        }
        chars += 1;
    }
    if chars == 0 {
        return Err(TotpError::SecretEmpty);
    }
    if matches!(chars % 8, 1 | 3 | 6) {
        return Err(TotpError::SecretLengthInvalid { chars });
    }

    // Pass 2 decodes into a buffer of the exact size, so it never reallocates (which would leave
    // a copy of the secret behind) and is wiped if anything goes wrong.
    let mut out = Zeroizing::new(Vec::with_capacity(decoded_len(chars)));
    let mut buffer: u16 = 0;
    let mut bits: u32 = 0;
    for byte in input.bytes() {
        let value = char_value(byte);
        if value < 0 {
            continue; // white space or padding, checked in pass 1
        }
        // At most 7 bits are pending, so 12 fit in the buffer.
        buffer = (buffer << 5) | value.unsigned_abs();
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    buffer.zeroize();
    Ok(SecretBytes::from(core::mem::take(&mut *out)))
}

/// Encodes bytes as upper-case base32 without padding.
pub(super) fn encode(bytes: &[u8]) -> SecretString {
    let mut out = String::with_capacity(encoded_len(bytes.len()));
    let mut buffer: u16 = 0;
    let mut bits: u32 = 0;
    for &byte in bytes {
        // At most 4 bits are pending, so 12 fit in the buffer.
        buffer = (buffer << 8) | u16::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(value_char(((buffer >> bits) & 0x1f) as u8));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(value_char(((buffer << (5 - bits)) & 0x1f) as u8));
    }
    buffer.zeroize();
    SecretString::from(out)
}

/// Bytes in `chars` base32 characters (trailing bits dropped), without overflow.
fn decoded_len(chars: usize) -> usize {
    chars / 8 * 5 + chars % 8 * 5 / 8
}

/// Base32 characters for `len` bytes, unpadded, without overflow for any real length.
fn encoded_len(len: usize) -> usize {
    (len / 5)
        .saturating_mul(8)
        .saturating_add((len % 5 * 8).div_ceil(5))
}

/// The 5-bit value of a base32 character (either case), or -1. Branch-free (after base64ct).
fn char_value(byte: u8) -> i16 {
    let c = i16::from(byte);
    let mut value: i16 = -1;
    // Each term is (c - first + 1) when first <= c <= last, else 0: the sign bit of
    // (first - 1 - c) & (c - last - 1) is set only inside the range.
    value += (((0x40 - c) & (c - 0x5b)) >> 8) & (c - 0x40); // 'A'..='Z' -> 0..=25
    value += (((0x60 - c) & (c - 0x7b)) >> 8) & (c - 0x60); // 'a'..='z' -> 0..=25
    value += (((0x31 - c) & (c - 0x38)) >> 8) & (c - 0x31 + 26); // '2'..='7' -> 26..=31
    value
}

/// The base32 character of a 5-bit value. Branch-free.
fn value_char(value: u8) -> char {
    let v = i16::from(value & 0x1f);
    // 'A' + v, shifted down to '2' + (v - 26) when v > 25.
    let c = v + 0x41 + (((25 - v) >> 8) & (0x32 - 26 - 0x41));
    char::from(c.unsigned_abs() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(input: &str) -> Result<Vec<u8>, TotpError> {
        decode(input).map(|bytes| bytes.expose().to_vec())
    }

    #[test]
    fn rfc_4648_vectors() {
        let vectors: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ];
        for (bytes, text) in vectors {
            assert_eq!(encode(bytes).expose(), text);
            if !bytes.is_empty() {
                assert_eq!(decoded(text).as_deref(), Ok(bytes), "{text}");
            }
        }
        // Padded forms from RFC 4648 §10.
        assert_eq!(decoded("MY======").as_deref(), Ok(&b"f"[..]));
        assert_eq!(decoded("MZXW6YQ=").as_deref(), Ok(&b"foob"[..]));
    }

    #[test]
    fn every_character_value() {
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        for (value, c) in alphabet.bytes().enumerate() {
            assert_eq!(char_value(c), value as i16);
            assert_eq!(char_value(c.to_ascii_lowercase()), value as i16);
            assert_eq!(value_char(value as u8), char::from(c));
        }
        let valid = |b: u8| alphabet.as_bytes().contains(&b.to_ascii_uppercase());
        for byte in 0..=u8::MAX {
            if !valid(byte) {
                assert_eq!(char_value(byte), -1, "{byte:#x}");
            }
        }
    }

    #[test]
    fn accepts_what_users_paste() {
        let want = decoded("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for pasted in [
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
            " gezd\tgnbv\ngy3t qojq gezd gnbv gy3t qojq\r\n",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ========",
        ] {
            assert_eq!(decoded(pasted), want, "{pasted:?}");
        }
        // Cognito: 52 characters, no padding, 32 bytes; padded to 56 it decodes the same.
        let cognito = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";
        assert_eq!(decoded(cognito).map(|b| b.len()), Ok(32));
        assert_eq!(decoded(&alloc::format!("{cognito}====")), decoded(cognito));
    }

    #[test]
    fn trailing_bits_are_ignored() {
        // "MZ" has 10 bits; the low 2 belong to no byte. "MY" is canonical for "f".
        assert_eq!(decoded("MZ").as_deref(), Ok(&b"f"[..]));
        assert_eq!(encode(b"f").expose(), "MY");
    }

    #[test]
    fn refuses_characters_outside_the_alphabet_with_their_position() {
        assert_eq!(
            decoded("ABC0"),
            Err(TotpError::SecretNotBase32 { position: 3 })
        );
        assert_eq!(
            decoded("1BCD"),
            Err(TotpError::SecretNotBase32 { position: 0 })
        );
        assert_eq!(
            decoded("AB-CD"),
            Err(TotpError::SecretNotBase32 { position: 2 })
        );
        assert_eq!(
            decoded("ABé"),
            Err(TotpError::SecretNotBase32 { position: 2 })
        );
        assert_eq!(
            decoded("AB8"),
            Err(TotpError::SecretNotBase32 { position: 2 })
        );
    }

    #[test]
    fn refuses_padding_in_the_middle() {
        assert_eq!(
            decoded("MY==MZXQ"),
            Err(TotpError::SecretPaddingNotAtEnd { position: 2 })
        );
        assert_eq!(
            decoded("=MY"),
            Err(TotpError::SecretPaddingNotAtEnd { position: 0 })
        );
    }

    #[test]
    fn refuses_empty_input() {
        for input in ["", "   ", "====", " = "] {
            assert_eq!(decoded(input), Err(TotpError::SecretEmpty), "{input:?}");
        }
    }

    #[test]
    fn refuses_lengths_that_end_inside_a_byte() {
        for (input, chars) in [("A", 1), ("ABC", 3), ("ABCDEF", 6), ("ABCDEFGHA", 9)] {
            assert_eq!(
                decoded(input),
                Err(TotpError::SecretLengthInvalid { chars }),
                "{input}"
            );
        }
    }

    #[test]
    fn lengths_do_not_overflow() {
        assert_eq!(decoded_len(52), 32);
        assert_eq!(encoded_len(32), 52);
        assert!(decoded_len(usize::MAX) < usize::MAX);
        assert_eq!(encoded_len(usize::MAX), usize::MAX);
    }
}
