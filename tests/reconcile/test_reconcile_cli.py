"""An auditor, from the command line alone, on the demo data: batch the payments awaiting
their provider, export the batch, import the provider's statement, see every difference
explained, record a decision with a second person, and apply what the statement proves."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from reintegrate.cli.main import app
from tests.builders import demo_database, only

MAPPING = Path(__file__).resolve().parents[2] / "examples" / "providers" / "mobile-money.toml"
runner = CliRunner()


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return demo_database(path, "finance-audit", "controller", "b")


def test_an_auditor_reconciles_a_provider_statement_from_the_command_line(
    database: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{database}"
    created = cli(
        "batch",
        "create",
        "eurp",
        "--provider",
        "mobile_money",
        "--currency",
        "EUR",
        "--as",
        "finance-audit",
        "-d",
        db,
    )
    assert "12 payments" in created
    batch_id = only(database, "select batch_id from payment_batches")
    batch_file, statement = tmp_path / "batch.csv", tmp_path / "statement.csv"
    cli("batch", "export", batch_id, "--as", "finance-audit", "--output", str(batch_file), "-d", db)
    header = "reference,amount,currency,mobile_number,name"
    assert batch_file.read_text().splitlines()[0] == header
    cli("demo-statement", str(batch_file), "--output", str(statement))
    cli(
        "statement",
        "import",
        str(statement),
        "--programme",
        "eurp",
        "--mapping",
        str(MAPPING),
        "--as",
        "finance-audit",
        "-d",
        db,
    )
    import_id = only(database, "select import_id from statement_imports")
    shown = json.loads(cli("reconcile", "show", import_id, "--format", "json", "-d", db))
    outcomes = [f["outcome"] for f in shown["findings"]]
    assert sorted(set(outcomes)) == sorted(
        [
            "matched",
            "amount_differs",
            "returned_or_reversed",
            "duplicate_payment",
            "unknown_line",
            "missing",
        ]
    )
    assert all(f["explanation"] for f in shown["findings"])
    totals = {k: Decimal(v) for k, v in shown["totals"][0].items() if k != "currency"}
    rows = statement.read_text().splitlines()[1:]
    assert totals["statement"] == -sum(Decimal(row.split(",")[2]) for row in rows)
    classes = ("matched", "amount_differs", "returned_or_reversed", "duplicate_payment")
    assert sum(totals[c] for c in (*classes, "unknown_line")) == totals["statement"]
    short = next(f for f in shown["findings"] if f["outcome"] == "amount_differs")
    cli(
        "reconcile",
        "decide",
        import_id,
        short["position"],
        "--match",
        short["disbursement_id"],
        "--reason",
        "provider fee taken from the payment",
        "--as",
        "finance-audit",
        "-d",
        db,
    )
    refused = runner.invoke(app, ["reconcile", "confirm", import_id, "x", "--as", "b", "-d", db])
    assert refused.exit_code == 1
    decision = json.loads(only(database, "select body from statement_imports"))["decisions"][0]
    cli("reconcile", "confirm", import_id, decision["decision_id"], "--as", "controller", "-d", db)
    applied = cli("reconcile", "apply", import_id, "--as", "controller", "-d", db)
    assert "10 DisbursementPaid" in applied
    assert "1 DisbursementFailed" in applied
    assert "nothing new" in cli("reconcile", "apply", import_id, "--as", "controller", "-d", db)
    report = tmp_path / "reconciliation.xlsx"
    cli("reconcile", "show", import_id, "--format", "xlsx", "--output", str(report), "-d", db)
    book = load_workbook(report)
    assert book.sheetnames == ["totals", "findings", "decisions"]
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)
    findings = list(book["findings"].iter_rows(values_only=True))
    columns, first = findings[0], findings[1:]
    assert len(first) == len(shown["findings"])
    differs = next(r for r in first if r[columns.index("outcome")] == "amount_differs")
    expected = differs[columns.index("expected")]
    assert isinstance(expected, int | float)
    assert Decimal(str(expected)) == Decimal(short["expected"])
    cell = book["findings"].cell(first.index(differs) + 2, columns.index("expected") + 1)
    assert cell.number_format == '#,##0.00 "EUR"'
    paid = [r[columns.index("on_statement")] for r in first]
    assert len([a for a in paid if isinstance(a, int | float)]) == len(
        [f for f in shown["findings"] if f["on_statement"]]
    )
    decisions = list(book["decisions"].iter_rows(values_only=True))
    assert decisions[1][:3] == (decision["decision_id"], short["position"], "match")
    assert decisions[1][-1] == "controller"


def test_a_statement_imported_twice_is_refused_with_the_import_that_holds_it(
    database: Path, tmp_path: Path
) -> None:
    statement = tmp_path / "again.csv"
    statement.write_text(
        "date,reference,amount,currency,status,counterparty\n"
        "2026-11-20,ref-x,-1.00,EUR,SUCCESS,wallet\n"
    )
    args = [
        "statement",
        "import",
        str(statement),
        "--programme",
        "eurp",
        "--mapping",
        str(MAPPING),
        "--as",
        "finance-audit",
        "-d",
        f"sqlite:///{database}",
    ]
    cli(*args)
    second = runner.invoke(app, args)
    assert second.exit_code == 1
    assert "imported already" in second.output


def test_a_statement_that_does_not_reconcile_is_imported_when_accepted_and_reported(
    database: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{database}"
    kept = (Path(__file__).parent / "fixtures" / "mt940_abnamro.sta").read_bytes()
    statement = tmp_path / "off.sta"
    statement.write_bytes(kept.replace(b"EUR11150,00", b"EUR11150,01"))
    args = ["statement", "import", str(statement), "--programme", "eurp", "--as", "b", "-d", db]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    assert "0.01 EUR away from the opening balance" in refused.output
    imported = cli(*args, "--accept-discrepancy")
    discrepancy = (
        "statement 1 (417164300): the closing balance is 0.01 EUR away from the opening "
        "balance plus credits minus debits"
    )
    assert f"{discrepancy} (recorded, to explain)" in imported
    import_id = imported.split()[1]
    shown = json.loads(cli("reconcile", "show", import_id, "--format", "json", "-d", db))
    assert shown["discrepancies"] == [
        {"statement": 1, "account": "417164300", "amount": "0.01", "currency": "EUR"}
    ]
    table = cli("reconcile", "show", import_id, "-d", db)
    assert f"{discrepancy}: imported with the discrepancy, to explain" in table
