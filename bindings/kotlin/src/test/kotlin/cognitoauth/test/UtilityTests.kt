package cognitoauth.test

import cognitoauth.CognitoAuthException
import cognitoauth.TokenUse
import cognitoauth.jwtClaims
import cognitoauth.phoneNumberNormalize
import cognitoauth.phoneNumberParse
import cognitoauth.secretHash
import java.util.Base64
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

fun utilityTests(h: Harness) {
    h.test("secret hash: known answers from the core's secret_hash_vectors.tsv") {
        val rows = CoreTestData.tsv("secret_hash_vectors.tsv", header = false)
        assertTrue(rows.size >= 5, "rows: ${rows.size}")
        for (row in rows) {
            val (username, clientId, clientSecret) = row.take(3).map { it.removeSurrounding("'") }
            assertEquals(row[4], secretHash(username, clientId, clientSecret), "SECRET_HASH of '$username'")
        }
    }

    h.test("phone number: E.164 parse and normalise") {
        val parsed = phoneNumberParse("+14155552671")
        assertEquals("+14155552671", parsed.e164)
        assertEquals(1.toUShort(), parsed.countryCallingCode)
        assertEquals("4155552671", parsed.nationalSignificantNumber)

        val uk = phoneNumberNormalize("+44 (0)20 7946 0958".replace("(0)", ""))
        assertEquals("+442079460958", uk.e164)
        assertEquals(44.toUShort(), uk.countryCallingCode)

        val national = phoneNumberNormalize("(415) 555-2671", defaultCallingCode = 1u)
        assertEquals("+14155552671", national.e164)
    }

    h.test("phone number: a 40-digit number and junk are typed PhoneNumber errors") {
        val forty = "+" + "1234567890".repeat(4)
        val e = assertFailsWith<CognitoAuthException.PhoneNumber> { phoneNumberParse(forty) }
        assertTrue(e.reason.isNotBlank())
        assertFailsWith<CognitoAuthException.PhoneNumber> { phoneNumberNormalize(forty) }
        assertFailsWith<CognitoAuthException.PhoneNumber> { phoneNumberParse("4155552671") } // no +
        assertFailsWith<CognitoAuthException.PhoneNumber> { phoneNumberParse("+1 415 CALL NOW") }
        assertFailsWith<CognitoAuthException.PhoneNumber> { phoneNumberParse("") }
    }

    h.test("jwt claims: read from an unsigned token; malformed tokens are Jwt errors") {
        val token = fakeJwt("""{"sub":"s-1","username":"alice","token_use":"access","client_id":"c1","exp":1800003600,"iat":1800000000,"iss":"https://example"}""")
        val claims = jwtClaims(token)
        assertEquals("s-1", claims.sub)
        assertEquals("alice", claims.username)
        assertEquals(TokenUse.Access, claims.tokenUse)
        assertEquals("c1", claims.clientId)
        assertEquals(1800003600uL, claims.exp)
        assertEquals(1800000000uL, claims.iat)
        assertNull(jwtClaims(fakeJwt("""{"sub":"s","exp":1}""")).username)
        assertFailsWith<CognitoAuthException.Jwt> { jwtClaims("not-a-jwt") }
        assertFailsWith<CognitoAuthException.Jwt> { jwtClaims(fakeJwt("""{"sub":"s"}""")) } // no exp
    }
}

/** An unsigned JWT with `payload` (the library reads claims, it does not verify signatures). */
fun fakeJwt(payload: String): String {
    val enc = Base64.getUrlEncoder().withoutPadding()
    return enc.encodeToString("""{"alg":"none","typ":"JWT"}""".toByteArray()) + "." +
        enc.encodeToString(payload.toByteArray()) + ".c2ln"
}
