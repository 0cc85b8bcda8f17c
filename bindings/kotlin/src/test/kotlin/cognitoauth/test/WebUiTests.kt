package cognitoauth.test

import cognitoauth.ClientConfig
import cognitoauth.CognitoAuthException
import cognitoauth.IdentityPoolConfig
import cognitoauth.OAuthErrorKind
import cognitoauth.userPoolLoginProvider
import io.cognitoauth.client.AuthState
import io.cognitoauth.client.CognitoAuthClient
import io.cognitoauth.client.FileSessionStore
import java.io.File
import java.net.URI
import java.net.URLDecoder
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.security.SecureRandom
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking

/*
 * The shipped client's hosted UI (signInWithWebUi, beginWebUiSignIn / finishWebUiSignIn) and
 * identity-pool credentials end to end against the suite's public MiniStack fixture (AUTH=true),
 * with the client's default java.net.http transport. Each group provisions its own pool in that
 * MiniStack once (admin calls below), so no second server is started.
 *
 * The browser is this file's: java.net.http without redirects or proxies, GET /oauth2/authorize,
 * read the login form's hidden fields, POST /login with the user's name and password, take the
 * 302's Location. What MiniStack checks, and so what these tests prove: the redirect URI against
 * the client's callback URLs, the PKCE verifier against the S256 challenge, single use of the
 * code, state and nonce echoed, an OAuth access token calls GetUser only with the scope
 * aws.cognito.signin.user.admin; for identity pools, that the login's provider is one of the
 * pool's and its token an ID token of that pool and client; guests only if the pool allows them.
 */

private const val REDIRECT = "myapp://callback"
private const val USERNAME = "alice"
private const val EMAIL = "alice@example.com"
private val ALL_SCOPES = listOf("openid", "email", "aws.cognito.signin.user.admin")

private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY)
    .connectTimeout(Duration.ofSeconds(10)).build()

/** A user pool with a domain, a code-flow app client (callback [REDIRECT]), the user alice, and an identity pool for it. */
private class WebUiPool(val endpoint: String, val config: ClientConfig, val password: String, val identityPoolId: String) {
    fun client(store: io.cognitoauth.client.SessionStore) = CognitoAuthClient(config, store = store, hostedUiDomain = endpoint)

    fun identityPool() = IdentityPoolConfig(identityPoolId = identityPoolId, endpointUrl = endpoint)

    companion object {
        val shared: WebUiPool by lazy { create(Fixture.public.endpoint) }

        private fun create(endpoint: String): WebUiPool {
            val suffix = java.lang.Long.toHexString(SecureRandom().nextLong() ushr 16)
            val poolId = Admin.call(endpoint, "CreateUserPool", """{"PoolName":"kotlin-web-ui-$suffix"}""")
                .let { (it["UserPool"] as Map<*, *>)["Id"] as String }
            Admin.call(endpoint, "CreateUserPoolDomain", """{"UserPoolId":"$poolId","Domain":"kotlin-web-ui-$suffix"}""")
            val clientId = Admin.call(
                endpoint, "CreateUserPoolClient",
                """{"UserPoolId":"$poolId","ClientName":"kotlin-web-ui-app","GenerateSecret":false,
                   "ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"],
                   "AllowedOAuthFlows":["code"],"AllowedOAuthFlowsUserPoolClient":true,
                   "AllowedOAuthScopes":["openid","email","aws.cognito.signin.user.admin"],
                   "CallbackURLs":["$REDIRECT"],"LogoutURLs":["myapp://signed-out"],
                   "SupportedIdentityProviders":["COGNITO"]}""",
            ).let { (it["UserPoolClient"] as Map<*, *>)["ClientId"] as String }
            val password = "Web-$suffix-Aa9!"
            Admin.call(
                endpoint, "AdminCreateUser",
                """{"UserPoolId":"$poolId","Username":"$USERNAME","MessageAction":"SUPPRESS",
                   "UserAttributes":[{"Name":"email","Value":"$EMAIL"}]}""",
            )
            Admin.call(endpoint, "AdminSetUserPassword", """{"UserPoolId":"$poolId","Username":"$USERNAME","Password":"$password","Permanent":true}""")
            val identityPoolId = Admin.call(
                endpoint, "CreateIdentityPool",
                """{"IdentityPoolName":"kotlin_web_ui_$suffix","AllowUnauthenticatedIdentities":true,
                   "CognitoIdentityProviders":[{"ProviderName":"${userPoolLoginProvider(poolId)}","ClientId":"$clientId"}]}""",
                service = "AWSCognitoIdentityService",
            )["IdentityPoolId"] as String
            return WebUiPool(endpoint, ClientConfig(userPoolId = poolId, clientId = clientId, endpointUrl = endpoint), password, identityPoolId)
        }
    }
}

