//! RFC 6238 TOTP: [`Totp`] (the parameters) and [`TimeStep`] (the counter T).

use super::error::TotpError;
use super::hotp::{Code, hotp};
use super::parameters::{Algorithm, Digits, Period};
use super::secret::TotpSecret;
use crate::time::UnixTime;

/// The time step T = floor((time - T0) / period) of RFC 6238 §4.2, the HOTP counter.
///
/// [`Totp::verify`] returns the step a code matched. Store it per user and pass it back through
/// [`VerifyOptions::with_last_used_step`](super::VerifyOptions::with_last_used_step), so that
/// the same code (or an older one) is not accepted twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeStep(u64);

impl TimeStep {
    /// The step with counter value `counter` (for example one read back from storage).
    pub const fn new(counter: u64) -> Self {
        Self(counter)
    }

    /// The counter value fed to HOTP.
    pub const fn counter(self) -> u64 {
        self.0
    }
}

/// TOTP parameters: hash, digits, period and start time T0. Computes and verifies codes.
///
/// The default, [`Totp::COGNITO`], is RFC 6238's and the only one Cognito's software-token MFA
/// uses: SHA-1, 6 digits, 30 seconds, T0 = 0.
///
/// ```
/// use cognito_auth_core::UnixTime;
/// use cognito_auth_core::totp::{Algorithm, Digits, Period, Totp, TotpSecret};
///
/// // RFC 6238 Appendix B, SHA-256 (with the 32-byte seed the reference code really uses).
/// let seed = TotpSecret::from_bytes(b"12345678901234567890123456789012")?;
/// let totp = Totp::new(Algorithm::Sha256, Digits::Eight, Period::DEFAULT);
/// assert_eq!(totp.code(&seed, UnixTime::from_secs(59))?.as_str(), "46119246");
/// assert_eq!(totp.time_step(UnixTime::from_secs(59))?.counter(), 1);
/// # Ok::<(), cognito_auth_core::totp::TotpError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Totp {
    algorithm: Algorithm,
    digits: Digits,
    period: Period,
    t0: UnixTime,
}

impl Totp {
    /// SHA-1, 6 digits, 30 seconds, T0 = 0: RFC 6238's defaults and Cognito's parameters.
    pub const COGNITO: Self = Self::new(Algorithm::Sha1, Digits::Six, Period::DEFAULT);

    /// TOTP with these parameters and T0 = 0 (the Unix epoch).
    pub const fn new(algorithm: Algorithm, digits: Digits, period: Period) -> Self {
        Self {
            algorithm,
            digits,
            period,
            t0: UnixTime::from_secs(0),
        }
    }

    /// The same parameters counting steps from `t0` instead of the Unix epoch.
    pub const fn with_t0(self, t0: UnixTime) -> Self {
        Self { t0, ..self }
    }

    /// The hash function.
    pub const fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The number of digits.
    pub const fn digits(&self) -> Digits {
        self.digits
    }

    /// The time step X.
    pub const fn period(&self) -> Period {
        self.period
    }

    /// The start time T0.
    pub const fn t0(&self) -> UnixTime {
        self.t0
    }

    /// The time step that contains `time`; [`TotpError::TimeBeforeT0`] if `time` < T0.
    pub fn time_step(&self, time: UnixTime) -> Result<TimeStep, TotpError> {
        let elapsed = time
            .as_secs()
            .checked_sub(self.t0.as_secs())
            .ok_or(TotpError::TimeBeforeT0)?;
        Ok(TimeStep(elapsed / self.period.as_non_zero()))
    }

    /// The code at `time`.
    pub fn code(&self, secret: &TotpSecret, time: UnixTime) -> Result<Code, TotpError> {
        Ok(self.code_at_step(secret, self.time_step(time)?))
    }

    /// The code of a given time step.
    pub fn code_at_step(&self, secret: &TotpSecret, step: TimeStep) -> Code {
        hotp(secret, self.algorithm, self.digits, step.0)
    }
}

impl Default for Totp {
    fn default() -> Self {
        Self::COGNITO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha1_seed() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890").unwrap()
    }

    #[test]
    fn default_is_sha1_6_digits_30_seconds_from_the_epoch() {
        let totp = Totp::default();
        assert_eq!(totp, Totp::COGNITO);
        assert_eq!(totp.algorithm(), Algorithm::Sha1);
        assert_eq!(totp.digits(), Digits::Six);
        assert_eq!(totp.period().as_secs(), 30);
        assert_eq!(totp.t0(), UnixTime::from_secs(0));
    }

    #[test]
    fn six_digit_codes_are_the_last_six_of_eight() {
        let code = Totp::COGNITO.code(&sha1_seed(), UnixTime::from_secs(59));
        assert_eq!(code.unwrap().as_str(), "287082"); // 94287082
    }

    #[test]
    fn times_before_t0_are_an_error_not_a_wrap() {
        let totp = Totp::COGNITO.with_t0(UnixTime::from_secs(1_000));
        assert_eq!(
            totp.time_step(UnixTime::from_secs(999)),
            Err(TotpError::TimeBeforeT0)
        );
        assert_eq!(
            totp.code(&sha1_seed(), UnixTime::from_secs(0)),
            Err(TotpError::TimeBeforeT0)
        );
        assert_eq!(
            totp.time_step(UnixTime::from_secs(1_029)),
            Ok(TimeStep::new(0))
        );
        assert_eq!(
            totp.time_step(UnixTime::from_secs(1_030)),
            Ok(TimeStep::new(1))
        );
    }

    #[test]
    fn extreme_times_and_periods() {
        let one_second = Totp::new(Algorithm::Sha1, Digits::Six, Period::from_secs(1).unwrap());
        let step = one_second.time_step(UnixTime::from_secs(u64::MAX));
        assert_eq!(step, Ok(TimeStep::new(u64::MAX)));
        let huge = Totp::new(
            Algorithm::Sha1,
            Digits::Six,
            Period::from_secs(u64::MAX).unwrap(),
        );
        assert_eq!(
            huge.time_step(UnixTime::from_secs(u64::MAX - 1)),
            Ok(TimeStep::new(0))
        );
        assert_eq!(
            one_second
                .code_at_step(&sha1_seed(), TimeStep::new(u64::MAX))
                .len(),
            6
        );
    }
}
