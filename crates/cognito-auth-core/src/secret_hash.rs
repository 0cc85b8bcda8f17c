//! `SECRET_HASH`, which Cognito requires on every call when the app client has a secret.

use alloc::string::String;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::Hmac;
use sha2::Sha256;

use crate::mac::hmac;
use crate::secret::SecretString;

/// `SECRET_HASH` = base64(HMAC-SHA256(key = client secret, message = username ‖ client id)).
///
/// **Which username.** The first request (`InitiateAuth`, `SignUp`, `ForgotPassword`, ...) uses
/// the name the user typed. Once Cognito has answered with a challenge, every later request
/// (`RespondToAuthChallenge`, and `REFRESH_TOKEN_AUTH` afterwards) must use the canonical name
/// Cognito returned: the challenge parameter `USERNAME` (equal to `USER_ID_FOR_SRP` on real
/// Cognito). With an email or phone alias the typed name and the canonical one differ, and a hash
/// over the alias fails with `NotAuthorizedException: Unable to verify secret hash`.
///
/// ```
/// use cognito_auth_core::{SecretString, secret_hash};
///
/// let hash = secret_hash(
///     "alice",
///     "1example23456789abcdefghij",
///     &SecretString::new("1example23456789abcdefghijklmnopqrstuvwxyz0123456789"),
/// );
/// assert_eq!(hash, "//GwtE+1CK57uu1PfHhDchwQMQO4b0KDIie8ikhR0kk=");
/// ```
pub fn secret_hash(username: &str, client_id: &str, client_secret: &SecretString) -> String {
    let tag = hmac::<Hmac<Sha256>>(
        client_secret.expose().as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    );
    STANDARD.encode(tag)
}
