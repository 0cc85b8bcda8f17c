//! An in-memory Cognito user pool that answers the core's [`Request`]s the way the service does,
//! with its own server-side arithmetic (num-bigint-dig, the `hkdf` and `hmac` crates), written
//! independently of the crate's SRP code.
//!
//! What it models:
//! * `USER_SRP_AUTH` (and `USER_PASSWORD_AUTH`): the pool stores a salt and a verifier per user,
//!   never the password; `PASSWORD_VERIFIER` carries `SALT`, `SRP_B`, `SECRET_BLOCK`, `USERNAME`
//!   and `USER_ID_FOR_SRP` and no `Session` (the secret block is the handle, single use); the
//!   answer's `PASSWORD_CLAIM_SIGNATURE` is recomputed and its `TIMESTAMP` must be within five
//!   minutes of the pool's clock, or `NotAuthorizedException`.
//! * `SECRET_HASH` when the client has a secret: over the name sent in `InitiateAuth`, over the
//!   canonical username in every `RespondToAuthChallenge` (which must carry that name).
//! * Email aliases: a user's canonical name may be a uuid; `InitiateAuth` accepts the alias.
//! * TOTP MFA (`SOFTWARE_TOKEN_MFA`, checked with the test kit's own RFC 6238 of
//!   [`crate::rfc6238`], not the core's, ±1 step, no replay)
//!   and `MFA_SETUP` through `AssociateSoftwareToken` / `VerifySoftwareToken`, every session
//!   single-use (a reused one is `NotAuthorizedException "Invalid session ..."`).
//! * Device tracking: `NewDeviceMetadata` on a sign-in without a device, `ConfirmDevice`
//!   storing the device's salt and verifier, `UpdateDeviceStatus`, then `DEVICE_SRP_AUTH` and
//!   `DEVICE_PASSWORD_VERIFIER` checked server-side, skipping MFA for a remembered device; a
//!   forgotten device is `ResourceNotFoundException "Device does not exist."`.
//!
//! Randomness (b, salts, secret blocks, sessions, TOTP secrets, device keys) is SHA-256 of a
//! counter, so every run is the same.

use alloc::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_auth_core::totp::TotpSecret;
use cognito_auth_core::{Operation, Request, UnixTime, UserPoolId};
use hmac::{Hmac, Mac};
use num_bigint_dig::{BigInt, BigUint, Sign};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use crate::rfc6238;
pub use crate::srp_server::pad;
use crate::srp_server::{SrpServer, claim_signature, derive_key, hash};

/// How far a `TIMESTAMP` may be from the pool's clock.
pub const TIMESTAMP_WINDOW_SECS: u64 = 300;
/// How long a challenge session lives (the app client's `AuthSessionValidity`, 3 minutes).
pub const SESSION_VALIDITY_SECS: u64 = 180;

/// A response as the HTTP transport would hand it back.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Whether the pool requires MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mfa {
    /// Users without TOTP sign in without MFA.
    Optional,
    /// Users without TOTP must set it up (`MFA_SETUP`).
    Required,
}

/// The pool's device tracking setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceTracking {
    /// No `NewDeviceMetadata`.
    Off,
    /// Devices are remembered as soon as they are confirmed.
    Always,
    /// `UserConfirmationNecessary`: remembered only after `UpdateDeviceStatus`.
    UserOptIn,
}

/// A device Cognito handed out.
#[derive(Debug, Clone)]
pub struct Device {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
    /// Salt and verifier from `ConfirmDevice`; `None` until confirmed.
    confirmed: Option<(BigInt, BigUint)>,
    /// `DeviceName` from `ConfirmDevice`.
    pub name: Option<String>,
    /// Remembered devices skip MFA.
    pub remembered: bool,
}

impl Device {
    /// Whether `ConfirmDevice` registered a verifier.
    pub fn is_confirmed(&self) -> bool {
        self.confirmed.is_some()
    }
}

/// A user of the pool.
#[derive(Debug)]
pub struct User {
    /// The canonical username (a uuid when the pool signs in with email).
    pub username: String,
    /// An email alias accepted as `USERNAME` in `InitiateAuth`.
    pub email: Option<String>,
    salt: BigInt,
    verifier: BigUint,
    /// The TOTP secret, once set up.
    pub totp: Option<TotpSecret>,
    /// `FriendlyDeviceName` given at TOTP setup.
    pub totp_name: Option<String>,
    /// The last time step a code was accepted for (RFC 6238 T).
    last_totp_step: Option<u64>,
    /// Devices handed out to this user.
    pub devices: Vec<Device>,
}

