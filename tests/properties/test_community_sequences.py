"""Random sequences mixing individual packages and community projects for the same returnees,
on the in-memory store and on SQLite side by side.

Returnees get individual packages (approved, some cancelled) and take part in community
projects that are drafted, submitted, approved or rejected, whose participants change, whose
milestones are evidenced and verified, whose tranches are released as disbursements that are
approved, confirmed paid, failed or returned, and
which are completed or abandoned; every command may come from the wrong person or in the
wrong state. Both stores must agree on every result or refusal, and a refusal writes nothing.
After every step: no returnee's counted total (individual packages + counted community
shares) is over any of their caps; every approved project includes its community and stays
within its value per participant; the budget line holds exactly what packages and envelopes
hold of it and never goes below zero; and the audit is clean on both stores.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from reintegrate import events as ev
from reintegrate.community.drafting import ProjectContent
from reintegrate.community.projects import CommunityProject, PaymentStatus, ProjectStatus
from reintegrate.kinds import Dimension, Form
from reintegrate.money import parse_amount
from reintegrate.policy_community import CommunityRules
from reintegrate.services import audit
from reintegrate.services import community as cs
from reintegrate.services import community_activities as ca
from reintegrate.services import packages as ps
from reintegrate.services import tranches as tr
from reintegrate.services.community import PROJECTS
from reintegrate.services.context import Actor
from reintegrate.services.notes import read_opened
from reintegrate.store.base import Snapshot
from reintegrate.tranches.drafting import TrancheIn
from tests import builders as b
from tests.business.plan_builders import START, item
from tests.community.project_builders import CHECKS, PAYEE_ACCOUNT
from tests.properties.business_invariants import check_caps
from tests.properties.community_invariants import check_project, check_value, held_by_projects
from tests.properties.two_stores import TwoStores

ACTORS = ("ana", "ben", "chi", "dee")
STEPS = ("approve", "approve", "confirm", "confirm", "fail", "return")
CASES = ("case-a", "case-b", "case-c")
MAX_PROJECTS = 4
BUDGET_CODE = f"budget:{b.PROGRAMME}:{b.LINE}"
index = st.integers(0, 1000)
actors = st.sampled_from(ACTORS)
mostly = st.integers(0, 4).map(bool)
picks = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=3)


def community_rules() -> st.SearchStrategy[CommunityRules]:
    return st.builds(
        CommunityRules,
        min_community_share=st.sampled_from(["0", "0.3", "0.5", "0.6"]),
        max_per_participant=st.sampled_from(["50.00", "400.00", "400.00", "1000.00"]),
        counts_against_individual_cap=st.integers(0, 3).map(bool),
        receipts_share=st.sampled_from(["0", "0.5", "1"]),
    )


def project_content(cash: int, kind: int) -> ProjectContent:
    """Cash to the partner and goods from one supplier, one tranche and one milestone each."""
    items = [item("tools", cash, form=Form.CASH)] if cash else []
    items += [item("pump", kind, supplier="pumps-sarl")] if kind or not cash else []
    parts = [("cash", ev.EvidenceKind.PHOTO)] if cash else []
    parts += [("kind-1", ev.EvidenceKind.RECEIPT)] if kind or not cash else []
    return ProjectContent(
        community=ev.Community(country="SN", area="SN-DK"),
        kind=ev.ProjectKind.COLLECTIVE,
        description="a shared garden",
        partner="garden-coop",
        dimensions=(Dimension.ECONOMIC,),
        starts_on=START,
        ends_on=START + dt.timedelta(days=200),
        items=tuple(items),
        milestones=tuple(
            ev.MilestoneSpec(
                milestone_id=f"m-{component}",
                title=f"{component} delivered",
                evidence=(kind_of_proof,),
                due_on=START + dt.timedelta(days=30),
                unlocks=f"t-{component}",
            )
            for component, kind_of_proof in parts
        ),
        tranches=tuple(
            TrancheIn(tranche_id=f"t-{component}", component_id=component, share=Decimal(1))
            for component, _ in parts
        ),
    )


class CommunitySequences(TwoStores):
    """Individual packages and community projects of the same returnees on two stores."""

    id_modules = (cs, ca, ps, tr)

    def __init__(self) -> None:
        super().__init__()
        self.now = b.at(START + dt.timedelta(days=1))
        self.projects: list[str] = []
        self.packages: list[str] = []
        self.members: dict[str, list[str]] = {}
        self.community = CommunityRules(max_per_participant="1.00")
        self.budget = 0

    @initialize(
        rules=community_rules(),
        dependants=st.lists(st.integers(0, 2), min_size=3, max_size=3),
        budget=st.integers(1_000, 20_000),
    )
    def open_the_programme(self, rules: CommunityRules, dependants: list[int], budget: int) -> None:
        """A programme funding community projects and three households returned to Senegal."""
        self.community, self.budget = rules, budget * 100
        policy = b.policy_for(b.PROGRAMME, community=rules)
        for store in self.stores:
            b.programme(store, policy=policy, budget=f"{budget}.00")
            for n, (case_id, count) in enumerate(zip(CASES, dependants, strict=True)):
                with self.same_ids(command=-1 - n):  # set-up: before any command
                    b.register(store, b.household(case_id, dependants=count))
        self.members = {
            case_id: ["p", *(f"d{i}" for i in range(1, count + 1))]
            for case_id, count in zip(CASES, dependants, strict=True)
        }
        self.seen = [self.written(0), self.written(1)]

    # -- picking what a command acts on ---------------------------------------------------

    def pick(self, number: int, *statuses: ProjectStatus) -> CommunityProject:
        """A project in one of `statuses` if there is one, else any project."""
        projects = [self.memory.snapshot().projects[p] for p in self.projects]
        found = [p for p in projects if p.status in statuses] or projects
        return found[number % len(found)]

    def participants(self, chosen: list[tuple[int, int]], community: int) -> ev.Participants:
        returnees: dict[tuple[str, str], ev.ReturneeParticipant] = {}
        for case, member in chosen:
            case_id = CASES[case]
            member_id = self.members[case_id][member % len(self.members[case_id])]
            returnees[(case_id, member_id)] = ev.ReturneeParticipant(
                case_id=case_id, member_id=member_id
            )
        counts = (ev.MemberCount(sex=ev.CountedSex.FEMALE, age_band="18-35", count=community),)
        return ev.Participants(returnees=tuple(returnees.values()), counts=counts[:community])

    # -- individual packages --------------------------------------------------------------

    @rule(
        case=st.integers(0, 2),
        amount=st.integers(1, 3000),
        cash=st.booleans(),
        pair=st.permutations(ACTORS),
    )
    def a_returnee_gets_an_individual_package(
        self, case: int, amount: int, cash: bool, pair: list[str]
    ) -> None:
        spec = (b.cash if cash else b.in_kind)("c1", amount * 100)
        drafted = self.both(
            ps.draft_package,
            Actor(pair[0]),
            self.now,
            case_id=CASES[case],
            budget_line=b.LINE,
            components=(spec,),
        )
        assert drafted.ok
        package_id = drafted.value.package_id  # type: ignore[attr-defined]
        self.both(ps.submit_package, Actor(pair[0]), self.now, package_id)
        if self.both(ps.approve_package, Actor(pair[1]), self.now, package_id).ok:
            self.packages.append(package_id)

    @precondition(lambda self: bool(self.packages))
    @rule(package=index, actor=actors)
    def an_individual_package_is_cancelled(self, package: int, actor: str) -> None:
        package_id = self.packages[package % len(self.packages)]
        self.both(ps.cancel_package, Actor(actor), self.now, package_id, "returnee moved away")

    # -- community projects ---------------------------------------------------------------

    @precondition(lambda self: len(self.projects) < MAX_PROJECTS)
    @rule(
        chosen=picks,
        community=st.integers(0, 8),
        cash=st.integers(0, 800),
        kind=st.integers(0, 800),
        actor=actors,
        inclusive=mostly,
    )
    def a_project_is_drafted(  # noqa: PLR0917 - hypothesis passes rule arguments by name
        self,
        chosen: list[tuple[int, int]],
        community: int,
        cash: int,
        kind: int,
        actor: str,
        inclusive: bool,
    ) -> None:
        """Mostly with at least as many community members as returnees."""
        project_id = f"cp-{len(self.projects) + 1}"
        community = max(community, len(chosen)) if inclusive else community
        outcome = self.both(
            cs.draft_project,
            Actor(actor),
            self.now,
            budget_line=b.LINE,
            content=project_content(cash * 100, kind * 100),
            participants=self.participants(chosen, community),
            project_id=project_id,
        )
        if outcome.ok:
            self.projects.append(project_id)

    @precondition(lambda self: len(self.projects) < MAX_PROJECTS)
    @rule(
        chosen=picks,
        extra=st.integers(0, 4),
        cash=st.integers(0, 600),
        crew=st.permutations(ACTORS),
    )
    def a_project_goes_all_the_way_to_approval(
        self, chosen: list[tuple[int, int]], extra: int, cash: int, crew: list[str]
    ) -> None:
        """Drafted and submitted by one officer, approved by another: the usual path."""
        project_id = f"cp-{len(self.projects) + 1}"
        drafted = self.both(
            cs.draft_project,
            Actor(crew[0]),
            self.now,
            budget_line=b.LINE,
            content=project_content(cash * 100, 200_00),
            participants=self.participants(chosen, len(chosen) + extra),
            project_id=project_id,
        )
        if not drafted.ok:
            return
        self.projects.append(project_id)
        self.both(cs.submit_project, Actor(crew[0]), self.now, project_id)
        self.both(cs.approve_project, Actor(crew[1]), self.now, project_id)

    @precondition(lambda self: bool(self.projects))
    @rule(project=index, actor=actors, by_drafter=mostly)
    def a_project_is_submitted(self, project: int, actor: str, by_drafter: bool) -> None:
        found = self.pick(project, ProjectStatus.DRAFT)
        actor = found.drafted_by if by_drafter else actor
        self.both(cs.submit_project, Actor(actor), self.now, found.project_id)

    @precondition(lambda self: bool(self.projects))
    @rule(project=index, approve=mostly, actor=actors, fitting=mostly)
    def a_project_is_decided(self, project: int, approve: bool, actor: str, fitting: bool) -> None:
        """Approved or rejected; mostly by someone who neither drafted nor submitted it."""
        found = self.pick(project, ProjectStatus.SUBMITTED)
        if fitting:
            actor = next(a for a in ACTORS if a not in (found.drafted_by, found.submitted_by))
        if approve:
            self.both(cs.approve_project, Actor(actor), self.now, found.project_id)
        else:
            self.both(cs.reject_project, Actor(actor), self.now, found.project_id, reason="no")

    @precondition(lambda self: bool(self.projects))
    @rule(project=index, chosen=picks, community=st.integers(0, 8), actor=actors)
    def the_participants_change(
        self, project: int, chosen: list[tuple[int, int]], community: int, actor: str
    ) -> None:
        found = self.pick(project, ProjectStatus.APPROVED, ProjectStatus.ACTIVE)
        self.both(
            cs.change_participants,
            Actor(actor),
            self.now,
            found.project_id,
            participants=self.participants(chosen, community),
        )

    @precondition(lambda self: bool(self.projects))
    @rule(
        project=index, milestone=index, pair=st.permutations(ACTORS), receipt=st.integers(1, 3000)
    )
    def a_milestone_is_evidenced_and_verified(
        self, project: int, milestone: int, pair: list[str], receipt: int
    ) -> None:
        found = self.pick(project, ProjectStatus.APPROVED, ProjectStatus.ACTIVE)
        m = found.milestones[milestone % len(found.milestones)]
        for kind in m.required:
            content = f"%PDF-1.7\n% evidence {self.counter}\n".encode()
            self.both(
                tr.submit_evidence,
                Actor(pair[0]),
                self.now,
                PROJECTS.one(found.project_id),
                m.milestone_id,
                kind=kind,
                file=tr.EvidenceFile(content, "application/pdf"),
                amount=receipt * 100 if kind in ev.PAYMENT_PROOFS else None,
            )
        self.both(
            tr.verify_milestone,
            Actor(pair[1]),
            self.now,
            PROJECTS.one(found.project_id),
            m.milestone_id,
        )

    @precondition(lambda self: bool(self.projects))
    @rule(project=index, tranche=index, actor=actors, fitting=mostly)
    def a_tranche_is_released(self, project: int, tranche: int, actor: str, fitting: bool) -> None:
        """Mostly a tranche whose milestone is verified and that is not released yet."""
        found = self.pick(project, ProjectStatus.APPROVED, ProjectStatus.ACTIVE)
        verified = {m.unlocks for m in found.milestones if m.verified}
        ready = [t for t in found.tranches if t.tranche_id in verified and not t.released]
        choices = ready if fitting and ready else list(found.tranches)
        t = choices[tranche % len(choices)]
        self.both(
            ca.release_tranche,
            Actor(actor),
            self.now,
            found.project_id,
            t.tranche_id,
            payout=PAYEE_ACCOUNT,
            checks=CHECKS,
        )

    @precondition(lambda self: bool(self.projects))
    @rule(project=index, step=st.sampled_from(STEPS), actor=actors, fitting=mostly)
    def a_payment_moves(self, project: int, step: str, actor: str, fitting: bool) -> None:
        """A tranche's disbursement approved, confirmed paid, failed or returned; mostly one
        in flight, by someone else than who released (and approved) it."""
        found = self.pick(project, ProjectStatus.ACTIVE)
        pending = [p for p in found.payments if p.status is PaymentStatus.PENDING]
        chosen = (pending or list(found.payments))[:1]
        if not chosen:
            return
        payment_id = chosen[0].payment_id
        if fitting:
            d = self.stores[0].snapshot().disbursements[payment_id]
            actor = next(a for a in ACTORS if a not in (d.requested_by, d.approved_by))
        if step == "approve":
            self.both(ps.approve_disbursement, Actor(actor), self.now, payment_id)
        elif step == "confirm":
            self.both(ps.confirm_disbursement, Actor(actor), self.now, payment_id, "PRV-1")
        else:
            returned = step == "return"
            self.both(
                ps.fail_disbursement, Actor(actor), self.now, payment_id, step, returned=returned
            )

    @precondition(lambda self: bool(self.projects))
    @rule(project=index, end=st.sampled_from(ev.ProjectEnd), actor=actors, soon=mostly)
    def a_project_ends(self, project: int, end: ev.ProjectEnd, actor: str, soon: bool) -> None:
        """Completed or abandoned; abandoned rarely before its first payment."""
        found = self.pick(project, ProjectStatus.APPROVED, ProjectStatus.ACTIVE)
        if soon and found.status is ProjectStatus.APPROVED and end is ev.ProjectEnd.ABANDONED:
            return
        self.both(ca.close_project, Actor(actor), self.now, found.project_id, end=end)

    @rule(days=st.integers(1, 40))
    def time_passes(self, days: int) -> None:
        self.now += dt.timedelta(days=days)

    # -- after every step ----------------------------------------------------------------

    @invariant()
    def every_rule_holds_on_both_stores(self) -> None:
        snapshots: list[Snapshot] = [read_opened(s, s.snapshot()) for s in self.stores]
        assert snapshots[0] == snapshots[1], audit.compare(snapshots[0], snapshots[1])
        snapshot = snapshots[0]
        most = parse_amount(self.community.max_per_participant, "EUR")
        for p in snapshot.projects.values():
            check_project(p, snapshot, self.community)
            check_value(p, most)
        check_caps(snapshot, self.budget, BUDGET_CODE, held_by_projects(snapshot, BUDGET_CODE))
        for store in self.stores:
            report = audit.verify_audit(store)
            assert report.ok, report


CommunitySequences.TestCase.settings = settings(
    max_examples=80,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_community_sequences = CommunitySequences.TestCase
