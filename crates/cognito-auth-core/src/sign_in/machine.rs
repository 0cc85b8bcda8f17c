//! [`SignIn`]: the state machine.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::mem;

use serde_json::{Map, Value};

use super::answer::{ChallengeAnswer, checked_code};
use super::config::{
    AuthFlow, ClientConfig, Credentials, Entropy, FirstFactor, RememberedDevice, request_username,
};
use super::error::{SignInError, keeps_step_open};
use super::step::{DeviceOutcome, MfaType, SignedIn, Step, UserStep};
use crate::secret::SecretString;
use crate::srp::{DeviceVerifier, PasswordVerifierChallenge, SrpClient, SrpIdentity};
use crate::time::UnixTime;
use crate::totp::TotpSetupDetails;
use crate::wire::{
    AuthResponse, AuthenticationResult, ChallengeName, CodeDelivery, HttpResponse, Operation,
    Request, ResponseError, ServiceError, ServiceErrorKind, json_object, require_string, take_bool,
    take_string,
};

/// One sign-in, from `InitiateAuth` to tokens. Sans-IO: it builds requests and reads responses,
/// the app sends them.
///
/// Call order:
/// 1. [`SignIn::start`] returns the flow and the first [`Request`] (`InitiateAuth`).
/// 2. Send it; pass the response to [`SignIn::handle_response`]. The returned [`Step`] says
///    what next: [`Step::Send`] another request (automatic legs such as the SRP password
///    verifier), [`Step::Challenge`] a step for the user, or a final outcome.
/// 3. For a challenge, pass the user's [`ChallengeAnswer`] to [`SignIn::answer`]; it returns
///    the next [`Step`] (usually `Send`).
///
/// One request is in flight at a time. The flow never reads a clock or draws randomness: `now`
/// is passed with each call and randomness comes from the [`Entropy`] given at the start.
/// A call that does not fit the state (an answer while a request is in flight, a second
/// response) returns an error and changes nothing; a refusal from Cognito or a malformed
/// response ends the flow, except for a refused answer ([`SignInError::AnswerRefused`]: a
/// wrong code, a refused new password), after which the same step waits again.
pub struct SignIn {
    pub(crate) config: ClientConfig,
    /// What the user typed (for the `ConfirmSignUp` / `ResetPassword` steps).
    pub(crate) typed_username: String,
    /// What requests carry as `USERNAME`: the typed name (E.164-normalised if a phone number)
    /// until Cognito names the user, then Cognito's canonical name.
    pub(crate) username: String,
    pub(crate) session: Option<String>,
    pub(crate) flow: AuthFlow,
    /// Kept only while an SRP or password exchange may still need it.
    pub(crate) password: Option<SecretString>,
    pub(crate) device: Option<RememberedDevice>,
    pub(crate) device_name: Option<String>,
    pub(crate) sign_up_session: Option<String>,
    pub(crate) entropy: Entropy,
    /// How many SRP ephemerals have been derived (each exchange gets a fresh one).
    pub(crate) srp_count: u32,
    pub(crate) srp: Option<SrpClient>,
    /// The remembered device was refused as unknown and dropped (reported on success).
    pub(crate) stale_device: bool,
    pub(crate) state: State,
}

/// Where the flow is.
pub(crate) enum State {
    /// A request is in flight; `sent` says how to read its response.
    InFlight(Sent),
    /// A user step is shown.
    Waiting(Pending),
    /// Signed in, or ended by a terminal step or an error.
    Over,
}

/// A request in flight.
pub(crate) enum Sent {
    /// `InitiateAuth`.
    Initiate,
    /// `RespondToAuthChallenge` for an automatic leg (`PASSWORD_VERIFIER`, device SRP).
    Automatic,
    /// `RespondToAuthChallenge` answering a user step; a wrong code reopens `pending`.
    Answer(Pending),
    /// `AssociateSoftwareToken` during `MFA_SETUP`.
    AssociateSoftwareToken,
    /// `VerifySoftwareToken` with the first code; a wrong code reopens `pending`.
    VerifySoftwareToken(Pending),
    /// `ConfirmDevice` after the tokens arrived.
    ConfirmDevice {
        tokens: AuthenticationResult,
        device: RememberedDevice,
    },
}

/// A user step and the challenge it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pending {
    /// The challenge the answer is sent as (`SMS_MFA`, `SELECT_CHALLENGE`, ...).
    pub(crate) challenge: String,
    pub(crate) step: UserStep,
}

