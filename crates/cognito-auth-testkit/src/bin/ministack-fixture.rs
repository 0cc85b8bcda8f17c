//! `ministack-fixture`: MiniStack 1.5.33 as a Cognito user pool for the foreign-language
//! end-to-end tests (Python, Kotlin, Dart, Swift), built from the test kit's own modules
//! ([`cognito_auth_testkit::ministack`] launches the server, [`cognito_auth_testkit::cognito_idp`]
//! provisions it, [`cognito_auth_testkit::rfc6238`] and
//! [`cognito_auth_testkit::fake_pool::expected_secret_hash`] compute the TOTP codes and
//! `SECRET_HASH` independently of the core under test).
//!
//! ```text
//! ministack-fixture start --state DIR [--client-secret] [--owner-pid PID] [--ministack EXE]
//! ministack-fixture stop --state DIR
//! ministack-fixture totp (--state DIR | --secret BASE32) [--at UNIX]
//! ministack-fixture secret-hash --state DIR [--username NAME]
//! ministack-fixture call --state DIR OPERATION        (the JSON body on stdin)
//! ministack-fixture selftest
//! ```
//!
//! `start` launches MiniStack with `AUTH=true` on a free 127.0.0.1 port (SRP proofs,
//! `SECRET_HASH` and TOTP codes are really checked) and provisions
//!
//! * a user pool with optional software-token (TOTP) MFA,
//! * an app client with the auth flows `USER_SRP_AUTH`, `USER_PASSWORD_AUTH` and
//!   `REFRESH_TOKEN_AUTH`, without a client secret unless `--client-secret`,
//! * a `CONFIRMED` user with a random permanent password, enrolled in TOTP MFA the way an app
//!   does it (sign in, `AssociateSoftwareToken`, `VerifySoftwareToken` with a code computed here,
//!   `SetUserMFAPreference`), so that every sign-in ends in a `SOFTWARE_TOKEN_MFA` challenge;
//!
//! then writes `DIR/fixture.json` (mode 0600; test credentials only)
//!
//! ```text
//! {"endpoint": "http://127.0.0.1:PORT/", "user_pool_id": ..., "client_id": ...,
//!  "client_secret": null | "...", "username": ..., "password": ..., "totp_secret": BASE32,
//!  "pid": MINISTACK_PID, "log": "DIR/fixture.log"}
//! ```
//!
//! and returns, leaving the server running. The server belongs to a small background process of
//! this binary (the *holder*, `ministack-fixture serve`), which keeps the kit's
//! [`MiniStack`] alive and drops it (a graceful stop, then `SIGKILL` of its process group) when
//! `stop` asks, when `--owner-pid` is gone, or when the `start` that launched it dies before the
//! pool is ready. Whatever ends the holder, even `SIGKILL`, stops MiniStack: the kit's launcher
//! runs it under a guard that sends `SIGTERM` once the holder's end of a pipe closes. If anything
//! fails, `start` exits non-zero with the holder's log (which carries the server's last lines)
//! on stderr, and nothing is left running.
//!
//! `stop` asks the holder to stop and waits (bounded); a holder that does not exit in time is
//! killed, and what is left of MiniStack's process group with it. It is quiet and succeeds when
//! nothing is running.
//!
//! `totp` prints the RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) of the fixture user's secret or
//! of `--secret` at `--at`, or, without `--at`, the current code after waiting out the last 3 s
//! of a step so that it stays valid for the test's request. `secret-hash` prints `SECRET_HASH`
//! of the fixture's client for `--username` (default: the fixture user), or nothing for a
//! public client. `call` sends one cognito-idp operation to the fixture's server, unsigned if an
//! app sends it unsigned and with the emulator's admin header otherwise, and prints
//! `{"status": HTTP_STATUS, "body": JSON}`.
//!
//! `selftest` checks the TOTP and `SECRET_HASH` code on published known answers, then starts a
//! fixture without and one with a client secret, signs in with `USER_PASSWORD_AUTH`, answers the
//! `SOFTWARE_TOKEN_MFA` challenge, checks that a wrong password (and a wrong `SECRET_HASH`) is
//! refused, stops it, checks that MiniStack and the holder are gone and the port is closed, and
//! prints `ok`.
//!
//! Where MiniStack comes from: `--ministack`, else `$MINISTACK_BIN`, else the kit's lookup
//! (`scripts/ensure-tool.sh ministack`, installed once under `~/.cache/cognito-auth/`).

extern crate alloc;

