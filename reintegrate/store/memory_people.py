"""Persons, their sealed records and their identifiers' digests in the in-memory store."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from reintegrate.people.access_log import PersonalRead
from reintegrate.people.registry import PersonRecord, SealedPerson

if TYPE_CHECKING:
    from reintegrate.store.memory_state import MemoryState


class PeopleState:
    """What the in-memory unit of work offers for the person registry."""

    state: MemoryState

    def person(self, person_id: str) -> PersonRecord | None:
        return self.state.persons.get(person_id)

    def persons(self, person_ids: Collection[str]) -> dict[str, PersonRecord]:
        found = ((p, self.state.persons.get(p)) for p in person_ids)
        return {p: record for p, record in found if record is not None}

    def put_person(self, record: PersonRecord) -> None:
        self.state.persons[record.person_id] = record

    def sealed_person(self, person_id: str) -> SealedPerson | None:
        return self.state.sealed.get(person_id)

    def put_sealed_person(self, person_id: str, sealed: SealedPerson | None) -> None:
        if sealed is None:
            self.state.sealed.pop(person_id, None)
        else:
            self.state.sealed[person_id] = sealed

    def persons_with_identifiers(self, digests: Iterable[str]) -> list[PersonRecord]:
        found = {self.state.identifiers[d] for d in digests if d in self.state.identifiers}
        return [self.state.persons[p] for p in sorted(found)]

    def add_new_persons(self, persons: Sequence[tuple[str, SealedPerson, Sequence[str]]]) -> None:
        for person_id, sealed, digests in persons:
            self.state.sealed[person_id] = sealed
            self.state.identifiers.update(dict.fromkeys(digests, person_id))

    def case_import_with_digest(self, file_digest: str) -> str | None:
        return self.state.case_imports.get(file_digest)

    def put_case_import(self, import_id: str, programme_id: str, file_digest: str) -> None:
        assert file_digest not in self.state.case_imports, "a file is imported once"
        self.state.case_imports[file_digest] = import_id

    def put_identifiers(self, person_id: str, digests: Iterable[str]) -> None:
        kept = {d: p for d, p in self.state.identifiers.items() if p != person_id}
        kept.update(dict.fromkeys(digests, person_id))
        self.state.identifiers = kept

    def cases_of_persons(self, person_ids: Iterable[str]) -> list[tuple[str, str]]:
        wanted = set(person_ids)
        return sorted(
            (key.split("/", 1)[0], person_id)
            for key, person_id in self.state.members.items()
            if person_id in wanted
        )

    def all_person_ids(self) -> list[str]:
        return sorted(self.state.persons)

    def add_personal_read(self, read: PersonalRead) -> None:
        self.state.access_log.append(read)

    def personal_reads(
        self, after: int, limit: int, person_id: str | None = None
    ) -> list[tuple[int, PersonalRead]]:
        found = [
            (n, read)
            for n, read in enumerate(self.state.access_log, start=1)
            if n > after and (person_id is None or read.person_id == person_id)
        ]
        return found[:limit]
