//! [`CallingCode`]: an assigned ITU country calling code and what the table knows about it.

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};

use super::calling_codes::CALLING_CODES;
use super::scan::Digits;
use super::{PhoneNumber, PhoneNumberError};

/// One row of the generated table (`calling_codes.rs`, from `tests/data/country_calling_codes.tsv`).
#[derive(Debug)]
pub(super) struct Entry {
    /// The calling code, 1 to 999.
    pub(super) code: u16,
    /// Every length a national significant number of this code can have, ascending (the
    /// longest may exceed what E.164's 15 digits leave).
    pub(super) nsn_lengths: &'static [u8],
    /// The national (trunk) prefix dialled before national numbers at home, `""` if none.
    pub(super) national_prefix: &'static str,
    /// The digits d for which some national significant number starts with `0d`; empty
    /// when none starts with 0.
    pub(super) digits_after_leading_zero: &'static [u8],
    /// ISO 3166-1 alpha-2 regions sharing the code, main region first; `001` for
    /// non-geographic codes.
    pub(super) regions: &'static [&'static str],
}

/// An assigned ITU-T E.164 country calling code (`1`, `44`, `880`, ...): a typed default for
/// [`PhoneNumber::normalize`], and the calling code of a parsed [`PhoneNumber`].
///
/// The 215 codes come from libphonenumber's metadata (phonenumbers 9.0.43). Reserved or
/// discontinued ITU codes that no number uses (`+388`, `+991`, `+999`) are not assigned here.
///
/// ```
/// use cognito_auth_core::phone_number::{CallingCode, PhoneNumberError};
///
/// let uk = CallingCode::new(44)?;
/// assert_eq!(uk.get(), 44);
/// assert_eq!(uk.to_string(), "+44");
/// assert_eq!(uk.regions(), ["GB", "GG", "IM", "JE"]);
/// assert_eq!(uk.national_number_lengths().collect::<Vec<_>>(), [7, 9, 10]);
/// assert_eq!(
///     CallingCode::new(999),
///     Err(PhoneNumberError::UnknownCallingCode { code: 999 })
/// );
/// # Ok::<(), PhoneNumberError>(())
/// ```
#[derive(Clone, Copy)]
pub struct CallingCode(&'static Entry);

impl CallingCode {
    /// The assigned calling code `code`, or [`PhoneNumberError::UnknownCallingCode`].
    pub fn new(code: u16) -> Result<Self, PhoneNumberError> {
        CALLING_CODES
            .binary_search_by_key(&code, |entry| entry.code)
            .ok()
            .and_then(|index| CALLING_CODES.get(index))
            .map(Self)
            .ok_or(PhoneNumberError::UnknownCallingCode { code })
    }

    /// Every assigned calling code, ascending.
    ///
    /// ```
    /// use cognito_auth_core::phone_number::CallingCode;
    ///
    /// assert_eq!(CallingCode::all().len(), 215);
    /// assert_eq!(CallingCode::all().next().map(CallingCode::get), Some(1));
    /// ```
    pub fn all() -> impl ExactSizeIterator<Item = Self> + DoubleEndedIterator + Clone {
        CALLING_CODES.iter().map(Self)
    }

    /// The code as a number (`44`).
    pub fn get(self) -> u16 {
        self.0.code
    }

    /// The regions that share this code as ISO 3166-1 alpha-2 codes, main region first
    /// (`["US", "AG", ...]` for 1, `["RU", "KZ"]` for 7), or `["001"]` for non-geographic
    /// codes such as 800 and 882.
    pub fn regions(self) -> &'static [&'static str] {
        self.0.regions
    }

    /// Every length a national significant number of this code can have, ascending, within
    /// E.164's 15 digits in all (Germany's 14- and 15-digit numbers are not E.164).
    ///
    /// ```
    /// use cognito_auth_core::phone_number::CallingCode;
    ///
    /// let germany = CallingCode::new(49)?;
    /// assert_eq!(germany.national_number_lengths().min(), Some(4));
    /// assert_eq!(germany.national_number_lengths().max(), Some(13));
    /// # Ok::<(), cognito_auth_core::phone_number::PhoneNumberError>(())
    /// ```
    pub fn national_number_lengths(self) -> impl DoubleEndedIterator<Item = usize> + Clone {
        let cap = self.max_national_digits();
        self.0
            .nsn_lengths
            .iter()
            .map(|&len| usize::from(len))
            .filter(move |&len| len <= cap)
    }

    /// How many digits the code itself has (1 to 3).
    pub(super) fn digit_count(self) -> usize {
        digit_count(self.0.code)
    }

    /// The code's digits (`[4, 4]` for 44).
    pub(super) fn digits(self) -> Digits {
        let code = self.get();
        let mut digits = Digits::new();
        for divisor in [100, 10, 1] {
            if code >= divisor || divisor == 1 {
                digits.push(u8::try_from(code / divisor % 10).unwrap_or(0));
            }
        }
        digits
    }

    /// The table row.
    pub(super) fn entry(self) -> &'static Entry {
        self.0
    }

    /// Digits E.164 leaves for the national number after this code.
    fn max_national_digits(self) -> usize {
        PhoneNumber::MAX_DIGITS.saturating_sub(self.digit_count())
    }

    /// The shortest national number length, within E.164.
    pub(super) fn min_national_len(self) -> usize {
        self.national_number_lengths().next().unwrap_or(0)
    }

    /// The longest national number length, within E.164.
    pub(super) fn max_national_len(self) -> usize {
        self.national_number_lengths().next_back().unwrap_or(0)
    }
}

