//! `credentials`: AWS credentials from an identity pool, printed in the `credential_process`
//! form the AWS CLI and SDKs read.

use cognito_auth_core::identity_pool::{
    AwsCredentials, CredentialsForCall, CredentialsOutcome, CredentialsProvider, IdentityPoolError,
    IdentityPoolId, Logins,
};
use cognito_auth_core::{Endpoint, UserPoolId};
use serde_json::json;

use crate::args;
use crate::error::Failure;
use crate::output::{print_json, step};
use crate::prompt::stdin_line;
use crate::transport::Transport;

/// Most requests one run sends: `GetId`, `GetCredentialsForIdentity`, and a second round after
/// a refused stored identity (the provider itself stops after one).
const MAX_REQUESTS: usize = 4;

pub fn run(args: &args::Credentials) -> Result<(), Failure> {
    let pool = IdentityPoolId::parse(&args.identity_pool_id).map_err(|e| {
        Failure::usage(format!(
            "--identity-pool-id {:?}: {e}",
            args.identity_pool_id
        ))
    })?;
    let logins = match &args.user_pool_id {
        None => Logins::guest(),
        Some(user_pool_id) => {
            let user_pool = UserPoolId::parse(user_pool_id)
                .map_err(|e| Failure::usage(format!("--user-pool-id {user_pool_id:?}: {e}")))?;
            let id_token = stdin_line("ID token")?;
            Logins::user_pool(&user_pool, id_token).map_err(Failure::usage)?
        }
    };
    let endpoint = args.network.endpoint(
        "the ID token and the AWS credentials",
        Endpoint::identity_for_region,
        || {
            Endpoint::for_identity_pool(&pool)
                .map_err(|e| Failure::usage(format!("--identity-pool-id: {e}")))
        },
    )?;
    let transport = args.network.transport(endpoint)?;
    let mut provider = CredentialsProvider::new(pool, logins);
    let credentials = fetch(&transport, &mut provider)?;
    if let Some(identity) = provider.identity_id() {
        step(format!("Identity: {identity}"));
    }
    print_json(&credential_process(&credentials));
    Ok(())
}

/// Runs the provider's exchange (GetId, GetCredentialsForIdentity) to the end.
fn fetch(
    transport: &Transport,
    provider: &mut CredentialsProvider,
) -> Result<AwsCredentials, Failure> {
    let mut request = match provider.credentials_for_call(super::now()) {
        CredentialsForCall::Send(request) => request,
        CredentialsForCall::Fresh(credentials) => return Ok(credentials),
        _ => return Err(Failure::failed("no identity-pool request to send")),
    };
    for _ in 0..MAX_REQUESTS {
        let response = match transport.send(&request) {
            Ok(response) => response,
            Err(failure) => {
                provider.request_failed_to_send();
                return Err(failure);
            }
        };
        match provider
            .handle_response(response.as_http(), super::now())
            .map_err(failure)?
        {
            CredentialsOutcome::Refreshed(credentials) => return Ok(credentials),
            CredentialsOutcome::Send(next) => request = next,
            CredentialsOutcome::Failed(error) => return Err(error.into()),
        }
    }
    Err(Failure::failed(format!(
        "no credentials after {MAX_REQUESTS} requests"
    )))
}

/// The exit code of a provider error: refused (1), a strange answer (1), else bad input (2).
fn failure(error: IdentityPoolError) -> Failure {
    match error {
        IdentityPoolError::Service(service) => service.into(),
        IdentityPoolError::Response(_) | IdentityPoolError::ExpirationOutOfRange => {
            Failure::failed(format!("unexpected response: {error}"))
        }
        other => Failure::usage(other),
    }
}

/// The `credential_process` document: `Version` 1, the keys, `Expiration` in ISO 8601 UTC.
/// The secret key and session token go to stdout only, for the process that asked.
fn credential_process(credentials: &AwsCredentials) -> serde_json::Value {
    json!({
        "Version": 1,
        "AccessKeyId": credentials.access_key_id,
        "SecretAccessKey": credentials.secret_access_key.expose(),
        "SessionToken": credentials.session_token.expose(),
        "Expiration": credentials.expiration.iso8601(),
    })
}
