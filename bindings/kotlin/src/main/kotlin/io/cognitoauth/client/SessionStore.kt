package io.cognitoauth.client

import java.io.File
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermissions
import java.security.GeneralSecurityException
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Where [CognitoAuthClient] keeps the signed-in session between app starts: one string
 * (`UserSession.toStorage()`, versioned, no client secret) that holds the refresh token, so it
 * is a secret. [save] is called after a sign-in and after every refresh (a rotated refresh token
 * must replace the old one), [clear] after a sign-out or when the session ends.
 *
 * Next to the session the client keeps two more entries in [sibling] stores: `hosted-ui`, the
 * hosted UI's pending sign-in (it holds the PKCE verifier, so it is a secret too, and it must
 * survive the app being killed while the browser is open), and `identities`, the identity pools'
 * identity ids.
 */
interface SessionStore {
    /** The stored value, or null if there is none. Throw [SessionStoreException] for one that fails its check. */
    suspend fun load(): String?

    /** Replaces the stored value. */
    suspend fun save(value: String)

    /** Removes the stored value (no error if there is none). */
    suspend fun clear()

    /**
     * Another entry named [name] (`hosted-ui`, `identities`) kept the same way and in the same place
     * as this one. The default, null, makes the client keep those entries in memory only (a
     * hosted-UI sign-in then cannot be finished by a new process): override it in a store of your own.
     */
    fun sibling(name: String): SessionStore? = null
}

/** A stored value that exists but cannot be read back (edited, wrong key, damaged). */
class SessionStoreException(message: String, cause: Throwable? = null) : IOException(message, cause)

/** The default store: memory only, so the user signs in again after the process ends. */
class InMemorySessionStore : SessionStore {
    @Volatile private var value: String? = null
    private val siblings = java.util.concurrent.ConcurrentHashMap<String, InMemorySessionStore>()
    override suspend fun load(): String? = value
    override suspend fun save(value: String) { this.value = value }
    override suspend fun clear() { value = null }

    /** Another in-memory entry, the same one for the same [name]. */
    override fun sibling(name: String): SessionStore = siblings.computeIfAbsent(name) { InMemorySessionStore() }
}

/**
 * The session in a plain file, written atomically (a temporary file in the same directory, then
 * a rename) with mode 0600 where the file system has POSIX permissions. The value is not
 * encrypted: use it where the file system protects it (an app's private directory, a CLI's
 * home directory), or [KeystoreSessionStore]. Uses java.nio.file: on Android, API 26 and later
 * (the same holds for [KeystoreSessionStore]; below that, implement [SessionStore] on
 * `SharedPreferences` or `DataStore`).
 */
class FileSessionStore(val file: File) : SessionStore {
    override suspend fun load(): String? = withContext(Dispatchers.IO) {
        if (file.isFile) file.readText(Charsets.UTF_8).takeIf { it.isNotEmpty() } else null
    }

    override suspend fun save(value: String) = withContext(Dispatchers.IO) {
        writeAtomically(file, value.toByteArray(Charsets.UTF_8))
    }

    override suspend fun clear() = withContext(Dispatchers.IO) {
        Files.deleteIfExists(file.toPath())
        Unit
    }

    /** The file `<file>.<name>` next to [file], written the same way. */
    override fun sibling(name: String): SessionStore = FileSessionStore(siblingFile(file, name))
}

/**
 * The session encrypted with AES-GCM under a key kept in a [KeyStore], in [file]. On Android the
 * key lives in the Android Keystore and never leaves it:
 * ```
 * val keyStore = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
 * if (!keyStore.containsAlias("cognito-session")) {
 *     KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore").apply {
 *         init(KeyGenParameterSpec.Builder("cognito-session",
 *                 KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
 *             .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
 *             .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
 *             .setKeySize(256).build())
 *     }.generateKey()
 * }
 * val store = KeystoreSessionStore(File(context.noBackupFilesDir, "session.bin"), keyStore, "cognito-session")
 * ```
 * On the JVM any key store holding AES keys works (PKCS12, or an HSM's provider):
 * [createKeyIfMissing] adds one to a software key store. The IV is drawn by the cipher on each
 * save (the Android Keystore insists on that) and stored in front of the ciphertext; the format
 * tag and the key alias are authenticated as associated data, so an edited file, another key or
 * another alias's file is refused with [SessionStoreException].
 */
