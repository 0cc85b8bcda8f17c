//! HMAC without fallible keying, and a SHA-256 / HMAC-SHA256 whose state is wiped.
//!
//! * [`hmac`]: HMAC-SHA1/256/512 for TOTP, `SECRET_HASH` and snapshot keys (SHA-1 and SHA-256
//!   through the wiped implementation below, SHA-512 through RustCrypto's). HMAC takes keys of
//!   every length (RFC 2104: a key longer than the hash's block is hashed first, a shorter one is
//!   padded with zeros), so [`BlockKeyed`] builds the block-sized key itself and keys the MAC
//!   with the infallible `KeyInit::new`: there is no error branch to fall back from (an earlier
//!   version keyed with `new_from_slice` and fell back to an all-zero key on its error).
//! * [`WipedHash`] (SHA-1, SHA-256), [`hmac_sha256`]: for SRP, whose hashes absorb the
//!   password, x, S and the derived key, and for the HMACs above. RustCrypto's `sha1` / `sha2`
//!   0.10 and `hmac` 0.12 implement no `Zeroize`: their states (chaining value and buffered
//!   input) are dropped as they are. These are built on `sha2::compress256` / `sha1::compress`
//!   with a state and buffer this crate owns and overwrites on drop.

use hmac::Mac;
use hmac::digest::crypto_common::{Key, KeyInit};
use hmac::digest::generic_array::GenericArray;
use hmac::digest::typenum::U64;
use hmac::digest::{Digest, Output};
use zeroize::{Zeroize, Zeroizing};

/// An HMAC type keyed from a key of any length without an error path.
pub(crate) trait BlockKeyed: Mac + KeyInit {
    /// The MAC under `key`, as RFC 2104 defines it for keys of every length.
    fn with_key(key: &[u8]) -> Self;

    /// The tag of the concatenation of `parts` under `key`.
    fn tag(key: &[u8], parts: &[&[u8]]) -> Output<Self>;
}

/// The body of `BlockKeyed::tag`: RustCrypto's HMAC (`rustcrypto`, its state is dropped as
/// is) or [`hmac_wiped`] (`wiped_sha256`, `wiped_sha1`).
macro_rules! tag_body {
    (rustcrypto, $key:ident, $parts:ident) => {{
        let mut mac = Self::with_key($key);
        for part in $parts {
            Mac::update(&mut mac, part);
        }
        mac.finalize().into_bytes()
    }};
    (wiped_sha256, $key:ident, $parts:ident) => {{
        let mut out = Output::<Self>::default();
        hmac_wiped(Sha256Wiped::new, $key, $parts, out.as_mut_slice());
        out
    }};
    (wiped_sha1, $key:ident, $parts:ident) => {{
        let mut out = Output::<Self>::default();
        hmac_wiped(WipedHash::new_sha1, $key, $parts, out.as_mut_slice());
        out
    }};
}

macro_rules! block_keyed {
    ($($digest:ty => $kind:ident),* $(,)?) => {$(
        impl BlockKeyed for hmac::Hmac<$digest> {
            fn tag(key: &[u8], parts: &[&[u8]]) -> Output<Self> {
                tag_body!($kind, key, parts)
            }

            fn with_key(key: &[u8]) -> Self {
                // For Hmac<D> the key size is D's block size.
                let mut block = Key::<Self>::default();
                if key.len() > block.len() {
                    let mut digest = <$digest as Digest>::digest(key);
                    for (slot, byte) in block.iter_mut().zip(digest.iter()) {
                        *slot = *byte;
                    }
                    digest.as_mut_slice().zeroize();
                } else {
                    for (slot, byte) in block.iter_mut().zip(key) {
                        *slot = *byte;
                    }
                }
                let mac = <Self as KeyInit>::new(&block);
                block.as_mut_slice().zeroize();
                mac
            }
        }
    )*};
}

// HMAC-SHA1 (TOTP's default) and HMAC-SHA256 (SECRET_HASH under the client secret, snapshot
// keys, TOTP-SHA256) go through the wiped implementation below; HMAC-SHA512 (TOTP, rare)
// through RustCrypto's, whose state is not wiped.
block_keyed!(
    sha1::Sha1 => wiped_sha1,
    sha2::Sha256 => wiped_sha256,
    sha2::Sha512 => rustcrypto,
);

/// HMAC of the concatenation of `parts` under `key`.
///
/// `M` is `Hmac<Sha1>`, `Hmac<Sha256>` or `Hmac<Sha512>`; for the first two every state and
/// padded key is wiped ([`hmac_wiped`]).
pub(crate) fn hmac<M: BlockKeyed>(key: &[u8], parts: &[&[u8]]) -> Output<M> {
    M::tag(key, parts)
}

/// SHA-256's initial chaining value (FIPS 180-4 §5.3.3).
const SHA256_INITIAL: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// SHA-1's initial chaining value (FIPS 180-4 §5.3.1).
const SHA1_INITIAL: [u32; 5] = [
    0x6745_2301,
    0xefcd_ab89,
    0x98ba_dcfe,
    0x1032_5476,
    0xc3d2_e1f0,
];

