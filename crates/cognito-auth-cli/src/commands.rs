//! One module per group of subcommands; [`run`] dispatches.

mod account;
mod mfa;
mod offline;
mod sign_in;
mod tokens;
mod totp;

use std::time::{SystemTime, UNIX_EPOCH};

use cognito_auth_core::sign_in::{ClientConfig, Entropy};
use cognito_auth_core::{Endpoint, SecretString, UnixTime, UserPoolId};

use crate::args::{Command, Pool};
use crate::error::Failure;
use crate::transport::Transport;

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::SignIn(args) => sign_in::run(&args),
        Command::SignUp(args) => account::sign_up(&args),
        Command::ConfirmSignUp(args) => account::confirm_sign_up(&args),
        Command::ResendCode(args) => account::resend_code(&args),
        Command::ForgotPassword(args) => account::forgot_password(&args),
        Command::ConfirmForgotPassword(args) => account::confirm_forgot_password(&args),
        Command::Refresh(args) => tokens::refresh(&args),
        Command::SignOut(args) => tokens::sign_out(&args),
        Command::SetUpTotp(args) => mfa::set_up_totp(&args),
        Command::Totp(args) => totp::run(args),
        Command::SecretHash(args) => offline::secret_hash(&args),
        Command::PhoneNumber(args) => offline::phone_number(&args),
    }
}

/// The app client and a transport to its endpoint, from the shared options.
pub fn connect(pool: &Pool) -> Result<(ClientConfig, Transport), Failure> {
    let user_pool = UserPoolId::parse(&pool.user_pool_id)
        .map_err(|e| Failure::usage(format!("--user-pool-id {:?}: {e}", pool.user_pool_id)))?;
    if pool.client_id.trim().is_empty() {
        return Err(Failure::usage("--client-id is empty"));
    }
    let endpoint = match (&pool.endpoint, &pool.region) {
        (Some(url), _) => {
            Endpoint::custom(url).map_err(|e| Failure::usage(format!("--endpoint {url:?}: {e}")))?
        }
        (None, Some(region)) => Endpoint::for_region(region)
            .map_err(|e| Failure::usage(format!("--region {region:?}: {e}")))?,
        (None, None) => Endpoint::for_user_pool(&user_pool)
            .map_err(|e| Failure::usage(format!("--user-pool-id {:?}: {e}", pool.user_pool_id)))?,
    };
    let mut config = ClientConfig::new(user_pool, &pool.client_id);
    if let Some(secret) = &pool.client_secret {
        if secret.is_empty() {
            return Err(Failure::usage("--client-secret is empty"));
        }
        config = config.with_client_secret(SecretString::new(secret));
    }
    Ok((config, Transport::new(endpoint)))
}

/// The system clock.
pub fn now() -> UnixTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    UnixTime::from_secs(secs)
}

/// 32 bytes from the operating system's CSPRNG for one sign-in.
pub fn entropy() -> Result<Entropy, Failure> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Failure::failed(format!("no randomness from the operating system: {e}")))?;
    Ok(Entropy::from_bytes(bytes))
}
