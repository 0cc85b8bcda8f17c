//! Montgomery squaring with its own, cheaper product: the squarings of S's exponentiation.
//!
//! crypto-bigint 0.7.10 squares by multiplying a number by itself (`montgomery_mul(a, a)`,
//! the finely integrated product-and-reduce: n² word products for the product, n² for the
//! reduction, with n = 48 limbs of 64 bits for the 3072-bit group). A square needs only
//! n(n+1)/2 word products: each cross product `a_i·a_j` (i < j) is computed once and doubled,
//! then the diagonal `a_i²` is added. The Montgomery reduction (REDC) of the 2n-limb square
//! then costs the same n² as before: 1.5 n² word products instead of 2 n². S = base^(a+u·x)
//! is four squarings per multiplication (a 4-bit window), so most of its time is squaring.
//!
//! **Constant time.** Every loop runs a count of iterations fixed by the modulus' length; the
//! carries are arithmetic, never a branch; the final subtraction of the modulus is computed
//! always and kept or dropped by a mask (`subtle`). The scratch square is wiped after every use
//! and on drop (it holds the square of a secret).

use alloc::vec;
use alloc::vec::Vec;

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{WideWord, Word};
use subtle::{Choice, ConditionallySelectable};
use zeroize::Zeroize;

const WORD_BITS: u32 = Word::BITS;

/// Squares numbers in Montgomery form modulo one modulus, with a scratch buffer it owns.
pub(crate) struct MontgomerySquarer {
    /// The modulus' limbs, least significant first (public).
    modulus: Vec<Word>,
    /// −N⁻¹ mod 2^WORD_BITS (public).
    neg_inv: Word,
    /// 2n + 1 limbs: the square, then the reduction's running value. Wiped (zeroed in place)
    /// after every use.
    wide: Vec<Word>,
}

impl MontgomerySquarer {
    /// A squarer for `params`' modulus (odd, as every Montgomery modulus is).
    pub(crate) fn new(params: &BoxedMontyParams) -> Self {
        let modulus: Vec<Word> = params
            .modulus()
            .as_ref()
            .as_limbs()
            .iter()
            .map(|limb| limb.0)
            .collect();
        let low = modulus.first().copied().unwrap_or(1);
        let wide = vec![0; modulus.len() * 2 + 1];
        Self {
            neg_inv: inverse_mod_word(low).wrapping_neg(),
            modulus,
            wide,
        }
    }

    /// `x = x² · R⁻¹ mod N`, fully reduced: what crypto-bigint's `square_assign` computes.
    /// `x` must be fully reduced (`< N`), as every `BoxedMontyForm` is.
    pub(crate) fn square_assign(&mut self, x: &mut BoxedMontyForm) {
        let limbs = x.as_montgomery_mut().as_mut_limbs();
        debug_assert_eq!(limbs.len(), self.modulus.len());
        debug_assert_eq!(self.wide.len(), 2 * self.modulus.len() + 1);
        square_into(&mut self.wide, limbs);
        reduce(&mut self.wide, &self.modulus, self.neg_inv);
        let n = self.modulus.len();
        if let Some((high, top)) = self.wide.get(n..2 * n).zip(self.wide.get(2 * n)) {
            // value = top·2^(n·w) + high < 2N: subtract N when value ≥ N, i.e. when top is
            // set or high − N does not borrow.
            let mut borrow: Word = 0;
            for (&h, &m) in high.iter().zip(&self.modulus) {
                borrow = sub_with_borrow(h, m, borrow).1;
            }
            let subtract = Choice::from(u8::from(*top != 0)) | !Choice::from((borrow & 1) as u8);
            let mut borrow: Word = 0;
            for ((limb, &h), &m) in limbs.iter_mut().zip(high).zip(&self.modulus) {
                let (difference, b) = sub_with_borrow(h, m, borrow);
                borrow = b;
                limb.0 = Word::conditional_select(&h, &difference, subtract);
            }
        }
        // The slice, not the Vec: `Vec::zeroize` also truncates it to length 0.
        self.wide.as_mut_slice().zeroize();
    }
}

/// wide[0..2n] = a², wide[2n] = 0 (a: n limbs, wide: 2n + 1).
fn square_into(wide: &mut [Word], a: &[crypto_bigint::Limb]) {
    let n = a.len();
    wide.zeroize();
    // The cross products a_i·a_j, i < j, once each: row i adds a_i·a_(i+1..n) from 2i + 1.
    for (i, ai) in a.iter().enumerate() {
        let (Some(row), Some(rest)) = (wide.get_mut(2 * i + 1..), a.get(i + 1..)) else {
            continue;
        };
        let ai = WideWord::from(ai.0);
        let mut carry: Word = 0;
        for (w, aj) in row.iter_mut().zip(rest) {
            let t = ai * WideWord::from(aj.0) + WideWord::from(*w) + WideWord::from(carry);
            *w = t as Word;
            carry = (t >> WORD_BITS) as Word;
        }
        if let Some(w) = wide.get_mut(i + n) {
            *w = carry;
        }
    }
    // Doubled: the 2n limbs shifted left by one bit.
    let mut shifted_out: Word = 0;
    for w in wide.iter_mut().take(2 * n) {
        let next = *w >> (WORD_BITS - 1);
        *w = (*w << 1) | shifted_out;
        shifted_out = next;
    }
    // Plus the diagonal a_i² at 2i.
    let mut carry: WideWord = 0;
    for (pair, ai) in wide.chunks_exact_mut(2).zip(a) {
        let square = WideWord::from(ai.0) * WideWord::from(ai.0);
        if let [low, high] = pair {
            let t = WideWord::from(*low) + WideWord::from(square as Word) + carry;
            *low = t as Word;
            let t = WideWord::from(*high) + (square >> WORD_BITS) + (t >> WORD_BITS);
            *high = t as Word;
            carry = t >> WORD_BITS;
        }
    }
}

