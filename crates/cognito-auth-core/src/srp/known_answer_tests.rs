//! Known-answer tests of every SRP intermediate (k, A, u, x, S, key, signature).
//!
//! The vectors come from independent implementations (tests/data/README.md): V1-V5 were checked
//! against amazon-cognito-identity-js 6.3.21 and @aws-amplify/auth 6.21.1; the upstream sets are
//! AWS's own unit tests in amplify-android and aws-sdk-net-extensions-cognito. Intermediates need
//! crate-private functions, so these live inside the crate; `tests/srp.rs` covers the public API.

use alloc::string::String;
use alloc::vec::Vec;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crypto_bigint::BoxedUint;
use num_bigint_dig::{BigInt, BigUint, Sign};
use serde_json::Value;

use super::client::{
    EphemeralSecret, PasswordVerifierChallenge, SrpClient, SrpIdentity, claim_signature,
    derive_key, private_key, scrambling_parameter,
};
use super::device::DeviceVerifier;
use super::group::{MODULUS, multiplier_k};
use super::java_integer::{java_bytes, to_hex};
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::user_pool_id::UserPoolId;

const VECTORS: &str = include_str!("../../tests/data/srp_vectors.json");
const UPSTREAM: &str = include_str!("../../tests/data/srp_upstream_vectors.json");

fn field<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {key} missing"))
}

fn hex_bytes(text: &str) -> Vec<u8> {
    let padded = if text.len() % 2 == 1 {
        alloc::format!("0{text}")
    } else {
        String::from(text)
    };
    (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16).unwrap())
        .collect()
}

fn decimal_bytes(text: &str) -> Vec<u8> {
    BigUint::parse_bytes(text.as_bytes(), 10)
        .unwrap()
        .to_bytes_be()
}

/// The Cognito vectors V1-V5 (user and device SRP).
fn vectors() -> Vec<Value> {
    let all: Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(
        all["k_hex"].as_str(),
        Some("538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6")
    );
    all["vectors"].as_array().unwrap().clone()
}

fn client_for(a_hex: &str) -> SrpClient {
    let mut a = hex_bytes(a_hex);
    // EphemeralSecret wants at least 32 bytes; leading zeros do not change the value.
    while a.len() < EphemeralSecret::MIN_LEN {
        a.insert(0, 0);
    }
    SrpClient::new(&EphemeralSecret::from_bytes(&a).unwrap()).unwrap()
}

#[test]
fn multiplier_k_matches_the_vectors() {
    let all: Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(to_hex(&multiplier_k()), field(&all, "k_hex"), "bad k value");
    assert_eq!(to_hex(&MODULUS), field(&all, "N_hex"), "bad N value");
}

#[test]
fn every_intermediate_of_v1_to_v5() {
    for vector in vectors() {
        let name = field(&vector, "name");
        let input = &vector["inputs"];
        let output = &vector["outputs"];
        let identity = SrpIdentity::device(
            field(input, "pool_name_or_device_group_key"),
            field(input, "user_id_for_srp_or_device_key"),
        );
        let password = SecretString::new(field(input, "password"));
        let client = client_for(field(input, "a_hex"));

        // A
        assert_eq!(
            client.public_key_hex(),
            field(output, "SRP_A"),
            "{name}: bad A"
        );
        assert_eq!(
            client.padded_public_key().len() as u64,
            output["padHex_A_len_bytes"].as_u64().unwrap(),
            "{name}: bad PAD(A) length"
        );

        let challenge = PasswordVerifierChallenge::parse(
            field(input, "SALT"),
            field(input, "SRP_B"),
            field(input, "SECRET_BLOCK"),
        )
        .unwrap();
        assert_eq!(
            hex_bytes(field(output, "padHex_salt")),
            challenge.padded_salt(),
            "{name}: bad PAD(salt)"
        );
        assert_eq!(
            challenge.padded_server_key().len() as u64,
            output["padHex_B_len_bytes"].as_u64().unwrap(),
            "{name}: bad PAD(B) length"
        );

        // u
        let u = scrambling_parameter(&client.padded_public_key(), challenge.padded_server_key());
        assert_eq!(to_hex(&u), field(output, "u_hex"), "{name}: bad u");
        assert_eq!(
            java_bytes(&u),
            hex_bytes(field(output, "padHex_u")),
            "{name}: bad PAD(u)"
        );

        // x
        let x = private_key(challenge.padded_salt(), identity, &password);
        assert_eq!(to_hex(&x[..]), field(output, "x_hex"), "{name}: bad x");

        // S
        let b = BoxedUint::from_be_slice_vartime(&hex_bytes(field(input, "SRP_B")));
        let padded_s = client.premaster_secret(&x, &u, &b);
        assert_eq!(to_hex(&padded_s), field(output, "S_hex"), "{name}: bad S");
        assert_eq!(
            padded_s.len() as u64,
            output["padHex_S_len_bytes"].as_u64().unwrap(),
            "{name}: bad PAD(S) length"
        );

        // key
        let key = derive_key(&padded_s, &java_bytes(&u));
        assert_eq!(
            key.to_vec(),
            hex_bytes(field(output, "hkdf_key_hex")),
            "{name}: bad HKDF key"
        );
        assert_eq!(
            &client.session_key(identity, &password, &challenge).unwrap()[..],
            &key[..],
            "{name}: session_key disagrees with its parts"
        );

        // timestamp and signature
        let now = UnixTime::from_secs(input["unix_time"].as_u64().unwrap());
        let claim = client
            .password_claim(identity, &password, &challenge, now)
            .unwrap();
        assert_eq!(
            claim.timestamp,
            field(input, "TIMESTAMP"),
            "{name}: bad TIMESTAMP"
        );
        assert_eq!(
            claim.signature,
            field(output, "PASSWORD_CLAIM_SIGNATURE"),
            "{name}: bad signature"
        );
        assert_eq!(claim.secret_block, field(input, "SECRET_BLOCK"));
    }
}

