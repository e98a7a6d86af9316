"""Reconcile a million-line CSV statement against a million payments, against pandas.

Generates into a temporary directory a CSV statement of `--lines` lines (signed amounts, one
currency, a provider's status words) and a CSV of as many expected payments. In each block
of 200 payments: 192 are paid by a line carrying their reference (96 %), 2 by a line for
another amount, 2 are returned (a credit line with their reference), 1 is paid by a line
without reference (found by amount and date), and 3 are not on the statement; the statement
also holds 1 duplicate payment and 2 unknown lines per block.

Then, each in a fresh child process (so that each peak memory is its own):

- **bulk** (ours): from the files' bytes to the classified result, column by column:
  `read_columns` on the statement, the expected payments read from their CSV into
  `PaymentColumns`, `reconcile_columns`. After the clock stops (and apart): making the
  matched findings, which the result makes on first use, and `reconcile_csv` given the
  payments as `Expected` records (what the service would call);
- **pure** (ours, the reference path; `--no-pure` skips it): `parse_csv` on the statement,
  the expected payments read into `Expected` records, `match`;
- **pandas**: the baseline, `pd.read_csv` of both files and `merge` on the reference column
  (inner, pandas' default; an outer merge with indicator is timed after it, apart).

Wall time is `time.perf_counter` around the phase; peak memory is the child's peak resident
set (`VmHWM` in /proc/self/status, not `ru_maxrss`, which a child started by fork + exec may
inherit from its parent), so it includes the interpreter and its imports (also shown: the
resident set before the phase). The best round of each is compared. It reports figures only.

    .venv/bin/python bench/reconcile_million.py [--lines 1000000] [--rounds 1] [--no-pure]
        [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import msgspec  # noqa: E402
import numpy as np  # noqa: E402

from bench.keys import ensure_keys  # noqa: E402
from reintegrate.adapters.bulk import fields as bf  # noqa: E402
from reintegrate.adapters.bulk.csv_reading import plain_amounts, read_columns  # noqa: E402
from reintegrate.adapters.bulk.engine import (  # noqa: E402
    PaymentColumns,
    reconcile_columns,
    reconcile_csv,
)
from reintegrate.adapters.statements.csv_format import CsvMapping, parse_csv  # noqa: E402
from reintegrate.grants.disbursements import DisbursementStatus  # noqa: E402
from reintegrate.reconcile.matching.match import match  # noqa: E402
from reintegrate.reconcile.matching.outcomes import Expected, Outcome, Reconciliation  # noqa: E402

STATEMENT = "statement.csv"
EXPECTED = "expected.csv"
BLOCK = 200
FIRST_DAY = dt.date(2024, 1, 1)
TARGET_PEAK_MIB = 2048
PHASES = ("bulk", "pure", "pandas")
MAPPING = CsvMapping(
    date="Date",
    reference="Reference",
    amount="Amount",
    currency="Currency",
    status="Status",
    counterparty="Counterparty",
    status_map={"SUCCESS": "booked", "RETURNED": "returned"},  # type: ignore[dict-item]
    provider="bench",
)
NAMES = ("Aminata Diallo", "Mamadou Ba", "Fatou Sow", "Ousmane Ndiaye", "Awa Faye", "Ibrahima Fall")


def plan_slot(slot: int) -> tuple[str, str]:
    """(class of the payment, class of the line) at `slot` in a block of 200."""
    if slot < 192:
        return "matched", "matched"
    return {
        192: ("amount_differs", "amount_differs"),
        193: ("amount_differs", "amount_differs"),
        194: ("returned_or_reversed", "returned_or_reversed"),
        195: ("returned_or_reversed", "returned_or_reversed"),
        196: ("matched", "matched"),
        197: ("missing", "duplicate_payment"),
        198: ("missing", "unknown_line"),
    }.get(slot, ("missing", "unknown_line"))


def generate(directory: Path, count: int, seed: int) -> dict[str, int]:
    """Write both files; the planned number of payments and lines in each class."""
    rng = random.Random(seed)
    statement = ["Date,Reference,Amount,Currency,Status,Counterparty"]
    expected = ["disbursement_id,reference,amount_minor,currency,sent_on,status"]
    amounts = [rng.randint(1_000, 500_000) for _ in range(count)]
    planned: Counter[str] = Counter()
    for i, amount in enumerate(amounts):
        sent = FIRST_DAY + dt.timedelta(days=i * 90 // count)
        booked = (sent + dt.timedelta(days=rng.randint(0, 2))).isoformat()
        expected.append(f"dsb-{i:08d},RIP-{i:08d},{amount},EUR,{sent.isoformat()},paid")
        payment_class, line_class = plan_slot(i % BLOCK)
        planned[f"payments {payment_class}"] += 1
        planned[f"lines {line_class}"] += 1
        statement.append(_line(i, booked, amounts, rng))
    for directory_file, rows in ((STATEMENT, statement), (EXPECTED, expected)):
        (directory / directory_file).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return dict(sorted(planned.items()))


def _line(i: int, booked: str, amounts: list[int], rng: random.Random) -> str:
    """Line `i` of the statement: what the block's plan puts at its slot."""
    slot, amount = i % BLOCK, amounts[i]
    name = f"{NAMES[i % len(NAMES)]} {i % 9973}"
    reference, status, signed = f"RIP-{i:08d}", "SUCCESS", -amount
    if slot in (192, 193):
        signed = -(amount + rng.choice((-1, 1)) * rng.randint(1, 500))
    elif slot in (194, 195):
        status, signed = "RETURNED", amount
    elif slot == 196:
        reference = ""
    elif slot == 197:
        reference, signed = f"RIP-{i - 197 + 5:08d}", -amounts[i - 197 + 5]
    elif slot >= 198:
        reference = f"UNK-{i:08d}" if slot == 198 else ""
        signed = -rng.randint(500_001, 900_000)
    return f"{booked},{reference},{_decimal(signed)},EUR,{status},{name}"


