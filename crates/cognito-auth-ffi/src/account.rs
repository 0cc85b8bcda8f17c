//! Account operations beyond sign-in, in one shape (as matrix-rust-sdk's crypto bindings export
//! their requests): the app describes the operation as an [`AccountRequest`], builds the HTTP
//! request with [`account_request`], sends it, and reads the answer with
//! [`parse_account_response`], given only the operation's [`AccountOperationKind`] (from
//! [`account_request_kind`]), into an [`AccountResponse`]. A new operation is one variant of each
//! enum, not two functions and a wrapper in every language.
//!
//! ```text
//! request  = AccountRequest.GetUser(access_token)
//! kind     = account_request_kind(request)          // keep this, not the request
//! http     = account_request(config, request)       // POST it
//! response = parse_account_response(kind, status, body, x-amzn-ErrorType)
//!            -> AccountResponse.User(user) | Service / UnexpectedResponse errors
//! ```
//!
//! Secrets given as strings (passwords, codes, tokens, sessions) move into the core's zeroizing
//! `SecretString` before anything else happens; printing a request shows none of them.

use core::fmt;
use std::collections::{BTreeMap, HashMap};

use cognito_auth_core::SecretString;
use cognito_auth_core::account::{self as core_account, AccountOperation};
use cognito_auth_core::context_data::ContextData as CoreContextData;
use cognito_auth_core::sign_in::MfaType as CoreMfaType;
use cognito_auth_core::time::UnixTime;
use cognito_auth_core::wire::HttpResponse;
use zeroize::Zeroize;

use crate::context_data::ContextData;
use crate::environment::system_now;
use crate::error::{CognitoAuthError, Result};
use crate::passkey::{PasskeyCreationOptions, WebAuthnCredentialPage, check_registration};
use crate::sign_in::TotpSetupDetails;
use crate::types::{
    AuthTokens, Client, ClientConfig, CodeDeliveryDetails, HttpRequest, MfaType, sorted, unsorted,
};

// ---- the request -----------------------------------------------------------------------------

