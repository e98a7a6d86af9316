"""A business plan from draft to its last tranche, in the domain's words."""

from __future__ import annotations

import pytest

from reintegrate import events as ev
from reintegrate.business.plans import PlanStatus
from reintegrate.errors import FourEyesViolation, InvalidTransition, ValidationFailed
from reintegrate.grants.disbursements import Channel
from reintegrate.grants.packages import BelongsToPlan
from reintegrate.services import business as bs
from reintegrate.services import business_milestones as bm
from reintegrate.services import packages as ps
from reintegrate.services import tranches as tr
from reintegrate.services.audit import verify_audit
from reintegrate.services.business import PLANS
from reintegrate.store.memory import MemoryStore
from reintegrate.tranches import evidence as files
from reintegrate.tranches.release import MilestoneNotVerified, ReceiptsShort
from tests import builders as b
from tests.business.plan_builders import (
    APPROVER,
    AUTHOR,
    DAY,
    PAYER,
    PDF,
    PNG,
    VERIFIER,
    approved,
    owner,
)


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore()
    b.programme(s)
    b.register(s, b.household("case-a", dependants=0))
    b.register(s, b.household("case-b", dependants=0))
    return s


def evidence(
    store: MemoryStore,
    milestone: str,
    kind: ev.EvidenceKind,
    content: bytes,
    amount: int | None = None,
) -> None:
    tr.submit_evidence(
        store,
        AUTHOR,
        DAY,
        PLANS.one("bp-1"),
        milestone,
        kind=kind,
        file=tr.EvidenceFile(
            content, "application/pdf" if content.startswith(b"%PDF") else "image/png"
        ),
        amount=amount,
    )


def test_a_group_business_splits_its_grant_between_owners_exactly(store: MemoryStore) -> None:
    plan = approved(store, (owner("case-a", parts=2), owner("case-b", parts=1)))
    assert plan.status is PlanStatus.APPROVED
    assert [o.allotted["kind-1"] for o in plan.owners] == [80000, 40000]
    assert [t.amount for t in plan.tranches] == [72000, 48000]


def test_no_tranche_is_released_before_its_milestone_is_verified(store: MemoryStore) -> None:
    approved(store, (owner("case-a"),))
    bs.activate_plan(store, APPROVER, DAY, "bp-1")
    with pytest.raises(MilestoneNotVerified):
        bm.release_tranche(
            store, PAYER, DAY, "bp-1", "t1", channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-1"
        )


def test_the_submitter_of_evidence_cannot_verify_the_milestone(store: MemoryStore) -> None:
    approved(store, (owner("case-a"),))
    evidence(store, "registered", ev.EvidenceKind.REGISTRATION_CERTIFICATE, PDF)
    with pytest.raises(FourEyesViolation):
        tr.verify_milestone(store, AUTHOR, DAY, PLANS.one("bp-1"), "registered")


def test_the_same_file_is_refused_twice(store: MemoryStore) -> None:
    approved(store, (owner("case-a"),))
    evidence(store, "registered", ev.EvidenceKind.REGISTRATION_CERTIFICATE, PDF)
    with pytest.raises(files.DuplicateEvidence):
        evidence(store, "equipped", ev.EvidenceKind.MONITORING_REPORT, PDF)


def test_a_plan_is_paid_to_its_supplier_milestone_by_milestone(store: MemoryStore) -> None:
    approved(store, (owner("case-a", parts=2), owner("case-b", parts=1)))
    bs.activate_plan(store, APPROVER, DAY, "bp-1")
    evidence(store, "registered", ev.EvidenceKind.REGISTRATION_CERTIFICATE, PDF)
    tr.verify_milestone(store, VERIFIER, DAY, PLANS.one("bp-1"), "registered")
    plan = bm.release_tranche(
        store, PAYER, DAY, "bp-1", "t1", channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-1"
    )
    first = plan.tranche("t1")
    assert [p.amount for p in first.parts] == [48000, 24000]
    evidence(store, "equipped", ev.EvidenceKind.MONITORING_REPORT, PNG)
    with pytest.raises(ValidationFailed, match="lacks evidence: receipt"):
        tr.verify_milestone(store, VERIFIER, DAY, PLANS.one("bp-1"), "equipped")
    evidence(store, "equipped", ev.EvidenceKind.RECEIPT, PDF + b"receipt", amount=72000)
    tr.verify_milestone(store, VERIFIER, DAY, PLANS.one("bp-1"), "equipped")
    plan = bm.release_tranche(
        store, PAYER, DAY, "bp-1", "t2", channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-2"
    )
    assert sum(p.amount for t in plan.tranches for p in t.parts) == 120000
    assert [o.tranched["kind-1"] for o in plan.owners] == [80000, 40000]
    report = verify_audit(store)
    assert report.ok, report


