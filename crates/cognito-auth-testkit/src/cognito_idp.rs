//! A minimal Cognito user-pool (`cognito-idp`) client for tests against a local emulator:
//! the AWS JSON 1.1 protocol over plain HTTP, plus fixtures (pool, app client, confirmed user).
//!
//! Emulator-agnostic: [`CognitoIdp::new`] takes any `http://127.0.0.1:PORT/` endpoint, so the
//! MiniStack launcher ([`crate::ministack`]) and the moto launcher ([`crate::moto`]) share it,
//! and [`crate::sign_in_driver`] moves the core's requests with [`CognitoIdp::post`].
//!
//! [`Pool`] is the fixture most tests start from: a user pool with one app client, the core's
//! [`ClientConfig`] for it, confirmed users with [`PASSWORD`], and account operations sent as an
//! app sends them.
//!
//! Every request has a [`REQUEST_TIMEOUT`]; nothing retries. A failed fixture call panics with the
//! operation, the HTTP status and the emulator's error body.

use core::time::Duration;

use cognito_auth_core::account::{AccountError, AccountOperation};
use cognito_auth_core::sign_in::ClientConfig;
use cognito_auth_core::wire::HttpResponse;
use cognito_auth_core::{SecretString, UserPoolId};
use serde_json::{Value, json};

/// The password [`Pool::user`] gives its users; satisfies the default pool password policy of
/// MiniStack and moto (length, cases, digit, symbol).
pub const PASSWORD: &str = "Correct-Horse-9!";

/// Upper bound for one request, connect to last byte.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// `X-Amz-Target` prefix of every user-pool operation.
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// The operations the AWS SDKs send **without** credentials (botocore's `cognito-idp` model marks
/// them `auth: smithy.api#noAuth`). An app's sign-in traffic is exactly these; everything else is
/// an administrator call that needs SigV4 credentials.
pub const UNSIGNED_OPERATIONS: &[&str] = &[
    "AssociateSoftwareToken",
    "ChangePassword",
    "CompleteWebAuthnRegistration",
    "ConfirmDevice",
    "ConfirmForgotPassword",
    "ConfirmSignUp",
    "DeleteUser",
    "DeleteUserAttributes",
    "DeleteWebAuthnCredential",
    "ForgetDevice",
    "ForgotPassword",
    "GetDevice",
    "GetTokensFromRefreshToken",
    "GetUser",
    "GetUserAttributeVerificationCode",
    "GetUserAuthFactors",
    "GlobalSignOut",
    "InitiateAuth",
    "ListDevices",
    "ListWebAuthnCredentials",
    "ResendConfirmationCode",
    "RespondToAuthChallenge",
    "RevokeToken",
    "SetUserMFAPreference",
    "SetUserSettings",
    "SignUp",
    "StartWebAuthnRegistration",
    "UpdateAuthEventFeedback",
    "UpdateDeviceStatus",
    "UpdateUserAttributes",
    "VerifySoftwareToken",
    "VerifyUserAttribute",
];

/// The `Authorization` header sent on administrator calls.
///
/// Emulators want a SigV4-shaped header naming an access key, not a valid signature: MiniStack
/// with `AUTH=true` answers an unsigned admin call with `MissingAuthenticationTokenException`,
/// but treats the access key `test` as the account root and does not verify its signature (nor
/// its date). moto ignores the header.
const ADMIN_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 \
    Credential=test/20260101/us-east-1/cognito-idp/aws4_request, \
    SignedHeaders=content-type;host;x-amz-target, \
    Signature=0000000000000000000000000000000000000000000000000000000000000000";

/// App-client auth flows the fixtures enable. Always explicit: fakecloud refuses SRP on a client
/// created without `ExplicitAuthFlows`, and real Cognito's default set differs by console/API.
pub const DEFAULT_AUTH_FLOWS: &[&str] = &[
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
];

/// The response header that may carry the error code (header names are case-insensitive).
const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// An HTTP answer as it came: what an app hands to the core's sign-in machine.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `x-amzn-ErrorType` header, if present.
    pub error_type: Option<String>,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// A JSON 1.1 client for one emulator endpoint.
pub struct CognitoIdp {
    endpoint: String,
    agent: ureq::Agent,
}

