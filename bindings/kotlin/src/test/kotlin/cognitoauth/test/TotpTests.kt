package cognitoauth.test

import cognitoauth.CognitoAuthException
import cognitoauth.OtpType
import cognitoauth.OtpauthUri
import cognitoauth.TotpAlgorithm
import cognitoauth.TotpErrorKind
import cognitoauth.TotpParameters
import cognitoauth.TotpSetupDetails
import cognitoauth.cognitoTotpParameters
import cognitoauth.otpauthUriBuild
import cognitoauth.otpauthUriParse
import cognitoauth.totpCode
import cognitoauth.totpSetupUri
import cognitoauth.totpVerify
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

fun totpTests(h: Harness) {
    // RFC 6238 Appendix B and RFC 4226 Appendix D, from the core's totp_vectors.tsv
    // (verified there against pyotp and oathtool).
    h.test("totp: RFC 6238 vectors (SHA1/SHA256/SHA512, 8 digits) and RFC 4226 HOTP vectors") {
        val rows = CoreTestData.tsv("totp_vectors.tsv")
        assertTrue(rows.size >= 28, "expected the RFC tables, got ${rows.size} rows")
        for (row in rows) {
            val (kind, mode, _, seedBase32, timeOrCounter, _, expected) = Row7(row)
            val algorithm = TotpAlgorithm.valueOf(mode)
            val code = if (kind == "totp") {
                totpCode(seedBase32, timeOrCounter.toULong(), TotpParameters(algorithm, expected.length.toUByte(), 30uL))
            } else {
                // HOTP(counter) is TOTP at time counter*30 with a 30 s period.
                totpCode(seedBase32, timeOrCounter.toULong() * 30uL, TotpParameters(algorithm, expected.length.toUByte(), 30uL))
            }
            assertEquals(expected, code, "$kind $mode at $timeOrCounter")
        }
    }

    h.test("totp: Cognito parameters are SHA1, 6 digits, 30 s and are the default") {
        assertEquals(TotpParameters(TotpAlgorithm.SHA1, 6u, 30uL), cognitoTotpParameters())
        val seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
        // The 6-digit code is the last 6 digits of the RFC's 8-digit SHA1 code.
        assertEquals("287082", totpCode(seed, 59uL))
        assertEquals("081804", totpCode(seed, 1111111109uL))
        assertEquals("279037", totpCode(seed, 2000000000uL))
        // Lower case and spaces are accepted as authenticator apps show them.
        assertEquals("287082", totpCode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", 59uL))
    }

    h.test("totp: verify returns the matched step, refuses a replay and a wrong code") {
        val seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        val t = 1111111109uL
        val step = totpVerify(seed, "081804", t)
        assertEquals(t / 30uL, step)
        // One step of skew either side by default.
        assertEquals(t / 30uL, totpVerify(seed, "081804", t + 30uL))
        val replay = assertFailsWith<CognitoAuthException.Totp> { totpVerify(seed, "081804", t, lastUsedStep = step) }
        assertEquals(TotpErrorKind.CODE_REPLAYED, replay.kind)
        val wrong = assertFailsWith<CognitoAuthException.Totp> { totpVerify(seed, "000000", t, skew = 0u) }
        assertEquals(TotpErrorKind.CODE_MISMATCH, wrong.kind)
        val malformed = assertFailsWith<CognitoAuthException.Totp> { totpVerify(seed, "12ab56", t) }
        assertEquals(TotpErrorKind.MALFORMED_CODE, malformed.kind)
    }

    h.test("totp: bad base32 secret is a typed InvalidSecret error") {
        for (bad in listOf("not base32!", "GEZDGNBV1", "")) {
            val e = assertFailsWith<CognitoAuthException.Totp>("secret '$bad'") { totpCode(bad, 59uL) }
            assertEquals(TotpErrorKind.INVALID_SECRET, e.kind, "secret '$bad'")
            assertTrue(e.reason.isNotBlank())
        }
    }

    h.test("otpauth: parse a Key Uri Format example, build it back, round trip") {
        // The shape of Google Authenticator's "Key Uri Format" example, with a 160-bit secret
        // (its 80-bit JBSWY3DPEHPK3PXP is below RFC 4226's 128-bit minimum; see the next test).
        val uri = "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example"
        val parsed = otpauthUriParse(uri)
        assertEquals(OtpType.Totp(30uL), parsed.otpType)
        assertEquals("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", parsed.secretBase32)
        assertEquals("Example", parsed.issuer)
        assertEquals("alice@google.com", parsed.accountName)
        assertEquals(TotpAlgorithm.SHA1, parsed.algorithm)
        assertEquals(6.toUByte(), parsed.digits)
        assertEquals(parsed, otpauthUriParse(otpauthUriBuild(parsed)))

        val custom = OtpauthUri(
            otpType = OtpType.Hotp(42uL),
            secretBase32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            issuer = "ACME Co & Sons",
            accountName = "jo+sé@example.com",
            algorithm = TotpAlgorithm.SHA256,
            digits = 8u,
        )
        val built = otpauthUriBuild(custom)
        assertTrue(built.startsWith("otpauth://hotp/"), built)
        assertTrue(!built.contains(' '), "spaces are percent-encoded: $built")
        assertEquals(custom, otpauthUriParse(built))
    }

    h.test("otpauth: bad base32, wrong scheme and missing secret are typed errors") {
        val badSecret = assertFailsWith<CognitoAuthException.OtpauthUri> {
            otpauthUriParse("otpauth://totp/Example:alice?secret=NOT-BASE32!&issuer=Example")
        }
        assertTrue(badSecret.reason.contains("secret"), "names the secret parameter: ${badSecret.reason}")
        val short = assertFailsWith<CognitoAuthException.OtpauthUri> {
            otpauthUriParse("otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example")
        }
        assertTrue(short.reason.contains("128"), "an 80-bit secret is refused with the RFC 4226 minimum: ${short.reason}")
        assertFailsWith<CognitoAuthException.OtpauthUri> { otpauthUriParse("https://example.com/?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP") }
        assertFailsWith<CognitoAuthException.OtpauthUri> { otpauthUriParse("otpauth://totp/Example:alice?issuer=Example") }
    }

    h.test("otpauth: setup URI from Cognito's AssociateSoftwareToken secret") {
        val details = TotpSetupDetails(sharedSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", username = "alice")
        val parsed = otpauthUriParse(totpSetupUri(details, "My App"))
        assertEquals(details.sharedSecret, parsed.secretBase32)
        assertEquals("My App", parsed.issuer)
        assertEquals("alice", parsed.accountName)
        assertEquals(OtpType.Totp(30uL), parsed.otpType)
        assertEquals(6.toUByte(), parsed.digits)
        val named = otpauthUriParse(totpSetupUri(details, "My App", accountName = "alice@example.com"))
        assertEquals("alice@example.com", named.accountName)
    }
}

/** A TSV row of totp_vectors.tsv as seven named columns. */
private class Row7(val cells: List<String>) {
    init { require(cells.size == 7) { "totp_vectors.tsv row has ${cells.size} columns: $cells" } }
    operator fun component1() = cells[0]
    operator fun component2() = cells[1]
    operator fun component3() = cells[2]
    operator fun component4() = cells[3]
    operator fun component5() = cells[4]
    operator fun component6() = cells[5]
    operator fun component7() = cells[6]
}
