"""A PostgreSQL database backed up with pg_dump and restored into a fresh database passes
`audit verify` and holds the same state: the procedure docs/operations.md gives."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

from reintegrate import demo
from reintegrate.services.audit import verify_audit
from reintegrate.store.sql import SqlStore
from tests.store.conftest import postgresql_database


def libpq(url: str) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """A database to back up, and a fresh one to restore it into."""
    if shutil.which("pg_dump") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump is needed under CI")
        pytest.skip("no pg_dump")
    with (
        postgresql_database("reintegrate_backed_up") as source,
        postgresql_database("reintegrate_restored") as target,
    ):
        yield source, target


def test_a_dump_restored_into_a_fresh_database_verifies_and_holds_the_same_state(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    database_url, fresh_database = databases
    source = SqlStore(database_url)
    source.create_all()
    demo.load_demo(source, 4, dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    dump = tmp_path / "reintegrate.dump"

    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", libpq(database_url)], check=True
    )
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={libpq(fresh_database)}", str(dump)], check=True
    )

    restored = SqlStore(fresh_database)
    try:
        report = verify_audit(restored)
        assert report.ok, report
        assert report.entries > 0
        assert restored.snapshot() == source.snapshot()
    finally:
        for store in (source, restored):
            store.engine.dispose()
            store.reader.dispose()
