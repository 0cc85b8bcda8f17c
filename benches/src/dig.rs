//! Baseline: the SRP client computation on `num-bigint-dig` 0.9 (`BigUint::modpow`: a fixed
//! 4-bit window over the exponent's limbs, not constant-time; see `shared/reference/perf.md`).

use num_bigint_dig::{BigInt, BigUint, Sign};

use crate::{N_HEX, SrpInputs, hash, identity_hash, key_and_signature};

/// N, g = 2 and k = H(PAD(N) ‖ PAD(g)).
#[derive(Clone, Debug)]
pub struct Group {
    /// The modulus.
    pub n: BigUint,
    /// The generator, 2.
    pub g: BigUint,
    /// The multiplier k.
    pub k: BigUint,
}

impl Group {
    /// Parses N and hashes k.
    pub fn new() -> Self {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap();
        let g = BigUint::from(2u32);
        let k = BigUint::from_bytes_be(&hash(&[&pad(&n), &pad(&g)]));
        Self { n, g, k }
    }
}

impl Default for Group {
    fn default() -> Self {
        Self::new()
    }
}

/// PAD: Java's `BigInteger.toByteArray()` of a non-negative integer.
pub fn pad(value: &BigUint) -> Vec<u8> {
    BigInt::from_biguint(Sign::Plus, value.clone()).to_signed_bytes_be()
}

/// x = H(PAD(salt) ‖ H(pool ‖ user ‖ ":" ‖ password)), the salt read as a signed integer.
pub fn private_key(inputs: &SrpInputs) -> BigUint {
    let salt = BigInt::parse_bytes(inputs.salt.as_bytes(), 16).unwrap();
    BigUint::from_bytes_be(&hash(&[&salt.to_signed_bytes_be(), &identity_hash(inputs)]))
}

/// (u, S): u = H(PAD(A) ‖ PAD(B)), S = (B − k·g^x)^(a + u·x) mod N.
pub fn premaster_secret(
    group: &Group,
    a: &BigUint,
    x: &BigUint,
    a_pub: &BigUint,
    b_pub: &BigUint,
) -> (BigUint, BigUint) {
    let n = &group.n;
    let u = BigUint::from_bytes_be(&hash(&[&pad(a_pub), &pad(b_pub)]));
    let k_gx = (&group.k * group.g.modpow(x, n)) % n;
    let base = (b_pub % n + n - k_gx) % n;
    let s = base.modpow(&(a + &u * x), n);
    (u, s)
}

/// The whole computation from the inputs as Cognito sends them: (SRP_A hex, signature).
pub fn claim(inputs: &SrpInputs) -> (String, String) {
    let group = Group::new();
    let a = BigUint::from_bytes_be(&inputs.a);
    let a_pub = group.g.modpow(&a, &group.n);
    let b_pub = BigUint::parse_bytes(inputs.srp_b.as_bytes(), 16).unwrap();
    let x = private_key(inputs);
    let (u, s) = premaster_secret(&group, &a, &x, &a_pub, &b_pub);
    (
        a_pub.to_str_radix(16),
        key_and_signature(&pad(&u), &pad(&s), inputs),
    )
}

/// Every intermediate of one exchange, to time the parts one by one.
#[derive(Clone, Debug)]
pub struct Parts {
    /// The group.
    pub group: Group,
    /// a.
    pub a: BigUint,
    /// A = g^a.
    pub a_pub: BigUint,
    /// B.
    pub b_pub: BigUint,
    /// x.
    pub x: BigUint,
    /// u.
    pub u: BigUint,
    /// S.
    pub s: BigUint,
}

impl Parts {
    /// Runs the computation once, keeping the intermediates.
    pub fn new(inputs: &SrpInputs) -> Self {
        let group = Group::new();
        let a = BigUint::from_bytes_be(&inputs.a);
        let a_pub = group.g.modpow(&a, &group.n);
        let b_pub = BigUint::parse_bytes(inputs.srp_b.as_bytes(), 16).unwrap();
        let x = private_key(inputs);
        let (u, s) = premaster_secret(&group, &a, &x, &a_pub, &b_pub);
        Self {
            group,
            a,
            a_pub,
            b_pub,
            x,
            u,
            s,
        }
    }

    /// Part 1: A = g^a mod N.
    pub fn g_a(&self) -> BigUint {
        self.group.g.modpow(&self.a, &self.group.n)
    }

    /// Part 2: x.
    pub fn x(&self, inputs: &SrpInputs) -> BigUint {
        private_key(inputs)
    }

    /// Part 3: u, g^x and S.
    pub fn premaster_secret(&self) -> (BigUint, BigUint) {
        premaster_secret(&self.group, &self.a, &self.x, &self.a_pub, &self.b_pub)
    }

    /// Part 4: HKDF + HMAC, to the signature.
    pub fn hkdf_hmac(&self, inputs: &SrpInputs) -> String {
        key_and_signature(&pad(&self.u), &pad(&self.s), inputs)
    }
}
