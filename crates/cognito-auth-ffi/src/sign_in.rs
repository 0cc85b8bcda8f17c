//! The sign-in: [`SignInSession`] (the core's `SignIn` behind a mutex), its inputs
//! ([`SignInCredentials`], [`ChallengeAnswer`]) and its outputs ([`SignInStep`]).
//!
//! ```text
//! session = SignInSession(config, credentials)
//! step = session.start()                               # SendRequest(InitiateAuth)
//! loop:
//!   SendRequest(request)   -> POST it; step = session.handle_response(status, body, error_type)
//!   ConfirmSignInWith...   -> ask the user; step = session.answer(ChallengeAnswer...)
//!   Done(result)           -> store the tokens (and the device); finished
//!   ConfirmSignUp / ResetPassword -> finished; run that account flow, then sign in again
//! ```

use core::fmt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cognito_auth_core::sign_in::{
    self as core_sign_in, HttpResponse, RestoreOptions as CoreRestoreOptions, SignIn,
};
use cognito_auth_core::{Endpoint, Request, SecretString};

use crate::context_data::ContextData;
#[cfg(feature = "testing")]
use crate::environment::test_entropy;
use crate::environment::{Clock, fresh_entropy, system_now};
use crate::error::{CognitoAuthError, Result};
use crate::types::{
    AuthTokens, Client, ClientConfig, CodeDeliveryDetails, FirstFactor, HttpRequest, MfaType,
    RememberedDevice, sorted, unsorted,
};

/// The keys of a map, sorted (its values may be private).
fn sorted_keys(map: &HashMap<String, String>) -> Vec<&str> {
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// Which sign-in flow to run.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`: the password never leaves the device (the default, what Amplify does).
    UserSrp,
    /// `USER_PASSWORD_AUTH`: the password is sent over TLS (for user-migration Lambdas).
    UserPassword,
    /// `CUSTOM_AUTH` starting with SRP password verification, then custom challenges.
    CustomWithSrp,
    /// `CUSTOM_AUTH` with custom challenges only (no password).
    CustomWithoutSrp,
    /// `USER_AUTH`: choice-based sign-in (passwordless, passkeys, password). Without
    /// `preferred`, Cognito offers the factors to choose from.
    UserAuth {
        /// `PREFERRED_CHALLENGE`. `Password` / `PasswordSrp` need the password.
        preferred: Option<FirstFactor>,
    },
    /// Auto sign-in after sign-up: `USER_AUTH` with the `session` that `ConfirmSignUp`
    /// returned. No password.
    AutoSignIn {
        /// `ConfirmSignUpResult.session`.
        sign_up_session: String,
    },
}

impl fmt::Debug for AuthFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UserSrp => f.write_str("UserSrp"),
            Self::UserPassword => f.write_str("UserPassword"),
            Self::CustomWithSrp => f.write_str("CustomWithSrp"),
            Self::CustomWithoutSrp => f.write_str("CustomWithoutSrp"),
            Self::UserAuth { preferred } => write!(f, "UserAuth({preferred:?})"),
            // The sign-up session stands in for a password here.
            Self::AutoSignIn { .. } => f.write_str("AutoSignIn(<redacted>)"),
        }
    }
}

/// Who signs in and how.
#[derive(Clone, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct SignInCredentials {
    /// What the user typed: username, email or phone number (a number typed with `+` is
    /// normalised to E.164).
    pub username: String,
    /// The flow.
    pub flow: AuthFlow,
    /// The password (flows with SRP or a password; not for `CustomWithoutSrp` / `AutoSignIn`).
    #[uniffi(default = None)]
    pub password: Option<String>,
    /// This user's remembered device, from an earlier sign-in's `DeviceOutcome.Confirmed`.
    #[uniffi(default = None)]
    pub device: Option<RememberedDevice>,
    /// The name to give this device if Cognito hands out a new one (shown in the device list).
    #[uniffi(default = None)]
    pub device_name: Option<String>,
    /// `ClientMetadata` for the pool's Lambda triggers, sent on the `InitiateAuth` and every
    /// `RespondToAuthChallenge` of this sign-in (kept across snapshot / restore). Printing the
    /// credentials shows its keys only.
    #[uniffi(default)]
    pub client_metadata: HashMap<String, String>,
}

impl fmt::Debug for SignInCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInCredentials")
            .field("username", &self.username)
            .field("flow", &self.flow)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("device", &self.device)
            .field("device_name", &self.device_name)
            .field("client_metadata", &sorted_keys(&self.client_metadata))
            .finish()
    }
}

impl SignInCredentials {
    /// The core's credentials. The password moves into a zeroizing `SecretString` first.
    fn into_core(self) -> Result<core_sign_in::Credentials> {
        let Self {
            username,
            flow,
            password,
            device,
            device_name,
            client_metadata,
        } = self;
        let password = password.map(SecretString::from);
        let device = device.map(core_sign_in::RememberedDevice::from);
        let need = |password: Option<SecretString>| {
            password.ok_or_else(|| {
                CognitoAuthError::invalid_input("password", "this flow needs the user's password")
            })
        };
        let mut credentials = match flow {
            AuthFlow::UserSrp => core_sign_in::Credentials::srp(&username, need(password)?),
            AuthFlow::UserPassword => {
                core_sign_in::Credentials::password(&username, need(password)?)
            }
            AuthFlow::CustomWithSrp => {
                core_sign_in::Credentials::custom_with_srp(&username, need(password)?)
            }
            AuthFlow::CustomWithoutSrp => core_sign_in::Credentials::custom(&username),
            AuthFlow::UserAuth { preferred } => {
                core_sign_in::Credentials::user_auth(&username, preferred.map(Into::into), password)
            }
            AuthFlow::AutoSignIn { sign_up_session } => {
                core_sign_in::Credentials::auto_sign_in(&username, &sign_up_session)
            }
        };
        if let Some(device) = device {
            credentials = credentials.with_device(device);
        }
        if let Some(name) = device_name {
            credentials = credentials.with_device_name(&name);
        }
        if !client_metadata.is_empty() {
            credentials = credentials.with_client_metadata(sorted(client_metadata));
        }
        Ok(credentials)
    }
}

