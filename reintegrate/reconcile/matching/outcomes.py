"""What matching concludes: one finding per payment or stray line, and totals per currency.

Every statement line and every expected payment is classified by exactly one finding:

- `matched`: a payment and the one debit line that paid it, for the same amount;
- `amount_differs`: a payment and the debit line that paid it, for another amount (or in
  another currency): a partial or excess payment;
- `returned_or_reversed`: a payment that the statement shows coming back (a credit, or a line
  whose status is returned, reversed or failed), with the line that paid it when there is one;
- `duplicate_payment`: a further debit line for a payment already paid by another line;
- `unknown_line`: a line that matches no payment the programme sent;
- `missing`: a payment that the statement does not show at all.

Totals are counted per currency as money out: a debit line counts its amount, a credit line
minus its amount. `matched + differences == statement` for every currency.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import compress, repeat
from operator import attrgetter, is_

import msgspec

from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.reconcile.statements.lines import Direction, StatementLine


class Outcome(enum.StrEnum):
    MATCHED = "matched"
    AMOUNT_DIFFERS = "amount_differs"
    RETURNED_OR_REVERSED = "returned_or_reversed"
    DUPLICATE_PAYMENT = "duplicate_payment"
    UNKNOWN_LINE = "unknown_line"
    MISSING = "missing"


class MatchedBy(enum.StrEnum):
    REFERENCE = "reference"
    AMOUNT_AND_DATE = "amount_and_date"


class Expected(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A payment the programme sent and expects to see on the provider's statement."""

    disbursement_id: str
    reference: str
    """The payment reference sent with the payment; one reference names one payment."""
    amount: int
    """Minor units, positive."""
    currency: str
    sent_on: dt.date
    status: DisbursementStatus
    """What the programme's books say; carried into the findings, not used to classify."""


