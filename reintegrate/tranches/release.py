"""The release gate: a tranche is paid once the milestone that unlocks it is verified and
accepted receipts justify enough of what was already released. A tranche paid to several
owners is split by what each owner is still owed, so the parts add up to the tranche and no
owner is ever paid more than their allotment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec

from reintegrate import events as ev
from reintegrate.errors import DomainError, InvalidTransition, NotFound
from reintegrate.money import allocate, amount_text, format_minor
from reintegrate.texts import Text
from reintegrate.tranches.milestones import EvidenceStatus, Milestone


class MilestoneNotVerified(DomainError):
    type = "milestone-not-verified"


class ReceiptsShort(DomainError):
    type = "receipts-short"


class Tranche(msgspec.Struct, frozen=True, kw_only=True):
    tranche_id: str
    component_id: str
    amount: int
    released_on: dt.date | None = None
    parts: tuple[ev.TranchePart, ...] = ()

    @property
    def released(self) -> bool:
        return self.released_on is not None


def tranches_of(specs: tuple[ev.TrancheSpec, ...]) -> tuple[Tranche, ...]:
    """The tranches as drafted: none released."""
    return tuple(
        Tranche(tranche_id=t.tranche_id, component_id=t.component_id, amount=t.amount)
        for t in specs
    )


def tranche(tranches: tuple[Tranche, ...], tranche_id: str) -> Tranche:
    found = next((t for t in tranches if t.tranche_id == tranche_id), None)
    if found is None:
        raise NotFound(
            Text("there is no tranche '{tranche_id}'", tranche_id=tranche_id), field="tranche_id"
        )
    return found


def unlocking(milestones: tuple[Milestone, ...], tranche_id: str) -> Milestone:
    found = next((m for m in milestones if m.unlocks == tranche_id), None)
    assert found is not None, f"every tranche is unlocked by a milestone ({tranche_id})"
    return found


def check_unlocked(milestones: tuple[Milestone, ...], chosen: Tranche) -> None:
    if chosen.released_on is not None:
        raise InvalidTransition(
            Text(
                "tranche {tranche_id} was released on {on}",
                tranche_id=chosen.tranche_id,
                on=chosen.released_on,
            ),
            field="status",
        )
    if chosen.amount == 0:
        raise InvalidTransition(
            Text("tranche {tranche_id} has nothing left to pay", tranche_id=chosen.tranche_id),
            field="amount",
        )
    gate = unlocking(milestones, chosen.tranche_id)
    if not gate.verified:
        raise MilestoneNotVerified(
            Text(
                "tranche {tranche_id} waits for milestone {milestone_id} to be verified",
                tranche_id=chosen.tranche_id,
                milestone_id=gate.milestone_id,
            ),
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
            Text(
                "receipts justify {proven} of {released} already released; {share} of it "
                "({needed}) is needed first",
                proven=amount_text(proven, currency),
                released=amount_text(released, currency),
                share=share,
                needed=amount_text(needed, currency),
            ),
            field="receipts",
            details={
                "limit": "receipts for tranches already released",
                "size": format_minor(needed, currency),
                "used": format_minor(proven, currency),
                "requested": format_minor(released, currency),
                "currency": currency,
            },
        )


def check_releasable(
    milestones: tuple[Milestone, ...],
    tranches: tuple[Tranche, ...],
    tranche_id: str,
    *,
    receipts_share: Decimal,
    currency: str,
) -> Tranche:
    """The tranche `tranche_id`, once its milestone is verified and receipts justify
    `receipts_share` of what was already released: the release gate of every grant."""
    chosen = tranche(tranches, tranche_id)
    check_unlocked(milestones, chosen)
    check_receipts(milestones, tranches, receipts_share, currency)
    return chosen


def split_tranche(amount: int, still_owed: list[int]) -> list[int]:
    """Each owner's part of a tranche, in proportion to what each is still owed; the parts add
    up to `amount` and none exceeds what its owner is owed."""
    if sum(still_owed) < amount:
        raise InvalidTransition(
            Text(
                "the owners are owed {owed} minor units, less than the tranche ({amount})",
                owed=sum(still_owed),
                amount=amount,
            ),
            field="amount",
        )
    return allocate(amount, still_owed)
