"""A community project from draft to its end, in the domain's words."""

from __future__ import annotations

import msgspec
import pytest

from reintegrate import events as ev
from reintegrate.community.projects import (
    ParticipationTooLow,
    ProjectStatus,
    ValuePerParticipantExceeded,
)
from reintegrate.errors import FourEyesViolation, InvalidTransition, ValidationFailed
from reintegrate.grants import disbursements as dis
from reintegrate.ledger import LimitExceeded
from reintegrate.services import community as cs
from reintegrate.services import community_activities as ca
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services import tranches as tr
from reintegrate.services.audit import verify_audit
from reintegrate.services.community import PROJECTS
from reintegrate.services.notes import read_opened
from reintegrate.store.memory import MemoryStore
from reintegrate.tranches.release import MilestoneNotVerified, ReceiptsShort
from tests import builders as b
from tests.business.plan_builders import APPROVER, AUTHOR, DAY, PAYER, PDF, PNG, VERIFIER
from tests.community.project_builders import (
    PARTNER,
    PUMP_SUPPLIER,
    approved_project,
    draft_project,
    participants,
    pay,
    project_content,
    release,
    returnee,
)

TWO_RETURNEES = participants(returnee("case-a"), returnee("case-b"), community=4)


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore()
    b.programme(s)
    b.register(s, b.household("case-a", dependants=0))
    b.register(s, b.household("case-b", dependants=0))
    b.register(s, b.household("case-c", dependants=0))
    return s


def used(store: MemoryStore, case_id: str, which: str = "household") -> int:
    return b.balance(store, f"cap:{case_id}:{which}:used")


def verified(
    store: MemoryStore,
    milestone: str,
    *files: tuple[ev.EvidenceKind, bytes],
    receipts: int = 100000,
) -> None:
    for kind, content in files:
        media_type = "application/pdf" if content.startswith(b"%PDF") else "image/png"
        amount = receipts if kind is ev.EvidenceKind.RECEIPT else None
        tr.submit_evidence(
            store,
            AUTHOR,
            DAY,
            PROJECTS.one("cp-1"),
            milestone,
            kind=kind,
            file=tr.EvidenceFile(content, media_type),
            amount=amount,
        )
    tr.verify_milestone(store, VERIFIER, DAY, PROJECTS.one("cp-1"), milestone)


def test_approval_draws_the_envelope_from_the_budget_line_and_each_returnees_share_from_their_caps(
    store: MemoryStore,
) -> None:
    project = approved_project(store, TWO_RETURNEES)
    assert project.status is ProjectStatus.APPROVED
    assert project.envelope == 150000
    assert b.balance(store, "budget:eurp:individual:committed") == 150000
    assert b.balance(store, "project:cp-1:remaining") == 150000
    assert [s.amount for s in project.counted] == [25000, 25000]
    assert used(store, "case-a") == used(store, "case-a", "person:p") == 25000


def test_a_project_with_too_few_community_members_is_not_approved(store: MemoryStore) -> None:
    draft_project(store, participants(returnee("case-a"), returnee("case-b"), community=1))
    cs.submit_project(store, AUTHOR, DAY, "cp-1")
    with pytest.raises(ParticipationTooLow) as refused:
        cs.approve_project(store, APPROVER, DAY, "cp-1")
    assert refused.value.details["used"] == "1"
    assert b.balance(store, "budget:eurp:individual:committed") == 0


def test_an_envelope_worth_more_than_the_policy_allows_per_participant_is_refused(
    store: MemoryStore,
) -> None:
    draft_project(store, participants(returnee("case-a"), community=1), project_content())
    cs.submit_project(store, AUTHOR, DAY, "cp-1")
    with pytest.raises(ValuePerParticipantExceeded) as refused:
        cs.approve_project(store, APPROVER, DAY, "cp-1")
    assert refused.value.details["size"] == "800.00"


def test_whoever_drafted_a_project_cannot_approve_it(store: MemoryStore) -> None:
    draft_project(store, TWO_RETURNEES)
    cs.submit_project(store, AUTHOR, DAY, "cp-1")
    with pytest.raises(FourEyesViolation):
        cs.approve_project(store, AUTHOR, DAY, "cp-1")


def test_a_share_that_would_push_a_returnee_over_their_cap_refuses_the_whole_project(
    store: MemoryStore,
) -> None:
    b.approved_package(store, "case-a", b.in_kind("house", 250000))
    draft_project(store, TWO_RETURNEES)
    cs.submit_project(store, AUTHOR, DAY, "cp-1")
    with pytest.raises(LimitExceeded) as refused:
        cs.approve_project(store, APPROVER, DAY, "cp-1")
    assert refused.value.field == "cap:case-a:household"
    assert refused.value.details["requested"] == "250.00"
    assert used(store, "case-a") == 250000
    assert used(store, "case-b") == 0
    assert b.balance(store, "budget:eurp:individual:committed") == 250000


