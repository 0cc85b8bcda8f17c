//! End to end: the sans-IO [`SignIn`] state machine driven against MiniStack 1.5.33 with
//! `AUTH=true` (`bash scripts/ensure-tool.sh ministack`; see `cognito_auth_testkit::ministack`), which
//! verifies SRP proofs, `SECRET_HASH` and TOTP codes.
//!
//! The app side of the loop is `cognito_auth_testkit::sign_in_driver`: POST the request the flow hands
//! out, feed the answer back, at most a few hops; the tests play the user (answers to
//! [`UserStep`]s) and the administrator (pools, users, MFA settings via the JSON client). Each
//! test starts its own server; a failure prints the request/response transcript.
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

use std::time::Instant;

use cognito_auth_core::SecretString;
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, DeviceOutcome, SignInError, Step, UserStep,
};
use cognito_auth_core::totp::TotpSecret;
use serde_json::{Value, json};

use cognito_idp::{CognitoIdp, PASSWORD, Pool, string_at};
use ministack::MiniStack;
use sign_in_driver::{Driver, assert_tokens, current_totp_code, jwt_claims, srp, wrong_totp_code};

/// A second password that satisfies the default pool password policy.
const NEW_PASSWORD: &str = "Battery-Staple-7?";

// ---------------------------------------------------------------------------------------------
// The scenarios.

#[test]
fn srp_sign_in_gives_tokens() {
    let started = Instant::now();
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "flow-srp", Value::Null, false);
    pool.user("alice", &[]);

    let mut driver = Driver::new(server.cognito());
    let (flow, outcome) = driver.start(pool.config(), srp("alice", PASSWORD));
    let signed_in = driver.expect_signed_in(outcome);
    assert_tokens(&signed_in, "USER_SRP_AUTH");
    assert!(
        matches!(signed_in.device, DeviceOutcome::NoNewDevice),
        "{signed_in:?}"
    );
    assert!(!signed_in.stale_device_forgotten);
    assert!(flow.is_over());
    assert_eq!(
        driver.operations(),
        ["InitiateAuth", "RespondToAuthChallenge"],
        "{}",
        driver.render()
    );
    let verifier = driver.last_request();
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(verifier["ChallengeResponses"]["USERNAME"], "alice");
    assert!(
        verifier["ChallengeResponses"].get("SECRET_HASH").is_none(),
        "a public client sends no SECRET_HASH: {verifier}"
    );
    let id_token = jwt_claims(signed_in.tokens.id_token.as_ref().unwrap().expose());
    assert_eq!(id_token["cognito:username"], "alice", "{id_token}");
    eprintln!("srp_sign_in_gives_tokens: {:?}", started.elapsed());
}

#[test]
fn wrong_password_ends_the_flow_with_not_authorized() {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "flow-wrong", Value::Null, false);
    pool.user("bob", &[]);

    for credentials in [
        srp("bob", "Correct-Horse-9?"),
        Credentials::password("bob", SecretString::new("Correct-Horse-9?")),
    ] {
        let mut driver = Driver::new(server.cognito());
        let (mut flow, outcome) = driver.start(pool.config(), credentials);
        let error = driver.expect_service_error(outcome, "NotAuthorizedException");
        assert!(!error.is_retryable(), "{error}");
        assert!(flow.is_over(), "{}", driver.render());
        assert_eq!(flow.pending_step(), None);
        assert_eq!(
            flow.answer(
                ChallengeAnswer::TotpCode("123456".into()),
                sign_in_driver::now()
            )
            .unwrap_err(),
            SignInError::Finished
        );
    }
}

