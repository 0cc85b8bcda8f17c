//! Property tests of the account operations and tokens (examples in `account_*.rs`): every
//! operation's `parse_response` with any response, and the JWT claim type rules (JWTs as
//! arbitrary bytes are in `account_tokens.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

use cognito_auth_testkit::proptest_fixtures;

use cognito_auth_testkit::sign_in_strategies;

use alloc::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use cognito_auth_core::SecretString;
use cognito_auth_core::account::{
    AccountError, AccountOperation, AssociateSoftwareToken, ChangePassword, ConfirmForgotPassword,
    ConfirmSignUp, ForgetDevice, ForgotPassword, GetTokensFromRefreshToken, GetUser,
    GetUserAttributeVerificationCode, GlobalSignOut, ListDevices, RefreshTokenAuth,
    ResendConfirmationCode, RevokeToken, SetUserMfaPreference, SignUp, UpdateDeviceStatus,
    UpdateUserAttributes, VerifySoftwareToken, VerifyUserAttribute,
};
use cognito_auth_core::jwt::{JwtClaims, JwtError, TokenUse};
use cognito_auth_core::sign_in::HttpResponse;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use proptest_fixtures::*;
use sign_in_strategies::*;

// ----- account operations -----

const ACCESS: &str = "ACCESS-TOKEN-sentinel-eyJraWQ.x.y";
const REFRESH: &str = "REFRESH-TOKEN-sentinel-eyJjdHk.a.b.c.d";

/// Every account operation's `parse_response` on `response`: the operation's name and its
/// outcome, with a successful output in `Debug` form.
fn parse_with_every_operation(
    response: HttpResponse<'_>,
) -> Vec<(&'static str, Result<String, AccountError>)> {
    fn run<O: AccountOperation>(
        operation: &O,
        response: HttpResponse<'_>,
    ) -> Result<String, AccountError>
    where
        O::Output: core::fmt::Debug,
    {
        operation
            .parse_response(response)
            .map(|output| format!("{output:?}"))
    }
    let access = || SecretString::new(ACCESS);
    let password = |p: &str| SecretString::new(&format!("{PASSWORD}{p}"));
    vec![
        ("ListDevices", run(&ListDevices::new(access()), response)),
        (
            "ForgetDevice",
            run(&ForgetDevice::new(access(), DEVICE_KEY), response),
        ),
        (
            "UpdateDeviceStatus",
            run(
                &UpdateDeviceStatus::new(access(), DEVICE_KEY, true),
                response,
            ),
        ),
        (
            "SetUserMfaPreference",
            run(&SetUserMfaPreference::new(access()), response),
        ),
        (
            "AssociateSoftwareToken",
            run(&AssociateSoftwareToken::new(access(), "alice"), response),
        ),
        (
            "VerifySoftwareToken",
            run(&VerifySoftwareToken::new(access(), "123456"), response),
        ),
        (
            "ForgotPassword",
            run(&ForgotPassword::new("alice"), response),
        ),
        (
            "ConfirmForgotPassword",
            run(
                &ConfirmForgotPassword::new("alice", "123456", password("1")),
                response,
            ),
        ),
        (
            "SignUp",
            run(&SignUp::new("alice", password("2")), response),
        ),
        (
            "ConfirmSignUp",
            run(&ConfirmSignUp::new("alice", "123456"), response),
        ),
        (
            "ResendConfirmationCode",
            run(&ResendConfirmationCode::new("alice"), response),
        ),
        (
            "GetTokensFromRefreshToken",
            run(
                &GetTokensFromRefreshToken::new(SecretString::new(REFRESH)),
                response,
            ),
        ),
        (
            "RefreshTokenAuth",
            run(
                &RefreshTokenAuth::new(SecretString::new(REFRESH), "alice"),
                response,
            ),
        ),
        (
            "RevokeToken",
            run(&RevokeToken::new(SecretString::new(REFRESH)), response),
        ),
        (
            "GlobalSignOut",
            run(&GlobalSignOut::new(access()), response),
        ),
        (
            "ChangePassword",
            run(
                &ChangePassword::new(access(), password("3"), password("4")),
                response,
            ),
        ),
        ("GetUser", run(&GetUser::new(access()), response)),
        (
            "UpdateUserAttributes",
            run(
                &UpdateUserAttributes::new(access(), [("name", "Alice")]),
                response,
            ),
        ),
        (
            "VerifyUserAttribute",
            run(
                &VerifyUserAttribute::new(access(), "email", "123456"),
                response,
            ),
        ),
        (
            "GetUserAttributeVerificationCode",
            run(
                &GetUserAttributeVerificationCode::new(access(), "email"),
                response,
            ),
        ),
    ]
}

proptest! {
    #![proptest_config(cases(768))]

    /// Every account operation reads any response without panicking: a non-2xx status is
    /// always the service error with that status; a 2xx body is an output or a response-side
    /// error (never an input error); no output or error shows the operation's tokens or
    /// passwords.
    #[test]
    fn every_account_operation_reads_any_response(
        (status, header, body) in any_response(),
        shaped in any::<bool>(),
    ) {
        // Half the time a 2xx, for the bodies to be read at all.
        let status = if shaped { 200 + status % 100 } else { status };
        let response = HttpResponse::new(status, &body).with_error_type(header.as_deref());
        let outcomes = parse_with_every_operation(response);
        prop_assert_eq!(outcomes.len(), 20);
        for (name, outcome) in outcomes {
            let printed = match &outcome {
                Ok(output) => output.clone(),
                Err(error) => format!("{error} {error:?}"),
            };
            assert_no_fixed_secret(&printed);
            prop_assert!(!printed.contains(ACCESS) && !printed.contains(REFRESH), "{}: {}", name, printed);
            if !(200..300).contains(&status) {
                match outcome {
                    Err(AccountError::Service(error)) => prop_assert_eq!(error.status(), status),
                    other => prop_assert!(false, "{}: {:?}", name, other),
                }
            } else if let Err(error) = outcome {
                let response_side = matches!(
                    error,
                    AccountError::Response(_) | AccountError::Totp(_) | AccountError::TotpSetupCodeRejected
                );
                prop_assert!(response_side, "{}: {:?}", name, error);
            }
        }
    }
}

