"""The database as an operator meets it from the command line: the schema upgraded as an
explicit step, and a database that cannot be used explained in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reintegrate.cli.main import app
from reintegrate.store.migrate import head_revision, upgrade
from reintegrate.store.sql import make_engine

runner = CliRunner()


def reintegrate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed command itself (its entry point), as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "reintegrate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_db_check_and_upgrade_say_which_schema_the_database_is_at(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/db.sqlite"

    assert runner.invoke(app, ["db", "check", "-d", db]).exit_code == 2  # no database
    upgraded = runner.invoke(app, ["db", "upgrade", "-d", db])
    checked = runner.invoke(app, ["db", "check", "-d", db])

    assert upgraded.exit_code == 0, upgraded.output
    assert f"it is at {head_revision()} now" in upgraded.output
    assert "applied in" not in upgraded.output  # a new database is made whole, not stepped
    assert checked.exit_code == 0
    assert f"schema {head_revision()}, this version's" in checked.output


def test_a_database_at_an_older_schema_is_upgraded_only_when_asked(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/db.sqlite"
    engine = make_engine(db)
    upgrade(engine, "0008")
    engine.dispose()

    refused = runner.invoke(app, ["audit", "verify", "-d", db])
    behind = runner.invoke(app, ["db", "check", "-d", db])
    upgraded = runner.invoke(app, ["db", "upgrade", "-d", db])
    verified = runner.invoke(app, ["audit", "verify", "-d", db])

    assert refused.exit_code == 2
    assert "the database is at schema 0008, this version needs" in refused.output
    assert "reintegrate db upgrade" in refused.output
    assert behind.exit_code == 1
    assert "was at schema 0008; it is at" in upgraded.output
    steps = [f"{n:04}" for n in range(9, int(head_revision()) + 1)]
    assert f"{len(steps)} migration(s) to apply: {', '.join(steps)}" in upgraded.output
    shown = [line.split()[1] for line in upgraded.output.splitlines() if " applied in " in line]
    assert shown == steps
    assert verified.exit_code == 0, verified.output


def test_a_file_that_is_not_a_database_stops_the_command_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.db").write_bytes(b"not a database, just some bytes" * 100)

    result = reintegrate("audit", "verify", "-d", f"sqlite:///{tmp_path}/bad.db", cwd=tmp_path)

    assert result.returncode == 3
    assert result.stderr.strip() == "database error: file is not a database"
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unreachable_database_server_stops_the_command_in_one_line(tmp_path: Path) -> None:
    url = "postgresql+psycopg://someone:secret@127.0.0.1:9/reintegrate"

    result = reintegrate("audit", "verify", "-d", url, cwd=tmp_path)

    assert result.returncode == 3
    assert result.stderr.startswith("database error: connection failed")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "secret" not in result.stderr


def test_demo_data_goes_only_into_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the demo writes its tokens under var/ of where it runs
    db = f"sqlite:///{tmp_path}/demo.db"
    small = ["demo", "--households", "2", "--monitoring-cohort", "0"]
    first = runner.invoke(app, [*small, "-d", db])
    again = runner.invoke(app, [*small, "--no-fresh", "-d", db])

    assert first.exit_code == 0, first.output
    assert again.exit_code == 1
    assert "The database holds data already" in again.output
