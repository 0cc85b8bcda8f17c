//! The command line: every subcommand and option (clap derive). Names and behaviours are a
//! contract (issue 7); keep them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Sign in to an Amazon Cognito user pool (SRP, MFA, remembered devices), manage the account,
/// and compute TOTP codes, SECRET_HASHes and E.164 numbers.
///
/// Secrets never need to be on the command line, where other local users can read them
/// (`ps`, /proc/PID/cmdline) and the shell keeps them in its history: passwords and tokens come
/// from stdin (`--password-stdin`, ...) or a prompt, the client secret from $COGNITO_CLIENT_SECRET
/// or `--client-secret-file`, TOTP secrets from $COGNITO_TOTP_SECRET, a file or stdin. The argv
/// forms (`--client-secret S`, `--totp-secret S`, `totp code --secret S`, ...) still work but
/// print a warning.
///
/// Transport: HTTPS; plain http:// only to this machine (localhost, 127.0.0.0/8, [::1]) unless
/// --allow-insecure-http. Proxy variables of the environment (HTTPS_PROXY, ALL_PROXY,
/// HTTP_PROXY) are ignored: pass --proxy to use one.
///
/// Text that came from the server (error codes and messages, delivery destinations) is printed
/// with control characters escaped (\u{1b}), so a server cannot drive the terminal.
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
    /// The app client secret (requests then carry SECRET_HASH), for clients that have one.
    /// Normally from the environment variable COGNITO_CLIENT_SECRET or --client-secret-file;
    /// this argv form is visible to other local users and kept in shell history.
    #[arg(long, value_name = "S", conflicts_with = "client_secret_file")]
    pub client_secret: Option<String>,
    /// Read the app client secret from this file (its first line; keep it mode 0600).
    #[arg(long, value_name = "PATH")]
    pub client_secret_file: Option<PathBuf>,
    /// Where Cognito is.
    #[command(flatten)]
    pub network: Network,
}