const USERNAME: &str = "USERNAME";

impl SignIn {
    /// Starts a sign-in: returns the flow and the `InitiateAuth` request to send.
    ///
    /// Fails only when the flow needs a password the credentials lack.
    pub fn start(
        config: ClientConfig,
        credentials: Credentials,
        entropy: Entropy,
    ) -> Result<(Self, Request), SignInError> {
        let username = request_username(&credentials.username);
        let mut flow = Self {
            config,
            typed_username: credentials.username,
            username,
            session: None,
            flow: credentials.flow,
            password: credentials.password,
            device: credentials.device,
            device_name: credentials.device_name,
            sign_up_session: credentials.sign_up_session,
            entropy,
            srp_count: 0,
            srp: None,
            stale_device: false,
            state: State::Over,
        };
        let request = flow.initiate_auth()?;
        flow.state = State::InFlight(Sent::Initiate);
        Ok((flow, request))
    }

    /// The user step waiting for an answer, if any.
    pub fn pending_step(&self) -> Option<&UserStep> {
        match &self.state {
            State::Waiting(pending) => Some(&pending.step),
            _ => None,
        }
    }

    /// Whether the flow is over (signed in, ended by a terminal step, or failed).
    pub fn is_over(&self) -> bool {
        matches!(self.state, State::Over)
    }

    /// The username requests carry now: Cognito's canonical name once it has named the user.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Feeds the response to the request in flight; returns what to do next.
    pub fn handle_response(
        &mut self,
        response: HttpResponse<'_>,
        now: UnixTime,
    ) -> Result<Step, SignInError> {
        let sent = match mem::replace(&mut self.state, State::Over) {
            State::InFlight(sent) => sent,
            other => {
                let error = if matches!(other, State::Over) {
                    SignInError::Finished
                } else {
                    SignInError::NoRequestInFlight
                };
                self.state = other;
                return Err(error);
            }
        };
        if response.status >= 300 {
            let error = ServiceError::parse(response.status, response.error_type, response.body);
            return self.handle_service_error(sent, error);
        }
        let result = match sent {
            Sent::Initiate | Sent::Automatic | Sent::Answer(_) => {
                let parsed = AuthResponse::parse(response.body)?;
                self.dispatch(parsed, now)
            }
            Sent::AssociateSoftwareToken => self.handle_associate(response.body),
            Sent::VerifySoftwareToken(pending) => self.handle_verify(response.body, pending),
            Sent::ConfirmDevice { tokens, device } => {
                let confirmation = json_object(response.body)
                    .and_then(|mut body| take_bool(&mut body, "UserConfirmationNecessary"));
                // The sign-in succeeded before ConfirmDevice: an unreadable answer costs the
                // device, never the tokens.
                let outcome = match confirmation {
                    Ok(flag) => DeviceOutcome::Confirmed {
                        device,
                        user_confirmation_necessary: flag.unwrap_or(false),
                    },
                    Err(error) => DeviceOutcome::ConfirmResponseMalformed(error),
                };
                Ok(self.finish(tokens, outcome))
            }
        };
        if result.is_err() && !matches!(self.state, State::Waiting(_)) {
            self.end();
        }
        result
    }

    /// Answers the step shown with [`Step::Challenge`]; returns what to do next.
    pub fn answer(&mut self, answer: ChallengeAnswer, now: UnixTime) -> Result<Step, SignInError> {
        let _ = now; // answers carry no timestamp today; kept for symmetry and future legs
        let pending = match &self.state {
            State::Waiting(pending) => pending.clone(),
            State::Over => return Err(SignInError::Finished),
            State::InFlight(_) => return Err(SignInError::NoStepWaiting),
        };
        // Every check happens before the state changes: a refused answer leaves the step open.
        let step = self.answer_step(&pending, answer)?;
        Ok(step)
    }

