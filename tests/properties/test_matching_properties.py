"""Properties of matching that hold for every statement and every set of payments sent."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.reconcile.matching.match import match
from reintegrate.reconcile.matching.outcomes import (
    Expected,
    Finding,
    MatchedBy,
    Outcome,
    Reconciliation,
)
from reintegrate.reconcile.statements.lines import Direction, LineStatus, StatementLine

WINDOW = 3
CODES = ("EUR", "XOF")
# A small pool of amounts and days so that lines without reference often fit several payments.
amounts = st.sampled_from([500, 1_000, 15_000])
codes = st.sampled_from(CODES)
days = st.dates(min_value=dt.date(2024, 3, 1), max_value=dt.date(2024, 3, 12))
directions = st.sampled_from(Direction)
statuses = st.sampled_from(LineStatus)


@st.composite
def payments(draw: st.DrawFn) -> list[Expected]:
    return [
        Expected(
            disbursement_id=f"dsb-{n}",
            reference=f"RIP-{n}",
            amount=draw(amounts),
            currency=draw(codes),
            sent_on=draw(days),
            status=DisbursementStatus.PAID,
        )
        for n in range(draw(st.integers(min_value=0, max_value=8)))
    ]


@st.composite
def statement_line(draw: st.DrawFn, sent: list[Expected], position: int) -> StatementLine:
    """A line that often echoes a payment (its reference, amount, currency or day)."""
    echoed: Expected | None = None
    if draw(st.booleans()) and sent:
        echoed = draw(st.sampled_from(sent))
    references: list[str | None] = [None, "", "UNKNOWN-1", *(p.reference for p in sent)]
    if echoed is None:
        booked, amount, code = draw(days), draw(amounts), draw(codes)
    else:
        booked = echoed.sent_on + dt.timedelta(days=draw(st.integers(0, 4)))
        copy = draw(st.booleans())
        amount = echoed.amount if copy else draw(amounts)
        code = echoed.currency if copy else draw(codes)
    return StatementLine(
        position=f"line {position}",
        booked_on=booked,
        reference=draw(st.sampled_from(references)),
        amount=amount,
        currency=code,
        direction=draw(st.sampled_from([Direction.DEBIT] * 3 + [Direction.CREDIT])),
        status=draw(st.sampled_from([LineStatus.BOOKED] * 3 + list(LineStatus))),
        counterparty=draw(st.sampled_from([None, "Awa Faye"])),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[StatementLine], list[Expected]]:
    sent = draw(payments())
    count = draw(st.integers(min_value=0, max_value=12))
    return [draw(statement_line(sent, 2 + i)) for i in range(count)], sent


@st.composite
def crowded(draw: st.DrawFn) -> tuple[list[StatementLine], list[Expected]]:
    """Lines without any usable reference, competing for payments of a few amounts."""
    lines, sent = draw(scenarios())
    unreferenced = [
        msgspec.structs.replace(
            line, reference=None, currency="EUR", amount=min(line.amount, 1_000)
        )
        for line in lines
    ]
    same = [msgspec.structs.replace(p, currency="EUR", amount=min(p.amount, 1_000)) for p in sent]
    return unreferenced, same


def all_findings(rec: Reconciliation) -> list[Finding]:
    return list(rec.findings())


def pays(line: StatementLine) -> bool:
    return line.direction is Direction.DEBIT and line.status is LineStatus.BOOKED


def content(line: StatementLine) -> tuple[object, ...]:
    """A line without its position: what the provider reported."""
    return (
        line.booked_on,
        line.reference,
        line.amount,
        line.currency,
        line.direction,
        line.status,
        line.counterparty,
    )


def canonical(rec: Reconciliation) -> list[tuple[object, ...]]:
    return sorted(
        (
            f.outcome.value,
            f.expected.disbursement_id if f.expected else "",
            f.duplicate_of.disbursement_id if f.duplicate_of else "",
            str(sorted(map(str, map(content, f.lines)))),
        )
        for f in rec.findings()
    )


@given(scenarios())
def test_every_line_and_every_payment_ends_in_exactly_one_finding(
    scenario: tuple[list[StatementLine], list[Expected]],
) -> None:
    lines, sent = scenario
    found = all_findings(match(lines, sent, window_days=WINDOW))
    placed = Counter(line.position for f in found for line in f.lines)
    assert placed == Counter(line.position for line in lines)
    classified = Counter(f.expected.disbursement_id for f in found if f.expected is not None)
    assert classified == Counter(p.disbursement_id for p in sent)


@given(scenarios())
def test_matched_and_differences_add_up_to_the_statement_total_per_currency(
    scenario: tuple[list[StatementLine], list[Expected]],
) -> None:
    lines, sent = scenario
    rec = match(lines, sent, window_days=WINDOW)
    net: Counter[str] = Counter()
    for line in lines:
        net[line.currency] += line.amount if line.direction is Direction.DEBIT else -line.amount
    for code in CODES:
        totals = rec.totals_in(code)
        assert totals.statement == net[code]
        assert totals.matched + totals.differences == net[code]
        missing = [f.expected for f in rec.missing if f.expected and f.expected.currency == code]
        assert totals.missing == sum(p.amount for p in missing)
    assert {t.currency for t in rec.totals} >= {line.currency for line in lines}


@given(scenarios())
def test_each_finding_meets_the_definition_of_its_class(
    scenario: tuple[list[StatementLine], list[Expected]],
) -> None:
    lines, sent = scenario
    rec = match(lines, sent, window_days=WINDOW)
    issued = {p.reference for p in sent}
    for f in rec.matched + rec.amount_differs:
        assert f.line is not None
        assert f.expected is not None
        assert pays(f.line)
        agrees = (f.line.amount, f.line.currency) == (f.expected.amount, f.expected.currency)
        assert agrees is (f.outcome is Outcome.MATCHED)
        if f.matched_by is MatchedBy.AMOUNT_AND_DATE:
            assert f.line.reference not in issued
            assert agrees
            assert abs((f.line.booked_on - f.expected.sent_on).days) <= WINDOW
        else:
            assert f.line.reference == f.expected.reference
    for f in rec.returned_or_reversed:
        assert f.expected is not None
        assert f.returns
        assert not any(pays(back) for back in f.returns)
    for f in rec.duplicate_payment:
        assert f.line is not None
        assert f.duplicate_of is not None
        assert f.expected is None
        assert pays(f.line)
        assert f.line.reference == f.duplicate_of.reference
    for f in rec.unknown_line:
        assert f.line is not None
        assert f.line.reference not in issued
    for f in rec.missing:
        assert f.lines == ()
        assert f.expected is not None
        shown = [line for line in lines if line.reference == f.expected.reference]
        assert shown == []


@given(st.one_of(scenarios(), crowded()), st.randoms(use_true_random=False))
def test_the_order_of_lines_and_payments_changes_no_conclusion(
    scenario: tuple[list[StatementLine], list[Expected]], rng: random.Random
) -> None:
    lines, sent = scenario
    shuffled_lines, shuffled_sent = list(lines), list(sent)
    rng.shuffle(shuffled_lines)
    rng.shuffle(shuffled_sent)
    first = match(lines, sent, window_days=WINDOW)
    again = match(shuffled_lines, shuffled_sent, window_days=WINDOW)
    assert canonical(again) == canonical(first)
    assert again.totals == first.totals
    assert match(lines, sent, window_days=WINDOW) == first
