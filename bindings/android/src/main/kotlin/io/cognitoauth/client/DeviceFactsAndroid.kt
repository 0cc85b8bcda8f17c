package io.cognitoauth.client

import android.content.Context
import android.content.pm.PackageManager
import android.os.Build
import cognitoauth.ContextDataVersion
import cognitoauth.DeviceFacts
import java.util.Locale
import java.util.TimeZone

/**
 * Threat-protection device facts read the way Amplify Android's data collectors read them, for
 * `ContextData(ContextDataVersion.ANDROID, facts)`:
 *
 * | field | source |
 * |---|---|
 * | `applicationName` | `PackageManager.getApplicationLabel(applicationInfo)` (the app label) |
 * | `applicationTargetSdk` | `applicationInfo.targetSdkVersion` |
 * | `applicationVersion` | `PackageInfo.versionName` of the app's own package |
 * | `deviceName`, `deviceFingerprint`, `buildType` | `Build.MODEL`, `Build.FINGERPRINT`, `Build.TYPE` |
 * | `deviceOsReleaseVersion`, `deviceSdkVersion` | `Build.VERSION.RELEASE`, `Build.VERSION.SDK_INT` |
 * | `deviceBrand`, `deviceHardware`, `product` | `Build.BRAND`, `Build.HARDWARE`, `Build.PRODUCT` |
 * | `platform` | `ANDROID` |
 * | `clientTimezone` | `TimeZone.getDefault()` raw offset (`-08:00`, `05:30`, `00:00`: [clientTimezoneOf]) |
 * | `deviceLanguage` | `Locale.getDefault().toString()` (`en_US`) |
 * | `screenHeightPixels`, `screenWidthPixels` | `resources.displayMetrics` |
 * | `thirdPartyDeviceId` | the literal `android_id`, as Amplify Android sends it (the setting's name; the value of `Settings.Secure.ANDROID_ID` is not read) |
 * | `deviceId` | [deviceId]: the app's own stable per-install id (Amplify stores `<UUID>:<epoch ms>` once) |
 *
 * Nothing else is read: no IMEI, serial number, MAC address, phone number, account or
 * `ANDROID_ID` value, and no permission is needed. A value the platform leaves blank stays
 * null. Compiled here against stand-ins for the Android classes (bindings/android/check.sh);
 * it runs only in an app.
 *
 * ```kotlin
 * val facts = DeviceFacts.fromAndroid(applicationContext, deviceId = storedInstallId)
 * val session = SignInSession.withContextData(config, credentials, ContextData(ContextDataVersion.ANDROID, facts))
 * ```
 */
fun DeviceFacts.Companion.fromAndroid(context: Context, deviceId: String? = null): DeviceFacts {
    val app = context.applicationInfo
    val packages = context.packageManager
    val versionName = try {
        @Suppress("DEPRECATION") // the (String, Int) form is the one available from API 24 on
        packages.getPackageInfo(context.packageName, 0).versionName
    } catch (e: PackageManager.NameNotFoundException) {
        null
    }
    val metrics = context.resources.displayMetrics
    return DeviceFacts(
        applicationName = nonBlank(packages.getApplicationLabel(app).toString()),
        applicationTargetSdk = app.targetSdkVersion.takeIf { it > 0 }?.toString(),
        applicationVersion = nonBlank(versionName),
        deviceName = nonBlank(Build.MODEL),
        deviceFingerprint = nonBlank(Build.FINGERPRINT),
        deviceOsReleaseVersion = nonBlank(Build.VERSION.RELEASE),
        buildType = nonBlank(Build.TYPE),
        platform = "ANDROID",
        clientTimezone = clientTimezoneOf(TimeZone.getDefault(), ContextDataVersion.ANDROID),
        deviceLanguage = deviceLanguageOf(Locale.getDefault(), ContextDataVersion.ANDROID),
        screenHeightPixels = pixels(metrics.heightPixels),
        screenWidthPixels = pixels(metrics.widthPixels),
        thirdPartyDeviceId = "android_id",
        deviceId = nonBlank(deviceId),
        deviceBrand = nonBlank(Build.BRAND),
        deviceHardware = nonBlank(Build.HARDWARE),
        product = nonBlank(Build.PRODUCT),
        deviceSdkVersion = Build.VERSION.SDK_INT.toString(),
    )
}
