package cognitoauth.test

import cognitoauth.AuthFlow
import cognitoauth.AuthTokens
import cognitoauth.RememberedDevice
import cognitoauth.TotpSetupDetails
import cognitoauth.ChallengeAnswer
import cognitoauth.ClientConfig
import cognitoauth.CognitoAuthException
import cognitoauth.DeviceOutcome
import cognitoauth.RestoreOptions
import cognitoauth.ServiceErrorKind
import cognitoauth.SignInCredentials
import cognitoauth.SignInSession
import cognitoauth.SignInStep
import cognitoauth.totpCode
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

private const val POOL_ID = "us-east-1_Abc123XyZ"
private const val CLIENT_ID = "1example23456789abcdefghij"
private const val PASSWORD = "Correct-Horse-9!"
private const val TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
private const val T0 = 1_800_000_007L

private fun config() = ClientConfig(userPoolId = POOL_ID, clientId = CLIENT_ID)
private fun srp(username: String = "alice", password: String? = PASSWORD) =
    SignInCredentials(username = username, flow = AuthFlow.UserSrp, password = password)
private fun pool(totp: Boolean = true) = FakePool(POOL_ID, CLIENT_ID, "alice", PASSWORD, if (totp) TOTP_SECRET else null, T0)

/** Fails if any secret shows in the exception's message or string form. */
fun assertNoSecrets(e: Throwable, vararg secrets: String) {
    val rendered = "${e.message} | $e"
    for (secret in secrets) assertFalse(rendered.contains(secret), "the error leaks a secret: ${e::class.simpleName}")
}

