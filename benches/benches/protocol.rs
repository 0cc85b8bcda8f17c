//! The rest of the core's hot paths: TOTP code and verify, SECRET_HASH, E.164 parse and
//! normalise, one sign-in state transition (a `PASSWORD_VERIFIER` challenge response in, the
//! `RespondToAuthChallenge` request out; the SRP server behind the canned response is
//! `cognito_auth_benches::fixtures`), and snapshot / restore of a flow waiting at a TOTP step.
//!
//! Run: `cargo bench -p cognito-auth-benches --bench protocol`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "benchmark"
)]

use core::hint::black_box;

use cognito_auth_benches::clock::run_with_clock;
use cognito_auth_benches::fixtures::{self, CLIENT_SECRET, SrpServer, TOTP_SECRET};
use cognito_auth_core::phone_number::{CallingCode, PhoneNumber};
use cognito_auth_core::sign_in::SignIn;
use cognito_auth_core::totp::{Totp, TotpSecret, VerifyOptions};
use cognito_auth_core::{SecretString, UnixTime, secret_hash};
use criterion::measurement::Measurement;
use criterion::{BatchSize, Criterion};

fn totp<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let secret = TotpSecret::from_base32(TOTP_SECRET).unwrap();
    let now = UnixTime::from_secs(fixtures::NOW);
    let code = Totp::COGNITO.code(&secret, now).unwrap();
    let mut group = c.benchmark_group("totp");
    group.bench_function("code", |b| {
        b.iter(|| Totp::COGNITO.code(black_box(&secret), black_box(now)))
    });
    // ±1 step: three HMAC-SHA1 computations and constant-time compares.
    group.bench_function("verify", |b| {
        b.iter(|| {
            Totp::COGNITO
                .verify(
                    black_box(&secret),
                    black_box(code.as_str()),
                    now,
                    VerifyOptions::default(),
                )
                .unwrap()
        })
    });
    group.finish();
}

fn secret_hash_bench<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let client_secret = SecretString::new(CLIENT_SECRET);
    c.bench_function("secret_hash", |b| {
        b.iter(|| {
            secret_hash(
                black_box(fixtures::USER_ID),
                black_box(fixtures::CLIENT_ID),
                &client_secret,
            )
        })
    });
}

fn phone_number<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let us = CallingCode::new(1).unwrap();
    let mut group = c.benchmark_group("phone_number");
    group.bench_function("parse", |b| {
        b.iter(|| PhoneNumber::parse(black_box("+447911123456")).unwrap())
    });
    group.bench_function("normalize_typed", |b| {
        b.iter(|| PhoneNumber::normalize(black_box("(206) 555-1212"), Some(us)).unwrap())
    });
    group.bench_function("normalize_full_width", |b| {
        b.iter(|| PhoneNumber::normalize(black_box("＋４４ ７９１１ １２３４５６"), None).unwrap())
    });
    group.finish();
}

fn sign_in<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let server = SrpServer::new();
    let response = fixtures::password_verifier_response(&server);
    let waiting = fixtures::flow_at_totp_step(&server);
    let snapshot = waiting.snapshot(fixtures::now()).unwrap();
    let mut group = c.benchmark_group("sign_in");
    // SignIn::start computes A (SrpClient::new with a 32-byte a) and builds InitiateAuth.
    group.bench_function("start", |b| b.iter(fixtures::start));
    // Parse the PASSWORD_VERIFIER response, compute the claim, build RespondToAuthChallenge.
    group.bench_function("password_verifier_transition", |b| {
        b.iter_batched(
            || fixtures::start().0,
            |mut flow| fixtures::handle_password_verifier(&mut flow, black_box(&response)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("snapshot", |b| {
        b.iter(|| black_box(&waiting).snapshot(fixtures::now()).unwrap())
    });
    group.bench_function("restore", |b| {
        b.iter(|| {
            SignIn::restore(
                fixtures::config(),
                black_box(snapshot.expose()),
                fixtures::restore_options(),
            )
            .unwrap()
        })
    });
    group.finish();
}

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    totp(c);
    secret_hash_bench(c);
    phone_number(c);
    sign_in(c);
}

/// Thread CPU time unless `COGNITO_AUTH_BENCH_CLOCK=wall` (`cognito_auth_benches::clock`).
fn main() {
    run_with_clock(run, run);
}
