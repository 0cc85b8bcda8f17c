//! End to end: sign-up and password reset built and parsed by the core, sent to MiniStack 1.5.33
//! with `AUTH=true` (`bash scripts/ensure-tool.sh ministack`; see `cognito_auth_testkit::ministack`),
//! which checks `SECRET_HASH` and the confirmation codes: `123456` for sign-up, `654321` for a
//! password reset (shared/reference/emulator.md). Each new password is then proven with an SRP
//! sign-in through the core's `SignIn`.
//!
//! MiniStack never returns a sign-up `Session`, so auto sign-in is covered by transcripts only.
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
    AccountError, ConfirmForgotPassword, ConfirmSignUp, ForgotPassword, ResendConfirmationCode,
    SignUp, SignUpNextStep,
};
use cognito_auth_core::sign_in::{ClientConfig, SignInError, Step};
use cognito_auth_core::wire::ServiceErrorKind;
use serde_json::{Value, json};

use cognito_idp::{PASSWORD, Pool};
use ministack::MiniStack;
use sign_in_driver::{Driver, jwt_claims, sign_in_srp, srp};

/// A second password that satisfies the default pool password policy.
const NEW_PASSWORD: &str = "Battery-Staple-7?";
/// MiniStack's sign-up confirmation code under `AUTH=true`.
const SIGN_UP_CODE: &str = "123456";
/// MiniStack's password-reset code under `AUTH=true`.
const RESET_CODE: &str = "654321";

/// This file's additions to the test kit's fixture.
trait PoolExt {
    fn user_status(&self, username: &str) -> String;
    fn sign_in(&self, username: &str, password: &str) -> Value;
    fn sign_in_refused(&self, username: &str, password: &str) -> Result<Step, SignInError>;
}

impl PoolExt for Pool<'_> {
    fn user_status(&self, username: &str) -> String {
        let user = self.idp.call_ok(
            "AdminGetUser",
            json!({ "UserPoolId": self.id.as_str(), "Username": username }),
        );
        user["UserStatus"].as_str().unwrap().to_owned()
    }

    /// An SRP sign-in through the core; panics with the transcript unless it gets tokens.
    fn sign_in(&self, username: &str, password: &str) -> Value {
        let signed_in = sign_in_srp(
            self.idp,
            self.config(),
            username,
            password,
            "sign-in after sign-up",
        );
        jwt_claims(signed_in.tokens.access_token.expose())
    }

    /// A sign-in that does not get tokens: what the flow says instead.
    fn sign_in_refused(&self, username: &str, password: &str) -> Result<Step, SignInError> {
        let mut driver = Driver::new(self.idp);
        let (_, outcome) = driver.start(self.config(), srp(username, password));
        assert!(
            !matches!(outcome, Ok(Step::SignedIn(_))),
            "signed in with {password:?}\n{}",
            driver.render()
        );
        outcome
    }
}

