"""What a household may get under a policy, with the reason for every amount.

`entitlement(policy, case, as_of)` applies the policy's rules in a fixed order:
1. case eligibility: return type, country category, look-back;
2. per person: every matching `person_amounts` line (age on the return date, role, category),
   times the policy's factor for a short stay in the host country (`stay_factors`);
   members of an excluded nationality get nothing;
3. household add-ons, credited to the principal; then the household cap on 2 + 3;
4. vulnerability top-ups per person, bounded per person and per household (outside the cap);
5. the cash ceiling: the cash parts of the lines, bounded by the absolute ceiling; and per
   person, the cash parts of their own lines, bounded by the ceilings per person;
6. stages: each line's stage, opening N months after return; what the stages opened so far
   allow the household and each person, in all and in cash (`reintegrate.stages`).
All amounts are integer minor units of the policy currency. Every label and reason is words
for people (`texts`): a policy's label with its own translations, or a message.
"""

from __future__ import annotations

import calendar
import datetime as dt

import msgspec

from reintegrate.case_words import RETURN_TYPES, ROLES, VULNERABILITIES
from reintegrate.cases import (
    Case,
    Member,
    PriorAssistance,
    Role,
    Vulnerability,
    age_on,
    look_back_hits,
)
from reintegrate.policy import (
    AppliesTo,
    PersonAmount,
    Policy,
    label_of,
    person_cash_share,
    stay_factor,
)
from reintegrate.stages import PersonLines, StageAmount, opened_by, stage_amounts
from reintegrate.texts import Label, Text, Words

_OWN_LINES = Text("cash parts of the person's lines")


class Line(msgspec.Struct, frozen=True, kw_only=True):
    label: Words
    amount: int
    cash: int
    stage: str
    reason: Text


