//! Resume after the app is killed: [`SignIn::snapshot`] and [`SignIn::restore`].
//!
//! A user who leaves the app to read an SMS code may come back to a new process. While a user
//! step waits, the flow serialises to an opaque, versioned string that the app stores (in the
//! Keychain or Keystore: it holds Cognito's session, and during TOTP setup the shared secret)
//! and restores into an equivalent flow within Cognito's session lifetime (3 minutes by
//! default, up to 15). It holds no password, no client secret and no SRP ephemeral.
//!
//! Two forms:
//! - plain, `cognito-auth-sign-in.v1.<base64url JSON>.<base64url first 12 bytes of SHA-256 of
//!   the JSON>`: the digest catches truncation and bit rot, not tampering;
//! - sealed with an app key ([`SignIn::snapshot_sealed`], [`SignIn::restore_sealed`]),
//!   `cognito-auth-sign-in-sealed.v1.<base64url JSON>.<base64url HMAC-SHA256(key, everything
//!   before the last dot)>`: an edit anywhere is refused ([`SnapshotError::SealMismatch`]).
//!   The key is the app's, 32 to 64 random bytes kept where the snapshot is not: on iOS a
//!   Keychain item (`kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`), on Android a key
//!   from the Android Keystore (an HMAC key there, or bytes wrapped by an AES-GCM Keystore key).
//!
//! Either way, [`SignIn::restore`] checks that the flow, the challenge and the step agree
//! with each other and with the [challenge policy](super::policy): an edited snapshot cannot
//! turn a `PASSWORD_SRP` step into `PASSWORD`, or an SRP flow into a password one.
//!
//! The JSON text, the decoded bytes and the parsed document are wiped after use.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Value, json};

use super::config::{AuthFlow, Entropy, FirstFactor, RememberedDevice};
use super::machine::{Context, Pending, SignIn, State, Waiting};
use super::policy::{self, FlowKind, Rule};
use super::step::UserStep;
use crate::client::{ClientConfig, MfaType};
use crate::envelope::{self, Document, EnvelopeError, SealingKey, VERSION};
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::totp::TotpSetupDetails;
use crate::wire::{ChallengeName, CodeDelivery};

/// The snapshot's prefixes (the format: [`crate::envelope`]).
const KIND: envelope::Kind = envelope::Kind {
    plain: "cognito-auth-sign-in",
    sealed: "cognito-auth-sign-in-sealed",
};

/// Why a snapshot could not be taken or restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SnapshotError {
    /// Snapshots exist only while a user step waits (not with a request in flight, not after
    /// the end).
    NoStepWaiting,
    /// Not a sign-in snapshot of this library (another prefix, or a version not written as
    /// `v` and a plain number).
    UnknownFormat,
    /// A snapshot of a version this library does not read.
    UnsupportedVersion {
        /// The version found.
        version: u64,
    },
    /// The snapshot was damaged (digest mismatch, bad base64, bad JSON, missing fields, a
    /// field of the wrong type).
    Corrupted,
    /// The flow, the challenge and the step do not agree (a step another challenge shows, a
    /// challenge the flow never accepts): the snapshot was edited.
    Inconsistent,
    /// A sealed snapshot whose seal does not verify: edited, or sealed with another key.
    SealMismatch,
    /// A sealed snapshot given to [`SignIn::restore`]: restore it with its key.
    SealedSnapshotNeedsKey,
    /// A plain snapshot given to [`SignIn::restore_sealed`]: with a key, only sealed
    /// snapshots are accepted (a plain one could have been edited).
    NotSealed,
    /// A sealing key shorter than 32 or longer than 64 bytes.
    KeyLength {
        /// Bytes given.
        len: usize,
    },
    /// Older than the caller's limit: Cognito's session has expired, start a new sign-in.
    Expired {
        /// Seconds since the snapshot was taken.
        age_secs: u64,
    },
    /// Taken later than `now`: the clock moved backwards, or the snapshot is not genuine.
    TakenInTheFuture,
    /// Taken for another user pool or app client.
    ClientMismatch,
    /// The sign-in used a remembered device; restore needs the same device again.
    DeviceRequired,
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoStepWaiting => {
                f.write_str("a snapshot can only be taken while a step waits for the user")
            }
            Self::UnknownFormat => f.write_str("not a cognito-auth sign-in snapshot"),
            Self::UnsupportedVersion { version } => {
                write!(
                    f,
                    "sign-in snapshot version {version} is not supported (this library reads {VERSION})"
                )
            }
            Self::Corrupted => f.write_str("the sign-in snapshot is damaged"),
            Self::Inconsistent => f.write_str(
                "the sign-in snapshot's flow, challenge and step do not agree: it was edited",
            ),
            Self::SealMismatch => f.write_str(
                "the sealed sign-in snapshot does not verify: it was edited or sealed with another key",
            ),
            Self::SealedSnapshotNeedsKey => {
                f.write_str("the sign-in snapshot is sealed: restore it with its key")
            }
            Self::NotSealed => f.write_str(
                "a sealing key was given but the sign-in snapshot is not sealed; it is refused",
            ),
            Self::KeyLength { len } => write!(
                f,
                "a snapshot sealing key has 32 to 64 bytes, this one has {len}"
            ),
            Self::Expired { age_secs } => {
                write!(
                    f,
                    "the sign-in snapshot is {age_secs} s old, past its expiry; sign in again"
                )
            }
            Self::TakenInTheFuture => f.write_str("the sign-in snapshot was taken later than now"),
            Self::ClientMismatch => {
                f.write_str("the sign-in snapshot belongs to another user pool or app client")
            }
            Self::DeviceRequired => {
                f.write_str("the sign-in snapshot needs the remembered device it was taken with")
            }
        }
    }
}

