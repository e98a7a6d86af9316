"""On the demo data, every total of the financial report equals the ledger's to the minor
unit, on the in-memory store and on SQLite, for every programme."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from reintegrate import demo
from reintegrate.reconcile.reports.check import reconcile
from reintegrate.reconcile.reports.financial import FIGURES, Figures, FinancialReport
from reintegrate.reconcile.reports.items import Item, programme_items
from reintegrate.services.context import Actor
from reintegrate.services.reports import financial_report
from reintegrate.store import sql_programme
from reintegrate.store.base import Snapshot, Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from tests.reports.conftest import HOUSEHOLDS, NOW
from tests.reports.ledger_totals import ledger_totals
from tests.store.conftest import postgresql_database

AUDITOR = Actor("auditor-1")


@pytest.fixture(scope="module")
def memory_demo() -> MemoryStore:
    store = MemoryStore()
    demo.load_demo(store, HOUSEHOLDS, NOW)
    return store


@pytest.fixture(params=["memory", "sqlite"])
def demo_store(request: pytest.FixtureRequest, demo_file: Path) -> Store:
    if request.param == "memory":
        store: Store = request.getfixturevalue("memory_demo")
        return store
    return SqlStore(f"sqlite:///{demo_file}")


def test_every_programme_of_the_demo_agrees_with_the_ledger(demo_store: Store) -> None:
    snapshot = demo_store.snapshot()
    assert len(snapshot.programmes) == len(demo.DEMO_POLICIES)
    for programme_id in snapshot.programmes:
        report = financial_report(demo_store, AUDITOR, programme_id)
        assert report.differences == ()
        _assert_totals_are_the_ledgers(report, snapshot)


def test_the_demo_report_counts_payments_of_every_kind(demo_store: Store) -> None:
    """Not a report of zeros: the demo pays, fails, returns and reverses, in several
    currencies, in cash and in kind, and a community project splits over two dimensions."""
    reports = [financial_report(demo_store, AUDITOR, p) for p in demo_store.snapshot().programmes]
    total = sum((r.total.figures for r in reports), Figures())
    assert all(getattr(total, f) > 0 for f in ("committed", "paid", "remaining"))
    assert total.failed + total.returned + total.reversed > 0
    currencies = {c.currency for r in reports for c in r.by_currency}
    assert len(currencies) > 2
    forms = {row.key for r in reports for row in r.by_form if row.figures.committed}
    assert forms == {"cash", "in_kind"}


def test_a_report_with_a_tampered_balance_differs_from_the_ledger(demo_store: Store) -> None:
    snapshot = demo_store.snapshot()
    report = financial_report(demo_store, AUDITOR, "eurp")
    paid = next(
        code for code, b in sorted(snapshot.balances.items()) if code.endswith(":paid") and b
    )
    tampered = {**snapshot.balances, paid: snapshot.balances[paid] + 1}
    items = _items(snapshot, "eurp")
    found = reconcile(report, items, tampered)
    assert {(d.figure, d.where) for d in found} >= {("paid", paid)}
    assert any(str(d.where) == "budget line individual" and d.ledger == d.report + 1 for d in found)


def _assert_totals_are_the_ledgers(report: FinancialReport, snapshot: Snapshot) -> None:
    p = report.programme_id
    whole = ledger_totals(snapshot, p)
    shown = {"funds": report.total.funds, "available": report.total.available}
    shown |= {f: getattr(report.total.figures, f) for f in whole if f in FIGURES}
    assert shown == whole
    for line in report.budget_lines:
        ledger = ledger_totals(snapshot, p, line.budget_line)
        assert line.funds == ledger["funds"]
        assert line.figures.committed == ledger["committed"]
        for rows in (report.by_form, report.by_country, report.by_dimension):
            summed = sum((r.figures for r in rows if r.budget_line == line.budget_line), Figures())
            assert msgspec.structs.asdict(summed) == msgspec.structs.asdict(line.figures)
            assert summed.paid == ledger["paid"]


def _items(snapshot: Snapshot, programme_id: str) -> list[Item]:
    return programme_items(
        programme_id,
        snapshot.packages.values(),
        snapshot.disbursements.values(),
        snapshot.projects.values(),
        {c.case_id: c.country_of_return for c in snapshot.cases.values()},
    )


def test_a_report_read_a_few_packages_at_a_time_is_the_report_read_at_once(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqlStore(f"sqlite:///{demo_file}")
    at_once = [financial_report(store, AUDITOR, p) for p in store.snapshot().programmes]
    monkeypatch.setattr(sql_programme, "PACKAGES_PER_PAGE", 3)
    with store.consistent_read() as view:
        pages = [
            len(page.packages) for p in at_once for page in view.packages_pages(p.programme_id)
        ]
    assert max(pages) == 3
    assert len(pages) > len(at_once)
    assert [financial_report(store, AUDITOR, r.programme_id) for r in at_once] == at_once


def test_the_demo_report_on_postgresql_read_a_few_packages_at_a_time_is_the_one_on_sqlite(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite = SqlStore(f"sqlite:///{demo_file}")
    programmes = sorted(sqlite.snapshot().programmes)
    expected = [financial_report(sqlite, AUDITOR, p) for p in programmes]
    with postgresql_database("reintegrate_report") as url:
        store = SqlStore(url)
        store.create_all()
        demo.load_demo(store, HOUSEHOLDS, NOW)
        monkeypatch.setattr(sql_programme, "PACKAGES_PER_PAGE", 3)
        found = [financial_report(store, AUDITOR, p) for p in programmes]
        store.engine.dispose()
        store.reader.dispose()
    assert [msgspec.structs.replace(r, as_of_seq=0) for r in found] == [
        msgspec.structs.replace(r, as_of_seq=0) for r in expected
    ]
