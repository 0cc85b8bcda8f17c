//! `mfa-preference`: SetUserMFAPreference for the types given.

use cognito_auth_core::account::{MfaSetting, SetUserMfaPreference};
use cognito_auth_core::sign_in::MfaType;

use crate::args::{self, MfaChoice};
use crate::error::Failure;
use crate::output::step;

pub fn run(args: &args::MfaPreference) -> Result<(), Failure> {
    let choices = [
        (MfaType::Totp, args.totp),
        (MfaType::Sms, args.sms),
        (MfaType::Email, args.email),
    ];
    let preferred = choices
        .iter()
        .filter(|(_, choice)| *choice == Some(MfaChoice::Preferred))
        .count();
    if preferred > 1 {
        return Err(Failure::usage("at most one MFA type can be preferred"));
    }
    let (client, transport, token) = super::access_token::access_token(&args.token)?;
    let mut operation = SetUserMfaPreference::new(token);
    let mut said = Vec::new();
    for (mfa, choice) in choices {
        let Some(choice) = choice else { continue };
        let (setting, word) = match choice {
            MfaChoice::Preferred => (MfaSetting::PREFERRED, "preferred"),
            MfaChoice::Enabled => (MfaSetting::ENABLED, "enabled"),
            MfaChoice::Disabled => (MfaSetting::DISABLED, "disabled"),
        };
        operation = operation.with(mfa, setting);
        said.push(format!("{} {word}", mfa.as_str()));
    }
    transport.run(&client, &operation)?;
    step(format!("MFA preference set: {}.", said.join(", ")));
    Ok(())
}
