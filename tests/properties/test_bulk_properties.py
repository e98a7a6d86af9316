"""Bulk matching finds, for every statement and every set of payments sent, what `match` finds."""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from reintegrate.adapters.bulk.csv_reading import read_columns
from reintegrate.adapters.bulk.engine import reconcile_csv
from reintegrate.adapters.statements.csv_format import CsvMapping, parse_csv
from reintegrate.money import minor_digits
from reintegrate.reconcile.matching.match import match
from reintegrate.reconcile.matching.outcomes import Expected, Outcome, Reconciliation
from reintegrate.reconcile.statements.lines import Direction, StatementLine
from tests.properties.test_matching_properties import WINDOW, crowded, scenarios

WITH_DIRECTION = CsvMapping(
    date="date",
    reference="ref",
    amount="amount",
    currency="ccy",
    direction="dc",
    status="st",
    counterparty="payee",
    account_currency="EUR",
)
SIGNED = msgspec.structs.replace(WITH_DIRECTION, direction=None)
Scenario = tuple[list[StatementLine], list[Expected]]


def decimal(amount: int, code: str) -> str:
    digits = minor_digits(code)
    if not digits:
        return str(amount)
    return f"{amount // 10**digits}.{amount % 10**digits:0{digits}d}"


def as_csv(lines: list[StatementLine], mapping: CsvMapping, space: str = "") -> bytes:
    """The lines as a provider would write them with this mapping, every value but the
    amount between `space`s."""
    rows = ["date,ref,amount,ccy,dc,st,payee"]
    for line in lines:
        amount = decimal(line.amount, line.currency)
        if mapping.direction is None and line.direction is Direction.DEBIT:
            amount = f"-{amount}"
        side = "D" if line.direction is Direction.DEBIT else "C"
        values = [
            line.booked_on.isoformat(),
            line.reference or "",
            line.currency,
            side,
            line.status.value,
            line.counterparty or "",
        ]
        date, reference, code, side, status, party = (f"{space}{v}{space}" for v in values)
        rows.append(f"{date},{reference},{amount},{code},{side},{status},{party}")
    return ("\n".join(rows) + "\n").encode()


def assert_same(bulk: Reconciliation, pure: Reconciliation) -> None:
    for outcome in Outcome:
        assert bulk.of(outcome) == pure.of(outcome), outcome
    assert bulk.totals == pure.totals
    assert list(bulk.findings()) == list(pure.findings())


def reconciled_both_ways(
    scenario: Scenario, signed: bool, space: str = ""
) -> tuple[Reconciliation, Reconciliation]:
    lines, sent = scenario
    mapping = SIGNED if signed else WITH_DIRECTION
    data = as_csv(lines, mapping, space)
    assert read_columns(data, mapping) is not None, "the file takes the columnar path"
    pure = match(parse_csv(data, mapping).lines, sent, window_days=WINDOW)
    return reconcile_csv(data, mapping, sent, window_days=WINDOW), pure


@given(scenarios(), st.booleans(), st.sampled_from(["", " ", "\u00a0"]))
def test_bulk_matching_classifies_every_line_and_payment_as_match_does(
    scenario: Scenario, signed: bool, space: str
) -> None:
    assert_same(*reconciled_both_ways(scenario, signed, space))


@given(crowded(), st.booleans())
def test_bulk_matching_agrees_when_lines_without_reference_compete_for_payments(
    scenario: Scenario, signed: bool
) -> None:
    assert_same(*reconciled_both_ways(scenario, signed))


@given(scenarios())
def test_the_columns_hold_the_lines_parse_csv_reads(scenario: Scenario) -> None:
    lines, _ = scenario
    data = as_csv(lines, WITH_DIRECTION)
    columns = read_columns(data, WITH_DIRECTION)
    assert columns is not None
    assert columns.every_line() == list(parse_csv(data, WITH_DIRECTION).lines)
