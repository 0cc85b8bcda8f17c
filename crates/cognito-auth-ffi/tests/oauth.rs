//! The hosted UI through the FFI layer (records and strings in and out, as the Kotlin, Swift,
//! Python and Dart clients call it): authorize → store `pending` → redirect → token request →
//! token response → `UserSession.from_tokens`. The token endpoint here is the test's; the same
//! flow against MiniStack is `cognito-auth-core/tests/ministack_oauth.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cognito_auth_ffi::CognitoAuthError;
use cognito_auth_ffi::error::OAuthErrorKind;
use cognito_auth_ffi::oauth::{
    HostedUiConfig, HostedUiOptions, HostedUiPrompt, hosted_ui_authorize, hosted_ui_logout_url,
    hosted_ui_parse_refresh_response, hosted_ui_parse_revoke_response,
    hosted_ui_parse_token_response, hosted_ui_refresh_request, hosted_ui_revoke_request,
    hosted_ui_token_request,
};
use cognito_auth_ffi::session::{SessionOptions, UserSession};
use cognito_auth_ffi::types::ClientConfig;

const DOMAIN: &str = "https://example.auth.eu-west-1.amazoncognito.com";
const CLIENT: &str = "2od40example";
const REDIRECT: &str = "myapp://callback";
const T0: u64 = 1_800_000_000;

fn config(secret: Option<&str>) -> HostedUiConfig {
    HostedUiConfig {
        domain: DOMAIN.into(),
        client_id: CLIENT.into(),
        client_secret: secret.map(Into::into),
    }
}

fn options() -> HostedUiOptions {
    HostedUiOptions {
        redirect_uri: REDIRECT.into(),
        scopes: vec!["openid".into(), "aws.cognito.signin.user.admin".into()],
        identity_provider: Some("Google".into()),
        idp_identifier: None,
        lang: None,
        login_hint: None,
        prompt: vec![HostedUiPrompt::SelectAccount],
    }
}

fn param<'a>(url: &'a str, name: &str) -> &'a str {
    url.split(['?', '&'])
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} not in {url}"))
}

fn jwt(payload: &str) -> String {
    let part = |json: &str| URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}.{}.{}",
        part(r#"{"alg":"RS256"}"#),
        part(payload),
        part("sig")
    )
}

fn token_body(nonce: &str) -> String {
    let access = jwt(&format!(
        r#"{{"sub":"s-1","username":"Google_1","token_use":"access","client_id":"{CLIENT}","exp":{}}}"#,
        T0 + 3600
    ));
    let id = jwt(&format!(
        r#"{{"sub":"s-1","cognito:username":"Google_1","token_use":"id","aud":"{CLIENT}","exp":{},"nonce":"{nonce}"}}"#,
        T0 + 3600
    ));
    format!(
        r#"{{"access_token":"{access}","id_token":"{id}","refresh_token":"r-1","expires_in":3600,"token_type":"Bearer"}}"#
    )
}

#[test]
fn sign_in_with_web_ui_through_the_bindings() {
    let key = vec![7u8; 32];
    let started = hosted_ui_authorize(config(None), options(), Some(key.clone())).unwrap();
    assert!(
        started
            .url
            .starts_with(&format!("{DOMAIN}/oauth2/authorize?"))
    );
    assert_eq!(param(&started.url, "identity_provider"), "Google");
    assert_eq!(param(&started.url, "prompt"), "select_account");
    assert!(started.pending.starts_with("cognito-auth-oauth-sealed.v1."));
    let shown = format!("{started:?} {started}");
    assert!(!shown.contains(&started.pending), "{shown}");

    // Fresh randomness per authorization.
    let again = hosted_ui_authorize(config(None), options(), None).unwrap();
    assert_ne!(param(&again.url, "state"), param(&started.url, "state"));
    assert!(again.pending.starts_with("cognito-auth-oauth.v1."));

    let state = param(&started.url, "state");
    let redirect = format!("{REDIRECT}?code=c0de&state={state}");
    let request = hosted_ui_token_request(
        config(None),
        started.pending.clone(),
        redirect,
        Some(key.clone()),
    )
    .unwrap();
    assert_eq!(request.url, format!("{DOMAIN}/oauth2/token"));
    assert_eq!(request.method, "POST");
    assert_eq!(request.operation, "oauth2/token");
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert!(request.body.contains("&code=c0de&"), "{}", request.body);

    let nonce = param(&started.url, "nonce");
    let tokens = hosted_ui_parse_token_response(
        started.pending.clone(),
        200,
        token_body(nonce).into_bytes(),
        Some(key.clone()),
    )
    .unwrap();
    assert_eq!(tokens.refresh_token.as_deref(), Some("r-1"));
    assert!(!format!("{tokens:?}").contains("r-1"));

    // A nonce from another authorization is refused.
    let error = hosted_ui_parse_token_response(
        started.pending.clone(),
        200,
        token_body("other").into_bytes(),
        Some(key.clone()),
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            CognitoAuthError::OAuth {
                kind: OAuthErrorKind::NonceMismatch,
                ..
            }
        ),
        "{error:?}"
    );

    // The tokens start a session as sign-in tokens do.
    let session = UserSession::from_tokens(
        ClientConfig {
            user_pool_id: "eu-west-1_Abc123XyZ".into(),
            client_id: CLIENT.into(),
            client_secret: None,
            endpoint_url: None,
            allow_insecure_http: false,
        },
        tokens,
        None,
        T0,
        SessionOptions::default(),
    )
    .unwrap();
    assert_eq!(session.status().unwrap().username, "Google_1");
}

