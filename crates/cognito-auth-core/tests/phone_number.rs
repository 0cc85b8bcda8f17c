//! E.164 parsing and normalisation: every rule, every error variant, and properties.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_core::phone_number::{CallingCode, PhoneNumber, PhoneNumberError as E};
use proptest::prelude::*;

fn parse(input: &str) -> Result<String, E> {
    PhoneNumber::parse(input).map(String::from)
}

fn normalize(input: &str) -> Result<String, E> {
    PhoneNumber::normalize(input, None).map(String::from)
}

fn normalize_in(input: &str, default: u16) -> Result<String, E> {
    let code = CallingCode::new(default).unwrap();
    PhoneNumber::normalize(input, Some(code)).map(String::from)
}

fn ok(number: &str) -> Result<String, E> {
    Ok(number.to_owned())
}

#[test]
fn accepts_e164_numbers_of_every_code_size() {
    for (number, code, national) in [
        ("+12065551212", 1, "2065551212"),   // US
        ("+14325551212", 1, "4325551212"),   // US, the AWS docs' example
        ("+12423570000", 1, "2423570000"),   // Bahamas shares +1
        ("+79123456789", 7, "9123456789"),   // Russia
        ("+77012345678", 7, "7012345678"),   // Kazakhstan shares +7
        ("+442071838750", 44, "2071838750"), // UK landline
        ("+447911123456", 44, "7911123456"), // UK mobile
        ("+33612345678", 33, "612345678"),
        ("+919876543210", 91, "9876543210"),
        ("+8613800138000", 86, "13800138000"),
        ("+5511987654321", 55, "11987654321"),
        ("+3541234567", 354, "1234567"), // Iceland, 3-digit code
        ("+8801712345678", 880, "1712345678"), // Bangladesh
        ("+38344123456", 383, "44123456"), // Kosovo, the newest code
        ("+80012345678", 800, "12345678"), // non-geographic freephone
        ("+979123456789", 979, "123456789"), // non-geographic premium
    ] {
        let parsed = PhoneNumber::parse(number).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert_eq!(parsed.as_str(), number);
        assert_eq!(parsed.country_calling_code(), code, "{number}");
        assert_eq!(parsed.calling_code().get(), code, "{number}");
        assert_eq!(parsed.national_significant_number(), national, "{number}");
        assert_eq!(PhoneNumber::normalize(number, None), Ok(parsed));
    }
}

#[test]
fn germany_has_national_numbers_of_4_to_13_digits() {
    // DE national numbers run from 4 to 15 digits in libphonenumber; E.164 stops at 15 in all.
    assert_eq!(
        parse("+49401"),
        Err(E::NationalNumberTooShort {
            calling_code: 49,
            len: 3,
            min: 4
        })
    );
    for national in [
        "4012",
        "30123456",
        "301234567",
        "15123456789",
        "1234567890123",
    ] {
        let number = format!("+49{national}");
        assert_eq!(parse(&number), Ok(number.clone()));
    }
    assert_eq!(parse("+4930123456789012"), Err(E::TooLong { digits: 16 }));
    assert_eq!(parse("+49123456789012"), Ok("+49123456789012".to_owned()));
}

#[test]
fn italy_keeps_leading_zeros() {
    // Italian landlines start with 0 after +39: no trunk prefix there.
    assert_eq!(parse("+390669812345"), ok("+390669812345"));
    assert_eq!(normalize("+39 06 6981 2345"), ok("+390669812345"));
    assert_eq!(normalize_in("06 6981 2345", 39), ok("+390669812345"));
    assert_eq!(
        PhoneNumber::parse("+390669812345")
            .unwrap()
            .national_significant_number(),
        "0669812345"
    );
}

#[test]
fn normalize_drops_formatting() {
    for input in [
        "+1 (206) 555-1212",
        "+1 206.555.1212",
        " +12065551212 ",
        "+1-206-555-1212",
        "+1\u{a0}206\u{a0}555\u{a0}1212",  // no-break spaces
        "+1 206 555 1212\u{200b}",         // zero-width space
        "\u{2066}+1 206 555 1212\u{2069}", // bidi isolate, as RTL text wraps numbers
        "\u{200e}+1\u{2011}206\u{2011}555\u{2011}1212", // LRM, non-breaking hyphens
        "+1/206/555/1212",
        "[+1] 206 555 1212",
        "(+1) 206 555 1212",
        "+1\t206\n555\r\n1212",
        "+1\u{3000}206\u{2212}555\u{2013}1212", // ideographic space, minus, en dash
    ] {
        assert_eq!(normalize(input), ok("+12065551212"), "{input:?}");
    }
    assert_eq!(normalize("+81 90ー1234ー5678"), ok("+819012345678")); // katakana dash
}

