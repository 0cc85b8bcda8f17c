// The sign-in state machine through the Swift bindings, deterministic: the test-only
// constructors fix the SRP randomness and the clock, and the tests play Cognito's answers.
import XCTest
import CognitoAuth

final class SignInTests: XCTestCase {
    static let config = ClientConfig(
        userPoolId: "us-east-1_Example1",
        clientId: "client123",
        endpointUrl: "http://127.0.0.1:9/"
    )
    static let password = "Hunter2-Secret!"
    static let entropy = Data((0..<32).map { UInt8($0) })
    static let now: UInt64 = 1_700_000_000

    // SRP_A = g^a mod N for the RFC 5054 3072-bit group (g = 2), where a is the big-endian
    // HMAC-SHA256(key = entropy 00 01 .. 1f, message = "cognito-auth SRP ephemeral 1" || 01):
    // how the library derives its first SRP ephemeral from the 32 test bytes. Computed with
    // Python's hmac and pow, not with this library.
    static let expectedSrpA =
        "3939d5ba4128ff5f1b6a630eca74282ad2e84a5adc8c598ecfd0061d74b57cd18ebbd0cc97c0d01e2088e1f8d88930ef"
        + "2f92b5b58389c0adefc5c9e777ed4c7a3d13735efe49f998c7775d390521c6d2f9fdf1cad7e0c5ec1afa46f9bc09b965"
        + "f2856fce692003a8adb5aa26b8d7a5de9387af631a59d1fab533aacf0b00aece731877d86205c7fa56cda093215ee845"
        + "203119f1caf733151517a144402863bc38132fe67df1433315928c8cb3a7e8c7eedaffbc77ed5ec0d0cc805bfaa5a2b0"
        + "346eec1719336518f57a6d76c323bfee88087d1e073712c2cfe450f2da7028dc6a918468e274531f58c746c82a661eb4"
        + "5f7f31a430e9088769e2577d7a1a62716ff902152e52380352b89661fe79c684349c36fe1e0f1791a219b6474b049e24"
        + "cabd508d9497d98774b88d541d780d637b490a0e5a3b797fef35373f73ac70dc1ff4750a705c6f3e28162cbdf35ad9be"
        + "ce9f5675072d8c984eec417c2c344fa82b72f5d48a1f938025fc86c43b43b2fe1dfa13e64e8a3a100171aee440344728"

    static let totpChallenge = """
        {"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"sess-1",\
        "ChallengeParameters":{"USER_ID_FOR_SRP":"alice-sub","FRIENDLY_DEVICE_NAME":"phone"}}
        """
    static let tokens = """
        {"AuthenticationResult":{"AccessToken":"acc","IdToken":"id","RefreshToken":"ref",\
        "ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}
        """

    // A PASSWORD_VERIFIER challenge with the server values of the core's SRP vector V1
    // (Cognito SRP vectors checked against amazon-cognito-identity-js and @aws-amplify/auth).
    static let srpPool = ClientConfig(userPoolId: "us-east-1_Abc123XyZ", clientId: "client123", endpointUrl: "http://127.0.0.1:9/")
    static let srpUserId = "9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60"
    static let srpPassword = "Correct-Horse-9!"
    static let srpTime: UInt64 = 1_793_689_509
    static let srpTimestamp = "Tue Nov 3 07:05:09 UTC 2026"
    static let srpSalt = "8ce8291892390f6b53a245933faf6164"
    static let srpSecretBlock = "d2I2ib1ar889rX5ASU7JVY3LeWulL6pI+kPwY0I+Ts7Sn3i+BYPXtHKjX6dDoEcQ2gAtAe9zKomdz0C/"
        + "GttbpZIepvi63TuHgZ50c+rEH12up+7ZQrfiD02jbBaycqvJ"
    static let srpB =
        "109dd52353f4578fab493b149e4e63da0c9068711ff7d93421623547d5cb466d153212de4b49e7a2dfb47c3688396d21"
        + "311a2a63d6bf2fc8365f4047ab6d7388f326779c2cc2016fe9944c353a945310ca4e9d68140c1924e10a7d4ae406cf9c"
        + "1437a8c47f4ee701dbda28a889078e0991bcbbdeb20e2cf0741a75f4e9d6cfa67672f515558a7642ee17db89b9322242"
        + "c22865ecb57c59aefc94ae8af8ba9be7554ed96db55b6556a0f40e031417143d1598a717a98374570c71bf60d91e3938"
        + "0ec7c3cdcca3582c9f273e188822f2a8c2e5043514cf7653e6e83d31710d0f8d0931006d51b27881f3477c07fc2980e0"
        + "2f84f06f09148ad8bd51c83ec60a190f47b3da8eff7b8a9b1ee86401c67b51922ab0726b2b8a52a6c5ec4dba92b72575"
        + "0db784ff236d9ad786580f0823878947b2b565a56810d091276331dd73de6d0b4fd96ae6c5374c667b04866c1541b831"
        + "313e54e8fee45cab86211e9c5b4fd3795c8cc100eb8ecad1c93386d03ddd692374b6d894008edb60d6a078b75146ad5f"
    // The client's proof for that challenge with the ephemeral of `entropy` above (expectedSrpA),
    // pool name "Abc123XyZ", the user id and password above, at srpTimestamp: computed with an
    // independent Python implementation of Cognito's SRP that reproduces V1 to V3.
    static let expectedSignature = "g14mbKCOlssCVdSu5gZWymwO6rwN3qEa6UDSm5va+hg="

