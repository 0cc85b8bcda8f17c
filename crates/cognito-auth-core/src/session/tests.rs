//! Unit tests: the parts the integration tests cannot reach (margin clamping, the event bound,
//! the reason a refusal maps to, Debug redaction).

use alloc::format;
use alloc::string::String;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::tokens::TokenSet;
use super::*;
use crate::client::ClientConfig;
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::user_pool_id::UserPoolId;
use crate::wire::{HttpResponse, ServiceError};

fn jwt(exp: u64) -> String {
    let part = |json: &str| URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}.{}.{}",
        part(r#"{"alg":"RS256"}"#),
        part(&format!(
            r#"{{"sub":"sub-1","username":"alice","token_use":"access","client_id":"cid","exp":{exp}}}"#
        )),
        part("sig")
    )
}

fn session(exp: u64, expires_in: u64) -> Session {
    let client =
        ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(), "cid").unwrap();
    let body = format!(
        r#"{{"AccessToken":"{}","ExpiresIn":{expires_in},"RefreshToken":"r1"}}"#,
        jwt(exp)
    );
    let map = match serde_json::from_str(&body).unwrap() {
        serde_json::Value::Object(map) => map,
        _ => unreachable!(),
    };
    let result = crate::wire::AuthenticationResult::from_object(map).unwrap();
    Session::new(
        client,
        &result,
        UnixTime::from_secs(1000),
        None,
        SessionOptions::default(),
    )
    .unwrap()
}

#[test]
fn expiry_is_the_earlier_of_expires_in_and_exp() {
    assert_eq!(
        session(1000 + 3600, 60).access_expires_at(),
        Some(UnixTime::from_secs(1060))
    );
    assert_eq!(
        session(1100, 3600).access_expires_at(),
        Some(UnixTime::from_secs(1100))
    );
}

#[test]
fn the_margin_is_at_most_half_the_lifetime() {
    let tokens = TokenSet {
        access: SecretString::new("a"),
        id: None,
        refresh: SecretString::new("r"),
        received_at: UnixTime::from_secs(1000),
        access_expires_at: UnixTime::from_secs(1100),
    };
    // A 300 s margin on a 100 s token: refresh only in its second half.
    assert!(tokens.is_fresh(UnixTime::from_secs(1000), 300));
    assert!(tokens.is_fresh(UnixTime::from_secs(1049), 300));
    assert!(!tokens.is_fresh(UnixTime::from_secs(1050), 300));
    assert!(!tokens.is_fresh(UnixTime::from_secs(u64::MAX), 0));
    assert!(tokens.is_fresh(UnixTime::from_secs(1099), 0));
    assert!(!tokens.is_fresh(UnixTime::from_secs(1100), 0));
}

#[test]
fn the_event_queue_is_bounded() {
    let mut session = session(1_000_000, 1_000_000);
    let _ = session.take_events();
    for i in 0..(MAX_QUEUED_EVENTS as u64) * 2 {
        assert!(!session.refresh_failed_to_send());
        // Each refresh lasts 10 s; the next call comes 100 s later.
        let now = UnixTime::from_secs(999_800 + i * 100);
        let Ok(TokensForCall::Refresh(_)) = session.tokens_for_call(now) else {
            panic!("expected a refresh");
        };
        let body = format!(
            r#"{{"AuthenticationResult":{{"AccessToken":"{}","ExpiresIn":10}}}}"#,
            jwt(2_000_000)
        );
        let outcome = session.handle_refresh_response(HttpResponse::new(200, body.as_bytes()), now);
        assert!(matches!(outcome, Ok(RefreshOutcome::Refreshed(_))));
    }
    let events = session.take_events();
    assert_eq!(events.len(), MAX_QUEUED_EVENTS);
    assert!(events.iter().all(|e| matches!(
        e,
        SessionEvent::TokensRefreshed {
            refresh_token_rotated: false,
            ..
        }
    )));
    assert!(session.take_events().is_empty());
}

#[test]
fn refusals_map_to_reasons() {
    let reason = |status, code: &str, message: &str| {
        let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
        EndReason::of_refresh_error(&ServiceError::parse(status, None, body.as_bytes()))
    };
    assert_eq!(
        reason(
            400,
            "NotAuthorizedException",
            "Refresh Token has been revoked"
        ),
        Some(EndReason::RefreshTokenRevoked)
    );
    assert_eq!(
        reason(400, "NotAuthorizedException", "Refresh Token has expired"),
        Some(EndReason::RefreshTokenExpired)
    );
    assert_eq!(
        reason(400, "NotAuthorizedException", "Invalid Refresh Token"),
        Some(EndReason::NotAuthorized)
    );
    assert_eq!(
        reason(400, "RefreshTokenReuseException", "reused"),
        Some(EndReason::RefreshTokenReused)
    );
    assert_eq!(
        reason(404, "UserNotFoundException", "User does not exist."),
        Some(EndReason::UserNotFound)
    );
    assert_eq!(
        reason(429, "TooManyRequestsException", "Rate exceeded"),
        None
    );
    assert_eq!(reason(500, "InternalErrorException", "oops"), None);
    assert_eq!(reason(400, "UserLambdaValidationException", "no"), None);
}

#[test]
fn debug_shows_no_token() {
    let mut session = session(1_000_000, 3600);
    let text = format!("{session:?}");
    assert!(
        !text.contains("r1") && !text.contains("eyJ") && !text.contains(&jwt(1_000_000)),
        "{text}"
    );
    assert!(text.contains("alice") && text.contains("Active"), "{text}");
    let Ok(TokensForCall::Fresh(tokens)) = session.tokens_for_call(UnixTime::from_secs(1000))
    else {
        panic!("fresh");
    };
    let text = format!("{tokens:?}");
    assert!(
        !text.contains("r1") && !text.contains(&jwt(1_000_000)),
        "{text}"
    );
    let key = SessionKey::new(&[7; 32]).unwrap();
    assert_eq!(format!("{key:?}"), "SessionKey(<redacted>)");
}

#[test]
fn a_session_can_live_behind_a_platform_lock() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Session>();
    send_and_sync::<SessionTokens>();
    send_and_sync::<SessionKey>();
}