/** MiniStack's administrator calls (AUTH=true wants a SigV4-shaped header naming the key `test`; the signature is not checked). */
private object Admin {
    fun call(endpoint: String, operation: String, body: String, service: String = "AWSCognitoIdentityProviderService"): Map<String, Any?> {
        val scope = if (service == "AWSCognitoIdentityService") "cognito-identity" else "cognito-idp"
        val request = HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "$service.$operation")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/$scope/aws4_request, " +
                    "SignedHeaders=content-type;host;x-amz-target, Signature=" + "0".repeat(64),
            )
            .POST(HttpRequest.BodyPublishers.ofString(body)).build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        assertEquals(200, response.statusCode(), "$operation: ${response.body()}")
        return Json.obj(response.body())
    }
}

/** The app's openBrowser as a user would drive it: the login page, the form, the redirect's Location. */
private class Browser(private val endpoint: String, private val password: String) {
    val opened = mutableListOf<String>()

    fun open(url: String): String {
        opened += url
        val page = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString())
        assertEquals(200, page.statusCode(), "authorize page: ${page.body()}")
        val fields = hiddenFields(page.body())
        assertTrue(fields.any { it.first == "code_challenge" }, "no code_challenge in the login form: $fields")
        val form = (fields + listOf("username" to USERNAME, "password" to password))
            .joinToString("&") { (name, value) -> enc(name) + "=" + enc(value) }
        val answer = http.send(
            HttpRequest.newBuilder(URI.create(endpoint + "login")).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
            HttpResponse.BodyHandlers.ofString(),
        )
        assertEquals(302, answer.statusCode(), "login: ${answer.body()}")
        return answer.headers().firstValue("Location").orElseThrow { AssertionError("302 without Location") }
    }

    private fun enc(text: String) = URLEncoder.encode(text, Charsets.UTF_8)

    /** The `<input type="hidden">` fields of a page, HTML entities undone. */
    private fun hiddenFields(html: String): List<Pair<String, String>> =
        Regex("<input\\b[^>]*>").findAll(html).map { it.value }.filter { "type=\"hidden\"" in it }.map { tag ->
            fun attribute(name: String) = Regex("\\b$name=\"([^\"]*)\"").find(tag)?.groupValues?.get(1)?.let(::unescape)
            (attribute("name") ?: throw AssertionError("hidden input without a name: $tag")) to (attribute("value") ?: "")
        }.toList()

    private fun unescape(text: String) = text.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/** The query parameter [name] of [url]. */
private fun queryParameter(url: String, name: String): String? =
    URI.create(url).rawQuery?.split('&')?.map { it.split('=', limit = 2) }
        ?.firstOrNull { it[0] == name }?.getOrNull(1)?.let { URLDecoder.decode(it, Charsets.UTF_8) }

