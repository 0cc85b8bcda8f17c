//! The text form of stored state (sign-in snapshots, sessions), written and read in one place.
//!
//! `<prefix>.v1.<base64url JSON>.<check>`, in two forms:
//! - plain: the check is the first 12 bytes of SHA-256 of the JSON. It catches truncation and
//!   bit rot, not tampering;
//! - sealed with an app key ([`SealingKey`], 32 to 64 bytes): the prefix gains `-sealed` and
//!   the check is HMAC-SHA256(key, everything before the last dot), compared in constant time.
//!   Any edit is refused.
//!
//! The version has one spelling (`v1`: not `v01`, not `v+1`). The JSON text, the decoded bytes
//! and the parsed document are wiped after use. Each user of this module maps
//! [`EnvelopeError`] into its own error enum.

use alloc::string::{String, ToString};
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Hmac;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::mac::hmac;
use crate::secret::{SecretBytes, SecretString};
use crate::wire::wipe_json;

/// The only version written and read.
pub(crate) const VERSION: u64 = 1;
const DIGEST_LEN: usize = 12;
/// Longest stored text accepted (snapshots are about 1 KB, sessions a few KB).
const MAX_LEN: usize = 64 * 1024;

/// The prefixes of one kind of stored state.
pub(crate) struct Kind {
    /// E.g. `cognito-auth-sign-in`.
    pub(crate) plain: &'static str,
    /// E.g. `cognito-auth-sign-in-sealed`.
    pub(crate) sealed: &'static str,
}

/// An app's sealing key: 32 to 64 bytes. Zeroized on drop; `Debug` shows nothing.
#[derive(Clone)]
pub(crate) struct SealingKey(SecretBytes);

impl SealingKey {
    /// Fewest and most key bytes.
    pub(crate) const LEN: core::ops::RangeInclusive<usize> = 32..=64;

    /// `None` for a key of another length (the caller names the error).
    pub(crate) fn new(key: &[u8]) -> Option<Self> {
        Self::LEN
            .contains(&key.len())
            .then(|| Self(SecretBytes::new(key)))
    }

    fn seal(&self, text: &str) -> [u8; 32] {
        hmac::<Hmac<Sha256>>(self.0.expose(), &[text.as_bytes()]).into()
    }
}

impl fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealingKey(<redacted>)")
    }
}

/// Why stored text could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnvelopeError {
    /// Another prefix, or a version not spelled `v` and a plain number.
    UnknownFormat,
    /// A version other than [`VERSION`].
    UnsupportedVersion { version: u64 },
    /// Bad base64, a digest that does not match, not a JSON object, too long.
    Corrupted,
    /// A sealed text whose seal does not verify with the key.
    SealMismatch,
    /// A sealed text read without a key.
    SealedNeedsKey,
    /// A plain text read with a key.
    NotSealed,
}

/// A parsed document; its strings are wiped on drop.
pub(crate) struct Document(pub(crate) Map<String, Value>);

impl Drop for Document {
    fn drop(&mut self) {
        self.0.values_mut().for_each(wipe_json);
    }
}

/// Writes `document` (then wipes it): plain without a key, sealed with one.
pub(crate) fn encode(kind: &Kind, mut document: Value, key: Option<&SealingKey>) -> SecretString {
    let body = Zeroizing::new(document.to_string());
    wipe_json(&mut document);
    let mut out = Zeroizing::new(String::with_capacity(body.len() * 4 / 3 + 96));
    out.push_str(if key.is_some() {
        kind.sealed
    } else {
        kind.plain
    });
    out.push_str(".v1.");
    URL_SAFE_NO_PAD.encode_string(body.as_bytes(), &mut out);
    match key {
        Some(key) => {
            let seal = key.seal(&out);
            out.push('.');
            URL_SAFE_NO_PAD.encode_string(seal, &mut out);
        }
        None => {
            let digest = Sha256::digest(body.as_bytes());
            out.push('.');
            URL_SAFE_NO_PAD.encode_string(digest.get(..DIGEST_LEN).unwrap_or_default(), &mut out);
        }
    }
    SecretString::new(&out)
}

