//! `GetId`, `GetCredentialsForIdentity`, `GetOpenIdToken`: request builders and parsers.

use alloc::string::String;

use serde_json::{Map, Value};

use super::{AwsCredentials, IdentityId, IdentityPoolError, IdentityPoolId, Logins};
use crate::secret::SecretString;
use crate::wire::{
    HttpResponse, Operation, Request, ResponseError, ServiceError, is_success, json_object,
    require_string, take_string,
};

/// One identity-pool operation: builds its request and reads its response. The request goes
/// to [`Endpoint::for_identity_pool`](crate::wire::Endpoint::for_identity_pool) (or the
/// emulator's URL), unsigned, like the user-pool requests.
pub trait IdentityPoolOperation {
    /// What a successful response yields.
    type Output;

    /// The request to send.
    fn request(&self) -> Request;

    /// Reads the response to [`IdentityPoolOperation::request`]'s request.
    fn parse_response(&self, response: HttpResponse<'_>)
    -> Result<Self::Output, IdentityPoolError>;
}

/// `GetId`: the identity id for these logins in the identity pool, created on first use.
///
/// A guest ([`Logins::guest`]) gets a new identity on every call (keep its id: that is the
/// guest); a user gets the same identity every time for the same login. `NotAuthorizedException`
/// for a guest: the pool does not allow unauthenticated identities.
///
/// ```
/// use cognito_auth_core::identity_pool::{GetId, IdentityPoolId, IdentityPoolOperation, Logins};
/// use cognito_auth_core::wire::HttpResponse;
///
/// let pool = IdentityPoolId::parse("us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60")?;
/// let get_id = GetId::new(pool, Logins::guest());
/// let request = get_id.request();
/// assert_eq!(request.headers()[1], ("x-amz-target", "AWSCognitoIdentityService.GetId"));
/// assert_eq!(request.body(), r#"{"IdentityPoolId":"us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60"}"#);
///
/// let body = br#"{"IdentityId":"us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60"}"#;
/// let id = get_id.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(id.as_str(), "us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60");
/// # Ok::<(), cognito_auth_core::identity_pool::IdentityPoolError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetId {
    pool: IdentityPoolId,
    logins: Logins,
}

impl GetId {
    /// The identity of `logins` (none: a new guest identity) in `pool`.
    pub fn new(pool: IdentityPoolId, logins: Logins) -> Self {
        Self { pool, logins }
    }
}

impl IdentityPoolOperation for GetId {
    /// The identity id.
    type Output = IdentityId;

    fn request(&self) -> Request {
        let mut body = Map::new();
        body.insert("IdentityPoolId".into(), self.pool.as_str().into());
        self.logins.insert_into(&mut body);
        Request::from_value(Operation::GetId, Value::Object(body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<IdentityId, IdentityPoolError> {
        let mut body = success_body(response)?;
        identity_id(&mut body)
    }
}

/// `GetCredentialsForIdentity`: temporary AWS credentials for an identity, with the same
/// logins `GetId` was given (a guest sends none).
///
/// The response names the identity again; Cognito may answer with another id than the one
/// sent (when logins merged identities): keep the one it returns.
/// `ResourceNotFoundException` ("Identity ... not found") means the stored identity id is
/// gone: call `GetId` again. `NotAuthorizedException`: the ID token expired, or the identity
/// belongs to a login that was not sent.
///
/// ```
/// use cognito_auth_core::identity_pool::{GetCredentialsForIdentity, IdentityId, IdentityPoolOperation, Logins};
/// use cognito_auth_core::wire::HttpResponse;
///
/// let id = IdentityId::parse("us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60")?;
/// let get = GetCredentialsForIdentity::new(id, Logins::guest());
/// assert_eq!(get.request().body(), r#"{"IdentityId":"us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60"}"#);
///
/// let body = br#"{"IdentityId":"us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60","Credentials":{
///     "AccessKeyId":"ASIAEXAMPLE","SecretKey":"wJalrXUtnFEMI","SessionToken":"IQoJb3JpZ2lu","Expiration":1.8000036E9}}"#;
/// let answer = get.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(answer.credentials.access_key_id, "ASIAEXAMPLE");
/// assert_eq!(answer.credentials.expiration.as_secs(), 1_800_003_600);
/// assert!(!format!("{answer:?}").contains("wJalrXUtnFEMI"));
/// # Ok::<(), cognito_auth_core::identity_pool::IdentityPoolError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCredentialsForIdentity {
    identity_id: IdentityId,
    logins: Logins,
    custom_role_arn: Option<String>,
}

impl GetCredentialsForIdentity {
    /// Credentials for `identity_id`, proven by `logins` (none for a guest).
    pub fn new(identity_id: IdentityId, logins: Logins) -> Self {
        Self {
            identity_id,
            logins,
            custom_role_arn: None,
        }
    }

    /// Asks for the role `arn` (`CustomRoleArn`) among those the pool's role mapping allows
    /// for the token (the `cognito:roles` claim).
    pub fn with_custom_role_arn(mut self, arn: &str) -> Self {
        self.custom_role_arn = Some(String::from(arn));
        self
    }
}

/// What [`GetCredentialsForIdentity`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdentityCredentials {
    /// The identity the credentials are for (keep this one).
    pub identity_id: IdentityId,
    /// The credentials.
    pub credentials: AwsCredentials,
}

impl IdentityPoolOperation for GetCredentialsForIdentity {
    /// The identity and its credentials.
    type Output = IdentityCredentials;