    func passwordSession(entropy: Data = SignInTests.entropy) throws -> SignInSession {
        let credentials = SignInCredentials(username: "alice", flow: .userPassword, password: Self.password)
        return try SignInSession.newForTesting(config: Self.config, credentials: credentials, entropy: entropy, unixTime: Self.now)
    }

    /// A password session that has sent InitiateAuth and now waits for the TOTP code.
    func sessionAtTotpStep() throws -> SignInSession {
        let session = try passwordSession()
        _ = try session.start()
        let step = try session.handleResponse(status: 200, body: Data(Self.totpChallenge.utf8), errorTypeHeader: nil)
        XCTAssertEqual(step, .confirmSignInWithTotpCode(friendlyDeviceName: "phone"))
        return session
    }

    func testPasswordFlowWithTotpMfaFromInitiateAuthToTokens() throws {
        let session = try passwordSession()
        guard let initiate = sentRequest(try session.start()) else { return }
        XCTAssertEqual(initiate.operation, "InitiateAuth")
        XCTAssertEqual(initiate.method, "POST")
        XCTAssertEqual(initiate.url, "http://127.0.0.1:9/")
        XCTAssertEqual(initiate.headers["x-amz-target"], "AWSCognitoIdentityProviderService.InitiateAuth")
        XCTAssertEqual(initiate.headers["content-type"], "application/x-amz-json-1.1")
        let initiateBody = try jsonObject(initiate.body)
        XCTAssertEqual(initiateBody["AuthFlow"] as? String, "USER_PASSWORD_AUTH")
        XCTAssertEqual(initiateBody["ClientId"] as? String, "client123")
        let parameters = initiateBody["AuthParameters"] as? [String: String]
        XCTAssertEqual(parameters, ["USERNAME": "alice", "PASSWORD": Self.password])

        let challenge = try session.handleResponse(status: 200, body: Data(Self.totpChallenge.utf8), errorTypeHeader: nil)
        XCTAssertEqual(challenge, .confirmSignInWithTotpCode(friendlyDeviceName: "phone"))
        let status = try session.status()
        XCTAssertEqual(status.pendingStep, challenge)
        XCTAssertFalse(status.isOver)
        XCTAssertEqual(status.username, "alice-sub", "Cognito's USER_ID_FOR_SRP is the canonical username")

        guard let respond = sentRequest(try session.answer(answer: .totpCode(code: "123456"))) else { return }
        XCTAssertEqual(respond.operation, "RespondToAuthChallenge")
        let respondBody = try jsonObject(respond.body)
        XCTAssertEqual(respondBody["ChallengeName"] as? String, "SOFTWARE_TOKEN_MFA")
        XCTAssertEqual(respondBody["Session"] as? String, "sess-1")
        let responses = respondBody["ChallengeResponses"] as? [String: String]
        XCTAssertEqual(responses, ["SOFTWARE_TOKEN_MFA_CODE": "123456", "USERNAME": "alice-sub"])

        let done = try session.handleResponse(status: 200, body: Data(Self.tokens.utf8), errorTypeHeader: nil)
        guard case .done(let result) = done else { return XCTFail("expected .done, got \(done)") }
        XCTAssertEqual(result.tokens.accessToken, "acc")
        XCTAssertEqual(result.tokens.idToken, "id")
        XCTAssertEqual(result.tokens.refreshToken, "ref")
        XCTAssertEqual(result.tokens.expiresIn, 3600)
        XCTAssertEqual(result.tokens.tokenType, "Bearer")
        XCTAssertEqual(result.device, .noNewDevice)
        XCTAssertFalse(result.staleDeviceForgotten)
        XCTAssertTrue(try session.isOver())
    }

