//! The signed-in user's account commands (`change-password`, `user-attributes get | update |
//! verify`, `devices list | forget`, `mfa-preference`), run as a user runs them.
//!
//! Against MiniStack 1.5.33 with `AUTH=true` (`bash scripts/ensure-tool.sh ministack`): the
//! access token from `--access-token-stdin` and from `sign-in --session-file`, the attributes
//! read and changed, the MFA preference set, the password changed (the old one then refused at
//! sign-in), Cognito's refusals (exit 1) and bad input (exit 2).
//!
//! MiniStack 1.5.33 does not implement `VerifyUserAttribute`, `ListDevices` or `ForgetDevice`
//! (the core's tests/ministack_account_user.rs and ministack_account_tokens.rs check that), so
//! those commands' success paths run against a canned server on 127.0.0.1 that records each
//! request's `X-Amz-Target` and body and answers as Cognito's API reference shows. So does
//! `sign-in --flow user-auth` (MiniStack's `InitiateAuth` has no `USER_AUTH`): a preferred
//! `EMAIL_OTP` without a password, and the factor chosen from `SELECT_CHALLENGE`.
//!
//! Every run's stderr is checked to hold no access token, refresh token or password.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::cognito_idp;
use cognito_auth_testkit::ministack;
#[path = "support/tool.rs"]
mod tool;

use cognito_auth_testkit::scripted_server::{Response, ScriptedServer};
use cognito_idp::PASSWORD;
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "Battery-Staple-7?";

/// What one run printed, with stderr checked for `secrets` first.
fn run_checked(args: &[&str], stdin: Option<&str>, secrets: &[&str]) -> (i32, String, String) {
    let done = tool::run(args, &[], stdin);
    let (stdout, stderr) = (done.stdout(), done.stderr());
    for secret in secrets {
        assert!(
            !stderr.contains(secret),
            "a secret on stderr of {args:?}: {stderr}"
        );
    }
    (done.code, stdout, stderr)
}

/// `args` followed by `extra`.
fn with<'a>(args: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    args.iter().chain(extra).copied().collect()
}

// ---- bad input: exit 2, nothing sent ----

#[test]
fn bad_input_exits_2() {
    // A server that counts requests: none may arrive.
    let server = Canned::start(|_, _| (500, json!({})));
    let endpoint = server.endpoint();
    let missing = tool::scratch("account-bad-input").join("session.json");
    let missing = missing.to_str().unwrap();
    let pool = [
        "--user-pool-id",
        "us-east-1_Abc123XyZ",
        "--client-id",
        "client",
        "--endpoint",
        endpoint.as_str(),
    ];
    let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
        // No token source, and both.
        (with(&["user-attributes", "get"], &pool), None),
        (with(&["devices", "list"], &pool), None),
        (
            with(
                &[
                    "user-attributes",
                    "get",
                    "--access-token-stdin",
                    "--session-file",
                    "x",
                ],
                &pool,
            ),
            Some("eyJ.canned.token\n"),
        ),
        // NAME=VALUE without `=`, and with an empty name.
        (
            with(
                &[
                    "user-attributes",
                    "update",
                    "--access-token-stdin",
                    "--attribute",
                    "email",
                ],
                &pool,
            ),
            Some("eyJ.canned.token\n"),
        ),
        (
            with(
                &[
                    "user-attributes",
                    "update",
                    "--access-token-stdin",
                    "--attribute",
                    "=x",
                ],
                &pool,
            ),
            Some("eyJ.canned.token\n"),
        ),
        // No attribute at all.
        (
            with(
                &["user-attributes", "update", "--access-token-stdin"],
                &pool,
            ),
            Some("eyJ.canned.token\n"),
        ),
        // A phone number that is not E.164 (the core refuses it before sending).
        (
            with(
                &[
                    "user-attributes",
                    "update",
                    "--access-token-stdin",
                    "--attribute",
                    "phone_number=(206) 555-1212",
                ],
                &pool,
            ),
            Some("eyJ.canned.token\n"),
        ),
        // Two preferred MFA types; none given; an unknown setting.
        (
            with(
                &[
                    "mfa-preference",
                    "--access-token-stdin",
                    "--totp",
                    "preferred",
                    "--sms",
                    "preferred",
                ],
                &pool,
            ),
            Some("eyJ.canned.token\n"),
        ),
        (
            with(&["mfa-preference", "--access-token-stdin"], &pool),
            Some("eyJ.canned.token\n"),
        ),
        (
            with(
                &["mfa-preference", "--access-token-stdin", "--totp", "on"],
                &pool,
            ),
            Some("eyJ.canned.token\n"),
        ),
        // Passwords without a terminal and without --password-stdin.
        (
            with(&["change-password", "--access-token-stdin"], &pool),
            Some("eyJ.canned.token\nold\nnew\n"),
        ),
        // The new password missing.
        (
            with(
                &[
                    "change-password",
                    "--access-token-stdin",
                    "--password-stdin",
                ],
                &pool,
            ),
            Some("eyJ.canned.token\nold\n"),
        ),
        // No code to verify with.
        (
            with(
                &[
                    "user-attributes",
                    "verify",
                    "--access-token-stdin",
                    "--code-stdin",
                    "--attribute-name",
                    "email",
                ],
                &pool,
            ),
            Some("eyJ.canned.token\n"),
        ),
        // A session file that does not exist (in a directory that does).
        (
            with(&["devices", "list", "--session-file", missing], &pool),
            None,
        ),
    ];
    for (args, stdin) in cases {
        let (code, stdout, stderr) = run_checked(&args, stdin, &["eyJ.canned.token"]);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(!stderr.is_empty(), "{args:?}: a reason on stderr");
    }
    assert_eq!(server.log(), Vec::<(String, Value)>::new(), "nothing sent");
}

