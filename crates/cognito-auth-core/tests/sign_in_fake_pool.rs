//! The sign-in state machine end to end against an in-memory Cognito (`cognito_auth_testkit::fake_pool`)
//! that does the server side of SRP, `SECRET_HASH`, TOTP, `MFA_SETUP` and device SRP with its own
//! arithmetic: tokens here mean the server agreed with every byte the core hashed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::fake_pool;

use cognito_auth_core::account::{AccountOperation, UpdateDeviceStatus};
use cognito_auth_core::sign_in::{
    ChallengeAnswer, ClientConfig, Credentials, DeviceOutcome, Entropy, HttpResponse,
    RememberedDevice, RestoreOptions, SignIn, SignInError, SignedIn, Step, UserStep,
};
use cognito_auth_core::totp::{Totp, TotpSecret};
use cognito_auth_core::{Operation, Request, SecretString, UnixTime};
use fake_pool::{
    ChooseB, DeviceTracking, Exchange, FakePool, Mfa, SrpValues, expected_secret_hash, pad,
};
use num_bigint_dig::BigUint;
use serde_json::Value;
use sha2::{Digest, Sha256};

const POOL: &str = "eu-west-1_FakePool1";
const CLIENT: &str = "fakeclient0123456789abcdef";
const T0: u64 = 1_800_000_000;
const PASSWORD: &str = "Correct-Horse-9!";
const ALIAS_UUID: &str = "6f1d2c3b-9a8e-4f70-b1c2-d3e4f5a6b7c8";

fn pool() -> FakePool {
    FakePool::new(POOL, CLIENT, UnixTime::from_secs(T0))
}

fn config(pool: &FakePool) -> ClientConfig {
    ClientConfig::new(pool.pool.clone(), &pool.client_id).unwrap()
}

fn entropy(seed: u64) -> Entropy {
    Entropy::from_bytes(Sha256::digest(seed.to_be_bytes()).into())
}

fn no_user_step(step: &UserStep, _: UnixTime) -> ChallengeAnswer {
    panic!("no user step expected, got {step:?}")
}

/// A finished sign-in, with the refusals that kept a step open on the way.
#[derive(Debug)]
struct Finished {
    signed_in: SignedIn,
    kept_open: Vec<String>,
}

/// Sends requests to the pool and feeds its responses back until the flow ends, answering
/// user steps with `answer`; a refusal that keeps the step open shows the step again. The
/// client's clock reads `at`.
fn run_at(
    pool: &mut FakePool,
    flow: &mut SignIn,
    first: Request,
    at: UnixTime,
    answer: &mut dyn FnMut(&UserStep, UnixTime) -> ChallengeAnswer,
) -> Result<Finished, SignInError> {
    let mut kept_open = Vec::new();
    let mut step = Step::Send(first);
    loop {
        step = match step {
            Step::Send(request) => {
                let response = pool.handle(&request);
                match flow.handle_response(HttpResponse::new(response.status, &response.body), at) {
                    Ok(step) => step,
                    Err(SignInError::AnswerRefused(error)) => {
                        kept_open.push(error.code().to_owned());
                        Step::Challenge(flow.pending_step().cloned().expect("the step is open"))
                    }
                    Err(error) => {
                        assert!(flow.is_over(), "{error:?} ends the flow");
                        return Err(error);
                    }
                }
            }
            Step::Challenge(user_step) => {
                assert_eq!(flow.pending_step(), Some(&user_step));
                flow.answer(answer(&user_step, at), at)?
            }
            Step::SignedIn(signed_in) => {
                assert!(flow.is_over());
                return Ok(Finished {
                    signed_in,
                    kept_open,
                });
            }
            other => panic!("unexpected {other:?}"),
        };
    }
}

/// A whole sign-in with the public app client, the client's clock equal to the pool's.
fn sign_in(
    pool: &mut FakePool,
    credentials: Credentials,
    seed: u64,
    answer: &mut dyn FnMut(&UserStep, UnixTime) -> ChallengeAnswer,
) -> Result<Finished, SignInError> {
    let config = config(pool);
    sign_in_as(pool, config, credentials, seed, answer)
}

/// A whole sign-in with `config`.
fn sign_in_as(
    pool: &mut FakePool,
    config: ClientConfig,
    credentials: Credentials,
    seed: u64,
    answer: &mut dyn FnMut(&UserStep, UnixTime) -> ChallengeAnswer,
) -> Result<Finished, SignInError> {
    let (mut flow, first) = SignIn::start(config, credentials, entropy(seed)).unwrap();
    let at = pool.now;
    run_at(pool, &mut flow, first, at, answer)
}

