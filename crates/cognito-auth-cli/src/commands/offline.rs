//! `secret-hash` and `phone-number`: no network.

use cognito_auth_core::{CallingCode, PhoneNumber};

use crate::args::{PhoneNumberArgs, SecretHash};
use crate::error::Failure;
use crate::secrets::{CLIENT_SECRET_ENV, Sources};

pub fn secret_hash(args: &SecretHash) -> Result<(), Failure> {
    for (flag, value) in [
        ("--username", &args.username),
        ("--client-id", &args.client_id),
    ] {
        if value.is_empty() {
            return Err(Failure::usage(format!("{flag} is empty")));
        }
    }
    let secret = Sources {
        argv: args
            .client_secret
            .as_deref()
            .map(|secret| ("--client-secret", secret)),
        file: args
            .client_secret_file
            .as_deref()
            .map(|path| ("--client-secret-file", path)),
        file_flag: "--client-secret-file",
        stdin: args.client_secret_stdin,
        env: CLIENT_SECRET_ENV,
        what: "client secret",
    }
    .read()?
    .ok_or_else(|| {
        Failure::usage(format!(
            "no client secret: pass --client-secret-stdin, --client-secret-file PATH or set \
             ${CLIENT_SECRET_ENV}"
        ))
    })?;
    println!(
        "{}",
        cognito_auth_core::secret_hash(&args.username, &args.client_id, &secret)
    );
    Ok(())
}

pub fn phone_number(args: &PhoneNumberArgs) -> Result<(), Failure> {
    let default = args
        .default_calling_code
        .map(|code| {
            CallingCode::try_from(code).map_err(|e| {
                Failure::usage(format!("--default-calling-code {code}: {}: {e}", kind(&e)))
            })
        })
        .transpose()?;
    let number = PhoneNumber::normalize(&args.input, default)
        .map_err(|e| Failure::usage(format!("{}: {e}", kind(&e))))?;
    println!("{number}");
    Ok(())
}

/// The variant name of an error (`MissingCallingCode`, `Letter`, ...): its `Debug` up to the
/// first field.
fn kind(error: &impl core::fmt::Debug) -> String {
    let debug = format!("{error:?}");
    debug
        .split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}
