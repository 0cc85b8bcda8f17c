//! TOTP (RFC 6238) codes and checks, and `otpauth://` URIs (Google Authenticator's key-URI
//! format). Secrets cross the boundary as base32 strings (what Cognito's
//! `AssociateSoftwareToken` returns and what authenticator apps show).

use cognito_auth_core::totp::{
    Algorithm, Digits, OtpType as CoreOtpType, OtpauthUri as CoreOtpauthUri, Period, TimeStep,
    Totp, TotpSecret, VerifyOptions,
};
use cognito_auth_core::{SecretString, UnixTime};

use crate::environment::system_now;
use crate::error::Result;
use crate::sign_in::TotpSetupDetails;

/// The HMAC of a TOTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum TotpAlgorithm {
    /// HMAC-SHA1 (Cognito, and what most authenticator apps support).
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

impl From<TotpAlgorithm> for Algorithm {
    fn from(algorithm: TotpAlgorithm) -> Self {
        match algorithm {
            TotpAlgorithm::Sha1 => Self::Sha1,
            TotpAlgorithm::Sha256 => Self::Sha256,
            TotpAlgorithm::Sha512 => Self::Sha512,
        }
    }
}

impl From<Algorithm> for TotpAlgorithm {
    fn from(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::Sha1 => Self::Sha1,
            Algorithm::Sha256 => Self::Sha256,
            Algorithm::Sha512 => Self::Sha512,
        }
    }
}

/// A TOTP's parameters. Cognito's are SHA-1, 6 digits, 30 s (the default when `None` is
/// passed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TotpParameters {
    /// The HMAC.
    pub algorithm: TotpAlgorithm,
    /// 6, 7 or 8.
    pub digits: u8,
    /// The time step in seconds (not 0).
    pub period_secs: u64,
}

impl TotpParameters {
    fn totp(parameters: Option<Self>) -> Result<Totp> {
        let Some(parameters) = parameters else {
            return Ok(Totp::COGNITO);
        };
        Ok(Totp::new(
            parameters.algorithm.into(),
            Digits::try_from(u32::from(parameters.digits))?,
            Period::from_secs(parameters.period_secs)?,
        ))
    }
}

/// Cognito's TOTP parameters: SHA-1, 6 digits, 30 s.
#[uniffi::export]
pub fn cognito_totp_parameters() -> Result<TotpParameters> {
    Ok(TotpParameters {
        algorithm: Totp::COGNITO.algorithm().into(),
        digits: Totp::COGNITO.digits().count(),
        period_secs: Totp::COGNITO.period().as_secs(),
    })
}

fn secret(secret_base32: String) -> Result<TotpSecret> {
    let secret_base32 = SecretString::from(secret_base32);
    Ok(TotpSecret::from_base32(secret_base32.expose())?)
}

/// The TOTP code at `unix_time` for a base32 secret (spaces and lower case allowed).
/// `parameters` `None` = Cognito's.
#[uniffi::export(default(parameters = None))]
pub fn totp_code(
    secret_base32: String,
    unix_time: u64,
    parameters: Option<TotpParameters>,
) -> Result<String> {
    let secret = secret(secret_base32)?;
    let code = TotpParameters::totp(parameters)?.code(&secret, UnixTime::from_secs(unix_time))?;
    Ok(code.as_str().to_owned())
}

/// The TOTP code now (system clock), e.g. to answer `ConfirmSignInWithTotpCode` in tests.
#[uniffi::export(default(parameters = None))]
pub fn totp_current_code(
    secret_base32: String,
    parameters: Option<TotpParameters>,
) -> Result<String> {
    totp_code(secret_base32, system_now()?.as_secs(), parameters)
}

