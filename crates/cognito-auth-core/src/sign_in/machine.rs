//! [`SignIn`]: the state machine. Transitions only: what a request looks like is
//! `auth_request`, what a challenge's parameters mean is `wire::challenge_parameters`,
//! which challenge may come when is [`policy`](super::policy).

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::mem;

use super::answer::{self, ChallengeAnswer, Reply};
use super::auth_request::{self, AuthContext, ChallengeResponse, InitiateAuth};
use super::config::{AuthFlow, Credentials, Entropy, FirstFactor, RememberedDevice};
use super::error::{SignInError, keeps_step_open};
use super::policy::{self, Answering, FlowKind, Position};
use super::step::{DeviceOutcome, Shown, SignedIn, Step, UserStep};
use crate::client::{ClientConfig, request_username};
use crate::context_data::ContextData;
use crate::secret::SecretString;
use crate::srp::{DeviceVerifier, PasswordVerifierChallenge, SrpClient, SrpIdentity};
use crate::time::UnixTime;
use crate::totp::TotpSetupDetails;
use crate::wire::{
    AuthResponse, AuthenticationResult, ChallengeName, ChallengeParameters, HttpResponse,
    MissingParameter, Request, ServiceError, ServiceErrorKind, json_object, require_string,
    take_bool, take_string,
};

/// The most requests one sign-in builds, the `InitiateAuth` and a stale-device restart
/// included. A sign-in with every automatic leg, MFA setup and a new device takes about ten;
/// the rest leaves room for wrong codes and custom-challenge rounds. A server that keeps a
/// sign-in going past this gets [`SignInError::TooManyRequests`].
pub const MAX_REQUESTS_PER_SIGN_IN: u32 = 32;

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
///
/// # What a server can make the flow do
///
/// Every challenge passes the [challenge policy](super::policy) first: a challenge the flow
/// does not accept at that point ends the sign-in with [`SignInError::UnexpectedChallenge`]
/// before any request is built. Per sign-in, the server gets:
/// - **at most one password claim** (`PASSWORD_VERIFIER`) per `InitiateAuth`, and one more
///   only in the stale-device restart (below), which happens at most once, only when the
///   credentials carry a remembered device and Cognito answers `ResourceNotFoundException`
///   naming a device before any user step;
/// - at most one device SRP exchange (`DEVICE_SRP_AUTH`, then `DEVICE_PASSWORD_VERIFIER`);
/// - the password itself only in `USER_PASSWORD_AUTH` and `USER_AUTH` with the `PASSWORD`
///   factor (never in an SRP flow: the request builder cannot put it there);
/// - at most [`MAX_REQUESTS_PER_SIGN_IN`] requests.
///
/// # When the password is dropped
///
/// The password is zeroized as soon as no automatic step can need it:
/// - SRP flows (`USER_SRP_AUTH`, `CUSTOM_AUTH` with SRP, `USER_AUTH` with `PASSWORD_SRP`):
///   when the `PASSWORD_VERIFIER` claim has been computed;
/// - `USER_PASSWORD_AUTH`, `USER_AUTH` with `PASSWORD`: once the request carrying it is built;
/// - `USER_AUTH` without a preferred factor: when the user picks a factor (or when the first
///   response is not `SELECT_CHALLENGE`);
/// - with a remembered device, a copy is kept for the stale-device restart until Cognito asks
///   for the device (`DEVICE_SRP_AUTH`), a user step is shown, tokens arrive, or the flow ends.
///
/// A step waiting for the user holds no password, except `SelectFirstFactor` in a `USER_AUTH`
/// sign-in started with one (the choice of `PASSWORD` or `PASSWORD_SRP` needs it).
///
/// # States
///
/// ```mermaid
/// stateDiagram-v2
///     [*] --> ExpectAuth: start (InitiateAuth)
///     ExpectAuth --> ExpectAuth: PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER (automatic), the stale-device restart (once)
///     ExpectAuth --> Waiting: a user step, or a refused answer (the same step again)
///     ExpectAuth --> ExpectAssociate: MFA_SETUP offering TOTP only
///     ExpectAuth --> ExpectConfirmDevice: tokens with a new device
///     ExpectAuth --> Over: tokens, a refusal, an unexpected challenge, ConfirmSignUp / ResetPassword
///     Waiting --> ExpectAuth: an answer
///     Waiting --> ExpectAssociate: SelectMfaSetup(TOTP)
///     Waiting --> ExpectVerify: TotpSetupCode
///     Waiting --> Waiting: an answer refused before sending, SelectMfaSetup(email), a password factor chosen without a password
///     Waiting --> Over: the request limit
///     ExpectAssociate --> Waiting: SetUpTotp
///     ExpectAssociate --> Over: a refusal, no usable secret
///     ExpectVerify --> ExpectAuth: SUCCESS, then MFA_SETUP
///     ExpectVerify --> Waiting: the code refused
///     ExpectVerify --> Over: a refusal
///     ExpectConfirmDevice --> Over: signed in, with or without the device
/// ```
///
/// The names are those of the private state enum; `state_diagram_tests` drives every edge and
/// checks that the diagram lists exactly the transitions the machine makes.
pub struct SignIn {
    pub(crate) context: Context,
    pub(crate) state: State,
}

