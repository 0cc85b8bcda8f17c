//! `ClientTimezone` the way each platform's SDK writes it.

use alloc::string::String;
use core::fmt::Write as _;

/// How a platform writes the UTC offset in `ClientTimezone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimezoneStyle {
    /// Amplify Android (`TimeZone.getDefault().rawOffset`): `HH:MM`, with `-` only for a
    /// negative offset: `-07:00`, `05:30`, UTC `00:00`. Amplify Android's own test pins `00:00`
    /// for UTC.
    Android,
    /// Amplify Swift (`%+.2d:%.2d`): always a sign, `-07:00`, `+07:00`, UTC `+00:00`, as its
    /// `ASFCognitoTests` pin.
    Ios,
}

/// Formats a UTC offset of `offset_secs` seconds (east of Greenwich positive, e.g. −25200 for
/// UTC−7) as `ClientTimezone` in `style`. Seconds below a minute are dropped, as the SDKs do;
/// offsets beyond ±99:59 are clamped (real offsets stay within ±14:00).
///
/// ```
/// use cognito_auth_core::context_data::{format_timezone, TimezoneStyle};
///
/// assert_eq!(format_timezone(-25200, TimezoneStyle::Ios), "-07:00");
/// assert_eq!(format_timezone(25200, TimezoneStyle::Ios), "+07:00");
/// assert_eq!(format_timezone(0, TimezoneStyle::Ios), "+00:00");
/// assert_eq!(format_timezone(0, TimezoneStyle::Android), "00:00");
/// assert_eq!(format_timezone(19800, TimezoneStyle::Android), "05:30");
/// ```
pub fn format_timezone(offset_secs: i32, style: TimezoneStyle) -> String {
    let negative = offset_secs < 0;
    let minutes = (offset_secs.unsigned_abs() / 60).min(99 * 60 + 59);
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let sign = match (negative, style) {
        (true, _) => "-",
        (false, TimezoneStyle::Ios) => "+",
        (false, TimezoneStyle::Android) => "",
    };
    let mut out = String::with_capacity(6);
    // Writing into a String cannot fail.
    let _ = write!(out, "{sign}{hours:02}:{minutes:02}");
    out
}

/// Formats JavaScript's `Date.getTimezoneOffset()` (minutes *west* of UTC: 420 for UTC−7) with
/// an explicit sign, as the older Amplify React Native code did: 420 → `-07:00`,
/// −330 → `+05:30`, 570 → `-09:30`.
///
/// ```
/// use cognito_auth_core::context_data::format_js_timezone_offset;
///
/// assert_eq!(format_js_timezone_offset(420), "-07:00");
/// assert_eq!(format_js_timezone_offset(-330), "+05:30");
/// ```
pub fn format_js_timezone_offset(minutes_west: i32) -> String {
    let east_secs = minutes_west.saturating_mul(-60);
    format_timezone(east_secs, TimezoneStyle::Ios)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values the Amplify tests pin (beyond.md §1: amplify-swift `ASFCognitoTests`,
    /// amplify-android `DeviceDataCollectorTest`, the older amplify-js React Native test).
    #[test]
    fn amplify_pinned_values() {
        assert_eq!(format_timezone(-25200, TimezoneStyle::Ios), "-07:00");
        assert_eq!(format_timezone(25200, TimezoneStyle::Ios), "+07:00");
        assert_eq!(format_timezone(0, TimezoneStyle::Ios), "+00:00");
        assert_eq!(format_timezone(0, TimezoneStyle::Android), "00:00");
        assert_eq!(format_js_timezone_offset(420), "-07:00");
        assert_eq!(format_js_timezone_offset(-330), "+05:30");
        assert_eq!(format_js_timezone_offset(570), "-09:30");
    }

    #[test]
    fn android_signs_only_negative_offsets() {
        assert_eq!(format_timezone(-25200, TimezoneStyle::Android), "-07:00");
        assert_eq!(format_timezone(-12600, TimezoneStyle::Android), "-03:30");
        assert_eq!(format_timezone(45900, TimezoneStyle::Android), "12:45");
        assert_eq!(format_timezone(59, TimezoneStyle::Android), "00:00");
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(format_timezone(i32::MIN, TimezoneStyle::Ios), "-99:59");
        assert_eq!(format_timezone(i32::MAX, TimezoneStyle::Android), "99:59");
        assert_eq!(format_js_timezone_offset(i32::MIN), "+99:59");
    }
}
