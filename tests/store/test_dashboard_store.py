"""The dashboard read from SQLite and PostgreSQL: the same figures as the financial report,
and the payment waiting for confirmation counted in the month it was requested."""

from __future__ import annotations

from reintegrate.services.context import Actor
from reintegrate.services.dashboard import programme_dashboard
from reintegrate.services.reports import financial_report
from reintegrate.store.sql import SqlStore
from tests.builders import PROGRAMME, SOON

AUDITOR = Actor("auditor-1")


def test_the_dashboard_reads_the_stored_payments_and_report(one_payment_approved: SqlStore) -> None:
    dashboard = programme_dashboard(one_payment_approved, AUDITOR, PROGRAMME)
    report = financial_report(one_payment_approved, AUDITOR, PROGRAMME)
    [month] = dashboard.payments
    assert month.month == SOON.date().replace(day=1)
    assert {s: a for s, a in month.amounts.items() if a} == {"approved": 100_00}
    [line] = dashboard.lines
    assert (line.committed, line.pending) == (
        report.total.figures.committed,
        report.total.figures.pending,
    )
    assert dashboard.agrees_with_ledger
