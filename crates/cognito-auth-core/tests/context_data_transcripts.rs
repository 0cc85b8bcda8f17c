//! Threat-protection context data on the wire: the exact `UserContextData` each request
//! carries (sign-in `InitiateAuth` and every `RespondToAuthChallenge`, `SignUp`,
//! `ConfirmSignUp`, `ResendConfirmationCode`, `ForgotPassword`, `ConfirmForgotPassword`), each
//! signed at its own request's time. The payload is compared byte for byte with a literal and
//! the signature recomputed here with the `hmac` crate directly, not through the core.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_auth_core::account::{
    AccountError, AccountOperation, ConfirmForgotPassword, ConfirmSignUp, ForgotPassword,
    ResendConfirmationCode, SignUp,
};
use cognito_auth_core::context_data::{
    ContextData, ContextDataError, ContextDataVersion, DeviceFacts,
};
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, Entropy, HttpResponse, RestoreOptions, SignIn,
    SignInError, Step,
};
use cognito_auth_core::{Request, SecretString, UnixTime, UserPoolId};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

const POOL: &str = "us-east-1_Abc123XyZ";
const CLIENT: &str = "2od40example";
const NOW: u64 = 1_800_000_000;
const UUID: &str = "9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60";
const FACTS: &str = r#"{"ClientTimezone":"-07:00","DeviceId":"device-1","DeviceName":"Pixel 8","Platform":"ANDROID"}"#;

fn config() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse(POOL).unwrap(), CLIENT).unwrap()
}

fn data() -> ContextData {
    ContextData::new(
        ContextDataVersion::Android,
        DeviceFacts {
            device_name: Some("Pixel 8".into()),
            platform: Some("ANDROID".into()),
            client_timezone: Some("-07:00".into()),
            device_id: Some("device-1".into()),
            ..DeviceFacts::default()
        },
    )
}

fn body(request: &Request) -> Value {
    serde_json::from_str(request.body()).unwrap()
}

