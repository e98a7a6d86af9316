"""An auditor's work, from the command line alone, on a generated million-payment workload.

Takes the workload of bench/workload_database.py (N approved mobile-money payments, cached),
copies it, and runs `reintegrate` as an auditor and finance would, each step a separate
process: batch the payments to the provider (several batches: a provider takes at most
`MAX_BATCH` payments a file) and export each batch as CSV; then, once the provider's
statement for those files is written (bench/workload_statement.py: 96 % paid by reference,
the rest spread over every other class), `statement show` it, `statement import` it,
`reconcile show` every difference (as a table, and as JSON to count the classes),
`reconcile apply` it, write the programme's financial report (CSV, with its check that
every total equals the ledger's), and optionally `audit verify` the whole journal.

Each step's wall time and peak memory (the child's peak resident set, from `wait4`) are
reported; a step that fails stops the run with its output. It reports figures only.

    .venv/bin/python -m bench.auditor_million [--payments 1000000] [--seed 7] [--audit]
        [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import msgspec

from bench.cache import CACHE
from bench.keys import ensure_keys
from bench.workload_database import cached_workload
from bench.workload_statement import provider_statement
from reintegrate.reconcile.batches.batch import MAX_BATCH

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "examples" / "providers" / "mobile-money.toml"
FINANCE, CONTROLLER, AUDITOR = "finance-1", "controller-1", "auditor-1"


class Step(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    seconds: float
    peak_rss_mb: float
    said: str
    """The first line the command printed (its summary)."""


class Run:
    """Runs `reintegrate` sub-commands on one database, keeping each step's figures."""

    def __init__(self, work: Path) -> None:
        self.work = work
        """The run's own directory: its database, files and each step's output."""
        database = work / "workload.db"
        self.env = {**os.environ, "REINTEGRATE_DATABASE_URL": f"sqlite:///{database}"}
        self.steps: list[Step] = []

    def cli(self, name: str, *args: str, stdout: Path | None = None) -> str:
        """Run `reintegrate ARGS`; its standard output (also written to `stdout` if given)."""
        command = [sys.executable, "-m", "reintegrate", *args]
        print(f"$ reintegrate {' '.join(args)}", file=sys.stderr, flush=True)
        out_file, err_file = self.work / "step.out", self.work / "step.err"
        started = time.perf_counter()
        with out_file.open("wb") as out, err_file.open("wb") as err:
            child = subprocess.Popen(command, env=self.env, stdout=out, stderr=err, cwd=ROOT)
            status, peak = wait_with_peak(child.pid)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        if child.returncode != 0:
            sys.stderr.write(err_file.read_text(errors="replace"))
            raise SystemExit(f"step {name} failed (exit {child.returncode})")
        if stdout is not None:
            shutil.copyfile(out_file, stdout)
        text = out_file.read_text()
        first = next((line for line in text.splitlines() if line.strip()), "")
        self.steps.append(Step(name=name, seconds=seconds, peak_rss_mb=peak, said=first[:160]))
        print(f"  {seconds:8.1f} s  {peak:7.0f} MiB  {first[:100]}", file=sys.stderr)
        return text


def wait_with_peak(pid: int) -> tuple[int, float]:
    """Wait for `pid`; its exit status and its peak resident memory in MiB, read from its
    own high-water mark (`VmHWM`) every 20 ms. Not `wait4`'s `ru_maxrss`: a child forked
    from this process starts from this process's size, and this one holds a million
    findings by the time it runs `reconcile apply`."""
    peak_kib = 0
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status, peak_kib / 1024
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kib = max(peak_kib, int(line.split()[1]))
        time.sleep(0.02)


