//! E.164 phone numbers, as Cognito's `phone_number` attribute and phone-number usernames want
//! them: `+`, the country calling code and the national significant number (NSN), at most 15
//! digits, nothing else (`+12065551212`). Cognito answers anything else with
//! `InvalidParameterException: Invalid phone number format.`; this module says what is wrong
//! before a request is built.
//!
//! Two ways in:
//! - [`PhoneNumber::parse`] is strict: for values that should already be E.164 (from Cognito,
//!   from storage, from a form that formats itself).
//! - [`PhoneNumber::normalize`] reads what a person typed (`+1 (206) 555-1212`,
//!   `0044 7911 123456`, `٠٧٩١١ ١٢٣٤٥٦` with a default calling code) and returns the E.164
//!   form, or says what to fix. It never guesses: letters, extensions and a trunk `0` after the
//!   calling code are refused, not silently rewritten.
//!
//! | rule | `parse` | `normalize` |
//! |---|---|---|
//! | starts with `+` | required ([`MissingPlus`]) | `+`, `＋`, or `00`; else the default calling code, else [`MissingCallingCode`] |
//! | digits | ASCII | ASCII, full-width, Arabic-Indic, Eastern Arabic-Indic (Persian) |
//! | spaces, `-`, `.`, `()`, `[]`, `/`, NBSP, bidi marks... | [`InvalidCharacter`] | dropped |
//! | letters (`1-800-FLOWERS`, `tel:`) | [`Letter`] | [`Letter`] |
//! | extension (`x123`, `ext. 123`, `;ext=123`, `#123`) | [`Extension`] | [`Extension`] |
//! | a `+` anywhere but first | [`MisplacedPlus`] | [`MisplacedPlus`] |
//! | assigned calling code (prefix-free table of 215) | [`UnknownCallingCode`], [`CallingCodeIncomplete`], [`CallingCodeStartsWithZero`] | same |
//! | at most 15 digits in all | [`TooLong`] | [`TooLong`] |
//! | NSN length is one the calling code uses | [`NationalNumberTooShort`], [`NationalNumberTooLong`], [`NationalNumberLengthInvalid`] | same |
//! | no trunk `0` right after the calling code | not checked | [`TrunkPrefix`] |
//!
//! **The trunk-prefix rule.** Many countries dial a trunk prefix `0` before national numbers
//! at home (UK `07911 123456`) and drop it after the calling code (`+44 7911 123456`).
//! `normalize` refuses a `0` right after the calling code when the table says the code's
//! national prefix is `0` *and* no national number of that code starts with `0` followed by
//! the next digit typed. So `+44 07911…`, `+49 030…` and `+81 090…` are refused, while Italy
//! (`+39 06…`, no trunk prefix) and Japan's `+81 00777…` toll-free range (national numbers
//! that really start with `00`) pass. The data is libphonenumber's (phonenumbers 9.0.43);
//! see `scripts/gen_calling_codes.py`.
//!
//! With a default calling code, a number typed in national format is read the way it is
//! dialled at home: if the digits as typed are refused, the national prefix (`0`, or `1`, `8`,
//! `06` where those are the trunk prefix) or the calling code typed without `+` is dropped, when
//! that gives an acceptable number (`07911 123456` with default +44 is `+447911123456`).
//!
//! Validation stops at lengths: there are no per-region number patterns (libphonenumber's
//! `is_valid_number`, half a megabyte of regexes). A number that passes has the right shape for
//! its calling code; whether it is in service is for Cognito's SMS to find out.
//!
//! ```
//! use cognito_auth_core::phone_number::{CallingCode, PhoneNumber, PhoneNumberError};
//!
//! let typed = PhoneNumber::normalize("+1 (206) 555-1212", None)?;
//! assert_eq!(typed.as_str(), "+12065551212"); // what goes into USERNAME or phone_number
//! assert_eq!(typed.country_calling_code(), 1);
//! assert_eq!(typed.national_significant_number(), "2065551212");
//!
//! let uk = CallingCode::new(44)?;
//! assert_eq!(PhoneNumber::normalize("07911 123456", Some(uk))?.as_str(), "+447911123456");
//! assert_eq!(
//!     PhoneNumber::normalize("+44 07911 123456", None),
//!     Err(PhoneNumberError::TrunkPrefix { calling_code: 44 })
//! );
//! assert_eq!(
//!     PhoneNumber::parse("+1 206 555 1212"), // strict: digits only
//!     Err(PhoneNumberError::InvalidCharacter { position: 2, character: ' ' })
//! );
//! # Ok::<(), PhoneNumberError>(())
//! ```
//!
//! [`MissingPlus`]: PhoneNumberError::MissingPlus
//! [`MissingCallingCode`]: PhoneNumberError::MissingCallingCode
//! [`InvalidCharacter`]: PhoneNumberError::InvalidCharacter
//! [`Letter`]: PhoneNumberError::Letter
//! [`Extension`]: PhoneNumberError::Extension
//! [`MisplacedPlus`]: PhoneNumberError::MisplacedPlus
//! [`UnknownCallingCode`]: PhoneNumberError::UnknownCallingCode
//! [`CallingCodeIncomplete`]: PhoneNumberError::CallingCodeIncomplete
//! [`CallingCodeStartsWithZero`]: PhoneNumberError::CallingCodeStartsWithZero
//! [`TooLong`]: PhoneNumberError::TooLong
//! [`NationalNumberTooShort`]: PhoneNumberError::NationalNumberTooShort
//! [`NationalNumberTooLong`]: PhoneNumberError::NationalNumberTooLong
//! [`NationalNumberLengthInvalid`]: PhoneNumberError::NationalNumberLengthInvalid
//! [`TrunkPrefix`]: PhoneNumberError::TrunkPrefix

