"""The least that settling every approved payment costs on SQLite, for `reconcile apply`.

`reconcile apply` records, for each payment a statement proves paid, what the design keeps:
the payment's new state in its projection row (and that row's stamps), a ledger transaction
moving the amount from the component's pending account to its paid account (two postings,
two balances), and a journal entry chained to the one before. This runs exactly those reads
and writes on a copy of the workload of bench/workload_database.py (every approved payment,
`APPLY_CHUNK` a transaction, with the store's own settings), with as little Python around
them as possible: the real event, entry and hash (`journal.append`), the real projection
record re-encoded, the account codes of `grants.postings`, and nothing else; no statement
read, no matching, no rule checked.

What it reports is a floor, not a target: `reconcile apply` cannot go below it while it
keeps these records a payment, on this machine. It reports figures only.

    .venv/bin/python -m bench.settlement_floor [--payments 1000000] [--seed 7] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import msgspec

from bench.cache import CACHE
from bench.workload_database import cached_workload
from reintegrate import events as ev
from reintegrate import journal
from reintegrate.grants.disbursements import Disbursement, DisbursementStatus
from reintegrate.grants.postings import component_code
from reintegrate.services.reconciliation import APPLY_CHUNK
from reintegrate.store.sql import WRITER_CACHE_MIB, sqlite_synchronous
from reintegrate.store.sql_stamps import stamp

ACTOR = "controller-1"
BODY = msgspec.json.Decoder(Disbursement)
ENCODE = msgspec.json.Encoder(order="sorted").encode
WRITES = {
    "projection": "UPDATE disbursements SET status = ?, body = ? WHERE disbursement_id = ?",
    "balances": "UPDATE accounts SET balance = ? WHERE code = ?",
    "postings": "INSERT INTO postings (seq, account, amount, currency) VALUES (?, ?, ?, ?)",
    "journal": "INSERT INTO journal (seq, at, actor, type, body, prev_hash, hash, office) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "stamps": "UPDATE disbursements SET updated_at = ?1 "
    "WHERE disbursement_id = ?2 AND created_at IS NOT NULL",
}
NEVER_STAMPED = (
    "UPDATE disbursements SET created_at = ?1, updated_at = ?1 "
    "WHERE disbursement_id = ?2 AND created_at IS NULL"
)
"""Run, as the store runs it, only when the stamps' UPDATE left some row unstamped."""


class Chunk(NamedTuple):
    """What one transaction writes, statement by statement (rows in `WRITES`' order)."""

    rows: dict[str, list[tuple[object, ...]]]
    last: journal.Entry


def connect(path: Path) -> sqlite3.Connection:
    """A connection set up as the store sets up its writer's (`store.sql`)."""
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode=WAL",
        f"synchronous={sqlite_synchronous()}",
        "secure_delete=ON",
        f"cache_size=-{WRITER_CACHE_MIB * 1024}",
    ):
        db.execute(f"PRAGMA {pragma}")
    return db


def last_entry(db: sqlite3.Connection) -> journal.Entry:
    row = db.execute(
        "SELECT seq, at, actor, body, prev_hash, hash FROM journal ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return journal.decoded(journal.stored_of_row(row))


def read_many(db: sqlite3.Connection, sql: str, keys: Sequence[str]) -> list[tuple[str, object]]:
    """`sql` (with one `{}` for a list of placeholders) run over `keys`, 500 at a time."""
    found: list[tuple[str, object]] = []
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        found += db.execute(sql.format(",".join("?" * len(part))), part).fetchall()
    return found


def settle(
    db: sqlite3.Connection, ids: Sequence[str], last: journal.Entry, at: dt.datetime
) -> Chunk:
    """The rows that record `ids` as paid: read what they need, build what they write."""
    read = "SELECT disbursement_id, body FROM disbursements WHERE disbursement_id IN ({})"
    payments = [BODY.decode(body) for _, body in read_many(db, read, ids)]  # type: ignore[arg-type]
    codes = [
        component_code(d.package_id, d.component_id, part)
        for d in payments
        for part in ("pending", "paid")
    ]
    read = "SELECT code, balance FROM accounts WHERE code IN ({})"
    balances: dict[str, int] = dict(read_many(db, read, codes))  # type: ignore[arg-type]
    rows: dict[str, list[tuple[object, ...]]] = {name: [] for name in WRITES}
    when = stamp(at)
    for d in payments:
        paid = msgspec.structs.replace(
            d,
            status=DisbursementStatus.PAID,
            confirmed_by=ACTOR,
            provider_ref=d.disbursement_id,
            version=d.version + 1,
        )
        rows["projection"].append((paid.status.value, ENCODE(paid), d.disbursement_id))
        event = ev.DisbursementPaid(
            disbursement_id=d.disbursement_id,
            package_id=d.package_id,
            component_id=d.component_id,
            programme_id=d.programme_id,
            amount=d.programme_amount,
            on=at.date(),
            provider_ref=d.disbursement_id,
        )
        last = journal.append(last, ACTOR, at, event)
        body = journal.canonical_json(event)
        entry = (last.seq, at.isoformat(), ACTOR, "DisbursementPaid", body, last.prev_hash)
        rows["journal"].append((*entry, last.hash, d.office))
        for part, amount in (("pending", -d.programme_amount), ("paid", d.programme_amount)):
            code = component_code(d.package_id, d.component_id, part)
            balances[code] = balances.get(code, 0) + amount
            rows["postings"].append((last.seq, code, amount, d.currency))
        rows["stamps"].append((when, d.disbursement_id))
    rows["balances"] = [(balance, code) for code, balance in balances.items()]
    return Chunk(rows=rows, last=last)


def floor(payments: int, seed: int, *, keep: bool = False) -> dict[str, object]:
    source = cached_workload(payments, seed)
    work = CACHE / f"settlement-floor-{payments}-seed{seed}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    database = work / "workload.db"
    shutil.copyfile(source, database)
    db = connect(database)
    seconds: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    ids = [i for (i,) in db.execute("SELECT disbursement_id FROM disbursements "
                                    "WHERE status = 'approved' ORDER BY rowid")]  # fmt: skip
    last, at = last_entry(db), dt.datetime.now(dt.UTC)
    for start in range(0, len(ids), APPLY_CHUNK):
        begun = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        chunk = settle(db, ids[start : start + APPLY_CHUNK], last, at)
        seconds["read and build"] += time.perf_counter() - begun
        for name, sql in WRITES.items():
            begun = time.perf_counter()
            written = db.executemany(sql, chunk.rows[name]).rowcount
            if name == "stamps" and written < len(chunk.rows[name]):
                db.executemany(NEVER_STAMPED, chunk.rows[name])
            seconds[name] += time.perf_counter() - begun
        begun = time.perf_counter()
        db.execute("COMMIT")
        seconds["commit"] += time.perf_counter() - begun
        last = chunk.last
    total = time.perf_counter() - started
    db.close()
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "payments": len(ids),
        "seconds": {name: round(s, 1) for name, s in seconds.items()},
        "total_seconds": round(total, 1),
        "microseconds_a_payment": round(total / max(len(ids), 1) * 1e6, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", action="store_true", help="keep the settled database (to audit what it wrote)"
    )
    args = parser.parse_args(argv)
    found = floor(args.payments, args.seed, keep=args.keep)
    print(msgspec.json.format(msgspec.json.encode(found)).decode())
    print(f"{found['payments']} payments settled in {found['total_seconds']} s", file=sys.stderr)


if __name__ == "__main__":
    main()
