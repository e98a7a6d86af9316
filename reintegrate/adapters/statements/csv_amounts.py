"""Reading columns of CSV amounts: exact integers of minor units, never floats.

Each function reads a whole column and raises `StatementRejected` for the first value (in
file order) it cannot read, naming its line and column. A column written the common way is
read at once (`plain_amounts`); any other is read value by value, for the precise error.
"""

from __future__ import annotations

import operator
import re
from itertools import compress

import msgspec

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.csv_columns import Cells, Unreadable
from reintegrate.money import minor_digits
from reintegrate.reconcile.statements.lines import Direction
from reintegrate.texts import Text

MAX_WHOLE_DIGITS = 15
"""Digits before the decimal separator: up to 999 trillion of any currency."""
_NINES = bytes.maketrans(b"0123456789", b"9999999999")
_DIRECTION_COLUMN = Text("the direction column")


def amounts(
    values: list[str],
    currencies: list[str],
    style: AmountStyle,
    cells: Cells,
) -> list[int]:
    """Signed minor units of each value in the currency of its line (zero for a line that
    moves no money)."""
    digits = {code: minor_digits(code) for code in set(currencies)}
    found = None
    if len(set(digits.values())) == 1:
        found = plain_amounts(values, digits[currencies[0]], style)
    if found is None:
        found = _one_by_one(values, currencies, digits, style, cells)
    return found


def paired(
    debits: list[str],
    credits: list[str],
    currencies: list[str],
    style: AmountStyle,
    cells: tuple[Cells, Cells],
) -> list[int]:
    """Signed minor units (a debit negative) of a debit and a credit column of unsigned
    amounts: each line has its amount in one of the two, the other empty or zero (both zero,
    or one zero and the other empty, is a line of zero). A line with neither, or with an
    amount other than zero in both, is refused, naming both columns."""
    debit_cells, credit_cells = cells
    in_debit = list(map(bool, map(str.strip, debits)))
    in_credit = list(map(bool, map(str.strip, credits)))
    either = list(map(operator.or_, in_debit, in_credit))
    if False in either:
        index = either.index(False)
        raise _both(cells, index, Text("the line has no amount: both columns are empty"))
    signed = [0] * len(debits)
    for where, value in _filled(credits, in_credit, currencies, style, credit_cells):
        signed[where] = value
    for where, value in _filled(debits, in_debit, currencies, style, debit_cells):
        if value and signed[where]:
            found = Text(
                "the line has an amount in both columns ('{debit}' and '{credit}')",
                debit=debits[where].strip(),
                credit=credits[where].strip(),
            )
            raise _both(cells, where, found)
        if value:
            signed[where] = -value
    return signed


def _filled(
    values: list[str], filled: list[bool], currencies: list[str], style: AmountStyle, cells: Cells
) -> zip[tuple[int, int]]:
    """Each filled value's index in the column, and its amount."""
    found = amounts(
        list(compress(values, filled)),
        list(compress(currencies, filled)),
        style,
        Cells(cells.prefix, list(compress(cells.line_numbers, filled)), cells.column),
    )
    return zip(compress(range(len(values)), filled), found, strict=True)


def _both(cells: tuple[Cells, Cells], index: int, found: Text) -> StatementRejected:
    debit, credit = cells
    return StatementRejected(
        Text("{found}; one of them must hold the amount, the other be empty or zero", found=found),
        field=f"{debit.prefix}line {debit.line_numbers[index]}, columns {debit.column} and "
        f"{credit.column}",
    )


class AmountStyle:
    """How a provider writes amounts: separators, and whether a sign may lead."""

    def __init__(
        self,
        decimal: str,
        thousands: str,
        signed: bool,
        direction_by: Text = _DIRECTION_COLUMN,
    ) -> None:
        self.decimal = decimal
        self.thousands = thousands
        self.signed = signed
        self.direction_by = direction_by
        """What gives the direction of unsigned amounts, to say why a sign is refused."""
        grouped = rf"[0-9]{{1,3}}(?:{re.escape(thousands)}[0-9]{{3}})+|" if thousands else ""
        self.pattern = re.compile(
            rf"(?P<sign>[-+]?)(?P<whole>{grouped}[0-9]+)(?:{re.escape(decimal)}(?P<frac>[0-9]+))?",
            re.ASCII,
        )

    def describe(self) -> Text:
        if self.thousands:
            return Text(
                "decimal separator '{decimal}', '{thousands}' between thousands",
                decimal=self.decimal,
                thousands=self.thousands,
            )
        return Text("decimal separator '{decimal}', no grouping", decimal=self.decimal)


