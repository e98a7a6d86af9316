"""A person's journaled state, rebuilt from their events alone (for projections and replay)."""

from __future__ import annotations

import msgspec

from reintegrate.events.people import PersonErased, PersonErasureRequested, PersonRegistered
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import PersonRecord

PersonEvent = PersonRegistered | PersonErasureRequested | PersonErased


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
            return msgspec.structs.replace(current, status=PersonStatus.ERASED, record_digest=None)