/// REDC: (wide + m·N) / 2^(n·w) into wide[n..=2n], m chosen limb by limb so that the low n
/// limbs become zero.
fn reduce(wide: &mut [Word], modulus: &[Word], neg_inv: Word) {
    let n = modulus.len();
    let mut overflow: Word = 0;
    for i in 0..n {
        let Some((last, low)) = wide.get_mut(i..=i + n).and_then(<[Word]>::split_last_mut) else {
            continue;
        };
        let m = WideWord::from(low.first().copied().unwrap_or(0).wrapping_mul(neg_inv));
        let mut carry: WideWord = 0;
        for (w, &limb) in low.iter_mut().zip(modulus) {
            let t = m * WideWord::from(limb) + WideWord::from(*w) + carry;
            *w = t as Word;
            carry = t >> WORD_BITS;
        }
        let t = WideWord::from(*last) + carry + WideWord::from(overflow);
        *last = t as Word;
        overflow = (t >> WORD_BITS) as Word;
    }
    // The value is below 2N < 2^(n·w + 1): the overflow is its top bit.
    if let Some(top) = wide.get_mut(2 * n) {
        *top = overflow;
    }
}

impl Drop for MontgomerySquarer {
    fn drop(&mut self) {
        self.wide.zeroize();
    }
}

/// `a − b − borrow` and the borrow out (0 or 1).
fn sub_with_borrow(a: Word, b: Word, borrow: Word) -> (Word, Word) {
    let (d1, b1) = a.overflowing_sub(b);
    let (d2, b2) = d1.overflowing_sub(borrow);
    (d2, Word::from(b1 | b2))
}

/// x⁻¹ mod 2^WORD_BITS for odd `x` (Newton's iteration: each step doubles the correct bits,
/// starting from the 3 bits x·x ≡ 1 mod 8 gives).
fn inverse_mod_word(x: Word) -> Word {
    let mut inverse = x;
    for _ in 0..6 {
        inverse = inverse.wrapping_mul((2 as Word).wrapping_sub(x.wrapping_mul(inverse)));
    }
    inverse
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::group::Group;
    use crypto_bigint::modular::BoxedMontyForm;
    use crypto_bigint::{BoxedUint, MontyForm, MontyMultiplier};

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

    #[test]
    fn the_word_inverse_is_an_inverse() {
        for x in [
            1 as Word,
            3,
            5,
            0xffff,
            Word::MAX,
            Word::MAX - 2,
            0x1234_5679,
        ] {
            assert_eq!(x.wrapping_mul(inverse_mod_word(x)), 1, "{x}");
        }
    }

    /// Agrees with crypto-bigint's squaring (independent code) on random elements and on the
    /// edge representations 0, 1, N − 1, N − 2^64 and 2^3071, in chains of squarings (each
    /// output is the next input, so a result left at or above N would show).
    #[test]
    fn agrees_with_crypto_bigint() {
        let group = Group::new();
        let params = group.params.clone();
        let modulus = params.modulus().as_ref().clone();
        let precision = modulus.bits_precision();
        let mut squarer = MontgomerySquarer::new(&params);
        let mut multiplier = <BoxedMontyForm as MontyForm>::Multiplier::from(&params);
        let mut elements: Vec<BoxedMontyForm> = (1..40u64)
            .map(|seed| {
                group.element(&BoxedUint::from_be_slice_vartime(&pseudo_random_bytes(
                    seed, 384,
                )))
            })
            .collect();
        let one = BoxedUint::one_with_precision(precision);
        let mut top_bit = vec![0u8; 384];
        top_bit[0] = 0x80;
        let mut low_word = vec![0u8; 384];
        low_word[375] = 1;
        let edges = [
            BoxedUint::zero_with_precision(precision),
            one.clone(),
            modulus.wrapping_sub(&one),
            modulus.wrapping_sub(BoxedUint::from_be_slice_vartime(&low_word)),
            BoxedUint::from_be_slice_vartime(&top_bit),
        ];
        for representation in edges {
            assert!(representation < modulus);
            let mut element = BoxedMontyForm::one(&params);
            element
                .as_montgomery_mut()
                .as_mut_limbs()
                .copy_from_slice(representation.as_limbs());
            elements.push(element);
        }
        for (number, element) in elements.into_iter().enumerate() {
            let mut mine = element.clone();
            let mut theirs = element;
            for round in 0..4 {
                squarer.square_assign(&mut mine);
                multiplier.square_assign(&mut theirs);
                assert_eq!(
                    mine.as_montgomery(),
                    theirs.as_montgomery(),
                    "element {number}, round {round}"
                );
                assert!(mine.as_montgomery() < &modulus);
            }
        }
    }
}
