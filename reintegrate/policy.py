"""Cap policies: a programme's pull-factor rules as a versioned data document.

A policy is TOML or JSON, decoded with msgspec into the structs below, then checked by
`validate_policy`, which returns every problem with the field it concerns. Amounts are
decimal strings in the policy currency. What each rule means is explained in
`docs/policies.md`; `reintegrate.entitlement` applies them.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

import msgspec

from reintegrate import texts
from reintegrate.cases import ReturnType, Vulnerability
from reintegrate.countries import is_country_code
from reintegrate.errors import DomainError
from reintegrate.money import InvalidAmount, UnknownCurrency, minor_digits, parse_amount
from reintegrate.policy_base import (
    Amount,
    DocumentInvalid,
    Name,
    Problem,
    Wording,
    _Strict,
    label_of,
    load_document,
)
from reintegrate.policy_base import Text as Prose
from reintegrate.policy_business import BusinessRules, validate_business
from reintegrate.policy_community import CommunityRules, validate_community
from reintegrate.surveys.plan import MonitoringPlan, validate_monitoring
from reintegrate.texts import Text

__all__ = ["Amount", "BusinessRules", "Name", "Problem", "Prose", "Wording", "label_of"]

CashPart = Annotated[str, msgspec.Meta(max_length=24)]
"""How much of a line may be paid in cash: "all", "none", or a decimal amount."""


class AppliesTo(enum.StrEnum):
    PRINCIPAL = "principal"
    DEPENDANT = "dependant"
    EVERYONE = "everyone"


class AgeBand(_Strict, frozen=True, kw_only=True):
    name: Name
    min_age: Annotated[int, msgspec.Meta(ge=0, le=150)] = 0
    max_age: Annotated[int, msgspec.Meta(ge=0, le=150)] | None = None
    """Inclusive; none means no upper bound."""

    def contains(self, age: int) -> bool:
        return self.min_age <= age and (self.max_age is None or age <= self.max_age)


class Stage(_Strict, frozen=True, kw_only=True):
    name: Name
    opens_months_after_return: Annotated[int, msgspec.Meta(ge=0, le=120)] = 0


class PersonAmount(_Strict, frozen=True, kw_only=True):
    label: Wording
    amount: Amount
    applies_to: AppliesTo = AppliesTo.EVERYONE
    age_bands: tuple[Name, ...] = ()
    categories: tuple[Name, ...] = ()
    return_types: tuple[ReturnType, ...] = ()
    cash: CashPart = "none"
    stage: Name | None = None


class HouseholdAddOn(_Strict, frozen=True, kw_only=True):
    label: Wording
    amount: Amount
    min_members: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1
    cash: CashPart = "none"
    stage: Name | None = None


class Household(_Strict, frozen=True, kw_only=True):
    cap: Amount | None = None
    add_ons: tuple[HouseholdAddOn, ...] = ()


class TopUp(_Strict, frozen=True, kw_only=True):
    kind: Vulnerability
    label: Wording = ""
    amount: Amount
    cash: CashPart = "none"
    stage: Name | None = None


class Vulnerabilities(_Strict, frozen=True, kw_only=True):
    top_ups: tuple[TopUp, ...] = ()
    max_per_person: Amount | None = None
    max_per_household: Amount | None = None


class CashCeiling(_Strict, frozen=True, kw_only=True):
    absolute: Amount | None = None
    """Most cash a household may get in all its packages."""
    share: Annotated[str, msgspec.Meta(max_length=12)] | None = None
    """Most cash as a share of each package, e.g. "0.3"."""
    per_person: Amount | None = None
    """Most cash one person may get in all the household's packages."""
    per_person_share: Annotated[str, msgspec.Meta(max_length=12)] | None = None
    """Most cash one person may get, as a share of their own entitlement, e.g. "0.5"."""


class StayFactor(_Strict, frozen=True, kw_only=True):
    """Amounts multiplied by `factor` when the stay in the host country was shorter than
    `shorter_than_months` (e.g. the Swiss programme halves them under three months)."""

    shorter_than_months: Annotated[int, msgspec.Meta(ge=1, le=1200)]
    factor: Annotated[str, msgspec.Meta(max_length=12)]
    """A decimal 0..1, e.g. "0.5"."""


class Countries(_Strict, frozen=True, kw_only=True):
    categories: dict[Name, tuple[str, ...]] = msgspec.field(default_factory=dict)
    default_category: Name | None = None
    """Category of countries not listed; none means they are not eligible."""
    ineligible_categories: tuple[Name, ...] = ()


