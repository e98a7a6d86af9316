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

_UNBALANCED = "refused: closing balance {} is not the opening balance plus credits minus debits"

READ_WRONG = {
    # MT940
    "mt940/wolph-mt940-abnamro.sta": (
        "refused: the bank header lines after '-' (ABNANL2A / 940 / ABNANL2A) are read as part"
        " of :62F:, 'C110523EUR876,84\\nABNANL2A\\n940\\nABNANL2A' is not a balance"
    ),
    "mt940/wolph-mt940-ing.sta": _UNBALANCED.format("C100723EUR3,47") + " (-45.59 EUR)",
    "mt940/wolph-mt940-rabobank.sta": (
        _UNBALANCED.format("C110615EUR000000000395,82") + " (-740.11 EUR)"
    ),
    "mt940/wolph-mt940-knab.sta": _UNBALANCED.format("C140730EUR798,98") + " (-3701.02 EUR)",
    "mt940/wolph-mt940-postfinance.sta": _UNBALANCED.format("C140407CHF159,6") + " (159.40 CHF)",
    "mt940/wolph-mt940-triodos.sta": _UNBALANCED.format("C110201EUR4370,79") + " (4259.39 EUR)",
    "mt940/wolph-mt940-mbank-mt940.sta": (
        "refused: control character U+0001 in the text (the message is framed by SOH/ETX)"
    ),
    "mt940/wolph-mt940-sberbank-171011_01234945.sta": (
        "refused: '1710111011DF2402,00S   X' is not a statement line (funds code F,"
        " transaction type 'S   ')"
    ),
    "mt940/wolph-mt940-raiffeisen-cmi.sta": (
        "refused: byte 0xA0 is not UTF-8 (the file is in DOS code page 852)"
    ),
    "mt940/php-mt940-zetb-sample": (
        "refused: '2011301130CN220000,00//19239782213' is not a statement line (funds code N,"
        " no transaction type)"
    ),
    "mt940/php-mt940-hsbc-sample": _UNBALANCED.format("C120329HKD0,00") + " (-20000.00 HKD)",
    "mt940/zilverline-mt940-deutsche_bank.txt": (
        _UNBALANCED.format("C140325EUR5,87") + " (4.00 EUR)"
    ),
    "mt940/zilverline-mt940-moneyou.txt": (
        "refused: the trailer ' -' (a space before the dash) is read as part of :62F:,"
        " 'C190329EUR000000043131,47\\n -' is not a balance"
    ),
    # camt.053
    "camt053/bank-statement-import-test-camt053": (
        "refused: closing balance 15121.12 is not the opening balance plus booked credits minus"
        " debits (15555.28 EUR)"
    ),
    "camt053/bank-statement-import-test-camt053-txdtls": (
        "entries 2 (one per TxDtls of a batched Ntry) where the file has 1 Ntry"
    ),
    "camt053/camt_parser-053-valid_example.xml": (
        "entries 5 (one per TxDtls of a batched Ntry) where the file has 4 Ntry"
    ),
    "camt053/camt_parser-053-valid_example_v4.xml": (
        "entries 32 (one per TxDtls of batched Ntry) where the file has 13 Ntry"
    ),
    "camt053/camt_parser-053-valid_example_v8.xml": (
        "refused at Stmt[1]/Ntry[3]/Amt: an amount in EUR in a statement in CHF"
    ),
    "camt053/genkgo-camt-camt053.v2.five.decimals.xml": (
        "refused: amount '8.850' has 3 decimals; EUR has 2"
    ),
    "camt053/camt-to-coda-LT625883379695428516-2024-03-07.xml": (
        "refused: entry status 'None' is none of BOOK, PDNG, INFO, FUTR (the entries have no"
        " Sts, nor BookgDt)"
    ),
    # CSV
    "csv/bank-statement-import-adyen-settlement_detail_report_batch_238.csv": (
        "refused: '' is not an amount (line 3, Net Credit (NC)): a mapping names one amount"
        " column, Adyen gives Net Debit (NC) and Net Credit (NC)"
    ),
    "csv/ofxstatement-revolut-2022-january.csv": (
        "refused: the amount is zero: a line must move money (line 3, a card hold of 0.00)"
    ),
}


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
