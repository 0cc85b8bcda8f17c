//! The signed-in user's MFA: `SetUserMFAPreference`, and TOTP setup after sign-in
//! (`AssociateSoftwareToken`, `VerifySoftwareToken`; Amplify's `setUpTOTP` / `verifyTOTPSetup`).
//!
//! Setting up TOTP takes three calls:
//!
//! 1. [`AssociateSoftwareToken`] gives a new secret as [`TotpSetupDetails`]: show
//!    [`TotpSetupDetails::setup_uri`] as a QR code (or the base32 secret to type in).
//! 2. [`VerifySoftwareToken`] with the first code the authenticator app shows registers it.
//! 3. [`SetUserMfaPreference`] with TOTP enabled (and preferred, if the user wants) turns it on
//!    for sign-in: Cognito does not enable a verified token by itself.
//!
//! TOTP must be enabled in the user pool's MFA configuration; otherwise Cognito answers
//! `SoftwareTokenMFANotFoundException` (see [`ServiceError::backend_hint`]).
//!
//! [`ServiceError::backend_hint`]: crate::wire::ServiceError::backend_hint

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::checked_code;
use super::user::access_token_body;
use super::{AccountError, AccountOperation, request_from, required, success_body};
use crate::client::{ClientConfig, MfaType};
use crate::secret::SecretString;
use crate::totp::TotpSetupDetails;
use crate::wire::take;
use crate::wire::{HttpResponse, Operation, Request, ResponseError, require_string, take_string};

/// The MFA types a user has enabled and the one they prefer, from [`GetUser`](super::GetUser):
/// Amplify's `fetchMFAPreference`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MfaPreference {
    /// `UserMFASettingList`, in Cognito's order. Types the core does not know are left out.
    pub enabled: Vec<MfaType>,
    /// `PreferredMfaSetting`: the type Cognito asks for at sign-in when several are enabled.
    /// With several enabled and none preferred, sign-in asks the user to choose.
    pub preferred: Option<MfaType>,
}

impl MfaPreference {
    /// Takes `UserMFASettingList` and `PreferredMfaSetting` out of a `GetUser` body.
    pub(super) fn from_get_user(body: &mut Map<String, Value>) -> Result<Self, ResponseError> {
        const LIST: &str = "UserMFASettingList";
        let mut enabled = Vec::new();
        match take(body, LIST) {
            None => {}
            Some(Value::Array(items)) => {
                for item in items {
                    let Value::String(name) = item else {
                        return Err(ResponseError::FieldHasWrongType { field: LIST });
                    };
                    if let Some(mfa) = MfaType::parse(&name)
                        && !enabled.contains(&mfa)
                    {
                        enabled.push(mfa);
                    }
                }
            }
            Some(_) => return Err(ResponseError::FieldHasWrongType { field: LIST }),
        }
        let preferred = take_string(body, "PreferredMfaSetting")?
            .as_deref()
            .and_then(MfaType::parse);
        Ok(Self { enabled, preferred })
    }
}

/// One MFA type's setting in [`SetUserMfaPreference`]: `Enabled` and `PreferredMfa` on the
/// wire. A preferred type must be enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MfaSetting {
    /// Cognito asks for this type at sign-in.
    pub enabled: bool,
    /// This is the type Cognito asks for when several are enabled.
    pub preferred: bool,
}

impl MfaSetting {
    /// Turned off (Amplify: `DISABLED`).
    pub const DISABLED: Self = Self {
        enabled: false,
        preferred: false,
    };
    /// Turned on, not preferred (Amplify: `NOT_PREFERRED`; this also takes back a preference
    /// for the type).
    pub const ENABLED: Self = Self {
        enabled: true,
        preferred: false,
    };
    /// Turned on and preferred (Amplify: `PREFERRED`).
    pub const PREFERRED: Self = Self {
        enabled: true,
        preferred: true,
    };
}

