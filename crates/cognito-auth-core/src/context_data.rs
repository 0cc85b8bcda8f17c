//! Threat protection: `UserContextData.EncodedData`, signed the way Amplify's mobile SDKs sign it.
//!
//! User pools with threat protection (adaptive authentication) rate each sign-in by device facts
//! the app sends in `UserContextData.EncodedData`. Amplify Android, Swift and Flutter (and the
//! older AWS mobile SDKs) all build it the same way:
//!
//! | step | value |
//! |---|---|
//! | context | a flat JSON object of strings: the [`DeviceFacts`], empty values dropped |
//! | payload `P` | `{"contextData":{…},"username":U,"userPoolId":POOL,"timestamp":"<epoch ms>"}` (compact) |
//! | signature | standard padded Base64 of HMAC-SHA256, key = the app client id, message = `VERSION ‖ P` |
//! | outer | `{"payload":"<P as a JSON string>","signature":…,"version":VERSION}` (compact) |
//! | `EncodedData` | standard padded Base64 of the outer JSON, on one line |
//!
//! `VERSION` is the platform's string ([`ContextDataVersion`]): `ANDROID20171114`,
//! `IOS20171114` or `FLUTTER20230306`. Every request carries its own timestamp: a
//! [`ContextData`] is the app's fixed description of the device, and the core signs it anew for
//! each request with that request's `now` (Amplify Android signs once at configure time and
//! sends that stale timestamp on every request; this crate does not).
//!
//! Where it goes: pass a [`ContextData`] to the sign-in
//! ([`Credentials::with_context_data`](crate::sign_in::Credentials::with_context_data): the
//! `InitiateAuth` and every `RespondToAuthChallenge`) and to the account operations that take
//! `UserContextData` (`SignUp`, `ConfirmSignUp`, `ResendConfirmationCode`, `ForgotPassword`,
//! `ConfirmForgotPassword`, each with a `context_data(…)` builder).
//!
//! ```
//! use cognito_auth_core::context_data::{ContextData, ContextDataVersion, DeviceFacts};
//! use cognito_auth_core::UserPoolId;
//!
//! let facts = DeviceFacts {
//!     device_id: Some("deviceId".into()),
//!     ..DeviceFacts::default()
//! };
//! let data = ContextData::new(ContextDataVersion::Android, facts);
//! let pool = UserPoolId::parse("us-east-1_pool")?;
//! let encoded = data.encode("user", &pool, "client-id", 1_790_000_000_123)?;
//! // The vector of reference/beyond.md §1 (computed with Python's hmac and base64).
//! assert!(encoded.as_str().starts_with("eyJwYXlsb2FkIjoie1wiY29udGV4dERhdGFcIjp7XCJEZXZpY2VJZFwi"));
//! assert!(encoded.as_str().ends_with("IkdDQkRXQ3RBWnY0K3dIY29TbFoxV2g2a2V0bWJxaW5IVXU3Y3l2bW9OeHc9IiwidmVyc2lvbiI6IkFORFJPSUQyMDE3MTExNCJ9"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod timezone;

pub use error::ContextDataError;
pub use timezone::{TimezoneStyle, format_js_timezone_offset, format_timezone};

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::client::ClientConfig;
use crate::mac::hmac_sha256;
use crate::time::UnixTime;
use crate::user_pool_id::UserPoolId;

/// The most characters Cognito accepts in `UserContextData.EncodedData`
/// (`UserContextDataType` in the Cognito API reference).
pub const ENCODED_DATA_MAX_LEN: usize = 131_072;

/// The platform's version string, which is signed with the payload and names the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
// Exhaustive on purpose: the bindings mirror this enum.
pub enum ContextDataVersion {
    /// `ANDROID20171114` (Amplify Android, AWS SDK for Android).
    Android,
    /// `IOS20171114` (Amplify Swift, AWS SDK for iOS).
    Ios,
    /// `FLUTTER20230306` (Amplify Flutter).
    Flutter,
}

impl ContextDataVersion {
    /// The version string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Android => "ANDROID20171114",
            Self::Ios => "IOS20171114",
            Self::Flutter => "FLUTTER20230306",
        }
    }

    /// How this platform's SDK writes `ClientTimezone`. Flutter's format is pinned by no
    /// Amplify test; the signed form is used for it.
    pub fn timezone_style(self) -> TimezoneStyle {
        match self {
            Self::Android => TimezoneStyle::Android,
            Self::Ios | Self::Flutter => TimezoneStyle::Ios,
        }
    }
}

