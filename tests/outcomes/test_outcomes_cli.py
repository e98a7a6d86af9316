"""`reintegrate report outcomes`: the evidence written to CSV, XLSX and JSON files, as the
user named may read it, and read back the same."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from statistics import median

import openpyxl
import pytest
from typer.testing import CliRunner

from reintegrate.adapters.outcome_files import CSV_HEADER
from reintegrate.cli import report_outcomes
from reintegrate.cli.main import app
from reintegrate.services.outcomes import OutcomeSources
from reintegrate.store.sql import SqlStore
from tests.outcomes.world import build, score

runner = CliRunner()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('outcomes-cli') / 'db.sqlite'}"
    store = SqlStore(url)
    store.create_all()
    surveys = build(store)
    store.engine.dispose()
    store.reader.dispose()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_outcomes, "sources_of", lambda _: OutcomeSources(surveys, surveys))
        yield url


def write(database: str, output: Path, *args: str) -> None:
    command = ["report", "outcomes", "--programme", "eurp", "-o", str(output), "-d", database]
    result = runner.invoke(app, [*command, *args])
    assert result.exit_code == 0, result.output


def test_csv_has_a_row_per_group_and_measure_and_one_per_suppressed_group(
    database: str, tmp_path: Path
) -> None:
    write(database, tmp_path / "o.csv", "--as", "auditor-1", "--format", "csv")
    with (tmp_path / "o.csv").open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == CSV_HEADER
    cash = {r["measure"]: r for r in rows if r["group"] == "cash_only"}
    assert set(cash) == {"composite", "economic", "social"}
    assert (cash["composite"]["n"], cash["composite"]["returned_again"]) == ("12", "1")
    assert Decimal(cash["composite"]["median"]) == median(score("cash_only", n) for n in range(12))
    mixed = [r for r in rows if r["group"] == "mixed"]
    assert [(r["suppressed"], r["measure"], r["n"]) for r in mixed] == [("yes", "", "")]


def test_xlsx_holds_numbers_as_numbers_under_a_frozen_header(database: str, tmp_path: Path) -> None:
    write(database, tmp_path / "o.xlsx", "--as", "auditor-1", "--format", "xlsx", "--by", "level")
    book = openpyxl.load_workbook(tmp_path / "o.xlsx")
    sheet = book["Outcomes"]
    assert sheet.freeze_panes == "A2"
    assert tuple(c.value for c in sheet[1]) == CSV_HEADER
    rows = [
        dict(zip(CSV_HEADER, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    individual = next(r for r in rows if r["group"] == "individual" and r["measure"] == "composite")
    assert individual["n"] == 24
    assert isinstance(individual["median"], float | int | Decimal)
    assert book["Question"]["B2"].value == "level"


def test_json_is_the_apis_document_for_the_same_user(database: str, tmp_path: Path) -> None:
    write(database, tmp_path / "o.json", "--as", "officer-dakar", "--format", "json")
    doc = json.loads((tmp_path / "o.json").read_text())
    assert doc["offices"] == ["dakar"]
    assert {g["group"]: g["suppressed"] for g in doc["groups"]} == {
        "cash_only": False,
        "in_kind_only": False,
        "mixed": True,
        "none": True,
    }


def test_a_user_whose_role_may_not_read_outcomes_is_refused(database: str, tmp_path: Path) -> None:
    command = ["report", "outcomes", "--programme", "eurp", "-o", str(tmp_path / "x.csv")]
    result = runner.invoke(app, [*command, "--as", "partner-dakar", "-d", database])
    assert result.exit_code == 2
    assert not (tmp_path / "x.csv").exists()
