//! End to end: identity pools (`cognito_auth_core::identity_pool`) against MiniStack 1.5.33 with
//! `AUTH=true` (`bash scripts/ensure-tool.sh ministack`; see `cognito_auth_testkit::ministack`). Every
//! request is posted exactly as the core built it (the `AWSCognitoIdentityService.*` target,
//! unsigned) and the answer fed back to the [`CredentialsProvider`] or the operation's parser.
//!
//! What MiniStack checks that matters here (read in `ministack/services/cognito.py`,
//! `_identity_logins_error`): a user-pool login's provider must be one of the pool's
//! `CognitoIdentityProviders`, its token a JWT signed by the user pool with `iss` =
//! `https://<provider>`, `aud` = one of the listed client ids and `exp` in the future. What it
//! does not: `AllowUnauthenticatedIdentities` (a guest is served either way) and whether an
//! identity id exists (`GetCredentialsForIdentity` vends credentials for any id), so the "guest
//! access disabled" refusal and the provider's one retry with a new identity after
//! `ResourceNotFoundException` rest on the unit tests (src/identity_pool/tests.rs).
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

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use cognito_auth_core::identity_pool::{
    AwsCredentials, CredentialsForCall, CredentialsOutcome, CredentialsProvider, GetOpenIdToken,
    IdentityId, IdentityPoolError, IdentityPoolId, IdentityPoolOperation, Logins,
};
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::wire::{HttpResponse, Request, ServiceErrorKind};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
use serde_json::{Value, json};

use cognito_idp::{CognitoIdp, PASSWORD};
use ministack::MiniStack;
use sign_in_driver::sign_in_srp;

/// An administrator's `Authorization` header for the identity service: MiniStack with
/// `AUTH=true` wants a SigV4-shaped header naming the access key `test` (not a valid signature)
/// on `CreateIdentityPool`, as `cognito_auth_testkit::cognito_idp` explains for the user-pool calls.
const ADMIN_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 \
    Credential=test/20260101/us-east-1/cognito-identity/aws4_request, \
    SignedHeaders=content-type;host;x-amz-target, \
    Signature=0000000000000000000000000000000000000000000000000000000000000000";

fn now() -> UnixTime {
    UnixTime::from_secs(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

/// `CreateIdentityPool` (signed), returning the pool id.
fn create_identity_pool(idp: &CognitoIdp, body: Value) -> IdentityPoolId {
    let raw = idp.post(
        "CreateIdentityPool",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            (
                "X-Amz-Target",
                "AWSCognitoIdentityService.CreateIdentityPool",
            ),
            ("Authorization", ADMIN_AUTHORIZATION),
        ],
        &body.to_string(),
    );
    let text = String::from_utf8_lossy(&raw.body);
    assert_eq!(raw.status, 200, "CreateIdentityPool: {text}");
    let created: Value = serde_json::from_str(&text).unwrap();
    IdentityPoolId::parse(created["IdentityPoolId"].as_str().unwrap()).unwrap()
}

/// Posts a request the core built, byte for byte.
fn post(idp: &CognitoIdp, request: &Request) -> cognito_idp::RawResponse {
    idp.post(
        request.operation().name(),
        &request.headers(),
        request.body(),
    )
}

/// Runs the provider until it has credentials; returns them and the operations sent.
fn fetch(
    idp: &CognitoIdp,
    provider: &mut CredentialsProvider,
) -> Result<(AwsCredentials, Vec<&'static str>), IdentityPoolError> {
    let mut sent = Vec::new();
    let mut request = match provider.credentials_for_call(now()) {
        CredentialsForCall::Send(request) => request,
        other => panic!("a request was expected first, got {other:?}"),
    };
    loop {
        assert_eq!(
            provider.credentials_for_call(now()),
            CredentialsForCall::WaitForRefresh,
            "one request at a time"
        );
        sent.push(request.operation().name());
        let raw = post(idp, &request);
        let response =
            HttpResponse::new(raw.status, &raw.body).with_error_type(raw.error_type.as_deref());
        match provider.handle_response(response, now())? {
            CredentialsOutcome::Send(next) => request = next,
            CredentialsOutcome::Refreshed(credentials) => return Ok((credentials, sent)),
            CredentialsOutcome::Failed(error) => return Err(IdentityPoolError::Service(error)),
        }
    }
}

fn assert_plausible(credentials: &AwsCredentials) {
    assert!(
        credentials.access_key_id.starts_with("ASIA"),
        "{credentials:?}"
    );
    assert!(!credentials.secret_access_key.is_empty());
    assert!(!credentials.session_token.is_empty());
    let left = credentials.expires_in(now());
    assert!((3000..=3600).contains(&left), "expires in {left} s");
}

/// The `sub` claim of an (unverified) JWT.
fn jwt_sub(token: &str) -> String {
    let payload = token.split('.').nth(1).unwrap();
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .unwrap();
    let claims: Value = serde_json::from_slice(&json).unwrap();
    claims["sub"].as_str().unwrap().to_owned()
}

#[test]
fn guest_credentials_and_open_id_token() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = create_identity_pool(
        idp,
        json!({"IdentityPoolName": "guests", "AllowUnauthenticatedIdentities": true}),
    );
    assert_eq!(pool.region(), "us-east-1");

    let mut provider = CredentialsProvider::new(pool.clone(), Logins::guest());
    let (credentials, sent) = fetch(idp, &mut provider).unwrap();
    assert_eq!(sent, ["GetId", "GetCredentialsForIdentity"]);
    assert_plausible(&credentials);
    let identity = provider.identity_id().unwrap().clone();
    assert!(identity.as_str().starts_with("us-east-1:"), "{identity}");
    // Fresh for every caller until the margin; no request.
    assert_eq!(
        provider.credentials_for_call(now()),
        CredentialsForCall::Fresh(credentials.clone())
    );

    // The stored guest identity next time: no GetId, new credentials for the same identity.
    let mut again =
        CredentialsProvider::new(pool.clone(), Logins::guest()).with_identity_id(identity.clone());
    let (second, sent) = fetch(idp, &mut again).unwrap();
    assert_eq!(sent, ["GetCredentialsForIdentity"]);
    assert_eq!(again.identity_id(), Some(&identity));
    assert_ne!(second.access_key_id, credentials.access_key_id);

    // An identity id it never issued: Cognito answers ResourceNotFoundException (and the
    // provider then asks for a new identity once, shown by the unit tests); MiniStack 1.5.33
    // vends credentials anyway. Checked so that a version that refuses is noticed.
    let unknown = IdentityId::parse("us-east-1:00000000-0000-4000-8000-000000000000").unwrap();
    let mut stale =
        CredentialsProvider::new(pool, Logins::guest()).with_identity_id(unknown.clone());
    let (_, sent) = fetch(idp, &mut stale).unwrap();
    assert_eq!(
        sent,
        ["GetCredentialsForIdentity"],
        "MiniStack checks unknown identities now"
    );

    // GetOpenIdToken: a token for the identity.
    let open_id = GetOpenIdToken::new(identity.clone(), Logins::guest());
    let raw = post(idp, &open_id.request());
    let token = open_id
        .parse_response(HttpResponse::new(raw.status, &raw.body))
        .unwrap();
    assert_eq!(token.identity_id, identity);
    assert_eq!(jwt_sub(token.token.expose()), identity.as_str());
}

