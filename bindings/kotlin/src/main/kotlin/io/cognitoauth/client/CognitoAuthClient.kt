package io.cognitoauth.client

import cognitoauth.AccountRequest
import cognitoauth.AccountResponse
import cognitoauth.AuthFlow
import cognitoauth.AwsCredentials
import cognitoauth.ChallengeAnswer
import cognitoauth.ClientConfig
import cognitoauth.CognitoAuthException
import cognitoauth.CredentialsForCall
import cognitoauth.CredentialsOutcome
import cognitoauth.EndReason
import cognitoauth.HostedUiConfig
import cognitoauth.HostedUiOptions
import cognitoauth.HttpRequest
import cognitoauth.IdentityPoolConfig
import cognitoauth.IdentityPoolCredentials
import cognitoauth.OAuthErrorKind
import cognitoauth.RefreshOutcome
import cognitoauth.RememberedDevice
import cognitoauth.SessionEvent
import cognitoauth.SessionOptions
import cognitoauth.SessionTokens
import cognitoauth.SignInCredentials
import cognitoauth.SignInSession
import cognitoauth.SignInStep
import cognitoauth.SignOutKind
import cognitoauth.SignOutStep
import cognitoauth.TokensForCall
import cognitoauth.UserInfo
import cognitoauth.UserSession
import cognitoauth.accountRequest
import cognitoauth.accountRequestKind
import cognitoauth.parseAccountResponse
import cognitoauth.hostedUiAuthorize
import cognitoauth.hostedUiLogoutUrl
import cognitoauth.hostedUiParseTokenResponse
import cognitoauth.hostedUiTokenRequest
import cognitoauth.userPoolLoginProvider
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext

/** The time the client reads, in Unix seconds. Tests pass a movable one. */
fun interface Clock {
    fun nowUnixSecs(): Long

    companion object {
        /** The system clock. */
        val SYSTEM: Clock = Clock { System.currentTimeMillis() / 1000 }
    }
}

/** Where the client is, for the UI ([CognitoAuthClient.state]). */
sealed interface AuthState {
    /** No session: never signed in here, signed out, or the stored one could not be read. */
    data object SignedOut : AuthState

    /** A sign-in is waiting for the user's answer ([step]: the TOTP code, a new password, ...). */
    data class SigningIn(val step: SignInStep) : AuthState

    /** Signed in as [username] (Cognito's canonical name) with the user's [sub]. */
    data class SignedIn(val username: String, val sub: String) : AuthState

    /** Cognito ended the session (the refresh token was revoked, expired or reused): sign in again. */
    data class Ended(val reason: EndReason) : AuthState
}

/**
 * A ready Cognito client over the cognito-auth binding: sign in (SRP, MFA steps), keep the
 * tokens fresh, survive the app being killed, sign out. All IO goes through [transport] and
 * [store]; every method is a `suspend` function and safe to call from many coroutines at once.
 *
 * ```
 * val client = CognitoAuthClient(ClientConfig(userPoolId = "eu-west-1_AbC", clientId = "1example"),
 *                                store = FileSessionStore(File(dir, "session")))
 * var step = client.signIn("alice", password)
 * if (step is SignInStep.ConfirmSignInWithTotpCode) step = client.confirmSignIn(ChallengeAnswer.TotpCode(code))
 * check(step is SignInStep.Done)
 * val accessToken = client.tokens().accessToken      // later: refreshed first when needed
 * client.signOut(SignOutKind.GLOBAL)
 * ```
 *
 * - [tokens] refreshes at most once at a time: the caller the session hands the refresh request
 *   to sends it holding a [Mutex]; the others (told `WaitForRefresh`) suspend on that mutex and then
 *   get the new tokens. A refresh that gets no response (network error, timeout, cancellation) keeps the
 *   session and is tried again by the next call.
 * - [state] tells the UI where the client is; [events] carries the session's own events
 *   (`SignedIn`, `Restored`, `TokensRefreshed`, `Ended(reason)`, `SignedOut(kind)`).
 * - Errors are the binding's [CognitoAuthException] (`Service` with Cognito's refusal,
 *   `SessionEnded` with the [EndReason], `InvalidState` when nobody is signed in, ...); a
 *   transport failure is the transport's exception ([java.io.IOException] for the default one);
 *   [SessionStoreException] from the store.
 */