/// Reads the calling code at the start of `digits` (values 0 to 9). Assigned codes are
/// prefix-free, so the first 1-, 2- or 3-digit prefix in the table is the only possible one.
pub(super) fn resolve(digits: &[u8]) -> Result<CallingCode, PhoneNumberError> {
    match digits.first() {
        None => return Err(PhoneNumberError::CallingCodeIncomplete),
        Some(0) => return Err(PhoneNumberError::CallingCodeStartsWithZero),
        Some(_) => {}
    }
    let mut code: u16 = 0;
    let mut read = 0;
    for &digit in digits.iter().take(3) {
        code = code * 10 + u16::from(digit);
        read += 1;
        if let Ok(found) = CallingCode::new(code) {
            return Ok(found);
        }
    }
    if read < 3 && starts_some_code(code, read) {
        Err(PhoneNumberError::CallingCodeIncomplete)
    } else {
        Err(PhoneNumberError::UnknownCallingCode { code })
    }
}

/// Whether the `len`-digit number `prefix` is a proper prefix of an assigned code.
fn starts_some_code(prefix: u16, len: usize) -> bool {
    CALLING_CODES.iter().any(|entry| {
        let mut code = entry.code;
        let mut digits = digit_count(code);
        if digits <= len {
            return false;
        }
        while digits > len {
            code /= 10;
            digits -= 1;
        }
        code == prefix
    })
}

fn digit_count(code: u16) -> usize {
    match code {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    }
}

impl PartialEq for CallingCode {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for CallingCode {}

impl PartialOrd for CallingCode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CallingCode {
    fn cmp(&self, other: &Self) -> Ordering {
        self.get().cmp(&other.get())
    }
}

impl Hash for CallingCode {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.get().hash(state);
    }
}

impl fmt::Debug for CallingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CallingCode").field(&self.get()).finish()
    }
}

/// `+44`.
impl fmt::Display for CallingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.get())
    }
}

impl TryFrom<u16> for CallingCode {
    type Error = PhoneNumberError;

    fn try_from(code: u16) -> Result<Self, Self::Error> {
        Self::new(code)
    }
}

impl From<CallingCode> for u16 {
    fn from(code: CallingCode) -> Self {
        code.get()
    }
}

#[cfg(test)]
mod tests {
    //! The generated table against the TSV it was generated from: a stale table fails here.

    use super::*;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    const TSV: &str = include_str!("../../tests/data/country_calling_codes.tsv");

