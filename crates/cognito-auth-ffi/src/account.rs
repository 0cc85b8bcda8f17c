//! Account operations beyond sign-in. Each is a pair: `<operation>_request(config, ...)`
//! checks the input and builds the [`HttpRequest`] to send; `parse_<operation>_response(status,
//! body, error_type_header)` reads what came back into a typed record (or `Service` /
//! `UnexpectedResponse` errors). Secrets given as strings (passwords, codes, tokens) move into the core's
//! zeroizing `SecretString` before anything else happens.

use core::fmt;
use std::collections::HashMap;

use cognito_auth_core::SecretString;
use cognito_auth_core::account::{self as core_account, AccountOperation};
use cognito_auth_core::sign_in::MfaType as CoreMfaType;
use cognito_auth_core::wire::HttpResponse;

use crate::context_data::ContextData;
use crate::environment::system_now;
use crate::error::Result;
use crate::sign_in::TotpSetupDetails;
use crate::types::{
    AuthTokens, Client, ClientConfig, CodeDeliveryDetails, HttpRequest, MfaType, sorted, unsorted,
};

/// Builds `operation`'s request for `config`.
pub(crate) fn build(
    config: ClientConfig,
    operation: &impl AccountOperation,
) -> Result<HttpRequest> {
    let client = Client::try_from(config)?;
    let request = operation.request(&client.config)?;
    Ok(HttpRequest::new(&client.endpoint, &request))
}

/// Reads a response with `operation`'s parser.
pub(crate) fn parse<O: AccountOperation>(
    operation: &O,
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<O::Output> {
    let body = zeroize::Zeroizing::new(body);
    let response =
        HttpResponse::new(status, body.as_slice()).with_error_type(error_type_header.as_deref());
    Ok(operation.parse_response(response)?)
}

/// A placeholder secret for operations built only to parse a response (their parsers read
/// nothing but the response).
fn none() -> SecretString {
    SecretString::new("")
}

// ---- sign-up ---------------------------------------------------------------------------------

/// What `SignUp` answered.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct SignUpResult {
    /// The user is confirmed already (a pre-sign-up Lambda confirmed them).
    pub user_confirmed: bool,
    /// The user's `sub`.
    pub user_sub: String,
    /// Where the confirmation code went, if one was sent.
    pub code_delivery: Option<CodeDeliveryDetails>,
    /// For auto sign-in after confirmation (pass to `confirm_sign_up_request`).
    pub session: Option<String>,
    /// What to do next.
    pub next_step: SignUpNextStep,
}

impl fmt::Debug for SignUpResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignUpResult")
            .field("user_confirmed", &self.user_confirmed)
            .field("user_sub", &self.user_sub)
            .field("code_delivery", &self.code_delivery)
            .field("session", &self.session.as_ref().map(|_| "<redacted>"))
            .field("next_step", &self.next_step)
            .finish()
    }
}

/// The next step after sign-up (Amplify's `AuthSignUpStep`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SignUpNextStep {
    /// Confirm with the code sent (`confirm_sign_up_request`).
    ConfirmSignUp,
    /// Nothing: the user can sign in.
    Done,
}

/// `SignUp`: registers a user. `attributes` are user attributes (`email`, `phone_number` in
/// E.164, `custom:...`); `validation_data` and `client_metadata` go to the Lambda triggers.
#[uniffi::export(
    default(attributes),
    default(validation_data),
    default(client_metadata),
    default(context_data = None)
)]
pub fn sign_up_request(
    config: ClientConfig,
    username: String,
    password: String,
    attributes: HashMap<String, String>,
    validation_data: HashMap<String, String>,
    client_metadata: HashMap<String, String>,
    context_data: Option<ContextData>,
) -> Result<HttpRequest> {
    let password = SecretString::from(password);
    let mut operation = core_account::SignUp::new(&username, password);
    for (name, value) in sorted(attributes) {
        operation = operation.attribute(&name, &value);
    }
    for (name, value) in sorted(validation_data) {
        operation = operation.validation_data(&name, &value);
    }
    for (name, value) in sorted(client_metadata) {
        operation = operation.client_metadata(&name, &value);
    }
    if let Some(data) = context_data {
        operation = operation.context_data(data.into(), system_now()?);
    }
    build(config, &operation)
}

