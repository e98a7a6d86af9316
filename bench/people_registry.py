"""The person registry: households registered through the API, identifier matching against a
growing registry, and erasing a person.

Three measurements, on a SQLite file (fresh temporary files) and, when `--database` names
one, on PostgreSQL too:

1. **HTTP**: households of four registered through the whole HTTP path. The project's API
   (`bench.api_throughput.api_app`: `create_app(SqlStore(url))` with its request log and the
   timed command lock) runs under uvicorn with one worker on 127.0.0.1; `--clients` threads of
   this process, each with its own keep-alive httpx client, register households in a closed
   loop: four `POST /persons` (each with a phone number, a passport and an external
   reference) and one `POST /cases` naming the four persons. The baseline, on the same client
   and the same requests, is api_throughput's bare endpoint (one SQLite insert per POST):
   what the client and HTTP alone reach on this machine. Bare and API alternate for
   `--rounds` rounds of `--seconds` each, after a warm-up of each.
2. **Matching**: `--persons` registrations through the service layer (`register_person` on a
   `SqlStore` over the file), each timed as a whole. Each one digests its identifiers and
   looks them up among every person registered before, so if the look-up grew with the
   registry the last registrations would be slower than the first: the report compares the
   median of registrations 1-20 with the median of the last 20. A refused duplicate
   (`PersonExists`) is timed after the first 20 and again at the end.
3. **Erasure**: `--erasures` persons of step 2 (in no case) erased, each a request by an
   admin then a confirmation by another person (`services.erasure`); the confirmation
   includes the WAL checkpoint (SQLite) or the VACUUM (PostgreSQL) that follows it.

On each database, 2 and 3 run first, then 1 (so that on a PostgreSQL database the API's
persons come after the timed registrations). Key files are made in the temporary directory
and named by REINTEGRATE_MASTER_KEY_FILE and REINTEGRATE_DIGEST_KEY_FILE before any store or
server starts.

    .venv/bin/python -m bench.people_registry [--persons 100000] [--seconds 10] [--rounds 2]
        [--clients 8] [--database postgresql+psycopg://...] [--profile] [--json]

It reports figures only and asserts nothing about them.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import itertools
import json
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import msgspec
from sqlalchemy import Table, func, select

from bench.api_throughput import (
    BARE_PATH,
    CLOCK_VARIABLE,
    LOCK_VARIABLE,
    URL_VARIABLE,
    Server,
    code_version,
    running,
)
from bench.command_lock import WRITE_EVERY, per_hold_ms, read_totals
from reintegrate.access import Role as UserRole
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.adapters.keyring import DIGEST_KEY_ENV, MASTER_KEY_ENV, write_new_key_files
from reintegrate.cases import Role
from reintegrate.people.records import (
    Consent,
    ConsentPurpose,
    ConsentSource,
    DocumentType,
    IdDocument,
    MobileMoney,
    PersonalData,
    PersonStatus,
    Sex,
)
from reintegrate.people.registry import PersonExists
from reintegrate.people.vocabulary import ErasureReason
from reintegrate.services import erasure
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.people import register_person
from reintegrate.services.programmes import BudgetLineSpec
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.base import Scope
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_people import PERSONS
from reintegrate.store.sql_uow import CASES

OFFICE = "dakar"
NATIONALITY = "SN"
CONSENTED_ON = dt.date(2024, 1, 15)
SERVICE_PHONES = "+22177"
"""Mobile range of the persons registered through the services (7 digits follow)..."""
HTTP_PHONES = "+22178"
"""...and of those registered through the API, so that the two never share a number."""
MAX_SERIAL = 10**7 - 1
HOUSEHOLD = (
    ("p", Role.PRINCIPAL, 1985),
    ("d1", Role.DEPENDANT, 1987),
    ("d2", Role.DEPENDANT, 2012),
    ("d3", Role.DEPENDANT, 2015),
)
"""Member id, role and birth year of the four members of every household."""

WINDOW = 20
"""Registrations in each compared window (1-20 and the last 20)."""
DUPLICATE_TRIES = 5
TARGET_RATIO = 1.5
PROFILED = 2000
"""Registrations run under cProfile after the timed ones (`--profile`)."""

OFFICER = Actor("bench-officer", Scope(offices=frozenset({OFFICE})))
ADMIN = Actor("bench-admin")
SECOND = Actor("bench-approver", Scope(offices=frozenset({OFFICE})))
"""Confirms the erasures the admin asks for (four eyes)."""
CHECKS = LibraryIdentifierChecks()


# -- persons -----------------------------------------------------------------------------------


def bench_person(
    serial: int, *, phones: str = SERVICE_PHONES, birth_year: int = 1985
) -> PersonalData:
    """A plainly fake person whose identifiers are unique to `serial` and `phones`: a phone
    number (also their mobile-money number), a passport and an external reference."""
    tag = "S" if phones == SERVICE_PHONES else "H"
    phone = f"{phones}{serial:07d}"
    return PersonalData(
        given_names="Bench",
        family_name=f"Person-{tag}{serial:07d}",
        birth_year=birth_year,
        sex=Sex.UNKNOWN,
        nationality=NATIONALITY,
        documents=(
            IdDocument(
                type=DocumentType.PASSPORT,
                number=f"BENCH{tag}{serial:07d}",
                issuing_country=NATIONALITY,
            ),
        ),
        phones=(phone,),
        consents=(
            Consent(
                purpose=ConsentPurpose.ASSISTANCE,
                given_on=CONSENTED_ON,
                source=ConsentSource.WRITTEN,
            ),
        ),
        payout=(MobileMoney(number=phone, operator="bench-money"),),
        external_refs=(f"bench-{tag.lower()}-{serial}",),
    )


def person_body(serial: int, birth_year: int) -> dict[str, Any]:
    """The `POST /persons` body of `bench_person` (API numbering)."""
    p = bench_person(serial, phones=HTTP_PHONES, birth_year=birth_year)
    return {
        "office": OFFICE,
        "given_names": p.given_names,
        "family_name": p.family_name,
        "birth_year": p.birth_year,
        "nationality": p.nationality,
        "documents": [
            {"type": str(d.type), "number": d.number, "issuing_country": d.issuing_country}
            for d in p.documents
        ],
        "phones": list(p.phones),
        "consents": [
            {"purpose": "assistance", "given_on": CONSENTED_ON.isoformat(), "source": "written"}
        ],
        "payout": [{"type": "mobile_money", "number": p.phones[0], "operator": "bench-money"}],
        "external_refs": list(p.external_refs),
    }


def count_rows(store: SqlStore, table: Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def load_average() -> float:
    return os.getloadavg()[0]


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def ms(ns: float) -> float:
    return ns / 1e6


# -- 1. households through the API -----------------------------------------------------------


class HttpRun(msgspec.Struct, frozen=True, kw_only=True):
    """One round of one target: `--clients` threads registering households until time is up
    (a household begun before then is finished)."""

    database: str
    target: str
    """"api", or "bare" (the same requests to a one-insert endpoint)."""
    round: int
    """0: warm-up."""
    seconds: float
    households: int
    persons: int
    requests: int
    households_per_s: float
    persons_per_s: float
    requests_per_s: float
    person_p50_ms: float
    person_p99_ms: float
    case_p50_ms: float
    case_p99_ms: float
    household_p50_ms: float
    server_cpu_ms_per_request: float
    client_cpu_ms_per_request: float
    """CPU of this process (the client threads) per request: it shares the cores."""
    load_before: float
    lock_held_ms: float | None = None
    """API: mean time a command held the API's command lock, by the clock and on CPU."""
    lock_cpu_ms: float | None = None
    failure: str = ""


