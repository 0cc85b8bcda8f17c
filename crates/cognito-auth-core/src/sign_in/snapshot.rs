//! Resume after the app is killed: [`SignIn::snapshot`] and [`SignIn::restore`].
//!
//! A user who leaves the app to read an SMS code may come back to a new process. While a user
//! step waits, the flow serialises to an opaque, versioned string that the app stores (in the
//! Keychain or Keystore: it holds Cognito's session, and during TOTP setup the shared secret)
//! and restores into an equivalent flow within Cognito's session lifetime (3 minutes by
//! default, up to 15). It holds no password, no client secret and no SRP ephemeral.
//!
//! Format: `cognito-auth-sign-in.v1.<base64url JSON>.<base64url first 12 bytes of SHA-256 of
//! the JSON>`. The digest catches truncation and bit rot, not tampering: the session inside
//! is what Cognito authenticates.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::config::{AuthFlow, ClientConfig, Entropy, FirstFactor, RememberedDevice};
use super::machine::{Pending, SignIn, State};
use super::step::{MfaType, UserStep};
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::totp::TotpSetupDetails;
use crate::wire::CodeDelivery;

const PREFIX: &str = "cognito-auth-sign-in";
const VERSION: u64 = 1;
const DIGEST_LEN: usize = 12;
/// Longest snapshot accepted (they are about 1 KB).
const MAX_LEN: usize = 64 * 1024;

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
    /// The password, if the flow may still need it (only before a choice-based `PASSWORD` /
    /// `PASSWORD_SRP` step; otherwise leave `None`).
    pub password: Option<SecretString>,
}

impl SignIn {
    /// Serialises the flow while a user step waits. Store the result securely.
    pub fn snapshot(&self, now: UnixTime) -> Result<SecretString, SnapshotError> {
        let State::Waiting(pending) = &self.state else {
            return Err(SnapshotError::NoStepWaiting);
        };
        let document = json!({
            "saved_at": now.as_secs(),
            "user_pool_id": self.config.user_pool().as_str(),
            "client_id": self.config.client_id(),
            "typed_username": self.typed_username,
            "username": self.username,
            "session": self.session,
            "flow": flow_name(self.flow),
            "device_key": self.device.as_ref().map(|d| d.device_key.clone()),
            "device_name": self.device_name,
            "stale_device": self.stale_device,
            "challenge": pending.challenge,
            "step": step_to_json(&pending.step),
        });
        let text = document.to_string();
        let digest = Sha256::digest(text.as_bytes());
        let mut out = String::with_capacity(text.len() * 4 / 3 + 64);
        out.push_str(PREFIX);
        out.push_str(".v1.");
        out.push_str(&URL_SAFE_NO_PAD.encode(text.as_bytes()));
        out.push('.');
        out.push_str(&URL_SAFE_NO_PAD.encode(digest.get(..DIGEST_LEN).unwrap_or_default()));
        Ok(SecretString::from(out))
    }

    /// Rebuilds a flow from [`SignIn::snapshot`]'s string; it waits for the same step.
    pub fn restore(
        config: ClientConfig,
        snapshot: &str,
        options: RestoreOptions,
    ) -> Result<Self, SnapshotError> {
        let document = decode(snapshot)?;
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
        let stale_device = match document.get("stale_device") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(stale)) => *stale,
            Some(_) => return Err(SnapshotError::Corrupted),
        };
        let session = optional_text("session")?.map(String::from);
        let device_name = optional_text("device_name")?.map(String::from);
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
            challenge: String::from(text("challenge").ok_or(SnapshotError::Corrupted)?),
            step: document
                .get("step")
                .and_then(step_from_json)
                .ok_or(SnapshotError::Corrupted)?,
        };
        Ok(Self {
            config,
            typed_username: String::from(text("typed_username").ok_or(SnapshotError::Corrupted)?),
            username: String::from(text("username").ok_or(SnapshotError::Corrupted)?),
            session,
            flow,
            password: options.password,
            device,
            device_name,
            sign_up_session: None,
            entropy: options.entropy,
            srp_count: 0,
            srp: None,
            stale_device,
            state: State::Waiting(pending),
        })
    }
}

fn decode(snapshot: &str) -> Result<Map<String, Value>, SnapshotError> {
    if snapshot.len() > MAX_LEN {
        return Err(SnapshotError::Corrupted);
    }
    let mut parts = snapshot.trim().split('.');
    if parts.next() != Some(PREFIX) {
        return Err(SnapshotError::UnknownFormat);
    }
    let version = parts
        .next()
        .and_then(|v| v.strip_prefix('v'))
        .and_then(version_number)
        .ok_or(SnapshotError::UnknownFormat)?;
    if version != VERSION {
        return Err(SnapshotError::UnsupportedVersion { version });
    }
    let (Some(body), Some(digest), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(SnapshotError::Corrupted);
    };
    let body = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| SnapshotError::Corrupted)?;
    let digest = URL_SAFE_NO_PAD
        .decode(digest)
        .map_err(|_| SnapshotError::Corrupted)?;
    if Sha256::digest(&body).get(..DIGEST_LEN) != Some(digest.as_slice()) {
        return Err(SnapshotError::Corrupted);
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(SnapshotError::Corrupted),
    }
}

/// The version as `snapshot` writes it: decimal digits without a sign or leading zeros, so that
/// one version has one spelling ("v01" and "v+1" are not "v1").
fn version_number(digits: &str) -> Option<u64> {
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
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
        UserStep::WebAuthn {
            credential_request_options,
        } => json!({"kind": "web_authn", "options": credential_request_options}),
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
            credential_request_options: String::from(value.get("options")?.as_str()?),
        },
        _ => return None,
    })
}
