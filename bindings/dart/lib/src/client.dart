/// The ready client of the Dart/Flutter package: signs in, keeps the user's tokens fresh one
/// refresh at a time, stores the session and signs out, doing the HTTP itself (`dart:io`
/// [io.HttpClient] by default). Hand-written; it calls only the generated API (SignInSession,
/// UserSession and their records), which does no IO.
///
/// ```dart
/// final client = CognitoAuthClient(config: const ClientConfig(
///     userPoolId: 'us-east-1_Abc123XyZ', clientId: '1example23456789abcdefghij'));
/// final progress = await client.signIn(username: 'alice', password: password);
/// if (progress is SignInNeedsAnswer && progress.step is SignInStepConfirmSignInWithTotpCode) {
///   await client.answer(ChallengeAnswerTotpCode(code: await askTotpCode()));
/// }
/// final tokens = await client.tokens(); // later, from anywhere: refreshed once when due
/// ```
///
/// Checked statically only on this project's machines (tree-sitter-dart and the name checks
/// of bindings/dart/check.sh); test/client_test.dart runs with bindings/dart/run-tests.sh
/// where a Dart SDK exists.
library;

import 'dart:async';
import 'dart:convert';
import 'dart:io' as io;
import 'dart:typed_data';

import 'generated/cognito_auth_ffi.dart';

/// An HTTP response as the sessions take it: the status, the body and the value of the
/// `x-amzn-ErrorType` header ([errorTypeHeaderName]).
class TransportResponse {
  const TransportResponse(this.status, this.body, [this.errorTypeHeader]);

  final int status;
  final Uint8List body;
  final String? errorTypeHeader;
}

/// Sends the requests the library builds. [HttpClientTransport] is the default; a Flutter app
/// with its own HTTP stack (package:http, dio, a proxy, certificate pinning) passes its own.
/// A thrown error means "no response": the client tells the session so.
abstract interface class Transport {
  Future<TransportResponse> send(HttpRequest request);
}

/// The default transport, on `dart:io`'s [io.HttpClient] (not available on the web).
class HttpClientTransport implements Transport {
  HttpClientTransport({io.HttpClient? client, this.timeout = const Duration(seconds: 30)})
      : _client = client ?? io.HttpClient();

  final io.HttpClient _client;

  /// For connecting, sending and receiving, each.
  final Duration timeout;

  @override
  Future<TransportResponse> send(HttpRequest request) async {
    final outgoing = await _client.openUrl(request.method, Uri.parse(request.url)).timeout(timeout);
    request.headers.forEach(outgoing.headers.set);
    final body = utf8.encode(request.body);
    outgoing.contentLength = body.length;
    outgoing.add(body);
    final incoming = await outgoing.close().timeout(timeout);
    final bytes = BytesBuilder(copy: false);
    await for (final chunk in incoming.timeout(timeout)) {
      bytes.add(chunk);
    }
    return TransportResponse(incoming.statusCode, bytes.takeBytes(), incoming.headers.value(errorTypeHeaderName()));
  }

  /// Closes the HttpClient (pending requests fail).
  void close() => _client.close(force: true);
}

/// Where the client keeps the session between launches: one secret string (it holds the
/// refresh token), saved after every sign-in and refresh, deleted when the session ends.
///
/// The default, [InMemorySessionStore], forgets on exit. A Flutter app keeps it in the
/// Keychain / Android Keystore with `flutter_secure_storage` (not a dependency of this
/// package; add it to the app). The whole adapter:
///
/// ```dart
/// import 'package:flutter_secure_storage/flutter_secure_storage.dart';
///
/// class SecureStorageSessionStore implements SiblingSessionStore {
///   SecureStorageSessionStore([this.key = 'cognito_auth.session']);
///
///   final String key;
///   static const _storage = FlutterSecureStorage(
///     // Readable after the first unlock (background refreshes), never leaves the device.
///     iOptions: IOSOptions(accessibility: KeychainAccessibility.first_unlock_this_device),
///   );
///
///   @override
///   Future<String?> load() => _storage.read(key: key);
///
///   @override
///   Future<void> save(String value) => _storage.write(key: key, value: value);
///
///   @override
///   Future<void> delete() => _storage.delete(key: key);
///
///   // Items next to this one: the hosted UI's pending sign-in, the identity ids.
///   @override
///   SessionStore sibling(String name) => SecureStorageSessionStore('$key.$name');
/// }
/// ```
abstract interface class SessionStore {
  Future<String?> load();
  Future<void> save(String value);
  Future<void> delete();
}

