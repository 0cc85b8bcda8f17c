//! MiniStack (the PyPI package `ministack`, pinned to [`VERSION`]) as a child process: a local
//! Cognito user pool that really verifies SRP proofs, `SECRET_HASH` and TOTP codes.
//!
//! ```ignore
//! #[path = "support/cognito_idp.rs"]
//! mod cognito_idp;
//! #[path = "support/ministack.rs"]
//! mod ministack;
//!
//! let server = ministack::MiniStack::start(); // panics with the install command if missing
//! let idp = server.cognito();                  // a cognito_idp::CognitoIdp for this server
//! let pool_id = idp.create_user_pool("pool", serde_json::Value::Null);
//! // ... the process is stopped when `server` is dropped, also when the test panics.
//! ```
//!
//! **Where the executable comes from:** `$MINISTACK_BIN` if set, else the virtualenv that CI
//! creates (`~/.cache/cognito-auth/ministack-1.5.33/bin/ministack`), else `ministack` on `PATH`.
//! A missing or different-version MiniStack fails the test; it never skips.
//!
//! **Isolation:** each server gets a free port on 127.0.0.1 (`BIND_HOST`; MiniStack's default
//! is 0.0.0.0), its own state and temp directory, `AUTH=true`, and the listeners MiniStack would
//! open on other ports (IoT mTLS on 8883, SFTP) turned off. Only the Cognito services are
//! enabled, and `DOCKER_HOST` points at a socket that does not exist.
//!
//! **Stopping:** MiniStack runs under a small `sh` guard in its own process group. The guard
//! reads its stdin, a pipe whose only writer is this process: when [`MiniStack`] is dropped (on
//! success or during a panic) **or this test process dies** (even by `SIGKILL`), the pipe
//! closes and the guard sends MiniStack `SIGTERM`. `Drop` waits for that, bounded, and then
//! kills the whole process group.
#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

use core::net::Ipv4Addr;
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use std::fs::{self, File};
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Instant;

use crate::cognito_idp::CognitoIdp;

/// The MiniStack release these tests are written against.
pub const VERSION: &str = "1.5.33";

/// What to run when MiniStack is missing.
pub const INSTALL_HINT: &str = "run `bash scripts/ensure-tool.sh ministack` (it installs \
    ministack==1.5.33 into ~/.cache/cognito-auth/ministack-1.5.33, where the tests find it), \
    or point MINISTACK_BIN at a `ministack` 1.5.33 executable";

/// Longest wait for the health endpoint after a start.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// Pause between two health probes.
const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Timeout of one health probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Longest wait for MiniStack to exit after `SIGTERM` before the group gets `SIGKILL`.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Starts attempted when the free port was taken between probing and binding.
const START_ATTEMPTS: u32 = 3;

