//! Sequences of HTTP responses, answers and snapshot/restore round trips fed to one sign-in
//! (quinn-style operation lists). Asserts no panic, the flow's state invariants, and what a
//! hostile server can get: no `PASSWORD` parameter in an SRP flow, at most one password claim
//! per `InitiateAuth`, at most `MAX_REQUESTS_PER_SIGN_IN` requests (restores included).
#![no_main]

use arbitrary::Arbitrary;
use cognito_auth_core::UnixTime;
use cognito_auth_core::sign_in::{
    Entropy, FirstFactor, HttpResponse, MAX_REQUESTS_PER_SIGN_IN, RestoreOptions, SignIn,
    SnapshotKey, Step,
};
use cognito_auth_core::wire::{Operation, Request};
use cognito_auth_fuzz::{Answer, Body, FlowKind, Name, Start, config};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Status {
    Ok,
    BadRequest,
    ServerError,
    Any(u16),
}

#[derive(Arbitrary, Debug)]
enum Op {
    Respond {
        status: Status,
        error_type: Option<Name>,
        body: Body,
    },
    Answer(Answer),
    SnapshotRestore {
        elapsed_secs: u8,
        entropy: [u8; 32],
        keep_password: bool,
        sealed: bool,
    },
    Wait(u16),
}

#[derive(Arbitrary, Debug)]
struct Input {
    start: Start,
    ops: Vec<Op>,
}

fn check(flow: &SignIn, result: &Result<Step, impl core::fmt::Debug>) {
    if flow.is_over() {
        assert!(
            flow.pending_step().is_none(),
            "an over flow has no pending step"
        );
    }
    match result {
        Ok(Step::Challenge(step)) => {
            assert_eq!(
                flow.pending_step(),
                Some(step),
                "the step handed out is the one waiting"
            );
        }
        Ok(Step::Send(_)) => {
            assert!(!flow.is_over(), "a flow with a request to send is not over");
            assert!(flow.pending_step().is_none());
        }
        Ok(Step::SignedIn(_) | Step::ConfirmSignUp { .. } | Step::ResetPassword { .. }) => {
            assert!(flow.is_over(), "terminal steps end the flow");
        }
        Ok(_) | Err(_) => {}
    }
}

/// What the server got so far.
#[derive(Default)]
struct Sent {
    requests: u32,
    initiates: u32,
    claims: u32,
}

impl Sent {
    fn record(&mut self, srp_flow: bool, request: &Request) {
        self.requests += 1;
        let body = request.body();
        if srp_flow {
            assert!(
                !body.contains("\"PASSWORD\":"),
                "an SRP flow sent the password"
            );
        }
        if request.operation() == Operation::InitiateAuth {
            self.initiates += 1;
        }
        if body.contains("\"ChallengeName\":\"PASSWORD_VERIFIER\"") {
            self.claims += 1;
        }
        assert!(
            self.claims <= self.initiates,
            "more than one claim per InitiateAuth"
        );
        assert!(self.initiates <= 2, "the stale-device restart happens once");
        assert!(
            self.requests <= MAX_REQUESTS_PER_SIGN_IN,
            "past the request limit"
        );
    }
}

fuzz_target!(|input: Input| {
    let config = config(input.start.client_secret.as_deref());
    let Ok((mut flow, first)) = SignIn::start(
        config.clone(),
        input.start.credentials(),
        input.start.entropy(),
    ) else {
        return;
    };
    let srp_flow = matches!(input.start.flow, FlowKind::Srp | FlowKind::CustomWithSrp)
        || matches!(&input.start.flow, FlowKind::UserAuth(Some(f)) if f.get() == FirstFactor::PasswordSrp);
    let mut sent = Sent::default();
    sent.record(srp_flow, &first);
    let key = SnapshotKey::new(&input.start.entropy).unwrap_or_else(|e| panic!("{e}"));
    let mut now = 1_800_000_000u64;
    for op in input.ops.iter().take(32) {
        match op {
            Op::Respond {
                status,
                error_type,
                body,
            } => {
                let status = match status {
                    Status::Ok => 200,
                    Status::BadRequest => 400,
                    Status::ServerError => 500,
                    Status::Any(s) => *s,
                };
                let error_type = error_type.as_ref().map(|n| match n {
                    Name::Known(_) => String::from("NotAuthorizedException"),
                    Name::Any(s) => s.clone(),
                });
                let body = body.bytes();
                let response =
                    HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
                let result = flow.handle_response(response, UnixTime::from_secs(now));
                check(&flow, &result);
                if let Ok(Step::Send(request)) = &result {
                    sent.record(srp_flow, request);
                }
            }
            Op::Answer(answer) => {
                let before = flow.pending_step().cloned();
                let username = flow.username().to_owned();
                let result = flow.answer(answer.get(), UnixTime::from_secs(now));
                if let Ok(Step::Send(request)) = &result {
                    sent.record(srp_flow, request);
                }
                if result.is_err()
                    && before.is_some()
                    && result.as_ref().is_err_and(|e| e.step_still_open())
                {
                    // "A refused answer leaves the step open."
                    assert_eq!(flow.pending_step(), before.as_ref());
                    assert_eq!(flow.username(), username);
                }
                check(&flow, &result);
            }
            Op::SnapshotRestore {
                elapsed_secs,
                entropy,
                keep_password,
                sealed,
            } => {
                let taken_at = UnixTime::from_secs(now);
                let snapshot = if *sealed {
                    flow.snapshot_sealed(taken_at, &key)
                } else {
                    flow.snapshot(taken_at)
                };
                match snapshot {
                    Err(_) => assert!(flow.pending_step().is_none()),
                    Ok(snapshot) => {
                        let pending = flow.pending_step().cloned();
                        assert!(pending.is_some(), "snapshots are taken while a step waits");
                        now += u64::from(*elapsed_secs);
                        let options = RestoreOptions {
                            now: UnixTime::from_secs(now),
                            max_age_secs: 300,
                            entropy: Entropy::from_bytes(*entropy),
                            device: input.start.device.as_ref().map(|d| d.get()),
                            password: input
                                .start
                                .password
                                .as_deref()
                                .filter(|_| *keep_password)
                                .map(cognito_auth_core::SecretString::new),
                        };
                        let restored = if *sealed {
                            SignIn::restore_sealed(config.clone(), snapshot.expose(), &key, options)
                        } else {
                            SignIn::restore(config.clone(), snapshot.expose(), options)
                        }
                        .unwrap_or_else(|e| panic!("own snapshot refused: {e:?}"));
                        assert_eq!(restored.pending_step(), pending.as_ref());
                        assert_eq!(restored.username(), flow.username());
                        flow = restored;
                    }
                }
            }
            Op::Wait(secs) => now += u64::from(*secs),
        }
    }
});
