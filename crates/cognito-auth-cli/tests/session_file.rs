//! `sign-in --session-file`, `tokens` and `sign-out --session-file` against MiniStack 1.5.33
//! (`bash scripts/ensure-tool.sh ministack`), through a counting HTTP proxy on 127.0.0.1 that
//! forwards every request to MiniStack and records its `X-Amz-Target` (and `AuthFlow`), so the
//! tests count the refreshes the processes really sent. The proxy also rotates refresh tokens
//! (MiniStack does not) and refuses a rotated-out one as Cognito does, so the tests see that no
//! refresh token is ever sent twice.
//!
//! Refreshes happen once half of the tokens' lifetime has passed (the core's margin is at most
//! half the lifetime), so the tests that refresh use an app client whose access and ID tokens
//! live a few seconds (MiniStack honours `AccessTokenValidity` in seconds) and wait for it.
#![cfg(unix)]
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

extern crate alloc;

use alloc::sync::Arc;
use core::time::Duration;
use std::collections::{HashMap, HashSet};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use cognito_auth_testkit::scripted_server::{Request, Response, ScriptedServer};
use cognito_idp::{CognitoIdp, DEFAULT_AUTH_FLOWS, PASSWORD};
use serde_json::{Value, json};
use tool::{Run, run, scratch};

// ---- a counting, rotating proxy in front of MiniStack ----

/// What the proxy saw and did, shared by its connection threads.
#[derive(Default)]
struct Seen {
    /// Every request, as `Operation` or `InitiateAuth:AUTH_FLOW`.
    log: Vec<String>,
    /// Rotated refresh tokens (`rotated-N`) and the real ones they stand for.
    real: HashMap<String, String>,
    /// Every refresh token sent in a refresh request.
    used: HashSet<String>,
    /// Refresh requests answered with `RefreshTokenReuseException`.
    reused: usize,
    /// The app client's secret: a refresh with another `ClientSecret` is refused.
    client_secret: String,
}

/// Forwards each request (one per connection, `Connection: close`) to MiniStack and logs it.
/// It adds refresh-token rotation, which MiniStack does not model: each
/// `GetTokensFromRefreshToken` answer gets a new refresh token `rotated-N` (standing for the
/// real one in later refreshes and in `RevokeToken`), and a refresh token sent a second time is
/// answered with `RefreshTokenReuseException`, as Cognito answers a rotated-out token after its
/// grace period. A refresh with a wrong `ClientSecret` is refused with `NotAuthorizedException`
/// (MiniStack does not check it there). Stops when dropped.
struct CountingProxy {
    seen: Arc<Mutex<Seen>>,
    server: ScriptedServer,
}

impl CountingProxy {
    fn start(upstream: String, client_secret: &str) -> Self {
        let seen = Arc::new(Mutex::new(Seen {
            client_secret: client_secret.to_owned(),
            ..Seen::default()
        }));
        let upstream = CognitoIdp::new(upstream);
        let server = {
            let seen = Arc::clone(&seen);
            ScriptedServer::concurrent(move |request| forward(request, &upstream, &seen))
        };
        Self { seen, server }
    }

    fn endpoint(&self) -> String {
        self.server.url()
    }

    /// How many refresh requests (`GetTokensFromRefreshToken`, `InitiateAuth` with
    /// `REFRESH_TOKEN_AUTH`) came through.
    fn refreshes(&self) -> usize {
        self.seen
            .lock()
            .unwrap()
            .log
            .iter()
            .filter(|entry| {
                *entry == "GetTokensFromRefreshToken" || *entry == "InitiateAuth:REFRESH_TOKEN_AUTH"
            })
            .count()
    }

    /// How many refreshes sent a refresh token that had been sent before.
    fn reused(&self) -> usize {
        self.seen.lock().unwrap().reused
    }
}

