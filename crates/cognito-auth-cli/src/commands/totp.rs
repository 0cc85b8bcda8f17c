//! `totp code|uri|parse`: RFC 6238 codes and otpauth:// URIs, no network.

use std::io::IsTerminal as _;

use cognito_auth_core::totp::{Algorithm, Digits, OtpType, OtpauthUri, Period, Totp, TotpSecret};
use cognito_auth_core::{SecretString, UnixTime};
use serde_json::{Map, Value};

use crate::args::{self, Totp as TotpCommand, TotpSecretSource};
use crate::error::Failure;
use crate::output::{print_json, warn};
use crate::prompt::Input;
use crate::secrets::{Sources, TOTP_SECRET_ENV};

/// The secret of `totp code` / `totp uri`: --secret-stdin, --secret-file, $COGNITO_TOTP_SECRET
/// or (with a warning) --secret.
fn read_secret(source: &TotpSecretSource) -> Result<SecretString, Failure> {
    Sources {
        argv: source.secret.as_deref().map(|secret| ("--secret", secret)),
        file: source
            .secret_file
            .as_deref()
            .map(|path| ("--secret-file", path)),
        file_flag: "--secret-file",
        stdin: source.secret_stdin,
        env: TOTP_SECRET_ENV,
        what: "TOTP secret",
    }
    .read()?
    .ok_or_else(|| {
        Failure::usage(format!(
            "no TOTP secret: pass --secret-stdin, --secret-file PATH or set ${TOTP_SECRET_ENV}"
        ))
    })
}

pub fn run(command: TotpCommand) -> Result<(), Failure> {
    match command {
        TotpCommand::Code {
            secret,
            time,
            digits,
            algorithm,
            period,
        } => {
            let secret = read_secret(&secret)?;
            // A calculator: short secrets (Google's 80-bit examples) are accepted here.
            let secret = TotpSecret::from_base32_allow_short(secret.expose())
                .map_err(|e| Failure::usage(format!("the secret: {e}")))?;
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
            let secret = read_secret(&secret)?;
            let secret = TotpSecret::from_base32(secret.expose())
                .map_err(|e| Failure::usage(format!("the secret: {e}")))?;
            if account.is_empty() {
                return Err(Failure::usage("--account is empty"));
            }
            let uri = OtpauthUri::totp(secret, &account).with_issuer(&issuer);
            println!("{}", uri.to_uri_string().expose());
            Ok(())
        }
        TotpCommand::Parse { uri } => {
            let uri = match uri {
                Some(uri) => {
                    warn(
                        "the otpauth URI (with its secret) is on the command line, where other \
                         local users can read it (ps, /proc/PID/cmdline) and the shell keeps it \
                         in its history; give it on stdin instead",
                    );
                    SecretString::from(uri)
                }
                // From a pipe or file, or typed at a prompt without echo.
                None => Input::new(!std::io::stdin().is_terminal(), "")?.secret("otpauth URI")?,
            };
            let parsed = OtpauthUri::parse_allow_short_secret(uri.expose().trim())
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
