"""Caseload files (CSV or XLSX) read into rows of text cells, and their errors written as CSV.

Both formats give the same rows: row 1 is the header, each later row is numbered as the file
numbers it (a CSV record's number, a sheet's row), cells are trimmed text, and a date cell
of a workbook is written YYYY-MM-DD. Wholly empty rows are skipped. Nothing here decides
whether a row is right: `people.caseload` does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator

import msgspec

from reintegrate.errors import ValidationFailed
from reintegrate.people.caseload import HEADER_ROW, MAX_ROWS
from reintegrate.people.caseload_cells import Row, RowError
from reintegrate.texts import Text, Writer, english, render

XLSX_MAGIC = b"PK\x03\x04"
MAX_FILE_BYTES = 50 * 1024 * 1024


class CaseloadTable(msgspec.Struct, frozen=True, kw_only=True):
    """The header's column names (lower case) and the rows after it."""

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    extra_cells: tuple[RowError, ...] = ()
    """Rows holding more cells than the header names columns."""


def read_caseload(content: bytes) -> CaseloadTable:
    """The file's rows: an XLSX workbook's first sheet, else CSV (UTF-8, comma or semicolon).
    `ValidationFailed` (field `file`) if it is neither, or over `MAX_FILE_BYTES`."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationFailed(
            Text("the file is over {most} bytes", most=MAX_FILE_BYTES), field="file"
        )
    if content.startswith(XLSX_MAGIC):
        return _table(_xlsx_rows(content))
    return _table(_csv_rows(content))


def _table(rows: Iterator[tuple[int, list[str]]]) -> CaseloadTable:
    first = next(rows, None)
    if first is None:
        raise ValidationFailed(Text("the file is empty: row 1 names the columns"), field="file")
    header = tuple(name.strip().lower() for name in first[1])
    while header and not header[-1]:
        header = header[:-1]
    kept: list[Row] = []
    extra: list[RowError] = []
    for number, cells in rows:
        if not any(cells):
            continue
        if len(kept) > MAX_ROWS:  # enough for `group_rows` to refuse the file: read no more
            break
        if any(cells[len(header) :]):
            beyond = f"#{len(header) + 1}"
            beyond_header = Text("a cell beyond the header")
            extra.append(RowError(row=number, column=beyond, message=beyond_header))
        kept.append(Row(number=number, cells=dict(zip(header, cells, strict=False))))
    return CaseloadTable(header=header, rows=tuple(kept), extra_cells=tuple(extra))


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationFailed(
            Text("a CSV file is read as UTF-8: byte {byte} is not", byte=error.start), field="file"
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, HEADER_ROW):
            yield number, [c.strip() for c in cells]
    except csv.Error as error:
        raise ValidationFailed(
            Text("not a CSV file: {reason} (row {row})", reason=str(error), row=reader.line_num),
            field="file",
        ) from error


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    # Imported here: openpyxl (and numpy, which it imports when installed) is a fifth of a
    # second of every command's start, and only a workbook needs it.
    import openpyxl  # noqa: PLC0415
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    not_a_workbook: tuple[type[Exception], ...] = (InvalidFileException, *_NOT_A_WORKBOOK)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except not_a_workbook as error:
        raise ValidationFailed(
            Text("not an XLSX workbook ({reason})", reason=str(error)), field="file"
        ) from error
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), HEADER_ROW):
            yield number, [_cell_text(v) for v in values]
    except not_a_workbook as error:
        raise ValidationFailed(
            Text("the workbook's first sheet does not read ({reason})", reason=str(error)),
            field="file",
        ) from error
    finally:
        book.close()


_NOT_A_WORKBOOK: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    SyntaxError,  # the XML parser's ParseError
    IndexError,
)
"""What openpyxl raises for a file that is not a workbook, or whose sheet is damaged
(besides its own InvalidFileException)."""


def _cell_text(value: object) -> str:
    match value:
        case None:
            return ""
        case dt.datetime():
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
        case dt.date():
            return value.isoformat()
        case float() if value.is_integer():
            return str(int(value))
        case bool():
            return str(value).lower()
        case _:
            return str(value).strip()


def errors_csv(errors: Iterable[RowError], language: Writer = english) -> bytes:
    """The errors as a CSV file: `row,column,message`, one error a line, each message as
    `language` writes it (the header and the columns' names as they are)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("row", "column", "message"))
    writer.writerows((e.row, _inert(e.column), _inert(render(e.message, language))) for e in errors)
    return out.getvalue().encode("utf-8")


def _inert(text: str) -> str:
    """`text` as a spreadsheet shows it rather than runs it (a header's name may be anything)."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
