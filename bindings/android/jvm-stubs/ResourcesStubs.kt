// Compile-only stand-in for android.content.res.Resources.getDisplayMetrics() (see
// AndroidStubs.kt and ContextStubs.kt).
@file:Suppress("unused")

package android.content.res

open class Resources {
    open val displayMetrics: android.util.DisplayMetrics = android.util.DisplayMetrics()
}
