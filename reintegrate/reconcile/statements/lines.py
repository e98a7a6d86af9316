"""What a provider's statement says, whatever its file format: the parsers' common output.

Amounts are integers in the minor unit of their currency (as everywhere in the ledger), never
floats; a line's direction says whether money left the account (a payment out) or came in
(a return, a reversal, a refund).
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate import events as ev
from reintegrate.errors import DomainError
from reintegrate.money import amount_text, format_minor
from reintegrate.texts import Text, each


class Direction(enum.StrEnum):
    DEBIT = "debit"
    """Money left the account: a payment to a beneficiary or supplier."""
    CREDIT = "credit"
    """Money came in: a payment returned or reversed, or funds received."""


class LineStatus(enum.StrEnum):
    BOOKED = "booked"
    RETURNED = "returned"
    REVERSED = "reversed"
    FAILED = "failed"


class StatementLine(msgspec.Struct, frozen=True, kw_only=True):
    position: str
    """Where the line sits in its file, for error messages and reports ("line 12", "Ntry 3")."""
    booked_on: dt.date
    reference: str | None
    """The payment reference the programme sent, when the provider echoes it back."""
    amount: int
    """Minor units, never negative; `direction` carries the sign. The CSV reader leaves a line
    of zero out (`without_zero_lines`); the MT940 and camt.053 readers still keep one."""
    currency: str
    direction: Direction
    status: LineStatus = LineStatus.BOOKED
    counterparty: str | None = None


class Statement(msgspec.Struct, frozen=True, kw_only=True):
    format: str
    """"csv", "mt940" or "camt053"."""
    version: str | None
    """The dialect or schema version detected (e.g. "camt.053.001.08"), when there is one."""
    account: str | None
    currency: str
    opening_balance: int | None
    closing_balance: int | None
    lines: tuple[StatementLine, ...]
    remarks: tuple[Text, ...] = ()
    """What was odd in the file and how it was read anyway (an encoding other than UTF-8,
    entries without a status read as booked...), in words."""

    @property
    def discrepancy(self) -> int:
        """The closing balance less what the opening balance and the entries in the
        statement's currency make: 0 when the statement reconciles with its own entries, or
        when it states no balances."""
        if self.opening_balance is None or self.closing_balance is None:
            return 0
        moved = sum(
            line.amount if line.direction is Direction.CREDIT else -line.amount
            for line in self.lines
            if line.currency == self.currency
        )
        return self.closing_balance - (self.opening_balance + moved)

    @property
    def credits(self) -> int:
        return sum(line.amount for line in self.lines if line.direction is Direction.CREDIT)

    @property
    def debits(self) -> int:
        return sum(line.amount for line in self.lines if line.direction is Direction.DEBIT)


ZERO_LINES_NAMED = 10
"""How many lines of amount zero a remark names one by one; the rest are counted."""


def without_zero_lines(statement: Statement) -> Statement:
    """The statement without its lines of amount zero (a card's temporary hold, an account
    check), which move no money: they are left out of its lines, so of nothing it sums or
    matches, and its remarks say which ones."""
    zero = [line.position for line in statement.lines if not line.amount]
    if not zero:
        return statement
    named = ", ".join(zero[:ZERO_LINES_NAMED])
    shown: str | Text = (
        Text("{lines} and {more} more", lines=named, more=len(zero) - ZERO_LINES_NAMED)
        if len(zero) > ZERO_LINES_NAMED
        else named
    )
    remark = (
        Text(
            "1 line has an amount of zero: it moves no money and is left out ({lines})", lines=shown
        )
        if len(zero) == 1
        else Text(
            "{count} lines have an amount of zero: they move no money and are left out ({lines})",
            count=len(zero),
            lines=shown,
        )
    )
    return msgspec.structs.replace(
        statement,
        lines=tuple(line for line in statement.lines if line.amount),
        remarks=(*statement.remarks, remark),
    )


class StatementFile(msgspec.Struct, frozen=True, kw_only=True):
    content_hash: str
    """SHA-256 of the file's bytes: the same file imported twice is recognised by it."""
    statements: tuple[Statement, ...]


def by_currency(statement: Statement) -> list[Statement]:
    """The statement as one statement per currency its lines are in (a CSV export of a
    multi-currency wallet): the balances stay with the account's currency only."""
    codes = sorted({line.currency for line in statement.lines} - {statement.currency})
    if not codes:
        return [statement]
    own = [line for line in statement.lines if line.currency == statement.currency]
    parts = [msgspec.structs.replace(statement, lines=tuple(own))] if own else []
    for code in codes:
        lines = tuple(line for line in statement.lines if line.currency == code)
        parts.append(
            msgspec.structs.replace(
                statement, currency=code, lines=lines, opening_balance=None, closing_balance=None
            )
        )
    return parts


class StatementDoesNotReconcile(DomainError):
    """A statement's balances do not differ by its entries, and its import was not asked to
    accept that."""

    type = "statement-does-not-reconcile"


def discrepancy_text(d: ev.StatementDiscrepancy) -> Text:
    """A statement's discrepancy in words: which statement, and by how much."""
    away = amount_text(d.amount, d.currency)
    if not d.account:
        return Text(
            "statement {statement} (no account): the closing balance is {away} away from the "
            "opening balance plus credits minus debits",
            statement=d.statement,
            away=away,
        )
    return Text(
        "statement {statement} ({account}): the closing balance is {away} away from the "
        "opening balance plus credits minus debits",
        statement=d.statement,
        account=d.account,
        away=away,
    )


def discrepancies(
    statements: tuple[Statement, ...], *, accepted: bool
) -> tuple[ev.StatementDiscrepancy, ...]:
    """The statements of a file whose balances do not reconcile with their entries: refused
    (`StatementDoesNotReconcile`, naming each) unless `accepted`, then recorded with the
    import as differences to explain."""
    found = tuple(
        ev.StatementDiscrepancy(
            statement=n, account=s.account, currency=s.currency, amount=s.discrepancy
        )
        for n, s in enumerate(statements, 1)
        if s.discrepancy
    )
    if found and not accepted:
        raise StatementDoesNotReconcile(
            Text(
                "{discrepancies}. Entries may be missing; import it anyway only by accepting "
                "the discrepancy, which the import then records as a difference to explain",
                discrepancies=each([discrepancy_text(d) for d in found]),
            ),
            field="file",
            details={
                "discrepancies": [
                    {
                        "statement": d.statement,
                        "currency": d.currency,
                        "amount": format_minor(d.amount, d.currency),
                    }
                    for d in found
                ]
            },
        )
    return found
