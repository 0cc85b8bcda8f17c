// swift-tools-version:5.9
// The Swift package of cognito-auth: the UniFFI-generated Swift API (target CognitoAuth) over the
// Rust library packaged as an XCFramework of static libraries (binary target CognitoAuthFFI).
//
// Both inputs are build products, not sources: run `bash bindings/swift/build-xcframework.sh`
// on a Mac with Xcode first. It writes build/CognitoAuthFFI.xcframework and
// Sources/CognitoAuth/CognitoAuth.swift. Then `swift test --package-path bindings/swift`
// (or bindings/swift/run-tests.sh, which also starts the MiniStack fixture).
import PackageDescription

let package = Package(
    name: "CognitoAuth",
    platforms: [.iOS(.v13), .macOS(.v11)],
    products: [
        .library(name: "CognitoAuth", targets: ["CognitoAuth"]),
    ],
    targets: [
        // Static libcognito_auth_ffi.a slices (iOS device, iOS simulator, macOS) with the C header
        // and a module map declaring the `CognitoAuthFFI` Clang module.
        .binaryTarget(
            name: "CognitoAuthFFI",
            path: "build/CognitoAuthFFI.xcframework"
        ),
        // The generated bindings; `import CognitoAuthFFI` inside them resolves to the binary target.
        .target(
            name: "CognitoAuth",
            dependencies: ["CognitoAuthFFI"],
            path: "Sources/CognitoAuth",
            exclude: ["README.md"]
        ),
        .testTarget(
            name: "CognitoAuthTests",
            dependencies: ["CognitoAuth"],
            path: "Tests/CognitoAuthTests"
        ),
    ]
)