/// A [SessionStore] with other items next to its own (the same place, the same protection).
/// The client keeps the hosted UI's pending sign-in there (`'hosted-ui'`: it holds the PKCE
/// verifier, and the app may be killed while the browser is open) and the identity pools'
/// identity ids (`'identities'`). A store without it: those are kept in memory (lost when
/// the app is killed).
abstract interface class SiblingSessionStore implements SessionStore {
  /// The item [name] next to this one (the same store for the same name).
  SessionStore sibling(String name);
}

/// Keeps the session in memory only: a killed app signs in again.
class InMemorySessionStore implements SiblingSessionStore {
  InMemorySessionStore([this._value]);

  String? _value;
  final Map<String, InMemorySessionStore> _siblings = {};

  @override
  SessionStore sibling(String name) => _siblings.putIfAbsent(name, () => InMemorySessionStore());

  @override
  Future<String?> load() async => _value;

  @override
  Future<void> save(String value) async {
    _value = value;
  }

  @override
  Future<void> delete() async {
    _value = null;
  }
}

/// Where a sign-in stopped: [SignInSignedIn], [SignInNeedsAnswer] or [SignInStopped].
sealed class SignInProgress {
  const SignInProgress();
}

/// Signed in: the session is stored and [CognitoAuthClient.tokens] works. [newDevice] is the
/// device Cognito just confirmed (store it like a password; pass it to the next sign-in).
final class SignInSignedIn extends SignInProgress {
  const SignInSignedIn(this.status, this.newDevice);

  final SessionStatus status;
  final RememberedDevice? newDevice;

  @override
  String toString() => 'SignInSignedIn(<redacted>)';
}

/// The user must answer [step] (`SignInStepConfirmSignInWithTotpCode`, ...): call
/// [CognitoAuthClient.answer].
final class SignInNeedsAnswer extends SignInProgress {
  const SignInNeedsAnswer(this.step);

  final SignInStep step;

  @override
  String toString() => 'SignInNeedsAnswer($step)';
}

/// The sign-in is over without tokens ([step] is `SignInStepConfirmSignUp` or
/// `SignInStepResetPassword`): do that, then sign in again.
final class SignInStopped extends SignInProgress {
  const SignInStopped(this.step);

  final SignInStep step;

  @override
  String toString() => 'SignInStopped($step)';
}

/// The client's own errors. The library's errors are thrown as the generated
/// `CognitoAuthErrorException` subclasses; the transport's and the store's pass through.
/// None holds a secret.
sealed class CognitoAuthClientException implements Exception {
  const CognitoAuthClientException();
}

/// No session: sign in (or [CognitoAuthClient.restore] / [CognitoAuthClient.useTokens]) first.
final class NotSignedInException extends CognitoAuthClientException {
  const NotSignedInException();

  @override
  String toString() => 'NotSignedInException: sign in first';
}

/// [CognitoAuthClient.answer] without a sign-in step waiting for one.
final class NoSignInInProgressException extends CognitoAuthClientException {
  const NoSignInInProgressException();

  @override
  String toString() => 'NoSignInInProgressException: no sign-in step is waiting for an answer';
}

/// The session is over ([reason]: signed out, refresh token revoked, expired or reused): sign
/// in again.
final class SessionEndedException extends CognitoAuthClientException {
  const SessionEndedException(this.reason);

  final EndReason reason;

  @override
  String toString() => 'SessionEndedException: $reason';
}

/// `finishWebUiSignIn` without a pending hosted-UI sign-in (none begun, or it ended).
final class NoWebUiSignInInProgressException extends CognitoAuthClientException {
  const NoWebUiSignInInProgressException();