/// An app client created by [`CognitoIdp::create_app_client`].
#[derive(Debug, Clone)]
pub struct AppClient {
    /// `ClientId`.
    pub client_id: String,
    /// `ClientSecret`, when the client was created with `GenerateSecret`.
    pub client_secret: Option<String>,
}

impl CognitoIdp {
    /// A client for `endpoint`, e.g. `http://127.0.0.1:4566/`. Never uses a proxy from the
    /// environment, never follows redirects.
    pub fn new(endpoint: impl Into<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .build()
            .into();
        Self {
            endpoint: endpoint.into(),
            agent,
        }
    }

    /// The endpoint every request goes to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Sends `operation` with `body`: unsigned if an SDK sends it unsigned
    /// ([`UNSIGNED_OPERATIONS`]), with the admin credentials header otherwise.
    /// Returns the HTTP status and the JSON body (`null` for an empty body).
    pub fn call(&self, operation: &str, body: Value) -> (u16, Value) {
        let signed = !UNSIGNED_OPERATIONS.contains(&operation);
        self.send(operation, &body.to_string(), signed)
    }

    /// Sends a ready-made JSON body, e.g. one the core's sign-in machine built, byte for byte.
    pub fn send(&self, operation: &str, body: &str, signed: bool) -> (u16, Value) {
        let target = format!("{TARGET_PREFIX}{operation}");
        let mut headers = vec![
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", target.as_str()),
        ];
        if signed {
            headers.push(("Authorization", ADMIN_AUTHORIZATION));
        }
        let raw = self.post(operation, &headers, body);
        let status = raw.status;
        let text = String::from_utf8(raw.body)
            .unwrap_or_else(|e| panic!("{operation}: HTTP {status}, body is not UTF-8: {e}"));
        let value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!("{operation}: HTTP {status}, body is not JSON ({e}): {text}")
            })
        };
        (status, value)
    }

    /// POSTs `body` with exactly `headers` (plus what the HTTP client adds: `host`,
    /// `content-length`, `user-agent`, `accept`) and returns the answer unparsed. `what` names
    /// the call in a panic message. Panics only when no HTTP response arrives within
    /// [`REQUEST_TIMEOUT`] or the body cannot be read.
    pub fn post(&self, what: &str, headers: &[(&str, &str)], body: &str) -> RawResponse {
        let mut request = self.agent.post(&self.endpoint);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.send(body).unwrap_or_else(|e| {
            panic!(
                "{what}: no HTTP response from {} within {REQUEST_TIMEOUT:?}: {e}",
                self.endpoint
            )
        });
        let status = response.status().as_u16();
        let error_type = response
            .headers()
            .get(ERROR_TYPE_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .read_to_vec()
            .unwrap_or_else(|e| panic!("{what}: HTTP {status}, unreadable body: {e}"));
        RawResponse {
            status,
            error_type,
            body,
        }
    }

    /// [`Self::call`], panicking unless the answer is HTTP 200.
    pub fn call_ok(&self, operation: &str, body: Value) -> Value {
        let (status, response) = self.call(operation, body);
        assert_eq!(status, 200, "{operation} failed: {response}");
        response
    }

    /// [`Self::call`], panicking unless the answer is HTTP 400 with `__type` = `expected_type`.
    /// Returns the error message.
    pub fn call_err(&self, operation: &str, body: Value, expected_type: &str) -> String {
        let (status, response) = self.call(operation, body);
        assert_eq!(
            (status, error_type(&response)),
            (400, Some(expected_type)),
            "{operation}: expected HTTP 400 {expected_type}, got HTTP {status}: {response}"
        );
        error_message(&response).unwrap_or_default().to_owned()
    }

    /// `CreateUserPool` named `name`; `extra` (a JSON object) is merged into the request, e.g.
    /// `{"UsernameAttributes": ["email"]}`. Returns the pool id.
    pub fn create_user_pool(&self, name: &str, extra: Value) -> String {
        let body = merged(json!({ "PoolName": name }), extra);
        let response = self.call_ok("CreateUserPool", body);
        string_at(&response, &["UserPool", "Id"]).to_owned()
    }

    /// `CreateUserPoolClient` with [`DEFAULT_AUTH_FLOWS`], with or without a client secret.
    pub fn create_app_client(&self, pool_id: &str, name: &str, generate_secret: bool) -> AppClient {
        self.create_app_client_with(
            pool_id,
            json!({
                "ClientName": name,
                "GenerateSecret": generate_secret,
                "ExplicitAuthFlows": DEFAULT_AUTH_FLOWS,
            }),
        )
    }

    /// `CreateUserPoolClient` with a caller-built body (`UserPoolId` is added).
    pub fn create_app_client_with(&self, pool_id: &str, body: Value) -> AppClient {
        let body = merged(json!({ "UserPoolId": pool_id }), body);
        let response = self.call_ok("CreateUserPoolClient", body);
        let client = &response["UserPoolClient"];
        AppClient {
            client_id: string_at(client, &["ClientId"]).to_owned(),
            client_secret: client["ClientSecret"].as_str().map(str::to_owned),
        }
    }

    /// A `CONFIRMED` user with a permanent password: `AdminCreateUser` (no invitation message)
    /// then `AdminSetUserPassword` with `Permanent`. `attributes` are `UserAttributes` pairs.
    ///
    /// Returns the user's canonical `Username`, which differs from `username` in a pool with
    /// `UsernameAttributes` (there Cognito and the emulators assign the `sub`).
    pub fn create_confirmed_user(
        &self,
        pool_id: &str,
        username: &str,
        password: &str,
        attributes: &[(&str, &str)],
    ) -> String {
        let attributes = attribute_list(attributes);
        let created = self.call_ok(
            "AdminCreateUser",
            json!({
                "UserPoolId": pool_id,
                "Username": username,
                "MessageAction": "SUPPRESS",
                "UserAttributes": attributes,
            }),
        );
        let canonical = string_at(&created, &["User", "Username"]).to_owned();
        self.call_ok(
            "AdminSetUserPassword",
            json!({
                "UserPoolId": pool_id,
                "Username": canonical,
                "Password": password,
                "Permanent": true,
            }),
        );
        let user = self.call_ok(
            "AdminGetUser",
            json!({ "UserPoolId": pool_id, "Username": canonical }),
        );
        assert_eq!(
            user["UserStatus"], "CONFIRMED",
            "AdminSetUserPassword(Permanent) left the user unconfirmed: {user}"
        );
        canonical
    }

    /// A `FORCE_CHANGE_PASSWORD` user as an administrator creates one: `AdminCreateUser` with a
    /// `TemporaryPassword` (no invitation message) and nothing else, so the first sign-in gets
    /// `NEW_PASSWORD_REQUIRED`. Returns the canonical `Username`.
    pub fn create_user_with_temporary_password(
        &self,
        pool_id: &str,
        username: &str,
        temporary_password: &str,
        attributes: &[(&str, &str)],
    ) -> String {
        let created = self.call_ok(
            "AdminCreateUser",
            json!({
                "UserPoolId": pool_id,
                "Username": username,
                "TemporaryPassword": temporary_password,
                "MessageAction": "SUPPRESS",
                "UserAttributes": attribute_list(attributes),
            }),
        );
        assert_eq!(
            created["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD",
            "AdminCreateUser with a TemporaryPassword: {created}"
        );
        string_at(&created, &["User", "Username"]).to_owned()
    }

    /// `SignUp` (unsigned, as an app sends it) without confirming: the user stays
    /// `UNCONFIRMED`. `secret_hash` is required for a client with a secret.
    pub fn sign_up(
        &self,
        client_id: &str,
        username: &str,
        password: &str,
        attributes: &[(&str, &str)],
        secret_hash: Option<&str>,
    ) -> Value {
        let mut body = json!({
            "ClientId": client_id,
            "Username": username,
            "Password": password,
            "UserAttributes": attribute_list(attributes),
        });
        if let Some(hash) = secret_hash {
            body["SecretHash"] = json!(hash);
        }
        let response = self.call_ok("SignUp", body);
        assert_eq!(response["UserConfirmed"], false, "SignUp: {response}");
        response
    }

    /// `SetUserPoolMFAConfig` with a caller-built body (`UserPoolId` is added).
    pub fn set_user_pool_mfa_config(&self, pool_id: &str, body: Value) -> Value {
        self.call_ok(
            "SetUserPoolMfaConfig",
            merged(json!({ "UserPoolId": pool_id }), body),
        )
    }
}

/// A pool with one app client on the server. Test files add their own methods in `impl Pool`.
pub struct Pool<'a> {
    /// The emulator.
    pub idp: &'a CognitoIdp,
    /// The pool's id.
    pub id: UserPoolId,
    /// Its app client.
    pub client: AppClient,
}

