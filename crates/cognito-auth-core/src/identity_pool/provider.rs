//! [`CredentialsProvider`]: an identity's AWS credentials, kept fresh one request at a time.

use core::fmt;

use super::operations::{GetCredentialsForIdentity, GetId, IdentityPoolOperation};
use super::{AwsCredentials, IdentityId, IdentityPoolError, IdentityPoolId, Logins};
use crate::time::UnixTime;
use crate::wire::{HttpResponse, Request, ServiceError, ServiceErrorKind};

/// Credentials that expire within this many seconds are refreshed before a call: 5 minutes,
/// as for the session's tokens (Amplify Swift uses 2 minutes, Amplify Flutter 10 seconds).
pub const DEFAULT_REFRESH_MARGIN_SECS: u64 = 300;

/// Credentials that claim to last longer than this after they arrived (a year and a day) are
/// refused with [`IdentityPoolError::ExpirationOutOfRange`]: Cognito's last at most 12 hours,
/// and milliseconds sent as seconds would otherwise never be refreshed (Amplify Android has the
/// same check).
pub const MAX_CREDENTIALS_LIFETIME_SECS: u64 = 366 * 86_400;

/// What [`CredentialsProvider::credentials_for_call`] says to do.
///
/// Exhaustive on purpose: the FFI mirrors it variant for variant, so a new variant must fail to
/// compile there rather than be read as another one.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "the answer says whether to make the call, send a request first, or wait"]
pub enum CredentialsForCall {
    /// The credentials are good for at least the margin: make the call with them.
    Fresh(AwsCredentials),
    /// Send this request first (`GetId` when no identity id is known yet, else
    /// `GetCredentialsForIdentity`) and pass its response to
    /// [`CredentialsProvider::handle_response`] (or call
    /// [`CredentialsProvider::request_failed_to_send`]). Until then every other caller is told
    /// to wait.
    Send(Request),
    /// Another caller's request is in flight: wait for it to finish, then ask again.
    WaitForRefresh,
}

/// What a response did.
///
/// Exhaustive on purpose: the FFI mirrors it variant for variant, so a new variant must fail to
/// compile there rather than be read as another one.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "the outcome may be another request to send"]
pub enum CredentialsOutcome {
    /// New credentials (and the identity id is known): make the call with them; waiters may ask
    /// again.
    Refreshed(AwsCredentials),
    /// Send this request too (after `GetId`, `GetCredentialsForIdentity`; after a stored
    /// identity was refused, `GetId` once) and pass its response to
    /// [`CredentialsProvider::handle_response`]. Still one request in flight.
    Send(Request),
    /// Cognito refused (throttling, an expired ID token, a pool without guest access, ...): no
    /// request is in flight any more, the credentials held (if any) are kept. Retry later if
    /// [`ServiceError::is_retryable`]; for `NotAuthorizedException` with logins, refresh the
    /// user's tokens and [`update_logins`](CredentialsProvider::update_logins).
    Failed(ServiceError),
}

/// The request in flight.
#[derive(Debug)]
enum State {
    /// Nothing in flight.
    Idle,
    /// `GetId` is out.
    GettingId(GetId),
    /// `GetCredentialsForIdentity` is out. `new_identity`: its id came from the `GetId` of the
    /// same refresh (so a refusal is not about a stale stored id).
    GettingCredentials {
        operation: GetCredentialsForIdentity,
        new_identity: bool,
    },
}

/// An identity's temporary AWS credentials, fetched and refreshed one request at a time.
/// Sans-IO like [`Session`](crate::session::Session): requests out, responses in, `now`
/// passed in; the same contract for concurrent callers (see the [module
/// documentation](super)).
///
/// It holds the identity pool, the logins (none for a guest), the identity id once known and
/// the latest credentials. Keep the [`identity_id`](Self::identity_id) with the user's
/// session (for a guest, in the app's storage): a guest is the same guest only with the same
/// id ([`with_identity_id`](Self::with_identity_id)).
pub struct CredentialsProvider {
    pool: IdentityPoolId,
    logins: Logins,
    identity_id: Option<IdentityId>,
    credentials: Option<AwsCredentials>,
    refresh_margin_secs: u64,
    state: State,
}