fun webUiTests(h: Harness) {
    concurrentCredentialsTest(h)
    h.test("client web UI: signInWithWebUi through MiniStack's hosted UI (GET authorize, POST /login, 302), tokens() and GetUser work, pending entry stored then removed, signOut") {
        withDir { dir ->
            val pool = WebUiPool.shared
            val store = FileSessionStore(File(dir, "session"))
            val pendingFile = File(dir, "session.hosted-ui")
            val client = pool.client(store)
            val browser = Browser(pool.endpoint, pool.password)
            runBlocking {
                client.signInWithWebUi(REDIRECT, ALL_SCOPES) { url ->
                    // The pending state is on disk while the browser is open (the app may be killed now).
                    assertTrue(pendingFile.isFile && pendingFile.length() > 0, "no pending entry while the browser is open")
                    assertTrue(client.hasPendingWebUiSignIn())
                    assertEquals(REDIRECT, queryParameter(url, "redirect_uri"))
                    assertEquals("S256", queryParameter(url, "code_challenge_method"))
                    browser.open(url)
                }
                assertFalse(pendingFile.exists(), "the pending entry outlived the sign-in")
                assertFalse(client.hasPendingWebUiSignIn())
                val state = client.state.value
                assertIs<AuthState.SignedIn>(state)
                assertEquals(USERNAME, state.username)
                val tokens = client.tokens()
                assertNotNull(tokens.idToken, "openid scope: an ID token")
                val user = client.getUser() // MiniStack allows it only with aws.cognito.signin.user.admin
                assertEquals(USERNAME, user.username)
                assertEquals(EMAIL, user.attributes["email"])
                assertTrue(File(dir, "session").isFile, "the session was not stored")
                client.signOut()
                assertIs<AuthState.SignedOut>(client.state.value)
                assertFailsWith<CognitoAuthException.InvalidState> { client.tokens() }
                assertFalse(File(dir, "session").exists())
                // The hosted UI's own session ends at /logout, which sends the browser to a sign-out URL.
                val logout = client.webUiSignOutUrl("myapp://signed-out")
                assertTrue(logout.startsWith(pool.endpoint + "logout?"), logout)
                assertEquals(pool.config.clientId, queryParameter(logout, "client_id"))
                assertEquals("myapp://signed-out", queryParameter(logout, "logout_uri"))
            }
            assertEquals(1, browser.opened.size)
        }
    }

    h.test("client web UI: a forged state is refused (OAuth StateMismatch), the pending sign-in is kept and the real redirect then signs in; the code replayed is refused by MiniStack (OAuth Refused invalid_grant)") {
        withDir { dir ->
            val pool = WebUiPool.shared
            val client = pool.client(FileSessionStore(File(dir, "session")))
            val pendingFile = File(dir, "session.hosted-ui")
            runBlocking {
                val url = client.beginWebUiSignIn(REDIRECT, ALL_SCOPES)
                val pendingCopy = pendingFile.readBytes()
                val redirect = Browser(pool.endpoint, pool.password).open(url)
                val state = assertNotNull(queryParameter(redirect, "state"))
                val forged = redirect.replace("state=" + URLEncoder.encode(state, Charsets.UTF_8), "state=forged-${state.length}")
                assertNotEquals(redirect, forged)
                val refused = assertFailsWith<CognitoAuthException.OAuth> { client.finishWebUiSignIn(forged) }
                assertEquals(OAuthErrorKind.STATE_MISMATCH, refused.kind)
                assertIs<AuthState.SignedOut>(client.state.value)
                assertTrue(client.hasPendingWebUiSignIn(), "a forged redirect dropped the real sign-in")
                client.finishWebUiSignIn(redirect)
                assertIs<AuthState.SignedIn>(client.state.value)
                assertEquals(USERNAME, client.getUser().username)
                // Nothing pending any more: the same redirect again is refused, typed.
                assertFailsWith<CognitoAuthException.InvalidState> { client.finishWebUiSignIn(redirect) }
                // The pending state put back (a copy of the store): the code goes to MiniStack again and is refused as used.
                pendingFile.writeBytes(pendingCopy)
                val replayed = assertFailsWith<CognitoAuthException.OAuth> { client.finishWebUiSignIn(redirect) }
                assertEquals(OAuthErrorKind.REFUSED, replayed.kind)
                assertEquals("invalid_grant", replayed.errorCode)
                assertFalse(client.hasPendingWebUiSignIn(), "a refused exchange kept its pending sign-in")
                assertIs<AuthState.SignedIn>(client.state.value) // the session the first exchange made is untouched
                // Replayed with a fresh pending sign-in whose state the redirect does not carry: refused before any exchange.
                client.beginWebUiSignIn(REDIRECT, ALL_SCOPES)
                assertEquals(OAuthErrorKind.STATE_MISMATCH, assertFailsWith<CognitoAuthException.OAuth> { client.finishWebUiSignIn(redirect) }.kind)
            }
        }
    }

    h.test("client web UI: openBrowser throwing (the user closed the tab) drops the pending sign-in and rethrows; a client without hostedUiDomain refuses with InvalidInput") {
        withDir { dir ->
            val pool = WebUiPool.shared
            val client = pool.client(FileSessionStore(File(dir, "session")))
            class Closed : Exception("closed")
            runBlocking {
                assertFailsWith<Closed> { client.signInWithWebUi(REDIRECT, ALL_SCOPES) { throw Closed() } }
                assertFalse(client.hasPendingWebUiSignIn())
                assertFalse(File(dir, "session.hosted-ui").exists())
                assertIs<AuthState.SignedOut>(client.state.value)
                val noDomain = CognitoAuthClient(pool.config, store = FileSessionStore(File(dir, "session")))
                assertEquals("hosted_ui_domain", assertFailsWith<CognitoAuthException.InvalidInput> { noDomain.beginWebUiSignIn(REDIRECT) }.what)
            }
        }
    }

    h.test("client web UI: begun on one client, finished on another made later with the same FileSessionStore (the app killed during the browser round trip)") {
        withDir { dir ->
            val pool = WebUiPool.shared
            val file = File(dir, "session")
            val url = runBlocking { pool.client(FileSessionStore(file)).beginWebUiSignIn(REDIRECT, ALL_SCOPES) }
            val redirect = Browser(pool.endpoint, pool.password).open(url)
            runBlocking {
                val second = pool.client(FileSessionStore(file))
                assertTrue(second.hasPendingWebUiSignIn())
                second.finishWebUiSignIn(redirect)
                assertEquals(USERNAME, second.getUser().username)
                assertFalse(File(dir, "session.hosted-ui").exists())
                // A third start restores that session from the store, no sign-in.
                val third = pool.client(FileSessionStore(file))
                assertTrue(third.restore())
                assertEquals(USERNAME, third.getUser().username)
            }
        }
    }

    h.test("client credentials: guest credentials from an identity pool; the same identity on a second call and in a new client from the store; expiration in the future") {
        withDir { dir ->
            val pool = WebUiPool.shared
            CountingProxy(pool.endpoint).use { proxy ->
                val config = pool.identityPool().copy(endpointUrl = proxy.url)
                val file = File(dir, "session")
                runBlocking {
                    val client = pool.client(FileSessionStore(file))
                    assertNull(client.identityId(pool.identityPoolId))
                    val first = client.credentials(config)
                    assertPlausible(first)
                    val identity = assertNotNull(client.identityId(pool.identityPoolId))
                    assertEquals(1, proxy.count("GetId"))
                    assertEquals(1, proxy.count("GetCredentialsForIdentity"))
                    // Fresh: served from memory, no request.
                    assertEquals(first, client.credentials(config))
                    assertEquals(1, proxy.count("GetCredentialsForIdentity"))
                    assertTrue(File(dir, "session.identities").readText().contains(identity))
                    // Another process: the identity id comes from the store, no GetId.
                    val later = pool.client(FileSessionStore(file))
                    assertEquals(identity, later.identityId(pool.identityPoolId))
                    assertPlausible(later.credentials(config))
                    assertEquals(identity, later.identityId(pool.identityPoolId))
                    assertEquals(1, proxy.count("GetId"))
                    assertEquals(2, proxy.count("GetCredentialsForIdentity"))
                }
            }
        }
    }

    h.test("client credentials: the signed-in user's (ID token from a hosted-UI session); another identity than a guest's, kept across calls and after sign-out the guest's again") {
        withDir { dir ->
            val pool = WebUiPool.shared
            CountingProxy(pool.endpoint).use { proxy ->
                val config = pool.identityPool().copy(endpointUrl = proxy.url)
                runBlocking {
                    val client = pool.client(FileSessionStore(File(dir, "session")))
                    val guest = client.credentials(config)
                    val guestIdentity = assertNotNull(client.identityId(pool.identityPoolId))
                    client.signInWithWebUi(REDIRECT, ALL_SCOPES) { Browser(pool.endpoint, pool.password).open(it) }
                    val user = client.credentials(config)
                    assertPlausible(user)
                    assertNotEquals(guest.accessKeyId, user.accessKeyId)
                    val userIdentity = assertNotNull(client.identityId(pool.identityPoolId))
                    assertNotEquals(guestIdentity, userIdentity)
                    val getIds = proxy.count("GetId")
                    assertEquals(user, client.credentials(config))
                    assertEquals(userIdentity, client.identityId(pool.identityPoolId))
                    // A new client with the store: the user's identity without GetId.
                    val later = pool.client(FileSessionStore(File(dir, "session")))
                    assertPlausible(later.credentials(config))
                    assertEquals(userIdentity, later.identityId(pool.identityPoolId))
                    assertEquals(getIds, proxy.count("GetId"))
                    later.signOut()
                    assertPlausible(later.credentials(config))
                    assertNotEquals(userIdentity, later.identityId(pool.identityPoolId))
                }
            }
        }
    }
}

