//! Paired, interleaved timing of the core against one baseline, for the ratios `compare.sh`
//! prints (`srp_client_a128_vs_libtommath: R [lo, hi]` ...).
//!
//! A pair is one run of the core and one run of the baseline, back to back, in alternating
//! order (core first in even pairs, baseline first in odd ones), each timed on its own thread's
//! CPU clock (`CLOCK_THREAD_CPUTIME_ID`; wall-clock time is recorded too). The pair's ratio is
//! core ÷ baseline. Whatever slows the machine for a few milliseconds (another job's compile
//! on the other core, frequency changes) slows both halves of a pair about equally, so the
//! ratios vary much less than the separate times do. The reported ratio is the median of the
//! per-pair ratios; its uncertainty is a percentile bootstrap 95 % interval of that median that
//! resamples whole rounds, then pairs within them ([`bootstrap_median_interval_by_round`]):
//! a child process is started anew for each round, so the interval carries how much one JVM
//! (or one process) differs from the next, not only the noise within one. The spread of the
//! pairs themselves (10th-90th percentile, min-max) and each round's median are kept
//! alongside.
//!
//! A baseline runs in this process (GMP, num-bigint-dig: [`InProcess`]) or in a child process
//! that times itself with the same kind of clock and answers a line protocol ([`Child`]:
//! libtommath from C, `java.math.BigInteger` on the JVM).
//!
//! [`cpu_info`] reads the CPU model and the flags that matter to big-number code (adx, bmi2,
//! avx2: GMP's and OpenSSL's mulx/adcx/adox paths) from `/proc/cpuinfo`, to go with every result.

use core::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use cpu_time::ThreadTime;

/// The CPU time and the wall-clock time of one timed run, in nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sample {
    /// Thread CPU time.
    pub cpu_ns: f64,
    /// Wall-clock time.
    pub wall_ns: f64,
}

impl Sample {
    /// The value on the chosen clock.
    pub fn on(self, wall: bool) -> f64 {
        if wall { self.wall_ns } else { self.cpu_ns }
    }
}

/// Something that can be timed once.
pub trait Contender {
    /// Runs the computation once and returns its time.
    fn run_once(&mut self) -> Result<Sample, String>;
}

/// A computation in this process, timed around the call.
pub struct InProcess<F: FnMut()>(pub F);

impl<F: FnMut()> Contender for InProcess<F> {
    fn run_once(&mut self) -> Result<Sample, String> {
        let cpu = ThreadTime::now();
        let wall = Instant::now();
        (self.0)();
        Ok(Sample {
            cpu_ns: cpu.elapsed().as_nanos() as f64,
            wall_ns: wall.elapsed().as_nanos() as f64,
        })
    }
}

/// A baseline in a child process (`benches/c/libtommath_srp.c`, `benches/java/JavaBigIntegerSrp.java`).
///
/// Protocol, one line each: the harness sends `KEY VALUE` lines and `end`; the child computes
/// once and answers `KEY VALUE` lines (its results) and `ready`; then each `run N` makes it run
/// N times and answer `CPU_NS WALL_NS` (its own thread CPU time and wall-clock time for the N
/// runs); `quit` ends it.
pub struct Child {
    name: String,
    process: std::process::Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Child {
    /// Starts `program args...`, sends `inputs`, and returns the child with the results it
    /// printed before `ready`.
    pub fn spawn(
        name: &str,
        program: &str,
        args: &[String],
        inputs: &[(&str, String)],
    ) -> Result<(Self, Vec<(String, String)>), String> {
        let mut process = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("{name}: cannot start {program}: {e}"))?;
        let (Some(stdin), Some(stdout)) = (process.stdin.take(), process.stdout.take()) else {
            return Err(format!("{name}: no pipes to the child"));
        };
        let mut child = Self {
            name: name.to_owned(),
            process,
            stdin,
            stdout: BufReader::new(stdout),
        };
        let mut setup = String::new();
        for (key, value) in inputs {
            setup.push_str(&format!("{key} {value}\n"));
        }
        setup.push_str("end\n");
        child.send(&setup)?;
        let mut results = Vec::new();
        loop {
            let line = child.read_line()?;
            if line == "ready" {
                break;
            }
            let Some((key, value)) = line.split_once(' ') else {
                return Err(format!("{name}: unexpected line from the child: {line}"));
            };
            results.push((key.to_owned(), value.to_owned()));
        }
        Ok((child, results))
    }

