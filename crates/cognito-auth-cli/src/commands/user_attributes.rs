//! `user-attributes get | update | verify`: GetUser, UpdateUserAttributes, VerifyUserAttribute.

use cognito_auth_core::account::{GetUser, UpdateUserAttributes, VerifyUserAttribute};
use serde_json::{Map, Value, json};

use crate::args;
use crate::error::Failure;
use crate::output::{code_delivery, describe_delivery, print_json, step};
use crate::prompt::Input;

pub fn run(command: &args::UserAttributes) -> Result<(), Failure> {
    match command {
        args::UserAttributes::Get(token) => get(token),
        args::UserAttributes::Update(args) => update(args),
        args::UserAttributes::Verify(args) => verify(args),
    }
}

/// `{"Username", "UserAttributes": {name: value}, "UserMFASettingList", "PreferredMfaSetting"}`.
fn get(args: &args::AccessToken) -> Result<(), Failure> {
    let (client, transport, token) = super::access_token::access_token(args)?;
    let user = transport.run(&client, &GetUser::new(token))?;
    let attributes: Map<String, Value> = user
        .attributes
        .into_iter()
        .map(|(name, value)| (name, Value::String(value)))
        .collect();
    let enabled: Vec<&str> = user.mfa.enabled.iter().map(|mfa| mfa.as_str()).collect();
    print_json(&json!({
        "Username": user.username,
        "UserAttributes": attributes,
        "UserMFASettingList": enabled,
        "PreferredMfaSetting": user.mfa.preferred.map(|mfa| mfa.as_str()),
    }));
    Ok(())
}

/// The `--attribute NAME=VALUE` pairs; a pair without `=` or with an empty name is bad input.
fn pairs(attributes: &[String]) -> Result<Vec<(&str, &str)>, Failure> {
    attributes
        .iter()
        .map(|attribute| match attribute.split_once('=') {
            Some((name, value)) if !name.is_empty() => Ok((name, value)),
            _ => Err(Failure::usage(format!(
                "--attribute {attribute:?}: expected NAME=VALUE"
            ))),
        })
        .collect()
}

fn update(args: &args::UpdateAttributes) -> Result<(), Failure> {
    // Checked before the token is read or anything is sent.
    let pairs = pairs(&args.attributes)?;
    let (client, transport, token) = super::access_token::access_token(&args.token)?;
    let sent = transport.run(&client, &UpdateUserAttributes::new(token, pairs))?;
    for delivery in &sent {
        step(format!(
            "Confirm with `user-attributes verify`: {}",
            describe_delivery(delivery)
        ));
    }
    let list: Vec<Value> = sent.iter().map(code_delivery).collect();
    print_json(&json!({ "CodeDeliveryDetailsList": list }));
    Ok(())
}

fn verify(args: &args::VerifyAttribute) -> Result<(), Failure> {
    let (client, transport, token) = super::access_token::access_token(&args.token)?;
    let mut input = Input::new(args.code_stdin, "--code-stdin")?;
    let code = input.secret("verification code")?;
    transport.run(
        &client,
        &VerifyUserAttribute::new(token, &args.attribute_name, code.expose().trim()),
    )?;
    step(format!("{} is verified.", args.attribute_name));
    Ok(())
}