/// The user's answer to a step. Each step takes exactly one kind (named in the step's
/// documentation); another kind is refused with `InvalidInput { what: "answer" }` and the step
/// stays open.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum ChallengeAnswer {
    /// For `ConfirmSignInWithSmsMfaCode`.
    SmsMfaCode {
        /// The code from the SMS.
        code: String,
    },
    /// For `ConfirmSignInWithTotpCode`.
    TotpCode {
        /// The 6 digits of the authenticator app.
        code: String,
    },
    /// For `ConfirmSignInWithOtp` (email or SMS one-time code).
    OtpCode {
        /// The code.
        code: String,
    },
    /// For `ContinueSignInWithMfaSelection`.
    SelectMfaType {
        /// One of the offered types.
        mfa_type: MfaType,
    },
    /// For `ContinueSignInWithMfaSetupSelection`.
    SelectMfaSetupType {
        /// TOTP or email.
        mfa_type: MfaType,
    },
    /// For `ContinueSignInWithTotpSetup`: the first code of the newly added authenticator.
    TotpSetupCode {
        /// The 6 digits.
        code: String,
        /// A name for the authenticator (shown later in `ConfirmSignInWithTotpCode`).
        friendly_device_name: Option<String>,
    },
    /// For `ContinueSignInWithEmailMfaSetup`.
    MfaEmailAddress {
        /// The address that will receive codes.
        email: String,
    },
    /// For `ConfirmSignInWithNewPassword`.
    NewPassword {
        /// The new password.
        password: String,
        /// Values for the required attributes (names without the `userAttributes.` prefix).
        attributes: HashMap<String, String>,
    },
    /// For `ConfirmSignInWithCustomChallenge`.
    CustomChallenge {
        /// The answer (sent as `ANSWER`).
        answer: String,
    },
    /// For `ContinueSignInWithFirstFactorSelection`.
    SelectFirstFactor {
        /// One of the offered factors.
        factor: FirstFactor,
    },
    /// For `ConfirmSignInWithPassword`.
    Password {
        /// The password.
        password: String,
    },
    /// For `ConfirmSignInWithWebAuthn`: the platform's `AuthenticationResponseJSON`.
    WebAuthnCredential {
        /// The JSON, verbatim.
        credential: String,
    },
}

impl fmt::Debug for ChallengeAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Choices are shown; codes, passwords, addresses and answers are not.
        match self {
            Self::SelectMfaType { mfa_type } => write!(f, "SelectMfaType({mfa_type:?})"),
            Self::SelectMfaSetupType { mfa_type } => {
                write!(f, "SelectMfaSetupType({mfa_type:?})")
            }
            Self::SelectFirstFactor { factor } => write!(f, "SelectFirstFactor({factor:?})"),
            other => write!(f, "{}(<redacted>)", other.kind()),
        }
    }
}

impl ChallengeAnswer {
    fn kind(&self) -> &'static str {
        match self {
            Self::SmsMfaCode { .. } => "SmsMfaCode",
            Self::TotpCode { .. } => "TotpCode",
            Self::OtpCode { .. } => "OtpCode",
            Self::SelectMfaType { .. } => "SelectMfaType",
            Self::SelectMfaSetupType { .. } => "SelectMfaSetupType",
            Self::TotpSetupCode { .. } => "TotpSetupCode",
            Self::MfaEmailAddress { .. } => "MfaEmailAddress",
            Self::NewPassword { .. } => "NewPassword",
            Self::CustomChallenge { .. } => "CustomChallenge",
            Self::SelectFirstFactor { .. } => "SelectFirstFactor",
            Self::Password { .. } => "Password",
            Self::WebAuthnCredential { .. } => "WebAuthnCredential",
        }
    }
}

impl From<ChallengeAnswer> for core_sign_in::ChallengeAnswer {
    fn from(answer: ChallengeAnswer) -> Self {
        match answer {
            ChallengeAnswer::SmsMfaCode { code } => Self::SmsMfaCode(code),
            ChallengeAnswer::TotpCode { code } => Self::TotpCode(code),
            ChallengeAnswer::OtpCode { code } => Self::OtpCode(code),
            ChallengeAnswer::SelectMfaType { mfa_type } => Self::SelectMfaType(mfa_type.into()),
            ChallengeAnswer::SelectMfaSetupType { mfa_type } => {
                Self::SelectMfaSetupType(mfa_type.into())
            }
            ChallengeAnswer::TotpSetupCode {
                code,
                friendly_device_name,
            } => Self::TotpSetupCode {
                code,
                friendly_device_name,
            },
            ChallengeAnswer::MfaEmailAddress { email } => Self::MfaEmailAddress(email),
            ChallengeAnswer::NewPassword {
                password,
                attributes,
            } => Self::NewPassword {
                password: SecretString::from(password),
                attributes: sorted(attributes).into_iter().collect(),
            },
            ChallengeAnswer::CustomChallenge { answer } => {
                Self::CustomChallenge(SecretString::from(answer))
            }
            ChallengeAnswer::SelectFirstFactor { factor } => Self::SelectFirstFactor(factor.into()),
            ChallengeAnswer::Password { password } => Self::Password(SecretString::from(password)),
            ChallengeAnswer::WebAuthnCredential { credential } => {
                Self::WebAuthnCredential(credential)
            }
        }
    }
}

/// TOTP setup during sign-in (`MFA_SETUP`): show `shared_secret` (base32, to type in) or the QR
/// code of `totp_setup_uri(details, app_name, None)`, then ask for the first code.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct TotpSetupDetails {
    /// The shared secret, base32. Secret: show it to the user only.
    pub shared_secret: String,
    /// The user's name (the default account name of the otpauth URI).
    pub username: String,
}