def _one_by_one(
    values: list[str],
    currencies: list[str],
    digits: dict[str, int],
    style: AmountStyle,
    cells: Cells,
) -> list[int]:
    found = []
    for index, (raw, code) in enumerate(zip(values, currencies, strict=True)):
        try:
            found.append(read_amount(raw, code, digits[code], style))
        except Unreadable as exc:
            raise cells.fault(index, exc.text) from None
    return found


def read_amount(raw: str, code: str, digits: int, style: AmountStyle) -> int:
    """Signed minor units of one amount, exactly; `Unreadable` says what is wrong with it."""
    text = raw.strip()
    found = style.pattern.fullmatch(text)
    if not text or found is None:
        raise Unreadable(
            Text(
                "'{text}' is not an amount written with {style}",
                text=text,
                style=style.describe(),
            )
        )
    if found["sign"] and not style.signed:
        raise Unreadable(
            Text(
                "'{text}' has a sign, but {direction_by} gives the direction",
                text=text,
                direction_by=style.direction_by,
            )
        )
    whole = found["whole"].replace(style.thousands, "") if style.thousands else found["whole"]
    frac = found["frac"] or ""
    if len(frac) > digits:
        raise Unreadable(
            Text(
                "'{text}' has {decimals} decimals; {code} has {digits}",
                text=text,
                decimals=len(frac),
                code=code,
                digits=digits,
            )
        )
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise Unreadable(
            Text(
                "'{text}' is too large (more than {most} whole digits)",
                text=text,
                most=MAX_WHOLE_DIGITS,
            )
        )
    minor = int(whole + frac.ljust(digits, "0"))
    return -minor if found["sign"] == "-" else minor


def plain_amounts(values: list[str], digits: int, style: AmountStyle) -> list[int] | None:
    """All amounts at once when every one is written the common way, else None.

    The common way: ASCII digits (at most `MAX_WHOLE_DIGITS` before the separator), the
    decimal separator followed by exactly `digits` digits (neither when the currency has no
    minor unit), no thousands separator, at most a minus sign in front. Checked on the whole
    column at once: every digit becomes a 9, and the characters left, the endings and the
    counts of separators, signs and line breaks must then come out right.
    """
    if not values:
        return []
    try:
        blob = ("\n".join(values) + "\n").encode("ascii")
    except UnicodeEncodeError:
        return None
    if not _plain_shape(b"\n" + blob.translate(_NINES), len(values), digits, style):
        return None
    return _integers(blob.replace(style.decimal.encode(), b"") if digits else blob)


def _plain_shape(shape: bytes, count: int, digits: int, style: AmountStyle) -> bool:
    separator = style.decimal.encode() if digits else b""
    allowed = b"9\n" + separator + (b"-" if style.signed else b"")
    ending = separator + b"9" * digits + b"\n" if digits else b"9\n"
    return (
        not shape.translate(None, allowed)
        and shape.count(b"\n") == count + 1
        and shape.count(ending) == count
        and (not digits or shape.count(separator) == count)
        and (not digits or (b"\n" + separator not in shape and b"-" + separator not in shape))
        and shape.count(b"-") == shape.count(b"\n-")
        and b"9" * (MAX_WHOLE_DIGITS + 1) not in shape
    )


def _integers(lines: bytes) -> list[int]:
    """The integers of a newline-separated run of ASCII digits with optional leading minus."""
    if b"\n0" not in b"\n" + lines and b"-0" not in lines:
        try:
            return msgspec.json.decode(
                b"[" + lines[:-1].replace(b"\n", b",") + b"]", type=list[int]
            )
        except msgspec.DecodeError:
            pass
    return list(map(int, lines.split()))


def split_signs(signed: list[int], negative_means: Direction) -> tuple[list[int], list[Direction]]:
    """Positive amounts and their directions, from signed amounts."""
    other = Direction.CREDIT if negative_means is Direction.DEBIT else Direction.DEBIT
    directions = [negative_means if amount < 0 else other for amount in signed]
    return list(map(abs, signed)), directions
