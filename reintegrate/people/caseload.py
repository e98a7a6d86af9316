"""A caseload file's rules: one row per person, the rows of a household together, its case's
facts on its rows, and every problem named by row and column (`docs/case-imports.md`).

Rows arrive as text cells (a file adapter reads CSV or XLSX into them); this module turns the
rows of each household into a typed household, or into the errors of its rows. The person
registry's and the cases' own rules (`people.validation.validate_person`,
`cases.validate_case`, once-only identity) are applied by the service to what this returns:
none of them is repeated here. Messages never quote a cell: they name the column and the rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

import msgspec

from reintegrate.cases import ReturnType, Role, Vulnerability
from reintegrate.people.caseload_cells import Cells, Row, RowError
from reintegrate.people.identity import IdentifierKind
from reintegrate.people.records import DocumentType, IdDocument, PersonalData, Sex
from reintegrate.texts import Text

HOUSEHOLD_COLUMNS = ("office", "country_of_return", "return_date", "return_type", "stay_months")
"""The case's facts: given on the household's first row; its other rows leave them empty or
repeat them."""
PERSON_COLUMNS = (
    "role",
    "given_names",
    "family_name",
    "birth_date",
    "birth_year",
    "sex",
    "nationality",
    "phone",
    "document_type",
    "document_number",
    "document_country",
    "external_ref",
    "vulnerabilities",
)
COLUMNS = ("household", *HOUSEHOLD_COLUMNS, *PERSON_COLUMNS)
REQUIRED_COLUMNS = frozenset(
    {"household", "office", "country_of_return", "return_date", "return_type", "role"}
    | {"given_names", "family_name", "nationality"}
)
MAX_ROWS = 100_000
"""Rows of persons in one file (10,000 households of three are 30,000)."""
HEADER_ROW = 1

_DOCUMENT_COLUMNS = ("document_type", "document_number", "document_country")
_INDEX = re.compile(r"\[\d+\]")
_FIELD_COLUMNS = {
    "phones": "phone",
    "documents": "document_number",
    "documents.type": "document_type",
    "documents.number": "document_number",
    "documents.issuing_country": "document_country",
    "external_refs": "external_ref",
    "members": "role",
    "members.member_id": "role",
    "members.person_id": "household",
    "identifiers": "household",
}
IDENTIFIER_COLUMNS = {
    IdentifierKind.ID_DOCUMENT: "document_number",
    IdentifierKind.PHONE: "phone",
    IdentifierKind.EXTERNAL_REF: "external_ref",
}
"""The column holding each kind of identifier, for a duplicate found by it."""


class MemberRow(msgspec.Struct, frozen=True, kw_only=True):
    """A person of a household as the row gives them, before the registry's validation."""

    row: int
    member_id: str
    role: Role
    data: PersonalData


class Household(msgspec.Struct, frozen=True, kw_only=True):
    """A household's rows read into its case's facts and its members."""

    ref: str
    office: str
    country_of_return: str
    return_date: dt.date
    return_type: ReturnType
    stay_months: int | None
    members: tuple[MemberRow, ...]

    first_row: int


