// CognitoAuthClient (the ready client) with a fake transport and a moved clock: a password +
// TOTP sign-in, fresh tokens without a request, ten concurrent callers sharing one refresh,
// rotation stored, a lost or cancelled refresh reported to the session, a revoked refresh token
// ending the session with its reason and event, restore after a relaunch, and sign-out.
//
// The JWTs are built here with the claims Cognito's access tokens carry (unsigned: the session
// reads, never verifies, them).
import Foundation
import XCTest
import CognitoAuth

enum ClientTestValues {
    static let pool = "us-east-1_Abc123XyZ"
    static let clientId = "2od40example"
    static let sub = "94c84468-e0c1-7003-e7b6-32be2c3bd6ee"
    static let t0: UInt64 = 1_800_000_000
    static let refresh1 = "REFRESH-ONE-sentinel-4f1a"
    static let refresh2 = "REFRESH-TWO-sentinel-9c3e"
    static let password = "correct horse battery staple"

    static var config: ClientConfig {
        ClientConfig(userPoolId: pool, clientId: clientId)
    }

    static func base64Url(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// An access token issued at `iat` for an hour; `marker` makes each one different.
    static func accessToken(iat: UInt64, marker: String) -> String {
        let claims = """
            {"sub":"\(sub)","token_use":"access","client_id":"\(clientId)","username":"alice",\
            "iat":\(iat),"exp":\(iat + 3600),"jti":"\(marker)"}
            """
        return [base64Url(Data("{\"alg\":\"RS256\"}".utf8)), base64Url(Data(claims.utf8)), base64Url(Data("sig".utf8))]
            .joined(separator: ".")
    }

    static func tokensBody(access: String, refresh: String?) -> Data {
        let refreshField = refresh.map { ",\"RefreshToken\":\"\($0)\"" } ?? ""
        return Data("""
            {"AuthenticationResult":{"AccessToken":"\(access)","ExpiresIn":3600,"TokenType":"Bearer"\(refreshField)},\
            "ChallengeParameters":{}}
            """.utf8)
    }

    static func authTokens(access: String, refresh: String?) -> AuthTokens {
        AuthTokens(accessToken: access, idToken: nil, refreshToken: refresh, expiresIn: 3600,
                   tokenType: "Bearer", newDeviceMetadata: nil)
    }

    static func serviceError(_ type: String, _ message: String) -> HttpResponse {
        HttpResponse(status: 400, body: Data("{\"__type\":\"\(type)\",\"message\":\"\(message)\"}".utf8))
    }
}

/// Answers each request with `respond` and records it.
final class FakeTransport: Transport, @unchecked Sendable {
    // @unchecked: `sent` is only touched with `lock` held.
    private let lock = NSLock()
    private var sent: [HttpRequest] = []
    private let respond: @Sendable (HttpRequest, Int) async throws -> HttpResponse

    /// `respond(request, index)`: `index` counts the requests from 0.
    init(respond: @escaping @Sendable (HttpRequest, Int) async throws -> HttpResponse) {
        self.respond = respond
    }

    var requests: [HttpRequest] {
        lock.lock()
        defer { lock.unlock() }
        return sent
    }

    var operations: [String] {
        requests.map { $0.operation }
    }

    func send(_ request: HttpRequest) async throws -> HttpResponse {
        lock.lock()
        let index = sent.count
        sent.append(request)
        lock.unlock()
        return try await respond(request, index)
    }
}

/// A clock the test moves.
final class ManualClock: SessionClock, @unchecked Sendable {
    // @unchecked: `now` is only touched with `lock` held.
    private let lock = NSLock()
    private var now: UInt64

    init(_ now: UInt64) {
        self.now = now
    }

    func set(_ value: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        now = value
    }

    func nowUnixSecs() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return now
    }
}

final class ClientTests: XCTestCase {
    typealias V = ClientTestValues

    /// The access token the fake refresh hands out.
    static let secondAccess = V.accessToken(iat: V.t0 + 3400, marker: "second")

