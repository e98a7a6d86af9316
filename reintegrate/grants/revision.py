"""Revising a granted entitlement when a member's facts are corrected: the caps are computed
again under the policy version and the day they were granted on; each cap moves by the
difference, and a cap cut below what was already used refuses the correction (the ledger's
floor, with the limit, its size, what was used and what was asked)."""

from __future__ import annotations

import msgspec

from reintegrate import events as ev
from reintegrate.cases import Case
from reintegrate.entitlement import Entitlement
from reintegrate.errors import DomainError
from reintegrate.grants.packages import NotEligible, grant_entitlement
from reintegrate.ledger import LimitExceeded
from reintegrate.money import amount_text, format_minor
from reintegrate.texts import Text, each


class CapBelowUse(DomainError):
    """A correction would cut a cap below what was already used of it."""

    type = "cap-below-use"


def cap_below_use(refused: LimitExceeded) -> CapBelowUse:
    """The ledger's refusal of a revision, said as what it is: each cap, its size before and
    after the correction, and what was already used of it."""
    described: list[Text] = []
    limits = []
    for b in refused.breaches:
        after = b.size - b.asked
        c = b.currency
        described.append(
            Text(
                "{limit}: {size} now, {after} after the correction, {used} already used",
                limit=b.words,
                size=amount_text(b.size, c),
                after=amount_text(after, c),
                used=amount_text(b.used, c),
            )
        )
        limits.append(
            {
                "limit": b.limit,
                "account": b.account,
                "size": format_minor(b.size, c),
                "corrected_size": format_minor(after, c),
                "used": format_minor(b.used, c),
                "currency": c,
            }
        )
    return CapBelowUse(
        Text(
            "the correction would cut a cap below what was already used: {caps}",
            caps=each(described),
        ),
        field="person_id",
        details={"limits": limits, **limits[0]},
    )


def revise_entitlement(
    granted: ev.EntitlementGranted, ent: Entitlement, case: Case, person_id: str
) -> ev.EntitlementRevised | None:
    """The revision of `granted` to `ent` (computed with the corrected facts), or None if no
    cap changes; `NotEligible` if the correction makes the case ineligible."""
    if not ent.eligible:
        raise NotEligible(
            Text(
                "the correction makes case {case_id} ineligible: {reasons}",
                case_id=case.case_id,
                reasons=each(list(ent.reasons)),
            ),
            field="person_id",
            details={"reasons": [str(r) for r in ent.reasons], "case_id": case.case_id},
        )
    new = grant_entitlement(ent, case)
    if granted.persons_cash is None:  # granted before cash was limited per person: kept so
        new = msgspec.structs.replace(new, persons_cash=None)
    new = msgspec.structs.replace(new, stages=_as_granted(new.stages, granted.stages))
    caps = (new.household, new.cash, new.persons, new.persons_cash, new.stages)
    was = (granted.household, granted.cash, granted.persons, granted.persons_cash, granted.stages)
    if caps == was:
        return None
    return ev.EntitlementRevised(
        case_id=case.case_id,
        programme_id=case.programme_id,
        person_id=person_id,
        household=new.household,
        cash=new.cash,
        persons=new.persons,
        stages=new.stages,
        previous_household=granted.household,
        previous_cash=granted.cash,
        previous_persons=granted.persons,
        persons_cash=new.persons_cash,
        previous_persons_cash=granted.persons_cash,
    )


def _as_granted(
    stages: tuple[ev.GrantStage, ...], granted: tuple[ev.GrantStage, ...]
) -> tuple[ev.GrantStage, ...]:
    """The revised stages with only the limits the grant had: a grant made before cash or
    persons were limited per stage keeps being limited as it was."""
    if any(s.cash_cumulative is None for s in granted):
        stages = tuple(msgspec.structs.replace(s, cash_cumulative=None) for s in stages)
    if any(s.persons is None for s in granted):
        stages = tuple(msgspec.structs.replace(s, persons=None, persons_cash=None) for s in stages)
    return stages


def revised(granted: ev.EntitlementGranted, event: ev.EntitlementRevised) -> ev.EntitlementGranted:
    """The grant as the revision leaves it (same version, day and window)."""
    return ev.EntitlementGranted(
        case_id=granted.case_id,
        programme_id=granted.programme_id,
        policy_version=granted.policy_version,
        as_of=granted.as_of,
        household=event.household,
        cash=event.cash,
        persons=event.persons,
        stages=event.stages,
        window_end=granted.window_end,
        persons_cash=event.persons_cash,
    )
