"""The dashboard's money figures, from the financial report and the payments themselves.

Spending against budget is the financial report's own figures (per budget line, and per
form of assistance), never counted a second time. Payments over time are counted from the
disbursements of the offices the reader sees, by the month each was requested and the
status it has now, in the programme currency at its booked rate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from reintegrate.dashboard.figures import PaymentMonth, SpendingBar
from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.grants.figures import PaymentFigures
from reintegrate.reconcile.reports.financial import Figures, FinancialReport

STATUSES: tuple[str, ...] = tuple(DisbursementStatus)
"""Every status a payment can have, in the order of its lifecycle (the charts' order)."""


def _bar(label: str, budget: int | None, figures: Figures) -> SpendingBar:
    return SpendingBar(
        label=label,
        budget=budget,
        committed=figures.committed,
        paid=figures.paid,
        pending=figures.pending,
    )


def spending_by_line(report: FinancialReport) -> tuple[SpendingBar, ...]:
    """Each budget line's funds against what is committed, paid and in flight on it."""
    return tuple(_bar(line.budget_line, line.funds, line.figures) for line in report.budget_lines)


def spending_by_form(report: FinancialReport) -> tuple[SpendingBar, ...]:
    """Cash and in kind over every budget line: the report's rows by form, summed."""
    totals: dict[str, Figures] = {}
    for row in report.by_form:
        totals[row.key] = totals.get(row.key, Figures()) + row.figures
    return tuple(_bar(form, None, figures) for form, figures in sorted(totals.items()))


def payments_by_month(
    disbursements: Iterable[PaymentFigures], offices: frozenset[str] | None
) -> tuple[PaymentMonth, ...]:
    """The payments of `offices` (None: every office), by month requested and status now,
    every month from the first to the last (a month without payments shows zeros)."""
    months: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for d in disbursements:
        if offices is not None and d.office not in offices:
            continue
        months[d.requested_on.replace(day=1)][d.status] += d.programme_amount
    if not months:
        return ()
    return tuple(
        PaymentMonth(month=m, amounts=months[m]) for m in _months(min(months), max(months))
    )


def _months(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The first day of each month from `first`'s to `last`'s."""
    month = first
    while month <= last:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)
