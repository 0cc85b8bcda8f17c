//! Fixtures shared by the property files (`*_proptest.rs`): the pool, client and secrets
//! every generated flow uses, the proptest configuration, and small reference helpers.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_auth_core::sign_in::{ClientConfig, Entropy, RememberedDevice};
use cognito_auth_core::wire::Request;
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
use hmac::{Hmac, Mac};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;
use sha2::{Digest, Sha256};

// ----- shared fixtures -----

/// The user pool of every generated flow.
pub const POOL: &str = "eu-central-1_Pr0pTest9";
/// The app client id of every generated flow.
pub const CLIENT: &str = "pr0ptestclient0123456789ab";
/// Values that must never show in snapshots, errors or `Debug` output. Each carries a marker,
/// so a leak is found by substring whatever the generated data.
pub const CLIENT_SECRET: &str = "CLIENT-SECRET-sentinel-1q2w3e4r5t6y7u8i9o0p";
/// The user's password (a sentinel: see [`CLIENT_SECRET`]).
pub const PASSWORD: &str = "PASSWORD-sentinel-Correct-Horse-9!";
/// The remembered device's password (a sentinel).
pub const DEVICE_PASSWORD: &str = "DEVICE-PASSWORD-sentinel-AbCdEf0123";
/// The prefix of every generated `Session`, so a session that leaks is found by substring.
pub const SESSION_MARK: &str = "SESSION-sentinel-";
/// The remembered device's key.
pub const DEVICE_KEY: &str = "eu-central-1_0b5c1e2d-3f4a-4b6c-8d7e-9f0a1b2c3d4e";
/// The remembered device's group key.
pub const DEVICE_GROUP: &str = "-Gr0upKey9";
/// The clock of the generated flows, in seconds since the epoch (2027-01-15).
pub const NOW: u64 = 1_800_000_000;
/// The prefix of a sign-in snapshot string.
pub const SNAPSHOT_PREFIX: &str = "cognito-auth-sign-in";

/// Fixed cases and no persistence files: deterministic enough for CI, nothing to commit.
pub fn cases(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// The app client's configuration, with [`CLIENT_SECRET`] when `with_secret`.
pub fn config(with_secret: bool) -> ClientConfig {
    let config = ClientConfig::new(UserPoolId::parse(POOL).unwrap(), CLIENT).unwrap();
    if with_secret {
        config
            .with_client_secret(SecretString::new(CLIENT_SECRET))
            .unwrap()
    } else {
        config
    }
}

/// The remembered device ([`DEVICE_KEY`], [`DEVICE_GROUP`], [`DEVICE_PASSWORD`]).
pub fn device() -> RememberedDevice {
    RememberedDevice {
        device_key: DEVICE_KEY.into(),
        device_group_key: DEVICE_GROUP.into(),
        device_password: SecretString::new(DEVICE_PASSWORD),
    }
}

/// Fixed SRP randomness: SHA-256 of `seed`.
pub fn entropy(seed: u8) -> Entropy {
    Entropy::from_bytes(Sha256::digest([seed]).into())
}

/// `secs` since the epoch as the core's [`UnixTime`].
pub fn at(secs: u64) -> UnixTime {
    UnixTime::from_secs(secs)
}

/// Panics if `text` shows a password, the client secret or the device password.
pub fn assert_no_fixed_secret(text: &str) {
    for secret in [PASSWORD, CLIENT_SECRET, DEVICE_PASSWORD] {
        assert!(!text.contains(secret), "{secret:?} leaked into {text:?}");
    }
}

/// Base64(HMAC-SHA256(secret, username ‖ client id)), written here with the `hmac` crate.
pub fn reference_secret_hash(username: &str, client_id: &str, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Text with a bias to what matters in JSON and in the core's checks.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._@+:-]{0,12}",
        "\\PC{0,12}",
        any::<String>().prop_map(|s| s.chars().take(16).collect()),
    ]
}

/// A `Session` value: [`SESSION_MARK`] and some base64-like text.
pub fn session() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+/=_-]{4,40}".prop_map(|s| format!("{SESSION_MARK}{s}"))
}

/// The JSON body of a request the core hands out (panics if it is not JSON).
pub fn body_json(request: &Request) -> Value {
    serde_json::from_str(request.body()).unwrap_or_else(|e| panic!("the core sends JSON: {e}"))
}