fn service_kind(error: AccountError) -> ServiceErrorKind {
    match error {
        AccountError::Service(service) => service.kind(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// SignUp → wrong code → ConfirmSignUp(123456) → SRP sign-in, for a public and a secret client.
fn sign_up_confirm_sign_in(with_secret: bool) {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "signup", Value::Null, with_secret);

    let signed_up = pool
        .send(
            &SignUp::new("alice", SecretString::new(PASSWORD))
                .attribute("email", "alice@example.com")
                .attribute("phone_number", "+12065551212")
                .attribute("name", "Alice")
                .validation_data("source", "test")
                .client_metadata("app", "tests"),
        )
        .unwrap();
    assert!(!signed_up.user_confirmed, "{signed_up:?}");
    assert_eq!(signed_up.next_step, SignUpNextStep::ConfirmSignUp);
    assert!(!signed_up.user_sub.is_empty());
    let delivery = signed_up.code_delivery.clone().expect("a code was sent");
    assert_eq!(delivery.medium.as_deref(), Some("EMAIL"), "{delivery:?}");
    assert_eq!(delivery.attribute_name.as_deref(), Some("email"));
    assert_eq!(pool.user_status("alice"), "UNCONFIRMED");
    // Signing in now leads to the confirmation step, naming the user to confirm.
    let Ok(Step::ConfirmSignUp { username }) = pool.sign_in_refused("alice", PASSWORD) else {
        panic!("expected Step::ConfirmSignUp");
    };
    assert_eq!(username, "alice");

    assert_eq!(
        service_kind(
            pool.send(&ConfirmSignUp::new("alice", "000000"))
                .unwrap_err()
        ),
        ServiceErrorKind::CodeMismatch
    );
    assert_eq!(pool.user_status("alice"), "UNCONFIRMED");

    let mut confirm = ConfirmSignUp::new("alice", SIGN_UP_CODE);
    if let Some(session) = signed_up.session.as_deref() {
        confirm = confirm.with_session(session);
    }
    let confirmed = pool.send(&confirm).unwrap();
    assert_eq!(
        confirmed.session, None,
        "MiniStack issues no auto sign-in session"
    );
    assert_eq!(pool.user_status("alice"), "CONFIRMED");

    let claims = pool.sign_in("alice", PASSWORD);
    assert_eq!(claims["sub"], signed_up.user_sub.as_str(), "{claims}");
    assert_eq!(claims["username"], "alice", "{claims}");
}

#[test]
fn sign_up_confirm_then_sign_in_public_client() {
    sign_up_confirm_sign_in(false);
}

#[test]
fn sign_up_confirm_then_sign_in_secret_client() {
    sign_up_confirm_sign_in(true);
}

#[test]
fn secret_client_without_its_secret_is_refused() {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "nosecret", Value::Null, true);
    let without_secret = ClientConfig::new(pool.id.clone(), &pool.client.client_id).unwrap();
    let error = pool
        .send_as(
            &without_secret,
            &SignUp::new("alice", SecretString::new(PASSWORD)),
        )
        .unwrap_err();
    assert_eq!(service_kind(error), ServiceErrorKind::NotAuthorized);
    let wrong_secret = ClientConfig::new(pool.id.clone(), &pool.client.client_id)
        .unwrap()
        .with_client_secret(SecretString::new("not-the-secret"))
        .unwrap();
    let error = pool
        .send_as(
            &wrong_secret,
            &SignUp::new("alice", SecretString::new(PASSWORD)),
        )
        .unwrap_err();
    assert_eq!(service_kind(error), ServiceErrorKind::NotAuthorized);
}

#[test]
fn resend_confirmation_code_then_confirm() {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "resend", Value::Null, true);
    pool.send(
        &SignUp::new("bob", SecretString::new(PASSWORD)).attribute("email", "bob@example.com"),
    )
    .unwrap();
    let delivery = pool.send(&ResendConfirmationCode::new("bob")).unwrap();
    assert!(delivery.destination.is_some(), "{delivery:?}");
    assert_eq!(
        service_kind(
            pool.send(&ResendConfirmationCode::new("nobody"))
                .unwrap_err()
        ),
        ServiceErrorKind::UserNotFound
    );
    pool.send(&ConfirmSignUp::new("bob", SIGN_UP_CODE)).unwrap();
    pool.sign_in("bob", PASSWORD);
}

#[test]
fn sign_up_refusals_from_the_pool() {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "exists", Value::Null, false);
    pool.send(&SignUp::new("carol", SecretString::new(PASSWORD)))
        .unwrap();
    assert_eq!(
        service_kind(
            pool.send(&SignUp::new("carol", SecretString::new(NEW_PASSWORD)))
                .unwrap_err()
        ),
        ServiceErrorKind::UsernameExists
    );
    assert_eq!(
        service_kind(
            pool.send(&SignUp::new("dave", SecretString::new("short")))
                .unwrap_err()
        ),
        ServiceErrorKind::InvalidPassword
    );
}

