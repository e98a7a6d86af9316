"""Milestones and their evidence.

Each milestone lists the evidence it requires. Evidence is submitted, then a second person
verifies the milestone (its pending evidence is accepted) or rejects its pending evidence
with a reason; nobody verifies or rejects evidence they submitted themselves. A receipt or an
invoice states the amount it proves was spent; other evidence states none.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

import msgspec

from reintegrate import events as ev
from reintegrate.errors import InvalidTransition, NotFound, ValidationFailed
from reintegrate.four_eyes import require_another_person
from reintegrate.notes import Text as FreeText
from reintegrate.reasons import stated_reason
from reintegrate.texts import Text, listed

MAX_MILESTONES = 50
MAX_EVIDENCE_PER_MILESTONE = 50


class EvidenceStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


EVIDENCE_KIND_WORDS: Mapping[ev.EvidenceKind, Text] = {
    ev.EvidenceKind.RECEIPT: Text("receipt"),
    ev.EvidenceKind.INVOICE: Text("invoice"),
    ev.EvidenceKind.PHOTO: Text("photo"),
    ev.EvidenceKind.REGISTRATION_CERTIFICATE: Text("registration certificate"),
    ev.EvidenceKind.MONITORING_REPORT: Text("monitoring report"),
}
"""A kind of evidence as said in a sentence."""


class Evidence(msgspec.Struct, frozen=True, kw_only=True):
    evidence_id: str
    kind: ev.EvidenceKind
    file_hash: str
    media_type: str
    size: int
    amount: int | None
    submitted_by: str
    submitted_on: dt.date
    status: EvidenceStatus = EvidenceStatus.PENDING
    reason: FreeText | None = None


class Milestone(msgspec.Struct, frozen=True, kw_only=True):
    milestone_id: str
    title: FreeText
    required: tuple[ev.EvidenceKind, ...]
    due_on: dt.date
    unlocks: str | None
    evidence: tuple[Evidence, ...] = ()
    verified_by: str | None = None
    verified_on: dt.date | None = None

    @property
    def verified(self) -> bool:
        return self.verified_by is not None

    def pending(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.status is EvidenceStatus.PENDING)


def milestones_of(specs: tuple[ev.MilestoneSpec, ...]) -> tuple[Milestone, ...]:
    """The milestones as drafted: no evidence yet, none verified."""
    return tuple(
        Milestone(
            milestone_id=m.milestone_id,
            title=m.title,
            required=m.evidence,
            due_on=m.due_on,
            unlocks=m.unlocks,
        )
        for m in specs
    )


def milestone(milestones: tuple[Milestone, ...], milestone_id: str) -> Milestone:
    found = next((m for m in milestones if m.milestone_id == milestone_id), None)
    if found is None:
        raise NotFound(
            Text("there is no milestone '{milestone_id}'", milestone_id=milestone_id),
            field="milestone_id",
        )
    return found


def check_evidence(m: Milestone, kind: ev.EvidenceKind, amount: int | None) -> None:
    """Evidence may be added to an unverified milestone; receipts and invoices state an amount."""
    if m.verified:
        raise InvalidTransition(
            Text(
                "milestone {milestone_id} is verified already; it takes no more evidence",
                milestone_id=m.milestone_id,
            ),
            field="milestone_id",
        )
    if len(m.evidence) >= MAX_EVIDENCE_PER_MILESTONE:
        raise ValidationFailed(
            Text(
                "a milestone holds at most {most} pieces of evidence",
                most=MAX_EVIDENCE_PER_MILESTONE,
            ),
            field="milestone_id",
        )
    proves_spending = kind in ev.PAYMENT_PROOFS
    if proves_spending and (amount is None or amount <= 0):
        raise ValidationFailed(
            Text("a {kind} states the positive amount it proves", kind=EVIDENCE_KIND_WORDS[kind]),
            field="amount",
        )
    if not proves_spending and amount is not None:
        raise ValidationFailed(
            Text("a {kind} states no amount (only receipts do)", kind=EVIDENCE_KIND_WORDS[kind]),
            field="amount",
        )


def check_verifiable(m: Milestone, actor: str) -> None:
    """Check that `actor` may verify `m`: every required kind is there, and four eyes."""
    _not_verified(m)
    offered = {e.kind for e in m.evidence if e.status is not EvidenceStatus.REJECTED}
    missing = [k.value for k in m.required if k not in offered]
    if missing:
        raise ValidationFailed(
            Text(
                "milestone {milestone_id} still lacks evidence: {missing}",
                milestone_id=m.milestone_id,
                missing=listed([EVIDENCE_KIND_WORDS[k] for k in m.required if k not in offered]),
            ),
            field="evidence",
            details={"missing": missing},
        )
    _four_eyes(m, actor, Text("verify it"))


def _not_verified(m: Milestone) -> None:
    if m.verified:
        raise InvalidTransition(
            Text("milestone {milestone_id} is verified already", milestone_id=m.milestone_id),
            field="status",
        )


def check_rejectable(m: Milestone, actor: str, reason: str) -> None:
    """Check that `actor` may reject the pending evidence of `m`, for a stated reason."""
    _not_verified(m)
    if not m.pending():
        raise InvalidTransition(
            Text(
                "milestone {milestone_id} has no pending evidence to reject",
                milestone_id=m.milestone_id,
            ),
            field="evidence",
        )
    _four_eyes(m, actor, Text("reject it"))
    stated_reason(reason)


def _four_eyes(m: Milestone, actor: str, cannot: Text) -> None:
    require_another_person(
        actor,
        (e.submitted_by for e in m.pending()),
        did=Text("submitted evidence for milestone {milestone_id}", milestone_id=m.milestone_id),
        cannot=cannot,
    )


def evolve_milestones(
    milestones: tuple[Milestone, ...], event: ev.MilestoneEvent, actor: str
) -> tuple[Milestone, ...]:
    """The milestones after an evidence, verification or rejection event concerning one of
    them (of any grant: the facts are the same)."""
    return tuple(
        _evolve(m, event, actor) if m.milestone_id == event.milestone_id else m for m in milestones
    )


def _evolve(m: Milestone, event: ev.MilestoneEvent, actor: str) -> Milestone:
    match event:
        case ev.GrantEvidenceSubmitted():
            added = Evidence(
                evidence_id=event.evidence_id,
                kind=event.kind,
                file_hash=event.file_hash,
                media_type=event.media_type,
                size=event.size,
                amount=event.amount,
                submitted_by=actor,
                submitted_on=event.on,
            )
            return msgspec.structs.replace(m, evidence=(*m.evidence, added))
        case ev.GrantMilestoneVerified():
            return msgspec.structs.replace(
                m,
                verified_by=actor,
                verified_on=event.on,
                evidence=_settle(m.evidence, EvidenceStatus.ACCEPTED, None),
            )
        case ev.GrantMilestoneRejected():
            return msgspec.structs.replace(
                m, evidence=_settle(m.evidence, EvidenceStatus.REJECTED, event.reason)
            )


def _settle(
    evidence: tuple[Evidence, ...], status: EvidenceStatus, reason: FreeText | None
) -> tuple[Evidence, ...]:
    return tuple(
        msgspec.structs.replace(e, status=status, reason=reason)
        if e.status is EvidenceStatus.PENDING
        else e
        for e in evidence
    )
