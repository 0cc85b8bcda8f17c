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

use alloc::string::{String, ToString};
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Hmac;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::error::SessionError;
use super::machine::Session;
use super::options::SessionOptions;
use super::tokens::TokenSet;
use crate::client::ClientConfig;
use crate::mac::hmac;
use crate::secret::{SecretBytes, SecretString};
use crate::time::UnixTime;
use crate::wire::wipe_json;

const PREFIX: &str = "cognito-auth-session";
const SEALED_PREFIX: &str = "cognito-auth-session-sealed";
const VERSION: u64 = 1;
const DIGEST_LEN: usize = 12;
/// Longest stored session accepted (three JWTs: a few KB).
const MAX_LEN: usize = 64 * 1024;

/// The app's key for sealing stored sessions (HMAC-SHA256): 32 to 64 random bytes kept apart
/// from the stored session (Keychain / Android Keystore). The same rules as the sign-in's
/// [`SnapshotKey`](crate::sign_in::SnapshotKey); the same bytes may serve both. Zeroized on
/// drop; `Debug` shows nothing.
#[derive(Clone)]
pub struct SessionKey(SecretBytes);

impl SessionKey {
    /// Wraps the key bytes (32 to 64).
    pub fn new(key: &[u8]) -> Result<Self, SessionError> {
        if !(32..=64).contains(&key.len()) {
            return Err(SessionError::KeyLength { len: key.len() });
        }
        Ok(Self(SecretBytes::new(key)))
    }

    fn seal(&self, text: &str) -> [u8; 32] {
        hmac::<Hmac<Sha256>>(self.0.expose(), &[text.as_bytes()]).into()
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(<redacted>)")
    }
}

impl Session {
    /// The session as a string to store (securely: it holds the refresh token). Refused once
    /// the session has ended.
    pub fn to_storage(&self) -> Result<SecretString, SessionError> {
        let body = self.storage_body()?;
        let digest = Sha256::digest(body.as_bytes());
        let mut out = Zeroizing::new(String::with_capacity(body.len() * 4 / 3 + 64));
        out.push_str(PREFIX);
        out.push_str(".v1.");
        URL_SAFE_NO_PAD.encode_string(body.as_bytes(), &mut out);
        out.push('.');
        URL_SAFE_NO_PAD.encode_string(digest.get(..DIGEST_LEN).unwrap_or_default(), &mut out);
        Ok(SecretString::new(&out))
    }

    /// [`Session::to_storage`], sealed with the app's key: [`Session::restore_sealed`] with the
    /// same key refuses any edit.
    pub fn to_storage_sealed(&self, key: &SessionKey) -> Result<SecretString, SessionError> {
        let body = self.storage_body()?;
        let mut out = Zeroizing::new(String::with_capacity(body.len() * 4 / 3 + 96));
        out.push_str(SEALED_PREFIX);
        out.push_str(".v1.");
        URL_SAFE_NO_PAD.encode_string(body.as_bytes(), &mut out);
        let seal = key.seal(&out);
        out.push('.');
        URL_SAFE_NO_PAD.encode_string(seal, &mut out);
        Ok(SecretString::new(&out))
    }

    /// Rebuilds a session from [`Session::to_storage`]'s string for `client`. Queues
    /// [`SessionEvent::Restored`](super::SessionEvent::Restored).
    pub fn restore(
        client: ClientConfig,
        stored: &str,
        options: SessionOptions,
    ) -> Result<Self, SessionError> {
        let document = decode(stored, None)?;
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
        let document = decode(stored, Some(key))?;
        Self::from_document(client, &document, options)
    }

    fn storage_body(&self) -> Result<Zeroizing<String>, SessionError> {
        let tokens = self.tokens().ok_or(SessionError::Ended {
            reason: self
                .end_reason()
                .unwrap_or(super::EndReason::SignedOut(super::SignOutKind::Local)),
        })?;
        let mut document = json!({
            "user_pool_id": self.client.user_pool().as_str(),
            "client_id": self.client.client_id(),
            "access_token": tokens.access.expose(),
            "id_token": tokens.id.as_ref().map(SecretString::expose),
            "refresh_token": tokens.refresh.expose(),
            "received_at": tokens.received_at.as_secs(),
            "access_expires_at": tokens.access_expires_at.as_secs(),
            "device_key": self.device_key,
        });
        let text = Zeroizing::new(document.to_string());
        wipe_json(&mut document);
        Ok(text)
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

/// A parsed stored session; its strings are wiped on drop.
struct Document(Map<String, Value>);

impl Drop for Document {
    fn drop(&mut self) {
        self.0.values_mut().for_each(wipe_json);
    }
}

fn decode(stored: &str, key: Option<&SessionKey>) -> Result<Document, SessionError> {
    if stored.len() > MAX_LEN {
        return Err(SessionError::Corrupted);
    }
    let stored = stored.trim();
    let mut parts = stored.split('.');
    let sealed = match parts.next() {
        Some(PREFIX) => false,
        Some(SEALED_PREFIX) => true,
        _ => return Err(SessionError::UnknownFormat),
    };
    let version = parts
        .next()
        .and_then(|v| v.strip_prefix('v'))
        .and_then(version_number)
        .ok_or(SessionError::UnknownFormat)?;
    if version != VERSION {
        return Err(SessionError::UnsupportedVersion { version });
    }
    let (Some(body), Some(check), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(SessionError::Corrupted);
    };
    let check = URL_SAFE_NO_PAD
        .decode(check)
        .map_err(|_| SessionError::Corrupted)?;
    match (sealed, key) {
        (true, None) => return Err(SessionError::SealedNeedsKey),
        (false, Some(_)) => return Err(SessionError::NotSealed),
        (true, Some(key)) => {
            let signed = stored
                .rsplit_once('.')
                .map(|(signed, _)| signed)
                .ok_or(SessionError::Corrupted)?;
            if !bool::from(key.seal(signed).as_slice().ct_eq(check.as_slice())) {
                return Err(SessionError::SealMismatch);
            }
        }
        (false, None) => {}
    }
    let body = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SessionError::Corrupted)?,
    );
    if !sealed && Sha256::digest(body.as_slice()).get(..DIGEST_LEN) != Some(check.as_slice()) {
        return Err(SessionError::Corrupted);
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => Ok(Document(map)),
        Ok(mut other) => {
            wipe_json(&mut other);
            Err(SessionError::Corrupted)
        }
        Err(_) => Err(SessionError::Corrupted),
    }
}

/// Decimal digits without a sign or leading zeros: one version has one spelling.
fn version_number(digits: &str) -> Option<u64> {
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}
