"""A ready client: sign in, keep the tokens fresh (one refresh at a time), store them, sign out.

It does the IO around the binding's sans-IO objects (`SignInSession`, `UserSession`): an HTTP
transport (urllib by default), a session store (in memory by default, or a file written with
mode 0600) and a clock. The steps and answers are the binding's own `SignInStep` and
`ChallengeAnswer`; the errors are the binding's `CognitoAuthError` plus the two this module
adds (`NotSignedIn`, `TransportError`)::

    import cognito_auth_ffi as ca
    from cognito_auth_ffi.client import CognitoAuthClient, FileStore

    config = ca.ClientConfig(user_pool_id="us-east-1_Abc123XyZ", client_id="1example23456789")
    client = CognitoAuthClient(config, store=FileStore("session.json"))
    step = client.sign_in("alice", "correct horse battery staple")
    if isinstance(step, ca.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE):
        step = client.answer(ca.ChallengeAnswer.TOTP_CODE(code=input("code: ")))
    assert isinstance(step, ca.SignInStep.DONE)
    ...
    access_token = client.tokens().access_token   # later: refreshed first when due

The hosted UI (`signInWithWebUi`): the app opens the URL in a browser and hands back the
redirect; the pending state is kept in the store, so the app may be killed in between::

    client = CognitoAuthClient(config, store=FileStore("session.json"),
                               hosted_ui_domain="https://myapp.auth.us-east-1.amazoncognito.com")
    client.sign_in_with_web_ui(open_browser, redirect_uri="myapp://callback")
    # or in two steps: url = client.begin_web_ui_sign_in(redirect_uri="myapp://callback"),
    # later (even in a new process): client.finish_web_ui_sign_in(redirect_url)

AWS credentials from an identity pool, for the signed-in user (else a guest)::

    aws = client.credentials("us-east-1:1a2b3c4d-...")   # .access_key_id, ...

A client made with the same store later (the app restarted) restores the session without a
sign-in. Thread-safe: when ten threads call `tokens()` as the access token comes due, one
sends the refresh and the others wait for it. No token, password or code is logged or shown
by `repr()`.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import os
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPMessage
import json
from typing import (
    IO, Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Protocol, Sequence, Tuple, TypeVar,
    Union,
)

from ._uniffi.cognito_auth_ffi import (
    AccountRequest,
    AccountResponse,
    AuthFlow,
    AuthTokens,
    AwsCredentials,
    ChallengeAnswer,
    ClientConfig,
    CognitoAuthError,
    CredentialsForCall,
    CredentialsOutcome,
    EndReason,
    HostedUiConfig,
    HostedUiOptions,
    HttpRequest,
    IdentityPoolConfig,
    IdentityPoolCredentials,
    OAuthErrorKind,
    RememberedDevice,
    SessionEvent,
    SessionOptions,
    SessionStatus,
    SessionTokens,
    SignInCredentials,
    SignInSession,
    SignInStep,
    SignOutKind,
    SignOutStep,
    TokensForCall,
    RefreshOutcome,
    UserSession,
    account_request,
    account_request_kind,
    error_type_header_name,
    hosted_ui_authorize,
    hosted_ui_logout_url,
    hosted_ui_parse_token_response,
    hosted_ui_token_request,
    parse_account_response,
    user_pool_login_provider,
)

__all__ = [
    "AsyncCognitoAuthClient",
    "CognitoAuthClient",
    "CognitoClientError",
    "FileStore",
    "HttpResponse",
    "Listener",
    "MemoryStore",
    "NotSignedIn",
    "OpenBrowser",
    "SessionEnded",
    "SessionStore",
    "Transport",
    "TransportError",
    "UrllibTransport",
]

_log = logging.getLogger(__name__)

#: The binding's error for a session that is over (`end_reason`: why). `tokens()` raises it
#: once the refresh token was refused or the app signed out: sign in again.
SessionEnded = CognitoAuthError.SessionEnded

#: The app's browser for the hosted UI: opens the authorize URL (`ASWebAuthenticationSession`,
#: Custom Tabs, the system browser with a loopback listener, ...) and returns the URL the
#: browser was redirected to (`myapp://callback?code=...&state=...`).
OpenBrowser = Callable[[str], str]

#: A state-change callback: gets each `SessionEvent` (`SIGNED_IN`, `RESTORED`,
#: `TOKENS_REFRESHED`, `ENDED`, `SIGNED_OUT`), oldest first. Events hold no token.
Listener = Callable[[SessionEvent], None]


class CognitoClientError(Exception):
    """An error of the client itself (the binding's refusals are `CognitoAuthError`)."""


class NotSignedIn(CognitoClientError):
    """No session: nobody signed in with this client and none was restored from its store."""


class TransportError(CognitoClientError):
    """A request got no response (network error, timeout, refused redirect, response too
    large). `__cause__` is the transport's own exception. A refresh that failed this way keeps
    the session: the next `tokens()` tries again. A sign-in that failed this way is abandoned:
    start it again."""


# ---------------------------------------------------------------------------------------------
# Transport


class HttpResponse(NamedTuple):
    """What the binding reads from a response."""

    status: int
    body: bytes
    #: The `x-amzn-ErrorType` header, if any.
    error_type: Optional[str]


class Transport(Protocol):
    """Sends one `HttpRequest` (`url`, `method`, `headers`, `body`) and returns the response,
    whatever its status; raises on no response (any exception counts as one)."""

    def send(self, request: HttpRequest) -> HttpResponse:
        ...


class _Readable(Protocol):
    def read(self, amt: int) -> bytes:
        ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Cognito never redirects; a redirect (a captive portal, a wrong endpoint) must not carry
    a request on to another host. The 3xx comes back as the response."""

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
        headers: HTTPMessage, newurl: str,
    ) -> Optional[urllib.request.Request]:
        return None


def _is_loopback(host: Optional[str]) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class UrllibTransport:
    """The default transport: `urllib.request`, TLS verified with the system's CA store (or
    `ssl_context`), proxies from the environment (`HTTPS_PROXY`, `NO_PROXY`) except for
    loopback endpoints, redirects not followed, responses capped at `max_response_bytes`.

    `timeout` (seconds) bounds connecting and each read."""

    def __init__(
        self,
        timeout: float = 15.0,
        ssl_context: Optional[ssl.SSLContext] = None,
        max_response_bytes: int = 1 << 20,
    ) -> None:
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        https = urllib.request.HTTPSHandler(context=ssl_context or ssl.create_default_context())
        self._opener = urllib.request.build_opener(https, _NoRedirects())
        self._direct = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), https, _NoRedirects()
        )

    def __repr__(self) -> str:
        return f"UrllibTransport(timeout={self.timeout!r})"

    def send(self, request: HttpRequest) -> HttpResponse:
        """POSTs `request`; an HTTP error status is a response, not an exception."""
        http = urllib.request.Request(
            request.url, data=request.body.encode("utf-8"), method=request.method,
            headers=dict(request.headers),
        )
        host = urllib.parse.urlsplit(request.url).hostname
        opener = self._direct if _is_loopback(host) else self._opener
        header = error_type_header_name()
        try:
            with opener.open(http, timeout=self.timeout) as response:
                return HttpResponse(response.status, self._read(response), response.headers.get(header))
        except urllib.error.HTTPError as error:
            with error:
                return HttpResponse(error.code, self._read(error), error.headers.get(header))

    def _read(self, response: _Readable) -> bytes:
        body = response.read(self.max_response_bytes + 1)
        if len(body) > self.max_response_bytes:
            raise TransportError(f"the response is larger than {self.max_response_bytes} bytes")
        return body


# ---------------------------------------------------------------------------------------------
# Stores


class SessionStore(Protocol):
    """Where the client keeps the session's storage form (`UserSession.to_storage`), which
    holds the refresh token: keep it where the platform keeps secrets.

    A store may also offer `sibling(name: str) -> SessionStore`: another item kept next to
    this one (the same place, the same protection). The client keeps the hosted UI's pending
    sign-in (`name` "hosted-ui", it holds the PKCE verifier) and the identity pools' identity
    ids ("identities") there; `MemoryStore` and `FileStore` have it. Without it, those
    features keep their state in memory only."""

    def load(self) -> Optional[str]:
        """The stored value, or None."""
        ...

    def save(self, value: str) -> None:
        """Replaces the stored value."""
        ...

    def delete(self) -> None:
        """Removes the stored value (no error if there is none)."""
        ...


class MemoryStore:
    """Keeps the session in memory only: gone when the process ends. The default."""

    def __init__(self) -> None:
        self._value: Optional[str] = None
        self._lock = threading.Lock()
        self._siblings: Dict[str, "MemoryStore"] = {}

    def __repr__(self) -> str:
        return f"MemoryStore(holds_session={self._value is not None})"

    def sibling(self, name: str) -> "MemoryStore":
        """Another item in memory, next to this one (the same object for the same name)."""
        with self._lock:
            return self._siblings.setdefault(name, MemoryStore())

    def load(self) -> Optional[str]:
        with self._lock:
            return self._value

    def save(self, value: str) -> None:
        with self._lock:
            self._value = value

    def delete(self) -> None:
        with self._lock:
            self._value = None


class FileStore:
    """Keeps the session in one file, readable by its owner only (mode 0600), replaced
    atomically (a temporary file in the same directory, fsync, rename): a crash leaves the old
    value or the new one, never half of either. The directory is made (0700) if missing."""

    def __init__(self, path: Union[str, "os.PathLike[str]"]) -> None:
        self.path = os.path.abspath(os.path.expanduser(os.fspath(path)))

    def __repr__(self) -> str:
        return f"FileStore({self.path!r})"

    def sibling(self, name: str) -> "FileStore":
        """The file `<path>.<name>` next to this one, written the same way."""
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"not a sibling name: {name!r}")
        return FileStore(f"{self.path}.{name}")

    def load(self) -> Optional[str]:
        try:
            with open(self.path, encoding="utf-8") as source:
                return source.read()
        except FileNotFoundError:
            return None

    def save(self, value: str) -> None:
        directory = os.path.dirname(self.path)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        fd, temporary = tempfile.mkstemp(
            prefix="." + os.path.basename(self.path) + ".", suffix=".tmp", dir=directory
        )
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(value)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
            raise
        _fsync_directory(directory)

    def delete(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return
        _fsync_directory(os.path.dirname(self.path))


def _fsync_directory(directory: str) -> None:
    """Makes a rename or unlink durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# The client


