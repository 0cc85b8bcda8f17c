//! g^e for the fixed generator g = 2, in constant time, with a precomputed comb.
//!
//! Three of the four exponentiations in an SRP exchange have the base g: A = g^a, g^x and the
//! ConfirmDevice verifier. With the base fixed, its powers can be computed once, at build time
//! (`generator_comb.rs`, by `scripts/gen_generator_comb.py`), and most squarings disappear. The
//! method is Lim and Lee's comb (CRYPTO '94): cut e into teeth of `TOOTH_BITS` bits, tooth i of
//! weight 2^(`TOOTH_BITS`·i); read bit c of several teeth at once as an index into a table of
//! products of G_i = g^(2^(`TOOTH_BITS`·i)); then
//!
//! ```text
//! g^e = Π_c (Π_tables TABLE[j][bits c of table j's teeth])^(2^c),
//! ```
//!
//! evaluated by Horner's rule: `TOOTH_BITS − 1` squarings and `TOOTH_BITS` multiplications per
//! table used. A 256-bit exponent needs one table (42 squarings, 43 multiplications, against
//! about 256 squarings and 64 multiplications for a 4-bit window); a 1024-bit one needs four.
//!
//! **Constant time.** The number of columns and tables depends only on the exponent's bit
//! length, which is public (the length of a, or 256 for x). Bits are read at public positions,
//! and every lookup reads every entry of the table and keeps one through a mask, so neither the
//! instruction stream nor the memory addresses depend on the exponent's value. Multiplications
//! are crypto-bigint's constant-time Montgomery multiplications.

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Limb, MontyForm, MontyMultiplier, Word};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::generator_comb::{ENTRIES, TABLE, TABLES, TEETH_PER_TABLE, TOOTH_BITS, WORDS};
use super::group::Group;
use super::wiped_pow::pow_wiped;

/// Longest exponent the tables cover; longer ones fall back to a windowed exponentiation.
pub(crate) const MAX_EXPONENT_BITS: u32 = TABLES as u32 * TEETH_PER_TABLE * TOOTH_BITS;

/// g^e mod N, reading the low `exponent_bits` bits of `exponent` (its public length).
///
/// Constant-time in the value of `exponent`; the time depends on `exponent_bits` only.
pub(crate) fn generator_pow(
    group: &Group,
    exponent: &BoxedUint,
    exponent_bits: u32,
) -> BoxedMontyForm {
    if exponent_bits > MAX_EXPONENT_BITS {
        return pow_wiped(&group.generator, exponent, exponent_bits);
    }
    let tables = exponent_bits.div_ceil(TOOTH_BITS * TEETH_PER_TABLE);
    let params: &BoxedMontyParams = &group.params;
    let mut multiplier = <BoxedMontyForm as MontyForm>::Multiplier::from(params);
    let mut power = BoxedMontyForm::one(params);
    let mut entry = BoxedMontyForm::one(params);
    for column in (0..TOOTH_BITS).rev() {
        if column + 1 < TOOTH_BITS {
            multiplier.square_assign(&mut power);
        }
        for (table_number, table) in (0..tables).zip(TABLE.iter()) {
            let index = comb_index(exponent, exponent_bits, table_number, column);
            select_entry(table, index, entry.as_montgomery_mut());
            multiplier.mul_assign(&mut power, &entry);
        }
    }
    entry.zeroize();
    power
}

/// The table index for `column` of table `table_number`: bit `column` of each of its teeth.
fn comb_index(exponent: &BoxedUint, exponent_bits: u32, table_number: u32, column: u32) -> Word {
    let mut index: Word = 0;
    for tooth in 0..TEETH_PER_TABLE {
        let position = (table_number * TEETH_PER_TABLE + tooth) * TOOTH_BITS + column;
        index |= exponent_bit(exponent, exponent_bits, position) << tooth;
    }
    index
}

/// Bit `position` of `exponent` (0 beyond `exponent_bits`). The position is public; the bit is
/// extracted with shifts and masks, without a branch on its value.
pub(crate) fn exponent_bit(exponent: &BoxedUint, exponent_bits: u32, position: u32) -> Word {
    if position >= exponent_bits {
        return 0;
    }
    let limb_bits = Limb::BITS;
    let limb = exponent
        .as_limbs()
        .get((position / limb_bits) as usize)
        .map_or(0, |limb| limb.0);
    (limb >> (position % limb_bits)) & 1
}

/// Copies entry `index` of `table` into `out` (a Montgomery value of N's precision), reading
/// every entry: each is ANDed with a mask that is all ones for the wanted entry only.
fn select_entry(table: &[[u64; WORDS]; ENTRIES], index: Word, out: &mut BoxedUint) {
    let limbs = out.as_mut_limbs();
    for limb in limbs.iter_mut() {
        limb.0 = 0;
    }
    for (number, entry) in (0..).zip(table.iter()) {
        let wanted: Word = number;
        let mask = Word::from(wanted.ct_eq(&index).unwrap_u8()).wrapping_neg();
        for (position, limb) in (0..).zip(limbs.iter_mut()) {
            limb.0 |= entry_limb(entry, position) & mask;
        }
    }
}

