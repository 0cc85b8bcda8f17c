//! End to end: the signed-in user's account operations (`account::{user, mfa}`) against
//! MiniStack 1.5.33 with `AUTH=true` (`bash scripts/ensure-tool.sh ministack`; see
//! `cognito_auth_testkit::ministack`). The access token comes from a real sign-in through
//! [`SignIn`](cognito_auth_core::sign_in::SignIn) (`cognito_auth_testkit::sign_in_driver`); each
//! operation's request is posted exactly as the core built it, and the answer is fed back to its
//! `parse_response`.
//!
//! What MiniStack 1.5.33 lacks, checked here so that a new version that adds it is noticed:
//! * `VerifyUserAttribute` and `GetUserAttributeVerificationCode`: 400 `InvalidAction`. Those two
//!   run only against transcripts (tests/account_user.rs).
//! * `UpdateUserAttributes` sends no verification code (`CodeDeliveryDetailsList` is always
//!   empty) and checks no schema; `email_verified` is left as it was.
//! * `SetUserMFAPreference` ignores `EmailMfaSettings`, and accepts SMS without a phone number.
//! * `VerifySoftwareToken` enables TOTP and makes it preferred by itself; Cognito waits for
//!   `SetUserMFAPreference`. The test therefore turns TOTP off and on again through the core.
//! * Access tokens are not revoked by `ChangePassword` (neither are Cognito's).
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

use cognito_auth_core::account::{
    AccountError, AccountOperation, AssociateSoftwareToken, ChangePassword, GetUser,
    GetUserAttributeVerificationCode, MfaPreference, MfaSetting, SetUserMfaPreference,
    UpdateUserAttributes, VerifySoftwareToken, VerifyUserAttribute,
};
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, HttpResponse, MfaType, UserStep,
};
use cognito_auth_core::wire::{ServiceError, ServiceErrorKind};
use cognito_auth_core::{SecretString, UserPoolId};
use serde_json::{Value, json};

use cognito_idp::{CognitoIdp, PASSWORD};
use ministack::MiniStack;
use sign_in_driver::{
    Driver, assert_tokens, current_totp_code, jwt_claims, sign_in_srp, wrong_totp_code,
};

/// A second password that satisfies the default pool password policy.
const NEW_PASSWORD: &str = "Battery-Staple-7?";

/// Sends `operation`'s request to the emulator and parses the answer. Returns the raw body too,
/// for failure messages.
fn send<O: AccountOperation>(
    idp: &CognitoIdp,
    config: &ClientConfig,
    operation: &O,
) -> (Result<O::Output, AccountError>, String) {
    let request = operation
        .request(config)
        .unwrap_or_else(|e| panic!("the core refused to build the request: {e}"));
    let raw = idp.post(
        request.operation().name(),
        &request.headers(),
        request.body(),
    );
    let response =
        HttpResponse::new(raw.status, &raw.body).with_error_type(raw.error_type.as_deref());
    let text = format!(
        "{} -> HTTP {} {}",
        request.operation(),
        raw.status,
        String::from_utf8_lossy(&raw.body)
    );
    (operation.parse_response(response), text)
}

/// [`send`], which must succeed.
fn expect_ok<O: AccountOperation>(
    idp: &CognitoIdp,
    config: &ClientConfig,
    operation: &O,
) -> O::Output {
    let (result, text) = send(idp, config, operation);
    result.unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// [`send`], which must give a service error with `code`.
fn expect_service_error<O: AccountOperation>(
    idp: &CognitoIdp,
    config: &ClientConfig,
    operation: &O,
    code: &str,
) -> ServiceError {
    match send(idp, config, operation) {
        (Err(AccountError::Service(error)), _) if error.code() == code => error,
        (other, text) => panic!(
            "expected service error {code}, got {:?}\n{text}",
            other.map(drop)
        ),
    }
}

/// A pool with `email` as an ordinary attribute, TOTP MFA `OPTIONAL`, one public app client and
/// one confirmed user.
struct Pool<'a> {
    idp: &'a CognitoIdp,
    config: ClientConfig,
}

