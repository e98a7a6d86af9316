"""The financial report, in the programme's own words: what each payment's fate does to the
figures of its budget line."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from reintegrate.access import Scope
from reintegrate.demo.people import register_demo_household
from reintegrate.errors import NotFound
from reintegrate.grants.disbursements import Channel, Disbursement
from reintegrate.money import FxRate
from reintegrate.reconcile.reports.financial import FinancialReport, Row
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.reports import financial_report
from reintegrate.store.memory import MemoryStore
from tests import builders as b

AUDITOR = Actor("auditor-1")
XOF_RATE = FxRate(
    base="EUR", quote="XOF", rate="655.957", source="BCEAO", valid_from=dt.date(2024, 1, 1)
)
FUNDS = 10_000_000  # the builders' budget line: 100,000.00 EUR


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    b.programme(store)
    prog.record_fx_rate(store, b.ADMIN, b.at(dt.date(2024, 1, 2)), XOF_RATE)
    return store


def a_package_of(store: MemoryStore, case_id: str = "case-1") -> str:
    """An approved package: 500.00 in cash (`c1`) and 1,500.00 in kind (`k1`)."""
    b.register(store, b.household(case_id))
    pkg = b.approved_package(store, case_id, b.cash("c1", 50_000), b.in_kind("k1", 150_000))
    return pkg.package_id


def in_kind_approved(store: MemoryStore, package_id: str, amount: int) -> Disbursement:
    """A payment of `amount` to the supplier of `k1`, requested and approved."""
    d = b.requested(
        store,
        package_id,
        "k1",
        amount,
        channel=Channel.SUPPLIER_TRANSFER,
        invoice_ref="INV-2024-001",
    )
    return ps.approve_disbursement(store, b.FINANCE, b.SOON, d.disbursement_id)


def report_of(store: MemoryStore, actor: Actor = AUDITOR) -> FinancialReport:
    report = financial_report(store, actor, b.PROGRAMME)
    assert report.differences == ()
    return report


def row(rows: tuple[Row, ...], key: str) -> Row:
    return next(r for r in rows if r.key == key)


def test_an_approved_package_commits_its_amount_and_leaves_the_rest_available(
    store: MemoryStore,
) -> None:
    a_package_of(store)
    line = report_of(store).budget_lines[0]
    assert (line.funds, line.figures.committed, line.available) == (FUNDS, 200_000, FUNDS - 200_000)
    assert line.figures.remaining == 200_000


def test_a_failed_payment_is_counted_as_failed_and_its_amount_is_back_in_remaining(
    store: MemoryStore,
) -> None:
    package_id = a_package_of(store)
    d = b.approved_disbursement(store, package_id, "c1", 20_000)
    ps.fail_disbursement(store, b.TREASURER, b.SOON, d.disbursement_id, "wallet closed")
    figures = report_of(store).total.figures
    assert (figures.failed, figures.paid, figures.pending) == (20_000, 0, 0)
    assert figures.remaining == figures.committed == 200_000


def test_a_payment_in_flight_is_pending_and_not_left_to_pay(store: MemoryStore) -> None:
    package_id = a_package_of(store)
    b.requested(store, package_id, "c1", 5_000)
    b.approved_disbursement(store, package_id, "c1", 7_000)
    figures = report_of(store).total.figures
    assert (figures.pending, figures.remaining) == (12_000, 200_000 - 12_000)


def test_a_payment_in_xof_shows_in_xof_and_at_its_booked_rate_in_eur(store: MemoryStore) -> None:
    package_id = a_package_of(store)
    d = b.requested(store, package_id, "c1", 65_596, currency="XOF")
    ps.approve_disbursement(store, b.FINANCE, b.SOON, d.disbursement_id)
    ps.confirm_disbursement(store, b.TREASURER, b.SOON, d.disbursement_id, "mm-1")
    booked = Fraction(65_596) / Fraction("655.957") * 100  # XOF has no minor unit
    assert d.programme_amount == -(-booked.numerator // booked.denominator) == 10_001
    report = report_of(store)
    xof = next(c for c in report.by_currency if c.currency == "XOF")
    assert (xof.original.paid, xof.booked.paid) == (65_596, 10_001)
    assert report.total.figures.paid == 10_001
    assert [c.currency for c in report.by_currency] == ["XOF"]


def test_the_total_in_programme_currency_is_the_sum_of_the_booked_amounts(
    store: MemoryStore,
) -> None:
    """Seven payments of 1 XOF are worth 0.0107 EUR together, but each is booked at 0.01 EUR
    (rounded up): the report, like the caps, counts 0.07 EUR, never the rounded exact sum."""
    package_id = a_package_of(store)
    booked = []
    for _ in range(7):
        d = b.requested(store, package_id, "c1", 1, currency="XOF")
        ps.approve_disbursement(store, b.FINANCE, b.SOON, d.disbursement_id)
        ps.confirm_disbursement(store, b.TREASURER, b.SOON, d.disbursement_id, "mm-1")
        booked.append(d.programme_amount)
    report = report_of(store)
    assert booked == [1] * 7
    assert report.total.figures.paid == sum(booked) == 7
    xof = next(c for c in report.by_currency if c.currency == "XOF")
    assert (xof.original.paid, xof.booked.paid) == (7, 7)


def test_returned_and_reversed_payments_are_owed_again(store: MemoryStore) -> None:
    package_id = a_package_of(store)
    returned = in_kind_approved(store, package_id, 30_000)
    ps.fail_disbursement(
        store, b.TREASURER, b.SOON, returned.disbursement_id, "bounced", returned=True
    )
    reversed_ = b.paid(store, package_id, "c1", 10_000)
    ps.reverse_disbursement(store, b.FINANCE, b.SOON, reversed_.disbursement_id, "duplicate")
    report = report_of(store)
    figures = report.total.figures
    assert (figures.returned, figures.reversed, figures.paid) == (30_000, 10_000, 0)
    assert figures.remaining == 200_000
    assert row(report.by_form, "in_kind").figures.returned == 30_000
    assert row(report.by_form, "cash").figures.reversed == 10_000


def test_a_closed_package_holds_only_what_it_paid_and_the_rest_is_available_again(
    store: MemoryStore,
) -> None:
    package_id = a_package_of(store)
    d = in_kind_approved(store, package_id, 40_000)
    ps.confirm_disbursement(store, b.TREASURER, b.SOON, d.disbursement_id, "bank-1")
    ps.close_package(store, b.APPROVER, b.SOON, package_id)
    line = report_of(store).budget_lines[0]
    assert (line.figures.committed, line.figures.paid, line.figures.remaining) == (
        40_000,
        40_000,
        0,
    )
    assert line.available == FUNDS - 40_000


def test_a_package_not_yet_approved_commits_nothing(store: MemoryStore) -> None:
    b.register(store, b.household("case-1"))
    b.submitted_package(store, "case-1", b.cash("c1", 50_000))
    assert report_of(store).total.figures.committed == 0


def test_funding_a_budget_line_adds_to_its_funds(store: MemoryStore) -> None:
    prog.fund_budget_line(
        store, b.ADMIN, b.SOON, programme_id=b.PROGRAMME, line=b.LINE, amount="2500.50"
    )
    assert report_of(store).total.funds == FUNDS + 250_050


def test_the_breakdowns_say_cash_or_in_kind_country_and_dimension(store: MemoryStore) -> None:
    package_id = a_package_of(store)
    b.paid(store, package_id, "c1", 10_000)
    report = report_of(store)
    assert row(report.by_form, "cash").figures.paid == 10_000
    assert row(report.by_form, "in_kind").figures.committed == 150_000
    assert [(r.key, r.figures.committed) for r in report.by_country] == [("SN", 200_000)]
    assert row(report.by_dimension, "economic").figures.committed == 50_000  # the cash builder
    assert row(report.by_dimension, "social").figures.committed == 150_000
    assert row(report.by_dimension, "psychosocial").figures.committed == 0


def test_a_report_for_one_office_counts_its_cases_and_shares_the_lines_funds(
    store: MemoryStore,
) -> None:
    a_package_of(store, "case-dakar")
    lagos = Scope(offices=frozenset({"lagos"}))
    officer, approver = Actor("officer-lagos", lagos), Actor("approver-lagos", lagos)
    register_demo_household(store, officer, b.SOON, b.household("case-lagos", office="lagos"))
    pkg = ps.draft_package(
        store,
        officer,
        b.SOON,
        case_id="case-lagos",
        budget_line=b.LINE,
        components=(b.in_kind("k1", 70_000),),
    )
    ps.submit_package(store, officer, b.SOON, pkg.package_id)
    ps.approve_package(store, approver, b.SOON, pkg.package_id)
    report = report_of(store, Actor("finance-lagos", lagos))
    assert report.offices == ("lagos",)
    line = report.budget_lines[0]
    assert line.figures.committed == 70_000
    assert (line.funds, line.available) == (FUNDS, FUNDS - 270_000)
    assert report_of(store).total.figures.committed == 270_000


def test_an_unknown_programme_is_not_found(store: MemoryStore) -> None:
    with pytest.raises(NotFound) as refused:
        financial_report(store, AUDITOR, "no-such-programme")
    assert refused.value.field == "programme_id"
