//! Property tests: context data for any device facts, and the passkey checks for any JSON.
//!
//! Context data: whatever the facts and username, `encode` either refuses with a typed error or
//! yields Base64 that decodes to `{"payload","signature","version"}`, whose payload carries exactly
//! the non-empty, NUL-cut facts, and whose signature an HMAC computed here (with the `hmac`
//! crate directly) confirms. Passkeys: no JSON value makes a check panic; options and credentials
//! built from random bytes in the right shape are accepted and give the bytes back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use alloc::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cognito_auth_core::UserPoolId;
use cognito_auth_core::context_data::{
    ContextData, ContextDataError, ContextDataVersion, DeviceFacts, ENCODED_DATA_MAX_LEN,
};
use cognito_auth_core::passkey::{
    PasskeyCreationOptions, PasskeyRequestOptions, check_assertion, check_registration,
};
use hmac::{Hmac, Mac};
use proptest::prelude::*;
use serde_json::{Value, json};
use sha2::Sha256;

/// Text with NULs, quotes, backslashes, controls and non-ASCII characters now and then.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._:-]{0,12}",
        "[\\x00-\\x1f\"\\\\/a\\x{e9}\\x{2028}\\x{1F600}]{0,8}",
        any::<String>(),
    ]
}

fn version() -> impl Strategy<Value = ContextDataVersion> {
    prop_oneof![
        Just(ContextDataVersion::Android),
        Just(ContextDataVersion::Ios),
        Just(ContextDataVersion::Flutter),
    ]
}

fn facts() -> impl Strategy<Value = DeviceFacts> {
    (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(any::<u32>()),
        proptest::collection::btree_map(text(), text(), 0..4),
    )
        .prop_map(
            |(device_name, device_id, phone_type, height, extra)| DeviceFacts {
                device_name,
                device_id,
                phone_type,
                screen_height_pixels: height,
                extra,
                ..DeviceFacts::default()
            },
        )
}

/// What `contextData` must hold, computed here: values cut at the first NUL, empty ones left
/// out, typed fields over extras.
fn expected_context(facts: &DeviceFacts) -> Option<BTreeMap<String, String>> {
    let cut = |s: &str| s.split('\0').next().unwrap_or("").to_owned();
    let mut map = BTreeMap::new();
    for (key, value) in &facts.extra {
        if cut(key).is_empty() {
            return None; // refused: an empty key
        }
        if !cut(value).is_empty() {
            map.insert(cut(key), cut(value));
        }
    }
    let typed = [
        ("DeviceName", facts.device_name.clone()),
        ("DeviceId", facts.device_id.clone()),
        ("PhoneType", facts.phone_type.clone()),
        (
            "ScreenHeightPixels",
            facts.screen_height_pixels.map(|n| n.to_string()),
        ),
    ];
    for (key, value) in typed {
        if let Some(value) = value.map(|v| cut(&v)).filter(|v| !v.is_empty()) {
            map.insert(key.to_owned(), value);
        }
    }
    Some(map)
}