/// A compression function over 64-byte blocks (`sha2::compress256`, `sha1::compress`).
type Compress<const WORDS: usize> = fn(&mut [u32; WORDS], &[GenericArray<u8, U64>]);

/// SHA-1 or SHA-256 (FIPS 180-4: 64-byte blocks, a big-endian bit length in the padding, a
/// chaining value of `WORDS` 32-bit words) whose chaining value and input buffer are
/// overwritten on drop and when finalised: for inputs that are secret (a password, x, S, a
/// key). The compression function is RustCrypto's.
pub(crate) struct WipedHash<const WORDS: usize> {
    state: [u32; WORDS],
    block: GenericArray<u8, U64>,
    /// Bytes of `block` in use (always below 64 between calls).
    filled: usize,
    /// Bytes absorbed in all (the message length the padding appends).
    length: u64,
    compress: Compress<WORDS>,
}

/// SHA-256 with a wiped state.
pub(crate) type Sha256Wiped = WipedHash<8>;

impl WipedHash<8> {
    /// An empty SHA-256.
    pub(crate) fn new() -> Self {
        Self::with(SHA256_INITIAL, sha2::compress256)
    }

    /// The 32-byte digest; the state is wiped.
    pub(crate) fn finalize(self) -> Zeroizing<[u8; 32]> {
        let mut digest = Zeroizing::new([0u8; 32]);
        self.finalize_into(&mut digest[..]);
        digest
    }
}

impl WipedHash<5> {
    /// An empty SHA-1.
    pub(crate) fn new_sha1() -> Self {
        Self::with(SHA1_INITIAL, sha1::compress)
    }
}

impl<const WORDS: usize> WipedHash<WORDS> {
    fn with(state: [u32; WORDS], compress: Compress<WORDS>) -> Self {
        Self {
            state,
            block: GenericArray::default(),
            filled: 0,
            length: 0,
            compress,
        }
    }

    /// Absorbs `data`.
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        self.absorb(data);
    }

    /// Absorbs `data` without counting it in the message length (the final padding).
    fn absorb(&mut self, data: &[u8]) {
        let mut bytes = data.iter();
        loop {
            let mut copied = 0;
            // `zip` asks the block for a free slot before it takes a byte: no byte is lost.
            for (slot, byte) in self.block.iter_mut().skip(self.filled).zip(bytes.by_ref()) {
                *slot = *byte;
                copied += 1;
            }
            self.filled += copied;
            if self.filled < self.block.len() {
                return;
            }
            (self.compress)(&mut self.state, core::slice::from_ref(&self.block));
            self.filled = 0;
        }
    }

    /// Writes the digest (4·`WORDS` bytes) to the start of `out`; the state is wiped.
    fn finalize_into(mut self, out: &mut [u8]) {
        let bit_length = self.length.wrapping_mul(8);
        self.absorb(&[0x80]);
        while self.filled != 56 {
            self.absorb(&[0]);
        }
        self.absorb(&bit_length.to_be_bytes());
        for (bytes, word) in out.chunks_exact_mut(4).zip(self.state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
    }

    /// Overwrites the chaining value, the buffer and the counters.
    fn wipe(&mut self) {
        self.state.zeroize();
        self.block.as_mut_slice().zeroize();
        self.filled.zeroize();
        self.length.zeroize();
    }
}

impl<const WORDS: usize> Drop for WipedHash<WORDS> {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// HMAC (RFC 2104) over a [`WipedHash`] made by `new`, of the concatenation of `parts` under
/// `key`, written to the start of `out` (4·`WORDS` bytes), with every state and padded key
/// wiped.
fn hmac_wiped<const WORDS: usize>(
    new: fn() -> WipedHash<WORDS>,
    key: &[u8],
    parts: &[&[u8]],
    out: &mut [u8],
) {
    const BLOCK: usize = 64;
    let mut block_key = Zeroizing::new([0u8; BLOCK]);
    if key.len() > BLOCK {
        let mut hash = new();
        hash.update(key);
        hash.finalize_into(&mut block_key[..]);
    } else {
        for (slot, byte) in block_key.iter_mut().zip(key) {
            *slot = *byte;
        }
    }
    let mut pad = Zeroizing::new([0u8; BLOCK]);
    for (slot, byte) in pad.iter_mut().zip(block_key.iter()) {
        *slot = byte ^ 0x36;
    }
    let mut inner = new();
    inner.update(&pad[..]);
    for part in parts {
        inner.update(part);
    }
    let mut inner_digest = Zeroizing::new(alloc::vec![0u8; 4 * WORDS]);
    inner.finalize_into(&mut inner_digest);
    for (slot, byte) in pad.iter_mut().zip(block_key.iter()) {
        *slot = byte ^ 0x5c;
    }
    let mut outer = new();
    outer.update(&pad[..]);
    outer.update(&inner_digest);
    outer.finalize_into(out);
}

/// HMAC-SHA256 (RFC 2104) of the concatenation of `parts` under `key`, with every state and
/// padded key wiped.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let mut tag = Zeroizing::new([0u8; 32]);
    hmac_wiped(Sha256Wiped::new, key, parts, &mut tag[..]);
    tag
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

