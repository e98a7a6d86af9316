"""docs/verify_chain.py, the auditor's own script, agrees with the library's chain."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

from reintegrate import demo
from reintegrate.store.sql import SqlStore

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify_chain.py"


def demo_database(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    store = SqlStore(f"sqlite:///{path}")
    store.create_all()
    demo.load_demo(store, 12, dt.datetime(2026, 11, 26, 12, 0, 0, 123456, tzinfo=dt.UTC))
    store.engine.dispose()
    return path


def run_script(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, check=False
    )


def test_the_standalone_script_verifies_a_chain_written_by_the_library(tmp_path: Path) -> None:
    path = demo_database(tmp_path)
    with sqlite3.connect(path) as db:
        (count,) = db.execute("SELECT count(*) FROM journal").fetchone()

    result = run_script(path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{count} entries verified"


def test_the_standalone_script_names_the_first_changed_entry(tmp_path: Path) -> None:
    path = demo_database(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE journal SET actor = 'someone-else' WHERE seq = 7")

    result = run_script(path)

    assert result.returncode == 1
    assert result.stdout.strip() == "chain broken at seq 7: hash does not match the entry"
