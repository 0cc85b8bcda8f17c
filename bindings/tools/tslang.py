"""Tree-sitter plumbing shared by ts_syntax_check.py and api_crosscheck.py.

Needs the PyPI packages pinned in bindings/tools/ensure-venv.sh (tree-sitter, tree-sitter-swift,
tree-sitter-dart). The language is chosen by file extension: .swift or .dart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import tree_sitter

# Constructs the grammars do not know, blanked out (same length, so line and column numbers stay
# right) before parsing. Each entry is a real Swift/Dart construct, not a way to hide errors:
# - `@_documentation(visibility: private)`: an underscored Swift attribute that the UniFFI Swift
#   generator puts on internal helpers; tree-sitter-swift 0.7.4 does not parse it.
_BLANKED = {
    "swift": [re.compile(rb"@_documentation\(visibility:\s*private\)")],
    "dart": [],
}

# Leaf node types that are names (as opposed to keywords, literals and punctuation).
IDENTIFIER_TYPES = {
    "swift": {"simple_identifier", "type_identifier"},
    "dart": {"identifier", "type_identifier", "identifier_dollar_escaped"},
}

# Subtrees that hold no code: comments and the text of string literals (an interpolation inside
# a string is code and is still visited: the skip applies to the text nodes only).
_SKIPPED_TYPES = {
    "swift": {"comment", "multiline_comment", "line_str_text", "multi_line_str_text", "str_escaped_char"},
    "dart": {"comment", "documentation_comment", "string_literal_text", "escape_sequence"},
}


def language_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".swift":
        return "swift"
    if suffix == ".dart":
        return "dart"
    raise ValueError(f"{path}: no grammar for '{suffix}' files (only .swift and .dart)")


def _grammar(lang: str) -> tree_sitter.Language:
    if lang == "swift":
        import tree_sitter_swift as grammar
    else:
        import tree_sitter_dart as grammar
    return tree_sitter.Language(grammar.language())


@dataclass
class Parsed:
    path: Path
    lang: str
    source: bytes
    tree: tree_sitter.Tree


def parse(path: Path) -> Parsed:
    lang = language_of(path)
    source = path.read_bytes()
    for pattern in _BLANKED[lang]:
        source = pattern.sub(lambda m: b" " * len(m.group(0)), source)
    parser = tree_sitter.Parser(_grammar(lang))
    return Parsed(path, lang, source, parser.parse(source))


@dataclass
class Problem:
    line: int  # 1-based
    column: int  # 1-based
    kind: str  # "ERROR" or "MISSING <node type>"
    text: str  # the source line, trimmed


def syntax_problems(parsed: Parsed) -> list[Problem]:
    """Every ERROR node and every MISSING node (a token the parser had to invent)."""
    lines = parsed.source.decode("utf-8", "replace").splitlines()
    problems: list[Problem] = []
    stack = [parsed.tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_missing or node.is_error:
            row, col = node.start_point
            kind = f"MISSING {node.type}" if node.is_missing else "ERROR"
            text = lines[row].strip() if row < len(lines) else ""
            problems.append(Problem(row + 1, col + 1, kind, text[:160]))
        if node.has_error or node.is_missing:
            stack.extend(reversed(node.children))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


@dataclass
class Name:
    text: str
    line: int  # 1-based
    declared: bool  # True where this occurrence introduces the name (a binding, a parameter...)


def _is_declaration(lang: str, node: tree_sitter.Node, parent: tree_sitter.Node, field: str | None) -> bool:
    if lang == "swift":
        if field in ("name", "bound_identifier"):
            return True
        if parent.type in ("lambda_parameter", "parameter", "enum_entry", "typealias_declaration"):
            return True
        # `for (i, v) in ...`: a bare identifier inside a pattern binds it, `.caseName` does not.
        prev = node.prev_sibling
        return parent.type == "pattern" and not (prev is not None and prev.type == ".")
    # Dart
    if field == "name":
        return True
    if parent.type in ("variable_pattern", "catch_parameters"):
        return True
    # `const a = b;` / `var a = b, c;`: only the first name is declared; the value is a use.
    if parent.type in ("initialized_identifier", "static_final_declaration"):
        return parent.child(0) == node
    # `(e) => ...`, `void Function(T error)`, `import 'dart:io' as io;`: the plain identifier is the
    # name (a type in the same place is a type_identifier).
    if parent.type in ("formal_parameter", "typed_identifier", "import_specification"):
        return node.type == "identifier"
    # `typedef Name = ...;`: the name after `typedef` is declared.
    if parent.type == "type_alias":
        return node.prev_sibling is not None and node.prev_sibling.type == "typedef"
    # `<T extends Object>`: the first name declares the type parameter.
    return parent.type == "type_parameter" and parent.child(0) == node


def names(parsed: Parsed) -> list[Name]:
    """Every identifier occurrence outside comments and string text, in source order."""
    found: list[Name] = []
    skipped = _SKIPPED_TYPES[parsed.lang]
    ident_types = IDENTIFIER_TYPES[parsed.lang]

    def walk(node: tree_sitter.Node) -> None:
        for index, child in enumerate(node.children):
            if child.type in skipped:
                continue
            if child.type in ident_types and child.text is not None:
                field = node.field_name_for_child(index)
                text = child.text.decode("utf-8", "replace")
                # Swift: `identifier` wraps dotted import paths; a type_identifier may repeat
                # the inner simple_identifier. Dart: `$name` inside a string.
                text = text.lstrip("$")
                found.append(Name(text, child.start_point[0] + 1, _is_declaration(parsed.lang, child, node, field)))
            walk(child)

    walk(parsed.tree.root_node)
    return found
