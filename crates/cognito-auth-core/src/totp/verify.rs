//! Checking a code the user typed: [`VerifyOptions`] and [`Totp::verify`].

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::error::TotpError;
use super::secret::TotpSecret;
use super::time_based::{TimeStep, Totp};
use crate::time::UnixTime;

/// How [`Totp::verify`] searches: the skew window and the replay guard.
///
/// The default allows one step of clock skew each way (RFC 6238 §5.2 recommends at most one)
/// and has no last used step.
///
/// ```
/// use cognito_auth_core::totp::{TimeStep, VerifyOptions};
///
/// let options = VerifyOptions::default()
///     .with_skew(2)
///     .with_last_used_step(Some(TimeStep::new(56_666_666)));
/// assert_eq!(options.skew(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VerifyOptions {
    skew: u8,
    last_used_step: Option<TimeStep>,
}

impl VerifyOptions {
    /// ±1 step, no last used step.
    pub const DEFAULT: Self = Self {
        skew: 1,
        last_used_step: None,
    };

    /// Accepts codes of the current step and `steps` steps before and after it.
    ///
    /// Every extra step is another code an attacker may guess: a window of ±s accepts 2s + 1
    /// codes. Use 0 or 1 unless the clocks are known to drift.
    pub const fn with_skew(self, steps: u8) -> Self {
        Self {
            skew: steps,
            ..self
        }
    }

    /// Refuses codes of `step` and earlier steps with [`TotpError::CodeReplayed`]. Pass the step
    /// returned by the previous successful verification for this secret (RFC 6238 §5.2: "the
    /// verifier MUST NOT accept the second attempt of the OTP after the successful validation
    /// has been issued for the first OTP").
    pub const fn with_last_used_step(self, step: Option<TimeStep>) -> Self {
        Self {
            last_used_step: step,
            ..self
        }
    }

    /// Steps of skew allowed each way.
    pub const fn skew(&self) -> u8 {
        self.skew
    }

