//! moto's server (the PyPI package `moto[server,cognitoidp]`, pinned to [`VERSION`]) as a child
//! process: a local Cognito user pool that checks no SRP proof, but issues `MFA_SETUP` and
//! `SMS_MFA` challenges, which MiniStack never does.
//!
//! ```ignore
//! #[path = "support/cognito_idp.rs"]
//! mod cognito_idp;
//! #[path = "support/moto.rs"]
//! mod moto;
//!
//! let server = moto::Moto::start(); // panics with the install command if missing
//! let idp = server.cognito();        // a cognito_idp::CognitoIdp for this server
//! // ... the process is stopped when `server` is dropped, also when the test panics.
//! ```
//!
//! **Where the executable comes from:** `$MOTO_SERVER_BIN` if set, else the virtualenv that
//! `scripts/ensure-tool.sh moto` creates (`~/.cache/cognito-auth/moto-5.2.5/bin/moto_server`), else
//! `moto_server` on `PATH`. Its version is read with the Python interpreter its `#!` line names;
//! a missing or different-version moto fails the test; it never skips.
//!
//! **Behaviour:** each server gets a free port on 127.0.0.1 (`-H 127.0.0.1`; moto's default
//! host is also loopback, but never rely on it) and its own temp directory.
//! `MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true` is set, so moto checks TOTP codes (against its
//! single fixed secret, with no skew window; see `shared/reference/emulator.md`).
//!
//! **Stopping:** as for MiniStack, moto runs under a small `sh` guard in its own process group
//! that reads a pipe only this process writes to: when [`Moto`] is dropped (also during a
//! panic) or this test process dies (even by `SIGKILL`), the guard sends moto `SIGTERM`. `Drop`
//! waits for that, bounded, and then kills the whole process group.
#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

use core::net::Ipv4Addr;
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use std::fs::{self, File};
use std::io::Read as _;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Instant;

use crate::cognito_idp::CognitoIdp;

/// The moto release these tests are written against.
pub const VERSION: &str = "5.2.5";

/// What to run when moto is missing.
pub const INSTALL_HINT: &str = "run `bash scripts/ensure-tool.sh moto` (it creates the virtualenv \
    ~/.cache/cognito-auth/moto-5.2.5 with `moto[server,cognitoidp]==5.2.5`, found \
    automatically), or point MOTO_SERVER_BIN at a `moto_server` executable of moto 5.2.5";

/// Longest wait for the server to answer after a start.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest wait for `python -c 'import moto'` (the version check).
const VERSION_TIMEOUT: Duration = Duration::from_secs(30);
/// Pause between two probes.
const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Timeout of one readiness probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Longest wait for moto to exit after `SIGTERM` before the group gets `SIGKILL`.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Starts attempted when the free port was taken between probing and binding.
const START_ATTEMPTS: u32 = 3;

/// The guard of `ministack.rs`: runs `"$@"` in the background, a watcher that `SIGTERM`s it
/// once stdin reaches end-of-file, and exits with the server's status.
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

/// A running moto server, stopped on drop.
pub struct Moto {
    child: Child,
    /// The write end of the guard's stdin; dropping it stops moto.
    lifeline: Option<ChildStdin>,
    port: u16,
    dir: PathBuf,
    cognito: CognitoIdp,
    /// Whether a panic message already carried the log (so `Drop` need not print it).
    log_shown: bool,
}