class Policy(_Strict, frozen=True, kw_only=True):
    programme: Name
    version: Name
    name: Prose
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
    effective_from: dt.date
    effective_until: dt.date | None = None
    source: Prose = ""
    countries: Countries = msgspec.field(default_factory=Countries)
    age_bands: tuple[AgeBand, ...] = ()
    stages: tuple[Stage, ...] = (Stage(name="single"),)
    person_amounts: tuple[PersonAmount, ...] = ()
    household: Household = msgspec.field(default_factory=Household)
    vulnerability: Vulnerabilities = msgspec.field(default_factory=Vulnerabilities)
    cash_ceiling: CashCeiling = msgspec.field(default_factory=CashCeiling)
    stay_factors: tuple[StayFactor, ...] = ()
    """Person amounts reduced after a short stay (the factor of the lowest threshold the stay
    is under); household add-ons and top-ups are not."""
    eligible_return_types: tuple[ReturnType, ...] = tuple(ReturnType)
    excluded_nationalities: tuple[str, ...] = ()
    window_months: Annotated[int, msgspec.Meta(ge=1, le=120)] = 12
    look_back_years: Annotated[int, msgspec.Meta(ge=0, le=50)] = 0
    retention_years: Annotated[int, msgspec.Meta(ge=0, le=100)] = 0
    """Years after a case closes that its people's records are kept; 0: until erased on
    request (`reintegrate retention run` erases what is due)."""
    business: BusinessRules | None = None
    """How business plans are assessed and paid; without it the programme funds none."""
    community: CommunityRules | None = None
    """What community projects must include and how they count; without it, none are funded."""
    evidence_minimum_group: Annotated[int, msgspec.Meta(ge=5, le=1000)] | None = None
    """The smallest group of persons the evidence on outcomes shows, when the programme wants
    more than the setting (`reintegrate.outcomes.cells.minimum_cell`: never fewer)."""
    monitoring: MonitoringPlan | None = None
    """The follow-ups after return (`surveys.plan`); without it, none fall due."""

    def minor(self, amount: str) -> int:
        return parse_amount(amount, self.currency)

    def cash_part(self, cash: str, amount: int) -> int:
        """Minor units of a line of `amount` that may be paid in cash."""
        if cash == "all":
            return amount
        if cash == "none":
            return 0
        return min(amount, self.minor(cash))

    def stage_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    def stage_of(self, stage: str | None) -> str:
        return stage or self.stages[0].name

    def country_is_eligible(self, country: str) -> bool:
        """A country of return in a category, and not an ineligible one."""
        category = self.category_of(country)
        return category is not None and category not in self.countries.ineligible_categories

    def category_of(self, country: str) -> str | None:
        for name, codes in self.countries.categories.items():
            if country in codes:
                return name
        return self.countries.default_category


class PolicyInvalid(DocumentInvalid):
    type = "policy-invalid"


def load_policy(data: bytes | str, fmt: Literal["toml", "json"] = "toml") -> Policy:
    """Decode and validate a policy document; `PolicyInvalid` lists every problem found."""
    return load_document(
        data,
        fmt,
        Policy,
        what=texts.Text("policy"),
        refused=PolicyInvalid,
        validate=validate_policy,
        named=lambda policy: f"{policy.programme} {policy.version}",
    )


def policy_to_json(policy: Policy) -> bytes:
    return msgspec.json.encode(policy)


def validate_policy(policy: Policy) -> list[Problem]:
    """Every problem of a decoded policy, each naming its field; empty when it is sound."""
    try:
        minor_digits(policy.currency)
    except UnknownCurrency:
        return [Problem("$.currency", _not_a_currency(policy.currency))]
    return [
        *_validate_dates(policy),
        *_validate_countries(policy),
        *_validate_bands_and_stages(policy),
        *_validate_lines(policy),
        *_validate_caps(policy),
        *(validate_business(policy.business) if policy.business else []),
        *(validate_community(policy.community, policy.currency) if policy.community else []),
        *(validate_monitoring(policy.monitoring) if policy.monitoring else []),
    ]


def _validate_dates(policy: Policy) -> list[Problem]:
    until = policy.effective_until
    if until is not None and until <= policy.effective_from:
        return [Problem("$.effective_until", texts.Text("must be after effective_from"))]
    return []


