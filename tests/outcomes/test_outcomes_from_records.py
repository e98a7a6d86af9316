"""The evidence on outcomes read from the survey records a store keeps, through the API on
SQLite and PostgreSQL and through the services on the memory store: its figures are the
recorded scores', and erasing a respondent keeps every group's count (their scores are then
counted anonymously) while no score of theirs is left."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from api.app import create_app
from reintegrate.access import Role
from reintegrate.cli.main import app as cli
from reintegrate.outcomes.document import GroupDocument, OutcomesDocument
from reintegrate.outcomes.evidence import Evidence
from reintegrate.outcomes.groups import Axis
from reintegrate.services import survey_answers as sa
from reintegrate.services.outcomes import OutcomeQuestion, outcome_sources, outcomes
from reintegrate.services.users import add_user, issue_token
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.memory import MemoryStore
from reintegrate.store.outcome_rows import StoredSurveys
from reintegrate.store.sql import SqlStore
from tests.builders import ADMIN, RETURNED, at
from tests.outcomes.records import RETURNEES, erase, recorded
from tests.store.conftest import postgresql_database

NOW = dt.datetime(2024, 6, 10, tzinfo=dt.UTC)
AUDITOR = "auditor-1"


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        yield from opened(f"sqlite:///{tmp_path / 'db.sqlite'}")
        return
    with postgresql_database("reintegrate_outcome_records") as url:
        yield from opened(url)


def opened(url: str) -> Iterator[SqlStore]:
    store = SqlStore(url)
    store.create_all()
    add_user(
        ApiRecords(store.engine), AUDITOR, at(RETURNED), role=Role.AUDITOR, offices=frozenset()
    )
    yield store
    store.engine.dispose()
    store.reader.dispose()


def by_form(store: SqlStore) -> dict[str, GroupDocument]:
    """GET /programmes/eurp/outcomes?by=form as the programme's auditor."""
    token = issue_token(ApiRecords(store.engine), AUDITOR, NOW)
    with TestClient(create_app(store, clock=lambda: NOW)) as client:
        response = client.get(
            "/programmes/eurp/outcomes?by=form", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text
    doc = msgspec.json.decode(response.content, type=OutcomesDocument, strict=True)
    return {g.group: g for g in doc.groups}


def quartiles(given: dict[str, sa.Answered]) -> list[Decimal]:
    scores = [Fraction(str(a.response.composite)) for a in given.values()]
    return [
        Decimal(q.numerator) / Decimal(q.denominator)
        for q in statistics.quantiles(scores, n=4, method="inclusive")
    ]


def test_the_api_compares_the_recorded_scores_by_exact_quartiles(sql_store: SqlStore) -> None:
    given = recorded(sql_store)

    cash = by_form(sql_store)["cash_only"].composite

    assert cash is not None
    assert cash.n == RETURNEES
    assert [Decimal(q.value) for q in (cash.q1, cash.median, cash.q3)] == quartiles(given)
    assert all(q.exact for q in (cash.q1, cash.median, cash.q3))
    assert len({a.response.composite for a in given.values()}) > 4  # the scores differ


def test_erasing_a_respondent_keeps_the_groups_counts_and_no_score_of_theirs(
    sql_store: SqlStore,
) -> None:
    given = recorded(sql_store)
    before = by_form(sql_store)
    person_id, answered = next(iter(given.items()))

    erase(sql_store, person_id, answered.response.case_id)

    after = by_form(sql_store)
    assert {g: (d.composite and d.composite.n) for g, d in after.items()} == {
        g: (d.composite and d.composite.n) for g, d in before.items()
    }
    assert [d.returned_again for d in after.values()] == [d.returned_again for d in before.values()]
    with sql_store.engine.connect() as conn:
        kept = conn.execute(
            text("SELECT count(*) FROM survey_responses WHERE person_id = :p"), {"p": person_id}
        ).scalar_one()
    assert kept == 0
    stored = StoredSurveys(sql_store)
    assert person_id not in {r.person_id for r in stored.scored_responses("eurp")}
    composite = [c for c in stored.anonymous_scores("eurp") if c.measure == "composite"]
    assert [(c.form, c.count) for c in composite] == [("cash_only", 1)]


def test_the_command_line_reports_the_recorded_scores(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = next(opened(url))
    given = recorded(store)
    store.engine.dispose()
    store.reader.dispose()
    output = tmp_path / "o.json"

    command = ["report", "outcomes", "--programme", "eurp", "--format", "json", "-o", str(output)]
    result = CliRunner().invoke(cli, [*command, "--as", AUDITOR, "-d", url])

    assert result.exit_code == 0, result.output
    [cash] = [g for g in json.loads(output.read_text())["groups"] if g["group"] == "cash_only"]
    assert cash["composite"]["n"] == RETURNEES
    assert Decimal(cash["composite"]["median"]["value"]) == quartiles(given)[1]


def evidence_in_memory(store: MemoryStore) -> Evidence:
    question = OutcomeQuestion(programme_id="eurp", axis=Axis.FORM)
    return outcomes(store, outcome_sources(store), ADMIN, question)


def test_the_memory_store_serves_the_same_records_and_counts() -> None:
    store = MemoryStore()
    given = recorded(store)
    person_id, answered = next(iter(given.items()))
    before = evidence_in_memory(store).groups[0].composite

    erase(store, person_id, answered.response.case_id)
    after = evidence_in_memory(store).groups[0].composite

    assert before is not None
    assert after is not None
    assert (before.n, after.n) == (RETURNEES, RETURNEES)
    assert [before.q1.value, before.median.value, before.q3.value] == quartiles(given)
    assert person_id not in {r.person_id for r in StoredSurveys(store).scored_responses("eurp")}