class KeystoreSessionStore(
    val file: File,
    private val keyStore: KeyStore,
    private val keyAlias: String,
    private val keyPassword: CharArray? = null,
) : SessionStore {
    private fun key(): SecretKey =
        keyStore.getKey(keyAlias, keyPassword) as? SecretKey
            ?: throw SessionStoreException("the key store has no secret key '$keyAlias'")

    private fun associatedData(): ByteArray = (FORMAT + "\u0000" + keyAlias).toByteArray(Charsets.UTF_8)

    override suspend fun load(): String? = withContext(Dispatchers.IO) {
        if (!file.isFile) return@withContext null
        val sealed = file.readBytes()
        val magic = FORMAT.toByteArray(Charsets.US_ASCII)
        if (sealed.size < magic.size + 1 || !sealed.copyOfRange(0, magic.size).contentEquals(magic)) {
            throw SessionStoreException("${file.name} is not a sealed session")
        }
        val ivLength = sealed[magic.size].toInt() and 0xff
        val start = magic.size + 1 + ivLength
        if (ivLength !in 12..16 || sealed.size < start + TAG_BITS / 8) {
            throw SessionStoreException("${file.name} is truncated")
        }
        try {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, key(), GCMParameterSpec(TAG_BITS, sealed, magic.size + 1, ivLength))
            cipher.updateAAD(associatedData())
            String(cipher.doFinal(sealed, start, sealed.size - start), Charsets.UTF_8)
        } catch (e: GeneralSecurityException) {
            // AEADBadTagException for an edit or another key: never a partial value.
            throw SessionStoreException("${file.name} failed authentication (edited, or sealed with another key)", e)
        }
    }

    override suspend fun save(value: String) = withContext(Dispatchers.IO) {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key())
        cipher.updateAAD(associatedData())
        val iv = cipher.iv
        val ciphertext = cipher.doFinal(value.toByteArray(Charsets.UTF_8))
        val magic = FORMAT.toByteArray(Charsets.US_ASCII)
        val out = ByteBuffer.allocate(magic.size + 1 + iv.size + ciphertext.size)
            .put(magic).put(iv.size.toByte()).put(iv).put(ciphertext).array()
        writeAtomically(file, out)
    }

    override suspend fun clear() = withContext(Dispatchers.IO) {
        Files.deleteIfExists(file.toPath())
        Unit
    }

    /** The file `<file>.<name>` next to [file], sealed with the same key. */
    override fun sibling(name: String): SessionStore = KeystoreSessionStore(siblingFile(file, name), keyStore, keyAlias, keyPassword)

    companion object {
        private const val FORMAT = "cognito-auth-session-aesgcm-v1"
        private const val TRANSFORMATION = "AES/GCM/NoPadding"
        private const val TAG_BITS = 128

        /**
         * Adds a new random AES-256 key under [alias] to a software key store (PKCS12, JCEKS) unless
         * it has one; returns whether it added one. Save the key store afterwards if it is backed
         * by a file. Not for the Android Keystore (generate the key there, see the class docs).
         */
        fun createKeyIfMissing(keyStore: KeyStore, alias: String, password: CharArray?): Boolean {
            if (keyStore.containsAlias(alias)) return false
            val key = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
            keyStore.setEntry(alias, KeyStore.SecretKeyEntry(key), KeyStore.PasswordProtection(password))
            return true
        }
    }
}

/** `<file>.<name>`; [name] is one of the client's entry names (letters and `-`). */
internal fun siblingFile(file: File, name: String): File {
    require(name.isNotEmpty() && name.all { it.isLetterOrDigit() || it == '-' }) { "not an entry name: $name" }
    return File(file.path + "." + name)
}

/** Writes [bytes] to a temporary file next to [file] (mode 0600 where POSIX), then renames it over [file]. */
internal fun writeAtomically(file: File, bytes: ByteArray) {
    val dir = (file.absoluteFile.parentFile ?: File(".")).toPath()
    Files.createDirectories(dir)
    val tmp = try {
        Files.createTempFile(dir, ".${file.name}.", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
    } catch (_: UnsupportedOperationException) {
        Files.createTempFile(dir, ".${file.name}.", ".tmp")
    }
    try {
        Files.write(tmp, bytes)
        try {
            Files.move(tmp, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
        } catch (_: AtomicMoveNotSupportedException) {
            Files.move(tmp, file.toPath(), StandardCopyOption.REPLACE_EXISTING)
        }
    } finally {
        Files.deleteIfExists(tmp)
    }
}
