"""`reintegrate audit export` and `audit verify` as an auditor uses them, and
docs/verify_export.py, the auditor's own script, on what the export writes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reintegrate import demo
from reintegrate.cli.main import app
from reintegrate.store.sql import SqlStore

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify_export.py"
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = SqlStore(f"sqlite:///{path}")
    store.create_all()
    demo.load_demo(store, 12, dt.datetime(2026, 11, 26, 12, 0, 0, 123456, tzinfo=dt.UTC))
    store.engine.dispose()
    store.reader.dispose()
    return path


@pytest.fixture
def database(demo_file: Path, tmp_path: Path) -> str:
    """A copy of the demo database, as a URL."""
    shutil.copy(demo_file, tmp_path / "demo.db")
    return f"sqlite:///{tmp_path}/demo.db"


def export(database: str, *options: str) -> list[str]:
    result = runner.invoke(app, ["audit", "export", "-d", database, *options])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def verify_file(lines: list[str], tmp_path: Path, *options: str) -> tuple[int, str]:
    path = tmp_path / "export.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines))
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(path), *options],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout.strip()


def journal_rows(database: str) -> list[tuple[int, bytes, str]]:
    with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
        return list(db.execute("SELECT seq, body, hash FROM journal ORDER BY seq"))


def test_an_export_of_the_demo_database_verifies_with_the_standalone_script(
    database: str, tmp_path: Path
) -> None:
    lines = export(database)
    count = len(journal_rows(database))

    assert len(lines) == count
    assert verify_file(lines, tmp_path) == (0, f"{count} entries verified (seq 1 to {count})")


def test_each_line_holds_the_entry_exactly_as_stored(database: str) -> None:
    lines = export(database)

    for line, (seq, body, hash_) in zip(lines, journal_rows(database), strict=True):
        assert line.startswith(f'{{"seq":{seq},"at":"')
        assert f',"event":{body.decode()},"prev_hash":"' in line
        assert line.endswith(f'"hash":"{hash_}"}}')


def test_an_export_to_a_file_writes_what_stdout_shows(database: str, tmp_path: Path) -> None:
    target = tmp_path / "journal.jsonl"
    result = runner.invoke(app, ["audit", "export", "-d", database, "--output", str(target)])

    assert result.exit_code == 0, result.output
    assert target.read_text().splitlines() == export(database)


def test_a_range_verifies_linked_to_the_hash_of_the_entry_before_it(
    database: str, tmp_path: Path
) -> None:
    before = json.loads(export(database, "--from", "9", "--to", "9")[0])
    lines = export(database, "--from", "10", "--to", "20")

    assert [json.loads(line)["seq"] for line in lines] == list(range(10, 21))
    assert verify_file(lines, tmp_path, "--prev-hash", before["hash"]) == (
        0,
        "11 entries verified (seq 10 to 20)",
    )
    status, shown = verify_file(lines, tmp_path, "--prev-hash", "0" * 64)
    assert status == 1
    assert shown.startswith("chain broken at seq 10 (line 1): prev_hash is ")


def test_a_changed_amount_is_reported_at_its_seq(database: str, tmp_path: Path) -> None:
    lines = export(database)
    n, entry = next(
        (n, json.loads(line))
        for n, line in enumerate(lines)
        if json.loads(line)["event"]["type"] == "DisbursementRequested"
    )
    entry["event"]["amount"] += 100
    lines[n] = json.dumps(entry, separators=(",", ":"))

    status, shown = verify_file(lines, tmp_path)

    assert status == 1
    assert shown.startswith(f"chain broken at seq {entry['seq']} (line {n + 1}): hash is ")


def test_two_entries_swapped_are_reported_where_the_order_breaks(
    database: str, tmp_path: Path
) -> None:
    lines = export(database)
    lines[6], lines[7] = lines[7], lines[6]

    assert verify_file(lines, tmp_path) == (
        1,
        "chain broken at line 7: expected seq 7, found seq 8",
    )


def test_a_deleted_entry_is_reported_at_the_line_after_the_gap(
    database: str, tmp_path: Path
) -> None:
    lines = export(database)
    del lines[4]

    assert verify_file(lines, tmp_path) == (
        1,
        "chain broken at line 5: expected seq 5, found seq 6",
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--from", "20", "--to", "10"], "--from 20 is after --to 10"),
        (["--from", "0"], "--from must be 1 or more (got 0)"),
        (["--to", "100000"], "--to 100000 is beyond the end of the journal (its last seq is"),
        (["--from", "100000"], "--from 100000 is beyond the end of the journal"),
    ],
)
def test_a_range_outside_the_journal_is_refused_and_nothing_is_written(
    database: str, tmp_path: Path, options: list[str], message: str
) -> None:
    target = tmp_path / "never.jsonl"
    result = runner.invoke(app, ["audit", "export", "-d", database, "-o", str(target), *options])

    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not target.exists()


def test_audit_verify_passes_on_the_demo_database(database: str) -> None:
    result = runner.invoke(app, ["audit", "verify", "-d", database])

    assert result.exit_code == 0, result.output
    assert "audit verified" in result.output


def test_audit_verify_fails_and_names_the_first_broken_link_and_divergence(
    database: str,
) -> None:
    with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE journal SET actor = 'someone-else' WHERE seq = 7")
        db.execute("UPDATE accounts SET balance = balance + 1 WHERE code LIKE 'cap:%:cash'")

    result = runner.invoke(app, ["audit", "verify", "-d", database])
    shown = " ".join(result.stdout.split())

    assert result.exit_code == 1
    assert "audit FAILED" in shown
    assert "chain breaks at seq 7 (hash): hash does not match the entry's content" in shown
    assert "first divergence: balances[cap:" in shown


def test_the_demo_granted_with_cash_limits_per_person_has_no_case_over_them(
    database: str,
) -> None:
    result = runner.invoke(app, ["audit", "cash-limits", "-d", database])
    assert result.exit_code == 0, result.output
    assert "no case holds more cash for a member than their cash limit" in result.stdout


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "fr",
            (
                "la chaîne se rompt à l'écriture 7 (hash) : le hachage ne correspond pas au "
                "contenu de l'écriture",
                "première divergence : balances[cap:",
                "(écrit en dernier par l'écriture ",
                "stocké ",
            ),
        ),
        (
            "es",
            (
                "la cadena se rompe en el asiento 7 (hash): el hash no corresponde al contenido "
                "del asiento",
                "primera divergencia: balances[cap:",
                "(escrito por última vez por el asiento ",
                "almacenado ",
            ),
        ),
    ],
)
def test_audit_verify_names_what_fails_in_the_language_asked(
    database: str, language: str, said: tuple[str, ...]
) -> None:
    with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE journal SET actor = 'someone-else' WHERE seq = 7")
        db.execute("UPDATE accounts SET balance = balance + 1 WHERE code LIKE 'cap:%:cash'")

    result = runner.invoke(app, ["--lang", language, "audit", "verify", "-d", database])
    shown = " ".join(result.stdout.split())

    assert result.exit_code == 1
    for words in said:
        assert words in shown, shown
