//! Baseline: the SRP client computation on GMP (the system `libgmp`, Debian's 6.2.1) through
//! `rug`, with every exponentiation done by `mpz_powm` or every one by `mpz_powm_sec`.
//!
//! The exponents are the ones the core uses: a (its byte length), x (256 bits) and a + u·x.
//! `mpz_powm_sec` is GMP's side-channel-silent exponentiation: its time and memory access
//! pattern depend only on the operands' limb counts. `mpz_powm` uses a sliding window.

use rug::Integer;
use rug::integer::Order;
use rug::ops::RemRounding;

use crate::{N_HEX, SrpInputs, hash, identity_hash, key_and_signature};

/// Which GMP exponentiation to use for all of g^a, g^x and S.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowMode {
    /// `mpz_powm` (variable-time sliding window).
    Powm,
    /// `mpz_powm_sec` (constant-time for a given limb count).
    PowmSec,
}

impl PowMode {
    /// base^exponent mod modulus (modulus odd, exponent positive).
    pub fn pow_mod(self, base: &Integer, exponent: &Integer, modulus: &Integer) -> Integer {
        if *exponent == 0 {
            // mpz_powm_sec refuses a zero exponent; x or a + u·x is 0 with odds 2^-256.
            return Integer::from(1) % modulus;
        }
        match self {
            Self::Powm => Integer::from(base.pow_mod_ref(exponent, modulus).unwrap()),
            Self::PowmSec => Integer::from(base.secure_pow_mod_ref(exponent, modulus)),
        }
    }
}

/// N, g = 2 and k = H(PAD(N) ‖ PAD(g)).
#[derive(Clone, Debug)]
pub struct Group {
    /// The modulus.
    pub n: Integer,
    /// The generator, 2.
    pub g: Integer,
    /// The multiplier k.
    pub k: Integer,
}

impl Group {
    /// Parses N and hashes k.
    pub fn new() -> Self {
        let n = Integer::from_str_radix(N_HEX, 16).unwrap();
        let g = Integer::from(2);
        let k = Integer::from_digits(&hash(&[&java_bytes(&n), &java_bytes(&g)]), Order::Msf);
        Self { n, g, k }
    }
}

impl Default for Group {
    fn default() -> Self {
        Self::new()
    }
}

/// Java's `BigInteger.toByteArray()`: minimal big-endian two's complement, at least one byte.
pub fn java_bytes(value: &Integer) -> Vec<u8> {
    let len = value.signed_bits().div_ceil(8).max(1);
    // keep_bits of a negative value is its two's complement modulo 2^(8·len).
    let twos_complement = value.clone().keep_bits(8 * len);
    let digits = twos_complement.to_digits::<u8>(Order::Msf);
    let mut out = vec![0u8; len as usize - digits.len()];
    out.extend_from_slice(&digits);
    out
}

/// PAD of a non-negative integer.
pub fn pad(value: &Integer) -> Vec<u8> {
    java_bytes(value)
}

/// x = H(PAD(salt) ‖ H(pool ‖ user ‖ ":" ‖ password)), the salt read as a signed integer.
pub fn private_key(inputs: &SrpInputs) -> Integer {
    let salt = Integer::from_str_radix(&inputs.salt, 16).unwrap();
    Integer::from_digits(
        &hash(&[&java_bytes(&salt), &identity_hash(inputs)]),
        Order::Msf,
    )
}

/// (u, S): u = H(PAD(A) ‖ PAD(B)), S = (B − k·g^x)^(a + u·x) mod N.
pub fn premaster_secret(
    group: &Group,
    mode: PowMode,
    a: &Integer,
    x: &Integer,
    a_pub: &Integer,
    b_pub: &Integer,
) -> (Integer, Integer) {
    let n = &group.n;
    let u = Integer::from_digits(&hash(&[&pad(a_pub), &pad(b_pub)]), Order::Msf);
    let g_x = mode.pow_mod(&group.g, x, n);
    let base = (b_pub - Integer::from(&group.k * &g_x)).rem_euc(n);
    let exponent = a + Integer::from(&u * x);
    let s = mode.pow_mod(&base, &exponent, n);
    (u, s)
}

/// The whole computation from the inputs as Cognito sends them: (SRP_A hex, signature).
pub fn claim(inputs: &SrpInputs, mode: PowMode) -> (String, String) {
    let group = Group::new();
    let a = Integer::from_digits(&inputs.a, Order::Msf);
    let a_pub = mode.pow_mod(&group.g, &a, &group.n);
    let b_pub = Integer::from_str_radix(&inputs.srp_b, 16).unwrap();
    let x = private_key(inputs);
    let (u, s) = premaster_secret(&group, mode, &a, &x, &a_pub, &b_pub);
    (
        a_pub.to_string_radix(16),
        key_and_signature(&pad(&u), &pad(&s), inputs),
    )
}

/// Every intermediate of one exchange, to time the parts one by one.
#[derive(Clone, Debug)]
pub struct Parts {
    /// Which exponentiation.
    pub mode: PowMode,
    /// The group.
    pub group: Group,
    /// a.
    pub a: Integer,
    /// A = g^a.
    pub a_pub: Integer,
    /// B.
    pub b_pub: Integer,
    /// x.
    pub x: Integer,
    /// u.
    pub u: Integer,
    /// S.
    pub s: Integer,
}

impl Parts {
    /// Runs the computation once, keeping the intermediates.
    pub fn new(inputs: &SrpInputs, mode: PowMode) -> Self {
        let group = Group::new();
        let a = Integer::from_digits(&inputs.a, Order::Msf);
        let a_pub = mode.pow_mod(&group.g, &a, &group.n);
        let b_pub = Integer::from_str_radix(&inputs.srp_b, 16).unwrap();
        let x = private_key(inputs);
        let (u, s) = premaster_secret(&group, mode, &a, &x, &a_pub, &b_pub);
        Self {
            mode,
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
    pub fn g_a(&self) -> Integer {
        self.mode.pow_mod(&self.group.g, &self.a, &self.group.n)
    }

    /// Part 2: x.
    pub fn x(&self, inputs: &SrpInputs) -> Integer {
        private_key(inputs)
    }

    /// Part 3: u, g^x and S.
    pub fn premaster_secret(&self) -> (Integer, Integer) {
        premaster_secret(
            &self.group,
            self.mode,
            &self.a,
            &self.x,
            &self.a_pub,
            &self.b_pub,
        )
    }

    /// Part 4: HKDF + HMAC, to the signature.
    pub fn hkdf_hmac(&self, inputs: &SrpInputs) -> String {
        key_and_signature(&pad(&self.u), &pad(&self.s), inputs)
    }
}
