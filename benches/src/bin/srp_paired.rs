//! Paired, interleaved timing of the SRP client: the core against each baseline, pair by pair
//! (`cognito_auth_benches::paired`), with the CPU it ran on. `benches/compare.sh` runs it and
//! prints its lines; on its own:
//!
//! ```sh
//! cargo run --release -p cognito-auth-benches --bin srp_paired -- \
//!     [--pairs N] [--rounds R] [--wall] [--libtommath EXE] [--java-classes DIR] \
//!     [--java-warm-up SECONDS] [--json OUT]
//! ```
//!
//! Baselines: GMP `mpz_powm_sec` and `mpz_powm` and num-bigint-dig in this process; with
//! `--libtommath EXE` (benches/c/libtommath_srp.c, built by compare.sh) libtommath in a child
//! process; with `--java-classes DIR` (benches/java/JavaBigIntegerSrp.java, compiled by
//! compare.sh) `java.math.BigInteger` on the JVM in a child process, with HotSpot's BigInteger
//! intrinsics and without them. Every baseline must reproduce the core's SRP_A and
//! signature (the child ones: SRP_A and S, or SRP_A and the signature) before it is timed;
//! a mismatch ends the run with exit status 1.
//!
//! `--core-runs N --a-bytes L --part whole|A|claim` only runs the core's computation N times
//! (for `benches/callgrind.sh`'s instruction counts) and prints nothing.
//!
//! The JVM runs `--java-warm-up` seconds (default 3) of the computation before it is timed, so
//! that C2 has compiled `modPow`. Each of `--rounds` rounds (default 6) measures `--pairs` pairs
//! (default 101) of every
//! comparison in turn, so slow phases of the shared machine fall on all comparisons alike. The
//! child processes (libtommath, each JVM) are started anew for every round after the first:
//! one JVM's JIT can compile `modPow` faster or slower than the next, and only new processes
//! show it. The interval resamples rounds, so it covers that.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark tool: fixed, well-formed inputs"
)]

use core::hint::black_box;
use std::process::ExitCode;

use cognito_auth_benches::paired::{
    Child, Contender, InProcess, Sample, Summary, cpu_info, measure_pairs, summarise, warm_up,
};
use cognito_auth_benches::{
    SrpInputs, core_claim, core_password_claim, dig, gmp, hash, key_and_signature,
};
use cognito_auth_core::UnixTime;
use cognito_auth_core::srp::{EphemeralSecret, PasswordVerifierChallenge, SrpClient};
use rug::Integer;
use rug::integer::Order;

struct Options {
    pairs: usize,
    rounds: usize,
    wall: bool,
    libtommath: Option<String>,
    java_classes: Option<String>,
    java: String,
    java_warm_up: f64,
    json: Option<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        pairs: 101,
        rounds: 6,
        wall: false,
        libtommath: None,
        java_classes: None,
        java: "java".into(),
        java_warm_up: 3.0,
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--pairs" => options.pairs = value()?.parse().map_err(|e| format!("--pairs: {e}"))?,
            "--rounds" => {
                options.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?;
            }
            "--wall" => options.wall = true,
            "--libtommath" => options.libtommath = Some(value()?),
            "--java-classes" => options.java_classes = Some(value()?),
            "--java" => options.java = value()?,
            "--java-warm-up" => {
                options.java_warm_up = value()?
                    .parse()
                    .map_err(|e| format!("--java-warm-up: {e}"))?;
            }
            "--json" => options.json = Some(value()?),
            "-h" | "--help" => {
                return Err("usage: srp_paired [--pairs N] [--rounds R] [--wall] \
                            [--libtommath EXE] [--java-classes DIR] [--java JAVA] [--java-warm-up SECONDS] \
                            [--json OUT]"
                    .into());
            }
            other => return Err(format!("unknown option {other} (see --help)")),
        }
    }
    if options.pairs == 0 || options.rounds == 0 {
        return Err("--pairs and --rounds must be at least 1".into());
    }
    Ok(options)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The libtommath child for `inputs`, checked against the core: A, and S through the shared
