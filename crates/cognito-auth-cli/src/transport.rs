//! The HTTP transport: POSTs a core [`Request`] to the endpoint and hands back what came back.
//! HTTPS through rustls (webpki roots) for real Cognito, plain HTTP for local emulators.

use core::time::Duration;

use cognito_auth_core::account::AccountOperation;
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::wire::HttpResponse;
use cognito_auth_core::{Endpoint, Request};

use crate::error::Failure;

/// Upper bound for one request, connect to last byte.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound for connecting.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Cognito's answers are small; anything bigger is not Cognito.
const MAX_BODY: u64 = 1024 * 1024;

/// An HTTP answer as it came.
pub struct RawResponse {
    pub status: u16,
    /// The `x-amzn-ErrorType` header, if present.
    pub error_type: Option<String>,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The borrowed form the core reads.
    pub fn as_http(&self) -> HttpResponse<'_> {
        HttpResponse::new(self.status, &self.body).with_error_type(self.error_type.as_deref())
    }
}

/// One endpoint and an HTTP agent for it.
pub struct Transport {
    endpoint: Endpoint,
    agent: ureq::Agent,
}

impl Transport {
    pub fn new(endpoint: Endpoint) -> Self {
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("cognito-auth-cli/", env!("CARGO_PKG_VERSION")));
        if is_loopback(endpoint.as_str()) {
            // A proxy from the environment must not capture a local emulator's traffic.
            config = config.proxy(None);
        }
        Self {
            endpoint,
            agent: config.build().into(),
        }
    }

    /// POSTs `request` (its body with its headers) and returns the answer, whatever its status.
    pub fn send(&self, request: &Request) -> Result<RawResponse, Failure> {
        let mut call = self.agent.post(self.endpoint.as_str());
        for (name, value) in request.headers() {
            call = call.header(name, value);
        }
        let operation = request.operation();
        let mut response = call.send(request.body()).map_err(|e| {
            Failure::failed(format!(
                "{operation}: no answer from {}: {e}",
                self.endpoint
            ))
        })?;
        let status = response.status().as_u16();
        let error_type = response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| {
                Failure::failed(format!("{operation}: HTTP {status}, unreadable body: {e}"))
            })?;
        Ok(RawResponse {
            status,
            error_type,
            body,
        })
    }

    /// Builds, sends and reads one account operation.
    pub fn run<O: AccountOperation>(
        &self,
        client: &ClientConfig,
        operation: &O,
    ) -> Result<O::Output, Failure> {
        let request = operation.request(client)?;
        let response = self.send(&request)?;
        Ok(operation.parse_response(response.as_http())?)
    }
}

/// Whether `url` names this machine (127.0.0.1, localhost or [::1]).
fn is_loopback(url: &str) -> bool {
    let rest = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"].iter().any(|host| {
        rest.strip_prefix(host)
            .is_some_and(|after| after.is_empty() || after.starts_with([':', '/']))
    })
}
