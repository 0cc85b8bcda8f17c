#!/usr/bin/env python3
"""Argument labels of the calls hand-written Swift makes into the bindings match a declaration.

    swift_call_check.py --generated CognitoAuth.swift [--generated MORE.swift] \
        [--known-calls bindings/tools/known-calls-swift.txt] FILE...

No Swift compiler runs here, and api_crosscheck.py only checks that each name exists. A call
with a wrong or missing argument label (`session.tokensForCall(now: t)`, `ClientConfig(poolId:
...)`, `.totpCode(answer: c)`) is the most common way hand-written Swift stops compiling when the
generated API changes. This collects, with tree-sitter, every declaration in the --generated
files and in the FILEs themselves: functions and methods (`func name(label: T, ...)`), initialisers
(keyed by their type's name: `ClientConfig(...)`) and enum cases with associated values
(`case totpCode(code: String)`), with each parameter's external label and whether it has a
default. Then every call in FILE (`name(...)`, `x.name(...)`, `.name(...)`) to a name declared
there must fit one of the declarations of that name: its labels, in order, are the declaration's
labels with only defaulted parameters left out. Calls to names declared nowhere here (Foundation,
XCTest) and calls with a trailing closure are not checked. The check goes by name, not by type:
a platform method that has the name of a declaration here (`JSONSerialization.jsonObject(with:)`
beside a test helper `jsonObject(_:)`) is listed with its labels in the --known-calls file, one
form a line (`jsonObject(with:)`, `#` comments).

Prints each mismatch with file:line and the declared forms, then
`swift_call_check: N passed, M failed` (one result per FILE, with the number of calls checked).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tslang  # noqa: E402


@dataclass(frozen=True)
class Param:
    label: str  # "_" when unlabelled
    defaulted: bool


Signature = tuple[Param, ...]


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def _function_params(decl) -> Signature:
    """Parameters of a function_declaration / init_declaration (a default follows as `= expr`)."""
    params: list[Param] = []
    children = list(decl.children)
    for index, child in enumerate(children):
        if child.type != "parameter":
            continue
        names = [c for c in child.children if c.type == "simple_identifier"]
        label = _text(names[0]) if names else "_"
        following = [c for c in children[index + 1 :] if c.type not in ("comment", "multiline_comment")]
        defaulted = bool(following) and following[0].type == "="
        params.append(Param(label, defaulted))
    return tuple(params)


def _enum_params(entry) -> Signature | None:
    """Associated values of an enum_entry: `case name(label: T, T2)`; None without any."""
    holder = next((c for c in entry.children if c.type == "enum_type_parameters"), None)
    if holder is None:
        return None
    params: list[Param] = []
    segment: list = []
    for child in list(holder.children) + [None]:
        if child is None or child.type == ",":
            if segment:
                tokens = [c for c in segment if c.type not in ("comment", "multiline_comment", "(", ")")]
                label = "_"
                for i, token in enumerate(tokens[:-1]):
                    if token.type == "simple_identifier" and tokens[i + 1].type == ":":
                        label = _text(token)
                        break
                params.append(Param(label, any(t.type == "=" for t in tokens)))
            segment = []
        else:
            segment.append(child)
    return tuple(params)


def declarations(parsed: tslang.Parsed, table: dict[str, set[Signature]]) -> None:
    def walk(node, type_name: str | None) -> None:
        for child in node.children:
            kind = child.type
            if kind == "function_declaration":
                name = next((c for c in child.children if c.type == "simple_identifier"), None)
                if name is not None:
                    table.setdefault(_text(name), set()).add(_function_params(child))
            elif kind == "init_declaration" and type_name:
                table.setdefault(type_name, set()).add(_function_params(child))
            elif kind == "enum_entry":
                params = _enum_params(child)
                names = [c for c in child.children if c.type == "simple_identifier"]
                if params is not None and names:
                    table.setdefault(_text(names[0]), set()).add(params)
            inner = type_name
            if kind in ("class_declaration", "protocol_declaration"):
                ident = next((c for c in child.children if c.type == "type_identifier"), None)
                inner = _text(ident) if ident is not None else None
                if kind == "class_declaration" and ident is not None:
                    # A struct without an init of its own has the memberwise one: not modelled,
                    # so its calls are accepted (a set with an empty marker).
                    body = next((c for c in child.children if c.type.endswith("class_body")), None)
                    has_init = body is not None and any(c.type == "init_declaration" for c in body.children)
                    is_struct = any(c.type == "struct" for c in child.children)
                    if is_struct and not has_init:
                        table.setdefault(inner, set()).add(("*",))  # type: ignore[arg-type]
            walk(child, inner)

    walk(parsed.tree.root_node, None)


def fits(labels: list[str], signature) -> bool:
    if signature == ("*",):
        return True
    remaining = list(labels)
    for param in signature:
        if remaining and remaining[0] == param.label:
            remaining.pop(0)
        elif not param.defaulted:
            return False
    return not remaining


def render(name: str, signature) -> str:
    if signature == ("*",):
        return f"{name}(memberwise)"
    return f"{name}(" + "".join(f"{p.label}:" for p in signature) + ")"


def calls(parsed: tslang.Parsed):
    """(name, labels, line) of every call without a trailing closure."""
    stack = [parsed.tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type != "call_expression" or node.child_count < 2:
            continue
        callee, suffix = node.children[0], node.children[-1]
        if suffix.type != "call_suffix" or any(c.type == "lambda_literal" for c in suffix.children):
            continue
        arguments = next((c for c in suffix.children if c.type == "value_arguments"), None)
        if arguments is None:
            continue
        if callee.type == "simple_identifier":
            name = _text(callee)
        elif callee.type in ("navigation_expression", "prefix_expression"):
            last = callee.children[-1]
            if last.type == "navigation_suffix":
                last = last.children[-1]
            if last.type != "simple_identifier":
                continue
            name = _text(last)
        else:
            continue
        labels = []
        for argument in (c for c in arguments.children if c.type == "value_argument"):
            label = next((c for c in argument.children if c.type == "value_argument_label"), None)
            labels.append(_text(label) if label is not None else "_")
        yield name, labels, node.start_point[0] + 1


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generated", required=True, action="append", type=Path)
    ap.add_argument("--known-calls", type=Path, help="platform call forms, one a line: name(label:...)")
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args(argv)

    table: dict[str, set] = {}
    if args.known_calls is not None:
        for line in args.known_calls.read_text(encoding="utf-8").splitlines():
            form = line.split("#", 1)[0].strip()
            if not form:
                continue
            if not form.endswith(")") or "(" not in form:
                print(f"{args.known_calls}: not a call form `name(label:...)`: {form}")
                return 2
            name, inner = form[:-1].split("(", 1)
            labels = [label for label in inner.split(":") if label]
            table.setdefault(name, set()).add(tuple(Param(label, False) for label in labels))
    for path in args.generated:
        declarations(tslang.parse(path), table)
    parsed_files = [tslang.parse(path) for path in args.files]
    for parsed in parsed_files:
        declarations(parsed, table)

    passed = failed = 0
    for parsed in parsed_files:
        checked = 0
        bad: list[str] = []
        for name, labels, line in calls(parsed):
            forms = table.get(name)
            if not forms:
                continue
            checked += 1
            if not any(fits(labels, form) for form in forms):
                call = f"{name}(" + "".join(f"{label}:" for label in labels) + ")"
                declared = ", ".join(sorted(render(name, form) for form in forms))
                bad.append(f"  {parsed.path}:{line}: {call} fits none of: {declared}")
        if bad:
            failed += 1
            print(f"FAIL {parsed.path}: {len(bad)} call(s) with labels no declaration has ({checked} checked)")
            print("\n".join(bad))
        else:
            passed += 1
            print(f"ok   {parsed.path}: {checked} call(s) checked")
    print(f"swift_call_check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
