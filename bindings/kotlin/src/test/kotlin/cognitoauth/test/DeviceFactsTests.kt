package cognitoauth.test

import cognitoauth.ClientConfig
import cognitoauth.ContextData
import cognitoauth.ContextDataVersion
import cognitoauth.DeviceFacts
import cognitoauth.encodeContextData
import io.cognitoauth.client.clientTimezoneOf
import io.cognitoauth.client.deviceLanguageOf
import io.cognitoauth.client.fromJvm
import java.util.Base64
import java.util.Locale
import java.util.TimeZone
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.test.assertEquals
import kotlin.test.assertNull

/** 2026-07-02T08:26:40Z: daylight saving time in Los Angeles (UTC-7; its raw offset is UTC-8). */
private const val JULY_2026_MS = 1_783_000_000_000L

/** The jar's DeviceFacts.fromJvm and the helpers it shares with the AAR's fromAndroid. */
fun deviceFactsTests(h: Harness) {
    h.test("device facts (JVM): os.name, os.version, os.arch and the app's values") {
        val facts = DeviceFacts.fromJvm(
            deviceId = "3f2c9a:1790000000123",
            applicationName = "Example",
            applicationVersion = "2.1.0",
            timeZone = TimeZone.getTimeZone("UTC"),
            locale = Locale.US,
        )
        assertEquals(System.getProperty("os.name"), facts.platform)
        assertEquals(System.getProperty("os.version"), facts.deviceOsReleaseVersion)
        assertEquals(System.getProperty("os.arch"), facts.phoneType)
        assertEquals("Example", facts.applicationName)
        assertEquals("2.1.0", facts.applicationVersion)
        assertEquals("3f2c9a:1790000000123", facts.deviceId)
        assertEquals("00:00", facts.clientTimezone)
        assertEquals("en_US", facts.deviceLanguage)
        // What a JVM cannot read stays null (never invented): no device name without the app's.
        assertNull(facts.deviceName)
        assertNull(facts.deviceFingerprint)
        assertNull(facts.screenHeightPixels)
        assertNull(facts.screenWidthPixels)
        assertNull(facts.thirdPartyDeviceId)
        assertNull(facts.applicationTargetSdk)
        assertEquals(emptyMap(), facts.extra)
    }

    h.test("device facts: ClientTimezone per version (Android raw offset, iOS/Flutter with DST)") {
        val la = TimeZone.getTimeZone("America/Los_Angeles")
        val kolkata = TimeZone.getTimeZone("Asia/Kolkata")
        val utc = TimeZone.getTimeZone("UTC")
        fun zone(version: ContextDataVersion, tz: TimeZone) =
            DeviceFacts.fromJvm(version, timeZone = tz, nowMillis = JULY_2026_MS).clientTimezone
        // Amplify Android formats getRawOffset(): no daylight saving, no '+'.
        assertEquals("-08:00", zone(ContextDataVersion.ANDROID, la))
        assertEquals("05:30", zone(ContextDataVersion.ANDROID, kolkata))
        assertEquals("00:00", zone(ContextDataVersion.ANDROID, utc))
        // Amplify Swift / Flutter: the offset in effect now, signed.
        assertEquals("-07:00", zone(ContextDataVersion.IOS, la))
        assertEquals("+05:30", zone(ContextDataVersion.FLUTTER, kolkata))
        assertEquals("+00:00", zone(ContextDataVersion.IOS, utc))
        // In January Los Angeles is on its raw offset for every version.
        assertEquals("-08:00", clientTimezoneOf(la, ContextDataVersion.IOS, JULY_2026_MS - 182L * 86_400_000L))
    }

    h.test("device facts: DeviceLanguage per version (en_US vs en-US); the root locale stays null") {
        assertEquals("en_US", deviceLanguageOf(Locale.US, ContextDataVersion.ANDROID))
        assertEquals("en-US", deviceLanguageOf(Locale.US, ContextDataVersion.IOS))
        assertEquals("pt-BR", DeviceFacts.fromJvm(ContextDataVersion.FLUTTER, locale = Locale.forLanguageTag("pt-BR")).deviceLanguage)
        assertEquals("fr", deviceLanguageOf(Locale.FRENCH, ContextDataVersion.ANDROID))
        assertNull(deviceLanguageOf(Locale.ROOT, ContextDataVersion.ANDROID))
        assertNull(deviceLanguageOf(Locale.ROOT, ContextDataVersion.IOS))
        // blank app values are not sent
        val blank = DeviceFacts.fromJvm(deviceId = " ", applicationName = "", deviceName = "\t", locale = Locale.ROOT)
        assertNull(blank.deviceId)
        assertNull(blank.applicationName)
        assertNull(blank.deviceName)
        assertNull(blank.deviceLanguage)
    }

    h.test("device facts (JVM): signed into EncodedData under Amplify's keys, nulls left out") {
        val facts = DeviceFacts.fromJvm(
            ContextDataVersion.ANDROID,
            deviceId = "install-1",
            timeZone = TimeZone.getTimeZone("Asia/Kolkata"),
            locale = Locale.UK,
        )
        val config = ClientConfig(userPoolId = "us-east-1_pool", clientId = "client-id")
        val encoded = encodeContextData(ContextData(ContextDataVersion.ANDROID, facts), config, "user", 1_790_000_000_123uL)
        val outer = Json.obj(String(Base64.getDecoder().decode(encoded), Charsets.UTF_8))
        val payload = outer["payload"] as String
        // the signature, recomputed here with javax.crypto (independent of the Rust core)
        val mac = Mac.getInstance("HmacSHA256").apply { init(SecretKeySpec("client-id".toByteArray(), "HmacSHA256")) }
        val expected = Base64.getEncoder().encodeToString(mac.doFinal(("ANDROID20171114" + payload).toByteArray()))
        assertEquals(expected, outer["signature"])
        @Suppress("UNCHECKED_CAST")
        val context = Json.obj(payload)["contextData"] as Map<String, Any?>
        val want = mutableMapOf(
            "Platform" to System.getProperty("os.name"),
            "DeviceOsReleaseVersion" to System.getProperty("os.version"),
            "PhoneType" to System.getProperty("os.arch"),
            "ClientTimezone" to "05:30",
            "DeviceLanguage" to "en_GB",
            "DeviceId" to "install-1",
        )
        assertEquals(want.toMap(), context)
    }
}
