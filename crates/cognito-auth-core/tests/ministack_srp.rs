//! End to end: the core's SRP-6a and SECRET_HASH against a real server-side verifier, MiniStack
//! 1.5.33 started with `AUTH=true` (`pip install ministack==1.5.33`; see `cognito_auth_testkit::ministack`).
//!
//! MiniStack recomputes `PASSWORD_CLAIM_SIGNATURE` from the stored password and checks
//! `SECRET_HASH` on `InitiateAuth` and `RespondToAuthChallenge`, so tokens here mean the server
//! agreed with every byte the core hashed. Each test starts its own server.
//!
//! The ephemeral secrets are SHA-256 of a run seed: set `MINISTACK_SRP_SEED` to the seed a failure
//! printed to replay it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::cognito_idp;
use cognito_auth_testkit::ministack;
use cognito_auth_testkit::sign_in_driver;

use core::net::{Ipv4Addr, SocketAddr};
use core::time::Duration;
use std::net::TcpStream;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use cognito_auth_core::srp::{
    EphemeralSecret, PasswordClaim, PasswordVerifierChallenge, SrpClient, SrpIdentity,
};
use cognito_auth_core::{SecretString, UnixTime, secret_hash};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use cognito_idp::{PASSWORD, Pool, error_type, string_at};
use ministack::MiniStack;
use sign_in_driver::{jwt_claims, now};

/// Sign-ins of the encoding sweep.
const SWEEP_ITERATIONS: u64 = 20;
/// Most ephemeral secrets tried while looking for one whose A has a wanted encoding.
const MAX_SECRET_SEARCH: u64 = 8192;

// ---------------------------------------------------------------------------------------------
// The scenarios.

#[test]
fn user_srp_auth_signs_in_and_the_server_stops_on_drop() {
    let seed = run_seed();
    let server = MiniStack::start();
    let pool = Pool::create(server.cognito(), "srp", Value::Null, false);
    pool.user("carol", &[]);

    let flow = pool.flow();
    let srp = srp_client(seed, "basic", 0);
    let verifier = flow.password_verifier("carol", &srp, None);
    assert_eq!(verifier.username, "carol", "challenge USERNAME");
    assert_eq!(
        verifier.user_id_for_srp, "carol",
        "challenge USER_ID_FOR_SRP"
    );
    assert_eq!(
        verifier.session, None,
        "MiniStack sends no Session on PASSWORD_VERIFIER"
    );
    let claim = flow.claim(&srp, &verifier, PASSWORD);
    let response = flow.respond_ok(&verifier, &claim, None, seed);
    let id_token = jwt_claims(string_at(&response, &["AuthenticationResult", "IdToken"]));
    assert_eq!(id_token["cognito:username"], "carol", "IdToken: {id_token}");

    // Dropping the harness stops MiniStack: the port refuses connections within the stop timeout.
    let port = server.port();
    drop(server);
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    assert!(
        TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_err(),
        "MiniStack still accepts connections on {address} after drop"
    );
}

#[test]
fn wrong_password_and_tampered_claims_are_refused() {
    let seed = run_seed();
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "refusals", Value::Null, false);
    pool.user("erin", &[]);
    let flow = pool.flow();

    let tampered: [(&str, Tamper); 4] = [
        ("wrong password", |_| {}),
        ("one signature bit flipped", |claim| {
            claim.signature = flip_first_bit_base64(&claim.signature);
        }),
        ("TIMESTAMP one second later than signed", |claim| {
            let signed = parse_timestamp_second(&claim.timestamp);
            claim.timestamp = UnixTime::from_secs(signed + 1).cognito_timestamp();
        }),
        ("PASSWORD_CLAIM_SECRET_BLOCK altered", |claim| {
            claim.secret_block = flip_first_bit_base64(&claim.secret_block);
        }),
    ];
    for (counter, (case, tamper)) in (0..).zip(tampered) {
        let srp = srp_client(seed, "refusals", counter);
        let verifier = flow.password_verifier("erin", &srp, None);
        let password = if case == "wrong password" {
            "Correct-Horse-9?"
        } else {
            PASSWORD
        };
        let mut claim = flow.claim(&srp, &verifier, password);
        tamper(&mut claim);
        let (status, response) = flow.respond(&verifier, &claim, None);
        assert_eq!(
            (status, error_type(&response)),
            (400, Some("NotAuthorizedException")),
            "{case}: expected HTTP 400 NotAuthorizedException, got HTTP {status}: {response} \
             (MINISTACK_SRP_SEED={seed})"
        );
    }

    // The control: the same user, untampered, signs in.
    let srp = srp_client(seed, "refusals", 99);
    let verifier = flow.password_verifier("erin", &srp, None);
    let claim = flow.claim(&srp, &verifier, PASSWORD);
    flow.respond_ok(&verifier, &claim, None, seed);
}

