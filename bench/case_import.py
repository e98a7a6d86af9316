"""A caseload import as the user runs it: `reintegrate cases import FILE` in its own process,
on a generated file of 10,000 households (about 30,000 rows).

Set-up, not timed: key files (bench/keys.py), a fresh SQLite file holding the EU programme
under its example policy and an officer of office `dakar`, and the CSV file: households of
one to five plainly fake persons (three on average), each with an external reference and a
Senegalese mobile number unique to the run, so none matches another. Then, each in its own
process, measured by the wall clock and by the process's own peak resident memory
(`VmHWM`, polled every 20 ms, as bench/auditor_million.py does):

1. baseline: `reintegrate db check` (the interpreter, the command's imports and opening
   the database: what any command pays);
2. `reintegrate cases import FILE --dry-run`: reading and checking every row, nothing
   written;
3. `reintegrate cases import FILE`: the same checks, then every household registered in one
   unit of work;
4. the same command again: the same file, found by its digest, imports nothing new.

It reports figures only (households/s of step 3, against the target of 2,000):

    .venv/bin/python -m bench.case_import [--households 10000] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import msgspec

from bench.auditor_million import wait_with_peak
from bench.keys import ensure_keys
from reintegrate.access import Role
from reintegrate.people.caseload import COLUMNS
from reintegrate.policy import load_policy
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "examples" / "policies" / "eu-reintegration-programme.toml"
OFFICER, OFFICE = "officer-1", "dakar"
TARGET = 2000.0
"""Households per second the import should reach."""


class Step(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    seconds: float
    cpu_seconds: float
    """The command's own CPU time (user and system), less sensitive than the wall clock to
    other work on the machine."""
    peak_rss_mb: float
    said: str


def caseload(households: int, seed: int) -> bytes:
    """`households` households of 1 to 5 persons (3 on average), as a CSV file."""
    rng = random.Random(seed)
    run = f"{seed:x}{time.time_ns() % 10**8:x}"
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    serial = 0
    for h in range(households):
        for m in range(rng.choice((1, 2, 3, 3, 4, 5))):
            serial += 1
            row = dict.fromkeys(COLUMNS, "")
            row |= {
                "household": f"H{h:06d}",
                "role": "principal" if m == 0 else "dependant",
                "given_names": f"Given{m}",
                "family_name": f"Family{h}",
                "birth_year": str(1980 + rng.randrange(10) if m == 0 else 2008 + rng.randrange(15)),
                "sex": rng.choice(("female", "male")),
                "nationality": "SN",
                "phone": f"+22177{serial:07d}" if m == 0 else "",
                "external_ref": f"bench-{run}-{serial}",
            }
            if m == 0:
                row |= {
                    "office": OFFICE,
                    "country_of_return": "SN",
                    "return_date": "2026-01-15",
                    "return_type": "assisted_voluntary",
                }
            writer.writerow(row)
    return out.getvalue().encode()


def database(path: Path) -> str:
    """A SQLite file with the EU programme and the officer; its URL."""
    url = f"sqlite:///{path}"
    store = SqlStore(url)
    store.create_all()
    now = dt.datetime.now(dt.UTC)
    policy = load_policy(POLICY.read_bytes())
    prog.create_programme(
        store,
        Actor("admin"),
        now,
        programme_id=policy.programme,
        name=policy.name,
        currency="EUR",
        budget_lines=[prog.BudgetLineSpec(code="individual", label="Individual", amount="1.00")],
    )
    prog.adopt_policy(store, Actor("admin"), now, policy)
    add_user(ApiRecords(store.engine), OFFICER, now, role=Role.OFFICER, offices=frozenset({OFFICE}))
    store.engine.dispose()
    return url


def step(name: str, args: Sequence[str], env: dict[str, str], work: Path) -> Step:
    command = [sys.executable, "-m", "reintegrate", *args]
    print(f"$ reintegrate {' '.join(args)}", file=sys.stderr, flush=True)
    out_file, err_file = work / "step.out", work / "step.err"
    cpu_before = _children_cpu()
    started = time.perf_counter()
    with out_file.open("wb") as out, err_file.open("wb") as err:
        child = subprocess.Popen(command, env=env, stdout=out, stderr=err, cwd=ROOT)
        status, peak = wait_with_peak(child.pid)
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(err_file.read_text(errors="replace")[-3000:])
        raise SystemExit(f"step {name} failed (exit {code})")
    said = next((ln for ln in out_file.read_text().splitlines() if ln.strip()), "")
    print(f"  {seconds:8.2f} s  {cpu:8.2f} s CPU  {peak:7.0f} MiB  {said[:90]}", file=sys.stderr)
    return Step(name=name, seconds=seconds, cpu_seconds=cpu, peak_rss_mb=peak, said=said[:160])


def _children_cpu() -> float:
    """CPU seconds of this process's children waited for so far (each step's is the
    difference: one child at a time)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def measure(households: int, seed: int) -> dict[str, object]:
    ensure_keys()
    with tempfile.TemporaryDirectory(prefix="reintegrate-case-import-") as folder:
        work = Path(folder)
        url = database(work / "cases.db")
        file = work / "caseload.csv"
        file.write_bytes(caseload(households, seed))
        rows = file.read_bytes().count(b"\n") - 1
        env = {**os.environ, "REINTEGRATE_DATABASE_URL": url}
        load = os.getloadavg()[0]
        importing = ["cases", "import", str(file), "--programme", "eurp", "--as", OFFICER]
        steps = [
            step("baseline: db check", ["db", "check"], env, work),
            step("import --dry-run", [*importing, "--dry-run"], env, work),
            step("import", importing, env, work),
            step("import again", importing, env, work),
        ]
    imported = steps[2]
    return {
        "households": households,
        "rows": rows,
        "file_bytes": file_size(households, seed),
        "load_before": round(load, 2),
        "steps": [msgspec.to_builtins(s) for s in steps],
        "households_per_second": round(households / imported.seconds, 1),
        "households_per_second_beyond_baseline": round(
            households / (imported.seconds - steps[0].seconds), 1
        ),
        "households_per_cpu_second": round(households / imported.cpu_seconds, 1),
        "target_met": households / imported.seconds >= TARGET,
    }


def file_size(households: int, seed: int) -> int:
    return len(caseload(households, seed))


def render(found: dict[str, object]) -> str:
    lines = [
        f"caseload import of {found['households']:,} households ({found['rows']:,} rows, "
        f"{found['file_bytes']:,} bytes), SQLite; load average before {found['load_before']}",
        f"   {'step':<22}{'wall s':>9}{'CPU s':>8}{'peak MiB':>10}  said",
    ]
    for s in found["steps"]:  # type: ignore[attr-defined]
        lines.append(
            f"   {s['name']:<22}{s['seconds']:>9.2f}{s['cpu_seconds']:>8.2f}"
            f"{s['peak_rss_mb']:>10.0f}  {s['said'][:64]}"
        )
    met = "MET" if found["target_met"] else "NOT MET"
    lines.append(
        f"import: {found['households_per_second']:,} households/s "
        f"({found['households_per_second_beyond_baseline']:,}/s beyond the baseline, "
        f"{found['households_per_cpu_second']:,} per CPU second); "
        f"target >= {TARGET:,.0f}/s: {met}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="machine-readable report")
    options = parser.parse_args(argv)
    found = measure(options.households, options.seed)
    print(json.dumps(found, indent=2) if options.json else render(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
