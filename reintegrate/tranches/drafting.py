"""The rules a grant's budget, milestones and tranches meet when it is drafted, for every
grant paid in tranches.

The grant is made of parts (`PlanComponent`): all its cash, and the in-kind goods of each
supplier. Each part is paid by its tranches exactly; a tranche gives an amount or a share of
its part; each tranche is unlocked by exactly one milestone, which names the evidence it
requires.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

import msgspec

from reintegrate import events as ev
from reintegrate.errors import ValidationFailed
from reintegrate.ids import check_id
from reintegrate.kinds import Form
from reintegrate.money import allocate
from reintegrate.notes import Text as FreeText
from reintegrate.notes import blank
from reintegrate.texts import Text
from reintegrate.tranches.milestones import MAX_MILESTONES

MAX_ITEMS = 100
PLAN = Text("plan")
OWNERS = Text("the owners")


class TrancheIn(msgspec.Struct, frozen=True, kw_only=True):
    """A tranche as asked: an amount (minor units) or a share of its grant part."""

    tranche_id: str
    component_id: str
    amount: int | None = None
    share: Decimal | None = None
    currency: str | None = None
    """The currency of `amount`, when the request names one: it is the programme's."""


def resolve_tranches(
    components: tuple[ev.PlanComponent, ...], wanted: tuple[TrancheIn, ...]
) -> tuple[ev.TrancheSpec, ...]:
    """Tranche amounts; the tranches of a part are all amounts or all shares (adding up to 1),
    and shares become amounts that add up to the part exactly."""
    amounts: dict[int, int] = {}
    for n, t in enumerate(wanted):
        if t.amount is not None and t.share is not None:
            raise ValidationFailed(
                Text("a tranche gives an amount or a share, not both"), field=f"tranches[{n}]"
            )
    for c in components:
        mine = [(n, t) for n, t in enumerate(wanted) if t.component_id == c.component_id]
        by_share = [t.share is not None for _, t in mine]
        if any(by_share) and not all(by_share):
            raise ValidationFailed(
                Text(
                    "the tranches of '{component_id}' give either amounts or shares, not both",
                    component_id=c.component_id,
                ),
                field="tranches",
            )
        if mine and all(by_share):
            shares = [t.share for _, t in mine if t.share is not None]
            split = tranches_from_shares(c.amount, shares)
            amounts.update({n: a for (n, _), a in zip(mine, split, strict=True)})
    result = []
    for n, t in enumerate(wanted):
        amount = amounts.get(n, t.amount)
        if amount is None:
            raise ValidationFailed(
                Text("a tranche gives an amount or a share"), field=f"tranches[{n}]"
            )
        result.append(
            ev.TrancheSpec(tranche_id=t.tranche_id, component_id=t.component_id, amount=amount)
        )
    return tuple(result)


def check_items(
    items: tuple[ev.BudgetItem, ...], noun: Text = PLAN, cash_payee: Text = OWNERS
) -> None:
    """1 to MAX_ITEMS positive items; in kind names its supplier, cash goes to `cash_payee`."""
    if not 1 <= len(items) <= MAX_ITEMS:
        raise ValidationFailed(
            Text("a {noun} has 1 to {most} budget items", noun=noun, most=MAX_ITEMS), field="items"
        )
    for n, item in enumerate(items):
        where = f"items[{n}]"
        if item.amount <= 0 or item.programme_amount <= 0:
            raise ValidationFailed(
                Text("a budget item's amount is positive"), field=f"{where}.amount"
            )
        if item.form == Form.IN_KIND and blank(item.supplier):
            raise ValidationFailed(
                Text("an in-kind item names the supplier who is paid"), field=f"{where}.supplier"
            )
        if item.form == Form.CASH and item.supplier:
            raise ValidationFailed(
                Text("a cash item is paid to {payee}, not a supplier", payee=cash_payee),
                field=f"{where}.supplier",
            )


