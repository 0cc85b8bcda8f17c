//! Issue 14, "Hardening outside the machine", for the `cognito-auth` tool: each test fails on
//! the tool as it was before the issue.
//!
//! * Transport: `http://` only to loopback hosts unless `--allow-insecure-http` (with a
//!   warning); proxy variables of the environment are not used, `--proxy` is.
//! * Secrets off the command line: environment variables, files and stdin for the client secret
//!   and TOTP secrets; the argv forms still work but warn.
//! * Server text is escaped: a fake Cognito on 127.0.0.1 sends ANSI/OSC escapes, BEL, DEL, C1 and
//!   bidi controls in error codes, messages and delivery destinations; nothing printed contains
//!   them raw.
//! * `--device-file`: refused when group or others may read it, or another user owns it.
//! * The README lists exactly the commands the tool has.
//!
//! The fake servers here are the test kit's [`ScriptedServer`]s on 127.0.0.1 answering one
//! scripted HTTP/1.1 response per connection (`Connection: close`), recording each request.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use cognito_auth_testkit::scripted_server::{Request, Response, ScriptedServer};
use serde_json::{Value, json};

#[path = "support/tool.rs"]
mod tool;

use tool::{TOOL_ENVIRONMENT, run, scratch, write_file};

const POOL: &str = "us-east-1_Abc123XyZ";

// ---- the test kit's scripted HTTP server ----

fn answer(status: u16, body: &Value) -> Response {
    Response::json(status, body)
}

// ---- server text is shown, never obeyed ----

/// Every terminal control a hostile server might send: CSI clear screen, OSC set title ended
/// by BEL, OSC 52 clipboard write ended by ST, an 8-bit CSI (U+009B), DEL, a right-to-left
/// override, a line break that would fake an `error:` line, a carriage return.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]52;c;ZXZpbA==\u{1b}\\\u{9b}31m\u{7f}\
                       \u{202e}txt.exe\nerror: fake\r";

/// Whether `bytes` holds no terminal control except the line feeds between lines (and no
/// C1 or bidi control in any encoding of them).
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what} contains U+{:04X} raw: {text:?}", u32::from(c));
    }
    assert!(
        !text.lines().any(|line| line.starts_with("error: fake")),
        "{what}: the server started a line of its own: {text:?}"
    );
}

fn pool_args(endpoint: &str) -> Vec<String> {
    [
        "--user-pool-id",
        POOL,
        "--client-id",
        "client",
        "--endpoint",
        endpoint,
    ]
    .map(String::from)
    .to_vec()
}

fn args<'a>(command: &[&'a str], pool: &'a [String], extra: &[&'a str]) -> Vec<&'a str> {
    command
        .iter()
        .copied()
        .chain(pool.iter().map(String::as_str))
        .chain(extra.iter().copied())
        .collect()
}

