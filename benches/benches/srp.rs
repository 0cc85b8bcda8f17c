//! The full Cognito SRP client computation (A, then the password claim for a fixed B, salt and
//! secret block), on cognito-auth-core and on a num-bigint-dig baseline in the same run.
//!
//! Run: `cargo bench -p cognito-auth-benches --bench srp`. Compare medians as ratios; the
//! machines are noisy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "benchmark"
)]

use core::hint::black_box;

use cognito_auth_benches::{SrpInputs, core_claim, num_bigint_dig_claim};
use criterion::{Criterion, criterion_group, criterion_main};

fn srp_client(c: &mut Criterion) {
    let mut group = c.benchmark_group("srp_client");
    for a_len in [32usize, 128] {
        let inputs = SrpInputs::seeded(a_len);
        group.bench_function(format!("core/a{a_len}"), |b| {
            b.iter(|| core_claim(black_box(&inputs)))
        });
        group.bench_function(format!("num_bigint_dig/a{a_len}"), |b| {
            b.iter(|| num_bigint_dig_claim(black_box(&inputs)))
        });
    }
    group.finish();
}

criterion_group!(benches, srp_client);
criterion_main!(benches);
