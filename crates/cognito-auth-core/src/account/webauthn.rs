//! Passkeys of the signed-in user: `StartWebAuthnRegistration`, `CompleteWebAuthnRegistration`,
//! `ListWebAuthnCredentials`, `DeleteWebAuthnCredential`.
//!
//! Registering a passkey (Amplify's `associateWebAuthnCredential`):
//! 1. [`StartWebAuthnRegistration`] yields [`PasskeyCreationOptions`]: hand
//!    [`json`](PasskeyCreationOptions::json) to Android's Credential Manager, or the typed
//!    fields to iOS's `ASAuthorizationPlatformPublicKeyCredentialProvider`.
//! 2. The platform creates the passkey and returns a `RegistrationResponseJSON`;
//!    [`CompleteWebAuthnRegistration`] checks it and sends it.
//!
//! Every call is authorised by an access token with the `aws.cognito.signin.user.admin` scope
//! (a sign-in's tokens have it; hosted-UI tokens only when the scope was asked for).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Map, Value};

use super::{AccountError, AccountOperation, no_output, request_from, required, success_body};
use crate::client::ClientConfig;
use crate::passkey::{PasskeyCreationOptions, check_registration};
use crate::secret::SecretString;
use crate::wire::{HttpResponse, Operation, Request, ResponseError};

/// The most passkeys one `ListWebAuthnCredentials` page may ask for.
pub const LIST_WEBAUTHN_CREDENTIALS_MAX_RESULTS: u32 = 20;

fn with_access_token(access_token: &SecretString) -> Result<Map<String, Value>, AccountError> {
    required("access_token", access_token.expose())?;
    let mut body = Map::new();
    body.insert("AccessToken".into(), access_token.expose().into());
    Ok(body)
}

fn wrong_type(field: &'static str) -> AccountError {
    AccountError::Response(ResponseError::FieldHasWrongType { field })
}

/// `StartWebAuthnRegistration`: the options for creating a new passkey.
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, StartWebAuthnRegistration};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = StartWebAuthnRegistration::new(SecretString::new("access-token"));
/// assert_eq!(operation.request(&client)?.body(), r#"{"AccessToken":"access-token"}"#);
///
/// let body = br#"{"CredentialCreationOptions":{"challenge":"AAECAwQFBgcICQoLDA0ODw",
///     "rp":{"id":"auth.example.com","name":"Example"},
///     "user":{"id":"dXNlci1oYW5kbGU","name":"alice","displayName":"alice"},
///     "pubKeyCredParams":[{"type":"public-key","alg":-7}]}}"#;
/// let options = operation.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(options.rp_id.as_deref(), Some("auth.example.com"));
/// assert_eq!(options.user_id_bytes(), b"user-handle");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct StartWebAuthnRegistration {
    access_token: SecretString,
}

impl StartWebAuthnRegistration {
    /// For the user whose access token this is.
    pub fn new(access_token: SecretString) -> Self {
        Self { access_token }
    }
}

impl AccountOperation for StartWebAuthnRegistration {
    /// The checked `CredentialCreationOptions`.
    type Output = PasskeyCreationOptions;

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        Ok(request_from(
            Operation::StartWebAuthnRegistration,
            with_access_token(&self.access_token)?,
        ))
    }

    fn parse_response(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<PasskeyCreationOptions, AccountError> {
        Self::parse(response)
    }
}

impl StartWebAuthnRegistration {
    /// Reads `StartWebAuthnRegistration`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<PasskeyCreationOptions, AccountError> {
        let mut body = success_body(response)?;
        match body.remove("CredentialCreationOptions") {
            Some(Value::Object(options)) => {
                PasskeyCreationOptions::from_object(options).map_err(AccountError::Passkey)
            }
            None | Some(Value::Null) => Err(AccountError::Response(ResponseError::MissingField {
                field: "CredentialCreationOptions",
            })),
            Some(_) => Err(wrong_type("CredentialCreationOptions")),
        }
    }
}

/// `CompleteWebAuthnRegistration`: registers the passkey the platform created, given as its
/// `RegistrationResponseJSON` (checked before a request is built: see
/// [`check_registration`]).
#[derive(Clone, PartialEq, Eq)]
pub struct CompleteWebAuthnRegistration {
    access_token: SecretString,
    credential: String,
}

