//! Which challenge each flow accepts, and when: the one place that decides whether a
//! challenge from the server may move a sign-in forward.
//!
//! A server that lies (a compromised proxy, a wrong endpoint) can name any challenge at any
//! time. The sign-in answers only what this table allows; anything else ends it with
//! [`SignInError::UnexpectedChallenge`], naming the flow and the challenge, before any request
//! is built. A name the table does not list (`ADMIN_NO_SRP_AUTH`, which no client can answer,
//! or one newer than this library) ends it with [`SignInError::UnsupportedChallenge`].
//!
//! | challenge | USER_SRP_AUTH | USER_PASSWORD_AUTH | CUSTOM_AUTH+SRP | CUSTOM_AUTH | USER_AUTH |
//! |---|---|---|---|---|---|
//! | PASSWORD_VERIFIER | after SRP_A | no | after SRP_A | no | after SRP_A |
//! | DEVICE_SRP_AUTH | once, with a device | once, with a device | once, with a device | once, with a device | once, with a device |
//! | DEVICE_PASSWORD_VERIFIER | after DEVICE_SRP_AUTH | after DEVICE_SRP_AUTH | after DEVICE_SRP_AUTH | after DEVICE_SRP_AUTH | after DEVICE_SRP_AUTH |
//! | SMS_MFA | yes | yes | yes | yes | yes |
//! | SOFTWARE_TOKEN_MFA | yes | yes | yes | yes | yes |
//! | EMAIL_OTP | yes | yes | yes | yes | yes |
//! | SELECT_MFA_TYPE | yes | yes | yes | yes | yes |
//! | MFA_SETUP | yes | yes | yes | yes | yes |
//! | NEW_PASSWORD_REQUIRED | yes | yes | yes | no | yes |
//! | CUSTOM_CHALLENGE | no | no | yes | yes | no |
//! | SELECT_CHALLENGE | no | no | no | no | first response |
//! | PASSWORD | no | no | no | no | first response |
//! | PASSWORD_SRP | no | no | no | no | first response |
//! | SMS_OTP | no | no | no | no | first factor |
//! | WEB_AUTHN | no | no | no | no | first factor |
//!
//! - **after SRP_A**: only as the answer to the request that sent the user's `SRP_A`
//!   (`InitiateAuth` of an SRP flow, or `SELECT_CHALLENGE` answered with `PASSWORD_SRP`), and
//!   then nothing else is accepted: one password claim per SRP exchange.
//! - **once, with a device**: the credentials carry a remembered device, the device has not
//!   been asked for yet in this sign-in, and no user SRP exchange is open.
//! - **after DEVICE_SRP_AUTH**: only as the answer to the device's `SRP_A`, and then nothing
//!   else is accepted.
//! - **first response**: only as the answer to `InitiateAuth`.
//! - **first factor**: as the answer to `InitiateAuth` or to the choice of a first factor.
//! - `USER_AUTH` includes auto sign-in after sign-up. `REFRESH_TOKEN_AUTH` is not a sign-in:
//!   its response must carry tokens ([`RefreshTokenAuth`](crate::account::RefreshTokenAuth)
//!   refuses any challenge as a missing `AuthenticationResult`).
//! - Tokens (`AuthenticationResult`) end any flow at any point.
//!
//! Only `USER_PASSWORD_AUTH` and `USER_AUTH`'s `PASSWORD` factor put the password itself into
//! a request; the policy hands the request builder a `PlaintextPassword` for those two
//! alone, so an SRP flow cannot build a request that carries it.

use super::auth_request::PlaintextPassword;
use super::config::{AuthFlow, FirstFactor};
use super::error::SignInError;
use crate::secret::SecretString;
use crate::wire::ChallengeName;

/// A flow, as the policy table's columns name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowKind {
    UserSrp,
    UserPassword,
    CustomWithSrp,
    Custom,
    UserAuth,
}

impl FlowKind {
    pub(crate) const ALL: [Self; 5] = [
        Self::UserSrp,
        Self::UserPassword,
        Self::CustomWithSrp,
        Self::Custom,
        Self::UserAuth,
    ];

    pub(crate) fn of(flow: AuthFlow) -> Self {
        match flow {
            AuthFlow::UserSrp => Self::UserSrp,
            AuthFlow::UserPassword => Self::UserPassword,
            AuthFlow::CustomWithSrp => Self::CustomWithSrp,
            AuthFlow::CustomWithoutSrp => Self::Custom,
            AuthFlow::UserAuth { .. } => Self::UserAuth,
        }
    }

