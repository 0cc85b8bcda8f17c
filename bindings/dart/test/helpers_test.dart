// SECRET_HASH and E.164 phone numbers through the Dart bindings.
import 'dart:convert';

import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

import 'support/support.dart';

// Base64(HMAC-SHA256(key = client secret, message = username + client id)), computed with
// Python's hmac module (the first row also with openssl).
// username, client id, client secret, SECRET_HASH
const secretHashVectors = [
  ['alice', '1example23456789abcdefghij', '1example23456789abcdefghijklmnopqrstuvwxyz0123456789',
      '//GwtE+1CK57uu1PfHhDchwQMQO4b0KDIie8ikhR0kk='],
  ['a68c740a-8385-42d7-b8fb-ea5496094942', '4bmsrr65ah3oas5d4sd54st11k',
      'k2ahb3s8qq1h3d5o7n0c5mjdfsr0jq2h6q5u1b0d3n4v8l2p7x9', '1k7dpqYEwgmtpPhcdC6BixDEP04LANsm9scYfGwcF3U='],
  ['jos\u00e9+test@example.com', '4bmsrr65ah3oas5d4sd54st11k',
      'k2ahb3s8qq1h3d5o7n0c5mjdfsr0jq2h6q5u1b0d3n4v8l2p7x9', 'ggyCylcJB7L4jwXwCngiM3/6AShfnDaw1RK2zJHhLO0='],
  ['+12065551212', '4bmsrr65ah3oas5d4sd54st11k',
      'k2ahb3s8qq1h3d5o7n0c5mjdfsr0jq2h6q5u1b0d3n4v8l2p7x9', 'Mt8q1qLOV9GdJwcrcLGnLP/BLda00Mr93wTVcEUtu7k='],
  ['teacher@example.com', 'test-client-id', 'test-secret', 'ubMq12ua7Sob8EJy4crIRzaQLGUIELfDWkbXBRqlgVw='],
];

void main() {
  setUpAll(loadCognitoAuth);

  test('SECRET_HASH vectors', () {
    for (final v in secretHashVectors) {
      expect(secretHash(v[0], v[1], v[2]), equals(v[3]), reason: v[0]);
    }
  });

  test('E.164 parse', () {
    expect(
      phoneNumberParse('+14155552671'),
      equals(const PhoneNumber(e164: '+14155552671', countryCallingCode: 1, nationalSignificantNumber: '4155552671')),
    );
    final london = phoneNumberParse('+44 20 7946 0958');
    expect(london.e164, '+442079460958');
    expect(london.countryCallingCode, 44);
  });

  test('E.164 normalize with a default calling code', () {
    expect(phoneNumberNormalize(input: '(415) 555-2671', defaultCallingCode: 1).e164, '+14155552671');
    expect(phoneNumberNormalize(input: '206-555-1212', defaultCallingCode: 1).e164, '+12065551212');
  });

  test('a 40-digit number is a PhoneNumber error', () {
    final fortyDigits = '+${'1' * 40}';
    expect(
      () => phoneNumberParse(fortyDigits),
      throwsCognito<CognitoAuthErrorExceptionPhoneNumber>(
          (e) => expect(e.reason, contains('15'), reason: "the reason should name E.164's 15-digit limit")),
    );
  });

  test('other malformed numbers are typed errors', () {
    for (final input in ['+1', '12065551212', '+0123456', '']) {
      expect(() => phoneNumberParse(input), throwsCognito<CognitoAuthErrorExceptionPhoneNumber>(), reason: input);
    }
  });

  test('JWT claims of an unsigned token; malformed tokens are Jwt errors', () {
    final claims = jwtClaims(fakeJwt(
        '{"sub":"s-1","username":"alice","token_use":"access","client_id":"c1","exp":1800003600,"iat":1800000000,"iss":"https://example"}'));
    expect(claims.sub, 's-1');
    expect(claims.username, 'alice');
    expect(claims.tokenUse, equals(const TokenUseAccess()));
    expect(claims.clientId, 'c1');
    expect(claims.exp, 1800003600);
    expect(claims.iat, 1800000000);
    expect(claims.iss, 'https://example');
    expect(jwtClaims(fakeJwt('{"sub":"s","exp":1}')).username, isNull);
    expect(() => jwtClaims('not-a-jwt'), throwsCognito<CognitoAuthErrorExceptionJwt>());
    expect(() => jwtClaims(fakeJwt('{"sub":"s"}')), throwsCognito<CognitoAuthErrorExceptionJwt>(), reason: 'no exp');
  });
}

/// An unsigned JWT with [payload] (the library reads claims for refresh timing; it does not
/// verify signatures).
String fakeJwt(String payload) {
  String base64url(String text) => base64Url.encode(utf8.encode(text)).replaceAll('=', '');
  return '${base64url('{"alg":"none","typ":"JWT"}')}.${base64url(payload)}.c2ln';
}