/// Where the service is and how to reach it: the same four flags for every command that sends.
#[derive(Debug, Clone, Args)]
pub struct Network {
    /// Any Cognito-compatible endpoint: https://..., or http:// to this machine (localhost,
    /// 127.0.0.0/8, [::1]) for a local emulator, e.g. http://127.0.0.1:4566/.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Accept a plain http:// --endpoint on another host. Passwords, MFA codes and tokens then
    /// cross the network unencrypted: for test networks only.
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Send requests through this HTTP proxy (e.g. http://proxy.internal:3128). Without it no
    /// proxy is used, whatever HTTPS_PROXY, ALL_PROXY or HTTP_PROXY say.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// The region of the service's AWS endpoint (default: from the pool id).
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
    /// Sign out the session stored by `sign-in --session-file` and remove the file; or, with
    /// --access-token-stdin, sign the user out everywhere (GlobalSignOut).
    ///
    /// With --session-file: by default on this device only (no request; the tokens stay valid
    /// at Cognito until they expire); --revoke revokes the refresh token and the access tokens
    /// issued with it (RevokeToken; other devices stay signed in); --global revokes every token
    /// of the user on every device (GlobalSignOut). The file is kept only when Cognito did not
    /// answer or answered with a retryable error: run the command again.
    SignOut(SignOut),
    /// Print the tokens of the session stored by `sign-in --session-file` as JSON (IdToken,
    /// AccessToken, RefreshToken, ExpiresIn), refreshing them first when the access token
    /// expires within --min-valid seconds, and storing the refreshed session in the file.
    ///
    /// Processes sharing the file take turns (an exclusive lock on FILE.lock): one refreshes,
    /// the others then read its tokens, so a rotated refresh token is never sent twice.
    ///
    /// Takes the same --user-pool-id, --client-id, client secret and endpoint options as
    /// sign-in; a file stored for another pool or client is refused (exit 2).
    ///
    /// Exit 1 when Cognito refuses the refresh. When the session has ended for good (the
    /// refresh token revoked, expired or already rotated out, the user deleted) the reason is
    /// printed and the file is removed: sign in again. A plain NotAuthorizedException (also
    /// what a wrong client secret gets) keeps the file.
    Tokens(Tokens),
    /// TOTP codes and otpauth:// URIs, offline.
    #[command(subcommand)]
    Totp(Totp),
    /// SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)), offline.
    ///
    /// The client secret comes from --client-secret-stdin, --client-secret-file or
    /// $COGNITO_CLIENT_SECRET (--client-secret also works, but puts it where other local users
    /// can read it).
    SecretHash(SecretHash),
    /// Normalise a phone number to E.164 (+12065551212) as Cognito wants it, offline.
    PhoneNumber(PhoneNumberArgs),
    /// AWS credentials from an identity pool, printed in the credential_process JSON form
    /// (Version 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration in ISO 8601 UTC) that
    /// the AWS CLI and SDKs read. With --user-pool-id and --id-token-stdin the user's
    /// credentials (the ID token is the login); without, a guest's. The identity id goes to
    /// stderr.
    Credentials(Credentials),
    /// Delete the signed-in user (DeleteUser); the access token comes from stdin. The user pool
    /// and region come from the token's issuer unless given.
    DeleteUser(DeleteUser),
    /// The hosted UI (OAuth 2.0 authorization code + PKCE): `authorize-url` prints the URL to
    /// open in a browser, `exchange --redirect-url` turns the redirect into tokens.
    #[command(subcommand)]
    Oauth(crate::commands::oauth::OauthCommand),
    /// Change the signed-in user's password (ChangePassword): the old and the new password
    /// from the no-echo prompt, or from the lines of stdin with --password-stdin (after the
    /// access token's line with --access-token-stdin).
    ChangePassword(ChangePassword),
    /// The signed-in user's attributes: `get` (GetUser) prints them as JSON, `update`
    /// (UpdateUserAttributes) changes them and prints where verification codes went, `verify`
    /// (VerifyUserAttribute) confirms an email or phone number with the code Cognito sent.
    #[command(subcommand)]
    UserAttributes(UserAttributes),
    /// The signed-in user's tracked devices: `list` (ListDevices) prints them as JSON,
    /// `forget --device-key K` (ForgetDevice) forgets one.
    #[command(subcommand)]
    Devices(Devices),
    /// Turn the signed-in user's TOTP, SMS and email MFA on or off and pick the preferred one
    /// (SetUserMFAPreference). Types not given are left as they are.
    MfaPreference(MfaPreference),
}

/// Where an account command gets the signed-in user's access token: the first line of stdin,
/// or the session stored by `sign-in --session-file` (refreshed first when it is about to
/// expire, as `tokens` does).
#[derive(Debug, Args)]
pub struct AccessToken {
    #[command(flatten)]
    pub pool: Pool,
    /// Read the access token from the first line of stdin.
    #[arg(
        long,
        required_unless_present = "session_file",
        conflicts_with = "session_file"
    )]
    pub access_token_stdin: bool,
    /// Use the session stored in this file by `sign-in --session-file` (for the same pool and
    /// client); refreshed first, and the file updated, when the access token expires soon.
    #[arg(long, value_name = "PATH")]
    pub session_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ChangePassword {
    #[command(flatten)]
    pub token: AccessToken,
    /// Read the old and then the new password from the next two lines of stdin.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserAttributes {
    /// Print the user's username, attributes and MFA settings as JSON (GetUser).
    Get(AccessToken),
    /// Change attributes (UpdateUserAttributes); prints where verification codes went as JSON.
    Update(UpdateAttributes),
    /// Confirm an attribute with the code Cognito sent (VerifyUserAttribute); the code comes
    /// from the prompt, or from the next line of stdin with --code-stdin.
    Verify(VerifyAttribute),
}

#[derive(Debug, Args)]
pub struct UpdateAttributes {
    #[command(flatten)]
    pub token: AccessToken,
    /// An attribute to set, e.g. --attribute email=alice@example.com (repeatable; at least one).
    #[arg(long = "attribute", value_name = "NAME=VALUE", required = true)]
    pub attributes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VerifyAttribute {
    #[command(flatten)]
    pub token: AccessToken,
    /// The attribute to confirm: email or phone_number.
    #[arg(long, value_name = "NAME")]
    pub attribute_name: String,
    /// Read the code from the next line of stdin (after the access token's line with
    /// --access-token-stdin).
    #[arg(long)]
    pub code_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum Devices {
    /// Print the user's devices as JSON (ListDevices, every page).
    List(AccessToken),
    /// Forget one device (ForgetDevice): it must answer MFA again at its next sign-in.
    Forget(ForgetDevice),
}

#[derive(Debug, Args)]
pub struct ForgetDevice {
    #[command(flatten)]
    pub token: AccessToken,
    /// The device's key, `<region>_<uuid>`, as `devices list` prints it.
    #[arg(long, value_name = "K")]
    pub device_key: String,
}

/// One MFA type's setting for `mfa-preference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MfaChoice {
    /// On, and the type Cognito asks for when several are on.
    Preferred,
    /// On, not preferred.
    Enabled,
    /// Off.
    Disabled,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("mfa").required(true).multiple(true).args(["totp", "sms", "email"])))]