impl CredentialsProvider {
    /// Credentials for `logins` ([`Logins::guest`] for a guest) in `pool`; nothing is fetched
    /// until the first [`credentials_for_call`](Self::credentials_for_call).
    pub fn new(pool: IdentityPoolId, logins: Logins) -> Self {
        Self {
            pool,
            logins,
            identity_id: None,
            credentials: None,
            refresh_margin_secs: DEFAULT_REFRESH_MARGIN_SECS,
            state: State::Idle,
        }
    }

    /// Starts from a stored identity id: the first refresh skips `GetId`. Should Cognito not
    /// know it any more (`ResourceNotFoundException`), or refuse it to a guest
    /// (`NotAuthorizedException`), the provider calls `GetId` once and goes on with the new id.
    pub fn with_identity_id(mut self, identity_id: IdentityId) -> Self {
        self.identity_id = Some(identity_id);
        self
    }

    /// Refreshes credentials that expire within `secs` (default
    /// [`DEFAULT_REFRESH_MARGIN_SECS`]).
    pub fn with_refresh_margin(mut self, secs: u64) -> Self {
        self.refresh_margin_secs = secs;
        self
    }

    /// Credentials for a call made at `now`: fresh ones, the request to send first, or "wait,
    /// a request is in flight".
    ///
    /// One request at a time: after this returns [`CredentialsForCall::Send`], every call
    /// returns [`CredentialsForCall::WaitForRefresh`] until the last response is handled
    /// ([`handle_response`](Self::handle_response) returns something other than
    /// [`CredentialsOutcome::Send`], or an error) or the send failed
    /// ([`request_failed_to_send`](Self::request_failed_to_send)).
    pub fn credentials_for_call(&mut self, now: UnixTime) -> CredentialsForCall {
        if !matches!(self.state, State::Idle) {
            return CredentialsForCall::WaitForRefresh;
        }
        if let Some(credentials) = &self.credentials
            && credentials.expiration.as_secs()
                > now.as_secs().saturating_add(self.refresh_margin_secs)
        {
            return CredentialsForCall::Fresh(credentials.clone());
        }
        CredentialsForCall::Send(self.start_refresh())
    }

    /// The first request of a refresh, and the state that waits for its answer.
    fn start_refresh(&mut self) -> Request {
        match &self.identity_id {
            Some(id) => self.send_credentials_request(id.clone(), false),
            None => self.send_get_id(),
        }
    }

    fn send_get_id(&mut self) -> Request {
        let operation = GetId::new(self.pool.clone(), self.logins.clone());
        let request = operation.request();
        self.state = State::GettingId(operation);
        request
    }

    fn send_credentials_request(&mut self, id: IdentityId, new_identity: bool) -> Request {
        let operation = GetCredentialsForIdentity::new(id, self.logins.clone());
        let request = operation.request();
        self.state = State::GettingCredentials {
            operation,
            new_identity,
        };
        request
    }

    /// The response to the request in flight, received at `now`.
    ///
    /// - `GetId` answered: the identity id is kept and [`CredentialsOutcome::Send`] carries
    ///   `GetCredentialsForIdentity`.
    /// - `GetCredentialsForIdentity` answered: the identity id it names and the credentials are
    ///   kept: [`CredentialsOutcome::Refreshed`].
    /// - A stored identity id refused (`ResourceNotFoundException`, or `NotAuthorizedException`
    ///   for a guest): it is forgotten and [`CredentialsOutcome::Send`] carries a new `GetId`
    ///   (once per refresh).
    /// - Any other refusal: [`CredentialsOutcome::Failed`].
    ///
    /// A body that is not Cognito's (or credentials whose `Expiration` is implausible) is an
    /// error. After anything but `Send`, no request is in flight.
    pub fn handle_response(
        &mut self,
        response: HttpResponse<'_>,
        now: UnixTime,
    ) -> Result<CredentialsOutcome, IdentityPoolError> {
        match core::mem::replace(&mut self.state, State::Idle) {
            State::Idle => Err(IdentityPoolError::NoRequestInFlight),
            State::GettingId(operation) => match operation.parse_response(response) {
                Ok(id) => {
                    self.identity_id = Some(id.clone());
                    Ok(CredentialsOutcome::Send(
                        self.send_credentials_request(id, true),
                    ))
                }
                Err(IdentityPoolError::Service(error)) => Ok(CredentialsOutcome::Failed(error)),
                Err(other) => Err(other),
            },
            State::GettingCredentials {
                operation,
                new_identity,
            } => match operation.parse_response(response) {
                Ok(answer) => {
                    let limit = now.as_secs().saturating_add(MAX_CREDENTIALS_LIFETIME_SECS);
                    if answer.credentials.expiration.as_secs() > limit {
                        return Err(IdentityPoolError::ExpirationOutOfRange);
                    }
                    self.identity_id = Some(answer.identity_id);
                    self.credentials = Some(answer.credentials.clone());
                    Ok(CredentialsOutcome::Refreshed(answer.credentials))
                }
                Err(IdentityPoolError::Service(error))
                    if !new_identity && self.identity_is_stale(&error) =>
                {
                    self.identity_id = None;
                    self.credentials = None;
                    Ok(CredentialsOutcome::Send(self.send_get_id()))
                }
                Err(IdentityPoolError::Service(error)) => Ok(CredentialsOutcome::Failed(error)),
                Err(other) => Err(other),
            },
        }
    }

