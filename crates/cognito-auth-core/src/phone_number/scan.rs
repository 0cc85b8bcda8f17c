//! Reading the characters of a phone number: digits, `+`, separators, and what is refused.

use super::PhoneNumberError;

/// How tolerant the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// `+` and ASCII digits only: the wire format.
    Strict,
    /// User input: separators are dropped, full-width and Arabic-Indic digits and `＋` read.
    Lenient,
}

/// The digits of a number as values 0 to 9. Only the first [`Digits::KEPT`] are kept (no
/// reading of a number is shorter than its digits minus three, so more than that is too long
/// for E.164 in every reading), but all are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Digits {
    kept: [u8; Self::KEPT],
    count: usize,
}

impl Digits {
    /// 15 digits, plus a `00` prefix or a default calling code (3) and a trunk prefix (2).
    const KEPT: usize = 20;

    pub(super) const fn new() -> Self {
        Self {
            kept: [0; Self::KEPT],
            count: 0,
        }
    }

    /// The ASCII digits of `text` (a national prefix from the table).
    pub(super) fn from_ascii(text: &str) -> Self {
        let mut digits = Self::new();
        for byte in text.bytes().filter(u8::is_ascii_digit) {
            digits.push(byte - b'0');
        }
        digits
    }

    /// Appends a digit (0 to 9).
    pub(super) fn push(&mut self, digit: u8) {
        if let Some(slot) = self.kept.get_mut(self.count) {
            *slot = digit;
        }
        self.count = self.count.saturating_add(1);
    }

    /// How many digits there are, kept or not.
    pub(super) const fn len(&self) -> usize {
        self.count
    }

    /// The kept digits: all of them when `len() <= KEPT`.
    pub(super) fn kept(&self) -> &[u8] {
        self.kept
            .get(..self.count.min(Self::KEPT))
            .unwrap_or_default()
    }

    /// Whether the digits start with `prefix`.
    pub(super) fn starts_with(&self, prefix: &[u8]) -> bool {
        self.kept().starts_with(prefix)
    }

    /// These digits without the first `n` (of the kept ones).
    pub(super) fn skip(&self, n: usize) -> Self {
        let mut rest = Self::new();
        for &digit in self.kept().iter().skip(n) {
            rest.push(digit);
        }
        rest.count = self.count.saturating_sub(n);
        rest
    }

    /// `prefix` followed by these digits.
    pub(super) fn after(&self, prefix: &[u8]) -> Self {
        let mut joined = Self::new();
        for &digit in prefix.iter().chain(self.kept()) {
            joined.push(digit);
        }
        joined.count = self.count.saturating_add(prefix.len());
        joined
    }
}

/// What the reader found: whether the number starts with `+`, and its digits.
#[derive(Debug)]
pub(super) struct Scanned {
    pub(super) plus: bool,
    pub(super) digits: Digits,
}

/// Reads `input`, refusing at the first character that cannot be part of a phone number.
pub(super) fn scan(input: &str, mode: Mode) -> Result<Scanned, PhoneNumberError> {
    let mut plus = false;
    let mut digits = Digits::new();
    for (position, character) in input.char_indices() {
        if let Some(digit) = digit_value(character, mode) {
            digits.push(digit);
        } else if character == '+' || (mode == Mode::Lenient && character == '\u{FF0B}') {
            if plus || digits.len() > 0 {
                return Err(PhoneNumberError::MisplacedPlus { position });
            }
            plus = true;
        } else if mode == Mode::Lenient && is_separator(character) {
            // Formatting only.
        } else if digits.len() > 0 && input.get(position..).is_some_and(starts_extension) {
            return Err(PhoneNumberError::Extension { position });
        } else if character.is_alphabetic() {
            return Err(PhoneNumberError::Letter {
                position,
                character,
            });
        } else {
            return Err(PhoneNumberError::InvalidCharacter {
                position,
                character,
            });
        }
    }
    Ok(Scanned { plus, digits })
}