  @override
  String toString() => 'NoWebUiSignInInProgressException: no hosted-UI sign-in is pending';
}

/// A hosted-UI call on a client made without `hostedUiDomain`.
final class HostedUiNotConfiguredException extends CognitoAuthClientException {
  const HostedUiNotConfiguredException();

  @override
  String toString() => 'HostedUiNotConfiguredException: the client was made without a hostedUiDomain';
}

/// Identity-pool credentials for a session without an ID token (a hosted-UI sign-in without
/// the `openid` scope).
final class NoIdTokenException extends CognitoAuthClientException {
  const NoIdTokenException();

  @override
  String toString() => 'NoIdTokenException: the session has no ID token (the hosted UI needs the openid scope)';
}

/// The stored identity ids are not the JSON object this client writes.
final class StoredIdentitiesInvalidException extends CognitoAuthClientException {
  const StoredIdentitiesInvalidException();

  @override
  String toString() => 'StoredIdentitiesInvalidException: the stored identity ids are damaged';
}

/// The time the client passes to the session, in seconds since 1970-01-01 UTC. Tests pass a
/// clock they move.
typedef UnixClock = int Function();

int _systemClock() => DateTime.now().millisecondsSinceEpoch ~/ 1000;

class _PendingSignIn {
  _PendingSignIn(this.session, this.device);

  final SignInSession session;
  final RememberedDevice? device;
}

/// One identity pool's credentials: whose they are (the user's `sub`, '' for a guest), the
/// logins sent, and the request round in flight that waiting callers share.
class _PoolIdentity {
  _PoolIdentity(this.provider, this.who, this.logins);

  final IdentityPoolCredentials provider;
  String who;
  Map<String, String> logins;
  Future<AwsCredentials>? fetching;
}

SessionStore _siblingOf(SessionStore store, String name) =>
    store is SiblingSessionStore ? store.sibling(name) : InMemorySessionStore();

bool _sameLogins(Map<String, String> a, Map<String, String> b) =>
    a.length == b.length && a.entries.every((entry) => b[entry.key] == entry.value);

/// A signed-in user's tokens for an app: [signIn], [tokens] whenever a call needs them,
/// [signOut]. [events] tells the UI what changed.
///
/// Single-flight refresh: of the callers that ask for tokens while they are due, the first
/// sends the refresh and keeps its Future; the others await that Future (and get its tokens or
/// its error) instead of sending a second one, so a rotated refresh token is never reused.
/// Call [openCognitoAuth] once before making a client.
class CognitoAuthClient {
  CognitoAuthClient({
    required this.config,
    Transport? transport,
    SessionStore? store,
    this.options = const SessionOptions(),
    UnixClock? clock,
    Uint8List? storageKey,
    this.hostedUiDomain,
  })  : _transport = transport ?? HttpClientTransport(),
        _store = store ?? InMemorySessionStore(),
        _clock = clock ?? _systemClock,
        _storageKey = storageKey;

  final ClientConfig config;
  final SessionOptions options;
  final Transport _transport;
  final SessionStore _store;
  final UnixClock _clock;

  /// 32 to 64 random bytes kept apart from the store: the stored session is sealed with them
  /// and refused if edited. Null stores it plain.
  final Uint8List? _storageKey;

  /// The user pool domain for [signInWithWebUi]
  /// (`https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain); the app client id
  /// and secret are [config]'s. Null: no hosted UI.
  final String? hostedUiDomain;

  late final SessionStore _pendingWebUiStore = _siblingOf(_store, 'hosted-ui');
  late final SessionStore _identityStore = _siblingOf(_store, 'identities');
  final Map<String, _PoolIdentity> _identities = {};

  final StreamController<SessionEvent> _events = StreamController<SessionEvent>.broadcast();
  UserSession? _session;
  _PendingSignIn? _pendingSignIn;
  Future<SessionTokens>? _refreshing;

  /// The session's state changes (signed in, restored, tokens refreshed, ended and why,
  /// signed out), for any number of listeners; a listener gets the events after it subscribed.
  Stream<SessionEvent> get events => _events.stream;

