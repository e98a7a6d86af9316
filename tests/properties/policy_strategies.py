"""Hypothesis strategies for generated cap policies, households, look-back history and dates.

Wider than the `policies` strategy of the command sequences: several age bands (which may
overlap or leave gaps), country categories including ineligible ones and a default, household
add-ons and an optional cap, top-ups for several vulnerabilities with per-person and
per-household maxima, cash parts, several stages, excluded nationalities, look-back years and
return types, in currencies with 0, 2 and 3 decimals. Every policy passes `validate_policy`
and every case passes `validate_case`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import TypeVar

import msgspec
from hypothesis import strategies as st

from reintegrate.cases import Case, Member, PriorAssistance, ReturnType, Role, Vulnerability
from reintegrate.money import format_minor, minor_digits
from reintegrate.policy import (
    AgeBand,
    AppliesTo,
    CashCeiling,
    Countries,
    Household,
    HouseholdAddOn,
    PersonAmount,
    Policy,
    Stage,
    TopUp,
    Vulnerabilities,
    validate_policy,
)
from reintegrate.policy_base import Translated, Wording

T = TypeVar("T")
CURRENCIES = ("EUR", "JPY", "KWD")
COUNTRIES = ("AF", "IQ", "NG", "SN", "AL", "RS", "GE", "UA")
"""Countries of return; a policy lists some of them in categories, not necessarily all."""
NATIONALITIES = ("AF", "IQ", "NG", "SY", "ER")
CATEGORY_NAMES = ("A", "B", "C", "visa_exempt")
DEFAULT_NAMES = ("A", "rest")
"""A default category may be one of the listed categories or a category of its own."""
CASE_ID = "case-1"
OTHER_CASES = ("case-2", "case-3")
REFS = tuple(f"ref-{i}" for i in range(10))


MAYBE_MAX_AGE = st.none() | st.integers(0, 150)
RARELY = st.integers(0, 3).map(lambda i: i == 0)
"""True one time in four: for the rules that make a case ineligible or a line not match."""
DEFAULTS = st.sampled_from((None, *DEFAULT_NAMES, DEFAULT_NAMES[-1]))
APPLIES_TO = st.sampled_from(AppliesTo)
KINDS = tuple(Vulnerability)
SHARES = st.none() | st.sampled_from(["0", "0.25", "1"])
EXCLUDED = st.lists(st.sampled_from(NATIONALITIES), unique=True, min_size=1, max_size=2).map(tuple)
NATIONALITY = st.sampled_from(NATIONALITIES)


def rarely(
    draw: st.DrawFn,
    values: st.SearchStrategy[tuple[T, ...]],
    among: tuple[str, ...] = ("any",),
    *,
    often: bool = False,
) -> tuple[T, ...]:
    """A drawn tuple one time in four (or in two, `often`), else (); () when `among` is empty."""
    chosen = draw(st.booleans() if often else RARELY)
    return draw(values) if among and chosen else ()


@functools.cache
def amounts(currency: str, high_units: int) -> st.SearchStrategy[str]:
    """Valid amount strings in `currency`, from 0 to `high_units` whole units."""
    scale = 10 ** minor_digits(currency)
    return st.integers(0, high_units * scale).map(lambda minor: format_minor(minor, currency))


@functools.cache
def cash_parts(currency: str) -> st.SearchStrategy[str]:
    return st.sampled_from(["all", "none"]) | amounts(currency, 1_500)


@functools.cache
def optional_amounts(currency: str) -> st.SearchStrategy[str | None]:
    return st.none() | amounts(currency, 6_000)


@functools.cache
def optional_names(names: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(names)


@functools.cache
def wordings(english: str, translated: Translated) -> st.SearchStrategy[Wording]:
    """A label as English words alone, or with translations."""
    return st.sampled_from([english, translated])


def subsets(values: tuple[T, ...], most: int | None = None) -> st.SearchStrategy[tuple[T, ...]]:
    """Subsets of `values` in their order, of at most `most` of them: one integer drawn as a
    bit mask, which is cheaper than a unique list and shrinks to the empty set."""

    def chosen(mask: int) -> tuple[T, ...]:
        return tuple(v for i, v in enumerate(values) if mask >> i & 1)[:most]

    return st.integers(0, 2 ** len(values) - 1).map(chosen)


@st.composite
def age_bands(draw: st.DrawFn) -> tuple[AgeBand, ...]:
    """Up to four bands that do not overlap (validation refuses overlaps), maybe with gaps."""
    edges = sorted(set(draw(st.lists(st.integers(0, 95), max_size=8))))
    bands: list[AgeBand] = []
    for i in range(0, len(edges) - 1, 2):
        bands.append(AgeBand(name=f"band{i // 2}", min_age=edges[i], max_age=edges[i + 1]))
    if len(edges) % 2 == 1 and draw(st.booleans()):
        bands.append(AgeBand(name=f"band{len(bands)}", min_age=edges[-1]))
    ordered = draw(st.permutations(bands))
    return tuple(ordered[:4])


@st.composite
def stages(draw: st.DrawFn) -> tuple[Stage, ...]:
    months = sorted(draw(st.lists(st.integers(0, 36), min_size=1, max_size=4)))
    return tuple(Stage(name=f"stage{i}", opens_months_after_return=m) for i, m in enumerate(months))


@st.composite
def countries(draw: st.DrawFn) -> Countries:
    names = draw(subsets(CATEGORY_NAMES))
    # One digit per country in base len(names) + 1: 0 leaves it unlisted, d puts it in the
    # d-th category; so a country is in one category at most.
    digits = draw(st.integers(0, (len(names) + 1) ** len(COUNTRIES) - 1))
    listed: dict[str, list[str]] = {name: [] for name in names}
    for country in COUNTRIES:
        digits, digit = divmod(digits, len(names) + 1)
        if digit:
            listed[names[digit - 1]].append(country)
    categories = {name: tuple(codes) for name, codes in listed.items()}
    default = draw(DEFAULTS)
    known = tuple(sorted(set(categories) | ({default} if default is not None else set())))
    return Countries(
        categories=categories,
        default_category=default,
        ineligible_categories=rarely(draw, st.sampled_from(known).map(lambda c: (c,)), known),
    )


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    currency = draw(st.sampled_from(CURRENCIES))
    bands = draw(age_bands())
    band_names = tuple(b.name for b in bands)
    stage_list = draw(stages())
    stage_names = tuple(s.name for s in stage_list)
    country_rules = draw(countries())
    default = country_rules.default_category
    category_names = tuple(
        sorted(set(country_rules.categories) | ({default} if default is not None else set()))
    )
    stage_of = optional_names(stage_names)
    person_amounts = tuple(
        PersonAmount(
            label=draw(wordings(f"line {i}", Translated(en=f"line {i}", fr=f"ligne {i}"))),
            amount=draw(amounts(currency, 3_000)),
            applies_to=draw(APPLIES_TO),
            age_bands=rarely(draw, subsets(band_names), band_names, often=True),
            categories=rarely(draw, subsets(category_names), category_names),
            return_types=rarely(draw, subsets(tuple(ReturnType))),
            cash=draw(cash_parts(currency)),
            stage=draw(stage_of),
        )
        for i in range(draw(st.integers(0, 6)))
    )
    add_ons = tuple(
        HouseholdAddOn(
            label=draw(wordings(f"add-on {i}", Translated(en=f"add-on {i}", es=f"extra {i}"))),
            amount=draw(amounts(currency, 1_500)),
            min_members=draw(st.integers(1, 8)),
            cash=draw(cash_parts(currency)),
            stage=draw(stage_of),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    kinds = draw(subsets(KINDS, 4))
    top_ups = tuple(
        TopUp(
            kind=kind,
            label=f"top-up {kind}" if draw(st.booleans()) else "",
            amount=draw(amounts(currency, 2_500)),
            cash=draw(cash_parts(currency)),
            stage=draw(stage_of),
        )
        for kind in kinds
    )
    optional = optional_amounts(currency)
    return_types = rarely(draw, subsets(tuple(ReturnType))) or tuple(ReturnType)
    policy = Policy(
        programme="prog",
        version="v1",
        name="generated",
        currency=currency,
        effective_from=dt.date(2015, 1, 1),
        countries=country_rules,
        age_bands=bands,
        stages=stage_list,
        person_amounts=person_amounts,
        household=Household(cap=draw(optional), add_ons=add_ons),
        vulnerability=Vulnerabilities(
            top_ups=top_ups,
            max_per_person=draw(optional),
            max_per_household=draw(optional),
        ),
        cash_ceiling=CashCeiling(
            absolute=draw(optional),
            share=draw(SHARES),
        ),
        eligible_return_types=return_types,
        excluded_nationalities=rarely(draw, EXCLUDED),
        window_months=draw(st.integers(1, 24)),
        look_back_years=draw(st.integers(0, 5)),
    )
    problems = validate_policy(policy)
    assert problems == [], problems
    return policy


@st.composite
def members(draw: st.DrawFn, index: int, role: Role, ref: str, return_date: dt.date) -> Member:
    """A member born on or before `return_date` (a birth year counts as 1 July)."""
    vulnerabilities = draw(subsets(KINDS, 3)) if draw(RARELY) else ()
    member = Member(
        member_id=f"m{index}",
        person_id=ref,
        role=role,
        nationality=draw(NATIONALITY),
        vulnerabilities=vulnerabilities,
    )
    days = draw(st.integers(0, 90)) * 365 + draw(st.integers(0, 365))
    born = return_date - dt.timedelta(days=days)
    if draw(st.booleans()):
        return msgspec.structs.replace(member, birth_date=born)
    year = born.year if dt.date(born.year, 7, 1) <= return_date else born.year - 1
    return msgspec.structs.replace(member, birth_year=year)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A household of 1-8 members, exactly one of them the principal, at any position."""
    return_date = draw(st.dates(dt.date(2018, 1, 1), dt.date(2025, 12, 31)))
    size = draw(st.integers(1, 8))
    principal = draw(st.integers(0, size - 1))
    refs = draw(st.permutations(REFS))[:size]
    return Case(
        case_id=CASE_ID,
        programme_id="prog",
        office="office",
        country_of_return=draw(st.sampled_from(COUNTRIES)),
        return_date=return_date,
        return_type=draw(st.sampled_from(ReturnType)),
        members=tuple(
            draw(
                members(
                    i, Role.PRINCIPAL if i == principal else Role.DEPENDANT, refs[i], return_date
                )
            )
            for i in range(size)
        ),
    )