/// HKDF/HMAC to the core's signature.
fn libtommath(exe: &str, inputs: &SrpInputs) -> Result<Child, String> {
    let (core_a, core_signature) = core_claim(inputs);
    let group = gmp::Group::new();
    let a_pub = Integer::from_str_radix(&core_a, 16).map_err(|e| e.to_string())?;
    let b_pub = Integer::from_str_radix(&inputs.srp_b, 16).map_err(|e| e.to_string())?;
    let u = Integer::from_digits(&hash(&[&gmp::pad(&a_pub), &gmp::pad(&b_pub)]), Order::Msf);
    let x = gmp::private_key(inputs);
    let hex16 = |v: &Integer| v.to_string_radix(16);
    let (child, results) = Child::spawn(
        "libtommath",
        exe,
        &[],
        &[
            ("N", hex16(&group.n)),
            ("g", hex16(&group.g)),
            ("k", hex16(&group.k)),
            ("a", hex(&inputs.a)),
            ("B", inputs.srp_b.clone()),
            ("x", hex16(&x)),
            ("u", hex16(&u)),
        ],
    )?;
    let get = |key: &str| {
        results
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .ok_or(format!("libtommath: no {key} in its answer"))
    };
    let child_a = get("A")?;
    let child_s = Integer::from_str_radix(&get("S")?, 16).map_err(|e| e.to_string())?;
    let signature = key_and_signature(&gmp::pad(&u), &gmp::pad(&child_s), inputs);
    if child_a != core_a || signature != core_signature {
        return Err(format!(
            "libtommath (a = {} bytes) does not reproduce the core: A {} , signature {signature} vs {core_signature}",
            inputs.a.len(),
            if child_a == core_a {
                "matches"
            } else {
                "differs"
            },
        ));
    }
    Ok(child)
}

/// The JVM child for `inputs`, checked against the core: A and the signature.
fn java(
    java: &str,
    classes: &str,
    flags: &[&str],
    name: &str,
    inputs: &SrpInputs,
) -> Result<Child, String> {
    let (core_a, core_signature) = core_claim(inputs);
    let mut args: Vec<String> = flags.iter().map(|f| (*f).to_owned()).collect();
    args.extend([
        "-cp".to_owned(),
        classes.to_owned(),
        "JavaBigIntegerSrp".to_owned(),
    ]);
    let (child, results) = Child::spawn(
        name,
        java,
        &args,
        &[
            ("N", cognito_auth_benches::N_HEX.to_owned()),
            ("a", hex(&inputs.a)),
            ("B", inputs.srp_b.clone()),
            ("salt", inputs.salt.clone()),
            ("pool", inputs.pool_name.clone()),
            ("user", inputs.user.clone()),
            ("password", inputs.password.clone()),
            ("secret_block", inputs.secret_block.clone()),
            (
                "timestamp",
                UnixTime::from_secs(inputs.now).cognito_timestamp(),
            ),
        ],
    )?;
    let expected = [("A", core_a), ("signature", core_signature)];
    for (key, value) in &expected {
        if !results.iter().any(|(k, v)| k == key && v == value) {
            return Err(format!(
                "{name} (a = {} bytes) does not reproduce the core's {key}: {results:?}",
                inputs.a.len()
            ));
        }
    }
    Ok(child)
}

/// Starts a baseline: once for an in-process one, anew for each round for a child process.
type Start = Box<dyn FnMut() -> Result<Box<dyn Contender>, String>>;

struct Comparison {
    name: String,
    baseline: String,
    a_len: usize,
    core: Box<dyn Contender>,
    other: Box<dyn Contender>,
    /// For a child process: starts a new one for the next round (a new JVM compiles
    /// `modPow` its own way; the round-level bootstrap then carries that into the interval).
    restart: Option<Start>,
    warm_up_seconds: f64,
    /// The pairs of each round.
    rounds: Vec<Vec<(Sample, Sample)>>,
}

fn in_process(inputs: SrpInputs, f: fn(&SrpInputs) -> (String, String)) -> Box<dyn Contender> {
    Box::new(InProcess(move || {
        black_box(f(black_box(&inputs)));
    }))
}

