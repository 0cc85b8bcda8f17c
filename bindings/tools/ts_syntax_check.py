#!/usr/bin/env python3
"""Syntax check of Swift and Dart files with tree-sitter (no Swift toolchain or Dart SDK here).

    ts_syntax_check.py FILE...

A file passes when its parse tree has no ERROR and no MISSING node. Prints each problem with
file:line:column and the source line, then `ts_syntax_check: N passed, M failed` (one per file).
Exit status 1 if any file failed or could not be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tslang  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    passed = failed = 0
    for arg in argv:
        path = Path(arg)
        try:
            parsed = tslang.parse(path)
        except (OSError, ValueError) as err:
            print(f"FAIL {path}: {err}")
            failed += 1
            continue
        problems = tslang.syntax_problems(parsed)
        if problems:
            failed += 1
            print(f"FAIL {path}: {len(problems)} syntax problem(s)")
            for p in problems[:20]:
                print(f"  {path}:{p.line}:{p.column}: {p.kind}: {p.text}")
            if len(problems) > 20:
                print(f"  ... and {len(problems) - 20} more")
        else:
            passed += 1
    print(f"ts_syntax_check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
