//! Reading a challenge's `ChallengeParameters`: the SRP values, where a code went, the MFA
//! types offered, the attributes a new password needs.
//!
//! Each reader takes the parameters Cognito sent and returns typed values or the name of the
//! parameter that is missing; the sign-in machine decides what the challenge means.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::CodeDelivery;

/// A required challenge parameter that is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MissingParameter(pub(crate) &'static str);

/// `ChallengeParameters` of one challenge.
pub(crate) struct ChallengeParameters(pub(crate) BTreeMap<String, String>);

/// `SALT`, `SRP_B`, `SECRET_BLOCK` of `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER`.
pub(crate) struct SrpParameters<'a> {
    pub(crate) salt: &'a str,
    pub(crate) srp_b: &'a str,
    pub(crate) secret_block: &'a str,
    /// `USER_ID_FOR_SRP` (user SRP only): the identity the SRP math uses.
    pub(crate) user_id_for_srp: Option<&'a str>,
}

impl ChallengeParameters {
    fn get(&self, name: &'static str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn require(&self, name: &'static str) -> Result<&str, MissingParameter> {
        self.get(name).ok_or(MissingParameter(name))
    }

    /// The user as Cognito names them: `USERNAME`, else `USER_ID_FOR_SRP` (Amplify JS:
    /// `USERNAME ?? USER_ID_FOR_SRP`; `USER_PASSWORD_AUTH`'s `SMS_MFA` names the user by
    /// `USER_ID_FOR_SRP` alone). Empty values do not count.
    pub(crate) fn canonical_username(&self) -> Option<&str> {
        ["USERNAME", "USER_ID_FOR_SRP"]
            .into_iter()
            .filter_map(|key| self.get(key))
            .find(|name| !name.is_empty())
    }

    /// The SRP values of a verifier challenge.
    pub(crate) fn srp(&self) -> Result<SrpParameters<'_>, MissingParameter> {
        Ok(SrpParameters {
            salt: self.require("SALT")?,
            srp_b: self.require("SRP_B")?,
            secret_block: self.require("SECRET_BLOCK")?,
            user_id_for_srp: self.get("USER_ID_FOR_SRP"),
        })
    }

    /// `CODE_DELIVERY_DESTINATION` and `CODE_DELIVERY_DELIVERY_MEDIUM`.
    pub(crate) fn code_delivery(&self) -> CodeDelivery {
        CodeDelivery {
            destination: self.get("CODE_DELIVERY_DESTINATION").map(String::from),
            medium: self.get("CODE_DELIVERY_DELIVERY_MEDIUM").map(String::from),
            attribute_name: None,
        }
    }

    /// `FRIENDLY_DEVICE_NAME` of `SOFTWARE_TOKEN_MFA`.
    pub(crate) fn friendly_device_name(&self) -> Option<String> {
        self.get("FRIENDLY_DEVICE_NAME").map(String::from)
    }

    /// `MFAS_CAN_CHOOSE` (`SELECT_MFA_TYPE`) or `MFAS_CAN_SETUP` (`MFA_SETUP`): the names in
    /// the list, as sent.
    pub(crate) fn mfa_names(
        &self,
        parameter: &'static str,
    ) -> Result<Vec<String>, MissingParameter> {
        self.require(parameter).map(list_items)
    }

    /// `requiredAttributes` without the `userAttributes.` prefix; absent is none.
    pub(crate) fn required_attributes(&self) -> Vec<String> {
        self.get("requiredAttributes")
            .map(|list| {
                list_items(list)
                    .into_iter()
                    .map(|name| String::from(name.strip_prefix("userAttributes.").unwrap_or(&name)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `userAttributes`: a JSON object in a string; non-string values are skipped.
    pub(crate) fn user_attributes(&self) -> BTreeMap<String, String> {
        let Some(Ok(Value::Object(map))) = self
            .get("userAttributes")
            .map(serde_json::from_str::<Value>)
        else {
            return BTreeMap::new();
        };
        map.into_iter()
            .filter_map(|(key, value)| value.as_str().map(|v| (key, String::from(v))))
            .collect()
    }

    /// `CREDENTIAL_REQUEST_OPTIONS` of `WEB_AUTHN`, verbatim.
    pub(crate) fn credential_request_options(&self) -> Result<String, MissingParameter> {
        self.require("CREDENTIAL_REQUEST_OPTIONS").map(String::from)
    }
}

/// Items of a JSON array of strings; a Python list repr (`['SOFTWARE_TOKEN_MFA']`, as moto
/// writes it) is read too.
fn list_items(list: &str) -> Vec<String> {
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(list) {
        return items
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect();
    }
    list.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|item| item.trim().trim_matches(|c| c == '"' || c == '\''))
        .filter(|item| !item.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameters(pairs: &[(&str, &str)]) -> ChallengeParameters {
        ChallengeParameters(
            pairs
                .iter()
                .map(|(k, v)| (String::from(*k), String::from(*v)))
                .collect(),
        )
    }

    #[test]
    fn lists_read_json_and_python_spellings() {
        let json = parameters(&[("MFAS_CAN_CHOOSE", r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#)]);
        let python = parameters(&[("MFAS_CAN_CHOOSE", "['SMS_MFA', 'SOFTWARE_TOKEN_MFA']")]);
        let expected = [String::from("SMS_MFA"), String::from("SOFTWARE_TOKEN_MFA")];
        assert_eq!(json.mfa_names("MFAS_CAN_CHOOSE").unwrap(), expected);
        assert_eq!(python.mfa_names("MFAS_CAN_CHOOSE").unwrap(), expected);
        assert_eq!(
            json.mfa_names("MFAS_CAN_SETUP"),
            Err(MissingParameter("MFAS_CAN_SETUP"))
        );
    }

    #[test]
    fn srp_values_name_the_missing_one() {
        let partial = parameters(&[("SALT", "ab"), ("SRP_B", "cd")]);
        assert_eq!(partial.srp().err(), Some(MissingParameter("SECRET_BLOCK")));
    }

    #[test]
    fn canonical_username_prefers_username_and_skips_empty_values() {
        let both = parameters(&[("USERNAME", "uuid-1"), ("USER_ID_FOR_SRP", "uuid-2")]);
        assert_eq!(both.canonical_username(), Some("uuid-1"));
        let empty = parameters(&[("USERNAME", ""), ("USER_ID_FOR_SRP", "uuid-2")]);
        assert_eq!(empty.canonical_username(), Some("uuid-2"));
        assert_eq!(parameters(&[]).canonical_username(), None);
    }

    #[test]
    fn new_password_attributes() {
        let p = parameters(&[
            ("requiredAttributes", r#"["userAttributes.name"]"#),
            ("userAttributes", r#"{"email":"a@example.com","n":1}"#),
        ]);
        assert_eq!(p.required_attributes(), [String::from("name")]);
        assert_eq!(p.user_attributes().len(), 1);
    }
}
