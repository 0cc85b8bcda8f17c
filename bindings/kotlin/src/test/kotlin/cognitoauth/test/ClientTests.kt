package cognitoauth.test

import cognitoauth.AccountOperationKind
import cognitoauth.AccountRequest
import cognitoauth.AccountResponse
import cognitoauth.ChallengeAnswer
import cognitoauth.CognitoAuthException
import cognitoauth.EndReason
import cognitoauth.HttpRequest
import cognitoauth.ServiceErrorKind
import cognitoauth.SessionEvent
import cognitoauth.SignInStep
import cognitoauth.SignOutKind
import cognitoauth.accountRequest
import cognitoauth.parseAccountResponse
import cognitoauth.totpCurrentCode
import io.cognitoauth.client.AuthState
import io.cognitoauth.client.Clock
import io.cognitoauth.client.CognitoAuthClient
import io.cognitoauth.client.FileSessionStore
import io.cognitoauth.client.InMemorySessionStore
import io.cognitoauth.client.KeystoreSessionStore
import io.cognitoauth.client.SessionStore
import io.cognitoauth.client.SessionStoreException
import io.cognitoauth.client.Transport
import io.cognitoauth.client.TransportResponse
import io.cognitoauth.client.UrlConnectionTransport
import java.io.File
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions
import java.security.KeyStore
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import kotlinx.coroutines.cancelChildren

/** A clock the test moves forward. */
private class MovableClock : Clock {
    val offset = AtomicLong(0)
    override fun nowUnixSecs(): Long = System.currentTimeMillis() / 1000 + offset.get()
}

/** Seconds to move the clock so the first access token (MiniStack: 3600 s) is within the default 300 s margin. */
private const val PAST_MARGIN = 3600L - 300L + 30L