    fn answer_step(
        &mut self,
        pending: &Pending,
        answer: ChallengeAnswer,
    ) -> Result<Step, SignInError> {
        let code_response =
            |key: &'static str, code: &str| -> Result<Map<String, Value>, SignInError> {
                let code = checked_code(code).map_err(SignInError::InvalidCode)?;
                Ok(single(key, code))
            };
        let (challenge, responses) = match (&pending.step, answer) {
            (UserStep::ConfirmSmsMfaCode { .. }, ChallengeAnswer::SmsMfaCode(code)) => {
                ("SMS_MFA", code_response("SMS_MFA_CODE", &code)?)
            }
            (UserStep::ConfirmTotpCode { .. }, ChallengeAnswer::TotpCode(code)) => (
                "SOFTWARE_TOKEN_MFA",
                code_response("SOFTWARE_TOKEN_MFA_CODE", &code)?,
            ),
            (UserStep::ConfirmOtpCode { .. }, ChallengeAnswer::OtpCode(code)) => {
                let key = if pending.challenge == "SMS_OTP" {
                    "SMS_OTP_CODE"
                } else {
                    "EMAIL_OTP_CODE"
                };
                (pending.challenge.as_str(), code_response(key, &code)?)
            }
            (UserStep::SelectMfaType { allowed }, ChallengeAnswer::SelectMfa(choice)) => {
                if !allowed.contains(&choice) {
                    return Err(SignInError::ChoiceNotOffered);
                }
                ("SELECT_MFA_TYPE", single("ANSWER", choice.as_str()))
            }
            (UserStep::SelectMfaSetup { allowed }, ChallengeAnswer::SelectMfaSetup(choice)) => {
                if !allowed.contains(&choice) {
                    return Err(SignInError::ChoiceNotOffered);
                }
                return Ok(match choice {
                    MfaType::Totp => self.associate_software_token(),
                    _ => self.wait_for(Pending {
                        challenge: String::from("MFA_SETUP"),
                        step: UserStep::SetUpEmailMfa,
                    }),
                });
            }
            (
                UserStep::SetUpTotp { .. },
                ChallengeAnswer::TotpSetupCode {
                    code,
                    friendly_device_name,
                },
            ) => {
                let code = checked_code(&code).map_err(SignInError::InvalidCode)?;
                let mut body = Map::new();
                body.insert("Session".into(), self.session_value());
                body.insert("UserCode".into(), code.into());
                if let Some(name) = friendly_device_name {
                    body.insert("FriendlyDeviceName".into(), name.into());
                }
                let request =
                    Request::from_value(Operation::VerifySoftwareToken, Value::Object(body));
                self.state = State::InFlight(Sent::VerifySoftwareToken(pending.clone()));
                return Ok(Step::Send(request));
            }
            (UserStep::SetUpEmailMfa, ChallengeAnswer::MfaEmailAddress(address)) => {
                let address = address.trim();
                if !address.contains('@') {
                    return Err(SignInError::InvalidEmailAddress);
                }
                ("MFA_SETUP", single("EMAIL", address))
            }
            (
                UserStep::NewPassword {
                    required_attributes,
                    ..
                },
                ChallengeAnswer::NewPassword {
                    password,
                    attributes,
                },
            ) => {
                if password.is_empty() {
                    return Err(SignInError::EmptyPassword);
                }
                let mut responses = single("NEW_PASSWORD", password.expose());
                for name in required_attributes {
                    let value = attributes
                        .iter()
                        .find(|(given, _)| given == name)
                        .map(|(_, value)| value)
                        .ok_or_else(|| SignInError::MissingRequiredAttribute {
                            name: name.clone(),
                        })?;
                    responses.insert(
                        alloc::format!("userAttributes.{name}"),
                        value.as_str().into(),
                    );
                }
                ("NEW_PASSWORD_REQUIRED", responses)
            }
            (UserStep::CustomChallenge { .. }, ChallengeAnswer::Custom(answer)) => {
                ("CUSTOM_CHALLENGE", single("ANSWER", answer.expose()))
            }
            (UserStep::SelectFirstFactor { available }, ChallengeAnswer::SelectFirstFactor(f)) => {
                if !available.contains(&f) {
                    return Err(SignInError::ChoiceNotOffered);
                }
                return match f {
                    FirstFactor::Password | FirstFactor::PasswordSrp => {
                        let srp = f == FirstFactor::PasswordSrp;
                        match self.password.clone() {
                            Some(password) => self.select_password_factor(srp, password),
                            None => Ok(self.wait_for(Pending {
                                challenge: String::from(f.as_str()),
                                step: UserStep::ConfirmPassword,
                            })),
                        }
                    }
                    _ => Ok(self.respond(
                        "SELECT_CHALLENGE",
                        single("ANSWER", f.as_str()),
                        Sent::Answer(pending.clone()),
                    )),
                };
            }
            (UserStep::ConfirmPassword, ChallengeAnswer::Password(password)) => {
                if password.is_empty() {
                    return Err(SignInError::EmptyPassword);
                }
                let srp = pending.challenge == FirstFactor::PasswordSrp.as_str();
                return self.select_password_factor(srp, password);
            }
            (UserStep::WebAuthn { .. }, ChallengeAnswer::WebAuthnCredential(credential)) => {
                ("WEB_AUTHN", single("CREDENTIAL", &credential))
            }
            (_, answer) => {
                return Err(SignInError::AnswerDoesNotFitStep {
                    answer: answer.kind(),
                });
            }
        };
        Ok(self.respond(challenge, responses, Sent::Answer(pending.clone())))
    }

    /// After `SELECT_CHALLENGE` → `PASSWORD` / `PASSWORD_SRP`, with the password at hand.
    fn select_password_factor(
        &mut self,
        srp: bool,
        password: SecretString,
    ) -> Result<Step, SignInError> {
        let mut responses = Map::new();
        if srp {
            let client = self.new_srp_client()?;
            responses.insert("ANSWER".into(), "PASSWORD_SRP".into());
            responses.insert("SRP_A".into(), client.public_key_hex().into());
            self.srp = Some(client);
            self.password = Some(password);
            Ok(self.respond("SELECT_CHALLENGE", responses, Sent::Automatic))
        } else {
            responses.insert("ANSWER".into(), "PASSWORD".into());
            responses.insert("PASSWORD".into(), password.expose().into());
            let pending = Pending {
                challenge: String::from("PASSWORD"),
                step: UserStep::ConfirmPassword,
            };
            Ok(self.respond("SELECT_CHALLENGE", responses, Sent::Answer(pending)))
        }
    }

    // ----- responses -----

    /// Reads a 2xx `InitiateAuth` / `RespondToAuthChallenge` response.
    fn dispatch(&mut self, response: AuthResponse, now: UnixTime) -> Result<Step, SignInError> {
        if let Some(session) = response.session {
            self.session = Some(session);
        }
        if let Some(tokens) = response.authentication_result {
            self.password = None;
            self.srp = None;
            return Ok(self.signed_in(tokens));
        }
        let Some(challenge) = response.challenge_name else {
            return Err(SignInError::Response(ResponseError::MissingField {
                field: "ChallengeName",
            }));
        };
        let parameters = response.challenge_parameters;
        // Amplify JS: `USERNAME ?? USER_ID_FOR_SRP`. USER_PASSWORD_AUTH's SMS_MFA names the
        // user by USER_ID_FOR_SRP alone (the uuid behind an email alias).
        if let Some(canonical) = [USERNAME, "USER_ID_FOR_SRP"]
            .iter()
            .filter_map(|key| parameters.get(*key))
            .find(|name| !name.is_empty())
        {
            self.username = canonical.clone();
        }
        let name = String::from(challenge.as_str());
        let missing = |parameter: &'static str| SignInError::MissingChallengeParameter {
            challenge: name.clone(),
            parameter,
        };
        let delivery = || CodeDelivery {
            destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
            medium: parameters.get("CODE_DELIVERY_DELIVERY_MEDIUM").cloned(),
            attribute_name: None,
        };
        let step = match challenge {
            ChallengeName::PasswordVerifier => {
                return self.answer_password_verifier(&parameters, now);
            }
            ChallengeName::DeviceSrpAuth => return self.answer_device_srp(),
            ChallengeName::DevicePasswordVerifier => {
                return self.answer_device_password_verifier(&parameters, now);
            }
            ChallengeName::SmsMfa => UserStep::ConfirmSmsMfaCode {
                delivery: delivery(),
            },
            ChallengeName::SoftwareTokenMfa => UserStep::ConfirmTotpCode {
                friendly_device_name: parameters.get("FRIENDLY_DEVICE_NAME").cloned(),
            },
            ChallengeName::EmailOtp | ChallengeName::SmsOtp => UserStep::ConfirmOtpCode {
                delivery: delivery(),
            },
            ChallengeName::SelectMfaType => {
                let list = parameters
                    .get("MFAS_CAN_CHOOSE")
                    .ok_or_else(|| missing("MFAS_CAN_CHOOSE"))?;
                let allowed = mfa_types(list);
                if allowed.is_empty() {
                    return Err(SignInError::UnsupportedChallenge { name });
                }
                UserStep::SelectMfaType { allowed }
            }
            ChallengeName::MfaSetup => {
                let list = parameters
                    .get("MFAS_CAN_SETUP")
                    .ok_or_else(|| missing("MFAS_CAN_SETUP"))?;
                let allowed: Vec<MfaType> = mfa_types(list)
                    .into_iter()
                    .filter(|t| matches!(t, MfaType::Totp | MfaType::Email))
                    .collect();
                match allowed.as_slice() {
                    [] => return Err(SignInError::MfaSetupNotPossible),
                    [MfaType::Totp] => return Ok(self.associate_software_token()),
                    [MfaType::Email] => UserStep::SetUpEmailMfa,
                    _ => UserStep::SelectMfaSetup { allowed },
                }
            }
            ChallengeName::NewPasswordRequired => UserStep::NewPassword {
                required_attributes: required_attributes(parameters.get("requiredAttributes")),
                user_attributes: user_attributes(parameters.get("userAttributes")),
            },
            ChallengeName::CustomChallenge => UserStep::CustomChallenge {
                parameters: parameters.clone(),
            },
            ChallengeName::SelectChallenge => {
                let available: Vec<FirstFactor> = response
                    .available_challenges
                    .iter()
                    .filter_map(|name| FirstFactor::parse(name))
                    .collect();
                if available.is_empty() {
                    return Err(SignInError::UnsupportedChallenge { name });
                }
                UserStep::SelectFirstFactor { available }
            }
            ChallengeName::Password => UserStep::ConfirmPassword,
            ChallengeName::PasswordSrp => UserStep::ConfirmPassword,
            ChallengeName::WebAuthn => UserStep::WebAuthn {
                credential_request_options: parameters
                    .get("CREDENTIAL_REQUEST_OPTIONS")
                    .cloned()
                    .ok_or_else(|| missing("CREDENTIAL_REQUEST_OPTIONS"))?,
            },
            _ => return Err(SignInError::UnsupportedChallenge { name }),
        };
        Ok(self.wait_for(Pending {
            challenge: name,
            step,
        }))
    }

    fn answer_password_verifier(
        &mut self,
        parameters: &BTreeMap<String, String>,
        now: UnixTime,
    ) -> Result<Step, SignInError> {
        let challenge = "PASSWORD_VERIFIER";
        // Only a flow that sent SRP_A can get here; anything else is a confused server.
        let client = self.srp.take().ok_or_else(|| unexpected(challenge))?;
        let password = self.password.clone().ok_or(SignInError::PasswordRequired)?;
        // The SRP identity is USER_ID_FOR_SRP; USERNAME (already taken) goes in the response.
        let user_id = parameters
            .get("USER_ID_FOR_SRP")
            .map_or(self.username.as_str(), String::as_str);
        let pool = self.config.user_pool().clone();
        let identity = SrpIdentity::user(&pool, user_id);
        let responses = srp_claim(challenge, parameters, &client, identity, &password, now)?;
        Ok(self.respond(challenge, responses, Sent::Automatic))
    }

    fn answer_device_srp(&mut self) -> Result<Step, SignInError> {
        if self.device.is_none() {
            return Err(SignInError::DeviceRequired);
        }
        let client = self.new_srp_client()?;
        let responses = single("SRP_A", &client.public_key_hex());
        self.srp = Some(client);
        Ok(self.respond("DEVICE_SRP_AUTH", responses, Sent::Automatic))
    }

    fn answer_device_password_verifier(
        &mut self,
        parameters: &BTreeMap<String, String>,
        now: UnixTime,
    ) -> Result<Step, SignInError> {
        let challenge = "DEVICE_PASSWORD_VERIFIER";
        let device = self.device.clone().ok_or(SignInError::DeviceRequired)?;
        // Only after DEVICE_SRP_AUTH, which drew the device exchange's SRP_A.
        let client = self.srp.take().ok_or_else(|| unexpected(challenge))?;
        let identity = SrpIdentity::device(&device.device_group_key, &device.device_key);
        let responses = srp_claim(
            challenge,
            parameters,
            &client,
            identity,
            &device.device_password,
            now,
        )?;
        Ok(self.respond(challenge, responses, Sent::Automatic))
    }

    fn handle_associate(&mut self, body: &[u8]) -> Result<Step, SignInError> {
        let mut body = json_object(body)?;
        let secret = SecretString::from(require_string(&mut body, "SecretCode")?);
        if let Some(session) = take_string(&mut body, "Session")? {
            self.session = Some(session);
        }
        // The URI names the user as they typed it (Amplify Flutter and JS do the same).
        let details = TotpSetupDetails::new(secret.expose(), &self.typed_username)?;
        Ok(self.wait_for(Pending {
            challenge: String::from("MFA_SETUP"),
            step: UserStep::SetUpTotp { details },
        }))
    }

    fn handle_verify(&mut self, body: &[u8], pending: Pending) -> Result<Step, SignInError> {
        let mut body = json_object(body)?;
        if let Some(session) = take_string(&mut body, "Session")? {
            self.session = Some(session);
        }
        match take_string(&mut body, "Status")?.as_deref() {
            Some("SUCCESS") => Ok(self.respond("MFA_SETUP", Map::new(), Sent::Automatic)),
            _ => {
                self.state = State::Waiting(pending);
                Err(SignInError::TotpSetupCodeRejected)
            }
        }
    }

    fn handle_service_error(
        &mut self,
        sent: Sent,
        error: ServiceError,
    ) -> Result<Step, SignInError> {
        let sent = match sent {
            // The sign-in succeeded; only remembering the device failed, whatever the error.
            Sent::ConfirmDevice { tokens, .. } => {
                return Ok(self.finish(tokens, DeviceOutcome::ConfirmFailed(error)));
            }
            other => other,
        };
        match error.kind() {
            ServiceErrorKind::UserNotConfirmed => {
                self.end();
                return Ok(Step::ConfirmSignUp {
                    username: request_username(&self.typed_username),
                });
            }
            ServiceErrorKind::PasswordResetRequired => {
                self.end();
                return Ok(Step::ResetPassword {
                    username: request_username(&self.typed_username),
                });
            }
            _ => {}
        }
        let stale_device = error.kind() == ServiceErrorKind::ResourceNotFound
            && error.message().to_ascii_lowercase().contains("device")
            && self.device.is_some()
            && !self.stale_device;
        if stale_device {
            // The remembered device is gone: forget it and start over once without it.
            self.device = None;
            self.stale_device = true;
            self.session = None;
            // A sign-up session is single-use: the restart signs in without it.
            self.sign_up_session = None;
            self.username = request_username(&self.typed_username);
            let request = self.initiate_auth()?;
            self.state = State::InFlight(Sent::Initiate);
            return Ok(Step::Send(request));
        }
        match sent {
            Sent::Answer(pending) | Sent::VerifySoftwareToken(pending)
                if keeps_step_open(&error) =>
            {
                self.state = State::Waiting(pending);
                Err(SignInError::AnswerRefused(error))
            }
            _ => {
                self.end();
                Err(SignInError::Service(error))
            }
        }
    }

    // ----- requests -----

    /// `InitiateAuth` for the configured flow.
    fn initiate_auth(&mut self) -> Result<Request, SignInError> {
        let mut parameters = Map::new();
        parameters.insert(USERNAME.into(), self.username.as_str().into());
        let flow_name = match self.flow {
            AuthFlow::UserSrp | AuthFlow::CustomWithSrp => {
                if self.password.is_none() {
                    return Err(SignInError::PasswordRequired);
                }
                let client = self.new_srp_client()?;
                parameters.insert("SRP_A".into(), client.public_key_hex().into());
                self.srp = Some(client);
                if self.flow == AuthFlow::CustomWithSrp {
                    parameters.insert("CHALLENGE_NAME".into(), "SRP_A".into());
                    "CUSTOM_AUTH"
                } else {
                    "USER_SRP_AUTH"
                }
            }
            AuthFlow::UserPassword => {
                let password = self
                    .password
                    .as_ref()
                    .ok_or(SignInError::PasswordRequired)?;
                parameters.insert("PASSWORD".into(), password.expose().into());
                "USER_PASSWORD_AUTH"
            }
            AuthFlow::CustomWithoutSrp => "CUSTOM_AUTH",
            AuthFlow::UserAuth { preferred } => {
                if let Some(preferred) = preferred {
                    parameters.insert("PREFERRED_CHALLENGE".into(), preferred.as_str().into());
                    match preferred {
                        FirstFactor::Password => {
                            let password = self
                                .password
                                .as_ref()
                                .ok_or(SignInError::PasswordRequired)?;
                            parameters.insert("PASSWORD".into(), password.expose().into());
                        }
                        FirstFactor::PasswordSrp => {
                            if self.password.is_none() {
                                return Err(SignInError::PasswordRequired);
                            }
                            let client = self.new_srp_client()?;
                            parameters.insert("SRP_A".into(), client.public_key_hex().into());
                            self.srp = Some(client);
                        }
                        _ => {}
                    }
                }
                "USER_AUTH"
            }
        };
        if let Some(hash) = self.config.secret_hash(&self.username) {
            parameters.insert("SECRET_HASH".into(), hash.into());
        }
        if let Some(device) = &self.device {
            parameters.insert("DEVICE_KEY".into(), device.device_key.as_str().into());
        }
        let mut body = Map::new();
        body.insert("AuthFlow".into(), flow_name.into());
        body.insert("ClientId".into(), self.config.client_id().into());
        body.insert("AuthParameters".into(), Value::Object(parameters));
        if let Some(session) = &self.sign_up_session {
            body.insert("Session".into(), session.as_str().into());
        }
        Ok(Request::from_value(
            Operation::InitiateAuth,
            Value::Object(body),
        ))
    }

    /// `RespondToAuthChallenge` with `USERNAME`, `SECRET_HASH` and `DEVICE_KEY` added.
    fn respond(&mut self, challenge: &str, mut responses: Map<String, Value>, sent: Sent) -> Step {
        responses.insert(USERNAME.into(), self.username.as_str().into());
        if let Some(hash) = self.config.secret_hash(&self.username) {
            responses.insert("SECRET_HASH".into(), hash.into());
        }
        if let Some(device) = &self.device {
            responses.insert("DEVICE_KEY".into(), device.device_key.as_str().into());
        }
        let mut body = Map::new();
        body.insert("ChallengeName".into(), challenge.into());
        body.insert("ClientId".into(), self.config.client_id().into());
        body.insert("ChallengeResponses".into(), Value::Object(responses));
        if let Some(session) = &self.session {
            body.insert("Session".into(), session.as_str().into());
        }
        self.state = State::InFlight(sent);
        Step::Send(Request::from_value(
            Operation::RespondToAuthChallenge,
            Value::Object(body),
        ))
    }

    fn associate_software_token(&mut self) -> Step {
        let mut body = Map::new();
        body.insert("Session".into(), self.session_value());
        self.state = State::InFlight(Sent::AssociateSoftwareToken);
        Step::Send(Request::from_value(
            Operation::AssociateSoftwareToken,
            Value::Object(body),
        ))
    }

    fn session_value(&self) -> Value {
        self.session.as_deref().map_or(Value::Null, Value::from)
    }

    /// Tokens arrived: confirm a new device first, or finish.
    fn signed_in(&mut self, tokens: AuthenticationResult) -> Step {
        let Some(metadata) = tokens.new_device_metadata.clone() else {
            return self.finish(tokens, DeviceOutcome::None);
        };
        let password_bytes = self.entropy.derive("cognito-auth device password", 40);
        let salt_bytes = self.entropy.derive("cognito-auth device salt", 16);
        let mut salt = [0u8; 16];
        salt.copy_from_slice(&salt_bytes);
        let verifier = match DeviceVerifier::new(
            &metadata.device_group_key,
            &metadata.device_key,
            &password_bytes,
            salt,
        ) {
            Ok(verifier) => verifier,
            // Unreachable with 40 bytes; finish without a device rather than fail the sign-in.
            Err(_) => return self.finish(tokens, DeviceOutcome::None),
        };
        let mut config = Map::new();
        config.insert(
            "PasswordVerifier".into(),
            verifier.config.password_verifier.as_str().into(),
        );
        config.insert("Salt".into(), verifier.config.salt.as_str().into());
        let mut body = Map::new();
        body.insert("AccessToken".into(), tokens.access_token.expose().into());
        body.insert("DeviceKey".into(), metadata.device_key.as_str().into());
        body.insert("DeviceSecretVerifierConfig".into(), Value::Object(config));
        if let Some(name) = &self.device_name {
            body.insert("DeviceName".into(), name.as_str().into());
        }
        let device = RememberedDevice {
            device_key: metadata.device_key,
            device_group_key: metadata.device_group_key,
            device_password: verifier.device_password.clone(),
        };
        self.state = State::InFlight(Sent::ConfirmDevice { tokens, device });
        Step::Send(Request::from_value(
            Operation::ConfirmDevice,
            Value::Object(body),
        ))
    }

    fn finish(&mut self, tokens: AuthenticationResult, device: DeviceOutcome) -> Step {
        self.end();
        Step::SignedIn(SignedIn {
            tokens,
            device,
            stale_device_forgotten: self.stale_device,
        })
    }

    fn wait_for(&mut self, pending: Pending) -> Step {
        let step = pending.step.clone();
        self.state = State::Waiting(pending);
        Step::Challenge(step)
    }

    fn end(&mut self) {
        self.state = State::Over;
        self.password = None;
        self.srp = None;
    }

    fn new_srp_client(&mut self) -> Result<SrpClient, SignInError> {
        self.srp_count = self.srp_count.saturating_add(1);
        let label = alloc::format!("cognito-auth SRP ephemeral {}", self.srp_count);
        let ephemeral = self.entropy.srp_ephemeral(&label).ok_or(SignInError::Srp(
            crate::srp::SrpError::EphemeralSecretLength { len: 0 },
        ))?;
        Ok(SrpClient::new(&ephemeral)?)
    }
}