/// One account operation with its inputs: build its HTTP request with [`account_request`].
///
/// Printing it (`toString`, `description`, `repr`, `Debug`) shows the operation and the inputs
/// that are neither secret nor personal: passwords, codes, tokens, sessions, usernames and
/// attribute values are not shown.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum AccountRequest {
    /// `SignUp`: registers a user. `attributes` are user attributes (`email`, `phone_number` in
    /// E.164, `custom:...`); `validation_data` goes to the Lambda triggers. Answers
    /// [`AccountResponse::SignedUp`]. Takes client metadata and context data.
    SignUp {
        /// The username (or email / phone number, as the pool signs in).
        username: String,
        /// The password.
        password: String,
        /// User attributes.
        #[uniffi(default)]
        attributes: HashMap<String, String>,
        /// `ValidationData` for the pre-sign-up Lambda.
        #[uniffi(default)]
        validation_data: HashMap<String, String>,
    },
    /// `ConfirmSignUp`: confirms a sign-up with the code sent by email or SMS. `session` is
    /// `SignUpResult.session` (for auto sign-in afterwards). Answers
    /// [`AccountResponse::SignUpConfirmed`]. Takes client metadata and context data.
    ConfirmSignUp {
        /// The username signed up.
        username: String,
        /// The code sent.
        confirmation_code: String,
        /// `SignUpResult.session`, for auto sign-in afterwards.
        #[uniffi(default = None)]
        session: Option<String>,
        /// Move an email / phone alias from another user to this one.
        #[uniffi(default = false)]
        force_alias_creation: bool,
    },
    /// `ResendConfirmationCode`: sends the sign-up code again. Answers
    /// [`AccountResponse::CodeSent`]. Takes context data.
    ResendConfirmationCode {
        /// The username signed up.
        username: String,
    },
    /// `ForgotPassword`: sends a reset code. Answers [`AccountResponse::CodeSent`]. Takes client
    /// metadata and context data.
    ForgotPassword {
        /// The user.
        username: String,
    },
    /// `ConfirmForgotPassword`: sets a new password with the reset code. Answers
    /// [`AccountResponse::Done`]. Takes client metadata and context data.
    ConfirmForgotPassword {
        /// The user.
        username: String,
        /// The reset code.
        confirmation_code: String,
        /// The new password.
        new_password: String,
    },
    /// `ChangePassword` for the signed-in user. `previous_password` may be `None` only for a
    /// user without a password (passwordless sign-up). Answers [`AccountResponse::Done`].
    ChangePassword {
        /// The access token.
        access_token: String,
        /// The current password.
        previous_password: Option<String>,
        /// The new password.
        proposed_password: String,
    },
    /// `GetUser`: the signed-in user's attributes and MFA settings. Answers
    /// [`AccountResponse::User`].
    GetUser {
        /// The access token.
        access_token: String,
    },
    /// `UpdateUserAttributes`: sets attributes (`custom:` prefix kept). Changing `email` or
    /// `phone_number` sends a verification code. Answers [`AccountResponse::CodesSent`]. Takes
    /// client metadata.
    UpdateUserAttributes {
        /// The access token.
        access_token: String,
        /// The attributes to set.
        attributes: HashMap<String, String>,
    },
    /// `VerifyUserAttribute`: confirms an attribute (`email`, `phone_number`) with its code.
    /// Answers [`AccountResponse::Done`].
    VerifyUserAttribute {
        /// The access token.
        access_token: String,
        /// `email` or `phone_number`.
        attribute_name: String,
        /// The code sent.
        code: String,
    },
    /// `GetUserAttributeVerificationCode`: sends a verification code for an attribute. Answers
    /// [`AccountResponse::CodeSent`]. Takes client metadata.
    GetUserAttributeVerificationCode {
        /// The access token.
        access_token: String,
        /// `email` or `phone_number`.
        attribute_name: String,
    },
    /// `SetUserMFAPreference`: turns SMS, TOTP and email MFA on or off; `None` leaves a type as
    /// it is. Refused before sending: nothing set, two types preferred. Answers
    /// [`AccountResponse::Done`].
    SetUserMfaPreference {
        /// The access token.
        access_token: String,
        /// SMS MFA.
        #[uniffi(default = None)]
        sms: Option<MfaPreferenceSetting>,
        /// TOTP MFA.
        #[uniffi(default = None)]
        totp: Option<MfaPreferenceSetting>,
        /// Email MFA.
        #[uniffi(default = None)]
        email: Option<MfaPreferenceSetting>,
    },
    /// `AssociateSoftwareToken`: a new TOTP secret for the signed-in user (Amplify's
    /// `setUpTOTP`). Then `VerifySoftwareToken` with the first code, then
    /// `SetUserMfaPreference(totp = Enabled/Preferred)`. Answers [`AccountResponse::TotpSetup`].
    AssociateSoftwareToken {
        /// The access token.
        access_token: String,
        /// The account name of the setup URI (the user's name; Cognito does not see it).
        username: String,
    },
    /// `VerifySoftwareToken`: registers the authenticator with its first code (Amplify's
    /// `verifyTOTPSetup`). Answers [`AccountResponse::Done`], or `TotpSetupCodeRejected`.
    VerifySoftwareToken {
        /// The access token.
        access_token: String,
        /// The authenticator's code.
        code: String,
        /// A name for the authenticator.
        #[uniffi(default = None)]
        friendly_device_name: Option<String>,
    },
    /// `GetTokensFromRefreshToken`: new tokens for a refresh token (works with refresh-token
    /// rotation; sends the raw client secret, needs no username). Pass the remembered device's
    /// key. Answers [`AccountResponse::Tokens`]. Takes client metadata.
    GetTokensFromRefreshToken {
        /// The refresh token.
        refresh_token: String,
        /// The remembered device's key.
        #[uniffi(default = None)]
        device_key: Option<String>,
    },
    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH` (the older refresh; no rotation). With a client
    /// secret, `canonical_username` is the name `SignInSession.status().username` gives. Answers
    /// [`AccountResponse::Tokens`]. Takes client metadata.
    RefreshTokenAuth {
        /// The refresh token.
        refresh_token: String,
        /// The user's canonical name (for `SECRET_HASH`).
        canonical_username: String,
        /// The remembered device's key.
        #[uniffi(default = None)]
        device_key: Option<String>,
    },
    /// `RevokeToken`: revokes a refresh token and the tokens issued with it (sign-out on this
    /// device). Answers [`AccountResponse::Done`].
    RevokeToken {
        /// The refresh token.
        refresh_token: String,
    },
    /// `GlobalSignOut`: signs the user out on every device. Answers [`AccountResponse::Done`].
    GlobalSignOut {
        /// The access token.
        access_token: String,
    },
    /// `DeleteUser`: deletes the signed-in user for good. Afterwards forget the session, the
    /// remembered device and any identity-pool identity (Amplify also signs out globally).
    /// Answers [`AccountResponse::Done`] (`UserNotFoundException`: already deleted).
    DeleteUser {
        /// The access token.
        access_token: String,
    },
    /// `ListDevices`: the user's tracked devices, `limit` at most 60. Answers
    /// [`AccountResponse::Devices`].
    ListDevices {
        /// The access token.
        access_token: String,
        /// At most this many (1 to 60).
        #[uniffi(default = None)]
        limit: Option<u32>,
        /// `DeviceList.pagination_token` of the previous page.
        #[uniffi(default = None)]
        pagination_token: Option<String>,
    },
    /// `ForgetDevice`: stops tracking a device (delete it from storage too). Answers
    /// [`AccountResponse::Done`].
    ForgetDevice {
        /// The access token.
        access_token: String,
        /// The device's key.
        device_key: String,
    },
    /// `UpdateDeviceStatus`: remembers (or not) a confirmed device, after a sign-in whose
    /// `DeviceOutcome.Confirmed` had `user_confirmation_necessary` and the user chose. Answers
    /// [`AccountResponse::Done`].
    UpdateDeviceStatus {
        /// The access token.
        access_token: String,
        /// The device's key.
        device_key: String,
        /// Remember it or not.
        remembered: bool,
    },
    /// `StartWebAuthnRegistration`: the options for creating a passkey for the signed-in user.
    /// Answers [`AccountResponse::PasskeyCreationOptions`] (checked).
    StartWebAuthnRegistration {
        /// The access token.
        access_token: String,
    },
    /// `CompleteWebAuthnRegistration`: registers the passkey the platform created. `credential`
    /// is the platform's `RegistrationResponseJSON`; one that is not is refused (`InvalidInput`,
    /// `what = "credential"`) before a request exists. Answers [`AccountResponse::Done`].
    CompleteWebAuthnRegistration {
        /// The access token.
        access_token: String,
        /// The platform's `RegistrationResponseJSON`.
        credential: String,
    },
    /// `ListWebAuthnCredentials`: one page of the signed-in user's passkeys. `max_results` is 1
    /// to 20 (`InvalidInput` otherwise). Answers [`AccountResponse::Passkeys`].
    ListWebAuthnCredentials {
        /// The access token.
        access_token: String,
        /// At most this many (1 to 20).
        #[uniffi(default = None)]
        max_results: Option<u32>,
        /// `WebAuthnCredentialPage.next_token` of the previous page.
        #[uniffi(default = None)]
        next_token: Option<String>,
    },
    /// `DeleteWebAuthnCredential`: removes one of the signed-in user's passkeys. Answers
    /// [`AccountResponse::Done`].
    DeleteWebAuthnCredential {
        /// The access token.
        access_token: String,
        /// `WebAuthnCredential.credential_id`.
        credential_id: String,
    },
}

/// Which account operation a response answers: what [`parse_account_response`] needs (the
/// request's inputs, some of them secret, need not be kept). One variant per
/// [`AccountRequest`] variant, of the same name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum AccountOperationKind {
    /// [`AccountRequest::SignUp`].
    SignUp,
    /// [`AccountRequest::ConfirmSignUp`].
    ConfirmSignUp,
    /// [`AccountRequest::ResendConfirmationCode`].
    ResendConfirmationCode,
    /// [`AccountRequest::ForgotPassword`].
    ForgotPassword,
    /// [`AccountRequest::ConfirmForgotPassword`].
    ConfirmForgotPassword,
    /// [`AccountRequest::ChangePassword`].
    ChangePassword,
    /// [`AccountRequest::GetUser`].
    GetUser,
    /// [`AccountRequest::UpdateUserAttributes`].
    UpdateUserAttributes,
    /// [`AccountRequest::VerifyUserAttribute`].
    VerifyUserAttribute,
    /// [`AccountRequest::GetUserAttributeVerificationCode`].
    GetUserAttributeVerificationCode,
    /// [`AccountRequest::SetUserMfaPreference`].
    SetUserMfaPreference,
    /// [`AccountRequest::AssociateSoftwareToken`]; `username` names the account in the setup
    /// URI ([`TotpSetupDetails::username`]).
    AssociateSoftwareToken {
        /// The request's `username`.
        username: String,
    },
    /// [`AccountRequest::VerifySoftwareToken`].
    VerifySoftwareToken,
    /// [`AccountRequest::GetTokensFromRefreshToken`].
    GetTokensFromRefreshToken,
    /// [`AccountRequest::RefreshTokenAuth`].
    RefreshTokenAuth,
    /// [`AccountRequest::RevokeToken`].
    RevokeToken,
    /// [`AccountRequest::GlobalSignOut`].
    GlobalSignOut,
    /// [`AccountRequest::DeleteUser`].
    DeleteUser,
    /// [`AccountRequest::ListDevices`].
    ListDevices,
    /// [`AccountRequest::ForgetDevice`].
    ForgetDevice,
    /// [`AccountRequest::UpdateDeviceStatus`].
    UpdateDeviceStatus,
    /// [`AccountRequest::StartWebAuthnRegistration`].
    StartWebAuthnRegistration,
    /// [`AccountRequest::CompleteWebAuthnRegistration`].
    CompleteWebAuthnRegistration,
    /// [`AccountRequest::ListWebAuthnCredentials`].
    ListWebAuthnCredentials,
    /// [`AccountRequest::DeleteWebAuthnCredential`].
    DeleteWebAuthnCredential,
}

/// What an account operation answered, by the shape of the answer (each
/// [`AccountRequest`] variant names the one it gets).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum AccountResponse {
    /// Success with nothing to read (`ChangePassword`, `GlobalSignOut`, `ForgetDevice`, ...).
    Done,
    /// `SignUp`'s answer.
    SignedUp {
        /// The result.
        result: SignUpResult,
    },
    /// `ConfirmSignUp`'s answer.
    SignUpConfirmed {
        /// The result.
        result: ConfirmSignUpResult,
    },
    /// Where a code went (`ResendConfirmationCode`, `ForgotPassword`,
    /// `GetUserAttributeVerificationCode`).
    CodeSent {
        /// The delivery.
        delivery: CodeDeliveryDetails,
    },
    /// Where verification codes went (`UpdateUserAttributes`; empty if none was sent).
    CodesSent {
        /// The deliveries.
        deliveries: Vec<CodeDeliveryDetails>,
    },
    /// `GetUser`'s answer.
    User {
        /// The user.
        user: UserInfo,
    },
    /// `AssociateSoftwareToken`'s answer: the secret, with the request's `username` as the
    /// account name of the setup URI.
    TotpSetup {
        /// The secret and the username.
        details: TotpSetupDetails,
    },
    /// New tokens (`GetTokensFromRefreshToken`, `RefreshTokenAuth`).
    Tokens {
        /// The tokens.
        tokens: AuthTokens,
    },
    /// A page of `ListDevices`.
    Devices {
        /// The page.
        page: DeviceList,
    },
    /// `StartWebAuthnRegistration`'s checked creation options.
    PasskeyCreationOptions {
        /// The options.
        options: PasskeyCreationOptions,
    },
    /// A page of `ListWebAuthnCredentials`.
    Passkeys {
        /// The page.
        page: WebAuthnCredentialPage,
    },
}

impl fmt::Debug for AccountRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct(self.operation_name());
        match self {
            Self::SignUp {
                attributes,
                validation_data,
                ..
            } => out
                .field("attributes", &RedactedValues(attributes))
                .field("validation_data", &RedactedValues(validation_data)),
            Self::ConfirmSignUp {
                force_alias_creation,
                ..
            } => out.field("force_alias_creation", force_alias_creation),
            Self::UpdateUserAttributes { attributes, .. } => {
                out.field("attributes", &RedactedValues(attributes))
            }
            Self::VerifyUserAttribute { attribute_name, .. }
            | Self::GetUserAttributeVerificationCode { attribute_name, .. } => {
                out.field("attribute_name", attribute_name)
            }
            Self::SetUserMfaPreference {
                sms, totp, email, ..
            } => out
                .field("sms", sms)
                .field("totp", totp)
                .field("email", email),
            Self::VerifySoftwareToken {
                friendly_device_name,
                ..
            } => out.field("friendly_device_name", friendly_device_name),
            Self::GetTokensFromRefreshToken { device_key, .. }
            | Self::RefreshTokenAuth { device_key, .. } => out.field("device_key", device_key),
            Self::ListDevices { limit, .. } => out.field("limit", limit),
            Self::ForgetDevice { device_key, .. } => out.field("device_key", device_key),
            Self::UpdateDeviceStatus {
                device_key,
                remembered,
                ..
            } => out
                .field("device_key", device_key)
                .field("remembered", remembered),
            Self::ListWebAuthnCredentials { max_results, .. } => {
                out.field("max_results", max_results)
            }
            Self::DeleteWebAuthnCredential { credential_id, .. } => {
                out.field("credential_id", credential_id)
            }
            Self::ResendConfirmationCode { .. }
            | Self::ForgotPassword { .. }
            | Self::ConfirmForgotPassword { .. }
            | Self::ChangePassword { .. }
            | Self::GetUser { .. }
            | Self::AssociateSoftwareToken { .. }
            | Self::RevokeToken { .. }
            | Self::GlobalSignOut { .. }
            | Self::DeleteUser { .. }
            | Self::StartWebAuthnRegistration { .. }
            | Self::CompleteWebAuthnRegistration { .. } => &mut out,
        };
        out.finish_non_exhaustive()
    }
}

impl AccountRequest {
    /// The Cognito operation's name (what `HttpRequest.operation` says, but `InitiateAuth` is
    /// `RefreshTokenAuth` here).
    fn operation_name(&self) -> &'static str {
        match self {
            Self::SignUp { .. } => "SignUp",
            Self::ConfirmSignUp { .. } => "ConfirmSignUp",
            Self::ResendConfirmationCode { .. } => "ResendConfirmationCode",
            Self::ForgotPassword { .. } => "ForgotPassword",
            Self::ConfirmForgotPassword { .. } => "ConfirmForgotPassword",
            Self::ChangePassword { .. } => "ChangePassword",
            Self::GetUser { .. } => "GetUser",
            Self::UpdateUserAttributes { .. } => "UpdateUserAttributes",
            Self::VerifyUserAttribute { .. } => "VerifyUserAttribute",
            Self::GetUserAttributeVerificationCode { .. } => "GetUserAttributeVerificationCode",
            Self::SetUserMfaPreference { .. } => "SetUserMfaPreference",
            Self::AssociateSoftwareToken { .. } => "AssociateSoftwareToken",
            Self::VerifySoftwareToken { .. } => "VerifySoftwareToken",
            Self::GetTokensFromRefreshToken { .. } => "GetTokensFromRefreshToken",
            Self::RefreshTokenAuth { .. } => "RefreshTokenAuth",
            Self::RevokeToken { .. } => "RevokeToken",
            Self::GlobalSignOut { .. } => "GlobalSignOut",
            Self::DeleteUser { .. } => "DeleteUser",
            Self::ListDevices { .. } => "ListDevices",
            Self::ForgetDevice { .. } => "ForgetDevice",
            Self::UpdateDeviceStatus { .. } => "UpdateDeviceStatus",
            Self::StartWebAuthnRegistration { .. } => "StartWebAuthnRegistration",
            Self::CompleteWebAuthnRegistration { .. } => "CompleteWebAuthnRegistration",
            Self::ListWebAuthnCredentials { .. } => "ListWebAuthnCredentials",
            Self::DeleteWebAuthnCredential { .. } => "DeleteWebAuthnCredential",
        }
    }

    /// The operation's kind.
    pub fn kind(&self) -> AccountOperationKind {
        use AccountOperationKind as K;
        match self {
            Self::SignUp { .. } => K::SignUp,
            Self::ConfirmSignUp { .. } => K::ConfirmSignUp,
            Self::ResendConfirmationCode { .. } => K::ResendConfirmationCode,
            Self::ForgotPassword { .. } => K::ForgotPassword,
            Self::ConfirmForgotPassword { .. } => K::ConfirmForgotPassword,
            Self::ChangePassword { .. } => K::ChangePassword,
            Self::GetUser { .. } => K::GetUser,
            Self::UpdateUserAttributes { .. } => K::UpdateUserAttributes,
            Self::VerifyUserAttribute { .. } => K::VerifyUserAttribute,
            Self::GetUserAttributeVerificationCode { .. } => K::GetUserAttributeVerificationCode,
            Self::SetUserMfaPreference { .. } => K::SetUserMfaPreference,
            Self::AssociateSoftwareToken { username, .. } => K::AssociateSoftwareToken {
                username: username.clone(),
            },
            Self::VerifySoftwareToken { .. } => K::VerifySoftwareToken,
            Self::GetTokensFromRefreshToken { .. } => K::GetTokensFromRefreshToken,
            Self::RefreshTokenAuth { .. } => K::RefreshTokenAuth,
            Self::RevokeToken { .. } => K::RevokeToken,
            Self::GlobalSignOut { .. } => K::GlobalSignOut,
            Self::DeleteUser { .. } => K::DeleteUser,
            Self::ListDevices { .. } => K::ListDevices,
            Self::ForgetDevice { .. } => K::ForgetDevice,
            Self::UpdateDeviceStatus { .. } => K::UpdateDeviceStatus,
            Self::StartWebAuthnRegistration { .. } => K::StartWebAuthnRegistration,
            Self::CompleteWebAuthnRegistration { .. } => K::CompleteWebAuthnRegistration,
            Self::ListWebAuthnCredentials { .. } => K::ListWebAuthnCredentials,
            Self::DeleteWebAuthnCredential { .. } => K::DeleteWebAuthnCredential,
        }
    }

    /// Wipes the secrets of a request that will not be built.
    fn wipe(mut self) {
        let secrets: Vec<&mut String> = match &mut self {
            Self::SignUp { password, .. } => vec![password],
            Self::ConfirmSignUp {
                confirmation_code,
                session,
                ..
            } => [Some(confirmation_code), session.as_mut()]
                .into_iter()
                .flatten()
                .collect(),
            Self::ConfirmForgotPassword {
                confirmation_code,
                new_password,
                ..
            } => vec![confirmation_code, new_password],
            Self::ChangePassword {
                access_token,
                previous_password,
                proposed_password,
            } => [
                Some(access_token),
                previous_password.as_mut(),
                Some(proposed_password),
            ]
            .into_iter()
            .flatten()
            .collect(),
            Self::VerifyUserAttribute {
                access_token, code, ..
            }
            | Self::VerifySoftwareToken {
                access_token, code, ..
            } => vec![access_token, code],
            Self::GetTokensFromRefreshToken { refresh_token, .. }
            | Self::RefreshTokenAuth { refresh_token, .. }
            | Self::RevokeToken { refresh_token } => vec![refresh_token],
            Self::GetUser { access_token }
            | Self::UpdateUserAttributes { access_token, .. }
            | Self::GetUserAttributeVerificationCode { access_token, .. }
            | Self::SetUserMfaPreference { access_token, .. }
            | Self::AssociateSoftwareToken { access_token, .. }
            | Self::GlobalSignOut { access_token }
            | Self::DeleteUser { access_token }
            | Self::ListDevices { access_token, .. }
            | Self::ForgetDevice { access_token, .. }
            | Self::UpdateDeviceStatus { access_token, .. }
            | Self::StartWebAuthnRegistration { access_token }
            | Self::CompleteWebAuthnRegistration { access_token, .. }
            | Self::ListWebAuthnCredentials { access_token, .. }
            | Self::DeleteWebAuthnCredential { access_token, .. } => vec![access_token],
            Self::ResendConfirmationCode { .. } | Self::ForgotPassword { .. } => Vec::new(),
        };
        for secret in secrets {
            secret.zeroize();
        }
    }
}

/// Client metadata and context data for the operations that take them; what is left over was
/// given to an operation that does not.
struct Extras {
    client_metadata: BTreeMap<String, String>,
    context_data: Option<(CoreContextData, UnixTime)>,
}

impl Extras {
    fn client_metadata(&mut self) -> BTreeMap<String, String> {
        core::mem::take(&mut self.client_metadata)
    }

    fn context_data(&mut self) -> Option<(CoreContextData, UnixTime)> {
        self.context_data.take()
    }

    /// Refuses what `operation` did not take (rather than dropping it unseen).
    fn all_taken(&self, operation: &str) -> Result<()> {
        if !self.client_metadata.is_empty() {
            return Err(CognitoAuthError::invalid_input(
                "client_metadata",
                format_args!("{operation} takes no client metadata"),
            ));
        }
        if self.context_data.is_some() {
            return Err(CognitoAuthError::invalid_input(
                "context_data",
                format_args!("{operation} takes no context data"),
            ));
        }
        Ok(())
    }
}

/// The core's request for `operation`.
fn core_request(
    client: &Client,
    operation: &impl AccountOperation,
) -> Result<cognito_auth_core::Request> {
    Ok(operation.request(&client.config)?)
}

/// Checks `request` and builds its HTTP request for `config`. `client_metadata` goes to the
/// Lambda triggers and `context_data` to threat protection, for the operations whose
/// [`AccountRequest`] variant says it takes them (`InvalidInput` for the others).
#[uniffi::export(default(client_metadata), default(context_data = None))]
pub fn account_request(
    config: ClientConfig,
    request: AccountRequest,
    client_metadata: HashMap<String, String>,
    context_data: Option<ContextData>,
) -> Result<HttpRequest> {
    let client = match Client::try_from(config) {
        Ok(client) => client,
        Err(error) => {
            request.wipe();
            return Err(error);
        }
    };
    let context_data = match context_data {
        Some(data) => Some((data.into(), system_now()?)),
        None => None,
    };
    let mut extras = Extras {
        client_metadata: sorted(client_metadata),
        context_data,
    };
    let operation = request.operation_name();
    let built = build(&client, request, &mut extras)?;
    extras.all_taken(operation)?;
    Ok(HttpRequest::new(&client.endpoint, &built))
}

/// The core operation of `request`, with the extras it takes, and its request. Secrets move
/// into `SecretString` first.
fn build(
    client: &Client,
    request: AccountRequest,
    extras: &mut Extras,
) -> Result<cognito_auth_core::Request> {
    use core_account as A;
    match request {
        AccountRequest::SignUp {
            username,
            password,
            attributes,
            validation_data,
        } => {
            let mut operation = A::SignUp::new(&username, SecretString::from(password));
            for (name, value) in sorted(attributes) {
                operation = operation.attribute(&name, &value);
            }
            for (name, value) in sorted(validation_data) {
                operation = operation.validation_data(&name, &value);
            }
            for (name, value) in extras.client_metadata() {
                operation = operation.client_metadata(&name, &value);
            }
            if let Some((data, now)) = extras.context_data() {
                operation = operation.context_data(data, now);
            }
            core_request(client, &operation)
        }
        AccountRequest::ConfirmSignUp {
            username,
            confirmation_code,
            session,
            force_alias_creation,
        } => {
            let code = SecretString::from(confirmation_code);
            let session = session.map(SecretString::from);
            let mut operation = A::ConfirmSignUp::new(&username, code.expose())
                .force_alias_creation(force_alias_creation);
            if let Some(session) = &session {
                operation = operation.with_session(session.expose());
            }
            for (name, value) in extras.client_metadata() {
                operation = operation.client_metadata(&name, &value);
            }
            if let Some((data, now)) = extras.context_data() {
                operation = operation.context_data(data, now);
            }
            core_request(client, &operation)
        }
        AccountRequest::ResendConfirmationCode { username } => {
            let mut operation = A::ResendConfirmationCode::new(&username);
            if let Some((data, now)) = extras.context_data() {
                operation = operation.context_data(data, now);
            }
            core_request(client, &operation)
        }
        AccountRequest::ForgotPassword { username } => {
            let mut operation = A::ForgotPassword::new(&username);
            for (name, value) in extras.client_metadata() {
                operation = operation.client_metadata(&name, &value);
            }
            if let Some((data, now)) = extras.context_data() {
                operation = operation.context_data(data, now);
            }
            core_request(client, &operation)
        }
        AccountRequest::ConfirmForgotPassword {
            username,
            confirmation_code,
            new_password,
        } => {
            let code = SecretString::from(confirmation_code);
            let new_password = SecretString::from(new_password);
            let mut operation =
                A::ConfirmForgotPassword::new(&username, code.expose(), new_password);
            for (name, value) in extras.client_metadata() {
                operation = operation.client_metadata(&name, &value);
            }
            if let Some((data, now)) = extras.context_data() {
                operation = operation.context_data(data, now);
            }
            core_request(client, &operation)
        }
        AccountRequest::ChangePassword {
            access_token,
            previous_password,
            proposed_password,
        } => {
            let access_token = SecretString::from(access_token);
            let previous = previous_password.map(SecretString::from);
            let proposed = SecretString::from(proposed_password);
            let operation = match previous {
                Some(previous) => A::ChangePassword::new(access_token, previous, proposed),
                None => A::ChangePassword::first_password(access_token, proposed),
            };
            core_request(client, &operation)
        }
        AccountRequest::GetUser { access_token } => {
            core_request(client, &A::GetUser::new(SecretString::from(access_token)))
        }
        AccountRequest::UpdateUserAttributes {
            access_token,
            attributes,
        } => {
            let operation =
                A::UpdateUserAttributes::new(SecretString::from(access_token), sorted(attributes))
                    .with_client_metadata(extras.client_metadata());
            core_request(client, &operation)
        }
        AccountRequest::VerifyUserAttribute {
            access_token,
            attribute_name,
            code,
        } => {
            let access_token = SecretString::from(access_token);
            let code = SecretString::from(code);
            let operation =
                A::VerifyUserAttribute::new(access_token, &attribute_name, code.expose());
            core_request(client, &operation)
        }
        AccountRequest::GetUserAttributeVerificationCode {
            access_token,
            attribute_name,
        } => {
            let operation = A::GetUserAttributeVerificationCode::new(
                SecretString::from(access_token),
                &attribute_name,
            )
            .with_client_metadata(extras.client_metadata());
            core_request(client, &operation)
        }
        AccountRequest::SetUserMfaPreference {
            access_token,
            sms,
            totp,
            email,
        } => {
            let mut operation = A::SetUserMfaPreference::new(SecretString::from(access_token));
            for (mfa, setting) in [
                (CoreMfaType::Sms, sms),
                (CoreMfaType::Totp, totp),
                (CoreMfaType::Email, email),
            ] {
                if let Some(setting) = setting {
                    operation = operation.with(mfa, setting.into());
                }
            }
            core_request(client, &operation)
        }
        AccountRequest::AssociateSoftwareToken {
            access_token,
            username,
        } => {
            let operation =
                A::AssociateSoftwareToken::new(SecretString::from(access_token), &username);
            core_request(client, &operation)
        }
        AccountRequest::VerifySoftwareToken {
            access_token,
            code,
            friendly_device_name,
        } => {
            let access_token = SecretString::from(access_token);
            let code = SecretString::from(code);
            let mut operation = A::VerifySoftwareToken::new(access_token, code.expose());
            if let Some(name) = friendly_device_name {
                operation = operation.with_friendly_device_name(&name);
            }
            core_request(client, &operation)
        }
        AccountRequest::GetTokensFromRefreshToken {
            refresh_token,
            device_key,
        } => {
            let mut operation =
                A::GetTokensFromRefreshToken::new(SecretString::from(refresh_token));
            if let Some(key) = device_key {
                operation = operation.with_device_key(&key);
            }
            for (name, value) in extras.client_metadata() {
                operation = operation.with_client_metadata(&name, &value);
            }
            core_request(client, &operation)
        }
        AccountRequest::RefreshTokenAuth {
            refresh_token,
            canonical_username,
            device_key,
        } => {
            let mut operation =
                A::RefreshTokenAuth::new(SecretString::from(refresh_token), &canonical_username);
            if let Some(key) = device_key {
                operation = operation.with_device_key(&key);
            }
            for (name, value) in extras.client_metadata() {
                operation = operation.with_client_metadata(&name, &value);
            }
            core_request(client, &operation)
        }
        AccountRequest::RevokeToken { refresh_token } => core_request(
            client,
            &A::RevokeToken::new(SecretString::from(refresh_token)),
        ),
        AccountRequest::GlobalSignOut { access_token } => core_request(
            client,
            &A::GlobalSignOut::new(SecretString::from(access_token)),
        ),
        AccountRequest::DeleteUser { access_token } => core_request(
            client,
            &A::DeleteUser::new(SecretString::from(access_token)),
        ),
        AccountRequest::ListDevices {
            access_token,
            limit,
            pagination_token,
        } => {
            let mut operation = A::ListDevices::new(SecretString::from(access_token));
            if let Some(limit) = limit {
                operation = operation.with_limit(limit)?;
            }
            if let Some(token) = pagination_token {
                operation = operation.with_pagination_token(&token);
            }
            core_request(client, &operation)
        }
        AccountRequest::ForgetDevice {
            access_token,
            device_key,
        } => core_request(
            client,
            &A::ForgetDevice::new(SecretString::from(access_token), &device_key),
        ),
        AccountRequest::UpdateDeviceStatus {
            access_token,
            device_key,
            remembered,
        } => core_request(
            client,
            &A::UpdateDeviceStatus::new(SecretString::from(access_token), &device_key, remembered),
        ),
        AccountRequest::StartWebAuthnRegistration { access_token } => core_request(
            client,
            &A::StartWebAuthnRegistration::new(SecretString::from(access_token)),
        ),
        AccountRequest::CompleteWebAuthnRegistration {
            access_token,
            credential,
        } => {
            let token = SecretString::from(access_token);
            check_registration(&credential)?;
            core_request(
                client,
                &A::CompleteWebAuthnRegistration::new(token, &credential),
            )
        }
        AccountRequest::ListWebAuthnCredentials {
            access_token,
            max_results,
            next_token,
        } => {
            let mut operation = A::ListWebAuthnCredentials::new(SecretString::from(access_token));
            if let Some(max_results) = max_results {
                operation = operation.with_max_results(max_results)?;
            }
            if let Some(next_token) = next_token {
                operation = operation.with_next_token(&next_token);
            }
            core_request(client, &operation)
        }
        AccountRequest::DeleteWebAuthnCredential {
            access_token,
            credential_id,
        } => core_request(
            client,
            &A::DeleteWebAuthnCredential::new(SecretString::from(access_token), &credential_id),
        ),
    }
}

/// The kind of `request`, for [`parse_account_response`] (the request itself, with its secrets,
/// need not be kept: they are wiped here).
#[uniffi::export]
pub fn account_request_kind(request: AccountRequest) -> AccountOperationKind {
    let kind = request.kind();
    request.wipe();
    kind
}

/// Reads the response (status, body, `x-amzn-ErrorType` header) to an operation of `kind`. A
/// refusal is thrown as `Service`, a body that is not Cognito's as `UnexpectedResponse`.
#[uniffi::export(default(error_type_header = None))]
pub fn parse_account_response(
    kind: AccountOperationKind,
    status: u16,
    body: Vec<u8>,
    error_type_header: Option<String>,
) -> Result<AccountResponse> {
    use AccountOperationKind as K;
    use core_account as A;
    let body = zeroize::Zeroizing::new(body);
    let response =
        HttpResponse::new(status, body.as_slice()).with_error_type(error_type_header.as_deref());
    let done = |result: core::result::Result<(), core_account::AccountError>| {
        result.map(|()| AccountResponse::Done)
    };
    let code_sent = |delivery: cognito_auth_core::wire::CodeDelivery| AccountResponse::CodeSent {
        delivery: delivery.into(),
    };
    let tokens = |result: cognito_auth_core::wire::AuthenticationResult| AccountResponse::Tokens {
        tokens: result.into(),
    };
    Ok(match kind {
        K::SignUp => AccountResponse::SignedUp {
            result: SignUpResult::from_core(A::SignUp::parse(response)?),
        },
        K::ConfirmSignUp => AccountResponse::SignUpConfirmed {
            result: ConfirmSignUpResult {
                session: A::ConfirmSignUp::parse(response)?.session,
            },
        },
        K::ResendConfirmationCode => code_sent(A::ResendConfirmationCode::parse(response)?),
        K::ForgotPassword => code_sent(A::ForgotPassword::parse(response)?),
        K::GetUserAttributeVerificationCode => {
            code_sent(A::GetUserAttributeVerificationCode::parse(response)?)
        }
        K::ConfirmForgotPassword => done(A::ConfirmForgotPassword::parse(response))?,
        K::ChangePassword => done(A::ChangePassword::parse(response))?,
        K::GetUser => AccountResponse::User {
            user: UserInfo::from_core(A::GetUser::parse(response)?),
        },
        K::UpdateUserAttributes => AccountResponse::CodesSent {
            deliveries: A::UpdateUserAttributes::parse(response)?
                .into_iter()
                .map(Into::into)
                .collect(),
        },
        K::VerifyUserAttribute => done(A::VerifyUserAttribute::parse(response))?,
        K::SetUserMfaPreference => done(A::SetUserMfaPreference::parse(response))?,
        K::AssociateSoftwareToken { username } => AccountResponse::TotpSetup {
            details: (&A::AssociateSoftwareToken::parse_for(&username, response)?).into(),
        },
        K::VerifySoftwareToken => done(A::VerifySoftwareToken::parse(response))?,
        K::GetTokensFromRefreshToken => tokens(A::GetTokensFromRefreshToken::parse(response)?),
        K::RefreshTokenAuth => tokens(A::RefreshTokenAuth::parse(response)?),
        K::RevokeToken => done(A::RevokeToken::parse(response))?,
        K::GlobalSignOut => done(A::GlobalSignOut::parse(response))?,
        K::DeleteUser => done(A::DeleteUser::parse(response))?,
        K::ListDevices => AccountResponse::Devices {
            page: DeviceList::from_core(A::ListDevices::parse(response)?),
        },
        K::ForgetDevice => done(A::ForgetDevice::parse(response))?,
        K::UpdateDeviceStatus => done(A::UpdateDeviceStatus::parse(response))?,
        K::StartWebAuthnRegistration => AccountResponse::PasskeyCreationOptions {
            options: A::StartWebAuthnRegistration::parse(response)?.into(),
        },
        K::CompleteWebAuthnRegistration => done(A::CompleteWebAuthnRegistration::parse(response))?,
        K::ListWebAuthnCredentials => AccountResponse::Passkeys {
            page: WebAuthnCredentialPage::from_core(A::ListWebAuthnCredentials::parse(response)?),
        },
        K::DeleteWebAuthnCredential => done(A::DeleteWebAuthnCredential::parse(response))?,
    })
}

// ---- what the responses hold ------------------------------------------------------------------

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
    /// For auto sign-in after confirmation (pass to `AccountRequest.ConfirmSignUp`).
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
    /// Confirm with the code sent (`AccountRequest.ConfirmSignUp`).
    ConfirmSignUp,
    /// Nothing: the user can sign in.
    Done,
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

/// One MFA type's setting in `AccountRequest.SetUserMfaPreference` (Amplify's `MFAPreference`).
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
    /// Pass to the next `AccountRequest.ListDevices` for more; `None` on the last page.
    pub pagination_token: Option<String>,
}

impl SignUpResult {
    fn from_core(result: core_account::SignUpResult) -> Self {
        Self {
            user_confirmed: result.user_confirmed,
            user_sub: result.user_sub,
            code_delivery: result.code_delivery.map(Into::into),
            session: result.session,
            next_step: match result.next_step {
                core_account::SignUpNextStep::ConfirmSignUp => SignUpNextStep::ConfirmSignUp,
                core_account::SignUpNextStep::Done => SignUpNextStep::Done,
            },
        }
    }
}

impl UserInfo {
    fn from_core(user: core_account::UserInfo) -> Self {
        Self {
            username: user.username,
            attributes: unsorted(user.attributes),
            mfa_preference: MfaPreference {
                enabled: MfaType::list(user.mfa.enabled),
                preferred: user.mfa.preferred.map(MfaType::from_core),
            },
        }
    }
}

impl DeviceList {
    fn from_core(list: core_account::DeviceList) -> Self {
        Self {
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
        }
    }
}

display_as_debug!(
    AccountRequest,
    AccountResponse,
    SignUpResult,
    ConfirmSignUpResult,
    UserInfo,
    DeviceInfo
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const TOKEN: &str = "access-token-secret";
    const REFRESH: &str = "refresh-token-secret";

    fn config() -> ClientConfig {
        ClientConfig {
            user_pool_id: "us-east-1_Abc123XyZ".into(),
            client_id: "2od40example".into(),
            client_secret: None,
            endpoint_url: None,
            allow_insecure_http: false,
        }
    }

    fn build(request: AccountRequest) -> Result<HttpRequest> {
        account_request(config(), request, HashMap::new(), None)
    }

    fn body(request: AccountRequest) -> Value {
        serde_json::from_str(&build(request).unwrap().body).unwrap()
    }

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Every operation once, with valid inputs, and the Cognito operation its request names.
    fn every_request() -> Vec<(AccountRequest, &'static str)> {
        let token = || TOKEN.to_owned();
        let credential = r#"{"id":"AQ","rawId":"AQ","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"o2Nm"}}"#;
        vec![
            (
                AccountRequest::SignUp {
                    username: "alice".into(),
                    password: "Sup3r-Secret-Pw!".into(),
                    attributes: map(&[("email", "alice@example.com")]),
                    validation_data: HashMap::new(),
                },
                "SignUp",
            ),
            (
                AccountRequest::ConfirmSignUp {
                    username: "alice".into(),
                    confirmation_code: "123456".into(),
                    session: Some("sign-up-session-secret".into()),
                    force_alias_creation: false,
                },
                "ConfirmSignUp",
            ),
            (
                AccountRequest::ResendConfirmationCode {
                    username: "alice".into(),
                },
                "ResendConfirmationCode",
            ),
            (
                AccountRequest::ForgotPassword {
                    username: "alice".into(),
                },
                "ForgotPassword",
            ),
            (
                AccountRequest::ConfirmForgotPassword {
                    username: "alice".into(),
                    confirmation_code: "123456".into(),
                    new_password: "N3w-Secret-Pw!".into(),
                },
                "ConfirmForgotPassword",
            ),
            (
                AccountRequest::ChangePassword {
                    access_token: token(),
                    previous_password: Some("Old-Secret-Pw!".into()),
                    proposed_password: "N3w-Secret-Pw!".into(),
                },
                "ChangePassword",
            ),
            (
                AccountRequest::GetUser {
                    access_token: token(),
                },
                "GetUser",
            ),
            (
                AccountRequest::UpdateUserAttributes {
                    access_token: token(),
                    attributes: map(&[("name", "Alice")]),
                },
                "UpdateUserAttributes",
            ),
            (
                AccountRequest::VerifyUserAttribute {
                    access_token: token(),
                    attribute_name: "email".into(),
                    code: "123456".into(),
                },
                "VerifyUserAttribute",
            ),
            (
                AccountRequest::GetUserAttributeVerificationCode {
                    access_token: token(),
                    attribute_name: "email".into(),
                },
                "GetUserAttributeVerificationCode",
            ),
            (
                AccountRequest::SetUserMfaPreference {
                    access_token: token(),
                    sms: None,
                    totp: Some(MfaPreferenceSetting::Preferred),
                    email: Some(MfaPreferenceSetting::Disabled),
                },
                "SetUserMFAPreference",
            ),
            (
                AccountRequest::AssociateSoftwareToken {
                    access_token: token(),
                    username: "alice".into(),
                },
                "AssociateSoftwareToken",
            ),
            (
                AccountRequest::VerifySoftwareToken {
                    access_token: token(),
                    code: "123456".into(),
                    friendly_device_name: Some("phone".into()),
                },
                "VerifySoftwareToken",
            ),
            (
                AccountRequest::GetTokensFromRefreshToken {
                    refresh_token: REFRESH.into(),
                    device_key: Some("us-east-1_d1".into()),
                },
                "GetTokensFromRefreshToken",
            ),
            (
                AccountRequest::RefreshTokenAuth {
                    refresh_token: REFRESH.into(),
                    canonical_username: "alice".into(),
                    device_key: None,
                },
                "InitiateAuth",
            ),
            (
                AccountRequest::RevokeToken {
                    refresh_token: REFRESH.into(),
                },
                "RevokeToken",
            ),
            (
                AccountRequest::GlobalSignOut {
                    access_token: token(),
                },
                "GlobalSignOut",
            ),
            (
                AccountRequest::DeleteUser {
                    access_token: token(),
                },
                "DeleteUser",
            ),
            (
                AccountRequest::ListDevices {
                    access_token: token(),
                    limit: Some(10),
                    pagination_token: None,
                },
                "ListDevices",
            ),
            (
                AccountRequest::ForgetDevice {
                    access_token: token(),
                    device_key: "us-east-1_d1".into(),
                },
                "ForgetDevice",
            ),
            (
                AccountRequest::UpdateDeviceStatus {
                    access_token: token(),
                    device_key: "us-east-1_d1".into(),
                    remembered: true,
                },
                "UpdateDeviceStatus",
            ),
            (
                AccountRequest::StartWebAuthnRegistration {
                    access_token: token(),
                },
                "StartWebAuthnRegistration",
            ),
            (
                AccountRequest::CompleteWebAuthnRegistration {
                    access_token: token(),
                    credential: credential.into(),
                },
                "CompleteWebAuthnRegistration",
            ),
            (
                AccountRequest::ListWebAuthnCredentials {
                    access_token: token(),
                    max_results: Some(20),
                    next_token: None,
                },
                "ListWebAuthnCredentials",
            ),
            (
                AccountRequest::DeleteWebAuthnCredential {
                    access_token: token(),
                    credential_id: "AQ".into(),
                },
                "DeleteWebAuthnCredential",
            ),
        ]
    }

    /// A success body for `kind` and whether `response` is the variant `kind` answers with.
    fn canned(kind: &AccountOperationKind) -> (Value, fn(&AccountResponse) -> bool) {
        use AccountOperationKind as K;
        use AccountResponse as R;
        let delivery = json!({"CodeDeliveryDetails": {"Destination": "a***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"}});
        let tokens = json!({"AuthenticationResult": {"AccessToken": "a.b.c", "ExpiresIn": 3600, "TokenType": "Bearer"}});
        match kind {
            K::SignUp => (
                json!({"UserConfirmed": true, "UserSub": "uuid-1"}),
                |r| matches!(r, R::SignedUp { result } if result.next_step == SignUpNextStep::Done),
            ),
            K::ConfirmSignUp => (
                json!({"Session": "s"}),
                |r| matches!(r, R::SignUpConfirmed { result } if result.session.as_deref() == Some("s")),
            ),
            K::ResendConfirmationCode | K::ForgotPassword | K::GetUserAttributeVerificationCode => {
                (
                    delivery,
                    |r| matches!(r, R::CodeSent { delivery } if delivery.attribute_name.as_deref() == Some("email")),
                )
            }
            K::UpdateUserAttributes => (
                json!({"CodeDeliveryDetailsList": [delivery["CodeDeliveryDetails"]]}),
                |r| matches!(r, R::CodesSent { deliveries } if deliveries.len() == 1),
            ),
            K::GetUser => (
                json!({"Username": "alice", "UserAttributes": [{"Name": "email", "Value": "a@e.com"}]}),
                |r| matches!(r, R::User { user } if user.username == "alice"),
            ),
            K::AssociateSoftwareToken { .. } => (
                json!({"SecretCode": "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"}),
                |r| {
                    matches!(r, R::TotpSetup { details } if details.username == "alice"
                        && details.shared_secret == "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ")
                },
            ),
            K::VerifySoftwareToken => (json!({"Status": "SUCCESS"}), |r| *r == R::Done),
            K::GetTokensFromRefreshToken | K::RefreshTokenAuth => (
                tokens,
                |r| matches!(r, R::Tokens { tokens } if tokens.access_token == "a.b.c"),
            ),
            K::ListDevices => (
                json!({"Devices": [{"DeviceKey": "us-east-1_d1"}], "PaginationToken": "p"}),
                |r| {
                    matches!(r, R::Devices { page } if page.devices.len() == 1
                        && page.pagination_token.as_deref() == Some("p"))
                },
            ),
            K::StartWebAuthnRegistration => (
                json!({"CredentialCreationOptions": {"challenge": "AAECAwQFBgcICQoLDA0ODw", "rp": {"name": "Example"}, "user": {"id": "AQID", "name": "alice", "displayName": "Alice"}, "pubKeyCredParams": [{"type": "public-key", "alg": -7}]}}),
                |r| matches!(r, R::PasskeyCreationOptions { options } if options.user_id == "AQID"),
            ),
            K::ListWebAuthnCredentials => (
                json!({"Credentials": [{"CredentialId": "AQ", "RelyingPartyId": "example.com"}], "NextToken": "n"}),
                |r| {
                    matches!(r, R::Passkeys { page } if page.credentials.len() == 1
                        && page.next_token.as_deref() == Some("n"))
                },
            ),
            K::ConfirmForgotPassword
            | K::ChangePassword
            | K::VerifyUserAttribute
            | K::SetUserMfaPreference
            | K::RevokeToken
            | K::GlobalSignOut
            | K::DeleteUser
            | K::ForgetDevice
            | K::UpdateDeviceStatus
            | K::CompleteWebAuthnRegistration
            | K::DeleteWebAuthnCredential => (json!({}), |r| *r == R::Done),
        }
    }

    #[test]
    fn every_operation_builds_names_its_kind_and_parses_its_answer() {
        let requests = every_request();
        assert_eq!(requests.len(), 25, "one entry per AccountRequest variant");
        let mut kinds = Vec::new();
        for (request, operation) in requests {
            let kind = request.kind();
            assert!(
                format!("{kind:?}").starts_with(request.operation_name()),
                "{kind:?} is not {}",
                request.operation_name()
            );
            assert_eq!(account_request_kind(request.clone()), kind);
            let http = build(request).unwrap();
            assert_eq!(http.operation, operation);
            let (body, expected) = canned(&kind);
            let response =
                parse_account_response(kind.clone(), 200, body.to_string().into_bytes(), None)
                    .unwrap();
            assert!(expected(&response), "{kind:?} answered {response:?}");
            // Every kind reads Cognito's refusals the same way.
            match parse_account_response(
                kind.clone(),
                400,
                br#"{"message":"Access Token has expired"}"#.to_vec(),
                Some("NotAuthorizedException".into()),
            ) {
                Err(CognitoAuthError::Service { code, .. }) => {
                    assert_eq!(code, "NotAuthorizedException");
                }
                other => panic!("{kind:?}: {other:?}"),
            }
            assert!(!kinds.contains(&kind), "{kind:?} twice");
            kinds.push(kind);
        }
    }

    /// A server that lies: a 200 whose body is not JSON (lie 0), is not an object (1), has
    /// none of the expected fields (2), or has them with the wrong types (3). Every kind whose
    /// answer carries data refuses lies 0, 1 and 3 as `UnexpectedResponse` (VerifySoftwareToken:
    /// a status other than SUCCESS is the code's refusal); lie 2 reads as an empty answer only
    /// where Cognito's fields are optional. No kind repeats the server's text (a marker in every
    /// body) in its error.
    #[test]
    fn every_kind_refuses_a_lying_answer_without_echoing_it() {
        const MARKER: &str = "SERVER-TEXT-e9b1";
        let lies = [
            format!("<html>{MARKER}</html>"),
            json!([MARKER]).to_string(),
            json!({"Unrelated": MARKER}).to_string(),
            json!({
                "Username": 7, "UserConfirmed": MARKER, "SecretCode": 7,
                "AuthenticationResult": MARKER, "Devices": MARKER, "Credentials": MARKER,
                "CredentialCreationOptions": MARKER, "CodeDeliveryDetails": MARKER,
                "CodeDeliveryDetailsList": MARKER, "Session": 7, "Status": MARKER,
            })
            .to_string(),
        ];
        let mut accepted = Vec::new();
        for (request, _) in every_request() {
            let kind = request.kind();
            let (canned_body, _) = canned(&kind);
            let answer_carries_data = canned_body != json!({});
            for (index, lie) in lies.iter().enumerate() {
                let result =
                    parse_account_response(kind.clone(), 200, lie.clone().into_bytes(), None);
                if let Err(error) = &result {
                    let shown = format!("{error} {error:?}");
                    assert!(
                        !shown.contains(MARKER),
                        "{kind:?} echoed the server: {shown}"
                    );
                }
                if answer_carries_data
                    && !matches!(result, Err(CognitoAuthError::UnexpectedResponse { .. }))
                {
                    accepted.push(format!("{kind:?} lie {index}: {result:?}"));
                }
            }
        }
        // What is not refused as UnexpectedResponse, and why: an object without the optional
        // fields reads as an empty answer (no session, no deliveries, an empty page: nothing
        // made up), and a `Status` other than SUCCESS is the code's refusal.
        assert_eq!(
            accepted,
            [
                "ConfirmSignUp lie 2: Ok(SignUpConfirmed { result: ConfirmSignUpResult { session: None } })",
                "UpdateUserAttributes lie 2: Ok(CodesSent { deliveries: [] })",
                "VerifySoftwareToken lie 3: Err(TotpSetupCodeRejected { reason: \"Cognito rejected the code for the new TOTP secret\" })",
                "ListDevices lie 2: Ok(Devices { page: DeviceList { devices: [], pagination_token: None } })",
                "ListWebAuthnCredentials lie 2: Ok(Passkeys { page: WebAuthnCredentialPage { credentials: [], next_token: None } })",
            ]
        );
    }

    #[test]
    fn request_bodies_are_the_wire_format() {
        assert_eq!(
            body(AccountRequest::SignUp {
                username: "alice".into(),
                password: "Sup3r-Secret-Pw!".into(),
                attributes: map(&[("email", "alice@example.com"), ("name", "Alice")]),
                validation_data: map(&[("invite", "x")]),
            }),
            json!({
                "ClientId": "2od40example",
                "Username": "alice",
                "Password": "Sup3r-Secret-Pw!",
                "UserAttributes": [
                    {"Name": "email", "Value": "alice@example.com"},
                    {"Name": "name", "Value": "Alice"},
                ],
                "ValidationData": [{"Name": "invite", "Value": "x"}],
            })
        );
        assert_eq!(
            body(AccountRequest::AssociateSoftwareToken {
                access_token: TOKEN.into(),
                username: "alice".into(),
            }),
            json!({"AccessToken": TOKEN})
        );
        assert_eq!(
            body(AccountRequest::SetUserMfaPreference {
                access_token: TOKEN.into(),
                sms: None,
                totp: Some(MfaPreferenceSetting::Preferred),
                email: None,
            }),
            json!({
                "AccessToken": TOKEN,
                "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
            })
        );
        let metadata = map(&[("b", "2"), ("a", "1")]);
        let refresh = account_request(
            config(),
            AccountRequest::GetTokensFromRefreshToken {
                refresh_token: REFRESH.into(),
                device_key: Some("us-east-1_d1".into()),
            },
            metadata.clone(),
            None,
        )
        .unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(&refresh.body).unwrap(),
            json!({
                "RefreshToken": REFRESH,
                "ClientId": "2od40example",
                "DeviceKey": "us-east-1_d1",
                "ClientMetadata": {"a": "1", "b": "2"},
            })
        );
    }

    #[test]
    fn extras_given_to_an_operation_that_takes_none_are_refused() {
        let get_user = || AccountRequest::GetUser {
            access_token: TOKEN.into(),
        };
        match account_request(config(), get_user(), map(&[("a", "1")]), None) {
            Err(CognitoAuthError::InvalidInput { what, reason }) => {
                assert_eq!(what, "client_metadata");
                assert!(reason.contains("GetUser"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let context = ContextData {
            version: crate::context_data::ContextDataVersion::Android,
            facts: crate::context_data::DeviceFacts::default(),
        };
        match account_request(config(), get_user(), HashMap::new(), Some(context)) {
            Err(CognitoAuthError::InvalidInput { what, .. }) => assert_eq!(what, "context_data"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn requests_print_no_secret() {
        for (request, _) in every_request() {
            let printed = format!("{request:?} {request} {request:#?}");
            for secret in [
                TOKEN,
                REFRESH,
                "Sup3r-Secret-Pw!",
                "N3w-Secret-Pw!",
                "Old-Secret-Pw!",
                "123456",
                "sign-up-session-secret",
                "alice@example.com",
                "clientDataJSON",
            ] {
                assert!(!printed.contains(secret), "{secret} in {printed}");
            }
            assert!(printed.contains(request.operation_name()), "{printed}");
        }
    }

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