impl core::error::Error for SnapshotError {}

/// The app's key for sealing sign-in snapshots (HMAC-SHA256): 32 to 64 random bytes the app
/// keeps apart from the snapshot (Keychain / Android Keystore). Zeroized on drop; `Debug`
/// shows nothing.
#[derive(Clone)]
pub struct SnapshotKey(SealingKey);

impl SnapshotKey {
    /// Wraps the key bytes (32 to 64).
    pub fn new(key: &[u8]) -> Result<Self, SnapshotError> {
        SealingKey::new(key)
            .map(Self)
            .ok_or(SnapshotError::KeyLength { len: key.len() })
    }
}

impl fmt::Debug for SnapshotKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SnapshotKey(<redacted>)")
    }
}

impl From<EnvelopeError> for SnapshotError {
    fn from(error: EnvelopeError) -> Self {
        match error {
            EnvelopeError::UnknownFormat => Self::UnknownFormat,
            EnvelopeError::UnsupportedVersion { version } => Self::UnsupportedVersion { version },
            EnvelopeError::Corrupted => Self::Corrupted,
            EnvelopeError::SealMismatch => Self::SealMismatch,
            EnvelopeError::SealedNeedsKey => Self::SealedSnapshotNeedsKey,
            EnvelopeError::NotSealed => Self::NotSealed,
        }
    }
}

/// What [`SignIn::restore`] needs besides the snapshot.
pub struct RestoreOptions {
    /// The current time.
    pub now: UnixTime,
    /// Refuse snapshots older than this (seconds). Use the app client's `AuthSessionValidity`
    /// (180 s unless configured otherwise).
    pub max_age_secs: u64,
    /// Fresh randomness for the rest of the flow (device SRP, `ConfirmDevice`).
    pub entropy: Entropy,
    /// The remembered device, if the sign-in was started with one.
    pub device: Option<RememberedDevice>,
    /// The password, if the flow may still need it: only for a `USER_AUTH` sign-in waiting at
    /// `SelectFirstFactor` (the choice of `PASSWORD` / `PASSWORD_SRP`); ignored otherwise.
    pub password: Option<SecretString>,
}

impl SignIn {
    /// Serialises the flow while a user step waits. Store the result securely.
    pub fn snapshot(&self, now: UnixTime) -> Result<SecretString, SnapshotError> {
        Ok(envelope::encode(&KIND, self.snapshot_document(now)?, None))
    }

    /// [`SignIn::snapshot`], sealed with the app's key: [`SignIn::restore_sealed`] with the
    /// same key refuses any edit.
    pub fn snapshot_sealed(
        &self,
        now: UnixTime,
        key: &SnapshotKey,
    ) -> Result<SecretString, SnapshotError> {
        Ok(envelope::encode(
            &KIND,
            self.snapshot_document(now)?,
            Some(&key.0),
        ))
    }

    /// Rebuilds a flow from [`SignIn::snapshot`]'s string; it waits for the same step.
    pub fn restore(
        config: ClientConfig,
        snapshot: &str,
        options: RestoreOptions,
    ) -> Result<Self, SnapshotError> {
        let document = envelope::decode(&KIND, snapshot, None)?;
        Self::from_document(config, &document, options)
    }