  /// Where the session is and whose it is; null before any sign-in or restore.
  SessionStatus? status() => _session?.status();

  /// Starts a sign-in (SRP unless [flow] says otherwise) and sends requests until the user
  /// must answer a step or is signed in. [device]: the device remembered at an earlier sign-in.
  Future<SignInProgress> signIn({
    required String username,
    String? password,
    AuthFlow flow = const AuthFlowUserSrp(),
    RememberedDevice? device,
    String? deviceName,
  }) async {
    final credentials = SignInCredentials(
        username: username, flow: flow, password: password, device: device, deviceName: deviceName);
    final pending = _PendingSignIn(SignInSession.create(config, credentials), device);
    _forgetSignIn();
    _pendingSignIn = pending;
    return _drive(pending.session.start(), pending);
  }

  /// Answers the step [signIn] (or the last [answer]) returned as [SignInNeedsAnswer]. A wrong
  /// code throws `CognitoAuthErrorExceptionService` with `stepStillOpen`: ask again, answer again.
  Future<SignInProgress> answer(ChallengeAnswer answer) async {
    final pending = _pendingSignIn;
    if (pending == null) {
      throw const NoSignInInProgressException();
    }
    return _drive(pending.session.answer(answer), pending);
  }

  Future<SignInProgress> _drive(SignInStep first, _PendingSignIn pending) async {
    var step = first;
    while (true) {
      switch (step) {
        case SignInStepSendRequest(:final request):
          final TransportResponse response;
          try {
            response = await _transport.send(request);
          } catch (_) {
            _forgetSignIn(pending); // no response: this sign-in cannot go on
            rethrow;
          }
          try {
            step = pending.session.handleResponse(response.status, response.body, response.errorTypeHeader);
          } catch (_) {
            if (pending.session.isOver()) {
              _forgetSignIn(pending);
            }
            rethrow;
          }
        case SignInStepDone(:final result):
          _forgetSignIn(pending);
          final session = UserSession.fromSignIn(config, result, pending.device, _clock(), options);
          await _install(session);
          final device = result.device;
          return SignInSignedIn(session.status(), device is DeviceOutcomeConfirmed ? device.device : null);
        case SignInStepConfirmSignUp() || SignInStepResetPassword():
          _forgetSignIn(pending);
          return SignInStopped(step);
        default:
          return SignInNeedsAnswer(step);
      }
    }
  }

  /// Forgets [pending] (or any sign-in, without it) and frees its native session.
  void _forgetSignIn([_PendingSignIn? pending]) {
    final current = _pendingSignIn;
    if (current != null && (pending == null || identical(current, pending))) {
      _pendingSignIn = null;
      current.session.close();
    }
  }

  /// Makes the session from tokens Cognito sent another way (a hosted-UI code exchange),
  /// received now, and stores it.
  Future<void> useTokens(AuthTokens tokens, {String? deviceKey}) {
    return _install(UserSession.fromTokens(config, tokens, deviceKey, _clock(), options));
  }

  /// Restores the session the store holds (after the app was killed). False if it holds none;
  /// `CognitoAuthErrorExceptionSessionRestore` if the stored value is damaged, edited, sealed
  /// with another key or another client's (the value is left in the store).
  Future<bool> restore() async {
    final stored = await _store.load();
    if (stored == null) {
      return false;
    }
    final key = _storageKey;
    final session = key == null
        ? UserSession.restore(config, stored, options)
        : UserSession.restoreSealed(config, stored, key, options);
    _replaceSession(session);
    _publishEvents(session);
    return true;
  }

  Future<void> _install(UserSession session) async {
    _replaceSession(session);
    await _persist(session);
    _publishEvents(session);
  }

  void _replaceSession(UserSession session) {
    final old = _session;
    _session = session;
    _refreshing = null;
    if (old != null && !identical(old, session)) {
      old.close();
    }
  }

