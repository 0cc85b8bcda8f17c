//! [`Request`]: one HTTP request for the app to send.

use alloc::string::String;
use core::fmt::{self, Write as _};

use serde_json::Value;
use zeroize::Zeroize;

use super::{CONTENT_TYPE, Operation};

/// One HTTP request for the app to send: `POST` to the [`Endpoint`](super::Endpoint) with
/// [`headers`](Self::headers) and [`body`](Self::body), then hand the status, the
/// [`ERROR_TYPE_HEADER`](super::ERROR_TYPE_HEADER) and the response body back to the core.
///
/// The body may hold a password, a one-time code or a token. It is never printed by `Debug`
/// (which shows the operation and the body's length), and it is zeroized when the request is
/// dropped. Do not log it.
#[derive(Clone, PartialEq, Eq)]
#[must_use = "send this request and feed the response back"]
pub struct Request {
    operation: Operation,
    body: String,
}

impl Request {
    /// Serialises `body` (compact JSON) for `operation`.
    ///
    /// The caller still owns `body`; if it holds secrets, prefer [`Request::from_value`], which
    /// wipes them.
    pub(crate) fn new(operation: Operation, body: &Value) -> Self {
        Self {
            operation,
            body: to_json(body),
        }
    }

    /// Serialises `body` for `operation`, then overwrites every string in `body` (passwords,
    /// codes, tokens) before it is dropped.
    pub(crate) fn from_value(operation: Operation, mut body: Value) -> Self {
        let request = Self::new(operation, &body);
        wipe(&mut body);
        request
    }

    /// The operation, which names the `x-amz-target` header.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The JSON body to send verbatim. It may contain secrets (passwords, codes, tokens).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The two headers to send, besides whatever the HTTP client adds (`host`,
    /// `content-length`): `content-type` and `x-amz-target`.
    pub fn headers(&self) -> [(&'static str, &'static str); 2] {
        [
            ("content-type", CONTENT_TYPE),
            ("x-amz-target", self.operation.target()),
        ]
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field(
                "body",
                &format_args!("<{} bytes, redacted>", self.body.len()),
            )
            .finish()
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        self.body.zeroize();
    }
}

/// Compact JSON, written into a buffer allocated once at its final size so that no partial
/// copy of a secret is left behind in memory freed by a reallocation.
fn to_json(value: &Value) -> String {
    struct Count(usize);
    impl fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 = self.0.saturating_add(s.len());
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` to a formatter cannot fail: its map keys are strings and
    // `Count::write_str` never errors. Should it ever, the body is simply what was written.
    let _ = write!(count, "{value}");
    let mut json = String::with_capacity(count.0);
    let _ = write!(json, "{value}");
    json
}

/// Overwrites every string in a JSON value, keys excepted (they are member names).
pub(crate) fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(members) => members.values_mut().for_each(wipe),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use serde_json::json;

    fn initiate_auth() -> Request {
        Request::new(
            Operation::InitiateAuth,
            &json!({
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": "2od40example",
                "AuthParameters": {"USERNAME": "alice", "PASSWORD": "hunter2-\"quoted\"-ü"},
            }),
        )
    }

    #[test]
    fn headers_name_the_protocol_and_the_operation() {
        assert_eq!(
            initiate_auth().headers(),
            [
                ("content-type", "application/x-amz-json-1.1"),
                (
                    "x-amz-target",
                    "AWSCognitoIdentityProviderService.InitiateAuth"
                ),
            ]
        );
        assert_eq!(initiate_auth().operation(), Operation::InitiateAuth);
    }

    #[test]
    fn body_is_compact_json_that_round_trips() {
        let request = initiate_auth();
        assert_eq!(
            request.body.capacity(),
            request.body.len(),
            "allocated once"
        );
        let parsed: Value = serde_json::from_str(request.body()).unwrap();
        assert_eq!(parsed["AuthParameters"]["PASSWORD"], "hunter2-\"quoted\"-ü");
        assert_eq!(parsed["AuthFlow"], "USER_PASSWORD_AUTH");
        assert_eq!(
            request.body(),
            serde_json::to_string(&parsed).unwrap(),
            "same text as serde_json::to_string"
        );
    }

    #[test]
    fn debug_shows_operation_and_length_but_not_the_body() {
        let request = initiate_auth();
        for text in [format!("{request:?}"), format!("{request:#?}")] {
            assert!(!text.contains("hunter2"), "{text}");
            assert!(!text.contains("alice"), "{text}");
            assert!(text.contains("InitiateAuth"), "{text}");
            assert!(
                text.contains(&format!("<{} bytes, redacted>", request.body().len())),
                "{text}"
            );
        }
    }

    #[test]
    fn from_value_wipes_the_strings_it_was_given() {
        let mut value = json!({"A": ["x", {"B": "secret"}], "N": 1});
        let request = Request::new(Operation::SignUp, &value);
        wipe(&mut value);
        assert_eq!(value, json!({"A": ["", {"B": ""}], "N": 1}));
        assert_eq!(request.body(), r#"{"A":["x",{"B":"secret"}],"N":1}"#);
        let moved = Request::from_value(Operation::SignUp, json!({"B": "secret"}));
        assert_eq!(moved.body(), r#"{"B":"secret"}"#);
    }
}
