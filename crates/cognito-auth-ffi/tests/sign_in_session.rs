//! `SignInSession` end to end through the FFI layer (records in, records out) against the
//! test kit's independent in-memory Cognito (`cognito_auth_testkit::fake_pool`, which
//! does the server side of SRP with its own big-number arithmetic): tokens here mean the pool
//! agreed with every byte the client hashed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::fake_pool;

extern crate alloc;

use alloc::sync::Arc;

use cognito_auth_core::totp::TotpSecret;
use cognito_auth_core::{Operation, UnixTime};
use cognito_auth_ffi::CognitoAuthError;
use cognito_auth_ffi::error::ServiceErrorKind;
use cognito_auth_ffi::sign_in::{
    AuthFlow, ChallengeAnswer, DeviceOutcome, RestoreOptions, SignInCredentials, SignInSession,
    SignInStep,
};
use cognito_auth_ffi::totp::totp_code;
use cognito_auth_ffi::types::{ClientConfig, HttpRequest};
use fake_pool::{DeviceTracking, FakePool};

const POOL: &str = "eu-west-1_FakePool1";
const CLIENT: &str = "fakeclient0123456789abcdef";
const T0: u64 = 1_800_000_000;
const PASSWORD: &str = "Correct-Horse-9!";

fn config() -> ClientConfig {
    ClientConfig {
        user_pool_id: POOL.into(),
        client_id: CLIENT.into(),
        client_secret: None,
        endpoint_url: Some("http://127.0.0.1:9/".into()),
        allow_insecure_http: false,
    }
}

fn credentials(password: &str) -> SignInCredentials {
    SignInCredentials {
        username: "alice".into(),
        flow: AuthFlow::UserSrp,
        password: Some(password.into()),
        device: None,
        device_name: Some("test phone".into()),
        client_metadata: std::collections::HashMap::new(),
    }
}

fn session(seed: u8, password: &str) -> Arc<SignInSession> {
    SignInSession::new_for_testing(config(), credentials(password), vec![seed; 32], T0).unwrap()
}

/// The pool with alice, TOTP MFA enabled for her; returns the pool and her base32 secret.
fn pool_with_totp_user() -> (FakePool, String) {
    let mut pool = FakePool::new(POOL, CLIENT, UnixTime::from_secs(T0));
    let alice = pool.add_user("alice", PASSWORD);
    let secret = TotpSecret::from_bytes(&[42; 20]).unwrap();
    let base32 = secret.to_base32().expose().to_owned();
    pool.users[alice].totp = Some(secret);
    (pool, base32)
}

/// Sends an `HttpRequest` record to the pool: the record must carry everything a transport
/// needs (URL, method, headers, body).
fn send(pool: &mut FakePool, request: &HttpRequest) -> (u16, Vec<u8>) {
    assert_eq!(request.url, "http://127.0.0.1:9/");
    assert_eq!(request.method, "POST");
    let operation = Operation::from_name(&request.operation).unwrap();
    assert_eq!(request.headers["x-amz-target"], operation.target());
    assert_eq!(
        request.headers["content-type"],
        "application/x-amz-json-1.1"
    );
    let body = serde_json::from_str(&request.body).unwrap();
    let response = pool.handle_body(operation, body);
    (response.status, response.body)
}

/// Drives `step` until it is not `SendRequest`.
fn pump(pool: &mut FakePool, session: &SignInSession, mut step: SignInStep) -> SignInStep {
    for _ in 0..20 {
        let SignInStep::SendRequest { request } = &step else {
            return step;
        };
        let (status, body) = send(pool, request);
        step = session.handle_response(status, body, None).unwrap();
    }
    panic!("more than 20 requests in one sign-in");
}

fn expect_totp_step(step: &SignInStep) {
    assert!(
        matches!(step, SignInStep::ConfirmSignInWithTotpCode { .. }),
        "{step:?}"
    );
}

#[test]
fn srp_then_totp_signs_in() {
    let (mut pool, secret) = pool_with_totp_user();
    let session = session(1, PASSWORD);
    let step = pump(&mut pool, &session, session.start().unwrap());
    expect_totp_step(&step);
    assert_eq!(session.status().unwrap().username, "alice");

    let code = totp_code(secret, T0, None).unwrap();
    let step = session.answer(ChallengeAnswer::TotpCode { code }).unwrap();
    let step = pump(&mut pool, &session, step);
    let SignInStep::Done { result } = step else {
        panic!("{step:?}")
    };
    assert!(!result.tokens.access_token.is_empty());
    assert!(result.tokens.refresh_token.is_some());
    assert_eq!(result.device, DeviceOutcome::NoNewDevice);
    assert!(!result.stale_device_forgotten);
    assert!(session.is_over().unwrap());
    // Debug of the result shows no token.
    let printed = format!("{result:?}");
    assert!(!printed.contains(&result.tokens.access_token), "{printed}");
}

