//! The requests of a sign-in: `InitiateAuth`, `RespondToAuthChallenge`,
//! `AssociateSoftwareToken`, `VerifySoftwareToken` and `ConfirmDevice`, built from typed parts.
//!
//! The sign-in machine decides *what* to send; this module alone decides *how* it looks on the
//! wire. A plaintext `PASSWORD` parameter can only be built with a [`PlaintextPassword`], which
//! only the sign-in's challenge policy hands out, and only for the flows that send the password
//! itself (`USER_PASSWORD_AUTH`, `USER_AUTH` with the `PASSWORD` factor).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::context_data::EncodedData;
use crate::secret::SecretString;
use crate::srp::PasswordClaim;
use crate::wire::{ChallengeName, Operation, Request};

/// Permission to put the password itself into a request. Created only by the sign-in policy
/// (`sign_in::policy`) for `USER_PASSWORD_AUTH` and the `USER_AUTH` factor `PASSWORD`; an SRP
/// flow never holds one, so it cannot build a request that carries the password.
#[derive(Debug)]
pub(crate) struct PlaintextPassword<'a>(&'a SecretString);

impl<'a> PlaintextPassword<'a> {
    /// Only `sign_in::policy` calls this, after checking the flow.
    pub(crate) fn allowed_by_policy(password: &'a SecretString) -> Self {
        Self(password)
    }
}

/// What every sign-in request names: the app client, the user, the device, the session.
pub(crate) struct AuthContext<'a> {
    /// `ClientId`.
    pub(crate) client_id: &'a str,
    /// `USERNAME`: as typed until Cognito names the user, then Cognito's name.
    pub(crate) username: &'a str,
    /// `SECRET_HASH` over `username`, for a client with a secret.
    pub(crate) secret_hash: Option<String>,
    /// `DEVICE_KEY` of the remembered device.
    pub(crate) device_key: Option<&'a str>,
    /// `Session`: Cognito's, or the single-use sign-up session for auto sign-in.
    pub(crate) session: Option<&'a str>,
    /// `ClientMetadata` for the pool's Lambda triggers (left out when empty).
    pub(crate) client_metadata: &'a BTreeMap<String, String>,
    /// `UserContextData.EncodedData`, signed for this request.
    pub(crate) user_context_data: Option<EncodedData>,
}

/// The `AuthFlow` of an `InitiateAuth` and its flow-specific parameters.
pub(crate) enum InitiateAuth<'a> {
    /// `USER_SRP_AUTH` with `SRP_A`.
    UserSrp {
        /// `SRP_A`.
        srp_a: String,
    },
    /// `USER_PASSWORD_AUTH` with `PASSWORD`.
    UserPassword {
        /// The password, allowed by the policy.
        password: PlaintextPassword<'a>,
    },
    /// `CUSTOM_AUTH` with `CHALLENGE_NAME: SRP_A` and `SRP_A`.
    CustomWithSrp {
        /// `SRP_A`.
        srp_a: String,
    },
    /// `CUSTOM_AUTH` without SRP.
    Custom,
    /// `USER_AUTH`, optionally with `PREFERRED_CHALLENGE` and what that factor needs.
    UserAuth {
        /// `PREFERRED_CHALLENGE`.
        preferred: Option<&'static str>,
        /// `PASSWORD` (only with `PREFERRED_CHALLENGE: PASSWORD`).
        password: Option<PlaintextPassword<'a>>,
        /// `SRP_A` (only with `PREFERRED_CHALLENGE: PASSWORD_SRP`).
        srp_a: Option<String>,
    },
}

