//! Property tests: build-then-parse is the identity, no input panics, and codes agree with a
//! plain (branchy, indexing) reference implementation of RFC 4226.

// Helpers outside `#[test]` functions are test code too; clippy.toml only exempts the tests.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use cognito_auth_core::UnixTime;
use cognito_auth_core::totp::{
    Algorithm, Digits, OtpType, OtpauthUri, Period, TimeStep, Totp, TotpError, TotpSecret,
    VerifyOptions, hotp,
};
use hmac::{Hmac, Mac};
use proptest::prelude::*;

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

fn digits() -> impl Strategy<Value = Digits> {
    prop_oneof![Just(Digits::Six), Just(Digits::Seven), Just(Digits::Eight)]
}

fn otp_type() -> impl Strategy<Value = OtpType> {
    prop_oneof![
        (1..=u64::MAX).prop_map(|secs| OtpType::Totp {
            period: Period::from_secs(secs).unwrap()
        }),
        Just(OtpType::Totp {
            period: Period::DEFAULT
        }),
        any::<u64>().prop_map(|counter| OtpType::Hotp { counter }),
    ]
}

/// Text with a bias towards the characters that matter in a URI.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ :&#?/%+=@a-zA-Z0-9é🔐]{0,12}",
        "(%3A|%3a|%20|:| |[a-z]){0,8}",
    ]
}

/// The RFC 4226 reference code, written the obvious way.
fn reference_hotp(key: &[u8], algorithm: Algorithm, digits: u32, counter: u64) -> String {
    let mac: Vec<u8> = match algorithm {
        Algorithm::Sha1 => {
            let mut m = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
            m.update(&counter.to_be_bytes());
            m.finalize().into_bytes().to_vec()
        }
        Algorithm::Sha256 => {
            let mut m = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
            m.update(&counter.to_be_bytes());
            m.finalize().into_bytes().to_vec()
        }
        Algorithm::Sha512 => {
            let mut m = Hmac::<sha2::Sha512>::new_from_slice(key).unwrap();
            m.update(&counter.to_be_bytes());
            m.finalize().into_bytes().to_vec()
        }
    };
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!(
        "{:0width$}",
        bin % 10_u32.pow(digits),
        width = digits as usize
    )
}

