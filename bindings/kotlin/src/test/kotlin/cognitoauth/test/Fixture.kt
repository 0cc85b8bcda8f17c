package cognitoauth.test

import cognitoauth.ClientConfig
import java.io.File

/**
 * A MiniStack fixture run-tests.sh started (the test kit's ministack-fixture binary): a pool, an
 * app client and a CONFIRMED user enrolled in TOTP MFA, on 127.0.0.1. run-tests.sh starts two:
 * a public client (system property `cognitoauth.fixture`) and a client with a secret
 * (`cognitoauth.fixture.secret`), each naming its fixture.json.
 */
data class Fixture(
    val endpoint: String,
    val userPoolId: String,
    val clientId: String,
    val clientSecret: String?,
    val username: String,
    val password: String,
    val totpSecret: String,
) {
    /** Never prints the password, secrets or the TOTP secret. */
    override fun toString() =
        "Fixture(endpoint=$endpoint, userPoolId=$userPoolId, clientId=$clientId, secret=${clientSecret != null}, username=$username)"

    /** The app's configuration for this pool, pointed at MiniStack. */
    fun config() = ClientConfig(
        userPoolId = userPoolId,
        clientId = clientId,
        clientSecret = clientSecret,
        endpointUrl = endpoint,
    )

    companion object {
        /** The fixture with a public client (no secret). */
        val public: Fixture by lazy { load("cognitoauth.fixture") }

        /** The fixture whose client has a secret. */
        val withSecret: Fixture by lazy { load("cognitoauth.fixture.secret") }

        private fun load(property: String): Fixture {
            val path = System.getProperty(property)
                ?: throw AssertionError("no -D$property=…/fixture.json: run through bindings/kotlin/run-tests.sh")
            val m = Json.obj(File(path).readText())
            fun s(key: String) = m[key] as? String ?: throw AssertionError("$path: no string $key")
            return Fixture(
                endpoint = s("endpoint"),
                userPoolId = s("user_pool_id"),
                clientId = s("client_id"),
                clientSecret = m["client_secret"] as? String,
                username = s("username"),
                password = s("password"),
                totpSecret = s("totp_secret"),
            )
        }
    }
}

/** The core's known-answer files (crates/cognito-auth-core/tests/data), read in place. */
object CoreTestData {
    private val dir: File by lazy {
        val configured = System.getProperty("cognitoauth.core.testdata") ?: "crates/cognito-auth-core/tests/data"
        File(configured).also { require(it.isDirectory) { "core test data not found at ${it.absolutePath}" } }
    }

    fun text(name: String): String = File(dir, name).readText()

    /** Data rows of a TSV file (comment lines `#…` and the header row skipped). */
    fun tsv(name: String, header: Boolean = true): List<List<String>> =
        text(name).lines()
            .filter { it.isNotBlank() && !it.startsWith("#") }
            .drop(if (header) 1 else 0)
            .map { it.split('\t') }
}
