//! Time as an input: [`UnixTime`] and the Cognito `TIMESTAMP` format.
//!
//! The core never reads a clock. Callers pass the current time as seconds since the Unix epoch
//! (UTC), and the core formats it the one way Cognito accepts.

use alloc::string::String;
use core::fmt::{self, Write};

/// Seconds since 1970-01-01T00:00:00Z, supplied by the caller.
///
/// ```
/// use cognito_auth_core::UnixTime;
///
/// let now = UnixTime::from_secs(1_793_689_509);
/// assert_eq!(now.cognito_timestamp(), "Tue Nov 3 07:05:09 UTC 2026");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The time `secs` seconds after the Unix epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// The SRP `TIMESTAMP` Cognito expects: Java's `EEE MMM d HH:mm:ss z yyyy` in `Locale.US` and
    /// UTC, e.g. `Tue Nov 3 07:05:09 UTC 2026`.
    ///
    /// English day and month names, the day of the month **without** a leading zero, a zero-padded
    /// 24-hour clock, the literal `UTC` and the full year. Cognito refuses other spellings (a
    /// padded day, a localised name, `24:00:00`) with `NotAuthorizedException`, so this never
    /// depends on a locale or a date library.
    pub fn cognito_timestamp(self) -> String {
        let mut out = String::with_capacity(28);
        // Writing into a String cannot fail.
        let _ = write!(out, "{}", CognitoTimestamp(self));
        out
    }
}

impl UnixTime {
    /// The time in ISO 8601 / RFC 3339 form, UTC, whole seconds: `2026-11-03T07:05:09Z` (what
    /// the AWS CLI's `credential_process` wants as `Expiration`).
    ///
    /// ```
    /// use cognito_auth_core::UnixTime;
    ///
    /// assert_eq!(UnixTime::from_secs(1_793_689_509).iso8601(), "2026-11-03T07:05:09Z");
    /// assert_eq!(UnixTime::from_secs(0).iso8601(), "1970-01-01T00:00:00Z");
    /// ```
    pub fn iso8601(self) -> String {
        let secs = self.as_secs();
        let (year, month, day) = civil_from_days(secs / 86_400);
        let second_of_day = secs % 86_400;
        let mut out = String::with_capacity(20);
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            second_of_day / 3600,
            (second_of_day / 60) % 60,
            second_of_day % 60
        );
        out
    }
}

/// `Display` adapter that writes the Cognito timestamp without allocating.
struct CognitoTimestamp(UnixTime);

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01 was a Thursday
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl fmt::Display for CognitoTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs();
        let days = secs / 86_400;
        let second_of_day = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        let weekday = WEEKDAYS.get((days % 7) as usize).copied().unwrap_or("???");
        let month_name = MONTHS
            .get(usize::from(month).wrapping_sub(1))
            .copied()
            .unwrap_or("???");
        write!(
            f,
            "{weekday} {month_name} {day} {:02}:{:02}:{:02} UTC {year}",
            second_of_day / 3600,
            (second_of_day / 60) % 60,
            second_of_day % 60
        )
    }
}

/// Proleptic Gregorian (year, month 1..=12, day 1..=31) of a day count since 1970-01-01.
///
/// Howard Hinnant's `civil_from_days`, restricted to non-negative day counts: eras of 400 years
/// (146 097 days) starting on March 1st, so that the leap day is the last day of an era-year.
fn civil_from_days(days: u64) -> (u64, u8, u8) {
    // Shift the epoch to 0000-03-01: 719 468 days before 1970-01-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097; // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // [0, 399]
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let month_index = (5 * day_of_year + 2) / 153; // [0, 11], March = 0
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u8; // [1, 31]
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u8; // [1, 12]
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(secs: u64) -> String {
        UnixTime::from_secs(secs).cognito_timestamp()
    }

    #[test]
    fn formats_the_vector_dates() {
        assert_eq!(ts(1_793_689_509), "Tue Nov 3 07:05:09 UTC 2026");
        assert_eq!(ts(1_835_481_599), "Tue Feb 29 23:59:59 UTC 2028");
        assert_eq!(ts(1_861_920_000), "Mon Jan 1 00:00:00 UTC 2029");
    }

    #[test]
    fn epoch_midnight_and_century_rules() {
        assert_eq!(ts(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(ts(951_782_400), "Tue Feb 29 00:00:00 UTC 2000"); // 2000 is a leap year
        assert_eq!(ts(4_107_542_399), "Sun Feb 28 23:59:59 UTC 2100"); // 2100 is not
        assert_eq!(ts(4_107_542_400), "Mon Mar 1 00:00:00 UTC 2100");
        assert_eq!(ts(1_497_510_000), "Thu Jun 15 07:00:00 UTC 2017");
        assert_eq!(ts(1_632_897_648), "Wed Sep 29 06:40:48 UTC 2021");
    }

    #[test]
    fn iso8601_agrees_with_the_cognito_timestamp() {
        for (secs, iso) in [
            (1_793_689_509, "2026-11-03T07:05:09Z"),
            (1_835_481_599, "2028-02-29T23:59:59Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ] {
            assert_eq!(UnixTime::from_secs(secs).iso8601(), iso, "{secs}");
        }
        assert!(UnixTime::from_secs(u64::MAX).iso8601().ends_with('Z'));
    }

    #[test]
    fn extreme_times_do_not_panic() {
        let far = ts(u64::MAX);
        assert!(far.ends_with(" UTC 584554051223"), "{far}");
    }
}
