"""The result of bulk matching: a `Reconciliation` whose plain matches are made when asked for.

`BulkReconciliation` is a `Reconciliation` (same fields, `of`, `findings`, `totals`,
`totals_in`). Every class but `matched` holds its `Finding` records; the matched ones stay
positions into the columns until `matched` is first read, and then become the same records,
in the same order, as `match` gives.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import msgspec
import numpy as np

from reintegrate.adapters.bulk import fields as bf
from reintegrate.adapters.bulk.csv_reading import LineColumns
from reintegrate.adapters.bulk.payments import PaymentColumns
from reintegrate.adapters.bulk.split import Pairs, Plain
from reintegrate.reconcile.matching.outcomes import (
    CurrencyTotals,
    Expected,
    Finding,
    MatchedBy,
    Outcome,
    Reconciliation,
)
from reintegrate.reconcile.statements.lines import StatementLine

_SAFE_TOTAL = 2**62


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while records are made (they form no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class Rest:
    """What `match` found for the lines and payments left to it, and where those are."""

    found: Reconciliation
    line_at: dict[int, int]
    """Each line's position, by the identity of its record."""
    payment_at: dict[int, int]

    @classmethod
    def of(
        cls,
        found: Reconciliation,
        lines: tuple[Sequence[StatementLine], bf.Ints],
        payments: tuple[Sequence[Expected], bf.Ints],
    ) -> Rest:
        return cls(found, _by_identity(*lines), _by_identity(*payments))

    def payments_of(self, findings: Sequence[Finding]) -> bf.Ints:
        at = self.payment_at
        return np.array([at[id(finding.expected)] for finding in findings], dtype=np.int64)

    def lines_of(self, findings: Sequence[Finding]) -> bf.Ints:
        at = self.line_at
        return np.array([at[id(finding.line)] for finding in findings], dtype=np.int64)


def _by_identity(records: Sequence[object], positions: bf.Ints) -> dict[int, int]:
    return dict(zip(map(id, records), positions.tolist(), strict=True))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Columns:
    """The lines and payments, to make records of and to add up."""

    lines: LineColumns
    payments: PaymentColumns

    def paired(self, outcome: Outcome, pairs: Pairs) -> list[Finding]:
        """Findings of payments each paid by one line, by reference."""
        by = MatchedBy.REFERENCE
        return [
            Finding(outcome=outcome, expected=payment, line=line, matched_by=by)
            for payment, line in zip(
                self.payments.records(pairs.payments), self.lines.lines(pairs.lines), strict=True
            )
        ]

    def returned(self, pairs: Pairs) -> list[Finding]:
        """Findings of payments each brought back by one line, and paid by none."""
        returned = Outcome.RETURNED_OR_REVERSED
        return [
            Finding(outcome=returned, expected=payment, returns=(line,))
            for payment, line in zip(
                self.payments.records(pairs.payments), self.lines.lines(pairs.lines), strict=True
            )
        ]

    def money_out(self, rows: bf.Ints) -> Counter[str]:
        """The lines' money out (credits negative) per currency."""
        lines = self.lines
        signed = np.where(lines.debit[rows], lines.amount[rows], -lines.amount[rows])
        return _per_code(signed, lines.currency[rows], lines.codes)

    def differences(self, pairs: Pairs) -> Counter[str]:
        """Line minus payment amounts per currency, over the pairs in one currency."""
        rows, at = pairs.lines, pairs.payments
        line_codes = np.array(self.lines.codes, dtype=object)[self.lines.currency[rows]]
        payment_codes = np.array(self.payments.codes, dtype=object)[self.payments.currency[at]]
        same = line_codes == payment_codes
        gaps = self.lines.amount[rows] - self.payments.amount[at]
        return _per_code(gaps[same], self.lines.currency[rows][same], self.lines.codes)

    def sent(self, at: bf.Ints) -> Counter[str]:
        payments = self.payments
        return _per_code(payments.amount[at], payments.currency[at], payments.codes)


