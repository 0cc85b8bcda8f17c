//! [`Operation`]: the user-pool API calls the core builds, and their `x-amz-target`.

use core::fmt;

/// A Cognito user-pool API operation the core sends. Every one of them is callable without AWS
/// credentials (the SDK models mark them `smithy.api#noAuth`).
///
/// ```
/// use cognito_auth_core::wire::Operation;
///
/// let op = Operation::RespondToAuthChallenge;
/// assert_eq!(op.name(), "RespondToAuthChallenge");
/// assert_eq!(op.target(), "AWSCognitoIdentityProviderService.RespondToAuthChallenge");
/// assert_eq!(Operation::from_name("RespondToAuthChallenge"), Some(op));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// Starts a sign-in (`USER_SRP_AUTH`, `USER_PASSWORD_AUTH`, `USER_AUTH`, `CUSTOM_AUTH`,
    /// `REFRESH_TOKEN_AUTH`).
    InitiateAuth,
    /// Answers a challenge of a sign-in in progress.
    RespondToAuthChallenge,
    /// Gets a TOTP secret for `MFA_SETUP` or for a signed-in user.
    AssociateSoftwareToken,
    /// Checks the first TOTP code of a new authenticator.
    VerifySoftwareToken,
    /// Registers the device Cognito named in `NewDeviceMetadata` (device SRP verifier).
    ConfirmDevice,
    /// Marks a device remembered or not remembered.
    UpdateDeviceStatus,
    /// Forgets a remembered device.
    ForgetDevice,
    /// Refreshes tokens (with refresh-token rotation).
    GetTokensFromRefreshToken,
    /// Revokes a refresh token and the tokens issued from it.
    RevokeToken,
    /// Signs the user out everywhere (invalidates all refresh tokens).
    GlobalSignOut,
    /// Registers a new user.
    SignUp,
    /// Confirms a new user with the code Cognito sent.
    ConfirmSignUp,
    /// Sends the sign-up confirmation code again.
    ResendConfirmationCode,
    /// Starts a password reset; Cognito sends a code.
    ForgotPassword,
    /// Finishes a password reset with the code and a new password.
    ConfirmForgotPassword,
    /// Changes the password of a signed-in user.
    ChangePassword,
    /// Reads the signed-in user's attributes and MFA settings.
    GetUser,
    /// Sets the signed-in user's MFA preferences.
    SetUserMFAPreference,
    /// Changes the signed-in user's attributes.
    UpdateUserAttributes,
    /// Verifies an attribute (email, phone number) with a code.
    VerifyUserAttribute,
    /// Sends a verification code for an attribute.
    GetUserAttributeVerificationCode,
    /// Lists the signed-in user's remembered devices.
    ListDevices,
    /// Deletes the signed-in user.
    DeleteUser,
    /// Identity pools (`AWSCognitoIdentityService`): the identity id for a guest or for logins.
    GetId,
    /// Identity pools: temporary AWS credentials for an identity.
    GetCredentialsForIdentity,
    /// Identity pools: an OpenID Connect token for an identity.
    GetOpenIdToken,
    /// Passkeys: the options for registering a new passkey.
    StartWebAuthnRegistration,
    /// Passkeys: registers the passkey the platform created.
    CompleteWebAuthnRegistration,
    /// Passkeys: lists the signed-in user's passkeys.
    ListWebAuthnCredentials,
    /// Passkeys: deletes one of the signed-in user's passkeys.
    DeleteWebAuthnCredential,
}

