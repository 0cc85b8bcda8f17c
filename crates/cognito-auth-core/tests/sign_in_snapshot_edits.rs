//! Snapshots edited in storage: what a plain snapshot refuses (a flow, challenge and step that
//! do not agree), and what only a sealed one detects (any edit at all).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, Entropy, FirstFactor, HttpResponse,
    MAX_REQUESTS_PER_SIGN_IN, RestoreOptions, SignIn, SignInError, SnapshotError, SnapshotKey,
    Step, UserStep,
};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const NOW: u64 = 1_800_000_000;

/// A change made to a snapshot's JSON.
type Edit = fn(&mut Value);

fn config() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(), "client").unwrap()
}

fn options() -> RestoreOptions {
    RestoreOptions {
        now: UnixTime::from_secs(NOW + 10),
        max_age_secs: 180,
        entropy: Entropy::from_bytes([8; 32]),
        device: None,
        password: None,
    }
}

fn key(byte: u8) -> SnapshotKey {
    SnapshotKey::new(&[byte; 32]).unwrap()
}

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

/// An SRP sign-in waiting for an SMS code.
fn srp_at_sms_code() -> SignIn {
    let (mut flow, _) = SignIn::start(
        config(),
        Credentials::srp("alice", SecretString::new("Correct-Horse-9!")),
        Entropy::from_bytes([1; 32]),
    )
    .unwrap();
    let verifier = json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {
        "SALT": "ab12", "SRP_B": "abcdef0123456789", "SECRET_BLOCK": "c2VjcmV0", "USERNAME": "alice"}});
    let step = flow
        .handle_response(
            HttpResponse::new(200, verifier.to_string().as_bytes()),
            now(),
        )
        .unwrap();
    assert!(matches!(step, Step::Send(_)));
    let sms = json!({"ChallengeName": "SMS_MFA", "Session": "S", "ChallengeParameters": {}});
    let step = flow
        .handle_response(HttpResponse::new(200, sms.to_string().as_bytes()), now())
        .unwrap();
    assert!(matches!(
        step,
        Step::Challenge(UserStep::ConfirmSmsMfaCode { .. })
    ));
    flow
}

/// A choice-based sign-in waiting for the password of `PASSWORD_SRP`.
fn user_auth_at_password_srp() -> SignIn {
    let (mut flow, _) = SignIn::start(
        config(),
        Credentials::user_auth("alice", None, None),
        Entropy::from_bytes([1; 32]),
    )
    .unwrap();
    let select = json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "S",
        "AvailableChallenges": ["PASSWORD_SRP", "PASSWORD"]});
    let step = flow
        .handle_response(HttpResponse::new(200, select.to_string().as_bytes()), now())
        .unwrap();
    assert!(matches!(step, Step::Challenge(_)));
    let step = flow
        .answer(
            ChallengeAnswer::SelectFirstFactor(FirstFactor::PasswordSrp),
            now(),
        )
        .unwrap();
    assert_eq!(step, Step::Challenge(UserStep::ConfirmPassword));
    flow
}

/// Rewrites the JSON of a plain snapshot, with a fresh digest (anyone can compute it).
fn edit_plain(snapshot: &str, edit: impl Fn(&mut Value)) -> String {
    let parts: Vec<&str> = snapshot.split('.').collect();
    let mut document: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    edit(&mut document);
    let text = document.to_string();
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "{}.{}.{}.{}",
        parts[0],
        parts[1],
        URL_SAFE_NO_PAD.encode(text.as_bytes()),
        URL_SAFE_NO_PAD.encode(&digest[..12])
    )
}

/// Rewrites the JSON of a sealed snapshot, keeping its old seal.
fn edit_sealed(snapshot: &str, edit: impl Fn(&mut Value)) -> String {
    let parts: Vec<&str> = snapshot.split('.').collect();
    let mut document: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    edit(&mut document);
    format!(
        "{}.{}.{}.{}",
        parts[0],
        parts[1],
        URL_SAFE_NO_PAD.encode(document.to_string().as_bytes()),
        parts[3]
    )
}

