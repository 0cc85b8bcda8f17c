//! [`AuthorizeOptions`]: what an `/oauth2/authorize` request asks for.

use alloc::string::String;
use alloc::vec::Vec;

use super::client::Query;
use super::error::OAuthError;

/// What to ask the hosted UI for: the redirect URI (required: one of the app client's callback
/// URLs, byte for byte), scopes, and the optional `identity_provider` / `idp_identifier`,
/// `lang`, `login_hint` and `prompt`.
///
/// ```
/// use cognito_auth_core::oauth::{AuthorizeOptions, Prompt};
///
/// let options = AuthorizeOptions::new("myapp://callback")
///     .scope("openid")
///     .scope("aws.cognito.signin.user.admin")
///     .identity_provider("Google")
///     .prompt(Prompt::SelectAccount);
/// assert_eq!(options.scopes(), ["openid", "aws.cognito.signin.user.admin"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeOptions {
    redirect_uri: String,
    scopes: Vec<String>,
    identity_provider: Option<String>,
    idp_identifier: Option<String>,
    lang: Option<String>,
    login_hint: Option<String>,
    prompt: Vec<Prompt>,
}

impl AuthorizeOptions {
    /// Options for `redirect_uri`, with no scope (the client's allowed scopes then apply).
    pub fn new(redirect_uri: &str) -> Self {
        Self {
            redirect_uri: String::from(redirect_uri),
            scopes: Vec::new(),
            identity_provider: None,
            idp_identifier: None,
            lang: None,
            login_hint: None,
            prompt: Vec::new(),
        }
    }

    /// Adds a scope (`openid`, `email`, `phone`, `profile`, `aws.cognito.signin.user.admin`,
    /// or a resource server's `<identifier>/<scope>`). An ID token needs `openid`; the user
    /// operations (`GetUser`, ...) accept the access token only with
    /// `aws.cognito.signin.user.admin`.
    pub fn scope(mut self, scope: &str) -> Self {
        self.scopes.push(String::from(scope));
        self
    }

    /// `identity_provider`: go straight to this provider (`Google`, `Facebook`,
    /// `LoginWithAmazon`, `SignInWithApple`, `COGNITO`, or the name of a SAML / OIDC provider
    /// of the pool) instead of showing the hosted UI's choice.
    pub fn identity_provider(mut self, name: &str) -> Self {
        self.identity_provider = Some(String::from(name));
        self
    }

    /// `idp_identifier`: pick the provider by one of its identifiers (e.g. an email domain).
    pub fn idp_identifier(mut self, identifier: &str) -> Self {
        self.idp_identifier = Some(String::from(identifier));
        self
    }

    /// `lang`: the hosted UI's language (e.g. `de`, `pt-BR`).
    pub fn lang(mut self, lang: &str) -> Self {
        self.lang = Some(String::from(lang));
        self
    }

    /// `login_hint`: the username to fill in.
    pub fn login_hint(mut self, hint: &str) -> Self {
        self.login_hint = Some(String::from(hint));
        self
    }

    /// Adds a `prompt` value; several are sent space-separated.
    pub fn prompt(mut self, prompt: Prompt) -> Self {
        if !self.prompt.contains(&prompt) {
            self.prompt.push(prompt);
        }
        self
    }

    /// The redirect URI.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The scopes, in the order added.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Every scope is non-empty printable ASCII without a space, `"` or `\` (RFC 6749 §3.3).
    pub(crate) fn check_scopes(&self) -> Result<(), OAuthError> {
        let valid = |scope: &String| {
            !scope.is_empty()
                && scope
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        };
        if self.scopes.iter().all(valid) {
            Ok(())
        } else {
            Err(OAuthError::InvalidScope)
        }
    }

    /// Appends the optional parameters that are set (no `prompt=` when none is).
    pub(crate) fn push_optional(&self, query: &mut Query<'_>) {
        let optional = [
            ("identity_provider", &self.identity_provider),
            ("idp_identifier", &self.idp_identifier),
            ("lang", &self.lang),
            ("login_hint", &self.login_hint),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                query.push(name, value);
            }
        }
        if !self.prompt.is_empty() {
            let joined = self
                .prompt
                .iter()
                .map(|prompt| prompt.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            query.push("prompt", &joined);
        }
    }
}

/// A `prompt` value of the authorize request (OpenID Connect Core §3.1.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Prompt {
    /// `none`: no UI; fails with `login_required` when the user is not signed in.
    None,
    /// `login`: ask for credentials even when the hosted UI has a session.
    Login,
    /// `select_account`: let the user pick an account at the identity provider.
    SelectAccount,
    /// `consent`: ask the user to consent again.
    Consent,
}

impl Prompt {
    /// The value as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Login => "login",
            Self::SelectAccount => "select_account",
            Self::Consent => "consent",
        }
    }
}