#[test]
fn client_secret_in_a_plain_and_an_email_alias_pool() {
    let server = MiniStack::start();
    let idp = server.cognito();

    // A plain pool: the typed name is Cognito's name.
    let plain = Pool::create(idp, "flow-secret", Value::Null, true);
    plain.user("frank", &[]);
    let mut driver = Driver::new(idp);
    let (_, outcome) = driver.start(plain.config(), srp("frank", PASSWORD));
    assert_tokens(&driver.expect_signed_in(outcome), "plain pool, SRP, secret");
    let initiate: Value = serde_json::from_str(&driver.transcript()[0].request).unwrap();
    assert!(
        initiate["AuthParameters"]["SECRET_HASH"].is_string(),
        "InitiateAuth without SECRET_HASH: {initiate}"
    );

    // An email-alias pool: the user types the address, MiniStack names the user by sub in
    // USERNAME and USER_ID_FOR_SRP, and every later request must carry (and hash) the sub.
    let alias = Pool::create(
        idp,
        "flow-secret-alias",
        json!({ "UsernameAttributes": ["email"] }),
        true,
    );
    let typed = "grace@example.com";
    let sub = alias.user(typed, &[("email", typed)]);
    assert_ne!(sub, typed, "an alias pool names its users by sub");
    let mut driver = Driver::new(idp);
    let (flow, outcome) = driver.start(alias.config(), srp(typed, PASSWORD));
    let signed_in = driver.expect_signed_in(outcome);
    assert_tokens(&signed_in, "alias pool, SRP, secret");
    assert_eq!(flow.username(), sub, "the flow adopted Cognito's USERNAME");
    let verifier = driver.last_request();
    assert_eq!(verifier["ChallengeResponses"]["USERNAME"], sub.as_str());
    let id_token = jwt_claims(signed_in.tokens.id_token.as_ref().unwrap().expose());
    assert_eq!(id_token["sub"], sub.as_str(), "{id_token}");

    // USER_PASSWORD_AUTH with the typed address and its SECRET_HASH: tokens at once.
    let mut driver = Driver::new(idp);
    let (_, outcome) = driver.start(
        alias.config(),
        Credentials::password(typed, SecretString::new(PASSWORD)),
    );
    assert_tokens(
        &driver.expect_signed_in(outcome),
        "alias pool, password, secret",
    );
    assert_eq!(driver.operations(), ["InitiateAuth"]);

    // The control: the same sign-in with another secret is refused.
    let wrong = ClientConfig::new(alias.id.clone(), &alias.client.client_id)
        .unwrap()
        .with_client_secret(SecretString::new("not-the-client-secret"))
        .unwrap();
    let mut driver = Driver::new(idp);
    let (flow, outcome) = driver.start(wrong, srp(typed, PASSWORD));
    driver.expect_service_error(outcome, "NotAuthorizedException");
    assert!(flow.is_over());
}

#[test]
fn totp_mfa_wrong_code_keeps_the_step_then_the_right_code_signs_in() {
    let started = Instant::now();
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "flow-totp", Value::Null, false);
    pool.enable_optional_totp();
    pool.user("tina", &[]);
    let secret = enrol_totp(idp, &pool, "tina", "tina");

    let mut driver = Driver::new(idp);
    let (mut flow, outcome) = driver.start(pool.config(), srp("tina", PASSWORD));
    let step = driver.expect_challenge(outcome);
    assert!(
        matches!(step, UserStep::ConfirmTotpCode { .. }),
        "{step:?}\n{}",
        driver.render()
    );
    assert_eq!(flow.pending_step(), Some(&step));

    let outcome = driver.answer(
        &mut flow,
        ChallengeAnswer::TotpCode(wrong_totp_code(&secret)),
    );
    // A wrong code keeps the step: AnswerRefused, not Service.
    driver.expect_refused_answer(outcome, "CodeMismatchException");
    assert!(!flow.is_over(), "{}", driver.render());
    assert_eq!(
        flow.pending_step(),
        Some(&step),
        "the same step is open again"
    );

    let code = current_totp_code(&secret);
    let outcome = driver.answer(&mut flow, ChallengeAnswer::TotpCode(code));
    assert_tokens(&driver.expect_signed_in(outcome), "TOTP MFA");
    assert!(flow.is_over());
    assert_eq!(
        driver.operations(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge"
        ]
    );
    let answer = driver.last_request();
    assert_eq!(answer["ChallengeName"], "SOFTWARE_TOKEN_MFA", "{answer}");
    assert_eq!(answer["ChallengeResponses"]["USERNAME"], "tina", "{answer}");
    eprintln!(
        "totp_mfa_wrong_code_keeps_the_step_then_the_right_code_signs_in: {:?}\n{}",
        started.elapsed(),
        driver.render()
    );
}

