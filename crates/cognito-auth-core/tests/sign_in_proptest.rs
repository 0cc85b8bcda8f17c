//! Property tests of the sign-in state machine (examples in `sign_in_fake_pool.rs`,
//! `sign_in_transcripts.rs`, `sign_in_hostile_server.rs`; snapshots in
//! `sign_in_snapshot_proptest.rs`):
//! * the `InitiateAuth` username/`SECRET_HASH` for any Unicode username;
//! * `SignIn::answer` with any answer of any kind in every user step, checked against the
//!   documented rules (codes, choices, e-mail, new password, ...);
//! * `SignIn::handle_response` with any status, header and body in every state, and the
//!   automatic SRP legs with any `SALT` / `SRP_B` / `SECRET_BLOCK`;
//! * `MfaType::parse` / `FirstFactor::parse`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use cognito_auth_testkit::proptest_fixtures;

use cognito_auth_testkit::sign_in_strategies;

use alloc::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_auth_core::sign_in::{
    ChallengeAnswer, CodeError, Credentials, FirstFactor, HttpResponse, MfaType, RestoreOptions,
    SignIn, SignInError, Step, UserStep,
};
use cognito_auth_core::wire::{Operation, Request};
use cognito_auth_core::{PhoneNumber, SecretString};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

use proptest_fixtures::*;
use sign_in_strategies::*;

// ----- the first request -----

#[derive(Debug, Clone, Copy)]
enum PlainStart {
    Password,
    Custom,
    UserAuth,
    UserAuthPassword,
}

fn plain_credentials(start: PlainStart, typed: &str) -> Credentials {
    let password = || SecretString::new(PASSWORD);
    match start {
        PlainStart::Password => Credentials::password(typed, password()),
        PlainStart::Custom => Credentials::custom(typed),
        PlainStart::UserAuth => Credentials::user_auth(typed, None, None),
        PlainStart::UserAuthPassword => {
            Credentials::user_auth(typed, Some(FirstFactor::Password), Some(password()))
        }
    }
}

proptest! {
    #![proptest_config(cases(384))]

    /// Whatever the user types, `InitiateAuth` carries it verbatim, or its E.164 form when it
    /// is a `+` phone number; `SECRET_HASH` is over exactly that name; the terminal steps name
    /// the same user; nothing panics.
    #[test]
    fn initiate_auth_names_the_user_as_documented(
        typed in username(),
        start in select(vec![PlainStart::Password, PlainStart::Custom, PlainStart::UserAuth, PlainStart::UserAuthPassword]),
        with_secret in any::<bool>(),
        refusal in select(vec!["UserNotConfirmedException", "PasswordResetRequiredException"]),
    ) {
        let (mut flow, request) =
            SignIn::start(config(with_secret), plain_credentials(start, &typed), entropy(1)).unwrap();
        let trimmed = typed.trim();
        let expected = if trimmed.starts_with('+') || trimmed.starts_with('\u{ff0b}') {
            PhoneNumber::normalize(trimmed, None).map_or_else(|_| typed.clone(), String::from)
        } else {
            typed.clone()
        };
        let body = body_json(&request);
        let parameters = &body["AuthParameters"];
        prop_assert_eq!(parameters["USERNAME"].as_str(), Some(expected.as_str()));
        prop_assert_eq!(flow.username(), expected.as_str());
        let hash = parameters.get("SECRET_HASH").and_then(Value::as_str).map(String::from);
        prop_assert_eq!(hash, with_secret.then(|| reference_secret_hash(&expected, CLIENT, CLIENT_SECRET)));
        assert_no_fixed_secret(&format!("{flow:?}"));

        let error = json!({"__type": refusal, "message": "m"}).to_string();
        let step = flow.handle_response(HttpResponse::new(400, error.as_bytes()), at(NOW)).unwrap();
        let expected_step = if refusal == "UserNotConfirmedException" {
            Step::ConfirmSignUp { username: expected }
        } else {
            Step::ResetPassword { username: expected }
        };
        prop_assert_eq!(step, expected_step);
        prop_assert!(flow.is_over());
    }
}

