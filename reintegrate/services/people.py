"""Use cases of the person registry: register a person, read their record, and give the
rules the facts about a case's members that they need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from reintegrate import events as ev
from reintegrate.cases import Member, Role
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.grants.packages import Package
from reintegrate.grants.postings import requested_codes
from reintegrate.people.access_log import PersonalRead, Reader, personal_read
from reintegrate.people.classification import sees_record
from reintegrate.people.identity import IdentifierChecks, identifier_digests
from reintegrate.people.keys import Keyring
from reintegrate.people.records import PersonalData
from reintegrate.people.registry import (
    PersonRecord,
    SealedPerson,
    case_is_open,
    check_active,
    check_not_registered,
    open_person,
    record_digest,
    seal_new_person,
)
from reintegrate.people.validation import validate_person
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.recording import record
from reintegrate.store.base import CaseRecord, Store, UnitOfWork
from reintegrate.texts import Text


def register_person(
    store: Store,
    checks: IdentifierChecks,
    actor: Actor,
    now: dt.datetime,
    *,
    office: str,
    data: PersonalData,
) -> tuple[PersonRecord, PersonalData]:
    """Seal and register a person for `office`; `PersonExists` if any identifier is known.
    Returns the person and their record in normal form."""
    if not actor.scope.allows(office):
        raise ValidationFailed(
            Text("you cannot register people for office {office}", office=office), field="office"
        )
    clean = validate_person(data, checks, utc(now).date())
    digests = identifier_digests(store.keyring, clean.identifiers())
    with store.unit_of_work() as uow:
        check_not_registered(as_kept(uow, uow.persons_with_identifiers(digests)), actor.scope)
        person_id = keep_new_person(
            uow, actor.user_id, utc(now), office=office, data=clean, digests=digests
        )
        created = uow.person(person_id)
        uow.commit()
    assert created is not None
    return created, clean


def keep_new_person(
    uow: UnitOfWork,
    actor_id: str,
    at: dt.datetime,
    *,
    office: str,
    data: PersonalData,
    digests: list[str],
) -> str:
    """Journal a new person's registration, keep their record sealed under a new data key
    and index their identifiers' `digests`; their new id (`keep_new_persons`)."""
    return keep_new_persons(uow, actor_id, at, [NewPerson(office, data, digests)])[0]


class NewPerson(NamedTuple):
    """A person to register: their office, their record in normal form, and the keyed
    digests of their identifiers."""

    office: str
    data: PersonalData
    digests: list[str]


def keep_new_persons(
    uow: UnitOfWork, actor_id: str, at: dt.datetime, persons: Sequence[NewPerson]
) -> list[str]:
    """Journal each new person's registration (the digest of their first record version,
    with a fresh salt), keep their records sealed, each under a new data key, and index
    their identifiers, all at once; their new ids, in order."""
    keyring = uow.keyring
    made = [_registration(keyring, p.office, p.data) for p in persons]
    record(uow, actor_id, at, [event for event, _ in made])
    uow.add_new_persons(
        [
            (event.person_id, sealed, p.digests)
            for (event, sealed), p in zip(made, persons, strict=True)
        ]
    )
    return [event.person_id for event, _ in made]


def _registration(
    keyring: Keyring, office: str, data: PersonalData
) -> tuple[ev.PersonRegistered, SealedPerson]:
    person_id, salt = new_id("per"), new_id("salt")
    digest = record_digest(keyring, person_id, 1, salt, data)
    registered = ev.PersonRegistered(person_id=person_id, office=office, record_digest=digest)
    return registered, seal_new_person(keyring, person_id, salt, data)


def read_person(
    store: Store, actor: Actor, now: dt.datetime, person_id: str, reader: Reader
) -> tuple[PersonRecord, PersonalData | None]:
    """A person of the caller's offices, with their record: None once erased, and for a
    reader who sees people only through their payments while none was requested. A read
    that shows `reader` any personal field is logged (`people.access_log`)."""
    with store.unit_of_work() as uow:
        found = load_person(uow, actor, person_id)
        sealed = uow.sealed_person(person_id)
        requested = uow.balances(requested_codes(packages_of_person(uow, person_id)))
        if sealed is None or not sees_record(reader.role, any(requested.values())):
            uow.commit()
            return found, None
        data = open_person(store.keyring, person_id, sealed)[0]
        log_read(uow, reader, actor, now, person_id)
        uow.commit()
    return found, data


