"""The shipped client's hosted UI (`sign_in_with_web_ui`, `begin_web_ui_sign_in` /
`finish_web_ui_sign_in`) end to end against MiniStack 1.5.33 (AUTH=true, started by
bindings/testing/ministack_fixture.py), with the client's default urllib transport for the code
exchange and the session's requests.

The browser is this file's: urllib without redirects or proxies, GET `/oauth2/authorize`, read
the login form's hidden fields, POST `/login` with the user's name and password, take the
302's `Location`. What MiniStack checks, and so what these tests prove: the redirect URI
against the client's callback URLs, the PKCE verifier against the S256 challenge, single use of
the code, `state` and `nonce` echoed, and that the access token calls `GetUser` only with the
scope `aws.cognito.signin.user.admin`."""

import html.parser
import os
import secrets
import stat
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

import cognito_auth_ffi as ffi
from cognito_auth_ffi.client import CognitoAuthClient, FileStore, UrllibTransport
from ministack_fixture import MiniStackFixture

REDIRECT = "myapp://callback"
SIGNED_OUT = "myapp://signed-out"
USERNAME = "alice"
EMAIL = "alice@example.com"
ALL_SCOPES = ["openid", "email", "aws.cognito.signin.user.admin"]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


BROWSER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


class Page:
    def __init__(self, status, location, body):
        self.status, self.location, self.body = status, location, body


