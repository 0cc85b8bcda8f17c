//! Passkey JSON: the shapes Cognito and the platforms use, and hostile variations of them.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::*;

/// 16 bytes 0..15 in base64url.
const CHALLENGE: &str = "AAECAwQFBgcICQoLDA0ODw";

fn request_options() -> Value {
    json!({
        "challenge": CHALLENGE,
        "rpId": "auth.example.com",
        "timeout": 180000,
        "allowCredentials": [{"type": "public-key", "id": "q83vEjRWeJA", "transports": ["internal", "hybrid"]}],
        "userVerification": "required"
    })
}

fn creation_options() -> Value {
    json!({
        "challenge": CHALLENGE,
        "rp": {"id": "auth.example.com", "name": "Example"},
        "user": {"id": "dXNlci1oYW5kbGU", "name": "alice", "displayName": "Alice"},
        "pubKeyCredParams": [{"alg": -7, "type": "public-key"}, {"alg": -257, "type": "public-key"}],
        "timeout": 60000,
        "excludeCredentials": [{"type": "public-key", "id": "q83vEjRWeJA"}],
        "authenticatorSelection": {"residentKey": "required", "userVerification": "required"},
        "attestation": "none",
        "extensions": {"credProps": true}
    })
}

fn assertion() -> Value {
    json!({
        "id": "q83vEjRWeJA",
        "rawId": "q83vEjRWeJA",
        "type": "public-key",
        "response": {
            "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0",
            "authenticatorData": "SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ",
            "signature": "MEUCIQDx",
            "userHandle": "dXNlci1oYW5kbGU"
        },
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {}
    })
}

fn registration() -> Value {
    json!({
        "id": "q83vEjRWeJA",
        "rawId": "q83vEjRWeJA",
        "type": "public-key",
        "response": {
            "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
            "attestationObject": "o2NmbXRkbm9uZQ",
            "transports": ["internal"]
        },
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {}
    })
}

/// `value` with `pointer` (a JSON pointer) set to `replacement`, or removed when `None`.
fn edited(mut value: Value, pointer: &str, replacement: Option<Value>) -> String {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = value.pointer_mut(parent).unwrap();
    match (target, replacement) {
        (Value::Object(object), Some(new)) => {
            object.insert(key.to_string(), new);
        }
        (Value::Object(object), None) => {
            object.remove(key);
        }
        (Value::Array(items), Some(new)) => items[key.parse::<usize>().unwrap()] = new,
        _ => panic!("bad pointer {pointer}"),
    }
    value.to_string()
}

#[test]
fn request_options_are_typed() {
    let options = PasskeyRequestOptions::parse(&request_options().to_string()).unwrap();
    assert_eq!(options.challenge, CHALLENGE);
    assert_eq!(options.challenge_bytes(), (0u8..16).collect::<Vec<_>>());
    assert_eq!(options.rp_id.as_deref(), Some("auth.example.com"));
    assert_eq!(options.timeout_ms, Some(180_000));
    assert_eq!(options.user_verification.as_deref(), Some("required"));
    assert_eq!(options.allow_credentials.len(), 1);
    assert_eq!(
        options.allow_credentials[0].id_bytes(),
        [0xab, 0xcd, 0xef, 0x12, 0x34, 0x56, 0x78, 0x90]
    );
    assert_eq!(
        options.allow_credentials[0].transports,
        ["internal", "hybrid"]
    );
    let again: Value = serde_json::from_str(options.json()).unwrap();
    assert_eq!(again, request_options());
}