#[test]
fn server_error_code_and_message_are_escaped() {
    let hostile_error = json!({
        "__type": format!("NotAuthorizedException{HOSTILE}"),
        "message": format!("Incorrect {HOSTILE} password."),
    });
    let with_header =
        answer(400, &hostile_error).with_header("x-amzn-ErrorType", "Evil\u{1b}[5mException");
    let server = ScriptedServer::script(vec![
        answer(400, &hostile_error),
        answer(400, &hostile_error),
        with_header,
    ]);
    let pool = pool_args(&server.url());

    let forgot = run(
        &args(&["forgot-password"], &pool, &["--username", "alice"]),
        &[],
        None,
    );
    assert_eq!(forgot.code, 1, "{}", forgot.stderr());
    assert_inert("forgot-password stderr", &forgot.stderr);
    let stderr = forgot.stderr();
    assert!(
        stderr.contains("NotAuthorizedException\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"),
        "the controls are shown escaped: {stderr}"
    );
    assert!(stderr.contains("\\u{9b}31m\\u{7f}\\u{202e}txt.exe\\u{a}error: fake\\u{d}"));

    for flow in ["srp", "password"] {
        let sign_in = run(
            &args(
                &["sign-in"],
                &pool,
                &["--username", "alice", "--password-stdin", "--flow", flow],
            ),
            &[],
            Some("Correct-Horse-9!\n"),
        );
        assert_eq!(sign_in.code, 1, "{}", sign_in.stderr());
        assert_inert("sign-in stderr", &sign_in.stderr);
        assert!(sign_in.stdout.is_empty());
    }
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn delivery_destinations_are_escaped_on_stderr_and_stdout() {
    let hostile_destination = format!("a***@e{HOSTILE}.com");
    let server = ScriptedServer::script(vec![
        // resend-code: the destination in the JSON result on stdout.
        answer(
            200,
            &json!({ "CodeDeliveryDetails": {
                "Destination": hostile_destination,
                "DeliveryMedium": format!("EMAIL{HOSTILE}"),
                "AttributeName": "email",
            }}),
        ),
        // sign-in --flow password: an SMS_MFA challenge names where the code went (stderr),
        answer(
            200,
            &json!({
                "ChallengeName": "SMS_MFA",
                "Session": "session-1",
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": "alice",
                    "CODE_DELIVERY_DESTINATION": hostile_destination,
                    "CODE_DELIVERY_DELIVERY_MEDIUM": format!("SMS{HOSTILE}"),
                },
            }),
        ),
        // then refuses the code with a hostile message.
        answer(
            400,
            &json!({ "__type": "CodeMismatchException", "message": HOSTILE }),
        ),
    ]);
    let pool = pool_args(&server.url());

    let resend = run(
        &args(&["resend-code"], &pool, &["--username", "alice"]),
        &[],
        None,
    );
    assert_eq!(resend.code, 0, "{}", resend.stderr());
    assert_inert("resend-code stdout", &resend.stdout);
    // The JSON keeps the exact value (escaped the JSON way).
    let printed: Value = serde_json::from_slice(&resend.stdout).unwrap();
    assert_eq!(
        printed["CodeDeliveryDetails"]["Destination"],
        hostile_destination.as_str()
    );

    let sign_in = run(
        &args(
            &["sign-in"],
            &pool,
            &[
                "--username",
                "alice",
                "--password-stdin",
                "--flow",
                "password",
            ],
        ),
        &[],
        Some("Correct-Horse-9!\n123456\n"),
    );
    assert_eq!(sign_in.code, 1, "{}", sign_in.stderr());
    assert_inert("sign-in stderr", &sign_in.stderr);
    let stderr = sign_in.stderr();
    assert!(
        stderr.contains("SMS code sent to a***@e\\u{1b}[2J"),
        "the step names the destination, escaped: {stderr}"
    );
    assert!(stderr.contains("CodeMismatchException"), "{stderr}");
    assert_eq!(server.requests().len(), 3);
}

// ---- transport ----

#[test]
fn plain_http_to_another_host_needs_allow_insecure_http() {
    // Nothing listens there and .invalid never resolves: nothing can be sent.
    let endpoint = "http://cognito.invalid/";
    let refused = run(
        &args(
            &["forgot-password"],
            &pool_args(endpoint),
            &["--username", "alice"],
        ),
        &[],
        None,
    );
    assert_eq!(refused.code, 2, "bad usage: {}", refused.stderr());
    let stderr = refused.stderr();
    assert!(stderr.contains("plain http://"), "{stderr}");
    assert!(stderr.contains("--allow-insecure-http"), "{stderr}");

    let allowed = run(
        &args(
            &["forgot-password"],
            &pool_args(endpoint),
            &["--username", "alice", "--allow-insecure-http"],
        ),
        &[],
        None,
    );
    // Allowed, warned about, and then the host does not resolve.
    assert_eq!(allowed.code, 1, "{}", allowed.stderr());
    let stderr = allowed.stderr();
    assert!(
        stderr.starts_with("warning: --allow-insecure-http: requests to http://cognito.invalid/"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unencrypted") || stderr.contains("plain HTTP"),
        "{stderr}"
    );

    // Loopback needs no opt-in and gets no warning: localhost, 127.0.0.0/8, [::1].
    let server = ScriptedServer::script(vec![answer(
        200,
        &json!({ "CodeDeliveryDetails": { "Destination": "a***@e***.com" } }),
    )]);
    let local = run(
        &args(
            &["forgot-password"],
            &pool_args(&format!("http://localhost:{}/", server.port())),
            &["--username", "alice"],
        ),
        &[],
        None,
    );
    assert_eq!(local.code, 0, "{}", local.stderr());
    assert!(!local.stderr().contains("warning"), "{}", local.stderr());
}

#[test]
fn proxy_variables_of_the_environment_are_not_used() {
    // A "proxy" that records who connects and answers 502.
    let proxy = ScriptedServer::script(vec![
        answer(502, &json!({})),
        answer(502, &json!({})),
        answer(502, &json!({})),
    ]);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port());
    // HTTPS, not loopback, never resolves: a direct attempt fails at once without a request.
    let pool = pool_args("https://cognito.invalid/");
    let environment: Vec<(&str, &str)> = TOOL_ENVIRONMENT[2..]
        .iter()
        .map(|name| (*name, proxy_url.as_str()))
        .collect();
    let direct = run(
        &args(&["forgot-password"], &pool, &["--username", "alice"]),
        &environment,
        None,
    );
    assert_eq!(direct.code, 1, "{}", direct.stderr());
    assert!(
        proxy.requests().is_empty(),
        "the environment's proxy saw the request: {:?}",
        proxy.requests()
    );
    let stderr = direct.stderr();
    assert!(
        stderr.contains("ALL_PROXY is set but not used"),
        "the user is told: {stderr}"
    );

    // Named with --proxy, it is used (an HTTP CONNECT to the endpoint's host).
    let through = run(
        &args(
            &["forgot-password"],
            &pool,
            &["--username", "alice", "--proxy", &proxy_url],
        ),
        &[],
        None,
    );
    assert_eq!(through.code, 1, "{}", through.stderr());
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0]
            .request_line
            .starts_with("CONNECT cognito.invalid:443 "),
        "{seen:?}"
    );
    assert!(through.stderr().contains("through the proxy 127.0.0.1:"));
}

