//! The test kit of the cognito-auth workspace (`publish = false`): the servers, launchers and
//! fixtures that the core's, the FFI's and the CLI's integration tests share. Each of those
//! crates lists it under `[dev-dependencies]` and imports what it needs:
//!
//! ```
//! use cognito_auth_core::UnixTime;
//! use cognito_auth_testkit::fake_pool::FakePool;
//! use cognito_auth_testkit::srp_server::SrpServer;
//!
//! let pool = FakePool::new("eu-west-1_DocPool", "docclient", UnixTime::from_secs(1_800_000_000));
//! assert!(pool.log.is_empty());
//! let group = SrpServer::new();
//! assert_eq!(group.g, 2u32.into());
//! ```
//!
//! The server side here (SRP, TOTP, `SECRET_HASH`) is written independently of
//! `cognito_auth_core`, over `num-bigint-dig`, `hmac`, `hkdf`, `sha1` and `sha2`, so that a test
//! checks the core against another implementation rather than against itself.
//!
//! | Module | What it is | Used by |
//! |---|---|---|
//! | [`srp_server`] | The server half of Cognito's SRP-6a (verifier, B, premaster secret, HKDF key, claim signature) | core `srp.rs`, `srp_proptest.rs`, `sign_in_proptest.rs`, `sign_in_snapshot_proptest.rs`, `account_proptest.rs`; [`fake_pool`] |
//! | [`rfc6238`] | HOTP (RFC 4226) and TOTP (RFC 6238) of its own, Cognito's ±1-step check | core `totp_vectors.rs`; [`fake_pool`] |
//! | [`fake_pool`] | An in-memory Cognito user pool answering the core's requests (SRP, devices, TOTP MFA) | core `sign_in_fake_pool.rs`, FFI `sign_in_session.rs`, CLI `fake_pool_http.rs` |
//! | [`proptest_fixtures`] | The pool, client, secrets and proptest configuration of the property files | core `*_proptest.rs` (seven files) |
//! | [`sign_in_strategies`] | Proptest strategies over sign-in flows and server answers | core `sign_in_proptest.rs`, `sign_in_snapshot_proptest.rs`, `account_proptest.rs` |
//! | [`cognito_idp`] | A small Cognito admin client over plain HTTP (pools, app clients, users) for the emulators | every MiniStack/moto suite of the core and the CLI |
//! | [`emulator_process`] | An emulator as a child process: executable lookup, free port, `sh` guard, bounded start and stop | [`ministack`], [`moto`], [`fakecloud`] |
//! | [`fakecloud`] | The launcher of fakecloud 0.51's Cognito service (`tools/fakecloud-server`, built by `scripts/ensure-tool.sh fakecloud`; a separate program, never linked) | core `fakecloud_passkey.rs` |
//! | [`ministack`] | The MiniStack launcher | core `ministack_*.rs`, `emulator_launcher.rs`; CLI `cli.rs`, `account_commands.rs`, `credentials.rs`, `oauth.rs`, `session_file.rs` |
//! | [`moto`] | The moto launcher | core `moto_sign_in.rs` |
//! | [`hosted_ui`] | The hosted UI's OAuth endpoints on MiniStack (authorize, token) | core `ministack_oauth.rs`, CLI `oauth.rs` |
//! | [`sign_in_driver`] | The app side of the sans-IO sign-in over HTTP, with a transcript | core `ministack_*.rs`, `moto_sign_in.rs` |
//! | [`scripted_server`] | An HTTP server on 127.0.0.1 answering from a script or a closure, recording each request | CLI `hardening.rs`, `account_commands.rs`, `fake_pool_http.rs` (the fake pool over HTTP), `session_file.rs` (a proxy in front of MiniStack) |
//!
//! **Lints:** the crate keeps the workspace's lints except `clippy::unwrap_used`,
//! `clippy::expect_used`, `clippy::panic` and `clippy::indexing_slicing` (its own `[lints]` in
//! `Cargo.toml`): it is only ever linked into tests, where a failed `unwrap`, `expect`, index or
//! `panic!` is how a test fails, and it uses them throughout.
#![forbid(unsafe_code)]

extern crate alloc;

pub mod cognito_idp;
pub mod emulator_process;
pub mod fake_pool;
pub mod fakecloud;
pub mod hosted_ui;
pub mod ministack;
pub mod moto;
pub mod proptest_fixtures;
pub mod rfc6238;
pub mod scripted_server;
pub mod sign_in_driver;
pub mod sign_in_strategies;
pub mod srp_server;
