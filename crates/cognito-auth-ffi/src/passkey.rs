//! Passkeys: the `WEB_AUTHN` sign-in step's options ([`PasskeyRequestOptions`]) and what the
//! passkey management operations of the signed-in user answer. The operations themselves
//! (`StartWebAuthnRegistration`, `CompleteWebAuthnRegistration`, `ListWebAuthnCredentials`,
//! `DeleteWebAuthnCredential`) are [`AccountRequest`](crate::account::AccountRequest) variants.
//!
//! Android: hand `json` to Credential Manager (`GetPublicKeyCredentialOption(json)`,
//! `CreatePublicKeyCredentialRequest(json)`) and pass its response JSON back. iOS: use the
//! typed fields (base64url: decode `challenge`, `user_id`, credential ids) with
//! `ASAuthorizationPlatformPublicKeyCredentialProvider(relyingPartyIdentifier: rp_id)`, and
//! build the response JSON with base64url fields.

use cognito_auth_core::account as core_account;
use cognito_auth_core::passkey as core_passkey;

use crate::error::{CognitoAuthError, Result};

/// A credential in `allowCredentials` / `excludeCredentials`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PasskeyCredentialDescriptor {
    /// The credential id, base64url (unpadded).
    pub id: String,
    /// `transports`, as given.
    pub transports: Vec<String>,
}

impl From<core_passkey::PasskeyCredentialDescriptor> for PasskeyCredentialDescriptor {
    fn from(d: core_passkey::PasskeyCredentialDescriptor) -> Self {
        Self {
            id: d.id,
            transports: d.transports,
        }
    }
}

/// `CREDENTIAL_REQUEST_OPTIONS` of the `WEB_AUTHN` step, checked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PasskeyRequestOptions {
    /// Cognito's JSON, unchanged (Android Credential Manager takes it as it is).
    pub json: String,
    /// `challenge`, base64url, at least 16 bytes decoded.
    pub challenge: String,
    /// `rpId`.
    pub rp_id: Option<String>,
    /// `timeout` in milliseconds.
    pub timeout_ms: Option<u64>,
    /// `allowCredentials`.
    pub allow_credentials: Vec<PasskeyCredentialDescriptor>,
    /// `userVerification`.
    pub user_verification: Option<String>,
}

impl From<core_passkey::PasskeyRequestOptions> for PasskeyRequestOptions {
    fn from(o: core_passkey::PasskeyRequestOptions) -> Self {
        Self {
            json: o.json().to_owned(),
            challenge: o.challenge,
            rp_id: o.rp_id,
            timeout_ms: o.timeout_ms,
            allow_credentials: o.allow_credentials.into_iter().map(Into::into).collect(),
            user_verification: o.user_verification,
        }
    }
}

/// `CredentialCreationOptions` of `StartWebAuthnRegistration`, checked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PasskeyCreationOptions {
    /// Cognito's options as compact JSON (Android `CreatePublicKeyCredentialRequest(json)`).
    pub json: String,
    /// `challenge`, base64url, at least 16 bytes decoded.
    pub challenge: String,
    /// `rp.id`.
    pub rp_id: Option<String>,
    /// `rp.name`.
    pub rp_name: String,
    /// `user.id`, base64url (the user handle).
    pub user_id: String,
    /// `user.name`.
    pub user_name: String,
    /// `user.displayName`.
    pub user_display_name: String,
    /// `pubKeyCredParams[].alg`: COSE algorithm ids (-7 ES256, -257 RS256, ...).
    pub algorithms: Vec<i64>,
    /// `timeout` in milliseconds.
    pub timeout_ms: Option<u64>,
    /// `excludeCredentials`.
    pub exclude_credentials: Vec<PasskeyCredentialDescriptor>,
    /// `authenticatorSelection.authenticatorAttachment`.
    pub authenticator_attachment: Option<String>,
    /// `authenticatorSelection.residentKey`.
    pub resident_key: Option<String>,
    /// `authenticatorSelection.userVerification`.
    pub user_verification: Option<String>,
    /// `attestation`.
    pub attestation: Option<String>,
}

