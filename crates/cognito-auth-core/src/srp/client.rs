//! The client side of one SRP exchange: A out, a `PASSWORD_VERIFIER` challenge in, a claim out.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use crypto_bigint::modular::BoxedMontyForm;
use crypto_bigint::{BoxedUint, ConcatenatingMul, Resize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use super::error::SrpError;
use super::fixed_base::generator_pow;
use super::group::{Group, MODULUS, MODULUS_BITS, MODULUS_BYTES};
use super::java_integer::{HexIntegerError, SignedInteger, java_bytes, to_hex};
use super::wiped_pow::pow_wiped;
use crate::mac::{Sha256Wiped, hmac_sha256};
use crate::secret::{SecretBytes, SecretString};
use crate::time::UnixTime;
use crate::user_pool_id::UserPoolId;

/// Most hex digits accepted in `SALT` (Cognito sends 32; 512 leaves room for any future salt).
pub(crate) const MAX_SALT_DIGITS: usize = 512;
/// Most hex digits accepted in `SRP_B`: a 3072-bit number.
pub(crate) const MAX_SERVER_KEY_DIGITS: usize = 2 * MODULUS_BYTES;
/// Most characters accepted in `SECRET_BLOCK` (Cognito's are about 1.7 KB).
pub(crate) const MAX_SECRET_BLOCK_LEN: usize = 64 * 1024;

/// HKDF `info` Cognito uses.
const KEY_DERIVATION_INFO: &[u8] = b"Caldera Derived Key";
/// Bits of x and u: SHA-256 outputs.
const HASH_BITS: u32 = 256;

/// The client's SRP ephemeral secret `a`, supplied by the caller as random bytes.
///
/// The core draws no randomness: the caller passes 32 to 384 bytes from a CSPRNG. **32 bytes
/// (256 bits) is the recommended size** and what the FFI layer draws: RFC 3526 §8 estimates a
/// 3072-bit group at 128-bit strength, which needs an exponent of twice that many bits. Longer
/// exponents (amazon-cognito-identity-js uses 128 bytes) add no strength and cost time.
/// Zeroized on drop; `Debug` shows only the length.
#[derive(Clone)]
pub struct EphemeralSecret(SecretBytes);

impl EphemeralSecret {
    /// Fewest bytes accepted.
    pub const MIN_LEN: usize = 32;
    /// Most bytes accepted (the size of N).
    pub const MAX_LEN: usize = MODULUS_BYTES;
    /// The size to draw.
    pub const RECOMMENDED_LEN: usize = 32;

    /// Wraps `bytes` (big-endian) as the exponent `a`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SrpError> {
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&bytes.len()) {
            return Err(SrpError::EphemeralSecretLength { len: bytes.len() });
        }
        Ok(Self(SecretBytes::new(bytes)))
    }

    /// Length in bytes (public: it is visible in the timing anyway).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: an ephemeral secret has at least [`Self::MIN_LEN`] bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for EphemeralSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EphemeralSecret({} bytes, <redacted>)", self.0.len())
    }
}

/// Whose password SRP proves: the pool and user for `PASSWORD_VERIFIER`, the device group and
/// device for `DEVICE_PASSWORD_VERIFIER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SrpIdentity<'a> {
    realm: &'a str,
    user: &'a str,
}

impl<'a> SrpIdentity<'a> {
    /// A user of a pool. `user_id_for_srp` is the challenge's `USER_ID_FOR_SRP` parameter, not
    /// what the user typed: with email or phone aliases they differ.
    pub fn user(pool: &'a UserPoolId, user_id_for_srp: &'a str) -> Self {
        Self {
            realm: pool.pool_name(),
            user: user_id_for_srp,
        }
    }

    /// A remembered device: its `DeviceGroupKey` and `DeviceKey` from `NewDeviceMetadata`.
    pub fn device(device_group_key: &'a str, device_key: &'a str) -> Self {
        Self {
            realm: device_group_key,
            user: device_key,
        }
    }