proptest! {
    #[test]
    fn build_then_parse_is_the_identity(
        key in proptest::collection::vec(any::<u8>(), 16..=64),
        issuer in text(),
        account in text(),
        otp_type in otp_type(),
        algorithm in algorithm(),
        digits in digits(),
    ) {
        let uri = OtpauthUri::new(otp_type, TotpSecret::from_bytes(&key).unwrap(), &account)
            .with_issuer(&issuer)
            .with_algorithm(algorithm)
            .with_digits(digits);
        let text = uri.to_uri_string();
        let text = text.expose();
        // Only URI characters: nothing raw that an app could misread.
        prop_assert!(text.is_ascii());
        prop_assert!(!text.contains(' ') && !text.contains('+') && !text.contains('#'));
        let parsed = OtpauthUri::parse(text).unwrap();
        prop_assert_eq!(&parsed, &uri);
        prop_assert_eq!(parsed.issuer(), (!issuer.is_empty()).then_some(issuer.as_str()));
        prop_assert_eq!(parsed.account_name(), account.trim_start_matches(' '));
        prop_assert_eq!(parsed.secret().expose(), &key[..]);
    }

    #[test]
    fn the_parser_never_panics(input in any::<String>()) {
        let _ = OtpauthUri::parse(&input);
        let _ = OtpauthUri::parse_allow_short_secret(&input);
    }

    #[test]
    fn the_parser_never_panics_on_near_uris(
        scheme in "(otpauth://|OTPAUTH://|otpauth:/|)",
        kind in "(totp|hotp|HOTP|x|)",
        path in "(/[^?#]{0,10})?",
        query in proptest::collection::vec(
            ("(secret|issuer|algorithm|digits|period|counter|image|)", "(=[^&#]{0,10}|=[A-Z2-7 =]{0,40}|)"),
            0..6,
        ),
        fragment in "(#.{0,5})?",
    ) {
        let query: Vec<String> = query.into_iter().map(|(k, v)| format!("{k}{v}")).collect();
        let uri = format!("{scheme}{kind}{path}?{}{fragment}", query.join("&"));
        let _ = OtpauthUri::parse(&uri);
        if let Ok(parsed) = OtpauthUri::parse_allow_short_secret(&uri) {
            // Whatever parses rebuilds into a URI that parses to the same value.
            let rebuilt = parsed.to_uri_string();
            prop_assert_eq!(OtpauthUri::parse_allow_short_secret(rebuilt.expose()).unwrap(), parsed);
        }
    }

    #[test]
    fn base32_never_panics(input in any::<String>()) {
        let _ = TotpSecret::from_base32(&input);
        let _ = TotpSecret::from_base32_allow_short(&input);
    }

    #[test]
    fn base32_as_pasted(
        key in proptest::collection::vec(any::<u8>(), 1..=80),
        spaces in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
        lower in any::<bool>(),
        padded in any::<bool>(),
    ) {
        let secret = TotpSecret::from_bytes_allow_short(&key).unwrap();
        let canonical = String::from(secret.to_base32().expose());
        prop_assert!(!canonical.contains('='));
        prop_assert_eq!(canonical.len(), (key.len() * 8).div_ceil(5));
        let mut pasted: String = if lower { canonical.to_lowercase() } else { canonical.clone() };
        for index in spaces {
            let at = index.index(pasted.len() + 1);
            pasted.insert(at, ' ');
        }
        if padded {
            pasted.push_str(&"=".repeat((8 - canonical.len() % 8) % 8));
        }
        let decoded = TotpSecret::from_base32_allow_short(&pasted).unwrap();
        prop_assert_eq!(decoded.expose(), &key[..]);
        let encoded = decoded.to_base32();
        prop_assert_eq!(encoded.expose(), canonical.as_str());
    }

    #[test]
    fn base32_alphabet_soup_is_decoded_or_refused_with_a_typed_error(input in "[A-Za-z2-7 =\t0189-]{0,70}") {
        match TotpSecret::from_base32_allow_short(&input) {
            Ok(secret) => prop_assert!(!secret.is_empty()),
            Err(TotpError::SecretNotBase32 { position }
                | TotpError::SecretPaddingNotAtEnd { position }) => prop_assert!(position < input.len()),
            Err(TotpError::SecretEmpty | TotpError::SecretLengthInvalid { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    #[test]
    fn codes_match_the_reference(
        key in proptest::collection::vec(any::<u8>(), 1..=100),
        algorithm in algorithm(),
        digits in 6_u32..=8,
        counter in any::<u64>(),
    ) {
        let secret = TotpSecret::from_bytes_allow_short(&key).unwrap();
        let code = hotp(&secret, algorithm, Digits::try_from(digits).unwrap(), counter);
        prop_assert_eq!(code.as_str(), reference_hotp(&key, algorithm, digits, counter));
    }

    #[test]
    fn any_time_period_and_digits(
        time in any::<u64>(),
        t0 in any::<u64>(),
        period in any::<u64>(),
        digits in any::<u32>(),
        skew in any::<u8>(),
        last_used in proptest::option::of(any::<u64>()),
        code in "[0-9]{6,8}|.{0,10}",
    ) {
        let secret = TotpSecret::from_bytes(b"12345678901234567890").unwrap();
        let (Ok(period), Ok(digits)) = (Period::from_secs(period), Digits::try_from(digits)) else {
            prop_assert!(period == 0 || !(6..=8).contains(&digits));
            return Ok(());
        };
        let totp = Totp::new(Algorithm::Sha1, digits, period).with_t0(UnixTime::from_secs(t0));
        let now = UnixTime::from_secs(time);
        let options = VerifyOptions::DEFAULT
            .with_skew(skew % 4)
            .with_last_used_step(last_used.map(TimeStep::new));
        let _ = totp.verify(&secret, &code, now, options);
        match totp.code(&secret, now) {
            Err(error) => {
                prop_assert_eq!(error, TotpError::TimeBeforeT0);
                prop_assert!(time < t0);
            }
            Ok(own) => {
                prop_assert_eq!(own.len(), usize::from(digits.count()));
                prop_assert!(own.as_str().bytes().all(|b| b.is_ascii_digit()));
                let step = totp.time_step(now).unwrap();
                prop_assert_eq!(step.counter(), (time - t0) / period.as_secs());
                let verified = totp.verify(&secret, own.as_str(), now, options);
                match last_used {
                    Some(used) if used >= step.counter() => {
                        // Unless a later step in the window happens to share the code.
                        prop_assert!(verified.is_err() || verified.unwrap() > TimeStep::new(used));
                    }
                    _ => prop_assert!(verified.is_ok_and(|matched| matched >= step)),
                }
            }
        }
    }
}