/// The big numbers of one SRP exchange, for [`FakePool::choose_b`] and the statistics.
#[derive(Debug, Clone)]
pub struct SrpValues {
    /// The client's A.
    pub a: BigUint,
    /// The server's B.
    pub b: BigUint,
    /// u = H(PAD(A) ‖ PAD(B)).
    pub u: BigUint,
    /// The premaster secret S.
    pub s: BigUint,
}

/// A condition on the SRP values that b must satisfy.
#[derive(Debug, Clone, Copy)]
pub struct ChooseB {
    /// The condition.
    pub accept: fn(&SrpValues) -> bool,
    /// Draws to skip before testing (the count a previous run needed, minus one): the draws
    /// are deterministic, so a correct hint makes the search instant, a stale one only slower.
    pub skip: u64,
}

/// How often each PAD length was seen: `[short, full, with 00 prepended]` per value, where
/// "full" is the unsigned byte length of N (384) or of a SHA-256 hash (32).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PadStats {
    /// PAD(A).
    pub a: [u32; 3],
    /// PAD(B).
    pub b: [u32; 3],
    /// PAD(u).
    pub u: [u32; 3],
    /// PAD(S).
    pub s: [u32; 3],
    /// PAD(salt) with a 00 prepended (salt's top bit set) / without.
    pub salt_padded: [u32; 2],
    /// Signatures checked and accepted.
    pub verified: u32,
}

/// What a session (or an SRP handle) stands for.
#[derive(Debug, Clone)]
enum Pending {
    PasswordVerifier {
        user: usize,
        a: BigUint,
        b_secret: BigUint,
        b: BigUint,
        secret_block: Vec<u8>,
        device_key: Option<String>,
    },
    SoftwareTokenMfa {
        user: usize,
        device_key: Option<String>,
    },
    MfaSetup {
        user: usize,
        device_key: Option<String>,
    },
    Associated {
        user: usize,
        device_key: Option<String>,
        secret: TotpSecret,
    },
    TotpVerified {
        user: usize,
        device_key: Option<String>,
    },
    DeviceSrp {
        user: usize,
        device_key: String,
    },
    DevicePasswordVerifier {
        user: usize,
        device_key: String,
        a: BigUint,
        b_secret: BigUint,
        b: BigUint,
        secret_block: Vec<u8>,
    },
}

/// An error response.
#[derive(Debug)]
struct Fault {
    code: &'static str,
    message: String,
}

fn fault(code: &'static str, message: &str) -> Fault {
    Fault {
        code,
        message: String::from(message),
    }
}

fn not_authorized(message: &str) -> Fault {
    fault("NotAuthorizedException", message)
}

fn invalid_parameter(message: &str) -> Fault {
    fault("InvalidParameterException", message)
}

const INVALID_SESSION: &str = "Invalid session for the user, session can only be used once.";
const EXPIRED_SESSION: &str = "Invalid session for the user, session is expired.";
const BAD_CREDENTIALS: &str = "Incorrect username or password.";

/// One request and its response, as the pool saw them.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The operation.
    pub operation: Operation,
    /// The request body.
    pub request: Value,
    /// The HTTP status.
    pub status: u16,
    /// The response body.
    pub response: Value,
}

impl Exchange {
    /// `Operation` or `Operation:ChallengeName`, and ` -> error code` for a refusal.
    pub fn summary(&self) -> String {
        let mut out = self.operation.to_string();
        if let Some(challenge) = self.request.get("ChallengeName").and_then(Value::as_str) {
            out.push(':');
            out.push_str(challenge);
        }
        if let Some(code) = self.response.get("__type").and_then(Value::as_str) {
            out.push_str(" -> ");
            out.push_str(code);
        }
        out
    }
}

/// The in-memory user pool and its one app client.
pub struct FakePool {
    /// The user pool id.
    pub pool: UserPoolId,
    /// The app client id.
    pub client_id: String,
    client_secret: Option<String>,
    /// The pool's clock.
    pub now: UnixTime,
    /// MFA setting.
    pub mfa: Mfa,
    /// Device tracking setting.
    pub device_tracking: DeviceTracking,
    /// The users.
    pub users: Vec<User>,
    /// When set, the server draws b until this holds for the exchange (to force rare PAD
    /// lengths of B, u and S), first skipping `skip` draws without looking at them.
    pub choose_b: Option<ChooseB>,
    /// How many draws of b the last exchange took (with `choose_b`, counting skipped ones).
    pub last_b_draws: u64,
    /// PAD lengths seen.
    pub stats: PadStats,
    /// Every request received, with the answer.
    pub log: Vec<Exchange>,
    sessions: BTreeMap<String, (Pending, u64)>,
    tokens: BTreeMap<String, usize>,
    counter: u64,
    srp: SrpServer,
}