def test_receipts_must_justify_what_was_already_paid(store: MemoryStore) -> None:
    approved(store, (owner("case-a"),))
    bs.activate_plan(store, APPROVER, DAY, "bp-1")
    evidence(store, "registered", ev.EvidenceKind.REGISTRATION_CERTIFICATE, PDF)
    tr.verify_milestone(store, VERIFIER, DAY, PLANS.one("bp-1"), "registered")
    bm.release_tranche(
        store, PAYER, DAY, "bp-1", "t1", channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-1"
    )
    evidence(store, "equipped", ev.EvidenceKind.MONITORING_REPORT, PNG)
    evidence(store, "equipped", ev.EvidenceKind.RECEIPT, PDF + b"r1", amount=10000)
    tr.verify_milestone(store, VERIFIER, DAY, PLANS.one("bp-1"), "equipped")
    with pytest.raises(ReceiptsShort) as refused:
        bm.release_tranche(
            store, PAYER, DAY, "bp-1", "t2", channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-2"
        )
    assert refused.value.details["size"] == "576.00"


def test_a_plans_packages_cannot_be_paid_directly(store: MemoryStore) -> None:
    approved(store, (owner("case-a"),))
    with pytest.raises(BelongsToPlan):
        ps.request_disbursement(
            store,
            AUTHOR,
            DAY,
            package_id="bp-1-1",
            component_id="kind-1",
            amount=100,
            currency="EUR",
            channel=Channel.SUPPLIER_TRANSFER,
            invoice_ref="X",
        )


def test_an_ended_plans_evidence_can_no_longer_be_rejected(store: MemoryStore) -> None:
    approved(store, (owner("case-a"),))
    evidence(store, "registered", ev.EvidenceKind.REGISTRATION_CERTIFICATE, PDF)
    ended = bs.end_plan(store, APPROVER, DAY, "bp-1", end=ev.PlanEnd.ABANDONED, reason="left")
    with pytest.raises(InvalidTransition):
        tr.reject_milestone_evidence(
            store, VERIFIER, DAY, PLANS.one("bp-1"), "registered", reason="blurred"
        )
    assert store.snapshot().plans["bp-1"] == ended
    with pytest.raises(InvalidTransition):  # its state first, before the file is looked at
        evidence(store, "equipped", ev.EvidenceKind.MONITORING_REPORT, PDF)


def test_a_failed_payment_of_a_tranche_part_is_paid_again_once(store: MemoryStore) -> None:
    approved(store, (owner("case-a", parts=2), owner("case-b", parts=1)))
    bs.activate_plan(store, APPROVER, DAY, "bp-1")
    evidence(store, "registered", ev.EvidenceKind.REGISTRATION_CERTIFICATE, PDF)
    tr.verify_milestone(store, VERIFIER, DAY, PLANS.one("bp-1"), "registered")
    plan = bm.release_tranche(
        store, PAYER, DAY, "bp-1", "t1", channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-1"
    )
    failed = plan.tranche("t1").parts[1].disbursement_id
    with pytest.raises(InvalidTransition, match="only a failed, returned or reversed"):
        bm.repay_tranche_part(
            store, PAYER, DAY, "bp-1", "t1", owner=1,
            channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-1b",
        )  # fmt: skip
    ps.approve_disbursement(store, APPROVER, DAY, failed)
    ps.fail_disbursement(store, b.TREASURER, DAY, failed, "supplier account closed")

    plan = bm.repay_tranche_part(
        store, PAYER, DAY, "bp-1", "t1", owner=1,
        channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-1b",
    )  # fmt: skip

    again = plan.tranche("t1").parts[1]
    assert again.disbursement_id != failed
    assert again.amount == 24000
    assert plan.owners[1].tranched["kind-1"] == 24000
    with pytest.raises(InvalidTransition):  # the new payment is in flight: no second retry
        bm.repay_tranche_part(
            store, PAYER, DAY, "bp-1", "t1", owner=1,
            channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-1c",
        )  # fmt: skip
    assert verify_audit(store).ok