class CognitoAuthClient:
    """Signs a user in and keeps their session: fresh tokens on demand, stored after every
    change, signed out locally, by revoking, or globally.

    - `config`: the user pool, app client (and secret) and endpoint.
    - `transport`: sends the requests (default `UrllibTransport()`).
    - `store`: keeps the session between runs (default `MemoryStore()`; `FileStore(path)`).
      A session found there is restored at construction (`SessionEvent.RESTORED`); one the
      binding refuses (damaged, another client, another version) is deleted and logged.
    - `clock`: Unix seconds (default `time.time`); the session's expiry is on this clock.
    - `options`: `SessionOptions` (refresh margin, refresh operation).
    - `seal_key`: 32 to 64 secret bytes to seal the stored session with (`to_storage_sealed`):
      an edited stored value is then refused. Keep the key apart from the store.
    - `listeners`: callbacks for `SessionEvent`s, registered before the restore so they also
      get `RESTORED`; more with `add_listener`.
    - `hosted_ui_domain`: the user pool domain for the hosted UI (`sign_in_with_web_ui`):
      `https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or an emulator's
      `http://127.0.0.1:PORT`.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: Optional[Transport] = None,
        store: Optional[SessionStore] = None,
        clock: Callable[[], float] = time.time,
        options: Optional[SessionOptions] = None,
        seal_key: Optional[bytes] = None,
        listeners: Iterable[Listener] = (),
        hosted_ui_domain: Optional[str] = None,
    ) -> None:
        self._config = config
        self._hosted_ui_domain = hosted_ui_domain
        self._transport: Transport = transport if transport is not None else UrllibTransport()
        self._store: SessionStore = store if store is not None else MemoryStore()
        self._clock = clock
        self._options = options if options is not None else SessionOptions()
        self._seal_key = bytes(seal_key) if seal_key is not None else None
        # Guards the session, the pending sign-in, the store and the refresh rounds; the
        # condition wakes the callers waiting for another caller's refresh. Never held while a
        # request is on the network or a listener runs.
        self._lock = threading.Condition(threading.Lock())
        self._session: Optional[UserSession] = None
        self._sign_in: Optional[SignInSession] = None
        self._sign_in_device: Optional[RememberedDevice] = None
        self._refresh_round = 0
        self._failed_round = -1
        self._failed_cause: Optional[BaseException] = None
        # Held while listeners run, so that they see the events in order.
        self._listeners_lock = threading.RLock()
        self._listeners: List[Listener] = list(listeners)
        # The hosted UI's pending sign-in and the identity ids, next to the session.
        self._pending_store = _sibling(self._store, "hosted-ui")
        self._identity_store = _sibling(self._store, "identities")
        self._identities: Dict[str, _Identity] = {}
        self._restore()

    def __repr__(self) -> str:
        status = self.status()
        state = "signed out" if status is None or not status.is_active else "signed in"
        return (f"CognitoAuthClient(user_pool_id={self._config.user_pool_id!r}, "
                f"client_id={self._config.client_id!r}, {state})")

    # -- state --------------------------------------------------------------------------------

    @property
    def transport(self) -> Transport:
        """The transport, for the app's own calls (`account` covers the account operations)."""
        return self._transport

    def status(self) -> Optional[SessionStatus]:
        """The session's status (user, `sub`, expiry, end reason), or None before any sign-in."""
        with self._lock:
            session = self._session
        return session.status() if session is not None else None

    @property
    def is_signed_in(self) -> bool:
        """A session holds tokens (it may still need a refresh)."""
        status = self.status()
        return status is not None and status.is_active

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Calls `listener` with every later `SessionEvent` (and any not delivered yet);
        returns a function that removes it. Listeners run on the thread that caused the
        event; an exception from one is logged and does not reach the caller."""
        with self._listeners_lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._listeners_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        with self._lock:
            session = self._session
        if session is not None:
            self._dispatch(session)
        return remove

    # -- sign-in ------------------------------------------------------------------------------

    def sign_in(
        self,
        username: str,
        password: Optional[str] = None,
        *,
        flow: Optional[AuthFlow] = None,
        device: Optional[RememberedDevice] = None,
        device_name: Optional[str] = None,
    ) -> SignInStep:
        """Starts a sign-in (`flow` default `AuthFlow.USER_SRP()`), sends its requests and
        returns the first step that is not a request: a step for the user (answer it with
        `answer`), or `SignInStep.DONE` (the session is made and stored), `CONFIRM_SIGN_UP` or
        `RESET_PASSWORD`. Refusals raise `CognitoAuthError`, no response `TransportError`."""
        credentials = SignInCredentials(
            username=username, flow=flow if flow is not None else AuthFlow.USER_SRP(),
            password=password, device=device, device_name=device_name,
        )
        sign_in = SignInSession(self._config, credentials)
        with self._lock:
            self._sign_in = sign_in
            self._sign_in_device = device
        return self._drive(sign_in, lambda: sign_in.start())

    def answer(self, answer: ChallengeAnswer) -> SignInStep:
        """Answers the step `sign_in` (or the previous `answer`) returned, e.g.
        `ChallengeAnswer.TOTP_CODE(code=...)`, and returns the next step as `sign_in` does. A
        wrong code raises `CognitoAuthError.Service` with `step_still_open`: answer again.
        `CognitoAuthError.InvalidState` if no sign-in waits for an answer."""
        with self._lock:
            sign_in = self._sign_in
        if sign_in is None:
            raise CognitoAuthError.InvalidState(reason="no sign-in is waiting for an answer")
        return self._drive(sign_in, lambda: sign_in.answer(answer))

    def _drive(self, sign_in: SignInSession, first: Callable[[], SignInStep]) -> SignInStep:
        try:
            step = first()
            while isinstance(step, SignInStep.SEND_REQUEST):
                response = self._send(step.request)
                step = sign_in.handle_response(response.status, response.body, response.error_type)
        except BaseException:
            if not _still_open(sign_in):
                self._drop_sign_in(sign_in)
            raise
        if isinstance(step, SignInStep.DONE):
            with self._lock:
                device = self._sign_in_device if self._sign_in is sign_in else None
            session = UserSession.from_sign_in(
                self._config, step.result, device, self._now(), self._options
            )
            self._drop_sign_in(sign_in)
            self._install(session)
        elif isinstance(step, (SignInStep.CONFIRM_SIGN_UP, SignInStep.RESET_PASSWORD)):
            self._drop_sign_in(sign_in)
        return step

    def sign_in_with_tokens(self, tokens: AuthTokens, device_key: Optional[str] = None) -> None:
        """Makes the session from tokens Cognito sent another way (a hosted-UI code exchange),
        received now, for the remembered device `device_key` if any; stores it.
        `CognitoAuthError.InvalidInput` for tokens that cannot make a session (no refresh
        token, another app client)."""
        session = UserSession.from_tokens(self._config, tokens, device_key, self._now(), self._options)
        self._install(session)

    def _drop_sign_in(self, sign_in: SignInSession) -> None:
        with self._lock:
            if self._sign_in is sign_in:
                self._sign_in = None
                self._sign_in_device = None

    def _install(self, session: UserSession) -> None:
        """Makes `session` the client's session and stores it."""
        with self._lock:
            self._session = session
            self._save_locked(session)
            self._lock.notify_all()
        self._dispatch(session)

    # -- hosted UI ----------------------------------------------------------------------------

    def sign_in_with_web_ui(
        self,
        open_browser: OpenBrowser,
        redirect_uri: str,
        *,
        scopes: Sequence[str] = (),
        identity_provider: Optional[str] = None,
    ) -> None:
        """Signs in through the hosted UI (OAuth 2.0 authorization code with PKCE):
        `begin_web_ui_sign_in`, then `open_browser(url)` (the app's: show the URL, return the
        URL the browser was redirected to; raise to cancel, which drops the pending sign-in),
        then `finish_web_ui_sign_in`. Raises what those raise."""
        url, pending = self._begin_web_ui(redirect_uri, scopes, identity_provider)
        try:
            redirect_url = open_browser(url)
        except BaseException:
            self._forget_pending(pending)
            raise
        self.finish_web_ui_sign_in(redirect_url)

    def begin_web_ui_sign_in(
        self,
        redirect_uri: str,
        *,
        scopes: Sequence[str] = (),
        identity_provider: Optional[str] = None,
    ) -> str:
        """Starts a hosted-UI sign-in and returns the `/oauth2/authorize` URL to open in the
        browser. `redirect_uri`: one of the app client's callback URLs, byte for byte;
        `scopes`: `openid` (an ID token: needed by `credentials`), `email`, `profile`,
        `aws.cognito.signin.user.admin` (the user operations with the access token), ...;
        empty: the client's allowed scopes. `identity_provider` goes straight to `Google`,
        `SignInWithApple`, `COGNITO` or a SAML / OIDC provider's name.

        The pending state (state, PKCE verifier, nonce; sealed with `seal_key` if given)
        replaces any earlier one in the store, so a client made later with the same store (the
        app was killed while the browser was open) can finish it. `CognitoAuthError.InvalidInput`
        for a bad domain, redirect URI or scope."""
        url, _ = self._begin_web_ui(redirect_uri, scopes, identity_provider)
        return url

    def _begin_web_ui(
        self, redirect_uri: str, scopes: Sequence[str], identity_provider: Optional[str]
    ) -> Tuple[str, str]:
        options = HostedUiOptions(
            redirect_uri=redirect_uri, scopes=list(scopes), identity_provider=identity_provider
        )
        authorization = hosted_ui_authorize(self._hosted_ui_config(), options, self._seal_key)
        with self._lock:
            self._pending_store.save(authorization.pending)
        return authorization.url, authorization.pending

    def finish_web_ui_sign_in(self, redirect_url: str) -> None:
        """Finishes the pending hosted-UI sign-in with the URL the browser came back with:
        checks it (the redirect URI, `state` compared in constant time), exchanges the code
        at `/oauth2/token` with the PKCE verifier, checks the ID token's `nonce`, and makes
        and stores the session as `sign_in` does (`SessionEvent.SIGNED_IN`): `tokens()`,
        `sign_out()` and `credentials()` then work as after a password sign-in.

        Raises `CognitoAuthError.OAuth` with `kind`: `DENIED` (the redirect carries
        `error=...`; `access_denied`: the user cancelled) or `REFUSED` (the token endpoint
        said `error=...`, e.g. `invalid_grant`: a used or expired code) end the pending
        sign-in; `STATE_MISMATCH` or `BAD_REDIRECT` (not this sign-in's redirect: forged,
        stale, another app's) keep it for the real redirect. `CognitoAuthError.InvalidState`
        when none is pending; `TransportError` when the exchange got no response (kept: call
        again)."""
        with self._lock:
            pending = self._pending_store.load()
        if pending is None:
            raise CognitoAuthError.InvalidState(reason="no hosted-UI sign-in is pending")
        try:
            request = hosted_ui_token_request(
                self._hosted_ui_config(), pending, redirect_url, self._seal_key
            )
        except CognitoAuthError.OAuth as error:
            if error.kind not in (OAuthErrorKind.STATE_MISMATCH, OAuthErrorKind.BAD_REDIRECT):
                self._forget_pending(pending)
            raise
        response = self._send(request)
        try:
            tokens = hosted_ui_parse_token_response(
                pending, response.status, response.body, self._seal_key
            )
        finally:
            self._forget_pending(pending)
        self.sign_in_with_tokens(tokens)

    @property
    def has_pending_web_ui_sign_in(self) -> bool:
        """A hosted-UI sign-in waits for its redirect (`finish_web_ui_sign_in`)."""
        with self._lock:
            return self._pending_store.load() is not None

    def web_ui_sign_out_url(self, logout_uri: str) -> str:
        """The hosted UI's `/logout` URL: open it in the browser after `sign_out` to end the
        hosted UI's own session too (else its cookie signs the user in again without a
        password); it redirects to `logout_uri`, one of the client's sign-out URLs."""
        return hosted_ui_logout_url(self._hosted_ui_config(), logout_uri)

    def _hosted_ui_config(self) -> HostedUiConfig:
        if self._hosted_ui_domain is None:
            raise CognitoAuthError.InvalidInput(
                what="hosted_ui_domain", reason="the client was made without a hosted_ui_domain"
            )
        return HostedUiConfig(
            domain=self._hosted_ui_domain, client_id=self._config.client_id,
            client_secret=self._config.client_secret,
        )

    def _forget_pending(self, pending: str) -> None:
        """Deletes the stored pending sign-in if it is still `pending` (not a newer one)."""
        with self._lock:
            if self._pending_store.load() == pending:
                self._pending_store.delete()

    # -- identity pools -----------------------------------------------------------------------

    def credentials(self, identity_pool: Union[str, IdentityPoolConfig]) -> AwsCredentials:
        """AWS credentials from an identity pool (its id `<region>:<GUID>`, or an
        `IdentityPoolConfig` for another endpoint): the signed-in user's, with the session's
        ID token (made fresh by `tokens()` first) as the login
        `cognito-idp.<region>.amazonaws.com/<user pool id>`; with no active session, a
        guest's. They are fetched (`GetId` once per identity, then
        `GetCredentialsForIdentity`) when none are held or they expire within the session's
        refresh margin, one request at a time: concurrent callers wait for it and get its
        credentials. The identity id is kept in the store next to the session and reused by
        a client made later with it; a sign-in, sign-out or another user switches identity.

        Raises `CognitoAuthError.Service` for a refusal (`NOT_AUTHORIZED`: the pool allows
        no guests, or does not accept this user pool), `TransportError` when the request got
        no response, what `tokens()` raises for the user's session, and
        `CognitoAuthError.InvalidState` for a session without an ID token (a hosted-UI
        sign-in without the `openid` scope)."""
        config = (identity_pool if isinstance(identity_pool, IdentityPoolConfig)
                  else IdentityPoolConfig(identity_pool_id=identity_pool))
        while True:
            who, logins = self._identity_logins()
            with self._lock:
                identity = self._identity_locked(config, who, logins)
                while True:
                    answer = identity.provider.credentials_for_call(self._now())
                    if isinstance(answer, CredentialsForCall.FRESH):
                        fresh: AwsCredentials = answer.credentials
                        return fresh
                    if isinstance(answer, CredentialsForCall.SEND):
                        identity.round += 1
                        round_ = identity.round
                        request = answer.request
                        break
                    awaited = identity.round
                    self._lock.wait(timeout=1.0)
                    if identity.delivered_round == awaited and identity.delivered is not None:
                        # The round this call waited for: its credentials, even if the
                        # (moved) clock already finds them due.
                        return identity.delivered
                    if identity.failed_round == awaited:
                        raise TransportError(
                            "the credentials request this call waited for got no response"
                        ) from identity.failed_cause
            credentials = self._fetch_credentials(config.identity_pool_id, identity, request, round_)
            if credentials is not None:
                return credentials

    def _identity_logins(self) -> Tuple[str, Dict[str, str]]:
        """Whose credentials (the user's `sub`, "" for a guest) and the logins for them."""
        with self._lock:
            session = self._session
        if session is None or not session.status().is_active:
            return "", {}
        tokens = self.tokens()
        sub = session.status().sub
        if tokens.id_token is None:
            raise CognitoAuthError.InvalidState(
                reason="the session has no ID token (a hosted-UI sign-in needs the openid scope)"
            )
        return sub, {user_pool_login_provider(self._config.user_pool_id): tokens.id_token}

    def _identity_locked(
        self, config: IdentityPoolConfig, who: str, logins: Dict[str, str]
    ) -> "_Identity":
        """The pool's provider, switched to `who` (call with the lock)."""
        pool_id = config.identity_pool_id
        identity = self._identities.get(pool_id)
        if identity is None:
            stored = self._stored_identities().get(pool_id) or {}
            identity_id = stored.get("identity_id") if stored.get("who") == who else None
            provider = IdentityPoolCredentials(
                config, logins, identity_id, self._options.refresh_margin_secs
            )
            identity = _Identity(provider, who, logins)
            self._identities[pool_id] = identity
        elif identity.who != who:
            identity.provider.switch_logins(logins)
            identity.who, identity.logins, identity.delivered = who, logins, None
        elif identity.logins != logins:
            identity.provider.update_logins(logins)  # the same user's refreshed ID token
            identity.logins = logins
        return identity

    def _fetch_credentials(
        self, pool_id: str, identity: "_Identity", request: HttpRequest, round_: int
    ) -> Optional[AwsCredentials]:
        """Sends the round's requests (no lock held); wakes the waiters."""
        provider = identity.provider
        while True:
            try:
                response = self._transport.send(request)
            except BaseException as error:
                with self._lock:
                    provider.request_failed_to_send()
                    identity.failed_round = round_
                    identity.failed_cause = error
                    self._lock.notify_all()
                if isinstance(error, Exception):
                    raise TransportError(f"{request.operation} got no response") from error
                raise
            try:
                outcome = provider.handle_response(
                    response.status, response.body, response.error_type, self._now()
                )
            except BaseException:
                self._wake()
                raise
            if isinstance(outcome, CredentialsOutcome.SEND):
                request = outcome.request
                continue
            if isinstance(outcome, CredentialsOutcome.REFRESHED):
                credentials: AwsCredentials = outcome.credentials
                with self._lock:
                    identity.delivered_round = round_
                    identity.delivered = credentials
                    self._save_identity_locked(pool_id, identity)
                    self._lock.notify_all()
                return credentials
            self._wake()
            return None  # an outcome this client does not know: ask again

    def _stored_identities(self) -> Dict[str, Dict[str, str]]:
        value = self._identity_store.load()
        if value is None:
            return {}
        try:
            stored = json.loads(value)
        except ValueError:
            _log.warning("the stored identity ids are unreadable and are ignored")
            return {}
        return stored if isinstance(stored, dict) else {}

    def _save_identity_locked(self, pool_id: str, identity: "_Identity") -> None:
        identity_id = identity.provider.status().identity_id
        if identity_id is None:
            return
        stored = self._stored_identities()
        entry = {"who": identity.who, "identity_id": identity_id}
        if stored.get(pool_id) != entry:
            stored[pool_id] = entry
            self._identity_store.save(json.dumps(stored, sort_keys=True))

    # -- tokens -------------------------------------------------------------------------------

    def tokens(self) -> SessionTokens:
        """Tokens good for a call now: the current ones, or new ones after a refresh when the
        access token expires within the margin. One refresh at a time: a caller that finds
        another's refresh in flight waits for it and gets its tokens.

        Raises `SessionEnded` (with `end_reason`) once the session is over (the refresh token
        was refused, or the app signed out), `NotSignedIn` with no session, `TransportError`
        when the refresh (this call's or the one it waited for) got no response (the session is
        kept: call again), and `CognitoAuthError.Service` for a refusal that keeps the session
        (throttling; see `retryable`)."""
        while True:
            with self._lock:
                while True:
                    session = self._session
                    if session is None:
                        raise NotSignedIn("no session: sign in first")
                    answer = session.tokens_for_call(self._now())
                    if isinstance(answer, TokensForCall.FRESH):
                        return answer.tokens
                    if isinstance(answer, TokensForCall.ENDED):
                        raise _ended(answer.reason)
                    if isinstance(answer, TokensForCall.REFRESH):
                        self._refresh_round += 1
                        round_ = self._refresh_round
                        request = answer.request
                        break
                    awaited = self._refresh_round
                    self._lock.wait(timeout=1.0)
                    if self._failed_round == awaited:
                        raise TransportError(
                            "the refresh this call waited for got no response"
                        ) from self._failed_cause
            tokens = self._refresh(session, request, round_)
            if tokens is not None:
                return tokens

    def _refresh(self, session: UserSession, request: HttpRequest, round_: int) -> Optional[SessionTokens]:
        """Sends the refresh (no lock held) and hands back the response; wakes the waiters."""
        _log.debug("refreshing the tokens (%s)", request.operation)
        try:
            response = self._transport.send(request)
        except BaseException as error:
            with self._lock:
                session.refresh_failed_to_send()
                self._failed_round = round_
                self._failed_cause = error
                self._lock.notify_all()
            if isinstance(error, Exception):
                raise TransportError("the refresh request got no response") from error
            raise
        try:
            outcome = session.handle_refresh_response(
                response.status, response.body, response.error_type, self._now()
            )
        except CognitoAuthError.InvalidState:
            # Signed out (or signed in again) while the refresh was on the network.
            self._wake()
            self._dispatch(session)
            end = session.status().end_reason
            if end is not None:
                raise _ended(end) from None
            raise
        except BaseException:
            self._wake()
            self._dispatch(session)
            raise
        with self._lock:
            if isinstance(outcome, RefreshOutcome.REFRESHED):
                self._save_locked(session)
            elif self._session is session:
                self._store.delete()
            self._lock.notify_all()
        self._dispatch(session)
        if isinstance(outcome, RefreshOutcome.REFRESHED):
            tokens: SessionTokens = outcome.tokens
            return tokens
        if isinstance(outcome, RefreshOutcome.ENDED):
            raise _ended(outcome.reason)
        return None  # an outcome this client does not know: ask again

    def _wake(self) -> None:
        with self._lock:
            self._lock.notify_all()

    # -- sign-out -----------------------------------------------------------------------------

    def sign_out(self, kind: Optional[SignOutKind] = None) -> None:
        """Signs out (`kind` default `SignOutKind.LOCAL`) and deletes the stored session. The
        tokens are forgotten here at once; `REVOKE` (`RevokeToken`: this sign-in's refresh
        token) and `GLOBAL` (`GlobalSignOut`: every session of the user) then tell Cognito,
        which afterwards refuses the access tokens on its user APIs. See bindings/API.md for
        what each leaves valid. Raises `TransportError` or `CognitoAuthError.Service` when
        Cognito did not confirm (signed out here anyway), `NotSignedIn` with no session,
        `SessionEnded` if it was already over."""
        kind = kind if kind is not None else SignOutKind.LOCAL
        with self._lock:
            session = self._session
            if session is None:
                raise NotSignedIn("no session to sign out of")
            try:
                step = session.sign_out(kind)
            finally:
                self._store.delete()
                for identity in self._identities.values():
                    if identity.who:  # the user's AWS credentials go with the session
                        identity.provider.switch_logins({})
                        identity.who, identity.logins, identity.delivered = "", {}, None
                self._lock.notify_all()
        self._dispatch(session)
        if isinstance(step, SignOutStep.SEND_REQUEST):
            response = self._send(step.request)
            session.handle_sign_out_response(response.status, response.body, response.error_type)

    # -- helpers ------------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self._clock())

    def account(self, request: AccountRequest,
                client_metadata: Optional[Dict[str, str]] = None) -> AccountResponse:
        """One account operation over this client's transport: builds `request`'s HTTP request
        (with `client_metadata` for the operations that take it), sends it and reads the
        answer, e.g. `client.account(AccountRequest.GET_USER(client.tokens().access_token))`
        gives an `AccountResponse.USER`. Raises what the binding raises
        (`CognitoAuthError.Service` for a refusal) and `TransportError` on no response."""
        kind = account_request_kind(request)
        response = self._send(account_request(self._config, request, client_metadata or {}))
        return parse_account_response(kind, response.status, response.body, response.error_type)

    def _send(self, request: HttpRequest) -> HttpResponse:
        try:
            return self._transport.send(request)
        except TransportError:
            raise
        except Exception as error:
            raise TransportError(f"{request.operation} got no response") from error

    def _save_locked(self, session: UserSession) -> None:
        """Stores `session` if it is still this client's and active (call with the lock)."""
        if self._session is not session or not session.status().is_active:
            return
        if self._seal_key is not None:
            stored = session.to_storage_sealed(self._seal_key)
        else:
            stored = session.to_storage()
        self._store.save(stored.value)

    def _restore(self) -> None:
        value = self._store.load()
        if value is None:
            return
        try:
            if self._seal_key is not None:
                session = UserSession.restore_sealed(self._config, value, self._seal_key, self._options)
            else:
                session = UserSession.restore(self._config, value, self._options)
        except CognitoAuthError.SessionRestore as error:
            _log.warning("the stored session was refused and is deleted: %s", error.reason)
            self._store.delete()
            return
        with self._lock:
            self._session = session
        self._dispatch(session)

    def _dispatch(self, session: UserSession) -> None:
        with self._listeners_lock:
            events = session.take_events().events
            listeners = list(self._listeners)
            for event in events:
                for listener in listeners:
                    try:
                        listener(event)
                    except Exception:
                        _log.exception("a session listener raised on %s", type(event).__name__)