    /// The column header, as error messages name the flow.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::UserSrp => "USER_SRP_AUTH",
            Self::UserPassword => "USER_PASSWORD_AUTH",
            Self::CustomWithSrp => "CUSTOM_AUTH+SRP",
            Self::Custom => "CUSTOM_AUTH",
            Self::UserAuth => "USER_AUTH",
        }
    }

    fn column(self) -> usize {
        match self {
            Self::UserSrp => 0,
            Self::UserPassword => 1,
            Self::CustomWithSrp => 2,
            Self::Custom => 3,
            Self::UserAuth => 4,
        }
    }
}

/// A cell of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    No,
    Yes,
    AfterSrpA,
    OnceWithDevice,
    AfterDeviceSrp,
    FirstResponse,
    FirstFactor,
}

impl Rule {
    /// The cell as the module docs write it.
    #[cfg(test)]
    pub(crate) fn text(self) -> &'static str {
        match self {
            Self::No => "no",
            Self::Yes => "yes",
            Self::AfterSrpA => "after SRP_A",
            Self::OnceWithDevice => "once, with a device",
            Self::AfterDeviceSrp => "after DEVICE_SRP_AUTH",
            Self::FirstResponse => "first response",
            Self::FirstFactor => "first factor",
        }
    }
}

use Rule::{
    AfterDeviceSrp, AfterSrpA, FirstFactor as First, FirstResponse, No, OnceWithDevice, Yes,
};

/// The table of the module docs; a test checks that both say the same.
pub(crate) const TABLE: &[(ChallengeName, [Rule; 5])] = &[
    (
        ChallengeName::PasswordVerifier,
        [AfterSrpA, No, AfterSrpA, No, AfterSrpA],
    ),
    (ChallengeName::DeviceSrpAuth, [OnceWithDevice; 5]),
    (ChallengeName::DevicePasswordVerifier, [AfterDeviceSrp; 5]),
    (ChallengeName::SmsMfa, [Yes; 5]),
    (ChallengeName::SoftwareTokenMfa, [Yes; 5]),
    (ChallengeName::EmailOtp, [Yes; 5]),
    (ChallengeName::SelectMfaType, [Yes; 5]),
    (ChallengeName::MfaSetup, [Yes; 5]),
    (ChallengeName::NewPasswordRequired, [Yes, Yes, Yes, No, Yes]),
    (ChallengeName::CustomChallenge, [No, No, Yes, Yes, No]),
    (
        ChallengeName::SelectChallenge,
        [No, No, No, No, FirstResponse],
    ),
    (ChallengeName::Password, [No, No, No, No, FirstResponse]),
    (ChallengeName::PasswordSrp, [No, No, No, No, FirstResponse]),
    (ChallengeName::SmsOtp, [No, No, No, No, First]),
    (ChallengeName::WebAuthn, [No, No, No, No, First]),
];

/// What a challenge answers: the request in flight when it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answering {
    /// `InitiateAuth`.
    Initiate,
    /// `SELECT_CHALLENGE` answered with a first factor.
    FactorChoice,
    /// Anything else: an automatic leg or the answer to a user step.
    Later,
}

/// Where the sign-in is when a challenge arrives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Position {
    pub(crate) answering: Answering,
    /// The user's `SRP_A` was sent and `PASSWORD_VERIFIER` has not come yet.
    pub(crate) user_srp_open: bool,
    /// The device's `SRP_A` was sent and `DEVICE_PASSWORD_VERIFIER` has not come yet.
    pub(crate) device_srp_open: bool,
    /// A remembered device was given and has not been asked for yet.
    pub(crate) device_unasked: bool,
}

