//! A local emulator server as a child process, shared by the MiniStack ([`crate::ministack`]) and
//! moto ([`crate::moto`]) launchers: executable lookup, a free port, the `sh` guard that stops the
//! server when the test process dies, a bounded readiness wait and a bounded stop.
//!
//! Tests use it through a launcher ([`crate::ministack::MiniStack`], [`crate::moto::Moto`]).
//!
//! **Where the executable comes from** ([`Emulator::executable`]): `$BIN_VAR` if set, else the
//! virtualenv `CACHE/SLUG-VERSION/bin/PROGRAM` that `scripts/ensure-tool.sh` creates (`CACHE` is
//! `$COGNITO_AUTH_CACHE`, default `~/.cache/cognito-auth`), once its completion marker exists,
//! else the test runs `scripts/ensure-tool.sh SLUG` itself: on a fresh machine the first test
//! installs the emulator while the tests running beside it wait on the script's lock, and none
//! of them ever starts a half-installed one. Only when that fails, `PROGRAM` on `PATH`. An
//! emulator that cannot be had fails the test; it never skips.
//!
//! **Isolation:** each server gets a free port on 127.0.0.1 (never one already given to another
//! server of this test process) and its own directory under the target directory, with a `tmp`
//! subdirectory as `TMPDIR` and the combined log `SLUG.log`. A launcher's probe should check
//! that the server answering is the one it started (MiniStack's does: a port taken by another
//! process's server would otherwise pass for ready); a server that lost its port is restarted
//! on another one.
//!
//! **Stopping:** the server runs under a small `sh` guard in its own process group. The guard
//! reads its stdin, a pipe whose only writer is this process: when the [`EmulatorProcess`] is
//! dropped (on success or during a panic) **or this test process dies** (even by `SIGKILL`),
//! the pipe closes and the guard sends the server `SIGTERM`. `Drop` waits for that, bounded,
//! and then kills the whole process group.

use core::net::Ipv4Addr;
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use std::fs::{self, File};
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::Instant;

/// Longest wait for the server to answer after a start. Generous: a bound, not a delay. A
/// fresh machine reads the whole virtualenv from disk on the first start, and a 2-core machine
/// that compiles and runs two servers at once is slow; 30 s was too little there once.
pub const READY_TIMEOUT: Duration = Duration::from_secs(120);
/// Pause between two probes.
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Timeout of one readiness probe.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Longest wait for the server to exit after `SIGTERM` before the group gets `SIGKILL`.
pub const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Starts attempted when the free port was taken between probing and binding.
const START_ATTEMPTS: u32 = 3;

/// The guard: runs `"$@"` (the server) in the background, a watcher that `SIGTERM`s it once
/// stdin reaches end-of-file, and exits with the server's status. A background job's stdin is
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

/// Ports already given to a server of this test process: two tests starting at once must not
/// get the same one (the second server would fail to bind while the first answers its probe).
static PORTS_GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());

/// One `ensure-tool.sh` at a time from this process (the script's lock orders processes).
static INSTALLING: Mutex<()> = Mutex::new(());

/// The file `scripts/ensure-tool.sh` writes into a virtualenv once the install is complete.
pub const INSTALLED_MARKER: &str = ".cognito-auth-installed";

/// Which emulator, for the executable lookup, directory names and messages.
#[derive(Debug, Clone, Copy)]
pub struct Emulator {
    /// The name in messages, e.g. `MiniStack`.
    pub name: &'static str,
    /// The PyPI package: directory, log and virtualenv names, e.g. `ministack`.
    pub slug: &'static str,
    /// The pinned release.
    pub version: &'static str,
    /// The environment variable that names the executable, e.g. `MINISTACK_BIN`.
    pub bin_var: &'static str,
    /// The executable's file name, e.g. `ministack`.
    pub program: &'static str,
    /// What to run when the emulator is missing.
    pub install_hint: &'static str,
}

/// What one readiness probe found.
pub enum Probe {
    /// The server answers and is the one wanted.
    Ready,
    /// The server answers but is unusable: stop waiting.
    Failed(String),
    /// Not yet; why (the last reason is reported on timeout).
    NotYet(String),
}

