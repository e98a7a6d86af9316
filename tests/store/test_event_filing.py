"""Each journal entry is filed under the office of what it is about, when it is appended and,
for a journal written before, when the database is upgraded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import text

from reintegrate.demo.people import register_demo_household
from reintegrate.services import packages as ps
from reintegrate.store.migrate import alembic_config
from reintegrate.store.sql import SqlStore
from tests.builders import (
    ADMIN,
    APPROVER,
    SOON,
    cash,
    household,
    programme,
    register,
    requested,
    submitted_package,
)


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    """A dakar case with a package approved and a payment asked for, and a lagos case."""
    found = SqlStore(database_url)
    found.create_all()
    programme(found)
    register(found, household("c1"))
    submitted_package(found, "c1", cash("c-cash", 300_00), package_id="pkg-1")
    ps.approve_package(found, APPROVER, SOON, "pkg-1")
    requested(found, "pkg-1", "c-cash", 100_00)
    register_demo_household(found, ADMIN, SOON, household("c2", office="lagos"))
    yield found
    found.engine.dispose()
    found.reader.dispose()


def _filed(store: SqlStore) -> list[tuple[str, str | None]]:
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT type, office FROM journal ORDER BY seq"))
        return [(row.type, row.office) for row in rows]


def test_an_entry_is_filed_under_its_cases_office_and_a_programme_event_under_none(
    store: SqlStore,
) -> None:
    filed = _filed(store)

    assert ("ProgrammeCreated", None) in filed
    assert ("PolicyAdopted", None) in filed
    assert [o for t, o in filed if t == "CaseRegistered"] == ["dakar", "lagos"]
    assert {o for t, o in filed if t.startswith(("Package", "Disbursement"))} == {"dakar"}
    assert {o for t, o in filed if t == "EntitlementGranted"} == {"dakar"}
    assert {o for t, o in filed if t.startswith("Person")} == {None}


def test_upgrading_a_journal_written_before_files_its_entries_alike(store: SqlStore) -> None:
    appended = _filed(store)
    command.downgrade(alembic_config(store.engine), "0012")

    store.create_all()

    assert _filed(store) == appended
