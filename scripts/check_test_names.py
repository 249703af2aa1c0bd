"""Fail when a test module defines the same test name twice (the first would never run).

Usage: python scripts/check_test_names.py DIR... ; prints each duplicate as FILE:LINE and exits 1.
Python keeps only the last definition of a name in a module or class, so pytest silently
collects one test where the file shows two.
"""

import ast
import os
import sys


def duplicates(path):
    """(name, first line, line of the redefinition) for every test_* name defined twice in one scope."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), filename=path)
    found = []
    scopes = [tree] + [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    for scope in scopes:
        seen = {}
        for node in scope.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name.startswith(("test", "Test")):
                if node.name in seen:
                    found.append((node.name, seen[node.name], node.lineno))
                else:
                    seen[node.name] = node.lineno
    return found


def main(roots):
    failed = 0
    checked = 0
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                path = os.path.join(folder, name)
                checked += 1
                for test, first, again in duplicates(path):
                    print("%s:%d: %s is defined again (first at line %d); the first never runs: rename one"
                          % (path, again, test, first))
                    failed += 1
    if not checked:
        print("no Python files found under %s" % ", ".join(roots))
        return 1
    print("%d test file(s) checked, %d redefined test name(s)" % (checked, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["tests"]))
