//! [`OtpauthUri`]: the Key URI format that authenticator apps scan from a QR code.

mod error;
mod parse;
mod percent;

use alloc::string::String;

pub use error::OtpauthUriError;

use super::parameters::{Algorithm, Digits, Period};
use super::secret::TotpSecret;
use super::time_based::Totp;
use crate::secret::SecretString;

/// The URI's type and its type-specific parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpType {
    /// `otpauth://totp/...`: time-based codes with this period.
    Totp {
        /// The `period` parameter (30 seconds when absent).
        period: Period,
    },
    /// `otpauth://hotp/...`: counter-based codes starting at this counter.
    Hotp {
        /// The `counter` parameter (required).
        counter: u64,
    },
}

/// An `otpauth://` key URI: the secret, the names an authenticator app shows, and the code
/// parameters.
///
/// `otpauth://TYPE/LABEL?secret=SECRET&issuer=ISSUER&algorithm=A&digits=D&period=P&counter=C`,
/// as defined by Google Authenticator's (now archived) Key-Uri-Format page:
///
/// | part | built | parsed |
/// |---|---|---|
/// | scheme, TYPE | `otpauth`, `totp` or `hotp` | the same, in any case |
/// | LABEL | `ISSUER:ACCOUNT`, or `ACCOUNT` without an issuer | split at the first literal `:`, else at the first `%3A`; leading spaces of the account dropped |
/// | `secret` | upper-case base32, no padding | base32 as users paste it; under 128 bits refused unless opted in |
/// | `issuer` | repeated from the label prefix | wins over the label prefix (see [`OtpauthUri::issuer`]) |
/// | `algorithm`, `digits`, `period` | only when not SHA1, 6, 30 | `SHA1`/`SHA256`/`SHA512` in any case; 6-8; 1 s up |
/// | `counter` | always for `hotp` | required for `hotp` |
/// | anything else (`image`, `color`, ...) | never | ignored, as is a fragment |
///
/// Text is percent-encoded per RFC 3986: everything but `A-Z a-z 0-9 - . _ ~ @` is escaped, so
/// a space is `%20` (never `+`) and `:` `&` `#` `?` `/` `%` `+` and non-ASCII characters inside
/// the issuer or account cannot break the URI. Parsing is lenient where apps are: a raw space or
/// non-ASCII character (as Amplify Android and Swift emit them) is taken as itself, and so is a
/// raw `+` (RFC 3986; Google Authenticator shows it as `+`). A parameter that sets a value may
/// appear only once, as in pyotp: two `secret`s would be read differently by different apps.
///
/// Building then parsing gives back an equal value for every input: the issuer and account
/// name may hold any text, colons, ampersands, spaces and emoji included.
///
/// ```
/// use cognito_auth_core::totp::{OtpauthUri, TotpSecret};
///
/// let secret = TotpSecret::from_base32("6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A")?;
/// let uri = OtpauthUri::totp(secret, "alice@example.com").with_issuer("Star Trek: Ex&Co 🖖");
/// assert_eq!(
///     uri.to_uri_string().expose(),
///     "otpauth://totp/Star%20Trek%3A%20Ex%26Co%20%F0%9F%96%96:alice@example.com\
///      ?secret=6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A\
///      &issuer=Star%20Trek%3A%20Ex%26Co%20%F0%9F%96%96"
/// );
/// assert_eq!(OtpauthUri::parse(uri.to_uri_string().expose())?, uri);
///
/// // Google's own example: an 80-bit secret, accepted only on request.
/// let example = "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";
/// assert!(OtpauthUri::parse(example).is_err());
/// let parsed = OtpauthUri::parse_allow_short_secret(example)?;
/// assert_eq!((parsed.issuer(), parsed.account_name()), (Some("Example"), "alice@google.com"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpauthUri {
    otp_type: OtpType,
    secret: TotpSecret,
    issuer: Option<String>,
    account_name: String,
    algorithm: Algorithm,
    digits: Digits,
}

