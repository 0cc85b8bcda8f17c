// TOTP (RFC 6238) and otpauth:// URIs through the Swift bindings.
import XCTest
import CognitoAuth

final class TotpTests: XCTestCase {
    // RFC 6238 Appendix B: 8 digits, 30 s steps, T0 = 0. The seeds are the ASCII strings
    // "1234567890" repeated to 20 (SHA-1), 32 (SHA-256) and 64 (SHA-512) bytes, base32-encoded.
    static let seedSha1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    static let seedSha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"
    static let seedSha512 =
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA"

    static let rfc6238: [(time: UInt64, sha1: String, sha256: String, sha512: String)] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ]

    func testRfc6238AppendixBVectors() throws {
        let seeds: [(TotpAlgorithm, String)] = [(.sha1, Self.seedSha1), (.sha256, Self.seedSha256), (.sha512, Self.seedSha512)]
        for (algorithm, seed) in seeds {
            let parameters = TotpParameters(algorithm: algorithm, digits: 8, periodSecs: 30)
            for vector in Self.rfc6238 {
                let expected = algorithm == .sha1 ? vector.sha1 : algorithm == .sha256 ? vector.sha256 : vector.sha512
                let code = try totpCode(secretBase32: seed, unixTime: vector.time, parameters: parameters)
                XCTAssertEqual(code, expected, "\(algorithm) at T=\(vector.time)")
            }
        }
    }

    func testRfc4226AppendixDHotpValuesAsTotpAtCounterTimes30() throws {
        // HOTP(counter) is TOTP at time counter * 30 with 30 s steps (6 digits, SHA-1).
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        for (counter, code) in expected.enumerated() {
            XCTAssertEqual(try totpCode(secretBase32: Self.seedSha1, unixTime: UInt64(counter) * 30), code, "counter \(counter)")
        }
        // Lower case and spaces, as authenticator apps show secrets, are accepted.
        XCTAssertEqual(try totpCode(secretBase32: "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", unixTime: 59), "287082")
    }

    func testCognitoDefaultsAreSixDigitSha1ThirtySeconds() throws {
        XCTAssertEqual(try cognitoTotpParameters(), TotpParameters(algorithm: .sha1, digits: 6, periodSecs: 30))
        // The 6-digit code is the 8-digit RFC value mod 10^6.
        XCTAssertEqual(try totpCode(secretBase32: Self.seedSha1, unixTime: 59), "287082")
        XCTAssertEqual(try totpCode(secretBase32: Self.seedSha1, unixTime: 1_111_111_109), "081804")
    }

    func testVerifyAcceptsTheCodeWithinSkewAndRefusesReplayAndWrongCodes() throws {
        // T=59 is time step 1; one step of skew accepts it at T=89 (step 2) too.
        XCTAssertEqual(try totpVerify(secretBase32: Self.seedSha1, code: "287082", unixTime: 59), 1)
        XCTAssertEqual(try totpVerify(secretBase32: Self.seedSha1, code: "287082", unixTime: 89), 1)

        guard case .Totp(let replayed, _)? = cognitoError({
            try totpVerify(secretBase32: Self.seedSha1, code: "287082", unixTime: 59, lastUsedStep: 1)
        }) else { return XCTFail("replay not refused") }
        XCTAssertEqual(replayed, .codeReplayed)

        guard case .Totp(let wrong, _)? = cognitoError({
            try totpVerify(secretBase32: Self.seedSha1, code: "000000", unixTime: 59)
        }) else { return XCTFail("wrong code not refused") }
        XCTAssertEqual(wrong, .codeMismatch)

        guard case .Totp(let short, _)? = cognitoError({
            try totpVerify(secretBase32: Self.seedSha1, code: "28708", unixTime: 59)
        }) else { return XCTFail("5-digit code not refused") }
        XCTAssertEqual(short, .malformedCode)
    }

    func testBadSecretsAndParametersAreTypedErrors() throws {
        for secret in ["1NVALID!", "", "ABC"] {
            guard case .Totp(let kind, let reason)? = cognitoError({ try totpCode(secretBase32: secret, unixTime: 59) })
            else { return XCTFail("secret \(secret.debugDescription) accepted") }
            XCTAssertEqual(kind, .invalidSecret, reason)
            XCTAssertFalse(reason.isEmpty)
        }
        let nineDigits = TotpParameters(algorithm: .sha1, digits: 9, periodSecs: 30)
        guard case .Totp(let kind, _)? = cognitoError({
            try totpCode(secretBase32: Self.seedSha1, unixTime: 59, parameters: nineDigits)
        }) else { return XCTFail("9 digits accepted") }
        XCTAssertEqual(kind, .invalidParameters)
    }

    func testOtpauthUriRoundTrip() throws {
        // The example of the Key Uri Format (Google Authenticator wiki), with every parameter.
        let text = "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
            + "&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60"
        let uri = try otpauthUriParse(uri: text)
        XCTAssertEqual(uri.otpType, .totp(periodSecs: 60))
        XCTAssertEqual(uri.secretBase32, "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ")
        XCTAssertEqual(uri.issuer, "ACME Co")
        XCTAssertEqual(uri.accountName, "john.doe@email.com")
        XCTAssertEqual(uri.algorithm, .sha256)
        XCTAssertEqual(uri.digits, 8)

        let built = try otpauthUriBuild(uri: uri)
        XCTAssertEqual(built, text)
        XCTAssertEqual(try otpauthUriParse(uri: built), uri)
    }

    func testOtpauthUriWithBadBase32IsAnOtpauthUriError() throws {
        let text = "otpauth://totp/Example:alice?secret=1NVALID8JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Example"
        guard case .OtpauthUri(let reason)? = cognitoError({ try otpauthUriParse(uri: text) }) else {
            return XCTFail("bad base32 accepted")
        }
        XCTAssertTrue(reason.contains("base32"), reason)
        for other in [
            "https://example.com/?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",  // not otpauth://
            "otpauth://totp/Example:alice?issuer=Example",  // no secret
            "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example",  // 80 bits < 128
        ] {
            guard case .OtpauthUri? = cognitoError({ try otpauthUriParse(uri: other) }) else {
                return XCTFail("\(other) accepted")
            }
        }
    }

    func testTotpSetupUriForAnAuthenticatorApp() throws {
        let details = TotpSetupDetails(sharedSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", username: "alice")
        let text = try totpSetupUri(details: details, appName: "My App", accountName: "alice@example.com")
        let uri = try otpauthUriParse(uri: text)
        XCTAssertEqual(uri.secretBase32, details.sharedSecret)
        XCTAssertEqual(uri.issuer, "My App")
        XCTAssertEqual(uri.accountName, "alice@example.com")
        XCTAssertEqual(uri.otpType, .totp(periodSecs: 30))
        XCTAssertEqual(uri.digits, 6)
    }
}
