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
    /// Another item kept next to this one (the same place, the same protection). The client
    /// keeps the hosted UI's pending sign-in there (`"hosted-ui"`: it holds the PKCE verifier,
    /// and the app may be killed while the browser is open) and the identity pools' identity
    /// ids (`"identities"`). `InMemorySessionStore` and `KeychainSessionStore` have it; the
    /// default keeps them in memory (lost when the app is killed).
    func sibling(_ name: String) -> SessionStore
}

extension SessionStore {
    /// The default: an item in memory, not next to this one.
    public func sibling(_ name: String) -> SessionStore {
        InMemorySessionStore()
    }
}

/// Keeps the session in memory only (the default): a killed app signs in again.
public final class InMemorySessionStore: SessionStore, @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var value: String?
    private var siblings: [String: InMemorySessionStore] = [:]

    public init(value: String? = nil) {
        self.value = value
    }

    /// Another item in memory (the same object for the same name).
    public func sibling(_ name: String) -> SessionStore {
        lock.lock()
        defer { lock.unlock() }
        if let existing = siblings[name] {
            return existing
        }
        let made = InMemorySessionStore()
        siblings[name] = made
        return made
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
    /// A hosted-UI call on a client made without `hostedUiDomain`.
    case hostedUiNotConfigured
    /// `finishWebUiSignIn` without a pending hosted-UI sign-in (none begun, or it ended).
    case noWebUiSignInInProgress
    /// Identity-pool credentials for a session without an ID token (a hosted-UI sign-in
    /// without the `openid` scope).
    case noIdToken
    /// The stored identity ids are not the JSON object this client writes.
    case storedIdentitiesInvalid
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
    private let hostedUiDomain: String?
    private let pendingWebUiStore: SessionStore
    private let identityStore: SessionStore

    private var userSession: UserSession?
    private var pendingSignIn: PendingSignIn?
    private var refreshTask: Task<SessionTokens, Error>?
    private var subscribers: [UUID: AsyncStream<SessionEvent>.Continuation] = [:]

    private struct PendingSignIn {
        let session: SignInSession
        let device: RememberedDevice?
    }

    /// One identity pool's credentials: whose they are (the user's `sub`, "" for a guest), the
    /// logins sent, and the request round in flight that waiting callers share.
    private final class PoolIdentity: @unchecked Sendable {
        // @unchecked: only the actor reads or writes it (the fetch task runs on the actor too).
        let provider: IdentityPoolCredentials
        var who: String
        var logins: [String: String]
        var fetch: Task<AwsCredentials, Error>?

        init(provider: IdentityPoolCredentials, who: String, logins: [String: String]) {
            self.provider = provider
            self.who = who
            self.logins = logins
        }
    }

    private var identities: [String: PoolIdentity] = [:]

    /// - Parameters:
    ///   - storageKey: 32 to 64 random bytes kept apart from the store (a Keychain item of its
    ///     own): the stored session is sealed with it and refused if edited. Nil stores it plain.
    ///     The hosted UI's pending sign-in is sealed with it too.
    ///   - hostedUiDomain: the user pool domain for `signInWithWebUi`
    ///     (`https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain); the app
    ///     client id and secret are `config`'s.
    public init(
        config: ClientConfig,
        transport: Transport = URLSessionTransport(),
        store: SessionStore = InMemorySessionStore(),
        options: SessionOptions = SessionOptions(),
        clock: SessionClock = SystemClock(),
        storageKey: Data? = nil,
        hostedUiDomain: String? = nil
    ) {
        self.config = config
        self.transport = transport
        self.store = store
        self.options = options
        self.clock = clock
        self.storageKey = storageKey
        self.hostedUiDomain = hostedUiDomain
        self.pendingWebUiStore = store.sibling("hosted-ui")
        self.identityStore = store.sibling("identities")
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

    // MARK: Hosted UI

    /// Signs in through the hosted UI (OAuth 2.0 authorization code with PKCE):
    /// `beginWebUiSignIn`, then `open(url)`, then `finishWebUiSignIn` with the URL `open`
    /// returns. `open` is the app's: it shows the URL in a browser and returns the URL the
    /// browser was redirected to (one of the app client's callback URLs); it throws to cancel,
    /// which drops the pending sign-in. With `ASWebAuthenticationSession` (AuthenticationServices;
    /// the presentation context provider, a window for the sheet, is the app's):
    ///
    ///     let status = try await client.signInWithWebUi(
    ///         options: HostedUiOptions(redirectUri: "myapp://callback", scopes: ["openid", "email"])
    ///     ) { @MainActor url in
    ///         try await withCheckedThrowingContinuation { continuation in
    ///             let session = ASWebAuthenticationSession(url: url, callbackURLScheme: "myapp") { redirect, error in
    ///                 if let redirect = redirect {
    ///                     continuation.resume(returning: redirect)
    ///                 } else {
    ///                     continuation.resume(throwing: error ?? CancellationError())
    ///                 }
    ///             }
    ///             session.presentationContextProvider = presentationContext // the app's
    ///             session.start()
    ///         }
    ///     }
    ///
    /// Throws what `beginWebUiSignIn`, `open` and `finishWebUiSignIn` throw.
    @discardableResult
    public func signInWithWebUi(
        options: HostedUiOptions,
        open: @Sendable (URL) async throws -> URL
    ) async throws -> SessionStatus {
        let url = try beginWebUiSignIn(options: options)
        let pending = try pendingWebUiStore.load()
        let redirect: URL
        do {
            redirect = try await open(url)
        } catch {
            forgetWebUiSignIn(pending)
            throw error
        }
        return try await finishWebUiSignIn(redirect: redirect)
    }

    /// Starts a hosted-UI sign-in and returns the `/oauth2/authorize` URL to open in the
    /// browser. `options.redirectUri`: one of the app client's callback URLs, byte for byte;
    /// `options.scopes`: `openid` (an ID token: needed by `credentials`), `email`,
    /// `aws.cognito.signin.user.admin` (the user operations), ...; empty: the client's allowed
    /// scopes. The pending state (state, PKCE verifier, nonce; sealed with `storageKey` if
    /// given) replaces any earlier one in the store's `"hosted-ui"` sibling, so a client made
    /// later with the same store (the app was killed while the browser was open) can finish it.
    /// `CognitoAuthError.InvalidInput` for a bad domain, redirect URI or scope.
    public func beginWebUiSignIn(options: HostedUiOptions) throws -> URL {
        let authorization = try hostedUiAuthorize(
            config: try hostedUiConfig(), options: options, sealingKey: storageKey)
        guard let url = URL(string: authorization.url) else {
            throw CognitoAuthClientError.invalidUrl(authorization.url)
        }
        try pendingWebUiStore.save(authorization.pending)
        return url
    }

    /// A hosted-UI sign-in waits for its redirect (`finishWebUiSignIn`).
    public func hasPendingWebUiSignIn() throws -> Bool {
        try pendingWebUiStore.load() != nil
    }

    /// Finishes the pending hosted-UI sign-in with the URL the browser came back with: checks
    /// it (the redirect URI, `state` compared in constant time), exchanges the code at
    /// `/oauth2/token` through the transport with the PKCE verifier, checks the ID token's
    /// `nonce`, and makes and stores the session (`UserSession.fromTokens`): `tokens()`,
    /// `signOut` and `credentials` then work as after a password sign-in.
    ///
    /// Throws `CognitoAuthError.OAuth` with `kind` `.denied` (the redirect carries `error=...`;
    /// `access_denied`: the user cancelled) or `.refused` (the token endpoint said `error=...`,
    /// e.g. `invalid_grant`: a used or expired code), which end the pending sign-in;
    /// `.stateMismatch` or `.badRedirect` (not this sign-in's redirect: forged, stale, another
    /// app's) keep it for the real redirect. `noWebUiSignInInProgress` when none is pending;
    /// the transport's error when the exchange got no response (kept: call again).
    @discardableResult
    public func finishWebUiSignIn(redirect: URL) async throws -> SessionStatus {
        guard let pending = try pendingWebUiStore.load() else {
            throw CognitoAuthClientError.noWebUiSignInInProgress
        }
        let request: HttpRequest
        do {
            request = try hostedUiTokenRequest(
                config: try hostedUiConfig(), pending: pending, redirectUrl: redirect.absoluteString,
                sealingKey: storageKey)
        } catch {
            if let refused = error as? CognitoAuthError, case .OAuth(let kind, _, _, _, _) = refused,
               kind == .stateMismatch || kind == .badRedirect {
                throw error // not this sign-in's redirect: the pending one waits for the real one
            }
            forgetWebUiSignIn(pending)
            throw error
        }
        let response = try await transport.send(request)
        let tokens: AuthTokens
        do {
            tokens = try hostedUiParseTokenResponse(
                pending: pending, status: response.status, body: response.body, sealingKey: storageKey)
        } catch {
            forgetWebUiSignIn(pending)
            throw error
        }
        forgetWebUiSignIn(pending)
        let session = try UserSession.fromTokens(
            config: config, tokens: tokens, deviceKey: nil, receivedAtUnixSecs: clock.nowUnixSecs(),
            options: options)
        try install(session)
        return try session.status()
    }

    /// The hosted UI's `/logout` URL: open it in the browser after `signOut` to end the hosted
    /// UI's own session too (else its cookie signs the user in again without a password); it
    /// redirects to `logoutUri`, one of the app client's sign-out URLs.
    public func webUiSignOutUrl(logoutUri: String) throws -> URL {
        let text = try hostedUiLogoutUrl(config: try hostedUiConfig(), logoutUri: logoutUri)
        guard let url = URL(string: text) else {
            throw CognitoAuthClientError.invalidUrl(text)
        }
        return url
    }

    private func hostedUiConfig() throws -> HostedUiConfig {
        guard let domain = hostedUiDomain else {
            throw CognitoAuthClientError.hostedUiNotConfigured
        }
        return HostedUiConfig(domain: domain, clientId: config.clientId, clientSecret: config.clientSecret)
    }

    /// Deletes the stored pending sign-in if it is still `pending` (not a newer one).
    private func forgetWebUiSignIn(_ pending: String?) {
        if let pending = pending, (try? pendingWebUiStore.load()) == pending {
            try? pendingWebUiStore.delete()
        }
    }

    // MARK: Account operations

    /// One account operation over this client's transport: builds `request`'s HTTP request (with
    /// `clientMetadata` for the operations that take it; `InvalidInput` for one that takes
    /// none), sends it and reads the answer. For example
    /// `try await client.account(.getUser(accessToken: try await client.tokens().accessToken))`
    /// gives `.user(user:)`. Throws what the binding throws (`CognitoAuthError.Service` for a
    /// refusal) and the transport's error when a request got no response.
    public func account(
        _ request: AccountRequest, clientMetadata: [String: String] = [:]
    ) async throws -> AccountResponse {
        let kind = accountRequestKind(request: request)
        let http = try accountRequest(config: config, request: request, clientMetadata: clientMetadata)
        let response = try await transport.send(http)
        return try parseAccountResponse(
            kind: kind, status: response.status, body: response.body,
            errorTypeHeader: response.errorTypeHeader)
    }

    // MARK: Identity pools

    /// AWS credentials from the identity pool `identityPoolId` (`<region>:<GUID>`).
    /// See `credentials(identityPool:)`.
    public func credentials(identityPoolId: String) async throws -> AwsCredentials {
        try await credentials(identityPool: IdentityPoolConfig(identityPoolId: identityPoolId))
    }

    /// AWS credentials from an identity pool: the signed-in user's, with the session's ID token
    /// (made fresh by `tokens()` first) as the login `cognito-idp.<region>.amazonaws.com/<user
    /// pool id>`; with no active session, a guest's. They are fetched (`GetId` once per
    /// identity, then `GetCredentialsForIdentity`) when none are held or they expire within the
    /// session's refresh margin, one request round at a time: the actor keeps the round as a
    /// task and concurrent callers await it. The identity id is kept in the store's
    /// `"identities"` sibling and reused by a client made later with it; a sign-in, sign-out
    /// or another user switches identity.
    ///
    /// Throws `CognitoAuthError.Service` for a refusal (`.notAuthorized`: the pool allows no
    /// guests, or does not accept this user pool), the transport's error when a request got no
    /// response (everyone waiting on that round gets it; the next call asks again), what
    /// `tokens()` throws, and `noIdToken` for a session without an ID token.
    public func credentials(identityPool: IdentityPoolConfig) async throws -> AwsCredentials {
        while true {
            let (who, logins) = try await identityLogins()
            let identity = try poolIdentity(identityPool, who: who, logins: logins)
            switch try identity.provider.credentialsForCall(nowUnixSecs: clock.nowUnixSecs()) {
            case .fresh(let credentials):
                return credentials
            case .send(let request):
                let poolId = identityPool.identityPoolId
                let fetch = Task { try await self.fetchCredentials(poolId, identity, request) }
                identity.fetch = fetch
                return try await withTaskCancellationHandler {
                    try await fetch.value
                } onCancel: {
                    fetch.cancel()
                }
            case .waitForRefresh:
                if let fetch = identity.fetch {
                    do {
                        return try await fetch.value
                    } catch is CancellationError {
                        // The fetching caller was cancelled: ask again, one of us fetches.
                    }
                } else {
                    // A round this actor does not know of: take it over.
                    _ = try identity.provider.requestFailedToSend()
                }
            }
        }
    }

    /// Whose credentials (the user's `sub`, "" for a guest) and the logins for them.
    private func identityLogins() async throws -> (String, [String: String]) {
        guard let session = userSession, try session.status().isActive else {
            return ("", [:])
        }
        let tokens = try await self.tokens()
        guard let idToken = tokens.idToken else {
            throw CognitoAuthClientError.noIdToken
        }
        let sub = try session.status().sub
        return (sub, [try userPoolLoginProvider(userPoolId: config.userPoolId): idToken])
    }

    /// The pool's provider, switched to `who`.
    private func poolIdentity(_ pool: IdentityPoolConfig, who: String, logins: [String: String]) throws -> PoolIdentity {
        let poolId = pool.identityPoolId
        if let identity = identities[poolId] {
            if identity.who != who {
                try identity.provider.switchLogins(logins: logins)
                identity.who = who
                identity.logins = logins
            } else if identity.logins != logins {
                // The same user's refreshed ID token.
                try identity.provider.updateLogins(logins: logins)
                identity.logins = logins
            }
            return identity
        }
        let stored = try storedIdentities()[poolId]
        let identityId = stored?["who"] == who ? stored?["identity_id"] : nil
        let provider = try IdentityPoolCredentials(
            config: pool, logins: logins, identityId: identityId, refreshMarginSecs: options.refreshMarginSecs)
        let identity = PoolIdentity(provider: provider, who: who, logins: logins)
        identities[poolId] = identity
        return identity
    }

    /// One request round, run as the identity's `fetch`: `GetId` if needed, then
    /// `GetCredentialsForIdentity`. A request that got no response is reported with
    /// `requestFailedToSend`, so the provider never waits forever.
    private func fetchCredentials(
        _ poolId: String, _ identity: PoolIdentity, _ first: HttpRequest
    ) async throws -> AwsCredentials {
        defer {
            identity.fetch = nil
        }
        var request = first
        while true {
            let response: HttpResponse
            do {
                try Task.checkCancellation()
                response = try await transport.send(request)
            } catch {
                _ = try? identity.provider.requestFailedToSend()
                throw error
            }
            let outcome = try identity.provider.handleResponse(
                status: response.status, body: response.body, errorTypeHeader: response.errorTypeHeader,
                nowUnixSecs: clock.nowUnixSecs())
            switch outcome {
            case .send(let next):
                request = next
            case .refreshed(let credentials):
                if let identityId = try identity.provider.status().identityId {
                    try saveIdentity(poolId, who: identity.who, identityId: identityId)
                }
                return credentials
            }
        }
    }

    /// `{"<pool id>": {"who": "<sub or empty>", "identity_id": "..."}}` in the `"identities"` sibling.
    private func storedIdentities() throws -> [String: [String: String]] {
        guard let text = try identityStore.load() else {
            return [:]
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
              let object = parsed as? [String: [String: String]] else {
            throw CognitoAuthClientError.storedIdentitiesInvalid
        }
        return object
    }

    private func saveIdentity(_ poolId: String, who: String, identityId: String) throws {
        var all = (try? storedIdentities()) ?? [:]
        if all[poolId] == ["who": who, "identity_id": identityId] {
            return
        }
        all[poolId] = ["who": who, "identity_id": identityId]
        let data = try JSONSerialization.data(withJSONObject: all, options: [.sortedKeys])
        try identityStore.save(String(decoding: data, as: UTF8.self))
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
