//! Unit tests of the hosted-UI module: URLs, redirects, requests, responses, storage.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use super::client::pkce_challenge;
use super::*;
use crate::SecretString;
use crate::sign_in::Entropy;
use crate::wire::HttpResponse;

const DOMAIN: &str = "https://example.auth.eu-west-1.amazoncognito.com";
const REDIRECT: &str = "myapp://callback";

fn client() -> OAuthClient {
    OAuthClient::new(DOMAIN, "2od40example").unwrap()
}

fn start(seed: u8) -> (String, PendingAuthorization) {
    client()
        .authorize(
            &AuthorizeOptions::new(REDIRECT).scope("openid"),
            &Entropy::from_bytes([seed; 32]),
        )
        .unwrap()
}

/// The query of `url`, decoded (an independent decoder: `%XX` only, no `+`).
fn query(url: &str) -> BTreeMap<String, String> {
    let decode = |text: &str| {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    let (_, query) = url.split_once('?').unwrap();
    let mut map = BTreeMap::new();
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap();
        assert!(
            value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
            "{name} not fully encoded: {value}"
        );
        assert!(
            map.insert(decode(name), decode(value)).is_none(),
            "{name} twice"
        );
    }
    map
}

fn redirect_for(pending_url: &str, extra: &str) -> String {
    let state = &query(pending_url)["state"];
    format!("{REDIRECT}?code=the-code&state={state}{extra}")
}

fn jwt(payload: &str) -> String {
    let part = |json: &str| URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}.{}.{}",
        part(r#"{"alg":"RS256"}"#),
        part(payload),
        part("sig")
    )
}

#[test]
fn pkce_challenge_matches_rfc_7636_appendix_b() {
    assert_eq!(
        pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}

#[test]
fn authorize_url_has_every_parameter_once_and_encoded() {
    let options = AuthorizeOptions::new("https://app.example.com/cb?x=a/b")
        .scope("openid")
        .scope("aws.cognito.signin.user.admin")
        .scope("https://api.example.com/read")
        .identity_provider("Google")
        .idp_identifier("example.com")
        .lang("pt-BR")
        .login_hint("alice@example.com")
        .prompt(Prompt::Login)
        .prompt(Prompt::Consent)
        .prompt(Prompt::Login);
    let (url, pending) = client()
        .authorize(&options, &Entropy::from_bytes([1; 32]))
        .unwrap();
    assert!(url.starts_with(&format!("{DOMAIN}/oauth2/authorize?response_type=code&")));
    let q = query(&url);
    assert_eq!(q["client_id"], "2od40example");
    assert_eq!(q["redirect_uri"], "https://app.example.com/cb?x=a/b");
    assert!(url.contains("redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3Da%2Fb&"));
    assert_eq!(
        q["scope"],
        "openid aws.cognito.signin.user.admin https://api.example.com/read"
    );
    assert_eq!(q["identity_provider"], "Google");
    assert_eq!(q["idp_identifier"], "example.com");
    assert_eq!(q["lang"], "pt-BR");
    assert_eq!(q["login_hint"], "alice@example.com");
    assert_eq!(q["prompt"], "login consent");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["state"], pending.state().expose());
    assert_eq!(q["nonce"], pending.nonce().expose());
    assert_eq!(
        q["code_challenge"],
        pkce_challenge(pending.verifier().expose())
    );
    assert_eq!(pending.verifier().expose().len(), 43);
    assert_eq!(q.len(), 13, "{q:?}");
    assert_eq!(pending.redirect_uri(), "https://app.example.com/cb?x=a/b");
}

#[test]
fn optional_parameters_are_absent_when_unset_and_secrets_differ() {
    let (url, pending) = start(1);
    let q = query(&url);
    for absent in [
        "prompt",
        "identity_provider",
        "idp_identifier",
        "lang",
        "login_hint",
    ] {
        assert!(!q.contains_key(absent), "{absent} in {url}");
    }
    assert!(!url.contains("null"));
    let (state, verifier, nonce) = (
        pending.state().expose(),
        pending.verifier().expose(),
        pending.nonce().expose(),
    );
    assert!(state != verifier && verifier != nonce && state != nonce);
    assert!(!url.contains(verifier), "the verifier never leaves the app");
    let (other_url, other) = start(2);
    assert_ne!(other.state(), pending.state());
    assert_ne!(other.verifier(), pending.verifier());
    assert_ne!(other_url, url);
    // Same entropy, same values: randomness is an input.
    assert_eq!(start(1).0, url);
    // No scope: the parameter is left out.
    let (url, _) = client()
        .authorize(
            &AuthorizeOptions::new(REDIRECT),
            &Entropy::from_bytes([1; 32]),
        )
        .unwrap();
    assert!(!query(&url).contains_key("scope"));
}

