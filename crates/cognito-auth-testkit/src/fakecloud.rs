//! fakecloud's Cognito service (the crates `fakecloud-core` and `fakecloud-cognito` 0.51.0) as a
//! child process: the server that verifies a WebAuthn registration's packed self-attestation,
//! which MiniStack and moto do not serve at all.
//!
//! ```no_run
//! use cognito_auth_testkit::fakecloud::FakeCloud;
//!
//! let server = FakeCloud::start(); // builds the harness first if need be (1.5 to 3 min)
//! let idp = server.cognito();      // a CognitoIdp for this server
//! let pool_id = idp.create_user_pool("passkeys", serde_json::Value::Null);
//! // ... the process is stopped when `server` is dropped, also when the test panics.
//! ```
//!
//! **Licence boundary:** fakecloud is AGPL-3.0-or-later. It is not a dependency of any crate of
//! this workspace: `tools/fakecloud-server` is a separate cargo workspace (its own 100-line
//! `main.rs` over fakecloud's library crates, every version pinned by its `Cargo.lock`) that
//! `scripts/ensure-tool.sh fakecloud` builds into the cache, and the tests talk to it over HTTP
//! like to MiniStack.
//!
//! **Where the executable comes from:** `$FAKECLOUD_BIN` if set, else what
//! `scripts/ensure-tool.sh fakecloud` prints (it builds the harness once per version of its
//! sources, under a lock, and answers at once afterwards), else `fakecloud-cognito-server` on
//! `PATH`. A harness that cannot be had fails the test; it never skips.
//!
//! **Behaviour:** each server gets a free port on 127.0.0.1 (the harness refuses any other
//! address) and answers `GET /_harness/health` with its version and a tag naming this process
//! and port, which the readiness probe checks. State is in memory; SigV4 is not checked.
//!
//! **Stopping:** as for MiniStack, under the `sh` guard of [`crate::emulator_process`]: dropping
//! [`FakeCloud`] (also during a panic) or this process dying sends the server `SIGTERM`; `Drop`
//! waits for it, bounded, then kills the process group.

use core::ops::Deref;
use std::path::Path;
use std::process::Command;

use crate::cognito_idp::CognitoIdp;
use crate::emulator_process::{Emulator, EmulatorProcess, Probe};

/// The fakecloud release the harness is built from.
pub const VERSION: &str = "0.51.0";

/// What to run when the harness is missing.
pub const INSTALL_HINT: &str = "run `bash scripts/ensure-tool.sh fakecloud` (it builds \
    tools/fakecloud-server with cargo into ~/.cache/cognito-auth/fakecloud-0.51.0-HASH and \
    prints the executable), or point FAKECLOUD_BIN at a built fakecloud-cognito-server";

/// fakecloud for [`EmulatorProcess`]. The cache directory carries a hash of the harness's
/// sources, so [`Emulator::executable`] finds no ready path there and always asks
/// `scripts/ensure-tool.sh fakecloud`, which knows the hash (and answers at once once built).
const EMULATOR: Emulator = Emulator {
    name: "fakecloud",
    slug: "fakecloud",
    version: VERSION,
    bin_var: "FAKECLOUD_BIN",
    program: "fakecloud-cognito-server",
    install_hint: INSTALL_HINT,
};

/// A running fakecloud Cognito server, stopped on drop. Derefs to its [`EmulatorProcess`]
/// (`port`, `endpoint`, `log`, `log_tail`).
pub struct FakeCloud {
    process: EmulatorProcess,
    cognito: CognitoIdp,
}

impl FakeCloud {
    /// Starts the harness on a free 127.0.0.1 port and waits until it answers as the server
    /// this process started.
    ///
    /// Panics, with the install command or the server's log, when the harness is missing,
    /// exits, or is not ready within [`crate::emulator_process::READY_TIMEOUT`].
    pub fn start() -> Self {
        let executable = EMULATOR.executable();
        let process = EmulatorProcess::start(EMULATOR, &executable, configure, probe_health);
        let cognito = CognitoIdp::new(process.endpoint());
        Self { process, cognito }
    }

    /// A Cognito client for this server.
    pub fn cognito(&self) -> &CognitoIdp {
        &self.cognito
    }
}

impl Deref for FakeCloud {
    type Target = EmulatorProcess;

    fn deref(&self) -> &EmulatorProcess {
        &self.process
    }
}

/// The harness's one argument (the address) and the tag its health answer carries.
fn configure(command: &mut Command, port: u16, _dir: &Path) {
    command
        .arg(format!("127.0.0.1:{port}"))
        .env("FAKECLOUD_HARNESS_TAG", tag(port));
}

/// What the harness this process starts on `port` answers on `/_harness/health`.
fn tag(port: u16) -> String {
    format!("cognito-auth-{}-{port}", std::process::id())
}

/// `GET /_harness/health`: ready once it answers `fakecloud-cognito VERSION TAG`.
fn probe_health(agent: &ureq::Agent, endpoint: &str) -> Probe {
    let port = endpoint
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .unwrap_or(0);
    let expected = format!("fakecloud-cognito {VERSION} {}", tag(port));
    match agent.get(format!("{endpoint}_harness/health")).call() {
        Ok(mut response) if response.status() == 200 => {
            let text = response.body_mut().read_to_string().unwrap_or_default();
            if text == expected {
                Probe::Ready
            } else if text.starts_with("fakecloud-cognito ") && !text.contains(VERSION) {
                Probe::Failed(format!(
                    "it is {text:?}, these tests pin fakecloud {VERSION}; {INSTALL_HINT}"
                ))
            } else {
                Probe::NotYet(format!("another server answers on port {port}: {text:?}"))
            }
        }
        Ok(response) => Probe::NotYet(format!("health answered HTTP {}", response.status())),
        Err(e) => Probe::NotYet(e.to_string()),
    }
}
