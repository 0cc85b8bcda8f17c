// swift-tools-version:5.9
// The Swift package of cognito-auth: the UniFFI-generated Swift API (target CognitoAuth) over the
// Rust library (target CognitoAuthFFI). Three forms of CognitoAuthFFI, one manifest:
//
// 1. A release (an app adds this repository's URL at a release tag in SwiftPM): `releaseFramework`
//    below holds the URL and SHA-256 of the zipped XCFramework. bindings/swift/release.sh writes it
//    at release time; between releases it is nil.
// 2. Development on a Mac: the XCFramework that `bash bindings/swift/build-xcframework.sh` built
//    at build/CognitoAuthFFI.xcframework (and Sources/CognitoAuth/CognitoAuth.swift beside it).
// 3. Linux (swift-corelibs Foundation + XCTest, no Apple frameworks), chosen by the environment
//    variable COGNITO_AUTH_FFI_LIB_DIR = the directory of libcognito_auth_ffi.so built by cargo:
//    a system-library target (Linux/CognitoAuthFFI/module.modulemap + the generated header,
//    copied there by run-tests.sh) linked with -L that directory. `bash bindings/swift/run-tests.sh`
//    does all of it on Linux and on a Mac.
import PackageDescription

// Written by bindings/swift/release.sh; keep it on one line.
let releaseFramework: (url: String, checksum: String)? = nil

let linuxLibraryDirectory = Context.environment["COGNITO_AUTH_FFI_LIB_DIR"]

let ffiTarget: Target
var apiLinkerSettings: [LinkerSetting] = []
if let directory = linuxLibraryDirectory {
    // The header is the generated CognitoAuthFFI.h; the module map links -lcognito_auth_ffi.
    ffiTarget = .systemLibrary(name: "CognitoAuthFFI", path: "Linux/CognitoAuthFFI")
    apiLinkerSettings = [.unsafeFlags(["-L", directory, "-Xlinker", "-rpath", "-Xlinker", directory])]
} else if let release = releaseFramework {
    ffiTarget = .binaryTarget(name: "CognitoAuthFFI", url: release.url, checksum: release.checksum)
} else {
    // Static libcognito_auth_ffi.a slices (iOS device, iOS simulator, macOS) with the C header
    // and a module map declaring the `CognitoAuthFFI` Clang module.
    ffiTarget = .binaryTarget(
        name: "CognitoAuthFFI",
        path: "build/CognitoAuthFFI.xcframework"
    )
}

let package = Package(
    name: "CognitoAuth",
    platforms: [.iOS(.v13), .macOS(.v11)],
    products: [
        .library(name: "CognitoAuth", targets: ["CognitoAuth"]),
    ],
    targets: [
        ffiTarget,
        // The generated bindings; `import CognitoAuthFFI` inside them resolves to the target above.
        .target(
            name: "CognitoAuth",
            dependencies: ["CognitoAuthFFI"],
            path: "Sources/CognitoAuth",
            exclude: ["README.md"],
            linkerSettings: apiLinkerSettings
        ),
        .testTarget(
            name: "CognitoAuthTests",
            dependencies: ["CognitoAuth"],
            path: "Tests/CognitoAuthTests"
        ),
    ]
)
