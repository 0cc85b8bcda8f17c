//! RFC 3986 percent-encoding for otpauth labels and query values.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroize;

use super::error::OtpauthUriError;

/// Appends `value` with every byte outside RFC 3986 `unreserved` (`A-Z a-z 0-9 - . _ ~`) and `@`
/// percent-encoded in upper-case hex. Space becomes `%20`, never `+`; `+` itself becomes `%2B`
/// because form decoders (Python's `parse_qs`, Java's `URLDecoder`) read a raw `+` as a space.
/// `@` stays raw so that `alice@example.com` matches the bytes every Amplify library emits.
pub(super) fn encode_into(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
    }
}

/// Decodes `%XX` escapes; everything else, `+` included, stands for itself (RFC 3986, as Google
/// Authenticator reads it). Characters that RFC 3986 would have escaped (raw spaces, non-ASCII,
/// as Amplify Android and Swift emit them) are taken literally. `offset` is where `raw` starts
/// in the URI, for error positions. The output buffer never reallocates, so a decoded secret
/// leaves no copy behind when the caller wipes it.
pub(super) fn decode(raw: &str, offset: usize) -> Result<String, OtpauthUriError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let escaped = match (
                bytes.get(index + 1).copied().and_then(hex_value),
                bytes.get(index + 2).copied().and_then(hex_value),
            ) {
                (Some(high), Some(low)) => (high << 4) | low,
                _ => {
                    return Err(OtpauthUriError::PercentEncodingInvalid {
                        position: offset.saturating_add(index),
                    });
                }
            };
            out.push(escaped);
            index += 3;
        } else {
            out.push(byte);
            index += 1;
        }
    }
    String::from_utf8(out).map_err(|e| {
        // The value may be a secret: wipe the bytes before dropping them.
        e.into_bytes().zeroize();
        OtpauthUriError::NotUtf8 { position: offset }
    })
}

/// The upper-case hex digit of a value 0..=15.
fn hex_digit(value: u8) -> char {
    let value = value & 0x0f;
    char::from(if value < 10 {
        b'0' + value
    } else {
        b'A' + (value - 10)
    })
}

/// The value of a hex digit of either case.
fn hex_value(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(value: &str) -> String {
        let mut out = String::new();
        encode_into(&mut out, value);
        out
    }

    #[test]
    fn encodes_everything_but_unreserved_and_at() {
        assert_eq!(encoded("ACME Co"), "ACME%20Co");
        assert_eq!(encoded("alice@example.com"), "alice@example.com");
        assert_eq!(encoded("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(encoded(":&#?/%+="), "%3A%26%23%3F%2F%25%2B%3D");
        assert_eq!(encoded("é🔐"), "%C3%A9%F0%9F%94%90");
        assert_eq!(encoded("\n"), "%0A");
    }

    #[test]
    fn decodes_escapes_of_either_case_and_keeps_plus() {
        assert_eq!(decode("ACME%20Co", 0).as_deref(), Ok("ACME Co"));
        assert_eq!(decode("%c3%a9", 0).as_deref(), Ok("é"));
        assert_eq!(decode("a+b", 0).as_deref(), Ok("a+b"));
        assert_eq!(decode("My App", 0).as_deref(), Ok("My App"));
        assert_eq!(decode("", 0).as_deref(), Ok(""));
    }

    #[test]
    fn refuses_broken_escapes_with_their_position() {
        for (raw, index) in [
            ("50%off", 2),
            ("%", 0),
            ("ab%2", 2),
            ("%%41", 0),
            ("%G0", 0),
        ] {
            assert_eq!(
                decode(raw, 10),
                Err(OtpauthUriError::PercentEncodingInvalid {
                    position: 10 + index
                }),
                "{raw}"
            );
        }
    }

    #[test]
    fn refuses_bytes_that_are_not_utf8() {
        assert_eq!(
            decode("ok%FF", 7),
            Err(OtpauthUriError::NotUtf8 { position: 7 })
        );
        assert_eq!(
            decode("%C3", 0),
            Err(OtpauthUriError::NotUtf8 { position: 0 })
        );
    }
}