def check_columns(header: Sequence[str]) -> list[RowError]:
    """Errors of the header row: a column unknown (nothing is collected beyond the layout),
    given twice, or required and missing."""
    errors = [
        RowError(row=HEADER_ROW, column=name or f"#{i + 1}", message=_unknown_column(name))
        for i, name in enumerate(header)
        if name not in COLUMNS
    ]
    errors += [
        RowError(row=HEADER_ROW, column=name, message=Text("this column is given twice"))
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    errors += [
        RowError(row=HEADER_ROW, column=name, message=Text("this required column is missing"))
        for name in sorted(REQUIRED_COLUMNS - set(header))
    ]
    return errors


def _unknown_column(name: str) -> Text:
    if not name:
        return Text("a column has no name")
    return Text("not a column of the layout ({columns})", columns=", ".join(COLUMNS))


def group_rows(rows: Iterable[Row]) -> tuple[list[list[Row]], list[RowError]]:
    """The rows of each household, in file order: a household's rows come one after the
    other, each names its household, and the file holds at most `MAX_ROWS` rows."""
    groups: list[list[Row]] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for count, row in enumerate(rows, 1):
        if count > MAX_ROWS:
            over = Text("over {most} rows", most=MAX_ROWS)
            errors.append(RowError(row=row.number, column="household", message=over))
            break
        ref = row.cell("household")
        if not ref:
            errors.append(RowError(row=row.number, column="household", message=Text("empty")))
        elif groups and groups[-1][0].cell("household") == ref:
            groups[-1].append(row)
        elif ref in first_row:
            errors.append(
                RowError(
                    row=row.number,
                    column="household",
                    message=Text(
                        "this household's rows must follow each other (it began on row {row})",
                        row=first_row[ref],
                    ),
                )
            )
        else:
            first_row[ref] = row.number
            groups.append([row])
    return groups, errors


def read_household(rows: Sequence[Row]) -> tuple[Household | None, list[RowError]]:
    """The household its rows give, with the members whose rows read well, and every error
    of its rows' cells; no household when its case's facts do not read."""
    cells = Cells()
    first = rows[0]
    facts = {column: first.cell(column) for column in HOUSEHOLD_COLUMNS}
    for row in rows[1:]:
        for column in HOUSEHOLD_COLUMNS:
            if row.cell(column) not in ("", facts[column]):
                cells.fail(row, column, Text("differs from the household's first row"))
    members = tuple(_member(row, f"m{i + 1}", cells) for i, row in enumerate(rows))
    office = cells.text(first, "office", required=True)
    country = cells.text(first, "country_of_return", required=True)
    return_date = cells.date(first, "return_date", required=True)
    return_type = cells.choice(first, "return_type", ReturnType, required=True)
    stay = cells.number(first, "stay_months")
    if return_date is None or return_type is None or not office or not country:
        return None, cells.errors
    household = Household(
        ref=first.cell("household"),
        first_row=first.number,
        office=office,
        country_of_return=country,
        return_date=return_date,
        return_type=return_type,
        stay_months=stay,
        members=tuple(m for m in members if m is not None),
    )
    return household, cells.errors


def _member(row: Row, member_id: str, cells: Cells) -> MemberRow | None:
    role = cells.choice(row, "role", Role, required=True)
    given = cells.text(row, "given_names", required=True)
    family = cells.text(row, "family_name", required=True)
    nationality = cells.text(row, "nationality", required=True).upper()
    birth_date = cells.date(row, "birth_date")
    birth_year = cells.number(row, "birth_year")
    sex = cells.choice(row, "sex", Sex) or Sex.UNKNOWN
    phone = cells.text(row, "phone")
    ref = cells.text(row, "external_ref")
    vulnerabilities = cells.choices(row, "vulnerabilities", Vulnerability)
    document = _document(row, cells)
    if role is None or cells.failed(row):
        return None
    data = PersonalData(
        given_names=given,
        family_name=family,
        birth_date=birth_date,
        birth_year=birth_year,
        sex=sex,
        nationality=nationality,
        documents=(document,) if document else (),
        phones=(phone,) if phone else (),
        external_refs=(ref,) if ref else (),
        vulnerabilities=vulnerabilities,
    )
    return MemberRow(row=row.number, member_id=member_id, role=role, data=data)


def _document(row: Row, cells: Cells) -> IdDocument | None:
    given = [c for c in _DOCUMENT_COLUMNS if row.cell(c)]
    if not given:
        return None
    for column in _DOCUMENT_COLUMNS:
        if column not in given:
            whole = Text("an ID document needs its type, number and country")
            cells.fail(row, column, whole)
    kind = cells.choice(row, "document_type", DocumentType)
    if kind is None or len(given) < len(_DOCUMENT_COLUMNS):
        return None
    return IdDocument(
        type=kind,
        number=row.cell("document_number"),
        issuing_country=row.cell("document_country").upper(),
    )


def column_of(field: str | None) -> str:
    """The column that an error of the registry's or the cases' rules names by its input
    `field` (`phones[0]` is `phone`, `members[1].birth_year` is `birth_year`...)."""
    if not field:
        return "household"
    plain = _INDEX.sub("", field)
    if plain in _FIELD_COLUMNS:
        return _FIELD_COLUMNS[plain]
    if plain.startswith("members."):
        plain = plain.removeprefix("members.")
    return _FIELD_COLUMNS.get(plain, plain if plain in COLUMNS else "household")


def member_index(field: str | None) -> int | None:
    """Which member a case rule's error names (`members[2]...` is 2), if one."""
    found = re.match(r"members\[(\d+)\]", field or "")
    return int(found.group(1)) if found else None


def repeated_identifiers(
    people: Iterable[tuple[int, Iterable[tuple[str, str]]]],
) -> list[RowError]:
    """An identifier names one person: of the rows giving the same one (each person's row
    with its identifiers as (column, keyed digest)), every row after the first is refused."""
    first: dict[str, int] = {}
    errors = []
    for row, identifiers in people:
        for column, digest in identifiers:
            seen = first.setdefault(digest, row)
            if seen != row:
                message = Text(
                    "the same {column} as row {row}: an identifier names one person",
                    column=column,
                    row=seen,
                )
                errors.append(RowError(row=row, column=column, message=message))
    return errors
