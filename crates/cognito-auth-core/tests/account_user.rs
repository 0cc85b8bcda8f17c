//! The signed-in user's account operations (`account::{user, mfa}`) against recorded shapes:
//! the exact request JSON, responses as Cognito sends them (API reference examples and the
//! MiniStack 1.5.33 variants), every refusal before sending, the documented errors, malformed
//! bodies, and no secrets in `Debug`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use alloc::collections::BTreeMap;

use cognito_auth_core::account::{
    AccountError, AccountOperation, AssociateSoftwareToken, ChangePassword, GetUser,
    GetUserAttributeVerificationCode, MfaPreference, MfaSetting, SetUserMfaPreference,
    UpdateUserAttributes, VerifySoftwareToken, VerifyUserAttribute,
};
use cognito_auth_core::phone_number::PhoneNumberError;
use cognito_auth_core::sign_in::{ClientConfig, CodeError, MfaType};
use cognito_auth_core::totp::{Totp, TotpError};
use cognito_auth_core::wire::{
    CodeDelivery, HttpResponse, MAX_BODY_LEN, Operation, Request, ResponseError, ServiceErrorKind,
};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
use serde_json::{Value, json};

/// A recognisable fake access token: no `Debug` output may contain it.
const TOKEN: &str = "eyJraWQiOiJhY2Nlc3MtdG9rZW4tc2VjcmV0";
const OLD_PASSWORD: &str = "Correct-Horse-9!";
const NEW_PASSWORD: &str = "Battery-Staple-7?";
/// `AssociateSoftwareTokenResponse.SecretCode` from the API reference (32 bytes).
const SECRET_CODE: &str = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";

fn client() -> ClientConfig {
    ClientConfig::new(
        UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(),
        "client-id",
    )
    .unwrap()
    .with_client_secret(SecretString::new("client-secret-never-sent"))
    .unwrap()
}

fn token() -> SecretString {
    SecretString::new(TOKEN)
}

fn body(request: &Request) -> Value {
    serde_json::from_str(request.body()).unwrap()
}

/// Builds the request, checks the operation and headers, returns the parsed body.
fn sent<O: AccountOperation>(operation: &O, expected: Operation) -> Value {
    let request = operation.request(&client()).unwrap();
    assert_eq!(request.operation(), expected);
    assert_eq!(
        request.headers(),
        [
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", expected.target()),
        ]
    );
    let value = body(&request);
    assert!(
        value.get("ClientId").is_none() && value.get("SecretHash").is_none(),
        "access-token operations send neither ClientId nor SecretHash: {value}"
    );
    value
}

fn ok(body: &str) -> HttpResponse<'_> {
    HttpResponse::new(200, body.as_bytes())
}

fn error_body(code: &str, message: &str) -> String {
    json!({ "__type": code, "message": message }).to_string()
}

/// Builds one operation's request with the given access token.
type Build = Box<dyn Fn(SecretString) -> Result<Request, AccountError>>;