#[test]
fn a_new_device_is_confirmed_and_then_skips_mfa() {
    let (mut pool, secret) = pool_with_totp_user();
    pool.device_tracking = DeviceTracking::Always;
    let session = session(2, PASSWORD);
    let step = pump(&mut pool, &session, session.start().unwrap());
    expect_totp_step(&step);
    let code = totp_code(secret, T0, None).unwrap();
    let step = pump(
        &mut pool,
        &session,
        session.answer(ChallengeAnswer::TotpCode { code }).unwrap(),
    );
    let SignInStep::Done { result } = step else {
        panic!("{step:?}")
    };
    let DeviceOutcome::Confirmed { device, .. } = result.device else {
        panic!("{:?}", result.device)
    };
    assert!(!format!("{device:?}").contains(&device.device_password));

    // Next sign-in with the remembered device: device SRP, no MFA.
    let with_device = SignInCredentials {
        device: Some(device),
        ..credentials(PASSWORD)
    };
    let again = SignInSession::new_for_testing(config(), with_device, vec![3; 32], T0).unwrap();
    let step = pump(&mut pool, &again, again.start().unwrap());
    assert!(matches!(step, SignInStep::Done { .. }), "{step:?}");
}

#[test]
fn the_same_entropy_gives_the_same_srp_request() {
    let body = |seed| {
        let SignInStep::SendRequest { request } = session(seed, PASSWORD).start().unwrap() else {
            panic!("start sends InitiateAuth")
        };
        assert_eq!(request.operation, "InitiateAuth");
        request.body
    };
    assert_eq!(body(9), body(9));
    assert_ne!(body(9), body(10));
    // The normal constructor draws fresh randomness every time.
    let fresh = || {
        let session = SignInSession::new(config(), credentials(PASSWORD)).unwrap();
        let SignInStep::SendRequest { request } = session.start().unwrap() else {
            panic!("start sends InitiateAuth")
        };
        request.body
    };
    assert_ne!(fresh(), fresh());
}

