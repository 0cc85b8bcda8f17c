//! Sign-up: `SignUp`, `ConfirmSignUp`, `ResendConfirmationCode`.
//!
//! The Amplify `signUp` → `confirmSignUp` → `autoSignIn` sequence:
//!
//! 1. [`SignUp`] registers the user. Its [`SignUpResult`] says whether a code must be confirmed
//!    ([`SignUpNextStep::ConfirmSignUp`]), where the code went, and carries the `Session` for
//!    auto sign-in.
//! 2. [`ConfirmSignUp`] sends the code (with that session); [`ResendConfirmationCode`] sends a
//!    new one if it never arrived.
//! 3. The [`ConfirmSignUpResult::session`] starts a sign-in without the password:
//!    [`Credentials::auto_sign_in`](crate::sign_in::Credentials::auto_sign_in).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Map, Value};

use super::{
    AccountError, AccountOperation, checked_code, code_delivery, insert_client_metadata,
    insert_context_data, request_from, request_username, required, success_body,
};
use crate::client::ClientConfig;
use crate::context_data::ContextData;
use crate::phone_number::PhoneNumber;
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::wire::{
    CodeDelivery, HttpResponse, Operation, Request, ResponseError, require_string, take_bool,
    take_string,
};

/// `SignUp`: register a new user with a password and attributes.
///
/// Refused before a request is built: an empty username or password, an empty attribute name,
/// the same attribute (or validation-data name) twice, and a `phone_number` attribute that is
/// not E.164 (`+` and digits only: normalise what the user typed with
/// [`PhoneNumber::normalize`] first). A username typed as a phone number
/// (`+1 (206) 555-1212`) is sent in E.164, as sign-in sends it; anything else is sent as
/// typed. `SECRET_HASH` (clients with a secret) is computed over the username sent.
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, SignUp, SignUpNextStep};
/// use cognito_auth_core::sign_in::ClientConfig;
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::{SecretString, UserPoolId};
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = SignUp::new("alice", SecretString::new("Correct-Horse-9!"))
///     .attribute("email", "alice@example.com")
///     .attribute("phone_number", "+12065551212")
///     .client_metadata("invited_by", "bob");
/// let request = operation.request(&client)?;
/// assert_eq!(request.operation().name(), "SignUp");
///
/// let body = br#"{"UserConfirmed":false,"UserSub":"5f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
///     "CodeDeliveryDetails":{"Destination":"a***@e***.com","DeliveryMedium":"EMAIL",
///     "AttributeName":"email"},"Session":"sign-up-session"}"#;
/// let result = operation.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(result.next_step, SignUpNextStep::ConfirmSignUp);
/// assert_eq!(result.code_delivery.and_then(|d| d.medium).as_deref(), Some("EMAIL"));
/// assert_eq!(result.session.as_deref(), Some("sign-up-session")); // for ConfirmSignUp
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SignUp {
    username: String,
    password: SecretString,
    attributes: Vec<(String, String)>,
    validation_data: Vec<(String, String)>,
    client_metadata: BTreeMap<String, String>,
    context_data: Option<(ContextData, UnixTime)>,
}

impl SignUp {
    /// `username` with `password`, no attributes yet.
    pub fn new(username: &str, password: SecretString) -> Self {
        Self {
            username: String::from(username),
            password,
            attributes: Vec::new(),
            validation_data: Vec::new(),
            client_metadata: BTreeMap::new(),
            context_data: None,
        }
    }

    /// Sends threat-protection context data (`UserContextData.EncodedData`), signed for the
    /// username sent at `now` (see [`context_data`](crate::context_data)).
    pub fn context_data(mut self, data: ContextData, now: UnixTime) -> Self {
        self.context_data = Some((data, now));
        self
    }

    /// Adds a user attribute (`UserAttributes`), e.g. `email`, `phone_number`,
    /// `custom:team`. Giving the same name twice is refused by [`AccountOperation::request`].
    pub fn attribute(mut self, name: &str, value: &str) -> Self {
        self.attributes
            .push((String::from(name), String::from(value)));
        self
    }