#[test]
fn minimal_request_options_and_padding() {
    let options =
        PasskeyRequestOptions::parse(&format!(r#"{{"challenge":"{CHALLENGE}=="}}"#)).unwrap();
    assert_eq!(options.challenge, CHALLENGE);
    assert!(options.allow_credentials.is_empty());
    assert_eq!(options.rp_id, None);
}

#[test]
fn hostile_request_options_are_refused() {
    let o = request_options;
    let cases: Vec<(String, PasskeyError)> = [
        (String::from("not json"), PasskeyError::NotJson),
        (
            String::from("[1,2]"),
            PasskeyError::WrongType { field: "(root)" },
        ),
        (
            String::from("\"str\""),
            PasskeyError::WrongType { field: "(root)" },
        ),
        (
            edited(o(), "/challenge", None),
            PasskeyError::Missing { field: "challenge" },
        ),
        (
            edited(o(), "/challenge", Some(json!(42))),
            PasskeyError::WrongType { field: "challenge" },
        ),
        (
            edited(o(), "/challenge", Some(json!("***"))),
            PasskeyError::NotBase64Url { field: "challenge" },
        ),
        (
            edited(o(), "/challenge", Some(json!(""))),
            PasskeyError::NotBase64Url { field: "challenge" },
        ),
        (
            edited(o(), "/challenge", Some(json!("AAEC"))),
            PasskeyError::ChallengeTooShort { len: 3 },
        ),
        (
            edited(o(), "/rpId", Some(json!(["x"]))),
            PasskeyError::WrongType { field: "rpId" },
        ),
        (
            edited(o(), "/timeout", Some(json!(-1))),
            PasskeyError::WrongType { field: "timeout" },
        ),
        (
            edited(o(), "/timeout", Some(json!("180000"))),
            PasskeyError::WrongType { field: "timeout" },
        ),
        (
            edited(o(), "/timeout", Some(json!(1.5))),
            PasskeyError::WrongType { field: "timeout" },
        ),
        (
            edited(o(), "/allowCredentials", Some(json!({}))),
            PasskeyError::WrongType {
                field: "allowCredentials",
            },
        ),
        (
            edited(o(), "/allowCredentials/0", Some(json!("id"))),
            PasskeyError::WrongType {
                field: "allowCredentials",
            },
        ),
        (
            edited(o(), "/allowCredentials/0/id", Some(json!(7))),
            PasskeyError::WrongType { field: "id" },
        ),
        (
            edited(o(), "/allowCredentials/0/id", None),
            PasskeyError::Missing { field: "id" },
        ),
        (
            edited(o(), "/allowCredentials/0/id", Some(json!("A".repeat(1400)))),
            PasskeyError::NotBase64Url { field: "id" },
        ),
        (
            edited(o(), "/allowCredentials/0/type", Some(json!("password"))),
            PasskeyError::NotPublicKey,
        ),
        (
            edited(o(), "/allowCredentials/0/transports", Some(json!([1]))),
            PasskeyError::WrongType {
                field: "transports",
            },
        ),
        (
            edited(
                o(),
                "/allowCredentials",
                Some(Value::Array(
                    core::iter::repeat_n(json!({"id": "q83vEjRWeJA"}), 65).collect(),
                )),
            ),
            PasskeyError::TooMany {
                field: "allowCredentials",
            },
        ),
        (
            edited(o(), "/userVerification", Some(json!(true))),
            PasskeyError::WrongType {
                field: "userVerification",
            },
        ),
    ]
    .into_iter()
    .collect();
    for (json, expected) in cases {
        assert_eq!(PasskeyRequestOptions::parse(&json), Err(expected), "{json}");
    }
}

#[test]
fn oversized_json_is_refused_before_parsing() {
    let big = format!(
        r#"{{"challenge":"{CHALLENGE}","pad":"{}"}}"#,
        "x".repeat(MAX_JSON_LEN)
    );
    assert_eq!(
        PasskeyRequestOptions::parse(&big),
        Err(PasskeyError::TooLong { len: big.len() })
    );
    assert_eq!(
        check_assertion(&big),
        Err(PasskeyError::TooLong { len: big.len() })
    );
    assert!(matches!(
        check_registration(&big),
        Err(PasskeyError::TooLong { .. })
    ));
    assert!(matches!(
        PasskeyCreationOptions::parse(&big),
        Err(PasskeyError::TooLong { .. })
    ));
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        PasskeyRequestOptions::parse(&deep),
        Err(PasskeyError::NotJson)
    );
}

#[test]
fn creation_options_are_typed() {
    let options = PasskeyCreationOptions::parse(&creation_options().to_string()).unwrap();
    assert_eq!(options.challenge, CHALLENGE);
    assert_eq!(options.rp_id.as_deref(), Some("auth.example.com"));
    assert_eq!(options.rp_name, "Example");
    assert_eq!(options.user_id_bytes(), b"user-handle");
    assert_eq!(options.user_name, "alice");
    assert_eq!(options.user_display_name, "Alice");
    assert_eq!(
        options.pub_key_cred_params,
        [
            PasskeyCredentialParameter { alg: -7 },
            PasskeyCredentialParameter { alg: -257 }
        ]
    );
    assert_eq!(options.timeout_ms, Some(60_000));
    assert_eq!(options.exclude_credentials[0].id, "q83vEjRWeJA");
    assert_eq!(options.resident_key.as_deref(), Some("required"));
    assert_eq!(options.user_verification.as_deref(), Some("required"));
    assert_eq!(options.authenticator_attachment, None);
    assert_eq!(options.attestation.as_deref(), Some("none"));
    let again: Value = serde_json::from_str(options.json()).unwrap();
    assert_eq!(again, creation_options());
}

#[test]
fn hostile_creation_options_are_refused() {
    let o = creation_options;
    let cases = [
        (
            edited(o(), "/rp", None),
            PasskeyError::Missing { field: "rp" },
        ),
        (
            edited(o(), "/rp", Some(json!("Example"))),
            PasskeyError::WrongType { field: "rp" },
        ),
        (
            edited(o(), "/rp/name", None),
            PasskeyError::Missing { field: "name" },
        ),
        (
            edited(o(), "/user", None),
            PasskeyError::Missing { field: "user" },
        ),
        (
            edited(o(), "/user/id", Some(json!("A".repeat(100)))),
            PasskeyError::NotBase64Url { field: "id" },
        ),
        (
            edited(o(), "/user/name", Some(json!(1))),
            PasskeyError::WrongType { field: "name" },
        ),
        (
            edited(o(), "/pubKeyCredParams", Some(json!([]))),
            PasskeyError::Missing {
                field: "pubKeyCredParams",
            },
        ),
        (
            edited(
                o(),
                "/pubKeyCredParams/0",
                Some(json!({"type": "public-key"})),
            ),
            PasskeyError::Missing { field: "alg" },
        ),
        (
            edited(o(), "/pubKeyCredParams/0", Some(json!({"alg": "ES256"}))),
            PasskeyError::WrongType { field: "alg" },
        ),
        (
            edited(o(), "/pubKeyCredParams/0", Some(json!({"alg": 1e300}))),
            PasskeyError::WrongType { field: "alg" },
        ),
        (
            edited(o(), "/authenticatorSelection", Some(json!([]))),
            PasskeyError::WrongType {
                field: "authenticatorSelection",
            },
        ),
        (
            edited(o(), "/authenticatorSelection/residentKey", Some(json!(1))),
            PasskeyError::WrongType {
                field: "residentKey",
            },
        ),
        (
            edited(o(), "/excludeCredentials/0/type", Some(json!("x"))),
            PasskeyError::NotPublicKey,
        ),
        (
            edited(o(), "/challenge", Some(json!("AA"))),
            PasskeyError::ChallengeTooShort { len: 1 },
        ),
    ];
    for (json, expected) in cases {
        assert_eq!(
            PasskeyCreationOptions::parse(&json),
            Err(expected),
            "{json}"
        );
    }
}

#[test]
fn assertions_are_checked() {
    let checked = check_assertion(&assertion().to_string()).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&checked).unwrap(),
        assertion()
    );
    assert!(check_assertion(&edited(assertion(), "/response/userHandle", None)).is_ok());
    assert!(
        check_assertion(&edited(
            assertion(),
            "/response/userHandle",
            Some(Value::Null)
        ))
        .is_ok()
    );
    let a = assertion;
    let cases = [
        (
            edited(a(), "/id", None),
            PasskeyError::Missing { field: "id" },
        ),
        (
            edited(a(), "/rawId", Some(json!("AAAA"))),
            PasskeyError::IdMismatch,
        ),
        (
            edited(a(), "/type", Some(json!("password"))),
            PasskeyError::NotPublicKey,
        ),
        (
            edited(a(), "/type", None),
            PasskeyError::Missing { field: "type" },
        ),
        (
            edited(a(), "/response", None),
            PasskeyError::Missing { field: "response" },
        ),
        (
            edited(a(), "/response", Some(json!("x"))),
            PasskeyError::WrongType { field: "response" },
        ),
        (
            edited(a(), "/response/signature", None),
            PasskeyError::Missing { field: "signature" },
        ),
        (
            edited(a(), "/response/authenticatorData", Some(json!("+/+/"))),
            PasskeyError::NotBase64Url {
                field: "authenticatorData",
            },
        ),
        (
            edited(a(), "/response/clientDataJSON", Some(json!(["x"]))),
            PasskeyError::WrongType {
                field: "clientDataJSON",
            },
        ),
        (
            edited(a(), "/response/userHandle", Some(json!("A".repeat(100)))),
            PasskeyError::NotBase64Url {
                field: "userHandle",
            },
        ),
        (
            edited(a(), "/clientExtensionResults", Some(json!(1))),
            PasskeyError::WrongType {
                field: "clientExtensionResults",
            },
        ),
    ];
    for (json, expected) in cases {
        assert_eq!(check_assertion(&json), Err(expected), "{json}");
    }
}

#[test]
fn registrations_are_checked() {
    let checked = check_registration(&registration().to_string()).unwrap();
    assert_eq!(Value::Object(checked), registration());
    let r = registration;
    let cases = [
        (
            edited(r(), "/response/attestationObject", None),
            PasskeyError::Missing {
                field: "attestationObject",
            },
        ),
        (
            edited(r(), "/response/transports", Some(json!("internal"))),
            PasskeyError::WrongType {
                field: "transports",
            },
        ),
        (
            edited(r(), "/rawId", Some(json!("q83vEjRWeJB"))),
            PasskeyError::NotBase64Url { field: "rawId" },
        ),
        (
            edited(r(), "/id", Some(json!("AQID"))),
            PasskeyError::IdMismatch,
        ),
    ];
    for (json, expected) in cases {
        assert_eq!(check_registration(&json), Err(expected), "{json}");
    }
}
