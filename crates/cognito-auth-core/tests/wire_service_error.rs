//! `ServiceError`: the SDKs' parsing rules, and the classification of every documented
//! Cognito error (retryable, restarts the sign-in, backend hint).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_core::wire::{MAX_BODY_LEN, ServiceError, ServiceErrorKind};

fn body(code: &str, message: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"__type": code, "message": message})).unwrap()
}

fn error(code: &str) -> ServiceError {
    ServiceError::parse(400, None, &body(code, "m"))
}

#[test]
fn real_cognito_body() {
    let e = ServiceError::parse(
        400,
        None,
        br#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
    );
    assert_eq!(e.status(), 400);
    assert_eq!(e.code(), "NotAuthorizedException");
    assert_eq!(e.kind(), ServiceErrorKind::NotAuthorized);
    assert_eq!(e.message(), "Incorrect username or password.");
    assert_eq!(
        e.to_string(),
        "NotAuthorizedException: Incorrect username or password."
    );
}

#[test]
fn header_wins_over_body() {
    let e = ServiceError::parse(
        400,
        Some("UserNotFoundException:http://internal.amazon.com/coral/"),
        &body("NotAuthorizedException", "User does not exist."),
    );
    assert_eq!(e.code(), "UserNotFoundException");
    assert_eq!(e.kind(), ServiceErrorKind::UserNotFound);
    assert_eq!(
        e.message(),
        "User does not exist.",
        "the message still comes from the body"
    );
}

#[test]
fn empty_header_falls_back_to_the_body() {
    for header in ["", "  ", ":http://x", "prefix#"] {
        let e = ServiceError::parse(400, Some(header), &body("CodeMismatchException", "m"));
        assert_eq!(e.code(), "CodeMismatchException", "header {header:?}");
    }
}

#[test]
fn type_with_namespace_and_suffix() {
    let e = ServiceError::parse(
        400,
        None,
        br#"{"__type":"com.amazonaws.cognito#ExpiredCodeException:http://internal.amazon.com/x,y"}"#,
    );
    assert_eq!(e.code(), "ExpiredCodeException");
    assert_eq!(e.kind(), ServiceErrorKind::ExpiredCode);
    assert_eq!(e.message(), "");
    assert_eq!(e.to_string(), "ExpiredCodeException", "no dangling ': '");
}

#[test]
fn code_member_wins_over_type() {
    let e = ServiceError::parse(
        400,
        None,
        br#"{"code":"InvalidPasswordException","__type":"InvalidParameterException"}"#,
    );
    assert_eq!(e.kind(), ServiceErrorKind::InvalidPassword);
    let e = ServiceError::parse(
        400,
        None,
        br#"{"code":42,"__type":"InvalidParameterException"}"#,
    );
    assert_eq!(
        e.kind(),
        ServiceErrorKind::InvalidParameter,
        "a non-string code is skipped"
    );
}

