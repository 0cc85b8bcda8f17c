//! `cognito-auth credentials` and `cognito-auth delete-user`, run as a user runs them: input
//! errors (exit 2), and against MiniStack 1.5.33 with `AUTH=true` (`bash scripts/ensure-tool.sh
//! ministack`): guest and user credentials in the `credential_process` form, the same identity
//! for the same user, a forged ID token refused (exit 1), and a deleted user who then cannot
//! sign in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::ministack;

#[path = "support/tool.rs"]
mod tool;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// An administrator's `Authorization` header for `CreateIdentityPool`: MiniStack with
/// `AUTH=true` wants a SigV4-shaped header naming the access key `test`, not a valid signature
/// (see `cognito_auth_testkit::cognito_idp`).
const ADMIN_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 \
    Credential=test/20260101/us-east-1/cognito-identity/aws4_request, \
    SignedHeaders=content-type;host;x-amz-target, \
    Signature=0000000000000000000000000000000000000000000000000000000000000000";

const PASSWORD: &str = "Correct-Horse-9!";

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let done = tool::run(args, &[], stdin);
    (done.code, done.stdout(), done.stderr())
}

fn now_secs() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SSZ` (days from civil, Howard Hinnant's
/// algorithm: independent of the tool's formatter, which goes the other way).
fn parse_iso8601(text: &str) -> i64 {
    assert_eq!(text.len(), 20, "{text}");
    assert!(text.ends_with('Z') && &text[10..11] == "T", "{text}");
    let number = |range: core::ops::Range<usize>| text[range].parse::<i64>().unwrap();
    let (y, m, d) = (number(0..4), number(5..7), number(8..10));
    let (hh, mm, ss) = (number(11..13), number(14..16), number(17..19));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss
}

/// Checks the `credential_process` document and returns it.
fn assert_credential_process(stdout: &str) -> Value {
    let document: Value = serde_json::from_str(stdout).unwrap();
    let mut keys: Vec<&str> = document
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "AccessKeyId",
            "Expiration",
            "SecretAccessKey",
            "SessionToken",
            "Version"
        ]
    );
    assert_eq!(document["Version"], 1);
    assert!(
        document["AccessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("ASIA"),
        "{document}"
    );
    assert!(!document["SecretAccessKey"].as_str().unwrap().is_empty());
    assert!(!document["SessionToken"].as_str().unwrap().is_empty());
    let left = parse_iso8601(document["Expiration"].as_str().unwrap()) - now_secs();
    assert!((3000..=3600).contains(&left), "expires in {left} s");
    document
}

/// The identity id the tool printed on stderr.
fn identity(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|line| line.strip_prefix("Identity: "))
        .unwrap_or_else(|| panic!("no identity on stderr: {stderr}"))
        .to_owned()
}

#[test]
fn parse_iso8601_knows_the_epoch_and_a_leap_day() {
    assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), 0);
    assert_eq!(parse_iso8601("2028-02-29T23:59:59Z"), 1_835_481_599);
}

#[test]
fn bad_input_exits_2_before_anything_is_sent() {
    let pool = ["credentials", "--identity-pool-id", "us-east-1:abc"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        pool.iter().chain(extra).copied().collect()
    };
    for (args, stdin) in [
        (
            vec![
                "credentials",
                "--identity-pool-id",
                "us-east-1_NotAnIdentityPool",
            ],
            None,
        ),
        (with(&["--region", "EU"]), None),
        // A user pool without the token, and the token without a user pool.
        (with(&["--user-pool-id", "us-east-1_Abc"]), None),
        (with(&["--id-token-stdin"]), None),
        (with(&["--endpoint", "http://example.com/"]), None),
        (
            with(&["--user-pool-id", "bad", "--id-token-stdin"]),
            Some("eyJ.id.token\n"),
        ),
        (vec!["delete-user"], None),
        (
            vec!["delete-user", "--access-token-stdin"],
            Some("not a jwt\n"),
        ),
        (vec!["delete-user", "--access-token-stdin"], None),
    ] {
        let (code, stdout, stderr) = run(&args, stdin);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
}

#[test]
fn credentials_and_delete_user_against_ministack() {
    let server = ministack::MiniStack::start();
    let idp = server.cognito();
    let endpoint = server.endpoint();
    let user_pool_id = idp.create_user_pool("cli-identity", Value::Null);
    let client = idp.create_app_client(&user_pool_id, "cli-identity", false);
    idp.create_confirmed_user(&user_pool_id, "alice", PASSWORD, &[]);
    let raw = idp.post(
        "CreateIdentityPool",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            (
                "X-Amz-Target",
                "AWSCognitoIdentityService.CreateIdentityPool",
            ),
            ("Authorization", ADMIN_AUTHORIZATION),
        ],
        &json!({
            "IdentityPoolName": "cli",
            "AllowUnauthenticatedIdentities": true,
            "CognitoIdentityProviders": [{
                "ProviderName": format!("cognito-idp.us-east-1.amazonaws.com/{user_pool_id}"),
                "ClientId": client.client_id,
            }],
        })
        .to_string(),
    );
    assert_eq!(raw.status, 200, "{}", String::from_utf8_lossy(&raw.body));
    let created: Value = serde_json::from_slice(&raw.body).unwrap();
    let identity_pool_id = created["IdentityPoolId"].as_str().unwrap().to_owned();
    let credentials = |extra: &[&str], stdin: Option<&str>| {
        let mut args = vec![
            "credentials",
            "--identity-pool-id",
            &identity_pool_id,
            "--endpoint",
            &endpoint,
        ];
        args.extend_from_slice(extra);
        run(&args, stdin)
    };

    // A guest.
    let (code, stdout, stderr) = credentials(&[], None);
    assert_eq!(code, 0, "{stderr}");
    assert_credential_process(&stdout);
    let guest = identity(&stderr);
    assert!(guest.starts_with("us-east-1:"), "{guest}");

    // The signed-in user, twice: the same identity, not the guest's.
    let sign_in = || {
        let (code, stdout, stderr) = run(
            &[
                "sign-in",
                "--user-pool-id",
                &user_pool_id,
                "--client-id",
                &client.client_id,
                "--endpoint",
                &endpoint,
                "--username",
                "alice",
                // USER_PASSWORD_AUTH: this test is about the identity pool, not SRP.
                "--flow",
                "password",
                "--password-stdin",
            ],
            Some(&format!("{PASSWORD}\n")),
        );
        (code, stdout, stderr)
    };
    let tokens = || {
        let (code, stdout, stderr) = sign_in();
        assert_eq!(code, 0, "{stderr}");
        let tokens: Value = serde_json::from_str(&stdout).unwrap();
        (
            tokens["IdToken"].as_str().unwrap().to_owned(),
            tokens["AccessToken"].as_str().unwrap().to_owned(),
        )
    };
    let user = ["--user-pool-id", user_pool_id.as_str(), "--id-token-stdin"];
    let (id_token, _) = tokens();
    let (code, stdout, stderr) = credentials(&user, Some(&format!("{id_token}\n")));
    assert_eq!(code, 0, "{stderr}");
    let first = assert_credential_process(&stdout);
    let alice = identity(&stderr);
    assert_ne!(alice, guest);
    let (id_token, access_token) = tokens();
    let (code, stdout, stderr) = credentials(&user, Some(&format!("{id_token}\n")));
    assert_eq!(code, 0, "{stderr}");
    let second = assert_credential_process(&stdout);
    assert_eq!(
        identity(&stderr),
        alice,
        "the same login, the same identity"
    );
    assert_ne!(first["AccessKeyId"], second["AccessKeyId"]);

    // A forged token: Cognito's refusal, exit 1, and no credentials.
    let (code, stdout, stderr) =
        credentials(&user, Some("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("NotAuthorizedException"), "{stderr}");

    // delete-user: the pool and region from the token; then the user is gone.
    let delete = |token: &str| {
        run(
            &[
                "delete-user",
                "--access-token-stdin",
                "--endpoint",
                &endpoint,
            ],
            Some(&format!("{token}\n")),
        )
    };
    let (code, _, stderr) = delete(&access_token);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = delete(&access_token);
    assert_eq!(code, 1, "a second delete is refused: {stderr}");
    let (code, _, stderr) = sign_in();
    assert_eq!(code, 1, "a deleted user signs in: {stderr}");
}
