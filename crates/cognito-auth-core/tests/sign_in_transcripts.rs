//! The sign-in state machine driven with canned Cognito responses: every flow and challenge,
//! asserting the exact requests it emits (operation, headers, and the JSON body: `AuthFlow`,
//! `AuthParameters`, `ChallengeName`, `ChallengeResponses`, `Session`), the steps it shows, and
//! how it refuses what does not fit. The SRP signatures themselves are checked by a real server
//! in `sign_in_fake_pool.rs`.
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
use cognito_auth_core::account::{AccountOperation, UpdateDeviceStatus};
use cognito_auth_core::passkey::PasskeyError;
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, CodeDelivery, CodeError, Credentials, DeviceOutcome, Entropy,
    FirstFactor, HttpResponse, MfaType, RememberedDevice, RestoreOptions, SignIn, SignInError,
    SignedIn, SnapshotError, Step, UserStep,
};
use cognito_auth_core::srp::SrpError;
use cognito_auth_core::totp::TotpSecret;
use cognito_auth_core::{
    Operation, Request, ResponseError, SecretString, UnixTime, UserPoolId, secret_hash,
};
use num_bigint_dig::{BigInt, BigUint, Sign};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const POOL: &str = "us-east-1_Abc123XyZ";
const CLIENT: &str = "2od40example";
const CLIENT_SECRET: &str = "1example23456789abcdefghijklmnopqrstuvwxyz0123456789";
const NOW: u64 = 1_800_000_000;
const PASSWORD: &str = "Correct-Horse-9!";
const UUID: &str = "9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60";
const ACCESS: &str = "eyJ-access-token-SECRET";
const ID: &str = "eyJ-id-token-SECRET";
const REFRESH: &str = "eyJ-refresh-token-SECRET";
const SALT: &str = "8ce8291892390f6b53a245933faf6164";
const SECRET_BLOCK: &str = "c2VjcmV0LWJsb2NrLWZyb20tY29nbml0bw==";
/// 32 bytes in base32, as `AssociateSoftwareToken` returns them.
const TOTP_SECRET: &str = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";
const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

// ----- set-up -----

fn config() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse(POOL).unwrap(), CLIENT).unwrap()
}

fn secret_config() -> ClientConfig {
    config()
        .with_client_secret(SecretString::new(CLIENT_SECRET))
        .unwrap()
}

fn entropy(seed: u8) -> Entropy {
    Entropy::from_bytes([seed; 32])
}

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

fn password() -> SecretString {
    SecretString::new(PASSWORD)
}

fn device() -> RememberedDevice {
    RememberedDevice {
        device_key: "us-east-1_0a1b2c3d-1111-2222-3333-444455556666".into(),
        device_group_key: "-abcdEFGH".into(),
        device_password: SecretString::new("device-password-SECRET"),
    }
}

fn start(credentials: Credentials) -> (SignIn, Request) {
    SignIn::start(config(), credentials, entropy(1)).unwrap()
}

// ----- canned responses -----

fn challenge(name: &str, session: &str, parameters: Value) -> Value {
    json!({"ChallengeName": name, "Session": session, "ChallengeParameters": parameters})
}

fn password_verifier(username: &str) -> Value {
    json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": SALT,
            "SRP_B": "abcdef0123456789",
            "SECRET_BLOCK": SECRET_BLOCK,
            "USERNAME": username,
            "USER_ID_FOR_SRP": username,
        },
    })
}

fn tokens() -> Value {
    json!({
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": ACCESS,
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
            "RefreshToken": REFRESH,
            "IdToken": ID,
        },
    })
}

fn tokens_with_new_device() -> Value {
    let mut body = tokens();
    body["AuthenticationResult"]["NewDeviceMetadata"] = json!({
        "DeviceKey": "us-east-1_77777777-8888-9999-aaaa-bbbbbbbbbbbb",
        "DeviceGroupKey": "-NewGroup1",
    });
    body
}

fn error_body(code: &str, message: &str) -> Vec<u8> {
    json!({"__type": code, "message": message})
        .to_string()
        .into_bytes()
}

// ----- driving -----

fn reply(flow: &mut SignIn, body: &Value) -> Step {
    flow.handle_response(HttpResponse::new(200, body.to_string().as_bytes()), now())
        .unwrap()
}

fn reply_error(flow: &mut SignIn, code: &str, message: &str) -> Result<Step, SignInError> {
    flow.handle_response(HttpResponse::new(400, &error_body(code, message)), now())
}

fn answer(flow: &mut SignIn, answer: ChallengeAnswer) -> Step {
    flow.answer(answer, now()).unwrap()
}

