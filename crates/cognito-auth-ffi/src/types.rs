//! Records and enums shared by the sign-in and the account operations: the app client, HTTP
//! requests, tokens, devices, MFA types, code delivery.
//!
//! Records that carry a secret (client secret, tokens, device password, request bodies) do not
//! derive `Debug`; they implement one that prints `<redacted>` instead.

use core::fmt;
use std::collections::HashMap;

use cognito_auth_core::sign_in::{self as core_sign_in};
use cognito_auth_core::wire::{self, AuthenticationResult, CodeDelivery};
use cognito_auth_core::{Endpoint, Request, SecretString, UserPoolId};

use crate::error::{CognitoAuthError, Result};

/// The app client: user pool, client id, optional client secret, optional endpoint.
#[derive(Clone, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct ClientConfig {
    /// The user pool id, e.g. `us-east-1_Abc123XyZ` (the region is taken from it).
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The client secret, for confidential clients (mobile apps should use a public client).
    #[uniffi(default = None)]
    pub client_secret: Option<String>,
    /// Another endpoint than `https://cognito-idp.<region>.amazonaws.com/`: a proxy
    /// (`https://`), or an emulator on this machine (`http://127.0.0.1:4566/`). Plain `http://`
    /// is accepted only for `localhost`, `127.0.0.0/8` and `[::1]`, unless
    /// `allow_insecure_http` is set.
    #[uniffi(default = None)]
    pub endpoint_url: Option<String>,
    /// Accept a plain `http://` `endpoint_url` to any host. Passwords, MFA codes, sessions and
    /// tokens then cross the network unencrypted: for test networks only, never in a shipped
    /// app. Default `false`.
    #[uniffi(default = false)]
    pub allow_insecure_http: bool,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("endpoint_url", &self.endpoint_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

/// A checked [`ClientConfig`]: the core's client and the endpoint requests go to.
pub(crate) struct Client {
    pub(crate) config: core_sign_in::ClientConfig,
    pub(crate) endpoint: Endpoint,
}

impl TryFrom<ClientConfig> for Client {
    type Error = CognitoAuthError;

    fn try_from(config: ClientConfig) -> Result<Self> {
        let ClientConfig {
            user_pool_id,
            client_id,
            client_secret,
            endpoint_url,
            allow_insecure_http,
        } = config;
        // Into the core's zeroizing wrapper first, so no early return leaves it behind.
        let client_secret = client_secret.map(SecretString::from);
        let pool = UserPoolId::parse(user_pool_id.trim())?;
        let endpoint = match endpoint_url.as_deref() {
            Some(url) if allow_insecure_http => {
                Endpoint::custom_allowing_insecure_http(url.trim())?
            }
            Some(url) => Endpoint::custom(url.trim())?,
            None => Endpoint::for_user_pool(&pool)?,
        };
        // The core checks the client id and secret, once for every layer.
        let mut core = core_sign_in::ClientConfig::new(pool, client_id.trim())
            .map_err(|e| CognitoAuthError::invalid_input("client_id", e))?;
        if let Some(secret) = client_secret {
            core = core
                .with_client_secret(secret)
                .map_err(|e| CognitoAuthError::invalid_input("client_secret", e))?;
        }
        Ok(Self {
            config: core,
            endpoint,
        })
    }
}

/// One HTTP request to send: `POST` `body` with `headers` to `url`, then pass the status, the
/// body and the `x-amzn-ErrorType` header of the response back.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct HttpRequest {
    /// The endpoint URL.
    pub url: String,
    /// Always `POST`.
    pub method: String,
    /// `content-type` and `x-amz-target`.
    pub headers: HashMap<String, String>,
    /// The JSON body. May contain a password, a code or a token: do not log it.
    pub body: String,
    /// The Cognito operation, e.g. `InitiateAuth` (for logs and metrics).
    pub operation: String,
}

impl HttpRequest {
    pub(crate) fn new(endpoint: &Endpoint, request: &Request) -> Self {
        Self {
            url: endpoint.as_str().to_owned(),
            method: wire::METHOD.to_owned(),
            headers: request
                .headers()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
            body: request.body().to_owned(),
            operation: request.operation().name().to_owned(),
        }
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("url", &self.url)
            .field("method", &self.method)
            .field("operation", &self.operation)
            .field(
                "body",
                &format_args!("<{} bytes, redacted>", self.body.len()),
            )
            .finish_non_exhaustive()
    }
}

