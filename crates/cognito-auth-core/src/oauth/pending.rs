//! [`PendingAuthorization`]: what an authorization in flight must remember across the browser
//! round trip (and the app being killed), stored in the crate's one envelope format.

use alloc::string::String;
use core::fmt;

use serde_json::{Value, json};

use super::error::OAuthError;
use super::redirect;
use super::tokens::OAuthTokens;
use crate::envelope::{self, EnvelopeError, SealingKey};
use crate::jwt;
use crate::secret::SecretString;
use crate::wire::HttpResponse;

/// The stored pending authorization's prefixes (the format: `crate::envelope`, shared with
/// the sign-in snapshot and the stored session).
const KIND: envelope::Kind = envelope::Kind {
    plain: "cognito-auth-oauth",
    sealed: "cognito-auth-oauth-sealed",
};

/// An authorization in flight: the app client, the redirect URI, `state`, the PKCE verifier
/// and `nonce`. Made by [`OAuthClient::authorize`](super::OAuthClient::authorize); store it
/// ([`to_storage`](Self::to_storage)) before opening the browser, and
/// [`restore`](Self::restore) it when the redirect arrives: the app may have been killed in
/// between. Use it once, then delete it.
///
/// `Debug` shows the client id and the redirect URI only; the secrets are zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct PendingAuthorization {
    client_id: String,
    redirect_uri: String,
    state: SecretString,
    verifier: SecretString,
    nonce: SecretString,
}

/// The authorization code from the redirect, single-use and valid for five minutes: exchange
/// it with [`OAuthClient::token_request`](super::OAuthClient::token_request). `Debug` shows
/// nothing; zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationCode(SecretString);

impl AuthorizationCode {
    /// The code, to send.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode(<redacted>)")
    }
}

/// The app's key for sealing stored pending authorizations (HMAC-SHA256): 32 to 64 random
/// bytes kept apart from the stored text, the same rules (and possibly the same bytes) as
/// [`SessionKey`](crate::session::SessionKey). Zeroized on drop; `Debug` shows nothing.
#[derive(Clone)]
pub struct PendingKey(SealingKey);

impl PendingKey {
    /// Wraps the key bytes (32 to 64).
    ///
    /// # Errors
    ///
    /// [`OAuthError::KeyLength`].
    pub fn new(key: &[u8]) -> Result<Self, OAuthError> {
        SealingKey::new(key)
            .map(Self)
            .ok_or(OAuthError::KeyLength { len: key.len() })
    }
}

impl fmt::Debug for PendingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PendingKey(<redacted>)")
    }
}

impl From<EnvelopeError> for OAuthError {
    fn from(e: EnvelopeError) -> Self {
        match e {
            EnvelopeError::UnknownFormat => Self::StoredUnknownFormat,
            EnvelopeError::UnsupportedVersion { version } => {
                Self::StoredUnsupportedVersion { version }
            }
            EnvelopeError::Corrupted => Self::StoredCorrupted,
            EnvelopeError::SealMismatch => Self::SealMismatch,
            EnvelopeError::SealedNeedsKey => Self::SealedNeedsKey,
            EnvelopeError::NotSealed => Self::NotSealed,
        }
    }
}

impl PendingAuthorization {
    pub(crate) fn new(
        client_id: &str,
        redirect_uri: &str,
        state: SecretString,
        verifier: SecretString,
        nonce: SecretString,
    ) -> Self {
        Self {
            client_id: String::from(client_id),
            redirect_uri: String::from(redirect_uri),
            state,
            verifier,
            nonce,
        }
    }

    /// The app client that started the authorization.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect URI the authorize request named (the token request repeats it).
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    pub(crate) fn state(&self) -> &SecretString {
        &self.state
    }

    pub(crate) fn verifier(&self) -> &SecretString {
        &self.verifier
    }

    pub(crate) fn nonce(&self) -> &SecretString {
        &self.nonce
    }

    /// Reads the URL the browser was redirected to: it must be for this authorization's
    /// redirect URI, its `state` must be this authorization's (compared in constant time),
    /// then it holds either the authorization `code` or an `error`.
    ///
    /// # Errors
    ///
    /// [`OAuthError::Denied`] for `error=...` (the user cancelled, the request was refused);
    /// [`OAuthError::StateMismatch`]; [`OAuthError::RedirectUriMismatch`];
    /// [`OAuthError::MissingParameter`], [`OAuthError::RepeatedParameter`],
    /// [`OAuthError::BadPercentEncoding`], [`OAuthError::RedirectTooLong`]. Never panics,
    /// whatever the URL.
    pub fn handle_redirect(&self, redirect_url: &str) -> Result<AuthorizationCode, OAuthError> {
        let params = redirect::parse(&self.redirect_uri, redirect_url)?;
        // `!=` on secrets compares in constant time (see `SecretString`).
        match (&params.state, params.error) {
            (Some(state), _) if *state != self.state => Err(OAuthError::StateMismatch),
            (_, Some(code)) => Err(OAuthError::Denied {
                code,
                description: params.error_description,
            }),
            (None, None) => Err(OAuthError::MissingParameter { parameter: "state" }),
            (Some(_), None) => params
                .code
                .map(AuthorizationCode)
                .ok_or(OAuthError::MissingParameter { parameter: "code" }),
        }
    }

