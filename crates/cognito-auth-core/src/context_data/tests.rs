//! Known answers from an independent Python implementation, and the rules around them.
//!
//! No Amplify repository pins a full `EncodedData` (reference/beyond.md §1), so the vectors in
//! `tests/data/context_data/vectors.json` are **not from a primary source**: they come from
//! `tests/data/context_data/generate.py`, written from the description of the algorithm with
//! Python's `json`, `hmac` and `base64`. Its first case reproduces the vector beyond.md gives
//! (also computed with Python).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::*;

const VECTORS: &str = include_str!("../../tests/data/context_data/vectors.json");

fn facts_from(case: &Value) -> DeviceFacts {
    let mut facts = DeviceFacts::default();
    let text = |v: &Value| Some(v.as_str().unwrap().to_string());
    for (field, value) in case["facts"].as_object().unwrap() {
        match field.as_str() {
            "application_name" => facts.application_name = text(value),
            "application_target_sdk" => facts.application_target_sdk = text(value),
            "application_version" => facts.application_version = text(value),
            "device_name" => facts.device_name = text(value),
            "device_fingerprint" => facts.device_fingerprint = text(value),
            "device_os_release_version" => facts.device_os_release_version = text(value),
            "build_type" => facts.build_type = text(value),
            "platform" => facts.platform = text(value),
            "client_timezone" => facts.client_timezone = text(value),
            "device_language" => facts.device_language = text(value),
            "screen_height_pixels" => {
                facts.screen_height_pixels = Some(u32::try_from(value.as_u64().unwrap()).unwrap());
            }
            "screen_width_pixels" => {
                facts.screen_width_pixels = Some(u32::try_from(value.as_u64().unwrap()).unwrap());
            }
            "third_party_device_id" => facts.third_party_device_id = text(value),
            "device_id" => facts.device_id = text(value),
            "device_brand" => facts.device_brand = text(value),
            "device_hardware" => facts.device_hardware = text(value),
            "product" => facts.product = text(value),
            "device_sdk_version" => facts.device_sdk_version = text(value),
            "phone_type" => facts.phone_type = text(value),
            other => panic!("unknown fact {other}"),
        }
    }
    for (key, value) in case["extra"].as_object().unwrap() {
        facts
            .extra
            .insert(key.clone(), value.as_str().unwrap().to_string());
    }
    facts
}

fn version_of(name: &str) -> ContextDataVersion {
    match name {
        "android" => ContextDataVersion::Android,
        "ios" => ContextDataVersion::Ios,
        "flutter" => ContextDataVersion::Flutter,
        other => panic!("unknown version {other}"),
    }
}

#[test]
fn python_vectors_agree_step_by_step() {
    let cases: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let data = ContextData::new(
            version_of(case["version"].as_str().unwrap()),
            facts_from(case),
        );
        let pool = UserPoolId::parse(case["user_pool_id"].as_str().unwrap()).unwrap();
        let username = case["username"].as_str().unwrap();
        let timestamp = case["timestamp_ms"].as_u64().unwrap();
        let client_id = case["client_id"].as_str().unwrap();
        let payload = data.payload(username, &pool, timestamp).unwrap();
        assert_eq!(
            payload,
            case["payload"].as_str().unwrap(),
            "payload of {name}"
        );
        assert_eq!(
            signature(client_id, data.version(), &payload),
            case["signature"].as_str().unwrap(),
            "signature of {name}"
        );
        let encoded = data.encode(username, &pool, client_id, timestamp).unwrap();
        assert_eq!(
            encoded.as_str(),
            case["encoded_data"].as_str().unwrap(),
            "EncodedData of {name}"
        );
    }
}

/// The two values reference/beyond.md §1 states, typed in here by hand as well (computed
/// with Python's hmac/base64 from the description: not from a primary source).
#[test]
fn beyond_md_vectors() {
    assert_eq!(
        signature("clientId", ContextDataVersion::Ios, "contextJson"),
        "J6M4nj6vyYJo9xWVx8J7/Xrfy12UHTuuhHv+TEfwXmo="
    );
    let payload = r#"{"contextData":{"DeviceId":"deviceId"},"username":"user","userPoolId":"us-east-1_pool","timestamp":"1790000000123"}"#;
    assert_eq!(
        signature("client-id", ContextDataVersion::Android, payload),
        "GCBDWCtAZv4+wHcoSlZ1Wh6ketmbqinHUu7cyvmoNxw="
    );
    let data = ContextData::new(
        ContextDataVersion::Android,
        DeviceFacts {
            device_id: Some("deviceId".into()),
            ..DeviceFacts::default()
        },
    );
    let pool = UserPoolId::parse("us-east-1_pool").unwrap();
    assert_eq!(
        data.payload("user", &pool, 1_790_000_000_123).unwrap(),
        payload
    );
    assert_eq!(
        data.encode("user", &pool, "client-id", 1_790_000_000_123)
            .unwrap()
            .as_str(),
        "eyJwYXlsb2FkIjoie1wiY29udGV4dERhdGFcIjp7XCJEZXZpY2VJZFwiOlwiZGV2aWNlSWRcIn0sXCJ1c2VybmFtZVwiOlwidXNlclwiLFwidXNlclBvb2xJZFwiOlwidXMtZWFzdC0xX3Bvb2xcIixcInRpbWVzdGFtcFwiOlwiMTc5MDAwMDAwMDEyM1wifSIsInNpZ25hdHVyZSI6IkdDQkRXQ3RBWnY0K3dIY29TbFoxV2g2a2V0bWJxaW5IVXU3Y3l2bW9OeHc9IiwidmVyc2lvbiI6IkFORFJPSUQyMDE3MTExNCJ9"
    );
}

