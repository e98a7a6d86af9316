"""A realistic demo data set, built only through the public use cases.

Five programmes from the example policies, households returning to several countries,
packages in every state, disbursements in programme and local currencies, and business plans
in every state (one a group business of two households), and follow-ups after return with
survey answers (generated: `demo.surveys`). Random but
seeded, so the same seed gives the same data. Nothing here decides anything: every rule is
applied by the services it calls, and refusals are counted, not hidden.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

from reintegrate import events as ev
from reintegrate.access import Role
from reintegrate.cases import Case, Member, ReturnType, Vulnerability
from reintegrate.cases import Role as MemberRole
from reintegrate.demo.business import load_business_plans
from reintegrate.demo.cohort import (
    Planned,
    cohort_cases,
    load_cohort_follow_ups,
    load_cohort_projects,
    planned_components,
)
from reintegrate.demo.community import load_community_projects
from reintegrate.demo.payments import load_awaiting_payments
from reintegrate.demo.people import register_demo_household
from reintegrate.demo.surveys import load_follow_ups
from reintegrate.errors import DomainError
from reintegrate.grants.disbursements import (
    CASH_CHANNELS,
    DISBURSEMENT_STATUS_WORDS,
    Channel,
    DisbursementStatus,
)
from reintegrate.grants.packages import PACKAGE_STATUS_WORDS, PackageStatus
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.money import FxRate, convert
from reintegrate.policy import Policy, load_policy
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.base import Store
from reintegrate.texts import Text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
DEMO_POLICIES = (
    "eu-reintegration-programme.toml",
    "netherlands-avrr-2017.toml",
    "germany-reag-garp-2.toml",
    "switzerland-sem.toml",
    "finland-migri.toml",
)
RETURN_COUNTRIES = {  # country -> (office, local currency)
    "SN": ("dakar", "XOF"),
    "GN": ("conakry", "GNF"),
    "NG": ("lagos", "NGN"),
    "IQ": ("baghdad", "IQD"),
    "AF": ("kabul", "AFN"),
    "GH": ("accra", "GHS"),
    "AL": ("tirana", "ALL"),
}
DEMO_RATES = {  # units of local currency per 1 EUR; illustrative, not official rates
    "XOF": "655.957",
    "GNF": "9350",
    "NGN": "1650",
    "IQD": "1430",
    "AFN": "76.5",
    "GHS": "16.2",
    "ALL": "98.4",
}
DEMO_USERS = (
    ("admin-1", Role.ADMIN, frozenset[str]()),
    ("officer-dakar", Role.OFFICER, frozenset({"dakar"})),
    ("approver-dakar", Role.APPROVER, frozenset({"dakar"})),
    ("finance-dakar", Role.FINANCE, frozenset({"dakar"})),
    ("treasurer-dakar", Role.FINANCE, frozenset({"dakar"})),
    ("auditor-1", Role.AUDITOR, frozenset[str]()),
    ("partner-dakar", Role.PARTNER, frozenset({"dakar"})),
)
"""Users for the demo server, one per step of the README walk-through."""


def add_demo_users(records: ApiRecords, now: dt.datetime) -> list[tuple[str, str]]:
    """The demo users, each with a first token valid 30 days: (user id, token)."""
    return [
        (user_id, add_user(records, user_id, now, role=role, offices=offices, days=30))
        for user_id, role, offices in DEMO_USERS
    ]


DAY = dt.timedelta(days=1)
ADMIN = Actor("admin")
APPROVER = Actor("approver-1")
FINANCE = (Actor("finance-1"), Actor("finance-2"))


def example_policies() -> list[Policy]:
    return [load_policy((EXAMPLES / name).read_bytes()) for name in DEMO_POLICIES]


def load_demo(
    store: Store,
    households: int,
    now: dt.datetime,
    seed: int = 2026,
    tick: Callable[[], None] | None = None,
    *,
    monitoring_cohort: int = 0,
) -> Counter[Text]:
    """Create the demo data; returns how many of each outcome happened. `monitoring_cohort`
    households per office and return month make the monitoring cohort (`demo.cohort`): its
    draws come from a generator of their own, so the other households are the same with or
    without it; `tick` is called after each household, of either."""
    journeys = _Journeys(store, random.Random(seed), now)
    cohort_rng = random.Random(f"{seed}-monitoring-cohort")
    followed = _Journeys(store, cohort_rng, now, step=dt.timedelta(hours=1))
    policies = example_policies()
    start = now - dt.timedelta(days=400)
    for policy in policies:
        _programme(store, policy, start)
    cases = [
        _household(journeys.rng, policies[i % len(policies)], f"case-{i + 1:04d}", now)
        for i in range(households)
    ]
    cohort = cohort_cases(cohort_rng, monitoring_cohort, now)
    plans = {case.case_id: planned for case, planned in cohort}
    walked = sorted([*cases, *(c for c, _ in cohort)], key=lambda c: (c.return_date, c.case_id))
    for case in walked:  # time moves forward, the same for both walks
        walker = followed if case.case_id in plans else journeys
        walker.clock = max(journeys.clock, followed.clock)
        walker.household(case, plans.get(case.case_id))
        if tick is not None:
            tick()
    journeys.outcomes += load_business_plans(store, now)
    journeys.outcomes += load_community_projects(store, now)
    journeys.outcomes += load_cohort_projects(store, cohort, now)
    journeys.outcomes += load_awaiting_payments(store, now)
    journeys.outcomes += load_follow_ups(store, [c.case_id for c in cases], now, seed)
    journeys.outcomes += load_cohort_follow_ups(store, cohort_rng, cohort, now)
    return journeys.outcomes + followed.outcomes


def _programme(store: Store, policy: Policy, start: dt.datetime) -> None:
    budget = prog.BudgetLineSpec(
        code="individual", label="Individual assistance", amount="2500000.00"
    )
    prog.create_programme(
        store,
        ADMIN,
        start,
        programme_id=policy.programme,
        name=policy.name,
        currency=policy.currency,
        budget_lines=[budget],
    )
    prog.adopt_policy(store, ADMIN, start, policy)
    for code in DEMO_RATES:
        prog.record_fx_rate(store, ADMIN, start, _demo_rate(policy.currency, code, start.date()))


def _rate_from_eur(currency: str, rate: str) -> str:
    """The demo rate for a programme currency: CHF is taken as 1.04 EUR."""
    if currency == "EUR":
        return rate
    return str((Decimal(rate) * Decimal("1.04")).quantize(Decimal("0.0001")))


def _eligible_countries(policy: Policy) -> list[str]:
    return [c for c in RETURN_COUNTRIES if policy.country_is_eligible(c)]


def _household(rng: random.Random, policy: Policy, case_id: str, now: dt.datetime) -> Case:
    country = rng.choice(_eligible_countries(policy))
    returned = (now - dt.timedelta(days=rng.randint(5, 300))).date()
    principal = Member(
        member_id="m1",
        person_id=f"ref-{case_id}-1",
        role=MemberRole.PRINCIPAL,
        nationality=country,
        birth_year=returned.year - rng.randint(19, 58),
        vulnerabilities=tuple(rng.sample(list(Vulnerability), k=rng.choice((0, 0, 0, 1)))),
    )
    dependants = [
        Member(
            member_id=f"m{n}",
            person_id=f"ref-{case_id}-{n}",
            role=MemberRole.DEPENDANT,
            nationality=country,
            birth_year=returned.year - rng.randint(1, 45),
        )
        for n in range(2, 2 + rng.choice((0, 0, 1, 2, 3, 4)))
    ]
    return_type = ReturnType.ASSISTED_VOLUNTARY
    if return_type not in policy.eligible_return_types:
        return_type = policy.eligible_return_types[0]
    return Case(
        case_id=case_id,
        programme_id=policy.programme,
        office=RETURN_COUNTRIES[country][0],
        country_of_return=country,
        return_date=returned,
        return_type=return_type,
        members=(principal, *dependants),
    )


def _components(ent: prog.CaseEntitlement, rng: random.Random) -> Iterator[ev.ComponentSpec]:
    """A package using part of each member's entitlement; cash for the principal only."""
    e = ent.entitlement
    for person in e.persons:
        amount = person.total * rng.choice((6, 8, 10)) // 10
        cash = 0
        if person.role is MemberRole.PRINCIPAL:
            cash = min(person.cash, amount) * rng.choice((0, 1, 1)) // rng.choice((1, 2))
        if cash:
            yield ev.ComponentSpec(
                component_id=f"{person.member_id}-cash",
                member_id=person.member_id,
                form=Form.CASH,
                category=Category.OTHER,
                dimension=Dimension.ECONOMIC,
                amount=cash,
                description="reintegration cash",
            )
        category = rng.choice([Category.BUSINESS, Category.HOUSING, Category.EDUCATION])
        if amount - cash > 0:
            yield ev.ComponentSpec(
                component_id=f"{person.member_id}-{category}",
                member_id=person.member_id,
                form=Form.IN_KIND,
                category=category,
                dimension=Dimension.ECONOMIC if category is Category.BUSINESS else Dimension.SOCIAL,
                amount=amount - cash,
                supplier=f"supplier-{rng.randint(1, 40):02d}",
            )


