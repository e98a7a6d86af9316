"""The floor of `reconcile apply` in bench/README.md holds only if the benchmark writes what
`reconcile apply` keeps for each settled payment: its database must pass the audit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import bench.cache
import bench.settlement_floor
from bench.settlement_floor import floor
from reintegrate.services.audit import verify_audit
from reintegrate.store.sql import SqlStore


def test_the_settlement_floor_writes_records_that_pass_the_audit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench.cache, "CACHE", tmp_path)
    monkeypatch.setattr(bench.settlement_floor, "CACHE", tmp_path)

    settled = floor(120, seed=3, keep=True)

    database = tmp_path / "settlement-floor-120-seed3" / "workload.db"
    report = verify_audit(SqlStore(f"sqlite:///{database}"))
    with sqlite3.connect(database) as db:
        statuses = dict(db.execute("SELECT status, count(*) FROM disbursements GROUP BY status"))
    assert report.ok, report
    assert statuses == {"paid": settled["payments"]}
    assert settled["payments"] == 120
