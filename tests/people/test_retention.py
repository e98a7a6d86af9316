"""Retention: a person is erased once every case of theirs has been closed for their
programme's retention period; never while a case is open or the programme keeps records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reintegrate.access import Role
from reintegrate.adapters.keyring import keyring_from_env
from reintegrate.cli.main import app
from reintegrate.people.retention import CaseEnd, due_on
from reintegrate.services import packages as ps
from reintegrate.services.audit import verify_audit
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from tests.builders import (
    OFFICER,
    SOON,
    approved_package,
    cash,
    household,
    policy_for,
    programme,
    register,
)

runner = CliRunner()
CLOSED = dt.date(2020, 5, 4)


def closed(case_id: str, on: dt.date | None, years: int = 5) -> CaseEnd:
    return CaseEnd(case_id=case_id, closed_on=on, retention_years=years)


def test_a_person_is_due_the_retention_period_after_their_last_case_closed() -> None:
    cases = [closed("c1", CLOSED), closed("c2", dt.date(2021, 1, 2), years=2)]
    assert due_on(cases) == dt.date(2025, 5, 4)


def test_an_open_case_or_a_programme_that_keeps_records_means_never_due() -> None:
    assert due_on([closed("c1", CLOSED), closed("c2", None)]) is None
    assert due_on([closed("c1", CLOSED, years=0)]) is None
    assert due_on([]) is None


def test_a_case_closed_on_29_february_is_due_on_28_february() -> None:
    assert due_on([closed("c1", dt.date(2024, 2, 29), years=1)]) == dt.date(2025, 2, 28)


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/db.sqlite"
    store = SqlStore(url, keyring=keyring_from_env())
    store.create_all()
    programme(store, policy=policy_for("eurp", retention_years=2))
    kept = register(store, household("c1", dependants=0)).case_id
    ended = register(store, household("c2", dependants=1)).case_id
    register(store, household("c3", dependants=0))  # open: nothing drafted yet
    approved_package(store, kept, cash("c1-cash", 100_00))
    package = approved_package(store, ended, cash("c2-cash", 100_00))
    ps.close_package(store, OFFICER, SOON, package.package_id)
    records = ApiRecords(store.engine)
    add_user(records, "admin-1", SOON, role=Role.ADMIN, offices=frozenset())
    add_user(records, "approver-1", SOON, role=Role.APPROVER, offices=frozenset({"dakar"}))
    store.engine.dispose()
    return url


def test_a_retention_run_lists_and_erases_only_the_people_of_cases_closed_long_enough(
    database: str,
) -> None:
    listed = runner.invoke(app, ["retention", "run", "-d", database])
    assert listed.exit_code == 0, listed.output
    assert "2 persons due for erasure" in listed.output
    assert "Nothing erased" in listed.output

    applied = runner.invoke(
        app,
        [
            *("retention", "run", "-d", database, "--apply"),
            *("--as", "admin-1", "--confirmed-by", "approver-1"),
        ],
    )

    assert applied.exit_code == 0, applied.output
    assert "2 persons erased" in applied.output
    store = SqlStore(database)
    assert verify_audit(store).ok
    erased = [p for p in store.snapshot().persons.values() if p.status == "erased"]
    assert len(erased) == 2
    again = runner.invoke(app, ["retention", "run", "-d", database])
    assert "0 persons due for erasure" in again.output


def test_applying_needs_two_existing_users(database: str) -> None:
    result = runner.invoke(app, ["retention", "run", "-d", database, "--apply", "--as", "nobody-a"])
    assert result.exit_code == 2
    assert "--as nobody-a" in result.output