use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;
use std::fs::{self, File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use cognito_auth_testkit::cognito_idp::{CognitoIdp, error_type, string_at};
use cognito_auth_testkit::emulator_process::{READY_TIMEOUT, STOP_TIMEOUT};
use cognito_auth_testkit::fake_pool::expected_secret_hash;
use cognito_auth_testkit::ministack::MiniStack;
use cognito_auth_testkit::rfc6238::{self, COGNITO_DIGITS, COGNITO_PERIOD, Hash};
use serde_json::{Value, json};

/// The fixture user's name.
const USERNAME: &str = "fixture-user";
/// What `start` waits for at most: MiniStack's readiness, then provisioning (a dozen requests).
const START_TIMEOUT: Duration = Duration::from_secs(READY_TIMEOUT.as_secs() + 60);
/// What `stop` waits for the holder at most: its own bounded stop of MiniStack, and a margin.
const HOLDER_STOP_TIMEOUT: Duration = Duration::from_secs(STOP_TIMEOUT.as_secs() + 10);
/// How often the waits and the holder's watcher look.
const POLL: Duration = Duration::from_millis(100);
/// A code is not handed out in the last seconds of its step (it could expire in flight).
const FRESH_MARGIN_SECS: u64 = 3;

const USAGE: &str = "usage:
  ministack-fixture start --state DIR [--client-secret] [--owner-pid PID] [--ministack EXE]
  ministack-fixture stop --state DIR
  ministack-fixture totp (--state DIR | --secret BASE32) [--at UNIX]
  ministack-fixture secret-hash --state DIR [--username NAME]
  ministack-fixture call --state DIR OPERATION   (JSON body on stdin)
  ministack-fixture selftest";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let options = match Options::parse(rest) {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("ministack-fixture {command}: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command.as_str() {
        "start" => start(&options).map(|_| ()),
        "stop" => options.state().and_then(|dir| stop(&dir)).map(|_| ()),
        "serve" => serve(&options),
        "totp" => print_totp(&options),
        "secret-hash" => print_secret_hash(&options),
        "call" => call(&options),
        "selftest" => selftest(),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("ministack-fixture {command}: {problem}");
            ExitCode::FAILURE
        }
    }
}

// ------------------------------------------------------------------------------------------
// The command line.

/// The flags of every command (each command uses the ones it needs).
#[derive(Debug, Default)]
struct Options {
    state: Option<PathBuf>,
    client_secret: bool,
    owner_pid: Option<u32>,
    starter_pid: Option<u32>,
    ministack: Option<PathBuf>,
    secret: Option<String>,
    at: Option<u64>,
    username: Option<String>,
    positional: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--state" => options.state = Some(PathBuf::from(value(arg)?)),
                "--client-secret" => options.client_secret = true,
                "--owner-pid" => options.owner_pid = Some(number(arg, &value(arg)?)?),
                "--starter-pid" => options.starter_pid = Some(number(arg, &value(arg)?)?),
                "--ministack" => options.ministack = Some(PathBuf::from(value(arg)?)),
                "--secret" => options.secret = Some(value(arg)?),
                "--at" => options.at = Some(number(arg, &value(arg)?)?),
                "--username" => options.username = Some(value(arg)?),
                flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
                _ => options.positional.push(arg.clone()),
            }
        }
        Ok(options)
    }

    /// `--state`, made absolute (the holder runs elsewhere).
    fn state(&self) -> Result<PathBuf, String> {
        let state = self.state.as_ref().ok_or("--state DIR is required")?;
        std::path::absolute(state).map_err(|e| format!("--state {}: {e}", state.display()))
    }
}

fn number<T: core::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag} wants a number, not {text:?}"))
}

// ------------------------------------------------------------------------------------------
// The state directory.

/// The files of one fixture in its state directory.
struct StateDir {
    dir: PathBuf,
}

impl StateDir {
    fn new(dir: PathBuf) -> Self {
        Self { dir }
    }
    /// The holder's pid and start time, from the moment it is spawned.
    fn server(&self) -> PathBuf {
        self.dir.join("server.json")
    }
    /// What the tests read, written once the pool is ready.
    fn fixture(&self) -> PathBuf {
        self.dir.join("fixture.json")
    }
    /// The holder's stdout and stderr (with MiniStack's last lines on a failure).
    fn log(&self) -> PathBuf {
        self.dir.join("fixture.log")
    }
    /// Created by `stop`: the holder's signal to stop MiniStack and exit.
    fn stop_request(&self) -> PathBuf {
        self.dir.join("stop-request")
    }