impl core::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let state = match &self.state {
            State::InFlight(_) => "request in flight",
            State::Waiting(_) => "waiting for an answer",
            State::Over => "over",
        };
        f.debug_struct("SignIn")
            .field("config", &self.config)
            .field("username", &self.username)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

/// The responses of a `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER` answer.
fn srp_claim(
    challenge: &str,
    parameters: &BTreeMap<String, String>,
    client: &SrpClient,
    identity: SrpIdentity<'_>,
    password: &SecretString,
    now: UnixTime,
) -> Result<Map<String, Value>, SignInError> {
    let get = |parameter: &'static str| {
        parameters
            .get(parameter)
            .ok_or_else(|| SignInError::MissingChallengeParameter {
                challenge: String::from(challenge),
                parameter,
            })
    };
    let verifier =
        PasswordVerifierChallenge::parse(get("SALT")?, get("SRP_B")?, get("SECRET_BLOCK")?)?;
    let claim = client.password_claim(identity, password, &verifier, now)?;
    let mut responses = Map::new();
    responses.insert(
        "PASSWORD_CLAIM_SECRET_BLOCK".into(),
        claim.secret_block.into(),
    );
    responses.insert("PASSWORD_CLAIM_SIGNATURE".into(), claim.signature.into());
    responses.insert("TIMESTAMP".into(), claim.timestamp.into());
    Ok(responses)
}

