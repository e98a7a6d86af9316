"""Sealed free text and its owners' keys in the SQL store (mixed into the SQL unit of work)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, Table, bindparam, select

from reintegrate.notes import Note, NoteKey
from reintegrate.store import tables as t
from reintegrate.store.fast_sql import in_lists
from reintegrate.store.sql_business import RowPrimitives

NOTE_KEYS: Table = t.NoteKeyRow.__table__  # type: ignore[attr-defined]
NOTES: Table = t.NoteRow.__table__  # type: ignore[attr-defined]


class NoteRows(RowPrimitives):
    """What the SQL unit of work offers for sealed free text."""

    def note_key(self, owner: str) -> NoteKey | None:
        query = select(NOTE_KEYS.c.wrapped_key, NOTE_KEYS.c.salt).where(NOTE_KEYS.c.owner == owner)
        row = self.s.execute(query).one_or_none()
        return None if row is None else NoteKey(wrapped_key=row.wrapped_key, salt=row.salt)

    def put_note_key(self, owner: str, key: NoteKey | None) -> None:
        if key is not None:
            self.s.execute(
                NOTE_KEYS.insert().values(owner=owner, wrapped_key=key.wrapped_key, salt=key.salt)
            )
            return
        old = self.note_key(owner)  # overwrite first, so that no page keeps the old bytes
        if old is not None:
            self.s.execute(
                NOTE_KEYS.update()
                .where(NOTE_KEYS.c.owner == owner)
                .values(wrapped_key=bytes(len(old.wrapped_key)), salt=bytes(len(old.salt)))
            )
        for digest, sealed in self.s.execute(
            select(NOTES.c.digest, NOTES.c.sealed).where(NOTES.c.owner == owner)
        ).all():
            self.s.execute(
                NOTES.update()
                .where(NOTES.c.owner == owner, NOTES.c.digest == digest)
                .values(sealed=bytes(len(sealed)))
            )
        self.s.execute(NOTES.delete().where(NOTES.c.owner == owner))
        self.s.execute(NOTE_KEYS.delete().where(NOTE_KEYS.c.owner == owner))

    def put_note(self, note: Note, sealed: bytes) -> None:
        self.write_row(
            NOTES, ["owner", "digest"], owner=note.owner, digest=note.digest, sealed=sealed
        )

    def sealed_notes(self, notes: Iterable[Note]) -> dict[Note, tuple[bytes, bytes]]:
        """The sealed text and wrapped key of each of `notes` that is stored: the notes of a
        chunk of owners per statement (an audit asks for every note of the journal, one
        owner each: a statement per owner was 300,000 of them)."""
        by_owner: dict[str, set[str]] = defaultdict(set)
        for note in notes:
            by_owner[note.owner].add(note.digest)
        found: dict[Note, tuple[bytes, bytes]] = {}
        for params in in_lists(sorted(by_owner)):
            for owner, digest, sealed, wrapped_key in self.fast.execute(
                _sealed_of_owners(len(params)), params
            ):
                if digest in by_owner[owner]:
                    found[Note(owner=owner, digest=digest)] = (wrapped_key, sealed)
        return found

    def note_wrapped_keys(self, after: str = "", limit: int = 1000) -> list[tuple[str, bytes]]:
        """(owner, wrapped data key) of the notes' owners, by owner, after `after`."""
        query = (
            select(NOTE_KEYS.c.owner, NOTE_KEYS.c.wrapped_key)
            .where(NOTE_KEYS.c.owner > after)
            .order_by(NOTE_KEYS.c.owner)
            .limit(limit)
        )
        return [(row.owner, row.wrapped_key) for row in self.s.execute(query)]

    def put_note_wrapped_key(self, owner: str, wrapped_key: bytes) -> None:
        self.s.execute(
            NOTE_KEYS.update().where(NOTE_KEYS.c.owner == owner).values(wrapped_key=wrapped_key)
        )


def _sealed_of_owners(count: int) -> Select[Any]:
    """(owner, digest, sealed text, wrapped key) of every note whose owner is one of `count`
    parameters k0, k1... (`fast_sql.in_lists`)."""
    owners: list[Any] = [bindparam(f"k{i}") for i in range(count)]
    return (
        select(NOTES.c.owner, NOTES.c.digest, NOTES.c.sealed, NOTE_KEYS.c.wrapped_key)
        .join(NOTE_KEYS, NOTE_KEYS.c.owner == NOTES.c.owner)
        .where(NOTES.c.owner.in_(owners))
    )
