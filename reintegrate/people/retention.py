"""Retention: how long a person's record is kept once their cases are closed.

A case closes when it has packages and every one is closed or cancelled
(`registry.case_is_open`); its closing day is the day of the last of those. A person is due
for erasure once every case they belong to has been closed for its programme's
`retention_years`; a programme with 0 keeps records until an erasure is asked, and a person
in an open case, or in no case at all, is never due.
"""

from __future__ import annotations

import datetime as dt

import msgspec


class CaseEnd(msgspec.Struct, frozen=True, kw_only=True):
    case_id: str
    closed_on: dt.date | None
    """None while the case is open."""
    retention_years: int
    """Of the case's programme's policy in force."""


class RetentionDue(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    due_on: dt.date
    cases: tuple[str, ...]


def due_on(cases: list[CaseEnd]) -> dt.date | None:
    """The day from which a person of `cases` is due for erasure; None if never (yet)."""
    if not cases:
        return None
    days = []
    for case in cases:
        if case.closed_on is None or case.retention_years == 0:
            return None
        days.append(_years_after(case.closed_on, case.retention_years))
    return max(days)


def retention_due(person_id: str, cases: list[CaseEnd], today: dt.date) -> RetentionDue | None:
    """`person_id`'s erasure if it is due by `today`."""
    day = due_on(cases)
    if day is None or day > today:
        return None
    return RetentionDue(
        person_id=person_id, due_on=day, cases=tuple(sorted(c.case_id for c in cases))
    )


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
