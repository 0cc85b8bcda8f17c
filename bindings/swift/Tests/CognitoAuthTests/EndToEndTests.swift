// End to end against MiniStack (the test kit's ministack-fixture binary): a real SRP password
// verification and a TOTP MFA challenge over HTTP with URLSession, the way an app signs in.
// Skipped (XCTSkip) unless COGNITO_AUTH_FIXTURE names the fixture's fixture.json.
import XCTest
import CognitoAuth

final class EndToEndTests: XCTestCase {
    func testSrpSignInWithTotpMfaAgainstMiniStack() throws {
        let fixture = try Fixture.load()
        let session = try SignInSession(
            config: fixture.config,
            credentials: SignInCredentials(username: fixture.username, flow: .userSrp, password: fixture.password))
        var step = try session.start()
        var operations: [String] = []
        var totpAnswers = 0
        for _ in 0..<12 {
            switch step {
            case .sendRequest(let request):
                operations.append(request.operation)
                let response = try send(request)
                do {
                    step = try session.handleResponse(
                        status: response.status, body: response.body, errorTypeHeader: response.errorTypeHeader)
                } catch CognitoAuthError.Service(_, _, _, _, _, _, true, _) where totpAnswers == 1 {
                    // The code went stale on the way (a step boundary): the step stays open, and one
                    // more code from the next time step is allowed.
                    Thread.sleep(forTimeInterval: 1)
                    guard let pending = try session.status().pendingStep else { return XCTFail("no step waits after a refused code") }
                    step = pending
                }
            case .confirmSignInWithTotpCode:
                XCTAssertLessThan(totpAnswers, 2, "TOTP asked for more than twice")
                totpAnswers += 1
                step = try session.answer(answer: .totpCode(code: try freshTotpCode(secretBase32: fixture.totpSecret)))
            case .done(let result):
                XCTAssertEqual(operations.first, "InitiateAuth")
                XCTAssertEqual(operations.filter { $0 == "RespondToAuthChallenge" }.count, 1 + totpAnswers,
                               "PASSWORD_VERIFIER, then the TOTP code: \(operations)")
                XCTAssertGreaterThan(totpAnswers, 0, "the fixture's user has TOTP MFA: the code must be asked for")
                let claims = try jwtClaims(token: result.tokens.accessToken)
                XCTAssertEqual(claims.tokenUse, .access)
                XCTAssertEqual(claims.username, fixture.username)
                XCTAssertEqual(claims.clientId, fixture.clientId)
                XCTAssertGreaterThan(claims.exp, try unixTimeNow())
                let idToken = try XCTUnwrap(result.tokens.idToken)
                XCTAssertEqual(try jwtClaims(token: idToken).tokenUse, .id)
                XCTAssertNotNil(result.tokens.refreshToken)
                XCTAssertEqual(result.tokens.tokenType, "Bearer")
                XCTAssertTrue(try session.isOver())
                XCTAssertEqual(try session.status().username, fixture.username)
                return
            default:
                return XCTFail("unexpected step \(step) after \(operations)")
            }
        }
        XCTFail("no tokens after 12 steps: \(operations)")
    }

    func testWrongPasswordIsNotAuthorizedAndNotShown() throws {
        let fixture = try Fixture.load()
        let wrong = fixture.password + "-wrong"
        let session = try SignInSession(
            config: fixture.config,
            credentials: SignInCredentials(username: fixture.username, flow: .userSrp, password: wrong))
        var step = try session.start()
        for _ in 0..<4 {
            guard case .sendRequest(let request) = step else { return XCTFail("unexpected step \(step)") }
            let response = try send(request)
            do {
                step = try session.handleResponse(
                    status: response.status, body: response.body, errorTypeHeader: response.errorTypeHeader)
            } catch let error as CognitoAuthError {
                guard case .Service(let kind, _, _, let status, _, _, _, _) = error else {
                    return XCTFail("expected .Service, got \(error)")
                }
                XCTAssertEqual(kind, .notAuthorized)
                XCTAssertEqual(status, 400)
                for text in renderings(of: error) {
                    XCTAssertFalse(text.contains(wrong), "the password leaked into \(text)")
                }
                return
            }
        }
        XCTFail("a wrong password was not refused")
    }
}
