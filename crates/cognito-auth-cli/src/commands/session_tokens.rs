//! `tokens --session-file F`: the stored session's tokens, refreshed first when the access token
//! expires within the margin, under the session file's lock (one refresh at a time across
//! processes; see [`crate::session_file`]).
//!
//! A session that Cognito has ended (the refresh token revoked, expired or already rotated out,
//! the user deleted) exits 1 with the reason, and `F` is removed: it can never work again. A
//! refusal that may instead be this call's own fault (a plain `NotAuthorizedException`, which a
//! wrong client secret also gives) exits 1 and keeps `F`.

use cognito_auth_core::session::{
    EndReason, RefreshOutcome, Session, SessionOptions, SessionTokens, TokensForCall,
};
use serde_json::{Map, Value};

use crate::args;
use crate::error::Failure;
use crate::output::{print_json, step, warn};
use crate::session_file::LockedSessionFile;
use crate::transport::Transport;

pub fn run(args: &args::Tokens) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let margin = args
        .min_valid
        .unwrap_or(SessionOptions::DEFAULT_REFRESH_MARGIN_SECS);
    let options = SessionOptions::default().with_refresh_margin_secs(margin);
    let file = LockedSessionFile::lock(&args.session_file)?;
    let mut session = file.restore(client, options)?;
    let tokens = fresh_tokens(&mut session, &transport, &file)?;
    let expires_in = tokens.expires_in(super::now());
    if expires_in < margin {
        warn(format!(
            "the access token expires in {expires_in} s, within --min-valid {margin} s: a \
             refresh is made only once half of the tokens' lifetime has passed"
        ));
    }
    print_json(&tokens_json(&tokens, expires_in));
    Ok(())
}

/// Fresh tokens of `session`: as they are, or refreshed first (and `file` rewritten). Holding
/// `file`'s lock, this process is the only one refreshing.
pub fn fresh_tokens(
    session: &mut Session,
    transport: &Transport,
    file: &LockedSessionFile,
) -> Result<SessionTokens, Failure> {
    let request = match session.tokens_for_call(super::now()) {
        Ok(TokensForCall::Fresh(tokens)) => return Ok(tokens),
        Ok(TokensForCall::Refresh(request)) => request,
        Ok(TokensForCall::Ended(reason)) => return Err(ended(file, reason)),
        // Only another holder of this in-memory session could have a refresh in flight.
        Ok(TokensForCall::WaitForRefresh) => {
            return Err(Failure::failed(
                "a refresh of this session is already in flight",
            ));
        }
        Err(e) => return Err(Failure::failed(format!("cannot refresh the session: {e}"))),
    };
    let response = match transport.send(&request) {
        Ok(response) => response,
        Err(failure) => {
            let _ = session.refresh_failed_to_send();
            return Err(failure);
        }
    };
    match session.handle_refresh_response(response.as_http(), super::now()) {
        Ok(RefreshOutcome::Refreshed(tokens)) => {
            file.save(session)?;
            step(format!(
                "Tokens refreshed; the session in {} is updated.",
                file.path().display()
            ));
            Ok(tokens)
        }
        Ok(RefreshOutcome::Ended(reason)) => Err(ended(file, reason)),
        Ok(RefreshOutcome::Failed(error)) => Err(error.into()),
        Err(e) => Err(Failure::failed(format!(
            "the refresh failed ({e}); the session in {} is kept",
            file.path().display()
        ))),
    }
}

/// The failure for a session Cognito ended, after removing the file when the session can
/// never work again.
fn ended(file: &LockedSessionFile, reason: EndReason) -> Failure {
    let path = file.path().display();
    // Exhaustive: a new reason must be sorted here.
    let final_reason = match reason {
        EndReason::RefreshTokenRevoked
        | EndReason::RefreshTokenExpired
        | EndReason::RefreshTokenReused
        | EndReason::UserNotFound
        | EndReason::SignedOut(_) => true,
        EndReason::NotAuthorized => false,
    };
    if final_reason {
        match file.remove() {
            Ok(()) => Failure::failed(format!(
                "the session has ended: {reason}; {path} is removed: sign in again"
            )),
            Err(e) => Failure::failed(format!("the session has ended: {reason}; {e}")),
        }
    } else {
        Failure::failed(format!(
            "the session has ended: {reason} (also the answer to a wrong client secret); \
             {path} is kept: check the client secret, else sign in again"
        ))
    }
}

/// `IdToken`, `AccessToken`, `RefreshToken` and `ExpiresIn`, as Cognito spells them.
fn tokens_json(tokens: &SessionTokens, expires_in: u64) -> Value {
    let mut result = Map::new();
    if let Some(id) = &tokens.id_token {
        result.insert("IdToken".into(), id.expose().into());
    }
    result.insert("AccessToken".into(), tokens.access_token.expose().into());
    result.insert("RefreshToken".into(), tokens.refresh_token.expose().into());
    result.insert("ExpiresIn".into(), expires_in.into());
    Value::Object(result)
}
