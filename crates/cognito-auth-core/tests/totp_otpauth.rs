//! otpauth:// URIs: round trips, what authenticator apps emit, and every malformed part.

// Helpers outside `#[test]` functions are test code too; clippy.toml only exempts the tests.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use cognito_auth_core::totp::{
    Algorithm, Digits, OtpType, OtpauthUri, OtpauthUriError, Period, TotpError, TotpSecret,
    TotpSetupDetails,
};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const COGNITO_SECRET: &str = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";

fn secret() -> TotpSecret {
    TotpSecret::from_base32(SECRET).unwrap()
}

fn parse(uri: &str) -> Result<OtpauthUri, OtpauthUriError> {
    OtpauthUri::parse(uri)
}

fn round_trip(uri: &OtpauthUri) -> OtpauthUri {
    parse(uri.to_uri_string().expose()).unwrap()
}

#[test]
fn issuers_with_spaces_colons_ampersands_and_emoji_round_trip() {
    for issuer in [
        "ACME Co",
        "Star Trek: Website",
        "Ex&Co",
        "A#B?c/d%e+f=g",
        "🔐 Vault",
        "naïve café",
        " leading and trailing ",
        ":",
        "a%3Ab",
    ] {
        for account in [
            "alice@example.com",
            "+12065551212",
            "a:b",
            "Alice Smith",
            "",
            "ü&:#",
        ] {
            let uri = OtpauthUri::totp(secret(), account).with_issuer(issuer);
            let back = round_trip(&uri);
            assert_eq!(back, uri, "{issuer:?} / {account:?}");
            assert_eq!(back.issuer(), Some(issuer));
            assert_eq!(back.account_name(), account);
        }
    }
}

#[test]
fn issuer_less_uris_round_trip_even_with_colons() {
    for account in ["alice", "a:b", ":", "a%3Ab", "x:y:z", ""] {
        let uri = OtpauthUri::totp(secret(), account);
        let back = round_trip(&uri);
        assert_eq!(back, uri, "{account:?}");
        assert_eq!(back.issuer(), None);
    }
}

#[test]
fn every_parameter_round_trips() {
    for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
        for digits in [Digits::Six, Digits::Seven, Digits::Eight] {
            for otp_type in [
                OtpType::Totp {
                    period: Period::DEFAULT,
                },
                OtpType::Totp {
                    period: Period::from_secs(1).unwrap(),
                },
                OtpType::Totp {
                    period: Period::from_secs(u64::MAX).unwrap(),
                },
                OtpType::Hotp { counter: 0 },
                OtpType::Hotp { counter: u64::MAX },
            ] {
                let uri = OtpauthUri::new(otp_type, secret(), "bob")
                    .with_issuer("Example")
                    .with_algorithm(algorithm)
                    .with_digits(digits);
                assert_eq!(round_trip(&uri), uri);
            }
        }
    }
}

#[test]
fn builds_exactly_what_the_issue_asks() {
    let uri = OtpauthUri::totp(secret(), "alice@example.com").with_issuer("ACME Co");
    assert_eq!(
        uri.to_uri_string().expose(),
        format!("otpauth://totp/ACME%20Co:alice@example.com?secret={SECRET}&issuer=ACME%20Co")
    );
    let uri = OtpauthUri::new(OtpType::Hotp { counter: 42 }, secret(), "bob")
        .with_algorithm(Algorithm::Sha256)
        .with_digits(Digits::Seven);
    assert_eq!(
        uri.to_uri_string().expose(),
        format!("otpauth://hotp/bob?secret={SECRET}&algorithm=SHA256&digits=7&counter=42")
    );
    // Padding is never written, even when the length is not a multiple of 8 characters.
    let odd = TotpSecret::from_bytes(&[0xab; 17]).unwrap();
    let text = OtpauthUri::totp(odd, "x").to_uri_string();
    assert_eq!(text.expose().matches('=').count(), 1, "{}", text.expose()); // secret=
    assert_eq!(text.expose().len(), "otpauth://totp/x?secret=".len() + 28);
}