impl fmt::Debug for TotpSetupDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TotpSetupDetails")
            .field("shared_secret", &"<redacted>")
            .field("username", &self.username)
            .finish()
    }
}

impl From<&cognito_auth_core::TotpSetupDetails> for TotpSetupDetails {
    fn from(details: &cognito_auth_core::TotpSetupDetails) -> Self {
        Self {
            shared_secret: details.shared_secret().to_base32().expose().to_owned(),
            username: details.username().to_owned(),
        }
    }
}

/// What happened to the device at the end of a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum DeviceOutcome {
    /// No new device (no device tracking, or a remembered device was used).
    NoNewDevice,
    /// A new device was confirmed: store `device` for this user and pass it to the next
    /// sign-in. With `user_confirmation_necessary`, it is remembered only after
    /// `AccountRequest.UpdateDeviceStatus(..., remembered = true)`.
    Confirmed {
        /// Key, group key and device password.
        device: RememberedDevice,
        /// The pool lets the user choose whether to remember the device.
        user_confirmation_necessary: bool,
    },
    /// Cognito refused `ConfirmDevice` (the sign-in itself succeeded). Nothing to store.
    ConfirmFailed {
        /// The Cognito error code.
        code: String,
        /// Why.
        reason: String,
    },
}

impl From<core_sign_in::DeviceOutcome> for DeviceOutcome {
    fn from(outcome: core_sign_in::DeviceOutcome) -> Self {
        match outcome {
            core_sign_in::DeviceOutcome::Confirmed {
                device,
                user_confirmation_necessary,
            } => Self::Confirmed {
                device: device.into(),
                user_confirmation_necessary,
            },
            core_sign_in::DeviceOutcome::ConfirmFailed(error) => Self::ConfirmFailed {
                code: error.code().to_owned(),
                reason: error.to_string(),
            },
            core_sign_in::DeviceOutcome::ConfirmResponseMalformed(error) => Self::ConfirmFailed {
                code: "MalformedResponse".to_owned(),
                reason: error.to_string(),
            },
            core_sign_in::DeviceOutcome::NoNewDevice => Self::NoNewDevice,
        }
    }
}

/// A finished sign-in.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct SignInResult {
    /// The tokens.
    pub tokens: AuthTokens,
    /// The device, if Cognito handed out a new one.
    pub device: DeviceOutcome,
    /// The remembered device passed in no longer exists in Cognito: the sign-in went on
    /// without it. Delete it from storage.
    pub stale_device_forgotten: bool,
}

/// What to do next. Named like Amplify's `AuthSignInStep`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum SignInStep {
    /// Send this request, then pass the response to `handle_response`.
    SendRequest {
        /// The request.
        request: HttpRequest,
    },
    /// Ask for the code sent by SMS. Answer: `ChallengeAnswer.SmsMfaCode`.
    ConfirmSignInWithSmsMfaCode {
        /// Where it went.
        code_delivery: CodeDeliveryDetails,
    },
    /// Ask for the authenticator app's code. Answer: `ChallengeAnswer.TotpCode`.
    ConfirmSignInWithTotpCode {
        /// The name given to the authenticator at setup.
        friendly_device_name: Option<String>,
    },
    /// Ask for the one-time code sent by email or SMS. Answer: `ChallengeAnswer.OtpCode`.
    ConfirmSignInWithOtp {
        /// Where it went.
        code_delivery: CodeDeliveryDetails,
    },
    /// Let the user pick an MFA type. Answer: `ChallengeAnswer.SelectMfaType`.
    ContinueSignInWithMfaSelection {
        /// The choices, in Cognito's order.
        allowed_mfa_types: Vec<MfaType>,
    },
    /// MFA must be set up: let the user pick TOTP or email. Answer:
    /// `ChallengeAnswer.SelectMfaSetupType`.
    ContinueSignInWithMfaSetupSelection {
        /// The choices.
        allowed_mfa_types: Vec<MfaType>,
    },
    /// Set up an authenticator app: show the secret / QR code, then ask for its first code.
    /// Answer: `ChallengeAnswer.TotpSetupCode`.
    ContinueSignInWithTotpSetup {
        /// The secret and the username.
        totp_setup_details: TotpSetupDetails,
    },
    /// Set up email MFA: ask for the address. Answer: `ChallengeAnswer.MfaEmailAddress`.
    ContinueSignInWithEmailMfaSetup,
    /// The user must choose a new password (a user created by an administrator). Answer:
    /// `ChallengeAnswer.NewPassword`.
    ConfirmSignInWithNewPassword {
        /// Attributes to ask for as well (`name`, `email`, ...).
        required_attributes: Vec<String>,
        /// The user's current attributes.
        user_attributes: HashMap<String, String>,
    },
    /// The pool's Lambda asks something. Answer: `ChallengeAnswer.CustomChallenge`.
    ConfirmSignInWithCustomChallenge {
        /// The challenge's public parameters.
        parameters: HashMap<String, String>,
    },
    /// Let the user pick how to sign in. Answer: `ChallengeAnswer.SelectFirstFactor`.
    ContinueSignInWithFirstFactorSelection {
        /// The factors Cognito offers.
        available_factors: Vec<FirstFactor>,
    },
    /// Ask for the password. Answer: `ChallengeAnswer.Password`.
    ConfirmSignInWithPassword,
    /// Run the platform's passkey assertion with these options. Answer:
    /// `ChallengeAnswer.WebAuthnCredential`.
    ConfirmSignInWithWebAuthn {
        /// `PublicKeyCredentialRequestOptions` JSON, as Cognito sent it (= `options.json`).
        credential_request_options: String,
        /// The same options, checked and typed (base64url fields) for iOS.
        options: crate::passkey::PasskeyRequestOptions,
    },
    /// The user is not confirmed: run the sign-up confirmation (`AccountRequest.ConfirmSignUp`),
    /// then sign in again. The session is over.
    ConfirmSignUp {
        /// The username to confirm.
        username: String,
    },
    /// The password must be reset (`AccountRequest.ForgotPassword`, then
    /// `AccountRequest.ConfirmForgotPassword`), then sign in again. The session is over.
    ResetPassword {
        /// The username to reset.
        username: String,
    },
    /// Signed in. The session is over.
    Done {
        /// Tokens and device.
        result: SignInResult,
    },
}