mod calling_code;
mod calling_codes;
mod error;
mod scan;

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

pub use calling_code::CallingCode;
pub use error::PhoneNumberError;

use scan::{Digits, Mode, Scanned, scan};

/// A valid E.164 phone number: `+`, an assigned country calling code and a national
/// significant number of a length that code uses, 15 digits at most.
///
/// ```
/// use cognito_auth_core::phone_number::PhoneNumber;
///
/// let number: PhoneNumber = "+390669812345".parse()?; // Italy keeps its leading 0
/// assert_eq!(number.country_calling_code(), 39);
/// assert_eq!(number.national_significant_number(), "0669812345");
/// assert_eq!(number.to_string(), "+390669812345");
/// # Ok::<(), cognito_auth_core::phone_number::PhoneNumberError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber {
    /// `+` and the digits.
    e164: String,
    calling_code: CallingCode,
}

impl PhoneNumber {
    /// Most digits an E.164 number has, calling code included (ITU-T E.164 §6).
    pub const MAX_DIGITS: usize = 15;

    /// Checks a number that should already be E.164: `+` then ASCII digits, nothing else (no
    /// spaces, no separators), an assigned calling code, at most 15 digits, and a national
    /// number length that calling code uses.
    ///
    /// The trunk-prefix rule of [`normalize`](Self::normalize) is not applied, so a number
    /// that Cognito already holds in that form still parses.
    ///
    /// ```
    /// use cognito_auth_core::phone_number::{PhoneNumber, PhoneNumberError};
    ///
    /// assert_eq!(PhoneNumber::parse("+8801712345678")?.country_calling_code(), 880);
    /// assert_eq!(PhoneNumber::parse("12065551212"), Err(PhoneNumberError::MissingPlus));
    /// assert_eq!(
    ///     PhoneNumber::parse("+999123456789"),
    ///     Err(PhoneNumberError::UnknownCallingCode { code: 999 })
    /// );
    /// # Ok::<(), PhoneNumberError>(())
    /// ```
    pub fn parse(input: &str) -> Result<Self, PhoneNumberError> {
        if input.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        let Scanned { plus, digits } = scan(input, Mode::Strict)?;
        if !plus {
            return Err(PhoneNumberError::MissingPlus);
        }
        Self::from_digits(&digits, Mode::Strict)
    }

