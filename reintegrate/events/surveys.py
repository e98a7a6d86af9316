"""Events of monitoring after return: instruments adopted, follow-ups recorded, surveys
answered.

A survey's answers and scores are personal data: `SurveyAnswered` names the person by their
pseudonymous id and carries only a keyed digest of the sealed answers (as `PersonRegistered`
carries one of the sealed record), never an answer or a score, so that erasing the person
leaves no score of theirs in the journal.
"""

from __future__ import annotations

import datetime as dt

from reintegrate.events.core import _Event
from reintegrate.surveys.schedule import Mode, Outcome


class InstrumentAdopted(_Event, frozen=True):
    instrument_id: str
    version: int
    document: bytes
    """The instrument as canonical JSON (`surveys.instrument.canonical`)."""


class FollowUpRecorded(_Event, frozen=True):
    """An attempt at follow-up `number` of a case's monitoring plan."""

    follow_up_id: str
    case_id: str
    programme_id: str
    number: int
    on: dt.date
    mode: Mode
    outcome: Outcome


class SurveyAnswered(_Event, frozen=True):
    response_id: str
    follow_up_id: str
    case_id: str
    person_id: str
    instrument_id: str
    instrument_version: int
    answered_on: dt.date
    digest: str
    """The keyed digest of the sealed answers and scores (`services.surveys`)."""
