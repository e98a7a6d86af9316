"""GET /programmes/{programme_id}/financial-report: JSON by default, CSV or XLSX by Accept or
`?format=`, for admins, finance and auditors only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import openpyxl
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.app import create_app
from api.routes_reports import XLSX
from reintegrate.access import Role
from reintegrate.adapters.financial_report_files import FinancialReportDocument
from reintegrate.services.context import Actor
from reintegrate.services.reports import financial_report
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from tests.reports.conftest import NOW

PATH = "/programmes/eurp/financial-report"
USERS = {
    "admin-1": (Role.ADMIN, frozenset[str]()),
    "auditor-1": (Role.AUDITOR, frozenset[str]()),
    "finance-dakar": (Role.FINANCE, frozenset({"dakar"})),
    "officer-dakar": (Role.OFFICER, frozenset({"dakar"})),
    "approver-dakar": (Role.APPROVER, frozenset({"dakar"})),
    "partner-dakar": (Role.PARTNER, frozenset({"dakar"})),
}


class Api:
    def __init__(self, client: TestClient[Litestar], tokens: dict[str, str], store: SqlStore):
        self.client, self.tokens, self.store = client, tokens, store

    def get(self, who: str, path: str = PATH, accept: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        if accept is not None:
            headers["Accept"] = accept
        return self.client.get(path, headers=headers)


@pytest.fixture(scope="module")
def api(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    copy = tmp_path_factory.mktemp("api") / "api.db"
    shutil.copy(demo_file, copy)
    store = SqlStore(f"sqlite:///{copy}")
    records = ApiRecords(store.engine)
    tokens = {
        user: add_user(records, user, NOW, role=role, offices=offices)
        for user, (role, offices) in USERS.items()
    }
    clock = NOW + dt.timedelta(hours=1)
    with TestClient(create_app(store, clock=lambda: clock)) as client:
        yield Api(client, tokens, store)


def test_an_auditor_gets_the_whole_programme_as_json_by_default(api: Api) -> None:
    response = api.get("auditor-1")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    doc = msgspec.json.decode(response.content, type=FinancialReportDocument, strict=True)
    expected = financial_report(api.store, Actor("auditor-1"), "eurp")
    assert doc.agrees_with_ledger
    assert doc.offices is None
    assert doc.total.figures.paid.amount == f"{expected.total.figures.paid / 100:.2f}"


def test_finance_gets_its_offices_figures_and_the_whole_lines_funds(api: Api) -> None:
    doc = msgspec.json.decode(api.get("finance-dakar").content, type=FinancialReportDocument)
    whole = msgspec.json.decode(api.get("admin-1").content, type=FinancialReportDocument)
    assert doc.offices == ["dakar"]
    assert (doc.total.funds, doc.total.available) == (whole.total.funds, whole.total.available)
    assert doc.agrees_with_ledger


def test_csv_is_chosen_by_the_accept_header(api: Api) -> None:
    response = api.get("auditor-1", accept="text/csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="eurp-financial-report.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    total = next(r for r in rows if (r["section"], r["budget_line"]) == ("budget_line", "*"))
    doc = msgspec.json.decode(api.get("auditor-1").content, type=FinancialReportDocument)
    assert total["committed"] == doc.total.figures.committed.amount


@pytest.mark.parametrize(
    ("path", "accept"),
    [(f"{PATH}?format=xlsx", None), (PATH, XLSX), (f"{PATH}?format=xlsx", "text/csv")],
)
def test_an_xlsx_workbook_is_chosen_by_the_format_or_the_accept_header(
    api: Api, path: str, accept: str | None
) -> None:
    response = api.get("auditor-1", path, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["Report"]["B1"].value == "eurp"


@pytest.mark.parametrize("who", ["officer-dakar", "approver-dakar", "partner-dakar"])
def test_a_role_that_does_not_answer_for_money_is_forbidden(api: Api, who: str) -> None:
    response = api.get(who)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert USERS[who][0].value in response.json()["detail"]


def test_an_unknown_programme_is_not_found(api: Api) -> None:
    response = api.get("auditor-1", "/programmes/nowhere/financial-report")
    assert response.status_code == 404
    assert response.json()["field"] == "programme_id"


def test_an_unknown_format_is_a_bad_request(api: Api) -> None:
    response = api.get("auditor-1", f"{PATH}?format=pdf")
    assert response.status_code == 400
    assert response.json()["field"] == "format"
