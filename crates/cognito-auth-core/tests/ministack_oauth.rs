//! End to end: the hosted UI (OAuth 2.0 authorization code with PKCE, [`cognito_auth_core::oauth`])
//! against MiniStack 1.5.33 with `AUTH=true` (`bash scripts/ensure-tool.sh ministack`; see
//! `cognito_auth_testkit::ministack`), driven as a browser would: GET `/oauth2/authorize`, POST the
//! `/login` form, take the 302 to the redirect URI, then the app's code exchange at
//! `/oauth2/token`.
//!
//! What MiniStack checks, and so what these tests prove: the redirect URI against the client's
//! callback URLs, the PKCE verifier against the S256 challenge, single use of the code, the
//! client secret (HTTP Basic), `state` and `nonce` echoed back, and that an OAuth access token
//! calls `GetUser` only with the scope `aws.cognito.signin.user.admin`. MiniStack does not
//! serve `/oauth2/revoke`: the revocation request rests on unit tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::cognito_idp;
use cognito_auth_testkit::hosted_ui;
use cognito_auth_testkit::ministack;

use cognito_auth_core::account::{AccountError, GetUser};
use cognito_auth_core::client::ClientConfig;
use cognito_auth_core::jwt::JwtClaims;
use cognito_auth_core::oauth::{
    AuthorizeOptions, OAuthClient, OAuthError, OAuthErrorCode, OAuthTokens, PendingAuthorization,
    PendingKey,
};
use cognito_auth_core::session::{Session, SessionOptions};
use cognito_auth_core::sign_in::Entropy;
use cognito_auth_core::wire::{AuthenticationResult, HttpResponse, ServiceErrorKind};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};

use cognito_idp::{CognitoIdp, PASSWORD, Pool};
use hosted_ui::{Browser, REDIRECT, SIGNED_OUT, hosted_ui_client, sign_in_in_browser};
use ministack::MiniStack;

/// A pool with a domain, a code-flow app client (`cognito_auth_testkit::hosted_ui`) and the user `alice`.
fn hosted_ui_pool<'a>(idp: &'a CognitoIdp, name: &str, secret: bool) -> Pool<'a> {
    let pool_id = idp.create_user_pool(name, serde_json::Value::Null);
    let client = hosted_ui_client(idp, &pool_id, name, secret);
    Pool {
        idp,
        id: UserPoolId::parse(&pool_id).unwrap(),
        client,
    }
}

fn oauth_client(server: &MiniStack, pool: &Pool<'_>) -> OAuthClient {
    let client = OAuthClient::new(&server.endpoint(), &pool.client.client_id).unwrap();
    match &pool.client.client_secret {
        Some(secret) => client.with_client_secret(SecretString::new(secret)),
        None => client,
    }
}

fn entropy(seed: u8) -> Entropy {
    // Fixed per test: distinct tests, distinct values; MiniStack keeps no state across servers.
    Entropy::from_bytes([seed; 32])
}

#[test]
fn hosted_ui_round_trip_gives_tokens_that_work_and_a_session() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = hosted_ui_pool(idp, "oauth-round-trip", false);
    let client = oauth_client(&server, &pool);
    let browser = Browser::new();

    let options = AuthorizeOptions::new(REDIRECT)
        .scope("openid")
        .scope("email")
        .scope("aws.cognito.signin.user.admin");
    let (url, pending) = client.authorize(&options, &entropy(1)).unwrap();
    // Killed and restarted during the browser round trip: only the sealed text survives.
    let key = PendingKey::new(&[42; 32]).unwrap();
    let stored = pending.to_storage_sealed(&key);
    drop(pending);

    let redirect = sign_in_in_browser(&browser, &server.endpoint(), &url, PASSWORD);
    assert!(redirect.starts_with("myapp://callback?code="), "{redirect}");
    let pending = PendingAuthorization::restore_sealed(stored.expose(), &key).unwrap();
    let code = pending.handle_redirect(&redirect).unwrap();

    let request = client.token_request(&pending, &code).unwrap();
    let (status, body) = browser.send(&request);
    let received_at = UnixTime::from_secs(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    let tokens = pending
        .handle_token_response(HttpResponse::new(status, &body))
        .unwrap_or_else(|e| panic!("{e}: HTTP {status} {}", String::from_utf8_lossy(&body)));
    assert_eq!(tokens.token_type, "Bearer");
    assert!(tokens.expires_in > 0);
    let id_token = tokens.id_token.clone().expect("openid was granted");
    let id_claims = JwtClaims::read(id_token.expose()).unwrap();
    assert_eq!(id_claims.username.as_deref(), Some("alice"));
    assert!(tokens.refresh_token.is_some());

    // The access token works for the user operations (scope aws.cognito.signin.user.admin).
    let user = pool
        .send(&GetUser::new(tokens.access_token.clone()))
        .unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(user.attributes["email"], "alice@example.com");

    // A replayed code is refused.
    let (status, body) = browser.send(&request);
    assert_eq!(
        pending
            .handle_token_response(HttpResponse::new(status, &body))
            .err(),
        Some(OAuthError::Refused {
            status: 400,
            code: OAuthErrorCode::InvalidGrant,
            description: Some("Invalid or expired authorization code.".to_owned()),
        })
    );

    // The refresh grant gives new tokens for the same refresh token.
    let refresh = tokens.refresh_token.clone().unwrap();
    let (status, body) = browser.send(&client.refresh_request(&refresh));
    let refreshed = OAuthTokens::parse(HttpResponse::new(status, &body)).unwrap();
    assert!(refreshed.refresh_token.is_none());
    assert!(pool.send(&GetUser::new(refreshed.access_token)).is_ok());

    // The session layer takes OAuth tokens as it takes sign-in tokens.
    let config = ClientConfig::new(pool.id.clone(), &pool.client.client_id).unwrap();
    let session = Session::new(
        config,
        &AuthenticationResult::from(tokens),
        received_at,
        None,
        SessionOptions::default(),
    )
    .unwrap();
    assert_eq!(session.username(), "alice");

    // The logout URL redirects to the sign-out URL.
    let page = browser.get(&client.logout_url(SIGNED_OUT).unwrap());
    assert_eq!(
        (page.status, page.location.as_deref()),
        (302, Some(SIGNED_OUT)),
        "{}",
        page.body
    );
}