#[test]
fn redirect_errors_and_refusals_are_typed() {
    let started = hosted_ui_authorize(config(None), options(), None).unwrap();
    let state = param(&started.url, "state").to_owned();
    let token_request = |redirect: String| {
        hosted_ui_token_request(config(None), started.pending.clone(), redirect, None).unwrap_err()
    };
    match token_request(format!(
        "{REDIRECT}?error=access_denied&error_description=cancelled&state={state}"
    )) {
        CognitoAuthError::OAuth {
            kind: OAuthErrorKind::Denied,
            error_code,
            error_description,
            ..
        } => {
            assert_eq!(error_code.as_deref(), Some("access_denied"));
            assert_eq!(error_description.as_deref(), Some("cancelled"));
        }
        other => panic!("{other:?}"),
    }
    for (redirect, kind) in [
        (
            format!("{REDIRECT}?code=c&state=forged"),
            OAuthErrorKind::StateMismatch,
        ),
        (
            format!("myapp://other?code=c&state={state}"),
            OAuthErrorKind::BadRedirect,
        ),
        (
            format!("{REDIRECT}?code=c&code=d&state={state}"),
            OAuthErrorKind::BadRedirect,
        ),
    ] {
        let error = token_request(redirect.clone());
        assert!(
            matches!(&error, CognitoAuthError::OAuth { kind: k, .. } if *k == kind),
            "{redirect}: {error:?}"
        );
    }
    // The pending state read with a key it was not sealed with.
    let error = hosted_ui_token_request(
        config(None),
        started.pending.clone(),
        format!("{REDIRECT}?code=c&state={state}"),
        Some(vec![1; 32]),
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            CognitoAuthError::OAuth {
                kind: OAuthErrorKind::StoredStateInvalid,
                ..
            }
        ),
        "{error:?}"
    );
    let error = hosted_ui_parse_token_response(
        started.pending.clone(),
        400,
        br#"{"error":"invalid_grant","error_description":"used"}"#.to_vec(),
        None,
    )
    .unwrap_err();
    match error {
        CognitoAuthError::OAuth {
            kind: OAuthErrorKind::Refused,
            error_code,
            status,
            ..
        } => assert_eq!(
            (error_code.as_deref(), status),
            (Some("invalid_grant"), Some(400))
        ),
        other => panic!("{other:?}"),
    }
    let error = hosted_ui_authorize(
        config(None),
        HostedUiOptions {
            redirect_uri: "no scheme".into(),
            ..options()
        },
        None,
    )
    .unwrap_err();
    assert!(
        matches!(&error, CognitoAuthError::InvalidInput { what, .. } if what == "redirect_uri"),
        "{error:?}"
    );
}

#[test]
fn refresh_revoke_and_logout_with_a_client_secret() {
    let config = || config(Some("s3cr3t"));
    let basic = format!("Basic {}", STANDARD.encode(format!("{CLIENT}:s3cr3t")));
    let refresh = hosted_ui_refresh_request(config(), "r-1".into()).unwrap();
    assert_eq!(refresh.headers["authorization"], basic);
    assert_eq!(
        refresh.body,
        format!("grant_type=refresh_token&client_id={CLIENT}&refresh_token=r-1")
    );
    assert!(!format!("{refresh:?} {:?}", config()).contains("s3cr3t"));
    let tokens = hosted_ui_parse_refresh_response(
        200,
        br#"{"access_token":"a","id_token":"i","expires_in":60,"token_type":"Bearer"}"#.to_vec(),
    )
    .unwrap();
    assert_eq!((tokens.refresh_token, tokens.expires_in), (None, 60));
    let revoke = hosted_ui_revoke_request(config(), "r-1".into()).unwrap();
    assert_eq!(revoke.url, format!("{DOMAIN}/oauth2/revoke"));
    assert_eq!(revoke.operation, "oauth2/revoke");
    hosted_ui_parse_revoke_response(200, Vec::new()).unwrap();
    assert!(
        hosted_ui_parse_revoke_response(401, br#"{"error":"invalid_client"}"#.to_vec()).is_err()
    );
    assert_eq!(
        hosted_ui_logout_url(config(), "myapp://out".into()).unwrap(),
        format!("{DOMAIN}/logout?client_id={CLIENT}&logout_uri=myapp%3A%2F%2Fout")
    );
}