/// The authenticator app: answers `ConfirmTotpCode` with the code of the moment.
fn authenticator(secret: TotpSecret) -> impl FnMut(&UserStep, UnixTime) -> ChallengeAnswer {
    move |step, at| match step {
        UserStep::ConfirmTotpCode { .. } => ChallengeAnswer::TotpCode(code(&secret, at)),
        other => panic!("unexpected {other:?}"),
    }
}

fn code(secret: &TotpSecret, at: UnixTime) -> String {
    Totp::COGNITO.code(secret, at).unwrap().as_str().to_owned()
}

/// A code the authenticator does not show at `at` (nor one step either side).
fn wrong_code(secret: &TotpSecret, at: UnixTime) -> String {
    let valid: Vec<String> = [at.as_secs() - 30, at.as_secs(), at.as_secs() + 30]
        .iter()
        .map(|&t| code(secret, UnixTime::from_secs(t)))
        .collect();
    (0..)
        .map(|n: u32| format!("{:06}", (n * 7919) % 1_000_000))
        .find(|code| !valid.contains(code))
        .unwrap()
}

fn totp_secret(seed: u8) -> TotpSecret {
    TotpSecret::from_bytes(&[seed; 20]).unwrap()
}

/// The log from `from` on, as `Operation[:ChallengeName][ -> error]`.
fn summary(pool: &FakePool, from: usize) -> Vec<String> {
    pool.log[from..].iter().map(Exchange::summary).collect()
}

/// The code of a refusal that ended the flow.
fn service_code(error: &SignInError) -> &str {
    match error {
        SignInError::Service(e) => e.code(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn confirmed_device(signed_in: SignedIn) -> (RememberedDevice, bool) {
    match signed_in.device {
        DeviceOutcome::Confirmed {
            device,
            user_confirmation_necessary,
        } => (device, user_confirmation_necessary),
        other => panic!("expected a confirmed device, got {other:?}"),
    }
}

#[test]
fn srp_sign_in_end_to_end() {
    let mut pool = pool();
    pool.add_user("alice", PASSWORD);
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)),
        1,
        &mut no_user_step,
    )
    .unwrap();
    let signed_in = done.signed_in;
    assert!(signed_in.tokens.access_token.expose().ends_with("-alice"));
    assert!(signed_in.tokens.refresh_token.is_some());
    assert!(matches!(signed_in.device, DeviceOutcome::NoNewDevice));
    assert!(!signed_in.stale_device_forgotten);
    assert_eq!(pool.stats.verified, 1);
    assert_eq!(
        summary(&pool, 0),
        ["InitiateAuth", "RespondToAuthChallenge:PASSWORD_VERIFIER"]
    );
    assert_eq!(pool.log[1].request.get("Session"), None, "none was given");
    assert_eq!(pool.open_sessions(), 0, "the SRP handle was used up");
}

#[test]
fn srp_sign_in_with_fifty_entropies_salts_and_clocks() {
    let mut pool = pool();
    for i in 0..50u64 {
        // Salts with the top bit set (PAD prepends 00), clear, a leading zero nibble (odd hex
        // length) and a leading zero byte.
        let mut salt: [u8; 16] = Sha256::digest(format!("salt {i}")).as_slice()[..16]
            .try_into()
            .unwrap();
        match i % 4 {
            0 => salt[0] |= 0x80,
            1 => salt[0] = (salt[0] & 0x7f) | 0x10,
            2 => salt[0] &= 0x0f,
            _ => salt[0] = 0,
        }
        let username = format!("user-{i}");
        let password = format!("pässwörd {i} 🔑");
        pool.add_user_with_salt(&username, &password, &salt);
        // The client's clock anywhere within Cognito's five minutes.
        let at = UnixTime::from_secs(T0 - 299 + (i * 37) % 599);
        let (mut flow, first) = SignIn::start(
            config(&pool),
            Credentials::srp(&username, SecretString::new(&password)),
            entropy(1000 + i),
        )
        .unwrap();
        let done = run_at(&mut pool, &mut flow, first, at, &mut no_user_step)
            .unwrap_or_else(|e| panic!("sign-in {i} failed: {e}"));
        assert!(
            done.signed_in
                .tokens
                .access_token
                .expose()
                .ends_with(&username)
        );
    }
    let stats = &pool.stats;
    assert_eq!(stats.verified, 50);
    for (name, counts) in [
        ("A", stats.a),
        ("B", stats.b),
        ("u", stats.u),
        ("S", stats.s),
    ] {
        assert!(
            counts[1] > 0 && counts[2] > 0,
            "PAD({name}) both with and without a 00 prefix: {counts:?}"
        );
    }
    assert!(stats.salt_padded[0] > 0 && stats.salt_padded[1] > 0);
}