fn sent(step: Step) -> Request {
    match step {
        Step::Send(request) => request,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn shown(step: Step) -> UserStep {
    match step {
        Step::Challenge(user_step) => user_step,
        other => panic!("expected a user step, got {other:?}"),
    }
}

fn done(step: Step) -> SignedIn {
    match step {
        Step::SignedIn(signed_in) => signed_in,
        other => panic!("expected SignedIn, got {other:?}"),
    }
}

fn assert_tokens(signed_in: &SignedIn) {
    assert_eq!(signed_in.tokens.access_token.expose(), ACCESS);
    assert_eq!(signed_in.tokens.id_token.as_ref().unwrap().expose(), ID);
    assert_eq!(
        signed_in.tokens.refresh_token.as_ref().unwrap().expose(),
        REFRESH
    );
    assert_eq!(signed_in.tokens.expires_in, 3600);
}

fn body(request: &Request) -> Value {
    assert_eq!(
        request.headers(),
        [
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", request.operation().target()),
        ]
    );
    serde_json::from_str(request.body()).unwrap()
}

fn top_level_keys(body: &Value) -> Vec<&str> {
    body.as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn strings(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn keys(map: &BTreeMap<String, String>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

/// Checks an `InitiateAuth` (flow, client, `Session` if any, nothing else) and returns its
/// `AuthParameters`.
fn initiate(request: &Request, auth_flow: &str, session: Option<&str>) -> BTreeMap<String, String> {
    assert_eq!(request.operation(), Operation::InitiateAuth);
    let body = body(request);
    assert_eq!(body["AuthFlow"], auth_flow);
    assert_eq!(body["ClientId"], CLIENT);
    assert_eq!(body.get("Session").and_then(Value::as_str), session);
    let mut expected = vec!["AuthFlow", "AuthParameters", "ClientId"];
    if session.is_some() {
        expected.push("Session");
    }
    assert_eq!(top_level_keys(&body), expected);
    strings(&body["AuthParameters"])
}

/// Checks a `RespondToAuthChallenge` (challenge, client, exactly this `Session`, nothing else)
/// and returns its `ChallengeResponses`.
fn respond(request: &Request, challenge: &str, session: Option<&str>) -> BTreeMap<String, String> {
    assert_eq!(request.operation(), Operation::RespondToAuthChallenge);
    let body = body(request);
    assert_eq!(body["ChallengeName"], challenge);
    assert_eq!(body["ClientId"], CLIENT);
    assert_eq!(
        body.get("Session").and_then(Value::as_str),
        session,
        "the newest session"
    );
    let mut expected = vec!["ChallengeName", "ChallengeResponses", "ClientId"];
    if session.is_some() {
        expected.push("Session");
    }
    assert_eq!(top_level_keys(&body), expected);
    strings(&body["ChallengeResponses"])
}

/// SRP_A: lowercase hex without leading zeros, 1 < A < N.
fn assert_srp_a(hex: &str) -> BigUint {
    assert!(!hex.starts_with('0'), "{hex}");
    assert!(
        hex.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{hex}"
    );
    let a = BigUint::parse_bytes(hex.as_bytes(), 16).unwrap();
    let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap();
    assert!(a > BigUint::from(1u32) && a < n);
    a
}

/// A password-verifier answer: the echoed secret block, a base64 HMAC-SHA256, the timestamp.
fn assert_password_claim(responses: &BTreeMap<String, String>, secret_block: &str) {
    assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"], secret_block);
    assert_eq!(responses["TIMESTAMP"], "Fri Jan 15 08:00:00 UTC 2027");
    assert_eq!(
        STANDARD
            .decode(&responses["PASSWORD_CLAIM_SIGNATURE"])
            .unwrap()
            .len(),
        32
    );
}

const CLAIM_KEYS: [&str; 4] = [
    "PASSWORD_CLAIM_SECRET_BLOCK",
    "PASSWORD_CLAIM_SIGNATURE",
    "TIMESTAMP",
    "USERNAME",
];

// ----- flows -----

#[test]
fn user_srp_auth_answers_the_password_verifier_itself() {
    let (mut flow, request) = start(Credentials::srp("alice", password()));
    let parameters = initiate(&request, "USER_SRP_AUTH", None);
    assert_eq!(keys(&parameters), ["SRP_A", "USERNAME"]);
    assert_eq!(parameters["USERNAME"], "alice");
    assert_srp_a(&parameters["SRP_A"]);
    assert!(!request.body().contains(PASSWORD));

    // PASSWORD_VERIFIER comes without a Session: the answer has none either.
    let request = sent(reply(&mut flow, &password_verifier("alice")));
    let responses = respond(&request, "PASSWORD_VERIFIER", None);
    assert_eq!(keys(&responses), CLAIM_KEYS);
    assert_eq!(responses["USERNAME"], "alice");
    assert_password_claim(&responses, SECRET_BLOCK);
    assert!(flow.pending_step().is_none() && !flow.is_over());

    let signed_in = done(reply(&mut flow, &tokens()));
    assert_tokens(&signed_in);
    assert!(matches!(signed_in.device, DeviceOutcome::NoNewDevice));
    assert!(!signed_in.stale_device_forgotten);
    assert!(flow.is_over());

    // With a Session on the verifier (some servers send one), it is echoed.
    let (mut flow, _) = start(Credentials::srp("alice", password()));
    let mut verifier = password_verifier("alice");
    verifier["Session"] = json!("S-verifier");
    let request = sent(reply(&mut flow, &verifier));
    respond(&request, "PASSWORD_VERIFIER", Some("S-verifier"));
}

#[test]
fn the_same_entropy_gives_the_same_request_and_each_exchange_a_fresh_ephemeral() {
    let (_, first) = start(Credentials::srp("alice", password()));
    let (_, again) = start(Credentials::srp("alice", password()));
    assert_eq!(first.body(), again.body(), "deterministic");
    let (_, other) =
        SignIn::start(config(), Credentials::srp("alice", password()), entropy(2)).unwrap();
    assert_ne!(
        initiate(&first, "USER_SRP_AUTH", None)["SRP_A"],
        initiate(&other, "USER_SRP_AUTH", None)["SRP_A"]
    );
}

#[test]
fn user_password_auth_sends_the_password() {
    let (mut flow, request) = start(Credentials::password("alice", password()));
    let parameters = initiate(&request, "USER_PASSWORD_AUTH", None);
    assert_eq!(
        parameters,
        map(&[("USERNAME", "alice"), ("PASSWORD", PASSWORD)])
    );
    let signed_in = done(reply(&mut flow, &tokens()));
    assert_tokens(&signed_in);
}

#[test]
fn custom_auth_with_srp_then_two_custom_challenges() {
    let (mut flow, request) = start(Credentials::custom_with_srp("alice", password()));
    let parameters = initiate(&request, "CUSTOM_AUTH", None);
    assert_eq!(keys(&parameters), ["CHALLENGE_NAME", "SRP_A", "USERNAME"]);
    assert_eq!(parameters["CHALLENGE_NAME"], "SRP_A");
    assert_srp_a(&parameters["SRP_A"]);

    let request = sent(reply(&mut flow, &password_verifier("alice")));
    let responses = respond(&request, "PASSWORD_VERIFIER", None);
    assert_eq!(keys(&responses), CLAIM_KEYS);

    custom_challenges(&mut flow, "S1");
}

/// Two rounds of `CUSTOM_CHALLENGE` (parameters shown as sent, `ANSWER` returned), then tokens.
fn custom_challenges(flow: &mut SignIn, first_session: &str) {
    let parameters = json!({"USERNAME": "alice", "question": "2 + 2?", "attempt": "1"});
    let step = shown(reply(
        flow,
        &challenge("CUSTOM_CHALLENGE", first_session, parameters.clone()),
    ));
    assert_eq!(
        step,
        UserStep::CustomChallenge {
            parameters: strings(&parameters)
        }
    );
    let request = sent(answer(
        flow,
        ChallengeAnswer::CustomChallenge(SecretString::new("4")),
    ));
    assert_eq!(
        respond(&request, "CUSTOM_CHALLENGE", Some(first_session)),
        map(&[("USERNAME", "alice"), ("ANSWER", "4")])
    );

    let parameters = json!({"USERNAME": "alice", "question": "3 + 3?", "attempt": "2"});
    let step = shown(reply(
        flow,
        &challenge("CUSTOM_CHALLENGE", "S2", parameters.clone()),
    ));
    assert_eq!(
        step,
        UserStep::CustomChallenge {
            parameters: strings(&parameters)
        }
    );
    let request = sent(answer(
        flow,
        ChallengeAnswer::CustomChallenge(SecretString::new("6")),
    ));
    assert_eq!(
        respond(&request, "CUSTOM_CHALLENGE", Some("S2")),
        map(&[("USERNAME", "alice"), ("ANSWER", "6")])
    );
    assert_tokens(&done(reply(flow, &tokens())));
}

#[test]
fn custom_auth_without_srp() {
    let (mut flow, request) = start(Credentials::custom("alice"));
    assert_eq!(
        initiate(&request, "CUSTOM_AUTH", None),
        map(&[("USERNAME", "alice")])
    );
    custom_challenges(&mut flow, "S0");
}

#[test]
fn user_auth_with_preferred_password() {
    let (mut flow, request) = start(Credentials::user_auth(
        "alice",
        Some(FirstFactor::Password),
        Some(password()),
    ));
    assert_eq!(
        initiate(&request, "USER_AUTH", None),
        map(&[
            ("USERNAME", "alice"),
            ("PREFERRED_CHALLENGE", "PASSWORD"),
            ("PASSWORD", PASSWORD)
        ])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));

    // Without a password there is nothing to send.
    for factor in [FirstFactor::Password, FirstFactor::PasswordSrp] {
        let error = SignIn::start(
            config(),
            Credentials::user_auth("alice", Some(factor), None),
            entropy(1),
        )
        .unwrap_err();
        assert_eq!(error, SignInError::PasswordRequired);
    }
}

#[test]
fn user_auth_with_preferred_password_srp() {
    let (mut flow, request) = start(Credentials::user_auth(
        "alice",
        Some(FirstFactor::PasswordSrp),
        Some(password()),
    ));
    let parameters = initiate(&request, "USER_AUTH", None);
    assert_eq!(
        keys(&parameters),
        ["PREFERRED_CHALLENGE", "SRP_A", "USERNAME"]
    );
    assert_eq!(parameters["PREFERRED_CHALLENGE"], "PASSWORD_SRP");
    assert_srp_a(&parameters["SRP_A"]);
    let request = sent(reply(&mut flow, &password_verifier("alice")));
    assert_eq!(
        keys(&respond(&request, "PASSWORD_VERIFIER", None)),
        CLAIM_KEYS
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn user_auth_with_preferred_email_otp() {
    let (mut flow, request) = start(Credentials::user_auth(
        "alice",
        Some(FirstFactor::EmailOtp),
        None,
    ));
    assert_eq!(
        initiate(&request, "USER_AUTH", None),
        map(&[("USERNAME", "alice"), ("PREFERRED_CHALLENGE", "EMAIL_OTP")])
    );
    let step = shown(reply(
        &mut flow,
        &challenge(
            "EMAIL_OTP",
            "S1",
            json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***.com"}),
        ),
    ));
    assert_eq!(
        step,
        UserStep::ConfirmOtpCode {
            delivery: CodeDelivery {
                destination: Some("a***@e***.com".into()),
                medium: Some("EMAIL".into()),
                attribute_name: None,
            }
        }
    );
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::OtpCode("12345678".into()),
    ));
    assert_eq!(
        respond(&request, "EMAIL_OTP", Some("S1")),
        map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", "12345678")])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

/// `USER_AUTH` without a preference: `SELECT_CHALLENGE` with the factors (unknown ones
/// dropped).
fn select_challenge(credentials: Credentials) -> SignIn {
    let (mut flow, request) = start(credentials);
    assert_eq!(
        initiate(&request, "USER_AUTH", None),
        map(&[("USERNAME", "alice")])
    );
    let step = shown(reply(
        &mut flow,
        &json!({
            "ChallengeName": "SELECT_CHALLENGE",
            "Session": "S1",
            "ChallengeParameters": {},
            "AvailableChallenges": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN", "FACE_ID"],
        }),
    ));
    assert_eq!(
        step,
        UserStep::SelectFirstFactor {
            available: vec![
                FirstFactor::Password,
                FirstFactor::PasswordSrp,
                FirstFactor::EmailOtp,
                FirstFactor::WebAuthn
            ]
        }
    );
    flow
}

#[test]
fn user_auth_select_challenge_email_otp() {
    let mut flow = select_challenge(Credentials::user_auth("alice", None, None));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SelectFirstFactor(FirstFactor::EmailOtp),
    ));
    assert_eq!(
        respond(&request, "SELECT_CHALLENGE", Some("S1")),
        map(&[("USERNAME", "alice"), ("ANSWER", "EMAIL_OTP")])
    );
    let step = shown(reply(
        &mut flow,
        &challenge(
            "EMAIL_OTP",
            "S2",
            json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***.com"}),
        ),
    ));
    assert!(matches!(step, UserStep::ConfirmOtpCode { .. }));
    let request = sent(answer(&mut flow, ChallengeAnswer::OtpCode("654321".into())));
    assert_eq!(
        respond(&request, "EMAIL_OTP", Some("S2")),
        map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", "654321")])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn user_auth_select_challenge_password_asks_for_it() {
    let mut flow = select_challenge(Credentials::user_auth("alice", None, None));
    let step = shown(answer(
        &mut flow,
        ChallengeAnswer::SelectFirstFactor(FirstFactor::Password),
    ));
    assert_eq!(step, UserStep::ConfirmPassword);
    assert_eq!(
        flow.answer(ChallengeAnswer::Password(SecretString::new("")), now())
            .unwrap_err(),
        SignInError::EmptyPassword
    );
    assert_eq!(flow.pending_step(), Some(&UserStep::ConfirmPassword));
    let request = sent(answer(&mut flow, ChallengeAnswer::Password(password())));
    assert_eq!(
        respond(&request, "SELECT_CHALLENGE", Some("S1")),
        map(&[
            ("USERNAME", "alice"),
            ("ANSWER", "PASSWORD"),
            ("PASSWORD", PASSWORD)
        ])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));

    // With the password given up front, choosing PASSWORD sends it at once.
    let mut flow = select_challenge(Credentials::user_auth("alice", None, Some(password())));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SelectFirstFactor(FirstFactor::Password),
    ));
    assert_eq!(
        respond(&request, "SELECT_CHALLENGE", Some("S1")),
        map(&[
            ("USERNAME", "alice"),
            ("ANSWER", "PASSWORD"),
            ("PASSWORD", PASSWORD)
        ])
    );
}

#[test]
fn user_auth_select_challenge_password_srp() {
    let mut flow = select_challenge(Credentials::user_auth("alice", None, None));
    let step = shown(answer(
        &mut flow,
        ChallengeAnswer::SelectFirstFactor(FirstFactor::PasswordSrp),
    ));
    assert_eq!(step, UserStep::ConfirmPassword);
    let request = sent(answer(&mut flow, ChallengeAnswer::Password(password())));
    let responses = respond(&request, "SELECT_CHALLENGE", Some("S1"));
    assert_eq!(keys(&responses), ["ANSWER", "SRP_A", "USERNAME"]);
    assert_eq!(responses["ANSWER"], "PASSWORD_SRP");
    assert_srp_a(&responses["SRP_A"]);
    assert!(!request.body().contains(PASSWORD));

    let mut verifier = password_verifier("alice");
    verifier["Session"] = json!("S2");
    let request = sent(reply(&mut flow, &verifier));
    let responses = respond(&request, "PASSWORD_VERIFIER", Some("S2"));
    assert_eq!(keys(&responses), CLAIM_KEYS);
    assert_password_claim(&responses, SECRET_BLOCK);
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn user_auth_select_challenge_refuses_what_was_not_offered() {
    let mut flow = select_challenge(Credentials::user_auth("alice", None, None));
    let before = flow.pending_step().cloned();
    for refused in [
        ChallengeAnswer::SelectFirstFactor(FirstFactor::SmsOtp),
        ChallengeAnswer::SelectMfaType(MfaType::Sms),
        ChallengeAnswer::OtpCode("123456".into()),
    ] {
        let error = flow.answer(refused, now()).unwrap_err();
        assert!(error.step_still_open(), "{error:?}");
        assert_eq!(flow.pending_step().cloned(), before);
    }
    assert_eq!(
        flow.answer(
            ChallengeAnswer::SelectFirstFactor(FirstFactor::SmsOtp),
            now()
        )
        .unwrap_err(),
        SignInError::ChoiceNotOffered
    );
}

#[test]
fn web_authn_options_out_credential_in() {
    // Chosen from SELECT_CHALLENGE...
    let mut flow = select_challenge(Credentials::user_auth("alice", None, None));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SelectFirstFactor(FirstFactor::WebAuthn),
    ));
    assert_eq!(
        respond(&request, "SELECT_CHALLENGE", Some("S1")),
        map(&[("USERNAME", "alice"), ("ANSWER", "WEB_AUTHN")])
    );
    web_authn(&mut flow, "S2");

    // ... or preferred up front.
    let (mut flow, request) = start(Credentials::user_auth(
        "alice",
        Some(FirstFactor::WebAuthn),
        None,
    ));
    assert_eq!(
        initiate(&request, "USER_AUTH", None),
        map(&[("USERNAME", "alice"), ("PREFERRED_CHALLENGE", "WEB_AUTHN")])
    );
    web_authn(&mut flow, "S1");

    // The options are required.
    let (mut flow, _) = start(Credentials::user_auth(
        "alice",
        Some(FirstFactor::WebAuthn),
        None,
    ));
    let error = flow
        .handle_response(
            HttpResponse::new(
                200,
                challenge("WEB_AUTHN", "S1", json!({"USERNAME": "alice"}))
                    .to_string()
                    .as_bytes(),
            ),
            now(),
        )
        .unwrap_err();
    assert_eq!(
        error,
        SignInError::MissingChallengeParameter {
            challenge: "WEB_AUTHN".into(),
            parameter: "CREDENTIAL_REQUEST_OPTIONS"
        }
    );
    assert!(flow.is_over());

    // ... and must be usable passkey options: a hostile server's are refused, nothing is sent.
    for (options, expected) in [
        ("[]", PasskeyError::WrongType { field: "(root)" }),
        (
            r#"{"challenge":"AAECAw"}"#,
            PasskeyError::ChallengeTooShort { len: 4 },
        ),
        (
            r#"{"challenge":7}"#,
            PasskeyError::WrongType { field: "challenge" },
        ),
    ] {
        let (mut flow, _) = start(Credentials::user_auth(
            "alice",
            Some(FirstFactor::WebAuthn),
            None,
        ));
        let body = challenge(
            "WEB_AUTHN",
            "S1",
            json!({"USERNAME": "alice", "CREDENTIAL_REQUEST_OPTIONS": options}),
        );
        let error = flow
            .handle_response(HttpResponse::new(200, body.to_string().as_bytes()), now())
            .unwrap_err();
        assert_eq!(error, SignInError::PasskeyOptions(expected));
        assert!(flow.is_over());
    }
}

fn web_authn(flow: &mut SignIn, session: &str) {
    let options = r#"{"challenge":"AAECAwQFBgcICQoLDA0ODw","rpId":"example.com","allowCredentials":[{"type":"public-key","id":"Y3JlZC0x"}],"userVerification":"required"}"#;
    let step = shown(reply(
        flow,
        &challenge(
            "WEB_AUTHN",
            session,
            json!({"USERNAME": "alice", "CREDENTIAL_REQUEST_OPTIONS": options}),
        ),
    ));
    let UserStep::WebAuthn { options: shown } = step else {
        panic!("{step:?}")
    };
    assert_eq!(shown.challenge, "AAECAwQFBgcICQoLDA0ODw");
    assert_eq!(shown.challenge_bytes(), (0u8..16).collect::<Vec<_>>());
    assert_eq!(shown.rp_id.as_deref(), Some("example.com"));
    assert_eq!(shown.allow_credentials.len(), 1);
    assert_eq!(shown.allow_credentials[0].id_bytes(), b"cred-1");
    assert_eq!(shown.user_verification.as_deref(), Some("required"));
    assert_eq!(shown.json(), options);
    // Not an AuthenticationResponseJSON: refused before sending, the step stays open.
    for bad in [
        "{}",
        "not json",
        r#"{"id":"Y3JlZC0x","rawId":"Y3JlZC0x","type":"public-key"}"#,
    ] {
        let error = flow
            .answer(ChallengeAnswer::WebAuthnCredential(bad.into()), now())
            .unwrap_err();
        assert!(
            matches!(error, SignInError::PasskeyCredential(_)),
            "{error:?}"
        );
        assert!(error.step_still_open());
        assert!(matches!(
            flow.pending_step(),
            Some(UserStep::WebAuthn { .. })
        ));
    }
    let credential = r#"{"id":"Y3JlZC0x","rawId":"Y3JlZC0x","response":{"authenticatorData":"AA","clientDataJSON":"e30","signature":"AA"},"type":"public-key"}"#;
    let request = sent(answer(
        flow,
        ChallengeAnswer::WebAuthnCredential(credential.into()),
    ));
    assert_eq!(
        respond(&request, "WEB_AUTHN", Some(session)),
        map(&[("USERNAME", "alice"), ("CREDENTIAL", credential)])
    );
    assert_tokens(&done(reply(flow, &tokens())));
}

#[test]
fn auto_sign_in_with_the_sign_up_session() {
    let (mut flow, request) = start(Credentials::auto_sign_in("alice", "sign-up-session"));
    assert_eq!(
        initiate(&request, "USER_AUTH", Some("sign-up-session")),
        map(&[("USERNAME", "alice")])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

// ----- MFA challenges -----

#[test]
fn sms_totp_email_and_sms_otp_codes() {
    let sms = json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******1234"});
    let email = json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***.com"});
    let cases = [
        (
            "SMS_MFA",
            sms.clone(),
            UserStep::ConfirmSmsMfaCode {
                delivery: CodeDelivery {
                    destination: Some("+*******1234".into()),
                    medium: Some("SMS".into()),
                    attribute_name: None,
                },
            },
            ChallengeAnswer::SmsMfaCode(" 123456 ".into()),
            "SMS_MFA_CODE",
        ),
        (
            "SOFTWARE_TOKEN_MFA",
            json!({"FRIENDLY_DEVICE_NAME": "Pixel"}),
            UserStep::ConfirmTotpCode {
                friendly_device_name: Some("Pixel".into()),
            },
            ChallengeAnswer::TotpCode("123456".into()),
            "SOFTWARE_TOKEN_MFA_CODE",
        ),
        (
            "EMAIL_OTP",
            email,
            UserStep::ConfirmOtpCode {
                delivery: CodeDelivery {
                    destination: Some("a***@e***.com".into()),
                    medium: Some("EMAIL".into()),
                    attribute_name: None,
                },
            },
            ChallengeAnswer::OtpCode("123456".into()),
            "EMAIL_OTP_CODE",
        ),
        (
            "SMS_OTP",
            sms,
            UserStep::ConfirmOtpCode {
                delivery: CodeDelivery {
                    destination: Some("+*******1234".into()),
                    medium: Some("SMS".into()),
                    attribute_name: None,
                },
            },
            ChallengeAnswer::OtpCode("123456".into()),
            "SMS_OTP_CODE",
        ),
    ];
    for (name, parameters, step, code, key) in cases {
        // SMS_OTP is a first factor of choice-based sign-in only; the others are MFA.
        let credentials = if name == "SMS_OTP" {
            Credentials::user_auth("alice", Some(FirstFactor::SmsOtp), None)
        } else {
            Credentials::password("alice", password())
        };
        let (mut flow, _) = start(credentials);
        assert_eq!(
            shown(reply(&mut flow, &challenge(name, "S1", parameters))),
            step
        );
        let request = sent(answer(&mut flow, code));
        assert_eq!(
            respond(&request, name, Some("S1")),
            map(&[("USERNAME", "alice"), (key, "123456")]),
            "{name}"
        );
        assert_tokens(&done(reply(&mut flow, &tokens())));
    }
}

#[test]
fn select_mfa_type_takes_every_amplify_spelling() {
    let spellings = [
        ("SMS", MfaType::Sms),
        ("sms", MfaType::Sms),
        ("SMS_MFA", MfaType::Sms),
        ("sms_mfa", MfaType::Sms),
        ("TOTP", MfaType::Totp),
        ("totp", MfaType::Totp),
        ("SOFTWARE_TOKEN_MFA", MfaType::Totp),
        ("Software_Token_Mfa", MfaType::Totp),
        ("EMAIL", MfaType::Email),
        ("email", MfaType::Email),
        ("EMAIL_OTP", MfaType::Email),
        (" Email_Otp ", MfaType::Email),
        ("EMAIL_MFA", MfaType::Email),
    ];
    for (spelling, expected) in spellings {
        let choice = MfaType::parse(spelling).unwrap();
        assert_eq!(choice, expected, "{spelling}");
        let (mut flow, _) = start(Credentials::password("alice", password()));
        let step = shown(reply(
            &mut flow,
            &challenge(
                "SELECT_MFA_TYPE",
                "S1",
                json!({"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"}),
            ),
        ));
        assert_eq!(
            step,
            UserStep::SelectMfaType {
                allowed: vec![MfaType::Sms, MfaType::Totp, MfaType::Email]
            }
        );
        let request = sent(answer(&mut flow, ChallengeAnswer::SelectMfaType(choice)));
        assert_eq!(
            respond(&request, "SELECT_MFA_TYPE", Some("S1")),
            map(&[("USERNAME", "alice"), ("ANSWER", expected.as_str())])
        );
    }
    for unknown in ["", "fax", "SMS MFA", "TOTP_MFA"] {
        assert_eq!(MfaType::parse(unknown), None, "{unknown}");
    }

    // The chosen MFA challenge follows, with a new session.
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = shown(reply(
        &mut flow,
        &challenge(
            "SELECT_MFA_TYPE",
            "S1",
            // moto writes a Python list; unknown names are dropped.
            json!({"MFAS_CAN_CHOOSE": "['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'VOICE']"}),
        ),
    ));
    assert_eq!(
        step,
        UserStep::SelectMfaType {
            allowed: vec![MfaType::Sms, MfaType::Totp]
        }
    );
    assert_eq!(
        flow.answer(ChallengeAnswer::SelectMfaType(MfaType::Email), now())
            .unwrap_err(),
        SignInError::ChoiceNotOffered
    );
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SelectMfaType(MfaType::Totp),
    ));
    respond(&request, "SELECT_MFA_TYPE", Some("S1"));
    shown(reply(
        &mut flow,
        &challenge("SOFTWARE_TOKEN_MFA", "S2", json!({})),
    ));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::TotpCode("000111".into()),
    ));
    assert_eq!(
        respond(&request, "SOFTWARE_TOKEN_MFA", Some("S2")),
        map(&[("USERNAME", "alice"), ("SOFTWARE_TOKEN_MFA_CODE", "000111")])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));

    // Without MFAS_CAN_CHOOSE there is nothing to choose from.
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let error = flow
        .handle_response(
            HttpResponse::new(
                200,
                challenge("SELECT_MFA_TYPE", "S1", json!({}))
                    .to_string()
                    .as_bytes(),
            ),
            now(),
        )
        .unwrap_err();
    assert_eq!(
        error,
        SignInError::MissingChallengeParameter {
            challenge: "SELECT_MFA_TYPE".into(),
            parameter: "MFAS_CAN_CHOOSE"
        }
    );
    assert!(flow.is_over());
}

