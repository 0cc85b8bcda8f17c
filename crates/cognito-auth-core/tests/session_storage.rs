//! The session's storage form: round trips (plain and sealed), and every refusal: an edit
//! (digest or seal), another key, another client or pool, another version, the wrong form for
//! the call, a hand-made document that disagrees with its tokens, and garbage, which never
//! panics (property tests over arbitrary strings and over single-character edits).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_auth_core::session::{
    EndReason, RefreshOutcome, Session, SessionError, SessionEvent, SessionKey, SessionOptions,
    SignOutKind, TokensForCall,
};
use cognito_auth_core::wire::{AuthenticationResult, HttpResponse};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId, sign_in::ClientConfig};
use proptest::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const POOL: &str = "us-east-1_Abc123XyZ";
const CLIENT_ID: &str = "2od40example";
const CLIENT_SECRET: &str = "CLIENT-SECRET-sentinel-1q2w3e4r5t6y7u8i9o0p";
const SUB: &str = "94c84468-e0c1-7003-e7b6-32be2c3bd6ee";
const REFRESH: &str = "REFRESH-sentinel.enc-key.iv.ciphertext.tag";
const DEVICE_KEY: &str = "us-east-1_5f1c2d3e-0a1b-4c2d-8e3f-405162738495";
const T0: u64 = 1_800_000_000;
const KEY: [u8; 32] = [0x5a; 32];

fn jwt(claims: &Value) -> String {
    let part = |json: &str| URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}.{}.{}",
        part(r#"{"alg":"RS256"}"#),
        part(&claims.to_string()),
        part("sig")
    )
}

fn access_token(client_id: &str, exp: u64) -> String {
    jwt(
        &json!({"sub": SUB, "token_use": "access", "client_id": client_id,
        "username": "alice", "exp": exp}),
    )
}

fn client() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse(POOL).unwrap(), CLIENT_ID)
        .unwrap()
        .with_client_secret(SecretString::new(CLIENT_SECRET))
        .unwrap()
}

fn session() -> Session {
    let tokens = AuthenticationResult {
        access_token: SecretString::new(&access_token(CLIENT_ID, T0 + 3600)),
        id_token: Some(SecretString::new(&jwt(
            &json!({"sub": SUB, "token_use": "id", "aud": CLIENT_ID, "cognito:username": "alice", "exp": T0 + 3600}),
        ))),
        refresh_token: Some(SecretString::new(REFRESH)),
        expires_in: 3600,
        token_type: "Bearer".into(),
        new_device_metadata: None,
    };
    Session::new(
        client(),
        &tokens,
        UnixTime::from_secs(T0),
        Some(DEVICE_KEY),
        SessionOptions::default(),
    )
    .unwrap()
}

fn key() -> SessionKey {
    SessionKey::new(&KEY).unwrap()
}

/// A plain stored session with a hand-made document and a correct digest.
fn plain_with(document: &Value) -> String {
    let body = document.to_string();
    let digest = Sha256::digest(body.as_bytes());
    format!(
        "cognito-auth-session.v1.{}.{}",
        URL_SAFE_NO_PAD.encode(&body),
        URL_SAFE_NO_PAD.encode(&digest[..12])
    )
}

/// The document `to_storage` wrote.
fn document_of(stored: &str) -> Value {
    let body = stored.split('.').nth(2).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap()
}

#[test]
fn a_stored_session_restores_to_the_same_tokens_user_and_device() {
    let mut original = session();
    let stored = original.to_storage().unwrap();
    assert!(stored.expose().starts_with("cognito-auth-session.v1."));
    let document = document_of(stored.expose());
    // The documented fields, and never the client secret.
    assert_eq!(document["user_pool_id"], POOL);
    assert_eq!(document["client_id"], CLIENT_ID);
    assert_eq!(document["refresh_token"], REFRESH);
    assert_eq!(document["device_key"], DEVICE_KEY);
    assert_eq!(document["access_expires_at"], T0 + 3600);
    assert_eq!(document["received_at"], T0);
    assert!(!document.to_string().contains(CLIENT_SECRET));
    assert!(!stored.expose().contains(CLIENT_SECRET));

    let mut restored =
        Session::restore(client(), stored.expose(), SessionOptions::default()).unwrap();
    assert_eq!(restored.take_events(), [SessionEvent::Restored]);
    assert_eq!(restored.sub(), SUB);
    assert_eq!(restored.username(), "alice");
    assert_eq!(restored.device_key(), Some(DEVICE_KEY));
    assert_eq!(
        restored.access_expires_at(),
        Some(UnixTime::from_secs(T0 + 3600))
    );
    let now = UnixTime::from_secs(T0 + 10);
    let (TokensForCall::Fresh(a), TokensForCall::Fresh(b)) = (
        original.tokens_for_call(now).unwrap(),
        restored.tokens_for_call(now).unwrap(),
    ) else {
        panic!("fresh tokens");
    };
    assert_eq!(a, b);
    // And it stores to the same string again.
    assert_eq!(restored.to_storage().unwrap(), stored);
}

