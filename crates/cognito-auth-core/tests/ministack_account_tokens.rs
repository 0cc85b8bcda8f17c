//! End to end: the token operations of [`cognito_auth_core::account`] and the JWT claims
//! reader against MiniStack 1.5.33 with `AUTH=true` (`bash scripts/ensure-tool.sh ministack`;
//! see `cognito_auth_testkit::ministack`).
//!
//! What MiniStack checks, and so what these tests prove:
//! * `GetTokensFromRefreshToken` and `REFRESH_TOKEN_AUTH`: the refresh token (signature, client,
//!   revocation, global sign-out). `REFRESH_TOKEN_AUTH` also checks `SECRET_HASH` against the
//!   token owner's canonical username (the `sub` in an email-alias pool). MiniStack does **not**
//!   check `ClientSecret` on `GetTokensFromRefreshToken` and does not rotate refresh tokens, so
//!   the secret and the rotated token are covered by transcripts (tests/account_tokens.rs).
//! * `GlobalSignOut` and `RevokeToken`: afterwards the access tokens and refresh tokens concerned
//!   are refused.
//! * Devices (`ListDevices`, `ForgetDevice`, `UpdateDeviceStatus`): MiniStack and moto do not
//!   implement them (shared/reference/emulator.md), so they run against transcripts only
//!   (tests/account_devices.rs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::cognito_idp;
use cognito_auth_testkit::ministack;
use cognito_auth_testkit::sign_in_driver;

use cognito_auth_core::SecretString;
use cognito_auth_core::account::{
    AccountError, AccountOperation as _, GetTokensFromRefreshToken, GlobalSignOut,
    RefreshTokenAuth, RevokeToken,
};
use cognito_auth_core::jwt::{JwtClaims, TokenUse};
use cognito_auth_core::sign_in::SignedIn;
use cognito_auth_core::wire::{ServiceError, ServiceErrorKind};
use serde_json::{Value, json};

use cognito_idp::{PASSWORD, Pool};
use ministack::MiniStack;
use sign_in_driver::{now, sign_in_srp};

// ---------------------------------------------------------------------------------------------
// The scenarios.

#[test]
fn claims_refresh_then_global_sign_out_refuses_every_token() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "tokens-global", Value::Null, false);
    pool.user("alice", &[]);
    let signed_in = pool.sign_in("alice");

    // The claims, unverified, of what Cognito just sent.
    let access = access_claims(&signed_in);
    assert!(!access.sub.is_empty());
    assert_eq!(access.username.as_deref(), Some("alice"));
    assert_eq!(access.token_use, Some(TokenUse::Access));
    assert_eq!(
        access.client_id.as_deref(),
        Some(pool.client.client_id.as_str())
    );
    assert!(
        access
            .iss
            .as_deref()
            .is_some_and(|iss| iss.ends_with(pool.id.as_str())),
        "{access:?}"
    );
    let now = now();
    assert!(!access.is_expired(now), "{access:?} at {now:?}");
    assert!(access.exp > now);
    assert!(
        access.seconds_left(now) <= signed_in.tokens.expires_in + 5,
        "exp agrees with ExpiresIn: {access:?}, {}",
        signed_in.tokens.expires_in
    );
    assert!(access.expires_within(now, signed_in.tokens.expires_in + 5));
    let id = JwtClaims::read(signed_in.tokens.id_token.as_ref().unwrap().expose()).unwrap();
    assert_eq!(id.sub, access.sub);
    assert_eq!(id.username.as_deref(), Some("alice"), "cognito:username");
    assert_eq!(id.token_use, Some(TokenUse::Id));
    assert_eq!(
        id.client_id.as_deref(),
        Some(pool.client.client_id.as_str()),
        "aud"
    );

    // Both refresh operations give new tokens for the same user; MiniStack does not rotate.
    let refresh = refresh_token(&signed_in);
    let refreshed = pool
        .send(&GetTokensFromRefreshToken::new(refresh.clone()))
        .unwrap();
    assert!(
        refreshed.refresh_token.is_none(),
        "no rotation in MiniStack"
    );
    assert_eq!(
        JwtClaims::read(refreshed.access_token.expose())
            .unwrap()
            .sub,
        access.sub
    );
    let legacy = pool
        .send(&RefreshTokenAuth::new(
            refresh.clone(),
            access.username.as_deref().unwrap(),
        ))
        .unwrap();
    assert!(legacy.refresh_token.is_none());
    assert!(
        !JwtClaims::read(legacy.access_token.expose())
            .unwrap()
            .is_expired(now)
    );

    // Sign out everywhere: the old and the refreshed access token and the refresh token die.
    pool.send(&GlobalSignOut::new(signed_in.tokens.access_token.clone()))
        .unwrap();
    for token in [&signed_in.tokens.access_token, &refreshed.access_token] {
        let message = idp.call_err(
            "GetUser",
            json!({ "AccessToken": token.expose() }),
            "NotAuthorizedException",
        );
        assert!(message.contains("revoked"), "{message}");
    }
    let error = service_error(pool.send(&GetTokensFromRefreshToken::new(refresh.clone())));
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized, "{error}");
    assert!(error.restarts_sign_in());
    let error = service_error(pool.send(&RefreshTokenAuth::new(refresh, "alice")));
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized, "{error}");
    // A second sign-out with the dead token is refused too.
    let error = service_error(pool.send(&GlobalSignOut::new(signed_in.tokens.access_token)));
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized, "{error}");
}