impl OtpauthUri {
    /// A URI of type `otp_type` for `secret` and `account_name`, SHA-1 and 6 digits, no issuer.
    ///
    /// Leading spaces of `account_name` are dropped: the Key URI format reads spaces after the
    /// issuer separator as decoration, so they could not survive a round trip.
    pub fn new(otp_type: OtpType, secret: TotpSecret, account_name: &str) -> Self {
        Self {
            otp_type,
            secret,
            issuer: None,
            account_name: normalize_account_name(account_name),
            algorithm: Algorithm::Sha1,
            digits: Digits::Six,
        }
    }

    /// A TOTP URI with the defaults (SHA-1, 6 digits, 30 seconds) and no issuer.
    pub fn totp(secret: TotpSecret, account_name: &str) -> Self {
        Self::new(
            OtpType::Totp {
                period: Period::DEFAULT,
            },
            secret,
            account_name,
        )
    }

    /// Sets the issuer (the service name the app shows). The empty string means no issuer.
    pub fn with_issuer(self, issuer: &str) -> Self {
        Self {
            issuer: normalize_issuer(issuer),
            ..self
        }
    }

    /// Sets the hash function.
    pub fn with_algorithm(self, algorithm: Algorithm) -> Self {
        Self { algorithm, ..self }
    }

    /// Sets the number of digits.
    pub fn with_digits(self, digits: Digits) -> Self {
        Self { digits, ..self }
    }

    /// Parses a URI whose secret has at least 128 bits. See [`OtpauthUri`] for what is
    /// accepted.
    pub fn parse(uri: &str) -> Result<Self, OtpauthUriError> {
        parse::parse(uri, TotpSecret::from_base32)
    }

    /// Parses a URI whose secret may be shorter than 128 bits (but not empty), like the 80-bit
    /// secrets many services still issue.
    pub fn parse_allow_short_secret(uri: &str) -> Result<Self, OtpauthUriError> {
        parse::parse(uri, TotpSecret::from_base32_allow_short)
    }

    /// The URI, to show as a QR code. It contains the secret, hence the [`SecretString`].
    ///
    /// Parameters come in the order `secret`, `issuer`, `algorithm`, `digits`, `period` or
    /// `counter`; `algorithm`, `digits` and `period` only when they differ from SHA1, 6 and 30.
    /// An account name with a colon and no issuer gets an empty issuer prefix (`:a%3Ab`), the
    /// only form that the Key URI format cannot read as `issuer:account`.
    pub fn to_uri_string(&self) -> SecretString {
        let base32 = self.secret.to_base32();
        let issuer = self.issuer.as_deref().unwrap_or_default();
        // Reserve the largest possible length up front: the string holds the secret, and
        // growing it would leave copies behind.
        let capacity = issuer
            .len()
            .saturating_mul(6)
            .saturating_add(self.account_name.len().saturating_mul(3))
            .saturating_add(base32.expose().len())
            .saturating_add(96);
        let mut out = String::new();
        let _ = out.try_reserve_exact(capacity);

        out.push_str("otpauth://");
        out.push_str(match self.otp_type {
            OtpType::Totp { .. } => "totp/",
            OtpType::Hotp { .. } => "hotp/",
        });
        if let Some(issuer) = &self.issuer {
            percent::encode_into(&mut out, issuer);
            out.push(':');
        } else if self.account_name.contains(':') {
            out.push(':');
        }
        percent::encode_into(&mut out, &self.account_name);
        out.push_str("?secret=");
        out.push_str(base32.expose());
        if let Some(issuer) = &self.issuer {
            out.push_str("&issuer=");
            percent::encode_into(&mut out, issuer);
        }
        if self.algorithm != Algorithm::Sha1 {
            out.push_str("&algorithm=");
            out.push_str(self.algorithm.as_str());
        }
        if self.digits != Digits::Six {
            out.push_str("&digits=");
            push_decimal(&mut out, u64::from(self.digits.count()));
        }
        match self.otp_type {
            OtpType::Totp { period } if period != Period::DEFAULT => {
                out.push_str("&period=");
                push_decimal(&mut out, period.as_secs());
            }
            OtpType::Totp { .. } => {}
            OtpType::Hotp { counter } => {
                out.push_str("&counter=");
                push_decimal(&mut out, counter);
            }
        }
        SecretString::from(out)
    }