fn descriptor_list() -> impl Strategy<Value = Vec<Vec<u8>>> {
    proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..64), 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encoded_data_decodes_to_what_was_signed(
        version in version(),
        facts in facts(),
        username in text(),
        client_id in "[a-z0-9]{1,26}",
        timestamp in any::<u64>(),
    ) {
        let pool = UserPoolId::parse("eu-west-1_Abc123").unwrap();
        let data = ContextData::new(version, facts.clone());
        let result = data.encode(&username, &pool, &client_id, timestamp);
        let Some(expected) = expected_context(&facts) else {
            prop_assert_eq!(result, Err(ContextDataError::EmptyKey));
            return Ok(());
        };
        let encoded = result.unwrap();
        prop_assert!(encoded.as_str().len() <= ENCODED_DATA_MAX_LEN);
        let outer: Value = serde_json::from_slice(&STANDARD.decode(encoded.as_str()).unwrap()).unwrap();
        let keys: Vec<&String> = outer.as_object().unwrap().keys().collect();
        prop_assert_eq!(keys, ["payload", "signature", "version"]);
        prop_assert_eq!(&outer["version"], version.as_str());
        let payload = outer["payload"].as_str().unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(client_id.as_bytes()).unwrap();
        mac.update(version.as_str().as_bytes());
        mac.update(payload.as_bytes());
        prop_assert_eq!(&outer["signature"], &STANDARD.encode(mac.finalize().into_bytes()));
        let payload: Value = serde_json::from_str(payload).unwrap();
        let context: BTreeMap<String, String> =
            serde_json::from_value(payload["contextData"].clone()).unwrap();
        prop_assert_eq!(context, expected);
        prop_assert_eq!(&payload["username"], &username);
        prop_assert_eq!(&payload["userPoolId"], "eu-west-1_Abc123");
        prop_assert_eq!(&payload["timestamp"], &timestamp.to_string());
    }

    #[test]
    fn passkey_checks_never_panic_on_json(value in arbitrary_json()) {
        let text = value.to_string();
        let _ = PasskeyRequestOptions::parse(&text);
        let _ = PasskeyCreationOptions::parse(&text);
        let _ = check_assertion(&text);
        let _ = check_registration(&text);
        // The same value as the `challenge`, `rp`, `user`, `response` members.
        for key in ["challenge", "rp", "user", "response", "allowCredentials", "pubKeyCredParams"] {
            let wrapped = json!({ key: value.clone() }).to_string();
            let _ = PasskeyRequestOptions::parse(&wrapped);
            let _ = PasskeyCreationOptions::parse(&wrapped);
            let _ = check_assertion(&wrapped);
        }
    }

    #[test]
    fn well_shaped_request_options_give_their_bytes_back(
        challenge in proptest::collection::vec(any::<u8>(), 16..128),
        ids in descriptor_list(),
        rp_id in text(),
        timeout in any::<u64>(),
    ) {
        let allow: Vec<Value> = ids.iter()
            .map(|id| json!({"type": "public-key", "id": URL_SAFE_NO_PAD.encode(id)}))
            .collect();
        let json = json!({"challenge": URL_SAFE_NO_PAD.encode(&challenge), "rpId": rp_id,
            "timeout": timeout, "allowCredentials": allow}).to_string();
        let options = PasskeyRequestOptions::parse(&json).unwrap();
        prop_assert_eq!(options.challenge_bytes(), challenge);
        prop_assert_eq!(options.json(), json.as_str());
        prop_assert_eq!(options.rp_id, Some(rp_id));
        prop_assert_eq!(options.timeout_ms, Some(timeout));
        let back: Vec<Vec<u8>> = options.allow_credentials.iter().map(|d| d.id_bytes()).collect();
        prop_assert_eq!(back, ids);
    }

    #[test]
    fn short_challenges_are_refused(challenge in proptest::collection::vec(any::<u8>(), 1..16)) {
        let json = json!({"challenge": URL_SAFE_NO_PAD.encode(&challenge)}).to_string();
        prop_assert!(PasskeyRequestOptions::parse(&json).is_err());
    }

    #[test]
    fn well_shaped_credentials_are_accepted_and_id_must_equal_raw_id(
        id in proptest::collection::vec(any::<u8>(), 1..64),
        other in proptest::collection::vec(any::<u8>(), 1..64),
        blobs in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..200), 3),
    ) {
        let b = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        let assertion = json!({"id": b(&id), "rawId": b(&id), "type": "public-key",
            "response": {"clientDataJSON": b(&blobs[0]), "authenticatorData": b(&blobs[1]),
                         "signature": b(&blobs[2])}});
        let checked = check_assertion(&assertion.to_string()).unwrap();
        prop_assert_eq!(serde_json::from_str::<Value>(&checked).unwrap(), assertion);
        let registration = json!({"id": b(&id), "rawId": b(&id), "type": "public-key",
            "response": {"clientDataJSON": b(&blobs[0]), "attestationObject": b(&blobs[1])}});
        prop_assert!(check_registration(&registration.to_string()).is_ok());
        if other != id {
            let mismatched = json!({"id": b(&id), "rawId": b(&other), "type": "public-key",
                "response": {"clientDataJSON": b(&blobs[0]), "authenticatorData": b(&blobs[1]),
                             "signature": b(&blobs[2])}});
            prop_assert!(check_assertion(&mismatched.to_string()).is_err());
        }
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::from),
        Just(Value::from("AAECAwQFBgcICQoLDA0ODw")),
        Just(Value::from("public-key")),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("challenge".to_owned()),
                    Just("id".to_owned()),
                    Just("rawId".to_owned()),
                    Just("type".to_owned()),
                    Just("response".to_owned()),
                    Just("rp".to_owned()),
                    Just("user".to_owned()),
                    Just("name".to_owned()),
                    Just("pubKeyCredParams".to_owned()),
                    Just("alg".to_owned()),
                    Just("allowCredentials".to_owned()),
                    "[a-zA-Z]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
