"""A CSV statement read into columns: the same values as `parse_csv`, without a record per line.

`read_columns` reads what `parse_csv` reads on its fast path (UTF-8, no quotes, every line of
the header's width, amounts in one column written the plain way: an optional minus, digits,
the decimal separator and exactly the currency's decimals, none zero). For any other file
(amounts in a debit and a credit column, a line of zero...), including every file
`parse_csv` refuses, it answers None and the caller reads the file with `parse_csv`, which
gives the lines or the precise rejection. So the columns never say something `parse_csv`
would not: the header is read with `csv_table`'s own steps, and each value by the same
readers (`csv_columns`), once per distinct value.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

import numpy as np
import numpy.typing as npt

from reintegrate.adapters.bulk import fields as bf
from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements import csv_amounts as amt
from reintegrate.adapters.statements import csv_columns as col
from reintegrate.adapters.statements.csv_table import (
    _detect_delimiter,
    _locate,
    _split_header,
)
from reintegrate.money import minor_digits
from reintegrate.reconcile.matching.match import COMING_BACK
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.reconcile.statements.lines import Direction, LineStatus, StatementLine

T = TypeVar("T")
Index = npt.NDArray[np.intp]
REFERENCE_CAP = 64
"""Longer references (or dates, codes, statuses) leave the file to `parse_csv`."""
_CELL_CAP = 40


class _NotPlain(Exception):
    """A file the fast path does not take (`parse_csv` reads it, and refuses it in words)."""


@dataclass(frozen=True, slots=True)
class Coded:
    """A column of few distinct values: the values, and each line's index into them."""

    values: list[object]
    index: Index


@dataclass(frozen=True, slots=True)
class LineColumns:
    """A statement's lines as columns, in file order (row i is on file line i + 2)."""

    grid: bf.Grid
    prefix: str
    days: list[dt.date]
    day: Index
    amount: bf.Ints
    """Minor units, positive."""
    codes: list[str]
    currency: Index
    debit: npt.NDArray[np.bool_]
    statuses: list[LineStatus]
    status: Index
    references: bf.Bytes
    """Trimmed UTF-8 references, b"" for none."""
    reference_at: tuple[bf.Ints, bf.Ints] | None
    counterparty_at: tuple[bf.Ints, bf.Ints] | None

    def __len__(self) -> int:
        return len(self.amount)

    def brings_money_back(self) -> npt.NDArray[np.bool_]:
        back = np.array([status in COMING_BACK for status in self.statuses], dtype=bool)
        found: npt.NDArray[np.bool_] = ~self.debit | back[self.status]
        return found

    def every_line(self) -> list[StatementLine]:
        """The lines `parse_csv` gives, in file order."""
        return self.lines(np.arange(len(self), dtype=np.int64))

    def lines(self, rows: bf.Ints) -> list[StatementLine]:
        """The `StatementLine` records `parse_csv` gives for these rows."""
        days, codes, statuses = self.days, self.codes, self.statuses
        debit, credit = Direction.DEBIT, Direction.CREDIT
        return [
            StatementLine(
                position=f"{self.prefix}line {row + 2}",
                booked_on=days[day],
                reference=reference,
                amount=amount,
                currency=codes[code],
                direction=debit if is_debit else credit,
                status=statuses[status],
                counterparty=counterparty,
            )
            for row, day, reference, amount, code, is_debit, status, counterparty in zip(
                rows.tolist(),
                self.day[rows].tolist(),
                self._texts(self.reference_at, rows),
                self.amount[rows].tolist(),
                self.currency[rows].tolist(),
                self.debit[rows].tolist(),
                self.status[rows].tolist(),
                self._texts(self.counterparty_at, rows),
                strict=True,
            )
        ]

    def _texts(self, where: tuple[bf.Ints, bf.Ints] | None, rows: bf.Ints) -> list[str | None]:
        if where is None:
            return [None] * len(rows)
        raw = self.grid.raw
        return [
            raw[start:end].decode("utf-8") if end > start else None
            for start, end in zip(where[0][rows].tolist(), where[1][rows].tolist(), strict=True)
        ]


def read_columns(data: bytes, mapping: CsvMapping, prefix: str = "") -> LineColumns | None:
    """The statement's lines as columns, or None: then `parse_csv` must read the file."""
    raw = _plain_bytes(data, mapping)
    if raw is None:
        return None
    first_line = raw[: raw.index(b"\n")].decode("utf-8")
    if not first_line.strip():
        return None
    wanted = mapping.columns()
    delimiter: str = mapping.delimiter
    if delimiter == "auto":
        delimiter = _detect_delimiter(first_line, wanted.values())
    try:
        at = _locate(_split_header(first_line, delimiter, prefix), wanted, prefix)
    except StatementRejected:
        return None
    grid = bf.split(raw, first_line.count(delimiter) + 1, delimiter)
    if grid is None or grid.width < 2:
        return None
    try:
        return _columns(grid, mapping, at, prefix)
    except (col.Unreadable, _NotPlain):
        return None


def _plain_bytes(data: bytes, mapping: CsvMapping) -> bytes | None:
    """The file as valid UTF-8 with "\n" line breaks and one at the end, if it may be plain."""
    if mapping.encoding != "utf-8" or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    raw = data.removeprefix(codecs.BOM_UTF8)
    if b'"' in raw or b"\x00" in raw:
        return None
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")
        if b"\r" in raw:
            return None
    if not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not raw.endswith(b"\n") or raw.endswith(b"\n\n"):
        raw = raw.rstrip(b"\n") + b"\n"
    return raw if raw != b"\n" else None


