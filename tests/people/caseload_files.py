"""Caseload files for tests: households of plainly fake people with identifiers unique to
each run, written as CSV or as an XLSX workbook (dates as real date cells)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import openpyxl

from reintegrate.people.caseload import COLUMNS

Rows = list[dict[str, str]]


def households(*sizes: int, office: str = "dakar", returned: dt.date = dt.date(2024, 3, 1)) -> Rows:
    """One household per size: a principal born 1985 and dependants born 2015, each with an
    external reference never used before; the case's facts on the first row only."""
    run = uuid.uuid4().hex[:10]
    rows: Rows = []
    for h, size in enumerate(sizes, 1):
        for m in range(size):
            row = dict.fromkeys(COLUMNS, "")
            row |= {
                "household": f"H{h}",
                "role": "principal" if m == 0 else "dependant",
                "given_names": f"Given{m}",
                "family_name": f"Family{h}",
                "birth_year": "1985" if m == 0 else "2015",
                "nationality": "SN",
                "external_ref": f"imp-{run}-{h}-{m}",
            }
            if m == 0:
                row |= {
                    "office": office,
                    "country_of_return": "SN",
                    "return_date": returned.isoformat(),
                    "return_type": "assisted_voluntary",
                }
            rows.append(row)
    return rows


def as_csv(rows: Rows) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: Rows) -> bytes:
    """The rows as a workbook, as a spreadsheet would keep them: dates as date cells and
    years as numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_cell(column, row[column]) for column in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(column: str, value: str) -> object:
    """A date or a number as the spreadsheet's own type where it is one, else the text."""
    if not value:
        return None
    try:
        if column.endswith("_date"):
            return dt.date.fromisoformat(value)
        if column in {"birth_year", "stay_months"}:
            return int(value)
    except ValueError:
        pass
    return value