    fn read_fixture(&self) -> Result<Value, String> {
        read_json(&self.fixture()).ok_or_else(|| {
            format!(
                "no fixture in {} (run `ministack-fixture start --state {}` first)",
                self.dir.display(),
                self.dir.display()
            )
        })
    }
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// Writes `value` to `path` atomically (a temporary file renamed over it), mode 0600.
fn write_json(path: &Path, value: &Value) -> Result<(), String> {
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())? + "\n";
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn remove(path: &Path) {
    let _ = fs::remove_file(path);
}

fn log_tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_else(|_| String::from("(no log)"));
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

// ------------------------------------------------------------------------------------------
// Processes (through /proc: this crate has no unsafe code, hence no libc).

/// A process by pid and start time (field 22 of `/proc/PID/stat`, in clock ticks), so that a
/// reused pid is never taken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Process {
    pid: u32,
    start_time: u64,
}

/// The fields after the command name in `/proc/PID/stat` (state is the first), unless the
/// process is gone or a zombie.
fn proc_stat(pid: u32) -> Option<Vec<String>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, after_name) = stat.rsplit_once(')')?;
    let fields: Vec<String> = after_name.split_whitespace().map(String::from).collect();
    match fields.first().map(String::as_str) {
        Some("Z" | "X") | None => None,
        Some(_) => Some(fields),
    }
}

impl Process {
    fn find(pid: u32) -> Option<Self> {
        let start_time = proc_stat(pid)?.get(19)?.parse().ok()?;
        Some(Self { pid, start_time })
    }

    fn alive(self) -> bool {
        Self::find(self.pid) == Some(self)
    }

    fn to_json(self) -> Value {
        json!({ "pid": self.pid, "start_time": self.start_time })
    }

    fn from_json(value: &Value) -> Option<Self> {
        Some(Self {
            pid: u32::try_from(value.get("pid")?.as_u64()?).ok()?,
            start_time: value.get("start_time")?.as_u64()?,
        })
    }
}

/// Live processes whose parent is `ppid` (field 4 of `/proc/PID/stat`) or, with `by_group`,
/// whose process group is `ppid` (field 5).
fn processes_under(id: u32, by_group: bool) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    let field = if by_group { 2 } else { 1 };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            proc_stat(*pid)
                .and_then(|fields| fields.get(field)?.parse::<u32>().ok())
                .is_some_and(|parent| parent == id)
        })
        .collect()
}

