//! `SignIn::restore` of arbitrary strings, and of well-formed envelopes (right prefix, version
//! and digest) around arbitrary documents. A restored flow must snapshot and restore again to
//! the same step.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_auth_core::sign_in::{Entropy, RememberedDevice, RestoreOptions, SignIn};
use cognito_auth_core::{SecretString, UnixTime};
use cognito_auth_fuzz::config;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fn envelope(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!(
        "cognito-auth-sign-in.v1.{}.{}",
        URL_SAFE_NO_PAD.encode(body),
        URL_SAFE_NO_PAD.encode(&digest[..12])
    )
}

const NOW: u64 = 1_800_000_000;

fuzz_target!(|data: &[u8]| {
    // Input: a snapshot string as stored, or (starting with `{`) the JSON document inside one,
    // wrapped here in a valid envelope so the fuzzer gets past the digest.
    let text = if data.first() == Some(&b'{') {
        envelope(data)
    } else {
        match core::str::from_utf8(data) {
            Ok(text) => text.to_owned(),
            Err(_) => return,
        }
    };
    let now = UnixTime::from_secs(NOW);
    let device = RememberedDevice {
        device_key: "us-east-1_f00dcafe-0000-4000-8000-000000000001".into(),
        device_group_key: "-Xy9ZaBcD".into(),
        device_password: SecretString::new("device-password"),
    };
    let options = || RestoreOptions {
        now,
        max_age_secs: 300,
        entropy: Entropy::from_bytes([9; 32]),
        device: Some(device.clone()),
        password: Some(SecretString::new("Correct-Horse-9!")),
    };
    let Ok(flow) = SignIn::restore(config(None), &text, options()) else {
        return;
    };
    let pending = flow.pending_step().cloned();
    assert!(pending.is_some(), "a restored flow waits for a step");
    assert!(!flow.is_over());
    // What restores snapshots again, and restores to the same step.
    let again = flow
        .snapshot(now)
        .unwrap_or_else(|e| panic!("restored flow: {e:?}"));
    let restored = SignIn::restore(config(None), again.expose(), options())
        .unwrap_or_else(|e| panic!("own snapshot refused: {e:?}"));
    assert_eq!(restored.pending_step(), pending.as_ref());
    assert_eq!(restored.username(), flow.username());
});