class PersonEntitlement(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    role: Role
    age: int
    age_band: str | None
    lines: tuple[Line, ...]
    top_ups: tuple[Line, ...]
    excluded: Text | None
    total: int
    """The person's own limit: lines + top-ups (+ household add-ons for the principal)."""
    cash: int = 0
    """Most of `total` this person may get in cash (`person_cash`); the rest is in kind."""
    cash_reason: Text = _OWN_LINES


class Entitlement(msgspec.Struct, frozen=True, kw_only=True):
    programme: str
    policy_version: str
    currency: str
    as_of: dt.date
    category: str | None
    eligible: bool
    reasons: tuple[Text, ...]
    persons: tuple[PersonEntitlement, ...]
    household_add_ons: tuple[Line, ...]
    before_household_cap: int
    household_cap: int | None
    top_ups: int
    total: int
    cash_ceiling: int
    cash_ceiling_reason: Text
    window_end: dt.date
    look_back: tuple[PriorAssistance, ...]
    stages: tuple[StageAmount, ...]

    def person(self, member_id: str) -> PersonEntitlement | None:
        return next((p for p in self.persons if p.member_id == member_id), None)

    def open_amount(self, day: dt.date) -> int:
        """What the stages opened by `day` allow in all."""
        return opened_by(self.stages, day)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def entitlement(
    policy: Policy, case: Case, as_of: dt.date, history: list[PriorAssistance] | None = None
) -> Entitlement:
    """The explained entitlement of `case` under `policy` on `as_of`."""
    category = policy.category_of(case.country_of_return)
    hits = tuple(look_back_hits(case, history or [], as_of, policy.look_back_years))
    reasons = _ineligibility(policy, case, category, hits)
    persons = [_person(policy, case, m, category) for m in case.members]
    add_ons = tuple(_add_ons(policy, case))
    base = sum(p.total for p in persons) + sum(a.amount for a in add_ons)
    cap = policy.minor(policy.household.cap) if policy.household.cap else None
    capped = base if cap is None else min(base, cap)
    top_up_total = _bounded_top_ups(policy, persons)
    persons = _with_add_ons_and_top_ups(persons, add_ons, top_up_total)
    persons = [person_cash(policy, p, add_ons, top_up_total[p.member_id]) for p in persons]
    total = 0 if reasons else capped + sum(top_up_total.values())
    cash, cash_reason = _cash_ceiling(
        policy, persons, add_ons, capped=capped, top_ups=top_up_total, total=total
    )
    return Entitlement(
        programme=policy.programme,
        policy_version=policy.version,
        currency=policy.currency,
        as_of=as_of,
        category=category,
        eligible=not reasons,
        reasons=tuple(reasons),
        persons=tuple(persons),
        household_add_ons=add_ons,
        before_household_cap=base,
        household_cap=cap,
        top_ups=sum(top_up_total.values()),
        total=total,
        cash_ceiling=cash,
        cash_ceiling_reason=cash_reason,
        window_end=add_months(case.return_date, policy.window_months),
        look_back=hits,
        stages=_stages(
            policy,
            case,
            persons,
            add_ons,
            capped=capped if total else 0,
            top_ups=top_up_total if total else dict.fromkeys(top_up_total, 0),
            cash_ceiling=cash,
        ),
    )


def _ineligibility(
    policy: Policy, case: Case, category: str | None, hits: tuple[PriorAssistance, ...]
) -> list[Text]:
    reasons: list[Text] = []
    if case.return_type not in policy.eligible_return_types:
        kind = RETURN_TYPES[case.return_type]
        reasons.append(Text("return type '{kind}' is not eligible under this policy", kind=kind))
    if category is None:
        country = case.country_of_return
        reasons.append(
            Text("country of return {country} is in no eligible category", country=country)
        )
    elif category in policy.countries.ineligible_categories:
        reasons.append(Text("country category '{category}' is not eligible", category=category))
    if case.principal.nationality in policy.excluded_nationalities:
        nationality = case.principal.nationality
        reasons.append(
            Text("nationality {nationality} is excluded by this policy", nationality=nationality)
        )
    for hit in hits:
        reasons.append(
            Text(
                "a member was assisted on {day}, within the {years}-year look-back",
                day=hit.approved_on,
                years=policy.look_back_years,
            )
        )
    return reasons


def _band(policy: Policy, age: int) -> str | None:
    return next((b.name for b in policy.age_bands if b.contains(age)), None)


def _matches(
    rule: PersonAmount, member: Member, band: str | None, case: Case, cat: str | None
) -> bool:
    role_ok = rule.applies_to is AppliesTo.EVERYONE or rule.applies_to.value == member.role.value
    return (
        role_ok
        and (not rule.age_bands or band in rule.age_bands)
        and (not rule.categories or cat in rule.categories)
        and (not rule.return_types or case.return_type in rule.return_types)
    )


def _person(policy: Policy, case: Case, member: Member, category: str | None) -> PersonEntitlement:
    age = age_on(member, case.return_date)
    band = _band(policy, age)
    excluded = (
        Text("nationality {nationality} is excluded", nationality=member.nationality)
        if member.nationality in policy.excluded_nationalities
        else None
    )
    lines: list[Line] = []
    if excluded is None:
        for rule in policy.person_amounts:
            if _matches(rule, member, band, case, category):
                amount, stay = _after_stay(policy, case, policy.minor(rule.amount))
                why = _why(member, age, band, category)
                lines.append(
                    Line(
                        label=label_of(rule.label),
                        amount=amount,
                        cash=policy.cash_part(rule.cash, amount),
                        stage=policy.stage_of(rule.stage),
                        reason=why if stay is None else Text("{why}; {stay}", why=why, stay=stay),
                    )
                )
    top_ups = tuple(
        Line(
            label=_top_up_label(label_of(t.label), t.kind),
            amount=policy.minor(t.amount),
            cash=policy.cash_part(t.cash, policy.minor(t.amount)),
            stage=policy.stage_of(t.stage),
            reason=Text("vulnerability: {kind}", kind=VULNERABILITIES[t.kind]),
        )
        for t in policy.vulnerability.top_ups
        if t.kind in member.vulnerabilities and excluded is None
    )
    return PersonEntitlement(
        member_id=member.member_id,
        role=member.role,
        age=age,
        age_band=band,
        lines=tuple(lines),
        top_ups=top_ups,
        excluded=excluded,
        total=sum(line.amount for line in lines),
    )


def _why(member: Member, age: int, band: str | None, category: str | None) -> Text:
    """Why a person's line applies: their role, age and band, and the country's category."""
    return Text(
        "{role}, age {age} on return ({band}), {category}",
        role=ROLES[member.role],
        age=age,
        band=Text("no age band") if band is None else Text("band {band}", band=band),
        category=Text("no country category")
        if category is None
        else Text("country category {category}", category=category),
    )


def _top_up_label(label: Label, kind: Vulnerability) -> Words:
    """A top-up's label: the policy's, else the vulnerability it is for."""
    return label if label.english else Text("top-up: {kind}", kind=VULNERABILITIES[kind])


def _add_ons(policy: Policy, case: Case) -> list[Line]:
    size = len(case.members)
    return [
        Line(
            label=label_of(a.label),
            amount=policy.minor(a.amount),
            cash=policy.cash_part(a.cash, policy.minor(a.amount)),
            stage=policy.stage_of(a.stage),
            reason=Text(
                "household of {size} (from {least} members)", size=size, least=a.min_members
            ),
        )
        for a in policy.household.add_ons
        if size >= a.min_members
    ]


def _after_stay(policy: Policy, case: Case, amount: int) -> tuple[int, Text | None]:
    """`amount` after the policy's factor for the case's stay in the host country (rounded
    down to the minor unit), and the words the line's reason gains from it (None: none)."""
    factor, why = stay_factor(policy, case.stay_months)
    reduced = amount if factor is None else int(factor * amount)
    return reduced, why


def _bounded_top_ups(policy: Policy, persons: list[PersonEntitlement]) -> dict[str, int]:
    """Each person's top-ups after the per-person and then the per-household maximum."""
    per_person = policy.vulnerability.max_per_person
    per_household = policy.vulnerability.max_per_household
    result: dict[str, int] = {}
    left = policy.minor(per_household) if per_household else None
    for person in persons:
        amount = sum(t.amount for t in person.top_ups)
        if per_person:
            amount = min(amount, policy.minor(per_person))
        if left is not None:
            amount = min(amount, left)
            left -= amount
        result[person.member_id] = amount
    return result


def _with_add_ons_and_top_ups(
    persons: list[PersonEntitlement], add_ons: tuple[Line, ...], top_ups: dict[str, int]
) -> list[PersonEntitlement]:
    add_on_total = sum(a.amount for a in add_ons)
    return [
        msgspec.structs.replace(
            p,
            total=p.total
            + top_ups[p.member_id]
            + (add_on_total if p.role is Role.PRINCIPAL else 0),
        )
        for p in persons
    ]


def person_cash(
    policy: Policy, person: PersonEntitlement, add_ons: tuple[Line, ...], top_ups: int
) -> PersonEntitlement:
    """The person's cash limit: the cash parts of their own lines (the household add-ons' for
    the principal, their top-ups' up to the top-ups granted), within their total, then within
    the policy's cash ceiling per person, absolute and as a share of their total. A line whose
    cash part is 0 is in kind only, so cash is never drawn on it through another line."""
    own = [*person.lines, *(add_ons if person.role is Role.PRINCIPAL else ())]
    top_up_cash = min(sum(t.cash for t in person.top_ups), top_ups)
    cash = min(sum(line.cash for line in own) + top_up_cash, person.total)
    reason = _OWN_LINES
    ceiling = policy.cash_ceiling
    if ceiling.per_person is not None and policy.minor(ceiling.per_person) < cash:
        cash = policy.minor(ceiling.per_person)
        reason = Text("the policy's cash ceiling per person")
    share = person_cash_share(policy)
    if share is not None and int(share * person.total) < cash:
        cash = int(share * person.total)
        reason = Text(
            "the policy's cash share per person ({share} of the person's total)", share=share
        )
    return msgspec.structs.replace(person, cash=cash, cash_reason=reason)


def _cash_ceiling(
    policy: Policy,
    persons: list[PersonEntitlement],
    add_ons: tuple[Line, ...],
    *,
    capped: int,
    top_ups: dict[str, int],
    total: int,
) -> tuple[int, Text]:
    """Cash parts bounded as their lines are: base lines by the household cap, each person's
    top-ups by what is left of them after the per-person and per-household maxima."""
    base_lines = [line for p in persons for line in p.lines] + list(add_ons)
    base_cash = min(sum(line.cash for line in base_lines), capped)
    top_up_cash = sum(min(sum(t.cash for t in p.top_ups), top_ups[p.member_id]) for p in persons)
    cash = min(base_cash + top_up_cash, total)
    reason = Text("cash parts of the entitlement's lines")
    absolute = policy.cash_ceiling.absolute
    if absolute is not None and policy.minor(absolute) < cash:
        cash, reason = policy.minor(absolute), Text("the policy's absolute cash ceiling")
    return cash, reason


def _stages(
    policy: Policy,
    case: Case,
    persons: list[PersonEntitlement],
    add_ons: tuple[Line, ...],
    *,
    capped: int,
    top_ups: dict[str, int],
    cash_ceiling: int,
) -> tuple[StageAmount, ...]:
    """What each stage opens for the household and for each person (`stages.stage_amounts`)."""
    return stage_amounts(
        [
            (s.name, add_months(case.return_date, s.opens_months_after_return))
            for s in policy.stages
        ],
        [
            PersonLines(
                member_id=p.member_id,
                lines=(*p.lines, *(add_ons if p.role is Role.PRINCIPAL else ())),
                top_ups=p.top_ups,
                top_ups_granted=top_ups[p.member_id],
                total=p.total,
                cash=p.cash,
            )
            for p in persons
        ],
        capped=capped,
        cash_ceiling=cash_ceiling,
    )
