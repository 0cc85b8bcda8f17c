//! Threat protection: the device facts an app signs into `UserContextData.EncodedData` (the
//! core's `context_data`). Pass a [`ContextData`] to `SignInSession::with_context_data` and to
//! the sign-up and password-reset requests (`context_data = ...`); each request is signed with
//! the system clock at the time it is built.

use std::collections::HashMap;

use cognito_auth_core::context_data as core_context;

use crate::error::{CognitoAuthError, Result};
use crate::types::{Client, ClientConfig, sorted};

/// The platform version string, which is signed with the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ContextDataVersion {
    /// `ANDROID20171114` (Amplify Android).
    Android,
    /// `IOS20171114` (Amplify Swift).
    Ios,
    /// `FLUTTER20230306` (Amplify Flutter).
    Flutter,
}

impl From<ContextDataVersion> for core_context::ContextDataVersion {
    fn from(version: ContextDataVersion) -> Self {
        match version {
            ContextDataVersion::Android => Self::Android,
            ContextDataVersion::Ios => Self::Ios,
            ContextDataVersion::Flutter => Self::Flutter,
        }
    }
}

/// What the app knows about the device, under the keys Amplify's SDKs send (see the core's
/// `DeviceFacts`). Empty values are left out; values are cut at their first NUL.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct DeviceFacts {
    /// `ApplicationName`: app label (Android) or bundle id (iOS).
    #[uniffi(default = None)]
    pub application_name: Option<String>,
    /// `ApplicationTargetSdk`.
    #[uniffi(default = None)]
    pub application_target_sdk: Option<String>,
    /// `ApplicationVersion`.
    #[uniffi(default = None)]
    pub application_version: Option<String>,
    /// `DeviceName` (without it Cognito shows "Other, Other").
    #[uniffi(default = None)]
    pub device_name: Option<String>,
    /// `DeviceFingerprint`.
    #[uniffi(default = None)]
    pub device_fingerprint: Option<String>,
    /// `DeviceOsReleaseVersion`.
    #[uniffi(default = None)]
    pub device_os_release_version: Option<String>,
    /// `BuildType`.
    #[uniffi(default = None)]
    pub build_type: Option<String>,
    /// `Platform`.
    #[uniffi(default = None)]
    pub platform: Option<String>,
    /// `ClientTimezone`: see `format_client_timezone`.
    #[uniffi(default = None)]
    pub client_timezone: Option<String>,
    /// `DeviceLanguage`.
    #[uniffi(default = None)]
    pub device_language: Option<String>,
    /// `ScreenHeightPixels`.
    #[uniffi(default = None)]
    pub screen_height_pixels: Option<u32>,
    /// `ScreenWidthPixels`.
    #[uniffi(default = None)]
    pub screen_width_pixels: Option<u32>,
    /// `ThirdPartyDeviceId`.
    #[uniffi(default = None)]
    pub third_party_device_id: Option<String>,
    /// `DeviceId`: a stable per-install id the app stores.
    #[uniffi(default = None)]
    pub device_id: Option<String>,
    /// `DeviceBrand`.
    #[uniffi(default = None)]
    pub device_brand: Option<String>,
    /// `DeviceHardware`.
    #[uniffi(default = None)]
    pub device_hardware: Option<String>,
    /// `Product`.
    #[uniffi(default = None)]
    pub product: Option<String>,
    /// `DeviceSdkVersion`.
    #[uniffi(default = None)]
    pub device_sdk_version: Option<String>,
    /// `PhoneType`.
    #[uniffi(default = None)]
    pub phone_type: Option<String>,
    /// Further keys, sent as given (a typed field above wins).
    #[uniffi(default)]
    pub extra: HashMap<String, String>,
}

/// The device facts and the platform version: configured once, signed per request.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContextData {
    /// The version string's platform.
    pub version: ContextDataVersion,
    /// The facts.
    pub facts: DeviceFacts,
}

impl From<ContextData> for core_context::ContextData {
    fn from(data: ContextData) -> Self {
        let f = data.facts;
        let facts = core_context::DeviceFacts {
            application_name: f.application_name,
            application_target_sdk: f.application_target_sdk,
            application_version: f.application_version,
            device_name: f.device_name,
            device_fingerprint: f.device_fingerprint,
            device_os_release_version: f.device_os_release_version,
            build_type: f.build_type,
            platform: f.platform,
            client_timezone: f.client_timezone,
            device_language: f.device_language,
            screen_height_pixels: f.screen_height_pixels,
            screen_width_pixels: f.screen_width_pixels,
            third_party_device_id: f.third_party_device_id,
            device_id: f.device_id,
            device_brand: f.device_brand,
            device_hardware: f.device_hardware,
            product: f.product,
            device_sdk_version: f.device_sdk_version,
            phone_type: f.phone_type,
            extra: sorted(f.extra).into_iter().collect(),
        };
        Self::new(data.version.into(), facts)
    }
}

