//! `--session-file`: a signed-in session in the core's storage form
//! ([`Session::to_storage`]), shared by the processes that use it.
//!
//! - **Private.** It holds the refresh token, so it is treated as ssh treats a private key: a
//!   file that another user owns, or that group or others may read, is refused (exit 2).
//! - **Atomic.** A new version is written to a temporary file created with mode 0600 in the same
//!   directory, flushed to disk (`fsync`) and renamed over the old one: a reader sees the old
//!   session or the new one, never half of one.
//! - **One process at a time.** Every command that reads or writes the file first takes an
//!   exclusive lock on the sidecar `F.lock` (created 0600 next to it) and holds it until it is
//!   done, so two processes never refresh at once: the second waits, then reads the tokens the
//!   first one stored (a rotated refresh token is never sent twice). The lock is on the sidecar,
//!   not on `F`: `F` is replaced by a rename, and a lock on the replaced file would guard
//!   nothing. Whoever deletes the lock file (sign-out) does it while holding the lock; a waiter
//!   that then gets the lock checks that the path still names the file it locked, and else
//!   locks anew.
//!
//! The file's text is wiped after use.

use std::fs;
use std::path::{Path, PathBuf};

use cognito_auth_core::UnixTime;
use cognito_auth_core::session::{Session, SessionError, SessionOptions};
use cognito_auth_core::sign_in::{ClientConfig, RememberedDevice, SignedIn};
use zeroize::Zeroizing;

use crate::error::Failure;
use crate::private_file::{Kind, remove_if_present};

/// The session file's kind: read and written by the rules of [`private_file`].
const SESSION_FILE: Kind = Kind {
    name: "session file",
    holds: "a refresh token",
    otherwise: "or sign in again",
    // Three JWTs and a few fields are far shorter.
    max_len: 256 * 1024,
};

/// The session file `path`, locked for this process until dropped.
pub struct LockedSessionFile {
    path: PathBuf,
    lock_path: PathBuf,
    /// The locked sidecar; the lock is released when it is closed.
    _lock: fs::File,
}

impl LockedSessionFile {
    /// Takes the exclusive lock on `path`'s sidecar lock file (creating it), waiting for
    /// another process that holds it.
    pub fn lock(path: &Path) -> Result<Self, Failure> {
        let mut lock_name = path
            .file_name()
            .ok_or_else(|| Failure::usage(format!("{} is not a file path", path.display())))?
            .to_os_string();
        lock_name.push(".lock");
        let lock_path = path.with_file_name(lock_name);
        let cannot = |e: std::io::Error| {
            Failure::failed(format!("cannot lock {}: {e}", lock_path.display()))
        };
        loop {
            let mut options = fs::OpenOptions::new();
            options.read(true).write(true).create(true).truncate(false);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let file = options.open(&lock_path).map_err(cannot)?;
            file.lock().map_err(cannot)?;
            if still_named(&lock_path, &file).map_err(cannot)? {
                return Ok(Self {
                    path: path.to_owned(),
                    lock_path,
                    _lock: file,
                });
            }
            // Deleted (or replaced) by the holder we waited for: lock the file the path names now.
        }
    }

    /// The session file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored session, restored for `client` (bad input, exit 2, when the file is missing,
    /// not private, damaged, or of another client).
    pub fn restore(
        &self,
        client: ClientConfig,
        options: SessionOptions,
    ) -> Result<Session, Failure> {
        let text = self.read()?;
        Session::restore(client, text.trim_end(), options).map_err(|e| self.refused(&e))
    }

    /// Stores `session` (atomically, mode 0600).
    pub fn save(&self, session: &Session) -> Result<(), Failure> {
        let text = session.to_storage().map_err(|e| {
            Failure::failed(format!(
                "cannot store the session in {}: {e}",
                self.path.display()
            ))
        })?;
        SESSION_FILE.write(&self.path, text.expose())
    }

    /// Deletes the session file and then its lock file (still holding the lock; a waiter
    /// notices, see [`still_named`]). Elsewhere than on Unix the lock file stays: a waiter
    /// there could not tell that it holds a deleted one.
    pub fn remove(&self) -> Result<(), Failure> {
        remove_if_present(&self.path)?;
        #[cfg(unix)]
        remove_if_present(&self.lock_path)?;
        #[cfg(not(unix))]
        let _ = &self.lock_path;
        Ok(())
    }

    fn read(&self) -> Result<Zeroizing<String>, Failure> {
        SESSION_FILE.read(&self.path)?.ok_or_else(|| {
            // No session: leave no lock file behind either (best effort; still locked).
            #[cfg(unix)]
            let _ = std::fs::remove_file(&self.lock_path);
            let path = self.path.display();
            Failure::usage(format!(
                "no session in {path}: sign in first (cognito-auth sign-in ... --session-file \
                 {path})"
            ))
        })
    }

    /// Why the stored session was refused; never shows its content.
    fn refused(&self, error: &SessionError) -> Failure {
        let path = self.path.display();
        let advice = match error {
            SessionError::ClientMismatch => {
                "; pass the --user-pool-id and --client-id it was signed in with"
            }
            _ => "; sign in again to replace it",
        };
        Failure::usage(format!(
            "the session file {path} cannot be used: {error}{advice}"
        ))
    }
}

/// `sign-in --session-file`: the session of a finished sign-in (`remembered`: the device it
/// started with), stored under the lock, replacing any session stored there before.
pub fn store_sign_in(
    path: &Path,
    client: ClientConfig,
    signed_in: &SignedIn,
    remembered: Option<&RememberedDevice>,
    received_at: UnixTime,
) -> Result<(), Failure> {
    let session = Session::from_sign_in(
        client,
        signed_in,
        received_at,
        remembered,
        SessionOptions::default(),
    )
    .map_err(|e| Failure::failed(format!("cannot keep a session in {}: {e}", path.display())))?;
    LockedSessionFile::lock(path)?.save(&session)
}

/// Whether `path` still names the open `file` (not deleted or replaced since it was opened).
#[cfg(unix)]
fn still_named(path: &Path, file: &fs::File) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt as _;
    let locked = file.metadata()?;
    match fs::metadata(path) {
        Ok(named) => Ok(named.dev() == locked.dev() && named.ino() == locked.ino()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Elsewhere an open file cannot be deleted, so the path still names it.
#[cfg(not(unix))]
fn still_named(_path: &Path, _file: &fs::File) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[cfg(unix)]
    #[test]
    fn writes_are_private_and_the_lock_is_recreated_after_removal() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("cognito-auth-session-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("session");
        SESSION_FILE
            .write(&path, "cognito-auth-session.v1.x.y")
            .unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let locked = LockedSessionFile::lock(&path).unwrap();
        assert_eq!(
            locked.read().unwrap().as_str(),
            "cognito-auth-session.v1.x.y\n"
        );
        let lock_mode = fs::metadata(dir.join("session.lock"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(lock_mode & 0o777, 0o600);
        locked.remove().unwrap();
        assert!(!path.exists() && !dir.join("session.lock").exists());
        // Locking again makes a new lock file.
        drop(LockedSessionFile::lock(&path).unwrap());
        assert!(dir.join("session.lock").exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
