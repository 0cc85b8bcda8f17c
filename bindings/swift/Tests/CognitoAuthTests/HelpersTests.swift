// SECRET_HASH and E.164 phone numbers through the Swift bindings.
import XCTest
import CognitoAuth

final class HelpersTests: XCTestCase {
    // Base64(HMAC-SHA256(key = client secret, message = username + client id)), computed with
    // Python's hmac module (the first row also with openssl).
    static let secretHashVectors: [(username: String, clientId: String, clientSecret: String, expected: String)] = [
        ("alice", "1example23456789abcdefghij", "1example23456789abcdefghijklmnopqrstuvwxyz0123456789",
         "//GwtE+1CK57uu1PfHhDchwQMQO4b0KDIie8ikhR0kk="),
        ("a68c740a-8385-42d7-b8fb-ea5496094942", "4bmsrr65ah3oas5d4sd54st11k",
         "k2ahb3s8qq1h3d5o7n0c5mjdfsr0jq2h6q5u1b0d3n4v8l2p7x9", "1k7dpqYEwgmtpPhcdC6BixDEP04LANsm9scYfGwcF3U="),
        ("jos\u{e9}+test@example.com", "4bmsrr65ah3oas5d4sd54st11k",
         "k2ahb3s8qq1h3d5o7n0c5mjdfsr0jq2h6q5u1b0d3n4v8l2p7x9", "ggyCylcJB7L4jwXwCngiM3/6AShfnDaw1RK2zJHhLO0="),
        ("+12065551212", "4bmsrr65ah3oas5d4sd54st11k",
         "k2ahb3s8qq1h3d5o7n0c5mjdfsr0jq2h6q5u1b0d3n4v8l2p7x9", "Mt8q1qLOV9GdJwcrcLGnLP/BLda00Mr93wTVcEUtu7k="),
        ("teacher@example.com", "test-client-id", "test-secret", "ubMq12ua7Sob8EJy4crIRzaQLGUIELfDWkbXBRqlgVw="),
    ]

    func testSecretHashVectors() throws {
        for vector in Self.secretHashVectors {
            let hash = try secretHash(username: vector.username, clientId: vector.clientId, clientSecret: vector.clientSecret)
            XCTAssertEqual(hash, vector.expected, vector.username)
        }
    }

    func testE164Parse() throws {
        let number = try phoneNumberParse(input: "+14155552671")
        XCTAssertEqual(number, PhoneNumber(e164: "+14155552671", countryCallingCode: 1, nationalSignificantNumber: "4155552671"))
        let london = try phoneNumberParse(input: "+44 20 7946 0958")
        XCTAssertEqual(london.e164, "+442079460958")
        XCTAssertEqual(london.countryCallingCode, 44)
    }

    func testE164NormalizeWithADefaultCallingCode() throws {
        XCTAssertEqual(try phoneNumberNormalize(input: "(415) 555-2671", defaultCallingCode: 1).e164, "+14155552671")
        XCTAssertEqual(try phoneNumberNormalize(input: "206-555-1212", defaultCallingCode: 1).e164, "+12065551212")
    }

    func testFortyDigitNumberIsAPhoneNumberError() throws {
        let fortyDigits = "+" + String(repeating: "1", count: 40)
        guard case .PhoneNumber(let reason)? = cognitoError({ try phoneNumberParse(input: fortyDigits) }) else {
            return XCTFail("a 40-digit number was accepted")
        }
        XCTAssertTrue(reason.contains("15"), "the reason should name E.164's 15-digit limit: \(reason)")
    }

    func testOtherMalformedNumbersAreTypedErrors() throws {
        for input in ["+1", "12065551212", "+0123456", ""] {
            guard case .PhoneNumber? = cognitoError({ try phoneNumberParse(input: input) }) else {
                return XCTFail("\(input.debugDescription) accepted")
            }
        }
    }

    func testJwtClaimsOfAnUnsignedTokenAndJwtErrors() throws {
        let claims = try jwtClaims(token: fakeJwt(
            #"{"sub":"s-1","username":"alice","token_use":"access","client_id":"c1","exp":1800003600,"iat":1800000000,"iss":"https://example"}"#))
        XCTAssertEqual(claims.sub, "s-1")
        XCTAssertEqual(claims.username, "alice")
        XCTAssertEqual(claims.tokenUse, .access)
        XCTAssertEqual(claims.clientId, "c1")
        XCTAssertEqual(claims.exp, 1_800_003_600)
        XCTAssertEqual(claims.iat, 1_800_000_000)
        XCTAssertEqual(claims.iss, "https://example")
        XCTAssertNil(try jwtClaims(token: fakeJwt(#"{"sub":"s","exp":1}"#)).username)
        guard case .Jwt? = cognitoError({ try jwtClaims(token: "not-a-jwt") }) else { return XCTFail("not-a-jwt accepted") }
        guard case .Jwt? = cognitoError({ try jwtClaims(token: fakeJwt(#"{"sub":"s"}"#)) }) else {
            return XCTFail("a token without exp accepted")
        }
    }
}

/// An unsigned JWT with `payload` (the library reads claims for refresh timing; it does not
/// verify signatures).
func fakeJwt(_ payload: String) -> String {
    func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
    return base64url(#"{"alg":"none","typ":"JWT"}"#) + "." + base64url(payload) + ".c2ln"
}