// ----- MFA setup -----

fn mfa_setup(flow: &mut SignIn, can_setup: &str) -> Result<Step, SignInError> {
    flow.handle_response(
        HttpResponse::new(
            200,
            challenge(
                "MFA_SETUP",
                "S0",
                json!({"MFAS_CAN_SETUP": can_setup, "USERNAME": "alice"}),
            )
            .to_string()
            .as_bytes(),
        ),
        now(),
    )
}

/// `AssociateSoftwareToken` with `session`, then the `SetUpTotp` step; returns the step.
fn associate(flow: &mut SignIn, step: Step, session: &str) -> UserStep {
    let request = sent(step);
    assert_eq!(request.operation(), Operation::AssociateSoftwareToken);
    assert_eq!(body(&request), json!({"Session": session}));
    shown(reply(
        flow,
        &json!({"SecretCode": TOTP_SECRET, "Session": "S1"}),
    ))
}

#[test]
fn mfa_setup_totp_only_associates_verifies_and_responds_with_the_newest_session() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    // SMS cannot be set up during sign-in: TOTP is the only choice, so no question is asked.
    let step = mfa_setup(&mut flow, "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]").unwrap();
    let step = associate(&mut flow, step, "S0");
    let UserStep::SetUpTotp { details } = &step else {
        panic!("{step:?}")
    };
    assert_eq!(details.username(), "alice");
    assert_eq!(
        details.shared_secret(),
        &TotpSecret::from_base32(TOTP_SECRET).unwrap()
    );
    assert_eq!(
        details.setup_uri("My App", None).expose(),
        format!("otpauth://totp/My%20App:alice?secret={TOTP_SECRET}&issuer=My%20App")
    );

    // A code that is not digits is refused before anything is sent.
    assert_eq!(
        flow.answer(
            ChallengeAnswer::TotpSetupCode {
                code: "12 456".into(),
                friendly_device_name: None
            },
            now()
        )
        .unwrap_err(),
        SignInError::InvalidCode(CodeError::NotDigit { position: 2 })
    );
    assert_eq!(flow.pending_step(), Some(&step));

    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: "123456".into(),
            friendly_device_name: Some("Pixel".into()),
        },
    ));
    assert_eq!(request.operation(), Operation::VerifySoftwareToken);
    assert_eq!(
        body(&request),
        json!({"Session": "S1", "UserCode": "123456", "FriendlyDeviceName": "Pixel"})
    );

    // A wrong code (three ways Cognito says so) keeps the step; the retry uses the newest session.
    let error = reply_error(
        &mut flow,
        "EnableSoftwareTokenMFAException",
        "Code mismatch",
    )
    .unwrap_err();
    assert!(error.step_still_open());
    assert_eq!(flow.pending_step(), Some(&step));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: "234567".into(),
            friendly_device_name: None,
        },
    ));
    assert_eq!(
        body(&request),
        json!({"Session": "S1", "UserCode": "234567"})
    );
    let error = reply_error(&mut flow, "CodeMismatchException", "Invalid code").unwrap_err();
    assert!(error.step_still_open());
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: "345678".into(),
            friendly_device_name: None,
        },
    ));
    assert_eq!(body(&request)["Session"], "S1");
    let error = flow
        .handle_response(
            HttpResponse::new(200, br#"{"Status":"ERROR","Session":"S1b"}"#),
            now(),
        )
        .unwrap_err();
    assert_eq!(error, SignInError::TotpSetupCodeRejected);
    assert!(error.step_still_open());
    assert_eq!(flow.pending_step(), Some(&step));

    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: "456789".into(),
            friendly_device_name: None,
        },
    ));
    assert_eq!(
        body(&request),
        json!({"Session": "S1b", "UserCode": "456789"})
    );
    let request = sent(reply(
        &mut flow,
        &json!({"Status": "SUCCESS", "Session": "S2"}),
    ));
    assert_eq!(
        respond(&request, "MFA_SETUP", Some("S2")),
        map(&[("USERNAME", "alice")])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn mfa_setup_totp_or_email_asks_which() {
    // TOTP chosen.
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = shown(mfa_setup(&mut flow, "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]").unwrap());
    assert_eq!(
        step,
        UserStep::SelectMfaSetup {
            allowed: vec![MfaType::Totp, MfaType::Email]
        }
    );
    assert_eq!(
        flow.answer(ChallengeAnswer::SelectMfaSetupType(MfaType::Sms), now())
            .unwrap_err(),
        SignInError::ChoiceNotOffered
    );
    assert_eq!(
        flow.answer(ChallengeAnswer::SelectMfaType(MfaType::Totp), now())
            .unwrap_err(),
        SignInError::AnswerDoesNotFitStep {
            answer: "SelectMfaType"
        }
    );
    assert_eq!(flow.pending_step(), Some(&step));
    let next = answer(
        &mut flow,
        ChallengeAnswer::SelectMfaSetupType(MfaType::parse("totp").unwrap()),
    );
    assert!(matches!(
        associate(&mut flow, next, "S0"),
        UserStep::SetUpTotp { .. }
    ));

    // Email chosen: the address is sent with MFA_SETUP, then the emailed code.
    let (mut flow, _) = start(Credentials::password("alice", password()));
    shown(mfa_setup(&mut flow, "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]").unwrap());
    let step = shown(answer(
        &mut flow,
        ChallengeAnswer::SelectMfaSetupType(MfaType::parse("EMAIL").unwrap()),
    ));
    assert_eq!(step, UserStep::SetUpEmailMfa);
    email_setup(&mut flow);
}

/// `SetUpEmailMfa` → `MFA_SETUP` with `EMAIL` → `EMAIL_OTP` → tokens.
fn email_setup(flow: &mut SignIn) {
    assert_eq!(
        flow.answer(ChallengeAnswer::MfaEmailAddress("alice".into()), now())
            .unwrap_err(),
        SignInError::InvalidEmailAddress
    );
    assert_eq!(flow.pending_step(), Some(&UserStep::SetUpEmailMfa));
    let request = sent(answer(
        flow,
        ChallengeAnswer::MfaEmailAddress(" alice@example.com ".into()),
    ));
    assert_eq!(
        respond(&request, "MFA_SETUP", Some("S0")),
        map(&[("USERNAME", "alice"), ("EMAIL", "alice@example.com")])
    );
    let step = shown(reply(
        flow,
        &challenge(
            "EMAIL_OTP",
            "S1",
            json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***.com"}),
        ),
    ));
    assert!(matches!(step, UserStep::ConfirmOtpCode { .. }));
    let request = sent(answer(flow, ChallengeAnswer::OtpCode("135790".into())));
    assert_eq!(
        respond(&request, "EMAIL_OTP", Some("S1")),
        map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", "135790")])
    );
    assert_tokens(&done(reply(flow, &tokens())));
}

#[test]
fn mfa_setup_email_only_asks_for_the_address() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = shown(mfa_setup(&mut flow, "[\"EMAIL_OTP\"]").unwrap());
    assert_eq!(step, UserStep::SetUpEmailMfa);
    email_setup(&mut flow);
}