class CognitoAuthClient(
    val config: ClientConfig,
    private val transport: Transport = defaultTransport(),
    private val store: SessionStore = InMemorySessionStore(),
    private val options: SessionOptions = SessionOptions(),
    private val clock: Clock = Clock.SYSTEM,
    /**
     * The user pool domain for the hosted UI ([signInWithWebUi]):
     * `https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or an emulator's
     * `http://127.0.0.1:PORT`.
     */
    val hostedUiDomain: String? = null,
) {
    private val refreshLock = Mutex()
    private val signInLock = Mutex()
    private val loadLock = Mutex()

    // The hosted UI's pending sign-in and the identity pools' identity ids, next to the session.
    private val pendingStore: SessionStore = store.sibling(PENDING_ENTRY) ?: InMemorySessionStore()
    private val identityStore: SessionStore = store.sibling(IDENTITY_ENTRY) ?: InMemorySessionStore()
    private val webUiLock = Mutex()
    private val identitiesLock = Mutex()
    private val identities = HashMap<String, Identity>()

    @Volatile private var session: UserSession? = null
    @Volatile private var loaded = false
    private var pending: SignInSession? = null
    private var pendingDevice: RememberedDevice? = null

    private val mutableState = MutableStateFlow<AuthState>(AuthState.SignedOut)
    private val mutableEvents = MutableSharedFlow<SessionEvent>(extraBufferCapacity = 64)

    /** Where the client is now; collect it to follow sign-in, sign-out and an ended session. */
    val state: StateFlow<AuthState> = mutableState.asStateFlow()

    /** The session's events as they happen (not replayed to late collectors). */
    val events: SharedFlow<SessionEvent> = mutableEvents.asSharedFlow()

    /**
     * Starts a sign-in of [username] with [password] ([flow]: SRP by default; [device]: a device
     * remembered by an earlier sign-in, to skip MFA where the pool allows). Sends every automatic
     * request and returns the first step that needs the user (answer it with [confirmSignIn]) or
     * the end: `SignInStep.Done` (signed in, session stored), `ConfirmSignUp`, `ResetPassword`.
     * A refusal is thrown as `CognitoAuthException.Service`.
     */
    suspend fun signIn(
        username: String,
        password: String,
        flow: AuthFlow = AuthFlow.UserSrp,
        device: RememberedDevice? = null,
    ): SignInStep = signInLock.withLock {
        pending?.close()
        pending = null
        val sign = SignInSession(config, SignInCredentials(username = username, flow = flow, password = password, device = device))
        pending = sign
        pendingDevice = device
        drive(sign, withContext(Dispatchers.Default) { sign.start() })
    }

    /** Answers the step [signIn] (or the last [confirmSignIn]) returned. `InvalidState` if none waits. */
    suspend fun confirmSignIn(answer: ChallengeAnswer): SignInStep = signInLock.withLock {
        val sign = pending ?: throw CognitoAuthException.InvalidState("no sign-in is waiting for an answer")
        drive(sign, withContext(Dispatchers.Default) { sign.answer(answer) })
    }

    /** Runs the sign-in's automatic legs; on `Done` makes, stores and announces the session. */
    private suspend fun drive(sign: SignInSession, first: SignInStep): SignInStep {
        var step = first
        repeat(MAX_HOPS) {
            when (val current = step) {
                is SignInStep.SendRequest -> {
                    val response = try {
                        transport.send(current.request)
                    } catch (e: Throwable) {
                        forgetPending(sign)
                        throw e
                    }
                    step = try {
                        withContext(Dispatchers.Default) { sign.handleResponse(response.status.toUShort(), response.body, response.errorType) }
                    } catch (e: CognitoAuthException) {
                        if (sign.isOver()) forgetPending(sign)
                        throw e
                    }
                }
                is SignInStep.Done -> {
                    val made = UserSession.fromSignIn(config, current.result, pendingDevice, now(), options)
                    forgetPending(sign)
                    adopt(made)
                    return current
                }
                else -> {
                    if (sign.isOver()) forgetPending(sign) else mutableState.value = AuthState.SigningIn(current)
                    return current
                }
            }
        }
        forgetPending(sign)
        throw CognitoAuthException.UnexpectedResponse("the sign-in was still sending requests after $MAX_HOPS")
    }

    /** The sign-in is over (done, refused, abandoned): drop it; the UI leaves `SigningIn`. */
    private fun forgetPending(sign: SignInSession) {
        if (pending === sign) {
            pending = null
            pendingDevice = null
            if (mutableState.value is AuthState.SigningIn) mutableState.value = session?.let { stateOf(it) } ?: AuthState.SignedOut
        }
        sign.close()
    }

    /** Makes [made] the session: stored, announced. */
    private suspend fun adopt(made: UserSession) {
        loadLock.withLock {
            session = made
            loaded = true
        }
        store.save(made.toStorage().value)
        publish(made)
    }

    /**
     * Loads the stored session if this client has none yet (also done by [tokens], [getUser] and
     * [signOut] on first use). Returns whether a session is active. A stored value that cannot be
     * read (edited, another pool or client, another version) is removed and thrown
     * (`CognitoAuthException.SessionRestore`, or [SessionStoreException] from the store).
     */
    suspend fun restore(): Boolean {
        ensureLoaded()
        return session?.status()?.isActive == true
    }

    private suspend fun ensureLoaded() {
        if (loaded) return
        loadLock.withLock {
            if (loaded) return
            val stored = try {
                store.load()
            } catch (e: SessionStoreException) {
                loaded = true
                store.clear()
                throw e
            }
            loaded = true
            if (stored != null) {
                val restored = try {
                    UserSession.restore(config, stored, options)
                } catch (e: CognitoAuthException) {
                    store.clear()
                    throw e
                }
                session = restored
                publish(restored)
            }
        }
    }

    /**
     * Tokens good for a call now: the stored ones while the access token is outside the refresh
     * margin, else refreshed first (one refresh at a time; concurrent callers wait for it).
     * `InvalidState` if nobody is signed in; `SessionEnded` with the reason once Cognito refused
     * the refresh token (the stored session is removed, [state] is [AuthState.Ended]); a refusal
     * that keeps the session (throttling) as `Service`; a transport failure as the transport's
     * exception (the session is kept).
     */
    suspend fun tokens(): SessionTokens {
        ensureLoaded()
        while (true) {
            val current = session ?: throw CognitoAuthException.InvalidState("nobody is signed in")
            when (val answer = current.tokensForCall(now())) {
                is TokensForCall.Fresh -> return answer.tokens
                is TokensForCall.Ended -> throw ended(current, answer.reason)
                is TokensForCall.Refresh -> {
                    // This caller owns the refresh now: hold the lock while it is in flight.
                    try {
                        refreshLock.lock()
                    } catch (e: Throwable) { // cancelled while waiting: give the refresh back
                        current.refreshFailedToSend()
                        throw e
                    }
                    try {
                        return refresh(current, answer.request)
                    } finally {
                        refreshLock.unlock()
                    }
                }
                TokensForCall.WaitForRefresh ->
                    // Another caller's refresh is in flight: suspend until it hands the lock back,
                    // then ask again. A free lock means the refresher has not taken it yet (or the
                    // same UserSession is refreshed outside this client): ask again shortly.
                    if (refreshLock.tryLock()) {
                        refreshLock.unlock()
                        delay(WAIT_POLL_MILLIS)
                    } else {
                        refreshLock.withLock { }
                    }
            }
        }
    }

    /** Sends the refresh [request] of [current] and hands the answer back to it. */
    private suspend fun refresh(current: UserSession, request: HttpRequest): SessionTokens {
        val response = try {
            transport.send(request)
        } catch (e: Throwable) {
            // No response (network, timeout, cancellation): keep the session, let the next
            // caller build the request again.
            current.refreshFailedToSend()
            throw e
        }
        return when (val outcome = current.handleRefreshResponse(response.status.toUShort(), response.body, response.errorType, now())) {
            is RefreshOutcome.Refreshed -> {
                // A rotated refresh token must replace the stored one before anyone uses it.
                withContext(NonCancellable) { store.save(current.toStorage().value) }
                publish(current)
                outcome.tokens
            }
            is RefreshOutcome.Ended -> throw ended(current, outcome.reason)
        }
    }

    /** The session [current] is over: forget it, tell the UI, build the exception to throw. */
    private suspend fun ended(current: UserSession, reason: EndReason): CognitoAuthException {
        withContext(NonCancellable) {
            if (session === current) store.clear()
            publish(current)
        }
        return CognitoAuthException.SessionEnded(reason, "the session is over ($reason): sign in again")
    }

    /**
     * Signs out. [SignOutKind.LOCAL] forgets the tokens here; [SignOutKind.REVOKE] also revokes the
     * refresh token at Cognito (`RevokeToken`); [SignOutKind.GLOBAL] signs the user out of every
     * device (`GlobalSignOut`). The session and the stored value are gone before the request is
     * sent; a failed request is thrown afterwards (`Service`, or the transport's exception) so the
     * app can tell the user that the tokens may still be valid at Cognito.
     */
    suspend fun signOut(kind: SignOutKind = SignOutKind.LOCAL) {
        ensureLoaded()
        val current = loadLock.withLock { session.also { session = null } }
            ?: throw CognitoAuthException.InvalidState("nobody is signed in")
        val step = try {
            current.signOut(kind)
        } catch (_: CognitoAuthException.SessionEnded) {
            SignOutStep.Done // already over (Cognito ended it): nothing to tell Cognito
        } finally {
            withContext(NonCancellable) {
                store.clear()
                publish(current)
                mutableState.value = AuthState.SignedOut
            }
        }
        if (step is SignOutStep.SendRequest) {
            val response = transport.send(step.request)
            current.handleSignOutResponse(response.status.toUShort(), response.body, response.errorType)
        }
    }

    /** The signed-in user (`GetUser` with fresh tokens). */
    suspend fun getUser(): UserInfo {
        val response = account(AccountRequest.GetUser(tokens().accessToken))
        return (response as? AccountResponse.User)?.user
            ?: throw IllegalStateException("GetUser answered $response")
    }

    /**
     * One account operation over this client's transport: builds [request]'s HTTP request (with
     * [clientMetadata] for the operations that take it), sends it and reads the answer, e.g.
     * `account(AccountRequest.ListDevices(tokens().accessToken)) as AccountResponse.Devices`.
     * Throws what the binding throws (`CognitoAuthException.Service` for a refusal).
     */
    suspend fun account(
        request: AccountRequest,
        clientMetadata: Map<String, String> = emptyMap(),
    ): AccountResponse {
        val kind = accountRequestKind(request)
        val response = send(accountRequest(config, request, clientMetadata))
        return parseAccountResponse(kind, response.status.toUShort(), response.body, response.errorType)
    }

    /** Sends a request built by the binding (e.g. `accountRequest(config, AccountRequest.ListDevices(token))`) over this client's transport. */
    suspend fun send(request: HttpRequest): TransportResponse = transport.send(request)

    // ---- hosted UI ---------------------------------------------------------------------------

    /**
     * Signs in through the hosted UI (OAuth 2.0 authorization code with PKCE): [beginWebUiSignIn],
     * then [openBrowser] (the app's: show the URL, return the URL the browser was redirected to;
     * throw to cancel, which drops the pending sign-in), then [finishWebUiSignIn]. Throws what
     * those throw.
     *
     * On Android, [openBrowser] opens the URL in a Custom Tab (`CustomTabsIntent.Builder().build()
     * .launchUrl(activity, Uri.parse(url))`) and suspends until the redirect comes back to an
     * activity registered for [redirectUri] (an intent filter for a custom scheme such as
     * `myapp://callback`, or a verified App Link `https://…`): that activity hands
     * `intent.data.toString()` to the suspended call, e.g. through a `CompletableDeferred<String>`.
     * If the process was killed meanwhile, the new process calls [finishWebUiSignIn] with that URL
     * instead: the pending state is in the [SessionStore]. On iOS the same place is taken by
     * `ASWebAuthenticationSession(url:callbackURLScheme:completionHandler:)`, whose completion
     * handler gets the callback URL (the Swift client's own entry points wrap it).
     *
     * ```
     * val client = CognitoAuthClient(config, store = store, hostedUiDomain = "https://myapp.auth.eu-west-1.amazoncognito.com")
     * client.signInWithWebUi("myapp://callback", listOf("openid", "email", "aws.cognito.signin.user.admin")) { url ->
     *     redirects = CompletableDeferred()
     *     CustomTabsIntent.Builder().build().launchUrl(activity, Uri.parse(url))
     *     redirects.await()                 // completed by the activity that receives myapp://callback
     * }
     * ```
     */
    suspend fun signInWithWebUi(
        redirectUri: String,
        scopes: List<String> = emptyList(),
        identityProvider: String? = null,
        openBrowser: suspend (url: String) -> String,
    ) {
        val (url, pending) = beginWebUi(redirectUri, scopes, identityProvider)
        val redirectUrl = try {
            openBrowser(url)
        } catch (e: Throwable) {
            withContext(NonCancellable) { forgetPending(pending) }
            throw e
        }
        finishWebUiSignIn(redirectUrl)
    }

    /**
     * Starts a hosted-UI sign-in and returns the `/oauth2/authorize` URL to open in the browser.
     * [redirectUri]: one of the app client's callback URLs, byte for byte; [scopes]: `openid` (an
     * ID token, needed by [credentials]), `email`, `profile`, `aws.cognito.signin.user.admin` (the
     * user operations with the access token, e.g. [getUser]), ...; empty: the client's allowed
     * scopes. [identityProvider] goes straight to `Google`, `SignInWithApple`, `COGNITO` or a SAML /
     * OIDC provider's name.
     *
     * The pending state (state, PKCE verifier, nonce) replaces any earlier one in the store's
     * `hosted-ui` entry ([SessionStore.sibling]), so a client made later with the same store (the
     * app was killed while the browser was open) can finish it. `InvalidInput` for a bad domain,
     * redirect URI or scope, or a client made without [hostedUiDomain].
     */
    suspend fun beginWebUiSignIn(
        redirectUri: String,
        scopes: List<String> = emptyList(),
        identityProvider: String? = null,
    ): String = beginWebUi(redirectUri, scopes, identityProvider).first

    private suspend fun beginWebUi(redirectUri: String, scopes: List<String>, identityProvider: String?): Pair<String, String> {
        val options = HostedUiOptions(redirectUri = redirectUri, scopes = scopes, identityProvider = identityProvider)
        val authorization = withContext(Dispatchers.Default) { hostedUiAuthorize(hostedUiConfig(), options) }
        webUiLock.withLock { pendingStore.save(authorization.pending) }
        return authorization.url to authorization.pending
    }

    /**
     * Finishes the pending hosted-UI sign-in with the URL the browser came back with: checks it
     * (the redirect URI, `state` compared in constant time), exchanges the code at `/oauth2/token`
     * with the PKCE verifier through the [Transport], checks the ID token's `nonce`, and makes,
     * stores and announces the session as [signIn] does: [tokens], [getUser], [signOut] and
     * [credentials] then work as after a password sign-in.
     *
     * Throws `CognitoAuthException.OAuth` with `kind`: `Denied` (the redirect carries `error=...`;
     * `access_denied`: the user cancelled) or `Refused` (the token endpoint said `error=...`, e.g.
     * `invalid_grant` for a used or expired code) end the pending sign-in; `StateMismatch` or
     * `BadRedirect` (not this sign-in's redirect: forged, stale, another app's) keep it for the
     * real redirect. `InvalidState` when none is pending; the transport's exception when the
     * exchange got no response (the pending sign-in is kept: call again).
     */
    suspend fun finishWebUiSignIn(redirectUrl: String) {
        val pending = webUiLock.withLock { pendingStore.load() }
            ?: throw CognitoAuthException.InvalidState("no hosted-UI sign-in is pending")
        val request = try {
            hostedUiTokenRequest(hostedUiConfig(), pending, redirectUrl)
        } catch (e: CognitoAuthException.OAuth) {
            if (e.kind != OAuthErrorKind.STATE_MISMATCH && e.kind != OAuthErrorKind.BAD_REDIRECT) forgetPending(pending)
            throw e
        }
        val response = transport.send(request)
        val tokens = try {
            withContext(Dispatchers.Default) { hostedUiParseTokenResponse(pending, response.status.toUShort(), response.body) }
        } finally {
            withContext(NonCancellable) { forgetPending(pending) }
        }
        adopt(UserSession.fromTokens(config, tokens, null, now(), options))
    }

    /** Whether a hosted-UI sign-in waits for its redirect ([finishWebUiSignIn]), in this process or a killed one. */
    suspend fun hasPendingWebUiSignIn(): Boolean = webUiLock.withLock { pendingStore.load() != null }

    /**
     * The hosted UI's `/logout` URL: open it in the browser after [signOut] to end the hosted UI's
     * own session too (else its cookie signs the user in again without a password); it
     * redirects to [logoutUri], one of the app client's sign-out URLs.
     */
    fun webUiSignOutUrl(logoutUri: String): String = hostedUiLogoutUrl(hostedUiConfig(), logoutUri)

    private fun hostedUiConfig(): HostedUiConfig {
        val domain = hostedUiDomain
            ?: throw CognitoAuthException.InvalidInput("hosted_ui_domain", "the client was made without a hostedUiDomain")
        return HostedUiConfig(domain = domain, clientId = config.clientId, clientSecret = config.clientSecret)
    }

    /** Deletes the stored pending sign-in if it is still [pending] (not a newer one). */
    private suspend fun forgetPending(pending: String) {
        webUiLock.withLock { if (pendingStore.load() == pending) pendingStore.clear() }
    }

    // ---- identity pools ----------------------------------------------------------------------

    /**
     * AWS credentials from the identity pool [identityPoolId] (`<region>:<GUID>`; [endpointUrl]
     * for another endpoint, e.g. an emulator): the signed-in user's, with the session's ID token
     * (made fresh by [tokens] first) as the login `cognito-idp.<region>.amazonaws.com/<user pool id>`;
     * with no active session, a guest's. They are fetched (`GetId` once per identity, then
     * `GetCredentialsForIdentity`) when none are held or they expire within the session's refresh
     * margin, one request at a time as in [tokens]: concurrent callers wait for it. The identity id
     * is kept in the store's `identities` entry ([SessionStore.sibling]) and reused by a client
     * made later with it; a sign-in, sign-out or another user switches identity.
     *
     * ```
     * val aws = client.credentials("eu-west-1:0d1f…")   // the user's, or a guest's when signed out
     * s3.withCredentials(aws.accessKeyId, aws.secretAccessKey, aws.sessionToken)
     * ```
     *
     * Throws `Service` for a refusal (`NotAuthorizedException`: the pool allows no guests, or does
     * not accept this user pool), the transport's exception when a request got no response, what
     * [tokens] throws for the user's session, and `InvalidState` for a session without an ID
     * token (a hosted-UI sign-in without the `openid` scope).
     */
    suspend fun credentials(identityPoolId: String, endpointUrl: String? = null): AwsCredentials =
        credentials(IdentityPoolConfig(identityPoolId = identityPoolId, endpointUrl = endpointUrl))

    /** [credentials] for an [IdentityPoolConfig]. */
    suspend fun credentials(pool: IdentityPoolConfig): AwsCredentials {
        while (true) {
            val (who, logins) = identityLogins()
            val identity = identityFor(pool, who, logins)
            when (val answer = identity.provider.credentialsForCall(now())) {
                is CredentialsForCall.Fresh -> return answer.credentials
                is CredentialsForCall.Send -> {
                    try {
                        identity.lock.lock()
                    } catch (e: Throwable) {
                        identity.provider.requestFailedToSend()
                        throw e
                    }
                    try {
                        return fetchCredentials(pool.identityPoolId, identity, answer.request)
                    } finally {
                        identity.lock.unlock()
                    }
                }
                CredentialsForCall.WaitForRefresh ->
                    if (identity.lock.tryLock()) {
                        identity.lock.unlock()
                        delay(WAIT_POLL_MILLIS)
                    } else {
                        identity.lock.withLock { }
                    }
            }
        }
    }

    /** The identity id the identity pool [identityPoolId] gave this client's user (or guest), if known. */
    suspend fun identityId(identityPoolId: String): String? {
        identitiesLock.withLock { identities[identityPoolId] }?.provider?.status()?.identityId?.let { return it }
        val (who, _) = identityWho()
        return storedIdentities()[identityPoolId]?.takeIf { it.first == who }?.second
    }

    private class Identity(val provider: IdentityPoolCredentials, var who: String, var logins: Map<String, String>) {
        val lock = Mutex()
    }

    /** Whose credentials (the user's `sub`, "" for a guest) and whether there is a session. */
    private suspend fun identityWho(): Pair<String, UserSession?> {
        ensureLoaded()
        val current = session?.takeIf { it.status().isActive } ?: return "" to null
        return current.status().sub to current
    }

    /** Whose credentials and the logins for them. */
    private suspend fun identityLogins(): Pair<String, Map<String, String>> {
        val (who, current) = identityWho()
        if (current == null) return who to emptyMap()
        val idToken = tokens().idToken
            ?: throw CognitoAuthException.InvalidState("the session has no ID token (a hosted-UI sign-in needs the openid scope)")
        return who to mapOf(userPoolLoginProvider(config.userPoolId) to idToken)
    }

    /** The pool's provider, switched to [who]. */
    private suspend fun identityFor(pool: IdentityPoolConfig, who: String, logins: Map<String, String>): Identity =
        identitiesLock.withLock {
            val known = identities[pool.identityPoolId]
            when {
                known == null -> {
                    val stored = storedIdentities()[pool.identityPoolId]?.takeIf { it.first == who }?.second
                    Identity(IdentityPoolCredentials(pool, logins, stored, options.refreshMarginSecs), who, logins)
                        .also { identities[pool.identityPoolId] = it }
                }
                known.who != who -> {
                    known.provider.switchLogins(logins) // a sign-in, sign-out or another user: a new identity
                    known.who = who
                    known.logins = logins
                    known
                }
                known.logins != logins -> {
                    known.provider.updateLogins(logins) // the same user's refreshed ID token
                    known.logins = logins
                    known
                }
                else -> known
            }
        }

    /** Sends the requests of one fetch (`GetId`, `GetCredentialsForIdentity`) holding the identity's lock. */
    private suspend fun fetchCredentials(poolId: String, identity: Identity, first: HttpRequest): AwsCredentials {
        var request = first
        repeat(MAX_HOPS) {
            val response = try {
                transport.send(request)
            } catch (e: Throwable) {
                identity.provider.requestFailedToSend()
                throw e
            }
            when (val outcome = identity.provider.handleResponse(response.status.toUShort(), response.body, response.errorType, now())) {
                is CredentialsOutcome.Send -> request = outcome.request
                is CredentialsOutcome.Refreshed -> {
                    withContext(NonCancellable) { saveIdentity(poolId, identity) }
                    return outcome.credentials
                }
            }
        }
        identity.provider.requestFailedToSend()
        throw CognitoAuthException.UnexpectedResponse("the identity pool was still asking for requests after $MAX_HOPS")
    }

    /** pool id -> (who, identity id), from the store's `identities` entry; an unreadable one is ignored. */
    private suspend fun storedIdentities(): Map<String, Pair<String, String>> {
        val lines = (try { identityStore.load() } catch (_: SessionStoreException) { null })?.lines() ?: return emptyMap()
        if (lines.firstOrNull() != IDENTITY_FORMAT) return emptyMap()
        return lines.drop(1).mapNotNull { line ->
            val fields = line.split('\t')
            if (fields.size == 3) fields[0] to (fields[1] to fields[2]) else null
        }.toMap()
    }

    private suspend fun saveIdentity(poolId: String, identity: Identity) {
        val id = identity.provider.status().identityId ?: return
        identitiesLock.withLock {
            val stored = storedIdentities().toMutableMap()
            val entry = identity.who to id
            if (stored[poolId] != entry) {
                stored[poolId] = entry
                identityStore.save(
                    (listOf(IDENTITY_FORMAT) + stored.map { (pool, e) -> "$pool\t${e.first}\t${e.second}" }).joinToString("\n"),
                )
            }
        }
    }

    /** Emits the session's pending events and updates [state] from its status. */
    private fun publish(from: UserSession) {
        for (event in from.takeEvents().events) mutableEvents.tryEmit(event)
        if (from !== session && session != null) return
        mutableState.value = stateOf(from)
    }

    private fun stateOf(from: UserSession): AuthState {
        val status = from.status()
        val reason = status.endReason
        return when {
            status.isActive -> AuthState.SignedIn(status.username, status.sub)
            reason == null || reason is EndReason.SignedOut -> AuthState.SignedOut
            else -> AuthState.Ended(reason)
        }
    }

    private fun now(): ULong = clock.nowUnixSecs().coerceAtLeast(0).toULong()

    private companion object {
        const val MAX_HOPS = 12
        const val WAIT_POLL_MILLIS = 20L
        const val PENDING_ENTRY = "hosted-ui"
        const val IDENTITY_ENTRY = "identities"
        const val IDENTITY_FORMAT = "cognito-auth-identities-v1"
    }
}
