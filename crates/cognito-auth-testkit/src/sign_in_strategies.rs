//! Strategies shared by `sign_in_proptest.rs`, `sign_in_snapshot_proptest.rs` and
//! `account_proptest.rs`: usernames, sign-in scenarios (a flow driven to a user step by
//! well-formed responses), answers, and Cognito-like responses of any shape.
//! Built on [`crate::proptest_fixtures`] and [`crate::srp_server`].

use alloc::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cognito_auth_core::SecretString;
use cognito_auth_core::sign_in::{
    ChallengeAnswer, Credentials, FirstFactor, HttpResponse, MfaType, RestoreOptions, SignIn,
    SnapshotError, Step, UserStep,
};
use cognito_auth_core::totp::TotpSecret;
use cognito_auth_core::wire::Operation;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::proptest_fixtures::*;

/// A username: plain names, email addresses, phone numbers with spaces and fullwidth plus
/// signs, any printable text, any string.
pub fn username() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9._-]{0,10}",
        "[a-z]{1,6}@example\\.(com|org)",
        " ?(\\+|＋)(1 ?\\(?206\\)? ?555-?[0-9]{4}|49 30 [0-9]{6,8}|[0-9 ]{0,14}) ?",
        "\\PC{1,14}",
        any::<String>(),
    ]
}

// ----- sign-in scenarios: a flow driven to a user step by well-formed responses -----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How a scenario's flow starts.
pub enum Start {
    /// `USER_SRP_AUTH` with the password.
    Password,
    /// `CUSTOM_AUTH`.
    Custom,
    /// `USER_AUTH` without a password.
    UserAuth,
    /// `USER_AUTH` with a password.
    UserAuthWithPassword,
}

impl Start {
    /// Whether the flow was given the password.
    pub fn has_password(self) -> bool {
        matches!(self, Self::Password | Self::UserAuthWithPassword)
    }
}