#[test]
fn normalize_reads_full_width_and_arabic_indic_digits() {
    assert_eq!(
        normalize(
            "\u{ff0b}\u{ff11}\u{ff12}\u{ff10}\u{ff16}\u{ff15}\u{ff15}\u{ff15}\u{ff11}\u{ff12}\u{ff11}\u{ff12}"
        ),
        ok("+12065551212")
    );
    assert_eq!(
        normalize("（＋４４）７９１１－１２３４５６"),
        ok("+447911123456")
    );
    assert_eq!(normalize("+١٢٠٦٥٥٥١٢١٢"), ok("+12065551212")); // Arabic-Indic
    assert_eq!(normalize("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹"), ok("+989123456789")); // Persian
    assert_eq!(normalize_in("٠٧٩١١ ١٢٣٤٥٦", 44), ok("+447911123456"));
    // Strict parsing wants ASCII.
    assert_eq!(
        parse("+１2065551212"),
        Err(E::InvalidCharacter {
            position: 1,
            character: '１'
        })
    );
    assert_eq!(
        parse("\u{ff0b}12065551212"),
        Err(E::InvalidCharacter {
            position: 0,
            character: '\u{ff0b}'
        })
    );
}

#[test]
fn double_zero_is_the_international_prefix() {
    assert_eq!(normalize("0012065551212"), ok("+12065551212"));
    assert_eq!(normalize("00 44 7911 123456"), ok("+447911123456"));
    assert_eq!(normalize("0049 30 1234567"), ok("+49301234567"));
    // 00 wins over a default calling code; + ignores it.
    assert_eq!(normalize_in("0044 7911 123456", 1), ok("+447911123456"));
    assert_eq!(normalize_in("+44 7911 123456", 1), ok("+447911123456"));
    // Other international prefixes are not guessed.
    assert_eq!(normalize("01144 7911 123456"), Err(E::MissingCallingCode));
    assert_eq!(normalize("00"), Err(E::CallingCodeIncomplete));
    assert_eq!(normalize("000 44 7911"), Err(E::CallingCodeStartsWithZero));
}

#[test]
fn default_calling_code_reads_national_format() {
    assert_eq!(normalize_in("(206) 555-1212", 1), ok("+12065551212"));
    assert_eq!(normalize_in("1 206 555 1212", 1), ok("+12065551212")); // NANP trunk 1
    assert_eq!(normalize_in("07911 123456", 44), ok("+447911123456")); // trunk 0
    assert_eq!(normalize_in("44 7911 123456", 44), ok("+447911123456")); // code without +
    assert_eq!(normalize_in("7911 123456", 44), ok("+447911123456"));
    assert_eq!(normalize_in("030 1234567", 49), ok("+49301234567"));
    assert_eq!(normalize_in("8 912 345-67-89", 7), ok("+79123456789")); // Russian trunk 8
    assert_eq!(normalize_in("06 30 123 4567", 36), ok("+36301234567")); // Hungarian trunk 06
    assert_eq!(normalize_in("090-1234-5678", 81), ok("+819012345678")); // Japanese mobile
    assert_eq!(normalize_in("010-1234-5678", 82), ok("+821012345678")); // Korean mobile
    // Refused as typed and after dropping the trunk 0: the error of the stripped number.
    assert_eq!(
        normalize_in("0", 44),
        Err(E::NationalNumberTooShort {
            calling_code: 44,
            len: 0,
            min: 7
        })
    );
    // Refused whichever way it is read: the error of the number as typed.
    assert_eq!(
        normalize_in("555 12", 1),
        Err(E::NationalNumberTooShort {
            calling_code: 1,
            len: 5,
            min: 7
        })
    );
}

#[test]
fn trunk_prefix_after_calling_code_is_refused_where_it_can_only_be_a_mistake() {
    for (input, calling_code) in [
        ("+44 07911 123456", 44),
        ("+44 (0)20 7183 8750", 44),
        ("+49 015123456789", 49),
        ("+49 030 1234567", 49),
        ("+33 06 12 34 56 78", 33),
        ("+81 090 1234 5678", 81), // JP numbers start with 0 only as 00…
        ("+82 010 1234 5678", 82), // KR likewise
        ("+91 098765 43210", 91),
        ("+250 07 8123 4567", 250), // Rwanda: 06… is a real range, 07… is not
        ("+44 0", 44),
    ] {
        assert_eq!(
            normalize(input),
            Err(E::TrunkPrefix { calling_code }),
            "{input}"
        );
    }
    // National numbers that really start with 0 pass.
    assert_eq!(normalize("+81 00777 012 345"), ok("+8100777012345")); // JP toll-free
    assert_eq!(normalize("+250 06 1234 567"), ok("+250061234567")); // RW fixed line
    assert_eq!(normalize("+47 02 123 456"), ok("+4702123456")); // Norway: no trunk prefix
    assert_eq!(normalize("+225 07 12 34 56 78"), ok("+2250712345678")); // Côte d'Ivoire
    // Strict parsing checks shape only: a value Cognito holds this way still parses.
    assert_eq!(parse("+49030123456"), ok("+49030123456"));
}