/// `SECRET_HASH`, computed here without the crate: Base64(HMAC-SHA256(secret, user ‖ client)).
pub fn expected_secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

impl FakePool {
    /// An empty pool with a public app client, MFA optional, no device tracking, its clock at
    /// `now`.
    pub fn new(pool: &str, client_id: &str, now: UnixTime) -> Self {
        Self {
            pool: UserPoolId::parse(pool).unwrap(),
            client_id: String::from(client_id),
            client_secret: None,
            now,
            mfa: Mfa::Optional,
            device_tracking: DeviceTracking::Off,
            users: Vec::new(),
            choose_b: None,
            last_b_draws: 0,
            stats: PadStats::default(),
            log: Vec::new(),
            sessions: BTreeMap::new(),
            tokens: BTreeMap::new(),
            counter: 0,
            srp: SrpServer::new(),
        }
    }

    /// Gives the app client a secret.
    pub fn with_client_secret(mut self, secret: &str) -> Self {
        self.client_secret = Some(String::from(secret));
        self
    }

    /// Adds a confirmed user with a random salt; returns its index.
    pub fn add_user(&mut self, username: &str, password: &str) -> usize {
        let salt = self.random(b"salt", 16);
        self.add_user_with_salt(username, password, &salt)
    }

    /// Adds a confirmed user with this salt (a positive integer, as Cognito's are).
    pub fn add_user_with_salt(&mut self, username: &str, password: &str, salt: &[u8]) -> usize {
        let salt = BigInt::from_biguint(Sign::Plus, BigUint::from_bytes_be(salt));
        let verifier = self.verifier(&salt, self.pool.pool_name(), username, password);
        self.users.push(User {
            username: String::from(username),
            email: None,
            salt,
            verifier,
            totp: None,
            totp_name: None,
            last_totp_step: None,
            devices: Vec::new(),
        });
        self.users.len() - 1
    }

    /// Removes a device from whichever user has it (`ForgetDevice` / `AdminForgetDevice`).
    pub fn forget_device(&mut self, device_key: &str) {
        for user in &mut self.users {
            user.devices.retain(|device| device.key != device_key);
        }
    }

    /// Whether a session or SRP handle is still open (not yet used).
    pub fn open_sessions(&self) -> usize {
        self.sessions.len()
    }

    /// Answers one request like Cognito.
    pub fn handle(&mut self, request: &Request) -> Response {
        assert_eq!(
            request.headers(),
            [
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", request.operation().target()),
            ]
        );
        let body: Value = serde_json::from_str(request.body()).expect("request bodies are JSON");
        self.handle_body(request.operation(), body)
    }

    /// Answers a request given as its operation and JSON body (to replay one from the log).
    pub fn handle_body(&mut self, operation: Operation, body: Value) -> Response {
        let result = match operation {
            Operation::InitiateAuth => self.initiate_auth(&body),
            Operation::RespondToAuthChallenge => self.respond_to_auth_challenge(&body),
            Operation::AssociateSoftwareToken => self.associate_software_token(&body),
            Operation::VerifySoftwareToken => self.verify_software_token(&body),
            Operation::ConfirmDevice => self.confirm_device(&body),
            Operation::UpdateDeviceStatus => self.update_device_status(&body),
            other => Err(fault(
                "UnsupportedOperationException",
                &format!("{other} is not modelled"),
            )),
        };
        let (status, response) = match result {
            Ok(value) => (200, value),
            Err(Fault { code, message }) => (400, json!({"__type": code, "message": message})),
        };
        let bytes = response.to_string().into_bytes();
        self.log.push(Exchange {
            operation,
            request: body,
            status,
            response,
        });
        Response {
            status,
            body: bytes,
        }
    }

    // ----- operations -----