fn forward(request: &Request, upstream: &CognitoIdp, seen: &Mutex<Seen>) -> Response {
    let target = request.target().unwrap_or_default();
    let content_type = request.header("content-type").unwrap_or_default();
    let mut body = request.json();
    let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
    let (status, error_type, answer) = {
        let mut seen = seen.lock().unwrap();
        seen.log.push(match body["AuthFlow"].as_str() {
            Some(flow) => format!("{operation}:{flow}"),
            None => operation.clone(),
        });
        let field = match operation.as_str() {
            "GetTokensFromRefreshToken" => "RefreshToken",
            "RevokeToken" => "Token",
            _ => "",
        };
        let sent = body[field].as_str().map(str::to_owned);
        if let Some(sent) = sent {
            if operation == "GetTokensFromRefreshToken"
                && body["ClientSecret"] != *seen.client_secret
            {
                drop(seen);
                let error = json!({
                    "__type": "NotAuthorizedException",
                    "message": "Unable to verify secret hash for client",
                });
                return respond(400, Some("NotAuthorizedException"), &error.to_string());
            }
            if operation == "GetTokensFromRefreshToken" && !seen.used.insert(sent.clone()) {
                seen.reused += 1;
                drop(seen);
                let error = json!({
                    "__type": "RefreshTokenReuseException",
                    "message": "Refresh token has been reused.",
                });
                return respond(400, Some("RefreshTokenReuseException"), &error.to_string());
            }
            if let Some(real) = seen.real.get(&sent) {
                body[field] = json!(real);
            }
        }
        let answer = upstream.post(
            &operation,
            &[("Content-Type", content_type), ("X-Amz-Target", target)],
            &body.to_string(),
        );
        let mut text = String::from_utf8(answer.body).unwrap();
        if operation == "GetTokensFromRefreshToken" && answer.status == 200 {
            let mut result: Value = serde_json::from_str(&text).unwrap();
            let rotated = format!("rotated-{}", seen.real.len() + 1);
            let real = body["RefreshToken"].as_str().unwrap().to_owned();
            seen.real.insert(rotated.clone(), real);
            result["AuthenticationResult"]["RefreshToken"] = json!(rotated);
            text = result.to_string();
        }
        (answer.status, answer.error_type, text)
    };
    respond(status, error_type.as_deref(), &answer)
}

fn respond(status: u16, error_type: Option<&str>, body: &str) -> Response {
    let response = Response::new(status, body);
    match error_type {
        Some(kind) => response.with_header("x-amzn-ErrorType", kind),
        None => response,
    }
}

// ---- the pool ----

/// A MiniStack pool with the confirmed user alice and an app client with a secret, reached
/// through a [`CountingProxy`]; the client secret goes to the tool through
/// `$COGNITO_CLIENT_SECRET`.
struct Fixture {
    proxy: CountingProxy,
    pool_id: String,
    client_id: String,
    secret: String,
    dir: PathBuf,
    // Last: stopped after the proxy.
    server: ministack::MiniStack,
}

impl Fixture {
    /// `token_seconds`: the lifetime of access and ID tokens (`None`: MiniStack's one hour).
    fn start(name: &str, token_seconds: Option<u64>) -> Self {
        let server = ministack::MiniStack::start();
        let idp = server.cognito();
        let pool_id = idp.create_user_pool(name, Value::Null);
        let mut body = json!({
            "ClientName": name,
            "GenerateSecret": true,
            "ExplicitAuthFlows": DEFAULT_AUTH_FLOWS,
        });
        if let Some(seconds) = token_seconds {
            body["AccessTokenValidity"] = json!(seconds);
            body["IdTokenValidity"] = json!(seconds);
            body["TokenValidityUnits"] = json!({"AccessToken": "seconds", "IdToken": "seconds"});
        }
        let client = idp.create_app_client_with(&pool_id, body);
        idp.create_confirmed_user(&pool_id, "alice", PASSWORD, &[]);
        let secret = client.client_secret.unwrap();
        let proxy = CountingProxy::start(server.endpoint(), &secret);
        Self {
            proxy,
            pool_id,
            client_id: client.client_id,
            secret,
            dir: scratch(&format!("session-file-{name}")),
            server,
        }
    }

    /// `cognito-auth COMMAND --user-pool-id .. --client-id .. --endpoint PROXY EXTRA...`.
    fn args(&self, command: &[&str], extra: &[&str]) -> Vec<String> {
        let endpoint = self.proxy.endpoint();
        let pool = [
            "--user-pool-id",
            self.pool_id.as_str(),
            "--client-id",
            self.client_id.as_str(),
            "--endpoint",
            endpoint.as_str(),
        ];
        command
            .iter()
            .chain(&pool)
            .chain(extra)
            .map(|s| (*s).to_owned())
            .collect()
    }

