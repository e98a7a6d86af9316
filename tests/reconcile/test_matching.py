"""Matching a provider's statement against the payments the programme sent, class by class."""

from __future__ import annotations

import datetime as dt

import pytest

from reintegrate.errors import ValidationFailed
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

SENT = dt.date(2024, 3, 11)


def payment(n: int, amount: int = 15_000, currency: str = "EUR", sent: dt.date = SENT) -> Expected:
    return Expected(
        disbursement_id=f"dsb-{n}",
        reference=f"RIP-{n}",
        amount=amount,
        currency=currency,
        sent_on=sent,
        status=DisbursementStatus.PAID,
    )


def line(
    n: int,
    reference: str | None,
    amount: int = 15_000,
    *,
    currency: str = "EUR",
    direction: Direction = Direction.DEBIT,
    status: LineStatus = LineStatus.BOOKED,
    booked: dt.date = SENT,
) -> StatementLine:
    return StatementLine(
        position=f"line {n}",
        booked_on=booked,
        reference=reference,
        amount=amount,
        currency=currency,
        direction=direction,
        status=status,
    )


def only(rec: Reconciliation, outcome: Outcome) -> Finding:
    found = rec.of(outcome)
    assert len(found) == 1, found
    return found[0]


def classes(rec: Reconciliation) -> dict[str, int]:
    return {outcome.value: len(rec.of(outcome)) for outcome in Outcome if rec.of(outcome)}


def test_a_line_with_the_payments_reference_and_amount_matches_it() -> None:
    rec = match([line(2, "RIP-1")], [payment(1)])
    found = only(rec, Outcome.MATCHED)
    assert (found.expected, found.line, found.matched_by) == (
        payment(1),
        line(2, "RIP-1"),
        MatchedBy.REFERENCE,
    )
    assert classes(rec) == {"matched": 1}


def test_a_line_for_less_than_the_payment_is_an_amount_difference() -> None:
    rec = match([line(2, "RIP-1", 14_000)], [payment(1)])
    found = only(rec, Outcome.AMOUNT_DIFFERS)
    assert found.difference == -1_000
    assert rec.totals_in("EUR").difference == -1_000
    assert classes(rec) == {"amount_differs": 1}


def test_a_line_in_another_currency_differs_without_a_computable_difference() -> None:
    rec = match([line(2, "RIP-1", currency="USD")], [payment(1)])
    assert only(rec, Outcome.AMOUNT_DIFFERS).difference is None
    assert rec.totals_in("USD").amount_differs == 15_000


def test_a_credit_with_the_payments_reference_returns_it() -> None:
    back = line(2, "RIP-1", direction=Direction.CREDIT)
    found = only(match([back], [payment(1)]), Outcome.RETURNED_OR_REVERSED)
    assert (found.expected, found.line, found.returns) == (payment(1), None, (back,))


def test_a_debit_the_provider_marks_failed_returns_the_payment() -> None:
    failed = line(2, "RIP-1", status=LineStatus.FAILED)
    found = only(match([failed], [payment(1)]), Outcome.RETURNED_OR_REVERSED)
    assert found.returns == (failed,)


def test_a_payment_paid_then_reversed_is_returned_with_both_lines() -> None:
    paid, back = line(2, "RIP-1"), line(3, "RIP-1", direction=Direction.CREDIT)
    rec = match([paid, back], [payment(1)])
    found = only(rec, Outcome.RETURNED_OR_REVERSED)
    assert (found.line, found.returns, found.lines) == (paid, (back,), (paid, back))
    assert rec.totals_in("EUR").returned_or_reversed == 0
    assert classes(rec) == {"returned_or_reversed": 1}


def test_a_second_debit_for_one_reference_is_a_duplicate_payment() -> None:
    first, second = line(2, "RIP-1"), line(3, "RIP-1")
    rec = match([first, second], [payment(1)])
    assert only(rec, Outcome.MATCHED).line == first
    duplicate = only(rec, Outcome.DUPLICATE_PAYMENT)
    assert (duplicate.line, duplicate.duplicate_of, duplicate.expected) == (
        second,
        payment(1),
        None,
    )
    assert rec.totals_in("EUR").duplicate_payment == 15_000


def test_of_two_debits_the_full_amount_pays_and_the_other_is_the_duplicate() -> None:
    short, full = line(2, "RIP-1", 9_000), line(3, "RIP-1", booked=SENT + dt.timedelta(days=2))
    rec = match([short, full], [payment(1)])
    assert only(rec, Outcome.MATCHED).line == full
    assert only(rec, Outcome.DUPLICATE_PAYMENT).line == short


def test_of_two_debits_for_other_amounts_the_earlier_booking_pays() -> None:
    late, early = (
        line(2, "RIP-1", 9_000, booked=SENT + dt.timedelta(days=1)),
        line(3, "RIP-1", 20_000),
    )
    rec = match([late, early], [payment(1)])
    assert only(rec, Outcome.AMOUNT_DIFFERS).line == early
    assert only(rec, Outcome.DUPLICATE_PAYMENT).line == late


