"""A large journal of realistic events, written to a SQLite file, for bench/audit_verify.py.

Every event comes from the real services: households are registered, get their entitlement,
a package drafted from it, submitted, then approved, rejected or cancelled; approved packages
are paid (in EUR or in CFA francs at a booked rate) and payments approved, confirmed, failed,
returned or reversed; some packages are closed. The services run on small in-memory stores,
a chunk of households at a time (a store that copies its state per command, or holds a
million entries, would be too slow); each chunk's events are appended to one hash chain and
replayed into one store through `apply_entry`, the function every command records with, so
the journal, ledger and projections written to SQLite are exactly what the commands made.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reintegrate import journal
from reintegrate.cases import Case, Member, ReturnType, Role, Vulnerability
from reintegrate.demo.people import register_demo_household
from reintegrate.errors import DomainError
from reintegrate.events import ComponentSpec
from reintegrate.grants.disbursements import CASH_CHANNELS, Channel
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.money import FxRate
from reintegrate.policy import load_policy
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.recording import apply_entry
from reintegrate.store.memory import MemoryStore, MemoryUnitOfWork

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "examples" / "policies" / "eu-reintegration-programme.toml"
PROGRAMME, LINE = "eurp", "individual"
START = dt.datetime(2023, 1, 2, 8, tzinfo=dt.UTC)
HOUSEHOLDS_PER_CHUNK = 100
COUNTRIES = {"SN": "dakar", "GN": "conakry", "NG": "lagos", "GH": "accra", "CI": "abidjan"}
XOF_PER_EUR = "655.957"
ADMIN, APPROVER = Actor("admin-1"), Actor("approver-1")
FINANCE, TREASURER = Actor("finance-1"), Actor("finance-2")


class ScratchStore(MemoryStore):
    """A memory store whose units of work write in place, without the copy that lets
    `MemoryStore` drop a refused command's writes. Nothing is lost by that here: what a
    chunk's store holds is thrown away, only its journal is kept and replayed."""

    @contextmanager
    def unit_of_work(self, *, one_case: bool = False) -> Iterator[MemoryUnitOfWork]:
        yield MemoryUnitOfWork(self.state, self.keyring)


