//! Seeded inputs, baselines and harnesses for the benchmarks in `benches/`.
//!
//! The Cognito SRP client computation (A = g^a, then the `PASSWORD_VERIFIER` claim for a given
//! B, salt and secret block) is written three more times here, each measured against the core in
//! the same run:
//!
//! - [`dig`]: on `num-bigint-dig` (`BigUint::modpow`, variable-time);
//! - [`gmp`]: on GMP through `rug`, every exponentiation with `mpz_powm` ([`gmp::PowMode::Powm`],
//!   variable-time) or every one with `mpz_powm_sec` ([`gmp::PowMode::PowmSec`], GMP's
//!   side-channel-silent one), with the exponent sizes the core uses: a, x (256 bits) and a + u·x.
//!
//! Each baseline is also split into the parts of the computation (g^a, x, S, HKDF + HMAC); the
//! core is measured through its public API only (A = [`SrpClient::new`], the claim =
//! [`SrpClient::password_claim`]). The unit tests check that all of them derive the same
//! signature as the core for the seeded inputs and for known answers from other implementations.
//!
//! [`paired`] times the core and one baseline back to back, pair by pair, for the ratios with
//! their uncertainty that `compare.sh` prints (the `srp_paired` binary; libtommath and
//! `java.math.BigInteger` run there in child processes).
//!
//! [`dudect`] is the constant-time test (a Welch t-test over two classes of secret inputs, the
//! method of dudect) used by `benches/constant_time.rs`; [`fixtures`] builds the canned Cognito
//! responses for the sign-in benchmarks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark support code: inputs are fixed and known to be well formed"
)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_auth_core::srp::{EphemeralSecret, PasswordVerifierChallenge, SrpClient, SrpIdentity};
use cognito_auth_core::{SecretString, UnixTime};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub mod clock;
pub mod dig;
pub mod dudect;
pub mod fixtures;
pub mod gmp;
pub mod paired;

/// The RFC 5054 3072-bit prime.
pub const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

/// HKDF `info` of Cognito's key derivation.
pub const KEY_DERIVATION_INFO: &[u8] = b"Caldera Derived Key";

/// The inputs of one `PASSWORD_VERIFIER` exchange, as Cognito sends them, plus the client's `a`.
#[derive(Clone, Debug)]
pub struct SrpInputs {
    /// The ephemeral secret `a`, big-endian.
    pub a: Vec<u8>,
    /// Pool name (the part of the pool id after `_`) or device group key.
    pub pool_name: String,
    /// `USER_ID_FOR_SRP` or device key.
    pub user: String,
    /// The password.
    pub password: String,
    /// `SALT` (hex, may be negative).
    pub salt: String,
    /// `SRP_B` (hex).
    pub srp_b: String,
    /// `SECRET_BLOCK` (base64).
    pub secret_block: String,
    /// Unix seconds, the claim's `TIMESTAMP`.
    pub now: u64,
}

impl SrpInputs {
    /// Vector V1 of `crates/cognito-auth-core/tests/data/srp_vectors.json` with an ephemeral
    /// secret of `a_len` bytes expanded from a fixed seed with SHA-256 (no RNG in the benchmark).
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
            pool_name: "Abc123XyZ".into(),
            user: "9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60".into(),
            password: "Correct-Horse-9!".into(),
            salt: "8ce8291892390f6b53a245933faf6164".into(),
            srp_b: "109dd52353f4578fab493b149e4e63da0c9068711ff7d93421623547d5cb466d153212de4b49e7a2dfb47c3688396d21311a2a63d6bf2fc8365f4047ab6d7388f326779c2cc2016fe9944c353a945310ca4e9d68140c1924e10a7d4ae406cf9c1437a8c47f4ee701dbda28a889078e0991bcbbdeb20e2cf0741a75f4e9d6cfa67672f515558a7642ee17db89b9322242c22865ecb57c59aefc94ae8af8ba9be7554ed96db55b6556a0f40e031417143d1598a717a98374570c71bf60d91e39380ec7c3cdcca3582c9f273e188822f2a8c2e5043514cf7653e6e83d31710d0f8d0931006d51b27881f3477c07fc2980e02f84f06f09148ad8bd51c83ec60a190f47b3da8eff7b8a9b1ee86401c67b51922ab0726b2b8a52a6c5ec4dba92b725750db784ff236d9ad786580f0823878947b2b565a56810d091276331dd73de6d0b4fd96ae6c5374c667b04866c1541b831313e54e8fee45cab86211e9c5b4fd3795c8cc100eb8ecad1c93386d03ddd692374b6d894008edb60d6a078b75146ad5f".into(),
            secret_block: "d2I2ib1ar889rX5ASU7JVY3LeWulL6pI+kPwY0I+Ts7Sn3i+BYPXtHKjX6dDoEcQ2gAtAe9zKomdz0C/GttbpZIepvi63TuHgZ50c+rEH12up+7ZQrfiD02jbBaycqvJ".into(),
            now: 1_793_689_509,
        }
    }
}

/// SHA-256 of the concatenation of `parts`.
pub fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
    }
    h.finalize().into()
}

