"""Survey answers: recorded at a follow-up that reached the returnee, scored by the domain,
sealed under the person's data key, journaled by digest; read by the office's officers;
erased with the person, leaving only anonymous counts in the evidence's shape
(`outcomes.anonymous`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

import msgspec

from reintegrate import events as ev
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.outcomes.anonymous import anonymous_scores
from reintegrate.outcomes.rows import scored_of
from reintegrate.people.access_log import Reader
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.outcome_facts import facts_of
from reintegrate.services.people import load_person, log_read
from reintegrate.services.programmes import case_record
from reintegrate.services.recording import record
from reintegrate.services.surveys import monitoring_plan
from reintegrate.store.base import CaseRecord, Store, UnitOfWork
from reintegrate.surveys.answering import check_answerable
from reintegrate.surveys.instrument import Instrument
from reintegrate.surveys.records import FollowUpRecord, InstrumentRecord, ResponseRecord
from reintegrate.surveys.scoring import Scores, score
from reintegrate.texts import Text

RESPONSE_DIGEST = "survey-response"
"""The purpose of a response's digest: it never equals an identifier's or a record's."""


class Answered(msgspec.Struct, frozen=True, kw_only=True):
    """A response as shown to who may read it: its scores and, opened, its answers."""

    response: ResponseRecord
    answers: dict[str, str]


def record_answers(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    follow_up_id: str,
    *,
    member_id: str,
    answered_on: dt.date,
    answers: Mapping[str, str],
) -> Answered:
    """Score and keep the answers a case's member gave at a follow-up that reached them,
    under the latest version of the instrument the plan names for it."""
    with store.unit_of_work() as uow:
        follow_up = uow.follow_up(follow_up_id)
        if follow_up is None or not actor.scope.allows(follow_up.office):
            raise NotFound(
                Text("no follow-up {follow_up_id}", follow_up_id=follow_up_id), field="follow_up_id"
            )
        answered = uow.response_of_follow_up(follow_up_id) is not None
        check_answerable(
            follow_up, answered=answered, answered_on=answered_on, today=utc(now).date()
        )
        case = case_record(uow, follow_up.case_id, actor)
        person_id = case.person_of(member_id)
        if person_id is None:
            raise ValidationFailed(
                Text(
                    "{member_id} is not a registered person of case {case_id}",
                    member_id=member_id,
                    case_id=case.case_id,
                ),
                field="member_id",
            )
        adopted = _instrument_of(uow, case, follow_up.number)
        scores = score(msgspec.json.decode(adopted.document, type=Instrument), answers)
        response, digest = _sealed(
            uow,
            _response(
                follow_up,
                case,
                person_id=person_id,
                adopted=adopted,
                scores=scores,
                answered_on=answered_on,
            ),
            dict(answers),
        )
        event = ev.SurveyAnswered(
            response_id=response.response_id,
            follow_up_id=follow_up_id,
            case_id=case.case_id,
            person_id=person_id,
            instrument_id=adopted.instrument_id,
            instrument_version=adopted.version,
            answered_on=answered_on,
            digest=digest,
        )
        record(uow, actor.user_id, utc(now), [event])
        uow.put_response(response)
        uow.commit()
    return Answered(response=response, answers=dict(answers))


def _instrument_of(uow: UnitOfWork, case: CaseRecord, number: int) -> InstrumentRecord:
    """The latest version of the instrument the case's plan names for follow-up `number`."""
    plan = monitoring_plan(uow, case)
    assert plan is not None, "a follow-up was recorded under a monitoring plan"
    name = plan.follow_ups[number - 1].instrument
    adopted = uow.instrument(name)
    if adopted is None:
        raise NotFound(
            Text("the plan's instrument {name} is not adopted", name=name), field="instrument"
        )
    return adopted


def _response(
    follow_up: FollowUpRecord,
    case: CaseRecord,
    *,
    person_id: str,
    adopted: InstrumentRecord,
    scores: Scores,
    answered_on: dt.date,
) -> ResponseRecord:
    """The response to keep, its answers not sealed yet (`_sealed`)."""
    return ResponseRecord(
        response_id=new_id("resp"),
        follow_up_id=follow_up.follow_up_id,
        case_id=case.case_id,
        person_id=person_id,
        programme_id=case.programme_id,
        office=case.office,
        country=case.country_of_return,
        returned_on=case.return_date,
        answered_on=answered_on,
        instrument_id=adopted.instrument_id,
        instrument_version=adopted.version,
        complete=scores.complete,
        composite=None if scores.composite is None else str(scores.composite),
        dimensions={k: str(v) for k, v in scores.dimensions.items()},
        sealed_answers=b"",
    )


def responses_of_person(
    store: Store, actor: Actor, now: dt.datetime, person_id: str, reader: Reader
) -> list[Answered]:
    """A person's responses, opened, if the person is of the caller's offices; a read that
    shows any is logged (`people.access_log`)."""
    with store.unit_of_work() as uow:
        load_person(uow, actor, person_id)
        found = [_opened(uow, r) for r in uow.responses_of_persons([person_id])]
        if found:
            log_read(uow, reader, actor, now, person_id)
        uow.commit()
    return found


def erase_responses(uow: UnitOfWork, person_ids: Collection[str]) -> None:
    """Count the persons' scores into the anonymous counts, classified as the evidence
    classifies them (so their groups keep their counts), then erase their responses. Their
    records must still be readable: call this before they are erased."""
    responses = [scored_of(r) for r in uow.responses_of_persons(person_ids)]
    facts = facts_of(uow, responses)
    uow.add_anonymous_scores(
        anonymous_scores((r, facts[r.response_id]) for r in responses if r.response_id in facts)
    )
    uow.erase_responses(person_ids)


def _plaintext(response: ResponseRecord, answers: dict[str, str]) -> bytes:
    content = {
        "response_id": response.response_id,
        "person_id": response.person_id,
        "answers": answers,
        "composite": response.composite,
        "dimensions": response.dimensions,
    }
    return msgspec.json.encode(content, order="sorted")


def _sealed(
    uow: UnitOfWork, response: ResponseRecord, answers: dict[str, str]
) -> tuple[ResponseRecord, str]:
    """The response with its answers sealed under the person's data key, and the keyed
    digest of what it holds, for the journal."""
    person = uow.sealed_person(response.person_id)
    if person is None:
        raise ValidationFailed(
            Text(
                "person {person_id} has no record to seal answers with (erased?)",
                person_id=response.person_id,
            ),
            field="member_id",
        )
    plaintext = _plaintext(response, answers)
    sealed = uow.keyring.seal(person.wrapped_key, _context(response), plaintext)
    digest = uow.keyring.digest(RESPONSE_DIGEST, plaintext)
    return msgspec.structs.replace(response, sealed_answers=sealed), digest


def _opened(uow: UnitOfWork, response: ResponseRecord) -> Answered:
    person = uow.sealed_person(response.person_id)
    assert person is not None, "a person with responses is not erased"
    plaintext = uow.keyring.open(person.wrapped_key, _context(response), response.sealed_answers)
    answers = msgspec.json.decode(plaintext, type=dict[str, object])["answers"]
    return Answered(response=response, answers=msgspec.convert(answers, dict[str, str]))


def _context(response: ResponseRecord) -> bytes:
    return f"survey:{response.person_id}:{response.response_id}".encode()
