"""Sealing free text before it is journaled, opening it for views, erasing it with the
people it may name (`reintegrate.notes` says which fields are free text).

A note is sealed under its owner's data key (AES-GCM, bound to the owner and the digest, so
a sealed text moved to another note fails to open) and found by a keyed digest of the text
salted per owner; the key and the salt are destroyed together when the owner's texts are
erased.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TypeVar

from reintegrate import events as ev
from reintegrate.access import EVERYWHERE
from reintegrate.notes import ERASED, Note, NoteKey, notes_in, open_notes, seal_texts
from reintegrate.people.keys import Keyring, KeyUnavailable
from reintegrate.store.base import Store, UnitOfWork
from reintegrate.texts import Text

T = TypeVar("T")
NOTE_DIGEST = "note"
"""The purpose of a note's digest: it never equals an identifier's or a record's."""

_OWNER_IDS = ("case_id", "plan_id", "project_id", "grant_id", "batch_id", "import_id", "round_id")
"""The records that own the texts of an event without a case, in this order."""


def sealed_event(uow: UnitOfWork, event: ev.Event) -> ev.Event:
    """`event` with its free text sealed into the notes store (unchanged if it has none)."""
    owner: list[str] = []

    def seal(text: str) -> Note:
        if not owner:
            owner.append(owner_of(uow, event))
        return seal_note(uow, owner[0], text)

    return seal_texts(event, seal)


def seal_note(uow: UnitOfWork, owner: str, text: str) -> Note:
    keyring = uow.keyring
    key = uow.note_key(owner)
    if key is None:
        key = NoteKey(wrapped_key=keyring.new_data_key(), salt=secrets.token_bytes(16))
        uow.put_note_key(owner, key)
    note = Note(owner=owner, digest=note_digest(keyring, key, owner, text))
    uow.put_note(note, keyring.seal(key.wrapped_key, _context(note), text.encode()))
    return note


def note_digest(keyring: Keyring, key: NoteKey, owner: str, text: str) -> str:
    return keyring.digest(NOTE_DIGEST, b"\0".join([key.salt, owner.encode(), text.encode()]))


def owner_of(uow: UnitOfWork, event: ev.Event) -> str:
    """Whose key seals the event's texts: the case it concerns wherever there is one (so that
    erasing the case's people erases them; a business plan of one case's owners is that
    case's), else the record the event is about."""
    case_id = None if getattr(event, "case_id", None) else _case_behind(uow, event)
    if case_id is not None:
        return case_id
    for name in _OWNER_IDS:
        if found := getattr(event, name, None):
            return str(found)
    raise AssertionError(f"{type(event).__name__} has free text but no record to own it")


def _case_behind(uow: UnitOfWork, event: ev.Event) -> str | None:
    """The one case an event without a case id concerns, through its package, payment,
    follow-up or business plan; None where there is none, or several."""
    package = uow.packages.get(getattr(event, "package_id", None) or "", EVERYWHERE)
    if package is not None:
        return package.case_id
    disbursement_id = getattr(event, "disbursement_id", None)
    if type(event) is ev.FollowUpClosed:
        found = uow.rounds.get(event.round_id, EVERYWHERE)
        follow_up = found.follow_up(event.follow_up_id) if found is not None else None
        disbursement_id = follow_up.disbursement_id if follow_up is not None else None
    disbursement = uow.disbursements.get(disbursement_id or "", EVERYWHERE)
    if disbursement is not None:
        return disbursement.case_id
    if type(event) is ev.BusinessPlanDrafted:
        cases = tuple(dict.fromkeys(o.case_id for o in event.owners))
    else:
        plan = uow.plans.get(_plan_id(event), EVERYWHERE)
        cases = plan.case_ids if plan is not None else ()
    return cases[0] if len(cases) == 1 else None


def _plan_id(event: ev.Event) -> str:
    """The business plan an event concerns, by its plan id or as the grant it names."""
    if isinstance(event, ev.MilestoneEvent):
        return event.grant_id if event.grant is ev.GrantKind.BUSINESS_PLAN else ""
    return getattr(event, "plan_id", None) or ""


def opened(uow: UnitOfWork, value: T) -> T:
    """`value` with every note replaced by its words (`ERASED` where the owner's texts were
    erased), for showing."""
    wanted = set(notes_in(value))
    if not wanted:
        return value
    sealed = uow.sealed_notes(wanted)
    words = {note: _open(uow.keyring, note, *kept) for note, kept in sealed.items()}
    return open_notes(value, lambda note: words.get(note, ERASED))


def read_opened(store: Store, value: T) -> T:
    """`opened`, reading the notes outside any command."""
    if not any(True for _ in notes_in(value)):
        return value
    with store.reading() as uow:
        return opened(uow, value)


def erase_texts(uow: UnitOfWork, owners: Iterable[str]) -> None:
    """Destroy the owners' keys and overwrite their notes."""
    for owner in owners:
        uow.put_note_key(owner, None)


def note_problem(keyring: Keyring, note: Note, kept: tuple[bytes, bytes] | None) -> Text | None:
    """What is wrong with a journaled note as stored (None: it opens, which proves it unchanged
    and in its place, the owner and digest being bound to the sealed bytes)."""
    if kept is None:
        return Text("note {note} of {owner} is missing", note=note.digest[:12], owner=note.owner)
    try:
        _open(keyring, note, *kept)
    except KeyUnavailable:
        return Text("note {note} of {owner} does not open", note=note.digest[:12], owner=note.owner)
    return None


def _open(keyring: Keyring, note: Note, wrapped_key: bytes, sealed: bytes) -> str:
    return keyring.open(wrapped_key, _context(note), sealed).decode()


def _context(note: Note) -> bytes:
    return f"note:{note.owner}:{note.digest}".encode()
