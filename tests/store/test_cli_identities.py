"""A command that acts for someone names an existing user whose role the API allows for the
same step (`reintegrate.access`), or runs as the user of the token in REINTEGRATE_TOKEN."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reintegrate.access import Role
from reintegrate.cli.main import app
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from tests import builders as b

MAPPING = Path(__file__).resolve().parents[2] / "examples" / "providers" / "mobile-money.toml"
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return b.programme_database(tmp_path / "finance.db")


def user(db: str, user_id: str, role: Role) -> str:
    store = SqlStore(db)
    try:
        records, now = ApiRecords(store.engine), dt.datetime.now(dt.UTC)
        return add_user(records, user_id, now, role=role, offices=frozenset({b.OFFICE}))
    finally:
        store.engine.dispose()


def save_mapping(db: str, *who: str) -> tuple[int, str]:
    result = runner.invoke(app, ["provider", "mapping", "save", str(MAPPING), *who, "-d", db])
    return result.exit_code, result.output


def journal_actors(db: str) -> list[str]:
    store = SqlStore(db)
    try:
        return [e.actor for e in store.entries()]
    finally:
        store.engine.dispose()


def test_a_user_who_does_not_exist_is_refused(db: str) -> None:
    code, output = save_mapping(db, "--as", "nobody-a")

    assert code == 2
    assert "--as nobody-a: no such active user" in output


def test_a_user_whose_role_the_api_would_refuse_is_refused(db: str) -> None:
    user(db, "officer-7", Role.OFFICER)

    code, output = save_mapping(db, "--as", "officer-7")

    assert code == 2
    assert "officer-7 is officer: this step needs a user who is admin or finance" in output


def test_a_revoked_user_is_refused(db: str) -> None:
    user(db, "finance-7", Role.FINANCE)
    assert runner.invoke(app, ["users", "revoke", "finance-7", "-d", db]).exit_code == 0

    assert save_mapping(db, "--as", "finance-7")[0] == 2


def test_the_user_of_the_token_in_the_environment_runs_the_command(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REINTEGRATE_TOKEN", user(db, "finance-7", Role.FINANCE))

    code, output = save_mapping(db)

    assert code == 0, output
    assert journal_actors(db)[-1] == "finance-7"


def test_without_a_user_or_a_valid_token_nothing_runs(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REINTEGRATE_TOKEN", raising=False)
    before = journal_actors(db)
    assert "--as USER or $REINTEGRATE_TOKEN is required" in save_mapping(db)[1]
    monkeypatch.setenv("REINTEGRATE_TOKEN", "rt_not-a-token")
    assert "$REINTEGRATE_TOKEN is not a valid token" in save_mapping(db)[1]
    assert journal_actors(db) == before