    /// Adds a `ValidationData` entry, which only the pool's pre sign-up Lambda trigger sees.
    /// Giving the same name twice is refused.
    pub fn validation_data(mut self, name: &str, value: &str) -> Self {
        self.validation_data
            .push((String::from(name), String::from(value)));
        self
    }

    /// Sets a `ClientMetadata` entry for the pool's Lambda triggers (a later value for the same
    /// key replaces the earlier one).
    pub fn client_metadata(mut self, key: &str, value: &str) -> Self {
        self.client_metadata
            .insert(String::from(key), String::from(value));
        self
    }
}

impl AccountOperation for SignUp {
    /// Whether the user must confirm, where the code went, the session for auto sign-in.
    type Output = SignUpResult;

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("username", &self.username)?;
        required("password", self.password.expose())?;
        check_pairs(&self.attributes, "attribute name")?;
        check_pairs(&self.validation_data, "validation data name")?;
        if let Some((_, phone_number)) = self
            .attributes
            .iter()
            .find(|(name, _)| name == "phone_number")
        {
            PhoneNumber::parse(phone_number)?;
        }
        let username = request_username(&self.username);
        let mut body = Map::new();
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("Username".into(), username.as_str().into());
        body.insert("Password".into(), self.password.expose().into());
        body.insert("UserAttributes".into(), name_value_list(&self.attributes));
        if !self.validation_data.is_empty() {
            body.insert(
                "ValidationData".into(),
                name_value_list(&self.validation_data),
            );
        }
        insert_client_metadata(&mut body, &self.client_metadata);
        if let Some(hash) = client.secret_hash(&username) {
            body.insert("SecretHash".into(), hash.into());
        }
        insert_context_data(&mut body, self.context_data.as_ref(), &username, client)?;
        Ok(request_from(Operation::SignUp, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<SignUpResult, AccountError> {
        Self::parse(response)
    }
}

impl SignUp {
    /// Reads `SignUp`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<SignUpResult, AccountError> {
        let mut body = success_body(response)?;
        let code_delivery = code_delivery(&body)?;
        let user_confirmed =
            take_bool(&mut body, "UserConfirmed")?.ok_or(ResponseError::MissingField {
                field: "UserConfirmed",
            })?;
        let user_sub = require_string(&mut body, "UserSub")?;
        let session = take_string(&mut body, "Session")?;
        Ok(SignUpResult {
            user_confirmed,
            user_sub,
            code_delivery,
            session,
            next_step: if user_confirmed {
                SignUpNextStep::Done
            } else {
                SignUpNextStep::ConfirmSignUp
            },
        })
    }
}

impl fmt::Debug for SignUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Attribute values are the user's own data and shown; validation data and client
        // metadata may carry invitation codes and the like, so only their names are.
        f.debug_struct("SignUp")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("attributes", &self.attributes)
            .field(
                "validation_data",
                &Names(self.validation_data.iter().map(|(name, _)| name)),
            )
            .field("client_metadata", &Names(self.client_metadata.keys()))
            .finish()
    }
}

/// What [`SignUp`] yields.
#[derive(Clone, PartialEq, Eq)]
pub struct SignUpResult {
    /// `UserConfirmed`: `true` when a pre sign-up trigger confirmed the user (no code sent).
    pub user_confirmed: bool,
    /// `UserSub`: the user's permanent id (the `sub` claim of its tokens).
    pub user_sub: String,
    /// `CodeDeliveryDetails`: where the confirmation code went, when one was sent.
    pub code_delivery: Option<CodeDelivery>,
    /// `Session`: pass it to [`ConfirmSignUp::with_session`] so that the confirmation returns a
    /// session for auto sign-in. Not shown by `Debug`.
    pub session: Option<String>,
    /// What the app shows next.
    pub next_step: SignUpNextStep,
}

impl fmt::Debug for SignUpResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignUpResult")
            .field("user_confirmed", &self.user_confirmed)
            .field("user_sub", &self.user_sub)
            .field("code_delivery", &self.code_delivery)
            .field("session", &self.session.as_ref().map(|_| "<session>"))
            .field("next_step", &self.next_step)
            .finish()
    }
}

