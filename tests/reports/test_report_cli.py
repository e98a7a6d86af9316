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
    for title in ("Budget lines", "By form", "By country", "By dimension", "By currency"):
        assert title in output
    assert "paid (as paid)" in output
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
    assert "Ledger check" in output
    assert "the report differs from the ledger in 2 figures" in output
    assert "available" in output


def test_a_french_and_a_spanish_report_word_the_same_figures_in_their_language(
    demo_file: Path, tmp_path: Path
) -> None:
    code, english = report(demo_file, "eurp", "--lang", "en")
    assert code == 0, english
    code, french = report(demo_file, "eurp", "--lang", "fr")
    assert code == 0, french
    code, spanish = report(demo_file, "eurp", "--lang", "es")
    assert code == 0, spanish

    assert "Lignes budgétaires" in french
    assert "chaque montant concorde avec le grand livre à l'unité près" in french
    assert "Líneas presupuestarias" in spanish
    assert "cada cifra concuerda con el libro mayor hasta la unidad mínima" in spanish
    funds = _funds_row(english)
    assert funds == "2500000.00"
    assert _funds_row(french) == "2\u202f500\u202f000,00"
    assert _funds_row(spanish) == "2.500.000,00"


def _funds_row(output: str) -> str:
    row = next(line for line in output.splitlines() if "(EUR)" in line)
    return row.split("│")[2].strip()


def test_a_workbook_is_worded_in_the_language_asked_its_amounts_still_numbers(
    demo_file: Path, tmp_path: Path
) -> None:
    made = tmp_path / "fr.xlsx"
    code, output = report(demo_file, "eurp", "--format", "xlsx", "--lang", "fr", "-o", str(made))
    assert code == 0, output

    book = openpyxl.load_workbook(made)
    assert book.sheetnames[:3] == ["Rapport", "Lignes budgétaires", "Par forme"]
    lines = book["Lignes budgétaires"]
    assert [c.value for c in lines[1]][:3] == [
        "ligne budgétaire",
        "fonds (EUR)",
        "disponible (EUR)",
    ]
    assert isinstance(lines["B2"].value, (int, float))
    about = {row[0].value: row[1].value for row in book["Rapport"].iter_rows()}
    assert about["concorde avec le grand livre"] == "oui"


def test_csv_and_json_are_for_programs_and_do_not_change_with_the_language(
    demo_file: Path,
) -> None:
    for format_ in ("csv", "json"):
        _, english = report(demo_file, "eurp", "--format", format_)
        _, french = report(demo_file, "eurp", "--format", format_, "--lang", "fr")
        assert french == english


def test_the_environment_chooses_the_language_when_lang_is_not_given(demo_file: Path) -> None:
    result = runner.invoke(
        app,
        ["report", "financial", "eurp", "-d", f"sqlite:///{demo_file}"],
        env={"LANG": "es_SN.UTF-8", "LC_ALL": ""},
    )
    assert result.exit_code == 0, result.output
    assert "Líneas presupuestarias" in result.output