    /// The last accepted step, if any.
    pub const fn last_used_step(&self) -> Option<TimeStep> {
        self.last_used_step
    }
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Totp {
    /// Checks `code` against the steps around `now`, returning the step it matched.
    ///
    /// Errors, in the order they are checked:
    /// - [`TotpError::CodeWrongLength`] / [`TotpError::CodeNotDigit`]: not exactly
    ///   [`Totp::digits`] ASCII digits (no spaces: strip them in the UI, as Cognito does not
    ///   accept them either);
    /// - [`TotpError::TimeBeforeT0`]: `now` is before T0;
    /// - [`TotpError::CodeReplayed`]: the code matches only steps at or before
    ///   [`VerifyOptions::last_used_step`];
    /// - [`TotpError::CodeMismatch`]: the code matches no step in the window.
    ///
    /// Every step of the window is computed and compared in constant time; which step matched
    /// does not show in the timing. The window is clipped at step 0 and at the largest step, never
    /// wrapped. If two steps in the window have the same code (a one-in-a-million event), the
    /// later one is returned, which burns the most steps for replay protection.
    ///
    /// ```
    /// use cognito_auth_core::UnixTime;
    /// use cognito_auth_core::totp::{Totp, TotpError, TotpSecret, VerifyOptions};
    ///
    /// let secret = TotpSecret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")?;
    /// let now = UnixTime::from_secs(1_111_111_111);
    ///
    /// // The code of the previous step (1111111109 is one step earlier) is within ±1 step.
    /// let step = Totp::COGNITO.verify(&secret, "081804", now, VerifyOptions::default())?;
    /// assert_eq!(step.counter(), 0x023523EC);
    ///
    /// // Store `step`; the same code is refused afterwards.
    /// let replay = VerifyOptions::default().with_last_used_step(Some(step));
    /// assert_eq!(Totp::COGNITO.verify(&secret, "081804", now, replay), Err(TotpError::CodeReplayed));
    /// assert_eq!(Totp::COGNITO.verify(&secret, "000000", now, replay), Err(TotpError::CodeMismatch));
    /// assert_eq!(
    ///     Totp::COGNITO.verify(&secret, "08180", now, replay),
    ///     Err(TotpError::CodeWrongLength { len: 5, expected: 6 })
    /// );
    /// # Ok::<(), TotpError>(())
    /// ```
    pub fn verify(
        &self,
        secret: &TotpSecret,
        code: &str,
        now: UnixTime,
        options: VerifyOptions,
    ) -> Result<TimeStep, TotpError> {
        let expected = self.digits().count();
        if code.len() != usize::from(expected) {
            return Err(TotpError::CodeWrongLength {
                len: code.len(),
                expected,
            });
        }
        if let Some(position) = code.bytes().position(|b| !b.is_ascii_digit()) {
            return Err(TotpError::CodeNotDigit { position });
        }
        let current = self.time_step(now)?.counter();
        let skew = u64::from(options.skew);
        let first = current.saturating_sub(skew);
        let last = current.saturating_add(skew);

        let mut fresh_match = Choice::from(0);
        let mut used_match = Choice::from(0);
        let mut matched_step = 0_u64;
        for step in first..=last {
            let candidate = self.code_at_step(secret, TimeStep::new(step));
            let equal = candidate.as_str().as_bytes().ct_eq(code.as_bytes());
            // Whether a step is fresh depends only on public values.
            let fresh = Choice::from(u8::from(
                options
                    .last_used_step
                    .is_none_or(|used| step > used.counter()),
            ));
            matched_step.conditional_assign(&step, equal & fresh);
            fresh_match |= equal & fresh;
            used_match |= equal & !fresh;
        }
        if bool::from(fresh_match) {
            Ok(TimeStep::new(matched_step))
        } else if bool::from(used_match) {
            Err(TotpError::CodeReplayed)
        } else {
            Err(TotpError::CodeMismatch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::totp::{Algorithm, Digits, Period};

    fn secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890").unwrap()
    }

    fn at(secs: u64) -> UnixTime {
        UnixTime::from_secs(secs)
    }

    /// The 6-digit code of step `step` under the default parameters.
    fn code_of(step: u64) -> alloc::string::String {
        alloc::string::String::from(
            Totp::COGNITO
                .code_at_step(&secret(), TimeStep::new(step))
                .as_str(),
        )
    }

    #[test]
    fn accepts_the_current_step_and_one_either_side_by_default() {
        let now = at(30 * 1_000 + 12);
        for step in [999, 1_000, 1_001] {
            let got = Totp::COGNITO.verify(&secret(), &code_of(step), now, VerifyOptions::DEFAULT);
            assert_eq!(got, Ok(TimeStep::new(step)));
        }
        for step in [998, 1_002] {
            let got = Totp::COGNITO.verify(&secret(), &code_of(step), now, VerifyOptions::DEFAULT);
            assert_eq!(got, Err(TotpError::CodeMismatch), "step {step}");
        }
    }

    #[test]
    fn skew_zero_and_wider_windows() {
        let now = at(30 * 1_000);
        let strict = VerifyOptions::DEFAULT.with_skew(0);
        assert_eq!(
            Totp::COGNITO.verify(&secret(), &code_of(999), now, strict),
            Err(TotpError::CodeMismatch)
        );
        let wide = VerifyOptions::DEFAULT.with_skew(3);
        assert_eq!(
            Totp::COGNITO.verify(&secret(), &code_of(997), now, wide),
            Ok(TimeStep::new(997))
        );
    }

    #[test]
    fn replayed_codes_are_refused() {
        let now = at(30 * 1_000);
        let used = VerifyOptions::DEFAULT.with_last_used_step(Some(TimeStep::new(1_000)));
        assert_eq!(
            Totp::COGNITO.verify(&secret(), &code_of(1_000), now, used),
            Err(TotpError::CodeReplayed)
        );
        assert_eq!(
            Totp::COGNITO.verify(&secret(), &code_of(999), now, used),
            Err(TotpError::CodeReplayed)
        );
        assert_eq!(
            Totp::COGNITO.verify(&secret(), &code_of(1_001), now, used),
            Ok(TimeStep::new(1_001))
        );
        assert_eq!(used.last_used_step(), Some(TimeStep::new(1_000)));
    }

    #[test]
    fn malformed_codes_are_errors() {
        let now = at(59);
        let verify =
            |code: &str| Totp::COGNITO.verify(&secret(), code, now, VerifyOptions::DEFAULT);
        assert_eq!(
            verify(""),
            Err(TotpError::CodeWrongLength {
                len: 0,
                expected: 6
            })
        );
        assert_eq!(
            verify("1234567"),
            Err(TotpError::CodeWrongLength {
                len: 7,
                expected: 6
            })
        );
        assert_eq!(
            verify("28708x"),
            Err(TotpError::CodeNotDigit { position: 5 })
        );
        assert_eq!(
            verify("287 82"),
            Err(TotpError::CodeNotDigit { position: 3 })
        );
        assert_eq!(
            verify("-28708"),
            Err(TotpError::CodeNotDigit { position: 0 })
        );
        // Arabic-Indic digits are not ASCII digits (and not 6 bytes for 3 of them).
        assert_eq!(verify("١٢٣"), Err(TotpError::CodeNotDigit { position: 0 }));
        assert_eq!(verify("287082"), Ok(TimeStep::new(1)));
    }

    #[test]
    fn the_window_is_clipped_at_step_zero_and_the_top() {
        let verify_at = |totp: Totp, code: &str, now: u64| {
            totp.verify(
                &secret(),
                code,
                at(now),
                VerifyOptions::DEFAULT.with_skew(u8::MAX),
            )
        };
        // Step 0 (t = 0..29) with a skew of 255: no step -1, no wrap.
        assert_eq!(
            verify_at(Totp::COGNITO, &code_of(0), 0),
            Ok(TimeStep::new(0))
        );
        let one_second = Totp::new(Algorithm::Sha1, Digits::Six, Period::from_secs(1).unwrap());
        let top = one_second.code_at_step(&secret(), TimeStep::new(u64::MAX));
        assert_eq!(
            verify_at(one_second, top.as_str(), u64::MAX),
            Ok(TimeStep::new(u64::MAX))
        );
        let before_t0 = Totp::COGNITO.with_t0(at(100));
        assert_eq!(
            verify_at(before_t0, "123456", 99),
            Err(TotpError::TimeBeforeT0)
        );
    }

    #[test]
    fn eight_digit_codes() {
        let totp = Totp::new(Algorithm::Sha1, Digits::Eight, Period::DEFAULT);
        assert_eq!(
            totp.verify(&secret(), "94287082", at(59), VerifyOptions::DEFAULT),
            Ok(TimeStep::new(1))
        );
        assert_eq!(
            totp.verify(&secret(), "287082", at(59), VerifyOptions::DEFAULT),
            Err(TotpError::CodeWrongLength {
                len: 6,
                expected: 8
            })
        );
    }
}
