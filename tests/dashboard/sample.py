"""A dashboard's figures written out by hand, for the chart and page tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reintegrate.dashboard.figures import (
    BoxGroup,
    CompletionBar,
    Dashboard,
    PaymentMonth,
    ScoreSection,
    SpendingBar,
)
from reintegrate.texts import Text

MINIMUM = 10


def box(label: str, n: int, q1: str, median: str, q3: str) -> BoxGroup:
    return BoxGroup(label=label, n=n, q1=Decimal(q1), median=Decimal(median), q3=Decimal(q3))


def small(label: str) -> BoxGroup:
    return BoxGroup(label=label, n=None, q1=None, median=None, q3=None, suppressed=True)


def sample(**changes: object) -> Dashboard:
    figures: dict[str, object] = {
        "programme_id": "eurp",
        "name": "EU Reintegration Programme",
        "currency": "EUR",
        "as_of_seq": 42,
        "offices": None,
        "agrees_with_ledger": True,
        "lines": (
            SpendingBar(
                label="individual",
                budget=10_000_000,
                committed=400_000,
                paid=150_000,
                pending=20_000,
            ),
            SpendingBar(label="community", budget=2_000_000, committed=0, paid=0, pending=0),
        ),
        "forms": (
            SpendingBar(label="cash", budget=None, committed=100_000, paid=80_000, pending=0),
            SpendingBar(
                label="in_kind", budget=None, committed=300_000, paid=70_000, pending=20_000
            ),
        ),
        "payments": (
            PaymentMonth(month=dt.date(2025, 4, 1), amounts={"paid": 150_000, "failed": 5_000}),
            PaymentMonth(month=dt.date(2025, 5, 1), amounts={"requested": 20_000}),
        ),
        "scores": (
            ScoreSection(
                key="form",
                title="by form of assistance",
                minimum=MINIMUM,
                groups=(
                    box("cash only", 31, "0.42", "0.55", "0.68"),
                    box("in kind only", 24, "0.50", "0.61", "0.72"),
                    small("mixed"),
                ),
            ),
        ),
        "follow_ups": (
            CompletionBar(
                label=Text("{months} months", months=3),
                done=20,
                reached=15,
                declined=3,
                unreachable=2,
                overdue=4,
                due=30,
            ),
            CompletionBar(
                label=Text("{months} months", months=6),
                done=5,
                reached=5,
                declined=0,
                unreachable=0,
                overdue=0,
                due=8,
            ),
        ),
    }
    figures.update(changes)
    return Dashboard(**figures)  # type: ignore[arg-type]