#[test]
fn a_plain_snapshot_refuses_a_step_its_flow_never_shows() {
    let snapshot = srp_at_sms_code().snapshot(now()).unwrap();
    // The untouched snapshot restores.
    assert!(SignIn::restore(config(), snapshot.expose(), options()).is_ok());
    let edits: [(&str, Edit); 4] = [
        ("an SRP sign-in asking for the password", |d| {
            d["challenge"] = json!("PASSWORD");
            d["step"] = json!({"kind": "password"});
        }),
        ("a first-factor choice in an SRP sign-in", |d| {
            d["challenge"] = json!("SELECT_CHALLENGE");
            d["step"] = json!({"kind": "select_first_factor", "available": ["PASSWORD"]});
        }),
        ("a step that is not its challenge's", |d| {
            d["challenge"] = json!("SOFTWARE_TOKEN_MFA");
        }),
        ("a custom challenge in USER_SRP_AUTH", |d| {
            d["challenge"] = json!("CUSTOM_CHALLENGE");
            d["step"] = json!({"kind": "custom", "parameters": {}});
        }),
    ];
    for (what, edit) in edits {
        let edited = edit_plain(snapshot.expose(), edit);
        assert_eq!(
            SignIn::restore(config(), &edited, options()).unwrap_err(),
            SnapshotError::Inconsistent,
            "{what}"
        );
    }
}

#[test]
fn a_sealed_snapshot_detects_any_edit() {
    let flow = user_auth_at_password_srp();
    // PASSWORD_SRP -> PASSWORD agrees with USER_AUTH, so a plain snapshot cannot tell...
    let plain = flow.snapshot(now()).unwrap();
    let downgrade = |d: &mut Value| d["challenge"] = json!("PASSWORD");
    let edited = edit_plain(plain.expose(), downgrade);
    assert!(SignIn::restore(config(), &edited, options()).is_ok());
    // ...but a sealed one refuses it, and every other edit.
    let sealed = flow.snapshot_sealed(now(), &key(1)).unwrap();
    assert!(
        sealed
            .expose()
            .starts_with("cognito-auth-sign-in-sealed.v1.")
    );
    let restored = SignIn::restore_sealed(config(), sealed.expose(), &key(1), options()).unwrap();
    assert_eq!(restored.pending_step(), Some(&UserStep::ConfirmPassword));
    for edit in [
        edit_sealed(sealed.expose(), downgrade),
        edit_sealed(sealed.expose(), |d| d["session"] = json!("another session")),
        edit_sealed(sealed.expose(), |d| d["saved_at"] = json!(NOW + 5)),
    ] {
        assert_eq!(
            SignIn::restore_sealed(config(), &edit, &key(1), options()).unwrap_err(),
            SnapshotError::SealMismatch
        );
    }
    // Another key, the wrong form, no key, a short key.
    assert_eq!(
        SignIn::restore_sealed(config(), sealed.expose(), &key(2), options()).unwrap_err(),
        SnapshotError::SealMismatch
    );
    assert_eq!(
        SignIn::restore_sealed(config(), plain.expose(), &key(1), options()).unwrap_err(),
        SnapshotError::NotSealed
    );
    assert_eq!(
        SignIn::restore(config(), sealed.expose(), options()).unwrap_err(),
        SnapshotError::SealedSnapshotNeedsKey
    );
    assert_eq!(
        SnapshotKey::new(&[0; 16]).unwrap_err(),
        SnapshotError::KeyLength { len: 16 }
    );
    assert_eq!(format!("{:?}", key(7)), "SnapshotKey(<redacted>)");
}

#[test]
fn a_restored_sign_in_keeps_its_request_count() {
    // An app that snapshots and restores after every step cannot reset the request limit.
    let flow = srp_at_sms_code();
    let snapshot = flow.snapshot(now()).unwrap();
    let parts: Vec<&str> = snapshot.expose().split('.').collect();
    let document: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    assert_eq!(document["requests"], json!(2));
    assert!(document.get("password").is_none());

    // The restored flow goes on counting from 2: 30 more requests, then the limit.
    let mut restored = SignIn::restore(config(), snapshot.expose(), options()).unwrap();
    let sms = json!({"ChallengeName": "SMS_MFA", "Session": "S", "ChallengeParameters": {}});
    for sent in 3..=MAX_REQUESTS_PER_SIGN_IN {
        let step = restored
            .answer(ChallengeAnswer::SmsMfaCode("123456".into()), now())
            .unwrap_or_else(|e| panic!("request {sent}: {e}"));
        assert!(matches!(step, Step::Send(_)));
        let step = restored
            .handle_response(HttpResponse::new(200, sms.to_string().as_bytes()), now())
            .unwrap();
        assert!(matches!(step, Step::Challenge(_)));
    }
    assert_eq!(
        restored
            .answer(ChallengeAnswer::SmsMfaCode("123456".into()), now())
            .unwrap_err(),
        SignInError::TooManyRequests {
            limit: MAX_REQUESTS_PER_SIGN_IN
        }
    );
}
