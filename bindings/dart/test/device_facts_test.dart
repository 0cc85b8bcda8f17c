// deviceFactsFromPlatform (lib/src/device_facts.dart): the dart:io facts, ClientTimezone and
// DeviceLanguage per version, and the facts signed into EncodedData.
import 'dart:convert';
import 'dart:io' show Platform;

import 'package:cognito_auth/cognito_auth.dart';
import 'package:test/test.dart';

import 'support/support.dart';

void main() {
  setUpAll(loadCognitoAuth);

  test('ClientTimezone per version from a UTC offset', () {
    expect(clientTimezoneFor(const Duration(hours: -7), ContextDataVersion.ios), equals('-07:00'));
    expect(clientTimezoneFor(const Duration(hours: 5, minutes: 30), ContextDataVersion.flutter), equals('+05:30'));
    expect(clientTimezoneFor(const Duration(hours: 5, minutes: 30), ContextDataVersion.android), equals('05:30'));
    expect(clientTimezoneFor(Duration.zero, ContextDataVersion.android), equals('00:00'));
    expect(clientTimezoneFor(Duration.zero, ContextDataVersion.flutter), equals('+00:00'));
  });

  test('DeviceLanguage per version; C and POSIX are no language', () {
    expect(deviceLanguageFor('en_US.UTF-8', ContextDataVersion.flutter), equals('en-US'));
    expect(deviceLanguageFor('en-US', ContextDataVersion.android), equals('en_US'));
    expect(deviceLanguageFor('de_DE@euro', ContextDataVersion.ios), equals('de-DE'));
    expect(deviceLanguageFor('C.UTF-8', ContextDataVersion.flutter), isNull);
    expect(deviceLanguageFor('POSIX', ContextDataVersion.android), isNull);
    expect(deviceLanguageFor('', ContextDataVersion.flutter), isNull);
  });

  test('the dart:io facts and the app\'s own; nothing made up', () {
    final now = DateTime.now();
    final facts = deviceFactsFromPlatform(
        deviceId: 'install-1', applicationName: 'Example', readHostName: false, now: now);
    expect(facts.platform, equals(Platform.operatingSystem));
    expect(facts.deviceOsReleaseVersion, equals(Platform.operatingSystemVersion));
    expect(facts.deviceLanguage, equals(deviceLanguageFor(Platform.localeName, ContextDataVersion.flutter)));
    expect(facts.clientTimezone, equals(clientTimezoneFor(now.timeZoneOffset, ContextDataVersion.flutter)));
    expect(facts.deviceId, equals('install-1'));
    expect(facts.applicationName, equals('Example'));
    expect(facts.deviceName, isNull);
    expect(facts.screenHeightPixels, isNull);
    expect(facts.deviceFingerprint, isNull);
    expect(facts.thirdPartyDeviceId, isNull);
    expect(deviceFactsFromPlatform(deviceName: 'kiosk-7').deviceName, equals('kiosk-7'));
    expect(deviceFactsFromPlatform(deviceId: ' ').deviceId, isNull);
    expect(deviceFactsFromPlatform().deviceName, equals(Platform.localHostname));
  });

  test('signed into EncodedData under Amplify\'s keys', () {
    final facts = deviceFactsFromPlatform(deviceId: 'install-1', deviceName: 'kiosk-7');
    final encoded = encodeContextData(
        ContextData(version: ContextDataVersion.flutter, facts: facts),
        const ClientConfig(userPoolId: 'us-east-1_pool', clientId: 'client-id'),
        'user',
        1790000000123);
    final outer = jsonDecode(utf8.decode(base64.decode(encoded))) as Map<String, dynamic>;
    expect(outer['version'], equals('FLUTTER20230306'));
    final payload = jsonDecode(outer['payload'] as String) as Map<String, dynamic>;
    final context = payload['contextData'] as Map<String, dynamic>;
    expect(context['DeviceId'], equals('install-1'));
    expect(context['DeviceName'], equals('kiosk-7'));
    expect(context['Platform'], equals(Platform.operatingSystem));
    expect(context['ClientTimezone'], equals(facts.clientTimezone));
    expect(context.containsKey('ScreenHeightPixels'), isFalse);
  });
}