    use super::*;
    use alloc::vec::Vec;
    use hmac::Hmac;
    use sha1::Sha1;
    use sha2::{Sha256, Sha512};

    fn hex(bytes: &[u8]) -> alloc::string::String {
        crate::srp::java_integer::to_hex(bytes)
    }

    /// Bytes that are not all alike: i·31 + 7 (mod 251).
    fn bytes(len: usize) -> Vec<u8> {
        (0..len).map(|i| ((i * 31 + 7) % 251) as u8).collect()
    }

    #[test]
    fn rfc_4231_test_cases_2_and_6() {
        // Case 2: a short key.
        let out = hmac::<Hmac<Sha256>>(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex(&out),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let wiped = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(hex(&wiped[..]), hex(&out));
        // Case 6: a 131-byte key, longer than the block, is hashed first.
        let key = [0xaa_u8; 131];
        let message: &[u8] = b"Test Using Larger Than Block-Size Key - Hash Key First";
        let expected = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
        assert_eq!(hex(&hmac::<Hmac<Sha256>>(&key, &[message])), expected);
        assert_eq!(hex(&hmac_sha256(&key, &[message])[..]), expected);
    }

    #[test]
    fn block_keying_equals_rfc_2104_keying_for_every_key_length() {
        // Around each block size (64 for SHA-1/256, 128 for SHA-512) and well past it.
        let message = bytes(77);
        for len in 0..300 {
            let key = bytes(len);
            let mut sha1 = <Hmac<Sha1> as KeyInit>::new_from_slice(&key).unwrap();
            Mac::update(&mut sha1, &message);
            assert_eq!(
                hmac::<Hmac<Sha1>>(&key, &[&message]),
                sha1.finalize().into_bytes(),
                "SHA-1, key of {len} bytes"
            );
            let mut sha256 = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
            Mac::update(&mut sha256, &message);
            let expected = sha256.finalize().into_bytes();
            assert_eq!(hmac::<Hmac<Sha256>>(&key, &[&message]), expected);
            assert_eq!(
                &hmac_sha256(&key, &[&message])[..],
                expected.as_slice(),
                "wiped HMAC-SHA256, key of {len} bytes"
            );
            let mut sha512 = <Hmac<Sha512> as KeyInit>::new_from_slice(&key).unwrap();
            Mac::update(&mut sha512, &message);
            assert_eq!(
                hmac::<Hmac<Sha512>>(&key, &[&message]),
                sha512.finalize().into_bytes(),
                "SHA-512, key of {len} bytes"
            );
        }
    }

    #[test]
    fn wiped_sha256_equals_sha2_for_every_length_and_split() {
        // FIPS 180-4 example "abc".
        let mut abc = Sha256Wiped::new();
        abc.update(b"abc");
        assert_eq!(
            hex(&abc.finalize()[..]),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Every length across the padding boundaries (55, 56, 63, 64, ...), in one call and
        // split in two at every third position.
        for len in 0..200 {
            let data = bytes(len);
            let expected = Sha256::digest(&data);
            let mut whole = Sha256Wiped::new();
            whole.update(&data);
            assert_eq!(&whole.finalize()[..], expected.as_slice(), "length {len}");
            for split in (0..=len).step_by(3) {
                let (head, tail) = data.split_at(split);
                let mut parts = Sha256Wiped::new();
                parts.update(head);
                parts.update(tail);
                assert_eq!(
                    &parts.finalize()[..],
                    expected.as_slice(),
                    "{len} split at {split}"
                );
            }
        }
    }

    #[test]
    fn wiped_sha1_equals_sha1_for_every_length() {
        use sha1::Digest as _;
        for len in 0..200 {
            let data = bytes(len);
            let mut hash = WipedHash::new_sha1();
            hash.update(&data);
            let mut digest = [0u8; 20];
            hash.finalize_into(&mut digest);
            assert_eq!(&digest[..], Sha1::digest(&data).as_slice(), "length {len}");
        }
    }

    #[test]
    fn dropping_a_wiped_hash_clears_its_state() {
        let mut hash = Sha256Wiped::new();
        hash.update(&bytes(100));
        assert_ne!(hash.state, [0; 8]);
        assert!(hash.block.iter().any(|&b| b != 0));
        hash.wipe(); // what Drop runs
        assert_eq!(hash.state, [0; 8]);
        assert_eq!((hash.filled, hash.length), (0, 0));
        assert!(hash.block.iter().all(|&b| b == 0));
    }
}