/// Limb `position` of a table entry stored as little-endian 64-bit words, for either limb size.
#[allow(
    clippy::cast_possible_truncation,
    reason = "on 32-bit targets a limb is deliberately the low or high half of a 64-bit word"
)]
fn entry_limb(entry: &[u64; WORDS], position: usize) -> Word {
    let bit = position * Limb::BITS as usize;
    let word = entry.get(bit / 64).copied().unwrap_or(0);
    (word >> (bit % 64)) as Word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::Resize;

    fn exponent_from(bytes: &[u8], bits: u32) -> BoxedUint {
        BoxedUint::from_be_slice(bytes, bits).unwrap()
    }

    /// Deterministic test bytes (xorshift): no RNG in the core's dependencies.
    fn pseudo_random_bytes(seed: u64, len: usize) -> alloc::vec::Vec<u8> {
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

    /// Agrees with crypto-bigint's windowed exponentiation (independent code) for every length
    /// the protocol uses, edge values (0, 1, all ones, single bits at tooth and table
    /// boundaries) and pseudo-random ones.
    #[test]
    fn comb_matches_windowed_exponentiation() {
        let group = Group::new();
        for bytes_len in [1usize, 5, 32, 33, 64, 96, 128, 129] {
            let bits = u32::try_from(bytes_len * 8).unwrap();
            let mut cases = alloc::vec![
                alloc::vec![0u8; bytes_len],
                alloc::vec![0xffu8; bytes_len],
                pseudo_random_bytes(bits.into(), bytes_len),
                pseudo_random_bytes(u64::from(bits) * 7919, bytes_len),
            ];
            let mut one = alloc::vec![0u8; bytes_len];
            *one.last_mut().unwrap() = 1;
            cases.push(one);
            for single_bit in [
                0,
                TOOTH_BITS - 1,
                TOOTH_BITS,
                TOOTH_BITS * TEETH_PER_TABLE - 1,
                TOOTH_BITS * TEETH_PER_TABLE,
                bits - 1,
            ] {
                if single_bit < bits {
                    let mut value = alloc::vec![0u8; bytes_len];
                    let byte = bytes_len - 1 - usize::try_from(single_bit / 8).unwrap();
                    value[byte] = 1 << (single_bit % 8);
                    cases.push(value);
                }
            }
            for case in cases {
                let e = exponent_from(&case, bits);
                let expected = group.generator.pow_bounded_exp(&e, bits).retrieve();
                let comb = generator_pow(&group, &e, bits).retrieve();
                assert_eq!(comb, expected, "{bytes_len} bytes: {case:02x?}");
            }
        }
    }

    /// The generated tables hold what their documentation says, recomputed here with
    /// crypto-bigint (the generator script used Python's pow): entry 2^k of table j is
    /// G_(j·h+k) = g^(2^(TOOTH_BITS·(j·h+k))), and every entry is the product of its bits'.
    #[test]
    fn tables_hold_products_of_powers_of_g() {
        let group = Group::new();
        let params = &group.params;
        let from_table = |table: usize, entry: usize| {
            let mut value = BoxedMontyForm::one(params);
            select_entry(
                &TABLE[table],
                Word::try_from(entry).unwrap(),
                value.as_montgomery_mut(),
            );
            value
        };
        let mut g_i = group.generator.clone();
        for table in 0..TABLES {
            let mut teeth = alloc::vec::Vec::new();
            for k in 0..TEETH_PER_TABLE {
                assert_eq!(from_table(table, 1 << k), g_i, "G_{} in table {table}", k);
                teeth.push(g_i.clone());
                for _ in 0..TOOTH_BITS {
                    g_i = g_i.square();
                }
            }
            assert_eq!(from_table(table, 0), BoxedMontyForm::one(params));
            for entry in [3usize, 0b10_1010, 0b01_0101, ENTRIES - 1] {
                let mut product = BoxedMontyForm::one(params);
                for (k, tooth) in teeth.iter().enumerate() {
                    if entry >> k & 1 == 1 {
                        product = product.mul(tooth);
                    }
                }
                assert_eq!(
                    from_table(table, entry),
                    product,
                    "table {table} entry {entry}"
                );
            }
        }
    }

    #[test]
    fn longer_exponents_fall_back_to_the_window() {
        let group = Group::new();
        let bits = MAX_EXPONENT_BITS + 64;
        let e = BoxedUint::max(bits);
        let expected = group.generator.pow_bounded_exp(&e, bits).retrieve();
        assert_eq!(generator_pow(&group, &e, bits).retrieve(), expected);
        let short = e.clone().resize_unchecked(bits);
        assert_eq!(generator_pow(&group, &short, bits).retrieve(), expected);
    }

    #[test]
    #[allow(
        clippy::useless_conversion,
        reason = "a limb is u64 here but u32 on 32-bit targets"
    )]
    fn entry_limbs_split_words_for_either_limb_size() {
        let mut entry = [0u64; WORDS];
        entry[0] = 0x0123_4567_89ab_cdef;
        entry[1] = 0xfedc_ba98_7654_3210;
        if Limb::BITS == 64 {
            assert_eq!(u64::from(entry_limb(&entry, 1)), 0xfedc_ba98_7654_3210);
        } else {
            assert_eq!(u64::from(entry_limb(&entry, 0)), 0x89ab_cdef);
            assert_eq!(u64::from(entry_limb(&entry, 1)), 0x0123_4567);
        }
        assert_eq!(
            entry_limb(&entry, 10_000),
            0,
            "out of range reads zero, never panics"
        );
    }
}
