// Threat-protection device facts read from the platform, the way Amplify Swift's ASF collectors
// read them (ASFDeviceInfo / ASFAppInfo, described in the project's reference notes), so that an
// app does not assemble `DeviceFacts` by hand:
//
//     let facts = DeviceFacts.current(deviceId: storedInstallId)   // on the main actor with UIKit
//     let context = ContextData(version: .ios, facts: facts)
//
// With UIKit (iOS, iPadOS, tvOS, visionOS, Mac Catalyst): UIDevice, UIScreen and Bundle.main.
// Without it (macOS, Linux): Foundation only (Bundle.main, ProcessInfo, TimeZone, Locale,
// uname). Nothing else is read: no serial number, MAC address, advertising identifier, phone
// number or user name; `thirdPartyDeviceId` is `identifierForVendor`, as Amplify Swift sends it.
// Checked statically only here (bindings/swift/check.sh); the XCTests run on a Mac.
import Foundation
#if canImport(UIKit)
import UIKit
#endif

extension DeviceFacts {
    #if canImport(UIKit) && !os(watchOS)
    /// The device facts this device gives, with `ClientTimezone` and `DeviceLanguage` in the form
    /// of `version` (send them with the same version in `ContextData`): the Foundation facts of
    /// ``foundationFacts(deviceId:version:bundle:timeZone:preferredLanguages:now:)`` plus
    /// `deviceName` (`UIDevice.name`), `platform` (`systemName`), `deviceOsReleaseVersion`
    /// (`systemVersion`), `deviceFingerprint` (`Apple/<model>/<machine>/-:<os>/-/-:-/<build>`),
    /// `thirdPartyDeviceId` (`identifierForVendor`) and the screen's `nativeBounds` in pixels
    /// (not on visionOS). `deviceId` is the app's own stable per-install id (Amplify Swift keeps
    /// a UUID per user in the keychain); it is never made up here.
    @MainActor
    public static func current(deviceId: String? = nil, version: ContextDataVersion = .ios) -> DeviceFacts {
        let device = UIDevice.current
        var facts = foundationFacts(deviceId: deviceId, version: version)
        facts.deviceName = nonBlank(device.name)
        facts.platform = nonBlank(device.systemName)
        facts.deviceOsReleaseVersion = nonBlank(device.systemVersion)
        facts.deviceFingerprint = fingerprint(
            model: device.model, machine: facts.phoneType, osVersion: device.systemVersion, buildType: facts.buildType)
        facts.thirdPartyDeviceId = device.identifierForVendor?.uuidString
        #if !os(visionOS)
        let bounds = UIScreen.main.nativeBounds
        facts.screenHeightPixels = pixels(bounds.height)
        facts.screenWidthPixels = pixels(bounds.width)
        #endif
        return facts
    }

    private static func pixels(_ value: CGFloat) -> UInt32? {
        guard value.isFinite, value >= 1, value < CGFloat(UInt32.max) else { return nil }
        return UInt32(value)
    }
    #else
    /// The device facts this host gives (no UIKit here: macOS or Linux): those of
    /// ``foundationFacts(deviceId:version:bundle:timeZone:preferredLanguages:now:)``.
    public static func current(deviceId: String? = nil, version: ContextDataVersion = .ios) -> DeviceFacts {
        foundationFacts(deviceId: deviceId, version: version)
    }
    #endif

    /// What Foundation gives on every platform: `applicationName` (`bundleIdentifier`),
    /// `applicationVersion` (`<CFBundleShortVersionString>-<CFBundleVersion>`),
    /// `applicationTargetSdk` (`MinimumOSVersion` or `LSMinimumSystemVersion` as an integer,
    /// `13.0` -> `130000`), `buildType` (`debug` in a DEBUG build, else `release`), `platform`
    /// (the OS's name), `deviceOsReleaseVersion` (`ProcessInfo.operatingSystemVersion`),
    /// `clientTimezone`, `deviceLanguage` (`Locale.preferredLanguages[0]`), `phoneType` (the
    /// `utsname` machine, NUL padding cut) and `deviceId` as given. The rest stays nil.
    public static func foundationFacts(
        deviceId: String? = nil,
        version: ContextDataVersion = .ios,
        bundle: Bundle = .main,
        timeZone: TimeZone = .current,
        preferredLanguages: [String] = Locale.preferredLanguages,
        now: Date = Date()
    ) -> DeviceFacts {
        var facts = DeviceFacts()
        let info = bundle.infoDictionary ?? [:]
        facts.applicationName = nonBlank(bundle.bundleIdentifier)
        facts.applicationVersion = applicationVersion(
            short: info["CFBundleShortVersionString"] as? String, build: info["CFBundleVersion"] as? String)
        facts.applicationTargetSdk = targetSdk(
            minimumOSVersion: (info["MinimumOSVersion"] as? String) ?? (info["LSMinimumSystemVersion"] as? String))
        #if DEBUG
        facts.buildType = "debug"
        #else
        facts.buildType = "release"
        #endif
        facts.platform = operatingSystemName
        let os = ProcessInfo.processInfo.operatingSystemVersion
        facts.deviceOsReleaseVersion = os.patchVersion == 0
            ? "\(os.majorVersion).\(os.minorVersion)"
            : "\(os.majorVersion).\(os.minorVersion).\(os.patchVersion)"
        facts.clientTimezone = clientTimezone(timeZone, at: now, version: version)
        facts.deviceLanguage = deviceLanguage(preferredLanguages, version: version)
        facts.phoneType = machine()
        facts.deviceId = nonBlank(deviceId)
        return facts
    }