    /// Whether a refusal of `GetCredentialsForIdentity` says the stored identity id is no
    /// good (amplify-swift #4278, amplify-js #2301): unknown, or forbidden to a guest. A user's
    /// `NotAuthorizedException` is about the token instead, and is reported.
    fn identity_is_stale(&self, error: &ServiceError) -> bool {
        match error.kind() {
            ServiceErrorKind::ResourceNotFound => true,
            ServiceErrorKind::NotAuthorized => self.logins.is_guest(),
            _ => false,
        }
    }

    /// The request could not be sent, or no response came: nothing is in flight any more, and
    /// the next [`credentials_for_call`](Self::credentials_for_call) starts again. Returns
    /// whether a request was in flight.
    pub fn request_failed_to_send(&mut self) -> bool {
        let was = !matches!(self.state, State::Idle);
        self.state = State::Idle;
        was
    }

    /// The same user's new tokens (after a session refresh: a new ID token): the identity and
    /// the credentials are kept, the next request sends the new tokens. The providers must be
    /// the ones held, else [`IdentityPoolError::LoginProvidersChanged`] and nothing changes.
    pub fn update_logins(&mut self, logins: Logins) -> Result<(), IdentityPoolError> {
        if !logins.same_providers(&self.logins) {
            return Err(IdentityPoolError::LoginProvidersChanged);
        }
        self.logins = logins;
        Ok(())
    }

    /// Another identity: a guest signing in, a user signing out ([`Logins::guest`]), another
    /// user. The identity id and the credentials are forgotten (the next call starts with
    /// `GetId`, as Amplify Swift and Flutter do; the guest identity is not linked to the user),
    /// and a request in flight is abandoned: its response is refused with
    /// [`IdentityPoolError::NoRequestInFlight`].
    pub fn switch_logins(&mut self, logins: Logins) {
        self.logins = logins;
        self.identity_id = None;
        self.credentials = None;
        self.state = State::Idle;
    }

    /// The identity id, once known (keep it with the session).
    pub fn identity_id(&self) -> Option<&IdentityId> {
        self.identity_id.as_ref()
    }

    /// The identity pool.
    pub fn pool(&self) -> &IdentityPoolId {
        &self.pool
    }

    /// Whether the provider is for a guest (no logins).
    pub fn is_guest(&self) -> bool {
        self.logins.is_guest()
    }

    /// Whether a request is in flight.
    pub fn is_refreshing(&self) -> bool {
        !matches!(self.state, State::Idle)
    }

    /// When the credentials held expire, if any are held.
    pub fn expiration(&self) -> Option<UnixTime> {
        self.credentials.as_ref().map(|c| c.expiration)
    }
}

impl fmt::Debug for CredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsProvider")
            .field("pool", &self.pool)
            .field("logins", &self.logins)
            .field("identity_id", &self.identity_id)
            .field("expiration", &self.expiration())
            .field("refresh_margin_secs", &self.refresh_margin_secs)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}
