//! The state diagram in `SignIn`'s docs against the machine: every documented edge is taken
//! by one of the scenarios below, and every transition the scenarios make is documented.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use alloc::collections::BTreeSet;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::{
    ChallengeAnswer, ClientConfig, Credentials, Entropy, FirstFactor, HttpResponse, MfaType,
    RememberedDevice, SignIn,
};
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::user_pool_id::UserPoolId;

type Edge = (String, String);

/// `A --> B` pairs of the mermaid block in machine.rs's docs.
fn documented() -> BTreeSet<Edge> {
    include_str!("machine.rs")
        .lines()
        .filter_map(|line| line.trim().strip_prefix("///"))
        .filter_map(|line| {
            let (from, rest) = line.trim().split_once(" --> ")?;
            let to = rest.split(':').next()?.trim();
            Some((from.trim().to_string(), to.to_string()))
        })
        .collect()
}

/// Drives a machine and records each transition.
struct Recorder {
    edges: BTreeSet<Edge>,
}

impl Recorder {
    fn start(&mut self, credentials: Credentials) -> SignIn {
        let config =
            ClientConfig::new(UserPoolId::parse("us-east-1_Abc123XyZ").unwrap(), "c").unwrap();
        let (flow, _) = SignIn::start(config, credentials, Entropy::from_bytes([4; 32])).unwrap();
        self.edges
            .insert(("[*]".to_string(), flow.state.name().to_string()));
        flow
    }

    fn record(&mut self, flow: &SignIn, before: &'static str) {
        self.edges
            .insert((before.to_string(), flow.state.name().to_string()));
    }

    fn reply(&mut self, flow: &mut SignIn, status: u16, body: &Value) {
        let before = flow.state.name();
        let _ = flow.handle_response(
            HttpResponse::new(status, body.to_string().as_bytes()),
            UnixTime::from_secs(1_800_000_000),
        );
        self.record(flow, before);
    }

    fn answer(&mut self, flow: &mut SignIn, answer: ChallengeAnswer) {
        let before = flow.state.name();
        let _ = flow.answer(answer, UnixTime::from_secs(1_800_000_000));
        self.record(flow, before);
    }
}

fn challenge(name: &str, parameters: Value) -> Value {
    json!({"ChallengeName": name, "Session": "S", "ChallengeParameters": parameters})
}

fn verifier(name: &str) -> Value {
    challenge(
        name,
        json!({"SALT": "ab12", "SRP_B": "abcdef0123456789", "SECRET_BLOCK": "c2VjcmV0", "USERNAME": "alice"}),
    )
}

fn tokens(new_device: bool) -> Value {
    let mut body = json!({"AuthenticationResult": {"AccessToken": "a", "ExpiresIn": 3600}});
    if new_device {
        body["AuthenticationResult"]["NewDeviceMetadata"] =
            json!({"DeviceKey": "us-east-1_k", "DeviceGroupKey": "-g"});
    }
    body
}

fn refusal(code: &str, message: &str) -> Value {
    json!({"__type": code, "message": message})
}

fn password() -> SecretString {
    SecretString::new("Correct-Horse-9!")
}

fn device() -> RememberedDevice {
    RememberedDevice {
        device_key: "us-east-1_d".into(),
        device_group_key: "-g".into(),
        device_password: SecretString::new("device-password"),
    }
}

const TOTP_SECRET: &str = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";

fn code(code: &str) -> ChallengeAnswer {
    ChallengeAnswer::SmsMfaCode(code.into())
}