/// The rare PAD lengths: A, B, u and S with a zero top byte (1 in 256 each), so PAD is a byte
/// shorter than usual. A short A is found by trying entropy seeds from a hint; the server
/// draws b until B, u or S is short.
#[test]
fn short_a_b_u_and_s_are_padded_like_the_server() {
    const SHORT_A_SEED_HINT: u64 = 455;
    const SHORT_B_DRAWS: u64 = 273;
    const SHORT_U_DRAWS: u64 = 1243;
    const SHORT_S_DRAWS: u64 = 950;
    let mut pool = pool();
    pool.add_user("alice", PASSWORD);
    let credentials = || Credentials::srp("alice", SecretString::new(PASSWORD));
    let (seed, mut flow, first) = (SHORT_A_SEED_HINT..SHORT_A_SEED_HINT + 5000)
        .find_map(|seed| {
            let (flow, first) = SignIn::start(config(&pool), credentials(), entropy(seed)).unwrap();
            let body: Value = serde_json::from_str(first.body()).unwrap();
            let a_hex = body["AuthParameters"]["SRP_A"].as_str().unwrap();
            let a = BigUint::parse_bytes(a_hex.as_bytes(), 16).unwrap();
            (pad(&a).len() < 384).then_some((seed, flow, first))
        })
        .expect("a seed with a short A");
    println!("short A with entropy seed {seed}");
    let at = pool.now;
    run_at(&mut pool, &mut flow, first, at, &mut no_user_step).unwrap();
    assert_eq!(pool.stats.a[0], 1, "{:?}", pool.stats);

    // The condition, and the draws of b the search needed when last run.
    let short = |accept: fn(&SrpValues) -> bool, draws: u64| ChooseB {
        accept,
        skip: draws - 1,
    };
    let cases = [
        ("B", short(|v| pad(&v.b).len() < 384, SHORT_B_DRAWS)),
        ("u", short(|v| pad(&v.u).len() < 32, SHORT_U_DRAWS)),
        ("S", short(|v| pad(&v.s).len() < 384, SHORT_S_DRAWS)),
    ];
    for (i, (name, choose)) in (1..).zip(cases) {
        pool.choose_b = Some(choose);
        sign_in(&mut pool, credentials(), i, &mut no_user_step)
            .unwrap_or_else(|e| panic!("short {name}: {e}"));
        println!("short {name} after {} draws of b", pool.last_b_draws);
    }
    assert_eq!(pool.stats.b[0], 1, "{:?}", pool.stats);
    assert_eq!(pool.stats.u[0], 1, "{:?}", pool.stats);
    assert!(pool.stats.s[0] >= 1, "{:?}", pool.stats);
    assert_eq!(pool.stats.verified, 4);
}

#[test]
fn wrong_password_and_unknown_user_are_refused() {
    let mut pool = pool();
    pool.add_user("alice", PASSWORD);
    let error = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new("Correct-Horse-8!")),
        2,
        &mut no_user_step,
    )
    .unwrap_err();
    let SignInError::Service(service) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(service.code(), "NotAuthorizedException");
    assert_eq!(service.message(), "Incorrect username or password.");
    assert!(service.restarts_sign_in());
    assert!(!error.step_still_open());
    assert_eq!(pool.stats.verified, 0);

    let error = sign_in(
        &mut pool,
        Credentials::srp("mallory", SecretString::new(PASSWORD)),
        3,
        &mut no_user_step,
    )
    .unwrap_err();
    assert_eq!(service_code(&error), "NotAuthorizedException");
}

#[test]
fn timestamp_must_be_within_five_minutes_of_the_server() {
    let mut pool = pool();
    pool.add_user("alice", PASSWORD);
    for (offset, accepted) in [
        (-301, false),
        (-299, true),
        (0, true),
        (299, true),
        (301, false),
    ] {
        let at = UnixTime::from_secs(T0.checked_add_signed(offset).unwrap());
        let (mut flow, first) = SignIn::start(
            config(&pool),
            Credentials::srp("alice", SecretString::new(PASSWORD)),
            entropy(4),
        )
        .unwrap();
        match run_at(&mut pool, &mut flow, first, at, &mut no_user_step) {
            Ok(_) => assert!(accepted, "{offset} s off was accepted"),
            Err(error) => {
                assert!(!accepted, "{offset} s off: {error}");
                assert_eq!(service_code(&error), "NotAuthorizedException");
            }
        }
    }
    assert_eq!(pool.stats.verified, 3);
}