// ---- secrets off the command line ----

/// AWS's documented SECRET_HASH example (also in tests/cli.rs).
const HASH_USER: &str = "user@example.com";
const HASH_CLIENT: &str = "2k3kdm4p1iqqcndo3bd3ce2lr7";
const HASH_SECRET: &str = "1pvqss0b59cs2h3ofde29i8lsjdbsg1jplt2s7g8i7ffgfi6ti6a";

#[test]
fn client_secret_from_environment_file_or_stdin() {
    let dir = scratch("hardening-client-secret");
    let file = dir.join("client-secret");
    write_file(&file, &format!("{HASH_SECRET}\n"), 0o600);
    let base = [
        "secret-hash",
        "--username",
        HASH_USER,
        "--client-id",
        HASH_CLIENT,
    ];
    let expected = run(
        &[&base[..], &["--client-secret", HASH_SECRET]].concat(),
        &[],
        None,
    );
    assert_eq!(expected.code, 0, "{}", expected.stderr());
    // The argv form still works, with a warning.
    assert!(
        expected
            .stderr()
            .starts_with("warning: --client-secret puts the client secret on the command line"),
        "{}",
        expected.stderr()
    );
    for (extra, env, stdin) in [
        (&[][..], &[("COGNITO_CLIENT_SECRET", HASH_SECRET)][..], None),
        (
            &["--client-secret-file", file.to_str().unwrap()][..],
            &[][..],
            None,
        ),
        (
            &["--client-secret-stdin"][..],
            &[][..],
            Some(format!("{HASH_SECRET}\r\n")),
        ),
    ] {
        let out = run(&[&base[..], extra].concat(), env, stdin.as_deref());
        assert_eq!(out.code, 0, "{extra:?} {env:?}: {}", out.stderr());
        assert_eq!(out.stdout, expected.stdout, "{extra:?} {env:?}");
        assert!(out.stderr.is_empty(), "no warning: {}", out.stderr());
    }
    // A secret file others may read: used, with a warning that says how to fix it.
    let open = dir.join("client-secret-644");
    write_file(&open, HASH_SECRET, 0o644);
    let out = run(
        &[&base[..], &["--client-secret-file", open.to_str().unwrap()]].concat(),
        &[],
        None,
    );
    assert_eq!(out.stdout, expected.stdout);
    assert!(
        out.stderr().starts_with("warning: ") && out.stderr().contains("chmod 600"),
        "{}",
        out.stderr()
    );
    // No secret anywhere, or an empty one: bad usage that names the ways in.
    let none = run(&base, &[], None);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr().contains("COGNITO_CLIENT_SECRET"),
        "{}",
        none.stderr()
    );
    let empty = run(&base, &[("COGNITO_CLIENT_SECRET", "")], None);
    assert_eq!(empty.code, 2, "{}", empty.stderr());

    // The network commands take it the same way: the request carries the SECRET_HASH.
    let server = ScriptedServer::script(vec![
        answer(200, &json!({ "CodeDeliveryDetails": {} })),
        answer(200, &json!({ "CodeDeliveryDetails": {} })),
    ]);
    let pool = [
        "--user-pool-id",
        POOL,
        "--client-id",
        HASH_CLIENT,
        "--endpoint",
        &server.url(),
    ]
    .map(String::from);
    let hash = String::from_utf8(expected.stdout.clone()).unwrap();
    for (extra, env) in [
        (&[][..], &[("COGNITO_CLIENT_SECRET", HASH_SECRET)][..]),
        (
            &["--client-secret-file", file.to_str().unwrap()][..],
            &[][..],
        ),
    ] {
        let out = run(
            &args(
                &["forgot-password"],
                &pool,
                &[&["--username", HASH_USER][..], extra].concat(),
            ),
            env,
            None,
        );
        assert_eq!(out.code, 0, "{}", out.stderr());
        assert!(out.stderr.is_empty(), "no warning: {}", out.stderr());
    }
    for seen in server.requests() {
        let body: Value = serde_json::from_str(&seen.body).unwrap();
        assert_eq!(body["SecretHash"], hash.trim(), "{body}");
    }
    // The help says which way is the normal one.
    let help = run(&["sign-in", "--help"], &[], None).stdout();
    assert!(help.contains("COGNITO_CLIENT_SECRET"), "{help}");
    assert!(help.contains("--client-secret-file"), "{help}");
    assert!(help.contains("COGNITO_TOTP_SECRET"), "{help}");
}

