"""The person registry's rules: what a stored person is, how a record is sealed and committed
to by the journal, once-only identity, and one open case at a time."""

from __future__ import annotations

import msgspec

from reintegrate.access import Scope
from reintegrate.errors import DomainError, NotFound, ValidationFailed
from reintegrate.grants.packages import PackageStatus
from reintegrate.people.keys import Keyring, KeyUnavailable
from reintegrate.people.records import PersonalData, PersonStatus, person_is
from reintegrate.people.vocabulary import CorrectionReason, ErasureReason
from reintegrate.texts import Text

RECORD_DIGEST = "person-record"


class Proposal(msgspec.Struct, frozen=True, kw_only=True):
    """A correction waiting for a second person: the digest of the proposed version."""

    record_digest: str
    fields: tuple[str, ...]
    reason: CorrectionReason
    proposed_by: str


class PersonRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What the journal rebuilds of a person: ids, status and the digest of the record's
    current version, never a personal value."""

    person_id: str
    office: str
    status: PersonStatus = PersonStatus.ACTIVE
    version: int = 1
    record_digest: str | None = None
    """None once erased."""
    erasure_requested_by: str | None = None
    erasure_reason: ErasureReason | None = None
    proposal: Proposal | None = None
    merged_into: str | None = None
    """Once merged: the person this record is read as."""
    merged: tuple[str, ...] = ()
    """Records merged into this one (and into those), all read as this person."""
    distinct_from: tuple[str, ...] = ()
    """Persons an approver decided are not this one."""

    @property
    def identity(self) -> tuple[str, ...]:
        """Every record read as this person: itself and those merged into it."""
        return (self.person_id, *self.merged)

    @property
    def proposed_digest(self) -> str | None:
        return None if self.proposal is None else self.proposal.record_digest


class SealedPerson(msgspec.Struct, frozen=True, kw_only=True):
    """A person's record as stored: their data key wrapped by the master key, and the record
    encrypted under it."""

    wrapped_key: bytes
    sealed: bytes
    proposed: bytes | None = None
    """A proposed correction of the record, sealed under the same key, waiting for a second
    person."""


class StoredPerson(msgspec.Struct, frozen=True, kw_only=True):
    """What the store keeps of a person beside the journaled record: the office column its
    queries filter on, the sealed record and the identifiers' digests."""

    person_id: str
    office: str | None
    """None: no person row (only identifiers name this id)."""
    sealed: SealedPerson | None
    identifiers: tuple[str, ...]


class _Plain(msgspec.Struct, frozen=True, kw_only=True):
    salt: str
    """Random, sealed with the record: once the record is shredded its digest can no longer be
    linked to any guess of the values."""
    data: PersonalData


class PersonExists(DomainError):
    """The identifiers given match a person already registered."""

    type = "person-exists"


class PersonInOpenCase(DomainError):
    """A person is a member of at most one open case, across every programme and office."""

    type = "person-in-open-case"


def record_digest(
    keyring: Keyring, person_id: str, version: int, salt: str, data: PersonalData
) -> str:
    """The keyed digest the journal keeps of one version of a person's record."""
    body = msgspec.json.encode([person_id, version, salt, data], order="sorted")
    return keyring.digest(RECORD_DIGEST, body)


def seal_new_person(
    keyring: Keyring, person_id: str, salt: str, data: PersonalData
) -> SealedPerson:
    """A new person's first record version, sealed under a new data key of their own."""
    wrapped_key, sealed = keyring.seal_new(person_id.encode(), _plain(salt, data))
    return SealedPerson(wrapped_key=wrapped_key, sealed=sealed)


def open_person(
    keyring: Keyring, person_id: str, stored: SealedPerson, *, proposed: bool = False
) -> tuple[PersonalData, str]:
    """The record (or its proposed correction) and its salt; `KeyUnavailable` if it cannot be
    opened."""
    sealed = stored.proposed if proposed else stored.sealed
    if sealed is None:
        raise KeyUnavailable(
            Text("person {person_id} has no proposed correction", person_id=person_id)
        )
    plain = keyring.open(stored.wrapped_key, person_id.encode(), sealed)
    found = msgspec.json.decode(plain, type=_Plain)
    return found.data, found.salt


def seal_record(
    keyring: Keyring, person_id: str, salt: str, data: PersonalData, wrapped_key: bytes
) -> bytes:
    """`data` sealed under the person's key (a record version, or a proposed one)."""
    return keyring.seal(wrapped_key, person_id.encode(), _plain(salt, data))


def _plain(salt: str, data: PersonalData) -> bytes:
    """What is sealed of a record version: its salt and its data."""
    return msgspec.json.encode(_Plain(salt=salt, data=data))


def check_not_registered(matches: list[PersonRecord], scope: Scope) -> None:
    """`PersonExists` if any identifier matched; the match is named only if the caller may see
    its office, otherwise the caller learns only that one exists elsewhere."""
    if not matches:
        return
    visible = sorted(m.person_id for m in matches if scope.allows(m.office))
    if visible:
        raise PersonExists(
            Text("these identifiers belong to person {person_id} already", person_id=visible[0]),
            field="identifiers",
            details={"person_id": visible[0]},
        )
    raise PersonExists(
        Text(
            "these identifiers belong to a person registered by another office; ask that "
            "office or an admin"
        ),
        field="identifiers",
    )


def check_free_to_join(person_id: str, where: str, open_cases: list[str]) -> None:
    """`PersonInOpenCase` if `person_id` is a member of an open case already (named only
    through `where`, the input field, never the other case when it is not the caller's)."""
    if open_cases:
        raise PersonInOpenCase(
            Text(
                "person {person_id} is a member of an open case already: a person is a member "
                "of at most one open case at a time, across programmes and offices",
                person_id=person_id,
            ),
            field=where,
            details={"rule": "one-open-case-per-person"},
        )


def check_active(record: PersonRecord | None, person_id: str, where: str) -> PersonRecord:
    if record is None:
        raise NotFound(Text("no person {person_id}", person_id=person_id), field=where)
    if record.merged_into is not None:
        raise ValidationFailed(
            Text(
                "person {person_id} was merged into person {kept}: name that one",
                person_id=person_id,
                kept=record.merged_into,
            ),
            field=where,
        )
    if record.status is not PersonStatus.ACTIVE:
        raise ValidationFailed(person_is(person_id, record.status), field=where)
    return record


FINISHED = frozenset({PackageStatus.CLOSED, PackageStatus.CANCELLED})


def case_is_open(package_statuses: list[PackageStatus]) -> bool:
    """A case is open until it has packages and every one is closed or cancelled (a case
    with nothing drafted yet, or only rejected drafts, is still being worked on)."""
    live = [s for s in package_statuses if s is not PackageStatus.REJECTED]
    return not live or any(s not in FINISHED for s in live)
