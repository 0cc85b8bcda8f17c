//! End to end: the sans-IO [`SignIn`] state machine driven against moto 5.2.5's server
//! (`bash scripts/ensure-tool.sh moto`; see `cognito_auth_testkit::moto`) for the challenges MiniStack never
//! issues: `MFA_SETUP` (TOTP set up during sign-in) and `SMS_MFA`.
//!
//! moto checks nothing cryptographic: any SRP proof passes, any SMS code passes. It does keep
//! Sessions, checks `SECRET_HASH` on MFA answers and, with
//! `MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true` (set by the harness), checks TOTP codes with no
//! skew window. These tests are about the shape of the exchanges: which request follows which
//! answer, which Session goes where. Deviations from Cognito that the tests work around are the
//! ones shared/reference/emulator.md documents, each marked "moto:" below.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::cognito_idp;
use cognito_auth_testkit::moto;
use cognito_auth_testkit::sign_in_driver;

use std::time::Instant;

use cognito_auth_core::SecretString;
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, CodeDelivery, Credentials, SignInError, UserStep,
};
use cognito_auth_core::totp::{Totp, TotpError, TotpSecret};
use cognito_auth_core::wire::Operation;
use serde_json::{Value, json};

use cognito_idp::{PASSWORD, Pool, RawResponse};
use moto::Moto;
use sign_in_driver::{Driver, Rewrite, assert_tokens, current_totp_code, srp, wrong_totp_code};

/// A second password that satisfies moto's default password policy.
const NEW_PASSWORD: &str = "Battery-Staple-7?";
/// moto: the one TOTP secret `AssociateSoftwareToken` returns for everybody (emulator.md:
/// "the single fixed secret `asdfasdfasdf` (60 bits)"). Real Cognito returns 256 random bits.
const MOTO_TOTP_SECRET: &str = "asdfasdfasdf";

// ---------------------------------------------------------------------------------------------
// The scenarios.

/// Pool MFA `ON`, a user without MFA: SRP, then `MFA_SETUP`, which the flow answers itself with
/// `AssociateSoftwareToken(Session)`; the user gets `SetUpTotp`, a wrong first code keeps the
/// step, the right one goes `VerifySoftwareToken` → `RespondToAuthChallenge(MFA_SETUP)` →
/// tokens. The next sign-in asks for the TOTP code.
#[test]
fn mfa_setup_sets_up_totp_during_sign_in() {
    let started = Instant::now();
    let server = Moto::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "moto-mfa-setup", Value::Null, false);
    pool.require_totp();
    pool.user("mia", &[]);

    let mut driver = Driver::new(idp).with_rewrite(widen_moto_totp_secret());
    let (mut flow, outcome) = driver.start(pool.config(), srp("mia", PASSWORD));
    let step = driver.expect_challenge(outcome);
    let UserStep::SetUpTotp { details } = &step else {
        panic!("expected SetUpTotp, got {step:?}\n{}", driver.render());
    };
    assert_eq!(details.username(), "mia");
    assert_eq!(
        driver.operations(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "AssociateSoftwareToken"
        ],
        "{}",
        driver.render()
    );
    // MFA_SETUP's Session went into AssociateSoftwareToken, and nothing else did.
    let mfa_setup: Value = serde_json::from_str(&driver.transcript()[1].response).unwrap();
    assert_eq!(mfa_setup["ChallengeName"], "MFA_SETUP", "{mfa_setup}");
    let associate = driver.last_request();
    assert_eq!(
        associate,
        json!({ "Session": mfa_setup["Session"] }),
        "{}",
        driver.render()
    );
    let secret = details.shared_secret().clone();

    let outcome = driver.answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: wrong_totp_code(&secret),
            friendly_device_name: Some("phone".into()),
        },
    );
    driver.expect_refused_answer(outcome, "CodeMismatchException");
    assert_eq!(flow.pending_step(), Some(&step), "{}", driver.render());

    let outcome = driver.answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: current_totp_code(&secret),
            friendly_device_name: Some("phone".into()),
        },
    );
    assert_tokens(&driver.expect_signed_in(outcome), "MFA_SETUP");
    let operations = driver.operations();
    assert_eq!(
        operations[3..],
        [
            "VerifySoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge"
        ],
        "{}",
        driver.render()
    );
    // RespondToAuthChallenge(MFA_SETUP) carries the Session VerifySoftwareToken returned.
    let verified: Value = serde_json::from_str(&driver.transcript()[4].response).unwrap();
    assert_eq!(verified["Status"], "SUCCESS", "{verified}");
    let respond = driver.last_request();
    assert_eq!(respond["ChallengeName"], "MFA_SETUP", "{respond}");
    assert_eq!(
        respond["Session"],
        verified["Session"],
        "{}",
        driver.render()
    );
    let setup_transcript = driver.render();

    // Enrolled: the next sign-in asks for the authenticator's code.
    let mut driver = Driver::new(idp);
    let (mut flow, outcome) = driver.start(pool.config(), srp("mia", PASSWORD));
    let step = driver.expect_challenge(outcome);
    assert!(
        matches!(step, UserStep::ConfirmTotpCode { .. }),
        "{step:?}\n{}",
        driver.render()
    );
    let outcome = driver.answer(
        &mut flow,
        ChallengeAnswer::TotpCode(current_totp_code(&secret)),
    );
    assert_tokens(
        &driver.expect_signed_in(outcome),
        "SOFTWARE_TOKEN_MFA after setup",
    );
    eprintln!(
        "mfa_setup_sets_up_totp_during_sign_in: {:?}\n{setup_transcript}",
        started.elapsed()
    );
}