#[test]
fn google_key_uri_format_examples() {
    let full = parse(
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ\
         &issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
    )
    .unwrap();
    assert_eq!(full.issuer(), Some("ACME Co"));
    assert_eq!(full.account_name(), "john.doe@email.com");
    assert_eq!(full.to_totp(), Some(cognito_auth_core::totp::Totp::COGNITO));
    // The defaults are not written back.
    assert_eq!(
        full.to_uri_string().expose(),
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co"
    );

    let encoded_separator = OtpauthUri::parse_allow_short_secret(
        "otpauth://totp/Big%20Corporation%3A%20alice%40bigco.com?secret=JBSWY3DPEHPK3PXP",
    )
    .unwrap();
    assert_eq!(encoded_separator.issuer(), Some("Big Corporation"));
    assert_eq!(encoded_separator.account_name(), "alice@bigco.com");

    let spaced = OtpauthUri::parse_allow_short_secret(
        "otpauth://totp/Provider1:%20%20Alice%20Smith?secret=JBSWY3DPEHPK3PXP",
    )
    .unwrap();
    assert_eq!(spaced.issuer(), Some("Provider1"));
    assert_eq!(spaced.account_name(), "Alice Smith");
}

#[test]
fn amplify_outputs_parse() {
    let s = COGNITO_SECRET;
    // amplify-android / swift: no encoding at all.
    let raw = parse(&format!(
        "otpauth://totp/My App:alice@example.com?secret={s}&issuer=My App"
    ))
    .unwrap();
    assert_eq!(
        (raw.issuer(), raw.account_name()),
        (Some("My App"), "alice@example.com")
    );
    let phone = parse(&format!(
        "otpauth://totp/MyApp:+12065551212?secret={s}&issuer=MyApp"
    ))
    .unwrap();
    assert_eq!(phone.account_name(), "+12065551212");
    // Raw non-ASCII.
    let accent = parse(&format!("otpauth://totp/Café:zoë?secret={s}&issuer=Café")).unwrap();
    assert_eq!(
        (accent.issuer(), accent.account_name()),
        (Some("Café"), "zoë")
    );
    // `Ex&Co` raw in the query: the parameter (truncated to "Ex") wins, "Co" is ignored.
    let ampersand = parse(&format!("otpauth://totp/Ex&Co:bob?secret={s}&issuer=Ex&Co")).unwrap();
    assert_eq!(
        (ampersand.issuer(), ampersand.account_name()),
        (Some("Ex"), "bob")
    );
    // Account names with a colon after an issuer prefix keep it.
    let colon = parse(&format!("otpauth://totp/MyApp:a:b?secret={s}&issuer=MyApp")).unwrap();
    assert_eq!(colon.account_name(), "a:b");
    // Amplify's percent-encoded spaces, and our own output for the same inputs.
    let setup = TotpSetupDetails::new(s, "alice").unwrap();
    let ours = parse(
        setup
            .setup_uri("My App", Some("alice@example.com"))
            .expose(),
    )
    .unwrap();
    assert_eq!(ours, raw);
    assert_eq!(
        parse(&format!(
            "otpauth://totp/My%20App:alice@example.com?secret={s}&issuer=My%20App"
        ))
        .unwrap(),
        raw
    );
}

#[test]
fn issuer_parameter_wins_over_the_label_prefix() {
    let uri = parse(&format!(
        "otpauth://totp/Old:alice?secret={SECRET}&issuer=New"
    ))
    .unwrap();
    assert_eq!(uri.issuer(), Some("New"));
    assert_eq!(uri.account_name(), "alice");
    // Only a prefix: it is the issuer.
    let prefix = parse(&format!("otpauth://totp/Old:alice?secret={SECRET}")).unwrap();
    assert_eq!(prefix.issuer(), Some("Old"));
    // Only the parameter.
    let param = parse(&format!("otpauth://totp/alice?secret={SECRET}&issuer=New")).unwrap();
    assert_eq!(param.issuer(), Some("New"));
    // An empty parameter is no parameter.
    let empty = parse(&format!("otpauth://totp/Old:alice?secret={SECRET}&issuer=")).unwrap();
    assert_eq!(empty.issuer(), Some("Old"));
    // Rebuilt, the winner is in both places.
    assert!(
        uri.to_uri_string()
            .expose()
            .starts_with("otpauth://totp/New:alice?")
    );
}

