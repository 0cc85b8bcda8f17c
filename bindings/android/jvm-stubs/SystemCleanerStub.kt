// Compile-only stand-in for android.system.SystemCleaner (see AndroidStubs.kt).
@file:Suppress("unused")

package android.system

object SystemCleaner {
    @JvmStatic
    fun cleaner(): java.lang.ref.Cleaner = java.lang.ref.Cleaner.create()
}