#[test]
fn every_error_variant() {
    let long_40 = format!("+{}", "1234567890".repeat(4));
    let cases: Vec<(&str, Result<String, E>, E)> = vec![
        ("parse empty", parse(""), E::Empty),
        ("normalize empty", normalize(""), E::Empty),
        ("only separators", normalize(" ( ) - . "), E::Empty),
        ("no plus", parse("12065551212"), E::MissingPlus),
        (
            "no calling code",
            normalize("(206) 555-1212"),
            E::MissingCallingCode,
        ),
        (
            "national UK",
            normalize("07911 123456"),
            E::MissingCallingCode,
        ),
        (
            "double plus",
            normalize("++12065551212"),
            E::MisplacedPlus { position: 1 },
        ),
        (
            "plus inside",
            parse("+1206+5551212"),
            E::MisplacedPlus { position: 5 },
        ),
        (
            "00 then plus",
            normalize("00+447911123456"),
            E::MisplacedPlus { position: 2 },
        ),
        (
            "full-width plus inside",
            normalize("+1 206＋5551212"),
            E::MisplacedPlus { position: 6 },
        ),
        (
            "vanity",
            normalize("+1-800-FLOWERS"),
            E::Letter {
                position: 7,
                character: 'F',
            },
        ),
        (
            "typo O",
            parse("+1206555O212"),
            E::Letter {
                position: 8,
                character: 'O',
            },
        ),
        (
            "tel uri",
            normalize("tel:+1-206-555-1212"),
            E::Letter {
                position: 0,
                character: 't',
            },
        ),
        (
            "cyrillic",
            normalize("+7 912 З45 67 89"),
            E::Letter {
                position: 7,
                character: 'З',
            },
        ),
        (
            "ext.",
            normalize("+1 206 555 1212 ext. 123"),
            E::Extension { position: 16 },
        ),
        (
            "x",
            normalize("+1 206 555 1212 x123"),
            E::Extension { position: 16 },
        ),
        (
            ";ext=",
            parse("+12065551212;ext=123"),
            E::Extension { position: 12 },
        ),
        (
            "#",
            normalize("+12065551212#123"),
            E::Extension { position: 12 },
        ),
        (
            "pause",
            normalize("+12065551212,,123"),
            E::Extension { position: 12 },
        ),
        (
            "space in strict",
            parse("+1 2065551212"),
            E::InvalidCharacter {
                position: 2,
                character: ' ',
            },
        ),
        (
            "dash in strict",
            parse("+1-2065551212"),
            E::InvalidCharacter {
                position: 2,
                character: '-',
            },
        ),
        (
            "star",
            normalize("+1*206"),
            E::InvalidCharacter {
                position: 2,
                character: '*',
            },
        ),
        (
            "emoji",
            normalize("+1 📞 206"),
            E::InvalidCharacter {
                position: 3,
                character: '📞',
            },
        ),
        (
            "devanagari digit",
            normalize("+९१"),
            E::InvalidCharacter {
                position: 1,
                character: '९',
            },
        ),
        (
            "lone #",
            normalize("+12065551212#"),
            E::InvalidCharacter {
                position: 12,
                character: '#',
            },
        ),
        ("lone plus", parse("+"), E::CallingCodeIncomplete),
        (
            "lone plus, lenient",
            normalize(" + "),
            E::CallingCodeIncomplete,
        ),
        ("+4", parse("+4"), E::CallingCodeIncomplete),
        ("+42", parse("+42"), E::CallingCodeIncomplete),
        ("+0", parse("+0123456789"), E::CallingCodeStartsWithZero),
        (
            "+ and 00",
            normalize("+0012065551212"),
            E::CallingCodeStartsWithZero,
        ),
        (
            "+999",
            parse("+999123456789"),
            E::UnknownCallingCode { code: 999 },
        ),
        (
            "+388",
            parse("+3881234567"),
            E::UnknownCallingCode { code: 388 },
        ),
        (
            "+210",
            parse("+2101234567"),
            E::UnknownCallingCode { code: 210 },
        ),
        ("+28", parse("+28"), E::UnknownCallingCode { code: 28 }),
        (
            "+801",
            normalize("+801 123 4567"),
            E::UnknownCallingCode { code: 801 },
        ),
        (
            "16 digits",
            parse("+1234567890123456"),
            E::TooLong { digits: 16 },
        ),
        ("40 digits", parse(&long_40), E::TooLong { digits: 40 }),
        (
            "40 digits, lenient",
            normalize(&long_40),
            E::TooLong { digits: 40 },
        ),
        (
            "trunk 0",
            normalize("+44 07911 123456"),
            E::TrunkPrefix { calling_code: 44 },
        ),
        (
            "short",
            parse("+1206555"),
            E::NationalNumberTooShort {
                calling_code: 1,
                len: 6,
                min: 7,
            },
        ),
        (
            "code only",
            parse("+1"),
            E::NationalNumberTooShort {
                calling_code: 1,
                len: 0,
                min: 7,
            },
        ),
        (
            "+44 only",
            parse("+44"),
            E::NationalNumberTooShort {
                calling_code: 44,
                len: 0,
                min: 7,
            },
        ),
        (
            "long",
            parse("+1206555121212"),
            E::NationalNumberTooLong {
                calling_code: 1,
                len: 12,
                max: 10,
            },
        ),
        (
            "+7 with trunk 8",
            normalize("+7 8 912 345 67 89"),
            E::NationalNumberLengthInvalid {
                calling_code: 7,
                len: 11,
            },
        ),
        (
            "+1 with 9",
            parse("+1206555121"),
            E::NationalNumberLengthInvalid {
                calling_code: 1,
                len: 9,
            },
        ),
    ];
    for (name, got, want) in cases {
        assert_eq!(got, Err(want), "{name}");
        assert!(!want.to_string().is_empty());
    }
    assert_eq!(
        CallingCode::new(999),
        Err(E::UnknownCallingCode { code: 999 })
    );
    assert_eq!(CallingCode::new(0), Err(E::UnknownCallingCode { code: 0 }));
    assert_eq!(
        CallingCode::try_from(1000),
        Err(E::UnknownCallingCode { code: 1000 })
    );
}