fn comparisons(options: &Options) -> Result<Vec<Comparison>, String> {
    let mut out = Vec::new();
    let mut add = |name: &str,
                   baseline: &str,
                   a_len: usize,
                   other: Box<dyn Contender>,
                   restart: Option<Start>,
                   warm: f64| {
        out.push(Comparison {
            name: format!("srp_client_a{a_len}_vs_{name}"),
            baseline: baseline.to_owned(),
            a_len,
            core: in_process(SrpInputs::seeded(a_len), core_claim),
            other,
            restart,
            warm_up_seconds: warm,
            rounds: Vec::new(),
        });
    };
    for a_len in [32, 128] {
        let inputs = SrpInputs::seeded(a_len);
        // The core and every in-process baseline agree on these inputs (lib.rs unit tests).
        add(
            "gmp_powm_sec",
            "GMP 6.2 mpz_powm_sec (Debian libgmp, rug)",
            a_len,
            in_process(inputs.clone(), |i| gmp::claim(i, gmp::PowMode::PowmSec)),
            None,
            0.2,
        );
        if a_len == 128 {
            add(
                "gmp_powm",
                "GMP 6.2 mpz_powm (Debian libgmp, rug)",
                a_len,
                in_process(inputs.clone(), |i| gmp::claim(i, gmp::PowMode::Powm)),
                None,
                0.2,
            );
            add(
                "num_bigint_dig",
                "num-bigint-dig 0.9 BigUint::modpow",
                a_len,
                in_process(inputs.clone(), dig::claim),
                None,
                0.2,
            );
        }
        if let Some(exe) = &options.libtommath {
            let (exe, restart_inputs) = (exe.clone(), inputs.clone());
            add(
                "libtommath",
                "libtommath 1.2 mp_exptmod (Debian libtommath, C, child process, a new one each round)",
                a_len,
                Box::new(libtommath(&exe, &inputs)?),
                Some(Box::new(move || {
                    Ok(Box::new(libtommath(&exe, &restart_inputs)?) as Box<dyn Contender>)
                })),
                0.3,
            );
        }
    }
    if let Some(classes) = &options.java_classes {
        let no_intrinsics: &'static [&'static str] = &[
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:-UseMontgomeryMultiplyIntrinsic",
            "-XX:-UseMontgomerySquareIntrinsic",
            "-XX:-UseMultiplyToLenIntrinsic",
            "-XX:-UseSquareToLenIntrinsic",
            "-XX:-UseMulAddIntrinsic",
        ];
        let variants: [(&str, &str, &'static [&'static str]); 2] = [
            (
                "java_biginteger",
                "java.math.BigInteger.modPow, HotSpot with its BigInteger intrinsics (child process, a new JVM each round)",
                &[],
            ),
            (
                "java_biginteger_no_intrinsics",
                "java.math.BigInteger.modPow, HotSpot with its BigInteger intrinsics off (child process, a new JVM each round)",
                no_intrinsics,
            ),
        ];
        for (name, baseline, flags) in variants {
            let inputs = SrpInputs::seeded(128);
            let (jvm, classes) = (options.java.clone(), classes.clone());
            let first = java(&jvm, &classes, flags, name, &inputs)?;
            add(
                name,
                baseline,
                128,
                Box::new(first),
                Some(Box::new(move || {
                    Ok(Box::new(java(&jvm, &classes, flags, name, &inputs)?) as Box<dyn Contender>)
                })),
                options.java_warm_up,
            );
        }
    }
    Ok(out)
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

fn ratio(r: f64) -> String {
    if r >= 0.1 {
        format!("{r:.3}")
    } else {
        format!("{r:.4}")
    }
}

