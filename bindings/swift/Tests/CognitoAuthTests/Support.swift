// Helpers shared by the test files: error capture, JSON bodies, the MiniStack fixture and a
// blocking HTTP call through URLSession.
import Foundation
#if canImport(FoundationNetworking)
// URLSession lives here in swift-corelibs-foundation (Linux).
import FoundationNetworking
#endif
import XCTest
import CognitoAuth

/// Runs `body`, which must throw a `CognitoAuthError`; returns it (nil after an XCTFail).
func cognitoError<T>(
    _ body: () throws -> T,
    file: StaticString = #filePath,
    line: UInt = #line
) -> CognitoAuthError? {
    do {
        let value = try body()
        XCTFail("expected a CognitoAuthError, got \(value)", file: file, line: line)
        return nil
    } catch let error as CognitoAuthError {
        return error
    } catch {
        XCTFail("expected a CognitoAuthError, got \(type(of: error)): \(error)", file: file, line: line)
        return nil
    }
}

/// Everything a caller can print about an error: it must never contain a secret.
func renderings(of error: Error) -> [String] {
    [String(describing: error), String(reflecting: error), error.localizedDescription]
}

/// The JSON object in a request body.
func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    guard let object = value as? [String: Any] else {
        XCTFail("not a JSON object: \(text.prefix(80))", file: file, line: line)
        return [:]
    }
    return object
}

/// `request` of a `.sendRequest` step (nil after an XCTFail).
func sentRequest(_ step: SignInStep, file: StaticString = #filePath, line: UInt = #line) -> HttpRequest? {
    guard case .sendRequest(let request) = step else {
        XCTFail("expected .sendRequest, got \(step)", file: file, line: line)
        return nil
    }
    return request
}

/// The MiniStack fixture started by bindings/swift/run-tests.sh
/// (the test kit's ministack-fixture binary): its fixture.json, named by COGNITO_AUTH_FIXTURE.
struct Fixture {
    static let environmentVariable = "COGNITO_AUTH_FIXTURE"

    let endpoint: String
    let userPoolId: String
    let clientId: String
    let clientSecret: String?
    let username: String
    let password: String
    let totpSecret: String

    /// The fixture, or an XCTSkip saying how to get one.
    static func load() throws -> Fixture {
        guard let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty else {
            throw XCTSkip(
                "\(environmentVariable) is not set: no MiniStack endpoint. Run bindings/swift/run-tests.sh, "
                    + "or start one with `bash bindings/testing/ministack-fixture.sh start --state DIR` and set \(environmentVariable) to DIR/fixture.json"
            )
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.malformed("\(path) is not a JSON object")
        }
        func string(_ key: String) throws -> String {
            guard let value = json[key] as? String else { throw FixtureError.malformed("\(path): no string \(key)") }
            return value
        }
        return Fixture(
            endpoint: try string("endpoint"),
            userPoolId: try string("user_pool_id"),
            clientId: try string("client_id"),
            clientSecret: json["client_secret"] as? String,
            username: try string("username"),
            password: try string("password"),
            totpSecret: try string("totp_secret")
        )
    }

    var config: ClientConfig {
        ClientConfig(userPoolId: userPoolId, clientId: clientId, clientSecret: clientSecret, endpointUrl: endpoint)
    }
}

enum FixtureError: Error {
    case malformed(String)
    case http(String)
}

/// A response as the sign-in session wants it.
struct TransportResponse {
    let status: UInt16
    let body: Data
    let errorTypeHeader: String?
}

/// Sends `request` with URLSession and waits for the response (at most 20 s).
func send(_ request: HttpRequest) throws -> TransportResponse {
    guard let url = URL(string: request.url) else { throw FixtureError.http("bad URL \(request.url)") }
    var urlRequest = URLRequest(url: url, timeoutInterval: 15)
    urlRequest.httpMethod = request.method
    for (name, value) in request.headers {
        urlRequest.setValue(value, forHTTPHeaderField: name)
    }
    urlRequest.httpBody = Data(request.body.utf8)

    // The completion handler is @Sendable: it hands its result over through a box that the
    // semaphore orders (written before signal(), read after wait()).
    let finished = DispatchSemaphore(value: 0)
    let outcome = OutcomeBox()
    let task = URLSession.shared.dataTask(with: urlRequest) { data, response, error in
        if let error = error {
            outcome.value = .failure(error)
        } else if let http = response as? HTTPURLResponse {
            outcome.value = .success(
                TransportResponse(
                    status: UInt16(clamping: http.statusCode),
                    body: data ?? Data(),
                    errorTypeHeader: http.value(forHTTPHeaderField: errorTypeHeaderName())
                )
            )
        } else {
            outcome.value = .failure(FixtureError.http("not an HTTP response"))
        }
        finished.signal()
    }
    task.resume()
    if finished.wait(timeout: .now() + 20) == .timedOut {
        task.cancel()
        throw FixtureError.http("\(request.operation): no response within 20 s")
    }
    return try outcome.value.get()
}

private final class OutcomeBox: @unchecked Sendable {
    var value: Result<TransportResponse, Error> = .failure(FixtureError.http("no response"))
}

/// The current TOTP code, after waiting out the last 3 s of a 30 s step (so that the code is
/// still valid when it arrives).
func freshTotpCode(secretBase32: String) throws -> String {
    let intoStep = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 30)
    if intoStep > 27 {
        Thread.sleep(forTimeInterval: 30 - intoStep + 0.2)
    }
    return try totpCurrentCode(secretBase32: secretBase32)
}