#[test]
fn totp_secrets_from_stdin_file_or_environment() {
    // RFC 6238 Appendix B, SHA-1 at T = 59 s.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let dir = scratch("hardening-totp-secret");
    let file = dir.join("totp");
    write_file(&file, &format!("{secret}\n"), 0o600);
    let code = ["totp", "code", "--time", "59", "--digits", "8"];
    for (extra, env, stdin) in [
        (
            &["--secret-stdin"][..],
            &[][..],
            Some(format!("{secret}\n")),
        ),
        (
            &["--secret-file", file.to_str().unwrap()][..],
            &[][..],
            None,
        ),
        (&[][..], &[("COGNITO_TOTP_SECRET", secret)][..], None),
    ] {
        let out = run(&[&code[..], extra].concat(), env, stdin.as_deref());
        assert_eq!(out.code, 0, "{extra:?}: {}", out.stderr());
        assert_eq!(out.stdout(), "94287082\n", "{extra:?}");
        assert!(out.stderr.is_empty(), "no warning: {}", out.stderr());
    }
    let argv = run(&[&code[..], &["--secret", secret]].concat(), &[], None);
    assert_eq!(argv.stdout(), "94287082\n");
    assert!(
        argv.stderr()
            .starts_with("warning: --secret puts the TOTP secret on the command line")
    );
    // Two sources at once are a usage error; none is one too.
    let both = run(
        &[&code[..], &["--secret", secret, "--secret-stdin"]].concat(),
        &[],
        Some("x\n"),
    );
    assert_eq!(both.code, 2);
    assert_eq!(run(&code, &[], None).code, 2);

    // totp uri from a file, totp parse from stdin.
    let long = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";
    write_file(&file, long, 0o600);
    let uri = run(
        &[
            "totp",
            "uri",
            "--secret-file",
            file.to_str().unwrap(),
            "--issuer",
            "Example",
            "--account",
            "alice",
        ],
        &[],
        None,
    );
    assert_eq!(uri.code, 0, "{}", uri.stderr());
    assert!(uri.stderr.is_empty(), "{}", uri.stderr());
    let uri = uri.stdout();
    assert!(uri.contains(&format!("secret={long}")), "{uri}");
    let parsed = run(&["totp", "parse"], &[], Some(&uri));
    assert_eq!(parsed.code, 0, "{}", parsed.stderr());
    assert!(parsed.stderr.is_empty(), "{}", parsed.stderr());
    let fields: Value = serde_json::from_slice(&parsed.stdout).unwrap();
    assert_eq!(fields["issuer"], "Example");
    assert_eq!(fields["secret_bits"], 256);
    assert!(!parsed.stdout().contains(long));
    // The argument form still works, with a warning.
    let argv = run(&["totp", "parse", uri.trim()], &[], None);
    assert_eq!(argv.code, 0);
    assert_eq!(argv.stdout, parsed.stdout);
    assert!(argv.stderr().starts_with("warning: "), "{}", argv.stderr());
}