/// Checks `body.UserContextData` down to the bytes: one member `EncodedData`, which decodes to
/// `{"payload":P,"signature":S,"version":"ANDROID20171114"}` with P the literal below and S
/// HMAC-SHA256(client id, version ‖ P).
fn assert_context(body: &Value, username: &str, timestamp_ms: u64) {
    let member = body["UserContextData"].as_object().unwrap();
    assert_eq!(member.len(), 1, "{member:?}");
    let encoded = member["EncodedData"].as_str().unwrap();
    let outer = String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap();
    let payload = format!(
        r#"{{"contextData":{FACTS},"username":"{username}","userPoolId":"{POOL}","timestamp":"{timestamp_ms}"}}"#
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(CLIENT.as_bytes()).unwrap();
    mac.update(b"ANDROID20171114");
    mac.update(payload.as_bytes());
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    let expected =
        json!({"payload": payload, "signature": signature, "version": "ANDROID20171114"});
    assert_eq!(outer, expected.to_string());
}

fn respond(flow: &mut SignIn, body: &Value, at: u64) -> Step {
    flow.handle_response(
        HttpResponse::new(200, body.to_string().as_bytes()),
        UnixTime::from_secs(at),
    )
    .unwrap()
}

fn sent(step: Step) -> Request {
    match step {
        Step::Send(request) => request,
        other => panic!("expected a request, got {other:?}"),
    }
}

#[test]
fn every_sign_in_request_carries_context_signed_at_its_own_time() {
    let credentials = Credentials::password("alice@example.com", SecretString::new("pw-1"))
        .with_context_data(data(), UnixTime::from_secs(NOW));
    let (mut flow, initiate) =
        SignIn::start(config(), credentials, Entropy::from_bytes([1; 32])).unwrap();
    let initiate = body(&initiate);
    assert_eq!(initiate["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_context(&initiate, "alice@example.com", NOW * 1000);

    // SMS MFA: Cognito names the user; the answer is signed for that name at the answer's time.
    let mfa = json!({"ChallengeName": "SMS_MFA", "Session": "s1", "ChallengeParameters": {
        "USERNAME": UUID, "CODE_DELIVERY_DESTINATION": "+*******1212",
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"}});
    assert!(matches!(
        respond(&mut flow, &mfa, NOW + 2),
        Step::Challenge(_)
    ));
    let answer = flow
        .answer(
            ChallengeAnswer::SmsMfaCode("123456".into()),
            UnixTime::from_secs(NOW + 41),
        )
        .unwrap();
    let answer = body(&sent(answer));
    assert_eq!(answer["ChallengeName"], "SMS_MFA");
    assert_eq!(answer["ChallengeResponses"]["SMS_MFA_CODE"], "123456");
    assert_context(&answer, UUID, (NOW + 41) * 1000);
    assert_eq!(
        answer.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "ChallengeName",
            "ChallengeResponses",
            "ClientId",
            "Session",
            "UserContextData"
        ]
    );
}

#[test]
fn automatic_legs_are_signed_at_the_response_time() {
    // CUSTOM_AUTH: each custom challenge round, and the automatic SRP leg of CUSTOM_AUTH with SRP
    // is covered by the same `respond` path; here the custom rounds.
    let credentials =
        Credentials::custom("bob").with_context_data(data(), UnixTime::from_secs(NOW));
    let (mut flow, initiate) =
        SignIn::start(config(), credentials, Entropy::from_bytes([2; 32])).unwrap();
    assert_context(&body(&initiate), "bob", NOW * 1000);
    let custom = json!({"ChallengeName": "CUSTOM_CHALLENGE", "Session": "s1",
        "ChallengeParameters": {"USERNAME": "bob", "question": "2+2"}});
    assert!(matches!(
        respond(&mut flow, &custom, NOW + 1),
        Step::Challenge(_)
    ));
    let step = flow
        .answer(
            ChallengeAnswer::CustomChallenge(SecretString::new("4")),
            UnixTime::from_secs(NOW + 9),
        )
        .unwrap();
    assert_context(&body(&sent(step)), "bob", (NOW + 9) * 1000);
}

#[test]
fn without_context_data_no_member_is_sent() {
    let credentials = Credentials::password("alice", SecretString::new("pw-1"));
    let (_, initiate) = SignIn::start(config(), credentials, Entropy::from_bytes([1; 32])).unwrap();
    assert!(body(&initiate).get("UserContextData").is_none());
    let request = ForgotPassword::new("alice").request(&config()).unwrap();
    assert!(body(&request).get("UserContextData").is_none());
}

#[test]
fn a_restored_sign_in_sends_context_data_once_set_again() {
    let credentials = Credentials::password("alice", SecretString::new("pw-1"))
        .with_context_data(data(), UnixTime::from_secs(NOW));
    let (mut flow, _) = SignIn::start(config(), credentials, Entropy::from_bytes([1; 32])).unwrap();
    let mfa = json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s1",
        "ChallengeParameters": {"USERNAME": UUID}});
    assert!(matches!(
        respond(&mut flow, &mfa, NOW + 1),
        Step::Challenge(_)
    ));
    let snapshot = flow.snapshot(UnixTime::from_secs(NOW + 2)).unwrap();
    let options = || RestoreOptions {
        now: UnixTime::from_secs(NOW + 20),
        max_age_secs: 180,
        entropy: Entropy::from_bytes([3; 32]),
        device: None,
        password: None,
    };
    let mut restored = SignIn::restore(config(), snapshot.expose(), options()).unwrap();
    let step = restored
        .answer(
            ChallengeAnswer::TotpCode("654321".into()),
            UnixTime::from_secs(NOW + 21),
        )
        .unwrap();
    assert!(body(&sent(step)).get("UserContextData").is_none());

    let mut restored = SignIn::restore(config(), snapshot.expose(), options()).unwrap();
    restored.set_context_data(Some(data()));
    let step = restored
        .answer(
            ChallengeAnswer::TotpCode("654321".into()),
            UnixTime::from_secs(NOW + 22),
        )
        .unwrap();
    assert_context(&body(&sent(step)), UUID, (NOW + 22) * 1000);
}

#[test]
fn oversized_context_data_ends_the_sign_in_with_a_typed_error() {
    let huge = ContextData::new(
        ContextDataVersion::Ios,
        DeviceFacts {
            device_fingerprint: Some("f".repeat(100_000)),
            ..DeviceFacts::default()
        },
    );
    let credentials = Credentials::password("alice", SecretString::new("pw-1"))
        .with_context_data(huge.clone(), UnixTime::from_secs(NOW));
    match SignIn::start(config(), credentials, Entropy::from_bytes([1; 32])) {
        Err(SignInError::ContextData(ContextDataError::TooLong { length })) => {
            assert!(length > 131_072);
        }
        other => panic!("{other:?}"),
    }
    let error = SignUp::new("alice", SecretString::new("pw-1"))
        .context_data(huge, UnixTime::from_secs(NOW))
        .request(&config())
        .unwrap_err();
    assert!(matches!(
        error,
        AccountError::ContextData(ContextDataError::TooLong { .. })
    ));
}

#[test]
fn account_operations_carry_context_for_the_username_sent() {
    let at = UnixTime::from_secs(NOW + 5);
    let ms = (NOW + 5) * 1000;
    let client = config();
    // A phone-number username is sent (and signed) in E.164.
    let sign_up = SignUp::new("+1 (206) 555-1212", SecretString::new("pw-1"))
        .context_data(data(), at)
        .request(&client)
        .unwrap();
    let sign_up = body(&sign_up);
    assert_eq!(sign_up["Username"], "+12065551212");
    assert_context(&sign_up, "+12065551212", ms);

    let requests = [
        ConfirmSignUp::new("alice", "123456")
            .context_data(data(), at)
            .request(&client),
        ResendConfirmationCode::new("alice")
            .context_data(data(), at)
            .request(&client),
        ForgotPassword::new("alice")
            .context_data(data(), at)
            .request(&client),
        ConfirmForgotPassword::new("alice", "123456", SecretString::new("New-pw-2"))
            .context_data(data(), at)
            .request(&client),
    ];
    let names = [
        "ConfirmSignUp",
        "ResendConfirmationCode",
        "ForgotPassword",
        "ConfirmForgotPassword",
    ];
    for (request, name) in requests.into_iter().zip(names) {
        let request = request.unwrap();
        assert_eq!(request.operation().name(), name);
        assert_context(&body(&request), "alice", ms);
    }
}
