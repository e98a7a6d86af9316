"""Erasing a person (GDPR art. 17): asked by an admin with a reason, confirmed by another
admin or an approver; then their data key is destroyed and their sealed record overwritten,
and the free text of the cases (and business plans) they were the last person of goes too."""

from __future__ import annotations

import datetime as dt

from reintegrate import events as ev
from reintegrate.access import EVERYWHERE
from reintegrate.people import erasure
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import PersonRecord
from reintegrate.people.vocabulary import ErasureReason
from reintegrate.services.context import Actor, utc
from reintegrate.services.notes import erase_texts
from reintegrate.services.packages import unpaid
from reintegrate.services.people import (
    load_person,
    open_cases_of,
    packages_of_person,
    person_done,
)
from reintegrate.services.recording import record
from reintegrate.services.survey_answers import erase_responses
from reintegrate.store.base import Store, UnitOfWork


def request_erasure(
    store: Store, actor: Actor, now: dt.datetime, person_id: str, reason: ErasureReason
) -> PersonRecord:
    with store.unit_of_work() as uow:
        person = load_person(uow, actor, person_id)
        event = erasure.request_erasure(
            person, reason, open_cases_of(uow, person_id), _unsettled(uow, person_id)
        )
        record(uow, actor.user_id, utc(now), [event])
        return person_done(uow, person_id)


def confirm_erasure(store: Store, actor: Actor, now: dt.datetime, person_id: str) -> PersonRecord:
    """Erase the person, with every record merged into theirs: the journal records it, their
    keys and sealed records are destroyed and their identifiers unindexed in the same
    transaction; then the store drops what the database files may still hold of the old
    bytes (`purge_erased`)."""
    with store.unit_of_work() as uow:
        person = load_person(uow, actor, person_id)
        events: list[ev.Event] = [*erasure.confirm_erasure(person, actor.user_id)]
        erase_responses(uow, person.identity)  # classified while their records can be read
        record(uow, actor.user_id, utc(now), events)
        for erased_id in person.identity:
            uow.put_sealed_person(erased_id, None)
            uow.put_identifiers(erased_id, [])
        _erase_texts(uow, actor, now, person.identity)
        erased = person_done(uow, person_id)
    store.purge_erased()
    return erased


def _erase_texts(uow: UnitOfWork, actor: Actor, now: dt.datetime, persons: tuple[str, ...]) -> None:
    """Journal and erase the free text that goes with the people just erased."""
    case_ids = sorted({case_id for case_id, _ in uow.cases_of_persons(persons)})
    cases = {case_id: _persons_erased(uow, case_id) for case_id in case_ids}
    plans: dict[str, tuple[str, ...]] = {}
    for case_id in case_ids:
        for pkg in uow.packages_of_case(case_id):
            plan = uow.plans.get(pkg.plan_id, EVERYWHERE) if pkg.plan_id else None
            if plan is not None:
                plans[plan.plan_id] = plan.case_ids
    others = {c for owners in plans.values() for c in owners if c not in cases}
    other_cases = {case_id: _persons_erased(uow, case_id) for case_id in sorted(others)}
    gone = erasure.texts_erased(cases, plans, other_cases)
    if gone is not None:
        record(uow, actor.user_id, utc(now), [gone])
        erase_texts(uow, gone.owners)


def _persons_erased(uow: UnitOfWork, case_id: str) -> list[bool]:
    """Whether each person of the case is erased."""
    case = uow.case(case_id, EVERYWHERE)
    assert case is not None, f"a person's case is registered ({case_id})"
    return [_erased(uow, person_id) for _, person_id in case.persons]


def _erased(uow: UnitOfWork, person_id: str) -> bool:
    found = uow.person(person_id)
    return found is not None and found.status is PersonStatus.ERASED


def _unsettled(uow: UnitOfWork, person_id: str) -> int:
    """What is requested and neither paid nor failed on the person's cases' packages."""
    return sum(unpaid(uow, pkg)[1] for pkg in packages_of_person(uow, person_id))
