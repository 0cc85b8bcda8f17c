//! [`HttpResponse`]: what the app hands back after sending a [`Request`](super::Request).

/// An HTTP response as the app received it.
#[derive(Debug, Clone, Copy)]
pub struct HttpResponse<'a> {
    /// The status code.
    pub status: u16,
    /// The `x-amzn-ErrorType` header, if present (Cognito also puts the code in the body).
    pub error_type: Option<&'a str>,
    /// The body bytes.
    pub body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// A response without an `x-amzn-ErrorType` header.
    pub fn new(status: u16, body: &'a [u8]) -> Self {
        Self {
            status,
            error_type: None,
            body,
        }
    }

    /// The same response with its `x-amzn-ErrorType` header.
    pub fn with_error_type(mut self, error_type: Option<&'a str>) -> Self {
        self.error_type = error_type;
        self
    }
}
