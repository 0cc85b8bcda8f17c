// Compile-only stand-ins for the three Android APIs that the generated Kotlin uses with
// `android = true`, so that bindings/android/check.sh can compile the Android variant of the
// bindings with the JVM kotlinc (no Android SDK here). Same names and signatures as the
// platform's; never packaged, never run. (The real ones: android.os.Build.VERSION.SDK_INT,
// Build.VERSION_CODES.UPSIDE_DOWN_CAKE = 34, androidx.annotation.RequiresApi,
// android.system.SystemCleaner.cleaner() returning java.lang.ref.Cleaner.)
@file:Suppress("unused", "ClassName")

package android.os

class Build {
    class VERSION {
        companion object {
            @JvmField
            val SDK_INT: Int = 0
        }
    }

    class VERSION_CODES {
        companion object {
            const val UPSIDE_DOWN_CAKE: Int = 34
        }
    }
}