#[test]
fn wrong_verifier_forged_state_and_wrong_secret_are_refused() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = hosted_ui_pool(idp, "oauth-refusals", true);
    let client = oauth_client(&server, &pool);
    let browser = Browser::new();
    let options = AuthorizeOptions::new(REDIRECT).scope("openid");

    // Two authorizations; the code of the first exchanged with the verifier of the second.
    let (url, first) = client.authorize(&options, &entropy(2)).unwrap();
    let (_, second) = client.authorize(&options, &entropy(3)).unwrap();
    let redirect = sign_in_in_browser(&browser, &server.endpoint(), &url, PASSWORD);
    // The second authorization's state is not in this redirect.
    assert_eq!(
        second.handle_redirect(&redirect).err(),
        Some(OAuthError::StateMismatch)
    );
    let code = first.handle_redirect(&redirect).unwrap();
    let wrong = client.token_request(&second, &code).unwrap();
    let (status, body) = browser.send(&wrong);
    assert_eq!(
        first
            .handle_token_response(HttpResponse::new(status, &body))
            .err(),
        Some(OAuthError::Refused {
            status: 400,
            code: OAuthErrorCode::InvalidGrant,
            description: Some("PKCE verification failed.".to_owned()),
        })
    );

    // A wrong client secret is refused (and does not use up the code).
    let bad_secret = OAuthClient::new(&server.endpoint(), &pool.client.client_id)
        .unwrap()
        .with_client_secret(SecretString::new("not-the-secret"));
    let (url, pending) = client.authorize(&options, &entropy(4)).unwrap();
    let code = pending
        .handle_redirect(&sign_in_in_browser(
            &browser,
            &server.endpoint(),
            &url,
            PASSWORD,
        ))
        .unwrap();
    let (status, body) = browser.send(&bad_secret.token_request(&pending, &code).unwrap());
    assert!(
        matches!(
            pending.handle_token_response(HttpResponse::new(status, &body)),
            Err(OAuthError::Refused {
                code: OAuthErrorCode::InvalidClient,
                ..
            })
        ),
        "HTTP {status} {}",
        String::from_utf8_lossy(&body)
    );
    let (status, body) = browser.send(&client.token_request(&pending, &code).unwrap());
    let tokens = pending
        .handle_token_response(HttpResponse::new(status, &body))
        .unwrap();
    assert!(tokens.id_token.is_some());

    // Without aws.cognito.signin.user.admin, GetUser refuses the access token.
    let error = pool.send(&GetUser::new(tokens.access_token)).unwrap_err();
    assert!(
        matches!(&error, AccountError::Service(e) if e.kind() == ServiceErrorKind::NotAuthorized),
        "{error:?}"
    );
}

#[test]
fn a_scope_the_client_may_not_use_comes_back_as_a_typed_error() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = hosted_ui_pool(idp, "oauth-denied", false);
    let client = oauth_client(&server, &pool);
    let (url, pending) = client
        .authorize(&AuthorizeOptions::new(REDIRECT).scope("phone"), &entropy(5))
        .unwrap();
    let page = Browser::new().get(&url);
    assert_eq!(page.status, 302, "{}", page.body);
    let redirect = page.location.unwrap();
    assert_eq!(
        pending.handle_redirect(&redirect).err(),
        Some(OAuthError::Denied {
            code: OAuthErrorCode::InvalidRequest,
            description: Some("invalid_scope".to_owned()),
        })
    );
}
