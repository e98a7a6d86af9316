"""Monitoring after return through the API, on SQLite and PostgreSQL: the follow-ups due are
listed for the office's officers and flagged once overdue, declining closes a follow-up,
answers come back scored and are never kept for a replay, a person's responses are read by
their office's officer and the read is logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from reintegrate.store.sql import SqlStore
from tests.api.conftest import (
    DAKAR,
    LAGOS,
    ApiClient,
    add_users,
    call,
    case_body,
    created,
    eu_policy_json,
    problem_of,
    programme_body,
)
from tests.api.surveys import adopted, answers_body, follow_up_body
from tests.store.conftest import postgresql_database

START = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC)
"""When the users' tokens were made (valid 90 days) and the world built."""
RETURNED_ON = "2025-04-01"
"""The cases' return: their first follow-up (3 months) falls due on 2025-07-01, overdue
after 30 days."""


RETURN = {"return_date": RETURNED_ON}


@dataclass
class Office:
    client: ApiClient
    clock: list[dt.datetime]
    dakar_case: str
    lagos_case: str

    def at(self, day: dt.date) -> None:
        self.clock[0] = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Office]:
    """The EU programme under its example policy, a dakar and a lagos case, and the example
    instrument adopted, all through the API; the clock can be moved on."""
    if request.param == "sqlite":
        urls: Any = iter([f"sqlite:///{tmp_path}/api.sqlite"])
        context = None
    else:
        context = postgresql_database()
        urls = iter([context.__enter__()])
    store = SqlStore(next(urls))
    store.create_all()
    clock = [START]
    app = create_app(store, clock=lambda: clock[0])
    with ApiClient(app, add_users(store)) as client:
        created(call(client, "admin", "POST", "/programmes", programme_body()), "programme_id")
        created(
            call(client, "admin", "POST", "/programmes/eurp/policies", eu_policy_json()), "version"
        )
        dakar = created(
            call(client, "officer", "POST", "/cases", case_body(client, DAKAR) | RETURN), "case_id"
        )
        lagos_body = case_body(client, LAGOS, dependants=0, country="NG") | RETURN
        lagos = created(call(client, "officer-lagos", "POST", "/cases", lagos_body), "case_id")
        adopted(client)
        yield Office(client, clock, dakar, lagos)
    store.engine.dispose()
    store.reader.dispose()
    if context is not None:
        context.__exit__(None, None, None)


def due(office: Office, who: str = "officer", query: str = "") -> list[tuple[str, int, bool]]:
    response = call(office.client, who, "GET", f"/follow-ups{query}")
    assert response.status_code == 200, response.text
    return [(d["case_id"], d["number"], d["overdue"]) for d in response.json()["items"]]


def record(office: Office, outcome: str, number: int = 1, on: str = "2025-08-05") -> Any:
    path = f"/cases/{office.dakar_case}/follow-ups"
    body = follow_up_body(outcome, number) | {"on": on}
    return call(office.client, "officer", "POST", path, body)


def test_a_follow_up_is_listed_once_due_for_its_office_only_and_flagged_once_overdue(
    office: Office,
) -> None:
    assert due(office) == []
    office.at(dt.date(2025, 7, 1))
    assert due(office) == [(office.dakar_case, 1, False)]
    assert due(office, "officer-lagos") == [(office.lagos_case, 1, False)]
    assert due(office, query="?overdue=true") == []
    office.at(dt.date(2025, 8, 1))
    assert due(office, query="?overdue=true") == [(office.dakar_case, 1, True)]


def test_declining_closes_the_follow_up_and_unreachable_leaves_it_due(office: Office) -> None:
    office.at(dt.date(2025, 8, 10))
    assert record(office, "unreachable").status_code == 201
    assert due(office) == [(office.dakar_case, 1, True)]
    assert record(office, "declined").status_code == 201
    assert due(office) == []
    problem_of(record(office, "reached"), 409, "invalid-transition")


def test_answers_come_back_scored_and_are_not_kept_for_a_replay(office: Office) -> None:
    office.at(dt.date(2025, 8, 10))
    follow_up_id = created(record(office, "reached"), "follow_up_id")
    path = f"/follow-ups/{follow_up_id}/answers"
    body = answers_body() | {"answered_on": "2025-08-05"}

    first = call(office.client, "partner", "POST", path, body, key="answers-1")
    again = call(office.client, "partner", "POST", path, body, key="answers-1")

    assert first.status_code == 201, first.text
    shown = first.json()
    assert (shown["complete"], shown["composite"]) == (True, "0.750000")
    assert shown["dimensions"] == {
        "economic": "0.750000",
        "social": "0.750000",
        "psychosocial": "0.750000",
    }
    problem_of(again, 409, "answer-not-kept")


def test_an_answer_off_the_scale_is_refused_naming_the_indicator(office: Office) -> None:
    office.at(dt.date(2025, 8, 10))
    follow_up_id = created(record(office, "reached"), "follow_up_id")
    body = answers_body(housing="palace") | {"answered_on": "2025-08-05"}
    response = call(office.client, "officer", "POST", f"/follow-ups/{follow_up_id}/answers", body)
    problem = problem_of(response, 422, "validation-failed")
    assert problem["field"] == "answers.housing"
    assert "not_available, very_poor, poor, good, very_good" in problem["detail"]


def test_a_follow_up_that_did_not_reach_the_returnee_takes_no_answers(office: Office) -> None:
    office.at(dt.date(2025, 8, 10))
    follow_up_id = created(record(office, "declined"), "follow_up_id")
    body = answers_body() | {"answered_on": "2025-08-05"}
    response = call(office.client, "officer", "POST", f"/follow-ups/{follow_up_id}/answers", body)
    assert "declined" in problem_of(response, 409, "invalid-transition")["detail"]


def test_the_offices_officer_reads_a_persons_responses_and_the_read_is_logged(
    office: Office,
) -> None:
    office.at(dt.date(2025, 8, 10))
    follow_up_id = created(record(office, "reached"), "follow_up_id")
    body = answers_body() | {"answered_on": "2025-08-05"}
    person_id = created(
        call(office.client, "officer", "POST", f"/follow-ups/{follow_up_id}/answers", body),
        "person_id",
    )
    path = f"/persons/{person_id}/survey-responses"

    mine = call(office.client, "officer", "GET", path)
    theirs = call(office.client, "officer-lagos", "GET", path)
    log = call(office.client, "auditor", "GET", f"/access-log?person_id={person_id}")

    assert [r["answers"] for r in mine.json()["items"]] == [body["answers"]]
    problem_of(theirs, 404, "not-found")
    assert [e["route"] for e in log.json()["items"]] == ["/persons/{person_id}/survey-responses"]