#[test]
fn mfa_setup_sms_only_is_not_possible() {
    for can_setup in ["[\"SMS_MFA\"]", "[]", "[\"VOICE\"]"] {
        let (mut flow, _) = start(Credentials::password("alice", password()));
        assert_eq!(
            mfa_setup(&mut flow, can_setup).unwrap_err(),
            SignInError::MfaSetupNotPossible
        );
        assert!(flow.is_over());
    }
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let error = flow
        .handle_response(
            HttpResponse::new(
                200,
                challenge("MFA_SETUP", "S0", json!({}))
                    .to_string()
                    .as_bytes(),
            ),
            now(),
        )
        .unwrap_err();
    assert_eq!(
        error,
        SignInError::MissingChallengeParameter {
            challenge: "MFA_SETUP".into(),
            parameter: "MFAS_CAN_SETUP"
        }
    );
}

#[test]
fn mfa_setup_with_a_bad_secret_or_without_one_ends() {
    for (body, expected) in [
        (
            json!({"Session": "S1"}),
            SignInError::Response(ResponseError::MissingField {
                field: "SecretCode",
            }),
        ),
        (
            json!({"SecretCode": 42, "Session": "S1"}),
            SignInError::Response(ResponseError::FieldHasWrongType {
                field: "SecretCode",
            }),
        ),
    ] {
        let (mut flow, _) = start(Credentials::password("alice", password()));
        let _ = sent(mfa_setup(&mut flow, "[\"SOFTWARE_TOKEN_MFA\"]").unwrap());
        let error = flow
            .handle_response(HttpResponse::new(200, body.to_string().as_bytes()), now())
            .unwrap_err();
        assert_eq!(error, expected);
        assert!(flow.is_over());
    }
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let _ = sent(mfa_setup(&mut flow, "[\"SOFTWARE_TOKEN_MFA\"]").unwrap());
    let error = flow
        .handle_response(
            HttpResponse::new(200, br#"{"SecretCode":"not base32!","Session":"S1"}"#),
            now(),
        )
        .unwrap_err();
    assert!(matches!(error, SignInError::Totp(_)), "{error:?}");
    assert!(flow.is_over());
}

// ----- new password, session chaining -----

fn new_password_required(flow: &mut SignIn, session: &str) -> UserStep {
    shown(reply(
        flow,
        &challenge(
            "NEW_PASSWORD_REQUIRED",
            session,
            json!({
                "USERNAME": "alice",
                "requiredAttributes": "[\"userAttributes.name\",\"userAttributes.family_name\"]",
                "userAttributes": "{\"email\":\"alice@example.com\",\"email_verified\":\"true\",\"phone_number_verified\":false}",
            }),
        ),
    ))
}

fn new_password(attributes: &[(&str, &str)]) -> ChallengeAnswer {
    ChallengeAnswer::NewPassword {
        password: SecretString::new("N3w-Password!"),
        attributes: attributes
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    }
}

#[test]
fn new_password_required_sends_only_the_required_attributes() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = new_password_required(&mut flow, "S1");
    assert_eq!(
        step,
        UserStep::NewPassword {
            required_attributes: vec!["name".into(), "family_name".into()],
            user_attributes: map(&[("email", "alice@example.com"), ("email_verified", "true")]),
        }
    );

    // A missing required attribute, or no password: refused, the step stays.
    assert_eq!(
        flow.answer(new_password(&[("name", "Alice")]), now())
            .unwrap_err(),
        SignInError::MissingRequiredAttribute {
            name: "family_name".into()
        }
    );
    assert_eq!(flow.pending_step(), Some(&step));
    assert_eq!(
        flow.answer(
            ChallengeAnswer::NewPassword {
                password: SecretString::new(""),
                attributes: vec![]
            },
            now()
        )
        .unwrap_err(),
        SignInError::EmptyPassword
    );
    assert_eq!(flow.pending_step(), Some(&step));

    let answer_with_extra = || {
        new_password(&[
            ("nickname", "Al"),
            ("family_name", "Liddell"),
            ("name", "Alice"),
        ])
    };
    let request = sent(answer(&mut flow, answer_with_extra()));
    let expected = map(&[
        ("USERNAME", "alice"),
        ("NEW_PASSWORD", "N3w-Password!"),
        ("userAttributes.name", "Alice"),
        ("userAttributes.family_name", "Liddell"),
    ]);
    assert_eq!(
        respond(&request, "NEW_PASSWORD_REQUIRED", Some("S1")),
        expected
    );

    // A password the policy refuses keeps the step; the retry uses the same session.
    let error = reply_error(
        &mut flow,
        "InvalidPasswordException",
        "Password does not conform to policy",
    )
    .unwrap_err();
    assert!(error.step_still_open());
    assert_eq!(flow.pending_step(), Some(&step));
    let request = sent(answer(&mut flow, answer_with_extra()));
    assert_eq!(
        respond(&request, "NEW_PASSWORD_REQUIRED", Some("S1")),
        expected
    );

    // Then an emailed code, with the session of the new-password response (not the first).
    shown(reply(
        &mut flow,
        &challenge(
            "EMAIL_OTP",
            "S2",
            json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL"}),
        ),
    ));
    let request = sent(answer(&mut flow, ChallengeAnswer::OtpCode("112233".into())));
    respond(&request, "EMAIL_OTP", Some("S2"));
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn every_hop_sends_the_newest_session() {
    // CUSTOM_AUTH with SRP: the one flow where every one of these challenges may come.
    let (mut flow, request) = start(Credentials::custom_with_srp("alice", password()));
    initiate(&request, "CUSTOM_AUTH", None);
    let request = sent(reply(&mut flow, &password_verifier("alice")));
    respond(&request, "PASSWORD_VERIFIER", None);
    new_password_required(&mut flow, "S1");
    let request = sent(answer(
        &mut flow,
        new_password(&[("name", "A"), ("family_name", "L")]),
    ));
    respond(&request, "NEW_PASSWORD_REQUIRED", Some("S1"));
    shown(reply(
        &mut flow,
        &challenge(
            "SELECT_MFA_TYPE",
            "S2",
            json!({"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}),
        ),
    ));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SelectMfaType(MfaType::Sms),
    ));
    respond(&request, "SELECT_MFA_TYPE", Some("S2"));
    shown(reply(
        &mut flow,
        &challenge(
            "SMS_MFA",
            "S3",
            json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"}),
        ),
    ));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("999999".into()),
    ));
    respond(&request, "SMS_MFA", Some("S3"));
    // A challenge without a Session keeps the last one.
    shown(reply(
        &mut flow,
        &json!({"ChallengeName": "CUSTOM_CHALLENGE", "ChallengeParameters": {"USERNAME": "alice"}}),
    ));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::CustomChallenge(SecretString::new("x")),
    ));
    respond(&request, "CUSTOM_CHALLENGE", Some("S3"));
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