impl SignInStep {
    fn from_user_step(step: core_sign_in::UserStep) -> Result<Self> {
        use core_sign_in::UserStep as U;
        Ok(match step {
            U::ConfirmSmsMfaCode { delivery } => Self::ConfirmSignInWithSmsMfaCode {
                code_delivery: delivery.into(),
            },
            U::ConfirmTotpCode {
                friendly_device_name,
            } => Self::ConfirmSignInWithTotpCode {
                friendly_device_name,
            },
            U::ConfirmOtpCode { delivery } => Self::ConfirmSignInWithOtp {
                code_delivery: delivery.into(),
            },
            U::SelectMfaType { allowed } => Self::ContinueSignInWithMfaSelection {
                allowed_mfa_types: MfaType::list(allowed),
            },
            U::SelectMfaSetup { allowed } => Self::ContinueSignInWithMfaSetupSelection {
                allowed_mfa_types: MfaType::list(allowed),
            },
            U::SetUpTotp { details } => Self::ContinueSignInWithTotpSetup {
                totp_setup_details: (&details).into(),
            },
            U::SetUpEmailMfa => Self::ContinueSignInWithEmailMfaSetup,
            U::NewPassword {
                required_attributes,
                user_attributes,
            } => Self::ConfirmSignInWithNewPassword {
                required_attributes,
                user_attributes: unsorted(user_attributes),
            },
            U::CustomChallenge { parameters } => Self::ConfirmSignInWithCustomChallenge {
                parameters: unsorted(parameters),
            },
            U::SelectFirstFactor { available } => Self::ContinueSignInWithFirstFactorSelection {
                available_factors: available.into_iter().map(FirstFactor::from_core).collect(),
            },
            U::ConfirmPassword => Self::ConfirmSignInWithPassword,
            U::WebAuthn { options } => Self::ConfirmSignInWithWebAuthn {
                credential_request_options: options.json().to_owned(),
                options: (*options).into(),
            },
            other => {
                return Err(CognitoAuthError::UnsupportedChallenge {
                    challenge: format!("{other:?}"),
                    reason: "a sign-in step newer than these bindings".to_owned(),
                });
            }
        })
    }

    fn from_core(step: core_sign_in::Step, endpoint: &Endpoint) -> Result<Self> {
        use core_sign_in::Step as S;
        Ok(match step {
            S::Send(request) => Self::SendRequest {
                request: HttpRequest::new(endpoint, &request),
            },
            S::Challenge(user_step) => Self::from_user_step(user_step)?,
            S::SignedIn(signed_in) => Self::Done {
                result: SignInResult {
                    tokens: signed_in.tokens.into(),
                    device: signed_in.device.into(),
                    stale_device_forgotten: signed_in.stale_device_forgotten,
                },
            },
            S::ConfirmSignUp { username } => Self::ConfirmSignUp { username },
            S::ResetPassword { username } => Self::ResetPassword { username },
            _ => {
                return Err(CognitoAuthError::UnexpectedResponse {
                    reason: "a sign-in outcome newer than these bindings".to_owned(),
                });
            }
        })
    }
}

/// What `SignInSession.restore` needs besides the snapshot.
#[derive(Clone, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct RestoreOptions {
    /// Refuse snapshots older than this many seconds: the app client's auth session validity
    /// (Cognito's default is 180 s, at most 900 s).
    #[uniffi(default = 180)]
    pub max_age_secs: u64,
    /// The remembered device, if the sign-in was started with one.
    #[uniffi(default = None)]
    pub device: Option<RememberedDevice>,
    /// The password, only if the flow may still need it (before a choice-based `PASSWORD` /
    /// `PASSWORD_SRP` step).
    #[uniffi(default = None)]
    pub password: Option<String>,
}

impl fmt::Debug for RestoreOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestoreOptions")
            .field("max_age_secs", &self.max_age_secs)
            .field("device", &self.device)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Where a sign-in is (`SignInSession.status`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct SignInStatus {
    /// The step waiting for the user's answer, if any.
    pub pending_step: Option<SignInStep>,
    /// Signed in, ended by `ConfirmSignUp` / `ResetPassword`, or failed.
    pub is_over: bool,
    /// The username requests carry now: Cognito's canonical name once it has named the user
    /// (keep it for `AccountRequest.RefreshTokenAuth`'s `SECRET_HASH`).
    pub username: String,
}

/// A saved sign-in (`SignInSession.snapshot`).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct SignInSnapshot {
    /// Pass to `SignInSession.restore`. Secret (holds Cognito's session).
    pub value: String,
    /// When it was taken (Unix seconds).
    pub taken_at: u64,
}

impl fmt::Debug for SignInSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInSnapshot")
            .field("value", &"<redacted>")
            .field("taken_at", &self.taken_at)
            .finish()
    }
}

/// The mutable part of a session.
struct State {
    flow: SignIn,
    /// `InitiateAuth`, until `start` hands it out.
    first_request: Option<Request>,
    clock: Clock,
    /// Created by a test-only constructor: `set_time_for_testing` is allowed.
    #[cfg_attr(
        not(feature = "testing"),
        expect(dead_code, reason = "read only by the test-only set_time_for_testing")
    )]
    for_testing: bool,
}