def load_person(
    uow: UnitOfWork, actor: Actor, person_id: str, field: str = "person_id"
) -> PersonRecord:
    """A person of the caller's offices; `NotFound` (naming `field`) for any other."""
    found = uow.person(person_id)
    if found is None or not actor.scope.allows(found.office):
        raise NotFound(Text("no person {person_id}", person_id=person_id), field=field)
    return found


def person_done(uow: UnitOfWork, person_id: str) -> PersonRecord:
    """The person as the command leaves them, once committed."""
    found = uow.person(person_id)
    assert found is not None, f"the command's person exists ({person_id})"
    uow.commit()
    return found


def packages_of_person(uow: UnitOfWork, person_id: str) -> list[Package]:
    """The packages of every case of the person (any record read as them)."""
    return [
        pkg
        for case_id, _ in uow.cases_of_persons(identity_of(uow, person_id))
        for pkg in uow.packages_of_case(case_id)
    ]


def log_read(
    uow: UnitOfWork, reader: Reader, actor: Actor, now: dt.datetime, person_id: str
) -> None:
    """Record that `actor` was shown `person_id`'s record through `reader` (if their role
    sees anything personal)."""
    read = personal_read(reader, at=utc(now), user_id=actor.user_id, person_id=person_id)
    if read is not None:
        uow.add_personal_read(read)


def personal_reads(
    store: Store, after: int, limit: int, person_id: str | None = None
) -> list[tuple[int, PersonalRead]]:
    """The access log, oldest first, after the entry numbered `after`."""
    with store.unit_of_work() as uow:
        return uow.personal_reads(after, limit, person_id)


def personal_data(uow: UnitOfWork, person_id: str) -> PersonalData:
    """The record of an active person, opened."""
    check_active(uow.person(person_id), person_id, "person_id")
    sealed = uow.sealed_person(person_id)
    if sealed is None:
        raise NotFound(
            Text("person {person_id} has no record", person_id=person_id), field="person_id"
        )
    return open_person(uow.keyring, person_id, sealed)[0]


def open_cases_of(uow: UnitOfWork, person_id: str) -> list[str]:
    """The open cases `person_id` (any record read as them) is a member of
    (`people.registry.case_is_open`)."""
    return [
        case_id
        for case_id, _ in uow.cases_of_persons(identity_of(uow, person_id))
        if case_is_open([p.status for p in uow.packages_of_case(case_id)])
    ]


def identity_of(uow: UnitOfWork, person_id: str) -> tuple[str, ...]:
    """Every record read as `person_id`: itself and the records merged into it."""
    found = uow.person(person_id)
    return (person_id,) if found is None else found.identity


def as_kept(uow: UnitOfWork, records: list[PersonRecord]) -> list[PersonRecord]:
    """Each record, or the person it was merged into."""
    kept = []
    for record_ in records:
        found = record_
        while found.merged_into is not None:
            into = uow.person(found.merged_into)
            assert into is not None, f"a record is merged into a registered one ({found.person_id})"
            found = into
        kept.append(found)
    return kept


def members_of(uow: UnitOfWork, case: CaseRecord) -> tuple[Member, ...]:
    """The case's members with the facts the rules read (birth, nationality,
    vulnerabilities), taken from their sealed person records."""
    return tuple(
        member_from(member_id, role, person_id, personal_data(uow, person_id))
        for (member_id, role), (_, person_id) in zip(case.roles, case.persons, strict=True)
    )


def member_from(member_id: str, role: Role, person_id: str, data: PersonalData) -> Member:
    """The rules' view of a member: a case-local id and role, and the person's facts."""
    return Member(
        member_id=member_id,
        person_id=person_id,
        role=role,
        nationality=data.nationality,
        birth_date=data.birth_date,
        birth_year=data.birth_year,
        vulnerabilities=data.vulnerabilities,
    )
