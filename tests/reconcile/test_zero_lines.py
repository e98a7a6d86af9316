"""Lines of amount zero (a card's temporary hold, an account check) move no money: a statement
leaves them out and its remarks say which, instead of refusing the file."""

from __future__ import annotations

import datetime as dt

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from reintegrate.adapters.statements.csv_format import CsvMapping, parse_csv
from reintegrate.reconcile.statements.lines import (
    Direction,
    Statement,
    StatementLine,
    without_zero_lines,
)
from reintegrate.texts import Text

MAPPING = CsvMapping(date="date", reference="ref", amount="amount", currency="ccy")
HEADER = "date,ref,amount,ccy\n"


def line(number: int, amount: int, direction: Direction = Direction.DEBIT) -> StatementLine:
    return StatementLine(
        position=f"line {number}",
        booked_on=dt.date(2024, 3, 11),
        reference=f"R{number}",
        amount=amount,
        currency="EUR",
        direction=direction,
    )


def statement(lines: list[StatementLine], **balances: int | None) -> Statement:
    return Statement(
        format="mt940",
        version=None,
        account="A",
        currency="EUR",
        opening_balance=balances.get("opening"),
        closing_balance=balances.get("closing"),
        lines=tuple(lines),
        remarks=(Text("read as {encoding}, as asked", encoding="cp1252"),),
    )


def test_a_csv_line_of_zero_is_left_out_and_the_remarks_name_it() -> None:
    data = HEADER + "2024-03-11,R1,-10.00,EUR\n2024-03-12,HOLD,0.00,EUR\n2024-03-13,R3,5.00,EUR\n"
    read = parse_csv(data.encode(), MAPPING)
    assert [(x.position, x.amount) for x in read.lines] == [("line 2", 1000), ("line 4", 500)]
    assert tuple(map(str, read.remarks)) == (
        "1 line has an amount of zero: it moves no money and is left out (line 3)",
    )


def test_a_file_without_a_line_of_zero_has_no_remark() -> None:
    read = parse_csv((HEADER + "2024-03-11,R1,-10.00,EUR\n").encode(), MAPPING)
    assert tuple(map(str, read.remarks)) == ()


def test_a_file_of_zero_lines_only_is_an_empty_statement_in_its_currency() -> None:
    read = parse_csv((HEADER + "2024-03-11,R1,0.00,EUR\n2024-03-12,R2,-0,EUR\n").encode(), MAPPING)
    assert (read.lines, read.currency) == ((), "EUR")
    assert tuple(map(str, read.remarks)) == (
        "2 lines have an amount of zero: they move no money and are left out (line 2, line 3)",
    )


def test_many_lines_of_zero_are_named_up_to_ten_and_the_rest_counted() -> None:
    zeros = [line(n, 0) for n in range(2, 27)]
    found = without_zero_lines(statement([line(1, 700), *zeros]))
    named = ", ".join(f"line {n}" for n in range(2, 12))
    assert tuple(map(str, found.remarks)) == (
        "read as cp1252, as asked",
        f"25 lines have an amount of zero: they move no money and are left out ({named}"
        " and 15 more)",
    )
    assert [x.position for x in found.lines] == ["line 1"]


def test_a_statement_without_a_line_of_zero_is_kept_as_it_is() -> None:
    kept = statement([line(1, 700)], opening=0, closing=-700)
    assert without_zero_lines(kept) is kept


amounts = st.lists(
    st.tuples(st.integers(min_value=0, max_value=10**6), st.sampled_from(list(Direction))),
    max_size=20,
)


@given(amounts=amounts, opening=st.integers(-(10**7), 10**7), closing=st.integers(-(10**7), 10**7))
def test_leaving_out_the_lines_of_zero_changes_no_sum_and_no_discrepancy(
    amounts: list[tuple[int, Direction]], opening: int, closing: int
) -> None:
    whole = statement(
        [line(n, amount, way) for n, (amount, way) in enumerate(amounts, 2)],
        opening=opening,
        closing=closing,
    )
    kept = without_zero_lines(whole)
    assert (kept.credits, kept.debits, kept.discrepancy) == (
        whole.credits,
        whole.debits,
        whole.discrepancy,
    )
    assert kept.lines == tuple(x for x in whole.lines if x.amount)
    assert all(x.amount > 0 for x in kept.lines)
    assert msgspec.structs.replace(kept, lines=(), remarks=()) == msgspec.structs.replace(
        whole, lines=(), remarks=()
    )