/// ForgotPassword → wrong code → ConfirmForgotPassword(654321) → the new password signs in, the
/// old one does not.
#[test]
fn forgot_password_then_sign_in_with_the_new_password() {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "reset", Value::Null, true);
    pool.idp.create_confirmed_user(
        pool.id.as_str(),
        "erin",
        PASSWORD,
        &[("email", "erin@example.com"), ("email_verified", "true")],
    );

    let delivery = pool
        .send(&ForgotPassword::new("erin").client_metadata("app", "tests"))
        .unwrap();
    assert!(delivery.destination.is_some(), "{delivery:?}");

    let reset = |code: &str| {
        pool.send(&ConfirmForgotPassword::new(
            "erin",
            code,
            SecretString::new(NEW_PASSWORD),
        ))
    };
    assert_eq!(
        service_kind(reset("111111").unwrap_err()),
        ServiceErrorKind::CodeMismatch
    );
    pool.sign_in("erin", PASSWORD); // unchanged so far

    reset(RESET_CODE).unwrap();
    pool.sign_in("erin", NEW_PASSWORD);
    assert!(matches!(
        pool.sign_in_refused("erin", PASSWORD),
        Err(SignInError::Service(e)) if e.kind() == ServiceErrorKind::NotAuthorized
    ));

    // The code was used up: MiniStack then answers ExpiredCodeException.
    assert_eq!(
        service_kind(reset(RESET_CODE).unwrap_err()),
        ServiceErrorKind::ExpiredCode
    );
    // A weak new password is Cognito's to refuse.
    pool.send(&ForgotPassword::new("erin")).unwrap();
    assert_eq!(
        service_kind(
            pool.send(&ConfirmForgotPassword::new(
                "erin",
                RESET_CODE,
                SecretString::new("weak")
            ))
            .unwrap_err()
        ),
        ServiceErrorKind::InvalidPassword
    );
}

#[test]
fn forgot_password_for_an_unknown_user() {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "unknown", Value::Null, false);
    assert_eq!(
        service_kind(pool.send(&ForgotPassword::new("nobody")).unwrap_err()),
        ServiceErrorKind::UserNotFound
    );
}

/// A pool that signs in with email addresses: the email is the username in every request, the
/// `SECRET_HASH` is over it, and Cognito stores the user under its `sub`.
#[test]
fn email_username_pool_with_a_secret() {
    let server = MiniStack::start();
    let pool = Pool::create(
        server.cognito(),
        "email",
        json!({ "UsernameAttributes": ["email"] }),
        true,
    );
    let email = "frank@example.com";
    let signed_up = pool
        .send(&SignUp::new(email, SecretString::new(PASSWORD)))
        .unwrap();
    assert_eq!(signed_up.next_step, SignUpNextStep::ConfirmSignUp);
    pool.send(&ConfirmSignUp::new(email, SIGN_UP_CODE)).unwrap();
    let claims = pool.sign_in(email, PASSWORD);
    assert_eq!(claims["sub"], signed_up.user_sub.as_str(), "{claims}");

    pool.send(&ForgotPassword::new(email)).unwrap();
    pool.send(&ConfirmForgotPassword::new(
        email,
        RESET_CODE,
        SecretString::new(NEW_PASSWORD),
    ))
    .unwrap();
    pool.sign_in(email, NEW_PASSWORD);
}

/// An administrator forces a reset: the sign-in says `ResetPassword`, and the app resets with
/// the code MiniStack sent (`AdminResetUserPassword` issues `654321` too).
#[test]
fn reset_required_by_the_administrator() {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "forced", Value::Null, false);
    pool.idp
        .create_confirmed_user(pool.id.as_str(), "gina", PASSWORD, &[]);
    pool.idp.call_ok(
        "AdminResetUserPassword",
        json!({ "UserPoolId": pool.id.as_str(), "Username": "gina" }),
    );
    let Ok(Step::ResetPassword { username }) = pool.sign_in_refused("gina", PASSWORD) else {
        panic!("expected Step::ResetPassword");
    };
    pool.send(&ConfirmForgotPassword::new(
        &username,
        RESET_CODE,
        SecretString::new(NEW_PASSWORD),
    ))
    .unwrap();
    assert_eq!(pool.user_status("gina"), "CONFIRMED");
    pool.sign_in("gina", NEW_PASSWORD);
}
