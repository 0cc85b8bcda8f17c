#!/usr/bin/env python3
"""The Dart bindings leak no secret through toString / toJson: rewrite, and check.

uniffi-bindgen-dart 0.2.0 ignores `#[uniffi::export(Debug, Display)]`: every record gets a
toString() that interpolates every field and a toJson() that copies every field, and every enum
with data a JSON encoder (`_encodeX`, behind `XFfiCodec.encode`). For the types whose Rust side
redacts its Display (they hold a password, a token, a session, a TOTP secret or personal data),
the other bindings print `<redacted>` (Kotlin toString, Swift description, Python str/repr);
the Dart would print and serialise the values.

The redacted types are read from the library itself: each exports
`uniffi_cognito_auth_ffi_fn_method_<type>_uniffi_trait_display`. For each of them, in the
generated Dart:

* a record class `T`: `toString()` returns `T(<redacted>)`; `toJson()` throws
  `UnsupportedError` (a JSON form of a secret is a copy of it in clear);
* an enum `T` (a sealed class): each variant class `T<Variant>` with fields gets the same
  toString; `_encodeT` (and so `TFfiCodec.encode`) throws.

Records that contain one of these (`DeviceList.toJson` calls `DeviceInfo.toJson`) therefore
throw as well, and their toString shows the contained value redacted. Reading the fields, ==,
hashCode, copyWith and fromJson are unchanged. The FFI itself never uses JSON (arguments go
through RustBuffers), so nothing else changes.

    dart_redact.py rewrite --library LIB --dart FILE   # bindings/generate.sh
    dart_redact.py check   --library LIB --dart FILE   # bindings/dart/check.sh

`check` fails (exit 1) if a redacted type's Dart class is missing, or if its toString
interpolates anything or its toJson / _encodeT does anything but throw; it prints
`dart-redaction: N types checked` on success.
"""

import argparse
import re
import subprocess
import sys

DISPLAY_SYMBOL = re.compile(r"^uniffi_cognito_auth_ffi_fn_method_([a-z0-9]+)_uniffi_trait_display$")
REDACTED_TO_STRING = "  @override\n  String toString() {\n    return '%s(<redacted>)';\n  }"
THROW = ("throw UnsupportedError('%s holds secrets or personal data: no JSON form "
         "(bindings/README.md, \"Secrets in the bindings\")');")


def redacted_types(library):
    """Lower-case names of the types with a Rust Display, from the library's exports."""
    listing = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                             capture_output=True, text=True).stdout
    names = set()
    for line in listing.splitlines():
        match = DISPLAY_SYMBOL.match(line.split()[-1]) if line.split() else None
        if match:
            names.add(match.group(1))
    if not names:
        sys.exit("dart_redact.py: %s exports no *_uniffi_trait_display symbol" % library)
    return names