/// The challenge that brings the flow to a user step.
#[derive(Debug, Clone)]
pub enum Shape {
    /// `SMS_MFA`.
    SmsMfa {
        /// `CODE_DELIVERY_DESTINATION`, if sent.
        destination: Option<String>,
        /// `CODE_DELIVERY_DELIVERY_MEDIUM`, if sent.
        medium: Option<String>,
    },
    /// `SOFTWARE_TOKEN_MFA`.
    Totp {
        /// `FRIENDLY_DEVICE_NAME`, if sent.
        friendly_device_name: Option<String>,
    },
    /// `SMS_OTP` (when `sms`) or `EMAIL_OTP` of `USER_AUTH`.
    Otp {
        /// `SMS_OTP` rather than `EMAIL_OTP`.
        sms: bool,
        /// `CODE_DELIVERY_DESTINATION`, if sent.
        destination: Option<String>,
    },
    /// `SELECT_MFA_TYPE` offering these factors.
    SelectMfa(Vec<&'static str>),
    /// `MFA_SETUP` offering a choice of factors.
    SetUpChoice,
    /// `MFA_SETUP` for email only.
    SetUpEmail,
    /// `MFA_SETUP` for TOTP only, then `AssociateSoftwareToken` with this key and session.
    SetUpTotp {
        /// The TOTP key `AssociateSoftwareToken` hands out.
        key: Vec<u8>,
        /// The session `AssociateSoftwareToken` hands out.
        session: String,
    },
    /// `NEW_PASSWORD_REQUIRED`.
    NewPassword {
        /// The attributes the pool requires.
        required: Vec<&'static str>,
        /// The user's attributes as the challenge shows them.
        attributes: BTreeMap<String, String>,
    },
    /// `CUSTOM_CHALLENGE` with these public parameters.
    Custom(BTreeMap<String, String>),
    /// `SELECT_CHALLENGE` offering these first factors.
    SelectFirstFactor(Vec<&'static str>),
    /// The password step of `USER_AUTH`.
    ConfirmPassword {
        /// `PASSWORD_SRP` rather than `PASSWORD`.
        srp: bool,
    },
    /// `WEB_AUTHN` with these credential request options.
    WebAuthn(String),
}

#[derive(Debug, Clone)]
/// A sign-in flow driven to a user step: how it starts, what the user typed, the client and
/// device set-up, and the challenge that stops it.
pub struct Scenario {
    /// How the flow starts.
    pub start: Start,
    /// The username the user typed.
    pub typed: String,
    /// `USERNAME` in the challenge parameters.
    pub canonical: Option<String>,
    /// Whether the app client has a secret.
    pub client_secret: bool,
    /// Whether a remembered device signs in.
    pub device: bool,
    /// The device name given to the flow, if any.
    pub device_name: Option<String>,
    /// The `Session` of the challenge, if any.
    pub session: Option<String>,
    /// The challenge that brings the flow to a user step.
    pub shape: Shape,
    /// The seed of the flow's SRP randomness.
    pub seed: u8,
}

/// The user attributes a `NEW_PASSWORD_REQUIRED` may require.
pub const ATTRIBUTES: &[&str] = &[
    "name",
    "family_name",
    "email",
    "phone_number",
    "custom:team",
];

/// Any [`Shape`].
pub fn shape() -> impl Strategy<Value = Shape> {
    let mfa = vec!["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"];
    let factors = vec![
        "PASSWORD",
        "PASSWORD_SRP",
        "EMAIL_OTP",
        "SMS_OTP",
        "WEB_AUTHN",
    ];
    prop_oneof![
        (
            proptest::option::of(text()),
            proptest::option::of(select(vec!["SMS", "EMAIL"]).prop_map(String::from))
        )
            .prop_map(|(destination, medium)| Shape::SmsMfa {
                destination,
                medium
            }),
        proptest::option::of(text()).prop_map(|friendly_device_name| Shape::Totp {
            friendly_device_name
        }),
        (any::<bool>(), proptest::option::of(text()))
            .prop_map(|(sms, destination)| Shape::Otp { sms, destination }),
        subsequence(mfa, 1..=3)
            .prop_shuffle()
            .prop_map(Shape::SelectMfa),
        Just(Shape::SetUpChoice),
        Just(Shape::SetUpEmail),
        (proptest::collection::vec(any::<u8>(), 16..=40), session())
            .prop_map(|(key, session)| Shape::SetUpTotp { key, session }),
        (
            subsequence(ATTRIBUTES.to_vec(), 0..=3),
            proptest::collection::btree_map(
                select(ATTRIBUTES).prop_map(String::from),
                text(),
                0..4
            )
        )
            .prop_map(|(required, attributes)| Shape::NewPassword {
                required,
                attributes
            }),
        proptest::collection::btree_map("[a-z_]{1,8}", text(), 0..4).prop_map(Shape::Custom),
        subsequence(factors, 1..=5)
            .prop_shuffle()
            .prop_map(Shape::SelectFirstFactor),
        any::<bool>().prop_map(|srp| Shape::ConfirmPassword { srp }),
        passkey_request_options().prop_map(Shape::WebAuthn),
    ]
}

/// `CREDENTIAL_REQUEST_OPTIONS` the passkey checks accept: a 16 to 64-byte challenge, any
/// relying party and user verification text, 0 to 3 allowed credentials. (Unusable options are
/// `tests/sign_in_hostile_server.rs`'s and the passkey module's subject.)
pub fn passkey_request_options() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(any::<u8>(), 16..64),
        text(),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..40), 0..3),
        text(),
    )
        .prop_map(|(challenge, rp_id, ids, verification)| {
            let allow: Vec<Value> = ids
                .iter()
                .map(|id| json!({"type": "public-key", "id": URL_SAFE_NO_PAD.encode(id)}))
                .collect();
            json!({
                "challenge": URL_SAFE_NO_PAD.encode(challenge),
                "rpId": rp_id,
                "allowCredentials": allow,
                "userVerification": verification,
            })
            .to_string()
        })
}

/// An `AuthenticationResponseJSON` the passkey checks accept, carrying `text` in its
/// extension results.
pub fn passkey_assertion(text: &str) -> String {
    json!({
        "id": "q83vEjRWeJA",
        "rawId": "q83vEjRWeJA",
        "type": "public-key",
        "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "MEUCIQ"},
        "clientExtensionResults": {"note": text},
    })
    .to_string()
}