    fn send(&mut self, text: &str) -> Result<(), String> {
        self.stdin
            .write_all(text.as_bytes())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("{}: writing to the child: {e}", self.name))
    }

    fn read_line(&mut self) -> Result<String, String> {
        let mut line = String::new();
        let read = self
            .stdout
            .read_line(&mut line)
            .map_err(|e| format!("{}: reading from the child: {e}", self.name))?;
        if read == 0 {
            return Err(format!("{}: the child exited early", self.name));
        }
        Ok(line.trim_end().to_owned())
    }

    /// Runs the computation `runs` times in the child; the time of all of them together.
    pub fn run(&mut self, runs: u64) -> Result<Sample, String> {
        self.send(&format!("run {runs}\n"))?;
        let line = self.read_line()?;
        let mut fields = line.split(' ').map(str::parse::<f64>);
        match (fields.next(), fields.next(), fields.next()) {
            (Some(Ok(cpu_ns)), Some(Ok(wall_ns)), None) => Ok(Sample { cpu_ns, wall_ns }),
            _ => Err(format!(
                "{}: expected \"CPU_NS WALL_NS\", got {line}",
                self.name
            )),
        }
    }
}

impl Contender for Child {
    fn run_once(&mut self) -> Result<Sample, String> {
        self.run(1)
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // Best effort: a child that already died has nothing left to stop.
        let _ = self.stdin.write_all(b"quit\n");
        let _ = self.stdin.flush();
        let _ = self.process.wait();
    }
}

/// Runs `contender` until `seconds` of its clock have passed (at least `min_runs` times): JIT
/// compilation, caches, the allocator's first pages.
pub fn warm_up(
    contender: &mut dyn Contender,
    seconds: f64,
    min_runs: u32,
    wall: bool,
) -> Result<(), String> {
    let mut spent = 0.0;
    let mut runs = 0;
    while runs < min_runs || spent < seconds * 1e9 {
        spent += contender.run_once()?.on(wall);
        runs += 1;
    }
    Ok(())
}

/// `pairs` pairs of (core, baseline) samples, the order alternating pair by pair.
pub fn measure_pairs(
    core: &mut dyn Contender,
    baseline: &mut dyn Contender,
    pairs: usize,
) -> Result<Vec<(Sample, Sample)>, String> {
    let mut out = Vec::with_capacity(pairs);
    for i in 0..pairs {
        let pair = if i % 2 == 0 {
            let c = core.run_once()?;
            (c, baseline.run_once()?)
        } else {
            let b = baseline.run_once()?;
            (core.run_once()?, b)
        };
        out.push(black_box(pair));
    }
    Ok(out)
}

/// The median of `values` (the mean of the middle two for an even count); NaN when empty.
pub fn median(values: &[f64]) -> f64 {
    quantile(values, 0.5)
}

/// The `q` quantile of `values` (0 ≤ q ≤ 1), linear between order statistics; NaN when empty.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let position = q.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    match (sorted.get(below), sorted.get(above)) {
        (Some(&lo), Some(&hi)) => lo + (hi - lo) * (position - below as f64),
        _ => f64::NAN,
    }
}

/// A small deterministic generator (splitmix64) for the bootstrap: the same data give the same
/// interval on every run.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        // n is at most a few thousand: the modulo bias is below 2^-50.
        (self.next() % n as u64) as usize
    }
}