    /// Reads the token endpoint's answer to
    /// [`OAuthClient::token_request`](super::OAuthClient::token_request) and checks the ID
    /// token's `nonce` (read without verifying the signature: the response came from the
    /// token endpoint over TLS) against this authorization's.
    ///
    /// # Errors
    ///
    /// [`OAuthError::Refused`] (`invalid_grant`: the code was used, has expired, or the
    /// verifier or redirect URI does not match), [`OAuthError::HttpStatus`],
    /// [`OAuthError::Response`], [`OAuthError::IdToken`], [`OAuthError::NonceMismatch`].
    pub fn handle_token_response(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<OAuthTokens, OAuthError> {
        let tokens = OAuthTokens::parse(response)?;
        if let Some(id_token) = &tokens.id_token {
            let nonce = jwt::unverified_string_claim(id_token.expose(), "nonce")
                .map_err(OAuthError::IdToken)?
                .map(SecretString::from)
                .ok_or(OAuthError::NonceMismatch)?;
            if nonce != self.nonce {
                return Err(OAuthError::NonceMismatch);
            }
        }
        Ok(tokens)
    }

    /// The pending authorization as text to store (plain: a digest catches damage, not
    /// edits), `cognito-auth-oauth.v1.<base64url JSON>.<check>`: the same envelope as the
    /// sign-in snapshot and the stored session. It holds the PKCE verifier: keep it where the
    /// app keeps tokens.
    pub fn to_storage(&self) -> SecretString {
        envelope::encode(&KIND, self.document(), None)
    }

    /// [`to_storage`](Self::to_storage), sealed with the app's key (HMAC-SHA256):
    /// [`restore_sealed`](Self::restore_sealed) with the same key refuses any edit.
    pub fn to_storage_sealed(&self, key: &PendingKey) -> SecretString {
        envelope::encode(&KIND, self.document(), Some(&key.0))
    }

    /// Reads what [`to_storage`](Self::to_storage) wrote.
    ///
    /// # Errors
    ///
    /// [`OAuthError::StoredUnknownFormat`], [`OAuthError::StoredUnsupportedVersion`],
    /// [`OAuthError::StoredCorrupted`], [`OAuthError::SealedNeedsKey`].
    pub fn restore(stored: &str) -> Result<Self, OAuthError> {
        Self::from_document(&envelope::decode(&KIND, stored, None)?.0)
    }

    /// Reads what [`to_storage_sealed`](Self::to_storage_sealed) wrote, checking the seal
    /// first. A plain one is refused ([`OAuthError::NotSealed`]).
    ///
    /// # Errors
    ///
    /// As [`restore`](Self::restore), and [`OAuthError::SealMismatch`],
    /// [`OAuthError::NotSealed`].
    pub fn restore_sealed(stored: &str, key: &PendingKey) -> Result<Self, OAuthError> {
        Self::from_document(&envelope::decode(&KIND, stored, Some(&key.0))?.0)
    }

    fn document(&self) -> Value {
        json!({
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": self.state.expose(),
            "code_verifier": self.verifier.expose(),
            "nonce": self.nonce.expose(),
        })
    }

    fn from_document(document: &serde_json::Map<String, Value>) -> Result<Self, OAuthError> {
        let text = |key: &str| match document.get(key) {
            Some(Value::String(text)) if !text.is_empty() => Ok(text.as_str()),
            _ => Err(OAuthError::StoredCorrupted),
        };
        let verifier = text("code_verifier")?;
        // RFC 7636 §4.1: 43 to 128 unreserved characters.
        let verifier_ok = (43..=128).contains(&verifier.len())
            && verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        let redirect_uri = text("redirect_uri")?;
        if !verifier_ok || super::client::check_uri(redirect_uri).is_err() {
            return Err(OAuthError::StoredCorrupted);
        }
        Ok(Self::new(
            text("client_id")?,
            redirect_uri,
            SecretString::new(text("state")?),
            SecretString::new(verifier),
            SecretString::new(text("nonce")?),
        ))
    }
}

impl fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingAuthorization")
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("state", &"<redacted>")
            .field("verifier", &"<redacted>")
            .field("nonce", &"<redacted>")
            .finish()
    }
}
