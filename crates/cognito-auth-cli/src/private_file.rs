//! Files that hold a secret (`--device-file`, `--session-file`, `oauth --state-file`), read and
//! written by one set of rules, the way ssh treats a private key:
//!
//! - **Read:** a file that another user owns, or that group or others may read or write, is
//!   refused (bad usage, exit 2) with a message that says how to fix it. The check is made on
//!   the open file, not the path, so a swap between check and read is harmless; at most a
//!   bounded number of bytes is read, into a buffer wiped on drop.
//! - **Write:** a new temporary file created with mode 0600 in the same directory, flushed to
//!   disk and renamed over the old one (never half-written, never readable by others for a
//!   moment), then the directory flushed.

use std::fs;
use std::io::{Read as _, Write as _};
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::Failure;

/// One kind of private file, for the messages.
pub struct Kind {
    /// What it is called: `device file`.
    pub name: &'static str,
    /// The secret it holds: `a device password`.
    pub holds: &'static str,
    /// The other way out when its permissions are wrong: `or delete it to remember this
    /// device anew`.
    pub otherwise: &'static str,
    /// The longest file read.
    pub max_len: u64,
}

impl Kind {
    /// The file's text; `None` when it does not exist.
    pub fn read(&self, path: &Path) -> Result<Option<Zeroizing<String>>, Failure> {
        let cannot = |e: std::io::Error| {
            Failure::usage(format!(
                "cannot read the {} {}: {e}",
                self.name,
                path.display()
            ))
        };
        let mut file = match fs::File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(cannot(e)),
        };
        let metadata = file.metadata().map_err(cannot)?;
        self.check_private(path, &metadata)?;
        if metadata.len() > self.max_len {
            return Err(Failure::usage(format!(
                "the {} {} is too large to be one",
                self.name,
                path.display()
            )));
        }
        let mut text = Zeroizing::new(String::with_capacity(8 * 1024));
        std::io::Read::by_ref(&mut file)
            .take(self.max_len)
            .read_to_string(&mut text)
            .map_err(cannot)?;
        Ok(Some(text))
    }

    /// Writes `text` (and a final newline) to `path` through a new temporary file created
    /// 0600 in the same directory, flushed to disk, then renamed over `path`.
    pub fn write(&self, path: &Path, text: &str) -> Result<(), Failure> {
        let cannot = |e: std::io::Error| {
            Failure::failed(format!(
                "cannot write the {} {}: {e}",
                self.name,
                path.display()
            ))
        };
        let mut temporary_name = path
            .file_name()
            .ok_or_else(|| Failure::usage(format!("{} is not a file path", path.display())))?
            .to_os_string();
        temporary_name.push(format!(".tmp{}", std::process::id()));
        let temporary = path.with_file_name(temporary_name);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&temporary).and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.write_all(b"\n")?;
            file.sync_all()
        });
        if let Err(e) = written.and_then(|()| fs::rename(&temporary, path)) {
            let _ = fs::remove_file(&temporary);
            return Err(cannot(e));
        }
        sync_directory(path);
        Ok(())
    }

    /// Refuses a file that another user owns, or that group or others may read or write.
    #[cfg(unix)]
    fn check_private(&self, path: &Path, metadata: &fs::Metadata) -> Result<(), Failure> {
        use std::os::unix::fs::MetadataExt as _;
        let me = rustix::process::geteuid().as_raw();
        if metadata.uid() != me {
            return Err(Failure::usage(format!(
                "the {} {} belongs to user id {}, not to you (user id {me}); it holds {}: \
                 refusing to use it",
                self.name,
                path.display(),
                metadata.uid(),
                self.holds
            )));
        }
        let mode = metadata.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Failure::usage(format!(
                "permissions {mode:04o} for the {} {} are too open: it holds {}, so it must be \
                 readable by you only; run `chmod 600 {}` (and check who could have read it), {}",
                self.name,
                path.display(),
                self.holds,
                path.display(),
                self.otherwise
            )));
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn check_private(&self, _path: &Path, _metadata: &fs::Metadata) -> Result<(), Failure> {
        Ok(())
    }
}

/// Deletes `path`; a file that is already gone is fine.
pub fn remove_if_present(path: &Path) -> Result<(), Failure> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::failed(format!(
            "cannot delete {}: {e}",
            path.display()
        ))),
    }
}

/// Flushes a rename to disk (best effort: not every platform opens directories).
fn sync_directory(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(dir) = fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    const TEST_FILE: Kind = Kind {
        name: "test file",
        holds: "a test secret",
        otherwise: "or delete it",
        max_len: 64,
    };

    #[cfg(unix)]
    #[test]
    fn written_files_are_0600_and_read_back_and_open_or_large_ones_are_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("private-file-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("secret");
        assert!(TEST_FILE.read(&path).unwrap().is_none());
        TEST_FILE.write(&path, "first").unwrap();
        TEST_FILE.write(&path, "second").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(TEST_FILE.read(&path).unwrap().unwrap().as_str(), "second\n");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let refused = TEST_FILE.read(&path).err().unwrap().to_string();
        assert!(refused.contains("permissions 0640") && refused.contains("too open"));
        assert!(refused.contains("a test secret") && refused.contains("or delete it"));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        TEST_FILE.write(&path, &"x".repeat(100)).unwrap();
        assert!(
            TEST_FILE
                .read(&path)
                .err()
                .unwrap()
                .to_string()
                .contains("too large")
        );
        remove_if_present(&path).unwrap();
        remove_if_present(&path).unwrap();
        fs::remove_dir(&dir).unwrap();
    }
}
