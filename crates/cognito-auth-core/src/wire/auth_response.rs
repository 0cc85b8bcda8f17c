//! [`AuthResponse`]: the body of a successful `InitiateAuth` / `RespondToAuthChallenge`, with
//! [`ChallengeName`] and [`AuthenticationResult`].

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Map, Value};

use super::ResponseError;
use super::json::{
    json_object, require_string, take_object, take_secret, take_string, take_string_list,
    take_string_map, take_u64,
};
use crate::secret::SecretString;

/// The response of `InitiateAuth` / `RespondToAuthChallenge` (and the `AuthenticationResult`
/// of `GetTokensFromRefreshToken`): either a challenge to answer or the tokens.
///
/// Parsing checks types, not the protocol: a body with neither a challenge nor a result, or
/// with both, parses, and the sign-in state machine decides what that means.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct AuthResponse {
    /// `ChallengeName`.
    pub(crate) challenge_name: Option<ChallengeName>,
    /// `Session`: opaque, to be sent back unmodified with the answer.
    pub(crate) session: Option<String>,
    /// `ChallengeParameters`; empty when absent.
    pub(crate) challenge_parameters: BTreeMap<String, String>,
    /// `AuthenticationResult`: the sign-in is complete.
    pub(crate) authentication_result: Option<AuthenticationResult>,
    /// `AvailableChallenges` (with `SELECT_CHALLENGE`): `PASSWORD`, `PASSWORD_SRP`,
    /// `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`; empty when absent.
    pub(crate) available_challenges: Vec<String>,
}

impl AuthResponse {
    /// Parses a 2xx body. Unknown members are ignored and `null` counts as absent;
    /// `ChallengeParameters` values must all be strings.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, ResponseError> {
        let mut object = json_object(body)?;
        Ok(Self {
            challenge_name: take_string(&mut object, "ChallengeName")?.map(ChallengeName::from),
            session: take_string(&mut object, "Session")?,
            challenge_parameters: take_string_map(&mut object, "ChallengeParameters")?,
            authentication_result: take_object(&mut object, "AuthenticationResult")?
                .map(AuthenticationResult::from_object)
                .transpose()?,
            available_challenges: take_string_list(&mut object, "AvailableChallenges")?,
        })
    }
}

impl fmt::Debug for AuthResponse {
    /// The session lets whoever holds it answer the challenge: only its length is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthResponse")
            .field("challenge_name", &self.challenge_name)
            .field("session", &self.session.as_ref().map(|s| Redacted(s.len())))
            .field("challenge_parameters", &self.challenge_parameters)
            .field("authentication_result", &self.authentication_result)
            .field("available_challenges", &self.available_challenges)
            .finish()
    }
}

/// Stands in for a secret in `Debug` output: its length only.
struct Redacted(usize);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes, redacted>", self.0)
    }
}

/// The tokens of a completed sign-in (or refresh). `Debug` shows no token.
///
/// `expires_in` is the access and ID tokens' lifetime in seconds, counted from when the
/// response arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticationResult {
    /// `AccessToken`: the JWT for calls made as the user.
    pub access_token: SecretString,
    /// `IdToken`: the JWT with the user's identity claims.
    pub id_token: Option<SecretString>,
    /// `RefreshToken`: absent when refreshing without rotation.
    pub refresh_token: Option<SecretString>,
    /// `ExpiresIn`: seconds until the access and ID tokens expire.
    pub expires_in: u64,
    /// `TokenType`, `Bearer` (also when Cognito leaves it out).
    pub token_type: String,
    /// `NewDeviceMetadata`: Cognito created a device; confirm it with `ConfirmDevice` to
    /// remember it.
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

impl AuthenticationResult {
    /// Reads an `AuthenticationResult` object. `AccessToken` (non-empty) and `ExpiresIn` are
    /// required.
    pub(crate) fn from_object(mut object: Map<String, Value>) -> Result<Self, ResponseError> {
        let access_token = take_secret(&mut object, "AccessToken")?
            .filter(|token| !token.is_empty())
            .ok_or(ResponseError::MissingField {
                field: "AccessToken",
            })?;
        Ok(Self {
            access_token,
            id_token: take_secret(&mut object, "IdToken")?,
            refresh_token: take_secret(&mut object, "RefreshToken")?,
            expires_in: take_u64(&mut object, "ExpiresIn")?
                .ok_or(ResponseError::MissingField { field: "ExpiresIn" })?,
            token_type: take_string(&mut object, "TokenType")?
                .unwrap_or_else(|| String::from("Bearer")),
            new_device_metadata: take_object(&mut object, "NewDeviceMetadata")?
                .map(NewDeviceMetadata::from_object)
                .transpose()?,
        })
    }
}

