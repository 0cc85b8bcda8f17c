//! moto's server (the PyPI package `moto[server,cognitoidp]`, pinned to [`VERSION`]) as a child
//! process: a local Cognito user pool that checks no SRP proof, but issues `MFA_SETUP` and
//! `SMS_MFA` challenges, which MiniStack never does.
//!
//! ```no_run
//! use cognito_auth_testkit::moto;
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
//! **Stopping:** as for MiniStack, moto runs under the `sh` guard of [`crate::emulator_process`] in its
//! own process group: when [`Moto`] is dropped (also during a panic) or this test process dies
//! (even by `SIGKILL`), the guard sends moto `SIGTERM`. `Drop` waits for that, bounded, and then
//! kills the whole process group.

use core::ops::Deref;
use core::time::Duration;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::cognito_idp::CognitoIdp;
use crate::emulator_process::{Emulator, EmulatorProcess, POLL_INTERVAL, Probe};

/// The moto release these tests are written against.
pub const VERSION: &str = "5.2.5";

/// What to run when moto is missing.
pub const INSTALL_HINT: &str = "run `bash scripts/ensure-tool.sh moto` (it creates the virtualenv \
    ~/.cache/cognito-auth/moto-5.2.5 with `moto[server,cognitoidp]==5.2.5`, found \
    automatically), or point MOTO_SERVER_BIN at a `moto_server` executable of moto 5.2.5";

/// Longest wait for `python -c 'import moto'` (the version check).
const VERSION_TIMEOUT: Duration = Duration::from_secs(30);

/// moto for [`EmulatorProcess`].
const EMULATOR: Emulator = Emulator {
    name: "moto",
    slug: "moto",
    version: VERSION,
    bin_var: "MOTO_SERVER_BIN",
    program: "moto_server",
    install_hint: INSTALL_HINT,
};

/// A running moto server, stopped on drop. Derefs to its [`EmulatorProcess`] (`port`,
/// `endpoint`, `log`, `log_tail`; the log has one line per request).
pub struct Moto {
    process: EmulatorProcess,
    cognito: CognitoIdp,
}

impl Moto {
    /// Checks the installed version, starts `moto_server` on a free 127.0.0.1 port with TOTP
    /// checks on and waits until it answers.
    ///
    /// Panics, with the install command or the server's log, when moto is missing, is not
    /// [`VERSION`], exits, or is not ready within 30 s.
    pub fn start() -> Self {
        let executable = EMULATOR.executable();
        check_version(&executable);
        let process = EmulatorProcess::start(EMULATOR, &executable, configure, probe_data);
        let cognito = CognitoIdp::new(process.endpoint());
        Self { process, cognito }
    }

    /// The Cognito user-pool client for this server.
    pub fn cognito(&self) -> &CognitoIdp {
        &self.cognito
    }
}

impl Deref for Moto {
    type Target = EmulatorProcess;

    fn deref(&self) -> &EmulatorProcess {
        &self.process
    }
}

/// `moto_server -H 127.0.0.1 -p PORT` with TOTP checks on and the default id strategies.
fn configure(command: &mut Command, port: u16, _dir: &Path) {
    command
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
        .env_remove("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY")
        .env_remove("MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY")
        .env("PYTHONUNBUFFERED", "1");
}

/// `GET /moto-api/data.json`: ready once it answers HTTP 200.
fn probe_data(agent: &ureq::Agent, endpoint: &str) -> Probe {
    match agent.get(format!("{endpoint}moto-api/data.json")).call() {
        Ok(response) if response.status() == 200 => Probe::Ready,
        Ok(response) => Probe::NotYet(format!("answered HTTP {}", response.status())),
        Err(e) => Probe::NotYet(e.to_string()),
    }
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
