"""Build (or find in the cache) a SQLite database holding N approved mobile-money payments.

The generated programme workload behind bench/auditor_million.py: households return, are
registered, get a post-arrival cash package (part of their cash entitlement) drafted,
submitted and approved by a second person, and the package is paid in ten monthly mobile-
money instalments, each requested by the household's office and approved by finance. So
`--payments 1000000` means 100,000 households and about 2.5 million journal entries, every
one made by the real services (`reintegrate.services`) on small in-memory stores, a chunk of
households at a time, then chained and replayed into one state with `apply_entry` and
written to SQLite as bench/audit_database.py does. The payments are left approved, waiting
for a batch to a provider: what an auditor then does with them is the CLI's work.

Databases are kept under the temporary directory (`reintegrate-bench/`), named by payment
count, seed and a digest of the generating code, so that a second run reuses the first's.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

from bench.audit_database import JournalWriter, SealedPersons
from bench.audit_journal import (
    APPROVER,
    FINANCE,
    LINE,
    Clock,
    ScratchStore,
    household,
    programme_entries,
)
from bench.cache import cached_build
from reintegrate import journal
from reintegrate.cases import Case
from reintegrate.demo.people import register_demo_household
from reintegrate.events import ComponentSpec
from reintegrate.grants.disbursements import Channel
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.recording import apply_entry

INSTALMENTS = 10
"""Monthly instalments of each household's post-arrival cash."""
HOUSEHOLDS_PER_CHUNK = 200
FIRST_DAY = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)
SOURCES = (
    Path(__file__),
    Path(__file__).with_name("audit_journal.py"),
    Path(__file__).with_name("audit_database.py"),
    Path(__file__).parents[1] / "reintegrate" / "demo" / "people.py",
)


def cached_workload(payments: int, seed: int, *, fresh: bool = False) -> Path:
    """The path of a database with `payments` approved payments, built if not cached yet."""

    def written(path: Path) -> str:
        return f"{build(path, payments, seed)} journal entries"

    return cached_build(f"workload-{payments}-seed{seed}", SOURCES, written, fresh=fresh)


def build(path: Path, payments: int, seed: int) -> int:
    """Write the workload; the number of journal entries written."""
    writer = JournalWriter(path)
    rng = random.Random(seed)
    base = programme_entries()
    households = -(-payments // INSTALMENTS)
    clock = Clock(FIRST_DAY)
    chunk, started = 0, time.perf_counter()
    sealed = SealedPersons()
    while chunk * HOUSEHOLDS_PER_CHUNK < households:
        count = min(HOUSEHOLDS_PER_CHUNK, households - chunk * HOUSEHOLDS_PER_CHUNK)
        paid_so_far = chunk * HOUSEHOLDS_PER_CHUNK * INSTALMENTS
        events = chunk_entries(
            base,
            chunk,
            households=count,
            payments_left=payments - paid_so_far,
            clock=clock,
            rng=rng,
            sealed=sealed,
        )
        writer.write(base + events if chunk == 0 else events)
        chunk += 1
        if chunk % 25 == 0:
            done = min(chunk * HOUSEHOLDS_PER_CHUNK, households)
            took = time.perf_counter() - started
            print(
                f"  {done:>7}/{households} households, {writer.written} entries, {took:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    writer.close(sealed)
    return writer.written


def chunk_entries(
    base: list[journal.Entry],
    chunk: int,
    *,
    households: int,
    payments_left: int,
    clock: Clock,
    rng: random.Random,
    sealed: SealedPersons,
) -> list[journal.Entry]:
    """The events of one chunk of households, run on a store that holds the programme;
    `clock` goes on from the last chunk's last command. The persons' sealed records the
    commands kept go to `sealed`."""
    store = ScratchStore()
    with store.unit_of_work() as uow:
        for entry in base:
            apply_entry(uow, entry)
    for n in range(households):
        case = household(rng, f"w{chunk:05d}-{n:03d}", clock.now.date())
        paid = min(INSTALMENTS, payments_left - n * INSTALMENTS)
        journey(store, clock, case, paid, rng)
    sealed.gather(store.state)
    return store.state.entries[len(base) :]


def journey(
    store: ScratchStore, clock: Clock, case: Case, instalments: int, rng: random.Random
) -> None:
    """Register `case`, approve its cash package, and request and approve its instalments."""
    officer = Actor(f"officer-{case.office}")
    register_demo_household(store, officer, clock.tick(), case)
    ent = prog.case_entitlement(store, officer, case.case_id, clock.now.date()).entitlement
    cash = ent.cash_ceiling * rng.randint(60, 100) // 100
    component = ComponentSpec(
        component_id="m1-cash",
        member_id="m1",
        form=Form.CASH,
        category=Category.OTHER,
        dimension=Dimension.ECONOMIC,
        amount=cash,
    )
    package_id = f"p-{case.case_id}"
    ps.draft_package(
        store,
        officer,
        clock.tick(),
        case_id=case.case_id,
        budget_line=LINE,
        components=(component,),
        package_id=package_id,
    )
    ps.submit_package(store, officer, clock.tick(), package_id)
    ps.approve_package(store, APPROVER, clock.tick(), package_id)
    for k in range(instalments):
        amount = cash // INSTALMENTS + (cash % INSTALMENTS if k == INSTALMENTS - 1 else 0)
        requested = ps.request_disbursement(
            store,
            officer,
            clock.tick(),
            package_id=package_id,
            component_id="m1-cash",
            amount=amount,
            currency="EUR",
            channel=Channel.MOBILE_MONEY,
        )
        ps.approve_disbursement(store, FINANCE, clock.tick(), requested.disbursement_id)