#[test]
fn a_restored_session_refreshes_with_its_stored_refresh_token_and_device() {
    let stored = session().to_storage_sealed(&key()).unwrap();
    let mut restored =
        Session::restore_sealed(client(), stored.expose(), &key(), SessionOptions::default())
            .unwrap();
    let TokensForCall::Refresh(request) = restored
        .tokens_for_call(UnixTime::from_secs(T0 + 3500))
        .unwrap()
    else {
        panic!("a refresh");
    };
    let body: Value = serde_json::from_str(request.body()).unwrap();
    assert_eq!(body["RefreshToken"], REFRESH);
    assert_eq!(body["DeviceKey"], DEVICE_KEY);
    // The secret comes from the ClientConfig given to restore, not from storage.
    assert_eq!(body["ClientSecret"], CLIENT_SECRET);
    let ok = format!(
        r#"{{"AuthenticationResult":{{"AccessToken":"{}","ExpiresIn":3600,"RefreshToken":"ROTATED.a.b.c.d"}}}}"#,
        access_token(CLIENT_ID, T0 + 7100)
    );
    let outcome = restored
        .handle_refresh_response(
            HttpResponse::new(200, ok.as_bytes()),
            UnixTime::from_secs(T0 + 3500),
        )
        .unwrap();
    assert!(matches!(outcome, RefreshOutcome::Refreshed(_)));
    // Stored again after the refresh: the rotated token, not the old one.
    let again = restored.to_storage().unwrap();
    assert_eq!(
        document_of(again.expose())["refresh_token"],
        "ROTATED.a.b.c.d"
    );
}

#[test]
fn a_session_stored_during_a_refresh_restores_without_one() {
    let mut session = session();
    let TokensForCall::Refresh(_) = session
        .tokens_for_call(UnixTime::from_secs(T0 + 3500))
        .unwrap()
    else {
        panic!("a refresh");
    };
    let stored = session.to_storage().unwrap();
    let mut restored =
        Session::restore(client(), stored.expose(), SessionOptions::default()).unwrap();
    assert!(!restored.is_refreshing());
    assert!(matches!(
        restored
            .tokens_for_call(UnixTime::from_secs(T0 + 3500))
            .unwrap(),
        TokensForCall::Refresh(_)
    ));
}

#[test]
fn an_ended_session_is_not_stored() {
    let mut session = session();
    let _ = session.sign_out(SignOutKind::Global).unwrap();
    assert_eq!(
        session.to_storage().unwrap_err(),
        SessionError::Ended {
            reason: EndReason::SignedOut(SignOutKind::Global)
        }
    );
    assert!(session.to_storage_sealed(&key()).is_err());
}

#[test]
fn a_sealed_session_refuses_any_edit_and_another_key() {
    let stored = session().to_storage_sealed(&key()).unwrap();
    let stored = stored.expose();
    assert!(stored.starts_with("cognito-auth-session-sealed.v1."));
    // One character changed in the body, in the seal, and the body re-encoded with a change.
    let body_at = stored.find(".v1.").unwrap() + 10;
    for position in [body_at, stored.len() - 3] {
        let mut edited = stored.as_bytes().to_vec();
        edited[position] = if edited[position] == b'A' { b'B' } else { b'A' };
        let edited = String::from_utf8(edited).unwrap();
        let error = Session::restore_sealed(client(), &edited, &key(), SessionOptions::default())
            .unwrap_err();
        assert!(
            matches!(error, SessionError::SealMismatch | SessionError::Corrupted),
            "{position}: {error:?}"
        );
    }
    let mut document = document_of(stored);
    document["access_expires_at"] = json!(T0 + 999_999);
    let parts: Vec<&str> = stored.split('.').collect();
    let forged = format!(
        "{}.{}.{}.{}",
        parts[0],
        parts[1],
        URL_SAFE_NO_PAD.encode(document.to_string()),
        parts[3]
    );
    assert_eq!(
        Session::restore_sealed(client(), &forged, &key(), SessionOptions::default()).unwrap_err(),
        SessionError::SealMismatch
    );
    let other_key = SessionKey::new(&[0x5b; 32]).unwrap();
    assert_eq!(
        Session::restore_sealed(client(), stored, &other_key, SessionOptions::default())
            .unwrap_err(),
        SessionError::SealMismatch
    );
    // Each form only through its own call.
    assert_eq!(
        Session::restore(client(), stored, SessionOptions::default()).unwrap_err(),
        SessionError::SealedNeedsKey
    );
    let plain = session().to_storage().unwrap();
    assert_eq!(
        Session::restore_sealed(client(), plain.expose(), &key(), SessionOptions::default())
            .unwrap_err(),
        SessionError::NotSealed
    );
    assert_eq!(
        SessionKey::new(&[1; 31]).unwrap_err(),
        SessionError::KeyLength { len: 31 }
    );
    assert_eq!(
        SessionKey::new(&[1; 65]).unwrap_err(),
        SessionError::KeyLength { len: 65 }
    );
}

