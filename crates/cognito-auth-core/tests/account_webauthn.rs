//! Passkey management (`StartWebAuthnRegistration`, `CompleteWebAuthnRegistration`,
//! `ListWebAuthnCredentials`, `DeleteWebAuthnCredential`) against transcripts: the exact
//! request bodies, the response shapes of the Cognito API reference (reference/beyond.md §4),
//! refusals of bad input, and hostile responses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_core::account::{
    AccountError, AccountOperation, CompleteWebAuthnRegistration, DeleteWebAuthnCredential,
    ListWebAuthnCredentials, StartWebAuthnRegistration, WebAuthnCredentialInfo,
};
use cognito_auth_core::passkey::{PasskeyCredentialParameter, PasskeyError};
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::wire::{HttpResponse, ResponseError, ServiceErrorKind};
use cognito_auth_core::{SecretString, UserPoolId};
use serde_json::{Value, json};

const TOKEN: &str = "eyJ-access-token-SECRET";

fn client() -> ClientConfig {
    ClientConfig::new(
        UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(),
        "2od40example",
    )
    .unwrap()
}

fn token() -> SecretString {
    SecretString::new(TOKEN)
}

fn exact<O: AccountOperation>(operation: &O, target: &str, body: &str) {
    let request = operation.request(&client()).unwrap();
    assert_eq!(
        request.headers()[1],
        (
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{target}").leak() as &str
        )
    );
    assert_eq!(request.body(), body);
}

fn ok<O: AccountOperation>(operation: &O, body: &str) -> Result<O::Output, AccountError> {
    operation.parse_response(HttpResponse::new(200, body.as_bytes()))
}

fn creation_options() -> Value {
    json!({
        "challenge": "AAECAwQFBgcICQoLDA0ODw",
        "rp": {"id": "auth.example.com", "name": "Example"},
        "user": {"id": "dXNlci1oYW5kbGU", "name": "alice", "displayName": "alice"},
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 60000,
        "excludeCredentials": [{"type": "public-key", "id": "q83vEjRWeJA", "transports": ["internal"]}],
        "authenticatorSelection": {"residentKey": "required", "userVerification": "required"},
        "attestation": "none",
        "extensions": {"credProps": true}
    })
}

#[test]
fn start_registration_hands_out_checked_options() {
    let operation = StartWebAuthnRegistration::new(token());
    exact(
        &operation,
        "StartWebAuthnRegistration",
        r#"{"AccessToken":"eyJ-access-token-SECRET"}"#,
    );
    let options = ok(
        &operation,
        &json!({"CredentialCreationOptions": creation_options()}).to_string(),
    )
    .unwrap();
    assert_eq!(options.challenge_bytes(), (0u8..16).collect::<Vec<_>>());
    assert_eq!(options.rp_id.as_deref(), Some("auth.example.com"));
    assert_eq!(options.rp_name, "Example");
    assert_eq!(options.user_id_bytes(), b"user-handle");
    assert_eq!(options.user_name, "alice");
    assert_eq!(
        options.pub_key_cred_params,
        [
            PasskeyCredentialParameter { alg: -7 },
            PasskeyCredentialParameter { alg: -257 }
        ]
    );
    assert_eq!(options.exclude_credentials[0].transports, ["internal"]);
    assert_eq!(
        serde_json::from_str::<Value>(options.json()).unwrap(),
        creation_options()
    );

    for (body, expected) in [
        (
            "{}",
            AccountError::Response(ResponseError::MissingField {
                field: "CredentialCreationOptions",
            }),
        ),
        (
            r#"{"CredentialCreationOptions":"{}"}"#,
            AccountError::Response(ResponseError::FieldHasWrongType {
                field: "CredentialCreationOptions",
            }),
        ),
        (
            r#"{"CredentialCreationOptions":{"challenge":"AAECAwQFBgcICQoLDA0ODw"}}"#,
            AccountError::Passkey(PasskeyError::Missing { field: "rp" }),
        ),
    ] {
        assert_eq!(ok(&operation, body).unwrap_err(), expected, "{body}");
    }
    let refused = operation.parse_response(HttpResponse::new(
        400,
        br#"{"__type":"WebAuthnNotEnabledException","message":"Passkeys are not enabled"}"#,
    ));
    match refused {
        Err(AccountError::Service(e)) => assert_eq!(e.kind(), ServiceErrorKind::WebAuthnNotEnabled),
        other => panic!("{other:?}"),
    }
}

#[test]
fn complete_registration_sends_the_checked_credential_as_an_object() {
    let credential = r#"{
        "id": "q83vEjRWeJA", "rawId": "q83vEjRWeJA", "type": "public-key",
        "response": {"clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
                     "attestationObject": "o2NmbXRkbm9uZQ", "transports": ["internal"]},
        "authenticatorAttachment": "platform", "clientExtensionResults": {}
    }"#;
    let operation = CompleteWebAuthnRegistration::new(token(), credential);
    exact(
        &operation,
        "CompleteWebAuthnRegistration",
        r#"{"AccessToken":"eyJ-access-token-SECRET","Credential":{"authenticatorAttachment":"platform","clientExtensionResults":{},"id":"q83vEjRWeJA","rawId":"q83vEjRWeJA","response":{"attestationObject":"o2NmbXRkbm9uZQ","clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0","transports":["internal"]},"type":"public-key"}}"#,
    );
    ok(&operation, "{}").unwrap();
    ok(&operation, "").unwrap();
    let refused = operation.parse_response(HttpResponse::new(
        400,
        br#"{"__type":"WebAuthnRelyingPartyMismatchException","message":"rp"}"#,
    ));
    assert!(
        matches!(refused, Err(AccountError::Service(e)) if e.kind() == ServiceErrorKind::WebAuthnRelyingPartyMismatch)
    );

    for (bad, expected) in [
        ("{}", PasskeyError::Missing { field: "id" }),
        ("[]", PasskeyError::WrongType { field: "(root)" }),
        (
            r#"{"id":"AQ","rawId":"AQ","type":"public-key","response":{"clientDataJSON":"e30"}}"#,
            PasskeyError::Missing {
                field: "attestationObject",
            },
        ),
    ] {
        let error = CompleteWebAuthnRegistration::new(token(), bad)
            .request(&client())
            .unwrap_err();
        assert_eq!(error, AccountError::Passkey(expected), "{bad}");
    }
    let printed = format!("{operation:?}");
    assert!(
        !printed.contains(TOKEN) && !printed.contains("o2NmbXRkbm9uZQ"),
        "{printed}"
    );
}

