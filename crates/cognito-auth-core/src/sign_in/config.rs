//! What a sign-in starts from: the app client, the user's credentials, randomness.

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt;

use hmac::Hmac;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::context_data::ContextData;
use crate::mac::hmac;
use crate::secret::SecretString;
use crate::srp::{EphemeralSecret, SrpError};
use crate::time::UnixTime;

/// A device remembered after an earlier sign-in (`NewDeviceMetadata` + the device password the
/// flow made up for `ConfirmDevice`). The app stores it securely per user and passes it to the
/// next sign-in, which then proves the device with device SRP and may skip MFA.
#[derive(Clone, PartialEq, Eq)]
pub struct RememberedDevice {
    /// `DeviceKey`, e.g. `us-east-1_5f1c2d3e-...`.
    pub device_key: String,
    /// `DeviceGroupKey`, e.g. `-Ab1cD2eF`.
    pub device_group_key: String,
    /// The device password. Secret: store it in the Keychain / Keystore.
    pub device_password: SecretString,
}

impl fmt::Debug for RememberedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberedDevice")
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("device_password", &self.device_password)
            .finish()
    }
}

/// The first factor a choice-based (`USER_AUTH`) sign-in asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
// Exhaustive on purpose: the bindings mirror this enum, and a new variant must be a
// compile error there, not a silent default.
pub enum FirstFactor {
    /// `PASSWORD`: the password itself is sent (TLS protects it).
    Password,
    /// `PASSWORD_SRP`: the password is proven with SRP.
    PasswordSrp,
    /// `EMAIL_OTP`: a code sent by email.
    EmailOtp,
    /// `SMS_OTP`: a code sent by SMS.
    SmsOtp,
    /// `WEB_AUTHN`: a passkey.
    WebAuthn,
}

impl FirstFactor {
    /// The wire name (`AvailableChallenges`, `PREFERRED_CHALLENGE`, `ANSWER`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "PASSWORD",
            Self::PasswordSrp => "PASSWORD_SRP",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
            Self::WebAuthn => "WEB_AUTHN",
        }
    }

    /// Reads a wire name or an Amplify spelling, case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Password,
            Self::PasswordSrp,
            Self::EmailOtp,
            Self::SmsOtp,
            Self::WebAuthn,
        ]
        .into_iter()
        .find(|factor| factor.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// Which `AuthFlow` to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`: the password never leaves the device (the default).
    UserSrp,
    /// `USER_PASSWORD_AUTH`: the password is sent over TLS (needed for user migration Lambdas).
    UserPassword,
    /// `CUSTOM_AUTH` starting with SRP (`CHALLENGE_NAME: SRP_A`), then custom challenges.
    CustomWithSrp,
    /// `CUSTOM_AUTH` with custom challenges only.
    CustomWithoutSrp,
    /// `USER_AUTH`: choice-based sign-in, optionally naming the preferred first factor.
    UserAuth {
        /// `PREFERRED_CHALLENGE`; without it Cognito offers `SELECT_CHALLENGE`.
        preferred: Option<FirstFactor>,
    },
}

/// Who signs in and how.
#[derive(Clone)]
pub struct Credentials {
    pub(crate) username: String,
    pub(crate) password: Option<SecretString>,
    pub(crate) flow: AuthFlow,
    pub(crate) device: Option<RememberedDevice>,
    pub(crate) device_name: Option<String>,
    pub(crate) sign_up_session: Option<String>,
    pub(crate) client_metadata: BTreeMap<String, String>,
    /// Threat-protection context data and the time of the `InitiateAuth`.
    pub(crate) context_data: Option<(ContextData, UnixTime)>,
}

impl Credentials {
    /// `USER_SRP_AUTH` with a password: the default, and what Amplify does.
    pub fn srp(username: &str, password: SecretString) -> Self {
        Self::with_flow(username, Some(password), AuthFlow::UserSrp)
    }

    /// `USER_PASSWORD_AUTH`.
    pub fn password(username: &str, password: SecretString) -> Self {
        Self::with_flow(username, Some(password), AuthFlow::UserPassword)
    }

    /// `CUSTOM_AUTH` preceded by SRP password verification.
    pub fn custom_with_srp(username: &str, password: SecretString) -> Self {
        Self::with_flow(username, Some(password), AuthFlow::CustomWithSrp)
    }

    /// `CUSTOM_AUTH` without a password.
    pub fn custom(username: &str) -> Self {
        Self::with_flow(username, None, AuthFlow::CustomWithoutSrp)
    }

    /// `USER_AUTH` (choice-based). With `preferred` = `Password` or `PasswordSrp` a password is
    /// required; for the other factors it is not used. Without `preferred`, Cognito answers with
    /// the factors to choose from.
    pub fn user_auth(
        username: &str,
        preferred: Option<FirstFactor>,
        password: Option<SecretString>,
    ) -> Self {
        Self::with_flow(username, password, AuthFlow::UserAuth { preferred })
    }

    /// Auto sign-in after sign-up: `USER_AUTH` with the `Session` from `ConfirmSignUp`.
    pub fn auto_sign_in(username: &str, sign_up_session: &str) -> Self {
        let mut credentials =
            Self::with_flow(username, None, AuthFlow::UserAuth { preferred: None });
        credentials.sign_up_session = Some(String::from(sign_up_session));
        credentials
    }

    /// Adds the remembered device of this user: `DEVICE_KEY` is sent and device SRP answered.
    pub fn with_device(mut self, device: RememberedDevice) -> Self {
        self.device = Some(device);
        self
    }

    /// Names this device (`DeviceName` in `ConfirmDevice`, shown in the user's device list)
    /// if Cognito hands out a new device during this sign-in.
    pub fn with_device_name(mut self, name: &str) -> Self {
        self.device_name = Some(String::from(name));
        self
    }

