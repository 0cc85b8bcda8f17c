//! Baselines and seeded inputs for the benchmarks in `benches/`.
//!
//! [`num_bigint_dig_claim`] is the Cognito SRP client computation written directly on
//! `num-bigint-dig` (variable-time `modpow`), the yardstick the constant-time core is measured
//! against in the same run. Its result is checked against the core's in this crate's tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark support code"
)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use num_bigint_dig::{BigInt, BigUint, Sign};
use sha2::{Digest, Sha256};

/// The RFC 5054 3072-bit prime.
pub const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

/// One seeded PASSWORD_VERIFIER exchange (vector V1 of tests/data/srp_vectors.json).
pub struct SrpInputs {
    /// `a`, `len` bytes expanded from a fixed seed with SHA-256 (no RNG in the benchmark).
    pub a: Vec<u8>,
    /// Pool name and USER_ID_FOR_SRP.
    pub pool_name: &'static str,
    /// USER_ID_FOR_SRP.
    pub user: &'static str,
    /// The password.
    pub password: &'static str,
    /// SALT, SRP_B and SECRET_BLOCK as Cognito sends them.
    pub salt: &'static str,
    /// SRP_B.
    pub srp_b: &'static str,
    /// SECRET_BLOCK.
    pub secret_block: &'static str,
    /// Unix seconds.
    pub now: u64,
}

impl SrpInputs {
    /// Inputs with an ephemeral secret of `a_len` bytes.
    pub fn seeded(a_len: usize) -> Self {
        let mut a = Vec::with_capacity(a_len + 32);
        let mut counter = 0u32;
        while a.len() < a_len {
            a.extend_from_slice(&Sha256::digest(format!("cognito-auth bench a/{counter}")));
            counter += 1;
        }
        a.truncate(a_len);
        Self {
            a,
            pool_name: "Abc123XyZ",
            user: "9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60",
            password: "Correct-Horse-9!",
            salt: "8ce8291892390f6b53a245933faf6164",
            srp_b: "109dd52353f4578fab493b149e4e63da0c9068711ff7d93421623547d5cb466d153212de4b49e7a2dfb47c3688396d21311a2a63d6bf2fc8365f4047ab6d7388f326779c2cc2016fe9944c353a945310ca4e9d68140c1924e10a7d4ae406cf9c1437a8c47f4ee701dbda28a889078e0991bcbbdeb20e2cf0741a75f4e9d6cfa67672f515558a7642ee17db89b9322242c22865ecb57c59aefc94ae8af8ba9be7554ed96db55b6556a0f40e031417143d1598a717a98374570c71bf60d91e39380ec7c3cdcca3582c9f273e188822f2a8c2e5043514cf7653e6e83d31710d0f8d0931006d51b27881f3477c07fc2980e02f84f06f09148ad8bd51c83ec60a190f47b3da8eff7b8a9b1ee86401c67b51922ab0726b2b8a52a6c5ec4dba92b725750db784ff236d9ad786580f0823878947b2b565a56810d091276331dd73de6d0b4fd96ae6c5374c667b04866c1541b831313e54e8fee45cab86211e9c5b4fd3795c8cc100eb8ecad1c93386d03ddd692374b6d894008edb60d6a078b75146ad5f",
            secret_block: "d2I2ib1ar889rX5ASU7JVY3LeWulL6pI+kPwY0I+Ts7Sn3i+BYPXtHKjX6dDoEcQ2gAtAe9zKomdz0C/GttbpZIepvi63TuHgZ50c+rEH12up+7ZQrfiD02jbBaycqvJ",
            now: 1_793_689_509,
        }
    }
}

/// Cognito's TIMESTAMP, taken from the core (formatting is not what is being compared).
fn timestamp(now: u64) -> String {
    cognito_auth_core::UnixTime::from_secs(now).cognito_timestamp()
}

fn pad(value: &BigUint) -> Vec<u8> {
    BigInt::from_biguint(Sign::Plus, value.clone()).to_signed_bytes_be()
}

fn hash(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
    }
    h.finalize().to_vec()
}

/// The whole client computation on num-bigint-dig: A = g^a, u, x, S, HKDF, HMAC.
/// Returns (SRP_A hex, PASSWORD_CLAIM_SIGNATURE).
pub fn num_bigint_dig_claim(inputs: &SrpInputs) -> (String, String) {
    let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap();
    let g = BigUint::from(2u32);
    let k = BigUint::from_bytes_be(&hash(&[&pad(&n), &pad(&g)]));
    let a = BigUint::from_bytes_be(&inputs.a);
    let a_pub = g.modpow(&a, &n);
    let b_pub = BigUint::parse_bytes(inputs.srp_b.as_bytes(), 16).unwrap();
    let salt = BigInt::parse_bytes(inputs.salt.as_bytes(), 16).unwrap();
    let u = BigUint::from_bytes_be(&hash(&[&pad(&a_pub), &pad(&b_pub)]));
    let inner = hash(&[
        inputs.pool_name.as_bytes(),
        inputs.user.as_bytes(),
        b":",
        inputs.password.as_bytes(),
    ]);
    let x = BigUint::from_bytes_be(&hash(&[&salt.to_signed_bytes_be(), &inner]));
    let k_gx = (&k * g.modpow(&x, &n)) % &n;
    let base = (&b_pub % &n + &n - k_gx) % &n;
    let s = base.modpow(&(&a + &u * &x), &n);
    let mut key = [0u8; 16];
    hkdf::Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s))
        .expand(b"Caldera Derived Key", &mut key)
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(inputs.pool_name.as_bytes());
    mac.update(inputs.user.as_bytes());
    mac.update(&STANDARD.decode(inputs.secret_block).unwrap());
    mac.update(timestamp(inputs.now).as_bytes());
    (
        a_pub.to_str_radix(16),
        STANDARD.encode(mac.finalize().into_bytes()),
    )
}

/// The same computation through cognito-auth-core's public API.
pub fn core_claim(inputs: &SrpInputs) -> (String, String) {
    use cognito_auth_core::srp::{
        EphemeralSecret, PasswordVerifierChallenge, SrpClient, SrpIdentity,
    };
    let client = SrpClient::new(&EphemeralSecret::from_bytes(&inputs.a).unwrap()).unwrap();
    let srp_a = client.public_key_hex();
    let challenge =
        PasswordVerifierChallenge::parse(inputs.salt, inputs.srp_b, inputs.secret_block).unwrap();
    let claim = client
        .password_claim(
            SrpIdentity::device(inputs.pool_name, inputs.user),
            &cognito_auth_core::SecretString::new(inputs.password),
            &challenge,
            cognito_auth_core::UnixTime::from_secs(inputs.now),
        )
        .unwrap();
    (srp_a, claim.signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_and_core_agree() {
        for len in [32, 128, 384] {
            let inputs = SrpInputs::seeded(len);
            assert_eq!(
                num_bigint_dig_claim(&inputs),
                core_claim(&inputs),
                "a = {len} bytes"
            );
        }
    }
}

/// The workspace README's Rust examples, compiled as doctests so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
