"""Random sequences of business-plan commands, on the in-memory store and on SQLite side by side.

Plans of one owner or of a group (owners from one case or several, with different parts),
paid in cash and in kind (one or two suppliers), in tranches given as amounts or shares, go
through drafting, assessment, approval, evidence, verification, tranche releases, payments,
visits, owners leaving and the plan's end; every command is also tried by the wrong person
or in the wrong state. Both stores must accept a command with the same result or refuse it
with the same error, and a refused command writes nothing. After every step the two stores'
snapshots are equal, every rule in `business_invariants` holds on them, an ended plan has
not changed since it ended, and the audit (hash chain, replay, ledger) is clean on both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from reintegrate import events as ev
from reintegrate.business.plans import (
    ENDED,
    FUNDED,
    TAKING_EVIDENCE,
    AssessmentFailed,
    BusinessPlan,
    PlanStatus,
)
from reintegrate.entitlement import add_months
from reintegrate.errors import DomainError, FourEyesViolation, InvalidTransition
from reintegrate.grants.disbursements import IN_FLIGHT, Channel, Disbursement, DisbursementStatus
from reintegrate.kinds import Form
from reintegrate.policy_business import BusinessRules
from reintegrate.services import audit
from reintegrate.services import business as bs
from reintegrate.services import business_milestones as bm
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services import tranches as tr
from reintegrate.services.business import PLANS
from reintegrate.services.context import Actor
from reintegrate.services.notes import read_opened
from reintegrate.store.base import Snapshot
from reintegrate.tranches.evidence import DuplicateEvidence, file_hash
from reintegrate.tranches.milestones import EvidenceStatus, Milestone
from reintegrate.tranches.release import MilestoneNotVerified, Tranche, unlocking
from tests import builders as b
from tests.properties.business_invariants import (
    check_caps,
    check_disbursement_four_eyes,
    check_plan,
)
from tests.properties.business_strategies import (
    RATE,
    START,
    OwnerPick,
    budget_items,
    business_rules,
    content,
    grant_parts,
    owner_picks,
    plan_terms,
    scores,
)
from tests.properties.two_stores import Outcome, TwoStores

ACTORS = ("ana", "ben", "chi", "dee", "eve")
CASES = ("case-a", "case-b", "case-c")
MAX_PLANS = 4
BUDGET_CODE = f"budget:{b.PROGRAMME}:{b.LINE}"
PASSING = {"market": 5, "skills": 4, "viability": 5, "risk": 4}
FILES = ("pdf", "png", "pdf", "png", "pdf", "again", "empty", "mismatch")
index = st.integers(0, 1000)
actors = st.sampled_from(ACTORS)
mostly = st.integers(0, 4).map(bool)
"""True four times in five: pick an item in the state the command needs."""


def refused(outcome: Outcome, error: type[DomainError]) -> None:
    assert outcome.error == error.__name__, f"expected {error.__name__}, got {outcome}"


def staying(plan: BusinessPlan) -> list[int]:
    """The owners (by position) who have not left."""
    return [n for n, o in enumerate(plan.owners) if not o.left]


def fitting_end(plan: BusinessPlan) -> ev.PlanEnd | None:
    """Completed once every tranche is released; failed once a visit found it closed."""
    if plan.status is PlanStatus.ACTIVE and all(t.released or not t.amount for t in plan.tranches):
        return ev.PlanEnd.COMPLETED
    if any(v.status is ev.VisitStatus.CLOSED for v in plan.visits):
        return ev.PlanEnd.FAILED
    return None


def complete(m: Milestone) -> bool:
    """Every kind of evidence the milestone requires was offered and not rejected."""
    offered = {e.kind for e in m.evidence if e.status is not EvidenceStatus.REJECTED}
    return set(m.required) <= offered


class BusinessSequences(TwoStores):
    """The same business-plan commands on two stores; rules checked after every step."""

    id_modules = (bm, tr)

    def __init__(self) -> None:
        super().__init__()
        self.now = b.at(START + dt.timedelta(days=1))
        self.plans: list[str] = []
        self.gave_back: set[str] = set()
        self.ended: dict[str, BusinessPlan] = {}
        self.files: list[tuple[bytes, str]] = []
        self.members: dict[str, list[str]] = {}
        self.share = Decimal(0)
        self.budget = 0
        self.window_end = START
        self.released_any = False

    @initialize(
        rules=business_rules(),
        dependants=st.lists(st.integers(0, 2), min_size=3, max_size=3),
        budget=st.integers(1_000, 20_000),
        picks=owner_picks(),
        items=budget_items(least=10_00),
        data=st.data(),
        crew=st.permutations(ACTORS),
    )
    def open_the_programme_with_a_plan(
        self,
        *,
        rules: BusinessRules,
        dependants: list[int],
        budget: int,
        picks: list[OwnerPick],
        items: tuple[ev.BudgetItem, ...],
        data: st.DataObject,
        crew: list[str],
    ) -> None:
        """A programme funding business plans, three households, and a first plan that
        is drafted and (if the caps allow) funded."""
        self.open_the_programme(rules, dependants, budget)
        plan_id = self.draft(picks, items, data, crew[0], exact=True)
        assert plan_id is not None, "a plan without mistakes can be drafted"
        self.fund(plan_id, crew, same_submitter=False)

    def open_the_programme(self, rules: BusinessRules, dependants: list[int], budget: int) -> None:
        self.share, self.budget = rules.receipts_share_value(), budget * 100
        self.window_end = add_months(START, rules.window_months)
        policy = b.policy_for(b.PROGRAMME, business=rules)
        for store in self.stores:
            b.programme(store, policy=policy, budget=f"{budget}.00")
            for n, (case_id, count) in enumerate(zip(CASES, dependants, strict=True)):
                with self.same_ids(command=-1 - n):  # set-up: before any command
                    b.register(store, b.household(case_id, dependants=count))
            prog.record_fx_rate(store, b.ADMIN, b.SOON, RATE)
        self.members = {
            case_id: ["p", *(f"d{i}" for i in range(1, count + 1))]
            for case_id, count in zip(CASES, dependants, strict=True)
        }
        self.seen = [self.written(0), self.written(1)]

    # -- picking what a command acts on ---------------------------------------------------

    def snapshot(self) -> Snapshot:
        return self.memory.snapshot()

    def pick(self, number: int, *statuses: PlanStatus) -> BusinessPlan:
        """A plan in one of `statuses` if there is one, else any plan."""
        return self.pick_where(number, lambda p: p.status in statuses)

    def pick_where(self, number: int, wanted: Callable[[BusinessPlan], bool]) -> BusinessPlan:
        """A plan that is `wanted` if there is one, else any plan."""
        plans = [self.snapshot().plans[p] for p in self.plans]
        found = [p for p in plans if wanted(p)] or plans
        return found[number % len(found)]

    def owners(self, picks: list[OwnerPick], twice: bool) -> tuple[ev.Owner, ...]:
        """The owners picked, each once (or, when `twice`, the first one named again)."""
        found: dict[tuple[str, str], ev.Owner] = {}
        for case, member, parts in picks:
            case_id = CASES[case]
            member_id = self.members[case_id][member % len(self.members[case_id])]
            found.setdefault(
                (case_id, member_id), ev.Owner(case_id=case_id, member_id=member_id, parts=parts)
            )
        owners = tuple(found.values())
        return (*owners, owners[0]) if twice else owners

    # -- drafting and approval -----------------------------------------------------------

    def draft(
        self,
        picks: list[OwnerPick],
        items: tuple[ev.BudgetItem, ...],
        data: st.DataObject,
        actor: str,
        *,
        exact: bool = False,
    ) -> str | None:
        """Draft a plan; unless `exact`, now and then with a mistake (an owner named twice,
        tranches that do not add up)."""
        parts = grant_parts(items, self.now.date())
        tranches, milestones = data.draw(plan_terms(parts, exact))
        twice = not exact and data.draw(st.integers(0, 19)) == 0
        plan_id = f"bp{self.counter}"
        outcome = self.both(
            bs.draft_plan,
            Actor(actor),
            self.now,
            owners=self.owners(picks, twice),
            budget_line=b.LINE,
            content=content(items, tranches, milestones),
            plan_id=plan_id,
        )
        if not outcome.ok:
            return None
        self.plans.append(plan_id)
        return plan_id

    @precondition(lambda self: len(self.plans) < MAX_PLANS)
    @rule(picks=owner_picks(), items=budget_items(), data=st.data(), actor=actors)
    def draft_a_plan(
        self,
        picks: list[OwnerPick],
        items: tuple[ev.BudgetItem, ...],
        data: st.DataObject,
        actor: str,
    ) -> None:
        self.draft(picks, items, data, actor)

    @precondition(lambda self: len(self.plans) < MAX_PLANS)
    @rule(
        picks=owner_picks(),
        items=budget_items(),
        data=st.data(),
        crew=st.permutations(ACTORS),
        same_submitter=st.booleans(),
        steps=st.sampled_from([1, 2, 3, 4, 4, 4]),
    )
    def draft_and_fund_a_plan(
        self,
        *,
        picks: list[OwnerPick],
        items: tuple[ev.BudgetItem, ...],
        data: st.DataObject,
        crew: list[str],
        same_submitter: bool,
        steps: int,
    ) -> None:
        """Drafted, then submitted, assessed, approved and activated by the right people
        (mostly all the way, else the first `steps` of these)."""
        plan_id = self.draft(picks, items, data, crew[0])
        if plan_id is not None:
            self.fund(plan_id, crew, same_submitter=same_submitter, steps=steps)

    def fund(self, plan_id: str, crew: list[str], *, same_submitter: bool, steps: int = 4) -> None:
        moves: list[tuple[Callable[..., object], str, dict[str, Any]]] = [
            (bs.submit_plan, crew[0 if same_submitter else 1], {}),
            (bs.assess_plan, crew[2], {"scores": PASSING, "reasons": "a sound plan"}),
            (bs.approve_plan, crew[3], {}),
            (bs.activate_plan, crew[4], {}),
        ]
        for command, actor, extra in moves[:steps]:
            if not self.both(command, Actor(actor), self.now, plan_id, **extra).ok:
                return

    @rule(
        plan=index,
        step=st.sampled_from(["submit", "assess", "approve", "activate"]),
        actor=actors,
        marks=scores(),
        in_state=mostly,
    )
    def move_a_plan(
        self, plan: int, step: str, actor: str, marks: dict[str, int], in_state: bool
    ) -> None:
        """Submit, assess (any scores), approve or activate, by anyone; mostly a plan in the
        state the step needs."""
        wanted = {
            "submit": PlanStatus.DRAFT,
            "assess": PlanStatus.SUBMITTED,
            "approve": PlanStatus.ASSESSED,
            "activate": PlanStatus.APPROVED,
        }[step]
        found = self.pick(plan, *((wanted,) if in_state else ()))
        extra: dict[str, Any] = {"scores": marks, "reasons": "seen"} if step == "assess" else {}
        commands: dict[str, Callable[..., object]] = {
            "submit": bs.submit_plan,
            "assess": bs.assess_plan,
            "approve": bs.approve_plan,
            "activate": bs.activate_plan,
        }
        outcome = self.both(commands[step], Actor(actor), self.now, found.plan_id, **extra)
        if found.status is not wanted:
            refused(outcome, InvalidTransition)
        elif step == "approve" and not (found.assessment and found.assessment.passed):
            refused(outcome, AssessmentFailed)
        elif step in ("assess", "approve") and actor in (found.drafted_by, found.submitted_by):
            refused(outcome, FourEyesViolation)
        elif step != "approve" and max(marks.values()) <= 5:
            assert outcome.ok, f"{step} {found.plan_id} by {actor}: {outcome}"

    # -- evidence and milestones ---------------------------------------------------------

    def new_file(self, how: str) -> tuple[bytes, str]:
        """A file never seen before (or, for "again", one kept before when there is one)."""
        if how == "again" and self.files:
            return self.files[self.counter % len(self.files)]
        tag = f"evidence {self.counter}".encode()
        if how == "empty":
            return b"", "application/pdf"
        if how == "png":
            return b"\x89PNG\r\n\x1a\n" + tag, "image/png"
        return b"%PDF-1.7\n" + tag, "image/png" if how == "mismatch" else "application/pdf"

    def submit(
        self,
        *,
        found: BusinessPlan,
        m: Milestone,
        kind: ev.EvidenceKind,
        amount: int | None,
        actor: str,
        how: str = "pdf",
        currency: str = "EUR",
    ) -> Outcome:
        content, media_type = self.new_file(how)
        before = self.file_kept(content)
        outcome = self.both(
            tr.submit_evidence,
            Actor(actor),
            self.now,
            PLANS.one(found.plan_id),
            m.milestone_id,
            kind=kind,
            file=tr.EvidenceFile(content, media_type),
            amount=amount,
            currency=currency,
        )
        known = [file_hash(content) in self.memory.state.evidence_files, self.file_kept(content)]
        assert known[0] == known[1] == (outcome.ok or before), "a refused file was kept"
        if outcome.ok:
            self.files.append((content, media_type))
        return outcome

    def file_kept(self, content: bytes) -> bool:
        """Whether the SQL store kept the file (the memory store's files are read as is)."""
        with self.sql.unit_of_work() as uow:
            return uow.evidence_file_known(file_hash(content))

    @rule(
        plan=index,
        milestone=index,
        kind=st.sampled_from(ev.EvidenceKind),
        amount=st.integers(1, 2_000_00),
        in_xof=st.booleans(),
        how=st.sampled_from(FILES),
        actor=actors,
        sloppy=st.integers(0, 9),
    )
    def submit_evidence(
        self,
        *,
        plan: int,
        milestone: int,
        kind: ev.EvidenceKind,
        amount: int,
        in_xof: bool,
        how: str,
        actor: str,
        sloppy: int,
    ) -> None:
        """Any kind of evidence, a receipt with an amount (in EUR or XOF); sometimes a file
        kept before, an empty one, or one that is not what it says."""
        found = self.pick(plan, *TAKING_EVIDENCE)
        m = found.milestones[milestone % len(found.milestones)]
        states_amount = (kind in ev.PAYMENT_PROOFS) != (sloppy == 0)
        reused = how == "again" and bool(self.files)
        outcome = self.submit(
            found=found,
            m=m,
            kind=kind,
            amount=(amount * 656 // 100 if in_xof else amount) if states_amount else None,
            actor=actor,
            how=how,
            currency="XOF" if in_xof else "EUR",
        )
        if reused and found.status in TAKING_EVIDENCE:
            refused(outcome, DuplicateEvidence)

    def milestone(self, found: BusinessPlan, number: int) -> Milestone:
        """A milestone with pending evidence if there is one, else any."""
        ready = [m for m in found.milestones if m.pending()] or list(found.milestones)
        return ready[number % len(ready)]

    @rule(plan=index, milestone=index, actor=actors, by_submitter=st.booleans())
    def verify_a_milestone(self, plan: int, milestone: int, actor: str, by_submitter: bool) -> None:
        """Sometimes by who submitted its evidence: always refused."""
        found = self.pick(plan, *FUNDED)
        m = self.milestone(found, milestone)
        submitters = sorted({e.submitted_by for e in m.pending()})
        if by_submitter and submitters:
            actor = submitters[ACTORS.index(actor) % len(submitters)]
        outcome = self.both(
            tr.verify_milestone, Actor(actor), self.now, PLANS.one(found.plan_id), m.milestone_id
        )
        verifiable = found.status in FUNDED and not m.verified and complete(m)
        if actor in submitters:
            assert not outcome.ok, f"{actor} verified a milestone they gave evidence for"
            if verifiable:
                refused(outcome, FourEyesViolation)
        elif verifiable:
            assert outcome.ok, f"{m.milestone_id} could be verified by {actor}: {outcome}"

    @rule(
        plan=index,
        milestone=index,
        actor=actors,
        by_submitter=st.booleans(),
        reason=st.sampled_from(["the photo is blurred", " "]),
    )
    def reject_evidence(
        self, plan: int, milestone: int, actor: str, by_submitter: bool, reason: str
    ) -> None:
        found = self.pick(plan, *TAKING_EVIDENCE)
        m = self.milestone(found, milestone)
        submitters = sorted({e.submitted_by for e in m.pending()})
        if by_submitter and submitters:
            actor = submitters[ACTORS.index(actor) % len(submitters)]
        outcome = self.both(
            tr.reject_milestone_evidence,
            Actor(actor),
            self.now,
            PLANS.one(found.plan_id),
            m.milestone_id,
            reason=reason,
        )
        if found.status not in TAKING_EVIDENCE:
            refused(outcome, InvalidTransition)
        elif actor in submitters:
            refused(outcome, FourEyesViolation)
        elif m.pending() and reason.strip():
            assert outcome.ok, f"{actor} could reject {m.milestone_id}'s evidence: {outcome}"

    @rule(
        plan=index,
        milestone=index,
        crew=st.permutations(ACTORS),
        receipts=st.integers(1, 3_000_00),
        extra_receipt=st.sampled_from(["none", "here", "elsewhere"]),
        release=mostly,
    )
    def prove_and_verify_a_milestone(
        self,
        *,
        plan: int,
        milestone: int,
        crew: list[str],
        receipts: int,
        extra_receipt: str,
        release: bool,
    ) -> None:
        """Every kind of evidence a milestone needs, by one person; verified by another; its
        tranche then released, mostly. Sometimes one more receipt, for this milestone or
        (left pending, so it justifies nothing yet) for another."""
        found = self.pick_where(
            plan,
            lambda p: p.status is PlanStatus.ACTIVE and not all(m.verified for m in p.milestones),
        )
        open_ = [m for m in found.milestones if not m.verified] or list(found.milestones)
        m = open_[milestone % len(open_)]
        receipt = ev.EvidenceKind.RECEIPT
        elsewhere = [o for o in open_ if o is not m] if extra_receipt == "elsewhere" else []
        kinds = [(m, k) for k in m.required] + [(o, receipt) for o in elsewhere[:1]]
        kinds += [(m, receipt)] if extra_receipt == "here" else []
        for where, kind in kinds:
            amount = receipts if kind in ev.PAYMENT_PROOFS else None
            if not self.submit(found=found, m=where, kind=kind, amount=amount, actor=crew[0]).ok:
                return
        outcome = self.both(
            tr.verify_milestone, Actor(crew[1]), self.now, PLANS.one(found.plan_id), m.milestone_id
        )
        if outcome.ok and release and m.unlocks is not None:
            verified = self.snapshot().plans[found.plan_id]
            self.release(verified, verified.tranche(m.unlocks), crew[2])

    # -- tranches and their payments -----------------------------------------------------

    def release(self, found: BusinessPlan, t: Tranche, actor: str) -> Outcome:
        part = next(c for c in found.components if c.component_id == t.component_id)
        cash = part.form == Form.CASH
        outcome = self.both(
            bm.release_tranche,
            Actor(actor),
            self.now,
            found.plan_id,
            t.tranche_id,
            channel=Channel.MOBILE_MONEY if cash else Channel.SUPPLIER_TRANSFER,
            invoice_ref=None if cash else f"INV-{self.counter}",
        )
        self.released_any |= outcome.ok
        gate = unlocking(found.milestones, t.tranche_id)
        due = found.status is PlanStatus.ACTIVE and gate.verified and self.justified(found)
        if outcome.ok:
            assert due, f"{t.tranche_id} released unverified, unjustified or not active"
        elif due and t.amount and not t.released and self.in_windows(found):
            raise AssertionError(f"{t.tranche_id} is due and was refused: {outcome}")
        return outcome

    def justified(self, found: BusinessPlan) -> bool:
        """Accepted receipts prove the policy's share of what was already released."""
        released = sum(t.amount for t in found.tranches if t.released)
        proven = sum(
            e.amount or 0
            for m in found.milestones
            for e in m.evidence
            if e.status is EvidenceStatus.ACCEPTED and e.kind in ev.PAYMENT_PROOFS
        )
        return proven >= self.share * released

    def in_windows(self, found: BusinessPlan) -> bool:
        """Today is in the plan's window and in every owner's assistance window."""
        today, grants = self.now.date(), self.snapshot().grants
        ends = [grants[o.case_id].window_end for o in found.owners]
        return START <= today <= min([self.window_end, *ends])

    @rule(plan=index, tranche=index, actor=actors)
    def release_a_tranche(self, plan: int, tranche: int, actor: str) -> None:
        """Often before its milestone is verified: always refused then."""
        found = self.pick(plan, PlanStatus.ACTIVE)
        open_ = [t for t in found.tranches if not t.released] or list(found.tranches)
        t = open_[tranche % len(open_)]
        gate = unlocking(found.milestones, t.tranche_id)
        outcome = self.release(found, t, actor)
        if gate.verified:
            return
        assert not outcome.ok, f"tranche {t.tranche_id} released before {gate.milestone_id}"
        in_window = START <= self.now.date() <= self.window_end
        if found.status is PlanStatus.ACTIVE and in_window and not t.released and t.amount:
            refused(outcome, MilestoneNotVerified)

    def disbursements(self, *statuses: DisbursementStatus) -> list[Disbursement]:
        found = self.snapshot().disbursements.values()
        return [d for d in found if d.status in statuses]

    @staticmethod
    def fair(d: Disbursement, crew: list[str] | tuple[str, ...]) -> str:
        """Someone who neither requested nor approved `d`."""
        return next(a for a in crew if a not in (d.requested_by, d.approved_by))

    @precondition(lambda self: self.released_any)
    @rule(
        number=index,
        step=st.sampled_from(["approve", "confirm", "fail", "return"]),
        who=st.sampled_from(["fair", "fair", "requester", "approver"]),
        crew=st.permutations(ACTORS),
    )
    def move_a_disbursement(self, number: int, step: str, who: str, crew: list[str]) -> None:
        """Approve, confirm or fail what a release asked to pay, sometimes by the wrong person."""
        wanted = {
            "approve": (DisbursementStatus.REQUESTED,),
            "confirm": (DisbursementStatus.APPROVED,),
            "fail": IN_FLIGHT,
            "return": (DisbursementStatus.APPROVED,),
        }[step]
        candidates = self.disbursements(*wanted) or self.disbursements(*DisbursementStatus)
        d = candidates[number % len(candidates)]
        chosen = {"requester": d.requested_by, "approver": d.approved_by or d.requested_by}
        actor = Actor(chosen.get(who) or self.fair(d, crew))
        if step in ("approve", "confirm"):
            command = ps.approve_disbursement if step == "approve" else ps.confirm_disbursement
            outcome = self.both(command, actor, self.now, d.disbursement_id)
        else:
            outcome = self.both(
                ps.fail_disbursement,
                actor,
                self.now,
                d.disbursement_id,
                "mobile wallet closed",
                returned=step == "return",
            )
        deciding = step in ("approve", "confirm") and d.status in wanted
        if deciding and actor.user_id in (d.requested_by, d.approved_by):
            refused(outcome, FourEyesViolation)
        elif deciding or (step == "fail" and d.status in wanted):
            assert outcome.ok, f"{step} {d.disbursement_id} by {actor.user_id}: {outcome}"

    @precondition(lambda self: self.released_any)
    @rule(crew=st.permutations(ACTORS), confirm=mostly)
    def pay_what_was_released(self, crew: list[str], confirm: bool) -> None:
        """Every requested payment approved, and (mostly) every approved one confirmed, by
        others."""
        for d in self.disbursements(DisbursementStatus.REQUESTED):
            self.both(
                ps.approve_disbursement, Actor(self.fair(d, crew)), self.now, d.disbursement_id
            )
        for d in self.disbursements(DisbursementStatus.APPROVED) if confirm else []:
            self.both(
                ps.confirm_disbursement, Actor(self.fair(d, crew)), self.now, d.disbursement_id
            )

    # -- monitoring, owners leaving, the end ---------------------------------------------

    @rule(
        plan=index,
        status=st.sampled_from(ev.VisitStatus),
        days_ago=st.sampled_from([0, 0, 1, 2, 5, 30]),
        jobs=st.integers(-1, 3),
        actor=actors,
    )
    def record_a_visit(
        self, plan: int, status: ev.VisitStatus, days_ago: int, jobs: int, actor: str
    ) -> None:
        found = self.pick(plan, *FUNDED)
        outcome = self.both(
            bm.record_visit,
            Actor(actor),
            self.now,
            found.plan_id,
            on=self.now.date() - dt.timedelta(days=days_ago),
            status=status,
            revenue=ev.Sum(amount=jobs * 10_000, currency="EUR") if jobs > 0 else None,
            jobs_created=jobs,
            notes=" workshop visited ",
        )
        if found.status not in FUNDED:
            refused(outcome, InvalidTransition)

    @rule(
        plan=index,
        owner=st.integers(0, 3),
        reallocate=st.booleans(),
        actor=actors,
        in_state=mostly,
    )
    def an_owner_leaves(
        self, plan: int, owner: int, reallocate: bool, actor: str, in_state: bool
    ) -> None:
        """What they were still owed goes to the others, or back to their own caps; mostly
        an owner still there of a funded group business."""
        found = self.pick_where(plan, lambda p: p.status in FUNDED and len(staying(p)) > 1)
        if in_state:
            owner = staying(found)[owner % len(staying(found))]
        outcome = self.both(
            bm.owner_leaves,
            Actor(actor),
            self.now,
            found.plan_id,
            owner=owner,
            reallocate=reallocate,
            reason="moved to another town",
        )
        if outcome.ok and not reallocate:
            self.gave_back.add(found.plan_id)
        if found.status in FUNDED and staying(found) == [owner]:
            refused(outcome, InvalidTransition)

    @rule(plan=index, end=st.sampled_from(ev.PlanEnd), actor=actors, fitting=mostly)
    def end_a_plan(self, plan: int, end: ev.PlanEnd, actor: str, fitting: bool) -> None:
        """Complete, fail or abandon a plan; mostly the end its state allows, if any."""
        found = self.pick_where(plan, lambda p: p.status not in ENDED and bool(fitting_end(p)))
        end = (fitting_end(found) if fitting else None) or end
        outcome = self.both(bs.end_plan, Actor(actor), self.now, found.plan_id, end=end, reason="")
        if found.status in ENDED:
            refused(outcome, InvalidTransition)
        if outcome.ok:
            event(f"plan ended: {end.value}")
            assert isinstance(outcome.value, BusinessPlan)
            self.ended[found.plan_id] = outcome.value

    @rule(days=st.integers(1, 20) | st.sampled_from([60, 120]))
    def time_passes(self, days: int) -> None:
        self.now += dt.timedelta(days=days)

    # -- after every step ----------------------------------------------------------------

    @invariant()
    def every_rule_holds_on_both_stores(self) -> None:
        """The stores' snapshots are equal, so the rules are checked on one of them; the
        audit replays each store's own journal."""
        snapshots = [read_opened(store, store.snapshot()) for store in self.stores]
        assert snapshots[0] == snapshots[1], audit.compare(snapshots[0], snapshots[1])
        snapshot = snapshots[0]
        for plan_id, plan in snapshot.plans.items():
            check_plan(plan, snapshot, plan_id in self.gave_back, self.share)
            if plan_id in self.ended:
                assert plan == self.ended[plan_id], f"{plan_id} changed after it ended"
        check_caps(snapshot, self.budget, BUDGET_CODE)
        check_disbursement_four_eyes(snapshot)
        for store in self.stores:
            report = audit.verify_audit(store)
            assert report.ok, report


BusinessSequences.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_business_sequences = BusinessSequences.TestCase
