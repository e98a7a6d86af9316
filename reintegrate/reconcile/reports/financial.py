"""The programme financial report: per budget line, what was funded, committed and paid.

Every amount is an integer in minor units. Per budget line (and for all lines together):

- `funds`: what was put on the line (its size);
- `committed`: what approved packages and community projects hold of it (after they end,
  what they paid: the rest went back to the line);
- `paid`: payments confirmed; `pending`: payments requested or approved, in flight;
- `failed`, `returned`, `reversed`: payments that never arrived, came back, or were undone
  after their confirmation; each of these amounts is owed again on its item (it is in
  `remaining`) unless the item has ended since;
- `remaining = committed - paid - pending`: left to pay on the commitments;
- `available = funds - committed`: not yet committed.

Committed, paid, pending and remaining are broken down by form (cash or in kind), by country
of return (the case's; a community project's community country) and by dimension (a package
component's own; a community project is split equally over its dimensions: each of
remaining, paid, pending, failed, returned and reversed is allocated to the minor unit by
largest remainder, ties to the dimension named first, and committed is their sum, so every
breakdown adds up exactly to its budget line). All of those are in the programme currency,
payments at the rate they were booked at; payments are also shown per currency they were paid
in (`by_currency`), in that currency and at their booked rates.

A report for callers who work for some offices only (`offices`) counts those offices' items;
`funds` and `available` stay the line's own, shared by every office.
"""

from __future__ import annotations

import msgspec

from reintegrate.money import allocate
from reintegrate.reconcile.reports.items import Item, Outcome
from reintegrate.texts import Text

ALL_LINES = "*"
"""The budget line of the programme's totals (never a budget line's code)."""
NO_DIMENSION = "none"
"""The dimension row of an item that names none (the domain requires one; never hidden)."""
SPLIT = ("remaining", "paid", "pending", "failed", "returned", "reversed")
"""The figures allocated when an item is split; `committed` is their first three's sum."""


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    committed: int = 0
    paid: int = 0
    pending: int = 0
    failed: int = 0
    returned: int = 0
    reversed: int = 0
    remaining: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f: getattr(self, f) + getattr(other, f) for f in FIGURES})


FIGURES: tuple[str, ...] = Figures.__struct_fields__
assert FIGURES == ("committed", "paid", "pending", "failed", "returned", "reversed", "remaining")


class Settled(msgspec.Struct, frozen=True, kw_only=True):
    """Payments by outcome, in one currency."""

    paid: int = 0
    pending: int = 0
    failed: int = 0
    returned: int = 0
    reversed: int = 0

    def __add__(self, other: Settled) -> Settled:
        return Settled(**{f: getattr(self, f) + getattr(other, f) for f in OUTCOMES})


OUTCOMES: tuple[str, ...] = Settled.__struct_fields__


class LineFigures(msgspec.Struct, frozen=True, kw_only=True):
    budget_line: str
    funds: int
    available: int
    figures: Figures


class Row(msgspec.Struct, frozen=True, kw_only=True):
    """One budget line's figures for one form, country or dimension."""

    budget_line: str
    key: str
    figures: Figures


class CurrencyRow(msgspec.Struct, frozen=True, kw_only=True):
    """One budget line's payments in one currency: in it, and at their booked rates."""

    budget_line: str
    currency: str
    original: Settled
    booked: Settled


class Difference(msgspec.Struct, frozen=True, kw_only=True):
    """A figure of the report that is not what the ledger holds."""

    figure: str
    where: str | Text
    """A ledger account's code, or where in the report in words."""
    report: int
    ledger: int


class FinancialReport(msgspec.Struct, frozen=True, kw_only=True):
    programme_id: str
    name: str
    currency: str
    as_of_seq: int
    """The last journal entry the report counts."""
    offices: tuple[str, ...] | None
    """None: the whole programme; else only these offices' packages and projects."""
    budget_lines: tuple[LineFigures, ...]
    total: LineFigures
    by_form: tuple[Row, ...]
    by_country: tuple[Row, ...]
    by_dimension: tuple[Row, ...]
    by_currency: tuple[CurrencyRow, ...]
    differences: tuple[Difference, ...] = ()
    """Where the report and the ledger disagree (see `financial_check.reconcile`)."""


class Programme(msgspec.Struct, frozen=True, kw_only=True):
    programme_id: str
    name: str
    currency: str
    budget_lines: tuple[str, ...]


def figures_of(item: Item) -> Figures:
    """What `item` holds and what its payments came to, by outcome."""
    return Figures(**dict(zip(FIGURES, figure_values(item), strict=True)))


_OUTCOME_ORDER = tuple(Outcome)


def figure_values(item: Item) -> tuple[int, ...]:
    """`figures_of(item)` as plain numbers, in the order of `FIGURES`."""
    totals = dict.fromkeys(_OUTCOME_ORDER, 0)
    for p in item.payments:
        totals[p.outcome] += p.programme_amount
    paid, pending = totals[Outcome.PAID], totals[Outcome.PENDING]
    return (
        item.committed,
        paid,
        pending,
        totals[Outcome.FAILED],
        totals[Outcome.RETURNED],
        totals[Outcome.REVERSED],
        item.committed - paid - pending,
    )


def split(figures: Figures, parts: int) -> list[Figures]:
    """`figures` in `parts` equal shares, each figure exact to the minor unit."""
    if parts == 1:
        return [figures]
    shares = {f: allocate(getattr(figures, f), [1] * parts) for f in SPLIT}
    return [
        Figures(
            committed=shares["remaining"][i] + shares["paid"][i] + shares["pending"][i],
            **{f: shares[f][i] for f in SPLIT},
        )
        for i in range(parts)
    ]
