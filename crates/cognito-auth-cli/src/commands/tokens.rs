//! `refresh` and `sign-out`.

use cognito_auth_core::account::{GetTokensFromRefreshToken, GlobalSignOut};

use crate::args;
use crate::device_file;
use crate::error::Failure;
use crate::output::{authentication_result, print_json, step};
use crate::prompt::stdin_line;

pub fn refresh(args: &args::Refresh) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let token = stdin_line("refresh token")?;
    let mut operation = GetTokensFromRefreshToken::new(token);
    if let Some(path) = &args.device_file
        && let Some(device) = device_file::load(path)?
    {
        operation = operation.with_device_key(&device.device_key);
    }
    let tokens = transport.run(&client, &operation)?;
    print_json(&authentication_result(&tokens));
    Ok(())
}

pub fn sign_out(args: &args::SignOut) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let token = stdin_line("access token")?;
    transport.run(&client, &GlobalSignOut::new(token))?;
    step("Signed out everywhere: the user's access and refresh tokens are revoked.");
    Ok(())
}