impl<'a> Pool<'a> {
    /// `CreateUserPool` (with `extra`, see [`CognitoIdp::create_user_pool`]) and an app client
    /// `NAME-app`, with a secret when `with_secret`.
    pub fn create(idp: &'a CognitoIdp, name: &str, extra: Value, with_secret: bool) -> Self {
        let id = idp.create_user_pool(name, extra);
        let client = idp.create_app_client(&id, &format!("{name}-app"), with_secret);
        assert_eq!(client.client_secret.is_some(), with_secret, "{client:?}");
        Self {
            idp,
            id: UserPoolId::parse(&id).unwrap_or_else(|e| panic!("pool id {id:?}: {e:?}")),
            client,
        }
    }

    /// The app's client configuration, with the secret when the client has one.
    pub fn config(&self) -> ClientConfig {
        let config = ClientConfig::new(self.id.clone(), &self.client.client_id).unwrap();
        match &self.client.client_secret {
            Some(secret) => config
                .with_client_secret(SecretString::new(secret))
                .unwrap(),
            None => config,
        }
    }

    /// A confirmed user with [`PASSWORD`]; returns the canonical username.
    pub fn user(&self, username: &str, attributes: &[(&str, &str)]) -> String {
        self.idp
            .create_confirmed_user(self.id.as_str(), username, PASSWORD, attributes)
    }

