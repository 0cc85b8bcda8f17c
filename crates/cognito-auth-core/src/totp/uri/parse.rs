//! Reading an `otpauth://` URI.

use alloc::string::String;

use zeroize::Zeroizing;

use super::error::OtpauthUriError;
use super::{OtpType, OtpauthUri, normalize_account_name, normalize_issuer, percent};
use crate::totp::{Algorithm, Digits, Period, TotpError, TotpSecret};

const SCHEME: &str = "otpauth://";

/// A raw (still percent-encoded) parameter value and where it starts in the URI.
#[derive(Clone, Copy)]
struct Raw<'a> {
    text: &'a str,
    position: usize,
}

impl Raw<'_> {
    fn decode(self) -> Result<String, OtpauthUriError> {
        percent::decode(self.text, self.position)
    }
}

/// The parameters that set a value; each may appear once. The others are ignored.
#[derive(Default)]
struct Parameters<'a> {
    secret: Option<Raw<'a>>,
    issuer: Option<Raw<'a>>,
    algorithm: Option<Raw<'a>>,
    digits: Option<Raw<'a>>,
    period: Option<Raw<'a>>,
    counter: Option<Raw<'a>>,
}

impl<'a> Parameters<'a> {
    /// Collects the query's parameters. `period` counts only for TOTP and `counter` only for
    /// HOTP; for the other type they are unknown parameters, ignored like `image`.
    fn collect(query: &'a str, position: usize, is_totp: bool) -> Result<Self, OtpauthUriError> {
        let mut parameters = Self::default();
        let mut start = position;
        for pair in query.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = Raw {
                text: value,
                position: start.saturating_add(name.len()).saturating_add(1),
            };
            start = start.saturating_add(pair.len()).saturating_add(1);
            let (slot, name) = match name {
                "secret" => (&mut parameters.secret, "secret"),
                "issuer" => (&mut parameters.issuer, "issuer"),
                "algorithm" => (&mut parameters.algorithm, "algorithm"),
                "digits" => (&mut parameters.digits, "digits"),
                "period" if is_totp => (&mut parameters.period, "period"),
                "counter" if !is_totp => (&mut parameters.counter, "counter"),
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(OtpauthUriError::DuplicateParameter { name });
            }
        }
        Ok(parameters)
    }
}

/// Parses `input`; `decode_secret` decides whether short secrets are allowed.
pub(super) fn parse(
    input: &str,
    decode_secret: fn(&str) -> Result<TotpSecret, TotpError>,
) -> Result<OtpauthUri, OtpauthUriError> {
    // QR scanners and clipboards add white space around the URI.
    let uri = input.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let mut position = input.len() - uri.len();
    let uri = uri.trim_end_matches(|c: char| c.is_ascii_whitespace());

    let rest = match uri.split_at_checked(SCHEME.len()) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case(SCHEME) => rest,
        _ => return Err(OtpauthUriError::SchemeNotOtpauth),
    };
    position += SCHEME.len();
    // A fragment is not part of the key; everything after '#' goes.
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (otp_type, label) = path.split_once('/').unwrap_or((path, ""));
    let is_totp = if otp_type.eq_ignore_ascii_case("totp") {
        true
    } else if otp_type.eq_ignore_ascii_case("hotp") {
        false
    } else {
        return Err(OtpauthUriError::TypeNotTotpOrHotp);
    };
    let label_position = position + otp_type.len() + 1;
    let query_position = position + path.len() + 1;
    let parameters = Parameters::collect(query, query_position, is_totp)?;

    let (label_issuer, account_name) = split_label(label, label_position)?;
    let secret = {
        let raw = parameters.secret.ok_or(OtpauthUriError::SecretMissing)?;
        let base32 = Zeroizing::new(raw.decode()?);
        decode_secret(&base32).map_err(OtpauthUriError::Secret)?
    };
    let issuer = match parameters.issuer {
        Some(raw) => normalize_issuer(&raw.decode()?),
        None => None,
    };
    let algorithm = match parameters.algorithm {
        Some(raw) => {
            Algorithm::from_name(&raw.decode()?).ok_or(OtpauthUriError::AlgorithmUnsupported)?
        }
        None => Algorithm::Sha1,
    };
    let digits = match parameters.digits {
        Some(raw) => decimal(&raw.decode()?)
            .and_then(|digits| u32::try_from(digits).ok())
            .and_then(|digits| Digits::try_from(digits).ok())
            .ok_or(OtpauthUriError::DigitsInvalid)?,
        None => Digits::Six,
    };
    let otp_type = if is_totp {
        let period = match parameters.period {
            Some(raw) => decimal(&raw.decode()?)
                .and_then(|secs| Period::from_secs(secs).ok())
                .ok_or(OtpauthUriError::PeriodInvalid)?,
            None => Period::DEFAULT,
        };
        OtpType::Totp { period }
    } else {
        let raw = parameters.counter.ok_or(OtpauthUriError::CounterMissing)?;
        let counter = decimal(&raw.decode()?).ok_or(OtpauthUriError::CounterInvalid)?;
        OtpType::Hotp { counter }
    };

    Ok(OtpauthUri {
        otp_type,
        secret,
        // See `OtpauthUri::issuer` for why the parameter wins over the label prefix.
        issuer: issuer.or(label_issuer),
        account_name,
        algorithm,
        digits,
    })
}

