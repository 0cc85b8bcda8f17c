//! Every transition of [`Session`]: fresh tokens, a refresh (with and without rotation, with
//! `REFRESH_TOKEN_AUTH`), a second caller told to wait, refusals that end the session and the
//! reason, retryable failures that keep it, the network failure input, sign-outs, and the
//! events each queues.
//!
//! Known answers come from the account operations themselves: a refresh request must be byte
//! for byte what [`GetTokensFromRefreshToken`] / [`RefreshTokenAuth`] / [`RevokeToken`] /
//! [`GlobalSignOut`] build for the same token, and the tests check which token moved where.
//! The JWTs are built here with the claims Cognito's access and ID tokens carry (unsigned:
//! the session reads, never verifies, them).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_auth_core::account::{
    AccountOperation, GetTokensFromRefreshToken, GlobalSignOut, RefreshTokenAuth, RevokeToken,
};
use cognito_auth_core::session::{
    EndReason, RefreshMethod, RefreshOutcome, Session, SessionError, SessionEvent, SessionOptions,
    SignOut, SignOutKind, TokensForCall,
};
use cognito_auth_core::sign_in::{ClientConfig, DeviceOutcome, RememberedDevice, SignedIn};
use cognito_auth_core::wire::{AuthenticationResult, HttpResponse, Operation, Request};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId, secret_hash};
use serde_json::Value;

const POOL: &str = "us-east-1_Abc123XyZ";
const CLIENT_ID: &str = "2od40example";
const CLIENT_SECRET: &str = "CLIENT-SECRET-sentinel-1q2w3e4r5t6y7u8i9o0p";
/// A pool that signs in with email: the canonical username is a UUID, not the typed email.
const SUB: &str = "94c84468-e0c1-7003-e7b6-32be2c3bd6ee";
const USERNAME: &str = "94c84468-e0c1-7003-e7b6-32be2c3bd6ee";
const REFRESH_1: &str = "REFRESH-ONE.enc-key.iv.ciphertext.tag";
const REFRESH_2: &str = "REFRESH-TWO.enc-key.iv.ciphertext.tag";
const DEVICE_KEY: &str = "us-east-1_5f1c2d3e-0a1b-4c2d-8e3f-405162738495";
const T0: u64 = 1_800_000_000;

fn jwt(claims: &str) -> String {
    let part = |json: &str| URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}.{}.{}",
        part(r#"{"kid":"k","alg":"RS256"}"#),
        part(claims),
        part("sig")
    )
}

/// An access token as Cognito issues it; `marker` makes each one distinct.
fn access_token(sub: &str, exp: u64, marker: &str) -> String {
    jwt(&format!(
        r#"{{"sub":"{sub}","token_use":"access","client_id":"{CLIENT_ID}","username":"{USERNAME}","exp":{exp},"iat":{},"jti":"{marker}"}}"#,
        exp.saturating_sub(3600)
    ))
}

fn id_token(exp: u64) -> String {
    jwt(&format!(
        r#"{{"sub":"{SUB}","token_use":"id","aud":"{CLIENT_ID}","cognito:username":"{USERNAME}","email":"alice@example.com","exp":{exp}}}"#
    ))
}

fn client() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse(POOL).unwrap(), CLIENT_ID).unwrap()
}

fn secret_client() -> ClientConfig {
    client()
        .with_client_secret(SecretString::new(CLIENT_SECRET))
        .unwrap()
}

fn result(access: &str, refresh: Option<&str>, expires_in: u64) -> AuthenticationResult {
    AuthenticationResult {
        access_token: SecretString::new(access),
        id_token: Some(SecretString::new(&id_token(T0 + 3600))),
        refresh_token: refresh.map(SecretString::new),
        expires_in,
        token_type: "Bearer".into(),
        new_device_metadata: None,
    }
}

