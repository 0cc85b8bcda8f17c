//! `PasswordVerifierChallenge::parse(SALT, SRP_B, SECRET_BLOCK)` and, when it accepts, the
//! password claim. Asserts no panic and the claim's shape.
//!
//! Input: lines `SALT`, `SRP_B`, `SECRET_BLOCK`, then optionally the password, `USER_ID_FOR_SRP`
//! and the client's ephemeral secret in hex, so the seeds are the challenge strings themselves.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_auth_core::srp::{EphemeralSecret, PasswordVerifierChallenge, SrpClient, SrpIdentity};
use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
use cognito_auth_fuzz::POOL;
use libfuzzer_sys::fuzz_target;

fn unhex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| u8::from_str_radix(core::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

fuzz_target!(|data: &str| {
    let mut lines = data.split('\n');
    let salt = lines.next().unwrap_or_default();
    let srp_b = lines.next().unwrap_or_default();
    let secret_block = lines.next().unwrap_or_default();
    let password = lines.next().unwrap_or("Correct-Horse-9!");
    let user_id = lines
        .next()
        .unwrap_or("9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60");
    let ephemeral = lines.next().and_then(unhex).unwrap_or_else(|| vec![7; 32]);
    let device_group = lines.next();

    let Ok(challenge) = PasswordVerifierChallenge::parse(salt, srp_b, secret_block) else {
        return;
    };
    assert_eq!(challenge.secret_block(), secret_block);
    let Ok(ephemeral) = EphemeralSecret::from_bytes(&ephemeral) else {
        return;
    };
    let Ok(client) = SrpClient::new(&ephemeral) else {
        return;
    };
    let a = client.public_key_hex();
    assert!(
        !a.is_empty()
            && a.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert!(!a.starts_with('0'), "SRP_A has no leading zeros");
    let pool = UserPoolId::parse(POOL).unwrap_or_else(|_| unreachable!());
    let identity = match device_group {
        Some(group) => SrpIdentity::device(group, user_id),
        None => SrpIdentity::user(&pool, user_id),
    };
    let now = UnixTime::from_secs(1_800_000_000);
    if let Ok(claim) =
        client.password_claim(identity, &SecretString::new(password), &challenge, now)
    {
        assert_eq!(claim.secret_block, secret_block);
        assert_eq!(
            STANDARD.decode(&claim.signature).map(|s| s.len()).ok(),
            Some(32)
        );
        assert_eq!(claim.timestamp, now.cognito_timestamp());
    }
});