/// Splits the raw label into the decoded issuer prefix (empty means none) and account name.
///
/// The Key-Uri-Format ABNF is `label = accountname / issuer (":" / "%3A") *"%20" accountname`.
/// A literal `:` is looked for first, so an issuer that contains an encoded colon (`A%3AB:bob`,
/// as pyotp and this crate write it) keeps it; only a label without any literal `:` is split at
/// its first `%3A` (`Big%20Corporation%3A%20alice%40bigco.com` in Google's examples).
fn split_label(label: &str, position: usize) -> Result<(Option<String>, String), OtpauthUriError> {
    let separator = label
        .find(':')
        .map(|at| (at, 1))
        .or_else(|| label.to_ascii_uppercase().find("%3A").map(|at| (at, 3)));
    let Some((prefix, account)) =
        separator.and_then(|(at, len)| Some((label.get(..at)?, label.get(at + len..)?)))
    else {
        return Ok((
            None,
            normalize_account_name(&percent::decode(label, position)?),
        ));
    };
    let issuer = percent::decode(prefix, position)?;
    let account_position = position + (label.len() - account.len());
    let account = percent::decode(account, account_position)?;
    Ok((normalize_issuer(&issuer), normalize_account_name(&account)))
}

/// A non-negative decimal number: ASCII digits only (no sign, no spaces), below 2^64.
fn decimal(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_strict() {
        assert_eq!(decimal("30"), Some(30));
        assert_eq!(decimal("007"), Some(7));
        assert_eq!(decimal("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "+30",
            "-1",
            " 30",
            "3 0",
            "1e3",
            "18446744073709551616",
            "٣",
        ] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn label_split_prefers_a_literal_colon() {
        let split = |label: &str| split_label(label, 0).unwrap();
        assert_eq!(split("A%3AB:bob"), (Some("A:B".into()), "bob".into()));
        assert_eq!(split("A:b%3Ac"), (Some("A".into()), "b:c".into()));
        assert_eq!(
            split("Big%20Corporation%3A%20alice%40bigco.com"),
            (Some("Big Corporation".into()), "alice@bigco.com".into())
        );
        assert_eq!(
            split("Provider1:Alice%20Smith"),
            (Some("Provider1".into()), "Alice Smith".into())
        );
        assert_eq!(split("x%3a%20%20y"), (Some("x".into()), "y".into()));
        assert_eq!(split(":a%3Ab"), (None, "a:b".into()));
        assert_eq!(split("alice"), (None, "alice".into()));
        assert_eq!(split(""), (None, "".into()));
    }

    #[test]
    fn label_errors_point_into_the_uri() {
        assert_eq!(
            split_label("ok:50%off", 15),
            Err(OtpauthUriError::PercentEncodingInvalid { position: 20 })
        );
        assert_eq!(
            split_label("%FF:bob", 15),
            Err(OtpauthUriError::NotUtf8 { position: 15 })
        );
    }
}
