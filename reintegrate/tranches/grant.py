"""What a grant paid in tranches shows the tranche mechanism, and the commands that record
evidence, verification and rejection for any such grant.

Each kind of grant keeps its own lifecycle: in which of its states it takes evidence and
has its milestones verified (`TrancheGrant.require_open`). The rest is the same for every
grant and written here once: the checks on a milestone and the events they record, keyed by
the grant (`events.tranches`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Protocol

from reintegrate import events as ev
from reintegrate.texts import Text
from reintegrate.tranches.evidence import refuse_duplicate
from reintegrate.tranches.milestones import (
    Milestone,
    check_evidence,
    check_rejectable,
    check_verifiable,
    milestone,
)
from reintegrate.tranches.release import Tranche


class Step(enum.StrEnum):
    """The steps on a grant's milestones, each named as the action it is refused as."""

    SUBMIT_EVIDENCE = "add evidence to"
    VERIFY = "verify a milestone of"
    REJECT_EVIDENCE = "reject evidence of"


STEP_WORDS: Mapping[Step, Text] = {
    Step.SUBMIT_EVIDENCE: Text("add evidence to"),
    Step.VERIFY: Text("verify a milestone of"),
    Step.REJECT_EVIDENCE: Text("reject evidence of"),
}
"""A step as the action said in a refusal."""


class TrancheGrant(Protocol):
    """A business plan or a community project, as the tranche mechanism sees it."""

    @property
    def grant_kind(self) -> ev.GrantKind: ...

    @property
    def grant_id(self) -> str: ...

    @property
    def currency(self) -> str:
        """The programme currency, in which amounts proven by receipts are booked."""
        ...

    @property
    def milestones(self) -> tuple[Milestone, ...]: ...

    @property
    def tranches(self) -> tuple[Tranche, ...]: ...

    @property
    def version(self) -> int: ...

    def require_open(self, step: Step) -> None:
        """Raise InvalidTransition unless the grant's state allows `step`."""
        ...


def open_milestone(grant: TrancheGrant, step: Step, milestone_id: str) -> Milestone:
    """The milestone `milestone_id` of a grant whose state allows `step`."""
    grant.require_open(step)
    return milestone(grant.milestones, milestone_id)


class EvidenceFileKept:
    """A file checked and kept as evidence: its name (SHA-256), media type and size."""

    def __init__(self, file_hash: str, media_type: str, size: int) -> None:
        self.file_hash, self.media_type, self.size = file_hash, media_type, size


def submit_evidence(
    grant: TrancheGrant,
    milestone_id: str,
    *,
    evidence_id: str,
    kind: ev.EvidenceKind,
    file: EvidenceFileKept,
    already_kept: bool,
    proven: Callable[[], int | None],
    today: dt.date,
) -> ev.GrantEvidenceSubmitted:
    """Evidence for an unverified milestone of a grant that takes evidence, checked in this
    order: the grant's state and the milestone, then the file (one kept before, `already_kept`,
    is a duplicate), then what it proves: a receipt or an invoice states the amount it proves
    spent, booked in the programme currency (`proven`, asked only then), nothing else does."""
    m = open_milestone(grant, Step.SUBMIT_EVIDENCE, milestone_id)
    refuse_duplicate(already_kept, file.file_hash)
    amount = proven()
    check_evidence(m, kind, amount)
    return ev.GrantEvidenceSubmitted(
        grant=grant.grant_kind,
        grant_id=grant.grant_id,
        milestone_id=milestone_id,
        evidence_id=evidence_id,
        kind=kind,
        file_hash=file.file_hash,
        media_type=file.media_type,
        size=file.size,
        on=today,
        amount=amount,
    )


def verify_milestone(
    grant: TrancheGrant, milestone_id: str, actor: str, today: dt.date
) -> ev.GrantMilestoneVerified:
    """Verify a milestone: its required evidence is all there, and `actor` submitted none of
    what is pending."""
    check_verifiable(open_milestone(grant, Step.VERIFY, milestone_id), actor)
    return ev.GrantMilestoneVerified(
        grant=grant.grant_kind, grant_id=grant.grant_id, milestone_id=milestone_id, on=today
    )


def reject_evidence(
    grant: TrancheGrant, milestone_id: str, actor: str, reason: str
) -> ev.GrantMilestoneRejected:
    """Refuse a milestone's pending evidence, by someone who submitted none of it, for a
    stated reason."""
    check_rejectable(open_milestone(grant, Step.REJECT_EVIDENCE, milestone_id), actor, reason)
    return ev.GrantMilestoneRejected(
        grant=grant.grant_kind,
        grant_id=grant.grant_id,
        milestone_id=milestone_id,
        reason=reason.strip(),
    )
