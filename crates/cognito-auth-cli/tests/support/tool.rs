//! Running the `cognito-auth` binary in a test: its environment cleared of the variables it
//! reads, standard input given or closed, exit code and output kept. Included by each CLI test
//! file with `#[path = "support/tool.rs"] mod tool;`.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test file uses part of it; a test fails by panicking"
)]

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The environment variables the tool reads; removed from every run unless a test sets them.
pub const TOOL_ENVIRONMENT: [&str; 8] = [
    "COGNITO_CLIENT_SECRET",
    "COGNITO_TOTP_SECRET",
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// What a run printed.
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone()).unwrap()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.stderr.clone()).unwrap()
    }
}

/// Runs `cognito-auth ARGS` with `env` set (and the tool's other variables removed) and `stdin`
/// as its standard input (closed when `None`).
pub fn run<S: AsRef<OsStr>>(args: &[S], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cognito-auth"));
    command.args(args);
    for name in TOOL_ENVIRONMENT {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cognito-auth");
    if let Some(text) = stdin {
        // The tool may exit before reading (a usage error): a broken pipe is no failure.
        let _ = child.stdin.take().unwrap().write_all(text.as_bytes());
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().expect("exited, not killed"),
        stdout,
        stderr,
    }
}

/// A directory under the target directory, fresh for `name` (in this process).
pub fn scratch(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` to `path` with `mode`.
#[cfg(unix)]
pub fn write_file(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}
