//! `delete-user`: the signed-in user deletes their own account (DeleteUser).

use cognito_auth_core::account::{AccountOperation, DeleteUser};
use cognito_auth_core::jwt::JwtClaims;
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::{Endpoint, UserPoolId};

use crate::args;
use crate::error::Failure;
use crate::output::step;
use crate::prompt::stdin_line;

pub fn run(args: &args::DeleteUser) -> Result<(), Failure> {
    let token = stdin_line("access token")?;
    // The user pool: --user-pool-id, else the token's issuer (`https://cognito-idp.<region>.
    // amazonaws.com/<pool id>`, read unverified: it only picks the endpoint, and a pool id
    // must parse as one, so the host stays Cognito's).
    let claims = JwtClaims::read(token.expose())
        .map_err(|e| Failure::usage(format!("the access token: {e}")))?;
    let user_pool_id = match (&args.user_pool_id, &claims.iss) {
        (Some(id), _) => id.clone(),
        (None, Some(issuer)) => issuer.rsplit('/').next().unwrap_or_default().to_owned(),
        (None, None) => {
            return Err(Failure::usage(
                "the access token names no issuer: pass --user-pool-id",
            ));
        }
    };
    let user_pool = UserPoolId::parse(&user_pool_id)
        .map_err(|e| Failure::usage(format!("user pool {user_pool_id:?}: {e}")))?;
    let endpoint = args
        .network
        .endpoint("the access token", Endpoint::for_region, || {
            Endpoint::for_user_pool(&user_pool)
                .map_err(|e| Failure::usage(format!("user pool {user_pool_id:?}: {e}")))
        })?;
    // DeleteUser names no client; the config only satisfies the operation's signature.
    let client_id = claims.client_id.as_deref().unwrap_or("unknown-client");
    let client = ClientConfig::new(user_pool, client_id)
        .map_err(|e| Failure::usage(format!("the access token's client_id: {e}")))?;
    let transport = args.network.transport(endpoint)?;
    let operation = DeleteUser::new(token);
    let request = operation.request(&client)?;
    let response = transport.send(&request)?;
    operation.parse_response(response.as_http())?;
    step(match &claims.username {
        Some(name) => format!("{name} is deleted; forget their tokens and remembered device."),
        None => "The user is deleted; forget their tokens and remembered device.".to_owned(),
    });
    Ok(())
}
