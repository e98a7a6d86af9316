"""Shared builders for tests: people, households, a programme under the EU policy, packages.

Everything here goes through the services, so a test reads as a sequence of commands.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import msgspec

from reintegrate import demo, kinds
from reintegrate import events as ev
from reintegrate.access import Role as UserRole
from reintegrate.cases import Case, Member, ReturnType, Role
from reintegrate.demo.people import register_demo_household
from reintegrate.grants import packages as pk
from reintegrate.grants.disbursements import Channel, Disbursement
from reintegrate.grants.postings import component_code
from reintegrate.policy import Policy, load_policy
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.programmes import BudgetLineSpec
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.base import Scope, Store
from reintegrate.store.sql import SqlStore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "policies"
EU_POLICY_FILE = EXAMPLES / "eu-reintegration-programme.toml"

PROGRAMME = "eurp"
OFFICE = "dakar"
LINE = "individual"
RETURNED = dt.date(2024, 3, 1)

ADMIN = Actor("admin-1")
OFFICER = Actor("officer-1", Scope(offices=frozenset({OFFICE})))
OTHER_OFFICER = Actor("officer-2", Scope(offices=frozenset({OFFICE})))
APPROVER = Actor("approver-1", Scope(offices=frozenset({OFFICE})))
FINANCE = Actor("finance-1")
TREASURER = Actor("finance-2")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A command time (UTC) on `day`."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def days_after_return(days: int) -> dt.datetime:
    return at(RETURNED + dt.timedelta(days=days))


SOON = days_after_return(10)
"""When most commands run: ten days after the return."""


def eu_policy() -> Policy:
    """The EU Reintegration Programme's policy: 615 post-arrival in cash to the principal,
    2,000 in kind to the principal and 1,000 per dependant for a voluntary return."""
    return load_policy(EU_POLICY_FILE.read_bytes())


def policy_for(programme_id: str, base: Policy | None = None, **changes: object) -> Policy:
    """`base` (the EU policy by default) for another programme, with `changes` applied."""
    policy = base or eu_policy()
    return msgspec.structs.replace(policy, programme=programme_id, **changes)


def programme(
    store: Store,
    *,
    programme_id: str = PROGRAMME,
    policy: Policy | None = None,
    budget: str = "100000.00",
) -> None:
    """A programme with one budget line of `budget` EUR under `policy` (the EU one)."""
    prog.create_programme(
        store,
        ADMIN,
        at(dt.date(2024, 1, 2)),
        programme_id=programme_id,
        name=f"programme {programme_id}",
        currency="EUR",
        budget_lines=[BudgetLineSpec(code=LINE, label="individual packages", amount=budget)],
    )
    chosen = policy or policy_for(programme_id)
    prog.adopt_policy(store, ADMIN, at(dt.date(2024, 1, 2)), chosen)


def member(
    member_id: str,
    *,
    role: Role = Role.DEPENDANT,
    person_id: str | None = None,
    birth_year: int = 1990,
    nationality: str = "SN",
) -> Member:
    """A member with the facts their person will be registered with (`register`)."""
    return Member(
        member_id=member_id,
        person_id=person_id or f"person-{member_id}",
        role=role,
        nationality=nationality,
        birth_year=birth_year,
    )


def household(
    case_id: str,
    *,
    programme_id: str = PROGRAMME,
    office: str = OFFICE,
    dependants: int = 1,
    returned: dt.date = RETURNED,
    persons: tuple[str, ...] = (),
    return_type: ReturnType = ReturnType.ASSISTED_VOLUNTARY,
) -> Case:
    """A household returning to Senegal: principal `p` and dependants `d1`, `d2`...

    People are known by the reference `person-{case_id}-{member}` unless `persons` names them
    (in order): `register` registers a person for each reference it has not seen.
    """
    ids = ["p", *(f"d{i}" for i in range(1, dependants + 1))]
    refs = list(persons) + [f"person-{case_id}-{m}" for m in ids[len(persons) :]]
    members = tuple(
        member(
            m,
            role=Role.PRINCIPAL if m == "p" else Role.DEPENDANT,
            person_id=ref,
            birth_year=1985 if m == "p" else 2015,
        )
        for m, ref in zip(ids, refs, strict=True)
    )
    return Case(
        case_id=case_id,
        programme_id=programme_id,
        office=office,
        country_of_return="SN",
        return_date=returned,
        return_type=return_type,
        members=members,
    )


def register(store: Store, case: Case, when: dt.datetime | None = None) -> Case:
    """`case` registered by the officer, with a (plainly fake) person registered for each
    member reference not seen before; the case returned names the persons' ids."""
    return register_demo_household(store, OFFICER, when or SOON, case)


def cash(component_id: str, amount: int, member_id: str = "p") -> ev.ComponentSpec:
    """A cash component of `amount` cents for `member_id`."""
    return ev.ComponentSpec(
        component_id=component_id,
        member_id=member_id,
        form=kinds.Form.CASH,
        category=kinds.Category.BUSINESS,
        dimension=kinds.Dimension.ECONOMIC,
        amount=amount,
    )


