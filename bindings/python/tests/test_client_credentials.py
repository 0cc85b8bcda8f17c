"""The shipped client's identity-pool credentials (`CognitoAuthClient.credentials`) end to end
against MiniStack 1.5.33 (AUTH=true, bindings/testing/ministack_fixture.py) with the default
urllib transport. The identity requests go through the counting proxy of
test_client_ministack.py, so the counts are what MiniStack saw.

What MiniStack checks here: the user-pool login's provider is one of the identity pool's
providers and its token an ID token of that pool and client, unexpired; it maps one login to
one identity. It vends credentials that expire an hour after the request (real time).

The one-refresh test moves the client's clock past the credentials' expiry. The new
credentials MiniStack then sends expire an hour after the real time, which the moved clock
already finds due too; the client hands the callers that waited for a request the credentials
that request brought (the "one at a time" contract), so the count at the proxy is exactly
one."""

import json
import secrets
import threading
import time
import urllib.error
import urllib.request

import pytest

import cognito_auth_ffi as ffi
from cognito_auth_ffi.client import CognitoAuthClient, FileStore
from ministack_fixture import MiniStackFixture
from test_client_ministack import CountingProxy, MovableClock

USERNAME = "carol"
THREADS = 5
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
ADMIN_AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-identity/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-target, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000"
)


def create_identity_pool(endpoint, body):
    """CreateIdentityPool (signed as MiniStack's administrator `test`); the pool id."""
    request = urllib.request.Request(endpoint, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityService.CreateIdentityPool",
        "Authorization": ADMIN_AUTHORIZATION,
    })
    with DIRECT.open(request, timeout=15) as response:
        return json.loads(response.read())["IdentityPoolId"]


@pytest.fixture(scope="module")
def pools():
    """A user pool with the user carol (no MFA) and an identity pool that accepts its ID
    tokens and guests."""
    with MiniStackFixture() as fx:
        def ok(operation, body):
            status, answer = fx.call(operation, body)
            assert status == 200, (operation, answer)
            return answer

        pool_id = ok("CreateUserPool", {"PoolName": "python-credentials"})["UserPool"]["Id"]
        client_id = ok("CreateUserPoolClient", {
            "UserPoolId": pool_id, "ClientName": "python-credentials-app", "GenerateSecret": False,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })["UserPoolClient"]["ClientId"]
        password = "Cred-" + secrets.token_hex(6) + "-Aa9!"
        ok("AdminCreateUser", {"UserPoolId": pool_id, "Username": USERNAME, "MessageAction": "SUPPRESS"})
        ok("AdminSetUserPassword", {"UserPoolId": pool_id, "Username": USERNAME, "Password": password,
                                    "Permanent": True})
        identity_pool_id = create_identity_pool(fx.endpoint, {
            "IdentityPoolName": "python_credentials", "AllowUnauthenticatedIdentities": True,
            "CognitoIdentityProviders": [{"ProviderName": ffi.user_pool_login_provider(pool_id),
                                          "ClientId": client_id}],
        })
        config = ffi.ClientConfig(user_pool_id=pool_id, client_id=client_id, endpoint_url=fx.endpoint)
        yield fx, config, password, identity_pool_id


@pytest.fixture()
def proxy(pools):
    with CountingProxy(pools[0].endpoint) as running:
        yield running


@pytest.fixture()
def slow_proxy(pools):
    """Holds GetCredentialsForIdentity back 1 s: the concurrent callers surely arrive meanwhile."""
    with CountingProxy(pools[0].endpoint, delay={"GetCredentialsForIdentity": 1.0}) as running:
        yield running


def identity_pool(pools, proxy):
    return ffi.IdentityPoolConfig(identity_pool_id=pools[3], endpoint_url=proxy.url)


def user_pool_via(pools, proxy):
    """The user pool's client config with the proxy as its endpoint."""
    config = pools[1]
    return ffi.ClientConfig(user_pool_id=config.user_pool_id, client_id=config.client_id,
                            endpoint_url=proxy.url)


def stored_identity(tmp_path, pool_id):
    return json.loads((tmp_path / "session.identities").read_text())[pool_id]


def assert_plausible(credentials):
    assert credentials.access_key_id.startswith("ASIA"), credentials
    assert credentials.secret_access_key and credentials.session_token
    left = credentials.expiration_unix_secs - time.time()
    assert 3000 < left <= 3600, left


