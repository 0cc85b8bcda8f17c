package io.cognitoauth.client

import cognitoauth.HttpRequest
import cognitoauth.errorTypeHeaderName
import java.io.IOException
import java.net.HttpURLConnection
import java.net.URL
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.withContext

/**
 * What came back for one request: the HTTP status, the body, and the value of the
 * `x-amzn-ErrorType` header ([errorTypeHeaderName]) if the response had one.
 */
class TransportResponse(val status: Int, val body: ByteArray, val errorType: String?) {
    init {
        require(status in 100..599) { "not an HTTP status: $status" }
    }

    /** Shows no body: Cognito's bodies hold tokens. */
    override fun toString() = "TransportResponse(status=$status, errorType=$errorType, body=${body.size} bytes)"
}

/**
 * Sends one request the library built (a POST with its URL, headers and JSON body) and returns
 * the response, whatever its status. Throw (an [IOException], a timeout, a cancellation) only when
 * no response arrived: the client then keeps the session and tries again on the next call.
 *
 * The default is [defaultTransport]: [JavaHttpTransport] (java.net.http) on the JVM,
 * [UrlConnectionTransport] (HttpURLConnection) in the Android AAR, which has no java.net.http.
 * An app with OkHttp passes it instead, e.g.
 * ```
 * class OkHttpTransport(private val http: OkHttpClient) : Transport {
 *     override suspend fun send(request: HttpRequest): TransportResponse = withContext(Dispatchers.IO) {
 *         val body = request.body.toRequestBody("application/x-amz-json-1.1".toMediaType())
 *         val builder = Request.Builder().url(request.url).method(request.method, body)
 *         request.headers.forEach { (name, value) -> builder.header(name, value) }
 *         http.newCall(builder.build()).execute().use { r ->
 *             TransportResponse(r.code, r.body?.bytes() ?: ByteArray(0), r.header(errorTypeHeaderName()))
 *         }
 *     }
 * }
 * ```
 */
fun interface Transport {
    /** Sends [request]; returns the response of any status. */
    suspend fun send(request: HttpRequest): TransportResponse
}

/**
 * A [Transport] on `java.net.HttpURLConnection`, which exists on the JVM and on Android (where it
 * is OkHttp underneath): the Android AAR's default. No java.time, so it runs from API 24. Blocking IO on [Dispatchers.IO]; cancelling
 * the calling coroutine disconnects the connection. No redirects, no caches.
 */
class UrlConnectionTransport(
    private val connectTimeoutMillis: Int = 10_000,
    private val readTimeoutMillis: Int = 15_000,
) : Transport {
    override suspend fun send(request: HttpRequest): TransportResponse = withContext(Dispatchers.IO) {
        val connection = URL(request.url).openConnection() as HttpURLConnection
        val onCancel = coroutineContext[Job]?.invokeOnCompletion { if (it != null) connection.disconnect() }
        try {
            connection.requestMethod = request.method
            connection.connectTimeout = connectTimeoutMillis
            connection.readTimeout = readTimeoutMillis
            connection.instanceFollowRedirects = false
            connection.useCaches = false
            for ((name, value) in request.headers) {
                if (name.lowercase() !in SET_BY_CONNECTION) connection.setRequestProperty(name, value)
            }
            val body = request.body.toByteArray(Charsets.UTF_8)
            connection.doOutput = true
            connection.setFixedLengthStreamingMode(body.size)
            connection.outputStream.use { it.write(body) }
            val status = connection.responseCode
            val stream = if (status >= 400) connection.errorStream else connection.inputStream
            val bytes = stream?.use { it.readBytes() } ?: ByteArray(0)
            TransportResponse(status, bytes, connection.getHeaderField(errorTypeHeaderName()))
        } finally {
            onCancel?.dispose()
            connection.disconnect()
        }
    }

    private companion object {
        /** Header names the connection sets itself. */
        val SET_BY_CONNECTION = setOf("connection", "content-length", "expect", "host", "upgrade")
    }
}