/// Reads `SignUp`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_sign_up_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<SignUpResult> {
    let operation = core_account::SignUp::new("", none());
    let result = parse(&operation, status, body, error_type_header)?;
    Ok(SignUpResult {
        user_confirmed: result.user_confirmed,
        user_sub: result.user_sub,
        code_delivery: result.code_delivery.map(Into::into),
        session: result.session,
        next_step: match result.next_step {
            core_account::SignUpNextStep::ConfirmSignUp => SignUpNextStep::ConfirmSignUp,
            core_account::SignUpNextStep::Done => SignUpNextStep::Done,
        },
    })
}

/// What `ConfirmSignUp` answered.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct ConfirmSignUpResult {
    /// For auto sign-in: `AuthFlow.AutoSignIn(sign_up_session = session)`. Secret-ish: it
    /// signs the user in.
    pub session: Option<String>,
}

impl fmt::Debug for ConfirmSignUpResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmSignUpResult")
            .field("session", &self.session.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// `ConfirmSignUp`: confirms a sign-up with the code sent by email or SMS. `session` is
/// `SignUpResult.session` (for auto sign-in afterwards).
#[uniffi::export(
    default(session = None, force_alias_creation = false),
    default(client_metadata),
    default(context_data = None)
)]
pub fn confirm_sign_up_request(
    config: ClientConfig,
    username: String,
    confirmation_code: String,
    session: Option<String>,
    force_alias_creation: bool,
    client_metadata: HashMap<String, String>,
    context_data: Option<ContextData>,
) -> Result<HttpRequest> {
    let code = SecretString::from(confirmation_code);
    let session = session.map(SecretString::from);
    let mut operation = core_account::ConfirmSignUp::new(&username, code.expose())
        .force_alias_creation(force_alias_creation);
    if let Some(session) = &session {
        operation = operation.with_session(session.expose());
    }
    for (name, value) in sorted(client_metadata) {
        operation = operation.client_metadata(&name, &value);
    }
    if let Some(data) = context_data {
        operation = operation.context_data(data.into(), system_now()?);
    }
    build(config, &operation)
}

/// Reads `ConfirmSignUp`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_confirm_sign_up_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<ConfirmSignUpResult> {
    let operation = core_account::ConfirmSignUp::new("", "");
    let result = parse(&operation, status, body, error_type_header)?;
    Ok(ConfirmSignUpResult {
        session: result.session,
    })
}

/// `ResendConfirmationCode`: sends the sign-up code again.
#[uniffi::export(default(context_data = None))]
pub fn resend_confirmation_code_request(
    config: ClientConfig,
    username: String,
    context_data: Option<ContextData>,
) -> Result<HttpRequest> {
    let mut operation = core_account::ResendConfirmationCode::new(&username);
    if let Some(data) = context_data {
        operation = operation.context_data(data.into(), system_now()?);
    }
    build(config, &operation)
}

/// Reads `ResendConfirmationCode`'s response: where the code went.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_resend_confirmation_code_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<CodeDeliveryDetails> {
    let operation = core_account::ResendConfirmationCode::new("");
    Ok(parse(&operation, status, body, error_type_header)?.into())
}

// ---- password reset ------------------------------------------------------------------------

/// `ForgotPassword`: sends a reset code.
#[uniffi::export(default(client_metadata), default(context_data = None))]
pub fn forgot_password_request(
    config: ClientConfig,
    username: String,
    client_metadata: HashMap<String, String>,
    context_data: Option<ContextData>,
) -> Result<HttpRequest> {
    let mut operation = core_account::ForgotPassword::new(&username);
    for (name, value) in sorted(client_metadata) {
        operation = operation.client_metadata(&name, &value);
    }
    if let Some(data) = context_data {
        operation = operation.context_data(data.into(), system_now()?);
    }
    build(config, &operation)
}