    /// The pool name or device group key.
    pub fn realm(&self) -> &'a str {
        self.realm
    }

    /// The user id for SRP or device key.
    pub fn user_id(&self) -> &'a str {
        self.user
    }
}

/// The parameters of a `PASSWORD_VERIFIER` or `DEVICE_PASSWORD_VERIFIER` challenge, checked.
///
/// Parsing accepts what Cognito's Java service sends: hex of either case and any length
/// (odd-length included), a negative `SALT`, and a `SECRET_BLOCK` in the standard or URL-safe
/// base64 alphabet with or without padding. It refuses B ≡ 0 (mod N).
#[derive(Clone)]
pub struct PasswordVerifierChallenge {
    salt: Vec<u8>,
    server_key: BoxedUint,
    server_key_padded: Vec<u8>,
    secret_block: String,
    secret_block_bytes: Vec<u8>,
}

impl PasswordVerifierChallenge {
    /// Checks the three challenge parameters `SALT`, `SRP_B` and `SECRET_BLOCK`.
    pub fn parse(salt: &str, srp_b: &str, secret_block: &str) -> Result<Self, SrpError> {
        let salt = SignedInteger::parse_hex(salt, MAX_SALT_DIGITS).map_err(|e| match e {
            HexIntegerError::Empty => SrpError::SaltEmpty,
            HexIntegerError::NotHex { position } => SrpError::SaltNotHex { position },
            HexIntegerError::TooLong { digits } => SrpError::SaltTooLong { digits },
        })?;
        if srp_b.starts_with('-') {
            return Err(SrpError::ServerPublicKeyNegative);
        }
        let server_key =
            SignedInteger::parse_hex(srp_b, MAX_SERVER_KEY_DIGITS).map_err(|e| match e {
                HexIntegerError::Empty => SrpError::ServerPublicKeyEmpty,
                HexIntegerError::NotHex { position } => {
                    SrpError::ServerPublicKeyNotHex { position }
                }
                HexIntegerError::TooLong { digits } => SrpError::ServerPublicKeyTooLong { digits },
            })?;
        // B < 2^3072 < 2N, so B ≡ 0 (mod N) exactly when B is 0 or N. B is public.
        if server_key.magnitude.is_empty() || server_key.magnitude == MODULUS {
            return Err(SrpError::ServerPublicKeyIsZeroModN);
        }
        let secret_block_bytes = decode_secret_block(secret_block)?;
        // At most 768 digits, so B fits the group's precision.
        let b =
            BoxedUint::from_be_slice_vartime(&server_key.magnitude).resize_unchecked(MODULUS_BITS);
        Ok(Self {
            salt: salt.to_java_bytes(),
            server_key_padded: java_bytes(&server_key.magnitude),
            server_key: b,
            secret_block: String::from(secret_block),
            secret_block_bytes,
        })
    }

    /// `SECRET_BLOCK` exactly as received, to echo as `PASSWORD_CLAIM_SECRET_BLOCK`.
    pub fn secret_block(&self) -> &str {
        &self.secret_block
    }

    /// PAD(salt), the bytes hashed into x.
    pub(crate) fn padded_salt(&self) -> &[u8] {
        &self.salt
    }

    /// PAD(B), the bytes hashed into u.
    pub(crate) fn padded_server_key(&self) -> &[u8] {
        &self.server_key_padded
    }
}

impl fmt::Debug for PasswordVerifierChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordVerifierChallenge")
            .field("salt_bytes", &self.salt.len())
            .field("srp_b_bytes", &self.server_key_padded.len())
            .field("secret_block_bytes", &self.secret_block_bytes.len())
            .finish()
    }
}

