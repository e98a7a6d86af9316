"""Events of the person registry. They carry pseudonymous ids and keyed digests only: the
journal commits to every version of a person's record (`record_digest`) without holding any
personal value, so destroying the person's key erases the data and leaves the chain whole.
"""

from __future__ import annotations

import msgspec

from reintegrate.people.vocabulary import CorrectionReason, ErasureReason


class _Event(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    pass


class PersonRegistered(_Event, frozen=True):
    person_id: str
    office: str
    record_digest: str
    """Keyed digest of version 1 of the sealed record (`people.registry.record_digest`)."""


class PersonErasureRequested(_Event, frozen=True):
    person_id: str
    reason: ErasureReason


class PersonErased(_Event, frozen=True):
    """The person's data key destroyed and their sealed record overwritten; confirmed by
    someone other than whoever asked."""

    person_id: str
    reason: ErasureReason


class TextsErased(_Event, frozen=True):
    """The free text of these records (cases, business plans) erased with the last of their
    people: their keys destroyed, their notes overwritten (`reintegrate.notes`)."""

    owners: tuple[str, ...]


class CasesImported(_Event, frozen=True):
    """A caseload file imported whole: its households' persons and cases are the entries
    before this one in the same command. The file is named by a keyed digest only
    (`services.case_imports`), which makes the same file twice import nothing new."""

    import_id: str
    programme_id: str
    file_digest: str
    households: int
    persons: int


class PersonCorrectionProposed(_Event, frozen=True):
    """A correction that moves an entitlement, waiting for a second person."""

    person_id: str
    version: int
    record_digest: str
    fields: tuple[str, ...]
    """The names of the fields that change, never their values."""
    reason: CorrectionReason


class PersonCorrected(_Event, frozen=True):
    """A new version of the person's record (the digest of that version)."""

    person_id: str
    version: int
    record_digest: str
    fields: tuple[str, ...]
    reason: CorrectionReason


class PersonsMerged(_Event, frozen=True):
    """Two records found to be one person: `merged` keeps its record and cases, and is read
    as `kept` by every rule (look-back, one open case, registration)."""

    kept: str
    merged: str


class PersonsDistinguished(_Event, frozen=True):
    """Two records found to be different people: not listed as possible duplicates again."""

    first: str
    second: str


class MembersLinked(_Event, frozen=True):
    """The members of a case registered before the person registry, linked to the persons
    their records were moved into (by the migration that built the registry)."""

    case_id: str
    persons: tuple[tuple[str, str], ...]
    """(member_id, person_id) of each member."""