#[test]
fn user_identity_takes_the_pool_name_after_the_underscore() {
    let vector = &vectors()[0];
    let input = &vector["inputs"];
    let pool = UserPoolId::parse(&alloc::format!(
        "us-east-1_{}",
        field(input, "pool_name_or_device_group_key")
    ))
    .unwrap();
    let client = client_for(field(input, "a_hex"));
    let challenge = PasswordVerifierChallenge::parse(
        field(input, "SALT"),
        field(input, "SRP_B"),
        field(input, "SECRET_BLOCK"),
    )
    .unwrap();
    let claim = client
        .password_claim(
            SrpIdentity::user(&pool, field(input, "user_id_for_srp_or_device_key")),
            &SecretString::new(field(input, "password")),
            &challenge,
            UnixTime::from_secs(input["unix_time"].as_u64().unwrap()),
        )
        .unwrap();
    assert_eq!(
        claim.signature,
        field(&vector["outputs"], "PASSWORD_CLAIM_SIGNATURE")
    );
}

#[test]
fn confirm_device_verifier_of_v4() {
    let vector = vectors()
        .into_iter()
        .find(|v| v["kind"] == "DEVICE_PASSWORD_VERIFIER")
        .unwrap();
    let input = &vector["inputs"];
    let confirm = &vector["confirm_device"];
    let password_bytes = STANDARD
        .decode(field(confirm, "random_device_password"))
        .unwrap();
    let salt: [u8; 16] = hex_bytes(field(confirm, "salt_random_16_bytes_hex"))
        .try_into()
        .unwrap();
    let device = DeviceVerifier::new(
        field(input, "pool_name_or_device_group_key"),
        field(input, "user_id_for_srp_or_device_key"),
        &password_bytes,
        salt,
    )
    .unwrap();
    assert_eq!(
        device.device_password.expose(),
        field(confirm, "random_device_password"),
        "bad device password"
    );
    assert_eq!(
        device.config.salt,
        field(confirm, "DeviceSecretVerifierConfig.Salt"),
        "bad Salt"
    );
    assert_eq!(
        device.config.password_verifier,
        field(confirm, "DeviceSecretVerifierConfig.PasswordVerifier"),
        "bad PasswordVerifier"
    );
    // The verifier is g^x for the x that the device's later DEVICE_PASSWORD_VERIFIER uses.
    assert_eq!(
        STANDARD.decode(&device.config.password_verifier).unwrap(),
        java_bytes(&hex_bytes(field(&vector["outputs"], "verifier_v_hex"))),
        "verifier disagrees with the vector's v"
    );
}

