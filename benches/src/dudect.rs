//! A dudect-style constant-time test: time an operation on inputs from two classes of secrets,
//! interleaved at random, and look for a difference in the timing distributions with Welch's
//! t-test (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?", DATE 2017).
//!
//! As in dudect, the t statistic is computed for the raw measurements and for the measurements
//! below each of 100 cut-offs (the `1 − 0.5^(k/10)` quantiles, k = 1..100; cropping the slow
//! tail removes most scheduler and interrupt noise), and the largest |t| is reported. Unlike
//! dudect, which takes the cut-offs from its first batch, the quantiles are those of all
//! measurements of both classes together: on a shared machine whose speed drifts, a first batch
//! can sit far from the rest. The cut-offs stay blind to the classes, so this adds no bias. |t| above about 4.5 means the two classes take measurably different times: a leak.
//! |t| below it means no leak was detected with this many measurements, on this machine, by
//! wall-clock timing; it is evidence, not proof (cache-timing channels need other tools).
//!
//! Written for this crate rather than taken from `dudect-bencher`: that crate's generated `main`
//! owns the command line, runs without a time budget and has no pass/fail exit status, which
//! the CI check needs.

use core::hint::black_box;
use core::time::Duration;
use std::time::Instant;

/// Which of the two input classes a measurement belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Class 0: the special input (a fixed secret, a short one...).
    Special,
    /// Class 1: a random secret of the same length.
    Random,
}

/// Welford's running mean and variance for the two classes.
#[derive(Clone, Copy, Debug, Default)]
pub struct WelchTest {
    count: [f64; 2],
    mean: [f64; 2],
    m2: [f64; 2],
}

impl WelchTest {
    /// Adds one measurement.
    pub fn push(&mut self, class: Class, value: f64) {
        let i = class as usize;
        self.count[i] += 1.0;
        let delta = value - self.mean[i];
        self.mean[i] += delta / self.count[i];
        self.m2[i] += delta * (value - self.mean[i]);
    }

    /// Measurements in both classes together.
    pub fn len(&self) -> u64 {
        (self.count[0] + self.count[1]) as u64
    }

    /// Whether no measurement was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The class means.
    pub fn means(&self) -> [f64; 2] {
        self.mean
    }

    /// Welch's t = (mean₀ − mean₁) / √(s₀²/n₀ + s₁²/n₁); 0 until both classes have two values.
    pub fn t(&self) -> f64 {
        if self.count[0] < 2.0 || self.count[1] < 2.0 {
            return 0.0;
        }
        let var0 = self.m2[0] / (self.count[0] - 1.0);
        let var1 = self.m2[1] / (self.count[1] - 1.0);
        let se = (var0 / self.count[0] + var1 / self.count[1]).sqrt();
        if se == 0.0 {
            return 0.0;
        }
        (self.mean[0] - self.mean[1]) / se
    }
}

/// The raw test and the 100 cropped ones.
#[derive(Clone, Debug)]
pub struct Analysis {
    cutoffs: Vec<f64>,
    raw: WelchTest,
    cropped: Vec<WelchTest>,
}

/// The strongest evidence of a difference among the tests of an [`Analysis`].
#[derive(Clone, Copy, Debug)]
pub struct Summary {
    /// The largest |t|.
    pub max_abs_t: f64,
    /// Where it was found: `None` for the raw measurements, else the quantile of the cut-off.
    pub quantile: Option<f64>,
    /// Measurements in that test.
    pub measurements: u64,
    /// Mean time of class 0 and class 1 in that test (ns).
    pub means_ns: [f64; 2],
    /// All measurements taken (the raw test).
    pub total: u64,
}

/// Number of cropped tests.
pub const CROPS: usize = 100;

/// The quantile of cut-off `k` (0-based): 1 − 0.5^((k + 1)/10).
pub fn crop_quantile(k: usize) -> f64 {
    1.0 - 0.5f64.powf((k as f64 + 1.0) / 10.0)
}

impl Analysis {
    /// Cut-offs at the quantiles of `calibration_ns`.
    pub fn new(calibration_ns: &[u64]) -> Self {
        let mut sorted = calibration_ns.to_vec();
        sorted.sort_unstable();
        let cutoffs = (0..CROPS)
            .map(|k| {
                if sorted.is_empty() {
                    return f64::INFINITY;
                }
                let rank = crop_quantile(k) * (sorted.len() - 1) as f64;
                sorted[rank.round() as usize] as f64
            })
            .collect();
        Self {
            cutoffs,
            raw: WelchTest::default(),
            cropped: vec![WelchTest::default(); CROPS],
        }
    }

    /// Adds one measurement.
    pub fn push(&mut self, class: Class, nanos: u64) {
        let value = nanos as f64;
        self.raw.push(class, value);
        for (test, &cutoff) in self.cropped.iter_mut().zip(&self.cutoffs) {
            if value < cutoff {
                test.push(class, value);
            }
        }
    }

