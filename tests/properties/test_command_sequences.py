"""Random sequences of commands, run on the in-memory store and on SQLite side by side.

Every command goes to both stores; both must accept it with the same result or refuse it
with the same error. After every step, on both stores: no cap, cash ceiling, stage or budget
line over its limit (recomputed here from the projections, not read from the ledger), every
package's approved = paid + pending + remaining, four eyes held, the ledger balanced, and
replaying the journal gives the same ledger and projections with a verified hash chain.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from typing import Any

import msgspec
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from reintegrate import events as ev
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.cases import Case, Member, ReturnType, Role, Vulnerability
from reintegrate.demo.people import register_demo_household
from reintegrate.errors import DomainError
from reintegrate.grants.disbursements import Channel, DisbursementStatus, Requested, stage_limits
from reintegrate.grants.packages import PackageStatus
from reintegrate.grants.postings import component_code
from reintegrate.grants.usage import stage_uses
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.money import FxRate
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import open_person
from reintegrate.people.vocabulary import CorrectionReason, ErasureReason
from reintegrate.policy import (
    AgeBand,
    AppliesTo,
    CashCeiling,
    Countries,
    Household,
    PersonAmount,
    Policy,
    Stage,
    TopUp,
    Vulnerabilities,
    validate_policy,
)
from reintegrate.services import audit, erasure
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.corrections import confirm_correction, correct_person
from reintegrate.services.notes import read_opened
from reintegrate.services.people import personal_data
from reintegrate.services.usage import requested_on_case
from reintegrate.store.base import EVERYWHERE, Snapshot, Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from tests.properties.strategies import amounts, cash_parts
from tests.properties.two_stores import same_ids

PROGRAMME = "prog"
ACTORS = ("ana", "ben", "chi")
APPROVER = "dee"
"""Never drafts or submits, so that approvals by a second person happen often."""
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
PAID_IN = {"EUR": (1, 1), "XOF": (6, 1), "GNF": (90, 1), "USD": (98, 100)}
"""The currencies payments are made in, each with a little less than what a cent of EUR is
worth in its minor units at any of its rates below, as a fraction (GNF has no minor unit: a
franc is its smallest unit), so that a payment of part of what is left is mostly accepted."""
RATES = {
    "XOF": ("655.957", "600", "700.5", "612.3456"),
    "GNF": ("9350", "10000.5", "9123.4567"),
    "USD": ("1.0834", "1.1", "0.9871"),
}


@st.composite
def policies(draw: st.DrawFn, version: str = "v1", effective_from: dt.date | None = None) -> Policy:
    later = draw(st.integers(1, 9))
    policy = Policy(
        programme=PROGRAMME,
        version=version,
        name="generated",
        currency="EUR",
        effective_from=effective_from or START.date(),
        countries=Countries(default_category="any"),
        age_bands=(AgeBand(name="minor", max_age=17), AgeBand(name="adult", min_age=18)),
        stages=(Stage(name="arrival"), Stage(name="later", opens_months_after_return=later)),
        person_amounts=(
            PersonAmount(
                label="principal arrival",
                applies_to=AppliesTo.PRINCIPAL,
                amount=draw(amounts(0, 1_500)),
                cash=draw(cash_parts()),
                stage="arrival",
            ),
            PersonAmount(
                label="adult reintegration",
                age_bands=("adult",),
                amount=draw(amounts(0, 2_500)),
                cash=draw(cash_parts()),
                stage="later",
            ),
            PersonAmount(
                label="minor reintegration",
                age_bands=("minor",),
                amount=draw(amounts(0, 1_500)),
                cash=draw(cash_parts()),
                stage="later",
            ),
        ),
        household=Household(cap=draw(st.none() | amounts(500, 5_000))),
        vulnerability=Vulnerabilities(
            top_ups=(
                TopUp(
                    kind=Vulnerability.SERIOUS_MEDICAL_CONDITION,
                    amount=draw(amounts(0, 2_000)),
                    cash=draw(cash_parts()),
                ),
            ),
            max_per_household=draw(st.none() | amounts(0, 2_000)),
        ),
        cash_ceiling=CashCeiling(
            absolute=draw(st.none() | amounts(0, 1_000)),
            share=draw(st.none() | st.sampled_from(["0", "0.25", "0.5", "1"])),
            per_person=draw(st.none() | amounts(0, 800)),
        ),
        window_months=draw(st.integers(2, 18)),
        look_back_years=draw(st.integers(0, 5)),
    )
    assert validate_policy(policy) == [], validate_policy(policy)
    return policy


def sql_store(folder: str) -> SqlStore:
    """SQLite on a file, as deployed (write-ahead log, a reader beside the writer)."""
    store = SqlStore(f"sqlite:///{folder}/machine.db")
    store.create_all()
    return store


CHECKS = LibraryIdentifierChecks()


WRITTEN = (
    "not viable: Ama Mensah",
    "household moved, +233 20 000 0000",
    "confirmed by mistake",
    "account closed at the provider",
)
"""Reasons written with commands, in officers' own words (one names a person, one a phone
number): the journal must hold none of them."""


Part = tuple[int, bool, int]
"""A package's part: the member (by number), whether it is cash, the amount."""
PARTS = st.tuples(
    st.integers(0, 3), st.booleans(), st.one_of(st.integers(1, 500_00), st.integers(1, 3_000_00))
)