    /// A client holding a session made from tokens received at t0 (fresh until t0 + 3300 with
    /// the default 300 s margin).
    func signedInClient(
        _ transport: FakeTransport,
        store: SessionStore = InMemorySessionStore()
    ) async throws -> (CognitoAuthClient, ManualClock) {
        let clock = ManualClock(V.t0)
        let client = CognitoAuthClient(config: V.config, transport: transport, store: store, clock: clock)
        try await client.useTokens(V.authTokens(access: V.accessToken(iat: V.t0, marker: "first"), refresh: V.refresh1))
        return (client, clock)
    }

    func refreshingTransport(delayNanoseconds: UInt64 = 0) -> FakeTransport {
        FakeTransport { _, _ in
            if delayNanoseconds > 0 {
                try await Task.sleep(nanoseconds: delayNanoseconds)
            }
            return HttpResponse(status: 200, body: V.tokensBody(access: ClientTests.secondAccess, refresh: V.refresh2))
        }
    }

    func testPasswordAndTotpSignInThenFreshTokensWithoutARequest() async throws {
        let firstAccess = V.accessToken(iat: V.t0, marker: "first")
        let transport = FakeTransport { request, _ in
            switch request.operation {
            case "InitiateAuth":
                return HttpResponse(status: 200, body: Data("""
                    {"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"sess-1","ChallengeParameters":{}}
                    """.utf8))
            default:
                return HttpResponse(status: 200, body: V.tokensBody(access: firstAccess, refresh: V.refresh1))
            }
        }
        let store = InMemorySessionStore()
        let client = CognitoAuthClient(config: V.config, transport: transport, store: store, clock: ManualClock(V.t0))
        let events = await client.events()

        let progress = try await client.signIn(username: "alice", password: V.password, flow: .userPassword)
        guard case .needsAnswer(.confirmSignInWithTotpCode) = progress else {
            return XCTFail("expected the TOTP step, got \(progress)")
        }
        let done = try await client.answer(.totpCode(code: "123456"))
        guard case .signedIn(let status, let newDevice) = done else { return XCTFail("expected .signedIn, got \(done)") }
        XCTAssertEqual(status.sub, V.sub)
        XCTAssertEqual(status.username, "alice")
        XCTAssertNil(newDevice)
        XCTAssertEqual(transport.operations, ["InitiateAuth", "RespondToAuthChallenge"])
        let respond = try jsonObject(transport.requests[1].body)
        XCTAssertEqual((respond["ChallengeResponses"] as? [String: String])?["SOFTWARE_TOKEN_MFA_CODE"], "123456")
        XCTAssertNotNil(try store.load(), "a sign-in stores the session")

        let tokens = try await client.tokens()
        XCTAssertEqual(tokens.accessToken, firstAccess)
        XCTAssertEqual(tokens.refreshToken, V.refresh1)
        XCTAssertEqual(tokens.expiresIn, 3600)
        XCTAssertEqual(transport.requests.count, 2, "fresh tokens need no request")

        var iterator = events.makeAsyncIterator()
        let first = await iterator.next()
        XCTAssertEqual(first, .signedIn)

        do {
            _ = try await client.answer(.totpCode(code: "123456"))
            XCTFail("answer after the sign-in finished")
        } catch let error as CognitoAuthClientError {
            XCTAssertEqual(error, .noSignInInProgress)
        }
    }

    func testAWrongPasswordIsThrownAsTheServiceError() async throws {
        let transport = FakeTransport { _, _ in
            V.serviceError("NotAuthorizedException", "Incorrect username or password.")
        }
        let client = CognitoAuthClient(config: V.config, transport: transport, clock: ManualClock(V.t0))
        do {
            _ = try await client.signIn(username: "alice", password: V.password, flow: .userPassword)
            XCTFail("signed in with a refused password")
        } catch let error as CognitoAuthError {
            guard case .Service(let kind, _, _, let status, _, _, _, _) = error else {
                return XCTFail("expected .Service, got \(error)")
            }
            XCTAssertEqual(kind, .notAuthorized)
            XCTAssertEqual(status, 400)
        }
        do {
            _ = try await client.tokens()
            XCTFail("tokens without a session")
        } catch let error as CognitoAuthClientError {
            XCTAssertEqual(error, .notSignedIn)
        }
    }