impl From<core_context::ContextDataError> for CognitoAuthError {
    fn from(error: core_context::ContextDataError) -> Self {
        Self::invalid_input("context_data", error)
    }
}

/// `UserContextData.EncodedData` for `username` at `unix_time_ms`, for a request this library
/// does not build itself (e.g. the hosted UI's `userContextData` parameter, signed for the
/// username `unknown` as Amplify Swift does).
#[uniffi::export]
pub fn encode_context_data(
    data: ContextData,
    config: ClientConfig,
    username: String,
    unix_time_ms: u64,
) -> Result<String> {
    let client = Client::try_from(config)?;
    let data = core_context::ContextData::from(data);
    let encoded = data.encode(
        &username,
        client.config.user_pool(),
        client.config.client_id(),
        unix_time_ms,
    )?;
    Ok(encoded.as_str().to_owned())
}

/// `ClientTimezone` as `version`'s SDK writes it, from the UTC offset in seconds (east
/// positive): Android `-07:00` / `05:30` / `00:00`, iOS and Flutter `-07:00` / `+05:30` /
/// `+00:00`.
#[uniffi::export]
pub fn format_client_timezone(offset_seconds: i32, version: ContextDataVersion) -> String {
    let version = core_context::ContextDataVersion::from(version);
    core_context::format_timezone(offset_seconds, version.timezone_style())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ClientConfig {
        ClientConfig {
            user_pool_id: "us-east-1_pool".into(),
            client_id: "client-id".into(),
            client_secret: None,
            endpoint_url: None,
            allow_insecure_http: false,
        }
    }

    /// The vector of reference/beyond.md §1 (computed with Python, not by Amplify), through the
    /// exported function.
    #[test]
    fn encodes_the_python_vector() {
        let data = ContextData {
            version: ContextDataVersion::Android,
            facts: DeviceFacts {
                device_id: Some("deviceId".into()),
                ..DeviceFacts::default()
            },
        };
        let encoded =
            encode_context_data(data, config(), "user".into(), 1_790_000_000_123).unwrap();
        assert_eq!(
            encoded,
            "eyJwYXlsb2FkIjoie1wiY29udGV4dERhdGFcIjp7XCJEZXZpY2VJZFwiOlwiZGV2aWNlSWRcIn0sXCJ1c2VybmFtZVwiOlwidXNlclwiLFwidXNlclBvb2xJZFwiOlwidXMtZWFzdC0xX3Bvb2xcIixcInRpbWVzdGFtcFwiOlwiMTc5MDAwMDAwMDEyM1wifSIsInNpZ25hdHVyZSI6IkdDQkRXQ3RBWnY0K3dIY29TbFoxV2g2a2V0bWJxaW5IVXU3Y3l2bW9OeHc9IiwidmVyc2lvbiI6IkFORFJPSUQyMDE3MTExNCJ9"
        );
    }

    #[test]
    fn every_fact_reaches_the_core() {
        let facts = DeviceFacts {
            application_name: Some("a".into()),
            application_target_sdk: Some("b".into()),
            application_version: Some("c".into()),
            device_name: Some("d".into()),
            device_fingerprint: Some("e".into()),
            device_os_release_version: Some("f".into()),
            build_type: Some("g".into()),
            platform: Some("h".into()),
            client_timezone: Some("i".into()),
            device_language: Some("j".into()),
            screen_height_pixels: Some(1),
            screen_width_pixels: Some(2),
            third_party_device_id: Some("k".into()),
            device_id: Some("l".into()),
            device_brand: Some("m".into()),
            device_hardware: Some("n".into()),
            product: Some("o".into()),
            device_sdk_version: Some("p".into()),
            phone_type: Some("q".into()),
            extra: HashMap::from([("X".into(), "r".into())]),
        };
        let core = core_context::ContextData::from(ContextData {
            version: ContextDataVersion::Ios,
            facts,
        });
        let map = core.facts().to_map().unwrap();
        assert_eq!(map.len(), 20);
        assert_eq!(map["Product"], "o");
        assert_eq!(map["DeviceSdkVersion"], "p");
        assert_eq!(map["ScreenWidthPixels"], "2");
        assert_eq!(core.version(), core_context::ContextDataVersion::Ios);
    }

    #[test]
    fn timezones_and_the_limit() {
        assert_eq!(
            format_client_timezone(-25200, ContextDataVersion::Ios),
            "-07:00"
        );
        assert_eq!(
            format_client_timezone(0, ContextDataVersion::Android),
            "00:00"
        );
        assert_eq!(
            format_client_timezone(0, ContextDataVersion::Flutter),
            "+00:00"
        );
        let huge = ContextData {
            version: ContextDataVersion::Flutter,
            facts: DeviceFacts {
                device_name: Some("x".repeat(200_000)),
                ..DeviceFacts::default()
            },
        };
        match encode_context_data(huge, config(), "u".into(), 0) {
            Err(CognitoAuthError::InvalidInput { what, .. }) => assert_eq!(what, "context_data"),
            other => panic!("{other:?}"),
        }
    }
}
