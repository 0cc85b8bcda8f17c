// Compile-only stand-ins for the three Android APIs that the generated Kotlin uses with
// `android = true`, so that bindings/android/check.sh can compile the Android variant of the
// bindings with the JVM kotlinc (no Android SDK here). Same names and signatures as the
// platform's; never packaged, never run. (The real ones: android.os.Build.VERSION.SDK_INT,
// Build.VERSION_CODES.UPSIDE_DOWN_CAKE = 34, androidx.annotation.RequiresApi,
// android.system.SystemCleaner.cleaner() returning java.lang.ref.Cleaner.) The Build fields
// MODEL ... VERSION.RELEASE and the android.content / android.util stand-ins beside this file
// are what io.cognitoauth.client.DeviceFacts.fromAndroid reads.
@file:Suppress("unused", "ClassName")

package android.os

class Build {
    companion object {
        @JvmField val MODEL: String = ""
        @JvmField val FINGERPRINT: String = ""
        @JvmField val TYPE: String = ""
        @JvmField val BRAND: String = ""
        @JvmField val HARDWARE: String = ""
        @JvmField val PRODUCT: String = ""
    }

    class VERSION {
        companion object {
            @JvmField
            val SDK_INT: Int = 0

            @JvmField
            val RELEASE: String = ""
        }
    }

    class VERSION_CODES {
        companion object {
            const val UPSIDE_DOWN_CAKE: Int = 34
        }
    }
}
