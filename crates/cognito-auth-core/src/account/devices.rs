//! Devices of the signed-in user: `ListDevices`, `ForgetDevice`, `UpdateDeviceStatus`.
//!
//! A device is what Cognito tracks after a sign-in that returned `NewDeviceMetadata` and was
//! confirmed (the sign-in flow does `ConfirmDevice` itself). Every call here is authorised by
//! the user's access token.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::{AccountError, AccountOperation, no_output, request_from, required, success_body};
use crate::client::ClientConfig;
use crate::secret::SecretString;
use crate::wire::{HttpResponse, Operation, Request, ResponseError};

/// The most devices one `ListDevices` page may ask for.
pub const LIST_DEVICES_MAX_LIMIT: u32 = 60;

/// `ListDevices`: the devices Cognito tracks for the signed-in user, one page at a time.
///
/// Without a [`limit`](Self::with_limit) Cognito picks the page size. When the result has a
/// [`pagination_token`](DeviceList::pagination_token), ask for the next page with
/// [`with_pagination_token`](Self::with_pagination_token).
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, ListDevices, RememberedStatus};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let list = ListDevices::new(SecretString::new("eyJraWQi.access.token")).with_limit(10)?;
/// let request = list.request(&client)?;
/// assert_eq!(request.body(), r#"{"AccessToken":"eyJraWQi.access.token","Limit":10}"#);
///
/// let body = br#"{"Devices":[{"DeviceKey":"us-east-1_5f1c2d3e-0000-1111-2222-333344445555",
///   "DeviceAttributes":[{"Name":"device_name","Value":"Pixel 9"},
///                       {"Name":"dev:device_remembered_status","Value":"remembered"}],
///   "DeviceCreateDate":1715100742.022,"DeviceLastModifiedDate":1723233651.167,
///   "DeviceLastAuthenticatedDate":1715100742.0}],"PaginationToken":"next"}"#;
/// let page = list.parse_response(HttpResponse::new(200, body))?;
/// let device = &page.devices[0];
/// assert_eq!(device.name(), Some("Pixel 9"));
/// assert_eq!(device.remembered_status(), Some(RememberedStatus::Remembered));
/// assert_eq!(device.created, Some(1_715_100_742));
/// assert_eq!(page.pagination_token.as_deref(), Some("next"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDevices {
    access_token: SecretString,
    limit: Option<u32>,
    pagination_token: Option<String>,
}

impl ListDevices {
    /// The first page of the devices of the user whose access token this is.
    pub fn new(access_token: SecretString) -> Self {
        Self {
            access_token,
            limit: None,
            pagination_token: None,
        }
    }

    /// At most `limit` devices per page.
    ///
    /// # Errors
    ///
    /// [`AccountError::LimitTooLarge`] above [`LIST_DEVICES_MAX_LIMIT`] (60).
    pub fn with_limit(mut self, limit: u32) -> Result<Self, AccountError> {
        if limit > LIST_DEVICES_MAX_LIMIT {
            return Err(AccountError::LimitTooLarge {
                limit,
                max: LIST_DEVICES_MAX_LIMIT,
            });
        }
        self.limit = Some(limit);
        Ok(self)
    }

    /// The page after the one that returned `pagination_token`.
    pub fn with_pagination_token(mut self, pagination_token: &str) -> Self {
        self.pagination_token = Some(String::from(pagination_token));
        self
    }
}

impl AccountOperation for ListDevices {
    /// One page of devices.
    type Output = DeviceList;

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        required("access_token", self.access_token.expose())?;
        let mut body = Map::new();
        body.insert("AccessToken".into(), self.access_token.expose().into());
        if let Some(limit) = self.limit {
            body.insert("Limit".into(), limit.into());
        }
        if let Some(token) = &self.pagination_token {
            required("pagination_token", token)?;
            body.insert("PaginationToken".into(), token.as_str().into());
        }
        Ok(request_from(Operation::ListDevices, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<DeviceList, AccountError> {
        Self::parse(response)
    }
}

impl ListDevices {
    /// Reads `ListDevices`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<DeviceList, AccountError> {
        let mut body = success_body(response)?;
        let devices = match body.remove("Devices") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(DeviceInfo::from_value)
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(wrong_type("Devices")),
        };
        let pagination_token = match body.remove("PaginationToken") {
            None | Some(Value::Null) => None,
            Some(Value::String(token)) if token.is_empty() => None,
            Some(Value::String(token)) => Some(token),
            Some(_) => return Err(wrong_type("PaginationToken")),
        };
        Ok(DeviceList {
            devices,
            pagination_token,
        })
    }
}

