//! [`Endpoint`]: the URL every request is POSTed to.

use alloc::format;
use alloc::string::String;
use core::fmt;

use crate::user_pool_id::UserPoolId;

/// The URL every request is POSTed to: Cognito's regional endpoint, or an emulator.
///
/// ```
/// use cognito_auth_core::wire::Endpoint;
///
/// let aws = Endpoint::for_region("eu-west-1")?;
/// assert_eq!(aws.as_str(), "https://cognito-idp.eu-west-1.amazonaws.com/");
/// let china = Endpoint::for_region("cn-north-1")?;
/// assert_eq!(china.as_str(), "https://cognito-idp.cn-north-1.amazonaws.com.cn/");
/// let emulator = Endpoint::custom("http://127.0.0.1:9229/")?;
/// assert_eq!(emulator.as_str(), "http://127.0.0.1:9229/");
/// # Ok::<(), cognito_auth_core::wire::EndpointError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint(String);

/// Why a region or URL cannot make an [`Endpoint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The region is empty.
    RegionEmpty,
    /// The region is longer than any AWS region name.
    RegionTooLong {
        /// Length in bytes.
        len: usize,
    },
    /// The region has a character outside `[a-z0-9-]`, or starts or ends with `-`.
    RegionInvalidCharacter {
        /// Byte offset of the character.
        position: usize,
    },
    /// The URL is empty.
    UrlEmpty,
    /// The URL is longer than [`Endpoint::MAX_URL_LEN`].
    UrlTooLong {
        /// Length in bytes.
        len: usize,
    },
    /// The URL does not start with `http://` or `https://`.
    UrlScheme,
    /// The URL has no host after the scheme.
    UrlNoHost,
    /// The URL has whitespace, a control character or a non-ASCII character.
    UrlInvalidCharacter {
        /// Byte offset of the character.
        position: usize,
    },
}

impl Endpoint {
    /// Longest region accepted. AWS region names are at most 20 characters today
    /// (`ap-southeast-5`, `us-isob-east-1`).
    pub const MAX_REGION_LEN: usize = 32;

    /// Longest custom URL accepted.
    pub const MAX_URL_LEN: usize = 2048;

    /// Cognito's endpoint in `region`: `https://cognito-idp.<region>.amazonaws.com/`, or
    /// `.amazonaws.com.cn` for the China regions (`cn-*`). The region must look like one:
    /// lower-case letters, digits and inner hyphens. For other partitions or a proxy, use
    /// [`Endpoint::custom`].
    pub fn for_region(region: &str) -> Result<Self, EndpointError> {
        if region.is_empty() {
            return Err(EndpointError::RegionEmpty);
        }
        if region.len() > Self::MAX_REGION_LEN {
            return Err(EndpointError::RegionTooLong { len: region.len() });
        }
        let last = region.len() - 1;
        for (position, byte) in region.bytes().enumerate() {
            let allowed = byte.is_ascii_lowercase()
                || byte.is_ascii_digit()
                || (byte == b'-' && position != 0 && position != last);
            if !allowed {
                return Err(EndpointError::RegionInvalidCharacter { position });
            }
        }
        let dns_suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        Ok(Self(format!("https://cognito-idp.{region}.{dns_suffix}/")))
    }

    /// Cognito's endpoint for the region of `pool` (the part before the `_`).
    ///
    /// ```
    /// use cognito_auth_core::UserPoolId;
    /// use cognito_auth_core::wire::Endpoint;
    ///
    /// let pool = UserPoolId::parse("us-east-1_Abc123XyZ")?;
    /// assert_eq!(
    ///     Endpoint::for_user_pool(&pool)?.as_str(),
    ///     "https://cognito-idp.us-east-1.amazonaws.com/"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_user_pool(pool: &UserPoolId) -> Result<Self, EndpointError> {
        Self::for_region(pool.region())
    }

    /// Any `http://` or `https://` URL: a local emulator, a proxy, a partition
    /// [`for_region`](Self::for_region) does not know. The scheme is matched case-insensitively;
    /// the URL is kept as given (no trailing `/` is added). Whitespace, control and non-ASCII
    /// characters are refused (write an international host name in its `xn--` form).
    pub fn custom(url: &str) -> Result<Self, EndpointError> {
        if url.is_empty() {
            return Err(EndpointError::UrlEmpty);
        }
        if url.len() > Self::MAX_URL_LEN {
            return Err(EndpointError::UrlTooLong { len: url.len() });
        }
        if let Some(position) = url.bytes().position(|byte| !byte.is_ascii_graphic()) {
            return Err(EndpointError::UrlInvalidCharacter { position });
        }
        let rest = strip_prefix_ignore_case(url, "https://")
            .or_else(|| strip_prefix_ignore_case(url, "http://"))
            .ok_or(EndpointError::UrlScheme)?;
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..authority_end).unwrap_or_default();
        // `user@` before the host and `:port` after it are not the host.
        let host_and_port = authority.rsplit('@').next().unwrap_or_default();
        let host = match host_and_port.rfind(':') {
            Some(colon) if !host_and_port.ends_with(']') => {
                host_and_port.get(..colon).unwrap_or_default()
            }
            _ => host_and_port,
        };
        if host.is_empty() {
            return Err(EndpointError::UrlNoHost);
        }
        Ok(Self(String::from(url)))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::RegionEmpty => f.write_str("AWS region is empty"),
            Self::RegionTooLong { len } => write!(
                f,
                "AWS region is {len} characters long, at most {} are allowed",
                Endpoint::MAX_REGION_LEN
            ),
            Self::RegionInvalidCharacter { position } => write!(
                f,
                "AWS region has an invalid character at byte {position} (expected lower-case \
                 letters, digits and inner '-', like eu-west-1)"
            ),
            Self::UrlEmpty => f.write_str("endpoint URL is empty"),
            Self::UrlTooLong { len } => write!(
                f,
                "endpoint URL is {len} characters long, at most {} are allowed",
                Endpoint::MAX_URL_LEN
            ),
            Self::UrlScheme => f.write_str("endpoint URL must start with http:// or https://"),
            Self::UrlNoHost => f.write_str("endpoint URL has no host"),
            Self::UrlInvalidCharacter { position } => write!(
                f,
                "endpoint URL has whitespace, a control or a non-ASCII character at byte {position}"
            ),
        }
    }
}

impl core::error::Error for EndpointError {}