#[test]
fn bad_domains_redirect_uris_and_scopes_are_refused() {
    for domain in [
        "http://example.com",
        "ftp://x",
        "https://",
        "https://a b",
        "https://x?y",
        "",
    ] {
        assert_eq!(
            OAuthClient::new(domain, "id").err(),
            Some(OAuthError::InvalidDomain),
            "{domain}"
        );
    }
    assert_eq!(
        OAuthClient::new(DOMAIN, "").err(),
        Some(OAuthError::InvalidDomain)
    );
    let bare = OAuthClient::new("auth.example.com/", "id").unwrap();
    assert_eq!(bare.domain(), "https://auth.example.com");
    let local = OAuthClient::new("http://127.0.0.1:4566/", "id").unwrap();
    assert_eq!(local.domain(), "http://127.0.0.1:4566");
    let entropy = Entropy::from_bytes([3; 32]);
    for uri in [
        "",
        "callback",
        "://x",
        "myapp://cb#frag",
        "myapp://c b",
        "1app://cb",
        "myapp://ü",
    ] {
        assert_eq!(
            client()
                .authorize(&AuthorizeOptions::new(uri), &entropy)
                .err(),
            Some(OAuthError::InvalidRedirectUri),
            "{uri:?}"
        );
    }
    let long = format!("myapp://{}", "a".repeat(2048));
    assert_eq!(
        client().logout_url(&long).err(),
        Some(OAuthError::InvalidRedirectUri)
    );
    for scope in ["", "two words", "quo\"te", "back\\slash", "tab\t"] {
        assert_eq!(
            client()
                .authorize(&AuthorizeOptions::new(REDIRECT).scope(scope), &entropy)
                .err(),
            Some(OAuthError::InvalidScope),
            "{scope:?}"
        );
    }
}

#[test]
fn redirect_with_code_and_state_gives_the_code() {
    let (url, pending) = start(4);
    let code = pending.handle_redirect(&redirect_for(&url, "")).unwrap();
    assert_eq!(code.expose(), "the-code");
    assert_eq!(format!("{code:?}"), "AuthorizationCode(<redacted>)");
    // Unknown parameters and a fragment are ignored; a trailing newline is trimmed.
    let code = pending
        .handle_redirect(&format!("{}&session_state=x#_=_\n", redirect_for(&url, "")))
        .unwrap();
    assert_eq!(code.expose(), "the-code");
    // Encoded code values are decoded.
    let state = &query(&url)["state"];
    let code = pending
        .handle_redirect(&format!("{REDIRECT}?state={state}&code=a%2Bb+c"))
        .unwrap();
    assert_eq!(code.expose(), "a+b c");
}

