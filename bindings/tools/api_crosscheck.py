#!/usr/bin/env python3
"""Names used by hand-written Swift/Dart tests must exist in the generated bindings.

    api_crosscheck.py --generated CognitoAuth.swift --known bindings/tools/known-names/swift.txt TEST...

Without a compiler, a renamed or mistyped API name in a test would only show up on a developer's
Mac or in a Flutter project. This catches it here. Every identifier in a test file (outside
comments and string text, found with tree-sitter) must be one of:
  - a name that occurs in the generated bindings (types, functions, methods, fields, enum cases,
    argument labels, and the platform names the generated code itself uses);
  - a name one of the test files declares (a variable, parameter, function, class...);
  - a platform or test-framework name listed in the --known file (XCTest, Foundation,
    package:test, dart:io...), one per line, `#` starts a comment.
Anything else is reported with its line and the closest generated names. One result per test
file: `api_crosscheck: N passed, M failed`. Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tslang  # noqa: E402


def read_known(path: Path) -> set[str]:
    known: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        known.update(line.split("#", 1)[0].split())
    return known


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generated", required=True, action="append", type=Path, help="generated bindings file")
    ap.add_argument("--known", required=True, type=Path, help="platform/test-framework names, one per line")
    ap.add_argument("tests", nargs="+", type=Path, help="hand-written test files")
    args = ap.parse_args(argv)

    generated: set[str] = set()
    for path in args.generated:
        generated.update(n.text for n in tslang.names(tslang.parse(path)))
    known = read_known(args.known)

    # The test files form one module (Swift) or one package (Dart): a helper declared in one file
    # is used in another, so declarations are collected from all of them first.
    parsed_tests = [(test, tslang.parse(test)) for test in args.tests]
    declared: set[str] = set()
    for _, parsed in parsed_tests:
        declared.update(n.text for n in tslang.names(parsed) if n.declared)

    passed = failed = 0
    api_names_used: set[str] = set()
    for test, parsed in parsed_tests:
        problems = tslang.syntax_problems(parsed)
        if problems:
            # Identifiers from a broken parse are unreliable; ts_syntax_check reports the details.
            failed += 1
            print(f"FAIL {test}: does not parse ({len(problems)} syntax problem(s)), names not checked")
            continue
        occurrences = tslang.names(parsed)
        unknown: dict[str, list[int]] = {}
        for n in occurrences:
            if n.text in generated or n.text in declared or n.text in known:
                if n.text in generated and n.text not in known and n.text not in declared:
                    api_names_used.add(n.text)
                continue
            unknown.setdefault(n.text, []).append(n.line)
        if unknown:
            failed += 1
            print(f"FAIL {test}: {len(unknown)} name(s) not in the generated bindings:")
            for name, lines in sorted(unknown.items(), key=lambda kv: kv[1][0]):
                close = difflib.get_close_matches(name, generated, n=3, cutoff=0.75)
                hint = f" (generated has: {', '.join(close)})" if close else ""
                shown = ", ".join(str(x) for x in lines[:5])
                print(f"  {test}:{shown}: `{name}`{hint}")
            print(f"  (a platform or test-framework name belongs in {args.known})")
        else:
            passed += 1
    print(f"api_crosscheck: {passed} passed, {failed} failed ({len(api_names_used)} distinct generated names used)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
