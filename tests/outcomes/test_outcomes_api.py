"""GET /programmes/{programme_id}/outcomes: scores compared by assistance, for those who run
the programme, its auditors and its officers (their offices' responses), on SQLite and
PostgreSQL, with no person named and no small group shown."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.app import create_app
from reintegrate.outcomes.document import GroupDocument, OutcomesDocument
from reintegrate.services.outcomes import InMemorySurveys, OutcomeSources
from reintegrate.services.users import issue_token
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from tests.builders import RETURNED
from tests.outcomes.world import USERS, build, score
from tests.store.conftest import postgresql_database

PATH = "/programmes/eurp/outcomes"


class Api:
    def __init__(
        self, client: TestClient[Litestar], tokens: dict[str, str], surveys: InMemorySurveys
    ):
        self.client, self.tokens, self.surveys = client, tokens, surveys

    def get(self, who: str, query: str = "by=form", path: str = PATH) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.get(f"{path}?{query}", headers=headers)

    def read(self, who: str, query: str = "by=form") -> dict[str, GroupDocument]:
        response = self.get(who, query)
        assert response.status_code == 200, response.text
        doc = msgspec.json.decode(response.content, type=OutcomesDocument, strict=True)
        return {g.group: g for g in doc.groups}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    if request.param == "sqlite":
        yield from serve(f"sqlite:///{tmp_path_factory.mktemp('outcomes') / 'db.sqlite'}")
        return
    with postgresql_database("reintegrate_outcomes") as url:
        yield from serve(url)


def serve(url: str) -> Iterator[Api]:
    store = SqlStore(url)
    store.create_all()
    surveys = build(store)
    now = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    tokens = {user: issue_token(ApiRecords(store.engine), user, now) for user in USERS}
    app = create_app(store, clock=lambda: now)
    app.state.outcome_sources = OutcomeSources(responses=surveys, counts=surveys)
    with TestClient(app) as client:
        yield Api(client, tokens, surveys)
    store.engine.dispose()
    store.reader.dispose()


def n(group: GroupDocument) -> int | None:
    """The group's responses; None when it is suppressed."""
    return None if group.composite is None else group.composite.n


def quartiles(group: str, count: int) -> list[Decimal]:
    values = [Fraction(score(group, n)) for n in range(count)]
    return [
        Decimal(q.numerator) / Decimal(q.denominator)
        for q in statistics.quantiles(values, n=4, method="inclusive")
    ]


def test_an_auditor_compares_cash_with_in_kind_by_exact_quartiles(api: Api) -> None:
    groups = api.read("auditor-1")
    assert list(groups) == ["cash_only", "in_kind_only", "mixed", "none"]
    for group, count in (("cash_only", 12), ("in_kind_only", 12), ("none", 10)):
        figures = groups[group].composite
        assert figures is not None
        assert figures.n == count
        assert [Decimal(q.value) for q in (figures.q1, figures.median, figures.q3)] == quartiles(
            group, count
        )
    assert groups["cash_only"].returned_again == 1
    assert groups["cash_only"].returned_again_rate == "0.0833"


def test_the_three_helped_both_ways_are_a_suppressed_group_and_nothing_more(api: Api) -> None:
    mixed = api.read("auditor-1")["mixed"]
    assert mixed == GroupDocument(group="mixed", suppressed=True)


def test_an_officer_gets_the_figures_of_their_own_offices_only(api: Api) -> None:
    groups = api.read("officer-dakar")
    assert n(groups["cash_only"]) == 12
    assert groups["none"].suppressed  # the ten in Kolda are another office's


def test_every_axis_answers_every_one_of_its_groups(api: Api) -> None:
    level = api.read("approver-dakar", "by=level")
    assert (n(level["individual"]), level["community"].suppressed) == (24, True)
    time = api.read("admin-1", "by=time_since_return")
    assert n(time["6-11"]) == 34
    assert n(api.read("auditor-1", "by=vulnerability")["not_vulnerable"]) == 34
    assert n(api.read("auditor-1", "by=business_plan")["none"]) == 34


def test_dimensions_are_compared_like_the_composite(api: Api) -> None:
    dimensions = api.read("auditor-1")["in_kind_only"].dimensions
    assert dimensions is not None
    assert set(dimensions) == {"economic", "social"}
    social = dimensions["social"]
    assert social is not None
    assert (social.n, social.median.value) == (12, "0.5")


def test_the_answer_names_no_person_and_no_response(api: Api) -> None:
    body = api.get("auditor-1").text
    for response in api.surveys.responses:
        assert response.person_id not in body
        assert response.response_id not in body


def test_filters_that_leave_too_few_suppress_every_group(api: Api) -> None:
    elsewhere = api.read("auditor-1", "by=form&country=GM")
    assert all(g.suppressed for g in elsewhere.values())
    month = f"{RETURNED:%Y-%m}"
    same = api.read("auditor-1", f"by=form&cohort_from={month}&cohort_to={month}")
    assert n(same["cash_only"]) == 12


def test_a_partner_organisation_is_forbidden(api: Api) -> None:
    assert api.get("partner-dakar").status_code == 403


def test_finance_gets_the_figures_of_its_own_offices_as_its_dashboard_shows_them(
    api: Api,
) -> None:
    finance, officer = api.get("finance-dakar"), api.get("officer-dakar")
    assert finance.status_code == 200
    assert finance.json() == officer.json()


def test_without_a_token_the_caller_is_unauthorized(api: Api) -> None:
    assert api.client.get(f"{PATH}?by=form").status_code == 401


def test_an_unknown_programme_is_not_found(api: Api) -> None:
    response = api.get("auditor-1", path="/programmes/nope/outcomes")
    assert response.status_code == 404
    assert response.json()["type"].endswith("not-found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("by=colour", "by"),
        ("by=form&cohort_from=2024-13", "cohort_from"),
        ("by=form&country=sen", "country"),
        ("by=form&person_id=x", "person_id"),
    ],
)
def test_a_malformed_question_is_a_bad_request_naming_its_parameter(
    api: Api, query: str, field: str
) -> None:
    response = api.get("auditor-1", query)
    assert response.status_code == 400, response.text
    assert field in response.text


def test_a_cohort_range_that_ends_before_it_starts_is_refused_with_both_months(api: Api) -> None:
    response = api.get("auditor-1", "by=form&cohort_from=2024-05&cohort_to=2024-03")
    assert response.status_code == 422
    assert "2024-05" in response.json()["detail"]
    assert "2024-03" in response.json()["detail"]