fun signInTests(h: Harness) {
    h.test("srp self-check: the test's SRP server reproduces the core's known-answer vectors") {
        val data = Json.obj(CoreTestData.text("srp_vectors.json"))
        assertEquals(data["k_hex"], SrpServer.k.toString(16))
        @Suppress("UNCHECKED_CAST")
        val vectors = data["vectors"] as List<Map<String, Map<String, Any?>>>
        assertTrue(vectors.size >= 5)
        for (vector in vectors) {
            val i = vector["inputs"]!!.mapValues { it.value.toString() }
            val o = vector["outputs"]!!.mapValues { it.value.toString() }
            val pool = i["pool_name_or_device_group_key"]!!
            val user = i["user_id_for_srp_or_device_key"]!!
            val v = SrpServer.verifier(SrpServer.x(pool, user, i["password"]!!, i["SALT"]!!))
            val b = java.math.BigInteger(i["server_b_hex_(test_only)"]!!, 16)
            assertEquals(java.math.BigInteger(i["SRP_B"]!!, 16), SrpServer.publicB(v, b), "B")
            val a = SrpServer.g.modPow(java.math.BigInteger(i["a_hex"]!!, 16), SrpServer.N)
            assertEquals(java.math.BigInteger(o["SRP_A"]!!, 16), a, "A")
            val key = SrpServer.key(a, java.math.BigInteger(i["SRP_B"]!!, 16), v, b)
            assertEquals(o["hkdf_key_hex"], key.joinToString("") { "%02x".format(it) }, "key")
            assertEquals(o["PASSWORD_CLAIM_SIGNATURE"], SrpServer.signature(key, pool, user, i["SECRET_BLOCK"]!!, i["TIMESTAMP"]!!))
            assertEquals(i["TIMESTAMP"], SrpServer.timestamp(i["unix_time"]!!.toLong()), "TIMESTAMP format")
        }
    }

    h.test("deterministic sign-in: fixed entropy and clock give the same InitiateAuth; another entropy another SRP_A") {
        fun firstBody(seed: Int): Map<String, Any?> {
            val session = SignInSession.newForTesting(config(), srp(), entropy(seed), T0.toULong())
            val step = assertIs<SignInStep.SendRequest>(session.start())
            assertEquals("InitiateAuth", step.request.operation)
            assertEquals("https://cognito-idp.us-east-1.amazonaws.com/", step.request.url)
            return Json.obj(step.request.body)
        }
        val one = firstBody(1)
        assertEquals(one, firstBody(1))
        @Suppress("UNCHECKED_CAST")
        fun srpA(body: Map<String, Any?>) = (body["AuthParameters"] as Map<String, String>)["SRP_A"]!!
        assertNotEquals(srpA(one), srpA(firstBody(2)))
        assertEquals("USER_SRP_AUTH", one["AuthFlow"])
        assertFalse(one.toString().contains(PASSWORD), "SRP never sends the password")
    }

    h.test("deterministic sign-in: SRP -> PASSWORD_VERIFIER (proof checked) -> TOTP -> tokens") {
        val pool = pool()
        val session = SignInSession.newForTesting(config(), srp(), entropy(3), T0.toULong())
        val hops = mutableListOf<Hop>()
        val step = drive(session, session.start(), pool, hops)
        assertEquals(listOf("InitiateAuth", "RespondToAuthChallenge"), hops.map { it.operation })
        val totpStep = assertIs<SignInStep.ConfirmSignInWithTotpCode>(step)
        assertEquals("phone", totpStep.friendlyDeviceName)
        assertEquals(totpStep, session.status().pendingStep)
        assertFalse(session.isOver())

        val code = totpCode(TOTP_SECRET, T0.toULong())
        assertEquals(KotlinTotp.code(TOTP_SECRET, T0), code)
        val done = assertIs<SignInStep.Done>(drive(session, session.answer(ChallengeAnswer.TotpCode(code)), pool, hops))
        val tokens = done.result.tokens
        assertEquals(pool.accessToken, tokens.accessToken)
        assertEquals(pool.idToken, tokens.idToken)
        assertEquals(pool.refreshToken, tokens.refreshToken)
        assertEquals(3600uL, tokens.expiresIn)
        assertEquals("Bearer", tokens.tokenType)
        assertEquals(DeviceOutcome.NoNewDevice, done.result.device)
        assertTrue(session.isOver())
        assertEquals("alice", session.status().username)
        val again = assertFailsWith<CognitoAuthException.InvalidState> { session.answer(ChallengeAnswer.TotpCode(code)) }
        assertTrue(again.reason.isNotBlank())
    }

    h.test("deterministic sign-in: wrong password is refused by the proof check (Service NotAuthorized, no leak)") {
        val wrong = "Wrong-Horse-9!"
        val session = SignInSession.newForTesting(config(), srp(password = wrong), entropy(4), T0.toULong())
        val hops = mutableListOf<Hop>()
        val e = assertFailsWith<CognitoAuthException.Service> { drive(session, session.start(), pool(), hops) }
        assertEquals(ServiceErrorKind.NOT_AUTHORIZED, e.kind)
        assertEquals("NotAuthorizedException", e.code)
        assertEquals(400.toUShort(), e.status)
        assertEquals("Incorrect username or password.", e.serviceMessage)
        assertFalse(e.stepStillOpen)
        assertFalse(e.retryable)
        assertNoSecrets(e, wrong, PASSWORD)
        assertEquals(listOf(400), hops.drop(1).map { it.status })
        assertTrue(session.isOver())
    }

    h.test("deterministic sign-in: a wrong TOTP code keeps the step open, the right one signs in") {
        val pool = pool()
        val session = SignInSession.newForTesting(config(), srp(), entropy(5), T0.toULong())
        val hops = mutableListOf<Hop>()
        val step = assertIs<SignInStep.ConfirmSignInWithTotpCode>(drive(session, session.start(), pool, hops))
        val right = totpCode(TOTP_SECRET, T0.toULong())
        val wrongCode = if (right == "000000") "111111" else "000000"
        val e = assertFailsWith<CognitoAuthException.Service> {
            drive(session, session.answer(ChallengeAnswer.TotpCode(wrongCode)), pool, hops)
        }
        assertEquals(ServiceErrorKind.CODE_MISMATCH, e.kind)
        assertTrue(e.stepStillOpen)
        assertNoSecrets(e, wrongCode, PASSWORD)
        assertFalse(session.isOver())
        assertEquals(step, session.status().pendingStep)
        assertIs<SignInStep.Done>(drive(session, session.answer(ChallengeAnswer.TotpCode(right)), pool, hops))
    }

    h.test("snapshot/restore: the TOTP step survives a restart and completes") {
        val pool = pool()
        val session = SignInSession.newForTesting(config(), srp(), entropy(6), T0.toULong())
        val waiting = drive(session, session.start(), pool, mutableListOf())
        val snapshot = session.snapshot()
        assertTrue(snapshot.value.isNotBlank())
        assertFalse(snapshot.value.contains(PASSWORD), "a snapshot holds no password")
        session.close()

        val later = T0 + 20
        pool.now = later
        val restored = SignInSession.restoreForTesting(config(), snapshot.value, RestoreOptions(), entropy(7), later.toULong())
        assertEquals(waiting, restored.status().pendingStep)
        assertEquals("alice", restored.status().username)
        assertFailsWith<CognitoAuthException.InvalidState> { restored.start() }
        val code = totpCode(TOTP_SECRET, later.toULong())
        val done = assertIs<SignInStep.Done>(drive(restored, restored.answer(ChallengeAnswer.TotpCode(code)), pool, mutableListOf()))
        assertEquals(pool.accessToken, done.result.tokens.accessToken)
    }

    h.test("snapshot/restore: expired, tampered and other-client snapshots are typed Snapshot errors") {
        val session = SignInSession.newForTesting(config(), srp(), entropy(8), T0.toULong())
        drive(session, session.start(), pool(), mutableListOf())
        val value = session.snapshot().value
        val expired = assertFailsWith<CognitoAuthException.Snapshot> {
            SignInSession.restoreForTesting(config(), value, RestoreOptions(maxAgeSecs = 180uL), entropy(9), (T0 + 181).toULong())
        }
        assertTrue(expired.expired)
        val tampered = value.substring(0, value.length / 2) + (if (value[value.length / 2] == 'A') 'B' else 'A') + value.substring(value.length / 2 + 1)
        val damaged = assertFailsWith<CognitoAuthException.Snapshot> {
            SignInSession.restoreForTesting(config(), tampered, RestoreOptions(), entropy(9), T0.toULong())
        }
        assertFalse(damaged.expired)
        assertFailsWith<CognitoAuthException.Snapshot> {
            SignInSession.restoreForTesting(config().copy(clientId = "another-client-id"), value, RestoreOptions(), entropy(9), T0.toULong())
        }
        assertFailsWith<CognitoAuthException.Snapshot> { SignInSession.restore(config(), "garbage", RestoreOptions()) }
    }

    h.test("USER_PASSWORD_AUTH: canned refusal is Service NotAuthorized; the message does not leak the password") {
        val secretPassword = "Very-Secret-Pw-42!"
        val session = SignInSession.newForTesting(
            config(), SignInCredentials("alice", AuthFlow.UserPassword, password = secretPassword), entropy(10), T0.toULong(),
        )
        val request = assertIs<SignInStep.SendRequest>(session.start()).request
        assertEquals("USER_PASSWORD_AUTH", Json.obj(request.body)["AuthFlow"])
        val e = assertFailsWith<CognitoAuthException.Service> {
            session.handleResponse(
                400u,
                """{"__type":"NotAuthorizedException","message":"Incorrect username or password."}""".toByteArray(),
                "NotAuthorizedException",
            )
        }
        assertEquals(ServiceErrorKind.NOT_AUTHORIZED, e.kind)
        assertNoSecrets(e, secretPassword)
        assertTrue(session.isOver())
    }
}