// ---- a canned Cognito on 127.0.0.1 ----

/// The test kit's [`ScriptedServer`] answering each request (one per connection) with
/// `answer(operation, body)`; it records each request before answering. Stops when dropped.
struct Canned(ScriptedServer);

impl Canned {
    fn start(answer: impl Fn(&str, &Value) -> (u16, Value) + Send + Sync + 'static) -> Self {
        Self(ScriptedServer::start(move |request| {
            let (status, reply) = answer(request.operation().unwrap_or(""), &request.json());
            Response::json(status, &reply)
        }))
    }

    fn endpoint(&self) -> String {
        self.0.url()
    }

    /// Each request as (operation, JSON body).
    fn log(&self) -> Vec<(String, Value)> {
        self.0
            .requests()
            .iter()
            .map(|request| (request.operation().unwrap_or("").to_owned(), request.json()))
            .collect()
    }
}

/// `--user-pool-id`, `--client-id`, `--endpoint` and `--access-token-stdin` for `server`.
fn canned_args(server: &Canned, command: &[&str]) -> Vec<String> {
    command
        .iter()
        .map(|s| (*s).to_owned())
        .chain(
            [
                "--user-pool-id",
                "us-east-1_Abc123XyZ",
                "--client-id",
                "client",
                "--endpoint",
                &server.endpoint(),
                "--access-token-stdin",
            ]
            .map(String::from),
        )
        .collect()
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

const CANNED_TOKEN: &str = "eyJ.canned.access-token";

#[test]
fn devices_list_follows_every_page_and_forget_sends_the_key() {
    let server = Canned::start(|operation, body| match operation {
        "ListDevices" if body.get("PaginationToken").is_none() => (
            200,
            json!({
                "Devices": [{
                    "DeviceKey": "us-east-1_11111111-aaaa-bbbb-cccc-000000000001",
                    "DeviceAttributes": [
                        { "Name": "device_name", "Value": "laptop" },
                        { "Name": "dev:device_remembered_status", "Value": "remembered" }
                    ],
                    "DeviceCreateDate": 1_700_000_000.5,
                    "DeviceLastAuthenticatedDate": 1_700_000_100
                }],
                "PaginationToken": "page-2"
            }),
        ),
        "ListDevices" => (
            200,
            json!({
                "Devices": [{
                    "DeviceKey": "us-east-1_11111111-aaaa-bbbb-cccc-000000000002",
                    "DeviceAttributes": [{ "Name": "device_name", "Value": "phone" }]
                }]
            }),
        ),
        "ForgetDevice" if body["DeviceKey"] == "us-east-1_unknown" => (
            400,
            json!({ "__type": "ResourceNotFoundException", "message": "Device not found" }),
        ),
        "ForgetDevice" => (200, json!({})),
        _ => (400, json!({ "__type": "InvalidAction" })),
    });
    let stdin = format!("{CANNED_TOKEN}\n");
    let secrets = [CANNED_TOKEN];

    let args = canned_args(&server, &["devices", "list"]);
    let (code, stdout, stderr) = run_checked(&refs(&args), Some(&stdin), &secrets);
    assert_eq!(code, 0, "{stderr}");
    let listed: Value = serde_json::from_str(&stdout).unwrap();
    let devices = listed["Devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2, "both pages: {listed}");
    assert_eq!(
        devices[0]["DeviceKey"],
        "us-east-1_11111111-aaaa-bbbb-cccc-000000000001"
    );
    assert_eq!(devices[0]["DeviceAttributes"]["device_name"], "laptop");
    assert_eq!(devices[0]["DeviceCreateDate"], 1_700_000_000);
    assert_eq!(devices[0]["DeviceLastAuthenticatedDate"], 1_700_000_100);
    assert_eq!(devices[1]["DeviceAttributes"]["device_name"], "phone");
    let log = server.log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].0, "ListDevices");
    assert_eq!(log[0].1["AccessToken"], CANNED_TOKEN);
    assert_eq!(log[1].1["PaginationToken"], "page-2");

    let args = canned_args(
        &server,
        &[
            "devices",
            "forget",
            "--device-key",
            "us-east-1_11111111-aaaa-bbbb-cccc-000000000001",
        ],
    );
    let (code, stdout, stderr) = run_checked(&refs(&args), Some(&stdin), &secrets);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let (operation, body) = server.log().pop().unwrap();
    assert_eq!(operation, "ForgetDevice");
    assert_eq!(
        body,
        json!({
            "AccessToken": CANNED_TOKEN,
            "DeviceKey": "us-east-1_11111111-aaaa-bbbb-cccc-000000000001"
        })
    );

    // Refused: exit 1 with Cognito's code.
    let args = canned_args(
        &server,
        &["devices", "forget", "--device-key", "us-east-1_unknown"],
    );
    let (code, _, stderr) = run_checked(&refs(&args), Some(&stdin), &secrets);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("ResourceNotFoundException"), "{stderr}");
}

