//! [`AwsCredentials`]: temporary AWS credentials, and how `Expiration` is read.

use alloc::string::String;

use serde_json::{Map, Value};

use super::IdentityPoolError;
use crate::secret::SecretString;
use crate::time::UnixTime;
use crate::wire::{ResponseError, require_string, take, take_object};

/// The latest `Expiration` accepted: 9999-12-31T23:59:59Z. Anything later is not a time
/// Cognito means (it is milliseconds, or garbage).
pub const MAX_EXPIRATION_SECS: u64 = 253_402_300_799;

/// Temporary AWS credentials of an identity (`GetCredentialsForIdentity`'s `Credentials`).
///
/// The secret key and the session token are secrets: zeroized on drop, redacted in `Debug`.
/// The access key id is not (AWS prints it in logs and error messages). Sign AWS requests with
/// all three (SigV4, with `x-amz-security-token` = the session token) until
/// [`expiration`](Self::expiration).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AwsCredentials {
    /// `AccessKeyId`, e.g. `ASIA...`.
    pub access_key_id: String,
    /// `SecretKey` on the wire (`SecretAccessKey` in the AWS SDKs and `credential_process`).
    pub secret_access_key: SecretString,
    /// `SessionToken`.
    pub session_token: SecretString,
    /// `Expiration`: when AWS stops accepting them.
    pub expiration: UnixTime,
}

impl AwsCredentials {
    /// Seconds left at `now` (0 once expired).
    pub fn expires_in(&self, now: UnixTime) -> u64 {
        self.expiration.as_secs().saturating_sub(now.as_secs())
    }

    /// Reads the `Credentials` member of a response body.
    pub(crate) fn take_from(body: &mut Map<String, Value>) -> Result<Self, IdentityPoolError> {
        let mut credentials =
            take_object(body, "Credentials")?.ok_or(ResponseError::MissingField {
                field: "Credentials",
            })?;
        let access_key_id = require_string(&mut credentials, "AccessKeyId")?;
        if access_key_id.is_empty() {
            return Err(ResponseError::MissingField {
                field: "AccessKeyId",
            }
            .into());
        }
        let secret_access_key = SecretString::from(require_string(&mut credentials, "SecretKey")?);
        let session_token = SecretString::from(require_string(&mut credentials, "SessionToken")?);
        if secret_access_key.is_empty() || session_token.is_empty() {
            return Err(ResponseError::MissingField {
                field: if secret_access_key.is_empty() {
                    "SecretKey"
                } else {
                    "SessionToken"
                },
            }
            .into());
        }
        let expiration = expiration(take(&mut credentials, "Expiration"))?;
        Ok(Self {
            access_key_id,
            secret_access_key,
            session_token,
            expiration,
        })
    }
}

/// `Expiration`: epoch seconds as a JSON number (the AWS JSON 1.1 timestamp format), possibly
/// with a fraction, which is dropped (credentials end at the whole second before).
pub(crate) fn expiration(value: Option<Value>) -> Result<UnixTime, IdentityPoolError> {
    let field = "Expiration";
    let number = match value {
        None => return Err(ResponseError::MissingField { field }.into()),
        Some(Value::Number(number)) => number,
        Some(_) => return Err(ResponseError::FieldHasWrongType { field }.into()),
    };
    let secs = if let Some(secs) = number.as_u64() {
        secs
    } else if number.is_i64() {
        return Err(IdentityPoolError::ExpirationOutOfRange);
    } else {
        let secs = number
            .as_f64()
            .ok_or(ResponseError::FieldHasWrongType { field })?;
        // Finite, not negative, and below the cap; NaN fails both comparisons.
        if !(secs >= 0.0 && secs <= MAX_EXPIRATION_SECS as f64) {
            return Err(IdentityPoolError::ExpirationOutOfRange);
        }
        // In range, so the conversion is exact in its integer part.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked to be within 0..=MAX_EXPIRATION_SECS just above"
        )]
        let whole = secs as u64;
        whole
    };
    if secs > MAX_EXPIRATION_SECS {
        return Err(IdentityPoolError::ExpirationOutOfRange);
    }
    Ok(UnixTime::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::json_object;

    fn exp(json: &str) -> Result<UnixTime, IdentityPoolError> {
        let mut object = json_object(alloc::format!(r#"{{"E":{json}}}"#).as_bytes())
            .map_err(IdentityPoolError::Response)?;
        expiration(take(&mut object, "E"))
    }

    #[test]
    fn expiration_is_whole_seconds_of_a_number() {
        assert_eq!(exp("1800003600"), Ok(UnixTime::from_secs(1_800_003_600)));
        assert_eq!(
            exp("1800003600.999"),
            Ok(UnixTime::from_secs(1_800_003_600))
        );
        assert_eq!(exp("1.8000036E9"), Ok(UnixTime::from_secs(1_800_003_600)));
        assert_eq!(exp("0"), Ok(UnixTime::from_secs(0)));
        assert_eq!(
            exp("253402300799"),
            Ok(UnixTime::from_secs(MAX_EXPIRATION_SECS))
        );
        for out_of_range in [
            "-1",
            "-0.5",
            "253402300800",
            "1800003600000",
            "1e300",
            "18446744073709551615",
        ] {
            assert_eq!(
                exp(out_of_range),
                Err(IdentityPoolError::ExpirationOutOfRange),
                "{out_of_range}"
            );
        }
        for wrong in [r#""1800003600""#, "true", "[]", "{}"] {
            assert_eq!(
                exp(wrong),
                Err(IdentityPoolError::Response(
                    ResponseError::FieldHasWrongType {
                        field: "Expiration"
                    }
                )),
                "{wrong}"
            );
        }
        assert_eq!(
            exp("null"),
            Err(IdentityPoolError::Response(ResponseError::MissingField {
                field: "Expiration"
            }))
        );
        assert_eq!(
            exp("1e400"),
            Err(IdentityPoolError::Response(ResponseError::NotJson)),
            "serde_json refuses numbers beyond f64"
        );
    }
}
