//! [`FormRequest`]: one form-encoded `POST` for the app to send (the OAuth 2.0 endpoints of a
//! user pool domain: `/oauth2/token`, `/oauth2/revoke`), and the percent-encoding they and the
//! hosted UI URLs use.
//!
//! The JSON [`Request`](super::Request) goes to the regional API endpoint and names an
//! operation; a `FormRequest` carries its own URL and an optional `Authorization` header
//! instead. That is the whole difference, so it is a type of its own rather than a mode of
//! `Request`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroize;

/// The `content-type` of a [`FormRequest`].
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// One `POST` with an `application/x-www-form-urlencoded` body, for the app to send to
/// [`url`](Self::url) with [`headers`](Self::headers) and [`body`](Self::body); then hand the
/// status and the body back to the core as an [`HttpResponse`](super::HttpResponse).
///
/// The body (an authorization code, a PKCE verifier, a refresh token) and the `Authorization`
/// header (a client secret) are never printed by `Debug` and are zeroized on drop. Do not log
/// them.
#[derive(Clone, PartialEq, Eq)]
#[must_use = "send this request and feed the response back"]
pub struct FormRequest {
    url: String,
    body: String,
    authorization: Option<String>,
}

impl FormRequest {
    /// A `POST` to `url` whose body is `fields`, each name and value percent-encoded, joined
    /// with `&` and `=`; `authorization` is the `Authorization` header's value, if any. The
    /// body is allocated once at its final size (no partial copy of a secret left behind).
    pub(crate) fn new(url: String, fields: &[(&str, &str)], authorization: Option<String>) -> Self {
        let len = fields
            .iter()
            .map(|(name, value)| encoded_len(name) + encoded_len(value) + 2)
            .sum::<usize>()
            .saturating_sub(1); // `=` per field, `&` between fields
        let mut body = String::with_capacity(len);
        for (index, (name, value)) in fields.iter().enumerate() {
            if index > 0 {
                body.push('&');
            }
            percent_encode_into(&mut body, name);
            body.push('=');
            percent_encode_into(&mut body, value);
        }
        Self {
            url,
            body,
            authorization,
        }
    }

    /// The URL to `POST` to, e.g. `https://auth.example.com/oauth2/token`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The HTTP method, always `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }

    /// The headers to send besides what the HTTP client adds (`host`, `content-length`):
    /// `content-type` and, for a client with a secret, `authorization` (HTTP Basic: a secret).
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        let mut headers = Vec::with_capacity(2);
        headers.push(("content-type", FORM_CONTENT_TYPE));
        if let Some(authorization) = &self.authorization {
            headers.push(("authorization", authorization.as_str()));
        }
        headers
    }

    /// The form body to send verbatim. It contains secrets (a code and verifier, a token).
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl fmt::Debug for FormRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormRequest")
            .field("url", &self.url)
            .field(
                "body",
                &format_args!("<{} bytes, redacted>", self.body.len()),
            )
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl Drop for FormRequest {
    fn drop(&mut self) {
        self.body.zeroize();
        self.authorization.zeroize();
    }
}

/// Whether `byte` is left as is by [`percent_encode_into`]: RFC 3986 unreserved characters.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// The length of `text` once percent-encoded.
pub(crate) fn encoded_len(text: &str) -> usize {
    text.bytes()
        .map(|byte| if is_unreserved(byte) { 1 } else { 3 })
        .sum()
}

/// Appends `text` percent-encoded: every byte but the RFC 3986 unreserved ones
/// (`A-Z a-z 0-9 - . _ ~`) as `%XX` (upper-case hex; a space is `%20`, never `+`). Right for a
/// query component and a form field alike.
pub(crate) fn percent_encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if is_unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            for nibble in [byte >> 4, byte & 0x0f] {
                out.push(char::from(*HEX.get(usize::from(nibble)).unwrap_or(&b'0')));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn body_is_encoded_allocated_once_and_redacted() {
        let request = FormRequest::new(
            String::from("https://auth.example.com/oauth2/token"),
            &[("grant_type", "authorization_code"), ("code", "a b+c/ü=&")],
            Some(String::from("Basic c2VjcmV0")),
        );
        assert_eq!(
            request.body(),
            "grant_type=authorization_code&code=a%20b%2Bc%2F%C3%BC%3D%26"
        );
        assert_eq!(request.body.capacity(), request.body.len());
        assert_eq!(request.method(), "POST");
        assert_eq!(
            request.headers(),
            [
                ("content-type", "application/x-www-form-urlencoded"),
                ("authorization", "Basic c2VjcmV0"),
            ]
        );
        let debug = format!("{request:?}");
        assert!(
            !debug.contains("c2VjcmV0") && !debug.contains("a%20b"),
            "{debug}"
        );
        assert!(debug.contains("oauth2/token"), "{debug}");
        let public = FormRequest::new(String::from("u"), &[("a", "-._~")], None);
        assert_eq!(public.body(), "a=-._~");
        assert_eq!(public.headers().len(), 1);
    }
}
