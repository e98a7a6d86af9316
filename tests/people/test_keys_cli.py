"""The keys that seal persons' records, as an operator handles them: made once, rotated with
every record still readable, and a wrong or missing key refused at start-up in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reintegrate.access import Role
from reintegrate.adapters.keyring import (
    DIGEST_KEY_ENV,
    MASTER_KEY_ENV,
    keyring_from_env,
    write_new_key_files,
)
from reintegrate.cli.main import app
from reintegrate.people.access_log import Reader
from reintegrate.services import people
from reintegrate.store.sql import SqlStore
from tests.builders import OFFICER, SOON
from tests.people.builders import new_marker, register_marked

runner = CliRunner()
READER = Reader(role=Role.OFFICER, route="test")


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    master, digest = tmp_path / "keys" / "master.keys", tmp_path / "keys" / "digest.key"
    write_new_key_files(master, digest)
    monkeypatch.setenv(MASTER_KEY_ENV, str(master))
    monkeypatch.setenv(DIGEST_KEY_ENV, str(digest))
    return master, digest


def registry(tmp_path: Path, count: int) -> tuple[str, list[str]]:
    """A database with `count` persons sealed under the current keys; its URL and their ids."""
    url = f"sqlite:///{tmp_path}/db.sqlite"
    store = SqlStore(url, keyring=keyring_from_env())
    store.create_all()
    ids = [register_marked(store, new_marker(), n).person_id for n in range(1, count + 1)]
    store.engine.dispose()
    return url, ids


def test_keys_new_makes_both_files_readable_by_their_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MASTER_KEY_ENV, str(tmp_path / "m.keys"))
    monkeypatch.setenv(DIGEST_KEY_ENV, str(tmp_path / "d.key"))

    first = runner.invoke(app, ["keys", "new"])
    again = runner.invoke(app, ["keys", "new"])

    assert first.exit_code == 0, first.output
    assert (tmp_path / "m.keys").stat().st_mode & 0o777 == 0o600
    assert again.exit_code == 2


def test_rotation_rewraps_every_data_key_and_every_record_stays_readable(
    tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    url, ids = registry(tmp_path, 3)
    old_file = keys[0].read_text()

    result = runner.invoke(app, ["keys", "rotate", "-d", url])

    assert result.exit_code == 0, result.output
    assert "3 data keys now wrapped" in result.output
    assert keys[0].read_text() != old_file
    store = SqlStore(url, keyring=keyring_from_env())
    for person_id in ids:
        assert people.read_person(store, OFFICER, SOON, person_id, READER)[1] is not None
    with store.reading() as uow:
        kids = {store.keyring.master_key_id(w) for _, w in uow.wrapped_keys()}
    assert len(kids) == 1
    assert kids <= {line.split()[0] for line in keys[0].read_text().splitlines() if line[:1] == "k"}


def test_a_wrong_master_key_stops_a_command_with_one_clear_line(
    tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    url, _ = registry(tmp_path, 1)
    lines = [ln for ln in keys[0].read_text().splitlines() if ln and not ln.startswith("#")]
    kid = lines[0].split()[0]
    other_master, other_digest = tmp_path / "other" / "m.keys", tmp_path / "other" / "d.key"
    write_new_key_files(other_master, other_digest)
    other_key = next(
        ln.split()[1] for ln in other_master.read_text().splitlines() if ln and ln[0] != "#"
    )
    keys[0].write_text(f"{kid} {other_key}\n")

    result = runner.invoke(app, ["audit", "verify", "-d", url])

    assert result.exit_code == 2
    message = result.output.strip()
    assert "\n" not in message
    assert kid in message
    assert "wrong" in message


def test_serving_without_keys_stops_with_one_line_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MASTER_KEY_ENV, raising=False)

    result = runner.invoke(app, ["serve", "-d", f"sqlite:///{tmp_path}/db.sqlite"])

    assert result.exit_code == 2
    assert MASTER_KEY_ENV in result.output


def test_an_audit_without_the_keys_says_in_one_line_that_persons_were_not_checked(
    tmp_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = registry(tmp_path, 2)
    monkeypatch.delenv(MASTER_KEY_ENV)

    result = runner.invoke(app, ["audit", "verify", "-d", url])

    assert result.exit_code == 1
    assert "2 persons' records not checked: no master key is configured" in result.output
