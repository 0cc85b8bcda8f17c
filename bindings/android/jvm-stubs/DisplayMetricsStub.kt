// Compile-only stand-in for android.util.DisplayMetrics's public pixel fields (see
// AndroidStubs.kt and ContextStubs.kt).
@file:Suppress("unused")

package android.util

open class DisplayMetrics {
    @JvmField
    var widthPixels: Int = 0

    @JvmField
    var heightPixels: Int = 0
}