impl Moto {
    /// Checks the installed version, starts `moto_server` on a free 127.0.0.1 port with TOTP
    /// checks on and waits until it answers.
    ///
    /// Panics, with the install command or the server's log, when moto is missing, is not
    /// [`VERSION`], exits, or is not ready within 30 s.
    pub fn start() -> Self {
        let executable = executable();
        check_version(&executable);
        for attempt in 1..=START_ATTEMPTS {
            let port = free_port();
            let mut server = Self::spawn(&executable, port);
            match server.wait_until_ready() {
                Ok(()) => return server,
                Err(exited)
                    if attempt < START_ATTEMPTS && server.log().contains("already in use") =>
                {
                    eprintln!("moto lost port {port} to another process ({exited}); retrying");
                }
                Err(problem) => {
                    server.log_shown = true;
                    panic!(
                        "moto ({}) did not start on 127.0.0.1:{port}: {problem}\n\
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

    /// The port moto listens on (127.0.0.1 only).
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

    /// moto's combined stdout and stderr so far (one line per request).
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
        self.dir.join("moto.log")
    }

    fn spawn(executable: &Path, port: u16) -> Self {
        let instance = INSTANCE.fetch_add(1, Ordering::Relaxed);
        // Under the target directory, so that a run killed before `Drop` leaves nothing in /tmp.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("moto-{}-{instance}-{port}", std::process::id()));
        let tmp = dir.join("tmp");
        fs::create_dir_all(&tmp).unwrap_or_else(|e| panic!("cannot create {}: {e}", tmp.display()));
        let log = File::create(dir.join("moto.log"))
            .unwrap_or_else(|e| panic!("cannot create the moto log in {}: {e}", dir.display()));
        let log_err = log.try_clone().expect("duplicate the log file handle");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(GUARD_SCRIPT)
            .arg("moto-guard")
            .arg(executable)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
            .env_remove("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY")
            .env_remove("MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY")
            .env("TMPDIR", &tmp)
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::piped())
            .stdout(log)
            .stderr(log_err)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run `sh` to start moto: {e}"));
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

    /// Polls `GET /moto-api/data.json` until it answers HTTP 200.
    fn wait_until_ready(&mut self) -> Result<(), String> {
        let probe: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(PROBE_TIMEOUT))
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .build()
            .into();
        let url = format!("{}moto-api/data.json", self.endpoint());
        let started = Instant::now();
        let mut last_error = String::from("no probe yet");
        while started.elapsed() < READY_TIMEOUT {
            if let Some(status) = self.child.try_wait().ok().flatten() {
                return Err(format!("it exited ({status})"));
            }
            match probe.get(&url).call() {
                Ok(response) if response.status() == 200 => return Ok(()),
                Ok(response) => last_error = format!("answered HTTP {}", response.status()),
                Err(e) => last_error = e.to_string(),
            }
            std::thread::sleep(POLL_INTERVAL);
        }
        Err(format!(
            "not ready after {READY_TIMEOUT:?} (last probe: {last_error})"
        ))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        // Closing the pipe makes the guard SIGTERM moto and exit once it has.
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
                "moto on port {} ignored SIGTERM for {STOP_TIMEOUT:?}; SIGKILL to group {group}: {killed:?}",
                self.port
            );
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() && !self.log_shown {
            eprintln!(
                "--- moto log (port {}), last lines ---\n{}",
                self.port,
                self.log_tail(30)
            );
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `$MOTO_SERVER_BIN`, the `ensure-tool.sh moto` virtualenv, or `moto_server` on `PATH`; panics
/// with [`INSTALL_HINT`].
fn executable() -> PathBuf {
    if let Some(path) = std::env::var_os("MOTO_SERVER_BIN") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "MOTO_SERVER_BIN={} is not a file; {INSTALL_HINT}",
            path.display()
        );
        return path;
    }
    let venv = std::env::var_os("HOME").map(|home| {
        PathBuf::from(home).join(format!(
            ".cache/cognito-auth/moto-{VERSION}/bin/moto_server"
        ))
    });
    let on_path: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("moto_server"))
                .collect()
        })
        .unwrap_or_default();
    venv.into_iter()
        .chain(on_path)
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!("moto {VERSION} is not installed (no `moto_server` executable); {INSTALL_HINT}")
        })
}

/// Asks the interpreter named by the executable's `#!` line for `moto.__version__` (bounded)
/// and panics unless it is [`VERSION`]. moto's server has no version endpoint or flag.
fn check_version(executable: &Path) {
    let script = fs::read(executable)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}; {INSTALL_HINT}", executable.display()));
    let first_line = script.split(|&b| b == b'\n').next().unwrap_or_default();
    let shebang = String::from_utf8_lossy(first_line);
    let interpreter = shebang
        .strip_prefix("#!")
        .map(str::trim)
        .filter(|line| line.contains("python"))
        .and_then(|line| line.split_whitespace().next())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!(
                "{} is not a Python entry point (first line {shebang:?}), so its moto version \
                 cannot be checked; {INSTALL_HINT}",
                executable.display()
            )
        });
    let mut child = Command::new(&interpreter)
        .args(["-c", "import moto; print(moto.__version__)"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL_HINT}", interpreter.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().ok().flatten() {
            break status;
        }
        if started.elapsed() > VERSION_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`{} -c 'import moto'` did not finish within {VERSION_TIMEOUT:?}",
                interpreter.display()
            );
        }
        std::thread::sleep(POLL_INTERVAL);
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut stdout);
    }
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    let version = stdout.trim();
    assert!(
        status.success() && version == VERSION,
        "{} runs moto {version:?} ({status}, stderr: {}), these tests pin {VERSION}; {INSTALL_HINT}",
        executable.display(),
        stderr.trim()
    );
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