    /// Reads a phone number as a person typed it and returns its E.164 form.
    ///
    /// - Spaces (any Unicode white space), dashes, dots, brackets, slashes and invisible
    ///   formatting characters are dropped.
    /// - Full-width (`０`..`９`), Arabic-Indic (`٠`..`٩`) and Eastern Arabic-Indic / Persian
    ///   (`۰`..`۹`) digits are read as `0`..`9`; full-width `＋` as `+`.
    /// - A leading `00` (the international prefix of most countries) stands for `+`.
    /// - Without `+` or `00`, `default_calling_code` is put in front (the country picked in
    ///   a sign-up form); the national trunk prefix typed before a national number, or the
    ///   calling code typed without `+`, is dropped when the number as typed is refused and
    ///   the shorter one is not. Without a default the number is refused
    ///   ([`PhoneNumberError::MissingCallingCode`]): other international prefixes, like the
    ///   NANP's `011`, are not guessed.
    /// - A `0` right after the calling code is refused where it can only be a trunk prefix
    ///   ([`PhoneNumberError::TrunkPrefix`]; see the [module docs](self)).
    ///
    /// Then the rules of [`parse`](Self::parse) apply; `normalize` of its own output returns
    /// the same number.
    ///
    /// ```
    /// use cognito_auth_core::phone_number::{CallingCode, PhoneNumber, PhoneNumberError};
    ///
    /// let n = |input, default| PhoneNumber::normalize(input, default).map(|p| p.to_string());
    /// assert_eq!(n("+1 (206) 555-1212", None)?, "+12065551212");
    /// assert_eq!(n("0049 30 1234567", None)?, "+49301234567");
    /// assert_eq!(n("＋４４ ７９１１ １２３４５６", None)?, "+447911123456");
    /// assert_eq!(n("(206) 555-1212", Some(CallingCode::new(1)?))?, "+12065551212");
    /// assert_eq!(n("030 1234567", Some(CallingCode::new(49)?))?, "+49301234567");
    /// assert_eq!(n("(206) 555-1212", None), Err(PhoneNumberError::MissingCallingCode));
    /// assert_eq!(
    ///     n("+1 206 555 1212 ext. 7", None),
    ///     Err(PhoneNumberError::Extension { position: 16 })
    /// );
    /// # Ok::<(), PhoneNumberError>(())
    /// ```
    pub fn normalize(
        input: &str,
        default_calling_code: Option<CallingCode>,
    ) -> Result<Self, PhoneNumberError> {
        let Scanned { plus, digits } = scan(input, Mode::Lenient)?;
        if plus {
            return Self::from_digits(&digits, Mode::Lenient);
        }
        if digits.len() == 0 {
            return Err(PhoneNumberError::Empty);
        }
        if digits.starts_with(&[0, 0]) {
            return Self::from_digits(&digits.skip(2), Mode::Lenient);
        }
        match default_calling_code {
            Some(code) => Self::with_default_calling_code(&digits, code),
            None => Err(PhoneNumberError::MissingCallingCode),
        }
    }

    /// The number as Cognito wants it: `+12065551212`.
    pub fn as_str(&self) -> &str {
        &self.e164
    }

    /// The country calling code (`1` for `+12065551212`).
    pub fn country_calling_code(&self) -> u16 {
        self.calling_code.get()
    }

    /// The country calling code with what the table knows about it (regions, lengths).
    pub fn calling_code(&self) -> CallingCode {
        self.calling_code
    }

    /// The digits after the calling code (`2065551212` for `+12065551212`).
    pub fn national_significant_number(&self) -> &str {
        self.e164
            .get(1 + self.calling_code.digit_count()..)
            .unwrap_or_default()
    }

