package io.cognitoauth.client

import cognitoauth.HttpRequest
import cognitoauth.errorTypeHeaderName
import java.net.URI
import java.net.http.HttpClient
import java.time.Duration
import kotlinx.coroutines.future.await

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
