"""The dashboard's money figures: the financial report's own, and payments counted by the
month they were requested and where they stand now, within the reader's offices."""

from __future__ import annotations

import datetime as dt

import pytest

from reintegrate.access import Scope
from reintegrate.grants.disbursements import Channel
from reintegrate.services import packages as ps
from reintegrate.services.context import Actor
from reintegrate.services.dashboard import NO_OUTCOMES, programme_dashboard
from reintegrate.services.reports import financial_report
from reintegrate.store.memory import MemoryStore
from tests.builders import (
    ADMIN,
    FINANCE,
    PROGRAMME,
    RETURNED,
    approved_package,
    at,
    cash,
    household,
    in_kind,
    paid,
    programme,
    register,
    requested,
)

APRIL, MAY, JULY = at(dt.date(2024, 4, 10)), at(dt.date(2024, 5, 20)), at(dt.date(2024, 7, 1))
LAGOS_FINANCE = Actor("finance-lagos", Scope(offices=frozenset({"lagos"})))


@pytest.fixture
def store() -> MemoryStore:
    """Two households of dakar; payments in April, May and July, in several states."""
    store = MemoryStore()
    programme(store)
    for case_id in ("c1", "c2"):
        register(store, household(case_id, returned=RETURNED))
        approved_package(
            store, case_id, cash("c1", 61_500), in_kind("k1", 200_000), package_id=f"pkg-{case_id}"
        )
    paid(store, "pkg-c1", "c1", 10_000, when=APRIL)
    failed = requested(store, "pkg-c1", "c1", 2_000, when=APRIL)
    ps.fail_disbursement(store, FINANCE, APRIL, failed.disbursement_id, "wallet closed")
    requested(
        store,
        "pkg-c1",
        "k1",
        50_000,
        when=MAY,
        invoice_ref="INV-1",
        channel=Channel.SUPPLIER_TRANSFER,
    )
    paid(store, "pkg-c2", "c1", 30_000, when=MAY)
    paid(store, "pkg-c2", "c1", 1_000, when=JULY)
    return store


def test_spending_against_budget_is_the_financial_reports_own(store: MemoryStore) -> None:
    report = financial_report(store, ADMIN, PROGRAMME)
    dashboard = programme_dashboard(store, ADMIN, PROGRAMME)
    [line] = report.budget_lines
    [bar] = dashboard.lines
    assert (bar.label, bar.budget) == (line.budget_line, line.funds)
    assert (bar.committed, bar.paid, bar.pending) == (
        line.figures.committed,
        line.figures.paid,
        line.figures.pending,
    )
    assert {f.label: f.committed for f in dashboard.forms} == {"cash": 123_000, "in_kind": 400_000}
    assert dashboard.agrees_with_ledger


def test_payments_are_counted_by_month_requested_and_status_now(store: MemoryStore) -> None:
    months = programme_dashboard(store, ADMIN, PROGRAMME).payments
    assert [m.month for m in months] == [dt.date(2024, m, 1) for m in (4, 5, 6, 7)]
    april, may, june, july = (
        {status: amount for status, amount in m.amounts.items() if amount} for m in months
    )
    assert april == {"paid": 10_000, "failed": 2_000}
    assert may == {"requested": 50_000, "paid": 30_000}
    assert june == {}, "a month without payments is shown, empty"
    assert july == {"paid": 1_000}


def test_a_reader_of_another_office_sees_none_of_its_figures(store: MemoryStore) -> None:
    dashboard = programme_dashboard(store, LAGOS_FINANCE, PROGRAMME)
    assert dashboard.offices == ("lagos",)
    assert dashboard.payments == ()
    [bar] = dashboard.lines
    assert (bar.committed, bar.paid, bar.pending) == (0, 0, 0)
    assert bar.budget == 10_000_000, "a budget line's funds are the whole programme's"


def test_without_recorded_outcomes_the_dashboard_shows_none(store: MemoryStore) -> None:
    dashboard = programme_dashboard(store, ADMIN, PROGRAMME, NO_OUTCOMES)
    assert dashboard.scores == ()
    assert dashboard.follow_ups == ()
