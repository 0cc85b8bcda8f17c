//! One module per group of subcommands; [`run`] dispatches.

mod access_token;
mod account;
mod change_password;
mod credentials;
mod delete_user;
mod devices;
mod mfa;
mod mfa_preference;
pub mod oauth;
mod offline;
mod session_sign_out;
mod session_tokens;
mod sign_in;
mod tokens;
mod totp;
mod user_attributes;

use std::time::{SystemTime, UNIX_EPOCH};

use cognito_auth_core::sign_in::{ClientConfig, Entropy};
use cognito_auth_core::{Endpoint, EndpointError, UnixTime, UserPoolId};

use crate::args::{Command, Network, Pool};
use crate::error::Failure;
use crate::output::warn;
use crate::secrets::{CLIENT_SECRET_ENV, Sources};
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
        Command::SignOut(args) if args.session_file.is_some() => session_sign_out::run(&args),
        Command::SignOut(args) => tokens::sign_out(&args),
        Command::Tokens(args) => session_tokens::run(&args),
        Command::SetUpTotp(args) => mfa::set_up_totp(&args),
        Command::Totp(args) => totp::run(args),
        Command::SecretHash(args) => offline::secret_hash(&args),
        Command::PhoneNumber(args) => offline::phone_number(&args),
        Command::Credentials(args) => credentials::run(&args),
        Command::DeleteUser(args) => delete_user::run(&args),
        Command::Oauth(command) => oauth::run(&command),
        Command::ChangePassword(args) => change_password::run(&args),
        Command::UserAttributes(command) => user_attributes::run(&command),
        Command::Devices(command) => devices::run(&command),
        Command::MfaPreference(args) => mfa_preference::run(&args),
    }
}

impl Network {
    /// The endpoint: `--endpoint` (refused when plain HTTP to another machine unless
    /// `--allow-insecure-http`, then a warning that `exposes` travel unencrypted), else
    /// `for_region(--region)`, else `default()`. The one place these flags are read.
    pub fn endpoint(
        &self,
        exposes: &str,
        for_region: impl FnOnce(&str) -> Result<Endpoint, EndpointError>,
        default: impl FnOnce() -> Result<Endpoint, Failure>,
    ) -> Result<Endpoint, Failure> {
        match (&self.endpoint, &self.region) {
            (Some(url), _) => custom_endpoint(url, self.allow_insecure_http, exposes),
            (None, Some(region)) => {
                for_region(region).map_err(|e| Failure::usage(format!("--region {region:?}: {e}")))
            }
            (None, None) => default(),
        }
    }

    /// A transport to `endpoint` through `--proxy`, if given.
    pub fn transport(&self, endpoint: Endpoint) -> Result<Transport, Failure> {
        Transport::new(endpoint, self.proxy.as_deref())
    }
}

/// `--endpoint URL` (with `--allow-insecure-http`) parsed, refused or warned about.
fn custom_endpoint(
    url: &str,
    allow_insecure_http: bool,
    exposes: &str,
) -> Result<Endpoint, Failure> {
    let parsed = if allow_insecure_http {
        Endpoint::custom_allowing_insecure_http(url)
    } else {
        Endpoint::custom(url)
    };
    let endpoint = parsed.map_err(|e| {
        let hint = if e == EndpointError::InsecureHttp {
            " (pass --allow-insecure-http to send anyway)"
        } else {
            ""
        };
        Failure::usage(format!("--endpoint {url:?}: {e}{hint}"))
    })?;
    if endpoint.is_insecure() {
        warn(format!(
            "--allow-insecure-http: requests to {endpoint} are plain HTTP across the network; \
             {exposes} can be read and changed by anyone on the path"
        ));
    }
    Ok(endpoint)
}

/// The app client and a transport to its endpoint, from the shared options.
pub fn connect(pool: &Pool) -> Result<(ClientConfig, Transport), Failure> {
    let user_pool = UserPoolId::parse(&pool.user_pool_id)
        .map_err(|e| Failure::usage(format!("--user-pool-id {:?}: {e}", pool.user_pool_id)))?;
    let endpoint = pool.network.endpoint(
        "passwords, MFA codes, sessions and tokens",
        Endpoint::for_region,
        || {
            Endpoint::for_user_pool(&user_pool)
                .map_err(|e| Failure::usage(format!("--user-pool-id {:?}: {e}", pool.user_pool_id)))
        },
    )?;
    // The core checks the client id and secret (once, for every layer).
    let mut config = ClientConfig::new(user_pool, &pool.client_id)
        .map_err(|e| Failure::usage(format!("--client-id: {e}")))?;
    let client_secret = Sources {
        argv: pool
            .client_secret
            .as_deref()
            .map(|secret| ("--client-secret", secret)),
        file: pool
            .client_secret_file
            .as_deref()
            .map(|path| ("--client-secret-file", path)),
        file_flag: "--client-secret-file",
        stdin: false,
        env: CLIENT_SECRET_ENV,
        what: "client secret",
    }
    .read()?;
    if let Some(secret) = client_secret {
        config = config
            .with_client_secret(secret)
            .map_err(|e| Failure::usage(format!("the client secret: {e}")))?;
    }
    let transport = pool.network.transport(endpoint)?;
    Ok((config, transport))
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
