//! Property tests across the core, for what the other suites leave out (issue 8). Already
//! covered elsewhere and not repeated here: otpauth build/parse and TOTP against a reference
//! HOTP (`totp_proptest.rs`), the wire parsers, `ChallengeName`, `Endpoint` and
//! `ServiceError` (`src/wire/no_panic_tests.rs`), phone numbers (`phone_number.rs`), SRP claims
//! against an independent server (`srp.rs`), PAD (`src/srp/java_integer.rs`), JWTs as
//! arbitrary bytes (`account_tokens.rs`).
//!
//! Here:
//! * base32: decoding agrees with a plain reference decoder, the leftover bits are the only
//!   thing re-encoding loses, the strict length gate, and bad characters / inner padding are
//!   reported at their exact byte offset;
//! * TOTP `verify` with any string against a reference HOTP window;
//! * `secret_hash` and the `InitiateAuth` username/`SECRET_HASH` for any Unicode username;
//! * `DeviceVerifier` against the independent `num-bigint-dig` server of `support/`;
//! * sign-in snapshots: for every user step, `snapshot` → `restore` → `snapshot` is the
//!   identity and the restored flow answers and finishes exactly as the original; damaged
//!   snapshots (any character changed, inserted, deleted, truncated; fields dropped or
//!   retyped) are refused with a typed error that shows no secret; arbitrary strings and
//!   documents never panic;
//! * `SignIn::answer` with any answer of any kind in every user step, checked against the
//!   documented rules (codes, choices, e-mail, new password, ...);
//! * `SignIn::handle_response` with any status, header and body in every state, and the
//!   automatic SRP legs with any `SALT` / `SRP_B` / `SECRET_BLOCK`;
//! * every account operation's `parse_response` with any response;
//! * `UserPoolId::parse` (and `Endpoint::for_user_pool`), `MfaType::parse` /
//!   `FirstFactor::parse`, and the JWT claim type rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

extern crate alloc;

#[path = "support/srp_server.rs"]
mod srp_server;

use alloc::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use cognito_auth_core::account::{
    AccountError, AccountOperation, AssociateSoftwareToken, ChangePassword, ConfirmForgotPassword,
    ConfirmSignUp, ForgetDevice, ForgotPassword, GetTokensFromRefreshToken, GetUser,
    GetUserAttributeVerificationCode, GlobalSignOut, ListDevices, RefreshTokenAuth,
    ResendConfirmationCode, RevokeToken, SetUserMfaPreference, SignUp, UpdateDeviceStatus,
    UpdateUserAttributes, VerifySoftwareToken, VerifyUserAttribute,
};
use cognito_auth_core::jwt::{JwtClaims, JwtError, TokenUse};
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, CodeError, Credentials, Entropy, FirstFactor, HttpResponse,
    MfaType, RememberedDevice, RestoreOptions, SignIn, SignInError, SnapshotError, Step, UserStep,
};
use cognito_auth_core::srp::{DeviceVerifier, SrpError};
use cognito_auth_core::totp::{TimeStep, Totp, TotpError, TotpSecret, VerifyOptions};
use cognito_auth_core::wire::{Endpoint, Operation, Request};
use cognito_auth_core::{PhoneNumber, SecretString, UnixTime, UserPoolId, UserPoolIdError};
use hmac::{Hmac, Mac};
use num_bigint_dig::{BigInt, Sign};
use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use srp_server::{SrpServer, pad};

// ----- shared fixtures -----

const POOL: &str = "eu-central-1_Pr0pTest9";
const CLIENT: &str = "pr0ptestclient0123456789ab";
/// Values that must never show in snapshots, errors or `Debug` output. Each carries a marker,
/// so a leak is found by substring whatever the generated data.
const CLIENT_SECRET: &str = "CLIENT-SECRET-sentinel-1q2w3e4r5t6y7u8i9o0p";
const PASSWORD: &str = "PASSWORD-sentinel-Correct-Horse-9!";
const DEVICE_PASSWORD: &str = "DEVICE-PASSWORD-sentinel-AbCdEf0123";
const SESSION_MARK: &str = "SESSION-sentinel-";
const DEVICE_KEY: &str = "eu-central-1_0b5c1e2d-3f4a-4b6c-8d7e-9f0a1b2c3d4e";
const DEVICE_GROUP: &str = "-Gr0upKey9";
const NOW: u64 = 1_800_000_000;
const SNAPSHOT_PREFIX: &str = "cognito-auth-sign-in";

/// Fixed cases and no persistence files: deterministic enough for CI, nothing to commit.
fn cases(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn config(with_secret: bool) -> ClientConfig {
    let config = ClientConfig::new(UserPoolId::parse(POOL).unwrap(), CLIENT).unwrap();
    if with_secret {
        config
            .with_client_secret(SecretString::new(CLIENT_SECRET))
            .unwrap()
    } else {
        config
    }
}

fn device() -> RememberedDevice {
    RememberedDevice {
        device_key: DEVICE_KEY.into(),
        device_group_key: DEVICE_GROUP.into(),
        device_password: SecretString::new(DEVICE_PASSWORD),
    }
}

fn entropy(seed: u8) -> Entropy {
    Entropy::from_bytes(Sha256::digest([seed]).into())
}

fn at(secs: u64) -> UnixTime {
    UnixTime::from_secs(secs)
}

/// Panics if `text` shows a password, the client secret or the device password.
fn assert_no_fixed_secret(text: &str) {
    for secret in [PASSWORD, CLIENT_SECRET, DEVICE_PASSWORD] {
        assert!(!text.contains(secret), "{secret:?} leaked into {text:?}");
    }
}

/// Base64(HMAC-SHA256(secret, username ‖ client id)), written here with the `hmac` crate.
fn reference_secret_hash(username: &str, client_id: &str, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Text with a bias to what matters in JSON and in the core's checks.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._@+:-]{0,12}",
        "\\PC{0,12}",
        any::<String>().prop_map(|s| s.chars().take(16).collect()),
    ]
}

fn session() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+/=_-]{4,40}".prop_map(|s| format!("{SESSION_MARK}{s}"))
}

fn body_json(request: &Request) -> Value {
    serde_json::from_str(request.body()).unwrap_or_else(|e| panic!("the core sends JSON: {e}"))
}

// ----- base32 -----

/// The 5-bit value of an RFC 4648 base32 character, either case.
fn base32_value(c: char) -> Option<u8> {
    match c {
        'A'..='Z' => Some(c as u8 - b'A'),
        'a'..='z' => Some(c as u8 - b'a'),
        '2'..='7' => Some(c as u8 - b'2' + 26),
        _ => None,
    }
}

/// The plain reference decoder: the characters' bit string, cut into whole bytes.
fn reference_base32(input: &str) -> Vec<u8> {
    let bits: Vec<u8> = input
        .chars()
        .filter_map(base32_value)
        .flat_map(|v| (0..5).rev().map(move |i| (v >> i) & 1))
        .collect();
    bits.chunks_exact(8)
        .map(|byte| byte.iter().fold(0u8, |acc, bit| (acc << 1) | bit))
        .collect()
}

/// Base32 data characters of either case with white space sprinkled in and optional padding.
fn pasted_base32() -> impl Strategy<Value = (String, String)> {
    (
        "[A-Za-z2-7]{1,90}",
        proptest::collection::vec((any::<Index>(), select(vec![" ", "\t", "\n", "  "])), 0..5),
        0usize..8,
    )
        .prop_map(|(data, spaces, padding)| {
            let mut pasted = data.clone();
            for (index, space) in spaces {
                let at = index.index(pasted.len() + 1);
                pasted.insert_str(at, space);
            }
            pasted.push_str(&"=".repeat(padding));
            (data, pasted)
        })
}

proptest! {
    #![proptest_config(cases(512))]

    /// Any pasted base32 decodes to the reference bytes, or is refused for a length that
    /// cannot end on a byte; strict decoding adds only the 128-bit minimum; re-encoding gives
    /// the data characters upper-cased, with only the ignored leftover bits cleared.
    #[test]
    fn base32_decodes_like_the_reference((data, pasted) in pasted_base32()) {
        let chars = data.len();
        let decoded = TotpSecret::from_base32_allow_short(&pasted);
        if matches!(chars % 8, 1 | 3 | 6) {
            prop_assert_eq!(decoded.err(), Some(TotpError::SecretLengthInvalid { chars }));
            return Ok(());
        }
        let expected = reference_base32(&data);
        let decoded = decoded.unwrap();
        prop_assert_eq!(decoded.expose(), &expected[..]);
        match TotpSecret::from_base32(&pasted) {
            Ok(strict) => {
                prop_assert!(expected.len() >= TotpSecret::MIN_LEN);
                prop_assert_eq!(strict.expose(), &expected[..]);
            }
            Err(error) => prop_assert_eq!(error, TotpError::SecretTooShort { bits: expected.len() * 8 }),
        }
        let encoded = decoded.to_base32();
        let encoded = encoded.expose();
        let upper = data.to_ascii_uppercase();
        prop_assert_eq!(encoded.len(), chars);
        prop_assert_eq!(&encoded[..chars - 1], &upper[..chars - 1]);
        let leftover = 5 * chars - 8 * expected.len();
        let mask = !((1u8 << leftover) - 1);
        let last = |s: &str| base32_value(s.chars().last().unwrap()).unwrap();
        prop_assert_eq!(last(encoded), last(&upper) & mask);
    }

    /// A character outside the alphabet, or `=` followed by data, is reported at its byte
    /// offset, before any length check.
    #[test]
    fn base32_reports_the_first_bad_character(
        data in "[A-Za-z2-7 ]{0,40}",
        tail in "[A-Za-z2-7]{1,10}",
        bad in select(vec!['0', '1', '8', '9', '!', '-', '_', '+', '/', '.', 'é', '🔐', '\u{a0}', '=']),
        at in any::<Index>(),
    ) {
        let mut input = format!("{data}{tail}");
        let position = at.index(input.len());
        input.insert(position, bad);
        let expected = if bad == '=' {
            TotpError::SecretPaddingNotAtEnd { position }
        } else {
            TotpError::SecretNotBase32 { position }
        };
        prop_assert_eq!(TotpSecret::from_base32_allow_short(&input).err(), Some(expected));
        prop_assert_eq!(TotpSecret::from_base32(&input).err(), Some(expected));
    }
}

// ----- TOTP verify -----

/// RFC 6238 with Cognito's parameters, written here: HMAC-SHA1, dynamic truncation, 6 digits.
fn reference_totp(key: &[u8], counter: u64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
    mac.update(&counter.to_be_bytes());
    let mac = mac.finalize().into_bytes();
    let offset = usize::from(mac[19] & 0x0f);
    let bin = u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", bin % 1_000_000)
}

#[derive(Debug, Clone)]
enum CodeGuess {
    /// The reference code of the step at this offset from now.
    Step(i8),
    /// That code with one digit replaced.
    Changed(i8, Index, u8),
    /// That code with white space around it (refused: no trimming).
    Padded(i8),
    /// Anything.
    Any(String),
}

