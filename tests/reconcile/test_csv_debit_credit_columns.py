"""CSV statements that write each amount, unsigned, in one of two columns, a debit and a credit
column (an Adyen settlement report): each line is read by the column its amount is in."""

from __future__ import annotations

import csv
import datetime as dt
import io

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.csv_format import CsvMapping, parse_csv
from reintegrate.reconcile.statements.lines import Direction, Statement

DEBIT, CREDIT = Direction.DEBIT, Direction.CREDIT
PAIR = CsvMapping(
    date="date",
    reference="ref",
    debit_amount="Net Debit",
    credit_amount="Net Credit",
    currency="ccy",
)
HEADER = "date,ref,Net Debit,Net Credit,ccy\n"
GOOD = "2024-03-11,R1,10.00,,EUR\n"


def read(data: str, mapping: CsvMapping = PAIR) -> Statement:
    return parse_csv(data.encode(), mapping)


def rejection(data: str, mapping: CsvMapping = PAIR) -> StatementRejected:
    with pytest.raises(StatementRejected) as caught:
        read(data, mapping)
    return caught.value


def test_each_line_is_a_debit_or_a_credit_by_the_column_its_amount_is_in() -> None:
    statement = read(HEADER + GOOD + "2024-03-12,R2,,454331.99,EUR\n2024-03-13,R3, 0.09 ,,EUR\n")
    assert [(x.position, x.reference, x.amount, x.direction) for x in statement.lines] == [
        ("line 2", "R1", 1000, DEBIT),
        ("line 3", "R2", 45433199, CREDIT),
        ("line 4", "R3", 9, DEBIT),
    ]
    assert (statement.credits, statement.debits, statement.remarks) == (45433199, 1009, ())


def test_a_zero_beside_an_amount_reads_as_an_empty_cell() -> None:
    statement = read(HEADER + "2024-03-11,R1,10.00,0.00,EUR\n2024-03-12,R2,0,7.50,EUR\n")
    assert [(x.amount, x.direction) for x in statement.lines] == [(1000, DEBIT), (750, CREDIT)]


def test_a_line_of_zero_in_either_column_moves_no_money_and_is_left_out() -> None:
    statement = read(HEADER + GOOD + "2024-03-12,R2,0.00,,EUR\n2024-03-13,R3,0.00,0.00,EUR\n")
    assert [x.position for x in statement.lines] == ["line 2"]
    assert tuple(map(str, statement.remarks)) == (
        "2 lines have an amount of zero: they move no money and are left out (line 3, line 4)",
    )


def test_a_line_with_both_a_debit_and_a_credit_amount_is_refused_naming_its_line() -> None:
    error = rejection(HEADER + GOOD + "2024-03-12,R2,5.00,7.50,EUR\n")
    assert error.field == "line 3, columns Net Debit and Net Credit"
    assert error.message == (
        "the line has an amount in both columns ('5.00' and '7.50'); one of them must hold the"
        " amount, the other be empty or zero"
    )


def test_a_line_with_neither_a_debit_nor_a_credit_amount_is_refused_naming_its_line() -> None:
    error = rejection(HEADER + GOOD + "2024-03-12,R2, ,,EUR\n")
    assert error.field == "line 3, columns Net Debit and Net Credit"
    assert error.message.startswith("the line has no amount: both columns are empty")


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("2024-03-12,R2,-5.00,,EUR\n", "line 3, column Net Debit"),
        ("2024-03-12,R2,,+5.00,EUR\n", "line 3, column Net Credit"),
    ],
)
def test_a_sign_in_a_debit_or_a_credit_column_is_refused(row: str, field: str) -> None:
    error = rejection(HEADER + GOOD + row)
    assert error.field == field
    assert "has a sign, but the column it is written in gives the direction" in error.message


def test_an_unreadable_amount_names_its_line_and_its_column() -> None:
    error = rejection(HEADER + GOOD + "2024-03-12,R2,,7.50,EUR\n2024-03-13,R3,,ten,EUR\n")
    assert error.field == "line 4, column Net Credit"
    assert "'ten' is not an amount" in error.message
    error = rejection(HEADER + "2024-03-12,R2,,7.501,EUR\n")
    assert (error.field, error.message) == (
        "line 2, column Net Credit",
        "'7.501' has 3 decimals; EUR has 2",
    )