/// The command line of `pid`, arguments joined by spaces.
fn command_line(pid: u32) -> String {
    fs::read(format!("/proc/{pid}/cmdline"))
        .map(|raw| {
            String::from_utf8_lossy(&raw)
                .split('\0')
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// `kill -SIGNAL -- TARGET` (a pid, or `-PGID` for a group); quiet.
fn send_signal(signal: &str, target: &str) {
    let _ = Command::new("kill")
        .args([signal, "--", target])
        .stderr(Stdio::null())
        .status();
}

/// MiniStack's process group: the kit's launcher runs the server under an `sh` guard that leads
/// its own group, a child of this process. Returns the group and MiniStack's own pid (the
/// group's member that is not `sh`).
fn ministack_group() -> Option<(u32, Option<u32>)> {
    let me = std::process::id();
    let guard = processes_under(me, false)
        .into_iter()
        .find(|pid| command_line(*pid).contains("ministack"))?;
    let server = processes_under(guard, true)
        .into_iter()
        .filter(|pid| *pid != guard)
        .find(|pid| {
            let line = command_line(*pid);
            line.contains("ministack") && !line.starts_with("sh ")
        });
    Some((guard, server))
}

// ------------------------------------------------------------------------------------------
// start / serve / stop.

/// Spawns the holder and waits until the fixture is ready (or not). Returns the fixture.
fn start(options: &Options) -> Result<Value, String> {
    let state = StateDir::new(options.state()?);
    fs::create_dir_all(&state.dir)
        .map_err(|e| format!("cannot create {}: {e}", state.dir.display()))?;
    if let Some(holder) = read_json(&state.server())
        .as_ref()
        .and_then(|record| Process::from_json(record.get("holder")?))
        .filter(|holder| holder.alive())
    {
        return Err(format!(
            "a fixture is already running from {} (holder pid {}); stop it first",
            state.dir.display(),
            holder.pid
        ));
    }
    for stale in [state.fixture(), state.stop_request(), state.server()] {
        remove(&stale);
    }
    let log = File::create(state.log())
        .map_err(|e| format!("cannot create {}: {e}", state.log().display()))?;
    let log_err = log.try_clone().map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let mut holder = Command::new(exe);
    holder
        .arg("serve")
        .arg("--state")
        .arg(&state.dir)
        .arg("--starter-pid")
        .arg(std::process::id().to_string());
    if options.client_secret {
        holder.arg("--client-secret");
    }
    if let Some(owner) = options.owner_pid {
        holder.arg("--owner-pid").arg(owner.to_string());
    }
    if let Some(ministack) = &options.ministack {
        let path = std::path::absolute(ministack).map_err(|e| e.to_string())?;
        if !path.is_file() {
            return Err(format!(
                "--ministack {} is not a file; run `bash scripts/ensure-tool.sh ministack`",
                path.display()
            ));
        }
        holder.env("MINISTACK_BIN", path);
    }
    // No backtraces in the log: the panic messages of the kit's launcher and client say what
    // failed.
    holder.env("RUST_BACKTRACE", "0");
    // Its own process group: a Ctrl-C meant for the test script reaches the script's traps,
    // which run `stop`, rather than the holder in the middle of its work.
    let mut child = holder
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the holder: {e}"))?;
    let process = Process::find(child.id()).ok_or("the holder exited at once")?;
    write_json(&state.server(), &json!({ "holder": process.to_json() }))?;

    let started = Instant::now();
    loop {
        if let Some(fixture) = read_json(&state.fixture()) {
            // Reaped by init once it exits: this process returns now.
            drop(child);
            return Ok(fixture);
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "the fixture did not start ({status})\n--- last lines of {} ---\n{}",
                state.log().display(),
                log_tail(&state.log(), 40)
            ));
        }
        if started.elapsed() > START_TIMEOUT {
            let _ = stop(&state.dir);
            let _ = child.wait();
            return Err(format!(
                "the fixture was not ready within {START_TIMEOUT:?}\n--- last lines of {} ---\n{}",
                state.log().display(),
                log_tail(&state.log(), 40)
            ));
        }
        std::thread::sleep(POLL);
    }
}

/// The holder (`serve`, spawned by `start`): starts and provisions MiniStack, writes
/// fixture.json, and keeps the server until `stop` asks, the owner is gone, or (before the
/// pool is ready) the starter is gone.
fn serve(options: &Options) -> Result<(), String> {
    let state = StateDir::new(options.state()?);
    let owner = match options.owner_pid {
        Some(pid) => Some(Process::find(pid).ok_or(format!("--owner-pid {pid} is not running"))?),
        None => None,
    };
    let starter = options.starter_pid.and_then(Process::find);
    let ready = Arc::new(AtomicBool::new(false));
    let quit = Arc::new(AtomicBool::new(false));
    {
        let (ready, quit) = (Arc::clone(&ready), Arc::clone(&quit));
        let stop_request = state.stop_request();
        std::thread::spawn(move || {
            loop {
                let why = if stop_request.exists() {
                    Some(String::from("stop requested"))
                } else if owner.is_some_and(|owner| !owner.alive()) {
                    Some(String::from("the owner process is gone"))
                } else if !ready.load(Ordering::SeqCst) && starter.is_some_and(|s| !s.alive()) {
                    Some(String::from("`start` is gone before the pool was ready"))
                } else {
                    None
                };
                if let Some(why) = why {
                    eprintln!("holder: {why}; stopping MiniStack");
                    if !ready.load(Ordering::SeqCst) {
                        // Mid-start: exiting closes the launcher's pipe, and its guard stops
                        // MiniStack.
                        std::process::exit(1);
                    }
                    quit.store(true, Ordering::SeqCst);
                    return;
                }
                std::thread::sleep(POLL);
            }
        });
    }

    let started = Instant::now();
    let server = MiniStack::start();
    eprintln!(
        "holder: MiniStack ready on {} after {:.1} s",
        server.endpoint(),
        started.elapsed().as_secs_f64()
    );
    let mut fixture = provision(server.cognito(), options.client_secret)?;
    let (group, ministack_pid) = ministack_group().unwrap_or((0, None));
    fixture["pid"] = json!(ministack_pid);
    fixture["log"] = json!(state.log());
    let mut record = read_json(&state.server()).unwrap_or_else(|| json!({}));
    record["process_group"] = json!(group);
    record["pid"] = json!(ministack_pid);
    write_json(&state.server(), &record)?;
    // Ready before fixture.json appears: `start` exits once it sees the file, and the watcher
    // must not take that for a `start` that died.
    ready.store(true, Ordering::SeqCst);
    write_json(&state.fixture(), &fixture)?;
    eprintln!(
        "holder: pool ready after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    while !quit.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
    }
    // The kit's launcher: SIGTERM, a bounded wait, SIGKILL of the group.
    drop(server);
    eprintln!("holder: MiniStack stopped");
    Ok(())
}

/// Pool, app client, CONFIRMED user enrolled in TOTP MFA. Returns the fixture's JSON (without
/// `pid` and `log`).
fn provision(idp: &CognitoIdp, with_secret: bool) -> Result<Value, String> {
    let pool_id = idp.create_user_pool("bindings-e2e", Value::Null);
    idp.set_user_pool_mfa_config(
        &pool_id,
        json!({
            "MfaConfiguration": "OPTIONAL",
            "SoftwareTokenMfaConfiguration": {"Enabled": true},
        }),
    );
    let client = idp.create_app_client(&pool_id, "bindings-e2e-app", with_secret);
    if client.client_secret.is_some() != with_secret {
        return Err(format!(
            "GenerateSecret={with_secret} but the client has a secret: {}",
            client.client_secret.is_some()
        ));
    }
    // Random per fixture; satisfies the default policy (length, upper, lower, digit, symbol).
    let password = format!("Fx-{}-Aa9!", hex(&random_bytes(6)?));
    let username = idp.create_confirmed_user(&pool_id, USERNAME, &password, &[]);

    // Enrol TOTP as a signed-in app does. MFA is not on for the user yet, so a password
    // sign-in gives tokens at once.
    let secret = client.client_secret.as_deref();
    let auth = idp.call_ok(
        "InitiateAuth",
        password_auth(&client.client_id, secret, &username, &password),
    );
    let access_token = string_at(&auth, &["AuthenticationResult", "AccessToken"]).to_owned();
    let associated = idp.call_ok(
        "AssociateSoftwareToken",
        json!({ "AccessToken": access_token }),
    );
    let totp_secret = string_at(&associated, &["SecretCode"]).to_owned();
    let verified = idp.call_ok(
        "VerifySoftwareToken",
        json!({
            "AccessToken": access_token,
            "UserCode": fresh_code(&totp_secret)?,
            "FriendlyDeviceName": "fixture-phone",
        }),
    );
    if verified["Status"] != "SUCCESS" {
        return Err(format!("VerifySoftwareToken: {verified}"));
    }
    idp.call_ok(
        "SetUserMFAPreference",
        json!({
            "AccessToken": access_token,
            "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
        }),
    );
    Ok(json!({
        "endpoint": idp.endpoint(),
        "user_pool_id": pool_id,
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "username": username,
        "password": password,
        "totp_secret": totp_secret,
    }))
}

/// An `InitiateAuth` body for `USER_PASSWORD_AUTH`, with `SECRET_HASH` for a client secret.
fn password_auth(client_id: &str, secret: Option<&str>, username: &str, password: &str) -> Value {
    let mut parameters = json!({ "USERNAME": username, "PASSWORD": password });
    if let Some(secret) = secret {
        parameters["SECRET_HASH"] = json!(expected_secret_hash(username, client_id, secret));
    }
    json!({
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": client_id,
        "AuthParameters": parameters,
    })
}

/// Stops the fixture started from `dir` (quietly succeeds if none is running). Returns whether
/// the holder stopped MiniStack by itself (false when it had to be killed).
fn stop(dir: &Path) -> Result<bool, String> {
    let state = StateDir::new(dir.to_path_buf());
    let Some(record) = read_json(&state.server()) else {
        return Ok(true);
    };
    let mut graceful = true;
    if let Some(holder) = record
        .get("holder")
        .and_then(Process::from_json)
        .filter(|holder| holder.alive())
    {
        File::create(state.stop_request())
            .map_err(|e| format!("cannot write {}: {e}", state.stop_request().display()))?;
        let started = Instant::now();
        while holder.alive() && started.elapsed() < HOLDER_STOP_TIMEOUT {
            std::thread::sleep(POLL);
        }
        if holder.alive() {
            graceful = false;
            eprintln!(
                "ministack-fixture stop: the holder (pid {}) did not exit within \
                 {HOLDER_STOP_TIMEOUT:?}; SIGKILL",
                holder.pid
            );
            send_signal("-KILL", &holder.pid.to_string());
        }
    }
    // What may be left of MiniStack's group (the holder killed mid-stop): only processes that
    // name ministack, so a reused group id is never hit.
    if let Some(group) = record
        .get("process_group")
        .and_then(Value::as_u64)
        .and_then(|group| u32::try_from(group).ok())
        .filter(|group| *group > 1)
    {
        let started = Instant::now();
        loop {
            let left: Vec<u32> = processes_under(group, true)
                .into_iter()
                .filter(|pid| command_line(*pid).contains("ministack"))
                .collect();
            if left.is_empty() {
                break;
            }
            if started.elapsed() > STOP_TIMEOUT {
                graceful = false;
                for pid in left {
                    send_signal("-KILL", &pid.to_string());
                }
                break;
            }
            std::thread::sleep(POLL);
        }
    }
    for file in [state.server(), state.fixture(), state.stop_request()] {
        remove(&file);
    }
    Ok(graceful)
}

// ------------------------------------------------------------------------------------------
// TOTP, SECRET_HASH, one call.

/// RFC 4648 base32 (case-insensitive; spaces and padding ignored), as Cognito's `SecretCode`.
fn base32_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = match c.to_ascii_uppercase() {
            upper @ 'A'..='Z' => u32::from(upper) - u32::from('A'),
            digit @ '2'..='7' => u32::from(digit) - u32::from('2') + 26,
            other => return Err(format!("{other:?} is not a base32 character")),
        };
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push(u8::try_from((buffer >> bits) & 0xff).map_err(|e| e.to_string())?);
            buffer &= (1 << bits) - 1;
        }
    }
    if bytes.is_empty() {
        return Err(String::from("the secret is empty"));
    }
    Ok(bytes)
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Cognito's code (the kit's own RFC 6238, not the core's) of a base32 secret at `at`.
fn code_at(secret: &str, at: u64) -> Result<String, String> {
    Ok(rfc6238::totp(
        &base32_decode(secret)?,
        Hash::Sha1,
        COGNITO_DIGITS,
        COGNITO_PERIOD,
        at,
    ))
}

