"""A line without a usable reference finds the payment the matching rules prefer, the same
one as by looking at every payment of its amount, however many payments share that amount."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.reconcile.matching.by_amount import AmountIndex
from reintegrate.reconcile.matching.outcomes import Expected
from reintegrate.reconcile.statements.lines import Direction, StatementLine

DAY = dt.date(2026, 3, 10)


def payment(n: int, amount: int, day: int, currency: str = "EUR") -> Expected:
    return Expected(
        disbursement_id=f"dsb_{(n * 7919) % 1000:03d}_{n}",
        reference=f"ref-{n}",
        amount=amount,
        currency=currency,
        sent_on=DAY + dt.timedelta(days=day),
        status=DisbursementStatus.APPROVED,
    )


def line(amount: int, day: int, currency: str = "EUR", back: bool = False) -> StatementLine:
    return StatementLine(
        position="line 1",
        booked_on=DAY + dt.timedelta(days=day),
        reference=None,
        amount=amount,
        currency=currency,
        direction=Direction.CREDIT if back else Direction.DEBIT,
    )


def preferred(payments: list[Expected], of: StatementLine, window: int) -> list[int]:
    """Every candidate of the line, in the rules' order, found the slow way."""
    near = [
        (abs((p.sent_on - of.booked_on).days), p.sent_on, p.disbursement_id, at)
        for at, p in enumerate(payments)
        if (p.currency, p.amount) == (of.currency, of.amount)
        and abs((p.sent_on - of.booked_on).days) <= window
    ]
    return [at for *_, at in sorted(near)]


payments_ = st.lists(
    st.tuples(st.sampled_from([100, 250]), st.integers(-6, 6), st.sampled_from(["EUR", "XOF"])),
    max_size=40,
)
lines_ = st.lists(
    st.tuples(
        st.sampled_from([100, 250, 999]), st.integers(-9, 9), st.sampled_from(["EUR", "XOF"])
    ),
    max_size=40,
)


@settings(max_examples=300)
@given(payments_, lines_, st.integers(0, 12))
def test_each_paying_line_takes_the_nearest_payment_no_line_touched_yet(
    specs: list[tuple[int, int, str]], debits: list[tuple[int, int, str]], window: int
) -> None:
    payments = [payment(n, amount, day, code) for n, (amount, day, code) in enumerate(specs)]
    index = AmountIndex(payments, {amount for amount, _, _ in debits})
    touched: set[int] = set()
    for amount, day, code in debits:
        debit = line(amount, day, code)
        expected = next(
            (at for at in preferred(payments, debit, window) if at not in touched), None
        )
        found = index.paid_by(debit, window, touched.__contains__)
        assert found == expected
        if found is not None:
            touched.add(found)


@settings(max_examples=300)
@given(payments_, lines_, st.integers(0, 12), st.data())
def test_a_line_bringing_money_back_returns_a_paid_payment_first_then_any_not_returned(
    specs: list[tuple[int, int, str]],
    backs: list[tuple[int, int, str]],
    window: int,
    data: st.DataObject,
) -> None:
    payments = [payment(n, amount, day, code) for n, (amount, day, code) in enumerate(specs)]
    paid = [data.draw(st.sampled_from([-1, 3])) for _ in payments]
    index = AmountIndex(payments, {amount for amount, _, _ in backs})
    came_back: set[int] = set()
    for amount, day, code in backs:
        back = line(amount, day, code, back=True)
        open_ = [at for at in preferred(payments, back, window) if at not in came_back]
        expected = next((at for at in open_ if paid[at] >= 0), open_[0] if open_ else None)
        found = index.returned_by(back, window, came_back, paid)
        assert found == expected
        if found is not None:
            came_back.add(found)


def test_a_window_wider_than_the_calendar_allows_still_finds_the_payment() -> None:
    payments = [payment(1, 100, 0)]
    index = AmountIndex(payments, {100})
    far = StatementLine(
        position="line 1",
        booked_on=dt.date(9999, 12, 30),
        reference=None,
        amount=100,
        currency="EUR",
        direction=Direction.DEBIT,
    )
    assert index.paid_by(far, 10_000_000, lambda _: False) == 0
    assert index.paid_by(line(100, 2), 1, lambda _: False) is None
