//! Shared input shapes for the fuzz targets: structured Cognito-like JSON bodies, answers,
//! credentials. Raw bytes stay reachable everywhere (`Body::Raw`, `Val::Str`), so the
//! structure steers the fuzzer toward deep states without fencing anything off.

use arbitrary::Arbitrary;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, Entropy, FirstFactor, MfaType, RememberedDevice,
};
use cognito_auth_core::{SecretString, UserPoolId};
use serde_json::{Map, Value};

pub const POOL: &str = "us-east-1_Abc123XyZ";
pub const CLIENT_ID: &str = "3n4b5urk1ft4fl3mg5e62d9ado";

/// The fixed app client, with the arbitrary secret if the core accepts it (an empty secret or
/// one with white space is refused by `with_client_secret`; then the client has none).
pub fn config(client_secret: Option<&str>) -> ClientConfig {
    let pool = UserPoolId::parse(POOL).unwrap_or_else(|_| unreachable!("fixed pool id parses"));
    let config = ClientConfig::new(pool, CLIENT_ID)
        .unwrap_or_else(|_| unreachable!("fixed client id is valid"));
    match client_secret {
        Some(secret) => config
            .clone()
            .with_client_secret(SecretString::new(secret))
            .unwrap_or(config),
        None => config,
    }
}

const CHALLENGES: &[&str] = &[
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
];

const PARAM_KEYS: &[&str] = &[
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
    "DEVICE_KEY",
    "availableChallenges",
];

const KNOWN_VALUES: &[&str] = &[
    "alice",
    "9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60",
    "+*******1212",
    "SMS",
    "EMAIL",
    "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]",
    "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]",
    "[\"SMS_MFA\"]",
    "[]",
    "[\"userAttributes.email\",\"userAttributes.name\"]",
    "{\"email\":\"a@example.com\",\"email_verified\":\"true\",\"phone_number\":\"+12065551212\"}",
    "{}",
    "8ce8291892390f6b53a245933faf6164",
    "-8ce8291892390f6b53a245933faf6164",
    "0",
    "SUCCESS",
    "ERROR",
    "Bearer",
    "us-east-1_a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
    "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
];

const ERROR_TYPES: &[&str] = &[
    "NotAuthorizedException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
    "UserNotFoundException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "TooManyRequestsException",
    "ResourceNotFoundException",
    "InvalidParameterException",
    "InternalErrorException",
    "LimitExceededException",
    "com.amazonaws.cognito.identity.idp.model#NotAuthorizedException:",
    "NotAuthorizedException:http://internal.amazon.com/coral/com.amazonaws.cognito/",
];