    /// What an app does with one account operation: build the request with [`Self::config`],
    /// POST it as is, parse the answer.
    pub fn send<O: AccountOperation>(&self, operation: &O) -> Result<O::Output, AccountError> {
        self.send_as(&self.config(), operation)
    }

    /// [`Self::send`] with another client configuration.
    pub fn send_as<O: AccountOperation>(
        &self,
        config: &ClientConfig,
        operation: &O,
    ) -> Result<O::Output, AccountError> {
        let request = operation.request(config)?;
        let raw = self.idp.post(
            request.operation().name(),
            &request.headers(),
            request.body(),
        );
        operation.parse_response(
            HttpResponse::new(raw.status, &raw.body).with_error_type(raw.error_type.as_deref()),
        )
    }
}

/// `UserAttributes` / `Attributes` as the API wants them: `[{"Name": .., "Value": ..}]`.
fn attribute_list(attributes: &[(&str, &str)]) -> Vec<Value> {
    attributes
        .iter()
        .map(|(name, value)| json!({ "Name": name, "Value": value }))
        .collect()
}

/// The error code of an AWS JSON error body: `__type` after any `namespace#` and before any
/// `:` suffix (`"com.amazonaws...#NotAuthorizedException:..."` → `NotAuthorizedException`).
pub fn error_type(body: &Value) -> Option<&str> {
    let raw = body.get("__type")?.as_str()?;
    let after_hash = raw.rsplit('#').next().unwrap_or(raw);
    after_hash.split(':').next()
}

/// The error message of an AWS JSON error body (`message` or `Message`).
pub fn error_message(body: &Value) -> Option<&str> {
    body.get("message")
        .or_else(|| body.get("Message"))
        .and_then(Value::as_str)
}

/// The string at `path` in `value`, or a panic naming the path and the whole value.
pub fn string_at<'v>(value: &'v Value, path: &[&str]) -> &'v str {
    path.iter()
        .try_fold(value, |node, key| node.get(key))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {path:?} in {value}"))
}

/// `base` with the members of the object `extra` added (overwriting).
fn merged(mut base: Value, extra: Value) -> Value {
    match (base.as_object_mut(), extra) {
        (Some(target), Value::Object(members)) => target.extend(members),
        (_, Value::Null) => {}
        (_, other) => panic!("expected a JSON object to merge, got {other}"),
    }
    base
}
