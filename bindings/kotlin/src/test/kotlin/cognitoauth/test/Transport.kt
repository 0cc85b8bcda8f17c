package cognitoauth.test

import cognitoauth.CognitoAuthException
import cognitoauth.HttpRequest
import cognitoauth.SignInSession
import cognitoauth.SignInStep
import cognitoauth.errorTypeHeaderName
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest as JavaRequest
import java.net.http.HttpResponse as JavaResponse
import java.time.Duration

/** What came back for one request, as the library wants it. */
class Answer(val status: Int, val body: ByteArray, val errorType: String?) {
    val text: String get() = String(body, Charsets.UTF_8)
}

/** An HTTP transport: the app's side of the sans-IO library. */
fun interface Transport {
    fun send(request: HttpRequest): Answer
}

/**
 * The transport an Android or JVM app would write: `java.net.http.HttpClient` (OkHttp is the
 * same shape). HTTP/1.1, no proxy, no redirects, bounded timeouts.
 */
class JavaHttpTransport : Transport {
    private val client: HttpClient = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(HttpClient.Builder.NO_PROXY)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build()

    /** Header names the library sent that java.net.http refuses to set (it sets them itself). */
    val skippedHeaders = mutableSetOf<String>()

    override fun send(request: HttpRequest): Answer {
        val builder = JavaRequest.newBuilder(URI.create(request.url))
            .timeout(Duration.ofSeconds(15))
            .method(request.method, JavaRequest.BodyPublishers.ofString(request.body, Charsets.UTF_8))
        for ((name, value) in request.headers) {
            if (name.lowercase() in RESTRICTED) skippedHeaders += name else builder.header(name, value)
        }
        val response = client.send(builder.build(), JavaResponse.BodyHandlers.ofByteArray())
        val errorType = response.headers().firstValue(errorTypeHeaderName()).orElse(null)
        return Answer(response.statusCode(), response.body(), errorType)
    }

    private companion object {
        val RESTRICTED = setOf("connection", "content-length", "expect", "host", "upgrade")
    }
}

/** One request/response pair of a sign-in, for failure messages (no bodies: they hold secrets). */
data class Hop(val operation: String, val status: Int, val errorType: String?)

/**
 * Moves a sign-in while the library hands out requests: sends each, feeds the answer back.
 * Returns the first step that is not `SendRequest` (a user step or the end). Bounded hops.
 * A refusal surfaces as the thrown [CognitoAuthException.Service].
 */
fun drive(session: SignInSession, first: SignInStep, transport: Transport, hops: MutableList<Hop>, onRequest: (HttpRequest) -> Unit = {}): SignInStep {
    var step = first
    repeat(8) {
        val send = step as? SignInStep.SendRequest ?: return step
        onRequest(send.request)
        val answer = transport.send(send.request)
        hops += Hop(send.request.operation, answer.status, answer.errorType)
        step = session.handleResponse(answer.status.toUShort(), answer.body, answer.errorType)
    }
    throw AssertionError("still sending requests after 8 hops: $hops")
}