    /// Rebuilds a flow from [`SignIn::snapshot_sealed`]'s string, checking the seal first.
    /// A plain snapshot is refused ([`SnapshotError::NotSealed`]).
    pub fn restore_sealed(
        config: ClientConfig,
        snapshot: &str,
        key: &SnapshotKey,
        options: RestoreOptions,
    ) -> Result<Self, SnapshotError> {
        let document = envelope::decode(&KIND, snapshot, Some(&key.0))?;
        Self::from_document(config, &document, options)
    }

    /// The JSON document of a snapshot.
    fn snapshot_document(&self, now: UnixTime) -> Result<Value, SnapshotError> {
        let State::Waiting(waiting) = &self.state else {
            return Err(SnapshotError::NoStepWaiting);
        };
        let context = &self.context;
        let mut document = json!({
            "saved_at": now.as_secs(),
            "user_pool_id": context.config.user_pool().as_str(),
            "client_id": context.config.client_id(),
            "typed_username": context.typed_username,
            "username": context.username,
            "session": context.session,
            "flow": flow_name(context.flow),
            "device_key": context.device.as_ref().map(|d| d.device_key.clone()),
            "device_name": context.device_name,
            "device_asked": context.device_asked,
            "stale_device": context.stale_device,
            "requests": context.requests,
            "challenge": waiting.pending.challenge.as_str(),
            "step": step_to_json(&waiting.pending.step),
        });
        // `ClientMetadata` only when the sign-in has some (older snapshots have none).
        if let (false, Value::Object(members)) = (context.client_metadata.is_empty(), &mut document)
        {
            let metadata = context
                .client_metadata
                .iter()
                .map(|(key, value)| (key.clone(), Value::from(value.as_str())))
                .collect();
            members.insert("client_metadata".into(), Value::Object(metadata));
        }
        Ok(document)
    }

    fn from_document(
        config: ClientConfig,
        document: &Document,
        options: RestoreOptions,
    ) -> Result<Self, SnapshotError> {
        let document = &document.0;
        let text = |key: &str| document.get(key).and_then(Value::as_str);
        let saved_at = document
            .get("saved_at")
            .and_then(Value::as_u64)
            .ok_or(SnapshotError::Corrupted)?;
        let now = options.now.as_secs();
        let age_secs = now
            .checked_sub(saved_at)
            .ok_or(SnapshotError::TakenInTheFuture)?;
        if age_secs > options.max_age_secs {
            return Err(SnapshotError::Expired { age_secs });
        }
        if text("user_pool_id") != Some(config.user_pool().as_str())
            || text("client_id") != Some(config.client_id())
        {
            return Err(SnapshotError::ClientMismatch);
        }
        // Optional members are absent or null when there is nothing; any other type is damage.
        let optional_text = |key: &str| match document.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.as_str())),
            Some(_) => Err(SnapshotError::Corrupted),
        };
        let optional_bool = |key: &str| match document.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(flag)) => Ok(*flag),
            Some(_) => Err(SnapshotError::Corrupted),
        };
        let requests = match document.get("requests") {
            None | Some(Value::Null) => 0,
            Some(value) => value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or(SnapshotError::Corrupted)?,
        };
        let stale_device = optional_bool("stale_device")?;
        let device_asked = optional_bool("device_asked")?;
        let session = optional_text("session")?.map(String::from);
        let device_name = optional_text("device_name")?.map(String::from);
        let client_metadata = match document.get("client_metadata") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Object(members)) => members
                .iter()
                .map(|(key, value)| match value {
                    Value::String(text) => Ok((key.clone(), text.clone())),
                    _ => Err(SnapshotError::Corrupted),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(SnapshotError::Corrupted),
        };
        let device = match optional_text("device_key")? {
            None => None,
            Some(key) => match options.device {
                Some(device) if device.device_key == key => Some(device),
                _ => return Err(SnapshotError::DeviceRequired),
            },
        };
        let flow = text("flow")
            .and_then(flow_from_name)
            .ok_or(SnapshotError::Corrupted)?;
        let pending = Pending {
            challenge: ChallengeName::parse(text("challenge").ok_or(SnapshotError::Corrupted)?),
            step: document
                .get("step")
                .and_then(step_from_json)
                .ok_or(SnapshotError::Corrupted)?,
        };
        if !agrees(flow, &pending) {
            return Err(SnapshotError::Inconsistent);
        }
        let password = match pending.step {
            UserStep::SelectFirstFactor { .. } => options.password,
            _ => None,
        };
        Ok(Self {
            context: Context {
                config,
                typed_username: String::from(
                    text("typed_username").ok_or(SnapshotError::Corrupted)?,
                ),
                username: String::from(text("username").ok_or(SnapshotError::Corrupted)?),
                session,
                flow,
                device,
                device_name,
                sign_up_session: None,
                client_metadata,
                entropy: options.entropy,
                srp_count: 0,
                requests,
                device_asked,
                stale_device,
                context_data: None,
                now: options.now,
            },
            state: State::Waiting(Waiting { pending, password }),
        })
    }
}

