//! Known-answer tests: RFC 6238 Appendix B and RFC 4226 Appendix D, from `data/totp_vectors.tsv`
//! (generated independently with a plain HMAC implementation, pyotp 2.12.0 and oathtool 2.6.7).

// Helpers outside `#[test]` functions are test code too; clippy.toml only exempts the tests.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use cognito_auth_core::UnixTime;
use cognito_auth_core::totp::{
    Algorithm, Digits, Period, TimeStep, Totp, TotpSecret, VerifyOptions, hotp,
};

use cognito_auth_testkit::rfc6238;

const VECTORS: &str = include_str!("data/totp_vectors.tsv");

struct Vector<'a> {
    kind: &'a str,
    algorithm: Algorithm,
    seed_ascii: &'a str,
    seed_base32: &'a str,
    time_or_counter: u64,
    step: u64,
    code: &'a str,
}

fn vectors() -> Vec<Vector<'static>> {
    let rows: Vec<Vector> = VECTORS
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("kind\t"))
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 7, "bad row: {line}");
            Vector {
                kind: fields[0],
                algorithm: match fields[1] {
                    "SHA1" => Algorithm::Sha1,
                    "SHA256" => Algorithm::Sha256,
                    "SHA512" => Algorithm::Sha512,
                    other => panic!("unknown mode {other}"),
                },
                seed_ascii: fields[2],
                seed_base32: fields[3],
                time_or_counter: fields[4].parse().unwrap(),
                step: u64::from_str_radix(fields[5], 16).unwrap(),
                code: fields[6],
            }
        })
        .collect();
    assert_eq!(rows.len(), 28, "18 RFC 6238 rows and 10 RFC 4226 rows");
    rows
}

#[test]
fn seeds_decode_from_their_base32() {
    for v in vectors() {
        let secret = TotpSecret::from_base32(v.seed_base32).unwrap();
        assert_eq!(
            secret.expose(),
            v.seed_ascii.as_bytes(),
            "bad base32 decode"
        );
        assert_eq!(
            secret.to_base32().expose(),
            v.seed_base32,
            "bad base32 encode"
        );
    }
}

#[test]
fn rfc_6238_appendix_b() {
    let mut checked = 0;
    for v in vectors().iter().filter(|v| v.kind == "totp") {
        let secret = TotpSecret::from_base32(v.seed_base32).unwrap();
        let totp = Totp::new(v.algorithm, Digits::Eight, Period::DEFAULT);
        let time = UnixTime::from_secs(v.time_or_counter);
        assert_eq!(
            totp.time_step(time).unwrap().counter(),
            v.step,
            "bad T at {}",
            v.time_or_counter
        );
        assert_eq!(
            totp.code(&secret, time).unwrap().as_str(),
            v.code,
            "bad {:?} code at {}",
            v.algorithm,
            v.time_or_counter
        );
        // The 6-digit code is the last six digits.
        let six = Totp::new(v.algorithm, Digits::Six, Period::DEFAULT);
        assert_eq!(six.code(&secret, time).unwrap().as_str(), &v.code[2..]);
        // And the verifier accepts it, returning T.
        assert_eq!(
            totp.verify(&secret, v.code, time, VerifyOptions::DEFAULT),
            Ok(TimeStep::new(v.step)),
            "bad verification at {}",
            v.time_or_counter
        );
        checked += 1;
    }
    assert_eq!(checked, 18);
}

