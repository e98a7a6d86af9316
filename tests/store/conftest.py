"""Database URLs for the store tests: SQLite always, PostgreSQL where a server is given.

Set REINTEGRATE_TEST_POSTGRES_URL to a PostgreSQL URL whose role may create databases
(e.g. postgresql+psycopg://reintegrate:secret@127.0.0.1:5432/postgres); each test gets a
fresh database that is dropped afterwards. Without it the PostgreSQL runs are skipped,
except under CI, where a missing server is an error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from bench.api_throughput import set_up_api
from bench.databases import drop_database
from reintegrate.services import packages as ps
from reintegrate.store.sql import SqlStore
from tests.builders import (
    APPROVER,
    SOON,
    approved_disbursement,
    cash,
    household,
    in_kind,
    programme,
    register,
    submitted_package,
)
from tests.store.servers import Server

POSTGRES = os.environ.get("REINTEGRATE_TEST_POSTGRES_URL")


@contextmanager
def postgresql_database(prefix: str = "reintegrate_test") -> Iterator[str]:
    """A new, empty database on the PostgreSQL server given, dropped afterwards; the test is
    skipped without a server (failed under CI, where one is always started)."""
    if not POSTGRES:
        if os.environ.get("CI") == "true":
            pytest.fail("REINTEGRATE_TEST_POSTGRES_URL is not set under CI")
        pytest.skip("REINTEGRATE_TEST_POSTGRES_URL is not set")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/db.sqlite"
        return
    with postgresql_database() as url:
        yield url


@pytest.fixture
def one_payment_approved(database_url: str) -> Iterator[SqlStore]:
    """The EU programme, household c1, package pkg-1 approved and one payment approved."""
    store = SqlStore(database_url)
    store.create_all()
    programme(store)
    register(store, household("c1"))
    submitted_package(
        store, "c1", cash("c-cash", 615_00), in_kind("c-house", 2_000_00), package_id="pkg-1"
    )
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    approved_disbursement(store, "pkg-1", "c-cash", 100_00)
    yield store
    store.engine.dispose()


@pytest.fixture
def programme_store(database_url: str) -> Iterator[SqlStore]:
    """A database with the EU programme and nothing else."""
    found = SqlStore(database_url)
    found.create_all()
    programme(found)
    yield found
    found.engine.dispose()


@contextmanager
def serving(database_url: str, folder: Path, cases: int = 1) -> Iterator[tuple[str, str]]:
    """The API served by two worker processes over `database_url`, set up with `cases`
    cases, each with an approved package (`set_up_api`): (base URL, a token)."""
    token = set_up_api(database_url, cases)
    server = Server(database_url, folder, workers=2)
    server.start()
    try:
        yield server.base, token
    finally:
        server.stop()


@pytest.fixture
def two_workers(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The API served by two worker processes over `database_url`: (base URL, a token)."""
    with serving(database_url, tmp_path) as served:
        yield served


@pytest.fixture
def two_workers_four_cases(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """As `two_workers`, with four cases whose packages are bench-pkg-1 to bench-pkg-4."""
    with serving(database_url, tmp_path, cases=4) as served:
        yield served
