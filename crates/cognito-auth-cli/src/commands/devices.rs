//! `devices list | forget`: ListDevices (every page), ForgetDevice.

use cognito_auth_core::account::{DeviceInfo, ForgetDevice, ListDevices};
use serde_json::{Map, Value, json};

use crate::args;
use crate::error::Failure;
use crate::output::{print_json, step};

/// Most pages `devices list` follows (60 devices each, Cognito's largest page).
const MAX_PAGES: usize = 100;

pub fn run(command: &args::Devices) -> Result<(), Failure> {
    match command {
        args::Devices::List(token) => list(token),
        args::Devices::Forget(args) => forget(args),
    }
}

fn list(args: &args::AccessToken) -> Result<(), Failure> {
    let (client, transport, token) = super::access_token::access_token(args)?;
    let mut devices = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut operation = ListDevices::new(token.clone()).with_limit(60)?;
        if let Some(pagination_token) = &next {
            operation = operation.with_pagination_token(pagination_token);
        }
        let page = transport.run(&client, &operation)?;
        devices.extend(page.devices.iter().map(device_json));
        next = page.pagination_token;
        if next.is_none() {
            print_json(&json!({ "Devices": devices }));
            return Ok(());
        }
    }
    Err(Failure::failed(format!(
        "more than {MAX_PAGES} pages of devices; stopped"
    )))
}

/// A `DeviceType` as Cognito spells it (dates in seconds since the Unix epoch).
fn device_json(device: &DeviceInfo) -> Value {
    let attributes: Map<String, Value> = device
        .attributes
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    json!({
        "DeviceKey": device.device_key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": device.created,
        "DeviceLastModifiedDate": device.last_modified,
        "DeviceLastAuthenticatedDate": device.last_authenticated,
    })
}

fn forget(args: &args::ForgetDevice) -> Result<(), Failure> {
    let (client, transport, token) = super::access_token::access_token(&args.token)?;
    transport.run(&client, &ForgetDevice::new(token, &args.device_key))?;
    step(format!(
        "Device {} is forgotten; remove its device file if you kept one.",
        args.device_key
    ));
    Ok(())
}