    func testSrpFirstRequestIsDeterministicUnderTheTestConstructor() throws {
        let credentials = SignInCredentials(username: "alice", flow: .userSrp, password: Self.password)
        func srpA(_ entropy: Data) throws -> String? {
            let session = try SignInSession.newForTesting(
                config: Self.config, credentials: credentials, entropy: entropy, unixTime: Self.now)
            guard let request = sentRequest(try session.start()) else { return nil }
            let body = try jsonObject(request.body)
            XCTAssertEqual(body["AuthFlow"] as? String, "USER_SRP_AUTH")
            let parameters = body["AuthParameters"] as? [String: String]
            XCTAssertEqual(parameters?["USERNAME"], "alice")
            XCTAssertNil(parameters?["PASSWORD"], "SRP never sends the password")
            XCTAssertFalse(request.body.contains(Self.password))
            return parameters?["SRP_A"]
        }
        let first = try srpA(Self.entropy)
        XCTAssertEqual(first?.lowercased(), Self.expectedSrpA)
        XCTAssertEqual(try srpA(Self.entropy), first, "same entropy, same SRP_A")
        XCTAssertNotEqual(try srpA(Data(repeating: 1, count: 32)), first, "other entropy, other SRP_A")
    }

    func testSrpPasswordVerifierProofMatchesAnIndependentImplementation() throws {
        let session = try SignInSession.newForTesting(
            config: Self.srpPool,
            credentials: SignInCredentials(username: "alice", flow: .userSrp, password: Self.srpPassword),
            entropy: Self.entropy, unixTime: Self.srpTime)
        guard let initiate = sentRequest(try session.start()) else { return }
        let srpA = (try jsonObject(initiate.body)["AuthParameters"] as? [String: String])?["SRP_A"]
        XCTAssertEqual(srpA?.lowercased(), Self.expectedSrpA)

        let challenge = """
            {"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"\(Self.srpSalt)",\
            "SRP_B":"\(Self.srpB)","SECRET_BLOCK":"\(Self.srpSecretBlock)",\
            "USER_ID_FOR_SRP":"\(Self.srpUserId)","USERNAME":"\(Self.srpUserId)"}}
            """
        let step = try session.handleResponse(status: 200, body: Data(challenge.utf8), errorTypeHeader: nil)
        guard let verifier = sentRequest(step) else { return }
        XCTAssertEqual(verifier.operation, "RespondToAuthChallenge")
        let body = try jsonObject(verifier.body)
        XCTAssertEqual(body["ChallengeName"] as? String, "PASSWORD_VERIFIER")
        let responses = body["ChallengeResponses"] as? [String: String]
        XCTAssertEqual(responses?["PASSWORD_CLAIM_SIGNATURE"], Self.expectedSignature)
        XCTAssertEqual(responses?["PASSWORD_CLAIM_SECRET_BLOCK"], Self.srpSecretBlock)
        XCTAssertEqual(responses?["TIMESTAMP"], Self.srpTimestamp)
        XCTAssertEqual(responses?["USERNAME"], Self.srpUserId)
        XCTAssertFalse(verifier.body.contains(Self.srpPassword), "SRP never sends the password")

        let mfa = """
            {"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"sess-2","ChallengeParameters":{}}
            """
        let totpStep = try session.handleResponse(status: 200, body: Data(mfa.utf8), errorTypeHeader: nil)
        guard case .confirmSignInWithTotpCode = totpStep else { return XCTFail("expected the TOTP step, got \(totpStep)") }
        guard let respond = sentRequest(try session.answer(answer: .totpCode(code: "123456"))) else { return }
        XCTAssertEqual((try jsonObject(respond.body)["ChallengeResponses"] as? [String: String])?["USERNAME"], Self.srpUserId)
        let done = try session.handleResponse(status: 200, body: Data(Self.tokens.utf8), errorTypeHeader: nil)
        guard case .done(let result) = done else { return XCTFail("expected .done, got \(done)") }
        XCTAssertEqual(result.tokens.accessToken, "acc")
        XCTAssertEqual(try session.status().username, Self.srpUserId)
    }

