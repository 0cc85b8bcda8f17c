//! [`OAuthClient`]: a user pool domain and an app client; the URLs and requests of the hosted UI.

use alloc::string::String;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::authorize::AuthorizeOptions;
use super::error::OAuthError;
use super::pending::{AuthorizationCode, PendingAuthorization};
use crate::secret::SecretString;
use crate::sign_in::Entropy;
use crate::wire::{Endpoint, FormRequest, percent_encode_into};

/// Longest redirect or logout URI accepted (Cognito's own limit for callback URLs is 1024).
pub(crate) const MAX_URI_LEN: usize = 2048;

/// A user pool domain (`https://<prefix>.auth.<region>.amazoncognito.com` or a custom domain)
/// and one app client of the pool: builds the hosted UI's URLs and its token, refresh and
/// revocation requests.
///
/// `Debug` shows the domain and the client id, never the client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthClient {
    /// The domain's base URL, without a trailing `/`.
    domain: String,
    client_id: String,
    client_secret: Option<SecretString>,
}

impl OAuthClient {
    /// The client `client_id` of the user pool whose hosted UI is at `domain`: an `https://`
    /// URL, `http://` to this machine (a local emulator), or a bare host name (`https://` is
    /// then assumed). A trailing `/` is dropped; a path is kept (a proxy's prefix), a query or
    /// fragment is refused.
    ///
    /// # Errors
    ///
    /// [`OAuthError::InvalidDomain`]; [`OAuthError::InvalidRedirectUri`] never.
    pub fn new(domain: &str, client_id: &str) -> Result<Self, OAuthError> {
        let with_scheme;
        let url = if domain.contains("://") {
            domain
        } else {
            with_scheme = alloc::format!("https://{domain}");
            &with_scheme
        };
        let endpoint = Endpoint::custom(url).map_err(|_| OAuthError::InvalidDomain)?;
        if endpoint.as_str().contains(['?', '#']) || client_id.is_empty() {
            return Err(OAuthError::InvalidDomain);
        }
        Ok(Self {
            domain: String::from(endpoint.as_str().trim_end_matches('/')),
            client_id: String::from(client_id),
            client_secret: None,
        })
    }

    /// The same client with its secret: the token, refresh and revocation requests then
    /// authenticate with HTTP Basic (`Authorization: Basic base64(id:secret)`), as Cognito's
    /// token endpoint requires of a client with a secret.
    pub fn with_client_secret(mut self, secret: SecretString) -> Self {
        self.client_secret = Some(secret).filter(|secret| !secret.is_empty());
        self
    }

    /// The domain's base URL, without a trailing `/`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Starts an authorization: the `/oauth2/authorize` URL to open in the browser and the
    /// [`PendingAuthorization`] to keep (store it: it must survive the app being killed)
    /// until the browser comes back to the redirect URI.
    ///
    /// `state`, the PKCE verifier (S256) and `nonce` are derived from `entropy`: 32 fresh
    /// random bytes per authorization, never reused.
    ///
    /// # Errors
    ///
    /// [`OAuthError::InvalidRedirectUri`], [`OAuthError::InvalidScope`].
    pub fn authorize(
        &self,
        options: &AuthorizeOptions,
        entropy: &Entropy,
    ) -> Result<(String, PendingAuthorization), OAuthError> {
        let redirect_uri = options.redirect_uri();
        check_uri(redirect_uri)?;
        options.check_scopes()?;
        let pending = PendingAuthorization::new(
            &self.client_id,
            redirect_uri,
            random_text(entropy, "oauth state"),
            random_text(entropy, "oauth pkce verifier"),
            random_text(entropy, "oauth nonce"),
        );
        let challenge = pkce_challenge(pending.verifier().expose());
        let mut url = self.url("/oauth2/authorize");
        let mut query = Query::new(&mut url);
        query.push("response_type", "code");
        query.push("client_id", &self.client_id);
        query.push("redirect_uri", redirect_uri);
        if !options.scopes().is_empty() {
            query.push("scope", &options.scopes().join(" "));
        }
        query.push("state", pending.state().expose());
        query.push("code_challenge", &challenge);
        query.push("code_challenge_method", "S256");
        query.push("nonce", pending.nonce().expose());
        options.push_optional(&mut query);
        Ok((url, pending))
    }

