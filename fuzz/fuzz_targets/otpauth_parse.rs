//! `OtpauthUri::parse` (strict and short-secret): no panic, and what parses survives a
//! `to_uri_string` round trip.
#![no_main]

use cognito_auth_core::OtpauthUri;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let strict = OtpauthUri::parse(data);
    let lenient = OtpauthUri::parse_allow_short_secret(data);
    if let Ok(uri) = &strict {
        assert_eq!(
            lenient.as_ref().ok(),
            Some(uri),
            "strict accepts only what lenient does"
        );
    }
    if let Ok(uri) = lenient {
        let printed = uri.to_uri_string();
        let again = OtpauthUri::parse_allow_short_secret(printed.expose())
            .unwrap_or_else(|e| panic!("own URI refused: {e:?}"));
        assert_eq!(again, uri);
        let _ = uri.to_totp();
    }
});