/// Reads `ForgotPassword`'s response: where the code went.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_forgot_password_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<CodeDeliveryDetails> {
    let operation = core_account::ForgotPassword::new("");
    Ok(parse(&operation, status, body, error_type_header)?.into())
}

/// `ConfirmForgotPassword`: sets a new password with the reset code.
#[uniffi::export(default(client_metadata), default(context_data = None))]
pub fn confirm_forgot_password_request(
    config: ClientConfig,
    username: String,
    confirmation_code: String,
    new_password: String,
    client_metadata: HashMap<String, String>,
    context_data: Option<ContextData>,
) -> Result<HttpRequest> {
    let code = SecretString::from(confirmation_code);
    let new_password = SecretString::from(new_password);
    let mut operation =
        core_account::ConfirmForgotPassword::new(&username, code.expose(), new_password);
    for (name, value) in sorted(client_metadata) {
        operation = operation.client_metadata(&name, &value);
    }
    if let Some(data) = context_data {
        operation = operation.context_data(data.into(), system_now()?);
    }
    build(config, &operation)
}

/// Reads `ConfirmForgotPassword`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_confirm_forgot_password_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::ConfirmForgotPassword::new("", "", none());
    parse(&operation, status, body, error_type_header)
}

// ---- the signed-in user --------------------------------------------------------------------

/// `ChangePassword` for the signed-in user. `previous_password` may be `None` only for a user
/// without a password (passwordless sign-up).
#[uniffi::export]
pub fn change_password_request(
    config: ClientConfig,
    access_token: String,
    previous_password: Option<String>,
    proposed_password: String,
) -> Result<HttpRequest> {
    let access_token = SecretString::from(access_token);
    let previous = previous_password.map(SecretString::from);
    let proposed = SecretString::from(proposed_password);
    let operation = match previous {
        Some(previous) => core_account::ChangePassword::new(access_token, previous, proposed),
        None => core_account::ChangePassword::first_password(access_token, proposed),
    };
    build(config, &operation)
}

/// Reads `ChangePassword`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_change_password_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::ChangePassword::first_password(none(), none());
    parse(&operation, status, body, error_type_header)
}

/// The MFA types a user has enabled and the one they prefer (Amplify's `fetchMFAPreference`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MfaPreference {
    /// Enabled types, in Cognito's order.
    pub enabled: Vec<MfaType>,
    /// The preferred type, if any.
    pub preferred: Option<MfaType>,
}

/// What `GetUser` answered.
///
/// Personal data (an email address, a phone number, a name): printing it (`toString`,
/// `description`, `repr`, `Debug`) shows the username and attribute values as `<redacted>` and
/// the attribute names in order; read the fields to get the values.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct UserInfo {
    /// The canonical username.
    pub username: String,
    /// The user's attributes (`sub`, `email`, `email_verified`, ...).
    pub attributes: HashMap<String, String>,
    /// MFA settings.
    pub mfa_preference: MfaPreference,
}

impl fmt::Debug for UserInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserInfo")
            .field("username", &"<redacted>")
            .field("attributes", &RedactedValues(&self.attributes))
            .field("mfa_preference", &self.mfa_preference)
            .finish()
    }
}

/// Attribute names (sorted) with every value `<redacted>`.
struct RedactedValues<'a>(&'a HashMap<String, String>);

impl fmt::Debug for RedactedValues<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.0.keys().collect();
        names.sort();
        f.debug_map()
            .entries(names.into_iter().map(|name| (name, "<redacted>")))
            .finish()
    }
}

/// `GetUser`: the signed-in user's attributes and MFA settings.
#[uniffi::export]
pub fn get_user_request(config: ClientConfig, access_token: String) -> Result<HttpRequest> {
    build(
        config,
        &core_account::GetUser::new(SecretString::from(access_token)),
    )
}

/// Reads `GetUser`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_get_user_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<UserInfo> {
    let operation = core_account::GetUser::new(none());
    let user = parse(&operation, status, body, error_type_header)?;
    Ok(UserInfo {
        username: user.username,
        attributes: unsorted(user.attributes),
        mfa_preference: MfaPreference {
            enabled: MfaType::list(user.mfa.enabled),
            preferred: user.mfa.preferred.map(MfaType::from_core),
        },
    })
}

