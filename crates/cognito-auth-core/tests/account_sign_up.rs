//! Sign-up and password reset (`SignUp`, `ConfirmSignUp`, `ResendConfirmationCode`,
//! `ForgotPassword`, `ConfirmForgotPassword`) against transcripts: the exact request bodies,
//! the response shapes of the Cognito API model, every input refusal, and every documented
//! error of each operation (shared/reference/signin.md §1, §8).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_core::account::{
    AccountError, AccountOperation, ConfirmForgotPassword, ConfirmSignUp, ConfirmSignUpResult,
    ForgotPassword, ResendConfirmationCode, SignUp, SignUpNextStep, SignUpResult,
};
use cognito_auth_core::phone_number::PhoneNumberError;
use cognito_auth_core::sign_in::{ClientConfig, CodeError};
use cognito_auth_core::wire::{CodeDelivery, HttpResponse, ResponseError, ServiceErrorKind};
use cognito_auth_core::{SecretString, UserPoolId, secret_hash};
use serde_json::{Value, json};

const CLIENT_ID: &str = "1example23456789abcdefghij";
const CLIENT_SECRET: &str = "1example23456789abcdefghijklmnopqrstuvwxyz0123456789";
const PASSWORD: &str = "Correct-Horse-9!";
const NEW_PASSWORD: &str = "Battery-Staple-7?";

fn public_client() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(), CLIENT_ID).unwrap()
}

fn secret_client() -> ClientConfig {
    public_client()
        .with_client_secret(SecretString::new(CLIENT_SECRET))
        .unwrap()
}

fn hash(username: &str) -> String {
    secret_hash(username, CLIENT_ID, &SecretString::new(CLIENT_SECRET))
}

/// The request body as JSON, after checking the headers name the operation.
fn body_of<O: AccountOperation>(operation: &O, client: &ClientConfig, name: &str) -> Value {
    let request = operation.request(client).unwrap();
    assert_eq!(request.operation().name(), name);
    let [_, (header, target)] = request.headers();
    assert_eq!(header, "x-amz-target");
    assert_eq!(target, format!("AWSCognitoIdentityProviderService.{name}"));
    serde_json::from_str(request.body()).unwrap()
}

fn ok<O: AccountOperation>(operation: &O, body: &str) -> Result<O::Output, AccountError> {
    operation.parse_response(HttpResponse::new(200, body.as_bytes()))
}

fn sign_up() -> SignUp {
    SignUp::new("alice", SecretString::new(PASSWORD))
}

// ---------------------------------------------------------------------------------------------
// Request bodies.

#[test]
fn sign_up_body_public_client_minimal() {
    assert_eq!(
        body_of(&sign_up(), &public_client(), "SignUp"),
        json!({
            "ClientId": CLIENT_ID,
            "Username": "alice",
            "Password": PASSWORD,
            "UserAttributes": [],
        })
    );
}

#[test]
fn sign_up_body_with_everything_and_a_secret() {
    let operation = sign_up()
        .attribute("email", "alice@example.com")
        .attribute("phone_number", "+12065551212")
        .attribute("custom:team", "blue")
        .validation_data("invite", "XYZ-1")
        .validation_data("source", "ios")
        .client_metadata("b", "2")
        .client_metadata("a", "1")
        .client_metadata("a", "3");
    let body = body_of(&operation, &secret_client(), "SignUp");
    assert_eq!(
        body,
        json!({
            "ClientId": CLIENT_ID,
            "Username": "alice",
            "Password": PASSWORD,
            "UserAttributes": [
                {"Name": "email", "Value": "alice@example.com"},
                {"Name": "phone_number", "Value": "+12065551212"},
                {"Name": "custom:team", "Value": "blue"},
            ],
            "ValidationData": [
                {"Name": "invite", "Value": "XYZ-1"},
                {"Name": "source", "Value": "ios"},
            ],
            "ClientMetadata": {"a": "3", "b": "2"},
            "SecretHash": hash("alice"),
        })
    );
    // The documented vector of `secret_hash` for this client and "alice".
    assert_eq!(
        body["SecretHash"],
        "//GwtE+1CK57uu1PfHhDchwQMQO4b0KDIie8ikhR0kk="
    );
}

