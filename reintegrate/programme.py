"""Programmes: their currency and budget lines, as decisions that return events."""

from __future__ import annotations

import msgspec

from reintegrate import events as ev
from reintegrate.errors import ValidationFailed
from reintegrate.ids import check_id
from reintegrate.money import currency as iso_currency
from reintegrate.money import parse_amount
from reintegrate.texts import Text

MAX_BUDGET_LINES = 50


class BudgetLineSpec(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    amount: str
    """A decimal string in the programme currency."""


def create_programme(
    programme_id: str, name: str, currency: str, budget_lines: list[BudgetLineSpec], *, exists: bool
) -> ev.ProgrammeCreated:
    check_id(programme_id, "programme_id")
    if exists:
        raise ValidationFailed(
            Text("programme {programme_id} exists already", programme_id=programme_id),
            field="programme_id",
        )
    if not name.strip() or len(name) > 200:
        raise ValidationFailed(Text("a programme needs a name of 1-200 characters"), field="name")
    iso_currency(currency)
    if not 1 <= len(budget_lines) <= MAX_BUDGET_LINES:
        raise ValidationFailed(
            Text("a programme has 1 to {most} budget lines", most=MAX_BUDGET_LINES),
            field="budget_lines",
        )
    lines = tuple(
        ev.BudgetLine(
            code=check_id(b.code, f"budget_lines[{i}].code"),
            label=b.label,
            amount=parse_amount(b.amount, currency, field=f"budget_lines[{i}].amount"),
        )
        for i, b in enumerate(budget_lines)
    )
    if len({b.code for b in lines}) != len(lines):
        raise ValidationFailed(Text("two budget lines share a code"), field="budget_lines")
    return ev.ProgrammeCreated(
        programme_id=programme_id, name=name, currency=currency, budget_lines=lines
    )


def fund_budget_line(
    programme_id: str, currency: str, lines: tuple[str, ...], line: str, amount: str
) -> ev.BudgetLineFunded:
    if line not in lines:
        raise ValidationFailed(
            Text(
                "programme {programme_id} has no budget line '{budget_line}'",
                programme_id=programme_id,
                budget_line=line,
            ),
            field="line",
        )
    minor = parse_amount(amount, currency)
    if minor <= 0:
        raise ValidationFailed(Text("funding must be a positive amount"), field="amount")
    return ev.BudgetLineFunded(programme_id=programme_id, line=line, amount=minor)
