//! The command line: every subcommand and option (clap derive). Names and behaviours are a
//! contract (issue 7); keep them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Sign in to an Amazon Cognito user pool (SRP, MFA, remembered devices), manage the account,
/// and compute TOTP codes, SECRET_HASHes and E.164 numbers.
///
/// Exit codes: 0 success; 1 Cognito refused (code and message on stderr) or the exchange
/// failed; 2 bad usage or input.
#[derive(Debug, Parser)]
#[command(name = "cognito-auth", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The user pool, the app client and where Cognito is.
#[derive(Debug, Clone, Args)]
pub struct Pool {
    /// The user pool id, e.g. us-east-1_Abc123XyZ (its prefix is the default region).
    #[arg(long, value_name = "ID")]
    pub user_pool_id: String,
    /// The app client id.
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    /// The app client secret, for clients that have one (requests then carry SECRET_HASH).
    #[arg(long, value_name = "S")]
    pub client_secret: Option<String>,
    /// Any Cognito-compatible endpoint, e.g. http://127.0.0.1:4566/ for a local emulator.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The region of https://cognito-idp.<region>.amazonaws.com/ (default: from the pool id).
    #[arg(long, value_name = "R", conflicts_with = "endpoint")]
    pub region: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in; prints Cognito's AuthenticationResult as JSON on stdout.
    ///
    /// Answers the SRP password verifier and device SRP itself; asks for every other challenge
    /// (MFA code, MFA choice, TOTP setup, new password) on the terminal, or reads the answers
    /// from the lines after the password with --password-stdin.
    SignIn(SignIn),
    /// Register a new user (SignUp); prints the result as JSON.
    SignUp(SignUp),
    /// Confirm a sign-up with the code Cognito sent (ConfirmSignUp).
    ConfirmSignUp(ConfirmSignUp),
    /// Send the sign-up confirmation code again (ResendConfirmationCode).
    ResendCode(UserOnly),
    /// Start a password reset: Cognito sends a code (ForgotPassword).
    ForgotPassword(UserOnly),
    /// Finish a password reset with the code and a new password (ConfirmForgotPassword).
    ConfirmForgotPassword(ConfirmForgotPassword),
    /// New tokens from a refresh token (GetTokensFromRefreshToken); prints them as JSON.
    Refresh(Refresh),
    /// Set up a TOTP authenticator for the signed-in user (AssociateSoftwareToken); prints the
    /// secret and the otpauth URI as JSON.
    SetUpTotp(SetUpTotp),
    /// Sign the user out everywhere: every token of the user is revoked (GlobalSignOut).
    SignOut(SignOut),
    /// TOTP codes and otpauth:// URIs, offline.
    #[command(subcommand)]
    Totp(Totp),
    /// SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)), offline.
    SecretHash(SecretHash),
    /// Normalise a phone number to E.164 (+12065551212) as Cognito wants it, offline.
    PhoneNumber(PhoneNumberArgs),
}

/// `--flow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Flow {
    /// USER_SRP_AUTH: the password never leaves this machine.
    Srp,
    /// USER_PASSWORD_AUTH: the password is sent over TLS.
    Password,
}