    fn run(&self, command: &[&str], extra: &[&str]) -> Run {
        run(
            &self.args(command, extra),
            &[("COGNITO_CLIENT_SECRET", self.secret.as_str())],
            None,
        )
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Signs alice in with `--session-file PATH`: the tokens printed.
    fn sign_in(&self, path: &Path) -> Value {
        let done = run(
            &self.args(
                &["sign-in"],
                &[
                    "--username",
                    "alice",
                    "--password-stdin",
                    "--session-file",
                    path.to_str().unwrap(),
                ],
            ),
            &[("COGNITO_CLIENT_SECRET", self.secret.as_str())],
            Some(&format!("{PASSWORD}\n")),
        );
        assert_eq!(done.code, 0, "sign-in: {}", done.stderr());
        let tokens = json_of(&done);
        assert_no_token_in_stderr(&done, &tokens);
        tokens
    }

    /// `tokens --session-file PATH EXTRA...`.
    fn tokens(&self, path: &Path, extra: &[&str]) -> Run {
        let args = [&["--session-file", path.to_str().unwrap()][..], extra].concat();
        self.run(&["tokens"], &args)
    }

    /// GetUser with `access_token`, straight to MiniStack: `Ok` or the error's `__type` and
    /// message.
    fn get_user(&self, access_token: &str) -> Result<(), String> {
        let (status, body) = self
            .server
            .cognito()
            .call("GetUser", json!({"AccessToken": access_token}));
        if status == 200 {
            Ok(())
        } else {
            Err(format!("{} {}", body["__type"], body["message"]))
        }
    }
}

fn json_of(done: &Run) -> Value {
    serde_json::from_str(&done.stdout()).unwrap_or_else(|e| {
        panic!(
            "JSON on stdout ({e}): {} / {}",
            done.stdout(),
            done.stderr()
        )
    })
}

/// No token value of `tokens` appears in the run's stderr.
fn assert_no_token_in_stderr(done: &Run, tokens: &Value) {
    let stderr = done.stderr();
    for name in ["AccessToken", "IdToken", "RefreshToken"] {
        if let Some(token) = tokens[name].as_str() {
            assert!(!stderr.contains(token), "{name} in stderr: {stderr}");
        }
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn lock_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Sleeps until `seconds` have passed since `since`.
fn wait_until(since: Instant, seconds: u64) {
    let deadline = since + Duration::from_secs(seconds);
    if let Some(left) = deadline.checked_duration_since(Instant::now()) {
        std::thread::sleep(left);
    }
}

// ---- the tests ----

/// Token lifetime of the refreshing tests: the margin is then at most 6 s, so the tokens are
/// fresh for about 6 s after they arrive and due for a refresh after that.
const SHORT_LIFETIME: u64 = 12;

#[test]
fn sign_in_stores_a_private_session_and_five_processes_refresh_it_once_with_rotation() {
    let pool = Fixture::start("refresh-once", Some(SHORT_LIFETIME));
    let path = pool.path("session");
    let first = pool.sign_in(&path);
    // After the tokens arrived: waits counted from here are at least that long for them.
    let signed_in_at = Instant::now();

    // Stored private, in the core's storage form, atomically (no temporary file left).
    assert_eq!(mode(&path), 0o600, "the session file is private");
    let stored = std::fs::read_to_string(&path).unwrap();
    assert!(stored.starts_with("cognito-auth-session.v1."), "{stored}");
    let mut names: Vec<_> = std::fs::read_dir(&pool.dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["session", "session.lock"]);

    // Fresh: the stored tokens as they are, no request, the file untouched.
    let done = pool.tokens(&path, &[]);
    assert_eq!(done.code, 0, "{}", done.stderr());
    let tokens = json_of(&done);
    let mut keys: Vec<_> = tokens.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["AccessToken", "ExpiresIn", "IdToken", "RefreshToken"]
    );
    for name in ["AccessToken", "IdToken", "RefreshToken"] {
        assert_eq!(tokens[name], first[name], "{name}");
    }
    assert!(
        (1..=SHORT_LIFETIME).contains(&tokens["ExpiresIn"].as_u64().unwrap()),
        "{tokens}"
    );
    assert_no_token_in_stderr(&done, &tokens);
    assert_eq!(pool.proxy.refreshes(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), stored);

    // A copy of the session as it is before any refresh (its refresh token will be rotated out).
    let stale = pool.path("stale");
    std::fs::copy(&path, &stale).unwrap();

    // Past half the lifetime: five processes at once, each asking for 100 s of validity. The
    // first to get the lock refreshes and stores; the others then find fresh tokens.
    wait_until(signed_in_at, SHORT_LIFETIME / 2 + 1);
    let runs: Vec<Run> = (0..5)
        .map(|_| {
            let args = pool.args(
                &["tokens"],
                &[
                    "--session-file",
                    path.to_str().unwrap(),
                    "--min-valid",
                    "100",
                ],
            );
            let secret = pool.secret.clone();
            std::thread::spawn(move || run(&args, &[("COGNITO_CLIENT_SECRET", &secret)], None))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect();
    let first_round_done = Instant::now();
    let (refreshes, reused) = (pool.proxy.refreshes(), pool.proxy.reused());
    eprintln!(
        "five concurrent `tokens` processes sent {refreshes} refresh request(s), {reused} with a \
         rotated-out refresh token"
    );
    assert_eq!(
        (refreshes, reused),
        (1, 0),
        "one refresh for five processes"
    );
    let mut refreshed_by = 0;
    for done in &runs {
        assert_eq!(done.code, 0, "{}", done.stderr());
        let tokens = json_of(done);
        assert_no_token_in_stderr(done, &tokens);
        assert_no_token_in_stderr(done, &first);
        assert_ne!(tokens["AccessToken"], first["AccessToken"], "refreshed");
        assert_eq!(tokens["AccessToken"], json_of(&runs[0])["AccessToken"]);
        // The proxy rotated the refresh token; everyone has the new one.
        assert_eq!(tokens["RefreshToken"], "rotated-1");
        refreshed_by += usize::from(done.stderr().contains("Tokens refreshed"));
    }
    assert_eq!(refreshed_by, 1, "one process says it refreshed");
    let rewritten = std::fs::read_to_string(&path).unwrap();
    assert_ne!(rewritten, stored, "the refreshed session is stored");
    assert_eq!(mode(&path), 0o600, "still private after the rewrite");

    // The refreshed access token is a real one.
    let access = json_of(&runs[0])["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(pool.get_user(&access), Ok(()));

    // The next refresh sends the rotated refresh token, never the old one.
    wait_until(first_round_done, SHORT_LIFETIME / 2 + 1);
    let done = pool.tokens(&path, &["--min-valid", "100"]);
    assert_eq!(done.code, 0, "{}", done.stderr());
    let second = json_of(&done);
    assert_eq!(second["RefreshToken"], "rotated-2");
    assert_ne!(second["AccessToken"], access.as_str());
    assert_eq!((pool.proxy.refreshes(), pool.proxy.reused()), (2, 0));

    // The stale copy still holds the first refresh token, rotated out: Cognito's answer ends
    // that session, exit 1 with the reason, and its file is removed.
    let done = pool.tokens(&stale, &[]);
    assert_eq!(done.code, 1, "{}", done.stderr());
    assert!(
        done.stderr()
            .contains("the session has ended: the refresh token was already used (rotation)"),
        "{}",
        done.stderr()
    );
    assert_no_token_in_stderr(&done, &first);
    assert_eq!(pool.proxy.reused(), 1);
    assert!(!stale.exists() && !lock_of(&stale).exists());
    assert!(path.exists(), "the live session is untouched");
}

#[test]
fn sign_out_removes_the_file_and_revoke_and_global_end_the_tokens_at_cognito() {
    let pool = Fixture::start("sign-out", None);
    let (local, revoked, global) = (
        pool.path("local"),
        pool.path("revoked"),
        pool.path("global"),
    );
    let local_tokens = pool.sign_in(&local);
    let revoked_tokens = pool.sign_in(&revoked);
    let global_tokens = pool.sign_in(&global);
    let file = |path: &Path| path.to_str().unwrap().to_owned();

    // Usage: the kinds exclude each other and need a session file.
    for bad in [
        &["--session-file", &file(&local), "--global", "--revoke"][..],
        &["--global"],
        &["--revoke", "--access-token-stdin"],
        &[],
    ] {
        let done = pool.run(&["sign-out"], bad);
        assert_eq!(done.code, 2, "{bad:?}: {}", done.stderr());
    }
    assert!(local.exists(), "nothing removed by a usage error");

    // Local: no request, the file and its lock file gone, the tokens still valid at Cognito.
    let done = pool.run(&["sign-out"], &["--session-file", &file(&local)]);
    assert_eq!(done.code, 0, "{}", done.stderr());
    assert!(done.stdout.is_empty());
    assert!(
        done.stderr().contains("Signed out on this device"),
        "{}",
        done.stderr()
    );
    assert!(!local.exists() && !lock_of(&local).exists());
    assert_eq!(
        pool.get_user(local_tokens["AccessToken"].as_str().unwrap()),
        Ok(())
    );
    let done = pool.tokens(&local, &[]);
    assert_eq!(done.code, 2, "{}", done.stderr());
    assert!(done.stderr().contains("no session in"), "{}", done.stderr());
    assert!(
        !lock_of(&local).exists(),
        "no lock file left for a missing session"
    );
    let done = pool.run(&["sign-out"], &["--session-file", &file(&local)]);
    assert_eq!(done.code, 2, "signing out twice: {}", done.stderr());

    // Revoke: the refresh token and its access tokens are refused; other sessions go on.
    let done = pool.run(
        &["sign-out"],
        &["--session-file", &file(&revoked), "--revoke"],
    );
    assert_eq!(done.code, 0, "{}", done.stderr());
    assert_no_token_in_stderr(&done, &revoked_tokens);
    assert!(!revoked.exists() && !lock_of(&revoked).exists());
    let refused = pool
        .get_user(revoked_tokens["AccessToken"].as_str().unwrap())
        .unwrap_err();
    assert!(refused.contains("NotAuthorizedException"), "{refused}");
    assert_eq!(
        pool.get_user(global_tokens["AccessToken"].as_str().unwrap()),
        Ok(())
    );

    // Global: every token of the user is refused, also those of the local sign-out.
    let done = pool.run(
        &["sign-out"],
        &["--session-file", &file(&global), "--global"],
    );
    assert_eq!(done.code, 0, "{}", done.stderr());
    assert_no_token_in_stderr(&done, &global_tokens);
    assert!(!global.exists() && !lock_of(&global).exists());
    for tokens in [&global_tokens, &local_tokens] {
        let refused = pool
            .get_user(tokens["AccessToken"].as_str().unwrap())
            .unwrap_err();
        assert!(refused.contains("NotAuthorizedException"), "{refused}");
    }
}

#[test]
fn unusable_session_files_exit_2_with_a_clear_message_and_no_secret() {
    let pool = Fixture::start("bad-files", None);
    let path = pool.path("session");
    let tokens = pool.sign_in(&path);
    let stored = std::fs::read_to_string(&path).unwrap();
    let write = |text: &str, mode: u32| tool::write_file(&path, text, mode);
    let expect_2 = |done: &Run, needle: &str| {
        assert_eq!(done.code, 2, "{}", done.stderr());
        assert!(done.stdout.is_empty(), "{}", done.stdout());
        let stderr = done.stderr();
        assert!(stderr.contains(needle), "{needle:?} in {stderr}");
        assert_no_token_in_stderr(done, &tokens);
        assert!(
            !stderr.contains(stored.trim()),
            "the stored text in stderr: {stderr}"
        );
    };

    // Another app client of the same pool: refused, the file left alone.
    let other = pool
        .server
        .cognito()
        .create_app_client(&pool.pool_id, "other", false);
    let mut args = pool.args(&["tokens"], &["--session-file", path.to_str().unwrap()]);
    let client_at = args.iter().position(|a| a == "--client-id").unwrap() + 1;
    args[client_at] = other.client_id;
    let done = run(&args, &[], None);
    expect_2(&done, "another user pool or app client");
    assert!(done.stderr().contains("--client-id"), "{}", done.stderr());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), stored);

    // An edited payload (one character of the JSON part changed), a truncated file, not a
    // session at all.
    let payload_at = "cognito-auth-session.v1.".len() + 40;
    let mut edited = stored.clone().into_bytes();
    edited[payload_at] = if edited[payload_at] == b'A' {
        b'B'
    } else {
        b'A'
    };
    write(&String::from_utf8(edited).unwrap(), 0o600);
    expect_2(&pool.tokens(&path, &[]), "damaged");
    write(&stored[..stored.len() / 2], 0o600);
    expect_2(&pool.tokens(&path, &[]), "damaged");
    write("hello\n", 0o600);
    expect_2(
        &pool.tokens(&path, &[]),
        "not a stored cognito-auth session",
    );
    expect_2(
        &pool.run(
            &["sign-out"],
            &["--session-file", path.to_str().unwrap(), "--revoke"],
        ),
        "not a stored cognito-auth session",
    );
    assert!(path.exists(), "an unusable file is not removed by sign-out");

    // Readable by others: refused, with the fix.
    write(&stored, 0o644);
    expect_2(&pool.tokens(&path, &[]), "chmod 600");

    // Missing.
    std::fs::remove_file(&path).unwrap();
    expect_2(&pool.tokens(&path, &[]), "sign in first");

    // The good file again: works.
    write(&stored, 0o600);
    let done = pool.tokens(&path, &[]);
    assert_eq!(done.code, 0, "{}", done.stderr());
    assert_eq!(json_of(&done)["AccessToken"], tokens["AccessToken"]);
}

#[test]
fn refused_refreshes_exit_1_with_the_reason_and_remove_the_file_only_when_final() {
    let pool = Fixture::start("revoked", Some(4));
    let (path, copy) = (pool.path("session"), pool.path("copy"));
    let tokens = pool.sign_in(&path);
    let signed_in_at = Instant::now();
    std::fs::copy(&path, &copy).unwrap();
    let done = pool.run(
        &["sign-out"],
        &["--session-file", path.to_str().unwrap(), "--revoke"],
    );
    assert_eq!(done.code, 0, "{}", done.stderr());

    // The copy still holds the revoked refresh token; once a refresh is due, Cognito refuses it.
    wait_until(signed_in_at, 3);

    // But first a wrong client secret: a plain NotAuthorizedException, which may be this
    // call's fault, so the file is kept.
    let mut args = pool.args(&["tokens"], &["--session-file", copy.to_str().unwrap()]);
    args.push("--client-secret-file".into());
    let wrong_secret = pool.path("wrong-secret");
    tool::write_file(&wrong_secret, "not-the-secret\n", 0o600);
    args.push(wrong_secret.to_str().unwrap().into());
    let done = run(&args, &[], None);
    assert_eq!(done.code, 1, "{}", done.stderr());
    let stderr = done.stderr();
    assert!(
        stderr.contains("Cognito refused the refresh token") && stderr.contains("kept"),
        "{stderr}"
    );
    assert_no_token_in_stderr(&done, &tokens);
    assert!(
        copy.exists(),
        "kept after a refusal that may be the caller's fault"
    );

    let done = pool.tokens(&copy, &[]);
    assert_eq!(done.code, 1, "{}", done.stderr());
    assert!(done.stdout.is_empty(), "{}", done.stdout());
    let stderr = done.stderr();
    assert!(
        stderr.contains("the session has ended: the refresh token has been revoked"),
        "{stderr}"
    );
    assert_no_token_in_stderr(&done, &tokens);
    assert_eq!(pool.proxy.refreshes(), 2);
    assert!(
        !copy.exists() && !lock_of(&copy).exists(),
        "an ended session's file is removed"
    );
    let done = pool.tokens(&copy, &[]);
    assert_eq!(done.code, 2, "{}", done.stderr());
}

#[test]
fn help_states_the_session_file_contract() {
    let help = |args: &[&str]| {
        let done = run(args, &[], None);
        assert_eq!(done.code, 0, "{args:?}: {}", done.stderr());
        done.stdout()
    };
    let tokens = help(&["tokens", "--help"]);
    for needle in [
        "--session-file <PATH>",
        "--min-valid <SECONDS>",
        "IdToken, AccessToken, RefreshToken, ExpiresIn",
        "FILE.lock",
        "half the tokens' lifetime",
        "the file is removed",
        "keeps the file",
    ] {
        assert!(tokens.contains(needle), "{needle:?} in {tokens}");
    }
    let sign_out = help(&["sign-out", "--help"]);
    for needle in [
        "--session-file <PATH>",
        "--global",
        "--revoke",
        "RevokeToken",
    ] {
        assert!(sign_out.contains(needle), "{needle:?} in {sign_out}");
    }
    assert!(help(&["sign-in", "--help"]).contains("--session-file <PATH>"));
    // `tokens` needs the file (and the pool options).
    let done = run(
        &[
            "tokens",
            "--user-pool-id",
            "us-east-1_Abc123XyZ",
            "--client-id",
            "c",
        ],
        &[],
        None,
    );
    assert_eq!(done.code, 2, "{}", done.stderr());
}
