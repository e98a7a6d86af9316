"""Persons in the SQL store: a changed row is caught by the audit, naming the record; an
erased person leaves no trace in the database files, the journal or its export, while the
audit still passes and the money adds up as before."""

from __future__ import annotations

import subprocess
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import make_url, text

from reintegrate.cases import Member
from reintegrate.errors import FourEyesViolation
from reintegrate.people.records import PersonalData
from reintegrate.people.vocabulary import ErasureReason
from reintegrate.services import erasure, households
from reintegrate.services import packages as ps
from reintegrate.services.audit import verify_audit
from reintegrate.services.audit_export import journal_export
from reintegrate.services.context import Actor
from reintegrate.services.reports import financial_report
from reintegrate.store.base import Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from tests.builders import (
    ADMIN,
    APPROVER,
    OFFICER,
    SOON,
    approved_package,
    cash,
    household,
    paid,
    register,
)
from tests.people.builders import CHECKS, marked_person, new_marker, register_marked

AUDITOR = Actor("auditor-1")


@pytest.fixture
def store(programme_store: SqlStore) -> SqlStore:
    return programme_store


def household_of_marked_people(store: SqlStore, marker: str) -> list[str]:
    """Case c1 of two people whose every personal field holds `marker`; their person ids."""
    serials = iter(range(1, 10))

    def person_of(member: Member) -> PersonalData:
        return marked_person(marker, next(serials), birth_year=member.birth_year or 1985)

    case = households.register_household(
        store, CHECKS, OFFICER, SOON, household("c1", dependants=1), person_of=person_of
    )
    return [m.person_id for m in case.members]


TAMPERING: dict[str, str] = {
    "the office of a person": "UPDATE persons SET office = 'lagos' WHERE person_id = :p",
    "the journaled body of a person": (
        "UPDATE persons SET body = REPLACE(body, :v1, :v2) WHERE person_id = :p"
    ),
    "the sealed record of a person": "UPDATE persons SET sealed = :other WHERE person_id = :p",
    "the wrapped key of a person": (
        "UPDATE persons SET wrapped_key = :other_key WHERE person_id = :p"
    ),
    "an identifier's digest": "DELETE FROM person_identifiers WHERE person_id = :p",
    "the person an identifier's digest names": (
        "UPDATE person_identifiers SET person_id = :q WHERE person_id = :p"
    ),
    "a digest left naming no stored person": (
        "UPDATE person_identifiers SET person_id = 'per_nobody' WHERE person_id = :p"
    ),
    "the person a member names": "UPDATE members SET person_id = :q WHERE person_id = :p",
}


@pytest.mark.parametrize("what", TAMPERING)
def test_changing_a_person_or_member_row_fails_the_audit_naming_the_record(
    store: SqlStore, what: str
) -> None:
    first, second = household_of_marked_people(store, new_marker())
    assert verify_audit(store).ok
    with store.engine.begin() as conn:
        other = conn.execute(
            text("SELECT sealed, wrapped_key FROM persons WHERE person_id = :q"), {"q": second}
        ).one()
        statement = TAMPERING[what]
        if store.engine.dialect.name == "postgresql":
            statement = statement.replace(
                "REPLACE(body, :v1, :v2)",
                "convert_to(replace(convert_from(body, 'UTF8'), :v1, :v2), 'UTF8')",
            )
        values = {"p": first, "q": second, "other": other.sealed, "other_key": other.wrapped_key}
        values |= {"v1": '"version":1', "v2": '"version":2'}
        conn.execute(text(statement), values)

    report = verify_audit(store)

    assert not report.ok
    named = [str(p) for p in (*report.person_problems, *(d.describe() for d in report.differences))]
    assert any(first in line for line in named), named


def _scan(paths: list[Path], needles: list[bytes]) -> list[str]:
    found = []
    for path in paths:
        if path.exists():
            content = path.read_bytes()
            found += [f"{path.name}: {n[:16]!r}" for n in needles if n in content]
    return found


def _database_bytes(store: SqlStore, tmp_path: Path) -> list[Path]:
    """The SQLite files (database and write-ahead log), or a pg_dump of the database."""
    if store.engine.dialect.name == "sqlite":
        db = Path(store.url.removeprefix("sqlite:///"))
        return [db, db.with_name(db.name + "-wal")]
    url = make_url(store.url).set(drivername="postgresql")
    dump = tmp_path / "dump.sql"
    subprocess.run(
        ["pg_dump", "--format=plain", "--file", str(dump), url.render_as_string(False)],
        check=True,
    )
    return [dump]


def test_an_erased_person_leaves_no_trace_and_the_books_still_balance(
    store: SqlStore, tmp_path: Path
) -> None:
    marker = new_marker()
    principal, dependant = household_of_marked_people(store, marker)
    package = approved_package(store, "c1", cash("c1-cash", 300_00))
    paid(store, package.package_id, "c1-cash", 300_00)
    ps.close_package(store, OFFICER, SOON, package.package_id)
    before = financial_report(store, AUDITOR, "eurp")
    with store.reading() as uow:
        keys = [uow.sealed_person(p) for p in (principal, dependant)]
    secrets = [k.wrapped_key for k in keys if k] + [k.sealed for k in keys if k]

    for person_id in (principal, dependant):
        erasure.request_erasure(store, ADMIN, SOON, person_id, ErasureReason.PERSON_ASKED)
        erasure.confirm_erasure(store, APPROVER, SOON, person_id)

    report = verify_audit(store)
    assert report.ok, (report.person_problems, report.differences)
    after = financial_report(store, AUDITOR, "eurp")
    assert msgspec.structs.replace(after, as_of_seq=0) == msgspec.structs.replace(
        before, as_of_seq=0
    )
    with journal_export(store, None, None) as export:
        exported = b"".join(export.chunks)
    assert marker.encode() not in exported
    assert _scan(_database_bytes(store, tmp_path), [marker.encode(), *secrets]) == []


def test_a_person_in_an_open_case_cannot_be_erased(store: SqlStore) -> None:
    register(store, household("c2", dependants=0))
    with store.reading() as uow:
        person_id = uow.case("c2", ADMIN.scope).persons[0][1]  # type: ignore[union-attr]

    with pytest.raises(Exception, match="open case") as refused:
        erasure.request_erasure(store, ADMIN, SOON, person_id, ErasureReason.PERSON_ASKED)
    assert getattr(refused.value, "type", "") == "erasure-refused"


def test_whoever_asked_for_an_erasure_cannot_confirm_it(store: SqlStore) -> None:
    person = register_marked(store, new_marker(), 9)
    erasure.request_erasure(store, ADMIN, SOON, person.person_id, ErasureReason.PERSON_ASKED)

    with pytest.raises(FourEyesViolation):
        erasure.confirm_erasure(store, ADMIN, SOON, person.person_id)


@pytest.mark.parametrize("kind", ["memory", "sql"])
def test_persons_read_at_once_are_those_read_one_by_one(store: SqlStore, kind: str) -> None:
    found: Store = store if kind == "sql" else MemoryStore()
    marker = new_marker()
    ids = [register_marked(found, marker, serial).person_id for serial in range(3)]
    with found.reading() as uow:
        at_once = uow.persons([*ids, "per_unknown"])
    with found.reading() as uow:
        assert at_once == {person_id: uow.person(person_id) for person_id in ids}