/// One page of [`ListDevices`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceList {
    /// The devices on this page.
    pub devices: Vec<DeviceInfo>,
    /// `PaginationToken`: there are more devices; pass it to
    /// [`ListDevices::with_pagination_token`]. `None` on the last page.
    pub pagination_token: Option<String>,
}

/// A device Cognito tracks for the user (`DeviceType`). Dates are seconds since the Unix epoch
/// (Cognito sends fractional seconds; they are rounded down).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceInfo {
    /// `DeviceKey`, `<region>_<uuid>`.
    pub device_key: String,
    /// `DeviceAttributes` by name: `device_name`, `device_status`, `last_ip_used`,
    /// `dev:device_remembered_status`, `dev:device_sdk`, ...
    pub attributes: BTreeMap<String, String>,
    /// `DeviceCreateDate`.
    pub created: Option<u64>,
    /// `DeviceLastModifiedDate`.
    pub last_modified: Option<u64>,
    /// `DeviceLastAuthenticatedDate`: the user's last sign-in with this device.
    pub last_authenticated: Option<u64>,
}

impl DeviceInfo {
    /// The `device_name` attribute (`DeviceName` of `ConfirmDevice`), if the device has one.
    pub fn name(&self) -> Option<&str> {
        self.attributes.get("device_name").map(String::as_str)
    }

    /// The `dev:device_remembered_status` attribute; `None` when absent or unknown.
    pub fn remembered_status(&self) -> Option<RememberedStatus> {
        match self
            .attributes
            .get("dev:device_remembered_status")?
            .as_str()
        {
            "remembered" => Some(RememberedStatus::Remembered),
            "not_remembered" => Some(RememberedStatus::NotRemembered),
            _ => None,
        }
    }

    fn from_value(value: Value) -> Result<Self, AccountError> {
        let Value::Object(mut device) = value else {
            return Err(wrong_type("Devices"));
        };
        let device_key = match device.remove("DeviceKey") {
            Some(Value::String(key)) if !key.is_empty() => key,
            None | Some(Value::Null) | Some(Value::String(_)) => {
                return Err(AccountError::Response(ResponseError::MissingField {
                    field: "DeviceKey",
                }));
            }
            Some(_) => return Err(wrong_type("DeviceKey")),
        };
        Ok(Self {
            device_key,
            attributes: attributes(device.remove("DeviceAttributes"))?,
            created: epoch_seconds(&device, "DeviceCreateDate")?,
            last_modified: epoch_seconds(&device, "DeviceLastModifiedDate")?,
            last_authenticated: epoch_seconds(&device, "DeviceLastAuthenticatedDate")?,
        })
    }
}

/// Whether a device is remembered (`DeviceRememberedStatus`): a remembered device may skip MFA
/// at sign-in; a not-remembered one is tracked only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RememberedStatus {
    /// `remembered`.
    Remembered,
    /// `not_remembered`.
    NotRemembered,
}

impl RememberedStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Remembered => "remembered",
            Self::NotRemembered => "not_remembered",
        }
    }
}

/// `ForgetDevice`: Cognito stops tracking the device; a later sign-in from it is a new device.
/// Delete the stored [`RememberedDevice`](crate::sign_in::RememberedDevice) too.
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, ForgetDevice};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let forget = ForgetDevice::new(SecretString::new("eyJraWQi.access.token"), "us-east-1_5f1c");
/// let request = forget.request(&client)?;
/// assert_eq!(
///     request.body(),
///     r#"{"AccessToken":"eyJraWQi.access.token","DeviceKey":"us-east-1_5f1c"}"#
/// );
/// forget.parse_response(HttpResponse::new(200, b"{}"))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgetDevice {
    access_token: SecretString,
    device_key: String,
}

