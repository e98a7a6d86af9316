"""The dashboard's figures: plain structs that the charts and the page are drawn from.

Amounts are integer minor units of the dashboard's currency; scores are exact decimals in
[0, 1]. A group of scores too small to show (`suppressed`) carries no figure at all, only
its label and the minimum it missed, so that nothing about its few members is drawn.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec

from reintegrate.texts import Text


class SpendingBar(msgspec.Struct, frozen=True, kw_only=True):
    """One budget line (with its `budget`) or one form of assistance (no budget of its own):
    what approved packages and projects hold of it, and of that what was paid and what is in
    flight."""

    label: str
    budget: int | None
    committed: int
    paid: int
    pending: int


class PaymentMonth(msgspec.Struct, frozen=True, kw_only=True):
    """The payments requested in one calendar month, by where each stands now: the amount in
    the programme currency (at its booked rate) per status."""

    month: dt.date
    """The first day of the month."""
    amounts: dict[str, int]
    """Status (`requested`, `approved`, `paid`, `failed`, `returned`, `reversed`) to amount."""


class BoxGroup(msgspec.Struct, frozen=True, kw_only=True):
    """The distribution of one group's scores: its size, quartiles and median, or nothing
    but `suppressed` when the group is smaller than its section's minimum."""

    label: str
    n: int | None
    """None when suppressed: even the count of a small group is withheld."""
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    suppressed: bool = False


class ScoreSection(msgspec.Struct, frozen=True, kw_only=True):
    """Score distributions compared across the groups of one breakdown (form of assistance,
    level, business plan, vulnerability, time since return)."""

    key: str
    """A short id of the breakdown (`form`, `level`...), used to name its chart."""
    title: str
    minimum: int
    """No group under this size is shown."""
    groups: tuple[BoxGroup, ...]


class CompletionBar(msgspec.Struct, frozen=True, kw_only=True):
    """Follow-ups of one kind (e.g. the 3-month visit) that have fallen due: how many were
    done, of those whether the returnee was reached, declined (their right) or could not be
    reached, and how many are overdue."""

    label: Text
    """The step, in words: "3 months"."""
    done: int
    reached: int
    declined: int
    unreachable: int
    overdue: int
    due: int

    @property
    def waiting(self) -> int:
        """Due, not done and not yet overdue."""
        return max(self.due - self.done - self.overdue, 0)


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    programme_id: str
    name: str
    currency: str
    as_of_seq: int
    """The last journal entry counted."""
    offices: tuple[str, ...] | None
    """None: the whole programme; else only these offices' figures."""
    agrees_with_ledger: bool
    lines: tuple[SpendingBar, ...]
    forms: tuple[SpendingBar, ...]
    payments: tuple[PaymentMonth, ...]
    scores: tuple[ScoreSection, ...]
    follow_ups: tuple[CompletionBar, ...]


def in_major_units(minor: int, digits: int) -> Decimal:
    """`minor` units as an exact decimal of the currency's major unit (for an axis)."""
    return Decimal(minor).scaleb(-digits)
