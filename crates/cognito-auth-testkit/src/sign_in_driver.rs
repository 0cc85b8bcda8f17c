//! The app side of the core's sans-IO sign-in, for tests against a local emulator: POST each
//! [`Request`] the flow hands out (its body, with its headers), feed the HTTP answer back with
//! [`SignIn::handle_response`], repeat while the flow says [`Step::Send`], at most [`MAX_HOPS`]
//! requests per call. Every exchange is kept in a transcript that failure messages print.
//!
//! ```no_run
//! use cognito_auth_core::sign_in::ChallengeAnswer;
//! use cognito_auth_testkit::cognito_idp::{PASSWORD, Pool};
//! use cognito_auth_testkit::ministack::MiniStack;
//! use cognito_auth_testkit::sign_in_driver::{Driver, srp};
//!
//! let server = MiniStack::start();
//! let pool = Pool::create(server.cognito(), "driver-doc", serde_json::Value::Null, false);
//! let mut driver = Driver::new(server.cognito());
//! let (mut flow, outcome) = driver.start(pool.config(), srp("alice", PASSWORD));
//! let _user_step = driver.expect_challenge(outcome);
//! let outcome = driver.answer(&mut flow, ChallengeAnswer::TotpCode("123456".into()));
//! let _signed_in = driver.expect_signed_in(outcome);
//! ```
//!
//! The randomness of each sign-in comes from `/dev/urandom`, the clock from `SystemTime`.

use core::fmt::Write as _;
use std::io::Read as _;
use std::time::{SystemTime, UNIX_EPOCH};

use core::time::Duration;

use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, Entropy, HttpResponse, SignIn, SignInError,
    SignedIn, Step, UserStep,
};
use cognito_auth_core::totp::{Totp, TotpSecret};
use cognito_auth_core::wire::{Operation, Request, ServiceError};
use cognito_auth_core::{SecretString, UnixTime};
use serde_json::Value;

use crate::cognito_idp::{CognitoIdp, RawResponse};

/// Most requests one [`Driver::run`] sends before it gives up: the longest automatic chain the
/// core has (SRP verifier, device SRP, device verifier, `ConfirmDevice`, plus a stale-device
/// restart) is well under this.
pub const MAX_HOPS: usize = 8;

/// Rewrites an emulator's answer before the flow sees it (`None`: leave it). Only for
/// deviations from Cognito that `shared/reference/emulator.md` documents.
pub type Rewrite = Box<dyn Fn(Operation, &RawResponse) -> Option<Vec<u8>>>;

/// One request and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// What the flow sent.
    pub operation: Operation,
    /// The request body, verbatim.
    pub request: String,
    /// The HTTP status.
    pub status: u16,
    /// The `x-amzn-ErrorType` header.
    pub error_type: Option<String>,
    /// The body as the emulator sent it.
    pub response: String,
    /// The body the flow was given instead, when a [`Rewrite`] changed it.
    pub rewritten: Option<String>,
}

/// Sends what a [`SignIn`] asks for to one emulator and keeps the transcript.
pub struct Driver<'a> {
    idp: &'a CognitoIdp,
    transcript: Vec<Exchange>,
    rewrite: Option<Rewrite>,
}

impl<'a> Driver<'a> {
    /// A driver for the emulator behind `idp`.
    pub fn new(idp: &'a CognitoIdp) -> Self {
        Self {
            idp,
            transcript: Vec::new(),
            rewrite: None,
        }
    }

    /// The same driver, passing every answer through `rewrite` first.
    pub fn with_rewrite(mut self, rewrite: Rewrite) -> Self {
        self.rewrite = Some(rewrite);
        self
    }

    /// [`SignIn::start`] with fresh entropy, then [`Self::run`] on the first request.
    pub fn start(
        &mut self,
        config: ClientConfig,
        credentials: Credentials,
    ) -> (SignIn, Result<Step, SignInError>) {
        let (mut flow, request) = SignIn::start(config, credentials, fresh_entropy())
            .unwrap_or_else(|e| panic!("SignIn::start refused the credentials: {e}"));
        let outcome = self.run(&mut flow, request);
        (flow, outcome)
    }

    /// [`SignIn::answer`]; a [`Step::Send`] it returns is [`Self::run`].
    pub fn answer(
        &mut self,
        flow: &mut SignIn,
        answer: ChallengeAnswer,
    ) -> Result<Step, SignInError> {
        match flow.answer(answer, now())? {
            Step::Send(request) => self.run(flow, request),
            other => Ok(other),
        }
    }

