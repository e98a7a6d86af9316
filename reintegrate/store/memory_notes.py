"""Sealed free text and its owners' keys in the in-memory store."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from reintegrate.notes import Note, NoteKey

if TYPE_CHECKING:
    from reintegrate.store.memory_state import MemoryState


class NotesState:
    """What the in-memory unit of work offers for sealed free text."""

    state: MemoryState

    def note_key(self, owner: str) -> NoteKey | None:
        return self.state.note_keys.get(owner)

    def put_note_key(self, owner: str, key: NoteKey | None) -> None:
        if key is not None:
            self.state.note_keys[owner] = key
            return
        self.state.note_keys.pop(owner, None)
        for note in [n for n in self.state.notes if n.owner == owner]:
            del self.state.notes[note]

    def put_note(self, note: Note, sealed: bytes) -> None:
        self.state.notes[note] = sealed

    def sealed_notes(self, notes: Iterable[Note]) -> dict[Note, tuple[bytes, bytes]]:
        found: dict[Note, tuple[bytes, bytes]] = {}
        for note in notes:
            key, sealed = self.state.note_keys.get(note.owner), self.state.notes.get(note)
            if key is not None and sealed is not None:
                found[note] = (key.wrapped_key, sealed)
        return found