/// Checks a code at `unix_time`, accepting `skew` time steps before and after (1 is usual).
/// Returns the matching time step: store it and pass it as `last_used_step` next time, so the
/// same code cannot be used twice. Fails with `Totp { kind: CodeMismatch / CodeReplayed /
/// MalformedCode, .. }`.
#[uniffi::export(default(skew = 1, last_used_step = None, parameters = None))]
pub fn totp_verify(
    secret_base32: String,
    code: String,
    unix_time: u64,
    skew: u8,
    last_used_step: Option<u64>,
    parameters: Option<TotpParameters>,
) -> Result<u64> {
    let secret = secret(secret_base32)?;
    let code = SecretString::from(code);
    let options = VerifyOptions::DEFAULT
        .with_skew(skew)
        .with_last_used_step(last_used_step.map(TimeStep::new));
    let step = TotpParameters::totp(parameters)?.verify(
        &secret,
        code.expose(),
        UnixTime::from_secs(unix_time),
        options,
    )?;
    Ok(step.counter())
}

/// `totp` (time-based, with its period) or `hotp` (counter-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OtpType {
    /// Time-based.
    Totp {
        /// Seconds per code.
        period_secs: u64,
    },
    /// Counter-based.
    Hotp {
        /// The counter.
        counter: u64,
    },
}

/// An `otpauth://` URI's content.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct OtpauthUri {
    /// `totp` or `hotp`.
    pub otp_type: OtpType,
    /// The secret, base32 without padding. Secret.
    pub secret_base32: String,
    /// The issuer (the app or service name).
    pub issuer: Option<String>,
    /// The account name (user name or email).
    pub account_name: String,
    /// The HMAC.
    pub algorithm: TotpAlgorithm,
    /// 6, 7 or 8.
    pub digits: u8,
}

impl core::fmt::Debug for OtpauthUri {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OtpauthUri")
            .field("otp_type", &self.otp_type)
            .field("secret_base32", &"<redacted>")
            .field("issuer", &self.issuer)
            .field("account_name", &self.account_name)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .finish()
    }
}

/// Reads an `otpauth://` URI (e.g. from a QR code). The secret must have at least 128 bits.
#[uniffi::export]
pub fn otpauth_uri_parse(uri: String) -> Result<OtpauthUri> {
    let uri = SecretString::from(uri);
    let parsed = CoreOtpauthUri::parse(uri.expose())?;
    Ok(OtpauthUri {
        otp_type: match parsed.otp_type() {
            CoreOtpType::Totp { period } => OtpType::Totp {
                period_secs: period.as_secs(),
            },
            CoreOtpType::Hotp { counter } => OtpType::Hotp { counter },
        },
        secret_base32: parsed.secret().to_base32().expose().to_owned(),
        issuer: parsed.issuer().map(str::to_owned),
        account_name: parsed.account_name().to_owned(),
        algorithm: parsed.algorithm().into(),
        digits: parsed.digits().count(),
    })
}

/// Writes an `otpauth://` URI (to show as a QR code).
#[uniffi::export]
pub fn otpauth_uri_build(uri: OtpauthUri) -> Result<String> {
    let secret = secret(uri.secret_base32)?;
    let otp_type = match uri.otp_type {
        OtpType::Totp { period_secs } => CoreOtpType::Totp {
            period: Period::from_secs(period_secs)?,
        },
        OtpType::Hotp { counter } => CoreOtpType::Hotp { counter },
    };
    let mut built = CoreOtpauthUri::new(otp_type, secret, &uri.account_name)
        .with_algorithm(uri.algorithm.into())
        .with_digits(Digits::try_from(u32::from(uri.digits))?);
    if let Some(issuer) = &uri.issuer {
        built = built.with_issuer(issuer);
    }
    Ok(built.to_uri_string().expose().to_owned())
}

/// The `otpauth://` URI for a TOTP setup (sign-in's `ContinueSignInWithTotpSetup`, or
/// `AccountResponse.TotpSetup`): issuer `app_name`, account `account_name` or
/// else the username. Show it as a QR code.
#[uniffi::export(default(account_name = None))]
pub fn totp_setup_uri(
    details: TotpSetupDetails,
    app_name: String,
    account_name: Option<String>,
) -> Result<String> {
    let secret = SecretString::from(details.shared_secret);
    let core = cognito_auth_core::TotpSetupDetails::new(secret.expose(), &details.username)?;
    Ok(core
        .setup_uri(&app_name, account_name.as_deref())
        .expose()
        .to_owned())
}