    /// Reads `national` in a country whose calling code is `code`.
    fn with_default_calling_code(
        national: &Digits,
        code: CallingCode,
    ) -> Result<Self, PhoneNumberError> {
        let code_digits = code.digits();
        let as_typed = Self::from_digits(&national.after(code_digits.kept()), Mode::Lenient);
        if as_typed.is_ok() {
            return as_typed;
        }
        // Dialled at home with the trunk prefix: `07911 123456` in the UK, `8 912 …` in Russia.
        let trunk_prefix = Digits::from_ascii(code.entry().national_prefix);
        if trunk_prefix.len() > 0 && national.starts_with(trunk_prefix.kept()) {
            let stripped = national.skip(trunk_prefix.len()).after(code_digits.kept());
            let without_prefix = Self::from_digits(&stripped, Mode::Lenient);
            if without_prefix.is_ok()
                || matches!(as_typed, Err(PhoneNumberError::TrunkPrefix { .. }))
            {
                return without_prefix;
            }
        }
        // The calling code typed without `+`: `44 7911 123456`.
        if national.starts_with(code_digits.kept()) {
            let international = Self::from_digits(national, Mode::Lenient);
            if international.is_ok() {
                return international;
            }
        }
        as_typed
    }

    /// Checks calling code and lengths of `digits` (calling code first) and builds the number.
    /// `Mode::Lenient` (user input) adds the trunk-prefix rule.
    fn from_digits(digits: &Digits, mode: Mode) -> Result<Self, PhoneNumberError> {
        let calling_code = calling_code::resolve(digits.kept())?;
        if digits.len() > Self::MAX_DIGITS {
            return Err(PhoneNumberError::TooLong {
                digits: digits.len(),
            });
        }
        let national = digits
            .kept()
            .get(calling_code.digit_count()..)
            .unwrap_or_default();
        if mode == Mode::Lenient && is_trunk_prefix(calling_code, national) {
            return Err(PhoneNumberError::TrunkPrefix {
                calling_code: calling_code.get(),
            });
        }
        check_national_length(calling_code, national.len())?;
        let mut e164 = String::with_capacity(1 + digits.len());
        e164.push('+');
        e164.extend(
            digits
                .kept()
                .iter()
                .filter_map(|&digit| char::from_digit(u32::from(digit), 10)),
        );
        Ok(Self { e164, calling_code })
    }
}

/// Whether `national` starts with a `0` that can only be the trunk prefix of `code`.
fn is_trunk_prefix(code: CallingCode, national: &[u8]) -> bool {
    let entry = code.entry();
    if entry.national_prefix != "0" {
        return false;
    }
    match national {
        [0] => entry.digits_after_leading_zero.is_empty(),
        [0, next, ..] => !entry.digits_after_leading_zero.contains(next),
        _ => false,
    }
}

fn check_national_length(code: CallingCode, len: usize) -> Result<(), PhoneNumberError> {
    let calling_code = code.get();
    let (min, max) = (code.min_national_len(), code.max_national_len());
    if len < min {
        Err(PhoneNumberError::NationalNumberTooShort {
            calling_code,
            len,
            min,
        })
    } else if len > max {
        Err(PhoneNumberError::NationalNumberTooLong {
            calling_code,
            len,
            max,
        })
    } else if !code.national_number_lengths().any(|allowed| allowed == len) {
        Err(PhoneNumberError::NationalNumberLengthInvalid { calling_code, len })
    } else {
        Ok(())
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)
    }
}

/// [`PhoneNumber::parse`]: strict E.164.
impl FromStr for PhoneNumber {
    type Err = PhoneNumberError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

impl AsRef<str> for PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.e164
    }
}

impl From<PhoneNumber> for String {
    fn from(number: PhoneNumber) -> Self {
        number.e164
    }
}