  /// Tokens good for a call now: the stored ones while they are fresh, else refreshed first
  /// (one refresh request however many callers ask at once).
  ///
  /// Throws [SessionEndedException] when Cognito refused the refresh token (the stored session
  /// is deleted), `CognitoAuthErrorExceptionService` for a refusal that keeps the session
  /// (throttling: `retryable`), and the transport's error when the refresh got no response
  /// (the session is kept; the next call refreshes again).
  Future<SessionTokens> tokens() async {
    while (true) {
      final session = _session;
      if (session == null) {
        throw const NotSignedInException();
      }
      switch (session.tokensForCall(_clock())) {
        case TokensForCallFresh(:final tokens):
          return tokens;
        case TokensForCallEnded(:final reason):
          throw SessionEndedException(reason);
        case TokensForCallRefresh(:final request):
          final refresh = _refresh(session, request);
          _refreshing = refresh;
          try {
            return await refresh;
          } finally {
            if (identical(_refreshing, refresh)) {
              _refreshing = null;
            }
          }
        case TokensForCallWaitForRefresh():
          final pending = _refreshing;
          if (pending == null) {
            // Only this client refreshes this session, so a refresh it does not know of was
            // started by someone else on the same UserSession: take it over.
            session.refreshFailedToSend();
          } else {
            // Its tokens, or its error (no response, throttling, the session ended).
            return await pending;
          }
      }
    }
  }

  /// Sends the refresh, then hands the response to the session. Any error before a response
  /// arrived is reported with refreshFailedToSend, so the session never waits forever; a
  /// response that arrived is always handled (it may carry a rotated refresh token).
  Future<SessionTokens> _refresh(UserSession session, HttpRequest request) async {
    final TransportResponse response;
    try {
      response = await _transport.send(request);
    } catch (_) {
      session.refreshFailedToSend();
      rethrow;
    }
    final RefreshOutcome outcome;
    try {
      outcome = session.handleRefreshResponse(response.status, response.body, response.errorTypeHeader, _clock());
    } finally {
      _publishEvents(session);
    }
    switch (outcome) {
      case RefreshOutcomeRefreshed(:final tokens):
        await _persist(session);
        return tokens;
      case RefreshOutcomeEnded(:final reason):
        await _store.delete();
        throw SessionEndedException(reason);
    }
  }

  // Hosted UI ---------------------------------------------------------------------------------

  /// Signs in through the hosted UI (OAuth 2.0 authorization code with PKCE):
  /// [beginWebUiSignIn], then [openBrowser] with its URL, then [finishWebUiSignIn] with the URL
  /// [openBrowser] returns. [openBrowser] is the app's: it shows the URL in a browser and returns the URL the browser
  /// was redirected to (one of the app client's callback URLs); it throws to cancel, which
  /// drops the pending sign-in. With `flutter_web_auth_2` (not a dependency of this package;
  /// add it to the app, with its callback activity / URL scheme set up as its README says):
  ///
  /// ```dart
  /// import 'package:flutter_web_auth_2/flutter_web_auth_2.dart';
  ///
  /// final status = await client.signInWithWebUi(
  ///   const HostedUiOptions(redirectUri: 'myapp://callback', scopes: ['openid', 'email']),
  ///   (url) async => Uri.parse(
  ///       await FlutterWebAuth2.authenticate(url: url.toString(), callbackUrlScheme: 'myapp')),
  /// );
  /// ```
  ///
  /// Throws what [beginWebUiSignIn], [openBrowser] and [finishWebUiSignIn] throw.
  Future<SessionStatus> signInWithWebUi(HostedUiOptions options, Future<Uri> Function(Uri url) openBrowser) async {
    final url = await beginWebUiSignIn(options);
    final pending = await _pendingWebUiStore.load();
    final Uri redirect;
    try {
      redirect = await openBrowser(url);
    } catch (_) {
      await _forgetWebUiSignIn(pending);
      rethrow;
    }
    return finishWebUiSignIn(redirect);
  }

