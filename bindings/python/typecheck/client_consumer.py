"""A typed consumer of the shipped client (cognito_auth_ffi.client): bindings/python/test-wheel.sh
runs `mypy --strict` over it (type-checked, not executed). It is the README's ten-line sign-in,
plus a listener, a custom transport and store, and the errors an app handles."""

from typing import Callable, Dict, Optional

import cognito_auth_ffi as ca
from cognito_auth_ffi.client import (
    AsyncCognitoAuthClient,
    CognitoAuthClient,
    FileStore,
    HttpResponse,
    NotSignedIn,
    SessionEnded,
    TransportError,
    UrllibTransport,
)


def sign_in(password: str, ask_totp_code: Callable[[], str]) -> CognitoAuthClient:
    config = ca.ClientConfig(user_pool_id="us-east-1_Abc123XyZ", client_id="1example23456789abcdefghij")
    client = CognitoAuthClient(config, store=FileStore("session.json"))
    step = client.sign_in("alice", password)
    if isinstance(step, ca.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE):
        step = client.answer(ca.ChallengeAnswer.TOTP_CODE(code=ask_totp_code()))
    if not isinstance(step, ca.SignInStep.DONE):
        raise RuntimeError(f"step not handled here: {step}")
    return client


def access_token(client: CognitoAuthClient) -> Optional[str]:
    try:
        return client.tokens().access_token
    except SessionEnded as ended:
        print(f"signed out: {ended.end_reason}")
        return None
    except (NotSignedIn, TransportError):
        return None


class RecordingTransport:
    """A transport of the app's own (e.g. to add a User-Agent): any object with `send`."""

    def __init__(self) -> None:
        self.inner = UrllibTransport(timeout=5.0)
        self.sent: Dict[str, int] = {}

    def send(self, request: ca.HttpRequest) -> HttpResponse:
        self.sent[request.operation] = self.sent.get(request.operation, 0) + 1
        return self.inner.send(request)


class DictStore:
    def __init__(self) -> None:
        self.values: Dict[str, str] = {}

    def load(self) -> Optional[str]:
        return self.values.get("session")

    def save(self, value: str) -> None:
        self.values["session"] = value

    def delete(self) -> None:
        self.values.pop("session", None)


def on_event(event: ca.SessionEvent) -> None:
    if isinstance(event, ca.SessionEvent.ENDED):
        print("session ended:", event.reason)


def custom(config: ca.ClientConfig) -> CognitoAuthClient:
    client = CognitoAuthClient(config, transport=RecordingTransport(), store=DictStore(),
                               clock=lambda: 1_800_000_000.0,
                               options=ca.SessionOptions(refresh_margin_secs=120, refresh_method=None),
                               listeners=[on_event])
    remove: Callable[[], None] = client.add_listener(print)
    remove()
    client.sign_out(ca.SignOutKind.GLOBAL)
    return client


async def async_access_token(config: ca.ClientConfig, password: str) -> str:
    client = AsyncCognitoAuthClient(config, store=FileStore("session.json"))
    step = await client.sign_in("alice", password)
    if isinstance(step, ca.SignInStep.CONFIRM_SIGN_IN_WITH_TOTP_CODE):
        step = await client.answer(ca.ChallengeAnswer.TOTP_CODE(code="123456"))
    tokens: ca.SessionTokens = await client.tokens()
    await client.sign_out(ca.SignOutKind.REVOKE)
    return tokens.access_token


def web_ui(config: ca.ClientConfig, open_browser: Callable[[str], str]) -> Optional[str]:
    """The hosted UI, in one step and in two (the app killed in between), and its errors."""
    client = CognitoAuthClient(config, store=FileStore("session.json"),
                               hosted_ui_domain="https://example.auth.us-east-1.amazoncognito.com")
    try:
        client.sign_in_with_web_ui(open_browser, "myapp://callback",
                                   scopes=["openid", "aws.cognito.signin.user.admin"], identity_provider="Google")
    except ca.CognitoAuthError.OAuth as error:
        if error.kind == ca.OAuthErrorKind.DENIED:
            return None
        raise
    url: str = client.begin_web_ui_sign_in("myapp://callback", scopes=["openid"])
    if client.has_pending_web_ui_sign_in:
        client.finish_web_ui_sign_in(open_browser(url))
    client.sign_out()
    logout: str = client.web_ui_sign_out_url("myapp://signed-out")
    return logout


def aws_credentials(client: CognitoAuthClient) -> str:
    credentials: ca.AwsCredentials = client.credentials("us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60")
    emulator = ca.IdentityPoolConfig(identity_pool_id="us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60",
                                     endpoint_url="http://127.0.0.1:4566/")
    guest = client.credentials(emulator)
    return credentials.access_key_id + guest.session_token + str(credentials.expiration_unix_secs)


async def async_credentials(config: ca.ClientConfig) -> ca.AwsCredentials:
    client = AsyncCognitoAuthClient(config, hosted_ui_domain="https://example.auth.us-east-1.amazoncognito.com")
    url = await client.begin_web_ui_sign_in("myapp://callback")
    await client.finish_web_ui_sign_in(url)
    return await client.credentials("us-east-1:4b5a5c1e-0f6d-4a52-9d3e-1c2b3d4e5f60")
