"""`reintegrate statement show` on real statement files from public parser test suites.

Each file under tests/fixtures/statements/ (origin and licence in SOURCES.md) has its figures
in figures.json, computed by the standalone reader figures.py, not by the project's readers.
A file the project reads differently today, or refuses, is marked xfail (strict) with what
goes wrong: when a reader is fixed, its test XPASSes and fails the run until it is un-marked.
"""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reintegrate.cli.main import app

CORPUS = Path(__file__).parents[1] / "fixtures" / "statements"
FIGURES: dict[str, Any] = json.loads((CORPUS / "figures.json").read_text(encoding="utf-8"))
runner = CliRunner()

READ_WRONG: dict[str, str] = {}
"""The files read differently today, each with what goes wrong: none."""


def _cases() -> list[Any]:
    cases = []
    for name in FIGURES:
        marks = []
        if name in READ_WRONG:
            marks.append(
                pytest.mark.xfail(strict=True, raises=AssertionError, reason=READ_WRONG[name])
            )
        cases.append(pytest.param(name, id=name, marks=marks))
    return cases


def _figures(statement: dict[str, Any]) -> tuple[object, ...]:
    def number(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    return (
        statement["currency"],
        statement["entries"],
        number(statement["credits"]),
        number(statement["debits"]),
        number(statement["opening_balance"]),
        number(statement["closing_balance"]),
    )


def _show(path: Path) -> tuple[int, str, str]:
    args = ["statement", "show", str(path), "--json"]
    mapping = path.with_name(f"{path.name}.mapping.json")
    if mapping.exists():
        args += ["--mapping", str(mapping)]
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", _cases())
def test_statement_show_gives_the_figures_of_a_real_statement_file(name: str) -> None:
    expected = FIGURES[name]
    code, out, err = _show(CORPUS / name)
    assert code == 0, err
    shown = json.loads(out)
    shown = shown if isinstance(shown, list) else [shown]
    assert {statement["format"] for statement in shown} == {expected["format"]}
    found = [_figures(statement) for statement in shown]
    wanted = [_figures(statement) for statement in expected["statements"]]
    if expected["format"] == "csv":
        # one statement per currency: the account's currency is shown first
        found, wanted = sorted(found), sorted(wanted)
    assert found == wanted


def test_every_reason_names_a_file_of_the_corpus() -> None:
    assert set(READ_WRONG) <= set(FIGURES)


def test_the_figures_are_those_of_the_standalone_reader() -> None:
    spec = importlib.util.spec_from_file_location("statement_figures", CORPUS / "figures.py")
    assert spec is not None
    assert spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    assert figures.figures() == FIGURES


def test_every_file_of_the_corpus_has_its_origin_and_its_figures() -> None:
    files = {
        f"{path.parent.name}/{path.name}"
        for path in CORPUS.glob("*/*")
        if not path.name.endswith(".mapping.json")
    }
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert files == set(FIGURES)
    assert [name for name in sorted(files) if f"`{name}`" not in sources] == []
