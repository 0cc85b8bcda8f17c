//! `Session::restore` and `Session::restore_sealed` (with a fixed key) of arbitrary strings, and
//! of well-formed envelopes (right prefix and version, a valid digest or seal) around arbitrary
//! documents: no panic, and a restored session stores and restores again to the same user,
//! expiry and device, and builds its requests.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_auth_core::UnixTime;
use cognito_auth_core::session::{
    Session, SessionError, SessionKey, SessionOptions, SignOutKind, TokensForCall,
};
use cognito_auth_fuzz::config;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

/// The fixed sealing key (32 bytes).
const KEY: [u8; 32] = *b"session-restore-fuzz-key-32-byte";

/// A plain envelope around `body`: its digest is right.
fn plain(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!(
        "cognito-auth-session.v1.{}.{}",
        URL_SAFE_NO_PAD.encode(body),
        URL_SAFE_NO_PAD.encode(&digest[..12])
    )
}

/// A sealed envelope around `body`: HMAC-SHA256 (RFC 2104, written out so the fuzz crate needs
/// no `hmac` dependency) with [`KEY`] over everything before the last dot.
fn sealed(body: &[u8]) -> String {
    let signed = format!(
        "cognito-auth-session-sealed.v1.{}",
        URL_SAFE_NO_PAD.encode(body)
    );
    let mut block = [0_u8; 64];
    block[..KEY.len()].copy_from_slice(&KEY);
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(signed.as_bytes())
        .finalize();
    let tag = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(tag))
}

const NOW: u64 = 1_800_000_000;

/// What a restored session must do: store, restore again to the same session, answer calls.
fn exercise(
    mut session: Session,
    restore: impl Fn(&str) -> Result<Session, SessionError>,
    store: impl Fn(&Session) -> Result<String, SessionError>,
) {
    assert!(session.is_active(), "a restored session is active");
    assert!(
        !session.is_refreshing(),
        "a restored session has no refresh in flight"
    );
    let stored = store(&session).unwrap_or_else(|e| panic!("restored session: {e:?}"));
    let again = restore(&stored).unwrap_or_else(|e| panic!("own storage refused: {e:?}"));
    assert_eq!(again.username(), session.username());
    assert_eq!(again.sub(), session.sub());
    assert_eq!(again.device_key(), session.device_key());
    assert_eq!(again.access_expires_at(), session.access_expires_at());
    for now in [0, NOW, u64::MAX] {
        match session.tokens_for_call(UnixTime::from_secs(now)) {
            Ok(TokensForCall::Refresh(_)) => {
                assert!(session.is_refreshing());
                let _ = session.refresh_failed_to_send();
            }
            Ok(TokensForCall::Fresh(_)) => {}
            Ok(other) => panic!("restored session answered {other:?}"),
            Err(_) => {}
        }
    }
    let _ = session.sign_out(SignOutKind::Revoke);
    assert!(!session.is_active(), "signed out");
}

fuzz_target!(|data: &[u8]| {
    // Input: a stored session as is, or (starting with `{`) the JSON document inside one,
    // wrapped here in a valid plain and a valid sealed envelope so the fuzzer gets past the
    // digest and the seal.
    let (plain_text, sealed_text) = if data.first() == Some(&b'{') {
        (plain(data), sealed(data))
    } else {
        match core::str::from_utf8(data) {
            Ok(text) => (text.to_owned(), text.to_owned()),
            Err(_) => return,
        }
    };
    let key = SessionKey::new(&KEY).unwrap_or_else(|e| panic!("fixed key: {e:?}"));
    let options = SessionOptions::default();

    let restore = |text: &str| Session::restore(config(None), text, options);
    if let Ok(session) = restore(&plain_text) {
        assert!(
            Session::restore_sealed(config(None), &plain_text, &key, options).is_err(),
            "a plain stored session is refused where a sealed one is expected"
        );
        exercise(session, restore, |s| {
            s.to_storage().map(|t| t.expose().to_owned())
        });
    }

    let restore_sealed = |text: &str| Session::restore_sealed(config(None), text, &key, options);
    if let Ok(session) = restore_sealed(&sealed_text) {
        assert!(
            Session::restore(config(None), &sealed_text, options).is_err(),
            "a sealed stored session needs its key"
        );
        exercise(session, restore_sealed, |s| {
            s.to_storage_sealed(&key).map(|t| t.expose().to_owned())
        });
    }
});
