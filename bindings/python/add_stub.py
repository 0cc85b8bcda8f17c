#!/usr/bin/env python3
"""Adds a type stub for the generated module to a built wheel (bindings/python/build-wheel.sh).

    python add_stub.py WHEEL STUBGEN [STRIP]

With STRIP (a `strip`/`llvm-strip` executable), the shared library in the wheel is also stripped
(`--strip-all`): maturin cannot strip it itself, because it would do so before uniffi-bindgen reads
the UniFFI metadata from the symbol table; ctypes needs only the dynamic symbols.

Why: UniFFI's Python module declares each enum variant as a nested class (`AuthFlow.USER_SRP`)
and makes it a subclass of the enum only at run time (`AuthFlow.USER_SRP = type(..., (AuthFlow.USER_SRP,
AuthFlow), {})`). A type checker reading the module sees unrelated classes, so
`SignInCredentials(flow=AuthFlow.USER_SRP())` is an error under mypy. The stub is mypy's own
`stubgen` output for the generated module with the variant classes given their enum as base, the
relation the module sets up at run time; `cognito_auth_ffi/_uniffi/cognito_auth_ffi.pyi` is
added next to the module and the wheel's RECORD is rewritten.
"""

import ast
import base64
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile

MODULE = "cognito_auth_ffi/_uniffi/cognito_auth_ffi.py"
STUB = MODULE + "i"


def variants_of(source):
    """{enum: {variant, ...}} from the run-time subclassing lines of the generated module."""
    found = {}
    pattern = r'^(\w+)\.(\w+) = type\("\1\.\2", \(\1\.\2, \1,\), \{\}\)'
    for enum, variant in re.findall(pattern, source, flags=re.M):
        found.setdefault(enum, set()).add(variant)
    return found


def patch_stub(stub, variants):
    """Gives each nested variant class its enclosing enum as base class."""
    out = []
    enclosing = None
    patched = 0
    for line in stub.splitlines():
        top = re.match(r"^class (\w+)\b", line)
        if top:
            enclosing = top.group(1)
        nested = re.match(r"^    class (\w+):(.*)$", line)
        if nested and enclosing and nested.group(1) in variants.get(enclosing, ()):
            line = f"    class {nested.group(1)}({enclosing}):{nested.group(2)}"
            patched += 1
        out.append(line)
    expected = sum(len(v) for v in variants.values())
    if patched != expected:
        sys.exit(f"add_stub.py: patched {patched} variant classes, the module declares {expected}")
    return "\n".join(out) + "\n", patched


def merge_errors(stub):
    """The generated module declares an error twice (`class E(Exception)`, then a namespace
    `class E` whose variants subclass `_UniffiTempE`, the first one) and keeps the first with the
    variants attached. The stub gets one `class E(Exception)` holding the variants as subclasses."""
    names = sorted(set(re.findall(r"\(_UniffiTemp(\w+)\)", stub)))
    for name in names:
        stub, dropped = re.subn(rf"^class {name}\(Exception\): \.\.\.\n", "", stub, flags=re.M)
        stub, merged = re.subn(rf"^class {name}:$", f"class {name}(Exception):", stub, flags=re.M)
        if dropped != 1 or merged != 1:
            sys.exit(f"add_stub.py: the error {name} is not laid out as expected")
        stub = stub.replace(f"(_UniffiTemp{name})", f"({name})")
    return stub, len(names)


def parameter_annotation(parameters, name):
    """The annotation of parameter `name` in a `def` parameter list, as source text."""
    function = ast.parse(f"def f(self, {parameters}): ...").body[0]
    for argument in function.args.args + function.args.kwonlyargs:
        if argument.arg == name and argument.annotation is not None:
            return ast.unparse(argument.annotation)
    return None