    func testServiceErrorIsTypedAndNeverShowsThePassword() throws {
        let session = try passwordSession()
        _ = try session.start()
        let refusal = #"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#
        let error = cognitoError({
            try session.handleResponse(
                status: 400, body: Data(refusal.utf8),
                errorTypeHeader: "NotAuthorizedException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp/")
        })
        guard case .Service(let kind, let code, let serviceMessage, let status, let retryable, let restartsSignIn,
                            let stepStillOpen, _)? = error
        else { return XCTFail("expected .Service, got \(String(describing: error))") }
        XCTAssertEqual(kind, .notAuthorized)
        XCTAssertEqual(code, "NotAuthorizedException")
        XCTAssertEqual(serviceMessage, "Incorrect username or password.")
        XCTAssertEqual(status, 400)
        XCTAssertFalse(retryable)
        XCTAssertTrue(restartsSignIn)
        XCTAssertFalse(stepStillOpen)
        for text in renderings(of: error!) {
            XCTAssertFalse(text.contains(Self.password), "the password leaked into \(text)")
            XCTAssertFalse(text.contains("Hunter2"), "part of the password leaked into \(text)")
        }
        XCTAssertTrue(try session.isOver(), "a refused password ends the sign-in")
    }

    func testInvalidInputAndInvalidStateAreTypedErrors() throws {
        guard case .InvalidInput(let what, _)? = cognitoError({ try passwordSession(entropy: Data(count: 31)) }) else {
            return XCTFail("31 bytes of entropy accepted")
        }
        XCTAssertEqual(what, "entropy")

        let session = try passwordSession()
        _ = try session.start()
        guard case .InvalidState(let reason)? = cognitoError({ try session.start() }) else {
            return XCTFail("start accepted twice")
        }
        XCTAssertFalse(reason.isEmpty)
        guard case .InvalidState? = cognitoError({ try session.answer(answer: .totpCode(code: "123456")) }) else {
            return XCTFail("an answer was accepted while a request is in flight")
        }
        let normal = try SignInSession(
            config: Self.config,
            credentials: SignInCredentials(username: "alice", flow: .userSrp, password: Self.password))
        guard case .InvalidState? = cognitoError({ try normal.setTimeForTesting(unixTime: 1) }) else {
            return XCTFail("a test-only call was accepted on a normal session")
        }
    }

    func testWrongTotpCodeKeepsTheStepOpenForAnotherTry() throws {
        let session = try sessionAtTotpStep()
        _ = try session.answer(answer: .totpCode(code: "111111"))
        let mismatch = #"{"__type":"CodeMismatchException","message":"Invalid code received for user"}"#
        guard case .Service(let kind, _, _, _, _, let restartsSignIn, let stepStillOpen, _)? = cognitoError({
            try session.handleResponse(status: 400, body: Data(mismatch.utf8), errorTypeHeader: "CodeMismatchException")
        }) else { return XCTFail("a refused code did not throw .Service") }
        XCTAssertEqual(kind, .codeMismatch)
        XCTAssertTrue(stepStillOpen)
        XCTAssertFalse(restartsSignIn)
        XCTAssertEqual(try session.status().pendingStep, .confirmSignInWithTotpCode(friendlyDeviceName: "phone"))
        guard let retry = sentRequest(try session.answer(answer: .totpCode(code: "222222"))) else { return }
        let body = try jsonObject(retry.body)
        XCTAssertEqual((body["ChallengeResponses"] as? [String: String])?["SOFTWARE_TOKEN_MFA_CODE"], "222222")
        XCTAssertEqual(body["Session"] as? String, "sess-1")
    }

    func testSnapshotRestoresTheWaitingStep() throws {
        let session = try sessionAtTotpStep()
        let snapshot = try session.snapshot()
        XCTAssertEqual(snapshot.takenAt, Self.now)
        XCTAssertFalse(snapshot.value.contains(Self.password), "the snapshot of a TOTP step needs no password")

        let restored = try SignInSession.restoreForTesting(
            config: Self.config, snapshot: snapshot.value, options: RestoreOptions(),
            entropy: Data(repeating: 7, count: 32), unixTime: Self.now + 10)
        let status = try restored.status()
        XCTAssertEqual(status.pendingStep, .confirmSignInWithTotpCode(friendlyDeviceName: "phone"))
        XCTAssertEqual(status.username, "alice-sub")
        guard let respond = sentRequest(try restored.answer(answer: .totpCode(code: "654321"))) else { return }
        let body = try jsonObject(respond.body)
        XCTAssertEqual(body["Session"] as? String, "sess-1")
        XCTAssertEqual((body["ChallengeResponses"] as? [String: String])?["SOFTWARE_TOKEN_MFA_CODE"], "654321")
    }