#[test]
fn version_strings() {
    assert_eq!(ContextDataVersion::Android.as_str(), "ANDROID20171114");
    assert_eq!(ContextDataVersion::Ios.as_str(), "IOS20171114");
    assert_eq!(ContextDataVersion::Flutter.as_str(), "FLUTTER20230306");
}

/// What amplify-android's `DeviceDataCollectorTest` expects (Robolectric en-rUS-w75dp-h150dp,
/// UTC), reproduced from the facts an app would pass.
#[test]
fn android_collector_test_shape() {
    let facts = DeviceFacts {
        client_timezone: Some(format_timezone(
            0,
            ContextDataVersion::Android.timezone_style(),
        )),
        platform: Some("ANDROID".into()),
        third_party_device_id: Some("android_id".into()),
        device_id: Some("input".into()),
        device_language: Some("en_US".into()),
        screen_height_pixels: Some(150),
        screen_width_pixels: Some(75),
        ..DeviceFacts::default()
    };
    let expected: BTreeMap<String, String> = [
        ("ClientTimezone", "00:00"),
        ("Platform", "ANDROID"),
        ("ThirdPartyDeviceId", "android_id"),
        ("DeviceId", "input"),
        ("DeviceLanguage", "en_US"),
        ("ScreenHeightPixels", "150"),
        ("ScreenWidthPixels", "75"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(facts.to_map().unwrap(), expected);
}

#[test]
fn nul_padding_is_cut_and_empty_values_dropped() {
    let facts = DeviceFacts {
        phone_type: Some("x86_64\0\0\0\0".into()),
        device_name: Some("\0garbage".into()),
        build_type: Some(String::new()),
        extra: [("Key\0junk".to_string(), "v\0w".to_string())].into(),
        ..DeviceFacts::default()
    };
    let map = facts.to_map().unwrap();
    assert_eq!(map.get("PhoneType").map(String::as_str), Some("x86_64"));
    assert_eq!(map.get("Key").map(String::as_str), Some("v"));
    assert!(!map.contains_key("DeviceName"));
    assert!(!map.contains_key("BuildType"));
    assert_eq!(map.len(), 2);
}

#[test]
fn empty_extra_key_is_refused() {
    let facts = DeviceFacts {
        extra: [("\0x".to_string(), "v".to_string())].into(),
        ..DeviceFacts::default()
    };
    assert_eq!(facts.to_map(), Err(ContextDataError::EmptyKey));
    let data = ContextData::new(ContextDataVersion::Ios, facts);
    let pool = UserPoolId::parse("us-east-1_pool").unwrap();
    assert_eq!(
        data.encode("u", &pool, "c", 0),
        Err(ContextDataError::EmptyKey)
    );
}

#[test]
fn the_length_limit_is_a_typed_error() {
    let pool = UserPoolId::parse("us-east-1_pool").unwrap();
    let sized = |len: usize| {
        ContextData::new(
            ContextDataVersion::Android,
            DeviceFacts {
                device_name: Some("a".repeat(len)),
                ..DeviceFacts::default()
            },
        )
        .encode("user", &pool, "client-id", 1)
    };
    // Find the largest fact that still fits, by bisection, and check both sides of the limit.
    let (mut fits, mut too_long) = (0, 200_000);
    while too_long - fits > 1 {
        let middle = (fits + too_long) / 2;
        if sized(middle).is_ok() {
            fits = middle;
        } else {
            too_long = middle;
        }
    }
    let largest = sized(fits).unwrap();
    assert!(largest.as_str().len() <= ENCODED_DATA_MAX_LEN);
    assert!(largest.as_str().len() > ENCODED_DATA_MAX_LEN - 4);
    match sized(too_long) {
        Err(ContextDataError::TooLong { length }) => assert!(length > ENCODED_DATA_MAX_LEN),
        other => panic!("{other:?}"),
    }
}

#[test]
fn encoded_data_is_one_line_and_decodes_to_the_outer_json() {
    let data = ContextData::new(
        ContextDataVersion::Flutter,
        DeviceFacts {
            device_fingerprint: Some("x".repeat(300)),
            ..DeviceFacts::default()
        },
    );
    let client = ClientConfig::new(UserPoolId::parse("us-east-1_pool").unwrap(), "cid").unwrap();
    let encoded = data
        .encode_for("bob", &client, UnixTime::from_secs(1_800_000_000))
        .unwrap();
    assert!(!encoded.as_str().contains('\n'));
    let outer: Value = serde_json::from_slice(&STANDARD.decode(encoded.as_str()).unwrap()).unwrap();
    let keys: Vec<&String> = outer.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["payload", "signature", "version"]);
    assert_eq!(outer["version"], "FLUTTER20230306");
    let payload: Value = serde_json::from_str(outer["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["timestamp"], "1800000000000");
    assert_eq!(payload["username"], "bob");
    assert_eq!(payload["userPoolId"], "us-east-1_pool");
    assert_eq!(
        outer["signature"].as_str().unwrap(),
        signature(
            "cid",
            ContextDataVersion::Flutter,
            outer["payload"].as_str().unwrap()
        )
    );
}