// ----- devices -----

#[test]
fn device_srp_is_answered_automatically_with_device_key_everywhere() {
    let device = device();
    let (mut flow, request) =
        start(Credentials::srp("alice", password()).with_device(device.clone()));
    let parameters = initiate(&request, "USER_SRP_AUTH", None);
    assert_eq!(keys(&parameters), ["DEVICE_KEY", "SRP_A", "USERNAME"]);
    assert_eq!(parameters["DEVICE_KEY"], device.device_key);
    let first_a = parameters["SRP_A"].clone();

    let request = sent(reply(&mut flow, &password_verifier("alice")));
    let responses = respond(&request, "PASSWORD_VERIFIER", None);
    assert_eq!(
        keys(&responses),
        [
            "DEVICE_KEY",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "PASSWORD_CLAIM_SIGNATURE",
            "TIMESTAMP",
            "USERNAME"
        ]
    );
    assert_eq!(responses["DEVICE_KEY"], device.device_key);

    let request = sent(reply(
        &mut flow,
        &challenge("DEVICE_SRP_AUTH", "S1", json!({"USERNAME": "alice"})),
    ));
    let responses = respond(&request, "DEVICE_SRP_AUTH", Some("S1"));
    assert_eq!(keys(&responses), ["DEVICE_KEY", "SRP_A", "USERNAME"]);
    assert_eq!(responses["DEVICE_KEY"], device.device_key);
    assert_srp_a(&responses["SRP_A"]);
    assert_ne!(responses["SRP_A"], first_a, "a fresh ephemeral");

    let request = sent(reply(
        &mut flow,
        &challenge(
            "DEVICE_PASSWORD_VERIFIER",
            "S2",
            json!({
                "SALT": "1f2e3d", "SRP_B": "123456789abcdef", "SECRET_BLOCK": "ZGV2aWNl",
                "USERNAME": "alice", "DEVICE_KEY": device.device_key,
            }),
        ),
    ));
    let responses = respond(&request, "DEVICE_PASSWORD_VERIFIER", Some("S2"));
    assert_eq!(
        keys(&responses),
        [
            "DEVICE_KEY",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "PASSWORD_CLAIM_SIGNATURE",
            "TIMESTAMP",
            "USERNAME"
        ]
    );
    assert_password_claim(&responses, "ZGV2aWNl");
    let signed_in = done(reply(&mut flow, &tokens()));
    assert!(matches!(signed_in.device, DeviceOutcome::NoNewDevice));
    assert!(!signed_in.stale_device_forgotten);
}

#[test]
fn device_key_goes_with_user_answers_too() {
    let device = device();
    let (mut flow, request) =
        start(Credentials::password("alice", password()).with_device(device.clone()));
    assert_eq!(
        initiate(&request, "USER_PASSWORD_AUTH", None),
        map(&[
            ("USERNAME", "alice"),
            ("PASSWORD", PASSWORD),
            ("DEVICE_KEY", &device.device_key)
        ])
    );
    shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    assert_eq!(
        respond(&request, "SMS_MFA", Some("S1")),
        map(&[
            ("USERNAME", "alice"),
            ("SMS_MFA_CODE", "123456"),
            ("DEVICE_KEY", &device.device_key)
        ])
    );
}

#[test]
fn device_srp_without_a_device_ends_the_flow() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let error = flow
        .handle_response(
            HttpResponse::new(
                200,
                challenge("DEVICE_SRP_AUTH", "S1", json!({}))
                    .to_string()
                    .as_bytes(),
            ),
            now(),
        )
        .unwrap_err();
    // The policy refuses DEVICE_SRP_AUTH when the credentials carry no device.
    assert_eq!(
        error,
        SignInError::UnexpectedChallenge {
            flow: "USER_PASSWORD_AUTH",
            name: "DEVICE_SRP_AUTH".into()
        }
    );
    assert!(flow.is_over());
}

/// The verifier `ConfirmDevice` sends is g^x for the device password it reports, computed here
/// with num-bigint.
fn assert_device_verifier(request: &Request, device: &RememberedDevice) {
    let body = body(request);
    let config = &body["DeviceSecretVerifierConfig"];
    let salt =
        BigInt::from_signed_bytes_be(&STANDARD.decode(config["Salt"].as_str().unwrap()).unwrap());
    let inner = Sha256::new()
        .chain_update(device.device_group_key.as_bytes())
        .chain_update(device.device_key.as_bytes())
        .chain_update(b":")
        .chain_update(device.device_password.expose().as_bytes())
        .finalize();
    let x = BigUint::from_bytes_be(
        &Sha256::new()
            .chain_update(salt.to_signed_bytes_be())
            .chain_update(inner)
            .finalize(),
    );
    let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap();
    let v = BigUint::from(2u32).modpow(&x, &n);
    assert_eq!(
        STANDARD
            .decode(config["PasswordVerifier"].as_str().unwrap())
            .unwrap(),
        BigInt::from_biguint(Sign::Plus, v).to_signed_bytes_be()
    );
}

#[test]
fn new_device_is_confirmed_before_signing_in() {
    for user_confirmation_necessary in [Some(true), Some(false), None] {
        let (mut flow, _) =
            start(Credentials::password("alice", password()).with_device_name("Alice's iPhone"));
        let request = sent(reply(&mut flow, &tokens_with_new_device()));
        assert_eq!(request.operation(), Operation::ConfirmDevice);
        let body = body(&request);
        assert_eq!(
            top_level_keys(&body),
            [
                "AccessToken",
                "DeviceKey",
                "DeviceName",
                "DeviceSecretVerifierConfig"
            ]
        );
        assert_eq!(body["AccessToken"], ACCESS);
        assert_eq!(
            body["DeviceKey"],
            "us-east-1_77777777-8888-9999-aaaa-bbbbbbbbbbbb"
        );
        assert_eq!(body["DeviceName"], "Alice's iPhone");
        let salt = STANDARD
            .decode(body["DeviceSecretVerifierConfig"]["Salt"].as_str().unwrap())
            .unwrap();
        assert!(
            (16..=17).contains(&salt.len()),
            "16 random bytes as a signed integer"
        );

        let response = match user_confirmation_necessary {
            Some(flag) => json!({"UserConfirmationNecessary": flag}),
            None => json!({}),
        };
        let signed_in = done(reply(&mut flow, &response));
        assert_tokens(&signed_in);
        let DeviceOutcome::Confirmed {
            device,
            user_confirmation_necessary: necessary,
        } = signed_in.device
        else {
            panic!("{:?}", signed_in.device)
        };
        assert_eq!(necessary, user_confirmation_necessary.unwrap_or(false));
        assert_eq!(
            device.device_key,
            "us-east-1_77777777-8888-9999-aaaa-bbbbbbbbbbbb"
        );
        assert_eq!(device.device_group_key, "-NewGroup1");
        assert_eq!(
            STANDARD
                .decode(device.device_password.expose())
                .unwrap()
                .len(),
            40
        );
        assert_device_verifier(&request, &device);

        // Remembering it afterwards.
        let update = UpdateDeviceStatus::new(SecretString::new(ACCESS), &device.device_key, true)
            .request(&config())
            .unwrap();
        assert_eq!(update.operation(), Operation::UpdateDeviceStatus);
        assert_eq!(
            serde_json::from_str::<Value>(update.body()).unwrap(),
            json!({"AccessToken": ACCESS, "DeviceKey": device.device_key, "DeviceRememberedStatus": "remembered"})
        );
    }
}

#[test]
fn confirm_device_failure_still_signs_in() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let request = sent(reply(&mut flow, &tokens_with_new_device()));
    assert_eq!(request.operation(), Operation::ConfirmDevice);
    assert_eq!(
        top_level_keys(&body(&request)),
        ["AccessToken", "DeviceKey", "DeviceSecretVerifierConfig"]
    );
    let signed_in =
        done(reply_error(&mut flow, "InvalidParameterException", "bad verifier").unwrap());
    assert_tokens(&signed_in);
    let DeviceOutcome::ConfirmFailed(error) = &signed_in.device else {
        panic!("{:?}", signed_in.device)
    };
    assert_eq!(error.code(), "InvalidParameterException");
    assert!(flow.is_over());
}

#[test]
fn confirm_device_refused_or_unreadable_still_signs_in() {
    // Whatever goes wrong with ConfirmDevice, the tokens Cognito already issued are kept.
    let unreadable: [(&[u8], ResponseError); 2] = [
        (b"not json", ResponseError::NotJson),
        (
            br#"{"UserConfirmationNecessary":"yes"}"#,
            ResponseError::FieldHasWrongType {
                field: "UserConfirmationNecessary",
            },
        ),
    ];
    for (body, expected) in unreadable {
        let (mut flow, _) = start(Credentials::password("alice", password()).with_device(device()));
        let request = sent(reply(&mut flow, &tokens_with_new_device()));
        assert_eq!(request.operation(), Operation::ConfirmDevice);
        let signed_in = done(
            flow.handle_response(HttpResponse::new(200, body), now())
                .unwrap(),
        );
        assert_tokens(&signed_in);
        assert_eq!(
            signed_in.device,
            DeviceOutcome::ConfirmResponseMalformed(expected)
        );
        assert!(flow.is_over());
    }
    let cases: [(u16, Vec<u8>, &str); 2] = [
        (
            400,
            error_body("PasswordResetRequiredException", "reset"),
            "PasswordResetRequiredException",
        ),
        (
            400,
            error_body("ResourceNotFoundException", "Device does not exist."),
            "ResourceNotFoundException",
        ),
    ];
    for (status, body, code) in cases {
        let (mut flow, _) = start(Credentials::password("alice", password()).with_device(device()));
        let request = sent(reply(&mut flow, &tokens_with_new_device()));
        assert_eq!(request.operation(), Operation::ConfirmDevice);
        let step = flow
            .handle_response(HttpResponse::new(status, &body), now())
            .unwrap();
        let signed_in = done(step);
        assert_tokens(&signed_in);
        let DeviceOutcome::ConfirmFailed(error) = &signed_in.device else {
            panic!("{:?}", signed_in.device)
        };
        assert_eq!(error.code(), code);
        assert!(!signed_in.stale_device_forgotten);
        assert!(flow.is_over());
    }
}