fn pick(list: &[&'static str], i: u8) -> &'static str {
    list[usize::from(i) % list.len()]
}

/// A known name or any string.
#[derive(Arbitrary, Debug, Clone)]
pub enum Name {
    Known(u8),
    Any(String),
}

impl Name {
    fn get(&self, list: &[&'static str]) -> String {
        match self {
            Name::Known(i) => pick(list, *i).to_owned(),
            Name::Any(s) => s.clone(),
        }
    }
}

/// A JSON value as Cognito sends one (almost always a string) or not.
#[derive(Arbitrary, Debug, Clone)]
pub enum Val {
    Known(u8),
    Str(String),
    Hex(Vec<u8>),
    Base64(Vec<u8>),
    Jwt(JwtShape),
    Num(i64),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

impl Val {
    pub fn to_json(&self) -> Value {
        match self {
            Val::Known(i) => Value::from(pick(KNOWN_VALUES, *i)),
            Val::Str(s) => Value::from(s.as_str()),
            Val::Hex(bytes) => Value::from(hex(bytes)),
            Val::Base64(bytes) => Value::from(STANDARD.encode(bytes)),
            Val::Jwt(jwt) => Value::from(jwt.encode()),
            Val::Num(n) => Value::from(*n),
            Val::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Val::Bool(b) => Value::from(*b),
            Val::Null => Value::Null,
            Val::List(items) => Value::from(items.clone()),
            Val::Object(pairs) => Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                    .collect(),
            ),
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A JWT whose payload holds chosen claims: reaches `JwtClaims::read` past the base64 layer.
#[derive(Arbitrary, Debug, Clone)]
pub struct JwtShape {
    pub header: Option<Vec<(String, Val0)>>,
    pub claims: Vec<(Name, Val0)>,
    pub signature: Vec<u8>,
    pub raw_payload: Option<Vec<u8>>,
}

/// A leaf JSON value (no nesting, so `Val` stays finite).
#[derive(Arbitrary, Debug, Clone)]
pub enum Val0 {
    Str(String),
    Known(u8),
    Num(i64),
    Unsigned(u64),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<String>),
}

impl Val0 {
    fn to_json(&self) -> Value {
        match self {
            Val0::Str(s) => Value::from(s.as_str()),
            Val0::Known(i) => Value::from(pick(KNOWN_VALUES, *i)),
            Val0::Num(n) => Value::from(*n),
            Val0::Unsigned(n) => Value::from(*n),
            Val0::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Val0::Bool(b) => Value::from(*b),
            Val0::Null => Value::Null,
            Val0::List(items) => Value::from(items.clone()),
        }
    }
}

const CLAIMS: &[&str] = &[
    "exp",
    "iat",
    "sub",
    "username",
    "cognito:username",
    "token_use",
    "client_id",
    "aud",
    "iss",
];

impl JwtShape {
    pub fn encode(&self) -> String {
        let header: Map<String, Value> = match &self.header {
            None => [("alg".to_owned(), Value::from("RS256"))]
                .into_iter()
                .collect(),
            Some(pairs) => pairs
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect(),
        };
        let payload = match &self.raw_payload {
            Some(raw) => raw.clone(),
            None => {
                let claims: Map<String, Value> = self
                    .claims
                    .iter()
                    .map(|(k, v)| (k.get(CLAIMS), v.to_json()))
                    .collect();
                Value::Object(claims).to_string().into_bytes()
            }
        };
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(Value::Object(header).to_string()),
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(&self.signature)
        )
    }
}

#[derive(Arbitrary, Debug, Clone)]
pub struct AuthResult {
    pub access_token: Option<Val>,
    pub id_token: Option<Val>,
    pub refresh_token: Option<Val>,
    pub expires_in: Option<Val>,
    pub token_type: Option<Val>,
    pub new_device: Option<(Option<Val>, Option<Val>)>,
}

/// A Cognito-shaped JSON response body, or raw bytes.
#[derive(Arbitrary, Debug, Clone)]
pub enum Body {
    Raw(Vec<u8>),
    Empty,
    Object(Vec<(Name, Val)>),
    Auth(AuthBody),
    Error {
        code: Name,
        message: Option<String>,
        lowercase: bool,
    },
}

#[derive(Arbitrary, Debug, Clone)]
pub struct AuthBody {
    pub challenge: Option<Name>,
    pub session: Option<Val>,
    pub parameters: Vec<(Name, Val)>,
    pub parameters_not_object: Option<Val>,
    pub result: Option<AuthResult>,
    pub available: Option<Vec<Name>>,
    pub secret_code: Option<Val>,
    pub status: Option<Val>,
    pub user_confirmation_necessary: Option<Val>,
}

const TOP_KEYS: &[&str] = &[
    "ChallengeName",
    "Session",
    "ChallengeParameters",
    "AuthenticationResult",
    "AvailableChallenges",
    "SecretCode",
    "Status",
    "UserConfirmationNecessary",
    "CodeDeliveryDetails",
    "UserConfirmed",
    "UserSub",
    "Username",
    "UserAttributes",
    "MFAOptions",
    "PreferredMfaSetting",
    "UserMFASettingList",
    "Devices",
    "PaginationToken",
    "__type",
    "message",
];

impl Body {
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            Body::Raw(bytes) => bytes.clone(),
            Body::Empty => Vec::new(),
            Body::Object(pairs) => {
                let map: Map<String, Value> = pairs
                    .iter()
                    .map(|(k, v)| (k.get(TOP_KEYS), v.to_json()))
                    .collect();
                Value::Object(map).to_string().into_bytes()
            }
            Body::Error {
                code,
                message,
                lowercase,
            } => {
                let mut map = Map::new();
                map.insert("__type".into(), Value::from(code.get(ERROR_TYPES)));
                if let Some(message) = message {
                    let key = if *lowercase { "message" } else { "Message" };
                    map.insert(key.into(), Value::from(message.as_str()));
                }
                Value::Object(map).to_string().into_bytes()
            }
            Body::Auth(auth) => auth.to_json().to_string().into_bytes(),
        }
    }
}

impl AuthBody {
    fn to_json(&self) -> Value {
        let mut map = Map::new();
        if let Some(challenge) = &self.challenge {
            map.insert(
                "ChallengeName".into(),
                Value::from(challenge.get(CHALLENGES)),
            );
        }
        if let Some(session) = &self.session {
            map.insert("Session".into(), session.to_json());
        }
        let parameters = match &self.parameters_not_object {
            Some(v) => v.to_json(),
            None => Value::Object(
                self.parameters
                    .iter()
                    .map(|(k, v)| (k.get(PARAM_KEYS), v.to_json()))
                    .collect(),
            ),
        };
        if !self.parameters.is_empty() || self.parameters_not_object.is_some() {
            map.insert("ChallengeParameters".into(), parameters);
        }
        if let Some(result) = &self.result {
            let mut r = Map::new();
            let mut put = |key: &str, v: &Option<Val>| {
                if let Some(v) = v {
                    r.insert(key.into(), v.to_json());
                }
            };
            put("AccessToken", &result.access_token);
            put("IdToken", &result.id_token);
            put("RefreshToken", &result.refresh_token);
            put("ExpiresIn", &result.expires_in);
            put("TokenType", &result.token_type);
            if let Some((key, group)) = &result.new_device {
                let mut d = Map::new();
                if let Some(key) = key {
                    d.insert("DeviceKey".into(), key.to_json());
                }
                if let Some(group) = group {
                    d.insert("DeviceGroupKey".into(), group.to_json());
                }
                r.insert("NewDeviceMetadata".into(), Value::Object(d));
            }
            map.insert("AuthenticationResult".into(), Value::Object(r));
        }
        if let Some(available) = &self.available {
            let names: Vec<String> = available.iter().map(|n| n.get(CHALLENGES)).collect();
            map.insert("AvailableChallenges".into(), Value::from(names));
        }
        for (key, v) in [
            ("SecretCode", &self.secret_code),
            ("Status", &self.status),
            (
                "UserConfirmationNecessary",
                &self.user_confirmation_necessary,
            ),
        ] {
            if let Some(v) = v {
                map.insert(key.into(), v.to_json());
            }
        }
        Value::Object(map)
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Factor {
    Password,
    PasswordSrp,
    EmailOtp,
    SmsOtp,
    WebAuthn,
}

impl Factor {
    pub fn get(self) -> FirstFactor {
        match self {
            Factor::Password => FirstFactor::Password,
            Factor::PasswordSrp => FirstFactor::PasswordSrp,
            Factor::EmailOtp => FirstFactor::EmailOtp,
            Factor::SmsOtp => FirstFactor::SmsOtp,
            Factor::WebAuthn => FirstFactor::WebAuthn,
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Mfa {
    Sms,
    Totp,
    Email,
}

impl Mfa {
    pub fn get(self) -> MfaType {
        match self {
            Mfa::Sms => MfaType::Sms,
            Mfa::Totp => MfaType::Totp,
            Mfa::Email => MfaType::Email,
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
pub enum Code {
    Digits(u32),
    Any(String),
}

impl Code {
    fn get(&self) -> String {
        match self {
            Code::Digits(n) => format!("{:06}", n % 1_000_000),
            Code::Any(s) => s.clone(),
        }
    }
}

/// Every [`ChallengeAnswer`], built from fuzz input.
#[derive(Arbitrary, Debug, Clone)]
pub enum Answer {
    SmsMfaCode(Code),
    TotpCode(Code),
    OtpCode(Code),
    SelectMfa(Mfa),
    SelectMfaSetup(Mfa),
    TotpSetupCode {
        code: Code,
        friendly_device_name: Option<String>,
    },
    MfaEmailAddress(String),
    NewPassword {
        password: String,
        attributes: Vec<(String, String)>,
    },
    Custom(String),
    SelectFirstFactor(Factor),
    Password(String),
    WebAuthnCredential(String),
}

impl Answer {
    pub fn get(&self) -> ChallengeAnswer {
        match self {
            Answer::SmsMfaCode(c) => ChallengeAnswer::SmsMfaCode(c.get()),
            Answer::TotpCode(c) => ChallengeAnswer::TotpCode(c.get()),
            Answer::OtpCode(c) => ChallengeAnswer::OtpCode(c.get()),
            Answer::SelectMfa(m) => ChallengeAnswer::SelectMfaType(m.get()),
            Answer::SelectMfaSetup(m) => ChallengeAnswer::SelectMfaSetupType(m.get()),
            Answer::TotpSetupCode {
                code,
                friendly_device_name,
            } => ChallengeAnswer::TotpSetupCode {
                code: code.get(),
                friendly_device_name: friendly_device_name.clone(),
            },
            Answer::MfaEmailAddress(a) => ChallengeAnswer::MfaEmailAddress(a.clone()),
            Answer::NewPassword {
                password,
                attributes,
            } => ChallengeAnswer::NewPassword {
                password: SecretString::new(password),
                attributes: attributes.clone(),
            },
            Answer::Custom(a) => ChallengeAnswer::CustomChallenge(SecretString::new(a)),
            Answer::SelectFirstFactor(f) => ChallengeAnswer::SelectFirstFactor(f.get()),
            Answer::Password(p) => ChallengeAnswer::Password(SecretString::new(p)),
            Answer::WebAuthnCredential(c) => ChallengeAnswer::WebAuthnCredential(c.clone()),
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
pub enum FlowKind {
    Srp,
    Password,
    CustomWithSrp,
    Custom,
    UserAuth(Option<Factor>),
    AutoSignIn(String),
}

#[derive(Arbitrary, Debug, Clone)]
pub enum Username {
    Plain,
    Phone,
    Email,
    Any(String),
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Device {
    pub key: String,
    pub group_key: String,
    pub password: String,
}

impl Device {
    pub fn get(&self) -> RememberedDevice {
        RememberedDevice {
            device_key: self.key.clone(),
            device_group_key: self.group_key.clone(),
            device_password: SecretString::new(&self.password),
        }
    }
}

/// Everything `SignIn::start` takes.
#[derive(Arbitrary, Debug, Clone)]
pub struct Start {
    pub username: Username,
    pub password: Option<String>,
    pub flow: FlowKind,
    pub client_secret: Option<String>,
    pub device: Option<Device>,
    pub device_name: Option<String>,
    pub entropy: [u8; 32],
}

impl Start {
    pub fn credentials(&self) -> Credentials {
        let username = match &self.username {
            Username::Plain => "alice",
            Username::Phone => "+1 (206) 555-1212",
            Username::Email => "alice@example.com",
            Username::Any(s) => s.as_str(),
        };
        let password = self.password.as_deref().map(SecretString::new);
        let pw = || password.clone().unwrap_or_else(|| SecretString::new(""));
        let mut credentials = match &self.flow {
            FlowKind::Srp => Credentials::srp(username, pw()),
            FlowKind::Password => Credentials::password(username, pw()),
            FlowKind::CustomWithSrp => Credentials::custom_with_srp(username, pw()),
            FlowKind::Custom => Credentials::custom(username),
            FlowKind::UserAuth(f) => {
                Credentials::user_auth(username, f.map(Factor::get), password.clone())
            }
            FlowKind::AutoSignIn(session) => Credentials::auto_sign_in(username, session),
        };
        if let Some(device) = &self.device {
            credentials = credentials.with_device(device.get());
        }
        if let Some(name) = &self.device_name {
            credentials = credentials.with_device_name(name);
        }
        credentials
    }

    pub fn entropy(&self) -> Entropy {
        Entropy::from_bytes(self.entropy)
    }
}
