"""What must hold of community projects after any sequence of commands, checked from a
store's snapshot (projections and ledger) alone."""

from __future__ import annotations

from collections import defaultdict

from reintegrate.community.projects import (
    CommunityProject,
    PaymentStatus,
    ProjectStatus,
    per_capita_shares,
)
from reintegrate.policy_community import CommunityRules
from reintegrate.store.base import Snapshot

DECIDED = (
    ProjectStatus.APPROVED,
    ProjectStatus.ACTIVE,
    ProjectStatus.COMPLETED,
    ProjectStatus.ABANDONED,
)
CLOSED = (ProjectStatus.COMPLETED, ProjectStatus.ABANDONED)


def held_by_projects(snapshot: Snapshot, budget_code: str) -> dict[str, int]:
    """What projects hold of every cap (counted shares) and of the budget line (the
    envelope while the project runs, what was paid once it is closed)."""
    held: dict[str, int] = defaultdict(int)
    for p in snapshot.projects.values():
        if p.status not in DECIDED:
            continue
        held[budget_code] += p.paid() if p.status in CLOSED else p.envelope
        for share in p.counted:
            held[f"cap:{share.case_id}:household"] += share.amount
            held[f"cap:{share.case_id}:person:{share.member_id}"] += share.amount
    return held


def check_project(p: CommunityProject, snapshot: Snapshot, rules: CommunityRules) -> None:
    """The participation rule, the value per participant, the counted shares and the
    project's own accounts, for a project that was approved."""
    if p.status not in DECIDED:
        assert not p.counted, f"{p.project_id} counts shares before approval"
        assert f"project:{p.project_id}:remaining" not in snapshot.balances
        return
    members, total = p.participants.community_members, p.participants.total
    assert members >= rules.min_community_share_value() * total, f"{p.project_id} participation"
    assert p.decided_by not in (p.drafted_by, p.submitted_by), f"{p.project_id} four eyes"
    _check_shares(p)
    _check_accounts(p, snapshot)


def check_value(p: CommunityProject, most_per_participant: int) -> None:
    if p.status in DECIDED:
        assert p.envelope <= most_per_participant * p.participants.total, p.project_id


def _check_shares(p: CommunityProject) -> None:
    if not p.counts_against_caps:
        assert not p.counted
        return
    basis = p.paid() if p.status in CLOSED else p.envelope
    expected = {
        (s.case_id, s.member_id): s.amount for s in per_capita_shares(basis, p.participants)
    }
    counted = {(s.case_id, s.member_id): s.amount for s in p.counted}
    assert counted == {k: v for k, v in expected.items() if v}, f"{p.project_id} shares"


def _check_accounts(p: CommunityProject, snapshot: Snapshot) -> None:
    code = f"project:{p.project_id}"
    remaining, pending, paid = (
        snapshot.balances[f"{code}:{part}"] for part in ("remaining", "pending", "paid")
    )
    assert min(remaining, pending, paid) >= 0
    assert paid == p.paid(), f"{p.project_id}: ledger paid {paid}, payments {p.paid()}"
    assert pending == p.pending(), f"{p.project_id}: ledger pending {pending}"
    if p.status in CLOSED:
        assert remaining == 0, f"{p.project_id} closed with money left"
        assert pending == 0, f"{p.project_id} closed with money in flight"
    else:
        assert remaining + pending + paid == p.envelope, f"{p.project_id} envelope"
    for t in p.tranches:
        sent = [x for x in p.payments if x.tranche_id == t.tranche_id]
        live = [x for x in sent if x.status in (PaymentStatus.PENDING, PaymentStatus.PAID)]
        assert len(live) <= 1, f"{t.tranche_id} of {p.project_id} paid twice"
        assert t.released == bool(live), f"{t.tranche_id} of {p.project_id} release state"