class _Journeys:
    """Walks households through their packages and payments, counting every outcome."""

    def __init__(
        self, store: Store, rng: random.Random, now: dt.datetime, step: dt.timedelta = DAY
    ) -> None:
        """`step` is the time between a household's steps: a day, or an hour for the cohort,
        whose households are too many in a month to be walked a day apart."""
        self.store, self.rng, self.now, self.step = store, rng, now, step
        self.clock = now - dt.timedelta(days=400)
        self.outcomes: Counter[Text] = Counter()

    def at(self, wanted: dt.datetime) -> dt.datetime:
        """`wanted`, moved forward to the last time used and back to now: the journal's time
        never goes back."""
        self.clock = min(max(self.clock, wanted), self.now)
        return self.clock

    def household(self, case: Case, planned: Planned | None = None) -> None:
        """Register `case` and walk its package: drawn, or the `planned` forms paid out."""
        case_id = case.case_id
        officer = Actor(f"officer-{case.office}")
        registered_at = dt.datetime.combine(case.return_date, dt.time(9), dt.UTC) + dt.timedelta(
            days=3
        )
        when = self.at(registered_at)
        case = register_demo_household(self.store, officer, when, case)
        ent = prog.case_entitlement(self.store, officer, case_id, when.date())
        drawn = _components(ent, self.rng) if planned is None else planned_components(planned)(ent)
        components = tuple(drawn)
        if not ent.entitlement.eligible or not components:
            self.outcomes[Text("not eligible")] += 1
            return
        target = "active"
        if planned is None:
            target = self.rng.choices(
                ["draft", "submitted", "rejected", "cancelled", "approved", "active", "closed"],
                weights=[1, 1, 0.5, 0.5, 2, 4, 1],
            )[0]
        try:
            self.package(officer, case, components, target, when)
        except DomainError as refused:
            self.outcomes[Text("refused: {type}", type=refused.type)] += 1

    def package(
        self,
        officer: Actor,
        case: Case,
        components: tuple[ev.ComponentSpec, ...],
        target: str,
        when: dt.datetime,
    ) -> None:
        store = self.store
        pkg = ps.draft_package(
            store,
            officer,
            when,
            case_id=case.case_id,
            budget_line="individual",
            components=components,
        )
        if target != "draft":
            ps.submit_package(store, officer, when, pkg.package_id)
        if target == "rejected":
            ps.reject_package(
                store, APPROVER, when, pkg.package_id, "plan not viable in the local market"
            )
        elif target == "cancelled":
            ps.cancel_package(
                store, officer, when, pkg.package_id, "returnee moved to another region"
            )
        elif target in ("approved", "active", "closed"):
            ps.approve_package(store, APPROVER, self.at(when + self.step), pkg.package_id)
        if target in ("active", "closed"):
            self.pay(officer, case, pkg.package_id, components, self.at(when + 2 * self.step))
        if target == "closed":
            ps.close_package(store, APPROVER, self.at(when + 30 * self.step), pkg.package_id)
        status = PACKAGE_STATUS_WORDS[PackageStatus(target)]
        self.outcomes[Text("package {status}", status=status)] += 1

    def pay(
        self,
        officer: Actor,
        case: Case,
        package_id: str,
        components: tuple[ev.ComponentSpec, ...],
        when: dt.datetime,
    ) -> None:
        rng = self.rng
        local = RETURN_COUNTRIES[case.country_of_return][1]
        currency = _programme_currency(self.store, case)
        for comp in components:
            cash = comp.form == Form.CASH
            part = comp.amount // rng.choice((1, 2))
            amount, paid_in = part, currency
            if cash and rng.random() < 0.6:  # most cash is paid in the local currency
                rate = _demo_rate(currency, local, when.date())
                amount, paid_in = (
                    convert(part * 98 // 100, currency, local, rate).target_minor,
                    local,
                )
            try:
                d = ps.request_disbursement(
                    self.store,
                    officer,
                    self.at(when),
                    package_id=package_id,
                    component_id=comp.component_id,
                    amount=amount,
                    currency=paid_in,
                    channel=rng.choice(CASH_CHANNELS) if cash else Channel.SUPPLIER_TRANSFER,
                    invoice_ref=None if cash else f"INV-{rng.randint(1000, 9999)}",
                )
            except DomainError as refused:
                self.outcomes[Text("disbursement refused: {type}", type=refused.type)] += 1
                continue
            self.settle(d.disbursement_id, when)

    def settle(self, disbursement_id: str, when: dt.datetime) -> None:
        store = self.store
        fate = self.rng.choices(
            ["requested", "approved", "paid", "failed", "returned", "reversed"],
            [1, 1, 8, 1, 1, 0.5],
        )[0]
        if fate != "requested":
            ps.approve_disbursement(store, FINANCE[0], self.at(when), disbursement_id)
        later = self.at(when + self.step)
        if fate in ("paid", "reversed"):
            ps.confirm_disbursement(store, FINANCE[1], later, disbursement_id, "PRV-OK")
        if fate in ("failed", "returned"):
            reason = "mobile wallet not registered"
            ps.fail_disbursement(
                store, FINANCE[1], later, disbursement_id, reason, returned=fate == "returned"
            )
        if fate == "reversed":
            ps.reverse_disbursement(
                store, FINANCE[0], later, disbursement_id, "duplicate confirmation"
            )
        status = DISBURSEMENT_STATUS_WORDS[DisbursementStatus(fate)]
        self.outcomes[Text("disbursement {status}", status=status)] += 1


def _programme_currency(store: Store, case: Case) -> str:
    with store.unit_of_work() as uow:
        programme = uow.programme(case.programme_id)
    assert programme is not None
    return programme.currency


def _demo_rate(currency: str, local: str, since: dt.date) -> FxRate:
    return FxRate(
        base=currency,
        quote=local,
        rate=_rate_from_eur(currency, DEMO_RATES[local]),
        source="demo rate (illustrative)",
        valid_from=since,
    )