/// Reads what [`encode`] wrote with the same `key` (or none).
pub(crate) fn decode(
    kind: &Kind,
    text: &str,
    key: Option<&SealingKey>,
) -> Result<Document, EnvelopeError> {
    if text.len() > MAX_LEN {
        return Err(EnvelopeError::Corrupted);
    }
    let text = text.trim();
    let mut parts = text.split('.');
    let sealed = match parts.next() {
        Some(prefix) if prefix == kind.plain => false,
        Some(prefix) if prefix == kind.sealed => true,
        _ => return Err(EnvelopeError::UnknownFormat),
    };
    let version = parts
        .next()
        .and_then(|v| v.strip_prefix('v'))
        .and_then(version_number)
        .ok_or(EnvelopeError::UnknownFormat)?;
    if version != VERSION {
        return Err(EnvelopeError::UnsupportedVersion { version });
    }
    let (Some(body), Some(check), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(EnvelopeError::Corrupted);
    };
    let check = URL_SAFE_NO_PAD
        .decode(check)
        .map_err(|_| EnvelopeError::Corrupted)?;
    match (sealed, key) {
        (true, None) => return Err(EnvelopeError::SealedNeedsKey),
        (false, Some(_)) => return Err(EnvelopeError::NotSealed),
        (true, Some(key)) => {
            let signed = text
                .rsplit_once('.')
                .map(|(signed, _)| signed)
                .ok_or(EnvelopeError::Corrupted)?;
            if !bool::from(key.seal(signed).as_slice().ct_eq(check.as_slice())) {
                return Err(EnvelopeError::SealMismatch);
            }
        }
        (false, None) => {}
    }
    let body = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| EnvelopeError::Corrupted)?,
    );
    if !sealed && Sha256::digest(body.as_slice()).get(..DIGEST_LEN) != Some(check.as_slice()) {
        return Err(EnvelopeError::Corrupted);
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => Ok(Document(map)),
        Ok(mut other) => {
            wipe_json(&mut other);
            Err(EnvelopeError::Corrupted)
        }
        Err(_) => Err(EnvelopeError::Corrupted),
    }
}

/// Decimal digits without a sign or leading zeros, so that one version has one spelling.
fn version_number(digits: &str) -> Option<u64> {
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KIND: Kind = Kind {
        plain: "test-state",
        sealed: "test-state-sealed",
    };

    #[test]
    fn plain_and_sealed_round_trip_and_refuse_the_other_form() {
        let key = SealingKey::new(&[7; 32]).unwrap();
        let plain = encode(&KIND, json!({"a": "b"}), None);
        let sealed = encode(&KIND, json!({"a": "b"}), Some(&key));
        assert!(plain.expose().starts_with("test-state.v1."));
        assert!(sealed.expose().starts_with("test-state-sealed.v1."));
        assert_eq!(decode(&KIND, plain.expose(), None).unwrap().0["a"], "b");
        assert_eq!(
            decode(&KIND, sealed.expose(), Some(&key)).unwrap().0["a"],
            "b"
        );
        assert_eq!(
            decode(&KIND, sealed.expose(), None).err(),
            Some(EnvelopeError::SealedNeedsKey)
        );
        assert_eq!(
            decode(&KIND, plain.expose(), Some(&key)).err(),
            Some(EnvelopeError::NotSealed)
        );
        let other = SealingKey::new(&[8; 32]).unwrap();
        assert_eq!(
            decode(&KIND, sealed.expose(), Some(&other)).err(),
            Some(EnvelopeError::SealMismatch)
        );
        assert!(SealingKey::new(&[0; 31]).is_none());
        assert!(SealingKey::new(&[0; 65]).is_none());
    }
}