/// What `RespondToAuthChallenge` needs for `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER`.
///
/// `Debug` shows the secret block's length and the timestamp, never the signature (a proof of
/// the password for this challenge, replayable while the challenge lives).
#[derive(Clone, PartialEq, Eq)]
#[must_use = "send these values in RespondToAuthChallenge, or the sign-in stalls"]
pub struct PasswordClaim {
    /// `PASSWORD_CLAIM_SECRET_BLOCK`: the challenge's `SECRET_BLOCK`, unchanged.
    pub secret_block: String,
    /// `PASSWORD_CLAIM_SIGNATURE`: standard base64 with padding.
    pub signature: String,
    /// `TIMESTAMP`, e.g. `Tue Nov 3 07:05:09 UTC 2026`.
    pub timestamp: String,
}

impl fmt::Debug for PasswordClaim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordClaim")
            .field("secret_block_len", &self.secret_block.len())
            .field("signature", &"<redacted>")
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

/// One SRP exchange from the client's side: holds `a` and A.
///
/// Use a fresh client (fresh random bytes) for each exchange: the user's `PASSWORD_VERIFIER` and
/// a later `DEVICE_SRP_AUTH` each get their own.
///
/// **Secrets in memory.** `a`, x, u·x, a + u·x, k·g^x, the base B − k·g^x, the powers of the
/// base, S and every hash and HMAC state that held the password, x, S or the derived key are
/// overwritten before they are freed: the numbers are built at their final width (no
/// reallocation leaves a copy behind), S is computed by this crate's own fixed-window
/// exponentiation (`srp/wiped_pow.rs`), which wipes its table, and the hashes use the zeroizing
/// SHA-256 of `crate::mac`. crypto-bigint's own `pow_bounded_exp` is not used on a secret
/// base: it keeps a window table of 16 powers of the base, its running product and copies of
/// the base in buffers it frees without wiping (crypto-bigint 0.7.10, `modular/pow.rs`), inside
/// the call, where no wrapper can reach them; the base B − k·g^x would give the password
/// verifier g^x, which allows an offline guess of the password. What remains out of reach:
/// crypto-bigint's Montgomery multiplier wipes its scratch product on drop, but the stack
/// frames of its arithmetic are not wiped (no Rust code can guarantee that).
pub struct SrpClient {
    group: Group,
    /// `a`, stored at the width of the exponent a + u·x (see `exponent_bits`), so that
    /// `premaster_secret` never widens (and so reallocates) a copy of it.
    secret: BoxedUint,
    secret_bits: u32,
    public_key: Vec<u8>,
}

impl SrpClient {
    /// Computes A = g^a mod N from the caller's random bytes.
    pub fn new(ephemeral: &EphemeralSecret) -> Result<Self, SrpError> {
        let group = Group::new();
        let bytes = ephemeral.0.expose();
        let secret_bits = bit_len(bytes.len());
        // `bytes` has at most MODULUS_BYTES bytes and the width is at least 8·len bits, so
        // nothing is truncated; the truncating form only spares an impossible error branch.
        let mut secret = BoxedUint::from_be_slice_truncated(bytes, exponent_bits(secret_bits));
        let public = generator_pow(&group, &secret, secret_bits).retrieve();
        if let Err(e) = check_client_public_key(&public) {
            secret.zeroize();
            return Err(e);
        }
        Ok(Self {
            group,
            secret,
            secret_bits,
            public_key: Vec::from(public.to_be_bytes_trimmed_vartime()),
        })
    }

    /// `SRP_A`: A in lowercase hex without leading zeros, as `BigInteger.toString(16)` prints it.
    pub fn public_key_hex(&self) -> String {
        to_hex(&self.public_key)
    }

