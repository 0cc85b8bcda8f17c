//! `SignInCredentials.client_metadata` through the exported `SignInSession`: the `InitiateAuth`
//! and the `RespondToAuthChallenge` carry the same `ClientMetadata` (canned Cognito responses).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::collections::HashMap;

use cognito_auth_ffi::sign_in::{
    AuthFlow, ChallengeAnswer, SignInCredentials, SignInSession, SignInStep,
};
use cognito_auth_ffi::types::ClientConfig;
use serde_json::{Value, json};

fn body(step: SignInStep) -> Value {
    match step {
        SignInStep::SendRequest { request } => serde_json::from_str(&request.body).unwrap(),
        other => panic!("expected a request, got {other:?}"),
    }
}

#[test]
fn client_metadata_reaches_every_request_and_is_not_printed() {
    let credentials = SignInCredentials {
        username: "alice".into(),
        flow: AuthFlow::CustomWithoutSrp,
        password: None,
        device: None,
        device_name: None,
        client_metadata: HashMap::from([
            ("captcha".to_owned(), "captcha-secret".to_owned()),
            ("app_version".to_owned(), "4.2".to_owned()),
        ]),
    };
    let printed = format!("{credentials:?} {credentials}");
    assert!(!printed.contains("captcha-secret"), "{printed}");
    assert!(printed.contains("captcha"), "the keys are shown: {printed}");
    let config = ClientConfig {
        user_pool_id: "us-east-1_Abc123XyZ".into(),
        client_id: "2od40example".into(),
        client_secret: None,
        endpoint_url: None,
        allow_insecure_http: false,
    };
    let session =
        SignInSession::new_for_testing(config, credentials, vec![7; 32], 1_800_000_000).unwrap();
    let expected = json!({"app_version": "4.2", "captcha": "captcha-secret"});
    let initiate = body(session.start().unwrap());
    assert_eq!(initiate["AuthFlow"], "CUSTOM_AUTH");
    assert_eq!(initiate["ClientMetadata"], expected);

    let challenge = br#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"s1","ChallengeParameters":{"USERNAME":"alice"}}"#;
    let step = session
        .handle_response(200, challenge.to_vec(), None)
        .unwrap();
    assert!(
        matches!(step, SignInStep::ConfirmSignInWithCustomChallenge { .. }),
        "{step:?}"
    );
    let respond = body(
        session
            .answer(ChallengeAnswer::CustomChallenge {
                answer: "42".into(),
            })
            .unwrap(),
    );
    assert_eq!(respond["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(respond["ClientMetadata"], expected);
}
