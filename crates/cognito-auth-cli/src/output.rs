//! What goes to stdout (results, as JSON or one line) and stderr (steps and errors).

use cognito_auth_core::wire::{AuthenticationResult, CodeDelivery};
use serde_json::{Map, Value, json};

use crate::error::Failure;

/// Prints `value` as pretty JSON on stdout.
pub fn print_json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
    );
}

/// A step of an interactive exchange, on stderr (stdout stays machine-readable).
pub fn step(message: impl core::fmt::Display) {
    eprintln!("{message}");
}

/// The error on stderr, prefixed with `error: `.
pub fn report(failure: &Failure) {
    eprintln!("error: {failure}");
}

/// Cognito's `AuthenticationResult`, as Cognito spells it. Contains the tokens: print only
/// after a successful sign-in or refresh.
pub fn authentication_result(tokens: &AuthenticationResult) -> Value {
    let mut result = Map::new();
    result.insert("AccessToken".into(), tokens.access_token.expose().into());
    result.insert("ExpiresIn".into(), tokens.expires_in.into());
    if let Some(id) = &tokens.id_token {
        result.insert("IdToken".into(), id.expose().into());
    }
    if let Some(refresh) = &tokens.refresh_token {
        result.insert("RefreshToken".into(), refresh.expose().into());
    }
    result.insert("TokenType".into(), tokens.token_type.as_str().into());
    if let Some(device) = &tokens.new_device_metadata {
        result.insert(
            "NewDeviceMetadata".into(),
            json!({
                "DeviceKey": device.device_key,
                "DeviceGroupKey": device.device_group_key,
            }),
        );
    }
    Value::Object(result)
}

/// `CodeDeliveryDetails`, as Cognito spells it.
pub fn code_delivery(delivery: &CodeDelivery) -> Value {
    json!({
        "Destination": delivery.destination,
        "DeliveryMedium": delivery.medium,
        "AttributeName": delivery.attribute_name,
    })
}

/// "to a***@e***.com by EMAIL", for a step line.
pub fn describe_delivery(delivery: &CodeDelivery) -> String {
    match (&delivery.destination, &delivery.medium) {
        (Some(to), Some(medium)) => format!("sent to {to} by {medium}"),
        (Some(to), None) => format!("sent to {to}"),
        (None, Some(medium)) => format!("sent by {medium}"),
        (None, None) => String::from("sent"),
    }
}