  /// Starts a hosted-UI sign-in and returns the `/oauth2/authorize` URL to open in the browser.
  /// `options.redirectUri`: one of the app client's callback URLs, byte for byte;
  /// `options.scopes`: `openid` (an ID token: needed by [credentials]), `email`,
  /// `aws.cognito.signin.user.admin` (the user operations), ...; empty: the client's allowed
  /// scopes. The pending state (state, PKCE verifier, nonce; sealed with the storage key if
  /// given) replaces any earlier one in the store's `'hosted-ui'` sibling, so a client made
  /// later with the same store (the app was killed while the browser was open) can finish it.
  /// `CognitoAuthErrorExceptionInvalidInput` for a bad domain, redirect URI or scope.
  Future<Uri> beginWebUiSignIn(HostedUiOptions options) async {
    final authorization = hostedUiAuthorize(config: _hostedUiConfig(), options: options, sealingKey: _storageKey);
    final url = Uri.parse(authorization.url);
    await _pendingWebUiStore.save(authorization.pending);
    return url;
  }

  /// A hosted-UI sign-in waits for its redirect ([finishWebUiSignIn]).
  Future<bool> hasPendingWebUiSignIn() async => await _pendingWebUiStore.load() != null;

  /// Finishes the pending hosted-UI sign-in with the URL the browser came back with: checks it
  /// (the redirect URI, `state` compared in constant time), exchanges the code at
  /// `/oauth2/token` through the transport with the PKCE verifier, checks the ID token's
  /// `nonce`, and makes and stores the session (`UserSession.fromTokens`): [tokens], [signOut]
  /// and [credentials] then work as after a password sign-in.
  ///
  /// Throws `CognitoAuthErrorExceptionOAuth` with `kind` [OAuthErrorKind.denied] (the redirect
  /// carries `error=...`; `access_denied`: the user cancelled) or [OAuthErrorKind.refused] (the
  /// token endpoint said `error=...`, e.g. `invalid_grant`: a used or expired code), which end
  /// the pending sign-in; [OAuthErrorKind.stateMismatch] or [OAuthErrorKind.badRedirect] (not
  /// this sign-in's redirect: forged, stale, another app's) keep it for the real redirect.
  /// [NoWebUiSignInInProgressException] when none is pending; the transport's error when the
  /// exchange got no response (kept: call again).
  Future<SessionStatus> finishWebUiSignIn(Uri redirect) async {
    final pending = await _pendingWebUiStore.load();
    if (pending == null) {
      throw const NoWebUiSignInInProgressException();
    }
    final HttpRequest request;
    try {
      request = hostedUiTokenRequest(
          config: _hostedUiConfig(), pending: pending, redirectUrl: redirect.toString(), sealingKey: _storageKey);
    } on CognitoAuthErrorExceptionOAuth catch (error) {
      if (error.kind != OAuthErrorKind.stateMismatch && error.kind != OAuthErrorKind.badRedirect) {
        await _forgetWebUiSignIn(pending);
      }
      rethrow;
    } catch (_) {
      await _forgetWebUiSignIn(pending);
      rethrow;
    }
    final response = await _transport.send(request);
    final AuthTokens tokens;
    try {
      tokens = hostedUiParseTokenResponse(
          pending: pending, status: response.status, body: response.body, sealingKey: _storageKey);
    } finally {
      await _forgetWebUiSignIn(pending);
    }
    final session = UserSession.fromTokens(config, tokens, null, _clock(), options);
    await _install(session);
    return session.status();
  }

  /// The hosted UI's `/logout` URL: open it in the browser after [signOut] to end the hosted
  /// UI's own session too (else its cookie signs the user in again without a password); it
  /// redirects to [logoutUri], one of the app client's sign-out URLs.
  Uri webUiSignOutUrl(String logoutUri) => Uri.parse(hostedUiLogoutUrl(_hostedUiConfig(), logoutUri));

  HostedUiConfig _hostedUiConfig() {
    final domain = hostedUiDomain;
    if (domain == null) {
      throw const HostedUiNotConfiguredException();
    }
    return HostedUiConfig(domain: domain, clientId: config.clientId, clientSecret: config.clientSecret);
  }

  /// Deletes the stored pending sign-in if it is still [pending] (not a newer one).
  Future<void> _forgetWebUiSignIn(String? pending) async {
    if (pending != null && await _pendingWebUiStore.load() == pending) {
      await _pendingWebUiStore.delete();
    }
  }

  // Account operations ------------------------------------------------------------------------