#[test]
fn user_attributes_verify_sends_the_code_from_stdin() {
    let server = Canned::start(|operation, body| match operation {
        "VerifyUserAttribute" if body["Code"] == "123456" => (200, json!({})),
        "VerifyUserAttribute" => (
            400,
            json!({ "__type": "CodeMismatchException", "message": "Invalid code provided" }),
        ),
        _ => (400, json!({ "__type": "InvalidAction" })),
    });
    let command = [
        "user-attributes",
        "verify",
        "--attribute-name",
        "email",
        "--code-stdin",
    ];
    let args = canned_args(&server, &command);
    let (code, _, stderr) = run_checked(
        &refs(&args),
        Some(&format!("{CANNED_TOKEN}\n123456\n")),
        &[CANNED_TOKEN, "123456"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("email is verified"), "{stderr}");
    let (operation, body) = server.log().pop().unwrap();
    assert_eq!(operation, "VerifyUserAttribute");
    assert_eq!(
        body,
        json!({ "AccessToken": CANNED_TOKEN, "AttributeName": "email", "Code": "123456" })
    );

    // A wrong code: Cognito's refusal, exit 1.
    let (code, _, stderr) = run_checked(
        &refs(&args),
        Some(&format!("{CANNED_TOKEN}\n654321\n")),
        &[CANNED_TOKEN],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("CodeMismatchException"), "{stderr}");
}

// ---- against MiniStack ----

#[test]
fn account_commands_against_ministack() {
    let server = ministack::MiniStack::start();
    let idp = server.cognito();
    let endpoint = server.endpoint();
    let user_pool_id = idp.create_user_pool("cli-account", Value::Null);
    let client = idp.create_app_client(&user_pool_id, "cli-account", false);
    idp.create_confirmed_user(
        &user_pool_id,
        "alice",
        PASSWORD,
        &[("email", "alice@example.org")],
    );
    let dir = tool::scratch("account-commands");
    let session_file = dir.join("session.json");
    let session = session_file.to_str().unwrap();
    let pool = [
        "--user-pool-id",
        user_pool_id.as_str(),
        "--client-id",
        client.client_id.as_str(),
        "--endpoint",
        endpoint.as_str(),
    ];
    let sign_in = |password: &str, extra: &[&str]| {
        let mut args = with(
            &[
                "sign-in",
                "--username",
                "alice",
                "--flow",
                "password",
                "--password-stdin",
            ],
            &pool,
        );
        args.extend_from_slice(extra);
        tool::run(&args, &[], Some(&format!("{password}\n")))
    };
    let signed_in = sign_in(PASSWORD, &["--session-file", session]);
    assert_eq!(signed_in.code, 0, "{}", signed_in.stderr());
    let tokens: Value = serde_json::from_str(&signed_in.stdout()).unwrap();
    let access_token = tokens["AccessToken"].as_str().unwrap().to_owned();
    let refresh_token = tokens["RefreshToken"].as_str().unwrap().to_owned();
    let secrets = [
        access_token.as_str(),
        refresh_token.as_str(),
        PASSWORD,
        NEW_PASSWORD,
    ];
    let token_line = format!("{access_token}\n");
    let from_stdin = |command: &[&str], stdin: &str| {
        let args = with(&with(command, &pool), &["--access-token-stdin"]);
        run_checked(&args, Some(stdin), &secrets)
    };
    let from_file = |command: &[&str]| {
        let args = with(&with(command, &pool), &["--session-file", session]);
        run_checked(&args, None, &secrets)
    };

    // user-attributes get: from the session file and from stdin, the same user.
    let (code, stdout, stderr) = from_file(&["user-attributes", "get"]);
    assert_eq!(code, 0, "{stderr}");
    let user: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(user["Username"], "alice", "{user}");
    assert_eq!(
        user["UserAttributes"]["email"], "alice@example.org",
        "{user}"
    );
    assert!(user["UserAttributes"]["sub"].is_string(), "{user}");
    let (code, stdout, stderr) = from_stdin(&["user-attributes", "get"], &token_line);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), user);

    // user-attributes update: the new value is what get reads next.
    let (code, stdout, stderr) = from_stdin(
        &[
            "user-attributes",
            "update",
            "--attribute",
            "name=Alice Liddell",
            "--attribute",
            "locale=en-GB",
        ],
        &token_line,
    );
    assert_eq!(code, 0, "{stderr}");
    let sent: Value = serde_json::from_str(&stdout).unwrap();
    assert!(sent["CodeDeliveryDetailsList"].is_array(), "{sent}");
    let (code, stdout, stderr) = from_file(&["user-attributes", "get"]);
    assert_eq!(code, 0, "{stderr}");
    let user: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(user["UserAttributes"]["name"], "Alice Liddell", "{user}");
    assert_eq!(user["UserAttributes"]["locale"], "en-GB", "{user}");

    // A token Cognito does not know: refused, exit 1.
    let (code, stdout, stderr) = from_stdin(
        &["user-attributes", "get"],
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln\n",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("NotAuthorizedException"), "{stderr}");

    // mfa-preference: SMS on and preferred (MiniStack does not ask for a phone number), then
    // GetUser lists it; then off again.
    let (code, _, stderr) = from_file(&["mfa-preference", "--sms", "preferred"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("SMS_MFA preferred"), "{stderr}");
    let (_, stdout, _) = from_file(&["user-attributes", "get"]);
    let user: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(user["UserMFASettingList"], json!(["SMS_MFA"]), "{user}");
    assert_eq!(user["PreferredMfaSetting"], "SMS_MFA", "{user}");
    let (code, _, stderr) = from_stdin(&["mfa-preference", "--sms", "disabled"], &token_line);
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, _) = from_file(&["user-attributes", "get"]);
    let user: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(user["UserMFASettingList"], json!([]), "{user}");

    // change-password: a wrong old password is refused (exit 1) and changes nothing.
    let (code, _, stderr) = from_stdin(
        &["change-password", "--password-stdin"],
        &format!("{access_token}\nWrong-Horse-9!\n{NEW_PASSWORD}\n"),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("NotAuthorizedException"), "{stderr}");
    assert_eq!(
        sign_in(PASSWORD, &[]).code,
        0,
        "the old password still works"
    );

    // The real change, with the token from the session file: the old password is then refused
    // at sign-in and the new one accepted.
    let args = with(
        &with(&["change-password", "--password-stdin"], &pool),
        &["--session-file", session],
    );
    let (code, _, stderr) = run_checked(
        &args,
        Some(&format!("{PASSWORD}\n{NEW_PASSWORD}\n")),
        &secrets,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("password is changed"), "{stderr}");
    let old = sign_in(PASSWORD, &[]);
    assert_eq!(old.code, 1, "{}", old.stderr());
    assert!(old.stderr().contains("NotAuthorizedException"));
    let new = sign_in(NEW_PASSWORD, &[]);
    assert_eq!(new.code, 0, "{}", new.stderr());
}