#[test]
fn huge_inputs_are_refused_without_trouble() {
    let digits = "9".repeat(10 * 1024 * 1024);
    let plus = format!("+1{digits}");
    assert_eq!(
        parse(&plus),
        Err(E::TooLong {
            digits: digits.len() + 1
        })
    );
    assert_eq!(
        normalize(&plus),
        Err(E::TooLong {
            digits: digits.len() + 1
        })
    );
    assert_eq!(
        normalize_in(&digits, 44),
        Err(E::TooLong {
            digits: digits.len() + 2
        })
    );
    let spaces = format!("+1{}", " ".repeat(10 * 1024 * 1024));
    assert_eq!(
        normalize(&spaces),
        Err(E::NationalNumberTooShort {
            calling_code: 1,
            len: 0,
            min: 7
        })
    );
}

#[test]
fn error_messages() {
    let cases = [
        (E::Empty, "phone number is empty"),
        (
            E::MissingPlus,
            "phone number must start with + and the country calling code, like +12065551212",
        ),
        (
            E::MisplacedPlus { position: 5 },
            "phone number has a + at byte 5; + may only start the number",
        ),
        (
            E::Letter {
                position: 7,
                character: 'F',
            },
            "phone number has the letter 'F' at byte 7; use digits only",
        ),
        (
            E::UnknownCallingCode { code: 999 },
            "+999 is not an assigned country calling code",
        ),
        (
            E::TooLong { digits: 16 },
            "phone number has 16 digits; E.164 allows at most 15",
        ),
        (
            E::TrunkPrefix { calling_code: 44 },
            "phone number has a trunk prefix 0 after +44; drop that 0",
        ),
        (
            E::NationalNumberLengthInvalid {
                calling_code: 7,
                len: 11,
            },
            "phone number has 11 digits after +7; numbers there have 10 or 14 digits",
        ),
        (
            E::NationalNumberLengthInvalid {
                calling_code: 44,
                len: 8,
            },
            "phone number has 8 digits after +44; numbers there have 7, 9 or 10 digits",
        ),
        (
            E::NationalNumberLengthInvalid {
                calling_code: 999,
                len: 8,
            },
            "phone number has 8 digits after +999",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message);
    }
    let wrapped: cognito_auth_core::Error = E::Empty.into();
    assert_eq!(wrapped, cognito_auth_core::Error::PhoneNumber(E::Empty));
}

