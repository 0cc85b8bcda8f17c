// Secrets and personal data do not come out of toString() or toJson(): uniffi-bindgen-dart
// ignores the redacting Rust Display, so bindings/generate.sh rewrites those methods
// (bindings/tools/dart_redact.py). Pure Dart: no library call.
import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

void main() {
  test('credentials print redacted and have no JSON form', () {
    const credentials = SignInCredentials(
      username: 'alice@example.com',
      flow: AuthFlowUserSrp(),
      password: 'Hunter2-Secret!',
    );
    expect(credentials.toString(), isNot(contains('Hunter2-Secret!')));
    expect(credentials.toString(), isNot(contains('alice@example.com')));
    expect(() => credentials.toJson(), throwsUnsupportedError);
    // The fields stay readable.
    expect(credentials.password, equals('Hunter2-Secret!'));
  });

  test('an auto sign-in session prints redacted and has no JSON form', () {
    const flow = AuthFlowAutoSignIn(signUpSession: 'session-from-sign-up');
    expect(flow.toString(), isNot(contains('session-from-sign-up')));
    expect(() => AuthFlowFfiCodec.encode(flow), throwsUnsupportedError);
  });

  test('personal data prints redacted', () {
    const user = UserInfo(
      username: 'alice@example.com',
      attributes: {'email': 'alice@example.com', 'phone_number': '+12065551212'},
      mfaPreference: MfaPreference(enabled: [MfaType.totp], preferred: MfaType.totp),
    );
    const delivery = CodeDeliveryDetails(
      destination: 'a***@e***.com',
      deliveryMedium: 'EMAIL',
      attributeName: 'email',
    );
    for (final printed in [user.toString(), delivery.toString()]) {
      expect(printed, isNot(contains('alice@example.com')));
      expect(printed, isNot(contains('+12065551212')));
      expect(printed, isNot(contains('a***@e***.com')));
    }
    expect(() => user.toJson(), throwsUnsupportedError);
    expect(() => delivery.toJson(), throwsUnsupportedError);
  });
}
