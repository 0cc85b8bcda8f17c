//! Identity pools (Cognito Identity): temporary AWS credentials for a signed-in user or a
//! guest. Sans-IO like the rest of the core: requests out, responses in, `now` passed in.
//!
//! An identity pool turns logins into an **identity** (`GetId`) and an identity into AWS
//! credentials (`GetCredentialsForIdentity`), under the pool's authenticated or
//! unauthenticated IAM role:
//!
//! | step | request | answer |
//! |---|---|---|
//! | [`GetId`] | `IdentityPoolId`, `Logins` (none for a guest) | `IdentityId` (`<region>:<GUID>`) |
//! | [`GetCredentialsForIdentity`] | `IdentityId`, the same `Logins` | `AccessKeyId`, `SecretKey`, `SessionToken`, `Expiration` (epoch seconds) |
//! | [`GetOpenIdToken`] | `IdentityId`, `Logins` | an OpenID Connect token (10 minutes) |
//!
//! Wire: AWS JSON 1.1 like the user pool, `x-amz-target: AWSCognitoIdentityService.<Op>`,
//! unsigned, POSTed to `https://cognito-identity.<region>.amazonaws.com/`
//! ([`Endpoint::for_identity_pool`](crate::wire::Endpoint::for_identity_pool); an emulator
//! serves both services at one URL). A user-pool user's login is
//! `cognito-idp.<region>.amazonaws.com/<user pool id>` → the **ID token** ([`Logins::user_pool`]).
//!
//! # The provider
//!
//! [`CredentialsProvider`] keeps the identity id and the credentials, and answers "credentials
//! for a call at `now`" with the same one-at-a-time contract as
//! [`Session::tokens_for_call`](crate::session::Session::tokens_for_call):
//!
//! | answer | do |
//! |---|---|
//! | [`CredentialsForCall::Fresh`] | make the call with these credentials |
//! | [`CredentialsForCall::Send`] | send the request; hand the response to [`CredentialsProvider::handle_response`] (or call [`CredentialsProvider::request_failed_to_send`]); while it answers [`CredentialsOutcome::Send`], send that too |
//! | [`CredentialsForCall::WaitForRefresh`] | another caller's request is in flight: wait, then ask again |
//!
//! The platform layer holds the provider behind one lock, never across the network, and wakes
//! the waiters when the exchange is over, exactly as described for the
//! [session](crate::session#one-refresh-at-a-time). When the user's tokens are refreshed,
//! hand the new ID token in with [`CredentialsProvider::update_logins`]; when the user signs
//! in or out, [`CredentialsProvider::switch_logins`].
//!
//! ```
//! use cognito_auth_core::identity_pool::{
//!     CredentialsForCall, CredentialsOutcome, CredentialsProvider, IdentityPoolId, Logins,
//! };
//! use cognito_auth_core::wire::{Endpoint, HttpResponse};
//! use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
//!
//! let pool = IdentityPoolId::parse("us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60")?;
//! let endpoint = Endpoint::for_identity_pool(&pool)?;
//! assert_eq!(endpoint.as_str(), "https://cognito-identity.us-east-1.amazonaws.com/");
//! let user_pool = UserPoolId::parse("us-east-1_Abc123XyZ")?;
//! let logins = Logins::user_pool(&user_pool, SecretString::new("eyJraWQ.id.token"))?;
//! let mut provider = CredentialsProvider::new(pool, logins);
//! let now = UnixTime::from_secs(1_800_000_000);
//!
//! // No identity yet: GetId first; a second caller waits.
//! let CredentialsForCall::Send(get_id) = provider.credentials_for_call(now) else { unreachable!() };
//! assert_eq!(get_id.operation().name(), "GetId");
//! assert!(get_id.body().contains(r#""Logins":{"cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123XyZ":"eyJraWQ.id.token"}"#));
//! assert_eq!(provider.credentials_for_call(now), CredentialsForCall::WaitForRefresh);
//!
//! // The app POSTs it and hands the answer back: next, GetCredentialsForIdentity.
//! let body = br#"{"IdentityId":"us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60"}"#;
//! let CredentialsOutcome::Send(get_credentials) = provider.handle_response(HttpResponse::new(200, body), now)? else { unreachable!() };
//! assert_eq!(get_credentials.operation().name(), "GetCredentialsForIdentity");
//! let body = br#"{"IdentityId":"us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60","Credentials":{
//!     "AccessKeyId":"ASIAEXAMPLE","SecretKey":"secret","SessionToken":"token","Expiration":1800003600}}"#;
//! let CredentialsOutcome::Refreshed(credentials) = provider.handle_response(HttpResponse::new(200, body), now)? else { unreachable!() };
//! assert_eq!(credentials.expires_in(now), 3600);
//!
//! // Until 5 minutes before they expire, every caller gets them at once.
//! assert_eq!(provider.credentials_for_call(now), CredentialsForCall::Fresh(credentials));
//! assert_eq!(provider.identity_id().map(|id| id.as_str()), Some("us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60"));
//! let later = UnixTime::from_secs(1_800_003_400);
//! let CredentialsForCall::Send(refresh) = provider.credentials_for_call(later) else { unreachable!() };
//! assert_eq!(refresh.operation().name(), "GetCredentialsForIdentity", "the identity is known");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod credentials;
mod error;
mod ids;
mod logins;
mod operations;
mod provider;

#[cfg(test)]
mod tests;

pub use credentials::{AwsCredentials, MAX_EXPIRATION_SECS};
pub use error::IdentityPoolError;
pub use ids::{IdentityId, IdentityPoolId, MAX_ID_LEN};
pub use logins::Logins;
pub use operations::{
    GetCredentialsForIdentity, GetId, GetOpenIdToken, IdentityCredentials, IdentityPoolOperation,
    OpenIdToken,
};
pub use provider::{
    CredentialsForCall, CredentialsOutcome, CredentialsProvider, DEFAULT_REFRESH_MARGIN_SECS,
    MAX_CREDENTIALS_LIFETIME_SECS,
};
