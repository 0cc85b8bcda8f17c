#!/usr/bin/env python3
"""Writes the fenced code blocks of one language from a Markdown file to separate files.

    md_snippets.py bindings/README.md swift OUTDIR     # -> OUTDIR/snippet-1.swift, ...

So that the documentation's snippets go through the same syntax and API-name checks as the
tests (bindings/swift/check.sh, bindings/dart/check.sh). Prints the files written; exit status 1
if the file has no block of that language (a renamed fence would otherwise skip the check).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FENCE = re.compile(r"^```(\w+)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    markdown, lang, out_dir = Path(argv[0]), argv[1], Path(argv[2])
    blocks = [m.group(2) for m in FENCE.finditer(markdown.read_text(encoding="utf-8")) if m.group(1) == lang]
    if not blocks:
        print(f"md_snippets.py: {markdown} has no ```{lang} block", file=sys.stderr)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    for index, block in enumerate(blocks, start=1):
        path = out_dir / f"snippet-{index}.{lang}"
        path.write_text(block, encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