    /// Answers a `PASSWORD_VERIFIER` (user) or `DEVICE_PASSWORD_VERIFIER` (device) challenge.
    ///
    /// `now` becomes the `TIMESTAMP` and must be within a few minutes of Cognito's clock.
    pub fn password_claim(
        &self,
        identity: SrpIdentity<'_>,
        password: &SecretString,
        challenge: &PasswordVerifierChallenge,
        now: UnixTime,
    ) -> Result<PasswordClaim, SrpError> {
        let key = self.session_key(identity, password, challenge)?;
        let timestamp = now.cognito_timestamp();
        Ok(PasswordClaim {
            secret_block: challenge.secret_block.clone(),
            signature: claim_signature(
                &key[..],
                identity,
                &challenge.secret_block_bytes,
                &timestamp,
            ),
            timestamp,
        })
    }

    /// The 16-byte key both sides derive.
    pub(crate) fn session_key(
        &self,
        identity: SrpIdentity<'_>,
        password: &SecretString,
        challenge: &PasswordVerifierChallenge,
    ) -> Result<Zeroizing<[u8; 16]>, SrpError> {
        let u = scrambling_parameter(&java_bytes(&self.public_key), challenge.padded_server_key());
        check_scrambling_parameter(&u)?;
        let x = private_key(challenge.padded_salt(), identity, password);
        let premaster = self.premaster_secret(&x, &u, &challenge.server_key);
        Ok(derive_key(&premaster, &java_bytes(&u)))
    }

    /// PAD(S), S = (B − k·g^x)^(a + u·x) mod N, in constant time in a and x.
    pub(crate) fn premaster_secret(
        &self,
        x: &[u8; 32],
        u: &[u8; 32],
        server_key: &BoxedUint,
    ) -> Zeroizing<Vec<u8>> {
        let group = &self.group;
        // 32 bytes into 256 bits: the truncating form cannot truncate here and has no error.
        let mut x = BoxedUint::from_be_slice_truncated(x, HASH_BITS);
        let u = BoxedUint::from_be_slice_vartime(u);
        // B − k·g^x (mod N): Montgomery subtraction wraps correctly when k·g^x > B. Each
        // intermediate is a named value, wiped below (k·g^x is the password verifier).
        let mut g_x: BoxedMontyForm = generator_pow(group, &x, HASH_BITS);
        let mut k_g_x = group.multiplier.mul(&g_x);
        let mut base = group.element(server_key).sub(&k_g_x);
        // e = a + u·x, added in place into a copy of `a` that already has e's width: no
        // widening, no reallocation, no dropped intermediate.
        let exponent_bits = exponent_bits(self.secret_bits);
        let mut u_x = u.concatenating_mul(&x); // 512 bits, at most e's width
        let mut exponent = self.secret.clone();
        exponent.wrapping_add_assign(&u_x);
        let mut s = pow_wiped(&base, &exponent, exponent_bits);
        let mut s_int = s.retrieve();
        let mut s_bytes = s_int.to_be_bytes();
        let padded = Zeroizing::new(java_bytes(&s_bytes));
        for secret in [&mut x, &mut u_x, &mut exponent, &mut s_int] {
            secret.zeroize();
        }
        for secret in [&mut g_x, &mut k_g_x, &mut base, &mut s] {
            secret.zeroize();
        }
        s_bytes.zeroize();
        padded
    }

    /// PAD(A).
    #[cfg(test)]
    pub(crate) fn padded_public_key(&self) -> Vec<u8> {
        java_bytes(&self.public_key)
    }
}

impl Drop for SrpClient {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient")
            .field("secret", &"<redacted>")
            .field("secret_bits", &self.secret_bits)
            .field("public_key_hex", &self.public_key_hex())
            .finish()
    }
}

/// Bits of the exponent a + u·x for an `a` of `secret_bits` bits: max(|a|, 512) + 1, so the sum
/// never overflows (u and x have 256 bits each).
fn exponent_bits(secret_bits: u32) -> u32 {
    secret_bits.max(2 * HASH_BITS) + 1
}

