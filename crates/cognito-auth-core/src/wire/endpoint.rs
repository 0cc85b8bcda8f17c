//! [`Endpoint`]: the URL every request is POSTed to.

use alloc::format;
use alloc::string::String;
use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

use crate::user_pool_id::UserPoolId;

/// The URL every request is POSTed to: Cognito's regional endpoint, or an emulator.
///
/// Requests carry passwords (`USER_PASSWORD_AUTH`), MFA codes, sessions and tokens, so an
/// endpoint is `https://`, or plain `http://` only to this machine: a loopback host
/// (`localhost`, `127.0.0.0/8`, `[::1]`), where a local emulator listens. Plain HTTP to any
/// other host is refused unless the caller opts in by name with
/// [`Endpoint::custom_allowing_insecure_http`]; [`Endpoint::is_insecure`] then says so, for a
/// warning.
///
/// ```
/// use cognito_auth_core::wire::{Endpoint, EndpointError};
///
/// let aws = Endpoint::for_region("eu-west-1")?;
/// assert_eq!(aws.as_str(), "https://cognito-idp.eu-west-1.amazonaws.com/");
/// let china = Endpoint::for_region("cn-north-1")?;
/// assert_eq!(china.as_str(), "https://cognito-idp.cn-north-1.amazonaws.com.cn/");
/// let emulator = Endpoint::custom("http://127.0.0.1:9229/")?;
/// assert_eq!(emulator.as_str(), "http://127.0.0.1:9229/");
/// assert!(emulator.is_loopback() && !emulator.is_insecure());
///
/// // Plain HTTP across the network: refused, unless asked for by name.
/// assert_eq!(
///     Endpoint::custom("http://cognito.example.com/"),
///     Err(EndpointError::InsecureHttp)
/// );
/// let lab = Endpoint::custom_allowing_insecure_http("http://cognito.example.com/")?;
/// assert!(lab.is_insecure());
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
    /// The URL is plain `http://` to a host that is not this machine: passwords, codes and
    /// tokens would cross the network in clear. Use `https://`, or opt in with
    /// [`Endpoint::custom_allowing_insecure_http`].
    InsecureHttp,
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
        Self::aws("cognito-idp", region)
    }

    /// The identity-pool service (`cognito-identity`) in `region`:
    /// `https://cognito-identity.<region>.amazonaws.com/` (`.amazonaws.com.cn` for `cn-*`), with
    /// the same region rules as [`for_region`](Self::for_region). Identity-pool requests
    /// ([`Operation::GetId`](super::Operation::GetId) and the like) go here; an emulator serves
    /// both services at one [`custom`](Self::custom) URL.
    ///
    /// ```
    /// use cognito_auth_core::wire::Endpoint;
    ///
    /// let identity = Endpoint::identity_for_region("eu-west-1")?;
    /// assert_eq!(identity.as_str(), "https://cognito-identity.eu-west-1.amazonaws.com/");
    /// # Ok::<(), cognito_auth_core::wire::EndpointError>(())
    /// ```
    pub fn identity_for_region(region: &str) -> Result<Self, EndpointError> {
        Self::aws("cognito-identity", region)
    }

    /// `https://<service>.<region>.<dns suffix>/`.
    fn aws(service: &str, region: &str) -> Result<Self, EndpointError> {
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
        Ok(Self(format!("https://{service}.{region}.{dns_suffix}/")))
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

    /// An `https://` URL (a proxy, a partition [`for_region`](Self::for_region) does not know),
    /// or an `http://` URL to this machine (a local emulator): the host is `localhost`, an
    /// address in `127.0.0.0/8` or `[::1]`, written without user information (`user@`).
    /// Plain HTTP to any other host is [`EndpointError::InsecureHttp`]; see
    /// [`custom_allowing_insecure_http`](Self::custom_allowing_insecure_http).
    ///
    /// The scheme is matched case-insensitively; the URL is kept as given (no trailing `/` is
    /// added). Whitespace, control and non-ASCII characters are refused (write an international
    /// host name in its `xn--` form).
    pub fn custom(url: &str) -> Result<Self, EndpointError> {
        let endpoint = Self::custom_allowing_insecure_http(url)?;
        if endpoint.is_insecure() {
            return Err(EndpointError::InsecureHttp);
        }
        Ok(endpoint)
    }

    /// [`custom`](Self::custom), and plain `http://` to any host as well: for a test network
    /// or a TLS-terminating proxy on a trusted link. Everything the app sends — passwords with
    /// `USER_PASSWORD_AUTH`, MFA codes, sessions, tokens — then crosses the network readable
    /// and changeable by anyone on the path. Tell the user when [`is_insecure`](Self::is_insecure).
    pub fn custom_allowing_insecure_http(url: &str) -> Result<Self, EndpointError> {
        if url.is_empty() {
            return Err(EndpointError::UrlEmpty);
        }
        if url.len() > Self::MAX_URL_LEN {
            return Err(EndpointError::UrlTooLong { len: url.len() });
        }
        if let Some(position) = url.bytes().position(|byte| !byte.is_ascii_graphic()) {
            return Err(EndpointError::UrlInvalidCharacter { position });
        }
        let (_, authority) = split_url(url).ok_or(EndpointError::UrlScheme)?;
        if host_of(authority).is_empty() {
            return Err(EndpointError::UrlNoHost);
        }
        Ok(Self(String::from(url)))
    }

    /// Whether the URL is `https://`.
    pub fn is_https(&self) -> bool {
        strip_prefix_ignore_case(&self.0, HTTPS).is_some()
    }

    /// Whether the URL names this machine: the host is `localhost`, an address in
    /// `127.0.0.0/8` or `[::1]` (also `[::ffff:127.x.y.z]`), with no user information.
    ///
    /// ```
    /// use cognito_auth_core::wire::Endpoint;
    ///
    /// for url in ["http://localhost:4566", "http://127.0.0.2/", "http://[::1]:9229/"] {
    ///     assert!(Endpoint::custom(url)?.is_loopback(), "{url}");
    /// }
    /// for url in ["https://localhost.example.com/", "https://127.0.0.1@example.com/"] {
    ///     assert!(!Endpoint::custom(url)?.is_loopback(), "{url}");
    /// }
    /// # Ok::<(), cognito_auth_core::wire::EndpointError>(())
    /// ```
    pub fn is_loopback(&self) -> bool {
        split_url(&self.0).is_some_and(|(_, authority)| is_loopback_authority(authority))
    }

    /// Whether requests to this endpoint travel in clear across the network: plain `http://`
    /// to a host that is not [loopback](Self::is_loopback). Only
    /// [`custom_allowing_insecure_http`](Self::custom_allowing_insecure_http) makes such an
    /// endpoint.
    pub fn is_insecure(&self) -> bool {
        !self.is_https() && !self.is_loopback()
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const HTTPS: &str = "https://";
const HTTP: &str = "http://";

/// The scheme (`https://` or `http://`, as spelled in `url`) and the authority (between the
/// scheme and the first `/`, `?` or `#`); `None` for any other scheme.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let (scheme_len, rest) = strip_prefix_ignore_case(url, HTTPS)
        .map(|rest| (HTTPS.len(), rest))
        .or_else(|| strip_prefix_ignore_case(url, HTTP).map(|rest| (HTTP.len(), rest)))?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((url.get(..scheme_len)?, rest.get(..authority_end)?))
}

/// The host of an authority: `user@` before it and `:port` after it are not the host; an IPv6
/// literal keeps its brackets.
fn host_of(authority: &str) -> &str {
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    match host_and_port.rfind(':') {
        Some(colon) if !host_and_port.ends_with(']') => {
            host_and_port.get(..colon).unwrap_or_default()
        }
        _ => host_and_port,
    }
}

/// Whether an authority is `HOST` or `HOST:PORT` with a loopback host. Anything unusual
/// (user information, a port that is not digits, an IPv6 zone) is not loopback: URL parsers
/// disagree on such input, and "not loopback" is the safe answer.
fn is_loopback_authority(authority: &str) -> bool {
    if authority.contains('@') {
        return false;
    }
    let host = host_of(authority);
    let port = authority.get(host.len()..).unwrap_or_default();
    if let Some(digits) = port.strip_prefix(':') {
        if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return false;
        }
    } else if !port.is_empty() {
        return false;
    }
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().is_ok_and(|address| {
            address.is_loopback() || address.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        });
    }
    // Only the dotted-quad form: `127.1` or `0x7f.0.0.1` are not read as addresses here.
    host.parse::<Ipv4Addr>()
        .is_ok_and(|address| address.is_loopback())
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
            Self::InsecureHttp => f.write_str(
                "endpoint URL is plain http:// to a host that is not this machine (passwords, \
                 codes and tokens would travel unencrypted); use https://, or opt in to \
                 insecure HTTP explicitly",
            ),
        }
    }
}

impl core::error::Error for EndpointError {}
