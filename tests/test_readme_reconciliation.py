"""The README's reconciliation section, run as written on a demo database."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from reintegrate import demo
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore

ROOT = Path(__file__).resolve().parent.parent
SECTION = "Reconciling a provider's statement from the command line"


def section_script() -> str:
    pattern = rf"## {re.escape(SECTION)}\n.*?```sh\n(.*?)```"
    match = re.search(pattern, (ROOT / "README.md").read_text(), re.S)
    assert match is not None, f"the README lost its section '{SECTION}'"
    return match.group(1)


def test_the_readme_reconciliation_runs_as_written(tmp_path: Path) -> None:
    """In a folder laid out like the checkout: `./run` runs the command, `examples/` holds the
    example files and `var/demo.db` the demo data."""
    (tmp_path / "var").mkdir()
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    run = tmp_path / "run"
    run.write_text(f'#!/bin/sh\nexec {Path(sys.executable).parent / "reintegrate"} "$@"\n')
    run.chmod(0o755)
    store = SqlStore(f"sqlite:///{tmp_path / 'var' / 'demo.db'}")
    store.create_all()
    demo.load_demo(store, 6, dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    demo.add_demo_users(ApiRecords(store.engine), dt.datetime.now(dt.UTC))  # as `./run` makes them
    store.engine.dispose()
    store.reader.dispose()
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", section_script()],
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"batch bat_\w+: 12 payments, 930\.00 EUR", lines[0]), lines
    assert "['amount_differs', 'duplicate_payment', 'matched', 'missing', " in result.stdout
    assert "applied: 1 DisbursementFailed, 9 DisbursementPaid" in result.stdout
    assert (tmp_path / "var" / "financial.csv").read_text().startswith(("programme", "section"))
