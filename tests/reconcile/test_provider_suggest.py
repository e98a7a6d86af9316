"""`reintegrate provider suggest`: a column mapping proposed from a provider's CSV file,
tried on the whole file, for a person to check and save."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from reintegrate.adapters.statements.csv_suggest import suggest_mapping
from reintegrate.cli.main import app
from reintegrate.demo.provider import provider_statement
from reintegrate.reconcile.statements.lines import LineStatus

EXAMPLES = Path(__file__).parents[2] / "examples" / "providers"
runner = CliRunner()
BATCH = (
    b"reference,amount,currency,name,wallet\n"
    b"RET-1,150.00,EUR,A,1\nRET-2,80.00,EUR,B,2\nRET-3,40.00,EUR,C,3\n"
    b"RET-4,10.00,EUR,D,4\nRET-5,25.00,EUR,E,5\n"
)


def test_the_demo_providers_statement_gets_the_mapping_its_provider_wrote() -> None:
    statement = provider_statement(BATCH, dt.date(2026, 11, 20))
    found = suggest_mapping(statement, provider="demo-mobile-money")
    assert found.mapping is not None
    assert found.read is not None
    written = tomllib.loads((EXAMPLES / "mobile-money.toml").read_text())
    for field in ("provider", "date", "reference", "amount", "currency", "status"):
        assert getattr(found.mapping, field) == written[field], field
    assert (
        found.mapping.status_map.items()
        <= {k: LineStatus(v) for k, v in written["status_map"].items()}.items()
    )
    assert len(found.read.lines) == len(statement.splitlines()) - 1


def test_a_german_bank_export_is_read_with_day_first_dates_and_decimal_commas(
    tmp_path: Path,
) -> None:
    export = tmp_path / "umsaetze.csv"
    export.write_bytes(
        "Buchungstag;Verwendungszweck;Empfänger;Betrag;Währung\n"
        "30.12.2026;RET-1 Rückkehrhilfe;Samir Haddad;-1.234,56;EUR\n"
        "31.12.2026;RET-2;Lina Haddad;-80,00;EUR\n"
        "31.12.2026;Rückzahlung;Lina Haddad;12,50;EUR\n".encode("cp1252")
    )
    result = runner.invoke(app, ["provider", "suggest", str(export), "--provider", "sparkasse"])
    assert result.exit_code == 0, result.stderr
    proposed = json.loads(result.stdout)
    assert proposed == {
        "date": "Buchungstag",
        "reference": "Verwendungszweck",
        "amount": "Betrag",
        "currency": "Währung",
        "counterparty": "Empfänger",
        "date_format": "%d.%m.%Y",
        "decimal_separator": ",",
        "thousands_separator": ".",
        "delimiter": ";",
        "encoding": "cp1252",
        "provider": "sparkasse",
    }
    assert "the proposal reads 3 lines (credits 12.50, debits 1314.56 EUR)" in result.stderr
    saved = tmp_path / "sparkasse.json"
    saved.write_text(result.stdout)
    shown = runner.invoke(app, ["statement", "show", str(export), "--mapping", str(saved)])
    assert shown.exit_code == 0, shown.stderr


def test_a_file_that_names_no_currency_needs_one_given(tmp_path: Path) -> None:
    export = tmp_path / "wallet.csv"
    export.write_text("date,ref,amount\n2026-11-20,RET-1,-10.00\n2026-11-21,RET-2,-5.00\n")
    refused = runner.invoke(app, ["provider", "suggest", str(export)])
    assert refused.exit_code == 1
    assert "no currency column: give the file's currency (--currency)" in refused.stderr
    given = runner.invoke(app, ["provider", "suggest", str(export), "--currency", "EUR"])
    assert given.exit_code == 0, given.stderr
    assert json.loads(given.stdout)["fixed_currency"] == "EUR"
    assert json.loads(given.stdout)["reference"] == "ref"


def test_a_file_without_a_date_or_amount_column_gets_no_mapping() -> None:
    found = suggest_mapping(b"when,what\nyesterday,something\n")
    assert found.mapping is None
    assert "no column found for date and amount: name it in the mapping" in map(str, found.remarks)


CORPUS = Path(__file__).parents[1] / "fixtures" / "statements" / "csv"
ADYEN = CORPUS / "bank-statement-import-adyen-settlement_detail_report_batch_238.csv"


def test_an_adyen_settlement_report_gets_its_net_debit_and_net_credit_columns() -> None:
    result = runner.invoke(app, ["provider", "suggest", str(ADYEN), "--provider", "Adyen"])
    assert result.exit_code == 0, result.stderr
    proposed = json.loads(result.stdout)
    beside = json.loads(ADYEN.with_name(f"{ADYEN.name}.mapping.json").read_text())
    assert {k: v for k, v in proposed.items() if k not in ("delimiter", "encoding")} == beside
    assert "the proposal reads 3 lines (credits 454331.99, debits 454331.99 USD)" in result.stderr


def test_debit_amount_and_credit_amount_headers_make_a_pair_and_not_an_amount_column() -> None:
    found = suggest_mapping(
        b"Date,Debit Amount,Credit Amount,Currency,Debit/Credit\n"
        b"2026-11-20,10.00,,EUR,D\n2026-11-21,,4.50,EUR,C\n"
    )
    assert found.mapping is not None
    assert found.mapping.columns() == {
        "date": "Date",
        "debit_amount": "Debit Amount",
        "credit_amount": "Credit Amount",
        "currency": "Currency",
    }
    assert found.read is not None
    assert (found.read.debits, found.read.credits) == (1000, 450)


def test_an_amount_column_is_kept_beside_a_debit_and_a_credit_column() -> None:
    found = suggest_mapping(
        b"date,amount,debit,credit,ccy\n2026-11-20,-10.00,10.00,,EUR\n2026-11-21,4.50,,4.50,EUR\n"
    )
    assert found.mapping is not None
    assert (found.mapping.amount, found.mapping.debit_amount) == ("amount", None)


def test_debit_and_credit_columns_of_words_are_no_amounts() -> None:
    found = suggest_mapping(b"date,debit,credit,ccy\n2026-11-20,Awa,Ba,EUR\n")
    assert found.mapping is None
    assert "no column found for amount: name it in the mapping" in map(str, found.remarks)
