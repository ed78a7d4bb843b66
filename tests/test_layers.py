"""Imports run downward: the plumbing knows no resource, authentication knows only people."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ("desk.branches", "desk.tickets", "desk.comments", "desk.attachments", "desk.importer")


def imported_modules(folder):
    """(file, module) for every import in the Python files under a folder."""
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                yield path.relative_to(ROOT), node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT), alias.name


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("desk/api", (*RESOURCES, "desk.users", "desk.openapi")), ("wsse_auth", RESOURCES)],
)
def test_no_upward_imports(folder, forbidden):
    upward = [
        (str(path), module) for path, module in imported_modules(folder) if module.startswith(forbidden)
    ]
    assert upward == []