impl From<core_passkey::PasskeyCreationOptions> for PasskeyCreationOptions {
    fn from(o: core_passkey::PasskeyCreationOptions) -> Self {
        Self {
            json: o.json().to_owned(),
            challenge: o.challenge,
            rp_id: o.rp_id,
            rp_name: o.rp_name,
            user_id: o.user_id,
            user_name: o.user_name,
            user_display_name: o.user_display_name,
            algorithms: o.pub_key_cred_params.iter().map(|p| p.alg).collect(),
            timeout_ms: o.timeout_ms,
            exclude_credentials: o.exclude_credentials.into_iter().map(Into::into).collect(),
            authenticator_attachment: o.authenticator_attachment,
            resident_key: o.resident_key,
            user_verification: o.user_verification,
            attestation: o.attestation,
        }
    }
}

impl From<core_passkey::PasskeyError> for CognitoAuthError {
    fn from(error: core_passkey::PasskeyError) -> Self {
        Self::UnexpectedResponse {
            reason: error.to_string(),
        }
    }
}

/// Checks a `CREDENTIAL_REQUEST_OPTIONS` string (e.g. one kept by the app) the way the
/// `WEB_AUTHN` step does. `UnexpectedResponse` when it is not usable.
#[uniffi::export]
pub fn parse_passkey_request_options(json: String) -> Result<PasskeyRequestOptions> {
    Ok(core_passkey::PasskeyRequestOptions::parse(&json)?.into())
}

/// Refuses a `credential` that is not a `RegistrationResponseJSON` (`InvalidInput`, `what =
/// "credential"`) before a request exists.
pub(crate) fn check_registration(credential: &str) -> Result<()> {
    core_passkey::check_registration(credential)
        .map(drop)
        .map_err(|e| CognitoAuthError::invalid_input("credential", e))
}

/// One registered passkey.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WebAuthnCredential {
    /// `CredentialId`: what `AccountRequest.DeleteWebAuthnCredential` takes.
    pub credential_id: String,
    /// `FriendlyCredentialName`.
    pub friendly_name: Option<String>,
    /// `RelyingPartyId`.
    pub relying_party_id: String,
    /// `AuthenticatorAttachment`.
    pub authenticator_attachment: Option<String>,
    /// `AuthenticatorTransports`.
    pub authenticator_transports: Vec<String>,
    /// `CreatedAt`, Unix seconds.
    pub created_at: Option<u64>,
}

/// One page of `ListWebAuthnCredentials`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WebAuthnCredentialPage {
    /// The passkeys on this page.
    pub credentials: Vec<WebAuthnCredential>,
    /// Pass it as `next_token` for the next page; `None` on the last.
    pub next_token: Option<String>,
}

