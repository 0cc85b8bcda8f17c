//! `sign-out --session-file F [--global | --revoke]`: signs the stored session out and removes
//! `F` (and its lock file), under the session file's lock.
//!
//! `F` is kept only when nothing happened at Cognito and trying again may work: the request
//! got no answer, or Cognito answered with a retryable error (throttling, its own fault).

use cognito_auth_core::session::{SessionError, SessionOptions, SignOut, SignOutKind};

use crate::args;
use crate::error::Failure;
use crate::output::step;
use crate::session_file::LockedSessionFile;

pub fn run(args: &args::SignOut) -> Result<(), Failure> {
    let Some(path) = &args.session_file else {
        return Err(Failure::usage(
            "sign-out needs --session-file or --access-token-stdin",
        ));
    };
    let kind = if args.global {
        SignOutKind::Global
    } else if args.revoke {
        SignOutKind::Revoke
    } else {
        SignOutKind::Local
    };
    let (client, transport) = super::connect(&args.pool)?;
    let file = LockedSessionFile::lock(path)?;
    let mut session = file.restore(client, SessionOptions::default())?;
    if kind == SignOutKind::Global {
        // GlobalSignOut needs an access token that has not expired.
        super::session_tokens::fresh_tokens(&mut session, &transport, &file)?;
    }
    let request = match session.sign_out(kind) {
        Ok(SignOut::Send(request)) => Some(request),
        Ok(SignOut::Done) => None,
        Err(e) => return Err(Failure::failed(format!("cannot sign out: {e}"))),
    };
    if let Some(request) = request {
        let kept = |why: String| {
            Failure::failed(format!(
                "{why}; nothing was signed out and {} is kept: run sign-out again",
                path.display()
            ))
        };
        let response = transport.send(&request).map_err(|e| kept(e.to_string()))?;
        match session.handle_sign_out_response(response.as_http()) {
            Ok(()) => {}
            Err(SessionError::SignOutNotConfirmed(error)) if error.is_retryable() => {
                return Err(kept(format!("{}: {}", error.code(), error.message())));
            }
            Err(SessionError::SignOutNotConfirmed(error)) => {
                file.remove()?;
                let mut failure = Failure::from(error);
                if let Failure::Refused { message, .. } = &mut failure {
                    message.push_str(&format!(
                        " (signed out on this device: {} is removed; Cognito did not confirm)",
                        path.display()
                    ));
                }
                return Err(failure);
            }
            Err(e) => {
                file.remove()?;
                return Err(Failure::failed(format!(
                    "signed out on this device ({} is removed), but Cognito's answer was not \
                     understood: {e}",
                    path.display()
                )));
            }
        }
    }
    file.remove()?;
    step(match kind {
        SignOutKind::Local => format!(
            "Signed out on this device: {} is removed. The tokens stay valid at Cognito until \
             they expire; use --revoke or --global to end them there.",
            path.display()
        ),
        SignOutKind::Revoke => format!(
            "Signed out: the refresh token and the access tokens issued with it are revoked \
             (RevokeToken), {} is removed. Other devices stay signed in.",
            path.display()
        ),
        SignOutKind::Global => format!(
            "Signed out everywhere: every token of the user is revoked (GlobalSignOut), {} is \
             removed.",
            path.display()
        ),
    });
    Ok(())
}
