//! `change-password`: the signed-in user changes their password (ChangePassword).

use cognito_auth_core::account::ChangePassword;

use crate::args;
use crate::error::Failure;
use crate::output::step;
use crate::prompt::Input;

pub fn run(args: &args::ChangePassword) -> Result<(), Failure> {
    let (client, transport, token) = super::access_token::access_token(&args.token)?;
    // After the token's line (read and released above), when it came from stdin.
    let mut input = Input::new(args.password_stdin, "--password-stdin")?;
    let previous = input.secret("old password")?;
    let proposed = input.secret("new password")?;
    if input.is_terminal() {
        let again = input.secret("new password again")?;
        if again.expose() != proposed.expose() {
            return Err(Failure::usage(
                "the new passwords differ; nothing was changed",
            ));
        }
    }
    transport.run(&client, &ChangePassword::new(token, previous, proposed))?;
    step("The password is changed; other sessions stay signed in until their tokens expire.");
    Ok(())
}