/// What a `RespondToAuthChallenge` answers with, besides `USERNAME`, `SECRET_HASH` and
/// `DEVICE_KEY`.
pub(crate) enum ChallengeResponse<'a> {
    /// `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER`: the SRP claim.
    PasswordClaim(&'a PasswordClaim),
    /// `DEVICE_SRP_AUTH`: the device exchange's `SRP_A`.
    DeviceSrpStart {
        /// `SRP_A`.
        srp_a: String,
    },
    /// A one-time code under its challenge's key (`SMS_MFA_CODE`, `SOFTWARE_TOKEN_MFA_CODE`,
    /// `EMAIL_OTP_CODE`, `SMS_OTP_CODE`).
    Code {
        /// The response key.
        key: &'static str,
        /// The checked code.
        code: &'a str,
    },
    /// `ANSWER` (`SELECT_MFA_TYPE`'s choice, `SELECT_CHALLENGE`'s factor, `CUSTOM_CHALLENGE`).
    Answer(&'a str),
    /// `SELECT_CHALLENGE` answered with `PASSWORD` and the password.
    PasswordFactor(PlaintextPassword<'a>),
    /// `SELECT_CHALLENGE` answered with `PASSWORD_SRP` and `SRP_A`.
    PasswordSrpFactor {
        /// `SRP_A`.
        srp_a: String,
    },
    /// `MFA_SETUP` for email: `EMAIL`.
    MfaSetupEmail(&'a str),
    /// `MFA_SETUP` after `VerifySoftwareToken` succeeded: nothing besides `USERNAME`.
    MfaSetupComplete,
    /// `NEW_PASSWORD_REQUIRED`: `NEW_PASSWORD` and `userAttributes.<name>` values.
    NewPassword {
        /// The new password (the user typed it for this purpose).
        password: &'a SecretString,
        /// `(name, value)` of each required attribute.
        attributes: Vec<(&'a str, &'a str)>,
    },
    /// `WEB_AUTHN`: `CREDENTIAL` (the checked assertion JSON).
    WebAuthn(String),
}

/// `InitiateAuth`.
pub(crate) fn initiate_auth(context: &AuthContext<'_>, flow: InitiateAuth<'_>) -> Request {
    let mut parameters = Map::new();
    parameters.insert("USERNAME".into(), context.username.into());
    let flow_name = match flow {
        InitiateAuth::UserSrp { srp_a } => {
            parameters.insert("SRP_A".into(), srp_a.into());
            "USER_SRP_AUTH"
        }
        InitiateAuth::UserPassword { password } => {
            parameters.insert("PASSWORD".into(), password.0.expose().into());
            "USER_PASSWORD_AUTH"
        }
        InitiateAuth::CustomWithSrp { srp_a } => {
            parameters.insert("CHALLENGE_NAME".into(), "SRP_A".into());
            parameters.insert("SRP_A".into(), srp_a.into());
            "CUSTOM_AUTH"
        }
        InitiateAuth::Custom => "CUSTOM_AUTH",
        InitiateAuth::UserAuth {
            preferred,
            password,
            srp_a,
        } => {
            if let Some(preferred) = preferred {
                parameters.insert("PREFERRED_CHALLENGE".into(), preferred.into());
            }
            if let Some(password) = password {
                parameters.insert("PASSWORD".into(), password.0.expose().into());
            }
            if let Some(srp_a) = srp_a {
                parameters.insert("SRP_A".into(), srp_a.into());
            }
            "USER_AUTH"
        }
    };
    add_client_parameters(context, &mut parameters);
    let mut body = Map::new();
    body.insert("AuthFlow".into(), flow_name.into());
    body.insert("ClientId".into(), context.client_id.into());
    body.insert("AuthParameters".into(), Value::Object(parameters));
    if let Some(session) = context.session {
        body.insert("Session".into(), session.into());
    }
    if let Some(data) = &context.user_context_data {
        body.insert("UserContextData".into(), data.to_member());
    }
    insert_client_metadata(context, &mut body);
    Request::from_value(Operation::InitiateAuth, Value::Object(body))
}

/// `RespondToAuthChallenge` for `challenge`.
pub(crate) fn respond_to_auth_challenge(
    context: &AuthContext<'_>,
    challenge: &ChallengeName,
    response: ChallengeResponse<'_>,
) -> Request {
    let mut responses = Map::new();
    let mut put = |key: &str, value: &str| {
        responses.insert(key.into(), value.into());
    };
    match response {
        ChallengeResponse::PasswordClaim(claim) => {
            put("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block);
            put("PASSWORD_CLAIM_SIGNATURE", &claim.signature);
            put("TIMESTAMP", &claim.timestamp);
        }
        ChallengeResponse::DeviceSrpStart { srp_a } => put("SRP_A", &srp_a),
        ChallengeResponse::Code { key, code } => put(key, code),
        ChallengeResponse::Answer(answer) => put("ANSWER", answer),
        ChallengeResponse::PasswordFactor(password) => {
            put("ANSWER", "PASSWORD");
            put("PASSWORD", password.0.expose());
        }
        ChallengeResponse::PasswordSrpFactor { srp_a } => {
            put("ANSWER", "PASSWORD_SRP");
            put("SRP_A", &srp_a);
        }
        ChallengeResponse::MfaSetupEmail(address) => put("EMAIL", address),
        ChallengeResponse::MfaSetupComplete => {}
        ChallengeResponse::NewPassword {
            password,
            attributes,
        } => {
            put("NEW_PASSWORD", password.expose());
            for (name, value) in attributes {
                put(&alloc::format!("userAttributes.{name}"), value);
            }
        }
        ChallengeResponse::WebAuthn(credential) => put("CREDENTIAL", &credential),
    }
    responses.insert("USERNAME".into(), context.username.into());
    add_client_parameters(context, &mut responses);
    let mut body = Map::new();
    body.insert("ChallengeName".into(), challenge.as_str().into());
    body.insert("ClientId".into(), context.client_id.into());
    body.insert("ChallengeResponses".into(), Value::Object(responses));
    if let Some(session) = context.session {
        body.insert("Session".into(), session.into());
    }
    if let Some(data) = &context.user_context_data {
        body.insert("UserContextData".into(), data.to_member());
    }
    insert_client_metadata(context, &mut body);
    Request::from_value(Operation::RespondToAuthChallenge, Value::Object(body))
}

/// `AssociateSoftwareToken` during `MFA_SETUP` (with the sign-in's session, not a token).
pub(crate) fn associate_software_token(session: Option<&str>) -> Request {
    let mut body = Map::new();
    body.insert("Session".into(), session.map_or(Value::Null, Value::from));
    Request::from_value(Operation::AssociateSoftwareToken, Value::Object(body))
}

/// `VerifySoftwareToken` with the first code of a new authenticator.
pub(crate) fn verify_software_token(
    session: Option<&str>,
    code: &str,
    friendly_device_name: Option<&str>,
) -> Request {
    let mut body = Map::new();
    body.insert("Session".into(), session.map_or(Value::Null, Value::from));
    body.insert("UserCode".into(), code.into());
    if let Some(name) = friendly_device_name {
        body.insert("FriendlyDeviceName".into(), name.into());
    }
    Request::from_value(Operation::VerifySoftwareToken, Value::Object(body))
}

/// `ConfirmDevice` with the device verifier the sign-in made up.
pub(crate) fn confirm_device(
    access_token: &SecretString,
    device_key: &str,
    password_verifier: &str,
    salt: &str,
    device_name: Option<&str>,
) -> Request {
    let mut config = Map::new();
    config.insert("PasswordVerifier".into(), password_verifier.into());
    config.insert("Salt".into(), salt.into());
    let mut body = Map::new();
    body.insert("AccessToken".into(), access_token.expose().into());
    body.insert("DeviceKey".into(), device_key.into());
    body.insert("DeviceSecretVerifierConfig".into(), Value::Object(config));
    if let Some(name) = device_name {
        body.insert("DeviceName".into(), name.into());
    }
    Request::from_value(Operation::ConfirmDevice, Value::Object(body))
}

/// `ClientMetadata`, when the sign-in carries any: the same map on every request.
fn insert_client_metadata(context: &AuthContext<'_>, body: &mut Map<String, Value>) {
    if context.client_metadata.is_empty() {
        return;
    }
    let members = context
        .client_metadata
        .iter()
        .map(|(key, value)| (key.clone(), Value::from(value.as_str())))
        .collect();
    body.insert("ClientMetadata".into(), Value::Object(members));
}

fn add_client_parameters(context: &AuthContext<'_>, parameters: &mut Map<String, Value>) {
    if let Some(hash) = &context.secret_hash {
        parameters.insert("SECRET_HASH".into(), hash.as_str().into());
    }
    if let Some(device_key) = context.device_key {
        parameters.insert("DEVICE_KEY".into(), device_key.into());
    }
}
