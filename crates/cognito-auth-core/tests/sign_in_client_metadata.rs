//! `ClientMetadata` on a sign-in: the exact bodies of the `InitiateAuth` and of every
//! `RespondToAuthChallenge` (canned Cognito responses), across a snapshot and restore.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, Entropy, HttpResponse, RestoreOptions, SignIn,
    Step, UserStep,
};
use cognito_auth_core::{Request, SecretString, UnixTime, UserPoolId};

const NOW: u64 = 1_800_000_000;

fn config() -> ClientConfig {
    ClientConfig::new(
        UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(),
        "2od40example",
    )
    .unwrap()
}

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

fn custom_challenge(session: &str, round: u8) -> String {
    format!(
        r#"{{"ChallengeName":"CUSTOM_CHALLENGE","Session":"{session}","ChallengeParameters":{{"USERNAME":"alice","round":"{round}"}}}}"#
    )
}

fn sent(step: Step) -> Request {
    match step {
        Step::Send(request) => request,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn challenge_shown(step: Step) {
    match step {
        Step::Challenge(UserStep::CustomChallenge { .. }) => {}
        other => panic!("expected the custom challenge, got {other:?}"),
    }
}

#[test]
fn client_metadata_goes_on_every_request_of_the_sign_in_and_survives_a_snapshot() {
    let credentials = Credentials::custom("alice")
        .with_client_metadata([("captcha", "03AGdBq2"), ("app_version", "4.2")]);
    assert!(!format!("{credentials:?}").contains("03AGdBq2"));
    let (mut flow, initiate) =
        SignIn::start(config(), credentials, Entropy::from_bytes([7; 32])).unwrap();
    assert_eq!(
        initiate.body(),
        r#"{"AuthFlow":"CUSTOM_AUTH","AuthParameters":{"USERNAME":"alice"},"ClientId":"2od40example","ClientMetadata":{"app_version":"4.2","captcha":"03AGdBq2"}}"#
    );

    let body = custom_challenge("session-1", 1);
    challenge_shown(
        flow.handle_response(HttpResponse::new(200, body.as_bytes()), now())
            .unwrap(),
    );
    let respond = sent(
        flow.answer(
            ChallengeAnswer::CustomChallenge(SecretString::new("42")),
            now(),
        )
        .unwrap(),
    );
    assert_eq!(
        respond.body(),
        r#"{"ChallengeName":"CUSTOM_CHALLENGE","ChallengeResponses":{"ANSWER":"42","USERNAME":"alice"},"ClientId":"2od40example","ClientMetadata":{"app_version":"4.2","captcha":"03AGdBq2"},"Session":"session-1"}"#
    );

    // A second round, answered after the app was killed and restored from a snapshot.
    let body = custom_challenge("session-2", 2);
    challenge_shown(
        flow.handle_response(HttpResponse::new(200, body.as_bytes()), now())
            .unwrap(),
    );
    let snapshot = flow.snapshot(now()).unwrap();
    drop(flow);
    let mut restored = SignIn::restore(
        config(),
        snapshot.expose(),
        RestoreOptions {
            now: UnixTime::from_secs(NOW + 30),
            max_age_secs: 180,
            entropy: Entropy::from_bytes([8; 32]),
            device: None,
            password: None,
        },
    )
    .unwrap();
    let respond = sent(
        restored
            .answer(
                ChallengeAnswer::CustomChallenge(SecretString::new("43")),
                UnixTime::from_secs(NOW + 31),
            )
            .unwrap(),
    );
    assert_eq!(
        respond.body(),
        r#"{"ChallengeName":"CUSTOM_CHALLENGE","ChallengeResponses":{"ANSWER":"43","USERNAME":"alice"},"ClientId":"2od40example","ClientMetadata":{"app_version":"4.2","captcha":"03AGdBq2"},"Session":"session-2"}"#
    );
}

#[test]
fn without_client_metadata_the_member_is_absent() {
    let credentials = Credentials::custom("alice").with_client_metadata(Vec::<(&str, &str)>::new());
    let (_, initiate) = SignIn::start(config(), credentials, Entropy::from_bytes([7; 32])).unwrap();
    assert!(
        !initiate.body().contains("ClientMetadata"),
        "{}",
        initiate.body()
    );
}
