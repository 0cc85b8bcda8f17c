//! Identity-pool responses: `GetId`, `GetCredentialsForIdentity` and `GetOpenIdToken`'s
//! `parse_response`, and the `CredentialsProvider` driven with the same response three times
//! (GetId, then GetCredentialsForIdentity, then a second GetId after a refusal). No panic; the
//! provider never holds a request after an answer that is not `Send`, and credentials it
//! returns expire after `now` or are refused.
#![no_main]

use cognito_auth_core::identity_pool::{
    CredentialsForCall, CredentialsOutcome, CredentialsProvider, GetCredentialsForIdentity,
    GetId, GetOpenIdToken, IdentityId, IdentityPoolId, IdentityPoolOperation, Logins,
    MAX_CREDENTIALS_LIFETIME_SECS,
};
use cognito_auth_core::sign_in::HttpResponse;
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Input: a first line `STATUS [x-amzn-ErrorType]`, then the body (seeds: real responses).
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let head = String::from_utf8_lossy(head);
    let mut words = head.splitn(2, ' ');
    let status = words
        .next()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .unwrap_or(200);
    let header = words.next();
    let response = HttpResponse::new(status, body).with_error_type(header);

    let Ok(pool) = IdentityPoolId::parse("us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60") else {
        return;
    };
    let Ok(id) = IdentityId::parse("us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60") else {
        return;
    };
    let _ = GetId::new(pool.clone(), Logins::guest()).parse_response(response);
    let _ = GetCredentialsForIdentity::new(id.clone(), Logins::guest()).parse_response(response);
    let _ = GetOpenIdToken::new(id.clone(), Logins::guest()).parse_response(response);

    let logins = match (body.len() % 2, UserPoolId::parse("us-east-1_Abc123XyZ")) {
        (0, Ok(user_pool)) => {
            Logins::user_pool(&user_pool, SecretString::new("eyJ.id.token")).unwrap_or_default()
        }
        _ => Logins::guest(),
    };
    let mut provider = CredentialsProvider::new(pool, logins);
    if body.len() % 3 == 0 {
        provider = provider.with_identity_id(id);
    }
    let now = UnixTime::from_secs(1_800_000_000);
    let CredentialsForCall::Send(_) = provider.credentials_for_call(now) else {
        panic!("a new provider starts with a request");
    };
    for _ in 0..3 {
        match provider.handle_response(response, now) {
            Ok(CredentialsOutcome::Send(_)) => assert!(provider.is_refreshing()),
            Ok(CredentialsOutcome::Refreshed(credentials)) => {
                assert!(!provider.is_refreshing());
                assert!(
                    credentials.expiration.as_secs()
                        <= now.as_secs() + MAX_CREDENTIALS_LIFETIME_SECS
                );
                break;
            }
            Ok(_) | Err(_) => {
                assert!(!provider.is_refreshing());
                break;
            }
        }
    }
});
