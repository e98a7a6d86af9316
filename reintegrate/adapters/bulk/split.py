"""Which lines and payments bulk matching classifies itself, and which it leaves to `match`.

`match` places the lines carrying an issued reference first; then the others ("stray"
lines), each on a payment of its own amount and currency within the window: a stray debit
on a payment no line touched yet, a stray return on any payment not returned yet. So a
payment's finding is decided by its lines by reference alone when no stray line can be
placed on it:

- its only line by reference brings money back: `returned_or_reversed`, with no paying
  line (a returned payment is no candidate for stray lines);
- its only line by reference is a debit, and no stray return has its amount: `matched` when
  the line has its amount and currency, `amount_differs` otherwise (paid, so no candidate
  for stray debits);
- no line by reference, and no stray line has its amount: `missing`.

A stray line whose amount no payment has is an `unknown_line`. Everything else, and every
line by reference of a payment left over, goes to `match`; the candidates of the stray
lines left over are then exactly what they are among all lines and payments, so `match`
finds the same for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from reintegrate.adapters.bulk import fields as bf
from reintegrate.adapters.bulk.csv_reading import LineColumns
from reintegrate.adapters.bulk.payments import PaymentColumns


@dataclass(frozen=True, slots=True)
class Pairs:
    payments: bf.Ints
    """Payment positions, ascending."""
    lines: bf.Ints
    """The line (by position) of each of them."""


@dataclass(frozen=True, slots=True)
class Plain:
    """The payments and lines classified in bulk, by class."""

    matched: Pairs
    differs: Pairs
    returned: Pairs
    missing: bf.Ints
    unknown: bf.Ints
    """Stray lines of an amount no payment has, ascending."""

    def lines(self) -> tuple[bf.Ints, ...]:
        return self.matched.lines, self.differs.lines, self.returned.lines, self.unknown

    def payments(self) -> tuple[bf.Ints, ...]:
        return (
            self.matched.payments,
            self.differs.payments,
            self.returned.payments,
            self.missing,
        )


def split(lines: LineColumns, payments: PaymentColumns, paid_by: bf.Ints) -> Plain:
    """What bulk matching classifies, given each line's payment by reference (-1: none)."""
    referenced = paid_by >= 0
    back = lines.brings_money_back()
    counts = np.bincount(paid_by[referenced], minlength=len(payments))
    line_of = np.full(len(payments), -1, dtype=np.int64)
    line_of[paid_by[referenced]] = np.flatnonzero(referenced)
    single = np.flatnonzero(counts == 1)
    only = line_of[single]
    returned = back[only]
    unreturnable = ~np.isin(payments.amount[single], lines.amount[~referenced & back])
    paid = ~returned & unreturnable
    full = (lines.amount[only] == payments.amount[single]) & _same_currency(
        lines, payments, only, single
    )
    unshown = np.flatnonzero(counts == 0)
    stray = np.flatnonzero(~referenced)
    return Plain(
        matched=Pairs(single[paid & full], only[paid & full]),
        differs=Pairs(single[paid & ~full], only[paid & ~full]),
        returned=Pairs(single[returned], only[returned]),
        missing=unshown[~np.isin(payments.amount[unshown], lines.amount[stray])],
        unknown=stray[~np.isin(lines.amount[stray], payments.amount)],
    )


def _same_currency(
    lines: LineColumns, payments: PaymentColumns, rows: bf.Ints, at: bf.Ints
) -> npt.NDArray[np.bool_]:
    joint = sorted(set(lines.codes) | set(payments.codes))
    line_code = np.array([joint.index(code) for code in lines.codes], dtype=np.int64)
    payment_code = np.array([joint.index(code) for code in payments.codes], dtype=np.int64)
    if not len(rows):
        return np.zeros(0, dtype=bool)
    same: npt.NDArray[np.bool_] = (
        line_code[lines.currency[rows]] == payment_code[payments.currency[at]]
    )
    return same


def others(size: int, taken: tuple[bf.Ints, ...]) -> bf.Ints:
    """The positions below `size` in none of `taken`, ascending."""
    keep = np.ones(size, dtype=bool)
    for positions in taken:
        keep[positions] = False
    return np.flatnonzero(keep).astype(np.int64)