  /// One account operation over this client's transport: builds [request]'s HTTP request (with
  /// [clientMetadata] for the operations that take it; `InvalidInput` for one that takes none),
  /// sends it and reads the answer. For example
  /// `await client.account(AccountRequestGetUser(accessToken: (await client.tokens()).accessToken))`
  /// gives an [AccountResponseUser]. Throws what the binding throws
  /// ([CognitoAuthErrorExceptionService] for a refusal) and the transport's error when a request
  /// got no response.
  Future<AccountResponse> account(AccountRequest request, {Map<String, String> clientMetadata = const {}}) async {
    final kind = accountRequestKind(request);
    final response =
        await _transport.send(accountRequest(config: config, request: request, clientMetadata: clientMetadata));
    return parseAccountResponse(
        kind: kind, status: response.status, body: response.body, errorTypeHeader: response.errorTypeHeader);
  }

  // Identity pools ----------------------------------------------------------------------------

  /// AWS credentials from the identity pool [identityPoolId] (`<region>:<GUID>`); see
  /// [credentialsFor].
  Future<AwsCredentials> credentials(String identityPoolId) =>
      credentialsFor(IdentityPoolConfig(identityPoolId: identityPoolId));

  /// AWS credentials from an identity pool: the signed-in user's, with the session's ID token
  /// (made fresh by [tokens] first) as the login `cognito-idp.<region>.amazonaws.com/<user pool
  /// id>`; with no active session, a guest's. They are fetched (`GetId` once per identity, then
  /// `GetCredentialsForIdentity`) when none are held or they expire within the session's
  /// refresh margin, one request round at a time: the first caller keeps the round's Future
  /// and concurrent callers await it (its credentials or its error). The identity id is kept
  /// in the store's `'identities'` sibling and reused by a client made later with it; a
  /// sign-in, sign-out or another user switches identity.
  ///
  /// Throws `CognitoAuthErrorExceptionService` for a refusal (`notAuthorized`: the pool allows
  /// no guests, or does not accept this user pool), the transport's error when a request got
  /// no response (the next call asks again), what [tokens] throws, and [NoIdTokenException]
  /// for a session without an ID token.
  Future<AwsCredentials> credentialsFor(IdentityPoolConfig pool) async {
    while (true) {
      final (who, logins) = await _identityLogins();
      final identity = await _poolIdentity(pool, who, logins);
      switch (identity.provider.credentialsForCall(_clock())) {
        case CredentialsForCallFresh(:final credentials):
          return credentials;
        case CredentialsForCallSend(:final request):
          final fetch = _fetchCredentials(pool.identityPoolId, identity, request);
          identity.fetching = fetch;
          try {
            return await fetch;
          } finally {
            if (identical(identity.fetching, fetch)) {
              identity.fetching = null;
            }
          }
        case CredentialsForCallWaitForRefresh():
          final pending = identity.fetching;
          if (pending == null) {
            // A round this client does not know of: take it over.
            identity.provider.requestFailedToSend();
          } else {
            return await pending;
          }
      }
    }
  }

  /// Whose credentials (the user's `sub`, '' for a guest) and the logins for them.
  Future<(String, Map<String, String>)> _identityLogins() async {
    final session = _session;
    if (session == null || !session.status().isActive) {
      return ('', <String, String>{});
    }
    final fresh = await tokens();
    final idToken = fresh.idToken;
    if (idToken == null) {
      throw const NoIdTokenException();
    }
    return (session.status().sub, {userPoolLoginProvider(config.userPoolId): idToken});
  }

  /// The pool's provider, switched to [who].
  Future<_PoolIdentity> _poolIdentity(IdentityPoolConfig pool, String who, Map<String, String> logins) async {
    final poolId = pool.identityPoolId;
    var identity = _identities[poolId];
    if (identity == null) {
      final stored = (await _storedIdentities())[poolId];
      // Another caller may have made it while the store was read.
      identity = _identities[poolId];
      if (identity == null) {
        final identityId = stored != null && stored['who'] == who ? stored['identity_id'] : null;
        final made = _PoolIdentity(
            IdentityPoolCredentials.create(
                config: pool, logins: logins, identityId: identityId, refreshMarginSecs: options.refreshMarginSecs),
            who,
            logins);
        _identities[poolId] = made;
        return made;
      }
    }
    if (identity.who != who) {
      identity.provider.switchLogins(logins);
      identity.who = who;
      identity.logins = logins;
    } else if (!_sameLogins(identity.logins, logins)) {
      identity.provider.updateLogins(logins); // the same user's refreshed ID token
      identity.logins = logins;
    }
    return identity;
  }

