"""Bulk reconciliation of large CSV statements: the same lines, rejections and findings as the
line-by-line reader and `match`, whatever the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pytest

from reintegrate.adapters.bulk.csv_reading import read_columns
from reintegrate.adapters.bulk.engine import reconcile_csv
from reintegrate.adapters.bulk.result import BulkReconciliation
from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.csv_format import CsvMapping, parse_csv
from reintegrate.errors import ValidationFailed
from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.reconcile.matching.match import match
from reintegrate.reconcile.matching.outcomes import Expected, Outcome, Reconciliation
from reintegrate.reconcile.statements.lines import LineStatus

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
BASIC = CsvMapping(
    date="date", reference="ref", amount="amount", currency="ccy", counterparty="payee"
)
HEADER = "date,ref,amount,ccy,payee\n"
GOOD = "2024-03-11,R1,-10.00,EUR,Awa Faye\n"
MOBILE = CsvMapping(
    date="Date",
    date_format="%Y-%m-%d %H:%M:%S",
    reference="Reference",
    amount="Amount (XOF)",
    direction="Type",
    debit_values=("TRANSFER",),
    credit_values=("REVERSAL",),
    status="Status",
    status_map={"SUCCESS": LineStatus.BOOKED, "FAILED": LineStatus.FAILED},
    counterparty="Receiver Name",
    fixed_currency="XOF",
)
TAB = CsvMapping(
    date="Date",
    date_format="%d/%m/%Y",
    reference="Transaction Ref",
    amount="Amount",
    direction="Dr/Cr",
    status="Status",
    status_map={"Completed": LineStatus.BOOKED, "Reversed": LineStatus.REVERSED},
    counterparty="Beneficiary",
    fixed_currency="GMD",
    delimiter="\t",
)
BANK = CsvMapping(
    date="Booking Date",
    reference="Reference",
    amount="Amount",
    currency="Currency",
    counterparty="Counterparty",
)
CP1252 = CsvMapping(
    date="Date",
    date_format="%d/%m/%Y",
    reference="Référence",
    amount="Montant",
    currency="Devise",
    counterparty="Bénéficiaire",
    decimal_separator=",",
    thousands_separator=" ",
    encoding="cp1252",
)


def payment(number: int, amount: int, currency: str = "EUR", day: int = 11) -> Expected:
    return Expected(
        disbursement_id=f"dsb-{number}",
        reference=f"R{number}",
        amount=amount,
        currency=currency,
        sent_on=dt.date(2024, 3, day),
        status=DisbursementStatus.PAID,
    )


def assert_same(bulk: Reconciliation, pure: Reconciliation) -> None:
    for outcome in Outcome:
        assert bulk.of(outcome) == pure.of(outcome), outcome
    assert bulk.totals == pure.totals
    assert list(bulk.findings()) == list(pure.findings())


def both_ways(data: bytes, sent: list[Expected], mapping: CsvMapping = BASIC) -> Reconciliation:
    """The bulk result, once checked to be `match`'s on the lines `parse_csv` reads."""
    bulk = reconcile_csv(data, mapping, sent, window_days=3)
    assert_same(bulk, match(parse_csv(data, mapping).lines, sent, window_days=3))
    return bulk


# --- the columns hold what parse_csv reads ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mapping"), [("mobile_money.csv", MOBILE), ("tab_fixed_currency.tsv", TAB)]
)
def test_plain_provider_exports_are_read_in_columns_with_the_same_lines(
    name: str, mapping: CsvMapping
) -> None:
    data = (FIXTURES / name).read_bytes()
    columns = read_columns(data, mapping)
    assert columns is not None
    assert columns.every_line() == list(parse_csv(data, mapping).lines)


@pytest.mark.parametrize(
    ("name", "mapping"), [("bank_comma.csv", BANK), ("cp1252_accents.csv", CP1252)]
)
def test_quoted_or_grouped_or_cp1252_files_are_left_to_the_line_by_line_reader(
    name: str, mapping: CsvMapping
) -> None:
    data = (FIXTURES / name).read_bytes()
    assert read_columns(data, mapping) is None
    both_ways(data, [payment(1, 150000)], mapping)


def test_a_file_with_a_line_of_amount_zero_is_reconciled_without_that_line() -> None:
    data = (HEADER + GOOD + "2024-03-12,R2,0.00,EUR,Ba\n").encode()
    assert read_columns(data, BASIC) is None
    bulk = both_ways(data, [payment(1, 1000)])
    assert [line.position for f in bulk.findings() for line in f.lines] == ["line 2"]


