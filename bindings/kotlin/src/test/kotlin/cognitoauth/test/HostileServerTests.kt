package cognitoauth.test

import cognitoauth.AuthFlow
import cognitoauth.ClientConfig
import cognitoauth.CognitoAuthException
import cognitoauth.RememberedDevice
import cognitoauth.RestoreOptions
import cognitoauth.SignInCredentials
import cognitoauth.SignInSession
import cognitoauth.SignInStep
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue

private const val HOSTILE_POOL = "us-east-1_Abc123XyZ"
private const val HOSTILE_CLIENT = "1example23456789abcdefghij"
private const val HOSTILE_PASSWORD = "Correct-Horse-9!"

private fun hostileSession(device: Boolean = false) = SignInSession(
    ClientConfig(userPoolId = HOSTILE_POOL, clientId = HOSTILE_CLIENT),
    SignInCredentials(
        username = "alice",
        flow = AuthFlow.UserSrp,
        password = HOSTILE_PASSWORD,
        device = if (device) RememberedDevice("us-east-1_0a1b2c3d-1111", "-abcdEFGH", "device-password") else null,
    ),
)

private fun challengeBody(name: String, parameters: String = "{}") =
    """{"ChallengeName":"$name","Session":"S","ChallengeParameters":$parameters}""".toByteArray()

private val verifierBody = challengeBody(
    "PASSWORD_VERIFIER",
    """{"SALT":"8ce8291892390f6b53a245933faf6164","SRP_B":"abcdef0123456789","SECRET_BLOCK":"c2VjcmV0","USERNAME":"alice","USER_ID_FOR_SRP":"alice"}""",
)

private fun sentPassword(body: String): Boolean {
    val parsed = Json.obj(body)
    @Suppress("UNCHECKED_CAST")
    val parameters = (parsed["AuthParameters"] ?: parsed["ChallengeResponses"] ?: emptyMap<String, Any?>()) as Map<String, Any?>
    return parameters.containsKey("PASSWORD") || body.contains(HOSTILE_PASSWORD)
}

/** A server that lies (a wrong endpoint, a compromised proxy): the policy is the core's. */
fun hostileServerTests(h: Harness) {
    for (name in listOf("PASSWORD", "PASSWORD_SRP", "SELECT_CHALLENGE")) {
        h.test("hostile server: an SRP sign-in asked for $name sends nothing and ends") {
            val session = hostileSession()
            val first = assertIs<SignInStep.SendRequest>(session.start())
            assertFalse(sentPassword(first.request.body))
            val e = assertFailsWith<CognitoAuthException.UnsupportedChallenge> {
                session.handleResponse(200u, challengeBody(name), null)
            }
            assertEquals(name, e.challenge)
            assertTrue(e.reason.contains("USER_SRP_AUTH"), e.reason)
            if (name == "PASSWORD") assertTrue(e.reason.contains("plaintext password"), e.reason)
            assertTrue(session.isOver())
        }
    }

    h.test("hostile server: PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> PASSWORD_VERIFIER gets one claim") {
        val session = hostileSession(device = true)
        session.start()
        val claim = assertIs<SignInStep.SendRequest>(session.handleResponse(200u, verifierBody, null))
        assertEquals("PASSWORD_VERIFIER", Json.obj(claim.request.body)["ChallengeName"])
        val device = assertIs<SignInStep.SendRequest>(session.handleResponse(200u, challengeBody("DEVICE_SRP_AUTH"), null))
        assertEquals("DEVICE_SRP_AUTH", Json.obj(device.request.body)["ChallengeName"])
        val e = assertFailsWith<CognitoAuthException.UnsupportedChallenge> {
            session.handleResponse(200u, verifierBody, null)
        }
        assertEquals("PASSWORD_VERIFIER", e.challenge)
        assertTrue(session.isOver())
    }

    h.test("hostile server: a sealed snapshot refuses another key and a short key") {
        val session = hostileSession()
        session.start()
        session.handleResponse(200u, verifierBody, null)
        assertIs<SignInStep.ConfirmSignInWithSmsMfaCode>(session.handleResponse(200u, challengeBody("SMS_MFA"), null))
        val key = ByteArray(32) { it.toByte() }
        val sealed = session.snapshotSealed(key)
        assertTrue(sealed.value.startsWith("cognito-auth-sign-in-sealed.v1."))
        val options = RestoreOptions(maxAgeSecs = 180uL, device = null, password = null)
        val restored = SignInSession.restoreSealed(ClientConfig(userPoolId = HOSTILE_POOL, clientId = HOSTILE_CLIENT), sealed.value, key, options)
        assertIs<SignInStep.ConfirmSignInWithSmsMfaCode>(restored.status().pendingStep)
        assertFailsWith<CognitoAuthException.Snapshot> {
            SignInSession.restoreSealed(ClientConfig(userPoolId = HOSTILE_POOL, clientId = HOSTILE_CLIENT), sealed.value, ByteArray(32), options)
        }
        assertFailsWith<CognitoAuthException.InvalidInput> { session.snapshotSealed(ByteArray(8)) }
    }
}