#[test]
fn capitalised_message() {
    let e = ServiceError::parse(
        400,
        None,
        br#"{"__type":"LimitExceededException","Message":"Attempt limit exceeded, please try after some time."}"#,
    );
    assert_eq!(
        e.message(),
        "Attempt limit exceeded, please try after some time."
    );
    let both = ServiceError::parse(400, None, br#"{"message":"lower","Message":"upper"}"#);
    assert_eq!(both.message(), "lower");
}

#[test]
fn bodies_that_are_not_cognito_json() {
    for (status, header, body) in [
        (
            500,
            None,
            &b"<html><body>Internal Server Error</body></html>"[..],
        ),
        (400, None, b""),
        (400, None, b"[\"NotAuthorizedException\"]"),
        (400, None, b"{\"__type\":null,\"message\":7}"),
        (502, None, b"\xff\xfe"),
    ] {
        let e = ServiceError::parse(status, header, body);
        assert_eq!(e.code(), "UnknownError", "{body:?}");
        assert_eq!(e.kind(), ServiceErrorKind::Unknown);
        assert_eq!(e.message(), "");
        assert_eq!(e.to_string(), "UnknownError");
    }
    let e = ServiceError::parse(501, Some("InternalFailure"), b"not json");
    assert_eq!(e.code(), "InternalFailure", "LocalStack: the header alone");
    assert!(!e.is_retryable(), "501 is not transient");
    let e = ServiceError::parse(500, None, br#"{"__type":"CognitoLocal#Unsupported"}"#);
    assert_eq!(e.code(), "Unsupported");
}

#[test]
fn huge_bodies_are_not_read() {
    let mut huge = body("NotAuthorizedException", "x");
    huge.resize(MAX_BODY_LEN + 1, b' ');
    let e = ServiceError::parse(400, None, &huge);
    assert_eq!(e.code(), "UnknownError");
    let e = ServiceError::parse(400, Some("NotAuthorizedException"), &huge);
    assert_eq!(
        e.kind(),
        ServiceErrorKind::NotAuthorized,
        "the header still counts"
    );

    let long_message = "é".repeat(2000);
    let e = ServiceError::parse(400, None, &body("InvalidParameterException", &long_message));
    assert!(e.message().len() <= ServiceError::MAX_MESSAGE_LEN);
    assert!(long_message.starts_with(e.message()));
    let e = ServiceError::parse(400, Some(&"X".repeat(1000)), b"");
    assert_eq!(e.code().len(), ServiceError::MAX_CODE_LEN);
}

#[test]
fn display_never_shows_the_raw_body() {
    let e = ServiceError::parse(
        400,
        None,
        br#"{"__type":"NotAuthorizedException","message":"m","AccessToken":"eyJsecret"}"#,
    );
    assert!(!e.to_string().contains("eyJ"));
    assert!(!format!("{e:?}").contains("eyJ"));
}

#[test]
fn kinds_match_their_wire_codes() {
    for &kind in ServiceErrorKind::KNOWN {
        let code = kind.code().unwrap();
        assert_eq!(error(code).kind(), kind, "{code}");
        assert_eq!(error(code).code(), code);
    }
    assert_eq!(
        error("SoftwareTokenMFANotFoundException").kind(),
        ServiceErrorKind::SoftwareTokenMfaNotFound
    );
    assert_eq!(
        error("MFAMethodNotFoundException").kind(),
        ServiceErrorKind::MfaMethodNotFound
    );
    assert_eq!(error("NotAuthorized").kind(), ServiceErrorKind::Unknown);
}

#[test]
fn retryable_errors() {
    use ServiceErrorKind as K;
    let retryable = [K::TooManyRequests, K::InternalError];
    for &kind in ServiceErrorKind::KNOWN {
        let status = match kind {
            K::TooManyRequests => 429,
            K::InternalError => 500,
            K::NotAuthorized | K::Forbidden => 403,
            K::ResourceNotFound | K::UserNotFound => 404,
            _ => 400,
        };
        let e = ServiceError::parse(status, None, &body(kind.code().unwrap(), "m"));
        assert_eq!(e.is_retryable(), retryable.contains(&kind), "{kind:?}");
    }
    assert!(
        !error("LimitExceededException").is_retryable(),
        "a per-user limit: wait"
    );
    for status in [429, 500, 502, 503, 504] {
        assert!(
            ServiceError::parse(status, None, b"").is_retryable(),
            "{status}"
        );
    }
    for status in [400, 403, 404, 413, 501] {
        assert!(
            !ServiceError::parse(status, None, b"").is_retryable(),
            "{status}"
        );
    }
    for code in [
        "ThrottlingException",
        "Throttling",
        "RequestTimeoutException",
        "SlowDown",
    ] {
        assert!(error(code).is_retryable(), "{code}");
    }
}

#[test]
fn errors_that_restart_the_sign_in() {
    use ServiceErrorKind as K;
    let restart = [
        K::NotAuthorized,
        K::UserNotFound,
        K::UserNotConfirmed,
        K::PasswordResetRequired,
        K::ResourceNotFound,
        K::RefreshTokenReuse,
    ];
    for &kind in ServiceErrorKind::KNOWN {
        assert_eq!(
            error(kind.code().unwrap()).restarts_sign_in(),
            restart.contains(&kind),
            "{kind:?}"
        );
    }
    // The challenge stays open: the user answers again.
    for kind in [
        K::CodeMismatch,
        K::ExpiredCode,
        K::InvalidPassword,
        K::PasswordHistoryPolicyViolation,
        K::EnableSoftwareTokenMfa,
    ] {
        let e = error(kind.code().unwrap());
        assert!(!e.restarts_sign_in() && !e.is_retryable(), "{kind:?}");
    }
    assert!(!ServiceError::parse(500, None, b"").restarts_sign_in());
}

#[test]
fn backend_hints() {
    use ServiceErrorKind as K;
    let hinted = [
        (K::CodeDeliveryFailure, "June 2021"),
        (K::CodeDeliveryFailure, "sandbox"),
        (K::InvalidSmsRoleTrustRelationship, "sts:ExternalId"),
        (K::InvalidSmsRoleAccessPolicy, "sns:Publish"),
        (K::InvalidEmailRoleAccessPolicy, "ses:SendEmail"),
        (K::LimitExceeded, "wait"),
        (K::InvalidLambdaResponse, "Lambda"),
        (K::UnexpectedLambda, "CloudWatch"),
        (K::InvalidUserPoolConfiguration, "MFA"),
        (K::Forbidden, "WAF"),
        (K::UnsupportedOperation, "app client"),
        (K::SoftwareTokenMfaNotFound, "TOTP"),
        (K::WebAuthnNotEnabled, "WEB_AUTHN"),
        (K::WebAuthnConfigurationMissing, "SetUserPoolMfaConfig"),
        (K::WebAuthnRelyingPartyMismatch, "relying-party"),
        (K::WebAuthnOriginNotAllowed, "origin"),
        (
            K::InvalidIdentityPoolConfiguration,
            "cognito-identity.amazonaws.com:aud",
        ),
    ];
    for (kind, needle) in hinted {
        let hint = error(kind.code().unwrap()).backend_hint().unwrap();
        assert!(hint.contains(needle), "{kind:?}: {hint}");
    }
    for &kind in ServiceErrorKind::KNOWN {
        let has_hint = hinted.iter().any(|&(k, _)| k == kind);
        assert_eq!(
            error(kind.code().unwrap()).backend_hint().is_some(),
            has_hint,
            "{kind:?}"
        );
    }

    let daily = ServiceError::parse(
        400,
        None,
        &body(
            "LimitExceededException",
            "Exceeded daily email limit for the operation or the account. If a higher limit is \
             required, please configure your user pool to use your own Amazon SES configuration \
             for sending email.",
        ),
    );
    assert!(daily.backend_hint().unwrap().contains("Amazon SES"));

    let secret = ServiceError::parse(
        400,
        None,
        &body(
            "NotAuthorizedException",
            "Unable to verify secret hash for client 2od40example",
        ),
    );
    assert!(secret.backend_hint().unwrap().contains("SECRET_HASH"));
    let missing = ServiceError::parse(
        400,
        None,
        &body(
            "NotAuthorizedException",
            "Client 2od40example is configured for secret but secret was not received",
        ),
    );
    assert!(missing.backend_hint().unwrap().contains("SECRET_HASH"));
    let flow = ServiceError::parse(
        400,
        None,
        &body(
            "InvalidParameterException",
            "USER_SRP_AUTH flow not enabled for this client",
        ),
    );
    assert!(flow.backend_hint().unwrap().contains("ALLOW_USER_SRP_AUTH"));
    assert_eq!(ServiceError::parse(500, None, b"").backend_hint(), None);
}
