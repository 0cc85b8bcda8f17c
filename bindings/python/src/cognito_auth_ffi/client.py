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
from typing import IO, Any, Callable, Iterable, List, NamedTuple, Optional, Protocol, TypeVar, Union

from ._uniffi.cognito_auth_ffi import (
    AuthFlow,
    AuthTokens,
    ChallengeAnswer,
    ClientConfig,
    CognitoAuthError,
    EndReason,
    HttpRequest,
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
    error_type_header_name,
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
    holds the refresh token: keep it where the platform keeps secrets."""

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

    def __repr__(self) -> str:
        return f"MemoryStore(holds_session={self._value is not None})"

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
    ) -> None:
        self._config = config
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
        self._restore()

    def __repr__(self) -> str:
        status = self.status()
        state = "signed out" if status is None or not status.is_active else "signed in"
        return (f"CognitoAuthClient(user_pool_id={self._config.user_pool_id!r}, "
                f"client_id={self._config.client_id!r}, {state})")

    # -- state --------------------------------------------------------------------------------

    @property
    def transport(self) -> Transport:
        """The transport, for the app's own calls (e.g. `get_user_request`)."""
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
                self._lock.notify_all()
        self._dispatch(session)
        if isinstance(step, SignOutStep.SEND_REQUEST):
            response = self._send(step.request)
            session.handle_sign_out_response(response.status, response.body, response.error_type)

    # -- helpers ------------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self._clock())

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