/// Percentile bootstrap 95 % interval of the median of `values`: the 2.5th and 97.5th
/// percentiles of the medians of `resamples` resamples (with replacement, same size).
pub fn bootstrap_median_interval(values: &[f64], resamples: usize, seed: u64) -> (f64, f64) {
    if values.is_empty() || resamples == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mut rng = SplitMix64(seed);
    let mut resample = vec![0.0; values.len()];
    let mut medians = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for slot in resample.iter_mut() {
            *slot = values
                .get(rng.below(values.len()))
                .copied()
                .unwrap_or(f64::NAN);
        }
        medians.push(median(&resample));
    }
    (quantile(&medians, 0.025), quantile(&medians, 0.975))
}

/// Two-level (cluster) bootstrap 95 % interval of the median of the pooled `rounds`: each
/// resample draws as many rounds as there are, with replacement, and within each drawn round
/// as many values as it has, with replacement; the interval is the 2.5th and 97.5th
/// percentiles of the pooled resamples' medians.
///
/// Values within a round share that round's conditions: the same child process (a JVM whose
/// JIT compiled `modPow` its own way in that run, a libtommath process with its own memory
/// layout), the same phase of the shared machine. A flat bootstrap over all values treats
/// them as independent and gives an interval that a second run, with new processes, misses.
/// Resampling whole rounds carries the differences between rounds into the interval.
pub fn bootstrap_median_interval_by_round(
    rounds: &[Vec<f64>],
    resamples: usize,
    seed: u64,
) -> (f64, f64) {
    let total: usize = rounds.iter().map(Vec::len).sum();
    if total == 0 || resamples == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mut rng = SplitMix64(seed);
    let mut pooled = Vec::with_capacity(total);
    let mut medians = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        pooled.clear();
        for _ in 0..rounds.len() {
            let Some(round) = rounds.get(rng.below(rounds.len())) else {
                continue;
            };
            for _ in 0..round.len() {
                pooled.push(
                    round
                        .get(rng.below(round.len()))
                        .copied()
                        .unwrap_or(f64::NAN),
                );
            }
        }
        medians.push(median(&pooled));
    }
    (quantile(&medians, 0.025), quantile(&medians, 0.975))
}

/// What one comparison reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Number of pairs.
    pub pairs: usize,
    /// Median of the per-pair ratios core ÷ baseline.
    pub ratio: f64,
    /// Bootstrap 95 % interval of that median (by round: [`bootstrap_median_interval_by_round`]).
    pub interval: (f64, f64),
    /// The median ratio of each round, in order: how much the rounds (new child processes)
    /// differ.
    pub round_ratios: Vec<f64>,
    /// 10th and 90th percentiles of the per-pair ratios.
    pub p10_p90: (f64, f64),
    /// Smallest and largest per-pair ratio.
    pub min_max: (f64, f64),
    /// Median time of the core, ns.
    pub core_ns: f64,
    /// Median time of the baseline, ns.
    pub baseline_ns: f64,
}

/// Summarises pairs on one clock, grouped by the round they were measured in.
pub fn summarise(rounds: &[Vec<(Sample, Sample)>], wall: bool, seed: u64) -> Summary {
    let ratio_rounds: Vec<Vec<f64>> = rounds
        .iter()
        .map(|round| {
            round
                .iter()
                .map(|(core, base)| core.on(wall) / base.on(wall))
                .collect()
        })
        .collect();
    let ratios: Vec<f64> = ratio_rounds.iter().flatten().copied().collect();
    let core: Vec<f64> = rounds.iter().flatten().map(|(c, _)| c.on(wall)).collect();
    let base: Vec<f64> = rounds.iter().flatten().map(|(_, b)| b.on(wall)).collect();
    Summary {
        pairs: ratios.len(),
        ratio: median(&ratios),
        interval: bootstrap_median_interval_by_round(&ratio_rounds, 2000, seed),
        round_ratios: ratio_rounds.iter().map(|round| median(round)).collect(),
        p10_p90: (quantile(&ratios, 0.1), quantile(&ratios, 0.9)),
        min_max: (quantile(&ratios, 0.0), quantile(&ratios, 1.0)),
        core_ns: median(&core),
        baseline_ns: median(&base),
    }
}

