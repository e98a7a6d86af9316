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


def person_problems(
    keyring: Keyring, record: PersonRecord | None, stored: StoredPerson
) -> list[str]:
    """Where the stored person differs from what the journal says of them, each named by the
    person record ("person per_…: …"); none if they agree."""
    where = f"person {stored.person_id}"
    if record is None:
        return [f"{where}: stored, but never registered in the journal"]
    if stored.office != record.office:
        return [
            f"{where}: its row's office {stored.office!r} is not its record's {record.office!r}"
        ]
    sealed, indexed = stored.sealed, sorted(stored.identifiers)
    if record.status is PersonStatus.ERASED:
        kept = ["a sealed record"] if sealed is not None else []
        kept += ["identifiers' digests"] if indexed else []
        return [f"{where}: erased, yet {' and '.join(kept)} still stored"] if kept else []
    if sealed is None:
        return [f"{where}: no sealed record, though the journal never erased it"]
    try:
        data, salt = open_person(keyring, record.person_id, sealed)
    except KeyUnavailable as e:
        return [f"{where}: the sealed record does not open ({e.message})"]
    problems = []
    digest = record_digest(keyring, record.person_id, record.version, salt, data)
    if digest != record.record_digest:
        problems.append(
            f"{where}: the sealed record is not version {record.version} as the journal "
            "committed to it (its digest differs)"
        )
    if identifier_digests(keyring, data.identifiers()) != indexed:
        problems.append(f"{where}: the identifiers' index differs from the record's identifiers")
    return problems + _proposal_problems(keyring, record, sealed, where)


def _proposal_problems(
    keyring: Keyring, record: PersonRecord, sealed: SealedPerson, where: str
) -> list[str]:
    """A proposed correction is stored exactly when the journal has one waiting, and is the
    version the journal committed to."""
    if record.proposal is None:
        return (
            [f"{where}: a proposed correction is stored, none is waiting"]
            if sealed.proposed
            else []
        )
    try:
        data, salt = open_person(keyring, record.person_id, sealed, proposed=True)
    except KeyUnavailable as e:
        return [f"{where}: the proposed correction does not open ({e.message})"]
    digest = record_digest(keyring, record.person_id, record.version + 1, salt, data)
    if digest != record.proposal.record_digest:
        return [f"{where}: the proposed correction is not the one the journal committed to"]
    return []
