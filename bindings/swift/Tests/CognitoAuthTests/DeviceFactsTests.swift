// DeviceFacts.current / foundationFacts (Sources/CognitoAuth/DeviceFacts+Platform.swift): the
// Foundation facts, ClientTimezone and DeviceLanguage per version, Amplify Swift's target-SDK
// integer and fingerprint form, and the facts signed into EncodedData.
import XCTest
import CognitoAuth

final class DeviceFactsTests: XCTestCase {
    /// 2026-07-02T08:26:40Z: daylight saving time in Los Angeles (UTC-7, standard UTC-8).
    static let july2026 = Date(timeIntervalSince1970: 1_783_000_000)

    func testClientTimezonePerVersion() throws {
        let losAngeles = try XCTUnwrap(TimeZone(identifier: "America/Los_Angeles"))
        let kolkata = try XCTUnwrap(TimeZone(identifier: "Asia/Kolkata"))
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        XCTAssertEqual(DeviceFacts.clientTimezone(losAngeles, at: Self.july2026, version: .ios), "-07:00")
        XCTAssertEqual(DeviceFacts.clientTimezone(losAngeles, at: Self.july2026, version: .android), "-08:00")
        XCTAssertEqual(DeviceFacts.clientTimezone(kolkata, at: Self.july2026, version: .flutter), "+05:30")
        XCTAssertEqual(DeviceFacts.clientTimezone(kolkata, at: Self.july2026, version: .android), "05:30")
        XCTAssertEqual(DeviceFacts.clientTimezone(utc, at: Self.july2026, version: .ios), "+00:00")
    }

    func testDeviceLanguageTargetSdkAndFingerprint() {
        XCTAssertEqual(DeviceFacts.deviceLanguage(["en-US", "fr-FR"], version: .ios), "en-US")
        XCTAssertEqual(DeviceFacts.deviceLanguage(["en-US"], version: .android), "en_US")
        XCTAssertNil(DeviceFacts.deviceLanguage([], version: .ios))
        XCTAssertNil(DeviceFacts.deviceLanguage([" "], version: .ios))
        XCTAssertEqual(DeviceFacts.targetSdk(minimumOSVersion: "13.0"), "130000")
        XCTAssertEqual(DeviceFacts.targetSdk(minimumOSVersion: "16.4.1"), "160401")
        XCTAssertEqual(DeviceFacts.targetSdk(minimumOSVersion: "17"), "170000")
        XCTAssertNil(DeviceFacts.targetSdk(minimumOSVersion: "13.x"))
        XCTAssertNil(DeviceFacts.targetSdk(minimumOSVersion: "1.2.3.4"))
        XCTAssertNil(DeviceFacts.targetSdk(minimumOSVersion: "13.100"))
        XCTAssertNil(DeviceFacts.targetSdk(minimumOSVersion: nil))
        // the form an amplify-js React Native test expects (reference notes, section 1)
        XCTAssertEqual(
            DeviceFacts.fingerprint(model: "iPhone", machine: nil, osVersion: "18.0", buildType: "release"),
            "Apple/iPhone/-/-:18.0/-/-:-/release")
    }

    func testFoundationFacts() throws {
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        let facts = DeviceFacts.foundationFacts(
            deviceId: "install-1", version: .ios, timeZone: utc, preferredLanguages: ["en-GB"], now: Self.july2026)
        XCTAssertEqual(facts.deviceId, "install-1")
        XCTAssertEqual(facts.clientTimezone, "+00:00")
        XCTAssertEqual(facts.deviceLanguage, "en-GB")
        XCTAssertNotNil(facts.platform)
        XCTAssertNotNil(facts.deviceOsReleaseVersion)
        let machine = try XCTUnwrap(facts.phoneType)
        XCTAssertFalse(machine.contains("\u{0}"))
        XCTAssertTrue(facts.buildType == "debug" || facts.buildType == "release")
        // Foundation has no screen, vendor id or device name: nil, never made up
        XCTAssertNil(facts.screenHeightPixels)
        XCTAssertNil(facts.screenWidthPixels)
        XCTAssertNil(facts.thirdPartyDeviceId)
        XCTAssertNil(facts.deviceName)
        XCTAssertNil(DeviceFacts.foundationFacts(deviceId: " ").deviceId)
    }

    func testSignedIntoEncodedData() throws {
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        let facts = DeviceFacts.foundationFacts(
            deviceId: "install-1", version: .ios, timeZone: utc, preferredLanguages: ["de-DE"], now: Self.july2026)
        let config = ClientConfig(userPoolId: "us-east-1_pool", clientId: "client-id")
        let encoded = try encodeContextData(
            data: ContextData(version: .ios, facts: facts), config: config, username: "user", unixTimeMs: 1_790_000_000_123)
        let outerData = try XCTUnwrap(Data(base64Encoded: encoded))
        let outer = try XCTUnwrap(try JSONSerialization.jsonObject(with: outerData) as? [String: Any])
        XCTAssertEqual(outer["version"] as? String, "IOS20171114")
        let payloadText = try XCTUnwrap(outer["payload"] as? String)
        let payload = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(payloadText.utf8)) as? [String: Any])
        let context = try XCTUnwrap(payload["contextData"] as? [String: String])
        XCTAssertEqual(context["DeviceId"], "install-1")
        XCTAssertEqual(context["ClientTimezone"], "+00:00")
        XCTAssertEqual(context["DeviceLanguage"], "de-DE")
        XCTAssertEqual(context["Platform"], facts.platform)
        XCTAssertNil(context["ScreenHeightPixels"])
    }

    #if canImport(UIKit) && !os(watchOS)
    @MainActor
    func testCurrentOnUIKit() {
        let facts = DeviceFacts.current(deviceId: "install-1")
        XCTAssertEqual(facts.deviceId, "install-1")
        XCTAssertNotNil(facts.deviceName)
        XCTAssertNotNil(facts.platform)
        XCTAssertTrue(facts.deviceFingerprint?.hasPrefix("Apple/") ?? false)
    }
    #else
    func testCurrentWithoutUIKit() {
        let facts = DeviceFacts.current(deviceId: "install-1")
        XCTAssertEqual(facts.deviceId, "install-1")
        XCTAssertEqual(facts.platform, DeviceFacts.foundationFacts().platform)
        XCTAssertNil(facts.screenWidthPixels)
    }
    #endif
}
