"""Use cases on the milestones of any grant paid in tranches (a business plan or a community
project): evidence submitted as a file, verification, rejection of evidence.

A use case acts on one grant of a kind, for example `PLANS.one(plan_id)` or
`PROJECTS.one(project_id)` (`services.business`, `services.community`): how to load it in
the caller's scope. The rules are the
tranche mechanism's (`reintegrate.tranches`); the grant's own lifecycle says when it is open
to each step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Generic, TypeVar

from reintegrate import events as ev
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.packages import booked
from reintegrate.services.recording import record
from reintegrate.store.base import Store, UnitOfWork
from reintegrate.tranches import evidence as files
from reintegrate.tranches import grant as tg

G = TypeVar("G", bound=tg.TrancheGrant)


class Grants(Generic[G]):
    """The grants of one kind: how to load one, in the caller's scope (NotFound otherwise)."""

    def __init__(self, load: Callable[[UnitOfWork, str, Actor], G]) -> None:
        self.load = load

    def one(self, grant_id: str) -> OneGrant[G]:
        return OneGrant(self, grant_id)


class OneGrant(Generic[G]):
    """One grant of a kind, by its id: what a use case on its milestones acts on."""

    def __init__(self, grants: Grants[G], grant_id: str) -> None:
        self.grants, self.grant_id = grants, grant_id

    def load(self, uow: UnitOfWork, actor: Actor) -> G:
        return self.grants.load(uow, self.grant_id, actor)


Decision = Callable[[UnitOfWork, G, dt.date], list[ev.Event]]


def apply_to_grant(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    grant: OneGrant[G],
    decide: Decision[G],
) -> G:
    """Load the grant in the caller's scope, decide the events, record them, commit; the
    grant as they left it."""
    with store.unit_of_work() as uow:
        events = decide(uow, grant.load(uow, actor), utc(now).date())
        record(uow, actor.user_id, utc(now), events)
        changed = grant.load(uow, actor)
        uow.commit()
        return changed


class EvidenceFile:
    """An uploaded file as received: its bytes and declared media type."""

    def __init__(self, content: bytes, media_type: str) -> None:
        self.content, self.media_type = content, media_type


def submit_evidence(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    grant: OneGrant[G],
    milestone_id: str,
    *,
    kind: ev.EvidenceKind,
    file: EvidenceFile,
    amount: int | None = None,
    currency: str | None = None,
) -> G:
    """Keep a file as evidence for a milestone; what a receipt proves (`amount` in
    `currency`, the programme's by default) is booked in the programme currency. A bad or
    duplicate file is refused and nothing is kept."""
    digest = files.check_file(file.content, file.media_type)

    def decide(uow: UnitOfWork, g: G, today: dt.date) -> list[ev.Event]:
        def proven() -> int | None:
            if amount is None:
                return None
            return booked(uow, amount, currency or g.currency, g.currency, today).target_minor

        kept = tg.EvidenceFileKept(digest, files.declared_type(file.media_type), len(file.content))
        event = tg.submit_evidence(
            g,
            milestone_id,
            evidence_id=new_id("evd"),
            kind=kind,
            file=kept,
            already_kept=uow.evidence_file_known(digest),
            proven=proven,
            today=today,
        )
        uow.put_evidence_file(digest, kept.media_type, file.content)
        return [event]

    return apply_to_grant(store, actor, now, grant, decide)


def verify_milestone(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    grant: OneGrant[G],
    milestone_id: str,
) -> G:
    """Verify a milestone: its pending evidence is accepted, its tranche may be released."""
    return apply_to_grant(
        store,
        actor,
        now,
        grant,
        lambda _, g, today: [tg.verify_milestone(g, milestone_id, actor.user_id, today)],
    )


def reject_milestone_evidence(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    grant: OneGrant[G],
    milestone_id: str,
    *,
    reason: str,
) -> G:
    """Refuse a milestone's pending evidence; new evidence must be submitted."""
    return apply_to_grant(
        store,
        actor,
        now,
        grant,
        lambda _, g, __: [tg.reject_evidence(g, milestone_id, actor.user_id, reason)],
    )
