//! Prints the seeded SRP inputs and the core's answer as JSON, for the timings of other
//! implementations on the same inputs (`benches/js/amazon_cognito_identity_js.js`).
//!
//! `cargo run --release -p cognito-auth-benches --example srp_inputs -- 128`
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "benchmark tool")]

use cognito_auth_benches::{SrpInputs, core_claim};
use cognito_auth_core::UnixTime;

fn main() {
    let a_len: usize = std::env::args()
        .nth(1)
        .map_or(Ok(128), |arg| arg.parse())
        .expect("usage: srp_inputs [A_BYTES]");
    let inputs = SrpInputs::seeded(a_len);
    let (srp_a, signature) = core_claim(&inputs);
    let a_hex: String = inputs.a.iter().map(|b| format!("{b:02x}")).collect();
    let json = serde_json::json!({
        "a_hex": a_hex,
        "pool_name": inputs.pool_name,
        "user": inputs.user,
        "password": inputs.password,
        "salt": inputs.salt,
        "srp_b": inputs.srp_b,
        "secret_block": inputs.secret_block,
        "timestamp": UnixTime::from_secs(inputs.now).cognito_timestamp(),
        "expected_srp_a": srp_a,
        "expected_signature": signature,
    });
    println!("{json}");
}
