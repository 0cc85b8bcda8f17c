//! `cognito-auth oauth authorize-url | exchange`: the hosted UI (OAuth 2.0 authorization code
//! with PKCE) in two steps around a browser.
//!
//! 1. `authorize-url` prints the `/oauth2/authorize` URL and writes the pending authorization
//!    (state, PKCE verifier, nonce, redirect URI; the core's `cognito-auth-oauth.v1` text) to
//!    `--state-file`, mode 0600.
//! 2. The user signs in in a browser, which is redirected to the redirect URI.
//! 3. `exchange --redirect-url URL` checks the redirect against the state file, exchanges the
//!    code at `/oauth2/token`, prints the tokens as JSON (`IdToken`, `AccessToken`,
//!    `RefreshToken`, `ExpiresIn`, `TokenType`) and deletes the state file.
//!
//! Exit codes: 1 for a redirect with `error=...` (the reason is printed) or a refusal by the
//! token endpoint; 2 for a state mismatch and any other bad input (the state file is then
//! kept: the right redirect may still come).

use std::fs;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use cognito_auth_core::oauth::{
    AuthorizationCode, AuthorizeOptions, OAuthClient, OAuthError, PendingAuthorization,
};
use cognito_auth_core::wire::AuthenticationResult;
use cognito_auth_core::{Endpoint, SecretString};

use crate::commands::entropy;
use crate::error::Failure;
use crate::output::{authentication_result, print_json, server_text, step, warn};
use crate::private_file::Kind;
use crate::secrets::{CLIENT_SECRET_ENV, Sources};
use crate::transport::Transport;

mod loopback;

/// `oauth` subcommands.
#[derive(Debug, Subcommand)]
pub enum OauthCommand {
    /// Print the hosted UI's /oauth2/authorize URL (PKCE S256, state, nonce) and write the
    /// pending authorization to --state-file (mode 0600). Open the URL in a browser.
    AuthorizeUrl(AuthorizeUrl),
    /// Check the URL the browser was redirected to against --state-file, exchange its code at
    /// /oauth2/token and print the tokens as JSON (IdToken, AccessToken, RefreshToken,
    /// ExpiresIn, TokenType); then delete the state file.
    ///
    /// Exit 1 when the redirect carries error=... (the reason is printed) or the token endpoint
    /// refuses (a used or expired code: invalid_grant); exit 2 when the redirect's state is not
    /// the state file's (the file is kept).
    Exchange(Exchange),
    /// Both steps with a one-shot listener on this machine: the redirect URI must be
    /// http://127.0.0.1:PORT/PATH (or localhost); the URL to open is printed on stderr, the
    /// first request for PATH that reaches 127.0.0.1:PORT is taken as the redirect, and the
    /// tokens are printed as JSON (as `exchange` prints them). No state file: the pending
    /// authorization stays in memory. Exit codes as for `exchange`; no redirect within
    /// --timeout seconds is exit 1.
    SignIn(LoopbackSignIn),
}

/// The user pool domain and the app client.
#[derive(Debug, Args)]
pub struct Domain {
    /// The user pool domain: https://<prefix>.auth.<region>.amazoncognito.com, a custom domain,
    /// or http:// to this machine for a local emulator.
    #[arg(long, value_name = "URL")]
    pub domain: String,
    /// The app client id.
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    /// Send requests through this HTTP proxy; without it no proxy is used.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuthorizeUrl {
    #[command(flatten)]
    pub domain: Domain,
    /// One of the app client's callback URLs, e.g. myapp://callback.
    #[arg(long, value_name = "URI")]
    pub redirect_uri: String,
    /// A scope to ask for (repeat it): openid, email, profile, phone,
    /// aws.cognito.signin.user.admin, or a resource server's scope. None: the client's.
    #[arg(long = "scope", value_name = "S")]
    pub scopes: Vec<String>,
    /// Go straight to this identity provider (Google, SignInWithApple, COGNITO, a SAML or OIDC
    /// provider's name).
    #[arg(long, value_name = "NAME")]
    pub identity_provider: Option<String>,
    /// Where to write the pending authorization (mode 0600; replaced if it exists).
    #[arg(long, value_name = "F")]
    pub state_file: PathBuf,
}

