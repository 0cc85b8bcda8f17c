//! `totp code|uri|parse`: RFC 6238 codes and otpauth:// URIs, no network.

use cognito_auth_core::UnixTime;
use cognito_auth_core::totp::{Algorithm, Digits, OtpType, OtpauthUri, Period, Totp, TotpSecret};
use serde_json::{Map, Value};

use crate::args::{self, Totp as TotpCommand};
use crate::error::Failure;
use crate::output::print_json;

pub fn run(command: TotpCommand) -> Result<(), Failure> {
    match command {
        TotpCommand::Code {
            secret,
            time,
            digits,
            algorithm,
            period,
        } => {
            // A calculator: short secrets (Google's 80-bit examples) are accepted here.
            let secret = TotpSecret::from_base32_allow_short(&secret)
                .map_err(|e| Failure::usage(format!("--secret: {e}")))?;
            let digits =
                Digits::try_from(digits).map_err(|e| Failure::usage(format!("--digits: {e}")))?;
            let period =
                Period::from_secs(period).map_err(|e| Failure::usage(format!("--period: {e}")))?;
            let totp = Totp::new(algorithm.into(), digits, period);
            let time = time.map_or_else(super::now, UnixTime::from_secs);
            let code = totp
                .code(&secret, time)
                .map_err(|e| Failure::usage(format!("--time: {e}")))?;
            println!("{}", code.as_str());
            Ok(())
        }
        TotpCommand::Uri {
            secret,
            issuer,
            account,
        } => {
            let secret = TotpSecret::from_base32(&secret)
                .map_err(|e| Failure::usage(format!("--secret: {e}")))?;
            if account.is_empty() {
                return Err(Failure::usage("--account is empty"));
            }
            let uri = OtpauthUri::totp(secret, &account).with_issuer(&issuer);
            println!("{}", uri.to_uri_string().expose());
            Ok(())
        }
        TotpCommand::Parse { uri } => {
            let parsed = OtpauthUri::parse_allow_short_secret(&uri)
                .map_err(|e| Failure::usage(format!("not an otpauth URI: {e}")))?;
            print_json(&fields(&parsed));
            Ok(())
        }
    }
}

/// The URI's fields, the secret left out (only its length in bits).
fn fields(uri: &OtpauthUri) -> Value {
    let mut out = Map::new();
    match uri.otp_type() {
        OtpType::Totp { period } => {
            out.insert("type".into(), "totp".into());
            out.insert("period".into(), period.as_secs().into());
        }
        OtpType::Hotp { counter } => {
            out.insert("type".into(), "hotp".into());
            out.insert("counter".into(), counter.into());
        }
    }
    out.insert("issuer".into(), uri.issuer().into());
    out.insert("account".into(), uri.account_name().into());
    out.insert("algorithm".into(), uri.algorithm().as_str().into());
    out.insert("digits".into(), uri.digits().count().into());
    out.insert("secret_bits".into(), (uri.secret().len() * 8).into());
    Value::Object(out)
}

impl From<args::Algorithm> for Algorithm {
    fn from(algorithm: args::Algorithm) -> Self {
        match algorithm {
            args::Algorithm::Sha1 => Self::Sha1,
            args::Algorithm::Sha256 => Self::Sha256,
            args::Algorithm::Sha512 => Self::Sha512,
        }
    }
}
