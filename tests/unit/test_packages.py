"""Packages and disbursements through the services, on the in-memory store.

The household of most tests returned to Senegal on 1 March 2024 under the EU Reintegration
Programme: a principal `p` and one dependant `d1`. Its caps: household 3,615.00 EUR;
principal 2,615.00 (615 post-arrival in cash + 2,000 in kind); dependant 1,000.00;
cash ceiling 615.00; the assistance window closes on 1 March 2025.
Every test ends with an audit of the store (hash chain, replay, ledger) that must pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import msgspec
import pytest

from reintegrate.demo.people import register_demo_household
from reintegrate.errors import FourEyesViolation, InvalidTransition, NotFound, ValidationFailed
from reintegrate.grants import packages as pk
from reintegrate.grants.disbursements import Channel, DisbursementStatus, StagedLimitExceeded
from reintegrate.grants.packages import NotEligible, PackageStatus, WindowClosed
from reintegrate.journal import ClockWentBack
from reintegrate.ledger import LimitExceeded
from reintegrate.money import FxRate, NoFxRate
from reintegrate.policy import CashCeiling, Household, Stage
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.audit import verify_audit
from reintegrate.services.cash_limits import cases_over_cash_limits
from reintegrate.services.context import Actor
from reintegrate.services.notes import read_opened as shown
from reintegrate.services.recording import record
from reintegrate.store.base import Scope
from reintegrate.store.memory import MemoryStore
from tests.builders import (
    ADMIN,
    APPROVER,
    FINANCE,
    LINE,
    OFFICER,
    OTHER_OFFICER,
    PROGRAMME,
    RETURNED,
    SOON,
    TREASURER,
    approved_disbursement,
    approved_package,
    at,
    balance,
    cash,
    component_balances,
    eu_policy,
    household,
    in_kind,
    paid,
    policy_for,
    programme,
    register,
    requested,
    submitted_package,
)

LAGOS_OFFICER = Actor("officer-lagos", Scope(offices=frozenset({"lagos"})))


@pytest.fixture
def store() -> Iterator[MemoryStore]:
    """The EU programme with 100,000 EUR on its budget line; audited after the test."""
    store = MemoryStore()
    programme(store)
    yield store
    report = verify_audit(store)
    assert report.ok, report


@pytest.fixture
def case_id(store: MemoryStore) -> str:
    """The household c1, registered."""
    return register(store, household("c1")).case_id


def caps(store: MemoryStore, case_id: str) -> dict[str, tuple[int, int]]:
    """Each cap of the case (by account) as (size, used)."""
    found = prog.case_entitlement(store, ADMIN, case_id, RETURNED).caps
    return {c.account: (c.size, c.used) for c in found}


def journal_length(store: MemoryStore) -> int:
    return len(list(store.entries()))


# Approval draws every cap at once


def test_approving_a_package_draws_on_household_person_cash_caps_and_the_budget_line(
    store: MemoryStore, case_id: str
) -> None:
    before = prog.case_entitlement(store, ADMIN, case_id, RETURNED)
    assert (before.granted, before.caps, before.entitlement.total) == (False, (), 3_615_00)

    pkg = approved_package(
        store,
        case_id,
        cash("c-cash", 500_00),
        in_kind("c-tools", 1_500_00),
        in_kind("c-school", 800_00, "d1"),
    )

    assert pkg.status is PackageStatus.APPROVED
    assert (pkg.approved_by, pkg.policy_version) == (APPROVER.user_id, "2022")
    assert caps(store, case_id) == {
        "cap:c1:household": (3_615_00, 2_800_00),
        "cap:c1:cash": (615_00, 500_00),
        "cap:c1:person:p": (2_615_00, 2_000_00),
        "cap:c1:person:d1": (1_000_00, 800_00),
        "cap:c1:person-cash:d1": (0, 0),
        "cap:c1:person-cash:p": (615_00, 500_00),
    }
    assert balance(store, f"budget:{PROGRAMME}:{LINE}") == 100_000_00 - 2_800_00
    assert balance(store, f"budget:{PROGRAMME}:{LINE}:committed") == 2_800_00
    assert component_balances(store, "c-tools") == {"remaining": 1_500_00, "pending": 0, "paid": 0}


def test_a_second_package_over_the_household_cap_is_refused_naming_the_household_entitlement(
    store: MemoryStore,
) -> None:
    programme(
        store,
        programme_id="capped",
        policy=policy_for("capped", household=Household(cap="3000.00")),
    )
    case_id = register(store, household("c1", programme_id="capped")).case_id
    approved_package(
        store, case_id, in_kind("c-house", 2_000_00), in_kind("c-school", 500_00, "d1")
    )
    second = submitted_package(
        store, case_id, cash("c-cash", 300_00), in_kind("c-books", 300_00, "d1")
    )
    written = journal_length(store)

    with pytest.raises(LimitExceeded) as refused:
        ps.approve_package(store, APPROVER, SOON, second.package_id)

    error = refused.value
    assert error.message == (
        "household entitlement of case c1: limit 3000.00 EUR, used 2500.00 EUR, asked 600.00 EUR"
    )
    assert error.field == "cap:c1:household"
    assert {k: error.details[k] for k in ("limit", "size", "used", "requested", "currency")} == {
        "limit": "household entitlement of case c1",
        "size": "3000.00",
        "used": "2500.00",
        "requested": "600.00",
        "currency": "EUR",
    }
    assert journal_length(store) == written
    assert caps(store, case_id)["cap:c1:household"] == (3_000_00, 2_500_00)
    assert store.snapshot().packages[second.package_id].status is PackageStatus.SUBMITTED


def test_cash_over_the_cash_ceiling_is_refused_and_nothing_is_granted(
    store: MemoryStore, case_id: str
) -> None:
    pkg = submitted_package(store, case_id, cash("c-cash", 700_00))
    written = journal_length(store)

    with pytest.raises(LimitExceeded) as refused:
        ps.approve_package(store, APPROVER, SOON, pkg.package_id)

    assert refused.value.field == "cap:c1:cash"
    assert refused.value.message == (
        "cash ceiling of case c1: limit 615.00 EUR, used 0.00 EUR, asked 700.00 EUR; "
        "cash of member p of case c1: limit 615.00 EUR, used 0.00 EUR, asked 700.00 EUR"
    )
    assert journal_length(store) == written
    assert prog.case_entitlement(store, ADMIN, case_id, RETURNED).granted is False


def test_cash_over_the_ceiling_across_two_packages_is_refused(
    store: MemoryStore, case_id: str
) -> None:
    approved_package(store, case_id, cash("c-cash-1", 400_00))
    second = submitted_package(store, case_id, cash("c-cash-2", 300_00))

    with pytest.raises(LimitExceeded) as refused:
        ps.approve_package(store, APPROVER, SOON, second.package_id)
    assert refused.value.message == (
        "cash ceiling of case c1: limit 615.00 EUR, used 400.00 EUR, asked 300.00 EUR; "
        "cash of member p of case c1: limit 615.00 EUR, used 400.00 EUR, asked 300.00 EUR"
    )


def test_a_package_is_refused_once_its_budget_line_is_exhausted(store: MemoryStore) -> None:
    programme(store, programme_id="small", budget="1000.00")
    first = register(store, household("c1", programme_id="small")).case_id
    other = register(store, household("c2", programme_id="small")).case_id
    approved_package(store, first, in_kind("c1-house", 800_00))
    pkg = submitted_package(store, other, in_kind("c2-house", 300_00))

    with pytest.raises(LimitExceeded) as refused:
        ps.approve_package(store, APPROVER, SOON, pkg.package_id)

    assert refused.value.field == "budget:small:individual"
    assert refused.value.message == (
        "budget line individual of small: limit 1000.00 EUR, used 800.00 EUR, asked 300.00 EUR"
    )
    assert balance(store, "budget:small:individual") == 200_00


# Four eyes


def test_the_officer_who_drafted_a_package_cannot_approve_it(
    store: MemoryStore, case_id: str
) -> None:
    drafted = ps.draft_package(
        store, OFFICER, SOON, case_id=case_id, budget_line=LINE, components=(cash("c", 100_00),)
    )
    ps.submit_package(store, OTHER_OFFICER, SOON, drafted.package_id)

    with pytest.raises(FourEyesViolation, match="drafted or submitted"):
        ps.approve_package(store, OFFICER, SOON, drafted.package_id)


def test_the_officer_who_submitted_a_package_cannot_approve_it(
    store: MemoryStore, case_id: str
) -> None:
    drafted = ps.draft_package(
        store, OFFICER, SOON, case_id=case_id, budget_line=LINE, components=(cash("c", 100_00),)
    )
    ps.submit_package(store, OTHER_OFFICER, SOON, drafted.package_id)

    with pytest.raises(FourEyesViolation):
        ps.approve_package(store, OTHER_OFFICER, SOON, drafted.package_id)
    assert (
        ps.approve_package(store, APPROVER, SOON, drafted.package_id).status
        is PackageStatus.APPROVED
    )


@pytest.mark.parametrize("who", [OFFICER, OTHER_OFFICER], ids=["drafter", "submitter"])
def test_the_drafter_or_submitter_of_a_package_cannot_reject_it(
    store: MemoryStore, case_id: str, who: Actor
) -> None:
    drafted = ps.draft_package(
        store, OFFICER, SOON, case_id=case_id, budget_line=LINE, components=(cash("c", 100_00),)
    )
    ps.submit_package(store, OTHER_OFFICER, SOON, drafted.package_id)
    written = journal_length(store)

    with pytest.raises(FourEyesViolation, match="cannot decide"):
        ps.reject_package(store, who, SOON, drafted.package_id, "not convinced")
    assert journal_length(store) == written

    rejected = ps.reject_package(store, APPROVER, SOON, drafted.package_id, "no business plan")
    assert (rejected.status, shown(store, rejected).reason) == (
        PackageStatus.REJECTED,
        "no business plan",
    )


def test_whoever_requested_a_disbursement_cannot_approve_it(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 300_00))
    d = requested(store, pkg.package_id, "c-cash", 100_00)

    with pytest.raises(FourEyesViolation, match="requested"):
        ps.approve_disbursement(store, OFFICER, SOON, d.disbursement_id)
    assert (
        ps.approve_disbursement(store, FINANCE, SOON, d.disbursement_id).approved_by
        == FINANCE.user_id
    )


def test_whoever_approved_a_disbursement_cannot_confirm_it_as_paid(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 300_00))
    d = approved_disbursement(store, pkg.package_id, "c-cash", 100_00)

    with pytest.raises(FourEyesViolation, match="cannot confirm"):
        ps.confirm_disbursement(store, FINANCE, SOON, d.disbursement_id)
    confirmed = ps.confirm_disbursement(store, TREASURER, SOON, d.disbursement_id, "MM-1")
    assert (confirmed.status, confirmed.confirmed_by, confirmed.provider_ref) == (
        DisbursementStatus.PAID,
        TREASURER.user_id,
        "MM-1",
    )


# In kind and in cash


def test_an_in_kind_component_needs_a_supplier(store: MemoryStore, case_id: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        submitted_package(store, case_id, in_kind("c-tools", 500_00, supplier=None))

    assert refused.value.field == "components[0].supplier"


@pytest.mark.parametrize("invoice", [None, "", "   "])
def test_an_in_kind_payment_needs_the_suppliers_invoice_reference(
    store: MemoryStore, case_id: str, invoice: str | None
) -> None:
    pkg = approved_package(store, case_id, in_kind("c-tools", 500_00))

    with pytest.raises(ValidationFailed) as refused:
        requested(
            store,
            pkg.package_id,
            "c-tools",
            500_00,
            channel=Channel.SUPPLIER_TRANSFER,
            invoice_ref=invoice,
        )
    assert refused.value.field == "invoice_ref"


@pytest.mark.parametrize("channel", [Channel.BANK, Channel.MOBILE_MONEY, Channel.CASH_AGENT])
def test_an_in_kind_component_is_not_paid_to_the_beneficiary(
    store: MemoryStore, case_id: str, channel: Channel
) -> None:
    pkg = approved_package(store, case_id, in_kind("c-tools", 500_00))

    with pytest.raises(ValidationFailed) as refused:
        requested(store, pkg.package_id, "c-tools", 500_00, channel=channel, invoice_ref="INV-1")
    assert refused.value.field == "channel"


def test_an_in_kind_component_is_paid_to_its_supplier_against_an_invoice(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, in_kind("c-tools", 500_00, supplier="hardware-thies"))

    d = requested(
        store,
        pkg.package_id,
        "c-tools",
        500_00,
        channel=Channel.SUPPLIER_TRANSFER,
        invoice_ref="INV-2024-17",
    )
    d = ps.approve_disbursement(store, FINANCE, SOON, d.disbursement_id)
    d = ps.confirm_disbursement(store, TREASURER, SOON, d.disbursement_id, "SWIFT-1")

    assert (shown(store, d).payee, shown(store, d).invoice_ref, d.channel, d.status) == (
        "hardware-thies",
        "INV-2024-17",
        Channel.SUPPLIER_TRANSFER,
        DisbursementStatus.PAID,
    )
    assert component_balances(store, "c-tools") == {"remaining": 0, "pending": 0, "paid": 500_00}


def test_a_cash_component_cannot_name_a_supplier(store: MemoryStore, case_id: str) -> None:
    with_supplier = msgspec.structs.replace(cash("c-cash", 100_00), supplier="shop")

    with pytest.raises(ValidationFailed) as refused:
        submitted_package(store, case_id, with_supplier)
    assert refused.value.field == "components[0].supplier"


def test_cash_cannot_be_sent_to_a_supplier(store: MemoryStore, case_id: str) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 300_00))

    with pytest.raises(ValidationFailed) as refused:
        requested(
            store,
            pkg.package_id,
            "c-cash",
            100_00,
            channel=Channel.SUPPLIER_TRANSFER,
            invoice_ref="INV-1",
        )
    assert refused.value.field == "channel"
    assert requested(store, pkg.package_id, "c-cash", 100_00).payee == "beneficiary:p"


# Time: the window and the stages


def test_a_package_cannot_be_approved_after_the_window_closed(
    store: MemoryStore, case_id: str
) -> None:
    last_day = at(dt.date(2025, 3, 1))
    late = submitted_package(store, case_id, cash("c-late", 100_00), when=last_day)
    in_time = submitted_package(store, case_id, cash("c-in-time", 100_00), when=last_day)

    with pytest.raises(WindowClosed) as refused:
        ps.approve_package(store, APPROVER, at(dt.date(2025, 3, 2)), late.package_id)
    assert refused.value.details == {"window_end": "2025-03-01"}
    assert (
        ps.approve_package(store, APPROVER, last_day, in_time.package_id).status
        is PackageStatus.APPROVED
    )


def test_no_disbursement_is_requested_after_the_window_closed(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 300_00))

    with pytest.raises(WindowClosed, match="closed on 2025-03-01"):
        requested(store, pkg.package_id, "c-cash", 100_00, when=at(dt.date(2025, 3, 2)))
    assert (
        requested(store, pkg.package_id, "c-cash", 100_00, when=at(dt.date(2025, 3, 1))).amount
        == 100_00
    )


def test_a_payment_beyond_the_stages_opened_is_refused_until_the_next_stage_opens(
    store: MemoryStore,
) -> None:
    staged = policy_for(
        "staged",
        stages=(Stage(name="post_arrival"), Stage(name="post_return", opens_months_after_return=6)),
    )
    programme(store, programme_id="staged", policy=staged)
    case_id = register(store, household("c1", programme_id="staged")).case_id
    pkg = approved_package(store, case_id, cash("c-cash", 615_00), in_kind("c-house", 2_000_00))
    paid(store, pkg.package_id, "c-cash", 615_00)

    with pytest.raises(StagedLimitExceeded) as refused:
        requested(
            store,
            pkg.package_id,
            "c-house",
            100_00,
            channel=Channel.SUPPLIER_TRANSFER,
            invoice_ref="INV-1",
            when=at(dt.date(2024, 8, 31)),
        )

    assert refused.value.message == (
        "stages open on 2024-08-31: limit 615.00 EUR, used 615.00 EUR, asked 100.00 EUR; "
        "next stage opens on 2024-09-01"
    )
    assert refused.value.details["size"] == "615.00"
    d = requested(
        store,
        pkg.package_id,
        "c-house",
        2_000_00,
        channel=Channel.SUPPLIER_TRANSFER,
        invoice_ref="INV-1",
        when=at(dt.date(2024, 9, 1)),
    )
    assert d.status is DisbursementStatus.REQUESTED
    assert component_balances(store, "c-house") == {"remaining": 0, "pending": 2_000_00, "paid": 0}


# Money in another currency


def test_a_disbursement_in_xof_is_booked_at_the_rate_rounded_up_and_caps_count_euros(
    store: MemoryStore, case_id: str
) -> None:
    booked = FxRate(
        base="EUR", quote="XOF", rate="400", source="BCEAO", valid_from=dt.date(2024, 1, 1)
    )
    later = FxRate(
        base="EUR", quote="XOF", rate="500", source="BCEAO", valid_from=dt.date(2024, 6, 1)
    )
    prog.record_fx_rate(store, FINANCE, SOON, booked)
    prog.record_fx_rate(store, FINANCE, SOON, later)
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))

    d = requested(store, pkg.package_id, "c-cash", 61_002, currency="XOF")
    # 61,002 XOF / 400 = 152.505 EUR, booked rounded up: a payment never counts for less
    assert (d.amount, d.currency, d.programme_amount, d.rate) == (61_002, "XOF", 152_51, booked)
    # 4 XOF / 400 = 0.01 EUR exactly: no rounding
    assert requested(store, pkg.package_id, "c-cash", 4, currency="XOF").programme_amount == 1

    assert component_balances(store, "c-cash") == {
        "remaining": 462_48,
        "pending": 152_52,
        "paid": 0,
    }
    with pytest.raises(StagedLimitExceeded) as refused:
        requested(store, pkg.package_id, "c-cash", 185_000, currency="XOF")  # 462.50 EUR
    assert refused.value.message == (
        "cash of stages open on 2024-03-11: limit 615.00 EUR, used 152.52 EUR, asked 462.50 EUR"
    )


def test_a_disbursement_in_a_currency_without_a_recorded_rate_is_refused(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))

    with pytest.raises(NoFxRate):
        requested(store, pkg.package_id, "c-cash", 10_000, currency="XOF")


# Failures, returns, reversals


def test_a_failed_disbursement_gives_its_amount_back_to_the_component(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    still_requested = requested(store, pkg.package_id, "c-cash", 100_00)
    approved = approved_disbursement(store, pkg.package_id, "c-cash", 200_00)
    assert component_balances(store, "c-cash") == {
        "remaining": 315_00,
        "pending": 300_00,
        "paid": 0,
    }

    failed = ps.fail_disbursement(
        store, FINANCE, SOON, still_requested.disbursement_id, "wrong number"
    )
    failed_later = ps.fail_disbursement(
        store, FINANCE, SOON, approved.disbursement_id, "agent closed"
    )

    assert (failed.status, shown(store, failed).reason) == (
        DisbursementStatus.FAILED,
        "wrong number",
    )
    assert failed_later.status is DisbursementStatus.FAILED
    assert component_balances(store, "c-cash") == {"remaining": 615_00, "pending": 0, "paid": 0}
    with pytest.raises(InvalidTransition):
        ps.confirm_disbursement(store, TREASURER, SOON, failed.disbursement_id)


def test_a_returned_disbursement_gives_its_amount_back_and_may_be_requested_anew(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = approved_disbursement(store, pkg.package_id, "c-cash", 615_00)

    returned = ps.fail_disbursement(
        store, FINANCE, SOON, d.disbursement_id, "account closed", returned=True
    )

    assert returned.status is DisbursementStatus.RETURNED
    assert component_balances(store, "c-cash") == {"remaining": 615_00, "pending": 0, "paid": 0}
    paid(store, pkg.package_id, "c-cash", 615_00)
    assert component_balances(store, "c-cash") == {"remaining": 0, "pending": 0, "paid": 615_00}


def test_only_an_approved_disbursement_can_come_back_as_returned(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = requested(store, pkg.package_id, "c-cash", 100_00)

    with pytest.raises(InvalidTransition):
        ps.fail_disbursement(store, FINANCE, SOON, d.disbursement_id, "bounced", returned=True)


def test_reversing_a_paid_disbursement_gives_its_amount_back_to_the_component(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = paid(store, pkg.package_id, "c-cash", 300_00)

    with pytest.raises(ValidationFailed):
        ps.reverse_disbursement(store, FINANCE, SOON, d.disbursement_id, "  ")
    reversed_ = ps.reverse_disbursement(
        store, FINANCE, SOON, d.disbursement_id, "paid to the wrong person"
    )

    assert (reversed_.status, shown(store, reversed_).reason) == (
        DisbursementStatus.REVERSED,
        "paid to the wrong person",
    )
    assert component_balances(store, "c-cash") == {"remaining": 615_00, "pending": 0, "paid": 0}
    with pytest.raises(InvalidTransition):
        ps.reverse_disbursement(store, FINANCE, SOON, d.disbursement_id, "again")


def test_a_disbursement_not_yet_paid_cannot_be_reversed(store: MemoryStore, case_id: str) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = approved_disbursement(store, pkg.package_id, "c-cash", 300_00)

    with pytest.raises(InvalidTransition, match="it is approved"):
        ps.reverse_disbursement(store, FINANCE, SOON, d.disbursement_id, "not needed")


# Cash per person: never drawn on an in-kind entitlement


def test_cash_for_a_dependant_whose_lines_are_in_kind_only_is_refused_naming_their_cash_limit(
    store: MemoryStore, case_id: str
) -> None:
    """EURP pays a dependant 1,000.00 in kind only: the household's cash ceiling (615.00, the
    principal's post-arrival package) must not be drawn through the dependant."""
    pkg = submitted_package(store, case_id, cash("c-cash", 100_00, "d1"))
    written = journal_length(store)

    with pytest.raises(LimitExceeded) as refused:
        ps.approve_package(store, APPROVER, SOON, pkg.package_id)

    assert refused.value.field == "cap:c1:person-cash:d1"
    assert refused.value.message == (
        "cash of member d1 of case c1: limit 0.00 EUR, used 0.00 EUR, asked 100.00 EUR"
    )
    assert journal_length(store) == written