fun secretRedactionTests(h: Harness) {
    h.test("secrets: toString of records holding secrets never shows them (Kotlin string templates, logs)") {
        val pw = "Pw-In-Logs-Would-Be-Bad-1!"
        val clientSecret = "client-secret-abcdefghijklmnopqrstuvwxyz0123456789"
        val credentials = SignInCredentials("alice", AuthFlow.UserPassword, password = pw)
        val config = ClientConfig(POOL_ID, CLIENT_ID, clientSecret = clientSecret)
        val session = SignInSession.newForTesting(config, credentials, entropy(20), T0.toULong())
        val step = assertIs<SignInStep.SendRequest>(session.start())
        assertTrue(step.request.body.contains(pw), "the request body itself carries the password")
        val tokens = AuthTokens(accessToken = "access.token.value", idToken = "id.token.value", refreshToken = "refresh-token-value", expiresIn = 3600uL, tokenType = "Bearer", newDeviceMetadata = null)
        val device = RememberedDevice(deviceKey = "us-east-1_dev", deviceGroupKey = "grp", devicePassword = "device-password-value")
        val setup = TotpSetupDetails(sharedSecret = TOTP_SECRET, username = "alice")
        val rendered = listOf(
            "$credentials", "$config", "$step", "${step.request}", "$tokens", "$device", "$setup",
            "${ChallengeAnswer.TotpCode("123456")}", "${ChallengeAnswer.NewPassword(pw, mapOf())}",
            "${RestoreOptions(password = pw)}",
        )
        for (text in rendered) {
            for (secret in listOf(pw, clientSecret, "access.token.value", "refresh-token-value", "device-password-value", TOTP_SECRET, "123456")) {
                assertFalse(text.contains(secret), "toString shows a secret: ${text.take(60)}…")
            }
        }
        assertTrue(rendered[0].contains("alice"), "non-secret fields stay visible: ${rendered[0]}")
        val waiting = SignInSession.newForTesting(config(), srp(), entropy(21), T0.toULong())
        drive(waiting, waiting.start(), pool(), mutableListOf())
        val snapshot = waiting.snapshot()
        assertFalse("$snapshot".contains(snapshot.value), "a snapshot prints redacted")
    }
}

