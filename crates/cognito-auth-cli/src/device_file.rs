//! `--device-file`: a remembered device as JSON. The device password is a secret (with the
//! device key it signs in as this device, skipping MFA), so the file is treated as ssh treats a
//! private key: one that group or others may read, or that another user owns, is refused; a new
//! one is written with mode 0600 through a temporary file and a rename (never half-written,
//! never readable by others for a moment). The file's text and the parsed JSON are wiped after
//! use; the device password moves into a [`SecretString`].

use std::path::Path;

use cognito_auth_core::SecretString;
use cognito_auth_core::sign_in::RememberedDevice;
use serde_json::{Map, Value};
use zeroize::{Zeroize as _, Zeroizing};

use crate::error::Failure;
use crate::private_file::{self, Kind};

/// The device file's kind: read and written by the rules of [`private_file`].
const DEVICE_FILE: Kind = Kind {
    name: "device file",
    holds: "a device password",
    otherwise: "or delete it to remember this device anew",
    // The three fields are far shorter.
    max_len: 64 * 1024,
};

/// The device stored at `path`; `None` when the file does not exist. Refuses (bad usage, exit
/// 2) a file that another user owns or that group or others may read.
pub fn load(path: &Path) -> Result<Option<RememberedDevice>, Failure> {
    let Some(text) = DEVICE_FILE.read(path)? else {
        return Ok(None);
    };
    let bad = || {
        Failure::usage(format!(
            "{} is not a device file (JSON with DeviceKey, DeviceGroupKey, DevicePassword)",
            path.display()
        ))
    };
    let mut value: Value = serde_json::from_str(&text).map_err(|_| bad())?;
    let result = take_device(&mut value).ok_or_else(bad);
    wipe(&mut value);
    result.map(Some)
}

/// The three fields, the password moved (not copied) out of `value`.
fn take_device(value: &mut Value) -> Option<RememberedDevice> {
    let object = value.as_object_mut()?;
    let public = |object: &Map<String, Value>, name: &str| {
        object
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let device_key = public(object, "DeviceKey")?;
    let device_group_key = public(object, "DeviceGroupKey")?;
    let Some(Value::String(password)) = object.remove("DevicePassword") else {
        return None;
    };
    let device_password = SecretString::from(password);
    if device_password.is_empty() {
        return None;
    }
    Some(RememberedDevice {
        device_key,
        device_group_key,
        device_password,
    })
}

/// Wipes every string in a parsed JSON value.
fn wipe(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(members) => members.values_mut().for_each(wipe),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Stores `device` at `path`, readable by the owner only: written to a new temporary file
/// created with mode 0600 next to it, then renamed over it.
pub fn store(path: &Path, device: &RememberedDevice) -> Result<(), Failure> {
    DEVICE_FILE.write(path, &serialize(device))
}

/// The file's JSON, in a buffer that is wiped on drop and big enough never to grow (a growing
/// buffer leaves its old copy unwiped).
fn serialize(device: &RememberedDevice) -> Zeroizing<String> {
    let fields = [
        ("DeviceKey", device.device_key.as_str()),
        ("DeviceGroupKey", device.device_group_key.as_str()),
        ("DevicePassword", device.device_password.expose()),
    ];
    // Worst case: every byte escaped as \uXXXX.
    let capacity = fields
        .iter()
        .map(|(name, value)| name.len() + 6 * value.len() + 8)
        .sum::<usize>()
        + 4;
    let mut text = Zeroizing::new(String::with_capacity(capacity));
    text.push('{');
    for (index, (name, value)) in fields.iter().enumerate() {
        if index > 0 {
            text.push(',');
        }
        push_json_string(&mut text, name);
        text.push(':');
        push_json_string(&mut text, value);
    }
    text.push('}');
    text
}

/// Appends `value` as a JSON string literal.
fn push_json_string(out: &mut String, value: &str) {
    use core::fmt::Write as _;
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Deletes the file of a device Cognito no longer knows.
pub fn remove(path: &Path) -> Result<(), Failure> {
    private_file::remove_if_present(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use std::fs;

    use super::*;

    #[cfg(unix)]
    #[test]
    fn stored_files_are_private_and_load_back() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("cognito-auth-device-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("device.json");
        let device = RememberedDevice {
            device_key: "us-east-1_device".into(),
            device_group_key: "-group".into(),
            device_password: SecretString::new("device-password"),
        };
        store(&path, &device).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let back = load(&path).unwrap().unwrap();
        assert_eq!(back.device_key, device.device_key);
        assert_eq!(back.device_password.expose(), "device-password");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let refused = load(&path).unwrap_err().to_string();
        assert!(
            refused.contains("permissions 0640") && refused.contains("chmod 600"),
            "{refused}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn serialized_json_round_trips() {
        let device = RememberedDevice {
            device_key: "us-east-1_\"quoted\\\"".into(),
            device_group_key: "-group\u{1}".into(),
            device_password: SecretString::new("pä\"ss\\wörd\n"),
        };
        let text = serialize(&device);
        let mut value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["DeviceKey"], device.device_key.as_str());
        assert_eq!(value["DeviceGroupKey"], device.device_group_key.as_str());
        let parsed_password = value["DevicePassword"].as_str().unwrap().as_ptr();
        let back = take_device(&mut value).unwrap();
        assert_eq!(
            back.device_password.expose().as_ptr(),
            parsed_password,
            "the password moved out of the parsed JSON, not copied"
        );
        assert_eq!(
            back.device_password.expose(),
            device.device_password.expose()
        );
        assert!(value.get("DevicePassword").is_none(), "moved out");
        wipe(&mut value);
        assert_eq!(value["DeviceKey"], "", "wiped");
    }
}
