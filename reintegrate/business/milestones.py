"""Milestone-gated tranches: one mechanism for business plans and community projects.

A grant is paid in tranches. Each tranche is unlocked by one milestone, which lists the
evidence it requires (receipt, photo, certificate, monitoring report...). Evidence is
submitted, then a second person verifies the milestone (or rejects its evidence with a
reason); nobody verifies a milestone for which they submitted evidence. A tranche is paid
only when its milestone is verified and enough of what was already paid is justified by
receipts. A tranche paid to several owners is split by what each owner is still owed, so
the parts add up to the tranche and no owner is ever paid more than their allotment.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import msgspec

from reintegrate import events as ev
from reintegrate.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from reintegrate.four_eyes import require_another_person
from reintegrate.money import allocate, format_minor
from reintegrate.notes import Text

MAX_MILESTONES = 50
MAX_EVIDENCE_PER_MILESTONE = 50


class MilestoneNotVerified(DomainError):
    type = "milestone-not-verified"


class ReceiptsShort(DomainError):
    type = "receipts-short"


class EvidenceStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


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
    reason: Text | None = None


class Milestone(msgspec.Struct, frozen=True, kw_only=True):
    milestone_id: str
    title: Text
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


class Tranche(msgspec.Struct, frozen=True, kw_only=True):
    tranche_id: str
    component_id: str
    amount: int
    released_on: dt.date | None = None
    parts: tuple[ev.TranchePart, ...] = ()

    @property
    def released(self) -> bool:
        return self.released_on is not None


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


def tranches_of(specs: tuple[ev.TrancheSpec, ...]) -> tuple[Tranche, ...]:
    """The tranches as drafted: none released."""
    return tuple(
        Tranche(tranche_id=t.tranche_id, component_id=t.component_id, amount=t.amount)
        for t in specs
    )


def milestone(milestones: tuple[Milestone, ...], milestone_id: str) -> Milestone:
    found = next((m for m in milestones if m.milestone_id == milestone_id), None)
    if found is None:
        raise NotFound(f"there is no milestone '{milestone_id}'", field="milestone_id")
    return found


def check_evidence(m: Milestone, kind: ev.EvidenceKind, amount: int | None) -> None:
    """Evidence may be added to an unverified milestone; receipts and invoices state an amount."""
    if m.verified:
        raise InvalidTransition(
            f"milestone {m.milestone_id} is verified already; it takes no more evidence",
            field="milestone_id",
        )
    if len(m.evidence) >= MAX_EVIDENCE_PER_MILESTONE:
        raise ValidationFailed(
            f"a milestone holds at most {MAX_EVIDENCE_PER_MILESTONE} pieces of evidence",
            field="milestone_id",
        )
    proves_spending = kind in ev.PAYMENT_PROOFS
    if proves_spending and (amount is None or amount <= 0):
        raise ValidationFailed(f"a {kind} states the positive amount it proves", field="amount")
    if not proves_spending and amount is not None:
        raise ValidationFailed(f"a {kind} states no amount (only receipts do)", field="amount")


def verify_milestone(m: Milestone, actor: str, today: dt.date) -> None:
    """Check that `actor` may verify `m`: every required kind is there, and four eyes."""
    if m.verified:
        raise InvalidTransition(f"milestone {m.milestone_id} is verified already", field="status")
    offered = {e.kind for e in m.evidence if e.status is not EvidenceStatus.REJECTED}
    missing = [k.value for k in m.required if k not in offered]
    if missing:
        raise ValidationFailed(
            f"milestone {m.milestone_id} still lacks evidence: {', '.join(missing)}",
            field="evidence",
            details={"missing": missing},
        )
    _four_eyes(m, actor, "verify")


def reject_evidence(m: Milestone, actor: str) -> None:
    """Check that `actor` may reject the pending evidence of `m`."""
    if m.verified:
        raise InvalidTransition(f"milestone {m.milestone_id} is verified already", field="status")
    if not m.pending():
        raise InvalidTransition(
            f"milestone {m.milestone_id} has no pending evidence to reject", field="evidence"
        )
    _four_eyes(m, actor, "reject")


def _four_eyes(m: Milestone, actor: str, action: str) -> None:
    require_another_person(
        actor,
        (e.submitted_by for e in m.pending()),
        did=f"submitted evidence for milestone {m.milestone_id}",
        cannot=f"{action} it",
    )


def unlocking(milestones: tuple[Milestone, ...], tranche_id: str) -> Milestone:
    found = next((m for m in milestones if m.unlocks == tranche_id), None)
    assert found is not None, f"every tranche is unlocked by a milestone ({tranche_id})"
    return found


def check_unlocked(milestones: tuple[Milestone, ...], tranche: Tranche) -> None:
    if tranche.released:
        raise InvalidTransition(
            f"tranche {tranche.tranche_id} was released on {tranche.released_on}", field="status"
        )
    if tranche.amount == 0:
        raise InvalidTransition(
            f"tranche {tranche.tranche_id} has nothing left to pay", field="amount"
        )
    gate = unlocking(milestones, tranche.tranche_id)
    if not gate.verified:
        raise MilestoneNotVerified(
            f"tranche {tranche.tranche_id} waits for milestone {gate.milestone_id} to be verified",
            field="milestone_id",
            details={"milestone_id": gate.milestone_id},
        )


def receipts_total(milestones: tuple[Milestone, ...]) -> int:
    """What accepted receipts and invoices prove was spent."""
    return sum(
        e.amount or 0
        for m in milestones
        for e in m.evidence
        if e.status is EvidenceStatus.ACCEPTED and e.kind in ev.PAYMENT_PROOFS
    )


def check_receipts(
    milestones: tuple[Milestone, ...], tranches: tuple[Tranche, ...], share: Decimal, currency: str
) -> None:
    """Receipts must justify at least `share` of the tranches already released."""
    released = sum(t.amount for t in tranches if t.released)
    needed = int((share * released).to_integral_value(rounding="ROUND_CEILING"))
    proven = receipts_total(milestones)
    if proven < needed:
        raise ReceiptsShort(
            f"receipts justify {format_minor(proven, currency)} {currency} of "
            f"{format_minor(released, currency)} {currency} already released; "
            f"{share} of it ({format_minor(needed, currency)} {currency}) is needed first",
            field="receipts",
            details={
                "limit": "receipts for tranches already released",
                "size": format_minor(needed, currency),
                "used": format_minor(proven, currency),
                "requested": format_minor(released, currency),
                "currency": currency,
            },
        )


def split_tranche(amount: int, still_owed: list[int]) -> list[int]:
    """Each owner's part of a tranche, in proportion to what each is still owed; the parts add
    up to `amount` and none exceeds what its owner is owed."""
    if sum(still_owed) < amount:
        raise InvalidTransition(
            f"the owners are owed {sum(still_owed)} minor units, less than the tranche ({amount})",
            field="amount",
        )
    return allocate(amount, still_owed)


def evolve_milestone(m: Milestone, event: ev.Event, actor: str) -> Milestone:
    """The milestone after an evidence, verification or rejection event concerning it (of a
    business plan or of a community project: the facts are the same)."""
    match event:
        case ev.EvidenceSubmitted() | ev.ProjectEvidenceSubmitted():
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
        case ev.MilestoneVerified() | ev.ProjectMilestoneVerified():
            return msgspec.structs.replace(
                m,
                verified_by=actor,
                verified_on=event.on,
                evidence=_settle(m.evidence, EvidenceStatus.ACCEPTED, None),
            )
        case ev.MilestoneRejected() | ev.ProjectMilestoneRejected():
            return msgspec.structs.replace(
                m, evidence=_settle(m.evidence, EvidenceStatus.REJECTED, event.reason)
            )
    return m


def _settle(
    evidence: tuple[Evidence, ...], status: EvidenceStatus, reason: Text | None
) -> tuple[Evidence, ...]:
    return tuple(
        msgspec.structs.replace(e, status=status, reason=reason)
        if e.status is EvidenceStatus.PENDING
        else e
        for e in evidence
    )
