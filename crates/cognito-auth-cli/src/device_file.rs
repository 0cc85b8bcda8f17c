//! `--device-file`: a remembered device as JSON. The device password is a secret, so the file
//! is written with mode 0600 (through a temporary file and a rename, never half-written).

use std::fs;
use std::io::Write as _;
use std::path::Path;

use cognito_auth_core::SecretString;
use cognito_auth_core::sign_in::RememberedDevice;
use serde_json::{Value, json};

use crate::error::Failure;

/// The device stored at `path`; `None` when the file does not exist.
pub fn load(path: &Path) -> Result<Option<RememberedDevice>, Failure> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Failure::usage(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    let bad = || {
        Failure::usage(format!(
            "{} is not a device file (JSON with DeviceKey, DeviceGroupKey, DevicePassword)",
            path.display()
        ))
    };
    let value: Value = serde_json::from_str(&text).map_err(|_| bad())?;
    let field = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .ok_or_else(bad)
    };
    Ok(Some(RememberedDevice {
        device_key: field("DeviceKey")?,
        device_group_key: field("DeviceGroupKey")?,
        device_password: SecretString::new(&field("DevicePassword")?),
    }))
}

/// Stores `device` at `path`, readable by the owner only.
pub fn store(path: &Path, device: &RememberedDevice) -> Result<(), Failure> {
    let text = json!({
        "DeviceKey": device.device_key,
        "DeviceGroupKey": device.device_group_key,
        "DevicePassword": device.device_password.expose(),
    })
    .to_string();
    let file_name = path
        .file_name()
        .ok_or_else(|| Failure::usage(format!("{} is not a file path", path.display())))?;
    let mut temporary_name = file_name.to_os_string();
    temporary_name.push(format!(".tmp{}", std::process::id()));
    let temporary = path.with_file_name(temporary_name);
    let cannot = |e: std::io::Error| {
        Failure::failed(format!(
            "cannot write the device file {}: {e}",
            path.display()
        ))
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&temporary, path)) {
        let _ = fs::remove_file(&temporary);
        return Err(cannot(e));
    }
    Ok(())
}

/// Deletes the file of a device Cognito no longer knows.
pub fn remove(path: &Path) -> Result<(), Failure> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::failed(format!(
            "cannot delete {}: {e}",
            path.display()
        ))),
    }
}
