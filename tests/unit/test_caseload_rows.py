"""The caseload file's own rules: the header, a household's rows together, its case's facts
on its first row, cells read into typed values, and errors named by row and column."""

from __future__ import annotations

import datetime as dt

from reintegrate.cases import ReturnType, Role
from reintegrate.people.caseload import (
    COLUMNS,
    check_columns,
    column_of,
    group_rows,
    read_household,
    repeated_identifiers,
)
from reintegrate.people.caseload_cells import Row, RowError
from reintegrate.texts import Text


def row(number: int, household: str, **cells: str) -> Row:
    return Row(number=number, cells={"household": household, **cells})


def person(number: int, household: str, role: str = "dependant", **cells: str) -> Row:
    given = {"given_names": "A", "family_name": "B", "nationality": "sn", "role": role}
    return row(number, household, **(given | cells))


def principal(number: int, household: str, **cells: str) -> Row:
    case = {
        "office": "dakar",
        "country_of_return": "SN",
        "return_date": "2025-05-01",
        "return_type": "assisted_voluntary",
    }
    return person(number, household, "principal", **(case | cells))


def test_a_header_with_an_unknown_a_repeated_and_a_missing_column_is_refused() -> None:
    header = [c for c in COLUMNS if c != "nationality"] + ["religion", "phone"]
    assert check_columns(header) == [
        RowError(row=1, column="religion", message=check_columns(["religion"])[0].message),
        RowError(row=1, column="phone", message=Text("this column is given twice")),
        RowError(row=1, column="nationality", message=Text("this required column is missing")),
    ]


def test_the_layouts_header_is_accepted() -> None:
    assert check_columns(list(COLUMNS)) == []


def test_a_households_rows_follow_each_other() -> None:
    groups, errors = group_rows(
        [principal(2, "H1"), person(3, "H1"), principal(4, "H2"), person(5, "H1")]
    )
    assert [[r.number for r in g] for g in groups] == [[2, 3], [4]]
    assert [(e.row, e.column) for e in errors] == [(5, "household")]
    assert "began on row 2" in str(errors[0].message)


def test_a_row_without_its_household_is_refused() -> None:
    empty = RowError(row=2, column="household", message=Text("empty"))
    assert group_rows([person(2, "")])[1] == [empty]


def test_a_household_reads_into_its_case_facts_and_members_in_row_order() -> None:
    household, errors = read_household(
        [principal(2, "H1", birth_year="1985"), person(3, "H1", birth_date="2015-02-03")]
    )
    assert errors == []
    assert household is not None
    assert (household.office, household.return_date, household.return_type) == (
        "dakar",
        dt.date(2025, 5, 1),
        ReturnType.ASSISTED_VOLUNTARY,
    )
    assert [(m.row, m.member_id, m.role) for m in household.members] == [
        (2, "m1", Role.PRINCIPAL),
        (3, "m2", Role.DEPENDANT),
    ]
    assert household.members[0].data.nationality == "SN"
    assert household.members[1].data.birth_date == dt.date(2015, 2, 3)


def test_every_bad_cell_of_a_household_is_reported_not_only_the_first() -> None:
    household, errors = read_household(
        [
            principal(2, "H1", birth_year="19x5", sex="yes"),
            person(3, "H1", office="lagos", document_number="A1"),
        ]
    )
    assert household is not None
    assert [(e.row, e.column) for e in errors] == [
        (3, "office"),
        (2, "birth_year"),
        (2, "sex"),
        (3, "document_type"),
        (3, "document_country"),
    ]


def test_a_household_without_its_case_facts_is_not_read() -> None:
    household, errors = read_household([person(2, "H1", role="principal")])
    assert household is None
    assert {e.column for e in errors} == {
        "office",
        "country_of_return",
        "return_date",
        "return_type",
    }


def test_the_registrys_field_names_become_the_files_columns() -> None:
    assert column_of("phones[0]") == "phone"
    assert column_of("documents[0].number") == "document_number"
    assert column_of("external_refs[1]") == "external_ref"
    assert column_of("members[2].birth_year") == "birth_year"
    assert column_of("members") == "role"
    assert column_of("given_names") == "given_names"
    assert column_of(None) == "household"


def test_an_identifier_given_again_on_a_later_row_is_refused_there_naming_the_first() -> None:
    people = [
        (2, [("document_number", "digest-a"), ("phone", "digest-b")]),
        (3, [("phone", "digest-c")]),
        (5, [("document_number", "digest-a")]),
    ]

    errors = repeated_identifiers(people)

    assert [(e.row, e.column) for e in errors] == [(5, "document_number")]
    assert "row 2" in str(errors[0].message)
