//! The passkey JSON checks (`PasskeyRequestOptions::parse`, `PasskeyCreationOptions::parse`,
//! `check_assertion`, `check_registration`, the passkey account operations' responses, the
//! sign-in's `WEB_AUTHN` step) and the context-data encoding, on arbitrary input. No panic; what
//! is accepted keeps its promises (a challenge of 16 bytes or more, the options' JSON kept,
//! a checked credential accepted again, EncodedData within Cognito's limit and decodable).
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_auth_core::account::{
    AccountOperation, ListWebAuthnCredentials, StartWebAuthnRegistration,
};
use cognito_auth_core::context_data::{
    ContextData, ContextDataVersion, DeviceFacts, ENCODED_DATA_MAX_LEN,
};
use cognito_auth_core::passkey::{
    PasskeyCreationOptions, PasskeyRequestOptions, check_assertion, check_registration,
};
use cognito_auth_core::sign_in::{
    ChallengeAnswer, Credentials, Entropy, FirstFactor, HttpResponse, SignIn,
};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
use cognito_auth_fuzz::config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let now = UnixTime::from_secs(1_800_000_000);
    match mode % 6 {
        0 => {
            if let Ok(options) = PasskeyRequestOptions::parse(&text) {
                assert_eq!(options.json(), text);
                assert!(options.challenge_bytes().len() >= 16);
                for credential in &options.allow_credentials {
                    assert!(!credential.id_bytes().is_empty());
                }
            }
        }
        1 => {
            if let Ok(options) = PasskeyCreationOptions::parse(&text) {
                assert!(options.challenge_bytes().len() >= 16);
                assert!(!options.user_id_bytes().is_empty());
                assert!(!options.pub_key_cred_params.is_empty());
                assert!(PasskeyCreationOptions::parse(options.json()).is_ok());
            }
        }
        2 => {
            if let Ok(checked) = check_assertion(&text) {
                assert_eq!(check_assertion(&checked).as_deref(), Ok(checked.as_str()));
            }
            let _ = check_registration(&text);
        }
        3 => {
            let token = SecretString::new("eyJ.token");
            let response = HttpResponse::new(200, rest);
            let _ = StartWebAuthnRegistration::new(token.clone()).parse_response(response);
            let _ = ListWebAuthnCredentials::new(token).parse_response(response);
        }
        4 => {
            // The WEB_AUTHN challenge with these options, then the input as the credential.
            let credentials = Credentials::user_auth("alice", Some(FirstFactor::WebAuthn), None);
            let Ok((mut flow, _)) =
                SignIn::start(config(None), credentials, Entropy::from_bytes([7; 32]))
            else {
                return;
            };
            let body = serde_json::json!({
                "ChallengeName": "WEB_AUTHN",
                "Session": "s",
                "ChallengeParameters": {"USERNAME": "alice", "CREDENTIAL_REQUEST_OPTIONS": text},
            })
            .to_string();
            if flow
                .handle_response(HttpResponse::new(200, body.as_bytes()), now)
                .is_ok()
            {
                let _ = flow.answer(ChallengeAnswer::WebAuthnCredential(text.to_string()), now);
            }
        }
        _ => {
            let middle = (0..=text.len() / 2)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let (name, username) = text.split_at(middle);
            let facts = DeviceFacts {
                device_name: Some(name.to_owned()),
                extra: [(username.to_owned(), name.to_owned())].into(),
                ..DeviceFacts::default()
            };
            let data = ContextData::new(ContextDataVersion::Ios, facts);
            let Ok(pool) = UserPoolId::parse("us-east-1_Abc123XyZ") else {
                return;
            };
            if let Ok(encoded) = data.encode(username, &pool, "client", u64::from(mode)) {
                assert!(encoded.as_str().len() <= ENCODED_DATA_MAX_LEN);
                let outer = STANDARD.decode(encoded.as_str()).expect("standard base64");
                let outer: serde_json::Value =
                    serde_json::from_slice(&outer).expect("the outer JSON");
                let payload: serde_json::Value =
                    serde_json::from_str(outer["payload"].as_str().expect("payload string"))
                        .expect("the payload JSON");
                assert_eq!(payload["username"], username);
            }
        }
    }
});
