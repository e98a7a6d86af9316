"""The domain is pure: its modules import the standard library, msgspec, py-moneyed and each
other, nothing else. File formats, numpy, spreadsheets, crypto, country data, the database,
the API and the command line live in the outer layers, which may import the domain."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "reintegrate"
OUTER_PACKAGES = ("adapters", "store", "services", "cli", "demo", "client")
OUTER_MODULES = ("__main__", "__init__")
"""Outside the domain besides the packages: the entry point, and the package's public API
(`reintegrate/__init__.py`, which names every layer's public names and imports each on first
use)."""
FACADE = "reintegrate"
"""The public API's module: `from reintegrate import events` runs it, but it imports nothing
of the package until a public name is asked for, so it is no edge of the import graph."""
THIRD_PARTY_ALLOWED = {"msgspec", "moneyed"}


def is_outer(relative: Path) -> bool:
    first = relative.parts[0]
    stem = relative.stem if len(relative.parts) == 1 else ""
    return first in OUTER_PACKAGES or stem in OUTER_MODULES


def domain_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if not is_outer(path.relative_to(PACKAGE)))


def imported(path: Path) -> set[str]:
    """What `path` imports: modules, and for `from m import n` also `m.n`, which may be a
    module (type-checking imports included: they are dependencies of the design too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def refused(name: str) -> bool:
    top = name.split(".", maxsplit=1)[0]
    if top == "reintegrate":
        inner = name.split(".")[1] if "." in name else ""
        return is_outer(Path(f"{inner}.py")) or inner in OUTER_PACKAGES
    return top not in sys.stdlib_module_names and top not in THIRD_PARTY_ALLOWED


def test_the_domain_imports_only_the_standard_library_msgspec_moneyed_and_itself() -> None:
    modules = domain_modules()
    assert len(modules) > 50, "the domain's modules were found"
    found = {
        str(path.relative_to(PACKAGE)): bad
        for path in modules
        if (bad := sorted(name for name in imported(path) if refused(name)))
    }
    assert found == {}


def test_the_contract_refuses_what_it_is_meant_to() -> None:
    assert refused("numpy")
    assert refused("openpyxl.styles")
    assert refused("reintegrate.store.sql")
    assert refused("reintegrate.adapters")
    assert refused("reintegrate.cli.common")
    assert not refused("reintegrate.ledger")
    assert not refused("moneyed")
    assert not refused("datetime")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each module of the package to the modules of the package it imports."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        name: {
            target
            for target in imported(path)
            if target in modules and target not in (name, FACADE)
        }
        for name, path in modules.items()
        if name != FACADE
    }


def cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A path of imports from `start` back to it, if there is one (depth first)."""
    path, seen = [start], {start}

    def walk(node: str) -> bool:
        for target in sorted(graph[node]):
            if target == start:
                return True
            if target not in seen:
                seen.add(target)
                path.append(target)
                if walk(target):
                    return True
                path.pop()
        return False

    return path if walk(start) else None


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    graph = import_graph()
    cycles = [found for name in sorted(graph) if (found := cycle_from(graph, name))]
    assert cycles == []


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert cycle_from({"a": {"b"}, "b": {"a"}}, "a") == ["a", "b"]
    assert cycle_from({"a": {"b"}, "b": set()}, "a") is None
