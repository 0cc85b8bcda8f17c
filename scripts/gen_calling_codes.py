#!/usr/bin/env python3
"""Generate crates/cognito-auth-core/src/phone_number/calling_codes.rs from the calling-code TSV.

The TSV (crates/cognito-auth-core/tests/data/country_calling_codes.tsv, exported from
phonenumbers 9.0.43) is the single source of the table. A Rust unit test re-reads the same TSV
and fails when the generated file is stale, so after editing the TSV run:

    python3 scripts/gen_calling_codes.py            # rewrite the Rust file
    python3 scripts/gen_calling_codes.py --check    # exit 1 if the Rust file is out of date

One fact is not in the TSV: which national significant numbers (NSNs) begin with 0. It decides
whether a 0 typed right after the calling code is a trunk prefix typed by mistake. It lives in
DIGITS_AFTER_LEADING_ZERO below, computed from phonenumbers 9.0.43 by partial-matching "0d"
against every region's general_desc national_number_pattern; re-check it after a metadata update
with (needs `pip install phonenumbers regex`):

    python3 scripts/gen_calling_codes.py --verify-leading-zero

Standard library only (apart from that optional check).
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATE = ROOT / "crates" / "cognito-auth-core"
DEFAULT_TSV = CRATE / "tests" / "data" / "country_calling_codes.tsv"
DEFAULT_OUT = CRATE / "src" / "phone_number" / "calling_codes.rs"

# Calling code -> the digits d for which some NSN of that code begins with "0d" (phonenumbers
# 9.0.43). Codes not listed have no NSN that begins with 0. Most entries are toll-free or special
# ranges (JP 0037/0066, KR 00798, IN 000800, ...); Italy, Norway and several African codes use
# leading zeros in ordinary numbers.
DIGITS_AFTER_LEADING_ZERO = {
    39: "0123456789",
    47: "0123456789",
    62: "0",
    66: "0",
    81: "0",
    82: "0",
    91: "0",
    225: "0123456789",
    226: "0123456789",
    227: "0123456789",
    229: "1",
    241: "0123456789",
    242: "0123456789",
    247: "0123456789",
    250: "6",
    267: "8",
    268: "8",
    359: "0",
    378: "5",
    501: "8",
    507: "0",
    598: "0",
    676: "8",
    679: "8",
    687: "5",
    800: "0",
    853: "8",
    881: "0123456789",
    888: "0123456789",
    974: "0",
    992: "0123456789",
}

COLUMNS = [
    "calling_code",
    "regions",
    "nsn_lengths",
    "min_nsn",
    "max_nsn",
    "max_e164_digits",
    "national_prefix",
    "international_prefix",
]


def read_tsv(path):
    """Rows of the TSV as dicts, checked for the invariants the Rust code relies on."""
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if line and not line.startswith("#")]
    if not body or body[0].split("\t") != COLUMNS:
        sys.exit(f"{path}: header must be {COLUMNS}")
    rows = []
    for number, line in enumerate(body[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            sys.exit(f"{path}: row {number} has {len(fields)} fields")
        row = dict(zip(COLUMNS, fields))
        code = int(row["calling_code"])
        lengths = [int(n) for n in row["nsn_lengths"].split(",")]
        if not 1 <= code <= 999:
            sys.exit(f"{path}: calling code {code} out of range")
        if lengths != sorted(set(lengths)) or not 1 <= lengths[0] <= lengths[-1] <= 32:
            sys.exit(f"{path}: +{code}: bad nsn_lengths {lengths}")
        if (lengths[0], lengths[-1]) != (int(row["min_nsn"]), int(row["max_nsn"])):
            sys.exit(f"{path}: +{code}: min_nsn/max_nsn disagree with nsn_lengths")
        if not row["national_prefix"].isdigit() and row["national_prefix"] != "":
            sys.exit(f"{path}: +{code}: national prefix is not digits")
        regions = row["regions"].split(",")
        rows.append(
            {
                "code": code,
                "regions": regions,
                "lengths": lengths,
                "national_prefix": row["national_prefix"],
                "after_zero": DIGITS_AFTER_LEADING_ZERO.get(code, ""),
            }
        )
    codes = [row["code"] for row in rows]
    if codes != sorted(set(codes)):
        sys.exit(f"{path}: calling codes must be unique and sorted")
    texts = [str(code) for code in codes]
    for a in texts:
        for b in texts:
            if a != b and b.startswith(a):
                sys.exit(f"{path}: +{a} is a prefix of +{b}; the parser needs a prefix-free set")
    unknown = set(DIGITS_AFTER_LEADING_ZERO) - set(codes)
    if unknown:
        sys.exit(f"DIGITS_AFTER_LEADING_ZERO names codes not in the TSV: {sorted(unknown)}")
    return comments, rows


def rust_str_list(items):
    return "&[" + ", ".join(f'"{item}"' for item in items) + "]"


def rust_u8_list(items):
    return "&[" + ", ".join(str(item) for item in items) + "]"


def render(comments, rows, tsv_name):
    source = " ".join(line.lstrip("# ").strip() for line in comments) or "unknown source"
    out = [
        f"// @generated by scripts/gen_calling_codes.py from tests/data/{tsv_name} ({source}).",
        "// DO NOT EDIT: change the TSV (or the script) and re-run the script. A unit test in",
        "// calling_code.rs re-reads the TSV and fails when this file is stale.",
        "",
        "//! The assigned ITU country calling codes, sorted by code (a prefix-free set).",
        "",
        "use super::calling_code::Entry;",
        "",
        f"/// All {len(rows)} assigned calling codes, sorted by `code` for binary search.",
        "#[rustfmt::skip]",
        "pub(super) static CALLING_CODES: &[Entry] = &[",
    ]
    for row in rows:
        out.append(
            "    Entry {"
            f" code: {row['code']},"
            f" nsn_lengths: {rust_u8_list(row['lengths'])},"
            f" national_prefix: \"{row['national_prefix']}\","
            f" digits_after_leading_zero: {rust_u8_list(int(d) for d in row['after_zero'])},"
            f" regions: {rust_str_list(row['regions'])}"
            " },"
        )
    out.append("];")
    return "\n".join(out) + "\n"


def verify_leading_zero():
    """Recompute DIGITS_AFTER_LEADING_ZERO from the installed phonenumbers metadata."""
    import phonenumbers  # noqa: PLC0415 (optional dependency)
    import regex  # noqa: PLC0415
    from phonenumbers import PhoneMetadata
    from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

    computed = {}
    for code, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        patterns = []
        for region in regions:
            metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
            if metadata is not None:
                patterns.append(metadata.general_desc.national_number_pattern)
        digits = "".join(
            d
            for d in "0123456789"
            if any(regex.fullmatch(p, "0" + d, partial=True) for p in patterns)
        )
        if digits:
            computed[code] = digits
    if computed != DIGITS_AFTER_LEADING_ZERO:
        print(f"phonenumbers {phonenumbers.__version__} computes:\n{computed}")
        return 1
    print(f"DIGITS_AFTER_LEADING_ZERO agrees with phonenumbers {phonenumbers.__version__}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="fail if --out is out of date")
    parser.add_argument(
        "--verify-leading-zero",
        action="store_true",
        help="recompute the leading-zero data with phonenumbers + regex and compare",
    )
    args = parser.parse_args()
    if args.verify_leading_zero:
        return verify_leading_zero()
    comments, rows = read_tsv(args.tsv)
    text = render(comments, rows, args.tsv.name)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale; run scripts/gen_calling_codes.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} calling codes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