    /// The test with the largest |t| (tests with fewer than 100 measurements are skipped).
    pub fn summary(&self) -> Summary {
        let candidates = core::iter::once((None, &self.raw)).chain(
            self.cropped
                .iter()
                .enumerate()
                .map(|(k, test)| (Some(crop_quantile(k)), test)),
        );
        let mut best = Summary {
            max_abs_t: self.raw.t().abs(),
            quantile: None,
            measurements: self.raw.len(),
            means_ns: self.raw.means(),
            total: self.raw.len(),
        };
        for (quantile, test) in candidates {
            if test.len() < 100 {
                continue;
            }
            let t = test.t().abs();
            if t > best.max_abs_t {
                best = Summary {
                    max_abs_t: t,
                    quantile,
                    measurements: test.len(),
                    means_ns: test.means(),
                    total: self.raw.len(),
                };
            }
        }
        best
    }
}

/// SplitMix64: a small deterministic generator for the class coin and the random secrets (the
/// test needs unpredictability against the code under test, not cryptographic strength).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Fills `out` with random bytes.
    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }

    /// A fair coin.
    pub fn class(&mut self) -> Class {
        if self.next_u64() & 1 == 0 {
            Class::Special
        } else {
            Class::Random
        }
    }
}

/// How long to measure.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Stop after this much time (checked between batches)...
    pub time: Duration,
    /// ...or after this many measurements.
    pub max_measurements: u64,
    /// Inputs prepared per batch (preparation is not timed).
    pub batch: usize,
}

/// Runs one test: `prepare` makes an input of the given class (untimed), `operation` is timed.
/// Classes are drawn at random per measurement, so drift in the machine's speed hits both
/// classes alike. The first batch is a warm-up and is not counted.
pub fn run<I, O>(
    budget: Budget,
    rng: &mut Rng,
    mut prepare: impl FnMut(Class, &mut Rng) -> I,
    mut operation: impl FnMut(&I) -> O,
) -> Summary {
    let mut batch = |rng: &mut Rng| -> Vec<(Class, u64)> {
        let inputs: Vec<(Class, I)> = (0..budget.batch)
            .map(|_| {
                let class = rng.class();
                (class, prepare(class, rng))
            })
            .collect();
        inputs
            .iter()
            .map(|(class, input)| {
                let input = black_box(input);
                let start = Instant::now();
                let output = operation(input);
                let elapsed = start.elapsed();
                drop(black_box(output));
                (
                    *class,
                    u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX),
                )
            })
            .collect()
    };
    let started = Instant::now();
    let _warm_up = batch(rng);
    let mut measurements = Vec::new();
    loop {
        measurements.extend(batch(rng));
        if started.elapsed() >= budget.time || measurements.len() as u64 >= budget.max_measurements
        {
            return analyse(&measurements).summary();
        }
    }
}

/// The raw and cropped tests over `measurements`, cut-offs from their pooled quantiles.
pub fn analyse(measurements: &[(Class, u64)]) -> Analysis {
    let pooled: Vec<u64> = measurements.iter().map(|&(_, ns)| ns).collect();
    let mut analysis = Analysis::new(&pooled);
    for &(class, ns) in measurements {
        analysis.push(class, ns);
    }
    analysis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welch_t_matches_a_hand_computation() {
        let mut test = WelchTest::default();
        for v in [1.0, 2.0, 3.0, 4.0] {
            test.push(Class::Special, v);
        }
        for v in [2.0, 4.0, 6.0, 8.0] {
            test.push(Class::Random, v);
        }
        // means 2.5 and 5; variances 5/3 and 20/3; se = sqrt(5/12 + 20/12) = sqrt(25/12).
        let expected = -2.5 / (25.0f64 / 12.0).sqrt();
        assert!((test.t() - expected).abs() < 1e-12, "{}", test.t());
        assert_eq!(test.len(), 8);
    }

    #[test]
    fn cut_offs_follow_the_dudect_quantiles() {
        assert!((crop_quantile(9) - 0.5).abs() < 1e-12);
        assert!((crop_quantile(19) - 0.75).abs() < 1e-12);
        let calibration: Vec<u64> = (0..1000).collect();
        let analysis = Analysis::new(&calibration);
        assert_eq!(analysis.cutoffs[9], 500.0);
        assert!(analysis.cutoffs.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn a_planted_difference_is_found_and_equal_classes_are_not() {
        let mut rng = Rng::new(7);
        let noise = |rng: &mut Rng| 1_000 + rng.next_u64() % 200;
        let calibration: Vec<u64> = (0..1000).map(|_| noise(&mut rng)).collect();
        let mut leaky = Analysis::new(&calibration);
        let mut flat = Analysis::new(&calibration);
        for _ in 0..20_000 {
            let class = rng.class();
            let extra = if class == Class::Random { 5 } else { 0 };
            leaky.push(class, noise(&mut rng) + extra);
            flat.push(class, noise(&mut rng));
        }
        assert!(leaky.summary().max_abs_t > 4.5, "{:?}", leaky.summary());
        assert!(flat.summary().max_abs_t < 4.5, "{:?}", flat.summary());
    }

    #[test]
    fn run_respects_the_measurement_budget() {
        let budget = Budget {
            time: Duration::from_secs(60),
            max_measurements: 500,
            batch: 50,
        };
        let summary = run(budget, &mut Rng::new(1), |class, _| class, |class| *class);
        assert_eq!(summary.total, 500);
    }
}
