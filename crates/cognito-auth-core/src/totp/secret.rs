//! [`TotpSecret`]: the shared key, decoded from base32 as users paste it.

use core::fmt;

use subtle::ConstantTimeEq;

use super::base32;
use super::error::TotpError;
use crate::secret::{SecretBytes, SecretString};

/// The shared key K of RFC 4226: zeroized on drop, redacted in `Debug`, compared in constant
/// time.
///
/// **Length.** RFC 4226 R6 requires at least 128 bits (160 recommended), so the plain
/// constructors refuse shorter keys with [`TotpError::SecretTooShort`]. Many services still hand
/// out 80-bit secrets (16 base32 characters, like the `JBSWY3DPEHPK3PXP` of Google's own
/// examples); accept those only on purpose, with [`TotpSecret::from_base32_allow_short`] or
/// [`TotpSecret::from_bytes_allow_short`]. Cognito's secrets are 256 bits.
///
/// **Base32.** Decoding takes what people paste: lower case, spaces, and `=` padding or none.
/// Bits after the last whole byte are ignored. Encoding is upper-case and unpadded (padding
/// breaks Google Authenticator on iOS).
///
/// ```
/// use cognito_auth_core::totp::{TotpError, TotpSecret};
///
/// // AssociateSoftwareToken's SecretCode: 52 characters, 32 bytes, no padding.
/// let secret = TotpSecret::from_base32("6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A")?;
/// assert_eq!(secret.len(), 32);
/// assert_eq!(format!("{secret:?}"), "TotpSecret(32 bytes, <redacted>)");
///
/// // Grouped and lower-case input decodes to the same key.
/// let pasted = TotpSecret::from_base32("6c72 7yg4 lrzr amyd 5ybn mtkp ufgi n5zu npbb 2rj7 4d5g e5oc wd7a")?;
/// assert_eq!(pasted, secret);
/// assert_eq!(pasted.to_base32().expose(), "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A");
///
/// // Short secrets need an explicit opt-in; bad characters are reported with their position.
/// assert_eq!(TotpSecret::from_base32("JBSWY3DPEHPK3PXP"), Err(TotpError::SecretTooShort { bits: 80 }));
/// assert!(TotpSecret::from_base32_allow_short("JBSWY3DPEHPK3PXP").is_ok());
/// assert_eq!(TotpSecret::from_base32("JBSWY3DPEHPK3PX0"), Err(TotpError::SecretNotBase32 { position: 15 }));
/// # Ok::<(), TotpError>(())
/// ```
#[derive(Clone)]
pub struct TotpSecret(SecretBytes);

impl TotpSecret {
    /// Fewest bytes the plain constructors accept: 16 bytes, RFC 4226's 128 bits.
    pub const MIN_LEN: usize = 16;

    /// Decodes a base32 secret of at least 128 bits.
    pub fn from_base32(base32: &str) -> Result<Self, TotpError> {
        Self::checked(base32::decode(base32)?)
    }

    /// Decodes a base32 secret of any non-zero length, below RFC 4226's 128-bit minimum too.
    pub fn from_base32_allow_short(base32: &str) -> Result<Self, TotpError> {
        Ok(Self(base32::decode(base32)?))
    }

    /// Copies a raw key of at least 128 bits.
    pub fn from_bytes(key: &[u8]) -> Result<Self, TotpError> {
        Self::checked(SecretBytes::new(key))
    }

    /// Copies a raw key of any non-zero length, below RFC 4226's 128-bit minimum too.
    pub fn from_bytes_allow_short(key: &[u8]) -> Result<Self, TotpError> {
        if key.is_empty() {
            return Err(TotpError::SecretEmpty);
        }
        Ok(Self(SecretBytes::new(key)))
    }

    fn checked(key: SecretBytes) -> Result<Self, TotpError> {
        if key.is_empty() {
            return Err(TotpError::SecretEmpty);
        }
        if key.len() < Self::MIN_LEN {
            return Err(TotpError::SecretTooShort {
                bits: key.len().saturating_mul(8),
            });
        }
        Ok(Self(key))
    }

    /// The key as upper-case base32 without padding, for an authenticator app or storage.
    pub fn to_base32(&self) -> SecretString {
        base32::encode(self.0.expose())
    }

    /// Reads the raw key. Call this only where the key itself is needed (storing it encrypted).
    pub fn expose(&self) -> &[u8] {
        self.0.expose()
    }

    /// Length in bytes (public: it shows in the base32 length anyway).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a secret has at least one byte.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl PartialEq for TotpSecret {
    /// Constant-time in the contents (the lengths are public).
    fn eq(&self, other: &Self) -> bool {
        self.0.expose().ct_eq(other.0.expose()).into()
    }
}

impl Eq for TotpSecret {}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TotpSecret({} bytes, <redacted>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn short_secrets_need_the_opt_in() {
        let ten = [7_u8; 10];
        assert_eq!(
            TotpSecret::from_bytes(&ten),
            Err(TotpError::SecretTooShort { bits: 80 })
        );
        assert_eq!(
            TotpSecret::from_bytes(&[1; 15]),
            Err(TotpError::SecretTooShort { bits: 120 })
        );
        assert_eq!(TotpSecret::from_bytes(&[1; 16]).map(|s| s.len()), Ok(16));
        assert_eq!(
            TotpSecret::from_bytes_allow_short(&ten).map(|s| s.len()),
            Ok(10)
        );
        assert_eq!(
            TotpSecret::from_base32("JBSWY3DPEHPK3PXP"),
            Err(TotpError::SecretTooShort { bits: 80 })
        );
        assert_eq!(
            TotpSecret::from_base32_allow_short("JBSWY3DPEHPK3PXP").map(|s| s.len()),
            Ok(10)
        );
    }

    #[test]
    fn empty_secrets_are_refused_even_when_short_is_allowed() {
        assert_eq!(TotpSecret::from_bytes(&[]), Err(TotpError::SecretEmpty));
        assert_eq!(
            TotpSecret::from_bytes_allow_short(&[]),
            Err(TotpError::SecretEmpty)
        );
        assert_eq!(
            TotpSecret::from_base32_allow_short(" "),
            Err(TotpError::SecretEmpty)
        );
    }

    #[test]
    fn debug_never_shows_the_key() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890").unwrap();
        let debug = format!("{secret:?} {secret:#?}");
        assert!(!debug.contains("12345"), "{debug}");
        assert!(!debug.contains("49"), "{debug}"); // '1' as a number
        assert!(!debug.contains("GEZDGNBV"), "{debug}");
    }

    #[test]
    fn equality_compares_contents_and_length() {
        let a = TotpSecret::from_bytes(&[1; 20]).unwrap();
        assert_eq!(a, TotpSecret::from_bytes(&[1; 20]).unwrap());
        assert_ne!(a, TotpSecret::from_bytes(&[2; 20]).unwrap());
        assert_ne!(a, TotpSecret::from_bytes(&[1; 21]).unwrap());
    }
}