/// The same `MFA_SETUP` reached the other way: an administrator-created user signs in with the
/// temporary password (`USER_PASSWORD_AUTH`), gets `NEW_PASSWORD_REQUIRED`, and after the new
/// password moto asks for `MFA_SETUP` within the same sign-in.
#[test]
fn new_password_then_mfa_setup_in_one_sign_in() {
    let server = Moto::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "moto-new-password", Value::Null, false);
    pool.require_totp();
    idp.create_user_with_temporary_password(
        pool.id.as_str(),
        "nora",
        PASSWORD,
        &[("email", "nora@example.com")],
    );

    let mut driver = Driver::new(idp).with_rewrite(widen_moto_totp_secret());
    let (mut flow, outcome) = driver.start(
        pool.config(),
        Credentials::password("nora", SecretString::new(PASSWORD)),
    );
    let step = driver.expect_challenge(outcome);
    // moto: NEW_PASSWORD_REQUIRED carries only USERNAME (no userAttributes, no
    // requiredAttributes), so both lists are empty.
    assert_eq!(
        step,
        UserStep::NewPassword {
            required_attributes: Vec::new(),
            user_attributes: Default::default(),
        },
        "{}",
        driver.render()
    );
    let outcome = driver.answer(
        &mut flow,
        ChallengeAnswer::NewPassword {
            password: SecretString::new(NEW_PASSWORD),
            attributes: Vec::new(),
        },
    );
    let step = driver.expect_challenge(outcome);
    let UserStep::SetUpTotp { details } = &step else {
        panic!("expected SetUpTotp, got {step:?}\n{}", driver.render());
    };
    let secret = details.shared_secret().clone();
    let outcome = driver.answer(
        &mut flow,
        ChallengeAnswer::TotpSetupCode {
            code: current_totp_code(&secret),
            friendly_device_name: None,
        },
    );
    assert_tokens(
        &driver.expect_signed_in(outcome),
        "NEW_PASSWORD_REQUIRED + MFA_SETUP",
    );
    assert_eq!(
        driver.operations(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge"
        ],
        "{}",
        driver.render()
    );

    // The new password is the password now (moto compares it in USER_PASSWORD_AUTH), and the
    // enrolled authenticator is asked for.
    let mut driver = Driver::new(idp);
    let (_, outcome) = driver.start(
        pool.config(),
        Credentials::password("nora", SecretString::new(PASSWORD)),
    );
    driver.expect_service_error(outcome, "NotAuthorizedException");
    let mut driver = Driver::new(idp);
    let (mut flow, outcome) = driver.start(
        pool.config(),
        Credentials::password("nora", SecretString::new(NEW_PASSWORD)),
    );
    let step = driver.expect_challenge(outcome);
    assert!(matches!(step, UserStep::ConfirmTotpCode { .. }), "{step:?}");
    let outcome = driver.answer(
        &mut flow,
        ChallengeAnswer::TotpCode(current_totp_code(&secret)),
    );
    assert_tokens(
        &driver.expect_signed_in(outcome),
        "SOFTWARE_TOKEN_MFA with the new password",
    );
}

/// moto's own secret, unmodified, is refused by the core: 60 bits is under the 128 bits
/// `TotpSetupDetails` accepts. The flow ends at `AssociateSoftwareToken`. Against Cognito (256
/// bits) this does not happen; the test pins the refusal so that a change is noticed.
#[test]
fn moto_fixed_totp_secret_is_too_short_for_the_core() {
    let server = Moto::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "moto-short-secret", Value::Null, false);
    pool.require_totp();
    pool.user("max", &[]);

    let mut driver = Driver::new(idp);
    let (flow, outcome) = driver.start(pool.config(), srp("max", PASSWORD));
    match outcome {
        Err(SignInError::Totp(TotpError::SecretTooShort { .. })) => {}
        other => panic!(
            "expected Totp(SecretTooShort), got {other:?}\n{}",
            driver.render()
        ),
    }
    assert!(flow.is_over());
    assert_eq!(
        driver.operations().last(),
        Some(&"AssociateSoftwareToken"),
        "{}",
        driver.render()
    );
}