#[test]
fn secret_hash_uses_the_typed_name_then_the_challenge_username() {
    let seed = run_seed();
    let server = MiniStack::start();
    let idp = server.cognito();

    // A plain pool (typed name = canonical name) and an email-alias pool, where the typed name is
    // the address but Cognito's USERNAME and USER_ID_FOR_SRP are the sub.
    let plain = Pool::create(idp, "secret-plain", Value::Null, true);
    plain.user("frank", &[]);
    let alias = Pool::create(
        idp,
        "secret-alias",
        json!({ "UsernameAttributes": ["email"] }),
        true,
    );
    let sub = alias.user("grace@example.com", &[("email", "grace@example.com")]);
    assert_ne!(
        sub, "grace@example.com",
        "an alias pool names its users by sub"
    );

    for (counter, (pool, typed, canonical)) in (0..).zip([
        (&plain, "frank", "frank"),
        (&alias, "grace@example.com", sub.as_str()),
    ]) {
        let flow = pool.flow();
        let srp = srp_client(seed, "secret-hash", counter);
        let verifier = flow.password_verifier(typed, &srp, Some(&pool.secret_hash(typed)));
        assert_eq!(
            verifier.username, canonical,
            "challenge USERNAME for {typed}"
        );
        assert_eq!(
            verifier.user_id_for_srp, canonical,
            "USER_ID_FOR_SRP for {typed}"
        );
        let claim = flow.claim(&srp, &verifier, PASSWORD);
        let hash = pool.secret_hash(&verifier.username);
        flow.respond_ok(&verifier, &claim, Some(&hash), seed);
    }

    let flow = alias.flow();
    let typed = "grace@example.com";
    let a_hex = srp_client(seed, "secret-hash", 10).public_key_hex();
    let initiate = |hash: Option<String>| flow.initiate(typed, &a_hex, hash.as_deref());

    // InitiateAuth: a hash made with another secret, a hash over the canonical name instead of
    // the typed one, and no hash at all are refused.
    let wrong_secret = secret_hash(
        typed,
        &alias.client.client_id,
        &SecretString::new("not-the-client-secret"),
    );
    for (case, hash) in [
        ("hash with a wrong secret", Some(wrong_secret)),
        ("hash over the sub", Some(alias.secret_hash(&sub))),
        ("no hash", None),
    ] {
        let (status, response) = initiate(hash);
        assert_eq!(
            (status, error_type(&response)),
            (400, Some("NotAuthorizedException")),
            "InitiateAuth, {case}: got HTTP {status}: {response}"
        );
    }

    // RespondToAuthChallenge: re-sending the InitiateAuth hash (over the typed address) is
    // refused, and so is a proof signed over the typed address instead of USER_ID_FOR_SRP.
    let srp = srp_client(seed, "secret-hash", 11);
    let verifier = flow.password_verifier(typed, &srp, Some(&alias.secret_hash(typed)));
    let claim = flow.claim(&srp, &verifier, PASSWORD);
    let (status, response) = flow.respond(&verifier, &claim, Some(&alias.secret_hash(typed)));
    assert_eq!(
        (status, error_type(&response)),
        (400, Some("NotAuthorizedException")),
        "RespondToAuthChallenge with the hash over the typed name: HTTP {status}: {response}"
    );
    let srp = srp_client(seed, "secret-hash", 12);
    let verifier = flow.password_verifier(typed, &srp, Some(&alias.secret_hash(typed)));
    let wrong_identity = srp
        .password_claim(
            SrpIdentity::user(&alias.id, typed),
            &SecretString::new(PASSWORD),
            &verifier.challenge,
            now(),
        )
        .unwrap();
    let (status, response) = flow.respond(
        &verifier,
        &wrong_identity,
        Some(&alias.secret_hash(&verifier.username)),
    );
    assert_eq!(
        (status, error_type(&response)),
        (400, Some("NotAuthorizedException")),
        "a proof over the typed address instead of USER_ID_FOR_SRP: HTTP {status}: {response}"
    );
}

