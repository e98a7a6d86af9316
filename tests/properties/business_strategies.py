"""Hypothesis strategies for business plans: owners, budget items, tranches and milestones.

Items are drafted in EUR or in XOF (booked at `RATE`, rounded up, as the services do), so a
plan's parts are only known once booked: `grant_parts` books them, and `plan_terms` draws
tranches (as amounts or as shares) and the milestones that unlock them for those parts.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import strategies as st

from reintegrate import events as ev
from reintegrate.business.drafting import PlanContent
from reintegrate.kinds import Form
from reintegrate.money import FxRate, book
from reintegrate.policy_business import BusinessRules, Criterion
from reintegrate.tranches.drafting import TrancheIn, grant_components
from tests.builders import RETURNED

START = RETURNED + dt.timedelta(days=20)
"""Every plan starts here."""
RATE = FxRate(base="EUR", quote="XOF", rate="655.957", source="fixed peg", valid_from=RETURNED)
SUPPLIERS = ("dakar-tools-sarl", "thies-textiles")
CRITERIA = ("market", "skills", "viability", "risk")
SHARES: dict[int, list[tuple[str, ...]]] = {
    1: [("1",)],
    2: [("0.5", "0.5"), ("0.6", "0.4"), ("0.25", "0.75")],
    3: [("0.2", "0.3", "0.5"), ("0.333", "0.333", "0.334")],
}

OwnerPick = tuple[int, int, int]
"""A case (by position), a member of it (by position, modulo its size), and parts."""


def business_rules() -> st.SearchStrategy[BusinessRules]:
    return st.builds(
        BusinessRules,
        criteria=st.just(
            tuple(Criterion(name=n, weight=w) for n, w in zip(CRITERIA, (3, 2, 3, 2), strict=True))
        ),
        max_score=st.just(5),
        pass_mark=st.sampled_from(["2.5", "3", "3.5"]),
        receipts_share=st.sampled_from(["0", "0.5", "0.8", "1"]),
        window_months=st.integers(3, 12),
    )


def owner_picks() -> st.SearchStrategy[list[OwnerPick]]:
    """One to three owners, from one case or several, with one to five parts each."""
    pick = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(1, 5))
    return st.sampled_from([1, 2, 2, 3]).flatmap(
        lambda n: st.lists(pick, min_size=n, max_size=n, unique_by=lambda p: (p[0], p[1]))
    )


@st.composite
def budget_items(draw: st.DrawFn, least: int = 1) -> tuple[ev.BudgetItem, ...]:
    """Cash items and in-kind items of one or two suppliers, in EUR or XOF, each worth at
    least `least` cents."""
    count = draw(st.integers(1, 4))
    return tuple(draw(budget_item(n, least)) for n in range(count))


@st.composite
def budget_item(draw: st.DrawFn, n: int, least: int) -> ev.BudgetItem:
    cash = draw(st.booleans())
    cents = draw(st.integers(least, 700_00) if cash else st.integers(least, 2_500_00))
    in_xof = draw(st.integers(0, 3)) == 0
    return ev.BudgetItem(
        item=f"item {n}",
        form=Form.CASH if cash else Form.IN_KIND,
        amount=max(1, cents * 656 // 100) if in_xof else cents,
        currency="XOF" if in_xof else "EUR",
        programme_amount=0,
        supplier=None if cash else draw(st.sampled_from(SUPPLIERS)),
    )


def grant_parts(items: tuple[ev.BudgetItem, ...], day: dt.date) -> dict[str, int]:
    """The parts of the grant the items make, booked in EUR on `day`: part id -> amount."""
    booked = tuple(
        ev.BudgetItem(
            item=i.item,
            form=i.form,
            amount=i.amount,
            currency=i.currency,
            programme_amount=book(i.amount, i.currency, "EUR", [RATE], day).target_minor,
            supplier=i.supplier,
        )
        for i in items
    )
    return {c.component_id: c.amount for c in grant_components(booked)}


@st.composite
def part_tranches(
    draw: st.DrawFn, part: str, total: int, first: int, exact: bool
) -> list[TrancheIn]:
    """One to three tranches of a part, as shares or as amounts (unless `exact`, now and
    then not adding up)."""
    count = draw(st.integers(1, min(3, total)))
    ids = [f"t{first + k}" for k in range(count)]
    if draw(st.booleans()):
        shares = draw(st.sampled_from(SHARES[count]))
        return [
            TrancheIn(tranche_id=t, component_id=part, share=Decimal(s))
            for t, s in zip(ids, shares, strict=True)
        ]
    cuts = (
        sorted(
            draw(
                st.lists(
                    st.integers(1, total - 1), min_size=count - 1, max_size=count - 1, unique=True
                )
            )
        )
        if count > 1
        else []
    )
    bounds = [0, *cuts, total]
    amounts = [b - a for a, b in itertools.pairwise(bounds)]
    amounts[-1] += 0 if exact else draw(st.sampled_from([0] * 30 + [1, -1]))
    return [
        TrancheIn(tranche_id=t, component_id=part, amount=a)
        for t, a in zip(ids, amounts, strict=True)
    ]


@st.composite
def plan_terms(
    draw: st.DrawFn, parts: dict[str, int], exact: bool = False
) -> tuple[tuple[TrancheIn, ...], tuple[ev.MilestoneSpec, ...]]:
    """Tranches for every part, and one milestone per tranche (plus, sometimes, one that
    unlocks nothing), each requiring one or two kinds of evidence."""
    tranches: list[TrancheIn] = []
    for part, total in parts.items():
        tranches += draw(part_tranches(part, total, len(tranches) + 1, exact))
    unlocks: list[str | None] = [t.tranche_id for t in tranches]
    if draw(st.booleans()):
        unlocks.append(None)
    kinds = st.lists(st.sampled_from(ev.EvidenceKind), min_size=1, max_size=2, unique=True)
    milestones = tuple(
        ev.MilestoneSpec(
            milestone_id=f"m{n}",
            title=f"milestone {n}",
            evidence=tuple(draw(kinds)),
            due_on=START + dt.timedelta(days=draw(st.integers(0, 200))),
            unlocks=tranche,
        )
        for n, tranche in enumerate(unlocks, start=1)
    )
    return tuple(tranches), milestones


def content(
    items: tuple[ev.BudgetItem, ...],
    tranches: tuple[TrancheIn, ...],
    milestones: tuple[ev.MilestoneSpec, ...],
) -> PlanContent:
    eur = ev.Sum(amount=50_000, currency="EUR")
    return PlanContent(
        sector="tailoring",
        activity="a workshop making school uniforms",
        country="SN",
        area="Pikine, Dakar",
        start_date=START,
        items=items,
        monthly_revenue=eur,
        monthly_costs=eur,
        own_contribution=eur,
        risks=("power cuts",),
        milestones=milestones,
        tranches=tranches,
    )


def scores(passing: bool | None = None) -> st.SearchStrategy[dict[str, int]]:
    """Scores of every criterion: all 4-5 when `passing`, 0-1 when not, else anything
    (rarely out of range)."""
    if passing is None:
        score = st.integers(0, 5) | st.just(6)
    else:
        score = st.integers(4, 5) if passing else st.integers(0, 1)
    return st.fixed_dictionaries(dict.fromkeys(CRITERIA, score))