/// What the whole sign-in knows, whatever the state.
pub(crate) struct Context {
    pub(crate) config: ClientConfig,
    /// What the user typed (for the `ConfirmSignUp` / `ResetPassword` steps).
    pub(crate) typed_username: String,
    /// What requests carry as `USERNAME`: the typed name (E.164-normalised if a phone number)
    /// until Cognito names the user, then Cognito's canonical name.
    pub(crate) username: String,
    pub(crate) session: Option<String>,
    pub(crate) flow: AuthFlow,
    pub(crate) device: Option<RememberedDevice>,
    pub(crate) device_name: Option<String>,
    /// Auto sign-in's single-use session from `ConfirmSignUp`.
    pub(crate) sign_up_session: Option<String>,
    /// `ClientMetadata`, sent on every `InitiateAuth` / `RespondToAuthChallenge`.
    pub(crate) client_metadata: BTreeMap<String, String>,
    pub(crate) entropy: Entropy,
    /// How many SRP ephemerals have been derived (each exchange gets a fresh one).
    pub(crate) srp_count: u32,
    /// Requests built so far.
    pub(crate) requests: u32,
    /// Cognito asked for the device (`DEVICE_SRP_AUTH`): it may not ask again.
    pub(crate) device_asked: bool,
    /// The remembered device was refused as unknown and dropped (reported on success).
    pub(crate) stale_device: bool,
    /// Threat-protection context data, signed into every `InitiateAuth` / `RespondToAuthChallenge`.
    pub(crate) context_data: Option<ContextData>,
    /// The `now` of the input being handled: the time `UserContextData` is signed at.
    pub(crate) now: UnixTime,
}

/// Where the flow is. Each state holds exactly what the next input needs.
pub(crate) enum State {
    /// `InitiateAuth` or `RespondToAuthChallenge` in flight.
    ExpectAuth(ExpectAuth),
    /// `AssociateSoftwareToken` (`MFA_SETUP` for TOTP) in flight.
    ExpectAssociate,
    /// `VerifySoftwareToken` in flight; a refused code reopens the `SetUpTotp` step.
    ExpectVerify(Pending),
    /// `ConfirmDevice` in flight; the sign-in itself has succeeded.
    ExpectConfirmDevice {
        tokens: AuthenticationResult,
        device: RememberedDevice,
    },
    /// A user step is shown.
    Waiting(Waiting),
    /// Signed in, or ended by a terminal step or an error.
    Over,
}

/// What an answer leads to, decided while the answer is still borrowed.
enum Next {
    Respond(Answering, Request),
    Verify(Request),
    Associate,
    AskEmail,
    PasswordFactor(FirstFactor, Option<SecretString>),
}

/// An `InitiateAuth` / `RespondToAuthChallenge` in flight, and what its response may need.
pub(crate) struct ExpectAuth {
    /// What the request answered (the policy's "first response" / "first factor").
    answering: Answering,
    /// The user step the request answered: a refusal that keeps the step open reopens it.
    reopens: Option<Pending>,
    /// The user's SRP exchange: `PASSWORD_VERIFIER` must come next, and only it.
    user_srp: Option<UserSrp>,
    /// The device's SRP exchange: `DEVICE_PASSWORD_VERIFIER` must come next, and only it.
    device_srp: Option<SrpClient>,
    /// `USER_AUTH` without a preferred factor: the password for a factor the user may pick.
    password_for_choice: Option<SecretString>,
    /// The stale-device restart is still possible; it needs the credentials' password.
    restart: Option<Restart>,
}