/// Whether `challenge` may come in `flow` at `position`: `Ok`, or the error that ends the
/// sign-in.
pub(crate) fn check(
    flow: FlowKind,
    challenge: &ChallengeName,
    position: Position,
) -> Result<(), SignInError> {
    let Some((_, rules)) = TABLE.iter().find(|(name, _)| name == challenge) else {
        return Err(SignInError::UnsupportedChallenge {
            name: challenge.as_str().into(),
        });
    };
    let rule = rules.get(flow.column()).copied().unwrap_or(No);
    // An open SRP exchange takes its verifier and nothing else.
    let exchange_open = (position.user_srp_open && rule != AfterSrpA)
        || (position.device_srp_open && rule != AfterDeviceSrp);
    let allowed = !exchange_open
        && match rule {
            No => false,
            Yes => true,
            AfterSrpA => position.user_srp_open,
            OnceWithDevice => position.device_unasked,
            AfterDeviceSrp => position.device_srp_open,
            FirstResponse => position.answering == Answering::Initiate,
            First => position.answering != Answering::Later,
        };
    if allowed {
        Ok(())
    } else {
        Err(SignInError::UnexpectedChallenge {
            flow: flow.name(),
            name: challenge.as_str().into(),
        })
    }
}

/// The password may go into a request as it is: `USER_PASSWORD_AUTH`, and `USER_AUTH` for the
/// `PASSWORD` factor. Every other flow gets `None`.
pub(crate) fn plaintext_password(
    flow: AuthFlow,
    factor: Option<FirstFactor>,
    password: &SecretString,
) -> Option<PlaintextPassword<'_>> {
    let allowed = match flow {
        AuthFlow::UserPassword => true,
        AuthFlow::UserAuth { .. } => factor == Some(FirstFactor::Password),
        _ => false,
    };
    allowed.then(|| PlaintextPassword::allowed_by_policy(password))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    /// The table in the module docs, row by row, as this file's source has it.
    fn documented_rows() -> Vec<Vec<String>> {
        include_str!("policy.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("//! | "))
            .map(|row| {
                row.trim_end_matches(" |")
                    .split(" | ")
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn the_documented_table_is_the_table_in_the_code() {
        let rows = documented_rows();
        let (header, body) = rows.split_first().expect("a header row");
        let columns: Vec<&str> = FlowKind::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(
            header.get(1..),
            Some(&columns.iter().map(|c| String::from(*c)).collect::<Vec<_>>()[..])
        );
        // The separator row is skipped ("---|...").
        let body: Vec<&Vec<String>> = body
            .iter()
            .filter(|row| !row[0].starts_with("---"))
            .collect();
        assert_eq!(body.len(), TABLE.len(), "one documented row per challenge");
        for ((name, rules), row) in TABLE.iter().zip(body) {
            assert_eq!(row[0], name.as_str());
            let cells: Vec<&str> = rules.iter().map(|rule| rule.text()).collect();
            assert_eq!(&row[1..], &cells[..], "row {}", name.as_str());
        }
    }

    #[test]
    fn an_srp_flow_never_gets_a_plaintext_password() {
        let password = SecretString::new("hunter2");
        for flow in [
            AuthFlow::UserSrp,
            AuthFlow::CustomWithSrp,
            AuthFlow::CustomWithoutSrp,
            AuthFlow::UserAuth {
                preferred: Some(FirstFactor::PasswordSrp),
            },
        ] {
            for factor in [
                None,
                Some(FirstFactor::PasswordSrp),
                Some(FirstFactor::EmailOtp),
            ] {
                assert!(plaintext_password(flow, factor, &password).is_none());
            }
        }
        assert!(
            plaintext_password(AuthFlow::UserSrp, Some(FirstFactor::Password), &password).is_none()
        );
        assert!(plaintext_password(AuthFlow::UserPassword, None, &password).is_some());
        let user_auth = AuthFlow::UserAuth { preferred: None };
        assert!(plaintext_password(user_auth, Some(FirstFactor::Password), &password).is_some());
    }

    #[test]
    fn an_open_exchange_takes_its_verifier_only() {
        let open = Position {
            answering: Answering::Initiate,
            user_srp_open: true,
            device_srp_open: false,
            device_unasked: true,
        };
        for (name, _) in TABLE {
            let result = check(FlowKind::UserSrp, name, open);
            assert_eq!(
                result.is_ok(),
                *name == ChallengeName::PasswordVerifier,
                "{name:?}"
            );
        }
        let device = Position {
            answering: Answering::Later,
            user_srp_open: false,
            device_srp_open: true,
            device_unasked: false,
        };
        for (name, _) in TABLE {
            let result = check(FlowKind::UserPassword, name, device);
            assert_eq!(
                result.is_ok(),
                *name == ChallengeName::DevicePasswordVerifier,
                "{name:?}"
            );
        }
    }
}