#[test]
fn a_wrong_code_keeps_the_step_open() {
    let (mut pool, secret) = pool_with_totp_user();
    let session = session(4, PASSWORD);
    expect_totp_step(&pump(&mut pool, &session, session.start().unwrap()));
    let right = totp_code(secret, T0, None).unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let step = session
        .answer(ChallengeAnswer::TotpCode { code: wrong.into() })
        .unwrap();
    let SignInStep::SendRequest { request } = step else {
        panic!("{step:?}")
    };
    let (status, body) = send(&mut pool, &request);
    match session.handle_response(status, body, None) {
        Err(CognitoAuthError::Service {
            kind: ServiceErrorKind::CodeMismatch,
            step_still_open: true,
            restarts_sign_in: false,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    expect_totp_step(&session.status().unwrap().pending_step.unwrap());
    let step = session
        .answer(ChallengeAnswer::TotpCode { code: right })
        .unwrap();
    assert!(matches!(
        pump(&mut pool, &session, step),
        SignInStep::Done { .. }
    ));
}

#[test]
fn snapshot_and_restore_continue_at_the_same_step() {
    let (mut pool, secret) = pool_with_totp_user();
    let session = session(5, PASSWORD);
    expect_totp_step(&pump(&mut pool, &session, session.start().unwrap()));
    let snapshot = session.snapshot().unwrap();
    assert_eq!(snapshot.taken_at, T0);
    assert!(!format!("{snapshot:?}").contains(&snapshot.value));
    drop(session);

    let options = || RestoreOptions {
        max_age_secs: 180,
        device: None,
        password: None,
    };
    let restored = SignInSession::restore_for_testing(
        config(),
        snapshot.value.clone(),
        options(),
        vec![6; 32],
        T0 + 60,
    )
    .unwrap();
    let status = restored.status().unwrap();
    expect_totp_step(&status.pending_step.unwrap());
    assert!(!status.is_over);
    assert!(matches!(
        restored.start(),
        Err(CognitoAuthError::InvalidState { .. })
    ));
    pool.now = UnixTime::from_secs(T0 + 60);
    let code = totp_code(secret, T0 + 60, None).unwrap();
    let step = restored.answer(ChallengeAnswer::TotpCode { code }).unwrap();
    assert!(matches!(
        pump(&mut pool, &restored, step),
        SignInStep::Done { .. }
    ));

    // Too old, damaged, or for another client: typed errors.
    let expired = SignInSession::restore_for_testing(
        config(),
        snapshot.value.clone(),
        options(),
        vec![6; 32],
        T0 + 181,
    );
    assert!(matches!(
        expired,
        Err(CognitoAuthError::Snapshot { expired: true, .. })
    ));
    let damaged = SignInSession::restore_for_testing(
        config(),
        format!("{}x", snapshot.value),
        options(),
        vec![6; 32],
        T0,
    );
    assert!(matches!(
        damaged,
        Err(CognitoAuthError::Snapshot { expired: false, .. })
    ));
    let other_client = ClientConfig {
        client_id: "another-client".into(),
        ..config()
    };
    assert!(matches!(
        SignInSession::restore_for_testing(
            other_client,
            snapshot.value,
            options(),
            vec![6; 32],
            T0
        ),
        Err(CognitoAuthError::Snapshot { .. })
    ));
}

#[test]
fn calls_out_of_order_are_invalid_state() {
    let session = session(7, PASSWORD);
    assert!(matches!(
        session.handle_response(200, b"{}".to_vec(), None),
        Err(CognitoAuthError::InvalidState { .. })
    ));
    session.start().unwrap();
    assert!(matches!(
        session.start(),
        Err(CognitoAuthError::InvalidState { .. })
    ));
    assert!(matches!(
        session.answer(ChallengeAnswer::TotpCode {
            code: "123456".into()
        }),
        Err(CognitoAuthError::InvalidState { .. })
    ));
    assert!(matches!(
        session.snapshot(),
        Err(CognitoAuthError::InvalidState { .. })
    ));
    // The test clock can be moved only on test sessions.
    session.set_time_for_testing(T0 + 1).unwrap();
    let normal = SignInSession::new(config(), credentials(PASSWORD)).unwrap();
    assert!(matches!(
        normal.set_time_for_testing(T0),
        Err(CognitoAuthError::InvalidState { .. })
    ));
}

#[test]
fn bad_inputs_and_bad_responses_are_typed_and_never_show_the_password() {
    let password = "Sup3r-Secret-Pw!";
    let assert_clean = |error: &CognitoAuthError| {
        let text = format!("{error} {error:?}");
        assert!(!text.contains(password), "{text}");
    };

    // Configuration and credentials.
    let no_password = SignInCredentials {
        password: None,
        ..credentials(password)
    };
    match SignInSession::new_for_testing(config(), no_password, vec![1; 32], T0) {
        Err(CognitoAuthError::InvalidInput { what, .. }) => assert_eq!(what, "password"),
        other => panic!("{:?}", other.err()),
    }
    let bad_pool = ClientConfig {
        user_pool_id: "no-underscore".into(),
        ..config()
    };
    match SignInSession::new_for_testing(bad_pool, credentials(password), vec![1; 32], T0) {
        Err(error @ CognitoAuthError::InvalidInput { .. }) => assert_clean(&error),
        other => panic!("{:?}", other.err()),
    }
    match SignInSession::new_for_testing(config(), credentials(password), vec![1; 31], T0) {
        Err(CognitoAuthError::InvalidInput { what, .. }) => assert_eq!(what, "entropy"),
        other => panic!("{:?}", other.err()),
    }

    // A 2xx body that is not JSON.
    let session = session(8, password);
    session.start().unwrap();
    match session.handle_response(200, b"<html>".to_vec(), None) {
        Err(error @ CognitoAuthError::UnexpectedResponse { .. }) => assert_clean(&error),
        other => panic!("{other:?}"),
    }
    assert!(session.is_over().unwrap());

    // A PASSWORD_VERIFIER challenge whose SRP_B is not hex.
    let session = self::session(8, password);
    session.start().unwrap();
    let challenge = serde_json::json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": "abcd", "SRP_B": "xyz", "SECRET_BLOCK": "c2VjcmV0",
            "USERNAME": "alice", "USER_ID_FOR_SRP": "alice"
        }
    });
    match session.handle_response(200, challenge.to_string().into_bytes(), None) {
        Err(error @ CognitoAuthError::Srp { .. }) => assert_clean(&error),
        other => panic!("{other:?}"),
    }

    // A refusal, with the code in the header only.
    let session = self::session(8, password);
    session.start().unwrap();
    match session.handle_response(
        400,
        br#"{"message":"Incorrect username or password."}"#.to_vec(),
        Some("NotAuthorizedException".into()),
    ) {
        Err(
            error @ CognitoAuthError::Service {
                kind: ServiceErrorKind::NotAuthorized,
                restarts_sign_in: true,
                ..
            },
        ) => assert_clean(&error),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unconfirmed_user_ends_with_confirm_sign_up() {
    let session = session(11, PASSWORD);
    session.start().unwrap();
    let step = session
        .handle_response(
            400,
            br#"{"__type":"UserNotConfirmedException","message":"User is not confirmed."}"#
                .to_vec(),
            None,
        )
        .unwrap();
    assert_eq!(
        step,
        SignInStep::ConfirmSignUp {
            username: "alice".into()
        }
    );
    assert!(session.is_over().unwrap());
}
