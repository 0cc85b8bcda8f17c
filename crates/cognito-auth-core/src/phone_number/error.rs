//! [`PhoneNumberError`]: every way a phone number can be refused.

use core::fmt;

use super::PhoneNumber;
use super::calling_code::CallingCode;

/// A phone number was refused. Each variant names one rule of [`PhoneNumber::parse`] or
/// [`PhoneNumber::normalize`]; positions are byte offsets into the input string.
///
/// Character errors (the first bad character wins) are reported before errors about the
/// digits; among the latter the order is: calling code, total length, trunk prefix, national
/// number length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PhoneNumberError {
    /// Nothing to read: the input is empty or, for [`PhoneNumber::normalize`], holds only
    /// spaces, dashes, dots and brackets.
    Empty,
    /// [`PhoneNumber::parse`] only: the number does not start with `+` (`12065551212`).
    /// Cognito requires the `+`; [`PhoneNumber::normalize`] can supply it.
    MissingPlus,
    /// [`PhoneNumber::normalize`] only: the number has neither `+` nor a `00` international
    /// prefix, and no default calling code was given (`(206) 555-1212`, `07911 123456`).
    MissingCallingCode,
    /// A `+` after the first digit, or a second `+` (`+1206+5551212`, `++1…`, `00+44…`).
    MisplacedPlus {
        /// Byte offset of the `+`.
        position: usize,
    },
    /// A letter, in any script (`+1-800-FLOWERS`, `tel:+1…`). Letters are never converted
    /// to keypad digits: that silently turns a typo into someone else's number.
    Letter {
        /// Byte offset of the letter.
        position: usize,
        /// The letter.
        character: char,
    },
    /// An extension after the number (`ext. 123`, `x123`, `;ext=123`, `#123`, `,123`).
    /// Cognito's `phone_number` has no place for one.
    Extension {
        /// Byte offset where the extension starts.
        position: usize,
    },
    /// Any other character that is not allowed: for [`PhoneNumber::parse`] everything but
    /// ASCII digits and the leading `+` (spaces included), for [`PhoneNumber::normalize`]
    /// anything that is not a digit, `+` or a separator (`*`, `_`, emoji, digits of scripts
    /// other than ASCII, full-width and Arabic-Indic).
    InvalidCharacter {
        /// Byte offset of the character.
        position: usize,
        /// The character.
        character: char,
    },
    /// The digits end before a country calling code is complete: a lone `+`, `+4`, `+42`
    /// (only `+420`, `+421` and `+423` start so), or a lone `00`.
    CallingCodeIncomplete,
    /// The first digit after `+` (or `00`) is 0: no calling code starts with 0. Typing both
    /// `+` and `00` (`+0044…`) gives this.
    CallingCodeStartsWithZero,
    /// The number starts with a calling code that is not assigned (`+999…`, `+210…`), or
    /// [`CallingCode::new`] was given one.
    UnknownCallingCode {
        /// The unassigned code (for a number: its first three digits).
        code: u16,
    },
    /// More than [`PhoneNumber::MAX_DIGITS`] (15) digits in all, calling code included.
    TooLong {
        /// Digits counted (calling code included, a `00` prefix excluded).
        digits: usize,
    },
    /// [`PhoneNumber::normalize`] only: a `0` right after the calling code where it can only
    /// be the national trunk prefix typed by mistake (`+44 07911 123456`, `+44 (0)20 …`):
    /// the code's trunk prefix is 0 and no national number there starts with that 0 and the
    /// digit after it. Drop the 0.
    TrunkPrefix {
        /// The calling code after which the 0 was typed.
        calling_code: u16,
    },
    /// The national significant number (the digits after the calling code) is shorter than
    /// any number of that calling code.
    NationalNumberTooShort {
        /// The calling code.
        calling_code: u16,
        /// Digits after the calling code.
        len: usize,
        /// The shortest national number of that code.
        min: usize,
    },
    /// The national significant number is longer than any number of that calling code.
    NationalNumberTooLong {
        /// The calling code.
        calling_code: u16,
        /// Digits after the calling code.
        len: usize,
        /// The longest national number of that code (within E.164's 15 digits).
        max: usize,
    },
    /// The national significant number is between the shortest and the longest of that
    /// calling code, but no number there has this length (`+7` numbers have 10 or 14 digits,
    /// so 11 is refused: typically the trunk prefix 8 kept after `+7`).
    NationalNumberLengthInvalid {
        /// The calling code.
        calling_code: u16,
        /// Digits after the calling code.
        len: usize,
    },
}

impl fmt::Display for PhoneNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Empty => f.write_str("phone number is empty"),
            Self::MissingPlus => f.write_str(
                "phone number must start with + and the country calling code, like +12065551212",
            ),
            Self::MissingCallingCode => f.write_str(
                "phone number has no country calling code: start it with + (like +44 7911 123456)",
            ),
            Self::MisplacedPlus { position } => write!(
                f,
                "phone number has a + at byte {position}; + may only start the number"
            ),
            Self::Letter {
                position,
                character,
            } => write!(
                f,
                "phone number has the letter {character:?} at byte {position}; use digits only"
            ),
            Self::Extension { position } => write!(
                f,
                "phone number has an extension at byte {position}; extensions are not supported"
            ),
            Self::InvalidCharacter {
                position,
                character,
            } => write!(
                f,
                "phone number has the character {character:?} at byte {position}, which is not allowed"
            ),
            Self::CallingCodeIncomplete => {
                f.write_str("phone number ends before the country calling code is complete")
            }
            Self::CallingCodeStartsWithZero => f.write_str(
                "country calling code cannot start with 0 (type either + or 00, not both)",
            ),
            Self::UnknownCallingCode { code } => {
                write!(f, "+{code} is not an assigned country calling code")
            }
            Self::TooLong { digits } => write!(
                f,
                "phone number has {digits} digits; E.164 allows at most {}",
                PhoneNumber::MAX_DIGITS
            ),
            Self::TrunkPrefix { calling_code } => write!(
                f,
                "phone number has a trunk prefix 0 after +{calling_code}; drop that 0"
            ),
            Self::NationalNumberTooShort {
                calling_code,
                len,
                min,
            } => write!(
                f,
                "phone number has {len} digits after +{calling_code}; at least {min} are needed"
            ),
            Self::NationalNumberTooLong {
                calling_code,
                len,
                max,
            } => write!(
                f,
                "phone number has {len} digits after +{calling_code}; at most {max} are allowed"
            ),
            Self::NationalNumberLengthInvalid { calling_code, len } => {
                write!(f, "phone number has {len} digits after +{calling_code}")?;
                if let Ok(code) = CallingCode::new(calling_code) {
                    f.write_str("; numbers there have ")?;
                    let mut lengths = code.national_number_lengths().peekable();
                    let mut first = true;
                    while let Some(allowed) = lengths.next() {
                        let separator = match (first, lengths.peek().is_some()) {
                            (true, _) => "",
                            (false, true) => ", ",
                            (false, false) => " or ",
                        };
                        write!(f, "{separator}{allowed}")?;
                        first = false;
                    }
                    f.write_str(" digits")?;
                }
                Ok(())
            }
        }
    }
}

impl core::error::Error for PhoneNumberError {}
