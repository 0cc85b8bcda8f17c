//! The hosted UI's parsers on arbitrary input: the redirect URL
//! (`PendingAuthorization::handle_redirect`), the token endpoint's answer
//! (`handle_token_response`, `OAuthTokens::parse`, `handle_revoke_response`) and the stored
//! pending authorization (`PendingAuthorization::restore`). None may panic; a code comes back
//! only with this authorization's state in the URL; a 2xx alone gives tokens.
#![no_main]

use arbitrary::Arbitrary;
use cognito_auth_core::oauth::{
    AuthorizeOptions, OAuthClient, OAuthTokens, PendingAuthorization, handle_revoke_response,
};
use cognito_auth_core::sign_in::Entropy;
use cognito_auth_core::wire::HttpResponse;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// Prefix the redirect with the real redirect URI and this authorization's state.
    well_formed: bool,
    redirect: &'a str,
    status: u16,
    body: &'a [u8],
    stored: &'a str,
}

fuzz_target!(|input: Input<'_>| {
    let client = OAuthClient::new("https://auth.example.com", "client")
        .unwrap_or_else(|_| unreachable!("fixed domain and client id are valid"));
    let Ok((url, pending)) = client.authorize(
        &AuthorizeOptions::new("myapp://callback").scope("openid"),
        &Entropy::from_bytes([3; 32]),
    ) else {
        unreachable!("fixed options are valid")
    };
    let state = url
        .split("&state=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap_or_default();
    let redirect = if input.well_formed {
        format!("myapp://callback?state={state}&{}", input.redirect)
    } else {
        input.redirect.to_owned()
    };
    if let Ok(code) = pending.handle_redirect(&redirect) {
        assert!(redirect.contains(state), "a code without this state");
        let _ = client.token_request(&pending, &code);
    }
    let response = HttpResponse::new(input.status, input.body);
    let ok = (200..300).contains(&input.status);
    if pending.handle_token_response(response).is_ok() || OAuthTokens::parse(response).is_ok() {
        assert!(ok, "tokens from HTTP {}", input.status);
    }
    assert_eq!(handle_revoke_response(response).is_ok(), ok);
    let _ = PendingAuthorization::restore(input.stored);
});
