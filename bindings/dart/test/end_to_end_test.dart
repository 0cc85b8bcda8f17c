// End to end against MiniStack (the test kit's ministack-fixture binary): a real SRP password
// verification and a TOTP MFA challenge over HTTP with dart:io, the way an app signs in.
// Skipped unless COGNITO_AUTH_FIXTURE names the fixture's fixture.json.
import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

import 'support/support.dart';

void main() {
  setUpAll(loadCognitoAuth);

  test('SRP sign-in with TOTP MFA against MiniStack', () async {
    final fixture = Fixture.load();
    final session = SignInSession.create(
      fixture.config,
      SignInCredentials(username: fixture.username, flow: const AuthFlowUserSrp(), password: fixture.password),
    );
    var step = session.start();
    final operations = <String>[];
    var totpAnswers = 0;
    for (var i = 0; i < 12; i++) {
      switch (step) {
        case SignInStepSendRequest(:final request):
          operations.add(request.operation);
          final response = await send(request);
          try {
            step = session.handleResponse(response.status, response.body, response.errorTypeHeader);
          } on CognitoAuthErrorExceptionService catch (e) {
            // The code went stale on the way (a step boundary): the step stays open, and one more
            // code from the next time step is allowed.
            if (!e.stepStillOpen || totpAnswers != 1) {
              rethrow;
            }
            await Future<void>.delayed(const Duration(seconds: 1));
            step = session.status().pendingStep ?? fail('no step waits after a refused code');
          }
        case SignInStepConfirmSignInWithTotpCode():
          expect(totpAnswers, lessThan(2), reason: 'TOTP asked for more than twice');
          totpAnswers += 1;
          step = session.answer(ChallengeAnswerTotpCode(code: await freshTotpCode(fixture.totpSecret)));
        case SignInStepDone(:final result):
          expect(operations.first, 'InitiateAuth');
          expect(operations.where((op) => op == 'RespondToAuthChallenge').length, 1 + totpAnswers,
              reason: 'PASSWORD_VERIFIER, then the TOTP code: $operations');
          expect(totpAnswers, greaterThan(0), reason: "the fixture's user has TOTP MFA: the code must be asked for");
          final claims = jwtClaims(result.tokens.accessToken);
          expect(claims.tokenUse, equals(const TokenUseAccess()));
          expect(claims.username, fixture.username);
          expect(claims.clientId, fixture.clientId);
          expect(claims.exp, greaterThan(unixTimeNow()));
          final idToken = result.tokens.idToken;
          expect(idToken, isNotNull);
          expect(jwtClaims(idToken!).tokenUse, equals(const TokenUseId()));
          expect(result.tokens.refreshToken, isNotNull);
          expect(result.tokens.tokenType, 'Bearer');
          expect(session.isOver(), isTrue);
          expect(session.status().username, fixture.username);
          return;
        default:
          fail('unexpected step $step after $operations');
      }
    }
    fail('no tokens after 12 steps: $operations');
  }, skip: Fixture.skipReason, timeout: const Timeout(Duration(seconds: 90)));

  test('a wrong password is NotAuthorized and not shown', () async {
    final fixture = Fixture.load();
    final wrong = '${fixture.password}-wrong';
    final session = SignInSession.create(
      fixture.config,
      SignInCredentials(username: fixture.username, flow: const AuthFlowUserSrp(), password: wrong),
    );
    var step = session.start();
    for (var i = 0; i < 4; i++) {
      final response = await send(sentRequest(step));
      try {
        step = session.handleResponse(response.status, response.body, response.errorTypeHeader);
      } on CognitoAuthErrorException catch (error) {
        expect(error, isA<CognitoAuthErrorExceptionService>());
        final service = error as CognitoAuthErrorExceptionService;
        expect(service.kind, ServiceErrorKind.notAuthorized);
        expect(service.status, 400);
        expect(error.toString(), isNot(contains(wrong)));
        return;
      }
    }
    fail('a wrong password was not refused');
  }, skip: Fixture.skipReason, timeout: const Timeout(Duration(seconds: 60)));
}
