//! [`TotpSetupDetails`]: Cognito's `AssociateSoftwareToken` secret, ready for an authenticator.

use alloc::string::String;

use super::error::TotpError;
use super::secret::TotpSecret;
use super::uri::OtpauthUri;
use crate::secret::SecretString;

/// What a user needs to add a Cognito account to an authenticator app: the `SecretCode` from
/// `AssociateSoftwareToken` and the username. The equivalent of Amplify's `TOTPSetupDetails`.
///
/// Cognito always uses SHA-1, 6 digits and 30 seconds, so the setup URI carries none of those
/// parameters, exactly like Amplify's `getSetupUri`. Unlike Amplify (whose JS, Android and Swift
/// versions leave `&`, `#`, `%` and `:` raw), every name is percent-encoded, so app names like
/// `Ex&Co` or `A#B` produce a URI that apps read correctly. For names made of letters, digits,
/// `-._~@` the bytes are identical to Amplify's; a `+` (phone-number usernames) is written
/// `%2B`, which every RFC 3986 parser reads back as `+`.
///
/// ```
/// use cognito_auth_core::totp::TotpSetupDetails;
///
/// // AssociateSoftwareTokenResponse.SecretCode, and the user signing in.
/// let setup = TotpSetupDetails::new("6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A", "alice")?;
/// assert_eq!(
///     setup.setup_uri("My App", None).expose(),
///     "otpauth://totp/My%20App:alice?secret=6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A&issuer=My%20App"
/// );
/// // Show an email instead of the username:
/// assert_eq!(
///     setup.setup_uri("MyApp", Some("alice@example.com")).expose(),
///     "otpauth://totp/MyApp:alice@example.com?secret=6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A&issuer=MyApp"
/// );
/// # Ok::<(), cognito_auth_core::totp::TotpError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpSetupDetails {
    shared_secret: TotpSecret,
    username: String,
}

impl TotpSetupDetails {
    /// Decodes `secret_code` (`AssociateSoftwareTokenResponse.SecretCode`, 52 base32 characters
    /// for 32 bytes) for `username`. A secret under 128 bits is refused, as everywhere in this
    /// module; Cognito's are 256 bits.
    pub fn new(secret_code: &str, username: &str) -> Result<Self, TotpError> {
        Ok(Self {
            shared_secret: TotpSecret::from_base32(secret_code)?,
            username: String::from(username),
        })
    }

    /// The shared secret; [`TotpSecret::to_base32`] gives the text to type in by hand.
    pub fn shared_secret(&self) -> &TotpSecret {
        &self.shared_secret
    }

    /// The username the secret belongs to.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Amplify's `getSetupUri(appName, accountName)`:
    /// `otpauth://totp/{appName}:{accountName ?? username}?secret={secret}&issuer={appName}`,
    /// percent-encoded. An empty `app_name` leaves the issuer out.
    pub fn setup_uri(&self, app_name: &str, account_name: Option<&str>) -> SecretString {
        self.otpauth_uri(app_name, account_name).to_uri_string()
    }

    /// The same as [`Self::setup_uri`], as a structured [`OtpauthUri`].
    pub fn otpauth_uri(&self, app_name: &str, account_name: Option<&str>) -> OtpauthUri {
        OtpauthUri::totp(
            self.shared_secret.clone(),
            account_name.unwrap_or(&self.username),
        )
        .with_issuer(app_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COGNITO_SECRET: &str = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";

    #[test]
    fn amplify_outputs_for_tricky_names() {
        let setup = TotpSetupDetails::new(COGNITO_SECRET, "+12065551212").unwrap();
        let uri =
            |app: &str, account: Option<&str>| String::from(setup.setup_uri(app, account).expose());
        let s = COGNITO_SECRET;
        assert_eq!(
            uri("MyApp", None),
            alloc::format!("otpauth://totp/MyApp:%2B12065551212?secret={s}&issuer=MyApp")
        );
        assert_eq!(
            uri("Ex&Co", Some("bob")),
            alloc::format!("otpauth://totp/Ex%26Co:bob?secret={s}&issuer=Ex%26Co")
        );
        assert_eq!(
            uri("A#B", Some("c")),
            alloc::format!("otpauth://totp/A%23B:c?secret={s}&issuer=A%23B")
        );
        assert_eq!(
            uri("MyApp", Some("50%off")),
            alloc::format!("otpauth://totp/MyApp:50%25off?secret={s}&issuer=MyApp")
        );
        assert_eq!(
            uri("", Some("bob")),
            alloc::format!("otpauth://totp/bob?secret={s}")
        );
        let parsed = setup.otpauth_uri("Ex&Co", None);
        assert_eq!(parsed.issuer(), Some("Ex&Co"));
        assert_eq!(parsed.account_name(), "+12065551212");
        assert_eq!(setup.username(), "+12065551212");
        assert_eq!(setup.shared_secret().len(), 32);
    }

    #[test]
    fn bad_secret_codes_are_refused() {
        assert_eq!(
            TotpSetupDetails::new("QWERTYUIOP123456EXAMPLE", "alice"),
            Err(TotpError::SecretNotBase32 { position: 10 })
        );
        assert_eq!(
            TotpSetupDetails::new("JBSWY3DPEHPK3PXP", "alice"),
            Err(TotpError::SecretTooShort { bits: 80 })
        );
    }
}
