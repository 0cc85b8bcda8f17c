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
/// class SecureStorageSessionStore implements SessionStore {
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
/// }
/// ```
abstract interface class SessionStore {
  Future<String?> load();
  Future<void> save(String value);
  Future<void> delete();
}

/// Keeps the session in memory only: a killed app signs in again.
class InMemorySessionStore implements SessionStore {
  InMemorySessionStore([this._value]);

  String? _value;

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

/// The time the client passes to the session, in seconds since 1970-01-01 UTC. Tests pass a
/// clock they move.
typedef UnixClock = int Function();

int _systemClock() => DateTime.now().millisecondsSinceEpoch ~/ 1000;

class _PendingSignIn {
  _PendingSignIn(this.session, this.device);

  final SignInSession session;
  final RememberedDevice? device;
}

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
