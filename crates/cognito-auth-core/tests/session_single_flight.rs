//! The waiting pattern the module documentation describes, with real threads: one
//! `Mutex<Session>` and a `Condvar`; the lock is never held across the (fake) network. Ten
//! callers ask for tokens at a moment that needs a refresh: exactly one refresh request is
//! sent, the other nine wait and then get the new tokens.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use alloc::sync::Arc;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::sync::{Barrier, Condvar, Mutex};
use std::thread;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_auth_core::session::{
    RefreshOutcome, Session, SessionOptions, SessionTokens, TokensForCall,
};
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::wire::{AuthenticationResult, HttpResponse, Operation, Request};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};

const T0: u64 = 1_800_000_000;

fn access_token(exp: u64, marker: &str) -> String {
    let part = |json: &str| URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}.{}.{}",
        part(r#"{"alg":"RS256"}"#),
        part(&format!(
            r#"{{"sub":"s-1","token_use":"access","client_id":"cid","username":"alice","exp":{exp},"jti":"{marker}"}}"#
        )),
        part("sig")
    )
}

struct Shared {
    session: Mutex<Session>,
    refreshed: Condvar,
    requests_sent: AtomicUsize,
}

/// The fake network: counts the refresh requests and answers with rotated tokens.
fn send(shared: &Shared, request: &Request) -> String {
    assert_eq!(request.operation(), Operation::GetTokensFromRefreshToken);
    shared.requests_sent.fetch_add(1, Ordering::SeqCst);
    thread::sleep(Duration::from_millis(50)); // long enough for every other caller to ask
    format!(
        r#"{{"AuthenticationResult":{{"AccessToken":"{}","ExpiresIn":3600,"RefreshToken":"r-2"}}}}"#,
        access_token(T0 + 3400 + 3600, "new")
    )
}

/// What a platform client's `tokens()` does.
fn tokens(shared: &Shared, now: UnixTime) -> SessionTokens {
    let mut session = shared.session.lock().unwrap();
    loop {
        match session.tokens_for_call(now).unwrap() {
            TokensForCall::Fresh(tokens) => return tokens,
            TokensForCall::WaitForRefresh => session = shared.refreshed.wait(session).unwrap(),
            TokensForCall::Refresh(request) => {
                drop(session); // never hold the lock across the network
                let body = send(shared, &request);
                session = shared.session.lock().unwrap();
                let outcome = session
                    .handle_refresh_response(HttpResponse::new(200, body.as_bytes()), now)
                    .unwrap();
                assert!(matches!(outcome, RefreshOutcome::Refreshed(_)));
                shared.refreshed.notify_all();
            }
            TokensForCall::Ended(reason) => panic!("ended: {reason}"),
        }
    }
}

#[test]
fn ten_concurrent_callers_cause_one_refresh() {
    let client =
        ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(), "cid").unwrap();
    let result = AuthenticationResult {
        access_token: SecretString::new(&access_token(T0 + 3600, "old")),
        id_token: None,
        refresh_token: Some(SecretString::new("r-1")),
        expires_in: 3600,
        token_type: "Bearer".into(),
        new_device_metadata: None,
    };
    let session = Session::new(
        client,
        &result,
        UnixTime::from_secs(T0),
        None,
        SessionOptions::default(),
    )
    .unwrap();
    let shared = Arc::new(Shared {
        session: Mutex::new(session),
        refreshed: Condvar::new(),
        requests_sent: AtomicUsize::new(0),
    });
    let start = Arc::new(Barrier::new(10));
    let callers: Vec<_> = (0..10)
        .map(|_| {
            let (shared, start) = (Arc::clone(&shared), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                tokens(&shared, UnixTime::from_secs(T0 + 3400))
            })
        })
        .collect();
    let results: Vec<SessionTokens> = callers.into_iter().map(|c| c.join().unwrap()).collect();
    assert_eq!(shared.requests_sent.load(Ordering::SeqCst), 1);
    for tokens in &results {
        assert_eq!(tokens.refresh_token.expose(), "r-2");
        assert_eq!(tokens.access_token.expose(), access_token(T0 + 7000, "new"));
    }
}
