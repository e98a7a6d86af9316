"""Request and response bodies of monitoring after return: survey instruments, follow-ups
due and recorded, survey answers and their scores. Scores are decimal strings (0 to 1)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from api.schemas import Id, In, Out
from reintegrate.surveys.schedule import Mode, Outcome

ScoreText = Annotated[str, msgspec.Meta(examples=["0.733333"])]
AnswerName = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class InstrumentVersionView(Out, frozen=True, kw_only=True):
    instrument_id: str
    version: int
    """The version adopted; the latest one already adopted when the document is unchanged."""


class MonitoringFollowUpCreate(In, frozen=True, kw_only=True):
    number: Annotated[int, msgspec.Meta(ge=1, le=24)]
    """Which follow-up of the case's monitoring plan (1: the first)."""
    on: dt.date
    mode: Mode
    outcome: Outcome
    """`reached`; `declined`: the returnee chose not to take part, their right, and the
    follow-up is done; `unreachable`: it stays due for another attempt."""


class MonitoringFollowUpView(Out, frozen=True, kw_only=True):
    follow_up_id: str
    case_id: str
    programme_id: str
    office: str
    number: int
    on: dt.date
    mode: Mode
    outcome: Outcome
    by: str


class DueFollowUpView(Out, frozen=True, kw_only=True):
    case_id: str
    programme_id: str
    office: str
    number: int
    months: int
    instrument: str
    due_on: dt.date
    overdue: bool
    attempts: int
    """Earlier attempts that found the returnee unreachable."""


class DueFollowUpPage(Out, frozen=True, kw_only=True):
    items: list[DueFollowUpView]
    next_cursor: str | None
    """The next page's cursor: a page covers up to `limit` cases, so it may hold fewer
    follow-ups than that, or none, before the last page."""


class AnswersCreate(In, frozen=True, kw_only=True):
    member_id: Id
    """The case's member who answered."""
    answered_on: dt.date
    answers: Annotated[dict[AnswerName, AnswerName], msgspec.Meta(max_length=100)]
    """Indicator id -> answer, as the instrument's scales name them; an indicator left out
    is unanswered (handled as the instrument's `missing` says)."""


class SurveyResponseView(Out, frozen=True, kw_only=True):
    response_id: str
    follow_up_id: str
    case_id: str
    person_id: str
    instrument_id: str
    instrument_version: int
    answered_on: dt.date
    complete: bool
    composite: ScoreText | None
    """None when the survey counts as incomplete."""
    dimensions: dict[str, ScoreText]
    answers: dict[str, str]


class SurveyResponseList(Out, frozen=True, kw_only=True):
    items: list[SurveyResponseView]
