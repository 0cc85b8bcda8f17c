//! The username a first request carries.

use alloc::string::String;

use crate::phone_number::PhoneNumber;

/// The username to send first: a phone number typed with `+` is normalised to E.164
/// (`+1 (206) 555-1212` → `+12065551212`); anything else (an email, a free username) is sent
/// exactly as typed.
pub(crate) fn request_username(typed: &str) -> String {
    let trimmed = typed.trim();
    if (trimmed.starts_with('+') || trimmed.starts_with('\u{ff0b}'))
        && let Ok(number) = PhoneNumber::normalize(trimmed, None)
    {
        return String::from(number.as_str());
    }
    String::from(typed)
}