/// `SetUserMFAPreference`: turns the signed-in user's SMS, TOTP and email MFA on or off and
/// picks the preferred one. Only the types given are sent; Cognito leaves the others as they
/// are.
///
/// Refused before sending: nothing set ([`AccountError::EmptyField`]), a type preferred but
/// not enabled ([`AccountError::PreferredMfaNotEnabled`]), more than one type preferred
/// ([`AccountError::MoreThanOnePreferredMfa`]). Cognito refuses TOTP before
/// [`VerifySoftwareToken`] succeeded, SMS without a `phone_number` and email without an
/// `email` (`InvalidParameterException`), and a type the pool does not offer.
///
/// ```
/// use cognito_auth_core::SecretString;
/// use cognito_auth_core::account::{AccountError, AccountOperation, MfaSetting, SetUserMfaPreference};
/// use cognito_auth_core::sign_in::{ClientConfig, MfaType};
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let token = SecretString::new("eyJraWQ.access.token");
/// let operation = SetUserMfaPreference::new(token.clone())
///     .with(MfaType::Totp, MfaSetting::PREFERRED)
///     .with(MfaType::Sms, MfaSetting::DISABLED);
/// assert_eq!(
///     operation.request(&client)?.body(),
///     r#"{"AccessToken":"eyJraWQ.access.token","SMSMfaSettings":{"Enabled":false,"PreferredMfa":false},"SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}}"#
/// );
/// operation.parse_response(HttpResponse::new(200, b"{}"))?;
///
/// let two = SetUserMfaPreference::new(token)
///     .with(MfaType::Totp, MfaSetting::PREFERRED)
///     .with(MfaType::Email, MfaSetting::PREFERRED);
/// assert_eq!(two.request(&client).unwrap_err(), AccountError::MoreThanOnePreferredMfa);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetUserMfaPreference {
    access_token: SecretString,
    sms: Option<MfaSetting>,
    totp: Option<MfaSetting>,
    email: Option<MfaSetting>,
}

impl SetUserMfaPreference {
    /// Nothing set yet: add each type with [`Self::with`].
    pub fn new(access_token: SecretString) -> Self {
        Self {
            access_token,
            sms: None,
            totp: None,
            email: None,
        }
    }

    /// The same, with `setting` for `mfa_type` (replacing an earlier one for that type).
    #[must_use]
    pub fn with(mut self, mfa_type: MfaType, setting: MfaSetting) -> Self {
        match mfa_type {
            MfaType::Sms => self.sms = Some(setting),
            MfaType::Totp => self.totp = Some(setting),
            MfaType::Email => self.email = Some(setting),
        }
        self
    }

