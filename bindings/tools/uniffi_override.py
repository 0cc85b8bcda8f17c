#!/usr/bin/env python3
"""Writes a copy of a UniFFI global config (uniffi.toml) with some keys set, for one build.

    uniffi_override.py --base uniffi.toml --out build/uniffi-android.toml \\
        --set crates.cognito_auth_ffi.bindings.kotlin.android=true

uniffi-bindgen 0.32 takes a single --config file, so a build that needs one more key (the Android
AAR needs `android = true` in the Kotlin bindings; the plain JVM build must not have it) uses a
copy of the workspace config with the key added. The copy keeps every other line and comment of
the base; a key already in the table is replaced. Values are TOML literals (true, 42, "text").
The result is parsed back with tomllib and checked to hold each value, so a typo in a table name
fails here instead of being ignored silently by the generator.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path


def set_key(lines: list[str], table: str, key: str, literal: str) -> list[str]:
    header = f"[{table}]"
    start = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        return lines + ["", header, f"{key} = {literal}"]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    key_line = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for i in range(start + 1, end):
        if key_line.match(lines[i]):
            return lines[:i] + [f"{key} = {literal}"] + lines[i + 1 :]
    return lines[: start + 1] + [f"{key} = {literal}"] + lines[start + 1 :]


def lookup(doc: dict, dotted: list[str]) -> object:
    node: object = doc
    for part in dotted:
        if not isinstance(node, dict) or part not in node:
            raise KeyError(".".join(dotted))
        node = node[part]
    return node


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--set", dest="sets", action="append", required=True, metavar="TABLE.KEY=VALUE")
    args = ap.parse_args(argv)

    lines = args.base.read_text(encoding="utf-8").splitlines()
    expected: list[tuple[list[str], object]] = []
    for item in args.sets:
        path, sep, literal = item.partition("=")
        parts = path.strip().split(".")
        if not sep or len(parts) < 2:
            ap.error(f"--set {item!r}: expected TABLE.KEY=VALUE")
        value = tomllib.loads(f"v = {literal.strip()}")["v"]
        lines = set_key(lines, ".".join(parts[:-1]), parts[-1], literal.strip())
        expected.append((parts, value))

    text = "\n".join(lines) + "\n"
    doc = tomllib.loads(text)
    for parts, value in expected:
        if lookup(doc, parts) != value:
            print(f"uniffi_override.py: {'.'.join(parts)} did not come out as {value!r}", file=sys.stderr)
            return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
