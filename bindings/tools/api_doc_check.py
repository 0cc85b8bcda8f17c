#!/usr/bin/env python3
"""bindings/API.md against the exported API: every exported name documented, no stale name.

    api_doc_check.py --generated target/bindings/python/cognito_auth_ffi.py --doc bindings/API.md

The generated Python module is UniFFI's rendering of the library's metadata (the same metadata
every language's bindings come from), so its top-level functions, its public classes (records,
enums, objects, the error) and the constructors and methods of its objects are the exported
API, in the Rust (snake_case) spelling API.md uses. The check fails when:
  - an exported function, class or object method is not named in API.md (undocumented), or
  - API.md names a call `some_name(` that is neither exported nor in the allowlist below
    (a renamed or removed function left in the documentation).
One line per problem, then `api_doc_check: N passed, M failed`; exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

# Names API.md may use in calls that are not exports, each with its reason.
NOT_EXPORTS = {
    "dump", "vars", "repr", "str",  # Swift / Python functions, in the section on what bypasses redaction
    "export",  # the #[uniffi::export(Debug, Display)] attribute
    "new",  # an object's primary constructor: Rust `new`, Python `__init__`, Kotlin/Swift `init`
    "pending_step", "username",  # the core's methods, in prose on why the binding differs
}
# UniFFI's own classes in every generated module.
UNIFFI_INTERNAL = {"InternalError"}


def exported(module: Path) -> tuple[set[str], set[str], dict[str, set[str]]]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    functions: set[str] = set()
    classes: set[str] = set()
    methods: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            functions.add(node.name)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            if node.name.endswith("Protocol") or node.name in UNIFFI_INTERNAL:
                continue
            classes.add(node.name)
            names = {
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_")
            }
            # Objects have a pointer handle; records and enums only generated helpers.
            if any(isinstance(item, ast.FunctionDef) and item.name == "_uniffi_clone_handle"
                   for item in node.body):
                methods[node.name] = names
    return functions, classes, methods


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=Path, required=True)
    parser.add_argument("--doc", type=Path, required=True)
    args = parser.parse_args()
    functions, classes, methods = exported(args.generated)
    if not functions or not classes:
        print(f"api_doc_check: no exports found in {args.generated}", file=sys.stderr)
        return 1
    doc = args.doc.read_text(encoding="utf-8")
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", doc))
    calls = set(re.findall(r"(?<![A-Za-z0-9_.])([a-z][a-z0-9_]*)\(", doc))
    method_calls = set(re.findall(r"[.`]([a-z][a-z0-9_]*)\(", doc))
    all_methods = set().union(*methods.values()) if methods else set()

    passed = failed = 0

    def check(ok: bool, problem: str) -> None:
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"api_doc_check: {problem}")

    # The account operations are documented in pairs: `<op>_request(...)` in the table and
    # `parse_<op>_response(...)` by the section's naming rule.
    pattern = "parse_<op>_response" in doc
    for name in sorted(functions):
        pair = re.fullmatch(r"parse_([a-z0-9_]+)_response", name)
        by_rule = bool(pair) and pattern and f"{pair.group(1)}_request" in calls
        check(
            name in calls or by_rule,
            f"function {name} is exported but API.md does not show `{name}(`",
        )
    for name in sorted(classes):
        check(name in words, f"type {name} is exported but API.md never names it")
    for owner, names in sorted(methods.items()):
        for name in sorted(names):
            check(name in words, f"{owner}.{name} is exported but API.md never names it")
    for name in sorted(calls | method_calls):
        if name in NOT_EXPORTS:
            continue
        check(
            name in functions or name in all_methods,
            f"API.md shows `{name}(`, which the library does not export",
        )
    print(f"api_doc_check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