/// H(pool ‖ user ‖ ":" ‖ password), the inner hash of x.
pub fn identity_hash(inputs: &SrpInputs) -> [u8; 32] {
    hash(&[
        inputs.pool_name.as_bytes(),
        inputs.user.as_bytes(),
        b":",
        inputs.password.as_bytes(),
    ])
}

/// HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info "Caldera Derived Key") to 16 bytes, then
/// base64(HMAC-SHA256(key, pool ‖ user ‖ SECRET_BLOCK bytes ‖ TIMESTAMP)). Shared by the
/// baselines: these are the `hkdf`/`hmac` crates, not the core's own HMAC code.
pub fn key_and_signature(padded_u: &[u8], padded_s: &[u8], inputs: &SrpInputs) -> String {
    signature(&derive_key(padded_u, padded_s), inputs)
}

/// The 16-byte key.
pub fn derive_key(padded_u: &[u8], padded_s: &[u8]) -> [u8; 16] {
    let mut key = [0u8; 16];
    hkdf::Hkdf::<Sha256>::new(Some(padded_u), padded_s)
        .expand(KEY_DERIVATION_INFO, &mut key)
        .unwrap();
    key
}

/// `PASSWORD_CLAIM_SIGNATURE` for a derived key.
pub fn signature(key: &[u8], inputs: &SrpInputs) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(inputs.pool_name.as_bytes());
    mac.update(inputs.user.as_bytes());
    mac.update(&STANDARD.decode(&inputs.secret_block).unwrap());
    mac.update(
        UnixTime::from_secs(inputs.now)
            .cognito_timestamp()
            .as_bytes(),
    );
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The whole computation through cognito-auth-core's public API.
/// Returns (SRP_A hex, PASSWORD_CLAIM_SIGNATURE).
pub fn core_claim(inputs: &SrpInputs) -> (String, String) {
    let client = SrpClient::new(&EphemeralSecret::from_bytes(&inputs.a).unwrap()).unwrap();
    let srp_a = client.public_key_hex();
    let challenge =
        PasswordVerifierChallenge::parse(&inputs.salt, &inputs.srp_b, &inputs.secret_block)
            .unwrap();
    let signature = core_password_claim(&client, &challenge, inputs);
    (srp_a, signature)
}

/// The core's half after A: the claim for a parsed challenge.
pub fn core_password_claim(
    client: &SrpClient,
    challenge: &PasswordVerifierChallenge,
    inputs: &SrpInputs,
) -> String {
    client
        .password_claim(
            SrpIdentity::device(&inputs.pool_name, &inputs.user),
            &SecretString::new(&inputs.password),
            challenge,
            UnixTime::from_secs(inputs.now),
        )
        .unwrap()
        .signature
}

