//! Secrets given to the tool itself (the app client secret, TOTP secrets): from a file, stdin
//! or an environment variable. The command-line form still works, with a warning: other local
//! users can read a process's arguments (`ps`, `/proc/PID/cmdline`) and shells keep them in
//! their history, while a file can be mode 0600 and an environment variable is readable only by
//! the same user (`/proc/PID/environ`).

use std::path::Path;

use cognito_auth_core::SecretString;
use zeroize::Zeroizing;

use crate::error::Failure;
use crate::output::warn;
use crate::prompt::stdin_line;

/// The environment variable for the app client secret.
pub const CLIENT_SECRET_ENV: &str = "COGNITO_CLIENT_SECRET";
/// The environment variable for a base32 TOTP secret.
pub const TOTP_SECRET_ENV: &str = "COGNITO_TOTP_SECRET";

/// The ways one secret may be given; at most one of `argv`, `file`, `stdin` (clap enforces it),
/// else the environment variable `env`.
pub struct Sources<'a> {
    /// The argv flag and its value, e.g. `("--client-secret", "...")`.
    pub argv: Option<(&'a str, &'a str)>,
    /// The file flag and its path, e.g. `("--client-secret-file", path)`.
    pub file: Option<(&'a str, &'a Path)>,
    /// The name of the file flag, for messages even when no file was given.
    pub file_flag: &'a str,
    /// Read the first line of stdin.
    pub stdin: bool,
    /// The environment variable read when nothing else is given.
    pub env: &'static str,
    /// What the secret is, for messages: "client secret", "TOTP secret".
    pub what: &'a str,
}

impl Sources<'_> {
    /// The secret, or `None` when none of the sources has one. An empty secret is bad usage.
    pub fn read(&self) -> Result<Option<SecretString>, Failure> {
        let secret = if let Some((flag, value)) = self.argv {
            warn(format!(
                "{flag} puts the {what} on the command line, where other local users can read it \
                 (ps, /proc/PID/cmdline) and the shell keeps it in its history; use ${env} or \
                 {file_flag} instead",
                what = self.what,
                env = self.env,
                file_flag = self.file_flag,
            ));
            (flag.to_owned(), SecretString::new(value))
        } else if let Some((flag, path)) = self.file {
            (flag.to_owned(), first_line_of_file(path, self.what)?)
        } else if self.stdin {
            (String::from("stdin"), stdin_line(self.what)?)
        } else {
            match std::env::var_os(self.env) {
                None => return Ok(None),
                Some(value) => {
                    let value = value
                        .into_string()
                        .map_err(|_| Failure::usage(format!("${} is not UTF-8", self.env)))?;
                    (format!("${}", self.env), SecretString::from(value))
                }
            }
        };
        let (from, secret) = secret;
        if secret.is_empty() {
            return Err(Failure::usage(format!(
                "the {} ({from}) is empty",
                self.what
            )));
        }
        Ok(Some(secret))
    }
}

/// The first line of `path` (without its line ending); the buffer is wiped. A file that group
/// or others may read is used, with a warning (a mounted secret may have a mode the user cannot
/// change; the device file, which the tool writes itself, is refused instead).
fn first_line_of_file(path: &Path, what: &str) -> Result<SecretString, Failure> {
    let cannot = |e: std::io::Error| {
        Failure::usage(format!(
            "cannot read the {what} from {}: {e}",
            path.display()
        ))
    };
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let mode = file.metadata().map_err(cannot)?.mode() & 0o777;
        if mode & 0o077 != 0 {
            warn(format!(
                "{} holds the {what} but group or others may read it (mode {mode:04o}); \
                 run `chmod 600 {}`",
                path.display(),
                path.display()
            ));
        }
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(4096));
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(cannot)?;
    let line = bytes
        .split(|&byte| byte == b'\n')
        .next()
        .unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = core::str::from_utf8(line)
        .map_err(|_| Failure::usage(format!("the {what} in {} is not UTF-8", path.display())))?;
    Ok(SecretString::new(text))
}
