"""Throughput of `POST /packages/{id}/disbursements` against a bare one-insert Litestar endpoint.

Both apps run under uvicorn with `--workers` worker processes (1 by default; `--loop asyncio
--http h11`, pinned so that an installed uvloop or httptools changes nothing), each on its own
SQLite file (WAL, through the project's `make_engine`) or, with `--database`, on its own fresh
PostgreSQL database, on a free port on 127.0.0.1. The same wrk command, with the same Lua
script (a fresh Idempotency-Key per request, the same headers and body), loads them in turn:
bare, api, bare, api... for `--rounds` rounds of `--seconds` each, after a short warm-up of
each. The report gives each round and the medians: requests/s, p50/p99 latency, the ratio
api/bare, and whether the targets are met (ratio >= 0.5, api p99 < 50 ms). Any non-2xx
answer or socket error fails the run (exit status 1), after the report.

The API side: an officer of office "dakar" with a bearer token, and one approved package with
one cash component of 10 million EUR (programme, policy, case and package made through the
services). Every request asks for 0.01 EUR of it by mobile money: token look-up,
Idempotency-Key claim and completion, cap checks, ledger postings and a journal append, and
the answer built from what the command returned. The API's clock is fixed by default
(`--clock real` for the real one: see bench/README.md).

The bare side: a Litestar app with one POST route (sync, in a thread like the API's) that
decodes the JSON body, reads the Idempotency-Key header, inserts one row and answers 201.

    .venv/bin/python -m bench.api_throughput [--seconds 10] [--rounds 3] [--connections 32] [--json]
        [--database postgresql+psycopg://USER:PASSWORD@HOST/postgres] [--workers N]

Needs wrk (Debian: `apt-get install wrk`). It reports figures; the targets are informative.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Litestar, post
from litestar.params import Parameter
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    func,
    make_url,
    select,
    text,
)
from sqlmodel import Session

from api.app import create_app
from api.logs import configure_logging
from bench.command_lock import WRITE_EVERY, TimedLock, per_hold_ms, read_totals
from bench.databases import drop_database
from bench.keys import ensure_keys
from reintegrate import events as ev
from reintegrate import kinds
from reintegrate.access import Role
from reintegrate.cases import Case, Member, ReturnType
from reintegrate.cases import Role as MemberRole
from reintegrate.demo.people import register_demo_household
from reintegrate.policy import AppliesTo, PersonAmount, Policy, load_policy, policy_to_json
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.programmes import BudgetLineSpec
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.base import Scope
from reintegrate.store.sql import SqlStore, make_engine
from reintegrate.store.sql_uow import DISBURSEMENTS

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
EU_POLICY_FILE = ROOT / "examples" / "policies" / "eu-reintegration-programme.toml"
URL_VARIABLE = "REINTEGRATE_BENCH_DATABASE_URL"
"""How the server subprocesses learn their database (uvicorn's `--factory` takes no argument)."""
CLOCK_VARIABLE = "REINTEGRATE_BENCH_CLOCK"
"""The API's clock: "real", or an ISO time that every request gets (see `--clock`)."""
LOCK_VARIABLE = "REINTEGRATE_BENCH_LOCK_TOTALS"
"""Where the API server writes its command lock's totals (`command_lock.TimedLock`)."""

PROGRAMME = "bench-eurp"
OFFICE = "dakar"
LINE = "individual"


def package_id(number: int | str) -> str:
    """The package of the bench's case `number` (1, 2...)."""
    return f"bench-pkg-{number}"


def disbursements_path(number: int | str) -> str:
    """Where payments on the package of case `number` are asked."""
    return f"/packages/{package_id(number)}/disbursements"


PACKAGE_ID = package_id(1)
COMPONENT = "cash-1"
CURRENCY = "EUR"
COMPONENT_MINOR = 10_000_000_00
"""The cash component: 10 million EUR, a billion disbursements of 0.01 EUR."""
OFFICER_ID = "officer-1"

ADMIN = Actor("admin-1")
OFFICER = Actor(OFFICER_ID, Scope(offices=frozenset({OFFICE})))
APPROVER = Actor("approver-1", Scope(offices=frozenset({OFFICE})))

API_PATH = disbursements_path(1)
BARE_PATH = "/rows"
BODY = json.dumps(
    {
        "component_id": COMPONENT,
        "amount": {"amount": "0.01", "currency": CURRENCY},
        "channel": "mobile_money",
    },
    separators=(",", ":"),
)

TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
WRK_TIMEOUT = "10s"
RESULT_MARK = "BENCH-RESULT "

WRK_SCRIPT = r"""
-- One POST per call, each with its own Idempotency-Key: <prefix>-<thread>-<counter>.
-- Arguments after "--": path, bearer token, key prefix, body, number of packages: with
-- more than one, "{n}" in the path is replaced by 1, 2... in turn.
local threads = {}
local counter = 0
non2xx = 0
first_bad = ""
local path, token, prefix, body, packages

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function init(args)
  path, token, prefix, body, packages = args[1], args[2], args[3], args[4], tonumber(args[5])
end

function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = prefix .. "-" .. thread_id .. "-" .. counter,
  }
  local target = path
  if packages > 1 then
    target = (string.gsub(path, "{n}", tostring((counter + thread_id) % packages + 1)))
  end
  return wrk.format("POST", target, headers, body)
end

function response(status, headers, resp_body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == "" then
      first_bad = status .. " " .. string.sub(resp_body or "", 1, 300)
    end
  end
end

local function quote(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

function done(summary, latency, requests)
  local bad, sample = 0, ""
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    local seen = thread:get("first_bad") or ""
    if sample == "" then sample = seen end
  end
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"non_2xx":%d,"first_bad":%s,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
    '"status_errors":%d,"mean_us":%.1f,"max_us":%.1f,"p50_us":%.1f,"p90_us":%.1f,' ..
    '"p99_us":%.1f,"p999_us":%.1f}\n',
    "BENCH-RESULT ", summary.requests, summary.duration, bad, quote(sample),
    e.connect, e.read, e.write, e.timeout, e.status, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9)))
end
"""


# -- the two apps (built in the server subprocesses by uvicorn --factory) -------------------


def api_app() -> Litestar:
    """The project's API over the benchmark database, with its request logs, as `serve` has;
    with a fixed clock when the variable names a time."""
    configure_logging()
    store = SqlStore(os.environ[URL_VARIABLE])
    clock = os.environ.get(CLOCK_VARIABLE, "real")
    if clock == "real":
        app = create_app(store)
    else:
        fixed = dt.datetime.fromisoformat(clock)
        app = create_app(store, clock=lambda: fixed)
    if LOCK_VARIABLE in os.environ:
        app.state.command_lock = TimedLock(Path(os.environ[LOCK_VARIABLE]))
    return app


BARE_METADATA = MetaData()
BARE_ROWS = Table(
    "bench_rows",
    BARE_METADATA,
    Column("id", Integer, primary_key=True),
    Column("idempotency_key", String(255), nullable=False),
    Column("component_id", String(64), nullable=False),
)


def bare_app() -> Litestar:
    """One POST route that inserts one row into SQLite (WAL, BEGIN IMMEDIATE) and answers 201."""
    engine = make_engine(os.environ[URL_VARIABLE])
    BARE_METADATA.create_all(engine)

    @post(BARE_PATH, sync_to_thread=True, status_code=201)
    def insert_row(
        data: dict[str, Any],
        idempotency_key: Annotated[str, Parameter(header="Idempotency-Key")],
    ) -> dict[str, int]:
        with engine.begin() as conn:
            result = conn.execute(
                BARE_ROWS.insert().values(
                    idempotency_key=idempotency_key, component_id=str(data.get("component_id"))
                )
            )
            row_id = result.inserted_primary_key[0] if result.inserted_primary_key else 0
        return {"id": int(row_id)}

    return Litestar(route_handlers=[insert_row])


# -- set-up ----------------------------------------------------------------------------------


def minor_text(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def bench_policy(entitlement_minor: int) -> Policy:
    """The EU example policy with one large cash line for the principal and a 10-year window."""
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
    return load_policy(policy_to_json(policy), "json")  # validated like an adopted one


def set_up_api(url: str, cases: int = 1) -> str:
    """Programme, policy, `cases` cases each with an approved package (`package_path`) and
    the officer; returns the officer's token.

    Everything is dated now (the API's clock is the real one), the return ten days ago."""
    now = dt.datetime.now(dt.UTC)
    store = SqlStore(url)
    store.create_all()
    entitlement_minor = 2 * COMPONENT_MINOR
    prog.create_programme(
        store,
        ADMIN,
        now,
        programme_id=PROGRAMME,
        name="benchmark programme",
        currency=CURRENCY,
        budget_lines=[
            BudgetLineSpec(
                code=LINE,
                label="individual packages",
                amount=minor_text(2 * entitlement_minor * cases),
            )
        ],
    )
    prog.adopt_policy(store, ADMIN, now, bench_policy(entitlement_minor))
    for number in range(1, cases + 1):
        add_case_with_package(store, now, f"bench-case-{number}", package_id(number))
    token = add_user(
        ApiRecords(store.engine), OFFICER_ID, now, role=Role.OFFICER, offices=frozenset({OFFICE})
    )
    store.engine.dispose()
    return token


def add_case_with_package(store: SqlStore, now: dt.datetime, case_id: str, package_id: str) -> None:
    """A case of one person and an approved package with one cash component."""
    principal = Member(
        member_id="p",
        person_id=f"person-{case_id}-p",
        role=MemberRole.PRINCIPAL,
        nationality="SN",
        birth_year=1985,
    )
    case = Case(
        case_id=case_id,
        programme_id=PROGRAMME,
        office=OFFICE,
        country_of_return="SN",
        return_date=(now - dt.timedelta(days=10)).date(),
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        members=(principal,),
    )
    register_demo_household(store, OFFICER, now, case)
    component = ev.ComponentSpec(
        component_id=COMPONENT,
        member_id="p",
        form=kinds.Form.CASH,
        category=kinds.Category.BUSINESS,
        dimension=kinds.Dimension.ECONOMIC,
        amount=COMPONENT_MINOR,
    )
    ps.draft_package(
        store,
        OFFICER,
        now,
        case_id=case_id,
        budget_line=LINE,
        components=(component,),
        package_id=package_id,
    )
    ps.submit_package(store, OFFICER, now, package_id)
    ps.approve_package(store, APPROVER, now, package_id)


def count_rows(url: str, table: Table) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            return int(s.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()


# -- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """A uvicorn subprocess (asyncio loop, h11) serving one of the factories."""

    def __init__(
        self, name: str, factory: str, env: dict[str, str], log: Path, workers: int = 1
    ) -> None:
        self.name = name
        self.port = free_port()
        self.log = log
        self._log_file = log.open("wb")
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            f"bench.api_throughput:{factory}",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--loop",
            "asyncio",
            "--http",
            "h11",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the {self.name} server exited ({self.process.returncode}):\n{self.log_tail()}"
                )
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the {self.name} server did not listen within {seconds} s")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 5) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


@contextlib.contextmanager
def running(
    name: str, factory: str, env: dict[str, str], log: Path, workers: int = 1
) -> Iterator[Server]:
    server = Server(name, factory, env, log, workers)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


# -- load ------------------------------------------------------------------------------------


class Run(msgspec.Struct, frozen=True, kw_only=True):
    """One wrk run against one target."""

    target: str
    round: int
    seconds: float
    requests: int
    rps: float
    mean_ms: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    p999_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    server_cpu_ms_per_request: float
    lock_held_ms: float | None = None
    """API runs: mean time a command held the command lock, by the clock and on CPU."""
    lock_cpu_ms: float | None = None
    first_bad: str
    started: float
    """Wall-clock time (epoch seconds) when wrk was started and when it had exited."""
    ended: float

    @property
    def failed(self) -> bool:
        return self.non_2xx > 0 or self.socket_errors > 0


def run_wrk(
    server: Server,
    *,
    target: str,
    round_no: int,
    path: str,
    token: str,
    prefix: str,
    seconds: int,
    connections: int,
    threads: int,
    script: Path,
    lock_totals: Path | None = None,
    packages: int = 1,
) -> Run:
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
        f"--script={script}",
        f"http://127.0.0.1:{server.port}{path.replace('{n}', '1')}",
        "--",
        path,
        token,
        prefix,
        BODY,
        str(packages),
    ]
    cpu_before = server.cpu_seconds()
    lock_before = read_totals(lock_totals) if lock_totals else None
    started = time.time()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    ended = time.time()
    cpu_used = server.cpu_seconds() - cpu_before
    held = None
    if lock_totals is not None and lock_before is not None:
        time.sleep(2 * WRITE_EVERY)  # the totals as they stood when wrk stopped
        held = per_hold_ms(lock_before, read_totals(lock_totals))
    found = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if done.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    r = json.loads(found[-1].removeprefix(RESULT_MARK))
    duration = r["duration_us"] / 1e6
    requests = int(r["requests"])
    return Run(
        target=target,
        round=round_no,
        seconds=duration,
        requests=requests,
        rps=requests / duration,
        mean_ms=r["mean_us"] / 1000,
        p50_ms=r["p50_us"] / 1000,
        p90_ms=r["p90_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        p999_ms=r["p999_us"] / 1000,
        max_ms=r["max_us"] / 1000,
        non_2xx=int(r["non_2xx"]),
        socket_errors=sum(
            int(r[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        server_cpu_ms_per_request=cpu_used * 1000 / requests if requests else 0.0,
        lock_held_ms=held[0] if held else None,
        lock_cpu_ms=held[1] if held else None,
        first_bad=str(r["first_bad"]),
        started=started,
        ended=ended,
    )


# -- report ----------------------------------------------------------------------------------


class Summary(msgspec.Struct, frozen=True, kw_only=True):
    target: str
    rounds: int
    rps: float
    p50_ms: float
    p99_ms: float
    worst_p99_ms: float
    non_2xx: int
    socket_errors: int


class Report(msgspec.Struct, frozen=True, kw_only=True):
    seconds: int
    rounds: int
    connections: int
    threads: int
    wrk: str
    server: str
    code: str
    """The commit measured, and whether tracked files differed from it."""
    load_before: float
    load_after: float
    """1-minute load average before and after: others' work on the machine skews the figures."""
    cpus: int
    api_clock: str
    """"real", or the fixed time every API request was given (`--clock fixed`)."""
    runs: list[Run]
    bare: Summary | None
    api: Summary | None
    ratio: float | None
    """Median api requests/s over median bare requests/s."""
    round_ratios: list[float]
    lock_held_ms: float | None
    """Median over the api rounds of the mean time a command held the command lock."""
    lock_cpu_ms: float | None
    ratio_target: float
    p99_target_ms: float
    ratio_met: bool
    p99_met: bool
    api_log: LogCounts
    disbursements_in_database: int
    bare_rows_in_database: int
    failures: list[str]


def _median_of(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def summarise(runs: Sequence[Run], target: str) -> Summary | None:
    mine = [r for r in runs if r.target == target and r.round > 0]
    if not mine:
        return None
    return Summary(
        target=target,
        rounds=len(mine),
        rps=statistics.median(r.rps for r in mine),
        p50_ms=statistics.median(r.p50_ms for r in mine),
        p99_ms=statistics.median(r.p99_ms for r in mine),
        worst_p99_ms=max(r.p99_ms for r in mine),
        non_2xx=sum(r.non_2xx for r in mine),
        socket_errors=sum(r.socket_errors for r in mine),
    )


class LogCounts(msgspec.Struct, frozen=True, kw_only=True):
    """Statuses of the POSTs in the API's own JSON request log (warm-up included)."""

    during_runs: dict[str, int]
    """Logged while wrk was running: wrk received these answers."""
    after_runs: dict[str, int]
    """Logged after wrk had exited: requests still in flight when wrk stopped and closed its
    connections, whose answers nobody read."""


def api_log_counts(log: Path, runs: Sequence[Run]) -> LogCounts:
    during: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        with contextlib.suppress(ValueError, KeyError, TypeError):
            entry = json.loads(line)
            if entry.get("event") != "request" or entry.get("method") != "POST":
                continue
            at = dt.datetime.fromisoformat(entry["timestamp"]).timestamp()
            inside = any(r.started <= at <= r.ended for r in runs if r.target == "api")
            (during if inside else after)[str(entry["status"])] += 1
    return LogCounts(
        during_runs=dict(sorted(during.items())), after_runs=dict(sorted(after.items()))
    )


def table(report: Report) -> str:
    header = (
        f"{'target':<6} {'round':>5} {'requests':>9} {'req/s':>9} {'mean':>8} {'p50':>8} "
        f"{'p90':>8} {'p99':>8} {'p99.9':>8} {'max':>8} {'non-2xx':>7} {'sockerr':>7} "
        f"{'cpu/req':>8}"
    )
    lines = [
        f"POST {API_PATH} (api) vs POST {BARE_PATH} (bare: one SQLite insert)",
        f"wrk: {report.wrk}; {report.connections} connections, {report.threads} threads, "
        f"{report.seconds} s per run, {report.rounds} rounds, alternating bare/api",
        f"server: {report.server}",
        f"code: {report.code}",
        f"machine: {report.cpus} CPUs, 1-min load average {report.load_before:.2f} before "
        f"(after: {report.load_after:.2f}, this benchmark's own load included)",
        f"API clock: {report.api_clock}"
        + ("" if report.api_clock == "real" else " (fixed: --clock fixed)"),
        "",
        header,
        "-" * len(header),
    ]
    for r in report.runs:
        label = "warm" if r.round == 0 else str(r.round)
        lines.append(
            f"{r.target:<6} {label:>5} {r.requests:>9} {r.rps:>9.1f} {r.mean_ms:>6.2f}ms "
            f"{r.p50_ms:>6.2f}ms {r.p90_ms:>6.2f}ms {r.p99_ms:>6.2f}ms {r.p999_ms:>6.2f}ms "
            f"{r.max_ms:>6.1f}ms {r.non_2xx:>7} {r.socket_errors:>7} "
            f"{r.server_cpu_ms_per_request:>6.2f}ms"
        )
    lines.append("")
    for s in (report.bare, report.api):
        if s is not None:
            lines.append(
                f"{s.target:<4} medians over {s.rounds} rounds: {s.rps:8.1f} req/s, "
                f"p50 {s.p50_ms:.2f} ms, p99 {s.p99_ms:.2f} ms "
                f"(worst round {s.worst_p99_ms:.2f} ms)"
            )
    if report.lock_held_ms is not None and report.lock_cpu_ms is not None:
        lines.append(
            f"api command lock (one command at a time): held {report.lock_held_ms:.2f} ms per "
            f"command, {report.lock_cpu_ms:.2f} ms of it on CPU (medians of rounds), so at most "
            f"{1000 / report.lock_held_ms:.0f} commands/s"
        )
    if report.ratio is not None:
        per_round = ", ".join(f"{x:.3f}" for x in report.round_ratios)
        lines.append(
            f"ratio api/bare (medians): {report.ratio:.3f}   per round: {per_round}",
        )
        lines.append("")
        lines.append(
            f"target: api >= {report.ratio_target} x bare req/s: "
            f"{'MET' if report.ratio_met else 'NOT MET'} ({report.ratio:.3f})"
        )
    if report.api is not None:
        needed = report.connections * 1000 / report.p99_target_ms
        lines.append(
            f"target: api p99 < {report.p99_target_ms:.0f} ms at {report.connections} connections: "
            f"{'MET' if report.p99_met else 'NOT MET'} ({report.api.p99_ms:.2f} ms)"
        )
        lines.append(
            f"  (closed loop: mean latency = {report.connections} connections / req/s, so a p99 "
            f"under {report.p99_target_ms:.0f} ms needs more than {needed:.0f} req/s)"
        )
    lines.append("")
    lines.append(
        f"API request log, POST statuses (warm-up included): {report.api_log.during_runs} "
        f"while wrk ran, {report.api_log.after_runs} after it had stopped (in flight, unread)"
    )
    lines.append(
        f"disbursements in the database: {report.disbursements_in_database}; "
        f"bare rows: {report.bare_rows_in_database}"
    )
    if report.failures:
        lines.append(f"FAILED: {len(report.failures)} check(s), see stderr")
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Requests/s and latency of POST /packages/{id}/disbursements against a bare "
        "one-insert Litestar endpoint, alternately, under uvicorn (one worker) on SQLite, with wrk."
    )
    parser.add_argument("--seconds", type=int, default=10, help="length of each run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="bare+api rounds (default 3)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--warmup", type=int, default=2, help="unreported warm-up run of each, seconds (default 2)"
    )
    parser.add_argument(
        "--clock",
        choices=("fixed", "real"),
        default="fixed",
        help="the API's clock: one fixed time for every request (default), or the real one "
        "(see README)",
    )
    parser.add_argument(
        "--database",
        help="a PostgreSQL server URL whose role may create databases (postgresql+psycopg://"
        "...): both apps run on fresh databases there, dropped afterwards (default: SQLite files)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn worker processes of each app (default 1)"
    )
    parser.add_argument(
        "--packages",
        type=int,
        default=1,
        help="cases, each with one approved package, that the requests go to in turn "
        "(default 1: every request pays on the same package)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.seconds < 1 or args.rounds < 1 or args.connections < 1 or args.warmup < 0:
        parser.error("--seconds, --rounds and --connections must be positive, --warmup >= 0")
    if args.workers < 1 or args.packages < 1:
        parser.error("--workers and --packages must be at least 1")
    if not 1 <= args.threads <= args.connections:
        parser.error("--threads must be between 1 and --connections")
    return args


def code_version() -> str:
    """`git` HEAD and whether tracked files differ from it (read-only: no index refresh)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    files = [line[3:] for line in changed if line.strip()]
    return f"{head} + uncommitted changes in {', '.join(files)}" if files else head


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else wrk


def bench(args: argparse.Namespace, tmp: Path, wrk: str, databases: tuple[str, str]) -> Report:
    load_before = os.getloadavg()[0]
    if load_before > 1.0:
        progress(
            f"note: the machine is busy (1-min load average {load_before:.2f} before starting): "
            "the figures will be noisy; rerun on a quiet machine"
        )
    api_url, bare_url = databases
    progress("setting up the API database (programme, policy, case, approved package, officer)...")
    token = set_up_api(api_url, args.packages)
    # A fixed clock is set after the set-up, so that no command precedes its journal entries.
    clock = "real" if args.clock == "real" else dt.datetime.now(dt.UTC).isoformat()
    script = tmp / "disburse.lua"
    script.write_text(WRK_SCRIPT)
    nonce = secrets.token_hex(4)
    runs: list[Run] = []
    failures: list[str] = []
    api_log = tmp / "api-server.log"
    lock_totals = tmp / "command-lock.json"
    api_env = {URL_VARIABLE: api_url, CLOCK_VARIABLE: clock}
    if args.workers == 1:  # one process writes the lock's totals
        api_env[LOCK_VARIABLE] = str(lock_totals)
    workers = args.workers
    api_path = API_PATH if args.packages == 1 else disbursements_path("{n}")  # Lua fills {n}
    bare_engine = make_engine(bare_url)
    BARE_METADATA.create_all(bare_engine)  # before the workers, which would race to create it
    bare_engine.dispose()
    with (
        running(
            "bare", "bare_app", {URL_VARIABLE: bare_url}, tmp / "bare-server.log", workers
        ) as bare,
        running("api", "api_app", api_env, api_log, workers) as api,
    ):
        plan: list[tuple[int, str]] = []
        if args.warmup > 0:
            plan += [(0, "bare"), (0, "api")]
        for n in range(1, args.rounds + 1):
            plan += [(n, "bare"), (n, "api")]
        for round_no, target in plan:
            server, path = (bare, BARE_PATH) if target == "bare" else (api, api_path)
            seconds = args.warmup if round_no == 0 else args.seconds
            label = "warm-up" if round_no == 0 else f"round {round_no}/{args.rounds}"
            progress(f"  {label}: {target}, {seconds} s...")
            run = run_wrk(
                server,
                target=target,
                round_no=round_no,
                path=path,
                token=token,
                prefix=f"{nonce}-{target}-{round_no}",
                seconds=seconds,
                connections=args.connections,
                threads=args.threads,
                script=script,
                lock_totals=lock_totals if target == "api" and workers == 1 else None,
                packages=args.packages if target == "api" else 1,
            )
            runs.append(run)
            progress(
                f"    {run.rps:8.1f} req/s, p50 {run.p50_ms:.2f} ms, p99 {run.p99_ms:.2f} ms, "
                f"non-2xx {run.non_2xx}, socket errors {run.socket_errors}"
            )
            if run.failed:
                failures.append(
                    f"{target} {label}: {run.non_2xx} non-2xx answers and {run.socket_errors} "
                    f"socket errors (first non-2xx: {run.first_bad or '-'})"
                )
                progress(f"  {target} server log, last lines:\n{server.log_tail()}")
                break
        time.sleep(0.5)  # let requests still in flight when wrk stopped be logged
    counts = api_log_counts(api_log, runs)
    bad_codes = {code: n for code, n in counts.during_runs.items() if not code.startswith("2")}
    if bad_codes:
        failures.append(f"the API logged non-2xx answers while wrk ran: {bad_codes}")
    bare_summary = summarise(runs, "bare")
    api_summary = summarise(runs, "api")
    ratio = (
        api_summary.rps / bare_summary.rps
        if api_summary is not None and bare_summary is not None
        else None
    )
    by_round = {(r.target, r.round): r for r in runs if r.round > 0}
    round_ratios = [
        by_round[("api", n)].rps / by_round[("bare", n)].rps
        for n in range(1, args.rounds + 1)
        if ("api", n) in by_round and ("bare", n) in by_round
    ]
    return Report(
        seconds=args.seconds,
        rounds=args.rounds,
        connections=args.connections,
        threads=args.threads,
        wrk=wrk_version(wrk),
        server=f"uvicorn, {workers} worker(s), --loop asyncio --http h11, no access log; "
        + ("PostgreSQL" if api_url.startswith("postgresql") else "SQLite WAL files")
        + f"; requests to {args.packages} package(s) of as many cases, in turn",
        code=code_version(),
        load_before=load_before,
        load_after=os.getloadavg()[0],
        cpus=os.cpu_count() or 0,
        api_clock=clock,
        runs=runs,
        bare=bare_summary,
        api=api_summary,
        ratio=ratio,
        round_ratios=round_ratios,
        lock_held_ms=_median_of(r.lock_held_ms for r in runs if r.target == "api" and r.round),
        lock_cpu_ms=_median_of(r.lock_cpu_ms for r in runs if r.target == "api" and r.round),
        ratio_target=TARGET_RATIO,
        p99_target_ms=TARGET_P99_MS,
        ratio_met=ratio is not None and ratio >= TARGET_RATIO,
        p99_met=api_summary is not None and api_summary.p99_ms < TARGET_P99_MS,
        api_log=counts,
        disbursements_in_database=count_rows(api_url, DISBURSEMENTS),
        bare_rows_in_database=count_rows(bare_url, BARE_ROWS),
        failures=failures,
    )


@contextlib.contextmanager
def bench_databases(server: str | None, tmp: Path) -> Iterator[tuple[str, str]]:
    """The API's and the bare app's databases: SQLite files in `tmp`, or two fresh databases
    on the PostgreSQL `server`, dropped afterwards."""
    if server is None:
        yield f"sqlite:///{tmp / 'api.db'}", f"sqlite:///{tmp / 'bare.db'}"
        return
    names = [f"reintegrate_bench_{kind}_{secrets.token_hex(4)}" for kind in ("api", "bare")]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server)
        api, bare = (url.set(database=n).render_as_string(hide_password=False) for n in names)
        yield api, bare
    finally:
        for name in names:
            drop_database(admin, name)
        admin.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    ensure_keys()
    args = parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        progress("wrk is not installed: apt-get install wrk")
        return 2
    with (
        tempfile.TemporaryDirectory(prefix="reintegrate-api-bench-") as tmp,
        bench_databases(args.database, Path(tmp)) as databases,
    ):
        report = bench(args, Path(tmp), wrk, databases)
    if args.json:
        print(json.dumps(msgspec.to_builtins(report), indent=2))
    else:
        print(table(report))
    for failure in report.failures:
        progress(f"FAILED: {failure}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
