"""What is kept of monitoring: instruments adopted, follow-up attempts, survey responses
(what outlives an erased person's responses is `outcomes.rows.AnonymousScores`)."""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate.surveys.schedule import Mode, Outcome


class InstrumentRecord(msgspec.Struct, frozen=True, kw_only=True):
    instrument_id: str
    version: int
    document: bytes
    """Canonical JSON (`surveys.instrument.canonical`)."""


class FollowUpRecord(msgspec.Struct, frozen=True, kw_only=True):
    follow_up_id: str
    case_id: str
    programme_id: str
    office: str
    number: int
    on: dt.date
    mode: Mode
    outcome: Outcome
    by: str
    """The user who did it (their id)."""


class ResponseRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A survey answered by a person: the scores in clear for counting, the answers sealed
    under the person's data key. Personal data: erased with the person."""

    response_id: str
    follow_up_id: str
    case_id: str
    person_id: str
    programme_id: str
    office: str
    country: str
    returned_on: dt.date
    answered_on: dt.date
    instrument_id: str
    instrument_version: int
    complete: bool
    composite: str | None
    """Decimal string from 0 to 1 (six places), None when the survey counts as incomplete."""
    dimensions: dict[str, str]
    """Dimension id -> decimal string, for the dimensions scored."""
    sealed_answers: bytes
