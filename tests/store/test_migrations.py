"""The migrations build exactly the schema the tables declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from reintegrate.store import tables  # noqa: F401  (registers the tables)
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
        assert MigrationContext.configure(conn).get_current_heads() == ("0007",)
    store.engine.dispose()