def test_a_cash_ceiling_per_person_bounds_each_members_cash_apart(store: MemoryStore) -> None:
    capped = policy_for("percap", cash_ceiling=CashCeiling(per_person="200.00"))
    programme(store, programme_id="percap", policy=capped)
    case_id = register(store, household("c1", programme_id="percap")).case_id
    shown_before = prog.case_entitlement(store, ADMIN, case_id, RETURNED).entitlement
    assert [(p.member_id, p.cash, str(p.cash_reason)) for p in shown_before.persons] == [
        ("p", 200_00, "the policy's cash ceiling per person"),
        ("d1", 0, "cash parts of the person's lines"),
    ]
    approved_package(store, case_id, cash("c-cash", 200_00))
    more = submitted_package(store, case_id, cash("c-cash-2", 1))

    with pytest.raises(LimitExceeded) as refused:
        ps.approve_package(store, APPROVER, SOON, more.package_id)

    assert refused.value.field == "cap:c1:person-cash:p"


def test_a_grant_made_before_cash_was_limited_per_person_keeps_its_caps(
    store: MemoryStore, case_id: str
) -> None:
    """Journals written before: the grant has no cash limits per person and its packages'
    draws do not claim them, so the case replays to the caps it had."""
    with store.unit_of_work() as uow:
        case = prog.load_case(uow, case_id, ADMIN)
        ent = prog.compute_entitlement(uow, case, RETURNED, None)
        old = msgspec.structs.replace(pk.grant_entitlement(ent, case), persons_cash=None)
        record(uow, "officer-1", SOON, [old])
        uow.commit()
    pkg = approved_package(store, case_id, cash("c-cash", 100_00, "d1"))

    assert pkg.cash_per_person is False
    assert not [c for c in caps(store, case_id) if ":person-cash:" in c]
    assert [str(o.describe()) for o in cases_over_cash_limits(store)] == [
        "case c1: cash of member d1: limit 0.00 EUR, held 100.00 EUR"
    ]


