//! The `cognito-auth` binary, run as a user runs it: argument errors (exit 2), every offline
//! subcommand against published vectors, and the network subcommands against MiniStack 1.5.33
//! with `AUTH=true` (`bash scripts/ensure-tool.sh ministack`; the launcher is the core's
//! `cognito_auth_testkit::ministack`), which checks SRP proofs, SECRET_HASH, TOTP and the fixed
//! confirmation codes (`123456` sign-up, `654321` password reset).
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

use serde_json::{Value, json};

/// Runs `cognito-auth ARGS` with `stdin` as its standard input (closed when `None`), the
/// tool's environment variables removed: exit code, stdout, stderr.
fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let done = tool::run(args, &[], stdin);
    (done.code, done.stdout(), done.stderr())
}

/// `run`, asserting exit 0; returns stdout.
fn ok(args: &[&str], stdin: Option<&str>) -> String {
    let (code, stdout, stderr) = run(args, stdin);
    assert_eq!(code, 0, "cognito-auth {args:?}: stderr: {stderr}");
    stdout
}

/// `run`, asserting `expected` as the exit code; returns stderr.
fn fails(expected: i32, args: &[&str], stdin: Option<&str>) -> String {
    let (code, stdout, stderr) = run(args, stdin);
    assert_eq!(
        code, expected,
        "cognito-auth {args:?}: stdout {stdout} stderr {stderr}"
    );
    assert!(
        stdout.is_empty(),
        "nothing on stdout after a failure: {stdout}"
    );
    stderr
}

// ---- usage ----

#[test]
fn usage_errors_exit_2() {
    fails(2, &[], None);
    fails(2, &["no-such-command"], None);
    fails(2, &["sign-in", "--client-id", "c", "--username", "u"], None);
    fails(2, &["totp", "code"], None);
    fails(2, &["totp", "code", "--secret", "not base32!"], None);
    fails(
        2,
        &[
            "totp",
            "code",
            "--secret",
            "GEZDGNBVGY3TQOJQ",
            "--digits",
            "9",
        ],
        None,
    );
    fails(
        2,
        &[
            "totp",
            "code",
            "--secret",
            "GEZDGNBVGY3TQOJQ",
            "--period",
            "0",
        ],
        None,
    );
    // 80 bits: a URI for an authenticator needs 128.
    fails(
        2,
        &[
            "totp",
            "uri",
            "--secret",
            "GEZDGNBVGY3TQOJQ",
            "--issuer",
            "i",
            "--account",
            "a",
        ],
        None,
    );
    fails(2, &["totp", "parse", "https://example.com/"], None);
    let pool = [
        "--user-pool-id",
        "us-east-1_Abc123XyZ",
        "--client-id",
        "c",
        "--username",
        "u",
    ];
    let bad_pool = fails(
        2,
        &[
            "sign-in",
            "--user-pool-id",
            "nounderscore",
            "--client-id",
            "c",
            "--username",
            "u",
            "--password-stdin",
        ],
        Some("pw\n"),
    );
    assert!(bad_pool.contains("--user-pool-id"), "{bad_pool}");
    // No terminal and no --password-stdin: nothing to prompt on.
    let no_tty = fails(2, &[&["sign-in"][..], &pool[..]].concat(), None);
    assert!(no_tty.contains("--password-stdin"), "{no_tty}");
    // --password-stdin with empty stdin.
    fails(
        2,
        &[&["sign-in"][..], &pool[..], &["--password-stdin"][..]].concat(),
        Some(""),
    );
    fails(
        2,
        &[
            &["sign-in"][..],
            &pool[..],
            &["--password-stdin", "--endpoint", "ftp://x"][..],
        ]
        .concat(),
        Some("pw\n"),
    );
    fails(
        2,
        &[
            &["sign-in"][..],
            &pool[..],
            &["--password-stdin", "--totp-secret", "short"][..],
        ]
        .concat(),
        Some("pw\n"),
    );
    fails(
        2,
        &[
            &["sign-in"][..],
            &pool[..],
            &["--flow", "magic", "--password-stdin"][..],
        ]
        .concat(),
        Some("pw\n"),
    );
}

#[test]
fn every_command_has_help() {
    for command in [
        &["--help"][..],
        &["sign-in", "--help"],
        &["sign-up", "--help"],
        &["confirm-sign-up", "--help"],
        &["resend-code", "--help"],
        &["forgot-password", "--help"],
        &["confirm-forgot-password", "--help"],
        &["refresh", "--help"],
        &["set-up-totp", "--help"],
        &["sign-out", "--help"],
        &["totp", "--help"],
        &["totp", "code", "--help"],
        &["totp", "uri", "--help"],
        &["totp", "parse", "--help"],
        &["secret-hash", "--help"],
        &["phone-number", "--help"],
    ] {
        let help = ok(command, None);
        assert!(help.contains("Usage: cognito-auth"), "{command:?}: {help}");
    }
}

