"""A programme with paid disbursements in two offices, for receipt verification tests.

Dakar: three households, each with an approved package (615.00 in cash for the principal,
2,000.00 in kind for them); on each, three payments of 100.00 (cash, mobile money) and two of
400.00 (in kind, to the supplier) are paid, one more is only requested and one failed. Lagos:
one household with two paid payments. Payments are requested by the officer of the office,
approved by finance and confirmed paid by the treasurer (tests.builders).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from reintegrate.demo.people import register_demo_household
from reintegrate.grants.disbursements import Channel, Disbursement, DisbursementStatus
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.services import packages as ps
from reintegrate.services import verification as vs
from reintegrate.services.context import Actor
from reintegrate.store.base import Scope, Store
from tests.builders import (
    APPROVER,
    FINANCE,
    LINE,
    OFFICER,
    SOON,
    TREASURER,
    cash,
    household,
    in_kind,
    programme,
)

LAGOS = "lagos"
LAGOS_OFFICER = Actor("officer-lagos", Scope(offices=frozenset({LAGOS})))
LAGOS_APPROVER = Actor("approver-lagos", Scope(offices=frozenset({LAGOS})))
MONITOR = Actor("monitor-1", Scope(offices=frozenset({"dakar"})))
"""Draws rounds and records answers in Dakar."""
SUPERVISOR = Actor("supervisor-1", Scope(offices=frozenset({"dakar"})))
"""Closes follow-ups in Dakar."""


@dataclass(frozen=True)
class Payments:
    paid: list[str]
    """Every paid disbursement, both offices."""
    dakar_paid: list[str]
    requested: list[str]
    failed: list[str]


def _package(store: Store, officer: Actor, approver: Actor, case_id: str) -> str:
    drafted = ps.draft_package(
        store,
        officer,
        SOON,
        case_id=case_id,
        budget_line=LINE,
        components=(cash("c1", 61500), in_kind("c2", 200000)),
    )
    ps.submit_package(store, officer, SOON, drafted.package_id)
    return ps.approve_package(store, approver, SOON, drafted.package_id).package_id


def _request(store: Store, officer: Actor, package_id: str, component: str, amount: int) -> str:
    in_kind_payment = component == "c2"
    return ps.request_disbursement(
        store,
        officer,
        SOON,
        package_id=package_id,
        component_id=component,
        amount=amount,
        currency="EUR",
        channel=Channel.SUPPLIER_TRANSFER if in_kind_payment else Channel.MOBILE_MONEY,
        invoice_ref="invoice-1" if in_kind_payment else None,
    ).disbursement_id


def _pay(store: Store, disbursement_id: str) -> str:
    ps.approve_disbursement(store, FINANCE, SOON, disbursement_id)
    ps.confirm_disbursement(store, TREASURER, SOON, disbursement_id, "provider-ref")
    return disbursement_id


def _payments(
    store: Store, officer: Actor, approver: Actor, case_id: str, office: str, *, paid: int
) -> tuple[list[str], str, str]:
    """(paid, requested, failed) disbursements on a new household's package."""
    register_demo_household(store, officer, SOON, household(case_id, office=office))
    package = _package(store, officer, approver, case_id)
    parts = [("c1", 10000)] * 3 + [("c2", 40000)] * 2
    done = [_pay(store, _request(store, officer, package, c, a)) for c, a in parts[:paid]]
    requested = _request(store, officer, package, "c2", 1000)
    failed = _request(store, officer, package, "c2", 2000)
    ps.fail_disbursement(store, FINANCE, SOON, failed, "wallet closed", returned=False)
    return done, requested, failed


def programme_with_payments(store: Store) -> Payments:
    programme(store)
    dakar: list[str] = []
    requested, failed = [], []
    for n in range(3):
        done, r, f = _payments(store, OFFICER, APPROVER, f"h{n}", "dakar", paid=5)
        dakar += done
        requested.append(r)
        failed.append(f)
    lagos, r, f = _payments(store, LAGOS_OFFICER, LAGOS_APPROVER, "l1", LAGOS, paid=2)
    return Payments(
        paid=sorted(dakar + lagos),
        dakar_paid=sorted(dakar),
        requested=[*requested, r],
        failed=[*failed, f],
    )


def dakar_round(store: Store, seed: int = 7, margin: str = "0.2") -> VerificationRound:
    """A round of Dakar's paid disbursements at 90 % and `margin`, drawn by the monitor."""
    return vs.draw_round(
        store,
        MONITOR,
        SOON + dt.timedelta(days=1),
        "eurp",
        confidence=Decimal("0.90"),
        margin=Decimal(margin),
        seed=seed,
    )


def disbursement(
    disbursement_id: str,
    status: DisbursementStatus = DisbursementStatus.PAID,
    *,
    programme_id: str = "eurp",
    office: str = "dakar",
    amount: int = 10000,
    currency: str = "EUR",
) -> Disbursement:
    """A disbursement record as the store keeps it, for the pure domain's tests."""
    return Disbursement(
        disbursement_id=disbursement_id,
        package_id="pkg-1",
        component_id="c1",
        case_id="h0",
        programme_id=programme_id,
        office=office,
        channel=Channel.MOBILE_MONEY,
        payee="beneficiary:p",
        invoice_ref=None,
        amount=amount,
        currency=currency,
        programme_amount=amount,
        rate=None,
        requested_on=SOON.date(),
        status=status,
        requested_by="officer-1",
    )
