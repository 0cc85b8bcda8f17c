//! `TotpSecret::from_base32` (strict and short): no panic; accepted secrets round-trip through
//! `to_base32`, and raw keys through base32.
#![no_main]

use cognito_auth_core::TotpSecret;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = core::str::from_utf8(data) {
        let strict = TotpSecret::from_base32(text);
        let short = TotpSecret::from_base32_allow_short(text);
        if let Ok(secret) = &strict {
            assert_eq!(
                short.as_ref().map(|s| s.expose()).ok(),
                Some(secret.expose())
            );
        }
        if let Ok(secret) = short {
            let printed = secret.to_base32();
            let again = TotpSecret::from_base32_allow_short(printed.expose())
                .unwrap_or_else(|e| panic!("own base32 refused: {e:?}"));
            assert_eq!(again.expose(), secret.expose());
        }
    }
    if let Ok(secret) = TotpSecret::from_bytes_allow_short(data) {
        assert_eq!(secret.expose(), data);
        let again = TotpSecret::from_base32_allow_short(secret.to_base32().expose())
            .unwrap_or_else(|e| panic!("own base32 refused: {e:?}"));
        assert_eq!(again.expose(), data);
    }
});