def _validate_countries(policy: Policy) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for category, codes in policy.countries.categories.items():
        for i, code in enumerate(codes):
            where = f"$.countries.categories.{category}[{i}]"
            if not is_country_code(code):
                problems.append(Problem(where, _not_a_country(code)))
            elif code in seen:
                already = texts.Text(
                    "{code} is already in category {category}", code=code, category=seen[code]
                )
                problems.append(Problem(where, already))
            seen[code] = category
    known = set(policy.countries.categories)
    default = policy.countries.default_category
    if default is not None:
        known.add(default)
    for i, name in enumerate(policy.countries.ineligible_categories):
        if name not in known:
            where = f"$.countries.ineligible_categories[{i}]"
            problems.append(Problem(where, texts.Text("unknown category '{name}'", name=name)))
    for i, code in enumerate(policy.excluded_nationalities):
        if not is_country_code(code):
            where = f"$.excluded_nationalities[{i}]"
            problems.append(Problem(where, _not_a_country(code)))
    return problems


def _validate_bands_and_stages(policy: Policy) -> list[Problem]:
    problems: list[Problem] = []
    for what, names in (
        ("age_bands", [b.name for b in policy.age_bands]),
        ("stages", [s.name for s in policy.stages]),
    ):
        if len(set(names)) != len(names):
            problems.append(Problem(f"$.{what}", texts.Text("two entries share a name")))
    for i, band in enumerate(policy.age_bands):
        if band.max_age is not None and band.max_age < band.min_age:
            below = texts.Text("is below min_age")
            problems.append(Problem(f"$.age_bands[{i}].max_age", below))
        for other in policy.age_bands[:i]:
            if band.min_age <= (other.max_age if other.max_age is not None else 150) and (
                other.min_age <= (band.max_age if band.max_age is not None else 150)
            ):
                problems.append(
                    Problem(
                        f"$.age_bands[{i}]",
                        texts.Text(
                            "overlaps age band '{band}': a person is in one band", band=other.name
                        ),
                    )
                )
    if not policy.stages:
        problems.append(Problem("$.stages", texts.Text("a policy needs at least one stage")))
    months = [s.opens_months_after_return for s in policy.stages]
    if months != sorted(months):
        in_order = texts.Text("stages must be listed in the order they open")
        problems.append(Problem("$.stages", in_order))
    return problems


def _validate_lines(policy: Policy) -> list[Problem]:
    problems: list[Problem] = []
    bands = {b.name for b in policy.age_bands}
    categories = set(policy.countries.categories) | {policy.countries.default_category}
    lines: list[tuple[str, PersonAmount | HouseholdAddOn | TopUp]] = [
        *((f"$.person_amounts[{i}]", line) for i, line in enumerate(policy.person_amounts)),
        *((f"$.household.add_ons[{i}]", line) for i, line in enumerate(policy.household.add_ons)),
        *((f"$.vulnerability.top_ups[{i}]", t) for i, t in enumerate(policy.vulnerability.top_ups)),
    ]
    for where, line in lines:
        problems += _check_amount(policy, line.amount, f"{where}.amount")
        if line.cash not in ("all", "none"):
            problems += _check_amount(policy, line.cash, f"{where}.cash", cash=True)
        if line.stage is not None and line.stage not in policy.stage_names():
            unknown = texts.Text("unknown stage '{stage}'", stage=line.stage)
            problems.append(Problem(f"{where}.stage", unknown))
        if isinstance(line, PersonAmount):
            problems += [
                Problem(f"{where}.age_bands", texts.Text("unknown age band '{band}'", band=b))
                for b in line.age_bands
                if b not in bands
            ]
            problems += [
                Problem(
                    f"{where}.categories",
                    texts.Text("unknown country category '{category}'", category=c),
                )
                for c in line.categories
                if c not in categories
            ]
    kinds = [t.kind for t in policy.vulnerability.top_ups]
    if len(set(kinds)) != len(kinds):
        twice = texts.Text("a vulnerability has two top-ups")
        problems.append(Problem("$.vulnerability.top_ups", twice))
    return problems


def _validate_caps(policy: Policy) -> list[Problem]:
    problems: list[Problem] = []
    for where, value in (
        ("$.household.cap", policy.household.cap),
        ("$.vulnerability.max_per_person", policy.vulnerability.max_per_person),
        ("$.vulnerability.max_per_household", policy.vulnerability.max_per_household),
        ("$.cash_ceiling.absolute", policy.cash_ceiling.absolute),
        ("$.cash_ceiling.per_person", policy.cash_ceiling.per_person),
    ):
        if value is not None:
            problems += _check_amount(policy, value, where)
    for where, share in (
        ("$.cash_ceiling.share", policy.cash_ceiling.share),
        ("$.cash_ceiling.per_person_share", policy.cash_ceiling.per_person_share),
    ):
        if share is not None and _as_share(share) is None:
            not_share = texts.Text("'{share}' is not a share 0..1", share=share)
            problems.append(Problem(where, not_share))
    for i, stay in enumerate(policy.stay_factors):
        if _as_share(stay.factor) is None:
            where = f"$.stay_factors[{i}].factor"
            not_factor = texts.Text("'{factor}' is not a factor 0..1", factor=stay.factor)
            problems.append(Problem(where, not_factor))
    thresholds = [s.shorter_than_months for s in policy.stay_factors]
    if len(set(thresholds)) != len(thresholds):
        shared = texts.Text("two factors share a threshold")
        problems.append(Problem("$.stay_factors", shared))
    return problems


