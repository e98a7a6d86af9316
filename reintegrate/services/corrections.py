"""Correcting a person's record: a new version, journaled with a reason. A change to a fact
the entitlement rules read, for a person who is a member of a case, waits for a second
person; confirming it revises every granted case of theirs in the same transaction, or is
refused whole if a cap would fall below what was already used."""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate.errors import NotFound
from reintegrate.grants.revision import cap_below_use, revise_entitlement
from reintegrate.ledger import LimitExceeded
from reintegrate.people import corrections
from reintegrate.people.identity import IdentifierChecks, identifier_digests
from reintegrate.people.records import PersonalData
from reintegrate.people.registry import (
    PersonRecord,
    SealedPerson,
    check_not_registered,
    open_person,
    record_digest,
    seal_record,
)
from reintegrate.people.validation import validate_person
from reintegrate.people.vocabulary import CorrectionReason
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.people import as_kept, load_person, person_done
from reintegrate.services.programmes import compute_entitlement, load_case
from reintegrate.services.recording import record
from reintegrate.store.base import EVERYWHERE, Store, UnitOfWork
from reintegrate.texts import Text


def correct_person(
    store: Store,
    checks: IdentifierChecks,
    actor: Actor,
    now: dt.datetime,
    person_id: str,
    *,
    data: PersonalData,
    reason: CorrectionReason,
) -> PersonRecord:
    """Correct the person's record to `data` (the whole record, corrected): done at once, or
    proposed for a second person when it moves an entitlement fact of a case member."""
    clean = validate_person(data, checks, utc(now).date())
    keyring = store.keyring
    with store.unit_of_work() as uow:
        person, stored = _person(uow, actor, person_id)
        old, _ = open_person(keyring, person_id, stored)
        digests = _free_identifiers(uow, actor, person_id, clean)
        salt = new_id("salt")
        digest = record_digest(keyring, person_id, person.version + 1, salt, clean)
        in_a_case = bool(uow.cases_of_persons([person_id]))
        fields = corrections.changed_fields(old, clean)
        event = corrections.correct(person, fields, reason, digest, in_a_case=in_a_case)
        record(uow, actor.user_id, utc(now), [event])
        sealed = seal_record(keyring, person_id, salt, clean, stored.wrapped_key)
        if isinstance(event, ev.PersonCorrectionProposed):
            uow.put_sealed_person(person_id, msgspec.structs.replace(stored, proposed=sealed))
        else:
            uow.put_sealed_person(person_id, msgspec.structs.replace(stored, sealed=sealed))
            uow.put_identifiers(person_id, digests)
        return person_done(uow, person_id)


def confirm_correction(
    store: Store, actor: Actor, now: dt.datetime, person_id: str
) -> PersonRecord:
    """Confirm the proposed correction (by someone other than who proposed it) and revise
    the caps of every granted case the person is a member of."""
    with store.unit_of_work() as uow:
        person, stored = _person(uow, actor, person_id)
        event = corrections.confirm_correction(person, actor.user_id)
        proposed, _ = open_person(store.keyring, person_id, stored, proposed=True)
        digests = _free_identifiers(uow, actor, person_id, proposed)
        record(uow, actor.user_id, utc(now), [event])
        assert stored.proposed is not None
        uow.put_sealed_person(
            person_id, msgspec.structs.replace(stored, sealed=stored.proposed, proposed=None)
        )
        uow.put_identifiers(person_id, digests)
        try:
            record(uow, actor.user_id, utc(now), _revisions(uow, person_id))
        except LimitExceeded as refused:
            raise cap_below_use(refused) from None
        return person_done(uow, person_id)


def _revisions(uow: UnitOfWork, person_id: str) -> list[ev.Event]:
    """The revision of each granted case of the person, computed with their corrected facts
    under the version and day the case's caps were granted on."""
    events: list[ev.Event] = []
    for case_id, _ in uow.cases_of_persons([person_id]):
        granted = uow.grant(case_id)
        if granted is None:
            continue
        case = load_case(uow, case_id, Actor("corrections", EVERYWHERE))
        ent = compute_entitlement(uow, case, granted.as_of, granted)
        revision = revise_entitlement(granted, ent, case, person_id)
        if revision is not None:
            events.append(revision)
    return events


def _person(uow: UnitOfWork, actor: Actor, person_id: str) -> tuple[PersonRecord, SealedPerson]:
    found = load_person(uow, actor, person_id)
    stored = uow.sealed_person(person_id)
    if stored is None:
        raise NotFound(
            Text("person {person_id} has no record", person_id=person_id), field="person_id"
        )
    return found, stored


def _free_identifiers(
    uow: UnitOfWork, actor: Actor, person_id: str, data: PersonalData
) -> list[str]:
    """The digests of `data`'s identifiers, none of which may identify another person."""
    digests = identifier_digests(uow.keyring, data.identifiers())
    others = [
        p for p in as_kept(uow, uow.persons_with_identifiers(digests)) if p.person_id != person_id
    ]
    check_not_registered(others, actor.scope)
    return digests