impl CompleteWebAuthnRegistration {
    /// Registers `credential` (the platform's `RegistrationResponseJSON`) for the user whose
    /// access token this is.
    pub fn new(access_token: SecretString, credential: &str) -> Self {
        Self {
            access_token,
            credential: String::from(credential),
        }
    }
}

impl AccountOperation for CompleteWebAuthnRegistration {
    /// Nothing: the passkey is registered.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let credential = check_registration(&self.credential).map_err(AccountError::Passkey)?;
        let mut body = with_access_token(&self.access_token)?;
        body.insert("Credential".into(), Value::Object(credential));
        Ok(request_from(Operation::CompleteWebAuthnRegistration, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl CompleteWebAuthnRegistration {
    /// Reads `CompleteWebAuthnRegistration`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        no_output(response)
    }
}

/// `ListWebAuthnCredentials`: the signed-in user's passkeys, one page at a time.
///
/// Without [`with_max_results`](Self::with_max_results) Cognito picks the page size. When the
/// result has a [`next_token`](WebAuthnCredentialList::next_token), ask for the next page with
/// [`with_next_token`](Self::with_next_token).
#[derive(Clone, PartialEq, Eq)]
pub struct ListWebAuthnCredentials {
    access_token: SecretString,
    max_results: Option<u32>,
    next_token: Option<String>,
}

impl ListWebAuthnCredentials {
    /// The first page of the passkeys of the user whose access token this is.
    pub fn new(access_token: SecretString) -> Self {
        Self {
            access_token,
            max_results: None,
            next_token: None,
        }
    }

    /// At most `max_results` passkeys per page (1 to 20).
    ///
    /// # Errors
    ///
    /// [`AccountError::LimitTooLarge`] above [`LIST_WEBAUTHN_CREDENTIALS_MAX_RESULTS`],
    /// [`AccountError::EmptyField`] for 0.
    pub fn with_max_results(mut self, max_results: u32) -> Result<Self, AccountError> {
        if max_results > LIST_WEBAUTHN_CREDENTIALS_MAX_RESULTS {
            return Err(AccountError::LimitTooLarge {
                limit: max_results,
                max: LIST_WEBAUTHN_CREDENTIALS_MAX_RESULTS,
            });
        }
        if max_results == 0 {
            return Err(AccountError::EmptyField {
                field: "max_results",
            });
        }
        self.max_results = Some(max_results);
        Ok(self)
    }

    /// The page after the one that returned `next_token`.
    pub fn with_next_token(mut self, next_token: &str) -> Self {
        self.next_token = Some(String::from(next_token));
        self
    }
}

impl AccountOperation for ListWebAuthnCredentials {
    /// One page of passkeys.
    type Output = WebAuthnCredentialList;

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let mut body = with_access_token(&self.access_token)?;
        if let Some(max_results) = self.max_results {
            body.insert("MaxResults".into(), max_results.into());
        }
        if let Some(token) = &self.next_token {
            required("next_token", token)?;
            body.insert("NextToken".into(), token.as_str().into());
        }
        Ok(request_from(Operation::ListWebAuthnCredentials, body))
    }

    fn parse_response(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<WebAuthnCredentialList, AccountError> {
        Self::parse(response)
    }
}

impl ListWebAuthnCredentials {
    /// Reads `ListWebAuthnCredentials`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<WebAuthnCredentialList, AccountError> {
        let mut body = success_body(response)?;
        let credentials = match body.remove("Credentials") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(WebAuthnCredentialInfo::from_value)
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(wrong_type("Credentials")),
        };
        let next_token = match body.remove("NextToken") {
            None | Some(Value::Null) => None,
            Some(Value::String(token)) if token.is_empty() => None,
            Some(Value::String(token)) => Some(token),
            Some(_) => return Err(wrong_type("NextToken")),
        };
        Ok(WebAuthnCredentialList {
            credentials,
            next_token,
        })
    }
}

/// One page of [`ListWebAuthnCredentials`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAuthnCredentialList {
    /// The passkeys on this page.
    pub credentials: Vec<WebAuthnCredentialInfo>,
    /// `NextToken`: pass it to [`ListWebAuthnCredentials::with_next_token`] for the next page.
    pub next_token: Option<String>,
}