impl Operation {
    /// Every operation, in declaration order.
    pub const ALL: &'static [Self] = &[
        Self::InitiateAuth,
        Self::RespondToAuthChallenge,
        Self::AssociateSoftwareToken,
        Self::VerifySoftwareToken,
        Self::ConfirmDevice,
        Self::UpdateDeviceStatus,
        Self::ForgetDevice,
        Self::GetTokensFromRefreshToken,
        Self::RevokeToken,
        Self::GlobalSignOut,
        Self::SignUp,
        Self::ConfirmSignUp,
        Self::ResendConfirmationCode,
        Self::ForgotPassword,
        Self::ConfirmForgotPassword,
        Self::ChangePassword,
        Self::GetUser,
        Self::SetUserMFAPreference,
        Self::UpdateUserAttributes,
        Self::VerifyUserAttribute,
        Self::GetUserAttributeVerificationCode,
        Self::ListDevices,
        Self::DeleteUser,
        Self::GetId,
        Self::GetCredentialsForIdentity,
        Self::GetOpenIdToken,
        Self::StartWebAuthnRegistration,
        Self::CompleteWebAuthnRegistration,
        Self::ListWebAuthnCredentials,
        Self::DeleteWebAuthnCredential,
    ];

    /// The operation's API name, e.g. `InitiateAuth`.
    pub const fn name(self) -> &'static str {
        self.names().0
    }

    /// The `x-amz-target` header value, e.g. `AWSCognitoIdentityProviderService.InitiateAuth`;
    /// for the identity-pool operations `AWSCognitoIdentityService.GetId` and the like (sent to
    /// [`Endpoint::for_identity_pool`](super::Endpoint::for_identity_pool)).
    pub const fn target(self) -> &'static str {
        self.names().1
    }

    /// The operation with this API name (exact, case-sensitive), if the core knows it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// (name, target). One table, so that the two cannot disagree; `concat!` keeps both
    /// `&'static str` without allocating.
    const fn names(self) -> (&'static str, &'static str) {
        macro_rules! names {
            ($op:literal) => {
                ($op, concat!("AWSCognitoIdentityProviderService.", $op))
            };
            (identity $op:literal) => {
                ($op, concat!("AWSCognitoIdentityService.", $op))
            };
        }
        match self {
            Self::InitiateAuth => names!("InitiateAuth"),
            Self::RespondToAuthChallenge => names!("RespondToAuthChallenge"),
            Self::AssociateSoftwareToken => names!("AssociateSoftwareToken"),
            Self::VerifySoftwareToken => names!("VerifySoftwareToken"),
            Self::ConfirmDevice => names!("ConfirmDevice"),
            Self::UpdateDeviceStatus => names!("UpdateDeviceStatus"),
            Self::ForgetDevice => names!("ForgetDevice"),
            Self::GetTokensFromRefreshToken => names!("GetTokensFromRefreshToken"),
            Self::RevokeToken => names!("RevokeToken"),
            Self::GlobalSignOut => names!("GlobalSignOut"),
            Self::SignUp => names!("SignUp"),
            Self::ConfirmSignUp => names!("ConfirmSignUp"),
            Self::ResendConfirmationCode => names!("ResendConfirmationCode"),
            Self::ForgotPassword => names!("ForgotPassword"),
            Self::ConfirmForgotPassword => names!("ConfirmForgotPassword"),
            Self::ChangePassword => names!("ChangePassword"),
            Self::GetUser => names!("GetUser"),
            Self::SetUserMFAPreference => names!("SetUserMFAPreference"),
            Self::UpdateUserAttributes => names!("UpdateUserAttributes"),
            Self::VerifyUserAttribute => names!("VerifyUserAttribute"),
            Self::GetUserAttributeVerificationCode => names!("GetUserAttributeVerificationCode"),
            Self::ListDevices => names!("ListDevices"),
            Self::DeleteUser => names!("DeleteUser"),
            Self::GetId => names!(identity "GetId"),
            Self::GetCredentialsForIdentity => names!(identity "GetCredentialsForIdentity"),
            Self::GetOpenIdToken => names!(identity "GetOpenIdToken"),
            Self::StartWebAuthnRegistration => names!("StartWebAuthnRegistration"),
            Self::CompleteWebAuthnRegistration => names!("CompleteWebAuthnRegistration"),
            Self::ListWebAuthnCredentials => names!("ListWebAuthnCredentials"),
            Self::DeleteWebAuthnCredential => names!("DeleteWebAuthnCredential"),
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_and_target_agree_with_the_variant() {
        let identity = [
            Operation::GetId,
            Operation::GetCredentialsForIdentity,
            Operation::GetOpenIdToken,
        ];
        for &op in Operation::ALL {
            assert_eq!(alloc::format!("{op:?}"), op.name());
            let service = if identity.contains(&op) {
                "AWSCognitoIdentityService."
            } else {
                "AWSCognitoIdentityProviderService."
            };
            assert_eq!(op.target().strip_prefix(service), Some(op.name()));
            assert_eq!(Operation::from_name(op.name()), Some(op));
        }
        assert_eq!(Operation::ALL.len(), 30);
        assert_eq!(Operation::from_name("initiateauth"), None);
    }
}