/// The guard: runs `"$@"` (MiniStack) in the background, a watcher that `SIGTERM`s it once
/// stdin reaches end-of-file, and exits with MiniStack's status. A background job's stdin is
/// `/dev/null`, hence the copy on fd 3.
const GUARD_SCRIPT: &str = r#"exec 3<&0
"$@" &
server=$!
( read -r _ <&3; kill -TERM "$server" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$server"
status=$?
kill -TERM "$watcher" 2>/dev/null
exit "$status"
"#;

/// Distinguishes the directories of several servers in one test process.
static INSTANCE: AtomicU32 = AtomicU32::new(0);

/// A running MiniStack, stopped on drop.
pub struct MiniStack {
    child: Child,
    /// The write end of the guard's stdin; dropping it stops MiniStack.
    lifeline: Option<ChildStdin>,
    port: u16,
    dir: PathBuf,
    cognito: CognitoIdp,
    /// Whether a panic message already carried the log (so `Drop` need not print it).
    log_shown: bool,
}

impl MiniStack {
    /// Starts MiniStack with `AUTH=true` on a free 127.0.0.1 port and waits until it answers.
    ///
    /// Panics, with the install command or the server's log, when MiniStack is missing, is not
    /// [`VERSION`], exits, or is not ready within 30 s.
    pub fn start() -> Self {
        let executable = executable();
        for attempt in 1..=START_ATTEMPTS {
            let port = free_port();
            let mut server = Self::spawn(&executable, port);
            match server.wait_until_ready() {
                Ok(()) => return server,
                Err(exited)
                    if attempt < START_ATTEMPTS && server.log().contains("already in use") =>
                {
                    eprintln!("MiniStack lost port {port} to another process ({exited}); retrying");
                }
                Err(problem) => {
                    server.log_shown = true;
                    panic!(
                        "MiniStack ({}) did not start on 127.0.0.1:{port}: {problem}\n\
                         --- last lines of {} ---\n{}",
                        executable.display(),
                        server.log_path().display(),
                        server.log_tail(40),
                    )
                }
            }
        }
        unreachable!("the last attempt returns or panics")
    }

    /// The port MiniStack listens on (127.0.0.1 only).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn endpoint(&self) -> String {
        endpoint(self.port)
    }

    /// The Cognito user-pool client for this server.
    pub fn cognito(&self) -> &CognitoIdp {
        &self.cognito
    }

    /// MiniStack's combined stdout and stderr so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The last `lines` lines of [`Self::log`].
    pub fn log_tail(&self, lines: usize) -> String {
        let log = self.log();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join("ministack.log")
    }

    fn spawn(executable: &Path, port: u16) -> Self {
        let instance = INSTANCE.fetch_add(1, Ordering::Relaxed);
        // Under the target directory, so that a run killed before `Drop` leaves nothing in /tmp.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "ministack-{}-{instance}-{port}",
            std::process::id()
        ));
        let state = dir.join("state");
        let tmp = dir.join("tmp");
        for path in [&state, &tmp] {
            fs::create_dir_all(path)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        }
        let log = File::create(dir.join("ministack.log")).unwrap_or_else(|e| {
            panic!("cannot create the MiniStack log in {}: {e}", dir.display())
        });
        let log_err = log.try_clone().expect("duplicate the log file handle");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(GUARD_SCRIPT)
            .arg("ministack-guard")
            .arg(executable)
            .env("AUTH", "true")
            .env("BIND_HOST", "127.0.0.1")
            .env("GATEWAY_PORT", port.to_string())
            .env_remove("EDGE_PORT")
            .env("SERVICES", "cognito-idp,cognito-identity")
            .env("IOT_MTLS_ENABLED", "0")
            .env("SFTP_ENABLED", "0")
            .env("PERSIST_STATE", "0")
            .env("STATE_DIR", &state)
            .env("S3_DATA_DIR", state.join("s3"))
            .env("TMPDIR", &tmp)
            .env(
                "DOCKER_HOST",
                format!("unix://{}", dir.join("no-docker.sock").display()),
            )
            .env("LOG_LEVEL", "INFO")
            .stdin(Stdio::piped())
            .stdout(log)
            .stderr(log_err)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run `sh` to start MiniStack: {e}"));
        let lifeline = child.stdin.take();
        Self {
            child,
            lifeline,
            port,
            dir,
            cognito: CognitoIdp::new(endpoint(port)),
            log_shown: false,
        }
    }

    /// Polls `GET /_ministack/health` until it answers, checking the version and `AUTH=true`.
    fn wait_until_ready(&mut self) -> Result<(), String> {
        let probe: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(PROBE_TIMEOUT))
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .build()
            .into();
        let url = format!("{}_ministack/health", self.endpoint());
        let started = Instant::now();
        let mut last_error = String::from("no probe yet");
        while started.elapsed() < READY_TIMEOUT {
            if let Some(status) = self.child.try_wait().ok().flatten() {
                return Err(format!("it exited ({status})"));
            }
            match probe.get(&url).call() {
                Ok(mut response) if response.status() == 200 => {
                    let text = response.body_mut().read_to_string().unwrap_or_default();
                    let health: serde_json::Value = serde_json::from_str(&text)
                        .map_err(|e| format!("health is not JSON ({e}): {text}"))?;
                    return check_health(&health);
                }
                Ok(response) => last_error = format!("health answered HTTP {}", response.status()),
                Err(e) => last_error = e.to_string(),
            }
            std::thread::sleep(POLL_INTERVAL);
        }
        Err(format!(
            "not ready after {READY_TIMEOUT:?} (last probe: {last_error})"
        ))
    }
}

impl Drop for MiniStack {
    fn drop(&mut self) {
        // Closing the pipe makes the guard SIGTERM MiniStack and exit once it has.
        drop(self.lifeline.take());
        let started = Instant::now();
        let mut exited = false;
        while started.elapsed() < STOP_TIMEOUT {
            if let Ok(Some(_)) = self.child.try_wait() {
                exited = true;
                break;
            }
            std::thread::sleep(POLL_INTERVAL);
        }
        if !exited {
            // The guard is not reaped yet, so its pid still names our process group.
            let group = format!("-{}", self.child.id());
            let killed = Command::new("kill")
                .args(["-KILL", "--", &group])
                .stderr(Stdio::null())
                .status();
            eprintln!(
                "MiniStack on port {} ignored SIGTERM for {STOP_TIMEOUT:?}; SIGKILL to group {group}: {killed:?}",
                self.port
            );
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() && !self.log_shown {
            eprintln!(
                "--- MiniStack log (port {}), last lines ---\n{}",
                self.port,
                self.log_tail(30)
            );
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `$MINISTACK_BIN`, the CI virtualenv, or `ministack` on `PATH`; panics with [`INSTALL_HINT`].
fn executable() -> PathBuf {
    if let Some(path) = std::env::var_os("MINISTACK_BIN") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "MINISTACK_BIN={} is not a file; {INSTALL_HINT}",
            path.display()
        );
        return path;
    }
    let venv = std::env::var_os("HOME").map(|home| {
        PathBuf::from(home).join(format!(
            ".cache/cognito-auth/ministack-{VERSION}/bin/ministack"
        ))
    });
    let on_path: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("ministack"))
                .collect()
        })
        .unwrap_or_default();
    venv.into_iter()
        .chain(on_path)
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "MiniStack {VERSION} is not installed (no `ministack` executable); {INSTALL_HINT}"
            )
        })
}

/// Checks the health document: the pinned version, authentication on.
fn check_health(health: &serde_json::Value) -> Result<(), String> {
    let version = health["version"].as_str().unwrap_or("unknown");
    if version != VERSION {
        return Err(format!(
            "it is MiniStack {version}, these tests pin {VERSION}; {INSTALL_HINT}"
        ));
    }
    if health["auth"] != "enabled" {
        return Err(format!("AUTH=true did not take effect: {health}"));
    }
    Ok(())
}

/// A port that was free on 127.0.0.1 a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0 to find a free port: {e}"));
    listener
        .local_addr()
        .expect("a bound listener has an address")
        .port()
}

fn endpoint(port: u16) -> String {
    format!("http://127.0.0.1:{port}/")
}
