//! What the core leaves to its caller: the clock and randomness. The bindings read the system
//! clock and draw from the operating system's CSPRNG (`getrandom`); the test-only constructors
//! (cargo feature `testing`, never in a shipped library) replace both with fixed values.

use std::time::{SystemTime, UNIX_EPOCH};

use cognito_auth_core::UnixTime;
use cognito_auth_core::sign_in::Entropy;

use crate::error::{CognitoAuthError, Result};

/// Where a session's time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    /// `SystemTime::now()` at every call.
    System,
    /// A fixed time set by a test (changed with `set_time_for_testing`).
    #[cfg(feature = "testing")]
    Fixed(u64),
}

impl Clock {
    pub(crate) fn now(self) -> Result<UnixTime> {
        match self {
            Self::System => system_now(),
            #[cfg(feature = "testing")]
            Self::Fixed(secs) => Ok(UnixTime::from_secs(secs)),
        }
    }
}

/// The system clock as Unix seconds.
pub(crate) fn system_now() -> Result<UnixTime> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| UnixTime::from_secs(elapsed.as_secs()))
        .map_err(|_| CognitoAuthError::platform("the system clock is before 1970"))
}

/// 32 bytes from the operating system's CSPRNG.
pub(crate) fn fresh_entropy() -> Result<Entropy> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut_slice()).map_err(|error| {
        CognitoAuthError::platform(format_args!(
            "the operating system gave no random bytes: {error}"
        ))
    })?;
    Ok(Entropy::from_bytes(*bytes))
}

/// Entropy given by a test: exactly 32 bytes.
#[cfg(feature = "testing")]
pub(crate) fn test_entropy(bytes: Vec<u8>) -> Result<Entropy> {
    let bytes = zeroize::Zeroizing::new(bytes);
    let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
        CognitoAuthError::invalid_input(
            "entropy",
            format_args!("a test entropy has 32 bytes, not {}", bytes.len()),
        )
    })?;
    Ok(Entropy::from_bytes(array))
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test fails by panicking"
    )]

    use super::*;

    #[test]
    fn the_system_clock_is_after_2020() {
        assert!(system_now().unwrap().as_secs() > 1_577_836_800);
        assert_eq!(Clock::Fixed(42).now().unwrap(), UnixTime::from_secs(42));
    }

    #[test]
    fn fresh_entropy_can_be_drawn() {
        // Entropy hides its bytes, so this only shows that drawing works; that two draws
        // differ is shown by two_sessions_draw_different_srp_secrets.
        fresh_entropy().unwrap();
    }

    #[test]
    fn two_sessions_draw_different_srp_secrets() {
        use crate::sign_in::{AuthFlow, SignInCredentials, SignInSession, SignInStep};
        use crate::types::ClientConfig;
        let srp_a = || {
            let config = ClientConfig {
                user_pool_id: "eu-west-1_Abc123XyZ".into(),
                client_id: "client-id".into(),
                client_secret: None,
                endpoint_url: None,
                allow_insecure_http: false,
            };
            let credentials = SignInCredentials {
                username: "alice".into(),
                flow: AuthFlow::UserSrp,
                password: Some("Correct-Horse-9!".into()),
                device: None,
                device_name: None,
                client_metadata: std::collections::HashMap::new(),
            };
            let session = SignInSession::new(config, credentials).unwrap();
            let SignInStep::SendRequest { request } = session.start().unwrap() else {
                panic!("start sends InitiateAuth")
            };
            let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
            body["AuthParameters"]["SRP_A"].as_str().unwrap().to_owned()
        };
        assert_ne!(srp_a(), srp_a(), "each session draws its own randomness");
    }

    #[test]
    fn test_entropy_must_be_32_bytes() {
        test_entropy(vec![7; 32]).unwrap();
        match test_entropy(vec![7; 31]) {
            Err(CognitoAuthError::InvalidInput { what, reason }) => {
                assert_eq!(what, "entropy");
                assert!(reason.contains("31"), "{reason}");
            }
            other => panic!("{:?}", other.err()),
        }
    }
}