    func testExpiredOrForeignSnapshotsAreRefused() throws {
        let snapshot = try sessionAtTotpStep().snapshot()
        guard case .Snapshot(let expired, _)? = cognitoError({
            try SignInSession.restoreForTesting(
                config: Self.config, snapshot: snapshot.value, options: RestoreOptions(maxAgeSecs: 180),
                entropy: Self.entropy, unixTime: Self.now + 1000)
        }) else { return XCTFail("a 1000 s old snapshot was restored") }
        XCTAssertTrue(expired)

        guard case .Snapshot(let garbageExpired, _)? = cognitoError({
            try SignInSession.restoreForTesting(
                config: Self.config, snapshot: "garbage", options: RestoreOptions(),
                entropy: Self.entropy, unixTime: Self.now)
        }) else { return XCTFail("garbage was restored") }
        XCTAssertFalse(garbageExpired)

        guard case .InvalidState? = cognitoError({ try passwordSession().snapshot() }) else {
            return XCTFail("a snapshot was taken with no step waiting")
        }
    }

    func testBadConfigurationIsInvalidInputNamingTheField() throws {
        let credentials = SignInCredentials(username: "alice", flow: .userSrp, password: Self.password)
        let cases: [(ClientConfig, SignInCredentials, String)] = [
            (ClientConfig(userPoolId: "not a pool id", clientId: "client123"), credentials, "user_pool_id"),
            (ClientConfig(userPoolId: "us-east-1_Example1", clientId: "client123", endpointUrl: "ftp://example.com/"),
             credentials, "endpoint_url"),
            (Self.config, SignInCredentials(username: "alice", flow: .userSrp), "password"),
        ]
        for (config, credentials, field) in cases {
            let error = cognitoError({ try SignInSession(config: config, credentials: credentials) })
            guard case .InvalidInput(let what, let reason)? = error else {
                return XCTFail("\(field): expected .InvalidInput, got \(String(describing: error))")
            }
            XCTAssertEqual(what, field, reason)
            for text in renderings(of: error!) {
                XCTAssertFalse(text.contains(Self.password), "the password leaked into \(text)")
            }
        }
    }

    func testMalformedResponsesAreUnexpectedResponseAndSrpErrors() throws {
        let html = try passwordSession()
        _ = try html.start()
        guard case .UnexpectedResponse(let reason)? = cognitoError({
            try html.handleResponse(status: 200, body: Data("<html>proxy login</html>".utf8), errorTypeHeader: nil)
        }) else { return XCTFail("an HTML body was accepted") }
        XCTAssertFalse(reason.isEmpty)

        let srp = try SignInSession.newForTesting(
            config: Self.srpPool,
            credentials: SignInCredentials(username: "alice", flow: .userSrp, password: Self.srpPassword),
            entropy: Self.entropy, unixTime: Self.srpTime)
        _ = try srp.start()
        let zeroB = """
            {"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab12","SRP_B":"0",\
            "SECRET_BLOCK":"c2VjcmV0","USER_ID_FOR_SRP":"alice","USERNAME":"alice"}}
            """
        guard case .Srp? = cognitoError({
            try srp.handleResponse(status: 200, body: Data(zeroB.utf8), errorTypeHeader: nil)
        }) else { return XCTFail("SRP_B = 0 was accepted") }
    }

    func testThrottlingIsARetryableServiceError() throws {
        let session = try passwordSession()
        _ = try session.start()
        let throttled = #"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#
        guard case .Service(let kind, _, _, _, let retryable, _, _, _)? = cognitoError({
            try session.handleResponse(status: 400, body: Data(throttled.utf8), errorTypeHeader: nil)
        }) else { return XCTFail("throttling did not throw .Service") }
        XCTAssertEqual(kind, .tooManyRequests)
        XCTAssertTrue(retryable)
    }
}
