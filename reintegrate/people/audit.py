"""What an auditor checks of the person registry beyond the replay: each stored record is the
version the journal committed to, and its identifiers' index is the record's."""

from __future__ import annotations

from reintegrate.people.identity import identifier_digests
from reintegrate.people.keys import Keyring, KeyUnavailable
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import (
    PersonRecord,
    SealedPerson,
    StoredPerson,
    open_person,
    record_digest,
)
from reintegrate.texts import Text


def person_problems(
    keyring: Keyring, record: PersonRecord | None, stored: StoredPerson
) -> list[Text]:
    """Where the stored person differs from what the journal says of them, each named by the
    person record ("person per_…: …"); none if they agree."""
    who = stored.person_id
    if record is None:
        return [Text("person {person}: stored, but never registered in the journal", person=who)]
    if stored.office is None:
        unplaced = Text(
            "person {person}: its row has no office, its record's is '{recorded}'",
            person=who,
            recorded=record.office,
        )
        return [unplaced]
    if stored.office != record.office:
        other = Text(
            "person {person}: its row's office '{stored}' is not its record's '{recorded}'",
            person=who,
            stored=stored.office,
            recorded=record.office,
        )
        return [other]
    sealed, indexed = stored.sealed, sorted(stored.identifiers)
    if record.status is PersonStatus.ERASED:
        kept = _still_stored(sealed=sealed is not None, indexed=bool(indexed))
        if kept is None:
            return []
        return [Text("person {person}: erased, yet {kept} still stored", person=who, kept=kept)]
    if sealed is None:
        return [
            Text(
                "person {person}: no sealed record, though the journal never erased it", person=who
            )
        ]
    try:
        data, salt = open_person(keyring, record.person_id, sealed)
    except KeyUnavailable as e:
        closed = Text(
            "person {person}: the sealed record does not open ({reason})", person=who, reason=e.text
        )
        return [closed]
    problems = []
    digest = record_digest(keyring, record.person_id, record.version, salt, data)
    if digest != record.record_digest:
        other_version = Text(
            "person {person}: the sealed record is not version {version} as the journal "
            "committed to it (its digest differs)",
            person=who,
            version=record.version,
        )
        problems.append(other_version)
    if identifier_digests(keyring, data.identifiers()) != indexed:
        problems.append(
            Text(
                "person {person}: the identifiers' index differs from the record's identifiers",
                person=who,
            )
        )
    return problems + _proposal_problems(keyring, record, sealed)


def _still_stored(*, sealed: bool, indexed: bool) -> Text | None:
    """What an erased person's row still holds, if anything."""
    if sealed and indexed:
        return Text("a sealed record and identifiers' digests")
    if sealed:
        return Text("a sealed record")
    return Text("identifiers' digests") if indexed else None


def _proposal_problems(keyring: Keyring, record: PersonRecord, sealed: SealedPerson) -> list[Text]:
    """A proposed correction is stored exactly when the journal has one waiting, and is the
    version the journal committed to."""
    who = record.person_id
    if record.proposal is None:
        stray = Text(
            "person {person}: a proposed correction is stored, none is waiting", person=who
        )
        return [stray] if sealed.proposed else []
    try:
        data, salt = open_person(keyring, record.person_id, sealed, proposed=True)
    except KeyUnavailable as e:
        closed = Text(
            "person {person}: the proposed correction does not open ({reason})",
            person=who,
            reason=e.text,
        )
        return [closed]
    digest = record_digest(keyring, record.person_id, record.version + 1, salt, data)
    if digest != record.proposal.record_digest:
        return [
            Text(
                "person {person}: the proposed correction is not the one the journal committed to",
                person=who,
            )
        ]
    return []