fn code_guess() -> impl Strategy<Value = CodeGuess> {
    prop_oneof![
        (-2i8..=2).prop_map(CodeGuess::Step),
        (-1i8..=1, any::<Index>(), 0u8..10).prop_map(|(o, i, d)| CodeGuess::Changed(o, i, d)),
        (-1i8..=1).prop_map(CodeGuess::Padded),
        prop_oneof!["[0-9]{6}", "[0-9]{0,9}", "\\PC{0,8}", "[０-９]{6}"].prop_map(CodeGuess::Any),
    ]
}

proptest! {
    #![proptest_config(cases(384))]

    /// `verify` accepts exactly the codes of the reference HOTP for the steps within ±1 of
    /// now (the latest fresh one wins), refuses replays, and types every other refusal.
    #[test]
    fn totp_verify_agrees_with_the_reference_window(
        key in proptest::collection::vec(any::<u8>(), 16..=40),
        now in prop_oneof![any::<u64>(), 0u64..200, (u64::MAX - 200)..=u64::MAX],
        guess in code_guess(),
        last_used in proptest::option::of(-3i64..=3),
    ) {
        let secret = TotpSecret::from_bytes(&key).unwrap();
        let counter = now / 30;
        let step_code = |offset: i8| {
            counter.checked_add_signed(i64::from(offset)).map_or_else(String::new, |c| reference_totp(&key, c))
        };
        let code = match &guess {
            CodeGuess::Step(offset) => step_code(*offset),
            CodeGuess::Changed(offset, index, digit) => {
                let mut code = step_code(*offset).into_bytes();
                if !code.is_empty() {
                    let i = index.index(code.len());
                    code[i] = b'0' + digit;
                }
                String::from_utf8(code).unwrap()
            }
            CodeGuess::Padded(offset) => format!(" {}", step_code(*offset)),
            CodeGuess::Any(code) => code.clone(),
        };
        let used = last_used.and_then(|d| counter.checked_add_signed(d)).map(TimeStep::new);
        let options = VerifyOptions::DEFAULT.with_last_used_step(used);
        let got = Totp::COGNITO.verify(&secret, &code, at(now), options);

        let expected = if code.len() != 6 {
            Err(TotpError::CodeWrongLength { len: code.len(), expected: 6 })
        } else if let Some(position) = code.bytes().position(|b| !b.is_ascii_digit()) {
            Err(TotpError::CodeNotDigit { position })
        } else {
            let window = counter.saturating_sub(1)..=counter.saturating_add(1);
            let matches: Vec<u64> = window.filter(|&c| reference_totp(&key, c) == code).collect();
            let fresh = matches.iter().copied().filter(|&c| used.is_none_or(|u| c > u.counter())).max();
            match (fresh, matches.is_empty()) {
                (Some(step), _) => Ok(TimeStep::new(step)),
                (None, false) => Err(TotpError::CodeReplayed),
                (None, true) => Err(TotpError::CodeMismatch),
            }
        };
        prop_assert_eq!(got, expected, "code {:?}", code);
    }
}

// ----- SECRET_HASH and the first request -----

#[derive(Debug, Clone, Copy)]
enum PlainStart {
    Password,
    Custom,
    UserAuth,
    UserAuthPassword,
}

fn plain_credentials(start: PlainStart, typed: &str) -> Credentials {
    let password = || SecretString::new(PASSWORD);
    match start {
        PlainStart::Password => Credentials::password(typed, password()),
        PlainStart::Custom => Credentials::custom(typed),
        PlainStart::UserAuth => Credentials::user_auth(typed, None, None),
        PlainStart::UserAuthPassword => {
            Credentials::user_auth(typed, Some(FirstFactor::Password), Some(password()))
        }
    }
}

fn username() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9._-]{0,10}",
        "[a-z]{1,6}@example\\.(com|org)",
        " ?(\\+|＋)(1 ?\\(?206\\)? ?555-?[0-9]{4}|49 30 [0-9]{6,8}|[0-9 ]{0,14}) ?",
        "\\PC{1,14}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(cases(384))]

    /// `secret_hash` is Base64(HMAC-SHA256(secret, username ‖ client id)) for any Unicode.
    #[test]
    fn secret_hash_matches_the_reference(user in any::<String>(), client in "\\PC{0,30}", secret in "\\PC{0,60}") {
        let hash = cognito_auth_core::secret_hash(&user, &client, &SecretString::new(&secret));
        prop_assert_eq!(&hash, &reference_secret_hash(&user, &client, &secret));
        prop_assert_eq!(hash.len(), 44);
    }

    /// Whatever the user types, `InitiateAuth` carries it verbatim, or its E.164 form when it
    /// is a `+` phone number; `SECRET_HASH` is over exactly that name; the terminal steps name
    /// the same user; nothing panics.
    #[test]
    fn initiate_auth_names_the_user_as_documented(
        typed in username(),
        start in select(vec![PlainStart::Password, PlainStart::Custom, PlainStart::UserAuth, PlainStart::UserAuthPassword]),
        with_secret in any::<bool>(),
        refusal in select(vec!["UserNotConfirmedException", "PasswordResetRequiredException"]),
    ) {
        let (mut flow, request) =
            SignIn::start(config(with_secret), plain_credentials(start, &typed), entropy(1)).unwrap();
        let trimmed = typed.trim();
        let expected = if trimmed.starts_with('+') || trimmed.starts_with('\u{ff0b}') {
            PhoneNumber::normalize(trimmed, None).map_or_else(|_| typed.clone(), String::from)
        } else {
            typed.clone()
        };
        let body = body_json(&request);
        let parameters = &body["AuthParameters"];
        prop_assert_eq!(parameters["USERNAME"].as_str(), Some(expected.as_str()));
        prop_assert_eq!(flow.username(), expected.as_str());
        let hash = parameters.get("SECRET_HASH").and_then(Value::as_str).map(String::from);
        prop_assert_eq!(hash, with_secret.then(|| reference_secret_hash(&expected, CLIENT, CLIENT_SECRET)));
        assert_no_fixed_secret(&format!("{flow:?}"));

        let error = json!({"__type": refusal, "message": "m"}).to_string();
        let step = flow.handle_response(HttpResponse::new(400, error.as_bytes()), at(NOW)).unwrap();
        let expected_step = if refusal == "UserNotConfirmedException" {
            Step::ConfirmSignUp { username: expected }
        } else {
            Step::ResetPassword { username: expected }
        };
        prop_assert_eq!(step, expected_step);
        prop_assert!(flow.is_over());
    }
}

// ----- DeviceVerifier against num-bigint-dig -----

fn salt16() -> impl Strategy<Value = [u8; 16]> {
    prop_oneof![
        any::<[u8; 16]>(),
        // Leading zero bytes (PAD drops them) and a set top bit (PAD adds 00).
        (0usize..=16, any::<[u8; 16]>()).prop_map(|(zeros, mut salt)| {
            salt[..zeros].fill(0);
            salt
        }),
        any::<[u8; 16]>().prop_map(|mut salt| {
            salt[0] |= 0x80;
            salt
        }),
    ]
}

proptest! {
    #![proptest_config(cases(40))]

    /// The `ConfirmDevice` verifier is the v the independent server computes for the device
    /// identity (group key as realm, device key as user), the salt is PAD(salt), and the
    /// device password is the base64 of the bytes given.
    #[test]
    fn device_verifier_matches_the_independent_server(
        group in prop_oneof!["-[A-Za-z0-9]{1,12}", "\\PC{1,12}"],
        key in prop_oneof!["[a-z]{2}-[a-z]{4,9}-[0-9]_[0-9a-f-]{36}", "\\PC{1,40}"],
        password in proptest::collection::vec(any::<u8>(), DeviceVerifier::MIN_PASSWORD_LEN..=96),
        salt in salt16(),
    ) {
        let device = DeviceVerifier::new(&group, &key, &password, salt).unwrap();
        prop_assert_eq!(device.device_password.expose(), STANDARD.encode(&password));
        let salt_int = BigInt::from_bytes_be(Sign::Plus, &salt);
        prop_assert_eq!(STANDARD.decode(&device.config.salt).unwrap(), salt_int.to_signed_bytes_be());
        let v = SrpServer::new().verifier(&salt_int, &group, &key, device.device_password.expose());
        prop_assert_eq!(STANDARD.decode(&device.config.password_verifier).unwrap(), pad(&v));
        let printed = format!("{:?}", device);
        prop_assert!(!printed.contains(device.device_password.expose()));
    }

    #[test]
    fn device_password_length_is_checked(len in prop_oneof![0usize..DeviceVerifier::MIN_PASSWORD_LEN, (DeviceVerifier::MAX_PASSWORD_LEN + 1)..=600]) {
        let refused = DeviceVerifier::new(DEVICE_GROUP, DEVICE_KEY, &vec![7; len], [1; 16]).err();
        prop_assert_eq!(refused, Some(SrpError::DevicePasswordLength { len }));
    }
}

// ----- sign-in scenarios: a flow driven to a user step by well-formed responses -----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Password,
    Custom,
    UserAuth,
    UserAuthWithPassword,
}

impl Start {
    fn has_password(self) -> bool {
        matches!(self, Self::Password | Self::UserAuthWithPassword)
    }
}