def _per_code(amounts: bf.Ints, codes: bf.Ints, names: list[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for code in np.unique(codes).tolist():
        chosen = amounts[codes == code]
        exact = int(np.abs(chosen).max()) * len(chosen) < _SAFE_TOTAL
        found[names[code]] += int(chosen.sum()) if exact else sum(chosen.tolist())
    return found


class BulkReconciliation(Reconciliation, frozen=True, kw_only=True, gc=False):
    """A `Reconciliation` whose findings matched in bulk are made on first use of `matched`."""

    columns: Columns
    plain_matched: Pairs
    rest_matched: tuple[Finding, ...]
    rest_matched_at: bf.Ints
    """The payment position of each matched finding `match` gave."""
    made: list[tuple[Finding, ...]] = msgspec.field(default_factory=list)

    @property  # type: ignore[misc]  # the field, held lazily
    def matched(self) -> tuple[Finding, ...]:
        """Every matched finding, in the order of the payments, made on first use."""
        if not self.made:
            with collector_paused():
                made = self.columns.paired(Outcome.MATCHED, self.plain_matched)
                rest = list(self.rest_matched)
                at = self.plain_matched.payments
                self.made.append(_merged(made, at, rest, self.rest_matched_at))
        return self.made[0]

    def matched_count(self) -> int:
        """How many payments are matched, without making their findings."""
        return len(self.plain_matched.payments) + len(self.rest_matched)

    @classmethod
    def assemble(cls, rest: Rest, plain: Plain, columns: Columns) -> BulkReconciliation:
        """`rest` with the findings of `plain`, each class in `match`'s order."""
        found = rest.found
        differs = columns.paired(Outcome.AMOUNT_DIFFERS, plain.differs)
        returned = columns.returned(plain.returned)
        missing = [
            Finding(outcome=Outcome.MISSING, expected=payment)
            for payment in columns.payments.records(plain.missing)
        ]
        unknown = [
            Finding(outcome=Outcome.UNKNOWN_LINE, line=line)
            for line in columns.lines.lines(plain.unknown)
        ]
        back = found.returned_or_reversed
        return cls(
            window_days=found.window_days,
            matched=(),
            amount_differs=_merged(
                differs,
                plain.differs.payments,
                [*found.amount_differs],
                rest.payments_of(found.amount_differs),
            ),
            returned_or_reversed=_merged(
                returned, plain.returned.payments, [*back], rest.payments_of(back)
            ),
            duplicate_payment=found.duplicate_payment,
            unknown_line=_merged(
                unknown, plain.unknown, [*found.unknown_line], rest.lines_of(found.unknown_line)
            ),
            missing=_merged(
                missing, plain.missing, [*found.missing], rest.payments_of(found.missing)
            ),
            totals=_with_plain(found.totals, plain, columns),
            columns=columns,
            plain_matched=plain.matched,
            rest_matched=found.matched,
            rest_matched_at=rest.payments_of(found.matched),
        )


def _merged(
    first: list[Finding], first_at: bf.Ints, second: list[Finding], second_at: bf.Ints
) -> tuple[Finding, ...]:
    """Two runs of findings, each in order of position, as one in order of position."""
    everything = [*first, *second]
    order = np.argsort(np.concatenate((first_at, second_at)), kind="stable")
    return tuple(everything[at] for at in order.tolist())


def _with_plain(
    totals: tuple[CurrencyTotals, ...], plain: Plain, columns: Columns
) -> tuple[CurrencyTotals, ...]:
    """The totals with the findings classified in bulk added."""
    matched = columns.money_out(plain.matched.lines)
    differs = columns.money_out(plain.differs.lines)
    returned = columns.money_out(plain.returned.lines)
    unknown = columns.money_out(plain.unknown)
    gaps = columns.differences(plain.differs)
    missing = columns.sent(plain.missing)
    by_code = {found.currency: found for found in totals}
    for code in {*matched, *differs, *returned, *unknown, *missing}:
        base = by_code.get(code, CurrencyTotals(currency=code, statement=0))
        by_code[code] = msgspec.structs.replace(
            base,
            statement=base.statement
            + sum(part[code] for part in (matched, differs, returned, unknown)),
            matched=base.matched + matched[code],
            amount_differs=base.amount_differs + differs[code],
            returned_or_reversed=base.returned_or_reversed + returned[code],
            unknown_line=base.unknown_line + unknown[code],
            difference=base.difference + gaps[code],
            missing=base.missing + missing[code],
        )
    return tuple(by_code[code] for code in sorted(by_code))