impl WebAuthnCredentialPage {
    pub(crate) fn from_core(page: core_account::WebAuthnCredentialList) -> Self {
        Self {
            credentials: page
                .credentials
                .into_iter()
                .map(|c| WebAuthnCredential {
                    credential_id: c.credential_id,
                    friendly_name: c.friendly_name,
                    relying_party_id: c.relying_party_id,
                    authenticator_attachment: c.authenticator_attachment,
                    authenticator_transports: c.authenticator_transports,
                    created_at: c.created_at,
                })
                .collect(),
            next_token: page.next_token,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{
        AccountOperationKind, AccountRequest, AccountResponse, account_request,
        parse_account_response,
    };
    use crate::types::ClientConfig;
    use std::collections::HashMap;

    fn config() -> ClientConfig {
        ClientConfig {
            user_pool_id: "us-east-1_Abc123XyZ".into(),
            client_id: "2od40example".into(),
            client_secret: None,
            endpoint_url: None,
            allow_insecure_http: false,
        }
    }

    fn request(request: AccountRequest) -> Result<crate::types::HttpRequest> {
        account_request(config(), request, HashMap::new(), None)
    }

    #[test]
    fn registration_round_trip_bodies() {
        let start = request(AccountRequest::StartWebAuthnRegistration {
            access_token: "tok".into(),
        })
        .unwrap();
        assert_eq!(start.body, r#"{"AccessToken":"tok"}"#);
        assert_eq!(start.operation, "StartWebAuthnRegistration");
        let body = br#"{"CredentialCreationOptions":{"challenge":"AAECAwQFBgcICQoLDA0ODw","rp":{"name":"Example"},"user":{"id":"AQID","name":"alice","displayName":"Alice"},"pubKeyCredParams":[{"type":"public-key","alg":-7}]}}"#;
        let kind = AccountOperationKind::StartWebAuthnRegistration;
        let Ok(AccountResponse::PasskeyCreationOptions { options }) =
            parse_account_response(kind.clone(), 200, body.to_vec(), None)
        else {
            panic!("no creation options");
        };
        assert_eq!(options.algorithms, [-7]);
        assert_eq!(options.user_id, "AQID");
        assert_eq!(options.rp_id, None);
        let hostile = br#"{"CredentialCreationOptions":{"challenge":"AAEC"}}"#;
        assert!(matches!(
            parse_account_response(kind, 200, hostile.to_vec(), None),
            Err(CognitoAuthError::UnexpectedResponse { .. })
        ));

        let credential = r#"{"id":"AQ","rawId":"AQ","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"o2Nm"}}"#;
        let complete = request(AccountRequest::CompleteWebAuthnRegistration {
            access_token: "tok".into(),
            credential: credential.into(),
        })
        .unwrap();
        assert_eq!(
            complete.body,
            r#"{"AccessToken":"tok","Credential":{"id":"AQ","rawId":"AQ","response":{"attestationObject":"o2Nm","clientDataJSON":"e30"},"type":"public-key"}}"#
        );
        match request(AccountRequest::CompleteWebAuthnRegistration {
            access_token: "tok".into(),
            credential: "{}".into(),
        }) {
            Err(CognitoAuthError::InvalidInput { what, .. }) => assert_eq!(what, "credential"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_account_response(
                AccountOperationKind::CompleteWebAuthnRegistration,
                200,
                b"{}".to_vec(),
                None
            )
            .unwrap(),
            AccountResponse::Done
        );
    }

    #[test]
    fn list_and_delete() {
        let list = request(AccountRequest::ListWebAuthnCredentials {
            access_token: "tok".into(),
            max_results: Some(5),
            next_token: Some("n".into()),
        })
        .unwrap();
        assert_eq!(
            list.body,
            r#"{"AccessToken":"tok","MaxResults":5,"NextToken":"n"}"#
        );
        assert!(matches!(
            request(AccountRequest::ListWebAuthnCredentials {
                access_token: "tok".into(),
                max_results: Some(50),
                next_token: None,
            }),
            Err(CognitoAuthError::InvalidInput { .. })
        ));
        let Ok(AccountResponse::Passkeys { page }) = parse_account_response(
            AccountOperationKind::ListWebAuthnCredentials,
            200,
            br#"{"Credentials":[{"CredentialId":"AQ","RelyingPartyId":"example.com","AuthenticatorTransports":["internal"],"CreatedAt":1733100000}]}"#.to_vec(),
            None,
        ) else {
            panic!("no page");
        };
        assert_eq!(page.credentials[0].credential_id, "AQ");
        assert_eq!(page.credentials[0].created_at, Some(1_733_100_000));
        assert_eq!(page.next_token, None);
        let delete = request(AccountRequest::DeleteWebAuthnCredential {
            access_token: "tok".into(),
            credential_id: "AQ".into(),
        })
        .unwrap();
        assert_eq!(delete.body, r#"{"AccessToken":"tok","CredentialId":"AQ"}"#);
        assert_eq!(
            parse_account_response(
                AccountOperationKind::DeleteWebAuthnCredential,
                200,
                Vec::new(),
                None
            )
            .unwrap(),
            AccountResponse::Done
        );
    }

    #[test]
    fn request_options_are_checked() {
        let options = parse_passkey_request_options(
            r#"{"challenge":"AAECAwQFBgcICQoLDA0ODw","rpId":"example.com"}"#.into(),
        )
        .unwrap();
        assert_eq!(options.rp_id.as_deref(), Some("example.com"));
        assert!(parse_passkey_request_options("[]".into()).is_err());
    }
}
