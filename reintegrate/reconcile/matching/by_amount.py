"""The payments a statement line without a usable reference may belong to (pure).

Rule 2 of `matching`: a line may belong to a payment of its currency and amount sent within
the date window, the nearest sent date first, then the earlier date, then the smaller
disbursement id. `AmountIndex` groups the payments once by currency and amount, then by sent
date (each day's by disbursement id), and reads a line's candidates day by day in that
order. Collecting and sorting every payment of the line's amount for every line instead is
quadratic when a programme pays one instalment to thousands of households: a million-line
statement then spent minutes here.

While lines are placed, a payment once touched (paid or brought back by a line) stays
touched, so for paying lines each day keeps a cursor past the payments already touched.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Container, Iterator, Sequence

from reintegrate.reconcile.matching.outcomes import Expected
from reintegrate.reconcile.statements.lines import StatementLine

_Key = tuple[str, int]
"""Currency and amount."""


class AmountIndex:
    """The payments of the given amounts, by currency and amount, then by sent date."""

    def __init__(self, payments: Sequence[Expected], amounts: Container[int]) -> None:
        grouped: defaultdict[_Key, defaultdict[dt.date, list[tuple[str, int]]]]
        grouped = defaultdict(lambda: defaultdict(list))
        for at, payment in enumerate(payments):
            if payment.amount in amounts:
                key = (payment.currency, payment.amount)
                grouped[key][payment.sent_on].append((payment.disbursement_id, at))
        self._days: dict[_Key, dict[dt.date, list[int]]] = {
            key: {day: [at for _, at in sorted(found)] for day, found in by_day.items()}
            for key, by_day in grouped.items()
        }
        self._skipped: dict[tuple[_Key, dt.date], int] = {}

    def paid_by(
        self, line: StatementLine, window: int, touched: Callable[[int], bool]
    ) -> int | None:
        """The payment a paying line pays: the first candidate no line touched yet.
        `touched` must only ever turn true while one index is used."""
        key = (line.currency, line.amount)
        for day, found in self._near(key, line.booked_on, window):
            skipped = self._skipped.get((key, day), 0)
            while skipped < len(found) and touched(found[skipped]):
                skipped += 1
            self._skipped[key, day] = skipped
            if skipped < len(found):
                return found[skipped]
        return None

    def returned_by(
        self, line: StatementLine, window: int, came_back: Container[int], paid: Sequence[int]
    ) -> int | None:
        """The payment a line bringing money back returns: among the candidates nothing
        brought back yet, the first the statement shows paid (`paid[at] >= 0`), else the
        first."""
        first_open = None
        for _, found in self._near((line.currency, line.amount), line.booked_on, window):
            for at in found:
                if at in came_back:
                    continue
                if paid[at] >= 0:
                    return at
                if first_open is None:
                    first_open = at
        return first_open

    def _near(self, key: _Key, booked: dt.date, window: int) -> Iterator[tuple[dt.date, list[int]]]:
        """The days with candidates within `window` days of `booked`, nearest first, then
        earlier first."""
        by_day = self._days.get(key)
        if not by_day:
            return
        if 2 * window + 1 > len(by_day):  # fewer days with payments than days in the window
            days = sorted(
                (abs((day - booked).days), day)
                for day in by_day
                if abs((day - booked).days) <= window
            )
            yield from ((day, by_day[day]) for _, day in days)
            return
        for day in _days_around(booked, window):
            if (found := by_day.get(day)) is not None:
                yield day, found


def _days_around(booked: dt.date, window: int) -> Iterator[dt.date]:
    """`booked`, then the day before and the day after, and so on up to `window` days."""
    yield booked
    for gap in range(1, window + 1):
        for sign in (-1, 1):
            try:
                yield booked + dt.timedelta(days=sign * gap)
            except OverflowError:  # beyond year 1 or 9999: no payment is sent then
                continue
