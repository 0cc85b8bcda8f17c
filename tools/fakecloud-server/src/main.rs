//! `fakecloud-cognito-server ADDR`: serves fakecloud 0.51.0's Cognito user-pool API (the
//! `AWSCognitoIdentityProviderService.*` JSON operations) on ADDR, which must be a loopback
//! address such as `127.0.0.1:4590` (port 0 picks a free one).
//!
//! Prints `listening on http://ADDR/` on stdout once bound. `GET /_harness/health` answers
//! `fakecloud-cognito 0.51.0 TAG`, TAG being `$FAKECLOUD_HARNESS_TAG` (the tests' readiness
//! probe: the tag tells their server from another one on the port). Stops on SIGTERM or SIGINT.
//! State is in memory only; account 123456789012, region us-east-1; SigV4 is not checked.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::get;
use axum::{Extension, Router};
use fakecloud_cognito::{CognitoService, SharedCognitoState};
use fakecloud_core::dispatch::{DispatchConfig, dispatch};
use fakecloud_core::multi_account::MultiAccountState;
use fakecloud_core::registry::ServiceRegistry;

const ACCOUNT_ID: &str = "123456789012";
const REGION: &str = "us-east-1";
const IDENTITY: &str = "fakecloud-cognito 0.51.0";

fn usage(problem: &str) -> ! {
    eprintln!(
        "fakecloud-cognito-server: {problem}\nusage: fakecloud-cognito-server 127.0.0.1:PORT"
    );
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = match (args.next(), args.next()) {
        (Some(addr), None) => addr
            .parse()
            .unwrap_or_else(|e| usage(&format!("{addr:?} is not an address: {e}"))),
        _ => usage("expected exactly one argument"),
    };
    if !addr.ip().is_loopback() {
        usage("the server listens on a loopback address only");
    }

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .unwrap_or_else(|e| usage(&format!("cannot listen on {addr}: {e}")));
    let bound = listener
        .local_addr()
        .unwrap_or_else(|e| usage(&format!("no local address: {e}")));
    let endpoint = format!("http://{bound}");

    let state: SharedCognitoState = Arc::new(parking_lot::RwLock::new(MultiAccountState::new(
        ACCOUNT_ID, REGION, &endpoint,
    )));
    let mut registry = ServiceRegistry::new();
    registry.register(Arc::new(CognitoService::new(state)));
    let config = DispatchConfig::new(REGION, ACCOUNT_ID);

    let health = format!(
        "{IDENTITY} {}",
        std::env::var("FAKECLOUD_HARNESS_TAG").unwrap_or_default()
    );
    let app = Router::new()
        .route("/_harness/health", get(move || async move { health }))
        .fallback(dispatch)
        .layer(Extension(Arc::new(registry)))
        .layer(Extension(Arc::new(config)));

    println!("listening on {endpoint}/");
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stop_signal())
    .await;
    if let Err(e) = served {
        eprintln!("fakecloud-cognito-server: {e}");
        std::process::exit(1);
    }
}

/// SIGTERM or SIGINT.
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
