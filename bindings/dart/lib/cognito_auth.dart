/// Amazon Cognito user-pool sign-in for Dart and Flutter: the cognito-auth Rust core through its
/// UniFFI bindings (generated into `src/generated/` by `bindings/dart/prepare.sh`).
///
/// Call [openCognitoAuth] once before anything else: it points the bindings at the native
/// library of this platform. The app does the HTTP; the library builds every request and reads
/// every response (see the sign-in loop in bindings/README.md).
import 'dart:ffi' as ffi;
import 'dart:io' show Platform;

import 'src/generated/cognito_auth_ffi.dart' as generated;

export 'src/client.dart';
export 'src/device_facts.dart';
export 'src/generated/cognito_auth_ffi.dart';

/// The file name of the native library on this platform, as the Flutter plugin bundles it.
String cognitoAuthLibraryFileName() {
  if (Platform.isWindows) {
    return 'cognito_auth_ffi.dll';
  }
  if (Platform.isMacOS || Platform.isIOS) {
    return 'libcognito_auth_ffi.dylib';
  }
  return 'libcognito_auth_ffi.so';
}

/// Loads the native library and checks that it matches these bindings (the contract version and
/// every API checksum; a mismatch throws a [StateError] naming the symbol).
///
/// [libraryPath] overrides the lookup (tests pass the freshly built library). Otherwise: on iOS
/// and macOS the Flutter plugin links the static library into the app, so the symbols are looked
/// up in the process; elsewhere the library is opened by its file name
/// ([cognitoAuthLibraryFileName]), which Android and Linux resolve from the bundled libraries.
void openCognitoAuth({String? libraryPath}) {
  if (libraryPath != null) {
    generated.configureDefaultBindings(libraryPath: libraryPath);
  } else if (Platform.isIOS || Platform.isMacOS) {
    generated.configureDefaultBindings(dynamicLibrary: ffi.DynamicLibrary.process());
  } else {
    generated.configureDefaultBindings(dynamicLibrary: ffi.DynamicLibrary.open(cognitoAuthLibraryFileName()));
  }
}
