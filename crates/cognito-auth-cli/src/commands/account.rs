//! `sign-up`, `confirm-sign-up`, `resend-code`, `forgot-password`, `confirm-forgot-password`.

use cognito_auth_core::account::{
    ConfirmForgotPassword, ConfirmSignUp, ForgotPassword, ResendConfirmationCode, SignUp,
};
use serde_json::json;

use crate::args;
use crate::error::Failure;
use crate::output::{code_delivery, print_json, step};
use crate::prompt::stdin_line;

pub fn sign_up(args: &args::SignUp) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let password = stdin_line("password")?;
    let mut operation = SignUp::new(&args.username, password);
    for attribute in &args.attributes {
        let (name, value) = attribute.split_once('=').ok_or_else(|| {
            Failure::usage(format!("--attribute {attribute:?}: expected NAME=VALUE"))
        })?;
        operation = operation.attribute(name, value);
    }
    let result = transport.run(&client, &operation)?;
    print_json(&json!({
        "UserConfirmed": result.user_confirmed,
        "UserSub": result.user_sub,
        "CodeDeliveryDetails": result.code_delivery.as_ref().map(code_delivery),
    }));
    Ok(())
}

pub fn confirm_sign_up(args: &args::ConfirmSignUp) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    transport.run(&client, &ConfirmSignUp::new(&args.username, &args.code))?;
    step(format!("{} is confirmed; sign in now.", args.username));
    Ok(())
}

pub fn resend_code(args: &args::UserOnly) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let delivery = transport.run(&client, &ResendConfirmationCode::new(&args.username))?;
    print_json(&json!({ "CodeDeliveryDetails": code_delivery(&delivery) }));
    Ok(())
}

pub fn forgot_password(args: &args::UserOnly) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let delivery = transport.run(&client, &ForgotPassword::new(&args.username))?;
    print_json(&json!({ "CodeDeliveryDetails": code_delivery(&delivery) }));
    Ok(())
}

pub fn confirm_forgot_password(args: &args::ConfirmForgotPassword) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let password = stdin_line("new password")?;
    transport.run(
        &client,
        &ConfirmForgotPassword::new(&args.username, &args.code, password),
    )?;
    step(format!(
        "The password of {} is reset; sign in with it now.",
        args.username
    ));
    Ok(())
}