/// What the app knows about the device, under the keys Amplify's SDKs send. Every field is
/// optional; fill what the platform can read (beyond.md §1 lists what each SDK puts there).
/// Values are cut at their first NUL (iOS `utsname` buffers are NUL-padded) and empty values are
/// left out, as Amplify Android does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceFacts {
    /// `ApplicationName`: the app's label (Android) or bundle id (iOS).
    pub application_name: Option<String>,
    /// `ApplicationTargetSdk`: `targetSdkVersion` (Android), minimum OS as an integer (iOS).
    pub application_target_sdk: Option<String>,
    /// `ApplicationVersion`: `versionName` (Android), `<ShortVersion>-<CFBundleVersion>` (iOS).
    pub application_version: Option<String>,
    /// `DeviceName`: `Build.MODEL` or the device's name. Without it Cognito shows
    /// "Other, Other".
    pub device_name: Option<String>,
    /// `DeviceFingerprint`: `Build.FINGERPRINT`, or `Apple/<model>/<machine>/-:<os>/-/-:-/release`.
    pub device_fingerprint: Option<String>,
    /// `DeviceOsReleaseVersion`: the OS version.
    pub device_os_release_version: Option<String>,
    /// `BuildType`: `Build.TYPE`, or `release` / `debug`.
    pub build_type: Option<String>,
    /// `Platform`: `ANDROID`, `iOS`, ...
    pub platform: Option<String>,
    /// `ClientTimezone`: see [`format_timezone`].
    pub client_timezone: Option<String>,
    /// `DeviceLanguage`: `en_US` (Android `Locale.toString()`), `en-US` (iOS).
    pub device_language: Option<String>,
    /// `ScreenHeightPixels`.
    pub screen_height_pixels: Option<u32>,
    /// `ScreenWidthPixels`.
    pub screen_width_pixels: Option<u32>,
    /// `ThirdPartyDeviceId` (Amplify Android sends the literal `android_id`).
    pub third_party_device_id: Option<String>,
    /// `DeviceId`: a stable per-install identifier the app keeps (Amplify Android:
    /// `<UUID>:<epoch ms>`; Swift: the remembered device key or a UUID per user).
    pub device_id: Option<String>,
    /// `DeviceBrand` (Android `Build.BRAND`).
    pub device_brand: Option<String>,
    /// `DeviceHardware` (Android `Build.HARDWARE`).
    pub device_hardware: Option<String>,
    /// `Product` (Android `Build.PRODUCT`).
    pub product: Option<String>,
    /// `DeviceSdkVersion` (Android `Build.VERSION.SDK_INT`).
    pub device_sdk_version: Option<String>,
    /// `PhoneType` (iOS `utsname.machine`, e.g. `iPhone15,2`).
    pub phone_type: Option<String>,
    /// Further keys, sent as given. A typed field above wins over an extra with its key.
    pub extra: BTreeMap<String, String>,
}

impl DeviceFacts {
    /// The `contextData` object: every non-empty value, NUL-cut, under its key, sorted by key.
    pub fn to_map(&self) -> Result<BTreeMap<String, String>, ContextDataError> {
        let mut map = BTreeMap::new();
        for (key, value) in &self.extra {
            let key = cut_at_nul(key);
            if key.is_empty() {
                return Err(ContextDataError::EmptyKey);
            }
            put(&mut map, key, Some(value.as_str()));
        }
        let height = self.screen_height_pixels.map(|n| n.to_string());
        let width = self.screen_width_pixels.map(|n| n.to_string());
        let typed: [(&str, Option<&str>); 19] = [
            ("ApplicationName", self.application_name.as_deref()),
            (
                "ApplicationTargetSdk",
                self.application_target_sdk.as_deref(),
            ),
            ("ApplicationVersion", self.application_version.as_deref()),
            ("DeviceName", self.device_name.as_deref()),
            ("DeviceFingerprint", self.device_fingerprint.as_deref()),
            (
                "DeviceOsReleaseVersion",
                self.device_os_release_version.as_deref(),
            ),
            ("BuildType", self.build_type.as_deref()),
            ("Platform", self.platform.as_deref()),
            ("ClientTimezone", self.client_timezone.as_deref()),
            ("DeviceLanguage", self.device_language.as_deref()),
            ("ScreenHeightPixels", height.as_deref()),
            ("ScreenWidthPixels", width.as_deref()),
            ("ThirdPartyDeviceId", self.third_party_device_id.as_deref()),
            ("DeviceId", self.device_id.as_deref()),
            ("DeviceBrand", self.device_brand.as_deref()),
            ("DeviceHardware", self.device_hardware.as_deref()),
            ("Product", self.product.as_deref()),
            ("DeviceSdkVersion", self.device_sdk_version.as_deref()),
            ("PhoneType", self.phone_type.as_deref()),
        ];
        for (key, value) in typed {
            // A typed field that is set replaces an extra of the same key; an unset one keeps it.
            if value.is_some_and(|v| !cut_at_nul(v).is_empty()) {
                map.remove(key);
            }
            put(&mut map, key, value);
        }
        Ok(map)
    }
}