/// Hex (no sign; an odd length gets a leading 0) to big-endian bytes, for fixed inputs.
pub fn hex_bytes(hex: &str) -> Vec<u8> {
    let hex = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_owned()
    };
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The three baselines (four implementations) on the same inputs.
    fn all_baselines(inputs: &SrpInputs) -> [(&'static str, (String, String)); 3] {
        [
            ("num-bigint-dig", dig::claim(inputs)),
            ("gmp mpz_powm", gmp::claim(inputs, gmp::PowMode::Powm)),
            (
                "gmp mpz_powm_sec",
                gmp::claim(inputs, gmp::PowMode::PowmSec),
            ),
        ]
    }

    #[test]
    fn baselines_and_core_agree_on_the_seeded_inputs() {
        for len in [32, 128, 384] {
            let inputs = SrpInputs::seeded(len);
            let core = core_claim(&inputs);
            assert_eq!(core.1.len(), 44, "a base64 SHA-256 tag");
            for (name, result) in all_baselines(&inputs) {
                assert_eq!(result, core, "{name}, a = {len} bytes");
            }
        }
    }

    #[test]
    fn parts_compose_to_the_whole() {
        for len in [32, 128] {
            let inputs = SrpInputs::seeded(len);
            let expected = core_claim(&inputs).1;
            let d = dig::Parts::new(&inputs);
            assert_eq!(d.g_a(), d.a_pub);
            assert_eq!(d.x(&inputs), d.x);
            assert_eq!(d.premaster_secret(), (d.u.clone(), d.s.clone()));
            assert_eq!(d.hkdf_hmac(&inputs), expected);
            for mode in [gmp::PowMode::Powm, gmp::PowMode::PowmSec] {
                let g = gmp::Parts::new(&inputs, mode);
                assert_eq!(g.g_a(), g.a_pub);
                assert_eq!(g.x(&inputs), g.x);
                assert_eq!(g.premaster_secret(), (g.u.clone(), g.s.clone()));
                assert_eq!(g.hkdf_hmac(&inputs), expected, "{mode:?}");
                // The GMP intermediates are the num-bigint-dig ones.
                assert_eq!(g.s.to_string_radix(16), d.s.to_str_radix(16));
            }
        }
    }

    /// Known answers from an independent implementation (the project's Python generator, which
    /// also checks the server's S): `crates/cognito-auth-core/tests/data/srp_vectors.json`.
    #[test]
    fn every_implementation_reproduces_the_known_answers() {
        let file: Value = serde_json::from_str(include_str!(
            "../../crates/cognito-auth-core/tests/data/srp_vectors.json"
        ))
        .unwrap();
        let vectors = file["vectors"].as_array().unwrap();
        assert!(vectors.len() >= 5);
        for vector in vectors {
            let name = vector["name"].as_str().unwrap();
            let i = &vector["inputs"];
            let text = |key: &str| i[key].as_str().unwrap().to_owned();
            let inputs = SrpInputs {
                a: hex_bytes(&text("a_hex")),
                pool_name: text("pool_name_or_device_group_key"),
                user: text("user_id_for_srp_or_device_key"),
                password: text("password"),
                salt: text("SALT"),
                srp_b: text("SRP_B"),
                secret_block: text("SECRET_BLOCK"),
                now: i["unix_time"].as_u64().unwrap(),
            };
            assert_eq!(
                UnixTime::from_secs(inputs.now).cognito_timestamp(),
                text("TIMESTAMP")
            );
            let o = &vector["outputs"];
            let expected = (
                o["SRP_A"].as_str().unwrap().to_owned(),
                o["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap().to_owned(),
            );
            assert_eq!(core_claim(&inputs), expected, "core, {name}");
            for (implementation, result) in all_baselines(&inputs) {
                assert_eq!(result, expected, "{implementation}, {name}");
            }
        }
    }

    /// AWS's own vector (amplify-android's SRPHelperTests, copied into the core's test data): a
    /// 1024-bit `a` in decimal, A, u, x, S and the 16-byte key. (Its M1 is HMAC'd with the key's
    /// base64 text, not Cognito's claim, so the expected signature is the vector's key HMAC'd
    /// over this exchange.)
    #[test]
    fn every_implementation_reproduces_the_amplify_android_vector() {
        use rug::Integer;
        let file: Value = serde_json::from_str(include_str!(
            "../../crates/cognito-auth-core/tests/data/srp_upstream_vectors.json"
        ))
        .unwrap();
        let v = &file["amplify_android"];
        let text = |key: &str| v[key].as_str().unwrap().to_owned();
        let decimal = |key: &str| Integer::from_str_radix(&text(key), 10).unwrap();
        let pool_id = text("user_pool_id");
        let inputs = SrpInputs {
            a: decimal("private_a_decimal").to_digits::<u8>(rug::integer::Order::Msf),
            pool_name: pool_id.split_once('_').unwrap().1.to_owned(),
            user: text("username"),
            password: text("password"),
            salt: text("salt_hex"),
            srp_b: text("srp_b_hex"),
            secret_block: text("secret_block"),
            // 2021-09-29T06:40:48Z, the vector's m1_timestamp.
            now: 1_632_897_648,
        };
        assert_eq!(
            UnixTime::from_secs(inputs.now).cognito_timestamp(),
            text("m1_timestamp")
        );
        let key = STANDARD.decode(text("key_base64")).unwrap();
        let expected = (
            decimal("public_a_decimal").to_string_radix(16),
            signature(&key, &inputs),
        );
        assert_eq!(core_claim(&inputs), expected, "core");
        for (implementation, result) in all_baselines(&inputs) {
            assert_eq!(result, expected, "{implementation}");
        }
        let d = dig::Parts::new(&inputs);
        for mode in [gmp::PowMode::Powm, gmp::PowMode::PowmSec] {
            let g = gmp::Parts::new(&inputs, mode);
            for (name, value) in [
                ("u_decimal", &g.u),
                ("x_decimal", &g.x),
                ("s_decimal", &g.s),
            ] {
                assert_eq!(*value, decimal(name), "{name}, {mode:?}");
            }
            assert_eq!(derive_key(&gmp::pad(&g.u), &gmp::pad(&g.s)).as_slice(), key);
        }
        assert_eq!(d.s.to_str_radix(10), text("s_decimal"));
        assert_eq!(derive_key(&dig::pad(&d.u), &dig::pad(&d.s)).as_slice(), key);
    }

    #[test]
    fn pad_is_java_to_byte_array() {
        use rug::Integer;
        let cases: [(&str, &[u8]); 7] = [
            ("0", &[0]),
            ("7f", &[0x7f]),
            ("80", &[0, 0x80]),
            ("-80", &[0x80]),
            ("-81", &[0xff, 0x7f]),
            ("-1", &[0xff]),
            ("-6b1f", &[0x94, 0xe1]),
        ];
        for (hex, java) in cases {
            let value = Integer::from_str_radix(hex, 16).unwrap();
            assert_eq!(gmp::java_bytes(&value), java, "{hex}");
            let dig = num_bigint_dig::BigInt::parse_bytes(hex.as_bytes(), 16).unwrap();
            assert_eq!(dig.to_signed_bytes_be(), java, "{hex} (num-bigint-dig)");
        }
    }
}

/// The workspace README's Rust examples, compiled as doctests so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