// ---- offline ----

/// RFC 6238 Appendix B: the seeds are ASCII "1234567890" repeated to 20, 32 and 64 bytes.
#[test]
fn totp_code_matches_rfc_6238() {
    let sha1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let sha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    let sha512 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
                  GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";
    let vectors = [
        (59_u64, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ];
    for (time, code_sha1, code_sha256, code_sha512) in vectors {
        let time = time.to_string();
        for (secret, algorithm, expected) in [
            (sha1, "sha1", code_sha1),
            (sha256, "sha256", code_sha256),
            (sha512, "sha512", code_sha512),
        ] {
            let args = [
                "totp",
                "code",
                "--secret",
                secret,
                "--time",
                &time,
                "--digits",
                "8",
                "--algorithm",
                algorithm,
            ];
            assert_eq!(
                ok(&args, None),
                format!("{expected}\n"),
                "{algorithm} at {time}"
            );
        }
    }
    // Cognito's parameters are the defaults: SHA-1, 6 digits, 30 s.
    assert_eq!(
        ok(&["totp", "code", "--secret", sha1, "--time", "59"], None),
        "287082\n"
    );
    let now = ok(&["totp", "code", "--secret", sha1], None);
    assert!(
        now.trim().len() == 6 && now.trim().bytes().all(|b| b.is_ascii_digit()),
        "{now}"
    );
}

#[test]
fn totp_uri_and_parse_round_trip() {
    let secret = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";
    let uri = ok(
        &[
            "totp",
            "uri",
            "--secret",
            secret,
            "--issuer",
            "Star Trek: Ex&Co 🖖",
            "--account",
            "alice@example.com",
        ],
        None,
    );
    assert_eq!(
        uri.trim(),
        "otpauth://totp/Star%20Trek%3A%20Ex%26Co%20%F0%9F%96%96:alice@example.com\
         ?secret=6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A\
         &issuer=Star%20Trek%3A%20Ex%26Co%20%F0%9F%96%96"
    );
    let fields: Value = serde_json::from_str(&ok(&["totp", "parse", uri.trim()], None)).unwrap();
    assert_eq!(
        fields,
        json!({
            "type": "totp", "issuer": "Star Trek: Ex&Co 🖖", "account": "alice@example.com",
            "algorithm": "SHA1", "digits": 6, "period": 30, "secret_bits": 256,
        })
    );
    let parsed = ok(
        &[
            "totp",
            "parse",
            "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&algorithm=SHA256&digits=8&period=60",
        ],
        None,
    );
    assert!(
        !parsed.contains("JBSWY3DPEHPK3PXP"),
        "the secret is never printed: {parsed}"
    );
    let fields: Value = serde_json::from_str(&parsed).unwrap();
    assert_eq!(
        (&fields["algorithm"], &fields["digits"], &fields["period"]),
        (&json!("SHA256"), &json!(8), &json!(60))
    );
}

/// Row 1 of the core's `tests/data/secret_hash_vectors.tsv`: the value Python's `hmac` and
/// `base64` (and `openssl dgst -sha256 -hmac`) give for AWS's documentation-style example ids
/// (see the core's `tests/data/README.md`).
#[test]
fn secret_hash_matches_python_hmac_on_the_example_ids() {
    let hash = ok(
        &[
            "secret-hash",
            "--username",
            "alice",
            "--client-id",
            "1example23456789abcdefghij",
            "--client-secret",
            "1example23456789abcdefghijklmnopqrstuvwxyz0123456789",
        ],
        None,
    );
    assert_eq!(hash, "//GwtE+1CK57uu1PfHhDchwQMQO4b0KDIie8ikhR0kk=\n");
    fails(
        2,
        &[
            "secret-hash",
            "--username",
            "",
            "--client-id",
            "c",
            "--client-secret",
            "s",
        ],
        None,
    );
}

#[test]
fn phone_number_normalises_or_names_the_error() {
    assert_eq!(
        ok(&["phone-number", "+1 (206) 555-1212"], None),
        "+12065551212\n"
    );
    assert_eq!(
        ok(&["phone-number", "0049 30 1234567"], None),
        "+49301234567\n"
    );
    assert_eq!(
        ok(&["phone-number", "＋４４ ７９１１ １２３４５６"], None),
        "+447911123456\n"
    );
    assert_eq!(
        ok(
            &[
                "phone-number",
                "(206) 555-1212",
                "--default-calling-code",
                "1"
            ],
            None
        ),
        "+12065551212\n"
    );
    for (input, kind) in [
        ("", "Empty"),
        ("(206) 555-1212", "MissingCallingCode"),
        ("+1206+5551212", "MisplacedPlus"),
        ("+1-800-FLOWERS", "Letter"),
        ("+1 206 555 1212 ext. 7", "Extension"),
        ("+1 206 555 1212 *", "InvalidCharacter"),
        ("+4", "CallingCodeIncomplete"),
        ("+0044 20 7946 0958", "CallingCodeStartsWithZero"),
        ("+999 123 456 789", "UnknownCallingCode"),
        ("+1 206 555 1212 1234 5678", "TooLong"),
        ("+44 07911 123456", "TrunkPrefix"),
    ] {
        let stderr = fails(2, &["phone-number", input], None);
        assert!(
            stderr.starts_with(&format!("error: {kind}: ")),
            "{input:?}: {stderr}"
        );
    }
    let stderr = fails(
        2,
        &["phone-number", "555", "--default-calling-code", "999"],
        None,
    );
    assert!(stderr.contains("UnknownCallingCode"), "{stderr}");
}

// ---- against MiniStack ----

/// Satisfies MiniStack's default password policy; spaces and non-ASCII must survive stdin.
const PASSWORD: &str = " Correct Horse 9! ünï ";

#[test]
fn network_commands_against_ministack() {
    let server = ministack::MiniStack::start();
    let idp = server.cognito();
    let pool_id = idp.create_user_pool("cli", Value::Null);
    idp.set_user_pool_mfa_config(
        &pool_id,
        json!({"MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    );
    let client = idp.create_app_client(&pool_id, "cli", true);
    let secret = client.client_secret.clone().unwrap();
    let endpoint = server.endpoint();
    let pool: Vec<&str> = vec![
        "--user-pool-id",
        &pool_id,
        "--client-id",
        &client.client_id,
        "--client-secret",
        &secret,
        "--endpoint",
        &endpoint,
    ];
    let with = |command: &[&str], extra: &[&str]| -> Vec<String> {
        command
            .iter()
            .chain(&pool)
            .chain(extra)
            .map(|s| (*s).to_owned())
            .collect()
    };
    let call = |args: &[String], stdin: Option<&str>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, stdin)
    };

    // sign-up -> confirm-sign-up (MiniStack's code) -> sign-in, the password through stdin.
    let (code, stdout, stderr) = call(
        &with(
            &["sign-up"],
            &[
                "--username",
                "alice",
                "--password-stdin",
                "--attribute",
                "email=alice@example.com",
            ],
        ),
        Some(&format!("{PASSWORD}\n")),
    );
    assert_eq!(code, 0, "{stderr}");
    let signed_up: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(signed_up["UserConfirmed"], false, "{signed_up}");
    let (code, _, stderr) = call(&with(&["resend-code"], &["--username", "alice"]), None);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = call(
        &with(
            &["confirm-sign-up"],
            &["--username", "alice", "--code", "000000"],
        ),
        None,
    );
    assert_eq!(code, 1, "a wrong code is Cognito's refusal: {stderr}");
    assert!(stderr.contains("CodeMismatchException"), "{stderr}");
    let (code, _, stderr) = call(
        &with(
            &["confirm-sign-up"],
            &["--username", "alice", "--code", "123456"],
        ),
        None,
    );
    assert_eq!(code, 0, "{stderr}");

    // SRP and USER_PASSWORD_AUTH; CRLF line endings are dropped, spaces kept.
    let sign_in = |flow: &str, stdin: &str| {
        call(
            &with(
                &["sign-in"],
                &["--username", "alice", "--flow", flow, "--password-stdin"],
            ),
            Some(stdin),
        )
    };
    for (flow, stdin) in [
        ("srp", format!("{PASSWORD}\n")),
        ("password", format!("{PASSWORD}\r\n")),
        ("srp", PASSWORD.to_owned()),
    ] {
        let (code, stdout, stderr) = sign_in(flow, &stdin);
        assert_eq!(code, 0, "{flow}: {stderr}");
        let tokens: Value = serde_json::from_str(&stdout).unwrap();
        assert!(
            tokens["AccessToken"]
                .as_str()
                .is_some_and(|t| t.len() > 100),
            "{tokens}"
        );
        assert!(
            tokens["RefreshToken"].is_string() && tokens["IdToken"].is_string(),
            "{tokens}"
        );
        assert!(
            !stderr.contains(PASSWORD.trim()),
            "the password is never echoed: {stderr}"
        );
    }
    // Wrong passwords: the trimmed password, another one. Cognito refuses: exit 1.
    for wrong in [PASSWORD.trim(), "Wrong-Horse-9!"] {
        for flow in ["srp", "password"] {
            let (code, stdout, stderr) = sign_in(flow, &format!("{wrong}\n"));
            assert_eq!((code, stdout.as_str()), (1, ""), "{flow}: {stderr}");
            // (After the warning that --client-secret is on the command line.)
            assert!(
                stderr
                    .lines()
                    .any(|line| line.starts_with("error: NotAuthorizedException: ")),
                "{stderr}"
            );
        }
    }
    let (code, _, stderr) = call(
        &with(&["sign-in"], &["--username", "nobody", "--password-stdin"]),
        Some("Whatever-9!\n"),
    );
    assert_eq!(code, 1, "{stderr}");

    // set-up-totp --verify, then sign-in answers the TOTP challenge from --totp-secret.
    let (_, stdout, _) = sign_in("srp", &format!("{PASSWORD}\n"));
    let tokens: Value = serde_json::from_str(&stdout).unwrap();
    let access = tokens["AccessToken"].as_str().unwrap().to_owned();
    let (code, stdout, stderr) = call(
        &with(&["set-up-totp"], &["--access-token-stdin", "--verify"]),
        Some(&format!("{access}\n")),
    );
    assert_eq!(code, 0, "{stderr}");
    let setup: Value = serde_json::from_str(&stdout).unwrap();
    let totp_secret = setup["SecretCode"].as_str().unwrap().to_owned();
    assert!(
        setup["Uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/"),
        "{setup}"
    );
    // Without the secret and with no further stdin line, the TOTP challenge cannot be answered.
    let (code, _, stderr) = sign_in("srp", &format!("{PASSWORD}\n"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("TOTP code required"), "{stderr}");
    // A wrong code on the next stdin line is Cognito's refusal.
    let (code, _, stderr) = sign_in("srp", &format!("{PASSWORD}\n000000\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("CodeMismatchException"), "{stderr}");
    let (code, stdout, stderr) = call(
        &with(
            &["sign-in"],
            &[
                "--username",
                "alice",
                "--password-stdin",
                "--totp-secret",
                &totp_secret,
            ],
        ),
        Some(&format!("{PASSWORD}\n")),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("answered from --totp-secret"), "{stderr}");
    let tokens: Value = serde_json::from_str(&stdout).unwrap();
    let access = tokens["AccessToken"].as_str().unwrap().to_owned();
    let refresh = tokens["RefreshToken"].as_str().unwrap().to_owned();

    // refresh: new tokens; a garbage token is refused.
    let (code, stdout, stderr) = call(
        &with(
            &["refresh"],
            &["--username", "alice", "--refresh-token-stdin"],
        ),
        Some(&format!("{refresh}\n")),
    );
    assert_eq!(code, 0, "{stderr}");
    let renewed: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        renewed["AccessToken"].is_string() && renewed["ExpiresIn"].is_u64(),
        "{renewed}"
    );
    let (code, _, stderr) = call(
        &with(&["refresh"], &["--refresh-token-stdin"]),
        Some("not-a-token\n"),
    );
    assert_eq!(code, 1, "{stderr}");

    // sign-out revokes the tokens: a second sign-out and a refresh are refused.
    let (code, stdout, stderr) = call(
        &with(&["sign-out"], &["--access-token-stdin"]),
        Some(&format!("{access}\n")),
    );
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    let (code, _, stderr) = call(
        &with(&["sign-out"], &["--access-token-stdin"]),
        Some(&format!("{access}\n")),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("NotAuthorizedException"), "{stderr}");
    let (code, _, stderr) = call(
        &with(&["refresh"], &["--refresh-token-stdin"]),
        Some(&format!("{refresh}\n")),
    );
    assert_eq!(code, 1, "{stderr}");

    // forgot-password -> confirm-forgot-password (MiniStack's reset code) -> sign in with it.
    let (code, _, stderr) = call(&with(&["forgot-password"], &["--username", "alice"]), None);
    assert_eq!(code, 0, "{stderr}");
    let new_password = "Battery Staple 7? ß";
    let (code, _, stderr) = call(
        &with(
            &["confirm-forgot-password"],
            &[
                "--username",
                "alice",
                "--code",
                "654321",
                "--password-stdin",
            ],
        ),
        Some(&format!("{new_password}\n")),
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = call(
        &with(
            &["sign-in"],
            &[
                "--username",
                "alice",
                "--password-stdin",
                "--totp-secret",
                &totp_secret,
            ],
        ),
        Some(&format!("{new_password}\n")),
    );
    assert_eq!(code, 0, "{stderr}");
}