def skip_string(text, i):
    """Index just after the Dart string literal starting at text[i] (' or ", with ${...})."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.index(quote * 3, i + 3)
        return end + 3
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == quote:
            return i + 1
        if c == "$" and text.startswith("${", i):
            i = matching_brace(text, i + 1) + 1
            continue
        i += 1
    raise ValueError("unterminated string")


def matching_brace(text, i):
    """Index of the `}` that closes the `{` at text[i], skipping comments and strings."""
    assert text[i] == "{"
    depth = 0
    while i < len(text):
        c = text[i]
        if text.startswith("//", i):
            i = text.index("\n", i)
            continue
        if text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        if c in "'\"":
            i = skip_string(text, i)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced braces")


def classes(text):
    """(name, superclass or None, body start, body end) of every top-level class."""
    found = []
    for match in re.finditer(r"^(?:sealed |final |abstract )*class (\w+)(?: extends (\w+))?[^{\n]*\{",
                             text, re.M):
        start = match.end() - 1
        found.append((match.group(1), match.group(2), start, matching_brace(text, start)))
    return found


def method(text, start, end, signature):
    """(start, end) of `signature {...}` inside text[start:end], or None."""
    position = text.find(signature, start, end)
    if position < 0:
        return None
    brace = text.index("{", position)
    return position, matching_brace(text, brace)


def targets(text, names):
    """The Dart classes to redact: (class, kind) with kind 'record' or 'variant'; the enums."""
    all_classes = classes(text)
    by_lower = {name.lower(): name for name, _, _, _ in all_classes}
    sealed = {name for name, parent, _, _ in all_classes if parent is None
              and re.search(r"^sealed class %s\b" % name, text, re.M)}
    records, enums, missing = [], [], []
    for lower in sorted(names):
        name = by_lower.get(lower)
        if name is None:
            # A plain Dart enum (no data) has nothing to leak; any other miss is an error.
            plain = [m.group(1) for m in re.finditer(r"^enum (\w+) \{", text, re.M)]
            if not any(p.lower() == lower for p in plain):
                missing.append(lower)
            continue
        if name in sealed:
            enums.append(name)
            records.extend(child for child, parent, _, _ in all_classes if parent == name)
        else:
            records.append(name)
    return records, enums, missing


def rewrite(text, names):
    records, enums, missing = targets(text, names)
    if missing:
        sys.exit("dart_redact.py: no Dart class for %s" % ", ".join(missing))
    # Edit from the end so that earlier offsets stay valid.
    edits = []
    for name, _, start, end in classes(text):
        if name not in records:
            continue
        to_string = method(text, start, end, "  @override\n  String toString()")
        if to_string and "$" in text[to_string[0]:to_string[1]]:
            edits.append((to_string[0], to_string[1] + 1, REDACTED_TO_STRING % name))
        to_json = method(text, start, end, "  Map<String, dynamic> toJson()")
        if to_json:
            edits.append((to_json[0], to_json[1] + 1,
                          "  Map<String, dynamic> toJson() {\n    %s\n  }" % (THROW % name)))
    for name in enums:
        encoder = method(text, 0, len(text), "String _encode%s(%s value)" % (name, name))
        if encoder:
            edits.append((encoder[0], encoder[1] + 1,
                          "String _encode%s(%s value) {\n  %s\n}" % (name, name, THROW % name)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, len(records) + len(enums)


def check(text, names):
    records, enums, missing = targets(text, names)
    problems = ["no Dart class for the redacted type '%s'" % lower for lower in missing]
    for name, _, start, end in classes(text):
        if name not in records:
            continue
        to_string = method(text, start, end, "  @override\n  String toString()")
        if to_string and "$" in text[to_string[0]:to_string[1]]:
            problems.append("%s.toString() interpolates its fields: %s"
                            % (name, " ".join(text[to_string[0]:to_string[1] + 1].split())))
        to_json = method(text, start, end, "  Map<String, dynamic> toJson()")
        if to_json:
            body = text[text.index("{", to_json[0]) + 1:to_json[1]]
            if not body.strip().startswith("throw UnsupportedError(") or "this." in body:
                problems.append("%s.toJson() serialises its fields" % name)
    for name in enums:
        encoder = method(text, 0, len(text), "String _encode%s(%s value)" % (name, name))
        if encoder:
            body = text[text.index("{", encoder[0]) + 1:encoder[1]]
            if not body.strip().startswith("throw UnsupportedError(") or "value." in body:
                problems.append("_encode%s (%sFfiCodec.encode) serialises the variants' fields"
                                % (name, name))
    for problem in problems:
        print("dart-redaction: " + problem, file=sys.stderr)
    if problems:
        print("dart-redaction: %d problem(s); bindings/generate.sh runs "
              "bindings/tools/dart_redact.py rewrite" % len(problems), file=sys.stderr)
        return 1
    print("dart-redaction: %d types checked (%d records and variants, %d enums), none leaks"
          % (len(names), len(records), len(enums)))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["rewrite", "check"])
    parser.add_argument("--library", required=True)
    parser.add_argument("--dart", required=True)
    args = parser.parse_args()
    names = redacted_types(args.library)
    with open(args.dart, encoding="utf-8") as source:
        text = source.read()
    if args.mode == "check":
        return check(text, names)
    text, count = rewrite(text, names)
    with open(args.dart, "w", encoding="utf-8") as out:
        out.write(text)
    return check(text, names)


if __name__ == "__main__":
    sys.exit(main())
