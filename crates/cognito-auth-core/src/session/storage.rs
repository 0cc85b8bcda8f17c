//! The storage form: [`Session::to_storage`] and [`Session::restore`].
//!
//! Like the sign-in snapshot, two forms:
//! - plain, `cognito-auth-session.v1.<base64url JSON>.<base64url first 12 bytes of SHA-256
//!   of the JSON>`: the digest catches truncation and bit rot, not tampering;
//! - sealed with an app key ([`SessionKey`]), `cognito-auth-session-sealed.v1.<base64url
//!   JSON>.<base64url HMAC-SHA256(key, everything before the last dot)>`: any edit is refused.
//!
//! The JSON holds the three tokens, when the access token expires and when it arrived, the
//! device key and the pool and client id, never the client secret. Restore takes the
//! [`ClientConfig`] (with its secret, if any) and refuses a session stored for another client;
//! it re-reads `sub` and `username` from the access token, and an expiry later than the
//! token's `exp` is refused as damage. A refresh in flight is not stored: a restored session
//! has none. Store the session after every [`SessionEvent::TokensRefreshed`]: with rotation the
//! old refresh token stops working.
//!
//! The JSON text, the decoded bytes and the parsed document are wiped after use.
//!
//! [`SessionEvent::TokensRefreshed`]: super::SessionEvent::TokensRefreshed

use core::fmt;

use serde_json::{Value, json};

use super::error::SessionError;
use super::machine::Session;
use super::options::SessionOptions;
use super::tokens::TokenSet;
use crate::client::ClientConfig;
use crate::envelope::{self, Document, EnvelopeError, SealingKey};
use crate::secret::SecretString;
use crate::time::UnixTime;

/// The stored session's prefixes (the format: `crate::envelope`, shared with the sign-in
/// snapshot).
const KIND: envelope::Kind = envelope::Kind {
    plain: "cognito-auth-session",
    sealed: "cognito-auth-session-sealed",
};

/// The app's key for sealing stored sessions (HMAC-SHA256): 32 to 64 random bytes kept apart
/// from the stored session (Keychain / Android Keystore). The same rules as the sign-in's
/// [`SnapshotKey`](crate::sign_in::SnapshotKey); the same bytes may serve both. Zeroized on
/// drop; `Debug` shows nothing.
#[derive(Clone)]
pub struct SessionKey(SealingKey);

impl SessionKey {
    /// Wraps the key bytes (32 to 64).
    pub fn new(key: &[u8]) -> Result<Self, SessionError> {
        SealingKey::new(key)
            .map(Self)
            .ok_or(SessionError::KeyLength { len: key.len() })
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(<redacted>)")
    }
}

impl From<EnvelopeError> for SessionError {
    fn from(error: EnvelopeError) -> Self {
        match error {
            EnvelopeError::UnknownFormat => Self::UnknownFormat,
            EnvelopeError::UnsupportedVersion { version } => Self::UnsupportedVersion { version },
            EnvelopeError::Corrupted => Self::Corrupted,
            EnvelopeError::SealMismatch => Self::SealMismatch,
            EnvelopeError::SealedNeedsKey => Self::SealedNeedsKey,
            EnvelopeError::NotSealed => Self::NotSealed,
        }
    }
}

impl Session {
    /// The session as a string to store (securely: it holds the refresh token). Refused once
    /// the session has ended.
    pub fn to_storage(&self) -> Result<SecretString, SessionError> {
        Ok(envelope::encode(&KIND, self.storage_document()?, None))
    }

    /// [`Session::to_storage`], sealed with the app's key: [`Session::restore_sealed`] with the
    /// same key refuses any edit.
    pub fn to_storage_sealed(&self, key: &SessionKey) -> Result<SecretString, SessionError> {
        Ok(envelope::encode(
            &KIND,
            self.storage_document()?,
            Some(&key.0),
        ))
    }

    /// Rebuilds a session from [`Session::to_storage`]'s string for `client`. Queues
    /// [`SessionEvent::Restored`](super::SessionEvent::Restored).
    pub fn restore(
        client: ClientConfig,
        stored: &str,
        options: SessionOptions,
    ) -> Result<Self, SessionError> {
        let document = envelope::decode(&KIND, stored, None)?;
        Self::from_document(client, &document, options)
    }

    /// Rebuilds a session from [`Session::to_storage_sealed`]'s string, checking the seal
    /// first. A plain stored session is refused ([`SessionError::NotSealed`]).
    pub fn restore_sealed(
        client: ClientConfig,
        stored: &str,
        key: &SessionKey,
        options: SessionOptions,
    ) -> Result<Self, SessionError> {
        let document = envelope::decode(&KIND, stored, Some(&key.0))?;
        Self::from_document(client, &document, options)
    }

    fn storage_document(&self) -> Result<Value, SessionError> {
        let tokens = self.tokens().ok_or(SessionError::Ended {
            reason: self
                .end_reason()
                .unwrap_or(super::EndReason::SignedOut(super::SignOutKind::Local)),
        })?;
        Ok(json!({
            "user_pool_id": self.client.user_pool().as_str(),
            "client_id": self.client.client_id(),
            "access_token": tokens.access.expose(),
            "id_token": tokens.id.as_ref().map(SecretString::expose),
            "refresh_token": tokens.refresh.expose(),
            "received_at": tokens.received_at.as_secs(),
            "access_expires_at": tokens.access_expires_at.as_secs(),
            "device_key": self.device_key,
        }))
    }

    fn from_document(
        client: ClientConfig,
        document: &Document,
        options: SessionOptions,
    ) -> Result<Self, SessionError> {
        let document = &document.0;
        let text = |key: &str| match document.get(key) {
            Some(Value::String(text)) if !text.is_empty() => Ok(text.as_str()),
            _ => Err(SessionError::Corrupted),
        };
        let optional_text = |key: &str| match document.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if !text.is_empty() => Ok(Some(text.as_str())),
            Some(_) => Err(SessionError::Corrupted),
        };
        let time = |key: &str| {
            document
                .get(key)
                .and_then(Value::as_u64)
                .map(UnixTime::from_secs)
                .ok_or(SessionError::Corrupted)
        };
        if text("user_pool_id")? != client.user_pool().as_str()
            || text("client_id")? != client.client_id()
        {
            return Err(SessionError::ClientMismatch);
        }
        let received_at = time("received_at")?;
        let access_expires_at = time("access_expires_at")?;
        if received_at > access_expires_at {
            return Err(SessionError::Corrupted);
        }
        let tokens = TokenSet {
            access: SecretString::new(text("access_token")?),
            id: optional_text("id_token")?.map(SecretString::new),
            refresh: SecretString::new(text("refresh_token")?),
            received_at,
            access_expires_at,
        };
        let device_key = optional_text("device_key")?;
        let (tokens, identity) = tokens.checked(client.client_id())?;
        if tokens.access_expires_at != access_expires_at {
            // Stored later than the token's own `exp`: not what to_storage writes.
            return Err(SessionError::Corrupted);
        }
        let mut session = Self::from_parts(client, options, identity, device_key, tokens);
        session.push_restored_event();
        Ok(session)
    }
}