    /// Sends `request` and every request the flow hands out after it, at most [`MAX_HOPS`];
    /// returns the first outcome that is not [`Step::Send`], or the flow's error.
    pub fn run(&mut self, flow: &mut SignIn, request: Request) -> Result<Step, SignInError> {
        let mut request = request;
        for _ in 0..MAX_HOPS {
            let raw = self.idp.post(
                request.operation().name(),
                &request.headers(),
                request.body(),
            );
            let replaced = self
                .rewrite
                .as_ref()
                .and_then(|rewrite| rewrite(request.operation(), &raw));
            let body = replaced.as_deref().unwrap_or(&raw.body);
            let response =
                HttpResponse::new(raw.status, body).with_error_type(raw.error_type.as_deref());
            let outcome = flow.handle_response(response, now());
            self.transcript.push(Exchange {
                operation: request.operation(),
                request: request.body().to_owned(),
                status: raw.status,
                error_type: raw.error_type.clone(),
                response: String::from_utf8_lossy(&raw.body).into_owned(),
                rewritten: replaced.map(|body| String::from_utf8_lossy(&body).into_owned()),
            });
            match outcome? {
                Step::Send(next) => request = next,
                other => return Ok(other),
            }
        }
        panic!(
            "the flow still had requests to send after {MAX_HOPS}:\n{}",
            self.render()
        )
    }

    /// Every exchange so far.
    pub fn transcript(&self) -> &[Exchange] {
        &self.transcript
    }

    /// The operations sent so far, in order.
    pub fn operations(&self) -> Vec<&'static str> {
        self.transcript.iter().map(|e| e.operation.name()).collect()
    }

    /// The last exchange's request body, parsed.
    pub fn last_request(&self) -> Value {
        let exchange = self.transcript.last().expect("a request was sent");
        serde_json::from_str(&exchange.request).expect("the core sends JSON")
    }

    /// Forgets the transcript (between two sign-ins of one test).
    pub fn clear(&mut self) {
        self.transcript.clear();
    }

    /// The transcript, one request/response pair per block, long strings shortened.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (n, e) in self.transcript.iter().enumerate() {
            let _ = writeln!(
                out,
                "#{n} -> {} {}",
                e.operation.name(),
                shorten(&e.request)
            );
            let header = e
                .error_type
                .as_deref()
                .map(|t| format!(" x-amzn-errortype: {t}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "   <- HTTP {}{header} {}",
                e.status,
                shorten(&e.response)
            );
            if let Some(rewritten) = &e.rewritten {
                let _ = writeln!(out, "   (rewritten for the flow to {})", shorten(rewritten));
            }
        }
        out
    }

    /// The [`SignedIn`] of `outcome`, or a panic with the transcript.
    pub fn expect_signed_in(&self, outcome: Result<Step, SignInError>) -> SignedIn {
        match outcome {
            Ok(Step::SignedIn(signed_in)) => signed_in,
            other => panic!("expected Step::SignedIn, got {other:?}\n{}", self.render()),
        }
    }

    /// The [`UserStep`] of `outcome`, or a panic with the transcript.
    pub fn expect_challenge(&self, outcome: Result<Step, SignInError>) -> UserStep {
        match outcome {
            Ok(Step::Challenge(step)) => step,
            other => panic!("expected Step::Challenge, got {other:?}\n{}", self.render()),
        }
    }

    /// The [`ServiceError`] of a refused answer (`SignInError::AnswerRefused`: the step stays
    /// open) with code `code`, or a panic with the transcript.
    pub fn expect_refused_answer(
        &self,
        outcome: Result<Step, SignInError>,
        code: &str,
    ) -> ServiceError {
        match outcome {
            Err(SignInError::AnswerRefused(error)) if error.code() == code => error,
            other => panic!(
                "expected SignInError::AnswerRefused({code}), got {other:?}\n{}",
                self.render()
            ),
        }
    }

    /// The [`ServiceError`] that ended the flow (`SignInError::Service`) with code `code`, or a
    /// panic with the transcript.
    pub fn expect_service_error(
        &self,
        outcome: Result<Step, SignInError>,
        code: &str,
    ) -> ServiceError {
        match outcome {
            Err(SignInError::Service(error)) if error.code() == code => error,
            other => panic!(
                "expected SignInError::Service({code}), got {other:?}\n{}",
                self.render()
            ),
        }
    }
}

