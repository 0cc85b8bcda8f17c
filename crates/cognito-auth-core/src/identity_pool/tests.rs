//! The provider's transitions, the parsers against hostile bodies, and no panic on any input.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::user_pool_id::UserPoolId;
use crate::wire::{HttpResponse, ResponseError, ServiceErrorKind};

const POOL: &str = "us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60";
const ID: &str = "us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60";
const OTHER_ID: &str = "us-east-1:00000000-0000-4000-8000-000000000000";
const NOW: u64 = 1_800_000_000;

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

fn pool() -> IdentityPoolId {
    IdentityPoolId::parse(POOL).unwrap()
}

fn user_logins(token: &str) -> Logins {
    Logins::user_pool(
        &UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(),
        SecretString::new(token),
    )
    .unwrap()
}

fn id_body(id: &str) -> String {
    format!(r#"{{"IdentityId":"{id}"}}"#)
}

fn credentials_body(id: &str, expiration: &str) -> String {
    format!(
        r#"{{"IdentityId":"{id}","Credentials":{{"AccessKeyId":"ASIAKEY","SecretKey":"s3cr3t-key","SessionToken":"s3ss10n-token","Expiration":{expiration}}}}}"#
    )
}

fn error_body(code: &str) -> String {
    format!(r#"{{"__type":"{code}","message":"m"}}"#)
}

fn json(request: &crate::wire::Request) -> Value {
    serde_json::from_str(request.body()).unwrap()
}

fn send(provider: &mut CredentialsProvider) -> crate::wire::Request {
    match provider.credentials_for_call(now()) {
        CredentialsForCall::Send(request) => request,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn answer(provider: &mut CredentialsProvider, status: u16, body: &str) -> CredentialsOutcome {
    provider
        .handle_response(HttpResponse::new(status, body.as_bytes()), now())
        .unwrap()
}

#[test]
fn guest_gets_an_identity_then_credentials_without_logins() {
    let mut provider = CredentialsProvider::new(pool(), Logins::guest());
    let get_id = send(&mut provider);
    assert_eq!(get_id.headers()[1].1, "AWSCognitoIdentityService.GetId");
    assert_eq!(json(&get_id), serde_json::json!({"IdentityPoolId": POOL}));
    assert_eq!(
        provider.credentials_for_call(now()),
        CredentialsForCall::WaitForRefresh
    );
    let CredentialsOutcome::Send(get) = answer(&mut provider, 200, &id_body(ID)) else {
        panic!("GetCredentialsForIdentity expected")
    };
    assert_eq!(json(&get), serde_json::json!({"IdentityId": ID}));
    assert_eq!(
        provider.credentials_for_call(now()),
        CredentialsForCall::WaitForRefresh,
        "still one request in flight"
    );
    let CredentialsOutcome::Refreshed(credentials) =
        answer(&mut provider, 200, &credentials_body(ID, "1800003600.5"))
    else {
        panic!("credentials expected")
    };
    assert_eq!(credentials.access_key_id, "ASIAKEY");
    assert_eq!(credentials.secret_access_key.expose(), "s3cr3t-key");
    assert_eq!(credentials.session_token.expose(), "s3ss10n-token");
    assert_eq!(credentials.expiration, UnixTime::from_secs(NOW + 3600));
    let debug = format!("{credentials:?} {provider:?}");
    assert!(
        !debug.contains("s3cr3t") && !debug.contains("s3ss10n"),
        "{debug}"
    );
    assert_eq!(
        provider.credentials_for_call(now()),
        CredentialsForCall::Fresh(credentials)
    );
    assert_eq!(provider.identity_id().unwrap().as_str(), ID);
    assert!(provider.is_guest() && !provider.is_refreshing());
}

#[test]
fn refresh_within_the_margin_reuses_the_identity_and_keeps_the_returned_id() {
    let mut provider = CredentialsProvider::new(pool(), user_logins("id-1"))
        .with_identity_id(IdentityId::parse(ID).unwrap())
        .with_refresh_margin(60);
    let get = send(&mut provider);
    assert_eq!(get.operation().name(), "GetCredentialsForIdentity");
    assert_eq!(
        json(&get)["Logins"]["cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123XyZ"],
        "id-1"
    );
    let _ = answer(
        &mut provider,
        200,
        &credentials_body(OTHER_ID, &(NOW + 100).to_string()),
    );
    assert_eq!(
        provider.identity_id().unwrap().as_str(),
        OTHER_ID,
        "Cognito's id wins"
    );
    assert!(matches!(
        provider.credentials_for_call(UnixTime::from_secs(NOW + 39)),
        CredentialsForCall::Fresh(_)
    ));
    // 60 s margin: at NOW + 40 only 60 s are left.
    let CredentialsForCall::Send(again) =
        provider.credentials_for_call(UnixTime::from_secs(NOW + 40))
    else {
        panic!("refresh expected")
    };
    assert_eq!(json(&again)["IdentityId"], OTHER_ID);
    // The same user's new ID token is sent on the next request; another provider is refused.
    provider.update_logins(user_logins("id-2")).unwrap();
    assert_eq!(
        provider.update_logins(Logins::guest()),
        Err(IdentityPoolError::LoginProvidersChanged)
    );
    assert!(provider.request_failed_to_send());
    assert!(!provider.request_failed_to_send());
    let CredentialsForCall::Send(again) =
        provider.credentials_for_call(UnixTime::from_secs(NOW + 40))
    else {
        panic!("refresh expected")
    };
    assert_eq!(
        json(&again)["Logins"]["cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123XyZ"],
        "id-2"
    );
}

#[test]
fn a_stale_stored_identity_is_replaced_once() {
    for (logins, code) in [
        (Logins::guest(), "ResourceNotFoundException"),
        (Logins::guest(), "NotAuthorizedException"),
        (user_logins("t"), "ResourceNotFoundException"),
    ] {
        let mut provider = CredentialsProvider::new(pool(), logins)
            .with_identity_id(IdentityId::parse(OTHER_ID).unwrap());
        let _ = send(&mut provider);
        let CredentialsOutcome::Send(get_id) = answer(&mut provider, 400, &error_body(code)) else {
            panic!("GetId expected after {code}")
        };
        assert_eq!(get_id.operation().name(), "GetId");
        assert_eq!(provider.identity_id(), None);
        let _ = answer(&mut provider, 200, &id_body(ID));
        // The new identity refused too: reported, not retried again.
        let CredentialsOutcome::Failed(error) = answer(&mut provider, 400, &error_body(code))
        else {
            panic!("Failed expected")
        };
        assert_eq!(error.code(), code);
        assert!(!provider.is_refreshing());
    }
}

#[test]
fn a_users_refusal_is_reported_and_credentials_are_kept() {
    let mut provider = CredentialsProvider::new(pool(), user_logins("t"))
        .with_identity_id(IdentityId::parse(ID).unwrap());
    let _ = send(&mut provider);
    let _ = answer(
        &mut provider,
        200,
        &credentials_body(ID, &(NOW + 200).to_string()),
    );
    let _ = send(&mut provider); // within the margin
    let CredentialsOutcome::Failed(error) =
        answer(&mut provider, 400, &error_body("NotAuthorizedException"))
    else {
        panic!("Failed expected")
    };
    assert_eq!(error.kind(), ServiceErrorKind::NotAuthorized);
    assert_eq!(provider.identity_id().unwrap().as_str(), ID);
    assert_eq!(provider.expiration(), Some(UnixTime::from_secs(NOW + 200)));
    // Throttled GetId: Failed, retryable, nothing in flight.
    provider.switch_logins(Logins::guest());
    assert_eq!(provider.expiration(), None);
    let _ = send(&mut provider);
    let CredentialsOutcome::Failed(error) = answer(&mut provider, 429, "") else {
        panic!("Failed expected")
    };
    assert!(error.is_retryable());
    assert_eq!(
        provider.handle_response(HttpResponse::new(200, b"{}"), now()),
        Err(IdentityPoolError::NoRequestInFlight)
    );
}

#[test]
fn switching_logins_abandons_the_request_in_flight() {
    let mut provider = CredentialsProvider::new(pool(), Logins::guest());
    let _ = send(&mut provider);
    provider.switch_logins(user_logins("t"));
    assert!(!provider.is_refreshing());
    assert_eq!(
        provider.handle_response(HttpResponse::new(200, id_body(ID).as_bytes()), now()),
        Err(IdentityPoolError::NoRequestInFlight)
    );
    let get_id = send(&mut provider);
    assert!(json(&get_id)["Logins"].is_object());
}

#[test]
fn hostile_bodies_are_typed_errors_and_end_the_flight() {
    let missing = |field| IdentityPoolError::Response(ResponseError::MissingField { field });
    let wrong = |field| IdentityPoolError::Response(ResponseError::FieldHasWrongType { field });
    let cases: Vec<(String, IdentityPoolError)> = Vec::from([
        (String::from("{}"), missing("IdentityId")),
        (String::from(r#"{"IdentityId":42}"#), wrong("IdentityId")),
        (
            String::from(r#"{"IdentityId":"../../etc"}"#),
            wrong("IdentityId"),
        ),
        (id_body(ID), missing("Credentials")),
        (
            format!(r#"{{"IdentityId":"{ID}","Credentials":[]}}"#),
            wrong("Credentials"),
        ),
        (
            credentials_body(ID, "1e300"),
            IdentityPoolError::ExpirationOutOfRange,
        ),
        (
            credentials_body(ID, "-5"),
            IdentityPoolError::ExpirationOutOfRange,
        ),
        (credentials_body(ID, "\"soon\""), wrong("Expiration")),
        (
            credentials_body(ID, "1e999"),
            IdentityPoolError::Response(ResponseError::NotJson),
        ),
        // Milliseconds sent as seconds: year 57000, refused by the provider.
        (
            credentials_body(ID, "1800003600000"),
            IdentityPoolError::ExpirationOutOfRange,
        ),
        (
            credentials_body(ID, "99999999999"),
            IdentityPoolError::ExpirationOutOfRange,
        ),
        (
            format!(
                r#"{{"IdentityId":"{ID}","Credentials":{{"AccessKeyId":"A","SecretKey":"","SessionToken":"t","Expiration":1}}}}"#
            ),
            missing("SecretKey"),
        ),
        (
            format!(
                r#"{{"IdentityId":"{ID}","Credentials":{{"AccessKeyId":"A","SecretKey":"s","Expiration":1}}}}"#
            ),
            missing("SessionToken"),
        ),
        (
            String::from("[1]"),
            IdentityPoolError::Response(ResponseError::NotAnObject),
        ),
    ]);
    for (body, expected) in cases {
        let mut provider = CredentialsProvider::new(pool(), Logins::guest())
            .with_identity_id(IdentityId::parse(ID).unwrap());
        let _ = send(&mut provider);
        let result = provider.handle_response(HttpResponse::new(200, body.as_bytes()), now());
        assert_eq!(result, Err(expected), "{body}");
        assert!(!provider.is_refreshing(), "{body}");
        assert_eq!(provider.identity_id().unwrap().as_str(), ID, "{body}");
    }
    // GetId with a non-string id.
    let mut provider = CredentialsProvider::new(pool(), Logins::guest());
    let _ = send(&mut provider);
    assert_eq!(
        provider.handle_response(HttpResponse::new(200, br#"{"IdentityId":["x"]}"#), now()),
        Err(wrong("IdentityId"))
    );
}

#[test]
fn open_id_token_is_secret_and_required() {
    let get = GetOpenIdToken::new(IdentityId::parse(ID).unwrap(), user_logins("t"));
    assert_eq!(
        json(&get.request())["Logins"]["cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123XyZ"],
        "t"
    );
    let ok = get
        .parse_response(HttpResponse::new(
            200,
            format!(r#"{{"IdentityId":"{ID}","Token":"oidc-secret"}}"#).as_bytes(),
        ))
        .unwrap();
    assert!(!format!("{ok:?}").contains("oidc-secret"));
    for body in [
        id_body(ID),
        format!(r#"{{"IdentityId":"{ID}","Token":""}}"#),
    ] {
        assert_eq!(
            get.parse_response(HttpResponse::new(200, body.as_bytes())),
            Err(IdentityPoolError::Response(ResponseError::MissingField {
                field: "Token"
            }))
        );
    }
    let refused = get.parse_response(
        HttpResponse::new(400, b"{}").with_error_type(Some("ResourceNotFoundException")),
    );
    assert!(
        matches!(refused, Err(IdentityPoolError::Service(e)) if e.kind() == ServiceErrorKind::ResourceNotFound)
    );
}

#[test]
fn a_misconfigured_role_says_what_to_fix() {
    let mut provider = CredentialsProvider::new(pool(), Logins::guest())
        .with_identity_id(IdentityId::parse(ID).unwrap());
    let _ = send(&mut provider);
    let CredentialsOutcome::Failed(error) = answer(
        &mut provider,
        400,
        &error_body("InvalidIdentityPoolConfigurationException"),
    ) else {
        panic!("Failed expected")
    };
    assert_eq!(
        error.kind(),
        ServiceErrorKind::InvalidIdentityPoolConfiguration
    );
    assert!(!error.is_retryable());
    assert!(
        error
            .backend_hint()
            .unwrap()
            .contains("sts:AssumeRoleWithWebIdentity")
    );
    assert_eq!(
        provider.identity_id().unwrap().as_str(),
        ID,
        "not a stale identity"
    );
}

#[test]
fn custom_role_arn_is_sent() {
    let get = GetCredentialsForIdentity::new(IdentityId::parse(ID).unwrap(), Logins::guest())
        .with_custom_role_arn("arn:aws:iam::123456789012:role/Reader");
    assert_eq!(
        get.request().body(),
        format!(
            r#"{{"CustomRoleArn":"arn:aws:iam::123456789012:role/Reader","IdentityId":"{ID}"}}"#
        )
    );
}

/// Response bodies: arbitrary bytes, and JSON shaped like the answers with arbitrary values.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(String::from("null")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:e}")),
        "[a-z0-9:-]{0,60}".prop_map(|s| format!("\"{s}\"")),
        Just(format!("\"{ID}\"")),
        Just(String::from("{}")),
        Just(String::from("[]")),
    ];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        (leaf.clone(), leaf.clone(), leaf.clone(), leaf.clone(), leaf.clone(), leaf).prop_map(
            |(id, key, secret, token, exp, oidc)| format!(
                r#"{{"IdentityId":{id},"Token":{oidc},"Credentials":{{"AccessKeyId":{key},"SecretKey":{secret},"SessionToken":{token},"Expiration":{exp}}}}}"#
            )
            .into_bytes()
        ),
    ]
}

proptest! {
    #[test]
    fn no_response_panics_any_parser_or_the_provider(
        body in bodies(),
        status in prop_oneof![Just(200_u16), Just(400), any::<u16>()],
        stored in any::<bool>(),
        guest in any::<bool>(),
        at in any::<u64>(),
    ) {
        let id = IdentityId::parse(ID).unwrap();
        let response = HttpResponse::new(status, &body);
        let _ = GetId::new(pool(), Logins::guest()).parse_response(response);
        let _ = GetCredentialsForIdentity::new(id.clone(), Logins::guest()).parse_response(response);
        let _ = GetOpenIdToken::new(id.clone(), Logins::guest()).parse_response(response);
        let logins = if guest { Logins::guest() } else { user_logins("t") };
        let mut provider = CredentialsProvider::new(pool(), logins);
        if stored {
            provider = provider.with_identity_id(id);
        }
        let at = UnixTime::from_secs(at);
        match provider.credentials_for_call(at) {
            CredentialsForCall::Send(_) => {}
            other => prop_assert!(false, "a request comes first: {:?}", other),
        }
        // The same body answers GetId, then GetCredentialsForIdentity, then a second GetId.
        for _ in 0..3 {
            prop_assert_eq!(provider.credentials_for_call(at), CredentialsForCall::WaitForRefresh);
            match provider.handle_response(response, at) {
                Ok(CredentialsOutcome::Send(_)) => prop_assert!(provider.is_refreshing()),
                Ok(CredentialsOutcome::Refreshed(c)) => {
                    prop_assert!(c.expiration.as_secs() <= MAX_EXPIRATION_SECS);
                    prop_assert!(c.expiration.as_secs() <= at.as_secs().saturating_add(MAX_CREDENTIALS_LIFETIME_SECS));
                    prop_assert!(!provider.is_refreshing());
                    break;
                }
                Ok(_) | Err(_) => {
                    prop_assert!(!provider.is_refreshing());
                    break;
                }
            }
        }
        let _ = provider.request_failed_to_send();
    }

    #[test]
    fn ids_never_panic_and_round_trip(text in "\\PC{0,80}") {
        if let Ok(id) = IdentityId::parse(&text) {
            prop_assert_eq!(id.as_str(), text.as_str());
            prop_assert!(text.len() <= MAX_ID_LEN);
        }
        if let Ok(pool) = IdentityPoolId::parse(&text) {
            prop_assert!(!pool.region().is_empty());
        }
    }
}
