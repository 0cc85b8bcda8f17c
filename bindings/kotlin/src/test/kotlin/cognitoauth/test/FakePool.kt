package cognitoauth.test

import cognitoauth.HttpRequest
import java.nio.ByteBuffer
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * A one-user Cognito pool in memory, for deterministic sign-ins: it answers the requests the
 * library hands out with responses derived from its own state (SRP verifier, TOTP secret),
 * checking what a real pool checks: the SRP proof ([SrpServer]), the TIMESTAMP format, the
 * echoed Session, the TOTP code (computed here, independently of the library).
 */
class FakePool(
    val userPoolId: String,
    val clientId: String,
    val username: String,
    private val password: String,
    val totpSecretBase32: String?,
    var now: Long,
) : Transport {
    val poolName = userPoolId.substringAfter('_')
    private val srpUser = FakeSrpUser(poolName, username, password)
    val requests = mutableListOf<Map<String, Any?>>()
    private var sessionCounter = 0
    private var openSession: String? = null
    val accessToken = fakeJwt("""{"sub":"sub-$username","username":"$username","token_use":"access","client_id":"$clientId","exp":${now + 3600},"iat":$now}""")
    val idToken = fakeJwt("""{"sub":"sub-$username","cognito:username":"$username","token_use":"id","aud":"$clientId","exp":${now + 3600},"iat":$now}""")
    val refreshToken = "refresh-" + "r".repeat(40)

    override fun send(request: HttpRequest): Answer {
        assertEquals("POST", request.method)
        val headers = request.headers.mapKeys { it.key.lowercase() }
        assertEquals("application/x-amz-json-1.1", headers["content-type"])
        assertEquals("AWSCognitoIdentityProviderService.${request.operation}", headers["x-amz-target"])
        val body = Json.obj(request.body)
        requests += body
        assertEquals(clientId, body["ClientId"], "ClientId")
        return when (request.operation) {
            "InitiateAuth" -> initiate(body)
            "RespondToAuthChallenge" -> respond(body)
            else -> error("FakePool does not serve ${request.operation}")
        }
    }

    @Suppress("UNCHECKED_CAST")
    private fun initiate(body: Map<String, Any?>): Answer {
        val params = body["AuthParameters"] as Map<String, String>
        return when (body["AuthFlow"]) {
            "USER_SRP_AUTH" -> {
                assertEquals(username, params["USERNAME"])
                assertTrue(params["SRP_A"]!!.matches(Regex("[0-9a-f]+")), "SRP_A is lower-case hex")
                challenge(
                    "PASSWORD_VERIFIER",
                    mapOf(
                        "SALT" to srpUser.saltHex,
                        "SRP_B" to srpUser.publicB.toString(16),
                        "SECRET_BLOCK" to srpUser.secretBlock,
                        "USER_ID_FOR_SRP" to username,
                        "USERNAME" to username,
                    ),
                ).also { pendingSrpA = params["SRP_A"] }
            }
            "USER_PASSWORD_AUTH" ->
                if (params["PASSWORD"] == password) afterPassword() else notAuthorized()
            else -> error("FakePool does not serve ${body["AuthFlow"]}")
        }
    }

    private var pendingSrpA: String? = null

    @Suppress("UNCHECKED_CAST")
    private fun respond(body: Map<String, Any?>): Answer {
        val responses = body["ChallengeResponses"] as Map<String, String>
        assertEquals(username, responses["USERNAME"])
        assertEquals(openSession, body["Session"], "the library echoes the challenge's Session")
        return when (body["ChallengeName"]) {
            "PASSWORD_VERIFIER" -> {
                val timestamp = responses["TIMESTAMP"]!!
                assertEquals(SrpServer.timestamp(now), timestamp, "TIMESTAMP from the library's clock")
                val ok = srpUser.accepts(
                    pendingSrpA!!, timestamp, responses["PASSWORD_CLAIM_SECRET_BLOCK"]!!, responses["PASSWORD_CLAIM_SIGNATURE"]!!,
                ) && responses["PASSWORD_CLAIM_SECRET_BLOCK"] == srpUser.secretBlock
                if (ok) afterPassword() else notAuthorized()
            }
            "SOFTWARE_TOKEN_MFA" ->
                if (responses["SOFTWARE_TOKEN_MFA_CODE"] == KotlinTotp.code(totpSecretBase32!!, now)) tokens()
                else error(400, "CodeMismatchException", "Invalid code received for user")
            else -> error("FakePool does not serve ${body["ChallengeName"]}")
        }
    }

    private fun afterPassword(): Answer =
        if (totpSecretBase32 != null) challenge("SOFTWARE_TOKEN_MFA", mapOf("FRIENDLY_DEVICE_NAME" to "phone", "USER_ID_FOR_SRP" to username))
        else tokens()

    private fun challenge(name: String, params: Map<String, String>): Answer {
        val session = "session-${++sessionCounter}-" + "x".repeat(20)
        openSession = session
        val p = params.entries.joinToString(",") { "${Json.quote(it.key)}:${Json.quote(it.value)}" }
        return ok("""{"ChallengeName":"$name","Session":"$session","ChallengeParameters":{$p}}""")
    }

    private fun tokens(): Answer {
        openSession = null
        return ok(
            """{"AuthenticationResult":{"AccessToken":"$accessToken","IdToken":"$idToken",""" +
                """"RefreshToken":"$refreshToken","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}""",
        )
    }

    private fun notAuthorized() = error(400, "NotAuthorizedException", "Incorrect username or password.")

    private fun ok(json: String) = Answer(200, json.toByteArray(), null)

    private fun error(status: Int, type: String, message: String) =
        Answer(status, """{"__type":"$type","message":"$message"}""".toByteArray(), type)
}

/** RFC 6238 (HMAC-SHA1, 30 s, 6 digits) written here, to check the library's codes. */
object KotlinTotp {
    fun code(secretBase32: String, unixTime: Long): String {
        val mac = Mac.getInstance("HmacSHA1")
        mac.init(SecretKeySpec(base32(secretBase32), "HmacSHA1"))
        val digest = mac.doFinal(ByteBuffer.allocate(8).putLong(unixTime / 30).array())
        val offset = digest.last().toInt() and 0x0f
        val value = ByteBuffer.wrap(digest, offset, 4).int and 0x7fffffff
        return (value % 1_000_000).toString().padStart(6, '0')
    }

    private fun base32(text: String): ByteArray {
        val alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        var buffer = 0
        var bits = 0
        val out = java.io.ByteArrayOutputStream()
        for (c in text.uppercase().trimEnd('=')) {
            val v = alphabet.indexOf(c)
            require(v >= 0) { "not base32" }
            buffer = (buffer shl 5) or v
            bits += 5
            if (bits >= 8) {
                bits -= 8
                out.write((buffer shr bits) and 0xff)
            }
        }
        return out.toByteArray()
    }
}

/** 32 distinct, reproducible entropy bytes for a test session. */
fun entropy(seed: Int): ByteArray = ByteArray(32) { (seed + it).toByte() }
