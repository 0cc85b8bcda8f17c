package io.cognitoauth.client

import cognitoauth.AuthFlow
import cognitoauth.ChallengeAnswer
import cognitoauth.ClientConfig
import cognitoauth.CognitoAuthException
import cognitoauth.EndReason
import cognitoauth.HttpRequest
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
import cognitoauth.getUserRequest
import cognitoauth.parseGetUserResponse
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
) {
    private val refreshLock = Mutex()
    private val signInLock = Mutex()
    private val loadLock = Mutex()

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
        val response = send(getUserRequest(config, tokens().accessToken))
        return parseGetUserResponse(response.status.toUShort(), response.body, response.errorType)
    }

    /** Sends a request built by the binding (e.g. `listDevicesRequest(config, tokens().accessToken)`) over this client's transport. */
    suspend fun send(request: HttpRequest): TransportResponse = transport.send(request)

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
    }
}
