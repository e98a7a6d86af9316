"""The migrations build exactly the schema the tables declare."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from reintegrate.store import tables  # noqa: F401  (registers the tables)
from reintegrate.store.migrate import MembersBeforeRegistry, upgrade
from reintegrate.store.sql import SqlStore


def test_upgrading_an_empty_database_gives_the_declared_schema(database_url: str) -> None:
    store = SqlStore(database_url)
    store.create_all()
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    store.engine.dispose()

    assert differences == []


def test_upgrading_twice_changes_nothing(database_url: str) -> None:
    store = SqlStore(database_url)
    store.create_all()
    store.create_all()
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == ("0008",)
    store.engine.dispose()


def test_a_database_with_members_from_before_the_person_registry_is_refused_in_one_line(
    database_url: str,
) -> None:
    store = SqlStore(database_url)
    upgrade(store.engine, "0007")
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO members (case_id, member_id, position, person_ref, body) "
                "VALUES ('c1', 'm1', 0, 'ref-1', :body)"
            ),
            {"body": b"{}"},
        )

    with pytest.raises(MembersBeforeRegistry, match="1 case members registered before"):
        store.create_all()
    store.engine.dispose()
