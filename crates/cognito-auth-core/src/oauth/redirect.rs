//! Reading the URL the browser was redirected to: its base against the redirect URI, then the
//! query's `code`, `state`, `error` and `error_description`, each at most once.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::error::{OAuthError, OAuthErrorCode, bounded};
use crate::secret::SecretString;

/// Longest redirect URL read. A real one is a few hundred bytes (a code, a state).
pub(crate) const MAX_REDIRECT_LEN: usize = 16 * 1024;

/// The parameters the core reads from a redirect; the others are ignored.
#[derive(Default)]
pub(crate) struct RedirectParams {
    pub(crate) code: Option<SecretString>,
    pub(crate) state: Option<SecretString>,
    pub(crate) error: Option<OAuthErrorCode>,
    pub(crate) error_description: Option<String>,
}

/// Parses `url`, which must be for `redirect_uri` (same scheme and authority, ignoring ASCII
/// case; same path, where an empty path is `/`). The fragment is ignored (the code flow
/// answers in the query). `+` is a space, as in any form-encoded query.
pub(crate) fn parse(redirect_uri: &str, url: &str) -> Result<RedirectParams, OAuthError> {
    if url.len() > MAX_REDIRECT_LEN {
        return Err(OAuthError::RedirectTooLong { len: url.len() });
    }
    let url = url.trim();
    let without_fragment = url.split('#').next().unwrap_or_default();
    let (base, query) = match without_fragment.split_once('?') {
        Some((base, query)) => (base, query),
        None => (without_fragment, ""),
    };
    let expected_base = redirect_uri.split('?').next().unwrap_or_default();
    if !same_base(base, expected_base) {
        return Err(OAuthError::RedirectUriMismatch);
    }
    let mut params = RedirectParams::default();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(name)?;
        match name.as_str() {
            "code" => set(
                &mut params.code,
                "code",
                non_empty(value)?.map(SecretString::from),
            )?,
            "state" => set(
                &mut params.state,
                "state",
                Some(SecretString::from(decode(value)?)),
            )?,
            "error" => set(
                &mut params.error,
                "error",
                non_empty(value)?.map(|code| OAuthErrorCode::parse(&code)),
            )?,
            "error_description" => set(
                &mut params.error_description,
                "error_description",
                Some(String::from(bounded(&decode(value)?))),
            )?,
            _ => {}
        }
    }
    Ok(params)
}

/// Stores `value` in `slot`, refusing a second occurrence (also of an empty one).
fn set<T>(
    slot: &mut Option<T>,
    parameter: &'static str,
    value: Option<T>,
) -> Result<(), OAuthError> {
    if slot.is_some() {
        return Err(OAuthError::RepeatedParameter { parameter });
    }
    *slot = value;
    Ok(())
}

/// The decoded value, `None` when empty. An empty repeated parameter is still caught by
/// [`set`] only when the first one was non-empty; two empty ones carry nothing.
fn non_empty(value: &str) -> Result<Option<String>, OAuthError> {
    let decoded = decode(value)?;
    Ok(Some(decoded).filter(|text| !text.is_empty()))
}

/// Percent-decodes a query component (`+` is a space); the result must be UTF-8. The
/// intermediate bytes are wiped (a code, a state).
fn decode(text: &str) -> Result<String, OAuthError> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(text.len()));
    let mut input = text.bytes();
    while let Some(byte) = input.next() {
        bytes.push(match byte {
            b'+' => b' ',
            b'%' => {
                let high = input.next().and_then(hex_value);
                let low = input.next().and_then(hex_value);
                match (high, low) {
                    (Some(high), Some(low)) => (high << 4) | low,
                    _ => return Err(OAuthError::BadPercentEncoding),
                }
            }
            other => other,
        });
    }
    match core::str::from_utf8(&bytes) {
        Ok(text) => Ok(String::from(text)),
        Err(_) => Err(OAuthError::BadPercentEncoding),
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

/// Whether two URIs without query name the same place: scheme and authority compared ignoring
/// ASCII case, paths exactly, an empty path after an authority equal to `/`.
fn same_base(actual: &str, expected: &str) -> bool {
    fn split(uri: &str) -> Option<(&str, Option<&str>, &str)> {
        let (scheme, rest) = uri.split_once(':')?;
        match rest.strip_prefix("//") {
            Some(hierarchical) => {
                let end = hierarchical.find('/').unwrap_or(hierarchical.len());
                let (authority, path) = hierarchical.split_at(end);
                Some((
                    scheme,
                    Some(authority),
                    if path.is_empty() { "/" } else { path },
                ))
            }
            None => Some((scheme, None, rest)),
        }
    }
    match (split(actual), split(expected)) {
        (Some((scheme_a, authority_a, path_a)), Some((scheme_b, authority_b, path_b))) => {
            scheme_a.eq_ignore_ascii_case(scheme_b)
                && match (authority_a, authority_b) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    (None, None) => true,
                    _ => false,
                }
                && path_a == path_b
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_compare_like_browsers_write_them() {
        assert!(same_base("myapp://callback", "myapp://callback"));
        assert!(same_base("HTTP://LocalHost:8080", "http://localhost:8080/"));
        assert!(same_base("myapp:/cb", "MyApp:/cb"));
        assert!(!same_base("myapp://callback/", "myapp://callback/x"));
        assert!(!same_base("myapp://evil", "myapp://callback"));
        assert!(!same_base("myapp:callback", "myapp://callback"));
        assert!(!same_base("no-scheme", "myapp://callback"));
        assert!(!same_base("http://localhost/CB", "http://localhost/cb"));
    }

    #[test]
    fn decoding_is_strict() {
        assert_eq!(decode("a+b%20c%2B%C3%BC").unwrap(), "a b c+ü");
        for bad in ["%", "%4", "%zz", "%C3", "%FF"] {
            assert_eq!(decode(bad), Err(OAuthError::BadPercentEncoding), "{bad}");
        }
    }
}