/// The name of the response header that carries Cognito's error code (`x-amzn-ErrorType`,
/// case-insensitive): pass its value as `error_type_header`.
#[uniffi::export]
pub fn error_type_header_name() -> String {
    wire::ERROR_TYPE_HEADER.to_owned()
}

/// Where Cognito sent a code (`CodeDeliveryDetails`). The destination is masked by Cognito
/// (`a***@e***.com`, `+*******1212`), which still shows part of an address: printing the
/// record (`toString`, `description`, `repr`, `Debug`) shows it as `<redacted>`.
#[derive(Clone, PartialEq, Eq, Default, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct CodeDeliveryDetails {
    /// The masked destination.
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: Option<String>,
    /// The attribute the code verifies, e.g. `email`, `phone_number`.
    pub attribute_name: Option<String>,
}

impl fmt::Debug for CodeDeliveryDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeDeliveryDetails")
            .field(
                "destination",
                &self.destination.as_ref().map(|_| "<redacted>"),
            )
            .field("delivery_medium", &self.delivery_medium)
            .field("attribute_name", &self.attribute_name)
            .finish()
    }
}

impl From<CodeDelivery> for CodeDeliveryDetails {
    fn from(delivery: CodeDelivery) -> Self {
        Self {
            destination: delivery.destination,
            delivery_medium: delivery.medium,
            attribute_name: delivery.attribute_name,
        }
    }
}

/// An MFA type (Amplify: `SMS`, `TOTP`, `EMAIL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum MfaType {
    /// `SMS_MFA`: a code by SMS.
    Sms,
    /// `SOFTWARE_TOKEN_MFA`: an authenticator app.
    Totp,
    /// `EMAIL_OTP`: a code by email.
    Email,
}

impl From<MfaType> for core_sign_in::MfaType {
    fn from(mfa: MfaType) -> Self {
        match mfa {
            MfaType::Sms => Self::Sms,
            MfaType::Totp => Self::Totp,
            MfaType::Email => Self::Email,
        }
    }
}

impl MfaType {
    /// The FFI type of a core type. Exhaustive: a new core type does not compile here.
    pub(crate) fn from_core(mfa: core_sign_in::MfaType) -> Self {
        match mfa {
            core_sign_in::MfaType::Sms => Self::Sms,
            core_sign_in::MfaType::Totp => Self::Totp,
            core_sign_in::MfaType::Email => Self::Email,
        }
    }

    pub(crate) fn list(types: Vec<core_sign_in::MfaType>) -> Vec<Self> {
        types.into_iter().map(Self::from_core).collect()
    }
}

/// A first factor of a choice-based (`USER_AUTH`) sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum FirstFactor {
    /// `PASSWORD`: the password, sent over TLS.
    Password,
    /// `PASSWORD_SRP`: the password, proven with SRP.
    PasswordSrp,
    /// `EMAIL_OTP`: a code by email.
    EmailOtp,
    /// `SMS_OTP`: a code by SMS.
    SmsOtp,
    /// `WEB_AUTHN`: a passkey.
    WebAuthn,
}

impl From<FirstFactor> for core_sign_in::FirstFactor {
    fn from(factor: FirstFactor) -> Self {
        match factor {
            FirstFactor::Password => Self::Password,
            FirstFactor::PasswordSrp => Self::PasswordSrp,
            FirstFactor::EmailOtp => Self::EmailOtp,
            FirstFactor::SmsOtp => Self::SmsOtp,
            FirstFactor::WebAuthn => Self::WebAuthn,
        }
    }
}

impl FirstFactor {
    /// The FFI type of a core factor. Exhaustive: a new core factor does not compile here.
    pub(crate) fn from_core(factor: core_sign_in::FirstFactor) -> Self {
        match factor {
            core_sign_in::FirstFactor::Password => Self::Password,
            core_sign_in::FirstFactor::PasswordSrp => Self::PasswordSrp,
            core_sign_in::FirstFactor::EmailOtp => Self::EmailOtp,
            core_sign_in::FirstFactor::SmsOtp => Self::SmsOtp,
            core_sign_in::FirstFactor::WebAuthn => Self::WebAuthn,
        }
    }
}

/// A device remembered after an earlier sign-in. Store it securely per user (Keychain,
/// Keystore) and pass it to the next sign-in: Cognito then may skip MFA.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct RememberedDevice {
    /// `DeviceKey`, e.g. `us-east-1_5f1c2d3e-...`.
    pub device_key: String,
    /// `DeviceGroupKey`.
    pub device_group_key: String,
    /// The device password the sign-in made up. Secret.
    pub device_password: String,
}

