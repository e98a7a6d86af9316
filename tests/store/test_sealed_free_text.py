"""Free text in the SQL store: what officers write in their own words (a component's
description, a rejection's reason) is never journaled; the journal keeps a note of it, the
views open it, the audit checks it, and it goes with the last person of its case."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from sqlalchemy import text

from reintegrate.notes import ERASED, Note, NoteKey
from reintegrate.people.vocabulary import ErasureReason
from reintegrate.services import erasure
from reintegrate.services import packages as ps
from reintegrate.services.audit import verify_audit
from reintegrate.services.audit_export import journal_export
from reintegrate.services.keys import rotate_data_keys, stored_wrapped_keys
from reintegrate.services.notes import read_opened
from reintegrate.store.sql import SqlStore
from tests.builders import (
    ADMIN,
    APPROVER,
    OFFICER,
    SOON,
    approved_package,
    cash,
    paid,
    submitted_package,
)
from tests.people.builders import new_marker
from tests.store.test_people_store import _database_bytes, _scan, household_of_marked_people


@pytest.fixture
def store(programme_store: SqlStore) -> SqlStore:
    return programme_store


def case_with_written_words(store: SqlStore, marker: str) -> tuple[list[str], str, str]:
    """Case c1 of two marked people, a paid package whose component's description names the
    marker, and a rejected one whose reason does: (person ids, paid package, rejected one)."""
    persons = household_of_marked_people(store, new_marker())
    spec = msgspec.structs.replace(cash("c1-cash", 300_00), description=f"tools for {marker}")
    kept = approved_package(store, "c1", spec)
    paid(store, kept.package_id, "c1-cash", 300_00)
    ps.close_package(store, OFFICER, SOON, kept.package_id)
    refused = submitted_package(store, "c1", cash("c1-more", 50_00))
    ps.reject_package(store, APPROVER, SOON, refused.package_id, f"{marker} asked twice")
    return persons, kept.package_id, refused.package_id


def _journal_bytes(store: SqlStore) -> bytes:
    with journal_export(store, None, None) as export:
        return b"".join(export.chunks)


def test_the_journal_keeps_a_note_of_the_words_and_the_views_open_it(store: SqlStore) -> None:
    marker = new_marker()
    _, kept, refused = case_with_written_words(store, marker)

    assert marker.encode() not in _journal_bytes(store)
    with store.reading() as uow:
        packages = [uow.packages.get(p, OFFICER.scope) for p in (kept, refused)]
    shown = read_opened(store, packages)
    assert shown[0] is not None
    assert shown[0].components[0].description == f"tools for {marker}"
    assert shown[1] is not None
    assert shown[1].reason == f"{marker} asked twice"
    assert verify_audit(store).ok


def test_the_words_go_with_the_last_person_of_their_case(store: SqlStore, tmp_path: Path) -> None:
    marker = new_marker()
    persons, kept, refused = case_with_written_words(store, marker)

    erasure.request_erasure(store, ADMIN, SOON, persons[0], ErasureReason.PERSON_ASKED)
    erasure.confirm_erasure(store, APPROVER, SOON, persons[0])
    with store.reading() as uow:
        still = read_opened(store, uow.packages.get(refused, OFFICER.scope))
    assert still is not None
    assert still.reason == f"{marker} asked twice", "one person remains"

    erasure.request_erasure(store, ADMIN, SOON, persons[1], ErasureReason.PERSON_ASKED)
    erasure.confirm_erasure(store, APPROVER, SOON, persons[1])

    with store.reading() as uow:
        shown = read_opened(store, [uow.packages.get(p, OFFICER.scope) for p in (kept, refused)])
    assert shown[0] is not None
    assert shown[0].components[0].description == ERASED
    assert shown[1] is not None
    assert shown[1].reason == ERASED
    report = verify_audit(store)
    assert report.ok, (report.note_problems, report.differences)
    assert _scan(_database_bytes(store, tmp_path), [marker.encode()]) == []


def test_a_changed_or_missing_note_fails_the_audit_naming_its_owner(store: SqlStore) -> None:
    case_with_written_words(store, new_marker())
    with store.engine.begin() as conn:
        first, second = conn.execute(text("SELECT digest, sealed FROM notes LIMIT 2")).all()
        conn.execute(
            text("UPDATE notes SET sealed = :other WHERE digest = :d"),
            {"other": second.sealed, "d": first.digest},
        )
        conn.execute(text("DELETE FROM notes WHERE digest = :d"), {"d": second.digest})

    report = verify_audit(store)

    assert not report.ok
    assert sorted(str(p).split()[-1] for p in report.note_problems) == ["missing", "open"]
    assert all(" of c1 " in str(p) for p in report.note_problems), report.note_problems


def test_the_start_up_key_check_reads_every_data_key_a_rotation_rewraps(store: SqlStore) -> None:
    case_with_written_words(store, new_marker())

    checked = len(list(stored_wrapped_keys(store)))

    assert checked == rotate_data_keys(store) >= 3  # two persons and the case's notes


def test_rotating_the_master_key_keeps_every_note_readable(store: SqlStore) -> None:
    marker = new_marker()
    _, _, refused = case_with_written_words(store, marker)
    with store.reading() as uow:
        owners = uow.note_wrapped_keys()
    assert [owner for owner, _ in owners] == ["c1"]

    rotated = rotate_data_keys(store)

    with store.reading() as uow:
        assert uow.note_wrapped_keys() != owners
        shown = read_opened(store, uow.packages.get(refused, OFFICER.scope))
    assert rotated >= 3  # two persons and the case's notes
    assert shown is not None
    assert shown.reason == f"{marker} asked twice"


def test_the_sealed_notes_of_more_owners_than_one_statement_reads_are_all_found(
    store: SqlStore,
) -> None:
    notes = [Note(owner=f"c{i:04}", digest=f"d{i:04}") for i in range(1_100)]
    with store.unit_of_work() as uow:
        for i, note in enumerate(notes):
            uow.put_note_key(note.owner, NoteKey(wrapped_key=f"key {i}".encode(), salt=b"salt"))
            uow.put_note(note, f"sealed {i}".encode())
            uow.put_note(Note(owner=note.owner, digest="other"), b"not asked for")
        uow.commit()

    with store.reading() as uow:
        found = uow.sealed_notes([*notes, Note(owner="nobody", digest="d0000")])

    assert found == {n: (f"key {i}".encode(), f"sealed {i}".encode()) for i, n in enumerate(notes)}
