"""Event types that journals written before kept for facts now recorded otherwise, and how
each is read today.

A business plan's and a community project's evidence and milestone events were two sets,
one keyed by `plan_id` and one by `project_id`; they are one set now, keyed by the grant
(`events.tranches`). The journal keeps every entry's bytes as written (its hashes cover
them), so these types stay readable: `decode_event` reads an entry's event and gives the
current event for a legacy one. Nothing records these types any more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec

from reintegrate.events.core import _Event
from reintegrate.events.tranches import (
    EvidenceKind,
    GrantEvidenceSubmitted,
    GrantKind,
    GrantMilestoneRejected,
    GrantMilestoneVerified,
)
from reintegrate.notes import Text


class _Evidence(msgspec.Struct, frozen=True, kw_only=True):
    milestone_id: str
    evidence_id: str
    kind: EvidenceKind
    file_hash: str
    media_type: str
    size: int
    on: dt.date
    amount: int | None = None


class EvidenceSubmitted(_Evidence, _Event, frozen=True):
    plan_id: str


class ProjectEvidenceSubmitted(_Evidence, _Event, frozen=True):
    project_id: str


class MilestoneVerified(_Event, frozen=True):
    plan_id: str
    milestone_id: str
    on: dt.date


class ProjectMilestoneVerified(_Event, frozen=True):
    project_id: str
    milestone_id: str
    on: dt.date


class MilestoneRejected(_Event, frozen=True):
    plan_id: str
    milestone_id: str
    reason: Text


class ProjectMilestoneRejected(_Event, frozen=True):
    project_id: str
    milestone_id: str
    reason: Text


LegacyEvent = (
    EvidenceSubmitted
    | ProjectEvidenceSubmitted
    | MilestoneVerified
    | ProjectMilestoneVerified
    | MilestoneRejected
    | ProjectMilestoneRejected
)

_PLAN, _PROJECT = GrantKind.BUSINESS_PLAN, GrantKind.COMMUNITY_PROJECT


def _evidence(e: _Evidence, grant: GrantKind, grant_id: str) -> GrantEvidenceSubmitted:
    return GrantEvidenceSubmitted(
        grant=grant,
        grant_id=grant_id,
        milestone_id=e.milestone_id,
        evidence_id=e.evidence_id,
        kind=e.kind,
        file_hash=e.file_hash,
        media_type=e.media_type,
        size=e.size,
        on=e.on,
        amount=e.amount,
    )


CURRENT: dict[type[Any], Callable[[Any], _Event]] = {
    EvidenceSubmitted: lambda e: _evidence(e, _PLAN, e.plan_id),
    ProjectEvidenceSubmitted: lambda e: _evidence(e, _PROJECT, e.project_id),
    MilestoneVerified: lambda e: GrantMilestoneVerified(
        grant=_PLAN, grant_id=e.plan_id, milestone_id=e.milestone_id, on=e.on
    ),
    ProjectMilestoneVerified: lambda e: GrantMilestoneVerified(
        grant=_PROJECT, grant_id=e.project_id, milestone_id=e.milestone_id, on=e.on
    ),
    MilestoneRejected: lambda e: GrantMilestoneRejected(
        grant=_PLAN, grant_id=e.plan_id, milestone_id=e.milestone_id, reason=e.reason
    ),
    ProjectMilestoneRejected: lambda e: GrantMilestoneRejected(
        grant=_PROJECT, grant_id=e.project_id, milestone_id=e.milestone_id, reason=e.reason
    ),
}
"""The current event for each legacy type, by the type."""