#[test]
fn user_password_auth_against_the_pool() {
    let mut pool = pool();
    pool.add_user("alice", PASSWORD);
    sign_in(
        &mut pool,
        Credentials::password("alice", SecretString::new(PASSWORD)),
        5,
        &mut no_user_step,
    )
    .unwrap();
    let error = sign_in(
        &mut pool,
        Credentials::password("alice", SecretString::new("nope")),
        5,
        &mut no_user_step,
    )
    .unwrap_err();
    assert_eq!(service_code(&error), "NotAuthorizedException");
}

#[test]
fn wrong_totp_then_right_totp() {
    let mut pool = pool();
    let alice = pool.add_user("alice", PASSWORD);
    let secret = totp_secret(0x42);
    pool.users[alice].totp = Some(secret.clone());
    let at = pool.now;
    let mut attempts = 0;
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)),
        6,
        &mut |step, _| {
            assert_eq!(
                step,
                &UserStep::ConfirmTotpCode {
                    friendly_device_name: None
                }
            );
            attempts += 1;
            ChallengeAnswer::TotpCode(if attempts == 1 {
                wrong_code(&secret, at)
            } else {
                code(&secret, at)
            })
        },
    )
    .unwrap();
    assert_eq!(done.kept_open, ["CodeMismatchException"]);
    assert_eq!(
        summary(&pool, 0),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA -> CodeMismatchException",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
        ]
    );
    // Both answers carry the challenge's session: a wrong code does not use it up.
    let session = &pool.log[1].response["Session"];
    assert!(session.is_string());
    assert_eq!(&pool.log[2].request["Session"], session);
    assert_eq!(&pool.log[3].request["Session"], session);

    // The same code again in a new sign-in is a replay; the next step's code is accepted.
    let mut attempts = 0;
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)),
        7,
        &mut |_, at| {
            attempts += 1;
            let at = UnixTime::from_secs(at.as_secs() + if attempts == 1 { 0 } else { 30 });
            ChallengeAnswer::TotpCode(code(&secret, at))
        },
    )
    .unwrap();
    assert_eq!(done.kept_open, ["CodeMismatchException"]);
}

#[test]
fn mfa_setup_then_sign_in_with_totp() {
    let mut pool = pool();
    pool.mfa = Mfa::Required;
    let bob = pool.add_user("bob", PASSWORD);
    let at = pool.now;
    let mut attempts = 0;
    let done = sign_in(
        &mut pool,
        Credentials::srp("bob", SecretString::new(PASSWORD)),
        7,
        &mut |step, _| match step {
            UserStep::SetUpTotp { details } => {
                assert_eq!(details.username(), "bob");
                let uri = details.setup_uri("Fake App", None);
                let expected = format!(
                    "otpauth://totp/Fake%20App:bob?secret={}&issuer=Fake%20App",
                    details.shared_secret().to_base32().expose()
                );
                assert_eq!(uri.expose(), expected);
                attempts += 1;
                ChallengeAnswer::TotpSetupCode {
                    code: if attempts == 1 {
                        wrong_code(details.shared_secret(), at)
                    } else {
                        code(details.shared_secret(), at)
                    },
                    friendly_device_name: Some("Pixel".into()),
                }
            }
            other => panic!("unexpected {other:?}"),
        },
    )
    .unwrap();
    assert_eq!(done.kept_open, ["EnableSoftwareTokenMFAException"]);
    assert!(matches!(done.signed_in.device, DeviceOutcome::NoNewDevice));
    assert!(pool.users[bob].totp.is_some());
    assert_eq!(pool.users[bob].totp_name.as_deref(), Some("Pixel"));
    assert_eq!(
        summary(&pool, 0),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "AssociateSoftwareToken",
            "VerifySoftwareToken -> EnableSoftwareTokenMFAException",
            "VerifySoftwareToken",
            "RespondToAuthChallenge:MFA_SETUP",
        ]
    );
    // Each request carries the newest session.
    let log = &pool.log;
    let session = |i: usize| log[i].response["Session"].as_str().unwrap();
    assert_eq!(log[2].request["Session"], session(1), "MFA_SETUP's");
    assert_eq!(
        log[3].request["Session"],
        session(2),
        "AssociateSoftwareToken's"
    );
    assert_eq!(
        log[4].request["Session"],
        session(2),
        "still, after a wrong code"
    );
    assert_eq!(
        log[5].request["Session"],
        session(4),
        "VerifySoftwareToken's"
    );
    assert_eq!(log[5].request["ChallengeResponses"]["USERNAME"], "bob");

    // A session is single-use: replaying AssociateSoftwareToken with MFA_SETUP's fails.
    let replay = pool.handle_body(Operation::AssociateSoftwareToken, log[2].request.clone());
    assert_eq!(replay.status, 400);
    let body: Value = serde_json::from_slice(&replay.body).unwrap();
    assert_eq!(body["__type"], "NotAuthorizedException");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Invalid session")
    );

    // The next sign-in asks for the TOTP just set up (a later time step: a code is accepted
    // only once).
    pool.now = UnixTime::from_secs(T0 + 60);
    let mut app = authenticator(pool.users[bob].totp.clone().unwrap());
    let mut asked = Vec::new();
    sign_in(
        &mut pool,
        Credentials::srp("bob", SecretString::new(PASSWORD)),
        8,
        &mut |step, at| {
            asked.push(step.clone());
            app(step, at)
        },
    )
    .unwrap();
    assert_eq!(
        asked,
        [UserStep::ConfirmTotpCode {
            friendly_device_name: Some("Pixel".into())
        }]
    );
}

