//! What goes to stdout (results, as JSON or one line) and stderr (steps and errors).

use cognito_auth_core::wire::{AuthenticationResult, CodeDelivery};
use serde_json::{Map, Value, json};

use crate::error::Failure;
use crate::sanitize::{escape_controls, json_escape_unsafe};

/// Prints `value` as pretty JSON on stdout, with terminal controls in its strings as `\uXXXX`
/// escapes (the same JSON value).
pub fn print_json(value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    println!("{}", json_escape_unsafe(&text));
}

/// A step of an interactive exchange, on stderr (stdout stays machine-readable).
pub fn step(message: impl core::fmt::Display) {
    eprintln!("{}", terminal_safe(&message.to_string()));
}

/// A warning on stderr, prefixed with `warning: `.
pub fn warn(message: impl core::fmt::Display) {
    eprintln!("warning: {}", terminal_safe(&message.to_string()));
}

/// The error on stderr, prefixed with `error: `.
pub fn report(failure: &Failure) {
    eprintln!("error: {}", terminal_safe(&failure.to_string()));
}

/// A prompt on stderr, without a line break; `what` may be a server's word (an attribute name).
pub fn prompt(what: &str) -> String {
    format!("{}: ", escape_controls(what))
}

/// `message` with every line passed through [`escape_controls`]: the tool's own line breaks
/// stay, anything else a terminal could act on is shown escaped. Server text inside `message`
/// was escaped whole where it entered ([`server_text`]), so it cannot add lines either.
fn terminal_safe(message: &str) -> String {
    let lines: Vec<_> = message.split('\n').map(escape_controls).collect();
    lines.join("\n")
}

/// Text from the network (an error message, a destination, a device key), escaped whole, line
/// breaks included, before it joins a message.
pub fn server_text(text: &str) -> String {
    escape_controls(text)
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

/// "to a***@e***.com by EMAIL", for a step line (the server's words escaped).
pub fn describe_delivery(delivery: &CodeDelivery) -> String {
    let destination = delivery.destination.as_deref().map(server_text);
    let medium = delivery.medium.as_deref().map(server_text);
    match (&destination, &medium) {
        (Some(to), Some(medium)) => format!("sent to {to} by {medium}"),
        (Some(to), None) => format!("sent to {to}"),
        (None, Some(medium)) => format!("sent by {medium}"),
        (None, None) => String::from("sent"),
    }
}