/// The device Cognito created at sign-in (`NewDeviceMetadata`), when the user pool tracks
/// devices. Neither key is secret; the device password the app generates for `ConfirmDevice`
/// is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NewDeviceMetadata {
    /// `DeviceKey`, `<region>_<uuid>`: the device's id, sent as `DEVICE_KEY` afterwards.
    pub device_key: String,
    /// `DeviceGroupKey`: the "pool name" of device SRP.
    pub device_group_key: String,
}

impl NewDeviceMetadata {
    /// Reads a `NewDeviceMetadata` object; both keys are required.
    pub(crate) fn from_object(mut object: Map<String, Value>) -> Result<Self, ResponseError> {
        Ok(Self {
            device_key: require_string(&mut object, "DeviceKey")?,
            device_group_key: require_string(&mut object, "DeviceGroupKey")?,
        })
    }
}

/// A `ChallengeName`, forward-compatible: a name this version does not know is kept in
/// [`Other`](Self::Other).
///
/// ```
/// use cognito_auth_core::wire::ChallengeName;
///
/// assert_eq!(ChallengeName::parse("SMS_MFA"), ChallengeName::SmsMfa);
/// assert_eq!(ChallengeName::SmsMfa.as_str(), "SMS_MFA");
/// let new = ChallengeName::parse("EMAIL_MFA");
/// assert_eq!(new, ChallengeName::Other("EMAIL_MFA".into()));
/// assert_eq!(new.as_str(), "EMAIL_MFA");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChallengeName {
    /// `PASSWORD_VERIFIER`: SRP step two; answered automatically.
    PasswordVerifier,
    /// `DEVICE_SRP_AUTH`: the remembered device must prove itself; answered automatically.
    DeviceSrpAuth,
    /// `DEVICE_PASSWORD_VERIFIER`: device SRP step two; answered automatically.
    DevicePasswordVerifier,
    /// `SMS_MFA`: a code sent by SMS.
    SmsMfa,
    /// `SOFTWARE_TOKEN_MFA`: a TOTP code from the user's authenticator.
    SoftwareTokenMfa,
    /// `EMAIL_OTP`: a code sent by email (MFA, or a `USER_AUTH` first factor).
    EmailOtp,
    /// `SMS_OTP`: a code sent by SMS as a `USER_AUTH` first factor.
    SmsOtp,
    /// `SELECT_MFA_TYPE`: the user picks one of `MFAS_CAN_CHOOSE`.
    SelectMfaType,
    /// `MFA_SETUP`: the user must set up MFA (`MFAS_CAN_SETUP`).
    MfaSetup,
    /// `NEW_PASSWORD_REQUIRED`: the user must choose a new password.
    NewPasswordRequired,
    /// `CUSTOM_CHALLENGE`: a challenge defined by the pool's Lambda triggers.
    CustomChallenge,
    /// `SELECT_CHALLENGE`: the user picks one of `AvailableChallenges` (`USER_AUTH`).
    SelectChallenge,
    /// `PASSWORD`: a first-factor choice of `SELECT_CHALLENGE`.
    Password,
    /// `PASSWORD_SRP`: a first-factor choice of `SELECT_CHALLENGE`.
    PasswordSrp,
    /// `WEB_AUTHN`: a passkey assertion.
    WebAuthn,
    /// `ADMIN_NO_SRP_AUTH`: cannot be answered with `RespondToAuthChallenge`.
    AdminNoSrpAuth,
    /// A name not listed above, as Cognito sent it. [`ChallengeName::parse`] never puts a
    /// listed name here.
    Other(String),
}

impl ChallengeName {
    const KNOWN: &'static [(Self, &'static str)] = &[
        (Self::PasswordVerifier, "PASSWORD_VERIFIER"),
        (Self::DeviceSrpAuth, "DEVICE_SRP_AUTH"),
        (Self::DevicePasswordVerifier, "DEVICE_PASSWORD_VERIFIER"),
        (Self::SmsMfa, "SMS_MFA"),
        (Self::SoftwareTokenMfa, "SOFTWARE_TOKEN_MFA"),
        (Self::EmailOtp, "EMAIL_OTP"),
        (Self::SmsOtp, "SMS_OTP"),
        (Self::SelectMfaType, "SELECT_MFA_TYPE"),
        (Self::MfaSetup, "MFA_SETUP"),
        (Self::NewPasswordRequired, "NEW_PASSWORD_REQUIRED"),
        (Self::CustomChallenge, "CUSTOM_CHALLENGE"),
        (Self::SelectChallenge, "SELECT_CHALLENGE"),
        (Self::Password, "PASSWORD"),
        (Self::PasswordSrp, "PASSWORD_SRP"),
        (Self::WebAuthn, "WEB_AUTHN"),
        (Self::AdminNoSrpAuth, "ADMIN_NO_SRP_AUTH"),
    ];

    /// The challenge with this wire name (exact, case-sensitive, as Cognito sends it).
    pub fn parse(name: &str) -> Self {
        Self::known(name).unwrap_or_else(|| Self::Other(String::from(name)))
    }

    /// The wire name, e.g. `SMS_MFA`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Other(name) => name,
            known => Self::KNOWN
                .iter()
                .find(|(challenge, _)| challenge == known)
                .map_or("", |&(_, name)| name),
        }
    }

    fn known(name: &str) -> Option<Self> {
        Self::KNOWN
            .iter()
            .find(|&&(_, known)| known == name)
            .map(|(challenge, _)| challenge.clone())
    }
}

