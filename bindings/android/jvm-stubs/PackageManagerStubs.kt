// Compile-only stand-ins for android.content.pm (see AndroidStubs.kt and ContextStubs.kt):
// PackageManager.getPackageInfo(String, int) and getApplicationLabel(ApplicationInfo), its
// NameNotFoundException, and the public fields PackageInfo.versionName and
// ApplicationInfo.targetSdkVersion.
@file:Suppress("unused")

package android.content.pm

abstract class PackageManager {
    class NameNotFoundException : Exception()

    abstract fun getPackageInfo(packageName: String, flags: Int): PackageInfo

    abstract fun getApplicationLabel(info: ApplicationInfo): CharSequence
}

open class PackageInfo {
    @JvmField
    var versionName: String? = null
}

open class ApplicationInfo {
    @JvmField
    var targetSdkVersion: Int = 0
}