/// The next step after [`SignUp`] (Amplify's `signUpStep`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
// Exhaustive on purpose: the bindings mirror this enum, and a new variant must be a
// compile error there, not a silent default.
pub enum SignUpNextStep {
    /// `CONFIRM_SIGN_UP`: ask for the code ([`SignUpResult::code_delivery`] says where it went)
    /// and send it with [`ConfirmSignUp`].
    ConfirmSignUp,
    /// `DONE`: the user is confirmed and can sign in.
    Done,
}

/// `ConfirmSignUp`: confirm a new user with the code Cognito sent.
///
/// The code is checked as sign-in codes are (4 to 10 digits, surrounding spaces dropped) and
/// is never shown by `Debug`. The username is sent as [`SignUp`] sends it; `SECRET_HASH` is
/// computed over it.
///
/// ```
/// use cognito_auth_core::account::{AccountOperation, ConfirmSignUp};
/// use cognito_auth_core::sign_in::{ClientConfig, Credentials};
/// use cognito_auth_core::wire::HttpResponse;
/// use cognito_auth_core::UserPoolId;
///
/// let client = ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ")?, "client-id")?;
/// let operation = ConfirmSignUp::new("alice", "123456").with_session("sign-up-session");
/// let request = operation.request(&client)?;
/// assert_eq!(request.operation().name(), "ConfirmSignUp");
///
/// let confirmed = operation.parse_response(HttpResponse::new(200, br#"{"Session":"auto"}"#))?;
/// if let Some(session) = confirmed.session.as_deref() {
///     let _credentials = Credentials::auto_sign_in("alice", session); // SignIn::start(...)
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ConfirmSignUp {
    username: String,
    code: SecretString,
    session: Option<SecretString>,
    force_alias_creation: bool,
    client_metadata: BTreeMap<String, String>,
    context_data: Option<(ContextData, UnixTime)>,
}

impl ConfirmSignUp {
    /// Confirms `username` with `code`.
    pub fn new(username: &str, code: &str) -> Self {
        Self {
            username: String::from(username),
            code: SecretString::new(code),
            session: None,
            force_alias_creation: false,
            client_metadata: BTreeMap::new(),
            context_data: None,
        }
    }

    /// Sends threat-protection context data (`UserContextData.EncodedData`), signed for the
    /// username sent at `now` (see [`context_data`](crate::context_data)).
    pub fn context_data(mut self, data: ContextData, now: UnixTime) -> Self {
        self.context_data = Some((data, now));
        self
    }

    /// Sends the [`SignUpResult::session`], so that the response carries a session for auto
    /// sign-in.
    pub fn with_session(mut self, session: &str) -> Self {
        self.session = Some(SecretString::new(session));
        self
    }

    /// `ForceAliasCreation`: when the email or phone number is already another user's alias,
    /// move the alias to this user instead of failing with `AliasExistsException`.
    pub fn force_alias_creation(mut self, force: bool) -> Self {
        self.force_alias_creation = force;
        self
    }

    /// Sets a `ClientMetadata` entry for the post-confirmation Lambda trigger.
    pub fn client_metadata(mut self, key: &str, value: &str) -> Self {
        self.client_metadata
            .insert(String::from(key), String::from(value));
        self
    }
}

impl AccountOperation for ConfirmSignUp {
    /// The session for auto sign-in, if Cognito issued one.
    type Output = ConfirmSignUpResult;

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("username", &self.username)?;
        let code = checked_code(self.code.expose())?;
        let username = request_username(&self.username);
        let mut body = Map::new();
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("Username".into(), username.as_str().into());
        body.insert("ConfirmationCode".into(), code.into());
        if let Some(session) = &self.session {
            body.insert("Session".into(), session.expose().into());
        }
        if self.force_alias_creation {
            body.insert("ForceAliasCreation".into(), true.into());
        }
        insert_client_metadata(&mut body, &self.client_metadata);
        if let Some(hash) = client.secret_hash(&username) {
            body.insert("SecretHash".into(), hash.into());
        }
        insert_context_data(&mut body, self.context_data.as_ref(), &username, client)?;
        Ok(request_from(Operation::ConfirmSignUp, body))
    }

    fn parse_response(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<ConfirmSignUpResult, AccountError> {
        Self::parse(response)
    }
}

