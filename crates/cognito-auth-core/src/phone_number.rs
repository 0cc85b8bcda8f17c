//! E.164 phone numbers as Cognito's `phone_number` attribute wants them.
//! (Placeholder replaced by the phone-number work: only the error type exists so far.)

use core::fmt;

/// A phone number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PhoneNumberError {}

impl fmt::Display for PhoneNumberError {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl core::error::Error for PhoneNumberError {}