def test_a_line_with_a_reference_never_issued_and_no_payment_of_its_amount_is_unknown() -> None:
    rec = match([line(2, "SALARY-MARCH", 99_900)], [payment(1)])
    assert only(rec, Outcome.UNKNOWN_LINE).line == line(2, "SALARY-MARCH", 99_900)
    assert only(rec, Outcome.MISSING).expected == payment(1)
    assert rec.totals_in("EUR").missing == 15_000


def test_a_line_without_reference_pays_the_payment_of_its_amount_sent_within_the_window() -> None:
    late = line(2, None, booked=SENT + dt.timedelta(days=7))
    found = only(match([late], [payment(1)]), Outcome.MATCHED)
    assert (found.expected, found.matched_by) == (payment(1), MatchedBy.AMOUNT_AND_DATE)


def test_a_line_without_reference_outside_the_window_is_unknown_and_the_payment_missing() -> None:
    rec = match([line(2, "", booked=SENT + dt.timedelta(days=8))], [payment(1)], window_days=7)
    assert classes(rec) == {"unknown_line": 1, "missing": 1}


def test_a_payment_already_paid_by_reference_is_not_paid_again_by_amount() -> None:
    rec = match([line(2, "RIP-1"), line(3, None)], [payment(1)])
    assert classes(rec) == {"matched": 1, "unknown_line": 1}
    assert only(rec, Outcome.UNKNOWN_LINE).line == line(3, None)


def test_of_two_payments_of_one_amount_the_nearest_sent_date_wins() -> None:
    early = payment(1, sent=SENT - dt.timedelta(days=3))
    near = payment(2, sent=SENT)
    rec = match([line(5, None, booked=SENT + dt.timedelta(days=1))], [early, near])
    assert only(rec, Outcome.MATCHED).expected == near
    assert only(rec, Outcome.MISSING).expected == early


def test_equal_gaps_go_to_the_earlier_sent_payment_then_the_smaller_id() -> None:
    before, after = (
        payment(7, sent=SENT - dt.timedelta(days=1)),
        payment(3, sent=SENT + dt.timedelta(days=1)),
    )
    rec = match([line(2, None)], [after, before])
    assert only(rec, Outcome.MATCHED).expected == before
    twin_b, twin_a = payment(9), payment(8)
    rec = match([line(2, None)], [twin_b, twin_a])
    assert only(rec, Outcome.MATCHED).expected == twin_a


def test_a_return_without_reference_returns_the_payment_shown_paid_first() -> None:
    unpaid, paid = payment(1), payment(2)
    back = line(4, None, direction=Direction.CREDIT, booked=SENT + dt.timedelta(days=2))
    rec = match([line(3, "RIP-2"), back], [unpaid, paid])
    found = only(rec, Outcome.RETURNED_OR_REVERSED)
    assert (found.expected, found.line, found.returns) == (paid, line(3, "RIP-2"), (back,))
    assert only(rec, Outcome.MISSING).expected == unpaid


def test_a_payment_absent_from_the_statement_is_missing() -> None:
    rec = match([], [payment(1)])
    assert only(rec, Outcome.MISSING) == Finding(outcome=Outcome.MISSING, expected=payment(1))
    assert rec.totals == (rec.totals_in("EUR"),)
    assert rec.totals_in("EUR").statement == 0


def test_matched_and_differences_add_up_to_the_statement_total_per_currency() -> None:
    lines = [
        line(2, "RIP-1"),
        line(3, "RIP-2", 12_000),
        line(4, "RIP-3", direction=Direction.CREDIT),
        line(5, "RIP-1"),
        line(6, "FEE", 250),
        line(7, "RIP-4", 5_000, currency="XOF"),
    ]
    rec = match(lines, [payment(1), payment(2), payment(3), payment(4, 5_000, "XOF")])
    eur = rec.totals_in("EUR")
    assert (eur.statement, eur.matched, eur.differences) == (27_250, 15_000, 12_250)
    assert (eur.amount_differs, eur.returned_or_reversed, eur.duplicate_payment) == (
        12_000,
        -15_000,
        15_000,
    )
    assert (eur.unknown_line, eur.difference) == (250, -3_000)
    xof = rec.totals_in("XOF")
    assert (xof.statement, xof.matched) == (5_000, 5_000)


def test_two_payments_with_one_reference_are_refused() -> None:
    twin = Expected(
        disbursement_id="dsb-2",
        reference="RIP-1",
        amount=1,
        currency="EUR",
        sent_on=SENT,
        status=DisbursementStatus.PAID,
    )
    with pytest.raises(ValidationFailed, match="two payments have the reference 'RIP-1'"):
        match([], [payment(1), twin])


def test_a_blank_reference_or_a_negative_window_is_refused() -> None:
    blank = Expected(
        disbursement_id="dsb-2",
        reference="  ",
        amount=1,
        currency="EUR",
        sent_on=SENT,
        status=DisbursementStatus.PAID,
    )
    with pytest.raises(ValidationFailed, match="blank reference"):
        match([], [blank])
    with pytest.raises(ValidationFailed, match="window"):
        match([], [], window_days=-1)