#[test]
fn redirect_errors_are_typed() {
    let (url, pending) = start(5);
    let state = query(&url)["state"].clone();
    let cases: Vec<(String, OAuthError)> = alloc::vec![
        (
            format!("{REDIRECT}?code=c&state=forged"),
            OAuthError::StateMismatch,
        ),
        (
            format!("{REDIRECT}?code=c&state="),
            OAuthError::StateMismatch,
        ),
        (
            format!("{REDIRECT}?error=access_denied&state=forged"),
            OAuthError::StateMismatch,
        ),
        (
            format!("{REDIRECT}?code=c"),
            OAuthError::MissingParameter { parameter: "state" },
        ),
        (
            format!("{REDIRECT}?state={state}"),
            OAuthError::MissingParameter { parameter: "code" },
        ),
        (
            format!("{REDIRECT}?state={state}&code="),
            OAuthError::MissingParameter { parameter: "code" },
        ),
        (
            REDIRECT.to_string(),
            OAuthError::MissingParameter { parameter: "state" },
        ),
        (
            format!("{REDIRECT}?code=c&code=d&state={state}"),
            OAuthError::RepeatedParameter { parameter: "code" },
        ),
        (
            format!("{REDIRECT}?code=c&state={state}&state={state}"),
            OAuthError::RepeatedParameter { parameter: "state" },
        ),
        (
            format!("{REDIRECT}?code=%zz&state={state}"),
            OAuthError::BadPercentEncoding,
        ),
        (
            format!("{REDIRECT}?code=c&state={state}&%FF=1"),
            OAuthError::BadPercentEncoding,
        ),
        (
            format!("myapp://other?code=c&state={state}"),
            OAuthError::RedirectUriMismatch,
        ),
        (
            format!("https://callback?code=c&state={state}"),
            OAuthError::RedirectUriMismatch,
        ),
        (
            format!("{REDIRECT}?code={}&state={state}", "a".repeat(16 * 1024)),
            OAuthError::RedirectTooLong {
                len: REDIRECT.len() + "?code=".len() + 16 * 1024 + "&state=".len() + state.len(),
            },
        ),
        (
            format!(
                "{REDIRECT}?error=invalid_request&error_description=invalid+scope%21&state={state}"
            ),
            OAuthError::Denied {
                code: OAuthErrorCode::InvalidRequest,
                description: Some("invalid scope!".to_string()),
            },
        ),
        (
            format!("{REDIRECT}?error=access_denied"),
            OAuthError::Denied {
                code: OAuthErrorCode::AccessDenied,
                description: None,
            },
        ),
    ];
    for (redirect, expected) in cases {
        assert_eq!(
            pending.handle_redirect(&redirect).err(),
            Some(expected),
            "{redirect:.200}"
        );
    }
}

#[test]
fn token_request_sends_code_verifier_and_redirect_uri() {
    let (url, pending) = start(6);
    let code = pending.handle_redirect(&redirect_for(&url, "")).unwrap();
    let request = client().token_request(&pending, &code).unwrap();
    assert_eq!(request.url(), format!("{DOMAIN}/oauth2/token"));
    assert_eq!(
        request.body(),
        format!(
            "grant_type=authorization_code&client_id=2od40example&code=the-code\
             &redirect_uri=myapp%3A%2F%2Fcallback&code_verifier={}",
            pending.verifier().expose()
        )
    );
    assert_eq!(
        request.headers(),
        [("content-type", "application/x-www-form-urlencoded")]
    );
    let with_secret = client().with_client_secret(SecretString::new("s3cr3t"));
    let request = with_secret.token_request(&pending, &code).unwrap();
    let expected = format!("Basic {}", STANDARD.encode("2od40example:s3cr3t"));
    assert_eq!(request.headers()[1], ("authorization", expected.as_str()));
    for text in [format!("{request:?}"), format!("{with_secret:?}")] {
        assert!(
            !text.contains("s3cr3t") && !text.contains(&expected[6..]),
            "{text}"
        );
        assert!(!text.contains("the-code"), "{text}");
    }
    let other = OAuthClient::new(DOMAIN, "another").unwrap();
    assert_eq!(
        other.token_request(&pending, &code).err(),
        Some(OAuthError::ClientMismatch)
    );
}

#[test]
fn refresh_revoke_and_logout() {
    let refresh = SecretString::new("r/t+1");
    let client = client();
    let request = client.refresh_request(&refresh);
    assert_eq!(request.url(), format!("{DOMAIN}/oauth2/token"));
    assert_eq!(
        request.body(),
        "grant_type=refresh_token&client_id=2od40example&refresh_token=r%2Ft%2B1"
    );
    let request = client.revoke_request(&refresh);
    assert_eq!(request.url(), format!("{DOMAIN}/oauth2/revoke"));
    assert_eq!(request.body(), "token=r%2Ft%2B1&client_id=2od40example");
    assert_eq!(
        client.logout_url("myapp://signed-out").unwrap(),
        format!("{DOMAIN}/logout?client_id=2od40example&logout_uri=myapp%3A%2F%2Fsigned-out")
    );
    assert_eq!(handle_revoke_response(HttpResponse::new(200, b"")), Ok(()));
    assert_eq!(
        handle_revoke_response(HttpResponse::new(
            400,
            br#"{"error":"unsupported_token_type"}"#
        )),
        Err(OAuthError::Refused {
            status: 400,
            code: OAuthErrorCode::UnsupportedTokenType,
            description: None,
        })
    );
}

