"""Possible duplicates in the registry, and an approver's decision on each pair."""

from __future__ import annotations

import datetime as dt

from reintegrate.people import duplicates
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import PersonRecord, open_person
from reintegrate.services.context import Actor, utc
from reintegrate.services.people import load_person, open_cases_of, person_done
from reintegrate.services.recording import record
from reintegrate.store.base import Store


def possible_duplicates(
    store: Store, actor: Actor, distance: duplicates.EditDistance
) -> list[duplicates.PossibleDuplicate]:
    """Pairs of active persons of the caller's offices that may be one person. Every record
    of those offices is opened for the comparison; nothing personal is returned."""
    with store.unit_of_work() as uow:
        candidates = []
        for person_id in uow.all_person_ids():
            person = uow.person(person_id)
            sealed = uow.sealed_person(person_id)
            if person is None or sealed is None or not actor.scope.allows(person.office):
                continue
            if person.status is PersonStatus.ACTIVE:
                data, _ = open_person(store.keyring, person_id, sealed)
                candidates.append(duplicates.candidate(person, data))
    return duplicates.possible_duplicates(candidates, distance)


def decide_duplicates(
    store: Store, actor: Actor, now: dt.datetime, first: str, second: str, *, same: bool
) -> PersonRecord:
    """`second` merged into `first` if they are the same person, or the pair set apart."""
    with store.unit_of_work() as uow:
        kept = load_person(uow, actor, first, "first")
        other = load_person(uow, actor, second, "second")
        open_cases = (len(open_cases_of(uow, first)), len(open_cases_of(uow, second)))
        event = duplicates.decide(kept, other, same=same, open_cases=open_cases)
        record(uow, actor.user_id, utc(now), [event])
        return person_done(uow, first)
