// The ready client of the Swift package: signs in, keeps the user's tokens fresh one refresh at
// a time, stores the session and signs out, doing the HTTP itself (URLSession by default).
// Hand-written; it calls only the generated API of CognitoAuth.swift beside it (SignInSession,
// UserSession and their records), which does no IO.
//
//     let client = CognitoAuthClient(config: ClientConfig(userPoolId: "us-east-1_Abc123XyZ",
//                                                         clientId: "1example23456789abcdefghij"))
//     if case .needsAnswer(.confirmSignInWithTotpCode) = try await client.signIn(username: "alice", password: pw) {
//         _ = try await client.answer(.totpCode(code: codeFromTheUser))
//     }
//     let tokens = try await client.tokens() // later, from any task: refreshed once when due
//
// Checked statically only on this project's machines (tree-sitter-swift and the name checks of
// bindings/swift/check.sh); the XCTests in Tests/CognitoAuthTests/ClientTests.swift run with
// bindings/swift/run-tests.sh on a Mac or on Linux with a Swift toolchain.
import Foundation
#if canImport(FoundationNetworking)
// URLSession lives here in swift-corelibs-foundation (Linux).
import FoundationNetworking
#endif

// MARK: - Transport

/// An HTTP response as the sessions take it: the status, the body and the value of the
/// `x-amzn-ErrorType` header (`errorTypeHeaderName()`).
public struct HttpResponse: Sendable, Equatable {
    public let status: UInt16
    public let body: Data
    public let errorTypeHeader: String?

    public init(status: UInt16, body: Data, errorTypeHeader: String? = nil) {
        self.status = status
        self.body = body
        self.errorTypeHeader = errorTypeHeader
    }
}

/// Sends the requests the library builds. `URLSessionTransport` is the default; an app with its
/// own networking stack (a proxy, certificate pinning, metrics) passes its own. A thrown error
/// (including `CancellationError`) means "no response": the client tells the session so.
public protocol Transport: Sendable {
    func send(_ request: HttpRequest) async throws -> HttpResponse
}

/// The default transport: one `URLSessionDataTask` per request, cancelled with the calling task.
public final class URLSessionTransport: Transport, @unchecked Sendable {
    // @unchecked: only immutable properties; URLSession itself is thread-safe.
    private let session: URLSession
    private let timeout: TimeInterval

    public init(session: URLSession = .shared, timeout: TimeInterval = 30) {
        self.session = session
        self.timeout = timeout
    }

    public func send(_ request: HttpRequest) async throws -> HttpResponse {
        guard let url = URL(string: request.url) else {
            throw CognitoAuthClientError.invalidUrl(request.url)
        }
        var urlRequest = URLRequest(url: url, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        urlRequest.httpBody = Data(request.body.utf8)
        let prepared = urlRequest
        let session = self.session
        let running = RunningDataTask()
        // dataTask + a continuation rather than `data(for:)`, which needs iOS 15 / macOS 12.
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HttpResponse, Error>) in
                let task = session.dataTask(with: prepared) { data, response, error in
                    if let error = error {
                        continuation.resume(throwing: error)
                    } else if let http = response as? HTTPURLResponse {
                        continuation.resume(
                            returning: HttpResponse(
                                status: UInt16(clamping: http.statusCode),
                                body: data ?? Data(),
                                errorTypeHeader: http.value(forHTTPHeaderField: errorTypeHeaderName())))
                    } else {
                        continuation.resume(throwing: CognitoAuthClientError.notHttpResponse)
                    }
                }
                running.start(task)
            }
        } onCancel: {
            running.cancel()
        }
    }
}

/// The data task of one `send`, cancelled even when the cancellation comes before it started.
private final class RunningDataTask: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func start(_ task: URLSessionDataTask) {
        lock.lock()
        self.task = task
        let cancelNow = cancelled
        lock.unlock()
        task.resume()
        if cancelNow {
            task.cancel()
        }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let running = task
        lock.unlock()
        running?.cancel()
    }
}

// MARK: - Clock and storage

/// The time the client passes to the session. Tests move it to cross the refresh margin.
public protocol SessionClock: Sendable {
    /// Seconds since 1970-01-01 UTC.
    func nowUnixSecs() -> UInt64
}

/// The device's clock.
public struct SystemClock: SessionClock {
    public init() {}

    public func nowUnixSecs() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970))
    }
}

