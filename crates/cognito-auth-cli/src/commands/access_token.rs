//! The signed-in user's access token for the account commands: the first line of stdin
//! (`--access-token-stdin`), or the session stored by `sign-in --session-file`, refreshed first
//! under the file's lock when it is about to expire (as `tokens` does).

use cognito_auth_core::SecretString;
use cognito_auth_core::session::SessionOptions;
use cognito_auth_core::sign_in::ClientConfig;

use crate::args;
use crate::error::Failure;
use crate::prompt::stdin_line;
use crate::session_file::LockedSessionFile;
use crate::transport::Transport;

/// The app client, a transport to its endpoint and the access token.
pub fn access_token(
    args: &args::AccessToken,
) -> Result<(ClientConfig, Transport, SecretString), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let token = match &args.session_file {
        Some(path) => {
            // The lock is held until the token is read (and a refresh stored), then released.
            let file = LockedSessionFile::lock(path)?;
            let mut session = file.restore(client.clone(), SessionOptions::default())?;
            super::session_tokens::fresh_tokens(&mut session, &transport, &file)?.access_token
        }
        None => stdin_line("access token")?,
    };
    Ok((client, transport, token))
}
