#!/usr/bin/env python3
"""Reads criterion's medians back for benches/compare.sh and prints the table and the ratios.

  compare_report.py collect CRITERION_DIR SINCE_EPOCH_SECS OUT_JSON
      every benchmark whose new/estimates.json was written at or after SINCE -> {id: median ns}
  compare_report.py report WORK_DIR [--clock cpu|wall] [--paired TEXT_FILE] [--ffi-bytes N]
                           [--js JSON_FILE]
      WORK_DIR holds client-round-*.json (the srp_client groups, one file per round) and
      other.json (parts, protocol). Prints the CPU line of the paired comparison (the output
      of benches/paired.sh), the table of criterion medians, the rest of the paired output
      (its table and its `name: R [lo, hi]` lines), then the `name: value` lines of its own.
"""

import json
import statistics
import sys
from pathlib import Path

IMPLEMENTATIONS = ["core", "gmp_powm_sec", "gmp_powm", "num_bigint_dig"]


def collect(criterion_dir: str, since: str, out: str) -> None:
    medians = {}
    for estimates in Path(criterion_dir).glob("**/new/estimates.json"):
        if estimates.stat().st_mtime < float(since):
            continue
        benchmark = json.loads((estimates.parent / "benchmark.json").read_text())
        median = json.loads(estimates.read_text())["median"]["point_estimate"]
        medians[benchmark["full_id"]] = median
    if not medians:
        sys.exit(f"compare_report.py: no criterion results under {criterion_dir} since {since}")
    Path(out).write_text(json.dumps(medians, indent=1, sort_keys=True))


def human(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.3f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def ratio_text(value: float) -> str:
    return f"{value:.3f}" if value >= 0.1 else f"{value:.4f}"


def report(work: str, clock: str, paired_file: str | None, ffi_bytes: str | None,
           js_file: str | None) -> None:
    work_dir = Path(work)
    rounds = [json.loads(p.read_text()) for p in sorted(work_dir.glob("client-round-*.json"))]
    other = json.loads((work_dir / "other.json").read_text()) if (work_dir / "other.json").exists() else {}
    if not rounds:
        sys.exit("compare_report.py: no srp_client rounds")
    paired = Path(paired_file).read_text().splitlines() if paired_file else []
    cpu_lines = [line for line in paired if line.startswith("cpu: ")]
    paired_rest = [line for line in paired if not line.startswith("cpu: ")]

    def per_round(a_len: int, impl: str) -> list[float]:
        key = f"srp_client_a{a_len}/{impl}"
        values = [r[key] for r in rounds if key in r]
        if len(values) != len(rounds):
            sys.exit(f"compare_report.py: {key} missing from a round")
        return values

    clock_name = "thread CPU time" if clock == "cpu" else "wall-clock time"
    lines = list(cpu_lines)
    lines.append("")
    lines.append(f"SRP client, whole computation (criterion, {clock_name}, median of "
                 f"{len(rounds)} round(s); the ratios are in the paired comparison below)")
    lines.append(f"  {'benchmark':<42} {'median':>12}")
    for a_len in (32, 128):
        for impl in IMPLEMENTATIONS:
            median = statistics.median(per_round(a_len, impl))
            lines.append(f"  {f'srp_client_a{a_len}/{impl}':<42} {human(median):>12}")
    if other:
        lines.append("")
        lines.append(f"Parts and protocol operations (criterion, {clock_name}, one run)")
        lines.append(f"  {'benchmark':<42} {'median':>12}")
        for key in sorted(other, key=lambda k: (k.split("/")[0], k)):
            lines.append(f"  {key:<42} {human(other[key]):>12}")
    js = None
    if js_file:
        js = json.loads(Path(js_file).read_text())
        lines.append("")
        lines.append(f"amazon-cognito-identity-js {js['version']} on node {js['node']} "
                     f"(separate process, a = {js['a_bytes']} bytes, {js['runs']} runs): "
                     f"median {js['median_ms']:.1f} ms wall, {js['cpu_median_ms']:.1f} ms CPU "
                     "(process-wide); same SRP_A and signature as the core; its ratio below "
                     "divides the criterion median of srp_client_a128/core by it (not paired)")
    print("\n".join(lines))
    print()
    if paired_rest:
        print("\n".join(paired_rest))
    if ffi_bytes is not None:
        print(f"ffi_cdylib_release_bytes: {ffi_bytes}")
    if js is not None:
        core_ms = statistics.median(per_round(128, "core")) / 1e6
        js_ms = js["cpu_median_ms"] if clock == "cpu" else js["median_ms"]
        print(f"srp_client_a128_vs_amazon_cognito_identity_js: {ratio_text(core_ms / js_ms)}")


def main(argv: list[str]) -> None:
    if len(argv) == 5 and argv[1] == "collect":
        collect(argv[2], argv[3], argv[4])
        return
    if len(argv) >= 3 and argv[1] == "report":
        ffi_bytes = js_file = paired_file = None
        clock = "cpu"
        rest = argv[3:]
        while rest:
            flag, value, rest = rest[0], rest[1] if len(rest) > 1 else None, rest[2:]
            if flag == "--clock" and value in ("cpu", "wall"):
                clock = value
            elif flag == "--ffi-bytes" and value is not None:
                ffi_bytes = value
            elif flag == "--js" and value is not None:
                js_file = value
            elif flag == "--paired" and value is not None:
                paired_file = value
            else:
                sys.exit(f"compare_report.py: bad option {flag}")
        report(argv[2], clock, paired_file, ffi_bytes, js_file)
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
