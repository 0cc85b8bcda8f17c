//! The full Cognito SRP client computation (A, then the password claim for a fixed B, salt and
//! secret block) with a 32-byte and a 128-byte `a`, on cognito-auth-core and on three baselines
//! in the same run: num-bigint-dig, GMP `mpz_powm` and GMP `mpz_powm_sec` (system libgmp).
//!
//! Groups (criterion ids; `benches/compare.sh` reads them back from `target/criterion`):
//! - `srp_client_a32`, `srp_client_a128`: the whole computation from the strings Cognito sends,
//!   one function per implementation (`core`, `gmp_powm_sec`, `gmp_powm`, `num_bigint_dig`);
//! - `srp_parts_a32`, `srp_parts_a128`: the parts. The core through its public API only
//!   (`core/A` = `SrpClient::new`, `core/claim` = `password_claim` for a parsed challenge); each
//!   baseline as `g_a` (A = g^a), `x`, `S` (u, g^x, S) and `hkdf_hmac` (key and signature).
//!
//! Run: `cargo bench -p cognito-auth-benches --bench srp` (or `benches/compare.sh` for the
//! ratios). Compare medians as ratios: the machines are noisy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "benchmark"
)]

use core::hint::black_box;

use cognito_auth_benches::clock::run_with_clock;
use cognito_auth_benches::gmp::PowMode;
use cognito_auth_benches::{SrpInputs, core_claim, core_password_claim, dig, gmp};
use cognito_auth_core::srp::{EphemeralSecret, PasswordVerifierChallenge, SrpClient};
use criterion::measurement::Measurement;
use criterion::{Criterion, SamplingMode};

const A_LENGTHS: [usize; 2] = [32, 128];
const GMP_MODES: [(&str, PowMode); 2] = [
    ("gmp_powm_sec", PowMode::PowmSec),
    ("gmp_powm", PowMode::Powm),
];

/// One implementation of the whole computation: (SRP_A, signature).
type Claim<'a> = Box<dyn Fn() -> (String, String) + 'a>;

fn srp_client<M: Measurement + 'static>(c: &mut Criterion<M>) {
    // For runs in several rounds: COGNITO_AUTH_BENCH_REVERSE=1 reverses the order, so that drift
    // in the machine's speed does not favour whichever implementation runs first. (compare.sh
    // takes its ratios from the paired harness, src/bin/srp_paired.rs, instead.)
    let reverse = std::env::var_os("COGNITO_AUTH_BENCH_REVERSE").is_some_and(|v| v == "1");
    for a_len in A_LENGTHS {
        let inputs = SrpInputs::seeded(a_len);
        let mut cases: Vec<(&str, Claim<'_>)> = vec![
            ("core", Box::new(|| core_claim(black_box(&inputs)))),
            (
                "gmp_powm_sec",
                Box::new(|| gmp::claim(black_box(&inputs), PowMode::PowmSec)),
            ),
            (
                "gmp_powm",
                Box::new(|| gmp::claim(black_box(&inputs), PowMode::Powm)),
            ),
            (
                "num_bigint_dig",
                Box::new(|| dig::claim(black_box(&inputs))),
            ),
        ];
        if reverse {
            cases.reverse();
        }
        let mut group = c.benchmark_group(format!("srp_client_a{a_len}"));
        group.sampling_mode(SamplingMode::Flat);
        for (name, case) in &cases {
            group.bench_function(*name, |b| b.iter(case));
        }
        group.finish();
    }
}

fn srp_parts<M: Measurement + 'static>(c: &mut Criterion<M>) {
    for a_len in A_LENGTHS {
        let inputs = SrpInputs::seeded(a_len);
        let mut group = c.benchmark_group(format!("srp_parts_a{a_len}"));
        group.sampling_mode(SamplingMode::Flat);

        let secret = EphemeralSecret::from_bytes(&inputs.a).unwrap();
        let client = SrpClient::new(&secret).unwrap();
        let challenge =
            PasswordVerifierChallenge::parse(&inputs.salt, &inputs.srp_b, &inputs.secret_block)
                .unwrap();
        group.bench_function("core/A", |b| {
            b.iter(|| SrpClient::new(black_box(&secret)).unwrap())
        });
        group.bench_function("core/claim", |b| {
            b.iter(|| core_password_claim(&client, black_box(&challenge), &inputs))
        });

        for (name, mode) in GMP_MODES {
            let parts = gmp::Parts::new(&inputs, mode);
            group.bench_function(format!("{name}/g_a"), |b| {
                b.iter(|| black_box(&parts).g_a())
            });
            group.bench_function(format!("{name}/x"), |b| {
                b.iter(|| black_box(&parts).x(&inputs))
            });
            group.bench_function(format!("{name}/S"), |b| {
                b.iter(|| black_box(&parts).premaster_secret())
            });
            group.bench_function(format!("{name}/hkdf_hmac"), |b| {
                b.iter(|| black_box(&parts).hkdf_hmac(&inputs))
            });
        }

        let parts = dig::Parts::new(&inputs);
        group.bench_function("num_bigint_dig/g_a", |b| b.iter(|| black_box(&parts).g_a()));
        group.bench_function("num_bigint_dig/x", |b| {
            b.iter(|| black_box(&parts).x(&inputs))
        });
        group.bench_function("num_bigint_dig/S", |b| {
            b.iter(|| black_box(&parts).premaster_secret())
        });
        group.bench_function("num_bigint_dig/hkdf_hmac", |b| {
            b.iter(|| black_box(&parts).hkdf_hmac(&inputs))
        });
        group.finish();
    }
}

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    srp_client(c);
    srp_parts(c);
}

/// Thread CPU time unless `COGNITO_AUTH_BENCH_CLOCK=wall` (`cognito_auth_benches::clock`).
fn main() {
    run_with_clock(run, run);
}