/// Where the client keeps the session between launches: one secret string (it holds the
/// refresh token), written after every sign-in and refresh, deleted when the session ends.
/// `KeychainSessionStore` on Apple platforms; `InMemorySessionStore` forgets on exit.
public protocol SessionStore: Sendable {
    func load() throws -> String?
    func save(_ value: String) throws
    func delete() throws
}

/// Keeps the session in memory only (the default): a killed app signs in again.
public final class InMemorySessionStore: SessionStore, @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var value: String?

    public init(value: String? = nil) {
        self.value = value
    }

    public func load() throws -> String? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    public func save(_ value: String) throws {
        lock.lock()
        defer { lock.unlock() }
        self.value = value
    }

    public func delete() throws {
        lock.lock()
        defer { lock.unlock() }
        value = nil
    }
}

// MARK: - Results and errors

/// Where a sign-in stopped.
public enum SignInProgress: Sendable, Equatable {
    /// Signed in: the session is stored and `tokens()` works. `newDevice` is the device Cognito
    /// just confirmed (store it like a password and pass it to the next `signIn`).
    case signedIn(SessionStatus, newDevice: RememberedDevice?)
    /// The user must answer this step (`.confirmSignInWithTotpCode`, ...): call `answer`.
    case needsAnswer(SignInStep)
    /// The sign-in is over without tokens (`.confirmSignUp`, `.resetPassword`): do that, then
    /// sign in again.
    case stopped(SignInStep)
}

/// The client's own errors. Errors of the library itself are thrown as the generated
/// `CognitoAuthError` (its cases keep UniFFI's UpperCamel names, e.g. `.Service`); the
/// transport's and the store's errors are passed through. No case holds a secret.
public enum CognitoAuthClientError: Error, Sendable, Equatable {
    /// No session: sign in (or `restore()` / `useTokens`) first.
    case notSignedIn
    /// `answer` without a sign-in step waiting for one.
    case noSignInInProgress
    /// The session is over (signed out, refresh token revoked, expired or reused): sign in again.
    case sessionEnded(reason: EndReason)
    /// The request's URL could not be read (the endpoint in `ClientConfig`).
    case invalidUrl(String)
    /// The transport got something that is not an HTTP response.
    case notHttpResponse
    /// A Keychain call failed with this `OSStatus`.
    case keychain(status: Int32)
}

// MARK: - The client

