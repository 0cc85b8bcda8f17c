//! [`OAuthError`], and the OAuth 2.0 error codes a user pool domain sends ([`OAuthErrorCode`]).

use alloc::string::String;
use core::fmt;

use crate::jwt::JwtError;
use crate::wire::ResponseError;

/// Longest `error` code or `error_description` kept from a redirect or a response (longer text
/// is cut at a character boundary): they come from the network and end up in messages.
pub(crate) const MAX_ERROR_TEXT: usize = 512;

/// Why a hosted-UI step failed. Never carries a code, a verifier, a token or a secret; the
/// only text from the network it holds is an OAuth `error` code and `error_description`
/// (bounded, see [`OAuthErrorCode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OAuthError {
    /// The domain is not an `https://` URL (or `http://` to this machine) without a query.
    InvalidDomain,
    /// The redirect URI (or the logout URI) is empty, has no scheme, has a fragment, holds a
    /// space, a control or a non-ASCII character, or is longer than 2048 bytes.
    InvalidRedirectUri,
    /// A scope is empty or holds a character Cognito does not allow in a scope (a space,
    /// a control character, a quote or a backslash).
    InvalidScope,
    /// The redirect URL is longer than the core reads (16 KiB).
    RedirectTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The redirect URL is not for this authorization's redirect URI (another scheme, host
    /// or path).
    RedirectUriMismatch,
    /// A parameter of the redirect URL has a bad `%XX` escape or is not UTF-8 once decoded.
    BadPercentEncoding,
    /// A parameter the core reads appears more than once in the redirect URL.
    RepeatedParameter {
        /// Its name: `code`, `state`, `error` or `error_description`.
        parameter: &'static str,
    },
    /// A required parameter of the redirect URL is missing or empty.
    MissingParameter {
        /// Its name: `code` or `state`.
        parameter: &'static str,
    },
    /// The redirect's `state` is not the one this authorization sent: it answers another
    /// request (or was forged). Nothing was exchanged; start again.
    StateMismatch,
    /// The hosted UI redirected with `error=...`: the user cancelled, or the request was
    /// refused.
    Denied {
        /// `error`.
        code: OAuthErrorCode,
        /// `error_description`, if any.
        description: Option<String>,
    },
    /// The token or revocation endpoint refused the request with an OAuth error body.
    Refused {
        /// The HTTP status.
        status: u16,
        /// `error` (`invalid_grant`: the code was already used, has expired or the verifier
        /// does not match; `invalid_client`: the client id or secret is wrong).
        code: OAuthErrorCode,
        /// `error_description`, if any.
        description: Option<String>,
    },
    /// The endpoint answered with an HTTP status that is neither success nor an OAuth error
    /// body (a proxy's page, a 5xx).
    HttpStatus {
        /// The HTTP status.
        status: u16,
    },
    /// A 2xx token response whose body is not what the token endpoint sends.
    Response(ResponseError),
    /// The ID token could not be read (not a JWT, `nonce` not a string).
    IdToken(JwtError),
    /// The ID token's `nonce` is not the one this authorization sent (or is missing): the
    /// tokens answer another request. They are not used.
    NonceMismatch,
    /// The pending authorization belongs to another app client than the one exchanging it.
    ClientMismatch,
    /// Stored text that is not a pending authorization of this library (another prefix, or a
    /// version not written as `v` and a plain number).
    StoredUnknownFormat,
    /// A stored pending authorization of a version this library does not read.
    StoredUnsupportedVersion {
        /// The version found.
        version: u64,
    },
    /// A damaged stored pending authorization (digest, base64, JSON, a field missing or of
    /// the wrong shape).
    StoredCorrupted,
    /// A sealed pending authorization whose seal does not verify: edited, or another key.
    SealMismatch,
    /// A sealed pending authorization read without its key.
    SealedNeedsKey,
    /// A plain pending authorization read with a key (only sealed ones are accepted then).
    NotSealed,
    /// A sealing key shorter than 32 or longer than 64 bytes.
    KeyLength {
        /// Bytes given.
        len: usize,
    },
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidDomain => f.write_str(
                "the user pool domain must be an https:// URL (or http:// to this machine) \
                 without a query or fragment",
            ),
            Self::InvalidRedirectUri => f.write_str(
                "the redirect URI must be an absolute URI (scheme:...) of printable ASCII, \
                 without a fragment, at most 2048 bytes",
            ),
            Self::InvalidScope => f.write_str("a scope is empty or holds a forbidden character"),
            Self::RedirectTooLong { len } => {
                write!(f, "the redirect URL is {len} bytes, more than the 16384 read")
            }
            Self::RedirectUriMismatch => {
                f.write_str("the redirect URL is not for this authorization's redirect URI")
            }
            Self::BadPercentEncoding => {
                f.write_str("a redirect URL parameter has a bad %-escape or is not UTF-8")
            }
            Self::RepeatedParameter { parameter } => {
                write!(f, "the redirect URL has more than one {parameter} parameter")
            }
            Self::MissingParameter { parameter } => {
                write!(f, "the redirect URL has no {parameter} parameter")
            }
            Self::StateMismatch => f.write_str(
                "the redirect's state is not this authorization's: it answers another request",
            ),
            Self::Denied { code, description } => {
                write!(f, "the hosted UI refused the sign-in: {code}")?;
                description_suffix(f, description.as_deref())
            }
            Self::Refused {
                status,
                code,
                description,
            } => {
                write!(f, "the OAuth endpoint refused the request (HTTP {status}): {code}")?;
                description_suffix(f, description.as_deref())
            }
            Self::HttpStatus { status } => {
                write!(f, "the OAuth endpoint answered HTTP {status} without an OAuth error")
            }
            Self::Response(e) => e.fmt(f),
            Self::IdToken(e) => write!(f, "ID token: {e}"),
            Self::NonceMismatch => f.write_str(
                "the ID token's nonce is not this authorization's: the tokens answer another request",
            ),
            Self::ClientMismatch => {
                f.write_str("the pending authorization belongs to another app client")
            }
            Self::StoredUnknownFormat => {
                f.write_str("not a stored pending authorization of this library")
            }
            Self::StoredUnsupportedVersion { version } => {
                write!(f, "stored pending authorization version {version} is not supported")
            }
            Self::StoredCorrupted => f.write_str("the stored pending authorization is damaged"),
            Self::SealMismatch => f.write_str(
                "the sealed pending authorization does not verify (edited, or another key)",
            ),
            Self::SealedNeedsKey => {
                f.write_str("the pending authorization is sealed: restore it with its key")
            }
            Self::NotSealed => f.write_str(
                "the pending authorization is not sealed, but a key was given (only sealed ones are accepted)",
            ),
            Self::KeyLength { len } => {
                write!(f, "a sealing key must be 32 to 64 bytes, not {len}")
            }
        }
    }
}

