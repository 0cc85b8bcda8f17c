// TOTP (RFC 6238) and otpauth:// URIs through the Dart bindings.
import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

import 'support/support.dart';

// RFC 6238 Appendix B: 8 digits, 30 s steps, T0 = 0. The seeds are the ASCII strings
// "1234567890" repeated to 20 (SHA-1), 32 (SHA-256) and 64 (SHA-512) bytes, base32-encoded.
const seedSha1 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const seedSha256 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA';
const seedSha512 =
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA';

// time, SHA-1, SHA-256, SHA-512
const rfc6238 = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

void main() {
  setUpAll(loadCognitoAuth);

  test('RFC 6238 Appendix B vectors', () {
    final seeds = {TotpAlgorithm.sha1: seedSha1, TotpAlgorithm.sha256: seedSha256, TotpAlgorithm.sha512: seedSha512};
    var column = 1;
    for (final entry in seeds.entries) {
      final parameters = TotpParameters(algorithm: entry.key, digits: 8, periodSecs: 30);
      for (final vector in rfc6238) {
        final time = vector[0] as int;
        final code = totpCode(secretBase32: entry.value, unixTime: time, parameters: parameters);
        expect(code, equals(vector[column]), reason: '${entry.key} at T=$time');
      }
      column += 1;
    }
  });

  test('RFC 4226 Appendix D HOTP values as TOTP at counter * 30', () {
    // HOTP(counter) is TOTP at time counter * 30 with 30 s steps (6 digits, SHA-1).
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    for (var counter = 0; counter < expected.length; counter++) {
      expect(totpCode(secretBase32: seedSha1, unixTime: counter * 30), equals(expected[counter]), reason: 'counter $counter');
    }
    // Lower case and spaces, as authenticator apps show secrets, are accepted.
    expect(totpCode(secretBase32: 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq', unixTime: 59), equals('287082'));
  });

  test('Cognito defaults: 6 digits, SHA-1, 30 s', () {
    expect(cognitoTotpParameters(), equals(const TotpParameters(algorithm: TotpAlgorithm.sha1, digits: 6, periodSecs: 30)));
    // The 6-digit code is the 8-digit RFC value mod 10^6.
    expect(totpCode(secretBase32: seedSha1, unixTime: 59), equals('287082'));
    expect(totpCode(secretBase32: seedSha1, unixTime: 1111111109), equals('081804'));
  });

  test('verify accepts the code within the skew and refuses replays and wrong codes', () {
    // T=59 is time step 1; one step of skew accepts it at T=89 (step 2) too.
    expect(totpVerify(secretBase32: seedSha1, code: '287082', unixTime: 59), equals(1));
    expect(totpVerify(secretBase32: seedSha1, code: '287082', unixTime: 89), equals(1));
    expect(
      () => totpVerify(secretBase32: seedSha1, code: '287082', unixTime: 59, lastUsedStep: 1),
      throwsCognito<CognitoAuthErrorExceptionTotp>((e) => expect(e.kind, TotpErrorKind.codeReplayed)),
    );
    expect(
      () => totpVerify(secretBase32: seedSha1, code: '000000', unixTime: 59),
      throwsCognito<CognitoAuthErrorExceptionTotp>((e) => expect(e.kind, TotpErrorKind.codeMismatch)),
    );
    expect(
      () => totpVerify(secretBase32: seedSha1, code: '28708', unixTime: 59),
      throwsCognito<CognitoAuthErrorExceptionTotp>((e) => expect(e.kind, TotpErrorKind.malformedCode)),
    );
  });

  test('bad secrets and parameters are typed errors', () {
    for (final secret in ['1NVALID!', '', 'ABC']) {
      final error = cognitoError(() => totpCode(secretBase32: secret, unixTime: 59));
      expect(error, isA<CognitoAuthErrorExceptionTotp>(), reason: secret);
      final totp = error as CognitoAuthErrorExceptionTotp;
      expect(totp.kind, TotpErrorKind.invalidSecret, reason: totp.reason);
      expect(totp.reason, isNotEmpty);
    }
    const nineDigits = TotpParameters(algorithm: TotpAlgorithm.sha1, digits: 9, periodSecs: 30);
    expect(
      () => totpCode(secretBase32: seedSha1, unixTime: 59, parameters: nineDigits),
      throwsCognito<CognitoAuthErrorExceptionTotp>((e) => expect(e.kind, TotpErrorKind.invalidParameters)),
    );
  });

  test('otpauth URI round trip', () {
    // The example of the Key Uri Format (Google Authenticator wiki), with every parameter.
    const text = 'otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ'
        '&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60';
    final uri = otpauthUriParse(text);
    expect(uri.otpType, equals(const OtpTypeTotp(periodSecs: 60)));
    expect(uri.secretBase32, 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ');
    expect(uri.issuer, 'ACME Co');
    expect(uri.accountName, 'john.doe@email.com');
    expect(uri.algorithm, TotpAlgorithm.sha256);
    expect(uri.digits, 8);

    final built = otpauthUriBuild(uri);
    expect(built, equals(text));
    expect(otpauthUriParse(built), equals(uri));
  });

  test('otpauth URI with bad base32 is an OtpauthUri error', () {
    const text = 'otpauth://totp/Example:alice?secret=1NVALID8JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Example';
    expect(
      () => otpauthUriParse(text),
      throwsCognito<CognitoAuthErrorExceptionOtpauthUri>((e) => expect(e.reason, contains('base32'))),
    );
    for (final other in [
      'https://example.com/?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', // not otpauth://
      'otpauth://totp/Example:alice?issuer=Example', // no secret
      'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example', // 80 bits < 128
    ]) {
      expect(() => otpauthUriParse(other), throwsCognito<CognitoAuthErrorExceptionOtpauthUri>(), reason: other);
    }
  });

  test('TOTP setup URI for an authenticator app', () {
    const details = TotpSetupDetails(sharedSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', username: 'alice');
    final uri = otpauthUriParse(totpSetupUri(details: details, appName: 'My App', accountName: 'alice@example.com'));
    expect(uri.secretBase32, details.sharedSecret);
    expect(uri.issuer, 'My App');
    expect(uri.accountName, 'alice@example.com');
    expect(uri.otpType, equals(const OtpTypeTotp(periodSecs: 30)));
    expect(uri.digits, 6);
  });
}
