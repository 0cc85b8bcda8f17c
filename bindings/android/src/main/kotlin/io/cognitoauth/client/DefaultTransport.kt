package io.cognitoauth.client

/**
 * The transport [CognitoAuthClient] uses when none is given, in the Android AAR:
 * [UrlConnectionTransport] (Android has no java.net.http; the JVM jar's default is
 * JavaHttpTransport). Apps with OkHttp pass their own [Transport] (see its KDoc).
 */
fun defaultTransport(): Transport = UrlConnectionTransport()
