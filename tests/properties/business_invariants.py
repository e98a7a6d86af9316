"""What must hold after every command on business plans, recomputed from the projections.

Each check reads a `Snapshot` and asserts; the ledger's balances are compared with what the
plans, packages and disbursements say they must be, rather than trusted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.business.plans import BusinessPlan, PlanStatus
from reintegrate.grants.disbursements import IN_FLIGHT, DisbursementStatus
from reintegrate.grants.packages import OPEN_FOR_PAYMENT, Package, PackageStatus
from reintegrate.grants.postings import component_code
from reintegrate.kinds import Form
from reintegrate.store.base import Snapshot
from reintegrate.tranches.milestones import EvidenceStatus, Milestone
from reintegrate.tranches.release import unlocking

PARTS = ("remaining", "pending", "paid")
PACKAGES_OF_PLAN: dict[PlanStatus, tuple[PackageStatus, ...]] = {
    PlanStatus.DRAFT: (),
    PlanStatus.SUBMITTED: (PackageStatus.SUBMITTED,),
    PlanStatus.ASSESSED: (PackageStatus.SUBMITTED,),
    PlanStatus.APPROVED: OPEN_FOR_PAYMENT,
    PlanStatus.ACTIVE: OPEN_FOR_PAYMENT,
    PlanStatus.COMPLETED: (PackageStatus.CLOSED,),
    PlanStatus.FAILED: (PackageStatus.CLOSED,),
    PlanStatus.ABANDONED: (PackageStatus.CLOSED, PackageStatus.CANCELLED),
}
"""The statuses an owner's package may have while its plan has a status."""


def check_plan(plan: BusinessPlan, snapshot: Snapshot, gave_back: bool, share: Decimal) -> None:
    """Every rule of one plan; `gave_back`: an owner left it without reallocating."""
    check_tranches_gated(plan)
    check_allotments(plan, gave_back)
    check_owner_packages(plan, snapshot)
    check_tranche_disbursements(plan, snapshot)
    check_plan_four_eyes(plan)
    check_receipts(plan, share)


def check_tranches_gated(plan: BusinessPlan) -> None:
    """No tranche released before its milestone was verified; its parts add up to it."""
    for t in plan.tranches:
        if not t.released:
            assert not t.parts, f"{plan.plan_id}/{t.tranche_id} has parts but is not released"
            continue
        gate = unlocking(plan.milestones, t.tranche_id)
        assert gate.verified_on is not None, f"{t.tranche_id} released, {gate.milestone_id} not"
        assert t.released_on is not None
        assert gate.verified_on <= t.released_on, f"{t.tranche_id} released before verified"
        assert plan.activated_on is not None
        assert plan.activated_on <= t.released_on, f"{t.tranche_id} released before activation"
        assert t.amount > 0, f"{t.tranche_id} released with nothing to pay"
        assert sum(p.amount for p in t.parts) == t.amount, f"parts of {t.tranche_id} != amount"
        assert all(p.amount > 0 for p in t.parts), f"{t.tranche_id} has an empty part"


def check_allotments(plan: BusinessPlan, gave_back: bool) -> None:
    """Allotments and tranches of each part add up; nobody is tranched beyond their
    allotment; released <= grant."""
    for c in plan.components:
        part = c.component_id
        allotted = sum(o.allotted.get(part, 0) for o in plan.owners)
        tranches = [t for t in plan.tranches if t.component_id == part]
        in_tranches = sum(t.amount for t in tranches)
        assert allotted == in_tranches, f"{plan.plan_id}/{part}: {allotted} != {in_tranches}"
        assert in_tranches <= c.amount, f"{plan.plan_id}/{part}: tranches above the grant"
        if not gave_back:
            assert in_tranches == c.amount, f"{plan.plan_id}/{part}: tranches != the grant"
        for n, o in enumerate(plan.owners):
            paid = sum(p.amount for t in tranches for p in t.parts if p.owner == n)
            assert o.tranched.get(part, 0) == paid, f"owner {n} of {plan.plan_id}: tranched"
            assert 0 <= paid <= o.allotted.get(part, 0), f"owner {n} tranched beyond allotment"
            if o.left:
                assert o.still_owed(part) == 0, f"owner {n} left but is still owed {part}"
    released = sum(t.amount for t in plan.tranches if t.released)
    assert released <= plan.grant, f"{plan.plan_id}: released {released} > {plan.grant}"