Share = tuple[int, bool, int]
"""A part of a first package: the member (by number), whether it is cash, and the percent of
the member's cash limit (cash) or of the rest of their total (in kind)."""
SHARES = st.tuples(st.integers(0, 3), st.booleans(), st.integers(1, 100))
CURRENCIES = st.sampled_from(sorted(PAID_IN))
OUTCOMES = st.sampled_from(["paid", "failed", "returned", "reversed", "reversed", "asked again"])
"""What becomes of a payment once it is approved and sent."""


class CommandSequences(RuleBasedStateMachine):
    """The same commands on two stores; invariants checked on both after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.TemporaryDirectory()
        self.sql = sql_store(self.directory.name)
        self.stores: tuple[Store, Store] = (MemoryStore(), self.sql)
        self.now = START
        self.cases: list[str] = []
        self.packages: list[str] = []
        self.disbursements: list[str] = []
        self.counter = 0
        self.budget = 0
        self.versions = 1
        self.status: dict[str, str] = {}
        self.commands = 0

    def teardown(self) -> None:
        self.sql.engine.dispose()
        self.sql.reader.dispose()
        self.directory.cleanup()

    def both(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a command on both stores; they must agree on the result or on the refusal."""
        outcomes = []
        self.commands += 1
        for store in self.stores:
            try:
                with same_ids(self.commands):
                    found = command(store, *args, **kwargs)
                outcomes.append(("ok", read_opened(store, found)))  # notes are salted per store
            except DomainError as error:
                outcomes.append((type(error).__name__, error.message))
        assert outcomes[0] == outcomes[1], outcomes
        event(f"{command.__name__}: {outcomes[0][0]}")
        return outcomes[0][1] if outcomes[0][0] == "ok" else None

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    @initialize(
        policy=policies(),
        budget=st.integers(1_000_00, 30_000_00),
        dependants=st.lists(st.integers(0, 60), min_size=1, max_size=3),
        shares=st.lists(SHARES, min_size=2, max_size=4),
        paid_share=st.integers(1, 100),
        outcome=OUTCOMES,
    )
    def create_programme(
        self,
        *,
        policy: Policy,
        budget: int,
        dependants: list[int],
        shares: list[Share],
        paid_share: int,
        outcome: str,
    ) -> None:
        """The programme, its policy and rates; then a first household with a package of
        cash and in-kind parts for several members, approved by two people, and a first
        payment of part of it, so that every rule has something to act on from the first
        step."""
        self.budget = budget
        line = prog.BudgetLineSpec(
            code="main", label="Main", amount=f"{budget // 100}.{budget % 100:02d}"
        )
        admin = Actor("admin")
        self.both(
            prog.create_programme,
            admin,
            self.now,
            programme_id=PROGRAMME,
            name="Generated",
            currency="EUR",
            budget_lines=[line],
        )
        self.both(prog.adopt_policy, admin, self.now, policy)
        for quote, rates in RATES.items():
            rate = FxRate(
                base="EUR",
                quote=quote,
                rate=rates[0],
                source="central bank",
                valid_from=START.date(),
            )
            self.both(prog.record_fx_rate, admin, self.now, rate)
        self.register_a_household(dependants, 35, False, 0, None)
        if self.cases:
            parts = self.parts_within_the_entitlement(shares)
            self.through_approval(0, parts)
            if "approved" not in self.status.values():  # cash over the policy's share, say
                self.through_approval(0, [p for p in parts if not p[1]] or [(0, False, 1)])
        approved = [p for p in self.packages if self.status[p] == "approved"]
        if approved:
            first = self.first_payable(approved[0])
            self.pay_then_fail_return_reverse_or_ask_again(0, first, paid_share, "EUR", outcome)

    def parts_within_the_entitlement(self, shares: list[Share]) -> list[Part]:
        """Parts of the first case's entitlement: each a share of its member's total (in
        kind) or of their cash limit (cash), so that a package of them is mostly approved."""
        shown = prog.case_entitlement(
            self.stores[0], Actor("admin"), self.cases[0], self.now.date()
        )
        persons = shown.entitlement.persons
        parts = []
        for member, cash, percent in shares:
            person = persons[member % len(persons)]
            amount = (person.cash if cash else person.total - person.cash) * percent // 400
            if amount > 0:
                parts.append((int(person.member_id.removeprefix("m")), cash, amount))
        return parts or [(0, False, 1)]

    def through_approval(self, case: int, parts: list[Part]) -> None:
        """A package drafted by one officer, submitted by another, approved by the approver."""
        before = len(self.packages)
        self.draft_a_package(case, parts, "ana")
        if len(self.packages) == before:
            return
        package_id = self.packages[-1]
        self.track(package_id, self.both(ps.submit_package, Actor("ben"), self.now, package_id))
        self.track(package_id, self.both(ps.approve_package, Actor(APPROVER), self.now, package_id))

    @rule(rate=st.sampled_from([(q, r) for q, rates in RATES.items() for r in rates]))
    def record_a_new_rate(self, rate: tuple[str, str]) -> None:
        """Payments in another currency are booked at the rate in force on their day: several
        rates over time, for several currencies."""
        quote, value = rate
        fx = FxRate(
            base="EUR", quote=quote, rate=value, source="monthly", valid_from=self.now.date()
        )
        self.both(prog.record_fx_rate, Actor("admin"), self.now, fx)

    @rule(days=st.integers(1, 60))
    def time_passes(self, days: int) -> None:
        self.now += dt.timedelta(days=days)

    @rule(data=st.data())
    def adopt_a_new_policy_version(self, data: st.DataObject) -> None:
        self.versions += 1
        policy = data.draw(policies(f"v{self.versions}", self.now.date()))
        self.both(prog.adopt_policy, Actor("admin"), self.now, policy)

    @rule(
        dependants=st.lists(st.integers(0, 60), max_size=3),
        principal_age=st.integers(18, 70),
        medical=st.booleans(),
        days_ago=st.integers(0, 90),
        same_person_as=st.none() | st.integers(0, 50),
    )
    def register_a_household(
        self,
        dependants: list[int],
        principal_age: int,
        medical: bool,
        days_ago: int,
        same_person_as: int | None,
    ) -> None:
        case_id = self.next_id("case")
        returned = (self.now - dt.timedelta(days=days_ago)).date()
        ref = f"p-{case_id}"
        if same_person_as is not None and self.cases:
            ref = f"p-{self.cases[same_person_as % len(self.cases)]}"
        members = [
            Member(
                member_id="m0",
                person_id=ref,
                role=Role.PRINCIPAL,
                nationality="SN",
                birth_year=returned.year - principal_age,
                vulnerabilities=(Vulnerability.SERIOUS_MEDICAL_CONDITION,) if medical else (),
            ),
            *(
                Member(
                    member_id=f"m{i + 1}",
                    person_id=f"{ref}-d{i}",
                    role=Role.DEPENDANT,
                    nationality="SN",
                    birth_year=max(returned.year - age, 1901),
                )
                for i, age in enumerate(dependants)
            ),
        ]
        case = Case(
            case_id=case_id,
            programme_id=PROGRAMME,
            office="dakar",
            country_of_return="SN",
            return_date=returned,
            return_type=ReturnType.ASSISTED_VOLUNTARY,
            members=tuple(members),
        )
        if self.both(register_demo_household, Actor("ana"), self.now, case) is not None:
            self.cases.append(case_id)

    @precondition(lambda self: bool(self.cases))
    @rule(
        case=st.integers(0, 1000),
        parts=st.lists(PARTS, min_size=1, max_size=3),
        actor=st.sampled_from(ACTORS),
    )
    def draft_a_package(self, case: int, parts: list[Part], actor: str) -> None:
        case_id = self.cases[case % len(self.cases)]
        components = tuple(
            ev.ComponentSpec(
                component_id=f"{case_id}-{self.counter}-c{i}",
                member_id=f"m{member}",
                form=Form.CASH if cash else Form.IN_KIND,
                category=Category.OTHER,
                dimension=Dimension.SOCIAL,
                amount=amount,
                supplier=None if cash else "supplier-1",
            )
            for i, (member, cash, amount) in enumerate(parts)
        )
        package_id = self.next_id("pkg")
        done = self.both(
            ps.draft_package,
            Actor(actor),
            self.now,
            case_id=case_id,
            budget_line="main",
            components=components,
            package_id=package_id,
        )
        if done is not None:
            self.packages.append(package_id)
            self.track(package_id, done)

    def pick(self, ids: list[str], index: int, *statuses: str) -> str | None:
        """One of `ids` whose status is among `statuses` (any status when none given)."""
        found = [i for i in ids if not statuses or self.status.get(i) in statuses]
        return found[index % len(found)] if found else None

    def track(self, item_id: str, result: Any) -> None:
        if result is not None:
            self.status[item_id] = str(result.status)

    @precondition(lambda self: "draft" in self.status.values())
    @rule(package=st.integers(0, 1000), actor=st.sampled_from(ACTORS))
    def submit_a_draft(self, package: int, actor: str) -> None:
        package_id = self.pick(self.packages, package, "draft")
        assert package_id is not None
        self.track(package_id, self.both(ps.submit_package, Actor(actor), self.now, package_id))

    @precondition(lambda self: "submitted" in self.status.values())
    @rule(package=st.integers(0, 1000), actor=st.sampled_from((*ACTORS, APPROVER, APPROVER)))
    def approve_a_submitted_package(self, package: int, actor: str) -> None:
        package_id = self.pick(self.packages, package, "submitted")
        assert package_id is not None
        self.track(package_id, self.both(ps.approve_package, Actor(actor), self.now, package_id))

    @precondition(lambda self: bool(self.cases))
    @rule(person=st.integers(0, 1000), confirmer=st.sampled_from(("admin", "approver-2")))
    def erase_a_person(self, person: int, confirmer: str) -> None:
        """Asked by the admin, confirmed by `confirmer` (the admin again is refused);
        refused while the person is in an open case or has money unsettled."""
        person_id = self.person(person)
        reason = ErasureReason.PERSON_ASKED
        self.both(erasure.request_erasure, Actor("admin"), self.now, person_id, reason)
        self.both(erasure.confirm_erasure, Actor(confirmer), self.now, person_id)

    @precondition(lambda self: "active" in self.status.values())
    @rule(package=st.integers(0, 1000), erase=st.sampled_from([True, True, False]))
    def close_a_package_then_erase_its_household(self, package: int, erase: bool) -> None:
        """A package paid from, closed by the approver once nothing is in flight (what was
        never paid goes back to the caps); then, its case's packages all ended, its people
        erased, each asked by the admin and confirmed by another approver."""
        package_id = self.pick(self.packages, package, "active")
        assert package_id is not None
        for d in self.disbursements:
            if self.status.get(d) in ("requested", "approved"):
                failed = ps.fail_disbursement, Actor("chi"), self.now, d, WRITTEN[3]
                self.track(d, self.both(*failed))
        closed = self.both(ps.close_package, Actor(APPROVER), self.now, package_id)
        self.track(package_id, closed)
        if closed is None or not erase:
            return
        self.end_every_package_of(closed.case_id)
        with self.stores[0].reading() as uow:
            case = uow.case(closed.case_id, EVERYWHERE)
        assert case is not None
        for _, person_id in case.persons:
            reason = ErasureReason.PERSON_ASKED
            self.both(erasure.request_erasure, Actor("admin"), self.now, person_id, reason)
            self.both(erasure.confirm_erasure, Actor("approver-2"), self.now, person_id)

    def end_every_package_of(self, case_id: str) -> None:
        """Close the case's packages that paid, cancel the others still open."""
        with self.stores[0].reading() as uow:
            packages = [p.package_id for p in uow.packages_of_case(case_id)]
        for package_id in packages:
            status = self.status.get(package_id)
            if status in ("approved", "active"):
                ended = self.both(ps.close_package, Actor(APPROVER), self.now, package_id)
            elif status in ("draft", "submitted"):
                cancel = ps.cancel_package, Actor(APPROVER), self.now, package_id, WRITTEN[1]
                ended = self.both(*cancel)
            else:
                continue
            self.track(package_id, ended)

    @precondition(lambda self: bool(self.cases))
    @rule(person=st.integers(0, 1000), born=st.integers(1930, 2023))
    def correct_a_birth_year(self, person: int, born: int) -> None:
        """A new birth year, proposed by one officer and confirmed by another: it revises
        the granted caps of the person's cases, or is refused if a cap would fall below use."""
        person_id = self.person(person)
        with self.stores[0].unit_of_work() as uow:
            found = uow.person(person_id)
            if found is None or found.status is not PersonStatus.ACTIVE:
                return
            data = personal_data(uow, person_id)
        corrected = msgspec.structs.replace(data, birth_date=None, birth_year=born)
        reason = CorrectionReason.DOCUMENT_PRESENTED
        self.both(
            correct_person,
            CHECKS,
            Actor("ana"),
            self.now,
            person_id,
            data=corrected,
            reason=reason,
        )
        self.both(confirm_correction, Actor("bob"), self.now, person_id)

    def person(self, number: int) -> str:
        persons = sorted(self.stores[0].snapshot().persons)
        return persons[number % len(persons)]

    @precondition(lambda self: bool(self.packages))
    @rule(
        package=st.integers(0, 1000),
        actor=st.sampled_from(ACTORS),
        step=st.sampled_from(["submit", "approve", "reject", "cancel", "close"]),
    )
    def any_step_on_any_package(self, package: int, actor: str, step: str) -> None:
        package_id = self.pick(self.packages, package)
        assert package_id is not None
        who = Actor(actor)
        if step == "submit":
            result = self.both(ps.submit_package, who, self.now, package_id)
        elif step == "approve":
            result = self.both(ps.approve_package, who, self.now, package_id)
        elif step == "reject":
            result = self.both(ps.reject_package, who, self.now, package_id, WRITTEN[0])
        elif step == "cancel":
            result = self.both(ps.cancel_package, who, self.now, package_id, WRITTEN[1])
        else:
            result = self.both(ps.close_package, who, self.now, package_id)
        self.track(package_id, result)

    @precondition(lambda self: bool(self.cases))
    @rule(
        case=st.integers(0, 1000),
        parts=st.lists(PARTS, min_size=1, max_size=4),
        then=st.sampled_from(["approve", "reject", "reject", "cancel"]),
    )
    def draft_submit_and_decide_by_two_people(
        self, case: int, parts: list[Part], then: str
    ) -> None:
        """Drafted and submitted by two officers; approved, or rejected, by the approver (and
        cancelled after its approval)."""
        if then == "reject":
            before = len(self.packages)
            self.draft_a_package(case, parts, "ana")
            if len(self.packages) > before:
                package_id = self.packages[-1]
                submitted = self.both(ps.submit_package, Actor("ben"), self.now, package_id)
                self.track(package_id, submitted)
                refused = ps.reject_package, Actor(APPROVER), self.now, package_id, WRITTEN[0]
                self.track(package_id, self.both(*refused))
            return
        self.through_approval(case, parts)
        if then == "cancel" and self.packages and self.status[self.packages[-1]] == "approved":
            package_id = self.packages[-1]
            cancelled = ps.cancel_package, Actor(APPROVER), self.now, package_id, WRITTEN[1]
            self.track(package_id, self.both(*cancelled))

    @precondition(lambda self: bool({"approved", "active"} & set(self.status.values())))
    @rule(package=st.integers(0, 1000), percent=st.integers(1, 100), paid_in=CURRENCIES)
    def request_approve_and_confirm_a_payment(
        self, package: int, percent: int, paid_in: str
    ) -> None:
        """A payment of part of what a package's first component has left, by three people."""
        before = len(self.disbursements)
        amount = self.part_left(package, 0, percent)
        self.request_a_disbursement(package, 0, amount, paid_in, "ana")
        if len(self.disbursements) == before:
            return
        d = self.disbursements[-1]
        self.track(d, self.both(ps.approve_disbursement, Actor("ben"), self.now, d))
        self.track(d, self.both(ps.confirm_disbursement, Actor("chi"), self.now, d))

    @precondition(lambda self: bool({"approved", "active"} & set(self.status.values())))
    @rule(
        package=st.integers(0, 1000),
        component=st.integers(0, 2),
        amount=st.one_of(st.integers(1, 300_00), st.integers(1, 2_000_00)),
        paid_in=CURRENCIES,
        actor=st.sampled_from(ACTORS),
    )
    def request_a_disbursement(
        self, package: int, component: int, amount: int, paid_in: str, actor: str
    ) -> None:
        """About `amount` EUR cents, paid in `paid_in` at the rate of the day."""
        package_id, comp = self.payable(package, component)
        cash = comp.form == "cash"
        disbursement_id = self.next_id("dsb")
        done = self.both(
            ps.request_disbursement,
            Actor(actor),
            self.now,
            package_id=package_id,
            component_id=comp.component_id,
            amount=max(1, amount * PAID_IN[paid_in][0] // PAID_IN[paid_in][1]),
            currency=paid_in,
            channel=Channel.MOBILE_MONEY if cash else Channel.SUPPLIER_TRANSFER,
            invoice_ref=None if cash else "INV-1",
            disbursement_id=disbursement_id,
        )
        if done is not None:
            self.disbursements.append(disbursement_id)
            self.track(disbursement_id, done)
            self.status[package_id] = "active"

    @precondition(lambda self: bool({"approved", "active"} & set(self.status.values())))
    @rule(
        package=st.integers(0, 1000),
        component=st.integers(0, 3),
        percent=st.integers(1, 100),
        paid_in=CURRENCIES,
        outcome=OUTCOMES,
    )
    def pay_then_fail_return_reverse_or_ask_again(
        self, package: int, component: int, percent: int, paid_in: str, outcome: str
    ) -> None:
        """A payment of part of what a component has left, requested, approved and sent by
        three people; then paid, failed, returned by the provider, reversed after it was
        paid, or failed and asked again."""
        amount = self.part_left(package, component, percent)
        before = len(self.disbursements)
        self.request_a_disbursement(package, component, amount, paid_in, "ana")
        if len(self.disbursements) == before:
            return
        d = self.disbursements[-1]
        self.track(d, self.both(ps.approve_disbursement, Actor("ben"), self.now, d))
        if outcome in ("failed", "returned", "asked again"):
            returned = outcome == "returned"
            failed = ps.fail_disbursement, Actor("chi"), self.now, d, WRITTEN[3]
            self.track(d, self.both(*failed, returned=returned))
            if outcome == "asked again":
                self.request_a_disbursement(package, component, amount, paid_in, "ana")
            return
        self.track(d, self.both(ps.confirm_disbursement, Actor("chi"), self.now, d))
        if outcome == "reversed":
            reversed_ = ps.reverse_disbursement, Actor(APPROVER), self.now, d, WRITTEN[2]
            self.track(d, self.both(*reversed_))

    def part_left(self, package: int, component: int, percent: int) -> int:
        """`percent` of what the component that `package` and `component` pick may still be
        paid today, in EUR cents (at least 1)."""
        package_id, comp = self.payable(package, component)
        return max(1, self.room(package_id, comp) * percent // 100)

    def room(self, package_id: str, comp: ev.ComponentSpec) -> int:
        """What `comp` may still be paid today: what it has left, within what the stages
        opened so far leave for its case and member, in all and (for cash) in cash."""
        code = component_code(package_id, comp.component_id, "remaining")
        today = self.now.date()
        with self.stores[0].reading() as uow:
            pkg = uow.packages.get(package_id, EVERYWHERE)
            assert pkg is not None
            rooms = [uow.balances([code])[code]]
            grant, asked = uow.grant(pkg.case_id), requested_on_case(uow, pkg.case_id)
        if grant is not None:
            rooms += [limit.left for limit in stage_limits(grant, today, asked, comp)]
        return min(rooms)

    def first_payable(self, package_id: str) -> int:
        """The index of the package's first component that may be paid something today."""
        with self.stores[0].reading() as uow:
            pkg = uow.packages.get(package_id, EVERYWHERE)
        assert pkg is not None
        return next((i for i, c in enumerate(pkg.components) if self.room(package_id, c)), 0)

    def payable(self, package: int, component: int) -> tuple[str, ev.ComponentSpec]:
        """The approved or active package that `package` picks, and the component of it
        that `component` picks."""
        package_id = self.pick(self.packages, package, "approved", "active")
        assert package_id is not None
        with self.stores[0].reading() as uow:
            pkg = uow.packages.get(package_id, EVERYWHERE)
        assert pkg is not None
        return package_id, pkg.components[component % len(pkg.components)]

    @precondition(lambda self: bool(self.disbursements))
    @rule(
        disbursement=st.integers(0, 1000),
        actor=st.sampled_from(ACTORS),
        step=st.sampled_from(["approve", "confirm", "fail", "return", "reverse"]),
        in_its_state=st.booleans(),
    )
    def move_a_disbursement(
        self, disbursement: int, actor: str, step: str, in_its_state: bool
    ) -> None:
        wanted = {"approve": "requested", "confirm": "approved", "reverse": "paid"}
        states = (wanted.get(step, "approved"),) if in_its_state else ()
        d = self.pick(self.disbursements, disbursement, *states)
        if d is None:
            return
        who = Actor(actor)
        if step == "approve":
            result = self.both(ps.approve_disbursement, who, self.now, d)
        elif step == "confirm":
            result = self.both(ps.confirm_disbursement, who, self.now, d)
        elif step in ("fail", "return"):
            returned = step == "return"
            result = self.both(
                ps.fail_disbursement, who, self.now, d, WRITTEN[3], returned=returned
            )
        else:
            result = self.both(ps.reverse_disbursement, who, self.now, d, WRITTEN[2])
        self.track(d, result)

    @invariant()
    def every_limit_holds_and_the_journal_replays(self) -> None:
        snapshots = [read_opened(store, store.snapshot()) for store in self.stores]
        assert snapshots[0] == snapshots[1], audit.compare(snapshots[0], snapshots[1])
        for store, snapshot in zip(self.stores, snapshots, strict=True):
            check_limits(snapshot, self.budget, self.now.date())
            check_four_eyes(snapshot)
            report = audit.verify_audit(store)
            assert report.ok, report
        assert personal_values_in_journal(self.stores[1]) == []
        assert written_words_in_journal(self.stores[1]) == []


def personal_values_in_journal(store: Store) -> list[str]:
    """Each personal value of a person whose record is kept (names, phone numbers, document
    numbers, references) that the journal's events hold anywhere."""
    events = b"".join(msgspec.json.encode(entry.event) for entry in store.entries())
    found = []
    for person_id in store.snapshot().persons:
        with store.unit_of_work() as uow:
            sealed = uow.sealed_person(person_id)
        if sealed is None:
            continue  # erased
        data, _ = open_person(store.keyring, person_id, sealed)
        values = [data.given_names, data.family_name, *data.phones, *data.external_refs]
        values += [d.number for d in data.documents]
        found += [v for v in values if v.encode() in events]
    return found


def written_words_in_journal(store: Store) -> list[str]:
    """Each reason written with a command that the journal's events hold anywhere."""
    events = b"".join(msgspec.json.encode(entry.event) for entry in store.entries())
    return [words for words in WRITTEN if words.encode() in events]


def committed(snapshot: Snapshot, pkg_id: str) -> dict[str, int]:
    """What a package holds of its caps: everything while open, what was paid once closed."""
    pkg = snapshot.packages[pkg_id]
    held: dict[str, int] = {}
    for c in pkg.components:
        parts = [
            snapshot.balances.get(component_code(pkg.package_id, c.component_id, p), 0)
            for p in ("remaining", "pending", "paid")
        ]
        if pkg.status in (PackageStatus.APPROVED, PackageStatus.ACTIVE):
            assert sum(parts) == c.amount, (
                f"{c.component_id}: approved != paid + pending + remaining"
            )
        held[c.component_id] = sum(parts)
    return held


def check_limits(snapshot: Snapshot, budget: int, today: dt.date) -> None:
    per_case: dict[str, int] = defaultdict(int)
    cash_per_case: dict[str, int] = defaultdict(int)
    per_person: dict[tuple[str, str], int] = defaultdict(int)
    cash_per_person: dict[tuple[str, str], int] = defaultdict(int)
    requested: dict[str, Requested] = defaultdict(Requested)
    for pkg in snapshot.packages.values():
        if pkg.approved_on is None:
            continue
        held = committed(snapshot, pkg.package_id)
        for c in pkg.components:
            per_case[pkg.case_id] += held[c.component_id]
            per_person[(pkg.case_id, c.member_id)] += held[c.component_id]
            cash_per_case[pkg.case_id] += held[c.component_id] if c.form == "cash" else 0
            if c.form == "cash":
                cash_per_person[(pkg.case_id, c.member_id)] += held[c.component_id]
            asked = sum(
                snapshot.balances.get(component_code(pkg.package_id, c.component_id, p), 0)
                for p in ("pending", "paid")
            )
            requested[pkg.case_id] = requested[pkg.case_id].plus(asked, c)
    assert sum(per_case.values()) <= budget, "budget line over its limit"
    for case_id, grant in snapshot.grants.items():
        assert per_case[case_id] <= grant.household, f"household cap of {case_id} exceeded"
        assert cash_per_case[case_id] <= grant.cash, f"cash ceiling of {case_id} exceeded"
        for member, size in grant.persons.items():
            assert per_person[(case_id, member)] <= size, f"cap of {case_id}/{member} exceeded"
            cash = (grant.persons_cash or {}).get(member, size)
            assert cash_per_person[(case_id, member)] <= cash, f"cash of {case_id}/{member}"
            assert cash <= size, f"cash limit of {case_id}/{member} above their entitlement"
        check_stages(grant, requested[case_id], today)
    for case_id in per_case:
        assert case_id in snapshot.grants, f"{case_id} has approved packages without a grant"


def check_stages(grant: ev.EntitlementGranted, asked: Requested, today: dt.date) -> None:
    """What payments ask or were paid stays within the stages opened so far, for the
    household and for every member, in all and in cash; stage by stage, none is used beyond
    its amount or its cash."""
    opened = [s for s in grant.stages if s.opens_on <= today]
    assert asked.total <= max((s.cumulative for s in opened), default=0), "stages exceeded"
    cash_opened = max((s.cash_cumulative or 0 for s in opened), default=0)
    assert asked.cash <= cash_opened, f"cash of stages exceeded: {asked.cash} > {cash_opened}"
    for member in grant.persons:
        mine = max(((s.persons or {}).get(member, 0) for s in opened), default=0)
        mine_cash = max(((s.persons_cash or {}).get(member, 0) for s in opened), default=0)
        assert asked.persons.get(member, 0) <= mine, f"stages of member {member} exceeded"
        assert asked.persons_cash.get(member, 0) <= mine_cash, f"cash of member {member}"
        assert mine_cash <= mine <= grant.persons[member]
    for use in stage_uses(grant.stages, asked, today):
        assert 0 <= use.used <= use.amount, use
        assert use.cash is not None, "granted since cash is limited per stage"
        assert 0 <= use.cash_used <= use.cash <= use.amount, use
    assert asked.cash <= asked.total


def check_four_eyes(snapshot: Snapshot) -> None:
    for pkg in snapshot.packages.values():
        if pkg.approved_by is not None:
            assert pkg.approved_by not in (pkg.drafted_by, pkg.submitted_by)
    for d in snapshot.disbursements.values():
        if d.approved_by is not None:
            assert d.approved_by != d.requested_by
        if d.confirmed_by is not None:
            assert d.confirmed_by != d.approved_by
        if d.status is DisbursementStatus.PAID:
            assert d.confirmed_by is not None


CommandSequences.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_command_sequences = CommandSequences.TestCase