def browse(url, form=None):
    """GET `url`, or POST `form` to it; the page, redirects not followed."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if form is not None else "GET")
    if form is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with BROWSER.open(request, timeout=15) as response:
            return Page(response.status, response.headers.get("Location"), response.read().decode())
    except urllib.error.HTTPError as error:
        with error:
            return Page(error.code, error.headers.get("Location"), error.read().decode())


class HiddenFields(html.parser.HTMLParser):
    """The `<input type="hidden">` fields of a page (entities decoded by the parser)."""

    def __init__(self, page):
        super().__init__()
        self.fields = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields.append((attributes["name"], attributes.get("value") or ""))


class Browser:
    """The app's `open_browser`: the user signs in on the hosted UI's login page."""

    def __init__(self, endpoint, password):
        self.endpoint = endpoint
        self.password = password
        self.opened = []

    def __call__(self, url):
        self.opened.append(url)
        page = browse(url)
        assert page.status == 200, page.body
        fields = HiddenFields(page.body).fields
        assert "code_challenge" in dict(fields), fields
        answer = browse(self.endpoint + "login", fields + [("username", USERNAME), ("password", self.password)])
        assert answer.status == 302, answer.body
        return answer.location


@pytest.fixture(scope="module")
def pool():
    """MiniStack with a pool that has a domain, two code-flow app clients whose callback is
    REDIRECT (one with a client secret), and the user alice with an email address."""
    with MiniStackFixture() as fx:
        def ok(operation, body):
            status, answer = fx.call(operation, body)
            assert status == 200, (operation, answer)
            return answer

        pool_id = ok("CreateUserPool", {"PoolName": "python-web-ui"})["UserPool"]["Id"]
        ok("CreateUserPoolDomain", {"UserPoolId": pool_id, "Domain": "python-web-ui-domain"})
        client_id = ok("CreateUserPoolClient", {
            "UserPoolId": pool_id, "ClientName": "python-web-ui-app", "GenerateSecret": False,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "AllowedOAuthFlows": ["code"], "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthScopes": ALL_SCOPES, "CallbackURLs": [REDIRECT], "LogoutURLs": [SIGNED_OUT],
            "SupportedIdentityProviders": ["COGNITO"],
        })["UserPoolClient"]["ClientId"]
        password = "Web-" + secrets.token_hex(6) + "-Aa9!"
        ok("AdminCreateUser", {"UserPoolId": pool_id, "Username": USERNAME, "MessageAction": "SUPPRESS",
                               "UserAttributes": [{"Name": "email", "Value": EMAIL}]})
        ok("AdminSetUserPassword", {"UserPoolId": pool_id, "Username": USERNAME, "Password": password,
                                    "Permanent": True})
        config = ffi.ClientConfig(user_pool_id=pool_id, client_id=client_id, endpoint_url=fx.endpoint)
        secret_client = ok("CreateUserPoolClient", {
            "UserPoolId": pool_id, "ClientName": "python-web-ui-secret", "GenerateSecret": True,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "AllowedOAuthFlows": ["code"], "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthScopes": ALL_SCOPES, "CallbackURLs": [REDIRECT], "LogoutURLs": [SIGNED_OUT],
            "SupportedIdentityProviders": ["COGNITO"],
        })["UserPoolClient"]
        secret_config = ffi.ClientConfig(
            user_pool_id=pool_id, client_id=secret_client["ClientId"],
            client_secret=secret_client["ClientSecret"], endpoint_url=fx.endpoint)
        yield fx, config, password, secret_config


def new_client(fx, config, store, **kwargs):
    return CognitoAuthClient(config, store=store, hosted_ui_domain=fx.endpoint, **kwargs)


def get_user(config, access_token):
    request = ffi.AccountRequest.GET_USER(access_token=access_token)
    answer = UrllibTransport().send(ffi.account_request(config, request))
    return ffi.parse_account_response(ffi.AccountOperationKind.GET_USER(), *answer).user


def with_state(redirect_url, state):
    parts = urllib.parse.urlsplit(redirect_url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query["state"] = state
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


class MovableClock:
    def __init__(self):
        self.offset = 0

    def __call__(self):
        return time.time() + self.offset


def test_web_ui_sign_in_gives_a_session_whose_tokens_call_get_user_refresh_and_sign_out(pool, tmp_path):
    fx, config, password, _ = pool
    path = tmp_path / "session"
    clock = MovableClock()
    events = []
    client = new_client(fx, config, FileStore(path), clock=clock, listeners=[events.append])
    browser = Browser(fx.endpoint, password)

    client.sign_in_with_web_ui(browser, REDIRECT, scopes=ALL_SCOPES)
    (opened,) = browser.opened
    sent = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(opened).query))
    assert sent["scope"].split() == ALL_SCOPES and sent["code_challenge_method"] == "S256"
    assert not client.has_pending_web_ui_sign_in and not (tmp_path / "session.hosted-ui").exists()
    assert events == [ffi.SessionEvent.SIGNED_IN()]
    assert client.status().username == USERNAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600

    tokens = client.tokens()
    assert ffi.jwt_claims(tokens.id_token).username == USERNAME
    user = get_user(config, tokens.access_token)
    assert user.username == USERNAME and user.attributes["email"] == EMAIL

    # The session refreshes the hosted UI's refresh token as it does a sign-in's.
    clock.offset = tokens.expires_in
    refreshed = client.tokens()
    assert refreshed.access_token != tokens.access_token
    assert isinstance(events[-1], ffi.SessionEvent.TOKENS_REFRESHED)
    assert get_user(config, refreshed.access_token).username == USERNAME

    # A new client with the store restores it.
    assert new_client(fx, config, FileStore(path), clock=clock).tokens().access_token == refreshed.access_token

    # Signing out, then the hosted UI's own session: /logout redirects to the sign-out URL.
    client.sign_out()
    assert not path.exists() and not client.is_signed_in
    page = browse(client.web_ui_sign_out_url(SIGNED_OUT))
    assert (page.status, page.location) == (302, SIGNED_OUT), page.body


def test_a_redirect_with_a_forged_state_is_refused_and_the_real_one_still_finishes(pool, tmp_path):
    fx, config, password, _ = pool
    client = new_client(fx, config, FileStore(tmp_path / "session"))
    url = client.begin_web_ui_sign_in(REDIRECT, scopes=ALL_SCOPES)
    redirect = Browser(fx.endpoint, password)(url)
    assert redirect.startswith(REDIRECT + "?code=")
    with pytest.raises(ffi.CognitoAuthError.OAuth) as raised:
        client.finish_web_ui_sign_in(with_state(redirect, secrets.token_urlsafe(32)))
    assert raised.value.kind == ffi.OAuthErrorKind.STATE_MISMATCH
    assert client.has_pending_web_ui_sign_in and not client.is_signed_in
    client.finish_web_ui_sign_in(redirect)
    assert get_user(config, client.tokens().access_token).username == USERNAME


def test_the_pending_sign_in_survives_the_app_being_killed_and_a_used_code_is_refused(pool, tmp_path):
    fx, config, password, _ = pool
    path = tmp_path / "session"
    key = secrets.token_bytes(32)
    first = new_client(fx, config, FileStore(path), seal_key=key)
    url = first.begin_web_ui_sign_in(REDIRECT, scopes=ALL_SCOPES)
    pending = (tmp_path / "session.hosted-ui").read_text()
    assert stat.S_IMODE(os.stat(tmp_path / "session.hosted-ui").st_mode) == 0o600
    del first  # killed while the browser was open
    redirect = Browser(fx.endpoint, password)(url)

    second = new_client(fx, config, FileStore(path), seal_key=key)
    assert second.has_pending_web_ui_sign_in
    second.finish_web_ui_sign_in(redirect)
    assert get_user(config, second.tokens().access_token).username == USERNAME
    assert not (tmp_path / "session.hosted-ui").exists()

    # The same code again (the pending state put back in a store): MiniStack refuses it, typed.
    third = new_client(fx, config, FileStore(tmp_path / "other"), seal_key=key)
    FileStore(tmp_path / "other").sibling("hosted-ui").save(pending)
    with pytest.raises(ffi.CognitoAuthError.OAuth) as raised:
        third.finish_web_ui_sign_in(redirect)
    assert raised.value.kind == ffi.OAuthErrorKind.REFUSED
    assert (raised.value.error_code, raised.value.status) == ("invalid_grant", 400)
    assert not third.has_pending_web_ui_sign_in and not third.is_signed_in


def test_without_the_user_admin_scope_get_user_refuses_the_access_token(pool, tmp_path):
    fx, config, password, _ = pool
    client = new_client(fx, config, FileStore(tmp_path / "session"))
    client.sign_in_with_web_ui(Browser(fx.endpoint, password), REDIRECT, scopes=["openid"])
    with pytest.raises(ffi.CognitoAuthError.Service) as refused:
        get_user(config, client.tokens().access_token)
    assert refused.value.kind == ffi.ServiceErrorKind.NOT_AUTHORIZED


def test_a_client_with_a_secret_exchanges_the_code_with_it_and_a_wrong_secret_is_refused(pool, tmp_path):
    fx, _, password, secret = pool
    wrong = ffi.ClientConfig(user_pool_id=secret.user_pool_id, client_id=secret.client_id,
                             client_secret="not-the-secret", endpoint_url=fx.endpoint)
    store = FileStore(tmp_path / "session")
    url = new_client(fx, wrong, store).begin_web_ui_sign_in(REDIRECT, scopes=ALL_SCOPES)
    redirect = Browser(fx.endpoint, password)(url)
    # Only the secret differs; the pending state is the client's, not the secret's.
    pending = store.sibling("hosted-ui").load()
    with pytest.raises(ffi.CognitoAuthError.OAuth) as raised:
        new_client(fx, wrong, store).finish_web_ui_sign_in(redirect)
    assert raised.value.kind == ffi.OAuthErrorKind.REFUSED and raised.value.error_code == "invalid_client"
    # The wrong secret did not use up the code: the right one exchanges it.
    store.sibling("hosted-ui").save(pending)
    client = new_client(fx, secret, store)
    client.finish_web_ui_sign_in(redirect)
    assert get_user(secret, client.tokens().access_token).username == USERNAME