impl Emulator {
    /// `$BIN_VAR`, the `ensure-tool.sh` virtualenv once complete, what `scripts/ensure-tool.sh
    /// SLUG` installs (or adopts) now, else the program on `PATH`; panics with the install hint.
    pub fn executable(&self) -> PathBuf {
        let Self {
            name,
            slug,
            version,
            bin_var,
            program,
            install_hint,
        } = *self;
        if let Some(path) = std::env::var_os(bin_var) {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "{bin_var}={} is not a file; {install_hint}",
                path.display()
            );
            return path;
        }
        let venv = cache_dir().map(|cache| cache.join(format!("{slug}-{version}")));
        if let Some(venv) = &venv {
            let executable = venv.join("bin").join(program);
            if venv.join(INSTALLED_MARKER).is_file() && executable.is_file() {
                return executable;
            }
        }
        // The pinned virtualenv first (installed, or adopted, now), a program on PATH (of
        // whatever version: the probe checks) only when that cannot be had.
        let problem = match self.install() {
            Ok(path) => return path,
            Err(problem) => problem,
        };
        let on_path = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(program))
                .find(|candidate| candidate.is_file())
        });
        on_path.unwrap_or_else(|| {
            panic!(
                "{name} {version} is not installed and installing it failed: {problem}; \
                 {install_hint}"
            )
        })
    }

    /// Runs `scripts/ensure-tool.sh SLUG` (it installs under a lock, so tests and processes
    /// racing here install once) and returns the executable it prints.
    fn install(&self) -> Result<PathBuf, String> {
        let _one_at_a_time = INSTALLING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // This crate lives in crates/NAME.
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/ensure-tool.sh");
        eprintln!(
            "{} {} is not installed: running {} {}",
            self.name,
            self.version,
            script.display(),
            self.slug
        );
        let output = Command::new("bash")
            .arg(&script)
            .arg(self.slug)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if !output.status.success() {
            return Err(format!(
                "{} exited with {}",
                script.display(),
                output.status
            ));
        }
        let printed = String::from_utf8_lossy(&output.stdout);
        let path = PathBuf::from(printed.trim());
        if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "{} printed {printed:?}, not a file",
                script.display()
            ))
        }
    }
}

/// `$COGNITO_AUTH_CACHE`, else `~/.cache/cognito-auth` (as in `scripts/ensure-tool.sh`).
fn cache_dir() -> Option<PathBuf> {
    std::env::var_os("COGNITO_AUTH_CACHE")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/cognito-auth"))
        })
}

/// A running emulator server, stopped on drop.
pub struct EmulatorProcess {
    emulator: Emulator,
    child: Child,
    /// The write end of the guard's stdin; dropping it stops the server.
    lifeline: Option<ChildStdin>,
    port: u16,
    dir: PathBuf,
    /// Whether a panic message already carried the log (so `Drop` need not print it).
    log_shown: bool,
}