    fn initiate_auth(&mut self, body: &Value) -> Result<Value, Fault> {
        self.check_client(body)?;
        let flow = str_member(body, "AuthFlow")?;
        let parameters = string_map(body, "AuthParameters")?;
        let typed = parameters
            .get("USERNAME")
            .ok_or_else(|| invalid_parameter("Missing required parameter USERNAME"))?;
        self.check_secret_hash(&parameters, typed)?;
        let user = self
            .find_user(typed)
            .ok_or_else(|| not_authorized(BAD_CREDENTIALS))?;
        let device_key = parameters.get("DEVICE_KEY").cloned();
        match flow {
            "USER_SRP_AUTH" => {
                let a_hex = parameters
                    .get("SRP_A")
                    .ok_or_else(|| invalid_parameter("Missing required parameter SRP_A"))?;
                let a = BigUint::parse_bytes(a_hex.as_bytes(), 16)
                    .ok_or_else(|| invalid_parameter("SRP_A is not hex"))?;
                if (&a % &self.srp.n) == BigUint::from(0u32) {
                    return Err(invalid_parameter("SRP_A is 0 mod N"));
                }
                let verifier = self.users[user].verifier.clone();
                let (b_secret, b) = self.server_key(&a, &verifier);
                let secret_block = self.secret_block();
                let handle = STANDARD.encode(&secret_block);
                let salt = self.users[user].salt.clone();
                self.stats.salt_padded[usize::from(salt.to_signed_bytes_be().len() <= 16)] += 1;
                let canonical = self.users[user].username.clone();
                self.open(
                    handle.clone(),
                    Pending::PasswordVerifier {
                        user,
                        a,
                        b_secret,
                        b: b.clone(),
                        secret_block,
                        device_key,
                    },
                );
                Ok(json!({
                    "ChallengeName": "PASSWORD_VERIFIER",
                    "ChallengeParameters": {
                        "SALT": salt.to_str_radix(16),
                        "SRP_B": b.to_str_radix(16),
                        "SECRET_BLOCK": handle,
                        "USERNAME": canonical,
                        "USER_ID_FOR_SRP": canonical,
                    },
                }))
            }
            "USER_PASSWORD_AUTH" => {
                let password = parameters
                    .get("PASSWORD")
                    .ok_or_else(|| invalid_parameter("Missing required parameter PASSWORD"))?;
                let stored = &self.users[user];
                let v = self.verifier(
                    &stored.salt,
                    self.pool.pool_name(),
                    &stored.username,
                    password,
                );
                if v != stored.verifier {
                    return Err(not_authorized(BAD_CREDENTIALS));
                }
                self.after_password(user, device_key)
            }
            _ => Err(invalid_parameter("Initiate Auth method not supported.")),
        }
    }