/// The challenge that brings the flow to a user step.
#[derive(Debug, Clone)]
enum Shape {
    SmsMfa {
        destination: Option<String>,
        medium: Option<String>,
    },
    Totp {
        friendly_device_name: Option<String>,
    },
    Otp {
        sms: bool,
        destination: Option<String>,
    },
    SelectMfa(Vec<&'static str>),
    SetUpChoice,
    SetUpEmail,
    /// `MFA_SETUP` for TOTP only, then `AssociateSoftwareToken` with this key and session.
    SetUpTotp {
        key: Vec<u8>,
        session: String,
    },
    NewPassword {
        required: Vec<&'static str>,
        attributes: BTreeMap<String, String>,
    },
    Custom(BTreeMap<String, String>),
    SelectFirstFactor(Vec<&'static str>),
    ConfirmPassword {
        srp: bool,
    },
    WebAuthn(String),
}

#[derive(Debug, Clone)]
struct Scenario {
    start: Start,
    typed: String,
    /// `USERNAME` in the challenge parameters.
    canonical: Option<String>,
    client_secret: bool,
    device: bool,
    device_name: Option<String>,
    session: Option<String>,
    shape: Shape,
    seed: u8,
}

const ATTRIBUTES: &[&str] = &[
    "name",
    "family_name",
    "email",
    "phone_number",
    "custom:team",
];

fn shape() -> impl Strategy<Value = Shape> {
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
        text().prop_map(Shape::WebAuthn),
    ]
}

/// The flows whose first response may be this step's challenge (the challenge policy; what
/// the other flows do with it is `tests/sign_in_hostile_server.rs`'s subject).
fn starts_for(shape: &Shape) -> Vec<Start> {
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

fn scenario() -> impl Strategy<Value = Scenario> {
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

fn scenario_credentials(s: &Scenario) -> Credentials {
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

fn challenge_body(
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

fn first_response(s: &Scenario) -> Vec<u8> {
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
fn drive(s: &Scenario) -> SignIn {
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
fn scenario_secrets(s: &Scenario) -> Vec<String> {
    let mut secrets: Vec<String> = s.session.iter().cloned().collect();
    if let Shape::SetUpTotp { key, session } = &s.shape {
        secrets.push(session.clone());
        secrets.push(String::from(
            TotpSecret::from_bytes(key).unwrap().to_base32().expose(),
        ));
    }
    secrets
}

fn restore_options(s: &Scenario, now: u64) -> RestoreOptions {
    RestoreOptions {
        now: at(now),
        max_age_secs: 300,
        entropy: entropy(s.seed),
        device: s.device.then(device),
        password: s.start.has_password().then(|| SecretString::new(PASSWORD)),
    }
}

/// The JSON document inside a snapshot.
fn snapshot_document(snapshot: &str) -> Map<String, Value> {
    let body = snapshot.split('.').nth(2).unwrap();
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap() {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// A snapshot string around `document`, with the right prefix, version and digest.
fn envelope(document: &[u8]) -> String {
    let digest = Sha256::digest(document);
    format!(
        "{SNAPSHOT_PREFIX}.v1.{}.{}",
        URL_SAFE_NO_PAD.encode(document),
        URL_SAFE_NO_PAD.encode(&digest[..12])
    )
}

fn assert_error_hides(error: &SnapshotError, secrets: &[String]) {
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

fn code() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[0-9]{6}",
        1 => "[0-9]{1,12}",
        1 => "[ \t]?[0-9]{4,10}[ \t\u{3000}]?",
        1 => "[0-9a ]{4,8}",
        1 => "[０-９]{6}",
        1 => "\\PC{0,10}",
    ]
}

fn mfa_type() -> impl Strategy<Value = MfaType> {
    select(vec![MfaType::Sms, MfaType::Totp, MfaType::Email])
}

fn first_factor() -> impl Strategy<Value = FirstFactor> {
    select(vec![
        FirstFactor::Password,
        FirstFactor::PasswordSrp,
        FirstFactor::EmailOtp,
        FirstFactor::SmsOtp,
        FirstFactor::WebAuthn,
    ])
}

fn answer() -> impl Strategy<Value = ChallengeAnswer> {
    let password = || prop_oneof![Just(String::new()), "\\PC{1,16}"];
    prop_oneof![
        code().prop_map(ChallengeAnswer::SmsMfaCode),
        code().prop_map(ChallengeAnswer::TotpCode),
        code().prop_map(ChallengeAnswer::OtpCode),
        mfa_type().prop_map(ChallengeAnswer::SelectMfa),
        mfa_type().prop_map(ChallengeAnswer::SelectMfaSetup),
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
        text().prop_map(|answer| ChallengeAnswer::Custom(SecretString::new(&answer))),
        first_factor().prop_map(ChallengeAnswer::SelectFirstFactor),
        password().prop_map(|password| ChallengeAnswer::Password(SecretString::new(&password))),
        text().prop_map(ChallengeAnswer::WebAuthnCredential),
    ]
}

/// The makings of an answer: one of the kind the step takes (most of the time), or any.
#[derive(Debug, Clone)]
struct AnswerSeed {
    fit: bool,
    code: String,
    friendly_device_name: Option<String>,
    mfa: MfaType,
    factor: FirstFactor,
    email: String,
    password: String,
    attributes: Vec<(String, String)>,
    text: String,
    any: ChallengeAnswer,
}

fn answer_seed() -> impl Strategy<Value = AnswerSeed> {
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
fn answer_for(step: &UserStep, seed: &AnswerSeed) -> ChallengeAnswer {
    if !seed.fit {
        return seed.any.clone();
    }
    let code = seed.code.clone();
    match step {
        UserStep::ConfirmSmsMfaCode { .. } => ChallengeAnswer::SmsMfaCode(code),
        UserStep::ConfirmTotpCode { .. } => ChallengeAnswer::TotpCode(code),
        UserStep::ConfirmOtpCode { .. } => ChallengeAnswer::OtpCode(code),
        UserStep::SelectMfaType { .. } => ChallengeAnswer::SelectMfa(seed.mfa),
        UserStep::SelectMfaSetup { .. } => ChallengeAnswer::SelectMfaSetup(seed.mfa),
        UserStep::SetUpTotp { .. } => ChallengeAnswer::TotpSetupCode {
            code,
            friendly_device_name: seed.friendly_device_name.clone(),
        },
        UserStep::SetUpEmailMfa => ChallengeAnswer::MfaEmailAddress(seed.email.clone()),
        UserStep::NewPassword { .. } => ChallengeAnswer::NewPassword {
            password: SecretString::new(&seed.password),
            attributes: seed.attributes.clone(),
        },
        UserStep::CustomChallenge { .. } => ChallengeAnswer::Custom(SecretString::new(&seed.text)),
        UserStep::SelectFirstFactor { .. } => ChallengeAnswer::SelectFirstFactor(seed.factor),
        UserStep::ConfirmPassword => ChallengeAnswer::Password(SecretString::new(&seed.password)),
        UserStep::WebAuthn { .. } => ChallengeAnswer::WebAuthnCredential(seed.text.clone()),
        _ => seed.any.clone(),
    }
}

/// The code check of the documentation: 4 to 10 ASCII digits once trimmed.
fn expected_code(code: &str) -> Result<&str, CodeError> {
    let code = code.trim();
    if !(4..=10).contains(&code.len()) {
        return Err(CodeError::Length { len: code.len() });
    }
    match code.bytes().position(|b| !b.is_ascii_digit()) {
        Some(position) => Err(CodeError::NotDigit { position }),
        None => Ok(code),
    }
}

/// What a `RespondToAuthChallenge` must carry: the challenge, these responses (besides
/// `USERNAME`, `SECRET_HASH`, `DEVICE_KEY`, checked for every request).
type Responds = (&'static str, Vec<(String, String)>);

/// What an answer to `step` must lead to, by the documented rules.
enum Expected {
    Refused(SignInError),
    Responds(Responds),
    /// `RespondToAuthChallenge SELECT_CHALLENGE` with `ANSWER` and `SRP_A` (a fresh ephemeral).
    RespondsWithSrp,
    Sends(Operation),
    Shows(UserStep),
}

fn pair(key: &str, value: &str) -> (String, String) {
    (key.into(), value.into())
}

fn expected_answer(
    step: &UserStep,
    challenge: &str,
    answer: &ChallengeAnswer,
    has_password: bool,
) -> Expected {
    let code = |name: &'static str, key: &str, code: &str| match expected_code(code) {
        Ok(code) => Expected::Responds((name, vec![pair(key, code)])),
        Err(error) => Expected::Refused(SignInError::InvalidCode(error)),
    };
    match (step, answer) {
        (UserStep::ConfirmSmsMfaCode { .. }, ChallengeAnswer::SmsMfaCode(c)) => {
            code("SMS_MFA", "SMS_MFA_CODE", c)
        }
        (UserStep::ConfirmTotpCode { .. }, ChallengeAnswer::TotpCode(c)) => {
            code("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE", c)
        }
        (UserStep::ConfirmOtpCode { .. }, ChallengeAnswer::OtpCode(c)) => {
            if challenge == "SMS_OTP" {
                code("SMS_OTP", "SMS_OTP_CODE", c)
            } else {
                code("EMAIL_OTP", "EMAIL_OTP_CODE", c)
            }
        }
        (UserStep::SetUpTotp { .. }, ChallengeAnswer::TotpSetupCode { code, .. }) => {
            match expected_code(code) {
                Ok(_) => Expected::Sends(Operation::VerifySoftwareToken),
                Err(error) => Expected::Refused(SignInError::InvalidCode(error)),
            }
        }
        (UserStep::SelectMfaType { allowed }, ChallengeAnswer::SelectMfa(choice)) => {
            if allowed.contains(choice) {
                Expected::Responds(("SELECT_MFA_TYPE", vec![pair("ANSWER", choice.as_str())]))
            } else {
                Expected::Refused(SignInError::ChoiceNotOffered)
            }
        }
        (UserStep::SelectMfaSetup { allowed }, ChallengeAnswer::SelectMfaSetup(choice)) => {
            match (allowed.contains(choice), choice) {
                (false, _) => Expected::Refused(SignInError::ChoiceNotOffered),
                (true, MfaType::Totp) => Expected::Sends(Operation::AssociateSoftwareToken),
                (true, _) => Expected::Shows(UserStep::SetUpEmailMfa),
            }
        }
        (UserStep::SetUpEmailMfa, ChallengeAnswer::MfaEmailAddress(address)) => {
            let address = address.trim();
            if address.contains('@') {
                Expected::Responds(("MFA_SETUP", vec![pair("EMAIL", address)]))
            } else {
                Expected::Refused(SignInError::InvalidEmailAddress)
            }
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
                return Expected::Refused(SignInError::EmptyPassword);
            }
            let mut responses = vec![pair("NEW_PASSWORD", password.expose())];
            for name in required_attributes {
                match attributes.iter().find(|(given, _)| given == name) {
                    Some((_, value)) => {
                        responses.push(pair(&format!("userAttributes.{name}"), value))
                    }
                    None => {
                        return Expected::Refused(SignInError::MissingRequiredAttribute {
                            name: name.clone(),
                        });
                    }
                }
            }
            Expected::Responds(("NEW_PASSWORD_REQUIRED", responses))
        }
        (UserStep::CustomChallenge { .. }, ChallengeAnswer::Custom(answer)) => {
            Expected::Responds(("CUSTOM_CHALLENGE", vec![pair("ANSWER", answer.expose())]))
        }
        (UserStep::SelectFirstFactor { available }, ChallengeAnswer::SelectFirstFactor(f)) => {
            if !available.contains(f) {
                return Expected::Refused(SignInError::ChoiceNotOffered);
            }
            match (f, has_password) {
                (FirstFactor::Password, true) => Expected::Responds((
                    "SELECT_CHALLENGE",
                    vec![pair("ANSWER", "PASSWORD"), pair("PASSWORD", PASSWORD)],
                )),
                (FirstFactor::PasswordSrp, true) => Expected::RespondsWithSrp,
                (FirstFactor::Password | FirstFactor::PasswordSrp, false) => {
                    Expected::Shows(UserStep::ConfirmPassword)
                }
                _ => Expected::Responds(("SELECT_CHALLENGE", vec![pair("ANSWER", f.as_str())])),
            }
        }
        (UserStep::ConfirmPassword, ChallengeAnswer::Password(password)) => {
            if password.is_empty() {
                Expected::Refused(SignInError::EmptyPassword)
            } else if challenge == "PASSWORD_SRP" {
                Expected::RespondsWithSrp
            } else {
                Expected::Responds((
                    "SELECT_CHALLENGE",
                    vec![
                        pair("ANSWER", "PASSWORD"),
                        pair("PASSWORD", password.expose()),
                    ],
                ))
            }
        }
        (UserStep::WebAuthn { .. }, ChallengeAnswer::WebAuthnCredential(credential)) => {
            Expected::Responds(("WEB_AUTHN", vec![pair("CREDENTIAL", credential)]))
        }
        (_, answer) => Expected::Refused(SignInError::AnswerDoesNotFitStep {
            answer: answer.kind(),
        }),
    }
}

/// The `RespondToAuthChallenge` `request` carries `challenge`, the flow's name, its
/// `SECRET_HASH`, the device key and `session`; returns the other responses.
fn check_respond(
    request: &Request,
    s: &Scenario,
    username: &str,
    session: Option<&str>,
    challenge: &str,
) -> BTreeMap<String, String> {
    assert_eq!(request.operation(), Operation::RespondToAuthChallenge);
    let body = body_json(request);
    assert_eq!(body["ChallengeName"], challenge);
    assert_eq!(body["ClientId"], CLIENT);
    assert_eq!(body.get("Session").and_then(Value::as_str), session);
    let mut responses: BTreeMap<String, String> = body["ChallengeResponses"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), String::from(v.as_str().unwrap())))
        .collect();
    assert_eq!(responses.remove("USERNAME").as_deref(), Some(username));
    let hash = responses.remove("SECRET_HASH");
    assert_eq!(
        hash,
        s.client_secret
            .then(|| reference_secret_hash(username, CLIENT, CLIENT_SECRET))
    );
    let device_key = responses.remove("DEVICE_KEY");
    assert_eq!(device_key.as_deref(), s.device.then_some(DEVICE_KEY));
    responses
}

/// The session the flow answers with: the latest one Cognito sent.
fn current_session(s: &Scenario) -> Option<&str> {
    match &s.shape {
        Shape::SetUpTotp { session, .. } => Some(session),
        _ => s.session.as_deref(),
    }
}

proptest! {
    #![proptest_config(cases(768))]

    /// Any answer of any kind in any user step: refused with the documented error (the step
    /// stays open, nothing changes), or sent exactly as documented: trimmed codes, the chosen
    /// option, the required attributes only, verbatim custom answers and passkey assertions,
    /// each with the canonical `USERNAME`, its `SECRET_HASH`, the device key and the session.
    #[test]
    fn any_answer_in_any_step_follows_the_rules(s in scenario(), seed in answer_seed()) {
        let mut flow = drive(&s);
        let step = flow.pending_step().cloned().unwrap();
        let answer = answer_for(&step, &seed);
        let username = String::from(flow.username());
        let first = first_response(&s);
        let challenge = serde_json::from_slice::<Value>(&first).unwrap()["ChallengeName"]
            .as_str().unwrap().to_owned();
        let expected = expected_answer(&step, &challenge, &answer, s.start.has_password());
        let got = flow.answer(answer.clone(), at(NOW));
        if let Err(error) = &got {
            assert_no_fixed_secret(&format!("{error} {error:?}"));
        }
        match (expected, got) {
            (Expected::Refused(expected), got) => {
                prop_assert_eq!(got, Err(expected.clone()));
                prop_assert!(expected.step_still_open());
                prop_assert_eq!(flow.pending_step(), Some(&step));
                prop_assert_eq!(flow.username(), username.as_str());
            }
            (Expected::Responds((name, responses)), Ok(Step::Send(request))) => {
                let sent = check_respond(&request, &s, &username, current_session(&s), name);
                let expected: BTreeMap<String, String> = responses.into_iter().collect();
                prop_assert_eq!(sent, expected);
                prop_assert!(flow.pending_step().is_none() && !flow.is_over());
            }
            (Expected::RespondsWithSrp, Ok(Step::Send(request))) => {
                let sent = check_respond(&request, &s, &username, current_session(&s), "SELECT_CHALLENGE");
                prop_assert_eq!(sent.get("ANSWER").map(String::as_str), Some("PASSWORD_SRP"));
                let srp_a = &sent["SRP_A"];
                prop_assert!(!srp_a.is_empty() && srp_a.bytes().all(|b| b.is_ascii_hexdigit()));
                prop_assert_eq!(sent.len(), 2);
            }
            (Expected::Sends(operation), Ok(Step::Send(request))) => {
                prop_assert_eq!(request.operation(), operation);
                let body = body_json(&request);
                prop_assert_eq!(body.get("Session").and_then(Value::as_str), current_session(&s));
                if let ChallengeAnswer::TotpSetupCode { code, friendly_device_name } = &answer {
                    prop_assert_eq!(body["UserCode"].as_str(), Some(code.trim()));
                    prop_assert_eq!(body.get("FriendlyDeviceName").and_then(Value::as_str), friendly_device_name.as_deref());
                }
            }
            (Expected::Shows(expected), Ok(Step::Challenge(shown))) => {
                prop_assert_eq!(&shown, &expected);
                prop_assert_eq!(flow.pending_step(), Some(&expected));
            }
            (_, got) => prop_assert!(false, "{:?} answered with {:?}", answer, got),
        }
    }
}

// ----- snapshots -----

/// What Cognito answers next, in the properties that continue a flow.
fn reply() -> impl Strategy<Value = (u16, Vec<u8>)> {
    let tokens = (
        "[A-Za-z0-9._-]{8,40}",
        proptest::option::of("[A-Za-z0-9._-]{8,40}"),
        1u64..100_000,
        any::<bool>(),
    )
        .prop_map(|(access, refresh, expires_in, new_device)| {
            let mut result = json!({
                "AccessToken": format!("TOKEN-{access}"),
                "IdToken": "id.token.x",
                "ExpiresIn": expires_in,
                "TokenType": "Bearer",
            });
            if let Some(refresh) = refresh {
                result["RefreshToken"] = refresh.into();
            }
            if new_device {
                result["NewDeviceMetadata"] =
                    json!({"DeviceKey": "eu-central-1_new-device", "DeviceGroupKey": "-NewGroup1"});
            }
            (
                200,
                json!({"AuthenticationResult": result})
                    .to_string()
                    .into_bytes(),
            )
        });
    let error = select(vec![
        "CodeMismatchException",
        "ExpiredCodeException",
        "NotAuthorizedException",
        "InvalidPasswordException",
        "TooManyRequestsException",
    ])
    .prop_map(|code| {
        (
            400,
            json!({"__type": code, "message": "m"})
                .to_string()
                .into_bytes(),
        )
    });
    let other = prop_oneof![
        session().prop_map(|session| (
            200,
            challenge_body("SMS_MFA", Some(&session), Map::new(), &[])
        )),
        select(vec!["SUCCESS", "ERROR"]).prop_map(|status| (
            200,
            json!({"Status": status, "Session": format!("{SESSION_MARK}v")})
                .to_string()
                .into_bytes()
        )),
        Just((
            200,
            br#"{"SecretCode":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}"#.to_vec()
        )),
        Just((200, b"{}".to_vec())),
        Just((500, b"oops".to_vec())),
    ];
    prop_oneof![3 => tokens, 2 => error, 2 => other]
}

proptest! {
    #![proptest_config(cases(384))]

    /// For every user step: the snapshot holds no password, client secret or device password;
    /// `restore` gives a flow waiting for the same step under the same name whose snapshot is
    /// the same string; and the restored flow answers, reads Cognito's reply and finishes
    /// (`ConfirmDevice` included) exactly as the original does.
    #[test]
    fn snapshot_restore_is_the_identity_and_resumes_the_same_flow(
        s in scenario(),
        seed in answer_seed(),
        reply in reply(),
        elapsed in 0u64..=300,
        confirmation in any::<bool>(),
    ) {
        let mut original = drive(&s);
        let step = original.pending_step().cloned().unwrap();
        let answer = answer_for(&step, &seed);
        let snapshot = original.snapshot(at(NOW)).unwrap();
        let text = snapshot.expose();
        let printed = format!("{:?}", snapshot);
        prop_assert!(!printed.contains(text));
        assert_no_fixed_secret(&Value::Object(snapshot_document(text)).to_string());

        let mut restored = SignIn::restore(config(s.client_secret), text, restore_options(&s, NOW + elapsed)).unwrap();
        prop_assert_eq!(restored.pending_step(), Some(&step));
        prop_assert_eq!(restored.username(), original.username());
        prop_assert!(!restored.is_over());
        let again = restored.snapshot(at(NOW)).unwrap();
        prop_assert_eq!(again.expose(), text);

        // Both answer alike, read the same reply alike, and so on to the end.
        let now = at(NOW + elapsed);
        let answered = original.answer(answer.clone(), now);
        prop_assert_eq!(&restored.answer(answer, now), &answered);
        let mut outcome = answered;
        let mut replies = vec![reply, (200, json!({"UserConfirmationNecessary": confirmation}).to_string().into_bytes())];
        replies.reverse();
        while let Ok(Step::Send(_)) = &outcome {
            let Some((status, body)) = replies.pop() else { break };
            let response = HttpResponse::new(status, &body);
            outcome = original.handle_response(response, now);
            prop_assert_eq!(&restored.handle_response(response, now), &outcome);
        }
        prop_assert_eq!(restored.pending_step(), original.pending_step());
        prop_assert_eq!(restored.is_over(), original.is_over());
        prop_assert_eq!(restored.username(), original.username());
        if original.pending_step().is_some() {
            let (left, right) = (restored.snapshot(now).unwrap(), original.snapshot(now).unwrap());
            prop_assert_eq!(left.expose(), right.expose());
        }
    }

    /// The age rules: a snapshot restores from the moment it was taken until `max_age_secs`
    /// later, is `Expired` with its exact age after that and `TakenInTheFuture` before.
    #[test]
    fn snapshot_age_is_checked(s in scenario(), delta in -400i64..=400, max_age in 0u64..=360) {
        let flow = drive(&s);
        let snapshot = flow.snapshot(at(NOW)).unwrap();
        let now = NOW.checked_add_signed(delta).unwrap();
        let options = RestoreOptions { max_age_secs: max_age, ..restore_options(&s, now) };
        let got = SignIn::restore(config(s.client_secret), snapshot.expose(), options).map(|flow| flow.pending_step().cloned());
        let expected = match u64::try_from(delta) {
            Err(_) => Err(SnapshotError::TakenInTheFuture),
            Ok(age) if age > max_age => Err(SnapshotError::Expired { age_secs: age }),
            Ok(_) => Ok(flow.pending_step().cloned()),
        };
        prop_assert_eq!(got, expected);
    }
}

/// One change to a snapshot string.
#[derive(Debug, Clone)]
enum Damage {
    Replace(Index, char),
    Insert(Index, char),
    Delete(Index),
    Truncate(Index),
}

fn damage() -> impl Strategy<Value = Damage> {
    let ch = || {
        prop_oneof![
            "[A-Za-z0-9_.=+/-]",
            "[ \t\n]",
            any::<char>().prop_map(String::from)
        ]
        .prop_map(|s| s.chars().next().unwrap())
    };
    prop_oneof![
        (any::<Index>(), ch()).prop_map(|(i, c)| Damage::Replace(i, c)),
        (any::<Index>(), ch()).prop_map(|(i, c)| Damage::Insert(i, c)),
        any::<Index>().prop_map(Damage::Delete),
        any::<Index>().prop_map(Damage::Truncate),
    ]
}

fn apply(text: &str, damage: &Damage) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    match damage {
        Damage::Replace(i, c) => out[i.index(chars.len())] = *c,
        Damage::Insert(i, c) => out.insert(i.index(chars.len() + 1), *c),
        Damage::Delete(i) => {
            out.remove(i.index(chars.len()));
        }
        Damage::Truncate(i) => out.truncate(i.index(chars.len())),
    }
    out.into_iter().collect()
}

/// One change to the document inside a snapshot, re-wrapped with a valid digest.
#[derive(Debug, Clone)]
enum Edit {
    /// Drop a member of the document.
    Remove(Index),
    /// Give a member a value of another JSON type.
    Retype(Index, Index),
    /// Drop a member of `step`.
    RemoveInStep(Index),
    /// Give a member of `step` a value of another type.
    RetypeInStep(Index, Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<Index>().prop_map(Edit::Remove),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Retype(a, b)),
        any::<Index>().prop_map(Edit::RemoveInStep),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::RetypeInStep(a, b)),
    ]
}

/// Values of every JSON type but string (what the snapshot's text members hold).
fn not_a_string(index: &Index) -> Value {
    let values = [
        Value::Null,
        json!(7),
        json!(true),
        json!([]),
        json!({}),
        json!(-1.5),
    ];
    values[index.index(values.len())].clone()
}

/// Members whose loss or wrong type `restore` must refuse, and with what.
fn top_level_refusal(key: &str) -> Option<SnapshotError> {
    match key {
        "saved_at" | "typed_username" | "username" | "flow" | "challenge" | "step" => {
            Some(SnapshotError::Corrupted)
        }
        "user_pool_id" | "client_id" => Some(SnapshotError::ClientMismatch),
        // Optional, and may be absent or null: session (absent before Cognito sends one),
        // device_key (no device), device_name, stale_device, device_asked, requests. Another
        // type is damage.
        _ => None,
    }
}

/// Members of `step` each kind cannot do without.
fn step_member_required(kind: &str, key: &str) -> bool {
    key == "kind"
        || matches!(
            (kind, key),
            ("select_mfa" | "select_mfa_setup", "allowed")
                | ("set_up_totp", "secret" | "username")
                | ("new_password", "required_attributes" | "user_attributes")
                | ("custom", "parameters")
                | ("select_first_factor", "available")
                | ("web_authn", "options")
        )
}

/// Whether `value` is an acceptable value of `step`'s member `key` anyway (a list or map that
/// is still a list or map of strings, optional text that is simply not there).
fn step_member_lenient(key: &str, value: &Value) -> bool {
    match key {
        // Delivery members are optional text; a non-object delivery reads as no delivery.
        "delivery" | "friendly_device_name" => true,
        "required_attributes" | "allowed" | "available" => {
            value.as_array().is_some_and(|items| items.is_empty())
        }
        "user_attributes" | "parameters" => value.as_object().is_some_and(|map| map.is_empty()),
        _ => false,
    }
}

proptest! {
    #![proptest_config(cases(512))]

    /// Any one character replaced, inserted or deleted, or any truncation: restored only if
    /// the prefix, the version ("v1", spelled only so), the body and the digest are untouched
    /// (white space around the string is fine); otherwise refused as `UnknownFormat`,
    /// `UnsupportedVersion` or `Corrupted`, with an error that shows no secret.
    #[test]
    fn damaged_snapshots_are_refused(s in scenario(), damage in damage()) {
        let flow = drive(&s);
        let snapshot = flow.snapshot(at(NOW)).unwrap();
        let text = snapshot.expose();
        let damaged = apply(text, &damage);
        let got = SignIn::restore(config(s.client_secret), &damaged, restore_options(&s, NOW));
        let payload = |t: &str| t.trim().splitn(3, '.').nth(2).map(String::from);
        match got {
            Ok(restored) => {
                prop_assert_eq!(payload(&damaged), payload(text), "{:?}", damaged);
                prop_assert_eq!(restored.pending_step(), flow.pending_step());
                prop_assert_eq!(damaged.trim().split('.').next(), Some(SNAPSHOT_PREFIX));
                prop_assert_eq!(damaged.trim().split('.').nth(1), Some("v1"));
            }
            Err(error) => {
                assert_error_hides(&error, &scenario_secrets(&s));
                let typed = matches!(
                    error,
                    SnapshotError::UnknownFormat | SnapshotError::Corrupted
                ) || matches!(error, SnapshotError::UnsupportedVersion { version } if version != 1);
                prop_assert!(typed, "{:?} for {:?}", error, damaged);
                prop_assert!(damaged.trim() != text, "the snapshot itself was refused: {:?}", error);
            }
        }
    }

    /// With a valid envelope, a document missing a member it needs, or holding a value of the
    /// wrong type there, is refused with the typed error; optional members may go.
    #[test]
    fn incomplete_or_retyped_documents_are_refused(s in scenario(), edit in edit()) {
        let flow = drive(&s);
        let snapshot = flow.snapshot(at(NOW)).unwrap();
        let mut document = snapshot_document(snapshot.expose());
        // The untouched document in a fresh envelope restores: the envelope is right.
        let fresh = envelope(Value::Object(document.clone()).to_string().as_bytes());
        prop_assert!(SignIn::restore(config(s.client_secret), &fresh, restore_options(&s, NOW)).is_ok());

        let keys: Vec<String> = document.keys().cloned().collect();
        let mut step = document["step"].as_object().unwrap().clone();
        let kind = String::from(step["kind"].as_str().unwrap());
        let step_keys: Vec<String> = step.keys().cloned().collect();
        let expected = match &edit {
            Edit::Remove(i) => {
                let key = &keys[i.index(keys.len())];
                document.remove(key);
                top_level_refusal(key)
            }
            Edit::Retype(i, v) => {
                let key = &keys[i.index(keys.len())];
                let value = not_a_string(v);
                let refusal = match key.as_str() {
                    // saved_at is a number: a string, a fraction or a negative is wrong.
                    "saved_at" => (!matches!(&value, Value::Number(n) if n.is_u64()))
                        .then_some(SnapshotError::Corrupted),
                    // A flag: true, false, or nothing (null).
                    "stale_device" | "device_asked" => (!matches!(&value, Value::Bool(_) | Value::Null))
                        .then_some(SnapshotError::Corrupted),
                    // The requests sent so far: a count that fits u32, or nothing (null).
                    "requests" => (!(value.is_null()
                        || value.as_u64().is_some_and(|n| u32::try_from(n).is_ok())))
                        .then_some(SnapshotError::Corrupted),
                    // Required text is refused in any other type; optional text may be null.
                    _ => top_level_refusal(key)
                        .or_else(|| (!value.is_null()).then_some(SnapshotError::Corrupted)),
                };
                document.insert(key.clone(), if key == "saved_at" && refusal.is_none() { json!(NOW) } else { value });
                refusal
            }
            Edit::RemoveInStep(i) => {
                let key = &step_keys[i.index(step_keys.len())];
                step.remove(key);
                let required = step_member_required(&kind, key);
                document.insert("step".into(), Value::Object(step));
                required.then_some(SnapshotError::Corrupted)
            }
            Edit::RetypeInStep(i, v) => {
                let key = &step_keys[i.index(step_keys.len())];
                let value = not_a_string(v);
                let lenient = step_member_lenient(key, &value);
                let refused = !lenient && (key == "kind" || step_member_required(&kind, key));
                step.insert(key.clone(), value);
                document.insert("step".into(), Value::Object(step));
                refused.then_some(SnapshotError::Corrupted)
            }
        };
        let edited = envelope(Value::Object(document).to_string().as_bytes());
        let got = SignIn::restore(config(s.client_secret), &edited, restore_options(&s, NOW));
        match (expected, got) {
            (Some(expected), Err(error)) => {
                prop_assert_eq!(error, expected);
                assert_error_hides(&error, &scenario_secrets(&s));
            }
            (None, Ok(restored)) => prop_assert!(restored.pending_step().is_some()),
            (expected, got) => prop_assert!(false, "{:?}: expected {:?}, got {:?}", edit, expected, got.map(|f| f.pending_step().cloned())),
        }
    }

    /// The version has one spelling, "v1": others a number parser would read as 1 ("v01",
    /// "v+1") are `UnknownFormat`, like anything else that is not `v` and a plain number;
    /// another plain number is `UnsupportedVersion`.
    #[test]
    fn the_version_has_one_spelling(s in scenario(), (spelling, expected) in prop_oneof![
        Just((String::from("v1"), None)),
        Just((String::from("v0"), Some(SnapshotError::UnsupportedVersion { version: 0 }))),
        (2u64..100_000).prop_map(|version| {
            (format!("v{version}"), Some(SnapshotError::UnsupportedVersion { version }))
        }),
        prop_oneof![
            Just(String::from("v01")), Just(String::from("v+1")), Just(String::from("v001")),
            Just(String::from("V1")), Just(String::from("v")), Just(String::from("v-1")),
            Just(String::from("v1 ")), Just(String::from("v 1")), Just(String::from("1")),
            Just(String::from("v\u{ff11}")),
            // A leading zero, or more digits than a u64 holds.
            "v0[0-9]{1,3}", "v[0-9]{21}",
        ].prop_map(|spelling| (spelling, Some(SnapshotError::UnknownFormat))),
    ]) {
        let flow = drive(&s);
        let snapshot = flow.snapshot(at(NOW)).unwrap();
        let mut parts: Vec<&str> = snapshot.expose().split('.').collect();
        prop_assert_eq!(parts[1], "v1");
        parts[1] = &spelling;
        let respelled = parts.join(".");
        let got = SignIn::restore(config(s.client_secret), &respelled, restore_options(&s, NOW));
        match expected {
            None => prop_assert!(got.is_ok(), "{}: {:?}", spelling, got.err()),
            Some(error) => prop_assert_eq!(got.err(), Some(error), "{}", spelling),
        }
    }

    /// Arbitrary strings never panic `restore`; one that does not start with the prefix is
    /// `UnknownFormat`.
    #[test]
    fn restore_never_panics_on_strings(text in prop_oneof![
        any::<String>(),
        "[ \t\n]{0,2}[Cc]ognito-auth-sign-in(\\.v[0-9+]{0,3}(\\.[A-Za-z0-9_=-]{0,40}){0,3})?[ \n]?",
    ]) {
        let got = SignIn::restore(config(false), &text, RestoreOptions {
            now: at(NOW), max_age_secs: 300, entropy: entropy(0), device: Some(device()),
            password: Some(SecretString::new(PASSWORD)),
        });
        if text.trim().split('.').next() != Some(SNAPSHOT_PREFIX) {
            prop_assert_eq!(got.err(), Some(SnapshotError::UnknownFormat));
        } else if let Err(error) = got {
            assert_error_hides(&error, &[]);
        }
    }

    /// Arbitrary documents in a valid envelope never panic `restore`; what restores waits
    /// for a step and survives its own snapshot and restore.
    #[test]
    fn restore_never_panics_on_documents(document in snapshot_like_document(), device_given in any::<bool>()) {
        let options = || RestoreOptions {
            now: at(NOW), max_age_secs: 300, entropy: entropy(0),
            device: device_given.then(device), password: None,
        };
        let text = envelope(document.to_string().as_bytes());
        if let Ok(flow) = SignIn::restore(config(false), &text, options()) {
            let step = flow.pending_step().cloned();
            prop_assert!(step.is_some());
            let again = flow.snapshot(at(NOW)).unwrap();
            let restored = SignIn::restore(config(false), again.expose(), options()).unwrap();
            prop_assert_eq!(restored.pending_step().cloned(), step);
            prop_assert_eq!(restored.username(), flow.username());
        }
    }
}

/// Documents shaped like a snapshot's, every member optional and of any type.
fn snapshot_like_document() -> impl Strategy<Value = Value> {
    let kinds = vec![
        "sms_mfa",
        "totp",
        "otp",
        "select_mfa",
        "select_mfa_setup",
        "set_up_totp",
        "set_up_email_mfa",
        "new_password",
        "custom",
        "select_first_factor",
        "password",
        "web_authn",
        "other",
    ];
    let names = vec![
        "SMS_MFA",
        "totp",
        "EMAIL",
        "PASSWORD",
        "PASSWORD_SRP",
        "WEB_AUTHN",
        "fax",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "USER_SRP_AUTH",
        "USER_AUTH+EMAIL_OTP",
        "USER_AUTH+fax",
        "CUSTOM_AUTH+SRP",
        DEVICE_KEY,
        POOL,
        CLIENT,
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(NOW)),
        select(names).prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    let value = leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let step_keys = vec![
        "allowed",
        "secret",
        "username",
        "required_attributes",
        "user_attributes",
        "parameters",
        "available",
        "options",
        "delivery",
        "friendly_device_name",
    ];
    let step = (
        proptest::option::of(select(kinds)),
        proptest::collection::btree_map(select(step_keys), value.clone(), 0..4),
    )
        .prop_map(|(kind, members)| {
            let mut step: Map<String, Value> = members
                .into_iter()
                .map(|(k, v)| (String::from(k), v))
                .collect();
            if let Some(kind) = kind {
                step.insert("kind".into(), kind.into());
            }
            Value::Object(step)
        });
    let top_keys = vec![
        "typed_username",
        "username",
        "session",
        "flow",
        "device_key",
        "device_name",
        "stale_device",
        "challenge",
    ];
    (
        proptest::collection::btree_map(select(top_keys), value, 0..8),
        proptest::option::of(step),
        any::<bool>(),
    )
        .prop_map(|(members, step, complete)| {
            let mut document: Map<String, Value> = members
                .into_iter()
                .map(|(k, v)| (String::from(k), v))
                .collect();
            if complete {
                document.insert("saved_at".into(), json!(NOW));
                document.insert("user_pool_id".into(), POOL.into());
                document.insert("client_id".into(), CLIENT.into());
            }
            if let Some(step) = step {
                document.insert("step".into(), step);
            }
            Value::Object(document)
        })
}

// ----- handle_response in every state -----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlowState {
    /// `InitiateAuth` in flight, for each kind of start.
    Initiate(u8),
    /// An automatic `RespondToAuthChallenge` in flight (PASSWORD_SRP chosen, device SRP).
    Automatic(bool),
    /// An answered SMS code in flight.
    Answered,
    /// `AssociateSoftwareToken` in flight.
    Associating,
    /// `VerifySoftwareToken` in flight.
    Verifying,
    /// `ConfirmDevice` in flight.
    ConfirmingDevice,
    /// A user step waits.
    Waiting,
    /// Signed in.
    Over,
}

fn flow_state() -> impl Strategy<Value = FlowState> {
    prop_oneof![
        (0u8..7).prop_map(FlowState::Initiate),
        any::<bool>().prop_map(FlowState::Automatic),
        Just(FlowState::Answered),
        Just(FlowState::Associating),
        Just(FlowState::Verifying),
        Just(FlowState::ConfirmingDevice),
        Just(FlowState::Waiting),
        Just(FlowState::Over),
    ]
}

fn ok(flow: &mut SignIn, body: &Value) -> Step {
    flow.handle_response(HttpResponse::new(200, body.to_string().as_bytes()), at(NOW))
        .unwrap()
}

/// A flow in `state`, and the user step a refusal may reopen.
fn reach(state: FlowState) -> (SignIn, Option<UserStep>) {
    let password = || SecretString::new(PASSWORD);
    let start = |credentials: Credentials| {
        SignIn::start(config(true), credentials, entropy(3))
            .unwrap()
            .0
    };
    let sms = challenge_body("SMS_MFA", Some("S1"), Map::new(), &[]);
    let tokens = json!({"AuthenticationResult": {"AccessToken": "a.b.c", "ExpiresIn": 3600,
        "NewDeviceMetadata": {"DeviceKey": "eu-central-1_dev", "DeviceGroupKey": "-grp"}}});
    match state {
        FlowState::Initiate(kind) => {
            let credentials = match kind {
                0 => Credentials::srp("alice", password()),
                1 => Credentials::password("alice", password()),
                2 => Credentials::custom("alice"),
                3 => Credentials::custom_with_srp("alice", password()),
                4 => Credentials::user_auth("alice", None, Some(password())),
                5 => Credentials::auto_sign_in("alice", "sign-up-session"),
                _ => Credentials::srp("alice", password()).with_device(device()),
            };
            (start(credentials), None)
        }
        FlowState::Automatic(device_srp) => {
            if device_srp {
                let mut flow =
                    start(Credentials::password("alice", password()).with_device(device()));
                let body = challenge_body("DEVICE_SRP_AUTH", Some("S1"), Map::new(), &[]);
                let step = ok(&mut flow, &serde_json::from_slice(&body).unwrap());
                assert!(
                    matches!(step, Step::Challenge(_) | Step::Send(_)),
                    "{step:?}"
                );
                (flow, None)
            } else {
                let mut flow = start(Credentials::user_auth("alice", None, Some(password())));
                let body = challenge_body(
                    "SELECT_CHALLENGE",
                    Some("S1"),
                    Map::new(),
                    &["PASSWORD_SRP"],
                );
                let step = ok(&mut flow, &serde_json::from_slice(&body).unwrap());
                assert!(
                    matches!(step, Step::Challenge(_) | Step::Send(_)),
                    "{step:?}"
                );
                let step = flow
                    .answer(
                        ChallengeAnswer::SelectFirstFactor(FirstFactor::PasswordSrp),
                        at(NOW),
                    )
                    .unwrap();
                assert!(matches!(step, Step::Send(_)));
                (flow, None)
            }
        }
        FlowState::Answered | FlowState::Waiting | FlowState::Over => {
            let mut flow = start(Credentials::password("alice", password()));
            let step = ok(&mut flow, &serde_json::from_slice(&sms).unwrap());
            assert!(
                matches!(step, Step::Challenge(_) | Step::Send(_)),
                "{step:?}"
            );
            let step = flow.pending_step().cloned();
            match state {
                FlowState::Waiting => return (flow, step),
                FlowState::Over => {
                    let _ = flow
                        .answer(ChallengeAnswer::SmsMfaCode("123456".into()), at(NOW))
                        .unwrap();
                    let mut tokens = tokens.clone();
                    tokens["AuthenticationResult"]
                        .as_object_mut()
                        .unwrap()
                        .remove("NewDeviceMetadata");
                    assert!(matches!(ok(&mut flow, &tokens), Step::SignedIn(_)));
                    return (flow, None);
                }
                _ => {}
            }
            let _ = flow
                .answer(ChallengeAnswer::SmsMfaCode("123456".into()), at(NOW))
                .unwrap();
            (flow, step)
        }
        FlowState::Associating | FlowState::Verifying => {
            let mut flow = start(Credentials::password("alice", password()));
            let mut parameters = Map::new();
            parameters.insert("MFAS_CAN_SETUP".into(), r#"["SOFTWARE_TOKEN_MFA"]"#.into());
            let body = challenge_body("MFA_SETUP", Some("S1"), parameters, &[]);
            let step = ok(&mut flow, &serde_json::from_slice(&body).unwrap());
            assert!(
                matches!(step, Step::Challenge(_) | Step::Send(_)),
                "{step:?}"
            );
            if state == FlowState::Associating {
                return (flow, None);
            }
            let step = ok(
                &mut flow,
                &json!({"SecretCode": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "Session": "S2"}),
            );
            assert!(
                matches!(step, Step::Challenge(_) | Step::Send(_)),
                "{step:?}"
            );
            let step = flow.pending_step().cloned();
            let answer = ChallengeAnswer::TotpSetupCode {
                code: "123456".into(),
                friendly_device_name: None,
            };
            let _ = flow.answer(answer, at(NOW)).unwrap();
            (flow, step)
        }
        FlowState::ConfirmingDevice => {
            let mut flow = start(Credentials::password("alice", password()));
            assert!(matches!(ok(&mut flow, &tokens), Step::Send(_)));
            (flow, None)
        }
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
    "SOMETHING_NEW",
];

const PARAMETER_KEYS: &[&str] = &[
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

const PARAMETER_VALUES: &[&str] = &[
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

const BODY_KEYS: &[&str] = &[
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

const ERROR_TYPES: &[&str] = &[
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
fn cognito_json() -> impl Strategy<Value = Value> {
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

fn challenge_json() -> impl Strategy<Value = Vec<u8>> {
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
type VerifierParameters = (String, String, String, Option<String>);

/// Verifier parameters, each tagged with whether it is well formed: a salt of hex digits
/// (optionally negative, as Cognito sends), an `SRP_B` of 101 to 768 hex digits without a
/// leading zero (never a multiple of N), a base64 secret block. The other shapes may be
/// refused.
fn tagged_verifier_parameters() -> impl Strategy<Value = (VerifierParameters, bool)> {
    (
        prop_oneof![
            3 => "-?[0-9a-f]{1,40}".prop_map(|s| (s, true)),
            1 => "[0-9a-fA-Fx -]{0,8}".prop_map(|s| (s, false)),
        ],
        prop_oneof![
            4 => "[1-9a-f][0-9a-f]{100,767}".prop_map(|s| (s, true)),
            1 => Just((String::from(srp_server::N_HEX), false)),
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

fn verifier_parameters() -> impl Strategy<Value = VerifierParameters> {
    tagged_verifier_parameters().prop_map(|(parameters, _)| parameters)
}

fn verifier_body(name: &str, (salt, srp_b, secret_block, user_id): &VerifierParameters) -> Vec<u8> {
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
fn verifier_json() -> impl Strategy<Value = Vec<u8>> {
    (
        select(vec!["PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER"]),
        verifier_parameters(),
    )
        .prop_map(|(name, parameters)| verifier_body(name, &parameters))
}

/// `AuthenticationResult`s, well-formed or nearly.
fn tokens_json() -> impl Strategy<Value = Vec<u8>> {
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
fn any_response() -> impl Strategy<Value = (u16, Option<String>, Vec<u8>)> {
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

proptest! {
    #![proptest_config(cases(1024))]

    /// Any response in any state: no panic, and the flow's state agrees with the outcome. A
    /// step handed out is the one waiting; a request to send means neither waiting nor over;
    /// terminal steps end the flow; an error that keeps a step open leaves exactly the step
    /// that was answered waiting, any other error ends the flow; a response with nothing in
    /// flight changes nothing. No secret shows in any error or in the flow's `Debug`.
    #[test]
    fn any_response_in_any_state_keeps_the_flow_consistent(
        state in flow_state(),
        (status, header, body) in any_response(),
    ) {
        let (mut flow, reopens) = reach(state);
        let before = flow.pending_step().cloned();
        let was_over = flow.is_over();
        let response = HttpResponse::new(status, &body).with_error_type(header.as_deref());
        let result = flow.handle_response(response, at(NOW));
        assert_no_fixed_secret(&format!("{result:?} {flow:?}"));
        match &result {
            Ok(Step::Challenge(step)) => prop_assert_eq!(flow.pending_step(), Some(step)),
            Ok(Step::Send(request)) => {
                prop_assert!(!flow.is_over() && flow.pending_step().is_none());
                let _ = body_json(request);
            }
            Ok(Step::SignedIn(_) | Step::ConfirmSignUp { .. } | Step::ResetPassword { .. }) => {
                prop_assert!(flow.is_over());
            }
            Ok(other) => prop_assert!(false, "unknown step {:?}", other),
            Err(SignInError::NoRequestInFlight) => {
                prop_assert!(before.is_some());
                prop_assert_eq!(flow.pending_step(), before.as_ref());
            }
            Err(SignInError::Finished) => prop_assert!(was_over && flow.is_over()),
            Err(error) => {
                assert_no_fixed_secret(&error.to_string());
                if flow.pending_step().is_some() {
                    prop_assert!(error.step_still_open(), "{:?} left a step open", error);
                    prop_assert_eq!(flow.pending_step(), reopens.as_ref());
                } else {
                    prop_assert!(flow.is_over(), "{:?}", error);
                }
                // In every state, the error says whether a step waits (a refusal of a kind
                // that keeps steps open, sent to InitiateAuth or an automatic SRP leg, ends
                // the flow and must say so).
                if before.is_none() {
                    prop_assert_eq!(error.step_still_open(), flow.pending_step().is_some(), "{:?}", error);
                }
            }
        }
        if !matches!(result, Err(SignInError::NoRequestInFlight | SignInError::Finished)) {
            prop_assert!(!was_over);
        }
        // A flow waiting after this snapshots and restores to the same step.
        if let Some(step) = flow.pending_step() {
            let snapshot = flow.snapshot(at(NOW)).unwrap();
            let options = RestoreOptions {
                now: at(NOW), max_age_secs: 60, entropy: entropy(4),
                device: Some(device()), password: None,
            };
            let restored = SignIn::restore(config(true), snapshot.expose(), options).unwrap();
            prop_assert_eq!(restored.pending_step(), Some(step));
        }
    }
}

// ----- account operations -----

const ACCESS: &str = "ACCESS-TOKEN-sentinel-eyJraWQ.x.y";
const REFRESH: &str = "REFRESH-TOKEN-sentinel-eyJjdHk.a.b.c.d";

/// Every account operation's `parse_response` on `response`: the operation's name and its
/// outcome, with a successful output in `Debug` form.
fn parse_with_every_operation(
    response: HttpResponse<'_>,
) -> Vec<(&'static str, Result<String, AccountError>)> {
    fn run<O: AccountOperation>(
        operation: &O,
        response: HttpResponse<'_>,
    ) -> Result<String, AccountError>
    where
        O::Output: core::fmt::Debug,
    {
        operation
            .parse_response(response)
            .map(|output| format!("{output:?}"))
    }
    let access = || SecretString::new(ACCESS);
    let password = |p: &str| SecretString::new(&format!("{PASSWORD}{p}"));
    vec![
        ("ListDevices", run(&ListDevices::new(access()), response)),
        (
            "ForgetDevice",
            run(&ForgetDevice::new(access(), DEVICE_KEY), response),
        ),
        (
            "UpdateDeviceStatus",
            run(
                &UpdateDeviceStatus::new(access(), DEVICE_KEY, true),
                response,
            ),
        ),
        (
            "SetUserMfaPreference",
            run(&SetUserMfaPreference::new(access()), response),
        ),
        (
            "AssociateSoftwareToken",
            run(&AssociateSoftwareToken::new(access(), "alice"), response),
        ),
        (
            "VerifySoftwareToken",
            run(&VerifySoftwareToken::new(access(), "123456"), response),
        ),
        (
            "ForgotPassword",
            run(&ForgotPassword::new("alice"), response),
        ),
        (
            "ConfirmForgotPassword",
            run(
                &ConfirmForgotPassword::new("alice", "123456", password("1")),
                response,
            ),
        ),
        (
            "SignUp",
            run(&SignUp::new("alice", password("2")), response),
        ),
        (
            "ConfirmSignUp",
            run(&ConfirmSignUp::new("alice", "123456"), response),
        ),
        (
            "ResendConfirmationCode",
            run(&ResendConfirmationCode::new("alice"), response),
        ),
        (
            "GetTokensFromRefreshToken",
            run(
                &GetTokensFromRefreshToken::new(SecretString::new(REFRESH)),
                response,
            ),
        ),
        (
            "RefreshTokenAuth",
            run(
                &RefreshTokenAuth::new(SecretString::new(REFRESH), "alice"),
                response,
            ),
        ),
        (
            "RevokeToken",
            run(&RevokeToken::new(SecretString::new(REFRESH)), response),
        ),
        (
            "GlobalSignOut",
            run(&GlobalSignOut::new(access()), response),
        ),
        (
            "ChangePassword",
            run(
                &ChangePassword::new(access(), password("3"), password("4")),
                response,
            ),
        ),
        ("GetUser", run(&GetUser::new(access()), response)),
        (
            "UpdateUserAttributes",
            run(
                &UpdateUserAttributes::new(access(), [("name", "Alice")]),
                response,
            ),
        ),
        (
            "VerifyUserAttribute",
            run(
                &VerifyUserAttribute::new(access(), "email", "123456"),
                response,
            ),
        ),
        (
            "GetUserAttributeVerificationCode",
            run(
                &GetUserAttributeVerificationCode::new(access(), "email"),
                response,
            ),
        ),
    ]
}

proptest! {
    #![proptest_config(cases(768))]

    /// Every account operation reads any response without panicking: a non-2xx status is
    /// always the service error with that status; a 2xx body is an output or a response-side
    /// error (never an input error); no output or error shows the operation's tokens or
    /// passwords.
    #[test]
    fn every_account_operation_reads_any_response(
        (status, header, body) in any_response(),
        shaped in any::<bool>(),
    ) {
        // Half the time a 2xx, for the bodies to be read at all.
        let status = if shaped { 200 + status % 100 } else { status };
        let response = HttpResponse::new(status, &body).with_error_type(header.as_deref());
        let outcomes = parse_with_every_operation(response);
        prop_assert_eq!(outcomes.len(), 20);
        for (name, outcome) in outcomes {
            let printed = match &outcome {
                Ok(output) => output.clone(),
                Err(error) => format!("{error} {error:?}"),
            };
            assert_no_fixed_secret(&printed);
            prop_assert!(!printed.contains(ACCESS) && !printed.contains(REFRESH), "{}: {}", name, printed);
            if !(200..300).contains(&status) {
                match outcome {
                    Err(AccountError::Service(error)) => prop_assert_eq!(error.status(), status),
                    other => prop_assert!(false, "{}: {:?}", name, other),
                }
            } else if let Err(error) = outcome {
                let response_side = matches!(
                    error,
                    AccountError::Response(_) | AccountError::Totp(_) | AccountError::TotpSetupCodeRejected
                );
                prop_assert!(response_side, "{}: {:?}", name, error);
            }
        }
    }
}

// ----- small parsers -----

/// `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters (ASCII `\w`), split at the last `_`.
fn reference_pool_id(id: &str) -> Option<(&str, &str)> {
    if id.is_empty() || id.len() > 55 {
        return None;
    }
    let (region, name) = id.rsplit_once('_')?;
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric());
    (region_ok && name_ok).then_some((region, name))
}

/// A region `Endpoint::for_region` takes: lower-case letters, digits, inner hyphens, ≤ 32.
fn region_has_endpoint(region: &str) -> bool {
    let bytes = region.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 32
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

const MFA_SPELLINGS: &[(&str, MfaType)] = &[
    ("SMS", MfaType::Sms),
    ("SMS_MFA", MfaType::Sms),
    ("TOTP", MfaType::Totp),
    ("SOFTWARE_TOKEN_MFA", MfaType::Totp),
    ("EMAIL", MfaType::Email),
    ("EMAIL_OTP", MfaType::Email),
    ("EMAIL_MFA", MfaType::Email),
];

const FACTOR_SPELLINGS: &[(&str, FirstFactor)] = &[
    ("PASSWORD", FirstFactor::Password),
    ("PASSWORD_SRP", FirstFactor::PasswordSrp),
    ("EMAIL_OTP", FirstFactor::EmailOtp),
    ("SMS_OTP", FirstFactor::SmsOtp),
    ("WEB_AUTHN", FirstFactor::WebAuthn),
];

/// A spelling in random ASCII case, with white space around it.
fn spelled(spellings: &'static [&'static str]) -> impl Strategy<Value = String> {
    (
        select(spellings),
        proptest::collection::vec(any::<bool>(), 20),
        "[ \t\u{a0}\u{3000}]{0,2}",
        "[ \t\n]{0,2}",
    )
        .prop_map(|(name, upper, before, after)| {
            let cased: String = name
                .chars()
                .zip(upper)
                .map(|(c, up)| {
                    if up {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            format!("{before}{cased}{after}")
        })
}

const ALL_SPELLINGS: &[&str] = &[
    "SMS",
    "SMS_MFA",
    "TOTP",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL",
    "EMAIL_OTP",
    "EMAIL_MFA",
    "PASSWORD",
    "PASSWORD_SRP",
    "SMS_OTP",
    "WEB_AUTHN",
];

proptest! {
    #![proptest_config(cases(1024))]

    /// `UserPoolId::parse` accepts exactly Cognito's pattern, splits at the last `_`, and
    /// refuses everything else with the error for the first problem (an invalid character at
    /// its byte offset, on a character boundary); the endpoint exists for DNS-like regions.
    #[test]
    fn user_pool_ids_follow_cognitos_pattern(id in prop_oneof![
        "[a-z]{2}(-[a-z]{3,9}){1,2}-[0-9]_[A-Za-z0-9]{1,12}",
        "[A-Za-z0-9_-]{0,12}_[A-Za-z0-9]{0,12}",
        "[A-Za-z0-9_ é.-]{0,60}",
        any::<String>(),
    ]) {
        let parsed = UserPoolId::parse(&id);
        let expected = reference_pool_id(&id);
        match (&parsed, expected) {
            (Ok(pool), Some((region, name))) => {
                prop_assert_eq!(pool.as_str(), id.as_str());
                prop_assert_eq!(pool.region(), region);
                prop_assert_eq!(pool.pool_name(), name);
                prop_assert_eq!(pool.to_string(), id.clone());
                let endpoint = Endpoint::for_user_pool(pool);
                prop_assert_eq!(endpoint.is_ok(), region_has_endpoint(region));
                if let Ok(endpoint) = endpoint {
                    let url = format!("https://cognito-idp.{}.amazonaws.com", region);
                    prop_assert!(endpoint.as_str().starts_with(&url));
                }
            }
            (Err(error), None) => {
                let expected_kind = match error {
                    UserPoolIdError::Empty => id.is_empty(),
                    UserPoolIdError::TooLong { len } => *len == id.len() && id.len() > 55,
                    UserPoolIdError::MissingUnderscore => !id.contains('_'),
                    UserPoolIdError::EmptyRegion => id.rfind('_') == Some(0),
                    UserPoolIdError::EmptyPoolName => id.ends_with('_'),
                    UserPoolIdError::InvalidCharacter { position } => {
                        let underscore = id.rfind('_').unwrap();
                        let allowed = |at: usize, b: u8| b.is_ascii_alphanumeric()
                            || (at < underscore && (b == b'_' || b == b'-'))
                            || at == underscore;
                        id.is_char_boundary(*position)
                            && !allowed(*position, id.as_bytes()[*position])
                            && id.bytes().take(*position).enumerate().all(|(at, b)| allowed(at, b))
                    }
                    _ => false,
                };
                prop_assert!(expected_kind, "{:?} for {:?}", error, id);
                prop_assert!(!error.to_string().is_empty());
            }
            (parsed, expected) => prop_assert!(false, "{:?}: parsed {:?}, expected {:?}", id, parsed, expected),
        }
    }

    /// `MfaType::parse` and `FirstFactor::parse` read every documented spelling in any ASCII
    /// case with white space around it, and nothing else.
    #[test]
    fn mfa_and_first_factor_names_parse_as_documented(
        spelling in spelled(ALL_SPELLINGS),
        other in prop_oneof![
            "[A-Za-z_ ]{0,20}",
            "(SMS|sms|TOTP|EMAIL|MFA|OTP|SOFTWARE_TOKEN|PASSWORD|SRP|WEB|AUTHN|_| ){1,4}",
            any::<String>(),
        ],
    ) {
        for input in [spelling.as_str(), other.as_str()] {
            let name = input.trim();
            let mfa = MFA_SPELLINGS.iter().find(|(s, _)| s.eq_ignore_ascii_case(name)).map(|(_, t)| *t);
            prop_assert_eq!(MfaType::parse(input), mfa, "{:?}", input);
            let factor = FACTOR_SPELLINGS.iter().find(|(s, _)| s.eq_ignore_ascii_case(name)).map(|(_, f)| *f);
            prop_assert_eq!(FirstFactor::parse(input), factor, "{:?}", input);
        }
        prop_assert!(MfaType::parse(&spelling).is_some() || FirstFactor::parse(&spelling).is_some());
        for (_, t) in MFA_SPELLINGS {
            prop_assert_eq!(MfaType::parse(t.as_str()), Some(*t));
        }
        for (_, f) in FACTOR_SPELLINGS {
            prop_assert_eq!(FirstFactor::parse(f.as_str()), Some(*f));
        }
    }
}

// ----- JWT claims -----

/// A claim: absent, `null`, or a value.
fn claim(good: BoxedStrategy<Value>) -> impl Strategy<Value = Option<Value>> {
    let bad = prop_oneof![
        any::<bool>().prop_map(Value::from),
        Just(json!([1])),
        Just(json!({"a": "b"})),
        any::<i32>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    proptest::option::of(prop_oneof![
        1 => Just(Value::Null),
        4 => good,
        1 => bad,
    ])
}

fn string_claim() -> impl Strategy<Value = Option<Value>> {
    claim(text().prop_map(Value::from).boxed())
}

fn date_claim() -> impl Strategy<Value = Option<Value>> {
    claim(
        prop_oneof![
            any::<u64>().prop_map(Value::from),
            (0f64..4e9).prop_map(Value::from),
            (-1000i64..0).prop_map(Value::from),
        ]
        .boxed(),
    )
}

/// A NumericDate as documented: non-negative seconds, fractions rounded down.
fn reference_date(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        }),
        _ => None,
    }
}

/// What `JwtClaims::read` must make of these claims, checked in the documented order.
#[allow(clippy::type_complexity)]
fn reference_claims(
    claims: &BTreeMap<&str, Value>,
) -> Result<
    (
        u64,
        Option<u64>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    &'static str,
> {
    let get = |name: &str| claims.get(name).filter(|v| !v.is_null());
    let string = |name: &'static str| match get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(name),
    };
    let exp = claims.get("exp").and_then(reference_date).ok_or("exp")?;
    let iat = match get("iat") {
        None => None,
        Some(value) => Some(reference_date(value).ok_or("iat")?),
    };
    let sub = string("sub")?.filter(|s| !s.is_empty()).ok_or("sub")?;
    let username = match string("username")? {
        Some(name) => Some(name),
        None => string("cognito:username")?,
    };
    let token_use = string("token_use")?;
    let client_id = match string("client_id")? {
        Some(id) => Some(id),
        None => match get("aud") {
            None => None,
            Some(Value::String(aud)) => Some(aud.clone()),
            Some(Value::Array(items)) => {
                if items.iter().any(|item| !item.is_string()) {
                    return Err("aud");
                }
                match items.as_slice() {
                    [Value::String(one)] => Some(one.clone()),
                    _ => None,
                }
            }
            Some(_) => return Err("aud"),
        },
    };
    let iss = string("iss")?;
    Ok((exp, iat, sub, username, token_use, client_id, iss))
}

proptest! {
    #![proptest_config(cases(768))]

    /// Claims of every type: `read` keeps what the documentation promises (`null` is absent,
    /// `username` falls back to `cognito:username`, `client_id` to a one-element `aud`,
    /// dates round down) and names the first claim of the wrong type; base64url padding and
    /// the standard alphabet's absence do not matter.
    #[test]
    fn jwt_claims_follow_the_type_rules(
        exp in date_claim(),
        iat in date_claim(),
        sub in claim(prop_oneof![Just(Value::from("")), "[0-9a-f-]{1,36}".prop_map(Value::from)].boxed()),
        username in string_claim(),
        cognito_username in string_claim(),
        token_use in claim(select(vec!["access", "id", "other"]).prop_map(Value::from).boxed()),
        client_id in string_claim(),
        aud in claim(prop_oneof![
            text().prop_map(Value::from),
            proptest::collection::vec(text().prop_map(Value::from), 0..3).prop_map(Value::Array),
            Just(json!(["a", 1])),
        ].boxed()),
        iss in string_claim(),
        padded in any::<bool>(),
        signature in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let mut claims: BTreeMap<&str, Value> = BTreeMap::new();
        for (name, value) in [
            ("exp", exp), ("iat", iat), ("sub", sub), ("username", username),
            ("cognito:username", cognito_username), ("token_use", token_use),
            ("client_id", client_id), ("aud", aud), ("iss", iss),
        ] {
            if let Some(value) = value {
                claims.insert(name, value);
            }
        }
        let payload = json!(claims).to_string();
        let encode = |bytes: &[u8]| if padded { URL_SAFE.encode(bytes) } else { URL_SAFE_NO_PAD.encode(bytes) };
        let token = format!("{}.{}.{}", encode(br#"{"alg":"RS256","kid":"k"}"#), encode(payload.as_bytes()), encode(&signature));
        let got = JwtClaims::read(&token);
        match reference_claims(&claims) {
            Ok((exp, iat, sub, username, token_use, client_id, iss)) => {
                let claims = got.unwrap();
                prop_assert_eq!(claims.exp, at(exp));
                prop_assert_eq!(claims.iat, iat.map(at));
                prop_assert_eq!(claims.sub, sub);
                prop_assert_eq!(claims.username, username);
                let token_use = token_use.map(|t| match t.as_str() {
                    "access" => TokenUse::Access,
                    "id" => TokenUse::Id,
                    _ => TokenUse::Other(t),
                });
                prop_assert_eq!(claims.token_use, token_use);
                prop_assert_eq!(claims.client_id, client_id);
                prop_assert_eq!(claims.iss, iss);
            }
            Err(claim) => prop_assert_eq!(got, Err(JwtError::InvalidClaim { claim })),
        }
    }
}

proptest! {
    #![proptest_config(cases(96))]

    /// The automatic SRP legs read any `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER`: the
    /// claim goes back with the secret block verbatim, a 32-byte signature, the timestamp of
    /// `now`, the canonical name, its `SECRET_HASH` and the device key. Well-formed parameters
    /// must get that claim; others may instead end the flow with the typed SRP error. (The
    /// signature itself is checked against a server in `srp.rs`.)
    #[test]
    fn srp_legs_answer_any_verifier_challenge(
        state in select(vec![
            FlowState::Initiate(0),
            FlowState::Initiate(3),
            FlowState::Initiate(6),
            FlowState::Automatic(false),
            FlowState::Automatic(true),
        ]),
        (parameters, well_formed) in tagged_verifier_parameters(),
    ) {
        let (mut flow, _) = reach(state);
        let device_leg = state == FlowState::Automatic(true);
        let name = if device_leg { "DEVICE_PASSWORD_VERIFIER" } else { "PASSWORD_VERIFIER" };
        let body = verifier_body(name, &parameters);
        match flow.handle_response(HttpResponse::new(200, &body), at(NOW)) {
            Ok(Step::Send(request)) => {
                prop_assert_eq!(request.operation(), Operation::RespondToAuthChallenge);
                let body = body_json(&request);
                prop_assert_eq!(body["ChallengeName"].as_str(), Some(name));
                let responses = body["ChallengeResponses"].as_object().unwrap();
                let username = parameters.3.as_deref().unwrap_or("alice");
                prop_assert_eq!(responses["USERNAME"].as_str(), Some(username));
                let hash = reference_secret_hash(username, CLIENT, CLIENT_SECRET);
                prop_assert_eq!(responses["SECRET_HASH"].as_str(), Some(hash.as_str()));
                let with_device = matches!(state, FlowState::Initiate(6) | FlowState::Automatic(true));
                prop_assert_eq!(responses.get("DEVICE_KEY").and_then(Value::as_str), with_device.then_some(DEVICE_KEY));
                prop_assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"].as_str(), Some(parameters.2.as_str()));
                let signature = STANDARD.decode(responses["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap()).unwrap();
                prop_assert_eq!(signature.len(), 32);
                // NOW as GNU `date -u -d @1800000000` prints it, in Cognito's form.
                prop_assert_eq!(responses["TIMESTAMP"].as_str(), Some("Fri Jan 15 08:00:00 UTC 2027"));
                prop_assert!(!flow.is_over() && flow.pending_step().is_none());
            }
            Err(SignInError::Srp(error)) => {
                prop_assert!(!well_formed, "well-formed parameters refused: {:?}", error);
                prop_assert!(flow.is_over());
                assert_no_fixed_secret(&format!("{error} {error:?}"));
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }
}