    /// Sends threat-protection context data (`UserContextData.EncodedData`) on the
    /// `InitiateAuth` and on every `RespondToAuthChallenge` of this sign-in, each signed at its
    /// own time: `now` for the `InitiateAuth` built by [`SignIn::start`](super::SignIn::start),
    /// then the `now` passed to the call that builds each later request. A sign-in restored
    /// from a snapshot has none until [`SignIn::set_context_data`](super::SignIn::set_context_data).
    ///
    /// ```
    /// use cognito_auth_core::context_data::{ContextData, ContextDataVersion, DeviceFacts, format_timezone};
    /// use cognito_auth_core::sign_in::{ClientConfig, Credentials, Entropy, SignIn};
    /// use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
    ///
    /// let version = ContextDataVersion::Android;
    /// let facts = DeviceFacts {
    ///     device_name: Some("Pixel 8".into()),
    ///     device_id: Some("4c3a9f9e-0b7e-4d39-9a1e-3a1f3c1d2b7a:1790000000000".into()),
    ///     client_timezone: Some(format_timezone(-25_200, version.timezone_style())), // "-07:00"
    ///     ..DeviceFacts::default()
    /// };
    /// let credentials = Credentials::srp("alice", SecretString::new("Correct-Horse-9!"))
    ///     .with_context_data(ContextData::new(version, facts), UnixTime::from_secs(1_800_000_000));
    /// let config = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
    /// let (_flow, request) = SignIn::start(config, credentials, Entropy::from_bytes([7; 32]))?;
    /// assert!(request.body().contains(r#""UserContextData":{"EncodedData":"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_context_data(mut self, data: ContextData, now: UnixTime) -> Self {
        self.context_data = Some((data, now));
        self
    }

    /// Sends `ClientMetadata` (key → value, for the pool's Lambda triggers) on the
    /// `InitiateAuth` and on every `RespondToAuthChallenge` of this sign-in, as Amplify does.
    /// Cognito hands it to the triggers of each call: on `InitiateAuth` to pre sign-up, pre
    /// authentication and user migration (as `validationData`); on `RespondToAuthChallenge` to
    /// post authentication, pre token generation and the define / create / verify auth
    /// challenge triggers. It survives a [snapshot](super::SignIn::snapshot). Later calls
    /// replace the whole map; an empty map sends nothing.
    ///
    /// ```
    /// use cognito_auth_core::sign_in::Credentials;
    /// use cognito_auth_core::SecretString;
    ///
    /// let credentials = Credentials::custom("alice")
    ///     .with_client_metadata([("captcha", "03AGdBq2"), ("app_version", "4.2")]);
    /// assert!(!format!("{credentials:?}").contains("03AGdBq2"), "values are not shown");
    /// ```
    pub fn with_client_metadata<K: AsRef<str>, V: AsRef<str>>(
        mut self,
        metadata: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.client_metadata = metadata
            .into_iter()
            .map(|(key, value)| (String::from(key.as_ref()), String::from(value.as_ref())))
            .collect();
        self
    }

    fn with_flow(username: &str, password: Option<SecretString>, flow: AuthFlow) -> Self {
        Self {
            username: String::from(username),
            password,
            flow,
            device: None,
            device_name: None,
            sign_up_session: None,
            client_metadata: BTreeMap::new(),
            context_data: None,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("flow", &self.flow)
            .field("device", &self.device)
            .field("device_name", &self.device_name)
            .field(
                "sign_up_session",
                &self.sign_up_session.as_ref().map(|_| "<session>"),
            )
            .field(
                "client_metadata",
                &self.client_metadata.keys().collect::<alloc::vec::Vec<_>>(),
            )
            .field(
                "context_data",
                &self.context_data.as_ref().map(|(data, _)| data.version()),
            )
            .finish()
    }
}

/// Randomness for one sign-in: 32 bytes from the platform's CSPRNG, drawn by the caller.
///
/// The core draws no randomness. Every secret a sign-in may need (the SRP ephemeral of the
/// password exchange, a second one for device SRP, the device password and salt of
/// `ConfirmDevice`) is derived from these bytes with HMAC-SHA256 under a distinct label, so one
/// draw per sign-in (and one per restore) suffices. Zeroized on drop.
#[derive(Clone)]
pub struct Entropy(Zeroizing<[u8; 32]>);

impl Entropy {
    /// Wraps 32 random bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// `len` bytes for `label` (at most 32 × 255).
    pub(crate) fn derive(&self, label: &str, len: usize) -> Zeroizing<alloc::vec::Vec<u8>> {
        let mut out = Zeroizing::new(alloc::vec::Vec::with_capacity(len + 32));
        let mut counter: u8 = 1;
        while out.len() < len {
            let block = hmac::<Hmac<Sha256>>(&self.0[..], &[label.as_bytes(), &[counter]]);
            out.extend_from_slice(&block);
            counter = counter.wrapping_add(1);
        }
        out.truncate(len);
        out
    }

    /// `N` bytes for `label`, as an array (the device salt).
    pub(crate) fn derive_array<const N: usize>(&self, label: &str) -> Zeroizing<[u8; N]> {
        let mut out = Zeroizing::new([0u8; N]);
        for (slot, byte) in out.iter_mut().zip(self.derive(label, N).iter()) {
            *slot = *byte;
        }
        out
    }

    /// A fresh SRP ephemeral (32 bytes) for the exchange named `label`.
    pub(crate) fn srp_ephemeral(&self, label: &str) -> Result<EphemeralSecret, SrpError> {
        EphemeralSecret::from_bytes(&self.derive(label, EphemeralSecret::RECOMMENDED_LEN))
    }
}

impl fmt::Debug for Entropy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Entropy(<redacted>)")
    }
}