class Finding(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One conclusion: the payment (if any) and the statement lines it classifies."""

    outcome: Outcome
    expected: Expected | None = None
    line: StatementLine | None = None
    """The line that paid the payment, or the duplicate, or the unknown line."""
    returns: tuple[StatementLine, ...] = ()
    """The lines that brought the payment back (returned_or_reversed only)."""
    duplicate_of: Expected | None = None
    """The payment paid again by `line` (duplicate_payment only)."""
    matched_by: MatchedBy | None = None

    @property
    def lines(self) -> tuple[StatementLine, ...]:
        return self.returns if self.line is None else (self.line, *self.returns)

    @property
    def difference(self) -> int | None:
        """Line minus expected amount, in minor units, when both are in one currency."""
        if self.line is None or self.expected is None:
            return None
        if self.line.currency != self.expected.currency:
            return None
        return self.line.amount - self.expected.amount


class CurrencyTotals(msgspec.Struct, frozen=True, kw_only=True):
    """Money out per class in one currency, in minor units (credits count negative)."""

    currency: str
    statement: int
    matched: int = 0
    amount_differs: int = 0
    returned_or_reversed: int = 0
    duplicate_payment: int = 0
    unknown_line: int = 0
    missing: int = 0
    """What the programme sent and the statement does not show (not part of `statement`)."""
    difference: int = 0
    """Paid minus expected over the `amount_differs` findings in this currency."""

    @property
    def differences(self) -> int:
        """Everything on the statement that is not a clean match."""
        return (
            self.amount_differs
            + self.returned_or_reversed
            + self.duplicate_payment
            + self.unknown_line
        )


class Reconciliation(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    window_days: int
    matched: tuple[Finding, ...]
    amount_differs: tuple[Finding, ...]
    returned_or_reversed: tuple[Finding, ...]
    duplicate_payment: tuple[Finding, ...]
    unknown_line: tuple[Finding, ...]
    missing: tuple[Finding, ...]
    totals: tuple[CurrencyTotals, ...]
    """One entry per currency seen on the statement or among the payments, by code."""

    def of(self, outcome: Outcome) -> tuple[Finding, ...]:
        found: tuple[Finding, ...] = getattr(self, outcome.value)
        return found

    def findings(self) -> Iterator[Finding]:
        for outcome in Outcome:
            yield from self.of(outcome)

    def totals_in(self, currency: str) -> CurrencyTotals:
        for totals in self.totals:
            if totals.currency == currency:
                return totals
        return CurrencyTotals(currency=currency, statement=0)


_LINE = attrgetter("line")
_CURRENCY = attrgetter("currency")
_AMOUNT = attrgetter("amount")
_DIRECTION = attrgetter("direction")


def money_out(line: StatementLine) -> int:
    """A line's amount as money leaving the account: negative for a credit."""
    return line.amount if line.direction is Direction.DEBIT else -line.amount


def _money_out(lines: Sequence[StatementLine]) -> int:
    """The sum of `money_out` over `lines`: all amounts, less twice the credits."""
    credits = compress(lines, map(is_, map(_DIRECTION, lines), repeat(Direction.CREDIT)))
    everything: int = sum(map(_AMOUNT, lines))
    credited: int = sum(map(_AMOUNT, credits))
    return everything - 2 * credited


def reconciliation(
    grouped: dict[Outcome, list[Finding]], lines: Sequence[StatementLine], window_days: int
) -> Reconciliation:
    """The findings, by outcome, with their totals per currency."""
    return Reconciliation(
        window_days=window_days,
        matched=tuple(grouped[Outcome.MATCHED]),
        amount_differs=tuple(grouped[Outcome.AMOUNT_DIFFERS]),
        returned_or_reversed=tuple(grouped[Outcome.RETURNED_OR_REVERSED]),
        duplicate_payment=tuple(grouped[Outcome.DUPLICATE_PAYMENT]),
        unknown_line=tuple(grouped[Outcome.UNKNOWN_LINE]),
        missing=tuple(grouped[Outcome.MISSING]),
        totals=_totals(grouped, lines),
    )


def _totals(
    grouped: dict[Outcome, list[Finding]], lines: Sequence[StatementLine]
) -> tuple[CurrencyTotals, ...]:
    column: dict[Outcome, Counter[str]] = {
        outcome: _money_out_by_currency([line for f in grouped[outcome] for line in f.lines])
        for outcome in Outcome
        if outcome not in (Outcome.MATCHED, Outcome.MISSING)
    }
    column[Outcome.MATCHED] = _money_out_by_currency(list(map(_LINE, grouped[Outcome.MATCHED])))
    statement = _money_out_by_currency(lines)
    missing: Counter[str] = Counter()
    for finding in grouped[Outcome.MISSING]:
        if finding.expected is not None:
            missing[finding.expected.currency] += finding.expected.amount
    difference: Counter[str] = Counter()
    for finding in grouped[Outcome.AMOUNT_DIFFERS]:
        if finding.line is not None and finding.difference is not None:
            difference[finding.line.currency] += finding.difference
    codes = sorted(set(statement).union(missing, *column.values()))
    return tuple(
        CurrencyTotals(
            currency=code,
            statement=statement[code],
            matched=column[Outcome.MATCHED][code],
            amount_differs=column[Outcome.AMOUNT_DIFFERS][code],
            returned_or_reversed=column[Outcome.RETURNED_OR_REVERSED][code],
            duplicate_payment=column[Outcome.DUPLICATE_PAYMENT][code],
            unknown_line=column[Outcome.UNKNOWN_LINE][code],
            missing=missing[code],
            difference=difference[code],
        )
        for code in codes
    )


def _money_out_by_currency(lines: Sequence[StatementLine]) -> Counter[str]:
    codes = set(map(_CURRENCY, lines))
    if len(codes) == 1:
        return Counter({codes.pop(): _money_out(lines)})
    totals: Counter[str] = Counter()
    for line in lines:
        totals[line.currency] += money_out(line)
    return totals
