//! Property tests of the SRP helpers (examples in `srp.rs`): `secret_hash` for any Unicode
//! username against the `hmac` crate, and `DeviceVerifier` against the independent
//! `num-bigint-dig` server of `cognito_auth_testkit::srp_server`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use cognito_auth_testkit::proptest_fixtures;

use cognito_auth_testkit::srp_server;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_auth_core::SecretString;
use cognito_auth_core::srp::{DeviceVerifier, SrpError};
use num_bigint_dig::{BigInt, Sign};
use proptest::prelude::*;
use srp_server::{SrpServer, pad};

use proptest_fixtures::*;

proptest! {
    #![proptest_config(cases(384))]

    /// `secret_hash` is Base64(HMAC-SHA256(secret, username ‖ client id)) for any Unicode.
    #[test]
    fn secret_hash_matches_the_reference(user in any::<String>(), client in "\\PC{0,30}", secret in "\\PC{0,60}") {
        let hash = cognito_auth_core::secret_hash(&user, &client, &SecretString::new(&secret));
        prop_assert_eq!(&hash, &reference_secret_hash(&user, &client, &secret));
        prop_assert_eq!(hash.len(), 44);
    }
}

// ----- DeviceVerifier against num-bigint-dig -----

fn salt16() -> impl Strategy<Value = [u8; 16]> {
    prop_oneof![
        any::<[u8; 16]>(),
        // Leading zero bytes (PAD drops them) and a set top bit (PAD adds 00).
        (0usize..=16, any::<[u8; 16]>()).prop_map(|(zeros, mut salt)| {
            salt[..zeros].fill(0);
            salt
        }),
        any::<[u8; 16]>().prop_map(|mut salt| {
            salt[0] |= 0x80;
            salt
        }),
    ]
}

proptest! {
    #![proptest_config(cases(40))]

    /// The `ConfirmDevice` verifier is the v the independent server computes for the device
    /// identity (group key as realm, device key as user), the salt is PAD(salt), and the
    /// device password is the base64 of the bytes given.
    #[test]
    fn device_verifier_matches_the_independent_server(
        group in prop_oneof!["-[A-Za-z0-9]{1,12}", "\\PC{1,12}"],
        key in prop_oneof!["[a-z]{2}-[a-z]{4,9}-[0-9]_[0-9a-f-]{36}", "\\PC{1,40}"],
        password in proptest::collection::vec(any::<u8>(), DeviceVerifier::MIN_PASSWORD_LEN..=96),
        salt in salt16(),
    ) {
        let device = DeviceVerifier::new(&group, &key, &password, salt).unwrap();
        prop_assert_eq!(device.device_password.expose(), STANDARD.encode(&password));
        let salt_int = BigInt::from_bytes_be(Sign::Plus, &salt);
        prop_assert_eq!(STANDARD.decode(&device.config.salt).unwrap(), salt_int.to_signed_bytes_be());
        let v = SrpServer::new().verifier(&salt_int, &group, &key, device.device_password.expose());
        prop_assert_eq!(STANDARD.decode(&device.config.password_verifier).unwrap(), pad(&v));
        let printed = format!("{:?}", device);
        prop_assert!(!printed.contains(device.device_password.expose()));
    }

    #[test]
    fn device_password_length_is_checked(len in prop_oneof![0usize..DeviceVerifier::MIN_PASSWORD_LEN, (DeviceVerifier::MAX_PASSWORD_LEN + 1)..=600]) {
        let refused = DeviceVerifier::new(DEVICE_GROUP, DEVICE_KEY, &vec![7; len], [1; 16]).err();
        prop_assert_eq!(refused, Some(SrpError::DevicePasswordLength { len }));
    }
}