/// Whether a waiting step could have come from its challenge in this flow: the step is the
/// one that challenge shows, and the policy accepts the challenge in the flow somewhere.
fn agrees(flow: AuthFlow, pending: &Pending) -> bool {
    use ChallengeName as C;
    let step_fits = matches!(
        (&pending.step, &pending.challenge),
        (UserStep::ConfirmSmsMfaCode { .. }, C::SmsMfa)
            | (UserStep::ConfirmTotpCode { .. }, C::SoftwareTokenMfa)
            | (UserStep::ConfirmOtpCode { .. }, C::EmailOtp | C::SmsOtp)
            | (UserStep::SelectMfaType { .. }, C::SelectMfaType)
            | (
                UserStep::SelectMfaSetup { .. }
                    | UserStep::SetUpTotp { .. }
                    | UserStep::SetUpEmailMfa,
                C::MfaSetup,
            )
            | (UserStep::NewPassword { .. }, C::NewPasswordRequired)
            | (UserStep::CustomChallenge { .. }, C::CustomChallenge)
            | (UserStep::SelectFirstFactor { .. }, C::SelectChallenge)
            | (UserStep::ConfirmPassword, C::Password | C::PasswordSrp)
            | (UserStep::WebAuthn { .. }, C::WebAuthn)
    );
    let column = FlowKind::ALL
        .iter()
        .position(|kind| *kind == FlowKind::of(flow));
    let accepted = policy::TABLE
        .iter()
        .find(|(name, _)| *name == pending.challenge)
        .and_then(|(_, rules)| rules.get(column?))
        .is_some_and(|rule| *rule != Rule::No);
    step_fits && accepted
}

fn flow_name(flow: AuthFlow) -> String {
    match flow {
        AuthFlow::UserSrp => "USER_SRP_AUTH".into(),
        AuthFlow::UserPassword => "USER_PASSWORD_AUTH".into(),
        AuthFlow::CustomWithSrp => "CUSTOM_AUTH+SRP".into(),
        AuthFlow::CustomWithoutSrp => "CUSTOM_AUTH".into(),
        AuthFlow::UserAuth { preferred: None } => "USER_AUTH".into(),
        AuthFlow::UserAuth {
            preferred: Some(factor),
        } => alloc::format!("USER_AUTH+{}", factor.as_str()),
    }
}

fn flow_from_name(name: &str) -> Option<AuthFlow> {
    Some(match name {
        "USER_SRP_AUTH" => AuthFlow::UserSrp,
        "USER_PASSWORD_AUTH" => AuthFlow::UserPassword,
        "CUSTOM_AUTH+SRP" => AuthFlow::CustomWithSrp,
        "CUSTOM_AUTH" => AuthFlow::CustomWithoutSrp,
        "USER_AUTH" => AuthFlow::UserAuth { preferred: None },
        other => AuthFlow::UserAuth {
            preferred: Some(FirstFactor::parse(other.strip_prefix("USER_AUTH+")?)?),
        },
    })
}

fn delivery_json(delivery: &CodeDelivery) -> Value {
    json!({"destination": delivery.destination, "medium": delivery.medium,
        "attribute_name": delivery.attribute_name})
}

fn delivery_from(value: &Value) -> CodeDelivery {
    CodeDelivery {
        destination: value
            .get("destination")
            .and_then(Value::as_str)
            .map(String::from),
        medium: value
            .get("medium")
            .and_then(Value::as_str)
            .map(String::from),
        attribute_name: value
            .get("attribute_name")
            .and_then(Value::as_str)
            .map(String::from),
    }
}

