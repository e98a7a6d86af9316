"""Monitoring after return in the SQL store, on SQLite and PostgreSQL: follow-ups due and
recorded, answers scored and kept under the version they were given under, and erasure that
leaves no score of the person, only the anonymous counts; the audit still passes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import text

from reintegrate.access import Role
from reintegrate.errors import InvalidTransition
from reintegrate.people.access_log import Reader
from reintegrate.people.vocabulary import ErasureReason
from reintegrate.services import erasure, surveys
from reintegrate.services import packages as ps
from reintegrate.services import survey_answers as sa
from reintegrate.services.audit import verify_audit
from reintegrate.store.outcome_rows import scored_responses
from reintegrate.store.sql import SqlStore
from reintegrate.surveys.instrument import ScaleAnswer, load_instrument
from reintegrate.surveys.schedule import Mode, Outcome
from tests.builders import (
    ADMIN,
    APPROVER,
    OFFICER,
    RETURNED,
    SOON,
    approved_package,
    at,
    household,
    in_kind,
    register,
)

INSTRUMENT = Path(__file__).resolve().parents[2] / "examples" / "instruments" / "iom-rss.toml"
READER = Reader(role=Role.OFFICER, route="/persons/{person_id}/survey-responses")
AFTER_THREE_MONTHS = at(dt.date(2024, 6, 5))
BEST = {
    i.id: i.scale[-1].answer for i in load_instrument(INSTRUMENT.read_text()).indicators().values()
}


@pytest.fixture
def store(programme_store: SqlStore) -> SqlStore:
    surveys.adopt_instrument(
        programme_store, ADMIN, at(dt.date(2024, 1, 3)), load_instrument(INSTRUMENT.read_text())
    )
    register(programme_store, household("c1"))
    return programme_store


def reached(store: SqlStore, number: int = 1) -> str:
    return surveys.record_follow_up(
        store,
        OFFICER,
        AFTER_THREE_MONTHS,
        "c1",
        number=number,
        on=AFTER_THREE_MONTHS.date(),
        mode=Mode.VISIT,
        outcome=Outcome.REACHED,
    ).follow_up_id


def answer(store: SqlStore, follow_up_id: str, answers: dict[str, str]) -> sa.Answered:
    return sa.record_answers(
        store,
        OFFICER,
        AFTER_THREE_MONTHS,
        follow_up_id,
        member_id="p",
        answered_on=AFTER_THREE_MONTHS.date(),
        answers=answers,
    )


def responses(store: SqlStore, person_id: str) -> list[sa.Answered]:
    return sa.responses_of_person(store, OFFICER, AFTER_THREE_MONTHS, person_id, READER)


def test_the_first_follow_up_falls_due_three_months_after_return(store: SqlStore) -> None:
    with store.reading() as uow:
        case = uow.case("c1", OFFICER.scope)
        assert case is not None
        due = surveys.due_follow_ups(uow, [case], AFTER_THREE_MONTHS.date())
    assert [(d.due.number, d.due.due_on, d.due.overdue) for d in due] == [
        (1, dt.date(2024, 6, 1), False)
    ]


def test_an_unreachable_returnee_leaves_the_follow_up_due_and_declining_closes_it(
    store: SqlStore,
) -> None:
    def record(outcome: Outcome) -> None:
        surveys.record_follow_up(
            store,
            OFFICER,
            AFTER_THREE_MONTHS,
            "c1",
            number=1,
            on=AFTER_THREE_MONTHS.date(),
            mode=Mode.PHONE,
            outcome=outcome,
        )

    def due() -> list[tuple[int, int]]:
        with store.reading() as uow:
            case = uow.case("c1", OFFICER.scope)
            assert case is not None
            found = surveys.due_follow_ups(uow, [case], AFTER_THREE_MONTHS.date())
        return [(d.due.number, d.attempts) for d in found]

    record(Outcome.UNREACHABLE)
    assert due() == [(1, 1)]
    record(Outcome.DECLINED)
    assert due() == []
    with pytest.raises(InvalidTransition):
        record(Outcome.REACHED)


def test_answers_are_scored_and_read_back_by_the_offices_officer(store: SqlStore) -> None:
    given = answer(store, reached(store), BEST)

    assert given.response.composite == "1.000000"
    assert given.response.complete
    [read] = sa.responses_of_person(
        store, OFFICER, AFTER_THREE_MONTHS, given.response.person_id, READER
    )
    assert read.answers == BEST
    assert read.response.dimensions == {
        "economic": "1.000000",
        "psychosocial": "1.000000",
        "social": "1.000000",
    }


def test_a_changed_instrument_is_a_new_version_and_past_answers_keep_theirs(
    store: SqlStore,
) -> None:
    first = answer(store, reached(store), BEST)
    original = load_instrument(INSTRUMENT.read_text())
    economic = original.dimensions[0]
    first_indicator = economic.indicators[0]
    changed_scale = (ScaleAnswer(answer="none", score="0"), ScaleAnswer(answer="some", score="1"))
    changed = msgspec.structs.replace(
        original,
        dimensions=(
            msgspec.structs.replace(
                economic,
                indicators=(
                    msgspec.structs.replace(first_indicator, scale=changed_scale),
                    *economic.indicators[1:],
                ),
            ),
            *original.dimensions[1:],
        ),
    )
    adopted = surveys.adopt_instrument(store, ADMIN, AFTER_THREE_MONTHS, changed)
    again = surveys.adopt_instrument(store, ADMIN, AFTER_THREE_MONTHS, changed)

    assert (adopted.version, again.version) == (2, 2)
    [kept] = sa.responses_of_person(
        store, OFFICER, AFTER_THREE_MONTHS, first.response.person_id, READER
    )
    assert kept.response.instrument_version == 1
    assert surveys.read_instrument(store, "iom-rss", 1) == original


def test_erasing_a_person_leaves_no_score_of_theirs_and_keeps_the_counts(
    store: SqlStore,
) -> None:
    package = approved_package(store, "c1", in_kind("c1-house", 300_00))
    ps.close_package(store, OFFICER, SOON, package.package_id)
    given = answer(store, reached(store), BEST)
    person_id = given.response.person_id

    erasure.request_erasure(store, ADMIN, AFTER_THREE_MONTHS, person_id, ErasureReason.PERSON_ASKED)
    erasure.confirm_erasure(store, APPROVER, AFTER_THREE_MONTHS, person_id)

    with store.engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM survey_responses")).scalar_one()
    with store.reading() as uow:
        counts = uow.anonymous_scores("eurp")
    assert left == 0
    assert list(scored_responses(store.engine)) == []
    journal = b"".join(msgspec.json.encode(e.event) for e in store.entries())
    assert b"SurveyAnswered" in journal
    assert b"very_satisfied" not in journal
    assert b"composite" not in journal
    assert {(c.measure, c.low, c.high, c.count) for c in counts} == {
        (measure, Decimal("0.9"), Decimal("1"), 1)
        for measure in ("composite", "economic", "social", "psychosocial")
    }
    assert {(c.office, c.country, c.cohort, c.form, c.time_since_return) for c in counts} == {
        ("dakar", "SN", "2024-03", "in_kind_only", "0-5")
    }
    assert verify_audit(store).ok


def test_the_evidence_reads_each_scored_response_with_exact_scores(store: SqlStore) -> None:
    given = answer(store, reached(store), {"economic_satisfaction": "neutral", "housing": "good"})

    [row] = scored_responses(store.engine, "eurp")

    assert (row.response_id, row.person_id) == (
        given.response.response_id,
        given.response.person_id,
    )
    assert (row.country, row.returned_on, row.instrument_version) == ("SN", RETURNED, 1)
    assert row.dimensions == {"economic": Decimal("0.5"), "social": Decimal("0.75")}
    assert (row.complete, row.composite) == (False, None)
    assert list(scored_responses(store.engine, "other")) == []
