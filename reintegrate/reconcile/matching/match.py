"""Matching a provider's statement lines against the payments the programme sent (pure).

The rules, in the order they apply:

1. **By reference.** A line whose reference is one the programme issued belongs to that
   payment. If it brings money back (a credit, or a status of returned, reversed or failed)
   it returns the payment; otherwise it is a debit that pays it. When several debits carry
   one payment's reference, one pays it (see `paying_preference`) and every other one is a
   duplicate payment.
2. **By amount, currency and date**, for the lines left without a usable reference (none,
   blank, or not one the programme issued), in `line_order`. A debit pays the payment of
   the same amount and currency, sent within `window_days` of the line's booking date, that
   no line touched yet. A line bringing money back returns the payment of the same amount
   and currency, sent within the window, that nothing returned yet. Among several such
   payments: one the statement shows paid (returns only), then the nearest sent date, then
   the earlier sent date, then the smaller disbursement id. Debits are placed before returns.
3. **Conclusions.** A payment that came back is returned_or_reversed (with the line that
   paid it, if any); otherwise a payment with a paying line is matched when the amount and
   currency agree and amount_differs when not; a payment with no line is missing. A line
   placed nowhere is an unknown line.

These tie-breaks make the result independent of the order of the lines and of the payments,
except for which of two lines identical in all but their position is chosen.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import count
from operator import attrgetter
from typing import Any

from reintegrate.errors import ValidationFailed
from reintegrate.reconcile.matching.by_amount import AmountIndex
from reintegrate.reconcile.matching.outcomes import (
    Expected,
    Finding,
    MatchedBy,
    Outcome,
    Reconciliation,
    reconciliation,
)
from reintegrate.reconcile.statements.lines import Direction, LineStatus, StatementLine
from reintegrate.texts import Text

__all__ = [
    "COMING_BACK",
    "DEFAULT_WINDOW_DAYS",
    "Expected",
    "Finding",
    "MatchedBy",
    "Outcome",
    "Reconciliation",
    "brings_money_back",
    "line_order",
    "match",
    "paying_preference",
    "pays_in_full",
    "positions_by_reference",
]

DEFAULT_WINDOW_DAYS = 7
_REFERENCE = attrgetter("reference")
_AMOUNT = attrgetter("amount")
_MATCHED, _DIFFERS = Outcome.MATCHED, Outcome.AMOUNT_DIFFERS
COMING_BACK = frozenset({LineStatus.RETURNED, LineStatus.REVERSED, LineStatus.FAILED})


def brings_money_back(line: StatementLine) -> bool:
    """A credit, or a line the provider marks returned, reversed or failed."""
    return line.direction is Direction.CREDIT or line.status in COMING_BACK


def pays_in_full(line: StatementLine, payment: Expected) -> bool:
    """The line is for the payment's amount, in the payment's currency."""
    return line.amount == payment.amount and line.currency == payment.currency


def paying_preference(payment: Expected) -> Callable[[StatementLine], tuple[Any, ...]]:
    """Of several debits for one payment, the one that pays it sorts first: the full amount
    in the right currency, then the earliest booking, then the amount nearest the payment's,
    then the smaller amount, then the counterparty."""

    def key(line: StatementLine) -> tuple[Any, ...]:
        gap = abs(line.amount - payment.amount)
        full = pays_in_full(line, payment)
        party = (line.counterparty is not None, line.counterparty or "")
        return (not full, line.booked_on, gap, line.amount, line.currency, party)

    return key


def line_order(line: StatementLine) -> tuple[Any, ...]:
    """The order in which lines without a usable reference are placed."""
    return (
        line.booked_on,
        line.currency,
        line.amount,
        line.direction,
        line.status,
        line.reference is not None,
        line.reference or "",
        line.counterparty is not None,
        line.counterparty or "",
    )


def match(
    lines: Sequence[StatementLine],
    expected: Iterable[Expected],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> Reconciliation:
    """Classify every line and every expected payment into exactly one finding."""
    if window_days < 0:
        raise ValidationFailed(Text("the date window cannot be negative"), field="window_days")
    payments = list(expected)
    position = positions_by_reference(payments)
    evidence = _Evidence(len(payments))
    unreferenced = _place_by_reference(lines, position, evidence)
    stray = _place_by_amount_and_date(lines, unreferenced, payments, evidence, window_days)
    grouped = _payment_findings(payments, lines, evidence)
    grouped[Outcome.UNKNOWN_LINE] = [
        Finding(outcome=Outcome.UNKNOWN_LINE, line=lines[index]) for index in stray
    ]
    return reconciliation(grouped, lines, window_days)


def positions_by_reference(payments: Sequence[Expected]) -> dict[str | None, int]:
    """Each payment's position, by reference; one reference names one payment."""
    position: dict[str | None, int] = dict(zip(map(_REFERENCE, payments), count(), strict=False))
    if len(position) != len(payments):
        repeated = next(ref for ref, n in Counter(map(_REFERENCE, payments)).items() if n > 1)
        raise ValidationFailed(
            Text("two payments have the reference '{reference}'", reference=str(repeated)),
            field="reference",
        )
    if "" in map(str.strip, map(str, position)):
        raise ValidationFailed(Text("a payment has a blank reference"), field="reference")
    if payments and min(map(_AMOUNT, payments)) <= 0:
        raise ValidationFailed(Text("a payment's amount must be positive"), field="amount")
    return position