/// `UpdateUserAttributes`: sets attributes (`custom:` prefix kept). Changing `email` or
/// `phone_number` sends a verification code (see the response).
#[uniffi::export(default(client_metadata))]
pub fn update_user_attributes_request(
    config: ClientConfig,
    access_token: String,
    attributes: HashMap<String, String>,
    client_metadata: HashMap<String, String>,
) -> Result<HttpRequest> {
    let access_token = SecretString::from(access_token);
    let operation = core_account::UpdateUserAttributes::new(access_token, sorted(attributes))
        .with_client_metadata(sorted(client_metadata));
    build(config, &operation)
}

/// Reads `UpdateUserAttributes`' response: where verification codes went (empty if none).
#[uniffi::export(default(error_type_header = None))]
pub fn parse_update_user_attributes_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<Vec<CodeDeliveryDetails>> {
    let operation = core_account::UpdateUserAttributes::new(none(), Vec::<(String, String)>::new());
    let deliveries = parse(&operation, status, body, error_type_header)?;
    Ok(deliveries.into_iter().map(Into::into).collect())
}

/// `VerifyUserAttribute`: confirms an attribute (`email`, `phone_number`) with its code.
#[uniffi::export]
pub fn verify_user_attribute_request(
    config: ClientConfig,
    access_token: String,
    attribute_name: String,
    code: String,
) -> Result<HttpRequest> {
    let access_token = SecretString::from(access_token);
    let code = SecretString::from(code);
    let operation =
        core_account::VerifyUserAttribute::new(access_token, &attribute_name, code.expose());
    build(config, &operation)
}

/// Reads `VerifyUserAttribute`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_verify_user_attribute_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::VerifyUserAttribute::new(none(), "", "");
    parse(&operation, status, body, error_type_header)
}

/// `GetUserAttributeVerificationCode`: sends a verification code for an attribute.
#[uniffi::export(default(client_metadata))]
pub fn get_user_attribute_verification_code_request(
    config: ClientConfig,
    access_token: String,
    attribute_name: String,
    client_metadata: HashMap<String, String>,
) -> Result<HttpRequest> {
    let access_token = SecretString::from(access_token);
    let operation =
        core_account::GetUserAttributeVerificationCode::new(access_token, &attribute_name)
            .with_client_metadata(sorted(client_metadata));
    build(config, &operation)
}

/// Reads `GetUserAttributeVerificationCode`'s response: where the code went.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_get_user_attribute_verification_code_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<CodeDeliveryDetails> {
    let operation = core_account::GetUserAttributeVerificationCode::new(none(), "");
    Ok(parse(&operation, status, body, error_type_header)?.into())
}

// ---- MFA -----------------------------------------------------------------------------------

/// One MFA type's setting in `set_user_mfa_preference_request` (Amplify's `MFAPreference`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MfaPreferenceSetting {
    /// Turned off.
    Disabled,
    /// Turned on, not preferred (also takes back a preference).
    Enabled,
    /// Turned on and preferred (at most one type).
    Preferred,
}

impl From<MfaPreferenceSetting> for core_account::MfaSetting {
    fn from(setting: MfaPreferenceSetting) -> Self {
        match setting {
            MfaPreferenceSetting::Disabled => Self::DISABLED,
            MfaPreferenceSetting::Enabled => Self::ENABLED,
            MfaPreferenceSetting::Preferred => Self::PREFERRED,
        }
    }
}

/// `SetUserMFAPreference`: turns SMS, TOTP and email MFA on or off; `None` leaves a type as it
/// is. Refused before sending: nothing set, two types preferred.
#[uniffi::export(default(sms = None, totp = None, email = None))]
pub fn set_user_mfa_preference_request(
    config: ClientConfig,
    access_token: String,
    sms: Option<MfaPreferenceSetting>,
    totp: Option<MfaPreferenceSetting>,
    email: Option<MfaPreferenceSetting>,
) -> Result<HttpRequest> {
    let mut operation = core_account::SetUserMfaPreference::new(SecretString::from(access_token));
    for (mfa, setting) in [
        (CoreMfaType::Sms, sms),
        (CoreMfaType::Totp, totp),
        (CoreMfaType::Email, email),
    ] {
        if let Some(setting) = setting {
            operation = operation.with(mfa, setting.into());
        }
    }
    build(config, &operation)
}