fn cut_at_nul(value: &str) -> &str {
    value.split('\0').next().unwrap_or_default()
}

fn put(map: &mut BTreeMap<String, String>, key: &str, value: Option<&str>) {
    if let Some(value) = value.map(cut_at_nul)
        && !value.is_empty()
    {
        map.insert(String::from(key), String::from(value));
    }
}

/// The device facts and the platform version: what the app configures once. The core signs
/// it per request ([`ContextData::encode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextData {
    version: ContextDataVersion,
    facts: DeviceFacts,
}

impl ContextData {
    /// Facts signed under `version`.
    pub fn new(version: ContextDataVersion, facts: DeviceFacts) -> Self {
        Self { version, facts }
    }

    /// The version string's platform.
    pub fn version(&self) -> ContextDataVersion {
        self.version
    }

    /// The device facts.
    pub fn facts(&self) -> &DeviceFacts {
        &self.facts
    }

    /// The payload `P`: `{"contextData":{…},"username":…,"userPoolId":…,"timestamp":"…"}`,
    /// compact, in that key order (Amplify Android's; the signature covers these exact bytes).
    pub fn payload(
        &self,
        username: &str,
        user_pool_id: &UserPoolId,
        timestamp_ms: u64,
    ) -> Result<String, ContextDataError> {
        let context: Map<String, Value> = self
            .facts
            .to_map()?
            .into_iter()
            .map(|(key, value)| (key, Value::String(value)))
            .collect();
        let mut payload = String::from("{\"contextData\":");
        payload.push_str(&Value::Object(context).to_string());
        payload.push_str(",\"username\":");
        payload.push_str(&json_string(username));
        payload.push_str(",\"userPoolId\":");
        payload.push_str(&json_string(user_pool_id.as_str()));
        payload.push_str(",\"timestamp\":\"");
        payload.push_str(&timestamp_ms.to_string());
        payload.push_str("\"}");
        Ok(payload)
    }

    /// `UserContextData.EncodedData` for a request by `username` at `timestamp_ms` (milliseconds
    /// since the Unix epoch).
    pub fn encode(
        &self,
        username: &str,
        user_pool_id: &UserPoolId,
        client_id: &str,
        timestamp_ms: u64,
    ) -> Result<EncodedData, ContextDataError> {
        let payload = self.payload(username, user_pool_id, timestamp_ms)?;
        let signature = signature(client_id, self.version, &payload);
        let mut outer = String::from("{\"payload\":");
        outer.push_str(&json_string(&payload));
        outer.push_str(",\"signature\":");
        outer.push_str(&json_string(&signature));
        outer.push_str(",\"version\":");
        outer.push_str(&json_string(self.version.as_str()));
        outer.push('}');
        let length = outer.len().div_ceil(3).saturating_mul(4);
        if length > ENCODED_DATA_MAX_LEN {
            return Err(ContextDataError::TooLong { length });
        }
        Ok(EncodedData(STANDARD.encode(outer)))
    }

    /// [`ContextData::encode`] for `client`'s pool and app client at `now` (whole seconds, so
    /// the timestamp's last three digits are `000`).
    pub fn encode_for(
        &self,
        username: &str,
        client: &ClientConfig,
        now: UnixTime,
    ) -> Result<EncodedData, ContextDataError> {
        self.encode(
            username,
            client.user_pool(),
            client.client_id(),
            now.as_secs().saturating_mul(1000),
        )
    }
}

/// The signature of step 3: standard padded Base64 of HMAC-SHA256 with the app client id as the
/// key over `VERSION ‖ payload`.
///
/// ```
/// use cognito_auth_core::context_data::{signature, ContextDataVersion};
///
/// // Computed with Python's hmac and base64 (reference/beyond.md §1), not by Amplify.
/// assert_eq!(
///     signature("clientId", ContextDataVersion::Ios, "contextJson"),
///     "J6M4nj6vyYJo9xWVx8J7/Xrfy12UHTuuhHv+TEfwXmo="
/// );
/// ```
pub fn signature(client_id: &str, version: ContextDataVersion, payload: &str) -> String {
    let tag = hmac_sha256(
        client_id.as_bytes(),
        &[version.as_str().as_bytes(), payload.as_bytes()],
    );
    STANDARD.encode(*tag)
}

fn json_string(value: &str) -> String {
    Value::from(value).to_string()
}

/// A signed `UserContextData.EncodedData` value (standard Base64, no line breaks, at most
/// [`ENCODED_DATA_MAX_LEN`] characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedData(String);

impl EncodedData {
    /// The value to send.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `{"EncodedData": …}`, the request member `UserContextData`.
    pub(crate) fn to_member(&self) -> Value {
        let mut member = Map::new();
        member.insert("EncodedData".into(), Value::from(self.0.as_str()));
        Value::Object(member)
    }
}

#[cfg(test)]
mod tests;