/** Registered by [webUiTests]: concurrent callers of credentials() share one request. */
private fun concurrentCredentialsTest(h: Harness) {
    h.test("client credentials: 8 concurrent callers (GetCredentialsForIdentity held back 500 ms at the proxy) get the same credentials from one GetId and one GetCredentialsForIdentity") {
        val pool = WebUiPool.shared
        CountingProxy(pool.endpoint, delayMillis = mapOf("GetCredentialsForIdentity" to 500L)).use { proxy ->
            val config = pool.identityPool().copy(endpointUrl = proxy.url)
            val client = pool.client(io.cognitoauth.client.InMemorySessionStore())
            val all = runBlocking(kotlinx.coroutines.Dispatchers.Default) {
                (1..8).map { async { client.credentials(config) } }.map { it.await() }
            }
            assertEquals(1, all.toSet().size, "callers got different credentials")
            assertPlausible(all.first())
            assertEquals(1, proxy.count("GetId"), "${proxy.counts()}")
            assertEquals(1, proxy.count("GetCredentialsForIdentity"), "${proxy.counts()}")
        }
    }
}

private fun assertPlausible(credentials: cognitoauth.AwsCredentials) {
    assertTrue(credentials.accessKeyId.isNotEmpty() && credentials.secretAccessKey.isNotEmpty() && credentials.sessionToken.isNotEmpty())
    val left = credentials.expirationUnixSecs.toLong() - System.currentTimeMillis() / 1000
    assertTrue(left in 60..(24 * 3600), "expiration not in the future (in $left s)")
}

private fun withDir(body: (File) -> Unit) {
    val dir = Files.createTempDirectory("kotlin-web-ui-test").toFile()
    try {
        body(dir)
    } finally {
        dir.deleteRecursively()
    }
}