/// Sign-ins with A forced through every encoding class in turn (five of each), each with a new
/// user (so a new salt): MiniStack must accept every one (`respond_ok` fails the test
/// otherwise). The classes of B, u, S and the salt are MiniStack's random draws, so this test
/// claims nothing about them; they are forced, each class asserted, against the fake pool in
/// `sign_in_fake_pool.rs` (`srp_sign_in_with_fifty_entropies_salts_and_clocks`,
/// `short_a_b_u_and_s_are_padded_like_the_server`).
#[test]
fn sign_ins_with_every_encoding_class_of_a_are_accepted() {
    let seed = run_seed();
    let server = MiniStack::start();
    let idp = server.cognito();
    let pool = Pool::create(idp, "sweep", Value::Null, false);
    let flow = pool.flow();

    for iteration in 0..SWEEP_ITERATIONS {
        let class = AClass::ALL[(iteration % 4) as usize];
        let srp = srp_client_with(seed, iteration, class);
        let username = format!("sweeper-{iteration:02}");
        pool.user(&username, &[]);
        let verifier = flow.password_verifier(&username, &srp, None);
        let claim = flow.claim(&srp, &verifier, PASSWORD);
        flow.respond_ok(&verifier, &claim, None, seed);
    }
}

// ---------------------------------------------------------------------------------------------
// The client side of USER_SRP_AUTH, spelled out with the core's pieces.

/// A change to a correct claim that the server must notice.
type Tamper = fn(&mut PasswordClaim);

/// This file's additions to the test kit's fixture.
trait PoolExt {
    fn secret_hash(&self, username: &str) -> String;
    fn flow(&self) -> Flow<'_>;
}

impl PoolExt for Pool<'_> {
    /// SECRET_HASH over `username` with this pool's client secret.
    fn secret_hash(&self, username: &str) -> String {
        let secret = self
            .client
            .client_secret
            .as_deref()
            .expect("a client with a secret");
        secret_hash(username, &self.client.client_id, &SecretString::new(secret))
    }

    fn flow(&self) -> Flow<'_> {
        Flow { pool: self }
    }
}

/// USER_SRP_AUTH requests for one pool's app client.
struct Flow<'p> {
    pool: &'p Pool<'p>,
}

/// What a `PASSWORD_VERIFIER` challenge carries.
struct Verifier {
    username: String,
    user_id_for_srp: String,
    salt: String,
    session: Option<String>,
    challenge: PasswordVerifierChallenge,
}

impl Flow<'_> {
    /// `InitiateAuth(USER_SRP_AUTH)` as the app sends it.
    fn initiate(&self, typed_username: &str, srp_a: &str, hash: Option<&str>) -> (u16, Value) {
        let mut parameters = json!({ "USERNAME": typed_username, "SRP_A": srp_a });
        if let Some(hash) = hash {
            parameters["SECRET_HASH"] = json!(hash);
        }
        self.pool.idp.call(
            "InitiateAuth",
            json!({
                "AuthFlow": "USER_SRP_AUTH",
                "ClientId": self.pool.client.client_id,
                "AuthParameters": parameters,
            }),
        )
    }

    /// `InitiateAuth`, asserting a `PASSWORD_VERIFIER` challenge, parsed by the core.
    fn password_verifier(
        &self,
        typed_username: &str,
        srp: &SrpClient,
        hash: Option<&str>,
    ) -> Verifier {
        let (status, response) = self.initiate(typed_username, &srp.public_key_hex(), hash);
        assert_eq!(status, 200, "InitiateAuth({typed_username}): {response}");
        assert_eq!(response["ChallengeName"], "PASSWORD_VERIFIER", "{response}");
        let parameter = |name: &str| string_at(&response, &["ChallengeParameters", name]);
        let challenge = PasswordVerifierChallenge::parse(
            parameter("SALT"),
            parameter("SRP_B"),
            parameter("SECRET_BLOCK"),
        )
        .unwrap_or_else(|e| panic!("the core refused MiniStack's challenge ({e:?}): {response}"));
        Verifier {
            username: parameter("USERNAME").to_owned(),
            user_id_for_srp: parameter("USER_ID_FOR_SRP").to_owned(),
            salt: parameter("SALT").to_owned(),
            session: response["Session"].as_str().map(str::to_owned),
            challenge,
        }
    }

    /// The claim for `password`, signed over USER_ID_FOR_SRP at the current time.
    fn claim(&self, srp: &SrpClient, verifier: &Verifier, password: &str) -> PasswordClaim {
        srp.password_claim(
            SrpIdentity::user(&self.pool.id, &verifier.user_id_for_srp),
            &SecretString::new(password),
            &verifier.challenge,
            now(),
        )
        .unwrap_or_else(|e| panic!("password_claim: {e:?}"))
    }

    /// `RespondToAuthChallenge(PASSWORD_VERIFIER)` with the challenge's USERNAME (and Session,
    /// when there is one).
    fn respond(
        &self,
        verifier: &Verifier,
        claim: &PasswordClaim,
        hash: Option<&str>,
    ) -> (u16, Value) {
        let mut responses = json!({
            "USERNAME": verifier.username,
            "PASSWORD_CLAIM_SECRET_BLOCK": claim.secret_block,
            "PASSWORD_CLAIM_SIGNATURE": claim.signature,
            "TIMESTAMP": claim.timestamp,
        });
        if let Some(hash) = hash {
            responses["SECRET_HASH"] = json!(hash);
        }
        let mut body = json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": self.pool.client.client_id,
            "ChallengeResponses": responses,
        });
        if let Some(session) = &verifier.session {
            body["Session"] = json!(session);
        }
        self.pool.idp.call("RespondToAuthChallenge", body)
    }

    /// [`Self::respond`], asserting tokens.
    fn respond_ok(
        &self,
        verifier: &Verifier,
        claim: &PasswordClaim,
        hash: Option<&str>,
        seed: u64,
    ) -> Value {
        let (status, response) = self.respond(verifier, claim, hash);
        assert_eq!(
            status, 200,
            "RespondToAuthChallenge refused our proof for {} (MINISTACK_SRP_SEED={seed}, \
             SALT={}, TIMESTAMP={:?}): {response}",
            verifier.user_id_for_srp, verifier.salt, claim.timestamp
        );
        for token in ["AccessToken", "IdToken", "RefreshToken"] {
            let value = string_at(&response, &["AuthenticationResult", token]);
            assert!(!value.is_empty(), "empty {token}: {response}");
        }
        assert_eq!(response["AuthenticationResult"]["TokenType"], "Bearer");
        response
    }
}