#[test]
fn list_credentials_pages() {
    let first = ListWebAuthnCredentials::new(token());
    exact(
        &first,
        "ListWebAuthnCredentials",
        r#"{"AccessToken":"eyJ-access-token-SECRET"}"#,
    );
    let next = ListWebAuthnCredentials::new(token())
        .with_max_results(20)
        .unwrap()
        .with_next_token("page-2");
    exact(
        &next,
        "ListWebAuthnCredentials",
        r#"{"AccessToken":"eyJ-access-token-SECRET","MaxResults":20,"NextToken":"page-2"}"#,
    );
    assert_eq!(
        ListWebAuthnCredentials::new(token())
            .with_max_results(21)
            .unwrap_err(),
        AccountError::LimitTooLarge { limit: 21, max: 20 }
    );
    assert_eq!(
        ListWebAuthnCredentials::new(token())
            .with_max_results(0)
            .unwrap_err(),
        AccountError::EmptyField {
            field: "max_results"
        }
    );
    assert_eq!(
        ListWebAuthnCredentials::new(token())
            .with_next_token("")
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "next_token"
        }
    );

    let page = ok(
        &first,
        r#"{"Credentials":[
            {"CredentialId":"q83vEjRWeJA","FriendlyCredentialName":"iPhone","RelyingPartyId":"auth.example.com",
             "AuthenticatorAttachment":"platform","AuthenticatorTransports":["internal","hybrid"],"CreatedAt":1.7331e9},
            {"CredentialId":"AQID","RelyingPartyId":"auth.example.com","AuthenticatorTransports":[],"CreatedAt":1733100000}
        ],"NextToken":"page-2"}"#,
    )
    .unwrap();
    assert_eq!(
        page.credentials,
        [
            WebAuthnCredentialInfo {
                credential_id: "q83vEjRWeJA".into(),
                friendly_name: Some("iPhone".into()),
                relying_party_id: "auth.example.com".into(),
                authenticator_attachment: Some("platform".into()),
                authenticator_transports: vec!["internal".into(), "hybrid".into()],
                created_at: Some(1_733_100_000),
            },
            WebAuthnCredentialInfo {
                credential_id: "AQID".into(),
                friendly_name: None,
                relying_party_id: "auth.example.com".into(),
                authenticator_attachment: None,
                authenticator_transports: vec![],
                created_at: Some(1_733_100_000),
            },
        ]
    );
    assert_eq!(page.next_token.as_deref(), Some("page-2"));
    let last = ok(&first, r#"{"Credentials":[],"NextToken":""}"#).unwrap();
    assert!(last.credentials.is_empty() && last.next_token.is_none());

    for (body, field) in [
        (r#"{"Credentials":{}}"#, "Credentials"),
        (r#"{"Credentials":["x"]}"#, "Credentials"),
        (r#"{"Credentials":[{"CredentialId":7}]}"#, "CredentialId"),
        (
            r#"{"Credentials":[{"CredentialId":"a","AuthenticatorTransports":"internal"}]}"#,
            "AuthenticatorTransports",
        ),
        (
            r#"{"Credentials":[{"CredentialId":"a","CreatedAt":-1}]}"#,
            "CreatedAt",
        ),
        (
            r#"{"Credentials":[{"CredentialId":"a","CreatedAt":"yesterday"}]}"#,
            "CreatedAt",
        ),
        (r#"{"NextToken":5}"#, "NextToken"),
    ] {
        assert_eq!(
            ok(&first, body).unwrap_err(),
            AccountError::Response(ResponseError::FieldHasWrongType { field }),
            "{body}"
        );
    }
    assert_eq!(
        ok(&first, r#"{"Credentials":[{"RelyingPartyId":"x"}]}"#).unwrap_err(),
        AccountError::Response(ResponseError::MissingField {
            field: "CredentialId"
        })
    );
}

#[test]
fn delete_credential() {
    let operation = DeleteWebAuthnCredential::new(token(), "q83vEjRWeJA");
    exact(
        &operation,
        "DeleteWebAuthnCredential",
        r#"{"AccessToken":"eyJ-access-token-SECRET","CredentialId":"q83vEjRWeJA"}"#,
    );
    ok(&operation, "{}").unwrap();
    assert_eq!(
        DeleteWebAuthnCredential::new(token(), " ")
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "credential_id"
        }
    );
    assert_eq!(
        DeleteWebAuthnCredential::new(SecretString::new(""), "x")
            .request(&client())
            .unwrap_err(),
        AccountError::EmptyField {
            field: "access_token"
        }
    );
    assert!(!format!("{operation:?}").contains(TOKEN));
}