    /// `ClientTimezone` of `zone` as `version`'s SDK writes it (the library's
    /// `formatClientTimezone`): `.ios` / `.flutter` the offset in effect at `date`, daylight
    /// saving included (`-07:00` for Los Angeles in July, `+05:30`, `+00:00`); `.android` the
    /// standard offset, as Amplify Android's raw offset (`-08:00` all year, `05:30`, `00:00`).
    public static func clientTimezone(_ zone: TimeZone, at date: Date, version: ContextDataVersion) -> String {
        var seconds = zone.secondsFromGMT(for: date)
        if version == .android {
            seconds -= Int(zone.daylightSavingTimeOffset(for: date))
        }
        return formatClientTimezone(offsetSeconds: Int32(clamping: seconds), version: version)
    }

    /// `DeviceLanguage`: the first preferred language (`en-US`, as Amplify Swift); for
    /// `.android` in `Locale.toString()` form (`en_US`). Nil without one.
    public static func deviceLanguage(_ preferred: [String], version: ContextDataVersion) -> String? {
        guard let first = preferred.first, let language = nonBlank(first) else { return nil }
        return version == .android ? language.replacingOccurrences(of: "-", with: "_") : language
    }

    /// `ApplicationTargetSdk` as Amplify Swift writes the minimum OS version: `13.0` -> `130000`,
    /// `16.4.1` -> `160401`; nil for anything that is not 1-3 dot-separated numbers.
    public static func targetSdk(minimumOSVersion: String?) -> String? {
        guard let text = minimumOSVersion else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var value = 0
        for index in 0..<3 {
            let part = index < parts.count ? Int(parts[index]) : 0
            let limit = index == 0 ? 10_000 : 100
            guard let number = part, number >= 0, number < limit else { return nil }
            value = value * 100 + number
        }
        return String(value)
    }

    /// `Apple/<model>/<machine>/-:<os>/-/-:-/<build type>`, as Amplify Swift builds
    /// `DeviceFingerprint` (`-` for a part it has not).
    public static func fingerprint(model: String?, machine: String?, osVersion: String?, buildType: String?) -> String {
        let part = { (value: String?) -> String in Self.nonBlank(value) ?? "-" }
        return "Apple/\(part(model))/\(part(machine))/-:\(part(osVersion))/-/-:-/\(part(buildType))"
    }

    static func applicationVersion(short: String?, build: String?) -> String? {
        switch (nonBlank(short), nonBlank(build)) {
        case let (short?, build?): return "\(short)-\(build)"
        case let (short?, nil): return short
        case let (nil, build?): return build
        case (nil, nil): return nil
        }
    }

    /// The `utsname` machine (`iPhone15,2`, `arm64`, `x86_64`), cut at the first NUL: Amplify
    /// Swift once sent the whole NUL-padded buffer.
    static func machine() -> String? {
        var system = utsname()
        guard uname(&system) == 0 else { return nil }
        let name = withUnsafeBytes(of: &system.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return nonBlank(name)
    }

    static var operatingSystemName: String {
        #if os(macOS)
        return "macOS"
        #elseif os(iOS)
        return "iOS"
        #elseif os(tvOS)
        return "tvOS"
        #elseif os(watchOS)
        return "watchOS"
        #elseif os(visionOS)
        return "visionOS"
        #elseif os(Linux)
        return "Linux"
        #elseif os(Windows)
        return "Windows"
        #else
        return "unknown"
        #endif
    }

    static func nonBlank(_ value: String?) -> String? {
        guard let value = value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return value
    }
}
