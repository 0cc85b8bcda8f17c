// CognitoAuthClient's hosted-UI sign-in and identity-pool credentials with a fake transport:
// a round trip through a stand-in browser with a canned /oauth2/token response (the session made
// from it, the pending state kept in the store's "hosted-ui" sibling and gone afterwards), a
// client made later with the same store finishing a sign-in begun before the app was killed, a
// forged `state` refused before any request with the pending sign-in kept, a cancelled browser
// dropping it, and credentials fetched once (GetId + GetCredentialsForIdentity) for five
// concurrent guest callers, then fresh without a request, and the user's ID token as the login.
import Foundation
import XCTest
import CognitoAuth

enum WebUiTestValues {
    static let domain = "https://example-app.auth.us-east-1.amazoncognito.com"
    static let redirect = "myapp://callback"
    static let identityPool = "us-east-1:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    static let identityId = "us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60"
    static let code = "AUTH-CODE-sentinel-31ad"

    /// The query items of `url` by name.
    static func query(_ url: URL) -> [String: String] {
        var items: [String: String] = [:]
        for item in URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? [] {
            items[item.name] = item.value ?? ""
        }
        return items
    }

    /// An ID token with the claims Cognito's carry, `nonce` among them (unsigned: only read).
    static func idToken(nonce: String?) -> String {
        let v = ClientTestValues.self
        let nonceField = nonce.map { ",\"nonce\":\"\($0)\"" } ?? ""
        let claims = """
            {"sub":"\(v.sub)","token_use":"id","aud":"\(v.clientId)",\
            "iss":"https://cognito-idp.us-east-1.amazonaws.com/\(v.pool)","cognito:username":"alice",\
            "iat":\(v.t0),"exp":\(v.t0 + 3600)\(nonceField)}
            """
        return [v.base64Url(Data("{\"alg\":\"RS256\"}".utf8)), v.base64Url(Data(claims.utf8)), v.base64Url(Data("sig".utf8))]
            .joined(separator: ".")
    }

    /// The token endpoint's answer to the code exchange.
    static func tokenResponse(nonce: String?) -> HttpResponse {
        let v = ClientTestValues.self
        let body = """
            {"id_token":"\(idToken(nonce: nonce))","access_token":"\(v.accessToken(iat: v.t0, marker: "web"))",\
            "refresh_token":"\(v.refresh1)","expires_in":3600,"token_type":"Bearer"}
            """
        return HttpResponse(status: 200, body: Data(body.utf8))
    }

    static func target(_ request: HttpRequest) -> String? {
        request.headers.first { $0.key.lowercased() == "x-amz-target" }?.value
    }

    static func credentialsResponse(accessKey: String, expiration: UInt64) -> HttpResponse {
        let body = """
            {"IdentityId":"\(identityId)","Credentials":{"AccessKeyId":"\(accessKey)",\
            "SecretKey":"SECRET-sentinel-55aa","SessionToken":"SESSION-sentinel-77bb","Expiration":\(expiration)}}
            """
        return HttpResponse(status: 200, body: Data(body.utf8))
    }

    static let getIdResponse = HttpResponse(status: 200, body: Data("{\"IdentityId\":\"\(identityId)\"}".utf8))
}

/// Nonce of the authorization the fake token endpoint answers, set by the stand-in browser.
final class NonceBox: @unchecked Sendable {
    // @unchecked: `value` is only touched with `lock` held.
    private let lock = NSLock()
    private var stored: String?

    var value: String? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            stored = newValue
        }
    }
}

final class WebUiAndCredentialsTests: XCTestCase {
    typealias V = ClientTestValues
    typealias W = WebUiTestValues

    func webClient(_ transport: FakeTransport, store: SessionStore = InMemorySessionStore()) -> CognitoAuthClient {
        CognitoAuthClient(
            config: V.config, transport: transport, store: store, clock: ManualClock(V.t0),
            hostedUiDomain: W.domain)
    }

