package cognitoauth.test

import cognitoauth.AccountOperationKind
import cognitoauth.AccountRequest
import cognitoauth.AccountResponse
import cognitoauth.AuthFlow
import cognitoauth.ChallengeAnswer
import cognitoauth.CognitoAuthException
import cognitoauth.MfaType
import cognitoauth.ServiceErrorKind
import cognitoauth.SignInCredentials
import cognitoauth.SignInSession
import cognitoauth.SignInStep
import cognitoauth.TokenUse
import cognitoauth.accountRequest
import cognitoauth.accountRequestKind
import cognitoauth.jwtClaims
import cognitoauth.parseAccountResponse
import cognitoauth.totpCurrentCode
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * Against MiniStack 1.5.33 with AUTH=true (it verifies SRP proofs, SECRET_HASH and TOTP codes),
 * over java.net.http as an app would: real OS randomness and clock.
 */
fun endToEndTests(h: Harness) {
    for ((label, fixture) in listOf("public client" to { Fixture.public }, "client with secret" to { Fixture.withSecret })) {
        h.test("end to end ($label): USER_SRP_AUTH -> PASSWORD_VERIFIER -> SOFTWARE_TOKEN_MFA -> tokens") {
            signInWithTotp(fixture())
        }
    }

    h.test("end to end: wrong password -> Service NotAuthorized after the verifier, no leak") {
        val fx = Fixture.public
        val wrong = fx.password + "-wrong"
        val session = SignInSession(fx.config(), SignInCredentials(fx.username, AuthFlow.UserSrp, password = wrong))
        val hops = mutableListOf<Hop>()
        val e = assertFailsWith<CognitoAuthException.Service> { drive(session, session.start(), JavaHttpTransport(), hops) }
        assertEquals(ServiceErrorKind.NOT_AUTHORIZED, e.kind)
        assertEquals("NotAuthorizedException", e.code)
        assertEquals(400.toUShort(), e.status)
        assertFalse(e.stepStillOpen)
        assertNoSecrets(e, wrong, fx.password)
        assertEquals(listOf("InitiateAuth" to 200, "RespondToAuthChallenge" to 400), hops.map { it.operation to it.status })
        assertTrue(session.isOver())
    }

    h.test("end to end: a wrong TOTP code keeps the step open (CodeMismatch), then the right code signs in") {
        val fx = Fixture.public
        val transport = JavaHttpTransport()
        val session = SignInSession(fx.config(), SignInCredentials(fx.username, AuthFlow.UserSrp, password = fx.password))
        val step = drive(session, session.start(), transport, mutableListOf())
        assertIs<SignInStep.ConfirmSignInWithTotpCode>(step)
        val code = freshCode(fx.totpSecret)
        val wrong = (0..9).map { "$it".repeat(6) }.first { it != code && !nearbyCodes(fx.totpSecret).contains(it) }
        val e = assertFailsWith<CognitoAuthException.Service> {
            drive(session, session.answer(ChallengeAnswer.TotpCode(wrong)), transport, mutableListOf())
        }
        assertEquals(ServiceErrorKind.CODE_MISMATCH, e.kind)
        assertTrue(e.stepStillOpen, "$e")
        assertEquals(step, session.status().pendingStep)
        assertIs<SignInStep.Done>(drive(session, session.answer(ChallengeAnswer.TotpCode(freshCode(fx.totpSecret))), transport, mutableListOf()))
    }
}

/** The full sign-in against `fx`, then the account calls a signed-in app makes. */
private fun signInWithTotp(fx: Fixture) {
    val transport = JavaHttpTransport()
    val config = fx.config()
    val session = SignInSession(config, SignInCredentials(fx.username, AuthFlow.UserSrp, password = fx.password))
    val hops = mutableListOf<Hop>()
    val bodies = mutableListOf<Map<String, Any?>>()
    val step = drive(session, session.start(), transport, hops) { bodies += Json.obj(it.body) }
    assertEquals(listOf("InitiateAuth" to 200, "RespondToAuthChallenge" to 200), hops.map { it.operation to it.status })
    assertEquals("USER_SRP_AUTH", bodies[0]["AuthFlow"])
    assertEquals("PASSWORD_VERIFIER", bodies[1]["ChallengeName"])
    @Suppress("UNCHECKED_CAST")
    val verifier = bodies[1]["ChallengeResponses"] as Map<String, String>
    assertEquals(fx.clientSecret != null, verifier.containsKey("SECRET_HASH"), "SECRET_HASH exactly with a client secret")
    assertIs<SignInStep.ConfirmSignInWithTotpCode>(step, "after the verifier: $step")

    // The library's own TOTP code for the secret the fixture enrolled.
    val code = freshCode(fx.totpSecret)
    assertEquals(KotlinTotp.code(fx.totpSecret, System.currentTimeMillis() / 1000), code)
    val done = assertIs<SignInStep.Done>(
        drive(session, session.answer(ChallengeAnswer.TotpCode(code)), transport, hops) { bodies += Json.obj(it.body) },
    )
    assertEquals("SOFTWARE_TOKEN_MFA", bodies.last()["ChallengeName"])
    assertTrue(session.isOver())

    val tokens = done.result.tokens
    val access = jwtClaims(tokens.accessToken)
    assertEquals(TokenUse.Access, access.tokenUse)
    assertEquals(fx.username, access.username)
    assertEquals(fx.clientId, access.clientId)
    assertTrue(access.exp > System.currentTimeMillis().toULong() / 1000uL)
    assertEquals(TokenUse.Id, jwtClaims(assertNotNull(tokens.idToken)).tokenUse)
    val refresh = assertNotNull(tokens.refreshToken)

    // GetUser with the access token: the user and its TOTP preference.
    val getUser = AccountRequest.GetUser(tokens.accessToken)
    assertEquals(AccountOperationKind.GetUser, accountRequestKind(getUser))
    val answer = transport.send(accountRequest(config, getUser))
    val user = assertIs<AccountResponse.User>(
        parseAccountResponse(AccountOperationKind.GetUser, answer.status.toUShort(), answer.body, answer.errorType),
    ).user
    assertEquals(fx.username, user.username)
    assertEquals(MfaType.TOTP, user.mfaPreference.preferred)

    // REFRESH_TOKEN_AUTH gives a new access token for the same user.
    val refreshRequest = AccountRequest.RefreshTokenAuth(refresh, session.status().username)
    val refreshAnswer = transport.send(accountRequest(config, refreshRequest))
    val renewed = assertIs<AccountResponse.Tokens>(
        parseAccountResponse(
            accountRequestKind(refreshRequest),
            refreshAnswer.status.toUShort(),
            refreshAnswer.body,
            refreshAnswer.errorType,
        ),
    ).tokens
    assertEquals(fx.username, jwtClaims(renewed.accessToken).username)
    assertTrue(transport.skippedHeaders.isEmpty(), "the library sent headers java.net.http sets itself: ${transport.skippedHeaders}")
}

/** The library's current code, after waiting out the last 3 s of a 30 s step. */
private fun freshCode(secret: String): String {
    val into = (System.currentTimeMillis() / 1000) % 30
    if (into >= 27) Thread.sleep((30 - into) * 1000 + 200)
    return totpCurrentCode(secret)
}

/** Codes valid around now (MiniStack accepts ±1 step). */
private fun nearbyCodes(secret: String): Set<String> {
    val now = System.currentTimeMillis() / 1000
    return (-2..2).map { KotlinTotp.code(secret, now + it * 30L) }.toSet()
}
