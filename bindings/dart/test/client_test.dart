// CognitoAuthClient (the ready client) with a fake transport and a moved clock: a password +
// TOTP sign-in, fresh tokens without a request, ten concurrent callers sharing one refresh,
// rotation stored, a lost refresh reported to the session, a revoked refresh token ending the
// session with its reason and event, restore after a relaunch, and sign-out.
//
// The JWTs are built here with the claims Cognito's access tokens carry (unsigned: the session
// reads, never verifies, them).
import 'dart:async';
import 'dart:convert';
import 'dart:io' as io;
import 'dart:typed_data';

import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

import 'support/support.dart';

const clientPool = 'us-east-1_Abc123XyZ';
const clientAppId = '2od40example';
const clientSub = '94c84468-e0c1-7003-e7b6-32be2c3bd6ee';
const t0 = 1800000000;
const refresh1 = 'REFRESH-ONE-sentinel-4f1a';
const refresh2 = 'REFRESH-TWO-sentinel-9c3e';
const clientConfig = ClientConfig(userPoolId: clientPool, clientId: clientAppId);

String b64(String text) => base64Url.encode(utf8.encode(text)).replaceAll('=', '');

/// An access token issued at [iat] for an hour; [marker] makes each one different.
String accessToken(int iat, String marker) {
  final claims = jsonEncode({
    'sub': clientSub,
    'token_use': 'access',
    'client_id': clientAppId,
    'username': 'alice',
    'iat': iat,
    'exp': iat + 3600,
    'jti': marker,
  });
  return [b64('{"alg":"RS256"}'), b64(claims), b64('sig')].join('.');
}

Uint8List tokensBody(String access, [String? refresh]) => bytesOf(jsonEncode({
      'AuthenticationResult': {
        'AccessToken': access,
        'ExpiresIn': 3600,
        'TokenType': 'Bearer',
        if (refresh != null) 'RefreshToken': refresh,
      },
      'ChallengeParameters': <String, String>{},
    }));

TransportResponse serviceError(String type, String message) =>
    TransportResponse(400, bytesOf(jsonEncode({'__type': type, 'message': message})));

final firstAccess = accessToken(t0, 'first');
final secondAccess = accessToken(t0 + 3400, 'second');

/// Answers each request with [respond] (given the request and its index from 0) and records it.
class FakeTransport implements Transport {
  FakeTransport(this.respond);

  final Future<TransportResponse> Function(HttpRequest request, int index) respond;
  final List<HttpRequest> requests = [];

  List<String> get operations => requests.map((request) => request.operation).toList();

  @override
  Future<TransportResponse> send(HttpRequest request) {
    requests.add(request);
    return respond(request, requests.length - 1);
  }
}

/// A clock the test moves.
class ManualClock {
  int now = t0;

  int call() => now;
}

FakeTransport refreshingTransport({Duration delay = Duration.zero}) => FakeTransport((request, index) async {
      await Future<void>.delayed(delay);
      return TransportResponse(200, tokensBody(secondAccess, refresh2));
    });

/// A client holding a session made from tokens received at t0 (fresh until t0 + 3300 with the
/// default 300 s margin).
Future<CognitoAuthClient> signedInClient(FakeTransport transport, ManualClock clock, {SessionStore? store}) async {
  final client = CognitoAuthClient(config: clientConfig, transport: transport, store: store, clock: clock.call);
  await client.useTokens(AuthTokens(
    accessToken: firstAccess,
    idToken: null,
    refreshToken: refresh1,
    expiresIn: 3600,
    tokenType: 'Bearer',
    newDeviceMetadata: null,
  ));
  return client;
}