#[test]
fn rfc_4226_appendix_d() {
    let mut checked = 0;
    for v in vectors().iter().filter(|v| v.kind == "hotp") {
        let secret = TotpSecret::from_base32(v.seed_base32).unwrap();
        assert_eq!(v.step, v.time_or_counter);
        let code = hotp(&secret, v.algorithm, Digits::Six, v.time_or_counter);
        assert_eq!(
            code.as_str(),
            v.code,
            "bad HOTP at count {}",
            v.time_or_counter
        );
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn cognito_shaped_secret() {
    // A published 52-character Cognito secret; counter 53660796 gives 057397 in pyotp, oathtool
    // and totp-rs (leading zero, unpadded, 32-byte key).
    let secret =
        TotpSecret::from_base32("6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A").unwrap();
    assert_eq!(secret.len(), 32);
    let now = UnixTime::from_secs(1_609_823_880);
    assert_eq!(Totp::COGNITO.time_step(now).unwrap().counter(), 53_660_796);
    assert_eq!(Totp::COGNITO.code(&secret, now).unwrap().as_str(), "057397");
    let lower =
        TotpSecret::from_base32("6c727yg4lrzramyd5ybnmtkpufgin5zunpbb2rj74d5ge5ocwd7a").unwrap();
    assert_eq!(Totp::COGNITO.code(&lower, now).unwrap().as_str(), "057397");
}

#[test]
fn differential_values_from_the_reference_notes() {
    // oathtool / pyotp / plain HMAC agreed on these (non-default period and digits).
    let seed = TotpSecret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    let now = UnixTime::from_secs(1_700_000_000);
    let sixty = Totp::new(Algorithm::Sha1, Digits::Six, Period::from_secs(60).unwrap());
    assert_eq!(sixty.code(&seed, now).unwrap().as_str(), "895298");
    let seven = Totp::new(Algorithm::Sha1, Digits::Seven, Period::DEFAULT);
    assert_eq!(seven.code(&seed, now).unwrap().as_str(), "1921300");
    let short = TotpSecret::from_base32_allow_short("JBSWY3DPEHPK3PXP").unwrap();
    assert_eq!(Totp::COGNITO.code(&short, now).unwrap().as_str(), "324550");
}

/// The test kit's own RFC 6238 / RFC 4226 (the fake pool's server side) on the same rows, keyed
/// by the ASCII seeds so that nothing of the core is involved.
#[test]
fn the_test_kits_totp_matches_the_rfc_vectors() {
    let mut checked = 0;
    for v in vectors() {
        let hash = match v.algorithm {
            Algorithm::Sha1 => rfc6238::Hash::Sha1,
            Algorithm::Sha256 => rfc6238::Hash::Sha256,
            Algorithm::Sha512 => rfc6238::Hash::Sha512,
        };
        let key = v.seed_ascii.as_bytes();
        let code = if v.kind == "totp" {
            assert_eq!(
                &rfc6238::totp(key, hash, 6, 30, v.time_or_counter),
                &v.code[2..]
            );
            rfc6238::totp(key, hash, 8, 30, v.time_or_counter)
        } else {
            rfc6238::hotp(key, hash, 6, v.time_or_counter)
        };
        assert_eq!(
            code, v.code,
            "{} {:?} at {}",
            v.kind, v.algorithm, v.time_or_counter
        );
        checked += 1;
    }
    assert_eq!(checked, 28);
}

/// The test kit's server-side check: SHA-1, 6 digits, one step either side of now, each step
/// once. RFC 6238's SHA-1 rows end in their 6-digit codes at T = 0x23523EC..=0x23523ED.
#[test]
fn the_test_kits_verifier_takes_one_step_either_side_once() {
    let key = b"12345678901234567890";
    // T = 0x23523EC (1111111109 s) is 081804, T + 1 (1111111111 s) is 050471.
    let (t, now) = (0x0235_23EC_u64, 1_111_111_109);
    assert_eq!(rfc6238::verify_cognito(key, "081804", now, None), Some(t));
    assert_eq!(
        rfc6238::verify_cognito(key, "050471", now, None),
        Some(t + 1)
    );
    assert_eq!(
        rfc6238::verify_cognito(key, "081804", now + 30, None),
        Some(t)
    );
    assert_eq!(rfc6238::verify_cognito(key, "081804", now + 60, None), None);
    assert_eq!(rfc6238::verify_cognito(key, "081804", now, Some(t)), None);
    assert_eq!(
        rfc6238::verify_cognito(key, "050471", now, Some(t)),
        Some(t + 1)
    );
    assert_eq!(
        rfc6238::verify_cognito(key, "050471", now, Some(t + 1)),
        None
    );
    for wrong in ["081805", " 081804", "0818040", "81804", "O81804"] {
        assert_eq!(
            rfc6238::verify_cognito(key, wrong, now, None),
            None,
            "{wrong:?}"
        );
    }
}
