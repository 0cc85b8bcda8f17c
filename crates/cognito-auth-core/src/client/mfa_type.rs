//! [`MfaType`]: the MFA kinds sign-in steps offer and account preferences set.

/// An MFA type, as Cognito names it on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
// Exhaustive on purpose: the bindings mirror this enum, and a new variant must be a
// compile error there, not a silent default.
pub enum MfaType {
    /// `SMS_MFA` (Amplify: `SMS`).
    Sms,
    /// `SOFTWARE_TOKEN_MFA` (Amplify: `TOTP`).
    Totp,
    /// `EMAIL_OTP` (Amplify: `EMAIL`).
    Email,
}

impl MfaType {
    /// The wire name, as sent in `ANSWER` and listed in `MFAS_CAN_CHOOSE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::Totp => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    /// Reads every spelling the Amplify libraries use, case-insensitively: `SMS` / `SMS_MFA`,
    /// `TOTP` / `SOFTWARE_TOKEN_MFA`, `EMAIL` / `EMAIL_OTP` (and `EMAIL_MFA`).
    ///
    /// ```
    /// use cognito_auth_core::client::MfaType;
    ///
    /// assert_eq!(MfaType::parse("totp"), Some(MfaType::Totp));
    /// assert_eq!(MfaType::parse("SOFTWARE_TOKEN_MFA"), Some(MfaType::Totp));
    /// assert_eq!(MfaType::parse("Email"), Some(MfaType::Email));
    /// assert_eq!(MfaType::parse("fax"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        let is = |spelling: &str| name.eq_ignore_ascii_case(spelling);
        if is("SMS") || is("SMS_MFA") {
            Some(Self::Sms)
        } else if is("TOTP") || is("SOFTWARE_TOKEN_MFA") {
            Some(Self::Totp)
        } else if is("EMAIL") || is("EMAIL_OTP") || is("EMAIL_MFA") {
            Some(Self::Email)
        } else {
            None
        }
    }
}
