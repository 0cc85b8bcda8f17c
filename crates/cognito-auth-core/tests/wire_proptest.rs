//! Property tests of `UserPoolId::parse` and `Endpoint::for_user_pool` (examples in
//! `wire_endpoint.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use cognito_auth_testkit::proptest_fixtures;

use cognito_auth_core::wire::Endpoint;
use cognito_auth_core::{UserPoolId, UserPoolIdError};
use proptest::prelude::*;

use proptest_fixtures::*;

/// `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters (ASCII `\w`), split at the last `_`.
fn reference_pool_id(id: &str) -> Option<(&str, &str)> {
    if id.is_empty() || id.len() > 55 {
        return None;
    }
    let (region, name) = id.rsplit_once('_')?;
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric());
    (region_ok && name_ok).then_some((region, name))
}

/// A region `Endpoint::for_region` takes: lower-case letters, digits, inner hyphens, ≤ 32.
fn region_has_endpoint(region: &str) -> bool {
    let bytes = region.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 32
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

proptest! {
    #![proptest_config(cases(1024))]

    /// `UserPoolId::parse` accepts exactly Cognito's pattern, splits at the last `_`, and
    /// refuses everything else with the error for the first problem (an invalid character at
    /// its byte offset, on a character boundary); the endpoint exists for DNS-like regions.
    #[test]
    fn user_pool_ids_follow_cognitos_pattern(id in prop_oneof![
        "[a-z]{2}(-[a-z]{3,9}){1,2}-[0-9]_[A-Za-z0-9]{1,12}",
        "[A-Za-z0-9_-]{0,12}_[A-Za-z0-9]{0,12}",
        "[A-Za-z0-9_ é.-]{0,60}",
        any::<String>(),
    ]) {
        let parsed = UserPoolId::parse(&id);
        let expected = reference_pool_id(&id);
        match (&parsed, expected) {
            (Ok(pool), Some((region, name))) => {
                prop_assert_eq!(pool.as_str(), id.as_str());
                prop_assert_eq!(pool.region(), region);
                prop_assert_eq!(pool.pool_name(), name);
                prop_assert_eq!(pool.to_string(), id.clone());
                let endpoint = Endpoint::for_user_pool(pool);
                prop_assert_eq!(endpoint.is_ok(), region_has_endpoint(region));
                if let Ok(endpoint) = endpoint {
                    let url = format!("https://cognito-idp.{}.amazonaws.com", region);
                    prop_assert!(endpoint.as_str().starts_with(&url));
                }
            }
            (Err(error), None) => {
                let expected_kind = match error {
                    UserPoolIdError::Empty => id.is_empty(),
                    UserPoolIdError::TooLong { len } => *len == id.len() && id.len() > 55,
                    UserPoolIdError::MissingUnderscore => !id.contains('_'),
                    UserPoolIdError::EmptyRegion => id.rfind('_') == Some(0),
                    UserPoolIdError::EmptyPoolName => id.ends_with('_'),
                    UserPoolIdError::InvalidCharacter { position } => {
                        let underscore = id.rfind('_').unwrap();
                        let allowed = |at: usize, b: u8| b.is_ascii_alphanumeric()
                            || (at < underscore && (b == b'_' || b == b'-'))
                            || at == underscore;
                        id.is_char_boundary(*position)
                            && !allowed(*position, id.as_bytes()[*position])
                            && id.bytes().take(*position).enumerate().all(|(at, b)| allowed(at, b))
                    }
                    _ => false,
                };
                prop_assert!(expected_kind, "{:?} for {:?}", error, id);
                prop_assert!(!error.to_string().is_empty());
            }
            (parsed, expected) => prop_assert!(false, "{:?}: parsed {:?}, expected {:?}", id, parsed, expected),
        }
    }

}
