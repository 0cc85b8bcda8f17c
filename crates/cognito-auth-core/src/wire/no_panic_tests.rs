//! Property tests: no byte string makes any wire parser panic, and well-typed responses parse.

use alloc::string::String;
use alloc::vec::Vec;

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::{AuthResponse, ChallengeName, Endpoint, ServiceError, json_object};

const KEYS: &[&str] = &[
    "ChallengeName",
    "Session",
    "ChallengeParameters",
    "AuthenticationResult",
    "AvailableChallenges",
    "AccessToken",
    "IdToken",
    "RefreshToken",
    "ExpiresIn",
    "TokenType",
    "NewDeviceMetadata",
    "DeviceKey",
    "DeviceGroupKey",
    "__type",
    "code",
    "message",
    "Message",
];

/// JSON values built from the member names Cognito uses, so that the parsers' type checks are
/// reached far more often than with random bytes.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        proptest::sample::select(KEYS).prop_map(String::from),
        "[a-zA-Z_#:,]{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|members| { Value::Object(members.into_iter().collect::<Map<_, _>>(),) }),
        ]
    })
}

fn json_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<Vec<u8>>(),
        json_value().prop_map(|value| serde_json::to_vec(&value).unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn no_body_panics_a_parser(
        body in json_bytes(),
        status in any::<u16>(),
        header in proptest::option::of(".{0,40}"),
    ) {
        let _ = AuthResponse::parse(&body);
        let _ = json_object(&body);
        let error = ServiceError::parse(status, header.as_deref(), &body);
        prop_assert!(!error.code().is_empty());
        prop_assert!(error.code().len() <= ServiceError::MAX_CODE_LEN);
        prop_assert!(error.message().len() <= ServiceError::MAX_MESSAGE_LEN);
        let _ = (error.is_retryable(), error.restarts_sign_in(), error.backend_hint());
        let _ = alloc::format!("{error}");
    }

    #[test]
    fn no_string_panics_the_string_parsers(text in ".{0,64}", bytes in any::<Vec<u8>>()) {
        let text_from_bytes = String::from_utf8_lossy(&bytes);
        for input in [text.as_str(), &text_from_bytes] {
            let challenge = ChallengeName::parse(input);
            prop_assert_eq!(challenge.as_str(), input);
            if let Ok(endpoint) = Endpoint::for_region(input) {
                prop_assert!(endpoint.as_str().starts_with("https://cognito-idp."));
            }
            if let Ok(endpoint) = Endpoint::custom(input) {
                prop_assert_eq!(endpoint.as_str(), input);
            }
        }
    }

    #[test]
    fn well_typed_responses_parse(
        name in "[A-Z_]{1,24}",
        session in proptest::option::of("[A-Za-z0-9+/=]{1,64}"),
        parameters in proptest::collection::btree_map("[A-Z_]{1,16}", ".{0,16}", 0..6),
        available in proptest::collection::vec("[A-Z_]{1,12}", 0..4),
        expires_in in any::<u64>(),
    ) {
        let challenge = json!({
            "ChallengeName": name,
            "Session": session,
            "ChallengeParameters": parameters,
            "AvailableChallenges": available,
        });
        let response = AuthResponse::parse(&serde_json::to_vec(&challenge).unwrap()).unwrap();
        let challenge_name = response.challenge_name.as_ref().map(ChallengeName::as_str);
        prop_assert_eq!(challenge_name, Some(name.as_str()));
        prop_assert_eq!(response.session, session);
        prop_assert_eq!(response.challenge_parameters, parameters);
        prop_assert_eq!(response.available_challenges, available);

        let tokens = json!({"AuthenticationResult": {"AccessToken": "a", "ExpiresIn": expires_in}});
        let response = AuthResponse::parse(&serde_json::to_vec(&tokens).unwrap()).unwrap();
        prop_assert_eq!(response.authentication_result.map(|r| r.expires_in), Some(expires_in));
    }
}
