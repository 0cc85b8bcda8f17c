package io.cognitoauth.client

import cognitoauth.HttpRequest
import cognitoauth.errorTypeHeaderName
import java.io.IOException
import java.net.URI
import java.net.http.HttpClient
import java.time.Duration
import kotlinx.coroutines.future.await

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
 * The default is [JavaHttpTransport] (java.net.http, JVM 11+). Android has no java.net.http: pass
 * your OkHttp client instead, e.g.
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
 * The default [Transport]: one shared `java.net.http.HttpClient`, HTTP/1.1, no redirects,
 * [connectTimeout] to connect and [requestTimeout] for the whole exchange. Cancelling the calling
 * coroutine cancels the request. Headers java.net.http sets itself (`Host`, `Content-Length`,
 * `Connection`, ...) are left to it.
 */
class JavaHttpTransport(
    private val requestTimeout: Duration = Duration.ofSeconds(15),
    connectTimeout: Duration = Duration.ofSeconds(10),
    private val http: HttpClient = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        .build(),
) : Transport {
    override suspend fun send(request: HttpRequest): TransportResponse {
        val builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url))
            .timeout(requestTimeout)
            .method(request.method, java.net.http.HttpRequest.BodyPublishers.ofString(request.body, Charsets.UTF_8))
        for ((name, value) in request.headers) {
            if (name.lowercase() !in SET_BY_JAVA) builder.header(name, value)
        }
        val response = http.sendAsync(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).await()
        val errorType = response.headers().firstValue(errorTypeHeaderName()).orElse(null)
        return TransportResponse(response.statusCode(), response.body() ?: ByteArray(0), errorType)
    }

    private companion object {
        /** Header names java.net.http refuses to be given (it sets them itself). */
        val SET_BY_JAVA = setOf("connection", "content-length", "expect", "host", "upgrade")
    }
}
