# The macOS side of the Flutter FFI plugin: the XCFramework of static libcognito_auth_ffi.a built by
# bindings/swift/build-xcframework.sh, copied to Frameworks/ by bindings/dart/prepare.sh.
# Dart finds the Rust functions with dlsym in the app itself (DynamicLibrary.process(), see
# lib/cognito_auth.dart). Nothing references them at link time, so the whole archive is
# force-loaded into the app (otherwise the linker would drop every object file).
Pod::Spec.new do |s|
  s.name             = 'cognito_auth'
  s.version          = '0.1.0'
  s.summary          = 'Amazon Cognito user-pool sign-in (cognito-auth Rust core) for Flutter.'
  s.homepage         = 'https://example.invalid/cognito-auth'
  s.license          = { :type => 'MIT OR Apache-2.0' }
  s.author           = { 'cognito-auth' => 'cognito-auth@example.invalid' }
  s.source           = { :path => '.' }
  s.platform = :osx, '11.0'
  s.dependency 'FlutterMacOS'
  s.static_framework = true
  s.vendored_frameworks = 'Frameworks/CognitoAuthFFI.xcframework'
  s.user_target_xcconfig = {
    'OTHER_LDFLAGS' => '$(inherited) -force_load "${PODS_XCFRAMEWORKS_BUILD_DIR}/cognito_auth/libcognito_auth_ffi.a"'
  }
end
