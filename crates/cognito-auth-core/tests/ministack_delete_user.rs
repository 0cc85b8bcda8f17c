//! End to end: `DeleteUser` against MiniStack 1.5.33 with `AUTH=true` (see
//! `cognito_auth_testkit::ministack`). A user signs in with SRP through the core, deletes their own
//! account with the core's request, and can then neither sign in nor use the old access token.
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

use cognito_auth_core::UserPoolId;
use cognito_auth_core::account::{AccountError, AccountOperation, DeleteUser, GetUser};
use cognito_auth_core::sign_in::{ClientConfig, SignInError};
use cognito_auth_core::wire::{HttpResponse, ServiceErrorKind};
use serde_json::Value;

use cognito_idp::{CognitoIdp, PASSWORD};
use ministack::MiniStack;
use sign_in_driver::{Driver, sign_in_srp, srp};

fn send<O: AccountOperation>(
    idp: &CognitoIdp,
    config: &ClientConfig,
    operation: &O,
) -> Result<O::Output, AccountError> {
    let request = operation.request(config).unwrap();
    let raw = idp.post(
        request.operation().name(),
        &request.headers(),
        request.body(),
    );
    operation.parse_response(
        HttpResponse::new(raw.status, &raw.body).with_error_type(raw.error_type.as_deref()),
    )
}

fn service_kind<T: core::fmt::Debug>(result: Result<T, AccountError>) -> ServiceErrorKind {
    match result {
        Err(AccountError::Service(error)) => error.kind(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn a_deleted_user_cannot_sign_in_again() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool_id = idp.create_user_pool("delete-user", Value::Null);
    let client = idp.create_app_client(&pool_id, "delete-app", false);
    idp.create_confirmed_user(&pool_id, "alice", PASSWORD, &[]);
    idp.create_confirmed_user(&pool_id, "bob", PASSWORD, &[]);
    let config =
        ClientConfig::new(UserPoolId::parse(&pool_id).unwrap(), &client.client_id).unwrap();

    let access = sign_in_srp(idp, config.clone(), "alice", PASSWORD, "first sign-in")
        .tokens
        .access_token;
    send(idp, &config, &GetUser::new(access.clone())).unwrap();

    send(idp, &config, &DeleteUser::new(access.clone())).unwrap();

    // The old access token is worthless and a second delete is refused: MiniStack says
    // UserNotFound (the token's user is gone) or NotAuthorized (the token is unknown); either
    // tells the app the account is gone.
    for (what, kind) in [
        (
            "GetUser",
            service_kind(send(idp, &config, &GetUser::new(access.clone()))),
        ),
        (
            "DeleteUser",
            service_kind(send(idp, &config, &DeleteUser::new(access))),
        ),
    ] {
        assert!(
            matches!(
                kind,
                ServiceErrorKind::UserNotFound | ServiceErrorKind::NotAuthorized
            ),
            "{what} after DeleteUser: {kind:?}"
        );
    }
    // And the user cannot sign in.
    let mut driver = Driver::new(idp);
    let (_, outcome) = driver.start(config.clone(), srp("alice", PASSWORD));
    match outcome {
        Err(SignInError::Service(error)) => {
            assert!(
                matches!(
                    error.kind(),
                    ServiceErrorKind::UserNotFound | ServiceErrorKind::NotAuthorized
                ),
                "{error}"
            );
            assert!(error.restarts_sign_in());
        }
        other => panic!("a deleted user signed in: {other:?}"),
    }

    // Only alice is gone.
    sign_in_srp(idp, config, "bob", PASSWORD, "the other user");
}