def test_a_file_with_a_debit_and_a_credit_column_is_reconciled_as_parse_csv_reads_it() -> None:
    mapping = CsvMapping(
        date="date", reference="ref", debit_amount="out", credit_amount="in", currency="ccy"
    )
    data = b"date,ref,out,in,ccy\n2024-03-11,R1,10.00,,EUR\n2024-03-12,R1,,10.00,EUR\n"
    assert read_columns(data, mapping) is None
    bulk = both_ways(data, [payment(1, 1000)], mapping)
    assert [line.position for f in bulk.findings() for line in f.lines] == ["line 2", "line 3"]


def test_spaces_crlf_a_bom_trailing_blank_lines_and_accents_read_as_parse_csv_reads_them() -> None:
    data = (
        "\ufeffdate,ref,amount,ccy,payee\r\n"
        "2024-03-11, R1 ,-10.00, EUR ,\u00a0Hélène Faÿ\u00a0\r\n"
        " 2024-03-12 ,,25.50,EUR,  \r\n"
        "2024-03-12,R3,-1000,XOF,Ousmane\r\n\r\n\r\n"
    ).encode()
    mapping = msgspec.structs.replace(BASIC, account_currency="EUR")
    columns = read_columns(data, mapping)
    assert columns is not None
    lines = columns.every_line()
    assert lines == list(parse_csv(data, mapping).lines)
    assert [(line.reference, line.amount, line.counterparty) for line in lines] == [
        ("R1", 1000, "Hélène Faÿ"),
        (None, 2550, None),
        ("R3", 1000, "Ousmane"),
    ]


# --- the same rejections, at the same place -----------------------------------------------