def as_of_dates(case: Case) -> st.SearchStrategy[dt.date]:
    """The day the entitlement is computed: from the return date to six years after."""
    return st.dates(case.return_date, case.return_date + dt.timedelta(days=6 * 366))


def histories(case: Case, as_of: dt.date) -> st.SearchStrategy[list[PriorAssistance]]:
    """Assistance approved for members of `case` or others, in it or another case: mostly
    before `as_of`, sometimes after it (which the look-back does not count)."""
    refs = (*(m.person_id for m in case.members), "ref-other")
    return st.lists(
        st.builds(
            PriorAssistance,
            person_id=st.sampled_from(refs),
            case_id=st.sampled_from((CASE_ID, *OTHER_CASES)),
            programme_id=st.sampled_from(("prog", "other")),
            approved_on=st.dates(as_of - dt.timedelta(days=8 * 366), as_of + dt.timedelta(days=90)),
        ),
        max_size=3,
    )


def with_member(case: Case, member: Member, position: int) -> Case:
    """`case` with `member` inserted at `position`."""
    members = list(case.members)
    members.insert(position, member)
    return msgspec.structs.replace(case, members=tuple(members))


@dataclasses.dataclass(frozen=True, kw_only=True)
class Scenario:
    """One call of `entitlement`: a policy, a case, the day, and earlier assistance.

    A dataclass rather than a msgspec struct, so that Hypothesis prints a failing example."""

    policy: Policy
    case: Case
    as_of: dt.date
    history: tuple[PriorAssistance, ...]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    case = draw(cases())
    as_of = draw(as_of_dates(case))
    return Scenario(
        policy=draw(policies()), case=case, as_of=as_of, history=tuple(draw(histories(case, as_of)))
    )
