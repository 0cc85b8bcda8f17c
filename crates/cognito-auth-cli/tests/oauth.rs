//! `cognito-auth oauth authorize-url | exchange` as a user runs them, against MiniStack 1.5.33
//! with `AUTH=true` (`bash scripts/ensure-tool.sh ministack`): the browser in between is the
//! test kit's browser (`cognito_auth_testkit::hosted_ui`), which fills in
//! MiniStack's hosted UI login form.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::cognito_idp;
use cognito_auth_testkit::hosted_ui;
use cognito_auth_testkit::ministack;

#[path = "support/tool.rs"]
mod tool;

use std::path::Path;

use serde_json::Value;

use cognito_idp::PASSWORD;
use hosted_ui::{Browser, REDIRECT, hosted_ui_client, sign_in_in_browser};

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn authorize_url_then_exchange_against_ministack() {
    let server = ministack::MiniStack::start();
    let idp = server.cognito();
    let pool_id = idp.create_user_pool("cli-oauth", Value::Null);
    let client = hosted_ui_client(idp, &pool_id, "cli-oauth", true);
    let secret = client.client_secret.clone().unwrap();
    let endpoint = server.endpoint();
    let dir = std::env::temp_dir().join(format!("cognito-auth-oauth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state_file = dir.join("state");
    let state = state_file.to_str().unwrap();
    let browser = Browser::new();
    let domain = [
        "--domain",
        endpoint.as_str(),
        "--client-id",
        &client.client_id,
    ];

    let authorize = |extra: &[&str]| {
        let mut args = vec!["oauth", "authorize-url"];
        args.extend(domain);
        args.extend([
            "--redirect-uri",
            REDIRECT,
            "--scope",
            "openid",
            "--scope",
            "aws.cognito.signin.user.admin",
            "--state-file",
            state,
        ]);
        args.extend(extra);
        let done = tool::run(&args, &[], None);
        assert_eq!(done.code, 0, "{}", done.stderr());
        let url = done.stdout().trim().to_owned();
        assert!(
            url.starts_with(&format!("{endpoint}oauth2/authorize?")),
            "{url}"
        );
        assert!(
            url.contains("scope=openid%20aws.cognito.signin.user.admin"),
            "{url}"
        );
        url
    };
    let exchange = |redirect: &str, env: &[(&str, &str)]| {
        let mut args = vec!["oauth", "exchange"];
        args.extend(domain);
        args.extend(["--state-file", state, "--redirect-url", redirect]);
        tool::run(&args, env, None)
    };
    let with_secret = [("COGNITO_CLIENT_SECRET", secret.as_str())];

    // The round trip: URL, browser, exchange with the secret from the environment.
    let url = authorize(&[]);
    assert_eq!(mode(&state_file), 0o600);
    let redirect = sign_in_in_browser(&browser, &endpoint, &url, PASSWORD);
    let done = exchange(&redirect, &with_secret);
    assert_eq!(done.code, 0, "{}", done.stderr());
    let tokens: Value = serde_json::from_str(&done.stdout()).unwrap();
    for field in ["IdToken", "AccessToken", "RefreshToken"] {
        assert!(
            tokens[field].as_str().is_some_and(|t| !t.is_empty()),
            "{field}: {tokens}"
        );
    }
    assert!(tokens["ExpiresIn"].as_u64().unwrap() > 0);
    assert_eq!(tokens["TokenType"], "Bearer");
    assert!(!state_file.exists(), "the state file is deleted");
    assert!(!done.stderr().contains(&secret));

    // The access token works as the user's (the scope aws.cognito.signin.user.admin).
    let (status, user) = idp.call(
        "GetUser",
        serde_json::json!({"AccessToken": tokens["AccessToken"]}),
    );
    assert_eq!(
        (status, user["Username"].as_str()),
        (200, Some("alice")),
        "{user}"
    );

    // A state that is not the file's: exit 2, the file kept.
    let url = authorize(&["--identity-provider", "COGNITO"]);
    assert!(url.contains("identity_provider=COGNITO"), "{url}");
    let redirect = sign_in_in_browser(
        &browser,
        &endpoint,
        &url.replace("&identity_provider=COGNITO", ""),
        PASSWORD,
    );
    let forged = format!("{REDIRECT}?code=x&state=forged");
    let done = exchange(&forged, &with_secret);
    assert_eq!(done.code, 2, "{}", done.stderr());
    assert!(done.stderr().contains("state"), "{}", done.stderr());
    assert!(state_file.exists());

    // The real redirect, but no client secret: the token endpoint refuses, exit 1.
    let done = exchange(&redirect, &[]);
    assert_eq!(done.code, 1, "{}", done.stderr());
    assert!(
        done.stderr().contains("invalid_client"),
        "{}",
        done.stderr()
    );

    // A redirect with error=...: exit 1 with the reason.
    let state_param = url
        .split("&state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let denied = format!(
        "{REDIRECT}?error=access_denied&error_description=User+cancelled&state={state_param}"
    );
    let done = exchange(&denied, &with_secret);
    assert_eq!(done.code, 1, "{}", done.stderr());
    assert!(
        done.stderr().contains("access_denied") && done.stderr().contains("User cancelled"),
        "{}",
        done.stderr()
    );

    // Now with the secret; then the state file is gone and the same redirect is refused.
    let done = exchange(&redirect, &with_secret);
    assert_eq!(done.code, 0, "{}", done.stderr());
    assert!(!state_file.exists());
    let done = exchange(&redirect, &with_secret);
    assert_eq!(done.code, 2, "{}", done.stderr());
    assert!(done.stderr().contains("state file"), "{}", done.stderr());

    // A state file others may read is refused.
    #[cfg(unix)]
    {
        authorize(&[]);
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&state_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let done = exchange(&forged, &with_secret);
        assert_eq!(done.code, 2);
        assert!(done.stderr().contains("0644"), "{}", done.stderr());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `oauth sign-in` started as a user starts it; returns the child, its stdout pipe and the
/// URL it printed on stderr.
fn start_loopback_sign_in(
    endpoint: &str,
    client_id: &str,
    callback: &str,
) -> (std::process::Child, String) {
    use std::io::BufRead as _;
    use std::process::{Command, Stdio};
    let mut command = Command::new(env!("CARGO_BIN_EXE_cognito-auth"));
    command.args([
        "oauth",
        "sign-in",
        "--domain",
        endpoint,
        "--client-id",
        client_id,
        "--redirect-uri",
        callback,
        "--scope",
        "openid",
        "--timeout",
        "60",
    ]);
    for name in tool::TOOL_ENVIRONMENT {
        command.env_remove(name);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no URL printed");
        if line.starts_with(&format!("{endpoint}oauth2/authorize?")) {
            break line.trim().to_owned();
        }
    };
    // The rest of stderr, kept for the assertions.
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
        rest
    });
    (child, url)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn sign_in_with_a_loopback_listener_against_ministack() {
    let server = ministack::MiniStack::start();
    let idp = server.cognito();
    let endpoint = server.endpoint();
    let pool_id = idp.create_user_pool("cli-loopback", Value::Null);
    let port = free_port();
    let callback = format!("http://127.0.0.1:{port}/callback");
    let client = hosted_ui::hosted_ui_client_for(idp, &pool_id, "cli-loopback", false, &callback);
    let browser = Browser::new();

    let (child, url) = start_loopback_sign_in(&endpoint, &client.client_id, &callback);
    // Another path (a browser's favicon) is answered 404 and does not end the wait.
    let favicon = browser.get(&format!("http://127.0.0.1:{port}/favicon.ico"));
    assert_eq!(favicon.status, 404);
    let redirect = sign_in_in_browser(&browser, &endpoint, &url, PASSWORD);
    assert!(
        redirect.starts_with(&format!("{callback}?code=")),
        "{redirect}"
    );
    let landing = browser.get(&redirect);
    assert_eq!(landing.status, 200, "{}", landing.body);
    let done = child.wait_with_output().unwrap();
    assert_eq!(done.status.code(), Some(0));
    let tokens: Value = serde_json::from_slice(&done.stdout).unwrap();
    for field in ["IdToken", "AccessToken", "RefreshToken"] {
        assert!(
            tokens[field].as_str().is_some_and(|t| !t.is_empty()),
            "{field}: {tokens}"
        );
    }

    // The user cancels: error=access_denied at the listener, exit 1.
    let (child, url) = start_loopback_sign_in(&endpoint, &client.client_id, &callback);
    let state = url
        .split("&state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let landing = browser.get(&format!(
        "{callback}?error=access_denied&error_description=cancelled&state={state}"
    ));
    assert_eq!(landing.status, 400);
    let done = child.wait_with_output().unwrap();
    assert_eq!(done.status.code(), Some(1));
    assert!(done.stdout.is_empty());
}