class _Evidence:
    """What the statement shows of each payment (by its position among the payments), as
    indexes into the lines."""

    __slots__ = ("again", "by_amount", "paid", "returned")

    def __init__(self, size: int) -> None:
        self.paid: list[int] = [-1] * size
        """The line that pays it, -1 for none."""
        self.again: defaultdict[int, list[int]] = defaultdict(list)
        """Further debits for it."""
        self.returned: defaultdict[int, list[int]] = defaultdict(list)
        """The lines that brought it back."""
        self.by_amount: set[int] = set()
        """Payments whose paying line was placed by amount and date."""

    def touched(self, at: int) -> bool:
        return self.paid[at] >= 0 or at in self.returned

    def unusual(self) -> set[int]:
        """Payments paid more than once, brought back, or placed by amount."""
        return {*self.again, *self.returned, *self.by_amount}


def _place_by_reference(
    lines: Sequence[StatementLine], position: dict[str | None, int], evidence: _Evidence
) -> list[int]:
    """Place the lines carrying an issued reference; the others' indexes, in file order."""
    unreferenced: list[int] = []
    paid, again, returned = evidence.paid, evidence.again, evidence.returned
    for index, line in enumerate(lines):
        at = position.get(line.reference)
        if at is None:
            unreferenced.append(index)
        elif brings_money_back(line):
            returned[at].append(index)
        elif paid[at] >= 0:
            again[at].append(index)
        else:
            paid[at] = index
    return unreferenced


def _place_by_amount_and_date(
    lines: Sequence[StatementLine],
    unreferenced: list[int],
    payments: Sequence[Expected],
    evidence: _Evidence,
    window_days: int,
) -> list[int]:
    """Place what amount, currency and date allow; the indexes left, in file order."""
    if not unreferenced:
        return []
    ordered = sorted(unreferenced, key=lambda index: line_order(lines[index]))
    debits = [index for index in ordered if not brings_money_back(lines[index])]
    backs = [index for index in ordered if brings_money_back(lines[index])]
    candidates = AmountIndex(payments, {lines[index].amount for index in ordered})
    left: list[int] = []
    for index in debits + backs:
        line = lines[index]
        if brings_money_back(line):
            at = candidates.returned_by(line, window_days, evidence.returned, evidence.paid)
            if at is not None:
                evidence.returned[at].append(index)
        else:
            at = candidates.paid_by(line, window_days, evidence.touched)
            if at is not None:
                evidence.paid[at] = index
                evidence.by_amount.add(at)
        if at is None:
            left.append(index)
    return sorted(left)


def _payment_findings(
    payments: Sequence[Expected], lines: Sequence[StatementLine], evidence: _Evidence
) -> dict[Outcome, list[Finding]]:
    """The findings of every payment, with the duplicates, by outcome."""
    grouped: dict[Outcome, list[Finding]] = {outcome: [] for outcome in Outcome}
    matched, differs = grouped[Outcome.MATCHED], grouped[Outcome.AMOUNT_DIFFERS]
    unusual = evidence.unusual()
    by_ref = MatchedBy.REFERENCE
    for at, (payment, index) in enumerate(zip(payments, evidence.paid, strict=True)):
        if index < 0 or at in unusual:
            for finding in _settle(payment, at, lines, evidence):
                grouped[finding.outcome].append(finding)
            continue
        line = lines[index]
        if pays_in_full(line, payment):
            matched.append(
                Finding(outcome=_MATCHED, expected=payment, line=line, matched_by=by_ref)
            )
        else:
            differs.append(
                Finding(outcome=_DIFFERS, expected=payment, line=line, matched_by=by_ref)
            )
    return grouped


def _paid(line: StatementLine, payment: Expected) -> Outcome:
    return Outcome.MATCHED if pays_in_full(line, payment) else Outcome.AMOUNT_DIFFERS


def _settle(
    payment: Expected, at: int, lines: Sequence[StatementLine], evidence: _Evidence
) -> Iterator[Finding]:
    """The findings of a payment paid more than once, brought back, placed by amount, or
    not shown at all."""
    first = evidence.paid[at]
    indexes = sorted(([] if first < 0 else [first]) + evidence.again.get(at, []))
    debits = sorted((lines[index] for index in indexes), key=paying_preference(payment))
    by = MatchedBy.AMOUNT_AND_DATE if at in evidence.by_amount else MatchedBy.REFERENCE
    for extra in debits[1:]:
        yield Finding(
            outcome=Outcome.DUPLICATE_PAYMENT,
            line=extra,
            duplicate_of=payment,
            matched_by=MatchedBy.REFERENCE,
        )
    paying = debits[0] if debits else None
    backs = tuple(lines[index] for index in sorted(evidence.returned.get(at, ())))
    if backs:
        yield Finding(
            outcome=Outcome.RETURNED_OR_REVERSED,
            expected=payment,
            line=paying,
            returns=backs,
            matched_by=by if paying is not None else None,
        )
    elif paying is not None:
        yield Finding(outcome=_paid(paying, payment), expected=payment, line=paying, matched_by=by)
    else:
        yield Finding(outcome=Outcome.MISSING, expected=payment)
