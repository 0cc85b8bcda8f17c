//! Cognito's SRP group: the RFC 5054 3072-bit prime N with generator g = 2, and k = H(PAD(N) | PAD(g)).

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd, Resize};
use sha2::{Digest, Sha256};

use super::java_integer::java_bytes;

/// Bits of N; every Montgomery value in the group has this precision.
pub(crate) const MODULUS_BITS: u32 = 3072;
/// Bytes of N.
pub(crate) const MODULUS_BYTES: usize = 384;

/// The RFC 5054 Appendix A / RFC 3526 group 15 prime, big-endian.
pub(crate) const MODULUS: [u8; MODULUS_BYTES] = hex_array(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD\
     EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
     EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
     83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B\
     E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510\
     15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7\
     ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C\
     BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The generator. RFC 5054 pairs this N with g = 5; Cognito uses 2.
pub(crate) const GENERATOR: u8 = 2;

/// The group in Montgomery form, with k. Built per SRP exchange (about 20 µs).
pub(crate) struct Group {
    pub(crate) params: BoxedMontyParams,
    pub(crate) generator: BoxedMontyForm,
    pub(crate) multiplier: BoxedMontyForm,
}

impl Group {
    pub(crate) fn new() -> Self {
        let modulus = BoxedUint::from_be_slice_vartime(&MODULUS);
        // N is public, so variable-time setup is fine. `Odd::new` cannot fail: N ends in 0xff
        // (the default, 1, only exists so that there is no panicking path).
        let odd = Odd::new(modulus).into_option().unwrap_or_default();
        let params = BoxedMontyParams::new_vartime(odd);
        let generator = BoxedMontyForm::new(
            BoxedUint::from_be_slice_vartime(&[GENERATOR]).resize_unchecked(MODULUS_BITS),
            &params,
        );
        let multiplier = BoxedMontyForm::new(
            BoxedUint::from_be_slice_vartime(&multiplier_k()).resize_unchecked(MODULUS_BITS),
            &params,
        );
        Self {
            params,
            generator,
            multiplier,
        }
    }

    /// An integer of at most 3072 bits as a Montgomery value (reduced mod N).
    pub(crate) fn element(&self, value: &BoxedUint) -> BoxedMontyForm {
        BoxedMontyForm::new(value.clone().resize_unchecked(MODULUS_BITS), &self.params)
    }
}

/// k = SHA-256(PAD(N) | PAD(g)): `00` ‖ N (385 bytes) ‖ `02`. Not RFC 5054's H(N | PAD(g)).
pub(crate) fn multiplier_k() -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(java_bytes(&MODULUS));
    hash.update(java_bytes(&[GENERATOR]));
    hash.finalize().into()
}

/// Decodes a hex string literal at compile time (only for the constants above).
#[allow(
    clippy::indexing_slicing,
    reason = "const evaluation: a bad literal fails the build, never a running program"
)]
const fn hex_array<const LEN: usize>(text: &str) -> [u8; LEN] {
    let bytes = text.as_bytes();
    let mut out = [0u8; LEN];
    let mut read = 0;
    let mut written = 0;
    let mut high: Option<u8> = None;
    while read < bytes.len() {
        let value = match bytes[read] {
            b @ b'0'..=b'9' => Some(b - b'0'),
            b @ b'A'..=b'F' => Some(b - b'A' + 10),
            b @ b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None, // line-continuation whitespace
        };
        if let Some(nibble) = value {
            match high {
                Some(h) => {
                    out[written] = (h << 4) | nibble;
                    written += 1;
                    high = None;
                }
                None => high = Some(nibble),
            }
        }
        read += 1;
    }
    assert!(written == LEN, "hex literal has the wrong length");
    out
}

/// PAD(N): the 385 bytes that go into k.
#[cfg(test)]
pub(crate) fn padded_modulus() -> alloc::vec::Vec<u8> {
    java_bytes(&MODULUS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_is_the_rfc_5054_prime() {
        // N_hex of the independent vectors (tests/data/README.md): RFC 5054's 3072-bit group.
        let vectors = include_str!("../../tests/data/srp_vectors.json");
        let key = "\"N_hex\": \"";
        let start = vectors.find(key).expect("N_hex in the vectors") + key.len();
        let expected = &vectors[start..start + 768];
        let actual: alloc::string::String = MODULUS
            .iter()
            .map(|byte| alloc::format!("{byte:02x}"))
            .collect();
        assert_eq!(actual, expected, "every byte of N");
        assert_eq!(padded_modulus().len(), 385, "PAD(N) carries a 00 sign byte");
    }

    #[test]
    fn group_elements_reduce_mod_n() {
        let group = Group::new();
        let n = BoxedUint::from_be_slice_vartime(&MODULUS);
        assert!(bool::from(group.element(&n).is_zero()));
        assert_eq!(
            group
                .generator
                .retrieve()
                .to_be_bytes_trimmed_vartime()
                .as_ref(),
            &[2]
        );
    }
}