display_as_debug!(OtpauthUri);

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test fails by panicking"
    )]

    use super::*;

    #[test]
    fn the_algorithm_round_trips_every_variant() {
        for core in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            assert_eq!(Algorithm::from(TotpAlgorithm::from(core)), core);
        }
        for ffi in [
            TotpAlgorithm::Sha1,
            TotpAlgorithm::Sha256,
            TotpAlgorithm::Sha512,
        ] {
            assert_eq!(TotpAlgorithm::from(Algorithm::from(ffi)), ffi);
        }
    }
    use crate::error::{CognitoAuthError, TotpErrorKind};

    /// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", base32.
    const RFC_SHA1: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn rfc_6238_sha1_vectors() {
        let eight = Some(TotpParameters {
            algorithm: TotpAlgorithm::Sha1,
            digits: 8,
            period_secs: 30,
        });
        for (time, code) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(totp_code(RFC_SHA1.into(), time, eight).unwrap(), code);
        }
        // Cognito's parameters keep the last six digits.
        assert_eq!(totp_code(RFC_SHA1.into(), 59, None).unwrap(), "287082");
    }

    #[test]
    fn verify_returns_the_step_and_refuses_replays() {
        let step = totp_verify(
            RFC_SHA1.into(),
            "081804".into(),
            1_111_111_109,
            1,
            None,
            None,
        )
        .unwrap();
        assert_eq!(step, 1_111_111_109 / 30);
        let replay = totp_verify(
            RFC_SHA1.into(),
            "081804".into(),
            1_111_111_109,
            1,
            Some(step),
            None,
        );
        assert!(matches!(
            replay,
            Err(CognitoAuthError::Totp {
                kind: TotpErrorKind::CodeReplayed,
                ..
            })
        ));
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        assert!(matches!(
            totp_code("not base32!".into(), 0, None),
            Err(CognitoAuthError::Totp {
                kind: TotpErrorKind::InvalidSecret,
                ..
            })
        ));
        let nine = Some(TotpParameters {
            algorithm: TotpAlgorithm::Sha1,
            digits: 9,
            period_secs: 30,
        });
        assert!(matches!(
            totp_code(RFC_SHA1.into(), 0, nine),
            Err(CognitoAuthError::Totp {
                kind: TotpErrorKind::InvalidParameters,
                ..
            })
        ));
        assert!(matches!(
            otpauth_uri_parse("https://example.com".into()),
            Err(CognitoAuthError::OtpauthUri { .. })
        ));
    }

    #[test]
    fn otpauth_round_trip() {
        let uri = OtpauthUri {
            otp_type: OtpType::Totp { period_secs: 60 },
            secret_base32: RFC_SHA1.into(),
            issuer: Some("Acme Co".into()),
            account_name: "alice@example.com".into(),
            algorithm: TotpAlgorithm::Sha256,
            digits: 8,
        };
        let text = otpauth_uri_build(uri.clone()).unwrap();
        assert!(
            text.starts_with("otpauth://totp/Acme%20Co:alice@example.com?secret="),
            "{text}"
        );
        assert_eq!(otpauth_uri_parse(text).unwrap(), uri);
        assert!(!format!("{uri:?}").contains(RFC_SHA1));
    }

    #[test]
    fn setup_uri_names_the_app_and_the_user() {
        let details = TotpSetupDetails {
            shared_secret: RFC_SHA1.into(),
            username: "alice".into(),
        };
        let uri = totp_setup_uri(details, "My App".into(), None).unwrap();
        assert_eq!(
            uri,
            format!("otpauth://totp/My%20App:alice?secret={RFC_SHA1}&issuer=My%20App")
        );
    }
}
