//! The hosted UI: OAuth 2.0 authorization code with PKCE (social, SAML and OIDC sign-in
//! through the user pool domain). Sans-IO like the rest of the core: the app opens URLs in
//! the browser, sends [`FormRequest`]s and hands back what comes in.
//!
//! | step | core | app |
//! |---|---|---|
//! | 1 | [`OAuthClient::authorize`]: the `/oauth2/authorize` URL (`state`, PKCE S256 challenge, `nonce`) and a [`PendingAuthorization`] | store [`PendingAuthorization::to_storage`], open the URL (`ASWebAuthenticationSession`, Custom Tabs, the system browser) |
//! | 2 | | the browser comes back to the redirect URI; [`PendingAuthorization::restore`] if the app was killed |
//! | 3 | [`PendingAuthorization::handle_redirect`]: redirect URI and `state` checked (constant time), `error` typed, the [`AuthorizationCode`] | |
//! | 4 | [`OAuthClient::token_request`]: `grant_type=authorization_code` with the verifier (HTTP Basic for a client with a secret) | `POST` it |
//! | 5 | [`PendingAuthorization::handle_token_response`]: [`OAuthTokens`], the ID token's `nonce` checked | delete the stored pending authorization |
//! | 6 | `AuthenticationResult::from(tokens)` → [`Session::new`](crate::session::Session::new) | keep the session as after a sign-in |
//!
//! Also: [`OAuthClient::refresh_request`] (`grant_type=refresh_token`),
//! [`OAuthClient::revoke_request`] + [`handle_revoke_response`], [`OAuthClient::logout_url`].
//!
//! Randomness is an input: `state`, the verifier and `nonce` are derived from the 32 bytes
//! of an [`Entropy`](crate::sign_in::Entropy), fresh for every authorization.
//!
//! ```
//! use cognito_auth_core::oauth::{AuthorizeOptions, OAuthClient, PendingAuthorization};
//! use cognito_auth_core::sign_in::Entropy;
//! use cognito_auth_core::wire::{AuthenticationResult, HttpResponse};
//!
//! let client = OAuthClient::new("https://example.auth.eu-west-1.amazoncognito.com", "2od40example")?;
//! let options = AuthorizeOptions::new("myapp://callback").scope("openid").scope("email");
//! let (url, pending) = client.authorize(&options, &Entropy::from_bytes([7; 32]))?;
//! assert!(url.starts_with(
//!     "https://example.auth.eu-west-1.amazoncognito.com/oauth2/authorize?response_type=code\
//!      &client_id=2od40example&redirect_uri=myapp%3A%2F%2Fcallback&scope=openid%20email&state="
//! ));
//! assert!(url.contains("&code_challenge_method=S256"));
//!
//! // Keep it where the app keeps tokens; the app may be killed while the browser is open.
//! let stored = pending.to_storage();
//! let pending = PendingAuthorization::restore(stored.expose())?;
//!
//! // The browser comes back with the state the URL carried (here read back from it).
//! let state = url.split("&state=").nth(1).and_then(|rest| rest.split('&').next()).unwrap();
//! let code = pending.handle_redirect(&format!("myapp://callback?code=AbC123&state={state}"))?;
//! let request = client.token_request(&pending, &code)?;
//! assert_eq!(request.url(), "https://example.auth.eu-west-1.amazoncognito.com/oauth2/token");
//! assert!(request.body().starts_with("grant_type=authorization_code&client_id=2od40example&code=AbC123"));
//!
//! // A redirect answering another request is refused before anything is sent.
//! assert!(pending.handle_redirect("myapp://callback?code=AbC123&state=forged").is_err());
//!
//! // The app POSTs the request; the token endpoint answers (no ID token here: none to check).
//! let body = br#"{"access_token":"eyJ.a.b","refresh_token":"eyJ.r.t","expires_in":3600,"token_type":"Bearer"}"#;
//! let tokens = pending.handle_token_response(HttpResponse::new(200, body))?;
//! assert_eq!(tokens.expires_in, 3600);
//! let result = AuthenticationResult::from(tokens); // for Session::new, as after a sign-in
//! assert_eq!(result.access_token.expose(), "eyJ.a.b");
//! # Ok::<(), cognito_auth_core::oauth::OAuthError>(())
//! ```

mod authorize;
mod client;
mod error;
mod pending;
mod redirect;
mod tokens;

pub use authorize::{AuthorizeOptions, Prompt};
pub use client::OAuthClient;
pub use error::{OAuthError, OAuthErrorCode};
pub use pending::{AuthorizationCode, PendingAuthorization, PendingKey};
pub use tokens::{OAuthTokens, handle_revoke_response};

pub use crate::wire::FormRequest;

#[cfg(test)]
mod tests;