#[test]
fn phone_number_usernames_are_sent_in_e164_and_hashed_as_sent() {
    let typed = "+1 (206) 555-1212";
    let expected = "+12065551212";
    let check = |body: Value| {
        assert_eq!(body["Username"], expected, "{body}");
        assert_eq!(body["SecretHash"], hash(expected), "{body}");
    };
    check(body_of(
        &SignUp::new(typed, SecretString::new(PASSWORD)),
        &secret_client(),
        "SignUp",
    ));
    check(body_of(
        &ConfirmSignUp::new(typed, "123456"),
        &secret_client(),
        "ConfirmSignUp",
    ));
    check(body_of(
        &ResendConfirmationCode::new(typed),
        &secret_client(),
        "ResendConfirmationCode",
    ));
    check(body_of(
        &ForgotPassword::new(typed),
        &secret_client(),
        "ForgotPassword",
    ));
    check(body_of(
        &ConfirmForgotPassword::new(typed, "654321", SecretString::new(NEW_PASSWORD)),
        &secret_client(),
        "ConfirmForgotPassword",
    ));
    // Emails and free usernames go as typed.
    let body = body_of(
        &ForgotPassword::new("Alice@Example.com"),
        &secret_client(),
        "ForgotPassword",
    );
    assert_eq!(body["Username"], "Alice@Example.com");
    assert_eq!(body["SecretHash"], hash("Alice@Example.com"));
}

#[test]
fn confirm_sign_up_bodies() {
    assert_eq!(
        body_of(
            &ConfirmSignUp::new("alice", " 123456 "),
            &public_client(),
            "ConfirmSignUp"
        ),
        json!({"ClientId": CLIENT_ID, "Username": "alice", "ConfirmationCode": "123456"})
    );
    let operation = ConfirmSignUp::new("alice", "12345678")
        .with_session("sign-up-session")
        .force_alias_creation(true)
        .client_metadata("k", "v");
    assert_eq!(
        body_of(&operation, &secret_client(), "ConfirmSignUp"),
        json!({
            "ClientId": CLIENT_ID,
            "Username": "alice",
            "ConfirmationCode": "12345678",
            "Session": "sign-up-session",
            "ForceAliasCreation": true,
            "ClientMetadata": {"k": "v"},
            "SecretHash": hash("alice"),
        })
    );
    let not_forced = ConfirmSignUp::new("alice", "123456").force_alias_creation(false);
    assert!(
        body_of(&not_forced, &public_client(), "ConfirmSignUp")
            .get("ForceAliasCreation")
            .is_none(),
        "false is Cognito's default and is not sent"
    );
}

#[test]
fn resend_confirmation_code_bodies() {
    assert_eq!(
        body_of(
            &ResendConfirmationCode::new("alice"),
            &public_client(),
            "ResendConfirmationCode"
        ),
        json!({"ClientId": CLIENT_ID, "Username": "alice"})
    );
    assert_eq!(
        body_of(
            &ResendConfirmationCode::new("alice"),
            &secret_client(),
            "ResendConfirmationCode"
        ),
        json!({"ClientId": CLIENT_ID, "Username": "alice", "SecretHash": hash("alice")})
    );
}

#[test]
fn forgot_password_bodies() {
    assert_eq!(
        body_of(
            &ForgotPassword::new("alice"),
            &public_client(),
            "ForgotPassword"
        ),
        json!({"ClientId": CLIENT_ID, "Username": "alice"})
    );
    assert_eq!(
        body_of(
            &ForgotPassword::new("alice").client_metadata("app", "ios"),
            &secret_client(),
            "ForgotPassword"
        ),
        json!({
            "ClientId": CLIENT_ID,
            "Username": "alice",
            "ClientMetadata": {"app": "ios"},
            "SecretHash": hash("alice"),
        })
    );
}