#[test]
fn the_documented_diagram_is_the_machine() {
    let mut r = Recorder {
        edges: BTreeSet::new(),
    };

    // SRP with a device: verifier, device SRP, device verifier, tokens with a new device.
    let mut flow = r.start(Credentials::srp("alice", password()).with_device(device()));
    r.reply(&mut flow, 200, &verifier("PASSWORD_VERIFIER"));
    r.reply(&mut flow, 200, &challenge("DEVICE_SRP_AUTH", json!({})));
    r.reply(&mut flow, 200, &verifier("DEVICE_PASSWORD_VERIFIER"));
    r.reply(&mut flow, 200, &tokens(true));
    r.reply(&mut flow, 200, &json!({}));
    assert!(flow.is_over());

    // The stale-device restart, then an SMS code: a wrong format, a refused code, tokens.
    let mut flow = r.start(Credentials::password("alice", password()).with_device(device()));
    r.reply(
        &mut flow,
        400,
        &refusal("ResourceNotFoundException", "Device does not exist."),
    );
    r.reply(&mut flow, 200, &challenge("SMS_MFA", json!({})));
    r.answer(&mut flow, code("12x456"));
    r.answer(&mut flow, code("123456"));
    r.reply(
        &mut flow,
        400,
        &refusal("CodeMismatchException", "Invalid code"),
    );
    r.answer(&mut flow, code("654321"));
    r.reply(&mut flow, 200, &tokens(false));
    assert!(flow.is_over());

    // MFA setup, TOTP only: associate, a refused first code, success, MFA_SETUP, tokens.
    let mut flow = r.start(Credentials::password("alice", password()));
    let setup = json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"});
    r.reply(&mut flow, 200, &challenge("MFA_SETUP", setup));
    r.reply(&mut flow, 200, &json!({"SecretCode": TOTP_SECRET}));
    let first_code = || ChallengeAnswer::TotpSetupCode {
        code: "123456".into(),
        friendly_device_name: None,
    };
    r.answer(&mut flow, first_code());
    r.reply(&mut flow, 200, &json!({"Status": "ERROR"}));
    r.answer(&mut flow, first_code());
    r.reply(&mut flow, 200, &json!({"Status": "SUCCESS"}));
    r.reply(&mut flow, 200, &tokens(false));
    assert!(flow.is_over());

    // MFA setup with a choice: email (a step), then TOTP from a second sign-in; refusals end.
    let choice = json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"});
    let mut flow = r.start(Credentials::password("alice", password()));
    r.reply(&mut flow, 200, &challenge("MFA_SETUP", choice.clone()));
    r.answer(
        &mut flow,
        ChallengeAnswer::SelectMfaSetupType(MfaType::Email),
    );
    assert!(!flow.is_over());
    let mut flow = r.start(Credentials::password("alice", password()));
    r.reply(&mut flow, 200, &challenge("MFA_SETUP", choice.clone()));
    r.answer(
        &mut flow,
        ChallengeAnswer::SelectMfaSetupType(MfaType::Totp),
    );
    r.reply(
        &mut flow,
        400,
        &refusal("NotAuthorizedException", "session expired"),
    );
    assert!(flow.is_over());
    let mut flow = r.start(Credentials::password("alice", password()));
    r.reply(&mut flow, 200, &challenge("MFA_SETUP", choice));
    r.answer(
        &mut flow,
        ChallengeAnswer::SelectMfaSetupType(MfaType::Totp),
    );
    r.reply(&mut flow, 200, &json!({"SecretCode": TOTP_SECRET}));
    r.answer(&mut flow, first_code());
    r.reply(
        &mut flow,
        400,
        &refusal("NotAuthorizedException", "session expired"),
    );
    assert!(flow.is_over());

    // USER_AUTH: a password factor chosen without a password, an unexpected challenge.
    let mut flow = r.start(Credentials::user_auth("alice", None, None));
    let mut select = challenge("SELECT_CHALLENGE", json!({}));
    select["AvailableChallenges"] = json!(["PASSWORD_SRP", "EMAIL_OTP"]);
    r.reply(&mut flow, 200, &select);
    r.answer(
        &mut flow,
        ChallengeAnswer::SelectFirstFactor(FirstFactor::PasswordSrp),
    );
    r.answer(&mut flow, ChallengeAnswer::Password(password()));
    r.reply(&mut flow, 200, &challenge("SELECT_CHALLENGE", json!({})));
    assert!(flow.is_over());

    // Terminal steps from refusals.
    let mut flow = r.start(Credentials::srp("alice", password()));
    r.reply(
        &mut flow,
        400,
        &refusal("UserNotConfirmedException", "not confirmed"),
    );
    assert!(flow.is_over());

    // The request limit reached from a waiting step.
    let mut flow = r.start(Credentials::custom("alice"));
    let mut rounds = 0;
    while !flow.is_over() {
        r.reply(&mut flow, 200, &challenge("CUSTOM_CHALLENGE", json!({})));
        r.answer(
            &mut flow,
            ChallengeAnswer::CustomChallenge(SecretString::new("x")),
        );
        rounds += 1;
        assert!(rounds < 100);
    }

    let documented = documented();
    let missing: Vec<&Edge> = documented.difference(&r.edges).collect();
    let undocumented: Vec<&Edge> = r.edges.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "documented but never taken: {missing:?}"
    );
    assert!(
        undocumented.is_empty(),
        "taken but not documented: {undocumented:?}"
    );
    assert_eq!(documented.len(), 17, "{documented:?}");
}
