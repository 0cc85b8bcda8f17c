// CognitoAuthClient's hosted-UI sign-in and identity-pool credentials with a fake transport:
// a round trip through a stand-in browser with a canned /oauth2/token response (the session made
// from it, the pending state in the store's 'hosted-ui' sibling and gone afterwards), a client
// made later with the same store finishing a sign-in begun before the app was killed, a forged
// `state` refused before any request with the pending sign-in kept, a cancelled browser dropping
// it, and credentials fetched once (GetId + GetCredentialsForIdentity) for five concurrent guest
// callers, then fresh without a request, and the user's ID token as the login.
import 'dart:async';
import 'dart:convert';

import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

import 'support/support.dart';

const webPool = 'us-east-1_Abc123XyZ';
const webClientId = '2od40example';
const webSub = '94c84468-e0c1-7003-e7b6-32be2c3bd6ee';
const webT0 = 1800000000;
const webRefresh = 'REFRESH-ONE-sentinel-4f1a';
const webDomain = 'https://example-app.auth.us-east-1.amazoncognito.com';
const webRedirect = 'myapp://callback';
const identityPool = 'us-east-1:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const identityId = 'us-east-1:9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60';
const authCode = 'AUTH-CODE-sentinel-31ad';
const webConfig = ClientConfig(userPoolId: webPool, clientId: webClientId);

String _b64(String text) => base64Url.encode(utf8.encode(text)).replaceAll('=', '');

String _jwt(Map<String, Object> claims) => [_b64('{"alg":"RS256"}'), _b64(jsonEncode(claims)), _b64('sig')].join('.');

/// An access token with the claims Cognito's carry (unsigned: the session only reads it).
String webAccessToken(String marker) => _jwt({
      'sub': webSub,
      'token_use': 'access',
      'client_id': webClientId,
      'username': 'alice',
      'iat': webT0,
      'exp': webT0 + 3600,
      'jti': marker,
    });

/// An ID token, with [nonce] if given.
String webIdToken(String? nonce) => _jwt({
      'sub': webSub,
      'token_use': 'id',
      'aud': webClientId,
      'iss': 'https://cognito-idp.us-east-1.amazonaws.com/$webPool',
      'cognito:username': 'alice',
      'iat': webT0,
      'exp': webT0 + 3600,
      if (nonce != null) 'nonce': nonce,
    });

/// The token endpoint's answer to the code exchange.
TransportResponse tokenResponse(String? nonce) => TransportResponse(
    200,
    bytesOf(jsonEncode({
      'id_token': webIdToken(nonce),
      'access_token': webAccessToken('web'),
      'refresh_token': webRefresh,
      'expires_in': 3600,
      'token_type': 'Bearer',
    })));

TransportResponse credentialsResponse(String accessKey, int expiration) => TransportResponse(
    200,
    bytesOf(jsonEncode({
      'IdentityId': identityId,
      'Credentials': {
        'AccessKeyId': accessKey,
        'SecretKey': 'SECRET-sentinel-55aa',
        'SessionToken': 'SESSION-sentinel-77bb',
        'Expiration': expiration,
      },
    })));

final getIdResponse = TransportResponse(200, bytesOf(jsonEncode({'IdentityId': identityId})));

String? target(HttpRequest request) {
  for (final entry in request.headers.entries) {
    if (entry.key.toLowerCase() == 'x-amz-target') {
      return entry.value;
    }
  }
  return null;
}

/// Answers each request with [respond] and records it.
class RecordingTransport implements Transport {
  RecordingTransport(this.respond);

  final Future<TransportResponse> Function(HttpRequest request) respond;
  final List<HttpRequest> requests = [];

  @override
  Future<TransportResponse> send(HttpRequest request) {
    requests.add(request);
    return respond(request);
  }
}

int webClock() => webT0;

CognitoAuthClient webClient(RecordingTransport transport, [SessionStore? store]) => CognitoAuthClient(
    config: webConfig, transport: transport, store: store, clock: webClock, hostedUiDomain: webDomain);

Uri redirectFor(Uri authorize, {String? state}) =>
    Uri.parse('$webRedirect?code=$authCode&state=${state ?? authorize.queryParameters['state']}');