  /// One request round: `GetId` if needed, then `GetCredentialsForIdentity`. A request that
  /// got no response is reported with requestFailedToSend, so the provider never waits forever.
  Future<AwsCredentials> _fetchCredentials(String poolId, _PoolIdentity identity, HttpRequest first) async {
    var request = first;
    while (true) {
      final TransportResponse response;
      try {
        response = await _transport.send(request);
      } catch (_) {
        identity.provider.requestFailedToSend();
        rethrow;
      }
      switch (identity.provider.handleResponse(response.status, response.body, response.errorTypeHeader, _clock())) {
        case CredentialsOutcomeSend(request: final next):
          request = next;
        case CredentialsOutcomeRefreshed(:final credentials):
          final identityId = identity.provider.status().identityId;
          if (identityId != null) {
            await _saveIdentity(poolId, identity.who, identityId);
          }
          return credentials;
      }
    }
  }

  /// `{"<pool id>": {"who": "<sub or empty>", "identity_id": "..."}}` in the `'identities'` sibling.
  Future<Map<String, Map<String, String>>> _storedIdentities() async {
    final text = await _identityStore.load();
    if (text == null) {
      return {};
    }
    try {
      final decoded = jsonDecode(text) as Map<String, dynamic>;
      return decoded.map((pool, entry) => MapEntry(pool, Map<String, String>.from(entry as Map)));
    } on Object {
      throw const StoredIdentitiesInvalidException();
    }
  }

  Future<void> _saveIdentity(String poolId, String who, String identityId) async {
    Map<String, Map<String, String>> all;
    try {
      all = await _storedIdentities();
    } on StoredIdentitiesInvalidException {
      all = {};
    }
    final entry = all[poolId];
    if (entry != null && entry['who'] == who && entry['identity_id'] == identityId) {
      return;
    }
    all[poolId] = {'who': who, 'identity_id': identityId};
    await _identityStore.save(jsonEncode(all));
  }

  /// Signs out. [SignOutKind.local] forgets the tokens here only; [SignOutKind.revoke] revokes
  /// the refresh token (`RevokeToken`); [SignOutKind.global] signs the user out on every device
  /// (`GlobalSignOut`). The stored session is deleted first, whatever the network does; a
  /// refusal by Cognito is thrown afterwards (`CognitoAuthErrorExceptionService`). Access and ID
  /// tokens already handed out stay valid JWTs until they expire (bindings/API.md, "What each
  /// sign-out leaves valid").
  Future<void> signOut([SignOutKind kind = SignOutKind.local]) async {
    final session = _session;
    if (session == null) {
      throw const NotSignedInException();
    }
    final step = session.signOut(kind);
    await _store.delete();
    _publishEvents(session);
    if (step is SignOutStepSendRequest) {
      final response = await _transport.send(step.request);
      session.handleSignOutResponse(response.status, response.body, response.errorTypeHeader);
    }
  }

  /// Frees the native sessions and closes [events]. The client cannot be used afterwards.
  Future<void> close() async {
    _forgetSignIn();
    _session?.close();
    _session = null;
    for (final identity in _identities.values) {
      identity.provider.close();
    }
    _identities.clear();
    await _events.close();
  }

  Future<void> _persist(UserSession session) async {
    final key = _storageKey;
    final stored = key == null ? session.toStorage() : session.toStorageSealed(key);
    await _store.save(stored.value);
  }

  void _publishEvents(UserSession session) {
    for (final event in session.takeEvents().events) {
      if (!_events.isClosed) {
        _events.add(event);
      }
    }
  }
}