/// The current code, after waiting out the last seconds of a step so that it stays valid.
fn fresh_code(secret: &str) -> Result<String, String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?;
    let into_step = now.as_secs() % COGNITO_PERIOD;
    if into_step >= COGNITO_PERIOD - FRESH_MARGIN_SECS {
        let left = Duration::from_secs(COGNITO_PERIOD - into_step)
            .saturating_sub(Duration::from_nanos(u64::from(now.subsec_nanos())));
        std::thread::sleep(left + Duration::from_millis(100));
    }
    code_at(secret, now_secs())
}

fn print_totp(options: &Options) -> Result<(), String> {
    let secret = match (&options.secret, &options.state) {
        (Some(secret), _) => secret.clone(),
        (None, Some(_)) => {
            let fixture = StateDir::new(options.state()?).read_fixture()?;
            fixture["totp_secret"]
                .as_str()
                .ok_or("fixture.json has no totp_secret")?
                .to_owned()
        }
        (None, None) => return Err(String::from("--state DIR or --secret BASE32 is required")),
    };
    let code = match options.at {
        Some(at) => code_at(&secret, at)?,
        None => fresh_code(&secret)?,
    };
    println!("{code}");
    Ok(())
}

fn print_secret_hash(options: &Options) -> Result<(), String> {
    let fixture = StateDir::new(options.state()?).read_fixture()?;
    let field = |key: &str| {
        fixture[key]
            .as_str()
            .map(str::to_owned)
            .ok_or(format!("fixture.json has no {key}"))
    };
    if let Some(secret) = fixture["client_secret"].as_str() {
        let username = options
            .username
            .clone()
            .map_or_else(|| field("username"), Ok)?;
        println!(
            "{}",
            expected_secret_hash(&username, &field("client_id")?, secret)
        );
    }
    Ok(())
}