#[test]
fn a_plain_session_with_a_damaged_body_fails_its_digest() {
    let stored = session().to_storage().unwrap();
    let stored = stored.expose();
    let mut document = document_of(stored);
    document["refresh_token"] = json!("someone-elses-token");
    let parts: Vec<&str> = stored.split('.').collect();
    let edited = format!(
        "{}.{}.{}.{}",
        parts[0],
        parts[1],
        URL_SAFE_NO_PAD.encode(document.to_string()),
        parts[3]
    );
    assert_eq!(
        Session::restore(client(), &edited, SessionOptions::default()).unwrap_err(),
        SessionError::Corrupted
    );
    let truncated = &stored[..stored.len() - 20];
    assert!(Session::restore(client(), truncated, SessionOptions::default()).is_err());
}

#[test]
fn another_client_or_pool_is_refused() {
    let stored = session().to_storage().unwrap();
    let other_client =
        ClientConfig::new(UserPoolId::parse(POOL).unwrap(), "another-client").unwrap();
    let other_pool =
        ClientConfig::new(UserPoolId::parse("eu-west-1_Abc123XyZ").unwrap(), CLIENT_ID).unwrap();
    for client in [other_client, other_pool] {
        assert_eq!(
            Session::restore(client, stored.expose(), SessionOptions::default()).unwrap_err(),
            SessionError::ClientMismatch
        );
    }
    // A document naming this client but holding another client's token.
    let mut document = document_of(stored.expose());
    document["access_token"] = json!(access_token("another-client", T0 + 3600));
    assert_eq!(
        Session::restore(client(), &plain_with(&document), SessionOptions::default()).unwrap_err(),
        SessionError::ClientMismatch
    );
}

#[test]
fn other_versions_and_formats_are_refused() {
    let stored = session().to_storage().unwrap();
    let restore =
        |text: &str| Session::restore(client(), text, SessionOptions::default()).unwrap_err();
    assert_eq!(
        restore(&stored.expose().replacen(".v1.", ".v2.", 1)),
        SessionError::UnsupportedVersion { version: 2 }
    );
    for spelling in [".v01.", ".v+1.", ".V1.", ".v.", ".1."] {
        assert_eq!(
            restore(&stored.expose().replacen(".v1.", spelling, 1)),
            SessionError::UnknownFormat,
            "{spelling}"
        );
    }
    // A sign-in snapshot is not a session.
    assert_eq!(
        restore(
            &stored
                .expose()
                .replacen("cognito-auth-session", "cognito-auth-sign-in", 1)
        ),
        SessionError::UnknownFormat
    );
}

#[test]
fn hand_made_documents_that_disagree_are_refused() {
    let good = document_of(session().to_storage().unwrap().expose());
    let restore = |document: &Value| {
        Session::restore(client(), &plain_with(document), SessionOptions::default()).map(|_| ())
    };
    assert_eq!(restore(&good), Ok(()), "the hand-made form is the real one");
    let edits: [(&str, Value, SessionError); 9] = [
        (
            "access_expires_at",
            json!(T0 + 3601),
            SessionError::Corrupted,
        ),
        ("access_expires_at", json!("soon"), SessionError::Corrupted),
        ("received_at", json!(T0 + 3601), SessionError::Corrupted),
        ("refresh_token", json!(""), SessionError::Corrupted),
        ("refresh_token", json!(7), SessionError::Corrupted),
        ("id_token", json!(["x"]), SessionError::Corrupted),
        ("device_key", json!(true), SessionError::Corrupted),
        ("client_id", Value::Null, SessionError::Corrupted),
        (
            "access_token",
            json!("opaque"),
            SessionError::Token(cognito_auth_core::jwt::JwtError::Malformed),
        ),
    ];
    for (field, value, error) in edits {
        let mut document = good.clone();
        document[field] = value;
        assert_eq!(restore(&document), Err(error), "{field}");
    }
    // An earlier expiry than the token's is allowed (it only makes the session refresh sooner).
    let mut document = good.clone();
    document["access_expires_at"] = json!(T0 + 60);
    assert_eq!(restore(&document), Ok(()));
    // A document that is not an object.
    assert_eq!(restore(&json!([1, 2])), Err(SessionError::Corrupted));
}

