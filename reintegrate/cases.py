"""Returning households (cases), their members, vulnerabilities, and the identity look-back.

A case is one household returning together under one programme. Members are named by a
case-local `member_id` and the pseudonymous `person_id` of their record in the person registry
(`reintegrate.people`), never by name. The facts the rules read (birth, nationality,
vulnerabilities) come from that sealed record and are never copied into journal events.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate.countries import is_country_code
from reintegrate.errors import ValidationFailed
from reintegrate.ids import check_id
from reintegrate.texts import Text

MAX_MEMBERS = 30
MAX_STAY_MONTHS = 1200


class ReturnType(enum.StrEnum):
    SPONTANEOUS = "spontaneous"
    ASSISTED_VOLUNTARY = "assisted_voluntary"
    FORCED = "forced"


class Role(enum.StrEnum):
    PRINCIPAL = "principal"
    DEPENDANT = "dependant"


class Vulnerability(enum.StrEnum):
    VICTIM_OF_TRAFFICKING = "victim_of_trafficking"
    TORTURE_SURVIVOR = "torture_survivor"
    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    SERIOUS_MEDICAL_CONDITION = "serious_medical_condition"
    ELDERLY = "elderly"
    SINGLE_PARENT = "single_parent"
    DISABILITY = "disability"
    WOMAN_AT_RISK = "woman_at_risk"
    REFUGEE = "refugee"


class Member(msgspec.Struct, frozen=True, kw_only=True):
    """A member as the rules see them. The facts after `role` are the person's, read from
    their record: a member given to register a case needs only its ids and role."""

    member_id: str
    person_id: str
    role: Role
    nationality: str = ""
    birth_date: dt.date | None = None
    birth_year: int | None = None
    vulnerabilities: tuple[Vulnerability, ...] = ()


class Case(msgspec.Struct, frozen=True, kw_only=True):
    case_id: str
    programme_id: str
    office: str
    country_of_return: str
    return_date: dt.date
    return_type: ReturnType
    members: tuple[Member, ...]
    stay_months: int | None = None
    """Whole months the principal stayed in the host country before returning, where known
    (a policy's stay factors read it); only the months are kept, never an arrival date."""

    @property
    def principal(self) -> Member:
        return next(m for m in self.members if m.role is Role.PRINCIPAL)

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.members if m.member_id == member_id), None)


class PriorAssistance(msgspec.Struct, frozen=True, kw_only=True):
    """Assistance approved for a person in some case (any programme) on a given day."""

    person_id: str
    case_id: str
    programme_id: str
    approved_on: dt.date


def birth_day(member: Member) -> dt.date:
    """The birth date, or 1 July of the birth year when only the year is known."""
    if member.birth_date is not None:
        return member.birth_date
    assert member.birth_year is not None, "validated members have a birth date or year"
    return dt.date(member.birth_year, 7, 1)


def age_on(member: Member, day: dt.date) -> int:
    """Age in whole years on `day`."""
    born = birth_day(member)
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


def validate_case(case: Case, today: dt.date) -> Case:
    """`case` itself if it is a coherent household; else `ValidationFailed` naming the field."""
    check_id(case.case_id, "case_id")
    check_id(case.office, "office")
    if not is_country_code(case.country_of_return):
        raise ValidationFailed(
            Text(
                "'{country}' is not an ISO 3166-1 alpha-2 country code",
                country=case.country_of_return,
            ),
            field="country_of_return",
        )
    if case.return_date > today:
        raise ValidationFailed(
            Text("return_date {date} is in the future", date=case.return_date),
            field="return_date",
        )
    if not 1 <= len(case.members) <= MAX_MEMBERS:
        raise ValidationFailed(
            Text(
                "a case has 1 to {most} members, not {count}",
                most=MAX_MEMBERS,
                count=len(case.members),
            ),
            field="members",
        )
    principals = [m for m in case.members if m.role is Role.PRINCIPAL]
    if len(principals) != 1:
        raise ValidationFailed(
            Text("a case has exactly one principal member, not {count}", count=len(principals)),
            field="members",
        )
    for field, values in (
        ("member_id", [m.member_id for m in case.members]),
        ("person_id", [m.person_id for m in case.members]),
    ):
        if len(set(values)) != len(values):
            raise ValidationFailed(
                Text("two members share a {field}", field=field), field=f"members.{field}"
            )
    for i, member in enumerate(case.members):
        _validate_member(member, f"members[{i}]", case.return_date)
    if case.stay_months is not None and not 0 <= case.stay_months <= MAX_STAY_MONTHS:
        raise ValidationFailed(
            Text(
                "a stay of {months} months is not 0 to {most}",
                months=case.stay_months,
                most=MAX_STAY_MONTHS,
            ),
            field="stay_months",
        )
    return case


def stay_months(arrived_on: dt.date | None, months: int | None, return_date: dt.date) -> int | None:
    """The stay in the host country in whole months: from the arrival date to the return
    date, or as given when only the months are known; None when neither is."""
    if arrived_on is not None and months is not None:
        raise ValidationFailed(
            Text("give the arrival date in the host country or the stay in months, not both"),
            field="stay_months",
        )
    if arrived_on is None:
        return months
    if arrived_on > return_date:
        raise ValidationFailed(
            Text(
                "arrival in the host country ({arrived_on}) is after the return ({return_date})",
                arrived_on=arrived_on,
                return_date=return_date,
            ),
            field="arrived_in_host_on",
        )
    whole = (return_date.year - arrived_on.year) * 12 + return_date.month - arrived_on.month
    return whole - (return_date.day < arrived_on.day)


def _validate_member(member: Member, where: str, return_date: dt.date) -> None:
    check_id(member.member_id, f"{where}.member_id")
    check_id(member.person_id, f"{where}.person_id")
    if not is_country_code(member.nationality):
        raise ValidationFailed(
            Text(
                "'{country}' is not an ISO 3166-1 alpha-2 country code",
                country=member.nationality,
            ),
            field=f"{where}.nationality",
        )
    if (member.birth_date is None) == (member.birth_year is None):
        raise ValidationFailed(
            Text("give exactly one of birth_date or birth_year"), field=f"{where}.birth_date"
        )
    born = birth_day(member)
    if born.year < 1900 or born > return_date:
        raise ValidationFailed(
            Text("birth must be after 1900 and not after the return date"),
            field=f"{where}.birth_date" if member.birth_date else f"{where}.birth_year",
        )
    if len(set(member.vulnerabilities)) != len(member.vulnerabilities):
        raise ValidationFailed(
            Text("a vulnerability is listed twice"), field=f"{where}.vulnerabilities"
        )


def look_back_hits(
    case: Case, history: list[PriorAssistance], as_of: dt.date, years: int
) -> list[PriorAssistance]:
    """Assistance that any member of `case` got in another case within `years` before `as_of`."""
    if years <= 0:
        return []
    persons = {m.person_id for m in case.members}
    since = _years_before(as_of, years)
    return sorted(
        (
            p
            for p in history
            if p.person_id in persons
            and p.case_id != case.case_id
            and since < p.approved_on <= as_of
        ),
        key=lambda p: (p.approved_on, p.person_id),
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