#[test]
fn confirm_forgot_password_bodies() {
    let operation = ConfirmForgotPassword::new("alice", "654321", SecretString::new(NEW_PASSWORD));
    assert_eq!(
        body_of(&operation, &public_client(), "ConfirmForgotPassword"),
        json!({
            "ClientId": CLIENT_ID,
            "Username": "alice",
            "ConfirmationCode": "654321",
            "Password": NEW_PASSWORD,
        })
    );
    assert_eq!(
        body_of(
            &operation.clone().client_metadata("k", "v"),
            &secret_client(),
            "ConfirmForgotPassword"
        ),
        json!({
            "ClientId": CLIENT_ID,
            "Username": "alice",
            "ConfirmationCode": "654321",
            "Password": NEW_PASSWORD,
            "ClientMetadata": {"k": "v"},
            "SecretHash": hash("alice"),
        })
    );
}

// ---------------------------------------------------------------------------------------------
// Input refusals: no request is built.

#[test]
fn sign_up_refusals() {
    let public = public_client();
    let refused = |operation: SignUp| operation.request(&public).unwrap_err();
    assert_eq!(
        refused(SignUp::new(" ", SecretString::new(PASSWORD))),
        AccountError::EmptyField { field: "username" }
    );
    assert_eq!(
        refused(SignUp::new("alice", SecretString::new(""))),
        AccountError::EmptyField { field: "password" }
    );
    assert_eq!(
        refused(sign_up().attribute("", "x")),
        AccountError::EmptyField {
            field: "attribute name"
        }
    );
    assert_eq!(
        refused(sign_up().validation_data(" ", "x")),
        AccountError::EmptyField {
            field: "validation data name"
        }
    );
    assert_eq!(
        refused(
            sign_up()
                .attribute("email", "a@example.com")
                .attribute("name", "A")
                .attribute("email", "b@example.com")
        ),
        AccountError::DuplicateAttribute {
            name: "email".into()
        }
    );
    assert_eq!(
        refused(
            sign_up()
                .validation_data("k", "1")
                .validation_data("k", "2")
        ),
        AccountError::DuplicateAttribute { name: "k".into() }
    );
    // Same name in attributes and validation data is fine: they are different lists.
    let _accepted = sign_up()
        .attribute("k", "1")
        .validation_data("k", "2")
        .request(&public)
        .unwrap();
}

#[test]
fn sign_up_checks_phone_number_is_e164() {
    let public = public_client();
    let phone = |value: &str| sign_up().attribute("phone_number", value).request(&public);
    for (value, error) in [
        ("2065551212", PhoneNumberError::MissingPlus),
        ("", PhoneNumberError::Empty),
        (
            "+999123456789",
            PhoneNumberError::UnknownCallingCode { code: 999 },
        ),
    ] {
        assert_eq!(
            phone(value).unwrap_err(),
            AccountError::PhoneNumber(error),
            "{value:?}"
        );
    }
    for value in [
        "+1 206 555 1212",
        "+1 (206) 555-1212",
        "+1206555121",
        "00442079460000",
    ] {
        assert!(
            matches!(phone(value), Err(AccountError::PhoneNumber(_))),
            "{value:?} is not E.164"
        );
    }
    let _accepted = phone("+12065551212").unwrap();
    let _accepted = phone("+447911123456").unwrap();
    // Only `phone_number` is checked; other attributes may hold anything.
    let _accepted = sign_up()
        .attribute("custom:phone", "call me")
        .request(&public)
        .unwrap();
}

#[test]
fn code_refusals() {
    let public = public_client();
    for (code, error) in [
        ("", CodeError::Length { len: 0 }),
        ("123", CodeError::Length { len: 3 }),
        ("12345678901", CodeError::Length { len: 11 }),
        ("12a456", CodeError::NotDigit { position: 2 }),
        ("12 456", CodeError::NotDigit { position: 2 }),
    ] {
        assert_eq!(
            ConfirmSignUp::new("alice", code)
                .request(&public)
                .unwrap_err(),
            AccountError::InvalidCode(error),
            "ConfirmSignUp {code:?}"
        );
        assert_eq!(
            ConfirmForgotPassword::new("alice", code, SecretString::new(NEW_PASSWORD))
                .request(&public)
                .unwrap_err(),
            AccountError::InvalidCode(error),
            "ConfirmForgotPassword {code:?}"
        );
    }
}

