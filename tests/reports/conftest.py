"""A demo database shared by the report tests that only read it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reintegrate import demo
from reintegrate.store.sql import SqlStore

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
HOUSEHOLDS = 10


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo data; tests copy it before changing anything."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = SqlStore(f"sqlite:///{path}")
    store.create_all()
    demo.load_demo(store, HOUSEHOLDS, NOW)
    store.engine.dispose()
    store.reader.dispose()
    return path