impl EmulatorProcess {
    /// Starts `executable` on a free 127.0.0.1 port under the guard and waits until `probe`
    /// (given an agent and [`Self::endpoint`]) says it is ready.
    ///
    /// `configure` adds the server's arguments and environment; it gets the port and the
    /// server's own directory, where it may create more (`tmp` exists and is `TMPDIR`).
    ///
    /// Panics, with the server's log, when it exits, `probe` fails, or it is not ready within
    /// [`READY_TIMEOUT`]. A port lost to another process is retried.
    pub fn start(
        emulator: Emulator,
        executable: &Path,
        configure: impl Fn(&mut Command, u16, &Path),
        probe: impl Fn(&ureq::Agent, &str) -> Probe,
    ) -> Self {
        let name = emulator.name;
        for attempt in 1..=START_ATTEMPTS {
            let port = free_port();
            let mut server = Self::spawn(emulator, executable, port, &configure);
            match server.wait_until_ready(&probe) {
                Ok(()) => return server,
                Err(exited)
                    if attempt < START_ATTEMPTS && server.log().contains("already in use") =>
                {
                    eprintln!("{name} lost port {port} to another process ({exited}); retrying");
                }
                Err(problem) => {
                    server.log_shown = true;
                    panic!(
                        "{name} ({}) did not start on 127.0.0.1:{port}: {problem}\n\
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

    /// The port the server listens on (127.0.0.1 only).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The server's combined stdout and stderr so far.
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
        self.dir.join(format!("{}.log", self.emulator.slug))
    }

    fn spawn(
        emulator: Emulator,
        executable: &Path,
        port: u16,
        configure: impl Fn(&mut Command, u16, &Path),
    ) -> Self {
        let Emulator { name, slug, .. } = emulator;
        let instance = INSTANCE.fetch_add(1, Ordering::Relaxed);
        // Under the target directory, so that a run killed before `Drop` leaves nothing in /tmp.
        let dir = target_tmp_dir().join(format!("{slug}-{}-{instance}-{port}", std::process::id()));
        let tmp = dir.join("tmp");
        fs::create_dir_all(&tmp).unwrap_or_else(|e| panic!("cannot create {}: {e}", tmp.display()));
        let log = File::create(dir.join(format!("{slug}.log")))
            .unwrap_or_else(|e| panic!("cannot create the {name} log in {}: {e}", dir.display()));
        let log_err = log.try_clone().expect("duplicate the log file handle");
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(GUARD_SCRIPT)
            .arg(format!("{slug}-guard"))
            .arg(executable);
        configure(&mut command, port, &dir);
        let mut child = command
            .env("TMPDIR", &tmp)
            .stdin(Stdio::piped())
            .stdout(log)
            .stderr(log_err)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run `sh` to start {name}: {e}"));
        let lifeline = child.stdin.take();
        Self {
            emulator,
            child,
            lifeline,
            port,
            dir,
            log_shown: false,
        }
    }

    /// Polls `probe` until it is ready or failed, the server exits, or [`READY_TIMEOUT`].
    fn wait_until_ready(
        &mut self,
        probe: impl Fn(&ureq::Agent, &str) -> Probe,
    ) -> Result<(), String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(PROBE_TIMEOUT))
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .build()
            .into();
        let endpoint = self.endpoint();
        let started = Instant::now();
        let mut last_error = String::from("no probe yet");
        while started.elapsed() < READY_TIMEOUT {
            if let Some(status) = self.child.try_wait().ok().flatten() {
                return Err(format!("it exited ({status})"));
            }
            match probe(&agent, &endpoint) {
                Probe::Ready => return Ok(()),
                Probe::Failed(problem) => return Err(problem),
                Probe::NotYet(why) => last_error = why,
            }
            std::thread::sleep(POLL_INTERVAL);
        }
        Err(format!(
            "not ready after {READY_TIMEOUT:?} (last probe: {last_error})"
        ))
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let name = self.emulator.name;
        // Closing the pipe makes the guard SIGTERM the server and exit once it has.
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
                "{name} on port {} ignored SIGTERM for {STOP_TIMEOUT:?}; SIGKILL to group {group}: {killed:?}",
                self.port
            );
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() && !self.log_shown {
            eprintln!(
                "--- {name} log (port {}), last lines ---\n{}",
                self.port,
                self.log_tail(30)
            );
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A port that was free on 127.0.0.1 a moment ago and that no other server of this test
/// process was given.
fn free_port() -> u16 {
    let mut given = PORTS_GIVEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for _ in 0..100 {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0 to find a free port: {e}"));
        let port = listener
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
    panic!("no port on 127.0.0.1 that this process has not used already")
}

/// `TARGET/tmp`, where `TARGET` is the cargo target directory holding the running executable
/// (the nearest ancestor with cargo's `CACHEDIR.TAG`; a test binary is `TARGET/debug/deps/NAME`):
/// the directory cargo gives integration tests as `CARGO_TARGET_TMPDIR`, which a library does not
/// see. The system temp directory for an executable outside any target directory.
pub fn target_tmp_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .find(|dir| dir.join("CACHEDIR.TAG").is_file())
                .map(|target| target.join("tmp"))
        })
        .unwrap_or_else(std::env::temp_dir)
}