impl<'a> Pool<'a> {
    fn create(idp: &'a CognitoIdp, name: &str) -> Self {
        let id = idp.create_user_pool(name, Value::Null);
        // MiniStack asks for a TOTP code exactly from users who enabled it with OPTIONAL.
        idp.set_user_pool_mfa_config(
            &id,
            json!({
                "MfaConfiguration": "OPTIONAL",
                "SoftwareTokenMfaConfiguration": { "Enabled": true },
            }),
        );
        let client = idp.create_app_client(&id, &format!("{name}-app"), false);
        let config = ClientConfig::new(UserPoolId::parse(&id).unwrap(), &client.client_id).unwrap();
        Self { idp, config }
    }

    /// A signed-in user's access token (no MFA on the way).
    fn sign_in(&self, username: &str, password: &str) -> SecretString {
        sign_in_srp(self.idp, self.config.clone(), username, password, "sign-in")
            .tokens
            .access_token
    }
}

#[test]
fn profile_attributes_and_password() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "acct-profile");
    let config = &pool.config;
    idp.create_confirmed_user(
        pool.config.user_pool().as_str(),
        "alice",
        PASSWORD,
        &[("email", "alice@example.com")],
    );
    let token = pool.sign_in("alice", PASSWORD);
    let sub = jwt_claims(token.expose())["sub"]
        .as_str()
        .unwrap()
        .to_owned();

    // GetUser: Amplify's fetchUserAttributes + fetchMFAPreference.
    let user = expect_ok(idp, config, &GetUser::new(token.clone()));
    assert_eq!(user.username, "alice");
    assert_eq!(user.attributes["email"], "alice@example.com");
    assert_eq!(user.attributes["sub"], sub);
    assert_eq!(user.mfa, MfaPreference::default(), "no MFA yet: {user:?}");

    // UpdateUserAttributes, then GetUser sees the new values.
    let update = UpdateUserAttributes::new(
        token.clone(),
        [
            ("name", "Alice Liddell"),
            ("phone_number", "+12065551212"),
            ("email", "alice@example.org"),
        ],
    );
    let deliveries = expect_ok(idp, config, &update);
    assert!(
        deliveries.is_empty(),
        "MiniStack sends no codes: {deliveries:?}"
    );
    let user = expect_ok(idp, config, &GetUser::new(token.clone()));
    assert_eq!(user.attributes["name"], "Alice Liddell");
    assert_eq!(user.attributes["phone_number"], "+12065551212");
    assert_eq!(user.attributes["email"], "alice@example.org");

    // Not implemented by MiniStack 1.5.33: the answer is a typed service error all the same.
    for error in [
        expect_service_error(
            idp,
            config,
            &GetUserAttributeVerificationCode::new(token.clone(), "email"),
            "InvalidAction",
        ),
        expect_service_error(
            idp,
            config,
            &VerifyUserAttribute::new(token.clone(), "email", "123456"),
            "InvalidAction",
        ),
    ] {
        assert_eq!(error.kind(), ServiceErrorKind::Unknown, "{error}");
    }

    // ChangePassword: a wrong previous password, a weak proposal, then the real change.
    let wrong = ChangePassword::new(
        token.clone(),
        SecretString::new("Wrong-Horse-9!"),
        SecretString::new(NEW_PASSWORD),
    );
    expect_service_error(idp, config, &wrong, "NotAuthorizedException");
    let weak = ChangePassword::new(
        token.clone(),
        SecretString::new(PASSWORD),
        SecretString::new("short"),
    );
    let error = expect_service_error(idp, config, &weak, "InvalidPasswordException");
    assert_eq!(error.kind(), ServiceErrorKind::InvalidPassword);
    let change = ChangePassword::new(
        token.clone(),
        SecretString::new(PASSWORD),
        SecretString::new(NEW_PASSWORD),
    );
    expect_ok(idp, config, &change);

    // The old password no longer signs in; the new one does.
    let mut driver = Driver::new(idp);
    let (_, outcome) = driver.start(
        config.clone(),
        Credentials::srp("alice", SecretString::new(PASSWORD)),
    );
    driver.expect_service_error(outcome, "NotAuthorizedException");
    let fresh = pool.sign_in("alice", NEW_PASSWORD);
    assert_eq!(
        expect_ok(idp, config, &GetUser::new(fresh)).username,
        "alice"
    );

    // A token that is not one: NotAuthorizedException, which an app answers by signing in.
    let error = expect_service_error(
        idp,
        config,
        &GetUser::new(SecretString::new("not.a.token")),
        "NotAuthorizedException",
    );
    assert!(error.restarts_sign_in(), "{error}");
}