impl fmt::Debug for RememberedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberedDevice")
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("device_password", &"<redacted>")
            .finish()
    }
}

impl From<RememberedDevice> for core_sign_in::RememberedDevice {
    fn from(device: RememberedDevice) -> Self {
        Self {
            device_password: SecretString::from(device.device_password),
            device_key: device.device_key,
            device_group_key: device.device_group_key,
        }
    }
}

impl From<core_sign_in::RememberedDevice> for RememberedDevice {
    fn from(device: core_sign_in::RememberedDevice) -> Self {
        Self {
            device_password: device.device_password.expose().to_owned(),
            device_key: device.device_key,
            device_group_key: device.device_group_key,
        }
    }
}

/// `NewDeviceMetadata` of a token response.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewDeviceMetadata {
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceGroupKey`.
    pub device_group_key: String,
}

/// Tokens from a sign-in or a refresh. Store the refresh token securely.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct AuthTokens {
    /// The access token (JWT), for calls made as the user.
    pub access_token: String,
    /// The ID token (JWT) with the user's identity claims.
    pub id_token: Option<String>,
    /// The refresh token. After a refresh: `None` means keep the old one; `Some` (refresh-token
    /// rotation) replaces it.
    pub refresh_token: Option<String>,
    /// Lifetime of the access token in seconds.
    pub expires_in: u64,
    /// `Bearer`.
    pub token_type: String,
    /// A new device Cognito tracks (a sign-in confirms it itself; see `DeviceOutcome`).
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

impl fmt::Debug for AuthTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |token: &Option<String>| token.as_ref().map(|_| "<redacted>");
        f.debug_struct("AuthTokens")
            .field("access_token", &"<redacted>")
            .field("id_token", &redacted(&self.id_token))
            .field("refresh_token", &redacted(&self.refresh_token))
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .field("new_device_metadata", &self.new_device_metadata)
            .finish()
    }
}

impl From<AuthenticationResult> for AuthTokens {
    fn from(tokens: AuthenticationResult) -> Self {
        let expose = |token: &SecretString| token.expose().to_owned();
        Self {
            access_token: expose(&tokens.access_token),
            id_token: tokens.id_token.as_ref().map(expose),
            refresh_token: tokens.refresh_token.as_ref().map(expose),
            expires_in: tokens.expires_in,
            token_type: tokens.token_type.clone(),
            new_device_metadata: tokens.new_device_metadata.as_ref().map(|device| {
                NewDeviceMetadata {
                    device_key: device.device_key.clone(),
                    device_group_key: device.device_group_key.clone(),
                }
            }),
        }
    }
}

/// Converts a foreign map into the core's ordered one.
pub(crate) fn sorted(map: HashMap<String, String>) -> std::collections::BTreeMap<String, String> {
    map.into_iter().collect()
}

/// Converts the core's ordered map for the foreign side.
pub(crate) fn unsorted(map: std::collections::BTreeMap<String, String>) -> HashMap<String, String> {
    map.into_iter().collect()
}

display_as_debug!(
    ClientConfig,
    HttpRequest,
    RememberedDevice,
    AuthTokens,
    CodeDeliveryDetails
);

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test fails by panicking"
    )]

    use super::*;

    #[test]
    fn mirrored_enums_round_trip_every_variant() {
        // Exhaustive lists: a new core variant fails to compile in from_core first.
        for core in [
            core_sign_in::MfaType::Sms,
            core_sign_in::MfaType::Totp,
            core_sign_in::MfaType::Email,
        ] {
            assert_eq!(core_sign_in::MfaType::from(MfaType::from_core(core)), core);
        }
        for core in [
            core_sign_in::FirstFactor::Password,
            core_sign_in::FirstFactor::PasswordSrp,
            core_sign_in::FirstFactor::EmailOtp,
            core_sign_in::FirstFactor::SmsOtp,
            core_sign_in::FirstFactor::WebAuthn,
        ] {
            assert_eq!(
                core_sign_in::FirstFactor::from(FirstFactor::from_core(core)),
                core
            );
        }
        let mfa: std::collections::HashSet<MfaType> = [
            core_sign_in::MfaType::Sms,
            core_sign_in::MfaType::Totp,
            core_sign_in::MfaType::Email,
        ]
        .into_iter()
        .map(MfaType::from_core)
        .collect();
        assert_eq!(mfa.len(), 3, "no two core types share a binding type");
    }

    fn config() -> ClientConfig {
        ClientConfig {
            user_pool_id: "eu-west-1_Abc123XyZ".into(),
            client_id: "client-id".into(),
            client_secret: Some("hunter2-client-secret".into()),
            endpoint_url: None,
            allow_insecure_http: false,
        }
    }

    #[test]
    fn the_endpoint_comes_from_the_pool_or_the_config() {
        let client = Client::try_from(config()).unwrap();
        assert_eq!(
            client.endpoint.as_str(),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        let custom = Client::try_from(ClientConfig {
            endpoint_url: Some("http://127.0.0.1:4566/".into()),
            ..config()
        })
        .unwrap();
        assert_eq!(custom.endpoint.as_str(), "http://127.0.0.1:4566/");
    }

    /// Issue 14: plain HTTP leaves this machine only when the app says so by name.
    #[test]
    fn plain_http_to_another_host_needs_allow_insecure_http() {
        let remote = || ClientConfig {
            endpoint_url: Some("http://cognito.example.com/".into()),
            ..config()
        };
        match Client::try_from(remote()) {
            Err(CognitoAuthError::InvalidInput { what, reason }) => {
                assert_eq!(what, "endpoint_url");
                assert!(reason.contains("http://"), "{reason}");
            }
            Err(other) => panic!("{other:?}"),
            Ok(client) => panic!("accepted {}", client.endpoint.as_str()),
        }
        let allowed = Client::try_from(ClientConfig {
            allow_insecure_http: true,
            ..remote()
        })
        .unwrap();
        assert_eq!(allowed.endpoint.as_str(), "http://cognito.example.com/");
        for loopback in [
            "http://localhost:4566/",
            "http://[::1]:9229/",
            "http://127.0.0.2/",
        ] {
            let client = Client::try_from(ClientConfig {
                endpoint_url: Some(loopback.into()),
                ..config()
            })
            .unwrap();
            assert_eq!(client.endpoint.as_str(), loopback);
        }
    }

    #[test]
    fn a_bad_config_names_the_field() {
        for (config, field) in [
            (
                ClientConfig {
                    user_pool_id: "nounderscore".into(),
                    ..config()
                },
                "user_pool_id",
            ),
            (
                ClientConfig {
                    client_id: " ".into(),
                    ..config()
                },
                "client_id",
            ),
            (
                ClientConfig {
                    endpoint_url: Some("ftp://example.com".into()),
                    ..config()
                },
                "endpoint_url",
            ),
        ] {
            match Client::try_from(config) {
                Err(CognitoAuthError::InvalidInput { what, reason }) => {
                    assert_eq!(what, field);
                    assert!(!reason.contains("hunter2"), "{reason}");
                }
                Err(other) => panic!("{other:?}"),
                Ok(_) => panic!("accepted a bad {field}"),
            }
        }
    }

    #[test]
    fn debug_redacts_secrets() {
        let tokens = AuthTokens {
            access_token: "access-secret".into(),
            id_token: Some("id-secret".into()),
            refresh_token: Some("refresh-secret".into()),
            expires_in: 3600,
            token_type: "Bearer".into(),
            new_device_metadata: None,
        };
        let device = RememberedDevice {
            device_key: "key".into(),
            device_group_key: "group".into(),
            device_password: "device-secret".into(),
        };
        let printed = format!("{tokens:?} {device:?} {:?}", config());
        for secret in [
            "access-secret",
            "id-secret",
            "refresh-secret",
            "device-secret",
            "hunter2",
        ] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(
            printed.contains("3600") && printed.contains("key"),
            "{printed}"
        );
    }

    #[test]
    fn requests_carry_url_method_headers_and_body() {
        let client = Client::try_from(config()).unwrap();
        let operation = cognito_auth_core::account::ResendConfirmationCode::new("alice");
        use cognito_auth_core::account::AccountOperation as _;
        let request = operation.request(&client.config).unwrap();
        let http = HttpRequest::new(&client.endpoint, &request);
        assert_eq!(http.url, "https://cognito-idp.eu-west-1.amazonaws.com/");
        assert_eq!(http.method, "POST");
        assert_eq!(http.operation, "ResendConfirmationCode");
        assert_eq!(
            http.headers.get("x-amz-target").map(String::as_str),
            Some("AWSCognitoIdentityProviderService.ResendConfirmationCode")
        );
        assert_eq!(
            http.headers.get("content-type").map(String::as_str),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(http.body, request.body());
        assert!(!format!("{http:?}").contains("alice"));
    }
}