fn signed_in(device: DeviceOutcome) -> SignedIn {
    SignedIn {
        tokens: result(&access_token(SUB, T0 + 3600, "a1"), Some(REFRESH_1), 3600),
        device,
        stale_device_forgotten: false,
    }
}

fn session_with(client: ClientConfig, options: SessionOptions) -> Session {
    Session::from_sign_in(
        client,
        &signed_in(DeviceOutcome::NoNewDevice),
        UnixTime::from_secs(T0),
        None,
        options,
    )
    .unwrap()
}

fn session() -> Session {
    session_with(client(), SessionOptions::default())
}

fn at(secs: u64) -> UnixTime {
    UnixTime::from_secs(T0 + secs)
}

fn refresh_request(session: &mut Session, now: UnixTime) -> Request {
    match session.tokens_for_call(now).unwrap() {
        TokensForCall::Refresh(request) => request,
        other => panic!("expected a refresh request, got {other:?}"),
    }
}

fn fresh(session: &mut Session, now: UnixTime) -> cognito_auth_core::session::SessionTokens {
    match session.tokens_for_call(now).unwrap() {
        TokensForCall::Fresh(tokens) => tokens,
        other => panic!("expected fresh tokens, got {other:?}"),
    }
}

fn ok_body(access: &str, refresh: Option<&str>) -> String {
    let mut result = serde_json::json!({"AccessToken": access, "IdToken": id_token(T0 + 9000),
        "ExpiresIn": 3600, "TokenType": "Bearer"});
    if let Some(refresh) = refresh {
        result["RefreshToken"] = refresh.into();
    }
    serde_json::json!({ "AuthenticationResult": result }).to_string()
}

fn error_body(code: &str, message: &str) -> String {
    serde_json::json!({"__type": code, "message": message}).to_string()
}

fn json(request: &Request) -> Value {
    serde_json::from_str(request.body()).unwrap()
}

#[test]
fn a_new_session_hands_out_the_sign_in_tokens_while_fresh() {
    let mut session = session();
    assert_eq!(session.sub(), SUB);
    assert_eq!(session.username(), USERNAME);
    assert_eq!(session.client_id(), CLIENT_ID);
    assert_eq!(session.user_pool().as_str(), POOL);
    assert!(session.is_active() && !session.is_refreshing());
    assert_eq!(session.take_events(), [SessionEvent::SignedIn]);

    let tokens = fresh(&mut session, at(0));
    assert_eq!(
        tokens.access_token.expose(),
        access_token(SUB, T0 + 3600, "a1")
    );
    assert_eq!(
        tokens.id_token.as_ref().unwrap().expose(),
        id_token(T0 + 3600)
    );
    assert_eq!(tokens.refresh_token.expose(), REFRESH_1);
    assert_eq!(tokens.access_expires_at, at(3600));
    assert_eq!(tokens.expires_in(at(100)), 3500);
    // Up to the default 5-minute margin the same tokens come back, no request.
    assert_eq!(
        fresh(&mut session, at(3299)).refresh_token.expose(),
        REFRESH_1
    );
    assert!(session.take_events().is_empty());
}

#[test]
fn the_margin_is_configurable() {
    let mut session = session_with(
        client(),
        SessionOptions::default().with_refresh_margin_secs(60),
    );
    let _ = fresh(&mut session, at(3539));
    let _ = refresh_request(&mut session, at(3540));
}