pub struct MfaPreference {
    #[command(flatten)]
    pub token: AccessToken,
    /// TOTP (authenticator app) MFA; set one up first with `set-up-totp --verify`.
    #[arg(long, value_enum)]
    pub totp: Option<MfaChoice>,
    /// SMS MFA (the user needs a phone_number).
    #[arg(long, value_enum)]
    pub sms: Option<MfaChoice>,
    /// Email MFA (the user needs an email; the pool must offer it).
    #[arg(long, value_enum)]
    pub email: Option<MfaChoice>,
}

/// `--flow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Flow {
    /// USER_SRP_AUTH: the password never leaves this machine.
    Srp,
    /// USER_PASSWORD_AUTH: the password is sent over TLS.
    Password,
    /// USER_AUTH (choice-based): the first factor from --preferred-factor, else chosen from
    /// the ones Cognito offers; the password is asked for only when a password factor is used.
    UserAuth,
}

/// `--preferred-factor` of `--flow user-auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreferredFactor {
    /// PASSWORD: the password, sent over TLS.
    Password,
    /// PASSWORD_SRP: the password, proven with SRP.
    PasswordSrp,
    /// EMAIL_OTP: a code Cognito sends by email.
    EmailOtp,
    /// SMS_OTP: a code Cognito sends by SMS.
    SmsOtp,
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
    /// With --flow user-auth: the first factor to ask Cognito for (without it Cognito offers
    /// the factors the user has, and one is chosen at the prompt or from the next stdin line).
    #[arg(long, value_enum)]
    pub preferred_factor: Option<PreferredFactor>,
    /// Read the password from the first line of stdin (exactly as typed, without the line
    /// ending); later lines answer further challenges, one line each.
    #[arg(long)]
    pub password_stdin: bool,
    /// Answer TOTP challenges with codes computed from this base32 secret. Normally from the
    /// environment variable COGNITO_TOTP_SECRET or --totp-secret-file; this argv form is
    /// visible to other local users and kept in shell history.
    #[arg(long, value_name = "BASE32", conflicts_with = "totp_secret_file")]
    pub totp_secret: Option<String>,
    /// Read the base32 TOTP secret from this file (its first line).
    #[arg(long, value_name = "PATH")]
    pub totp_secret_file: Option<PathBuf>,
    /// Use the remembered device stored in this JSON file, and store a new one there (mode
    /// 0600: it holds the device password). A file that group or others may read, or that
    /// another user owns, is refused.
    #[arg(long, value_name = "PATH")]
    pub device_file: Option<PathBuf>,
    /// Also store the signed-in session in this file, for `cognito-auth tokens` and `sign-out
    /// --session-file` (mode 0600, written atomically; it holds the refresh token). Replaces a
    /// session stored there before.
    #[arg(long, value_name = "PATH")]
    pub session_file: Option<PathBuf>,
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
    /// Send the DEVICE_KEY of the remembered device in this file (same rules as sign-in's).
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
    /// Read the access token from the first line of stdin and sign the user out everywhere
    /// (GlobalSignOut).
    #[arg(
        long,
        required_unless_present = "session_file",
        conflicts_with = "session_file"
    )]
    pub access_token_stdin: bool,
    /// Sign out the session stored in this file (by `sign-in --session-file`) and remove it.
    #[arg(long, value_name = "PATH")]
    pub session_file: Option<PathBuf>,
    /// With --session-file: sign out on every device (GlobalSignOut).
    #[arg(long, requires = "session_file", conflicts_with = "revoke")]
    pub global: bool,
    /// With --session-file: revoke the refresh token (RevokeToken).
    #[arg(long, requires = "session_file")]
    pub revoke: bool,
}

