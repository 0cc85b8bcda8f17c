//! Containers for secret values: zeroized on drop, redacted in `Debug`, read only on purpose.
//!
//! Every password, client secret, device password, TOTP secret and token that passes through the
//! core lives in one of these types. Their `Debug` output never shows the value, they implement
//! neither `Display` nor `Clone`-into-plain-types, and their memory is overwritten when dropped.
//! Reading the value takes an explicit call to [`SecretString::expose`] or
//! [`SecretBytes::expose`], which makes every place that touches a secret easy to find.
//! Equality (`==`) compares the contents in constant time (`subtle`): how long a comparison
//! takes tells nothing about where two secrets differ. The lengths are compared first and are
//! not secret.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret UTF-8 string (a password, a client secret, a device password, a token).
///
/// ```
/// use cognito_auth_core::SecretString;
///
/// let password = SecretString::new("Correct-Horse-9!");
/// assert_eq!(format!("{password:?}"), "SecretString(<redacted>)");
/// assert_eq!(password.expose(), "Correct-Horse-9!");
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret string. The argument is copied; if you own a `String`, use `From`.
    pub fn new(value: &str) -> Self {
        Self(String::from(value))
    }

    /// Reads the secret. Call this only where the value itself is needed (hashing, sending).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl PartialEq for SecretString {
    /// Constant-time in the contents (the lengths are public).
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for SecretString {}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

/// Secret bytes (an SRP ephemeral, a derived key, a decoded TOTP secret).
///
/// ```
/// use cognito_auth_core::SecretBytes;
///
/// let key = SecretBytes::new(&[1, 2, 3]);
/// assert_eq!(format!("{key:?}"), "SecretBytes(3 bytes, <redacted>)");
/// assert_eq!(key.expose(), &[1, 2, 3]);
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Wraps secret bytes. The argument is copied; if you own a `Vec<u8>`, use `From`.
    pub fn new(value: &[u8]) -> Self {
        Self(Vec::from(value))
    }

    /// Reads the secret. Call this only where the value itself is needed.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The number of bytes (not secret: lengths of these values are public in the protocol).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for SecretBytes {
    fn from(value: Vec<u8>) -> Self {
        Self(value)
    }
}

impl PartialEq for SecretBytes {
    /// Constant-time in the contents (the lengths are public).
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for SecretBytes {}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes({} bytes, <redacted>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn debug_output_never_contains_the_value() {
        let s = SecretString::new("hunter2");
        let b = SecretBytes::new(b"hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{b:?}").contains("104")); // 'h' as a number
        assert!(!format!("{b:#?}").contains("hunter2"));
    }

    #[test]
    fn equality_compares_contents_and_lengths() {
        let s = SecretString::new("hunter2");
        assert_eq!(s, SecretString::new("hunter2"));
        assert_ne!(s, SecretString::new("hunter3"));
        assert_ne!(s, SecretString::new("hunter"));
        assert_ne!(s, SecretString::new("hunter22"));
        assert_eq!(SecretString::new(""), SecretString::new(""));
        let b = SecretBytes::new(&[1, 2, 3]);
        assert_eq!(b, SecretBytes::new(&[1, 2, 3]));
        assert_ne!(b, SecretBytes::new(&[1, 2, 4]));
        assert_ne!(b, SecretBytes::new(&[0, 2, 3]));
        assert_ne!(b, SecretBytes::new(&[1, 2]));
        assert_eq!(SecretBytes::new(&[]), SecretBytes::new(&[]));
    }

    #[test]
    fn zeroize_clears_the_buffers() {
        let mut s = SecretString::new("hunter2");
        s.zeroize();
        assert!(s.is_empty());
        let mut b = SecretBytes::new(&[9; 8]);
        b.zeroize();
        assert!(b.is_empty());
    }
}
