// A consumer of the cognito-auth jar, compiled and run by bindings/kotlin/test-jar.sh against the
// jar and its POM's dependencies alone: no generated sources, no -Djna.library.path (JNA loads
// linux-x86-64/libcognito_auth_ffi.so from the jar). It signs in with SRP and TOTP against a
// MiniStack pool, reads the user with the tokens, and checks that a wrong password is refused;
// then does the same through the ready client shipped in the jar (io.cognitoauth.client) with its
// default java.net.http transport, the README's ten lines.
//
//   java -cp cognito-auth.jar:jna.jar:kotlin-stdlib.jar:kotlinx-coroutines-core-jvm.jar:consumer.jar SignInKt FIXTURE_JSON
//
// Prints one line per check and `N passed, M failed` last; exits 1 on a failure.

import cognitoauth.AccountOperationKind
import cognitoauth.AccountRequest
import cognitoauth.AccountResponse
import cognitoauth.AuthFlow
import cognitoauth.ChallengeAnswer
import cognitoauth.ClientConfig
import cognitoauth.CognitoAuthException
import cognitoauth.HttpRequest
import cognitoauth.ServiceErrorKind
import cognitoauth.SignInCredentials
import cognitoauth.SignInSession
import cognitoauth.SignInStep
import cognitoauth.SignOutKind
import cognitoauth.accountRequest
import cognitoauth.errorTypeHeaderName
import cognitoauth.parseAccountResponse
import cognitoauth.totpCurrentCode
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpResponse
import io.cognitoauth.client.CognitoAuthClient
import java.time.Duration
import kotlin.system.exitProcess
import kotlinx.coroutines.runBlocking

private val http: HttpClient = HttpClient.newBuilder()
    .version(HttpClient.Version.HTTP_1_1)
    .proxy(HttpClient.Builder.NO_PROXY)
    .connectTimeout(Duration.ofSeconds(10))
    .build()

/** The app's whole transport: send the request the library built, hand back what came. */
private fun post(request: HttpRequest): Triple<UShort, ByteArray, String?> {
    val builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url))
        .timeout(Duration.ofSeconds(15))
        .method(request.method, java.net.http.HttpRequest.BodyPublishers.ofString(request.body))
    for ((name, value) in request.headers) {
        // java.net.http sets these itself and refuses them.
        if (name.lowercase() !in setOf("host", "content-length", "connection")) builder.header(name, value)
    }
    val response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
    return Triple(response.statusCode().toUShort(), response.body(), response.headers().firstValue(errorTypeHeaderName()).orElse(null))
}

/** A string field of the fixture's flat JSON object. */
private fun field(json: String, key: String): String? =
    Regex("\"" + Regex.escape(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").find(json)?.groupValues?.get(1)

/** A TOTP code not about to expire (outside the last 3 s of its 30 s step). */
private fun freshCode(secret: String): String {
    val intoStep = (System.currentTimeMillis() / 1000) % 30
    if (intoStep >= 27) Thread.sleep((30 - intoStep) * 1000 + 200)
    return totpCurrentCode(secret)
}

private fun signIn(config: ClientConfig, username: String, password: String, totpSecret: String): SignInStep.Done =
    SignInSession(config, SignInCredentials(username = username, flow = AuthFlow.UserSrp, password = password)).use { session ->
        var step = session.start()
        repeat(12) {
            step = when (val current = step) {
                is SignInStep.SendRequest -> {
                    val (status, body, errorType) = post(current.request)
                    session.handleResponse(status, body, errorType)
                }
                is SignInStep.ConfirmSignInWithTotpCode -> session.answer(ChallengeAnswer.TotpCode(freshCode(totpSecret)))
                is SignInStep.Done -> return current
                else -> throw IllegalStateException("step not handled here: $current")
            }
        }
        throw IllegalStateException("the sign-in did not finish in 12 steps")
    }

fun main(args: Array<String>) {
    val json = File(args.getOrNull(0) ?: error("usage: SignInKt FIXTURE_JSON")).readText()
    fun need(key: String) = field(json, key) ?: error("fixture.json has no string $key")
    val config = ClientConfig(
        userPoolId = need("user_pool_id"),
        clientId = need("client_id"),
        clientSecret = field(json, "client_secret"),
        endpointUrl = need("endpoint"),
    )
    var passed = 0
    var failed = 0
    fun check(name: String, body: () -> Unit) {
        try {
            body()
            passed++
            println("ok   $name")
        } catch (e: Throwable) {
            failed++
            println("FAIL $name: $e")
        }
    }

    check("the native library comes from the jar (no jna.library.path)") {
        require(System.getProperty("jna.library.path") == null) { "jna.library.path is set" }
        require(SignInSession::class.java.getResource("/linux-x86-64/libcognito_auth_ffi.so") != null) { "no resource" }
    }
    check("USER_SRP_AUTH + SOFTWARE_TOKEN_MFA against MiniStack gives tokens, and GetUser works with them") {
        val done = signIn(config, need("username"), need("password"), need("totp_secret"))
        val tokens = done.result.tokens
        require(tokens.accessToken.isNotEmpty() && !tokens.idToken.isNullOrEmpty()) { "empty tokens" }
        val (status, body, errorType) = post(accountRequest(config, AccountRequest.GetUser(tokens.accessToken)))
        val user = (parseAccountResponse(AccountOperationKind.GetUser, status, body, errorType) as AccountResponse.User).user
        require(user.username == need("username")) { "GetUser returned ${user.username}" }
    }
    check("a wrong password is refused with NOT_AUTHORIZED") {
        try {
            signIn(config, need("username"), need("password") + "-wrong", need("totp_secret"))
            throw AssertionError("the sign-in succeeded")
        } catch (e: CognitoAuthException.Service) {
            require(e.kind == ServiceErrorKind.NOT_AUTHORIZED) { "kind ${e.kind}" }
        }
    }
    check("the shipped client: signIn -> TOTP step -> tokens() -> getUser -> signOut(REVOKE)") {
        runBlocking {
            val client = CognitoAuthClient(config)
            var step = client.signIn(need("username"), need("password"))
            if (step is SignInStep.ConfirmSignInWithTotpCode) step = client.confirmSignIn(ChallengeAnswer.TotpCode(freshCode(need("totp_secret"))))
            require(step is SignInStep.Done) { "signed in: $step" }
            require(client.tokens().accessToken.isNotEmpty()) { "no access token" }
            require(client.getUser().username == need("username")) { "GetUser through the client" }
            client.signOut(SignOutKind.REVOKE)
        }
    }
    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