#[test]
fn totp_mfa_with_a_client_secret_in_an_email_alias_pool() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(
        idp,
        "flow-totp-alias",
        json!({ "UsernameAttributes": ["email"] }),
        true,
    );
    pool.enable_optional_totp();
    let typed = "ida@example.com";
    let sub = pool.user(typed, &[("email", typed)]);
    let secret = enrol_totp(idp, &pool, typed, &sub);

    let mut driver = Driver::new(idp);
    let (mut flow, outcome) = driver.start(pool.config(), srp(typed, PASSWORD));
    let step = driver.expect_challenge(outcome);
    assert!(matches!(step, UserStep::ConfirmTotpCode { .. }), "{step:?}");
    let outcome = driver.answer(
        &mut flow,
        ChallengeAnswer::TotpCode(current_totp_code(&secret)),
    );
    assert_tokens(
        &driver.expect_signed_in(outcome),
        "TOTP MFA, alias pool, secret",
    );
    // The MFA answer names the user by sub and hashes the sub (MiniStack checks the hash).
    let answer = driver.last_request();
    assert_eq!(
        answer["ChallengeResponses"]["USERNAME"],
        sub.as_str(),
        "{answer}"
    );
    assert!(
        answer["ChallengeResponses"]["SECRET_HASH"].is_string(),
        "{answer}"
    );
}

#[test]
fn new_password_required_for_an_admin_created_user() {
    let started = Instant::now();
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "flow-new-password", Value::Null, false);

    for (username, first) in [
        ("nina", srp("nina", PASSWORD)),
        (
            "olga",
            Credentials::password("olga", SecretString::new(PASSWORD)),
        ),
    ] {
        let email = format!("{username}@example.com");
        idp.create_user_with_temporary_password(
            pool.id.as_str(),
            username,
            PASSWORD,
            &[("email", &email)],
        );
        let mut driver = Driver::new(idp);
        let (mut flow, outcome) = driver.start(pool.config(), first);
        let step = driver.expect_challenge(outcome);
        let UserStep::NewPassword {
            required_attributes,
            user_attributes,
        } = &step
        else {
            panic!(
                "{username}: expected NewPassword, got {step:?}\n{}",
                driver.render()
            );
        };
        assert!(required_attributes.is_empty(), "{step:?}");
        assert_eq!(
            user_attributes.get("email").map(String::as_str),
            Some(email.as_str()),
            "{step:?}"
        );

        // Refused locally, nothing sent, the step stays open.
        let sent = driver.transcript().len();
        let refused = driver.answer(
            &mut flow,
            ChallengeAnswer::NewPassword {
                password: SecretString::new(""),
                attributes: Vec::new(),
            },
        );
        assert_eq!(refused.unwrap_err(), SignInError::EmptyPassword);
        assert_eq!(driver.transcript().len(), sent);
        assert_eq!(flow.pending_step(), Some(&step));

        let outcome = driver.answer(
            &mut flow,
            ChallengeAnswer::NewPassword {
                password: SecretString::new(NEW_PASSWORD),
                attributes: Vec::new(),
            },
        );
        assert_tokens(&driver.expect_signed_in(outcome), "NEW_PASSWORD_REQUIRED");
        let answer = driver.last_request();
        assert_eq!(answer["ChallengeName"], "NEW_PASSWORD_REQUIRED", "{answer}");
        assert_eq!(
            answer["ChallengeResponses"]["USERNAME"], username,
            "{answer}"
        );

        // The new password signs in (SRP proves it), the temporary one no longer does.
        let mut driver = Driver::new(idp);
        let (_, outcome) = driver.start(pool.config(), srp(username, NEW_PASSWORD));
        assert_tokens(
            &driver.expect_signed_in(outcome),
            "after NEW_PASSWORD_REQUIRED",
        );
        let mut driver = Driver::new(idp);
        let (_, outcome) = driver.start(pool.config(), srp(username, PASSWORD));
        driver.expect_service_error(outcome, "NotAuthorizedException");
    }
    eprintln!(
        "new_password_required_for_an_admin_created_user: {:?}",
        started.elapsed()
    );
}