#[derive(Debug, Args)]
pub struct Exchange {
    #[command(flatten)]
    pub domain: Domain,
    /// The app client secret (sent as HTTP Basic), for clients that have one. Normally from
    /// $COGNITO_CLIENT_SECRET or --client-secret-file; this argv form is visible to other local
    /// users and kept in shell history.
    #[arg(long, value_name = "S", conflicts_with = "client_secret_file")]
    pub client_secret: Option<String>,
    /// Read the app client secret from this file (its first line).
    #[arg(long, value_name = "PATH")]
    pub client_secret_file: Option<PathBuf>,
    /// The state file `oauth authorize-url` wrote.
    #[arg(long, value_name = "F")]
    pub state_file: PathBuf,
    /// The URL the browser was redirected to (it holds the code and the state).
    #[arg(long, value_name = "URL")]
    pub redirect_url: String,
}

#[derive(Debug, Args)]
pub struct LoopbackSignIn {
    #[command(flatten)]
    pub domain: Domain,
    /// The app client secret (sent as HTTP Basic); normally from $COGNITO_CLIENT_SECRET or
    /// --client-secret-file.
    #[arg(long, value_name = "S", conflicts_with = "client_secret_file")]
    pub client_secret: Option<String>,
    /// Read the app client secret from this file (its first line).
    #[arg(long, value_name = "PATH")]
    pub client_secret_file: Option<PathBuf>,
    /// http://127.0.0.1:PORT/PATH (or http://localhost:PORT/PATH), one of the client's
    /// callback URLs; the tool listens on 127.0.0.1:PORT.
    #[arg(long, value_name = "URI")]
    pub redirect_uri: String,
    /// A scope to ask for (repeat it).
    #[arg(long = "scope", value_name = "S")]
    pub scopes: Vec<String>,
    /// Go straight to this identity provider.
    #[arg(long, value_name = "NAME")]
    pub identity_provider: Option<String>,
    /// Seconds to wait for the browser's redirect.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
}

/// Runs one `oauth` subcommand.
pub fn run(command: &OauthCommand) -> Result<(), Failure> {
    match command {
        OauthCommand::AuthorizeUrl(args) => authorize_url(args),
        OauthCommand::Exchange(args) => exchange(args),
        OauthCommand::SignIn(args) => loopback::sign_in(args),
    }
}

fn client(domain: &Domain) -> Result<OAuthClient, Failure> {
    OAuthClient::new(&domain.domain, &domain.client_id)
        .map_err(|e| Failure::usage(format!("--domain {:?} / --client-id: {e}", domain.domain)))
}

/// The client with its secret, from the same sources as sign-in's.
fn client_with_secret(
    domain: &Domain,
    argv: Option<&str>,
    file: Option<&Path>,
) -> Result<OAuthClient, Failure> {
    let client = client(domain)?;
    let secret = Sources {
        argv: argv.map(|secret| ("--client-secret", secret)),
        file: file.map(|path| ("--client-secret-file", path)),
        file_flag: "--client-secret-file",
        stdin: false,
        env: CLIENT_SECRET_ENV,
        what: "client secret",
    }
    .read()?;
    Ok(match secret {
        Some(secret) => client.with_client_secret(secret),
        None => client,
    })
}

fn options(
    redirect_uri: &str,
    scopes: &[String],
    identity_provider: Option<&str>,
) -> AuthorizeOptions {
    let mut options = AuthorizeOptions::new(redirect_uri);
    for scope in scopes {
        options = options.scope(scope);
    }
    if let Some(name) = identity_provider {
        options = options.identity_provider(name);
    }
    options
}

