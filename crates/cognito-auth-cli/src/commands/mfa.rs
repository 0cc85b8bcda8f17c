//! `set-up-totp`: AssociateSoftwareToken, and with `--verify` VerifySoftwareToken with a code
//! computed from the new secret, then TOTP as the preferred MFA.

use cognito_auth_core::account::{
    AssociateSoftwareToken, MfaSetting, SetUserMfaPreference, VerifySoftwareToken,
};
use cognito_auth_core::jwt::JwtClaims;
use cognito_auth_core::sign_in::MfaType;
use cognito_auth_core::totp::Totp;
use serde_json::json;

use crate::args;
use crate::error::Failure;
use crate::output::{print_json, step};
use crate::prompt::stdin_line;

pub fn set_up_totp(args: &args::SetUpTotp) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let token = stdin_line("access token")?;
    // The label of the otpauth URI; the token is read, not verified (Cognito does that).
    let claims = JwtClaims::read(token.expose())
        .map_err(|e| Failure::usage(format!("the access token is not a Cognito JWT: {e}")))?;
    let username = claims.username.unwrap_or(claims.sub);
    let details = transport.run(
        &client,
        &AssociateSoftwareToken::new(token.clone(), &username),
    )?;
    let issuer = args.issuer.as_deref().unwrap_or(&args.pool.user_pool_id);
    let secret = details.shared_secret().to_base32();
    let uri = details.setup_uri(issuer, None);
    if args.verify {
        let code = Totp::COGNITO
            .code(details.shared_secret(), super::now())
            .map_err(|e| Failure::failed(format!("cannot compute a TOTP code: {e}")))?;
        transport.run(
            &client,
            &VerifySoftwareToken::new(token.clone(), code.as_str())
                .with_friendly_device_name("cognito-auth"),
        )?;
        let enabled = MfaSetting {
            enabled: true,
            preferred: true,
        };
        transport.run(
            &client,
            &SetUserMfaPreference::new(token).with(MfaType::Totp, enabled),
        )?;
        step("TOTP verified and set as the preferred MFA.");
    }
    print_json(&json!({
        "SecretCode": secret.expose(),
        "Uri": uri.expose(),
        "Verified": args.verify,
    }));
    Ok(())
}