#[test]
fn stale_device_restarts_once_without_it() {
    let device = device();
    let (mut flow, request) =
        start(Credentials::srp("alice", password()).with_device(device.clone()));
    let first_a = initiate(&request, "USER_SRP_AUTH", None)["SRP_A"].clone();
    let request = sent(reply(&mut flow, &password_verifier("alice")));
    assert_eq!(
        respond(&request, "PASSWORD_VERIFIER", None)["DEVICE_KEY"],
        device.device_key
    );

    let request = sent(
        reply_error(
            &mut flow,
            "ResourceNotFoundException",
            "Device does not exist.",
        )
        .unwrap(),
    );
    let parameters = initiate(&request, "USER_SRP_AUTH", None);
    assert_eq!(keys(&parameters), ["SRP_A", "USERNAME"], "no DEVICE_KEY");
    assert_ne!(parameters["SRP_A"], first_a, "a fresh ephemeral");
    let request = sent(reply(&mut flow, &password_verifier("alice")));
    assert_eq!(
        keys(&respond(&request, "PASSWORD_VERIFIER", None)),
        CLAIM_KEYS
    );
    shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    assert_eq!(
        respond(&request, "SMS_MFA", Some("S1")),
        map(&[("USERNAME", "alice"), ("SMS_MFA_CODE", "123456")])
    );
    let signed_in = done(reply(&mut flow, &tokens()));
    assert!(signed_in.stale_device_forgotten);
    assert_tokens(&signed_in);

    // Refused at InitiateAuth already, and only once: a second refusal ends the flow.
    let (mut flow, _) = start(Credentials::srp("alice", password()).with_device(device));
    let request = sent(
        reply_error(
            &mut flow,
            "ResourceNotFoundException",
            "Device does not exist.",
        )
        .unwrap(),
    );
    assert_eq!(
        keys(&initiate(&request, "USER_SRP_AUTH", None)),
        ["SRP_A", "USERNAME"]
    );
    let error = reply_error(
        &mut flow,
        "ResourceNotFoundException",
        "Device does not exist.",
    )
    .unwrap_err();
    assert!(matches!(&error, SignInError::Service(e) if e.code() == "ResourceNotFoundException"));
    assert!(flow.is_over());

    // Without a device the same error is just an error.
    let (mut flow, _) = start(Credentials::srp("alice", password()));
    reply_error(
        &mut flow,
        "ResourceNotFoundException",
        "User pool client does not exist.",
    )
    .unwrap_err();
    assert!(flow.is_over());
}

// ----- refusals that become steps, refusals that keep or end the step -----

#[test]
fn unconfirmed_user_and_password_reset_become_steps() {
    for (code, typed) in [
        ("UserNotConfirmedException", "alice"),
        ("PasswordResetRequiredException", "alice"),
    ] {
        let (mut flow, _) = start(Credentials::srp(typed, password()));
        let step = reply_error(&mut flow, code, "...").unwrap();
        match (code, step) {
            ("UserNotConfirmedException", Step::ConfirmSignUp { username })
            | ("PasswordResetRequiredException", Step::ResetPassword { username }) => {
                assert_eq!(username, typed);
            }
            (_, other) => panic!("{code}: {other:?}"),
        }
        assert!(flow.is_over());
    }
    // Also when only the x-amzn-errortype header names it, and during a challenge.
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = flow
        .handle_response(
            HttpResponse::new(400, b"{}").with_error_type(Some(
                "UserNotConfirmedException:http://internal.amazon.com/coral/com.amazon.cognito/",
            )),
            now(),
        )
        .unwrap();
    assert!(matches!(step, Step::ConfirmSignUp { .. }), "{step:?}");
    let (mut flow, _) = start(Credentials::password("alice", password()));
    shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
    let _ = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    let step = reply_error(&mut flow, "PasswordResetRequiredException", "reset").unwrap();
    assert!(matches!(step, Step::ResetPassword { .. }), "{step:?}");
}

#[test]
fn wrong_or_expired_code_keeps_the_step_and_the_session() {
    for code in ["CodeMismatchException", "ExpiredCodeException"] {
        let (mut flow, _) = start(Credentials::password("alice", password()));
        let step = shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
        let _ = sent(answer(
            &mut flow,
            ChallengeAnswer::SmsMfaCode("111111".into()),
        ));
        let error = reply_error(&mut flow, code, "Invalid code").unwrap_err();
        let SignInError::AnswerRefused(service) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(service.code(), code);
        assert!(!service.restarts_sign_in());
        assert!(error.step_still_open());
        assert_eq!(flow.pending_step(), Some(&step));
        assert!(!flow.is_over());
        let request = sent(answer(
            &mut flow,
            ChallengeAnswer::SmsMfaCode("222222".into()),
        ));
        assert_eq!(
            respond(&request, "SMS_MFA", Some("S1")),
            map(&[("USERNAME", "alice"), ("SMS_MFA_CODE", "222222")])
        );
        assert_tokens(&done(reply(&mut flow, &tokens())));
    }
}

/// A refusal of a kind that keeps an answered step open (a wrong code) ends the flow when it
/// answers a request that was not an answer, and the error says so (found by `sign_in_proptest.rs`).
#[test]
fn code_refusals_outside_an_answer_end_the_flow() {
    for code in [
        "CodeMismatchException",
        "ExpiredCodeException",
        "InvalidPasswordException",
    ] {
        let (mut flow, _) = start(Credentials::password("alice", password()));
        let error = reply_error(&mut flow, code, "Invalid code").unwrap_err();
        let SignInError::Service(service) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(service.code(), code);
        assert!(!error.step_still_open(), "{error:?}");
        assert!(flow.is_over());
        assert_eq!(flow.pending_step(), None);
    }
}

#[test]
fn not_authorized_during_a_challenge_ends_the_flow() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
    let _ = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("111111".into()),
    ));
    let error = reply_error(
        &mut flow,
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )
    .unwrap_err();
    let SignInError::Service(service) = &error else {
        panic!("{error:?}")
    };
    assert!(service.restarts_sign_in());
    assert!(!error.step_still_open());
    assert!(flow.is_over());
    assert_eq!(flow.pending_step(), None);
    assert_eq!(
        flow.answer(ChallengeAnswer::SmsMfaCode("222222".into()), now())
            .unwrap_err(),
        SignInError::Finished
    );

    // So does a 5xx (retryable, but the flow does not resend by itself).
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let error = flow
        .handle_response(HttpResponse::new(502, b"<html>Bad Gateway</html>"), now())
        .unwrap_err();
    let SignInError::Service(service) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(service.code(), "UnknownError");
    assert!(service.is_retryable());
    assert!(flow.is_over());
}

// ----- usernames -----

#[test]
fn alias_then_canonical_username_and_its_secret_hash() {
    let secret = SecretString::new(CLIENT_SECRET);
    let (mut flow, request) = SignIn::start(
        secret_config(),
        Credentials::srp("alice@example.com", password()),
        entropy(3),
    )
    .unwrap();
    let parameters = initiate(&request, "USER_SRP_AUTH", None);
    assert_eq!(keys(&parameters), ["SECRET_HASH", "SRP_A", "USERNAME"]);
    assert_eq!(parameters["USERNAME"], "alice@example.com");
    assert_eq!(
        parameters["SECRET_HASH"],
        secret_hash("alice@example.com", CLIENT, &secret)
    );
    assert_eq!(flow.username(), "alice@example.com");

    let request = sent(reply(&mut flow, &password_verifier(UUID)));
    assert_eq!(flow.username(), UUID);
    let responses = respond(&request, "PASSWORD_VERIFIER", None);
    assert_eq!(responses["USERNAME"], UUID);
    assert_eq!(responses["SECRET_HASH"], secret_hash(UUID, CLIENT, &secret));

    // Later challenges without USERNAME keep the canonical name.
    shown(reply(
        &mut flow,
        &challenge("SOFTWARE_TOKEN_MFA", "S1", json!({})),
    ));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::TotpCode("123456".into()),
    ));
    assert_eq!(
        respond(&request, "SOFTWARE_TOKEN_MFA", Some("S1")),
        map(&[
            ("USERNAME", UUID),
            ("SOFTWARE_TOKEN_MFA_CODE", "123456"),
            ("SECRET_HASH", &secret_hash(UUID, CLIENT, &secret)),
        ])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));

    // The steps that send the user elsewhere name them as typed.
    let (mut flow, _) = SignIn::start(
        secret_config(),
        Credentials::password("alice@example.com", password()),
        entropy(3),
    )
    .unwrap();
    shown(reply(
        &mut flow,
        &challenge("SMS_MFA", "S1", json!({"USERNAME": UUID})),
    ));
    let _ = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    let step = reply_error(&mut flow, "PasswordResetRequiredException", "reset").unwrap();
    assert!(
        matches!(&step, Step::ResetPassword { username } if username == "alice@example.com"),
        "{step:?}"
    );
}

#[test]
fn challenge_without_username_names_the_user_by_user_id_for_srp() {
    // USER_PASSWORD_AUTH answers SMS_MFA with USER_ID_FOR_SRP only (no USERNAME); with an
    // email alias that is the canonical name, and SECRET_HASH must be computed over it.
    let secret = SecretString::new(CLIENT_SECRET);
    let (mut flow, _) = SignIn::start(
        secret_config(),
        Credentials::password("alice@example.com", password()),
        entropy(3),
    )
    .unwrap();
    shown(reply(
        &mut flow,
        &challenge(
            "SMS_MFA",
            "S1",
            json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******1234", "USER_ID_FOR_SRP": UUID}),
        ),
    ));
    assert_eq!(flow.username(), UUID);
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    assert_eq!(
        respond(&request, "SMS_MFA", Some("S1")),
        map(&[
            ("USERNAME", UUID),
            ("SMS_MFA_CODE", "123456"),
            ("SECRET_HASH", &secret_hash(UUID, CLIENT, &secret)),
        ])
    );

    // When both are given, USERNAME wins (emulators where USER_ID_FOR_SRP is the sub).
    let (mut flow, _) = start(Credentials::srp("alice", password()));
    let mut verifier = password_verifier("alice");
    verifier["ChallengeParameters"]["USER_ID_FOR_SRP"] = json!(UUID);
    let request = sent(reply(&mut flow, &verifier));
    assert_eq!(
        respond(&request, "PASSWORD_VERIFIER", None)["USERNAME"],
        "alice"
    );
}

#[test]
fn phone_number_username_is_sent_in_e164() {
    let secret = SecretString::new(CLIENT_SECRET);
    let (mut flow, request) = SignIn::start(
        secret_config(),
        Credentials::password("+1 (206) 555-1212", password()),
        entropy(4),
    )
    .unwrap();
    assert_eq!(
        initiate(&request, "USER_PASSWORD_AUTH", None),
        map(&[
            ("USERNAME", "+12065551212"),
            ("PASSWORD", PASSWORD),
            ("SECRET_HASH", &secret_hash("+12065551212", CLIENT, &secret)),
        ])
    );
    assert_eq!(flow.username(), "+12065551212");
    shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    assert_eq!(
        respond(&request, "SMS_MFA", Some("S1"))["USERNAME"],
        "+12065551212"
    );

    // Without a leading + it is not read as a phone number.
    let (_, request) = start(Credentials::password("206 555 1212", password()));
    assert_eq!(
        initiate(&request, "USER_PASSWORD_AUTH", None)["USERNAME"],
        "206 555 1212"
    );
}

// ----- malformed responses -----