class HttpSummary(msgspec.Struct, frozen=True, kw_only=True):
    database: str
    target: str
    rounds: int
    households_per_s: float
    persons_per_s: float
    person_p50_ms: float
    person_p99_ms: float
    case_p50_ms: float
    case_p99_ms: float
    lock_held_ms: float | None
    lock_cpu_ms: float | None


class ClientTally:
    """What one client thread did in one round."""

    def __init__(self) -> None:
        self.person_ns: list[int] = []
        self.case_ns: list[int] = []
        self.household_ns: list[int] = []
        self.failure = ""


class Serials:
    """Person serials for the API requests, unique across threads and rounds."""

    def __init__(self) -> None:
        self._next = itertools.count(1)
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            serial = next(self._next)
        if serial > MAX_SERIAL:
            raise RuntimeError("out of phone numbers for the API's persons")
        return serial


class HttpLoad(msgspec.Struct, frozen=True, kw_only=True):
    """What every client thread of one target needs."""

    port: int
    token: str
    bare: bool
    programme_id: str
    return_date: str
    nonce: str


def register_households(
    load: HttpLoad, serials: Serials, label: str, deadline: float
) -> ClientTally:
    """Households, one after the other, until `deadline` (perf_counter)."""
    tally = ClientTally()
    person_path = BARE_PATH if load.bare else "/persons"
    case_path = BARE_PATH if load.bare else "/cases"
    headers = {"Authorization": f"Bearer {load.token}", "Content-Type": "application/json"}
    with httpx.Client(
        base_url=f"http://127.0.0.1:{load.port}", headers=headers, timeout=60.0
    ) as client:

        def post(path: str, body: dict[str, Any], key: str) -> tuple[dict[str, Any] | None, int]:
            started = time.perf_counter_ns()
            try:
                answer = client.post(
                    path, content=msgspec.json.encode(body), headers={"Idempotency-Key": key}
                )
            except httpx.HTTPError as e:
                tally.failure = f"{path}: {type(e).__name__}: {e}"
                return None, time.perf_counter_ns() - started
            took = time.perf_counter_ns() - started
            if answer.status_code != 201:
                tally.failure = f"{path}: {answer.status_code} {answer.text[:300]}"
                return None, took
            found: dict[str, Any] = answer.json()
            return found, took

        while time.perf_counter() < deadline:
            started = time.perf_counter_ns()
            members = []
            for member_id, role, birth_year in HOUSEHOLD:
                serial = serials.take()
                key = f"{load.nonce}-{label}-p{serial}"
                made, took = post(person_path, person_body(serial, birth_year), key)
                if made is None:
                    return tally
                tally.person_ns.append(took)
                person_id = f"bare-{serial}" if load.bare else str(made["person_id"])
                members.append({"member_id": member_id, "person_id": person_id, "role": role})
            case = {
                "programme_id": load.programme_id,
                "office": OFFICE,
                "country_of_return": NATIONALITY,
                "return_date": load.return_date,
                "return_type": "assisted_voluntary",
                "members": members,
            }
            made, took = post(case_path, case, f"{load.nonce}-{label}-c{serial}")
            if made is None:
                return tally
            tally.case_ns.append(took)
            tally.household_ns.append(time.perf_counter_ns() - started)
    return tally