// ---- sign-in --flow user-auth (MiniStack 1.5.33 has no USER_AUTH: a canned server) ----

/// A USER_AUTH pool for `alice`: EMAIL_OTP code `12345678`, password `Correct-Horse-9!`; any
/// other user is refused.
fn user_auth_server() -> Canned {
    let tokens = json!({
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": "canned-access-token",
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
            "RefreshToken": "canned-refresh-token",
            "IdToken": "canned-id-token",
        },
    });
    let refused = |message: &str| {
        (
            400,
            json!({ "__type": "NotAuthorizedException", "message": message }),
        )
    };
    Canned::start(move |operation, body| {
        let parameters = &body["AuthParameters"];
        let responses = &body["ChallengeResponses"];
        match (
            operation,
            body["AuthFlow"].as_str(),
            body["ChallengeName"].as_str(),
        ) {
            ("InitiateAuth", Some("USER_AUTH"), _) if parameters["USERNAME"] != "alice" => {
                refused("Incorrect username or password.")
            }
            ("InitiateAuth", Some("USER_AUTH"), _)
                if parameters["PREFERRED_CHALLENGE"] == "EMAIL_OTP" =>
            {
                (
                    200,
                    json!({
                        "ChallengeName": "EMAIL_OTP",
                        "Session": "S-email",
                        "ChallengeParameters": {
                            "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
                            "CODE_DELIVERY_DESTINATION": "a***@e***.org",
                        },
                    }),
                )
            }
            ("InitiateAuth", Some("USER_AUTH"), _)
                if parameters.get("PREFERRED_CHALLENGE").is_none() =>
            {
                (
                    200,
                    json!({
                        "ChallengeName": "SELECT_CHALLENGE",
                        "Session": "S-select",
                        "ChallengeParameters": {},
                        "AvailableChallenges": ["PASSWORD", "EMAIL_OTP"],
                    }),
                )
            }
            ("RespondToAuthChallenge", _, Some("EMAIL_OTP"))
                if body["Session"] == "S-email" && responses["EMAIL_OTP_CODE"] == "12345678" =>
            {
                (200, tokens.clone())
            }
            ("RespondToAuthChallenge", _, Some("SELECT_CHALLENGE"))
                if body["Session"] == "S-select"
                    && responses["ANSWER"] == "PASSWORD"
                    && responses["PASSWORD"] == PASSWORD =>
            {
                (200, tokens.clone())
            }
            _ => refused("Invalid session or answer."),
        }
    })
}