#[test]
fn mfa_setup_resumed_from_a_snapshot() {
    let mut pool = pool();
    pool.mfa = Mfa::Required;
    pool.add_user("carol", PASSWORD);
    let at = pool.now;
    let (mut flow, request) = SignIn::start(
        config(&pool),
        Credentials::srp("carol", SecretString::new(PASSWORD)),
        entropy(9),
    )
    .unwrap();
    let mut step = Step::Send(request);
    while let Step::Send(request) = step {
        let response = pool.handle(&request);
        step = flow
            .handle_response(HttpResponse::new(response.status, &response.body), at)
            .unwrap();
    }
    let Step::Challenge(UserStep::SetUpTotp { details }) = step else {
        panic!("{step:?}")
    };
    let snapshot = flow.snapshot(at).unwrap();
    drop(flow);

    // A new process, 100 s later.
    pool.now = UnixTime::from_secs(T0 + 100);
    let mut flow = SignIn::restore(
        config(&pool),
        snapshot.expose(),
        RestoreOptions {
            now: pool.now,
            max_age_secs: 180,
            entropy: entropy(10),
            device: None,
            password: None,
        },
    )
    .unwrap();
    assert_eq!(
        flow.pending_step(),
        Some(&UserStep::SetUpTotp {
            details: details.clone()
        })
    );
    let now = pool.now;
    let first = match flow
        .answer(
            ChallengeAnswer::TotpSetupCode {
                code: code(details.shared_secret(), now),
                friendly_device_name: None,
            },
            now,
        )
        .unwrap()
    {
        Step::Send(request) => request,
        other => panic!("{other:?}"),
    };
    run_at(&mut pool, &mut flow, first, now, &mut no_user_step).unwrap();
}

/// TOTP replay across a snapshot: a code the pool already accepted stays used when the flow
/// waiting at `SOFTWARE_TOKEN_MFA` is snapshotted and restored in a new process; the restored
/// flow keeps the step open on the refusal, and the next step's code signs in.
#[test]
fn totp_replay_is_refused_after_snapshot_and_restore() {
    let mut pool = pool();
    let alice = pool.add_user("alice", PASSWORD);
    let secret = totp_secret(0x24);
    pool.users[alice].totp = Some(secret.clone());
    let credentials = || Credentials::srp("alice", SecretString::new(PASSWORD));

    // A first sign-in uses the code of the pool's current step.
    let used = code(&secret, pool.now);
    sign_in(&mut pool, credentials(), 21, &mut |_, _| {
        ChallengeAnswer::TotpCode(used.clone())
    })
    .unwrap();

    // A second sign-in to SOFTWARE_TOKEN_MFA, snapshotted there.
    let at = pool.now;
    let (mut flow, request) = SignIn::start(config(&pool), credentials(), entropy(22)).unwrap();
    let mut step = Step::Send(request);
    while let Step::Send(request) = step {
        let response = pool.handle(&request);
        step = flow
            .handle_response(HttpResponse::new(response.status, &response.body), at)
            .unwrap();
    }
    let totp_step = UserStep::ConfirmTotpCode {
        friendly_device_name: None,
    };
    assert_eq!(step, Step::Challenge(totp_step.clone()));
    let snapshot = flow.snapshot(at).unwrap();
    drop(flow);

    // A new process, 10 s later: still the step of the used code.
    pool.now = UnixTime::from_secs(at.as_secs() + 10);
    let now = pool.now;
    assert_eq!(code(&secret, now), used);
    let restore = |seed| RestoreOptions {
        now,
        max_age_secs: 180,
        entropy: entropy(seed),
        device: None,
        password: None,
    };
    let mut flow = SignIn::restore(config(&pool), snapshot.expose(), restore(23)).unwrap();
    assert_eq!(flow.pending_step(), Some(&totp_step));
    let from = pool.log.len();

    // The used code again: the pool refuses the replay, the step stays open.
    let Step::Send(replay) = flow
        .answer(ChallengeAnswer::TotpCode(used.clone()), now)
        .unwrap()
    else {
        panic!("the answer is sent")
    };
    let response = pool.handle(&replay);
    let error = flow
        .handle_response(HttpResponse::new(response.status, &response.body), now)
        .unwrap_err();
    let SignInError::AnswerRefused(refusal) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(refusal.code(), "CodeMismatchException");
    assert!(!flow.is_over());
    assert_eq!(flow.pending_step(), Some(&totp_step));

    // The code of the next step (within the pool's window) signs in.
    let next = code(&secret, UnixTime::from_secs(now.as_secs() + 30));
    assert_ne!(next, used);
    let Step::Send(answer) = flow.answer(ChallengeAnswer::TotpCode(next), now).unwrap() else {
        panic!("the answer is sent")
    };
    let done = run_at(&mut pool, &mut flow, answer, now, &mut no_user_step).unwrap();
    assert!(done.kept_open.is_empty());
    assert!(
        done.signed_in
            .tokens
            .access_token
            .expose()
            .ends_with("alice")
    );
    assert_eq!(
        summary(&pool, from),
        [
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA -> CodeMismatchException",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
        ]
    );
}