def in_kind(
    component_id: str, amount: int, member_id: str = "p", supplier: str | None = "supplier-1"
) -> ev.ComponentSpec:
    """An in-kind component of `amount` cents for `member_id`, delivered by `supplier`."""
    return ev.ComponentSpec(
        component_id=component_id,
        member_id=member_id,
        form=kinds.Form.IN_KIND,
        category=kinds.Category.HOUSING,
        dimension=kinds.Dimension.SOCIAL,
        amount=amount,
        supplier=supplier,
    )


def submitted_package(
    store: Store,
    case_id: str,
    *components: ev.ComponentSpec,
    package_id: str | None = None,
    when: dt.datetime = SOON,
) -> pk.Package:
    """Drafted and submitted by the officer."""
    drafted = ps.draft_package(
        store,
        OFFICER,
        when,
        case_id=case_id,
        budget_line=LINE,
        components=components,
        package_id=package_id,
    )
    return ps.submit_package(store, OFFICER, when, drafted.package_id)


def approved_package(
    store: Store,
    case_id: str,
    *components: ev.ComponentSpec,
    package_id: str | None = None,
    when: dt.datetime = SOON,
) -> pk.Package:
    """Drafted and submitted by the officer, approved by the approver."""
    pkg = submitted_package(store, case_id, *components, package_id=package_id, when=when)
    return ps.approve_package(store, APPROVER, when, pkg.package_id)


def requested(
    store: Store,
    package_id: str,
    component_id: str,
    amount: int,
    *,
    currency: str = "EUR",
    channel: Channel = Channel.MOBILE_MONEY,
    invoice_ref: str | None = None,
    when: dt.datetime = SOON,
) -> Disbursement:
    """A disbursement requested by the officer."""
    return ps.request_disbursement(
        store,
        OFFICER,
        when,
        package_id=package_id,
        component_id=component_id,
        amount=amount,
        currency=currency,
        channel=channel,
        invoice_ref=invoice_ref,
    )


def approved_disbursement(
    store: Store,
    package_id: str,
    component_id: str,
    amount: int,
    *,
    when: dt.datetime = SOON,
) -> Disbursement:
    """Requested by the officer (in EUR, by mobile money), approved by finance."""
    d = requested(store, package_id, component_id, amount, when=when)
    return ps.approve_disbursement(store, FINANCE, when, d.disbursement_id)


def paid(
    store: Store, package_id: str, component_id: str, amount: int, *, when: dt.datetime = SOON
) -> Disbursement:
    """Requested by the officer, approved by finance, confirmed paid by the treasurer."""
    d = approved_disbursement(store, package_id, component_id, amount, when=when)
    return ps.confirm_disbursement(store, TREASURER, when, d.disbursement_id, "provider-ref")


def balance(store: Store, code: str) -> int:
    return store.snapshot().balances.get(code, 0)


def component_balances(
    store: Store, component_id: str, package_id: str | None = None
) -> dict[str, int]:
    """What is left to pay, in flight and paid on a component (of the one package that has it)."""
    snapshot = store.snapshot()
    if package_id is None:
        owners = [
            p.package_id
            for p in snapshot.packages.values()
            if p.component(component_id) is not None
        ]
        assert len(owners) == 1, f"{component_id} is in packages {owners}"
        package_id = owners[0]
    return {
        part: snapshot.balances.get(component_code(package_id, component_id, part), 0)
        for part in ("remaining", "pending", "paid")
    }


def programme_database(
    path: Path, *users: tuple[str, UserRole], offices: frozenset[str] = frozenset({OFFICE})
) -> str:
    """An SQLite database at `path` holding the EU programme and `users` (id, role) of
    `offices`; its URL."""
    url = f"sqlite:///{path}"
    store = SqlStore(url)
    store.create_all()
    programme(store)
    for user_id, role in users:
        add_user(ApiRecords(store.engine), user_id, at(RETURNED), role=role, offices=offices)
    store.engine.dispose()
    store.reader.dispose()
    return url


def only(path: Path, query: str) -> str:
    """The one value `query` reads from the SQLite file at `path`, as text."""
    with sqlite3.connect(path) as conn:
        (value,) = conn.execute(query).fetchone()
    return value.decode() if isinstance(value, bytes) else str(value)


def demo_database(path: Path, *finance_users: str) -> Path:
    """A demo database of 8 households at `path`, loaded a day ago, with finance users of
    every office of its cases (`finance_users`), closed for a command line to open."""
    store = SqlStore(f"sqlite:///{path}")
    store.create_all()
    demo.load_demo(store, 8, dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    offices = frozenset(case.office for case in store.snapshot().cases.values())
    records, now = ApiRecords(store.engine), dt.datetime.now(dt.UTC)
    for user_id in finance_users:
        add_user(records, user_id, now, role=UserRole.FINANCE, offices=offices)
    store.engine.dispose()
    store.reader.dispose()
    return path
