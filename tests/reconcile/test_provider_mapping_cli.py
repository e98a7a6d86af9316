"""Finance, from the command line: save a provider's CSV column mapping once, look at it,
and import that provider's statements by naming it; an auditor's verify still agrees."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from typer.testing import CliRunner, Result

from reintegrate.access import Role
from reintegrate.cli.main import app
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from tests import builders as b

MAPPING = Path(__file__).resolve().parents[2] / "examples" / "providers" / "mobile-money.toml"
STATEMENT = (
    "date,reference,amount,currency,status,counterparty\n"
    "2024-03-12,ref-1,-12.50,EUR,SUCCESS,wallet\n"
    "2024-03-12,ref-2,4.00,EUR,RETURNED,wallet\n"
)
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding the programme, two finance users and no saved mapping."""
    finance = Role.FINANCE
    return b.programme_database(
        tmp_path / "finance.db", ("finance-1", finance), ("finance-2", finance)
    )


def run(*args: str, code: int = 0) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def import_statement(db: str, tmp_path: Path, *how: str, code: int = 0) -> Result:
    statement = tmp_path / "statement.csv"
    statement.write_text(STATEMENT)
    args = ["statement", "import", str(statement), "--programme", b.PROGRAMME, *how]
    return run(*args, "--as", "finance-1", "-d", db, code=code)


def test_a_saved_mapping_is_shown_listed_and_read_when_the_import_names_its_provider(
    db: str, tmp_path: Path
) -> None:
    saved = run("provider", "mapping", "save", str(MAPPING), "--as", "finance-1", "-d", db)
    assert "mapping of demo-mobile-money saved (version 1)" in saved.output
    shown = json.loads(
        run("provider", "mapping", "show", "demo-mobile-money", "--json", "-d", db).output
    )
    expected = msgspec.toml.decode(MAPPING.read_bytes(), type=CsvMapping)
    assert msgspec.convert(shown["mapping"], CsvMapping) == expected
    assert (shown["version"], shown["saved_by"]) == (1, "finance-1")
    table = run("provider", "mapping", "show", "demo-mobile-money", "-d", db).output
    assert "SUCCESS" in table
    assert "demo-mobile-money" in run("provider", "mapping", "list", "-d", db).output
    imported = import_statement(db, tmp_path, "--saved-mapping", "demo-mobile-money")
    assert "EUR: 2 entries, credits 4.00, debits 12.50" in imported.output
    assert "replay equal" in run("audit", "verify", "-d", db).output


def test_saving_again_replaces_the_mapping(db: str) -> None:
    run("provider", "mapping", "save", str(MAPPING), "--as", "finance-1", "-d", db)
    again = run("provider", "mapping", "save", str(MAPPING), "--as", "finance-2", "-d", db)
    assert "(version 2)" in again.output
    shown = json.loads(
        run("provider", "mapping", "show", "demo-mobile-money", "--json", "-d", db).output
    )
    assert (shown["version"], shown["saved_by"]) == (2, "finance-2")


def test_an_import_naming_a_provider_with_no_saved_mapping_is_refused(
    db: str, tmp_path: Path
) -> None:
    refused = import_statement(db, tmp_path, "--saved-mapping", "nobody", code=1)
    assert "saved_mapping" in refused.output
    assert "no CSV column mapping is saved for provider 'nobody'" in refused.output
    unknown = run("provider", "mapping", "show", "nobody", "-d", db, code=1)
    assert "'nobody'" in unknown.output


def test_a_csv_import_with_neither_mapping_names_both_options(db: str, tmp_path: Path) -> None:
    refused = import_statement(db, tmp_path, code=1)
    assert "give the mapping, or the name of a provider whose mapping is saved" in refused.output


def test_a_mapping_naming_no_provider_is_not_saved(db: str, tmp_path: Path) -> None:
    nameless = tmp_path / "nameless.toml"
    nameless.write_text(
        "\n".join(line for line in MAPPING.read_text().splitlines() if "provider" not in line)
    )
    refused = run(
        "provider", "mapping", "save", str(nameless), "--as", "finance-1", "-d", db, code=1
    )
    assert "refused (provider)" in refused.output


def test_a_statement_is_shown_with_a_providers_saved_mapping(db: str, tmp_path: Path) -> None:
    run("provider", "mapping", "save", str(MAPPING), "--as", "finance-1", "-d", db)
    statement = tmp_path / "statement.csv"
    statement.write_text(STATEMENT)
    shown = run(
        "statement",
        "show",
        str(statement),
        "--saved-mapping",
        "demo-mobile-money",
        "--json",
        "-d",
        db,
    )
    assert json.loads(shown.output)["entries"] == 2