/// `--core-runs N --a-bytes L --part whole|A|claim`: the core alone, N times.
fn core_runs(args: &[String]) -> Result<(), String> {
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .ok_or(format!("{flag} needs a value"))
    };
    let runs: u32 = value("--core-runs")?
        .parse()
        .map_err(|e| format!("--core-runs: {e}"))?;
    let a_len: usize = value("--a-bytes")?
        .parse()
        .map_err(|e| format!("--a-bytes: {e}"))?;
    let inputs = SrpInputs::seeded(a_len);
    let secret = EphemeralSecret::from_bytes(&inputs.a).map_err(|e| e.to_string())?;
    let client = SrpClient::new(&secret).map_err(|e| e.to_string())?;
    let challenge =
        PasswordVerifierChallenge::parse(&inputs.salt, &inputs.srp_b, &inputs.secret_block)
            .map_err(|e| e.to_string())?;
    let part = value("--part")?;
    for _ in 0..runs {
        match part.as_str() {
            "whole" => drop(black_box(core_claim(black_box(&inputs)))),
            "A" => drop(black_box(SrpClient::new(black_box(&secret)))),
            "claim" => drop(black_box(core_password_claim(
                &client,
                black_box(&challenge),
                &inputs,
            ))),
            other => return Err(format!("--part {other}: expected whole, A or claim")),
        }
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--core-runs") {
        return core_runs(&args);
    }
    let options = parse_args()?;
    let cpu = cpu_info();
    let mut all = comparisons(&options)?;
    eprintln!("srp_paired: warming up");
    for c in &mut all {
        warm_up(c.core.as_mut(), 0.2, 3, options.wall)?;
        warm_up(c.other.as_mut(), c.warm_up_seconds, 3, options.wall)?;
    }
    for round in 1..=options.rounds {
        eprintln!(
            "srp_paired: round {round} of {} ({} pairs per comparison)",
            options.rounds, options.pairs
        );
        for c in &mut all {
            if round > 1
                && let Some(restart) = c.restart.as_mut()
            {
                // The old child quits when dropped; the new one is checked and warmed up.
                c.other = restart()?;
                warm_up(c.other.as_mut(), c.warm_up_seconds, 3, options.wall)?;
            }
            let pairs = measure_pairs(c.core.as_mut(), c.other.as_mut(), options.pairs)?;
            c.rounds.push(pairs);
        }
    }
    let summaries: Vec<(&Comparison, Summary)> = all
        .iter()
        .enumerate()
        .map(|(i, c)| (c, summarise(&c.rounds, options.wall, 0x5eed + i as u64)))
        .collect();

    let clock = if options.wall {
        "wall-clock time"
    } else {
        "thread CPU time"
    };
    println!("cpu: {}", cpu.describe());
    println!(
        "Paired comparison ({clock}): each pair runs the core and the baseline back to back, in \
         alternating order; R = median of the per-pair ratios core ÷ baseline over {} rounds of {} \
         pairs (a child-process baseline is started anew each round); [lo, hi] = bootstrap 95 % \
         interval of that median resampling rounds, then pairs within them (2000 resamples); \
         p10-p90 and min-max = spread of the single pairs; rounds = each round's median",
        options.rounds, options.pairs
    );
    println!(
        "  {:<44} {:>11} {:>11} {:>7} {:>17} {:>15} {:>15}",
        "comparison", "core", "baseline", "R", "95 % interval", "p10-p90", "min-max"
    );
    for (c, s) in &summaries {
        println!(
            "  {:<44} {:>11} {:>11} {:>7} {:>17} {:>15} {:>15}",
            c.name,
            human(s.core_ns),
            human(s.baseline_ns),
            ratio(s.ratio),
            format!("[{}, {}]", ratio(s.interval.0), ratio(s.interval.1)),
            format!("{}-{}", ratio(s.p10_p90.0), ratio(s.p10_p90.1)),
            format!("{}-{}", ratio(s.min_max.0), ratio(s.min_max.1)),
        );
    }
    println!(
        "  each round's median ratio (a new child process per round for libtommath and Java):"
    );
    for (c, s) in &summaries {
        let rounds: Vec<String> = s.round_ratios.iter().map(|r| ratio(*r)).collect();
        println!("    {:<44} {}", c.name, rounds.join(" "));
    }
    println!("  baselines:");
    let mut seen = Vec::new();
    for (c, _) in &summaries {
        let key = c.name.split_once("_vs_").map_or("", |(_, b)| b);
        if !seen.contains(&key) {
            seen.push(key);
            println!("    {key}: {}", c.baseline);
        }
    }
    if options.java_classes.is_some() {
        println!(
            "  note: HotSpot (the JVM here) has Montgomery multiply/square intrinsics for \
             BigInteger.modPow on x86-64 (and multiplyToLen, squareToLen, mulAdd); ART on \
             Android phones has fewer. The _no_intrinsics line is HotSpot with all five off: \
             what the pure-Java code costs. No phone was measured"
        );
    }
    println!(
        "  note: Dart BigInt (Amplify Flutter) is not measured: no Dart VM can be installed here \
         (Debian, npm and PyPI ship no Dart SDK)"
    );
    println!();
    for (c, s) in &summaries {
        println!(
            "{}: {} [{}, {}]",
            c.name,
            ratio(s.ratio),
            ratio(s.interval.0),
            ratio(s.interval.1)
        );
    }
    if let Some(path) = &options.json {
        let comparisons: Vec<serde_json::Value> = summaries
            .iter()
            .map(|(c, s)| {
                serde_json::json!({
                    "name": c.name,
                    "baseline": c.baseline,
                    "a_bytes": c.a_len,
                    "pairs": s.pairs,
                    "ratio_median": s.ratio,
                    "ratio_bootstrap95_by_round": [s.interval.0, s.interval.1],
                    "round_ratio_medians": s.round_ratios,
                    "ratio_p10_p90": [s.p10_p90.0, s.p10_p90.1],
                    "ratio_min_max": [s.min_max.0, s.min_max.1],
                    "core_median_ns": s.core_ns,
                    "baseline_median_ns": s.baseline_ns,
                })
            })
            .collect();
        let json = serde_json::json!({
            "cpu": {
                "model": cpu.model,
                "family_model_stepping": cpu.family_model_stepping,
                "virtualised": cpu.virtualised,
                "flags": cpu.flags.iter().map(|(f, p)| (f.to_string(), serde_json::Value::Bool(*p))).collect::<serde_json::Map<_, _>>(),
            },
            "clock": clock,
            "rounds": options.rounds,
            "pairs_per_round": options.pairs,
            "comparisons": comparisons,
        });
        std::fs::write(path, format!("{json:#}\n")).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("srp_paired: {message}");
            ExitCode::FAILURE
        }
    }
}