#[test]
fn sign_in_user_auth_with_email_otp_and_with_the_choice_of_password() {
    let server = user_auth_server();
    let endpoint = server.endpoint();
    let sign_in = |username: &str, extra: &[&str], stdin: &str, secrets: &[&str]| {
        let mut args = vec![
            "sign-in",
            "--user-pool-id",
            "us-east-1_Abc123XyZ",
            "--client-id",
            "client",
            "--endpoint",
            endpoint.as_str(),
            "--username",
            username,
            "--flow",
            "user-auth",
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        run_checked(&args, Some(stdin), secrets)
    };
    let secrets = ["canned-access-token", "canned-refresh-token", PASSWORD];

    // A preferred EMAIL_OTP: no password read or sent, the code from the first line.
    let (code, stdout, stderr) = sign_in(
        "alice",
        &["--preferred-factor", "email-otp"],
        "12345678\n",
        &secrets,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("a***@e***.org"), "{stderr}");
    let tokens: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(tokens["AccessToken"], "canned-access-token");
    let log = server.log();
    let sent: Vec<&str> = log
        .iter()
        .map(|(operation, _)| operation.as_str())
        .collect();
    assert_eq!(sent, ["InitiateAuth", "RespondToAuthChallenge"]);
    assert_eq!(
        log[0].1["AuthParameters"]["PREFERRED_CHALLENGE"],
        "EMAIL_OTP"
    );
    for (_, body) in &log {
        assert!(!body.to_string().contains("PASSWORD\""), "{body}");
    }

    // No preference: the factor is chosen from the offered ones, then the password asked for.
    let (code, stdout, stderr) =
        sign_in("alice", &[], &format!("password\n{PASSWORD}\n"), &secrets);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("PASSWORD, EMAIL_OTP"), "{stderr}");
    let tokens: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(tokens["RefreshToken"], "canned-refresh-token");
    let (_, last) = server.log().pop().unwrap();
    assert_eq!(last["ChallengeResponses"]["ANSWER"], "PASSWORD");

    // Refused: exit 1, Cognito's code.
    let (code, stdout, stderr) =
        sign_in("bob", &["--preferred-factor", "email-otp"], "1\n", &secrets);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("NotAuthorizedException"), "{stderr}");

    // --preferred-factor without --flow user-auth: bad usage, nothing sent.
    let before = server.log().len();
    let args = [
        "sign-in",
        "--user-pool-id",
        "us-east-1_Abc123XyZ",
        "--client-id",
        "client",
        "--endpoint",
        endpoint.as_str(),
        "--username",
        "alice",
        "--preferred-factor",
        "password",
        "--password-stdin",
    ];
    let (code, _, stderr) = run_checked(&args, Some(&format!("{PASSWORD}\n")), &secrets);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--flow user-auth"), "{stderr}");
    assert_eq!(server.log().len(), before);
}