// ----- answers -----

/// The code check of the documentation: 4 to 10 ASCII digits once trimmed.
fn expected_code(code: &str) -> Result<&str, CodeError> {
    let code = code.trim();
    if !(4..=10).contains(&code.len()) {
        return Err(CodeError::Length { len: code.len() });
    }
    match code.bytes().position(|b| !b.is_ascii_digit()) {
        Some(position) => Err(CodeError::NotDigit { position }),
        None => Ok(code),
    }
}

/// What a `RespondToAuthChallenge` must carry: the challenge, these responses (besides
/// `USERNAME`, `SECRET_HASH`, `DEVICE_KEY`, checked for every request).
type Responds = (&'static str, Vec<(String, String)>);

/// What an answer to `step` must lead to, by the documented rules.
enum Expected {
    Refused(SignInError),
    Responds(Responds),
    /// `RespondToAuthChallenge SELECT_CHALLENGE` with `ANSWER` and `SRP_A` (a fresh ephemeral).
    RespondsWithSrp,
    Sends(Operation),
    Shows(UserStep),
}

fn pair(key: &str, value: &str) -> (String, String) {
    (key.into(), value.into())
}

fn expected_answer(
    step: &UserStep,
    challenge: &str,
    answer: &ChallengeAnswer,
    has_password: bool,
) -> Expected {
    let code = |name: &'static str, key: &str, code: &str| match expected_code(code) {
        Ok(code) => Expected::Responds((name, vec![pair(key, code)])),
        Err(error) => Expected::Refused(SignInError::InvalidCode(error)),
    };
    match (step, answer) {
        (UserStep::ConfirmSmsMfaCode { .. }, ChallengeAnswer::SmsMfaCode(c)) => {
            code("SMS_MFA", "SMS_MFA_CODE", c)
        }
        (UserStep::ConfirmTotpCode { .. }, ChallengeAnswer::TotpCode(c)) => {
            code("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE", c)
        }
        (UserStep::ConfirmOtpCode { .. }, ChallengeAnswer::OtpCode(c)) => {
            if challenge == "SMS_OTP" {
                code("SMS_OTP", "SMS_OTP_CODE", c)
            } else {
                code("EMAIL_OTP", "EMAIL_OTP_CODE", c)
            }
        }
        (UserStep::SetUpTotp { .. }, ChallengeAnswer::TotpSetupCode { code, .. }) => {
            match expected_code(code) {
                Ok(_) => Expected::Sends(Operation::VerifySoftwareToken),
                Err(error) => Expected::Refused(SignInError::InvalidCode(error)),
            }
        }
        (UserStep::SelectMfaType { allowed }, ChallengeAnswer::SelectMfaType(choice)) => {
            if allowed.contains(choice) {
                Expected::Responds(("SELECT_MFA_TYPE", vec![pair("ANSWER", choice.as_str())]))
            } else {
                Expected::Refused(SignInError::ChoiceNotOffered)
            }
        }
        (UserStep::SelectMfaSetup { allowed }, ChallengeAnswer::SelectMfaSetupType(choice)) => {
            match (allowed.contains(choice), choice) {
                (false, _) => Expected::Refused(SignInError::ChoiceNotOffered),
                (true, MfaType::Totp) => Expected::Sends(Operation::AssociateSoftwareToken),
                (true, _) => Expected::Shows(UserStep::SetUpEmailMfa),
            }
        }
        (UserStep::SetUpEmailMfa, ChallengeAnswer::MfaEmailAddress(address)) => {
            let address = address.trim();
            if address.contains('@') {
                Expected::Responds(("MFA_SETUP", vec![pair("EMAIL", address)]))
            } else {
                Expected::Refused(SignInError::InvalidEmailAddress)
            }
        }
        (
            UserStep::NewPassword {
                required_attributes,
                ..
            },
            ChallengeAnswer::NewPassword {
                password,
                attributes,
            },
        ) => {
            if password.is_empty() {
                return Expected::Refused(SignInError::EmptyPassword);
            }
            let mut responses = vec![pair("NEW_PASSWORD", password.expose())];
            for name in required_attributes {
                match attributes.iter().find(|(given, _)| given == name) {
                    Some((_, value)) => {
                        responses.push(pair(&format!("userAttributes.{name}"), value))
                    }
                    None => {
                        return Expected::Refused(SignInError::MissingRequiredAttribute {
                            name: name.clone(),
                        });
                    }
                }
            }
            Expected::Responds(("NEW_PASSWORD_REQUIRED", responses))
        }
        (UserStep::CustomChallenge { .. }, ChallengeAnswer::CustomChallenge(answer)) => {
            Expected::Responds(("CUSTOM_CHALLENGE", vec![pair("ANSWER", answer.expose())]))
        }
        (UserStep::SelectFirstFactor { available }, ChallengeAnswer::SelectFirstFactor(f)) => {
            if !available.contains(f) {
                return Expected::Refused(SignInError::ChoiceNotOffered);
            }
            match (f, has_password) {
                (FirstFactor::Password, true) => Expected::Responds((
                    "SELECT_CHALLENGE",
                    vec![pair("ANSWER", "PASSWORD"), pair("PASSWORD", PASSWORD)],
                )),
                (FirstFactor::PasswordSrp, true) => Expected::RespondsWithSrp,
                (FirstFactor::Password | FirstFactor::PasswordSrp, false) => {
                    Expected::Shows(UserStep::ConfirmPassword)
                }
                _ => Expected::Responds(("SELECT_CHALLENGE", vec![pair("ANSWER", f.as_str())])),
            }
        }
        (UserStep::ConfirmPassword, ChallengeAnswer::Password(password)) => {
            if password.is_empty() {
                Expected::Refused(SignInError::EmptyPassword)
            } else if challenge == "PASSWORD_SRP" {
                Expected::RespondsWithSrp
            } else {
                Expected::Responds((
                    "SELECT_CHALLENGE",
                    vec![
                        pair("ANSWER", "PASSWORD"),
                        pair("PASSWORD", password.expose()),
                    ],
                ))
            }
        }
        // What the passkey module accepts is its own tests' subject; here, that the flow sends
        // what it accepts (compact) and keeps the step open for what it refuses.
        (UserStep::WebAuthn { .. }, ChallengeAnswer::WebAuthnCredential(credential)) => {
            match cognito_auth_core::passkey::check_assertion(credential) {
                Ok(checked) => {
                    Expected::Responds(("WEB_AUTHN", vec![pair("CREDENTIAL", &checked)]))
                }
                Err(error) => Expected::Refused(SignInError::PasskeyCredential(error)),
            }
        }
        (_, answer) => Expected::Refused(SignInError::AnswerDoesNotFitStep {
            answer: answer.kind(),
        }),
    }
}

