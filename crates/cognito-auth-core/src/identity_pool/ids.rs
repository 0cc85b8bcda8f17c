//! [`IdentityPoolId`] and [`IdentityId`]: `<region>:<GUID>` strings, checked once.

use alloc::string::String;
use core::fmt;

use super::IdentityPoolError;
use crate::wire::{Endpoint, EndpointError};

/// Longest identity pool id or identity id Cognito accepts (its API model: 1 to 55 characters).
pub const MAX_ID_LEN: usize = 55;

/// An identity pool id, `<region>:<GUID>` (`us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60`).
///
/// The region (before the `:`) names the [`Endpoint`](crate::wire::Endpoint) and the user
/// pool logins must be from a user pool the identity pool trusts (any region).
///
/// ```
/// use cognito_auth_core::identity_pool::IdentityPoolId;
///
/// let pool = IdentityPoolId::parse("eu-west-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60")?;
/// assert_eq!(pool.region(), "eu-west-1");
/// assert!(IdentityPoolId::parse("eu-west-1_Abc123XyZ").is_err()); // a *user* pool id
/// # Ok::<(), cognito_auth_core::identity_pool::IdentityPoolError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdentityPoolId(String);

impl IdentityPoolId {
    /// Checks `<region>:<GUID>`: a region of lower-case letters, digits and inner hyphens,
    /// then lower-case hex digits and hyphens, at most [`MAX_ID_LEN`] characters in all.
    /// Surrounding whitespace is trimmed (ids are often pasted).
    pub fn parse(id: &str) -> Result<Self, IdentityPoolError> {
        let id = id.trim();
        if region_and_guid(id).is_some() {
            Ok(Self(String::from(id)))
        } else {
            Err(IdentityPoolError::InvalidIdentityPoolId)
        }
    }

    /// The region, the part before the `:`.
    pub fn region(&self) -> &str {
        region_and_guid(&self.0).map_or("", |(region, _)| region)
    }

    /// The id as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Defined here rather than in `wire` so the wire layer does not depend on identity pools.
impl Endpoint {
    /// The identity-pool endpoint for the region of `pool` (the part before the `:`).
    ///
    /// ```
    /// use cognito_auth_core::identity_pool::IdentityPoolId;
    /// use cognito_auth_core::wire::Endpoint;
    ///
    /// let pool = IdentityPoolId::parse("eu-west-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60")?;
    /// let endpoint = Endpoint::for_identity_pool(&pool)?;
    /// assert_eq!(endpoint.as_str(), "https://cognito-identity.eu-west-1.amazonaws.com/");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_identity_pool(pool: &IdentityPoolId) -> Result<Self, EndpointError> {
        Self::identity_for_region(pool.region())
    }
}

impl fmt::Display for IdentityPoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An identity id, `<region>:<GUID>`, as `GetId` returns it. Not a secret (it names the
/// identity, it does not prove it), but worth keeping: a guest keeps its identity (and what
/// was stored for it) only by sending the same id again.
///
/// ```
/// use cognito_auth_core::identity_pool::IdentityId;
///
/// let id = IdentityId::parse("us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60")?;
/// assert_eq!(id.as_str(), "us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60");
/// assert!(IdentityId::parse("not an id").is_err());
/// # Ok::<(), cognito_auth_core::identity_pool::IdentityPoolError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdentityId(String);

impl IdentityId {
    /// Checks `<region>:<GUID>` as [`IdentityPoolId::parse`] does (but does not trim: an id
    /// comes from Cognito or from the app's storage, verbatim).
    pub fn parse(id: &str) -> Result<Self, IdentityPoolError> {
        if region_and_guid(id).is_some() {
            Ok(Self(String::from(id)))
        } else {
            Err(IdentityPoolError::InvalidIdentityId)
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdentityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `(region, guid)` of a well-formed `<region>:<GUID>`.
fn region_and_guid(id: &str) -> Option<(&str, &str)> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return None;
    }
    let (region, guid) = id.split_once(':')?;
    let region_ok = !region.is_empty()
        && !region.starts_with('-')
        && !region.ends_with('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let guid_ok = !guid.is_empty()
        && guid
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-');
    (region_ok && guid_ok).then_some((region, guid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_region_colon_guid() {
        for good in [
            "us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60",
            "cn-north-1:0",
            " eu-west-1:abc ",
        ] {
            assert!(IdentityPoolId::parse(good).is_ok(), "{good}");
        }
        assert_eq!(
            IdentityPoolId::parse(" eu-west-1:abc ").unwrap().region(),
            "eu-west-1"
        );
        for bad in [
            "",
            ":",
            "us-east-1:",
            ":abc",
            "us-east-1_Abc123XyZ",
            "US-EAST-1:abc",
            "us-east-1:ABC",
            "us-east-1:abc:def",
            "-us:abc",
            "us east:abc",
            "us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60-0000000000",
        ] {
            assert_eq!(
                IdentityPoolId::parse(bad),
                Err(IdentityPoolError::InvalidIdentityPoolId),
                "{bad}"
            );
            assert_eq!(
                IdentityId::parse(bad.trim()),
                Err(IdentityPoolError::InvalidIdentityId),
                "{bad}"
            );
        }
        assert!(IdentityId::parse(" eu-west-1:abc").is_err(), "not trimmed");
    }
}