/// The value of a decimal digit: ASCII, and in lenient mode also full-width (U+FF10..),
/// Arabic-Indic (U+0660..) and Eastern Arabic-Indic / Persian (U+06F0..) digits.
fn digit_value(character: char, mode: Mode) -> Option<u8> {
    let zero = match character {
        '0'..='9' => '0',
        '\u{FF10}'..='\u{FF19}' if mode == Mode::Lenient => '\u{FF10}',
        '\u{0660}'..='\u{0669}' if mode == Mode::Lenient => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' if mode == Mode::Lenient => '\u{06F0}',
        _ => return None,
    };
    u32::from(character)
        .checked_sub(u32::from(zero))
        .and_then(|value| u8::try_from(value).ok())
}

/// Characters people and phones put between digits: Unicode white space (NBSP, thin and
/// ideographic spaces included), dashes, dots, brackets, slashes, and invisible formatting
/// (zero-width space, soft hyphen, BOM, bidirectional marks that RTL text wraps numbers in).
fn is_separator(character: char) -> bool {
    character.is_whitespace()
        || matches!(
            character,
            // What people type between digit groups.
            '-' | '.' | '(' | ')' | '[' | ']' | '/'
            // Hyphens and dashes, the minus sign, and the katakana prolonged sound mark that
            // Japanese input methods give for a dash.
            | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}'
            // Full-width ( ) - . / [ ]
            | '\u{FF08}' | '\u{FF09}' | '\u{FF0D}' | '\u{FF0E}' | '\u{FF0F}' | '\u{FF3B}' | '\u{FF3D}'
            // Invisible: soft hyphen, Arabic letter mark, zero-width space and joiners, LRM and
            // RLM, bidi embeddings and overrides, word joiner, bidi isolates, BOM.
            | '\u{00AD}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// Whether `rest` starts an extension: a marker (`ext`, `x`, `;ext=`, `#`, `,`, `;`, ...),
/// then optional separators or `:=,;#`, then a digit.
fn starts_extension(rest: &str) -> bool {
    const MARKERS: [&str; 8] = [";ext=", "extension", "extn", "ext", "x", "#", ",", ";"];
    MARKERS.iter().any(|marker| {
        rest.get(..marker.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(marker))
            && rest
                .get(marker.len()..)
                .and_then(|after| {
                    after
                        .chars()
                        .find(|&c| !(is_separator(c) || matches!(c, ':' | '=' | ',' | ';' | '#')))
                })
                .is_some_and(|c| digit_value(c, Mode::Lenient).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_every_supported_script() {
        for (zero, mode) in [
            ('0', Mode::Strict),
            ('\u{FF10}', Mode::Lenient),
            ('\u{0660}', Mode::Lenient),
            ('\u{06F0}', Mode::Lenient),
        ] {
            for value in 0..10_u8 {
                let c = char::from_u32(u32::from(zero) + u32::from(value)).unwrap();
                assert_eq!(digit_value(c, Mode::Lenient), Some(value), "{c:?}");
                assert_eq!(digit_value(c, mode), Some(value), "{c:?}");
            }
        }
        assert_eq!(digit_value('\u{FF11}', Mode::Strict), None);
        assert_eq!(digit_value('\u{0966}', Mode::Lenient), None); // Devanagari: not read
        assert_eq!(digit_value('a', Mode::Lenient), None);
    }

    #[test]
    fn digits_keep_twenty_and_count_all() {
        let mut digits = Digits::new();
        for i in 0..25_u8 {
            digits.push(i % 10);
        }
        assert_eq!(digits.len(), 25);
        assert_eq!(digits.kept().len(), 20);
        assert_eq!(digits.skip(2).len(), 23);
        assert_eq!(digits.skip(2).kept().first(), Some(&2));
        assert_eq!(digits.after(&[4, 4]).len(), 27);
        assert_eq!(digits.after(&[4, 4]).kept().get(..3), Some(&[4, 4, 0][..]));
    }

    #[test]
    fn extension_markers() {
        for rest in [
            "ext. 123",
            "EXT123",
            "extension 5",
            "extn: 5",
            "x123",
            "X 123",
            ";ext=123",
            "#123",
            ",,123",
            ";123",
        ] {
            assert!(starts_extension(rest), "{rest}");
        }
        for rest in ["x", "ext", "#", "e1", "xyz1", "exit 1"] {
            assert!(!starts_extension(rest), "{rest}");
        }
    }
}