// ---- --device-file ----

/// The euid of this process (the owner of `/proc/self`).
fn my_uid() -> u32 {
    std::fs::metadata("/proc/self").unwrap().uid()
}

#[test]
fn device_file_must_be_private() {
    let dir = scratch("hardening-device-file");
    let device = json!({
        "DeviceKey": "us-east-1_device",
        "DeviceGroupKey": "-group",
        "DevicePassword": "device-password",
    })
    .to_string();
    // The server refuses: enough to know that a request was (or was not) sent.
    let refusal = json!({ "__type": "NotAuthorizedException", "message": "no" });
    let server = ScriptedServer::script(vec![answer(400, &refusal), answer(400, &refusal)]);
    let pool = pool_args(&server.url());
    let sign_in = |path: &Path| {
        run(
            &args(
                &["sign-in"],
                &pool,
                &[
                    "--username",
                    "alice",
                    "--password-stdin",
                    "--device-file",
                    path.to_str().unwrap(),
                ],
            ),
            &[],
            Some("Correct-Horse-9!\n"),
        )
    };
    for mode in [0o644, 0o640, 0o604, 0o620, 0o660] {
        let path = dir.join(format!("device-{mode:o}.json"));
        write_file(&path, &device, mode);
        let out = sign_in(&path);
        assert_eq!(out.code, 2, "{mode:o}: {}", out.stderr());
        let stderr = out.stderr();
        assert!(
            stderr.contains(&format!("permissions {mode:04o}")) && stderr.contains("too open"),
            "{stderr}"
        );
        assert!(stderr.contains("chmod 600"), "says how to fix it: {stderr}");
    }
    // refresh reads it too.
    let open = dir.join("device-644.json");
    let refresh = run(
        &args(
            &["refresh"],
            &pool,
            &[
                "--refresh-token-stdin",
                "--device-file",
                open.to_str().unwrap(),
            ],
        ),
        &[],
        Some("token\n"),
    );
    assert_eq!(refresh.code, 2, "{}", refresh.stderr());
    assert!(
        server.requests().is_empty(),
        "nothing was sent: {:?}",
        server.requests()
    );

    // Owned by another user: as root, give it away; otherwise use a root-owned file.
    let foreign = if my_uid() == 0 {
        let path = dir.join("device-foreign.json");
        write_file(&path, &device, 0o600);
        std::os::unix::fs::chown(&path, Some(65_534), Some(65_534)).unwrap();
        path
    } else {
        PathBuf::from("/etc/passwd")
    };
    let out = sign_in(&foreign);
    assert_eq!(out.code, 2, "{}", out.stderr());
    assert!(out.stderr().contains("not to you"), "{}", out.stderr());
    assert!(
        server.requests().is_empty(),
        "nothing was sent: {:?}",
        server.requests()
    );

    // Mode 0600, mine: used (the sign-in goes out and is refused by the server).
    let private = dir.join("device-600.json");
    write_file(&private, &device, 0o600);
    let out = sign_in(&private);
    assert_eq!(out.code, 1, "{}", out.stderr());
    assert!(
        out.stderr().contains("NotAuthorizedException"),
        "{}",
        out.stderr()
    );
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        server.requests()[0].target(),
        Some("AWSCognitoIdentityProviderService.InitiateAuth")
    );
    let body: Value = serde_json::from_str(&server.requests()[0].body).unwrap();
    assert_eq!(
        body["AuthParameters"]["DEVICE_KEY"], "us-east-1_device",
        "{body}"
    );
}

// ---- the README says what the tool has ----

/// The subcommands `cognito-auth --help` lists.
fn commands_in_help() -> Vec<String> {
    let help = run(&["--help"], &[], None).stdout();
    let mut names = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect::<Vec<_>>();
    names.sort();
    names
}

