//! A canned Cognito conversation for the sign-in benchmarks: a `USER_SRP_AUTH` sign-in whose
//! `PASSWORD_VERIFIER` challenge comes from an SRP server written here on num-bigint-dig (not the
//! core), then a `SOFTWARE_TOKEN_MFA` challenge to snapshot and restore.

use cognito_auth_core::sign_in::{
    ClientConfig, Credentials, Entropy, HttpResponse, RestoreOptions, SignIn, Step,
};
use cognito_auth_core::{Request, SecretString, UnixTime, UserPoolId};
use num_bigint_dig::{BigInt, BigUint};
use serde_json::{Value, json};

use crate::dig::{Group, pad};
use crate::{derive_key, hash, signature};

/// The pool.
pub const POOL_ID: &str = "us-east-1_Abc123XyZ";
/// The app client.
pub const CLIENT_ID: &str = "2od40example";
/// What the user types.
pub const USERNAME: &str = "alice@example.com";
/// Cognito's name for the user (`USER_ID_FOR_SRP`).
pub const USER_ID: &str = "9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60";
/// The password.
pub const PASSWORD: &str = "Correct-Horse-9!";
/// `SALT`.
pub const SALT: &str = "8ce8291892390f6b53a245933faf6164";
/// `SECRET_BLOCK`.
pub const SECRET_BLOCK: &str = "c2VjcmV0LWJsb2NrLWZyb20tY29nbml0bw==";
/// The clock.
pub const NOW: u64 = 1_800_000_000;

/// The server side of one exchange: v, b and B for the user above.
#[derive(Clone, Debug)]
pub struct SrpServer {
    group: Group,
    verifier: BigUint,
    b: BigUint,
    /// B = k·v + g^b mod N.
    pub b_pub: BigUint,
}

impl SrpServer {
    /// v = g^x for the fixed user and salt; b is 32 bytes from a fixed seed.
    pub fn new() -> Self {
        let group = Group::new();
        let salt = BigInt::parse_bytes(SALT.as_bytes(), 16).unwrap();
        let pool_name = POOL_ID.split_once('_').unwrap().1;
        let inner = hash(&[
            pool_name.as_bytes(),
            USER_ID.as_bytes(),
            b":",
            PASSWORD.as_bytes(),
        ]);
        let x = BigUint::from_bytes_be(&hash(&[&salt.to_signed_bytes_be(), &inner]));
        let verifier = group.g.modpow(&x, &group.n);
        let b = BigUint::from_bytes_be(&hash(&[b"cognito-auth bench server b"]));
        let b_pub = (&group.k * &verifier + group.g.modpow(&b, &group.n)) % &group.n;
        Self {
            group,
            verifier,
            b,
            b_pub,
        }
    }

    /// The `PASSWORD_CLAIM_SIGNATURE` the server expects for the client's `SRP_A` (hex).
    pub fn expected_signature(&self, srp_a: &str, timestamp_now: u64) -> String {
        let n = &self.group.n;
        let a_pub = BigUint::parse_bytes(srp_a.as_bytes(), 16).unwrap();
        let u = BigUint::from_bytes_be(&hash(&[&pad(&a_pub), &pad(&self.b_pub)]));
        let s = (a_pub * self.verifier.modpow(&u, n)).modpow(&self.b, n);
        let inputs = crate::SrpInputs {
            a: Vec::new(),
            pool_name: POOL_ID.split_once('_').unwrap().1.to_owned(),
            user: USER_ID.to_owned(),
            password: String::new(),
            salt: SALT.to_owned(),
            srp_b: String::new(),
            secret_block: SECRET_BLOCK.to_owned(),
            now: timestamp_now,
        };
        signature(&derive_key(&pad(&u), &pad(&s)), &inputs)
    }
}

impl Default for SrpServer {
    fn default() -> Self {
        Self::new()
    }
}

/// The client configuration.
pub fn config() -> ClientConfig {
    ClientConfig::new(UserPoolId::parse(POOL_ID).unwrap(), CLIENT_ID).unwrap()
}

/// The fixed randomness of the sign-in.
pub fn entropy() -> Entropy {
    Entropy::from_bytes(hash(&[b"cognito-auth bench entropy"]))
}

/// The clock of the conversation.
pub fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

/// `SignIn::start` for `USER_SRP_AUTH`: the flow and its `InitiateAuth` request.
pub fn start() -> (SignIn, Request) {
    SignIn::start(
        config(),
        Credentials::srp(USERNAME, SecretString::new(PASSWORD)),
        entropy(),
    )
    .unwrap()
}