fn call(options: &Options) -> Result<(), String> {
    let fixture = StateDir::new(options.state()?).read_fixture()?;
    let [operation] = options.positional.as_slice() else {
        return Err(String::from(
            "call wants one OPERATION (the JSON body on stdin)",
        ));
    };
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read the body from stdin: {e}"))?;
    let body: Value =
        serde_json::from_str(&text).map_err(|e| format!("the body on stdin is not JSON: {e}"))?;
    let endpoint = fixture["endpoint"]
        .as_str()
        .ok_or("fixture.json has no endpoint")?;
    let (status, answer) = CognitoIdp::new(endpoint).call(operation, body);
    println!("{}", json!({ "status": status, "body": answer }));
    Ok(())
}

// ------------------------------------------------------------------------------------------
// Helpers.

fn random_bytes(count: usize) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0; count];
    File::open("/dev/urandom")
        .and_then(|mut source| source.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

// ------------------------------------------------------------------------------------------
// Self-check.

fn check(condition: bool, what: impl core::fmt::Display) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(format!("selftest: {what}"))
    }
}

/// Published known answers, none of them this project's output.
fn selftest_offline() -> Result<(), String> {
    // RFC 4648 §10: BASE32("foobar") = "MZXW6YTBOI======".
    check(
        base32_decode("MZXW6YTBOI======")? == b"foobar",
        "RFC 4648 base32 vector",
    )?;
    // RFC 6238 Appendix B (SHA1 seed "12345678901234567890", 8 digits), in base32 as Cognito
    // hands secrets out; RFC 4226 Appendix D (6 digits, counter 1).
    let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    for (at, expected) in [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (2_000_000_000, "69279037"),
    ] {
        let code = rfc6238::totp(&base32_decode(seed)?, Hash::Sha1, 8, 30, at);
        check(code == expected, format!("RFC 6238 vector T={at}: {code}"))?;
    }
    check(
        code_at(seed, 30)? == "287082",
        "RFC 4226 vector 1 through code_at",
    )?;
    // The inputs of the AWS documentation's SECRET_HASH description; the expected value is
    // Python's hmac/base64 (the core's tests/data/secret_hash_vectors.tsv carries it too).
    check(
        expected_secret_hash("teacher@example.com", "test-client-id", "test-secret")
            == "ubMq12ua7Sob8EJy4crIRzaQLGUIELfDWkbXBRqlgVw=",
        "SECRET_HASH known answer",
    )
}