impl ForgetDevice {
    /// Forgets the device `device_key` of the user whose access token this is.
    pub fn new(access_token: SecretString, device_key: &str) -> Self {
        Self {
            access_token,
            device_key: String::from(device_key),
        }
    }
}

impl AccountOperation for ForgetDevice {
    /// Nothing: the device is forgotten.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        required("access_token", self.access_token.expose())?;
        required("device_key", &self.device_key)?;
        let mut body = Map::new();
        body.insert("AccessToken".into(), self.access_token.expose().into());
        body.insert("DeviceKey".into(), self.device_key.as_str().into());
        Ok(request_from(Operation::ForgetDevice, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl ForgetDevice {
    /// Reads `ForgetDevice`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        no_output(response)
    }
}

/// `UpdateDeviceStatus`: mark a device remembered or not remembered. Needed after a sign-in
/// whose [`DeviceOutcome::Confirmed`](crate::sign_in::DeviceOutcome::Confirmed) says
/// `user_confirmation_necessary` and the user chose to remember the device (Amplify
/// `rememberDevice()`), or to stop remembering one (`forgetDevice()` keeps it tracked).
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, UpdateDeviceStatus};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let update =
///     UpdateDeviceStatus::new(SecretString::new("eyJraWQi.access.token"), "us-east-1_5f1c", true);
/// let request = update.request(&client)?;
/// assert_eq!(
///     request.body(),
///     r#"{"AccessToken":"eyJraWQi.access.token","DeviceKey":"us-east-1_5f1c","DeviceRememberedStatus":"remembered"}"#
/// );
/// update.parse_response(HttpResponse::new(200, b"{}"))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateDeviceStatus {
    access_token: SecretString,
    device_key: String,
    status: RememberedStatus,
}

impl UpdateDeviceStatus {
    /// Marks the device `device_key` remembered (`true`) or not remembered (`false`).
    pub fn new(access_token: SecretString, device_key: &str, remembered: bool) -> Self {
        Self {
            access_token,
            device_key: String::from(device_key),
            status: if remembered {
                RememberedStatus::Remembered
            } else {
                RememberedStatus::NotRemembered
            },
        }
    }
}

impl AccountOperation for UpdateDeviceStatus {
    /// Nothing: the status is updated.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        required("access_token", self.access_token.expose())?;
        required("device_key", &self.device_key)?;
        let mut body = Map::new();
        body.insert("AccessToken".into(), self.access_token.expose().into());
        body.insert("DeviceKey".into(), self.device_key.as_str().into());
        body.insert("DeviceRememberedStatus".into(), self.status.as_str().into());
        Ok(request_from(Operation::UpdateDeviceStatus, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl UpdateDeviceStatus {
    /// Reads `UpdateDeviceStatus`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        no_output(response)
    }
}

fn wrong_type(field: &'static str) -> AccountError {
    AccountError::Response(ResponseError::FieldHasWrongType { field })
}

/// `DeviceAttributes`: `[{"Name": .., "Value": ..}]` into a map; absent is empty. A missing
/// `Value` is an empty string (the model makes it optional).
fn attributes(value: Option<Value>) -> Result<BTreeMap<String, String>, AccountError> {
    const FIELD: &str = "DeviceAttributes";
    let items = match value {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(wrong_type(FIELD)),
    };
    items
        .into_iter()
        .map(|item| {
            let Value::Object(mut attribute) = item else {
                return Err(wrong_type(FIELD));
            };
            let name = match attribute.remove("Name") {
                Some(Value::String(name)) => name,
                _ => return Err(wrong_type(FIELD)),
            };
            let value = match attribute.remove("Value") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(value)) => value,
                Some(_) => return Err(wrong_type(FIELD)),
            };
            Ok((name, value))
        })
        .collect()
}

/// An optional timestamp: awsJson1_1 sends epoch seconds as a JSON number, often fractional.
fn epoch_seconds(
    device: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<u64>, AccountError> {
    match device.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => match number.as_u64() {
            Some(secs) => Ok(Some(secs)),
            None => number
                .as_f64()
                .filter(|secs| secs.is_finite() && *secs >= 0.0)
                // `as` rounds down and saturates.
                .map(|secs| Some(secs as u64))
                .ok_or(wrong_type(field)),
        },
        Some(_) => Err(wrong_type(field)),
    }
}
