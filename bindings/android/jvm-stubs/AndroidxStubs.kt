// Compile-only stand-in for androidx.annotation.RequiresApi (see AndroidStubs.kt).
@file:Suppress("unused")

package androidx.annotation

@Retention(AnnotationRetention.BINARY)
@Target(
    AnnotationTarget.CLASS,
    AnnotationTarget.FUNCTION,
    AnnotationTarget.CONSTRUCTOR,
    AnnotationTarget.PROPERTY,
    AnnotationTarget.FIELD,
)
annotation class RequiresApi(val value: Int = 1, val api: Int = 1)