/// The CPU, from `/proc/cpuinfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CpuInfo {
    /// `model name`.
    pub model: String,
    /// `cpu family`, `model`, `stepping`, as in /proc/cpuinfo.
    pub family_model_stepping: String,
    /// Whether it runs under a hypervisor (the `hypervisor` flag).
    pub virtualised: bool,
    /// The flags that matter to big-number code: (name, present) for adx, bmi2, avx2.
    pub flags: Vec<(&'static str, bool)>,
}

impl CpuInfo {
    /// One line: model, family/model/stepping, the flags present and absent.
    pub fn describe(&self) -> String {
        let flags: Vec<String> = self
            .flags
            .iter()
            .map(|(name, present)| format!("{name}={}", if *present { "yes" } else { "no" }))
            .collect();
        format!(
            "{} ({}{}); {}",
            self.model,
            self.family_model_stepping,
            if self.virtualised {
                ", virtualised"
            } else {
                ""
            },
            flags.join(" ")
        )
    }
}

/// The flags reported with every result.
pub const CPU_FLAGS: [&str; 3] = ["adx", "bmi2", "avx2"];

/// Parses the first processor's block of `/proc/cpuinfo` text.
pub fn parse_cpuinfo(text: &str) -> CpuInfo {
    let field = |name: &str| {
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(key, _)| key.trim() == name)
            .map(|(_, value)| value.trim().to_owned())
    };
    let flags_line = field("flags").unwrap_or_default();
    let flags: Vec<&str> = flags_line.split_whitespace().collect();
    CpuInfo {
        model: field("model name").unwrap_or_else(|| "unknown CPU".to_owned()),
        family_model_stepping: format!(
            "family {}, model {}, stepping {}",
            field("cpu family").unwrap_or_else(|| "?".into()),
            field("model").unwrap_or_else(|| "?".into()),
            field("stepping").unwrap_or_else(|| "?".into()),
        ),
        virtualised: flags.contains(&"hypervisor"),
        flags: CPU_FLAGS
            .iter()
            .map(|name| (*name, flags.contains(name)))
            .collect(),
    }
}