def p99(values: list[int]) -> float:
    """Nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[max(0, -(-99 * len(ordered) // 100) - 1)])


def http_round(
    server: Server,
    load: HttpLoad,
    serials: Serials,
    *,
    database: str,
    round_no: int,
    seconds: float,
    clients: int,
    lock_totals: Path | None,
) -> HttpRun:
    target = "bare" if load.bare else "api"
    load_before = os.getloadavg()[0]
    label = f"{database}-{target}-{round_no}"
    server_before = server.cpu_seconds()
    lock_before = read_totals(lock_totals) if lock_totals else None
    client_before = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [
            pool.submit(register_households, load, serials, f"{label}-{n}", deadline)
            for n in range(clients)
        ]
        tallies = [f.result() for f in futures]
    took = time.perf_counter() - started
    client_cpu = time.process_time() - client_before
    server_cpu = server.cpu_seconds() - server_before
    held = None
    if lock_totals is not None and lock_before is not None:
        time.sleep(2 * WRITE_EVERY)  # the totals as they stood at the end of the round
        held = per_hold_ms(lock_before, read_totals(lock_totals))
    persons = [n for t in tallies for n in t.person_ns]
    cases = [n for t in tallies for n in t.case_ns]
    households = [n for t in tallies for n in t.household_ns]
    requests = len(persons) + len(cases)
    return HttpRun(
        database=database,
        target=target,
        round=round_no,
        seconds=took,
        households=len(households),
        persons=len(persons),
        requests=requests,
        households_per_s=len(households) / took,
        persons_per_s=len(persons) / took,
        requests_per_s=requests / took,
        person_p50_ms=ms(statistics.median(persons)) if persons else 0.0,
        person_p99_ms=ms(p99(persons)),
        case_p50_ms=ms(statistics.median(cases)) if cases else 0.0,
        case_p99_ms=ms(p99(cases)),
        household_p50_ms=ms(statistics.median(households)) if households else 0.0,
        server_cpu_ms_per_request=server_cpu * 1000 / requests if requests else 0.0,
        client_cpu_ms_per_request=client_cpu * 1000 / requests if requests else 0.0,
        load_before=load_before,
        lock_held_ms=held[0] if held else None,
        lock_cpu_ms=held[1] if held else None,
        failure=next((t.failure for t in tallies if t.failure), ""),
    )


def set_up_http(url: str, nonce: str) -> tuple[str, str]:
    """A programme to register cases in and an officer of `OFFICE` with a bearer token;
    returns (token, programme id). Ids are new each run, so a PostgreSQL database can be
    reused."""
    now = dt.datetime.now(dt.UTC)
    store = SqlStore(url)
    store.create_all()
    programme_id = f"bench-people-{nonce}"
    prog.create_programme(
        store,
        ADMIN,
        now,
        programme_id=programme_id,
        name="person registry benchmark",
        currency="EUR",
        budget_lines=[BudgetLineSpec(code="individual", label="households", amount="1000.00")],
    )
    token = add_user(
        ApiRecords(store.engine),
        f"bench-officer-{nonce}",
        now,
        role=UserRole.OFFICER,
        offices=frozenset({OFFICE}),
    )
    store.engine.dispose()
    return token, programme_id


def summarise_http(runs: Sequence[HttpRun], database: str, target: str) -> HttpSummary | None:
    mine = [r for r in runs if r.database == database and r.target == target and r.round > 0]
    if not mine:
        return None
    held = [r.lock_held_ms for r in mine if r.lock_held_ms is not None]
    cpu = [r.lock_cpu_ms for r in mine if r.lock_cpu_ms is not None]
    return HttpSummary(
        database=database,
        target=target,
        rounds=len(mine),
        households_per_s=statistics.median(r.households_per_s for r in mine),
        persons_per_s=statistics.median(r.persons_per_s for r in mine),
        person_p50_ms=statistics.median(r.person_p50_ms for r in mine),
        person_p99_ms=statistics.median(r.person_p99_ms for r in mine),
        case_p50_ms=statistics.median(r.case_p50_ms for r in mine),
        case_p99_ms=statistics.median(r.case_p99_ms for r in mine),
        lock_held_ms=statistics.median(held) if held else None,
        lock_cpu_ms=statistics.median(cpu) if cpu else None,
    )


def bench_http(
    args: argparse.Namespace,
    tmp: Path,
    database: str,
    url: str,
    *,
    bare_url: str | None,
) -> tuple[list[HttpRun], int, int]:
    """The rounds against the API over `url` (and, given `bare_url`, the bare endpoint);
    returns the runs and the persons and cases in the database afterwards."""
    nonce = secrets.token_hex(4)
    progress(f"[{database}] http: setting up (programme, officer and token)...")
    token, programme_id = set_up_http(url, nonce)
    fixed = dt.datetime.now(dt.UTC)  # after the set-up: no command precedes its entries
    return_date = (fixed - dt.timedelta(days=10)).date().isoformat()
    lock_totals = tmp / f"command-lock-{database}.json"
    api_env = {
        URL_VARIABLE: url,
        CLOCK_VARIABLE: fixed.isoformat(),
        LOCK_VARIABLE: str(lock_totals),
    }
    serials = Serials()
    runs: list[HttpRun] = []

    def loads(server: Server, bare: bool) -> HttpLoad:
        return HttpLoad(
            port=server.port,
            token=token,
            bare=bare,
            programme_id=programme_id,
            return_date=return_date,
            nonce=nonce,
        )

    with contextlib.ExitStack() as servers:
        api = servers.enter_context(running("api", "api_app", api_env, tmp / f"api-{database}.log"))
        bare = None
        if bare_url is not None:
            bare = servers.enter_context(
                running("bare", "bare_app", {URL_VARIABLE: bare_url}, tmp / "bare.log")
            )
        targets: list[tuple[Server, bool]] = [(api, False)]
        if bare is not None:
            targets.insert(0, (bare, True))
        plan = [(0, s, b) for s, b in targets] if args.warmup > 0 else []
        for n in range(1, args.rounds + 1):
            plan += [(n, s, b) for s, b in targets]
        for round_no, server, is_bare in plan:
            target = "bare" if is_bare else "api"
            seconds = args.warmup if round_no == 0 else args.seconds
            what = "warm-up" if round_no == 0 else f"round {round_no}/{args.rounds}"
            progress(f"[{database}] http {what}: {target}, {seconds} s...")
            run = http_round(
                server,
                loads(server, is_bare),
                serials,
                database=database,
                round_no=round_no,
                seconds=seconds,
                clients=args.clients,
                lock_totals=None if is_bare else lock_totals,
            )
            runs.append(run)
            progress(
                f"    {run.households_per_s:7.1f} households/s, {run.persons_per_s:7.1f} "
                f"persons/s, person p50 {run.person_p50_ms:.2f} ms (load before "
                f"{run.load_before:.2f})"
            )
            if run.failure:
                progress(f"FAILED: {target}: {run.failure}\n{server.log_tail()}")
                break
    store = SqlStore(url)
    counts = count_rows(store, PERSONS), count_rows(store, CASES)
    store.engine.dispose()
    return runs, counts[0], counts[1]


# -- 2. identifier matching as the registry grows --------------------------------------------


class RegistryRun(msgspec.Struct, frozen=True, kw_only=True):
    database: str
    persons_before: int
    """Persons in the database before the first timed registration."""
    persons: int
    seconds: float
    per_second: float
    first_median_ms: float
    """Median of registrations 1-20."""
    warm_median_ms: float | None
    """Median of registrations 1,001-2,000 (None below 2,000): early, but past the first
    uses of every statement and code path, which registrations 1-20 include."""
    last_median_ms: float
    """Median of the last 20."""
    ratio: float
    target_met: bool
    first_tenth_mean_ms: float
    last_tenth_mean_ms: float
    mean_ms: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    duplicate_early_ms: float
    """A refused duplicate after registration 20: median of the tries."""
    duplicate_end_ms: float
    """A refused duplicate after the last registration: median of the tries."""
    duplicate_end_each_ms: list[float]
    load_before: float
    load_after: float


def timed_duplicates(store: SqlStore, serials: Sequence[int], now: dt.datetime) -> list[float]:
    """Milliseconds to refuse each registration of the persons of `serials` again."""
    took = []
    for serial in serials:
        started = time.perf_counter_ns()
        try:
            register_person(store, CHECKS, OFFICER, now, office=OFFICE, data=bench_person(serial))
        except PersonExists:
            took.append(ms(time.perf_counter_ns() - started))
        else:
            raise RuntimeError(f"person {serial} was registered twice")
    return took


def bench_registry(
    store: SqlStore, database: str, persons: int, *, profile: bool
) -> tuple[RegistryRun, list[str]]:
    """`persons` registrations, each timed; returns the figures and the persons' ids."""
    load_before = load_average()
    before = count_rows(store, PERSONS)
    now = dt.datetime.now(dt.UTC)
    every = max(1000, persons // 20)
    times: list[int] = []
    ids: list[str] = []
    duplicate_early: list[float] = []
    progress(f"[{database}] matching: {persons:,} registrations ({before:,} persons before)...")
    started = time.perf_counter()
    for serial in range(1, persons + 1):
        data = bench_person(serial)
        t0 = time.perf_counter_ns()
        created, _ = register_person(store, CHECKS, OFFICER, now, office=OFFICE, data=data)
        times.append(time.perf_counter_ns() - t0)
        ids.append(created.person_id)
        if serial == WINDOW:
            duplicate_early = timed_duplicates(store, range(1, DUPLICATE_TRIES + 1), now)
        if serial % every == 0:
            took = time.perf_counter() - started
            recent = statistics.median(times[-1000:])
            progress(
                f"  {serial:>9,}/{persons:,} registrations, {took:6.1f} s, "
                f"{serial / took:6.0f}/s, median of the last 1,000 {ms(recent):.3f} ms"
            )
    seconds = time.perf_counter() - started
    spread = sorted({1, *(persons * k // (DUPLICATE_TRIES - 1) for k in range(1, DUPLICATE_TRIES))})
    duplicate_end = timed_duplicates(store, spread, now)
    if profile:
        profile_registrations(store, persons, now)
    tenth = max(1, persons // 10)
    first, last = statistics.median(times[:WINDOW]), statistics.median(times[-WINDOW:])
    run = RegistryRun(
        database=database,
        persons_before=before,
        persons=persons,
        seconds=seconds,
        per_second=persons / seconds,
        first_median_ms=ms(first),
        warm_median_ms=ms(statistics.median(times[1000:2000])) if persons >= 2000 else None,
        last_median_ms=ms(last),
        ratio=last / first,
        target_met=last / first <= TARGET_RATIO,
        first_tenth_mean_ms=ms(statistics.fmean(times[:tenth])),
        last_tenth_mean_ms=ms(statistics.fmean(times[-tenth:])),
        mean_ms=ms(statistics.fmean(times)),
        p50_ms=ms(statistics.median(times)),
        p99_ms=ms(p99(times)),
        max_ms=ms(max(times)),
        duplicate_early_ms=statistics.median(duplicate_early),
        duplicate_end_ms=statistics.median(duplicate_end),
        duplicate_end_each_ms=duplicate_end,
        load_before=load_before,
        load_after=load_average(),
    )
    return run, ids


def profile_registrations(store: SqlStore, after: int, now: dt.datetime) -> None:
    """`PROFILED` more registrations under cProfile, the top functions on stderr."""
    progress(f"cProfile of {PROFILED:,} more registrations (not in the figures):")
    profiler = cProfile.Profile()
    profiler.enable()
    for serial in range(after + 1, after + PROFILED + 1):
        register_person(store, CHECKS, OFFICER, now, office=OFFICE, data=bench_person(serial))
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


# -- 3. erasure ------------------------------------------------------------------------------


class PurgeTimedStore(SqlStore):
    """A `SqlStore` that times its `purge_erased` (the WAL checkpoint or VACUUM that
    `confirm_erasure` runs after its transaction)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.purge_ns: list[int] = []

    def purge_erased(self) -> None:
        started = time.perf_counter_ns()
        super().purge_erased()
        self.purge_ns.append(time.perf_counter_ns() - started)


class ErasureRun(msgspec.Struct, frozen=True, kw_only=True):
    database: str
    persons: int
    request_ms: float
    """Medians over the persons: the request..."""
    confirm_ms: float
    """...the confirmation, checkpoint included..."""
    purge_ms: float
    """...of which the checkpoint (SQLite) or VACUUM (PostgreSQL)..."""
    total_ms: float
    """...and request + confirmation."""
    total_min_ms: float
    total_max_ms: float
    first_total_ms: float
    """The first erasure, which also checkpoints what the registrations left in the WAL."""
    load_before: float


def bench_erasure(
    store: PurgeTimedStore, database: str, ids: Sequence[str], count: int
) -> ErasureRun:
    """Erase `count` of `ids`, spread over them (none is in a case)."""
    load_before = load_average()
    chosen = [ids[k * len(ids) // count] for k in range(count)]
    progress(f"[{database}] erasure: {count} persons...")
    now = dt.datetime.now(dt.UTC)
    requests: list[int] = []
    confirms: list[int] = []
    store.purge_ns = []
    for person_id in chosen:
        t0 = time.perf_counter_ns()
        erasure.request_erasure(store, ADMIN, now, person_id, ErasureReason.PERSON_ASKED)
        t1 = time.perf_counter_ns()
        erased = erasure.confirm_erasure(store, SECOND, now, person_id)
        t2 = time.perf_counter_ns()
        if erased.status is not PersonStatus.ERASED:
            raise RuntimeError(f"{person_id} is {erased.status} after its erasure")
        requests.append(t1 - t0)
        confirms.append(t2 - t1)
    totals = [r + c for r, c in zip(requests, confirms, strict=True)]
    return ErasureRun(
        database=database,
        persons=count,
        request_ms=ms(statistics.median(requests)),
        confirm_ms=ms(statistics.median(confirms)),
        purge_ms=ms(statistics.median(store.purge_ns)),
        total_ms=ms(statistics.median(totals)),
        total_min_ms=ms(min(totals)),
        total_max_ms=ms(max(totals)),
        first_total_ms=ms(totals[0]),
        load_before=load_before,
    )


# -- report ----------------------------------------------------------------------------------


class DatabaseResult(msgspec.Struct, frozen=True, kw_only=True):
    database: str
    registry: RegistryRun
    erasure: ErasureRun
    http_runs: list[HttpRun]
    http_persons_in_database: int
    http_cases_in_database: int
    seconds: float
    """This database's three measurements, set-up included."""


class Report(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    cpus: int
    load_before: float
    load_after: float
    clients: int
    seconds_per_round: int
    rounds: int
    results: list[DatabaseResult]
    bare: HttpSummary | None
    api: list[HttpSummary]
    target_ratio: float
    failures: list[str]
    total_seconds: float
    """The whole command: set-up, servers, every measurement."""


def table(report: Report) -> str:
    lines = [
        "Person registry: households through the API, identifier matching, erasure",
        f"code: {report.code}",
        f"machine: {report.cpus} CPUs, 1-min load average {report.load_before:.2f} before "
        f"(after: {report.load_after:.2f}, this benchmark's own load included)",
        "",
        f"1. households of 4 through HTTP (4 x POST /persons + POST /cases), {report.clients} "
        f"client threads, {report.seconds_per_round} s rounds, medians of {report.rounds}",
    ]
    header = (
        f"   {'database':<10} {'target':<6} {'round':>5} {'hh/s':>7} {'persons/s':>9} "
        f"{'person p50':>10} {'p99':>8} {'case p50':>9} {'p99':>8} {'srv cpu/req':>11} "
        f"{'cli cpu/req':>11} {'lock held':>9} {'load':>5}"
    )
    lines += [header, "   " + "-" * (len(header) - 3)]
    for result in report.results:
        for r in result.http_runs:
            label = "warm" if r.round == 0 else str(r.round)
            held = f"{r.lock_held_ms:7.2f}ms" if r.lock_held_ms is not None else f"{'-':>9}"
            lines.append(
                f"   {r.database:<10} {r.target:<6} {label:>5} {r.households_per_s:7.1f} "
                f"{r.persons_per_s:9.1f} {r.person_p50_ms:8.2f}ms {r.person_p99_ms:6.1f}ms "
                f"{r.case_p50_ms:7.2f}ms {r.case_p99_ms:6.1f}ms "
                f"{r.server_cpu_ms_per_request:9.2f}ms {r.client_cpu_ms_per_request:9.2f}ms "
                f"{held} {r.load_before:5.2f}"
            )
    for s in ([report.bare] if report.bare else []) + report.api:
        lock = (
            f", command lock held {s.lock_held_ms:.2f} ms ({s.lock_cpu_ms:.2f} ms CPU)"
            if s.lock_held_ms is not None and s.lock_cpu_ms is not None
            else ""
        )
        lines.append(
            f"   {s.database} {s.target}: {s.households_per_s:.1f} households/s, "
            f"{s.persons_per_s:.1f} persons/s; person p50 {s.person_p50_ms:.2f} ms, "
            f"case p50 {s.case_p50_ms:.2f} ms{lock}"
        )
    if report.bare is not None:
        for s in report.api:
            lines.append(
                f"   {s.database} api / bare (households/s): "
                f"{s.households_per_s / report.bare.households_per_s:.2f}"
            )
    for result in report.results:
        lines.append(
            f"   {result.database}: {result.http_persons_in_database:,} persons and "
            f"{result.http_cases_in_database:,} cases in the API's database afterwards"
        )
    lines += ["", "2. identifier matching as the registry grows (services, one at a time)"]
    for result in report.results:
        g = result.registry
        lines += [
            f"   {g.database}: {g.persons:,} registrations ({g.persons_before:,} persons before) "
            f"in {g.seconds:.1f} s, {g.per_second:.0f}/s (load {g.load_before:.2f} before, "
            f"{g.load_after:.2f} after)",
            f"     median of registrations 1-{WINDOW}: {g.first_median_ms:.3f} ms; of the last "
            f"{WINDOW} (#{g.persons - WINDOW + 1:,}-#{g.persons:,}): {g.last_median_ms:.3f} ms",
            f"     ratio last / first: {g.ratio:.2f}   target <= {report.target_ratio}: "
            f"{'MET' if g.target_met else 'NOT MET'}",
            *(
                [
                    f"     (median of registrations 1,001-2,000: {g.warm_median_ms:.3f} ms; last "
                    f"/ that: {g.last_median_ms / g.warm_median_ms:.2f})"
                ]
                if g.warm_median_ms
                else []
            ),
            f"     mean {g.mean_ms:.3f} ms (first tenth {g.first_tenth_mean_ms:.3f}, last tenth "
            f"{g.last_tenth_mean_ms:.3f}), p50 {g.p50_ms:.3f}, p99 {g.p99_ms:.3f}, "
            f"max {g.max_ms:.1f} ms",
            f"     refused duplicate (PersonExists), median of {DUPLICATE_TRIES}: after "
            f"#{WINDOW} {g.duplicate_early_ms:.3f} ms, at the end {g.duplicate_end_ms:.3f} ms "
            f"({', '.join(f'{x:.2f}' for x in g.duplicate_end_each_ms)})",
        ]
    lines += ["", "3. erasing a person: request (admin) + confirmation (another person)"]
    for result in report.results:
        e = result.erasure
        purge = "WAL checkpoint" if e.database == "sqlite" else "VACUUM"
        lines.append(
            f"   {e.database}: median of {e.persons}: {e.total_ms:.2f} ms = request "
            f"{e.request_ms:.2f} + confirmation {e.confirm_ms:.2f} (of which {purge} "
            f"{e.purge_ms:.2f}); min {e.total_min_ms:.2f}, max {e.total_max_ms:.2f}, first "
            f"{e.first_total_ms:.2f} ms (load before {e.load_before:.2f})"
        )
    lines += ["", f"whole command: {report.total_seconds:.1f} s"]
    for result in report.results:
        lines.append(f"   {result.database}: {result.seconds:.1f} s")
    if report.failures:
        lines.append(f"FAILED: {len(report.failures)} check(s), see stderr")
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="The person registry: households of four through the API (persons/s, "
        "households/s), identifier matching as the registry grows, and erasure."
    )
    parser.add_argument(
        "--persons", type=int, default=100_000, help="registrations timed (default 100,000)"
    )
    parser.add_argument("--erasures", type=int, default=50, help="persons erased (default 50)")
    parser.add_argument("--seconds", type=int, default=10, help="length of each HTTP round (10)")
    parser.add_argument("--rounds", type=int, default=2, help="bare+api HTTP rounds (default 2)")
    parser.add_argument(
        "--warmup", type=int, default=2, help="unreported HTTP warm-up of each, seconds (2)"
    )
    parser.add_argument(
        "--clients", type=int, default=8, help="client threads registering households (8)"
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="also measure on this PostgreSQL database (postgresql+psycopg://...), a scratch "
        "one: the benchmark adds to it and leaves what it added",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help=f"cProfile {PROFILED:,} more registrations after the timed ones (stderr)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not 2 * WINDOW <= args.persons <= MAX_SERIAL - PROFILED:
        parser.error(f"--persons must be between {2 * WINDOW} and {MAX_SERIAL - PROFILED}")
    if not 1 <= args.erasures <= args.persons:
        parser.error("--erasures must be between 1 and --persons")
    if args.seconds < 1 or args.rounds < 1 or args.clients < 1 or args.warmup < 0:
        parser.error("--seconds, --rounds and --clients must be positive, --warmup >= 0")
    if args.database and not args.database.startswith("postgresql"):
        parser.error("--database must name a PostgreSQL database (postgresql+psycopg://...)")
    return args


def key_files(directory: Path) -> None:
    """New key files, named by the environment for the stores and the servers to come."""
    master, digest = directory / "master.keys", directory / "digest.key"
    write_new_key_files(master, digest)
    os.environ[MASTER_KEY_ENV] = str(master)
    os.environ[DIGEST_KEY_ENV] = str(digest)


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """One database measured: where the registrations and erasures run, where the API
    serves, and where the bare endpoint inserts (None: no bare rounds)."""

    database: str
    registry_url: str
    http_url: str
    bare_url: str | None


def measure(args: argparse.Namespace, tmp: Path, target: Target) -> DatabaseResult:
    """Matching, then erasure on the same store, then the HTTP rounds (so that on a shared
    PostgreSQL database the registrations are timed before the API adds persons)."""
    started = time.perf_counter()
    database = target.database
    store = PurgeTimedStore(target.registry_url)
    store.create_all()
    registry, ids = bench_registry(store, database, args.persons, profile=args.profile)
    erased = bench_erasure(store, database, ids, args.erasures)
    store.engine.dispose()
    store.reader.dispose()
    runs, persons, cases = bench_http(
        args, tmp, database, target.http_url, bare_url=target.bare_url
    )
    return DatabaseResult(
        database=database,
        registry=registry,
        erasure=erased,
        http_runs=runs,
        http_persons_in_database=persons,
        http_cases_in_database=cases,
        seconds=time.perf_counter() - started,
    )


def bench(args: argparse.Namespace, tmp: Path) -> Report:
    started = time.perf_counter()
    load_before = load_average()
    if load_before > 1.0:
        progress(
            f"note: the machine is busy (1-min load average {load_before:.2f} before starting): "
            "the figures will be noisy; rerun on a quiet machine"
        )
    key_files(tmp)
    targets = [
        Target(
            database="sqlite",
            registry_url=f"sqlite:///{tmp / 'registry.db'}",
            http_url=f"sqlite:///{tmp / 'api.db'}",
            bare_url=f"sqlite:///{tmp / 'bare.db'}",
        )
    ]
    if args.database:
        url = args.database
        targets.append(Target(database="postgresql", registry_url=url, http_url=url, bare_url=None))
    results = [measure(args, tmp, target) for target in targets]
    runs = [r for result in results for r in result.http_runs]
    failures = [f"{r.database} {r.target} round {r.round}: {r.failure}" for r in runs if r.failure]
    api = [
        s
        for s in (summarise_http(runs, d, "api") for d in (t.database for t in targets))
        if s is not None
    ]
    return Report(
        code=code_version(),
        cpus=os.cpu_count() or 0,
        load_before=load_before,
        load_after=load_average(),
        clients=args.clients,
        seconds_per_round=args.seconds,
        rounds=args.rounds,
        results=results,
        bare=summarise_http(runs, "sqlite", "bare"),
        api=api,
        target_ratio=TARGET_RATIO,
        failures=failures,
        total_seconds=time.perf_counter() - started,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="reintegrate-people-bench-") as tmp:
        report = bench(args, Path(tmp))
    if args.json:
        print(json.dumps(msgspec.to_builtins(report), indent=2))
    else:
        print(table(report))
    for failure in report.failures:
        progress(f"FAILED: {failure}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