#[test]
fn lenient_where_apps_are() {
    let base = format!("otpauth://totp/alice?secret={SECRET}");
    // Scheme and type in any case, white space around the URI, a fragment.
    for uri in [
        format!("OTPAUTH://TOTP/alice?secret={SECRET}"),
        format!("  {base}\n"),
        format!("{base}#fragment&secret=ignored"),
        format!("{base}&image=https%3A%2F%2Fexample.com%2Flogo.png&image=twice&color=%ZZ"),
        format!("{base}&&"),
        format!("{base}&counter=notanumber"), // counter means nothing for totp
    ] {
        let parsed = parse(&uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
        assert_eq!(parsed.account_name(), "alice", "{uri}");
    }
    // Secrets as users paste them; algorithms in any case.
    let lower = parse(
        "otpauth://totp/a?secret=gezd%20gnbv%20gy3t%20qojq%20gezd%20gnbv%20gy3t%20qojq&algorithm=sha256",
    )
    .unwrap();
    assert_eq!(lower.secret(), &secret());
    assert_eq!(lower.algorithm(), Algorithm::Sha256);
    let padded = parse(&format!("otpauth://totp/a?secret={COGNITO_SECRET}====")).unwrap();
    assert_eq!(padded.secret().len(), 32);
    // No label at all.
    let bare = parse(&format!("otpauth://totp?secret={SECRET}")).unwrap();
    assert_eq!(bare.account_name(), "");
    // A period on an hotp URI is ignored.
    let hotp = parse(&format!(
        "otpauth://hotp/a?secret={SECRET}&counter=5&period=0"
    ))
    .unwrap();
    assert_eq!(hotp.otp_type(), OtpType::Hotp { counter: 5 });
}

#[test]
fn non_default_parameters_are_read() {
    let uri = parse(&format!(
        "otpauth://totp/a?period=60&digits=8&algorithm=SHA512&secret={SECRET}"
    ))
    .unwrap();
    assert_eq!(uri.algorithm(), Algorithm::Sha512);
    assert_eq!(uri.digits(), Digits::Eight);
    assert_eq!(
        uri.otp_type(),
        OtpType::Totp {
            period: Period::from_secs(60).unwrap()
        }
    );
    let totp = uri.to_totp().unwrap();
    assert_eq!(totp.period().as_secs(), 60);
}

#[test]
fn short_secrets_need_the_opt_in() {
    let uri = "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";
    assert_eq!(
        parse(uri),
        Err(OtpauthUriError::Secret(TotpError::SecretTooShort {
            bits: 80
        }))
    );
    assert_eq!(
        OtpauthUri::parse_allow_short_secret(uri)
            .unwrap()
            .secret()
            .len(),
        10
    );
    assert_eq!(
        OtpauthUri::parse_allow_short_secret("otpauth://totp/a?secret="),
        Err(OtpauthUriError::Secret(TotpError::SecretEmpty))
    );
}

/// One malformed URI for every variant of `OtpauthUriError`.
#[test]
fn every_error_variant() {
    let s = SECRET;
    let cases: Vec<(String, OtpauthUriError)> = vec![
        (
            "https://example.com/?secret=X".into(),
            OtpauthUriError::SchemeNotOtpauth,
        ),
        (
            "otpauth:/totp/a?secret=X".into(),
            OtpauthUriError::SchemeNotOtpauth,
        ),
        ("otpauth".into(), OtpauthUriError::SchemeNotOtpauth),
        ("".into(), OtpauthUriError::SchemeNotOtpauth),
        (
            format!("otpauth://motp/a?secret={s}"),
            OtpauthUriError::TypeNotTotpOrHotp,
        ),
        (
            format!("otpauth:///a?secret={s}"),
            OtpauthUriError::TypeNotTotpOrHotp,
        ),
        (
            format!("otpauth://totpx/a?secret={s}"),
            OtpauthUriError::TypeNotTotpOrHotp,
        ),
        (
            format!("otpauth://totp/MyApp:50%off?secret={s}"),
            OtpauthUriError::PercentEncodingInvalid { position: 23 },
        ),
        (
            format!("otpauth://totp/a?secret={s}&issuer=%4"),
            OtpauthUriError::PercentEncodingInvalid { position: 64 },
        ),
        (
            format!("otpauth://totp/%FF?secret={s}"),
            OtpauthUriError::NotUtf8 { position: 15 },
        ),
        (
            format!("otpauth://totp/a?secret={s}&issuer=%C3%28"),
            OtpauthUriError::NotUtf8 { position: 64 },
        ),
        ("otpauth://totp/a".into(), OtpauthUriError::SecretMissing),
        (
            "otpauth://totp/a?issuer=X&secretx=ABC".into(),
            OtpauthUriError::SecretMissing,
        ),
        (
            "otpauth://totp/a?secret=GEZDGNBVGY3TQOJ1".into(),
            OtpauthUriError::Secret(TotpError::SecretNotBase32 { position: 15 }),
        ),
        (
            "otpauth://totp/a?secret=".into(),
            OtpauthUriError::Secret(TotpError::SecretEmpty),
        ),
        (
            "otpauth://totp/a?secret=ABC".into(),
            OtpauthUriError::Secret(TotpError::SecretLengthInvalid { chars: 3 }),
        ),
        (
            format!("otpauth://totp/a?secret={s}&algorithm=MD5"),
            OtpauthUriError::AlgorithmUnsupported,
        ),
        (
            format!("otpauth://totp/a?secret={s}&algorithm="),
            OtpauthUriError::AlgorithmUnsupported,
        ),
        (
            format!("otpauth://totp/a?secret={s}&digits=9"),
            OtpauthUriError::DigitsInvalid,
        ),
        (
            format!("otpauth://totp/a?secret={s}&digits=5"),
            OtpauthUriError::DigitsInvalid,
        ),
        (
            format!("otpauth://totp/a?secret={s}&digits=six"),
            OtpauthUriError::DigitsInvalid,
        ),
        (
            format!("otpauth://totp/a?secret={s}&digits=4294967302"),
            OtpauthUriError::DigitsInvalid,
        ),
        (
            format!("otpauth://totp/a?secret={s}&period=0"),
            OtpauthUriError::PeriodInvalid,
        ),
        (
            format!("otpauth://totp/a?secret={s}&period=-30"),
            OtpauthUriError::PeriodInvalid,
        ),
        (
            format!("otpauth://totp/a?secret={s}&period=+30"),
            OtpauthUriError::PeriodInvalid,
        ),
        (
            format!("otpauth://totp/a?secret={s}&period="),
            OtpauthUriError::PeriodInvalid,
        ),
        (
            format!("otpauth://hotp/a?secret={s}&counter=18446744073709551616"),
            OtpauthUriError::CounterInvalid,
        ),
        (
            format!("otpauth://hotp/a?secret={s}&counter=1.5"),
            OtpauthUriError::CounterInvalid,
        ),
        (
            format!("otpauth://hotp/a?secret={s}"),
            OtpauthUriError::CounterMissing,
        ),
        (
            format!("otpauth://totp/a?secret={s}&secret={s}"),
            OtpauthUriError::DuplicateParameter { name: "secret" },
        ),
        (
            format!("otpauth://totp/a?secret={s}&issuer=A&issuer=B"),
            OtpauthUriError::DuplicateParameter { name: "issuer" },
        ),
        (
            format!("otpauth://totp/a?secret={s}&algorithm=SHA1&algorithm=SHA1"),
            OtpauthUriError::DuplicateParameter { name: "algorithm" },
        ),
        (
            format!("otpauth://totp/a?secret={s}&digits=6&digits=8"),
            OtpauthUriError::DuplicateParameter { name: "digits" },
        ),
        (
            format!("otpauth://totp/a?secret={s}&period=30&period=60"),
            OtpauthUriError::DuplicateParameter { name: "period" },
        ),
        (
            format!("otpauth://hotp/a?secret={s}&counter=1&counter=2"),
            OtpauthUriError::DuplicateParameter { name: "counter" },
        ),
    ];
    for (uri, want) in cases {
        assert_eq!(parse(&uri), Err(want), "{uri}");
        // Messages never contain the secret.
        let message = want.to_string();
        assert!(!message.contains(SECRET), "{message}");
        assert!(!message.is_empty());
    }
}

#[test]
fn error_positions_count_leading_white_space() {
    assert_eq!(
        parse(&format!("  otpauth://totp/50%off?secret={SECRET}")),
        Err(OtpauthUriError::PercentEncodingInvalid { position: 19 })
    );
}

#[test]
fn the_secret_error_is_the_source() {
    use core::error::Error as _;
    let error = parse("otpauth://totp/a?secret=1").unwrap_err();
    let source = error.source().map(ToString::to_string);
    assert_eq!(
        source,
        Some(TotpError::SecretNotBase32 { position: 0 }.to_string())
    );
    assert!(OtpauthUriError::SecretMissing.source().is_none());
}

#[test]
fn debug_output_hides_the_secret() {
    let uri = parse(&format!("otpauth://totp/Example:alice?secret={SECRET}")).unwrap();
    let debug = format!("{uri:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    let setup = TotpSetupDetails::new(COGNITO_SECRET, "alice").unwrap();
    let debug = format!("{setup:?} {:?}", setup.setup_uri("App", None));
    assert!(!debug.contains(&COGNITO_SECRET[..8]), "{debug}");
}