/// One registered passkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAuthnCredentialInfo {
    /// `CredentialId` (base64url): what [`DeleteWebAuthnCredential`] takes.
    pub credential_id: String,
    /// `FriendlyCredentialName`, e.g. the authenticator's name.
    pub friendly_name: Option<String>,
    /// `RelyingPartyId`.
    pub relying_party_id: String,
    /// `AuthenticatorAttachment` (`platform`, `cross-platform`).
    pub authenticator_attachment: Option<String>,
    /// `AuthenticatorTransports` (`internal`, `hybrid`, ...).
    pub authenticator_transports: Vec<String>,
    /// `CreatedAt`, seconds since the Unix epoch (Cognito sends a number, possibly fractional;
    /// the fraction is dropped).
    pub created_at: Option<u64>,
}

impl WebAuthnCredentialInfo {
    fn from_value(value: Value) -> Result<Self, AccountError> {
        let Value::Object(mut item) = value else {
            return Err(wrong_type("Credentials"));
        };
        let mut text = |field: &'static str| match item.remove(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(wrong_type(field)),
        };
        let credential_id =
            text("CredentialId")?.ok_or(AccountError::Response(ResponseError::MissingField {
                field: "CredentialId",
            }))?;
        let friendly_name = text("FriendlyCredentialName")?;
        let relying_party_id = text("RelyingPartyId")?.unwrap_or_default();
        let authenticator_attachment = text("AuthenticatorAttachment")?;
        let authenticator_transports = match item.remove("AuthenticatorTransports") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|t| match t {
                    Value::String(s) => Ok(s),
                    _ => Err(wrong_type("AuthenticatorTransports")),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(wrong_type("AuthenticatorTransports")),
        };
        let created_at = match item.remove("CreatedAt") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
                (Some(secs), _) => Some(secs),
                // Whole seconds of a fractional, non-negative, finite timestamp.
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "checked to be within 0..u64::MAX first"
                )]
                (None, Some(secs)) if (0.0..18_446_744_073_709_551_615.0).contains(&secs) => {
                    Some(secs as u64)
                }
                _ => return Err(wrong_type("CreatedAt")),
            },
            Some(_) => return Err(wrong_type("CreatedAt")),
        };
        Ok(Self {
            credential_id,
            friendly_name,
            relying_party_id,
            authenticator_attachment,
            authenticator_transports,
            created_at,
        })
    }
}

/// `DeleteWebAuthnCredential`: removes one of the signed-in user's passkeys.
#[derive(Clone, PartialEq, Eq)]
pub struct DeleteWebAuthnCredential {
    access_token: SecretString,
    credential_id: String,
}

impl DeleteWebAuthnCredential {
    /// Deletes the passkey `credential_id` (from [`WebAuthnCredentialInfo::credential_id`]).
    pub fn new(access_token: SecretString, credential_id: &str) -> Self {
        Self {
            access_token,
            credential_id: String::from(credential_id),
        }
    }
}

impl AccountOperation for DeleteWebAuthnCredential {
    /// Nothing: the passkey is gone.
    type Output = ();

    fn request(&self, _client: &ClientConfig) -> Result<Request, AccountError> {
        let mut body = with_access_token(&self.access_token)?;
        required("credential_id", &self.credential_id)?;
        body.insert("CredentialId".into(), self.credential_id.as_str().into());
        Ok(request_from(Operation::DeleteWebAuthnCredential, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<(), AccountError> {
        Self::parse(response)
    }
}

impl DeleteWebAuthnCredential {
    /// Reads `DeleteWebAuthnCredential`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<(), AccountError> {
        no_output(response)
    }
}

macro_rules! debug_without_token {
    ($($type:ident { $($field:ident),* }),* $(,)?) => {$(
        impl fmt::Debug for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($type))
                    .field("access_token", &self.access_token)
                    $(.field(stringify!($field), &self.$field))*
                    .finish()
            }
        }
    )*};
}

debug_without_token!(
    StartWebAuthnRegistration {},
    ListWebAuthnCredentials {
        max_results,
        next_token
    },
    DeleteWebAuthnCredential { credential_id },
);

impl fmt::Debug for CompleteWebAuthnRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompleteWebAuthnRegistration")
            .field("access_token", &self.access_token)
            .field(
                "credential",
                &format_args!("<{} bytes>", self.credential.len()),
            )
            .finish()
    }
}