impl ConfirmSignUp {
    /// Reads `ConfirmSignUp`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<ConfirmSignUpResult, AccountError> {
        let mut body = success_body(response)?;
        Ok(ConfirmSignUpResult {
            session: take_string(&mut body, "Session")?,
        })
    }
}

impl fmt::Debug for ConfirmSignUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmSignUp")
            .field("username", &self.username)
            .field("code", &"<redacted>")
            .field("session", &self.session.as_ref().map(|_| "<session>"))
            .field("force_alias_creation", &self.force_alias_creation)
            .field("client_metadata", &Names(self.client_metadata.keys()))
            .finish()
    }
}

/// What [`ConfirmSignUp`] yields.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ConfirmSignUpResult {
    /// `Session`: start a sign-in without the password with
    /// [`Credentials::auto_sign_in`](crate::sign_in::Credentials::auto_sign_in). Present when
    /// [`ConfirmSignUp::with_session`] sent the sign-up session. Not shown by `Debug`.
    pub session: Option<String>,
}

impl fmt::Debug for ConfirmSignUpResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmSignUpResult")
            .field("session", &self.session.as_ref().map(|_| "<session>"))
            .finish()
    }
}

/// `ResendConfirmationCode`: send the sign-up confirmation code again.
///
/// `SECRET_HASH` (clients with a secret) is computed over the username sent, which is the
/// username as given, or its E.164 form when it is a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResendConfirmationCode {
    username: String,
    context_data: Option<(ContextData, UnixTime)>,
}

impl ResendConfirmationCode {
    /// For the user who signed up as `username`.
    pub fn new(username: &str) -> Self {
        Self {
            username: String::from(username),
            context_data: None,
        }
    }

    /// Sends threat-protection context data (`UserContextData.EncodedData`), signed for the
    /// username sent at `now` (see [`context_data`](crate::context_data)).
    pub fn context_data(mut self, data: ContextData, now: UnixTime) -> Self {
        self.context_data = Some((data, now));
        self
    }
}

impl AccountOperation for ResendConfirmationCode {
    /// Where the new code went.
    type Output = CodeDelivery;

    fn request(&self, client: &ClientConfig) -> Result<Request, AccountError> {
        required("username", &self.username)?;
        let username = request_username(&self.username);
        let mut body = Map::new();
        body.insert("ClientId".into(), client.client_id().into());
        body.insert("Username".into(), username.as_str().into());
        if let Some(hash) = client.secret_hash(&username) {
            body.insert("SecretHash".into(), hash.into());
        }
        insert_context_data(&mut body, self.context_data.as_ref(), &username, client)?;
        Ok(request_from(Operation::ResendConfirmationCode, body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<CodeDelivery, AccountError> {
        Self::parse(response)
    }
}

impl ResendConfirmationCode {
    /// Reads `ResendConfirmationCode`'s response. Needs nothing of the request, so a caller that kept
    /// only which operation it sent (not its inputs, some of them secret) can read it.
    pub fn parse(response: HttpResponse<'_>) -> Result<CodeDelivery, AccountError> {
        let body = success_body(response)?;
        code_delivery(&body)?.ok_or(AccountError::Response(ResponseError::MissingField {
            field: "CodeDeliveryDetails",
        }))
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers shared with `password_reset`.

/// `[{"Name": .., "Value": ..}]`, the shape of `UserAttributes` and `ValidationData`.
fn name_value_list(pairs: &[(String, String)]) -> Value {
    pairs
        .iter()
        .map(|(name, value)| {
            let mut entry = Map::new();
            entry.insert("Name".into(), name.as_str().into());
            entry.insert("Value".into(), value.as_str().into());
            Value::Object(entry)
        })
        .collect()
}

/// Refuses an empty name and a name given twice.
fn check_pairs(pairs: &[(String, String)], field: &'static str) -> Result<(), AccountError> {
    for (index, (name, _)) in pairs.iter().enumerate() {
        required(field, name)?;
        if pairs.iter().take(index).any(|(earlier, _)| earlier == name) {
            return Err(AccountError::DuplicateAttribute { name: name.clone() });
        }
    }
    Ok(())
}

/// Shows a list of names (the values stay hidden).
struct Names<I>(I);

impl<'a, I: Iterator<Item = &'a String> + Clone> fmt::Debug for Names<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.clone()).finish()
    }
}