def type_fields(stub):
    """stubgen writes record and variant fields as `name = ...` (untyped); each gets the type of
    the same-named parameter of its class's `__init__`."""
    lines = stub.splitlines()
    typed = 0
    for index, line in enumerate(lines):
        field = re.match(r"^(\s+)(\w+) = \.\.\.$", line)
        if not field:
            continue
        indent, name = field.groups()
        annotation = "Incomplete"
        for later in lines[index + 1:]:
            if later.strip() and not later.startswith(indent):
                break
            init = re.match(rf"^{indent}def __init__\(self, (.*)\) -> None: \.\.\.$", later)
            if init:
                annotation = parameter_annotation(init.group(1), name) or annotation
                break
        lines[index] = f"{indent}{name}: {annotation}"
        typed += annotation != "Incomplete"
    return "\n".join(lines) + "\n", typed


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


LIBRARY = "cognito_auth_ffi/_uniffi/libcognito_auth_ffi.so"


def stripped(data, strip):
    """The shared library with its static symbol table and debug sections removed."""
    with tempfile.TemporaryDirectory() as work:
        before, after = os.path.join(work, "in.so"), os.path.join(work, "out.so")
        with open(before, "wb") as handle:
            handle.write(data)
        subprocess.run([strip, "--strip-all", "-o", after, before], check=True)
        with open(after, "rb") as handle:
            return handle.read()


def main():
    wheel, stubgen = sys.argv[1], sys.argv[2]
    strip = sys.argv[3] if len(sys.argv) > 3 else None
    with zipfile.ZipFile(wheel) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    files = {info.filename: data for info, data in entries}
    if MODULE not in files:
        sys.exit(f"add_stub.py: {wheel} has no {MODULE}")
    source = files[MODULE].decode("utf-8")
    with tempfile.TemporaryDirectory() as work:
        module_path = os.path.join(work, "cognito_auth_ffi.py")
        with open(module_path, "w", encoding="utf-8") as handle:
            handle.write(source)
        subprocess.run([stubgen, "--no-import", "--quiet", "-o", work, module_path], check=True,
                       cwd=work)
        with open(os.path.join(work, "cognito_auth_ffi.pyi"), encoding="utf-8") as handle:
            stub = handle.read()
    variants = variants_of(source)
    if not variants:
        sys.exit("add_stub.py: no enum variants found: has the generated module's layout changed?")
    stub, patched = patch_stub(stub, variants)
    stub, errors = merge_errors(stub)
    stub, fields = type_fields(stub)
    header = ("# Type stub of the generated module: mypy's stubgen output, with each enum variant a\n"
              "# subclass of its enum as at run time (bindings/python/add_stub.py).\n")
    stub_bytes = (header + stub).encode("utf-8")

    if strip:
        if LIBRARY not in files:
            sys.exit(f"add_stub.py: {wheel} has no {LIBRARY}")
        library = stripped(files[LIBRARY], strip)
        print(f"library: {LIBRARY} stripped, {len(files[LIBRARY])} -> {len(library)} bytes")
        entries = [(info, library if info.filename == LIBRARY else data) for info, data in entries]

    record = next(name for name in files if name.endswith(".dist-info/RECORD"))
    temporary = wheel + ".tmp"
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        lines = []
        for info, data in entries:
            if info.filename in (record, STUB):
                continue
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            lines.append(record_line(info.filename, data))
        stub_info = zipfile.ZipInfo(STUB, date_time=(1980, 1, 1, 0, 0, 0))
        stub_info.external_attr = 0o644 << 16
        archive.writestr(stub_info, stub_bytes, compress_type=zipfile.ZIP_DEFLATED)
        lines.append(record_line(STUB, stub_bytes))
        lines.append(f"{record},,")
        record_info = zipfile.ZipInfo(record, date_time=(1980, 1, 1, 0, 0, 0))
        record_info.external_attr = 0o644 << 16
        archive.writestr(record_info, "\n".join(lines) + "\n", compress_type=zipfile.ZIP_DEFLATED)
    os.replace(temporary, wheel)
    print(f"type stub: {STUB} ({len(stub_bytes)} bytes, {patched} variant classes, "
          f"{errors} error types, {fields} typed fields)")


if __name__ == "__main__":
    main()