    /// The type, with the period or the counter.
    pub fn otp_type(&self) -> OtpType {
        self.otp_type
    }

    /// The shared secret.
    pub fn secret(&self) -> &TotpSecret {
        &self.secret
    }

    /// The issuer (the service), if any.
    ///
    /// When a parsed URI has both a label prefix and an `issuer` parameter and they differ, **the
    /// parameter wins**. Google's Key-Uri-Format makes the parameter the primary field ("STRONGLY
    /// RECOMMENDED", RFC 3986-encoded) and says current Google Authenticator versions use it,
    /// only older ones reading the prefix; the prefix also cannot carry a colon and is ambiguous
    /// where `%3A` is involved. pyotp and totp-rs instead refuse a mismatch, but Google
    /// Authenticator imports such URIs and so do we. The known cost: Amplify JS, Android and
    /// Swift put an app name with `&` raw into the query, so `issuer=Ex&Co` reads as `Ex`; the
    /// label prefix would have been right there, but the URI is malformed and our builder never
    /// produces it.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The account name (the user), without leading spaces.
    pub fn account_name(&self) -> &str {
        &self.account_name
    }

    /// The hash function.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The number of digits.
    pub fn digits(&self) -> Digits {
        self.digits
    }

    /// The TOTP parameters (with T0 = 0, which the format cannot express), or `None` for HOTP.
    pub fn to_totp(&self) -> Option<Totp> {
        match self.otp_type {
            OtpType::Totp { period } => Some(Totp::new(self.algorithm, self.digits, period)),
            OtpType::Hotp { .. } => None,
        }
    }
}

/// Account names never start with a space (the format drops spaces after the separator).
fn normalize_account_name(account_name: &str) -> String {
    String::from(account_name.trim_start_matches(' '))
}

/// The empty issuer is no issuer.
fn normalize_issuer(issuer: &str) -> Option<String> {
    (!issuer.is_empty()).then(|| String::from(issuer))
}

/// Appends a number in decimal without `format!` (no allocation beyond `out`).
fn push_decimal(out: &mut String, mut value: u64) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
        start -= 1;
        if value == 0 {
            break;
        }
    }
    for &digit in digits.get(start..).unwrap_or_default() {
        out.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890").unwrap()
    }

    fn built(uri: &OtpauthUri) -> String {
        String::from(uri.to_uri_string().expose())
    }

    #[test]
    fn amplify_template_for_plain_names() {
        let uri = OtpauthUri::totp(secret(), "alice@example.com").with_issuer("MyApp");
        assert_eq!(
            built(&uri),
            "otpauth://totp/MyApp:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=MyApp"
        );
    }

    #[test]
    fn non_default_parameters_are_written() {
        let uri = OtpauthUri::new(
            OtpType::Totp {
                period: Period::from_secs(60).unwrap(),
            },
            secret(),
            "bob",
        )
        .with_algorithm(Algorithm::Sha512)
        .with_digits(Digits::Eight);
        assert_eq!(
            built(&uri),
            "otpauth://totp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8&period=60"
        );
        let hotp = OtpauthUri::new(OtpType::Hotp { counter: 0 }, secret(), "bob");
        assert!(built(&hotp).starts_with("otpauth://hotp/bob?"));
        assert!(built(&hotp).ends_with("&counter=0"));
        assert_eq!(hotp.to_totp(), None);
    }

    #[test]
    fn issuer_less_account_with_a_colon_gets_an_empty_prefix() {
        let uri = OtpauthUri::totp(secret(), "a:b");
        assert!(built(&uri).starts_with("otpauth://totp/:a%3Ab?"));
    }

    #[test]
    fn normalization() {
        let uri = OtpauthUri::totp(secret(), "  alice").with_issuer("");
        assert_eq!(uri.account_name(), "alice");
        assert_eq!(uri.issuer(), None);
    }

    #[test]
    fn decimals() {
        for value in [0, 7, 10, 30, 1_234_567_890, u64::MAX] {
            let mut out = String::new();
            push_decimal(&mut out, value);
            assert_eq!(out, alloc::format!("{value}"));
        }
    }
}
