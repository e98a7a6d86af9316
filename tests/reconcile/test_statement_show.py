"""`reintegrate statement show`, and the format detection and summary behind it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import msgspec
import pytest
from typer.testing import CliRunner

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.detect import describe, detect_format, read_statement
from reintegrate.cli.main import app

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()
KEYS = [
    "format",
    "version",
    "account",
    "currency",
    "entries",
    "credits",
    "debits",
    "opening_balance",
    "closing_balance",
    "discrepancy",
    "remarks",
]


def show(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["statement", "show", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("fixture", "found"),
    [
        ("mt940_swift_fin_xof.sta", "mt940"),
        ("mt940_abnamro.sta", "mt940"),
        ("mt940_sparkasse_bom.sta", "mt940"),
        ("mt940_utf16.sta", "mt940"),
        ("camt053_v02_reversal.xml", "camt053"),
        ("camt053_bad_latin1.xml", "camt053"),
    ],
)
def test_the_format_is_told_from_the_first_bytes(fixture: str, found: str) -> None:
    assert detect_format((FIXTURES / fixture).read_bytes()) == found


def test_a_utf16_xml_file_is_told_apart_from_csv() -> None:
    text = (FIXTURES / "camt053_v04_batch.xml").read_text(encoding="utf-8")
    assert detect_format(text.replace("UTF-8", "UTF-16").encode("utf-16")) == "camt053"
    assert detect_format(b"Date;Reference;Amount\n2026-03-02;RET-1;12,50\n") == "csv"


def test_reading_a_file_keeps_its_hash_so_a_second_import_is_recognised() -> None:
    data = (FIXTURES / "mt940_multi_currency.sta").read_bytes()
    read = read_statement(data)
    assert read.content_hash == hashlib.sha256(data).hexdigest()
    assert len(read.statements) == 3
    assert read_statement(data, format="mt940") == read


def test_a_csv_file_needs_its_mapping_and_an_unknown_format_is_refused() -> None:
    with pytest.raises(StatementRejected) as rejected:
        read_statement(b"Date;Amount\n2026-03-02;12,50\n")
    assert rejected.value.field == "mapping"
    with pytest.raises(StatementRejected) as rejected:
        read_statement(b":20:X\n", format="bai2")
    assert rejected.value.field == "format"
    with pytest.raises(StatementRejected, match="empty"):
        read_statement(b"  \n")


def test_the_summary_gives_amounts_in_major_units_and_no_balance_as_none() -> None:
    (statement,) = read_statement((FIXTURES / "mt940_abnamro.sta").read_bytes()).statements
    summary = describe(statement)
    assert list(summary) == KEYS
    assert summary == {
        "format": "mt940",
        "version": "slash-keys",
        "account": "417164300",
        "currency": "EUR",
        "entries": 3,
        "credits": "850.00",
        "debits": "1700.00",
        "opening_balance": "12000.00",
        "closing_balance": "11150.00",
        "discrepancy": "0.00",
        "remarks": [],
    }
    without = describe(msgspec.structs.replace(statement, opening_balance=None))
    assert (without["opening_balance"], without["closing_balance"]) == (None, "11150.00")


def test_show_prints_a_table_for_each_statement() -> None:
    code, out, _ = show(str(FIXTURES / "mt940_multi_currency.sta"))
    assert code == 0
    assert "statement 3 of 3: mt940 (free-text)" in out
    assert "BE68539007547035" in out
    assert "-500.00 EUR" in out
    assert "131500.00 MAD" in out
    assert hashlib.sha256((FIXTURES / "mt940_multi_currency.sta").read_bytes()).hexdigest() in out


def test_show_json_gives_one_object_for_a_single_statement() -> None:
    code, out, _ = show(str(FIXTURES / "camt053_v04_batch.xml"), "--json")
    assert code == 0
    assert json.loads(out) == {
        "format": "camt053",
        "version": "camt.053.001.04",
        "account": "BE68539007547034",
        "currency": "EUR",
        "entries": 4,
        "credits": "750.00",
        "debits": "2250.00",
        "opening_balance": "10000.00",
        "closing_balance": "8500.00",
        "discrepancy": "0.00",
        "remarks": [],
    }


def test_show_json_gives_a_list_for_several_statements_and_currencies() -> None:
    code, out, _ = show(str(FIXTURES / "camt053_v08_two_currencies.xml"), "--json")
    assert code == 0
    euro, franc = json.loads(out)
    assert (euro["currency"], euro["credits"], euro["debits"]) == ("EUR", "250.00", "1524.49")
    assert (euro["opening_balance"], euro["closing_balance"]) == ("3000.00", "1725.51")
    assert franc == {
        "format": "camt053",
        "version": "camt.053.001.08",
        "account": "SN0100152000048500003035",
        "currency": "XOF",
        "entries": 3,
        "credits": "655957",
        "debits": "1655957",
        "opening_balance": "5000000",
        "closing_balance": "4000000",
        "discrepancy": "0",
        "remarks": [],
    }


def test_a_bad_file_exits_1_naming_the_position_without_a_traceback() -> None:
    code, out, err = show(str(FIXTURES / "mt940_bad_date.sta"), "--json")
    assert code == 1
    assert out == ""
    assert "line 13 (:61:)" in err
    assert "'261332' is not a calendar date" in err
    assert "Traceback" not in err
    code, _, err = show(str(FIXTURES / "mt940_utf16.sta"), "--encoding", "utf-8")
    assert (code, "byte 0xFF is not utf-8" in err) == (1, True)


def test_a_format_given_on_the_command_line_is_used_as_it_is() -> None:
    code, _, err = show(str(FIXTURES / "mt940_abnamro.sta"), "--format", "camt053")
    assert code == 1
    assert "line 1, column 0" in err
    code, _, err = show(str(FIXTURES / "mt940_abnamro.sta"), "--format", "ofx")
    assert code == 2


def test_a_csv_file_is_shown_with_its_providers_mapping(tmp_path: Path) -> None:
    statement = tmp_path / "orange-money.csv"
    statement.write_text(
        "Date;Reference;Montant\n2026-03-02;RET-2026-000311;-350000\n"
        "2026-03-03;RET-2026-000312;275000\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "orange-money.json"
    mapping.write_text(
        json.dumps(
            {"date": "Date", "reference": "Reference", "amount": "Montant", "fixed_currency": "XOF"}
        )
    )
    code, out, err = show(str(statement), "--mapping", str(mapping), "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert list(shown) == KEYS
    assert (shown["format"], shown["currency"], shown["entries"]) == ("csv", "XOF", 2)
    assert (shown["credits"], shown["debits"]) == ("275000", "350000")
    code, _, err = show(str(statement))
    assert (code, "mapping" in err) == (1, True)


def test_a_missing_file_or_a_bad_mapping_is_a_usage_error(tmp_path: Path) -> None:
    assert show(str(tmp_path / "none.sta"))[0] == 2
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('date = "Date"\n')
    code, _, err = show(str(FIXTURES / "mt940_abnamro.sta"), "--mapping", str(mapping))
    assert code == 2
    assert "invalid CSV mapping" in err


def test_a_csv_file_in_several_currencies_is_shown_as_one_object_per_currency(
    tmp_path: Path,
) -> None:
    statement = tmp_path / "wallet.csv"
    statement.write_text(
        "date,ref,amount,ccy\n2026-03-02,a,-10.00,EUR\n2026-03-02,b,-6550,XOF\n"
        "2026-03-03,c,2.50,EUR\n2026-03-03,d,-1000,XOF\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "wallet.json"
    mapping.write_text(
        json.dumps(
            {
                "date": "date",
                "reference": "ref",
                "amount": "amount",
                "currency": "ccy",
                "account_currency": "EUR",
            }
        )
    )
    code, out, err = show(str(statement), "--mapping", str(mapping), "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert [(s["currency"], s["entries"], s["credits"], s["debits"]) for s in shown] == [
        ("EUR", 2, "2.50", "10.00"),
        ("XOF", 2, "0", "7550"),
    ]
    assert all(list(s) == KEYS for s in shown)