impl From<String> for ChallengeName {
    /// Like [`ChallengeName::parse`], without copying an unknown name.
    fn from(name: String) -> Self {
        Self::known(&name).unwrap_or(Self::Other(name))
    }
}

impl fmt::Display for ChallengeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::vec;

    fn parse(body: &str) -> Result<AuthResponse, ResponseError> {
        AuthResponse::parse(body.as_bytes())
    }

    #[test]
    fn password_verifier_with_parameters() {
        let response = parse(
            r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{
                "SALT":"8ce8291892390f6b53a245933faf6164","SECRET_BLOCK":"d2I2ib1ar889rX5A",
                "SRP_B":"1f2e","USERNAME":"9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60",
                "USER_ID_FOR_SRP":"9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60"}}"#,
        )
        .unwrap();
        assert_eq!(
            response.challenge_name,
            Some(ChallengeName::PasswordVerifier)
        );
        assert_eq!(
            response.session, None,
            "PASSWORD_VERIFIER comes without one"
        );
        assert_eq!(response.challenge_parameters.len(), 5);
        assert_eq!(
            response.challenge_parameters["SALT"],
            "8ce8291892390f6b53a245933faf6164"
        );
        assert_eq!(response.authentication_result, None);
        assert!(response.available_challenges.is_empty());
    }

    #[test]
    fn sms_mfa_with_session_and_masked_destination() {
        let response = parse(
            r#"{"ChallengeName":"SMS_MFA","Session":"AYABeExample","ChallengeParameters":{
                "CODE_DELIVERY_DELIVERY_MEDIUM":"SMS","CODE_DELIVERY_DESTINATION":"+*******1234",
                "USER_ID_FOR_SRP":"alice"},"AuthenticationResult":null,"Unknown":{"x":[1]}}"#,
        )
        .unwrap();
        assert_eq!(response.challenge_name, Some(ChallengeName::SmsMfa));
        assert_eq!(response.session.as_deref(), Some("AYABeExample"));
        assert_eq!(
            response.challenge_parameters["CODE_DELIVERY_DESTINATION"],
            "+*******1234"
        );
        let debug = format!("{response:?}");
        assert!(!debug.contains("AYABeExample"), "{debug}");
        assert!(debug.contains("<12 bytes, redacted>"), "{debug}");
    }

    #[test]
    fn select_challenge_lists_available_challenges() {
        let response = parse(
            r#"{"ChallengeName":"SELECT_CHALLENGE","Session":"s","ChallengeParameters":{},
                "AvailableChallenges":["PASSWORD","PASSWORD_SRP","EMAIL_OTP","WEB_AUTHN"]}"#,
        )
        .unwrap();
        assert_eq!(
            response.challenge_name,
            Some(ChallengeName::SelectChallenge)
        );
        assert_eq!(
            response.available_challenges,
            ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"]
        );
    }

    #[test]
    fn unknown_challenge_names_are_kept() {
        let response = parse(r#"{"ChallengeName":"EMAIL_MFA","Session":"s"}"#).unwrap();
        assert_eq!(
            response.challenge_name,
            Some(ChallengeName::Other(String::from("EMAIL_MFA")))
        );
    }

    #[test]
    fn authentication_result_with_device_and_refresh_token() {
        let response = parse(
            r#"{"ChallengeParameters":{},"AuthenticationResult":{
                "AccessToken":"eyJ.access.sig","ExpiresIn":3600,"TokenType":"Bearer",
                "RefreshToken":"eyJ.refresh.sig","IdToken":"eyJ.id.sig",
                "NewDeviceMetadata":{"DeviceKey":"us-east-1_0a1b2c3d-1111-2222-3333-444455556666",
                "DeviceGroupKey":"-abcdEFGH"}}}"#,
        )
        .unwrap();
        assert_eq!(response.challenge_name, None);
        let result = response.authentication_result.unwrap();
        assert_eq!(result.access_token.expose(), "eyJ.access.sig");
        assert_eq!(
            result.id_token.as_ref().map(SecretString::expose),
            Some("eyJ.id.sig")
        );
        assert_eq!(
            result.refresh_token.as_ref().map(SecretString::expose),
            Some("eyJ.refresh.sig")
        );
        assert_eq!(result.expires_in, 3600);
        assert_eq!(result.token_type, "Bearer");
        assert_eq!(
            result.new_device_metadata,
            Some(NewDeviceMetadata {
                device_key: String::from("us-east-1_0a1b2c3d-1111-2222-3333-444455556666"),
                device_group_key: String::from("-abcdEFGH"),
            })
        );
        let debug = format!("{result:?}");
        assert!(!debug.contains("eyJ"), "{debug}");
    }

    #[test]
    fn authentication_result_of_a_refresh() {
        let response =
            parse(r#"{"AuthenticationResult":{"AccessToken":"a","ExpiresIn":300,"IdToken":"i"}}"#)
                .unwrap();
        let result = response.authentication_result.unwrap();
        assert_eq!(result.refresh_token, None);
        assert_eq!(result.new_device_metadata, None);
        assert_eq!(result.token_type, "Bearer", "the default");
        assert_eq!(result.expires_in, 300);
    }

    #[test]
    fn malformed_bodies_name_the_problem() {
        use ResponseError::*;
        for (body, error) in [
            ("", NotJson),
            ("ChallengeName=SMS_MFA", NotJson),
            ("[]", NotAnObject),
            (r#""SMS_MFA""#, NotAnObject),
            (
                r#"{"ChallengeName":7}"#,
                FieldHasWrongType {
                    field: "ChallengeName",
                },
            ),
            (r#"{"Session":{}}"#, FieldHasWrongType { field: "Session" }),
            (
                r#"{"ChallengeParameters":{"SRP_B":1234}}"#,
                FieldHasWrongType {
                    field: "ChallengeParameters",
                },
            ),
            (
                r#"{"ChallengeParameters":["SRP_B"]}"#,
                FieldHasWrongType {
                    field: "ChallengeParameters",
                },
            ),
            (
                r#"{"AvailableChallenges":"PASSWORD"}"#,
                FieldHasWrongType {
                    field: "AvailableChallenges",
                },
            ),
            (
                r#"{"AvailableChallenges":["PASSWORD",null]}"#,
                FieldHasWrongType {
                    field: "AvailableChallenges",
                },
            ),
            (
                r#"{"AuthenticationResult":"token"}"#,
                FieldHasWrongType {
                    field: "AuthenticationResult",
                },
            ),
            (
                r#"{"AuthenticationResult":{"ExpiresIn":3600}}"#,
                MissingField {
                    field: "AccessToken",
                },
            ),
            (
                r#"{"AuthenticationResult":{"AccessToken":"","ExpiresIn":3600}}"#,
                MissingField {
                    field: "AccessToken",
                },
            ),
            (
                r#"{"AuthenticationResult":{"AccessToken":"a"}}"#,
                MissingField { field: "ExpiresIn" },
            ),
            (
                r#"{"AuthenticationResult":{"AccessToken":"a","ExpiresIn":-1}}"#,
                FieldHasWrongType { field: "ExpiresIn" },
            ),
            (
                r#"{"AuthenticationResult":{"AccessToken":"a","ExpiresIn":"3600"}}"#,
                FieldHasWrongType { field: "ExpiresIn" },
            ),
            (
                r#"{"AuthenticationResult":{"AccessToken":"a","ExpiresIn":1,"IdToken":false}}"#,
                FieldHasWrongType { field: "IdToken" },
            ),
            (
                r#"{"AuthenticationResult":{"AccessToken":"a","ExpiresIn":1,
                    "NewDeviceMetadata":{"DeviceKey":"k"}}}"#,
                MissingField {
                    field: "DeviceGroupKey",
                },
            ),
        ] {
            assert_eq!(parse(body), Err(error), "{body}");
        }
        assert_eq!(
            AuthResponse::parse(&vec![b' '; super::super::MAX_BODY_LEN + 1]),
            Err(TooLarge {
                len: super::super::MAX_BODY_LEN + 1
            })
        );
    }

    #[test]
    fn challenge_names_round_trip() {
        for (challenge, name) in ChallengeName::KNOWN {
            assert_eq!(&ChallengeName::parse(name), challenge);
            assert_eq!(challenge.as_str(), *name);
            assert_eq!(ChallengeName::from(String::from(*name)), *challenge);
            assert_eq!(format!("{challenge}"), *name);
        }
        assert_eq!(ChallengeName::KNOWN.len(), 16);
        assert_eq!(
            ChallengeName::parse("sms_mfa"),
            ChallengeName::Other(String::from("sms_mfa"))
        );
    }
}
