//! The HTTP transport: POSTs a core [`Request`] to the endpoint and hands back what came back.
//! HTTPS through rustls (webpki roots) for real Cognito, plain HTTP for local emulators (and,
//! with `--allow-insecure-http`, elsewhere). No proxy unless `--proxy` names one.

use core::time::Duration;

use cognito_auth_core::account::AccountOperation;
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::wire::{FormRequest, HttpResponse};
use cognito_auth_core::{Endpoint, Request};

use crate::error::Failure;
use crate::output::{step, warn};

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

/// The proxy variables ureq would read from the environment on its own.
const PROXY_VARIABLES: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

impl Transport {
    /// A transport to `endpoint`, through `proxy` when given. Proxy variables of the
    /// environment are never used: a proxy sees at least which host is called and, for a
    /// plain-HTTP endpoint, every password and token, so it has to be asked for by name.
    pub fn new(endpoint: Endpoint, proxy: Option<&str>) -> Result<Self, Failure> {
        let proxy = match proxy {
            Some(url) => {
                let proxy = ureq::Proxy::new(url)
                    .map_err(|e| Failure::usage(format!("--proxy {url:?}: {e}")))?;
                step(format!(
                    "Requests go through the proxy {}:{} (--proxy).",
                    proxy.host(),
                    proxy.port()
                ));
                Some(proxy)
            }
            None => {
                if let Some(name) = PROXY_VARIABLES
                    .iter()
                    .find(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
                {
                    warn(format!(
                        "{name} is set but not used: cognito-auth connects directly unless \
                         --proxy names a proxy"
                    ));
                }
                None
            }
        };
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(proxy)
            .user_agent(concat!("cognito-auth-cli/", env!("CARGO_PKG_VERSION")));
        Ok(Self {
            endpoint,
            agent: config.build().into(),
        })
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

    /// POSTs a form `request` (the hosted UI's `/oauth2/token`) to its own URL, which
    /// need not be this transport's endpoint, and returns the answer, whatever its status.
    pub fn send_form(&self, request: &FormRequest) -> Result<RawResponse, Failure> {
        let url = request.url();
        let mut call = self.agent.post(url);
        for (name, value) in request.headers() {
            call = call.header(name, value);
        }
        let mut response = call
            .send(request.body())
            .map_err(|e| Failure::failed(format!("no answer from {url}: {e}")))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| Failure::failed(format!("{url}: HTTP {status}, unreadable body: {e}")))?;
        Ok(RawResponse {
            status,
            error_type: None,
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