#[test]
fn empty_usernames_and_passwords_are_refused() {
    let public = public_client();
    let empty = |field| AccountError::EmptyField { field };
    assert_eq!(
        ConfirmSignUp::new("", "123456")
            .request(&public)
            .unwrap_err(),
        empty("username")
    );
    assert_eq!(
        ResendConfirmationCode::new("\t")
            .request(&public)
            .unwrap_err(),
        empty("username")
    );
    assert_eq!(
        ForgotPassword::new("").request(&public).unwrap_err(),
        empty("username")
    );
    assert_eq!(
        ConfirmForgotPassword::new("", "654321", SecretString::new(NEW_PASSWORD))
            .request(&public)
            .unwrap_err(),
        empty("username")
    );
    assert_eq!(
        ConfirmForgotPassword::new("alice", "654321", SecretString::new(" "))
            .request(&public)
            .unwrap_err(),
        empty("new password")
    );
}

// ---------------------------------------------------------------------------------------------
// Responses (shapes from the Cognito API model: SignUpResponse, ConfirmSignUpResponse,
// ResendConfirmationCodeResponse, ForgotPasswordResponse, ConfirmForgotPasswordResponse).

const SUB: &str = "5f1c2d3e-aaaa-bbbb-cccc-0123456789ab";

#[test]
fn sign_up_unconfirmed_with_code_delivery_and_session() {
    let result = ok(
        &sign_up(),
        &json!({
            "UserConfirmed": false,
            "UserSub": SUB,
            "CodeDeliveryDetails": {
                "Destination": "a***@e***.com",
                "DeliveryMedium": "EMAIL",
                "AttributeName": "email",
            },
            "Session": "AYABeN...sign-up-session",
        })
        .to_string(),
    )
    .unwrap();
    assert_eq!(
        result,
        SignUpResult {
            user_confirmed: false,
            user_sub: SUB.into(),
            code_delivery: Some(CodeDelivery {
                destination: Some("a***@e***.com".into()),
                medium: Some("EMAIL".into()),
                attribute_name: Some("email".into()),
            }),
            session: Some("AYABeN...sign-up-session".into()),
            next_step: SignUpNextStep::ConfirmSignUp,
        }
    );
}