#[test]
fn readme_lists_exactly_the_commands_of_the_tool() {
    let readme = include_str!("../../../README.md");
    assert!(
        !readme.contains("every flow and account operation"),
        "the README must not claim more than the tool does"
    );
    // The section on the tool: a table whose rows start with `| `command` |`.
    let section = readme
        .split("\n## ")
        .find(|section| section.starts_with("The `cognito-auth` tool"))
        .expect("a README section \"The `cognito-auth` tool\"");
    let mut listed: Vec<String> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .map(|command| {
            command
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    // (The table of secrets names `totp` again.)
    listed.sort();
    listed.dedup();
    assert_eq!(listed, commands_in_help());
    // What it does not do is said too.
    for missing in ["CUSTOM_AUTH", "WEB_AUTHN"] {
        assert!(
            section.contains(missing),
            "the README says the tool lacks {missing}"
        );
    }
    // And the safe ways in are documented.
    for way in [
        "COGNITO_CLIENT_SECRET",
        "COGNITO_TOTP_SECRET",
        "--allow-insecure-http",
        "--proxy",
        "--device-file",
    ] {
        assert!(section.contains(way), "the README documents {way}");
    }
}

// ---- a server that steers the sign-in (issue: the sign-in machine's challenge policy) ----

fn challenge(name: &str, parameters: Value) -> Response {
    answer(
        200,
        &json!({"ChallengeName": name, "Session": "S", "ChallengeParameters": parameters}),
    )
}

fn verifier() -> Response {
    challenge(
        "PASSWORD_VERIFIER",
        json!({"SALT": "8ce8291892390f6b53a245933faf6164", "SRP_B": "abcdef0123456789",
            "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr", "USERNAME": "alice", "USER_ID_FOR_SRP": "alice"}),
    )
}

fn sends_password(seen: &Request) -> bool {
    let body: Value = serde_json::from_str(&seen.body).unwrap_or(Value::Null);
    let has = |part: &str| body[part].get("PASSWORD").is_some();
    has("AuthParameters") || has("ChallengeResponses") || seen.body.contains("Correct-Horse-9!")
}

#[test]
fn an_srp_sign_in_asked_for_the_plaintext_password_sends_nothing() {
    // Before the verifier and after it: the sign-in ends, and the password never leaves.
    for script in [
        vec![challenge("PASSWORD", json!({}))],
        vec![verifier(), challenge("PASSWORD", json!({}))],
    ] {
        let requests = script.len();
        let server = ScriptedServer::script(script);
        let pool = pool_args(&server.url());
        let sign_in = run(
            &args(
                &["sign-in"],
                &pool,
                &["--username", "alice", "--password-stdin", "--flow", "srp"],
            ),
            &[],
            Some("Correct-Horse-9!\n"),
        );
        assert_eq!(sign_in.code, 1, "{}", sign_in.stderr());
        let stderr = sign_in.stderr();
        assert!(
            stderr.contains("asked for the plaintext password in an SRP sign-in"),
            "{stderr}"
        );
        assert!(sign_in.stdout.is_empty());
        let seen = server.requests();
        assert_eq!(
            seen.len(),
            requests,
            "nothing sent after the PASSWORD challenge"
        );
        assert!(seen.iter().all(|s| !sends_password(s)), "{seen:?}");
    }
}

#[test]
fn a_verifier_loop_gets_one_password_claim() {
    let dir = scratch("hardening-verifier-loop");
    let device_file = dir.join("device.json");
    let device = json!({
        "DeviceKey": "us-east-1_device",
        "DeviceGroupKey": "-group",
        "DevicePassword": "device-password",
    });
    write_file(&device_file, &device.to_string(), 0o600);
    // PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> PASSWORD_VERIFIER -> ... as long as it is followed.
    let mut script = Vec::new();
    for _ in 0..12 {
        script.push(verifier());
        script.push(challenge("DEVICE_SRP_AUTH", json!({})));
    }
    let server = ScriptedServer::script(script);
    let pool = pool_args(&server.url());
    let sign_in = run(
        &args(
            &["sign-in"],
            &pool,
            &[
                "--username",
                "alice",
                "--password-stdin",
                "--device-file",
                device_file.to_str().unwrap(),
            ],
        ),
        &[],
        Some("Correct-Horse-9!\n"),
    );
    assert_eq!(sign_in.code, 1, "{}", sign_in.stderr());
    assert!(
        sign_in.stderr().contains("PASSWORD_VERIFIER"),
        "{}",
        sign_in.stderr()
    );
    let seen = server.requests();
    let claims = seen
        .iter()
        .filter(|s| {
            s.body.contains("PASSWORD_CLAIM_SIGNATURE") && s.body.contains("\"PASSWORD_VERIFIER\"")
        })
        .count();
    assert_eq!(claims, 1, "one password claim: {seen:?}");
    assert_eq!(seen.len(), 3, "InitiateAuth, the claim, the device's SRP_A");
}
