"""The projections of monitoring's events (`services.recording` looks them up here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reintegrate import events as ev
from reintegrate.store.base import EVERYWHERE, UnitOfWork
from reintegrate.surveys.records import FollowUpRecord, InstrumentRecord


def _instrument_adopted(uow: UnitOfWork, event: ev.InstrumentAdopted, _actor: str) -> None:
    uow.put_instrument(
        InstrumentRecord(
            instrument_id=event.instrument_id, version=event.version, document=event.document
        )
    )


def _follow_up_recorded(uow: UnitOfWork, event: ev.FollowUpRecorded, actor: str) -> None:
    case = uow.case(event.case_id, EVERYWHERE)
    assert case is not None, f"a follow-up is of a registered case ({event.case_id})"
    uow.put_follow_up(
        FollowUpRecord(
            follow_up_id=event.follow_up_id,
            case_id=event.case_id,
            programme_id=event.programme_id,
            office=case.office,
            number=event.number,
            on=event.on,
            mode=event.mode,
            outcome=event.outcome,
            by=actor,
        )
    )


def _survey_answered(_uow: UnitOfWork, _event: ev.SurveyAnswered, _actor: str) -> None:
    """Nothing to project: the response (answers sealed under the person's key, scores) is
    kept beside the journal by the command (`services.survey_answers`), as a person's sealed
    record is, so that erasing the person erases it; the event keeps only its digest."""


SURVEY_PROJECTIONS: dict[type[Any], Callable[[UnitOfWork, Any, str], None]] = {
    ev.InstrumentAdopted: _instrument_adopted,
    ev.FollowUpRecorded: _follow_up_recorded,
    ev.SurveyAnswered: _survey_answered,
}