#[test]
fn remembered_device_skips_mfa() {
    let mut pool = pool();
    pool.device_tracking = DeviceTracking::Always;
    let alice = pool.add_user("alice", PASSWORD);
    let secret = totp_secret(7);
    pool.users[alice].totp = Some(secret.clone());

    // First sign-in: password, TOTP, then the new device is confirmed automatically.
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)).with_device_name("Alice's phone"),
        11,
        &mut authenticator(secret.clone()),
    )
    .unwrap();
    let (device, user_confirmation_necessary) = confirmed_device(done.signed_in);
    assert!(!user_confirmation_necessary);
    assert_eq!(
        summary(&pool, 0),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
            "ConfirmDevice",
        ]
    );
    let stored = &pool.users[alice].devices[0];
    assert_eq!(stored.key, device.device_key);
    assert_eq!(stored.group_key, device.device_group_key);
    assert!(stored.is_confirmed() && stored.remembered);
    assert_eq!(stored.name.as_deref(), Some("Alice's phone"));

    // Second sign-in with the device: device SRP instead of MFA, checked by the server.
    pool.now = UnixTime::from_secs(T0 + 60);
    let from = pool.log.len();
    let verified = pool.stats.verified;
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)).with_device(device.clone()),
        12,
        &mut no_user_step,
    )
    .unwrap();
    assert!(matches!(done.signed_in.device, DeviceOutcome::NoNewDevice));
    assert!(!done.signed_in.stale_device_forgotten);
    assert_eq!(
        summary(&pool, from),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:DEVICE_SRP_AUTH",
            "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
        ]
    );
    assert_eq!(pool.stats.verified, verified + 2, "user and device claims");
    for exchange in &pool.log[from..] {
        let parameters = exchange
            .request
            .get("AuthParameters")
            .or_else(|| exchange.request.get("ChallengeResponses"))
            .unwrap();
        assert_eq!(parameters["DEVICE_KEY"], device.device_key.as_str());
    }
    // The device SRP exchange used a fresh ephemeral.
    assert_ne!(
        pool.log[from].request["AuthParameters"]["SRP_A"],
        pool.log[from + 2].request["ChallengeResponses"]["SRP_A"]
    );

    // A device password that is not the one confirmed fails the device claim.
    let forged = RememberedDevice {
        device_password: SecretString::new("not-the-device-password"),
        ..device
    };
    let error = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)).with_device(forged),
        13,
        &mut no_user_step,
    )
    .unwrap_err();
    assert_eq!(service_code(&error), "NotAuthorizedException");
}

#[test]
fn device_needing_user_confirmation_is_remembered_after_update_device_status() {
    let mut pool = pool();
    pool.device_tracking = DeviceTracking::UserOptIn;
    let alice = pool.add_user("alice", PASSWORD);
    let secret = totp_secret(9);
    pool.users[alice].totp = Some(secret.clone());
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)),
        14,
        &mut authenticator(secret.clone()),
    )
    .unwrap();
    let access_token = done.signed_in.tokens.access_token.clone();
    let (device, user_confirmation_necessary) = confirmed_device(done.signed_in);
    assert!(user_confirmation_necessary);
    assert!(!pool.users[alice].devices[0].remembered);

    // Tracked but not remembered: MFA is still asked, DEVICE_KEY is sent, no new device.
    pool.now = UnixTime::from_secs(T0 + 60);
    let from = pool.log.len();
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)).with_device(device.clone()),
        15,
        &mut authenticator(secret.clone()),
    )
    .unwrap();
    assert!(matches!(done.signed_in.device, DeviceOutcome::NoNewDevice));
    assert_eq!(
        summary(&pool, from),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
        ]
    );
    assert_eq!(
        pool.log[from + 2].request["ChallengeResponses"]["DEVICE_KEY"],
        device.device_key.as_str()
    );

    // The user chooses to remember it.
    let update = UpdateDeviceStatus::new(access_token.clone(), &device.device_key, true);
    let response = pool.handle(&update.request(&config(&pool)).unwrap());
    assert_eq!(response.status, 200);
    assert!(pool.users[alice].devices[0].remembered);
    pool.now = UnixTime::from_secs(T0 + 120);
    sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)).with_device(device),
        16,
        &mut no_user_step,
    )
    .unwrap();
}