class Clock:
    """The time of the next command: a second after the last one."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def tick(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def programme_entries() -> list[journal.Entry]:
    """The programme (a budget line for any number of households), its policy, a rate."""
    store = ScratchStore()
    budget = prog.BudgetLineSpec(code=LINE, label="Individual assistance", amount="9000000000.00")
    prog.create_programme(
        store,
        ADMIN,
        START,
        programme_id=PROGRAMME,
        name="EURP",
        currency="EUR",
        budget_lines=[budget],
    )
    prog.adopt_policy(store, ADMIN, START, load_policy(POLICY.read_bytes()))
    rate = FxRate(
        base="EUR", quote="XOF", rate=XOF_PER_EUR, source="BCEAO", valid_from=START.date()
    )
    prog.record_fx_rate(store, ADMIN, START, rate)
    return list(store.state.entries)


def chunk_entries(base: list[journal.Entry], chunk: int, rng: random.Random) -> list[journal.Entry]:
    """The events of one chunk of households, run on a store that holds the programme."""
    store = ScratchStore()
    with store.unit_of_work() as uow:
        for entry in base:
            apply_entry(uow, entry)
    clock = Clock(START + dt.timedelta(hours=chunk + 1))
    journeys = Journeys(store, rng, clock)
    for n in range(HOUSEHOLDS_PER_CHUNK):
        journeys.household(f"c{chunk:05d}-{n:03d}")
    return store.state.entries[len(base) :]


def household(rng: random.Random, case_id: str, today: dt.date) -> Case:
    country = rng.choice(list(COUNTRIES))
    returned = today - dt.timedelta(days=rng.randint(5, 200))
    vulnerable = rng.sample(list(Vulnerability), k=rng.choice((0, 0, 0, 1)))
    members = [
        Member(
            member_id="m1",
            person_id=f"ref-{case_id}-1",
            role=Role.PRINCIPAL,
            nationality=country,
            birth_year=returned.year - rng.randint(19, 58),
            vulnerabilities=tuple(vulnerable),
        )
    ] + [
        Member(
            member_id=f"m{n}",
            person_id=f"ref-{case_id}-{n}",
            role=Role.DEPENDANT,
            nationality=country,
            birth_year=returned.year - rng.randint(1, 17),
        )
        for n in range(2, 2 + rng.choice((0, 0, 1, 2, 3)))
    ]
    return Case(
        case_id=case_id,
        programme_id=PROGRAMME,
        office=COUNTRIES[country],
        country_of_return=country,
        return_date=returned,
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        members=tuple(members),
    )


class Journeys:
    """Walks households through packages and payments, with the services only."""

    def __init__(self, store: ScratchStore, rng: random.Random, clock: Clock) -> None:
        self.store, self.rng, self.clock = store, rng, clock
        self.refused = 0

    def household(self, case_id: str) -> None:
        case = household(self.rng, case_id, self.clock.now.date())
        officer = Actor(f"officer-{case.office}")
        try:
            register_demo_household(self.store, officer, self.clock.tick(), case)
            self.package(officer, case)
        except DomainError:
            self.refused += 1

    def package(self, officer: Actor, case: Case) -> None:
        ent = prog.case_entitlement(self.store, officer, case.case_id, self.clock.now.date())
        components = tuple(self.components(ent))
        if not components:
            return
        fate = self.rng.choices(
            ["draft", "submitted", "rejected", "cancelled", "approved", "paid", "closed"],
            weights=[1, 1, 0.5, 0.5, 2, 4, 1],
        )[0]
        package_id = f"p-{case.case_id}"
        ps.draft_package(
            self.store,
            officer,
            self.clock.tick(),
            case_id=case.case_id,
            budget_line=LINE,
            components=components,
            package_id=package_id,
        )
        steps: dict[str, Callable[[], object]] = {
            "rejected": lambda: ps.reject_package(
                self.store, APPROVER, self.clock.tick(), package_id, "plan not viable"
            ),
            "cancelled": lambda: ps.cancel_package(
                self.store, officer, self.clock.tick(), package_id, "moved to another region"
            ),
        }
        if fate != "draft":
            ps.submit_package(self.store, officer, self.clock.tick(), package_id)
        if fate in steps:
            steps[fate]()
        if fate in ("approved", "paid", "closed"):
            ps.approve_package(self.store, APPROVER, self.clock.tick(), package_id)
        if fate in ("paid", "closed"):
            for component in components:
                self.pay(officer, package_id, component)
        if fate == "closed":
            ps.close_package(self.store, APPROVER, self.clock.tick(), package_id)

    def components(self, ent: prog.CaseEntitlement) -> Iterator[ComponentSpec]:
        """Part of each member's entitlement; cash for the principal only."""
        e = ent.entitlement
        for person in e.persons:
            amount = person.total * self.rng.choice((6, 8, 10)) // 10
            cash = min(e.cash_ceiling, amount) * self.rng.choice((0, 1, 1)) // 2
            if person.role is not Role.PRINCIPAL:
                cash = 0
            if cash:
                yield ComponentSpec(
                    component_id=f"{person.member_id}-cash",
                    member_id=person.member_id,
                    form=Form.CASH,
                    category=Category.OTHER,
                    dimension=Dimension.ECONOMIC,
                    amount=cash,
                )
            if amount > cash:
                yield ComponentSpec(
                    component_id=f"{person.member_id}-kind",
                    member_id=person.member_id,
                    form=Form.IN_KIND,
                    category=self.rng.choice([Category.HOUSING, Category.EDUCATION]),
                    dimension=Dimension.SOCIAL,
                    amount=amount - cash,
                    supplier=f"supplier-{self.rng.randint(1, 40):02d}",
                )

    def pay(self, officer: Actor, package_id: str, component: ComponentSpec) -> None:
        cash = component.form is Form.CASH
        local = cash and self.rng.random() < 0.5  # in CFA francs, at the booked rate
        amount = component.amount // self.rng.choice((1, 2))
        d = ps.request_disbursement(
            self.store,
            officer,
            self.clock.tick(),
            package_id=package_id,
            component_id=component.component_id,
            amount=amount * 6 if local else amount,  # 6 XOF per EUR cent, under the rate
            currency="XOF" if local else "EUR",
            channel=self.rng.choice(CASH_CHANNELS) if cash else Channel.SUPPLIER_TRANSFER,
            invoice_ref=None if cash else f"INV-{self.rng.randint(1000, 9999)}",
            disbursement_id=f"d-{package_id}-{component.component_id}",
        )
        fate = self.rng.choices(
            ["requested", "approved", "paid", "failed", "returned", "reversed"],
            [1, 1, 8, 1, 1, 0.5],
        )[0]
        did, at = d.disbursement_id, self.clock.tick
        if fate != "requested":
            ps.approve_disbursement(self.store, FINANCE, at(), did)
        if fate in ("paid", "reversed"):
            ps.confirm_disbursement(self.store, TREASURER, at(), did, "PRV-OK")
        if fate in ("failed", "returned"):
            reason = "wallet not registered"
            ps.fail_disbursement(
                self.store, TREASURER, at(), did, reason, returned=fate == "returned"
            )
        if fate == "reversed":
            ps.reverse_disbursement(self.store, FINANCE, at(), did, "duplicate confirmation")