// ---------------------------------------------------------------------------------------------
// Ephemeral secrets.

/// `MINISTACK_SRP_SEED`, or the clock: every run draws different secrets, any run can be replayed.
fn run_seed() -> u64 {
    match std::env::var("MINISTACK_SRP_SEED") {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|e| panic!("MINISTACK_SRP_SEED={text:?}: {e}")),
        Err(_) => {
            let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            elapsed.as_secs() ^ (u64::from(elapsed.subsec_nanos()) << 20)
        }
    }
}

/// a = SHA-256(seed ‖ label ‖ counter): 32 bytes, the recommended size.
fn srp_client(seed: u64, label: &str, counter: u64) -> SrpClient {
    let a = Sha256::new()
        .chain_update(seed.to_be_bytes())
        .chain_update(label.as_bytes())
        .chain_update(counter.to_be_bytes())
        .finalize();
    SrpClient::new(&EphemeralSecret::from_bytes(&a).unwrap()).unwrap()
}

/// How A = g^a mod N is written and hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AClass {
    /// 768 hex digits, top bit set: PAD adds a `00` byte (385 bytes). About 1 in 2.
    TopBitSet,
    /// 768 hex digits, top bit clear: 384 bytes. About 7 in 16.
    TopBitClear,
    /// 767 hex digits: an odd-length `SRP_A`. About 1 in 16.
    OddHexLength,
    /// At most 766 hex digits: A has a leading zero byte that PAD drops. About 1 in 256.
    LeadingZeroByte,
}

impl AClass {
    const ALL: [Self; 4] = [
        Self::TopBitSet,
        Self::TopBitClear,
        Self::OddHexLength,
        Self::LeadingZeroByte,
    ];

    fn of(a_hex: &str) -> Self {
        match (a_hex.len(), a_hex.as_bytes()[0]) {
            (768, b'8'..=b'f') => Self::TopBitSet,
            (768, _) => Self::TopBitClear,
            (767, _) => Self::OddHexLength,
            _ => Self::LeadingZeroByte,
        }
    }
}

/// The first `srp_client(seed, "sweep-N", k)` whose A is of `class`.
fn srp_client_with(seed: u64, iteration: u64, class: AClass) -> SrpClient {
    let label = format!("sweep-{iteration}");
    for counter in 0..MAX_SECRET_SEARCH {
        let srp = srp_client(seed, &label, counter);
        if AClass::of(&srp.public_key_hex()) == class {
            return srp;
        }
    }
    panic!("no {class:?} A in {MAX_SECRET_SEARCH} draws (MINISTACK_SRP_SEED={seed})")
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/// The same base64 text with the first bit of its first byte flipped.
fn flip_first_bit_base64(text: &str) -> String {
    use base64::engine::general_purpose::STANDARD;
    let mut bytes = STANDARD.decode(text).unwrap();
    bytes[0] ^= 0x80;
    STANDARD.encode(bytes)
}

/// Seconds since the epoch of a Cognito TIMESTAMP produced moments ago by [`now`]: found by
/// searching the last minute (the format has no parser in the core).
fn parse_timestamp_second(timestamp: &str) -> u64 {
    let current = now().as_secs();
    (current.saturating_sub(60)..=current)
        .rev()
        .find(|&secs| UnixTime::from_secs(secs).cognito_timestamp() == timestamp)
        .unwrap_or_else(|| panic!("{timestamp:?} is not within the last minute"))
}