#[test]
fn phone_number_api() {
    let number: PhoneNumber = "+447911123456".parse().unwrap();
    assert_eq!(number.to_string(), "+447911123456");
    assert_eq!(number.as_ref(), "+447911123456");
    assert_eq!(number.calling_code(), CallingCode::new(44).unwrap());
    assert_eq!(number.calling_code().regions(), ["GB", "GG", "IM", "JE"]);
    assert_eq!(String::from(number.clone()), "+447911123456");
    assert!(number < "+447911123457".parse().unwrap());
    assert_eq!(
        format!("{:?}", CallingCode::new(44).unwrap()),
        "CallingCode(44)"
    );
    assert_eq!(u16::from(CallingCode::new(880).unwrap()), 880);
    assert_eq!(CallingCode::new(800).unwrap().regions(), ["001"]);
    let codes: Vec<u16> = CallingCode::all().map(CallingCode::get).collect();
    assert_eq!(codes.len(), 215);
    assert!(codes.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        CallingCode::new(1)
            .unwrap()
            .national_number_lengths()
            .collect::<Vec<_>>(),
        [7, 10]
    );
}

/// A valid number for a random calling code and allowed length, national number not
/// starting with 0 (so the trunk-prefix rule never applies).
fn valid_number() -> impl Strategy<Value = String> {
    let codes: Vec<CallingCode> = CallingCode::all().collect();
    (
        proptest::sample::select(codes),
        any::<proptest::sample::Index>(),
        "[1-9][0-9]{16}",
    )
        .prop_map(|(code, index, digits)| {
            let lengths: Vec<usize> = code.national_number_lengths().collect();
            let len = lengths[index.index(lengths.len())];
            format!("+{}{}", code.get(), &digits[..len])
        })
}

/// Inputs made of the characters the normaliser cares about, so that many of them are valid.
fn phone_like() -> impl Strategy<Value = String> {
    "[ +0-9()\\-.\u{ff10}-\u{ff19}\u{0660}-\u{0669}\u{06f0}-\u{06f9}\u{ff0b}\u{a0}x#;a]{0,24}"
}

fn default_code() -> impl Strategy<Value = Option<CallingCode>> {
    let codes: Vec<CallingCode> = CallingCode::all().collect();
    proptest::option::of(proptest::sample::select(codes))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_input_panics(input in any::<String>(), default in default_code()) {
        let _ = PhoneNumber::parse(&input);
        let _ = PhoneNumber::normalize(&input, default);
        let _ = PhoneNumber::normalize(&input, None);
    }

    #[test]
    fn normalize_is_idempotent_and_parses(
        input in prop_oneof![phone_like(), valid_number(), any::<String>()],
        default in default_code(),
    ) {
        if let Ok(number) = PhoneNumber::normalize(&input, default) {
            prop_assert_eq!(PhoneNumber::normalize(number.as_str(), None), Ok(number.clone()));
            prop_assert_eq!(PhoneNumber::normalize(number.as_str(), default), Ok(number.clone()));
            prop_assert_eq!(PhoneNumber::parse(number.as_str()), Ok(number.clone()));
            let rebuilt = format!("+{}{}", number.country_calling_code(), number.national_significant_number());
            prop_assert_eq!(rebuilt.as_str(), number.as_str());
            prop_assert!(number.as_str().len() <= 1 + PhoneNumber::MAX_DIGITS);
        }
    }

    #[test]
    fn valid_numbers_parse_and_survive_formatting(
        number in valid_number(),
        separators in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("-"), Just("."), Just("\u{a0}")], 16),
    ) {
        let parsed = PhoneNumber::parse(&number);
        prop_assert!(parsed.is_ok(), "{}: {:?}", number, parsed);
        let mut formatted = String::from("+");
        for (digit, separator) in number[1..].chars().zip(&separators) {
            formatted.push(digit);
            formatted.push_str(separator);
        }
        prop_assert_eq!(PhoneNumber::normalize(&formatted, None), parsed.clone());
        let international = format!("00{}", &number[1..]);
        prop_assert_eq!(PhoneNumber::normalize(&international, None), parsed);
    }

    #[test]
    fn parse_accepts_only_plus_and_ascii_digits(input in any::<String>()) {
        if let Ok(number) = PhoneNumber::parse(&input) {
            prop_assert_eq!(number.as_str(), input.as_str());
            prop_assert!(input.starts_with('+') && input[1..].bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