    fn request(&self) -> Request {
        let mut body = Map::new();
        body.insert("IdentityId".into(), self.identity_id.as_str().into());
        self.logins.insert_into(&mut body);
        if let Some(arn) = &self.custom_role_arn {
            body.insert("CustomRoleArn".into(), arn.as_str().into());
        }
        Request::from_value(Operation::GetCredentialsForIdentity, Value::Object(body))
    }

    fn parse_response(
        &self,
        response: HttpResponse<'_>,
    ) -> Result<IdentityCredentials, IdentityPoolError> {
        let mut body = success_body(response)?;
        let identity_id = identity_id(&mut body)?;
        let credentials = AwsCredentials::take_from(&mut body)?;
        Ok(IdentityCredentials {
            identity_id,
            credentials,
        })
    }
}

/// `GetOpenIdToken`: an OpenID Connect token for an identity (valid 10 minutes), for
/// `AssumeRoleWithWebIdentity` or a service that trusts `cognito-identity.amazonaws.com`.
/// Amplify does not use it. Like [`GetCredentialsForIdentity`], the answer may name another
/// identity than the one sent.
///
/// ```
/// use cognito_auth_core::identity_pool::{GetOpenIdToken, IdentityId, IdentityPoolOperation, Logins};
/// use cognito_auth_core::wire::HttpResponse;
///
/// let id = IdentityId::parse("us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60")?;
/// let get = GetOpenIdToken::new(id, Logins::guest());
/// assert_eq!(get.request().operation().target(), "AWSCognitoIdentityService.GetOpenIdToken");
/// let body = br#"{"IdentityId":"us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60","Token":"eyJraWQ.oidc.token"}"#;
/// let answer = get.parse_response(HttpResponse::new(200, body))?;
/// assert_eq!(answer.token.expose(), "eyJraWQ.oidc.token");
/// # Ok::<(), cognito_auth_core::identity_pool::IdentityPoolError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOpenIdToken {
    identity_id: IdentityId,
    logins: Logins,
}

impl GetOpenIdToken {
    /// A token for `identity_id`, proven by `logins` (none for a guest).
    pub fn new(identity_id: IdentityId, logins: Logins) -> Self {
        Self {
            identity_id,
            logins,
        }
    }
}

/// What [`GetOpenIdToken`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenIdToken {
    /// The identity the token is for.
    pub identity_id: IdentityId,
    /// The OpenID Connect token (a JWT; secret).
    pub token: SecretString,
}

impl IdentityPoolOperation for GetOpenIdToken {
    /// The identity and its token.
    type Output = OpenIdToken;

    fn request(&self) -> Request {
        let mut body = Map::new();
        body.insert("IdentityId".into(), self.identity_id.as_str().into());
        self.logins.insert_into(&mut body);
        Request::from_value(Operation::GetOpenIdToken, Value::Object(body))
    }

    fn parse_response(&self, response: HttpResponse<'_>) -> Result<OpenIdToken, IdentityPoolError> {
        let mut body = success_body(response)?;
        let identity_id = identity_id(&mut body)?;
        let token = take_string(&mut body, "Token")?
            .filter(|token| !token.is_empty())
            .ok_or(ResponseError::MissingField { field: "Token" })?;
        Ok(OpenIdToken {
            identity_id,
            token: SecretString::from(token),
        })
    }
}

/// The JSON object of a 2xx response, or the service error of any other.
fn success_body(response: HttpResponse<'_>) -> Result<Map<String, Value>, IdentityPoolError> {
    if !is_success(response.status) {
        return Err(IdentityPoolError::Service(ServiceError::parse(
            response.status,
            response.error_type,
            response.body,
        )));
    }
    Ok(json_object(response.body)?)
}

/// The response's `IdentityId`, checked: one that is not `<region>:<GUID>` is a response of
/// the wrong shape, like a number would be.
fn identity_id(body: &mut Map<String, Value>) -> Result<IdentityId, IdentityPoolError> {
    IdentityId::parse(&require_string(body, "IdentityId")?).map_err(|_| {
        IdentityPoolError::Response(ResponseError::FieldHasWrongType {
            field: "IdentityId",
        })
    })
}
