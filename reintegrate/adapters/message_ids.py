"""The message ids written in the code: every `Text("...")` whose first argument is a
literal (or `texts.Text("...")`, in a module whose own `Text` is another thing), found by
reading the source (so that the catalogs can be checked against the code, and brought up to
date by `scripts/update_catalogs.py`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("reintegrate", "api")


def written_ids(root: Path = ROOT) -> dict[str, list[tuple[str, int]]]:
    """Every literal message id, with where it is written (file relative to `root`, line)."""
    found: dict[str, list[tuple[str, int]]] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            for msgid, line in _in_file(path):
                found.setdefault(msgid, []).append((str(path.relative_to(root)), line))
    return found


def _in_file(path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and _is_text(node.func)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value, node.lineno


def _is_text(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id == "Text"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "Text"
        and isinstance(func.value, ast.Name)
        and func.value.id == "texts"
    )