    /// The settings given, with their wire names, in the body's (alphabetical) order.
    fn settings(&self) -> [(&'static str, Option<MfaSetting>); 3] {
        [
            ("EmailMfaSettings", self.email),
            ("SMSMfaSettings", self.sms),
            ("SoftwareTokenMfaSettings", self.totp),
        ]
    }
}

impl AccountOperation for SetUserMfaPreference {
    /// Nothing: the preferences are stored.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let mut body = access_token_body(&self.access_token)?;
        let given: Vec<(&'static str, MfaSetting)> = self
            .settings()
            .into_iter()
            .filter_map(|(name, setting)| Some((name, setting?)))
            .collect();
        if given.is_empty() {
            return Err(AccountError::EmptyField {
                field: "mfa_settings",
            });
        }
        if given.iter().any(|(_, s)| s.preferred && !s.enabled) {
            return Err(AccountError::PreferredMfaNotEnabled);
        }
        if given.iter().filter(|(_, s)| s.preferred).count() > 1 {
            return Err(AccountError::MoreThanOnePreferredMfa);
        }
        for (name, setting) in given {
            let mut members = Map::new();
            members.insert("Enabled".into(), setting.enabled.into());
            members.insert("PreferredMfa".into(), setting.preferred.into());
            body.insert(name.into(), Value::Object(members));
        }
        Ok(request_from(Operation::SetUserMFAPreference, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl SetUserMfaPreference {
    /// Reads `SetUserMfaPreference`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        success_body(response).map(drop)
    }
}

/// `AssociateSoftwareToken` with the access token: a new TOTP secret for the signed-in user
/// (Amplify's `setUpTOTP`). The output is the secret with `username`, which only names the
/// account in the authenticator app ([`TotpSetupDetails::setup_uri`]); Cognito does not see it.
///
/// Each call replaces the secret waiting for [`VerifySoftwareToken`]. A user who already has
/// TOTP keeps the old one until the new one is verified.
///
/// ```
/// use cognito_auth_core::SecretString;
/// use cognito_auth_core::account::{AccountOperation, AssociateSoftwareToken};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = AssociateSoftwareToken::new(SecretString::new("eyJraWQ.access.token"), "alice");
/// assert_eq!(operation.request(&client)?.body(), r#"{"AccessToken":"eyJraWQ.access.token"}"#);
///
/// let body = br#"{"SecretCode":"6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A"}"#;
/// let setup = operation.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(
///     setup.setup_uri("My App", None).expose(),
///     "otpauth://totp/My%20App:alice?secret=6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A&issuer=My%20App"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssociateSoftwareToken {
    access_token: SecretString,
    username: String,
}

impl AssociateSoftwareToken {
    /// For the signed-in user; `username` is the account name the setup URI shows (Amplify
    /// uses the username the user signed in with).
    pub fn new(access_token: SecretString, username: &str) -> Self {
        Self {
            access_token,
            username: String::from(username),
        }
    }
}

impl AccountOperation for AssociateSoftwareToken {
    /// The secret, ready for an authenticator app.
    type Output = TotpSetupDetails;

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let body = access_token_body(&self.access_token)?;
        required("username", &self.username)?;
        Ok(request_from(Operation::AssociateSoftwareToken, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<TotpSetupDetails, AccountError> {
        Self::parse_for(&self.username, response)
    }
}

impl AssociateSoftwareToken {
    /// Reads `AssociateSoftwareToken`'s response with `username` as the setup URI's account
    /// name: what [`AccountOperation::parse_response`] does, without keeping the access token.
    pub fn parse_for(
        username: &str,
        response: HttpResponse<'_>,
    ) -> Result<TotpSetupDetails, AccountError> {
        let mut body = success_body(response)?;
        let secret = SecretString::from(require_string(&mut body, "SecretCode")?);
        Ok(TotpSetupDetails::new(secret.expose(), username)?)
    }
}

/// `VerifySoftwareToken` with the access token: registers the authenticator app that
/// [`AssociateSoftwareToken`]'s secret went into, with its first code (Amplify's
/// `verifyTOTPSetup`). Enable TOTP afterwards with [`SetUserMfaPreference`].
///
/// A code that is not 4 to 10 digits is refused before sending. A wrong code is
/// [`AccountError::TotpSetupCodeRejected`] (`Status: ERROR`) or a service error
/// `CodeMismatchException` / `EnableSoftwareTokenMFAException`, depending on the server: ask for
/// the next code and verify again.
///
/// ```
/// use cognito_auth_core::SecretString;
/// use cognito_auth_core::account::{AccountError, AccountOperation, VerifySoftwareToken};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = VerifySoftwareToken::new(SecretString::new("eyJraWQ.access.token"), "123456")
///     .with_friendly_device_name("Alice's phone");
/// assert_eq!(
///     operation.request(&client)?.body(),
///     r#"{"AccessToken":"eyJraWQ.access.token","FriendlyDeviceName":"Alice's phone","UserCode":"123456"}"#
/// );
/// operation.parse_response(HttpResponse::new(200, br#"{"Status":"SUCCESS"}"#))?;
/// assert_eq!(
///     operation.parse_response(HttpResponse::new(200, br#"{"Status":"ERROR"}"#)),
///     Err(AccountError::TotpSetupCodeRejected)
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifySoftwareToken {
    access_token: SecretString,
    code: SecretString,
    friendly_device_name: Option<String>,
}

impl VerifySoftwareToken {
    /// Verifies `code`, the authenticator app's current code.
    pub fn new(access_token: SecretString, code: &str) -> Self {
        Self {
            access_token,
            code: SecretString::new(code),
            friendly_device_name: None,
        }
    }

    /// The same, naming the authenticator (`FriendlyDeviceName`; Cognito shows it in the
    /// `SOFTWARE_TOKEN_MFA` challenge). An empty name is not sent.
    #[must_use]
    pub fn with_friendly_device_name(mut self, name: &str) -> Self {
        self.friendly_device_name = Some(String::from(name));
        self
    }
}

impl AccountOperation for VerifySoftwareToken {
    /// Nothing: the authenticator is registered.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let mut body = access_token_body(&self.access_token)?;
        let code = checked_code(self.code.expose())?;
        if let Some(name) = self
            .friendly_device_name
            .as_deref()
            .filter(|name| !name.trim().is_empty())
        {
            body.insert("FriendlyDeviceName".into(), name.into());
        }
        body.insert("UserCode".into(), code.into());
        Ok(request_from(Operation::VerifySoftwareToken, body))
    }

    /// `Status: SUCCESS` is `Ok`; any other status is [`AccountError::TotpSetupCodeRejected`]
    /// (Cognito documents only `ERROR`); a missing status is a [`ResponseError`].
    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl VerifySoftwareToken {
    /// Reads `VerifySoftwareToken`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        let mut body = success_body(response)?;
        match require_string(&mut body, "Status")?.as_str() {
            "SUCCESS" => Ok(()),
            _ => Err(AccountError::TotpSetupCodeRejected),
        }
    }
}