#[test]
fn a_signed_in_user_gets_credentials_for_one_identity() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let user_pool_id = idp.create_user_pool("identity-users", Value::Null);
    let client = idp.create_app_client(&user_pool_id, "identity-app", false);
    idp.create_confirmed_user(&user_pool_id, "alice", PASSWORD, &[]);
    idp.create_confirmed_user(&user_pool_id, "bob", PASSWORD, &[]);
    let user_pool = UserPoolId::parse(&user_pool_id).unwrap();
    let provider_name = Logins::user_pool_provider(&user_pool);
    assert_eq!(
        provider_name,
        format!("cognito-idp.us-east-1.amazonaws.com/{user_pool_id}")
    );
    let pool = create_identity_pool(
        idp,
        json!({
            "IdentityPoolName": "users",
            "AllowUnauthenticatedIdentities": false,
            "CognitoIdentityProviders": [
                {"ProviderName": provider_name, "ClientId": client.client_id}
            ],
        }),
    );
    let config = ClientConfig::new(user_pool.clone(), &client.client_id).unwrap();
    let id_token = |username: &str| {
        sign_in_srp(idp, config.clone(), username, PASSWORD, username)
            .tokens
            .id_token
            .unwrap()
    };

    let alice = id_token("alice");
    let mut provider = CredentialsProvider::new(
        pool.clone(),
        Logins::user_pool(&user_pool, alice.clone()).unwrap(),
    );
    let (credentials, sent) = fetch(idp, &mut provider).unwrap();
    assert_eq!(sent, ["GetId", "GetCredentialsForIdentity"]);
    assert_plausible(&credentials);
    let identity = provider.identity_id().unwrap().clone();

    // The same login on a second sign-in (a new ID token): the same identity.
    let alice_again = id_token("alice");
    assert_ne!(alice_again, alice);
    let mut second = CredentialsProvider::new(
        pool.clone(),
        Logins::user_pool(&user_pool, alice_again.clone()).unwrap(),
    );
    let (_, sent) = fetch(idp, &mut second).unwrap();
    assert_eq!(sent, ["GetId", "GetCredentialsForIdentity"]);
    assert_eq!(second.identity_id(), Some(&identity));

    // The same user's refreshed token keeps the identity; another user is another identity.
    provider
        .update_logins(Logins::user_pool(&user_pool, alice_again).unwrap())
        .unwrap();
    provider.switch_logins(Logins::user_pool(&user_pool, id_token("bob")).unwrap());
    let (_, sent) = fetch(idp, &mut provider).unwrap();
    assert_eq!(sent, ["GetId", "GetCredentialsForIdentity"]);
    assert_ne!(provider.identity_id(), Some(&identity));

    // A token that is not the user pool's: refused, typed.
    let mut forged = CredentialsProvider::new(
        pool,
        Logins::user_pool(&user_pool, SecretString::new("eyJhbGciOiJub25lIn0.e30.sig")).unwrap(),
    );
    match fetch(idp, &mut forged) {
        Err(IdentityPoolError::Service(error)) => {
            assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized, "{error}");
        }
        other => panic!("expected NotAuthorized, got {other:?}"),
    }
    assert!(!forged.is_refreshing());
}
