#!/usr/bin/env python3
"""The arguments of the calls hand-written Dart makes into the bindings fit a declaration.

    dart_call_check.py --generated cognito_auth_ffi.dart [--generated MORE.dart] \
        [--known-calls bindings/tools/known-calls-dart.txt] FILE...

No Dart SDK runs here, and api_crosscheck.py only checks that each name exists. The generated
Dart mixes positional parameters (the methods of the objects: `session.tokensForCall(now)`,
`UserSession.fromTokens(config, tokens, deviceKey, receivedAt, options)`) and named ones (the
records and enum variants: `ClientConfig(userPoolId: ..., clientId: ...)`, functions with
defaults), so a call with one argument too few, a positional argument where a named one is
expected or a misspelt name does not compile, and only a Dart SDK would say so. This collects,
with tree-sitter, every declaration in the --generated files and in the FILEs themselves
(functions, methods, constructors keyed by their class name) with its required and optional
positional parameters and its named parameters (and which are `required`). Then every call in
FILE (`name(...)`, `x.name(...)`, `const Name(...)`) to a name declared there must fit one of the
declarations of that name: the positional count within bounds, every named argument declared,
every required named argument given. Calls to names declared nowhere here (dart:core, package:test)
are not checked. The check goes by name, not by type: a platform method that has the name of a
declaration here (`HttpClient.close(force: true)` beside a generated `close()`) is listed in the
--known-calls file, one form a line: `close({force})`, `send(_)`, `f(_, _, {a, b})`.

Prints each mismatch with file:line and the declared forms, then
`dart_call_check: N passed, M failed` (one result per FILE, with the number of calls checked).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tslang  # noqa: E402


@dataclass(frozen=True)
class Signature:
    required: int  # required positional parameters
    optional: int  # optional positional parameters ([...])
    named: frozenset[str]
    required_named: frozenset[str]

    def render(self, name: str) -> str:
        parts = [f"{self.required} positional"]
        if self.optional:
            parts.append(f"+{self.optional} optional")
        if self.named:
            parts.append("{" + ", ".join(("required " if n in self.required_named else "") + n for n in sorted(self.named)) + "}")
        return f"{name}(" + ", ".join(parts) + ")"


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def _param_name(formal) -> str | None:
    """The name a formal_parameter declares: its last identifier (also in `this.x`, `super.x`)."""
    names: list[str] = []
    stack = [formal]
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            names.append((node.start_byte, _text(node)))  # type: ignore[arg-type]
        elif node.type not in ("type_arguments", "function_type", "formal_parameter_list"):
            stack.extend(node.children)
    return max(names)[1] if names else None  # type: ignore[index]


def _signature(param_list) -> Signature:
    required = optional = 0
    named: set[str] = set()
    required_named: set[str] = set()
    for child in param_list.children:
        if child.type == "formal_parameter":
            required += 1
        elif child.type == "optional_formal_parameters":
            positional = any(c.type == "[" for c in child.children)
            previous = None
            for item in child.children:
                if item.type == "formal_parameter":
                    if positional:
                        optional += 1
                    else:
                        name = _param_name(item)
                        if name is not None:
                            named.add(name)
                            if previous is not None and previous.type == "required":
                                required_named.add(name)
                previous = item
    return Signature(required, optional, frozenset(named), frozenset(required_named))


_CONSTRUCTORS = ("constructor_signature", "constant_constructor_signature", "factory_constructor_signature")


def declarations(parsed: tslang.Parsed, table: dict[str, set[Signature]]) -> None:
    stack = [parsed.tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type == "function_signature" or node.type in _CONSTRUCTORS:
            params = next((c for c in node.children if c.type == "formal_parameter_list"), None)
            idents = [c for c in node.children if c.type == "identifier"]
            if params is None or not idents:
                continue
            # `Name(...)` / `Name.named(...)`: a named constructor is called by its second name.
            name = _text(idents[-1]) if node.type in _CONSTRUCTORS else _text(idents[0])
            table.setdefault(name, set()).add(_signature(params))


def _callee(arguments_holder) -> str | None:
    """The name called by a `selector(argument_part)`: the identifier or `.name` before it."""
    previous = arguments_holder.prev_sibling
    if previous is None:
        return None
    if previous.type == "identifier":
        return _text(previous)
    if previous.type == "selector":
        inner = next((c for c in previous.children if c.type.endswith("assignable_selector")), None)
        if inner is not None:
            ident = next((c for c in inner.children if c.type == "identifier"), None)
            return _text(ident) if ident is not None else None
    return None


def calls(parsed: tslang.Parsed):
    """(name, positional count, named arguments, line) of every call."""
    stack = [parsed.tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        name = None
        arguments = None
        if node.type == "selector":
            part = next((c for c in node.children if c.type == "argument_part"), None)
            if part is not None:
                arguments = next((c for c in part.children if c.type == "arguments"), None)
                name = _callee(node)
        elif node.type in ("const_object_expression", "new_expression"):
            idents = [c for c in node.children if c.type in ("type_identifier", "identifier")]
            arguments = next((c for c in node.children if c.type == "arguments"), None)
            name = _text(idents[-1]) if idents else None
        if name is None or arguments is None:
            continue
        positional = sum(1 for c in arguments.children if c.type == "argument")
        named = set()
        for argument in (c for c in arguments.children if c.type == "named_argument"):
            label = next((c for c in argument.children if c.type == "label"), None)
            ident = next((c for c in label.children if c.type == "identifier"), None) if label is not None else None
            if ident is not None:
                named.add(_text(ident))
        yield name, positional, named, node.start_point[0] + 1


def fits(positional: int, named: set[str], signature: Signature) -> bool:
    return (
        signature.required <= positional <= signature.required + signature.optional
        and named <= signature.named
        and signature.required_named <= named
    )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generated", required=True, action="append", type=Path)
    ap.add_argument("--known-calls", type=Path, help="platform call forms, one a line: name(_, {named})")
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args(argv)

    table: dict[str, set[Signature]] = {}
    if args.known_calls is not None:
        for line in args.known_calls.read_text(encoding="utf-8").splitlines():
            form = line.split("#", 1)[0].strip()
            if not form:
                continue
            if not form.endswith(")") or "(" not in form:
                print(f"{args.known_calls}: not a call form `name(_, {{named}})`: {form}")
                return 2
            name, inner = form[:-1].split("(", 1)
            positional_part, _, named_part = inner.partition("{")
            positional = sum(1 for p in positional_part.split(",") if p.strip() == "_")
            named = frozenset(n.strip() for n in named_part.rstrip("}").split(",") if n.strip())
            table.setdefault(name.strip(), set()).add(Signature(positional, 0, named, frozenset()))
    for path in args.generated:
        declarations(tslang.parse(path), table)
    parsed_files = [tslang.parse(path) for path in args.files]
    for parsed in parsed_files:
        declarations(parsed, table)

    passed = failed = 0
    for parsed in parsed_files:
        checked = 0
        bad: list[str] = []
        for name, positional, named, line in calls(parsed):
            forms = table.get(name)
            if not forms:
                continue
            checked += 1
            if not any(fits(positional, named, form) for form in forms):
                call = f"{name}({positional} positional" + (", " + ", ".join(sorted(named)) if named else "") + ")"
                declared = "; ".join(sorted(form.render(name) for form in forms))
                bad.append(f"  {parsed.path}:{line}: {call} fits none of: {declared}")
        if bad:
            failed += 1
            print(f"FAIL {parsed.path}: {len(bad)} call(s) no declaration accepts ({checked} checked)")
            print("\n".join(bad))
        else:
            passed += 1
            print(f"ok   {parsed.path}: {checked} call(s) checked")
    print(f"dart_call_check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