/// One sign-in, from `InitiateAuth` to tokens, without IO: it hands out requests
/// (`SignInStep.SendRequest`) and reads the responses the app got. Thread-safe; one call at a
/// time goes through.
#[derive(uniffi::Object)]
pub struct SignInSession {
    state: Mutex<State>,
    endpoint: Endpoint,
}

impl fmt::Debug for SignInSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInSession")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl SignInSession {
    fn started(
        config: ClientConfig,
        credentials: SignInCredentials,
        entropy: core_sign_in::Entropy,
        clock: Clock,
        for_testing: bool,
    ) -> Result<Arc<Self>> {
        Self::started_with(config, credentials, None, entropy, clock, for_testing)
    }

    fn started_with(
        config: ClientConfig,
        credentials: SignInCredentials,
        context_data: Option<ContextData>,
        entropy: core_sign_in::Entropy,
        clock: Clock,
        for_testing: bool,
    ) -> Result<Arc<Self>> {
        let credentials = match (credentials.into_core(), context_data) {
            (Ok(core), Some(data)) => Ok(core.with_context_data(data.into(), clock.now()?)),
            (result, _) => result,
        };
        let client = Client::try_from(config)?;
        let (flow, request) = SignIn::start(client.config, credentials?, entropy)?;
        Ok(Arc::new(Self {
            state: Mutex::new(State {
                flow,
                first_request: Some(request),
                clock,
                for_testing,
            }),
            endpoint: client.endpoint,
        }))
    }

    fn restored(
        config: ClientConfig,
        snapshot: &str,
        key: Option<&core_sign_in::SnapshotKey>,
        options: RestoreOptions,
        entropy: core_sign_in::Entropy,
        clock: Clock,
        for_testing: bool,
    ) -> Result<Arc<Self>> {
        let RestoreOptions {
            max_age_secs,
            device,
            password,
        } = options;
        let password = password.map(SecretString::from);
        let device = device.map(core_sign_in::RememberedDevice::from);
        let client = Client::try_from(config)?;
        let options = CoreRestoreOptions {
            now: clock.now()?,
            max_age_secs,
            entropy,
            device,
            password,
        };
        let flow = match key {
            Some(key) => SignIn::restore_sealed(client.config, snapshot, key, options)?,
            None => SignIn::restore(client.config, snapshot, options)?,
        };
        Ok(Arc::new(Self {
            state: Mutex::new(State {
                flow,
                first_request: None,
                clock,
                for_testing,
            }),
            endpoint: client.endpoint,
        }))
    }
}

#[uniffi::export]
impl SignInSession {
    /// Prepares a sign-in; `start` then gives the first request. Draws 32 random bytes from
    /// the operating system and reads the system clock at each call.
    ///
    /// Fails with `InvalidInput` for a bad config (`user_pool_id`, `client_id`,
    /// `endpoint_url`) or a missing password.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig, credentials: SignInCredentials) -> Result<Arc<Self>> {
        Self::started(config, credentials, fresh_entropy()?, Clock::System, false)
    }

    /// `new` with threat-protection context data: the `InitiateAuth` and every
    /// `RespondToAuthChallenge` carry `UserContextData`, each signed at the system time it is
    /// built. `InvalidInput` (`what = "context_data"`) when the encoded data would exceed
    /// Cognito's 131072 characters.
    #[uniffi::constructor]
    pub fn with_context_data(
        config: ClientConfig,
        credentials: SignInCredentials,
        context_data: ContextData,
    ) -> Result<Arc<Self>> {
        Self::started_with(
            config,
            credentials,
            Some(context_data),
            fresh_entropy()?,
            Clock::System,
            false,
        )
    }

    /// Sets (or with `None` removes) the context data the next `RespondToAuthChallenge`
    /// requests carry: a restored session has none until this is called.
    pub fn set_context_data(&self, context_data: Option<ContextData>) -> Result<()> {
        let mut state = self.state.lock()?;
        state.flow.set_context_data(context_data.map(Into::into));
        Ok(())
    }

    /// Rebuilds a sign-in from `snapshot()`'s string (the app was killed while the user read
    /// an SMS): it waits for the same step again, see `status().pending_step`. Fails with `Snapshot`
    /// (damaged, expired, another client) or `InvalidInput` (the device is needed).
    #[uniffi::constructor]
    pub fn restore(
        config: ClientConfig,
        snapshot: String,
        options: RestoreOptions,
    ) -> Result<Arc<Self>> {
        let snapshot = SecretString::from(snapshot);
        Self::restored(
            config,
            snapshot.expose(),
            None,
            options,
            fresh_entropy()?,
            Clock::System,
            false,
        )
    }

    /// `restore` for a snapshot taken with `snapshot_sealed`: the seal is checked with `key`
    /// first, so any edit of the stored snapshot is refused (`Snapshot`). A plain snapshot is
    /// refused too.
    #[uniffi::constructor]
    pub fn restore_sealed(
        config: ClientConfig,
        snapshot: String,
        key: Vec<u8>,
        options: RestoreOptions,
    ) -> Result<Arc<Self>> {
        let snapshot = SecretString::from(snapshot);
        let key = sealing_key(key)?;
        Self::restored(
            config,
            snapshot.expose(),
            Some(&key),
            options,
            fresh_entropy()?,
            Clock::System,
            false,
        )
    }

    /// The first step: `SendRequest` with `InitiateAuth`. Once only (`InvalidState` after);
    /// a restored session has no first request (see `status().pending_step`).
    pub fn start(&self) -> Result<SignInStep> {
        let mut state = self.state.lock()?;
        let request = state.first_request.take().ok_or_else(|| {
            CognitoAuthError::invalid_state(
                "start was already called (or the session was restored): send the last request or answer the pending step",
            )
        })?;
        Ok(SignInStep::SendRequest {
            request: HttpRequest::new(&self.endpoint, &request),
        })
    }

    /// Feeds the response to the request in flight: its HTTP status, its body and the value
    /// of its `x-amzn-ErrorType` header (if any). Returns the next step.
    ///
    /// A Cognito refusal comes back as `Service`; with `step_still_open` (a wrong code) the
    /// same step waits for a new answer, otherwise the session is over.
    pub fn handle_response(
        &self,
        status: u16,
        body: Vec<u8>,
        error_type_header: Option<String>,
    ) -> Result<SignInStep> {
        let mut state = self.state.lock()?;
        if state.first_request.is_some() {
            return Err(CognitoAuthError::invalid_state(
                "call start and send its request first",
            ));
        }
        let now = state.clock.now()?;
        // The body may hold tokens: wiped when dropped.
        let body = zeroize::Zeroizing::new(body);
        let response = HttpResponse::new(status, body.as_slice())
            .with_error_type(error_type_header.as_deref());
        let step = state.flow.handle_response(response, now)?;
        SignInStep::from_core(step, &self.endpoint)
    }

    /// Answers the step that waits (see each step for the answer it takes). Returns the next
    /// step, usually `SendRequest`.
    pub fn answer(&self, answer: ChallengeAnswer) -> Result<SignInStep> {
        let answer = core_sign_in::ChallengeAnswer::from(answer);
        let mut state = self.state.lock()?;
        let now = state.clock.now()?;
        let step = state.flow.answer(answer, now)?;
        SignInStep::from_core(step, &self.endpoint)
    }

    /// Where the sign-in is: the step waiting for the user (after `restore`, or to show it
    /// again), whether it is over, and the username requests carry now.
    pub fn status(&self) -> Result<SignInStatus> {
        let state = self.state.lock()?;
        Ok(SignInStatus {
            pending_step: state
                .flow
                .pending_step()
                .cloned()
                .map(SignInStep::from_user_step)
                .transpose()?,
            is_over: state.flow.is_over(),
            username: state.flow.username().to_owned(),
        })
    }

    /// Whether the sign-in is over (signed in, ended by `ConfirmSignUp` / `ResetPassword`, or
    /// failed).
    pub fn is_over(&self) -> Result<bool> {
        Ok(self.state.lock()?.flow.is_over())
    }

    /// Serialises the session while a step waits for the user, to survive the app being
    /// killed; `restore` takes `SignInSnapshot.value`. The value holds Cognito's session: store
    /// it like a token (Keychain / Keystore) and delete it once used. `InvalidState` if no step
    /// waits.
    pub fn snapshot(&self) -> Result<SignInSnapshot> {
        let state = self.state.lock()?;
        let now = state.clock.now()?;
        let snapshot = state.flow.snapshot(now)?;
        Ok(SignInSnapshot {
            value: snapshot.expose().to_owned(),
            taken_at: now.as_secs(),
        })
    }

    /// `snapshot`, sealed with the app's key (32 to 64 random bytes): `restore_sealed` with
    /// the same key refuses a snapshot edited in storage. Keep the key apart from the snapshot:
    /// on iOS a Keychain item (`kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`), on Android
    /// bytes generated once and wrapped with an Android Keystore AES-GCM key (or an HMAC key
    /// kept in the Keystore). `InvalidInput` for a key of another length.
    pub fn snapshot_sealed(&self, key: Vec<u8>) -> Result<SignInSnapshot> {
        let key = sealing_key(key)?;
        let state = self.state.lock()?;
        let now = state.clock.now()?;
        let snapshot = state.flow.snapshot_sealed(now, &key)?;
        Ok(SignInSnapshot {
            value: snapshot.expose().to_owned(),
            taken_at: now.as_secs(),
        })
    }
}