#[test]
fn token_responses_and_oauth_errors_are_typed() {
    let ok = OAuthTokens::parse(HttpResponse::new(
        200,
        br#"{"access_token":"a","id_token":"i","refresh_token":"r","expires_in":3600,"token_type":"Bearer"}"#,
    ))
    .unwrap();
    assert_eq!(ok.access_token.expose(), "a");
    assert_eq!(ok.id_token.as_ref().unwrap().expose(), "i");
    assert_eq!(ok.refresh_token.as_ref().unwrap().expose(), "r");
    assert_eq!((ok.expires_in, ok.token_type.as_str()), (3600, "Bearer"));
    assert!(!format!("{ok:?}").contains("\"a\""));
    let refreshed = OAuthTokens::parse(HttpResponse::new(
        200,
        br#"{"access_token":"a","expires_in":5}"#,
    ))
    .unwrap();
    assert_eq!(refreshed.refresh_token, None);
    assert_eq!(refreshed.token_type, "Bearer");

    let cases: [(u16, &[u8], OAuthError); 7] = [
        (
            400,
            br#"{"error":"invalid_grant","error_description":"PKCE verification failed."}"#,
            OAuthError::Refused {
                status: 400,
                code: OAuthErrorCode::InvalidGrant,
                description: Some("PKCE verification failed.".to_string()),
            },
        ),
        (
            401,
            br#"{"error":"invalid_client"}"#,
            OAuthError::Refused {
                status: 401,
                code: OAuthErrorCode::InvalidClient,
                description: None,
            },
        ),
        (
            502,
            b"<html>Bad gateway</html>",
            OAuthError::HttpStatus { status: 502 },
        ),
        (
            400,
            br#"{"error":7}"#,
            OAuthError::HttpStatus { status: 400 },
        ),
        (
            200,
            br#"{"expires_in":1}"#,
            OAuthError::Response(crate::wire::ResponseError::MissingField {
                field: "access_token",
            }),
        ),
        (
            200,
            br#"{"access_token":"a","expires_in":-1}"#,
            OAuthError::Response(crate::wire::ResponseError::FieldHasWrongType {
                field: "expires_in",
            }),
        ),
        (
            200,
            b"[]",
            OAuthError::Response(crate::wire::ResponseError::NotAnObject),
        ),
    ];
    for (status, body, expected) in cases {
        assert_eq!(
            OAuthTokens::parse(HttpResponse::new(status, body)).err(),
            Some(expected)
        );
    }
}