#[derive(Debug, Args)]
pub struct SignIn {
    #[command(flatten)]
    pub pool: Pool,
    /// The username, email or phone number to sign in with.
    #[arg(long, value_name = "U")]
    pub username: String,
    /// The authentication flow.
    #[arg(long, value_enum, default_value_t = Flow::Srp)]
    pub flow: Flow,
    /// Read the password from the first line of stdin (exactly as typed, without the line
    /// ending); later lines answer further challenges, one line each.
    #[arg(long)]
    pub password_stdin: bool,
    /// Answer TOTP challenges with codes computed from this base32 secret.
    #[arg(long, value_name = "BASE32")]
    pub totp_secret: Option<String>,
    /// Use the remembered device stored in this JSON file, and store a new one there (mode
    /// 0600: it holds the device password).
    #[arg(long, value_name = "PATH")]
    pub device_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SignUp {
    #[command(flatten)]
    pub pool: Pool,
    /// The new user's username.
    #[arg(long, value_name = "U")]
    pub username: String,
    /// Read the password from the first line of stdin.
    #[arg(long, required = true)]
    pub password_stdin: bool,
    /// A user attribute, e.g. --attribute email=alice@example.com (repeatable).
    #[arg(long = "attribute", value_name = "NAME=VALUE")]
    pub attributes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ConfirmSignUp {
    #[command(flatten)]
    pub pool: Pool,
    #[arg(long, value_name = "U")]
    pub username: String,
    /// The confirmation code Cognito sent.
    #[arg(long, value_name = "C")]
    pub code: String,
}

#[derive(Debug, Args)]
pub struct UserOnly {
    #[command(flatten)]
    pub pool: Pool,
    #[arg(long, value_name = "U")]
    pub username: String,
}

#[derive(Debug, Args)]
pub struct ConfirmForgotPassword {
    #[command(flatten)]
    pub pool: Pool,
    #[arg(long, value_name = "U")]
    pub username: String,
    /// The code Cognito sent.
    #[arg(long, value_name = "C")]
    pub code: String,
    /// Read the new password from the first line of stdin.
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct Refresh {
    #[command(flatten)]
    pub pool: Pool,
    /// The user the token belongs to (informational; GetTokensFromRefreshToken needs no name).
    #[arg(long, value_name = "U")]
    pub username: Option<String>,
    /// Read the refresh token from the first line of stdin.
    #[arg(long, required = true)]
    pub refresh_token_stdin: bool,
    /// Send the DEVICE_KEY of the remembered device in this file.
    #[arg(long, value_name = "PATH")]
    pub device_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SetUpTotp {
    #[command(flatten)]
    pub pool: Pool,
    /// Read the access token from the first line of stdin.
    #[arg(long, required = true)]
    pub access_token_stdin: bool,
    /// Verify the new secret with a code computed from it (VerifySoftwareToken) and make TOTP
    /// the preferred MFA.
    #[arg(long)]
    pub verify: bool,
    /// The issuer an authenticator app shows (default: the user pool id).
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,
}

#[derive(Debug, Args)]
pub struct SignOut {
    #[command(flatten)]
    pub pool: Pool,
    /// Read the access token from the first line of stdin.
    #[arg(long, required = true)]
    pub access_token_stdin: bool,
}

/// `--algorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

#[derive(Debug, Subcommand)]
pub enum Totp {
    /// Print the TOTP code of a base32 secret (RFC 6238).
    Code {
        /// The shared secret, base32.
        #[arg(long, value_name = "B32")]
        secret: String,
        /// The time to compute the code for, in Unix seconds (default: now).
        #[arg(long, value_name = "UNIX")]
        time: Option<u64>,
        /// Code length, 6 to 8.
        #[arg(long, value_name = "N", default_value_t = 6)]
        digits: u32,
        /// The hash function.
        #[arg(long, value_enum, default_value_t = Algorithm::Sha1)]
        algorithm: Algorithm,
        /// The time step in seconds.
        #[arg(long, value_name = "S", default_value_t = 30)]
        period: u64,
    },
    /// Print the otpauth:// URI an authenticator app scans.
    Uri {
        /// The shared secret, base32 (at least 128 bits).
        #[arg(long, value_name = "B32")]
        secret: String,
        /// The issuer (service name) shown by the app.
        #[arg(long, value_name = "I")]
        issuer: String,
        /// The account name shown by the app.
        #[arg(long, value_name = "A")]
        account: String,
    },
    /// Print the fields of an otpauth:// URI as JSON (never the secret).
    Parse {
        /// The otpauth:// URI.
        uri: String,
    },
}

#[derive(Debug, Args)]
pub struct SecretHash {
    #[arg(long, value_name = "U")]
    pub username: String,
    #[arg(long, value_name = "C")]
    pub client_id: String,
    #[arg(long, value_name = "S")]
    pub client_secret: String,
}

#[derive(Debug, Args)]
pub struct PhoneNumberArgs {
    /// The number as typed, e.g. "+1 (206) 555-1212".
    #[arg(allow_hyphen_values = true)]
    pub input: String,
    /// The calling code for numbers typed without + or 00, e.g. 1 or 49.
    #[arg(long, value_name = "CC")]
    pub default_calling_code: Option<u16>,
}