    struct Row<'a> {
        code: u16,
        regions: Vec<&'a str>,
        lengths: Vec<u8>,
        min: u8,
        max: u8,
        max_e164_digits: usize,
        national_prefix: &'a str,
    }

    fn rows() -> Vec<Row<'static>> {
        let mut lines = TSV.lines().filter(|line| !line.starts_with('#'));
        assert_eq!(
            lines.next(),
            Some(
                "calling_code\tregions\tnsn_lengths\tmin_nsn\tmax_nsn\tmax_e164_digits\tnational_prefix\tinternational_prefix"
            ),
            "TSV header changed: update scripts/gen_calling_codes.py and this test"
        );
        lines
            .filter(|line| !line.is_empty())
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                assert_eq!(fields.len(), 8, "row {line:?}");
                Row {
                    code: fields[0].parse().unwrap(),
                    regions: fields[1].split(',').collect(),
                    lengths: fields[2].split(',').map(|n| n.parse().unwrap()).collect(),
                    min: fields[3].parse().unwrap(),
                    max: fields[4].parse().unwrap(),
                    max_e164_digits: fields[5].parse().unwrap(),
                    national_prefix: fields[6],
                }
            })
            .collect()
    }

    #[test]
    fn generated_table_matches_tsv_row_by_row() {
        let rows = rows();
        assert_eq!(
            CALLING_CODES.len(),
            rows.len(),
            "calling_codes.rs is stale: run scripts/gen_calling_codes.py"
        );
        for (entry, row) in CALLING_CODES.iter().zip(&rows) {
            let stale = "calling_codes.rs is stale: run scripts/gen_calling_codes.py";
            assert_eq!(entry.code, row.code, "{stale}");
            assert_eq!(
                entry.regions, row.regions,
                "+{}: regions; {stale}",
                row.code
            );
            assert_eq!(
                entry.nsn_lengths, row.lengths,
                "+{}: lengths; {stale}",
                row.code
            );
            assert_eq!(
                entry.nsn_lengths.first(),
                Some(&row.min),
                "+{}: min_nsn",
                row.code
            );
            assert_eq!(
                entry.nsn_lengths.last(),
                Some(&row.max),
                "+{}: max_nsn",
                row.code
            );
            assert_eq!(
                entry.national_prefix, row.national_prefix,
                "+{}: national_prefix; {stale}",
                row.code
            );
            assert_eq!(
                digit_count(entry.code) + usize::from(row.max),
                row.max_e164_digits,
                "+{}: max_e164_digits",
                row.code
            );
        }
    }

    #[test]
    fn table_is_sorted_and_prefix_free() {
        assert!(CALLING_CODES.windows(2).all(|w| w[0].code < w[1].code));
        let texts: Vec<String> = CALLING_CODES.iter().map(|e| e.code.to_string()).collect();
        for a in &texts {
            for b in &texts {
                assert!(
                    a == b || !b.starts_with(a.as_str()),
                    "+{a} is a prefix of +{b}"
                );
            }
        }
    }

    #[test]
    fn leading_zero_data_is_digits() {
        for entry in CALLING_CODES {
            assert!(
                entry
                    .digits_after_leading_zero
                    .windows(2)
                    .all(|w| w[0] < w[1])
                    && entry.digits_after_leading_zero.iter().all(|&d| d <= 9),
                "+{}",
                entry.code
            );
        }
        // The trunk-prefix rule's data: 0 is the trunk prefix and no national number starts
        // with 0 for exactly 95 codes (reference/totp-e164.md b.5).
        let trunk_only = CALLING_CODES
            .iter()
            .filter(|e| e.national_prefix == "0" && e.digits_after_leading_zero.is_empty())
            .count();
        assert_eq!(trunk_only, 95);
    }

    #[test]
    fn resolves_one_two_and_three_digit_codes() {
        assert_eq!(resolve(&[1, 2, 0, 6]).map(CallingCode::get), Ok(1));
        assert_eq!(resolve(&[7]).map(CallingCode::get), Ok(7));
        assert_eq!(resolve(&[4, 4, 7]).map(CallingCode::get), Ok(44));
        assert_eq!(resolve(&[3, 5, 4, 1]).map(CallingCode::get), Ok(354));
        assert_eq!(resolve(&[8, 8, 0]).map(CallingCode::get), Ok(880));
        assert_eq!(resolve(&[]), Err(PhoneNumberError::CallingCodeIncomplete));
        assert_eq!(resolve(&[4]), Err(PhoneNumberError::CallingCodeIncomplete));
        assert_eq!(
            resolve(&[4, 2]),
            Err(PhoneNumberError::CallingCodeIncomplete)
        );
        assert_eq!(
            resolve(&[2, 8]),
            Err(PhoneNumberError::UnknownCallingCode { code: 28 })
        );
        assert_eq!(
            resolve(&[9, 9, 9, 1]),
            Err(PhoneNumberError::UnknownCallingCode { code: 999 })
        );
        assert_eq!(
            resolve(&[0, 4, 4]),
            Err(PhoneNumberError::CallingCodeStartsWithZero)
        );
    }

    #[test]
    fn every_code_resolves_to_itself() {
        for code in CallingCode::all() {
            let digits: Vec<u8> = code.get().to_string().bytes().map(|b| b - b'0').collect();
            assert_eq!(resolve(&digits), Ok(code));
            assert_eq!(CallingCode::new(code.get()), Ok(code));
        }
        let assigned = (0..=u16::MAX)
            .filter(|&code| CallingCode::new(code).is_ok())
            .count();
        assert_eq!(assigned, 215);
    }
}