#[test]
fn garbage_is_refused_without_panicking() {
    let restore = |text: &str| Session::restore(client(), text, SessionOptions::default());
    let long = "x".repeat(70_000);
    let long_valid_prefix = format!("cognito-auth-session.v1.{}", "A".repeat(70_000));
    for garbage in [
        "",
        ".",
        "....",
        "cognito-auth-session",
        "cognito-auth-session.v1",
        "cognito-auth-session.v1.",
        "cognito-auth-session.v1..",
        "cognito-auth-session.v1.!!!.AAAA",
        "cognito-auth-session.v1.e30.AAAA",
        "cognito-auth-session.v99999999999999999999999.e30.AAAA",
        "cognito-auth-session.v1.e30.AAAA.extra",
        "\u{0}\u{ffff}",
        long.as_str(),
        long_valid_prefix.as_str(),
    ] {
        assert!(restore(garbage).is_err(), "{garbage:.40}");
        assert!(
            Session::restore_sealed(client(), garbage, &key(), SessionOptions::default()).is_err()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn restore_never_panics_on_arbitrary_strings(text in ".{0,400}") {
        let _ = Session::restore(client(), &text, SessionOptions::default());
        let _ = Session::restore_sealed(client(), &text, &key(), SessionOptions::default());
        let prefixed = format!("cognito-auth-session.v1.{text}");
        prop_assert!(Session::restore(client(), &prefixed, SessionOptions::default()).is_err());
    }

    #[test]
    fn an_edited_sealed_session_is_refused(position in 0usize..4096, byte in 0x21u8..0x7f) {
        let stored = session().to_storage_sealed(&key()).unwrap();
        let mut bytes = stored.expose().as_bytes().to_vec();
        let position = position % bytes.len();
        prop_assume!(bytes[position] != byte);
        bytes[position] = byte;
        let edited = String::from_utf8(bytes).unwrap();
        // Refused, whatever the character: nothing but the original restores.
        prop_assert!(Session::restore_sealed(client(), &edited, &key(), SessionOptions::default()).is_err());
    }

    #[test]
    fn arbitrary_documents_with_a_good_digest_never_panic(
        fields in proptest::collection::btree_map(
            prop_oneof![
                Just("user_pool_id".to_string()), Just("client_id".to_string()),
                Just("access_token".to_string()), Just("id_token".to_string()),
                Just("refresh_token".to_string()), Just("received_at".to_string()),
                Just("access_expires_at".to_string()), Just("device_key".to_string()),
                "[a-z_]{1,12}",
            ],
            prop_oneof![
                Just(Value::Null), any::<bool>().prop_map(Value::from), any::<u64>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from), ".{0,40}".prop_map(Value::from),
                Just(Value::from(POOL)), Just(Value::from(CLIENT_ID)),
                Just(Value::from(access_token(CLIENT_ID, T0 + 3600))),
            ],
            0..10,
        )
    ) {
        let document = Value::Object(fields.into_iter().collect());
        let _ = Session::restore(client(), &plain_with(&document), SessionOptions::default());
    }
}

#[test]
fn after_a_restore_the_session_is_as_alive_as_it_was() {
    let stored = session().to_storage().unwrap();
    let mut restored =
        Session::restore(client(), stored.expose(), SessionOptions::default()).unwrap();
    let body = r#"{"__type":"NotAuthorizedException","message":"Refresh Token has been revoked"}"#;
    let TokensForCall::Refresh(_) = restored
        .tokens_for_call(UnixTime::from_secs(T0 + 3500))
        .unwrap()
    else {
        panic!("a refresh");
    };
    let outcome = restored
        .handle_refresh_response(
            HttpResponse::new(400, body.as_bytes()),
            UnixTime::from_secs(T0 + 3500),
        )
        .unwrap();
    assert_eq!(
        outcome,
        RefreshOutcome::Ended(EndReason::RefreshTokenRevoked)
    );
    assert_eq!(
        restored.take_events(),
        [
            SessionEvent::Restored,
            SessionEvent::Ended(EndReason::RefreshTokenRevoked)
        ]
    );
}