/// A user with a phone number and SMS MFA preferred: `ConfirmSmsMfaCode`, then tokens (moto
/// accepts any code). Through SRP and `USER_PASSWORD_AUTH`, with a client secret, whose
/// `SECRET_HASH` moto checks on the `SMS_MFA` answer.
#[test]
fn sms_mfa_code_signs_in() {
    let started = Instant::now();
    let server = Moto::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "moto-sms", Value::Null, true);
    idp.set_user_pool_mfa_config(
        pool.id.as_str(),
        json!({
            "MfaConfiguration": "OPTIONAL",
            "SmsMfaConfiguration": {
                "SmsAuthenticationMessage": "Your code is {####}",
                "SmsConfiguration": {
                    "SnsCallerArn": "arn:aws:iam::123456789012:role/sns-caller",
                    "ExternalId": "cognito-auth-tests",
                },
            },
        }),
    );
    pool.user(
        "sam",
        &[
            ("phone_number", "+15555550100"),
            ("phone_number_verified", "true"),
        ],
    );
    idp.call_ok(
        "AdminSetUserMFAPreference",
        json!({
            "UserPoolId": pool.id.as_str(),
            "Username": "sam",
            "SMSMfaSettings": { "Enabled": true, "PreferredMfa": true },
        }),
    );

    for credentials in [
        srp("sam", PASSWORD),
        Credentials::password("sam", SecretString::new(PASSWORD)),
    ] {
        let mut driver = Driver::new(idp);
        let (mut flow, outcome) = driver.start(pool.config(), credentials);
        let step = driver.expect_challenge(outcome);
        // moto: MFA challenges carry empty ChallengeParameters (emulator.md), so there are no
        // delivery details; Cognito sends CODE_DELIVERY_DESTINATION / _DELIVERY_MEDIUM.
        assert_eq!(
            step,
            UserStep::ConfirmSmsMfaCode {
                delivery: CodeDelivery::default()
            },
            "{}",
            driver.render()
        );
        let outcome = driver.answer(&mut flow, ChallengeAnswer::SmsMfaCode("123456".into()));
        assert_tokens(&driver.expect_signed_in(outcome), "SMS_MFA");
        let answer = driver.last_request();
        assert_eq!(answer["ChallengeName"], "SMS_MFA", "{answer}");
        assert_eq!(answer["ChallengeResponses"]["SMS_MFA_CODE"], "123456");
        assert_eq!(answer["ChallengeResponses"]["USERNAME"], "sam", "{answer}");
        assert!(
            answer["ChallengeResponses"]["SECRET_HASH"].is_string(),
            "{answer}"
        );
        assert!(answer["Session"].is_string(), "{answer}");
    }

    // The control: with a wrong client secret moto refuses the SMS_MFA answer.
    let wrong = ClientConfig::new(pool.id.clone(), &pool.client.client_id)
        .unwrap()
        .with_client_secret(SecretString::new("not-the-client-secret"))
        .unwrap();
    let mut driver = Driver::new(idp);
    let (mut flow, outcome) = driver.start(
        wrong,
        Credentials::password("sam", SecretString::new(PASSWORD)),
    );
    let _ = driver.expect_challenge(outcome);
    let outcome = driver.answer(&mut flow, ChallengeAnswer::SmsMfaCode("123456".into()));
    driver.expect_service_error(outcome, "NotAuthorizedException");
    assert!(flow.is_over());
    eprintln!("sms_mfa_code_signs_in: {:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

/// This file's additions to the test kit's fixture.
trait PoolExt {
    fn require_totp(&self);
}

impl PoolExt for Pool<'_> {
    /// MFA `ON` with software tokens only: a user without MFA gets `MFA_SETUP`.
    fn require_totp(&self) {
        self.idp.set_user_pool_mfa_config(
            self.id.as_str(),
            json!({
                "MfaConfiguration": "ON",
                "SoftwareTokenMfaConfiguration": { "Enabled": true },
            }),
        );
    }
}

/// moto: `AssociateSoftwareToken` returns the fixed 60-bit secret `asdfasdfasdf`, which the
/// core refuses (`moto_fixed_totp_secret_is_too_short_for_the_core`). This rewrite hands the
/// flow the same key zero-padded to 32 bytes instead: HMAC pads a key shorter than its block
/// (64 bytes for SHA-1) with zeros, so both keys give the same codes, and moto, which checks
/// codes against its own secret, accepts the codes the core computes from the padded one.
/// Nothing else is changed.
fn widen_moto_totp_secret() -> Rewrite {
    let short = TotpSecret::from_base32_allow_short(MOTO_TOTP_SECRET).unwrap();
    let mut key = short.expose().to_vec();
    key.resize(32, 0);
    let wide = TotpSecret::from_bytes(&key).unwrap();
    let now = sign_in_driver::now();
    assert_eq!(
        Totp::COGNITO.code(&short, now).unwrap().as_str(),
        Totp::COGNITO.code(&wide, now).unwrap().as_str(),
        "zero-padding the key changed the TOTP code"
    );
    let wide_base32 = wide.to_base32().expose().to_owned();
    Box::new(move |operation: Operation, raw: &RawResponse| {
        if operation != Operation::AssociateSoftwareToken || raw.status != 200 {
            return None;
        }
        let mut body: Value = serde_json::from_slice(&raw.body).ok()?;
        assert_eq!(
            body["SecretCode"], MOTO_TOTP_SECRET,
            "moto's AssociateSoftwareToken secret changed; revisit widen_moto_totp_secret"
        );
        body["SecretCode"] = json!(wide_base32);
        Some(body.to_string().into_bytes())
    })
}