fn names<T>(items: &[T], name: impl Fn(&T) -> &'static str) -> Vec<&'static str> {
    items.iter().map(name).collect()
}

fn step_to_json(step: &UserStep) -> Value {
    match step {
        UserStep::ConfirmSmsMfaCode { delivery } => {
            json!({"kind": "sms_mfa", "delivery": delivery_json(delivery)})
        }
        UserStep::ConfirmTotpCode {
            friendly_device_name,
        } => json!({"kind": "totp", "friendly_device_name": friendly_device_name}),
        UserStep::ConfirmOtpCode { delivery } => {
            json!({"kind": "otp", "delivery": delivery_json(delivery)})
        }
        UserStep::SelectMfaType { allowed } => {
            json!({"kind": "select_mfa", "allowed": names(allowed, |t| t.as_str())})
        }
        UserStep::SelectMfaSetup { allowed } => {
            json!({"kind": "select_mfa_setup", "allowed": names(allowed, |t| t.as_str())})
        }
        UserStep::SetUpTotp { details } => json!({
            "kind": "set_up_totp",
            "secret": details.shared_secret().to_base32().expose(),
            "username": details.username(),
        }),
        UserStep::SetUpEmailMfa => json!({"kind": "set_up_email_mfa"}),
        UserStep::NewPassword {
            required_attributes,
            user_attributes,
        } => json!({
            "kind": "new_password",
            "required_attributes": required_attributes,
            "user_attributes": user_attributes,
        }),
        UserStep::CustomChallenge { parameters } => {
            json!({"kind": "custom", "parameters": parameters})
        }
        UserStep::SelectFirstFactor { available } => {
            json!({"kind": "select_first_factor", "available": names(available, |f| f.as_str())})
        }
        UserStep::ConfirmPassword => json!({"kind": "password"}),
        UserStep::WebAuthn { options } => json!({"kind": "web_authn", "options": options.json()}),
    }
}

fn string_list(value: Option<&Value>) -> Option<Vec<String>> {
    value?
        .as_array()?
        .iter()
        .map(|item| item.as_str().map(String::from))
        .collect()
}

fn string_map(value: Option<&Value>) -> Option<BTreeMap<String, String>> {
    value?
        .as_object()?
        .iter()
        .map(|(key, item)| Some((key.clone(), String::from(item.as_str()?))))
        .collect()
}

fn step_from_json(value: &Value) -> Option<UserStep> {
    let delivery = || value.get("delivery").map(delivery_from).unwrap_or_default();
    let mfa_list = || -> Option<Vec<MfaType>> {
        string_list(value.get("allowed"))?
            .iter()
            .map(|name| MfaType::parse(name))
            .collect()
    };
    Some(match value.get("kind")?.as_str()? {
        "sms_mfa" => UserStep::ConfirmSmsMfaCode {
            delivery: delivery(),
        },
        "totp" => UserStep::ConfirmTotpCode {
            friendly_device_name: value
                .get("friendly_device_name")
                .and_then(Value::as_str)
                .map(String::from),
        },
        "otp" => UserStep::ConfirmOtpCode {
            delivery: delivery(),
        },
        "select_mfa" => UserStep::SelectMfaType {
            allowed: mfa_list()?,
        },
        "select_mfa_setup" => UserStep::SelectMfaSetup {
            allowed: mfa_list()?,
        },
        "set_up_totp" => UserStep::SetUpTotp {
            details: TotpSetupDetails::new(
                value.get("secret")?.as_str()?,
                value.get("username")?.as_str()?,
            )
            .ok()?,
        },
        "set_up_email_mfa" => UserStep::SetUpEmailMfa,
        "new_password" => UserStep::NewPassword {
            required_attributes: string_list(value.get("required_attributes"))?,
            user_attributes: string_map(value.get("user_attributes"))?,
        },
        "custom" => UserStep::CustomChallenge {
            parameters: string_map(value.get("parameters"))?,
        },
        "select_first_factor" => UserStep::SelectFirstFactor {
            available: string_list(value.get("available"))?
                .iter()
                .map(|name| FirstFactor::parse(name))
                .collect::<Option<Vec<_>>>()?,
        },
        "password" => UserStep::ConfirmPassword,
        "web_authn" => UserStep::WebAuthn {
            options: alloc::boxed::Box::new(
                crate::passkey::PasskeyRequestOptions::parse(value.get("options")?.as_str()?)
                    .ok()?,
            ),
        },
        _ => return None,
    })
}