/// The `RespondToAuthChallenge` `request` carries `challenge`, the flow's name, its
/// `SECRET_HASH`, the device key and `session`; returns the other responses.
fn check_respond(
    request: &Request,
    s: &Scenario,
    username: &str,
    session: Option<&str>,
    challenge: &str,
) -> BTreeMap<String, String> {
    assert_eq!(request.operation(), Operation::RespondToAuthChallenge);
    let body = body_json(request);
    assert_eq!(body["ChallengeName"], challenge);
    assert_eq!(body["ClientId"], CLIENT);
    assert_eq!(body.get("Session").and_then(Value::as_str), session);
    let mut responses: BTreeMap<String, String> = body["ChallengeResponses"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), String::from(v.as_str().unwrap())))
        .collect();
    assert_eq!(responses.remove("USERNAME").as_deref(), Some(username));
    let hash = responses.remove("SECRET_HASH");
    assert_eq!(
        hash,
        s.client_secret
            .then(|| reference_secret_hash(username, CLIENT, CLIENT_SECRET))
    );
    let device_key = responses.remove("DEVICE_KEY");
    assert_eq!(device_key.as_deref(), s.device.then_some(DEVICE_KEY));
    responses
}

/// The session the flow answers with: the latest one Cognito sent.
fn current_session(s: &Scenario) -> Option<&str> {
    match &s.shape {
        Shape::SetUpTotp { session, .. } => Some(session),
        _ => s.session.as_deref(),
    }
}

