"""`reintegrate report financial`: what an auditor gets from the command line alone, on a
demo database."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from reintegrate.cli.main import app
from reintegrate.services.context import Actor
from reintegrate.services.reports import financial_report
from reintegrate.store.sql import SqlStore

runner = CliRunner()


def report(demo_file: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["report", "financial", *args, "-d", f"sqlite:///{demo_file}"])
    return result.exit_code, result.output


def test_the_table_shows_every_breakdown_and_that_the_ledger_agrees(demo_file: Path) -> None:
    code, output = report(demo_file, "eurp")
    assert code == 0, output
    for title in ("Budget lines", "by form", "by country", "by dimension", "as paid"):
        assert title in output
    assert "every figure agrees with the ledger to the minor unit" in output


def test_json_is_the_services_report(demo_file: Path) -> None:
    code, output = report(demo_file, "eurp", "--format", "json")
    assert code == 0, output
    shown = json.loads(output)
    expected = financial_report(SqlStore(f"sqlite:///{demo_file}"), Actor("auditor"), "eurp")
    committed = shown["total"]["figures"]["committed"]
    assert committed["currency"] == "EUR"
    assert int(committed["amount"].replace(".", "")) == expected.total.figures.committed
    assert shown["agrees_with_ledger"] is True


def test_csv_and_xlsx_are_written_to_the_output_file(demo_file: Path, tmp_path: Path) -> None:
    code, output = report(demo_file, "eurp", "--format", "csv", "-o", str(tmp_path / "r.csv"))
    assert code == 0, output
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8", newline="")))
    assert {r["section"] for r in rows} >= {"budget_line", "form", "country", "dimension"}
    code, output = report(demo_file, "eurp", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert code == 0, output
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert "Budget lines" in book.sheetnames


def test_csv_goes_to_standard_output_without_a_file(demo_file: Path) -> None:
    code, output = report(demo_file, "ch-sem", "--format", "csv")
    assert code == 0, output
    first = next(csv.reader(io.StringIO(output)))
    assert first[:3] == ["programme", "section", "budget_line"]


def test_an_xlsx_workbook_needs_an_output_file(demo_file: Path) -> None:
    code, output = report(demo_file, "eurp", "--format", "xlsx")
    assert code == 2
    assert "--output" in output


def test_an_unknown_programme_is_an_error(demo_file: Path) -> None:
    code, output = report(demo_file, "nowhere")
    assert code == 1
    assert "no programme nowhere" in output


def test_a_ledger_that_differs_from_the_projections_fails_the_report(
    demo_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "tampered.db"
    shutil.copy(demo_file, copy)
    with contextlib.closing(sqlite3.connect(copy)) as db, db:
        db.execute(
            "UPDATE accounts SET balance = balance + 1 WHERE code = 'budget:eurp:individual'"
        )
    code, output = report(copy, "eurp")
    assert code == 1
    assert "differences from the ledger" in output
    assert "available" in output