/// Refuses A ≡ 0 (mod N) (impossible for g = 2 and prime N, checked as every peer does) and
/// A = 1 (a zero or a multiple of the group order: a broken random source).
fn check_client_public_key(public: &BoxedUint) -> Result<(), SrpError> {
    if bool::from(public.is_zero()) {
        return Err(SrpError::ClientPublicKeyIsZeroModN);
    }
    if bool::from(public.is_one()) {
        return Err(SrpError::EphemeralSecretDegenerate);
    }
    Ok(())
}

/// Refuses u = 0, which would take the password out of S (2^-256 odds with an honest server).
fn check_scrambling_parameter(u: &[u8; 32]) -> Result<(), SrpError> {
    if u.iter().all(|&b| b == 0) {
        return Err(SrpError::ScramblingParameterIsZero);
    }
    Ok(())
}

/// u = H(PAD(A) ‖ PAD(B)).
pub(crate) fn scrambling_parameter(padded_a: &[u8], padded_b: &[u8]) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(padded_a);
    hash.update(padded_b);
    hash.finalize().into()
}

/// x = H(PAD(salt) ‖ H(realm ‖ user ‖ ":" ‖ password)), through hashes whose state is wiped.
pub(crate) fn private_key(
    padded_salt: &[u8],
    identity: SrpIdentity<'_>,
    password: &SecretString,
) -> Zeroizing<[u8; 32]> {
    let mut inner = Sha256Wiped::new();
    inner.update(identity.realm.as_bytes());
    inner.update(identity.user.as_bytes());
    inner.update(b":");
    inner.update(password.expose().as_bytes());
    let inner_hash = inner.finalize();
    let mut outer = Sha256Wiped::new();
    outer.update(padded_salt);
    outer.update(&inner_hash[..]);
    outer.finalize()
}

/// HKDF-SHA256 (RFC 5869) with IKM = PAD(S), salt = PAD(u), info "Caldera Derived Key", L = 16.
/// One expansion block suffices for 16 bytes: the key is its first half.
pub(crate) fn derive_key(padded_s: &[u8], padded_u: &[u8]) -> Zeroizing<[u8; 16]> {
    let pseudo_random_key = hmac_sha256(padded_u, &[padded_s]);
    let block = hmac_sha256(&pseudo_random_key[..], &[KEY_DERIVATION_INFO, &[1]]);
    let mut key = Zeroizing::new([0u8; 16]);
    for (slot, byte) in key.iter_mut().zip(block.iter()) {
        *slot = *byte;
    }
    key
}

/// base64(HMAC-SHA256(key, realm ‖ user ‖ secret block ‖ timestamp)).
pub(crate) fn claim_signature(
    key: &[u8],
    identity: SrpIdentity<'_>,
    secret_block: &[u8],
    timestamp: &str,
) -> String {
    let tag = hmac_sha256(
        key,
        &[
            identity.realm.as_bytes(),
            identity.user.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    );
    STANDARD.encode(&tag[..])
}

/// Decodes `SECRET_BLOCK`: standard or URL-safe alphabet, padding optional.
fn decode_secret_block(text: &str) -> Result<Vec<u8>, SrpError> {
    if text.is_empty() {
        return Err(SrpError::SecretBlockEmpty);
    }
    if text.len() > MAX_SECRET_BLOCK_LEN {
        return Err(SrpError::SecretBlockTooLong { len: text.len() });
    }
    let mut standard = Vec::with_capacity(text.len());
    for (position, byte) in text.bytes().enumerate() {
        standard.push(match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => byte,
            b'-' => b'+',
            b'_' => b'/',
            _ => return Err(SrpError::SecretBlockNotBase64 { position }),
        });
    }
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(&standard).map_err(|e| match e {
        base64::DecodeError::InvalidByte(position, _) => {
            SrpError::SecretBlockNotBase64 { position }
        }
        _ => SrpError::SecretBlockMalformed,
    })
}