/// The app's snapshot key, wiped once wrapped.
fn sealing_key(mut key: Vec<u8>) -> Result<core_sign_in::SnapshotKey> {
    let wrapped = core_sign_in::SnapshotKey::new(&key);
    zeroize::Zeroize::zeroize(&mut key);
    wrapped.map_err(|error| CognitoAuthError::InvalidInput {
        what: "snapshot key".to_owned(),
        reason: error.to_string(),
    })
}

/// The test-only part of the API (cargo feature `testing`): fixed randomness and a settable
/// clock. Not in a shipped library: bindings/mobile-build.sh builds without the feature, and
/// scripts/test.sh checks that the mobile library exports no `*_for_testing` symbol. With a
/// fixed ephemeral, anyone who saw one SRP exchange could predict the next.
#[cfg(feature = "testing")]
#[uniffi::export]
impl SignInSession {
    /// **Test only**: a sign-in whose randomness and clock are fixed, for deterministic tests
    /// (known-answer SRP, canned responses). `entropy` is exactly 32 bytes (the same bytes
    /// always give the same SRP ephemeral); `unix_time` is the time every call sees until
    /// `set_time_for_testing` changes it. Never use this in an app: fixed randomness makes the
    /// SRP exchange predictable.
    #[uniffi::constructor]
    pub fn new_for_testing(
        config: ClientConfig,
        credentials: SignInCredentials,
        entropy: Vec<u8>,
        unix_time: u64,
    ) -> Result<Arc<Self>> {
        Self::started(
            config,
            credentials,
            test_entropy(entropy)?,
            Clock::Fixed(unix_time),
            true,
        )
    }

    /// **Test only**: `restore` with fixed randomness (32 bytes) and a fixed clock, like
    /// `new_for_testing`.
    #[uniffi::constructor]
    pub fn restore_for_testing(
        config: ClientConfig,
        snapshot: String,
        options: RestoreOptions,
        entropy: Vec<u8>,
        unix_time: u64,
    ) -> Result<Arc<Self>> {
        let snapshot = SecretString::from(snapshot);
        Self::restored(
            config,
            snapshot.expose(),
            None,
            options,
            test_entropy(entropy)?,
            Clock::Fixed(unix_time),
            true,
        )
    }

