//! The emulator launcher (`cognito_auth_testkit::emulator_process`, `::ministack`) on a busy or
//! fresh machine (issue 14, "Fresh machine"): a server that is not ours never passes for ready.
//!
//! Two tests starting at once used to be able to draw the same "free" port: the second
//! MiniStack then failed to bind, but its readiness probe had already been answered by the
//! first one, so the second test ran against a stranger that stopped under it when the first
//! test ended. Ports are now never given twice in one process, and the probe checks that the
//! answering MiniStack is the one this process started on that port (MINISTACK_EDITION).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use cognito_auth_testkit::ministack;

use core::net::Ipv4Addr;
use core::time::Duration;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// A MiniStack started by hand, as another process (another test run, another user) would:
/// killed and reaped on drop.
struct Stranger(Child);

impl Drop for Stranger {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn another_processs_ministack_on_the_port_is_not_ready() {
    // Our own server passes.
    let ours = ministack::MiniStack::start();
    ministack::probe_says_ready(&ours.endpoint()).unwrap();

    // A MiniStack of the same version with AUTH=true, started outside the launcher.
    let port = {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        listener.local_addr().unwrap().port()
    };
    let state = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("stranger-ministack-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&state).unwrap();
    let stranger = Stranger(
        Command::new(ministack::executable())
            .env("AUTH", "true")
            .env("BIND_HOST", "127.0.0.1")
            .env("GATEWAY_PORT", port.to_string())
            .env("SERVICES", "cognito-idp")
            .env("IOT_MTLS_ENABLED", "0")
            .env("SFTP_ENABLED", "0")
            .env("PERSIST_STATE", "0")
            .env("STATE_DIR", &state)
            .env("DOCKER_HOST", format!("unix://{}/no.sock", state.display()))
            .env_remove("MINISTACK_EDITION")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let endpoint = format!("http://127.0.0.1:{port}/");
    // Wait until it answers at all (any health document).
    let started = Instant::now();
    let answered = loop {
        let health = ureq::get(format!("{endpoint}_ministack/health")).call();
        if let Ok(mut response) = health {
            break response.body_mut().read_to_string().unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the stranger MiniStack never answered"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(answered.contains("\"auth\": \"enabled\""), "{answered}");
    // It is a healthy MiniStack 1.5.33 with AUTH=true, but not ours: not ready.
    let why = ministack::probe_says_ready(&endpoint).unwrap_err();
    assert!(why.contains("another server answers"), "{why}");
    drop(stranger);
    let _ = std::fs::remove_dir_all(&state);
}