/// Reads `SetUserMFAPreference`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_set_user_mfa_preference_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::SetUserMfaPreference::new(none());
    parse(&operation, status, body, error_type_header)
}

/// `AssociateSoftwareToken`: a new TOTP secret for the signed-in user (Amplify's `setUpTOTP`).
/// Then `verify_software_token_request` with the first code, then
/// `set_user_mfa_preference_request(totp = Enabled/Preferred)`.
#[uniffi::export]
pub fn associate_software_token_request(
    config: ClientConfig,
    access_token: String,
) -> Result<HttpRequest> {
    let operation = core_account::AssociateSoftwareToken::new(SecretString::from(access_token), "");
    build(config, &operation)
}

/// Reads `AssociateSoftwareToken`'s response: the secret, with `username` as the account name
/// for the otpauth URI.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_associate_software_token_response(
    username: String,
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<TotpSetupDetails> {
    let operation = core_account::AssociateSoftwareToken::new(none(), &username);
    let details = parse(&operation, status, body, error_type_header)?;
    Ok((&details).into())
}

/// `VerifySoftwareToken`: registers the authenticator with its first code (Amplify's
/// `verifyTOTPSetup`).
#[uniffi::export(default(friendly_device_name = None))]
pub fn verify_software_token_request(
    config: ClientConfig,
    access_token: String,
    code: String,
    friendly_device_name: Option<String>,
) -> Result<HttpRequest> {
    let access_token = SecretString::from(access_token);
    let code = SecretString::from(code);
    let mut operation = core_account::VerifySoftwareToken::new(access_token, code.expose());
    if let Some(name) = friendly_device_name {
        operation = operation.with_friendly_device_name(&name);
    }
    build(config, &operation)
}

/// Reads `VerifySoftwareToken`'s response; `TotpSetupCodeRejected` if the code did not match.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_verify_software_token_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::VerifySoftwareToken::new(none(), "");
    parse(&operation, status, body, error_type_header)
}

// ---- tokens --------------------------------------------------------------------------------

/// `GetTokensFromRefreshToken`: new tokens for a refresh token (works with refresh-token
/// rotation; sends the raw client secret, needs no username). Pass the remembered device's key.
#[uniffi::export(default(device_key = None), default(client_metadata))]
pub fn get_tokens_from_refresh_token_request(
    config: ClientConfig,
    refresh_token: String,
    device_key: Option<String>,
    client_metadata: HashMap<String, String>,
) -> Result<HttpRequest> {
    let mut operation =
        core_account::GetTokensFromRefreshToken::new(SecretString::from(refresh_token));
    if let Some(key) = device_key {
        operation = operation.with_device_key(&key);
    }
    for (name, value) in sorted(client_metadata) {
        operation = operation.with_client_metadata(&name, &value);
    }
    build(config, &operation)
}

/// Reads `GetTokensFromRefreshToken`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_get_tokens_from_refresh_token_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<AuthTokens> {
    let operation = core_account::GetTokensFromRefreshToken::new(none());
    Ok(parse(&operation, status, body, error_type_header)?.into())
}

/// `InitiateAuth` with `REFRESH_TOKEN_AUTH` (the older refresh; no rotation). With a client
/// secret, `canonical_username` is the name `SignInSession.status().username` gives.
#[uniffi::export(default(device_key = None), default(client_metadata))]
pub fn refresh_token_auth_request(
    config: ClientConfig,
    refresh_token: String,
    canonical_username: String,
    device_key: Option<String>,
    client_metadata: HashMap<String, String>,
) -> Result<HttpRequest> {
    let mut operation =
        core_account::RefreshTokenAuth::new(SecretString::from(refresh_token), &canonical_username);
    if let Some(key) = device_key {
        operation = operation.with_device_key(&key);
    }
    for (name, value) in sorted(client_metadata) {
        operation = operation.with_client_metadata(&name, &value);
    }
    build(config, &operation)
}

