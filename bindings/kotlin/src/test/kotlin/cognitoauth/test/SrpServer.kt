package cognitoauth.test

import java.math.BigInteger
import java.security.MessageDigest
import java.time.Instant
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.util.Base64
import java.util.Locale
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

/**
 * The server side of Cognito's SRP-6a password verifier, written here from the protocol (RFC
 * 5054 3072-bit group, SHA-256, "Caldera Derived Key" HKDF), so the deterministic sign-in test
 * checks the library's PASSWORD_CLAIM_SIGNATURE against an independent computation. It is
 * itself checked against the core's known-answer vectors (srp_vectors.json) first.
 *
 * Integers are serialised as in the AWS SDKs' `padHex`: big-endian, minimal, with a leading 00
 * byte when the top bit is set, which is exactly Java's `BigInteger.toByteArray()` for values ≥ 0.
 */
object SrpServer {
    val N = BigInteger(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD" +
            "3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F2411" +
            "7C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529" +
            "077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2B" +
            "CBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8A" +
            "EA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64" +
            "521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
        16,
    )
    val g: BigInteger = BigInteger.TWO
    val k: BigInteger by lazy { BigInteger(1, sha256(N.toByteArray(), g.toByteArray())) }

    fun sha256(vararg parts: ByteArray): ByteArray =
        MessageDigest.getInstance("SHA-256").run { parts.forEach(::update); digest() }

    fun hmac(key: ByteArray, vararg parts: ByteArray): ByteArray =
        Mac.getInstance("HmacSHA256").run { init(SecretKeySpec(key, "HmacSHA256")); parts.forEach(::update); doFinal() }

    /** x = H(pad(salt) | H(poolName | userId | ":" | password)). */
    fun x(poolName: String, userId: String, password: String, saltHex: String): BigInteger {
        val inner = sha256("$poolName$userId:$password".toByteArray(Charsets.UTF_8))
        return BigInteger(1, sha256(BigInteger(saltHex, 16).toByteArray(), inner))
    }

    fun verifier(x: BigInteger): BigInteger = g.modPow(x, N)

    /** B = k·v + g^b mod N. */
    fun publicB(v: BigInteger, b: BigInteger): BigInteger = k.multiply(v).add(g.modPow(b, N)).mod(N)

    /** The 16-byte key both sides derive from S and u. */
    fun key(aPublic: BigInteger, bPublic: BigInteger, v: BigInteger, b: BigInteger): ByteArray {
        val u = BigInteger(1, sha256(aPublic.toByteArray(), bPublic.toByteArray()))
        val s = aPublic.multiply(v.modPow(u, N)).modPow(b, N)
        val prk = hmac(u.toByteArray(), s.toByteArray())
        return hmac(prk, "Caldera Derived Key".toByteArray(Charsets.UTF_8) + byteArrayOf(1)).copyOf(16)
    }

    /** Base64(HMAC(key, poolName | userId | secretBlock | timestamp)). */
    fun signature(key: ByteArray, poolName: String, userId: String, secretBlockB64: String, timestamp: String): String =
        Base64.getEncoder().encodeToString(
            hmac(
                key,
                poolName.toByteArray(Charsets.UTF_8),
                userId.toByteArray(Charsets.UTF_8),
                Base64.getDecoder().decode(secretBlockB64),
                timestamp.toByteArray(Charsets.UTF_8),
            ),
        )

    /** Cognito's TIMESTAMP: `EEE MMM d HH:mm:ss UTC yyyy`, English, day not zero-padded. */
    fun timestamp(unixTime: Long): String =
        DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.US)
            .format(Instant.ofEpochSecond(unixTime).atOffset(ZoneOffset.UTC))
}

/** One user's verifier on a fake pool: issues the PASSWORD_VERIFIER challenge, checks proofs. */
class FakeSrpUser(
    val poolName: String,
    val userId: String,
    password: String,
    val saltHex: String = "9a1f5b3c7d2e4f6081a2b3c4d5e6f708",
    private val b: BigInteger = BigInteger("5e1d9c3b7a2f4e6d8c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d", 16),
    val secretBlock: String = Base64.getEncoder().encodeToString(ByteArray(48) { (it * 37 + 11).toByte() }),
) {
    private val v = SrpServer.verifier(SrpServer.x(poolName, userId, password, saltHex))
    val publicB: BigInteger = SrpServer.publicB(v, b)

    /** Whether `signature` is the right proof for the client's `srpAHex` at `timestamp`. */
    fun accepts(srpAHex: String, timestamp: String, secretBlockB64: String, signature: String): Boolean {
        val a = BigInteger(srpAHex, 16)
        if (a.mod(SrpServer.N).signum() == 0) return false
        val key = SrpServer.key(a, publicB, v, b)
        val expected = SrpServer.signature(key, poolName, userId, secretBlockB64, timestamp)
        return MessageDigest.isEqual(expected.toByteArray(), signature.toByteArray())
    }
}
