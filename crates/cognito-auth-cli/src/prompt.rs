//! Where answers come from: lines of stdin (`--password-stdin` and friends), or prompts on the
//! terminal, secrets without echo.

use std::io::{IsTerminal as _, StdinLock, Write as _};

use cognito_auth_core::SecretString;
use zeroize::Zeroizing;

use crate::error::Failure;
use crate::output::prompt;

/// The source of a command's answers.
pub enum Input {
    /// One answer per line of stdin, read exactly as typed minus the line ending.
    Lines(StdinLock<'static>),
    /// Prompts on the terminal.
    Terminal,
}

impl Input {
    /// Lines of stdin when `from_stdin`, else the terminal; without a terminal that is bad
    /// usage (nothing to prompt on).
    pub fn new(from_stdin: bool, stdin_flag: &str) -> Result<Self, Failure> {
        if from_stdin {
            Ok(Self::Lines(std::io::stdin().lock()))
        } else if std::io::stdin().is_terminal() {
            Ok(Self::Terminal)
        } else {
            Err(Failure::usage(format!(
                "stdin is not a terminal to prompt on; pass {stdin_flag} and write the answers \
                 to stdin, one per line"
            )))
        }
    }

    /// Whether answers are typed by a person at a terminal.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Terminal)
    }

    /// A secret (password, code, token): read without echo on a terminal. The line is moved
    /// into the [`SecretString`], not copied, so no unwiped copy stays behind.
    pub fn secret(&mut self, what: &str) -> Result<SecretString, Failure> {
        match self {
            Self::Lines(lines) => read_line(lines, what).map(SecretString::from),
            Self::Terminal => rpassword::prompt_password(prompt(what))
                .map(SecretString::from)
                .map_err(|e| Failure::usage(format!("cannot read the {what}: {e}"))),
        }
    }

    /// A visible answer (a choice, an email address, an attribute value).
    pub fn text(&mut self, what: &str) -> Result<String, Failure> {
        match self {
            Self::Lines(lines) => read_line(lines, what),
            Self::Terminal => {
                eprint!("{}", prompt(what));
                let _ = std::io::stderr().flush();
                let mut lock = std::io::stdin().lock();
                read_line(&mut lock, what)
            }
        }
    }
}

/// Reads the first line of stdin (a token or password given with `--...-stdin`), moved into
/// the [`SecretString`].
pub fn stdin_line(what: &str) -> Result<SecretString, Failure> {
    read_line(&mut std::io::stdin().lock(), what).map(SecretString::from)
}

/// Room for a line without growing: a `String` that grows leaves its old buffer, with what
/// was read so far, unwiped in freed memory. Longer lines (JWTs) grow once or twice.
const LINE_CAPACITY: usize = 4096;

/// One line, exactly as typed: only the line ending (`\n` or `\r\n`) is dropped. End of input
/// before any character, or bytes that are not UTF-8, are bad input. On an error the partial
/// line is wiped.
fn read_line(reader: &mut impl std::io::BufRead, what: &str) -> Result<String, Failure> {
    let mut line = Zeroizing::new(String::with_capacity(LINE_CAPACITY));
    let read = reader
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the {what} from stdin: {e}")))?;
    if read == 0 {
        return Err(Failure::usage(format!(
            "stdin ended before the {what} (one answer per line)"
        )));
    }
    if line.ends_with('\n') {
        line.pop();
        if line.ends_with('\r') {
            line.pop();
        }
    }
    // Out of the wiping wrapper without a copy: the caller moves it into a SecretString.
    Ok(core::mem::take(&mut *line))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::read_line;
    use cognito_auth_core::SecretString;

    /// Issue 14: the line read is moved into the secret (same buffer), not copied, so no
    /// unwiped copy of the password stays behind.
    #[test]
    fn a_line_moves_into_the_secret() {
        let mut input: &[u8] = b"hunter2-password\n";
        let line = read_line(&mut input, "password").unwrap();
        let buffer = line.as_ptr();
        assert!(
            line.capacity() >= super::LINE_CAPACITY,
            "read without growing"
        );
        let secret = SecretString::from(line);
        assert_eq!(secret.expose(), "hunter2-password");
        assert_eq!(secret.expose().as_ptr(), buffer, "moved, not copied");
    }

    #[test]
    fn lines_are_kept_as_typed() {
        let mut input: &[u8] = " pass word ü \r\nsecond\nlast".as_bytes();
        assert_eq!(read_line(&mut input, "a").unwrap(), " pass word ü ");
        assert_eq!(read_line(&mut input, "b").unwrap(), "second");
        assert_eq!(read_line(&mut input, "c").unwrap(), "last");
        assert!(read_line(&mut input, "d").is_err());
    }
}