def _as_share(text: str) -> Decimal | None:
    """`text` as a share 0..1 written as a plain decimal, or None."""
    try:
        share = Decimal(text)
    except InvalidOperation:
        return None
    ok = share.is_finite() and 0 <= share <= 1 and "e" not in text.lower()
    return share if ok else None


def _check_amount(policy: Policy, value: str, where: str, *, cash: bool = False) -> list[Problem]:
    """No problem when `value` is an amount of the policy's currency (or, for a `cash` part,
    "all" or "none", checked before)."""
    try:
        policy.minor(value)
    except InvalidAmount as exc:
        currency, problem = policy.currency, exc.text
        expected = (
            texts.Text(
                'expected "all", "none" or an amount in {currency}: {problem}',
                currency=currency,
                problem=problem,
            )
            if cash
            else texts.Text(
                "expected an amount in {currency}: {problem}", currency=currency, problem=problem
            )
        )
        return [Problem(where, expected)]
    return []


def _not_a_currency(code: str) -> texts.Text:
    return texts.Text("'{code}' is not an ISO 4217 currency", code=code)


def _not_a_country(code: str) -> texts.Text:
    return texts.Text("'{code}' is not an ISO 3166-1 alpha-2 code", code=code)


def cash_share(policy: Policy) -> Decimal | None:
    share = policy.cash_ceiling.share
    return Decimal(share) if share is not None else None


def stay_factor(policy: Policy, stay_months: int | None) -> tuple[Decimal | None, Text | None]:
    """The factor a stay of `stay_months` brings to the amounts (None: none applies), and
    why, for the explanation (None: the stay is not a reason)."""
    if not policy.stay_factors:
        return None, None
    if stay_months is None:
        return None, Text("stay in the host country not recorded: amounts not reduced")
    for rule in sorted(policy.stay_factors, key=lambda s: s.shorter_than_months):
        if stay_months < rule.shorter_than_months:
            return Decimal(rule.factor), Text(
                "x {factor}: a stay of {months} months, shorter than {threshold}",
                factor=Decimal(rule.factor),
                months=stay_months,
                threshold=rule.shorter_than_months,
            )
    return None, None


def person_cash_share(policy: Policy) -> Decimal | None:
    share = policy.cash_ceiling.per_person_share
    return Decimal(share) if share is not None else None


class NoPolicyInForce(DomainError):
    type = "no-policy-in-force"


def policy_in_force(versions: list[Policy], day: dt.date) -> Policy:
    """The version effective on `day`: the latest `effective_from <= day` not yet ended."""
    candidates = [
        p
        for p in versions
        if p.effective_from <= day and (p.effective_until is None or day < p.effective_until)
    ]
    if not candidates:
        raise NoPolicyInForce(
            texts.Text("no policy version is in force on {day}", day=day), field="as_of"
        )
    return max(candidates, key=lambda p: p.effective_from)


class PolicyVersionRefused(DomainError):
    type = "policy-version-refused"


def check_new_version(existing: list[Policy], new: Policy, today: dt.date) -> Policy:
    """A new version has its own name and takes effect after every version already adopted
    and, unless it is the programme's first, not before the day it is adopted.

    Back-dating is refused so that the version in force on any day never changes once a
    decision may have been taken under it.
    """
    if any(p.version == new.version for p in existing):
        raise PolicyVersionRefused(
            texts.Text("policy version {version} exists already", version=new.version),
            field="version",
        )
    if existing and new.effective_from < today:
        raise PolicyVersionRefused(
            texts.Text(
                "version {version} would take effect on {effective_from}, before the day it is "
                "adopted ({today}): decisions may already have been taken under the version then "
                "in force",
                version=new.version,
                effective_from=new.effective_from,
                today=today,
            ),
            field="effective_from",
        )
    latest = max((p.effective_from for p in existing), default=None)
    if latest is not None and new.effective_from <= latest:
        raise PolicyVersionRefused(
            texts.Text(
                "version {version} takes effect on {effective_from}, not after the latest "
                "version already adopted ({latest})",
                version=new.version,
                effective_from=new.effective_from,
                latest=latest,
            ),
            field="effective_from",
        )
    return new
