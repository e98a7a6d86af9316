"""A programme whose returnees answered a survey six months after their return: twelve
helped in cash, twelve in kind, three in both (too few to show), all in Dakar; ten in Kolda
not helped yet. One of those helped in cash returned again a year later."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reintegrate.access import Role
from reintegrate.demo.people import register_demo_household
from reintegrate.events import ComponentSpec
from reintegrate.outcomes.rows import ScoredResponse
from reintegrate.services import packages as ps
from reintegrate.services.context import Actor
from reintegrate.services.outcomes import InMemorySurveys
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.base import Scope
from reintegrate.store.sql import SqlStore
from tests.builders import (
    ADMIN,
    OFFICER,
    RETURNED,
    SOON,
    approved_package,
    at,
    cash,
    household,
    in_kind,
    programme,
    register,
)

KOLDA = Actor("officer-kolda", Scope(offices=frozenset({"kolda"})))
ANSWERED = dt.date(2024, 9, 5)
RETURNED_AGAIN = dt.date(2025, 6, 1)
USERS = {
    "admin-1": (Role.ADMIN, frozenset[str]()),
    "auditor-1": (Role.AUDITOR, frozenset[str]()),
    "officer-dakar": (Role.OFFICER, frozenset({"dakar"})),
    "approver-dakar": (Role.APPROVER, frozenset({"dakar"})),
    "finance-dakar": (Role.FINANCE, frozenset({"dakar"})),
    "partner-dakar": (Role.PARTNER, frozenset({"dakar"})),
}
GROUPS: dict[str, tuple[int, tuple[ComponentSpec, ...]]] = {
    "cash_only": (12, (cash("c", 500_00),)),
    "in_kind_only": (12, (in_kind("k", 1_000_00),)),
    "mixed": (3, (cash("c", 300_00), in_kind("k", 500_00))),
}


def score(group: str, number: int) -> Decimal:
    """Cash between 0.40 and 0.51, in kind between 0.60 and 0.71, mixed and none lower."""
    base = {"cash_only": 40, "in_kind_only": 60, "mixed": 20, "none": 30}[group]
    return Decimal(base + number) / 100


def build(store: SqlStore) -> InMemorySurveys:
    programme(store)
    surveys = InMemorySurveys()
    for group, (count, components) in GROUPS.items():
        for n in range(count):
            case = register(store, household(f"{group}-{n}", dependants=0))
            approved_package(store, case.case_id, *components)
            surveys.responses.append(answer(case.principal.person_id, "dakar", group, n))
    for n in range(10):
        case = register_demo_household(store, KOLDA, SOON, household(f"k-{n}", office="kolda"))
        surveys.responses.append(answer(case.principal.person_id, "kolda", "none", n))
    return_again(store)
    tokens = ApiRecords(store.engine)
    for user, (role, offices) in USERS.items():
        add_user(tokens, user, at(RETURNED), role=role, offices=offices)
    return surveys


def return_again(store: SqlStore) -> None:
    """The first returnee helped in cash: their package closed, they migrated again and were
    registered a second time after returning again (the registry knows them again by their
    external reference: once-only identity)."""
    with store.reading() as uow:
        package_id = uow.packages_of_case("cash_only-0")[0].package_id
    ps.close_package(store, ADMIN, at(dt.date(2025, 5, 1)), package_id)
    again = household(
        "again-0", dependants=0, returned=RETURNED_AGAIN, persons=("person-cash_only-0-p",)
    )
    register_demo_household(store, OFFICER, at(dt.date(2025, 6, 10)), again)


def answer(person_id: str, office: str, group: str, number: int) -> ScoredResponse:
    composite = score(group, number)
    return ScoredResponse(
        response_id=f"resp-{group}-{number}",
        person_id=person_id,
        programme_id="eurp",
        office=office,
        country="SN",
        returned_on=RETURNED,
        answered_on=ANSWERED,
        instrument_id="rss-example",
        instrument_version=1,
        complete=True,
        composite=composite,
        dimensions={"economic": composite, "social": Decimal("0.5")},
    )
