//! A server that lies: every flow against every challenge name Cognito defines (and a few it
//! does not), loops of automatic challenges, endless user steps, and random scripts.
//!
//! What the sign-in must do is written here independently of `sign_in::policy` (the table
//! below is this file's own): an accepted challenge moves the flow on, anything else ends it
//! with `UnexpectedChallenge` (or `UnsupportedChallenge` for names no client can answer) and
//! sends nothing. No request of an SRP flow ever carries a `PASSWORD` parameter, and a sign-in
//! makes at most one password claim per `InitiateAuth`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, Entropy, FirstFactor, HttpResponse,
    MAX_REQUESTS_PER_SIGN_IN, RememberedDevice, SignIn, SignInError, Step, UserStep,
};
use cognito_auth_core::wire::Operation;
use cognito_auth_core::{Request, SecretString, UnixTime, UserPoolId};
use proptest::prelude::*;
use serde_json::{Value, json};

const PASSWORD: &str = "Correct-Horse-9!";
const NOW: u64 = 1_800_000_000;

/// Every challenge name Cognito defines, then names it does not.
const DEFINED: [&str; 16] = [
    "PASSWORD_VERIFIER",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SMS_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "NEW_PASSWORD_REQUIRED",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "PASSWORD",
    "PASSWORD_SRP",
    "WEB_AUTHN",
    "ADMIN_NO_SRP_AUTH",
];
const UNDEFINED: [&str; 4] = [
    "EMAIL_MFA",
    "password",
    "SRP_A",
    "PASSWORD_VERIFIER\u{1b}[2J",
];

fn config() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(), "client").unwrap()
}

fn device() -> RememberedDevice {
    RememberedDevice {
        device_key: "us-east-1_0a1b2c3d-1111-2222-3333-444455556666".into(),
        device_group_key: "-abcdEFGH".into(),
        device_password: SecretString::new("device-password"),
    }
}

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

fn password() -> SecretString {
    SecretString::new(PASSWORD)
}

/// The flows, each with the name errors give it and whether it is an SRP flow.
fn flows() -> Vec<(&'static str, &'static str, bool, Credentials)> {
    vec![
        (
            "srp",
            "USER_SRP_AUTH",
            true,
            Credentials::srp("alice", password()),
        ),
        (
            "password",
            "USER_PASSWORD_AUTH",
            false,
            Credentials::password("alice", password()),
        ),
        (
            "custom+srp",
            "CUSTOM_AUTH+SRP",
            true,
            Credentials::custom_with_srp("alice", password()),
        ),
        ("custom", "CUSTOM_AUTH", false, Credentials::custom("alice")),
        (
            "user_auth",
            "USER_AUTH",
            false,
            Credentials::user_auth("alice", None, Some(password())),
        ),
        (
            "user_auth+PASSWORD_SRP",
            "USER_AUTH",
            true,
            Credentials::user_auth("alice", Some(FirstFactor::PasswordSrp), Some(password())),
        ),
        (
            "user_auth+PASSWORD",
            "USER_AUTH",
            false,
            Credentials::user_auth("alice", Some(FirstFactor::Password), Some(password())),
        ),
        (
            "user_auth+EMAIL_OTP",
            "USER_AUTH",
            false,
            Credentials::user_auth("alice", Some(FirstFactor::EmailOtp), None),
        ),
        (
            "auto_sign_in",
            "USER_AUTH",
            false,
            Credentials::auto_sign_in("alice", "sign-up-session"),
        ),
    ]
}

/// This file's own statement of what may answer `InitiateAuth`, per flow.
fn accepted_first(flow: &str, with_device: bool, name: &str) -> bool {
    let mfa = matches!(
        name,
        "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "SELECT_MFA_TYPE" | "MFA_SETUP"
    );
    let device = with_device && name == "DEVICE_SRP_AUTH";
    match flow {
        // SRP_A is out: PASSWORD_VERIFIER and nothing else.
        "srp" | "custom+srp" | "user_auth+PASSWORD_SRP" => name == "PASSWORD_VERIFIER",
        "password" => mfa || device || name == "NEW_PASSWORD_REQUIRED",
        "custom" => mfa || device || name == "CUSTOM_CHALLENGE",
        _ => {
            // USER_AUTH in every form.
            mfa || device
                || matches!(
                    name,
                    "NEW_PASSWORD_REQUIRED"
                        | "SELECT_CHALLENGE"
                        | "PASSWORD"
                        | "PASSWORD_SRP"
                        | "SMS_OTP"
                        | "WEB_AUTHN"
                )
        }
    }
}