#[test]
fn totp_setup_after_sign_in_then_totp_at_sign_in() {
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "acct-totp");
    let config = &pool.config;
    idp.create_confirmed_user(pool.config.user_pool().as_str(), "bob", PASSWORD, &[]);
    let token = pool.sign_in("bob", PASSWORD);

    // Amplify's setUpTOTP: the secret, offered as an otpauth URI.
    let setup = expect_ok(
        idp,
        config,
        &AssociateSoftwareToken::new(token.clone(), "bob"),
    );
    assert_eq!(setup.username(), "bob");
    let uri = setup.setup_uri("My App", None);
    let secret = setup.shared_secret().to_base32();
    assert_eq!(
        uri.expose(),
        format!(
            "otpauth://totp/My%20App:bob?secret={}&issuer=My%20App",
            secret.expose()
        )
    );

    // Amplify's verifyTOTPSetup: a wrong code first, then the authenticator's code.
    let wrong = VerifySoftwareToken::new(token.clone(), &wrong_totp_code(setup.shared_secret()));
    let error = expect_service_error(idp, config, &wrong, "EnableSoftwareTokenMFAException");
    assert_eq!(error.kind(), ServiceErrorKind::EnableSoftwareTokenMfa);
    assert!(
        !error.is_retryable() && !error.restarts_sign_in(),
        "{error}"
    );
    let verify = VerifySoftwareToken::new(token.clone(), &current_totp_code(setup.shared_secret()))
        .with_friendly_device_name("Bob's phone");
    expect_ok(idp, config, &verify);

    // MiniStack enables TOTP on verification (Cognito does not): turn it off through the core,
    // so that enabling it below is visibly the core's doing.
    let off = SetUserMfaPreference::new(token.clone()).with(MfaType::Totp, MfaSetting::DISABLED);
    expect_ok(idp, config, &off);
    let user = expect_ok(idp, config, &GetUser::new(token.clone()));
    assert_eq!(user.mfa, MfaPreference::default(), "{user:?}");

    let on = SetUserMfaPreference::new(token.clone()).with(MfaType::Totp, MfaSetting::PREFERRED);
    expect_ok(idp, config, &on);
    let user = expect_ok(idp, config, &GetUser::new(token.clone()));
    assert_eq!(user.mfa.enabled, [MfaType::Totp], "{user:?}");
    assert_eq!(user.mfa.preferred, Some(MfaType::Totp), "{user:?}");

    // The next sign-in asks for the TOTP code; the library's TOTP answers it.
    let mut driver = Driver::new(idp);
    let (mut flow, outcome) = driver.start(
        config.clone(),
        Credentials::srp("bob", SecretString::new(PASSWORD)),
    );
    let step = driver.expect_challenge(outcome);
    assert!(
        matches!(step, UserStep::ConfirmTotpCode { .. }),
        "{step:?}\n{}",
        driver.render()
    );
    let code = current_totp_code(setup.shared_secret());
    let outcome = driver.answer(&mut flow, ChallengeAnswer::TotpCode(code));
    assert_tokens(&driver.expect_signed_in(outcome), "after TOTP");
    assert_eq!(
        driver.last_request()["ChallengeName"],
        "SOFTWARE_TOKEN_MFA",
        "{}",
        driver.render()
    );
}