/// Every operation of this group, built with the same token, for the checks they share.
fn every_operation() -> Vec<(&'static str, Build)> {
    fn run<O: AccountOperation>(operation: O) -> Result<Request, AccountError> {
        operation.request(&client())
    }
    vec![
        (
            "ChangePassword",
            Box::new(|t| {
                run(ChangePassword::new(
                    t,
                    SecretString::new(OLD_PASSWORD),
                    SecretString::new(NEW_PASSWORD),
                ))
            }),
        ),
        ("GetUser", Box::new(|t| run(GetUser::new(t)))),
        (
            "SetUserMFAPreference",
            Box::new(|t| {
                run(SetUserMfaPreference::new(t).with(MfaType::Totp, MfaSetting::PREFERRED))
            }),
        ),
        (
            "UpdateUserAttributes",
            Box::new(|t| run(UpdateUserAttributes::new(t, [("name", "Alice")]))),
        ),
        (
            "VerifyUserAttribute",
            Box::new(|t| run(VerifyUserAttribute::new(t, "email", "123456"))),
        ),
        (
            "GetUserAttributeVerificationCode",
            Box::new(|t| run(GetUserAttributeVerificationCode::new(t, "email"))),
        ),
        (
            "AssociateSoftwareToken",
            Box::new(|t| run(AssociateSoftwareToken::new(t, "alice"))),
        ),
        (
            "VerifySoftwareToken",
            Box::new(|t| run(VerifySoftwareToken::new(t, "123456"))),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Requests.

#[test]
fn change_password_request() {
    let operation = ChangePassword::new(
        token(),
        SecretString::new(OLD_PASSWORD),
        SecretString::new(NEW_PASSWORD),
    );
    assert_eq!(
        sent(&operation, Operation::ChangePassword),
        json!({
            "AccessToken": TOKEN,
            "PreviousPassword": OLD_PASSWORD,
            "ProposedPassword": NEW_PASSWORD,
        })
    );
    let first = ChangePassword::first_password(token(), SecretString::new(NEW_PASSWORD));
    assert_eq!(
        sent(&first, Operation::ChangePassword),
        json!({ "AccessToken": TOKEN, "ProposedPassword": NEW_PASSWORD }),
        "a passwordless user has no previous password"
    );
}

#[test]
fn get_user_request() {
    assert_eq!(
        sent(&GetUser::new(token()), Operation::GetUser),
        json!({ "AccessToken": TOKEN })
    );
}

#[test]
fn set_user_mfa_preference_sends_only_the_types_set() {
    let totp_only = SetUserMfaPreference::new(token()).with(MfaType::Totp, MfaSetting::PREFERRED);
    assert_eq!(
        sent(&totp_only, Operation::SetUserMFAPreference),
        json!({
            "AccessToken": TOKEN,
            "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true },
        })
    );
    let all = SetUserMfaPreference::new(token())
        .with(MfaType::Sms, MfaSetting::DISABLED)
        .with(MfaType::Email, MfaSetting::ENABLED)
        .with(MfaType::Totp, MfaSetting::ENABLED)
        .with(MfaType::Totp, MfaSetting::PREFERRED);
    assert_eq!(
        sent(&all, Operation::SetUserMFAPreference),
        json!({
            "AccessToken": TOKEN,
            "SMSMfaSettings": { "Enabled": false, "PreferredMfa": false },
            "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true },
            "EmailMfaSettings": { "Enabled": true, "PreferredMfa": false },
        }),
        "the last setting for a type wins"
    );
    let custom = MfaSetting {
        enabled: true,
        preferred: false,
    };
    assert_eq!(custom, MfaSetting::ENABLED);
}

#[test]
fn update_user_attributes_request_keeps_order_and_checks_phone_numbers() {
    let operation = UpdateUserAttributes::new(
        token(),
        [
            ("phone_number", "+12065551212"),
            ("email", "alice@example.org"),
            ("custom:team", ""),
        ],
    );
    assert_eq!(
        sent(&operation, Operation::UpdateUserAttributes),
        json!({
            "AccessToken": TOKEN,
            "UserAttributes": [
                { "Name": "phone_number", "Value": "+12065551212" },
                { "Name": "email", "Value": "alice@example.org" },
                { "Name": "custom:team", "Value": "" },
            ],
        })
    );
    let owned = vec![(String::from("name"), String::from("Alice"))];
    let metadata = BTreeMap::from([(String::from("source"), String::from("settings"))]);
    let with_metadata = UpdateUserAttributes::new(token(), owned).with_client_metadata(metadata);
    assert_eq!(
        sent(&with_metadata, Operation::UpdateUserAttributes),
        json!({
            "AccessToken": TOKEN,
            "UserAttributes": [{ "Name": "name", "Value": "Alice" }],
            "ClientMetadata": { "source": "settings" },
        })
    );
}

#[test]
fn verify_user_attribute_request_trims_the_code() {
    let operation = VerifyUserAttribute::new(token(), "phone_number", " 654321 ");
    assert_eq!(
        sent(&operation, Operation::VerifyUserAttribute),
        json!({ "AccessToken": TOKEN, "AttributeName": "phone_number", "Code": "654321" })
    );
}

#[test]
fn get_user_attribute_verification_code_request() {
    let operation = GetUserAttributeVerificationCode::new(token(), "email");
    assert_eq!(
        sent(&operation, Operation::GetUserAttributeVerificationCode),
        json!({ "AccessToken": TOKEN, "AttributeName": "email" })
    );
    let metadata = BTreeMap::from([(String::from("k"), String::from("v"))]);
    assert_eq!(
        sent(
            &operation.with_client_metadata(metadata),
            Operation::GetUserAttributeVerificationCode
        ),
        json!({ "AccessToken": TOKEN, "AttributeName": "email", "ClientMetadata": { "k": "v" } })
    );
}

#[test]
fn totp_setup_requests() {
    assert_eq!(
        sent(
            &AssociateSoftwareToken::new(token(), "alice"),
            Operation::AssociateSoftwareToken
        ),
        json!({ "AccessToken": TOKEN }),
        "the username is for the URI only"
    );
    assert_eq!(
        sent(
            &VerifySoftwareToken::new(token(), "123456"),
            Operation::VerifySoftwareToken
        ),
        json!({ "AccessToken": TOKEN, "UserCode": "123456" })
    );
    assert_eq!(
        sent(
            &VerifySoftwareToken::new(token(), "123456").with_friendly_device_name("Alice's phone"),
            Operation::VerifySoftwareToken
        ),
        json!({ "AccessToken": TOKEN, "UserCode": "123456", "FriendlyDeviceName": "Alice's phone" })
    );
    assert_eq!(
        sent(
            &VerifySoftwareToken::new(token(), "123456").with_friendly_device_name("  "),
            Operation::VerifySoftwareToken
        ),
        json!({ "AccessToken": TOKEN, "UserCode": "123456" }),
        "an empty name is not sent"
    );
}

// ---------------------------------------------------------------------------------------------
// Refusals before sending.

#[test]
fn an_empty_access_token_is_refused_by_every_operation() {
    for (name, build) in every_operation() {
        for empty in ["", "  "] {
            assert_eq!(
                build(SecretString::new(empty)).unwrap_err(),
                AccountError::EmptyField {
                    field: "access_token"
                },
                "{name}"
            );
        }
        assert!(build(token()).is_ok(), "{name}");
    }
}

#[test]
fn change_password_refuses_empty_passwords() {
    let change = |previous: &str, proposed: &str| {
        ChangePassword::new(
            token(),
            SecretString::new(previous),
            SecretString::new(proposed),
        )
        .request(&client())
        .unwrap_err()
    };
    assert_eq!(
        change("", NEW_PASSWORD),
        AccountError::EmptyField {
            field: "previous_password"
        }
    );
    assert_eq!(
        change(OLD_PASSWORD, ""),
        AccountError::EmptyField {
            field: "proposed_password"
        }
    );
    assert_eq!(
        ChangePassword::first_password(token(), SecretString::new(""))
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "proposed_password"
        }
    );
}

#[test]
fn mfa_preferences_are_checked_before_sending() {
    let refused = |operation: SetUserMfaPreference| operation.request(&client()).unwrap_err();
    assert_eq!(
        refused(SetUserMfaPreference::new(token())),
        AccountError::EmptyField {
            field: "mfa_settings"
        }
    );
    let preferred_off = MfaSetting {
        enabled: false,
        preferred: true,
    };
    for mfa in [MfaType::Sms, MfaType::Totp, MfaType::Email] {
        assert_eq!(
            refused(SetUserMfaPreference::new(token()).with(mfa, preferred_off)),
            AccountError::PreferredMfaNotEnabled,
            "{mfa:?}"
        );
    }
    for (a, b) in [
        (MfaType::Sms, MfaType::Totp),
        (MfaType::Totp, MfaType::Email),
        (MfaType::Email, MfaType::Sms),
    ] {
        assert_eq!(
            refused(
                SetUserMfaPreference::new(token())
                    .with(a, MfaSetting::PREFERRED)
                    .with(b, MfaSetting::PREFERRED)
            ),
            AccountError::MoreThanOnePreferredMfa,
            "{a:?} and {b:?}"
        );
    }
    // Replacing a type's setting is not a second preference.
    assert!(
        SetUserMfaPreference::new(token())
            .with(MfaType::Sms, MfaSetting::PREFERRED)
            .with(MfaType::Sms, MfaSetting::ENABLED)
            .with(MfaType::Totp, MfaSetting::PREFERRED)
            .request(&client())
            .is_ok()
    );
}

#[test]
fn update_user_attributes_refusals() {
    let refused = |attributes: &[(&str, &str)]| {
        UpdateUserAttributes::new(token(), attributes.iter().copied())
            .request(&client())
            .unwrap_err()
    };
    assert_eq!(
        refused(&[]),
        AccountError::EmptyField {
            field: "attributes"
        }
    );
    assert_eq!(
        refused(&[("email", "a@example.org"), (" ", "x")]),
        AccountError::EmptyField {
            field: "attribute_name"
        }
    );
    assert_eq!(
        refused(&[
            ("email", "a@example.org"),
            ("name", "A"),
            ("email", "b@example.org")
        ]),
        AccountError::DuplicateAttribute {
            name: String::from("email")
        }
    );
    for (number, error) in [
        ("2065551212", PhoneNumberError::MissingPlus),
        ("", PhoneNumberError::Empty),
    ] {
        assert_eq!(
            refused(&[("phone_number", number)]),
            AccountError::PhoneNumber(error),
            "{number:?}"
        );
    }
    for number in ["+1 206 555 1212", "+1 (206) 555-1212", "+999123456789"] {
        assert!(
            matches!(
                refused(&[("phone_number", number)]),
                AccountError::PhoneNumber(_)
            ),
            "{number:?}"
        );
    }
}

#[test]
fn codes_and_names_are_checked_before_sending() {
    let verify = |name: &str, code: &str| {
        VerifyUserAttribute::new(token(), name, code)
            .request(&client())
            .unwrap_err()
    };
    assert_eq!(
        verify("", "123456"),
        AccountError::EmptyField {
            field: "attribute_name"
        }
    );
    assert_eq!(
        verify("email", "123"),
        AccountError::InvalidCode(CodeError::Length { len: 3 })
    );
    assert_eq!(
        verify("email", "12a456"),
        AccountError::InvalidCode(CodeError::NotDigit { position: 2 })
    );
    assert_eq!(
        GetUserAttributeVerificationCode::new(token(), " ")
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "attribute_name"
        }
    );
    let totp = |code: &str| {
        VerifySoftwareToken::new(token(), code)
            .request(&client())
            .unwrap_err()
    };
    assert_eq!(
        totp(""),
        AccountError::InvalidCode(CodeError::Length { len: 0 })
    );
    assert_eq!(
        totp("12345678901"),
        AccountError::InvalidCode(CodeError::Length { len: 11 })
    );
    assert_eq!(
        totp("１２３４５６"),
        AccountError::InvalidCode(CodeError::Length { len: 18 }),
        "full-width digits are 3 bytes each"
    );
    assert_eq!(
        AssociateSoftwareToken::new(token(), "")
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField { field: "username" }
    );
}

// ---------------------------------------------------------------------------------------------
// Responses.

#[test]
fn get_user_reads_attributes_and_mfa_settings() {
    // The API reference's shape, with the deprecated MFAOptions a real pool still returns.
    let response = r#"{
        "Username": "alice",
        "UserAttributes": [
            {"Name": "sub", "Value": "d4e8f0a2-1234-4c5d-9e8f-0a1b2c3d4e5f"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "phone_number", "Value": "+12065551212"},
            {"Name": "email", "Value": "alice@example.com"},
            {"Name": "custom:team", "Value": "blue"},
            {"Name": "nickname"}
        ],
        "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
        "UserMFASettingList": ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "WEB_AUTHN", "SMS_MFA"]
    }"#;
    let user = GetUser::new(token()).parse_response(ok(response)).unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(user.attributes.len(), 6);
    assert_eq!(user.attributes["email"], "alice@example.com");
    assert_eq!(user.attributes["email_verified"], "true");
    assert_eq!(user.attributes["custom:team"], "blue");
    assert_eq!(
        user.attributes["nickname"], "",
        "no Value is the empty string"
    );
    assert_eq!(
        user.mfa.enabled,
        [MfaType::Sms, MfaType::Totp, MfaType::Email],
        "unknown types and repeats left out"
    );
    assert_eq!(user.mfa.preferred, Some(MfaType::Totp));
}