/** The shipped client (io.cognitoauth.client) against MiniStack over its default java.net.http transport. */
fun clientTests(h: Harness) {
    h.test("client: signIn (SRP) -> TOTP step -> Done; state and events; tokens() needs no request") {
        CountingProxy(Fixture.public.endpoint).use { proxy ->
            clientTest {
                val fx = Fixture.public
                val client = CognitoAuthClient(fx.config().copy(endpointUrl = proxy.url))
                val events = collectEvents(client)
                assertEquals(AuthState.SignedOut, client.state.value)
                val step = client.signIn(fx.username, fx.password)
                assertIs<SignInStep.ConfirmSignInWithTotpCode>(step)
                assertIs<AuthState.SigningIn>(client.state.value)
                val done = assertIs<SignInStep.Done>(client.confirmSignIn(ChallengeAnswer.TotpCode(freshTotp(fx.totpSecret))))
                val signedIn = assertIs<AuthState.SignedIn>(client.state.value)
                assertEquals(fx.username, signedIn.username)
                val before = proxy.counts()
                assertEquals(mapOf("InitiateAuth" to 1, "RespondToAuthChallenge" to 2), before)
                val tokens = client.tokens()
                assertEquals(done.result.tokens.accessToken, tokens.accessToken)
                assertTrue(tokens.expiresIn > 3000uL, "expiresIn ${tokens.expiresIn}")
                assertEquals(before, proxy.counts(), "tokens() of a fresh session sent a request")
                assertEquals(fx.username, client.getUser().username)
                yield()
                assertEquals(listOf<SessionEvent>(SessionEvent.SignedIn), events.toList())
                assertTrue("<redacted>" in tokens.toString() && tokens.accessToken !in tokens.toString())
            }
        }
    }

    h.test("client: a wrong TOTP code keeps SigningIn; a wrong password is Service NotAuthorized and leaves SignedOut") {
        clientTest {
            val fx = Fixture.public
            val client = CognitoAuthClient(fx.config())
            assertFailsWith<CognitoAuthException.InvalidState> { client.confirmSignIn(ChallengeAnswer.TotpCode("123456")) }
            assertIs<SignInStep.ConfirmSignInWithTotpCode>(client.signIn(fx.username, fx.password))
            val now = System.currentTimeMillis() / 1000
            val nearby = (-2..2).map { KotlinTotp.code(fx.totpSecret, now + it * 30L) }.toSet()
            val wrongCode = (0..9).map { "$it".repeat(6) }.first { it !in nearby }
            val mismatch = assertFailsWith<CognitoAuthException.Service> { client.confirmSignIn(ChallengeAnswer.TotpCode(wrongCode)) }
            assertEquals(ServiceErrorKind.CODE_MISMATCH, mismatch.kind)
            assertIs<AuthState.SigningIn>(client.state.value)
            val wrong = fx.password + "-wrong"
            val refused = assertFailsWith<CognitoAuthException.Service> { client.signIn(fx.username, wrong) }
            assertEquals(ServiceErrorKind.NOT_AUTHORIZED, refused.kind)
            assertFalse(refused.toString().contains(wrong))
            assertEquals(AuthState.SignedOut, client.state.value)
            assertFailsWith<CognitoAuthException.InvalidState> { client.tokens() }
        }
    }

    h.test("client: clock past the margin, 10 concurrent tokens() -> exactly one GetTokensFromRefreshToken at MiniStack") {
        CountingProxy(Fixture.public.endpoint, delayMillis = mapOf("GetTokensFromRefreshToken" to 400)).use { proxy ->
            clientTest {
                val clock = MovableClock()
                val client = signedInClient(Fixture.public, proxy.url, clock = clock)
                val events = collectEvents(client)
                val old = client.tokens()
                clock.offset.set(PAST_MARGIN)
                val all = coroutineScope { (1..10).map { async(Dispatchers.IO) { client.tokens() } }.awaitAll() }
                val refreshes = proxy.count("GetTokensFromRefreshToken")
                println("       concurrency: 10 callers -> GetTokensFromRefreshToken x$refreshes at MiniStack; all requests: ${proxy.counts()}")
                assertEquals(1, refreshes, "refresh requests MiniStack saw: ${proxy.counts()}")
                assertEquals(1, all.map { it.accessToken }.toSet().size, "the callers got different tokens")
                assertNotEquals(old.accessToken, all.first().accessToken)
                assertEquals(old.refreshToken, all.first().refreshToken, "MiniStack does not rotate refresh tokens")
                assertTrue(all.all { it.expiresIn > 3000uL }, "the new tokens are fresh for the moved clock")
                // Fresh now: more calls send nothing.
                client.tokens()
                assertEquals(1, proxy.count("GetTokensFromRefreshToken"))
                assertEquals(Fixture.public.username, client.getUser().username)
                yield()
                val refreshed = events.filterIsInstance<SessionEvent.TokensRefreshed>()
                assertEquals(1, refreshed.size, "$events")
                assertFalse(refreshed.single().refreshTokenRotated)
            }
        }
    }

    h.test("client: a refresh cancelled in flight keeps the session; the next tokens() refreshes") {
        CountingProxy(Fixture.public.endpoint, delayMillis = mapOf("GetTokensFromRefreshToken" to 1500)).use { proxy ->
            clientTest {
                val clock = MovableClock()
                val client = signedInClient(Fixture.public, proxy.url, clock = clock)
                clock.offset.set(PAST_MARGIN)
                assertFailsWith<TimeoutCancellationException> { withTimeout(300) { client.tokens() } }
                assertIs<AuthState.SignedIn>(client.state.value)
                val tokens = client.tokens()
                assertTrue(tokens.expiresIn > 3000uL)
                assertEquals(2, proxy.count("GetTokensFromRefreshToken"), "${proxy.counts()}")
            }
        }
    }

    h.test("client: a pluggable Transport: a network error and a throttled refresh keep the session; the next tokens() refreshes") {
        CountingProxy(Fixture.public.endpoint).use { proxy ->
            clientTest {
                val clock = MovableClock()
                val failures = ArrayDeque(listOf<(HttpRequest) -> TransportResponse>(
                    { throw java.io.IOException("connection reset (simulated)") },
                    { TransportResponse(400, """{"__type":"TooManyRequestsException","message":"Rate exceeded"}""".toByteArray(), "TooManyRequestsException") },
                ))
                val real = io.cognitoauth.client.JavaHttpTransport()
                val flaky = Transport { request ->
                    if (request.operation == "GetTokensFromRefreshToken" && failures.isNotEmpty()) failures.removeFirst()(request) else real.send(request)
                }
                val fx = Fixture.public
                val client = CognitoAuthClient(fx.config().copy(endpointUrl = proxy.url), transport = flaky, clock = clock)
                var step = client.signIn(fx.username, fx.password)
                if (step is SignInStep.ConfirmSignInWithTotpCode) step = client.confirmSignIn(ChallengeAnswer.TotpCode(freshTotp(fx.totpSecret)))
                assertIs<SignInStep.Done>(step)
                val old = client.tokens()
                clock.offset.set(PAST_MARGIN)
                assertFailsWith<java.io.IOException> { client.tokens() }
                val throttled = assertFailsWith<CognitoAuthException.Service> { client.tokens() }
                assertEquals(ServiceErrorKind.TOO_MANY_REQUESTS, throttled.kind)
                assertTrue(throttled.retryable)
                assertIs<AuthState.SignedIn>(client.state.value)
                assertEquals(0, proxy.count("GetTokensFromRefreshToken"), "the failures were the test's, not MiniStack's")
                val renewed = client.tokens()
                assertNotEquals(old.accessToken, renewed.accessToken)
                assertEquals(1, proxy.count("GetTokensFromRefreshToken"))
            }
        }
    }

    h.test("client: UrlConnectionTransport (the Android AAR's default) signs in, refreshes once, reads the user, revokes") {
        CountingProxy(Fixture.public.endpoint).use { proxy ->
            clientTest {
                val fx = Fixture.public
                val clock = MovableClock()
                val client = CognitoAuthClient(fx.config().copy(endpointUrl = proxy.url), transport = UrlConnectionTransport(), clock = clock)
                var step = client.signIn(fx.username, fx.password)
                if (step is SignInStep.ConfirmSignInWithTotpCode) step = client.confirmSignIn(ChallengeAnswer.TotpCode(freshTotp(fx.totpSecret)))
                assertIs<SignInStep.Done>(step)
                val old = client.tokens()
                clock.offset.set(PAST_MARGIN)
                assertNotEquals(old.accessToken, client.tokens().accessToken)
                assertEquals(fx.username, client.getUser().username)
                client.signOut(SignOutKind.REVOKE)
                assertEquals(mapOf("GetTokensFromRefreshToken" to 1, "GetUser" to 1, "InitiateAuth" to 1, "RespondToAuthChallenge" to 2, "RevokeToken" to 1), proxy.counts())
                val refused = assertFailsWith<CognitoAuthException.Service> { rawRefresh(proxy.url, old.refreshToken) }
                assertEquals(ServiceErrorKind.NOT_AUTHORIZED, refused.kind)
            }
        }
    }

    h.test("client: session in a FileSessionStore (0600); a new client restores it and calls GetUser without signing in") {
        withTempDir { dir ->
            CountingProxy(Fixture.public.endpoint).use { proxy ->
                clientTest {
                    val file = File(dir, "session")
                    val first = signedInClient(Fixture.public, proxy.url, store = FileSessionStore(file))
                    val access = first.tokens().accessToken
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.toPath())))
                    assertFalse(file.readText().contains(Fixture.public.password))
                    val signInCounts = proxy.counts()

                    val second = CognitoAuthClient(Fixture.public.config().copy(endpointUrl = proxy.url), store = FileSessionStore(file))
                    val events = collectEvents(second)
                    assertEquals(AuthState.SignedOut, second.state.value)
                    assertEquals(Fixture.public.username, second.getUser().username)
                    assertEquals(access, second.tokens().accessToken)
                    assertIs<AuthState.SignedIn>(second.state.value)
                    yield()
                    assertEquals(listOf<SessionEvent>(SessionEvent.Restored), events.toList())
                    val after = proxy.counts()
                    assertEquals(signInCounts["InitiateAuth"], after["InitiateAuth"], "the restored client signed in again")
                    assertEquals(signInCounts["RespondToAuthChallenge"], after["RespondToAuthChallenge"])
                    assertEquals(1, after["GetUser"])

                    second.signOut(SignOutKind.LOCAL)
                    assertFalse(file.exists(), "signOut left the stored session")
                    assertEquals(AuthState.SignedOut, second.state.value)
                    val e = assertFailsWith<CognitoAuthException.InvalidState> { second.tokens() }
                    assertTrue("signed in" in e.reason)
                    // A local sign-out tells Cognito nothing: the old access token still works there.
                    assertEquals(Fixture.public.username, rawGetUser(proxy.url, access).username)
                }
            }
        }
    }

    h.test("client: signOut(REVOKE) -> MiniStack refuses the old access token and the old refresh token") {
        CountingProxy(Fixture.public.endpoint).use { proxy ->
            clientTest {
                val client = signedInClient(Fixture.public, proxy.url)
                val events = collectEvents(client)
                val old = client.tokens()
                client.signOut(SignOutKind.REVOKE)
                assertEquals(1, proxy.count("RevokeToken"))
                assertEquals(AuthState.SignedOut, client.state.value)
                yield()
                assertEquals(listOf<SessionEvent>(SessionEvent.SignedOut(SignOutKind.REVOKE)), events.toList())
                val access = assertFailsWith<CognitoAuthException.Service> { rawGetUser(proxy.url, old.accessToken) }
                assertEquals(ServiceErrorKind.NOT_AUTHORIZED, access.kind)
                assertTrue("revoked" in access.serviceMessage, access.serviceMessage)
                val refresh = assertFailsWith<CognitoAuthException.Service> { rawRefresh(proxy.url, old.refreshToken) }
                assertEquals(ServiceErrorKind.NOT_AUTHORIZED, refresh.kind)
                println("       after RevokeToken: GetUser(old access) -> ${access.code} '${access.serviceMessage}'; refresh -> ${refresh.code} '${refresh.serviceMessage}'")
            }
        }
    }

    h.test("client: a refresh token revoked elsewhere ends the session: SessionEnded(RefreshTokenRevoked), Ended event, store cleared") {
        CountingProxy(Fixture.public.endpoint).use { proxy ->
            clientTest {
                val clock = MovableClock()
                val store = InMemorySessionStore()
                val client = signedInClient(Fixture.public, proxy.url, store = store, clock = clock)
                val events = collectEvents(client)
                val old = client.tokens()
                // Another device (or an admin) revokes this refresh token.
                val revoke = JavaHttpTransport().send(accountRequest(Fixture.public.config(), AccountRequest.RevokeToken(old.refreshToken)))
                assertEquals(200, revoke.status, revoke.text)
                clock.offset.set(PAST_MARGIN)
                val e = assertFailsWith<CognitoAuthException.SessionEnded> { client.tokens() }
                assertEquals(EndReason.RefreshTokenRevoked, e.endReason)
                assertEquals(AuthState.Ended(EndReason.RefreshTokenRevoked), client.state.value)
                assertNull(store.load(), "the ended session is still stored")
                yield()
                assertEquals(listOf<SessionEvent>(SessionEvent.Ended(EndReason.RefreshTokenRevoked)), events.toList())
                assertEquals(1, proxy.count("GetTokensFromRefreshToken"))
                // Asking again does not send another refresh.
                assertFailsWith<CognitoAuthException.SessionEnded> { client.tokens() }
                assertEquals(1, proxy.count("GetTokensFromRefreshToken"))
            }
        }
    }

    h.test("client: KeystoreSessionStore (AES-GCM, PKCS12 software keystore): round trip, restore, tampering refused") {
        withTempDir { dir ->
            clientTest {
                val password = "store-password".toCharArray()
                val keyStore = KeyStore.getInstance("PKCS12").apply { load(null, password) }
                assertTrue(KeystoreSessionStore.createKeyIfMissing(keyStore, "cognito-session", password))
                assertFalse(KeystoreSessionStore.createKeyIfMissing(keyStore, "cognito-session", password))
                val ksFile = File(dir, "keys.p12")
                ksFile.outputStream().use { keyStore.store(it, password) }
                val reloaded = KeyStore.getInstance("PKCS12").apply { ksFile.inputStream().use { load(it, password) } }
                val file = File(dir, "session.bin")
                val store = KeystoreSessionStore(file, reloaded, "cognito-session", password)
                assertNull(store.load())

                // A real session: saved encrypted by one client, restored by another.
                val first = signedInClient(Fixture.public, Fixture.public.endpoint, store = store)
                val access = first.tokens().accessToken
                val sealed = file.readBytes()
                assertFalse(String(sealed, Charsets.ISO_8859_1).contains(access.take(40)), "the token is in the file in clear")
                val second = CognitoAuthClient(Fixture.public.config(), store = KeystoreSessionStore(file, reloaded, "cognito-session", password))
                assertTrue(second.restore())
                assertEquals(access, second.tokens().accessToken)

                // Each save draws a new IV.
                store.save("same value")
                val one = file.readBytes()
                store.save("same value")
                assertFalse(one.contentEquals(file.readBytes()))
                assertEquals("same value", store.load())

                // One flipped bit anywhere after the header is refused, never a partial value.
                for (index in listOf(40, one.size / 2, one.size - 1)) {
                    val tampered = one.copyOf().also { it[index] = (it[index].toInt() xor 1).toByte() }
                    file.writeBytes(tampered)
                    assertFailsWith<SessionStoreException>("bit flipped at $index") { store.load() }
                }
                // Another key, and another alias (the alias is authenticated), are refused too.
                file.writeBytes(one)
                KeystoreSessionStore.createKeyIfMissing(reloaded, "other", password)
                assertFailsWith<SessionStoreException> { KeystoreSessionStore(file, reloaded, "other", password).load() }
                // A client whose store is refused starts signed out and removes the value.
                val third = CognitoAuthClient(Fixture.public.config(), store = KeystoreSessionStore(file, reloaded, "other", password))
                assertFailsWith<SessionStoreException> { third.restore() }
                assertFalse(file.exists())
                assertFailsWith<CognitoAuthException.InvalidState> { third.tokens() }
            }
        }
    }

    h.test("client: signOut(GLOBAL) -> MiniStack refuses the access tokens of every session of the user") {
        CountingProxy(Fixture.public.endpoint).use { proxy ->
            clientTest {
                val phone = signedInClient(Fixture.public, proxy.url)
                val laptop = signedInClient(Fixture.public, proxy.url)
                val phoneOld = phone.tokens()
                val laptopOld = laptop.tokens()
                phone.signOut(SignOutKind.GLOBAL)
                assertEquals(1, proxy.count("GlobalSignOut"))
                val mine = assertFailsWith<CognitoAuthException.Service> { rawGetUser(proxy.url, phoneOld.accessToken) }
                assertEquals(ServiceErrorKind.NOT_AUTHORIZED, mine.kind)
                val other = assertFailsWith<CognitoAuthException.Service> { laptop.getUser() }
                assertEquals(ServiceErrorKind.NOT_AUTHORIZED, other.kind)
                val refresh = assertFailsWith<CognitoAuthException.Service> { rawRefresh(proxy.url, laptopOld.refreshToken) }
                assertEquals(ServiceErrorKind.NOT_AUTHORIZED, refresh.kind)
                println("       after GlobalSignOut: GetUser(this session's access) -> ${mine.code} '${mine.serviceMessage}'; other session's GetUser -> '${other.serviceMessage}'; other refresh -> '${refresh.serviceMessage}'")
            }
        }
    }
}

