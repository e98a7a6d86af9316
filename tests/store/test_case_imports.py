"""Importing a caseload file, on SQLite and PostgreSQL: checked whole first, then every
household registered at once or none, the same file once, duplicates named by row and column,
and CSV and XLSX read alike."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import pytest
from sqlalchemy import func, select

from reintegrate.access import Scope
from reintegrate.adapters.caseload_files import errors_csv
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.errors import NotFound
from reintegrate.people.caseload_cells import RowError
from reintegrate.services.audit import verify_audit
from reintegrate.services.case_imports import ImportReport, import_caseload
from reintegrate.services.context import Actor
from reintegrate.store import tables as t
from reintegrate.store.sql import SqlStore
from reintegrate.texts import Text
from tests.builders import OFFICER, PROGRAMME, SOON
from tests.people import builders as people
from tests.people.caseload_files import Rows, as_csv, as_xlsx, households

CHECKS = LibraryIdentifierChecks()
LAGOS_OFFICER = Actor("officer-lagos", Scope(offices=frozenset({"lagos"})))


def run(
    store: SqlStore, content: bytes, *, dry_run: bool = False, actor: Actor = OFFICER
) -> ImportReport:
    return import_caseload(
        store, CHECKS, actor, SOON, programme_id=PROGRAMME, content=content, dry_run=dry_run
    )


def counted(store: SqlStore) -> tuple[int, int, int]:
    """Persons, cases and journal entries in the database."""
    with store.engine.connect() as c:
        return tuple(  # type: ignore[return-value]
            c.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (t.PersonRow.__table__, t.CaseRow.__table__, t.JournalRow.__table__)  # type: ignore[attr-defined]
        )


def with_bad_phone(rows: Rows, index: int) -> Rows:
    rows[index]["phone"] = "not-a-phone-marker77"
    return rows


def test_a_dry_run_reports_every_error_with_its_row_and_column_and_writes_nothing(
    programme_store: SqlStore,
) -> None:
    rows = with_bad_phone(households(2, 3), 3)
    rows[1]["role"] = "cousin"
    rows[4]["birth_year"] = "later"
    before = counted(programme_store)
    report = run(programme_store, as_csv(rows), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "role"),
        (5, "phone"),
        (6, "birth_year"),
    ]
    assert (report.households, report.persons, report.import_id) == (2, 5, None)
    assert counted(programme_store) == before


def test_a_valid_file_registers_every_household_and_the_journal_still_verifies(
    programme_store: SqlStore,
) -> None:
    persons, cases, entries = counted(programme_store)
    report = run(programme_store, as_csv(households(1, 2, 4)))
    assert report.imported
    assert (report.households, report.persons, report.errors) == (3, 7, ())
    assert counted(programme_store) == (persons + 7, cases + 3, entries + 7 + 3 + 1)
    assert verify_audit(programme_store).ok


def test_a_valid_dry_run_says_what_would_be_imported_and_imports_nothing(
    programme_store: SqlStore,
) -> None:
    before = counted(programme_store)
    report = run(programme_store, as_csv(households(2, 2)), dry_run=True)
    assert (report.errors, report.households, report.imported) == ((), 2, False)
    assert counted(programme_store) == before


def test_a_file_with_one_bad_row_imports_nothing(programme_store: SqlStore) -> None:
    before = counted(programme_store)
    report = run(programme_store, as_csv(with_bad_phone(households(*[3] * 20), 59)))
    assert report.errors == (RowError(row=61, column="phone", message=report.errors[0].message),)
    assert not report.imported
    assert counted(programme_store) == before


def test_the_same_file_twice_imports_nothing_new(programme_store: SqlStore) -> None:
    content = as_csv(households(2, 1))
    first = run(programme_store, content)
    after_first = counted(programme_store)
    again = run(programme_store, content)
    assert again.already_imported
    assert again.import_id == first.import_id
    assert not again.imported
    assert counted(programme_store) == after_first


def test_persons_the_registry_knows_are_reported_on_their_row_and_identifier_column(
    programme_store: SqlStore,
) -> None:
    people.register_marked(programme_store, "imp", 41)
    rows = households(2, 2)
    rows[3]["phone"] = people.marked_person("imp", 41).phones[0]
    report = run(programme_store, as_csv(rows))
    assert [(e.row, e.column) for e in report.errors] == [(5, "phone")]
    assert "belong to person per_" in str(report.errors[0].message)
    assert not report.imported


def test_the_same_identifier_on_two_rows_of_the_file_is_refused_on_the_second(
    programme_store: SqlStore,
) -> None:
    rows = households(2, 2)
    rows[3]["external_ref"] = rows[0]["external_ref"]
    report = run(programme_store, as_csv(rows), dry_run=True)
    assert report.errors == (
        RowError(
            row=5,
            column="external_ref",
            message=Text(
                "the same {column} as row {row}: an identifier names one person",
                column="external_ref",
                row=2,
            ),
        ),
    )


def test_an_xlsx_workbook_and_a_csv_file_of_the_same_rows_give_the_same_report(
    programme_store: SqlStore,
) -> None:
    rows = with_bad_phone(households(3, 2), 2)
    rows[0]["return_date"] = "2024-02-30"
    from_csv = run(programme_store, as_csv(rows), dry_run=True)
    from_xlsx = run(programme_store, as_xlsx(rows), dry_run=True)
    assert from_csv.errors == from_xlsx.errors
    assert (from_csv.households, from_csv.persons) == (from_xlsx.households, from_xlsx.persons)
    good = households(3, 2)
    imported = run(programme_store, as_xlsx(good))
    assert (imported.imported, imported.households, imported.persons) == (True, 2, 5)


def test_an_officer_imports_households_of_their_own_offices_only(
    programme_store: SqlStore,
) -> None:
    before = counted(programme_store)
    report = run(programme_store, as_csv(households(1, 2)), actor=LAGOS_OFFICER)
    assert [(e.row, e.column) for e in report.errors] == [(2, "office"), (3, "office")]
    assert counted(programme_store) == before


def test_an_unknown_programme_is_not_found(programme_store: SqlStore) -> None:
    with pytest.raises(NotFound) as refused:
        import_caseload(
            programme_store,
            CHECKS,
            OFFICER,
            SOON,
            programme_id="nope",
            content=as_csv(households(1)),
        )
    assert refused.value.field == "programme_id"


def test_errors_never_quote_a_cell_and_their_csv_names_row_column_and_rule(
    programme_store: SqlStore,
) -> None:
    rows = with_bad_phone(households(2), 1)
    rows[0]["given_names"] = "Marker\u200bName"
    report = run(programme_store, as_csv(rows), dry_run=True)
    written = errors_csv(report.errors).decode()
    assert written.splitlines()[0] == "row,column,message"
    assert [line.split(",")[:2] for line in written.splitlines()[1:]] == [
        ["2", "given_names"],
        ["3", "phone"],
    ]
    assert "marker" not in written.lower()


def test_a_household_whose_member_was_born_after_the_return_is_refused_on_that_row(
    programme_store: SqlStore,
) -> None:
    rows = households(3)
    rows[2]["birth_year"] = ""
    rows[2]["birth_date"] = (dt.date(2024, 3, 1) + dt.timedelta(days=3)).isoformat()
    report = run(programme_store, as_csv(rows), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(4, "birth_date")]
    assert rows[2]["birth_date"] not in str(report.errors[0].message)


def test_the_documented_example_file_registers_its_two_households(
    programme_store: SqlStore,
) -> None:
    content = (
        Path(__file__).resolve().parents[2] / "docs" / "examples" / "caseload.csv"
    ).read_bytes()
    after_its_returns = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    report = import_caseload(
        programme_store, CHECKS, OFFICER, after_its_returns, programme_id=PROGRAMME, content=content
    )
    assert (report.errors, report.households, report.persons) == ((), 2, 5)


def test_two_workers_importing_the_same_file_at_once_register_it_once(
    programme_store: SqlStore, database_url: str
) -> None:
    content = as_csv(households(*[3] * 30))
    workers = [SqlStore(database_url), SqlStore(database_url)]
    start = Barrier(len(workers))

    def importing(worker: SqlStore) -> ImportReport:
        start.wait()
        return run(worker, content)

    before = counted(programme_store)
    with ThreadPoolExecutor(len(workers)) as pool:
        reports = list(pool.map(importing, workers))
    for worker in workers:
        worker.engine.dispose()
    assert sorted(r.imported for r in reports) == [False, True]
    assert [r.already_imported for r in reports if not r.imported] == [True]
    persons, cases, entries = before
    assert counted(programme_store) == (persons + 90, cases + 30, entries + 90 + 30 + 1)