/// A plausible body for each challenge: the parameters its step reads, so that an accepted
/// challenge is refused for nothing but the policy.
fn challenge_body(name: &str, session: &str) -> Value {
    let parameters = match name {
        "PASSWORD_VERIFIER" | "DEVICE_PASSWORD_VERIFIER" => json!({
            "SALT": "8ce8291892390f6b53a245933faf6164",
            "SRP_B": "abcdef0123456789",
            "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr",
            "USERNAME": "alice",
            "USER_ID_FOR_SRP": "alice",
        }),
        "SELECT_MFA_TYPE" => json!({"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}),
        "MFA_SETUP" => json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"}),
        "WEB_AUTHN" => {
            json!({"CREDENTIAL_REQUEST_OPTIONS": "{\"challenge\":\"AAECAwQFBgcICQoLDA0ODw\"}"})
        }
        "NEW_PASSWORD_REQUIRED" => json!({"requiredAttributes": "[]", "userAttributes": "{}"}),
        _ => json!({"USERNAME": "alice"}),
    };
    let mut body =
        json!({"ChallengeName": name, "Session": session, "ChallengeParameters": parameters});
    if name == "SELECT_CHALLENGE" {
        body["AvailableChallenges"] = json!(["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"]);
    }
    body
}

fn ok(body: &Value) -> Vec<u8> {
    body.to_string().into_bytes()
}

/// Whether a request body carries the password itself (as `PASSWORD`, anywhere).
fn carries_password(request: &Request) -> bool {
    fn walk(value: &Value) -> bool {
        match value {
            Value::Object(members) => members
                .iter()
                .any(|(key, value)| key == "PASSWORD" || walk(value)),
            Value::Array(items) => items.iter().any(walk),
            Value::String(text) => text.contains(PASSWORD),
            _ => false,
        }
    }
    walk(&serde_json::from_str(request.body()).unwrap())
}

fn is_password_claim(request: &Request) -> bool {
    let body: Value = serde_json::from_str(request.body()).unwrap();
    body["ChallengeName"] == "PASSWORD_VERIFIER"
        && body["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].is_string()
}

/// A user who answers whatever is asked, with well-formed answers.
fn any_answer(step: &UserStep) -> ChallengeAnswer {
    match step {
        UserStep::ConfirmSmsMfaCode { .. } => ChallengeAnswer::SmsMfaCode("123456".into()),
        UserStep::ConfirmTotpCode { .. } => ChallengeAnswer::TotpCode("123456".into()),
        UserStep::ConfirmOtpCode { .. } => ChallengeAnswer::OtpCode("123456".into()),
        UserStep::SelectMfaType { allowed } => ChallengeAnswer::SelectMfaType(allowed[0]),
        UserStep::SelectMfaSetup { allowed } => ChallengeAnswer::SelectMfaSetupType(allowed[0]),
        UserStep::SetUpTotp { .. } => ChallengeAnswer::TotpSetupCode {
            code: "123456".into(),
            friendly_device_name: None,
        },
        UserStep::SetUpEmailMfa => ChallengeAnswer::MfaEmailAddress("a@example.com".into()),
        UserStep::NewPassword {
            required_attributes,
            ..
        } => ChallengeAnswer::NewPassword {
            password: SecretString::new("New-Password-1!"),
            attributes: required_attributes
                .iter()
                .map(|name| (name.clone(), "x".into()))
                .collect(),
        },
        UserStep::CustomChallenge { .. } => {
            ChallengeAnswer::CustomChallenge(SecretString::new("answer"))
        }
        UserStep::SelectFirstFactor { available } => {
            ChallengeAnswer::SelectFirstFactor(available[0])
        }
        UserStep::ConfirmPassword => ChallengeAnswer::Password(password()),
        UserStep::WebAuthn { .. } => ChallengeAnswer::WebAuthnCredential(
            r#"{"id":"AQ","rawId":"AQ","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"}}"#.into(),
        ),
        other => panic!("a step this test does not know: {other:?}"),
    }
}

#[test]
fn every_flow_against_every_challenge_name() {
    let mut checked = 0;
    for (flow, flow_name, srp, credentials) in flows() {
        for with_device in [false, true] {
            let credentials = if with_device {
                credentials.clone().with_device(device())
            } else {
                credentials.clone()
            };
            for name in DEFINED.iter().chain(UNDEFINED.iter()) {
                let (mut sign_in, first) =
                    SignIn::start(config(), credentials.clone(), Entropy::from_bytes([3; 32]))
                        .unwrap();
                assert_eq!(
                    carries_password(&first),
                    flow == "password" || flow == "user_auth+PASSWORD"
                );
                let result = sign_in.handle_response(
                    HttpResponse::new(200, &ok(&challenge_body(name, "S1"))),
                    now(),
                );
                let context = format!("{flow} (device: {with_device}) <- {name:?}");
                if accepted_first(flow, with_device, name) {
                    let step = result.unwrap_or_else(|e| panic!("{context}: refused: {e}"));
                    if let Step::Send(request) = &step
                        && srp
                    {
                        assert!(!carries_password(request), "{context}");
                    }
                    assert!(!sign_in.is_over(), "{context}");
                } else {
                    let error = result.expect_err(&context);
                    let expected = if DEFINED.contains(name) && *name != "ADMIN_NO_SRP_AUTH" {
                        SignInError::UnexpectedChallenge {
                            flow: flow_name,
                            name: (*name).into(),
                        }
                    } else {
                        SignInError::UnsupportedChallenge {
                            name: (*name).into(),
                        }
                    };
                    assert_eq!(error, expected, "{context}");
                    assert!(
                        sign_in.is_over(),
                        "{context}: a refused challenge ends the sign-in"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 9 * 2 * 20);
}

#[test]
fn an_srp_sign_in_asked_for_the_password_sends_nothing() {
    for credentials in [
        Credentials::srp("alice", password()),
        Credentials::custom_with_srp("alice", password()),
        Credentials::srp("alice", password()).with_device(device()),
    ] {
        for name in ["PASSWORD", "PASSWORD_SRP", "SELECT_CHALLENGE"] {
            let (mut sign_in, _) =
                SignIn::start(config(), credentials.clone(), Entropy::from_bytes([1; 32])).unwrap();
            // At the first response, and after the password verifier.
            let error = sign_in
                .handle_response(
                    HttpResponse::new(200, &ok(&challenge_body(name, "S1"))),
                    now(),
                )
                .unwrap_err();
            assert!(
                matches!(error, SignInError::UnexpectedChallenge { .. }),
                "{error:?}"
            );
            if name == "PASSWORD" {
                assert!(error.to_string().contains("plaintext password"), "{error}");
            }
            let (mut sign_in, _) =
                SignIn::start(config(), credentials.clone(), Entropy::from_bytes([1; 32])).unwrap();
            let claim = sign_in
                .handle_response(
                    HttpResponse::new(200, &ok(&challenge_body("PASSWORD_VERIFIER", "S1"))),
                    now(),
                )
                .unwrap();
            assert!(matches!(claim, Step::Send(ref r) if is_password_claim(r)));
            let error = sign_in
                .handle_response(
                    HttpResponse::new(200, &ok(&challenge_body(name, "S2"))),
                    now(),
                )
                .unwrap_err();
            assert!(
                matches!(error, SignInError::UnexpectedChallenge { .. }),
                "{error:?}"
            );
            assert!(sign_in.is_over());
        }
    }
}

/// Answers each request of `sign_in` with the names of `opening`, then those of `then` over and
/// over, the user answering every step; returns the requests sent and how it ended.
fn run_script(
    credentials: Credentials,
    opening: &[&'static str],
    then: &[&'static str],
) -> (Vec<Request>, Result<(), SignInError>) {
    let (mut sign_in, first) =
        SignIn::start(config(), credentials, Entropy::from_bytes([9; 32])).unwrap();
    let mut requests = vec![first];
    let mut names = opening.iter().chain(then.iter().cycle());
    for round in 0..10 * MAX_REQUESTS_PER_SIGN_IN {
        let last = requests.last().unwrap();
        let body = match last.operation() {
            Operation::AssociateSoftwareToken => json!({
                "SecretCode": "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A",
                "Session": "S",
            }),
            Operation::VerifySoftwareToken => json!({"Status": "SUCCESS", "Session": "S"}),
            Operation::ConfirmDevice => json!({}),
            _ => challenge_body(names.next().unwrap(), &format!("S{round}")),
        };
        let mut step = sign_in.handle_response(HttpResponse::new(200, &ok(&body)), now());
        loop {
            match step {
                Ok(Step::Send(request)) => {
                    requests.push(request);
                    break;
                }
                Ok(Step::Challenge(user_step)) => {
                    step = sign_in.answer(any_answer(&user_step), now());
                }
                Ok(other) => panic!("a script of challenges cannot end with {other:?}"),
                Err(error) => return (requests, Err(error)),
            }
        }
    }
    panic!("the sign-in never ended: {} requests", requests.len());
}

#[test]
fn an_automatic_loop_gets_one_password_claim_and_ends() {
    // The loop of the report: PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> PASSWORD_VERIFIER -> ...
    let (requests, end) = run_script(
        Credentials::srp("alice", password()).with_device(device()),
        &[],
        &["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH"],
    );
    assert_eq!(requests.iter().filter(|r| is_password_claim(r)).count(), 1);
    assert_eq!(
        end,
        Err(SignInError::UnexpectedChallenge {
            flow: "USER_SRP_AUTH",
            name: "PASSWORD_VERIFIER".into()
        })
    );
    assert_eq!(
        requests.len(),
        3,
        "InitiateAuth, the claim, the device's SRP_A"
    );

    // DEVICE_SRP_AUTH again after the device's exchange.
    let (requests, end) = run_script(
        Credentials::password("alice", password()).with_device(device()),
        &[],
        &["DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"],
    );
    assert_eq!(requests.len(), 3);
    assert_eq!(
        end,
        Err(SignInError::UnexpectedChallenge {
            flow: "USER_PASSWORD_AUTH",
            name: "DEVICE_SRP_AUTH".into()
        })
    );
}

#[test]
fn endless_user_steps_end_at_the_request_limit() {
    for (credentials, first, then) in [
        (
            Credentials::custom("alice"),
            &[][..],
            &["CUSTOM_CHALLENGE"][..],
        ),
        (
            Credentials::password("alice", password()),
            &[][..],
            &["SMS_MFA", "SELECT_MFA_TYPE"][..],
        ),
        (
            Credentials::srp("alice", password()),
            &["PASSWORD_VERIFIER"][..],
            &["MFA_SETUP"][..],
        ),
    ] {
        let (requests, end) = run_script(credentials, first, then);
        assert_eq!(
            end,
            Err(SignInError::TooManyRequests {
                limit: MAX_REQUESTS_PER_SIGN_IN
            })
        );
        assert_eq!(requests.len(), MAX_REQUESTS_PER_SIGN_IN as usize);
        assert!(requests.iter().filter(|r| is_password_claim(r)).count() <= 1);
    }
}

#[test]
fn the_stale_device_restart_happens_once() {
    // Refused at the verifier: one restart without the device (a second claim, documented),
    // and the next refusal ends the sign-in.
    let (mut sign_in, _) = SignIn::start(
        config(),
        Credentials::srp("alice", password()).with_device(device()),
        Entropy::from_bytes([2; 32]),
    )
    .unwrap();
    let stale = br#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#;
    let mut claims = 0;
    for round in 0..3 {
        let step = sign_in
            .handle_response(
                HttpResponse::new(200, &ok(&challenge_body("PASSWORD_VERIFIER", "S"))),
                now(),
            )
            .unwrap();
        let Step::Send(claim) = step else { panic!() };
        assert!(is_password_claim(&claim));
        claims += 1;
        match sign_in.handle_response(HttpResponse::new(400, stale), now()) {
            Ok(Step::Send(restart)) => {
                assert_eq!(round, 0, "one restart only");
                assert_eq!(restart.operation(), Operation::InitiateAuth);
                assert!(!restart.body().contains("DEVICE_KEY"));
            }
            Err(SignInError::Service(error)) => {
                assert_eq!(round, 1);
                assert_eq!(error.code(), "ResourceNotFoundException");
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(claims, 2);
    assert!(sign_in.is_over());

    // After a user step, "Device does not exist" no longer restarts.
    let (mut sign_in, _) = SignIn::start(
        config(),
        Credentials::password("alice", password()).with_device(device()),
        Entropy::from_bytes([2; 32]),
    )
    .unwrap();
    let step = sign_in
        .handle_response(
            HttpResponse::new(200, &ok(&challenge_body("SMS_MFA", "S"))),
            now(),
        )
        .unwrap();
    assert!(matches!(step, Step::Challenge(_)));
    let sent = sign_in
        .answer(ChallengeAnswer::SmsMfaCode("123456".into()), now())
        .unwrap();
    assert!(matches!(sent, Step::Send(_)));
    let error = sign_in
        .handle_response(HttpResponse::new(400, stale), now())
        .unwrap_err();
    assert!(matches!(error, SignInError::Service(_)));
    assert!(sign_in.is_over());
}

/// One response of a random hostile server.
#[derive(Debug, Clone)]
enum Reply {
    Challenge(&'static str),
    StaleDevice,
    Tokens,
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        8 => proptest::sample::select(&DEFINED[..]).prop_map(Reply::Challenge),
        1 => proptest::sample::select(&UNDEFINED[..]).prop_map(Reply::Challenge),
        1 => Just(Reply::StaleDevice),
        1 => Just(Reply::Tokens),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the server says, an SRP sign-in never sends the password, makes at most one
    /// claim per InitiateAuth, and ends within the request limit.
    #[test]
    fn a_random_server_never_gets_the_password_of_an_srp_sign_in(
        script in proptest::collection::vec(reply(), 1..60),
        with_device in any::<bool>(),
        flow in 0usize..3,
    ) {
        let credentials = match flow {
            0 => Credentials::srp("alice", password()),
            1 => Credentials::custom_with_srp("alice", password()),
            _ => Credentials::user_auth("alice", Some(FirstFactor::PasswordSrp), Some(password())),
        };
        let credentials = if with_device { credentials.with_device(device()) } else { credentials };
        let (mut sign_in, first) =
            SignIn::start(config(), credentials, Entropy::from_bytes([5; 32])).unwrap();
        let mut requests = vec![first];
        for (round, reply) in script.iter().enumerate() {
            let (status, body) = match reply {
                Reply::Challenge(name) => (200, ok(&challenge_body(name, &format!("S{round}")))),
                Reply::StaleDevice => (
                    400,
                    br#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#.to_vec(),
                ),
                Reply::Tokens => (200, ok(&json!({"AuthenticationResult": {"AccessToken": "a", "ExpiresIn": 1}}))),
            };
            let mut step = sign_in.handle_response(HttpResponse::new(status, &body), now());
            while let Ok(Step::Challenge(user_step)) = &step {
                let answer = any_answer(user_step);
                step = sign_in.answer(answer, now());
            }
            match step {
                Ok(Step::Send(request)) => requests.push(request),
                _ => break,
            }
        }
        let initiates = requests.iter().filter(|r| r.operation() == Operation::InitiateAuth).count();
        let claims = requests.iter().filter(|r| is_password_claim(r)).count();
        prop_assert!(requests.iter().all(|r| !carries_password(r)));
        prop_assert!(claims <= initiates, "{} claims, {} InitiateAuth", claims, initiates);
        let most = if with_device { 2 } else { 1 };
        prop_assert!(initiates <= most);
        prop_assert!(requests.len() <= MAX_REQUESTS_PER_SIGN_IN as usize);
    }
}