void main() {
  setUpAll(loadCognitoAuth);

  test('a password + TOTP sign-in, then fresh tokens without a request', () async {
    final transport = FakeTransport((request, index) async => request.operation == 'InitiateAuth'
        ? TransportResponse(
            200, bytesOf('{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"sess-1","ChallengeParameters":{}}'))
        : TransportResponse(200, tokensBody(firstAccess, refresh1)));
    final store = InMemorySessionStore();
    final clock = ManualClock();
    final client = CognitoAuthClient(config: clientConfig, transport: transport, store: store, clock: clock.call);
    final events = <SessionEvent>[];
    final subscription = client.events.listen(events.add);

    final progress =
        await client.signIn(username: 'alice', password: 'correct horse', flow: const AuthFlowUserPassword());
    expect(progress, isA<SignInNeedsAnswer>());
    expect((progress as SignInNeedsAnswer).step, isA<SignInStepConfirmSignInWithTotpCode>());
    final done = await client.answer(const ChallengeAnswerTotpCode(code: '123456'));
    expect(done, isA<SignInSignedIn>());
    expect((done as SignInSignedIn).status.sub, clientSub);
    expect(done.newDevice, isNull);
    expect(transport.operations, ['InitiateAuth', 'RespondToAuthChallenge']);
    final responses = jsonObjectOf(transport.requests[1].body)['ChallengeResponses'] as Map<String, dynamic>;
    expect(responses['SOFTWARE_TOKEN_MFA_CODE'], '123456');
    expect(await store.load(), isNotNull, reason: 'a sign-in stores the session');

    final tokens = await client.tokens();
    expect(tokens.accessToken, firstAccess);
    expect(tokens.refreshToken, refresh1);
    expect(tokens.expiresIn, 3600);
    expect(transport.requests.length, 2, reason: 'fresh tokens need no request');
    await Future<void>.delayed(Duration.zero);
    expect(events.first, isA<SessionEventSignedIn>());

    await expectLater(client.answer(const ChallengeAnswerTotpCode(code: '123456')),
        throwsA(isA<NoSignInInProgressException>()));
    await subscription.cancel();
    await client.close();
  });

  test('a refused password is thrown as the service error; no session', () async {
    final transport =
        FakeTransport((request, index) async => serviceError('NotAuthorizedException', 'Incorrect username or password.'));
    final client = CognitoAuthClient(config: clientConfig, transport: transport, clock: ManualClock().call);
    await expectLater(
        client.signIn(username: 'alice', password: 'wrong', flow: const AuthFlowUserPassword()),
        throwsCognito<CognitoAuthErrorExceptionService>((error) {
          expect(error.kind, ServiceErrorKind.notAuthorized);
          expect(error.status, 400);
        }));
    await expectLater(client.tokens(), throwsA(isA<NotSignedInException>()));
  });

  test('ten concurrent callers share one refresh; the rotated token is stored', () async {
    final transport = refreshingTransport(delay: const Duration(milliseconds: 50));
    final store = InMemorySessionStore();
    final clock = ManualClock();
    final client = await signedInClient(transport, clock, store: store);
    clock.now = t0 + 3400; // within the 300 s margin of the access token's expiry

    final results = await Future.wait(List.generate(10, (_) => client.tokens()));
    expect(results, hasLength(10));
    expect(transport.operations, ['GetTokensFromRefreshToken'], reason: 'one refresh for ten callers');
    expect(jsonObjectOf(transport.requests[0].body)['RefreshToken'], refresh1);
    for (final tokens in results) {
      expect(tokens.accessToken, secondAccess);
      expect(tokens.refreshToken, refresh2);
    }

    // A new client on the same store (the app relaunched) gets the rotated refresh token.
    final relaunched = CognitoAuthClient(config: clientConfig, transport: transport, store: store, clock: clock.call);
    expect(await relaunched.restore(), isTrue);
    final tokens = await relaunched.tokens();
    expect(tokens.refreshToken, refresh2);
    expect(tokens.accessToken, secondAccess);
    expect(transport.requests, hasLength(1));
  });

  test('a refresh without a response keeps the session; the next call refreshes', () async {
    final transport = FakeTransport((request, index) async {
      if (index == 0) {
        throw const io.SocketException('network is unreachable');
      }
      return TransportResponse(200, tokensBody(secondAccess));
    });
    final clock = ManualClock();
    final client = await signedInClient(transport, clock);
    clock.now = t0 + 3400;
    await expectLater(client.tokens(), throwsA(isA<io.SocketException>()));
    expect(client.status()?.isActive, isTrue);
    expect(client.status()?.isRefreshing, isFalse, reason: 'refreshFailedToSend was called');
    final tokens = await client.tokens();
    expect(tokens.accessToken, secondAccess);
    expect(tokens.refreshToken, refresh1, reason: 'no rotation: the refresh token stays');
    expect(transport.operations, ['GetTokensFromRefreshToken', 'GetTokensFromRefreshToken']);
  });

  test('waiting callers get the refresh error instead of sending another refresh', () async {
    final gate = Completer<TransportResponse>();
    final transport = FakeTransport((request, index) => gate.future);
    final clock = ManualClock();
    final client = await signedInClient(transport, clock);
    clock.now = t0 + 3400;
    // Both expectations listen before the error arrives (an unheard error fails the test).
    final checks = [
      expectLater(client.tokens(), throwsA(isA<io.SocketException>())),
      expectLater(client.tokens(), throwsA(isA<io.SocketException>())),
    ];
    gate.completeError(const io.SocketException('connection reset'));
    await Future.wait(checks);
    expect(transport.requests, hasLength(1));
  });

  test('a revoked refresh token ends the session with its reason and event', () async {
    final transport =
        FakeTransport((request, index) async => serviceError('NotAuthorizedException', 'Refresh Token has been revoked'));
    final store = InMemorySessionStore();
    final clock = ManualClock();
    final client = await signedInClient(transport, clock, store: store);
    final events = <SessionEvent>[];
    final subscription = client.events.listen(events.add);
    clock.now = t0 + 3400;
    await expectLater(
        client.tokens(),
        throwsA(predicate((Object? error) => error is SessionEndedException && error.reason is EndReasonRefreshTokenRevoked,
            'SessionEndedException(RefreshTokenRevoked)')));
    expect(await store.load(), isNull, reason: 'an ended session is deleted from the store');
    await Future<void>.delayed(Duration.zero);
    expect(events.single, isA<SessionEventEnded>());
    expect((events.single as SessionEventEnded).reason, isA<EndReasonRefreshTokenRevoked>());
    await expectLater(client.tokens(), throwsA(isA<SessionEndedException>()));
    expect(transport.requests, hasLength(1));
    await subscription.cancel();
  });

  test('throttling is thrown and keeps the session', () async {
    final transport = FakeTransport((request, index) async => index == 0
        ? serviceError('TooManyRequestsException', 'Rate exceeded')
        : TransportResponse(200, tokensBody(secondAccess)));
    final clock = ManualClock();
    final client = await signedInClient(transport, clock);
    clock.now = t0 + 3400;
    await expectLater(
        client.tokens(), throwsCognito<CognitoAuthErrorExceptionService>((error) => expect(error.retryable, isTrue)));
    expect((await client.tokens()).accessToken, secondAccess);
  });

  test('a sealed stored session restores only with its key', () async {
    final key = Uint8List.fromList(List<int>.generate(32, (i) => i));
    final store = InMemorySessionStore();
    final transport = refreshingTransport();
    final clock = ManualClock();
    final client =
        CognitoAuthClient(config: clientConfig, transport: transport, store: store, clock: clock.call, storageKey: key);
    await client.useTokens(AuthTokens(
        accessToken: firstAccess,
        idToken: null,
        refreshToken: refresh1,
        expiresIn: 3600,
        tokenType: 'Bearer',
        newDeviceMetadata: null));
    final withKey =
        CognitoAuthClient(config: clientConfig, transport: transport, store: store, clock: clock.call, storageKey: key);
    expect(await withKey.restore(), isTrue);
    final withoutKey = CognitoAuthClient(config: clientConfig, transport: transport, store: store, clock: clock.call);
    await expectLater(withoutKey.restore(), throwsCognito<CognitoAuthErrorExceptionSessionRestore>());
    final empty = CognitoAuthClient(config: clientConfig, transport: transport, clock: clock.call);
    expect(await empty.restore(), isFalse);
  });

  test('global sign-out sends GlobalSignOut and forgets the session', () async {
    final transport = FakeTransport((request, index) async => TransportResponse(200, bytesOf('{}')));
    final store = InMemorySessionStore();
    final client = await signedInClient(transport, ManualClock(), store: store);
    final events = <SessionEvent>[];
    final subscription = client.events.listen(events.add);
    await client.signOut(SignOutKind.global);
    expect(transport.operations, ['GlobalSignOut']);
    expect(jsonObjectOf(transport.requests[0].body)['AccessToken'], firstAccess);
    expect(await store.load(), isNull);
    await Future<void>.delayed(Duration.zero);
    expect(events.single, isA<SessionEventSignedOut>());
    expect((events.single as SessionEventSignedOut).kind, SignOutKind.global);
    await expectLater(client.tokens(), throwsA(isA<SessionEndedException>()));
    await subscription.cancel();
  });

  test('account sends the operation over the transport and throws the refusal', () async {
    final transport = FakeTransport((request, index) async {
      if (request.operation == 'GetUser') {
        return TransportResponse(
            200,
            bytesOf(jsonEncode({
              'Username': 'alice',
              'UserAttributes': [
                {'Name': 'email', 'Value': 'alice@example.com'}
              ],
            })));
      }
      return serviceError('LimitExceededException', 'Attempt limit exceeded.');
    });
    final client = await signedInClient(transport, ManualClock());
    final access = (await client.tokens()).accessToken;
    final answer = await client.account(AccountRequestGetUser(accessToken: access));
    expect(answer, isA<AccountResponseUser>());
    final user = (answer as AccountResponseUser).user;
    expect(user.username, 'alice');
    expect(user.attributes['email'], 'alice@example.com');
    expect(transport.operations, ['GetUser']);
    expect(jsonObjectOf(transport.requests[0].body)['AccessToken'], access);
    await expectLater(
        client.account(const AccountRequestForgotPassword(username: 'alice')),
        throwsCognito<CognitoAuthErrorExceptionService>((error) {
          expect(error.kind, ServiceErrorKind.limitExceeded);
          expect(error.status, 400);
        }));
    expect(transport.operations, ['GetUser', 'ForgotPassword']);
  });

  test('revoke sends the refresh token; a local sign-out sends nothing', () async {
    final transport = FakeTransport((request, index) async => TransportResponse(200, bytesOf('{}')));
    final revoking = await signedInClient(transport, ManualClock());
    await revoking.signOut(SignOutKind.revoke);
    expect(transport.operations, ['RevokeToken']);
    expect(jsonObjectOf(transport.requests[0].body)['Token'], refresh1);
    final local = await signedInClient(transport, ManualClock());
    await local.signOut();
    expect(transport.requests, hasLength(1), reason: 'a local sign-out sends nothing');
  });

  test('nothing the client prints shows a token', () async {
    final client = await signedInClient(refreshingTransport(), ManualClock());
    final tokens = await client.tokens();
    final printed = [
      tokens.toString(),
      const SessionEndedException(EndReasonRefreshTokenRevoked()).toString(),
      SignInSignedIn(client.status()!, null).toString(),
    ].join(' ');
    expect(printed, isNot(contains(refresh1)));
    expect(printed, isNot(contains(firstAccess)));
  });
}
