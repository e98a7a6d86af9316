"""Do cap checks grow with history? Time N disbursements on one case and one budget line.

Sets up, on a SQLite file (a fresh temporary one by default), one programme with one budget
line, one household (a principal only) and one approved package with a single cash
component, all large enough for `--count` disbursements of 1.00 EUR. Then it runs `--count`
disbursements on that same component, each one request (officer) + approve (finance) +
confirm (treasurer), three separate units of work, and times each full disbursement with
`time.perf_counter_ns`.

Every request checks the staged limit against what the case already requested (the
`component:...:pending|paid` balances of its packages) and every step posts to the ledger
(floors checked) and appends to the hash-chained journal. If any of these read the history
instead of a balance or the journal's tail, the late disbursements are slower than the early
ones: the report compares the 10th with the last (median over a window of ten around each).

It reports figures only and asserts nothing about them.

    .venv/bin/python bench/disbursement_history.py [--count 5000] [--database PATH] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import msgspec
from sqlalchemy import func
from sqlmodel import Session, select

from bench.keys import ensure_keys
from reintegrate import events as ev
from reintegrate import kinds
from reintegrate.cases import Case, Member, ReturnType, Role
from reintegrate.demo.people import register_demo_household
from reintegrate.grants.disbursements import Channel
from reintegrate.policy import AppliesTo, PersonAmount, Policy, load_policy, policy_to_json
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.programmes import BudgetLineSpec
from reintegrate.store import tables as t
from reintegrate.store.base import Scope
from reintegrate.store.sql import SqlStore

ROOT = Path(__file__).resolve().parent.parent
EU_POLICY_FILE = ROOT / "examples" / "policies" / "eu-reintegration-programme.toml"

PROGRAMME = "bench-eurp"
OFFICE = "dakar"
LINE = "individual"
CASE_ID = "bench-case-1"
PACKAGE_ID = "bench-pkg-1"
COMPONENT = "cash-1"
CURRENCY = "EUR"
AMOUNT_MINOR = 100
"""Each disbursement: 1.00 EUR."""

RETURNED = dt.date(2024, 3, 1)
SET_UP_AT = dt.datetime(2024, 1, 2, 10, tzinfo=dt.UTC)
NOW = dt.datetime(2024, 3, 11, 10, tzinfo=dt.UTC)
"""Every command after set-up runs ten days after the return, well inside the window."""

WINDOW = 10
"""Disbursements in each window whose median is reported."""
EARLY_AT = 10
"""The early reference: the 10th disbursement (window 6-15)."""
TARGET_RATIO = 1.5
PROGRESS_EVERY = 500

ADMIN = Actor("admin-1")
OFFICER = Actor("officer-1", Scope(offices=frozenset({OFFICE})))
APPROVER = Actor("approver-1", Scope(offices=frozenset({OFFICE})))
FINANCE = Actor("finance-1")
TREASURER = Actor("finance-2")


class StepTimes(msgspec.Struct, frozen=True, kw_only=True):
    """Median nanoseconds of each step over one window."""

    request: float
    approve: float
    confirm: float


class Report(msgspec.Struct, frozen=True, kw_only=True):
    count: int
    database: str
    amount: str
    early_index: int
    early_window: tuple[int, int]
    early_median_ns: float
    early_single_ns: int
    early_steps: StepTimes
    late_index: int
    late_window: tuple[int, int]
    late_median_ns: float
    late_single_ns: int
    late_steps: StepTimes
    ratio: float
    target_ratio: float
    target_met: bool
    mean_ns: float
    p50_ns: float
    p99_ns: float
    first_tenth_mean_ns: float
    last_tenth_mean_ns: float
    total_seconds: float
    journal_entries: int
    postings: int


def minor_text(minor: int) -> str:
    """A decimal amount string for `minor` cents."""
    return f"{minor // 100}.{minor % 100:02d}"


def bench_policy(entitlement_minor: int) -> Policy:
    """The EU example policy, with one large cash line for the principal and a 10-year window."""
    base = load_policy(EU_POLICY_FILE.read_bytes())
    line = PersonAmount(
        label="benchmark: large post-arrival cash line",
        amount=minor_text(entitlement_minor),
        applies_to=AppliesTo.PRINCIPAL,
        cash="all",
        stage="post_arrival",
    )
    policy = msgspec.structs.replace(
        base,
        programme=PROGRAMME,
        version="bench-1",
        window_months=120,
        person_amounts=(line,),
    )
    # Round-trip through the loader so that the policy is validated like an adopted one.
    return load_policy(policy_to_json(policy), "json")


def household() -> Case:
    principal = Member(
        member_id="p",
        person_id=f"person-{CASE_ID}-p",
        role=Role.PRINCIPAL,
        nationality="SN",
        birth_year=1985,
    )
    return Case(
        case_id=CASE_ID,
        programme_id=PROGRAMME,
        office=OFFICE,
        country_of_return="SN",
        return_date=RETURNED,
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        members=(principal,),
    )


def set_up(store: SqlStore, count: int) -> None:
    """Programme, policy, case and an approved package for `count` disbursements."""
    component_minor = count * AMOUNT_MINOR + 100_000
    entitlement_minor = 2 * component_minor
    budget_minor = 2 * entitlement_minor
    prog.create_programme(
        store,
        ADMIN,
        SET_UP_AT,
        programme_id=PROGRAMME,
        name="benchmark programme",
        currency=CURRENCY,
        budget_lines=[
            BudgetLineSpec(code=LINE, label="individual packages", amount=minor_text(budget_minor))
        ],
    )
    prog.adopt_policy(store, ADMIN, SET_UP_AT, bench_policy(entitlement_minor))
    register_demo_household(store, OFFICER, NOW, household())
    component = ev.ComponentSpec(
        component_id=COMPONENT,
        member_id="p",
        form=kinds.Form.CASH,
        category=kinds.Category.BUSINESS,
        dimension=kinds.Dimension.ECONOMIC,
        amount=component_minor,
    )
    ps.draft_package(
        store,
        OFFICER,
        NOW,
        case_id=CASE_ID,
        budget_line=LINE,
        components=(component,),
        package_id=PACKAGE_ID,
    )
    ps.submit_package(store, OFFICER, NOW, PACKAGE_ID)
    ps.approve_package(store, APPROVER, NOW, PACKAGE_ID)


def disburse(store: SqlStore) -> tuple[int, int, int]:
    """One full disbursement; nanoseconds of request, approve and confirm."""
    t0 = time.perf_counter_ns()
    d = ps.request_disbursement(
        store,
        OFFICER,
        NOW,
        package_id=PACKAGE_ID,
        component_id=COMPONENT,
        amount=AMOUNT_MINOR,
        currency=CURRENCY,
        channel=Channel.MOBILE_MONEY,
    )
    t1 = time.perf_counter_ns()
    ps.approve_disbursement(store, FINANCE, NOW, d.disbursement_id)
    t2 = time.perf_counter_ns()
    ps.confirm_disbursement(store, TREASURER, NOW, d.disbursement_id, "provider-ref")
    t3 = time.perf_counter_ns()
    return t1 - t0, t2 - t1, t3 - t2


def percentile(sorted_values: Sequence[int], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return float(sorted_values[rank - 1])


def window_around(index: int, count: int) -> tuple[int, int]:
    """1-based inclusive bounds of a window of WINDOW disbursements ending at `index` + 5,
    kept inside 1..count (6-15 for the 10th, count-9..count for the last)."""
    last = min(count, index + WINDOW // 2)
    first = max(1, last - WINDOW + 1)
    return first, first + WINDOW - 1


def window_median(values: Sequence[int], bounds: tuple[int, int]) -> float:
    return float(statistics.median(values[bounds[0] - 1 : bounds[1]]))


def step_medians(steps: Sequence[tuple[int, int, int]], bounds: tuple[int, int]) -> StepTimes:
    chosen = steps[bounds[0] - 1 : bounds[1]]
    return StepTimes(
        request=float(statistics.median(s[0] for s in chosen)),
        approve=float(statistics.median(s[1] for s in chosen)),
        confirm=float(statistics.median(s[2] for s in chosen)),
    )


def count_rows(store: SqlStore) -> tuple[int, int]:
    """Journal entries and ledger postings in the database."""
    with Session(store.engine) as s:
        entries = s.exec(select(func.count()).select_from(t.JournalRow)).one()
        postings = s.exec(select(func.count()).select_from(t.PostingRow)).one()
    return int(entries), int(postings)


def run(count: int, database: Path) -> Report:
    store = SqlStore(f"sqlite:///{database}")
    store.create_all()
    set_up(store, count)
    steps: list[tuple[int, int, int]] = []
    started = time.perf_counter()
    for i in range(1, count + 1):
        steps.append(disburse(store))
        if i % PROGRESS_EVERY == 0 or i == count:
            block = [sum(s) for s in steps[-PROGRESS_EVERY:]]
            print(
                f"  {i:>6}/{count} disbursements, {time.perf_counter() - started:7.1f} s, "
                f"last {len(block)}: mean {statistics.fmean(block) / 1e6:.2f} ms",
                file=sys.stderr,
                flush=True,
            )
    total_seconds = time.perf_counter() - started
    store.engine.dispose()
    totals = [sum(s) for s in steps]
    ordered = sorted(totals)
    early = window_around(EARLY_AT, count)
    late = window_around(count, count)
    early_median = window_median(totals, early)
    late_median = window_median(totals, late)
    ratio = late_median / early_median
    tenth = max(1, count // 10)
    journal_entries, postings = count_rows(SqlStore(f"sqlite:///{database}"))
    return Report(
        count=count,
        database=str(database),
        amount=f"{minor_text(AMOUNT_MINOR)} {CURRENCY}",
        early_index=EARLY_AT,
        early_window=early,
        early_median_ns=early_median,
        early_single_ns=totals[EARLY_AT - 1],
        early_steps=step_medians(steps, early),
        late_index=count,
        late_window=late,
        late_median_ns=late_median,
        late_single_ns=totals[count - 1],
        late_steps=step_medians(steps, late),
        ratio=ratio,
        target_ratio=TARGET_RATIO,
        target_met=ratio <= TARGET_RATIO,
        mean_ns=statistics.fmean(totals),
        p50_ns=percentile(ordered, 50),
        p99_ns=percentile(ordered, 99),
        first_tenth_mean_ns=statistics.fmean(totals[:tenth]),
        last_tenth_mean_ns=statistics.fmean(totals[-tenth:]),
        total_seconds=total_seconds,
        journal_entries=journal_entries,
        postings=postings,
    )


def ms(ns: float) -> str:
    return f"{ns / 1e6:.3f} ms"


def table(r: Report) -> str:
    e0, e1 = r.early_window
    l0, l1 = r.late_window
    tenth = max(1, r.count // 10)
    rows = [
        ("disbursements (request + approve + confirm)", f"{r.count} x {r.amount}"),
        ("database", r.database),
        (f"#{r.early_index}: median of #{e0}-#{e1}", ms(r.early_median_ns)),
        (f"#{r.early_index}: single value", ms(r.early_single_ns)),
        (
            "  request / approve / confirm (medians)",
            " / ".join(
                ms(x) for x in (r.early_steps.request, r.early_steps.approve, r.early_steps.confirm)
            ),
        ),
        (f"#{r.late_index}: median of #{l0}-#{l1}", ms(r.late_median_ns)),
        (f"#{r.late_index}: single value", ms(r.late_single_ns)),
        (
            "  request / approve / confirm (medians)",
            " / ".join(
                ms(x) for x in (r.late_steps.request, r.late_steps.approve, r.late_steps.confirm)
            ),
        ),
        (f"ratio #{r.late_index} / #{r.early_index} (medians)", f"{r.ratio:.2f}x"),
        ("mean", ms(r.mean_ns)),
        ("p50", ms(r.p50_ns)),
        ("p99", ms(r.p99_ns)),
        (
            f"mean of first {tenth} / last {tenth}",
            f"{ms(r.first_tenth_mean_ns)} / {ms(r.last_tenth_mean_ns)}",
        ),
        ("total time of the disbursements", f"{r.total_seconds:.1f} s"),
        ("journal entries (whole database)", str(r.journal_entries)),
        ("ledger postings (whole database)", str(r.postings)),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    verdict = "MET" if r.target_met else "NOT MET"
    lines.append("")
    lines.append(
        f"target: #{r.late_index} within {r.target_ratio}x of #{r.early_index}: {verdict} "
        f"({r.ratio:.2f}x)"
    )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time disbursements on one case as its history grows (SQLite)."
    )
    parser.add_argument(
        "--count", type=int, default=5000, help="disbursements to run (default 5000, min 20)"
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help="SQLite file to create (must not exist); default: a fresh temporary file",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.count < 2 * WINDOW:
        parser.error(f"--count must be at least {2 * WINDOW}")
    if args.database is not None and args.database.exists():
        parser.error(f"{args.database} exists already; give a new file")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    ensure_keys()
    args = parse_args(argv)
    count: int = args.count
    print(f"running {count} disbursements on one case...", file=sys.stderr, flush=True)
    if args.database is not None:
        report = run(count, args.database)
    else:
        with tempfile.TemporaryDirectory(prefix="reintegrate-bench-") as tmp:
            report = run(count, Path(tmp) / "bench.db")
    if args.json:
        print(json.dumps(msgspec.to_builtins(report), indent=2))
    else:
        print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