def sign_in(client, password):
    assert isinstance(client.sign_in(USERNAME, password), ffi.SignInStep.DONE)


def test_guest_credentials_keep_their_identity_in_the_store(pools, proxy, tmp_path):
    store = FileStore(tmp_path / "session")
    client = CognitoAuthClient(pools[1], store=store)
    credentials = client.credentials(identity_pool(pools, proxy))
    assert_plausible(credentials)
    assert proxy.take() == {"GetId": 1, "GetCredentialsForIdentity": 1}
    assert client.credentials(identity_pool(pools, proxy)) == credentials
    assert proxy.take() == {}, "fresh credentials need no request"
    guest = stored_identity(tmp_path, pools[3])
    assert guest["who"] == "" and guest["identity_id"].startswith("us-east-1:")

    # The app restarts: the stored identity, no GetId; new credentials.
    again = CognitoAuthClient(pools[1], store=FileStore(tmp_path / "session"))
    second = again.credentials(identity_pool(pools, proxy))
    assert proxy.take() == {"GetCredentialsForIdentity": 1}
    assert_plausible(second)
    assert second.access_key_id != credentials.access_key_id
    assert stored_identity(tmp_path, pools[3]) == guest


def test_a_signed_in_user_gets_credentials_for_one_identity_then_a_guest_after_sign_out(pools, proxy, tmp_path):
    fx, _, password, pool_id = pools
    config = user_pool_via(pools, proxy)
    client = CognitoAuthClient(config, store=FileStore(tmp_path / "session"))
    sign_in(client, password)
    proxy.take()
    credentials = client.credentials(identity_pool(pools, proxy))
    assert_plausible(credentials)
    assert proxy.take() == {"GetId": 1, "GetCredentialsForIdentity": 1}
    user = stored_identity(tmp_path, pool_id)
    assert user["who"] == client.status().sub

    # A second call: the same credentials; the app restarted: the same identity, no GetId.
    assert client.credentials(identity_pool(pools, proxy)) == credentials
    assert proxy.take() == {}
    restored = CognitoAuthClient(config, store=FileStore(tmp_path / "session"))
    assert_plausible(restored.credentials(identity_pool(pools, proxy)))
    assert proxy.take() == {"GetCredentialsForIdentity": 1}
    assert stored_identity(tmp_path, pool_id) == user

    # Another sign-in of the same user elsewhere (a new ID token): MiniStack maps it to the
    # same identity.
    elsewhere = CognitoAuthClient(config, store=FileStore(tmp_path / "elsewhere"))
    sign_in(elsewhere, password)
    proxy.take()
    elsewhere.credentials(identity_pool(pools, proxy))
    assert proxy.take() == {"GetId": 1, "GetCredentialsForIdentity": 1}
    assert json.loads((tmp_path / "elsewhere.identities").read_text())[pool_id] == user

    # Signed out: a guest's identity, not the user's.
    client.sign_out()
    guest_credentials = client.credentials(identity_pool(pools, proxy))
    assert proxy.take() == {"GetId": 1, "GetCredentialsForIdentity": 1}
    assert guest_credentials.access_key_id != credentials.access_key_id
    guest = stored_identity(tmp_path, pool_id)
    assert guest["who"] == "" and guest["identity_id"] != user["identity_id"]


def test_five_threads_past_the_expiry_refresh_the_credentials_once(pools, slow_proxy):
    proxy = slow_proxy
    fx, _, password, pool_id = pools
    config = user_pool_via(pools, proxy)
    clock = MovableClock()
    client = CognitoAuthClient(config, clock=clock)
    sign_in(client, password)
    first = client.credentials(identity_pool(pools, proxy))
    proxy.take()

    clock.offset = first.expiration_unix_secs - time.time() + 60  # past the expiry
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def call():
        barrier.wait()
        try:
            results.append(client.credentials(identity_pool(pools, proxy)))
        except Exception as error:  # collected for the assertion message
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    counts = proxy.take()
    print("\nrequests MiniStack saw while %d threads called credentials(): %s" % (THREADS, counts))
    assert errors == []
    # The moved clock also made the ID token due: one token refresh, one credentials request.
    assert counts == {"GetTokensFromRefreshToken": 1, "GetCredentialsForIdentity": 1}
    assert len(results) == THREADS
    assert len({credentials.access_key_id for credentials in results}) == 1
    assert results[0].access_key_id != first.access_key_id
    assert_plausible(results[0])