proptest! {
    #![proptest_config(cases(768))]

    /// Any answer of any kind in any user step: refused with the documented error (the step
    /// stays open, nothing changes), or sent exactly as documented: trimmed codes, the chosen
    /// option, the required attributes only, verbatim custom answers and passkey assertions,
    /// each with the canonical `USERNAME`, its `SECRET_HASH`, the device key and the session.
    #[test]
    fn any_answer_in_any_step_follows_the_rules(s in scenario(), seed in answer_seed()) {
        let mut flow = drive(&s);
        let step = flow.pending_step().cloned().unwrap();
        let answer = answer_for(&step, &seed);
        let username = String::from(flow.username());
        let first = first_response(&s);
        let challenge = serde_json::from_slice::<Value>(&first).unwrap()["ChallengeName"]
            .as_str().unwrap().to_owned();
        let expected = expected_answer(&step, &challenge, &answer, s.start.has_password());
        let got = flow.answer(answer.clone(), at(NOW));
        if let Err(error) = &got {
            assert_no_fixed_secret(&format!("{error} {error:?}"));
        }
        match (expected, got) {
            (Expected::Refused(expected), got) => {
                prop_assert_eq!(got, Err(expected.clone()));
                prop_assert!(expected.step_still_open());
                prop_assert_eq!(flow.pending_step(), Some(&step));
                prop_assert_eq!(flow.username(), username.as_str());
            }
            (Expected::Responds((name, responses)), Ok(Step::Send(request))) => {
                let sent = check_respond(&request, &s, &username, current_session(&s), name);
                let expected: BTreeMap<String, String> = responses.into_iter().collect();
                prop_assert_eq!(sent, expected);
                prop_assert!(flow.pending_step().is_none() && !flow.is_over());
            }
            (Expected::RespondsWithSrp, Ok(Step::Send(request))) => {
                let sent = check_respond(&request, &s, &username, current_session(&s), "SELECT_CHALLENGE");
                prop_assert_eq!(sent.get("ANSWER").map(String::as_str), Some("PASSWORD_SRP"));
                let srp_a = &sent["SRP_A"];
                prop_assert!(!srp_a.is_empty() && srp_a.bytes().all(|b| b.is_ascii_hexdigit()));
                prop_assert_eq!(sent.len(), 2);
            }
            (Expected::Sends(operation), Ok(Step::Send(request))) => {
                prop_assert_eq!(request.operation(), operation);
                let body = body_json(&request);
                prop_assert_eq!(body.get("Session").and_then(Value::as_str), current_session(&s));
                if let ChallengeAnswer::TotpSetupCode { code, friendly_device_name } = &answer {
                    prop_assert_eq!(body["UserCode"].as_str(), Some(code.trim()));
                    prop_assert_eq!(body.get("FriendlyDeviceName").and_then(Value::as_str), friendly_device_name.as_deref());
                }
            }
            (Expected::Shows(expected), Ok(Step::Challenge(shown))) => {
                prop_assert_eq!(&shown, &expected);
                prop_assert_eq!(flow.pending_step(), Some(&expected));
            }
            (_, got) => prop_assert!(false, "{:?} answered with {:?}", answer, got),
        }
    }
}

