#!/usr/bin/env python3
"""The core's module graph has no circle (issue 15, "Core layering").

Reads crates/cognito-auth-core/src: each top-level module (`foo.rs` plus `foo/**.rs`) depends on
every other top-level module its non-test code names as `crate::other` (also inside grouped
`use crate::{a::X, b}` imports). Comment lines and test code (everything after a `#[cfg(test)]`
that is not just `#[cfg(test)] mod x;`, and files named `tests.rs` / `*_tests.rs`) are left out.

    python3 scripts/check_module_graph.py            # prints the graph, exits 1 on a circle
    python3 scripts/check_module_graph.py --self-test # proves the checker finds a circle

`error` (the aggregate `Error` of every module's error) sits above all modules and may name them.
"""

import argparse
import os
import re
import sys
import tempfile

TEST_FILE = re.compile(r"(^|/)(tests?|[a-z_]+_tests)\.rs$")
CFG_TEST = re.compile(r"\s*#\[cfg\(test\)\]")
TEST_MOD_DECL = re.compile(r"\s*(pub(\(crate\))?\s+)?mod\s+\w+\s*;")
COMMENT = re.compile(r"\s*//")
CRATE_PATH = re.compile(r"crate::([a-z_][a-z0-9_]*)")
CRATE_GROUP = re.compile(r"crate::\{([^}]*)\}", re.S)
GROUP_ITEM = re.compile(r"(?:^|[,{\s])([a-z_][a-z0-9_]*)(?=::|\s*[,}]|\s*$)")


def module_files(src, module):
    files = [os.path.join(src, module + ".rs")]
    folder = os.path.join(src, module)
    if os.path.isdir(folder):
        for root, _, names in os.walk(folder):
            files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".rs")]
    return [f for f in files if os.path.exists(f) and not TEST_FILE.search(f)]


def non_test_code(path):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    kept = []
    for index, line in enumerate(lines):
        if CFG_TEST.match(line):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if TEST_MOD_DECL.match(following):
                continue
            break
        if not COMMENT.match(line):
            kept.append(line)
    return "\n".join(kept)


def module_graph(src):
    modules = sorted(
        name[:-3] for name in os.listdir(src) if name.endswith(".rs") and name != "lib.rs"
    )
    graph = {}
    for module in modules:
        deps = set()
        for path in module_files(src, module):
            code = non_test_code(path)
            deps |= set(CRATE_PATH.findall(code))
            for group in CRATE_GROUP.findall(code):
                deps |= set(GROUP_ITEM.findall(group))
        graph[module] = sorted(d for d in deps if d in modules and d != module)
    return graph


def find_cycle(graph):
    """One circle as a list of modules (first == last), or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def self_test():
    with tempfile.TemporaryDirectory() as src:
        files = {
            "lib.rs": "pub mod a; pub mod b; pub mod c;\n",
            "a.rs": "use crate::b::Thing;\n// crate::c in a comment does not count\n",
            "b.rs": "use crate::{c::Other, wire};\n#[cfg(test)]\nmod tests;\n",
            "c.rs": "fn f() {}\n#[cfg(test)]\nmod tests { use crate::a::X; }\n",
        }
        for name, text in files.items():
            with open(os.path.join(src, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        graph = module_graph(src)
        assert graph == {"a": ["b"], "b": ["c"], "c": []}, graph
        assert find_cycle(graph) is None
        with open(os.path.join(src, "c.rs"), "w", encoding="utf-8") as handle:
            handle.write("use crate::a::X;\n")
        cycle = find_cycle(module_graph(src))
        assert cycle == ["a", "b", "c", "a"], cycle
    print("self-test: a test-only edge and a comment are ignored; a three-module circle is found")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", default="crates/cognito-auth-core/src")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        self_test()
        return 0
    graph = module_graph(args.src)
    for module, deps in graph.items():
        print(f"{module} -> {' '.join(deps)}")
    cycle = find_cycle(graph)
    if cycle:
        print("circle in the module graph: " + " -> ".join(cycle), file=sys.stderr)
        return 1
    print(f"no circle among {len(graph)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