    func testWebUiRoundTripExchangesTheCodeAndMakesTheSession() async throws {
        let nonce = NonceBox()
        let transport = FakeTransport { _, _ in W.tokenResponse(nonce: nonce.value) }
        let store = InMemorySessionStore()
        let client = webClient(transport, store: store)

        let status = try await client.signInWithWebUi(
            options: HostedUiOptions(redirectUri: W.redirect, scopes: ["openid", "email"]),
            open: { url in
            // The stand-in browser: the authorize URL, then the redirect with the code.
            XCTAssertEqual(url.scheme, "https")
            XCTAssertEqual(url.host, "example-app.auth.us-east-1.amazoncognito.com")
            XCTAssertEqual(url.path, "/oauth2/authorize")
            let query = W.query(url)
            XCTAssertEqual(query["client_id"], V.clientId)
            XCTAssertEqual(query["redirect_uri"], W.redirect)
            XCTAssertEqual(query["code_challenge_method"], "S256")
            XCTAssertEqual(query["scope"], "openid email")
            XCTAssertTrue(try store.sibling("hosted-ui").load() != nil, "the pending state is stored before the browser opens")
            nonce.value = query["nonce"]
            let state = try XCTUnwrap(query["state"])
            return try XCTUnwrap(URL(string: "\(W.redirect)?code=\(W.code)&state=\(state)"))
        })

        XCTAssertTrue(status.isActive)
        XCTAssertEqual(status.sub, V.sub)
        XCTAssertEqual(transport.requests.count, 1)
        let exchange = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(exchange.url, "\(W.domain)/oauth2/token")
        XCTAssertTrue(exchange.body.contains("grant_type=authorization_code"))
        XCTAssertTrue(exchange.body.contains("code=\(W.code)"))
        XCTAssertTrue(exchange.body.contains("code_verifier="))
        // The session is stored; the pending state is gone.
        XCTAssertNotNil(try store.load())
        XCTAssertNil(try store.sibling("hosted-ui").load())
        let pendingLeft = try await client.hasPendingWebUiSignIn()
        XCTAssertFalse(pendingLeft)
        let tokens = try await client.tokens()
        XCTAssertEqual(tokens.refreshToken, V.refresh1)
        XCTAssertEqual(tokens.idToken, W.idToken(nonce: nonce.value))
        XCTAssertEqual(transport.requests.count, 1, "fresh tokens need no request")
    }

    func testAPendingSignInSurvivesTheAppBeingKilled() async throws {
        let nonce = NonceBox()
        let transport = FakeTransport { _, _ in W.tokenResponse(nonce: nonce.value) }
        let store = InMemorySessionStore()
        let url = try await webClient(transport, store: store).beginWebUiSignIn(
            options: HostedUiOptions(redirectUri: W.redirect, scopes: ["openid"]))
        let query = W.query(url)
        nonce.value = query["nonce"]

        // The app was killed while the browser was open: a new client on the same store.
        let relaunched = webClient(transport, store: store)
        let pending = try await relaunched.hasPendingWebUiSignIn()
        XCTAssertTrue(pending)
        let state = try XCTUnwrap(query["state"])
        let redirect = try XCTUnwrap(URL(string: "\(W.redirect)?code=\(W.code)&state=\(state)"))
        let status = try await relaunched.finishWebUiSignIn(redirect: redirect)
        XCTAssertTrue(status.isActive)
        XCTAssertEqual(transport.requests.count, 1)
        let stillPending = try await relaunched.hasPendingWebUiSignIn()
        XCTAssertFalse(stillPending)
    }