#[test]
fn user_password_auth_gives_tokens() {
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "flow-password", Value::Null, false);
    pool.user("paul", &[]);

    let mut driver = Driver::new(server.cognito());
    let (flow, outcome) = driver.start(
        pool.config(),
        Credentials::password("paul", SecretString::new(PASSWORD)),
    );
    assert_tokens(&driver.expect_signed_in(outcome), "USER_PASSWORD_AUTH");
    assert!(flow.is_over());
    assert_eq!(driver.operations(), ["InitiateAuth"]);
    let initiate = driver.last_request();
    assert_eq!(initiate["AuthFlow"], "USER_PASSWORD_AUTH", "{initiate}");
}

#[test]
fn unconfirmed_user_gets_confirm_sign_up() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "flow-unconfirmed", Value::Null, false);
    idp.sign_up(&pool.client.client_id, "uma", PASSWORD, &[], None);

    for credentials in [
        srp("uma", PASSWORD),
        Credentials::password("uma", SecretString::new(PASSWORD)),
    ] {
        let mut driver = Driver::new(idp);
        let (flow, outcome) = driver.start(pool.config(), credentials);
        match outcome {
            Ok(Step::ConfirmSignUp { username }) => assert_eq!(username, "uma"),
            other => panic!("expected ConfirmSignUp, got {other:?}\n{}", driver.render()),
        }
        assert!(flow.is_over());
        assert_eq!(driver.operations(), ["InitiateAuth"]);
    }

    // What the app does next: ConfirmSignUp (MiniStack with AUTH=true issues 123456), sign in.
    idp.call_ok(
        "ConfirmSignUp",
        json!({
            "ClientId": pool.client.client_id,
            "Username": "uma",
            "ConfirmationCode": "123456",
        }),
    );
    let mut driver = Driver::new(idp);
    let (_, outcome) = driver.start(pool.config(), srp("uma", PASSWORD));
    assert_tokens(&driver.expect_signed_in(outcome), "after ConfirmSignUp");
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

/// This file's additions to the test kit's fixture.
trait PoolExt {
    fn enable_optional_totp(&self);
}

impl PoolExt for Pool<'_> {
    /// MFA `OPTIONAL` with software tokens: MiniStack asks for a TOTP code exactly from users
    /// who enabled it (with `ON`, it lets users without TOTP in, and never issues `MFA_SETUP`).
    fn enable_optional_totp(&self) {
        self.idp.set_user_pool_mfa_config(
            self.id.as_str(),
            json!({
                "MfaConfiguration": "OPTIONAL",
                "SoftwareTokenMfaConfiguration": { "Enabled": true },
            }),
        );
    }
}

/// Signs `typed` in through the flow (no MFA yet), then enables TOTP MFA as a signed-in app
/// would: AssociateSoftwareToken, VerifySoftwareToken with the core's code, SetUserMFAPreference.
/// Returns the secret.
fn enrol_totp(idp: &CognitoIdp, pool: &Pool<'_>, typed: &str, canonical: &str) -> TotpSecret {
    let mut driver = Driver::new(idp);
    let (_, outcome) = driver.start(pool.config(), srp(typed, PASSWORD));
    let signed_in = driver.expect_signed_in(outcome);
    let access_token = signed_in.tokens.access_token.expose().to_owned();
    let claims = jwt_claims(&access_token);
    assert_eq!(claims["username"], canonical, "{claims}");

    let associated = idp.call_ok(
        "AssociateSoftwareToken",
        json!({ "AccessToken": access_token }),
    );
    let secret = TotpSecret::from_base32(string_at(&associated, &["SecretCode"]))
        .unwrap_or_else(|e| panic!("MiniStack's SecretCode: {e:?}: {associated}"));
    let verified = idp.call_ok(
        "VerifySoftwareToken",
        json!({
            "AccessToken": access_token,
            "UserCode": current_totp_code(&secret),
            "FriendlyDeviceName": "phone",
        }),
    );
    assert_eq!(verified["Status"], "SUCCESS", "{verified}");
    idp.call_ok(
        "SetUserMFAPreference",
        json!({
            "AccessToken": access_token,
            "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true },
        }),
    );
    secret
}