    /// The `/oauth2/token` request that exchanges `code` (from
    /// [`PendingAuthorization::handle_redirect`]) for tokens: `grant_type=authorization_code`
    /// with the same redirect URI and the PKCE verifier. Hand the response to
    /// [`PendingAuthorization::handle_token_response`].
    ///
    /// # Errors
    ///
    /// [`OAuthError::ClientMismatch`] when `pending` was started by another app client.
    pub fn token_request(
        &self,
        pending: &PendingAuthorization,
        code: &AuthorizationCode,
    ) -> Result<FormRequest, OAuthError> {
        if pending.client_id() != self.client_id {
            return Err(OAuthError::ClientMismatch);
        }
        Ok(FormRequest::new(
            self.url("/oauth2/token"),
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &self.client_id),
                ("code", code.expose()),
                ("redirect_uri", pending.redirect_uri()),
                ("code_verifier", pending.verifier().expose()),
            ],
            self.basic_authorization(),
        ))
    }

    /// The `/oauth2/token` request with `grant_type=refresh_token`: new ID and access tokens
    /// (the refresh token itself is not rotated by this grant). Read the response with
    /// [`OAuthTokens::parse`](super::OAuthTokens::parse).
    ///
    /// Amplify refreshes hosted-UI sessions with `GetTokensFromRefreshToken` instead, which
    /// [`Session`](crate::session::Session) does; both accept the same refresh token.
    pub fn refresh_request(&self, refresh_token: &SecretString) -> FormRequest {
        FormRequest::new(
            self.url("/oauth2/token"),
            &[
                ("grant_type", "refresh_token"),
                ("client_id", &self.client_id),
                ("refresh_token", refresh_token.expose()),
            ],
            self.basic_authorization(),
        )
    }

    /// The `/oauth2/revoke` request: revokes `refresh_token` and the access tokens issued
    /// from it. Read the response with [`handle_revoke_response`](super::handle_revoke_response).
    pub fn revoke_request(&self, refresh_token: &SecretString) -> FormRequest {
        FormRequest::new(
            self.url("/oauth2/revoke"),
            &[
                ("token", refresh_token.expose()),
                ("client_id", &self.client_id),
            ],
            self.basic_authorization(),
        )
    }

    /// The `/logout` URL to open in the browser: ends the hosted UI's own session (its
    /// cookie) and redirects to `logout_uri`, which must be one of the client's sign-out URLs.
    /// It does not sign the user out of an external identity provider.
    ///
    /// # Errors
    ///
    /// [`OAuthError::InvalidRedirectUri`] for a `logout_uri` that is not an absolute URI.
    pub fn logout_url(&self, logout_uri: &str) -> Result<String, OAuthError> {
        check_uri(logout_uri)?;
        let mut url = self.url("/logout");
        let mut query = Query::new(&mut url);
        query.push("client_id", &self.client_id);
        query.push("logout_uri", logout_uri);
        Ok(url)
    }

    fn url(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.domain.len() + path.len() + 256);
        url.push_str(&self.domain);
        url.push_str(path);
        url
    }

    /// `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1; Cognito's ids and
    /// secrets are alphanumeric, so the encoding changes nothing for them).
    fn basic_authorization(&self) -> Option<String> {
        let secret = self.client_secret.as_ref()?;
        let mut pair = Zeroizing::new(String::with_capacity(
            3 * (self.client_id.len() + secret.expose().len()) + 1,
        ));
        percent_encode_into(&mut pair, &self.client_id);
        pair.push(':');
        percent_encode_into(&mut pair, secret.expose());
        let mut header = String::with_capacity(6 + pair.len().div_ceil(3) * 4);
        header.push_str("Basic ");
        STANDARD.encode_string(pair.as_bytes(), &mut header);
        Some(header)
    }
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("domain", &self.domain)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// A URL's query being written: `?` before the first parameter, `&` before the others.
pub(crate) struct Query<'a> {
    url: &'a mut String,
    first: bool,
}

impl<'a> Query<'a> {
    fn new(url: &'a mut String) -> Self {
        Self { url, first: true }
    }

    /// Appends `name=value`, both percent-encoded.
    pub(crate) fn push(&mut self, name: &str, value: &str) {
        self.url.push(if self.first { '?' } else { '&' });
        self.first = false;
        percent_encode_into(self.url, name);
        self.url.push('=');
        percent_encode_into(self.url, value);
    }
}

/// 32 bytes derived from `entropy` for `label`, as base64url without padding (43 characters
/// of the PKCE verifier's alphabet, RFC 7636 §4.1).
fn random_text(entropy: &Entropy, label: &str) -> SecretString {
    SecretString::from(URL_SAFE_NO_PAD.encode(entropy.derive(label, 32).as_slice()))
}

/// The PKCE S256 challenge of `verifier` (RFC 7636 §4.2): unpadded base64url of SHA-256 over
/// its ASCII bytes.
pub(crate) fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// An absolute URI as a redirect or logout URI: `scheme:` then printable ASCII, no fragment,
/// at most [`MAX_URI_LEN`] bytes.
pub(crate) fn check_uri(uri: &str) -> Result<(), OAuthError> {
    let scheme_ok = uri.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .bytes()
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    if !scheme_ok
        || uri.len() > MAX_URI_LEN
        || uri.contains('#')
        || !uri.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(OAuthError::InvalidRedirectUri);
    }
    Ok(())
}