    func testAForgedStateIsRefusedWithoutARequestAndThePendingSignInIsKept() async throws {
        let nonce = NonceBox()
        let transport = FakeTransport { _, _ in W.tokenResponse(nonce: nonce.value) }
        let client = webClient(transport)
        let url = try await client.beginWebUiSignIn(options: HostedUiOptions(redirectUri: W.redirect))
        let query = W.query(url)
        nonce.value = query["nonce"]

        let forged = try XCTUnwrap(URL(string: "\(W.redirect)?code=\(W.code)&state=forged-by-someone-else"))
        do {
            try await client.finishWebUiSignIn(redirect: forged)
            XCTFail("a forged state was accepted")
        } catch let error as CognitoAuthError {
            guard case .OAuth(let kind, _, _, _, _) = error else {
                return XCTFail("expected .OAuth, got \(error)")
            }
            XCTAssertEqual(kind, .stateMismatch)
        }
        XCTAssertEqual(transport.requests.count, 0, "nothing is sent for a forged redirect")
        let kept = try await client.hasPendingWebUiSignIn()
        XCTAssertTrue(kept)
        let status = try await client.status()
        XCTAssertNil(status)

        // The real redirect still finishes it.
        let state = try XCTUnwrap(query["state"])
        let real = try XCTUnwrap(URL(string: "\(W.redirect)?code=\(W.code)&state=\(state)"))
        let signedIn = try await client.finishWebUiSignIn(redirect: real)
        XCTAssertTrue(signedIn.isActive)
    }

    func testAnErrorRedirectIsDeniedAndEndsThePendingSignIn() async throws {
        let transport = FakeTransport { _, _ in HttpResponse(status: 500, body: Data()) }
        let client = webClient(transport)
        let url = try await client.beginWebUiSignIn(options: HostedUiOptions(redirectUri: W.redirect))
        let state = try XCTUnwrap(W.query(url)["state"])
        let denied = try XCTUnwrap(URL(string: "\(W.redirect)?error=access_denied&state=\(state)"))
        do {
            try await client.finishWebUiSignIn(redirect: denied)
            XCTFail("an error redirect signed in")
        } catch let error as CognitoAuthError {
            guard case .OAuth(let kind, let errorCode, _, _, _) = error else {
                return XCTFail("expected .OAuth, got \(error)")
            }
            XCTAssertEqual(kind, .denied)
            XCTAssertEqual(errorCode, "access_denied")
        }
        XCTAssertEqual(transport.requests.count, 0)
        let pending = try await client.hasPendingWebUiSignIn()
        XCTAssertFalse(pending)
    }

    func testTheSignOutUrlEndsTheHostedUisOwnSession() async throws {
        let client = webClient(FakeTransport { _, _ in W.getIdResponse })
        let url = try await client.webUiSignOutUrl(logoutUri: "myapp://signed-out")
        XCTAssertEqual(url.path, "/logout")
        XCTAssertEqual(W.query(url), ["client_id": V.clientId, "logout_uri": "myapp://signed-out"])
    }

    func testACancelledBrowserDropsThePendingSignIn() async throws {
        let transport = FakeTransport { _, _ in HttpResponse(status: 500, body: Data()) }
        let client = webClient(transport)
        do {
            try await client.signInWithWebUi(
                options: HostedUiOptions(redirectUri: W.redirect),
                open: { _ in throw CancellationError() })
            XCTFail("a cancelled browser signed in")
        } catch is CancellationError {}
        let pending = try await client.hasPendingWebUiSignIn()
        XCTAssertFalse(pending)
        XCTAssertEqual(transport.requests.count, 0)
    }

    func testWithoutAHostedUiDomainTheWebUiIsRefused() async throws {
        let client = CognitoAuthClient(config: V.config, transport: FakeTransport { _, _ in W.getIdResponse })
        do {
            _ = try await client.beginWebUiSignIn(options: HostedUiOptions(redirectUri: W.redirect))
            XCTFail("began without a domain")
        } catch CognitoAuthClientError.hostedUiNotConfigured {}
    }

