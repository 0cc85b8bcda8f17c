//! MiniStack (the PyPI package `ministack`, pinned to [`VERSION`]) as a child process: a local
//! Cognito user pool that really verifies SRP proofs, `SECRET_HASH` and TOTP codes.
//!
//! ```no_run
//! use cognito_auth_testkit::ministack;
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
//! **Stopping:** MiniStack runs under the `sh` guard of [`crate::emulator_process`] in its own process
//! group: when [`MiniStack`] is dropped (on success or during a panic) **or this test process
//! dies** (even by `SIGKILL`), the guard sends MiniStack `SIGTERM`. `Drop` waits for that,
//! bounded, and then kills the whole process group.

use core::ops::Deref;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::cognito_idp::CognitoIdp;
use crate::emulator_process::{self, Emulator, EmulatorProcess, Probe};

/// The MiniStack release these tests are written against.
pub const VERSION: &str = "1.5.33";

/// What to run when MiniStack is missing.
pub const INSTALL_HINT: &str = "run `bash scripts/ensure-tool.sh ministack` (it installs \
    ministack==1.5.33 into ~/.cache/cognito-auth/ministack-1.5.33, where the tests find it), \
    or point MINISTACK_BIN at a `ministack` 1.5.33 executable";

/// MiniStack for [`EmulatorProcess`].
const EMULATOR: Emulator = Emulator {
    name: "MiniStack",
    slug: "ministack",
    version: VERSION,
    bin_var: "MINISTACK_BIN",
    program: "ministack",
    install_hint: INSTALL_HINT,
};

/// A running MiniStack, stopped on drop. Derefs to its [`EmulatorProcess`] (`port`, `endpoint`,
/// `log`, `log_tail`).
pub struct MiniStack {
    process: EmulatorProcess,
    cognito: CognitoIdp,
}

impl MiniStack {
    /// Starts MiniStack with `AUTH=true` on a free 127.0.0.1 port and waits until it answers.
    ///
    /// Panics, with the install command or the server's log, when MiniStack is missing, is not
    /// [`VERSION`], exits, or is not ready within `emulator_process::READY_TIMEOUT`.
    pub fn start() -> Self {
        let process =
            EmulatorProcess::start(EMULATOR, &EMULATOR.executable(), configure, probe_health);
        let cognito = CognitoIdp::new(process.endpoint());
        Self { process, cognito }
    }

    /// The Cognito user-pool client for this server.
    pub fn cognito(&self) -> &CognitoIdp {
        &self.cognito
    }
}

impl Deref for MiniStack {
    type Target = EmulatorProcess;

    fn deref(&self) -> &EmulatorProcess {
        &self.process
    }
}

/// MiniStack's environment: `AUTH=true`, 127.0.0.1 and `port`, only the Cognito services, its
/// state under `dir`, no other listeners, no Docker.
fn configure(command: &mut Command, port: u16, dir: &Path) {
    let state = dir.join("state");
    fs::create_dir_all(&state).unwrap_or_else(|e| panic!("cannot create {}: {e}", state.display()));
    command
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
        .env(
            "DOCKER_HOST",
            format!("unix://{}", dir.join("no-docker.sock").display()),
        )
        .env("LOG_LEVEL", "INFO")
        .env("MINISTACK_EDITION", edition(port));
}

/// What the MiniStack this process starts on `port` reports as its `edition`. MiniStack echoes
/// `MINISTACK_EDITION` in its health document and uses it for nothing else, so it tells our
/// server from another one that holds the port (ours then exits with "already in use" and is
/// restarted on another port, instead of the test talking to a stranger that stops under it).
fn edition(port: u16) -> String {
    format!("light+cognito-auth-{}-{port}", std::process::id())
}

/// `GET /_ministack/health`: ready once it answers, with the version and `AUTH=true` checked.
fn probe_health(agent: &ureq::Agent, endpoint: &str) -> Probe {
    let port = endpoint
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .unwrap_or(0);
    match agent.get(format!("{endpoint}_ministack/health")).call() {
        Ok(mut response) if response.status() == 200 => {
            let text = response.body_mut().read_to_string().unwrap_or_default();
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(health) if health["edition"] != edition(port).as_str() => {
                    Probe::NotYet(format!(
                        "another server answers on port {port} (edition {})",
                        health["edition"]
                    ))
                }
                Ok(health) => match check_health(&health) {
                    Ok(()) => Probe::Ready,
                    Err(problem) => Probe::Failed(problem),
                },
                Err(e) => Probe::Failed(format!("health is not JSON ({e}): {text}")),
            }
        }
        Ok(response) => Probe::NotYet(format!("health answered HTTP {}", response.status())),
        Err(e) => Probe::NotYet(e.to_string()),
    }
}

/// The MiniStack executable the launcher uses (installing it first if need be).
pub fn executable() -> std::path::PathBuf {
    EMULATOR.executable()
}

/// Whether the server at `endpoint` is ready and is the MiniStack this process started on that
/// port (the launcher's readiness probe); `Err` says why not.
pub fn probe_says_ready(endpoint: &str) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(emulator_process::PROBE_TIMEOUT))
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();
    match probe_health(&agent, endpoint) {
        Probe::Ready => Ok(()),
        Probe::Failed(why) | Probe::NotYet(why) => Err(why),
    }
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
