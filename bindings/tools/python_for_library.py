#!/usr/bin/env python3
"""Fits a generated Python module to a library that exports fewer functions (a shipped build).

    python_for_library.py --module cognito_auth_ffi.py --library libcognito_auth_ffi.so

The module is generated (by bindings/python/run-tests.sh, with the test-only methods excluded
through a per-crate `exclude`) from the test build of the library, which has the cargo feature
`testing`. uniffi-bindgen's `exclude` drops the Python methods but not their FFI declarations:
the module still sets `argtypes` / `restype` on, and checks the checksum of, every
`uniffi_*` symbol of the test build at import, so it would not load against a library without
them. This removes those statements for each symbol the library does not export, rewrites the
module in place, and fails if any other reference to a missing symbol is left (that would be a
real API difference, not a test-only function). A stripped library cannot be generated from
directly: uniffi-bindgen reads its metadata from the symbol table that stripping removes.
"""

import argparse
import re
import subprocess
import sys


def exported(library):
    listing = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                             capture_output=True, text=True).stdout
    return {line.split()[-1] for line in listing.splitlines() if line.split()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", required=True)
    parser.add_argument("--library", required=True)
    args = parser.parse_args()
    symbols = exported(args.library)
    with open(args.module, encoding="utf-8") as source:
        lines = source.read().split("\n")

    def missing(line):
        return [name for name in re.findall(r"\b(uniffi_\w+)", line) if name not in symbols]

    out, dropped, i = [], set(), 0
    while i < len(lines):
        line = lines[i]
        names = missing(line)
        checksum = re.match(r"\s*if lib\.(uniffi_\w+)\(\) != \d+:\s*$", line)
        declaration = re.match(r"_UniffiLib\.(uniffi_\w+)\.(argtypes|restype) = (.*)$", line)
        if checksum and checksum.group(1) in names:
            dropped.add(checksum.group(1))
            i += 2  # the `if` and its `raise`
            continue
        if declaration and declaration.group(1) in names:
            dropped.add(declaration.group(1))
            if declaration.group(3).rstrip().endswith("("):
                while not lines[i].startswith(")"):
                    i += 1
            i += 1
            continue
        out.append(line)
        i += 1
    left = sorted({name for line in out for name in missing(line)})
    if left:
        sys.exit("python_for_library.py: %s still uses symbols %s lacks: %s"
                 % (args.module, args.library, ", ".join(left)))
    with open(args.module, "w", encoding="utf-8") as target:
        target.write("\n".join(out))
    print("python_for_library: dropped the declarations of %d symbol(s) the library lacks: %s"
          % (len(dropped), ", ".join(sorted(dropped)) or "none"))


if __name__ == "__main__":
    main()
