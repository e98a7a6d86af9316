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


def member(i: int, age: int, nationality: str, *vulnerable: Vulnerability) -> Member:
    """The `i`-th member (the first is the principal), `age` years old on RETURNED."""
    return Member(
        member_id=f"m{i}",
        person_id=f"person-{i}",
        role=Role.PRINCIPAL if i == 0 else Role.DEPENDANT,
        nationality=nationality,
        birth_date=dt.date(RETURNED.year - age, 1, 1),
        vulnerabilities=vulnerable,
    )


def household(
    *ages: int,
    country: str,
    return_type: ReturnType = ReturnType.ASSISTED_VOLUNTARY,
    vulnerable: Mapping[int, tuple[Vulnerability, ...]] | None = None,
) -> Case:
    """A household returning on RETURNED; the first age is the principal's, the rest are
    dependants; `vulnerable` maps a member's position to their vulnerabilities."""
    members = tuple(
        member(i, age, country, *(vulnerable or {}).get(i, ())) for i, age in enumerate(ages)
    )
    case = Case(
        case_id="case-1",
        programme_id="programme-1",
        office="office-1",
        country_of_return=country,
        return_date=RETURNED,
        return_type=return_type,
        members=members,
    )
    return validate_case(case, today=RETURNED)
