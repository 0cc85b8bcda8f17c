//! `cognito-auth`: sign in to an Amazon Cognito user pool from the command line (SRP, MFA,
//! remembered devices), manage the account, and compute TOTP codes, `SECRET_HASH`es and E.164
//! numbers offline. The protocol is `cognito-auth-core`'s; this binary adds the HTTPS transport
//! (ureq + rustls), the clock, randomness, prompts and files.
//!
//! Exit codes: 0 success, 1 Cognito refused or the exchange failed, 2 bad usage or input.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod device_file;
mod error;
mod output;
mod private_file;
mod prompt;
mod sanitize;
mod secrets;
mod session_file;
mod transport;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            output::report(&failure);
            ExitCode::from(failure.exit_code())
        }
    }
}