/// This machine's CPU (an "unknown CPU" when `/proc/cpuinfo` cannot be read).
pub fn cpu_info() -> CpuInfo {
    parse_cpuinfo(&std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_quantiles() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
        let v: Vec<f64> = (0..=10).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.0), 0.0);
        assert_eq!(quantile(&v, 1.0), 10.0);
        assert!((quantile(&v, 0.25) - 2.5).abs() < 1e-12);
    }

    #[test]
    fn bootstrap_interval_holds_the_median_and_narrows_with_more_pairs() {
        // Ratios spread around 0.8 by a deterministic pseudo-random jitter of ±10 %.
        let mut rng = SplitMix64(7);
        let mut jittered = |n: usize| -> Vec<f64> {
            (0..n)
                .map(|_| 0.8 * (0.9 + 0.2 * (rng.next() % 1_000_000) as f64 / 1e6))
                .collect()
        };
        let few = jittered(21);
        let many = jittered(801);
        let (lo_few, hi_few) = bootstrap_median_interval(&few, 2000, 1);
        let (lo_many, hi_many) = bootstrap_median_interval(&many, 2000, 1);
        for (values, lo, hi) in [(&few, lo_few, hi_few), (&many, lo_many, hi_many)] {
            let m = median(values);
            assert!(lo <= m && m <= hi, "{lo} <= {m} <= {hi}");
        }
        assert!(
            hi_many - lo_many < (hi_few - lo_few) / 2.0,
            "{lo_many}..{hi_many} vs {lo_few}..{hi_few}"
        );
        assert!(lo_many > 0.77 && hi_many < 0.83, "{lo_many}..{hi_many}");
        // Deterministic: the same data and seed give the same interval.
        assert_eq!(bootstrap_median_interval(&few, 2000, 1), (lo_few, hi_few));
    }

    #[test]
    fn rounds_that_differ_widen_the_interval_to_cover_them() {
        // Six rounds (six JVMs), each tight around its own level between 0.8 and 1.0: a flat
        // bootstrap over the 600 values gives a narrow interval that the next run's JVMs can
        // miss; resampling rounds gives one as wide as the rounds' spread.
        let mut rng = SplitMix64(11);
        let levels = [0.80, 0.84, 0.88, 0.92, 0.96, 1.00];
        let rounds: Vec<Vec<f64>> = levels
            .iter()
            .map(|level| {
                (0..100)
                    .map(|_| level * (0.99 + 0.02 * (rng.next() % 1_000_000) as f64 / 1e6))
                    .collect()
            })
            .collect();
        let flat: Vec<f64> = rounds.iter().flatten().copied().collect();
        let (flat_lo, flat_hi) = bootstrap_median_interval(&flat, 2000, 3);
        let (lo, hi) = bootstrap_median_interval_by_round(&rounds, 2000, 3);
        let m = median(&flat);
        assert!(lo <= m && m <= hi, "{lo} <= {m} <= {hi}");
        assert!(
            hi - lo > 3.0 * (flat_hi - flat_lo),
            "by round {lo}..{hi}, flat {flat_lo}..{flat_hi}"
        );
        assert!(lo < 0.86 && hi > 0.94, "{lo}..{hi}");
        // Identical rounds: about the flat interval.
        let same = vec![flat.clone()];
        let (same_lo, same_hi) = bootstrap_median_interval_by_round(&same, 2000, 3);
        assert!((same_hi - same_lo) < 2.0 * (flat_hi - flat_lo) + 1e-12);
        assert!(bootstrap_median_interval_by_round(&[], 2000, 3).0.is_nan());
    }

    #[test]
    fn pairs_alternate_and_ratios_are_core_over_baseline() {
        type Log = core::cell::RefCell<Vec<&'static str>>;
        struct Fixed<'a>(&'static str, f64, &'a Log);
        impl Contender for Fixed<'_> {
            fn run_once(&mut self) -> Result<Sample, String> {
                self.2.borrow_mut().push(self.0);
                Ok(Sample {
                    cpu_ns: self.1,
                    wall_ns: 2.0 * self.1,
                })
            }
        }
        let log = Log::default();
        let mut core = Fixed("core", 3.0, &log);
        let mut base = Fixed("base", 4.0, &log);
        let pairs = measure_pairs(&mut core, &mut base, 4).unwrap();
        assert_eq!(
            *log.borrow(),
            [
                "core", "base", "base", "core", "core", "base", "base", "core"
            ]
        );
        let rounds = [pairs];
        let summary = summarise(&rounds, false, 1);
        assert_eq!(summary.pairs, 4);
        assert_eq!(summary.ratio, 0.75);
        assert_eq!(summary.interval, (0.75, 0.75));
        assert_eq!(summary.round_ratios, [0.75]);
        assert_eq!(summary.core_ns, 3.0);
        assert_eq!(summarise(&rounds, true, 1).baseline_ns, 8.0);
    }

    #[test]
    fn cpuinfo_model_and_flags() {
        let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n\
                    model name\t: AMD EPYC 9B45\nstepping\t: 1\n\
                    flags\t\t: fpu sse2 avx2 bmi2 adx hypervisor\n\nprocessor\t: 1\n";
        let cpu = parse_cpuinfo(text);
        assert_eq!(cpu.model, "AMD EPYC 9B45");
        assert_eq!(cpu.family_model_stepping, "family 26, model 2, stepping 1");
        assert!(cpu.virtualised);
        assert_eq!(cpu.flags, [("adx", true), ("bmi2", true), ("avx2", true)]);
        let old = parse_cpuinfo("model name\t: Old\nflags\t\t: fpu sse2 avx2\n");
        assert_eq!(old.flags, [("adx", false), ("bmi2", false), ("avx2", true)]);
        assert_eq!(
            old.describe(),
            "Old (family ?, model ?, stepping ?); adx=no bmi2=no avx2=yes"
        );
        assert_eq!(parse_cpuinfo("").model, "unknown CPU");
    }

    #[test]
    fn this_machine_has_a_cpu_line() {
        assert!(!cpu_info().describe().is_empty());
    }
}