#[test]
fn the_id_token_nonce_is_checked() {
    let (_, pending) = start(7);
    let nonce = pending.nonce().expose().to_string();
    let body = |id_token: &str| {
        format!(
            r#"{{"access_token":"a","id_token":"{id_token}","refresh_token":"r","expires_in":60}}"#
        )
    };
    let good = body(&jwt(&format!(r#"{{"sub":"s","nonce":"{nonce}"}}"#)));
    assert!(
        pending
            .handle_token_response(HttpResponse::new(200, good.as_bytes()))
            .is_ok()
    );
    for (id_token, expected) in [
        (
            jwt(r#"{"sub":"s","nonce":"another"}"#),
            OAuthError::NonceMismatch,
        ),
        (jwt(r#"{"sub":"s"}"#), OAuthError::NonceMismatch),
        (
            jwt(r#"{"sub":"s","nonce":5}"#),
            OAuthError::IdToken(crate::jwt::JwtError::InvalidClaim { claim: "nonce" }),
        ),
        (
            "not-a-jwt".to_string(),
            OAuthError::IdToken(crate::jwt::JwtError::Malformed),
        ),
    ] {
        let body = body(&id_token);
        assert_eq!(
            pending
                .handle_token_response(HttpResponse::new(200, body.as_bytes()))
                .err(),
            Some(expected),
            "{id_token}"
        );
    }
    // No ID token (no `openid` scope): nothing to check.
    assert!(
        pending
            .handle_token_response(HttpResponse::new(
                200,
                br#"{"access_token":"a","expires_in":60}"#
            ))
            .is_ok()
    );
}

#[test]
fn pending_authorization_survives_storage_plain_and_sealed() {
    let (url, pending) = start(8);
    let plain = pending.to_storage();
    assert!(plain.expose().starts_with("cognito-auth-oauth.v1."));
    let restored = PendingAuthorization::restore(plain.expose()).unwrap();
    assert_eq!(restored, pending);
    assert!(restored.handle_redirect(&redirect_for(&url, "")).is_ok());

    let key = PendingKey::new(&[9; 32]).unwrap();
    let sealed = pending.to_storage_sealed(&key);
    assert!(sealed.expose().starts_with("cognito-auth-oauth-sealed.v1."));
    assert_eq!(
        PendingAuthorization::restore_sealed(sealed.expose(), &key).unwrap(),
        pending
    );
    assert_eq!(
        PendingAuthorization::restore(sealed.expose()).err(),
        Some(OAuthError::SealedNeedsKey)
    );
    assert_eq!(
        PendingAuthorization::restore_sealed(plain.expose(), &key).err(),
        Some(OAuthError::NotSealed)
    );
    let other = PendingKey::new(&[10; 32]).unwrap();
    assert_eq!(
        PendingAuthorization::restore_sealed(sealed.expose(), &other).err(),
        Some(OAuthError::SealMismatch)
    );
    assert_eq!(
        PendingKey::new(&[0; 31]).err(),
        Some(OAuthError::KeyLength { len: 31 })
    );
    // Another envelope kind (a stored session) is not a pending authorization.
    let session_like = plain
        .expose()
        .replacen("cognito-auth-oauth", "cognito-auth-session", 1);
    assert_eq!(
        PendingAuthorization::restore(&session_like).err(),
        Some(OAuthError::StoredUnknownFormat)
    );
    assert_eq!(
        PendingAuthorization::restore(&plain.expose().replacen(".v1.", ".v2.", 1)).err(),
        Some(OAuthError::StoredUnsupportedVersion { version: 2 })
    );
    // An edited plain document with a recomputed digest but a bad verifier.
    let edited = crate::envelope::encode(
        &crate::envelope::Kind {
            plain: "cognito-auth-oauth",
            sealed: "cognito-auth-oauth-sealed",
        },
        serde_json::json!({"client_id": "c", "redirect_uri": REDIRECT, "state": "s",
            "code_verifier": "short", "nonce": "n"}),
        None,
    );
    assert_eq!(
        PendingAuthorization::restore(edited.expose()).err(),
        Some(OAuthError::StoredCorrupted)
    );
    let text = format!("{pending:?}");
    for secret in [
        pending.state().expose(),
        pending.verifier().expose(),
        pending.nonce().expose(),
    ] {
        assert!(!text.contains(secret), "{text}");
    }
    assert!(text.contains("2od40example") && text.contains(REDIRECT));
    assert_eq!(format!("{key:?}"), "PendingKey(<redacted>)");
}

#[test]
fn oauth_tokens_start_a_session_like_sign_in_tokens() {
    use crate::client::ClientConfig;
    use crate::session::{Session, SessionOptions, TokensForCall};
    use crate::wire::AuthenticationResult;
    use crate::{UnixTime, UserPoolId};

    let access = jwt(
        r#"{"sub":"sub-1","username":"Google_1234","token_use":"access","client_id":"2od40example","exp":5000,"scope":"openid"}"#,
    );
    let body = format!(
        r#"{{"access_token":"{access}","refresh_token":"r1","expires_in":3600,"token_type":"Bearer"}}"#
    );
    let tokens = OAuthTokens::parse(HttpResponse::new(200, body.as_bytes())).unwrap();
    let result = AuthenticationResult::from(tokens);
    assert_eq!(result.new_device_metadata, None);
    let config = ClientConfig::new(
        UserPoolId::parse("eu-west-1_Abc123XyZ").unwrap(),
        "2od40example",
    )
    .unwrap();
    let mut session = Session::new(
        config,
        &result,
        UnixTime::from_secs(1000),
        None,
        SessionOptions::default(),
    )
    .unwrap();
    assert_eq!(session.username(), "Google_1234");
    assert_eq!(session.sub(), "sub-1");
    assert_eq!(session.access_expires_at(), Some(UnixTime::from_secs(4600)));
    match session.tokens_for_call(UnixTime::from_secs(1001)).unwrap() {
        TokensForCall::Fresh(tokens) => assert_eq!(tokens.access_token.expose(), access),
        other => panic!("{other:?}"),
    }
}
