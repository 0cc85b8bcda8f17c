#!/usr/bin/env python3
"""Reads criterion's medians back for benches/compare.sh and prints the table and the ratios.

  compare_report.py collect CRITERION_DIR SINCE_EPOCH_SECS OUT_JSON
      every benchmark whose new/estimates.json was written at or after SINCE -> {id: median ns}
  compare_report.py report WORK_DIR [--clock cpu|wall] [--ffi-bytes N] [--js JSON_FILE]
      WORK_DIR holds client-round-*.json (the srp_client groups, one file per round) and
      other.json (parts, protocol); prints the table and the `name: value` lines.
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


def report(work: str, clock: str, ffi_bytes: str | None, js_file: str | None) -> None:
    work_dir = Path(work)
    rounds = [json.loads(p.read_text()) for p in sorted(work_dir.glob("client-round-*.json"))]
    other = json.loads((work_dir / "other.json").read_text()) if (work_dir / "other.json").exists() else {}
    if not rounds:
        sys.exit("compare_report.py: no srp_client rounds")

    def per_round(a_len: int, impl: str) -> list[float]:
        key = f"srp_client_a{a_len}/{impl}"
        values = [r[key] for r in rounds if key in r]
        if len(values) != len(rounds):
            sys.exit(f"compare_report.py: {key} missing from a round")
        return values

    def ratio(a_len: int, impl: str) -> float:
        """Median over rounds of (core / impl) measured in the same round."""
        core = per_round(a_len, "core")
        base = per_round(a_len, impl)
        return statistics.median(c / b for c, b in zip(core, base))

    clock_name = "thread CPU time" if clock == "cpu" else "wall-clock time"
    lines = []
    lines.append(f"SRP client, whole computation ({clock_name}, median of {len(rounds)} round(s); "
                 "ratio = core / implementation, same round)")
    lines.append(f"  {'benchmark':<42} {'median':>12} {'core ÷ this':>12}")
    for a_len in (32, 128):
        for impl in IMPLEMENTATIONS:
            median = statistics.median(per_round(a_len, impl))
            r = "" if impl == "core" else ratio_text(ratio(a_len, impl))
            lines.append(f"  {f'srp_client_a{a_len}/{impl}':<42} {human(median):>12} {r:>12}")
    if other:
        lines.append("")
        lines.append(f"Parts and protocol operations ({clock_name}, one run)")
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
                     "(process-wide); same SRP_A and signature as the core")
    print("\n".join(lines))
    print()
    print(f"srp_client_a32_vs_gmp_powm_sec: {ratio_text(ratio(32, 'gmp_powm_sec'))}")
    print(f"srp_client_a128_vs_gmp_powm_sec: {ratio_text(ratio(128, 'gmp_powm_sec'))}")
    print(f"srp_client_a128_vs_num_bigint_dig: {ratio_text(ratio(128, 'num_bigint_dig'))}")
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
        ffi_bytes = js_file = None
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
            else:
                sys.exit(f"compare_report.py: bad option {flag}")
        report(argv[2], clock, ffi_bytes, js_file)
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