def _decimal(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"


def read_expected(data: bytes) -> list[Expected]:
    """The expected payments of the benchmark's own export (plain CSV, no quoting)."""
    text = data.decode("utf-8")
    header, _, body = text.partition("\n")
    width = header.count(",") + 1
    fields = body.replace("\n", ",").split(",")
    rows = len(fields) // width
    ids, refs, amounts, codes, days, statuses = (
        fields[k : rows * width : width] for k in range(width)
    )
    day_of = {text: dt.date.fromisoformat(text) for text in set(days)}
    status_of = {text: DisbursementStatus(text) for text in set(statuses)}
    return [
        Expected(
            disbursement_id=disbursement_id,
            reference=reference,
            amount=amount,
            currency=code,
            sent_on=day,
            status=status,
        )
        for disbursement_id, reference, amount, code, day, status in zip(
            ids,
            refs,
            map(int, amounts),
            codes,
            map(day_of.__getitem__, days),
            map(status_of.__getitem__, statuses),
            strict=True,
        )
    ]


def read_expected_columns(data: bytes) -> PaymentColumns:
    """The same payments as `read_expected`, as columns; records made only when asked for."""
    grid = bf.split(data, data[: data.index(b"\n")].count(b",") + 1, ",")
    assert grid is not None, "the benchmark writes a plain CSV"
    ids, refs, amounts, codes, days, statuses = (grid.column(k) for k in range(grid.width))
    no_decimals = np.zeros(grid.rows, dtype=np.int64)
    references = bf.gather(grid, *refs, cap=64)
    code_values, code_index = bf.distinct(_cells(grid, codes))
    day_values, day_index = bf.distinct(_cells(grid, days))
    dates = [dt.date.fromisoformat(day.decode()) for day in day_values]
    status_values, status_index = bf.distinct(_cells(grid, statuses))
    status_of = [DisbursementStatus(status.decode()) for status in status_values]
    amount = plain_amounts(grid, *amounts, no_decimals, decimal=".", signed=False)
    currency = [code.decode() for code in code_values]

    def records(at: bf.Ints) -> list[Expected]:
        raw = grid.raw
        return [
            Expected(
                disbursement_id=raw[id_start:id_end].decode(),
                reference=raw[ref_start:ref_end].decode(),
                amount=minor,
                currency=currency[code],
                sent_on=dates[day],
                status=status_of[status],
            )
            for id_start, id_end, ref_start, ref_end, minor, code, day, status in zip(
                *(ids[0][at].tolist(), ids[1][at].tolist(), refs[0][at].tolist()),
                *(refs[1][at].tolist(), amount[at].tolist(), code_index[at].tolist()),
                *(day_index[at].tolist(), status_index[at].tolist()),
                strict=True,
            )
        ]

    assert references is not None
    return PaymentColumns(
        references=references,
        amount=amount,
        codes=currency,
        currency=code_index.astype(np.int64),
        records=records,
    )


def _cells(grid: bf.Grid, where: tuple[bf.Ints, bf.Ints]) -> bf.Bytes:
    found = bf.gather(grid, *where, cap=40)
    assert found is not None
    return found


def memory_mib(field: str) -> float:
    """`VmHWM` (peak) or `VmRSS` (now) of this process, from /proc; the peak falls back to
    `ru_maxrss` where there is no /proc (that one may include the parent's peak at fork)."""
    status = Path("/proc/self/status")
    if status.exists():
        for row in status.read_text().splitlines():
            if row.startswith(f"{field}:"):
                return int(row.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bulk(directory: Path) -> dict[str, object]:
    """Ours, in bulk: `read_columns` on the statement's bytes, the expected payments read
    into columns, `reconcile_columns`; the matched findings are made after the clock stops
    (and timed apart), as a caller asking for them would."""
    before = memory_mib("VmRSS")
    start = time.perf_counter()
    columns = read_columns((directory / STATEMENT).read_bytes(), MAPPING)
    parsed = time.perf_counter()
    payments = read_expected_columns((directory / EXPECTED).read_bytes())
    read = time.perf_counter()
    assert columns is not None, "the benchmark's statement takes the fast path"
    result = reconcile_columns(columns, payments)
    end = time.perf_counter()
    peak = memory_mib("VmHWM")
    counts = class_counts(result, skip_matched=True)
    counts["lines matched"] = counts["payments matched"] = result.matched_count()
    made = time.perf_counter()
    matched = len(result.matched)
    made_end = time.perf_counter()
    peak_made = memory_mib("VmHWM")
    totals = result.totals_in("EUR")
    records = read_expected((directory / EXPECTED).read_bytes())
    service = time.perf_counter()
    reconcile_csv((directory / STATEMENT).read_bytes(), MAPPING, records)
    service_end = time.perf_counter()
    return {
        "seconds": end - start,
        "phases": {
            "read_columns": parsed - start,
            "read_expected": read - parsed,
            "reconcile_columns": end - read,
        },
        "matched_findings_made_seconds": made_end - made,
        "matched_findings_made": matched,
        "peak_after_findings_made_mib": peak_made,
        "reconcile_csv_with_records_seconds": service_end - service,
        "rss_before_mib": before,
        "peak_rss_mib": peak,
        "counts": dict(sorted(counts.items())),
        "totals_add_up": totals.matched + totals.differences == totals.statement,
        "totals": msgspec.to_builtins(result.totals),
    }


def class_counts(result: Reconciliation, *, skip_matched: bool = False) -> Counter[str]:
    """Lines and payments per class."""
    counts: Counter[str] = Counter()
    for outcome in Outcome:
        if skip_matched and outcome is Outcome.MATCHED:
            continue
        for finding in result.of(outcome):
            if finding.lines:
                counts[f"lines {outcome.value}"] += len(finding.lines)
            if finding.expected is not None:
                counts[f"payments {outcome.value}"] += 1
    return counts


def run_pure(directory: Path) -> dict[str, object]:
    before = memory_mib("VmRSS")
    start = time.perf_counter()
    statement = parse_csv((directory / STATEMENT).read_bytes(), MAPPING)
    parsed = time.perf_counter()
    expected = read_expected((directory / EXPECTED).read_bytes())
    read = time.perf_counter()
    result = match(statement.lines, expected)
    end = time.perf_counter()
    peak = memory_mib("VmHWM")
    counts = class_counts(result)
    totals = result.totals_in("EUR")
    return {
        "totals": msgspec.to_builtins(result.totals),
        "seconds": end - start,
        "phases": {
            "parse_csv": parsed - start,
            "read_expected": read - parsed,
            "match": end - read,
        },
        "rss_before_mib": before,
        "peak_rss_mib": peak,
        "counts": dict(sorted(counts.items())),
        "totals_add_up": totals.matched + totals.differences == totals.statement,
    }


def run_pandas(directory: Path) -> dict[str, object]:
    import pandas as pd  # noqa: PLC0415 (only the baseline's child needs it)

    before = memory_mib("VmRSS")
    start = time.perf_counter()
    statement = pd.read_csv(directory / STATEMENT)
    read_statement = time.perf_counter()
    expected = pd.read_csv(directory / EXPECTED)
    read_expected = time.perf_counter()
    merged = statement.merge(expected, left_on="Reference", right_on="reference")
    end = time.perf_counter()
    peak = memory_mib("VmHWM")
    outer = statement.merge(
        expected, left_on="Reference", right_on="reference", how="outer", indicator=True
    )
    outer_end = time.perf_counter()
    return {
        "seconds": end - start,
        "phases": {
            "read_csv statement": read_statement - start,
            "read_csv expected": read_expected - read_statement,
            "merge": end - read_expected,
        },
        "outer_merge_seconds": outer_end - end,
        "rss_before_mib": before,
        "peak_rss_mib": peak,
        "inner_rows": len(merged),
        "outer_rows": len(outer),
    }


def child(phase: str, directory: Path) -> dict[str, object]:
    command = [sys.executable, __file__, "--phase", phase, "--dir", str(directory)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found: dict[str, object] = json.loads(done.stdout)
    return found


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=1_000_000, help="statement lines")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of each (default 1)")
    parser.add_argument("--no-pure", action="store_true", help="skip the pure path (slow)")
    parser.add_argument("--seed", type=int, default=20240311)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def report(
    lines: int, planned: dict[str, int], rounds: list[dict[str, dict[str, object]]]
) -> dict[str, object]:
    ours = min(_seconds(r["bulk"]) for r in rounds)
    base = min(_seconds(r["pandas"]) for r in rounds)
    peak = max(_peak(r["bulk"]) for r in rounds)
    pure = [r["pure"] for r in rounds if "pure" in r]
    return {
        "lines": lines,
        "planned": planned,
        "rounds": rounds,
        "ours_seconds": ours,
        "ours_lines_per_second": lines / ours,
        "ours_peak_mib": peak,
        "pure_seconds": min(map(_seconds, pure)) if pure else None,
        "pure_peak_mib": max(map(_peak, pure)) if pure else None,
        "pandas_seconds": base,
        "pandas_peak_mib": max(_peak(r["pandas"]) for r in rounds),
        "ratio_ours_to_pandas": ours / base,
        "target_met": ours <= base and peak <= TARGET_PEAK_MIB,
        "counts_as_planned": all(
            run["counts"] == planned for r in rounds for name, run in r.items() if name != "pandas"
        ),
        "bulk_and_pure_totals_agree": all(
            r["pure"]["totals"] == r["bulk"]["totals"] for r in pure_rounds(rounds)
        ),
    }


def pure_rounds(rounds: list[dict[str, dict[str, object]]]) -> list[dict[str, dict[str, object]]]:
    return [r for r in rounds if "pure" in r]


def _seconds(run: dict[str, object]) -> float:
    return float(str(run["seconds"]))


def _peak(run: dict[str, object]) -> float:
    return float(str(run["peak_rss_mib"]))


def main(argv: Sequence[str] | None = None) -> int:
    ensure_keys()
    args = parse_args(argv)
    if args.phase is not None:
        run = {"bulk": run_bulk, "pure": run_pure, "pandas": run_pandas}[args.phase]
        print(json.dumps(run(args.dir)))
        return 0
    load = os.getloadavg()[0]
    if load > 1:
        print(
            f"note: load average {load:.2f}; figures are noisier on a busy machine", file=sys.stderr
        )
    with tempfile.TemporaryDirectory(prefix="reconcile-bench-") as tmp:
        directory = Path(tmp)
        print(f"generating {args.lines:,} lines and payments in {directory}", file=sys.stderr)
        planned = generate(directory, args.lines, args.seed)
        rounds = []
        phases = [phase for phase in PHASES if not (args.no_pure and phase == "pure")]
        for number in range(1, args.rounds + 1):
            print(f"round {number}: {', then '.join(phases)}", file=sys.stderr)
            rounds.append({phase: child(phase, directory) for phase in phases})
    found = report(args.lines, planned, rounds)
    found["load_average_before"] = load
    print(json.dumps(found, indent=2) if args.json else render(found))
    return 0


def render(found: dict[str, object]) -> str:
    rows = [
        f"statement lines and expected payments: {found['lines']:,} "
        f"(load average before: {float(str(found['load_average_before'])):.2f})"
    ]
    rounds = found["rounds"]
    assert isinstance(rounds, list)
    for number, run in enumerate(rounds, 1):
        for name, figures in run.items():
            phases = ", ".join(f"{k} {v:.2f} s" for k, v in figures["phases"].items())
            rows.append(
                f"round {number} {name:<6} {figures['seconds']:6.2f} s  "
                f"peak {figures['peak_rss_mib']:7.1f} MiB (before {figures['rss_before_mib']:.1f})"
                f"  [{phases}]"
            )
    ours, base = float(str(found["ours_seconds"])), float(str(found["pandas_seconds"]))
    best = min(rounds, key=lambda run: float(run["bulk"]["seconds"]))["bulk"]
    rows += [
        f"  then, apart: matched findings made in {best['matched_findings_made_seconds']:.2f} s "
        f"(peak then {best['peak_after_findings_made_mib']:.1f} MiB); reconcile_csv given "
        f"Expected records: {best['reconcile_csv_with_records_seconds']:.2f} s",
        f"ours, bulk (best): {ours:.2f} s, "
        f"{float(str(found['ours_lines_per_second'])):,.0f} lines/s, "
        f"peak {float(str(found['ours_peak_mib'])):.1f} MiB",
        *_pure_rows(found),
        f"pandas read_csv x2 + merge (best): {base:.2f} s, "
        f"peak {float(str(found['pandas_peak_mib'])):.1f} MiB",
        f"ratio ours / pandas: {float(str(found['ratio_ours_to_pandas'])):.2f}",
        f"target (ours <= pandas time and <= {TARGET_PEAK_MIB} MiB): "
        + ("MET" if found["target_met"] else "NOT MET"),
        "classes as planned: " + ("yes" if found["counts_as_planned"] else "NO"),
    ]
    return "\n".join(rows)


def _pure_rows(found: dict[str, object]) -> list[str]:
    if found["pure_seconds"] is None:
        return []
    pure = float(str(found["pure_seconds"]))
    return [
        f"ours, pure path (best): {pure:.2f} s, {float(str(found['lines'])) / pure:,.0f} lines/s, "
        f"peak {float(str(found['pure_peak_mib'])):.1f} MiB",
        "bulk and pure totals agree: " + ("yes" if found["bulk_and_pure_totals_agree"] else "NO"),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
