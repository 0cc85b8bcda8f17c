//! One place that keys an HMAC, so no call site has to handle an impossible error.

use hmac::Mac;
use hmac::digest::{KeyInit, Output};

/// HMAC of the concatenation of `parts` under `key`.
///
/// `M` is an RFC 2104 HMAC type such as `Hmac<Sha256>`. HMAC accepts keys of every length (longer
/// keys are hashed, shorter ones zero-padded), so `new_from_slice` never fails for it; the
/// fallback exists only so that this function has no panicking path.
pub(crate) fn hmac<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> Output<M> {
    let mut mac = match <M as KeyInit>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => <M as KeyInit>::new(&Default::default()),
    };
    for part in parts {
        Mac::update(&mut mac, part);
    }
    mac.finalize().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Hmac;
    use sha2::Sha256;

    fn hex(bytes: &[u8]) -> alloc::string::String {
        crate::srp::java_integer::to_hex(bytes)
    }

    #[test]
    fn rfc_4231_test_cases_2_and_6() {
        // Case 2: a short key.
        let out = hmac::<Hmac<Sha256>>(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex(&out),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Case 6: a 131-byte key, longer than the block, is hashed first.
        let key = [0xaa_u8; 131];
        let out = hmac::<Hmac<Sha256>>(
            &key,
            &[b"Test Using Larger Than Block-Size Key - Hash Key First"],
        );
        assert_eq!(
            hex(&out),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