void main() {
  setUpAll(loadCognitoAuth);

  test('a hosted-UI round trip exchanges the code and makes the session', () async {
    String? nonce;
    final transport = RecordingTransport((request) async => tokenResponse(nonce));
    final store = InMemorySessionStore();
    final client = webClient(transport, store);

    final status = await client.signInWithWebUi(
      const HostedUiOptions(redirectUri: webRedirect, scopes: ['openid', 'email']),
      (url) async {
        // The stand-in browser: the authorize URL, then the redirect with the code.
        expect(url.scheme, 'https');
        expect(url.host, 'example-app.auth.us-east-1.amazoncognito.com');
        expect(url.path, '/oauth2/authorize');
        expect(url.queryParameters['client_id'], webClientId);
        expect(url.queryParameters['redirect_uri'], webRedirect);
        expect(url.queryParameters['code_challenge_method'], 'S256');
        expect(url.queryParameters['scope'], 'openid email');
        expect(await store.sibling('hosted-ui').load(), isNotNull, reason: 'stored before the browser opens');
        nonce = url.queryParameters['nonce'];
        return redirectFor(url);
      },
    );

    expect(status.isActive, isTrue);
    expect(status.sub, webSub);
    expect(transport.requests, hasLength(1));
    final exchange = transport.requests.single;
    expect(exchange.url, '$webDomain/oauth2/token');
    expect(exchange.body, contains('grant_type=authorization_code'));
    expect(exchange.body, contains('code=$authCode'));
    expect(exchange.body, contains('code_verifier='));
    expect(await store.load(), isNotNull);
    expect(await store.sibling('hosted-ui').load(), isNull);
    expect(await client.hasPendingWebUiSignIn(), isFalse);
    final tokens = await client.tokens();
    expect(tokens.refreshToken, webRefresh);
    expect(tokens.idToken, webIdToken(nonce));
    expect(transport.requests, hasLength(1), reason: 'fresh tokens need no request');
    await client.close();
  });

  test('a pending sign-in survives the app being killed', () async {
    String? nonce;
    final transport = RecordingTransport((request) async => tokenResponse(nonce));
    final store = InMemorySessionStore();
    final first = webClient(transport, store);
    final url = await first.beginWebUiSignIn(const HostedUiOptions(redirectUri: webRedirect, scopes: ['openid']));
    nonce = url.queryParameters['nonce'];

    // The app was killed while the browser was open: a new client on the same store.
    final relaunched = webClient(transport, store);
    expect(await relaunched.hasPendingWebUiSignIn(), isTrue);
    final status = await relaunched.finishWebUiSignIn(redirectFor(url));
    expect(status.isActive, isTrue);
    expect(transport.requests, hasLength(1));
    expect(await relaunched.hasPendingWebUiSignIn(), isFalse);
    await first.close();
    await relaunched.close();
  });

  test('a forged state is refused without a request and the pending sign-in is kept', () async {
    String? nonce;
    final transport = RecordingTransport((request) async => tokenResponse(nonce));
    final client = webClient(transport);
    final url = await client.beginWebUiSignIn(const HostedUiOptions(redirectUri: webRedirect));
    nonce = url.queryParameters['nonce'];

    await expectLater(
      client.finishWebUiSignIn(redirectFor(url, state: 'forged-by-someone-else')),
      throwsA(isA<CognitoAuthErrorExceptionOAuth>().having((e) => e.kind, 'kind', OAuthErrorKind.stateMismatch)),
    );
    expect(transport.requests, isEmpty, reason: 'nothing is sent for a forged redirect');
    expect(await client.hasPendingWebUiSignIn(), isTrue);
    expect(client.status(), isNull);

    // The real redirect still finishes it.
    final status = await client.finishWebUiSignIn(redirectFor(url));
    expect(status.isActive, isTrue);
    await client.close();
  });

  test('an error redirect is denied and ends the pending sign-in', () async {
    final transport = RecordingTransport((request) async => TransportResponse(500, bytesOf('')));
    final client = webClient(transport);
    final url = await client.beginWebUiSignIn(const HostedUiOptions(redirectUri: webRedirect));
    final denied = Uri.parse('$webRedirect?error=access_denied&state=${url.queryParameters['state']}');
    await expectLater(
      client.finishWebUiSignIn(denied),
      throwsA(isA<CognitoAuthErrorExceptionOAuth>()
          .having((e) => e.kind, 'kind', OAuthErrorKind.denied)
          .having((e) => e.errorCode, 'errorCode', 'access_denied')),
    );
    expect(transport.requests, isEmpty);
    expect(await client.hasPendingWebUiSignIn(), isFalse);
    await client.close();
  });

  test('the sign-out URL ends the hosted UI\'s own session', () async {
    final client = webClient(RecordingTransport((request) async => getIdResponse));
    final url = client.webUiSignOutUrl('myapp://signed-out');
    expect(url.path, '/logout');
    expect(url.queryParameters, {'client_id': webClientId, 'logout_uri': 'myapp://signed-out'});
    await client.close();
  });

  test('a cancelled browser drops the pending sign-in', () async {
    final transport = RecordingTransport((request) async => TransportResponse(500, bytesOf('')));
    final client = webClient(transport);
    await expectLater(
      client.signInWithWebUi(const HostedUiOptions(redirectUri: webRedirect),
          (url) async => throw StateError('the user closed the browser')),
      throwsA(isA<StateError>()),
    );
    expect(await client.hasPendingWebUiSignIn(), isFalse);
    expect(transport.requests, isEmpty);
    await expectLater(client.finishWebUiSignIn(Uri.parse(webRedirect)),
        throwsA(isA<NoWebUiSignInInProgressException>()));
    await client.close();
  });

  test('without a hosted-UI domain the web UI is refused', () async {
    final client = CognitoAuthClient(
        config: webConfig, transport: RecordingTransport((request) async => getIdResponse), clock: webClock);
    await expectLater(client.beginWebUiSignIn(const HostedUiOptions(redirectUri: webRedirect)),
        throwsA(isA<HostedUiNotConfiguredException>()));
    await client.close();
  });

  test('five concurrent guest callers share one credentials round', () async {
    final release = Completer<void>();
    final transport = RecordingTransport((request) async {
      if (target(request) == 'AWSCognitoIdentityService.GetId') {
        return getIdResponse;
      }
      await release.future; // every caller arrives while the round is in flight
      return credentialsResponse('ASIAFIRST', webT0 + 3600);
    });
    final store = InMemorySessionStore();
    final client = CognitoAuthClient(config: webConfig, transport: transport, store: store, clock: webClock);

    final calls = [for (var i = 0; i < 5; i++) client.credentials(identityPool)];
    await Future<void>.delayed(const Duration(milliseconds: 50));
    release.complete();
    final results = await Future.wait(calls);
    for (final credentials in results) {
      expect(credentials.accessKeyId, 'ASIAFIRST');
      expect(credentials.expirationUnixSecs, webT0 + 3600);
    }
    expect(transport.requests.map(target).toList(),
        ['AWSCognitoIdentityService.GetId', 'AWSCognitoIdentityService.GetCredentialsForIdentity']);
    final getId = jsonObjectOf(transport.requests.first.body);
    expect(getId['IdentityPoolId'], identityPool);
    expect(getId['Logins'] ?? <String, String>{}, isEmpty, reason: 'a guest sends no logins');

    // Fresh: no request. The identity id is stored next to the session for the next launch.
    final again = await client.credentials(identityPool);
    expect(again.accessKeyId, 'ASIAFIRST');
    expect(transport.requests, hasLength(2));
    final stored = jsonObjectOf((await store.sibling('identities').load())!);
    expect(stored[identityPool], {'who': '', 'identity_id': identityId});
    expect(again.toString(), isNot(contains('SECRET-sentinel')));
    expect(again.toString(), isNot(contains('SESSION-sentinel')));

    // A relaunched client reuses the stored identity: no GetId.
    final later = RecordingTransport((request) async => credentialsResponse('ASIASECOND', webT0 + 7200));
    final relaunched =
        CognitoAuthClient(config: webConfig, transport: later, store: store, clock: () => webT0 + 3500);
    expect((await relaunched.credentials(identityPool)).accessKeyId, 'ASIASECOND');
    expect(later.requests.map(target).toList(), ['AWSCognitoIdentityService.GetCredentialsForIdentity']);
    expect(jsonObjectOf(later.requests.single.body)['IdentityId'], identityId);
    await client.close();
    await relaunched.close();
  });

  test('a signed-in user\'s ID token is the login; without one there are no user credentials', () async {
    final transport = RecordingTransport((request) async => target(request) == 'AWSCognitoIdentityService.GetId'
        ? getIdResponse
        : credentialsResponse('ASIAUSER', webT0 + 3600));
    final client = CognitoAuthClient(config: webConfig, transport: transport, clock: webClock);
    final idToken = webIdToken(null);
    await client.useTokens(AuthTokens(
      accessToken: webAccessToken('user'),
      idToken: idToken,
      refreshToken: webRefresh,
      expiresIn: 3600,
      tokenType: 'Bearer',
      newDeviceMetadata: null,
    ));
    final credentials = await client.credentials(identityPool);
    expect(credentials.accessKeyId, 'ASIAUSER');
    final provider = userPoolLoginProvider(webPool);
    expect(provider, 'cognito-idp.us-east-1.amazonaws.com/$webPool');
    for (final request in transport.requests) {
      expect(jsonObjectOf(request.body)['Logins'], {provider: idToken});
    }

    final noId = CognitoAuthClient(config: webConfig, transport: transport, clock: webClock);
    await noId.useTokens(AuthTokens(
      accessToken: webAccessToken('noid'),
      idToken: null,
      refreshToken: webRefresh,
      expiresIn: 3600,
      tokenType: 'Bearer',
      newDeviceMetadata: null,
    ));
    await expectLater(noId.credentials(identityPool), throwsA(isA<NoIdTokenException>()));
    await client.close();
    await noId.close();
  });
}
