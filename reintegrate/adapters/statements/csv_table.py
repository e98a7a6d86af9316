"""From a CSV file's bytes to columns of text: the encoding, the header, the rows.

Files without a quote character take a fast path: every line is checked to hold exactly the
header's number of separators, then the whole text is split at once and each column is a
slice of that split. Anything else (quotes, stray carriage returns, blank lines, a line with
the wrong number of fields) goes through the `csv` module, which also produces the precise
error for a malformed file. Both paths give the same columns for the same file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat

from reintegrate.adapters.statements import StatementRejected
from reintegrate.reconcile.statements.csv_mapping import DELIMITERS, CsvMapping
from reintegrate.texts import Text

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class Table:
    """The mapped columns of a file: raw text values, one per data row, in file order."""

    names: dict[str, str]
    """Role ("amount") -> the column's name in the header ("Montant")."""
    columns: dict[str, list[str]]
    line_numbers: Sequence[int]
    """The file line on which each row starts (the header is line 1)."""

    def __len__(self) -> int:
        return len(self.line_numbers)


def decode_text(data: bytes, encoding: str, prefix: str = "") -> str:
    """The file's text in its declared encoding; a UTF-8 byte-order mark is dropped."""
    if data.startswith(_UTF16_BOMS):
        raise StatementRejected(
            Text("the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"),
            field=f"{prefix}line 1",
        )
    if encoding != "utf-8" and data.startswith(codecs.BOM_UTF8):
        raise StatementRejected(
            Text(
                "the file starts with a UTF-8 byte-order mark but the mapping declares {encoding}",
                encoding=encoding,
            ),
            field=f"{prefix}line 1",
        )
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(data, encoding, exc, prefix) from None


def _undecodable(
    data: bytes, encoding: str, exc: UnicodeDecodeError, prefix: str
) -> StatementRejected:
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    where = Text(
        "byte {byte} at line {line}, position {position}",
        byte=f"0x{data[exc.start]:02X}",
        line=line,
        position=column,
    )
    if exc.reason == "unexpected end of data":
        message = Text(
            "the file ends in the middle of a {encoding} character ({where}): truncated?",
            encoding=encoding,
            where=where,
        )
    elif encoding == "utf-8":
        message = Text(
            "the file is not valid {encoding}: {where} (if the provider writes cp1252 or "
            "latin-1, declare it in the mapping)",
            encoding=encoding,
            where=where,
        )
    else:
        message = Text("the file is not valid {encoding}: {where}", encoding=encoding, where=where)
    return StatementRejected(message, field=f"{prefix}line {line}")


def read_table(text: str, mapping: CsvMapping, prefix: str = "") -> Table:
    """The mapped columns of `text`, or `StatementRejected` naming the line at fault."""
    end_of_header = text.find("\n")
    first_line = (text if end_of_header < 0 else text[:end_of_header]).removesuffix("\r")
    if not first_line.strip():
        raise StatementRejected(Text("the file is empty: no header line"), field=f"{prefix}line 1")
    wanted = mapping.columns()
    delimiter: str = mapping.delimiter
    if delimiter == "auto":
        delimiter = _detect_delimiter(first_line, wanted.values())
    header = _split_header(first_line, delimiter, prefix)
    indexes = _locate(header, wanted, prefix)
    width = len(header)
    plain = _split_plain(text, delimiter, width)
    if plain is not None:
        fields, rows = plain
        end = width * (rows + 1)
        columns = {role: fields[width + index : end : width] for role, index in indexes.items()}
        return Table(wanted, columns, range(2, 2 + rows))
    body = "" if end_of_header < 0 else text[end_of_header + 1 :]
    quoted, numbers = _split_quoted(body, delimiter, width, prefix)
    columns = {role: [row[index] for row in quoted] for role, index in indexes.items()}
    return Table(wanted, columns, numbers)


def _detect_delimiter(first_line: str, names: Iterable[str]) -> str:
    """The first of , ; tab | that splits the header into all the mapped names (else the
    one that finds the most of them, so that the error names what is missing)."""
    wanted = set(names)

    def found(delimiter: str) -> int:
        header = next(csv.reader([first_line], delimiter=delimiter))
        return len(wanted & {name.strip() for name in header})

    return max(DELIMITERS, key=lambda d: (found(d), -DELIMITERS.index(d)))


def _split_header(first_line: str, delimiter: str, prefix: str) -> list[str]:
    try:
        header = next(csv.reader([first_line], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise StatementRejected(
            Text("the header is malformed: {reason}", reason=str(exc)), field=f"{prefix}line 1"
        ) from None
    return [name.strip() for name in header]


def _locate(header: list[str], wanted: dict[str, str], prefix: str) -> dict[str, int]:
    missing = [name for name in wanted.values() if name not in header]
    if missing:
        raise StatementRejected(
            Text(
                "the header has no column {missing}; it has {found}",
                missing=_quoted(missing),
                found=_quoted(header),
            ),
            field=f"{prefix}line 1, column {missing[0]}",
        )
    repeated = [name for name in wanted.values() if header.count(name) > 1]
    if repeated:
        raise StatementRejected(
            Text("the header names column '{name}' more than once", name=repeated[0]),
            field=f"{prefix}line 1, column {repeated[0]}",
        )
    return {role: header.index(name) for role, name in wanted.items()}


def _quoted(names: list[str]) -> str:
    """Column names as a file gives them, each in quotes: `'date', 'amount'`."""
    return ", ".join(f"'{name}'" for name in names)


def _split_plain(text: str, delimiter: str, width: int) -> tuple[list[str], int] | None:
    """All fields of all lines, header first, and the number of data rows, when no field
    can be quoted and every line has the header's width; else None."""
    if '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    while lines and not lines[-1]:
        lines.pop()
    if "" in lines or set(map(str.count, lines, repeat(delimiter))) != {width - 1}:
        return None
    rows = len(lines) - 1
    del lines
    return text.replace("\n", delimiter).split(delimiter), rows


def _split_quoted(
    body: str, delimiter: str, width: int, prefix: str
) -> tuple[list[list[str]], list[int]]:
    """Rows through the `csv` module, blank lines skipped, each with the line it starts on."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    start = 2
    try:
        for row in reader:
            if row:
                if len(row) != width:
                    raise _wrong_width(row, width, start, reader, prefix)
                rows.append(row)
                numbers.append(start)
            start = 2 + reader.line_num
    except csv.Error as exc:
        raise _malformed(exc, start, prefix) from None
    return rows, numbers


def _wrong_width(
    row: list[str], width: int, line: int, reader: Iterator[list[str]], prefix: str
) -> StatementRejected:
    field = f"{prefix}line {line}"
    if len(row) > width:
        return StatementRejected(
            Text(
                "the line has {count} fields where the header has {width} "
                "(a separator inside a value that is not quoted?)",
                count=len(row),
                width=width,
            ),
            field=field,
        )
    if not any(reader):
        return StatementRejected(
            Text(
                "the last line has {count} fields where the header has {width}: "
                "the file looks truncated",
                count=len(row),
                width=width,
            ),
            field=field,
        )
    return StatementRejected(
        Text(
            "the line has {count} fields where the header has {width}",
            count=len(row),
            width=width,
        ),
        field=field,
    )


def _malformed(exc: csv.Error, line: int, prefix: str) -> StatementRejected:
    if "unexpected end of data" in str(exc):
        message = Text(
            "a quoted value opened on this line is never closed: "
            "the file ends inside it (truncated?)"
        )
    else:
        message = Text("the line is malformed: {reason}", reason=str(exc))
    return StatementRejected(message, field=f"{prefix}line {line}")