    func testTenConcurrentCallersShareOneRefreshAndTheRotatedTokenIsStored() async throws {
        let transport = refreshingTransport(delayNanoseconds: 100_000_000)
        let store = InMemorySessionStore()
        let (client, clock) = try await signedInClient(transport, store: store)
        clock.set(V.t0 + 3400) // within the 300 s margin of the access token's expiry

        let results = try await withThrowingTaskGroup(of: SessionTokens.self, returning: [SessionTokens].self) { group in
            for _ in 0..<10 {
                group.addTask { try await client.tokens() }
            }
            var all: [SessionTokens] = []
            for try await tokens in group {
                all.append(tokens)
            }
            return all
        }
        XCTAssertEqual(results.count, 10)
        XCTAssertEqual(transport.operations, ["GetTokensFromRefreshToken"], "one refresh for ten callers")
        let refreshBody = try jsonObject(transport.requests[0].body)
        XCTAssertEqual(refreshBody["RefreshToken"] as? String, V.refresh1)
        for tokens in results {
            XCTAssertEqual(tokens.accessToken, ClientTests.secondAccess)
            XCTAssertEqual(tokens.refreshToken, V.refresh2)
        }

        // A new client on the same store (the app relaunched) gets the rotated refresh token.
        let relaunched = CognitoAuthClient(config: V.config, transport: transport, store: store, clock: clock)
        let restored = try await relaunched.restore()
        XCTAssertTrue(restored)
        let tokens = try await relaunched.tokens()
        XCTAssertEqual(tokens.refreshToken, V.refresh2)
        XCTAssertEqual(tokens.accessToken, ClientTests.secondAccess)
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testANetworkFailureKeepsTheSessionAndTheNextCallRefreshes() async throws {
        let transport = FakeTransport { _, index in
            if index == 0 {
                throw URLError(.notConnectedToInternet)
            }
            return HttpResponse(status: 200, body: V.tokensBody(access: ClientTests.secondAccess, refresh: nil))
        }
        let (client, clock) = try await signedInClient(transport)
        clock.set(V.t0 + 3400)
        do {
            _ = try await client.tokens()
            XCTFail("the refresh had no response")
        } catch let error as URLError {
            XCTAssertEqual(error.code, .notConnectedToInternet)
        }
        let status = try await client.status()
        XCTAssertEqual(status?.isActive, true)
        XCTAssertEqual(status?.isRefreshing, false, "refreshFailedToSend was called")
        let tokens = try await client.tokens()
        XCTAssertEqual(tokens.accessToken, ClientTests.secondAccess)
        XCTAssertEqual(tokens.refreshToken, V.refresh1, "no rotation: the refresh token stays")
        XCTAssertEqual(transport.operations, ["GetTokensFromRefreshToken", "GetTokensFromRefreshToken"])
    }

    func testWaitingCallersGetTheRefreshErrorInsteadOfSendingAgain() async throws {
        let transport = FakeTransport { _, _ in
            try await Task.sleep(nanoseconds: 100_000_000)
            throw URLError(.networkConnectionLost)
        }
        let (client, clock) = try await signedInClient(transport)
        clock.set(V.t0 + 3400)
        let callers = [Task { try await client.tokens() }, Task { try await client.tokens() }]
        for caller in callers {
            let outcome = await caller.result
            guard case .failure(let error) = outcome, let urlError = error as? URLError else {
                return XCTFail("expected the transport's URLError, got \(outcome)")
            }
            XCTAssertEqual(urlError.code, .networkConnectionLost)
        }
        XCTAssertEqual(transport.requests.count, 1, "one refresh, its failure shared")
    }

    func testACancelledRefreshIsReportedSoTheNextCallerRefreshes() async throws {
        let transport = FakeTransport { _, index in
            if index == 0 {
                try await Task.sleep(nanoseconds: 30_000_000_000) // until cancelled
            }
            return HttpResponse(status: 200, body: V.tokensBody(access: ClientTests.secondAccess, refresh: nil))
        }
        let (client, clock) = try await signedInClient(transport)
        clock.set(V.t0 + 3400)
        let caller = Task { try await client.tokens() }
        try await Task.sleep(nanoseconds: 100_000_000)
        caller.cancel()
        do {
            _ = try await caller.value
            XCTFail("a cancelled refresh returned tokens")
        } catch is CancellationError {
        }
        let status = try await client.status()
        XCTAssertEqual(status?.isRefreshing, false, "a cancelled refresh is reported with refreshFailedToSend")
        let tokens = try await client.tokens()
        XCTAssertEqual(tokens.accessToken, ClientTests.secondAccess)
        XCTAssertEqual(transport.requests.count, 2)
    }

    func testARevokedRefreshTokenEndsTheSessionWithItsReasonAndEvent() async throws {
        let transport = FakeTransport { _, _ in
            V.serviceError("NotAuthorizedException", "Refresh Token has been revoked")
        }
        let store = InMemorySessionStore()
        let (client, clock) = try await signedInClient(transport, store: store)
        let events = await client.events()
        clock.set(V.t0 + 3400)
        do {
            _ = try await client.tokens()
            XCTFail("a revoked refresh token gave tokens")
        } catch let error as CognitoAuthClientError {
            XCTAssertEqual(error, .sessionEnded(reason: .refreshTokenRevoked))
        }
        XCTAssertNil(try store.load(), "an ended session is deleted from the store")
        var iterator = events.makeAsyncIterator()
        let event = await iterator.next()
        XCTAssertEqual(event, .ended(reason: .refreshTokenRevoked))
        do {
            _ = try await client.tokens()
            XCTFail("an ended session gave tokens")
        } catch let error as CognitoAuthClientError {
            XCTAssertEqual(error, .sessionEnded(reason: .refreshTokenRevoked))
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testThrottlingIsThrownAndKeepsTheSession() async throws {
        let transport = FakeTransport { _, index in
            index == 0
                ? V.serviceError("TooManyRequestsException", "Rate exceeded")
                : HttpResponse(status: 200, body: V.tokensBody(access: ClientTests.secondAccess, refresh: nil))
        }
        let (client, clock) = try await signedInClient(transport)
        clock.set(V.t0 + 3400)
        do {
            _ = try await client.tokens()
            XCTFail("a throttled refresh gave tokens")
        } catch let error as CognitoAuthError {
            guard case .Service(_, _, _, _, let retryable, _, _, _) = error else {
                return XCTFail("expected .Service, got \(error)")
            }
            XCTAssertTrue(retryable)
        }
        let tokens = try await client.tokens()
        XCTAssertEqual(tokens.accessToken, ClientTests.secondAccess)
    }

    func testSealedStorageRestoresOnlyWithItsKey() async throws {
        let key = Data((0..<32).map { UInt8($0) })
        let store = InMemorySessionStore()
        let transport = refreshingTransport()
        let client = CognitoAuthClient(
            config: V.config, transport: transport, store: store, clock: ManualClock(V.t0), storageKey: key)
        try await client.useTokens(V.authTokens(access: V.accessToken(iat: V.t0, marker: "first"), refresh: V.refresh1))
        XCTAssertNotNil(try store.load())

        let withKey = CognitoAuthClient(
            config: V.config, transport: transport, store: store, clock: ManualClock(V.t0), storageKey: key)
        let restored = try await withKey.restore()
        XCTAssertTrue(restored)
        let withoutKey = CognitoAuthClient(config: V.config, transport: transport, store: store, clock: ManualClock(V.t0))
        do {
            try await withoutKey.restore()
            XCTFail("a sealed session restored without its key")
        } catch let error as CognitoAuthError {
            guard case .SessionRestore = error else { return XCTFail("expected .SessionRestore, got \(error)") }
        }
        let empty = CognitoAuthClient(config: V.config, transport: transport, clock: ManualClock(V.t0))
        let restoredNothing = try await empty.restore()
        XCTAssertFalse(restoredNothing)
    }

    func testGlobalSignOutSendsGlobalSignOutAndForgetsTheSession() async throws {
        let transport = FakeTransport { _, _ in HttpResponse(status: 200, body: Data("{}".utf8)) }
        let store = InMemorySessionStore()
        let (client, _) = try await signedInClient(transport, store: store)
        let events = await client.events()
        try await client.signOut(.global)
        XCTAssertEqual(transport.operations, ["GlobalSignOut"])
        let body = try jsonObject(transport.requests[0].body)
        XCTAssertEqual(body["AccessToken"] as? String, V.accessToken(iat: V.t0, marker: "first"))
        XCTAssertNil(try store.load())
        var iterator = events.makeAsyncIterator()
        let event = await iterator.next()
        XCTAssertEqual(event, .signedOut(kind: .global))
        do {
            _ = try await client.tokens()
            XCTFail("tokens after a sign-out")
        } catch let error as CognitoAuthClientError {
            XCTAssertEqual(error, .sessionEnded(reason: .signedOut(kind: .global)))
        }
    }

    func testAccountSendsTheOperationAndThrowsTheRefusal() async throws {
        let transport = FakeTransport { request, _ in
            if request.operation == "GetUser" {
                return HttpResponse(status: 200, body: Data("""
                    {"Username":"alice","UserAttributes":[{"Name":"email","Value":"alice@example.com"}]}
                    """.utf8))
            }
            return V.serviceError("LimitExceededException", "Attempt limit exceeded.")
        }
        let (client, _) = try await signedInClient(transport)
        let access = try await client.tokens().accessToken
        let answer = try await client.account(.getUser(accessToken: access))
        guard case .user(let user) = answer else { return XCTFail("expected .user, got \(answer)") }
        XCTAssertEqual(user.username, "alice")
        XCTAssertEqual(user.attributes["email"], "alice@example.com")
        XCTAssertEqual(transport.operations, ["GetUser"])
        XCTAssertEqual(try jsonObject(transport.requests[0].body)["AccessToken"] as? String, access)
        do {
            _ = try await client.account(.forgotPassword(username: "alice"))
            XCTFail("a refused operation returned")
        } catch let error as CognitoAuthError {
            guard case .Service(let kind, _, _, let status, _, _, _, _) = error else {
                return XCTFail("expected .Service, got \(error)")
            }
            XCTAssertEqual(kind, .limitExceeded)
            XCTAssertEqual(status, 400)
        }
        XCTAssertEqual(transport.operations, ["GetUser", "ForgotPassword"])
    }

    func testRevokeSendsTheRefreshTokenAndLocalSendsNothing() async throws {
        let transport = FakeTransport { _, _ in HttpResponse(status: 200, body: Data("{}".utf8)) }
        let (revoking, _) = try await signedInClient(transport)
        try await revoking.signOut(.revoke)
        XCTAssertEqual(transport.operations, ["RevokeToken"])
        XCTAssertEqual(try jsonObject(transport.requests[0].body)["Token"] as? String, V.refresh1)

        let (local, _) = try await signedInClient(transport)
        try await local.signOut()
        XCTAssertEqual(transport.requests.count, 1, "a local sign-out sends nothing")
    }

    func testTheEventStreamsEndWithTheClient() async throws {
        var client: CognitoAuthClient? = CognitoAuthClient(
            config: V.config, transport: refreshingTransport(), clock: ManualClock(V.t0))
        let events = try await XCTUnwrap(client).events()
        client = nil
        var iterator = events.makeAsyncIterator()
        let next = await iterator.next()
        XCTAssertNil(next, "the stream finished when the client was released")
    }

    func testNothingTheClientPrintsShowsAToken() async throws {
        let (client, _) = try await signedInClient(refreshingTransport())
        let tokens = try await client.tokens()
        let printed = [String(describing: tokens), String(reflecting: tokens),
                       String(describing: CognitoAuthClientError.sessionEnded(reason: .refreshTokenRevoked))]
        for text in printed {
            XCTAssertFalse(text.contains(V.refresh1), text)
            XCTAssertFalse(text.contains(tokens.accessToken), text)
        }
    }
}