def test_a_missing_debit_or_credit_column_is_named() -> None:
    error = rejection("date,ref,Net Debit,ccy\n2024-03-12,R2,5.00,EUR\n")
    assert error.field == "line 1, column Net Credit"


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, "name an amount column, or both a debit_amount and a credit_amount column"),
        ({"debit_amount": "D"}, "name an amount column, or both"),
        ({"credit_amount": "C"}, "name an amount column, or both"),
        ({"amount": "A", "debit_amount": "D"}, "not both"),
        ({"amount": "A", "debit_amount": "D", "credit_amount": "C"}, "not both"),
        ({"debit_amount": "N", "credit_amount": "N"}, "must name two different columns"),
        (
            {"debit_amount": "D", "credit_amount": "C", "direction": "dc"},
            "a direction column cannot go with debit_amount and credit_amount",
        ),
    ],
)
def test_a_mapping_names_one_amount_column_or_a_debit_and_a_credit_column(
    fields: dict[str, str], problem: str
) -> None:
    with pytest.raises(msgspec.ValidationError, match=problem):
        msgspec.convert({"date": "d", "fixed_currency": "EUR", **fields}, type=CsvMapping)


def test_a_mapping_with_a_debit_and_a_credit_column_decodes_from_toml() -> None:
    toml = b'date = "Creation Date"\ndebit_amount = "Net Debit (NC)"\n' + (
        b'credit_amount = "Net Credit (NC)"\ncurrency = "Net Currency"\n'
    )
    mapping = msgspec.toml.decode(toml, type=CsvMapping)
    assert mapping.columns() == {
        "date": "Creation Date",
        "debit_amount": "Net Debit (NC)",
        "credit_amount": "Net Credit (NC)",
        "currency": "Net Currency",
    }


# --- the same lines as the file written with signed amounts ------------------------------

row = st.tuples(
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from(list(Direction)),
    st.sampled_from(["EUR", "XOF"]),
    st.sampled_from(["", "0", "0.00", " "]),
)
"""An amount in minor units, its direction, its currency, and what the other column holds."""


def written(minor: int, code: str) -> str:
    return f"{minor // 100}.{minor % 100:02d}" if code == "EUR" else str(minor)


def files(rows: list[tuple[int, Direction, str, str]], quoted: bool) -> tuple[str, str]:
    """The file with signed amounts, and the file with a debit and a credit column."""
    signed, paired = io.StringIO(), io.StringIO()
    if quoted:
        one, two = (
            csv.writer(signed, quoting=csv.QUOTE_ALL),
            csv.writer(paired, quoting=csv.QUOTE_ALL),
        )
    else:
        one, two = csv.writer(signed), csv.writer(paired)
    one.writerow(["date", "ref", "amount", "ccy"])
    two.writerow(["date", "ref", "Net Debit", "Net Credit", "ccy"])
    for n, (minor, way, code, beside) in enumerate(rows):
        amount = written(minor, code)
        other = "0" if beside == "0.00" and code == "XOF" else beside
        one.writerow(["2024-03-11", f"R{n}", f"-{amount}" if way is DEBIT else amount, code])
        cells = [amount, other] if way is DEBIT else [other, amount]
        two.writerow(["2024-03-11", f"R{n}", *cells, code])
    return signed.getvalue(), paired.getvalue()


SIGNED = CsvMapping(
    date="date", reference="ref", amount="amount", currency="ccy", account_currency="EUR"
)
PAIRED = {"debit_amount": "Net Debit", "credit_amount": "Net Credit"}


@settings(deadline=None)  # its first example warms the readers up: slow on a loaded machine
@given(rows=st.lists(row, max_size=12), quoted=st.booleans())
def test_a_file_with_a_debit_and_a_credit_column_reads_as_the_same_file_with_signed_amounts(
    rows: list[tuple[int, Direction, str, str]], quoted: bool
) -> None:
    signed, paired = files(rows, quoted)
    by_sign = read(signed, SIGNED)
    by_column = read(paired, msgspec.structs.replace(SIGNED, amount=None, **PAIRED))
    assert by_column.lines == by_sign.lines
    assert by_column.remarks == by_sign.remarks
    assert all(line.booked_on == dt.date(2024, 3, 11) for line in by_column.lines)
