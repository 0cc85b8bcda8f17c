package cognitoauth.test

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest as JavaRequest
import java.net.http.HttpResponse as JavaResponse
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

/**
 * A small HTTP proxy on 127.0.0.1 in front of MiniStack that counts the requests it passes on,
 * by `X-Amz-Target` operation (`InitiateAuth`, `GetTokensFromRefreshToken`, ...), so a test sees
 * what the emulator saw, independently of the client's own transport. [delayMillis] holds the
 * response of an operation back (to make concurrent callers overlap a refresh in flight).
 */
class CountingProxy(private val upstream: String, private val delayMillis: Map<String, Long> = emptyMap()) : AutoCloseable {
    private val counts = ConcurrentHashMap<String, AtomicInteger>()
    private val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(10)).build()
    private val pool = Executors.newCachedThreadPool { r -> Thread(r, "counting-proxy").apply { isDaemon = true } }
    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 64).apply {
        executor = pool
        createContext("/") { exchange ->
            exchange.use {
                val body = it.requestBody.readBytes()
                val target = it.requestHeaders.getFirst("X-Amz-Target") ?: "(none)"
                val operation = target.substringAfterLast('.')
                counts.computeIfAbsent(operation) { AtomicInteger() }.incrementAndGet()
                val forward = JavaRequest.newBuilder(URI.create(upstream.trimEnd('/') + it.requestURI.toString()))
                    .timeout(Duration.ofSeconds(15))
                    .method(it.requestMethod, JavaRequest.BodyPublishers.ofByteArray(body))
                for ((name, values) in it.requestHeaders) {
                    if (name.lowercase() in setOf("host", "content-length", "connection", "expect", "upgrade")) continue
                    values.forEach { value -> forward.header(name, value) }
                }
                val answer = http.send(forward.build(), JavaResponse.BodyHandlers.ofByteArray())
                delayMillis[operation]?.let(Thread::sleep)
                answer.headers().firstValue("x-amzn-ErrorType").ifPresent { v -> it.responseHeaders.add("x-amzn-ErrorType", v) }
                answer.headers().firstValue("content-type").ifPresent { v -> it.responseHeaders.add("Content-Type", v) }
                val bytes = answer.body()
                it.sendResponseHeaders(answer.statusCode(), if (bytes.isEmpty()) -1 else bytes.size.toLong())
                if (bytes.isNotEmpty()) it.responseBody.write(bytes)
            }
        }
        start()
    }

    /** The URL to give the client as its endpoint. */
    val url: String = "http://127.0.0.1:${server.address.port}/"

    /** How many requests of [operation] reached MiniStack. */
    fun count(operation: String): Int = counts[operation]?.get() ?: 0

    /** Every operation seen, with its count (sorted by name). */
    fun counts(): Map<String, Int> = counts.mapValues { it.value.get() }.toSortedMap()

    override fun close() {
        server.stop(0)
        pool.shutdownNow()
    }
}