fn selftest_scenario(with_secret: bool) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!(
        "ministack-fixture-selftest-{}-{with_secret}",
        std::process::id()
    ));
    let outcome = (|| {
        let options = Options {
            state: Some(dir.clone()),
            client_secret: with_secret,
            owner_pid: Some(std::process::id()),
            ..Options::default()
        };
        let fixture = start(&options)?;
        let state = StateDir::new(dir.clone());
        let on_disk = state.read_fixture()?;
        check(on_disk == fixture, "fixture.json is what start returned")?;
        for key in [
            "endpoint",
            "user_pool_id",
            "client_id",
            "client_secret",
            "username",
            "password",
            "totp_secret",
            "pid",
        ] {
            check(
                on_disk.get(key).is_some(),
                format!("fixture.json has {key}"),
            )?;
        }
        let secret = fixture["client_secret"].as_str();
        check(secret.is_some() == with_secret, "client_secret presence")?;
        let endpoint = fixture["endpoint"].as_str().unwrap_or_default().to_owned();
        check(
            endpoint.starts_with("http://127.0.0.1:"),
            "endpoint on 127.0.0.1",
        )?;
        let record = read_json(&state.server()).unwrap_or_default();
        let holder = record.get("holder").and_then(Process::from_json);
        let ministack = fixture["pid"]
            .as_u64()
            .and_then(|pid| Process::find(u32::try_from(pid).ok()?));
        check(ministack.is_some(), "MiniStack's pid names a live process")?;

        let idp = CognitoIdp::new(endpoint.as_str());
        let client_id = fixture["client_id"].as_str().unwrap_or_default();
        let username = fixture["username"].as_str().unwrap_or_default();
        let password = fixture["password"].as_str().unwrap_or_default();
        let (status, answer) = idp.call(
            "InitiateAuth",
            password_auth(client_id, secret, username, password),
        );
        check(
            status == 200 && answer["ChallengeName"] == "SOFTWARE_TOKEN_MFA",
            format!("USER_PASSWORD_AUTH gives SOFTWARE_TOKEN_MFA: {status} {answer}"),
        )?;
        let totp_secret = fixture["totp_secret"].as_str().unwrap_or_default();
        let mut responses =
            json!({ "USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": fresh_code(totp_secret)? });
        if let Some(secret) = secret {
            responses["SECRET_HASH"] = json!(expected_secret_hash(username, client_id, secret));
        }
        let (status, answer) = idp.call(
            "RespondToAuthChallenge",
            json!({
                "ChallengeName": "SOFTWARE_TOKEN_MFA",
                "ClientId": client_id,
                "Session": answer["Session"],
                "ChallengeResponses": responses,
            }),
        );
        check(
            status == 200 && answer["AuthenticationResult"]["AccessToken"].is_string(),
            format!(
                "the TOTP answer gives tokens: {status} {:?}",
                error_type(&answer)
            ),
        )?;
        let wrong = format!("{password}x");
        let (status, answer) = idp.call(
            "InitiateAuth",
            password_auth(client_id, secret, username, &wrong),
        );
        check(
            status == 400 && error_type(&answer) == Some("NotAuthorizedException"),
            format!("a wrong password gives NotAuthorizedException: {status} {answer}"),
        )?;
        if secret.is_some() {
            let mut bad = password_auth(client_id, secret, username, password);
            bad["AuthParameters"]["SECRET_HASH"] = json!("AAAA");
            let (status, answer) = idp.call("InitiateAuth", bad);
            check(
                status == 400 && error_type(&answer) == Some("NotAuthorizedException"),
                format!("a wrong SECRET_HASH is refused (AUTH=true): {status} {answer}"),
            )?;
        }
        let port: u16 = endpoint
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .unwrap_or(0);

        check(stop(&dir)?, "MiniStack stopped gracefully")?;
        check(
            holder.is_some_and(|holder| !holder.alive()),
            "the holder is gone after stop",
        )?;
        check(
            ministack.is_some_and(|ministack| !ministack.alive()),
            "MiniStack is gone after stop",
        )?;
        check(
            std::net::TcpStream::connect_timeout(
                &core::net::SocketAddr::from(([127, 0, 0, 1], port)),
                Duration::from_secs(1),
            )
            .is_err(),
            format!("port {port} is closed after stop"),
        )?;
        check(
            !state.fixture().exists() && !state.server().exists(),
            "stop removes fixture.json and server.json",
        )?;
        check(stop(&dir)?, "a second stop succeeds quietly")
    })();
    let _ = stop(&dir);
    let _ = fs::remove_dir_all(&dir);
    outcome
}