#[test]
fn malformed_responses_end_the_flow_with_typed_errors() {
    let cases: [(&[u8], SignInError); 5] = [
        (b"not json", SignInError::Response(ResponseError::NotJson)),
        (b"[]", SignInError::Response(ResponseError::NotAnObject)),
        (
            b"{}",
            SignInError::Response(ResponseError::MissingField {
                field: "ChallengeName",
            }),
        ),
        (
            br#"{"ChallengeName":"SMS_MFA","Session":7}"#,
            SignInError::Response(ResponseError::FieldHasWrongType { field: "Session" }),
        ),
        (
            br#"{"AuthenticationResult":{"AccessToken":"a"}}"#,
            SignInError::Response(ResponseError::MissingField { field: "ExpiresIn" }),
        ),
    ];
    for (body, expected) in cases {
        let (mut flow, _) = start(Credentials::srp("alice", password()));
        let error = flow
            .handle_response(HttpResponse::new(200, body), now())
            .unwrap_err();
        assert_eq!(error, expected);
        assert!(flow.is_over());
        assert_eq!(
            flow.handle_response(HttpResponse::new(200, body), now())
                .unwrap_err(),
            SignInError::Finished
        );
    }

    // PASSWORD_VERIFIER without SRP_B (or SALT, SECRET_BLOCK), or with B ≡ 0.
    for parameter in ["SRP_B", "SALT", "SECRET_BLOCK"] {
        let (mut flow, _) = start(Credentials::srp("alice", password()));
        let mut verifier = password_verifier("alice");
        verifier["ChallengeParameters"]
            .as_object_mut()
            .unwrap()
            .remove(parameter);
        let error = flow
            .handle_response(
                HttpResponse::new(200, verifier.to_string().as_bytes()),
                now(),
            )
            .unwrap_err();
        assert_eq!(
            error,
            SignInError::MissingChallengeParameter {
                challenge: "PASSWORD_VERIFIER".into(),
                parameter
            }
        );
        assert!(flow.is_over());
    }
    for srp_b in ["0", N_HEX] {
        let (mut flow, _) = start(Credentials::srp("alice", password()));
        let mut verifier = password_verifier("alice");
        verifier["ChallengeParameters"]["SRP_B"] = json!(srp_b);
        let error = flow
            .handle_response(
                HttpResponse::new(200, verifier.to_string().as_bytes()),
                now(),
            )
            .unwrap_err();
        assert_eq!(error, SignInError::Srp(SrpError::ServerPublicKeyIsZeroModN));
        assert!(flow.is_over());
    }

    // Challenges this library cannot answer.
    for name in ["ADMIN_NO_SRP_AUTH", "EMAIL_MFA_SOMEDAY"] {
        let (mut flow, _) = start(Credentials::password("alice", password()));
        let error = flow
            .handle_response(
                HttpResponse::new(200, challenge(name, "S1", json!({})).to_string().as_bytes()),
                now(),
            )
            .unwrap_err();
        assert_eq!(
            error,
            SignInError::UnsupportedChallenge { name: name.into() }
        );
        assert!(flow.is_over());
    }

    // A verifier for a flow that never sent SRP_A (custom auth without SRP).
    let (mut flow, _) = start(Credentials::custom("alice"));
    let error = flow
        .handle_response(
            HttpResponse::new(200, password_verifier("alice").to_string().as_bytes()),
            now(),
        )
        .unwrap_err();
    assert_eq!(
        error,
        SignInError::UnexpectedChallenge {
            flow: "CUSTOM_AUTH",
            name: "PASSWORD_VERIFIER".into()
        }
    );
    assert!(flow.is_over());
}

// ----- calls out of order, wrong answers -----

#[test]
fn calls_out_of_order_change_nothing() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    // An answer while InitiateAuth is in flight.
    assert_eq!(
        flow.answer(ChallengeAnswer::SmsMfaCode("123456".into()), now())
            .unwrap_err(),
        SignInError::NoStepWaiting
    );
    assert!(!flow.is_over() && flow.pending_step().is_none());
    let step = shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));

    // A response while the step waits.
    assert_eq!(
        flow.handle_response(
            HttpResponse::new(200, tokens().to_string().as_bytes()),
            now()
        )
        .unwrap_err(),
        SignInError::NoRequestInFlight
    );
    assert_eq!(flow.pending_step(), Some(&step));
    assert_eq!(
        flow.handle_response(
            HttpResponse::new(400, &error_body("NotAuthorizedException", "x")),
            now()
        )
        .unwrap_err(),
        SignInError::NoRequestInFlight
    );
    assert_eq!(flow.pending_step(), Some(&step));

    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    respond(&request, "SMS_MFA", Some("S1"));
    // A second answer while that one is in flight.
    assert_eq!(
        flow.answer(ChallengeAnswer::SmsMfaCode("123456".into()), now())
            .unwrap_err(),
        SignInError::NoStepWaiting
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));

    // Anything after the end.
    assert_eq!(
        flow.handle_response(
            HttpResponse::new(200, tokens().to_string().as_bytes()),
            now()
        )
        .unwrap_err(),
        SignInError::Finished
    );
    assert_eq!(
        flow.answer(ChallengeAnswer::SmsMfaCode("123456".into()), now())
            .unwrap_err(),
        SignInError::Finished
    );
    assert_eq!(
        flow.snapshot(now()).unwrap_err(),
        SnapshotError::NoStepWaiting
    );
    assert!(flow.is_over());
}

#[test]
fn wrong_kinds_and_bad_codes_keep_the_step_open() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
    let refusals = [
        (
            ChallengeAnswer::TotpCode("123456".into()),
            SignInError::AnswerDoesNotFitStep { answer: "TotpCode" },
        ),
        (
            ChallengeAnswer::OtpCode("123456".into()),
            SignInError::AnswerDoesNotFitStep { answer: "OtpCode" },
        ),
        (
            ChallengeAnswer::Password(password()),
            SignInError::AnswerDoesNotFitStep { answer: "Password" },
        ),
        (
            ChallengeAnswer::SmsMfaCode("12a456".into()),
            SignInError::InvalidCode(CodeError::NotDigit { position: 2 }),
        ),
        (
            ChallengeAnswer::SmsMfaCode("123".into()),
            SignInError::InvalidCode(CodeError::Length { len: 3 }),
        ),
        (
            ChallengeAnswer::SmsMfaCode("".into()),
            SignInError::InvalidCode(CodeError::Length { len: 0 }),
        ),
        (
            ChallengeAnswer::SmsMfaCode("12345678901".into()),
            SignInError::InvalidCode(CodeError::Length { len: 11 }),
        ),
    ];
    for (refused, expected) in refusals {
        let error = flow.answer(refused, now()).unwrap_err();
        assert_eq!(error, expected);
        assert!(error.step_still_open());
        assert_eq!(flow.pending_step(), Some(&step));
    }
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    respond(&request, "SMS_MFA", Some("S1"));
}

// ----- no secrets in Debug -----

#[test]
fn debug_output_never_shows_secrets() {
    const SESSION: &str = "AYABeSESSION-SECRET";
    let secrets = [
        PASSWORD,
        "N3w-Password!",
        "246810",
        "975318",
        ACCESS,
        ID,
        REFRESH,
        SESSION,
        TOTP_SECRET,
        CLIENT_SECRET,
        "custom-answer-SECRET",
        "device-password-SECRET",
    ];
    let mut printed = Vec::new();
    let mut print = |text: String| printed.push(text);

    let (mut flow, request) = SignIn::start(
        secret_config(),
        Credentials::password("alice", password()).with_device(device()),
        entropy(5),
    )
    .unwrap();
    print(format!("{flow:?} {request:?} {request:#?}"));
    let step = reply(
        &mut flow,
        &challenge("NEW_PASSWORD_REQUIRED", SESSION, json!({})),
    );
    print(format!("{flow:?} {step:?} {step:#?}"));
    let step = answer(&mut flow, new_password(&[]));
    print(format!("{flow:?} {step:?}"));
    let step = reply(&mut flow, &challenge("SMS_MFA", SESSION, json!({})));
    print(format!("{flow:?} {step:?}"));
    let step = answer(&mut flow, ChallengeAnswer::SmsMfaCode("246810".into()));
    print(format!("{flow:?} {step:?}"));
    let error = reply_error(&mut flow, "CodeMismatchException", "Invalid code").unwrap_err();
    print(format!("{flow:?} {error:?} {error}"));
    let step = answer(&mut flow, ChallengeAnswer::SmsMfaCode("975318".into()));
    print(format!("{step:?}"));
    let step = reply(
        &mut flow,
        &challenge(
            "MFA_SETUP",
            SESSION,
            json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}),
        ),
    );
    print(format!("{flow:?} {step:?}"));
    let step = reply(
        &mut flow,
        &json!({"SecretCode": TOTP_SECRET, "Session": SESSION}),
    );
    print(format!("{flow:?} {step:?} {step:#?}"));
    let step = answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: "246810".into(),
            friendly_device_name: None,
        },
    );
    print(format!("{step:?}"));
    let step = reply(&mut flow, &json!({"Status": "SUCCESS", "Session": SESSION}));
    print(format!("{step:?}"));
    let step = reply(&mut flow, &tokens());
    print(format!("{flow:?} {step:?}"));

    // A custom challenge belongs to CUSTOM_AUTH: its answer is a secret too.
    let (mut flow, _) = SignIn::start(
        secret_config(),
        Credentials::custom("alice").with_device(device()),
        entropy(6),
    )
    .unwrap();
    let step = reply(
        &mut flow,
        &challenge("CUSTOM_CHALLENGE", SESSION, json!({})),
    );
    print(format!("{flow:?} {step:?}"));
    let custom = ChallengeAnswer::CustomChallenge(SecretString::new("custom-answer-SECRET"));
    print(format!("{custom:?}"));
    let step = answer(&mut flow, custom);
    print(format!("{flow:?} {step:?} {step:#?}"));

    // A new device: the ConfirmDevice request and the device password it reports.
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = reply(&mut flow, &tokens_with_new_device());
    print(format!("{flow:?} {step:?}"));
    let step = reply(&mut flow, &json!({"UserConfirmationNecessary": false}));
    print(format!("{flow:?} {step:?} {step:#?}"));
    let Step::SignedIn(signed_in) = step else {
        panic!()
    };
    let DeviceOutcome::Confirmed { device: new, .. } = &signed_in.device else {
        panic!()
    };
    let device_password = new.device_password.expose().to_owned();
    print(format!("{new:?}"));
    print(format!("{:?}", device()));

    assert!(printed.len() > 15);
    for text in &printed {
        for secret in secrets.iter().chain([&device_password.as_str()]) {
            assert!(!text.contains(secret), "{secret:?} in {text}");
        }
    }
}

// ----- snapshots -----

fn restore_options(at: u64) -> RestoreOptions {
    RestoreOptions {
        now: UnixTime::from_secs(at),
        max_age_secs: 180,
        entropy: entropy(9),
        device: None,
        password: None,
    }
}

/// The JSON inside a snapshot.
fn snapshot_document(snapshot: &str) -> Value {
    let body = snapshot.split('.').nth(2).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap()
}