#[test]
fn revoke_token_ends_one_session_only() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "tokens-revoke", Value::Null, false);
    pool.user("bob", &[]);
    let phone = pool.sign_in("bob");
    let laptop = pool.sign_in("bob");

    pool.send(&RevokeToken::new(refresh_token(&phone))).unwrap();

    let error = service_error(pool.send(&GetTokensFromRefreshToken::new(refresh_token(&phone))));
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized);
    assert_eq!(error.message(), "Refresh Token has been revoked");
    let message = idp.call_err(
        "GetUser",
        json!({ "AccessToken": phone.tokens.access_token.expose() }),
        "NotAuthorizedException",
    );
    assert!(message.contains("revoked"), "{message}");

    // The other session is untouched.
    let refreshed = pool
        .send(&GetTokensFromRefreshToken::new(refresh_token(&laptop)))
        .unwrap();
    let user = idp.call_ok(
        "GetUser",
        json!({ "AccessToken": refreshed.access_token.expose() }),
    );
    assert_eq!(user["Username"], "bob", "{user}");
}

#[test]
fn client_secret_refresh_in_an_email_alias_pool() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(
        idp,
        "tokens-secret",
        json!({ "UsernameAttributes": ["email"] }),
        true,
    );
    let typed = "grace@example.com";
    let canonical = pool.user(typed, &[("email", typed)]);
    assert_ne!(canonical, typed);
    let signed_in = pool.sign_in(typed);
    let refresh = refresh_token(&signed_in);

    // The access token names the canonical user: what SECRET_HASH must be computed over.
    let claims = access_claims(&signed_in);
    assert_eq!(claims.username.as_deref(), Some(canonical.as_str()));
    assert_eq!(
        claims.sub, canonical,
        "an alias pool names its users by sub"
    );

    // GetTokensFromRefreshToken sends the raw secret (MiniStack accepts it without checking).
    let request = GetTokensFromRefreshToken::new(refresh.clone())
        .request(&pool.config())
        .unwrap();
    let body: Value = serde_json::from_str(request.body()).unwrap();
    assert_eq!(
        body["ClientSecret"],
        pool.client.client_secret.as_deref().unwrap()
    );
    let refreshed = pool
        .send(&GetTokensFromRefreshToken::new(refresh.clone()))
        .unwrap();
    assert_eq!(
        JwtClaims::read(refreshed.access_token.expose())
            .unwrap()
            .sub,
        canonical
    );

    // REFRESH_TOKEN_AUTH: SECRET_HASH over the canonical username works, over the typed
    // address it is refused.
    let legacy = pool
        .send(&RefreshTokenAuth::new(
            refresh.clone(),
            claims.username.as_deref().unwrap(),
        ))
        .unwrap();
    assert!(legacy.refresh_token.is_none());
    let error = service_error(pool.send(&RefreshTokenAuth::new(refresh.clone(), typed)));
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized);
    assert!(error.message().contains("secret hash"), "{error}");
    assert!(error.backend_hint().is_some(), "{error}");

    // Revoking with the client secret.
    pool.send(&RevokeToken::new(refresh.clone())).unwrap();
    let error = service_error(pool.send(&RefreshTokenAuth::new(refresh, &canonical)));
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized);
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// This file's additions to the test kit's fixture.
trait PoolExt {
    fn sign_in(&self, username: &str) -> SignedIn;
}

impl PoolExt for Pool<'_> {
    /// A USER_SRP_AUTH sign-in of a [`PASSWORD`] user through the core's flow.
    fn sign_in(&self, username: &str) -> SignedIn {
        sign_in_srp(self.idp, self.config(), username, PASSWORD, username)
    }
}

fn access_claims(signed_in: &SignedIn) -> JwtClaims {
    JwtClaims::read(signed_in.tokens.access_token.expose())
        .unwrap_or_else(|e| panic!("the access token's claims: {e}"))
}

fn refresh_token(signed_in: &SignedIn) -> SecretString {
    signed_in
        .tokens
        .refresh_token
        .clone()
        .expect("a sign-in gives a refresh token")
}

fn service_error<T: core::fmt::Debug>(result: Result<T, AccountError>) -> ServiceError {
    match result {
        Err(AccountError::Service(error)) => error,
        other => panic!("expected a service error, got {other:?}"),
    }
}