fun errorTests(h: Harness) {
    h.test("errors: bad configuration and arguments are InvalidInput naming the field") {
        val badPool = assertFailsWith<CognitoAuthException.InvalidInput> {
            SignInSession(ClientConfig(userPoolId = "not a pool id", clientId = CLIENT_ID), srp())
        }
        assertEquals("user_pool_id", badPool.what)
        val noPassword = assertFailsWith<CognitoAuthException.InvalidInput> { SignInSession(config(), srp(password = null)) }
        assertEquals("password", noPassword.what)
        val badEndpoint = assertFailsWith<CognitoAuthException.InvalidInput> {
            SignInSession(config().copy(endpointUrl = "ftp://example.com/"), srp())
        }
        assertEquals("endpoint_url", badEndpoint.what)
        val shortEntropy = assertFailsWith<CognitoAuthException.InvalidInput> {
            SignInSession.newForTesting(config(), srp(), ByteArray(31), T0.toULong())
        }
        assertEquals("entropy", shortEntropy.what)
        for (e in listOf(badPool, noPassword, badEndpoint, shortEntropy)) assertNoSecrets(e, PASSWORD)
    }

    h.test("errors: calls out of order are InvalidState; test-only calls refuse normal sessions") {
        val session = SignInSession.newForTesting(config(), srp(), entropy(11), T0.toULong())
        assertFailsWith<CognitoAuthException.InvalidState> { session.handleResponse(200u, "{}".toByteArray(), null) }
        assertFailsWith<CognitoAuthException.InvalidState> { session.snapshot() }
        session.start()
        assertFailsWith<CognitoAuthException.InvalidState> { session.start() }
        assertFailsWith<CognitoAuthException.InvalidState> { session.answer(ChallengeAnswer.TotpCode("123456")) }
        val normal = SignInSession(config(), srp())
        assertFailsWith<CognitoAuthException.InvalidState> { normal.setTimeForTesting(T0.toULong()) }
    }

    h.test("errors: a 2xx body that is not Cognito's is an UnexpectedResponse error; a bad SRP_B an Srp error") {
        val session = SignInSession.newForTesting(config(), srp(), entropy(12), T0.toULong())
        session.start()
        assertFailsWith<CognitoAuthException.UnexpectedResponse> { session.handleResponse(200u, "<html>proxy login</html>".toByteArray(), null) }

        val zeroB = SignInSession.newForTesting(config(), srp(), entropy(13), T0.toULong())
        zeroB.start()
        val body = """{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab12","SRP_B":"${SrpServer.N.toString(16)}",""" +
            """"SECRET_BLOCK":"c2VjcmV0","USER_ID_FOR_SRP":"alice","USERNAME":"alice"}}"""
        val e = assertFailsWith<CognitoAuthException.Srp> { zeroB.handleResponse(200u, body.toByteArray(), null) }
        assertNoSecrets(e, PASSWORD)
    }

    h.test("errors: a throttled answer is a retryable Service error") {
        val session = SignInSession.newForTesting(config(), srp(), entropy(14), T0.toULong())
        session.start()
        val e = assertFailsWith<CognitoAuthException.Service> {
            session.handleResponse(400u, """{"__type":"TooManyRequestsException","message":"Rate exceeded"}""".toByteArray(), null)
        }
        assertEquals(ServiceErrorKind.TOO_MANY_REQUESTS, e.kind)
        assertTrue(e.retryable)
    }
}
