// The sign-in state machine through the Dart bindings, deterministic: the test-only
// constructors fix the SRP randomness and the clock, and the tests play Cognito's answers.
import 'dart:typed_data';

import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

import 'support/support.dart';

const config = ClientConfig(userPoolId: 'us-east-1_Example1', clientId: 'client123', endpointUrl: 'http://127.0.0.1:9/');
const password = 'Hunter2-Secret!';
final entropy = Uint8List.fromList(List<int>.generate(32, (i) => i));
const now = 1700000000;

// SRP_A = g^a mod N for the RFC 5054 3072-bit group (g = 2), where a is the big-endian
// HMAC-SHA256(key = entropy 00 01 .. 1f, message = "cognito-auth SRP ephemeral 1" || 01):
// how the library derives its first SRP ephemeral from the 32 test bytes. Computed with
// Python's hmac and pow, not with this library.
const expectedSrpA = '3939d5ba4128ff5f1b6a630eca74282ad2e84a5adc8c598ecfd0061d74b57cd18ebbd0cc97c0d01e2088e1f8d88930ef'
    '2f92b5b58389c0adefc5c9e777ed4c7a3d13735efe49f998c7775d390521c6d2f9fdf1cad7e0c5ec1afa46f9bc09b965'
    'f2856fce692003a8adb5aa26b8d7a5de9387af631a59d1fab533aacf0b00aece731877d86205c7fa56cda093215ee845'
    '203119f1caf733151517a144402863bc38132fe67df1433315928c8cb3a7e8c7eedaffbc77ed5ec0d0cc805bfaa5a2b0'
    '346eec1719336518f57a6d76c323bfee88087d1e073712c2cfe450f2da7028dc6a918468e274531f58c746c82a661eb4'
    '5f7f31a430e9088769e2577d7a1a62716ff902152e52380352b89661fe79c684349c36fe1e0f1791a219b6474b049e24'
    'cabd508d9497d98774b88d541d780d637b490a0e5a3b797fef35373f73ac70dc1ff4750a705c6f3e28162cbdf35ad9be'
    'ce9f5675072d8c984eec417c2c344fa82b72f5d48a1f938025fc86c43b43b2fe1dfa13e64e8a3a100171aee440344728';

const totpChallenge = '{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"sess-1",'
    '"ChallengeParameters":{"USER_ID_FOR_SRP":"alice-sub","FRIENDLY_DEVICE_NAME":"phone"}}';
const tokens = '{"AuthenticationResult":{"AccessToken":"acc","IdToken":"id","RefreshToken":"ref",'
    '"ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}';
const totpStep = SignInStepConfirmSignInWithTotpCode(friendlyDeviceName: 'phone');

// A PASSWORD_VERIFIER challenge with the server values of the core's SRP vector V1
// (Cognito SRP vectors checked against amazon-cognito-identity-js and @aws-amplify/auth).
const srpPool = ClientConfig(userPoolId: 'us-east-1_Abc123XyZ', clientId: 'client123', endpointUrl: 'http://127.0.0.1:9/');
const srpUserId = '9d2f6c1e-3b7a-4d0e-8f5a-1c2b3d4e5f60';
const srpPassword = 'Correct-Horse-9!';
const srpTime = 1793689509;
const srpTimestamp = 'Tue Nov 3 07:05:09 UTC 2026';
const srpSalt = '8ce8291892390f6b53a245933faf6164';
const srpSecretBlock = 'd2I2ib1ar889rX5ASU7JVY3LeWulL6pI+kPwY0I+Ts7Sn3i+BYPXtHKjX6dDoEcQ2gAtAe9zKomdz0C/'
    'GttbpZIepvi63TuHgZ50c+rEH12up+7ZQrfiD02jbBaycqvJ';
const srpB =
    '109dd52353f4578fab493b149e4e63da0c9068711ff7d93421623547d5cb466d153212de4b49e7a2dfb47c3688396d21'
    '311a2a63d6bf2fc8365f4047ab6d7388f326779c2cc2016fe9944c353a945310ca4e9d68140c1924e10a7d4ae406cf9c'
    '1437a8c47f4ee701dbda28a889078e0991bcbbdeb20e2cf0741a75f4e9d6cfa67672f515558a7642ee17db89b9322242'
    'c22865ecb57c59aefc94ae8af8ba9be7554ed96db55b6556a0f40e031417143d1598a717a98374570c71bf60d91e3938'
    '0ec7c3cdcca3582c9f273e188822f2a8c2e5043514cf7653e6e83d31710d0f8d0931006d51b27881f3477c07fc2980e0'
    '2f84f06f09148ad8bd51c83ec60a190f47b3da8eff7b8a9b1ee86401c67b51922ab0726b2b8a52a6c5ec4dba92b72575'
    '0db784ff236d9ad786580f0823878947b2b565a56810d091276331dd73de6d0b4fd96ae6c5374c667b04866c1541b831'
    '313e54e8fee45cab86211e9c5b4fd3795c8cc100eb8ecad1c93386d03ddd692374b6d894008edb60d6a078b75146ad5f';