/// The flows whose first response may be this step's challenge (the challenge policy; what
/// the other flows do with it is `tests/sign_in_hostile_server.rs`'s subject).
pub fn starts_for(shape: &Shape) -> Vec<Start> {
    let user_auth = vec![Start::UserAuth, Start::UserAuthWithPassword];
    match shape {
        Shape::Otp { sms: true, .. }
        | Shape::SelectFirstFactor(_)
        | Shape::ConfirmPassword { .. }
        | Shape::WebAuthn(_) => user_auth,
        Shape::Custom(_) => vec![Start::Custom],
        Shape::NewPassword { .. } => vec![
            Start::Password,
            Start::UserAuth,
            Start::UserAuthWithPassword,
        ],
        _ => vec![
            Start::Password,
            Start::Custom,
            Start::UserAuth,
            Start::UserAuthWithPassword,
        ],
    }
}

/// Any [`Scenario`] (its start fitted to its shape).
pub fn scenario() -> impl Strategy<Value = Scenario> {
    (
        shape().prop_flat_map(|shape| (select(starts_for(&shape)), Just(shape))),
        prop_oneof!["[a-z][a-z0-9._-]{0,10}", "\\+1206555[0-9]{4}", "\\PC{1,10}"],
        proptest::option::of(prop_oneof!["[0-9a-f-]{36}", "\\PC{1,12}"]),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(text()),
        proptest::option::of(session()),
        any::<u8>(),
    )
        .prop_map(
            |(
                (start, shape),
                typed,
                canonical,
                client_secret,
                device,
                device_name,
                session,
                seed,
            )| Scenario {
                start,
                typed,
                canonical,
                client_secret,
                device,
                device_name,
                session,
                shape,
                seed,
            },
        )
}

/// The credentials a scenario's flow starts with.
pub fn scenario_credentials(s: &Scenario) -> Credentials {
    let password = || SecretString::new(PASSWORD);
    let mut credentials = match s.start {
        Start::Password => Credentials::password(&s.typed, password()),
        Start::Custom => Credentials::custom(&s.typed),
        Start::UserAuth => Credentials::user_auth(&s.typed, None, None),
        Start::UserAuthWithPassword => Credentials::user_auth(&s.typed, None, Some(password())),
    };
    if s.device {
        credentials = credentials.with_device(device());
    }
    if let Some(name) = &s.device_name {
        credentials = credentials.with_device_name(name);
    }
    credentials
}

/// An `InitiateAuth`/`RespondToAuthChallenge` answer naming challenge `name`, with `session`,
/// `parameters` and `AvailableChallenges` (when not empty).
pub fn challenge_body(
    name: &str,
    session: Option<&str>,
    parameters: Map<String, Value>,
    available: &[&str],
) -> Vec<u8> {
    let mut body = Map::new();
    body.insert("ChallengeName".into(), name.into());
    if let Some(session) = session {
        body.insert("Session".into(), session.into());
    }
    body.insert("ChallengeParameters".into(), Value::Object(parameters));
    if !available.is_empty() {
        body.insert("AvailableChallenges".into(), json!(available));
    }
    Value::Object(body).to_string().into_bytes()
}