/// An access token issued at `iat` (Cognito's clock), expiring at `exp`.
fn access_token_issued(iat: Option<u64>, exp: u64, marker: &str) -> String {
    let iat = iat.map_or(String::new(), |iat| format!(r#","iat":{iat}"#));
    jwt(&format!(
        r#"{{"sub":"{SUB}","token_use":"access","client_id":"{CLIENT_ID}","username":"{USERNAME}","exp":{exp}{iat},"jti":"{marker}"}}"#
    ))
}

#[test]
fn expiry_is_the_shorter_of_expires_in_and_the_token_lifetime_from_arrival() {
    // ExpiresIn says an hour, the token lives 10 minutes (exp - iat): 10 minutes it is.
    let tokens = result(
        &access_token_issued(Some(T0), T0 + 600, "short"),
        Some(REFRESH_1),
        3600,
    );
    let mut session =
        Session::new(client(), &tokens, at(0), None, SessionOptions::default()).unwrap();
    assert_eq!(session.access_expires_at(), Some(at(600)));
    let _ = refresh_request(&mut session, at(300));
    // And the other way round: ExpiresIn counts from when the response arrived.
    let tokens = result(
        &access_token_issued(Some(T0 + 100), T0 + 9999, "late"),
        Some(REFRESH_1),
        3600,
    );
    let session =
        Session::new(client(), &tokens, at(100), None, SessionOptions::default()).unwrap();
    assert_eq!(session.access_expires_at(), Some(at(3700)));
    // A token without `iat` is bounded by its `exp`.
    let tokens = result(
        &access_token_issued(None, T0 + 600, "no-iat"),
        Some(REFRESH_1),
        3600,
    );
    let session = Session::new(client(), &tokens, at(0), None, SessionOptions::default()).unwrap();
    assert_eq!(session.access_expires_at(), Some(at(600)));
}

#[test]
fn a_device_clock_that_is_off_neither_shortens_nor_stretches_the_session() {
    // Cognito issues the tokens at T0 by its clock; the device's clock reads T0 + 2 h (fast)
    // or T0 - 2 h (slow). Comparing `exp` with the device clock would make a fast device
    // refresh before every call (its tokens look expired on arrival).
    for device_offset in [7200_i64, -7200] {
        let arrival = T0.checked_add_signed(device_offset).unwrap();
        let tokens = result(
            &access_token_issued(Some(T0), T0 + 3600, "skewed"),
            Some(REFRESH_1),
            3600,
        );
        let mut session = Session::new(
            client(),
            &tokens,
            UnixTime::from_secs(arrival),
            None,
            SessionOptions::default(),
        )
        .unwrap();
        assert_eq!(
            session.access_expires_at(),
            Some(UnixTime::from_secs(arrival + 3600)),
            "device offset {device_offset}"
        );
        // Fresh for the whole hour but the margin, on the device's clock.
        let _ = fresh(&mut session, UnixTime::from_secs(arrival + 3000));
        let _ = refresh_request(&mut session, UnixTime::from_secs(arrival + 3400));
    }
}

#[test]
fn needing_a_refresh_builds_get_tokens_from_refresh_token_and_a_second_caller_waits() {
    let mut session = session();
    let request = refresh_request(&mut session, at(3301));
    assert_eq!(request.operation(), Operation::GetTokensFromRefreshToken);
    let expected = GetTokensFromRefreshToken::new(SecretString::new(REFRESH_1))
        .request(&client())
        .unwrap();
    assert_eq!(request, expected, "the account operation's request");
    assert_eq!(json(&request)["RefreshToken"], REFRESH_1);
    assert!(session.is_refreshing());
    // Ten more callers while it is in flight: none gets a request, all are told to wait.
    for _ in 0..10 {
        assert_eq!(
            session.tokens_for_call(at(3302)).unwrap(),
            TokensForCall::WaitForRefresh
        );
    }
    // Even callers whose tokens would still be fresh wait: one answer while in flight.
    assert_eq!(
        session.tokens_for_call(at(0)).unwrap(),
        TokensForCall::WaitForRefresh
    );
}

#[test]
fn refreshed_with_rotation_the_new_refresh_token_replaces_the_old_one() {
    let mut session = session();
    let _ = session.take_events();
    let _ = refresh_request(&mut session, at(3400));
    let new_access = access_token(SUB, T0 + 3400 + 3600, "a2");
    let body = ok_body(&new_access, Some(REFRESH_2));
    let outcome = session
        .handle_refresh_response(HttpResponse::new(200, body.as_bytes()), at(3400))
        .unwrap();
    let RefreshOutcome::Refreshed(tokens) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(tokens.access_token.expose(), new_access);
    assert_eq!(tokens.refresh_token.expose(), REFRESH_2);
    assert_eq!(tokens.access_expires_at, at(3400 + 3600));
    assert!(!session.is_refreshing());
    assert_eq!(
        session.take_events(),
        [SessionEvent::TokensRefreshed {
            access_expires_at: at(7000),
            refresh_token_rotated: true
        }]
    );
    // Everyone gets the new tokens; the next refresh sends the new refresh token, never the old.
    assert_eq!(
        fresh(&mut session, at(3401)).access_token.expose(),
        new_access
    );
    let next = refresh_request(&mut session, at(6800));
    assert_eq!(json(&next)["RefreshToken"], REFRESH_2);
    assert!(!next.body().contains(REFRESH_1));
}

#[test]
fn refreshed_without_rotation_the_old_refresh_token_is_kept() {
    let mut session = session();
    let _ = session.take_events();
    let _ = refresh_request(&mut session, at(3400));
    let new_access = access_token(SUB, T0 + 7000, "a2");
    let body = ok_body(&new_access, None);
    let RefreshOutcome::Refreshed(tokens) = session
        .handle_refresh_response(HttpResponse::new(200, body.as_bytes()), at(3400))
        .unwrap()
    else {
        panic!("refreshed");
    };
    assert_eq!(tokens.refresh_token.expose(), REFRESH_1);
    assert_eq!(tokens.access_token.expose(), new_access);
    assert!(matches!(
        session.take_events()[..],
        [SessionEvent::TokensRefreshed {
            refresh_token_rotated: false,
            ..
        }]
    ));
    assert_eq!(
        json(&refresh_request(&mut session, at(6800)))["RefreshToken"],
        REFRESH_1
    );
}

#[test]
fn the_same_refresh_token_sent_back_is_no_rotation() {
    let mut session = session();
    let _ = session.take_events();
    let _ = refresh_request(&mut session, at(3400));
    let body = ok_body(&access_token(SUB, T0 + 7000, "a2"), Some(REFRESH_1));
    let _ = session
        .handle_refresh_response(HttpResponse::new(200, body.as_bytes()), at(3400))
        .unwrap();
    assert!(matches!(
        session.take_events()[..],
        [SessionEvent::TokensRefreshed {
            refresh_token_rotated: false,
            ..
        }]
    ));
}

#[test]
fn refresh_token_auth_hashes_the_canonical_username_and_sends_the_device_key() {
    let options = SessionOptions::default().with_refresh_method(RefreshMethod::RefreshTokenAuth);
    let remembered = RememberedDevice {
        device_key: DEVICE_KEY.into(),
        device_group_key: "-Gr0up".into(),
        device_password: SecretString::new("DEVICE-PASSWORD-sentinel"),
    };
    let mut session = Session::from_sign_in(
        secret_client(),
        &signed_in(DeviceOutcome::NoNewDevice),
        at(0),
        Some(&remembered),
        options,
    )
    .unwrap();
    let request = refresh_request(&mut session, at(3400));
    assert_eq!(request.operation(), Operation::InitiateAuth);
    let expected = RefreshTokenAuth::new(SecretString::new(REFRESH_1), USERNAME)
        .with_device_key(DEVICE_KEY)
        .request(&secret_client())
        .unwrap();
    assert_eq!(request, expected);
    let body = json(&request);
    assert_eq!(body["AuthFlow"], "REFRESH_TOKEN_AUTH");
    assert_eq!(body["AuthParameters"]["DEVICE_KEY"], DEVICE_KEY);
    assert_eq!(
        body["AuthParameters"]["SECRET_HASH"],
        secret_hash(USERNAME, CLIENT_ID, &SecretString::new(CLIENT_SECRET))
    );
    assert!(!request.body().contains("DEVICE-PASSWORD"));
}

#[test]
fn the_device_key_comes_from_the_confirmed_device_or_the_remembered_one() {
    let confirmed = RememberedDevice {
        device_key: DEVICE_KEY.into(),
        device_group_key: "-Gr0up".into(),
        device_password: SecretString::new("pw"),
    };
    let other = RememberedDevice {
        device_key: "us-east-1_other".into(),
        ..confirmed.clone()
    };
    let outcome = DeviceOutcome::Confirmed {
        device: confirmed,
        user_confirmation_necessary: false,
    };
    let mut session = Session::from_sign_in(
        secret_client(),
        &signed_in(outcome),
        at(0),
        Some(&other),
        SessionOptions::default(),
    )
    .unwrap();
    assert_eq!(session.device_key(), Some(DEVICE_KEY));
    let request = refresh_request(&mut session, at(3400));
    let expected = GetTokensFromRefreshToken::new(SecretString::new(REFRESH_1))
        .with_device_key(DEVICE_KEY)
        .request(&secret_client())
        .unwrap();
    assert_eq!(request, expected);
    assert_eq!(json(&request)["ClientSecret"], CLIENT_SECRET);

    let session = Session::from_sign_in(
        client(),
        &signed_in(DeviceOutcome::NoNewDevice),
        at(0),
        Some(&other),
        SessionOptions::default(),
    )
    .unwrap();
    assert_eq!(session.device_key(), Some("us-east-1_other"));
    // A remembered device Cognito no longer knows is not sent again.
    let mut stale = signed_in(DeviceOutcome::NoNewDevice);
    stale.stale_device_forgotten = true;
    let session = Session::from_sign_in(
        client(),
        &stale,
        at(0),
        Some(&other),
        SessionOptions::default(),
    )
    .unwrap();
    assert_eq!(session.device_key(), None);
}

fn ended_by(code: &str, message: &str) -> (Session, RefreshOutcome) {
    let mut session = session();
    let _ = session.take_events();
    let _ = refresh_request(&mut session, at(3400));
    let body = error_body(code, message);
    let outcome = session
        .handle_refresh_response(HttpResponse::new(400, body.as_bytes()), at(3400))
        .unwrap();
    (session, outcome)
}

#[test]
fn a_revoked_expired_or_reused_refresh_token_ends_the_session_and_says_why() {
    for (code, message, reason) in [
        (
            "NotAuthorizedException",
            "Refresh Token has been revoked",
            EndReason::RefreshTokenRevoked,
        ),
        (
            "NotAuthorizedException",
            "Refresh Token has expired",
            EndReason::RefreshTokenExpired,
        ),
        (
            "RefreshTokenReuseException",
            "Refresh token has been reused",
            EndReason::RefreshTokenReused,
        ),
        (
            "NotAuthorizedException",
            "Invalid Refresh Token",
            EndReason::NotAuthorized,
        ),
        (
            "UserNotFoundException",
            "User does not exist.",
            EndReason::UserNotFound,
        ),
    ] {
        let (mut session, outcome) = ended_by(code, message);
        assert_eq!(outcome, RefreshOutcome::Ended(reason), "{code} {message}");
        assert_eq!(session.take_events(), [SessionEvent::Ended(reason)]);
        assert!(!session.is_active() && !session.is_refreshing());
        assert_eq!(session.end_reason(), Some(reason));
        assert_eq!(session.access_expires_at(), None);
        assert_eq!(
            session.tokens_for_call(at(3401)).unwrap(),
            TokensForCall::Ended(reason)
        );
        assert_eq!(
            session.to_storage().unwrap_err(),
            SessionError::Ended { reason }
        );
        assert_eq!(
            session.sign_out(SignOutKind::Revoke).unwrap_err(),
            SessionError::Ended { reason }
        );
    }
}

#[test]
fn throttling_and_server_faults_keep_the_session_and_allow_a_retry() {
    for (status, code) in [
        (429, "TooManyRequestsException"),
        (500, "InternalErrorException"),
        (502, "UnknownError"),
    ] {
        let mut session = session();
        let _ = session.take_events();
        let first = refresh_request(&mut session, at(3400));
        let body = error_body(code, "slow down");
        let outcome = session
            .handle_refresh_response(HttpResponse::new(status, body.as_bytes()), at(3400))
            .unwrap();
        let RefreshOutcome::Failed(error) = outcome else {
            panic!("{status}: {outcome:?}");
        };
        assert!(error.is_retryable(), "{status}");
        assert!(session.is_active() && !session.is_refreshing());
        assert!(
            session.take_events().is_empty(),
            "no state change to report"
        );
        // The old tokens are kept (still valid until 3600) ...
        assert_eq!(session.access_expires_at(), Some(at(3600)));
        // ... and the next caller may refresh again, with the same refresh token.
        assert_eq!(refresh_request(&mut session, at(3410)), first);
    }
}

#[test]
fn a_lambda_refusal_keeps_the_session_and_is_not_retryable() {
    let mut session = session();
    let _ = refresh_request(&mut session, at(3400));
    let body = error_body("UserLambdaValidationException", "PreTokenGeneration failed");
    let outcome = session
        .handle_refresh_response(HttpResponse::new(400, body.as_bytes()), at(3400))
        .unwrap();
    let RefreshOutcome::Failed(error) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(!error.is_retryable());
    assert!(session.is_active());
}

#[test]
fn a_network_failure_clears_the_refresh_in_flight() {
    let mut session = session();
    assert!(!session.refresh_failed_to_send(), "nothing in flight yet");
    let first = refresh_request(&mut session, at(3400));
    assert_eq!(
        session.tokens_for_call(at(3400)).unwrap(),
        TokensForCall::WaitForRefresh
    );
    assert!(session.refresh_failed_to_send());
    assert!(!session.is_refreshing() && session.is_active());
    assert_eq!(refresh_request(&mut session, at(3401)), first);
}

#[test]
fn a_damaged_or_foreign_refresh_response_is_refused_and_the_old_tokens_kept() {
    let cases: [(String, SessionError); 4] = [
        (
            r#"{"AuthenticationResult":{"ExpiresIn":3600}}"#.into(),
            SessionError::Response(cognito_auth_core::ResponseError::MissingField {
                field: "AccessToken",
            }),
        ),
        (
            ok_body("not-a-jwt", None),
            SessionError::Token(cognito_auth_core::jwt::JwtError::Malformed),
        ),
        (
            ok_body(&access_token("someone-else", T0 + 9000, "x"), None),
            SessionError::UserChanged,
        ),
        (
            ok_body(
                &jwt(&format!(
                    r#"{{"sub":"{SUB}","token_use":"access","client_id":"another-client","username":"u","exp":{}}}"#,
                    T0 + 9000
                )),
                None,
            ),
            SessionError::ClientMismatch,
        ),
    ];
    for (body, error) in cases {
        let mut session = session();
        let _ = session.take_events();
        let _ = refresh_request(&mut session, at(3400));
        assert_eq!(
            session
                .handle_refresh_response(HttpResponse::new(200, body.as_bytes()), at(3400))
                .unwrap_err(),
            error
        );
        assert!(session.is_active() && !session.is_refreshing());
        assert!(session.take_events().is_empty());
        assert_eq!(fresh(&mut session, at(0)).refresh_token.expose(), REFRESH_1);
    }
}

#[test]
fn a_response_without_a_refresh_in_flight_is_refused() {
    let mut session = session();
    let body = ok_body(&access_token(SUB, T0 + 9000, "x"), Some(REFRESH_2));
    assert_eq!(
        session
            .handle_refresh_response(HttpResponse::new(200, body.as_bytes()), at(10))
            .unwrap_err(),
        SessionError::NoRefreshInFlight
    );
    assert_eq!(
        fresh(&mut session, at(10)).refresh_token.expose(),
        REFRESH_1
    );
    assert_eq!(
        session
            .handle_sign_out_response(HttpResponse::new(200, b"{}"))
            .unwrap_err(),
        SessionError::NoSignOutInFlight
    );
}

#[test]
fn local_sign_out_forgets_at_once_and_sends_nothing() {
    let mut session = session();
    let _ = session.take_events();
    assert_eq!(session.sign_out(SignOutKind::Local).unwrap(), SignOut::Done);
    let reason = EndReason::SignedOut(SignOutKind::Local);
    assert_eq!(
        session.take_events(),
        [SessionEvent::SignedOut(SignOutKind::Local)]
    );
    assert_eq!(
        session.tokens_for_call(at(1)).unwrap(),
        TokensForCall::Ended(reason)
    );
    assert_eq!(session.end_reason(), Some(reason));
    assert_eq!(
        session.sign_out(SignOutKind::Local).unwrap_err(),
        SessionError::Ended { reason }
    );
}

#[test]
fn revoke_sends_revoke_token_with_the_current_refresh_token() {
    let mut session = session_with(secret_client(), SessionOptions::default());
    // After a rotation, the refresh token to revoke is the new one.
    let _ = refresh_request(&mut session, at(3400));
    let body = ok_body(&access_token(SUB, T0 + 7000, "a2"), Some(REFRESH_2));
    let _ = session
        .handle_refresh_response(HttpResponse::new(200, body.as_bytes()), at(3400))
        .unwrap();
    let _ = session.take_events();
    let SignOut::Send(request) = session.sign_out(SignOutKind::Revoke).unwrap() else {
        panic!("a request");
    };
    let expected = RevokeToken::new(SecretString::new(REFRESH_2))
        .request(&secret_client())
        .unwrap();
    assert_eq!(request, expected);
    assert_eq!(request.operation(), Operation::RevokeToken);
    assert_eq!(json(&request)["Token"], REFRESH_2);
    // Forgotten before Cognito answers.
    assert_eq!(
        session.take_events(),
        [SessionEvent::SignedOut(SignOutKind::Revoke)]
    );
    assert!(!session.is_active());
    assert_eq!(
        session.tokens_for_call(at(3401)).unwrap(),
        TokensForCall::Ended(EndReason::SignedOut(SignOutKind::Revoke))
    );
    session
        .handle_sign_out_response(HttpResponse::new(200, b""))
        .unwrap();
    assert_eq!(
        session.end_reason(),
        Some(EndReason::SignedOut(SignOutKind::Revoke))
    );
}

#[test]
fn global_sign_out_sends_the_access_token() {
    let mut session = session();
    let SignOut::Send(request) = session.sign_out(SignOutKind::Global).unwrap() else {
        panic!("a request");
    };
    let access = access_token(SUB, T0 + 3600, "a1");
    let expected = GlobalSignOut::new(SecretString::new(&access))
        .request(&client())
        .unwrap();
    assert_eq!(request, expected);
    assert_eq!(request.operation(), Operation::GlobalSignOut);
    assert_eq!(json(&request)["AccessToken"], access.as_str());
    session
        .handle_sign_out_response(HttpResponse::new(200, b"{}"))
        .unwrap();
    assert_eq!(
        session.end_reason(),
        Some(EndReason::SignedOut(SignOutKind::Global))
    );
}

#[test]
fn a_refused_sign_out_still_ends_the_session_and_says_so() {
    let mut session = session();
    let SignOut::Send(_) = session.sign_out(SignOutKind::Revoke).unwrap() else {
        panic!("a request");
    };
    let body = error_body(
        "UnsupportedOperationException",
        "Token revocation is not enabled",
    );
    let error = session
        .handle_sign_out_response(HttpResponse::new(400, body.as_bytes()))
        .unwrap_err();
    let SessionError::SignOutNotConfirmed(service) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(service.code(), "UnsupportedOperationException");
    assert!(!session.is_active());
    assert_eq!(
        session.tokens_for_call(at(1)).unwrap(),
        TokensForCall::Ended(EndReason::SignedOut(SignOutKind::Revoke))
    );
    // A second answer has nothing to apply to.
    assert_eq!(
        session
            .handle_sign_out_response(HttpResponse::new(200, b"{}"))
            .unwrap_err(),
        SessionError::NoSignOutInFlight
    );
}

#[test]
fn signing_out_during_a_refresh_abandons_it() {
    let mut session = session();
    let _ = refresh_request(&mut session, at(3400));
    assert_eq!(session.sign_out(SignOutKind::Local).unwrap(), SignOut::Done);
    let body = ok_body(&access_token(SUB, T0 + 7000, "a2"), Some(REFRESH_2));
    assert_eq!(
        session
            .handle_refresh_response(HttpResponse::new(200, body.as_bytes()), at(3400))
            .unwrap_err(),
        SessionError::NoRefreshInFlight
    );
    assert!(!session.is_active());
    assert!(!session.refresh_failed_to_send());
}

#[test]
fn sign_in_results_that_cannot_make_a_session_are_refused() {
    let make = |result: AuthenticationResult, client: ClientConfig| {
        Session::new(client, &result, at(0), None, SessionOptions::default()).unwrap_err()
    };
    let good = access_token(SUB, T0 + 3600, "a1");
    assert_eq!(
        make(result(&good, None, 3600), client()),
        SessionError::MissingRefreshToken
    );
    assert_eq!(
        make(
            result(&good, Some(REFRESH_1), 3600),
            ClientConfig::new(UserPoolId::parse(POOL).unwrap(), "other-client").unwrap()
        ),
        SessionError::ClientMismatch
    );
    assert_eq!(
        make(
            result(&id_token(T0 + 3600), Some(REFRESH_1), 3600),
            client()
        ),
        SessionError::NotAnAccessToken
    );
    assert_eq!(
        make(result("opaque", Some(REFRESH_1), 3600), client()),
        SessionError::Token(cognito_auth_core::jwt::JwtError::Malformed)
    );
    // No username claim in the access token: the ID token's cognito:username is used.
    let nameless = jwt(&format!(
        r#"{{"sub":"{SUB}","token_use":"access","client_id":"{CLIENT_ID}","exp":{}}}"#,
        T0 + 3600
    ));
    let session = Session::new(
        client(),
        &result(&nameless, Some(REFRESH_1), 3600),
        at(0),
        None,
        SessionOptions::default(),
    )
    .unwrap();
    assert_eq!(session.username(), USERNAME);
    let mut no_id = result(&nameless, Some(REFRESH_1), 3600);
    no_id.id_token = None;
    assert_eq!(make(no_id, client()), SessionError::MissingUsername);
}

#[test]
fn errors_and_debug_output_never_show_a_token_or_the_client_secret() {
    let mut session = session_with(secret_client(), SessionOptions::default());
    let debug = format!("{session:?}");
    for secret in [
        REFRESH_1,
        CLIENT_SECRET,
        &access_token(SUB, T0 + 3600, "a1"),
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
    let _ = refresh_request(&mut session, at(3400));
    let body = error_body("NotAuthorizedException", "Refresh Token has been revoked");
    let _ = session.handle_refresh_response(HttpResponse::new(400, body.as_bytes()), at(3400));
    let error = session.to_storage().unwrap_err();
    let text = format!("{error} {error:?} {:?}", session.take_events());
    assert!(
        !text.contains(REFRESH_1) && !text.contains(CLIENT_SECRET),
        "{text}"
    );
    let as_core: cognito_auth_core::Error = error.into();
    assert_eq!(
        as_core.to_string(),
        "the session has ended: the refresh token has been revoked"
    );
}
