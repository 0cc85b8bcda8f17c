package io.cognitoauth.client

import cognitoauth.ContextDataVersion
import cognitoauth.formatClientTimezone
import java.util.Locale
import java.util.TimeZone

// What the device-facts helpers of the jar (`DeviceFacts.fromJvm`, src/jvm) and of the AAR
// (`DeviceFacts.fromAndroid`, bindings/android/src) share: the two fields whose form depends on
// the platform version string (reference: Amplify Android's and Amplify Swift's data
// collectors, described in the project's reference notes).

/**
 * `ClientTimezone` of [zone] as [version]'s SDK writes it (through the library's
 * `formatClientTimezone`). [ContextDataVersion.ANDROID]: the zone's raw offset, daylight saving
 * time left out, as Amplify Android reads `TimeZone.getRawOffset()` (`-08:00` for Los Angeles
 * all year, `05:30`, `00:00`). iOS and Flutter: the offset in effect at [atMillis], daylight
 * saving included, as `TimeZone.current.secondsFromGMT()` and `DateTime.timeZoneOffset` give
 * it (`-07:00` for Los Angeles in July, `+05:30`, `+00:00`).
 */
fun clientTimezoneOf(
    zone: TimeZone,
    version: ContextDataVersion,
    atMillis: Long = System.currentTimeMillis(),
): String {
    val offsetMillis = if (version == ContextDataVersion.ANDROID) zone.rawOffset else zone.getOffset(atMillis)
    return formatClientTimezone(offsetMillis / 1000, version)
}

/**
 * `DeviceLanguage` of [locale] as [version]'s SDK writes it: [ContextDataVersion.ANDROID]
 * `Locale.toString()` (`en_US`, as Amplify Android), iOS and Flutter the BCP 47 tag (`en-US`,
 * the form of iOS's `preferredLanguages`). Null for the root (empty) locale.
 */
fun deviceLanguageOf(locale: Locale, version: ContextDataVersion): String? {
    val text = if (version == ContextDataVersion.ANDROID) locale.toString() else locale.toLanguageTag()
    return text.takeUnless { it.isBlank() || it == "und" }
}

/** [value] unless it is null or blank (a blank fact is not sent, so it stays null). */
internal fun nonBlank(value: String?): String? = value?.takeIf { it.isNotBlank() }

/** A pixel count as `DeviceFacts` takes it; null unless positive. */
internal fun pixels(value: Int): UInt? = if (value > 0) value.toUInt() else null
