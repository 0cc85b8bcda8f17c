//! Property tests of TOTP (examples in `totp_vectors.rs`, `totp_otpauth.rs`): otpauth
//! build-then-parse is the identity, no input panics, and codes agree with a plain (branchy,
//! indexing) reference implementation of RFC 4226; base32 decoding agrees with a plain
//! reference decoder, the leftover bits are the only thing re-encoding loses, the strict
//! length gate, and bad characters / inner padding are reported at their exact byte offset;
//! `verify` with any string against a reference HOTP window.

// Helpers outside `#[test]` functions are test code too; clippy.toml only exempts the tests.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use cognito_auth_core::UnixTime;
use cognito_auth_core::totp::{
    Algorithm, Digits, OtpType, OtpauthUri, Period, TimeStep, Totp, TotpError, TotpSecret,
    VerifyOptions, hotp,
};
use hmac::{Hmac, Mac};
use proptest::prelude::*;
use proptest::sample::{Index, select};

use cognito_auth_testkit::proptest_fixtures;
use proptest_fixtures::{at, cases};

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

// ----- base32 -----

/// The 5-bit value of an RFC 4648 base32 character, either case.
fn base32_value(c: char) -> Option<u8> {
    match c {
        'A'..='Z' => Some(c as u8 - b'A'),
        'a'..='z' => Some(c as u8 - b'a'),
        '2'..='7' => Some(c as u8 - b'2' + 26),
        _ => None,
    }
}

/// The plain reference decoder: the characters' bit string, cut into whole bytes.
fn reference_base32(input: &str) -> Vec<u8> {
    let bits: Vec<u8> = input
        .chars()
        .filter_map(base32_value)
        .flat_map(|v| (0..5).rev().map(move |i| (v >> i) & 1))
        .collect();
    bits.chunks_exact(8)
        .map(|byte| byte.iter().fold(0u8, |acc, bit| (acc << 1) | bit))
        .collect()
}

/// Base32 data characters of either case with white space sprinkled in and optional padding.
fn pasted_base32() -> impl Strategy<Value = (String, String)> {
    (
        "[A-Za-z2-7]{1,90}",
        proptest::collection::vec((any::<Index>(), select(vec![" ", "\t", "\n", "  "])), 0..5),
        0usize..8,
    )
        .prop_map(|(data, spaces, padding)| {
            let mut pasted = data.clone();
            for (index, space) in spaces {
                let at = index.index(pasted.len() + 1);
                pasted.insert_str(at, space);
            }
            pasted.push_str(&"=".repeat(padding));
            (data, pasted)
        })
}

proptest! {
    #![proptest_config(cases(512))]

    /// Any pasted base32 decodes to the reference bytes, or is refused for a length that
    /// cannot end on a byte; strict decoding adds only the 128-bit minimum; re-encoding gives
    /// the data characters upper-cased, with only the ignored leftover bits cleared.
    #[test]
    fn base32_decodes_like_the_reference((data, pasted) in pasted_base32()) {
        let chars = data.len();
        let decoded = TotpSecret::from_base32_allow_short(&pasted);
        if matches!(chars % 8, 1 | 3 | 6) {
            prop_assert_eq!(decoded.err(), Some(TotpError::SecretLengthInvalid { chars }));
            return Ok(());
        }
        let expected = reference_base32(&data);
        let decoded = decoded.unwrap();
        prop_assert_eq!(decoded.expose(), &expected[..]);
        match TotpSecret::from_base32(&pasted) {
            Ok(strict) => {
                prop_assert!(expected.len() >= TotpSecret::MIN_LEN);
                prop_assert_eq!(strict.expose(), &expected[..]);
            }
            Err(error) => prop_assert_eq!(error, TotpError::SecretTooShort { bits: expected.len() * 8 }),
        }
        let encoded = decoded.to_base32();
        let encoded = encoded.expose();
        let upper = data.to_ascii_uppercase();
        prop_assert_eq!(encoded.len(), chars);
        prop_assert_eq!(&encoded[..chars - 1], &upper[..chars - 1]);
        let leftover = 5 * chars - 8 * expected.len();
        let mask = !((1u8 << leftover) - 1);
        let last = |s: &str| base32_value(s.chars().last().unwrap()).unwrap();
        prop_assert_eq!(last(encoded), last(&upper) & mask);
    }

    /// A character outside the alphabet, or `=` followed by data, is reported at its byte
    /// offset, before any length check.
    #[test]
    fn base32_reports_the_first_bad_character(
        data in "[A-Za-z2-7 ]{0,40}",
        tail in "[A-Za-z2-7]{1,10}",
        bad in select(vec!['0', '1', '8', '9', '!', '-', '_', '+', '/', '.', 'é', '🔐', '\u{a0}', '=']),
        at in any::<Index>(),
    ) {
        let mut input = format!("{data}{tail}");
        let position = at.index(input.len());
        input.insert(position, bad);
        let expected = if bad == '=' {
            TotpError::SecretPaddingNotAtEnd { position }
        } else {
            TotpError::SecretNotBase32 { position }
        };
        prop_assert_eq!(TotpSecret::from_base32_allow_short(&input).err(), Some(expected));
        prop_assert_eq!(TotpSecret::from_base32(&input).err(), Some(expected));
    }
}