// ----- handle_response in every state -----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlowState {
    /// `InitiateAuth` in flight, for each kind of start.
    Initiate(u8),
    /// An automatic `RespondToAuthChallenge` in flight (PASSWORD_SRP chosen, device SRP).
    Automatic(bool),
    /// An answered SMS code in flight.
    Answered,
    /// `AssociateSoftwareToken` in flight.
    Associating,
    /// `VerifySoftwareToken` in flight.
    Verifying,
    /// `ConfirmDevice` in flight.
    ConfirmingDevice,
    /// A user step waits.
    Waiting,
    /// Signed in.
    Over,
}

fn flow_state() -> impl Strategy<Value = FlowState> {
    prop_oneof![
        (0u8..7).prop_map(FlowState::Initiate),
        any::<bool>().prop_map(FlowState::Automatic),
        Just(FlowState::Answered),
        Just(FlowState::Associating),
        Just(FlowState::Verifying),
        Just(FlowState::ConfirmingDevice),
        Just(FlowState::Waiting),
        Just(FlowState::Over),
    ]
}

fn ok(flow: &mut SignIn, body: &Value) -> Step {
    flow.handle_response(HttpResponse::new(200, body.to_string().as_bytes()), at(NOW))
        .unwrap()
}

/// A flow in `state`, and the user step a refusal may reopen.
fn reach(state: FlowState) -> (SignIn, Option<UserStep>) {
    let password = || SecretString::new(PASSWORD);
    let start = |credentials: Credentials| {
        SignIn::start(config(true), credentials, entropy(3))
            .unwrap()
            .0
    };
    let sms = challenge_body("SMS_MFA", Some("S1"), Map::new(), &[]);
    let tokens = json!({"AuthenticationResult": {"AccessToken": "a.b.c", "ExpiresIn": 3600,
        "NewDeviceMetadata": {"DeviceKey": "eu-central-1_dev", "DeviceGroupKey": "-grp"}}});
    match state {
        FlowState::Initiate(kind) => {
            let credentials = match kind {
                0 => Credentials::srp("alice", password()),
                1 => Credentials::password("alice", password()),
                2 => Credentials::custom("alice"),
                3 => Credentials::custom_with_srp("alice", password()),
                4 => Credentials::user_auth("alice", None, Some(password())),
                5 => Credentials::auto_sign_in("alice", "sign-up-session"),
                _ => Credentials::srp("alice", password()).with_device(device()),
            };
            (start(credentials), None)
        }
        FlowState::Automatic(device_srp) => {
            if device_srp {
                let mut flow =
                    start(Credentials::password("alice", password()).with_device(device()));
                let body = challenge_body("DEVICE_SRP_AUTH", Some("S1"), Map::new(), &[]);
                let step = ok(&mut flow, &serde_json::from_slice(&body).unwrap());
                assert!(
                    matches!(step, Step::Challenge(_) | Step::Send(_)),
                    "{step:?}"
                );
                (flow, None)
            } else {
                let mut flow = start(Credentials::user_auth("alice", None, Some(password())));
                let body = challenge_body(
                    "SELECT_CHALLENGE",
                    Some("S1"),
                    Map::new(),
                    &["PASSWORD_SRP"],
                );
                let step = ok(&mut flow, &serde_json::from_slice(&body).unwrap());
                assert!(
                    matches!(step, Step::Challenge(_) | Step::Send(_)),
                    "{step:?}"
                );
                let step = flow
                    .answer(
                        ChallengeAnswer::SelectFirstFactor(FirstFactor::PasswordSrp),
                        at(NOW),
                    )
                    .unwrap();
                assert!(matches!(step, Step::Send(_)));
                (flow, None)
            }
        }
        FlowState::Answered | FlowState::Waiting | FlowState::Over => {
            let mut flow = start(Credentials::password("alice", password()));
            let step = ok(&mut flow, &serde_json::from_slice(&sms).unwrap());
            assert!(
                matches!(step, Step::Challenge(_) | Step::Send(_)),
                "{step:?}"
            );
            let step = flow.pending_step().cloned();
            match state {
                FlowState::Waiting => return (flow, step),
                FlowState::Over => {
                    let _ = flow
                        .answer(ChallengeAnswer::SmsMfaCode("123456".into()), at(NOW))
                        .unwrap();
                    let mut tokens = tokens.clone();
                    tokens["AuthenticationResult"]
                        .as_object_mut()
                        .unwrap()
                        .remove("NewDeviceMetadata");
                    assert!(matches!(ok(&mut flow, &tokens), Step::SignedIn(_)));
                    return (flow, None);
                }
                _ => {}
            }
            let _ = flow
                .answer(ChallengeAnswer::SmsMfaCode("123456".into()), at(NOW))
                .unwrap();
            (flow, step)
        }
        FlowState::Associating | FlowState::Verifying => {
            let mut flow = start(Credentials::password("alice", password()));
            let mut parameters = Map::new();
            parameters.insert("MFAS_CAN_SETUP".into(), r#"["SOFTWARE_TOKEN_MFA"]"#.into());
            let body = challenge_body("MFA_SETUP", Some("S1"), parameters, &[]);
            let step = ok(&mut flow, &serde_json::from_slice(&body).unwrap());
            assert!(
                matches!(step, Step::Challenge(_) | Step::Send(_)),
                "{step:?}"
            );
            if state == FlowState::Associating {
                return (flow, None);
            }
            let step = ok(
                &mut flow,
                &json!({"SecretCode": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "Session": "S2"}),
            );
            assert!(
                matches!(step, Step::Challenge(_) | Step::Send(_)),
                "{step:?}"
            );
            let step = flow.pending_step().cloned();
            let answer = ChallengeAnswer::TotpSetupCode {
                code: "123456".into(),
                friendly_device_name: None,
            };
            let _ = flow.answer(answer, at(NOW)).unwrap();
            (flow, step)
        }
        FlowState::ConfirmingDevice => {
            let mut flow = start(Credentials::password("alice", password()));
            assert!(matches!(ok(&mut flow, &tokens), Step::Send(_)));
            (flow, None)
        }
    }
}

proptest! {
    #![proptest_config(cases(1024))]

    /// Any response in any state: no panic, and the flow's state agrees with the outcome. A
    /// step handed out is the one waiting; a request to send means neither waiting nor over;
    /// terminal steps end the flow; an error that keeps a step open leaves exactly the step
    /// that was answered waiting, any other error ends the flow; a response with nothing in
    /// flight changes nothing. No secret shows in any error or in the flow's `Debug`.
    #[test]
    fn any_response_in_any_state_keeps_the_flow_consistent(
        state in flow_state(),
        (status, header, body) in any_response(),
    ) {
        let (mut flow, reopens) = reach(state);
        let before = flow.pending_step().cloned();
        let was_over = flow.is_over();
        let response = HttpResponse::new(status, &body).with_error_type(header.as_deref());
        let result = flow.handle_response(response, at(NOW));
        assert_no_fixed_secret(&format!("{result:?} {flow:?}"));
        match &result {
            Ok(Step::Challenge(step)) => prop_assert_eq!(flow.pending_step(), Some(step)),
            Ok(Step::Send(request)) => {
                prop_assert!(!flow.is_over() && flow.pending_step().is_none());
                let _ = body_json(request);
            }
            Ok(Step::SignedIn(_) | Step::ConfirmSignUp { .. } | Step::ResetPassword { .. }) => {
                prop_assert!(flow.is_over());
            }
            Ok(other) => prop_assert!(false, "unknown step {:?}", other),
            Err(SignInError::NoRequestInFlight) => {
                prop_assert!(before.is_some());
                prop_assert_eq!(flow.pending_step(), before.as_ref());
            }
            Err(SignInError::Finished) => prop_assert!(was_over && flow.is_over()),
            Err(error) => {
                assert_no_fixed_secret(&error.to_string());
                if flow.pending_step().is_some() {
                    prop_assert!(error.step_still_open(), "{:?} left a step open", error);
                    prop_assert_eq!(flow.pending_step(), reopens.as_ref());
                } else {
                    prop_assert!(flow.is_over(), "{:?}", error);
                }
                // In every state, the error says whether a step waits (a refusal of a kind
                // that keeps steps open, sent to InitiateAuth or an automatic SRP leg, ends
                // the flow and must say so).
                if before.is_none() {
                    prop_assert_eq!(error.step_still_open(), flow.pending_step().is_some(), "{:?}", error);
                }
            }
        }
        if !matches!(result, Err(SignInError::NoRequestInFlight | SignInError::Finished)) {
            prop_assert!(!was_over);
        }
        // A flow waiting after this snapshots and restores to the same step.
        if let Some(step) = flow.pending_step() {
            let snapshot = flow.snapshot(at(NOW)).unwrap();
            let options = RestoreOptions {
                now: at(NOW), max_age_secs: 60, entropy: entropy(4),
                device: Some(device()), password: None,
            };
            let restored = SignIn::restore(config(true), snapshot.expose(), options).unwrap();
            prop_assert_eq!(restored.pending_step(), Some(step));
        }
    }
}

proptest! {
    #![proptest_config(cases(96))]

    /// The automatic SRP legs read any `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER`: the
    /// claim goes back with the secret block verbatim, a 32-byte signature, the timestamp of
    /// `now`, the canonical name, its `SECRET_HASH` and the device key. Well-formed parameters
    /// must get that claim; others may instead end the flow with the typed SRP error. (The
    /// signature itself is checked against a server in `srp.rs`.)
    #[test]
    fn srp_legs_answer_any_verifier_challenge(
        state in select(vec![
            FlowState::Initiate(0),
            FlowState::Initiate(3),
            FlowState::Initiate(6),
            FlowState::Automatic(false),
            FlowState::Automatic(true),
        ]),
        (parameters, well_formed) in tagged_verifier_parameters(),
    ) {
        let (mut flow, _) = reach(state);
        let device_leg = state == FlowState::Automatic(true);
        let name = if device_leg { "DEVICE_PASSWORD_VERIFIER" } else { "PASSWORD_VERIFIER" };
        let body = verifier_body(name, &parameters);
        match flow.handle_response(HttpResponse::new(200, &body), at(NOW)) {
            Ok(Step::Send(request)) => {
                prop_assert_eq!(request.operation(), Operation::RespondToAuthChallenge);
                let body = body_json(&request);
                prop_assert_eq!(body["ChallengeName"].as_str(), Some(name));
                let responses = body["ChallengeResponses"].as_object().unwrap();
                let username = parameters.3.as_deref().unwrap_or("alice");
                prop_assert_eq!(responses["USERNAME"].as_str(), Some(username));
                let hash = reference_secret_hash(username, CLIENT, CLIENT_SECRET);
                prop_assert_eq!(responses["SECRET_HASH"].as_str(), Some(hash.as_str()));
                let with_device = matches!(state, FlowState::Initiate(6) | FlowState::Automatic(true));
                prop_assert_eq!(responses.get("DEVICE_KEY").and_then(Value::as_str), with_device.then_some(DEVICE_KEY));
                prop_assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"].as_str(), Some(parameters.2.as_str()));
                let signature = STANDARD.decode(responses["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap()).unwrap();
                prop_assert_eq!(signature.len(), 32);
                // NOW as GNU `date -u -d @1800000000` prints it, in Cognito's form.
                prop_assert_eq!(responses["TIMESTAMP"].as_str(), Some("Fri Jan 15 08:00:00 UTC 2027"));
                prop_assert!(!flow.is_over() && flow.pending_step().is_none());
            }
            Err(SignInError::Srp(error)) => {
                prop_assert!(!well_formed, "well-formed parameters refused: {:?}", error);
                prop_assert!(flow.is_over());
                assert_no_fixed_secret(&format!("{error} {error:?}"));
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }
}

// ----- MFA and first-factor names -----

const MFA_SPELLINGS: &[(&str, MfaType)] = &[
    ("SMS", MfaType::Sms),
    ("SMS_MFA", MfaType::Sms),
    ("TOTP", MfaType::Totp),
    ("SOFTWARE_TOKEN_MFA", MfaType::Totp),
    ("EMAIL", MfaType::Email),
    ("EMAIL_OTP", MfaType::Email),
    ("EMAIL_MFA", MfaType::Email),
];

const FACTOR_SPELLINGS: &[(&str, FirstFactor)] = &[
    ("PASSWORD", FirstFactor::Password),
    ("PASSWORD_SRP", FirstFactor::PasswordSrp),
    ("EMAIL_OTP", FirstFactor::EmailOtp),
    ("SMS_OTP", FirstFactor::SmsOtp),
    ("WEB_AUTHN", FirstFactor::WebAuthn),
];

/// A spelling in random ASCII case, with white space around it.
fn spelled(spellings: &'static [&'static str]) -> impl Strategy<Value = String> {
    (
        select(spellings),
        proptest::collection::vec(any::<bool>(), 20),
        "[ \t\u{a0}\u{3000}]{0,2}",
        "[ \t\n]{0,2}",
    )
        .prop_map(|(name, upper, before, after)| {
            let cased: String = name
                .chars()
                .zip(upper)
                .map(|(c, up)| {
                    if up {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            format!("{before}{cased}{after}")
        })
}

const ALL_SPELLINGS: &[&str] = &[
    "SMS",
    "SMS_MFA",
    "TOTP",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL",
    "EMAIL_OTP",
    "EMAIL_MFA",
    "PASSWORD",
    "PASSWORD_SRP",
    "SMS_OTP",
    "WEB_AUTHN",
];

proptest! {
    #![proptest_config(cases(1024))]

    /// `MfaType::parse` and `FirstFactor::parse` read every documented spelling in any ASCII
    /// case with white space around it, and nothing else.
    #[test]
    fn mfa_and_first_factor_names_parse_as_documented(
        spelling in spelled(ALL_SPELLINGS),
        other in prop_oneof![
            "[A-Za-z_ ]{0,20}",
            "(SMS|sms|TOTP|EMAIL|MFA|OTP|SOFTWARE_TOKEN|PASSWORD|SRP|WEB|AUTHN|_| ){1,4}",
            any::<String>(),
        ],
    ) {
        for input in [spelling.as_str(), other.as_str()] {
            let name = input.trim();
            let mfa = MFA_SPELLINGS.iter().find(|(s, _)| s.eq_ignore_ascii_case(name)).map(|(_, t)| *t);
            prop_assert_eq!(MfaType::parse(input), mfa, "{:?}", input);
            let factor = FACTOR_SPELLINGS.iter().find(|(s, _)| s.eq_ignore_ascii_case(name)).map(|(_, f)| *f);
            prop_assert_eq!(FirstFactor::parse(input), factor, "{:?}", input);
        }
        prop_assert!(MfaType::parse(&spelling).is_some() || FirstFactor::parse(&spelling).is_some());
        for (_, t) in MFA_SPELLINGS {
            prop_assert_eq!(MfaType::parse(t.as_str()), Some(*t));
        }
        for (_, f) in FACTOR_SPELLINGS {
            prop_assert_eq!(FirstFactor::parse(f.as_str()), Some(*f));
        }
    }
}
