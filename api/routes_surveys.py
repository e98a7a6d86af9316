"""Monitoring after return: /survey-instruments, the follow-ups due (/follow-ups), recording
a follow-up (/cases/{case_id}/follow-ups) and its answers, and a person's responses."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import Body, JSONBody, QueryParameter

from api import schemas_surveys as ss
from api.context import (
    Cursor,
    IdempotencyKey,
    Limit,
    PathId,
    actor,
    now,
    queries,
    reader,
    serialized,
    store,
)
from api.keyed import PERSONAL_ANSWER
from api.listing import ProgrammeFilter, after, filters, next_cursor
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS
from api.security import EVERY_ROLE, allow
from reintegrate.access import ADOPTS_INSTRUMENTS, MONITORS, READS_RESPONSES
from reintegrate.services import survey_answers as sa
from reintegrate.services import surveys
from reintegrate.services.users import Caller
from reintegrate.surveys.instrument import Instrument, load_instrument

InstrumentBody = Annotated[
    Instrument,
    Body(
        description="A survey instrument as JSON (examples/instruments/): validated field by "
        'field; weights and scores are exact numbers such as "0.25" or "1/3".'
    ),
]
Overdue = Annotated[
    bool, QueryParameter(name="overdue", required=False, description="only overdue ones")
]
Version = Annotated[int | None, QueryParameter(name="version", required=False, ge=1, le=2**31 - 1)]


class SurveyInstrumentController(Controller):
    path = "/survey-instruments"
    tags = ("monitoring",)

    @post(
        "/",
        guards=[allow(*ADOPTS_INSTRUMENTS)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def adopt_instrument(
        self,
        request: Request[Caller, Any, Any],
        data: InstrumentBody,
        idempotency_key: IdempotencyKey,
    ) -> ss.InstrumentVersionView:
        """Adopt a survey instrument: a changed one becomes its next version, the same one
        again changes nothing. Answers keep the version they were given under."""
        instrument = load_instrument(msgspec.json.encode(data), "json")  # every rule, every field
        with serialized(request):
            adopted = surveys.adopt_instrument(
                store(request), actor(request), now(request), instrument
            )
        return ss.InstrumentVersionView(
            instrument_id=adopted.instrument_id, version=adopted.version
        )

    @get(
        "/{instrument_id:str}",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_instrument(
        self, request: Request[Caller, Any, Any], instrument_id: PathId, version: Version = None
    ) -> Instrument:
        """An instrument as adopted: its latest version, or the `version` asked for."""
        return surveys.read_instrument(store(request), instrument_id, version)


class FollowUpController(Controller):
    path = "/follow-ups"
    tags = ("monitoring",)

    @get("/", guards=[allow(*MONITORS)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_follow_ups_due(
        self,
        request: Request[Caller, Any, Any],
        *,
        cursor: Cursor,
        programme_id: ProgrammeFilter,
        overdue: Overdue = False,
        limit: Limit = 50,
    ) -> ss.DueFollowUpPage:
        """The follow-ups due today and not done on the cases of the caller's offices, by
        case; `overdue=true`: only those past their due date by more than the plan's grace."""
        given = filters(programme_id=programme_id)
        scope = actor(request).scope
        found = queries(request).cases(scope, after(cursor, given), limit + 1, given)
        page = found[:limit]
        with store(request).reading() as uow:
            due = surveys.due_follow_ups(uow, page, now(request).date(), overdue_only=overdue)
        items = [
            ss.DueFollowUpView(
                case_id=d.case_id,
                programme_id=d.programme_id,
                office=d.office,
                number=d.due.number,
                months=d.due.months,
                instrument=d.due.instrument,
                due_on=d.due.due_on,
                overdue=d.due.overdue,
                attempts=d.attempts,
            )
            for d in due
        ]
        return ss.DueFollowUpPage(
            items=items, next_cursor=next_cursor(found, limit, given, lambda c: c.case_id)
        )

    @post(
        "/{follow_up_id:str}/answers",
        guards=[allow(*MONITORS)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
        opt={PERSONAL_ANSWER: True},
    )
    def record_answers(
        self,
        request: Request[Caller, Any, Any],
        follow_up_id: PathId,
        data: JSONBody[ss.AnswersCreate],
        idempotency_key: IdempotencyKey,
    ) -> ss.SurveyResponseView:
        """Record the answers a case's member gave at a follow-up that reached them, scored
        by the instrument the plan names (its latest version). The answer holds the answers
        and scores: personal data, sent once and never kept for an Idempotency-Key replay."""
        with serialized(request):
            given = sa.record_answers(
                store(request),
                actor(request),
                now(request),
                follow_up_id,
                member_id=data.member_id,
                answered_on=data.answered_on,
                answers=data.answers,
            )
        return response_view(given)


class CaseFollowUpController(Controller):
    path = "/cases/{case_id:str}/follow-ups"
    tags = ("monitoring",)

    @post(
        "/",
        guards=[allow(*MONITORS)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def record_follow_up(
        self,
        request: Request[Caller, Any, Any],
        case_id: PathId,
        data: JSONBody[ss.MonitoringFollowUpCreate],
        idempotency_key: IdempotencyKey,
    ) -> ss.MonitoringFollowUpView:
        """Record an attempt at one of the case's follow-ups: its date, mode and outcome.
        Reached or declined, it is done; unreachable, it stays due."""
        with serialized(request):
            found = surveys.record_follow_up(
                store(request),
                actor(request),
                now(request),
                case_id,
                number=data.number,
                on=data.on,
                mode=data.mode,
                outcome=data.outcome,
            )
        return msgspec.convert(msgspec.structs.asdict(found), ss.MonitoringFollowUpView)


class PersonResponsesController(Controller):
    path = "/persons/{person_id:str}/survey-responses"
    tags = ("monitoring",)

    @get("/", guards=[allow(*READS_RESPONSES)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_person_responses(
        self, request: Request[Caller, Any, Any], person_id: PathId
    ) -> ss.SurveyResponseList:
        """A person's survey responses with their answers and scores, oldest first; the read
        is written to the access log."""
        found = sa.responses_of_person(
            store(request), actor(request), now(request), person_id, reader(request)
        )
        return ss.SurveyResponseList(items=[response_view(a) for a in found])


def response_view(given: sa.Answered) -> ss.SurveyResponseView:
    r = given.response
    return ss.SurveyResponseView(
        response_id=r.response_id,
        follow_up_id=r.follow_up_id,
        case_id=r.case_id,
        person_id=r.person_id,
        instrument_id=r.instrument_id,
        instrument_version=r.instrument_version,
        answered_on=r.answered_on,
        complete=r.complete,
        composite=r.composite,
        dimensions=r.dimensions,
        answers=given.answers,
    )