#[test]
fn amplify_android_srp_helper_tests() {
    let all: Value = serde_json::from_str(UPSTREAM).unwrap();
    let v = &all["amplify_android"];
    let pool = UserPoolId::parse(field(v, "user_pool_id")).unwrap();
    let identity = SrpIdentity::user(&pool, field(v, "username"));
    let password = SecretString::new(field(v, "password"));

    let client = SrpClient::new(
        &EphemeralSecret::from_bytes(&decimal_bytes(field(v, "private_a_decimal"))).unwrap(),
    )
    .unwrap();
    assert_eq!(
        client.public_key_hex(),
        to_hex(&decimal_bytes(field(v, "public_a_decimal"))),
        "bad A (testValidPublicA)"
    );

    let challenge = PasswordVerifierChallenge::parse(
        field(v, "salt_hex"),
        field(v, "srp_b_hex"),
        field(v, "secret_block"),
    )
    .unwrap();
    let u = scrambling_parameter(&client.padded_public_key(), challenge.padded_server_key());
    assert_eq!(
        u.to_vec(),
        decimal_bytes(field(v, "u_decimal")),
        "bad u (testComputeU)"
    );
    let x = private_key(challenge.padded_salt(), identity, &password);
    assert_eq!(
        x.to_vec(),
        decimal_bytes(field(v, "x_decimal")),
        "bad x (testComputeX)"
    );
    let b = BoxedUint::from_be_slice_vartime(&hex_bytes(field(v, "srp_b_hex")));
    let padded_s = client.premaster_secret(&x, &u, &b);
    assert_eq!(
        &padded_s[..],
        java_bytes(&decimal_bytes(field(v, "s_decimal"))),
        "bad S (testComputeS)"
    );
    let key = derive_key(&padded_s, &java_bytes(&u));
    assert_eq!(
        STANDARD.encode(&key[..]),
        field(v, "key_base64"),
        "bad key (testComputePAK)"
    );
    // testGenerateM1 keys the HMAC with the ASCII bytes of the base64 key string.
    let m1 = claim_signature(
        field(v, "key_base64").as_bytes(),
        identity,
        &STANDARD.decode(field(v, "secret_block")).unwrap(),
        field(v, "m1_timestamp"),
    );
    assert_eq!(m1, field(v, "m1_base64"), "bad M1 (testGenerateM1)");
}

/// a = 1024 bytes of 0x02 with a final 0x00: longer than N. g has order dividing N − 1, so
/// a mod (N − 1) gives the same A and the same S; the reduced value fits the 384-byte maximum.
fn dotnet_client() -> SrpClient {
    let mut a = [2u8; 1024];
    a[1023] = 0;
    let order = BigUint::from_bytes_be(&MODULUS) - 1u32;
    let reduced = (BigUint::from_bytes_be(&a) % order).to_bytes_be();
    let mut bytes = alloc::vec![0u8; 384 - reduced.len()];
    bytes.extend_from_slice(&reduced);
    SrpClient::new(&EphemeralSecret::from_bytes(&bytes).unwrap()).unwrap()
}

#[test]
fn aws_sdk_net_extensions_cognito_vectors() {
    let all: Value = serde_json::from_str(UPSTREAM).unwrap();
    let v = &all["aws_sdk_net_extensions_cognito"];
    let identity = SrpIdentity::device(field(v, "pool_name"), field(v, "username"));
    let password = SecretString::new(field(v, "password"));
    let client = dotnet_client();

    // getPasswordAuthenticationKey
    let challenge = PasswordVerifierChallenge::parse(
        field(v, "salt_hex"),
        field(v, "key_srp_b_hex"),
        field(v, "claim_secret_block"),
    )
    .unwrap();
    let key = client.session_key(identity, &password, &challenge).unwrap();
    assert_eq!(STANDARD.encode(&key[..]), field(v, "key_base64"), "bad key");

    // createPasswordClaim / authenticateUser at Thu Jun 15 07:00:00 UTC 2017
    let challenge = PasswordVerifierChallenge::parse(
        field(v, "salt_hex"),
        field(v, "claim_srp_b_hex"),
        field(v, "claim_secret_block"),
    )
    .unwrap();
    let claim = client
        .password_claim(
            identity,
            &password,
            &challenge,
            UnixTime::from_secs(1_497_510_000),
        )
        .unwrap();
    assert_eq!(claim.timestamp, field(v, "claim_timestamp"));
    assert_eq!(claim.signature, field(v, "claim_signature"), "bad claim");

    let hash = &v["secret_hash"];
    assert_eq!(
        crate::secret_hash(
            field(hash, "username"),
            field(hash, "client_id"),
            &SecretString::new(field(hash, "client_secret"))
        ),
        field(hash, "expected")
    );
}

#[test]
fn java_bytes_match_num_bigint_signed_bytes() {
    // num-bigint-dig's to_signed_bytes_be is an independent Java toByteArray().
    for value in [
        0i64, 1, 127, 128, 255, 256, -1, -127, -128, -129, -255, -256, -257, 65535, -65536,
    ] {
        let big = BigInt::from(value);
        let text = if value < 0 {
            alloc::format!("-{:x}", value.unsigned_abs())
        } else {
            alloc::format!("{value:x}")
        };
        let parsed = super::java_integer::SignedInteger::parse_hex(&text, 64).unwrap();
        assert_eq!(
            parsed.to_java_bytes(),
            big.to_signed_bytes_be(),
            "value {value}"
        );
        let (sign, _) = big.to_bytes_be();
        assert_eq!(parsed.negative, sign == Sign::Minus);
    }
}