#[derive(Debug, Args)]
pub struct Tokens {
    #[command(flatten)]
    pub pool: Pool,
    /// The session file written by `sign-in --session-file`.
    #[arg(long, value_name = "PATH")]
    pub session_file: PathBuf,
    /// Refresh first when the access token expires within this many seconds (default 300).
    /// At most half the tokens' lifetime counts, so fresh tokens are never refreshed at once
    /// again.
    #[arg(long, value_name = "SECONDS")]
    pub min_valid: Option<u64>,
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
    ///
    /// The secret comes from --secret-stdin, --secret-file or $COGNITO_TOTP_SECRET (--secret
    /// also works, but puts it where other local users can read it).
    Code {
        #[command(flatten)]
        secret: TotpSecretSource,
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
    ///
    /// The secret (base32, at least 128 bits) comes from --secret-stdin, --secret-file or
    /// $COGNITO_TOTP_SECRET (--secret also works, but puts it where other local users can
    /// read it).
    Uri {
        #[command(flatten)]
        secret: TotpSecretSource,
        /// The issuer (service name) shown by the app.
        #[arg(long, value_name = "I")]
        issuer: String,
        /// The account name shown by the app.
        #[arg(long, value_name = "A")]
        account: String,
    },
    /// Print the fields of an otpauth:// URI as JSON (never the secret).
    ///
    /// The URI holds the secret: give it on stdin (`cognito-auth totp parse < uri.txt`, or
    /// typed at the prompt without echo). As an argument it is visible to other local users.
    Parse {
        /// The otpauth:// URI (default: the first line of stdin).
        uri: Option<String>,
    },
}

/// Where `totp code` and `totp uri` read the secret: exactly one of these, else
/// $COGNITO_TOTP_SECRET.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct TotpSecretSource {
    /// Read the base32 secret from the first line of stdin.
    #[arg(long)]
    pub secret_stdin: bool,
    /// Read the base32 secret from this file (its first line).
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// The base32 secret itself: visible to other local users and kept in shell history.
    #[arg(long, value_name = "B32")]
    pub secret: Option<String>,
}

/// `secret-hash`: the client secret from stdin, a file, $COGNITO_CLIENT_SECRET or (warned) argv.
#[derive(Debug, Args)]
pub struct SecretHash {
    #[arg(long, value_name = "U")]
    pub username: String,
    #[arg(long, value_name = "C")]
    pub client_id: String,
    /// Read the app client secret from the first line of stdin.
    #[arg(long, conflicts_with_all = ["client_secret_file", "client_secret"])]
    pub client_secret_stdin: bool,
    /// Read the app client secret from this file (its first line).
    #[arg(long, value_name = "PATH", conflicts_with = "client_secret")]
    pub client_secret_file: Option<PathBuf>,
    /// The app client secret itself: visible to other local users and kept in shell history.
    #[arg(long, value_name = "S")]
    pub client_secret: Option<String>,
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

#[derive(Debug, Args)]
pub struct Credentials {
    /// The identity pool id, e.g. us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60 (its prefix
    /// is the default region).
    #[arg(long, value_name = "ID")]
    pub identity_pool_id: String,
    /// Where Cognito Identity is (https://cognito-identity.<region>.amazonaws.com/ by default).
    #[command(flatten)]
    pub network: Network,
    /// The user pool whose ID token is the login (cognito-idp.<region>.amazonaws.com/<ID>).
    #[arg(long, value_name = "ID", requires = "id_token_stdin")]
    pub user_pool_id: Option<String>,
    /// Read the user's ID token from the first line of stdin.
    #[arg(long, requires = "user_pool_id")]
    pub id_token_stdin: bool,
}

#[derive(Debug, Args)]
pub struct DeleteUser {
    /// Read the access token from the first line of stdin (required: a token is never taken
    /// from argv).
    #[arg(long, required = true)]
    pub access_token_stdin: bool,
    /// The user pool (default: from the access token's issuer).
    #[arg(long, value_name = "ID")]
    pub user_pool_id: Option<String>,
    /// Where Cognito is (default: the pool's region).
    #[command(flatten)]
    pub network: Network,
}
