#!/usr/bin/env python3
"""ABI check of generated UniFFI bindings against the shared library they will load.

    abi_check.py --lib libcognito_auth_ffi.so --bindings CognitoAuth.swift [--header CognitoAuthFFI.h]
    abi_check.py --lib libcognito_auth_ffi.so --bindings cognito_auth.dart

This is the check the bindings themselves do when they load the library (Swift's
`initializationResult`, Dart's `_ensureApiIntegrity`), done here with ctypes because no Swift
toolchain or Dart SDK can run on this machine:

1. every `uniffi_*` / `ffi_*` symbol the bindings name is exported by the library (a missing one is
   a link error on iOS and a lookup failure at load time in Dart);
2. with --header: every function the C header declares is exported too (Swift calls go through it);
3. the contract version the bindings were generated for equals `ffi_<crate>_uniffi_contract_version()`;
4. every API checksum constant in the bindings equals what `uniffi_<crate>_checksum_*()` returns;
5. the bindings check every checksum function the library exports (else they are stale: a function
   was added to the Rust API after generation).

Prints one FAIL line per failed item, then `abi_check: N passed, M failed` (one item per symbol, per
checksum, plus the contract version). Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Names of exported scaffolding functions. The leading (?<![A-Za-z0-9_]) skips Dart's private
# fields such as `_checksum_uniffi_x_checksum_func_y`, which contain a symbol name but are not one.
SYMBOL = re.compile(r"(?<![A-Za-z0-9_])((?:uniffi|ffi)_[a-z0-9_]+)\b")
# Swift: `if (uniffi_x_checksum_func_y() != 123)`; Dart: `if (_checksum_uniffi_x_checksum_func_y != 123)`.
CHECKSUM_EXPECTATION = re.compile(r"(uniffi_[a-z0-9_]*?_checksum_[a-z0-9_]+)(?:\(\))?\s*!=\s*(\d+)")
# Swift: `let bindings_contract_version = 30`; Dart: `const int bindingsContractVersion = 30;`.
CONTRACT_EXPECTATION = re.compile(r"(?:bindings_contract_version|bindingsContractVersion)\s*=\s*(\d+)")
# C header: `RustBuffer uniffi_x_fn_func_y(RustBuffer a, RustCallStatus *_Nonnull out_status);`
HEADER_DECLARATION = re.compile(r"\b((?:uniffi|ffi)_[a-z0-9_]+)\s*\(")


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, ok: bool, failure: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {failure}")


def exported_symbols(lib: Path) -> set[str] | None:
    """Defined dynamic symbols of the library via `nm -D`, or None if nm is not installed."""
    nm = shutil.which("nm")
    if nm is None:
        return None
    out = subprocess.run([nm, "-D", "--defined-only", str(lib)], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def is_exported(cdll: ctypes.CDLL, exports: set[str] | None, name: str) -> bool:
    if exports is not None:
        return name in exports
    return hasattr(cdll, name)  # dlsym


def call_no_arg(cdll: ctypes.CDLL, name: str, restype: type) -> int:
    fn = getattr(cdll, name)
    fn.argtypes = []
    fn.restype = restype
    return int(fn())


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", required=True, type=Path, help="the shared library (.so) the bindings load")
    ap.add_argument("--bindings", required=True, type=Path, help="generated .swift or .dart file")
    ap.add_argument("--header", type=Path, help="generated C header (Swift's FFI module)")
    args = ap.parse_args(argv)

    source = args.bindings.read_text(encoding="utf-8")
    cdll = ctypes.CDLL(str(args.lib.resolve()))
    exports = exported_symbols(args.lib)
    report = Report()
    where = args.bindings.name

    referenced = sorted(set(SYMBOL.findall(source)))
    if not referenced:
        report.check(False, f"{where}: names no uniffi_*/ffi_* symbol at all (not UniFFI bindings?)")
    for name in referenced:
        report.check(is_exported(cdll, exports, name), f"{where} uses `{name}`, which {args.lib.name} does not export")

    if args.header is not None:
        header = args.header.read_text(encoding="utf-8")
        declared = sorted(set(HEADER_DECLARATION.findall(header)))
        if not declared:
            report.check(False, f"{args.header.name}: declares no uniffi_*/ffi_* function")
        for name in declared:
            report.check(
                is_exported(cdll, exports, name),
                f"{args.header.name} declares `{name}`, which {args.lib.name} does not export",
            )

    contract = CONTRACT_EXPECTATION.search(source)
    contract_fns = [n for n in referenced if n.endswith("_uniffi_contract_version")]
    if contract is None or len(contract_fns) != 1:
        report.check(False, f"{where}: contract version constant or function not found")
    elif is_exported(cdll, exports, contract_fns[0]):
        expected = int(contract.group(1))
        actual = call_no_arg(cdll, contract_fns[0], ctypes.c_uint32)
        report.check(expected == actual, f"contract version: bindings expect {expected}, library has {actual}")

    expectations: dict[str, set[int]] = {}
    for name, value in CHECKSUM_EXPECTATION.findall(source):
        expectations.setdefault(name, set()).add(int(value))
    checksum_fns = [n for n in referenced if "_checksum_" in n]
    for name in checksum_fns:
        values = expectations.get(name)
        if not values or len(values) != 1:
            report.check(False, f"{where}: no single expected value found for `{name}` ({values})")
            continue
        if not is_exported(cdll, exports, name):
            continue  # already counted as a missing symbol
        expected = next(iter(values))
        actual = call_no_arg(cdll, name, ctypes.c_uint16)
        report.check(expected == actual, f"checksum `{name}`: bindings expect {expected}, library returns {actual}")

    if exports is not None:
        for name in sorted(n for n in exports if n.startswith("uniffi_") and "_checksum_" in n):
            report.check(
                name in expectations,
                f"{args.lib.name} exports `{name}` but {where} does not check it: "
                "the bindings are stale (re-run bindings/generate.sh)",
            )

    print(f"abi_check: {report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
