//! base^e mod N for a secret base and exponent, with every temporary wiped.
//!
//! S = (B − k·g^x)^(a + u·x) is the one exponentiation whose base is not g: the comb of
//! `fixed_base` does not apply. crypto-bigint's `pow_bounded_exp` computes it in constant time
//! but keeps a table of the 16 powers base^0 … base^15, its running product and copies of the
//! base in buffers it frees without wiping (crypto-bigint 0.7.10, `modular/pow.rs`: 18 of the
//! 19 buffers of 384 bytes it frees during one such call hold non-zero data, measured with a
//! scanning allocator), and those are allocated and freed inside the call, where no caller can
//! reach them. The base B − k·g^x gives k·g^x and so the password verifier g^x. This module
//! does the same fixed-window exponentiation with a table it owns and overwrites.
//!
//! **Constant time.** The number of windows depends only on `exponent_bits` (public); bits are
//! read at public positions without a branch on their value; every table lookup reads all 16
//! entries through a mask; multiplications are crypto-bigint's constant-time Montgomery
//! multiplications (the same multiplier type `fixed_base` uses, which wipes its own scratch
//! product when dropped), squarings this crate's own ([`MontgomerySquarer`]: 1.5 n² word
//! products instead of 2 n², constant-time, its scratch wiped).

use alloc::vec::Vec;

use crypto_bigint::modular::BoxedMontyForm;
use crypto_bigint::{BoxedUint, MontyForm, MontyMultiplier, Word};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::fixed_base::exponent_bit;
use super::montgomery_square::MontgomerySquarer;

/// Bits per window: a table of 2^4 = 16 powers, as crypto-bigint uses.
const WINDOW_BITS: u32 = 4;

/// base^e mod N, reading the low `exponent_bits` bits of `exponent` (their count is public).
///
/// Equal to `base.pow_bounded_exp(exponent, exponent_bits)`; constant-time in the values of
/// `base` and `exponent`; every intermediate is wiped before it is freed.
pub(crate) fn pow_wiped(
    base: &BoxedMontyForm,
    exponent: &BoxedUint,
    exponent_bits: u32,
) -> BoxedMontyForm {
    let params = base.params();
    let mut multiplier = <BoxedMontyForm as MontyForm>::Multiplier::from(params);
    let mut squarer = MontgomerySquarer::new(params);
    // table[i] = base^i.
    let entries = 1usize << WINDOW_BITS;
    let mut table: Vec<BoxedMontyForm> = Vec::with_capacity(entries);
    table.push(BoxedMontyForm::one(params));
    let mut power = base.clone();
    for _ in 1..entries {
        table.push(power.clone());
        multiplier.mul_assign(&mut power, base);
    }
    power.zeroize();

    let windows = exponent_bits.div_ceil(WINDOW_BITS);
    let mut result = BoxedMontyForm::one(params);
    let mut entry = BoxedMontyForm::one(params);
    for window in (0..windows).rev() {
        if window + 1 < windows {
            for _ in 0..WINDOW_BITS {
                squarer.square_assign(&mut result);
            }
        }
        let mut index: Word = 0;
        for bit in 0..WINDOW_BITS {
            index |= exponent_bit(exponent, exponent_bits, window * WINDOW_BITS + bit) << bit;
        }
        select(&table, index, entry.as_montgomery_mut());
        multiplier.mul_assign(&mut result, &entry);
        index.zeroize();
    }
    entry.zeroize();
    for value in &mut table {
        value.zeroize();
    }
    result
}

/// Copies `table[index]` into `out`, reading every entry: each is ANDed with a mask that is all
/// ones for the wanted entry only.
fn select(table: &[BoxedMontyForm], index: Word, out: &mut BoxedUint) {
    for limb in out.as_mut_limbs().iter_mut() {
        limb.0 = 0;
    }
    for (number, value) in (0..).zip(table) {
        let wanted: Word = number;
        let mask = Word::from(wanted.ct_eq(&index).unwrap_u8()).wrapping_neg();
        for (limb, candidate) in out
            .as_mut_limbs()
            .iter_mut()
            .zip(value.as_montgomery().as_limbs())
        {
            limb.0 |= candidate.0 & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::group::{Group, MODULUS_BITS};

    /// Deterministic test bytes (xorshift): no RNG in the core's dependencies.
    fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut state = seed | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_be_bytes()[0]
            })
            .collect()
    }

    /// Agrees with crypto-bigint's `pow_bounded_exp` (independent code) for the widths SRP
    /// uses (513 bits for a 32-byte `a`, 3073 for the longest), widths that are not a multiple
    /// of the window, edge exponents (0, 1, all ones) and bits above `exponent_bits` (ignored).
    #[test]
    fn agrees_with_crypto_bigint() {
        let group = Group::new();
        for seed in 1..6u64 {
            let base = group.element(&BoxedUint::from_be_slice_vartime(&pseudo_random_bytes(
                seed, 384,
            )));
            for (bits, width) in [(513, 576), (1, 64), (7, 64), (256, 256), (3073, 3136)] {
                let random = BoxedUint::from_be_slice_truncated(
                    &pseudo_random_bytes(seed * 31 + u64::from(bits), 400),
                    width,
                );
                let zero = BoxedUint::zero_with_precision(width);
                let one = BoxedUint::one_with_precision(width);
                let ones = BoxedUint::max(width);
                for exponent in [random, zero, one, ones] {
                    assert_eq!(
                        pow_wiped(&base, &exponent, bits).retrieve(),
                        base.pow_bounded_exp(&exponent, bits).retrieve(),
                        "seed {seed}, {bits} bits"
                    );
                }
            }
        }
        assert_eq!(MODULUS_BITS, 3072);
    }
}
