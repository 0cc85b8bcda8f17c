package io.cognitoauth.client

import cognitoauth.ContextDataVersion
import cognitoauth.DeviceFacts
import java.util.Locale
import java.util.TimeZone

/**
 * Threat-protection device facts from what a plain JVM can read (the jar; the Android AAR has
 * `DeviceFacts.fromAndroid(context)` instead):
 *
 * | field | source |
 * |---|---|
 * | `platform` | system property `os.name` (`Linux`, `Mac OS X`, `Windows 11`) |
 * | `deviceOsReleaseVersion` | `os.version` |
 * | `phoneType` | `os.arch` (the machine, where Amplify Swift puts `utsname.machine`) |
 * | `clientTimezone` | [timeZone] through [clientTimezoneOf] for [version] |
 * | `deviceLanguage` | [locale] through [deviceLanguageOf] for [version] |
 * | `applicationName`, `applicationVersion`, `deviceName`, `deviceId` | the arguments |
 *
 * Everything else (fingerprint, screen size, brand, SDK levels) stays null: a JVM has no such
 * facts. The host name is not read (it can take a DNS lookup, and it may name a person): pass
 * [deviceName] if the app has a name for the machine. [deviceId] is the app's own stable
 * per-install id (Amplify stores a random UUID once); this function never makes one up. No
 * hardware serial, MAC address or user name is read.
 *
 * ```kotlin
 * val context = ContextData(ContextDataVersion.ANDROID, DeviceFacts.fromJvm(deviceId = storedInstallId))
 * ```
 */
fun DeviceFacts.Companion.fromJvm(
    version: ContextDataVersion = ContextDataVersion.ANDROID,
    deviceId: String? = null,
    applicationName: String? = null,
    applicationVersion: String? = null,
    deviceName: String? = null,
    timeZone: TimeZone = TimeZone.getDefault(),
    locale: Locale = Locale.getDefault(),
    nowMillis: Long = System.currentTimeMillis(),
): DeviceFacts = DeviceFacts(
    applicationName = nonBlank(applicationName),
    applicationVersion = nonBlank(applicationVersion),
    deviceName = nonBlank(deviceName),
    deviceOsReleaseVersion = nonBlank(System.getProperty("os.version")),
    platform = nonBlank(System.getProperty("os.name")),
    clientTimezone = clientTimezoneOf(timeZone, version, nowMillis),
    deviceLanguage = deviceLanguageOf(locale, version),
    deviceId = nonBlank(deviceId),
    phoneType = nonBlank(System.getProperty("os.arch")),
)