def check_owner_packages(plan: BusinessPlan, snapshot: Snapshot) -> None:
    """Each owner's package carries exactly their allotment and follows the plan's status."""
    allowed = PACKAGES_OF_PLAN[plan.status]
    for o in plan.owners:
        if o.package_id is None:
            assert plan.submitted_by is None, f"{plan.plan_id} submitted, an owner has no package"
            continue
        pkg = snapshot.packages[o.package_id]
        assert pkg.plan_id == plan.plan_id, f"{pkg.package_id} is not of {plan.plan_id}"
        assert pkg.case_id == o.case_id, f"{pkg.package_id} is not of case {o.case_id}"
        assert pkg.status in allowed, f"{pkg.package_id} {pkg.status} in a {plan.status} plan"
        for c in plan.components:
            comp = pkg.component(c.component_id)
            carried = comp.amount if comp is not None else 0
            assert carried == o.allotted.get(c.component_id, 0), (
                f"{pkg.package_id}/{c.component_id}: carries {carried}, allotted "
                f"{o.allotted.get(c.component_id, 0)}"
            )
            assert comp is None or comp.member_id == o.member_id


def check_tranche_disbursements(plan: BusinessPlan, snapshot: Snapshot) -> None:
    for t in plan.tranches:
        for p in t.parts:
            d = snapshot.disbursements[p.disbursement_id]
            assert p.package_id == plan.owners[p.owner].package_id == d.package_id
            assert d.component_id == t.component_id, f"{d.disbursement_id} pays another part"
            assert d.programme_amount == p.amount, f"{d.disbursement_id} pays another amount"
            assert d.requested_on == t.released_on


def check_plan_four_eyes(plan: BusinessPlan) -> None:
    authors = (plan.drafted_by, plan.submitted_by)
    if plan.assessment is not None:
        assert plan.assessment.assessed_by not in authors, f"{plan.plan_id} assessed by author"
    if plan.approved_by is not None:
        assert plan.approved_by not in authors, f"{plan.plan_id} approved by an author"
        assert plan.assessment is not None, f"{plan.plan_id} approved unassessed"
        assert plan.assessment.passed, f"{plan.plan_id} approved with a failed assessment"
    for m in plan.milestones:
        check_milestone(plan.plan_id, m)


def check_milestone(plan_id: str, m: Milestone) -> None:
    accepted = [e for e in m.evidence if e.status is EvidenceStatus.ACCEPTED]
    if m.verified_by is None:
        assert not accepted, f"{plan_id}/{m.milestone_id}: accepted evidence, not verified"
        return
    assert m.verified_by not in {e.submitted_by for e in accepted}, (
        f"{plan_id}/{m.milestone_id} verified by {m.verified_by}, who submitted its evidence"
    )
    missing = set(m.required) - {e.kind for e in accepted}
    assert not missing, f"{plan_id}/{m.milestone_id} verified without {missing}"
    assert not m.pending(), f"{plan_id}/{m.milestone_id} verified with evidence pending"


def check_receipts(plan: BusinessPlan, share: Decimal) -> None:
    """Before each release, receipts justified `share` of what was released before it: so
    now they justify at least that share of all released but the largest tranche."""
    released = [t.amount for t in plan.tranches if t.released]
    before_last = sum(released) - max(released, default=0)
    proven = sum(
        e.amount or 0
        for m in plan.milestones
        for e in m.evidence
        if e.status is EvidenceStatus.ACCEPTED and e.kind in ev.PAYMENT_PROOFS
    )
    assert proven >= share * before_last, f"{plan.plan_id}: receipts {proven} < {before_last}"