    fn respond_to_auth_challenge(&mut self, body: &Value) -> Result<Value, Fault> {
        self.check_client(body)?;
        let challenge = str_member(body, "ChallengeName")?;
        let responses = string_map(body, "ChallengeResponses")?;
        let username = responses
            .get("USERNAME")
            .ok_or_else(|| invalid_parameter("Missing required parameter USERNAME"))?
            .clone();
        self.check_secret_hash(&responses, &username)?;
        // Every challenge after the first names the user by the canonical name it was given.
        let key = if challenge == "PASSWORD_VERIFIER" {
            responses
                .get("PASSWORD_CLAIM_SECRET_BLOCK")
                .ok_or_else(|| invalid_parameter("Missing PASSWORD_CLAIM_SECRET_BLOCK"))?
                .clone()
        } else {
            str_member(body, "Session")?.to_owned()
        };
        let pending = self.take(&key)?;
        let user = pending_user(&pending);
        if self.users[user].username != username {
            return Err(not_authorized(BAD_CREDENTIALS));
        }
        match (challenge, pending) {
            (
                "PASSWORD_VERIFIER",
                Pending::PasswordVerifier {
                    user,
                    a,
                    b_secret,
                    b,
                    secret_block,
                    device_key,
                },
            ) => {
                if responses.get("DEVICE_KEY") != device_key.as_ref() {
                    return Err(invalid_parameter("DEVICE_KEY differs from InitiateAuth"));
                }
                let (realm, verifier) = (
                    String::from(self.pool.pool_name()),
                    self.users[user].verifier.clone(),
                );
                self.check_claim(
                    &responses,
                    &a,
                    &b,
                    &b_secret,
                    &verifier,
                    &realm,
                    &username,
                    &secret_block,
                )?;
                if let Some(key) = &device_key {
                    let Some(device) = self.users[user].devices.iter().find(|d| &d.key == key)
                    else {
                        return Err(fault("ResourceNotFoundException", "Device does not exist."));
                    };
                    if device.is_confirmed() && device.remembered {
                        let session = self.new_session(Pending::DeviceSrp {
                            user,
                            device_key: key.clone(),
                        });
                        return Ok(json!({
                            "ChallengeName": "DEVICE_SRP_AUTH",
                            "Session": session,
                            "ChallengeParameters": {"USERNAME": username},
                        }));
                    }
                }
                self.after_password(user, device_key)
            }
            ("SOFTWARE_TOKEN_MFA", Pending::SoftwareTokenMfa { user, device_key }) => {
                let code = responses
                    .get("SOFTWARE_TOKEN_MFA_CODE")
                    .ok_or_else(|| invalid_parameter("Missing SOFTWARE_TOKEN_MFA_CODE"))?;
                let secret = self.users[user].totp.clone().expect("TOTP user");
                let last_used = self.users[user].last_totp_step;
                match rfc6238::verify_cognito(secret.expose(), code, self.now.as_secs(), last_used)
                {
                    Some(step) => {
                        self.users[user].last_totp_step = Some(step);
                        Ok(self.tokens(user, device_key.as_deref()))
                    }
                    None => {
                        // A wrong code leaves the session usable.
                        self.open(key, Pending::SoftwareTokenMfa { user, device_key });
                        Err(fault(
                            "CodeMismatchException",
                            "Invalid code received for user",
                        ))
                    }
                }
            }
            ("MFA_SETUP", Pending::TotpVerified { user, device_key }) => {
                Ok(self.tokens(user, device_key.as_deref()))
            }
            ("DEVICE_SRP_AUTH", Pending::DeviceSrp { user, device_key }) => {
                if responses.get("DEVICE_KEY") != Some(&device_key) {
                    return Err(invalid_parameter("DEVICE_KEY differs"));
                }
                let a_hex = responses
                    .get("SRP_A")
                    .ok_or_else(|| invalid_parameter("Missing SRP_A"))?;
                let a = BigUint::parse_bytes(a_hex.as_bytes(), 16)
                    .ok_or_else(|| invalid_parameter("SRP_A is not hex"))?;
                if (&a % &self.srp.n) == BigUint::from(0u32) {
                    return Err(invalid_parameter("SRP_A is 0 mod N"));
                }
                let device = self.device(user, &device_key)?;
                let (salt, verifier) = device.confirmed.clone().expect("confirmed device");
                let (b_secret, b) = self.server_key(&a, &verifier);
                let secret_block = self.secret_block();
                let session = self.new_session(Pending::DevicePasswordVerifier {
                    user,
                    device_key: device_key.clone(),
                    a,
                    b_secret,
                    b: b.clone(),
                    secret_block: secret_block.clone(),
                });
                Ok(json!({
                    "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
                    "Session": session,
                    "ChallengeParameters": {
                        "SALT": salt.to_str_radix(16),
                        "SRP_B": b.to_str_radix(16),
                        "SECRET_BLOCK": STANDARD.encode(&secret_block),
                        "USERNAME": username,
                        "DEVICE_KEY": device_key,
                    },
                }))
            }
            (
                "DEVICE_PASSWORD_VERIFIER",
                Pending::DevicePasswordVerifier {
                    user,
                    device_key,
                    a,
                    b_secret,
                    b,
                    secret_block,
                },
            ) => {
                if responses.get("DEVICE_KEY") != Some(&device_key) {
                    return Err(invalid_parameter("DEVICE_KEY differs"));
                }
                let device = self.device(user, &device_key)?;
                let group_key = device.group_key.clone();
                let (_, verifier) = device.confirmed.clone().expect("confirmed device");
                self.check_claim(
                    &responses,
                    &a,
                    &b,
                    &b_secret,
                    &verifier,
                    &group_key,
                    &device_key,
                    &secret_block,
                )?;
                Ok(self.tokens(user, Some(&device_key)))
            }
            _ => Err(not_authorized(INVALID_SESSION)),
        }
    }

    fn associate_software_token(&mut self, body: &Value) -> Result<Value, Fault> {
        let session = str_member(body, "Session")?.to_owned();
        let Pending::MfaSetup { user, device_key } = self.take(&session)? else {
            return Err(not_authorized(INVALID_SESSION));
        };
        let secret = TotpSecret::from_bytes(&self.random(b"totp", 32)).unwrap();
        let secret_code = String::from(secret.to_base32().expose());
        let session = self.new_session(Pending::Associated {
            user,
            device_key,
            secret,
        });
        Ok(json!({"SecretCode": secret_code, "Session": session}))
    }

    fn verify_software_token(&mut self, body: &Value) -> Result<Value, Fault> {
        let session = str_member(body, "Session")?.to_owned();
        let code = str_member(body, "UserCode")?.to_owned();
        let name = body
            .get("FriendlyDeviceName")
            .and_then(Value::as_str)
            .map(String::from);
        let Pending::Associated {
            user,
            device_key,
            secret,
        } = self.take(&session)?
        else {
            return Err(not_authorized(INVALID_SESSION));
        };
        match rfc6238::verify_cognito(secret.expose(), &code, self.now.as_secs(), None) {
            Some(step) => {
                let stored = &mut self.users[user];
                stored.totp = Some(secret);
                stored.totp_name = name;
                stored.last_totp_step = Some(step);
                let session = self.new_session(Pending::TotpVerified { user, device_key });
                Ok(json!({"Status": "SUCCESS", "Session": session}))
            }
            None => {
                self.open(
                    session,
                    Pending::Associated {
                        user,
                        device_key,
                        secret,
                    },
                );
                Err(fault(
                    "EnableSoftwareTokenMFAException",
                    "Code mismatch and fail enable Software Token MFA",
                ))
            }
        }
    }

