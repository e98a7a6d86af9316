"""How one provider lays out its CSV statements: the saved column mapping.

A mapping is data (JSON or TOML, decoded with msgspec), saved once per provider and used for
every file that provider sends. It names the columns to read and how their values are
written; everything it does not name is ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from reintegrate.money import UnknownCurrency, currency
from reintegrate.reconcile.statements.lines import Direction, LineStatus
from reintegrate.texts import Text, each

ColumnName = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Value = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
Code = Annotated[str, msgspec.Meta(min_length=3, max_length=3)]

DELIMITERS = (",", ";", "\t", "|")
"""What `delimiter = "auto"` tries, in this order."""


class CsvMapping(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Which column holds what, and how the values are written.

    Amounts are in one `amount` column, either signed (`direction` unset: a negative amount
    is a `negative_means` line, a debit by default) or unsigned with a `direction` column
    whose values are listed in `debit_values` / `credit_values` (compared without regard to
    case); or, unsigned, in two columns, `debit_amount` and `credit_amount`, each line having
    its amount in one of them (the other empty or zero) and its direction by that column. A
    line whose amount is zero moves no money: the statement leaves it out. Statuses are
    looked up in `status_map` first, then as the status names themselves ("booked",
    "returned", "reversed", "failed", any case); an empty status cell means booked.
    Surrounding spaces of every value are ignored.
    """

    date: ColumnName
    amount: ColumnName | None = None
    """The column of every line's amount; or leave it unset and name the pair below."""
    debit_amount: ColumnName | None = None
    """With `credit_amount`: the column of the amounts that left the account (unsigned)."""
    credit_amount: ColumnName | None = None
    """With `debit_amount`: the column of the amounts that came in (unsigned)."""
    reference: ColumnName | None = None
    currency: ColumnName | None = None
    """The currency column; leave it unset and give `fixed_currency` for single-currency files."""
    status: ColumnName | None = None
    counterparty: ColumnName | None = None
    direction: ColumnName | None = None
    debit_values: tuple[Value, ...] = ("D", "DR", "DEBIT", "DBIT", "OUT")
    credit_values: tuple[Value, ...] = ("C", "CR", "CREDIT", "CRDT", "IN")
    negative_means: Direction = Direction.DEBIT
    date_format: Annotated[str, msgspec.Meta(min_length=2, max_length=40)] = "%Y-%m-%d"
    decimal_separator: Literal[".", ","] = "."
    thousands_separator: Literal["", ".", ",", " ", "'", "\u00a0", "\u202f"] = ""
    delimiter: Literal["auto", ",", ";", "\t", "|"] = "auto"
    encoding: Literal["utf-8", "cp1252", "latin-1"] = "utf-8"
    """utf-8 by default (a byte-order mark is dropped); cp1252 or latin-1 only when declared."""
    status_map: dict[Value, LineStatus] = msgspec.field(default_factory=dict)
    fixed_currency: Code | None = None
    account_currency: Code | None = None
    """The account's currency, for files whose lines are in several currencies (or none)."""
    account: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    provider: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    earliest: dt.date = dt.date(2000, 1, 1)
    latest: dt.date = dt.date(2099, 12, 31)
    """Dates outside `earliest`..`latest` are refused as out of range."""

    def __post_init__(self) -> None:
        problems = mapping_problems(self)
        if problems:
            raise ValueError(str(each(problems)))

    def columns(self) -> dict[str, str]:
        """The roles this mapping reads, each with its column name, in a fixed order."""
        named = {
            "date": self.date,
            "reference": self.reference,
            "amount": self.amount,
            "debit_amount": self.debit_amount,
            "credit_amount": self.credit_amount,
            "currency": self.currency,
            "direction": self.direction,
            "status": self.status,
            "counterparty": self.counterparty,
        }
        return {role: name for role, name in named.items() if name is not None}


def mapping_problems(mapping: CsvMapping) -> list[Text]:
    """Everything wrong with a mapping, as sentences; empty when it can be used."""
    return [
        *_amount_problems(mapping),
        *_currency_problems(mapping),
        *_number_problems(mapping),
        *_direction_problems(mapping),
        *_date_problems(mapping),
    ]


def _amount_problems(mapping: CsvMapping) -> list[Text]:
    debit, credit = mapping.debit_amount, mapping.credit_amount
    if mapping.amount is not None:
        if debit is None and credit is None:
            return []
        return [Text("name either an amount column or debit_amount and credit_amount, not both")]
    if debit is None or credit is None:
        return [Text("name an amount column, or both a debit_amount and a credit_amount column")]
    problems = []
    if debit == credit:
        problems.append(Text("debit_amount and credit_amount must name two different columns"))
    if mapping.direction is not None:
        problems.append(
            Text(
                "a direction column cannot go with debit_amount and credit_amount: the column "
                "an amount is written in gives its direction"
            )
        )
    return problems


def _currency_problems(mapping: CsvMapping) -> list[Text]:
    problems = []
    if (mapping.currency is None) == (mapping.fixed_currency is None):
        problems.append(
            Text("name either a currency column or a fixed_currency, not both or neither")
        )
    for code in (mapping.fixed_currency, mapping.account_currency):
        if code is not None:
            try:
                currency(code)
            except UnknownCurrency as exc:
                problems.append(exc.text)
    return problems


def _number_problems(mapping: CsvMapping) -> list[Text]:
    if mapping.thousands_separator == mapping.decimal_separator:
        return [Text("the thousands separator cannot also be the decimal separator")]
    return []


def _direction_problems(mapping: CsvMapping) -> list[Text]:
    debit = {value.casefold() for value in mapping.debit_values}
    credit = {value.casefold() for value in mapping.credit_values}
    if mapping.direction is not None and (not debit or not credit):
        return [Text("a direction column needs debit_values and credit_values")]
    if debit & credit:
        both = ", ".join(sorted(debit & credit))
        return [Text("values listed both as debit and credit: {values}", values=both)]
    return []


def _date_problems(mapping: CsvMapping) -> list[Text]:
    if mapping.earliest > mapping.latest:
        return [Text("earliest must not be after latest")]
    probe = dt.date(2024, 12, 31)
    try:
        read_back = dt.datetime.strptime(probe.strftime(mapping.date_format), mapping.date_format)
    except ValueError:
        read_back = None
    if read_back is None or read_back.date() != probe:
        return [
            Text(
                "date_format '{date_format}' does not name a day, month and year",
                date_format=mapping.date_format,
            )
        ]
    return []
