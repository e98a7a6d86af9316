"""POST /programmes/{programme_id}/case-imports: a dry run unless asked, every error as JSON
or as a CSV file to download, all households registered at once or none, once per file, and
only for the caller's offices."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from sqlalchemy import func, select

from reintegrate.store.tables import CaseRow
from tests.api.conftest import RETURNED, World, call
from tests.api.plans import FilePart
from tests.people.caseload_files import Rows, as_csv, as_xlsx, households

PATH = "/programmes/eurp/case-imports"


def upload(rows: Rows, *, xlsx: bool = False) -> dict[str, Any]:
    if xlsx:
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return {"file": FilePart(as_xlsx(rows), media, "caseload.xlsx")}
    return {"file": FilePart(as_csv(rows), "text/csv", "caseload.csv")}


def post(
    world: World, rows: Rows, query: str = "", who: str = "officer", **kw: Any
) -> httpx.Response:
    return call(world.client, who, "POST", PATH + query, upload(rows, **kw.pop("as_", {})), **kw)


def cases_seen(world: World) -> int:
    with world.store.engine.connect() as connection:
        counted: int = connection.execute(
            select(func.count()).select_from(CaseRow.__table__)  # type: ignore[attr-defined]
        ).scalar_one()
    return counted


def test_without_dry_run_false_the_file_is_only_checked(world: World) -> None:
    before = (world.journal_length(), cases_seen(world))
    answer = post(world, households(2, 3, returned=RETURNED))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["dry_run"], body["imported"], body["households"], body["persons"]) == (
        True,
        False,
        2,
        5,
    )
    assert (world.journal_length(), cases_seen(world)) == before


def test_dry_run_false_registers_every_household_and_the_same_file_again_nothing(
    world: World,
) -> None:
    rows = households(2, 3, returned=RETURNED)
    cases = cases_seen(world)
    answer = post(world, rows, "?dry_run=false")
    assert answer.status_code == 201, answer.text
    assert answer.json()["imported"] is True
    assert cases_seen(world) == cases + 2
    length = world.journal_length()
    again = post(world, rows, "?dry_run=false")
    assert again.status_code == 200, again.text
    assert again.json()["already_imported"] is True
    assert again.json()["import_id"] == answer.json()["import_id"]
    assert world.journal_length() == length


def test_errors_are_listed_as_json_and_downloadable_as_csv(world: World) -> None:
    rows = households(2, 2, returned=RETURNED)
    rows[3]["sex"] = "n/a"
    listed = post(world, rows, "?dry_run=false")
    assert listed.status_code == 200, listed.text
    assert listed.json()["imported"] is False
    errors = listed.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(5, "sex")]
    for query, headers in (("?format=csv", {}), ("", {"Accept": "text/csv"})):
        answer = post(world, rows, query, headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/csv")
        assert answer.headers["content-disposition"].startswith("attachment;")
        written = list(csv.DictReader(io.StringIO(answer.text)))
        assert [(int(e["row"]), e["column"], e["message"]) for e in written] == [
            (e["row"], e["column"], e["message"]) for e in errors
        ]


def test_a_workbook_is_read_as_its_csv_would_be(world: World) -> None:
    rows = households(1, 2, returned=RETURNED)
    rows[0]["return_type"] = "deported"
    from_csv = post(world, rows).json()
    from_xlsx = post(world, rows, as_={"xlsx": True}).json()
    assert from_csv["errors"] == from_xlsx["errors"]
    assert [(e["row"], e["column"]) for e in from_csv["errors"]] == [(2, "return_type")]


def test_households_of_another_office_are_refused_row_by_row(world: World) -> None:
    before = world.journal_length()
    answer = post(world, households(1, returned=RETURNED), "?dry_run=false", who="officer-lagos")
    assert answer.status_code == 200, answer.text
    assert [(e["row"], e["column"]) for e in answer.json()["errors"]] == [(2, "office")]
    assert world.journal_length() == before


def test_a_partner_imports_households_of_its_own_office(world: World) -> None:
    answer = post(world, households(2, returned=RETURNED), "?dry_run=false", who="partner")
    assert answer.status_code == 201, answer.text


def test_errors_are_worded_in_the_callers_language_as_json_and_as_csv(world: World) -> None:
    rows = households(2, 2, returned=RETURNED)
    rows[3]["sex"] = "n/a"
    worded = {
        "fr": "n'est pas l'une des valeurs : ",
        "es": "no es uno de los valores: ",
    }
    english = post(world, rows).json()["errors"][0]["message"]
    assert english.startswith("not one of ")
    values = english.removeprefix("not one of ")
    for language, said in worded.items():
        headers = {"Accept-Language": language}
        answer = post(world, rows, headers=headers)
        assert answer.headers["content-language"] == language
        assert [(e["row"], e["column"], e["message"]) for e in answer.json()["errors"]] == [
            (5, "sex", said + values)
        ]
        written = post(world, rows, "?format=csv", headers=headers)
        assert written.headers["content-language"] == language
        assert [e["message"] for e in csv.DictReader(io.StringIO(written.text))] == [said + values]


def test_an_answer_without_errors_names_no_language(world: World) -> None:
    answer = post(world, households(1, 1, returned=RETURNED), headers={"Accept-Language": "fr"})
    assert answer.status_code == 200, answer.text
    assert "content-language" not in answer.headers