    fn confirm_device(&mut self, body: &Value) -> Result<Value, Fault> {
        let user = self.token_user(body)?;
        let key = str_member(body, "DeviceKey")?.to_owned();
        let config = body
            .get("DeviceSecretVerifierConfig")
            .ok_or_else(|| invalid_parameter("Missing DeviceSecretVerifierConfig"))?;
        let decode = |name: &str| -> Result<Vec<u8>, Fault> {
            let text = config
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| invalid_parameter(name))?;
            STANDARD.decode(text).map_err(|_| invalid_parameter(name))
        };
        let salt = BigInt::from_signed_bytes_be(&decode("Salt")?);
        let verifier = BigUint::from_bytes_be(&decode("PasswordVerifier")?);
        let name = body
            .get("DeviceName")
            .and_then(Value::as_str)
            .map(String::from);
        let remember = self.device_tracking == DeviceTracking::Always;
        let device = self.users[user]
            .devices
            .iter_mut()
            .find(|d| d.key == key)
            .ok_or_else(|| fault("ResourceNotFoundException", "Device does not exist."))?;
        if device.confirmed.is_some() {
            return Err(fault(
                "DeviceKeyExistsException",
                "Device already confirmed.",
            ));
        }
        device.confirmed = Some((salt, verifier));
        device.name = name;
        device.remembered = remember;
        Ok(json!({"UserConfirmationNecessary": !remember}))
    }

    fn update_device_status(&mut self, body: &Value) -> Result<Value, Fault> {
        let user = self.token_user(body)?;
        let key = str_member(body, "DeviceKey")?.to_owned();
        let status = str_member(body, "DeviceRememberedStatus")?.to_owned();
        let device = self.users[user]
            .devices
            .iter_mut()
            .find(|d| d.key == key)
            .ok_or_else(|| fault("ResourceNotFoundException", "Device does not exist."))?;
        device.remembered = match status.as_str() {
            "remembered" => true,
            "not_remembered" => false,
            _ => return Err(invalid_parameter("DeviceRememberedStatus")),
        };
        Ok(json!({}))
    }

    // ----- steps -----

    /// The password (or its SRP proof) was right: MFA, MFA setup, or tokens.
    fn after_password(&mut self, user: usize, device_key: Option<String>) -> Result<Value, Fault> {
        if let Some(key) = &device_key
            && !self.users[user].devices.iter().any(|d| &d.key == key)
        {
            return Err(fault("ResourceNotFoundException", "Device does not exist."));
        }
        if self.users[user].totp.is_some() {
            let name = self.users[user].totp_name.clone();
            let session = self.new_session(Pending::SoftwareTokenMfa { user, device_key });
            let mut parameters = Map::new();
            if let Some(name) = name {
                parameters.insert("FRIENDLY_DEVICE_NAME".into(), name.into());
            }
            return Ok(json!({
                "ChallengeName": "SOFTWARE_TOKEN_MFA",
                "Session": session,
                "ChallengeParameters": parameters,
            }));
        }
        if self.mfa == Mfa::Required {
            let session = self.new_session(Pending::MfaSetup { user, device_key });
            return Ok(json!({
                "ChallengeName": "MFA_SETUP",
                "Session": session,
                "ChallengeParameters": {"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"},
            }));
        }
        Ok(self.tokens(user, device_key.as_deref()))
    }

    /// Tokens, with `NewDeviceMetadata` when the pool tracks devices and none was sent.
    fn tokens(&mut self, user: usize, device_key: Option<&str>) -> Value {
        let n = self.next();
        let access = format!("access-{n}-{}", self.users[user].username);
        self.tokens.insert(access.clone(), user);
        let mut result = json!({
            "AccessToken": access,
            "IdToken": format!("id-{n}"),
            "RefreshToken": format!("refresh-{n}"),
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
        });
        if self.device_tracking != DeviceTracking::Off && device_key.is_none() {
            let id = hex(&self.random(b"device", 16));
            let key = format!(
                "{}_{}-{}-{}-{}-{}",
                self.pool.region(),
                &id[..8],
                &id[8..12],
                &id[12..16],
                &id[16..20],
                &id[20..32]
            );
            let group_key = format!("-{}", &hex(&self.random(b"group", 5))[..9]);
            self.users[user].devices.push(Device {
                key: key.clone(),
                group_key: group_key.clone(),
                confirmed: None,
                name: None,
                remembered: false,
            });
            result["NewDeviceMetadata"] = json!({"DeviceKey": key, "DeviceGroupKey": group_key});
        }
        json!({"ChallengeParameters": {}, "AuthenticationResult": result})
    }

    // ----- checks -----

    fn check_client(&self, body: &Value) -> Result<(), Fault> {
        let client = str_member(body, "ClientId")?;
        if client == self.client_id {
            Ok(())
        } else {
            Err(fault(
                "ResourceNotFoundException",
                &format!("User pool client {client} does not exist."),
            ))
        }
    }

    fn check_secret_hash(
        &self,
        parameters: &BTreeMap<String, String>,
        username: &str,
    ) -> Result<(), Fault> {
        match (&self.client_secret, parameters.get("SECRET_HASH")) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(not_authorized(&format!(
                "Client {} has no secret but SECRET_HASH was received",
                self.client_id
            ))),
            (Some(_), None) => Err(not_authorized(&format!(
                "Client {} is configured with secret but SECRET_HASH was not received",
                self.client_id
            ))),
            (Some(secret), Some(hash)) => {
                if *hash == expected_secret_hash(username, &self.client_id, secret) {
                    Ok(())
                } else {
                    Err(not_authorized(&format!(
                        "Unable to verify secret hash for client {}",
                        self.client_id
                    )))
                }
            }
        }
    }

    /// Checks `TIMESTAMP` and `PASSWORD_CLAIM_SIGNATURE` of a (device) password verifier.
    #[allow(clippy::too_many_arguments, reason = "the SRP transcript")]
    fn check_claim(
        &mut self,
        responses: &BTreeMap<String, String>,
        a: &BigUint,
        b: &BigUint,
        b_secret: &BigUint,
        verifier: &BigUint,
        realm: &str,
        user_id: &str,
        secret_block: &[u8],
    ) -> Result<(), Fault> {
        let get = |name: &str| {
            responses
                .get(name)
                .ok_or_else(|| invalid_parameter(&format!("Missing {name}")))
        };
        if *get("PASSWORD_CLAIM_SECRET_BLOCK")? != STANDARD.encode(secret_block) {
            return Err(not_authorized(BAD_CREDENTIALS));
        }
        let timestamp = get("TIMESTAMP")?;
        let secs = parse_timestamp(timestamp)
            .ok_or_else(|| invalid_parameter(&format!("TIMESTAMP {timestamp:?} is malformed")))?;
        if secs.abs_diff(self.now.as_secs()) > TIMESTAMP_WINDOW_SECS {
            return Err(not_authorized(BAD_CREDENTIALS));
        }
        let values = self.srp_values(a, b, b_secret, verifier);
        let key = derive_key(&values.u, &values.s);
        let expected = claim_signature(&key, realm, user_id, secret_block, timestamp);
        if *get("PASSWORD_CLAIM_SIGNATURE")? != expected {
            return Err(not_authorized(BAD_CREDENTIALS));
        }
        record(&mut self.stats.a, &values.a, 384);
        record(&mut self.stats.b, &values.b, 384);
        record(&mut self.stats.u, &values.u, 32);
        record(&mut self.stats.s, &values.s, 384);
        self.stats.verified += 1;
        Ok(())
    }

    // ----- SRP -----

    /// v = g^x, x = H(PAD(salt) ‖ H(realm ‖ user ‖ ":" ‖ password)).
    fn verifier(&self, salt: &BigInt, realm: &str, user: &str, password: &str) -> BigUint {
        self.srp.verifier(salt, realm, user, password)
    }

    /// b and B = k·v + g^b mod N, b drawn until [`Self::choose_b`] (if set) accepts.
    fn server_key(&mut self, a: &BigUint, verifier: &BigUint) -> (BigUint, BigUint) {
        let zero = BigUint::from(0u32);
        for draw in 1..=100_000 {
            let b_secret = BigUint::from_bytes_be(&self.random(b"b", 32));
            let choose = self.choose_b;
            if choose.is_some_and(|c| draw <= c.skip) {
                continue;
            }
            let b = self.srp.public_key(verifier, &b_secret);
            if b == zero {
                continue;
            }
            self.last_b_draws = draw;
            match choose {
                None => return (b_secret, b),
                Some(choose) => {
                    if (choose.accept)(&self.srp_values(a, &b, &b_secret, verifier)) {
                        return (b_secret, b);
                    }
                }
            }
        }
        panic!("no b satisfied choose_b in 100000 draws");
    }

    /// u and S = (A·v^u)^b.
    fn srp_values(&self, a: &BigUint, b: &BigUint, b_secret: &BigUint, v: &BigUint) -> SrpValues {
        let (u, s) = self.srp.premaster_secret(a, b, b_secret, v);
        SrpValues {
            a: a.clone(),
            b: b.clone(),
            u,
            s,
        }
    }

    // ----- bookkeeping -----

    fn find_user(&self, name: &str) -> Option<usize> {
        self.users
            .iter()
            .position(|u| u.username == name || u.email.as_deref() == Some(name))
    }

    fn device(&self, user: usize, key: &str) -> Result<&Device, Fault> {
        self.users[user]
            .devices
            .iter()
            .find(|d| d.key == key && d.is_confirmed())
            .ok_or_else(|| fault("ResourceNotFoundException", "Device does not exist."))
    }

    fn token_user(&self, body: &Value) -> Result<usize, Fault> {
        let token = str_member(body, "AccessToken")?;
        self.tokens
            .get(token)
            .copied()
            .ok_or_else(|| not_authorized("Invalid Access Token"))
    }

    fn open(&mut self, key: String, pending: Pending) {
        self.sessions.insert(key, (pending, self.now.as_secs()));
    }

    fn new_session(&mut self, pending: Pending) -> String {
        let session = format!("AYABe-{}", STANDARD.encode(self.random(b"session", 24)));
        self.open(session.clone(), pending);
        session
    }

    /// Takes a session (or SRP handle) out: each is single-use.
    fn take(&mut self, key: &str) -> Result<Pending, Fault> {
        let (pending, created) = self
            .sessions
            .remove(key)
            .ok_or_else(|| not_authorized(INVALID_SESSION))?;
        if self.now.as_secs().saturating_sub(created) > SESSION_VALIDITY_SECS {
            return Err(not_authorized(EXPIRED_SESSION));
        }
        Ok(pending)
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// `len` deterministic "random" bytes.
    fn random(&mut self, label: &[u8], len: usize) -> Vec<u8> {
        let n = self.next();
        let mut out = Vec::new();
        let mut block = 0u8;
        while out.len() < len {
            out.extend(hash(&[b"fake-pool", label, &n.to_be_bytes(), &[block]]));
            block += 1;
        }
        out.truncate(len);
        out
    }

    /// 1 to 64 random bytes: Cognito's are longer, but every length must round-trip.
    fn secret_block(&mut self) -> Vec<u8> {
        let len = 1 + usize::from(self.random(b"len", 1)[0] % 64);
        self.random(b"secret block", len)
    }
}

