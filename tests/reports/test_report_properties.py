"""On generated histories (packages approved, payments in EUR and XOF requested, approved,
paid, failed, returned or reversed, packages closed or cancelled, budget lines funded), every
total of the financial report equals the ledger's to the minor unit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reintegrate.errors import DomainError
from reintegrate.grants.disbursements import Channel, DisbursementStatus
from reintegrate.money import FxRate
from reintegrate.reconcile.reports.financial import FIGURES, FinancialReport
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.reports import financial_report
from reintegrate.store.base import Snapshot
from reintegrate.store.memory import MemoryStore
from tests import builders as b
from tests.reports.ledger_totals import ledger_totals

FATES = ("requested", "approved", "paid", "failed", "returned", "reversed")
RATE = FxRate(
    base="EUR", quote="XOF", rate="655.957", source="BCEAO", valid_from=dt.date(2024, 1, 1)
)


@dataclass(frozen=True)
class Household:
    cash: int
    in_kind: int
    end: str
    """none, close or cancel: what happens to its package after the payments."""


@dataclass(frozen=True)
class PaymentPlan:
    household: int
    in_kind: bool
    amount: int
    xof: bool
    fate: str


@dataclass(frozen=True)
class History:
    households: list[Household]
    payments: list[PaymentPlan]
    funding: int


@st.composite
def histories(draw: st.DrawFn) -> History:
    households = draw(
        st.lists(
            st.builds(
                Household,
                cash=st.integers(1, 61_500),
                in_kind=st.integers(1, 200_000),
                end=st.sampled_from(["none", "none", "close", "cancel"]),
            ),
            min_size=1,
            max_size=3,
        )
    )
    payment = st.builds(
        PaymentPlan,
        household=st.integers(0, len(households) - 1),
        in_kind=st.booleans(),
        amount=st.integers(1, 120_000),
        xof=st.booleans(),
        fate=st.sampled_from(FATES),
    )
    return History(
        households=households,
        payments=draw(st.lists(payment, max_size=8)),
        funding=draw(st.integers(0, 1_000_000)),
    )


class _Run:
    """Plays a history through the use cases; refusals (a limit, a state) are part of it."""

    def __init__(self) -> None:
        self.store = MemoryStore()
        b.programme(self.store)
        prog.record_fx_rate(self.store, b.ADMIN, b.at(dt.date(2024, 1, 2)), RATE)
        self.packages: list[str] = []

    def play(self, history: History) -> None:
        for n, household in enumerate(history.households):
            case = b.register(self.store, b.household(f"case-{n}"))
            pkg = b.approved_package(
                self.store,
                case.case_id,
                b.cash("c1", household.cash),
                b.in_kind("k1", household.in_kind),
            )
            self.packages.append(pkg.package_id)
        for plan in history.payments:
            self.pay(plan)
        for package_id, household in zip(self.packages, history.households, strict=True):
            self.end(package_id, household.end)
        if history.funding:
            amount = f"{history.funding // 100}.{history.funding % 100:02d}"
            prog.fund_budget_line(
                self.store, b.ADMIN, b.SOON, programme_id=b.PROGRAMME, line=b.LINE, amount=amount
            )

    def pay(self, plan: PaymentPlan) -> None:
        package_id, store = self.packages[plan.household], self.store
        component = "k1" if plan.in_kind else "c1"
        try:
            d = b.requested(
                store,
                package_id,
                component,
                plan.amount,
                currency="XOF" if plan.xof else "EUR",
                channel=Channel.SUPPLIER_TRANSFER if plan.in_kind else Channel.MOBILE_MONEY,
                invoice_ref="INV-1" if plan.in_kind else None,
            )
        except DomainError:
            return
        self.settle(d.disbursement_id, plan.fate)

    def settle(self, disbursement_id: str, fate: str) -> None:
        store, when = self.store, b.SOON
        if fate == "failed":
            ps.fail_disbursement(store, b.FINANCE, when, disbursement_id, "no wallet")
            return
        if fate == "requested":
            return
        ps.approve_disbursement(store, b.FINANCE, when, disbursement_id)
        if fate == "returned":
            ps.fail_disbursement(store, b.TREASURER, when, disbursement_id, "back", returned=True)
        if fate in ("paid", "reversed"):
            ps.confirm_disbursement(store, b.TREASURER, when, disbursement_id, "ref")
        if fate == "reversed":
            ps.reverse_disbursement(store, b.FINANCE, when, disbursement_id, "duplicate")

    def end(self, package_id: str, end: str) -> None:
        try:
            if end == "close":
                ps.close_package(self.store, b.APPROVER, b.SOON, package_id)
            elif end == "cancel":
                ps.cancel_package(self.store, b.APPROVER, b.SOON, package_id, "moved away")
        except DomainError:  # payments still in flight
            pass


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(histories())
def test_every_total_of_the_report_equals_the_ledgers(history: History) -> None:
    run = _Run()
    run.play(history)
    report = financial_report(run.store, Actor("auditor-1"), b.PROGRAMME)
    snapshot = run.store.snapshot()
    assert report.differences == ()
    ledger = ledger_totals(snapshot, b.PROGRAMME)
    assert {"funds": report.total.funds, "available": report.total.available} | {
        f: getattr(report.total.figures, f) for f in FIGURES if f in ledger
    } == ledger
    _assert_flows_are_the_disbursements(report, snapshot)


def _assert_flows_are_the_disbursements(report: FinancialReport, snapshot: Snapshot) -> None:
    """Failed, returned and reversed, at booked rates and as paid per currency."""
    booked: dict[str, int] = defaultdict(int)
    as_paid: dict[tuple[str, str], int] = defaultdict(int)
    for d in snapshot.disbursements.values():
        event(f"a payment in {d.currency} {d.status.value}")
        booked[d.status.value] += d.programme_amount
        as_paid[(d.currency, d.status.value)] += d.amount
    for pkg in snapshot.packages.values():
        event(f"a package {pkg.status.value}")
    figures = report.total.figures
    for status in (
        DisbursementStatus.FAILED,
        DisbursementStatus.RETURNED,
        DisbursementStatus.REVERSED,
    ):
        assert getattr(figures, status.value) == booked[status.value]
    for row in report.by_currency:
        assert row.original.paid == as_paid[(row.currency, "paid")]
        assert row.original.failed == as_paid[(row.currency, "failed")]
        assert row.original.pending == (
            as_paid[(row.currency, "requested")] + as_paid[(row.currency, "approved")]
        )
