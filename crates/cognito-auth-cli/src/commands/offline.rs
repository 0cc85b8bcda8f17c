//! `secret-hash` and `phone-number`: no network.

use cognito_auth_core::{CallingCode, PhoneNumber, SecretString};

use crate::args::{PhoneNumberArgs, SecretHash};
use crate::error::Failure;

pub fn secret_hash(args: &SecretHash) -> Result<(), Failure> {
    for (flag, value) in [
        ("--username", &args.username),
        ("--client-id", &args.client_id),
        ("--client-secret", &args.client_secret),
    ] {
        if value.is_empty() {
            return Err(Failure::usage(format!("{flag} is empty")));
        }
    }
    let secret = SecretString::new(&args.client_secret);
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
