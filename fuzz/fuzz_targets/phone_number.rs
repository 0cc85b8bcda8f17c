//! `PhoneNumber::parse` and `normalize`: no panic; normalize is idempotent and its output is
//! strict E.164 that `parse` accepts unchanged.
//!
//! Input: the number as typed; a first line of 1-3 ASCII digits is the default calling code
//! (`49\n030 1234567`), so the seeds are plain text.
#![no_main]

use cognito_auth_core::{CallingCode, PhoneNumber};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let (default, text) = match data.split_once('\n') {
        Some((code, rest))
            if (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (
                code.parse().ok().and_then(|c| CallingCode::new(c).ok()),
                rest,
            )
        }
        _ => (None, data),
    };
    // `parse` skips the trunk-prefix rule by design (`+440385553` parses, normalize refuses),
    // so only its own round trip is checked.
    if let Ok(parsed) = PhoneNumber::parse(text) {
        assert_eq!(PhoneNumber::parse(parsed.as_str()).as_ref(), Ok(&parsed));
    }
    if let Ok(number) = PhoneNumber::normalize(text, default) {
        let e164 = number.as_str();
        assert!(e164.starts_with('+') && e164[1..].bytes().all(|b| b.is_ascii_digit()));
        assert!(e164.len() <= 16, "E.164 has at most 15 digits: {e164}");
        assert_eq!(
            PhoneNumber::normalize(e164, default).as_ref(),
            Ok(&number),
            "normalize is idempotent"
        );
        assert_eq!(
            PhoneNumber::parse(e164).as_ref(),
            Ok(&number),
            "parse agrees"
        );
        assert!(e164.ends_with(number.national_significant_number()));
    }
});
