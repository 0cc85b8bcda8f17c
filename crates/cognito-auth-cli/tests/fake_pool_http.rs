//! The `cognito-auth` binary against the test kit's fake user pool (`cognito_auth_testkit::fake_pool`:
//! server-side SRP, device SRP, TOTP with its own RFC 6238) served over real
//! HTTP on 127.0.0.1, for what MiniStack cannot do:
//!
//! * `--device-file` end to end: written after the first sign-in (`ConfirmDevice`, then
//!   `UpdateDeviceStatus` for a pool that asks the user), reused to skip MFA through
//!   `DEVICE_SRP_AUTH`, and replaced when Cognito no longer knows the device. MiniStack and moto
//!   do not implement device tracking (see the core's `tests/ministack_account_tokens.rs`).
//! * The interactive re-prompt after a refused answer: a wrong TOTP code typed at a terminal,
//!   then the right one. The terminal is a pseudo-terminal made by util-linux `script`, since
//!   the tool prompts (and retries) only when stdin is a terminal.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::fake_pool;
#[path = "support/tool.rs"]
mod tool;

extern crate alloc;

use alloc::sync::Arc;
use core::time::Duration;
use std::io::{Read as _, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use cognito_auth_core::totp::{Totp, TotpSecret};
use cognito_auth_core::{Operation, UnixTime};
use cognito_auth_testkit::scripted_server::{Response, ScriptedServer};
use fake_pool::{DeviceTracking, Exchange, FakePool};
use serde_json::Value;
use tool::{Run, TOOL_ENVIRONMENT, run, scratch};

const POOL: &str = "eu-west-1_CliFakePool";
const CLIENT: &str = "clifakeclient0123456789ab";
const PASSWORD: &str = "Correct-Horse-9!";

fn now() -> UnixTime {
    UnixTime::from_secs(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

// ---- the fake pool over HTTP ----

/// A [`FakePool`] answering HTTP/1.1 on 127.0.0.1 through the test kit's [`ScriptedServer`],
/// one request per connection (`Connection: close`), its clock set to the real time at each
/// request (HTTP 400 for an unknown target). Stops when dropped.
struct HttpPool {
    pool: Arc<Mutex<FakePool>>,
    server: ScriptedServer,
}

impl HttpPool {
    fn start(pool: FakePool) -> Self {
        let pool = Arc::new(Mutex::new(pool));
        let server = {
            let pool = Arc::clone(&pool);
            ScriptedServer::start(move |request| {
                let target = request.target().unwrap_or("");
                match Operation::ALL.iter().find(|o| o.target() == target) {
                    Some(&operation) => {
                        let mut pool = pool.lock().unwrap();
                        pool.now = now();
                        let response = pool.handle_body(operation, request.json());
                        Response::new(response.status, response.body)
                    }
                    None => Response::new(400, r#"{"__type":"UnknownOperationException"}"#),
                }
            })
        };
        Self { pool, server }
    }

    fn pool(&self) -> MutexGuard<'_, FakePool> {
        self.pool.lock().unwrap()
    }

    /// `--user-pool-id`, `--client-id` and `--endpoint` for this pool.
    fn args(&self) -> Vec<String> {
        [
            "--user-pool-id",
            POOL,
            "--client-id",
            CLIENT,
            "--endpoint",
            &self.server.url(),
        ]
        .map(String::from)
        .to_vec()
    }

    /// The exchanges from `from` on, as `Operation[:ChallengeName][ -> error]`.
    fn summary(&self, from: usize) -> Vec<String> {
        self.pool().log[from..]
            .iter()
            .map(Exchange::summary)
            .collect()
    }

    fn log_len(&self) -> usize {
        self.pool().log.len()
    }
}

// ---- running the tool ----

fn access_token(run: &Run) -> String {
    let tokens: Value = serde_json::from_str(&run.stdout())
        .unwrap_or_else(|e| panic!("tokens on stdout ({e}): {}", run.stdout()));
    tokens["AccessToken"].as_str().unwrap().to_owned()
}

/// The device file's `DeviceKey`, asserting the file is private (0600).
fn stored_key(path: &Path) -> String {
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{} is stored private", path.display());
    let device: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for member in ["DeviceKey", "DeviceGroupKey", "DevicePassword"] {
        assert!(device[member].is_string(), "{member}: {device}");
    }
    device["DeviceKey"].as_str().unwrap().to_owned()
}

/// A pool whose user alice has TOTP MFA, tracking devices as `tracking`.
fn pool_with_totp_user(tracking: DeviceTracking) -> (FakePool, TotpSecret) {
    let mut pool = FakePool::new(POOL, CLIENT, now());
    pool.device_tracking = tracking;
    let alice = pool.add_user("alice", PASSWORD);
    let secret = TotpSecret::from_bytes(&[0x5a; 20]).unwrap();
    pool.users[alice].totp = Some(secret.clone());
    (pool, secret)
}

// ---- --device-file ----

#[test]
fn device_file_is_written_reused_and_replaced() {
    let (pool, secret) = pool_with_totp_user(DeviceTracking::UserOptIn);
    let server = HttpPool::start(pool);
    let dir = scratch("fake-pool-device-file");
    let path = dir.join("device.json");
    let mut args: Vec<String> = vec!["sign-in".into()];
    args.extend(server.args());
    args.extend(
        [
            "--username",
            "alice",
            "--password-stdin",
            "--device-file",
            path.to_str().unwrap(),
        ]
        .map(String::from),
    );
    let base32 = String::from(secret.to_base32().expose());
    let with_totp = [("COGNITO_TOTP_SECRET", base32.as_str())];
    let stdin = format!("{PASSWORD}\n");

    // 1. No file yet: MFA, then the new device is confirmed, marked remembered (the pool asks
    //    the user) and written.
    let from = server.log_len();
    let first = run(&args, &with_totp, Some(&stdin));
    assert_eq!(first.code, 0, "{}", first.stderr());
    access_token(&first);
    let key = stored_key(&path);
    assert_eq!(
        server.summary(from),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
            "ConfirmDevice",
            "UpdateDeviceStatus",
        ]
    );
    {
        let pool = server.pool();
        let devices = &pool.users[0].devices;
        assert_eq!(devices.len(), 1);
        assert_eq!(devices[0].key, key);
        assert!(devices[0].is_confirmed() && devices[0].remembered);
        assert_eq!(devices[0].name.as_deref(), Some("cognito-auth"));
    }
    assert!(
        first.stderr().contains("remembered in"),
        "{}",
        first.stderr()
    );
    let written = std::fs::read(&path).unwrap();

    // 2. The file is reused: device SRP, no MFA (no TOTP secret is given), the file unchanged.
    let from = server.log_len();
    let second = run(&args, &[], Some(&stdin));
    assert_eq!(second.code, 0, "{}", second.stderr());
    access_token(&second);
    assert_eq!(
        server.summary(from),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:DEVICE_SRP_AUTH",
            "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
        ]
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        written,
        "the file is kept as is"
    );

    // 3. Cognito forgot the device: the sign-in restarts without it, with MFA, and the file is
    //    replaced by the new device. The code is typed (the next stdin line): the next time
    //    step's, since the pool refuses the one the first sign-in used.
    server.pool().forget_device(&key);
    let from = server.log_len();
    let next_step = UnixTime::from_secs(now().as_secs() + 30);
    let code = Totp::COGNITO.code(&secret, next_step).unwrap();
    let third = run(
        &args,
        &[],
        Some(&format!("{PASSWORD}\n{}\n", code.as_str())),
    );
    assert_eq!(third.code, 0, "{}", third.stderr());
    access_token(&third);
    assert!(
        third.stderr().contains("no longer exists"),
        "{}",
        third.stderr()
    );
    // Cognito refuses the unknown DEVICE_KEY in the PASSWORD_VERIFIER answer.
    assert_eq!(
        server.summary(from),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER -> ResourceNotFoundException",
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
            "ConfirmDevice",
            "UpdateDeviceStatus",
        ]
    );
    let new_key = stored_key(&path);
    assert_ne!(new_key, key);
    {
        let pool = server.pool();
        let devices = &pool.users[0].devices;
        assert_eq!(devices.len(), 1);
        assert_eq!(devices[0].key, new_key);
        assert!(devices[0].remembered);
    }

    // 4. And the replacement is reused.
    let from = server.log_len();
    let fourth = run(&args, &[], Some(&stdin));
    assert_eq!(fourth.code, 0, "{}", fourth.stderr());
    assert!(
        server
            .summary(from)
            .contains(&"RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER".to_owned()),
        "{:?}",
        server.summary(from)
    );
    assert_eq!(stored_key(&path), new_key);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- the interactive re-prompt ----

/// A child whose output a thread collects.
struct Terminal {
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl Terminal {
    /// `cognito-auth ARGS` on a pseudo-terminal (`script -q -e -c COMMAND /dev/null`): its
    /// stdin, stdout, stderr and controlling terminal are the terminal; what this process
    /// writes is typed there, and what the tool prints comes back merged.
    fn start(args: &[String]) -> Self {
        let command: Vec<String> = core::iter::once(env!("CARGO_BIN_EXE_cognito-auth"))
            .chain(args.iter().map(String::as_str))
            .map(|arg| {
                assert!(
                    arg.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_./:".contains(&b)),
                    "{arg:?} needs no quoting"
                );
                arg.to_owned()
            })
            .collect();
        let mut script = Command::new("script");
        script.args(["-q", "-e", "-c", &command.join(" "), "/dev/null"]);
        for name in TOOL_ENVIRONMENT {
            script.env_remove(name);
        }
        let mut child = script
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("util-linux script runs");
        let output = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let output = Arc::clone(&output);
            let mut stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                let mut buffer = [0; 512];
                while let Ok(read) = stdout.read(&mut buffer) {
                    if read == 0 {
                        break;
                    }
                    output.lock().unwrap().extend_from_slice(&buffer[..read]);
                }
            })
        };
        Self {
            child,
            output,
            reader: Some(reader),
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits until `needle` has been printed `times` times (at most 20 s).
    fn wait_for(&self, needle: &str, times: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.text().matches(needle).count() < times {
            assert!(
                Instant::now() < deadline,
                "waited for {needle:?} x{times}; the terminal shows: {:?}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn type_line(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// The exit code, once the tool has ended (at most 20 s), and everything it printed.
    fn finish(mut self) -> (i32, String) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the tool did not end; it shows: {:?}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        drop(self.child.stdin.take());
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        (status.code().expect("exited"), self.text())
    }
}

#[test]
fn a_refused_totp_code_is_asked_again_at_the_terminal() {
    let (pool, secret) = pool_with_totp_user(DeviceTracking::Off);
    let server = HttpPool::start(pool);
    let mut args: Vec<String> = vec!["sign-in".into()];
    args.extend(server.args());
    args.extend(["--username", "alice"].map(String::from));

    let mut terminal = Terminal::start(&args);
    terminal.wait_for("Password: ", 1);
    terminal.type_line(PASSWORD);
    terminal.wait_for("Authenticator code: ", 1);
    let right = String::from(Totp::COGNITO.code(&secret, now()).unwrap().as_str());
    // Not the code of any step the pool accepts now.
    let accepted: Vec<String> = [-30_i64, 0, 30, 60]
        .iter()
        .map(|offset| {
            let at = UnixTime::from_secs(now().as_secs().checked_add_signed(*offset).unwrap());
            String::from(Totp::COGNITO.code(&secret, at).unwrap().as_str())
        })
        .collect();
    let wrong = (0..1_000_000_u32)
        .map(|n| format!("{:06}", (n * 7919) % 1_000_000))
        .find(|code| !accepted.contains(code))
        .unwrap();
    terminal.type_line(&wrong);
    terminal.wait_for("Try again.", 1);
    terminal.wait_for("Authenticator code: ", 2);
    terminal.type_line(&right);
    let (code, shown) = terminal.finish();

    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.lines().any(|line| line.starts_with("Refused: ")
            && line.contains("CodeMismatchException")
            && line.ends_with("Try again.")),
        "{shown}"
    );
    assert!(shown.contains("Signed in."), "{shown}");
    assert!(shown.contains("\"AccessToken\""), "{shown}");
    assert_eq!(
        server.summary(0),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA -> CodeMismatchException",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
        ]
    );
}