// The client's proof for that challenge with the ephemeral of `entropy` above (expectedSrpA),
// pool name "Abc123XyZ", the user id and password above, at srpTimestamp: computed with an
// independent Python implementation of Cognito's SRP that reproduces V1 to V3.
const expectedSignature = 'g14mbKCOlssCVdSu5gZWymwO6rwN3qEa6UDSm5va+hg=';

SignInSession passwordSession([Uint8List? withEntropy]) => SignInSession.newForTesting(
      config,
      const SignInCredentials(username: 'alice', flow: AuthFlowUserPassword(), password: password),
      withEntropy ?? entropy,
      now,
    );

/// A password session that has sent InitiateAuth and now waits for the TOTP code.
SignInSession sessionAtTotpStep() {
  final session = passwordSession();
  session.start();
  expect(session.handleResponse(200, bytesOf(totpChallenge), null), equals(totpStep));
  return session;
}

void main() {
  setUpAll(loadCognitoAuth);

  test('password flow with TOTP MFA, from InitiateAuth to tokens', () {
    final session = passwordSession();
    final initiate = sentRequest(session.start());
    expect(initiate.operation, 'InitiateAuth');
    expect(initiate.method, 'POST');
    expect(initiate.url, 'http://127.0.0.1:9/');
    expect(initiate.headers['x-amz-target'], 'AWSCognitoIdentityProviderService.InitiateAuth');
    expect(initiate.headers['content-type'], 'application/x-amz-json-1.1');
    final initiateBody = jsonObjectOf(initiate.body);
    expect(initiateBody['AuthFlow'], 'USER_PASSWORD_AUTH');
    expect(initiateBody['ClientId'], 'client123');
    expect(initiateBody['AuthParameters'], equals({'USERNAME': 'alice', 'PASSWORD': password}));

    final challenge = session.handleResponse(200, bytesOf(totpChallenge), null);
    expect(challenge, equals(totpStep));
    final status = session.status();
    expect(status.pendingStep, equals(totpStep));
    expect(status.isOver, isFalse);
    expect(status.username, 'alice-sub', reason: "Cognito's USER_ID_FOR_SRP is the canonical username");

    final respond = sentRequest(session.answer(const ChallengeAnswerTotpCode(code: '123456')));
    expect(respond.operation, 'RespondToAuthChallenge');
    final respondBody = jsonObjectOf(respond.body);
    expect(respondBody['ChallengeName'], 'SOFTWARE_TOKEN_MFA');
    expect(respondBody['Session'], 'sess-1');
    expect(respondBody['ChallengeResponses'], equals({'SOFTWARE_TOKEN_MFA_CODE': '123456', 'USERNAME': 'alice-sub'}));

    final done = session.handleResponse(200, bytesOf(tokens), null);
    expect(done, isA<SignInStepDone>());
    final result = (done as SignInStepDone).result;
    expect(result.tokens.accessToken, 'acc');
    expect(result.tokens.idToken, 'id');
    expect(result.tokens.refreshToken, 'ref');
    expect(result.tokens.expiresIn, 3600);
    expect(result.tokens.tokenType, 'Bearer');
    expect(result.device, equals(const DeviceOutcomeNoNewDevice()));
    expect(result.staleDeviceForgotten, isFalse);
    expect(session.isOver(), isTrue);
  });

  test('the SRP first request is deterministic under the test constructor', () {
    String srpA(Uint8List withEntropy) {
      final session = SignInSession.newForTesting(
        config,
        const SignInCredentials(username: 'alice', flow: AuthFlowUserSrp(), password: password),
        withEntropy,
        now,
      );
      final request = sentRequest(session.start());
      final body = jsonObjectOf(request.body);
      expect(body['AuthFlow'], 'USER_SRP_AUTH');
      final parameters = body['AuthParameters'] as Map<String, dynamic>;
      expect(parameters['USERNAME'], 'alice');
      expect(parameters.containsKey('PASSWORD'), isFalse, reason: 'SRP never sends the password');
      expect(request.body, isNot(contains(password)));
      return parameters['SRP_A'] as String;
    }

    final first = srpA(entropy);
    expect(first.toLowerCase(), equals(expectedSrpA));
    expect(srpA(entropy), equals(first), reason: 'same entropy, same SRP_A');
    expect(srpA(Uint8List.fromList(List<int>.filled(32, 1))), isNot(equals(first)), reason: 'other entropy, other SRP_A');
  });

  test('the SRP password-verifier proof matches an independent implementation', () {
    final session = SignInSession.newForTesting(
      srpPool,
      const SignInCredentials(username: 'alice', flow: AuthFlowUserSrp(), password: srpPassword),
      entropy,
      srpTime,
    );
    final initiate = jsonObjectOf(sentRequest(session.start()).body);
    expect((initiate['AuthParameters'] as Map<String, dynamic>)['SRP_A'].toString().toLowerCase(), equals(expectedSrpA));

    final challenge = '{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"$srpSalt",'
        '"SRP_B":"$srpB","SECRET_BLOCK":"$srpSecretBlock","USER_ID_FOR_SRP":"$srpUserId","USERNAME":"$srpUserId"}}';
    final verifier = sentRequest(session.handleResponse(200, bytesOf(challenge), null));
    expect(verifier.operation, 'RespondToAuthChallenge');
    final body = jsonObjectOf(verifier.body);
    expect(body['ChallengeName'], 'PASSWORD_VERIFIER');
    final responses = body['ChallengeResponses'] as Map<String, dynamic>;
    expect(responses['PASSWORD_CLAIM_SIGNATURE'], expectedSignature);
    expect(responses['PASSWORD_CLAIM_SECRET_BLOCK'], srpSecretBlock);
    expect(responses['TIMESTAMP'], srpTimestamp);
    expect(responses['USERNAME'], srpUserId);
    expect(verifier.body, isNot(contains(srpPassword)), reason: 'SRP never sends the password');

    const mfa = '{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"sess-2","ChallengeParameters":{}}';
    expect(session.handleResponse(200, bytesOf(mfa), null), isA<SignInStepConfirmSignInWithTotpCode>());
    final respond = jsonObjectOf(sentRequest(session.answer(const ChallengeAnswerTotpCode(code: '123456'))).body);
    expect((respond['ChallengeResponses'] as Map<String, dynamic>)['USERNAME'], srpUserId);
    final done = session.handleResponse(200, bytesOf(tokens), null);
    expect(done, isA<SignInStepDone>());
    expect((done as SignInStepDone).result.tokens.accessToken, 'acc');
    expect(session.status().username, srpUserId);
  });

  test('a service error is typed and never shows the password', () {
    final session = passwordSession();
    session.start();
    const refusal = '{"__type":"NotAuthorizedException","message":"Incorrect username or password."}';
    final error = cognitoError(() => session.handleResponse(400, bytesOf(refusal),
        'NotAuthorizedException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp/'));
    expect(error, isA<CognitoAuthErrorExceptionService>());
    final service = error as CognitoAuthErrorExceptionService;
    expect(service.kind, ServiceErrorKind.notAuthorized);
    expect(service.code, 'NotAuthorizedException');
    expect(service.serviceMessage, 'Incorrect username or password.');
    expect(service.status, 400);
    expect(service.retryable, isFalse);
    expect(service.restartsSignIn, isTrue);
    expect(service.stepStillOpen, isFalse);
    expect(error.toString(), isNot(contains(password)));
    expect(error.toString(), isNot(contains('Hunter2')));
    expect(session.isOver(), isTrue, reason: 'a refused password ends the sign-in');
  });

  test('invalid input and invalid state are typed errors', () {
    expect(
      () => passwordSession(Uint8List(31)),
      throwsCognito<CognitoAuthErrorExceptionInvalidInput>((e) => expect(e.what, 'entropy')),
    );
    final session = passwordSession();
    session.start();
    expect(
      () => session.start(),
      throwsCognito<CognitoAuthErrorExceptionInvalidState>((e) => expect(e.reason, isNotEmpty)),
    );
    expect(
      () => session.answer(const ChallengeAnswerTotpCode(code: '123456')),
      throwsCognito<CognitoAuthErrorExceptionInvalidState>(),
      reason: 'an answer while a request is in flight',
    );
    final normal = SignInSession.create(
      config,
      const SignInCredentials(username: 'alice', flow: AuthFlowUserSrp(), password: password),
    );
    expect(() => normal.setTimeForTesting(1), throwsCognito<CognitoAuthErrorExceptionInvalidState>(),
        reason: 'a test-only call on a normal session');
  });

  test('a wrong TOTP code keeps the step open for another try', () {
    final session = sessionAtTotpStep();
    session.answer(const ChallengeAnswerTotpCode(code: '111111'));
    const mismatch = '{"__type":"CodeMismatchException","message":"Invalid code received for user"}';
    expect(
      () => session.handleResponse(400, bytesOf(mismatch), 'CodeMismatchException'),
      throwsCognito<CognitoAuthErrorExceptionService>((e) {
        expect(e.kind, ServiceErrorKind.codeMismatch);
        expect(e.stepStillOpen, isTrue);
        expect(e.restartsSignIn, isFalse);
      }),
    );
    expect(session.status().pendingStep, equals(totpStep));
    final retry = jsonObjectOf(sentRequest(session.answer(const ChallengeAnswerTotpCode(code: '222222'))).body);
    expect((retry['ChallengeResponses'] as Map<String, dynamic>)['SOFTWARE_TOKEN_MFA_CODE'], '222222');
    expect(retry['Session'], 'sess-1');
  });

  test('a snapshot restores the waiting step', () {
    final snapshot = sessionAtTotpStep().snapshot();
    expect(snapshot.takenAt, now);
    expect(snapshot.value, isNot(contains(password)), reason: 'the snapshot of a TOTP step needs no password');

    final restored = SignInSession.restoreForTesting(
        config, snapshot.value, const RestoreOptions(), Uint8List.fromList(List<int>.filled(32, 7)), now + 10);
    final status = restored.status();
    expect(status.pendingStep, equals(totpStep));
    expect(status.username, 'alice-sub');
    final body = jsonObjectOf(sentRequest(restored.answer(const ChallengeAnswerTotpCode(code: '654321'))).body);
    expect(body['Session'], 'sess-1');
    expect((body['ChallengeResponses'] as Map<String, dynamic>)['SOFTWARE_TOKEN_MFA_CODE'], '654321');
  });

  test('expired or foreign snapshots are refused', () {
    final snapshot = sessionAtTotpStep().snapshot();
    expect(
      () => SignInSession.restoreForTesting(config, snapshot.value, const RestoreOptions(maxAgeSecs: 180), entropy, now + 1000),
      throwsCognito<CognitoAuthErrorExceptionSnapshot>((e) => expect(e.expired, isTrue)),
    );
    expect(
      () => SignInSession.restoreForTesting(config, 'garbage', const RestoreOptions(), entropy, now),
      throwsCognito<CognitoAuthErrorExceptionSnapshot>((e) => expect(e.expired, isFalse)),
    );
    expect(() => passwordSession().snapshot(), throwsCognito<CognitoAuthErrorExceptionInvalidState>(),
        reason: 'no step is waiting');
  });

  test('bad configuration is InvalidInput naming the field', () {
    void expectInvalid(ClientConfig badConfig, SignInCredentials badCredentials, String field) {
      final error = cognitoError(() => SignInSession.create(badConfig, badCredentials));
      expect(error, isA<CognitoAuthErrorExceptionInvalidInput>(), reason: field);
      expect((error as CognitoAuthErrorExceptionInvalidInput).what, field, reason: error.reason);
      expect(error.toString(), isNot(contains(password)));
    }

    const credentials = SignInCredentials(username: 'alice', flow: AuthFlowUserSrp(), password: password);
    expectInvalid(const ClientConfig(userPoolId: 'not a pool id', clientId: 'client123'), credentials, 'user_pool_id');
    expectInvalid(
      const ClientConfig(userPoolId: 'us-east-1_Example1', clientId: 'client123', endpointUrl: 'ftp://example.com/'),
      credentials,
      'endpoint_url',
    );
    expectInvalid(config, const SignInCredentials(username: 'alice', flow: AuthFlowUserSrp()), 'password');
  });

  test('malformed responses are UnexpectedResponse and Srp errors', () {
    final html = passwordSession();
    html.start();
    expect(
      () => html.handleResponse(200, bytesOf('<html>proxy login</html>'), null),
      throwsCognito<CognitoAuthErrorExceptionUnexpectedResponse>((e) => expect(e.reason, isNotEmpty)),
    );

    final srp = SignInSession.newForTesting(
      srpPool,
      const SignInCredentials(username: 'alice', flow: AuthFlowUserSrp(), password: srpPassword),
      entropy,
      srpTime,
    );
    srp.start();
    const zeroB = '{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab12","SRP_B":"0",'
        '"SECRET_BLOCK":"c2VjcmV0","USER_ID_FOR_SRP":"alice","USERNAME":"alice"}}';
    expect(() => srp.handleResponse(200, bytesOf(zeroB), null), throwsCognito<CognitoAuthErrorExceptionSrp>());
  });

  test('throttling is a retryable Service error', () {
    final session = passwordSession();
    session.start();
    const throttled = '{"__type":"TooManyRequestsException","message":"Rate exceeded"}';
    expect(
      () => session.handleResponse(400, bytesOf(throttled), null),
      throwsCognito<CognitoAuthErrorExceptionService>((e) {
        expect(e.kind, ServiceErrorKind.tooManyRequests);
        expect(e.retryable, isTrue);
      }),
    );
  });
}