def held(snapshot: Snapshot) -> dict[tuple[str, str], int]:
    """What each approved package's component holds of the caps, from the projections alone:
    all of it while open, what was paid or is in flight once closed or cancelled. Checks
    on the way that the ledger's remaining/pending/paid agree with the disbursements."""
    flows: dict[tuple[str, str, str], int] = defaultdict(int)
    for d in snapshot.disbursements.values():
        if d.status in IN_FLIGHT:
            flows[d.package_id, d.component_id, "pending"] += d.programme_amount
        elif d.status is DisbursementStatus.PAID:
            flows[d.package_id, d.component_id, "paid"] += d.programme_amount
    holding: dict[tuple[str, str], int] = {}
    for pkg in snapshot.packages.values():
        for c in pkg.components:
            key = (pkg.package_id, c.component_id)
            holding[key] = _component_holds(snapshot, pkg, c, flows)
    return holding


def _component_holds(
    snapshot: Snapshot, pkg: Package, c: ev.ComponentSpec, flows: dict[tuple[str, str, str], int]
) -> int:
    codes = {part: component_code(pkg.package_id, c.component_id, part) for part in PARTS}
    if pkg.approved_on is None:
        assert not any(code in snapshot.balances for code in codes.values())
        return 0
    pending = flows[pkg.package_id, c.component_id, "pending"]
    paid = flows[pkg.package_id, c.component_id, "paid"]
    is_open = pkg.status in OPEN_FOR_PAYMENT
    remaining = c.amount - pending - paid if is_open else 0
    assert remaining >= 0, f"{pkg.package_id}/{c.component_id}: paid beyond approved"
    expected = {"remaining": remaining, "pending": pending, "paid": paid}
    actual = {part: snapshot.balances[code] for part, code in codes.items()}
    assert actual == expected, f"{pkg.package_id}/{c.component_id}: {actual} != {expected}"
    if is_open:
        assert sum(actual.values()) == c.amount, "approved != remaining + pending + paid"
    return remaining + pending + paid


def check_caps(
    snapshot: Snapshot, budget: int, budget_code: str, others: Mapping[str, int] | None = None
) -> None:
    """Every cap's and the budget line's used part is what the packages hold (plus what
    `others`, e.g. community projects, hold of them), and used + available = what was
    granted, with nothing below zero."""
    holding = held(snapshot)
    used: dict[str, int] = defaultdict(int, others or {})
    for pkg in snapshot.packages.values():
        if pkg.approved_on is None:
            continue
        for c in pkg.components:
            amount = holding[pkg.package_id, c.component_id]
            used[f"cap:{pkg.case_id}:household"] += amount
            used[f"cap:{pkg.case_id}:cash"] += amount if c.form == Form.CASH else 0
            used[f"cap:{pkg.case_id}:person:{c.member_id}"] += amount
            used[budget_code] += amount
    sizes = {budget_code: budget}
    for case_id, grant in snapshot.grants.items():
        sizes[f"cap:{case_id}:household"] = grant.household
        sizes[f"cap:{case_id}:cash"] = grant.cash
        sizes |= {f"cap:{case_id}:person:{m}": size for m, size in grant.persons.items()}
    assert set(used) <= set(sizes), f"caps drawn but never granted: {set(used) - set(sizes)}"
    for code, size in sizes.items():
        available = snapshot.balances[code]
        taken = snapshot.balances[f"{code}:{'committed' if code == budget_code else 'used'}"]
        assert taken == used.get(code, 0), (
            f"{code}: ledger used {taken}, packages hold {used.get(code, 0)}"
        )
        assert available >= 0, f"{code} is below zero: {available}"
        assert available + taken == size, f"{code}: {available} + {taken} != {size}"


def check_disbursement_four_eyes(snapshot: Snapshot) -> None:
    for d in snapshot.disbursements.values():
        if d.approved_by is not None:
            assert d.approved_by != d.requested_by, f"{d.disbursement_id} approved by requester"
        if d.confirmed_by is not None:
            assert d.confirmed_by not in (d.requested_by, d.approved_by)
        if d.status is DisbursementStatus.PAID:
            assert d.confirmed_by is not None, f"{d.disbursement_id} paid unconfirmed"
            assert d.approved_by is not None, f"{d.disbursement_id} paid unapproved"
