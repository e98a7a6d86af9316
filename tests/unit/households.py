"""Households under the example policies, for the tests of entitlements: members by age,
returning on one day, each validated as a case is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from reintegrate.cases import Case, Member, ReturnType, Role, Vulnerability, validate_case
from reintegrate.policy import Policy, load_policy

POLICIES = Path(__file__).resolve().parents[2] / "examples" / "policies"
EXAMPLES = sorted(POLICIES.glob("*.toml"))
RETURNED = dt.date(2024, 6, 15)


def example(name: str) -> Policy:
    return load_policy((POLICIES / name).read_bytes(), "toml")


def person(
    i: int,
    *,
    age: int | None = None,
    born: dt.date | None = None,
    birth_year: int | None = None,
    nationality: str = "NG",
    vulnerabilities: tuple[Vulnerability, ...] = (),
) -> Member:
    """The `i`-th member (the first is the principal), `age` years old on RETURNED, or born
    on `born`, or in `birth_year`."""
    if age is not None:
        born = dt.date(RETURNED.year - age, 1, 1)
    return Member(
        member_id=f"m{i}",
        person_id=f"person-{i}",
        role=Role.PRINCIPAL if i == 0 else Role.DEPENDANT,
        nationality=nationality,
        birth_date=born,
        birth_year=birth_year,
        vulnerabilities=vulnerabilities,
    )


def member(i: int, age: int, nationality: str, *vulnerable: Vulnerability) -> Member:
    """The `i`-th member, `age` years old on RETURNED, of `nationality`."""
    return person(i, age=age, nationality=nationality, vulnerabilities=vulnerable)


def household(
    *members: int | Member,
    country: str = "NG",
    returned: dt.date = RETURNED,
    return_type: ReturnType = ReturnType.ASSISTED_VOLUNTARY,
    vulnerable: Mapping[int, tuple[Vulnerability, ...]] | None = None,
) -> Case:
    """A household returning to `country` on `returned`, validated as a case is. An int is a
    member's age, a national of `country` (the first member is the principal); `vulnerable`
    maps a member's position to their vulnerabilities."""
    built = tuple(
        m if isinstance(m, Member) else member(i, m, country, *(vulnerable or {}).get(i, ()))
        for i, m in enumerate(members)
    )
    case = Case(
        case_id="case-1",
        programme_id="programme-1",
        office="office-1",
        country_of_return=country,
        return_date=returned,
        return_type=return_type,
        members=built,
    )
    return validate_case(case, today=returned)