def test_no_case_granted_with_cash_limits_per_person_is_reported(
    store: MemoryStore, case_id: str
) -> None:
    approved_package(store, case_id, cash("c-cash", 615_00))
    assert cases_over_cash_limits(store) == []


# Cancelling


def test_cancelling_an_approved_package_gives_what_is_unpaid_back_to_every_cap_and_the_budget(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(
        store,
        case_id,
        cash("c-cash", 615_00),
        in_kind("c-house", 2_000_00),
        in_kind("c-school", 1_000_00, "d1"),
    )
    paid(store, pkg.package_id, "c-cash", 300_00)

    cancelled = ps.cancel_package(store, APPROVER, SOON, pkg.package_id, "family moved abroad")

    assert (cancelled.status, shown(store, cancelled).reason) == (
        PackageStatus.CANCELLED,
        "family moved abroad",
    )
    assert caps(store, case_id) == {
        "cap:c1:household": (3_615_00, 300_00),
        "cap:c1:cash": (615_00, 300_00),
        "cap:c1:person:p": (2_615_00, 300_00),
        "cap:c1:person:d1": (1_000_00, 0),
        "cap:c1:person-cash:d1": (0, 0),
        "cap:c1:person-cash:p": (615_00, 300_00),
    }
    assert balance(store, f"budget:{PROGRAMME}:{LINE}") == 100_000_00 - 300_00
    assert balance(store, f"budget:{PROGRAMME}:{LINE}:committed") == 300_00
    assert component_balances(store, "c-cash") == {"remaining": 0, "pending": 0, "paid": 300_00}
    assert component_balances(store, "c-school") == {"remaining": 0, "pending": 0, "paid": 0}
    with pytest.raises(InvalidTransition):
        requested(store, pkg.package_id, "c-cash", 100_00)
    again = approved_package(
        store, case_id, cash("c-cash-2", 315_00), in_kind("c-school-2", 1_000_00, "d1")
    )
    assert again.status is PackageStatus.APPROVED


def test_a_package_with_a_disbursement_in_flight_cannot_be_cancelled(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = approved_disbursement(store, pkg.package_id, "c-cash", 300_00)

    with pytest.raises(InvalidTransition, match="disbursements in progress"):
        ps.cancel_package(store, APPROVER, SOON, pkg.package_id, "changed plans")

    ps.confirm_disbursement(store, TREASURER, SOON, d.disbursement_id)
    assert ps.cancel_package(store, APPROVER, SOON, pkg.package_id, "changed plans").status is (
        PackageStatus.CANCELLED
    )
    assert caps(store, case_id)["cap:c1:cash"] == (615_00, 300_00)


def test_cancelling_a_package_before_approval_touches_no_cap(
    store: MemoryStore, case_id: str
) -> None:
    pkg = submitted_package(store, case_id, cash("c-cash", 615_00))

    assert (
        ps.cancel_package(store, OFFICER, SOON, pkg.package_id, "withdrawn").status
        is PackageStatus.CANCELLED
    )
    assert prog.case_entitlement(store, ADMIN, case_id, RETURNED).granted is False


# Look-back and policy versions


def test_a_person_assisted_in_another_case_within_the_look_back_is_not_eligible(
    store: MemoryStore,
) -> None:
    programme(
        store,
        programme_id="eurp-lb",
        policy=policy_for("eurp-lb", version="2022-lb", look_back_years=5),
    )
    first = register(store, household("c1", persons=("person-amadou",))).case_id
    assisted = approved_package(store, first, cash("c1-cash", 615_00))
    ps.close_package(store, OFFICER, SOON, assisted.package_id)
    returned_again = dt.date(2025, 2, 1)
    again = household(
        "c2", programme_id="eurp-lb", returned=returned_again, persons=("person-amadou",)
    )
    register(store, again, at(returned_again))
    pkg = submitted_package(store, "c2", cash("c2-cash", 615_00), when=at(returned_again))
    stranger = household("c3", programme_id="eurp-lb", returned=returned_again)
    register(store, stranger, at(returned_again))
    other = submitted_package(store, "c3", cash("c3-cash", 615_00), when=at(returned_again))

    with pytest.raises(NotEligible) as refused:
        ps.approve_package(store, APPROVER, at(returned_again), pkg.package_id)

    assert refused.value.details == {
        "reasons": ["a member was assisted on 2024-03-11, within the 5-year look-back"]
    }
    assert ps.approve_package(store, APPROVER, at(returned_again), other.package_id).status is (
        PackageStatus.APPROVED
    )


def test_without_a_look_back_the_same_person_may_be_assisted_again(store: MemoryStore) -> None:
    register(store, household("c1", persons=("person-amadou",)))
    assisted = approved_package(store, "c1", cash("c1-cash", 615_00))
    ps.close_package(store, OFFICER, SOON, assisted.package_id)
    register(store, household("c2", persons=("person-amadou",)))

    assert approved_package(store, "c2", cash("c2-cash", 615_00)).status is PackageStatus.APPROVED


def test_a_policy_version_adopted_later_does_not_change_what_a_granted_case_is_entitled_to(
    store: MemoryStore, case_id: str
) -> None:
    approved_package(store, case_id, cash("c-cash-1", 300_00))
    current = eu_policy()
    post_arrival = msgspec.structs.replace(current.person_amounts[0], amount="900.00")
    newer = msgspec.structs.replace(
        current,
        version="2024",
        effective_from=dt.date(2024, 6, 1),
        person_amounts=(post_arrival, *current.person_amounts[1:]),
    )
    prog.adopt_policy(store, ADMIN, at(dt.date(2024, 5, 20)), newer)
    later = at(dt.date(2024, 7, 1))

    granted = prog.case_entitlement(store, ADMIN, case_id, later.date())
    assert (granted.entitlement.policy_version, granted.entitlement.total) == ("2022", 3_615_00)
    assert caps(store, case_id)["cap:c1:cash"] == (615_00, 300_00)
    second = approved_package(store, case_id, cash("c-cash-2", 315_00), when=later)
    assert second.policy_version == "2022"
    third = submitted_package(store, case_id, cash("c-cash-3", 1_00), when=later)
    with pytest.raises(LimitExceeded, match="cash ceiling of case c1"):
        ps.approve_package(store, APPROVER, later, third.package_id)

    newcomer = register(store, household("c2", returned=dt.date(2024, 6, 15)), later).case_id
    fresh = approved_package(store, newcomer, cash("c2-cash", 900_00), when=later)
    assert fresh.policy_version == "2024"
    assert caps(store, newcomer)["cap:c2:cash"] == (900_00, 900_00)


# Offices


def test_a_package_of_another_office_is_not_found(store: MemoryStore, case_id: str) -> None:
    pkg = submitted_package(store, case_id, cash("c-cash", 615_00))
    written = journal_length(store)

    with pytest.raises(NotFound):
        ps.approve_package(store, LAGOS_OFFICER, SOON, pkg.package_id)
    with pytest.raises(NotFound):
        ps.cancel_package(store, LAGOS_OFFICER, SOON, pkg.package_id, "not mine")
    with pytest.raises(NotFound):
        ps.draft_package(
            store,
            LAGOS_OFFICER,
            SOON,
            case_id=case_id,
            budget_line=LINE,
            components=(cash("x", 1_00),),
        )
    with pytest.raises(NotFound):
        prog.case_entitlement(store, LAGOS_OFFICER, case_id, RETURNED)
    assert journal_length(store) == written


def test_a_disbursement_of_another_office_is_not_found(store: MemoryStore, case_id: str) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = requested(store, pkg.package_id, "c-cash", 100_00)

    with pytest.raises(NotFound):
        ps.approve_disbursement(store, LAGOS_OFFICER, SOON, d.disbursement_id)
    with pytest.raises(NotFound):
        ps.request_disbursement(
            store,
            LAGOS_OFFICER,
            SOON,
            package_id=pkg.package_id,
            component_id="c-cash",
            amount=100_00,
            currency="EUR",
            channel=Channel.BANK,
        )


def test_an_officer_cannot_register_a_case_for_another_office(store: MemoryStore) -> None:
    with pytest.raises(ValidationFailed) as refused:
        register_demo_household(store, LAGOS_OFFICER, SOON, household("c1"))
    assert refused.value.field == "office"


def test_an_officer_cannot_take_over_the_id_of_a_package_of_another_office(
    store: MemoryStore, case_id: str
) -> None:
    approved_package(store, case_id, cash("c-cash", 615_00), package_id="pkg-1")
    register_demo_household(store, LAGOS_OFFICER, SOON, household("c9", office="lagos"))

    with pytest.raises(ValidationFailed, match="exists already"):
        ps.draft_package(
            store,
            LAGOS_OFFICER,
            SOON,
            case_id="c9",
            budget_line=LINE,
            components=(cash("c9-cash", 5_00),),
            package_id="pkg-1",
        )
    assert store.snapshot().packages["pkg-1"].status is PackageStatus.APPROVED


def test_two_packages_may_use_the_same_component_id_without_sharing_money(
    store: MemoryStore, case_id: str
) -> None:
    first = approved_package(store, case_id, cash("cash", 300_00))
    register(store, household("c2"))
    second = approved_package(store, "c2", cash("cash", 400_00))

    assert component_balances(store, "cash", first.package_id)["remaining"] == 300_00
    assert component_balances(store, "cash", second.package_id)["remaining"] == 400_00
    with pytest.raises(LimitExceeded):
        requested(store, first.package_id, "cash", 400_00)


def test_tiny_payments_in_another_currency_each_count_for_a_cent_so_none_escape_the_caps(
    store: MemoryStore, case_id: str
) -> None:
    rate = FxRate(base="EUR", quote="GNF", rate="9350", source="BCRG", valid_from=RETURNED)
    prog.record_fx_rate(store, FINANCE, SOON, rate)
    pkg = approved_package(store, case_id, cash("c-cash", 1_00))

    # 46 GNF is 0.0049 EUR: booked rounded up to 0.01, so a hundred of them exhaust 1.00 EUR
    for _ in range(100):
        requested(store, pkg.package_id, "c-cash", 46, currency="GNF")
    with pytest.raises(LimitExceeded):
        requested(store, pkg.package_id, "c-cash", 46, currency="GNF")


# Holes found in review, closed in the domain


def test_a_component_of_an_unknown_form_is_refused_rather_than_paid_as_cash(
    store: MemoryStore, case_id: str
) -> None:
    odd = msgspec.structs.replace(cash("c-cash", 100_00), form="Cash")
    with pytest.raises(ValidationFailed, match="form 'Cash' is not one of") as refused:
        submitted_package(store, case_id, odd)
    assert refused.value.field == "components[0].form"


def test_a_component_id_that_could_join_ledger_codes_is_refused(
    store: MemoryStore, case_id: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        submitted_package(store, case_id, cash("c:cash", 100_00))
    assert refused.value.field == "components[0].component_id"


def test_whoever_requested_a_payment_cannot_confirm_it_as_paid(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = approved_disbursement(store, pkg.package_id, "c-cash", 100_00)
    with pytest.raises(FourEyesViolation):
        ps.confirm_disbursement(store, OFFICER, SOON, d.disbursement_id)


def test_whoever_confirmed_a_payment_cannot_reverse_it(store: MemoryStore, case_id: str) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = paid(store, pkg.package_id, "c-cash", 100_00)
    with pytest.raises(FourEyesViolation):
        ps.reverse_disbursement(store, TREASURER, SOON, d.disbursement_id, "mistake")


def test_a_payment_on_a_closed_package_cannot_be_reversed_so_no_money_is_stranded(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    d = paid(store, pkg.package_id, "c-cash", 200_00)
    ps.close_package(store, APPROVER, SOON, pkg.package_id)

    with pytest.raises(InvalidTransition, match="cannot be reversed"):
        ps.reverse_disbursement(store, FINANCE, SOON, d.disbursement_id, "came back")
    assert component_balances(store, "c-cash") == {"remaining": 0, "pending": 0, "paid": 200_00}


def test_a_command_dated_before_the_last_journal_entry_is_refused(
    store: MemoryStore, case_id: str
) -> None:
    pkg = approved_package(store, case_id, cash("c-cash", 615_00))
    with pytest.raises(ClockWentBack):
        requested(store, pkg.package_id, "c-cash", 100_00, when=SOON - dt.timedelta(days=1))