/// Tokens that look like tokens: a non-empty access, ID and refresh token, type `Bearer`.
pub fn assert_tokens(signed_in: &SignedIn, context: &str) {
    let tokens = &signed_in.tokens;
    assert!(
        !tokens.access_token.is_empty(),
        "{context}: empty AccessToken"
    );
    for (name, token) in [
        ("IdToken", &tokens.id_token),
        ("RefreshToken", &tokens.refresh_token),
    ] {
        assert!(
            token.as_ref().is_some_and(|t| !t.is_empty()),
            "{context}: no {name}"
        );
    }
    assert!(tokens.expires_in > 0, "{context}: ExpiresIn 0");
    assert_eq!(tokens.token_type, "Bearer", "{context}");
}

/// A `USER_SRP_AUTH` sign-in through the core's flow that must end with tokens at once (no
/// challenge on the way); panics with the transcript otherwise. `context` names it in the
/// [`assert_tokens`] messages.
pub fn sign_in_srp(
    idp: &CognitoIdp,
    config: ClientConfig,
    username: &str,
    password: &str,
    context: &str,
) -> SignedIn {
    let mut driver = Driver::new(idp);
    let (_, outcome) = driver.start(config, srp(username, password));
    let signed_in = driver.expect_signed_in(outcome);
    assert_tokens(&signed_in, context);
    signed_in
}

/// `USER_SRP_AUTH` credentials.
pub fn srp(username: &str, password: &str) -> Credentials {
    Credentials::srp(username, SecretString::new(password))
}

/// The payload of a JWT (the emulators' tokens are JWTs).
pub fn jwt_claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).expect("a JWT has three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .expect("a JWT payload is base64url");
    serde_json::from_slice(&bytes).expect("a JWT payload is JSON")
}

/// The current time, whole seconds.
pub fn now() -> UnixTime {
    UnixTime::from_secs(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_secs(),
    )
}

/// 32 bytes from the kernel's CSPRNG, as an app would draw them per sign-in.
pub fn fresh_entropy() -> Entropy {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut urandom| urandom.read_exact(&mut bytes))
        .unwrap_or_else(|e| panic!("cannot read /dev/urandom: {e}"));
    Entropy::from_bytes(bytes)
}

/// The body with JSON strings over 40 characters cut (tokens, SRP numbers, sessions).
fn shorten(body: &str) -> String {
    fn cut(value: &mut Value) {
        match value {
            Value::String(s) if s.chars().count() > 40 => {
                let head: String = s.chars().take(24).collect();
                *s = format!("{head}…({} chars)", s.chars().count());
            }
            Value::Array(items) => items.iter_mut().for_each(cut),
            Value::Object(members) => members.values_mut().for_each(cut),
            _ => {}
        }
    }
    match serde_json::from_str::<Value>(body) {
        Ok(mut value) => {
            cut(&mut value);
            value.to_string()
        }
        Err(_) => body.chars().take(300).collect(),
    }
}

/// The current code of `secret` with Cognito's TOTP parameters, computed by the core. In the
/// last 3 seconds of a 30-second step it first waits for the next step, so that an emulator
/// checking a moment later sees the same step (moto allows no skew).
pub fn current_totp_code(secret: &TotpSecret) -> String {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    let into_step = since_epoch.as_secs() % 30;
    if into_step >= 27 {
        let left = Duration::from_secs(30 - into_step)
            .saturating_sub(Duration::from_nanos(u64::from(since_epoch.subsec_nanos())));
        std::thread::sleep(left + Duration::from_millis(100));
    }
    Totp::COGNITO
        .code(secret, now())
        .unwrap_or_else(|e| panic!("TOTP code: {e:?}"))
        .as_str()
        .to_owned()
}

/// A 6-digit code that is the code of none of the steps from 2 before to 2 after now.
pub fn wrong_totp_code(secret: &TotpSecret) -> String {
    let current = now().as_secs();
    let nearby: Vec<String> = (0..5u64)
        .map(|k| {
            let time = UnixTime::from_secs((current + k * 30).saturating_sub(60));
            Totp::COGNITO
                .code(secret, time)
                .unwrap_or_else(|e| panic!("TOTP code: {e:?}"))
                .as_str()
                .to_owned()
        })
        .collect();
    (0..=9u8)
        .map(|digit| char::from(b'0' + digit).to_string().repeat(6))
        .find(|candidate| !nearby.contains(candidate))
        .expect("five codes cannot cover ten candidates")
}
