//! `sign-in`: the core's sign-in machine over the transport, with answers from the terminal or
//! stdin, TOTP codes from `--totp-secret`, and a remembered device from `--device-file`.

use cognito_auth_core::account::{AccountOperation, UpdateDeviceStatus};
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, DeviceOutcome, FirstFactor, MfaType, SignIn,
    SignedIn, Step, UserStep,
};
use cognito_auth_core::totp::{Totp, TotpSecret};

use crate::args::{self, Flow};
use crate::device_file;
use crate::error::Failure;
use crate::output::{authentication_result, describe_delivery, print_json, server_text, step};
use crate::prompt::Input;
use crate::secrets::{Sources, TOTP_SECRET_ENV};
use crate::session_file;
use crate::transport::Transport;

/// Answers a person may retype after a refused code or password (e.g. a mistyped code).
const MAX_RETRIES: usize = 3;
/// The app name shown in an authenticator for an MFA set up during sign-in.
const TOTP_ISSUER: &str = "cognito-auth";

pub fn run(args: &args::SignIn) -> Result<(), Failure> {
    let (client, transport) = super::connect(&args.pool)?;
    let totp_secret = Sources {
        argv: args
            .totp_secret
            .as_deref()
            .map(|secret| ("--totp-secret", secret)),
        file: args
            .totp_secret_file
            .as_deref()
            .map(|path| ("--totp-secret-file", path)),
        file_flag: "--totp-secret-file",
        // stdin carries the password and the answers.
        stdin: false,
        env: TOTP_SECRET_ENV,
        what: "TOTP secret",
    }
    .read()?
    .map(|secret| {
        TotpSecret::from_base32(secret.expose())
            .map_err(|e| Failure::usage(format!("the TOTP secret: {e}")))
    })
    .transpose()?;
    let device = match &args.device_file {
        Some(path) => device_file::load(path)?,
        None => None,
    };
    let preferred = match (args.flow, args.preferred_factor) {
        (Flow::UserAuth, factor) => factor.map(first_factor),
        (_, None) => None,
        (_, Some(_)) => {
            return Err(Failure::usage(
                "--preferred-factor goes with --flow user-auth",
            ));
        }
    };
    let mut input = Input::new(args.password_stdin, "--password-stdin")?;
    // USER_AUTH needs the password up front only for a preferred password factor; otherwise
    // it is asked for when Cognito wants it (ConfirmPassword).
    let password_first = match args.flow {
        Flow::UserAuth => matches!(
            preferred,
            Some(FirstFactor::Password | FirstFactor::PasswordSrp)
        ),
        Flow::Srp | Flow::Password => true,
    };
    let password = if password_first {
        let password = input.secret("Password")?;
        if password.is_empty() {
            return Err(Failure::usage("the password is empty"));
        }
        Some(password)
    } else {
        None
    };
    // Moved into the sign-in, which drops it as soon as no automatic step needs it.
    let mut credentials = match (args.flow, password) {
        (Flow::Srp, Some(password)) => Credentials::srp(&args.username, password),
        (Flow::Password, Some(password)) => Credentials::password(&args.username, password),
        (_, password) => Credentials::user_auth(&args.username, preferred, password),
    };
    if let Some(device) = device.clone() {
        credentials = credentials.with_device(device);
    }
    if args.device_file.is_some() {
        credentials = credentials.with_device_name("cognito-auth");
    }
    let mut answers = Answers {
        input,
        totp_secret,
        totp_source: if args.totp_secret.is_some() {
            "--totp-secret"
        } else if args.totp_secret_file.is_some() {
            "--totp-secret-file"
        } else {
            "$COGNITO_TOTP_SECRET"
        },
        retries: 0,
    };
    let (mut flow, mut request) = SignIn::start(client.clone(), credentials, super::entropy()?)?;
    // The core bounds a sign-in (MAX_REQUESTS_PER_SIGN_IN) and refuses challenges its flow
    // does not accept, so this loop ends: with the tokens, a terminal step or an error.
    loop {
        let response = transport.send(&request)?;
        let mut next = flow.handle_response(response.as_http(), super::now());
        loop {
            match next {
                Ok(Step::Send(following)) => {
                    request = following;
                    break;
                }
                Ok(Step::Challenge(user_step)) => {
                    let answer = answers.answer(&user_step)?;
                    next = flow.answer(answer, super::now());
                }
                Ok(Step::SignedIn(signed_in)) => {
                    let received_at = super::now();
                    finish(&signed_in, &transport, &client, args)?;
                    if let Some(path) = &args.session_file {
                        session_file::store_sign_in(
                            path,
                            client,
                            &signed_in,
                            device.as_ref(),
                            received_at,
                        )?;
                        step(format!("Session stored in {}.", path.display()));
                    }
                    print_json(&authentication_result(&signed_in.tokens));
                    return Ok(());
                }
                Ok(Step::ConfirmSignUp { username }) => {
                    return Err(Failure::Refused {
                        code: "UserNotConfirmedException".into(),
                        message: format!(
                            "{username} is not confirmed; run `cognito-auth confirm-sign-up` \
                             with the code Cognito sent, then sign in again"
                        ),
                        hint: None,
                    });
                }
                Ok(Step::ResetPassword { username }) => {
                    return Err(Failure::Refused {
                        code: "PasswordResetRequiredException".into(),
                        message: format!(
                            "{username} must reset the password: run `cognito-auth \
                             forgot-password`, then `confirm-forgot-password`"
                        ),
                        hint: None,
                    });
                }
                Ok(other) => {
                    return Err(Failure::failed(format!(
                        "unexpected sign-in step: {other:?}"
                    )));
                }
                Err(error) if error.step_still_open() && answers.may_retry() => {
                    step(format!(
                        "Refused: {}. Try again.",
                        server_text(&error.to_string())
                    ));
                    let Some(open) = flow.pending_step().cloned() else {
                        return Err(error.into());
                    };
                    let answer = answers.answer(&open)?;
                    next = flow.answer(answer, super::now());
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
}

/// The core's factor for `--preferred-factor`.
fn first_factor(factor: args::PreferredFactor) -> FirstFactor {
    match factor {
        args::PreferredFactor::Password => FirstFactor::Password,
        args::PreferredFactor::PasswordSrp => FirstFactor::PasswordSrp,
        args::PreferredFactor::EmailOtp => FirstFactor::EmailOtp,
        args::PreferredFactor::SmsOtp => FirstFactor::SmsOtp,
    }
}

/// The device stored or forgotten.
fn finish(
    signed_in: &SignedIn,
    transport: &Transport,
    client: &ClientConfig,
    args: &args::SignIn,
) -> Result<(), Failure> {
    if let Some(path) = &args.device_file {
        if signed_in.stale_device_forgotten {
            step("The remembered device no longer exists in Cognito; forgetting it.");
            device_file::remove(path)?;
        }
        match &signed_in.device {
            DeviceOutcome::Confirmed {
                device,
                user_confirmation_necessary,
            } => {
                device_file::store(path, device)?;
                if *user_confirmation_necessary {
                    let request = UpdateDeviceStatus::new(
                        signed_in.tokens.access_token.clone(),
                        &device.device_key,
                        true,
                    )
                    .request(client)?;
                    let response = transport.send(&request)?;
                    if response.status >= 300 {
                        step(format!(
                            "Could not mark the device remembered (HTTP {}); it stays tracked.",
                            response.status
                        ));
                    }
                }
                step(format!(
                    "Device {} remembered in {}.",
                    server_text(&device.device_key),
                    path.display()
                ));
            }
            DeviceOutcome::ConfirmFailed(error) => {
                step(format!(
                    "Cognito refused to remember this device: {}",
                    server_text(&error.to_string())
                ));
            }
            DeviceOutcome::ConfirmResponseMalformed(error) => {
                step(format!(
                    "ConfirmDevice answered oddly ({error}); device not stored."
                ));
            }
            _ => {}
        }
    }
    step("Signed in.");
    Ok(())
}

/// Answers user steps: from `--totp-secret` when it can, else from the input.
struct Answers {
    input: Input,
    totp_secret: Option<TotpSecret>,
    /// Where the TOTP secret came from, for the step lines.
    totp_source: &'static str,
    retries: usize,
}

impl Answers {
    fn may_retry(&mut self) -> bool {
        self.retries += 1;
        self.input.is_terminal() && self.retries <= MAX_RETRIES
    }

    fn totp_code(&self) -> Result<Option<String>, Failure> {
        self.totp_secret
            .as_ref()
            .map(|secret| {
                Totp::COGNITO
                    .code(secret, super::now())
                    .map(|code| code.as_str().to_owned())
                    .map_err(|e| Failure::failed(format!("cannot compute a TOTP code: {e}")))
            })
            .transpose()
    }

    fn answer(&mut self, user_step: &UserStep) -> Result<ChallengeAnswer, Failure> {
        Ok(match user_step {
            UserStep::ConfirmTotpCode {
                friendly_device_name,
            } => {
                let device = friendly_device_name
                    .as_deref()
                    .map_or_else(String::new, |name| format!(" ({})", server_text(name)));
                if let Some(code) = self.totp_code()? {
                    step(format!(
                        "TOTP code required{device}: answered from {}.",
                        self.totp_source
                    ));
                    ChallengeAnswer::TotpCode(code)
                } else {
                    step(format!("TOTP code required{device}."));
                    ChallengeAnswer::TotpCode(self.code("Authenticator code")?)
                }
            }
            UserStep::ConfirmSmsMfaCode { delivery } => {
                step(format!("SMS code {}.", describe_delivery(delivery)));
                ChallengeAnswer::SmsMfaCode(self.code("SMS code")?)
            }
            UserStep::ConfirmOtpCode { delivery } => {
                step(format!("One-time code {}.", describe_delivery(delivery)));
                ChallengeAnswer::OtpCode(self.code("One-time code")?)
            }
            UserStep::SelectMfaType { allowed } => {
                let names = mfa_names(allowed);
                if self.totp_secret.is_some() && allowed.contains(&MfaType::Totp) {
                    step(format!(
                        "MFA choice ({names}): TOTP, from {}.",
                        self.totp_source
                    ));
                    ChallengeAnswer::SelectMfaType(MfaType::Totp)
                } else {
                    step(format!("Choose the MFA type: {names}."));
                    ChallengeAnswer::SelectMfaType(self.mfa_type("MFA type")?)
                }
            }
            UserStep::SelectMfaSetup { allowed } => {
                step(format!(
                    "MFA must be set up; choose: {}.",
                    mfa_names(allowed)
                ));
                ChallengeAnswer::SelectMfaSetupType(self.mfa_type("MFA type to set up")?)
            }
            UserStep::SetUpTotp { details } => {
                step(format!(
                    "Set up TOTP: add this to your authenticator app, then enter its code:\n  {}",
                    details.setup_uri(TOTP_ISSUER, None).expose()
                ));
                ChallengeAnswer::TotpSetupCode {
                    code: self.code("Authenticator code")?,
                    friendly_device_name: Some(String::from(TOTP_ISSUER)),
                }
            }
            UserStep::SetUpEmailMfa => {
                step("Email MFA must be set up.");
                ChallengeAnswer::MfaEmailAddress(self.input.text("Email address for codes")?)
            }
            UserStep::NewPassword {
                required_attributes,
                ..
            } => {
                step("A new password is required.");
                let password = self.input.secret("New password")?;
                let mut attributes = Vec::new();
                for name in required_attributes {
                    attributes.push((name.clone(), self.input.text(name)?));
                }
                ChallengeAnswer::NewPassword {
                    password,
                    attributes,
                }
            }
            UserStep::CustomChallenge { parameters } => {
                step(format!("Custom challenge: {parameters:?}"));
                ChallengeAnswer::CustomChallenge(self.input.secret("Answer")?)
            }
            UserStep::SelectFirstFactor { available } => {
                let names: Vec<&str> = available.iter().map(|f| f.as_str()).collect();
                step(format!("Choose how to sign in: {}.", names.join(", ")));
                let choice = self.input.text("First factor")?;
                ChallengeAnswer::SelectFirstFactor(FirstFactor::parse(&choice).ok_or_else(
                    || Failure::usage(format!("{choice:?} is not one of {}", names.join(", "))),
                )?)
            }
            UserStep::ConfirmPassword => {
                step("The password is required.");
                ChallengeAnswer::Password(self.input.secret("Password")?)
            }
            other => {
                return Err(Failure::failed(format!(
                    "this tool cannot answer the step {other:?}"
                )));
            }
        })
    }

    fn code(&mut self, what: &str) -> Result<String, Failure> {
        Ok(self.input.secret(what)?.expose().trim().to_owned())
    }

    fn mfa_type(&mut self, what: &str) -> Result<MfaType, Failure> {
        let choice = self.input.text(what)?;
        MfaType::parse(&choice)
            .ok_or_else(|| Failure::usage(format!("{choice:?} is not SMS, TOTP or EMAIL")))
    }
}

fn mfa_names(types: &[MfaType]) -> String {
    let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    names.join(", ")
}