// ----- TOTP verify -----

/// RFC 6238 with Cognito's parameters, written here: HMAC-SHA1, dynamic truncation, 6 digits.
fn reference_totp(key: &[u8], counter: u64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
    mac.update(&counter.to_be_bytes());
    let mac = mac.finalize().into_bytes();
    let offset = usize::from(mac[19] & 0x0f);
    let bin = u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", bin % 1_000_000)
}

#[derive(Debug, Clone)]
enum CodeGuess {
    /// The reference code of the step at this offset from now.
    Step(i8),
    /// That code with one digit replaced.
    Changed(i8, Index, u8),
    /// That code with white space around it (refused: no trimming).
    Padded(i8),
    /// Anything.
    Any(String),
}

fn code_guess() -> impl Strategy<Value = CodeGuess> {
    prop_oneof![
        (-2i8..=2).prop_map(CodeGuess::Step),
        (-1i8..=1, any::<Index>(), 0u8..10).prop_map(|(o, i, d)| CodeGuess::Changed(o, i, d)),
        (-1i8..=1).prop_map(CodeGuess::Padded),
        prop_oneof!["[0-9]{6}", "[0-9]{0,9}", "\\PC{0,8}", "[０-９]{6}"].prop_map(CodeGuess::Any),
    ]
}

proptest! {
    #![proptest_config(cases(384))]

    /// `verify` accepts exactly the codes of the reference HOTP for the steps within ±1 of
    /// now (the latest fresh one wins), refuses replays, and types every other refusal.
    #[test]
    fn totp_verify_agrees_with_the_reference_window(
        key in proptest::collection::vec(any::<u8>(), 16..=40),
        now in prop_oneof![any::<u64>(), 0u64..200, (u64::MAX - 200)..=u64::MAX],
        guess in code_guess(),
        last_used in proptest::option::of(-3i64..=3),
    ) {
        let secret = TotpSecret::from_bytes(&key).unwrap();
        let counter = now / 30;
        let step_code = |offset: i8| {
            counter.checked_add_signed(i64::from(offset)).map_or_else(String::new, |c| reference_totp(&key, c))
        };
        let code = match &guess {
            CodeGuess::Step(offset) => step_code(*offset),
            CodeGuess::Changed(offset, index, digit) => {
                let mut code = step_code(*offset).into_bytes();
                if !code.is_empty() {
                    let i = index.index(code.len());
                    code[i] = b'0' + digit;
                }
                String::from_utf8(code).unwrap()
            }
            CodeGuess::Padded(offset) => format!(" {}", step_code(*offset)),
            CodeGuess::Any(code) => code.clone(),
        };
        let used = last_used.and_then(|d| counter.checked_add_signed(d)).map(TimeStep::new);
        let options = VerifyOptions::DEFAULT.with_last_used_step(used);
        let got = Totp::COGNITO.verify(&secret, &code, at(now), options);

        let expected = if code.len() != 6 {
            Err(TotpError::CodeWrongLength { len: code.len(), expected: 6 })
        } else if let Some(position) = code.bytes().position(|b| !b.is_ascii_digit()) {
            Err(TotpError::CodeNotDigit { position })
        } else {
            let window = counter.saturating_sub(1)..=counter.saturating_add(1);
            let matches: Vec<u64> = window.filter(|&c| reference_totp(&key, c) == code).collect();
            let fresh = matches.iter().copied().filter(|&c| used.is_none_or(|u| c > u.counter())).max();
            match (fresh, matches.is_empty()) {
                (Some(step), _) => Ok(TimeStep::new(step)),
                (None, false) => Err(TotpError::CodeReplayed),
                (None, true) => Err(TotpError::CodeMismatch),
            }
        };
        prop_assert_eq!(got, expected, "code {:?}", code);
    }
}