fn unexpected(challenge: &str) -> SignInError {
    SignInError::UnexpectedChallenge {
        name: String::from(challenge),
    }
}

fn single(key: &str, value: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(key.into(), value.into());
    map
}

/// `MFAS_CAN_CHOOSE` / `MFAS_CAN_SETUP`: a JSON array in a string. Unknown names are dropped.
/// moto writes a Python list repr (`['SOFTWARE_TOKEN_MFA']`), which is read too.
fn mfa_types(list: &str) -> Vec<MfaType> {
    let mut types: Vec<MfaType> = Vec::new();
    for name in list_items(list) {
        if let Some(t) = MfaType::parse(&name)
            && !types.contains(&t)
        {
            types.push(t);
        }
    }
    types
}

/// Items of a JSON array of strings; tolerates single quotes.
fn list_items(list: &str) -> Vec<String> {
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(list) {
        return items
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect();
    }
    list.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|item| item.trim().trim_matches(|c| c == '"' || c == '\''))
        .filter(|item| !item.is_empty())
        .map(String::from)
        .collect()
}

/// `requiredAttributes`: names prefixed `userAttributes.`; the prefix is dropped.
fn required_attributes(list: Option<&String>) -> Vec<String> {
    list.map(|list| {
        list_items(list)
            .into_iter()
            .map(|name| String::from(name.strip_prefix("userAttributes.").unwrap_or(&name)))
            .collect()
    })
    .unwrap_or_default()
}

/// `userAttributes`: a JSON object in a string; non-string values are skipped.
fn user_attributes(object: Option<&String>) -> BTreeMap<String, String> {
    let Some(Ok(Value::Object(map))) = object.map(|o| serde_json::from_str::<Value>(o)) else {
        return BTreeMap::new();
    };
    map.into_iter()
        .filter_map(|(key, value)| value.as_str().map(|v| (key, String::from(v))))
        .collect()
}
