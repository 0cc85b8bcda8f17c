//! The server side of Cognito's SRP, written independently of the crate, for tests: PAD is
//! num-bigint's `to_signed_bytes_be` (Java's `BigInteger.toByteArray()`), HKDF is the `hkdf`
//! crate, arithmetic is `num-bigint-dig`. `tests/srp.rs` checks the client against it and the
//! fake user pool verifies sign-ins with it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use num_bigint_dig::{BigInt, BigUint, Sign};
use sha2::{Digest, Sha256};

/// The RFC 5054 3072-bit prime.
pub const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

/// PAD: the two's-complement big-endian bytes of a non-negative integer.
pub fn pad(value: &BigUint) -> Vec<u8> {
    BigInt::from_biguint(Sign::Plus, value.clone()).to_signed_bytes_be()
}

/// SHA-256 of the concatenation of `parts`.
pub fn hash(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
    }
    h.finalize().to_vec()
}

/// The group: N, g = 2, k = H(PAD(N) ‖ PAD(g)).
pub struct SrpServer {
    /// The modulus N, [`N_HEX`].
    pub n: BigUint,
    /// The generator g = 2.
    pub g: BigUint,
    /// The multiplier k = H(PAD(N) ‖ PAD(g)).
    pub k: BigUint,
}

impl Default for SrpServer {
    fn default() -> Self {
        Self::new()
    }
}

impl SrpServer {
    /// The group of RFC 5054's 3072-bit prime, as Cognito uses it.
    pub fn new() -> Self {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap();
        let g = BigUint::from(2u32);
        let k = BigUint::from_bytes_be(&hash(&[&pad(&n), &pad(&g)]));
        Self { n, g, k }
    }

    /// v = g^x, x = H(PAD(salt) ‖ H(realm ‖ user ‖ ":" ‖ password)); salt as signed integer.
    pub fn verifier(&self, salt: &BigInt, realm: &str, user: &str, password: &str) -> BigUint {
        let inner = hash(&[realm.as_bytes(), user.as_bytes(), b":", password.as_bytes()]);
        let x = BigUint::from_bytes_be(&hash(&[&salt.to_signed_bytes_be(), &inner]));
        self.g.modpow(&x, &self.n)
    }

    /// B = k·v + g^b mod N.
    pub fn public_key(&self, v: &BigUint, b: &BigUint) -> BigUint {
        (&self.k * v + self.g.modpow(b, &self.n)) % &self.n
    }

    /// (u, S): u = H(PAD(A) ‖ PAD(B)), S = (A·v^u)^b mod N.
    pub fn premaster_secret(
        &self,
        a_pub: &BigUint,
        b_pub: &BigUint,
        b: &BigUint,
        v: &BigUint,
    ) -> (BigUint, BigUint) {
        let u = BigUint::from_bytes_be(&hash(&[&pad(a_pub), &pad(b_pub)]));
        let s = (a_pub * v.modpow(&u, &self.n)).modpow(b, &self.n);
        (u, s)
    }

    /// The `PASSWORD_CLAIM_SIGNATURE` the server expects.
    #[allow(clippy::too_many_arguments)]
    pub fn expected_signature(
        &self,
        a_pub: &BigUint,
        b_pub: &BigUint,
        b: &BigUint,
        v: &BigUint,
        realm: &str,
        user: &str,
        secret_block: &[u8],
        timestamp: &str,
    ) -> String {
        let (u, s) = self.premaster_secret(a_pub, b_pub, b, v);
        claim_signature(&derive_key(&u, &s), realm, user, secret_block, timestamp)
    }
}

/// The 16-byte key: HKDF-SHA256(salt = PAD(u), ikm = PAD(S), info = "Caldera Derived Key").
pub fn derive_key(u: &BigUint, s: &BigUint) -> [u8; 16] {
    let mut key = [0u8; 16];
    hkdf::Hkdf::<Sha256>::new(Some(&pad(u)), &pad(s))
        .expand(b"Caldera Derived Key", &mut key)
        .unwrap();
    key
}

/// base64(HMAC-SHA256(key, realm ‖ user ‖ secret block ‖ timestamp)).
pub fn claim_signature(
    key: &[u8],
    realm: &str,
    user: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    for part in [
        realm.as_bytes(),
        user.as_bytes(),
        secret_block,
        timestamp.as_bytes(),
    ] {
        mac.update(part);
    }
    STANDARD.encode(mac.finalize().into_bytes())
}
