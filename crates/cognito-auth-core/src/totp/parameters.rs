//! The OTP parameters: [`Algorithm`], [`Digits`] and [`Period`].

use core::fmt;
use core::num::NonZeroU64;

use super::error::TotpError;

/// The HMAC hash function.
///
/// RFC 4226 defines HOTP over HMAC-SHA-1 and RFC 6238 allows HMAC-SHA-256 and HMAC-SHA-512. Only
/// SHA-1 is portable: Google Authenticator ignores or refuses the others, and Cognito uses SHA-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA-1, the default.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The otpauth `algorithm` value: `SHA1`, `SHA256` or `SHA512`.
    ///
    /// ```
    /// use cognito_auth_core::totp::Algorithm;
    ///
    /// assert_eq!(Algorithm::Sha256.as_str(), "SHA256");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    /// Reads an otpauth `algorithm` value, ignoring ASCII case.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        [Self::Sha1, Self::Sha256, Self::Sha512]
            .into_iter()
            .find(|algorithm| algorithm.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many decimal digits a code has. RFC 4226 §5.3 allows 6, 7 or 8; anything else is refused
/// when converting from a number.
///
/// ```
/// use cognito_auth_core::totp::{Digits, TotpError};
///
/// assert_eq!(Digits::try_from(8), Ok(Digits::Eight));
/// assert_eq!(Digits::try_from(9), Err(TotpError::DigitsOutOfRange { digits: 9 }));
/// assert_eq!(Digits::default().count(), 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Digits {
    /// 6 digits, the default and the only length Cognito accepts.
    #[default]
    Six,
    /// 7 digits.
    Seven,
    /// 8 digits, as in the RFC 6238 test vectors.
    Eight,
}

impl Digits {
    /// The number of digits.
    pub const fn count(self) -> u8 {
        match self {
            Self::Six => 6,
            Self::Seven => 7,
            Self::Eight => 8,
        }
    }

    /// 10^digits.
    pub(crate) const fn modulus(self) -> u32 {
        match self {
            Self::Six => 1_000_000,
            Self::Seven => 10_000_000,
            Self::Eight => 100_000_000,
        }
    }
}

impl TryFrom<u32> for Digits {
    type Error = TotpError;

    fn try_from(digits: u32) -> Result<Self, TotpError> {
        match digits {
            6 => Ok(Self::Six),
            7 => Ok(Self::Seven),
            8 => Ok(Self::Eight),
            _ => Err(TotpError::DigitsOutOfRange { digits }),
        }
    }
}

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.count())
    }
}

/// The time step X of RFC 6238: any whole number of seconds from 1 up. The default is 30.
///
/// ```
/// use cognito_auth_core::totp::{Period, TotpError};
///
/// assert_eq!(Period::from_secs(60)?.as_secs(), 60);
/// assert_eq!(Period::from_secs(0), Err(TotpError::PeriodZero));
/// assert_eq!(Period::default(), Period::DEFAULT);
/// # Ok::<(), TotpError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period(NonZeroU64);

impl Period {
    /// 30 seconds, RFC 6238's default and Cognito's period.
    pub const DEFAULT: Self = Self(match NonZeroU64::new(30) {
        Some(secs) => secs,
        None => NonZeroU64::MIN,
    });

    /// A period of `secs` seconds; zero is refused.
    pub const fn from_secs(secs: u64) -> Result<Self, TotpError> {
        match NonZeroU64::new(secs) {
            Some(secs) => Ok(Self(secs)),
            None => Err(TotpError::PeriodZero),
        }
    }

    /// The period in seconds (at least 1).
    pub const fn as_secs(self) -> u64 {
        self.0.get()
    }

    /// The period as a divisor that cannot be zero.
    pub(crate) const fn as_non_zero(self) -> NonZeroU64 {
        self.0
    }
}

impl Default for Period {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl From<NonZeroU64> for Period {
    fn from(secs: NonZeroU64) -> Self {
        Self(secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn digits_outside_6_to_8_are_refused() {
        for digits in [0, 1, 5, 9, 10, u32::MAX] {
            assert_eq!(
                Digits::try_from(digits),
                Err(TotpError::DigitsOutOfRange { digits })
            );
        }
        for (n, d) in [(6, Digits::Six), (7, Digits::Seven), (8, Digits::Eight)] {
            assert_eq!(Digits::try_from(n), Ok(d));
            assert_eq!(u32::from(d.count()), n);
            assert_eq!(d.to_string(), n.to_string());
            assert_eq!(u64::from(d.modulus()), 10_u64.pow(n));
        }
    }

    #[test]
    fn period_zero_is_refused() {
        assert_eq!(Period::from_secs(0), Err(TotpError::PeriodZero));
        assert_eq!(Period::from_secs(1).map(Period::as_secs), Ok(1));
        assert_eq!(
            Period::from_secs(u64::MAX).map(Period::as_secs),
            Ok(u64::MAX)
        );
        assert_eq!(Period::DEFAULT.as_secs(), 30);
    }

    #[test]
    fn algorithm_names() {
        assert_eq!(Algorithm::from_name("sha1"), Some(Algorithm::Sha1));
        assert_eq!(Algorithm::from_name("Sha256"), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::from_name("SHA512"), Some(Algorithm::Sha512));
        assert_eq!(Algorithm::from_name("SHA-256"), None);
        assert_eq!(Algorithm::from_name("MD5"), None);
        assert_eq!(Algorithm::from_name(""), None);
        assert_eq!(Algorithm::Sha512.to_string(), "SHA512");
        assert_eq!(Algorithm::default(), Algorithm::Sha1);
    }
}