/// An open user SRP exchange: `SRP_A` was sent.
pub(crate) struct UserSrp {
    client: SrpClient,
    password: SecretString,
}

/// What the one stale-device restart needs: the password the sign-in started with, if any.
pub(crate) struct Restart {
    password: Option<SecretString>,
}

/// A user step on screen.
pub(crate) struct Waiting {
    pub(crate) pending: Pending,
    /// Only for `SelectFirstFactor` in a `USER_AUTH` sign-in started with a password.
    pub(crate) password: Option<SecretString>,
}

/// A user step and the challenge it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pending {
    /// The challenge the answer is sent as (`SMS_MFA`, `SELECT_CHALLENGE`, ...).
    pub(crate) challenge: ChallengeName,
    pub(crate) step: UserStep,
}

impl State {
    /// The state's name in the diagram.
    #[cfg(test)]
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::ExpectAuth(_) => "ExpectAuth",
            Self::ExpectAssociate => "ExpectAssociate",
            Self::ExpectVerify(_) => "ExpectVerify",
            Self::ExpectConfirmDevice { .. } => "ExpectConfirmDevice",
            Self::Waiting(_) => "Waiting",
            Self::Over => "Over",
        }
    }
}

impl ExpectAuth {
    fn new(answering: Answering) -> Self {
        Self {
            answering,
            reopens: None,
            user_srp: None,
            device_srp: None,
            password_for_choice: None,
            restart: None,
        }
    }
}

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
        let (context_data, now) = match credentials.context_data {
            Some((data, now)) => (Some(data), now),
            None => (None, UnixTime::from_secs(0)),
        };
        let mut context = Context {
            config,
            typed_username: credentials.username,
            username,
            session: None,
            flow: credentials.flow,
            device: credentials.device,
            device_name: credentials.device_name,
            sign_up_session: credentials.sign_up_session,
            client_metadata: credentials.client_metadata,
            entropy,
            srp_count: 0,
            requests: 0,
            device_asked: false,
            stale_device: false,
            context_data,
            now,
        };
        let (expect, request) = context.initiate_auth(credentials.password)?;
        Ok((
            Self {
                context,
                state: State::ExpectAuth(expect),
            },
            request,
        ))
    }

    /// Sets (or with `None` removes) the threat-protection context data that every later
    /// `RespondToAuthChallenge` carries. A sign-in restored from a snapshot starts without it:
    /// set it again after [`SignIn::restore`].
    pub fn set_context_data(&mut self, data: Option<ContextData>) {
        self.context.context_data = data;
    }

    /// The user step waiting for an answer, if any.
    pub fn pending_step(&self) -> Option<&UserStep> {
        match &self.state {
            State::Waiting(waiting) => Some(&waiting.pending.step),
            _ => None,
        }
    }

    /// Whether the flow is over (signed in, ended by a terminal step, or failed).
    pub fn is_over(&self) -> bool {
        matches!(self.state, State::Over)
    }

    /// The username requests carry now: Cognito's canonical name once it has named the user.
    pub fn username(&self) -> &str {
        &self.context.username
    }

    /// Feeds the response to the request in flight; returns what to do next.
    pub fn handle_response(
        &mut self,
        response: HttpResponse<'_>,
        now: UnixTime,
    ) -> Result<Step, SignInError> {
        self.context.now = now;
        let state = mem::replace(&mut self.state, State::Over);
        let result = match state {
            State::Waiting(_) => {
                self.state = state;
                return Err(SignInError::NoRequestInFlight);
            }
            State::Over => return Err(SignInError::Finished),
            state if response.status >= 300 => {
                let error =
                    ServiceError::parse(response.status, response.error_type, response.body);
                self.handle_service_error(state, error)
            }
            State::ExpectAuth(expect) => match AuthResponse::parse(response.body) {
                Ok(parsed) => self.handle_auth_response(expect, parsed, now),
                Err(error) => Err(error.into()),
            },
            State::ExpectAssociate => self.handle_associate(response.body),
            State::ExpectVerify(pending) => self.handle_verify(response.body, pending),
            State::ExpectConfirmDevice { tokens, device } => {
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
        self.settle(result)
    }

    /// Answers the step shown with [`Step::Challenge`]; returns what to do next.
    pub fn answer(&mut self, answer: ChallengeAnswer, now: UnixTime) -> Result<Step, SignInError> {
        self.context.now = now; // the time UserContextData is signed at
        let waiting = match mem::replace(&mut self.state, State::Over) {
            State::Waiting(waiting) => waiting,
            other => {
                let error = if matches!(other, State::Over) {
                    SignInError::Finished
                } else {
                    SignInError::NoStepWaiting
                };
                self.state = other;
                return Err(error);
            }
        };
        // Checked before anything is consumed: a refused answer leaves the step open.
        let next = match answer::reply(&waiting.pending.step, &waiting.pending.challenge, &answer) {
            Err(error) => {
                self.state = State::Waiting(waiting);
                return Err(error);
            }
            Ok(Reply::Respond(response)) => Next::Respond(
                Answering::Later,
                self.respond(&waiting.pending.challenge, response)?,
            ),
            Ok(Reply::ChooseFactor(factor)) => Next::Respond(
                Answering::FactorChoice,
                self.respond(
                    &ChallengeName::SelectChallenge,
                    ChallengeResponse::Answer(factor.as_str()),
                )?,
            ),
            Ok(Reply::VerifyTotp {
                code,
                friendly_device_name,
            }) => Next::Verify(auth_request::verify_software_token(
                self.context.session.as_deref(),
                code,
                friendly_device_name,
            )),
            Ok(Reply::SetUpTotp) => Next::Associate,
            Ok(Reply::SetUpEmail) => Next::AskEmail,
            Ok(Reply::PasswordFactor { factor, typed }) => {
                Next::PasswordFactor(factor, typed.cloned())
            }
        };
        let Waiting { pending, password } = waiting;
        let result = match next {
            Next::Respond(answering, request) => {
                let mut expect = ExpectAuth::new(answering);
                expect.reopens = Some(pending);
                self.send(State::ExpectAuth(expect), request)
            }
            Next::Verify(request) => self.send(State::ExpectVerify(pending), request),
            Next::Associate => self.associate_software_token(),
            Next::AskEmail => Ok(self.wait_for(Pending {
                challenge: ChallengeName::MfaSetup,
                step: UserStep::SetUpEmailMfa,
            })),
            Next::PasswordFactor(factor, typed) => match typed.or(password) {
                Some(password) => self.send_password_factor(factor, password),
                // Chosen without a password at hand: ask for it.
                None => Ok(self.wait_for(Pending {
                    challenge: match factor {
                        FirstFactor::PasswordSrp => ChallengeName::PasswordSrp,
                        _ => ChallengeName::Password,
                    },
                    step: UserStep::ConfirmPassword,
                })),
            },
        };
        self.settle(result)
    }

    /// After an input: an error that leaves no step open ends the flow (and drops every
    /// secret with the state).
    fn settle(&mut self, result: Result<Step, SignInError>) -> Result<Step, SignInError> {
        if result.is_err() && !matches!(self.state, State::Waiting(_)) {
            self.state = State::Over;
        }
        result
    }

    // ----- answers -----

    /// `SELECT_CHALLENGE` answered with `PASSWORD` (the password itself) or `PASSWORD_SRP`
    /// (a new SRP exchange).
    fn send_password_factor(
        &mut self,
        factor: FirstFactor,
        password: SecretString,
    ) -> Result<Step, SignInError> {
        if factor == FirstFactor::PasswordSrp {
            let client = self.context.new_srp_client()?;
            let srp_a = client.public_key_hex();
            let request = self.respond(
                &ChallengeName::SelectChallenge,
                ChallengeResponse::PasswordSrpFactor { srp_a },
            )?;
            let mut expect = ExpectAuth::new(Answering::FactorChoice);
            expect.user_srp = Some(UserSrp { client, password });
            return self.send(State::ExpectAuth(expect), request);
        }
        let plaintext = policy::plaintext_password(self.context.flow, Some(factor), &password)
            .ok_or(SignInError::UnexpectedChallenge {
                flow: FlowKind::of(self.context.flow).name(),
                name: ChallengeName::Password.as_str().into(),
            })?;
        let request = self.respond(
            &ChallengeName::SelectChallenge,
            ChallengeResponse::PasswordFactor(plaintext),
        )?;
        let mut expect = ExpectAuth::new(Answering::FactorChoice);
        expect.reopens = Some(Pending {
            challenge: ChallengeName::Password,
            step: UserStep::ConfirmPassword,
        });
        self.send(State::ExpectAuth(expect), request)
    }

    // ----- responses -----

    /// A 2xx `InitiateAuth` / `RespondToAuthChallenge` response.
    fn handle_auth_response(
        &mut self,
        mut expect: ExpectAuth,
        response: AuthResponse,
        now: UnixTime,
    ) -> Result<Step, SignInError> {
        if let Some(session) = response.session {
            self.context.session = Some(session);
        }
        if let Some(tokens) = response.authentication_result {
            drop(expect); // every secret of the exchange goes now
            return self.signed_in(tokens);
        }
        let Some(challenge) = response.challenge_name else {
            return Err(SignInError::Response(
                crate::wire::ResponseError::MissingField {
                    field: "ChallengeName",
                },
            ));
        };
        let position = Position {
            answering: expect.answering,
            user_srp_open: expect.user_srp.is_some(),
            device_srp_open: expect.device_srp.is_some(),
            device_unasked: self.context.device.is_some() && !self.context.device_asked,
        };
        policy::check(FlowKind::of(self.context.flow), &challenge, position)?;
        let parameters = ChallengeParameters(response.challenge_parameters);
        if let Some(canonical) = parameters.canonical_username() {
            self.context.username = String::from(canonical);
        }
        match &challenge {
            ChallengeName::PasswordVerifier => {
                let user_srp = expect
                    .user_srp
                    .take()
                    .ok_or_else(|| unexpected(self, &challenge))?;
                return self.answer_password_verifier(user_srp, expect.restart, &parameters, now);
            }
            ChallengeName::DeviceSrpAuth => {
                // Cognito knows the device: the stale-device restart cannot be needed now.
                drop(expect);
                return self.answer_device_srp();
            }
            ChallengeName::DevicePasswordVerifier => {
                let client = expect
                    .device_srp
                    .take()
                    .ok_or_else(|| unexpected(self, &challenge))?;
                return self.answer_device_password_verifier(&client, &parameters, now);
            }
            _ => {}
        }
        match UserStep::for_challenge(&challenge, &parameters, &response.available_challenges)? {
            Shown::SetUpTotpNow => self.associate_software_token(),
            Shown::Step(step) => {
                // Only a first-factor choice keeps the password the sign-in started with.
                let password = match step {
                    UserStep::SelectFirstFactor { .. } => expect.password_for_choice.take(),
                    _ => None,
                };
                Ok(self.wait_with_password(Pending { challenge, step }, password))
            }
        }
    }

    fn answer_password_verifier(
        &mut self,
        user_srp: UserSrp,
        restart: Option<Restart>,
        parameters: &ChallengeParameters,
        now: UnixTime,
    ) -> Result<Step, SignInError> {
        let challenge = ChallengeName::PasswordVerifier;
        let srp = parameters.srp().map_err(|MissingParameter(parameter)| {
            SignInError::MissingChallengeParameter {
                challenge: challenge.as_str().into(),
                parameter,
            }
        })?;
        let verifier = PasswordVerifierChallenge::parse(srp.salt, srp.srp_b, srp.secret_block)?;
        // The SRP identity is USER_ID_FOR_SRP; USERNAME goes in the response.
        let user_id = srp.user_id_for_srp.unwrap_or(&self.context.username);
        let pool = self.context.config.user_pool().clone();
        let identity = SrpIdentity::user(&pool, user_id);
        let UserSrp { client, password } = user_srp;
        let claim = client.password_claim(identity, &password, &verifier, now)?;
        drop(password); // the one claim is made; only a restart could need it again
        let request = self.respond(&challenge, ChallengeResponse::PasswordClaim(&claim))?;
        let mut expect = ExpectAuth::new(Answering::Later);
        expect.restart = restart;
        self.send(State::ExpectAuth(expect), request)
    }

    fn answer_device_srp(&mut self) -> Result<Step, SignInError> {
        self.context.device_asked = true;
        let client = self.context.new_srp_client()?;
        let srp_a = client.public_key_hex();
        let request = self.respond(
            &ChallengeName::DeviceSrpAuth,
            ChallengeResponse::DeviceSrpStart { srp_a },
        )?;
        let mut expect = ExpectAuth::new(Answering::Later);
        expect.device_srp = Some(client);
        self.send(State::ExpectAuth(expect), request)
    }

    fn answer_device_password_verifier(
        &mut self,
        client: &SrpClient,
        parameters: &ChallengeParameters,
        now: UnixTime,
    ) -> Result<Step, SignInError> {
        let challenge = ChallengeName::DevicePasswordVerifier;
        let device = self
            .context
            .device
            .clone()
            .ok_or(SignInError::DeviceRequired)?;
        let srp = parameters.srp().map_err(|MissingParameter(parameter)| {
            SignInError::MissingChallengeParameter {
                challenge: challenge.as_str().into(),
                parameter,
            }
        })?;
        let verifier = PasswordVerifierChallenge::parse(srp.salt, srp.srp_b, srp.secret_block)?;
        let identity = SrpIdentity::device(&device.device_group_key, &device.device_key);
        let claim = client.password_claim(identity, &device.device_password, &verifier, now)?;
        let request = self.respond(&challenge, ChallengeResponse::PasswordClaim(&claim))?;
        self.send(
            State::ExpectAuth(ExpectAuth::new(Answering::Later)),
            request,
        )
    }

    fn handle_associate(&mut self, body: &[u8]) -> Result<Step, SignInError> {
        let mut body = json_object(body)?;
        let secret = SecretString::from(require_string(&mut body, "SecretCode")?);
        if let Some(session) = take_string(&mut body, "Session")? {
            self.context.session = Some(session);
        }
        // The URI names the user as they typed it (Amplify Flutter and JS do the same).
        let details = TotpSetupDetails::new(secret.expose(), &self.context.typed_username)?;
        Ok(self.wait_for(Pending {
            challenge: ChallengeName::MfaSetup,
            step: UserStep::SetUpTotp { details },
        }))
    }

    fn handle_verify(&mut self, body: &[u8], pending: Pending) -> Result<Step, SignInError> {
        let mut body = json_object(body)?;
        if let Some(session) = take_string(&mut body, "Session")? {
            self.context.session = Some(session);
        }
        match take_string(&mut body, "Status")?.as_deref() {
            Some("SUCCESS") => {
                let request = self.respond(
                    &ChallengeName::MfaSetup,
                    ChallengeResponse::MfaSetupComplete,
                )?;
                self.send(
                    State::ExpectAuth(ExpectAuth::new(Answering::Later)),
                    request,
                )
            }
            _ => {
                self.state = State::Waiting(Waiting {
                    pending,
                    password: None,
                });
                Err(SignInError::TotpSetupCodeRejected)
            }
        }
    }

    fn handle_service_error(
        &mut self,
        state: State,
        error: ServiceError,
    ) -> Result<Step, SignInError> {
        let expect = match state {
            // The sign-in succeeded; only remembering the device failed, whatever the error.
            State::ExpectConfirmDevice { tokens, .. } => {
                return Ok(self.finish(tokens, DeviceOutcome::ConfirmFailed(error)));
            }
            State::ExpectAuth(expect) => Some(expect),
            State::ExpectVerify(pending) if keeps_step_open(&error) => {
                self.state = State::Waiting(Waiting {
                    pending,
                    password: None,
                });
                return Err(SignInError::AnswerRefused(error));
            }
            _ => None,
        };
        match error.kind() {
            ServiceErrorKind::UserNotConfirmed => {
                return Ok(Step::ConfirmSignUp {
                    username: request_username(&self.context.typed_username),
                });
            }
            ServiceErrorKind::PasswordResetRequired => {
                return Ok(Step::ResetPassword {
                    username: request_username(&self.context.typed_username),
                });
            }
            _ => {}
        }
        let Some(mut expect) = expect else {
            return Err(SignInError::Service(error));
        };
        let stale_device = error.kind() == ServiceErrorKind::ResourceNotFound
            && error.message().to_ascii_lowercase().contains("device")
            && self.context.device.is_some();
        if stale_device && let Some(restart) = expect.restart.take() {
            // The remembered device is gone: forget it and start over once without it.
            let context = &mut self.context;
            context.device = None;
            context.stale_device = true;
            context.session = None;
            // A sign-up session is single-use: the restart signs in without it.
            context.sign_up_session = None;
            context.username = request_username(&context.typed_username);
            let (expect, request) = context.initiate_auth(restart.password)?;
            self.state = State::ExpectAuth(expect);
            return Ok(Step::Send(request));
        }
        match expect.reopens.take() {
            Some(pending) if keeps_step_open(&error) => {
                self.state = State::Waiting(Waiting {
                    pending,
                    password: None,
                });
                Err(SignInError::AnswerRefused(error))
            }
            _ => Err(SignInError::Service(error)),
        }
    }

    // ----- requests -----

    /// `RespondToAuthChallenge` with the sign-in's username, secret hash, device and session.
    fn respond(
        &self,
        challenge: &ChallengeName,
        response: ChallengeResponse<'_>,
    ) -> Result<Request, SignInError> {
        Ok(auth_request::respond_to_auth_challenge(
            &self.context.auth_context()?,
            challenge,
            response,
        ))
    }

    /// Counts the request against [`MAX_REQUESTS_PER_SIGN_IN`] and moves to `next`.
    fn send(&mut self, next: State, request: Request) -> Result<Step, SignInError> {
        self.context.count_request()?;
        self.state = next;
        Ok(Step::Send(request))
    }

    fn associate_software_token(&mut self) -> Result<Step, SignInError> {
        let request = auth_request::associate_software_token(self.context.session.as_deref());
        self.send(State::ExpectAssociate, request)
    }

    /// Tokens arrived: confirm a new device first, or finish.
    fn signed_in(&mut self, tokens: AuthenticationResult) -> Result<Step, SignInError> {
        let Some(metadata) = tokens.new_device_metadata.clone() else {
            return Ok(self.finish(tokens, DeviceOutcome::NoNewDevice));
        };
        let entropy = &self.context.entropy;
        let password_bytes = entropy.derive("cognito-auth device password", 40);
        let salt = entropy.derive_array::<16>("cognito-auth device salt");
        // Fails only for a password length outside 16..=512 bytes, never for these 40: a
        // typed error all the same, never a silent "no device".
        let verifier = DeviceVerifier::new(
            &metadata.device_group_key,
            &metadata.device_key,
            &password_bytes,
            *salt,
        )?;
        let request = auth_request::confirm_device(
            &tokens.access_token,
            &metadata.device_key,
            &verifier.config.password_verifier,
            &verifier.config.salt,
            self.context.device_name.as_deref(),
        );
        let device = RememberedDevice {
            device_key: metadata.device_key,
            device_group_key: metadata.device_group_key,
            device_password: verifier.device_password.clone(),
        };
        self.send(State::ExpectConfirmDevice { tokens, device }, request)
    }

    fn finish(&mut self, tokens: AuthenticationResult, device: DeviceOutcome) -> Step {
        self.state = State::Over;
        Step::SignedIn(SignedIn {
            tokens,
            device,
            stale_device_forgotten: self.context.stale_device,
        })
    }

    fn wait_for(&mut self, pending: Pending) -> Step {
        self.wait_with_password(pending, None)
    }

    fn wait_with_password(&mut self, pending: Pending, password: Option<SecretString>) -> Step {
        let step = pending.step.clone();
        self.state = State::Waiting(Waiting { pending, password });
        Step::Challenge(step)
    }
}

impl Context {
    /// What every request of this sign-in names.
    fn auth_context(&self) -> Result<AuthContext<'_>, SignInError> {
        let user_context_data = match &self.context_data {
            Some(data) => Some(data.encode_for(&self.username, &self.config, self.now)?),
            None => None,
        };
        Ok(AuthContext {
            client_id: self.config.client_id(),
            username: &self.username,
            secret_hash: self.config.secret_hash(&self.username),
            device_key: self.device.as_ref().map(|d| d.device_key.as_str()),
            session: self.session.as_deref(),
            user_context_data,
            client_metadata: &self.client_metadata,
        })
    }

    fn count_request(&mut self) -> Result<(), SignInError> {
        if self.requests >= MAX_REQUESTS_PER_SIGN_IN {
            return Err(SignInError::TooManyRequests {
                limit: MAX_REQUESTS_PER_SIGN_IN,
            });
        }
        self.requests += 1;
        Ok(())
    }

    /// `InitiateAuth` for the configured flow, and what its response may need. `password` is
    /// the credentials' (moved here: where it goes next is decided below, once).
    fn initiate_auth(
        &mut self,
        password: Option<SecretString>,
    ) -> Result<(ExpectAuth, Request), SignInError> {
        self.count_request()?;
        let mut expect = ExpectAuth::new(Answering::Initiate);
        if self.device.is_some() && !self.stale_device {
            expect.restart = Some(Restart {
                password: password.clone(),
            });
        }
        let flow = match self.flow {
            AuthFlow::UserSrp | AuthFlow::CustomWithSrp => {
                let password = password.ok_or(SignInError::PasswordRequired)?;
                let client = self.new_srp_client()?;
                let srp_a = client.public_key_hex();
                expect.user_srp = Some(UserSrp { client, password });
                if self.flow == AuthFlow::UserSrp {
                    InitiateAuth::UserSrp { srp_a }
                } else {
                    InitiateAuth::CustomWithSrp { srp_a }
                }
            }
            AuthFlow::UserPassword => {
                let password = password.ok_or(SignInError::PasswordRequired)?;
                let plaintext = policy::plaintext_password(self.flow, None, &password)
                    .ok_or(SignInError::PasswordRequired)?;
                let request = auth_request::initiate_auth(
                    &self.auth_context_for_initiate()?,
                    InitiateAuth::UserPassword {
                        password: plaintext,
                    },
                );
                return Ok((expect, request));
            }
            AuthFlow::CustomWithoutSrp => InitiateAuth::Custom,
            AuthFlow::UserAuth { preferred } => match preferred {
                Some(FirstFactor::Password) => {
                    let password = password.ok_or(SignInError::PasswordRequired)?;
                    let plaintext = policy::plaintext_password(self.flow, preferred, &password)
                        .ok_or(SignInError::PasswordRequired)?;
                    let request = auth_request::initiate_auth(
                        &self.auth_context_for_initiate()?,
                        InitiateAuth::UserAuth {
                            preferred: Some(FirstFactor::Password.as_str()),
                            password: Some(plaintext),
                            srp_a: None,
                        },
                    );
                    return Ok((expect, request));
                }
                Some(FirstFactor::PasswordSrp) => {
                    let password = password.ok_or(SignInError::PasswordRequired)?;
                    let client = self.new_srp_client()?;
                    let srp_a = client.public_key_hex();
                    expect.user_srp = Some(UserSrp { client, password });
                    InitiateAuth::UserAuth {
                        preferred: Some(FirstFactor::PasswordSrp.as_str()),
                        password: None,
                        srp_a: Some(srp_a),
                    }
                }
                Some(other) => InitiateAuth::UserAuth {
                    preferred: Some(other.as_str()),
                    password: None,
                    srp_a: None,
                },
                None => {
                    expect.password_for_choice = password;
                    InitiateAuth::UserAuth {
                        preferred: None,
                        password: None,
                        srp_a: None,
                    }
                }
            },
        };
        let request = auth_request::initiate_auth(&self.auth_context_for_initiate()?, flow);
        Ok((expect, request))
    }

    /// `InitiateAuth` carries the sign-up session (auto sign-in), not Cognito's.
    fn auth_context_for_initiate(&self) -> Result<AuthContext<'_>, SignInError> {
        Ok(AuthContext {
            session: self.sign_up_session.as_deref(),
            ..self.auth_context()?
        })
    }

    fn new_srp_client(&mut self) -> Result<SrpClient, SignInError> {
        self.srp_count = self.srp_count.saturating_add(1);
        let label = alloc::format!("cognito-auth SRP ephemeral {}", self.srp_count);
        let ephemeral = self.entropy.srp_ephemeral(&label)?;
        Ok(SrpClient::new(&ephemeral)?)
    }
}

impl core::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let state = match &self.state {
            State::ExpectAuth(_)
            | State::ExpectAssociate
            | State::ExpectVerify(_)
            | State::ExpectConfirmDevice { .. } => "request in flight",
            State::Waiting(_) => "waiting for an answer",
            State::Over => "over",
        };
        f.debug_struct("SignIn")
            .field("config", &self.context.config)
            .field("username", &self.context.username)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

fn unexpected(sign_in: &SignIn, challenge: &ChallengeName) -> SignInError {
    SignInError::UnexpectedChallenge {
        flow: FlowKind::of(sign_in.context.flow).name(),
        name: challenge.as_str().into(),
    }
}
