//! The browser side of the hosted UI for tests against MiniStack ([`crate::ministack`]): a pool
//! with a domain and a code-flow app client, a minimal browser (GET, form POST, no redirects
//! followed, no proxy, bounded) and the login form filled in as a user would. Shared by the
//! core's `tests/ministack_oauth.rs` and the CLI's `tests/oauth.rs`.

use cognito_auth_core::oauth::FormRequest;
use serde_json::json;

use crate::cognito_idp::{AppClient, CognitoIdp, DEFAULT_AUTH_FLOWS, PASSWORD, REQUEST_TIMEOUT};

/// The callback URL of [`hosted_ui_client`].
pub const REDIRECT: &str = "myapp://callback";
/// Its sign-out URL.
pub const SIGNED_OUT: &str = "myapp://signed-out";

/// A minimal browser: GET and form POST, no redirects followed, no proxy, bounded.
pub struct Browser {
    agent: ureq::Agent,
}

/// What came back: status, `Location` and the body as text.
pub struct Page {
    /// The HTTP status.
    pub status: u16,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// The body as text.
    pub body: String,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    /// A browser with [`REQUEST_TIMEOUT`] per request, no proxy and no redirects followed.
    pub fn new() -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .build()
            .into();
        Self { agent }
    }

    /// Reads a response into a [`Page`].
    pub fn page(mut response: ureq::http::Response<ureq::Body>) -> Page {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = response.body_mut().read_to_string().unwrap();
        Page {
            status,
            location,
            body,
        }
    }

    /// `GET url`.
    pub fn get(&self, url: &str) -> Page {
        Self::page(self.agent.get(url).call().unwrap())
    }

    /// `POST url` with `fields` form-encoded.
    pub fn post_form(&self, url: &str, fields: &[(String, String)]) -> Page {
        let body = fields
            .iter()
            .map(|(name, value)| format!("{}={}", form_encode(name), form_encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .agent
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .send(&body)
            .unwrap();
        Self::page(response)
    }

    /// What the app does with a [`FormRequest`]: POST it as built, hand back status and body.
    pub fn send(&self, request: &FormRequest) -> (u16, Vec<u8>) {
        let mut post = self.agent.post(request.url());
        for (name, value) in request.headers() {
            post = post.header(name, value);
        }
        let mut response = post.send(request.body()).unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_vec().unwrap())
    }
}

/// The test's own form encoder (independent of the core's).
pub fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The hidden inputs of the hosted UI's login form, HTML entities undone.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        let end = start + tag[start..].find('"')?;
        Some(
            tag[start..end]
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        )
    };
    html.split("<input")
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap()])
        .filter(|tag| tag.contains("type=\"hidden\""))
        .map(|tag| {
            (
                attribute(tag, "name").unwrap(),
                attribute(tag, "value").unwrap_or_default(),
            )
        })
        .collect()
}

/// The browser part: open the URL, fill in the login form, return the redirect URL.
/// `gateway` is the server's base URL with its trailing `/` (MiniStack's `endpoint()`).
pub fn sign_in_in_browser(browser: &Browser, gateway: &str, url: &str, password: &str) -> String {
    let page = browser.get(url);
    assert_eq!(page.status, 200, "authorize page: {}", page.body);
    let mut fields = hidden_fields(&page.body);
    assert!(
        fields.iter().any(|(name, _)| name == "code_challenge"),
        "{fields:?}"
    );
    fields.push(("username".to_owned(), "alice".to_owned()));
    fields.push(("password".to_owned(), password.to_owned()));
    let answer = browser.post_form(&format!("{gateway}login"), &fields);
    assert_eq!(answer.status, 302, "login: {}", answer.body);
    answer.location.unwrap()
}

/// A domain for `pool_id` and a code-flow app client whose callback is [`REDIRECT`], with the
/// scopes `openid`, `email` and `aws.cognito.signin.user.admin`, and a user `alice` with
/// [`PASSWORD`] and an email address.
pub fn hosted_ui_client(idp: &CognitoIdp, pool_id: &str, name: &str, secret: bool) -> AppClient {
    hosted_ui_client_for(idp, pool_id, name, secret, REDIRECT)
}

/// [`hosted_ui_client`] with another callback URL (e.g. a loopback listener's).
pub fn hosted_ui_client_for(
    idp: &CognitoIdp,
    pool_id: &str,
    name: &str,
    secret: bool,
    callback: &str,
) -> AppClient {
    idp.call_ok(
        "CreateUserPoolDomain",
        json!({"UserPoolId": pool_id, "Domain": format!("{}-domain", name.to_lowercase())}),
    );
    let client = idp.create_app_client_with(
        pool_id,
        json!({
            "ClientName": format!("{name}-app"),
            "GenerateSecret": secret,
            "ExplicitAuthFlows": DEFAULT_AUTH_FLOWS,
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthFlowsUserPoolClient": true,
            "AllowedOAuthScopes": ["openid", "email", "aws.cognito.signin.user.admin"],
            "CallbackURLs": [callback],
            "LogoutURLs": [SIGNED_OUT],
            "SupportedIdentityProviders": ["COGNITO"],
        }),
    );
    assert_eq!(client.client_secret.is_some(), secret);
    idp.create_confirmed_user(
        pool_id,
        "alice",
        PASSWORD,
        &[("email", "alice@example.com")],
    );
    client
}