def _columns(grid: bf.Grid, mapping: CsvMapping, at: dict[str, int], prefix: str) -> LineColumns:
    """Raises `_NotPlain` for anything the fast path does not take."""
    rows = grid.rows
    codes = _currencies(grid, mapping, at)
    dates = _coded(
        grid, at["date"], col.date_reader(mapping.date_format, mapping.earliest, mapping.latest)
    )
    amount, debit = _amounts(grid, mapping, at, codes)
    statuses = (
        _coded(grid, at["status"], col.status_reader(mapping.status_map))
        if "status" in at
        else Coded([LineStatus.BOOKED], np.zeros(rows, dtype=np.intp))
    )
    reference_at = _trimmed(grid, at.get("reference"))
    references = (
        np.zeros(rows, dtype="S1")
        if reference_at is None
        else bf.gather(grid, *reference_at, cap=REFERENCE_CAP)
    )
    if references is None:
        raise _NotPlain("a reference too long for the columns")
    return LineColumns(
        grid=grid,
        prefix=prefix,
        days=_typed(dates.values, dt.date),
        day=dates.index,
        amount=amount,
        codes=_typed(codes.values, str),
        currency=codes.index,
        debit=debit,
        statuses=_typed(statuses.values, LineStatus),
        status=statuses.index,
        references=references,
        reference_at=reference_at,
        counterparty_at=_trimmed(grid, at.get("counterparty")),
    )


def _typed(values: list[object], kind: type[T]) -> list[T]:
    """The values a reader gave, as what it gives (a status map may hold plain strings)."""
    return cast(list[T], values)


def _trimmed(grid: bf.Grid, index: int | None) -> tuple[bf.Ints, bf.Ints] | None:
    return None if index is None else bf.trimmed(grid, *grid.column(index))


def _coded(grid: bf.Grid, index: int, read: Callable[[str], object]) -> Coded:
    """A column read once per distinct value (values read alike, such as " EUR" and "EUR",
    become one); `col.Unreadable` for a value that cannot be read, `_NotPlain` for one too
    long."""
    cells = bf.gather(grid, *grid.column(index), cap=_CELL_CAP)
    if cells is None:
        raise _NotPlain("a value too long for the columns")
    found, inverse = bf.distinct(cells)
    values = [read(value.decode("utf-8")) for value in found]
    kept = list(dict.fromkeys(values))
    if len(kept) == len(values):
        return Coded(values, inverse)
    where = np.array([kept.index(value) for value in values], dtype=np.intp)
    return Coded(kept, where[inverse])


def _currencies(grid: bf.Grid, mapping: CsvMapping, at: dict[str, int]) -> Coded:
    if mapping.fixed_currency is not None:
        return Coded([mapping.fixed_currency], np.zeros(grid.rows, dtype=np.intp))
    codes = _coded(grid, at["currency"], col.read_currency)
    used = {codes.values[index] for index in np.unique(codes.index).tolist()}
    if mapping.account_currency is None and len(used) != 1:
        raise _NotPlain("no single currency for the statement")
    return codes


def _amounts(
    grid: bf.Grid, mapping: CsvMapping, at: dict[str, int], codes: Coded
) -> tuple[bf.Ints, npt.NDArray[np.bool_]]:
    """Positive minor units and whether each line is a debit."""
    if mapping.amount is None:
        raise _NotPlain("amounts in a debit and a credit column: read by parse_csv")
    digits = np.array([minor_digits(str(code)) for code in codes.values], dtype=np.int64)
    signed = mapping.direction is None
    decimal = mapping.decimal_separator
    value = plain_amounts(
        grid, *grid.column(at["amount"]), digits[codes.index], decimal=decimal, signed=signed
    )
    if signed:
        negative = value < 0
        debit = negative if mapping.negative_means is Direction.DEBIT else ~negative
        return np.abs(value), debit
    reader = col.direction_reader(mapping.debit_values, mapping.credit_values)
    directions = _coded(grid, at["direction"], reader)
    debits = np.array([value is Direction.DEBIT for value in directions.values], dtype=bool)
    return value, debits[directions.index]


def plain_amounts(
    grid: bf.Grid, starts: bf.Ints, ends: bf.Ints, digits: bf.Ints, *, decimal: str, signed: bool
) -> bf.Ints:
    """Signed minor units of amounts written the plain way: a minus if the amounts are
    signed, 1 to 15 digits, then the separator and exactly the line's `digits` digits
    (neither when they are 0); `_NotPlain` for anything else, and for a zero amount
    (`parse_csv` leaves its line out, with a remark)."""
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    point = np.where(digits > 0, digits + 1, 0)
    cap = 1 + amt.MAX_WHOLE_DIGITS + int(point.max(initial=0))
    words = bf.gather_words(grid, starts, ends, cap=cap)
    if words is None:
        raise _NotPlain("an amount too long")
    lengths = ends - starts
    chars = words.view(np.uint8).reshape(len(starts), -1)
    minus = (chars[:, 0] == ord("-")) & signed
    body = lengths - minus
    if not ((body > point) & (body <= point + amt.MAX_WHOLE_DIGITS)).all():
        raise _NotPlain("an amount not written the plain way")
    separator = np.where(digits > 0, lengths - 1 - digits, -1)
    value = np.zeros(len(starts), dtype=np.int64)
    for at in range(int(lengths.max(initial=0))):
        char = chars[:, at]
        inside, at_separator = at < lengths, separator == at
        counted = inside & ~at_separator & ~(minus & (at == 0))
        digit = char - np.uint8(48)
        if not ((digit <= 9) | ~counted).all():
            raise _NotPlain("an amount not written the plain way")
        if not ((char == ord(decimal)) | ~at_separator).all():
            raise _NotPlain("an amount not written the plain way")
        value = np.where(counted, value * 10 + digit, value)
    if (value == 0).any():
        raise _NotPlain("a zero amount")
    found: bf.Ints = np.where(minus, -value, value)
    return found