/// Cognito's answer to `InitiateAuth`: the `PASSWORD_VERIFIER` challenge with the server's B.
pub fn password_verifier_response(server: &SrpServer) -> Vec<u8> {
    json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": SALT,
            "SRP_B": server.b_pub.to_str_radix(16),
            "SECRET_BLOCK": SECRET_BLOCK,
            "USERNAME": USER_ID,
            "USER_ID_FOR_SRP": USER_ID,
        },
    })
    .to_string()
    .into_bytes()
}

/// Cognito's answer to the password claim: a `SOFTWARE_TOKEN_MFA` challenge.
pub fn totp_challenge_response() -> Vec<u8> {
    json!({
        "ChallengeName": "SOFTWARE_TOKEN_MFA",
        "Session": format!("AYABe{}", "session-".repeat(100)),
        "ChallengeParameters": {"USERNAME": USER_ID, "FRIENDLY_DEVICE_NAME": "phone"},
    })
    .to_string()
    .into_bytes()
}

/// The sign-in transition being measured: the `PASSWORD_VERIFIER` response in, the
/// `RespondToAuthChallenge` request out.
pub fn handle_password_verifier(flow: &mut SignIn, response: &[u8]) -> Step {
    flow.handle_response(HttpResponse::new(200, response), now())
        .unwrap()
}

/// A flow waiting at the `SOFTWARE_TOKEN_MFA` step (what snapshot/restore work on).
pub fn flow_at_totp_step(server: &SrpServer) -> SignIn {
    let (mut flow, _) = start();
    let step = handle_password_verifier(&mut flow, &password_verifier_response(server));
    assert!(matches!(step, Step::Send(_)), "{step:?}");
    let step = flow
        .handle_response(HttpResponse::new(200, &totp_challenge_response()), now())
        .unwrap();
    assert!(matches!(step, Step::Challenge(_)), "{step:?}");
    flow
}

/// What `SignIn::restore` needs.
pub fn restore_options() -> RestoreOptions {
    RestoreOptions {
        now: UnixTime::from_secs(NOW + 30),
        max_age_secs: 180,
        entropy: entropy(),
        device: None,
        password: None,
    }
}

/// A request's JSON body.
pub fn body(request: &Request) -> Value {
    serde_json::from_str(request.body()).unwrap()
}

/// A fixed base32 TOTP secret (32 bytes, as `AssociateSoftwareToken` returns).
pub const TOTP_SECRET: &str = "6C727YG4LRZRAMYD5YBNMTKPUFGIN5ZUNPBB2RJ74D5GE5OCWD7A";

/// A fixed client secret.
pub const CLIENT_SECRET: &str = "1example23456789abcdefghijklmnopqrstuvwxyz0123456789";

#[cfg(test)]
#[allow(clippy::panic, reason = "a test fails by panicking")]
mod tests {
    use super::*;
    use cognito_auth_core::sign_in::UserStep;

    #[test]
    fn the_transition_emits_a_claim_the_server_accepts() {
        let server = SrpServer::new();
        let (mut flow, initiate) = start();
        let initiate = body(&initiate);
        assert_eq!(initiate["AuthFlow"], "USER_SRP_AUTH");
        let srp_a = initiate["AuthParameters"]["SRP_A"]
            .as_str()
            .unwrap()
            .to_owned();
        let Step::Send(request) =
            handle_password_verifier(&mut flow, &password_verifier_response(&server))
        else {
            panic!("expected RespondToAuthChallenge");
        };
        let respond = body(&request);
        assert_eq!(respond["ChallengeName"], "PASSWORD_VERIFIER");
        let responses = &respond["ChallengeResponses"];
        assert_eq!(responses["USERNAME"], USER_ID);
        assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"], SECRET_BLOCK);
        assert_eq!(
            responses["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap(),
            server.expected_signature(&srp_a, NOW)
        );
        // A wrong password would not verify: the server's check is not vacuous.
        assert_ne!(
            server.expected_signature(&srp_a, NOW + 1),
            responses["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap()
        );
    }

    #[test]
    fn snapshot_and_restore_round_trip() {
        let flow = flow_at_totp_step(&SrpServer::new());
        let step = flow.pending_step().cloned().unwrap();
        assert!(matches!(step, UserStep::ConfirmTotpCode { .. }), "{step:?}");
        let snapshot = flow.snapshot(now()).unwrap();
        let restored = SignIn::restore(config(), snapshot.expose(), restore_options()).unwrap();
        assert_eq!(restored.pending_step(), Some(&step));
        assert_eq!(restored.username(), USER_ID);
    }

    #[test]
    fn b_is_a_full_size_group_element() {
        let server = SrpServer::new();
        assert!(server.b_pub.bits() > 3000);
        assert!(server.b_pub < Group::new().n);
    }
}
