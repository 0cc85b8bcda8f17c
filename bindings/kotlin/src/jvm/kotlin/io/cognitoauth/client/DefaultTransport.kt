package io.cognitoauth.client

/**
 * The transport [CognitoAuthClient] uses when none is given. On the JVM (this file, in the jar):
 * [JavaHttpTransport]. The Android AAR has its own (bindings/android/src/main/kotlin/):
 * [UrlConnectionTransport], since Android has no java.net.http.
 */
fun defaultTransport(): Transport = JavaHttpTransport()