def auditor(payments: int, seed: int, *, audit: bool) -> dict[str, object]:
    source = cached_workload(payments, seed)
    work = CACHE / f"auditor-run-{payments}-seed{seed}"  # runs of other sizes keep theirs
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    database = work / "workload.db"
    shutil.copyfile(source, database)
    run = Run(work)
    with sqlite3.connect(database) as db:
        offices = [o for (o,) in db.execute("SELECT DISTINCT office FROM cases ORDER BY office")]
    for user in (FINANCE, CONTROLLER, AUDITOR):  # who acts must be a user (not timed)
        role = ["--role", "auditor"] if user == AUDITOR else ["--role", "finance"]
        where = [] if user == AUDITOR else [f"--office={o}" for o in offices]
        subprocess.run(
            [sys.executable, "-m", "reintegrate", "users", "add", user, *role, *where],
            env=run.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    batch_files = export_batches(run, payments)
    statement = work / "statement.csv"
    started = time.perf_counter()
    statement.write_bytes(provider_statement(batch_files, dt.datetime.now(dt.UTC).date(), seed))
    print(f"  statement written in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    classes = reconcile(run, statement)
    run.cli(
        "report financial", "report", "financial", "eurp", "--format", "csv",
        "--output", str(work / "financial.csv"),
    )  # fmt: skip
    if audit:
        run.cli("audit verify", "audit", "verify")
    return {
        "payments": payments,
        "database": str(database),
        "statement_lines": statement.read_bytes().count(b"\n") - 1,
        "classes": classes,
        "steps": [msgspec.to_builtins(s) for s in run.steps],
        "total_seconds": round(sum(s.seconds for s in run.steps), 1),
        "peak_rss_mb": round(max(s.peak_rss_mb for s in run.steps), 0),
    }


def export_batches(run: Run, payments: int) -> list[Path]:
    """Batch every approved payment (at most MAX_BATCH a batch) and export each batch."""
    files = []
    for n in range(-(-payments // MAX_BATCH)):
        said = run.cli(
            f"batch create {n + 1}", "batch", "create", "eurp", "--provider", "mobile_money",
            "--currency", "EUR", "--as", FINANCE,
        )  # fmt: skip
        batch_id = said.split()[1].rstrip(":")
        path = run.work / f"batch-{n + 1:02d}.csv"
        run.cli(
            f"batch export {n + 1}", "batch", "export", batch_id, "--format", "csv",
            "--output", str(path), "--as", FINANCE,
        )  # fmt: skip
        files.append(path)
    return files


def reconcile(run: Run, statement: Path) -> dict[str, int]:
    """Show, import, explain and apply the statement; the findings per class."""
    mapping = ("--mapping", str(MAPPING))
    run.cli("statement show", "statement", "show", str(statement), *mapping, "--json")
    said = run.cli(
        "statement import", "statement", "import", str(statement), "--programme", "eurp",
        *mapping, "--as", FINANCE,
    )  # fmt: skip
    import_id = said.split()[1]
    run.cli("reconcile show (table)", "reconcile", "show", import_id,
            stdout=run.work / "differences.txt")  # fmt: skip
    shown = run.cli("reconcile show (json)", "reconcile", "show", import_id, "--format", "json")
    findings = json.loads(shown)["findings"]
    unexplained = [f for f in findings if not f.get("explanation")]
    if unexplained:
        raise SystemExit(f"{len(unexplained)} findings without explanation: {unexplained[:3]}")
    run.cli("reconcile apply", "reconcile", "apply", import_id, "--as", CONTROLLER)
    return dict(sorted(Counter(f["outcome"] for f in findings).items()))


def render(found: dict[str, object]) -> str:
    steps = found["steps"]
    assert isinstance(steps, list)
    rows = [f"| {s['name']} | {s['seconds']:.1f} | {s['peak_rss_mb']:.0f} |" for s in steps]
    return "\n".join(
        [
            f"{found['payments']} payments, statement of {found['statement_lines']} lines",
            "| step | seconds | peak MiB |",
            "|---|---:|---:|",
            *rows,
            f"total {found['total_seconds']} s; largest peak {found['peak_rss_mb']} MiB",
            f"classes: {found['classes']}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    ensure_keys()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--audit", action="store_true", help="also run `audit verify`")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    found = auditor(args.payments, args.seed, audit=args.audit)
    print(json.dumps(found, indent=2) if args.json else render(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