    /// **Test only**: sets the time the next calls see. `InvalidState` on a session not
    /// created by `new_for_testing` / `restore_for_testing`.
    pub fn set_time_for_testing(&self, unix_time: u64) -> Result<()> {
        let mut state = self.state.lock()?;
        if !state.for_testing {
            return Err(CognitoAuthError::invalid_state(
                "set_time_for_testing works only on sessions created for testing",
            ));
        }
        state.clock = Clock::Fixed(unix_time);
        Ok(())
    }
}

/// The current Unix time of the system clock, as the bindings read it.
#[uniffi::export]
pub fn unix_time_now() -> Result<u64> {
    Ok(system_now()?.as_secs())
}

display_as_debug!(
    AuthFlow,
    SignInCredentials,
    ChallengeAnswer,
    TotpSetupDetails,
    DeviceOutcome,
    SignInResult,
    SignInStep,
    RestoreOptions,
    SignInStatus,
    SignInSnapshot
);

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test fails by panicking"
    )]

    use std::collections::BTreeMap;

    use cognito_auth_core::sign_in::{MfaType as CoreMfa, UserStep};
    use cognito_auth_core::wire::CodeDelivery;

    use super::*;

    const SECRET: &str = "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ";

    #[test]
    fn every_user_step_has_an_amplify_style_step() {
        let delivery = CodeDelivery {
            destination: Some("+*******1212".into()),
            medium: Some("SMS".into()),
            attribute_name: Some("phone_number".into()),
        };
        let ffi_delivery = CodeDeliveryDetails {
            destination: Some("+*******1212".into()),
            delivery_medium: Some("SMS".into()),
            attribute_name: Some("phone_number".into()),
        };
        let map = BTreeMap::from([("email".to_owned(), "a@e.com".to_owned())]);
        let hash_map = HashMap::from([("email".to_owned(), "a@e.com".to_owned())]);
        let cases = [
            (
                UserStep::ConfirmSmsMfaCode {
                    delivery: delivery.clone(),
                },
                SignInStep::ConfirmSignInWithSmsMfaCode {
                    code_delivery: ffi_delivery.clone(),
                },
            ),
            (
                UserStep::ConfirmTotpCode {
                    friendly_device_name: Some("phone".into()),
                },
                SignInStep::ConfirmSignInWithTotpCode {
                    friendly_device_name: Some("phone".into()),
                },
            ),
            (
                UserStep::ConfirmOtpCode { delivery },
                SignInStep::ConfirmSignInWithOtp {
                    code_delivery: ffi_delivery,
                },
            ),
            (
                UserStep::SelectMfaType {
                    allowed: vec![CoreMfa::Sms, CoreMfa::Totp, CoreMfa::Email],
                },
                SignInStep::ContinueSignInWithMfaSelection {
                    allowed_mfa_types: vec![MfaType::Sms, MfaType::Totp, MfaType::Email],
                },
            ),
            (
                UserStep::SelectMfaSetup {
                    allowed: vec![CoreMfa::Totp, CoreMfa::Email],
                },
                SignInStep::ContinueSignInWithMfaSetupSelection {
                    allowed_mfa_types: vec![MfaType::Totp, MfaType::Email],
                },
            ),
            (
                UserStep::SetUpTotp {
                    details: cognito_auth_core::TotpSetupDetails::new(SECRET, "alice").unwrap(),
                },
                SignInStep::ContinueSignInWithTotpSetup {
                    totp_setup_details: TotpSetupDetails {
                        shared_secret: SECRET.into(),
                        username: "alice".into(),
                    },
                },
            ),
            (
                UserStep::SetUpEmailMfa,
                SignInStep::ContinueSignInWithEmailMfaSetup,
            ),
            (
                UserStep::NewPassword {
                    required_attributes: vec!["name".into()],
                    user_attributes: map.clone(),
                },
                SignInStep::ConfirmSignInWithNewPassword {
                    required_attributes: vec!["name".into()],
                    user_attributes: hash_map.clone(),
                },
            ),
            (
                UserStep::CustomChallenge { parameters: map },
                SignInStep::ConfirmSignInWithCustomChallenge {
                    parameters: hash_map,
                },
            ),
            (
                UserStep::SelectFirstFactor {
                    available: vec![
                        core_sign_in::FirstFactor::PasswordSrp,
                        core_sign_in::FirstFactor::EmailOtp,
                        core_sign_in::FirstFactor::WebAuthn,
                    ],
                },
                SignInStep::ContinueSignInWithFirstFactorSelection {
                    available_factors: vec![
                        FirstFactor::PasswordSrp,
                        FirstFactor::EmailOtp,
                        FirstFactor::WebAuthn,
                    ],
                },
            ),
            (
                UserStep::ConfirmPassword,
                SignInStep::ConfirmSignInWithPassword,
            ),
            (
                UserStep::WebAuthn {
                    options: Box::new(
                        cognito_auth_core::passkey::PasskeyRequestOptions::parse(
                            r#"{"challenge":"AAECAwQFBgcICQoLDA0ODw"}"#,
                        )
                        .unwrap(),
                    ),
                },
                SignInStep::ConfirmSignInWithWebAuthn {
                    credential_request_options: r#"{"challenge":"AAECAwQFBgcICQoLDA0ODw"}"#.into(),
                    options: crate::passkey::PasskeyRequestOptions {
                        json: r#"{"challenge":"AAECAwQFBgcICQoLDA0ODw"}"#.into(),
                        challenge: "AAECAwQFBgcICQoLDA0ODw".into(),
                        rp_id: None,
                        timeout_ms: None,
                        allow_credentials: Vec::new(),
                        user_verification: None,
                    },
                },
            ),
        ];
        for (core, ffi) in cases {
            assert_eq!(SignInStep::from_user_step(core).unwrap(), ffi);
        }
    }

    #[test]
    fn every_answer_becomes_the_core_answer_of_the_same_kind() {
        use core_sign_in::ChallengeAnswer as Core;
        let cases = [
            (
                ChallengeAnswer::SmsMfaCode { code: "1".into() },
                Core::SmsMfaCode("1".into()),
            ),
            (
                ChallengeAnswer::TotpCode { code: "2".into() },
                Core::TotpCode("2".into()),
            ),
            (
                ChallengeAnswer::OtpCode { code: "3".into() },
                Core::OtpCode("3".into()),
            ),
            (
                ChallengeAnswer::SelectMfaType {
                    mfa_type: MfaType::Email,
                },
                Core::SelectMfaType(CoreMfa::Email),
            ),
            (
                ChallengeAnswer::SelectMfaSetupType {
                    mfa_type: MfaType::Totp,
                },
                Core::SelectMfaSetupType(CoreMfa::Totp),
            ),
            (
                ChallengeAnswer::TotpSetupCode {
                    code: "4".into(),
                    friendly_device_name: None,
                },
                Core::TotpSetupCode {
                    code: "4".into(),
                    friendly_device_name: None,
                },
            ),
            (
                ChallengeAnswer::MfaEmailAddress {
                    email: "a@e.com".into(),
                },
                Core::MfaEmailAddress("a@e.com".into()),
            ),
            (
                ChallengeAnswer::NewPassword {
                    password: "pw".into(),
                    attributes: HashMap::from([
                        ("name".to_owned(), "Alice".to_owned()),
                        ("family_name".to_owned(), "Doe".to_owned()),
                    ]),
                },
                Core::NewPassword {
                    password: SecretString::new("pw"),
                    attributes: vec![
                        ("family_name".into(), "Doe".into()),
                        ("name".into(), "Alice".into()),
                    ],
                },
            ),
            (
                ChallengeAnswer::CustomChallenge {
                    answer: "42".into(),
                },
                Core::CustomChallenge(SecretString::new("42")),
            ),
            (
                ChallengeAnswer::SelectFirstFactor {
                    factor: FirstFactor::SmsOtp,
                },
                Core::SelectFirstFactor(core_sign_in::FirstFactor::SmsOtp),
            ),
            (
                ChallengeAnswer::Password {
                    password: "pw".into(),
                },
                Core::Password(SecretString::new("pw")),
            ),
            (
                ChallengeAnswer::WebAuthnCredential {
                    credential: "{}".into(),
                },
                Core::WebAuthnCredential("{}".into()),
            ),
        ];
        for (ffi, core) in cases {
            let kind = ffi.kind();
            let converted = core_sign_in::ChallengeAnswer::from(ffi);
            assert_eq!(converted, core);
            // One name per concept: the core and the bindings name each answer alike.
            assert_eq!(converted.kind(), kind);
        }
    }

    #[test]
    fn debug_hides_answers_passwords_and_secrets() {
        let printed = format!(
            "{:?} {:?} {:?} {:?} {:?}",
            ChallengeAnswer::TotpCode {
                code: "654321".into()
            },
            ChallengeAnswer::NewPassword {
                password: "hunter2".into(),
                attributes: HashMap::new()
            },
            ChallengeAnswer::SelectMfaType {
                mfa_type: MfaType::Totp
            },
            TotpSetupDetails {
                shared_secret: SECRET.into(),
                username: "alice".into()
            },
            SignInCredentials {
                username: "alice".into(),
                flow: AuthFlow::AutoSignIn {
                    sign_up_session: "session-secret".into()
                },
                password: Some("hunter3".into()),
                device: None,
                device_name: None,
                client_metadata: HashMap::from([("captcha".into(), "captcha-secret".into())]),
            },
        );
        for secret in [
            "654321",
            "hunter2",
            "hunter3",
            SECRET,
            "session-secret",
            "captcha-secret",
        ] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains("SelectMfaType(Totp)"), "{printed}");
    }

    #[test]
    fn flows_without_a_password_start_and_flows_with_one_require_it() {
        let config = || ClientConfig {
            user_pool_id: "us-east-1_Abc123XyZ".into(),
            client_id: "client".into(),
            client_secret: None,
            endpoint_url: None,
            allow_insecure_http: false,
        };
        let start = |flow: AuthFlow, password: Option<&str>| {
            let session = SignInSession::new_for_testing(
                config(),
                SignInCredentials {
                    username: "+1 (206) 555-1212".into(),
                    flow,
                    password: password.map(str::to_owned),
                    device: None,
                    device_name: None,
                    client_metadata: HashMap::new(),
                },
                vec![1; 32],
                1_800_000_000,
            )?;
            let SignInStep::SendRequest { request } = session.start()? else {
                panic!("start sends a request");
            };
            Ok::<_, CognitoAuthError>(request.body)
        };
        let custom = start(AuthFlow::CustomWithoutSrp, None).unwrap();
        assert!(custom.contains(r#""AuthFlow":"CUSTOM_AUTH""#), "{custom}");
        // A phone number typed with + goes out in E.164.
        assert!(custom.contains(r#""USERNAME":"+12065551212""#), "{custom}");
        let auto = start(
            AuthFlow::AutoSignIn {
                sign_up_session: "sess".into(),
            },
            None,
        )
        .unwrap();
        assert!(
            auto.contains(r#""AuthFlow":"USER_AUTH""#) && auto.contains("sess"),
            "{auto}"
        );
        let preferred = start(
            AuthFlow::UserAuth {
                preferred: Some(FirstFactor::EmailOtp),
            },
            None,
        )
        .unwrap();
        assert!(preferred.contains("EMAIL_OTP"), "{preferred}");
        let password = start(AuthFlow::UserPassword, Some("pw-1")).unwrap();
        assert!(password.contains("USER_PASSWORD_AUTH"), "{password}");
        for flow in [
            AuthFlow::UserSrp,
            AuthFlow::UserPassword,
            AuthFlow::CustomWithSrp,
        ] {
            assert!(matches!(
                start(flow, None),
                Err(CognitoAuthError::InvalidInput { what, .. }) if what == "password"
            ));
        }
    }
}