#[test]
fn get_user_without_mfa() {
    // Real Cognito leaves both members out; MiniStack 1.5.33 sends [] and "".
    for response in [
        r#"{"Username":"bob","UserAttributes":[{"Name":"sub","Value":"s"}]}"#,
        r#"{"Username":"bob","UserAttributes":[{"Name":"sub","Value":"s"}],"UserMFASettingList":[],"PreferredMfaSetting":""}"#,
        r#"{"Username":"bob","UserAttributes":[{"Name":"sub","Value":"s"}],"UserMFASettingList":null,"PreferredMfaSetting":null}"#,
    ] {
        let user = GetUser::new(token()).parse_response(ok(response)).unwrap();
        assert_eq!(user.mfa, MfaPreference::default(), "{response}");
        assert_eq!(user.attributes["sub"], "s");
    }
    let bare = GetUser::new(token())
        .parse_response(ok(r#"{"Username":"bob"}"#))
        .unwrap();
    assert!(bare.attributes.is_empty());
}

#[test]
fn update_user_attributes_reads_the_delivery_list() {
    let operation = UpdateUserAttributes::new(token(), [("email", "new@example.org")]);
    let sent = operation
        .parse_response(ok(r#"{"CodeDeliveryDetailsList":[
            {"Destination":"n***@e***.org","DeliveryMedium":"EMAIL","AttributeName":"email"},
            {"Destination":"+*******1212","DeliveryMedium":"SMS","AttributeName":"phone_number"}]}"#))
        .unwrap();
    assert_eq!(
        sent,
        [
            CodeDelivery {
                destination: Some("n***@e***.org".into()),
                medium: Some("EMAIL".into()),
                attribute_name: Some("email".into()),
            },
            CodeDelivery {
                destination: Some("+*******1212".into()),
                medium: Some("SMS".into()),
                attribute_name: Some("phone_number".into()),
            },
        ]
    );
    for nothing in ["{}", r#"{"CodeDeliveryDetailsList":[]}"#] {
        assert_eq!(operation.parse_response(ok(nothing)).unwrap(), []);
    }
}

#[test]
fn get_user_attribute_verification_code_reads_the_delivery() {
    let delivery = GetUserAttributeVerificationCode::new(token(), "email")
        .parse_response(ok(
            r#"{"CodeDeliveryDetails":{"Destination":"a***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
        ))
        .unwrap();
    assert_eq!(delivery.destination.as_deref(), Some("a***@e***.com"));
    assert_eq!(delivery.medium.as_deref(), Some("EMAIL"));
    assert_eq!(delivery.attribute_name.as_deref(), Some("email"));
}

#[test]
fn empty_successes() {
    ChangePassword::new(
        token(),
        SecretString::new(OLD_PASSWORD),
        SecretString::new(NEW_PASSWORD),
    )
    .parse_response(ok("{}"))
    .unwrap();
    VerifyUserAttribute::new(token(), "email", "123456")
        .parse_response(ok("{}"))
        .unwrap();
    SetUserMfaPreference::new(token())
        .with(MfaType::Totp, MfaSetting::PREFERRED)
        .parse_response(ok("{}"))
        .unwrap();
}

#[test]
fn associate_software_token_gives_setup_details_and_the_uri() {
    let operation = AssociateSoftwareToken::new(token(), "alice@example.com");
    // With the access token Cognito sends no Session; MiniStack sends one anyway.
    for response in [
        json!({ "SecretCode": SECRET_CODE }),
        json!({ "SecretCode": SECRET_CODE, "Session": "AYABeExample" }),
    ] {
        let setup = operation.parse_response(ok(&response.to_string())).unwrap();
        assert_eq!(setup.username(), "alice@example.com");
        assert_eq!(setup.shared_secret().len(), 32);
        assert_eq!(
            setup.setup_uri("Ex&Co", None).expose(),
            format!("otpauth://totp/Ex%26Co:alice@example.com?secret={SECRET_CODE}&issuer=Ex%26Co")
        );
        let code = Totp::COGNITO
            .code(setup.shared_secret(), UnixTime::from_secs(1_609_823_880))
            .unwrap();
        assert_eq!(code.as_str(), "057397");
    }
    // MiniStack's secrets are 20 bytes, 32 base32 characters.
    let short = operation
        .parse_response(ok(r#"{"SecretCode":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}"#))
        .unwrap();
    assert_eq!(short.shared_secret().len(), 20);
}

#[test]
fn verify_software_token_status() {
    let operation = VerifySoftwareToken::new(token(), "123456");
    for response in [
        r#"{"Status":"SUCCESS"}"#,
        r#"{"Status":"SUCCESS","Session":"x"}"#,
    ] {
        operation.parse_response(ok(response)).unwrap();
    }
    for response in [r#"{"Status":"ERROR"}"#, r#"{"Status":"PENDING"}"#] {
        assert_eq!(
            operation.parse_response(ok(response)),
            Err(AccountError::TotpSetupCodeRejected),
            "{response}"
        );
    }
    assert!(!AccountError::TotpSetupCodeRejected.to_string().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// The documented errors of each operation that an app handles differently, with Cognito's
/// messages: `(operation, kind, message)`.
#[test]
fn documented_errors_become_typed_service_errors() {
    type Parse = Box<dyn Fn(HttpResponse<'_>) -> Result<(), AccountError>>;
    let change: Parse = Box::new(|r| {
        ChangePassword::new(
            token(),
            SecretString::new(OLD_PASSWORD),
            SecretString::new(NEW_PASSWORD),
        )
        .parse_response(r)
    });
    let get_user: Parse = Box::new(|r| GetUser::new(token()).parse_response(r).map(drop));
    let set_mfa: Parse = Box::new(|r| {
        SetUserMfaPreference::new(token())
            .with(MfaType::Sms, MfaSetting::PREFERRED)
            .parse_response(r)
    });
    let update: Parse = Box::new(|r| {
        UpdateUserAttributes::new(token(), [("email", "taken@example.org")])
            .parse_response(r)
            .map(drop)
    });
    let verify_attribute: Parse =
        Box::new(|r| VerifyUserAttribute::new(token(), "email", "123456").parse_response(r));
    let get_code: Parse = Box::new(|r| {
        GetUserAttributeVerificationCode::new(token(), "phone_number")
            .parse_response(r)
            .map(drop)
    });
    let associate: Parse = Box::new(|r| {
        AssociateSoftwareToken::new(token(), "alice")
            .parse_response(r)
            .map(drop)
    });
    let verify_token: Parse =
        Box::new(|r| VerifySoftwareToken::new(token(), "123456").parse_response(r));

    use ServiceErrorKind as K;
    let cases: [(&Parse, K, &str); 20] = [
        (&get_user, K::NotAuthorized, "Access Token has expired"),
        (&set_mfa, K::NotAuthorized, "Access Token has been revoked"),
        (&change, K::NotAuthorized, "Incorrect username or password."),
        (
            &change,
            K::InvalidPassword,
            "Password did not conform with policy: Password not long enough",
        ),
        (
            &change,
            K::PasswordHistoryPolicyViolation,
            "The password has been used recently.",
        ),
        (
            &change,
            K::LimitExceeded,
            "Attempt limit exceeded, please try after some time.",
        ),
        (&get_user, K::UserNotFound, "User does not exist."),
        (
            &get_user,
            K::PasswordResetRequired,
            "Password reset required for the user",
        ),
        (
            &set_mfa,
            K::InvalidParameter,
            "User does not have delivery config set to turn on SMS_MFA",
        ),
        (
            &update,
            K::AliasExists,
            "An account with the given email already exists.",
        ),
        (
            &update,
            K::InvalidParameter,
            "Attribute does not exist in the schema.",
        ),
        (
            &verify_attribute,
            K::CodeMismatch,
            "Invalid verification code provided, please try again.",
        ),
        (
            &verify_attribute,
            K::ExpiredCode,
            "Invalid code provided, please request a code again.",
        ),
        (
            &get_code,
            K::CodeDeliveryFailure,
            "Unable to deliver message",
        ),
        (
            &get_code,
            K::InvalidSmsRoleTrustRelationship,
            "Role does not have a trust relationship",
        ),
        (
            &associate,
            K::SoftwareTokenMfaNotFound,
            "Software Token MFA has not been enabled by the userPool.",
        ),
        (&associate, K::ConcurrentModification, ""),
        // Real Cognito's answer to a wrong first TOTP code, then the SDK model's other one.
        (
            &verify_token,
            K::EnableSoftwareTokenMfa,
            "Code mismatch and fail enable Software Token MFA",
        ),
        (
            &verify_token,
            K::CodeMismatch,
            "Invalid code received for user",
        ),
        (&verify_token, K::TooManyRequests, "Rate exceeded"),
    ];
    for (parse, kind, message) in cases {
        let code = kind.code().unwrap();
        let status = if kind == K::TooManyRequests { 429 } else { 400 };
        let text = error_body(code, message);
        let error = match parse(HttpResponse::new(status, text.as_bytes())) {
            Err(AccountError::Service(error)) => error,
            other => panic!("{code}: expected a service error, got {other:?}"),
        };
        assert_eq!(error.kind(), kind, "{code}");
        assert_eq!(error.code(), code);
        assert_eq!(error.message(), message, "{code}");
        assert_eq!(error.status(), status, "{code}");
        assert_eq!(error.is_retryable(), kind == K::TooManyRequests, "{code}");
    }

    // The code only in the header, a 500 with an HTML body.
    let header_only = HttpResponse::new(400, b"{}").with_error_type(Some("NotAuthorizedException"));
    match get_user(header_only) {
        Err(AccountError::Service(error)) => assert_eq!(error.kind(), K::NotAuthorized),
        other => panic!("{other:?}"),
    }
    match verify_token(HttpResponse::new(502, b"<html>Bad Gateway</html>")) {
        Err(AccountError::Service(error)) => assert!(error.is_retryable(), "{error}"),
        other => panic!("{other:?}"),
    }
    match get_code(HttpResponse::new(
        400,
        error_body("CodeDeliveryFailureException", "x").as_bytes(),
    )) {
        Err(AccountError::Service(error)) => assert!(error.backend_hint().is_some()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_bodies_are_response_errors() {
    let wrong = |field| {
        Err(AccountError::Response(ResponseError::FieldHasWrongType {
            field,
        }))
    };
    let missing = |field| {
        Err(AccountError::Response(ResponseError::MissingField {
            field,
        }))
    };
    let get_user = |body: &str| GetUser::new(token()).parse_response(ok(body));

    for (body, expected) in [
        ("", Err(AccountError::Response(ResponseError::NotJson))),
        (
            "<html>",
            Err(AccountError::Response(ResponseError::NotJson)),
        ),
        (
            "[]",
            Err(AccountError::Response(ResponseError::NotAnObject)),
        ),
        ("{}", missing("Username")),
        (r#"{"Username":7}"#, wrong("Username")),
        (
            r#"{"Username":"a","UserAttributes":{}}"#,
            wrong("UserAttributes"),
        ),
        (
            r#"{"Username":"a","UserAttributes":["email"]}"#,
            wrong("UserAttributes"),
        ),
        (
            r#"{"Username":"a","UserAttributes":[{"Value":"v"}]}"#,
            wrong("UserAttributes"),
        ),
        (
            r#"{"Username":"a","UserAttributes":[{"Name":1,"Value":"v"}]}"#,
            wrong("UserAttributes"),
        ),
        (
            r#"{"Username":"a","UserAttributes":[{"Name":"n","Value":true}]}"#,
            wrong("UserAttributes"),
        ),
        (
            r#"{"Username":"a","UserMFASettingList":"SMS_MFA"}"#,
            wrong("UserMFASettingList"),
        ),
        (
            r#"{"Username":"a","UserMFASettingList":[1]}"#,
            wrong("UserMFASettingList"),
        ),
        (
            r#"{"Username":"a","PreferredMfaSetting":["SMS_MFA"]}"#,
            wrong("PreferredMfaSetting"),
        ),
    ] {
        assert_eq!(get_user(body).map(drop), expected, "{body}");
    }

    let too_large = vec![b' '; MAX_BODY_LEN + 1];
    assert_eq!(
        GetUser::new(token())
            .parse_response(HttpResponse::new(200, &too_large))
            .map(drop),
        Err(AccountError::Response(ResponseError::TooLarge {
            len: MAX_BODY_LEN + 1
        }))
    );

    let update = UpdateUserAttributes::new(token(), [("email", "e@example.org")]);
    for body in [
        r#"{"CodeDeliveryDetailsList":{}}"#,
        r#"{"CodeDeliveryDetailsList":["email"]}"#,
    ] {
        assert_eq!(
            update.parse_response(ok(body)).map(drop),
            wrong("CodeDeliveryDetailsList"),
            "{body}"
        );
    }
    let get_code = GetUserAttributeVerificationCode::new(token(), "email");
    assert_eq!(
        get_code.parse_response(ok("{}")).map(drop),
        missing("CodeDeliveryDetails")
    );
    assert_eq!(
        get_code
            .parse_response(ok(r#"{"CodeDeliveryDetails":"email"}"#))
            .map(drop),
        wrong("CodeDeliveryDetails")
    );

    let associate = AssociateSoftwareToken::new(token(), "alice");
    assert_eq!(
        associate.parse_response(ok("{}")).map(drop),
        missing("SecretCode")
    );
    assert_eq!(
        associate
            .parse_response(ok(r#"{"SecretCode":1}"#))
            .map(drop),
        wrong("SecretCode")
    );
    assert_eq!(
        associate.parse_response(ok(r#"{"SecretCode":"JBSWY3DPEHPK3PXP"}"#)),
        Err(AccountError::Totp(TotpError::SecretTooShort { bits: 80 }))
    );
    assert!(matches!(
        associate.parse_response(ok(r#"{"SecretCode":"not base32!"}"#)),
        Err(AccountError::Totp(TotpError::SecretNotBase32 { .. }))
    ));

    let verify = VerifySoftwareToken::new(token(), "123456");
    assert_eq!(verify.parse_response(ok("{}")), missing("Status"));
    assert_eq!(
        verify.parse_response(ok(r#"{"Status":true}"#)),
        wrong("Status")
    );
    assert_eq!(
        ChangePassword::new(
            token(),
            SecretString::new(OLD_PASSWORD),
            SecretString::new(NEW_PASSWORD)
        )
        .parse_response(ok("null")),
        Err(AccountError::Response(ResponseError::NotAnObject))
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets.

#[test]
fn debug_never_shows_tokens_passwords_or_codes() {
    let printed = [
        format!(
            "{:?}",
            ChangePassword::new(
                token(),
                SecretString::new(OLD_PASSWORD),
                SecretString::new(NEW_PASSWORD)
            )
        ),
        format!("{:?}", GetUser::new(token())),
        format!(
            "{:?}",
            SetUserMfaPreference::new(token()).with(MfaType::Totp, MfaSetting::PREFERRED)
        ),
        format!(
            "{:?}",
            UpdateUserAttributes::new(token(), [("email", "a@example.org")])
        ),
        format!("{:?}", VerifyUserAttribute::new(token(), "email", "918273")),
        format!(
            "{:?}",
            GetUserAttributeVerificationCode::new(token(), "email")
        ),
        format!("{:?}", AssociateSoftwareToken::new(token(), "alice")),
        format!("{:#?}", VerifySoftwareToken::new(token(), "918273")),
        format!(
            "{:?}",
            AssociateSoftwareToken::new(token(), "alice")
                .parse_response(ok(&json!({ "SecretCode": SECRET_CODE }).to_string()))
                .unwrap()
        ),
        format!(
            "{:?}",
            VerifySoftwareToken::new(token(), "918273")
                .request(&client())
                .unwrap()
        ),
    ];
    for text in printed {
        for secret in [TOKEN, OLD_PASSWORD, NEW_PASSWORD, "918273", SECRET_CODE] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