    func testFiveConcurrentGuestCallersShareOneCredentialsRound() async throws {
        let transport = FakeTransport { request, _ in
            switch W.target(request) {
            case "AWSCognitoIdentityService.GetId":
                return W.getIdResponse
            default:
                // Held back so that every caller arrives while the round is in flight.
                try await Task.sleep(nanoseconds: 300_000_000)
                return W.credentialsResponse(accessKey: "ASIAFIRST", expiration: V.t0 + 3600)
            }
        }
        let store = InMemorySessionStore()
        let client = CognitoAuthClient(config: V.config, transport: transport, store: store, clock: ManualClock(V.t0))

        let results = try await withThrowingTaskGroup(of: AwsCredentials.self) { group -> [AwsCredentials] in
            for _ in 0..<5 {
                group.addTask { try await client.credentials(identityPoolId: W.identityPool) }
            }
            var all: [AwsCredentials] = []
            for try await credentials in group {
                all.append(credentials)
            }
            return all
        }
        XCTAssertEqual(results.count, 5)
        XCTAssertTrue(results.allSatisfy { $0.accessKeyId == "ASIAFIRST" && $0.expirationUnixSecs == V.t0 + 3600 })
        XCTAssertEqual(
            transport.requests.map { W.target($0) },
            ["AWSCognitoIdentityService.GetId", "AWSCognitoIdentityService.GetCredentialsForIdentity"])
        let getId = try jsonObject(transport.requests[0].body)
        XCTAssertEqual(getId["IdentityPoolId"] as? String, W.identityPool)
        XCTAssertTrue((getId["Logins"] as? [String: String] ?? [:]).isEmpty, "a guest sends no logins")

        // Fresh: no request. The identity id is stored next to the session for the next launch.
        let again = try await client.credentials(identityPoolId: W.identityPool)
        XCTAssertEqual(again, results[0])
        XCTAssertEqual(transport.requests.count, 2)
        let stored = try jsonObject(try XCTUnwrap(try store.sibling("identities").load()))
        XCTAssertEqual(stored[W.identityPool] as? [String: String], ["who": "", "identity_id": W.identityId])
        for rendering in [String(describing: again), String(reflecting: again)] {
            XCTAssertFalse(rendering.contains("SECRET-sentinel"))
            XCTAssertFalse(rendering.contains("SESSION-sentinel"))
        }

        // A relaunched client reuses the stored identity: no GetId.
        let later = FakeTransport { _, _ in W.credentialsResponse(accessKey: "ASIASECOND", expiration: V.t0 + 7200) }
        let relaunched = CognitoAuthClient(config: V.config, transport: later, store: store, clock: ManualClock(V.t0 + 3500))
        let second = try await relaunched.credentials(identityPoolId: W.identityPool)
        XCTAssertEqual(second.accessKeyId, "ASIASECOND")
        XCTAssertEqual(later.requests.map { W.target($0) }, ["AWSCognitoIdentityService.GetCredentialsForIdentity"])
        XCTAssertEqual(try jsonObject(later.requests[0].body)["IdentityId"] as? String, W.identityId)
    }

    func testASignedInUsersIdTokenIsTheLogin() async throws {
        let transport = FakeTransport { request, _ in
            W.target(request) == "AWSCognitoIdentityService.GetId"
                ? W.getIdResponse : W.credentialsResponse(accessKey: "ASIAUSER", expiration: V.t0 + 3600)
        }
        let client = CognitoAuthClient(config: V.config, transport: transport, clock: ManualClock(V.t0))
        let idToken = W.idToken(nonce: nil)
        try await client.useTokens(
            AuthTokens(accessToken: V.accessToken(iat: V.t0, marker: "user"), idToken: idToken, refreshToken: V.refresh1,
                       expiresIn: 3600, tokenType: "Bearer", newDeviceMetadata: nil))
        let credentials = try await client.credentials(identityPoolId: W.identityPool)
        XCTAssertEqual(credentials.accessKeyId, "ASIAUSER")
        let provider = try userPoolLoginProvider(userPoolId: V.pool)
        XCTAssertEqual(provider, "cognito-idp.us-east-1.amazonaws.com/\(V.pool)")
        for request in transport.requests {
            XCTAssertEqual(try jsonObject(request.body)["Logins"] as? [String: String], [provider: idToken])
        }

        // Without an ID token (no `openid` scope) there are no user credentials.
        let noId = CognitoAuthClient(config: V.config, transport: transport, clock: ManualClock(V.t0))
        try await noId.useTokens(V.authTokens(access: V.accessToken(iat: V.t0, marker: "noid"), refresh: V.refresh1))
        do {
            _ = try await noId.credentials(identityPoolId: W.identityPool)
            XCTFail("credentials without an ID token")
        } catch CognitoAuthClientError.noIdToken {}
    }
}
