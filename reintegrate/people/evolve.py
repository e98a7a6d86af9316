"""A person's journaled state, rebuilt from their events alone (for projections and replay)."""

from __future__ import annotations

from typing import assert_never

import msgspec

from reintegrate.events.people import (
    PersonCorrected,
    PersonCorrectionProposed,
    PersonErased,
    PersonErasureRequested,
    PersonRegistered,
)
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import PersonRecord, Proposal

PersonEvent = (
    PersonRegistered
    | PersonErasureRequested
    | PersonErased
    | PersonCorrectionProposed
    | PersonCorrected
)


def evolve_person(current: PersonRecord | None, event: PersonEvent, actor: str) -> PersonRecord:
    match event:
        case PersonRegistered():
            assert current is None, f"a person is registered once ({event.person_id})"
            return PersonRecord(
                person_id=event.person_id, office=event.office, record_digest=event.record_digest
            )
        case PersonErasureRequested():
            assert current is not None, f"erasure follows registration ({event.person_id})"
            return msgspec.structs.replace(
                current,
                status=PersonStatus.ERASURE_REQUESTED,
                erasure_requested_by=actor,
                erasure_reason=event.reason,
            )
        case PersonErased():
            assert current is not None, f"erasure follows registration ({event.person_id})"
            return msgspec.structs.replace(
                current, status=PersonStatus.ERASED, record_digest=None, proposal=None
            )
        case PersonCorrectionProposed() | PersonCorrected():
            assert current is not None, f"a correction follows registration ({event.person_id})"
            return _corrected(current, event, actor)
    assert_never(event)


def _corrected(
    current: PersonRecord, event: PersonCorrectionProposed | PersonCorrected, actor: str
) -> PersonRecord:
    if isinstance(event, PersonCorrected):
        return msgspec.structs.replace(
            current, version=event.version, record_digest=event.record_digest, proposal=None
        )
    proposal = Proposal(
        record_digest=event.record_digest,
        fields=event.fields,
        reason=event.reason,
        proposed_by=actor,
    )
    return msgspec.structs.replace(current, proposal=proposal)


def merge_persons(kept: PersonRecord, merged: PersonRecord) -> tuple[PersonRecord, PersonRecord]:
    """`kept` and `merged` after `merged` was found to be `kept`."""
    return (
        msgspec.structs.replace(kept, merged=(*kept.merged, merged.person_id, *merged.merged)),
        msgspec.structs.replace(merged, status=PersonStatus.MERGED, merged_into=kept.person_id),
    )


def distinguish(first: PersonRecord, second: PersonRecord) -> tuple[PersonRecord, PersonRecord]:
    """`first` and `second` after they were found to be different people."""
    return (
        msgspec.structs.replace(first, distinct_from=(*first.distinct_from, second.person_id)),
        msgspec.structs.replace(second, distinct_from=(*second.distinct_from, first.person_id)),
    )