/// Reads the `REFRESH_TOKEN_AUTH` response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_refresh_token_auth_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<AuthTokens> {
    let operation = core_account::RefreshTokenAuth::new(none(), "");
    Ok(parse(&operation, status, body, error_type_header)?.into())
}

/// `RevokeToken`: revokes a refresh token and the tokens issued with it (sign-out on this
/// device).
#[uniffi::export]
pub fn revoke_token_request(config: ClientConfig, refresh_token: String) -> Result<HttpRequest> {
    build(
        config,
        &core_account::RevokeToken::new(SecretString::from(refresh_token)),
    )
}

/// Reads `RevokeToken`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_revoke_token_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::RevokeToken::new(none());
    parse(&operation, status, body, error_type_header)
}

/// `GlobalSignOut`: signs the user out on every device.
#[uniffi::export]
pub fn global_sign_out_request(config: ClientConfig, access_token: String) -> Result<HttpRequest> {
    build(
        config,
        &core_account::GlobalSignOut::new(SecretString::from(access_token)),
    )
}

/// Reads `GlobalSignOut`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_global_sign_out_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::GlobalSignOut::new(none());
    parse(&operation, status, body, error_type_header)
}

/// `DeleteUser`: deletes the signed-in user for good. Afterwards forget the session, the
/// remembered device and any identity-pool identity (Amplify also signs out globally).
#[uniffi::export]
pub fn delete_user_request(config: ClientConfig, access_token: String) -> Result<HttpRequest> {
    build(
        config,
        &core_account::DeleteUser::new(SecretString::from(access_token)),
    )
}

/// Reads `DeleteUser`'s response (`UserNotFoundException`: already deleted).
#[uniffi::export(default(error_type_header = None))]
pub fn parse_delete_user_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::DeleteUser::new(none());
    parse(&operation, status, body, error_type_header)
}

// ---- devices -------------------------------------------------------------------------------

/// Whether a device is remembered (`dev:device_remembered_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RememberedStatus {
    /// `remembered`.
    Remembered,
    /// `not_remembered`.
    NotRemembered,
}

/// One device of `ListDevices`.
///
/// Printing it shows the device attributes' names but not their values (`last_ip_used` is
/// personal data).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct DeviceInfo {
    /// `DeviceKey`.
    pub device_key: String,
    /// `device_name`, if set.
    pub name: Option<String>,
    /// Whether it is remembered, if Cognito says.
    pub remembered_status: Option<RememberedStatus>,
    /// Every device attribute.
    pub attributes: HashMap<String, String>,
    /// Unix seconds.
    pub created: Option<u64>,
    /// Unix seconds.
    pub last_modified: Option<u64>,
    /// Unix seconds.
    pub last_authenticated: Option<u64>,
}

impl fmt::Debug for DeviceInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceInfo")
            .field("device_key", &self.device_key)
            .field("name", &self.name)
            .field("remembered_status", &self.remembered_status)
            .field("attributes", &RedactedValues(&self.attributes))
            .field("created", &self.created)
            .field("last_modified", &self.last_modified)
            .field("last_authenticated", &self.last_authenticated)
            .finish()
    }
}

/// A page of `ListDevices`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeviceList {
    /// The devices.
    pub devices: Vec<DeviceInfo>,
    /// Pass to the next `list_devices_request` for more; `None` on the last page.
    pub pagination_token: Option<String>,
}

/// `ListDevices`: the user's tracked devices. `limit` at most 60.
#[uniffi::export(default(limit = None, pagination_token = None))]
pub fn list_devices_request(
    config: ClientConfig,
    access_token: String,
    limit: Option<u32>,
    pagination_token: Option<String>,
) -> Result<HttpRequest> {
    let mut operation = core_account::ListDevices::new(SecretString::from(access_token));
    if let Some(limit) = limit {
        operation = operation.with_limit(limit)?;
    }
    if let Some(token) = pagination_token {
        operation = operation.with_pagination_token(&token);
    }
    build(config, &operation)
}

