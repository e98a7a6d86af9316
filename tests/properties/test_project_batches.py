"""Random sequences of a community project's tranches paid through bank batches: tranches
released (again, once a payment of theirs failed), payments approved, batched, exported,
found on the bank's statement paid, returned or not at all, and the statement applied; some
payments failing before they are batched.

After every step the project's accounts hold its envelope (remaining + pending + paid), the
ledger's pending and paid are what the project's payments say, no tranche has two payments
alive (in flight or paid), each payment of the project is a disbursement in the same state,
and no payment is in two batches; after the sequence the audit replays it all clean.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from reintegrate import events as ev
from reintegrate.community.projects import CommunityProject, PaymentStatus
from reintegrate.errors import DomainError
from reintegrate.grants.disbursements import Channel, DisbursementStatus
from reintegrate.reconcile.batches.batch import BatchStatus, PaymentBatch
from reintegrate.services import audit
from reintegrate.services import packages as ps
from reintegrate.services import reconciliation as rs
from reintegrate.services import tranches as tr
from reintegrate.services.community import PROJECTS
from reintegrate.services.context import Actor
from reintegrate.store.memory import MemoryStore
from tests import builders as b
from tests.api.reconciliation import MAPPING, bank_statement
from tests.business.plan_builders import APPROVER, AUTHOR, DAY, PDF, PNG, VERIFIER
from tests.community.project_builders import approved_project, participants, release, returnee

CLERK = Actor("clerk-1")
"""Makes and exports batches, imports statements and applies them (never a payment's
requester or approver)."""
TRANCHES = ("c1", "c2", "k1")
ENVELOPE = 150000
SAME_STATE = {
    PaymentStatus.PENDING: (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED),
    PaymentStatus.PAID: (DisbursementStatus.PAID,),
    PaymentStatus.FAILED: (DisbursementStatus.FAILED,),
    PaymentStatus.RETURNED: (DisbursementStatus.RETURNED,),
}
EVIDENCE = (
    ("cleared", ((ev.EvidenceKind.PHOTO, PNG),)),
    ("pumping", ((ev.EvidenceKind.PHOTO, PNG + b"pump"), (ev.EvidenceKind.RECEIPT, PDF))),
    (
        "planted",
        ((ev.EvidenceKind.RECEIPT, PDF + b"2"), (ev.EvidenceKind.MONITORING_REPORT, PDF + b"m")),
    ),
)


class ProjectPayments(RuleBasedStateMachine):
    @initialize()
    def a_project_whose_every_milestone_is_verified(self) -> None:
        self.store = MemoryStore()
        b.programme(self.store)
        for case_id in ("case-a", "case-b"):
            b.register(self.store, b.household(case_id, dependants=0))
        approved_project(self.store, participants(returnee("case-a"), returnee("case-b")))
        for milestone, files in EVIDENCE:
            for kind, content in files:
                media_type = "application/pdf" if content.startswith(b"%PDF") else "image/png"
                tr.submit_evidence(
                    self.store,
                    AUTHOR,
                    DAY,
                    PROJECTS.one("cp-1"),
                    milestone,
                    kind=kind,
                    file=tr.EvidenceFile(content, media_type),
                    amount=ENVELOPE if kind is ev.EvidenceKind.RECEIPT else None,
                )
            tr.verify_milestone(self.store, VERIFIER, DAY, PROJECTS.one("cp-1"), milestone)

    def project(self) -> CommunityProject:
        return self.store.snapshot().projects["cp-1"]

    def in_state(self, *statuses: DisbursementStatus) -> list[str]:
        """The project's payments in `statuses`, in the order they were released (ids are
        random: an order by id would differ between runs of one example)."""
        snapshot = self.store.snapshot()
        released = [p.payment_id for p in snapshot.projects["cp-1"].payments]
        return [d for d in released if snapshot.disbursements[d].status in statuses]

    @rule(tranche=st.sampled_from(TRANCHES), approved=st.booleans())
    def a_tranche_is_released(self, tranche: str, approved: bool) -> None:
        """Refused while a payment of it is alive (then nothing changes); mostly approved
        at once."""
        with contextlib.suppress(DomainError):
            payment = release(self.store, AUTHOR, tranche).payments[-1].payment_id
            if approved:
                ps.approve_disbursement(self.store, APPROVER, DAY, payment)

    @rule(pick=st.integers(0, 10))
    def a_payment_is_approved(self, pick: int) -> None:
        requested = self.in_state(DisbursementStatus.REQUESTED)
        if requested:
            ps.approve_disbursement(self.store, APPROVER, DAY, requested[pick % len(requested)])

    @rule(pick=st.integers(0, 10))
    def a_payment_not_batched_fails(self, pick: int) -> None:
        batched = {i.disbursement_id for x in self.batches() for i in x.items}
        free = [
            d
            for d in self.in_state(DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED)
            if d not in batched
        ]
        if free:
            ps.fail_disbursement(self.store, CLERK, DAY, free[pick % len(free)], "bank refused")

    @rule()
    def the_approved_payments_are_batched(self) -> None:
        with contextlib.suppress(DomainError):  # refused when none is approved unbatched
            rs.make_batch(
                self.store,
                CLERK,
                DAY,
                programme_id=b.PROGRAMME,
                provider=Channel.BANK,
                currency="EUR",
            )

    def batches(self) -> list[PaymentBatch]:
        return [
            x
            for x in self.store.snapshot().batches.values()
            if x.status is not BatchStatus.CANCELLED
        ]

    @rule(fates=st.lists(st.sampled_from(("paid", "returned", "absent")), min_size=3, max_size=3))
    def a_batch_is_exported_and_its_statement_applied(self, fates: list[str]) -> None:
        """The first open batch (made of the approved payments if there is none), exported;
        each of its payments paid, returned or not on the statement, by position."""
        if not any(x.status is BatchStatus.OPEN for x in self.batches()):
            self.the_approved_payments_are_batched()
        batch = next((x for x in self.batches() if x.status is BatchStatus.OPEN), None)
        if batch is None:
            return
        _, exported = rs.export_batch(self.store, CLERK, DAY, batch.batch_id, fmt="csv")
        ids = [i.disbursement_id for i in batch.items]
        fate = dict(zip(ids, fates * len(ids), strict=False))
        returned = [d for d in ids if fate[d] == "returned"]
        absent = [d for d in ids if fate[d] == "absent"]
        if len(absent) == len(ids):
            return  # an empty statement: nothing to import
        imported = rs.import_statement(
            self.store,
            CLERK,
            DAY,
            programme_id=b.PROGRAMME,
            mapping=MAPPING,
            content=bank_statement(exported, returned=returned, absent=absent),
        )
        recorded = rs.apply_reconciliation(self.store, CLERK, DAY, imported.import_id)
        event(f"applied: {', '.join(sorted(recorded)) or 'nothing'}")

    @invariant()
    def the_project_holds_its_envelope_and_each_tranche_is_paid_once(self) -> None:
        snapshot = self.store.snapshot()
        project = snapshot.projects["cp-1"]
        remaining, pending, paid = (
            snapshot.balances[f"project:cp-1:{part}"] for part in ("remaining", "pending", "paid")
        )
        assert remaining + pending + paid == ENVELOPE
        assert min(remaining, pending, paid) >= 0
        assert (pending, paid) == (project.pending(), project.paid())
        for t in TRANCHES:
            alive = [
                p
                for p in project.payments
                if p.tranche_id == t and p.status in (PaymentStatus.PENDING, PaymentStatus.PAID)
            ]
            assert len(alive) <= 1, f"tranche {t} paid twice"
        disbursements = {d: x for d, x in snapshot.disbursements.items() if x.project_id}
        assert {p.payment_id for p in project.payments} == set(disbursements)
        for p in project.payments:
            assert disbursements[p.payment_id].status in SAME_STATE[p.status], p
        batched = [i.disbursement_id for x in self.batches() for i in x.items]
        assert len(batched) == len(set(batched)), "a payment in two batches"

    def teardown(self) -> None:
        if hasattr(self, "store"):
            report = audit.verify_audit(self.store)
            assert report.ok, report


ProjectPayments.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_project_payments_through_batches = ProjectPayments.TestCase
