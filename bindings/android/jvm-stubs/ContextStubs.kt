// Compile-only stand-ins for the parts of android.content.Context that
// io.cognitoauth.client.DeviceFacts.fromAndroid reads (see AndroidStubs.kt): Java getters
// (getPackageName(), ...) appear to Kotlin as properties, so they are properties here.
@file:Suppress("unused")

package android.content

abstract class Context {
    abstract val packageName: String
    abstract val applicationInfo: android.content.pm.ApplicationInfo
    abstract val packageManager: android.content.pm.PackageManager
    abstract val resources: android.content.res.Resources
}
