"""How long does `reintegrate audit verify` take over a million journal entries?

Builds (or reuses from the cache) a SQLite database whose journal holds `--entries` realistic
entries (bench/audit_database.py), then times `verify_audit` on it: the hash chain over every
stored entry, the replay of every event into memory, the comparison with the stored ledger
and projections, and the ledger's own checks. Reports entries/s, wall and CPU time, the two
phases (the pass over the journal; reading the stored state and comparing), peak memory,
and whether the audit found the database intact (exit 1 if not).

It reports figures only and asserts nothing about them.

    .venv/bin/python -m bench.audit_verify [--entries 1000000] [--seed 7] [--fresh] [--json]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import os
import pstats
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import msgspec

from bench.audit_database import cached_database
from bench.keys import ensure_keys
from reintegrate.services.audit import AuditReport, verify_audit
from reintegrate.store.sql import SqlStore

TARGET_SECONDS = 60.0
"""For 1,000,000 entries on the 2-core reference machine."""
PROGRESS_EVERY = 100_000


class Report(msgspec.Struct, frozen=True, kw_only=True):
    entries: int
    database: str
    database_mb: float
    ok: bool
    """The chain, the replay, the stored state and the ledger as they should be, and nothing
    said of persons and notes but that their sealed texts are missing (`intact`)."""
    texts_not_written: int
    """Persons and notes whose sealed texts the builder did not write."""
    wall_seconds: float
    cpu_seconds: float
    helpers_cpu_seconds: float
    """CPU time of the processes the verification ran beside its own (the chain check, the
    postings' sums), which run on the other core."""
    entries_per_second: float
    journal_pass_seconds: float
    """Reading, hashing and replaying every entry."""
    state_seconds: float
    """Reading the stored state against the replayed one, comparing, checking the ledger."""
    peak_rss_mb: float
    rss_before_mb: float
    load_average: float
    load_average_after: float
    target_seconds: float
    target_met: bool | None
    """None when fewer than 1,000,000 entries were verified (the target is for a million)."""


def timed_verify(path: Path, profile: bool) -> tuple[AuditReport, float, float, float]:
    """The report, wall and CPU seconds, and when the journal pass ended (wall, from start)."""
    store = SqlStore(f"sqlite:///{path}")
    pass_ended = [0.0]
    started, cpu = time.perf_counter(), time.process_time()

    def progress(done: int, last_seq: int) -> None:
        pass_ended[0] = time.perf_counter() - started
        if done % PROGRESS_EVERY == 0:
            print(f"  {done:>9}/{last_seq} entries, {pass_ended[0]:6.1f} s", file=sys.stderr)

    profiler = cProfile.Profile() if profile else None
    if profiler is not None:
        profiler.enable()
    report = verify_audit(store, progress=progress)
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.engine.dispose()
    store.reader.dispose()
    return report, wall, cpu, pass_ended[0]


def run(entries: int, seed: int, *, fresh: bool, profile: bool) -> Report:
    # Built in a child process, so that this one's peak memory is the verification's.
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(1) as pool:
        path = pool.apply(cached_database, (entries, seed), {"fresh": fresh})
    load = os.getloadavg()[0]
    if load > 1:
        print(f"note: load average {load:.2f} before starting", file=sys.stderr)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"verifying {path}...", file=sys.stderr, flush=True)
    helpers = _children_cpu()
    report, wall, cpu, journal_pass = timed_verify(path, profile)
    helpers = _children_cpu() - helpers
    met = None if report.entries < 1_000_000 else wall <= TARGET_SECONDS
    return Report(
        entries=report.entries,
        database=str(path),
        database_mb=path.stat().st_size / 2**20,
        ok=intact(report),
        texts_not_written=len(report.person_problems) + len(report.note_problems),
        wall_seconds=wall,
        cpu_seconds=cpu,
        helpers_cpu_seconds=helpers,
        entries_per_second=report.entries / wall,
        journal_pass_seconds=journal_pass,
        state_seconds=wall - journal_pass,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        rss_before_mb=rss_before,
        load_average=load,
        load_average_after=os.getloadavg()[0],
        target_seconds=TARGET_SECONDS,
        target_met=met,
    )


def intact(report: AuditReport) -> bool:
    """The audit found everything as it should be, but the sealed texts of persons and notes,
    which the builder does not write (their check reports each one missing): the chain,
    replay, stored state and ledger pass, and every person or note problem is only that."""
    structure = report.chain_break is None and report.replay_stopped is None
    state = report.differences_total == 0 and not report.ledger_problems
    unwritten = all("no sealed record" in str(p) for p in report.person_problems) and all(
        str(p).endswith("is missing") for p in report.note_problems
    )
    return structure and state and not report.changed_postings and unwritten


def _children_cpu() -> float:
    """CPU seconds of this process's children that have ended."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def table(r: Report) -> str:
    rows = [
        ("journal entries verified", f"{r.entries:,}"),
        ("database", f"{r.database} ({r.database_mb:,.0f} MB)"),
        ("audit", _verdict(r)),
        ("wall time", f"{r.wall_seconds:.1f} s"),
        ("  pass over the journal (hash, decode, replay)", f"{r.journal_pass_seconds:.1f} s"),
        ("  stored state read, compared, ledger checked", f"{r.state_seconds:.1f} s"),
        ("CPU time", f"{r.cpu_seconds:.1f} s"),
        ("  of the processes beside it", f"{r.helpers_cpu_seconds:.1f} s"),
        ("entries per second", f"{r.entries_per_second:,.0f}"),
        ("peak memory (RSS)", f"{r.peak_rss_mb:,.0f} MB ({r.rss_before_mb:,.0f} MB before)"),
        ("load average before / after", f"{r.load_average:.2f} / {r.load_average_after:.2f}"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    if r.target_met is None:
        verdict = f"not judged (the target is for 1,000,000 entries; {r.entries:,} verified)"
    else:
        verdict = "MET" if r.target_met else "NOT MET"
    lines += ["", f"target: 1,000,000 entries in under {r.target_seconds:.0f} s: {verdict}"]
    return "\n".join(lines)


def _verdict(r: Report) -> str:
    if not r.ok:
        return "FAILED"
    if r.texts_not_written:
        return f"ok ({r.texts_not_written:,} sealed texts of persons and notes not written)"
    return "ok"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time `audit verify` over a large journal.")
    parser.add_argument(
        "--entries", type=int, default=1_000_000, help="journal entries (default 1,000,000)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated data")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached database")
    parser.add_argument("--profile", action="store_true", help="cProfile the verification")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.entries < 10:
        parser.error("--entries must be at least 10")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    ensure_keys()
    args = parse_args(argv)
    report = run(args.entries, args.seed, fresh=args.fresh, profile=args.profile)
    print(json.dumps(msgspec.to_builtins(report), indent=2) if args.json else table(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