#[test]
fn sign_up_confirmed_by_a_trigger_without_session() {
    let result = ok(
        &sign_up(),
        &format!(r#"{{"UserConfirmed":true,"UserSub":"{SUB}","Unknown":1}}"#),
    )
    .unwrap();
    assert!(result.user_confirmed);
    assert_eq!(result.next_step, SignUpNextStep::Done);
    assert_eq!(result.code_delivery, None);
    assert_eq!(result.session, None);
    // Null counts as absent.
    let result = ok(
        &sign_up(),
        &format!(
            r#"{{"UserConfirmed":false,"UserSub":"{SUB}","Session":null,"CodeDeliveryDetails":null}}"#
        ),
    )
    .unwrap();
    assert_eq!(result.next_step, SignUpNextStep::ConfirmSignUp);
    assert_eq!((result.session, result.code_delivery), (None, None));
}

#[test]
fn sign_up_sms_delivery() {
    let result = ok(
        &sign_up(),
        &format!(
            r#"{{"UserConfirmed":false,"UserSub":"{SUB}","CodeDeliveryDetails":{{"Destination":"+*******1212","DeliveryMedium":"SMS","AttributeName":"phone_number"}}}}"#
        ),
    )
    .unwrap();
    let delivery = result.code_delivery.unwrap();
    assert_eq!(delivery.medium.as_deref(), Some("SMS"));
    assert_eq!(delivery.attribute_name.as_deref(), Some("phone_number"));
}

#[test]
fn confirm_sign_up_session_present_or_absent() {
    let operation = ConfirmSignUp::new("alice", "123456");
    assert_eq!(
        ok(&operation, r#"{"Session":"auto-sign-in"}"#).unwrap(),
        ConfirmSignUpResult {
            session: Some("auto-sign-in".into())
        }
    );
    assert_eq!(
        ok(&operation, "{}").unwrap(),
        ConfirmSignUpResult { session: None }
    );
}

#[test]
fn code_delivery_responses() {
    let body = r#"{"CodeDeliveryDetails":{"Destination":"a***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#;
    let expected = CodeDelivery {
        destination: Some("a***@e***.com".into()),
        medium: Some("EMAIL".into()),
        attribute_name: Some("email".into()),
    };
    assert_eq!(
        ok(&ResendConfirmationCode::new("alice"), body).unwrap(),
        expected
    );
    assert_eq!(ok(&ForgotPassword::new("alice"), body).unwrap(), expected);
    for operation_body in ["{}", r#"{"CodeDeliveryDetails":null}"#] {
        assert_eq!(
            ok(&ForgotPassword::new("alice"), operation_body).unwrap_err(),
            AccountError::Response(ResponseError::MissingField {
                field: "CodeDeliveryDetails"
            })
        );
    }
}

#[test]
fn confirm_forgot_password_response_is_empty() {
    let operation = ConfirmForgotPassword::new("alice", "654321", SecretString::new(NEW_PASSWORD));
    ok(&operation, "{}").unwrap();
    ok(&operation, r#"{"Something":"new"}"#).unwrap();
}

#[test]
fn malformed_bodies() {
    let wrong_type = |field| AccountError::Response(ResponseError::FieldHasWrongType { field });
    let missing = |field| AccountError::Response(ResponseError::MissingField { field });
    let sign_up = sign_up();
    for (body, error) in [
        ("", AccountError::Response(ResponseError::NotJson)),
        ("<html>", AccountError::Response(ResponseError::NotJson)),
        ("[]", AccountError::Response(ResponseError::NotAnObject)),
        (r#"{"UserSub":"s"}"#, missing("UserConfirmed")),
        (r#"{"UserConfirmed":false}"#, missing("UserSub")),
        (
            r#"{"UserConfirmed":"false","UserSub":"s"}"#,
            wrong_type("UserConfirmed"),
        ),
        (
            r#"{"UserConfirmed":false,"UserSub":7}"#,
            wrong_type("UserSub"),
        ),
        (
            r#"{"UserConfirmed":false,"UserSub":"s","Session":{}}"#,
            wrong_type("Session"),
        ),
        (
            r#"{"UserConfirmed":false,"UserSub":"s","CodeDeliveryDetails":"EMAIL"}"#,
            wrong_type("CodeDeliveryDetails"),
        ),
    ] {
        assert_eq!(ok(&sign_up, body).unwrap_err(), error, "{body}");
    }
    let confirm = ConfirmSignUp::new("alice", "123456");
    assert_eq!(
        ok(&confirm, r#"{"Session":1}"#).unwrap_err(),
        wrong_type("Session")
    );
    assert_eq!(
        ok(&confirm, "null").unwrap_err(),
        AccountError::Response(ResponseError::NotAnObject)
    );
    assert_eq!(
        ok(
            &ResendConfirmationCode::new("a"),
            r#"{"CodeDeliveryDetails":[]}"#
        )
        .unwrap_err(),
        wrong_type("CodeDeliveryDetails")
    );
    let reset = ConfirmForgotPassword::new("alice", "654321", SecretString::new(NEW_PASSWORD));
    assert_eq!(
        ok(&reset, "").unwrap_err(),
        AccountError::Response(ResponseError::NotJson)
    );
    let huge = format!(
        "{{\"Pad\":\"{}\"}}",
        "x".repeat(cognito_auth_core::wire::MAX_BODY_LEN)
    );
    assert!(matches!(
        ok(&reset, &huge).unwrap_err(),
        AccountError::Response(ResponseError::TooLarge { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Errors: every documented error of each operation becomes `AccountError::Service` with the
// right kind.

/// HTTP status Cognito uses for an error (signin.md §1).
fn status_of(code: &str) -> u16 {
    match code {
        "NotAuthorizedException" | "ForbiddenException" => 403,
        "ResourceNotFoundException" | "UserNotFoundException" => 404,
        "TooManyRequestsException" => 429,
        "InternalErrorException" => 500,
        _ => 400,
    }
}

fn assert_errors<O: AccountOperation>(operation: &O, documented: &[(&str, ServiceErrorKind)])
where
    O::Output: core::fmt::Debug,
{
    for (code, kind) in documented {
        let status = status_of(code);
        let body = json!({"__type": code, "message": format!("{code} message")}).to_string();
        let error = operation
            .parse_response(HttpResponse::new(status, body.as_bytes()))
            .unwrap_err();
        let AccountError::Service(service) = &error else {
            panic!("{code}: {error:?}");
        };
        assert_eq!(service.kind(), *kind, "{code}");
        assert_eq!(service.code(), *code);
        assert_eq!(service.status(), status);
        assert_eq!(service.message(), format!("{code} message"));
        assert_eq!(kind.code(), Some(*code));
        // The same code from the header alone, with a body that is not JSON.
        let from_header = operation
            .parse_response(HttpResponse::new(status, b"<html>").with_error_type(Some(code)))
            .unwrap_err();
        assert!(
            matches!(&from_header, AccountError::Service(s) if s.kind() == *kind),
            "{code}: {from_header:?}"
        );
    }
}

use ServiceErrorKind as K;

const COMMON: &[(&str, ServiceErrorKind)] = &[
    ("ForbiddenException", K::Forbidden),
    ("InternalErrorException", K::InternalError),
    ("InvalidLambdaResponseException", K::InvalidLambdaResponse),
    ("InvalidParameterException", K::InvalidParameter),
    ("NotAuthorizedException", K::NotAuthorized),
    ("ResourceNotFoundException", K::ResourceNotFound),
    ("TooManyRequestsException", K::TooManyRequests),
    ("UnexpectedLambdaException", K::UnexpectedLambda),
    ("UserLambdaValidationException", K::UserLambdaValidation),
];

const DELIVERY: &[(&str, ServiceErrorKind)] = &[
    ("CodeDeliveryFailureException", K::CodeDeliveryFailure),
    (
        "InvalidEmailRoleAccessPolicyException",
        K::InvalidEmailRoleAccessPolicy,
    ),
    (
        "InvalidSmsRoleAccessPolicyException",
        K::InvalidSmsRoleAccessPolicy,
    ),
    (
        "InvalidSmsRoleTrustRelationshipException",
        K::InvalidSmsRoleTrustRelationship,
    ),
    ("LimitExceededException", K::LimitExceeded),
];

#[test]
fn sign_up_errors() {
    assert_errors(&sign_up(), COMMON);
    assert_errors(&sign_up(), DELIVERY);
    assert_errors(
        &sign_up(),
        &[
            ("InvalidPasswordException", K::InvalidPassword),
            ("UsernameExistsException", K::UsernameExists),
        ],
    );
}

#[test]
fn confirm_sign_up_errors() {
    let operation = ConfirmSignUp::new("alice", "123456");
    assert_errors(&operation, COMMON);
    assert_errors(
        &operation,
        &[
            ("AliasExistsException", K::AliasExists),
            ("CodeMismatchException", K::CodeMismatch),
            ("ExpiredCodeException", K::ExpiredCode),
            ("LimitExceededException", K::LimitExceeded),
            ("TooManyFailedAttemptsException", K::TooManyFailedAttempts),
            ("UserNotFoundException", K::UserNotFound),
        ],
    );
}

#[test]
fn resend_and_forgot_password_errors() {
    let forgot = ForgotPassword::new("alice");
    assert_errors(&forgot, COMMON);
    assert_errors(&forgot, DELIVERY);
    assert_errors(&forgot, &[("UserNotFoundException", K::UserNotFound)]);
    let resend = ResendConfirmationCode::new("alice");
    assert_errors(&resend, COMMON);
    assert_errors(&resend, DELIVERY);
    assert_errors(&resend, &[("UserNotFoundException", K::UserNotFound)]);
}

#[test]
fn confirm_forgot_password_errors() {
    let operation = ConfirmForgotPassword::new("alice", "654321", SecretString::new(NEW_PASSWORD));
    assert_errors(&operation, COMMON);
    assert_errors(
        &operation,
        &[
            ("CodeMismatchException", K::CodeMismatch),
            ("ExpiredCodeException", K::ExpiredCode),
            ("InvalidPasswordException", K::InvalidPassword),
            ("LimitExceededException", K::LimitExceeded),
            (
                "PasswordHistoryPolicyViolationException",
                K::PasswordHistoryPolicyViolation,
            ),
            ("TooManyFailedAttemptsException", K::TooManyFailedAttempts),
            ("UserNotConfirmedException", K::UserNotConfirmed),
            ("UserNotFoundException", K::UserNotFound),
        ],
    );
}

#[test]
fn code_delivery_failure_carries_the_backend_hint() {
    let body =
        br#"{"__type":"CodeDeliveryFailureException","message":"Unable to deliver message"}"#;
    for error in [
        sign_up()
            .parse_response(HttpResponse::new(400, body))
            .unwrap_err(),
        ForgotPassword::new("alice")
            .parse_response(HttpResponse::new(400, body))
            .map(|_| ())
            .unwrap_err(),
    ] {
        let AccountError::Service(service) = &error else {
            panic!("{error:?}");
        };
        let hint = service.backend_hint().unwrap();
        assert!(hint.contains("sandbox"), "{hint}");
        assert!(hint.contains("June 2021"), "{hint}");
        assert!(
            error.to_string().contains("CodeDeliveryFailureException"),
            "{error}"
        );
    }
}

#[test]
fn limit_exceeded_is_retryable_and_user_not_found_is_not() {
    let limit = ConfirmForgotPassword::new("alice", "654321", SecretString::new(NEW_PASSWORD))
        .parse_response(HttpResponse::new(
            400,
            br#"{"__type":"LimitExceededException","message":"Attempt limit exceeded, please try after some time."}"#,
        ))
        .unwrap_err();
    let AccountError::Service(limit) = limit else {
        panic!()
    };
    assert!(limit.backend_hint().is_some());
    let not_found = ForgotPassword::new("alice")
        .parse_response(HttpResponse::new(
            400,
            br#"{"__type":"UserNotFoundException","message":"Username/client id combination not found."}"#,
        ))
        .unwrap_err();
    let AccountError::Service(not_found) = not_found else {
        panic!()
    };
    assert!(!not_found.is_retryable());
}

// ---------------------------------------------------------------------------------------------
// Secrets never printed.

#[test]
fn debug_never_shows_passwords_codes_or_sessions() {
    let printed = [
        format!(
            "{:?}",
            sign_up()
                .attribute("email", "alice@example.com")
                .validation_data("invite", "INVITE-SECRET")
                .client_metadata("token", "META-SECRET")
        ),
        format!(
            "{:#?}",
            ConfirmSignUp::new("alice", "918273")
                .with_session("SESSION-SECRET")
                .client_metadata("token", "META-SECRET")
        ),
        format!(
            "{:?}",
            ConfirmForgotPassword::new("alice", "918273", SecretString::new(NEW_PASSWORD))
                .client_metadata("token", "META-SECRET")
        ),
        format!(
            "{:?}",
            ForgotPassword::new("alice").client_metadata("token", "META-SECRET")
        ),
        format!(
            "{:?}",
            SignUpResult {
                user_confirmed: false,
                user_sub: SUB.into(),
                code_delivery: None,
                session: Some("SESSION-SECRET".into()),
                next_step: SignUpNextStep::ConfirmSignUp,
            }
        ),
        format!(
            "{:?}",
            ConfirmSignUpResult {
                session: Some("SESSION-SECRET".into())
            }
        ),
        format!("{:?}", sign_up().request(&secret_client()).unwrap()),
    ];
    for text in &printed {
        for secret in [
            PASSWORD,
            NEW_PASSWORD,
            "918273",
            "SESSION-SECRET",
            "INVITE-SECRET",
            "META-SECRET",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(printed[0].contains("alice@example.com"), "{}", printed[0]);
    assert!(
        printed[0].contains("invite"),
        "names are shown: {}",
        printed[0]
    );
    assert!(printed[1].contains("alice"), "{}", printed[1]);
}

#[test]
fn errors_never_carry_secrets() {
    let error = ConfirmForgotPassword::new("alice", "12a4", SecretString::new(NEW_PASSWORD))
        .request(&public_client())
        .unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(
        !text.contains("12a4") && !text.contains(NEW_PASSWORD),
        "{text}"
    );
}
