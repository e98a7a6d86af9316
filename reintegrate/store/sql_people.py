"""Persons, their sealed records and their identifiers' digests in the SQL store (mixed into
the SQL unit of work)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

import msgspec
from sqlalchemy import Table, bindparam, select

from reintegrate.people.access_log import PersonalRead
from reintegrate.people.registry import PersonRecord, SealedPerson
from reintegrate.store import tables as t
from reintegrate.store.sql_business import RowPrimitives
from reintegrate.store.sql_notes import NOTE_KEYS
from reintegrate.store.sql_webhooks import SUBSCRIPTIONS

PERSONS: Table = t.PersonRow.__table__  # type: ignore[attr-defined]
IDENTIFIERS: Table = t.PersonIdentifierRow.__table__  # type: ignore[attr-defined]
MEMBERS: Table = t.MemberRow.__table__  # type: ignore[attr-defined]
ACCESS_LOG: Table = t.AccessLogRow.__table__  # type: ignore[attr-defined]
CASE_IMPORTS: Table = t.CaseImportRow.__table__  # type: ignore[attr-defined]
_ENCODER = msgspec.json.Encoder(order="sorted")
KEYS_PER_READ = 5000
_SEAL_NEW = (
    PERSONS.update()
    .where(PERSONS.c.person_id == bindparam("sealed_person_id"))
    .values(wrapped_key=bindparam("sealed_key"), sealed=bindparam("sealed_record"))
)
_ADD_IDENTIFIERS = IDENTIFIERS.insert()
_SEALED = select(PERSONS.c.wrapped_key, PERSONS.c.sealed, PERSONS.c.proposed).where(
    PERSONS.c.person_id == bindparam("sealed_of")
)
"""Built once: `fast_sql` compiles a statement once, and runs a list of parameter sets as
one executemany on the driver, where `Connection.execute` prepared each set in Python."""


class PeopleRows(RowPrimitives):
    """What the SQL unit of work offers for the person registry."""

    def person(self, person_id: str) -> PersonRecord | None:
        return self.read_row(PERSONS, "person_id", person_id, PersonRecord)

    def persons(self, person_ids: Collection[str]) -> dict[str, PersonRecord]:
        return self.read_rows(PERSONS, "person_id", person_ids, PersonRecord)

    def put_person(self, record: PersonRecord) -> None:
        self.write_row(
            PERSONS,
            ["person_id"],
            person_id=record.person_id,
            office=record.office,
            body=_ENCODER.encode(record),
        )
        self.keep_row(PERSONS, record.person_id, record)

    def sealed_person(self, person_id: str) -> SealedPerson | None:
        row = self.fast.execute(_SEALED, {"sealed_of": person_id}).first()
        if row is None or row.wrapped_key is None or row.sealed is None:
            return None
        return SealedPerson(wrapped_key=row.wrapped_key, sealed=row.sealed, proposed=row.proposed)

    def put_sealed_person(self, person_id: str, sealed: SealedPerson | None) -> None:
        if sealed is not None:
            values: dict[str, bytes | None] = {
                "wrapped_key": sealed.wrapped_key,
                "sealed": sealed.sealed,
                "proposed": sealed.proposed,
            }
        else:  # overwrite first, so that no page keeps the old bytes, then null
            old = self.sealed_person(person_id)
            if old is not None:
                zeros = {
                    "wrapped_key": bytes(len(old.wrapped_key)),
                    "sealed": bytes(len(old.sealed)),
                    "proposed": bytes(len(old.proposed or b"")),
                }
                self.s.execute(
                    PERSONS.update().where(PERSONS.c.person_id == person_id).values(**zeros)
                )
            values = {"wrapped_key": None, "sealed": None, "proposed": None}
        self.s.execute(PERSONS.update().where(PERSONS.c.person_id == person_id).values(**values))

    def persons_with_identifiers(self, digests: Iterable[str]) -> list[PersonRecord]:
        wanted = sorted(set(digests))
        if not wanted:
            return []
        query = (
            select(PERSONS.c.body)
            .join(IDENTIFIERS, IDENTIFIERS.c.person_id == PERSONS.c.person_id)
            .where(IDENTIFIERS.c.digest.in_(wanted))
            .distinct()
        )
        found = [msgspec.json.decode(b, type=PersonRecord) for b in self.s.execute(query).scalars()]
        return sorted(found, key=lambda p: p.person_id)

    def put_identifiers(self, person_id: str, digests: Iterable[str]) -> None:
        self.s.execute(IDENTIFIERS.delete().where(IDENTIFIERS.c.person_id == person_id))
        rows = [{"digest": d, "person_id": person_id} for d in sorted(set(digests))]
        if rows:
            self.s.execute(IDENTIFIERS.insert(), rows)

    def cases_of_persons(self, person_ids: Iterable[str]) -> list[tuple[str, str]]:
        query = select(MEMBERS.c.case_id, MEMBERS.c.person_id).where(
            MEMBERS.c.person_id.in_(sorted(set(person_ids)))
        )
        return sorted((row.case_id, row.person_id) for row in self.s.execute(query))

    def all_person_ids(self) -> list[str]:
        return list(self.s.execute(select(PERSONS.c.person_id).order_by("person_id")).scalars())

    def wrapped_keys(self, after: str = "", limit: int = 1000) -> list[tuple[str, bytes]]:
        """(person_id, wrapped data key) of persons whose key is kept, by id, after `after`."""
        query = (
            select(PERSONS.c.person_id, PERSONS.c.wrapped_key)
            .where(PERSONS.c.wrapped_key.is_not(None), PERSONS.c.person_id > after)
            .order_by(PERSONS.c.person_id)
            .limit(limit)
        )
        return [(row.person_id, row.wrapped_key) for row in self.s.execute(query)]

    def every_wrapped_key(self) -> Iterator[bytes]:
        """Every stored data key (the persons', the notes' owners', the webhook secrets'), a
        table at a time in no order, read as it goes."""
        stream = self.s.execution_options(yield_per=KEYS_PER_READ)
        for column in (PERSONS.c.wrapped_key, NOTE_KEYS.c.wrapped_key, SUBSCRIPTIONS.c.secret_key):
            yield from stream.execute(select(column).where(column.is_not(None))).scalars()

    def put_wrapped_key(self, person_id: str, wrapped_key: bytes) -> None:
        self.s.execute(
            PERSONS.update().where(PERSONS.c.person_id == person_id).values(wrapped_key=wrapped_key)
        )

    def add_personal_read(self, read: PersonalRead) -> None:
        self.s.execute(
            ACCESS_LOG.insert().values(person_id=read.person_id, body=_ENCODER.encode(read))
        )

    def personal_reads(
        self, after: int, limit: int, person_id: str | None = None
    ) -> list[tuple[int, PersonalRead]]:
        """Reads logged after id `after`, oldest first (of one person if given)."""
        query = select(ACCESS_LOG.c.id, ACCESS_LOG.c.body).where(ACCESS_LOG.c.id > after)
        if person_id is not None:
            query = query.where(ACCESS_LOG.c.person_id == person_id)
        rows = self.s.execute(query.order_by(ACCESS_LOG.c.id).limit(limit))
        return [(row.id, msgspec.json.decode(row.body, type=PersonalRead)) for row in rows]

    def add_new_persons(self, persons: Sequence[tuple[str, SealedPerson, Sequence[str]]]) -> None:
        if not persons:
            return
        self.fast.execute(
            _SEAL_NEW,
            [
                {"sealed_person_id": p, "sealed_key": s.wrapped_key, "sealed_record": s.sealed}
                for p, s, _ in persons
            ],
        )
        rows = [{"digest": d, "person_id": p} for p, _, ds in persons for d in sorted(set(ds))]
        if rows:
            self.fast.execute(_ADD_IDENTIFIERS, rows)

    def case_import_with_digest(self, file_digest: str) -> str | None:
        query = select(CASE_IMPORTS.c.import_id).where(CASE_IMPORTS.c.file_digest == file_digest)
        found: str | None = self.s.execute(query).scalar_one_or_none()
        return found

    def put_case_import(self, import_id: str, programme_id: str, file_digest: str) -> None:
        self.s.execute(
            CASE_IMPORTS.insert().values(
                import_id=import_id, programme_id=programme_id, file_digest=file_digest
            )
        )
