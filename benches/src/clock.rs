//! The benchmarks' clock: the CPU time of the benchmarking thread by default, wall-clock time
//! with `COGNITO_AUTH_BENCH_CLOCK=wall`.
//!
//! The machines the benchmarks run on are shared (2 cores, other jobs building): wall-clock time
//! then counts the time other processes hold the core, and varied by 1.3-6× between runs, while
//! the thread's CPU time does not. Every benchmark here is single-threaded and never blocks, so
//! its CPU time is the work it does.

use core::time::Duration;

use cpu_time::ThreadTime;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput};

/// Which clock the benchmarks use, from `COGNITO_AUTH_BENCH_CLOCK` (`cpu`, the default, or `wall`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// [`ThreadCpuTime`].
    ThreadCpu,
    /// criterion's `WallTime`.
    Wall,
}

impl Clock {
    /// Reads `COGNITO_AUTH_BENCH_CLOCK`; anything but `wall` means thread CPU time.
    pub fn from_env() -> Self {
        match std::env::var("COGNITO_AUTH_BENCH_CLOCK").as_deref() {
            Ok("wall") => Self::Wall,
            _ => Self::ThreadCpu,
        }
    }
}

/// Runs one benchmark file's groups on the clock [`Clock::from_env`] names, with criterion's
/// defaults for a 2-core shared machine (`--warm-up-time`, `--measurement-time`,
/// `--sample-size` and `--quick` on the command line override them). A file passes its
/// measurement-generic `run` twice: `run_with_clock(run, run)`.
pub fn run_with_clock(
    on_cpu_time: impl FnOnce(&mut Criterion<ThreadCpuTime>),
    on_wall_time: impl FnOnce(&mut Criterion<WallTime>),
) {
    let defaults = || {
        Criterion::default()
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .sample_size(50)
    };
    match Clock::from_env() {
        Clock::ThreadCpu => {
            let mut c = defaults()
                .with_measurement(ThreadCpuTime)
                .configure_from_args();
            on_cpu_time(&mut c);
            c.final_summary();
        }
        Clock::Wall => {
            let mut c = defaults().configure_from_args();
            on_wall_time(&mut c);
            c.final_summary();
        }
    }
}

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), in nanoseconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = ThreadTime;
    type Value = Duration;

    fn start(&self) -> ThreadTime {
        ThreadTime::now()
    }

    fn end(&self, start: ThreadTime) -> Duration {
        start.elapsed()
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &NanosecondFormatter
    }
}

/// Formats nanosecond values as criterion's wall-clock formatter does.
struct NanosecondFormatter;

impl ValueFormatter for NanosecondFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns")
        } else if typical < 1e6 {
            (1e-3, "µs")
        } else if typical < 1e9 {
            (1e-6, "ms")
        } else {
            (1e-9, "s")
        };
        for value in values {
            *value *= factor;
        }
        unit
    }

    fn scale_throughputs(
        &self,
        _typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let (per_iteration, unit) = match *throughput {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) => (n as f64, "B/s"),
            Throughput::Bits(n) => (n as f64, "b/s"),
            Throughput::Elements(n) | Throughput::ElementsAndBytes { elements: n, .. } => {
                (n as f64, "elem/s")
            }
        };
        for value in values {
            *value = per_iteration * 1e9 / *value;
        }
        unit
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_cpu_time_advances_with_work_and_formats() {
        let clock = ThreadCpuTime;
        let start = clock.start();
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = core::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        let spent = clock.to_f64(&clock.end(start));
        assert!(spent > 0.0, "{spent}");
        let mut values = [1_500_000.0];
        assert_eq!(
            NanosecondFormatter.scale_values(1_500_000.0, &mut values),
            "ms"
        );
        assert!((values[0] - 1.5).abs() < 1e-9);
    }
}