// ----- JWT claims -----

/// A claim: absent, `null`, or a value.
fn claim(good: BoxedStrategy<Value>) -> impl Strategy<Value = Option<Value>> {
    let bad = prop_oneof![
        any::<bool>().prop_map(Value::from),
        Just(json!([1])),
        Just(json!({"a": "b"})),
        any::<i32>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    proptest::option::of(prop_oneof![
        1 => Just(Value::Null),
        4 => good,
        1 => bad,
    ])
}

fn string_claim() -> impl Strategy<Value = Option<Value>> {
    claim(text().prop_map(Value::from).boxed())
}

fn date_claim() -> impl Strategy<Value = Option<Value>> {
    claim(
        prop_oneof![
            any::<u64>().prop_map(Value::from),
            (0f64..4e9).prop_map(Value::from),
            (-1000i64..0).prop_map(Value::from),
        ]
        .boxed(),
    )
}

/// A NumericDate as documented: non-negative seconds, fractions rounded down.
fn reference_date(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        }),
        _ => None,
    }
}

/// What `JwtClaims::read` must make of these claims, checked in the documented order.
#[allow(clippy::type_complexity)]
fn reference_claims(
    claims: &BTreeMap<&str, Value>,
) -> Result<
    (
        u64,
        Option<u64>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    &'static str,
> {
    let get = |name: &str| claims.get(name).filter(|v| !v.is_null());
    let string = |name: &'static str| match get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(name),
    };
    let exp = claims.get("exp").and_then(reference_date).ok_or("exp")?;
    let iat = match get("iat") {
        None => None,
        Some(value) => Some(reference_date(value).ok_or("iat")?),
    };
    let sub = string("sub")?.filter(|s| !s.is_empty()).ok_or("sub")?;
    let username = match string("username")? {
        Some(name) => Some(name),
        None => string("cognito:username")?,
    };
    let token_use = string("token_use")?;
    let client_id = match string("client_id")? {
        Some(id) => Some(id),
        None => match get("aud") {
            None => None,
            Some(Value::String(aud)) => Some(aud.clone()),
            Some(Value::Array(items)) => {
                if items.iter().any(|item| !item.is_string()) {
                    return Err("aud");
                }
                match items.as_slice() {
                    [Value::String(one)] => Some(one.clone()),
                    _ => None,
                }
            }
            Some(_) => return Err("aud"),
        },
    };
    let iss = string("iss")?;
    Ok((exp, iat, sub, username, token_use, client_id, iss))
}

proptest! {
    #![proptest_config(cases(768))]

    /// Claims of every type: `read` keeps what the documentation promises (`null` is absent,
    /// `username` falls back to `cognito:username`, `client_id` to a one-element `aud`,
    /// dates round down) and names the first claim of the wrong type; base64url padding and
    /// the standard alphabet's absence do not matter.
    #[test]
    fn jwt_claims_follow_the_type_rules(
        exp in date_claim(),
        iat in date_claim(),
        sub in claim(prop_oneof![Just(Value::from("")), "[0-9a-f-]{1,36}".prop_map(Value::from)].boxed()),
        username in string_claim(),
        cognito_username in string_claim(),
        token_use in claim(select(vec!["access", "id", "other"]).prop_map(Value::from).boxed()),
        client_id in string_claim(),
        aud in claim(prop_oneof![
            text().prop_map(Value::from),
            proptest::collection::vec(text().prop_map(Value::from), 0..3).prop_map(Value::Array),
            Just(json!(["a", 1])),
        ].boxed()),
        iss in string_claim(),
        padded in any::<bool>(),
        signature in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let mut claims: BTreeMap<&str, Value> = BTreeMap::new();
        for (name, value) in [
            ("exp", exp), ("iat", iat), ("sub", sub), ("username", username),
            ("cognito:username", cognito_username), ("token_use", token_use),
            ("client_id", client_id), ("aud", aud), ("iss", iss),
        ] {
            if let Some(value) = value {
                claims.insert(name, value);
            }
        }
        let payload = json!(claims).to_string();
        let encode = |bytes: &[u8]| if padded { URL_SAFE.encode(bytes) } else { URL_SAFE_NO_PAD.encode(bytes) };
        let token = format!("{}.{}.{}", encode(br#"{"alg":"RS256","kid":"k"}"#), encode(payload.as_bytes()), encode(&signature));
        let got = JwtClaims::read(&token);
        match reference_claims(&claims) {
            Ok((exp, iat, sub, username, token_use, client_id, iss)) => {
                let claims = got.unwrap();
                prop_assert_eq!(claims.exp, at(exp));
                prop_assert_eq!(claims.iat, iat.map(at));
                prop_assert_eq!(claims.sub, sub);
                prop_assert_eq!(claims.username, username);
                let token_use = token_use.map(|t| match t.as_str() {
                    "access" => TokenUse::Access,
                    "id" => TokenUse::Id,
                    _ => TokenUse::Other(t),
                });
                prop_assert_eq!(claims.token_use, token_use);
                prop_assert_eq!(claims.client_id, client_id);
                prop_assert_eq!(claims.iss, iss);
            }
            Err(claim) => prop_assert_eq!(got, Err(JwtError::InvalidClaim { claim })),
        }
    }
}