/// The owner watch: a fixture whose owner process dies stops by itself.
fn selftest_owner_gone() -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!(
        "ministack-fixture-selftest-{}-owner",
        std::process::id()
    ));
    let outcome = (|| {
        let mut owner = Command::new("sleep")
            .arg("600")
            .spawn()
            .map_err(|e| format!("cannot run sleep: {e}"))?;
        let options = Options {
            state: Some(dir.clone()),
            owner_pid: Some(owner.id()),
            ..Options::default()
        };
        let started = start(&options);
        let _ = owner.kill();
        let _ = owner.wait();
        let fixture = started?;
        let ministack = fixture["pid"]
            .as_u64()
            .and_then(|pid| Process::find(u32::try_from(pid).ok()?));
        let record = read_json(&StateDir::new(dir.clone()).server()).unwrap_or_default();
        let holder = record.get("holder").and_then(Process::from_json);
        let deadline = Instant::now() + HOLDER_STOP_TIMEOUT;
        while holder.is_some_and(Process::alive) && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
        check(
            holder.is_some_and(|holder| !holder.alive()),
            "the holder exits once the owner is gone",
        )?;
        check(
            ministack.is_some_and(|ministack| !ministack.alive()),
            "MiniStack is gone once the owner is gone",
        )
    })();
    let _ = stop(&dir);
    let _ = fs::remove_dir_all(&dir);
    outcome
}

fn selftest() -> Result<(), String> {
    let started = Instant::now();
    selftest_offline()?;
    selftest_scenario(false)?;
    selftest_scenario(true)?;
    selftest_owner_gone()?;
    println!(
        "ok (ministack-fixture selftest: known answers, two fixtures, the owner watch; {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        selftest_offline().unwrap();
    }

    #[test]
    fn base32_refuses_what_is_not_base32() {
        assert!(base32_decode("MZXW6YTBO1").is_err());
        assert!(base32_decode("").is_err());
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar");
    }

    #[test]
    fn options_parse_and_refuse() {
        let args: Vec<String> = ["--state", "d", "--client-secret", "--owner-pid", "7", "Op"]
            .iter()
            .map(|s| String::from(*s))
            .collect();
        let options = Options::parse(&args).unwrap();
        assert_eq!(options.state, Some(PathBuf::from("d")));
        assert!(options.client_secret);
        assert_eq!(options.owner_pid, Some(7));
        assert_eq!(options.positional, ["Op"]);
        assert!(Options::parse(&[String::from("--owner-pid")]).is_err());
        assert!(Options::parse(&[String::from("--owner-pid"), String::from("x")]).is_err());
        assert!(Options::parse(&[String::from("--nope")]).is_err());
    }
}