/** A client signed in against `fx` through `endpoint` (SRP, then the TOTP step). */
private suspend fun signedInClient(
    fx: Fixture,
    endpoint: String,
    store: SessionStore = InMemorySessionStore(),
    clock: Clock = Clock.SYSTEM,
): CognitoAuthClient {
    val client = CognitoAuthClient(fx.config().copy(endpointUrl = endpoint), store = store, clock = clock)
    var step = client.signIn(fx.username, fx.password)
    if (step is SignInStep.ConfirmSignInWithTotpCode) step = client.confirmSignIn(ChallengeAnswer.TotpCode(freshTotp(fx.totpSecret)))
    assertIs<SignInStep.Done>(step)
    return client
}

/** Every event the client emits from now on (collected in the caller's scope until it ends). */
private fun CoroutineScope.collectEvents(client: CognitoAuthClient): MutableList<SessionEvent> {
    val events = java.util.Collections.synchronizedList(mutableListOf<SessionEvent>())
    launch(start = CoroutineStart.UNDISPATCHED) { client.events.collect { events += it } }
    return events
}

/** runBlocking that stops the event collectors when [body] returns. */
private fun clientTest(body: suspend CoroutineScope.() -> Unit) = runBlocking {
    try {
        body()
    } finally {
        coroutineContext.cancelChildren()
    }
}