#[test]
fn forgotten_device_is_dropped_and_the_sign_in_restarts_once() {
    let mut pool = pool();
    pool.device_tracking = DeviceTracking::Always;
    let alice = pool.add_user("alice", PASSWORD);
    let secret = totp_secret(3);
    pool.users[alice].totp = Some(secret.clone());
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)),
        17,
        &mut authenticator(secret.clone()),
    )
    .unwrap();
    let (old, _) = confirmed_device(done.signed_in);

    // The user removes the device elsewhere (ForgetDevice).
    pool.forget_device(&old.device_key);
    pool.now = UnixTime::from_secs(T0 + 60);
    let from = pool.log.len();
    let done = sign_in(
        &mut pool,
        Credentials::srp("alice", SecretString::new(PASSWORD)).with_device(old.clone()),
        18,
        &mut authenticator(secret),
    )
    .unwrap();
    assert!(done.signed_in.stale_device_forgotten);
    let (new, _) = confirmed_device(done.signed_in);
    assert_ne!(new.device_key, old.device_key);
    assert_eq!(
        summary(&pool, from),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER -> ResourceNotFoundException",
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
            "ConfirmDevice",
        ]
    );
    assert_eq!(
        pool.log[from + 1].response["message"],
        "Device does not exist."
    );
    let restarted = &pool.log[from + 2].request["AuthParameters"];
    assert_eq!(restarted.get("DEVICE_KEY"), None);
    assert_ne!(
        restarted["SRP_A"],
        pool.log[from].request["AuthParameters"]["SRP_A"]
    );
    for exchange in &pool.log[from + 3..from + 5] {
        assert_eq!(
            exchange.request["ChallengeResponses"].get("DEVICE_KEY"),
            None
        );
    }
}

#[test]
fn secret_client_and_email_alias() {
    const CLIENT_SECRET: &str = "1example23456789abcdefghijklmnopqrstuvwxyz0123456789";
    let mut pool = pool().with_client_secret(CLIENT_SECRET);
    pool.device_tracking = DeviceTracking::Always;
    let user = pool.add_user(ALIAS_UUID, PASSWORD);
    pool.users[user].email = Some("alice@example.com".into());
    let secret = totp_secret(5);
    pool.users[user].totp = Some(secret.clone());
    let config = config(&pool)
        .with_client_secret(SecretString::new(CLIENT_SECRET))
        .unwrap();

    let (mut flow, first) = SignIn::start(
        config.clone(),
        Credentials::srp("alice@example.com", SecretString::new(PASSWORD)),
        entropy(19),
    )
    .unwrap();
    let at = pool.now;
    let done = run_at(
        &mut pool,
        &mut flow,
        first,
        at,
        &mut authenticator(secret.clone()),
    )
    .unwrap();
    assert_eq!(flow.username(), ALIAS_UUID);
    let (device, _) = confirmed_device(done.signed_in);
    assert_eq!(
        summary(&pool, 0),
        [
            "InitiateAuth",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
            "ConfirmDevice",
        ]
    );
    // The pool checked these; restated here against the independent SECRET_HASH.
    let initiate = &pool.log[0].request["AuthParameters"];
    assert_eq!(initiate["USERNAME"], "alice@example.com");
    assert_eq!(
        initiate["SECRET_HASH"],
        expected_secret_hash("alice@example.com", CLIENT, CLIENT_SECRET)
    );
    for exchange in &pool.log[1..3] {
        let responses = &exchange.request["ChallengeResponses"];
        assert_eq!(responses["USERNAME"], ALIAS_UUID);
        assert_eq!(
            responses["SECRET_HASH"],
            expected_secret_hash(ALIAS_UUID, CLIENT, CLIENT_SECRET)
        );
    }

    // Signing in again with the alias and the remembered device.
    pool.now = UnixTime::from_secs(T0 + 60);
    let from = pool.log.len();
    sign_in_as(
        &mut pool,
        config.clone(),
        Credentials::srp("alice@example.com", SecretString::new(PASSWORD)).with_device(device),
        20,
        &mut no_user_step,
    )
    .unwrap();
    assert_eq!(pool.log.len() - from, 4);

    // A wrong client secret, and none at all.
    for (config, message) in [
        (
            self::config(&pool)
                .with_client_secret(SecretString::new("wrong"))
                .unwrap(),
            "Unable to verify secret hash",
        ),
        (
            self::config(&pool),
            "is configured with secret but SECRET_HASH was not received",
        ),
    ] {
        let error = sign_in_as(
            &mut pool,
            config,
            Credentials::srp("alice@example.com", SecretString::new(PASSWORD)),
            21,
            &mut no_user_step,
        )
        .unwrap_err();
        let SignInError::Service(service) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(service.code(), "NotAuthorizedException");
        assert!(service.message().contains(message), "{service}");
    }
}