class _Identity:
    """One identity pool's credentials and whose they are (guarded by the client's lock)."""

    def __init__(self, provider: IdentityPoolCredentials, who: str, logins: Dict[str, str]) -> None:
        self.provider = provider
        self.who = who  # the user's sub; "" for a guest
        self.logins = logins
        self.round = 0
        self.failed_round = -1
        self.failed_cause: Optional[BaseException] = None
        self.delivered_round = -1
        self.delivered: Optional[AwsCredentials] = None

    def __repr__(self) -> str:
        return f"_Identity(guest={not self.who})"


def _sibling(store: SessionStore, name: str) -> SessionStore:
    """The store's item `name` (`sibling`), or one in memory for a store without it."""
    make = getattr(store, "sibling", None)
    if make is None:
        return MemoryStore()
    sibling: SessionStore = make(name)
    return sibling


_T = TypeVar("_T")


class AsyncCognitoAuthClient:
    """`CognitoAuthClient` for asyncio: each method runs the blocking one in the loop's default
    executor, so the event loop never waits on the network or on another caller's refresh.
    Same arguments, same errors, same single refresh (the waiting happens in the executor's
    threads). Listeners run in those threads: hand events to the loop with
    `loop.call_soon_threadsafe` if they touch loop-bound objects."""

    def __init__(self, config: ClientConfig, **kwargs: Any) -> None:
        self.client = CognitoAuthClient(config, **kwargs)

    def __repr__(self) -> str:
        return "Async" + repr(self.client)

    async def _run(self, function: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(function, *args, **kwargs))

    async def sign_in(self, username: str, password: Optional[str] = None, **kwargs: Any) -> SignInStep:
        """`CognitoAuthClient.sign_in`."""
        return await self._run(self.client.sign_in, username, password, **kwargs)

    async def answer(self, answer: ChallengeAnswer) -> SignInStep:
        """`CognitoAuthClient.answer`."""
        return await self._run(self.client.answer, answer)

    async def tokens(self) -> SessionTokens:
        """`CognitoAuthClient.tokens`."""
        return await self._run(self.client.tokens)

    async def sign_out(self, kind: Optional[SignOutKind] = None) -> None:
        """`CognitoAuthClient.sign_out`."""
        await self._run(self.client.sign_out, kind)

    async def sign_in_with_web_ui(self, open_browser: OpenBrowser, redirect_uri: str, **kwargs: Any) -> None:
        """`CognitoAuthClient.sign_in_with_web_ui` (`open_browser` runs in an executor thread)."""
        await self._run(self.client.sign_in_with_web_ui, open_browser, redirect_uri, **kwargs)

    async def begin_web_ui_sign_in(self, redirect_uri: str, **kwargs: Any) -> str:
        """`CognitoAuthClient.begin_web_ui_sign_in`."""
        return await self._run(self.client.begin_web_ui_sign_in, redirect_uri, **kwargs)

    async def finish_web_ui_sign_in(self, redirect_url: str) -> None:
        """`CognitoAuthClient.finish_web_ui_sign_in`."""
        await self._run(self.client.finish_web_ui_sign_in, redirect_url)

    async def credentials(self, identity_pool: Union[str, IdentityPoolConfig]) -> AwsCredentials:
        """`CognitoAuthClient.credentials`."""
        return await self._run(self.client.credentials, identity_pool)

    async def account(self, request: AccountRequest,
                      client_metadata: Optional[Dict[str, str]] = None) -> AccountResponse:
        """`CognitoAuthClient.account`."""
        return await self._run(self.client.account, request, client_metadata)

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """`CognitoAuthClient.add_listener`."""
        return self.client.add_listener(listener)

    @property
    def is_signed_in(self) -> bool:
        return self.client.is_signed_in


def _still_open(sign_in: SignInSession) -> bool:
    try:
        return not sign_in.is_over() and sign_in.status().pending_step is not None
    except CognitoAuthError:
        return False


def _ended(reason: EndReason) -> CognitoAuthError.SessionEnded:
    return SessionEnded(end_reason=reason, reason=f"the session is over: {reason!r}; sign in again")
