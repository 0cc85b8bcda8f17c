//! Property tests of the hosted-UI parsers (examples in src/oauth/tests.rs, end to end in
//! ministack_oauth.rs): no panic on any redirect URL, token body or stored text; a redirect
//! carrying this authorization's state gives back exactly the code that was encoded into it;
//! any other state is refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use cognito_auth_testkit::proptest_fixtures;

use cognito_auth_core::oauth::{
    AuthorizeOptions, OAuthClient, OAuthError, OAuthTokens, PendingAuthorization, PendingKey,
};
use cognito_auth_core::sign_in::Entropy;
use cognito_auth_core::wire::HttpResponse;
use proptest::prelude::*;

use proptest_fixtures::cases;

const REDIRECT: &str = "myapp://callback";

fn start(seed: [u8; 32]) -> (String, PendingAuthorization) {
    OAuthClient::new("https://auth.example.com", "client")
        .unwrap()
        .authorize(
            &AuthorizeOptions::new(REDIRECT).scope("openid"),
            &Entropy::from_bytes(seed),
        )
        .unwrap()
}

fn state_of(url: &str) -> String {
    url.split("&state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned()
}

/// The test's own percent-encoder: every byte but ASCII alphanumerics as `%XX`.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02x}")
            }
        })
        .collect()
}

/// A query fragment from pieces that exercise the parser: the names it reads, `%` escapes
/// good and bad, `+`, `=`, `&`, `#`, `?`.
fn query_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("code=".to_owned()),
        Just("state=".to_owned()),
        Just("error=".to_owned()),
        Just("error_description=".to_owned()),
        Just("&".to_owned()),
        Just("%".to_owned()),
        Just("%e2%82%ac".to_owned()),
        Just("%ff".to_owned()),
        Just("+".to_owned()),
        Just("#".to_owned()),
        Just("?".to_owned()),
        "[a-zA-Z0-9=%_.-]{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(cases(512))]

    /// Any string as a redirect URL: a result, never a panic; a code only when the state in
    /// it is exactly this authorization's.
    #[test]
    fn any_redirect_url_gives_a_result(
        seed in any::<[u8; 32]>(),
        prefix in prop_oneof![Just(format!("{REDIRECT}?")), Just(String::new()), any::<String>()],
        pieces in prop::collection::vec(query_piece(), 0..12),
    ) {
        let (url, pending) = start(seed);
        let redirect = format!("{prefix}{}", pieces.concat());
        if pending.handle_redirect(&redirect).is_ok() {
            prop_assert!(redirect.contains(&state_of(&url)), "{redirect}");
        }
    }

    /// A redirect with this state and any code (encoded by the test) gives that code back; with
    /// any other state it is refused as a state mismatch.
    #[test]
    fn the_code_round_trips_and_only_with_this_state(
        seed in any::<[u8; 32]>(),
        code in "\\PC{1,64}",
        other_state in "[A-Za-z0-9_-]{0,43}",
        extra in "[a-z_]{1,8}=[a-z]{0,4}",
    ) {
        // An `error` parameter would make it a denial, tested elsewhere.
        prop_assume!(!extra.starts_with("error="));
        let (url, pending) = start(seed);
        let state = state_of(&url);
        let redirect = format!("{REDIRECT}?{extra}&code={}&state={state}", encode(&code));
        if extra.starts_with("code=") || extra.starts_with("state=") {
            let repeated = matches!(
                pending.handle_redirect(&redirect),
                Err(OAuthError::RepeatedParameter { .. })
            );
            prop_assert!(repeated);
        } else {
            let got = pending.handle_redirect(&redirect).unwrap();
            prop_assert_eq!(got.expose(), code.as_str());
        }
        prop_assume!(other_state != state);
        let forged = format!("{REDIRECT}?code={}&state={other_state}", encode(&code));
        prop_assert_eq!(pending.handle_redirect(&forged).err(), Some(OAuthError::StateMismatch));
    }

    /// Any status and body at the token endpoint: a result, never a panic; success only for
    /// 2xx.
    #[test]
    fn any_token_response_gives_a_result(
        seed in any::<[u8; 32]>(),
        status in prop_oneof![Just(200u16), Just(400u16), any::<u16>()],
        body in prop_oneof![
            any::<Vec<u8>>(),
            "\\{\"(access_token|id_token|error|expires_in|refresh_token)\":(\"[a-z.]{0,8}\"|[0-9-]{1,4}|null|\\[\\]),\"(expires_in|error_description)\":(1|\"x\")\\}"
                .prop_map(String::into_bytes),
        ],
    ) {
        let (_, pending) = start(seed);
        let response = HttpResponse::new(status, &body);
        let plain = OAuthTokens::parse(response);
        let checked = pending.handle_token_response(response);
        if plain.is_ok() || checked.is_ok() {
            prop_assert!((200..300).contains(&status));
        }
        let _ = cognito_auth_core::oauth::handle_revoke_response(response);
    }

    /// Any text as a stored pending authorization, with and without a key: a result, never a
    /// panic; an edited sealed one is refused.
    #[test]
    fn restore_never_panics_and_refuses_edits(
        seed in any::<[u8; 32]>(),
        text in any::<String>(),
        flip in any::<prop::sample::Index>(),
    ) {
        let key = PendingKey::new(&[5; 32]).unwrap();
        let _ = PendingAuthorization::restore(&text);
        let _ = PendingAuthorization::restore_sealed(&text, &key);
        let (_, pending) = start(seed);
        let sealed = pending.to_storage_sealed(&key);
        let mut bytes = sealed.expose().as_bytes().to_vec();
        let at = flip.index(bytes.len());
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        let edited = String::from_utf8(bytes).unwrap();
        prop_assume!(edited != sealed.expose());
        prop_assert!(PendingAuthorization::restore_sealed(&edited, &key).is_err());
    }
}