/// Bits of precision for a big-endian number of `len` bytes.
fn bit_len(len: usize) -> u32 {
    u32::try_from(len.saturating_mul(8)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_block_alphabets_and_padding() {
        let standard = decode_secret_block("+/+/aQ==").unwrap();
        assert_eq!(decode_secret_block("-_-_aQ==").unwrap(), standard);
        assert_eq!(decode_secret_block("-_-_aQ").unwrap(), standard);
        assert_eq!(decode_secret_block("+/+/aQ").unwrap(), standard);
    }

    #[test]
    fn public_key_checks() {
        // Neither value can come out of g^a for g = 2 and a prime N with a non-degenerate a,
        // so the checks are exercised directly.
        assert_eq!(
            check_client_public_key(&BoxedUint::zero_with_precision(MODULUS_BITS)),
            Err(SrpError::ClientPublicKeyIsZeroModN)
        );
        assert_eq!(
            check_client_public_key(&BoxedUint::one_with_precision(MODULUS_BITS)),
            Err(SrpError::EphemeralSecretDegenerate)
        );
        assert_eq!(
            check_client_public_key(&BoxedUint::from_be_slice_vartime(&[2])),
            Ok(())
        );
    }

    #[test]
    fn scrambling_parameter_zero_is_refused() {
        // SHA-256 never gives zero in practice; the check is exercised directly.
        assert_eq!(
            check_scrambling_parameter(&[0; 32]),
            Err(SrpError::ScramblingParameterIsZero)
        );
        let mut one = [0; 32];
        one[31] = 1;
        assert_eq!(check_scrambling_parameter(&one), Ok(()));
    }

    #[test]
    fn password_claim_debug_hides_the_signature() {
        let claim = PasswordClaim {
            secret_block: String::from("c2VjcmV0LWJsb2Nr"),
            signature: String::from("SIGNATURE-a1b2c3"),
            timestamp: String::from("Tue Nov 3 07:05:09 UTC 2026"),
        };
        for printed in [alloc::format!("{claim:?}"), alloc::format!("{claim:#?}")] {
            assert!(!printed.contains("SIGNATURE-a1b2c3"), "{printed}");
            assert!(printed.contains("<redacted>"), "{printed}");
            assert!(printed.contains("Tue Nov 3 07:05:09 UTC 2026"), "{printed}");
        }
    }

    #[test]
    fn the_exponent_has_room_for_a_plus_u_x() {
        // a < 2^|a|, u·x < 2^512: the sum has fewer than max(|a|, 512) + 1 bits.
        assert_eq!(exponent_bits(256), 513);
        assert_eq!(exponent_bits(3072), 3073);
        // `a` is stored at that width, so premaster_secret adds into a copy of it in place.
        let client = SrpClient::new(&EphemeralSecret::from_bytes(&[0xff; 32]).unwrap()).unwrap();
        assert_eq!(
            client.secret.bits_precision(),
            exponent_bits(256).next_multiple_of(crypto_bigint::Limb::BITS)
        );
    }

    #[test]
    fn secret_block_rejections() {
        assert_eq!(decode_secret_block(""), Err(SrpError::SecretBlockEmpty));
        assert_eq!(
            decode_secret_block("abc$"),
            Err(SrpError::SecretBlockNotBase64 { position: 3 })
        );
        assert_eq!(
            decode_secret_block("ab cd"),
            Err(SrpError::SecretBlockNotBase64 { position: 2 })
        );
        assert_eq!(
            decode_secret_block("a"),
            Err(SrpError::SecretBlockMalformed)
        );
        assert_eq!(
            decode_secret_block("ab=c"),
            Err(SrpError::SecretBlockNotBase64 { position: 2 })
        );
        let huge = "A".repeat(MAX_SECRET_BLOCK_LEN + 4);
        assert_eq!(
            decode_secret_block(&huge),
            Err(SrpError::SecretBlockTooLong {
                len: MAX_SECRET_BLOCK_LEN + 4
            })
        );
    }
}
