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
from reintegrate.notes import Text, blank
from reintegrate.tranches.milestones import MAX_MILESTONES

MAX_ITEMS = 100


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
                "a tranche gives an amount or a share, not both", field=f"tranches[{n}]"
            )
    for c in components:
        mine = [(n, t) for n, t in enumerate(wanted) if t.component_id == c.component_id]
        by_share = [t.share is not None for _, t in mine]
        if any(by_share) and not all(by_share):
            raise ValidationFailed(
                f"the tranches of '{c.component_id}' give either amounts or shares, not both",
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
            raise ValidationFailed("a tranche gives an amount or a share", field=f"tranches[{n}]")
        result.append(
            ev.TrancheSpec(tranche_id=t.tranche_id, component_id=t.component_id, amount=amount)
        )
    return tuple(result)


def check_items(
    items: tuple[ev.BudgetItem, ...], noun: str = "plan", cash_payee: str = "the owners"
) -> None:
    """1 to MAX_ITEMS positive items; in kind names its supplier, cash goes to `cash_payee`."""
    if not 1 <= len(items) <= MAX_ITEMS:
        raise ValidationFailed(f"a {noun} has 1 to {MAX_ITEMS} budget items", field="items")
    for n, item in enumerate(items):
        where = f"items[{n}]"
        if item.amount <= 0 or item.programme_amount <= 0:
            raise ValidationFailed("a budget item's amount is positive", field=f"{where}.amount")
        if item.form == Form.IN_KIND and blank(item.supplier):
            raise ValidationFailed(
                "an in-kind item names the supplier who is paid", field=f"{where}.supplier"
            )
        if item.form == Form.CASH and item.supplier:
            raise ValidationFailed(
                f"a cash item is paid to {cash_payee}, not a supplier", field=f"{where}.supplier"
            )


def check_milestones(
    milestones: tuple[ev.MilestoneSpec, ...],
    tranches: tuple[ev.TrancheSpec, ...],
    start: dt.date,
    noun: str = "plan",
) -> None:
    """Unique ids; each milestone requires evidence, is due after `start`, and each tranche is
    unlocked by exactly one milestone."""
    if not 1 <= len(milestones) <= MAX_MILESTONES:
        raise ValidationFailed(f"a {noun} has 1 to {MAX_MILESTONES} milestones", field="milestones")
    tranche_ids = [
        check_id(t.tranche_id, f"tranches[{n}].tranche_id") for n, t in enumerate(tranches)
    ]
    if len(set(tranche_ids)) != len(tranche_ids):
        raise ValidationFailed("two tranches share an id", field="tranches")
    ids = [
        check_id(m.milestone_id, f"milestones[{n}].milestone_id") for n, m in enumerate(milestones)
    ]
    if len(set(ids)) != len(ids):
        raise ValidationFailed("two milestones share an id", field="milestones")
    unlocked = [m.unlocks for m in milestones if m.unlocks is not None]
    for n, m in enumerate(milestones):
        if not m.evidence:
            raise ValidationFailed(
                "a milestone names the evidence it requires", field=f"milestones[{n}].evidence"
            )
        if m.due_on < start:
            raise ValidationFailed(
                f"milestone {m.milestone_id} is due before the {noun} starts ({start})",
                field=f"milestones[{n}].due_on",
            )
        if m.unlocks is not None and m.unlocks not in tranche_ids:
            raise ValidationFailed(
                f"milestone {m.milestone_id} unlocks tranche '{m.unlocks}', which does not exist",
                field=f"milestones[{n}].unlocks",
            )
    for tranche_id in tranche_ids:
        if unlocked.count(tranche_id) != 1:
            raise ValidationFailed(
                f"tranche {tranche_id} must be unlocked by exactly one milestone "
                f"(it is by {unlocked.count(tranche_id)})",
                field="milestones",
            )


def grant_components(items: tuple[ev.BudgetItem, ...]) -> tuple[ev.PlanComponent, ...]:
    """The parts of the grant: all cash items together, and the in-kind items of each supplier."""
    cash = sum(i.programme_amount for i in items if i.form == Form.CASH)
    by_supplier: dict[Text, int] = defaultdict(int)
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
                f"tranche {t.tranche_id} pays part '{t.component_id}', which the grant does not "
                f"have (it has: {', '.join(known)})",
                field=f"tranches[{i}].component_id",
            )
        if t.amount <= 0:
            raise ValidationFailed("a tranche's amount is positive", field=f"tranches[{i}].amount")
        paid[t.component_id] += t.amount
    for component_id, amount in known.items():
        if paid[component_id] != amount:
            raise ValidationFailed(
                f"the tranches of '{component_id}' add up to {paid[component_id]} minor units, "
                f"not to its {amount}",
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
            "the tranche shares of one grant part are positive and add up to exactly 1",
            field="tranches",
        )
    return allocate(amount, [Fraction(s) for s in shares])
