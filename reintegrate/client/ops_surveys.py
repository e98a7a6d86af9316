"""Monitoring after return: survey instruments, the follow-ups due, follow-ups and answers
recorded, a person's responses."""

from __future__ import annotations

from api import schemas_surveys as ss
from reintegrate.client.calls import Call, get, post
from reintegrate.client.operations import operation, paged
from reintegrate.surveys.instrument import Instrument


class SurveyOperations:
    @operation
    def adopt_instrument(body: Instrument) -> Call[ss.InstrumentVersionView]:
        """A changed instrument becomes its next version; the same one changes nothing."""
        return post("/survey-instruments", ss.InstrumentVersionView, body)

    @operation
    def get_instrument(instrument_id: str, *, version: int | None = None) -> Call[Instrument]:
        path = "/survey-instruments/{instrument_id}"
        return get(path, Instrument, instrument_id=instrument_id, version=version)

    @paged(ss.DueFollowUpView)
    def list_follow_ups_due(
        *,
        programme_id: str | None = None,
        overdue: bool | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Call[ss.DueFollowUpPage]:
        return get(
            "/follow-ups",
            ss.DueFollowUpPage,
            programme_id=programme_id,
            overdue=overdue,
            limit=limit,
            cursor=cursor,
        )

    @operation
    def record_follow_up(
        case_id: str, body: ss.MonitoringFollowUpCreate
    ) -> Call[ss.MonitoringFollowUpView]:
        path = "/cases/{case_id}/follow-ups"
        return post(path, ss.MonitoringFollowUpView, body, case_id=case_id)

    @operation
    def record_answers(follow_up_id: str, body: ss.AnswersCreate) -> Call[ss.SurveyResponseView]:
        path = "/follow-ups/{follow_up_id}/answers"
        return post(path, ss.SurveyResponseView, body, follow_up_id=follow_up_id)

    @operation
    def list_person_responses(person_id: str) -> Call[ss.SurveyResponseList]:
        path = "/persons/{person_id}/survey-responses"
        return get(path, ss.SurveyResponseList, person_id=person_id)