fn pending_user(pending: &Pending) -> usize {
    match pending {
        Pending::PasswordVerifier { user, .. }
        | Pending::SoftwareTokenMfa { user, .. }
        | Pending::MfaSetup { user, .. }
        | Pending::Associated { user, .. }
        | Pending::TotpVerified { user, .. }
        | Pending::DeviceSrp { user, .. }
        | Pending::DevicePasswordVerifier { user, .. } => *user,
    }
}

/// Counts PAD(value) as shorter than `full`, `full`, or `full` + 1 bytes.
fn record(counts: &mut [u32; 3], value: &BigUint, full: usize) {
    let len = pad(value).len();
    let slot = match len.cmp(&full) {
        core::cmp::Ordering::Less => 0,
        core::cmp::Ordering::Equal => 1,
        core::cmp::Ordering::Greater => 2,
    };
    counts[slot] += 1;
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn str_member<'a>(body: &'a Value, name: &str) -> Result<&'a str, Fault> {
    body.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid_parameter(&format!("Missing required parameter {name}")))
}

fn string_map(body: &Value, name: &str) -> Result<BTreeMap<String, String>, Fault> {
    let object = body
        .get(name)
        .and_then(Value::as_object)
        .ok_or_else(|| invalid_parameter(&format!("Missing required parameter {name}")))?;
    object
        .iter()
        .map(|(key, value)| {
            value
                .as_str()
                .map(|v| (key.clone(), String::from(v)))
                .ok_or_else(|| invalid_parameter(&format!("{name}.{key} is not a string")))
        })
        .collect()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Reads Java's `EEE MMM d HH:mm:ss 'UTC' yyyy` strictly (no zero-padded day, a weekday that
/// matches the date); returns Unix seconds.
pub fn parse_timestamp(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.split(' ').collect();
    let [weekday, month, day, clock, zone, year] = parts.as_slice() else {
        return None;
    };
    if *zone != "UTC" || day.starts_with('0') || day.len() > 2 || year.len() != 4 {
        return None;
    }
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let fields: Vec<&str> = clock.split(':').collect();
    let [h, m, s] = fields.as_slice() else {
        return None;
    };
    if [h, m, s].iter().any(|f| f.len() != 2) {
        return None;
    }
    let (h, m, s): (u64, u64, u64) = (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?);
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 59 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    if WEEKDAYS[(days % 7) as usize] != *weekday {
        return None;
    }
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}
