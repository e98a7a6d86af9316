"""`reintegrate cases import`: an officer imports a caseload file from the command line; its
errors go to a CSV file, nothing is imported while any remains, and the same file twice
imports nothing new."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reintegrate.access import Role
from reintegrate.cli.main import app
from tests import builders as b
from tests.people.caseload_files import as_csv, households

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """The EU programme, an officer and a finance user of dakar."""
    return b.programme_database(
        tmp_path / "cases.db", ("officer-1", Role.OFFICER), ("finance-1", Role.FINANCE)
    )


def import_file(
    db: str, file: Path, *options: str, user: str = "officer-1", lang: str = "en"
) -> Result:
    args = ["cases", "import", str(file), "--programme", b.PROGRAMME, "--as", user, "-d", db]
    return runner.invoke(app, ["--lang", lang, *args, *options])


def test_an_officer_imports_a_caseload_file_once(db: str, tmp_path: Path) -> None:
    file = tmp_path / "caseload.csv"
    file.write_bytes(as_csv(households(3, 1)))
    first = import_file(db, file)
    assert first.exit_code == 0, first.output
    assert "2 households, 4 persons registered" in first.output
    again = import_file(db, file)
    assert again.exit_code == 0, again.output
    assert "already imported as cim_" in again.output
    assert "nothing new" in again.output


def test_errors_are_written_to_the_errors_file_and_nothing_is_imported(
    db: str, tmp_path: Path
) -> None:
    rows = households(2, 2)
    rows[2]["nationality"] = "XX"
    file, errors = tmp_path / "caseload.csv", tmp_path / "errors.csv"
    file.write_bytes(as_csv(rows))
    refused = import_file(db, file, "--errors", str(errors))
    assert refused.exit_code == 1, refused.output
    assert "1 errors: nothing imported" in refused.output
    written = list(csv.DictReader(errors.open()))
    assert [(e["row"], e["column"]) for e in written] == [("4", "nationality")]
    fixed = as_csv(households(2, 2))
    file.write_bytes(fixed)
    dry = import_file(db, file, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "dry run: no errors; 2 households, 4 persons would be imported" in dry.output


def test_a_user_whose_role_may_not_register_households_is_refused(db: str, tmp_path: Path) -> None:
    file = tmp_path / "caseload.csv"
    file.write_bytes(as_csv(households(1)))
    refused = import_file(db, file, user="finance-1")
    assert refused.exit_code == 2
    assert "this step needs a user who is admin or officer or partner" in refused.output


@pytest.mark.parametrize(
    ("language", "shown", "said"),
    [
        ("fr", "ligne 4, sex : n'est pas l'une des valeurs : ", "n'est pas l'une des valeurs : "),
        ("es", "fila 4, sex: no es uno de los valores: ", "no es uno de los valores: "),
    ],
)
def test_errors_are_worded_in_the_language_asked_on_screen_and_in_the_errors_file(
    db: str, tmp_path: Path, language: str, shown: str, said: str
) -> None:
    rows = households(2, 2)
    rows[2]["sex"] = "n/a"
    file, errors = tmp_path / "caseload.csv", tmp_path / "errors.csv"
    file.write_bytes(as_csv(rows))
    refused = import_file(db, file, "--errors", str(errors), lang=language)
    assert refused.exit_code == 1, refused.output
    assert shown in refused.output
    written = {e["column"]: e["message"] for e in csv.DictReader(errors.open(encoding="utf-8"))}
    assert written["sex"].startswith(said)
    english = import_file(db, file, "--errors", str(errors))
    assert "row 4, sex: not one of " in english.output