/** GetUser with a token, not through the client (MiniStack's answer to an old token). */
private fun rawGetUser(endpoint: String, accessToken: String): cognitoauth.UserInfo {
    val config = Fixture.public.config().copy(endpointUrl = endpoint)
    val answer = JavaHttpTransport().send(accountRequest(config, AccountRequest.GetUser(accessToken)))
    val response = parseAccountResponse(AccountOperationKind.GetUser, answer.status.toUShort(), answer.body, answer.errorType)
    return (response as AccountResponse.User).user
}

/** GetTokensFromRefreshToken with a refresh token, not through the client. */
private fun rawRefresh(endpoint: String, refreshToken: String): cognitoauth.AuthTokens {
    val config = Fixture.public.config().copy(endpointUrl = endpoint)
    val answer = JavaHttpTransport().send(accountRequest(config, AccountRequest.GetTokensFromRefreshToken(refreshToken)))
    val response = parseAccountResponse(AccountOperationKind.GetTokensFromRefreshToken, answer.status.toUShort(), answer.body, answer.errorType)
    return (response as AccountResponse.Tokens).tokens
}

/** The current TOTP code, outside the last 3 s of its step. */
private fun freshTotp(secret: String): String {
    val into = (System.currentTimeMillis() / 1000) % 30
    if (into >= 27) Thread.sleep((30 - into) * 1000 + 200)
    return totpCurrentCode(secret)
}

private fun withTempDir(body: (File) -> Unit) {
    val dir = Files.createTempDirectory("kotlin-client-test").toFile()
    try {
        body(dir)
    } finally {
        dir.deleteRecursively()
    }
}