/// The answer that stops a scenario's flow at its user step.
pub fn first_response(s: &Scenario) -> Vec<u8> {
    let mut parameters = Map::new();
    if let Some(canonical) = &s.canonical {
        parameters.insert("USERNAME".into(), canonical.as_str().into());
    }
    let mut put = |key: &str, value: &str| {
        parameters.insert(key.into(), value.into());
    };
    let mut available: &[&str] = &[];
    let name = match &s.shape {
        Shape::SmsMfa {
            destination,
            medium,
        } => {
            if let Some(destination) = destination {
                put("CODE_DELIVERY_DESTINATION", destination);
            }
            if let Some(medium) = medium {
                put("CODE_DELIVERY_DELIVERY_MEDIUM", medium);
            }
            "SMS_MFA"
        }
        Shape::Totp {
            friendly_device_name,
        } => {
            if let Some(name) = friendly_device_name {
                put("FRIENDLY_DEVICE_NAME", name);
            }
            "SOFTWARE_TOKEN_MFA"
        }
        Shape::Otp { sms, destination } => {
            if let Some(destination) = destination {
                put("CODE_DELIVERY_DESTINATION", destination);
            }
            if *sms { "SMS_OTP" } else { "EMAIL_OTP" }
        }
        Shape::SelectMfa(names) => {
            put("MFAS_CAN_CHOOSE", &json!(names).to_string());
            "SELECT_MFA_TYPE"
        }
        Shape::SetUpChoice => {
            put("MFAS_CAN_SETUP", r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#);
            "MFA_SETUP"
        }
        Shape::SetUpEmail => {
            put("MFAS_CAN_SETUP", r#"["EMAIL_OTP"]"#);
            "MFA_SETUP"
        }
        Shape::SetUpTotp { .. } => {
            put("MFAS_CAN_SETUP", r#"["SOFTWARE_TOKEN_MFA"]"#);
            "MFA_SETUP"
        }
        Shape::NewPassword {
            required,
            attributes,
        } => {
            let required: Vec<String> = required
                .iter()
                .map(|name| format!("userAttributes.{name}"))
                .collect();
            put("requiredAttributes", &json!(required).to_string());
            put("userAttributes", &json!(attributes).to_string());
            "NEW_PASSWORD_REQUIRED"
        }
        Shape::Custom(map) => {
            for (key, value) in map {
                put(key, value);
            }
            "CUSTOM_CHALLENGE"
        }
        Shape::SelectFirstFactor(factors) => {
            available = factors;
            "SELECT_CHALLENGE"
        }
        Shape::ConfirmPassword { srp } => {
            if *srp {
                "PASSWORD_SRP"
            } else {
                "PASSWORD"
            }
        }
        Shape::WebAuthn(options) => {
            put("CREDENTIAL_REQUEST_OPTIONS", options);
            "WEB_AUTHN"
        }
    };
    challenge_body(name, s.session.as_deref(), parameters, available)
}

/// The flow of `s`, waiting for its user step.
pub fn drive(s: &Scenario) -> SignIn {
    let (mut flow, _) = SignIn::start(
        config(s.client_secret),
        scenario_credentials(s),
        entropy(s.seed),
    )
    .unwrap();
    let step = flow
        .handle_response(HttpResponse::new(200, &first_response(s)), at(NOW))
        .unwrap();
    if let Shape::SetUpTotp { key, session } = &s.shape {
        let Step::Send(request) = step else {
            panic!("MFA_SETUP for TOTP associates first: {step:?}")
        };
        assert_eq!(request.operation(), Operation::AssociateSoftwareToken);
        let secret = TotpSecret::from_bytes(key).unwrap().to_base32();
        let body = json!({"SecretCode": secret.expose(), "Session": session}).to_string();
        let step = flow
            .handle_response(HttpResponse::new(200, body.as_bytes()), at(NOW))
            .unwrap();
        assert!(matches!(step, Step::Challenge(UserStep::SetUpTotp { .. })));
    } else {
        assert!(matches!(step, Step::Challenge(_)), "{step:?}");
    }
    assert!(flow.pending_step().is_some());
    flow
}

/// The secrets a scenario's snapshot may hold legitimately but no error may show.
pub fn scenario_secrets(s: &Scenario) -> Vec<String> {
    let mut secrets: Vec<String> = s.session.iter().cloned().collect();
    if let Shape::SetUpTotp { key, session } = &s.shape {
        secrets.push(session.clone());
        secrets.push(String::from(
            TotpSecret::from_bytes(key).unwrap().to_base32().expose(),
        ));
    }
    secrets
}

/// The options to restore a scenario's snapshot with at `now`.
pub fn restore_options(s: &Scenario, now: u64) -> RestoreOptions {
    RestoreOptions {
        now: at(now),
        max_age_secs: 300,
        entropy: entropy(s.seed),
        device: s.device.then(device),
        password: s.start.has_password().then(|| SecretString::new(PASSWORD)),
    }
}

/// The JSON document inside a snapshot.
pub fn snapshot_document(snapshot: &str) -> Map<String, Value> {
    let body = snapshot.split('.').nth(2).unwrap();
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap() {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// A snapshot string around `document`, with the right prefix, version and digest.
pub fn envelope(document: &[u8]) -> String {
    let digest = Sha256::digest(document);
    format!(
        "{SNAPSHOT_PREFIX}.v1.{}.{}",
        URL_SAFE_NO_PAD.encode(document),
        URL_SAFE_NO_PAD.encode(&digest[..12])
    )
}

/// Panics if `error` (displayed or debugged) shows a fixed secret, one of `secrets` or a session.
pub fn assert_error_hides(error: &SnapshotError, secrets: &[String]) {
    for printed in [format!("{error}"), format!("{error:?}")] {
        assert_no_fixed_secret(&printed);
        for secret in secrets {
            assert!(
                !printed.contains(secret.as_str()),
                "{secret:?} in {printed:?}"
            );
        }
        assert!(!printed.contains(SESSION_MARK), "{printed}");
    }
}

// ----- answers -----

/// An MFA code: mostly six digits, else other lengths, spaces, fullwidth digits, any text.
pub fn code() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[0-9]{6}",
        1 => "[0-9]{1,12}",
        1 => "[ \t]?[0-9]{4,10}[ \t\u{3000}]?",
        1 => "[0-9a ]{4,8}",
        1 => "[０-９]{6}",
        1 => "\\PC{0,10}",
    ]
}

/// Any MFA factor.
pub fn mfa_type() -> impl Strategy<Value = MfaType> {
    select(vec![MfaType::Sms, MfaType::Totp, MfaType::Email])
}

/// Any first factor of `USER_AUTH`.
pub fn first_factor() -> impl Strategy<Value = FirstFactor> {
    select(vec![
        FirstFactor::Password,
        FirstFactor::PasswordSrp,
        FirstFactor::EmailOtp,
        FirstFactor::SmsOtp,
        FirstFactor::WebAuthn,
    ])
}

/// Any challenge answer.
pub fn answer() -> impl Strategy<Value = ChallengeAnswer> {
    let password = || prop_oneof![Just(String::new()), "\\PC{1,16}"];
    prop_oneof![
        code().prop_map(ChallengeAnswer::SmsMfaCode),
        code().prop_map(ChallengeAnswer::TotpCode),
        code().prop_map(ChallengeAnswer::OtpCode),
        mfa_type().prop_map(ChallengeAnswer::SelectMfaType),
        mfa_type().prop_map(ChallengeAnswer::SelectMfaSetupType),
        (code(), proptest::option::of(text())).prop_map(|(code, friendly_device_name)| {
            ChallengeAnswer::TotpSetupCode {
                code,
                friendly_device_name,
            }
        }),
        prop_oneof![" ?[a-z]{1,8}@[a-z]{1,8}\\.com ?", text()]
            .prop_map(ChallengeAnswer::MfaEmailAddress),
        (
            password(),
            proptest::collection::vec((select(ATTRIBUTES).prop_map(String::from), text()), 0..5)
        )
            .prop_map(|(password, attributes)| ChallengeAnswer::NewPassword {
                password: SecretString::new(&password),
                attributes
            }),
        text().prop_map(|answer| ChallengeAnswer::CustomChallenge(SecretString::new(&answer))),
        first_factor().prop_map(ChallengeAnswer::SelectFirstFactor),
        password().prop_map(|password| ChallengeAnswer::Password(SecretString::new(&password))),
        text().prop_map(ChallengeAnswer::WebAuthnCredential),
    ]
}

/// The makings of an answer: one of the kind the step takes (most of the time), or any.
#[derive(Debug, Clone)]
pub struct AnswerSeed {
    /// Whether to answer with the kind the step takes.
    pub fit: bool,
    /// A code, for the code steps.
    pub code: String,
    /// A device name, for TOTP set-up.
    pub friendly_device_name: Option<String>,
    /// A factor, for the MFA choices.
    pub mfa: MfaType,
    /// A first factor, for `SELECT_CHALLENGE`.
    pub factor: FirstFactor,
    /// An email address, for email MFA set-up.
    pub email: String,
    /// A password, for the new-password and password steps.
    pub password: String,
    /// Attributes, for the new-password step.
    pub attributes: Vec<(String, String)>,
    /// Text, for custom challenges and passkeys.
    pub text: String,
    /// The answer when not `fit`.
    pub any: ChallengeAnswer,
}

/// Any [`AnswerSeed`], fitted four times in five.
pub fn answer_seed() -> impl Strategy<Value = AnswerSeed> {
    let all_attributes = proptest::collection::vec(text(), ATTRIBUTES.len()).prop_map(|values| {
        ATTRIBUTES
            .iter()
            .map(|name| String::from(*name))
            .zip(values)
            .collect::<Vec<_>>()
    });
    (
        (
            proptest::bool::weighted(0.8),
            code(),
            proptest::option::of(text()),
            mfa_type(),
            first_factor(),
        ),
        (
            prop_oneof![" ?[a-z]{1,8}@[a-z]{1,8}\\.com ?", text()],
            prop_oneof![1 => Just(String::new()), 5 => "\\PC{1,16}"],
            prop_oneof![
                proptest::collection::vec(
                    (select(ATTRIBUTES).prop_map(String::from), text()),
                    0..5
                ),
                all_attributes,
            ],
            text(),
            answer(),
        ),
    )
        .prop_map(
            |(
                (fit, code, friendly_device_name, mfa, factor),
                (email, password, attributes, text, any),
            )| AnswerSeed {
                fit,
                code,
                friendly_device_name,
                mfa,
                factor,
                email,
                password,
                attributes,
                text,
                any,
            },
        )
}

/// An answer of the kind `step` takes when `seed.fit`, else any answer.
pub fn answer_for(step: &UserStep, seed: &AnswerSeed) -> ChallengeAnswer {
    if !seed.fit {
        return seed.any.clone();
    }
    let code = seed.code.clone();
    match step {
        UserStep::ConfirmSmsMfaCode { .. } => ChallengeAnswer::SmsMfaCode(code),
        UserStep::ConfirmTotpCode { .. } => ChallengeAnswer::TotpCode(code),
        UserStep::ConfirmOtpCode { .. } => ChallengeAnswer::OtpCode(code),
        UserStep::SelectMfaType { .. } => ChallengeAnswer::SelectMfaType(seed.mfa),
        UserStep::SelectMfaSetup { .. } => ChallengeAnswer::SelectMfaSetupType(seed.mfa),
        UserStep::SetUpTotp { .. } => ChallengeAnswer::TotpSetupCode {
            code,
            friendly_device_name: seed.friendly_device_name.clone(),
        },
        UserStep::SetUpEmailMfa => ChallengeAnswer::MfaEmailAddress(seed.email.clone()),
        UserStep::NewPassword { .. } => ChallengeAnswer::NewPassword {
            password: SecretString::new(&seed.password),
            attributes: seed.attributes.clone(),
        },
        UserStep::CustomChallenge { .. } => {
            ChallengeAnswer::CustomChallenge(SecretString::new(&seed.text))
        }
        UserStep::SelectFirstFactor { .. } => ChallengeAnswer::SelectFirstFactor(seed.factor),
        UserStep::ConfirmPassword => ChallengeAnswer::Password(SecretString::new(&seed.password)),
        UserStep::WebAuthn { .. } => {
            ChallengeAnswer::WebAuthnCredential(passkey_assertion(&seed.text))
        }
        _ => seed.any.clone(),
    }
}

/// The challenge names Cognito sends.
pub const CHALLENGES: &[&str] = &[
    "PASSWORD_VERIFIER",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SMS_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "NEW_PASSWORD_REQUIRED",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "PASSWORD",
    "PASSWORD_SRP",
    "WEB_AUTHN",
    "ADMIN_NO_SRP_AUTH",
    "SOMETHING_NEW",
];

/// Challenge parameter names Cognito sends.
pub const PARAMETER_KEYS: &[&str] = &[
    "USERNAME",
    "USER_ID_FOR_SRP",
    "SALT",
    "SRP_B",
    "SECRET_BLOCK",
    "CODE_DELIVERY_DESTINATION",
    "CODE_DELIVERY_DELIVERY_MEDIUM",
    "FRIENDLY_DEVICE_NAME",
    "MFAS_CAN_CHOOSE",
    "MFAS_CAN_SETUP",
    "requiredAttributes",
    "userAttributes",
    "CREDENTIAL_REQUEST_OPTIONS",
];

/// Challenge parameter values of the shapes Cognito sends (and some it does not).
pub const PARAMETER_VALUES: &[&str] = &[
    "alice",
    "",
    "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]",
    "['SOFTWARE_TOKEN_MFA','EMAIL_OTP']",
    "[\"EMAIL_OTP\"]",
    "[\"SMS_MFA\"]",
    "[]",
    "[\"userAttributes.email\"]",
    "{\"email\":\"a@example.com\",\"n\":1}",
    "8ce8291892390f6b53a245933faf6164",
    "-8ce8291892390f6b53a245933faf6164",
    "0",
    "AAAA",
    "not base64!",
];

/// Response body keys Cognito sends.
pub const BODY_KEYS: &[&str] = &[
    "ChallengeName",
    "Session",
    "ChallengeParameters",
    "AuthenticationResult",
    "AvailableChallenges",
    "AccessToken",
    "IdToken",
    "RefreshToken",
    "ExpiresIn",
    "TokenType",
    "NewDeviceMetadata",
    "DeviceKey",
    "DeviceGroupKey",
    "SecretCode",
    "Status",
    "UserConfirmationNecessary",
    "__type",
    "message",
    "CodeDeliveryDetails",
    "CodeDeliveryDetailsList",
    "Destination",
    "DeliveryMedium",
    "AttributeName",
    "UserConfirmed",
    "UserSub",
    "Devices",
    "DeviceAttributes",
    "DeviceCreateDate",
    "DeviceLastAuthenticatedDate",
    "DeviceLastModifiedDate",
    "DeviceRememberedStatus",
    "PaginationToken",
    "Username",
    "UserAttributes",
    "Name",
    "Value",
    "PreferredMfaSetting",
    "UserMFASettingList",
];

/// Error `__type`s Cognito sends.
pub const ERROR_TYPES: &[&str] = &[
    "NotAuthorizedException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "InvalidPasswordException",
    "EnableSoftwareTokenMFAException",
    "AliasExistsException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "com.amazonaws.cognito.identity.idp.model#CodeMismatchException:",
];

/// JSON built from the member names Cognito uses, so that type checks are reached.
pub fn cognito_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        select([CHALLENGES, PARAMETER_VALUES, ERROR_TYPES].concat()).prop_map(Value::from),
        select(vec![
            "SUCCESS",
            "ERROR",
            "remembered",
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        ])
        .prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![select(BODY_KEYS).prop_map(String::from), "[A-Za-z_]{1,8}"],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A challenge answer of any shape: known and unknown names and parameters, any values.
pub fn challenge_json() -> impl Strategy<Value = Vec<u8>> {
    (
        select(CHALLENGES),
        proptest::option::of(session()),
        proptest::collection::btree_map(
            select(PARAMETER_KEYS),
            prop_oneof![
                select(PARAMETER_VALUES).prop_map(String::from),
                "[0-9a-f]{1,96}",
                text()
            ],
            0..7,
        ),
        proptest::collection::vec(
            prop_oneof![select(CHALLENGES).prop_map(String::from), "[A-Z_]{0,8}"],
            0..4,
        ),
    )
        .prop_map(|(name, session, parameters, available)| {
            let parameters = parameters
                .into_iter()
                .map(|(k, v)| (String::from(k), Value::from(v)))
                .collect();
            let available: Vec<&str> = available.iter().map(String::as_str).collect();
            challenge_body(name, session.as_deref(), parameters, &available)
        })
}

/// `SALT`, `SRP_B`, `SECRET_BLOCK` and `USER_ID_FOR_SRP` of any shape, mostly well-formed.
pub type VerifierParameters = (String, String, String, Option<String>);

/// Verifier parameters, each tagged with whether it is well formed: a salt of hex digits
/// (optionally negative, as Cognito sends), an `SRP_B` of 101 to 768 hex digits without a
/// leading zero (never a multiple of N), a base64 secret block. The other shapes may be
/// refused.
pub fn tagged_verifier_parameters() -> impl Strategy<Value = (VerifierParameters, bool)> {
    (
        prop_oneof![
            3 => "-?[0-9a-f]{1,40}".prop_map(|s| (s, true)),
            1 => "[0-9a-fA-Fx -]{0,8}".prop_map(|s| (s, false)),
        ],
        prop_oneof![
            4 => "[1-9a-f][0-9a-f]{100,767}".prop_map(|s| (s, true)),
            1 => Just((String::from(crate::srp_server::N_HEX), false)),
            1 => "[0-9a-fA-F-]{0,12}".prop_map(|s| (s, false)),
        ],
        prop_oneof![
            3 => proptest::collection::vec(any::<u8>(), 1..64).prop_map(|b| (STANDARD.encode(b), true)),
            1 => "[A-Za-z0-9+/=_-]{0,12}".prop_map(|s| (s, false)),
        ],
        proptest::option::of("[a-z0-9-]{1,36}"),
    )
        .prop_map(|((salt, a), (srp_b, b), (block, c), user)| {
            ((salt, srp_b, block, user), a && b && c)
        })
}

/// [`tagged_verifier_parameters`] without the tag.
pub fn verifier_parameters() -> impl Strategy<Value = VerifierParameters> {
    tagged_verifier_parameters().prop_map(|(parameters, _)| parameters)
}

/// A `PASSWORD_VERIFIER` or `DEVICE_PASSWORD_VERIFIER` challenge (`name`) with these parameters.
pub fn verifier_body(
    name: &str,
    (salt, srp_b, secret_block, user_id): &VerifierParameters,
) -> Vec<u8> {
    let mut parameters = Map::new();
    parameters.insert("SALT".into(), salt.as_str().into());
    parameters.insert("SRP_B".into(), srp_b.as_str().into());
    parameters.insert("SECRET_BLOCK".into(), secret_block.as_str().into());
    if let Some(user_id) = user_id {
        parameters.insert("USER_ID_FOR_SRP".into(), user_id.as_str().into());
        parameters.insert("USERNAME".into(), user_id.as_str().into());
    }
    challenge_body(name, None, parameters, &[])
}

/// `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER` with all three parameters, of any shape.
pub fn verifier_json() -> impl Strategy<Value = Vec<u8>> {
    (
        select(vec!["PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER"]),
        verifier_parameters(),
    )
        .prop_map(|(name, parameters)| verifier_body(name, &parameters))
}

/// `AuthenticationResult`s, well-formed or nearly.
pub fn tokens_json() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![3 => "[A-Za-z0-9._-]{1,40}".prop_map(Value::from), 1 => cognito_json()],
        prop_oneof![3 => any::<u32>().prop_map(Value::from), 1 => cognito_json()],
        proptest::option::of(cognito_json()),
        proptest::option::of(prop_oneof![
            ("[a-z0-9_-]{0,20}", "[A-Za-z0-9-]{0,10}")
                .prop_map(|(key, group)| json!({"DeviceKey": key, "DeviceGroupKey": group})),
            cognito_json(),
        ]),
    )
        .prop_map(|(access, expires_in, refresh, device)| {
            let mut result = json!({"AccessToken": access, "ExpiresIn": expires_in});
            if let Some(refresh) = refresh {
                result["RefreshToken"] = refresh;
            }
            if let Some(device) = device {
                result["NewDeviceMetadata"] = device;
            }
            json!({"AuthenticationResult": result})
                .to_string()
                .into_bytes()
        })
}

/// Any HTTP response, biased towards what Cognito sends.
pub fn any_response() -> impl Strategy<Value = (u16, Option<String>, Vec<u8>)> {
    (
        prop_oneof![
            8 => Just(200u16),
            2 => Just(400u16),
            1 => Just(500u16),
            1 => any::<u16>()
        ],
        proptest::option::of(prop_oneof![
            select(ERROR_TYPES).prop_map(String::from),
            text()
        ]),
        prop_oneof![
            3 => challenge_json(),
            2 => verifier_json(),
            2 => tokens_json(),
            2 => cognito_json().prop_map(|v| v.to_string().into_bytes()),
            1 => (select(ERROR_TYPES), text()).prop_map(|(code, message)| {
                json!({"__type": code, "message": message}).to_string().into_bytes()
            }),
            1 => proptest::collection::vec(any::<u8>(), 0..64),
        ],
    )
}