def test_the_area_is_an_iso_3166_2_subdivision_of_the_country(store: MemoryStore) -> None:
    content = project_content()
    wrong = ev.Community(country="NE", area="SN-DK")
    with pytest.raises(ValidationFailed) as refused:
        draft_project(
            store, TWO_RETURNEES, content=msgspec.structs.replace(content, community=wrong)
        )
    assert refused.value.field == "community.area"


def test_community_members_are_recorded_only_the_way_the_policy_asks(store: MemoryStore) -> None:
    named = ev.Participants(returnees=(returnee("case-a"),), members=("m-1", "m-2"))
    with pytest.raises(ValidationFailed) as refused:
        draft_project(store, named)
    assert refused.value.field == "participants.members"


def test_a_returnee_joining_a_running_project_shares_it_and_the_others_give_back(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    more = participants(returnee("case-a"), returnee("case-b"), returnee("case-c"), community=5)
    project = cs.change_participants(store, AUTHOR, DAY, "cp-1", participants=more)
    assert [s.amount for s in project.counted] == [18750, 18750, 18750]
    assert [used(store, c) for c in ("case-a", "case-b", "case-c")] == [18750] * 3


def test_participants_of_a_running_project_still_include_the_community(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    fewer = participants(returnee("case-a"), returnee("case-b"), community=1)
    with pytest.raises(ParticipationTooLow):
        cs.change_participants(store, AUTHOR, DAY, "cp-1", participants=fewer)


def test_tranches_go_to_the_partner_in_cash_and_to_the_supplier_in_kind_once_verified(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    with pytest.raises(MilestoneNotVerified):
        release(store, AUTHOR, "c1")
    verified(store, "cleared", (ev.EvidenceKind.PHOTO, PNG))
    project = release(store, AUTHOR, "c1")
    assert project.status is ProjectStatus.ACTIVE
    assert [(p.payee, p.amount) for p in project.payments] == [(PARTNER, 30000)]
    verified(
        store, "pumping", (ev.EvidenceKind.PHOTO, PNG + b"pump"), (ev.EvidenceKind.RECEIPT, PDF)
    )
    project = release(store, AUTHOR, "k1")
    assert read_opened(store, project).payments[-1].payee == PUMP_SUPPLIER
    assert b.balance(store, "project:cp-1:pending") == 120000


def test_a_tranche_is_an_ordinary_disbursement_in_the_projects_office_and_accounts(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    verified(store, "cleared", (ev.EvidenceKind.PHOTO, PNG))
    sent = release(store, AUTHOR, "c1").payments[0]
    with store.reading() as uow:
        d = ps.load_disbursement(uow.disbursements, sent.payment_id, AUTHOR)
    assert (d.project_id, d.tranche_id, d.office, d.amount) == ("cp-1", "c1", b.OFFICE, 30000)
    assert (d.package_id, d.case_id, d.channel) == ("", "", dis.Channel.BANK)
    assert b.balance(store, "project:cp-1:pending") == 30000
    assert b.balance(store, "project:cp-1:remaining") == 120000


def test_whoever_released_a_payment_cannot_approve_it_and_a_failed_one_goes_again(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    verified(store, "cleared", (ev.EvidenceKind.PHOTO, PNG))
    sent = release(store, AUTHOR, "c1").payments[0]
    with pytest.raises(FourEyesViolation):
        ps.approve_disbursement(store, AUTHOR, DAY, sent.payment_id)
    with pytest.raises(InvalidTransition):
        release(store, AUTHOR, "c1")
    ps.fail_disbursement(store, PAYER, DAY, sent.payment_id, "the account is closed")
    assert b.balance(store, "project:cp-1:remaining") == 150000
    again = release(store, AUTHOR, "c1").payments[-1]
    pay(store, again.payment_id, "BANK-77")
    with store.reading() as uow:
        project = cs.load_project(uow.projects, "cp-1", AUTHOR)
    assert project.paid() == 30000
    assert [p.status.value for p in project.payments] == ["failed", "paid"]
    assert b.balance(store, "project:cp-1:paid") == 30000
    assert verify_audit(store).ok


def test_a_reversed_tranche_payment_is_owed_again_while_the_project_runs(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    verified(store, "cleared", (ev.EvidenceKind.PHOTO, PNG))
    sent = release(store, AUTHOR, "c1").payments[0]
    pay(store, sent.payment_id, "BANK-1")
    ps.reverse_disbursement(store, APPROVER, DAY, sent.payment_id, "paid to the wrong account")
    assert b.balance(store, "project:cp-1:paid") == 0
    assert b.balance(store, "project:cp-1:remaining") == 150000
    project = release(store, AUTHOR, "c1")
    assert project.pending() == 30000
    assert verify_audit(store).ok


def test_an_abandoned_project_gives_back_what_was_never_paid_and_shrinks_the_shares(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    verified(store, "cleared", (ev.EvidenceKind.PHOTO, PNG))
    sent = release(store, AUTHOR, "c1").payments[0]
    pay(store, sent.payment_id, "BANK-1")
    with pytest.raises(InvalidTransition):
        ca.close_project(store, AUTHOR, DAY, "cp-1", end=ev.ProjectEnd.COMPLETED)
    project = ca.close_project(store, AUTHOR, DAY, "cp-1", end=ev.ProjectEnd.ABANDONED)
    assert project.status is ProjectStatus.ABANDONED
    assert b.balance(store, "budget:eurp:individual:committed") == 30000
    assert [s.amount for s in project.counted] == [5000, 5000]
    assert used(store, "case-a") == 5000
    assert verify_audit(store).ok


def test_outcomes_reached_are_reported_at_milestones_and_never_exceed_the_participants(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    project = ca.report_outcomes(
        store,
        AUTHOR,
        DAY,
        "cp-1",
        "cleared",
        returnees_reached=2,
        community_reached=4,
        jobs_created=3,
        services_created=0,
    )
    assert project.outcomes[0].jobs_created == 3
    with pytest.raises(ValidationFailed) as refused:
        ca.report_outcomes(
            store,
            AUTHOR,
            DAY,
            "cp-1",
            "cleared",
            returnees_reached=3,
            community_reached=0,
            jobs_created=0,
            services_created=0,
        )
    assert refused.value.field == "returnees_reached"


def test_a_completed_project_has_paid_every_tranche_and_replays_to_the_same_state(
    store: MemoryStore,
) -> None:
    approved_project(store, TWO_RETURNEES)
    verified(store, "cleared", (ev.EvidenceKind.PHOTO, PNG))
    verified(
        store, "pumping", (ev.EvidenceKind.PHOTO, PNG + b"pump"), (ev.EvidenceKind.RECEIPT, PDF)
    )
    for tranche in ("c1", "k1"):
        sent = release(store, AUTHOR, tranche).payments[-1]
        pay(store, sent.payment_id, f"BANK-{tranche}")
    verified(
        store,
        "planted",
        (ev.EvidenceKind.RECEIPT, PDF + b"2"),
        (ev.EvidenceKind.MONITORING_REPORT, PNG + b"m"),
    )
    last = release(store, AUTHOR, "c2").payments[-1]
    pay(store, last.payment_id, "BANK-c2")
    project = ca.close_project(store, AUTHOR, DAY, "cp-1", end=ev.ProjectEnd.COMPLETED)
    assert project.status is ProjectStatus.COMPLETED
    assert project.paid() == project.envelope
    assert [s.amount for s in project.counted] == [25000, 25000]
    assert verify_audit(store).ok


def test_receipts_must_justify_what_was_paid_before_the_next_tranche(store: MemoryStore) -> None:
    approved_project(store, TWO_RETURNEES)
    verified(store, "cleared", (ev.EvidenceKind.PHOTO, PNG))
    sent = release(store, AUTHOR, "c1").payments[-1]
    pay(store, sent.payment_id, "BANK-c1")
    verified(
        store,
        "planted",
        (ev.EvidenceKind.RECEIPT, PDF),
        (ev.EvidenceKind.MONITORING_REPORT, PNG + b"m"),
        receipts=1000,
    )
    with pytest.raises(ReceiptsShort):
        release(store, AUTHOR, "c2")


def test_a_returnees_entitlement_shows_individual_and_community_shares_side_by_side(
    store: MemoryStore,
) -> None:
    b.approved_package(store, "case-a", b.in_kind("house", 100000))
    approved_project(store, TWO_RETURNEES)
    shown = prog.case_entitlement(store, b.OFFICER, "case-a", DAY.date())
    household = next(c for c in shown.caps if c.account == "cap:case-a:household")
    cash = next(c for c in shown.caps if c.account == "cap:case-a:cash")
    own = next(c for c in shown.caps if c.account == "cap:case-a:person:p")
    assert (household.individual, household.community, household.used) == (100000, 25000, 125000)
    assert own.community == 25000
    assert cash.community == 0
    assert [(s.project_id, s.member_id, s.amount) for s in shown.community_shares] == [
        ("cp-1", "p", 25000)
    ]