/// A signed-in user's tokens for an app: sign in, `tokens()` whenever a call needs them,
/// `signOut`. The actor is the single-refresh guard: of the tasks that ask for tokens while they
/// are due, the first sends the refresh (kept as `refreshTask`); the others wait for that task,
/// then ask again, so one refresh request is sent and a rotated refresh token is never reused.
public actor CognitoAuthClient {
    private let config: ClientConfig
    private let transport: Transport
    private let store: SessionStore
    private let options: SessionOptions
    private let clock: SessionClock
    private let storageKey: Data?

    private var userSession: UserSession?
    private var pendingSignIn: PendingSignIn?
    private var refreshTask: Task<SessionTokens, Error>?
    private var subscribers: [UUID: AsyncStream<SessionEvent>.Continuation] = [:]

    private struct PendingSignIn {
        let session: SignInSession
        let device: RememberedDevice?
    }

    /// - Parameters:
    ///   - storageKey: 32 to 64 random bytes kept apart from the store (a Keychain item of its
    ///     own): the stored session is sealed with it and refused if edited. Nil stores it plain.
    public init(
        config: ClientConfig,
        transport: Transport = URLSessionTransport(),
        store: SessionStore = InMemorySessionStore(),
        options: SessionOptions = SessionOptions(),
        clock: SessionClock = SystemClock(),
        storageKey: Data? = nil
    ) {
        self.config = config
        self.transport = transport
        self.store = store
        self.options = options
        self.clock = clock
        self.storageKey = storageKey
    }

    deinit {
        // The streams of `events()` end with the client.
        for continuation in subscribers.values {
            continuation.finish()
        }
    }

    // MARK: State

    /// A stream of the session's state changes (signed in, restored, tokens refreshed, ended
    /// and why, signed out), from now on. Each call returns a stream of its own; it ends when
    /// the consumer stops iterating. Keeps the newest 64 events a slow consumer has not read.
    public func events() -> AsyncStream<SessionEvent> {
        let id = UUID()
        var captured: AsyncStream<SessionEvent>.Continuation?
        let stream = AsyncStream<SessionEvent>(bufferingPolicy: .bufferingNewest(64)) { captured = $0 }
        if let continuation = captured {
            continuation.onTermination = { [weak self] _ in
                Task { await self?.unsubscribe(id) }
            }
            subscribers[id] = continuation
        }
        return stream
    }

    /// Where the session is and whose it is; nil before any sign-in or restore.
    public func status() throws -> SessionStatus? {
        try userSession?.status()
    }

    // MARK: Sign-in

    /// Starts a sign-in (SRP unless `flow` says otherwise) and sends requests until the user
    /// must answer a step or the user is signed in. `device`: the device remembered at an
    /// earlier sign-in, if any.
    public func signIn(
        username: String,
        password: String?,
        flow: AuthFlow = .userSrp,
        device: RememberedDevice? = nil,
        deviceName: String? = nil
    ) async throws -> SignInProgress {
        let credentials = SignInCredentials(
            username: username, flow: flow, password: password, device: device, deviceName: deviceName)
        let pending = PendingSignIn(session: try SignInSession(config: config, credentials: credentials), device: device)
        pendingSignIn = pending
        return try await drive(try pending.session.start(), pending)
    }

    /// Answers the step `signIn` (or the last `answer`) returned in `.needsAnswer`. A wrong
    /// code throws `CognitoAuthError.Service` with `stepStillOpen`: ask again and call `answer`.
    public func answer(_ answer: ChallengeAnswer) async throws -> SignInProgress {
        guard let pending = pendingSignIn else {
            throw CognitoAuthClientError.noSignInInProgress
        }
        return try await drive(try pending.session.answer(answer: answer), pending)
    }

    private func drive(_ first: SignInStep, _ pending: PendingSignIn) async throws -> SignInProgress {
        var step = first
        while true {
            switch step {
            case .sendRequest(let request):
                let response: HttpResponse
                do {
                    response = try await transport.send(request)
                } catch {
                    // No response: this sign-in cannot go on.
                    forgetSignIn(pending)
                    throw error
                }
                do {
                    step = try pending.session.handleResponse(
                        status: response.status, body: response.body, errorTypeHeader: response.errorTypeHeader)
                } catch {
                    if (try? pending.session.isOver()) ?? true {
                        forgetSignIn(pending)
                    }
                    throw error
                }
            case .done(let result):
                forgetSignIn(pending)
                let session = try UserSession.fromSignIn(
                    config: config, result: result, rememberedDevice: pending.device,
                    receivedAtUnixSecs: clock.nowUnixSecs(), options: options)
                try install(session)
                var newDevice: RememberedDevice?
                if case .confirmed(let device, _) = result.device {
                    newDevice = device
                }
                return .signedIn(try session.status(), newDevice: newDevice)
            case .confirmSignUp, .resetPassword:
                forgetSignIn(pending)
                return .stopped(step)
            default:
                return .needsAnswer(step)
            }
        }
    }

    private func forgetSignIn(_ pending: PendingSignIn) {
        if pendingSignIn?.session === pending.session {
            pendingSignIn = nil
        }
    }

    /// Makes the session from tokens Cognito sent another way (a hosted-UI code exchange),
    /// received now, and stores it.
    public func useTokens(_ tokens: AuthTokens, deviceKey: String? = nil) throws {
        try install(
            UserSession.fromTokens(
                config: config, tokens: tokens, deviceKey: deviceKey,
                receivedAtUnixSecs: clock.nowUnixSecs(), options: options))
    }

    /// Restores the session the store holds (after the app was killed). False if it holds none;
    /// `CognitoAuthError.SessionRestore` if the stored value is damaged, edited, sealed with
    /// another key or belongs to another client (the value is left in the store).
    @discardableResult
    public func restore() throws -> Bool {
        guard let stored = try store.load() else {
            return false
        }
        let session: UserSession
        if let key = storageKey {
            session = try UserSession.restoreSealed(config: config, stored: stored, key: key, options: options)
        } else {
            session = try UserSession.restore(config: config, stored: stored, options: options)
        }
        userSession = session
        publishEvents(of: session)
        return true
    }

    private func install(_ session: UserSession) throws {
        refreshTask = nil
        userSession = session
        try persist(session)
        publishEvents(of: session)
    }

    // MARK: Tokens

    /// Tokens good for a call now: the stored ones while they are fresh, else refreshed first
    /// (one refresh request however many tasks ask at once).
    ///
    /// Throws `CognitoAuthClientError.sessionEnded` when Cognito refused the refresh token (the
    /// stored session is deleted), `CognitoAuthError.Service` for a refusal that keeps the
    /// session (throttling: `retryable`), and the transport's error when the refresh got no
    /// response (the session is kept; the next call refreshes again).
    public func tokens() async throws -> SessionTokens {
        while true {
            guard let session = userSession else {
                throw CognitoAuthClientError.notSignedIn
            }
            let answer = try session.tokensForCall(nowUnixSecs: clock.nowUnixSecs())
            switch answer {
            case .fresh(let tokens):
                return tokens
            case .ended(let reason):
                throw CognitoAuthClientError.sessionEnded(reason: reason)
            case .refresh(let request):
                let task = Task { try await self.refresh(session, request) }
                refreshTask = task
                return try await withTaskCancellationHandler {
                    try await task.value
                } onCancel: {
                    task.cancel()
                }
            case .waitForRefresh:
                if let task = refreshTask {
                    do {
                        _ = try await task.value
                    } catch is CancellationError {
                        // The refreshing caller was cancelled: ask again, one of us refreshes.
                    }
                    // Any other failure (no response, throttling, the session ended) is thrown
                    // to everyone who waited on it, rather than sending the refresh again.
                } else {
                    // Only this actor refreshes this session, so a refresh it does not know of
                    // was started by someone else on the same UserSession: take it over.
                    _ = try session.refreshFailedToSend()
                }
            }
        }
    }

    /// The refresh, run as `refreshTask`: sends, then hands the response to the session. Any
    /// error or cancellation before a response arrived is reported with `refreshFailedToSend`,
    /// so the session never waits forever; a response that arrived is always handled (it may
    /// carry a rotated refresh token, and the old one is then dead).
    private func refresh(_ session: UserSession, _ request: HttpRequest) async throws -> SessionTokens {
        defer {
            // Unless the session was replaced meanwhile (then refreshTask may be another's).
            if userSession === session {
                refreshTask = nil
            }
        }
        let response: HttpResponse
        do {
            try Task.checkCancellation()
            response = try await transport.send(request)
        } catch {
            _ = try? session.refreshFailedToSend()
            throw error
        }
        let outcome: RefreshOutcome
        do {
            outcome = try session.handleRefreshResponse(
                status: response.status, body: response.body, errorTypeHeader: response.errorTypeHeader,
                nowUnixSecs: clock.nowUnixSecs())
        } catch {
            publishEvents(of: session)
            throw error
        }
        publishEvents(of: session)
        switch outcome {
        case .refreshed(let tokens):
            try persist(session)
            return tokens
        case .ended(let reason):
            try store.delete()
            throw CognitoAuthClientError.sessionEnded(reason: reason)
        }
    }

    // MARK: Sign-out

    /// Signs out. `.local` forgets the tokens here only; `.revoke` revokes the refresh token
    /// (`RevokeToken`); `.global` signs the user out on every device (`GlobalSignOut`). The
    /// stored session is deleted first, whatever the network does; a refusal by Cognito is
    /// thrown afterwards (`CognitoAuthError.Service`; when `retryable`, the tokens may still be
    /// valid until they expire). Access and ID tokens already handed out stay valid JWTs until
    /// they expire (see bindings/API.md, "What each sign-out leaves valid").
    public func signOut(_ kind: SignOutKind = .local) async throws {
        guard let session = userSession else {
            throw CognitoAuthClientError.notSignedIn
        }
        let step = try session.signOut(kind: kind)
        try store.delete()
        publishEvents(of: session)
        if case .sendRequest(let request) = step {
            let response = try await transport.send(request)
            try session.handleSignOutResponse(
                status: response.status, body: response.body, errorTypeHeader: response.errorTypeHeader)
        }
    }

    // MARK: Helpers

    private func persist(_ session: UserSession) throws {
        if let key = storageKey {
            try store.save(session.toStorageSealed(key: key).value)
        } else {
            try store.save(session.toStorage().value)
        }
    }

    private func publishEvents(of session: UserSession) {
        guard let drained = try? session.takeEvents() else {
            return
        }
        for event in drained.events {
            for continuation in subscribers.values {
                continuation.yield(event)
            }
        }
    }

    private func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
    }
}