fn description_suffix(f: &mut fmt::Formatter<'_>, description: Option<&str>) -> fmt::Result {
    match description {
        Some(text) if !text.is_empty() => write!(f, " ({text})"),
        _ => Ok(()),
    }
}

impl core::error::Error for OAuthError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Response(e) => Some(e),
            Self::IdToken(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ResponseError> for OAuthError {
    fn from(e: ResponseError) -> Self {
        Self::Response(e)
    }
}

/// An OAuth 2.0 `error` code (RFC 6749 §4.1.2.1, §5.2; RFC 7009 §2.2.1), forward-compatible:
/// a code this version does not know is kept in [`Other`](Self::Other).
///
/// ```
/// use cognito_auth_core::oauth::OAuthErrorCode;
///
/// assert_eq!(OAuthErrorCode::parse("invalid_grant"), OAuthErrorCode::InvalidGrant);
/// assert_eq!(OAuthErrorCode::InvalidGrant.as_str(), "invalid_grant");
/// assert_eq!(OAuthErrorCode::parse("new_code").as_str(), "new_code");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthErrorCode {
    /// `invalid_request`: a parameter is missing, repeated or malformed.
    InvalidRequest,
    /// `invalid_client`: the client id or secret is wrong.
    InvalidClient,
    /// `invalid_grant`: the code or refresh token is unknown, used, expired or revoked, or the
    /// PKCE verifier or redirect URI does not match.
    InvalidGrant,
    /// `unauthorized_client`: the client may not use this flow (or the redirect URI differs).
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `unsupported_response_type`.
    UnsupportedResponseType,
    /// `invalid_scope`: a scope the client is not allowed.
    InvalidScope,
    /// `access_denied`: the user or the identity provider refused.
    AccessDenied,
    /// `server_error`.
    ServerError,
    /// `temporarily_unavailable`.
    TemporarilyUnavailable,
    /// `unsupported_token_type` (revocation).
    UnsupportedTokenType,
    /// Any other code, as sent (cut to 512 bytes).
    Other(String),
}

impl OAuthErrorCode {
    const KNOWN: [(Self, &'static str); 11] = [
        (Self::InvalidRequest, "invalid_request"),
        (Self::InvalidClient, "invalid_client"),
        (Self::InvalidGrant, "invalid_grant"),
        (Self::UnauthorizedClient, "unauthorized_client"),
        (Self::UnsupportedGrantType, "unsupported_grant_type"),
        (Self::UnsupportedResponseType, "unsupported_response_type"),
        (Self::InvalidScope, "invalid_scope"),
        (Self::AccessDenied, "access_denied"),
        (Self::ServerError, "server_error"),
        (Self::TemporarilyUnavailable, "temporarily_unavailable"),
        (Self::UnsupportedTokenType, "unsupported_token_type"),
    ];

    /// The code for `text` (exact match; anything else is [`Other`](Self::Other)).
    pub fn parse(text: &str) -> Self {
        Self::KNOWN
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(code, _)| code.clone())
            .unwrap_or_else(|| Self::Other(String::from(bounded(text))))
    }

    /// The code as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Other(text) => text,
            known => Self::KNOWN
                .iter()
                .find(|(code, _)| code == known)
                .map_or("", |(_, name)| name),
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `text` cut to at most [`MAX_ERROR_TEXT`] bytes at a character boundary.
pub(crate) fn bounded(text: &str) -> &str {
    if text.len() <= MAX_ERROR_TEXT {
        return text;
    }
    let mut end = MAX_ERROR_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_kept_bounded() {
        for (code, name) in OAuthErrorCode::KNOWN {
            assert_eq!(OAuthErrorCode::parse(name), code);
            assert_eq!(code.as_str(), name);
        }
        let long = "é".repeat(400);
        let OAuthErrorCode::Other(kept) = OAuthErrorCode::parse(&long) else {
            panic!("unknown code");
        };
        assert_eq!(kept.len(), 512);
        assert_eq!(
            OAuthError::Denied {
                code: OAuthErrorCode::AccessDenied,
                description: Some("user cancelled".to_string()),
            }
            .to_string(),
            "the hosted UI refused the sign-in: access_denied (user cancelled)"
        );
    }
}
