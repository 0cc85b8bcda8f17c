/// Threat-protection device facts from what `dart:io` can read, so that an app does not
/// assemble [DeviceFacts] by hand:
///
/// ```dart
/// final facts = deviceFactsFromPlatform(deviceId: storedInstallId);
/// final context = ContextData(version: ContextDataVersion.flutter, facts: facts);
/// ```
///
/// | field | source |
/// |---|---|
/// | `platform` | `Platform.operatingSystem` (`android`, `ios`, `linux`, `macos`, `windows`) |
/// | `deviceOsReleaseVersion` | `Platform.operatingSystemVersion` |
/// | `deviceLanguage` | `Platform.localeName` (encoding cut; `en-US`, or `en_US` for the Android version) |
/// | `clientTimezone` | `DateTime.now().timeZoneOffset` through `formatClientTimezone` |
/// | `deviceName` | the `deviceName` argument, else `Platform.localHostname` (unless `readHostName: false`) |
/// | `applicationName`, `applicationVersion`, `deviceId` | the arguments |
///
/// Screen size, model, fingerprint and app metadata are not in `dart:io`: a Flutter app that
/// has them (`device_info_plus`, `package_info_plus`, `MediaQuery`) builds a [DeviceFacts]
/// with those fields itself. No serial number, MAC address, advertising id or user name is
/// read. Checked statically only here (bindings/dart/check.sh); the tests run where `dart` is.
library;

import 'dart:io' as io;

import 'generated/cognito_auth_ffi.dart';

/// The device facts this platform gives through `dart:io`, with `ClientTimezone` and
/// `DeviceLanguage` in the form of [version] (send them with the same version in
/// [ContextData]). [deviceId] is the app's own stable per-install id (Amplify Flutter stores
/// `<uuid>:<ISO-8601>` once); it is never made up here. The host name is Amplify's
/// `DeviceName` counterpart; `readHostName: false` leaves it out. The bindings must be open
/// (`openCognitoAuth()`): the time zone is formatted by the library.
DeviceFacts deviceFactsFromPlatform({
  ContextDataVersion version = ContextDataVersion.flutter,
  String? deviceId,
  String? applicationName,
  String? applicationVersion,
  String? deviceName,
  bool readHostName = true,
  DateTime? now,
}) {
  return DeviceFacts(
    applicationName: _nonBlank(applicationName),
    applicationVersion: _nonBlank(applicationVersion),
    deviceName: _nonBlank(deviceName) ?? (readHostName ? _hostName() : null),
    deviceOsReleaseVersion: _nonBlank(io.Platform.operatingSystemVersion),
    platform: _nonBlank(io.Platform.operatingSystem),
    clientTimezone: clientTimezoneFor((now ?? DateTime.now()).timeZoneOffset, version),
    deviceLanguage: deviceLanguageFor(io.Platform.localeName, version),
    deviceId: _nonBlank(deviceId),
  );
}

/// `ClientTimezone` for a UTC [offset] (east positive, as `DateTime.timeZoneOffset`) in
/// [version]'s form: `-07:00` / `+05:30` / `+00:00` (iOS, Flutter), `05:30` / `00:00`
/// (Android). Dart has no standard (raw) offset, so daylight saving time is included for every
/// version.
String clientTimezoneFor(Duration offset, ContextDataVersion version) =>
    formatClientTimezone(offset.inSeconds, version);

/// `DeviceLanguage` from a locale name such as `Platform.localeName` (`en_US.UTF-8`, `en-US`,
/// `de_DE@euro`): the encoding and modifier cut, `_` or `-` between the parts as [version]'s
/// SDK writes them (`en_US` for Android, `en-US` otherwise); null for `C`, `POSIX` or nothing.
String? deviceLanguageFor(String localeName, ContextDataVersion version) {
  final name = localeName.split('.').first.split('@').first.trim();
  if (name.isEmpty || name == 'C' || name == 'POSIX') {
    return null;
  }
  return version == ContextDataVersion.android ? name.replaceAll('-', '_') : name.replaceAll('_', '-');
}

String? _hostName() {
  try {
    return _nonBlank(io.Platform.localHostname);
  } on Object {
    return null;
  }
}

String? _nonBlank(String? value) => value == null || value.trim().isEmpty ? null : value;
