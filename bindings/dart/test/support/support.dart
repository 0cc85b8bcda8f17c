// Helpers shared by the test files: loading the library, JSON bodies, the MiniStack fixture and
// one HTTP call with dart:io (prefixed: dart:io has its own HttpRequest).
import 'dart:convert';
import 'dart:io' as io;
import 'dart:typed_data';

import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

/// Points the bindings at the library under test: COGNITO_AUTH_FFI_LIB (run-tests.sh sets it
/// to the freshly built one), else the platform's lookup by name.
void loadCognitoAuth() {
  openCognitoAuth(libraryPath: io.Platform.environment['COGNITO_AUTH_FFI_LIB']);
}

/// UTF-8 bytes of a response body.
Uint8List bytesOf(String text) => Uint8List.fromList(utf8.encode(text));

/// The JSON object in a request body.
Map<String, dynamic> jsonObjectOf(String text) {
  final value = jsonDecode(text);
  if (value is! Map<String, dynamic>) {
    fail('not a JSON object: $text');
  }
  return value;
}

/// The request of a SendRequest step.
HttpRequest sentRequest(SignInStep step) {
  if (step is! SignInStepSendRequest) {
    fail('expected SignInStepSendRequest, got $step');
  }
  return step.request;
}

/// A matcher for a thrown CognitoAuthErrorException of type [T] that passes [check].
Matcher throwsCognito<T extends CognitoAuthErrorException>([void Function(T error)? check]) {
  return throwsA(predicate((Object? error) {
    if (error is! T) {
      return false;
    }
    if (check != null) {
      check(error);
    }
    return true;
  }, 'a $T'));
}

/// Runs [body], which must throw a CognitoAuthErrorException; returns it.
CognitoAuthErrorException cognitoError(Object? Function() body) {
  try {
    final value = body();
    fail('expected a CognitoAuthErrorException, got $value');
  } on CognitoAuthErrorException catch (error) {
    return error;
  }
}

/// The MiniStack fixture started by bindings/dart/run-tests.sh
/// (the test kit's ministack-fixture binary): its fixture.json, named by COGNITO_AUTH_FIXTURE.
class Fixture {
  Fixture._(this.json);

  static const environmentVariable = 'COGNITO_AUTH_FIXTURE';

  /// Why the end-to-end tests are skipped, or null when a fixture is there.
  static String? get skipReason => (io.Platform.environment[environmentVariable] ?? '').isEmpty
      ? '$environmentVariable is not set: no MiniStack endpoint. Run bindings/dart/run-tests.sh, or start '
          'one with `bash bindings/testing/ministack-fixture.sh start --state DIR` and set $environmentVariable to DIR/fixture.json'
      : null;

  static Fixture load() {
    final path = io.Platform.environment[environmentVariable];
    if (path == null || path.isEmpty) {
      fail(skipReason ?? 'no fixture');
    }
    return Fixture._(jsonObjectOf(io.File(path).readAsStringSync()));
  }

  final Map<String, dynamic> json;

  String _string(String key) {
    final value = json[key];
    if (value is! String) {
      fail('fixture.json: no string $key');
    }
    return value;
  }

  String get endpoint => _string('endpoint');
  String get userPoolId => _string('user_pool_id');
  String get clientId => _string('client_id');
  String? get clientSecret => json['client_secret'] as String?;
  String get username => _string('username');
  String get password => _string('password');
  String get totpSecret => _string('totp_secret');

  ClientConfig get config => ClientConfig(
        userPoolId: userPoolId,
        clientId: clientId,
        clientSecret: clientSecret,
        endpointUrl: endpoint,
      );
}

/// A response as the sign-in session wants it.
class Response {
  Response(this.status, this.body, this.errorTypeHeader);

  final int status;
  final Uint8List body;
  final String? errorTypeHeader;
}

/// Sends [request] with dart:io and reads the whole response (at most 20 s).
Future<Response> send(HttpRequest request) async {
  final client = io.HttpClient()..connectionTimeout = const Duration(seconds: 15);
  try {
    final outgoing = await client.openUrl(request.method, Uri.parse(request.url));
    request.headers.forEach(outgoing.headers.set);
    outgoing.add(utf8.encode(request.body));
    final incoming = await outgoing.close().timeout(const Duration(seconds: 20));
    final body = BytesBuilder(copy: false);
    await incoming.forEach(body.add).timeout(const Duration(seconds: 20));
    return Response(incoming.statusCode, body.takeBytes(), incoming.headers.value(errorTypeHeaderName()));
  } finally {
    client.close(force: true);
  }
}

/// The current TOTP code, after waiting out the last 3 s of a 30 s step (so that the code is
/// still valid when it arrives).
Future<String> freshTotpCode(String secretBase32) async {
  final intoStep = DateTime.now().millisecondsSinceEpoch % 30000;
  if (intoStep > 27000) {
    await Future<void>.delayed(Duration(milliseconds: 30000 - intoStep + 200));
  }
  return totpCurrentCode(secretBase32: secretBase32);
}