/// The pool's checks have teeth: the core's own `PASSWORD_VERIFIER` answer, altered one field at
/// a time on the way, is refused (each attempt on a fresh exchange: an SRP handle is single-use).
#[test]
fn the_pool_refuses_tampered_answers() {
    const CLIENT_SECRET: &str = "tamper-test-client-secret";
    let mut pool = pool().with_client_secret(CLIENT_SECRET);
    let user = pool.add_user(ALIAS_UUID, PASSWORD);
    pool.users[user].email = Some("alice@example.com".into());
    let config = config(&pool)
        .with_client_secret(SecretString::new(CLIENT_SECRET))
        .unwrap();
    let alias_hash = expected_secret_hash("alice@example.com", CLIENT, CLIENT_SECRET);
    let later = UnixTime::from_secs(T0 + 1).cognito_timestamp();
    type Tamper = Box<dyn Fn(&mut Value)>;
    let tamperings: Vec<(&str, Tamper, Option<&str>)> = vec![
        ("nothing", Box::new(|_| {}), None),
        (
            "signature",
            Box::new(|r| {
                let signature = r["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap();
                let flipped = if signature.starts_with('A') { "B" } else { "A" };
                r["PASSWORD_CLAIM_SIGNATURE"] = format!("{flipped}{}", &signature[1..]).into();
            }),
            Some("NotAuthorizedException"),
        ),
        (
            "timestamp, one second later",
            Box::new(move |r| r["TIMESTAMP"] = later.clone().into()),
            Some("NotAuthorizedException"),
        ),
        (
            "timestamp with an unpadded hour",
            Box::new(|r| r["TIMESTAMP"] = "Fri Jan 15 8:00:00 UTC 2027".into()),
            Some("InvalidParameterException"),
        ),
        (
            "alias as USERNAME",
            Box::new(move |r| {
                r["USERNAME"] = "alice@example.com".into();
                r["SECRET_HASH"] = alias_hash.clone().into();
            }),
            Some("NotAuthorizedException"),
        ),
        (
            "SECRET_HASH over the alias",
            Box::new(move |r| {
                r["SECRET_HASH"] =
                    expected_secret_hash("alice@example.com", CLIENT, CLIENT_SECRET).into();
            }),
            Some("NotAuthorizedException"),
        ),
        (
            "no SECRET_HASH",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("SECRET_HASH");
            }),
            Some("NotAuthorizedException"),
        ),
    ];
    assert_eq!(
        UnixTime::from_secs(T0).cognito_timestamp(),
        "Fri Jan 15 08:00:00 UTC 2027"
    );
    for (seed, (name, tamper, refusal)) in (100..).zip(&tamperings) {
        let (mut flow, first) = SignIn::start(
            config.clone(),
            Credentials::srp("alice@example.com", SecretString::new(PASSWORD)),
            entropy(seed),
        )
        .unwrap();
        let response = pool.handle(&first);
        let Step::Send(request) = flow
            .handle_response(HttpResponse::new(response.status, &response.body), pool.now)
            .unwrap()
        else {
            panic!("PASSWORD_VERIFIER is answered automatically")
        };
        let mut body: Value = serde_json::from_str(request.body()).unwrap();
        tamper(&mut body["ChallengeResponses"]);
        let response = pool.handle_body(Operation::RespondToAuthChallenge, body);
        let answer: Value = serde_json::from_slice(&response.body).unwrap();
        match refusal {
            None => assert_eq!(response.status, 200, "{name}: {answer}"),
            Some(code) => assert_eq!(answer["__type"], *code, "{name}: {answer}"),
        }
    }
    assert_eq!(pool.stats.verified, 1);
}