#[test]
fn snapshot_at_an_sms_code_and_finish_after_restore() {
    let secret = SecretString::new(CLIENT_SECRET);
    let (mut flow, _) = SignIn::start(
        secret_config(),
        Credentials::password("alice@example.com", password()),
        entropy(6),
    )
    .unwrap();
    let step = shown(reply(
        &mut flow,
        &challenge(
            "SMS_MFA",
            "S1",
            json!({"USERNAME": UUID, "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******1234"}),
        ),
    ));
    let snapshot = flow.snapshot(now()).unwrap();
    assert!(snapshot.expose().starts_with("cognito-auth-sign-in.v1."));
    assert!(!format!("{snapshot:?}").contains("S1"));
    let document = snapshot_document(snapshot.expose()).to_string();
    assert!(!document.contains(PASSWORD) && !document.contains(CLIENT_SECRET));
    assert!(document.contains("S1"), "the session is what resumes");
    drop(flow);

    let mut flow = SignIn::restore(
        secret_config(),
        snapshot.expose(),
        restore_options(NOW + 120),
    )
    .unwrap();
    assert_eq!(flow.pending_step(), Some(&step));
    assert_eq!(flow.username(), UUID);
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    assert_eq!(
        respond(&request, "SMS_MFA", Some("S1")),
        map(&[
            ("USERNAME", UUID),
            ("SMS_MFA_CODE", "123456"),
            ("SECRET_HASH", &secret_hash(UUID, CLIENT, &secret)),
        ])
    );
    // A wrong code after restore keeps the restored step, too.
    reply_error(&mut flow, "CodeMismatchException", "Invalid code").unwrap_err();
    assert_eq!(flow.pending_step(), Some(&step));
    let again = flow.snapshot(now()).unwrap();
    let mut flow = SignIn::restore(secret_config(), again.expose(), restore_options(NOW)).unwrap();
    let _ = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("654321".into()),
    ));
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn snapshot_at_totp_setup_and_finish_after_restore() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = mfa_setup(&mut flow, "[\"SOFTWARE_TOKEN_MFA\"]").unwrap();
    let step = associate(&mut flow, step, "S0");
    let snapshot = flow.snapshot(now()).unwrap();
    let mut flow = SignIn::restore(config(), snapshot.expose(), restore_options(NOW + 10)).unwrap();
    assert_eq!(flow.pending_step(), Some(&step));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: "123456".into(),
            friendly_device_name: None,
        },
    ));
    assert_eq!(
        body(&request),
        json!({"Session": "S1", "UserCode": "123456"})
    );
    let request = sent(reply(
        &mut flow,
        &json!({"Status": "SUCCESS", "Session": "S2"}),
    ));
    assert_eq!(
        respond(&request, "MFA_SETUP", Some("S2")),
        map(&[("USERNAME", "alice")])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn snapshot_at_new_password_and_finish_after_restore() {
    let (mut flow, _) = start(Credentials::password("alice", password()));
    let step = new_password_required(&mut flow, "S1");
    let snapshot = flow.snapshot(now()).unwrap();
    let mut flow =
        SignIn::restore(config(), snapshot.expose(), restore_options(NOW + 179)).unwrap();
    assert_eq!(flow.pending_step(), Some(&step));
    assert_eq!(
        flow.answer(new_password(&[("name", "Alice")]), now())
            .unwrap_err(),
        SignInError::MissingRequiredAttribute {
            name: "family_name".into()
        }
    );
    let request = sent(answer(
        &mut flow,
        new_password(&[("name", "Alice"), ("family_name", "Liddell")]),
    ));
    assert_eq!(
        respond(&request, "NEW_PASSWORD_REQUIRED", Some("S1")),
        map(&[
            ("USERNAME", "alice"),
            ("NEW_PASSWORD", "N3w-Password!"),
            ("userAttributes.name", "Alice"),
            ("userAttributes.family_name", "Liddell"),
        ])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn snapshot_at_first_factor_selection_and_finish_after_restore() {
    let flow = select_challenge(Credentials::user_auth("alice", None, Some(password())));
    let step = flow.pending_step().cloned().unwrap();
    let snapshot = flow.snapshot(now()).unwrap();
    assert!(
        !snapshot_document(snapshot.expose())
            .to_string()
            .contains(PASSWORD)
    );

    // PASSWORD_SRP with the password handed to restore.
    let mut flow = SignIn::restore(
        config(),
        snapshot.expose(),
        RestoreOptions {
            password: Some(password()),
            ..restore_options(NOW + 30)
        },
    )
    .unwrap();
    assert_eq!(flow.pending_step(), Some(&step));
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SelectFirstFactor(FirstFactor::PasswordSrp),
    ));
    let responses = respond(&request, "SELECT_CHALLENGE", Some("S1"));
    assert_eq!(keys(&responses), ["ANSWER", "SRP_A", "USERNAME"]);
    let request = sent(reply(&mut flow, &password_verifier("alice")));
    assert_eq!(
        keys(&respond(&request, "PASSWORD_VERIFIER", Some("S1"))),
        CLAIM_KEYS
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));

    // PASSWORD without it: the password is asked for.
    let mut flow = SignIn::restore(config(), snapshot.expose(), restore_options(NOW + 30)).unwrap();
    assert_eq!(
        shown(answer(
            &mut flow,
            ChallengeAnswer::SelectFirstFactor(FirstFactor::Password)
        )),
        UserStep::ConfirmPassword
    );
    let request = sent(answer(&mut flow, ChallengeAnswer::Password(password())));
    assert_eq!(
        respond(&request, "SELECT_CHALLENGE", Some("S1")),
        map(&[
            ("USERNAME", "alice"),
            ("ANSWER", "PASSWORD"),
            ("PASSWORD", PASSWORD)
        ])
    );
    assert_tokens(&done(reply(&mut flow, &tokens())));
}

#[test]
fn snapshot_with_a_device_needs_the_device() {
    let device = device();
    let (mut flow, _) =
        start(Credentials::password("alice", password()).with_device(device.clone()));
    shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
    let snapshot = flow.snapshot(now()).unwrap();
    let document = snapshot_document(snapshot.expose()).to_string();
    assert!(!document.contains(device.device_password.expose()));

    let other = RememberedDevice {
        device_key: "us-east-1_other".into(),
        ..device.clone()
    };
    for wrong in [None, Some(other)] {
        let error = SignIn::restore(
            config(),
            snapshot.expose(),
            RestoreOptions {
                device: wrong,
                ..restore_options(NOW)
            },
        )
        .unwrap_err();
        assert_eq!(error, SnapshotError::DeviceRequired);
    }
    let mut flow = SignIn::restore(
        config(),
        snapshot.expose(),
        RestoreOptions {
            device: Some(device.clone()),
            ..restore_options(NOW)
        },
    )
    .unwrap();
    let request = sent(answer(
        &mut flow,
        ChallengeAnswer::SmsMfaCode("123456".into()),
    ));
    assert_eq!(
        respond(&request, "SMS_MFA", Some("S1"))["DEVICE_KEY"],
        device.device_key
    );
}

#[test]
fn snapshot_refusals() {
    // Nothing to snapshot while a request is in flight.
    let (mut flow, _) = start(Credentials::password("alice", password()));
    assert_eq!(
        flow.snapshot(now()).unwrap_err(),
        SnapshotError::NoStepWaiting
    );
    shown(reply(&mut flow, &challenge("SMS_MFA", "S1", json!({}))));
    let snapshot = flow.snapshot(now()).unwrap();
    let text = snapshot.expose();
    let restore = |config: ClientConfig, text: &str, at: u64| {
        SignIn::restore(config, text, restore_options(at)).map(|_| ())
    };
    assert_eq!(restore(config(), text, NOW + 180), Ok(()));
    assert_eq!(
        restore(config(), text, NOW + 181),
        Err(SnapshotError::Expired { age_secs: 181 })
    );
    assert_eq!(
        restore(config(), text, NOW - 1),
        Err(SnapshotError::TakenInTheFuture)
    );
    assert_eq!(
        restore(
            ClientConfig::new(UserPoolId::parse(POOL).unwrap(), "other-client").unwrap(),
            text,
            NOW
        ),
        Err(SnapshotError::ClientMismatch)
    );
    assert_eq!(
        restore(
            ClientConfig::new(UserPoolId::parse("us-east-1_Other123").unwrap(), CLIENT).unwrap(),
            text,
            NOW
        ),
        Err(SnapshotError::ClientMismatch)
    );

    // One byte changed anywhere in the body or the digest.
    let prefix = "cognito-auth-sign-in.v1.".len();
    for position in [prefix, prefix + 10, text.len() / 2, text.len() - 1] {
        let mut bytes = text.as_bytes().to_vec();
        bytes[position] = if bytes[position] == b'A' { b'B' } else { b'A' };
        let corrupted = String::from_utf8(bytes).unwrap();
        assert_eq!(
            restore(config(), &corrupted, NOW),
            Err(SnapshotError::Corrupted),
            "byte {position}"
        );
    }
    assert_eq!(
        restore(config(), &text[..text.len() - 3], NOW),
        Err(SnapshotError::Corrupted)
    );
    assert_eq!(
        restore(config(), &text.replacen(".v1.", ".v2.", 1), NOW),
        Err(SnapshotError::UnsupportedVersion { version: 2 })
    );
    for not_one in [
        "",
        "hello",
        "cognito-auth-sign-in",
        "cognito-auth-sign-in.vX.abc.def",
        "eyJhbGciOi.x.y",
    ] {
        assert_eq!(
            restore(config(), not_one, NOW),
            Err(SnapshotError::UnknownFormat),
            "{not_one:?}"
        );
    }
}

#[test]
fn terminal_steps_name_a_phone_number_user_in_e164() {
    // The follow-up ConfirmSignUp / ForgotPassword must use the name Cognito knows.
    for (code, expected) in [
        (
            "UserNotConfirmedException",
            Step::ConfirmSignUp {
                username: "+12065551212".into(),
            },
        ),
        (
            "PasswordResetRequiredException",
            Step::ResetPassword {
                username: "+12065551212".into(),
            },
        ),
    ] {
        let (mut flow, _) = start(Credentials::password("+1 (206) 555-1212", password()));
        assert_eq!(reply_error(&mut flow, code, "no").unwrap(), expected);
        assert!(flow.is_over());
    }
}

#[test]
fn choices_with_only_unknown_options_are_unsupported() {
    let (mut flow, _) = start(Credentials::user_auth("alice", None, None));
    let body = json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "S1",
        "ChallengeParameters": {}, "AvailableChallenges": ["FACE_SCAN"]});
    assert_eq!(
        flow.handle_response(HttpResponse::new(200, body.to_string().as_bytes()), now())
            .unwrap_err(),
        SignInError::UnsupportedChallenge {
            name: "SELECT_CHALLENGE".into()
        }
    );
    assert!(flow.is_over());

    let (mut flow, _) = start(Credentials::password("alice", password()));
    let body = challenge(
        "SELECT_MFA_TYPE",
        "S1",
        json!({"MFAS_CAN_CHOOSE": "[\"FAX\"]"}),
    );
    assert_eq!(
        flow.handle_response(HttpResponse::new(200, body.to_string().as_bytes()), now())
            .unwrap_err(),
        SignInError::UnsupportedChallenge {
            name: "SELECT_MFA_TYPE".into()
        }
    );
}

#[test]
fn stale_device_restart_drops_the_single_use_sign_up_session() {
    let (mut flow, request) =
        start(Credentials::auto_sign_in("alice", "sign-up-session").with_device(device()));
    assert_eq!(
        initiate(&request, "USER_AUTH", Some("sign-up-session"))["DEVICE_KEY"],
        device().device_key
    );
    let restart = sent(
        reply_error(
            &mut flow,
            "ResourceNotFoundException",
            "Device does not exist.",
        )
        .unwrap(),
    );
    assert_eq!(
        initiate(&restart, "USER_AUTH", None),
        map(&[("USERNAME", "alice")])
    );
}