def check_milestones(
    milestones: tuple[ev.MilestoneSpec, ...],
    tranches: tuple[ev.TrancheSpec, ...],
    start: dt.date,
    noun: Text = PLAN,
) -> None:
    """Unique ids; each milestone requires evidence, is due after `start`, and each tranche is
    unlocked by exactly one milestone."""
    if not 1 <= len(milestones) <= MAX_MILESTONES:
        raise ValidationFailed(
            Text("a {noun} has 1 to {most} milestones", noun=noun, most=MAX_MILESTONES),
            field="milestones",
        )
    tranche_ids = [
        check_id(t.tranche_id, f"tranches[{n}].tranche_id") for n, t in enumerate(tranches)
    ]
    if len(set(tranche_ids)) != len(tranche_ids):
        raise ValidationFailed(Text("two tranches share an id"), field="tranches")
    ids = [
        check_id(m.milestone_id, f"milestones[{n}].milestone_id") for n, m in enumerate(milestones)
    ]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(Text("two milestones share an id"), field="milestones")
    unlocked = [m.unlocks for m in milestones if m.unlocks is not None]
    for n, m in enumerate(milestones):
        if not m.evidence:
            raise ValidationFailed(
                Text("a milestone names the evidence it requires"),
                field=f"milestones[{n}].evidence",
            )
        if m.due_on < start:
            raise ValidationFailed(
                Text(
                    "milestone {milestone_id} is due before the {noun} starts ({start})",
                    milestone_id=m.milestone_id,
                    noun=noun,
                    start=start,
                ),
                field=f"milestones[{n}].due_on",
            )
        if m.unlocks is not None and m.unlocks not in tranche_ids:
            raise ValidationFailed(
                Text(
                    "milestone {milestone_id} unlocks tranche '{tranche_id}', which does not exist",
                    milestone_id=m.milestone_id,
                    tranche_id=m.unlocks,
                ),
                field=f"milestones[{n}].unlocks",
            )
    for tranche_id in tranche_ids:
        if unlocked.count(tranche_id) != 1:
            raise ValidationFailed(
                Text(
                    "tranche {tranche_id} must be unlocked by exactly one milestone "
                    "(it is by {count})",
                    tranche_id=tranche_id,
                    count=unlocked.count(tranche_id),
                ),
                field="milestones",
            )


def grant_components(items: tuple[ev.BudgetItem, ...]) -> tuple[ev.PlanComponent, ...]:
    """The parts of the grant: all cash items together, and the in-kind items of each supplier."""
    cash = sum(i.programme_amount for i in items if i.form == Form.CASH)
    by_supplier: dict[FreeText, int] = defaultdict(int)
    for i in items:
        if i.form == Form.IN_KIND and i.supplier:
            by_supplier[i.supplier] += i.programme_amount
    parts = [ev.PlanComponent(component_id="cash", form=Form.CASH, amount=cash)] if cash else []
    parts += [
        ev.PlanComponent(
            component_id=f"kind-{n}", form=Form.IN_KIND, amount=amount, supplier=supplier
        )
        for n, (supplier, amount) in enumerate(sorted(by_supplier.items()), start=1)
    ]
    return tuple(parts)


def tranche_amounts(
    components: tuple[ev.PlanComponent, ...], tranches: tuple[ev.TrancheSpec, ...]
) -> None:
    """Each grant part is paid by its tranches exactly."""
    known = {c.component_id: c.amount for c in components}
    paid: dict[str, int] = defaultdict(int)
    for i, t in enumerate(tranches):
        if t.component_id not in known:
            raise ValidationFailed(
                Text(
                    "tranche {tranche_id} pays part '{component_id}', which the grant does not "
                    "have (it has: {known})",
                    tranche_id=t.tranche_id,
                    component_id=t.component_id,
                    known=", ".join(known),
                ),
                field=f"tranches[{i}].component_id",
            )
        if t.amount <= 0:
            raise ValidationFailed(
                Text("a tranche's amount is positive"), field=f"tranches[{i}].amount"
            )
        paid[t.component_id] += t.amount
    for component_id, amount in known.items():
        if paid[component_id] != amount:
            raise ValidationFailed(
                Text(
                    "the tranches of '{component_id}' add up to {paid} minor units, not to its "
                    "{amount}",
                    component_id=component_id,
                    paid=paid[component_id],
                    amount=amount,
                ),
                field="tranches",
                details={
                    "component_id": component_id,
                    "grant": amount,
                    "tranches": paid[component_id],
                },
            )


def tranches_from_shares(amount: int, shares: list[Decimal]) -> list[int]:
    """Tranche amounts from shares of a grant part (the shares add up to 1)."""
    if sum(shares) != 1 or any(s <= 0 for s in shares):
        raise ValidationFailed(
            Text("the tranche shares of one grant part are positive and add up to exactly 1"),
            field="tranches",
        )
    return allocate(amount, [Fraction(s) for s in shares])