/// Reads `ListDevices`' response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_list_devices_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<DeviceList> {
    let operation = core_account::ListDevices::new(none());
    let list = parse(&operation, status, body, error_type_header)?;
    Ok(DeviceList {
        devices: list
            .devices
            .into_iter()
            .map(|device| DeviceInfo {
                name: device.name().map(str::to_owned),
                remembered_status: device.remembered_status().map(|status| match status {
                    core_account::RememberedStatus::Remembered => RememberedStatus::Remembered,
                    core_account::RememberedStatus::NotRemembered => {
                        RememberedStatus::NotRemembered
                    }
                }),
                device_key: device.device_key,
                attributes: unsorted(device.attributes),
                created: device.created,
                last_modified: device.last_modified,
                last_authenticated: device.last_authenticated,
            })
            .collect(),
        pagination_token: list.pagination_token,
    })
}

/// `ForgetDevice`: stops tracking a device (delete it from storage too).
#[uniffi::export]
pub fn forget_device_request(
    config: ClientConfig,
    access_token: String,
    device_key: String,
) -> Result<HttpRequest> {
    let operation = core_account::ForgetDevice::new(SecretString::from(access_token), &device_key);
    build(config, &operation)
}

/// Reads `ForgetDevice`'s response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_forget_device_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::ForgetDevice::new(none(), "");
    parse(&operation, status, body, error_type_header)
}

/// `UpdateDeviceStatus`: remembers (or not) a confirmed device, after a sign-in whose
/// `DeviceOutcome.Confirmed` had `user_confirmation_necessary` and the user chose.
#[uniffi::export]
pub fn update_device_status_request(
    config: ClientConfig,
    access_token: String,
    device_key: String,
    remembered: bool,
) -> Result<HttpRequest> {
    let operation = core_account::UpdateDeviceStatus::new(
        SecretString::from(access_token),
        &device_key,
        remembered,
    );
    build(config, &operation)
}

/// Reads `UpdateDeviceStatus`' response.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_update_device_status_response(
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<()> {
    let operation = core_account::UpdateDeviceStatus::new(none(), "", false);
    parse(&operation, status, body, error_type_header)
}

display_as_debug!(SignUpResult, ConfirmSignUpResult, UserInfo, DeviceInfo);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_redacted_when_printed() {
        let user = UserInfo {
            username: "alice@example.com".into(),
            attributes: HashMap::from([
                ("email".to_owned(), "alice@example.com".to_owned()),
                ("phone_number".to_owned(), "+12065551212".to_owned()),
                ("sub".to_owned(), "0f6c1a5e-uuid".to_owned()),
            ]),
            mfa_preference: MfaPreference {
                enabled: vec![MfaType::Totp],
                preferred: Some(MfaType::Totp),
            },
        };
        let device = DeviceInfo {
            device_key: "eu-west-1_device".into(),
            name: Some("Pixel".into()),
            remembered_status: None,
            attributes: HashMap::from([("last_ip_used".to_owned(), "192.0.2.33".to_owned())]),
            created: Some(1),
            last_modified: None,
            last_authenticated: None,
        };
        let delivery = CodeDeliveryDetails {
            destination: Some("a***@e***.com".into()),
            delivery_medium: Some("EMAIL".into()),
            attribute_name: Some("email".into()),
        };
        let printed = format!("{user} {user:?} {device} {device:#?} {delivery} {delivery:?}");
        for personal in [
            "alice@example.com",
            "+12065551212",
            "0f6c1a5e",
            "192.0.2.33",
            "a***@e***.com",
        ] {
            assert!(!printed.contains(personal), "{personal} in {printed}");
        }
        for shown in ["phone_number", "last_ip_used", "Totp", "EMAIL", "Pixel"] {
            assert!(printed.contains(shown), "{shown} missing from {printed}");
        }
    }
}