BAD_FILES = {
    "an empty file": "",
    "a header only of spaces": "   \n" + GOOD,
    "a missing column": "date,amount,ccy\n2024-03-12,-5.00,EUR\n",
    "a column named twice": "date,ref,amount,ccy,payee,amount\n",
    "a short line in the middle": HEADER + "2024-03-12,R2\n" + GOOD,
    "an extra separator": HEADER + GOOD + "2024-03-12,R2,-5.00,EUR,Ba, Mamadou\n",
    "a truncated last line": HEADER + GOOD + "2024-03-12,R2,-5",
    "an unknown currency": HEADER + GOOD + "2024-03-12,R2,-5.00,EUX,Ba\n",
    "too many decimals": HEADER + GOOD + "2024-03-12,R2,-5.001,EUR,Ba\n",
    "decimals on francs": HEADER + GOOD + "2024-03-12,R2,-5.00,XOF,Ba\n",
    "a word for an amount": HEADER + GOOD + "2024-03-12,R2,ten,EUR,Ba\n",
    "an empty amount": HEADER + GOOD + "2024-03-12,R2,,EUR,Ba\n",
    "sixteen whole digits": HEADER + GOOD + "2024-03-12,R2,-1234567890123456.00,EUR,Ba\n",
    "an impossible date": HEADER + GOOD + "2024-02-30,R2,-5.00,EUR,Ba\n",
    "a date out of range": HEADER + GOOD + "1999-12-31,R2,-5.00,EUR,Ba\n",
    "faults on two lines": HEADER + GOOD + "2024-03-12,R2,-5.00,EUX,Ba\n2024-02-30,R3,1,EUR,x\n",
    "several currencies": HEADER + GOOD + "2024-03-12,R2,-500,XOF,Ba\n",
    "a quote never closed": HEADER + GOOD + '2024-03-12,R2,-5.00,EUR,"Fatou',
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_file_parse_csv_refuses_is_refused_with_the_same_words_at_the_same_place(
    content: str,
) -> None:
    with pytest.raises(StatementRejected) as read_line_by_line:
        parse_csv(content.encode(), BASIC)
    with pytest.raises(StatementRejected) as reconciled_in_bulk:
        reconcile_csv(content.encode(), BASIC, [payment(1, 1000)], window_days=3)
    expected = (read_line_by_line.value.message, read_line_by_line.value.field)
    assert (reconciled_in_bulk.value.message, reconciled_in_bulk.value.field) == expected


def test_undecodable_and_utf16_files_are_refused_as_parse_csv_refuses_them() -> None:
    for data in (
        (HEADER + GOOD + "2024-03-12,R2,-5.00,EUR,Hélène\n").encode("cp1252"),
        (HEADER + GOOD).encode("utf-16"),
    ):
        with pytest.raises(StatementRejected) as line_by_line:
            parse_csv(data, BASIC)
        with pytest.raises(StatementRejected) as bulk:
            reconcile_csv(data, BASIC, [], window_days=3)
        assert bulk.value.field == line_by_line.value.field


# --- the same findings --------------------------------------------------------------------


def every_class() -> tuple[bytes, list[Expected]]:
    """R1, R2 matched; R3 paid short; R4 returned; R5 paid, then paid again; R6 not shown;
    R7 paid without its reference; a fee nobody sent."""
    sent = [payment(n, 1000 * n) for n in range(1, 8)]
    rows = [
        "2024-03-11,R1,-10.00,EUR,Awa",
        "2024-03-11,R2,-20.00,EUR,Fatou",
        "2024-03-12,R3,-25.00,EUR,Mamadou",
        "2024-03-12,R4,40.00,EUR,Ibrahima",
        "2024-03-12,R5,-50.00,EUR,Ousmane",
        "2024-03-13,R5,-50.00,EUR,Ousmane",
        "2024-03-13,,-70.00,EUR,Aminata",
        "2024-03-13,FEE,-0.99,EUR,Bank",
    ]
    return (HEADER + "\n".join(rows) + "\n").encode(), sent


def test_values_written_with_spaces_are_the_same_currency_and_day_as_without() -> None:
    sent = [payment(1, 1000), payment(2, 2000)]
    data = (HEADER + GOOD + " 2024-03-11 ,R2,-20.00, EUR ,x\n").encode()
    found = both_ways(data, sent)
    assert [totals.currency for totals in found.totals] == ["EUR"]
    assert found.totals_in("EUR").matched == 3000


def test_a_statement_with_every_class_is_reconciled_as_match_reconciles_it() -> None:
    data, sent = every_class()
    found = both_ways(data, sent)
    assert {o: len(found.of(o)) for o in Outcome} == {
        Outcome.MATCHED: 4,
        Outcome.AMOUNT_DIFFERS: 1,
        Outcome.RETURNED_OR_REVERSED: 1,
        Outcome.DUPLICATE_PAYMENT: 1,
        Outcome.UNKNOWN_LINE: 1,
        Outcome.MISSING: 1,
    }
    totals = found.totals_in("EUR")
    assert totals.matched + totals.differences == totals.statement


def test_matched_findings_are_made_only_when_asked_for_and_then_kept() -> None:
    data, sent = every_class()
    found = reconcile_csv(data, BASIC, sent, window_days=3)
    assert isinstance(found, BulkReconciliation)
    assert found.matched_count() == 4
    assert not found.made
    assert found.matched is found.of(Outcome.MATCHED)
    assert [f.expected.reference for f in found.matched if f.expected] == ["R1", "R2", "R5", "R7"]


def test_a_return_without_reference_reaches_a_payment_paid_by_reference() -> None:
    sent = [payment(1, 1000), payment(2, 2000)]
    data = (HEADER + GOOD + "2024-03-11,R2,-20.00,EUR,x\n2024-03-12,,10.00,EUR,Awa\n").encode()
    found = both_ways(data, sent)
    returned = found.of(Outcome.RETURNED_OR_REVERSED)
    assert [f.expected.reference for f in returned if f.expected] == ["R1"]


def test_payments_in_another_currency_than_their_line_differ_in_amount() -> None:
    sent = [payment(1, 1000, currency="XOF")]
    mapping = msgspec.structs.replace(BASIC, account_currency="EUR")
    found = both_ways((HEADER + GOOD).encode(), sent, mapping)
    assert len(found.of(Outcome.AMOUNT_DIFFERS)) == 1


def test_payments_the_matching_rules_refuse_are_refused_with_the_same_words() -> None:
    data = (HEADER + GOOD).encode()
    for sent in (
        [payment(1, 1000), payment(1, 2000)],
        [msgspec.structs.replace(payment(1, 1000), reference=" ")],
        [payment(1, 0)],
    ):
        with pytest.raises(ValidationFailed) as pure:
            match(parse_csv(data, BASIC).lines, sent)
        with pytest.raises(ValidationFailed) as bulk:
            reconcile_csv(data, BASIC, sent, window_days=3)
        assert (bulk.value.message, bulk.value.field) == (pure.value.message, pure.value.field)
    with pytest.raises(ValidationFailed, match="negative"):
        reconcile_csv(data, BASIC, [], window_days=-1)


def test_a_reference_ending_in_a_nul_character_is_matched_line_by_line() -> None:
    sent = [msgspec.structs.replace(payment(1, 1000), reference="R1\0")]
    found = both_ways((HEADER + GOOD).encode(), sent)
    assert not isinstance(found, BulkReconciliation)
