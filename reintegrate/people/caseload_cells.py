"""Cells of a caseload file's rows, and the errors named by row and column: typed values read
out of text, every error kept rather than the first only, and no cell's value quoted."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable
from typing import TypeVar

import msgspec

from reintegrate.texts import Text

MAX_CELL = 300
MAX_DIGITS = 6
LIST_SEPARATOR = ";"

E = TypeVar("E", bound=enum.StrEnum)


class RowError(msgspec.Struct, frozen=True, kw_only=True):
    """A problem of the file: its row (the header is row 1), the column, and the rule broken,
    without the cell's value."""

    row: int
    column: str
    message: Text


def in_order(errors: Iterable[RowError]) -> list[RowError]:
    """The errors by row, then column, then their English."""
    return sorted(errors, key=lambda e: (e.row, e.column, str(e.message)))


class Row(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the file: its number and its cells by column (trimmed text, "" if empty)."""

    number: int
    cells: dict[str, str]

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")


class Cells:
    """Reads typed values out of rows, keeping every error rather than stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def fail(self, row: Row, column: str, message: Text) -> None:
        self.errors.append(RowError(row=row.number, column=column, message=message))

    def failed(self, row: Row) -> bool:
        return any(e.row == row.number for e in self.errors)

    def text(self, row: Row, column: str, *, required: bool = False) -> str:
        value = row.cells.get(column, "")  # `Row.cell`, read 350,000 times in 30,000 rows
        if required and not value:
            self.fail(row, column, Text("required, and empty"))
        elif len(value) > MAX_CELL:
            self.fail(row, column, Text("longer than {most} characters", most=MAX_CELL))
        return value

    def date(self, row: Row, column: str, *, required: bool = False) -> dt.date | None:
        value = self.text(row, column, required=required)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(row, column, Text("not a date written YYYY-MM-DD"))
            return None

    def number(self, row: Row, column: str) -> int | None:
        value = self.text(row, column)
        if not value:
            return None
        if not value.isascii() or not value.isdigit() or len(value) > MAX_DIGITS:
            most = Text("not a whole number of at most {digits} digits", digits=MAX_DIGITS)
            self.fail(row, column, most)
            return None
        return int(value)

    def choice(self, row: Row, column: str, kind: type[E], *, required: bool = False) -> E | None:
        value = self.text(row, column, required=required)
        if not value:
            return None
        try:
            return kind(value.lower())
        except ValueError:
            self.fail(row, column, Text("not one of {values}", values=", ".join(_values(kind))))
            return None

    def choices(self, row: Row, column: str, kind: type[E]) -> tuple[E, ...]:
        value = self.text(row, column)
        if not value:
            return ()
        parts = [p.strip().lower() for p in value.split(LIST_SEPARATOR) if p.strip()]
        allowed = _values(kind)
        if any(p not in allowed for p in parts):
            each_one = Text(
                "each `{separator}`-separated one of {values}",
                separator=LIST_SEPARATOR,
                values=", ".join(allowed),
            )
            self.fail(row, column, each_one)
            return ()
        return tuple(kind(p) for p in parts)


@functools.cache
def _values(kind: type[enum.StrEnum]) -> tuple[str, ...]:
    """The values of `kind`, in order: read once (iterating an enum builds its members)."""
    return tuple(str(k) for k in kind)