fn authorize_url(args: &AuthorizeUrl) -> Result<(), Failure> {
    let client = client(&args.domain)?;
    let options = options(
        &args.redirect_uri,
        &args.scopes,
        args.identity_provider.as_deref(),
    );
    let (url, pending) = client.authorize(&options, &entropy()?).map_err(usage)?;
    write_private(&args.state_file, &pending.to_storage())?;
    step(format!(
        "Open this URL in a browser; then run `cognito-auth oauth exchange --state-file {} \
         --redirect-url <the URL it was redirected to>`.",
        args.state_file.display()
    ));
    println!("{url}");
    Ok(())
}

/// Posts the token request for `code`, checks the answer (`nonce` included) and prints the
/// tokens.
fn redeem(
    client: &OAuthClient,
    proxy: Option<&str>,
    pending: &PendingAuthorization,
    code: &AuthorizationCode,
) -> Result<(), Failure> {
    let request = client.token_request(pending, code).map_err(usage)?;
    let endpoint =
        Endpoint::custom(client.domain()).map_err(|e| Failure::usage(format!("--domain: {e}")))?;
    let transport = Transport::new(endpoint, proxy)?;
    let response = transport.send_form(&request)?;
    let tokens = pending
        .handle_token_response(response.as_http())
        .map_err(failure)?;
    print_json(&authentication_result(&AuthenticationResult::from(tokens)));
    Ok(())
}

fn exchange(args: &Exchange) -> Result<(), Failure> {
    let client = client_with_secret(
        &args.domain,
        args.client_secret.as_deref(),
        args.client_secret_file.as_deref(),
    )?;
    let stored = read_private(&args.state_file)?;
    let pending = PendingAuthorization::restore(stored.expose()).map_err(|e| {
        Failure::usage(format!("the state file {}: {e}", args.state_file.display()))
    })?;
    let code = pending
        .handle_redirect(&args.redirect_url)
        .map_err(failure)?;
    redeem(&client, args.domain.proxy.as_deref(), &pending, &code)?;
    if let Err(e) = fs::remove_file(&args.state_file) {
        warn(format!(
            "the state file {} could not be deleted: {e}",
            args.state_file.display()
        ));
    }
    Ok(())
}

fn usage(error: OAuthError) -> Failure {
    Failure::usage(error)
}

/// The exit code of a hosted-UI error: the authorization server said no (1), or the input
/// does not fit (2). Text from the network is escaped before it is shown.
fn failure(error: OAuthError) -> Failure {
    match error {
        OAuthError::Denied { code, description }
        | OAuthError::Refused {
            code, description, ..
        } => Failure::Refused {
            code: server_text(code.as_str()),
            message: server_text(description.as_deref().unwrap_or("(no description)")),
            hint: None,
        },
        OAuthError::HttpStatus { .. }
        | OAuthError::Response(_)
        | OAuthError::IdToken(_)
        | OAuthError::NonceMismatch => Failure::failed(error),
        other => Failure::usage(other),
    }
}

/// The state file's kind: read and written by the rules of [`private_file`].
const STATE_FILE: Kind = Kind {
    name: "state file",
    holds: "the PKCE verifier",
    otherwise: "or start again with `oauth authorize-url`",
    max_len: 64 * 1024,
};

/// Writes the pending authorization to `path` (mode 0600, atomically).
fn write_private(path: &Path, text: &SecretString) -> Result<(), Failure> {
    STATE_FILE.write(path, text.expose())
}

/// The state file's text (wiped after use).
fn read_private(path: &Path) -> Result<SecretString, Failure> {
    let text = STATE_FILE.read(path)?.ok_or_else(|| {
        Failure::usage(format!(
            "no state file {}: run `cognito-auth oauth authorize-url` first",
            path.display()
        ))
    })?;
    Ok(SecretString::new(text.trim()))
}
