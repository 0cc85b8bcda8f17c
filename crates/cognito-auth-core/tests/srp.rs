//! The public SRP API against an independent server written here with `num-bigint-dig`, plus
//! every rejection, redaction and the SECRET_HASH vectors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use cognito_auth_core::srp::{
    DeviceVerifier, EphemeralSecret, PasswordVerifierChallenge, SrpClient, SrpError, SrpIdentity,
};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId, secret_hash};
use num_bigint_dig::{BigInt, BigUint, Sign};
use proptest::prelude::*;

use cognito_auth_testkit::srp_server;
use srp_server::{N_HEX, SrpServer as Server, pad};

/// SALT as Cognito's Java prints it: `BigInteger.toString(16)`, so odd lengths and `-`.
fn salt_hex(salt: &BigInt) -> String {
    salt.to_str_radix(16)
}

fn encode_secret_block(bytes: &[u8], alphabet: u8) -> String {
    match alphabet % 4 {
        0 => STANDARD.encode(bytes),
        1 => STANDARD_NO_PAD.encode(bytes),
        2 => URL_SAFE.encode(bytes),
        _ => URL_SAFE_NO_PAD.encode(bytes),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// For random a (32 to 384 bytes), b, salts (positive, negative, odd-length hex), passwords
    /// (any Unicode) and secret blocks (either base64 alphabet), the server accepts the claim.
    #[test]
    fn server_accepts_every_claim(
        a in prop::collection::vec(any::<u8>(), 32..=384),
        b in prop::collection::vec(any::<u8>(), 32..=128),
        salt_negative in any::<bool>(),
        salt_bytes in prop::collection::vec(any::<u8>(), 1..=24),
        pool_name in "[A-Za-z0-9]{1,12}",
        user in "[a-z0-9@.+-]{1,40}",
        password in "\\PC{0,40}",
        secret_block in prop::collection::vec(any::<u8>(), 1..=200),
        alphabet in any::<u8>(),
        secs in 0u64..4_102_444_800,
        device in any::<bool>(),
    ) {
        let server = Server::new();
        let pool = UserPoolId::parse(&format!("eu-west-1_{pool_name}")).unwrap();
        let group_key = format!("-{pool_name}");
        let (identity, realm) = if device {
            (SrpIdentity::device(&group_key, &user), group_key.as_str())
        } else {
            (SrpIdentity::user(&pool, &user), pool_name.as_str())
        };
        let sign = if salt_negative { Sign::Minus } else { Sign::Plus };
        let salt = BigInt::from_biguint(sign, BigUint::from_bytes_be(&salt_bytes));
        let v = server.verifier(&salt, realm, &user, &password);
        let b_secret = BigUint::from_bytes_be(&b);
        let b_pub = server.public_key(&v, &b_secret);
        prop_assume!(b_pub != BigUint::from(0u32));

        let client = SrpClient::new(&EphemeralSecret::from_bytes(&a).unwrap()).unwrap();
        let a_pub = BigUint::parse_bytes(client.public_key_hex().as_bytes(), 16).unwrap();
        prop_assert_eq!(&a_pub, &server.g.modpow(&BigUint::from_bytes_be(&a), &server.n));

        let encoded_block = encode_secret_block(&secret_block, alphabet);
        let challenge = PasswordVerifierChallenge::parse(
            &salt_hex(&salt),
            &b_pub.to_str_radix(16),
            &encoded_block,
        )
        .unwrap();
        let claim = client
            .password_claim(identity, &SecretString::new(&password), &challenge, UnixTime::from_secs(secs))
            .unwrap();
        prop_assert_eq!(&claim.secret_block, &encoded_block);
        let expected = server.expected_signature(
            &a_pub, &b_pub, &b_secret, &v, realm, &user, &secret_block, &claim.timestamp,
        );
        prop_assert_eq!(claim.signature, expected);
    }

    /// No string, however odd, makes challenge parsing panic.
    #[test]
    fn challenge_parsing_never_panics(salt in "\\PC{0,80}", srp_b in "[-0-9a-fA-Fx ]{0,900}", block in "\\PC{0,80}") {
        let _ = PasswordVerifierChallenge::parse(&salt, &srp_b, &block);
    }
}

#[test]
fn device_verifier_is_what_the_server_stores() {
    // The ConfirmDevice verifier must be the server's v for the device identity: a later
    // DEVICE_PASSWORD_VERIFIER exchange against it succeeds.
    let server = Server::new();
    let password_bytes = [7u8; 40];
    let salt = [0x9c_u8; 16];
    let device =
        DeviceVerifier::new("-Ab1cD2eF", "us-east-1_device", &password_bytes, salt).unwrap();
    assert_eq!(
        device.device_password.expose(),
        STANDARD.encode(password_bytes)
    );
    let salt_int = BigInt::from_bytes_be(Sign::Plus, &salt);
    let v = server.verifier(
        &salt_int,
        "-Ab1cD2eF",
        "us-east-1_device",
        device.device_password.expose(),
    );
    assert_eq!(
        STANDARD.decode(&device.config.password_verifier).unwrap(),
        pad(&v)
    );
    assert_eq!(
        STANDARD.decode(&device.config.salt).unwrap(),
        salt_int.to_signed_bytes_be()
    );

    let b = BigUint::from(0x1234_5678_9abc_u64);
    let b_pub = server.public_key(&v, &b);
    let client = SrpClient::new(&EphemeralSecret::from_bytes(&[3u8; 32]).unwrap()).unwrap();
    let challenge =
        PasswordVerifierChallenge::parse(&salt_hex(&salt_int), &b_pub.to_str_radix(16), "AAAA")
            .unwrap();
    let claim = client
        .password_claim(
            SrpIdentity::device("-Ab1cD2eF", "us-east-1_device"),
            &device.device_password,
            &challenge,
            UnixTime::from_secs(1_800_000_000),
        )
        .unwrap();
    let a_pub = BigUint::parse_bytes(client.public_key_hex().as_bytes(), 16).unwrap();
    assert_eq!(
        claim.signature,
        server.expected_signature(
            &a_pub,
            &b_pub,
            &b,
            &v,
            "-Ab1cD2eF",
            "us-east-1_device",
            &[0, 0, 0],
            &claim.timestamp
        )
    );
}

fn challenge_error(salt: &str, srp_b: &str, block: &str) -> SrpError {
    PasswordVerifierChallenge::parse(salt, srp_b, block).unwrap_err()
}

const GOOD_B: &str = "abcdef";

#[test]
fn ephemeral_secret_length_is_32_to_384_bytes() {
    assert_eq!(
        EphemeralSecret::from_bytes(&[1; 31]).unwrap_err(),
        SrpError::EphemeralSecretLength { len: 31 }
    );
    assert_eq!(
        EphemeralSecret::from_bytes(&[1; 385]).unwrap_err(),
        SrpError::EphemeralSecretLength { len: 385 }
    );
    assert_eq!(
        EphemeralSecret::from_bytes(&[]).unwrap_err(),
        SrpError::EphemeralSecretLength { len: 0 }
    );
    assert_eq!(EphemeralSecret::from_bytes(&[1; 32]).unwrap().len(), 32);
    assert_eq!(EphemeralSecret::from_bytes(&[1; 384]).unwrap().len(), 384);
}

#[test]
fn degenerate_ephemeral_secrets_are_refused() {
    // a = 0 and a = N − 1 (the group order's multiple) both give A = 1.
    let zero = EphemeralSecret::from_bytes(&[0; 32]).unwrap();
    assert_eq!(
        SrpClient::new(&zero).unwrap_err(),
        SrpError::EphemeralSecretDegenerate
    );
    let mut n_minus_1 = BigUint::parse_bytes(N_HEX.as_bytes(), 16)
        .unwrap()
        .to_bytes_be();
    *n_minus_1.last_mut().unwrap() -= 1;
    let order = EphemeralSecret::from_bytes(&n_minus_1).unwrap();
    assert_eq!(
        SrpClient::new(&order).unwrap_err(),
        SrpError::EphemeralSecretDegenerate
    );
}

#[test]
fn salt_rejections() {
    assert_eq!(challenge_error("", GOOD_B, "AAAA"), SrpError::SaltEmpty);
    assert_eq!(challenge_error("-", GOOD_B, "AAAA"), SrpError::SaltEmpty);
    assert_eq!(
        challenge_error("12345z", GOOD_B, "AAAA"),
        SrpError::SaltNotHex { position: 5 }
    );
    assert_eq!(
        challenge_error(" 1234", GOOD_B, "AAAA"),
        SrpError::SaltNotHex { position: 0 }
    );
    assert_eq!(
        challenge_error(&"1".repeat(513), GOOD_B, "AAAA"),
        SrpError::SaltTooLong { digits: 513 }
    );
    assert!(PasswordVerifierChallenge::parse(&"1".repeat(512), GOOD_B, "AAAA").is_ok());
}

#[test]
fn server_public_key_rejections() {
    assert_eq!(
        challenge_error("ab", "", "AAAA"),
        SrpError::ServerPublicKeyEmpty
    );
    assert_eq!(
        challenge_error("ab", "12 34", "AAAA"),
        SrpError::ServerPublicKeyNotHex { position: 2 }
    );
    assert_eq!(
        challenge_error("ab", "0x1234", "AAAA"),
        SrpError::ServerPublicKeyNotHex { position: 1 }
    );
    assert_eq!(
        challenge_error("ab", &"f".repeat(769), "AAAA"),
        SrpError::ServerPublicKeyTooLong { digits: 769 }
    );
    assert_eq!(
        challenge_error("ab", "-abcdef", "AAAA"),
        SrpError::ServerPublicKeyNegative
    );
    // B ≡ 0 (mod N): zero itself, N, and zero with leading zeros.
    for zero_mod_n in ["0", "000000", N_HEX, &N_HEX.to_uppercase()] {
        assert_eq!(
            challenge_error("ab", zero_mod_n, "AAAA"),
            SrpError::ServerPublicKeyIsZeroModN,
            "{zero_mod_n}"
        );
    }
    // The largest 3072-bit value is accepted (it is not 0 mod N).
    assert!(PasswordVerifierChallenge::parse("ab", &"f".repeat(768), "AAAA").is_ok());
}

#[test]
fn secret_block_rejections() {
    assert_eq!(
        challenge_error("ab", GOOD_B, ""),
        SrpError::SecretBlockEmpty
    );
    assert_eq!(
        challenge_error("ab", GOOD_B, "AAAA AAAA"),
        SrpError::SecretBlockNotBase64 { position: 4 }
    );
    assert_eq!(
        challenge_error("ab", GOOD_B, "AAAA\u{e9}"),
        SrpError::SecretBlockNotBase64 { position: 4 }
    );
    assert_eq!(
        challenge_error("ab", GOOD_B, "AAAAA"),
        SrpError::SecretBlockMalformed
    );
    assert_eq!(
        challenge_error("ab", GOOD_B, &"A".repeat(70_000)),
        SrpError::SecretBlockTooLong { len: 70_000 }
    );
}

#[test]
fn device_password_length_is_checked() {
    assert_eq!(
        DeviceVerifier::new("g", "d", &[1; 15], [0; 16]).unwrap_err(),
        SrpError::DevicePasswordLength { len: 15 }
    );
    assert_eq!(
        DeviceVerifier::new("g", "d", &[1; 513], [0; 16]).unwrap_err(),
        SrpError::DevicePasswordLength { len: 513 }
    );
}

#[test]
fn secrets_never_reach_debug_output_or_errors() {
    let a = [0x5a_u8; 32];
    let ephemeral = EphemeralSecret::from_bytes(&a).unwrap();
    let client = SrpClient::new(&ephemeral).unwrap();
    let device = DeviceVerifier::new("g", "d", &[0x41; 40], [1; 16]).unwrap();
    let password = SecretString::new("Tr0ub4dor&3");
    let printed = format!("{ephemeral:?} {client:?} {device:?} {password:?}");
    assert!(!printed.contains("5a5a"), "{printed}");
    assert!(!printed.contains("90, 90"), "{printed}");
    assert!(
        !printed.contains(device.device_password.expose()),
        "{printed}"
    );
    assert!(!printed.contains("Tr0ub4dor"), "{printed}");

    // Every error message is about the input's shape, never its content.
    let errors = [
        challenge_error("Tr0ub4dor", GOOD_B, "AAAA"),
        challenge_error("ab", "Tr0ub4dor", "AAAA"),
        challenge_error("ab", GOOD_B, "Tr0ub4dor&3"),
    ];
    for error in errors {
        assert!(!error.to_string().contains("Tr0ub"), "{error}");
    }
}

#[test]
fn secret_hash_vectors() {
    let table = include_str!("data/secret_hash_vectors.tsv");
    let mut rows = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cells: Vec<&str> = line.split('\t').collect();
        let unquote = |s: &str| s.trim_matches('\'').to_owned();
        let (username, client_id, secret) =
            (unquote(cells[0]), unquote(cells[1]), unquote(cells[2]));
        assert_eq!(
            secret_hash(&username, &client_id, &SecretString::new(&secret)),
            cells[4],
            "SECRET_HASH for {username:?}"
        );
        rows += 1;
    }
    assert_eq!(rows, 6);
}
